"""Linear attention: softmax's ``exp(q . k)`` replaced by a feature-map product ``phi(q) . phi(k)``.

Problem. Attention weighs value ``v_j`` for query ``q_i`` by ``exp(q_i . k_j)``, normalised over
the keys; every query meets every key, ``O(Lq Lk D)``. Katharopoulos et al. ("Transformers are
RNNs", 2020) weigh it by ``phi(q_i) . phi(k_j)`` instead, with ``phi(x) = elu(x) + 1 > 0``::

    y_i = sum_j (phi(q_i) . phi(k_j)) v_j / sum_j phi(q_i) . phi(k_j)
        = phi(q_i)^T S / phi(q_i)^T z,     S = sum_j phi(k_j) v_j^T  (D x Dv),  z = sum_j phi(k_j)

Associativity is the whole trick: ``(phi(Q) phi(K)^T) V = phi(Q) (phi(K)^T V)``, so the ``Lq x Lk``
weights are never formed and the cost is ``O((Lq + Lk) D Dv)``. Causal (query ``i`` sees keys
``j <= i``) makes ``S`` and ``z`` running sums, a recurrent network with a ``D x Dv`` state::

    S_t = S_{t-1} + phi(k_t) v_t^T,   z_t = z_{t-1} + phi(k_t),   y_t = phi(q_t)^T S_t / phi(q_t)^T z_t

Invariant of the chunked form: before chunk ``c`` (rows ``c0 .. c1-1``), ``S`` and ``z`` hold the
sums over keys ``j < c0`` exactly; inside the chunk the masked ``phi(Q_c) phi(K_c)^T`` (a ``C x C``
block) supplies the keys ``c0 <= j <= i``. So one pass of matrix products of chunk size does the
scan: ``2 C^2 (D + Dv) + 4 C D Dv`` flops per chunk of ``C`` rows, ``O(C^2 + D Dv)`` extra memory
per worker, whatever the length. The non-causal form is three matrix products,
``phi(K)^T V``, ``phi(Q) (phi(K)^T V)`` and ``phi(Q) z``: ``2 (Lq + Lk) D Dv`` flops.

Shapes as :func:`kernels.attention`: ``q (..., Lq, D)``, ``k (..., Lk, D)``, ``v (..., Lk, Dv)``,
``Lk >= 1``; the result has the float dtype of the three inputs combined, float16 is computed in
float32.

>>> import numpy as np
>>> q = k = np.zeros((3, 2))  # phi(0) = 1: every visible key weighs the same
>>> v = np.array([[3.0], [6.0], [9.0]])
>>> linear_attention(q, k, v)  # the mean of all values
array([[6.],
       [6.],
       [6.]])
>>> linear_attention(q, k, v, causal=True)  # the mean of the values seen so far
array([[3. ],
       [4.5],
       [6. ]])
"""

import math
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt
from numba import prange

from kernels._arrays import is_cupy_array
from kernels._checks import check_linear_attention_args
from kernels._dtypes import accumulator_dtype
from kernels._fastmath import exp_nonpositive
from kernels._parallel import one_blas_thread

__all__ = ["linear_attention", "linear_attention_recurrent"]

_EXP_FLUSH = -87.0  # below this the polynomial exp of kernels._fastmath returns 0
_CHUNK = 64  # rows per chunk: the masked C x C block and the D x Dv state are both small
# Rows per matrix product where no C x C block is formed (summing keys into the state, answering
# queries from it): fewer, larger BLAS calls, and still a small scratch block per worker.
_WIDE_CHUNK = 512
_TASKS = 8  # a causal batch smaller than this is also cut along time into segments ...
_MIN_SEGMENT = 1024  # ... of at least this many rows, so that the extra pass pays


def linear_attention(
    q: npt.ArrayLike,
    k: npt.ArrayLike,
    v: npt.ArrayLike,
    *,
    causal: bool = False,
    feature_map: str = "elu",
) -> np.ndarray:
    """``phi(q) phi(k)^T`` attention of ``q (..., Lq, D)`` over ``k``, ``v`` -> ``(..., Lq, Dv)``."""
    q, k, v, causal, feature_map = check_linear_attention_args(q, k, v, causal, feature_map)
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    compute = accumulator_dtype(dtype)
    lead, lq, dv = q.shape[:-2], q.shape[-2], v.shape[-1]
    batch = math.prod(lead)
    if is_cupy_array(q):  # check_linear_attention_args refuses a mix
        import cupy

        from kernels import kernelized_attention_cuda as gpu

        qs, ks, vs = (
            cupy.ascontiguousarray(a.reshape(batch, *a.shape[-2:]), dtype=compute)
            for a in (q, k, v)
        )
        out = cupy.empty((batch, lq, dv), dtype=compute)
        gpu.launch(qs, ks, vs, causal, out, None)
        return out.reshape(*lead, lq, dv).astype(dtype, copy=False)
    out = np.empty((batch, lq, dv), dtype=compute)
    if out.size:
        qs, ks, vs = (
            np.ascontiguousarray(a.reshape(batch, *a.shape[-2:]), dtype=compute) for a in (q, k, v)
        )
        with one_blas_thread():
            if causal:
                _causal_chunks(qs, ks, vs, out, _segments(batch, lq))
            else:
                _non_causal(qs, ks, vs, out)
    return out.reshape(*lead, lq, dv).astype(dtype, copy=False)


def _segments(batch, length):
    """Segments per batch entry along time: enough tasks for parallel workers, none too short."""
    return max(1, min(-(-_TASKS // batch), length // _MIN_SEGMENT))


# --- the readable form: the recurrent network, one step at a time ------------------------------


def linear_attention_recurrent(
    queries: Sequence[Sequence[float]],
    keys: Sequence[Sequence[float]],
    values: Sequence[Sequence[float]],
) -> list[list[float]]:
    """Causal linear attention as the recurrence on ``S`` and ``z`` (pure Python; the model of
    the kernels), for equal numbers of queries and keys.

    >>> linear_attention_recurrent([[0.0], [0.0]], [[0.0], [0.0]], [[2.0], [4.0]])
    [[2.0], [3.0]]
    """

    def phi(row):
        return [x + 1.0 if x > 0 else math.exp(x) for x in row]

    d, dv = len(keys[0]), len(values[0])
    S = [[0.0] * dv for _ in range(d)]
    z = [0.0] * d
    out = []
    for query, key, value in zip(queries, keys, values):
        fk, fq = phi(key), phi(query)
        for a in range(d):
            z[a] += fk[a]
            for e in range(dv):
                S[a][e] += fk[a] * value[e]
        den = sum(fq[a] * z[a] for a in range(d))
        out.append([sum(fq[a] * S[a][e] for a in range(d)) / den for e in range(dv)])
    return out


# --- the fast forms -----------------------------------------------------------------------------
#
# Non-causal: the keys are summed into (S, z) by segments in parallel (each segment in chunks of
# rows, phi applied on the way), the segment sums added, and the queries answered in parallel
# chunks, phi(Q_c) S / phi(Q_c) z. The matrix products are BLAS calls on chunk-sized blocks, one
# BLAS thread per numba thread: no O(N) temporaries, and the parallelism does not depend on
# whether BLAS threads a tall, thin product well.
#
# Causal: one task per (batch entry, segment of time). With one segment per entry a task runs the
# chunked scan from zero. With several (a small batch), a first parallel pass sums each segment's
# keys into its own (S, z), a serial prefix over the few segments gives each segment the state it
# starts from, and a second parallel pass runs the chunked scan of every segment from that state:
# reduce, then scan, the two-level form of every parallel scan (the one of kernels.scan, over
# D x Dv matrices under addition). The extra pass costs 2 Lk D Dv flops; the extra memory is one
# state per task, independent of the length.


def _non_causal(q, k, v, out):
    """``phi(Q) [S | z]`` per batch entry: segment sums of the keys, then chunks of queries."""
    batch, lk, d = k.shape
    segments = _segments(batch, lk)
    per_segment = -(-lk // segments)
    seg_len = -(-per_segment // _CHUNK) * _CHUNK
    states = np.zeros((batch, segments, d, v.shape[2]), dtype=q.dtype)
    sums = np.zeros((batch, segments, d), dtype=q.dtype)
    _segment_sums(k, v, seg_len, states, sums)
    _apply_states(q, states.sum(axis=1), sums.sum(axis=1), out)


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _apply_states(q, states, sums, out):
    batch, lq = q.shape[0], q.shape[1]
    chunks = (lq + _WIDE_CHUNK - 1) // _WIDE_CHUNK
    for task in prange(batch * chunks):
        b, c0 = task // chunks, (task % chunks) * _WIDE_CHUNK
        c1 = c0 + _WIDE_CHUNK
        _apply_state(q[b, c0:c1], states[b], sums[b], out[b, c0:c1])


@numba.njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _apply_state(q, state, z, out):
    """``out_i = phi(q_i)^T state / phi(q_i) . z`` for the rows of one chunk."""
    rows, d = q.shape
    phi_q = np.empty((rows, d), dtype=q.dtype)
    _phi_block(q, phi_q)
    num = np.empty((rows, state.shape[1]), dtype=q.dtype)
    np.dot(phi_q, state, num)
    for i in range(rows):
        den = q.dtype.type(0.0)
        for a in range(d):
            den += phi_q[i, a] * z[a]
        inv = q.dtype.type(1.0) / den
        for e in range(num.shape[1]):
            out[i, e] = num[i, e] * inv


@numba.njit(inline="always")
def _phi_scalar(x):
    return x + 1 if x > 0 else math.exp(x)


@numba.njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _phi_block(x, out):
    """``out = phi(x)`` for a 2-d block, in a loop that vectorises.

    ``phi(x) = exp(min(x, 0)) + max(x, 0)`` is ``elu(x) + 1`` without a branch (``exp(0) = 1``),
    with the polynomial exp of :mod:`kernels._fastmath`. That exp flushes to 0 below -87, where
    float32's ``exp`` is subnormal but not 0; a block with a value there (counted on the way) is
    done again with ``math.exp``, so that a query whose features are all that negative still has
    a normaliser above 0, as in the reference.
    """
    zero = x.dtype.type(0.0)
    flush = x.dtype.type(_EXP_FLUSH)
    below = 0
    for i in range(x.shape[0]):
        for a in range(x.shape[1]):
            v = x[i, a]
            negative = zero if v > zero else v  # NaN and -inf stay: exp gives NaN and 0
            positive = v if v > zero else zero
            out[i, a] = exp_nonpositive(negative) + positive
            below += v < flush  # an integer count vectorises; a float minimum would not
    if below:
        for i in range(x.shape[0]):
            for a in range(x.shape[1]):
                out[i, a] = _phi_scalar(x[i, a])


def _causal_chunks(q, k, v, out, segments):
    """Causal linear attention of ``(batch, L, D)`` arrays, each entry cut into ``segments``."""
    batch, lq, d = q.shape
    dv = v.shape[2]
    per_segment = -(-lq // segments)
    seg_len = -(-per_segment // _CHUNK) * _CHUNK  # a whole number of chunks
    states = np.zeros((batch, segments, d, dv), dtype=q.dtype)
    sums = np.zeros((batch, segments, d), dtype=q.dtype)
    if segments > 1:
        # 1. every segment but the last sums its own keys; 2. an exclusive prefix over the few
        # segments gives each one the state it starts from
        _segment_sums(k, v, seg_len, states[:, :-1], sums[:, :-1])
        states[:, 1:] = np.cumsum(states[:, :-1], axis=1)
        sums[:, 1:] = np.cumsum(sums[:, :-1], axis=1)
        states[:, 0] = 0
        sums[:, 0] = 0
    # 3. the chunked scan of each segment from its starting state
    _scan_segments(q, k, v, out, seg_len, states, sums)


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _segment_sums(k, v, seg_len, states, sums):
    batch, segments = states.shape[0], states.shape[1]
    for task in prange(batch * segments):
        b, s = task // segments, task % segments
        lo, hi = s * seg_len, min((s + 1) * seg_len, k.shape[1])
        _sum_keys(k[b], v[b], lo, hi, states[b, s], sums[b, s])


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _scan_segments(q, k, v, out, seg_len, states, sums):
    batch, segments = states.shape[0], states.shape[1]
    for task in prange(batch * segments):
        b, s = task // segments, task % segments
        lo, hi = s * seg_len, min((s + 1) * seg_len, q.shape[1])
        _scan_segment(q[b], k[b], v[b], out[b], lo, hi, states[b, s], sums[b, s])


@numba.njit(cache=True, error_model="numpy")
def _sum_keys(k, v, lo, hi, state, z):
    """``state += sum_j phi(k_j) v_j^T``, ``z += sum_j phi(k_j)`` over keys ``lo <= j < hi``."""
    phi_k = np.empty((_WIDE_CHUNK, k.shape[1]), dtype=k.dtype)
    update = np.empty_like(state)
    for c0 in range(lo, hi, _WIDE_CHUNK):
        keys = min(c0 + _WIDE_CHUNK, hi) - c0
        _add_keys(k[c0 : c0 + keys], v[c0 : c0 + keys], phi_k[:keys], update, state, z)


@numba.njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _scan_segment(q, k, v, out, lo, hi, state, z):
    """Rows ``lo <= i < hi`` of one batch entry, ``state`` and ``z`` holding the keys ``j < lo``."""
    lk, d, dv = k.shape[0], q.shape[1], v.shape[1]
    phi_q = np.empty((_CHUNK, d), dtype=q.dtype)
    phi_k = np.empty((_CHUNK, d), dtype=q.dtype)
    score_buffer = np.empty(_CHUNK * _CHUNK, dtype=q.dtype)
    num = np.empty((_CHUNK, dv), dtype=q.dtype)
    within = np.empty((_CHUNK, dv), dtype=q.dtype)
    update = np.empty((d, dv), dtype=q.dtype)
    den = np.empty(_CHUNK, dtype=q.dtype)
    for c0 in range(lo, hi, _CHUNK):
        rows = min(c0 + _CHUNK, hi) - c0
        keys = max(min(c0 + _CHUNK, lk) - c0, 0)
        fq = phi_q[:rows]
        _phi_block(q[c0 : c0 + rows], fq)
        # the keys before the chunk, through the carried state
        np.dot(fq, state, num[:rows])
        for i in range(rows):
            acc = q.dtype.type(0.0)
            for a in range(d):
                acc += fq[i, a] * z[a]
            den[i] = acc
        if keys > 0:
            fk = phi_k[:keys]
            _phi_block(k[c0 : c0 + keys], fk)
            # the keys inside the chunk, through the masked C x C block
            scores = score_buffer[: rows * keys].reshape(rows, keys)
            np.dot(fq, fk.T, scores)
            for i in range(rows):
                acc = q.dtype.type(0.0)
                for j in range(keys):
                    if j > i:
                        scores[i, j] = 0.0
                    acc += scores[i, j]
                den[i] += acc
            np.dot(scores, v[c0 : c0 + keys], within[:rows])
            num[:rows] += within[:rows]
            _add_keys_phi(fk, v[c0 : c0 + keys], update, state, z)
        for i in range(rows):
            inv = q.dtype.type(1.0) / den[i]
            for e in range(dv):
                out[c0 + i, e] = num[i, e] * inv


@numba.njit(cache=True, error_model="numpy")
def _add_keys(keys, values, phi_k, update, state, z):
    """``state += phi(keys)^T values``, ``z += sum phi(keys)``, with ``phi_k`` as scratch."""
    _phi_block(keys, phi_k)
    _add_keys_phi(phi_k, values, update, state, z)


@numba.njit(cache=True, error_model="numpy")
def _add_keys_phi(phi_k, values, update, state, z):
    np.dot(phi_k.T, values, update)
    state += update
    for j in range(phi_k.shape[0]):
        for a in range(phi_k.shape[1]):
            z[a] += phi_k[j, a]
