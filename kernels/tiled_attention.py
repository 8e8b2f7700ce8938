"""Tiled attention: the tile products by the array module's matmul, one fused update per tile.

The fused kernel of :mod:`kernels.blocked_attention_cuda` computes ``q . k`` with scalar
multiply-adds: numba.cuda has no access to the tensor cores, which do most of a GPU's matrix
arithmetic. Here the two products of each tile go to the array module's matrix multiply instead
(on a GPU cuBLAS, on the tensor cores for float16; on the CPU numpy's BLAS), and everything
between them is one fused per-tile update.

For a block of queries ``Q`` and each tile of keys and values ``K_j, V_j``::

    S_j = Q K_j^T                                   tile product (batched over leading dims)
    m'  = max(m, rowmax(scale S_j))                 fused update, one kernel per tile:
    P_j = exp(scale S_j - m'), 0 where masked         row max, exp, row sum,
    l   = l * exp(m - m') + rowsum(P_j)               rescale of the accumulator
    acc = acc * exp(m - m')
    acc = acc + P_j V_j                             tile product
    ...
    O   = acc / l

Invariant (as in :mod:`kernels.blocked_attention`): after the tiles seen so far, ``acc / l`` is the
attention output over those keys and every exponent is ``<= 0``. The loop below is written once
against the array module of its inputs: with numpy arrays it is what CI tests against the
reference (causal, ``Lq != Lk``, ragged last tiles, large scores); with cupy arrays it is what
``kernels.attention`` runs on a GPU, the update being the numba.cuda kernel of
:mod:`kernels.tiled_attention_cuda`.

Memory: one score tile ``S_j`` and one ``P_j`` of ``batch x block_q x block_k`` values, the
accumulator ``batch x block_q x Dv``; the ``Lq x Lk`` matrix is never held. Traffic per tile:
``S_j`` written by the first product, read and ``P_j`` written by the update, read by the second
product: four passes over ``batch x block_q x block_k`` values, so tiles are made as large as the
memory budget ``TILE_BYTES`` allows (fewer, larger products; fewer launches). Flops as the fused
kernel: ``4 Lq Lk D`` for ``D = Dv``, about half with ``causal=True`` (key tiles right of a query
block's last row are skipped). ``benchmarks/bench_attention.py`` (``AttentionGPU``) times it
beside torch SDPA.

For float16 on a GPU the products take float16 operands and compute and write in float32 (cuBLAS
``gemmStridedBatchedEx``: the tensor cores); the scores stay float32 and only the weights ``P_j``
are rounded to float16 for the second product, a rounding
:func:`kernels.tolerances.attention_bound` counts. Otherwise the products run in the accumulation
dtype (numpy's float16 matmul would add in float16).
"""

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from kernels._arrays import Array, array_module
from kernels._dtypes import accumulator_dtype, result_dtype

__all__ = [
    "TILE_BYTES",
    "attention_rows",
    "tile_sizes",
    "tiled_attention",
    "update_tile_numpy",
]

TILE_BYTES = 1 << 28  # one score tile (batch x block_q x block_k values) in at most 256 MiB


def tile_sizes(batch: int, lq: int, lk: int, itemsize: int) -> tuple[int, int]:
    """``(block_q, block_k)``: query blocks of up to 1024 rows (so causal attention skips the
    tiles above the diagonal), key tiles as long as ``TILE_BYTES`` allows, multiples of 128."""
    block_q = max(1, min(lq, 1024))
    fit = TILE_BYTES // max(1, batch * block_q * itemsize)
    block_k = max(128, fit // 128 * 128)
    return block_q, max(1, min(lk, block_k))


def tiled_attention(
    q: Array,
    k: Array,
    v: Array,
    causal: bool,
    scale: float,
    out: Array,
    *,
    block_q: int | None = None,
    block_k: int | None = None,
    update: Callable[..., Any] | None = None,
) -> Array:
    """Write the attention of ``q (B, Lq, D)``, ``k (B, Lk, D)``, ``v (B, Lk, Dv)`` into ``out``.

    The arrays are checked and of one module (numpy or cupy); ``out (B, Lq, Dv)`` has their
    combined dtype. ``update`` is the fused per-tile update, called as
    ``update(s, m, l, acc, scale, i0, j0, causal, p)`` (see :func:`update_tile_numpy`); by default
    :func:`update_tile_numpy` for numpy and the CUDA kernel for cupy. Returns ``out``.
    """
    xp = array_module(q)
    batch, lq, _ = q.shape
    lk, dv = v.shape[1], v.shape[2]
    dtype = result_dtype(q.dtype, k.dtype, v.dtype)
    acc_dtype = accumulator_dtype(dtype)
    if update is None:
        update = update_tile_numpy if xp is np else _cuda_module().launch
    scores, accumulate, product_dtype = _products(xp, dtype)
    auto_q, auto_k = tile_sizes(batch, lq, lk, acc_dtype.itemsize)
    block_q = auto_q if block_q is None else block_q
    block_k = auto_k if block_k is None else block_k
    qm, km, vm = (xp.ascontiguousarray(a, dtype=product_dtype) for a in (q, k, v))
    for i0 in range(0, lq, block_q):
        i1 = min(i0 + block_q, lq)
        rows = i1 - i0
        m = xp.full((batch, rows), -np.inf, dtype=acc_dtype)
        l = xp.zeros((batch, rows), dtype=acc_dtype)
        acc = xp.zeros((batch, rows, dv), dtype=acc_dtype)
        key_end = min(lk, i1) if causal else lk  # causal: tiles right of the block are never seen
        for j0 in range(0, key_end, block_k):
            j1 = min(j0 + block_k, key_end)
            s = scores(qm[:, i0:i1], km[:, j0:j1])  # in the accumulation dtype
            p = xp.empty(s.shape, dtype=product_dtype)
            update(s, m, l, acc, scale, i0, j0, causal, p)
            accumulate(acc, p, vm[:, j0:j1])
        out[:, i0:i1] = acc / l[:, :, None]
    return out


def _products(xp, dtype):
    """``(scores, accumulate, product dtype)``: ``scores(q, k) = q k^T`` in the accumulation dtype
    and ``accumulate(acc, p, v)``: ``acc += p v``, the tile products of the loop.

    float16 on a GPU: cuBLAS with float16 operands, float32 products and sums (the tensor cores),
    scores written in float32 and ``p v`` added into the float32 accumulator by the product itself.
    Elsewhere the module's matmul in the accumulation dtype (numpy's float16 matmul would add in
    float16).
    """
    acc_dtype = accumulator_dtype(dtype)
    if xp is not np and dtype == np.float16:
        cuda_module = _cuda_module()
        return cuda_module.scores_float16, cuda_module.accumulate_float16, dtype

    def scores(q, k):
        return xp.matmul(q, xp.swapaxes(k, -1, -2))

    def accumulate(acc, p, v):
        acc += xp.matmul(p, v)

    return scores, accumulate, acc_dtype


def update_tile_numpy(
    s: Array, m: Array, l: Array, acc: Array, scale: float, i0: int, j0: int, causal: bool, p: Array
) -> None:
    """The fused per-tile update in numpy operations, in place on ``m``, ``l``, ``acc`` and ``p``.

    ``s (B, R, C)`` holds the unscaled products of query rows ``i0 .. i0+R-1`` with key rows
    ``j0 .. j0+C-1``; ``m``, ``l (B, R)`` are the running maxima and normalisers, ``acc (B, R, Dv)``
    the unnormalised output, all in the accumulation dtype. ``p`` receives ``exp(scale s - m')``,
    0 where causal masking hides a key. A row that has seen no key yet (``m' = -inf``) is left as
    it is, with ``p = 0``.
    """
    scores = s.astype(acc.dtype) * acc.dtype.type(scale)
    if causal:
        rows, cols = s.shape[1], s.shape[2]
        hidden = (j0 + np.arange(cols))[None, :] > (i0 + np.arange(rows))[:, None]
        scores[:, hidden] = -np.inf
    m_new = np.maximum(m, scores.max(axis=-1, initial=-np.inf))
    seen = m_new > -np.inf
    safe = np.where(seen, m_new, 0.0).astype(acc.dtype)
    with np.errstate(invalid="ignore"):
        alpha = np.where(seen, np.exp(m - safe), 1.0).astype(acc.dtype)
    e = np.exp(scores - safe[:, :, None])  # masked keys: exp(-inf) = 0
    l[...] = l * alpha + e.sum(axis=-1)
    acc *= alpha[:, :, None]
    m[...] = m_new
    p[...] = e


def _cuda_module():
    from kernels import tiled_attention_cuda

    return tiled_attention_cuda


def attention_rows(
    q: Array, k: Array, v: Array, causal: bool, scale: float, out: Array, **options
) -> Array:
    """:func:`tiled_attention` for ``q (..., Lq, D)``, ``k``, ``v`` and a C-contiguous ``out
    (..., Lq, Dv)``, the leading dimensions flattened into one batch dimension."""
    batch = math.prod(q.shape[:-2])
    xp = array_module(q)
    flat = [xp.ascontiguousarray(a.reshape(batch, *a.shape[-2:])) for a in (q, k, v)]
    if out.size:
        tiled_attention(*flat, causal, scale, out.reshape(batch, *out.shape[-2:]), **options)
    return out
