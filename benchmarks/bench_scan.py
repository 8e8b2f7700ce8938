"""kernels.scan beside np.cumsum (CPU) and cupy.cumsum (GPU), and beside a copy of the same array
(the memory limit: the ideal scan reads x once and writes out once, as a copy does), timed in the
same class so that the ratios come from one run.

Targets: add on 10^8 float64 at least 2x np.cumsum, on 10^8 int64 at least 1x (np.cumsum of int64
already runs at memory bandwidth); on a GPU at least 1x cupy.cumsum on 2^28 float32 and int32.
"""

import numpy as np

from kernels import scan

from ._gpu import cupy_or_skip


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
        scan(self.x[:1000])  # compile the sequential and parallel kernels outside the timing
        scan(self.x)

    def time_scan(self, n, dtype):
        scan(self.x)

    def time_np_cumsum(self, n, dtype):
        np.cumsum(self.x)

    def time_copy(self, n, dtype):
        self.x.copy()


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
