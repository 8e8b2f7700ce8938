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
instance of the scan core (:mod:`kernels._scan_core`): one pass per row in blocks of 8 steps,
each block's maps composed among themselves before the incoming ``h`` is applied, so that one
multiply-add per block waits for the previous block (not one per step); rows and the columns of
a non-last axis spread over the cores. The composed map of 8 steps multiplies up to 8 values of
``a``: where that product alone overflows (``|a|`` near the top of the float range) the result
is ``inf`` or NaN even if the step-by-step order stays finite.
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
from kernels._scan_core import GROUP, run_scan

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
    run_scan((a3, b3), dst, start, _affine_step, _affine_block, True)
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


@numba.njit(cache=True, fastmath={"contract"})
def _affine_block(h, rows, out, o, t, count, inclusive):
    """Steps ``t .. t+count-1`` of row ``o`` (always inclusive). A whole block (``GROUP`` = 8)
    first composes its maps, ``h[t+j] = A_j * h + B_j`` with ``A_j = a[t+j] * A_{j-1}`` and
    ``B_j = a[t+j] * B_{j-1} + b[t+j]``, which needs no ``h``, then applies each to the incoming
    ``h``: one dependent multiply-add per block instead of one per step. A shorter block, at the
    end of a row, goes step by step."""
    a, b = rows
    if count < 8:
        for i in range(t, t + count):
            h = a[o, i] * h + b[o, i]
            out[o, i] = h
        return h
    a0, a1, a2, a3 = a[o, t], a[o, t + 1], a[o, t + 2], a[o, t + 3]
    a4, a5, a6, a7 = a[o, t + 4], a[o, t + 5], a[o, t + 6], a[o, t + 7]
    b0, b1, b2, b3 = b[o, t], b[o, t + 1], b[o, t + 2], b[o, t + 3]
    b4, b5, b6, b7 = b[o, t + 4], b[o, t + 5], b[o, t + 6], b[o, t + 7]
    m1, c1 = a1 * a0, a1 * b0 + b1
    m2, c2 = a2 * m1, a2 * c1 + b2
    m3, c3 = a3 * m2, a3 * c2 + b3
    m4, c4 = a4 * m3, a4 * c3 + b4
    m5, c5 = a5 * m4, a5 * c4 + b5
    m6, c6 = a6 * m5, a6 * c5 + b6
    m7, c7 = a7 * m6, a7 * c6 + b7
    out[o, t] = a0 * h + b0
    out[o, t + 1] = m1 * h + c1
    out[o, t + 2] = m2 * h + c2
    out[o, t + 3] = m3 * h + c3
    out[o, t + 4] = m4 * h + c4
    out[o, t + 5] = m5 * h + c5
    out[o, t + 6] = m6 * h + c6
    last = m7 * h + c7
    out[o, t + 7] = last
    return last


assert GROUP == 8, "_affine_block is written out for 8 steps"


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
