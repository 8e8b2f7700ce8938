"""Prefix scan on the GPU: one pass with decoupled look-back (Merrill and Garland, 2016).

Problem. The scan of :func:`kernels.prefix_scan.scan` on a cupy array. A scan is a chain, yet a GPU
wants thousands of independent tiles; the classic answer reads the input twice (reduce the tiles,
scan the totals, scan the tiles again). The single-pass scan reads it once.

Idea. Each thread block takes the next tile id from an atomic counter, so every tile with a smaller
id has already started (the look-back can never wait on a tile that is not running). The block
scans its tile in registers and shared memory (each thread scans ``items`` consecutive values, a
warp scans the thread totals with ``shfl_up_sync``, the first thread scans the warp totals), then:

* publishes its aggregate with status 1 (``AGGREGATE``), or, for the first tile of a row, its
  inclusive prefix with status 2 (``PREFIX``);
* looks back over its predecessors, combining their aggregates until it meets an inclusive prefix;
* publishes its own inclusive prefix with status 2 and adds its exclusive prefix to every output.

Invariant. A status flag is written only after its value, with ``threadfence`` between, and flags
and values are read with atomics (which go to L2, never to a stale L1 line), so a reader that sees
status ``s`` also sees the value ``s`` stands for.

Traffic. n reads and n writes of the element size (the minimum), plus O(n / tile) flag and value
words. Values narrower than 32 bits (int8/16, uint8/16, float16) are scanned in 32 bits, since the
look-back needs atomics on them, and cast back: integer wraparound is the same modulo 2^8 or 2^16,
and float16 is accumulated in float32 as on the CPU.

The launcher takes arrays with ``__cuda_array_interface__`` (cupy) or, in numba's CUDA simulator,
numpy arrays; outputs are allocated by the input's module. cupy is never imported here.
"""

import functools

import numba
import numpy as np
from numba import cuda

from kernels._arrays import array_module
from kernels._scan_core import scan_identity

_AGGREGATE = 1
_PREFIX = 2
# Scanned in a wider dtype: the look-back reads tile values with atomics, which need 32 or 64 bits.
_WIDENED = {
    "int8": "int32",
    "int16": "int32",
    "uint8": "uint32",
    "uint16": "uint32",
    "float16": "float32",
}


def scan_cuda(x, op, axis, inclusive, *, block=256, items=8):
    """Scan ``x`` (validated by :func:`kernels.prefix_scan.scan`) along ``axis`` on the device.

    ``block`` (threads per block, a multiple of 32) and ``items`` (values per thread) set the tile
    size ``block * items``; tests use small tiles so that a few of them cover a small array.
    """
    if block % 32 or not 32 <= block <= 1024:
        raise ValueError(f"block must be a multiple of 32 in [32, 1024], got {block}")
    if items < 1:
        raise ValueError(f"items must be at least 1, got {items}")
    xp = array_module(x)
    dtype = np.dtype(x.dtype)
    work_dtype = np.dtype(_WIDENED.get(dtype.name, dtype.name))
    moved = xp.moveaxis(x, axis, -1)
    n = moved.shape[-1]
    rows = int(np.prod(moved.shape[:-1], dtype=np.int64))
    if rows * n == 0:
        return xp.empty(x.shape, dtype=dtype)
    x2 = xp.ascontiguousarray(moved, dtype=work_dtype).reshape(rows, n)
    out2 = xp.empty((rows, n), dtype=work_dtype)
    tile = block * items
    tiles_per_row = (n + tile - 1) // tile
    tiles = rows * tiles_per_row
    constants = xp.asarray(np.array([scan_identity(op, dtype), 0], dtype=work_dtype))
    counter = xp.zeros(1, dtype=np.int32)
    flags = xp.zeros(tiles, dtype=np.int32)
    aggregates = xp.empty(tiles, dtype=work_dtype)
    prefixes = xp.empty(tiles, dtype=work_dtype)
    kernel = _scan_kernel(op, work_dtype.name, block, items, bool(inclusive))
    kernel[tiles, block](x2, out2, constants, tiles_per_row, counter, flags, aggregates, prefixes)
    out = out2.reshape(moved.shape)
    if work_dtype != dtype:
        out = out.astype(dtype)
    return xp.ascontiguousarray(xp.moveaxis(out, -1, axis))


@functools.cache
def _scan_kernel(op, dtype_name, block, items, inclusive):
    """Compile-time constants (op, dtype, tile shape) make one kernel per combination."""
    combine = _combine_for(op, np.dtype(dtype_name))
    value_type = numba.from_dtype(np.dtype(dtype_name))
    warps = block // 32
    tile = block * items
    shuffle_up = _shuffle_up_for(np.dtype(dtype_name))

    @cuda.jit(device=True)
    def look_back(identity, zero, aggregate, tile_id, k, flags, aggregates, prefixes):
        """Publish this tile's aggregate, combine the predecessors' values back to the first inclusive
        prefix, publish this tile's inclusive prefix; return the exclusive prefix of the tile."""
        if k == 0:
            prefixes[tile_id] = aggregate
            cuda.threadfence()
            cuda.atomic.exch(flags, tile_id, _PREFIX)
            return identity
        aggregates[tile_id] = aggregate
        cuda.threadfence()
        cuda.atomic.exch(flags, tile_id, _AGGREGATE)
        running = identity  # the combination of tiles j+1 .. tile_id-1, in order
        j = tile_id - 1
        while True:
            status = cuda.atomic.add(flags, j, 0)
            while status == 0:  # the predecessor is running (it took its id earlier): wait
                status = cuda.atomic.add(flags, j, 0)
            cuda.threadfence()
            if status == _PREFIX:
                running = combine(cuda.atomic.add(prefixes, j, zero), running)
                break
            running = combine(cuda.atomic.add(aggregates, j, zero), running)
            j -= 1
        prefixes[tile_id] = combine(running, aggregate)
        cuda.threadfence()
        cuda.atomic.exch(flags, tile_id, _PREFIX)
        return running

    @cuda.jit
    def scan_tiles(x, out, constants, tiles_per_row, counter, flags, aggregates, prefixes):
        t = cuda.threadIdx.x
        lane = t % 32
        warp = t // 32
        identity = constants[0]
        zero = constants[1]
        tile_slot = cuda.shared.array(1, numba.int32)
        warp_totals = cuda.shared.array(warps, value_type)
        tile_prefix = cuda.shared.array(1, value_type)
        if t == 0:
            tile_slot[0] = cuda.atomic.add(counter, 0, 1)
        cuda.syncthreads()
        tile_id = tile_slot[0]
        row = tile_id // tiles_per_row
        k = tile_id % tiles_per_row
        n = x.shape[1]
        base = k * tile

        # 1. The tile goes through shared memory so that global loads are coalesced (consecutive
        # threads, consecutive addresses); then each thread scans its own items in registers.
        staged = cuda.shared.array(tile, value_type)
        for i in range(items):
            index = base + i * block + t
            staged[i * block + t] = x[row, index] if index < n else identity
        cuda.syncthreads()
        local = cuda.local.array(items, value_type)
        acc = identity
        for i in range(items):
            acc = combine(acc, staged[t * items + i])
            local[i] = acc

        # 2. Warp scan of the thread totals; the last lane holds the warp total.
        v = acc
        d = 1
        while d < 32:
            y = shuffle_up(v, d)
            if lane >= d:
                v = combine(y, v)
            d *= 2
        before_in_warp = shuffle_up(v, 1)
        if lane == 31:
            warp_totals[warp] = v
        cuda.syncthreads()

        # 3. The first thread scans the warp totals (exclusive, in place) and looks back.
        if t == 0:
            running = identity
            for w in range(warps):
                total = warp_totals[w]
                warp_totals[w] = running
                running = combine(running, total)
            tile_prefix[0] = look_back(
                identity, zero, running, tile_id, k, flags, aggregates, prefixes
            )
        cuda.syncthreads()

        # 4. Every value gets the prefix of all that precedes its thread.
        prefix = combine(tile_prefix[0], warp_totals[warp])
        if lane > 0:
            prefix = combine(prefix, before_in_warp)
        for i in range(items):
            if inclusive:
                staged[t * items + i] = combine(prefix, local[i])
            elif i == 0:
                staged[t * items + i] = prefix
            else:
                staged[t * items + i] = combine(prefix, local[i - 1])
        cuda.syncthreads()
        for i in range(items):
            index = base + i * block + t
            if index < n:
                out[row, index] = staged[i * block + t]

    return scan_tiles


def _combine_for(op, dtype):
    """``op`` on two values of ``dtype``, the result cast back to ``dtype``: numba types int32 +
    int32 as int64 (uint32 as uint64), which would carry the scan in 64-bit registers and shuffle
    it as two words. Wrapping is the same modulo 2^32, so the cast changes no result."""
    combine = _DEVICE_COMBINE[op]
    cast = dtype.type

    @cuda.jit(device=True)
    def combine_in_dtype(acc, v):
        return cast(combine(acc, v))

    return combine_in_dtype


def _shuffle_up_for(dtype):
    """``shfl_up_sync`` for ``dtype``: the hardware shuffles 32/64-bit signed integers and floats,
    so unsigned values travel as the signed integer of the same bits."""
    if dtype.kind != "u":
        return _shuffle_up

    signed, unsigned = (np.int32, np.uint32) if dtype.itemsize == 4 else (np.int64, np.uint64)

    @cuda.jit(device=True)
    def shuffle_up_unsigned(v, delta):
        return unsigned(cuda.shfl_up_sync(0xFFFFFFFF, signed(v), delta))

    return shuffle_up_unsigned


@cuda.jit(device=True)
def _shuffle_up(v, delta):
    return cuda.shfl_up_sync(0xFFFFFFFF, v, delta)


@cuda.jit(device=True)
def _add(acc, v):
    return acc + v


@cuda.jit(device=True)
def _mul(acc, v):
    return acc * v


@cuda.jit(device=True)
def _max(acc, v):
    return v if (v > acc or v != v) else acc


@cuda.jit(device=True)
def _min(acc, v):
    return v if (v < acc or v != v) else acc


_DEVICE_COMBINE = {"add": _add, "mul": _mul, "max": _max, "min": _min}
