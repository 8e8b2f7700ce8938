"""Argument checks shared by every topic of ``algos``.

Each check raises ``TypeError`` for the wrong kind of thing and ``ValueError`` for a wrong value,
with a message that names the argument and shows what was given, before any work starts.
"""

import numbers
import operator

import numpy as np


def is_array(value):
    """True for a numpy array: such input takes the compiled (numba) path."""
    return isinstance(value, np.ndarray)


def check_int(name, value, *, minimum=None):
    """Return ``value`` as a Python int; ``bool`` is not accepted as an integer."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = operator.index(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_int_list(name, values, *, minimum=None):
    """Return ``values`` as a list of Python ints, each checked as by :func:`check_int`."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {type(values).__name__}")
    out = []
    for i, value in enumerate(values):
        out.append(check_int(f"{name}[{i}]", value, minimum=minimum))
    return out


def check_numeric_array(name, values, *, ndim=1):
    """Check a numpy array of integers or floats with ``ndim`` dimensions; return it unchanged."""
    if values.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {values.shape}")
    if values.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integers or floats, got dtype {values.dtype}")
    return values
