"""The scan core on the GPU: one pass with decoupled look-back (Merrill and Garland, 2016).

Problem. The scans of :mod:`kernels._scan_core` on cupy arrays. A scan is a chain, yet a GPU
wants thousands of independent tiles; the classic answer reads the input twice (reduce the tiles,
scan the totals, scan the tiles again). The single-pass scan reads it once.

A scan instance (:class:`ScanInstance`) supplies the state's ``width`` (1 for a value, 2 for an
affine map ``(a, b)``) and three device functions on states, tuples of ``width`` values:
``load(inputs, row, index)`` reads element ``index`` of ``row`` and converts it in registers (so
int8, int16 and float16 input needs no conversion pass), ``combine(earlier, later)`` is the
associative step (the earlier state is always the left operand: composition of maps does not
commute), and ``emit(state)`` is the output value. The identity comes as an array of ``width``
values.

Idea. Each thread block takes the next tile id from an atomic counter, so every tile with a smaller
id has already started (the look-back can never wait on a tile that is not running). The block
scans its tile in registers and shared memory (each thread combines ``items`` consecutive
states, a warp scans the thread totals with ``shfl_up_sync``, the first warp scans the warp
totals), then the first warp:

1. publishes the tile's aggregate with status 1 (``AGGREGATE``), or, for the first tile of a row,
   its inclusive prefix with status 2 (``PREFIX``);
2. looks back 32 predecessors at a time, one per lane: waits until none of them is unpublished
   (a ballot, sleeping between polls with ``nanosleep``, which needs compute capability 7.0),
   keeps the lanes up to the nearest inclusive prefix, and combines their values in tile order
   with ``shfl_down_sync``; the next 32 if no prefix was among them;
3. publishes its own inclusive prefix with status 2, and every thread combines the tile's
   exclusive prefix into its outputs.

Invariant. A status flag is written only after its value, with ``threadfence`` between, and
flags and values are read with a compare-and-swap that never changes them (``cas(x, 0, 0)``
writes 0 only over a 0): an atomic goes to L2, never to a stale L1 line, so a reader that sees
status ``s`` also sees the value ``s`` stands for. Values travel as their bits (unsigned integers
of the same width), since compare-and-swap works on integers; an ``atomic.add(x, 0)`` would turn
a published -0.0 into +0.0.

Traffic. n reads and n writes of the element size (the minimum), plus O(n / tile) flag and value
words. The test switch ``force_walk`` lets only the first tile of each row publish an inclusive
prefix, so that every look-back walks back to the row's start: the simulator, which runs one
block at a time, then exercises the walk over many aggregates.

The launcher takes arrays with ``__cuda_array_interface__`` (cupy) or, in numba's CUDA simulator,
numpy arrays; cupy arrays are handed to numba without a synchronisation on their stream, and the
kernel runs on the stream given (cupy's current stream by default).
"""

import functools
from typing import Any, NamedTuple

import numba
import numpy as np
from numba import cuda

from kernels._arrays import array_module
from kernels._cudalaunch import device_arrays, launch_stream

__all__ = ["ScanInstance", "check_tile", "rows_back", "run_scan"]

_AGGREGATE = 1
_PREFIX = 2
_FULL_MASK = 0xFFFFFFFF


class ScanInstance(NamedTuple):
    """What makes a scan: the state's width and its device functions (see the module's doc)."""

    width: int
    load: Any
    combine: Any
    emit: Any


def check_tile(block, items):
    """``block`` threads (whole warps, at most 1024) of ``items`` values each make one tile."""
    if (
        isinstance(block, bool)
        or not isinstance(block, int)
        or block % 32
        or not 32 <= block <= 1024
    ):
        raise ValueError(f"block must be a multiple of 32 in [32, 1024], got {block!r}")
    if isinstance(items, bool) or not isinstance(items, int) or items < 1:
        raise ValueError(f"items must be an integer >= 1, got {items!r}")


def run_scan(instance, inputs, out, identity, inclusive, stream, *, block, items, force_walk):
    """Scan ``inputs`` (a tuple of arrays indexed by ``load``) into ``out`` (``(rows, n)``, the
    output dtype) along its rows. ``identity`` is an array of ``instance.width`` values in the
    dtype the states are computed in."""
    check_tile(block, items)
    rows, n = out.shape
    if rows * n == 0:
        return out
    xp = array_module(out)
    work = np.dtype(identity.dtype)
    tile = block * items
    tiles_per_row = (n + tile - 1) // tile
    tiles = rows * tiles_per_row
    counter = xp.zeros(1, dtype=np.int32)
    flags = xp.zeros(tiles, dtype=np.int32)
    # [aggregate, inclusive prefix] x width x tiles, as bits
    published = xp.empty((2, instance.width, tiles), dtype=_bits_dtype(work))
    kernel = _scan_kernel(
        instance, work.name, out.dtype.name, block, items, bool(inclusive), bool(force_walk)
    )
    out_d, identity, counter, flags, published = device_arrays(
        out, identity, counter, flags, published
    )
    kernel[tiles, block, launch_stream(out, stream)](
        device_arrays(*inputs), out_d, identity, tiles_per_row, counter, flags, published
    )
    return out


def rows_back(result, moved_shape, axis, out):
    """The scanned ``result (rows, n)`` with ``n`` back along ``axis`` of ``moved_shape`` (whose
    last axis is ``n``): written into ``out`` if given, else a new C-contiguous array."""
    xp = array_module(result)
    result = xp.moveaxis(result.reshape(moved_shape), -1, axis)
    if out is None:
        return xp.ascontiguousarray(result)
    out[...] = result
    return out


def _bits_dtype(dtype):
    return np.dtype(f"uint{8 * np.dtype(dtype).itemsize}")


@functools.cache
def _scan_kernel(instance, dtype_name, out_dtype_name, block, items, inclusive, force_walk):
    """One kernel per instance, value and output dtype, tile shape and flags (all compile-time
    constants)."""
    dtype = np.dtype(dtype_name)
    to_output = np.dtype(out_dtype_name).type
    value_type = numba.from_dtype(dtype)
    width, load, combine, emit = instance
    warps = block // 32
    tile = block * items
    padded = tile + tile // 32
    state = _state_helpers(width, dtype)
    get, put, get_vector, put_vector = state.get, state.put, state.get_vector, state.put_vector
    up, down, broadcast = state.shuffle_up, state.shuffle_down, state.broadcast
    publish, read = state.publish, state.read

    @cuda.jit(device=True)
    def look_back(aggregate, tile_id, k, lane, identity, flags, published):
        """Run by the 32 lanes of the first warp; returns the tile's exclusive prefix."""
        if lane == 0:
            slot, status = (1, _PREFIX) if k == 0 else (0, _AGGREGATE)
            publish(published, slot, tile_id, aggregate)
            cuda.threadfence()
            cuda.atomic.exch(flags, tile_id, status)
        if k == 0:
            return identity
        first = tile_id - k  # the row's first tile: it publishes its prefix at once
        running = identity  # the combination of the tiles after the current window, in order
        window = tile_id - 1  # lane l looks at tile window - l
        while True:
            j = window - lane
            status = _PREFIX if j < first else 0
            pause = 8  # nanoseconds, doubled up to a microsecond: spinning lanes yield the SM
            while True:  # the predecessors took their ids earlier, so they are running: wait
                if status == 0:
                    status = cuda.atomic.cas(flags, j, 0, 0)
                if cuda.ballot_sync(_FULL_MASK, status == 0) == 0:
                    break
                cuda.nanosleep(np.uint32(pause))
                pause = min(2 * pause, 1024)
            cuda.threadfence()
            prefixes = cuda.ballot_sync(_FULL_MASK, status == _PREFIX)
            if j < first or (prefixes & ((1 << lane) - 1)) != 0:
                v = identity  # at or past a nearer inclusive prefix: already counted
            else:
                v = read(published, 1 if status == _PREFIX else 0, j)
            d = 1
            while d < 32:  # lane l combines with lane l + d, whose tiles come first
                y = down(v, d)
                if lane + d < 32:
                    v = combine(y, v)
                d *= 2
            running = combine(broadcast(v, 0), running)
            if prefixes != 0:
                break
            window -= 32
        if lane == 0 and not force_walk:
            publish(published, 1, tile_id, combine(running, aggregate))
            cuda.threadfence()
            cuda.atomic.exch(flags, tile_id, _PREFIX)
        return running

    @cuda.jit
    def scan_tiles(inputs, out, identity_values, tiles_per_row, counter, flags, published):
        t = cuda.threadIdx.x
        lane = t % 32
        warp = t // 32
        identity = get_vector(identity_values)
        tile_slot = cuda.shared.array(1, numba.int32)
        warp_prefix = cuda.shared.array((width, warps), value_type)
        tile_prefix = cuda.shared.array(width, value_type)
        staged = cuda.shared.array((width, padded), value_type)
        if t == 0:
            tile_slot[0] = cuda.atomic.add(counter, 0, 1)
        cuda.syncthreads()
        tile_id = tile_slot[0]
        row = tile_id // tiles_per_row
        k = tile_id % tiles_per_row
        n = out.shape[1]
        base = k * tile

        # 1. The tile goes through shared memory so that global loads are coalesced (consecutive
        # threads, consecutive addresses); then each thread combines its own items in registers.
        # One padding word per 32 keeps the strided reads free of bank conflicts.
        for i in range(items):
            slot = i * block + t
            index = base + slot
            put(staged, slot + slot // 32, load(inputs, row, index) if index < n else identity)
        cuda.syncthreads()
        local = cuda.local.array((width, items), value_type)
        acc = identity
        for i in range(items):
            slot = t * items + i
            acc = combine(acc, get(staged, slot + slot // 32))
            put(local, i, acc)

        # 2. Warp scan of the thread totals; the last lane holds the warp total.
        v = acc
        d = 1
        while d < 32:
            y = up(v, d)
            if lane >= d:
                v = combine(y, v)
            d *= 2
        before_in_warp = up(v, 1)
        if lane == 31:
            put(warp_prefix, warp, v)
        cuda.syncthreads()

        # 3. The first warp scans the warp totals (exclusive, in place) and looks back.
        if warp == 0:
            w = get(warp_prefix, lane) if lane < warps else identity
            d = 1
            while d < 32:
                y = up(w, d)
                if lane >= d:
                    w = combine(y, w)
                d *= 2
            aggregate = broadcast(w, 31)
            w = up(w, 1)
            if lane < warps:
                put(warp_prefix, lane, w if lane > 0 else identity)
            prefix = look_back(aggregate, tile_id, k, lane, identity, flags, published)
            if lane == 0:
                put_vector(tile_prefix, prefix)
        cuda.syncthreads()

        # 4. Every value gets the prefix of all that precedes its thread; the outputs go back
        # through shared memory for coalesced stores, converted to the output dtype on the way.
        prefix = combine(get_vector(tile_prefix), get(warp_prefix, warp))
        if lane > 0:
            prefix = combine(prefix, before_in_warp)
        for i in range(items):
            slot = t * items + i
            if inclusive:
                s = combine(prefix, get(local, i))
            elif i == 0:
                s = prefix
            else:
                s = combine(prefix, get(local, i - 1))
            staged[0, slot + slot // 32] = emit(s)
        cuda.syncthreads()
        for i in range(items):
            slot = i * block + t
            index = base + slot
            if index < n:
                out[row, index] = to_output(staged[0, slot + slot // 32])

    return scan_tiles


class _StateHelpers(NamedTuple):
    get: Any  # (array (width, m), i) -> state
    put: Any  # (array (width, m), i, state)
    get_vector: Any  # (array (width,)) -> state
    put_vector: Any  # (array (width,), state)
    shuffle_up: Any
    shuffle_down: Any
    broadcast: Any
    publish: Any  # (published, slot, tile, state): the bits of each value
    read: Any  # (published, slot, tile) -> state, read without writing


@functools.cache
def _state_helpers(width, dtype):
    """Device functions on states of ``width`` values of ``dtype``: a tuple cannot be built in a
    loop, so each width spells out its components."""
    up, down, idx = _shuffles(dtype)
    to_bits, from_bits = _bit_casts(dtype)
    zero = _bits_dtype(dtype).type(0)

    if width == 1:

        @cuda.jit(device=True)
        def get(arr, i):
            return (arr[0, i],)

        @cuda.jit(device=True)
        def put(arr, i, s):
            arr[0, i] = s[0]

        @cuda.jit(device=True)
        def get_vector(arr):
            return (arr[0],)

        @cuda.jit(device=True)
        def put_vector(arr, s):
            arr[0] = s[0]

        @cuda.jit(device=True)
        def shuffle_up(s, d):
            return (up(s[0], d),)

        @cuda.jit(device=True)
        def shuffle_down(s, d):
            return (down(s[0], d),)

        @cuda.jit(device=True)
        def broadcast(s, lane):
            return (idx(s[0], lane),)

        @cuda.jit(device=True)
        def publish(published, slot, tile, s):
            published[slot, 0, tile] = to_bits(s[0])

        @cuda.jit(device=True)
        def read(published, slot, tile):
            return (from_bits(cuda.atomic.cas(published, (slot, 0, tile), zero, zero)),)

    elif width == 2:  # the width-1 helpers again, component by component (no tuple loops)

        @cuda.jit(device=True)
        def get(arr, i):
            return (arr[0, i], arr[1, i])

        @cuda.jit(device=True)
        def put(arr, i, s):
            arr[0, i] = s[0]
            arr[1, i] = s[1]

        @cuda.jit(device=True)
        def get_vector(arr):
            return (arr[0], arr[1])

        @cuda.jit(device=True)
        def put_vector(arr, s):
            arr[0] = s[0]
            arr[1] = s[1]

        @cuda.jit(device=True)
        def shuffle_up(s, d):
            return (up(s[0], d), up(s[1], d))

        @cuda.jit(device=True)
        def shuffle_down(s, d):
            return (down(s[0], d), down(s[1], d))

        @cuda.jit(device=True)
        def broadcast(s, lane):
            return (idx(s[0], lane), idx(s[1], lane))

        @cuda.jit(device=True)
        def publish(published, slot, tile, s):
            published[slot, 0, tile] = to_bits(s[0])
            published[slot, 1, tile] = to_bits(s[1])

        @cuda.jit(device=True)
        def read(published, slot, tile):
            first = from_bits(cuda.atomic.cas(published, (slot, 0, tile), zero, zero))
            second = from_bits(cuda.atomic.cas(published, (slot, 1, tile), zero, zero))
            return (first, second)

    else:
        raise ValueError(f"a scan state is 1 or 2 values wide, got {width}")
    return _StateHelpers(
        get, put, get_vector, put_vector, shuffle_up, shuffle_down, broadcast, publish, read
    )


def _bit_casts(dtype):
    """A value and the unsigned integer of its bits, one into the other (a register move)."""
    value_type = numba.from_dtype(dtype)
    bits_type = numba.from_dtype(_bits_dtype(dtype))
    value_class, bits_class = dtype.type, _bits_dtype(dtype).type

    @cuda.jit(device=True)
    def to_bits(v):
        cell = cuda.local.array(1, value_type)
        cell[0] = v
        return cell.view(bits_class)[0]

    @cuda.jit(device=True)
    def from_bits(b):
        cell = cuda.local.array(1, bits_type)
        cell[0] = b
        return cell.view(value_class)[0]

    return to_bits, from_bits


def _shuffles(dtype):
    """``shfl_up_sync``, ``shfl_down_sync`` and ``shfl_sync`` for ``dtype``: the hardware shuffles
    32/64-bit signed integers and floats, so unsigned values travel as the signed integer of the
    same bits."""
    if dtype.kind != "u":
        return _shfl_up, _shfl_down, _shfl_idx
    signed, unsigned = (np.int32, np.uint32) if dtype.itemsize == 4 else (np.int64, np.uint64)

    @cuda.jit(device=True)
    def up(v, delta):
        return unsigned(cuda.shfl_up_sync(_FULL_MASK, signed(v), delta))

    @cuda.jit(device=True)
    def down(v, delta):
        return unsigned(cuda.shfl_down_sync(_FULL_MASK, signed(v), delta))

    @cuda.jit(device=True)
    def idx(v, lane):
        return unsigned(cuda.shfl_sync(_FULL_MASK, signed(v), lane))

    return up, down, idx


@cuda.jit(device=True)
def _shfl_up(v, delta):
    return cuda.shfl_up_sync(_FULL_MASK, v, delta)


@cuda.jit(device=True)
def _shfl_down(v, delta):
    return cuda.shfl_down_sync(_FULL_MASK, v, delta)


@cuda.jit(device=True)
def _shfl_idx(v, lane):
    return cuda.shfl_sync(_FULL_MASK, v, lane)
