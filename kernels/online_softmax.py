"""Online softmax: ``softmax``, ``log_softmax`` and ``logsumexp`` in one read pass and one write pass.

Problem. ``softmax(x)_i = exp(x_i) / sum_j exp(x_j)`` along an axis. Computed as written, ``exp``
overflows for ``x_i > 88`` in float32; the textbook fix shifts by the maximum ``m`` first
(``exp(x_i - m)``: the largest term is 1, the sum lies in ``[1, n]``), which costs an extra pass
over the data: max pass, exp-and-sum pass, write pass.

The online recurrence (Milakov and Gimelshein, 2018) folds the first two passes into one. Keep a
running maximum ``m`` and a normaliser ``s = sum_{j seen} exp(x_j - m)``; on a new value ``x``::

    m' = max(m, x)
    s' = s * exp(m - m') + exp(x - m')

Invariant: after any prefix, ``s = sum exp(x_j - m)`` with ``m`` the prefix maximum, so every term
is at most 1 and ``s`` lies in ``[1, prefix length]``: nothing overflows, and the rescale factor
``exp(m - m') <= 1`` only ever shrinks ``s``. At the end ``logsumexp = m + log(s)``, and one write
pass gives ``softmax = exp(x - m) / s`` or ``log_softmax = x - m - log(s)``.

Ideal traffic: one read of ``x`` and one write of the output (``2 n`` elements for softmax and
log_softmax, ``n`` read for logsumexp), ``O(1)`` extra memory per row; the three-pass form reads
``x`` three times. Work is ``O(n)``, rows run in parallel above the size set in
:mod:`kernels._parallel`. (Softmax rows of up to ``CACHED_ROW_LENGTH`` values, 64 KiB of float32,
stay in L2: the kernel reads such a row for its maximum first and then again from cache, still
one read from memory; see the notes above the kernels.)

Edge cases follow :mod:`kernels.reference`: a slice of all ``-inf`` gives ``logsumexp = -inf`` and
NaN for softmax / log_softmax; a ``+inf`` entry gives ``logsumexp = +inf`` and softmax NaN at the
``+inf`` entries, 0 elsewhere; NaN makes the slice NaN. float16 is computed in float32; sums of
blocks of 1024 float32 terms are added into a float64 total.

Speed: ``benchmarks/bench_online_softmax.py`` (class ``Softmax``) times the kernel beside
``scipy.special.softmax`` and ``np.copyto`` of the same array, the memory-bound ceiling; the
figures for a machine come from ``python -m benchmarks.report``.

>>> import numpy as np
>>> softmax(np.array([1.0, 2.0, 3.0]))
array([0.09003057, 0.24472847, 0.66524096])
>>> float(logsumexp(np.array([1000.0, 1000.0]))) == 1000.0 + float(np.log(2.0))
True
>>> log_softmax(np.array([[0.0, 0.0], [-np.inf, 0.0]], dtype=np.float32))
array([[-0.6931472, -0.6931472],
       [      -inf,  0.       ]], dtype=float32)
"""

import math
from collections.abc import Iterable

import numba
import numpy as np
import numpy.typing as npt
from numba import prange, types
from numba.extending import overload

from kernels._arrays import is_cupy_array
from kernels._checks import as_float_array, check_out, normalize_axis
from kernels._dtypes import accumulator_dtype
from kernels._fastmath import exp_nonpositive, float32_bits_as_int32, int32_bits_as_float32
from kernels._parallel import njit_serial_and_parallel

__all__ = ["log_softmax", "logsumexp", "online_logsumexp_1d", "softmax"]

_SOFTMAX, _LOG_SOFTMAX = 0, 1


def softmax(x: npt.ArrayLike, axis: int = -1, *, out: np.ndarray | None = None) -> np.ndarray:
    """``exp(x - logsumexp(x))`` along ``axis``; same shape and dtype as ``x`` (cupy in, cupy out).

    ``out``: an array of ``x``'s shape and float dtype to write to (and return). It may be ``x``
    itself (each element is read before it is written); any other overlap with ``x`` raises
    ``ValueError``.
    """
    return _rowwise(x, axis, "softmax", out)


def log_softmax(x: npt.ArrayLike, axis: int = -1, *, out: np.ndarray | None = None) -> np.ndarray:
    """``x - logsumexp(x)`` along ``axis``; same shape and dtype as ``x`` (cupy in, cupy out).

    ``out``: as for :func:`softmax`; it may be ``x`` itself.
    """
    return _rowwise(x, axis, "log_softmax", out)


def logsumexp(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """``log(sum(exp(x)))`` along ``axis``, which is removed from the shape; dtype of ``x``."""
    return _rowwise(x, axis, "logsumexp")


def _rowwise(x, axis, kind, out=None):
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    out = check_out(out, x.shape, x.dtype, {"x": x}, in_place=("x",))
    if is_cupy_array(x):
        from kernels import online_softmax_cuda

        return online_softmax_cuda.launch(x, axis, kind, out)
    moved = np.moveaxis(x, axis, -1)
    outer, n = moved.shape[:-1], moved.shape[-1]
    rows = np.ascontiguousarray(
        moved.reshape(math.prod(outer), n), dtype=accumulator_dtype(x.dtype)
    )
    lse = np.empty(rows.shape[0], dtype=rows.dtype)
    if kind == "logsumexp":
        _logsumexp_rows.for_work(rows.size, rows.shape[0])(rows, lse)
        return lse.reshape(outer).astype(x.dtype, copy=False)
    # straight into out where it has the rows' layout and dtype, else through a buffer
    direct = (
        out is not None
        and axis == x.ndim - 1
        and out.flags.c_contiguous
        and out.dtype == rows.dtype
    )
    dst = out.reshape(rows.shape) if direct else np.empty_like(rows)
    normalise = _normalise_rows.for_work(rows.size, rows.shape[0])
    normalise(rows, lse, dst, _SOFTMAX if kind == "softmax" else _LOG_SOFTMAX)
    if direct:
        return out
    with np.errstate(over="ignore"):  # a float16 log_softmax below -65504 is -inf, as numpy casts
        result = np.moveaxis(dst.reshape(moved.shape), -1, axis)
        if out is None:
            return result.astype(x.dtype, copy=False)
        out[...] = result
    return out


# --- the readable form: one row, the recurrence exactly as stated --------------------------------


def online_logsumexp_1d(row: Iterable[float]) -> float:
    """The online recurrence on one row, element by element (pure Python; the kernels' model).

    >>> round(online_logsumexp_1d([1.0, 3.0, 2.0]), 10)  # log(e + e**3 + e**2)
    3.4076059644
    """
    m, s = -math.inf, 0.0
    for x in row:
        m_new = max(m, x)
        if m_new == -math.inf:  # only -inf so far: nothing to add, and -inf - -inf is NaN
            continue
        s = s * math.exp(m - m_new) + math.exp(x - m_new)
        m = m_new
    return m + math.log(s) if s > 0 else -math.inf


# --- the fast form ----------------------------------------------------------------------------
#
# Vectorisation. The exponentials go through kernels._fastmath.exp_nonpositive, which LLVM
# vectorises. A strict per-element ``m' = max(m, x)`` would need two exps per element and a
# loop-carried dependence; instead each row is cut into blocks of ``_BLOCK`` values (4 KiB of
# float32, in L1): a vectorised max over the block, one rescale of the sum if the maximum grew,
# then a vectorised exp-and-sum over the block while it is still in L1. Memory is read once; the
# recurrence is applied per block instead of per element, the same invariant with a coarser step.
# The block sum is a float32 reduction (``fastmath`` reassociation lets LLVM split it over vector
# lanes) added to a float64 total, so rounding error grows with the block length, not the row's.
#
# The max of a float32 block is taken on integer keys (below): a float compare-and-select loop
# does not vectorise, because of NaN ordering; an int32 max does.
#
# Softmax. The read pass also stores p = exp(x - m_b) (m_b the running maximum of block b) in the
# output, and the write pass only multiplies each block by exp(m_b - m) / s instead of evaluating
# exp again: one exp per element, one read of x and one write of the output from memory. For rows
# that stay in L2 (up to CACHED_ROW_LENGTH values) a plain max pass comes first, then
# exp-store-sum with one shift and one scale pass: the second read of x hits cache and the
# per-block bookkeeping goes. Longer rows, and rows whose maximum is +-inf or NaN, keep the online
# form. Both forms are timed by benchmarks/bench_online_softmax.py.

_BLOCK = 1024
CACHED_ROW_LENGTH = 16384  # softmax rows up to this length (64 KiB of float32) take three passes
_FASTMATH = {"reassoc", "contract"}  # no nnan / ninf: NaN and inf must keep their meaning


@njit_serial_and_parallel(cache=True, error_model="numpy")
def _logsumexp_rows(rows, lse):
    no_store = np.empty(0, dtype=rows.dtype)
    for r in prange(rows.shape[0]):
        m, s = _row_max_and_sum(rows[r], no_store, np.empty(0))
        lse[r] = m + math.log(s)


@njit_serial_and_parallel(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _normalise_rows(rows, lse, out, kind):
    n = rows.shape[1]
    for r in prange(rows.shape[0]):
        row, dst = rows[r], out[r]
        if kind == _LOG_SOFTMAX:
            m, s = _row_max_and_sum(row, dst[:0], np.empty(0))
            lse[r] = m + math.log(s)
            # (x - m) - log(s), not x - (m + log s): for m = 1e30 the latter loses log(s) entirely
            shift, log_s = row.dtype.type(m), row.dtype.type(math.log(s))
            for j in range(n):
                dst[j] = (row[j] - shift) - log_s
            continue
        if 0 < n <= CACHED_ROW_LENGTH:
            # a row that stays in L2: max pass, then exp-store-sum, then scale (x comes from memory
            # once, the later passes read cache). A NaN that loses the max reaches s through exp.
            m = float(_block_max(row))
            if -math.inf < m < math.inf:
                shift, s = row.dtype.type(m), 0.0
                for start in range(0, n, _BLOCK):
                    block, p = row[start : start + _BLOCK], dst[start : start + _BLOCK]
                    block_sum = row.dtype.type(0.0)
                    for j in range(block.shape[0]):
                        p[j] = exp_nonpositive(block[j] - shift)
                        block_sum += p[j]
                    s += block_sum
                lse[r] = m + math.log(s)
                f = row.dtype.type(1.0 / s)
                for j in range(n):
                    dst[j] *= f
                continue
        # longer rows, and rows whose maximum is +-inf or NaN: the read pass leaves p = exp(x - m_b)
        # in dst, m_b the running maximum when block b was read; the write pass only rescales each
        # block by exp(m_b - m) / s (no second exp).
        shifts = np.empty((n + _BLOCK - 1) // _BLOCK)
        m, s = _row_max_and_sum(row, dst, shifts)
        lse[r] = m + math.log(s)
        if m == -math.inf:  # all -inf: 0 / 0
            dst[:] = np.nan
            continue
        inv = 1.0 / s  # NaN if the row holds a NaN
        for b in range(shifts.shape[0]):
            if m == math.inf:  # exp(x - inf): NaN at the +inf entries (stored), 0 elsewhere
                factor = inv if shifts[b] == math.inf else 0.0 * inv
            elif shifts[b] == -math.inf:  # only -inf (p = 0) had been seen when this block was read
                factor = 0.0 * inv
            else:
                factor = math.exp(shifts[b] - m) * inv
            f = row.dtype.type(factor)
            block = dst[b * _BLOCK : min((b + 1) * _BLOCK, n)]
            for j in range(block.shape[0]):
                block[j] *= f


@numba.njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _row_max_and_sum(row, exps, shifts):
    """``(m, s)`` with ``m`` the row maximum and ``s = sum exp(row - m)``, in one read of ``row``.

    If ``exps`` has the row's length, ``exps[j] = exp(row[j] - shifts[b])`` is stored on the way,
    ``shifts[b]`` being the running maximum when block ``b`` was read (``-inf``: nothing but -inf
    seen yet, and then the stored values are ``exp(row[j])``, 0 for the -inf entries).

    Special rows: all ``-inf`` (or empty) -> ``(-inf, 0)``; a ``+inf`` entry -> ``(inf, 1)`` (the
    normaliser of ``exp(x - inf)``), or ``(inf, NaN)`` if the row also holds a NaN. Any other NaN
    reaches ``s`` through ``exp``, whatever the max made of it.
    """
    n = row.shape[0]
    store = exps.shape[0] == n and n > 0
    m = -math.inf
    s = 0.0
    for b, start in enumerate(range(0, n, _BLOCK)):
        block = row[start : min(start + _BLOCK, n)]
        block_max = float(_block_max(block))
        if block_max > m:  # the recurrence's step: s' = s * exp(m - m')
            if m > -math.inf:
                s *= math.exp(m - block_max)
            m = block_max
        shift = row.dtype.type(m if m > -math.inf else 0.0)  # all -inf so far: exp(-inf - 0) = 0
        block_sum = row.dtype.type(0.0)
        if store:
            shifts[b] = m
            out = exps[start : start + block.shape[0]]
            for j in range(block.shape[0]):
                p = exp_nonpositive(block[j] - shift)
                out[j] = p
                block_sum += p
        else:
            for j in range(block.shape[0]):
                block_sum += exp_nonpositive(block[j] - shift)
        s += block_sum
    if m == math.inf:
        s = 1.0
        for j in range(n):
            if math.isnan(row[j]):
                s = math.nan
    return m, s


def _block_max(block):
    """Maximum of a non-empty block; NaN may or may not win (callers catch NaN through exp)."""
    raise NotImplementedError("only callable from numba-compiled code")


@overload(_block_max)
def _block_max_overload(block):
    if block.dtype == types.float32:
        return _block_max_float32
    return lambda block: block.max()


def _block_max_float32(block):
    # A float compare-and-select max does not vectorise (NaN ordering); an int32 max does. Mapping
    # the float's bits i -> i ^ ((i >> 31) & 0x7fffffff) keeps positive floats in place and
    # reverses negative ones, so the integer order is the float order (-inf lowest, +inf highest).
    best = np.int32(-2147483648)
    for j in range(block.shape[0]):
        bits = float32_bits_as_int32(block[j])
        key = np.int32(bits ^ ((bits >> 31) & 0x7FFFFFFF))
        best = key if key > best else best
    return int32_bits_as_float32(np.int32(best ^ ((best >> 31) & 0x7FFFFFFF)))
