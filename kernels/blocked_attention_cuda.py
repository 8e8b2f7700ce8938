"""CUDA kernel for attention: a FlashAttention-style forward pass on cupy arrays.

A thread block owns a tile of ``block_q`` queries (one thread per query) of one batch entry and
streams the keys and values through shared memory in tiles of ``block_k`` rows, loaded by all
threads together (coalesced). Each thread keeps its query, its running maximum ``m``, normaliser
``l`` and unnormalised output ``acc`` in registers / local memory, and per key tile:

1. scores ``s_j = scale * q . k_j`` for the tile (kept in a small local array) and their maximum;
2. the recurrence's rescale ``acc *= exp(m - m')``, ``l *= exp(m - m')`` once per tile;
3. ``p_j = exp(s_j - m')``, ``l += p_j``, ``acc += p_j v_j``.

With ``causal=True`` key tiles that lie wholly right of the block's last query are never loaded,
and keys ``j > i`` inside the diagonal tile are skipped per thread. Global traffic: each block
reads ``q`` once and ``K, V`` once (``O(Lq Lk D / block_q)`` in all), writes ``O`` once; the
``Lq x Lk`` scores never leave registers. Accumulation is float32 for float16 / float32 input
(float64 for float64). ``D`` and ``Dv`` are limited to 128 (register and shared-memory budget).

This is the straightforward one-query-per-thread form, without tensor cores: the readable
FlashAttention. One block per (batch entry, query tile), numbered along the grid's x dimension
(up to 2**31 - 1 blocks; the y dimension would cap batch x heads at 65535). Launched on cupy's
current stream (:mod:`kernels._cudalaunch`). ``benchmarks/bench_attention.py`` (``AttentionGPU``)
times it beside torch SDPA.
"""

import functools
import math
from typing import Any

import numba
import numpy as np
from numba import cuda

from kernels._arrays import Array, array_module
from kernels._cudalaunch import device_arrays, launch_stream, on_stream
from kernels._dtypes import accumulator_dtype, result_dtype

__all__ = ["MAX_D", "launch"]

MAX_D = 128
# two tiles of key_tile x 128 accumulator values in 48 KiB of shared memory
_MAX_KEY_TILE = {np.dtype(np.float32): 32, np.dtype(np.float64): 16}


def launch(
    q: Array,
    k: Array,
    v: Array,
    causal: bool,
    scale: float,
    out: Array | None = None,
    stream: Any = None,
    *,
    block_q: int = 64,
    block_k: int | None = None,
) -> Array:
    """Write the attention of validated ``q (..., Lq, D)``, ``k``, ``v`` into ``out``; return it.

    ``out`` has shape ``(..., Lq, Dv)`` and the inputs' combined dtype, or is ``None`` (allocated
    here); ``stream`` is a cupy stream (``None``: cupy's current stream). ``block_q`` queries per
    block (one per thread) and ``block_k`` keys per shared-memory tile.
    """
    d, dv = q.shape[-1], v.shape[-1]
    if d > MAX_D:
        raise ValueError(f"q must have D <= {MAX_D} for the CUDA kernel, got D = {d}")
    if dv > MAX_D:
        raise ValueError(f"v must have Dv <= {MAX_D} for the CUDA kernel, got Dv = {dv}")
    dtype = result_dtype(q.dtype, k.dtype, v.dtype)
    acc = accumulator_dtype(dtype)
    block_k = _MAX_KEY_TILE[acc] if block_k is None else block_k
    if not 1 <= block_k <= _MAX_KEY_TILE[acc]:
        raise ValueError(f"block_k must lie in [1, {_MAX_KEY_TILE[acc]}], got {block_k}")
    if not 1 <= block_q <= 1024:
        raise ValueError(f"block_q must lie in [1, 1024], got {block_q}")
    xp = array_module(q)
    with on_stream(stream):
        if out is None:
            out = xp.empty((*q.shape[:-1], dv), dtype=dtype)
        lead, lq = q.shape[:-2], q.shape[-2]
        batch = math.prod(lead)
        qs, ks, vs = (
            xp.ascontiguousarray(a.reshape(batch, *a.shape[-2:]), dtype=dtype) for a in (q, k, v)
        )
        direct = out.flags.c_contiguous
        result = out.reshape(batch, lq, dv) if direct else xp.empty((batch, lq, dv), dtype=dtype)
        if result.size:
            blocks = batch * -(-lq // block_q)
            args = (*device_arrays(qs, ks, vs, result), acc.type(scale), causal, block_k)
            _kernel(acc)[blocks, block_q, launch_stream(q, stream)](*args)
        if not direct:
            out[...] = result.reshape(out.shape)
    return out


@functools.cache
def _kernel(acc_dtype: np.dtype):
    """The attention kernel accumulating in ``acc_dtype``, compiled on first use."""
    return _make_kernel(numba.from_dtype(acc_dtype), _MAX_KEY_TILE[acc_dtype])


def _make_kernel(acc, key_tile):
    neg_inf = -math.inf

    @cuda.jit
    def kernel(q, k, v, out, scale, causal, block_k):
        tid = cuda.threadIdx.x
        threads = cuda.blockDim.x
        lq, d = q.shape[1], q.shape[2]
        query_tiles = (lq + threads - 1) // threads
        b = cuda.blockIdx.x // query_tiles
        i0 = (cuda.blockIdx.x % query_tiles) * threads
        i = i0 + tid
        lk, dv = v.shape[1], v.shape[2]
        active = i < lq

        k_tile = cuda.shared.array((key_tile, MAX_D), dtype=acc)
        v_tile = cuda.shared.array((key_tile, MAX_D), dtype=acc)
        q_row = cuda.local.array(MAX_D, dtype=acc)
        o_row = cuda.local.array(MAX_D, dtype=acc)
        scores = cuda.local.array(key_tile, dtype=acc)
        for c in range(d):
            q_row[c] = acc(q[b, i, c]) * scale if active else acc(0.0)
        for c in range(dv):
            o_row[c] = acc(0.0)
        m = acc(neg_inf)
        l = acc(0.0)

        key_end = (
            min(lk, i0 + threads) if causal else lk
        )  # tiles right of the diagonal: never loaded
        for j0 in range(0, key_end, block_k):
            cuda.syncthreads()  # the previous tile is no longer being read
            for idx in range(tid, block_k * d, threads):
                r, c = idx // d, idx % d
                k_tile[r, c] = acc(k[b, j0 + r, c]) if j0 + r < lk else acc(0.0)
            for idx in range(tid, block_k * dv, threads):
                r, c = idx // dv, idx % dv
                v_tile[r, c] = acc(v[b, j0 + r, c]) if j0 + r < lk else acc(0.0)
            cuda.syncthreads()
            if not active:
                continue
            visible = min(block_k, lk - j0)
            if causal:
                visible = min(visible, i - j0 + 1)
            if visible <= 0:
                continue
            tile_max = acc(neg_inf)
            for r in range(visible):
                s = acc(0.0)
                for c in range(d):
                    s += q_row[c] * k_tile[r, c]
                scores[r] = s
                tile_max = max(tile_max, s)
            m_new = max(m, tile_max)
            alpha = math.exp(m - m_new) if m > neg_inf else acc(0.0)
            l *= alpha
            for c in range(dv):
                o_row[c] *= alpha
            for r in range(visible):
                p = math.exp(scores[r] - m_new)
                l += p
                for c in range(dv):
                    o_row[c] += p * v_tile[r, c]
            m = m_new
        if active:
            inv = acc(1.0) / l
            for c in range(dv):
                out[b, i, c] = o_row[c] * inv

    return kernel
