"""Linear recurrence on the GPU: :func:`kernels.recurrence.linear_recurrence` as an instance of
the look-back scan core :mod:`kernels._scan_core_cuda`, over affine maps.

Step ``t`` is the map ``h -> a[t] * h + b[t]``, the state the pair ``(a, b)``; ``(a1, b1)`` then
``(a2, b2)`` composes to ``(a1 * a2, a2 * b1 + b2)``, an associative (but not commutative)
operation with identity ``(1, 0)``, so the core's rule that the earlier state is the left operand
is what keeps the order of the steps.

``h0`` is folded into the first step of each row (``b[0] -> a[0] * h0 + b[0]``) as it is loaded,
so the inclusive composed map ``(A[t], B[t])`` has ``B[t] = h[t]``: the output is ``B`` and no
product of many ``a``, which may overflow where every ``h`` is finite, ever multiplies ``h0``.
For the same reason ``compose`` adds ``a2 * b1`` only when ``b1`` is not zero: a state that is
exactly zero contributes nothing, even when the product of the ``a`` after it has overflowed
(``a = 2, b = 0, h0 = 0`` stays 0, as the sequential loop has it, not ``inf * 0 = NaN``). Where
``b1`` is tiny but not zero and the product of the ``a`` after it overflows, the composed maps
overflow although ``h`` would not: decays ``|a| <= 1`` (the state-space models' case) never do.

Traffic. Reads ``a`` and ``b`` once in their own dtype and writes ``h`` once (3 n element sizes),
plus two values and a flag per tile. float16 is computed in float32, converted in registers.
"""

import functools
from typing import Any

import numpy as np
from numba import cuda

from kernels._arrays import Array, array_module
from kernels._cudalaunch import on_stream
from kernels._dtypes import accumulator_dtype
from kernels._scan_core_cuda import ScanInstance, rows_back, run_scan

__all__ = ["launch"]


def launch(
    a: Array,
    b: Array,
    h0: Array,
    axis: int,
    out: Array | None = None,
    stream: Any = None,
    *,
    block: int = 256,
    items: int = 8,
    force_walk: bool = False,
) -> Array:
    """Run the recurrence (arguments validated by :func:`kernels.recurrence.linear_recurrence`).

    ``out``: an array like ``b`` (in the result dtype) to write to, or ``None``; ``stream``: a cupy
    stream, or ``None`` for cupy's current stream. ``block``, ``items`` and ``force_walk`` are
    the tile shape and test switch of :func:`kernels._scan_core_cuda.run_scan`.
    """
    with on_stream(stream):
        xp = array_module(b)
        dtype = np.result_type(a.dtype, b.dtype, *(() if h0 is None else (h0.dtype,)))
        work = accumulator_dtype(dtype)
        moved_shape = xp.moveaxis(b, axis, -1).shape
        n = moved_shape[-1]
        rows = int(np.prod(moved_shape[:-1], dtype=np.int64))
        a2, b2 = (xp.ascontiguousarray(xp.moveaxis(v, axis, -1)).reshape(rows, n) for v in (a, b))
        if h0 is None:
            start = xp.zeros(rows, dtype=work)
        else:
            start = xp.ascontiguousarray(h0, dtype=work).reshape(rows)
        result = xp.empty((rows, n), dtype=dtype)
        identity = xp.asarray(np.array([1, 0], dtype=work))
        run_scan(
            _instance(work.name),
            (a2, b2, start),
            result,
            identity,
            True,
            stream,
            block=block,
            items=items,
            force_walk=force_walk,
        )
        return rows_back(result, moved_shape, axis, out)


@functools.cache
def _instance(work_name):
    """The scan of affine maps computed in ``work_name``."""
    cast = np.dtype(work_name).type

    @cuda.jit(device=True)
    def load(inputs, row, index):
        a = cast(inputs[0][row, index])
        b = cast(inputs[1][row, index])
        if index == 0:
            b = a * inputs[2][row] + b
        return (a, b)

    @cuda.jit(device=True)
    def emit(state):
        return state[1]

    return ScanInstance(2, load, _compose, emit)


@cuda.jit(device=True)
def _compose(earlier, later):
    """The map ``earlier`` followed by ``later``."""
    a1, b1 = earlier
    a2, b2 = later
    return (a1 * a2, b2 if b1 == 0 else a2 * b1 + b2)
