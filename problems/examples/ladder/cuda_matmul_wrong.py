"""Matrix multiply, wrong for the budget: right answers, but a and b are read straight from
global memory in the inner loop, each element of a m times instead of ceil(m / 4)."""

from numba import cuda


@cuda.jit
def matmul_kernel(a, b, c):
    i, j = cuda.grid(2)
    if i < c.shape[0] and j < c.shape[1]:
        acc = 0.0
        for p in range(a.shape[1]):
            acc += a[i, p] * b[p, j]  # stage tiles in shared memory
        c[i, j] = acc
