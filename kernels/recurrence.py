"""Linear recurrence: ``h[t] = a[t] * h[t-1] + b[t]`` along one axis, with ``h[-1] = h0``.

Problem. Given ``a`` and ``b`` of the same shape, an ``axis`` and an optional start ``h0`` (the
shape of ``a`` without ``axis``; 0 by default), return every ``h[t]``. This first-order linear
recurrence is the scan behind state-space models (Mamba's selective scan, S4 in recurrent form),
linear attention and exponential moving averages; with a constant ``a`` it is the IIR filter
``scipy.signal.lfilter([1], [1, -a], b)``.

Invariant. Step ``t`` applies the affine map ``h -> a[t] * h + b[t]``. Affine maps compose into
affine maps, ``(a1, b1)`` then ``(a2, b2)`` is ``(a1 * a2, a2 * b1 + b2)``, and composition is
associative (with identity ``(1, 0)``), so the recurrence is a scan over pairs: the composed map
``(A[t], B[t])`` of steps ``0..t`` gives ``h[t]``. The parallel GPU form in
:mod:`kernels.recurrence_cuda` scans the pairs with decoupled look-back; it folds ``h0`` into the
first step (``b[0] -> a[0] * h0 + b[0]``) so that ``h[t] = B[t]`` and no product of many ``a``
ever multiplies ``h0``.

Complexity. O(n) work. The ideal kernel reads ``a`` and ``b`` once and writes ``h`` once:
3 * n * itemsize bytes and 2 FLOPs (one fused multiply-add) per element. On the CPU it is an
instance of the scan core (:mod:`kernels._scan_core`): one sequential pass per row, bound by the
latency of its multiply-add chain, rows and the columns of a non-last axis spread over the cores.
The benchmark ``benchmarks/bench_recurrence.py`` times it beside ``scipy.signal.lfilter``.

Output dtype: the float dtype of ``a``, ``b`` and ``h0`` combined (integers become floats as in
:func:`kernels._checks.as_float_array`); float16 is computed in float32.

>>> import numpy as np
>>> linear_recurrence(np.array([0.5, 0.5, 0.5]), np.array([1.0, 1.0, 1.0]))
array([1.  , 1.5 , 1.75])
>>> linear_recurrence(np.array([2.0, 2.0]), np.array([0.0, 1.0]), h0=3.0)
array([ 6., 13.])
"""

from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt

from kernels._arrays import array_module, is_cupy_array
from kernels._checks import as_float_array, check_out, normalize_axis
from kernels._dtypes import accumulator_dtype
from kernels._scan_core import run_scan

__all__ = ["linear_recurrence", "linear_recurrence_list"]


def linear_recurrence(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    axis: int = -1,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``h[t] = a[t] * h[t-1] + b[t]`` along ``axis``, ``h[-1] = h0`` (0 when ``None``).

    numpy in -> numpy out (numba CPU kernels); cupy in -> cupy out (numba.cuda kernel).

    ``out``: an array of ``b``'s shape and the result dtype to write to (and return). It may be
    ``a`` or ``b`` itself (step ``t`` reads ``a[t]`` and ``b[t]`` before it writes ``h[t]``); any
    other overlap with ``a``, ``b`` or ``h0`` raises ``ValueError``.
    """
    a, b, h0, axis = _check_args(a, b, h0, axis)
    inputs = {"b": b, "a": a, "h0": h0}
    out = check_out(out, b.shape, _result_dtype(a, b, h0), inputs, in_place=("a", "b"))
    if is_cupy_array(b):
        from kernels import recurrence_cuda

        return recurrence_cuda.launch(a, b, h0, axis, out)
    return _recurrence_numpy(a, b, h0, axis, out)


# --- the readable solution ------------------------------------------------------------------


def linear_recurrence_list(a: Sequence[float], b: Sequence[float], h0: float = 0.0) -> list[float]:
    """The recurrence over two Python sequences, one step at a time.

    >>> linear_recurrence_list([0.5, 0.5], [2.0, 2.0], h0=4.0)
    [4.0, 4.0]
    """
    h, out = h0, []
    for a_t, b_t in zip(a, b, strict=True):
        h = a_t * h + b_t
        out.append(h)
    return out


# --- the fast form (numba, CPU): an instance of the scan core -------------------------------


def _recurrence_numpy(a, b, h0, axis, out=None):
    """Run the recurrence on validated numpy arrays viewed as ``(outer, n, inner)``."""
    dtype = _result_dtype(a, b, h0)
    work_dtype = accumulator_dtype(dtype)
    shape = b.shape
    n = shape[axis]
    outer = int(np.prod(shape[:axis], dtype=np.int64))
    inner = int(np.prod(shape[axis + 1 :], dtype=np.int64))
    a3, b3 = (np.ascontiguousarray(v, dtype=work_dtype).reshape(outer, n, inner) for v in (a, b))
    if h0 is None:
        start = np.zeros((outer, inner), dtype=work_dtype)
    else:
        start = np.ascontiguousarray(h0, dtype=work_dtype).reshape(outer, inner)
    direct = out is not None and out.dtype == work_dtype and out.flags.c_contiguous
    dst = out.reshape(outer, n, inner) if direct else np.empty((outer, n, inner), work_dtype)
    run_scan((a3, b3), dst, start, _affine_step, True)
    if direct:
        return out
    dst = dst.reshape(shape)
    if out is None:
        return dst if dtype == work_dtype else dst.astype(dtype)
    out[...] = dst
    return out


# LLVM may contract a * h + b into one fused multiply-add: one rounding instead of two, and a
# shorter dependency chain per step.
@numba.njit(cache=True, fastmath={"contract"})
def _affine_step(h, inputs, o, t, j):
    return inputs[0][o, t, j] * h + inputs[1][o, t, j]


# --- small private helpers ------------------------------------------------------------------


def _result_dtype(a, b, h0):
    return np.result_type(a.dtype, b.dtype, *(() if h0 is None else (h0.dtype,)))


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
