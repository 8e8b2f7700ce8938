"""Zip, wrong: writes one element further on, so out[0] is never written and out[n] is past the end."""

from numba import cuda


@cuda.jit
def zip_kernel(a, b, out):
    i = cuda.threadIdx.x
    out[i + 1] = a[i] + b[i]  # should be out[i]
