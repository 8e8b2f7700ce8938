"""Blocked attention: ``softmax(q k^T * scale) v`` without ever holding the ``Lq x Lk`` matrix.

Problem. For queries ``q (Lq, D)``, keys ``k (Lk, D)`` and values ``v (Lk, Dv)``, attention is
``O = softmax(S) v`` with ``S = q k^T * scale`` (``scale = 1/sqrt(D)`` by default), softmax along
the keys. Computed as written, ``S`` and ``softmax(S)`` are ``Lq x Lk`` arrays: 2 GiB of float64 at
``Lq = Lk = 16384``, written once and read back twice, when the answer is only ``Lq x Dv``.

The online-softmax recurrence (see :mod:`kernels.online_softmax`) extends from a normaliser to the
whole output (FlashAttention, Dao et al. 2022). Take a tile of queries and stream tiles of keys
``K_j, V_j``; for each query row keep the running maximum ``m``, the normaliser ``l`` and an
unnormalised output ``acc``::

    S_j  = Q K_j^T * scale
    m'   = max(m, rowmax(S_j))
    P_j  = exp(S_j - m')
    l'   = l * exp(m - m') + rowsum(P_j)
    acc' = acc * exp(m - m') + P_j V_j

Invariant: after the tiles seen so far, ``acc / l`` is exactly the attention output over those
keys, and every exponent is ``<= 0`` (no overflow). After the last tile ``O = acc / l``.

Causal masking (``causal=True``) lets query ``i`` see keys ``j <= i`` (top-left aligned, as
``torch.nn.functional.scaled_dot_product_attention``); key tiles entirely above the diagonal are
skipped, halving the work. Every query sees key 0, so no row is ever empty; ``Lk == 0`` is refused.

Cost: ``4 Lq Lk D`` flops for ``D = Dv`` (``2 Lq Lk D`` for ``S``, as much for ``P V``), about half
with ``causal=True``; memory traffic ``O((Lq + Lk) D)`` per query tile pass and ``O(tile^2)`` extra
memory per worker instead of ``O(Lq Lk)``.

Speed: ``benchmarks/bench_attention.py`` times the kernel beside the reference (class
``Attention``, with peak memory) and beside torch SDPA on a GPU (``AttentionGPU``); rates are
reported against the flop count above.

Shapes: ``q (..., Lq, D)``, ``k (..., Lk, D)``, ``v (..., Lk, Dv)`` with equal leading dimensions
(batch, heads; no broadcasting: repeat k and v yourself for grouped-query attention). The result
has the float dtype of the three inputs combined; float16 is computed in float32.

>>> import numpy as np
>>> q = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> k = np.array([[10.0, 0.0], [0.0, 10.0]])
>>> v = np.array([[1.0, 2.0], [3.0, 4.0]])
>>> attention(q, k, v, scale=1.0).round(6)
array([[1.000091, 2.000091],
       [2.999909, 3.999909]])
>>> attention(q, k, v, causal=True, scale=1.0).round(6)  # query 0 sees key 0 only
array([[1.      , 2.      ],
       [2.999909, 3.999909]])
"""

import math
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt
from numba import prange

from kernels._arrays import array_module, is_cupy_array
from kernels._checks import check_attention_args, check_out
from kernels._dtypes import accumulator_dtype, result_dtype
from kernels._fastmath import exp_nonpositive
from kernels._parallel import njit_serial_and_parallel, one_blas_thread

__all__ = ["attention", "attention_1query"]

_QUERY_TILE = 64
_KEY_TILE = 256


def attention(
    q: npt.ArrayLike,
    k: npt.ArrayLike,
    v: npt.ArrayLike,
    *,
    causal: bool = False,
    scale: float | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Attention of ``q (..., Lq, D)`` over ``k (..., Lk, D)``, ``v (..., Lk, Dv)`` -> ``(..., Lq, Dv)``.

    ``out``: an array of the result's shape and dtype to write to (and return). It must not
    overlap ``q``, ``k`` or ``v`` (``ValueError``): output tiles are written while later query
    tiles still read every key and value.
    """
    q, k, v, causal, scale = check_attention_args(q, k, v, causal, scale)
    dtype = result_dtype(q.dtype, k.dtype, v.dtype)
    lead, lq, dv = q.shape[:-2], q.shape[-2], v.shape[-1]
    out = check_out(out, (*lead, lq, dv), dtype, {"q": q, "k": k, "v": v})
    if is_cupy_array(q):
        # tile products by cuBLAS (tensor cores) and one fused update kernel per tile; the
        # fused kernel of blocked_attention_cuda stays as the readable FlashAttention form
        from kernels import tiled_attention

        if out is not None and out.flags.c_contiguous:
            return tiled_attention.attention_rows(q, k, v, causal, scale, out)
        result = array_module(q).empty((*lead, lq, dv), dtype=dtype)
        tiled_attention.attention_rows(q, k, v, causal, scale, result)
        if out is None:
            return result
        out[...] = result
        return out
    compute = accumulator_dtype(dtype)
    batch = math.prod(lead)
    direct = out is not None and out.dtype == compute and out.flags.c_contiguous
    dst = out.reshape(batch, lq, dv) if direct else np.empty((batch, lq, dv), dtype=compute)
    if dst.size:
        qs, ks, vs = (
            np.ascontiguousarray(a.reshape(batch, *a.shape[-2:]), dtype=compute) for a in (q, k, v)
        )
        tiles = batch * -(-lq // _QUERY_TILE)
        kernel = _attention_tiles.for_work(batch * lq * k.shape[-2], tiles)
        with one_blas_thread():
            kernel(qs, ks, vs, dst, compute.type(scale), causal)
    if direct:
        return out
    result = dst.reshape(*lead, lq, dv)
    if out is None:
        return result.astype(dtype, copy=False)
    out[...] = result
    return out


# --- the readable form: one query, the recurrence key by key ------------------------------------


def attention_1query(
    query: Sequence[float],
    keys: Sequence[Sequence[float]],
    values: Sequence[Sequence[float]],
    scale: float,
) -> list[float]:
    """The online recurrence for one query, one key at a time (pure Python; the kernels' model).

    >>> [round(x, 6) for x in attention_1query([1.0, 0.0], [[10.0, 0.0], [0.0, 10.0]], [[1.0, 2.0], [3.0, 4.0]], 1.0)]
    [1.000091, 2.000091]
    """
    m, l, acc = -math.inf, 0.0, [0.0] * len(values[0])
    for key, value in zip(keys, values):
        s = scale * sum(a * b for a, b in zip(query, key))
        m_new = max(m, s)
        alpha, p = math.exp(m - m_new), math.exp(s - m_new)
        l = l * alpha + p
        acc = [a * alpha + p * x for a, x in zip(acc, value)]
        m = m_new
    return [a / l for a in acc]


# --- the fast form ------------------------------------------------------------------------------
#
# Causal work grows with the query tile (tile t sees t + 1 key tiles' worth of keys), and prange
# hands each thread one contiguous range of tasks: in plain order the thread with the last tiles
# would do three quarters of the work on two threads. Tasks visit the tiles first, last, second,
# second to last, ..., so that every run of consecutive tasks holds as much work as any other.
#
# Work is split over (batch, query tile) pairs with prange; each pair streams all its key tiles,
# so workers never share an accumulator. The two matrix products per tile (Q K_j^T and P_j V_j)
# go to BLAS through np.dot; BLAS is held to one thread meanwhile, or its own threads would fight
# numba's for the cores. The exponentials use the vectorised polynomial exp of the softmax
# kernel. Extra memory per worker: S/P (64 x 256), the accumulator (64 x Dv) and a product buffer.


@numba.njit(cache=True, inline="always")
def _zigzag(t, n):
    """Task ``t`` of ``n`` -> tile ``0, n-1, 1, n-2, ...``: a permutation of ``0..n-1``."""
    return t // 2 if t % 2 == 0 else n - 1 - t // 2


@njit_serial_and_parallel(cache=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _attention_tiles(q, k, v, out, scale, causal):
    batch, lq = q.shape[0], q.shape[1]
    lk, dv = v.shape[1], v.shape[2]
    query_tiles = (lq + _QUERY_TILE - 1) // _QUERY_TILE
    for task in prange(batch * query_tiles):
        b, i0 = task // query_tiles, _zigzag(task % query_tiles, query_tiles) * _QUERY_TILE
        i1 = min(i0 + _QUERY_TILE, lq)
        rows = i1 - i0
        q_tile = q[b, i0:i1]
        score_buffer = np.empty(rows * _KEY_TILE, dtype=q.dtype)
        acc = np.zeros((rows, dv), dtype=q.dtype)
        pv = np.empty((rows, dv), dtype=q.dtype)
        m = np.full(rows, -np.inf)
        l = np.zeros(rows)
        key_end = min(lk, i1) if causal else lk  # causal: tiles right of the diagonal are skipped
        for j0 in range(0, key_end, _KEY_TILE):
            j1 = min(j0 + _KEY_TILE, key_end)
            cols = j1 - j0
            s = score_buffer[: rows * cols].reshape(
                rows, cols
            )  # contiguous, as np.dot's out must be
            np.dot(q_tile, k[b, j0:j1].T, s)
            for r in range(rows):
                visible = cols if not causal else min(cols, i0 + r - j0 + 1)
                if visible <= 0:
                    s[r, :] = 0.0  # no key of this tile is visible to query i0 + r
                    continue
                s_row = s[r]
                row_max = -np.inf
                for c in range(visible):
                    s_row[c] *= scale
                    row_max = max(row_max, float(s_row[c]))
                m_new = max(m[r], row_max)
                alpha = math.exp(m[r] - m_new) if m[r] > -np.inf else 0.0
                shift = s_row.dtype.type(m_new)
                row_sum = s_row.dtype.type(0.0)
                for c in range(visible):
                    p = exp_nonpositive(s_row[c] - shift)
                    s_row[c] = p
                    row_sum += p
                s_row[visible:] = 0.0
                l[r] = l[r] * alpha + row_sum
                m[r] = m_new
                if alpha != 1.0:
                    a = acc.dtype.type(alpha)
                    for c in range(dv):
                        acc[r, c] *= a
            np.dot(s, v[b, j0:j1], pv)
            acc += pv
        for r in range(rows):
            inv = acc.dtype.type(1.0 / l[r])
            for c in range(dv):
                out[b, i0 + r, c] = acc[r, c] * inv
