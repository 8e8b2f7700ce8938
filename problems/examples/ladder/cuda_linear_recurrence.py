"""Linear recurrence: a Hillis-Steele scan of (a, b) pairs, (a1, b1) then (a2, b2) being
(a1 * a2, a2 * b1 + b2); threads past the row hold the identity (1, 0)."""

from numba import cuda, float32

TPB = 16


@cuda.jit
def recurrence_kernel(a, b, h):
    sa = cuda.shared.array(TPB, float32)
    sb = cuda.shared.array(TPB, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    n = a.shape[1]
    if t < n:
        sa[t] = a[row, t]
        sb[t] = b[row, t]
    else:
        sa[t] = 1.0
        sb[t] = 0.0
    cuda.syncthreads()
    d = 1
    while d < TPB:
        if t >= d:
            pa, pb = sa[t - d], sb[t - d]
        else:
            pa, pb = float32(1.0), float32(0.0)
        cuda.syncthreads()
        ca, cb = sa[t], sb[t]
        sa[t] = pa * ca
        sb[t] = ca * pb + cb
        cuda.syncthreads()
        d *= 2
    if t < n:
        h[row, t] = sb[t]
