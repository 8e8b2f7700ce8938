"""Linear recurrence: ``h[t] = a[t] * h[t-1] + b[t]`` along one axis, with ``h[-1] = h0``.

Problem. Given ``a`` and ``b`` of the same shape, an ``axis`` and an optional start ``h0`` (the
shape of ``a`` without ``axis``; 0 by default), return every ``h[t]``. This first-order linear
recurrence is the scan behind state-space models (Mamba's selective scan, S4 in recurrent form),
linear attention and exponential moving averages; with a constant ``a`` it is the IIR filter
``scipy.signal.lfilter([1], [1, -a], b)``.

Invariant. Step ``t`` applies the affine map ``h -> a[t] * h + b[t]``. Affine maps compose into
affine maps, ``(a1, b1)`` then ``(a2, b2)`` is ``(a1 * a2, a2 * b1 + b2)``, and composition is
associative, so the recurrence is a scan over pairs: the composed map ``(A[t], B[t])`` of steps
``0..t`` gives ``h[t] = A[t] * h0 + B[t]``. A long row can therefore be cut into blocks: reduce
each block to its map in parallel, run the few maps in order to get each block's starting ``h``,
then run each block's loop from its start in parallel. The GPU form in
:mod:`kernels.recurrence_cuda` scans the pairs with decoupled look-back.

Complexity. O(n) work, span O(n / p + p) on p cores for the blocked form. The ideal kernel reads
``a`` and ``b`` once and writes ``h`` once: 3 * n * itemsize bytes and 2 FLOPs (one fused
multiply-add) per element. One row is one sequential pass, bound by the latency of its
multiply-add chain; the blocked form (its first pass keeps four independent chains in flight per
block) reads ``a`` and ``b`` twice and is kept for machines with cores to spare (``_BLOCKED_MIN``).
Rows, and the columns of a non-last axis, are spread over the cores.

Output dtype: the float dtype of ``a``, ``b`` and ``h0`` combined (integers become floats as in
:func:`kernels._arrays.as_float_array`); float16 is computed in float32.

>>> import numpy as np
>>> linear_recurrence(np.array([0.5, 0.5, 0.5]), np.array([1.0, 1.0, 1.0]))
array([1.  , 1.5 , 1.75])
>>> linear_recurrence(np.array([2.0, 2.0]), np.array([0.0, 1.0]), h0=3.0)
array([ 6., 13.])
"""

import numba
import numpy as np

from kernels._arrays import array_module, as_float_array, is_cupy_array, normalize_axis

# Below this many elements in all, one thread does everything: starting the cores costs more than
# the pass itself. Above it, rows (or column chunks of a non-last axis) are spread over the cores.
_PARALLEL_MIN = 1 << 18
# One long row runs the blocked two-pass form from this length on; None (the default) means never:
# on the 2-core machine measured, with other work running, the single pass won (10^7 float64,
# constant a, ratio to lfilter, min / median of 15 interleaved runs: 4.0x / 2.1x sequential,
# 1.3x / 1.4x blocked; the parallel passes wait on each other whenever a core is taken away).
# All recurrence loops let LLVM contract a * h + b into one fused multiply-add (more accurate, not
# less): the chain's latency per step drops from 1.40 to 0.95 ns (10^6 steps).
_BLOCKED_MIN = None
# Columns per task when a non-last axis is split across cores.
_CHUNK = 512


def linear_recurrence(a, b, h0=None, axis=-1):
    """``h[t] = a[t] * h[t-1] + b[t]`` along ``axis``, ``h[-1] = h0`` (0 when ``None``).

    numpy in -> numpy out (numba CPU kernels); cupy in -> cupy out (numba.cuda kernel).
    """
    a, b, h0, axis = _check_args(a, b, h0, axis)
    if is_cupy_array(b):
        from kernels import recurrence_cuda

        return recurrence_cuda.linear_recurrence_cuda(a, b, h0, axis)
    return _recurrence_numpy(a, b, h0, axis)


# --- the readable solution ------------------------------------------------------------------


def linear_recurrence_list(a, b, h0=0.0):
    """The recurrence over two Python sequences, one step at a time.

    >>> linear_recurrence_list([0.5, 0.5], [2.0, 2.0], h0=4.0)
    [4.0, 4.0]
    """
    h, out = h0, []
    for a_t, b_t in zip(a, b, strict=True):
        h = a_t * h + b_t
        out.append(h)
    return out


# --- the fast forms (numba, CPU) ------------------------------------------------------------


def _recurrence_numpy(
    a, b, h0, axis, parallel_min=_PARALLEL_MIN, blocked_min=_BLOCKED_MIN, block_count=None
):
    """Run the recurrence on validated numpy arrays. Tests pass small ``parallel_min`` /
    ``blocked_min`` (and a ``block_count``) to reach the parallel forms on small inputs."""
    dtype = np.result_type(a.dtype, b.dtype, *(() if h0 is None else (h0.dtype,)))
    work_dtype = np.dtype(np.float32) if dtype == np.float16 else dtype
    shape = b.shape
    n = shape[axis]
    outer = int(np.prod(shape[:axis], dtype=np.int64))
    inner = int(np.prod(shape[axis + 1 :], dtype=np.int64))
    out = np.empty(shape, dtype=work_dtype)
    if out.size == 0:
        return out.astype(dtype)
    a = np.ascontiguousarray(a, dtype=work_dtype)
    b = np.ascontiguousarray(b, dtype=work_dtype)
    if h0 is None:
        start = np.zeros((outer, inner), dtype=work_dtype)
    else:
        start = np.ascontiguousarray(h0, dtype=work_dtype).reshape(outer, inner)
    if inner == 1:
        # Contiguous (outer, n) rows: numba then knows the layout and emits unit-stride loops.
        a2, b2, out2 = a.reshape(outer, n), b.reshape(outer, n), out.reshape(outer, n)
        if blocked_min is not None and n >= blocked_min:
            blocks = block_count or 4 * numba.get_num_threads()
            for row in range(outer):
                _recurrence_row_blocked(
                    a2[row], b2[row], out2[row], start[row, 0], blocks, work_dtype.type(1)
                )
        elif outer > 1 and outer * n >= parallel_min:
            _recurrence_rows_parallel(a2, b2, out2, start[:, 0])
        else:
            _recurrence_rows(a2, b2, out2, start[:, 0])
    else:
        # (outer, n, inner): the recurrence runs along the middle axis without a transpose.
        a3, b3, out3 = (v.reshape(outer, n, inner) for v in (a, b, out))
        middle = _recurrence_middle_parallel if out.size >= parallel_min else _recurrence_middle
        middle(a3, b3, out3, start)
    return out if dtype == work_dtype else out.astype(dtype)


@numba.njit(cache=True, inline="always")
def _run_span(a, b, out, lo, hi, h):
    for t in range(lo, hi):
        h = a[t] * h + b[t]
        out[t] = h
    return h


@numba.njit(cache=True, fastmath={"contract"})
def _recurrence_rows(a, b, out, start):
    for r in range(a.shape[0]):
        _run_span(a[r], b[r], out[r], 0, a.shape[1], start[r])


@numba.njit(cache=True, parallel=True, fastmath={"contract"})
def _recurrence_rows_parallel(a, b, out, start):
    for r in numba.prange(a.shape[0]):
        _run_span(a[r], b[r], out[r], 0, a.shape[1], start[r])


@numba.njit(cache=True, parallel=True, fastmath={"contract"})
def _recurrence_row_blocked(a, b, out, h0, blocks, one):
    """Two passes over one long row: each block's composed map in parallel, the maps run in order
    for the block starts, then each block's loop from its start in parallel."""
    n = a.shape[0]
    size = (n + blocks - 1) // blocks
    maps_a = np.empty(blocks, dtype=out.dtype)
    maps_b = np.empty(blocks, dtype=out.dtype)
    for k in numba.prange(blocks):
        maps_a[k], maps_b[k] = _affine_reduce(a, b, k * size, min(n, (k + 1) * size), one)
    starts = np.empty(blocks, dtype=out.dtype)
    h = h0
    for k in range(blocks):
        starts[k] = h
        h = maps_a[k] * h + maps_b[k]
    for k in numba.prange(blocks):
        _run_span(a, b, out, k * size, min(n, (k + 1) * size), starts[k])


@numba.njit(cache=True, inline="always")
def _affine_reduce(a, b, lo, hi, one):
    """The composed map of steps ``lo..hi-1``. Four quarters run as independent chains in one loop,
    so the multiply-add latency overlaps; the quarters and the tail are composed in order."""
    q = max(0, hi - lo) // 4
    a0 = a1 = a2 = a3 = one
    b0 = b1 = b2 = b3 = one - one
    for i in range(lo, lo + q):
        a0, b0 = a0 * a[i], a[i] * b0 + b[i]
        j = i + q
        a1, b1 = a1 * a[j], a[j] * b1 + b[j]
        j += q
        a2, b2 = a2 * a[j], a[j] * b2 + b[j]
        j += q
        a3, b3 = a3 * a[j], a[j] * b3 + b[j]
    acc_a, acc_b = a0 * a1, a1 * b0 + b1
    acc_a, acc_b = acc_a * a2, a2 * acc_b + b2
    acc_a, acc_b = acc_a * a3, a3 * acc_b + b3
    for i in range(lo + 4 * q, hi):
        acc_a, acc_b = acc_a * a[i], a[i] * acc_b + b[i]
    return acc_a, acc_b


@numba.njit(cache=True, fastmath={"contract"})
def _recurrence_middle(a, b, out, start):
    """Along axis 1 of ``(outer, n, inner)``: the inner loop runs over contiguous columns, each an
    independent recurrence, so it vectorises."""
    for o in range(a.shape[0]):
        _middle_chunk(a, b, out, start, o, 0, a.shape[2])


@numba.njit(cache=True, parallel=True, fastmath={"contract"})
def _recurrence_middle_parallel(a, b, out, start):
    """The same, split into column chunks of every outer slice for the cores."""
    outer, inner = a.shape[0], a.shape[2]
    chunks = (inner + _CHUNK - 1) // _CHUNK
    for task in numba.prange(outer * chunks):
        _middle_chunk(a, b, out, start, task // chunks, (task % chunks) * _CHUNK, _CHUNK)


@numba.njit(cache=True, inline="always")
def _middle_chunk(a, b, out, start, o, lo, width):
    n, inner = a.shape[1], a.shape[2]
    hi = min(inner, lo + width)
    for j in range(lo, hi):
        out[o, 0, j] = a[o, 0, j] * start[o, j] + b[o, 0, j]
    for t in range(1, n):
        for j in range(lo, hi):
            out[o, t, j] = a[o, t, j] * out[o, t - 1, j] + b[o, t, j]


# --- small private helpers ------------------------------------------------------------------


def _check_args(a, b, h0, axis):
    """Validate once for both routes: float arrays of one module, equal shapes, ``h0`` the shape
    without ``axis`` (a scalar only for 1-d input)."""
    a = as_float_array("a", a)
    b = as_float_array("b", b)
    if is_cupy_array(a) != is_cupy_array(b):
        raise TypeError("a and b must both be numpy arrays or both be cupy arrays")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.ndim == 0:
        raise ValueError("a and b must have at least one dimension, got 0-d arrays")
    axis = normalize_axis(axis, a.ndim)
    if h0 is not None:
        if is_cupy_array(h0) and not is_cupy_array(b):
            raise TypeError("h0 must be a numpy array (or scalar) when a and b are numpy arrays")
        h0 = as_float_array("h0", h0)
        if is_cupy_array(b) and not is_cupy_array(h0):
            h0 = array_module(b).asarray(h0)
        outer = tuple(n for i, n in enumerate(a.shape) if i != axis)
        if h0.shape != outer:
            raise ValueError(
                f"h0 must have shape {outer} (a's shape without axis {axis}), got {h0.shape}"
            )
    return a, b, h0, axis
