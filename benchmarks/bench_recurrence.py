"""kernels.linear_recurrence beside scipy.signal.lfilter (CPU, constant a: lfilter([1], [1, -a], b))
and beside a device copy of the same number of bytes (GPU), timed in the same class.

Targets: at least 3x lfilter on 10^7 float64; on the CPU, with ``out=``, at least 85% of the rate
of ``np.add(a, b, out=c)`` (the same traffic: two reads and one write per element), without, at
least 90% of ``np.add(a, b)``'s (allocation included); on a GPU at least 70% of copy bandwidth (the
kernel reads a and b and writes h: 3 n values, like copying 1.5 n values).
``track_fraction_of_add_out`` and ``track_fraction_of_add`` are the median, over alternating runs
in one process, of the add's time over ours, so the asv history shows the distance to the limit
over commits.
"""

import numpy as np
from scipy.signal import lfilter

from kernels import linear_recurrence

from ._gpu import cupy_or_skip
from ._ratio import median_ratio


class LinearRecurrenceCPU:
    params = ([10**4, 10**6, 10**7], ["float64", "float32"])
    param_names = ["n", "dtype"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n, dtype):
        rng = np.random.default_rng(0)
        self.a_scalar = 0.9
        self.a = np.full(n, self.a_scalar, dtype=dtype)
        self.b = rng.standard_normal(n).astype(dtype)
        self.out = np.empty_like(self.b)
        self.add_out = np.empty_like(self.b)
        linear_recurrence(self.a[:1000], self.b[:1000])  # compile outside the timing
        linear_recurrence(self.a, self.b)
        linear_recurrence(self.a, self.b, out=self.out)

    def time_linear_recurrence(self, n, dtype):
        linear_recurrence(self.a, self.b)

    def time_linear_recurrence_out(self, n, dtype):
        linear_recurrence(self.a, self.b, out=self.out)

    def time_lfilter(self, n, dtype):
        lfilter([1.0], [1.0, -self.a_scalar], self.b)

    def time_add(self, n, dtype):
        np.add(self.a, self.b)

    def time_add_out(self, n, dtype):
        np.add(self.a, self.b, out=self.add_out)

    def track_fraction_of_add_out(self, n, dtype):
        return median_ratio(
            lambda: np.add(self.a, self.b, out=self.add_out),
            lambda: linear_recurrence(self.a, self.b, out=self.out),
        )

    track_fraction_of_add_out.unit = "fraction"

    def track_fraction_of_add(self, n, dtype):
        return median_ratio(
            lambda: np.add(self.a, self.b), lambda: linear_recurrence(self.a, self.b)
        )

    track_fraction_of_add.unit = "fraction"


class LinearRecurrenceAxis0CPU:
    """Many independent channels along a non-last axis (time x channels), as in an SSM layer."""

    params = [[(10_000, 256), (100, 100_000)]]
    param_names = ["shape"]
    number = 1
    repeat = (3, 10, 30.0)

    def setup(self, shape):
        rng = np.random.default_rng(1)
        self.a = rng.uniform(0.8, 1.0, shape)
        self.b = rng.standard_normal(shape)
        linear_recurrence(self.a, self.b, axis=0)

    def time_linear_recurrence(self, shape):
        linear_recurrence(self.a, self.b, axis=0)

    def time_lfilter_constant_a(self, shape):
        lfilter([1.0], [1.0, -0.9], self.b, axis=0)


class LinearRecurrenceGPU:
    """On cupy arrays (skipped where cupy finds no GPU)."""

    params = ([2**20, 2**24, 2**27], ["float32"])
    param_names = ["n", "dtype"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n, dtype):
        cupy = cupy_or_skip()
        self.cupy = cupy
        self.a = cupy.full(n, 0.9, dtype=dtype)
        self.b = cupy.random.standard_normal(n).astype(dtype)
        self.same_bytes = cupy.empty(n + n // 2, dtype=dtype)
        linear_recurrence(self.a, self.b)
        cupy.cuda.Device().synchronize()

    def time_linear_recurrence(self, n, dtype):
        linear_recurrence(self.a, self.b)
        self.cupy.cuda.Device().synchronize()

    def time_copy_same_bytes(self, n, dtype):
        self.same_bytes.copy()
        self.cupy.cuda.Device().synchronize()
