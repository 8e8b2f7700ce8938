"""Linear attention on the GPU: the chunked scan with the ``D x Dv`` state spread over a block.

A block owns one batch entry and a tile of ``dv_tile`` value columns; thread ``e`` keeps column
``e`` of the state ``S`` (``D`` numbers, in local memory) and the block shares ``z``. Time is cut
into chunks of ``chunk`` rows, and per chunk (causal):

1. the block stages ``phi(Q_c)`` and ``phi(K_c)`` (``chunk x D`` each, ``phi`` applied on the way
   in) in shared memory, and each thread reads its column of ``V_c``;
2. the block forms the masked scores ``phi(q_i) . phi(k_j)`` for ``j <= i`` inside the chunk
   (``chunk x chunk``, shared) and each row's normaliser ``phi(q_i) . z + sum_j score_ij``;
3. thread ``e`` writes ``y_ie = (phi(q_i) . S[:, e] + sum_j score_ij v_je) / normaliser_i``;
4. thread ``e`` adds ``phi(K_c)^T v_c[:, e]`` to its column of ``S``, and the block adds the
   column sums of ``phi(K_c)`` to ``z``.

Non-causal runs step 4 over all key chunks first, then steps 1 and 3 (without scores) over the
query chunks. Global traffic: ``q``, ``k`` read once per column tile, ``v`` and ``y`` once. Work:
``O(L (chunk + Dv) D)`` per block, the chunks in sequence: the parallelism is ``batch x Dv /
dv_tile`` blocks. A batch of one would gain from the two-level form of the CPU kernel (segments
reduced in parallel, a prefix over segments, segments scanned in parallel): the decoupled
look-back of :mod:`kernels.prefix_scan_cuda` over ``D x Dv`` states. ``D`` is limited to ``MAX_D``.

The launcher follows :mod:`kernels._cudalaunch` (cupy arrays on cupy's stream, numpy arrays in
numba's CUDA simulator); cupy is never imported at module import time.
"""

import functools
import math
from typing import Any

import numba
import numpy as np
from numba import cuda

from kernels._arrays import Array
from kernels._cudalaunch import device_arrays, launch_stream, on_stream

__all__ = ["MAX_D", "launch"]

MAX_D = 128


def launch(
    q: Array,
    k: Array,
    v: Array,
    causal: bool,
    out: Array,
    stream: Any = None,
    *,
    chunk: int = 16,
    dv_tile: int = 64,
) -> Array:
    """Linear attention of validated C-contiguous ``q (batch, Lq, D)``, ``k (batch, Lk, D)``,
    ``v (batch, Lk, Dv)`` (float32 or float64, all one dtype) into ``out (batch, Lq, Dv)``; ``stream`` is a cupy stream (``None``: cupy's
    current stream)."""
    d = q.shape[-1]
    if d > MAX_D:
        raise ValueError(f"q must have D <= {MAX_D} for the CUDA kernel, got D = {d}")
    if not 1 <= chunk <= 32:
        raise ValueError(f"chunk must lie in [1, 32], got {chunk}")
    if not 1 <= dv_tile <= 1024:
        raise ValueError(f"dv_tile must lie in [1, 1024], got {dv_tile}")
    batch, _, dv = out.shape
    if out.size == 0:
        return out
    kernel = _kernel(out.dtype.name, chunk)
    # batch on the x axis of the grid (up to 2**31 - 1 blocks; y stops at 65535)
    q_d, k_d, v_d, out_d = device_arrays(q, k, v, out)
    with on_stream(stream):
        kernel[(batch, -(-dv // dv_tile)), dv_tile, launch_stream(out, stream)](
            q_d, k_d, v_d, bool(causal), out_d
        )
    return out


@functools.cache
def _kernel(dtype_name, chunk):
    """Compile-time chunk size and dtype make one kernel per combination."""
    acc = numba.from_dtype(np.dtype(dtype_name))

    @cuda.jit(device=True)
    def phi(x):
        return x + acc(1.0) if x > 0 else math.exp(x)

    @cuda.jit(device=True)
    def stage(src, b, c0, rows, d, dst, tid, threads):
        for idx in range(tid, rows * d, threads):
            i, a = idx // d, idx % d
            dst[i, a] = phi(acc(src[b, c0 + i, a]))

    @cuda.jit(device=True)
    def add_keys(phi_k, v, b, c0, keys, d, state, z, e, active, tid, threads):
        """Step 4: S[:, e] += phi(K_c)^T v_c[:, e]; z += column sums of phi(K_c)."""
        if active:
            for a in range(d):
                total = acc(0.0)
                for j in range(keys):
                    total += phi_k[j, a] * acc(v[b, c0 + j, e])
                state[a] += total
        for a in range(tid, d, threads):
            total = acc(0.0)
            for j in range(keys):
                total += phi_k[j, a]
            z[a] += total

    @cuda.jit
    def linear_attention_chunks(q, k, v, causal, out):
        tid = cuda.threadIdx.x
        threads = cuda.blockDim.x
        b = cuda.blockIdx.x
        e = cuda.blockIdx.y * threads + tid
        lq, d = q.shape[1], q.shape[2]
        lk, dv = v.shape[1], v.shape[2]
        active = e < dv
        phi_q = cuda.shared.array((chunk, MAX_D), acc)
        phi_k = cuda.shared.array((chunk, MAX_D), acc)
        scores = cuda.shared.array((chunk, chunk), acc)
        den = cuda.shared.array(chunk, acc)
        z = cuda.shared.array(MAX_D, acc)
        state = cuda.local.array(MAX_D, acc)
        for a in range(d):
            state[a] = acc(0.0)
        for a in range(tid, d, threads):
            z[a] = acc(0.0)
        cuda.syncthreads()
        if not causal:
            for c0 in range(0, lk, chunk):
                keys = min(chunk, lk - c0)
                stage(k, b, c0, keys, d, phi_k, tid, threads)
                cuda.syncthreads()
                add_keys(phi_k, v, b, c0, keys, d, state, z, e, active, tid, threads)
                cuda.syncthreads()  # phi_k and z are settled before the next chunk
        for c0 in range(0, lq, chunk):
            rows = min(chunk, lq - c0)
            keys = max(min(chunk, lk - c0), 0) if causal else 0
            # 1. stage phi(Q_c) and, causal, phi(K_c)
            stage(q, b, c0, rows, d, phi_q, tid, threads)
            if keys > 0:
                stage(k, b, c0, keys, d, phi_k, tid, threads)
            cuda.syncthreads()
            # 2. masked scores inside the chunk, and each row's normaliser
            for idx in range(tid, rows * chunk, threads):
                i, j = idx // chunk, idx % chunk
                s = acc(0.0)
                if j <= i and j < keys:
                    for a in range(d):
                        s += phi_q[i, a] * phi_k[j, a]
                scores[i, j] = s
            cuda.syncthreads()
            for i in range(tid, rows, threads):
                total = acc(0.0)
                for a in range(d):
                    total += phi_q[i, a] * z[a]
                for j in range(keys):
                    total += scores[i, j]
                den[i] = total
            cuda.syncthreads()
            # 3. the output column of this thread
            if active:
                for i in range(rows):
                    num = acc(0.0)
                    for a in range(d):
                        num += phi_q[i, a] * state[a]
                    for j in range(min(keys, i + 1)):
                        num += scores[i, j] * acc(v[b, c0 + j, e])
                    out[b, c0 + i, e] = num / den[i]
            cuda.syncthreads()  # den and z are read before z changes
            # 4. the chunk's keys join the state
            if keys > 0:
                add_keys(phi_k, v, b, c0, keys, d, state, z, e, active, tid, threads)
            cuda.syncthreads()  # z and the staged tiles are free for the next chunk

    return linear_attention_chunks
