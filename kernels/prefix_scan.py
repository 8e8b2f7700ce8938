"""Prefix scan: ``out[i] = x[0] op x[1] op ... op x[i]`` along one axis.

Problem. Given ``x`` and an associative ``op`` (``add``, ``mul``, ``max``, ``min``), return the
running combination along ``axis``: inclusive (``out[i]`` includes ``x[i]``) or exclusive
(``out[i]`` covers ``x[:i]``, so ``out[0]`` is the identity: 0, 1, the dtype's lowest value for
``max`` and highest for ``min``, ``-inf`` / ``inf`` for floats). Integers stay in their dtype and
wrap on overflow as numpy does; bool is scanned as numpy's default integer (as ``np.cumsum``
does); float16 is accumulated in float32 and each output rounded to float16; other input becomes
float as in :func:`kernels._checks.as_float_array`. NaN propagates for every op (as
``np.maximum.accumulate`` does for ``max``).

Floats near the end of their range. The scan accumulates in float32 (float16 and float32 input)
or float64. Products go in order along each row on the CPU: a running product that overflows is
``±inf`` from there on and one that underflows is ``±0``, exactly as
:func:`kernels.reference.scan` defines it. Sums on the CPU add each block of 8 values among
themselves before adding the running total (see :mod:`kernels._scan_core`), and the GPU combines
partial results in a tree, so a sum that overflows only at an intermediate step of one order may
stay finite in the other (or the reverse): floating-point addition is not associative at the
edge of the range. A sum that overflows stays ``±inf`` (``inf + finite`` is ``inf``) either way.

Invariant. After step ``i`` the running value ``acc`` is ``x[0] op ... op x[i]``. Because ``op`` is
associative the sequence can be cut into tiles: the scan of tile ``k`` is its local scan seeded
with the combination of all earlier tiles. That is the single-pass GPU scan with decoupled
look-back in :mod:`kernels._scan_core_cuda`; on the CPU each row is one pass of the scan core
:mod:`kernels._scan_core` in blocks of 8 (the local prefix of a block first, then the running
value added to it: one dependent add per block, not per element), rows (or column chunks of a
non-last axis) spread over the cores.

Complexity. O(n) work, one op per element. The ideal kernel reads ``x`` once and writes ``out``
once: 2 * n * itemsize bytes (float16 on the CPU adds a conversion pass each way). The benchmark
``benchmarks/bench_scan.py`` times it beside ``np.cumsum``.

>>> import numpy as np
>>> scan(np.array([3, 1, 4, 1, 5]))
array([ 3,  4,  8,  9, 14])
>>> scan(np.array([3, 1, 4, 1, 5]), op="max", inclusive=False)
array([-9223372036854775808,                    3,                    3,
                          4,                    4])
>>> scan(np.array([[1.0, 2.0], [3.0, 4.0]]), op="mul", axis=0)
array([[1., 2.],
       [3., 8.]])
"""

from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt

from kernels._arrays import is_cupy_array
from kernels._checks import check_out, normalize_axis
from kernels._dtypes import accumulator_dtype
from kernels._scan_core import GROUP, as_scan_array, check_scan_args, run_scan, scan_identity

__all__ = ["scan", "scan_list"]


def scan(
    x: npt.ArrayLike,
    op: str = "add",
    axis: int = -1,
    *,
    inclusive: bool = True,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Inclusive (or exclusive) prefix ``op`` of ``x`` along ``axis``; same shape and dtype.

    numpy in -> numpy out (numba CPU kernels); cupy in -> cupy out (numba.cuda kernel).

    ``out``: an array of the result's shape and dtype to write to (and return). An inclusive scan
    may write into ``x`` itself (element ``t`` is read before it is written); an exclusive one
    writes element ``t`` before it reads it, so ``out`` must not overlap ``x`` (``ValueError``).
    """
    op, inclusive = check_scan_args(op, inclusive)
    x = as_scan_array(x)
    axis = normalize_axis(axis, x.ndim)
    out = check_out(out, x.shape, x.dtype, {"x": x}, in_place=("x",) if inclusive else ())
    if is_cupy_array(x):
        from kernels import prefix_scan_cuda

        return prefix_scan_cuda.launch(x, op, axis, inclusive, out)
    return _scan_numpy(x, op, axis, inclusive, out)


# --- the readable solution ------------------------------------------------------------------


def scan_list(values: Sequence[float], op: str = "add", *, inclusive: bool = True) -> list:
    """The scan of a Python sequence, one element at a time: the algorithm without the arrays.

    >>> scan_list([2, 3, 4], op="mul")
    [2, 6, 24]
    >>> scan_list([2, 3, 4], inclusive=False)
    [0, 2, 5]
    """
    op, inclusive = check_scan_args(op, inclusive)
    combine = {
        "add": lambda s, v: s + v,
        "mul": lambda s, v: s * v,
        "max": lambda s, v: v if (v > s or v != v) else s,
        "min": lambda s, v: v if (v < s or v != v) else s,
    }[op]
    acc = {"add": 0, "mul": 1, "max": -float("inf"), "min": float("inf")}[op]
    out = []
    for v in values:
        if not inclusive:
            out.append(acc)
        acc = combine(acc, v)
        if inclusive:
            out.append(acc)
    return out


# --- the fast form (numba, CPU): an instance of the scan core -------------------------------


def _scan_numpy(x, op, axis, inclusive, out=None):
    """Scan a validated numpy array: ``x`` viewed as ``(outer, n, inner)`` with ``n`` along
    ``axis``, so that no axis is ever moved."""
    work_dtype = accumulator_dtype(x.dtype)
    n = x.shape[axis]
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis + 1 :], dtype=np.int64))
    work = np.ascontiguousarray(x, dtype=work_dtype).reshape(outer, n, inner)
    direct = out is not None and out.dtype == work_dtype and out.flags.c_contiguous
    dst = out.reshape(outer, n, inner) if direct else np.empty((outer, n, inner), work_dtype)
    start = np.full((outer, inner), scan_identity(op, work_dtype), dtype=work_dtype)
    run_scan((work,), dst, start, _STEPS[op], _BLOCKS[op], inclusive)
    if direct:
        return out
    dst = dst.reshape(x.shape)
    with np.errstate(over="ignore"):  # a float32 sum past 65504 is inf in float16
        if out is None:
            return dst if dst.dtype == x.dtype else dst.astype(x.dtype)
        out[...] = dst
    return out


@numba.njit(cache=True, inline="always")
def _add(acc, v):
    return acc + v


@numba.njit(cache=True, inline="always")
def _mul(acc, v):
    return acc * v


@numba.njit(cache=True, inline="always")
def _max(acc, v):
    # v != v: a NaN replaces acc, and once acc is NaN no comparison is true, so it stays. Of equal
    # values the first is kept, so the result does not depend on how the values are grouped.
    return v if (v > acc or v != v) else acc


@numba.njit(cache=True, inline="always")
def _min(acc, v):
    return v if (v < acc or v != v) else acc


@numba.njit(cache=True)
def _add_step(acc, inputs, o, t, j):
    return _add(acc, inputs[0][o, t, j])


@numba.njit(cache=True)
def _mul_step(acc, inputs, o, t, j):
    return _mul(acc, inputs[0][o, t, j])


@numba.njit(cache=True)
def _max_step(acc, inputs, o, t, j):
    return _max(acc, inputs[0][o, t, j])


@numba.njit(cache=True)
def _min_step(acc, inputs, o, t, j):
    return _min(acc, inputs[0][o, t, j])


@numba.njit(cache=True, inline="always")
def _in_order_block(combine, acc, rows, out, o, t, count, inclusive):
    """Elements ``t .. t+count-1`` of row ``o`` one after the other."""
    x = rows[0]
    for i in range(t, t + count):
        v = x[o, i]
        if inclusive:
            acc = combine(acc, v)
            out[o, i] = acc
        else:
            out[o, i] = acc
            acc = combine(acc, v)
    return acc


@numba.njit(cache=True, inline="always")
def _grouped_block(combine, acc, rows, out, o, t, count, inclusive):
    """Elements ``t .. t+count-1`` of row ``o``. A whole block (``GROUP`` = 8) takes the local
    prefix ``p_j`` of its values first, which needs no ``acc``, then ``acc op p_j`` for each:
    only the last combine waits for ``acc``. A shorter one, at the end of a row, goes in order."""
    if count < 8:
        return _in_order_block(combine, acc, rows, out, o, t, count, inclusive)
    x = rows[0]
    v0, v1, v2, v3 = x[o, t], x[o, t + 1], x[o, t + 2], x[o, t + 3]
    v4, v5, v6, v7 = x[o, t + 4], x[o, t + 5], x[o, t + 6], x[o, t + 7]
    p1 = combine(v0, v1)
    p2 = combine(p1, v2)
    p3 = combine(p2, v3)
    p4 = combine(p3, v4)
    p5 = combine(p4, v5)
    p6 = combine(p5, v6)
    p7 = combine(p6, v7)
    if inclusive:
        out[o, t] = combine(acc, v0)
        out[o, t + 1] = combine(acc, p1)
        out[o, t + 2] = combine(acc, p2)
        out[o, t + 3] = combine(acc, p3)
        out[o, t + 4] = combine(acc, p4)
        out[o, t + 5] = combine(acc, p5)
        out[o, t + 6] = combine(acc, p6)
        out[o, t + 7] = combine(acc, p7)
    else:
        out[o, t] = acc
        out[o, t + 1] = combine(acc, v0)
        out[o, t + 2] = combine(acc, p1)
        out[o, t + 3] = combine(acc, p2)
        out[o, t + 4] = combine(acc, p3)
        out[o, t + 5] = combine(acc, p4)
        out[o, t + 6] = combine(acc, p5)
        out[o, t + 7] = combine(acc, p6)
    return combine(acc, p7)


@numba.njit(cache=True)
def _add_block(acc, rows, out, o, t, count, inclusive):
    return _grouped_block(_add, acc, rows, out, o, t, count, inclusive)


@numba.njit(cache=True)
def _max_block(acc, rows, out, o, t, count, inclusive):
    return _grouped_block(_max, acc, rows, out, o, t, count, inclusive)


@numba.njit(cache=True)
def _min_block(acc, rows, out, o, t, count, inclusive):
    return _grouped_block(_min, acc, rows, out, o, t, count, inclusive)


@numba.njit(cache=True)
def _mul_block(acc, rows, out, o, t, count, inclusive):
    # Products stay in order: the product of a block's values alone can overflow, or lose digits
    # below the normal range, where the running product does not.
    return _in_order_block(_mul, acc, rows, out, o, t, count, inclusive)


assert GROUP == 8, "the blocks above are written out for 8 elements"
_STEPS = {"add": _add_step, "mul": _mul_step, "max": _max_step, "min": _min_step}
_BLOCKS = {"add": _add_block, "mul": _mul_block, "max": _max_block, "min": _min_block}
