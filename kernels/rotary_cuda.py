"""Rotary position embeddings on the GPU: one thread per (position, pair), a stack of rows each.

A thread owns pair ``i`` of position ``l`` (neighbouring threads own neighbouring pairs of the same
row, so loads and stores are coalesced) and a group of ``rows_per_thread`` leading indices
(``blockIdx.y``): it forms the angle ``positions[l] * theta_i`` in float64 once, and rotates that
pair in each of its rows. Traffic: one read and one write of ``x``, plus ``8 L`` bytes of positions;
the sine and cosine are computed once per ``rows_per_thread`` pairs. For float16 and float32 the
float64 angle is reduced (exactly, by ``fmod``) below ``2 pi`` before sine and cosine are taken in float32, so large
positions keep their precision without float64 trigonometry.

The launcher follows :mod:`kernels._cudalaunch` (cupy arrays on cupy's stream, numpy arrays in
numba's CUDA simulator); cupy is never imported at module import time.
"""

import functools
import math
from typing import Any

import numba
import numpy as np
from numba import cuda

from kernels._arrays import Array
from kernels._cudalaunch import device_arrays, launch_stream, on_stream
from kernels._dtypes import accumulator_dtype

__all__ = ["launch"]

_TWO_PI = 2.0 * math.pi
_MAX_GRID_Y = 65535


def launch(
    x3: Array,
    positions: Array,
    inv_freq: Array,
    interleaved: bool,
    out3: Array,
    stream: Any = None,
    *,
    block: int = 128,
    rows_per_thread: int = 8,
) -> Array:
    """Rotate the validated ``x3 (rows, L, D)`` into ``out3`` (same shape and dtype; may be x3).

    ``positions (L,)`` and ``inv_freq (D/2,)`` are float64 device arrays (numpy in the simulator).
    ``stream`` is a cupy stream (``None``: cupy's current stream).
    """
    if not 1 <= block <= 1024:
        raise ValueError(f"block must lie in [1, 1024], got {block}")
    if rows_per_thread < 1:
        raise ValueError(f"rows_per_thread must be at least 1, got {rows_per_thread}")
    rows, length, d = x3.shape
    pairs = length * (d // 2)
    if rows == 0 or pairs == 0:
        return out3
    rows_per_thread = max(rows_per_thread, -(-rows // _MAX_GRID_Y))  # gridDim.y <= 65535
    grid = (-(-pairs // block), -(-rows // rows_per_thread))
    kernel = _rope_kernel(accumulator_dtype(x3.dtype).name)
    x_d, positions, inv_freq, out_d = device_arrays(x3, positions, inv_freq, out3)
    with on_stream(stream):
        kernel[grid, block, launch_stream(x3, stream)](
            x_d, positions, inv_freq, bool(interleaved), out_d, rows_per_thread
        )
    return out3


@functools.cache
def _rope_kernel(acc_name):
    acc = numba.from_dtype(np.dtype(acc_name))
    reduce_angle = acc_name != "float64"

    @cuda.jit
    def rope_pairs(x, positions, inv_freq, interleaved, out, rows_per_thread):
        rows, length, d = x.shape
        half = d // 2
        g = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
        if g >= length * half:
            return
        l, i = g // half, g % half
        angle = positions[l] * inv_freq[i]
        if reduce_angle:
            angle = math.fmod(angle, _TWO_PI)  # exact: the float32 sine sees |angle| < 2 pi
        c, s = math.cos(acc(angle)), math.sin(acc(angle))
        first, second = (2 * i, 2 * i + 1) if interleaved else (i, i + half)
        r0 = cuda.blockIdx.y * rows_per_thread
        for r in range(r0, min(r0 + rows_per_thread, rows)):
            a, b = acc(x[r, l, first]), acc(x[r, l, second])
            out[r, l, first] = a * c - b * s
            out[r, l, second] = a * s + b * c

    return rope_pairs
