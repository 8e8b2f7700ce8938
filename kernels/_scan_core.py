"""The scan core behind :func:`kernels.scan` and :func:`kernels.linear_recurrence` (CPU half).

Both are one associative scan over different states: a prefix scan carries a value and combines
it with the next element (``acc op x[t]``); the linear recurrence carries the affine map
``h -> a * h + b``, and maps compose associatively. A scan instance supplies four things:

* ``step(state, inputs, o, t, j)``: the state after element ``(o, t, j)``, where ``inputs`` is a
  tuple of ``(outer, n, inner)`` arrays and the scan runs along the middle axis (used when
  ``inner > 1``);
* the state before the first element of every column, ``start`` of shape ``(outer, inner)`` (the
  identity of ``op``, or ``h0``);
* whether the output at ``t`` is the state after element ``t`` (inclusive) or before it;
* ``block(state, rows, out, o, t, count, inclusive)`` (used when ``inner == 1``, the rows of
  the last axis): the scan of the ``count`` elements
  ``t .. t + count - 1`` of row ``o`` (at most :data:`GROUP`; fewer only at the end of a row),
  for ``rows`` and ``out`` of shape ``(outer, n)``: it writes their outputs and returns the state
  after them, reading all its inputs before it writes, so ``out`` may be an input.

On the CPU each row is one pass from its start, so the state is the running value itself.
Element by element, a row is a chain of dependent operations: each step waits for the previous
one's result (four cycles for a floating-point add), slower than memory delivers the data. The
block breaks the chain: it first combines its ``GROUP`` inputs among themselves (the local
prefix, or for the recurrence the composed maps ``(A_j, B_j)`` of its first ``j + 1`` steps),
which does not depend on the state and so overlaps the previous block, and then applies the
incoming state to each, one dependent operation per block instead of one per element. The pass
still reads each input once and writes each output once. The rounding differs from the
element-by-element order (a float sum is grouped ``state + (x0 + ... + xj)``), within the same
error bounds (:mod:`kernels.tolerances`); integer sums, ``max`` and ``min`` are exact either way.
(A float product's block goes in order: a product of a block's values alone may leave the float
range where the running product does not.)

Rows, or column chunks of a non-last axis, are spread over the cores above a size chosen in
:mod:`kernels._parallel`; a non-last axis needs no blocks, as its columns are independent
chains side by side. The benchmarks (``benchmarks/bench_scan.py``,
``benchmarks/bench_recurrence.py``) time a long row against a copy of the same bytes.

This module also holds what every scan form shares: the ops, their identities and the
validation of the scanned array (:func:`as_scan_array`), used by the kernels and the reference.
"""

import numba
import numpy as np

from kernels._checks import as_array, as_float_array
from kernels._parallel import njit_serial_and_parallel

__all__ = [
    "CHUNK",
    "GROUP",
    "SCAN_OPS",
    "as_scan_array",
    "check_scan_args",
    "run_scan",
    "scan_identity",
]

SCAN_OPS = ("add", "mul", "max", "min")

# Columns per task when a non-last axis is split across cores: a run of contiguous memory long
# enough to vectorise, short enough that every core gets work.
CHUNK = 512

# Elements per block of a row: enough independent work to cover the latency of one dependent
# floating-point operation per block, few enough to stay in registers.
GROUP = 8


def check_scan_args(op, inclusive):
    """``op`` one of :data:`SCAN_OPS` (else ``ValueError``); ``inclusive`` a bool (else
    ``TypeError``: ``None`` or ``"no"`` is not a flag)."""
    if not isinstance(op, str) or op not in SCAN_OPS:
        raise ValueError(f"op must be one of {', '.join(SCAN_OPS)}, got {op!r}")
    if not isinstance(inclusive, (bool, np.bool_)):
        raise TypeError(f"inclusive must be a bool, got {type(inclusive).__name__} {inclusive!r}")
    return op, bool(inclusive)


def scan_identity(op, dtype):
    """The identity of ``op`` as a scalar of ``dtype``: the exclusive scan's first value.

    0 for add, 1 for mul; for max and min the dtype's lowest and highest value (``-inf`` and
    ``inf`` for floats).
    """
    dtype = np.dtype(dtype)
    if op == "add":
        return dtype.type(0)
    if op == "mul":
        return dtype.type(1)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return dtype.type(info.min if op == "max" else info.max)
    return dtype.type(-np.inf if op == "max" else np.inf)


def as_scan_array(x):
    """``x`` as an array a scan accepts, in native byte order.

    Integer arrays keep their dtype (scans wrap in it); bool becomes numpy's default integer, as
    ``np.cumsum`` makes it; everything else becomes a float array as in
    :func:`kernels._checks.as_float_array` (complex, strings and objects raise ``TypeError``).
    """
    x = as_array("x", x)
    if x.dtype.kind == "b":
        return x.astype(np.int_)
    if x.dtype.kind in "iu":
        return x
    return as_float_array("x", x)


def run_scan(inputs, out, start, step, block, inclusive):
    """Scan ``inputs`` (a tuple of ``(outer, n, inner)`` C-contiguous arrays) along axis 1 into
    ``out`` (same shape, the state's dtype) from ``start`` (``(outer, inner)``)."""
    outer, n, inner = out.shape
    if out.size == 0:
        return out
    if inner == 1:
        rows = tuple(x.reshape(outer, n) for x in inputs)
        _scan_rows.for_work(out.size, outer)(
            rows, out.reshape(outer, n), start.reshape(outer), block, inclusive
        )
    else:
        tasks = outer * -(-inner // CHUNK)
        _scan_3d.for_work(out.size, tasks)(inputs, out, start, step, inclusive)
    return out


@njit_serial_and_parallel(cache=True)
def _scan_rows(rows, out, start, block, inclusive):
    """The scan along each row of ``(outer, n)``: one pass per row, in blocks of :data:`GROUP`.

    In the loop over whole blocks the block's ``count`` and ``inclusive`` are constants, so that
    once the block is inlined its branches on them fold away; a runtime flag there would keep
    the block from being inlined and optimised as straight-line code."""
    outer, n = out.shape
    whole = n - n % GROUP
    for o in numba.prange(outer):
        state = start[o]
        if inclusive:
            for t in range(0, whole, GROUP):
                state = block(state, rows, out, o, t, GROUP, True)
        else:
            for t in range(0, whole, GROUP):
                state = block(state, rows, out, o, t, GROUP, False)
        if whole < n:
            block(state, rows, out, o, whole, n - whole, inclusive)


@njit_serial_and_parallel(cache=True)
def _scan_3d(inputs, out, start, step, inclusive):
    """The scan along axis 1 of ``(outer, n, inner)`` with ``inner > 1``: the columns of each outer
    slice side by side (the inner loop runs over contiguous memory, one independent scan per
    column, so it vectorises)."""
    outer, _, inner = out.shape
    chunks = (inner + CHUNK - 1) // CHUNK
    for task in numba.prange(outer * chunks):
        o = task // chunks
        lo = (task % chunks) * CHUNK
        _scan_columns(inputs, out, start, step, inclusive, o, lo, min(inner, lo + CHUNK))


@numba.njit(cache=True, inline="always")
def _scan_columns(inputs, out, start, step, inclusive, o, lo, hi):
    """Columns ``lo:hi`` of slice ``o``; each column's state is the previous row of ``out`` (or of
    ``start``), so no buffer is needed."""
    n = out.shape[1]
    if inclusive:
        for j in range(lo, hi):
            out[o, 0, j] = step(start[o, j], inputs, o, 0, j)
        for t in range(1, n):
            for j in range(lo, hi):
                out[o, t, j] = step(out[o, t - 1, j], inputs, o, t, j)
    else:
        for j in range(lo, hi):
            out[o, 0, j] = start[o, j]
        for t in range(1, n):
            for j in range(lo, hi):
                out[o, t, j] = step(out[o, t - 1, j], inputs, o, t - 1, j)
