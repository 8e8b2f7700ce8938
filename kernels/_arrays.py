"""Array-module routing: numpy or cupy, decided from the array, without importing cupy.

A kernel's public function checks its arguments (:mod:`kernels._checks`, dtype rules in
:mod:`kernels._dtypes`), then routes: numpy arrays to a numba CPU kernel, cupy arrays to a
numba.cuda kernel. cupy is recognised by the array's type and imported only for cupy input.
"""

from typing import Any, TypeAlias

import numpy as np

__all__ = ["Array", "array_module", "is_cupy_array"]

# A numpy or a cupy ndarray: cupy is optional, so its type cannot be named here.
Array: TypeAlias = Any


def is_cupy_array(x: Any) -> bool:
    """True for a cupy ndarray, decided without importing cupy."""
    return type(x).__module__.split(".")[0] == "cupy" and hasattr(x, "__cuda_array_interface__")


def array_module(x: Any) -> Any:
    """numpy for host arrays, cupy for cupy arrays: the module that allocates outputs like ``x``."""
    if is_cupy_array(x):
        import cupy

        return cupy
    return np
