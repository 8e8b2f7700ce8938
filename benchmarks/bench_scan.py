"""kernels.scan beside np.cumsum (CPU) and cupy.cumsum (GPU), and beside a copy of the same array
(the memory limit: the ideal scan reads x once and writes out once, as a copy does), timed in the
same class so that the ratios come from one run.

Targets: add on 10^8 float64 at least 2x np.cumsum, on 10^8 int64 at least 1x (np.cumsum of int64
already runs at memory bandwidth); with ``out=``, at least 85% of the rate of ``np.copyto(out, x)``,
without, at least 90% of ``x.copy()``'s (allocation included: on a fresh output the page faults of
first touch cost as much as the scan itself); on a GPU at least 1x cupy.cumsum on 2^28 float32 and
int32. ``track_fraction_of_copyto`` and ``track_fraction_of_copy`` are the median, over alternating
runs in one process, of the copy's time over the scan's, so the asv history shows the distance to
the limit over commits.
"""

import numpy as np

from kernels import scan

from ._gpu import cupy_or_skip
from ._ratio import median_ratio


class ScanAddCPU:
    """Inclusive add along a 1-d array: one sequential pass, compiled."""

    params = ([10**4, 10**6, 10**8], ["float64", "int64", "float32"])
    param_names = ["n", "dtype"]
    timeout = 300
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n, dtype):
        rng = np.random.default_rng(0)
        self.x = rng.integers(-1000, 1000, n).astype(dtype)
        self.out = np.empty_like(self.x)
        self.copy_dst = np.empty_like(self.x)
        scan(self.x[:1000])  # compile the sequential and parallel kernels outside the timing
        scan(self.x)
        scan(self.x, out=self.out)

    def time_scan(self, n, dtype):
        scan(self.x)

    def time_scan_out(self, n, dtype):
        scan(self.x, out=self.out)

    def time_np_cumsum(self, n, dtype):
        np.cumsum(self.x)

    def time_copy(self, n, dtype):
        self.x.copy()

    def time_copyto(self, n, dtype):
        np.copyto(self.copy_dst, self.x)

    def track_fraction_of_copyto(self, n, dtype):
        return median_ratio(
            lambda: np.copyto(self.copy_dst, self.x), lambda: scan(self.x, out=self.out)
        )

    track_fraction_of_copyto.unit = "fraction"

    def track_fraction_of_copy(self, n, dtype):
        return median_ratio(self.x.copy, lambda: scan(self.x))

    track_fraction_of_copy.unit = "fraction"


class ScanOpsCPU:
    """The other ops, exclusive scans and a non-last axis, beside their numpy equivalents."""

    params = (["max", "mul"], [0, 1])
    param_names = ["op", "axis"]
    number = 1
    repeat = (3, 10, 30.0)

    def setup(self, op, axis):
        rng = np.random.default_rng(1)
        self.x = rng.uniform(0.5, 1.5, (1000, 2000))
        self.ufunc = {"max": np.maximum, "mul": np.multiply}[op]
        scan(self.x, op, axis)

    def time_scan(self, op, axis):
        scan(self.x, op, axis)

    def time_numpy_accumulate(self, op, axis):
        self.ufunc.accumulate(self.x, axis=axis)


class ScanAddGPU:
    """On cupy arrays (skipped where cupy finds no GPU)."""

    params = ([2**20, 2**24, 2**28], ["float32", "int32"])
    param_names = ["n", "dtype"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n, dtype):
        cupy = cupy_or_skip()
        self.cupy = cupy
        self.x = cupy.arange(n, dtype=dtype) % 7
        scan(self.x)
        cupy.cuda.Device().synchronize()

    def time_scan(self, n, dtype):
        scan(self.x)
        self.cupy.cuda.Device().synchronize()

    def time_cupy_cumsum(self, n, dtype):
        # In the input's dtype, as the kernel: cupy.cumsum would otherwise widen int32 to int64.
        self.cupy.cumsum(self.x, dtype=self.x.dtype)
        self.cupy.cuda.Device().synchronize()

    def time_copy(self, n, dtype):
        self.x.copy()
        self.cupy.cuda.Device().synchronize()
