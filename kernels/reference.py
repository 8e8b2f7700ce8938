"""numpy references for every kernel: the oracles for tests, benchmarks and the practice judge.

Each function is written to be obviously right rather than fast: it computes in float64 (integer
scans in their own dtype, wrapping as numpy wraps), materialises whatever it needs (the whole
``Lq x Lk`` score matrix for attention, a Python loop over time for the recurrence) and returns the
input's float dtype. The kernels in :mod:`kernels` must agree with these within a tolerance per
dtype; where an edge case has more than one sensible answer, the answer given here is the contract.

Edge cases decided here:

* softmax / log_softmax / logsumexp over a slice of all ``-inf``: ``logsumexp`` is ``-inf``,
  ``softmax`` and ``log_softmax`` are NaN (``0 / 0``), as ``scipy.special`` gives. A ``+inf`` entry
  makes ``logsumexp`` ``+inf``; ``softmax`` is then ``exp(x - inf)``: NaN at the ``+inf`` entries,
  0 at every finite entry however large (``[inf, 710.]`` gives ``[nan, 0]``, as the kernels do),
  and ``log_softmax`` is ``x - inf``: NaN at the ``+inf`` entries, ``-inf`` elsewhere. NaN
  anywhere in a slice makes the whole slice NaN.
* attention: ``q (..., Lq, D)``, ``k (..., Lk, D)``, ``v (..., Lk, Dv)`` with equal leading
  dimensions (no broadcasting). ``causal=True`` masks key ``j > i`` for query ``i`` (top-left
  aligned, as ``torch.nn.functional.scaled_dot_product_attention``), so every query sees key 0 and
  no row is ever fully masked; ``Lk == 0`` is refused (``ValueError``): there is nothing to attend.
* scan: integer dtypes stay integer and wrap on overflow; bool becomes numpy's default integer (as
  ``np.cumsum`` makes it); other input becomes float as in :func:`kernels._checks.as_float_array`.
  Floats accumulate in float64 within the range of the kernels' accumulating dtype (float32 for
  float16 and float32): a running sum or product that overflows that range is ``±inf`` from then
  on and a product that underflows it ``±0``, as the kernels' loops make them (within the
  rounding error of the range's end a loop in float32 may still land on the other side). An
  exclusive scan starts from the identity of ``op``.
* linear_recurrence: ``a`` and ``b`` must have the same shape (no broadcasting); ``h0`` has that
  shape without ``axis`` (a scalar is accepted only for 1-d input).

>>> import numpy as np
>>> softmax(np.array([0.0, np.log(3.0)]))
array([0.25, 0.75])
>>> scan(np.array([3, 1, 2]), op="max", inclusive=False)
array([-9223372036854775808,                    3,                    3])
>>> linear_recurrence(np.array([0.5, 0.5, 0.5]), np.array([1.0, 1.0, 1.0]))
array([1.  , 1.5 , 1.75])
"""

import numpy as np
import numpy.typing as npt

from kernels._checks import (
    as_float_array,
    check_attention_args,
    check_linear_attention_args,
    check_rope_args,
    check_selective_scan_args,
    normalize_axis,
)
from kernels._dtypes import accumulator_dtype, result_dtype
from kernels._scan_core import SCAN_OPS, as_scan_array, check_scan_args, scan_identity

__all__ = [
    "SCAN_OPS",
    "attention",
    "linear_attention",
    "linear_recurrence",
    "log_softmax",
    "logsumexp",
    "rope",
    "scan",
    "selective_scan",
    "softmax",
]

# Each reference has its kernel's signature (less ``out=``): the same contract, kept apart because
# these must stay obviously right and never call a kernel.

# --- softmax family -------------------------------------------------------------------------


def logsumexp(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """``log(sum(exp(x)))`` along ``axis`` (the axis is removed), shifted by the finite maximum."""
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, shift = _shift_by_max(x, axis)
    with np.errstate(divide="ignore", over="ignore"):  # a +inf entry is left unshifted: inf
        return np.squeeze(
            shift + np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)), axis
        ).astype(x.dtype)


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """``x - logsumexp(x)`` along ``axis``."""
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, _ = _shift_by_max(x, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """``exp(x - max) / sum(exp(x - max))`` along ``axis``: non-negative, each slice sums to 1.

    A slice whose maximum is ``+inf`` gives ``exp(x - inf)``: NaN at the ``+inf`` entries (``inf -
    inf``), 0 at every finite entry; it is never shifted by 0 and exponentiated raw, which would
    overflow (``exp(710)``) and turn the finite entries into NaN too.
    """
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, shift = _shift_by_max(x, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(shifted)
        y = e / np.sum(e, axis=axis, keepdims=True)
        x64 = x.astype(np.float64)
        top = np.max(x64, axis=axis, keepdims=True) if x.shape[axis] else shift
    y = np.where(np.isposinf(top), np.where(np.isposinf(x64), np.nan, 0.0), y)
    return y.astype(x.dtype)


def _shift_by_max(x, axis):
    """``(x - shift, shift)`` in float64, ``shift`` the slice maximum where it is finite, else 0.

    Shifting by the maximum makes the largest term ``exp(0) = 1``: no overflow, and the sum is at
    least 1, so no underflow to 0 either. An all ``-inf`` slice or a ``+inf`` entry is left
    unshifted, so that exp gives 0 or inf rather than the NaN of ``inf - inf``.
    """
    x64 = x.astype(np.float64)
    if x64.shape[axis] == 0:
        return x64, np.zeros(x64.shape[:axis] + (1,) + x64.shape[axis + 1 :])
    m = np.max(x64, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(m), m, 0.0)
    return x64 - shift, shift


# --- attention ------------------------------------------------------------------------------


def attention(
    q: npt.ArrayLike,
    k: npt.ArrayLike,
    v: npt.ArrayLike,
    *,
    causal: bool = False,
    scale: float | None = None,
) -> np.ndarray:
    """``softmax(q @ k^T * scale, masked) @ v`` with the full score matrix materialised."""
    q, k, v, causal, scale = check_attention_args(q, k, v, causal, scale)
    dtype = result_dtype(q.dtype, k.dtype, v.dtype)
    scores = np.matmul(q.astype(np.float64), np.swapaxes(k.astype(np.float64), -1, -2)) * scale
    if causal:
        lq, lk = scores.shape[-2:]
        visible = np.arange(lk)[None, :] <= np.arange(lq)[:, None]
        scores = np.where(visible, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return np.matmul(weights, v.astype(np.float64)).astype(dtype)


# --- scan and linear recurrence -------------------------------------------------------------


def scan(
    x: npt.ArrayLike, op: str = "add", axis: int = -1, *, inclusive: bool = True
) -> np.ndarray:
    """Prefix ``op`` along ``axis``: ``out[i] = x[0] op ... op x[i]`` (``x[i-1]`` if exclusive).

    ``op`` is one of ``"add"``, ``"mul"``, ``"max"``, ``"min"``. Integer input stays in its dtype
    and wraps on overflow; bool is scanned as numpy's default integer (as ``np.cumsum`` does).
    Float input is accumulated in float64 within the range of the dtype a kernel accumulates it
    in (float32 for float16 and float32): a running value beyond that range is ``±inf`` from
    there on and a product below it is ``±0``, as a loop in that dtype makes them; the result
    has the input's dtype. The exclusive scan starts from the identity: 0, 1, the dtype's lowest
    (max) or highest (min) value, ``-inf`` / ``inf`` for floats. NaN propagates for every op.
    """
    op, inclusive = check_scan_args(op, inclusive)
    x = as_scan_array(x)
    axis = normalize_axis(axis, x.ndim)
    ufunc = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}[op]
    if x.dtype.kind in "iu":
        out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
    else:
        out = _float_accumulate(ufunc, x, axis)
    if not inclusive and x.shape[axis] > 0:
        identity = np.full(_without(x.shape, axis), scan_identity(op, out.dtype), dtype=out.dtype)
        out = np.concatenate(
            [np.expand_dims(identity, axis), np.delete(out, -1, axis=axis)], axis=axis
        )
    with np.errstate(over="ignore"):  # float16 sums past 65504 become inf, as numpy casts
        return out.astype(x.dtype)


def _float_accumulate(ufunc, x, axis):
    """``ufunc.accumulate`` in float64, each running value kept within the range of the
    accumulating dtype: one float64 accumulate where no running value leaves that range, else
    a loop along the axis that sends each running value beyond the range to ``±inf`` and each one
    below it to ``±0`` as it goes, so that what follows starts from there."""
    x64 = x.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf and 0 * inf are NaN
        out = ufunc.accumulate(x64, axis=axis)
    limits = _range_of(x.dtype)
    if limits is None or ufunc in (np.maximum, np.minimum):
        return out
    overflow, underflow = limits
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(out)
        leaves = (np.isfinite(out) & (magnitude >= overflow)) | (
            (out != 0) & (magnitude <= underflow)
        )
    if not leaves.any():
        return out
    moved = np.moveaxis(x64, axis, 0)
    acc = np.zeros(moved.shape[1:]) if ufunc is np.add else np.ones(moved.shape[1:])
    result = np.empty_like(moved)
    with np.errstate(invalid="ignore", over="ignore"):
        for t in range(moved.shape[0]):
            acc = ufunc(acc, moved[t])
            acc = np.where(np.abs(acc) >= overflow, np.copysign(np.inf, acc), acc)
            acc = np.where(np.abs(acc) <= underflow, np.copysign(0.0, acc), acc)
            result[t] = acc
    return np.moveaxis(result, 0, axis)


def _range_of(dtype):
    """``(overflow, underflow)`` of the dtype that accumulates ``dtype``, as float64 magnitudes:
    a result at or beyond ``overflow`` rounds to ``±inf``, one at or below ``underflow`` to ``±0``
    (round to nearest, ties to even). ``None`` for float64, whose range is float64's own."""
    acc = np.finfo(accumulator_dtype(dtype))
    if acc.dtype == np.float64:
        return None
    max_exp, mant = acc.maxexp, acc.nmant  # float32: 128, 23
    overflow = 2.0**max_exp - 2.0 ** (max_exp - mant - 2)  # max + half an ulp of max
    underflow = float(acc.smallest_subnormal) / 2
    return overflow, underflow


def linear_recurrence(
    a: npt.ArrayLike, b: npt.ArrayLike, h0: npt.ArrayLike | None = None, axis: int = -1
) -> np.ndarray:
    """``h[t] = a[t] * h[t-1] + b[t]`` along ``axis`` with ``h[-1] = h0`` (0 by default).

    ``a`` and ``b`` have the same shape; ``h0`` has that shape without ``axis``. The loop runs in
    float64 and the result has the float dtype of ``a``, ``b`` (and ``h0``) combined.
    """
    a = as_float_array("a", a)
    b = as_float_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    axis = normalize_axis(axis, a.ndim)
    outer = _without(a.shape, axis)
    dtype = np.result_type(a.dtype, b.dtype)
    if h0 is None:
        h = np.zeros(outer)
    else:
        h0 = as_float_array("h0", h0)
        if h0.shape != outer:
            raise ValueError(
                f"h0 must have shape {outer} (a's shape without axis {axis}), got {h0.shape}"
            )
        dtype = np.result_type(dtype, h0.dtype)
        h = h0.astype(np.float64)
    a64 = np.moveaxis(a.astype(np.float64), axis, 0)
    b64 = np.moveaxis(b.astype(np.float64), axis, 0)
    out = np.empty(a64.shape)
    for t in range(a64.shape[0]):
        h = a64[t] * h + b64[t]
        out[t] = h
    return np.moveaxis(out, 0, axis).astype(dtype)


def _without(shape, axis):
    return tuple(n for i, n in enumerate(shape) if i != axis)


# =================================================================================================
# Rotary position embeddings, linear attention and the selective scan (one section, kept apart).
#
# Edge cases decided here:
#
# * rope: ``x (..., L, D)`` with ``D`` even; ``positions`` (default ``0..L-1``) is a 1-d array of
#   ``L`` integers or floats (a scalar is accepted for ``L == 1``). Pair ``i`` is
#   ``(x[2i], x[2i+1])`` when ``interleaved`` (RoFormer), ``(x[i], x[i + D/2])`` otherwise
#   (GPT-NeoX, Llama), rotated by ``positions[l] * base**(-2i/D)`` radians.
# * linear_attention: shapes as ``attention`` (``Lk >= 1``); ``causal=True`` lets query ``i`` see
#   keys ``j <= i``. ``phi(x) = elu(x) + 1 > 0``, so a row's normaliser is positive unless every
#   ``phi(q_i) . phi(k_j)`` underflows, which gives NaN (0 / 0) as here.
# * selective_scan: ``u, delta (batch, dim, L)``, ``A (dim, N)``, ``B, C (batch, N, L)``,
#   ``D (dim,)`` or None. ``delta * A`` is not restricted: ``exp`` of a large negative value is 0
#   (the state forgets), of a large positive one inf (as numpy gives it).
# =================================================================================================


def rope(
    x: npt.ArrayLike,
    positions: npt.ArrayLike | None = None,
    *,
    base: float = 10000.0,
    interleaved: bool = True,
) -> np.ndarray:
    """Rotate each feature pair of ``x (..., L, D)`` by ``positions[l] * base**(-2i/D)``.

    >>> rope(np.array([[1.0, 0.0], [1.0, 0.0]])).round(6)  # positions 0 and 1, angle = position
    array([[1.      , 0.      ],
           [0.540302, 0.841471]])
    """
    x, positions, base, interleaved = check_rope_args(x, positions, base, interleaved)
    x64 = x.astype(np.float64)
    d = x.shape[-1]
    out = np.empty_like(x64)
    for i in range(d // 2):
        angle = positions * base ** (-2.0 * i / d)  # (L,)
        with np.errstate(invalid="ignore"):  # an infinite position has no angle: NaN
            cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
        first, second = (2 * i, 2 * i + 1) if interleaved else (i, i + d // 2)
        a, b = x64[..., first : first + 1], x64[..., second : second + 1]
        out[..., first : first + 1] = a * cos - b * sin
        out[..., second : second + 1] = a * sin + b * cos
    return out.astype(x.dtype)


def linear_attention(
    q: npt.ArrayLike,
    k: npt.ArrayLike,
    v: npt.ArrayLike,
    *,
    causal: bool = False,
    feature_map: str = "elu",
) -> np.ndarray:
    """``(A v) / (A 1)`` with ``A = phi(q) phi(k)^T`` materialised (masked to ``j <= i`` if causal).

    >>> q = k = np.zeros((2, 1))  # phi(0) = 1: every visible key weighs the same
    >>> linear_attention(q, k, np.array([[2.0], [4.0]]), causal=True)
    array([[2.],
           [3.]])
    """
    q, k, v, causal, feature_map = check_linear_attention_args(q, k, v, causal, feature_map)
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    phi_q, phi_k = (_elu_plus_one(a.astype(np.float64)) for a in (q, k))
    weights = np.matmul(phi_q, np.swapaxes(phi_k, -1, -2))
    if causal:
        lq, lk = weights.shape[-2:]
        weights = np.where(np.arange(lk)[None, :] <= np.arange(lq)[:, None], weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.matmul(weights, v.astype(np.float64)) / weights.sum(axis=-1, keepdims=True)
    return out.astype(dtype)


def _elu_plus_one(x):
    with np.errstate(over="ignore"):
        return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def selective_scan(
    u: npt.ArrayLike,
    delta: npt.ArrayLike,
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    C: npt.ArrayLike,
    D: npt.ArrayLike | None = None,
) -> np.ndarray:
    """The S6 recurrence, a Python loop over time with the state ``(batch, dim, N)`` in float64.

    ``h_t = exp(delta_t A) h_{t-1} + delta_t B_t u_t``, ``y_t = C_t . h_t + D u_t``, ``h_{-1} = 0``.

    >>> u = np.ones((1, 1, 3)); delta = np.full((1, 1, 3), np.log(2.0))
    >>> A = -np.ones((1, 1)); B = C = np.ones((1, 1, 3))  # h_t = h_{t-1} / 2 + log 2
    >>> (selective_scan(u, delta, A, B, C) / np.log(2.0)).round(6)
    array([[[1.  , 1.5 , 1.75]]])
    """
    u, delta, A, B, C, D = check_selective_scan_args(u, delta, A, B, C, D)
    dtype = np.result_type(*(a.dtype for a in (u, delta, A, B, C) + (() if D is None else (D,))))
    u64, delta64, A64, B64, C64 = (a.astype(np.float64) for a in (u, delta, A, B, C))
    batch, dim, length = u.shape
    h = np.zeros((batch, dim, A.shape[1]))
    y = np.empty((batch, dim, length))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(length):
            dt = delta64[:, :, t, None]  # (batch, dim, 1)
            decay = np.exp(dt * A64[None])  # (batch, dim, N)
            h = decay * h + dt * B64[:, None, :, t] * u64[:, :, t, None]
            y[:, :, t] = np.sum(C64[:, None, :, t] * h, axis=-1)
        if D is not None:
            y += D.astype(np.float64)[None, :, None] * u64
        return y.astype(dtype)
