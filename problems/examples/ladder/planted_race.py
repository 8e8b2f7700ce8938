"""Planted for cuda-block-scan: the second barrier of each step is missing, so the next step
reads s[t - d] while thread t - d may still be writing it."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def block_scan_kernel(x, out):
    s = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i] if i < x.shape[0] else 0.0
    cuda.syncthreads()
    d = 1
    while d < TPB:
        v = s[t - d] if t >= d else 0.0
        cuda.syncthreads()
        s[t] += v
        d *= 2  # a cuda.syncthreads() is missing here
    if i < x.shape[0]:
        out[i] = s[t]
