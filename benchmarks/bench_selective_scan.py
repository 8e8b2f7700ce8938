"""kernels.selective_scan beside a plain numpy loop over time and a copy of the same bytes.

The kernel must read ``u``, ``delta`` (``batch * dim * L`` values each), ``B`` and ``C``
(``batch * N * L`` each) once and write ``y`` (``batch * dim * L``) once; ``A`` and ``D``
(``dim * (N + 1)`` values) are read too, a few kilobytes, left out. A copy of half that many
values moves as many bytes (``time_copy_same_bytes``, from an array written in setup so that the
copy reads real pages, not the zero page): ``track_fraction_of_copy_rate`` is its time over ours,
the median over alternating runs in one process. The kernel also evaluates
``batch * dim * L * N`` exponentials. The numpy loop does per step what the reference does, on
``(batch, dim, N)`` arrays. Target at batch 4, dim 1024, N 16, L 4096, float32: at least 10x the
numpy loop, and the fraction of the copy rate reported.
"""

import numpy as np

from kernels import selective_scan

from ._gpu import cupy_or_skip
from ._ratio import median_ratio


def _inputs(batch, dim, n, length, xp=np, dtype=np.float32):
    rng = np.random.default_rng(0)
    args = (
        rng.standard_normal((batch, dim, length)),
        np.log1p(np.exp(rng.standard_normal((batch, dim, length)) - 2.0)),  # softplus, as in Mamba
        -np.exp(rng.standard_normal((dim, n))),
        rng.standard_normal((batch, n, length)),
        rng.standard_normal((batch, n, length)),
        rng.standard_normal(dim),
    )
    return tuple(xp.asarray(a.astype(dtype)) for a in args)


def _values_moved(u, B):
    """Values the kernel must read and write: ``u``, ``delta``, ``y`` and ``B``, ``C``."""
    return 3 * u.size + 2 * B.size


def _loop_over_time(xp, u, delta, A, B, C, D):
    batch, dim, length = u.shape
    h = xp.zeros((batch, dim, A.shape[1]), dtype=u.dtype)
    y = xp.empty_like(u)
    for t in range(length):
        dt = delta[:, :, t, None]
        h = xp.exp(dt * A) * h + dt * B[:, None, :, t] * u[:, :, t, None]
        y[:, :, t] = (h * C[:, None, :, t]).sum(axis=-1)
    return y + D[:, None] * u


class SelectiveScanCPU:
    params = ([256, 1024, 4096],)
    param_names = ["L"]
    number = 1
    repeat = (2, 5, 120.0)
    timeout = 600

    def setup(self, length):
        self.args = _inputs(4, 1024, 16, length)
        u, B = self.args[0], self.args[3]
        self.moved = _values_moved(u, B) * u.itemsize
        self.same_bytes = np.ones(_values_moved(u, B) // 2, np.float32)
        self.target = np.empty_like(self.same_bytes)
        selective_scan(*(a[..., :8] if a.ndim == 3 else a for a in self.args))

    def time_selective_scan(self, length):
        selective_scan(*self.args)

    def time_numpy_loop_over_time(self, length):
        _loop_over_time(np, *self.args)

    def time_copy_same_bytes(self, length):
        np.copyto(self.target, self.same_bytes)

    def track_fraction_of_copy_rate(self, length):
        time_ratio = median_ratio(
            lambda: np.copyto(self.target, self.same_bytes),
            lambda: selective_scan(*self.args),
            rounds=5,
        )
        return time_ratio * self.moved / (2 * self.same_bytes.nbytes)

    track_fraction_of_copy_rate.unit = "fraction"


class SelectiveScanGPU:
    """On cupy arrays (skipped where cupy finds no GPU)."""

    params = ([1024, 4096],)
    param_names = ["L"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, length):
        cupy = cupy_or_skip()
        self.cupy = cupy
        self.args = _inputs(4, 1024, 16, length, xp=cupy)
        self.same_bytes = cupy.empty(_values_moved(self.args[0], self.args[3]) // 2, np.float32)
        selective_scan(*self.args)
        cupy.cuda.Device().synchronize()

    def time_selective_scan(self, length):
        selective_scan(*self.args)
        self.cupy.cuda.Device().synchronize()

    def time_cupy_loop_over_time(self, length):
        _loop_over_time(self.cupy, *self.args)
        self.cupy.cuda.Device().synchronize()

    def time_copy_same_bytes(self, length):
        self.same_bytes.copy()
        self.cupy.cuda.Device().synchronize()
