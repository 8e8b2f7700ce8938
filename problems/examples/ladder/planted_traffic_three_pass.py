"""Planted for cuda-online-softmax: a right answer in three passes over x (maximum, sum,
answer), one more than the online problem's budget allows."""

import math

from numba import cuda, float32

TPB = 8


@cuda.jit
def online_softmax_kernel(x, out):
    s = cuda.shared.array(TPB, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    n = x.shape[1]
    m = -math.inf
    for j in range(t, n, TPB):
        m = max(m, x[row, j])
    s[t] = m
    cuda.syncthreads()
    stride = TPB // 2
    while stride > 0:
        if t < stride:
            s[t] = max(s[t], s[t + stride])
        cuda.syncthreads()
        stride //= 2
    m = s[0]
    cuda.syncthreads()
    total = 0.0
    for j in range(t, n, TPB):
        total += math.exp(x[row, j] - m)
    s[t] = total
    cuda.syncthreads()
    stride = TPB // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
        cuda.syncthreads()
        stride //= 2
    total = s[0]
    for j in range(t, n, TPB):
        out[row, j] = math.exp(x[row, j] - m) / total
