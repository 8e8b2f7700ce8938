"""Validation, dtype handling and array-module routing shared by every kernel.

A public kernel function calls these once, then hands a checked array to a numba kernel (numpy) or
to a numba.cuda kernel (cupy). cupy is recognised by the array's type, never imported here.
"""

import operator

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def is_cupy_array(x):
    """True for a cupy ndarray, decided without importing cupy."""
    return type(x).__module__.split(".")[0] == "cupy" and hasattr(x, "__cuda_array_interface__")


def array_module(x):
    """numpy for host arrays, cupy for cupy arrays: the module that allocates outputs like ``x``."""
    if is_cupy_array(x):
        import cupy

        return cupy
    return np


def as_array(name, x):
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


def as_float_array(name, x):
    """``x`` as a float16/32/64 array of its own module, in native byte order.

    Lists and scalars go through ``np.asarray``. Integer and bool arrays are converted as numpy's
    ufuncs convert them (int8 -> float16, int16 -> float32, wider -> float64). Complex, object and
    other dtypes raise ``TypeError``.
    """
    x = as_array(name, x)
    kind = x.dtype.kind
    if kind == "f" and x.dtype in FLOAT_DTYPES:
        return x
    if kind in "biu":
        return x.astype(np.result_type(x.dtype, np.float16))
    raise TypeError(f"{name} must hold real numbers, got dtype {x.dtype}")


def accumulator_dtype(dtype):
    """The dtype a kernel accumulates in: float32 for float16, the dtype itself otherwise."""
    return np.dtype(np.float32) if np.dtype(dtype) == np.float16 else np.dtype(dtype)


def normalize_axis(axis, ndim, name="axis"):
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


def check_flag(name, value):
    """``value`` if it is a bool (Python or numpy), else ``TypeError``: ``"no"`` is not False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)
