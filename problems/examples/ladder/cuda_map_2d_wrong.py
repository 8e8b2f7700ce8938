"""Map in 2-D, wrong: the column is checked against the number of rows."""

from numba import cuda


@cuda.jit
def map_2d_kernel(x, out):
    i, j = cuda.grid(2)
    if i < x.shape[0] and j < x.shape[0]:  # should be x.shape[1]
        out[i, j] = x[i, j] + 10
