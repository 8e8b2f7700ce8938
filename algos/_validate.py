"""Argument checks shared by every topic of ``algos``: the one place they are written.

Each check raises ``TypeError`` for the wrong kind of thing and ``ValueError`` for a wrong value,
with a message that names the argument and shows what was given, before any work starts. The
module is private; its names are public so that every topic can import them.
"""

import math
import numbers
import operator
from collections.abc import Iterable

import numpy as np

__all__ = [
    "check_bool",
    "check_finite_real",
    "check_hashable",
    "check_int",
    "check_int_array",
    "check_int_list",
    "check_numeric_array",
    "check_real_sequence",
    "is_array",
]


def is_array(value: object) -> bool:
    """True for a numpy array: such input takes the compiled (numba) path."""
    return isinstance(value, np.ndarray)


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` as a ``bool``; only ``True``/``False`` (and numpy's bools) are flags.

    A string such as ``"no"`` is truthy and ``None`` falsy: taking either as a flag would
    silently do the opposite of what was meant.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return ``value`` as a Python int; ``bool`` is not accepted as an integer."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = operator.index(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_int_list(name: str, values: Iterable, *, minimum: int | None = None) -> list[int]:
    """Return ``values`` as a list of Python ints, each checked as by :func:`check_int`.

    A 1-D integer numpy array is checked as a whole (its dtype, then its minimum)."""
    if is_array(values):
        return check_int_array(name, values, minimum=minimum).tolist()
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {type(values).__name__}")
    out = []
    for i, value in enumerate(values):
        out.append(check_int(f"{name}[{i}]", value, minimum=minimum))
    return out


def check_int_array(name: str, values: np.ndarray, *, minimum: int | None = None) -> np.ndarray:
    """Check a 1-D numpy array of integers (any byte order), each ``>= minimum``; return it."""
    if values.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {values.dtype}")
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {values.shape}")
    if minimum is not None and values.size and values.min() < minimum:
        i = int(np.argmax(values < minimum))
        raise ValueError(f"{name}[{i}] must be >= {minimum}, got {values[i]}")
    return values


def check_finite_real(name: str, value: object) -> float:
    """Return ``value`` as a finite ``float``; ``bool`` is not a number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_hashable(name: str, value: object) -> object:
    """Return ``value`` if it can be a dict key (a token, a gram's item)."""
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"{name} must be hashable, got {type(value).__name__}") from None
    return value


def check_real_sequence(name: str, values: object, *, allow_nan: bool = True) -> list:
    """Return the items of a sequence of real numbers as a list (``bool`` is not a number).

    With ``allow_nan=False`` a NaN is a ``ValueError`` that says where it is.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(
            f"{name} must be a sequence of numbers or a numpy array, got {type(values).__name__}"
        )
    items = list(values)
    for i, x in enumerate(items):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
            raise TypeError(f"{name}[{i}] must be a real number, got {type(x).__name__} {x!r}")
        if not allow_nan and x != x:
            raise ValueError(f"{name} must not hold NaN (found at index {i})")
    return items


def check_numeric_array(name: str, values: np.ndarray, *, ndim: int = 1) -> np.ndarray:
    """Check a numpy array of integers or floats with ``ndim`` dimensions; return it unchanged.

    Any byte order is accepted: the callers convert to native order before a kernel sees it.
    """
    if values.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {values.shape}")
    if values.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integers or floats, got dtype {values.dtype}")
    return values
