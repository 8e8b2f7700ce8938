"""Prefix scan on the GPU: :func:`kernels.prefix_scan.scan` as an instance of the look-back scan
core :mod:`kernels._scan_core_cuda`.

The state is one value, ``combine`` is ``op`` and the identity that of ``op`` for the input's
dtype. Values narrower than 32 bits (int8/16, uint8/16, float16) are loaded as they are,
converted to 32 bits in registers (the shuffles and the look-back's compare-and-swap need 32 or
64 bits) and converted back as they are stored: integer wraparound is the same modulo 2^8 or
2^16, and float16 is accumulated in float32 as on the CPU. The kernel reads ``x`` once and
writes ``out`` once: 2 * n * itemsize bytes.
"""

import functools
from typing import Any

import numpy as np
from numba import cuda

from kernels._arrays import Array, array_module
from kernels._cudalaunch import on_stream
from kernels._dtypes import device_scan_dtype
from kernels._scan_core import scan_identity
from kernels._scan_core_cuda import ScanInstance, rows_back, run_scan

__all__ = ["launch"]


def launch(
    x: Array,
    op: str,
    axis: int,
    inclusive: bool,
    out: Array | None = None,
    stream: Any = None,
    *,
    block: int = 256,
    items: int = 8,
    force_walk: bool = False,
) -> Array:
    """Scan ``x`` (validated by :func:`kernels.prefix_scan.scan`) along ``axis`` on the device.

    ``out``: an array like ``x`` to write to, or ``None``; ``stream``: a cupy stream, or ``None``
    for cupy's current stream. ``block`` (threads per block, a multiple of 32) and ``items``
    (values per thread) set the tile size ``block * items``; tests use small tiles so that a few
    of them cover a small array, and ``force_walk`` to make every look-back walk to the row's
    first tile.
    """
    with on_stream(stream):
        xp = array_module(x)
        dtype = np.dtype(x.dtype)
        work = device_scan_dtype(dtype)
        moved = xp.moveaxis(x, axis, -1)
        n = moved.shape[-1]
        rows = int(np.prod(moved.shape[:-1], dtype=np.int64))
        result = xp.empty((rows, n), dtype=dtype)
        identity = xp.asarray(np.array([scan_identity(op, dtype)], dtype=work))
        x2 = xp.ascontiguousarray(moved).reshape(rows, n)
        run_scan(
            _instance(op, work.name),
            (x2,),
            result,
            identity,
            inclusive,
            stream,
            block=block,
            items=items,
            force_walk=force_walk,
        )
        return rows_back(result, moved.shape, axis, out)


@functools.cache
def _instance(op, work_name):
    """The scan of ``op`` on values computed in ``work_name``."""
    step = _DEVICE_OPS[op]
    cast = np.dtype(work_name).type

    @cuda.jit(device=True)
    def load(inputs, row, index):
        return (cast(inputs[0][row, index]),)

    # The result is cast back to the dtype: numba types int32 + int32 as int64 (uint32 as
    # uint64), which would carry the scan in 64-bit registers and shuffle it as two words.
    # Wrapping is the same modulo 2^32, so the cast changes no result.
    @cuda.jit(device=True)
    def combine(earlier, later):
        return (cast(step(earlier[0], later[0])),)

    @cuda.jit(device=True)
    def emit(state):
        return state[0]

    return ScanInstance(1, load, combine, emit)


@cuda.jit(device=True)
def _add(acc, v):
    return acc + v


@cuda.jit(device=True)
def _mul(acc, v):
    return acc * v


@cuda.jit(device=True)
def _max(acc, v):
    # v != v: a NaN replaces acc, and once acc is NaN no comparison is true, so it stays.
    return v if (v > acc or v != v) else acc


@cuda.jit(device=True)
def _min(acc, v):
    return v if (v < acc or v != v) else acc


_DEVICE_OPS = {"add": _add, "mul": _mul, "max": _max, "min": _min}
