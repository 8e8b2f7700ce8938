"""Dtype rules shared by every kernel, its reference and its tolerance: the one place they live.

- Accepted floats: float16, float32, float64. Integer and bool input becomes the float dtype
  numpy's ufuncs would give it (int8 -> float16, int16 -> float32, wider -> float64).
- A result has the dtype of its inputs combined (``np.result_type``).
- float16 is accumulated in float32 (its 11-bit significand would lose a sum of a few thousand
  terms entirely); float32 and float64 accumulate in themselves.
"""

import numpy as np

__all__ = [
    "FLOAT_DTYPES",
    "accumulator_dtype",
    "device_scan_dtype",
    "float_dtype_for",
    "result_dtype",
]

FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def accumulator_dtype(dtype) -> np.dtype:
    """The dtype a kernel accumulates in: float32 for float16, the dtype itself otherwise."""
    return np.dtype(np.float32) if np.dtype(dtype) == np.float16 else np.dtype(dtype)


def device_scan_dtype(dtype) -> np.dtype:
    """The dtype a GPU scan computes ``dtype`` in: at least 32 bits, since warp shuffles and
    compare-and-swap take 32- or 64-bit words. Integer wraparound is the same modulo 2^8 or 2^16,
    so narrow integers widen to the 32-bit integer of their sign; floats follow
    :func:`accumulator_dtype`."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu" and dtype.itemsize < 4:
        return np.dtype(np.int32 if dtype.kind == "i" else np.uint32)
    return accumulator_dtype(dtype)


def float_dtype_for(dtype) -> np.dtype:
    """The float dtype an integer or bool dtype converts to, as numpy's ufuncs convert it."""
    return np.result_type(np.dtype(dtype), np.float16)


def result_dtype(*dtypes) -> np.dtype:
    """The dtype of a result computed from inputs of ``dtypes``."""
    return np.result_type(*dtypes)
