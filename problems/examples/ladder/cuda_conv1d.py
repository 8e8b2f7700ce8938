"""1-D convolution: the block's tile and the k - 1 elements after it, and w, staged in shared memory."""

from numba import cuda, float32

TPB = 8
MAX_K = 4


@cuda.jit
def conv1d_kernel(x, w, out):
    tile = cuda.shared.array(TPB + MAX_K - 1, float32)
    weights = cuda.shared.array(MAX_K, float32)
    n, k = x.shape[0], w.shape[0]
    t = cuda.threadIdx.x
    start = cuda.blockIdx.x * TPB
    i = start + t
    tile[t] = x[i] if i < n else 0.0
    if t < k - 1:
        j = start + TPB + t
        tile[TPB + t] = x[j] if j < n else 0.0
    if t < k:
        weights[t] = w[t]
    cuda.syncthreads()
    if i < n:
        acc = 0.0
        for j in range(k):
            acc += tile[t + j] * weights[j]
        out[i] = acc
