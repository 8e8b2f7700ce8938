"""Block scan: Hillis-Steele in shared memory; each step reads, waits, writes, waits."""

from numba import cuda, float32

TPB = 8


@cuda.jit
def block_scan_kernel(x, out):
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
