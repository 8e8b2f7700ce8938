"""CUDA kernels for softmax, log_softmax and logsumexp: a thread block (or a warp) per row.

Each thread walks the row with a stride of the block size (coalesced: neighbouring threads read
neighbouring elements) and keeps its own online pair ``(m, s)``: ``m`` the largest value it has
seen, ``s = sum exp(x - m)`` over its values. Pairs merge associatively::

    (m1, s1) + (m2, s2) = (m, s1 * exp(m1 - m) + s2 * exp(m2 - m)),  m = max(m1, m2)

so each warp combines them with butterfly shuffles (``shfl_xor_sync``, registers only); for rows
longer than 1024 a block of several warps works on one row and thread 0 combines the warps' pairs
through shared memory and publishes the row's ``(m, s)``. Every thread then writes its elements
in a second pass: ``exp(x - m) / s`` or ``(x - m) - log(s)``. Traffic: one read and one
write of the row (one read for logsumexp), as in the CPU kernel; the second read of a row is served
mostly from L2 for rows of a few thousand elements.

Accumulation is float32 for float16 and float32 input, float64 for float64. The special values
follow :mod:`kernels.reference` (see :mod:`kernels.online_softmax`).

A non-last axis is moved to the end (a copy) before the launch and moved back after. The kernels
run on the cupy stream given, or cupy's current one (:mod:`kernels._cudalaunch`). In numba's CUDA
simulator the same kernels take numpy arrays.
"""

import functools
import math
from typing import Any

import numba
import numpy as np
from numba import cuda

from kernels._arrays import Array, array_module
from kernels._cudalaunch import device_arrays, launch_stream, on_stream
from kernels._dtypes import accumulator_dtype

__all__ = ["launch"]

_KINDS = {"softmax": 0, "log_softmax": 1, "logsumexp": 2}
_WARP = 32
_MAX_THREADS = 1024
_WARP_ROW_MAX = 1024  # rows up to this length get a warp each instead of a block


def launch(
    x: Array,
    axis: int,
    kind: str,
    out: Array | None = None,
    stream: Any = None,
    *,
    threads: int = 256,
) -> Array:
    """Write ``kind`` of the validated float array ``x`` along ``axis`` into ``out``; return ``out``.

    ``kind`` is "softmax", "log_softmax" or "logsumexp"; ``out`` has ``x``'s dtype and shape
    (without ``axis`` for logsumexp), or is ``None`` (allocated here). ``stream`` is a cupy stream
    (``None``: cupy's current stream). ``threads`` (a multiple of 32, at most 1024) is the block
    size. Rows of up to 1024 elements get one warp each (``threads // 32`` rows per block); longer
    rows get a block each.
    """
    if threads % _WARP or not _WARP <= threads <= _MAX_THREADS:
        raise ValueError(f"threads must be a multiple of 32 in [32, 1024], got {threads}")
    with on_stream(stream):
        return _launch(x, axis, kind, out, launch_stream(x, stream), threads)


def _launch(x, axis, kind, out, stream, threads):
    xp = array_module(x)
    if out is None:
        shape = x.shape[:axis] + x.shape[axis + 1 :] if kind == "logsumexp" else x.shape
        out = xp.empty(shape, dtype=x.dtype)
    moved = xp.moveaxis(x, axis, -1)
    outer, n = moved.shape[:-1], moved.shape[-1]
    rows = xp.ascontiguousarray(moved.reshape(math.prod(outer), n))
    # Write straight into out where it has the rows' layout (the last axis, C order), else into a
    # buffer copied over at the end.
    direct = out.flags.c_contiguous and (kind == "logsumexp" or axis == x.ndim - 1)
    if kind == "logsumexp":
        lse = out.reshape(rows.shape[0]) if direct else xp.empty(rows.shape[0], dtype=x.dtype)
        result = rows
    else:
        lse = xp.empty(rows.shape[0], dtype=x.dtype)
        result = out.reshape(rows.shape) if direct else xp.empty_like(rows)
    if rows.shape[0] and n:
        block_kernel, warp_kernel = _kernels(accumulator_dtype(x.dtype))
        args = (*device_arrays(rows, result, lse), _KINDS[kind])
        if n <= _WARP_ROW_MAX:
            # Short rows: one warp per row, threads // 32 rows per block, shuffles only.
            warps = threads // _WARP
            warp_kernel[-(-rows.shape[0] // warps), threads, stream](*args)
        else:
            block = min(threads, _WARP * -(-n // _WARP))
            block_kernel[rows.shape[0], block, stream](*args)
    elif rows.shape[0]:
        lse[...] = -np.inf
    if not direct:
        if kind == "logsumexp":
            out[...] = lse.reshape(outer)
        else:
            out[...] = xp.moveaxis(result.reshape(moved.shape), -1, axis)
    return out


@functools.cache
def _kernels(acc_dtype: np.dtype):
    """(block-per-row, warp-per-row) kernels accumulating in ``acc_dtype``, compiled on first use."""
    return _make_kernels(numba.from_dtype(acc_dtype))


def _make_kernels(acc):
    neg_inf = -math.inf

    @cuda.jit(device=True)
    def merge(m1, s1, m2, s2):
        # Equal maxima (both -inf, both +inf) add directly: exp(m1 - m2) would be exp(NaN).
        if m2 > m1:
            return m2, s1 * math.exp(m1 - m2) + s2
        if m2 == m1:
            return m1, s1 + s2
        return m1, s1 + s2 * math.exp(m2 - m1)

    @cuda.jit(device=True)
    def scan_row(rows, row, first, n, step):
        """This thread's online pair over elements first, first + step, ... of the row."""
        m = acc(neg_inf)
        s = acc(0.0)
        for j in range(first, n, step):
            # One value is the pair (v, 1), but -inf contributes nothing and NaN only through s.
            v = acc(rows[row, j])
            if v == v and v > neg_inf:
                m, s = merge(m, s, v, acc(1.0))
            elif v != v:
                s = s + v
        return m, s

    @cuda.jit(device=True)
    def warp_merge(m, s):
        # Butterfly (xor) shuffles: every lane ends with the merged pair of the whole warp.
        for offset in (16, 8, 4, 2, 1):
            m_other = cuda.shfl_xor_sync(0xFFFFFFFF, m, offset)
            s_other = cuda.shfl_xor_sync(0xFFFFFFFF, s, offset)
            m, s = merge(m, s, m_other, s_other)
        return m, s

    @cuda.jit(device=True)
    def write_row(rows, out, row, first, n, step, m, s, kind):
        # acc(...) on every constant: a bare Python float is float64 and would turn the
        # float32 arithmetic below into float64 (cvt.f64.f32 / sub.f64 in the PTX).
        log_s = math.log(s) if s > 0 or s != s else acc(neg_inf)
        inv = acc(1.0) / s if s > 0 or s != s else acc(math.nan)
        for j in range(first, n, step):
            v = acc(rows[row, j])
            if kind == 0:
                out[row, j] = math.exp(v - m) * inv
            else:
                out[row, j] = (v - m) - log_s

    @cuda.jit
    def warp_kernel(rows, out, lse, kind):
        warps = cuda.blockDim.x // 32
        row = cuda.blockIdx.x * warps + cuda.threadIdx.x // 32
        lane = cuda.threadIdx.x % 32
        if row >= rows.shape[0]:  # the whole warp leaves together, so its shuffles stay complete
            return
        n = rows.shape[1]
        m, s = scan_row(rows, row, lane, n, 32)
        m, s = warp_merge(m, s)
        if lane == 0:
            lse[row] = m + math.log(s) if s > 0 or s != s else acc(neg_inf)
        if kind != 2:
            write_row(rows, out, row, lane, n, 32, m, s, kind)

    @cuda.jit
    def block_kernel(rows, out, lse, kind):
        row = cuda.blockIdx.x
        tid = cuda.threadIdx.x
        n = rows.shape[1]
        # Each warp merges in registers, then the warps' pairs meet in shared memory.
        m, s = scan_row(rows, row, tid, n, cuda.blockDim.x)
        m, s = warp_merge(m, s)
        shared_m = cuda.shared.array(32, dtype=acc)
        shared_s = cuda.shared.array(32, dtype=acc)
        warp, lane = tid // 32, tid % 32
        if lane == 0:
            shared_m[warp] = m
            shared_s[warp] = s
        cuda.syncthreads()
        if tid == 0:
            for w in range(1, cuda.blockDim.x // 32):
                m, s = merge(m, s, shared_m[w], shared_s[w])
            shared_m[0] = m
            shared_s[0] = s
            lse[row] = m + math.log(s) if s > 0 or s != s else acc(neg_inf)
        cuda.syncthreads()
        if kind != 2:
            write_row(rows, out, row, tid, n, cuda.blockDim.x, shared_m[0], shared_s[0], kind)

    return block_kernel, warp_kernel
