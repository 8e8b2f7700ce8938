"""Zip: one thread per element pair."""

from numba import cuda


@cuda.jit
def zip_kernel(a, b, out):
    i = cuda.threadIdx.x
    out[i] = a[i] + b[i]
