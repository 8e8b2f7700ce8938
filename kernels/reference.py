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
  0 elsewhere. NaN anywhere in a slice makes the whole slice NaN.
* attention: ``q (..., Lq, D)``, ``k (..., Lk, D)``, ``v (..., Lk, Dv)`` with equal leading
  dimensions (no broadcasting). ``causal=True`` masks key ``j > i`` for query ``i`` (top-left
  aligned, as ``torch.nn.functional.scaled_dot_product_attention``), so every query sees key 0 and
  no row is ever fully masked; ``Lk == 0`` is refused (``ValueError``): there is nothing to attend.
* scan: integer dtypes stay integer and wrap on overflow; bool and float inputs become floats as in
  :func:`kernels._arrays.as_float_array`. An exclusive scan starts from the identity of ``op``.
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

from kernels._arrays import array_module, as_float_array, normalize_axis

SCAN_OPS = ("add", "mul", "max", "min")


# --- softmax family -------------------------------------------------------------------------


def logsumexp(x, axis=-1):
    """``log(sum(exp(x)))`` along ``axis`` (the axis is removed), shifted by the finite maximum."""
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, shift = _shift_by_max(x, axis)
    with np.errstate(divide="ignore"):
        return np.squeeze(
            shift + np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)), axis
        ).astype(x.dtype)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``."""
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, _ = _shift_by_max(x, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def softmax(x, axis=-1):
    """``exp(x - max) / sum(exp(x - max))`` along ``axis``: non-negative, each slice sums to 1."""
    x = as_float_array("x", x)
    axis = normalize_axis(axis, x.ndim)
    shifted, _ = _shift_by_max(x, axis)
    e = np.exp(shifted)
    with np.errstate(invalid="ignore"):
        return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)


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


def attention(q, k, v, *, causal=False, scale=None):
    """``softmax(q @ k^T * scale, masked) @ v`` with the full score matrix materialised."""
    q, k, v = check_attention_args(q, k, v, scale)
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    d = q.shape[-1]
    scale = 1.0 / np.sqrt(d) if scale is None else float(scale)
    scores = np.matmul(q.astype(np.float64), np.swapaxes(k.astype(np.float64), -1, -2)) * scale
    if causal:
        lq, lk = scores.shape[-2:]
        visible = np.arange(lk)[None, :] <= np.arange(lq)[:, None]
        scores = np.where(visible, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return np.matmul(weights, v.astype(np.float64)).astype(dtype)


def check_attention_args(q, k, v, scale):
    """``q, k, v`` as float arrays after the shape checks every attention implementation shares."""
    q, k, v = (as_float_array(name, a) for name, a in (("q", q), ("k", k), ("v", v)))
    for name, a in (("q", q), ("k", k), ("v", v)):
        if a.ndim < 2:
            raise ValueError(
                f"{name} must have at least 2 dimensions (..., L, D), got shape {a.shape}"
            )
    if not q.shape[:-2] == k.shape[:-2] == v.shape[:-2]:
        raise ValueError(
            "q, k and v must have the same leading dimensions, got shapes "
            f"{q.shape}, {k.shape} and {v.shape}"
        )
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"k must have the feature size D = {q.shape[-1]} of q, got shape {k.shape}"
        )
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"v must have as many rows as k (Lk = {k.shape[-2]}), got shape {v.shape}")
    if k.shape[-2] == 0:
        raise ValueError(f"k must hold at least one key, got shape {k.shape}")
    if q.shape[-1] == 0:
        raise ValueError(f"q must have a feature size D >= 1, got shape {q.shape}")
    if scale is not None:
        if isinstance(scale, (bool, np.bool_)) or not isinstance(
            scale, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"scale must be a real number or None, got {type(scale).__name__}")
        if not np.isfinite(scale):
            raise ValueError(f"scale must be finite, got {scale}")
    return q, k, v


# --- scan and linear recurrence -------------------------------------------------------------


def scan(x, op="add", axis=-1, *, inclusive=True):
    """Prefix ``op`` along ``axis``: ``out[i] = x[0] op ... op x[i]`` (``x[i-1]`` if exclusive).

    ``op`` is one of ``"add"``, ``"mul"``, ``"max"``, ``"min"``. Integer input stays in its dtype
    and wraps on overflow; float input is accumulated in float64 and returned in its dtype. The
    exclusive scan starts from the identity: 0, 1, the dtype's lowest (max) or highest (min) value,
    ``-inf`` / ``inf`` for floats. NaN propagates for every op.
    """
    if op not in SCAN_OPS:
        raise ValueError(f"op must be one of {', '.join(SCAN_OPS)}, got {op!r}")
    x = _as_scan_array(x)
    axis = normalize_axis(axis, x.ndim)
    is_int = x.dtype.kind in "iu"
    work = x if is_int else x.astype(np.float64)
    ufunc = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}[op]
    out = ufunc.accumulate(work, axis=axis, dtype=work.dtype)
    if not inclusive and x.shape[axis] > 0:
        identity = np.full(_without(x.shape, axis), _identity(op, x.dtype), dtype=work.dtype)
        out = np.concatenate(
            [np.expand_dims(identity, axis), np.delete(out, -1, axis=axis)], axis=axis
        )
    with np.errstate(over="ignore"):  # float16 sums past 65504 become inf, as numpy casts
        return out.astype(x.dtype)


def _as_scan_array(x):
    if isinstance(x, np.ndarray) and x.dtype.kind in "iu":
        return x
    if not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"x must be an array of numbers, got {type(x).__name__}") from exc
        if x.dtype.kind in "iu":
            return x
    return as_float_array("x", x)


def _identity(op, dtype):
    if op == "add":
        return 0
    if op == "mul":
        return 1
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return info.min if op == "max" else info.max
    return -np.inf if op == "max" else np.inf


def linear_recurrence(a, b, h0=None, axis=-1):
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

LINEAR_ATTENTION_FEATURE_MAPS = ("elu",)


def rope(x, positions=None, *, base=10000.0, interleaved=True):
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


def check_rope_args(x, positions, base, interleaved):
    """``(x, positions as float64 (L,), base as float, interleaved)`` after every check of rope.

    ``positions`` stays in ``x``'s array module (numpy or cupy).
    """
    x = as_float_array("x", _native_byte_order(x))
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., L, D), got shape {x.shape}")
    length, d = x.shape[-2:]
    if d % 2:
        raise ValueError(f"x must have an even feature size D to form pairs, got D = {d}")
    if not isinstance(interleaved, (bool, np.bool_)):
        raise TypeError(f"interleaved must be a bool, got {type(interleaved).__name__}")
    if isinstance(base, (bool, np.bool_)) or not isinstance(
        base, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"base must be a real number, got {type(base).__name__}")
    if not (np.isfinite(base) and base > 0):
        raise ValueError(f"base must be a finite number > 0, got {base}")
    xp = array_module(x)
    if positions is None:
        positions = xp.arange(length, dtype=np.float64)
    else:
        if array_module(positions) is not xp:
            positions = xp.asarray(positions)
        if not hasattr(positions, "dtype"):
            try:
                positions = np.asarray(positions)
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"positions must be an array of numbers, got {type(positions).__name__}"
                ) from exc
        if positions.dtype.kind not in "iuf":
            raise TypeError(f"positions must hold integers or floats, got dtype {positions.dtype}")
        if positions.ndim == 0 and length == 1:
            positions = positions.reshape(1)
        if positions.shape != (length,):
            raise ValueError(
                f"positions must have shape ({length},) (one per row of x), got {positions.shape}"
            )
        positions = positions.astype(np.float64)
    return x, positions, float(base), bool(interleaved)


def linear_attention(q, k, v, *, causal=False, feature_map="elu"):
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


def check_linear_attention_args(q, k, v, causal, feature_map):
    """``(q, k, v, causal, feature_map)`` after every check linear attention shares."""
    if not isinstance(causal, (bool, np.bool_)):
        raise TypeError(f"causal must be a bool, got {type(causal).__name__}")
    if not isinstance(feature_map, str):
        raise TypeError(f"feature_map must be a string, got {type(feature_map).__name__}")
    if feature_map not in LINEAR_ATTENTION_FEATURE_MAPS:
        raise ValueError(
            f"feature_map must be one of {', '.join(LINEAR_ATTENTION_FEATURE_MAPS)}, "
            f"got {feature_map!r}"
        )
    q, k, v = check_attention_args(*(_native_byte_order(a) for a in (q, k, v)), None)
    return q, k, v, bool(causal), feature_map


def _elu_plus_one(x):
    with np.errstate(over="ignore"):
        return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def selective_scan(u, delta, A, B, C, D=None):
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


def check_selective_scan_args(u, delta, A, B, C, D):
    """``(u, delta, A, B, C, D)`` as float arrays after every shape check of the selective scan."""
    u, delta, A, B, C = (
        as_float_array(name, _native_byte_order(a))
        for name, a in (("u", u), ("delta", delta), ("A", A), ("B", B), ("C", C))
    )
    if u.ndim != 3:
        raise ValueError(f"u must have shape (batch, dim, L), got shape {u.shape}")
    batch, dim, length = u.shape
    if delta.shape != u.shape:
        raise ValueError(f"delta must have the shape of u {u.shape}, got {delta.shape}")
    if A.ndim != 2 or A.shape[0] != dim:
        raise ValueError(f"A must have shape (dim, N) with dim = {dim}, got {A.shape}")
    n = A.shape[1]
    for name, a in (("B", B), ("C", C)):
        if a.shape != (batch, n, length):
            raise ValueError(
                f"{name} must have shape (batch, N, L) = {(batch, n, length)}, got {a.shape}"
            )
    if D is not None:
        D = as_float_array("D", _native_byte_order(D))
        if D.shape != (dim,):
            raise ValueError(f"D must have shape (dim,) = ({dim},), got {D.shape}")
    modules = {array_module(a) for a in (u, delta, A, B, C) + (() if D is None else (D,))}
    if len(modules) > 1:
        raise TypeError("u, delta, A, B, C and D must all be cupy arrays or all host arrays")
    return u, delta, A, B, C, D


def _native_byte_order(x):
    """``x`` with its bytes in the machine's order (a copy only if they were not)."""
    if isinstance(x, np.ndarray) and not x.dtype.isnative:
        return x.astype(x.dtype.newbyteorder("="))
    return x
