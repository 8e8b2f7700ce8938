"""How close a kernel's answer must be to the float64 reference: one table for tests and judge.

Every bound here is an elementwise absolute error bound derived from the computation's
conditioning, never from what one machine produced, so it holds on any instruction set and any
BLAS kernel. The derivations use the standard model of floating-point arithmetic,
``fl(a op b) = (a op b)(1 + d)`` with ``|d| <= u``, and count every rounding a kernel may make.

Notation. ``u`` is the unit roundoff of the dtype a kernel accumulates in (float32 for float16
and float32 input, float64 for float64); ``u_out`` that of the output dtype, to which both the
kernel and the reference round their result; ``u_ref = 2**-53``, because the reference computes in
float64 and its own error counts against the kernel too (it is the same size as the kernel's
for float64). ``exp`` and ``log`` are taken to be within ``4u`` relative (the CPU kernels'
polynomial exp is tested to that; CUDA's ``expf``/``logf`` are within 2 ulp; libm within 1 ulp).

From the first-order sums to the bounds. Each derivation adds up ``eps``, the sum of the
magnitudes of the relative perturbations ``d_k`` on a path. The exact error of a product of
``(1 + d_k)`` factors (and quotients) is at most ``exp(eps / (1 - eps)) - 1``, which is at most
``SAFETY * eps = 2 eps`` while ``eps <= 1/4``; beyond that no relative bound is claimed and the
bound is infinite (such inputs are too ill-conditioned for the dtype and tests must not use them).
``SAFETY`` is that factor of 2 and nothing else: no fudge for one machine's results.

- softmax, ``y_i = exp(x_i - m) / s``, ``s = sum_j exp(x_j - m)``, ``m`` the slice maximum,
  ``d_i = |x_i - m|``. The exponent of each term is off by ``u d_i`` from the shift and by as
  much again from the online rescale factors ``exp(m_old - m_new)``, whose arguments telescope to
  at most ``d_i``; ``exp`` adds ``4u``. Each of the ``n`` recurrence steps rounds one addition, one
  rescaling product and one rescale exp (``6u``), so ``s`` is off by a relative ``u (6n + 2H + 4)``
  where ``H = sum_j y_j d_j`` weighs the exponent errors by the terms they perturb. The division
  (or the product with ``1/s`` and a block factor) adds ``3u``. So
  ``|dy_i| <= SAFETY ((u + u_ref) (2 d_i + 2 H + 6n + 11) + 2 u_out) y_i``.
- logsumexp, ``m + log(s)``: ``log`` turns the relative error of ``s`` into an absolute one and
  adds ``4u log(s)``, the addition ``u |lse|``:
  ``SAFETY ((u + u_ref) (2H + 6n + 4 + 4 log n + |lse|) + 2 u_out |lse|)``.
- log_softmax, ``y_i = (x_i - m) - log(s)`` or ``x_i - lse`` (both forms are admitted): the shift
  is off by ``u d_i`` (or ``u |lse|`` from rounding ``lse``), ``log(s)`` as above, the final
  subtraction ``u |y_i|``: ``SAFETY ((u + u_ref) (d_i + |lse| + |y_i| + 2H + 6n + 4 + 4 log n) +
  2 u_out |y_i|)``.
- attention, ``O_i = sum_j w_ij v_j`` with ``w_i = softmax(s_i)``, ``s_ij = scale q_i . k_j``: a
  dot product of ``D`` terms is off by ``D u S_ij``, ``S_ij = |scale| sum_d |q_id| |k_jd|``, and
  applying the scale (to the product or to ``q``) by ``u S_ij`` more. With the softmax terms above,
  the exponent of weight ``j`` is off by ``A_ij = (u + u_ref) ((D + 2) S_ij + 2 |s_ij - m_i| + 6 Lk
  + 4) + u_out``, the last term for the tensor-core path (:mod:`kernels.tiled_attention`),
  which rounds the weights to the input dtype before their product with ``V``. Numerator and normaliser carry the same per-term errors, so
  ``|dO_ic| <= SAFETY (sum_j w_ij A_ij (|v_jc| + |O_ic|) + (3 (u + u_ref) + 2 u_out) |O_ic|)``.
  The large-scores term ``D S u`` is why float32 attention on large scores needs a looser bound
  than on small ones: it is the conditioning of ``exp`` at large arguments, not a kernel defect.
- scan add: any summation order of ``t`` terms is off by at most ``(t - 1) u sum|x|``; mul by a
  relative ``t u``; max and min are exact (they select an input value).
- linear recurrence ``h_t = a_t h_{t-1} + b_t``: each step rounds a product and a sum, at most
  ``2u (|a_t h_{t-1}| + |b_t|)``, carried forward by ``|a|``; a scan that composes the affine maps
  makes at most twice as many roundings per term. With ``H_t = |a_t| H_{t-1} + |b_t|``,
  ``H_{-1} = |h0|``, the recurrence on absolute values, the error is within
  ``SAFETY ((u + u_ref) 2 (t + 1) + 2 u_out) H_t``.

Underflow: each bound also allows ``2 (tiny_acc + u_out tiny_out)``: a product or ``exp`` that
flushes below the accumulation dtype's normal range (the CPU exp returns 0 below ``exp(-87)``),
and the rounding of a result in the output dtype's subnormal range, by kernel and reference.
"""

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from kernels._dtypes import accumulator_dtype

__all__ = [
    "SAFETY",
    "attention_bound",
    "compare",
    "log_softmax_bound",
    "logsumexp_bound",
    "recurrence_bound",
    "scan_bound",
    "softmax_bound",
    "sum_bound",
    "unit_roundoff",
]

SAFETY = 2.0
_U_REF = 2.0**-53
_EXP_ULPS = 4.0  # exp and log: within 4u relative
_MAX_EPS = 0.25  # beyond this first-order sum, SAFETY * eps no longer bounds the error


def unit_roundoff(dtype: npt.DTypeLike) -> float:
    """Half the distance from 1 to the next number of ``dtype``: 2**-11, 2**-24 or 2**-53."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def _accumulated(dtype) -> float:
    """The unit roundoff of the dtype kernels accumulate ``dtype`` in (float32 for float16)."""
    return unit_roundoff(accumulator_dtype(dtype))


def _floor(dtype) -> float:
    dtype = np.dtype(dtype)
    acc = accumulator_dtype(dtype)
    tiny_acc, tiny_out = float(np.finfo(acc).tiny), float(np.finfo(dtype).tiny)
    return 2.0 * (tiny_acc + unit_roundoff(dtype) * tiny_out)


def _relative(eps):
    """``SAFETY * eps`` where the first-order sum ``eps`` is small enough to bound the error."""
    eps = np.asarray(eps, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(eps <= _MAX_EPS, SAFETY * eps, np.inf)


def _finite_abs(x):
    x = np.abs(np.asarray(x, dtype=np.float64))
    return np.where(np.isfinite(x), x, 0.0)


def _softmax_terms(x, axis):
    """``(y, d, H, lse, n)`` of the derivations, in float64, zero where a value is not finite."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[axis] if x.ndim else 1
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
        d = np.abs(x - m)
        e = np.exp(x - m)
        s = np.sum(e, axis=axis, keepdims=True)
        y = e / s
        lse = m + np.log(s)
    d = np.where(np.isfinite(d), d, 0.0)
    y = np.where(np.isfinite(y), y, 0.0)
    h = np.sum(y * d, axis=axis, keepdims=True)
    lse = np.where(np.isfinite(lse), lse, 0.0)
    return y, d, h, lse, n


def softmax_bound(x: np.ndarray, dtype: npt.DTypeLike, axis: int = -1) -> np.ndarray:
    """Elementwise bound for ``softmax(x, axis)`` computed in ``dtype``."""
    y, d, h, _, n = _softmax_terms(x, axis)
    u = _accumulated(dtype) + _U_REF
    eps = u * (2 * d + 2 * h + 6 * n + 11) + 2 * unit_roundoff(dtype)
    with np.errstate(invalid="ignore"):  # inf * 0 where y underflows: the where drops it
        return np.where(y > 0, _relative(eps) * y, 0.0) + _floor(dtype)


def logsumexp_bound(x: np.ndarray, dtype: npt.DTypeLike, axis: int = -1) -> np.ndarray:
    """Elementwise bound for ``logsumexp(x, axis)`` computed in ``dtype``."""
    _, _, h, lse, n = _softmax_terms(x, axis)
    u = _accumulated(dtype) + _U_REF
    relative_s = u * (2 * h + 6 * n + 4)
    absolute = relative_s + u * (_EXP_ULPS * math.log(max(n, 1)) + np.abs(lse))
    bound = np.where(relative_s <= _MAX_EPS, SAFETY * absolute, np.inf)
    bound = bound + SAFETY * 2 * unit_roundoff(dtype) * np.abs(lse) + _floor(dtype)
    return np.squeeze(bound, axis) if np.ndim(x) else bound


def log_softmax_bound(x: np.ndarray, dtype: npt.DTypeLike, axis: int = -1) -> np.ndarray:
    """Elementwise bound for ``log_softmax(x, axis)`` computed in ``dtype``."""
    _, d, h, lse, n = _softmax_terms(x, axis)
    with np.errstate(invalid="ignore", over="ignore"):
        y = _finite_abs(np.asarray(x, dtype=np.float64) - lse)
    u = _accumulated(dtype) + _U_REF
    relative_s = u * (2 * h + 6 * n + 4)
    absolute = relative_s + u * (d + np.abs(lse) + y + _EXP_ULPS * math.log(max(n, 1)))
    bound = np.where(relative_s <= _MAX_EPS, SAFETY * absolute, np.inf)
    return bound + SAFETY * 2 * unit_roundoff(dtype) * y + _floor(dtype)


def attention_bound(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    dtype: npt.DTypeLike,
    scale: float | None = None,
    *,
    causal: bool = False,
) -> float:
    """Bound, the same for every element, for ``attention(q, k, v)`` computed in ``dtype``.

    ``causal`` must match the computation: the bound weighs each key's error by its weight.
    """
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    d, lq, lk = q.shape[-1], q.shape[-2], k.shape[-2]
    if scale is None:
        scale = 1.0 / math.sqrt(d) if d else 1.0
    u = _accumulated(dtype) + _U_REF
    u_out = unit_roundoff(dtype)
    batch = math.prod(q.shape[:-2])
    qs = q.reshape(batch, lq, d)
    ks = np.broadcast_to(k, (*q.shape[:-2], lk, d)).reshape(batch, lk, d)
    vs = np.broadcast_to(v, (*q.shape[:-2], lk, v.shape[-1])).reshape(batch, lk, v.shape[-1])
    worst = 0.0
    for b in range(qs.shape[0]):
        va = _finite_abs(vs[b])
        for i0 in range(0, lq, 256):  # 256 query rows at a time: never the whole Lq x Lk matrix
            qi = qs[b, i0 : i0 + 256]
            with np.errstate(invalid="ignore", over="ignore"):
                s = scale * (qi @ ks[b].T)
                big = abs(scale) * (np.abs(qi) @ np.abs(ks[b]).T)
            if causal:
                visible = np.arange(lk)[None, :] <= np.arange(i0, i0 + qi.shape[0])[:, None]
                s = np.where(visible, s, -np.inf)
            with np.errstate(invalid="ignore", over="ignore"):
                m = np.max(s, axis=-1, keepdims=True)
                w = np.exp(s - m)
                w /= np.sum(w, axis=-1, keepdims=True)
                gap = np.where(np.isfinite(s), np.abs(s - m), 0.0)
                exponent = u * ((d + 2) * big + 2 * gap + 6 * lk + 4) + u_out
                out = np.abs(w @ vs[b])
                weighted = (w * exponent) @ va + np.sum(w * exponent, -1, keepdims=True) * out
                error = weighted + (3 * u + 2 * u_out) * out
            if not np.all(np.isfinite(error)) or np.max(exponent * (w > 0), initial=0) > _MAX_EPS:
                return math.inf
            worst = max(worst, float(np.max(error, initial=0.0)))
    vmax = float(np.max(_finite_abs(v), initial=0.0))
    return SAFETY * worst + _floor(dtype) * lk * max(1.0, vmax)


def sum_bound(mass: Any, terms: Any, dtype: npt.DTypeLike) -> Any:
    """Bound for a sum of ``terms`` numbers whose absolute values add up to ``mass``, computed in
    ``dtype`` (any order). Works on numpy or cupy arrays alike, so a device can evaluate it."""
    u, u_out = _accumulated(dtype) + _U_REF, unit_roundoff(dtype)
    return SAFETY * (u * terms + 2 * u_out) * mass + _floor(dtype)


def scan_bound(x: np.ndarray, op: str, dtype: npt.DTypeLike, axis: int = -1) -> np.ndarray:
    """Elementwise bound for an inclusive ``scan(x, op, axis)`` computed in ``dtype``."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    n = x.shape[-1]
    t = np.arange(1, n + 1, dtype=np.float64)
    u, u_out = _accumulated(dtype) + _U_REF, unit_roundoff(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        if op == "add":
            bound = sum_bound(np.cumsum(_finite_abs(x), axis=-1), t, dtype)
        elif op == "mul":
            bound = SAFETY * (u * t + 2 * u_out) * np.abs(np.cumprod(x, axis=-1)) + _floor(dtype)
        elif op in ("max", "min"):
            bound = np.zeros_like(x)
        else:
            raise ValueError(f"op must be one of add, mul, max, min, got {op!r}")
    bound = np.where(np.isfinite(bound), bound, np.inf)
    return np.moveaxis(bound, -1, axis)


def recurrence_bound(
    a: np.ndarray, b: np.ndarray, h0: np.ndarray, dtype: npt.DTypeLike, axis: int = -1
) -> np.ndarray:
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
        u = _accumulated(dtype) + _U_REF
        bound = SAFETY * (u * 2 * (t + 1) + 2 * unit_roundoff(dtype)) * big
    bound = np.where(np.isfinite(bound), bound, np.inf)
    return np.moveaxis(bound + _floor(dtype), -1, axis)


def compare(
    actual: np.ndarray, expected: np.ndarray, bound: np.ndarray, *, max_shown: int = 5
) -> str | None:
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
#   angle ``p * theta`` with ``theta = base**(-e)``, ``e = 2i/D``, is formed in float64: ``e``
#   is off by ``u64 e``, which ``base**e`` turns into ``u64 e ln(base)`` relatively; the power
#   adds ``u64`` and the product ``u64``, so the angle is off by ``(2 + e ln base) u64 |angle|``
#   (absolutely), cos and sin are rounded to the accumulator (``u_acc``), two products and a sum
#   add ``2 u_acc``, the store ``u_out``: within
#   ``C * (3 u_acc + u_out + (2 + e ln base) u64 |angle|) * (|a| + |b|)``.
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


def rope_bound(
    x: np.ndarray,
    dtype: npt.DTypeLike,
    positions: np.ndarray | None = None,
    base: float = 10000.0,
    interleaved: bool = True,
) -> np.ndarray:
    """Elementwise bound for ``rope(x, positions, base=base, interleaved=interleaved)``."""
    x = np.asarray(x, dtype=np.float64)
    length, d = x.shape[-2:]
    half = d // 2
    p = np.arange(length, dtype=np.float64) if positions is None else positions
    p = np.abs(np.asarray(p, dtype=np.float64)).reshape(length)
    e = 2.0 * np.arange(half) / d if d else np.zeros(0)
    theta = float(base) ** -e
    angle = p[:, None] * theta[None, :]  # (L, D/2)
    angle_rel = 2.0 + e * math.log(float(base))  # the rounding of e, the power and the product
    ax = _finite_abs(x)
    if interleaved:
        pair = ax[..., 0::2] + ax[..., 1::2]
    else:
        pair = ax[..., :half] + ax[..., half:]
    rel = SAFETY * (
        3 * _accumulated(dtype)
        + unit_roundoff(dtype)
        + unit_roundoff(np.float64) * angle_rel * angle
    )
    per_pair = rel * pair
    if interleaved:
        bound = np.repeat(per_pair, 2, axis=-1)
    else:
        bound = np.concatenate([per_pair, per_pair], axis=-1)
    return bound + _floor(dtype)


def linear_attention_bound(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, dtype: npt.DTypeLike
) -> np.ndarray:
    """Bound for ``linear_attention(q, k, v)`` in ``dtype``, one value per leading index (shape
    ``(..., 1, 1)``, broadcastable to the output); also holds for ``causal=True``."""
    q, v = np.asarray(q, dtype=np.float64), np.asarray(v, dtype=np.float64)
    d, lk = q.shape[-1], v.shape[-2]
    vmax = np.max(_finite_abs(v), axis=(-2, -1), keepdims=True, initial=0.0)
    rel = SAFETY * (_accumulated(dtype) * (2 * d + lk + 4) + unit_roundoff(dtype))
    return rel * vmax + _floor(dtype)


def selective_scan_bound(
    u: np.ndarray,
    delta: np.ndarray,
    A: np.ndarray,
    B: np.ndarray,
    C: np.ndarray,
    D: np.ndarray,
    dtype: npt.DTypeLike,
) -> np.ndarray:
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
