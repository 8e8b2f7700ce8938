"""Broadcast, wrong: a and b swapped, right only where the matrix is square and symmetric."""

from numba import cuda


@cuda.jit
def broadcast_kernel(a, b, out):
    i, j = cuda.grid(2)
    if i < a.shape[0] and j < b.shape[0]:
        out[i, j] = a[j] + b[i]  # should be a[i] + b[j]
