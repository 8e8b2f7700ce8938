"""Argument checks shared by every kernel and reference: the one place they live.

A public function calls these once, before any work, then hands checked arrays to a numba kernel
(numpy) or a numba.cuda kernel (cupy): numba does no bounds checks, so nothing unchecked may reach
it. Bad input raises ``TypeError`` (wrong kind) or ``ValueError`` (wrong value) with a message that
names the argument and what was given.
"""

import math
import operator

import numpy as np

from kernels._arrays import array_module, is_cupy_array
from kernels._dtypes import FLOAT_DTYPES, float_dtype_for

__all__ = [
    "LINEAR_ATTENTION_FEATURE_MAPS",
    "as_array",
    "as_float_array",
    "check_attention_args",
    "check_flag",
    "check_linear_attention_args",
    "check_out",
    "check_rope_args",
    "check_scale",
    "check_selective_scan_args",
    "normalize_axis",
]


def as_array(name: str, x):
    """``x`` as an array of its own module, in native byte order: the first step of every check.

    Lists and scalars go through ``np.asarray``; a big-endian array on a little-endian machine
    (``'>f8'``, as read from some files) is converted to native order, the only order numba
    kernels read.
    """
    if not is_cupy_array(x) and not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from exc
    if not x.dtype.isnative:
        x = x.astype(x.dtype.newbyteorder("="))
    return x


def as_float_array(name: str, x):
    """``x`` as a float16/32/64 array of its own module, in native byte order.

    Integer and bool arrays are converted by :func:`kernels._dtypes.float_dtype_for`. Complex,
    object and other dtypes raise ``TypeError``.
    """
    x = as_array(name, x)
    kind = x.dtype.kind
    if kind == "f" and x.dtype in FLOAT_DTYPES:
        return x
    if kind in "biu":
        return x.astype(float_dtype_for(x.dtype))
    raise TypeError(f"{name} must hold real numbers, got dtype {x.dtype}")


def normalize_axis(axis, ndim: int, name: str = "axis") -> int:
    """``axis`` as a non-negative int below ``ndim``; negative values count from the end."""
    if isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got bool")
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__} {axis!r}") from None
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} {axis} is out of range for an array of {ndim} dimension(s)")
    return axis % ndim


def check_out(out, shape: tuple, dtype, inputs: dict, *, in_place: tuple = ()):
    """``out`` checked by numpy's rules for a result of ``shape`` and ``dtype``; ``None`` passes.

    ``inputs`` maps the argument names to the checked input arrays (their module is the one
    ``out`` must have). ``out`` may be exactly one of the inputs named in ``in_place`` (the same
    memory in the same layout), where the algorithm reads each element before it writes it; any
    other overlap with an input raises ``ValueError``, since the kernel would read what it has
    already overwritten.
    """
    if out is None:
        return None
    like = next(iter(inputs.values()))
    on_gpu = is_cupy_array(like)
    if is_cupy_array(out) != on_gpu or not (on_gpu or isinstance(out, np.ndarray)):
        kind = "a cupy array" if on_gpu else "a numpy array"
        raise TypeError(f"out must be {kind}, like the input, got {type(out).__name__}")
    if out.shape != tuple(shape):
        raise ValueError(f"out must have shape {tuple(shape)}, got {out.shape}")
    if out.dtype != np.dtype(dtype):
        raise TypeError(f"out must have dtype {np.dtype(dtype)} (the result's), got {out.dtype}")
    if not on_gpu and not out.flags.writeable:
        raise ValueError("out must be writeable, got a read-only array")
    overlaps = array_module(out).may_share_memory if on_gpu else np.shares_memory
    for name, x in inputs.items():
        if x is None or not overlaps(out, x):
            continue
        if name in in_place and _same_view(out, x):
            continue
        allowed = f" (it may be {' or '.join(in_place)} itself)" if in_place else ""
        raise ValueError(f"out must not overlap {name}{allowed}")
    return out


def _same_view(a, b) -> bool:
    """``a`` and ``b`` are the same elements in the same layout (not merely overlapping)."""
    if a.shape != b.shape or a.strides != b.strides or a.dtype != b.dtype:
        return False
    if is_cupy_array(a):
        return a.data.ptr == b.data.ptr
    return a.__array_interface__["data"][0] == b.__array_interface__["data"][0]


def check_flag(name: str, value) -> bool:
    """``value`` if it is a bool (Python or numpy), else ``TypeError``: ``"no"`` is not False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)


def check_scale(scale, d: int) -> float:
    """The attention scale: ``1/sqrt(d)`` for ``None``, else a finite real number as a float."""
    if scale is None:
        return 1.0 / math.sqrt(d)
    if isinstance(scale, (bool, np.bool_)) or not isinstance(
        scale, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"scale must be a real number or None, got {type(scale).__name__}")
    if not np.isfinite(scale):
        raise ValueError(f"scale must be finite, got {scale}")
    return float(scale)


def check_attention_args(q, k, v, causal, scale):
    """``(q, k, v, causal, scale)`` checked as every attention implementation needs them.

    ``q (..., Lq, D)``, ``k (..., Lk, D)``, ``v (..., Lk, Dv)`` float arrays with equal leading
    dimensions, ``D >= 1`` and ``Lk >= 1``; ``causal`` a bool; ``scale`` a finite float
    (``1/sqrt(D)`` for ``None``). q, k and v are all cupy arrays or all host arrays.
    """
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
    on_gpu = [is_cupy_array(a) for a in (q, k, v)]
    if any(on_gpu) and not all(on_gpu):
        raise TypeError("q, k and v must all be cupy arrays or all be host arrays, got a mix")
    causal = check_flag("causal", causal)
    return q, k, v, causal, check_scale(scale, q.shape[-1])


# --- rope, linear attention, selective scan ---------------------------------------------------

LINEAR_ATTENTION_FEATURE_MAPS = ("elu",)


def check_rope_args(x, positions, base, interleaved):
    """``(x, positions as float64 (L,), base as float, interleaved)`` after every check of rope.

    ``positions`` stays in ``x``'s array module (numpy or cupy).
    """
    x = as_float_array("x", x)
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
    q, k, v = check_attention_args(q, k, v, causal, None)[:3]
    return q, k, v, bool(causal), feature_map


def check_selective_scan_args(u, delta, A, B, C, D):
    """``(u, delta, A, B, C, D)`` as float arrays after every shape check of the selective scan."""
    u, delta, A, B, C = (
        as_float_array(name, a)
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
        D = as_float_array("D", D)
        if D.shape != (dim,):
            raise ValueError(f"D must have shape (dim,) = ({dim},), got {D.shape}")
    modules = {array_module(a) for a in (u, delta, A, B, C) + (() if D is None else (D,))}
    if len(modules) > 1:
        raise TypeError("u, delta, A, B, C and D must all be cupy arrays or all host arrays")
    return u, delta, A, B, C, D
