"""Map, wrong: adds 1 instead of 10."""

from numba import cuda


@cuda.jit
def map_kernel(x, out):
    i = cuda.threadIdx.x
    out[i] = x[i] + 1  # should be + 10
