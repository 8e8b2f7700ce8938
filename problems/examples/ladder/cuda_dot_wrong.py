"""Dot product, wrong: each block overwrites out[0] instead of adding to it."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def dot_kernel(a, b, out):
    s = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i] * b[i] if i < a.shape[0] else 0.0
    cuda.syncthreads()
    stride = TPB // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        out[0] = s[0]  # should be cuda.atomic.add(out, 0, s[0])
