"""Planted for cuda-warp-reduce: lane 0 waits at a block barrier while the other lanes wait in a
shuffle for lane 0; neither can go on (on a GPU the kernel hangs)."""

from numba import cuda


@cuda.jit
def warp_sum_kernel(x, out):
    i = cuda.grid(1)
    v = x[i] if i < x.shape[0] else 0.0
    if cuda.threadIdx.x == 0:
        cuda.syncthreads()  # only lane 0 comes here
    offset = 16
    while offset > 0:
        v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
        offset //= 2
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = v
