"""Array-module routing: numpy or cupy, decided from the array, without importing cupy.

A kernel's public function checks its arguments (:mod:`kernels._checks`, dtype rules in
:mod:`kernels._dtypes`), then routes: numpy arrays to a numba CPU kernel, cupy arrays to a
numba.cuda kernel. cupy is recognised by the array's type and imported only for cupy input.
"""

import numpy as np

__all__ = ["array_module", "is_cupy_array"]


def is_cupy_array(x) -> bool:
    """True for a cupy ndarray, decided without importing cupy."""
    return type(x).__module__.split(".")[0] == "cupy" and hasattr(x, "__cuda_array_interface__")


def array_module(x):
    """numpy for host arrays, cupy for cupy arrays: the module that allocates outputs like ``x``."""
    if is_cupy_array(x):
        import cupy

        return cupy
    return np


# Names that lived here before the checks and the dtype rules got modules of their own; importable
# from here until every caller imports them from their new home.
_MOVED = {
    "FLOAT_DTYPES": "kernels._dtypes",
    "accumulator_dtype": "kernels._dtypes",
    "as_float_array": "kernels._checks",
    "check_flag": "kernels._checks",
    "normalize_axis": "kernels._checks",
    "as_array": "kernels._checks",
}


def __getattr__(name):
    if name in _MOVED:
        from importlib import import_module

        return getattr(import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
