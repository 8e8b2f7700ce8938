"""Attention tile: keys and values go by in tiles of 4 through shared memory; each thread keeps
the running max m, normaliser l and accumulator acc of its query, rescaled as m grows."""

import math

from numba import cuda, float32

D = 4
TILE = 4


@cuda.jit
def attention_kernel(q, k, v, out):
    sk = cuda.shared.array((TILE, D), float32)
    sv = cuda.shared.array((TILE, D), float32)
    acc = cuda.local.array(D, float32)
    qi = cuda.local.array(D, float32)
    t = cuda.threadIdx.x
    row = cuda.blockIdx.x * TILE + t
    lq, lk = q.shape[0], k.shape[0]
    scale = 1.0 / math.sqrt(D)
    for d in range(D):
        acc[d] = 0.0
        qi[d] = q[row, d] if row < lq else 0.0
    m = -math.inf
    l = 0.0
    for start in range(0, lk, TILE):
        key = start + t
        for d in range(D):
            sk[t, d] = k[key, d] if key < lk else 0.0
            sv[t, d] = v[key, d] if key < lk else 0.0
        cuda.syncthreads()
        for j in range(min(TILE, lk - start)):
            s = 0.0
            for d in range(D):
                s += qi[d] * sk[j, d]
            s *= scale
            m_new = max(m, s)
            rescale = math.exp(m - m_new)
            p = math.exp(s - m_new)
            l = l * rescale + p
            for d in range(D):
                acc[d] = acc[d] * rescale + p * sv[j, d]
            m = m_new
        cuda.syncthreads()
    if row < lq:
        for d in range(D):
            out[row, d] = acc[d] / l
