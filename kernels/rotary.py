"""Rotary position embeddings (RoPE): rotate each feature pair by an angle proportional to position.

Problem. Attention scores ``q_m . k_n`` know nothing of where the two tokens are. RoPE (Su et al.,
RoFormer, 2021) splits the ``D`` features into ``D/2`` pairs and rotates pair ``i`` of the vector
at position ``p`` by the angle ``p * theta_i``, ``theta_i = base**(-2i/D)``::

    (a, b) -> (a cos(p theta_i) - b sin(p theta_i),  a sin(p theta_i) + b cos(p theta_i))

Invariant (the property that defines it): a rotation is orthogonal, so ``|rope(x)| = |x|``, and
the rotations of a pair compose by adding angles, so ``rope(q, m) . rope(k, n) = q^T R((n - m)
theta) k`` depends on the positions only through ``m - n``: relative position, for free, in an
unchanged dot product. Pairs are ``(x[2i], x[2i+1])`` when ``interleaved`` (RoFormer) and
``(x[i], x[i + D/2])`` otherwise (GPT-NeoX, Llama: the "rotate half" layout).

Traffic. Memory-bound: one read and one write of ``x`` (``2 * x.nbytes``; ``out=x`` rotates in
place), 6 flops per pair. The ``L * D/2`` angles are computed once per position and pair (one
sine and cosine in float64 each) and reused for every leading index (batch, head), so the
trigonometry is ``1 / prod(leading dims)`` of the element count; a precomputed ``(L, D)`` table of
cos and sin, the form a plain numpy user writes, reads two more arrays the size of one head.

float16 is rotated in float32. The angle is formed in float64 so that positions of any size keep
their precision (``p * theta`` for ``p = 10**6`` in float32 would be off by tenths of a radian).

>>> import numpy as np
>>> rope(np.array([[1.0, 0.0], [1.0, 0.0]]), positions=[0.0, np.pi / 2]).round(6)
array([[1., 0.],
       [0., 1.]])
"""

import math

import numba
import numpy as np
from numba import prange

from kernels._arrays import accumulator_dtype, array_module, is_cupy_array
from kernels.reference import check_rope_args

__all__ = ["rope", "rope_pair"]

_ROWS_PER_TASK = 64  # leading indices one task rotates with the angles of one position


def rope(x, positions=None, *, base: float = 10000.0, interleaved: bool = True, out=None):
    """``x (..., L, D)`` with feature pair ``i`` of row ``l`` rotated by ``positions[l] * base**(-2i/D)``.

    ``positions`` defaults to ``0..L-1`` and may hold integers or floats. ``out``, if given, must
    be an array of ``x``'s module, shape and (float) dtype; it may be ``x`` itself.
    """
    x, positions, base, interleaved = check_rope_args(x, positions, base, interleaved)
    xp = array_module(x)
    if out is not None:
        _check_out(out, x)
    d = x.shape[-1]
    inv_freq = base ** (-np.arange(0, d, 2, dtype=np.float64) / d) if d else np.zeros(0)
    target = xp.empty(x.shape, dtype=x.dtype) if out is None else out
    if x.size == 0:
        return target
    # The kernels work on (rows, L, D) views of a C-contiguous native array; an out= that is not
    # one, or that overlaps x other than as x itself, gets its result through a temporary.
    rows = (math.prod(x.shape[:-2]), *x.shape[-2:])
    direct = target.flags.c_contiguous and target.dtype.isnative
    if direct and target is not x and xp.may_share_memory(target, x):
        direct = False
    result = target if direct else xp.empty(x.shape, dtype=x.dtype)
    if is_cupy_array(x):
        from kernels import rotary_cuda

        rotary_cuda.launch(
            x.reshape(rows),
            positions,
            xp.asarray(inv_freq),
            interleaved,
            result.reshape(rows),
            rotary_cuda.current_stream(),
        )
    else:
        _rope_cpu(x.reshape(rows), positions, inv_freq, interleaved, result.reshape(rows))
    if not direct:
        target[...] = result
    return target


def _check_out(out, x):
    xp = array_module(x)
    if not isinstance(out, xp.ndarray):
        raise TypeError(f"out must be a {xp.__name__} array like x, got {type(out).__name__}")
    if out.shape != x.shape:
        raise ValueError(f"out must have the shape of x {x.shape}, got {out.shape}")
    if out.dtype.newbyteorder("=") != x.dtype:
        raise TypeError(f"out must have the dtype of x ({x.dtype}), got {out.dtype}")
    if isinstance(out, np.ndarray) and not out.flags.writeable:
        raise ValueError("out must be writeable, got a read-only array")


# --- the readable form: one pair, the rotation exactly as stated ---------------------------------


def rope_pair(a: float, b: float, position: float, theta: float) -> tuple[float, float]:
    """Pair ``(a, b)`` rotated by ``position * theta`` radians (pure Python; the kernels' model).

    >>> [round(v, 12) for v in rope_pair(1.0, 0.0, 2.0, math.pi / 4)]  # a quarter turn
    [0.0, 1.0]
    """
    c, s = math.cos(position * theta), math.sin(position * theta)
    return a * c - b * s, a * s + b * c


# --- the fast form ------------------------------------------------------------------------------
#
# Tasks are (position, block of up to _ROWS_PER_TASK leading rows): a task computes the D/2 angles
# of its position once, in float64, keeps cos and sin in the accumulator dtype, and rotates the row
# of every leading index in its block. Pairs are read and written by the same iteration, so
# out = x needs no copy. float16 goes through float32 (numba's CPU float16 arithmetic is partial).


def _rope_cpu(x3, positions, inv_freq, interleaved, out3):
    acc = accumulator_dtype(x3.dtype)
    if acc == x3.dtype:
        _rope_rows(x3, positions, inv_freq, interleaved, out3)
        return
    work = x3.astype(acc)
    _rope_rows(work, positions, inv_freq, interleaved, work)
    out3[...] = work


@numba.njit(parallel=True, cache=True, error_model="numpy", fastmath={"contract"})
def _rope_rows(x, positions, inv_freq, interleaved, out):
    rows, length, d = x.shape
    half = d // 2
    blocks = (rows + _ROWS_PER_TASK - 1) // _ROWS_PER_TASK
    for task in prange(length * blocks):
        l, r0 = task // blocks, (task % blocks) * _ROWS_PER_TASK
        cos = np.empty(half, dtype=x.dtype)
        sin = np.empty(half, dtype=x.dtype)
        for i in range(half):
            angle = positions[l] * inv_freq[i]
            cos[i] = math.cos(angle)
            sin[i] = math.sin(angle)
        for r in range(r0, min(r0 + _ROWS_PER_TASK, rows)):
            src, dst = x[r, l], out[r, l]
            if interleaved:
                for i in range(half):
                    a, b = src[2 * i], src[2 * i + 1]
                    dst[2 * i] = a * cos[i] - b * sin[i]
                    dst[2 * i + 1] = a * sin[i] + b * cos[i]
            else:
                for i in range(half):
                    a, b = src[i], src[i + half]
                    dst[i] = a * cos[i] - b * sin[i]
                    dst[i + half] = a * sin[i] + b * cos[i]
