"""The scan core behind :func:`kernels.scan` and :func:`kernels.linear_recurrence` (CPU half).

Both are one associative scan over different states: a prefix scan carries a value and combines
it with the next element (``acc op x[t]``); the linear recurrence carries the affine map
``h -> a * h + b``, and maps compose associatively. A scan instance supplies three things:

* ``step(state, inputs, o, t, j)``: the state after element ``(o, t, j)``, where ``inputs`` is a
  tuple of ``(outer, n, inner)`` arrays and the scan runs along the middle axis;
* the state before the first element of every column, ``start`` of shape ``(outer, inner)`` (the
  identity of ``op``, or ``h0``);
* whether the output at ``t`` is the state after element ``t`` (inclusive) or before it.

On the CPU each row is one sequential pass, so the state is the running value itself: applying
the maps one by one to ``h0`` is the recurrence, and only the parallel GPU form
(:mod:`kernels._scan_core_cuda`) needs the composed maps ``(a, b)``, a state two values wide.
Rows, or column chunks of a non-last axis, are spread over the cores above a size chosen in
:mod:`kernels._parallel`. One long row stays one pass: a blocked two-pass form would read the
input twice (3 instead of 2 element sizes per element for ``scan``), the pass is bound by memory
or by the latency of its one dependent operation per element, and the single pass is what the
benchmarks (``benchmarks/bench_scan.py``, ``benchmarks/bench_recurrence.py``) time.

This module also holds what every scan form shares: the ops, their identities and the
validation of the scanned array (:func:`as_scan_array`), used by the kernels and the reference.
"""

import numba
import numpy as np

from kernels._checks import as_array, as_float_array
from kernels._parallel import njit_serial_and_parallel

__all__ = [
    "CHUNK",
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


def run_scan(inputs, out, start, step, inclusive):
    """Scan ``inputs`` (a tuple of ``(outer, n, inner)`` C-contiguous arrays) along axis 1 into
    ``out`` (same shape, the state's dtype) from ``start`` (``(outer, inner)``)."""
    outer, _, inner = out.shape
    if out.size == 0:
        return out
    tasks = outer if inner == 1 else outer * -(-inner // CHUNK)
    _scan_3d.for_work(out.size, tasks)(inputs, out, start, step, inclusive)
    return out


@njit_serial_and_parallel(cache=True)
def _scan_3d(inputs, out, start, step, inclusive):
    """The scan along axis 1 of ``(outer, n, inner)``: one sequential pass per row when
    ``inner == 1``, else the columns of each outer slice side by side (the inner loop runs over
    contiguous memory, one independent scan per column, so it vectorises)."""
    outer, _, inner = out.shape
    if inner == 1:
        for o in numba.prange(outer):
            _scan_row(inputs, out, start, step, inclusive, o)
    else:
        chunks = (inner + CHUNK - 1) // CHUNK
        for task in numba.prange(outer * chunks):
            o = task // chunks
            lo = (task % chunks) * CHUNK
            _scan_columns(inputs, out, start, step, inclusive, o, lo, min(inner, lo + CHUNK))


@numba.njit(cache=True, inline="always")
def _scan_row(inputs, out, start, step, inclusive, o):
    state = start[o, 0]
    if inclusive:
        for t in range(out.shape[1]):
            state = step(state, inputs, o, t, 0)
            out[o, t, 0] = state
    else:
        for t in range(out.shape[1]):
            out[o, t, 0] = state
            state = step(state, inputs, o, t, 0)


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
