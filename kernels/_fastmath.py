"""numba building blocks the CPU kernels share: an exp that vectorises, and float bit casts.

The one copy of each: :mod:`kernels.online_softmax`, :mod:`kernels.blocked_attention` and
:mod:`kernels.state_space` call this exp; :mod:`kernels.rotary` reads float64 bits here.

llvmlite links no vector math library, so ``math.exp`` in a loop is a scalar libm call per element
and no faster than numpy. :func:`exp_nonpositive` is branch-free (range reduction, a polynomial,
an exponent built from integer bits), so LLVM vectorises the loops that call it. Its relative error
is within ``4u`` (two float32 ulps) over ``[-87, 0]``, the figure :mod:`kernels.tolerances` counts
on; ``tests/test_online_softmax.py`` checks it on 200 001 points.
"""

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

__all__ = [
    "exp_nonpositive",
    "float32_bits_as_int32",
    "float64_bits_as_int64",
    "int32_bits_as_float32",
]


def exp_nonpositive(x):
    """``exp(x)`` for ``x <= 0`` or NaN, branch-free so that loops calling it vectorise.

    float32 takes the polynomial below; float64 calls ``math.exp``. Only callable from numba code.
    """
    raise NotImplementedError("only callable from numba-compiled code")


@overload(exp_nonpositive)
def _exp_nonpositive_overload(x):
    if x == types.float32:
        return _exp_float32
    if x == types.float64:
        return lambda x: math.exp(x)
    return None


_LOG2E = np.float32(1.4426950408889634)
_LN2_HI = np.float32(0.693359375)
_LN2_LO = np.float32(-2.12194440e-4)
_EXP_MIN = np.float32(-87.0)  # below this 2**n would leave the normal range; exp(-87) < 2e-38
_ROUNDER = np.float32(12582912.0)  # 1.5 * 2**23


def _exp_float32(x):
    # Cephes-style expf: x = n ln2 + r with |r| <= ln2 / 2 (ln2 split in two for an exact
    # product), e**r = 1 + r + r**2 q(r) with q a degree-4 minimax fit (relative error 0.7 eps over
    # the float32 values in [-87, 0]; a degree-5 q is no more accurate in float32), and 2**n
    # written straight into the exponent bits. Only x <= 0 (or NaN) arrives, so n lies in
    # [-126, 0] after the clamp: no upper clamp.
    # t = x log2(e) + 1.5 * 2**23 rounds to nearest and leaves n in t's low mantissa bits (the
    # float's bits are 0x4B400000 + n), so (bits + 127) << 23 shifts out the 0x4B4 and is the
    # exponent field of 2**n: no float-to-int conversion, and NaN needs no guard (NaN stays in p).
    xc = x if not (x < _EXP_MIN) else _EXP_MIN  # NaN passes through
    t = xc * _LOG2E + _ROUNDER
    n = t - _ROUNDER
    r = xc - n * _LN2_HI - n * _LN2_LO
    p = np.float32(1.38758e-3)
    p = p * r + np.float32(8.37288e-3)
    p = p * r + np.float32(4.166768e-2)
    p = p * r + np.float32(1.6666478e-1)
    p = p * r + np.float32(4.9999994e-1)
    p = p * r * r + r + np.float32(1.0)
    scale = int32_bits_as_float32(np.int32((float32_bits_as_int32(t) + np.int32(127)) << 23))
    return p * scale if not (x < _EXP_MIN) else np.float32(0.0)


# The three bit casts mirror each other: one intrinsic per (from, to) pair, as numba types them.
@intrinsic
def int32_bits_as_float32(typingctx, bits):
    """The float32 whose bit pattern is the int32 ``bits`` (an LLVM bitcast: free, vectorisable)."""
    if bits != types.int32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())

    return types.float32(types.int32), codegen


@intrinsic
def float32_bits_as_int32(typingctx, value):
    """The int32 with the bit pattern of the float32 ``value`` (an LLVM bitcast)."""
    if value != types.float32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(32))

    return types.int32(types.float32), codegen


@intrinsic
def float64_bits_as_int64(typingctx, value):
    """The int64 with the bit pattern of the float64 ``value`` (an LLVM bitcast)."""
    if value != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen
