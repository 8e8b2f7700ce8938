"""Guard, wrong: no guard, so the threads past the end read and write out of bounds."""

from numba import cuda


@cuda.jit
def guard_kernel(x, out):
    i = cuda.grid(1)
    out[i] = x[i] + 10  # needs: if i < x.shape[0]
