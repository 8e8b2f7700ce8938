"""Scan across blocks: scan each block and record its total, then add the totals before it."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def scan_blocks_kernel(x, out, sums):
    s = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i] if i < x.shape[0] else 0.0
    cuda.syncthreads()
    d = 1
    while d < TPB:
        v = s[t - d] if t >= d else 0.0
        cuda.syncthreads()
        s[t] += v
        cuda.syncthreads()
        d *= 2
    if i < x.shape[0]:
        out[i] = s[t]
    if t == TPB - 1:
        sums[cuda.blockIdx.x] = s[t]


@cuda.jit
def add_offsets_kernel(out, sums):
    b = cuda.blockIdx.x
    i = cuda.grid(1)
    if b > 0 and i < out.shape[0]:
        offset = 0.0
        for j in range(b):
            offset += sums[j]
        out[i] += offset
