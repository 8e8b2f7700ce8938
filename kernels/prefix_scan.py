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
or float64, in order along each row on the CPU: a running value that overflows is ``±inf`` from
there on (``inf + finite`` stays ``inf``), and a product that underflows is ``±0``, exactly as
:func:`kernels.reference.scan` defines it. The GPU combines partial results in a tree, so there a
sum that overflows only at an intermediate step of the row order may stay finite: floating-point
addition is not associative at the edge of the range.

Invariant. After step ``i`` the running value ``acc`` is ``x[0] op ... op x[i]``. Because ``op`` is
associative the sequence can be cut into tiles: the scan of tile ``k`` is its local scan seeded
with the combination of all earlier tiles. That is the single-pass GPU scan with decoupled
look-back in :mod:`kernels._scan_core_cuda`; on the CPU each row is one pass of the scan core
:mod:`kernels._scan_core`, rows (or column chunks of a non-last axis) spread over the cores.

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
from kernels._scan_core import as_scan_array, check_scan_args, run_scan, scan_identity

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
    run_scan((work,), dst, start, _STEPS[op], inclusive)
    if direct:
        return out
    dst = dst.reshape(x.shape)
    with np.errstate(over="ignore"):  # a float32 sum past 65504 is inf in float16
        if out is None:
            return dst if dst.dtype == x.dtype else dst.astype(x.dtype)
        out[...] = dst
    return out


@numba.njit(cache=True)
def _add_step(acc, inputs, o, t, j):
    return acc + inputs[0][o, t, j]


@numba.njit(cache=True)
def _mul_step(acc, inputs, o, t, j):
    return acc * inputs[0][o, t, j]


@numba.njit(cache=True)
def _max_step(acc, inputs, o, t, j):
    # v != v: a NaN replaces acc, and once acc is NaN no comparison is true, so it stays.
    v = inputs[0][o, t, j]
    return v if (v > acc or v != v) else acc


@numba.njit(cache=True)
def _min_step(acc, inputs, o, t, j):
    v = inputs[0][o, t, j]
    return v if (v < acc or v != v) else acc


_STEPS = {"add": _add_step, "mul": _mul_step, "max": _max_step, "min": _min_step}
