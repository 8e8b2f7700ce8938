"""Planted for cuda-block-scan: even and odd threads wait at two different syncthreads calls,
undefined behaviour on a GPU even though every thread reaches one of them."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def block_scan_kernel(x, out):
    s = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i] if i < x.shape[0] else 0.0
    if t % 2 == 0:
        cuda.syncthreads()
    else:
        cuda.syncthreads()  # a different barrier from the one above
    d = 1
    while d < TPB:
        v = s[t - d] if t >= d else 0.0
        cuda.syncthreads()
        s[t] += v
        cuda.syncthreads()
        d *= 2
    if i < x.shape[0]:
        out[i] = s[t]
