"""Broadcast: out[i, j] = a[i] + b[j]."""

from numba import cuda


@cuda.jit
def broadcast_kernel(a, b, out):
    i, j = cuda.grid(2)
    if i < a.shape[0] and j < b.shape[0]:
        out[i, j] = a[i] + b[j]
