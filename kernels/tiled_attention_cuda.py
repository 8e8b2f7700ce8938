"""The fused per-tile update of tiled attention as one numba.cuda kernel: a warp per query row.

Between the two tile products of :mod:`kernels.tiled_attention` (cuBLAS, tensor cores), each query
row of the tile needs its scores scaled and masked, their maximum, the new running maximum and the
rescale factor ``alpha = exp(m - m')``, the weights ``p = exp(scale s - m')``, their sum folded into
the normaliser ``l = l alpha + sum p``, and the accumulator row scaled by ``alpha``. In separate
array operations that is five or more passes over the score tile; here one warp per row reads the
row's scores twice (the maximum, then the exps: the second read from L1/L2) and writes the
weights once. Lanes stride the row (coalesced), warp reductions are butterfly shuffles.

Traffic per tile: the scores read once from memory, the weights written once (``2 B R C`` values),
the accumulator read and written once (``2 B R Dv``), ``O(B R)`` for ``m`` and ``l``. Runs on
cupy's current stream (:mod:`kernels._cudalaunch`); in numba's CUDA simulator it takes numpy arrays,
which is how CI runs the very same tile loop with this kernel.
"""

import functools
import math
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from numba import cuda

from kernels._arrays import Array, array_module, is_cupy_array
from kernels._cudalaunch import device_arrays, launch_stream

__all__ = ["accumulate_float16", "launch", "scores_float16"]

_WARP = 32
_THREADS = 256  # 8 rows per block


def launch(
    s: Array,
    m: Array,
    l: Array,
    acc: Array,
    scale: float,
    i0: int,
    j0: int,
    causal: bool,
    out: Array,
    stream: Any = None,
) -> Array:
    """The fused update of :func:`kernels.tiled_attention.update_tile_numpy`, on the device.

    ``s (B, R, C)`` scores, ``m``, ``l (B, R)`` and ``acc (B, R, Dv)``, all in the accumulation
    dtype, updated in place; ``out`` (``s``'s shape; float16 for float16 attention) receives the
    weights. ``stream`` is a cupy stream (``None``: cupy's current stream). Returns ``out``.
    """
    rows = s.shape[0] * s.shape[1]
    if rows == 0:
        return out
    kernel = _kernel(np.dtype(acc.dtype))
    warps = _THREADS // _WARP
    args = (*device_arrays(s, m, l, acc, out), acc.dtype.type(scale), i0, j0, causal)
    kernel[-(-rows // warps), _THREADS, launch_stream(s, stream)](*args)
    return out


@functools.cache
def _kernel(acc_dtype: np.dtype):
    """The update kernel accumulating in ``acc_dtype``, compiled on first use."""
    return _make_kernel(numba.from_dtype(acc_dtype))


def _make_kernel(acc):
    neg_inf = -math.inf

    @cuda.jit
    def update(s, m, l, out_acc, p, scale, i0, j0, causal):
        warps = cuda.blockDim.x // 32
        row = cuda.blockIdx.x * warps + cuda.threadIdx.x // 32
        lane = cuda.threadIdx.x % 32
        batch, rows, cols = s.shape[0], s.shape[1], s.shape[2]
        if row >= batch * rows:  # the whole warp leaves together: its shuffles stay complete
            return
        b, r = row // rows, row % rows
        visible = cols
        if causal:  # query i0 + r sees keys j0 + c <= i0 + r
            visible = max(0, min(cols, i0 + r - j0 + 1))
        top = acc(neg_inf)
        for c in range(lane, visible, 32):
            top = max(top, acc(s[b, r, c]) * scale)
        for offset in (16, 8, 4, 2, 1):
            top = max(top, cuda.shfl_xor_sync(0xFFFFFFFF, top, offset))
        m_old = m[b, r]
        m_new = max(m_old, top)
        if m_new == neg_inf:  # no key seen yet (uniform over the warp): weights 0, state kept
            for c in range(lane, cols, 32):
                p[b, r, c] = 0
            return
        alpha = math.exp(m_old - m_new)  # exp(-inf) = 0 for the first keys
        total = acc(0.0)
        for c in range(lane, cols, 32):
            e = acc(0.0)
            if c < visible:
                e = math.exp(acc(s[b, r, c]) * scale - m_new)
            p[b, r, c] = e
            total += e
        for offset in (16, 8, 4, 2, 1):
            total += cuda.shfl_xor_sync(0xFFFFFFFF, total, offset)
        for c in range(lane, out_acc.shape[2], 32):
            out_acc[b, r, c] *= alpha
        if lane == 0:
            l[b, r] = l[b, r] * alpha + total
            m[b, r] = m_new

    return update


# --- the tile products for float16: cuBLAS, float16 operands, float32 results ------------------
#
# cupy.matmul of float16 arrays writes float16: the scores would be rounded to 11 bits and, past
# 65504, overflow. cublasGemmStridedBatchedEx takes float16 operands and writes float32 (compute
# type 32F, the tensor cores). cuBLAS is column-major: a row-major (rows x cols) matrix with row
# stride ld is, to cuBLAS, its (cols x rows) transpose with leading dimension ld, so the row-major
# product C = A B is computed as the column-major C^T = B^T A^T.


# cuBLAS / CUDA enum values (cublas_api.h, library_types.h)
_OP_N, _OP_T = 0, 1
_CUDA_R_32F, _CUDA_R_16F = 0, 2
_COMPUTE_32F = 68
_GEMM_DEFAULT = -1


def scores_float16(q: Array, k: Array, *, gemm: Callable[..., Any] | None = None) -> Array:
    """``q k^T`` as a new float32 array ``(B, R, C)``, from float16 ``q (B, R, D)``, ``k (B, C, D)``
    whose rows are contiguous (tiles of C-contiguous arrays). ``gemm``: cuBLAS's
    ``gemmStridedBatchedEx`` by default, or a stand-in with its signature."""
    batch, rows, d = q.shape
    cols = k.shape[1]
    s = array_module(q).empty((batch, rows, cols), dtype=np.float32)
    # column-major: S^T (C x R) = K (C x D, stored as its transpose) . Q^T (D x R)
    _gemm(cols, rows, d, k, True, q, False, s, 0.0, gemm)
    return s


def accumulate_float16(
    acc: Array, p: Array, v: Array, *, gemm: Callable[..., Any] | None = None
) -> Array:
    """``acc += p v`` for float32 ``acc (B, R, Dv)``, float16 ``p (B, R, C)`` and ``v (B, C, Dv)``."""
    _, rows, dv = acc.shape
    cols = p.shape[2]
    # column-major: acc^T (Dv x R) += V^T (Dv x C) . P^T (C x R)
    _gemm(dv, rows, cols, v, False, p, False, acc, 1.0, gemm)


def _gemm(m, n, k, a, transpose_a, b, transpose_b, c, beta, gemm):
    """Column-major ``C = A' B' + beta C`` per batch entry on cupy's current stream, where ``A'`` is
    ``a`` (or its transpose) read as column-major with ``a``'s row stride as leading dimension."""
    if gemm is None:
        from cupy.cuda import device
        from cupy_backends.cuda.libs import cublas

        handle, gemm = device.get_cublas_handle(), cublas.gemmStridedBatchedEx
    else:
        handle = None
    for x in (a, b, c):
        if x.strides[2] != x.itemsize:
            raise ValueError("tile rows must be contiguous for cuBLAS")
    one, beta = np.array(1.0, np.float32), np.array(beta, np.float32)  # host scalars, read at once
    types = {np.dtype(np.float16): _CUDA_R_16F, np.dtype(np.float32): _CUDA_R_32F}

    def pointer(x):
        return x.data.ptr if is_cupy_array(x) else x.ctypes.data

    def ld(x):
        return x.strides[1] // x.itemsize

    def batch_stride(x):
        return x.strides[0] // x.itemsize if x.shape[0] > 1 else 0

    gemm(
        handle,
        _OP_T if transpose_a else _OP_N,
        _OP_T if transpose_b else _OP_N,
        m,
        n,
        k,
        one.ctypes.data,
        pointer(a),
        types[a.dtype],
        ld(a),
        batch_stride(a),
        pointer(b),
        types[b.dtype],
        ld(b),
        batch_stride(b),
        beta.ctypes.data,
        pointer(c),
        types[c.dtype],
        ld(c),
        batch_stride(c),
        c.shape[0],
        _COMPUTE_32F,
        _GEMM_DEFAULT,
    )
