"""Linear recurrence on the GPU: the single-pass decoupled look-back scan over affine maps.

Problem. ``h[t] = a[t] * h[t-1] + b[t]`` (see :mod:`kernels.recurrence`) on cupy arrays.

Idea. Step ``t`` is the affine map ``(a[t], b[t])``; ``(a1, b1)`` then ``(a2, b2)`` composes to
``(a1 * a2, a2 * b1 + b2)``, an associative (but not commutative) operation with identity
``(1, 0)``. The kernel is the scan of :mod:`kernels.prefix_scan_cuda` with pairs for values: each
thread composes its items in registers, a warp composes the thread maps with two ``shfl_up_sync``
per step, the first thread composes the warp maps and looks back over the predecessor tiles
(published aggregate or inclusive prefix, status flags written after a ``threadfence``, read with
atomics). Order matters everywhere: the earlier map is always the left operand. ``h0`` enters at
the very end, ``h[t] = A[t] * h0 + B[t]`` with ``(A[t], B[t])`` the inclusive composed map.

Traffic. Reads ``a`` and ``b`` once and writes ``h`` once (3 n element sizes), plus two values and
a flag per tile. float16 is computed in float32.

The launcher takes arrays with ``__cuda_array_interface__`` (cupy) or, in numba's CUDA simulator,
numpy arrays; outputs are allocated by the input's module. cupy is never imported here.
"""

import functools

import numba
import numpy as np
from numba import cuda

from kernels._arrays import array_module

_AGGREGATE = 1
_PREFIX = 2


def linear_recurrence_cuda(a, b, h0, axis, *, block=256, items=8):
    """Run the recurrence (arguments validated by :func:`kernels.recurrence.linear_recurrence`).

    ``block`` (threads per block, a multiple of 32) and ``items`` (steps per thread) set the tile
    size ``block * items``; tests use small tiles so that a few of them cover a small array.
    """
    if block % 32 or not 32 <= block <= 1024:
        raise ValueError(f"block must be a multiple of 32 in [32, 1024], got {block}")
    if items < 1:
        raise ValueError(f"items must be at least 1, got {items}")
    xp = array_module(b)
    dtype = np.result_type(a.dtype, b.dtype, *(() if h0 is None else (h0.dtype,)))
    work_dtype = np.dtype(np.float32) if dtype == np.float16 else dtype
    moved_shape = xp.moveaxis(b, axis, -1).shape
    n = moved_shape[-1]
    rows = int(np.prod(moved_shape[:-1], dtype=np.int64))
    if rows * n == 0:
        return xp.empty(b.shape, dtype=dtype)
    a2, b2 = (
        xp.ascontiguousarray(xp.moveaxis(v, axis, -1), dtype=work_dtype).reshape(rows, n)
        for v in (a, b)
    )
    if h0 is None:
        start = xp.zeros(rows, dtype=work_dtype)
    else:
        start = xp.ascontiguousarray(h0, dtype=work_dtype).reshape(rows)
    out2 = xp.empty((rows, n), dtype=work_dtype)
    tile = block * items
    tiles_per_row = (n + tile - 1) // tile
    tiles = rows * tiles_per_row
    constants = xp.asarray(np.array([1, 0], dtype=work_dtype))
    counter = xp.zeros(1, dtype=np.int32)
    flags = xp.zeros(tiles, dtype=np.int32)
    tile_maps = xp.empty((4, tiles), dtype=work_dtype)  # aggregate A, B, inclusive prefix A, B
    kernel = _recurrence_kernel(work_dtype.name, block, items)
    kernel[tiles, block](a2, b2, start, out2, constants, tiles_per_row, counter, flags, tile_maps)
    out = out2.reshape(moved_shape)
    if work_dtype != dtype:
        out = out.astype(dtype)
    return xp.ascontiguousarray(xp.moveaxis(out, -1, axis))


@functools.cache
def _recurrence_kernel(dtype_name, block, items):
    """Compile-time constants (dtype, tile shape) make one kernel per combination."""
    value_type = numba.from_dtype(np.dtype(dtype_name))
    warps = block // 32
    tile = block * items

    @cuda.jit(device=True)
    def look_back(one, zero, agg_a, agg_b, tile_id, k, flags, tile_maps):
        """Publish this tile's map, compose the predecessors' maps back to the first inclusive
        prefix, publish this tile's inclusive prefix; return the exclusive prefix map."""
        if k == 0:
            tile_maps[2, tile_id] = agg_a
            tile_maps[3, tile_id] = agg_b
            cuda.threadfence()
            cuda.atomic.exch(flags, tile_id, _PREFIX)
            return one, zero
        tile_maps[0, tile_id] = agg_a
        tile_maps[1, tile_id] = agg_b
        cuda.threadfence()
        cuda.atomic.exch(flags, tile_id, _AGGREGATE)
        run_a, run_b = one, zero  # the composition of tiles j+1 .. tile_id-1, in order
        j = tile_id - 1
        while True:
            status = cuda.atomic.add(flags, j, 0)
            while status == 0:  # the predecessor is running (it took its id earlier): wait
                status = cuda.atomic.add(flags, j, 0)
            cuda.threadfence()
            row = 2 if status == _PREFIX else 0
            pa = cuda.atomic.add(tile_maps, (row, j), zero)
            pb = cuda.atomic.add(tile_maps, (row + 1, j), zero)
            run_a, run_b = _compose(pa, pb, run_a, run_b)
            if status == _PREFIX:
                break
            j -= 1
        inc_a, inc_b = _compose(run_a, run_b, agg_a, agg_b)
        tile_maps[2, tile_id] = inc_a
        tile_maps[3, tile_id] = inc_b
        cuda.threadfence()
        cuda.atomic.exch(flags, tile_id, _PREFIX)
        return run_a, run_b

    @cuda.jit
    def recurrence_tiles(a, b, start, out, constants, tiles_per_row, counter, flags, tile_maps):
        t = cuda.threadIdx.x
        lane = t % 32
        warp = t // 32
        one = constants[0]
        zero = constants[1]
        tile_slot = cuda.shared.array(1, numba.int32)
        warp_a = cuda.shared.array(warps, value_type)
        warp_b = cuda.shared.array(warps, value_type)
        tile_prefix = cuda.shared.array(2, value_type)
        if t == 0:
            tile_slot[0] = cuda.atomic.add(counter, 0, 1)
        cuda.syncthreads()
        tile_id = tile_slot[0]
        row = tile_id // tiles_per_row
        k = tile_id % tiles_per_row
        n = a.shape[1]
        base = k * tile

        # 1. The tile goes through shared memory so that global loads are coalesced; then each
        # thread composes its own steps in registers (the inclusive map kept per step). Steps past
        # the end are the identity map.
        staged_a = cuda.shared.array(tile, value_type)
        staged_b = cuda.shared.array(tile, value_type)
        for i in range(items):
            index = base + i * block + t
            staged_a[i * block + t] = a[row, index] if index < n else one
            staged_b[i * block + t] = b[row, index] if index < n else zero
        cuda.syncthreads()
        local_a = cuda.local.array(items, value_type)
        local_b = cuda.local.array(items, value_type)
        acc_a, acc_b = one, zero
        for i in range(items):
            acc_a, acc_b = _compose(acc_a, acc_b, staged_a[t * items + i], staged_b[t * items + i])
            local_a[i] = acc_a
            local_b[i] = acc_b

        # 2. Warp scan of the thread maps: the earlier lane's map is the left operand.
        va, vb = acc_a, acc_b
        d = 1
        while d < 32:
            ya = cuda.shfl_up_sync(0xFFFFFFFF, va, d)
            yb = cuda.shfl_up_sync(0xFFFFFFFF, vb, d)
            if lane >= d:
                va, vb = _compose(ya, yb, va, vb)
            d *= 2
        before_a = cuda.shfl_up_sync(0xFFFFFFFF, va, 1)
        before_b = cuda.shfl_up_sync(0xFFFFFFFF, vb, 1)
        if lane == 31:
            warp_a[warp] = va
            warp_b[warp] = vb
        cuda.syncthreads()

        # 3. The first thread scans the warp maps (exclusive, in place) and looks back.
        if t == 0:
            run_a, run_b = one, zero
            for w in range(warps):
                wa, wb = warp_a[w], warp_b[w]
                warp_a[w] = run_a
                warp_b[w] = run_b
                run_a, run_b = _compose(run_a, run_b, wa, wb)
            pa, pb = look_back(one, zero, run_a, run_b, tile_id, k, flags, tile_maps)
            tile_prefix[0] = pa
            tile_prefix[1] = pb
        cuda.syncthreads()

        # 4. Each step's inclusive map = tile prefix, warp prefix, lanes before, own items; then
        # h = A * h0 + B.
        pa, pb = _compose(tile_prefix[0], tile_prefix[1], warp_a[warp], warp_b[warp])
        if lane > 0:
            pa, pb = _compose(pa, pb, before_a, before_b)
        h0 = start[row]
        for i in range(items):
            ia, ib = _compose(pa, pb, local_a[i], local_b[i])
            staged_a[t * items + i] = ia * h0 + ib
        cuda.syncthreads()
        for i in range(items):
            index = base + i * block + t
            if index < n:
                out[row, index] = staged_a[i * block + t]

    return recurrence_tiles


@cuda.jit(device=True)
def _compose(a1, b1, a2, b2):
    """The map ``(a1, b1)`` followed by ``(a2, b2)``."""
    return a1 * a2, a2 * b1 + b2
