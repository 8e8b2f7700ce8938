"""Planted for cuda-block-reduce: threads past the end return before the barriers that the
rest of the block waits at."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def block_reduce_kernel(x, sums, maxes):
    s = cuda.shared.array(TPB, float32)
    m = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = 0.0
    m[t] = -1e30
    if i >= x.shape[0]:
        return  # these threads never reach the syncthreads below
    v = x[i]
    s[t] = v
    m[t] = v
    cuda.syncthreads()
    stride = TPB // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
            m[t] = max(m[t], m[t + stride])
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        sums[cuda.blockIdx.x] = s[0]
        maxes[cuda.blockIdx.x] = m[0]
