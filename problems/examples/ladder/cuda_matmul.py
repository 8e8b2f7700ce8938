"""Tiled matrix multiply: 4 x 4 tiles of a and b staged in shared memory, two barriers a step."""

from numba import cuda, float32

TILE = 4


@cuda.jit
def matmul_kernel(a, b, c):
    sa = cuda.shared.array((TILE, TILE), float32)
    sb = cuda.shared.array((TILE, TILE), float32)
    i, j = cuda.grid(2)
    ti, tj = cuda.threadIdx.x, cuda.threadIdx.y
    n, k = a.shape
    m = b.shape[1]
    acc = float32(0.0)
    for step in range((k + TILE - 1) // TILE):
        p = step * TILE
        sa[ti, tj] = a[i, p + tj] if i < n and p + tj < k else 0.0
        sb[ti, tj] = b[p + ti, j] if p + ti < k and j < m else 0.0
        cuda.syncthreads()
        for q in range(TILE):
            acc += sa[ti, q] * sb[q, tj]
        cuda.syncthreads()
    if i < n and j < m:
        c[i, j] = acc
