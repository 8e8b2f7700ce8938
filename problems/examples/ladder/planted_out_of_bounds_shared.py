"""Planted for cuda-block-reduce: the tree starts at stride TPB instead of TPB // 2, so thread t
reads s[t + 8], past the end of the shared array."""

import math

from numba import cuda, float32

TPB = 8


@cuda.jit
def block_reduce_kernel(x, sums, maxes):
    s = cuda.shared.array(TPB, float32)
    m = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    v = x[i] if i < x.shape[0] else math.nan
    s[t] = v if i < x.shape[0] else 0.0
    m[t] = v if i < x.shape[0] else -math.inf
    cuda.syncthreads()
    stride = TPB  # should be TPB // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
            m[t] = max(m[t], m[t + stride])
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        sums[cuda.blockIdx.x] = s[0]
        maxes[cuda.blockIdx.x] = m[0]
