"""Block scan, wrong: no barrier between the reads and the writes of a step, a race."""

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
        if t >= d:
            s[t] += s[t - d]  # thread t - d may already have added to s[t - d]
        cuda.syncthreads()
        d *= 2
    if i < x.shape[0]:
        out[i] = s[t]
