"""Online softmax, wrong: the running sum is not rescaled when the maximum grows."""

import math

from numba import cuda, float32

TPB = 8


@cuda.jit
def online_softmax_kernel(x, out):
    sm = cuda.shared.array(TPB, float32)
    ss = cuda.shared.array(TPB, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    n = x.shape[1]

    m = -math.inf
    total = 0.0
    for j in range(t, n, TPB):
        v = x[row, j]
        if v > m:
            total = total + 1.0  # should be total * exp(m - v) + 1
            m = v
        else:
            total += math.exp(v - m)
    sm[t] = m
    ss[t] = total
    cuda.syncthreads()
    stride = TPB // 2
    while stride > 0:
        if t < stride:
            m1, s1 = sm[t], ss[t]
            m2, s2 = sm[t + stride], ss[t + stride]
            mm = max(m1, m2)
            if mm == -math.inf:
                total = 0.0
            else:
                total = s1 * math.exp(m1 - mm) + s2 * math.exp(m2 - mm)
            sm[t] = mm
            ss[t] = total
        cuda.syncthreads()
        stride //= 2
    m = sm[0]
    total = ss[0]
    for j in range(t, n, TPB):
        out[row, j] = math.exp(x[row, j] - m) / total
