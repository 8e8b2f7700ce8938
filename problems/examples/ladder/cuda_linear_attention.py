"""Causal linear attention: one block per tile of 4 output columns walks the sequence in order,
its columns of the running state S = sum phi(k_j) v_j^T and the normaliser z = sum phi(k_j) in
shared memory; thread t owns column t of the block's slice of S."""

import math

from numba import cuda, float32

TILE = 4
D_MAX = 8


@cuda.jit
def linear_attention_kernel(q, k, v, out):
    sq = cuda.shared.array(D_MAX, float32)
    sk = cuda.shared.array(D_MAX, float32)
    z = cuda.shared.array(D_MAX, float32)
    S = cuda.shared.array((D_MAX, TILE), float32)
    t = cuda.threadIdx.x
    c = cuda.blockIdx.x * TILE + t
    n, d_k, d_v = q.shape[0], q.shape[1], v.shape[1]
    for d in range(d_k):
        S[d, t] = 0.0  # column t is this thread's alone: no barrier guards it
    for d in range(t, d_k, TILE):
        z[d] = 0.0
    for i in range(n):
        # q and k are read once per block: each thread loads a share of the row.
        for d in range(t, d_k, TILE):
            x = q[i, d]
            sq[d] = x + float32(1.0) if x > 0 else math.exp(x)
            x = k[i, d]
            sk[d] = x + float32(1.0) if x > 0 else math.exp(x)
            z[d] += sk[d]
        cuda.syncthreads()  # phi(q_i), phi(k_i) and z_i whole before anyone reads them
        if c < d_v:
            vi = v[i, c]
            num = float32(0.0)
            den = float32(0.0)
            for d in range(d_k):
                S[d, t] += sk[d] * vi
                num += sq[d] * S[d, t]
                den += sq[d] * z[d]
            out[i, c] = num / den
        cuda.syncthreads()  # every read of step i done before step i + 1 overwrites sq, sk, z
