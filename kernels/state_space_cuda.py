"""The selective scan on the GPU: a thread per ``(batch, dim)`` channel, time staged in chunks.

A block owns ``d_tile`` consecutive channels of one batch entry, one thread each; the thread keeps
its ``N`` states in a local array (registers for small ``N``) and walks time in order. Time is cut
into chunks of ``t_chunk`` steps, and per chunk the block:

1. loads ``u`` and ``delta`` of its channels (a ``d_tile x t_chunk`` tile each, neighbouring
   threads reading neighbouring steps, so coalesced) and ``B``, ``C`` of the chunk (``N x
   t_chunk``, shared by every channel of the block) into shared memory;
2. lets every thread run the recurrence over the chunk's steps from shared memory, leaving
   ``y_t`` in a shared tile;
3. stores the ``y`` tile, coalesced as in 1.

Global traffic: ``u`` and ``delta`` read once, ``y`` written once, ``B`` and ``C`` read once per
block (``dim / d_tile`` times in all, mostly from L2). The shared tiles are padded by one column so
that threads reading down a column hit different banks. ``N`` is limited to ``MAX_N``.

Where this could become the shared scan: each ``(channel, n)`` is a linear recurrence, and for
short batches a chunked scan over time (per-chunk maps ``(prod a, h_end)`` combined by the
decoupled look-back of :mod:`kernels.recurrence_cuda`) would add parallelism along ``L``.

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

__all__ = ["MAX_N", "launch"]

MAX_N = 64


def launch(
    u: Array,
    delta: Array,
    A: Array,
    B: Array,
    C: Array,
    D: Array,
    has_d: bool,
    y: Array,
    stream: Any = None,
    *,
    d_tile: int | None = None,
    t_chunk: int | None = None,
) -> Array:
    """Run the scan on validated, C-contiguous arrays of one float dtype (float32 or float64).

    ``y (batch, dim, L)`` receives the result; ``stream`` is a cupy stream (``None``: cupy's current
    stream). ``d_tile`` (threads per block) and ``t_chunk``
    (steps staged per chunk) default to 64 and 32 for float32, 32 and 16 for float64 (shared
    memory stays below 48 KiB); tests pass small values so that a few blocks and chunks cover a
    small input.
    """
    n = A.shape[1]
    if n > MAX_N:
        raise ValueError(f"A must have N <= {MAX_N} states for the CUDA kernel, got N = {n}")
    wide = y.dtype == np.float64
    d_tile = (32 if wide else 64) if d_tile is None else d_tile
    t_chunk = (16 if wide else 32) if t_chunk is None else t_chunk
    if not 1 <= d_tile <= 1024:
        raise ValueError(f"d_tile must lie in [1, 1024], got {d_tile}")
    if t_chunk < 1:
        raise ValueError(f"t_chunk must be at least 1, got {t_chunk}")
    batch, dim, _ = u.shape
    if y.size == 0:
        return y
    kernel = _scan_kernel(y.dtype.name, d_tile, t_chunk)
    # batch on the x axis of the grid (up to 2**31 - 1 blocks; y stops at 65535)
    args = device_arrays(u, delta, A, B, C, D)
    with on_stream(stream):
        kernel[(batch, -(-dim // d_tile)), d_tile, launch_stream(y, stream)](
            *args, bool(has_d), *device_arrays(y)
        )
    return y


@functools.cache
def _scan_kernel(dtype_name, d_tile, t_chunk):
    """Compile-time tile shapes make one kernel per (dtype, d_tile, t_chunk)."""
    acc = numba.from_dtype(np.dtype(dtype_name))
    tile = d_tile * t_chunk
    padded = t_chunk + 1  # one spare column: threads reading down a column hit different banks

    @cuda.jit
    def scan_channels(u, delta, A, B, C, D, has_d, y):
        tid = cuda.threadIdx.x
        b = cuda.blockIdx.x
        d0 = cuda.blockIdx.y * d_tile
        _, dim, length = u.shape
        n = A.shape[1]
        d = d0 + tid
        active = d < dim
        u_s = cuda.shared.array((d_tile, padded), acc)
        delta_s = cuda.shared.array((d_tile, padded), acc)
        y_s = cuda.shared.array((d_tile, padded), acc)
        B_s = cuda.shared.array((MAX_N, t_chunk), acc)
        C_s = cuda.shared.array((MAX_N, t_chunk), acc)
        h = cuda.local.array(MAX_N, acc)
        a_row = cuda.local.array(MAX_N, acc)
        for k in range(n):
            h[k] = acc(0.0)
            a_row[k] = A[d, k] if active else acc(0.0)
        skip = D[d] if active and has_d else acc(0.0)
        for t0 in range(0, length, t_chunk):
            steps = min(t_chunk, length - t0)
            cuda.syncthreads()  # the previous chunk's y tile has been stored
            # 1. stage the chunk (steps past the end and channels past dim are never read)
            for idx in range(tid, tile, d_tile):
                dd, tt = idx // t_chunk, idx % t_chunk
                if d0 + dd < dim and tt < steps:
                    u_s[dd, tt] = u[b, d0 + dd, t0 + tt]
                    delta_s[dd, tt] = delta[b, d0 + dd, t0 + tt]
            for idx in range(tid, n * t_chunk, d_tile):
                k, tt = idx // t_chunk, idx % t_chunk
                if tt < steps:
                    B_s[k, tt] = B[b, k, t0 + tt]
                    C_s[k, tt] = C[b, k, t0 + tt]
            cuda.syncthreads()
            # 2. the recurrence over the chunk, states in registers
            if active:
                for tt in range(steps):
                    dt, ut = delta_s[tid, tt], u_s[tid, tt]
                    du = dt * ut
                    out = acc(0.0)
                    for k in range(n):
                        hk = math.exp(dt * a_row[k]) * h[k] + du * B_s[k, tt]
                        h[k] = hk
                        out += C_s[k, tt] * hk
                    y_s[tid, tt] = out + skip * ut if has_d else out
            cuda.syncthreads()
            # 3. store the y tile, coalesced along time
            for idx in range(tid, tile, d_tile):
                dd, tt = idx // t_chunk, idx % t_chunk
                if d0 + dd < dim and tt < steps:
                    y[b, d0 + dd, t0 + tt] = y_s[dd, tt]

    return scan_channels
