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
place), 6 flops per pair. The ``L * D/2`` angles are computed in float64 once per position, pair
and block of up to 64 leading indices (batch, head) and reused across the block, so the
trigonometry is at most ``1 / min(64, prod(leading dims))`` of the pairs rotated; a precomputed
``(L, D)`` table of cos and sin, the form a plain numpy user writes, reads two more arrays the
size of one head and makes four full-size temporaries.

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
import numpy.typing as npt
from numba import prange

from kernels._arrays import array_module, is_cupy_array
from kernels._checks import check_rope_args
from kernels._dtypes import accumulator_dtype
from kernels._fastmath import float64_bits_as_int64

__all__ = ["rope", "rope_pair"]

_ROWS_PER_TASK = 64  # leading indices (rows) and positions one task rotates with one table
_POSITIONS_PER_TASK = 256  # of angles (256 x D/2 sines and cosines, in L2), amortised over 64 rows


def rope(
    x: npt.ArrayLike,
    positions: npt.ArrayLike | None = None,
    *,
    base: float = 10000.0,
    interleaved: bool = True,
    out: np.ndarray | None = None,
) -> np.ndarray:
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
            None,
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
# Tasks are (block of positions, block of leading rows): a task computes the sines and cosines of
# its positions once, in float64, keeps them in the accumulator dtype, and rotates its rows one
# after the other (a row's positions are contiguous; walking positions across rows instead jumps
# L * D elements per step and thrashes the TLB). Pairs are read and written by the same iteration,
# so out = x needs no copy. float16 goes through float32 (numba's CPU float16 arithmetic is
# partial).


def _rope_cpu(x3, positions, inv_freq, interleaved, out3):
    acc = accumulator_dtype(x3.dtype)
    if acc == x3.dtype:
        _rope_rows(x3, positions, inv_freq, interleaved, out3)
        return
    work = x3.astype(acc)
    _rope_rows(work, positions, inv_freq, interleaved, work)
    out3[...] = work


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _rope_rows(x, positions, inv_freq, interleaved, out):
    rows, length, d = x.shape
    half = d // 2
    row_blocks = (rows + _ROWS_PER_TASK - 1) // _ROWS_PER_TASK
    position_blocks = (length + _POSITIONS_PER_TASK - 1) // _POSITIONS_PER_TASK
    # the branch-free sine and cosine reduce by a rounding trick that needs |angle| < 2**50
    largest = np.max(np.abs(positions)) * (np.max(inv_freq) if half else 0.0)
    fast = largest < 2.0**50
    for task in prange(position_blocks * row_blocks):
        l0 = (task // row_blocks) * _POSITIONS_PER_TASK
        r0 = (task % row_blocks) * _ROWS_PER_TASK
        l1, r1 = min(l0 + _POSITIONS_PER_TASK, length), min(r0 + _ROWS_PER_TASK, rows)
        cos = np.empty((l1 - l0, half), dtype=x.dtype)
        sin = np.empty((l1 - l0, half), dtype=x.dtype)
        for l in range(l0, l1):
            p = positions[l]
            cos_l, sin_l = cos[l - l0], sin[l - l0]
            if fast:
                for i in range(half):
                    s, c = _sincos(p * inv_freq[i])
                    cos_l[i] = c
                    sin_l[i] = s
            else:
                for i in range(half):
                    cos_l[i] = math.cos(p * inv_freq[i])
                    sin_l[i] = math.sin(p * inv_freq[i])
        # row by row, so that each task walks contiguous memory (rows lie L * D apart)
        for r in range(r0, r1):
            for l in range(l0, l1):
                src, dst = x[r, l], out[r, l]
                cos_l, sin_l = cos[l - l0], sin[l - l0]
                if interleaved:
                    for i in range(half):
                        a, b = src[2 * i], src[2 * i + 1]
                        dst[2 * i] = a * cos_l[i] - b * sin_l[i]
                        dst[2 * i + 1] = a * sin_l[i] + b * cos_l[i]
                else:
                    for i in range(half):
                        a, b = src[i], src[i + half]
                        dst[i] = a * cos_l[i] - b * sin_l[i]
                        dst[i + half] = a * sin_l[i] + b * cos_l[i]


# Sine and cosine without branches, so that the loop over pairs vectorises (llvmlite links no
# vector math library; a libm call per angle cost more than rotating 32 rows of the pair). The
# reduction and the polynomials are those of fdlibm (__kernel_sin, __kernel_cos, the medium case
# of __ieee754_rem_pio2): angle = k pi/2 + r, |r| <= pi/4, with pi/2 in three parts so that k pi/2
# is exact for |k| < 2**20 (beyond, the error grows as u64 * |angle|, the bound the tests allow);
# both polynomials are within 2 ulp of float64 on |r| <= pi/4. k comes from the rounding trick
# t = angle * 2/pi + 1.5 * 2**52 (k in t's low mantissa bits), and the quadrant k mod 4 swaps and
# negates (sin r, cos r) by selects.

_TWO_OVER_PI = 6.36619772367581382433e-01
_PIO2_1 = 1.57079632673412561417e00  # first 33 bits of pi/2
_PIO2_2 = 6.07710050630396597660e-11  # next 33 bits
_PIO2_3 = 2.02226624871116645580e-21  # the rest
_ROUND_52 = 6755399441055744.0  # 1.5 * 2**52


@numba.njit(inline="always", error_model="numpy")
def _sincos(angle):
    t = angle * _TWO_OVER_PI + _ROUND_52
    k = t - _ROUND_52
    r = ((angle - k * _PIO2_1) - k * _PIO2_2) - k * _PIO2_3
    z = r * r
    sin_r = r + r * z * (
        -1.66666666666666324348e-01
        + z
        * (
            8.33333333332248946124e-03
            + z
            * (
                -1.98412698298579493134e-04
                + z
                * (
                    2.75573137070700676789e-06
                    + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)
                )
            )
        )
    )
    cos_r = (
        1.0
        - 0.5 * z
        + z
        * z
        * (
            4.16666666666666019037e-02
            + z
            * (
                -1.38888888888741095749e-03
                + z
                * (
                    2.48015872894767294178e-05
                    + z
                    * (
                        -2.75573143513906633035e-07
                        + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)
                    )
                )
            )
        )
    )
    quadrant = float64_bits_as_int64(t) & 3
    s = cos_r if quadrant & 1 else sin_r
    c = sin_r if quadrant & 1 else cos_r
    s = -s if quadrant & 2 else s
    c = -c if (quadrant + 1) & 2 else c
    return s, c
