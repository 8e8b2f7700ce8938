"""Map: one thread per element, the block is the size."""

from numba import cuda


@cuda.jit
def map_kernel(x, out):
    i = cuda.threadIdx.x
    out[i] = x[i] + 10
