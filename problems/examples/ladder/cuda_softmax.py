"""Softmax of a row in three passes: the maximum, the sum of exp(x - max), the answer."""

import math

from numba import cuda, float32

TPB = 8


@cuda.jit
def softmax_kernel(x, out):
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
