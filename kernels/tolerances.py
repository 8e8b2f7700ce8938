"""How close a kernel's answer must be to the float64 reference: one table for tests and judge.

Every bound here is an elementwise absolute error bound, derived from the computation's
conditioning, never from what one machine produced. The building block is the unit roundoff
``u`` of the dtype a value is accumulated in (float32 for float16 inputs) and of the dtype it is
stored in: a result rounded to float16 is off by up to ``u16 * |y|`` however it was computed.

- softmax: ``y_i = exp(x_i - m) / s``. Rounding ``x_i - m`` changes ``y_i`` by a relative
  ``u * |x_i - m|``; the exp and the division add a few ulps and the sum ``s`` of ``n`` terms up
  to ``n * u`` (any summation order). So ``|dy_i| <= C * (u_acc * (n + |x_i - m|) + u_out) * y_i``.
- logsumexp and log_softmax: ``m + log(s)`` is off by ``u * (|m| + n)``, and ``x_i - lse`` by
  ``u * (|x_i| + |lse| + n)``.
- attention: the score ``s_ij = scale * q_i . k_j`` is off by about ``sqrt(D) * u * S``, where
  ``S`` is the largest scaled ``sum_d |q_id||k_jd|``: an absolute error of the exponent, so each
  weight is off by that much relatively, and the output by ``C * u_acc * (sqrt(D) * S +
  sqrt(Lk)) * max|v|``. This is why float32 attention on large scores needs a looser bound than
  on small ones.
- scan add: summing ``t`` terms is off by about ``sqrt(t) * u * sum|x|`` (the worst case is
  ``t * u * sum|x|``; rounding errors of random sign grow like the square root, and ``C`` covers
  the difference on the lengths kernels meet); mul by a relative ``t * u``; max and min are
  exact.
- linear recurrence ``h_t = a_t h_{t-1} + b_t``: each step adds at most ``2u (|a_t h_{t-1}| +
  |b_t|)``, carried forward by ``|a|``, so the error is within ``C * u * (t + 1) * H_t`` where
  ``H_t = |a_t| H_{t-1} + |b_t|``, ``H_{-1} = |h0|``, the recurrence on absolute values.

``SAFETY`` (the constant ``C``) covers the few ulps of a polynomial exp and of the division;
each bound also allows ``tiny`` of the output dtype, for results that underflow to zero.
"""

import math

import numpy as np

__all__ = [
    "SAFETY",
    "attention_bound",
    "compare",
    "log_softmax_bound",
    "logsumexp_bound",
    "recurrence_bound",
    "scan_bound",
    "softmax_bound",
    "unit_roundoff",
]

SAFETY = 8.0


def unit_roundoff(dtype) -> float:
    """Half the distance from 1 to the next number of ``dtype``: 2**-11, 2**-24 or 2**-53."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def _accumulated(dtype) -> float:
    """The unit roundoff of the dtype kernels accumulate ``dtype`` in (float32 for float16)."""
    dtype = np.dtype(dtype)
    return unit_roundoff(np.float32 if dtype == np.float16 else dtype)


def _floor(dtype) -> float:
    return SAFETY * float(np.finfo(np.dtype(dtype)).tiny)


def _finite_abs(x):
    x = np.abs(np.asarray(x, dtype=np.float64))
    return np.where(np.isfinite(x), x, 0.0)


def softmax_bound(x, dtype, axis=-1) -> np.ndarray:
    """Elementwise bound for ``softmax(x, axis)`` computed in ``dtype``."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[axis] if x.ndim else 1
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        m = np.max(x, axis=axis, keepdims=True) if x.size else x
        shifted = np.abs(x - m)
        shifted = np.where(np.isfinite(shifted), shifted, 0.0)
        y = np.exp(x - m) / np.sum(np.exp(x - m), axis=axis, keepdims=True)
    y = np.where(np.isfinite(y), y, 0.0)
    rel = SAFETY * (_accumulated(dtype) * (n + shifted) + unit_roundoff(dtype))
    return rel * y + _floor(dtype)


def logsumexp_bound(x, dtype, axis=-1) -> np.ndarray:
    """Elementwise bound for ``logsumexp(x, axis)`` computed in ``dtype``."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[axis] if x.ndim else 1
    big = np.max(_finite_abs(x), axis=axis, initial=0.0)
    return SAFETY * (
        _accumulated(dtype) * (big + n) + unit_roundoff(dtype) * (big + math.log(n + 1))
    )


def log_softmax_bound(x, dtype, axis=-1) -> np.ndarray:
    """Elementwise bound for ``log_softmax(x, axis)`` computed in ``dtype``."""
    x = np.asarray(x, dtype=np.float64)
    lse = np.expand_dims(logsumexp_bound(x, dtype, axis), axis)
    big = np.max(_finite_abs(x), axis=axis, keepdims=True, initial=0.0)
    return lse + SAFETY * (_accumulated(dtype) + unit_roundoff(dtype)) * (_finite_abs(x) + 2 * big)


def attention_bound(q, k, v, dtype, scale=None) -> float:
    """Bound, the same for every element, for ``attention(q, k, v)`` computed in ``dtype``."""
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    d, lk = q.shape[-1], k.shape[-2]
    if scale is None:
        scale = 1.0 / math.sqrt(d) if d else 1.0
    qa = np.abs(q).reshape(-1, *q.shape[-2:])
    ka = np.abs(np.broadcast_to(k, (*q.shape[:-2], *k.shape[-2:]))).reshape(-1, *k.shape[-2:])
    scores = 0.0
    for i in range(0, qa.shape[-2], 256):  # the largest sum |q_id||k_jd|, 256 query rows at a time
        scores = max(scores, float(np.max(qa[:, i : i + 256] @ np.swapaxes(ka, -1, -2), initial=0)))
    scores *= abs(scale)
    vmax = float(np.max(_finite_abs(v), initial=0.0))
    u = _accumulated(dtype)
    growth = math.sqrt(d) * scores + math.sqrt(lk) + 2
    return SAFETY * (u * growth + unit_roundoff(dtype)) * vmax + _floor(dtype)


def scan_bound(x, op, dtype, axis=-1) -> np.ndarray:
    """Elementwise bound for an inclusive ``scan(x, op, axis)`` computed in ``dtype``."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    n = x.shape[-1]
    t = np.arange(1, n + 1, dtype=np.float64)
    u, u_out = _accumulated(dtype), unit_roundoff(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        if op == "add":
            mass = np.cumsum(_finite_abs(x), axis=-1)
            bound = SAFETY * (u * np.sqrt(t) + u_out) * mass
        elif op == "mul":
            bound = SAFETY * (u * t + u_out) * np.abs(np.cumprod(x, axis=-1))
        elif op in ("max", "min"):
            bound = np.zeros_like(x)
        else:
            raise ValueError(f"op must be one of add, mul, max, min, got {op!r}")
    bound = np.where(np.isfinite(bound), bound, np.inf)
    return np.moveaxis(bound + (_floor(dtype) if op != "max" and op != "min" else 0.0), -1, axis)


def recurrence_bound(a, b, h0, dtype, axis=-1) -> np.ndarray:
    """Elementwise bound for ``linear_recurrence(a, b, h0, axis)`` computed in ``dtype``."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    a, b = np.moveaxis(_finite_abs(a), axis, -1), np.moveaxis(_finite_abs(b), axis, -1)
    h = np.zeros(a.shape[:-1]) if h0 is None else _finite_abs(h0) * np.ones(a.shape[:-1])
    big = np.empty_like(a)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(a.shape[-1]):
            h = a[..., t] * h + b[..., t]
            big[..., t] = h
        t = np.arange(1, a.shape[-1] + 1, dtype=np.float64)
        bound = SAFETY * (_accumulated(dtype) * (t + 1) + unit_roundoff(dtype)) * big
    bound = np.where(np.isfinite(bound), bound, np.inf)
    return np.moveaxis(bound + _floor(dtype), -1, axis)


def compare(actual, expected, bound, *, max_shown: int = 5) -> str | None:
    """``None`` when ``|actual - expected| <= bound`` everywhere, else why not, in one paragraph.

    NaN must match NaN and an infinity the same infinity. The message gives the largest error
    relative to its bound and the first mismatched indices with both values, as a reader needs
    to see where a kernel went wrong.
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    bound = np.broadcast_to(np.asarray(bound, dtype=np.float64), e.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(a - e)
        same_special = (np.isnan(a) & np.isnan(e)) | ((a == e) & ~np.isfinite(e))
        bad = ~same_special & ~(error <= bound)
    if not bad.any():
        return None
    where = np.argwhere(bad)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(bad, error / np.where(bound > 0, bound, np.nan), 0.0)
    ratio = np.where(np.isnan(ratio), np.inf, ratio)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(ratio)), e.shape))
    shown = "; ".join(
        f"{tuple(int(i) for i in idx)}: got {a[tuple(idx)]!r}, expected {e[tuple(idx)]!r}"
        for idx in where[:max_shown]
    )
    return (
        f"{len(where)} of {e.size} values outside the tolerance; worst at {worst}: error "
        f"{error[worst]:.3g} against a bound of {bound[worst]:.3g}; first: {shown}"
    )


# =================================================================================================
# Rotary position embeddings, linear attention and the selective scan (one section, kept apart).
#
# - rope: each output is ``a cos - b sin`` (or ``a sin + b cos``) of one pair ``(a, b)``. The
#   angle ``p * theta`` is formed in float64 (relative error ``u64``, an absolute error
#   ``u64 * |p * theta|`` of the angle), cos and sin are rounded to the accumulator (``u_acc``),
#   two products and a sum add ``2 u_acc``, the store ``u_out``: within
#   ``C * (u_acc + u_out + u64 * |angle|) * (|a| + |b|)``.
# - linear attention: ``y_i = sum_j w_ij v_j`` with weights ``w_ij = a_ij / sum_j a_ij >= 0``,
#   ``a_ij = phi(q_i) . phi(k_j)`` a sum of ``D`` positive products (relative error ``D u``, no
#   cancellation), so each weight is off by ``2 (D + 2) u`` relatively; the sums over the ``Lk``
#   visible keys (in any order, chunked or through a carried state) add at most ``Lk u`` of
#   ``sum_j w_ij |v_j| <= max|v|``: within ``C * (u_acc * (2 D + Lk + 4) + u_out) * max|v|``.
# - selective scan, per ``(batch, dim, n)``: ``h_t = a_t h_{t-1} + b_t`` with ``a_t =
#   exp(x_t)``, ``x_t = delta_t A``. Rounding ``x_t`` shifts the exponent by ``u |x_t|``, so
#   ``a_t`` is off by ``u (|x_t| + 2)`` relatively, ``b_t = delta_t B_t u_t`` by ``2u``, the
#   update by ``2u`` more; the error ``E_t = |a_t| E_{t-1} + u ((|x_t| + 4) |a_t| H_{t-1} + 4
#   |b_t|)``, with ``H`` the recurrence on absolute values, is carried forward as the state is.
#   ``y_t = sum_n C_tn h_tn + D u_t`` adds ``sum_n |C_tn| E_tn`` and ``(N + 2) u`` of
#   ``Y_t = sum_n |C_tn| H_tn + |D u_t|``, the store ``u_out Y_t``.
# =================================================================================================

__all__ += ["linear_attention_bound", "rope_bound", "selective_scan_bound"]


def rope_bound(x, dtype, positions=None, base=10000.0, interleaved=True) -> np.ndarray:
    """Elementwise bound for ``rope(x, positions, base=base, interleaved=interleaved)``."""
    x = np.asarray(x, dtype=np.float64)
    length, d = x.shape[-2:]
    half = d // 2
    p = np.arange(length, dtype=np.float64) if positions is None else positions
    p = np.abs(np.asarray(p, dtype=np.float64)).reshape(length)
    theta = float(base) ** (-2.0 * np.arange(half) / d) if d else np.zeros(0)
    angle = p[:, None] * theta[None, :]  # (L, D/2)
    ax = _finite_abs(x)
    if interleaved:
        pair = ax[..., 0::2] + ax[..., 1::2]
    else:
        pair = ax[..., :half] + ax[..., half:]
    rel = SAFETY * (
        3 * _accumulated(dtype) + unit_roundoff(dtype) + unit_roundoff(np.float64) * angle
    )
    per_pair = rel * pair
    if interleaved:
        bound = np.repeat(per_pair, 2, axis=-1)
    else:
        bound = np.concatenate([per_pair, per_pair], axis=-1)
    return bound + _floor(dtype)


def linear_attention_bound(q, k, v, dtype) -> np.ndarray:
    """Bound for ``linear_attention(q, k, v)`` in ``dtype``, one value per leading index (shape
    ``(..., 1, 1)``, broadcastable to the output); also holds for ``causal=True``."""
    q, v = np.asarray(q, dtype=np.float64), np.asarray(v, dtype=np.float64)
    d, lk = q.shape[-1], v.shape[-2]
    vmax = np.max(_finite_abs(v), axis=(-2, -1), keepdims=True, initial=0.0)
    rel = SAFETY * (_accumulated(dtype) * (2 * d + lk + 4) + unit_roundoff(dtype))
    return rel * vmax + _floor(dtype)


def selective_scan_bound(u, delta, A, B, C, D, dtype) -> np.ndarray:
    """Elementwise bound for ``selective_scan(u, delta, A, B, C, D)`` computed in ``dtype``."""
    u, delta, A, B, C = (np.asarray(a, dtype=np.float64) for a in (u, delta, A, B, C))
    batch, dim, length = u.shape
    ua = _accumulated(dtype)
    h_abs = np.zeros((batch, dim, A.shape[1]))
    err = np.zeros_like(h_abs)
    bound = np.empty((batch, dim, length))
    du = _finite_abs(D)[None, :, None] * np.abs(u) if D is not None else np.zeros_like(u)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(length):
            x = delta[:, :, t, None] * A[None]
            a = np.abs(np.exp(x))
            b = np.abs(delta[:, :, t, None] * B[:, None, :, t] * u[:, :, t, None])
            err = a * err + ua * ((np.abs(x) + 4) * a * h_abs + 4 * b)
            h_abs = a * h_abs + b
            c = np.abs(C[:, None, :, t])
            y_abs = np.sum(c * h_abs, axis=-1) + du[:, :, t]
            bound[:, :, t] = (
                np.sum(c * err, axis=-1) + (ua * (A.shape[1] + 2) + unit_roundoff(dtype)) * y_abs
            )
        bound = SAFETY * bound
    bound = np.where(np.isnan(bound), np.inf, bound)
    return bound + _floor(dtype)
