"""Warp reduction, wrong: lanes past the end return before the shuffles, which need every lane."""

from numba import cuda


@cuda.jit
def warp_sum_kernel(x, out):
    i = cuda.grid(1)
    if i >= x.shape[0]:
        return  # the full-mask shuffles below now miss these lanes
    v = x[i]
    offset = 16
    while offset > 0:
        v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
        offset //= 2
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = v
