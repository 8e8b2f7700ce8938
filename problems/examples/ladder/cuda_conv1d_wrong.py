"""1-D convolution, wrong: right answers, but x and w come from global memory k times each."""

from numba import cuda


@cuda.jit
def conv1d_kernel(x, w, out):
    n, k = x.shape[0], w.shape[0]
    i = cuda.grid(1)
    if i < n:
        acc = 0.0
        for j in range(k):
            if i + j < n:
                acc += x[i + j] * w[j]  # stage x and w in shared memory
        out[i] = acc
