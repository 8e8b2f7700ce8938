"""Planted for cuda-zip: reads b one element further on, past the end for the last thread."""

from numba import cuda


@cuda.jit
def zip_kernel(a, b, out):
    i = cuda.threadIdx.x
    out[i] = a[i] + b[i + 1]  # should be b[i]
