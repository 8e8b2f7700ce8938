"""kernels.rope beside the plain numpy form and beside a copy of the same bytes, in one class.

The numpy form a user writes precomputes ``cos`` and ``sin`` tables of shape ``(L, D)`` and
evaluates ``x * cos + rotate(x) * sin``: four full-size temporaries and the tables read once per
head. The kernel reads ``x`` once and writes the output once (``2 * x.nbytes``), the same bytes as
``np.copyto(out, x)``; the target is at least 85% of that copy rate (``time_copy_same_bytes`` over
``time_rope_into_out``), on the CPU and on a GPU. ``RopeCPU.track_fraction_of_copyto`` is that
ratio, the median over alternating runs in one process, so the asv history shows the distance to
the limit over commits.
"""

import numpy as np

from kernels import rope

from ._gpu import cupy_or_skip
from ._ratio import median_ratio

_SHAPES = [(8, 1024, 64), (32, 2048, 128), (64, 4096, 128)]  # (batch * heads, L, D)


def _tables(xp, length, d, interleaved, dtype, base=10000.0):
    theta = base ** (-xp.arange(0, d, 2, dtype=np.float64) / d)
    angle = xp.arange(length, dtype=np.float64)[:, None] * theta[None, :]
    repeat = (
        (lambda a: xp.repeat(a, 2, axis=-1))
        if interleaved
        else (lambda a: xp.concatenate([a, a], axis=-1))
    )
    return repeat(xp.cos(angle)).astype(dtype), repeat(xp.sin(angle)).astype(dtype)


def _numpy_rope(xp, x, cos, sin, interleaved):
    """The form found in model code: rotate pairs, then two multiplies and an add."""
    if interleaved:
        pairs = x.reshape(*x.shape[:-1], -1, 2)
        rotated = xp.stack([-pairs[..., 1], pairs[..., 0]], axis=-1).reshape(x.shape)
    else:
        half = x.shape[-1] // 2
        rotated = xp.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


class RopeCPU:
    params = (_SHAPES, [True, False])
    param_names = ["shape", "interleaved"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, shape, interleaved):
        self.x = np.random.default_rng(0).standard_normal(shape, dtype=np.float32)
        self.out = np.empty_like(self.x)
        self.copy_dst = np.empty_like(self.x)
        self.cos, self.sin = _tables(np, shape[1], shape[2], interleaved, np.float32)
        rope(self.x, interleaved=interleaved, out=self.out)  # compile outside the timing

    def time_rope_into_out(self, shape, interleaved):
        rope(self.x, interleaved=interleaved, out=self.out)

    def time_rope(self, shape, interleaved):
        rope(self.x, interleaved=interleaved)

    def time_numpy_with_tables(self, shape, interleaved):
        _numpy_rope(np, self.x, self.cos, self.sin, interleaved)

    def time_copy_same_bytes(self, shape, interleaved):
        np.copyto(self.copy_dst, self.x)

    def track_fraction_of_copyto(self, shape, interleaved):
        return median_ratio(
            lambda: np.copyto(self.copy_dst, self.x),
            lambda: rope(self.x, interleaved=interleaved, out=self.out),
        )

    track_fraction_of_copyto.unit = "fraction"


class RopeGPU:
    """On cupy arrays, float16 and float32 (skipped where cupy finds no GPU)."""

    params = (_SHAPES, [True, False], ["float16", "float32"])
    param_names = ["shape", "interleaved", "dtype"]
    number = 1
    repeat = (3, 20, 30.0)

    def setup(self, shape, interleaved, dtype):
        cupy = cupy_or_skip()
        self.cupy = cupy
        self.x = cupy.random.standard_normal(shape, dtype=np.float32).astype(dtype)
        self.out = cupy.empty_like(self.x)
        self.cos, self.sin = _tables(cupy, shape[1], shape[2], interleaved, dtype)
        rope(self.x, interleaved=interleaved, out=self.out)
        cupy.cuda.Device().synchronize()

    def time_rope_into_out(self, shape, interleaved, dtype):
        rope(self.x, interleaved=interleaved, out=self.out)
        self.cupy.cuda.Device().synchronize()

    def time_cupy_with_tables(self, shape, interleaved, dtype):
        _numpy_rope(self.cupy, self.x, self.cos, self.sin, interleaved)
        self.cupy.cuda.Device().synchronize()

    def time_copy_same_bytes(self, shape, interleaved, dtype):
        self.cupy.copyto(self.out, self.x)
        self.cupy.cuda.Device().synchronize()
