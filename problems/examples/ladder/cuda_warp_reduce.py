"""Warp reduction: every lane takes part in every shuffle; lanes past the end hold 0."""

from numba import cuda


@cuda.jit
def warp_sum_kernel(x, out):
    i = cuda.grid(1)
    v = x[i] if i < x.shape[0] else 0.0
    offset = 16
    while offset > 0:
        v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
        offset //= 2
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = v
