"""Map in 2-D: guard both the row and the column."""

from numba import cuda


@cuda.jit
def map_2d_kernel(x, out):
    i, j = cuda.grid(2)
    if i < x.shape[0] and j < x.shape[1]:
        out[i, j] = x[i, j] + 10
