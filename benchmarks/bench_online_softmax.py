"""Online softmax against scipy.special.softmax (CPU) and cupy / torch (GPU), with a copy of the
same array as the bandwidth yardstick: ``2 * x.nbytes / time`` is the GB/s of each method.

The ideal softmax or log_softmax reads ``x`` once and writes the output once, the traffic of
``np.copyto``. Targets: with ``out=``, at least 85% of the rate of ``np.copyto(out, x)``; without,
at least 90% of ``x.copy()``'s (allocation included). logsumexp reads ``x`` and writes one value
per row, so its yardstick is a read-only pass over the same bytes, ``np.add.reduce(x, axis=-1,
out=red)``, not a copy.

Each ``track_*_fraction_of_*`` is the median, over alternating runs in one process, of the
yardstick's time over ours (1 is at the limit), so the asv history shows the distance to the limit
over commits.
"""

import numpy as np

from kernels import log_softmax, logsumexp, softmax

from ._gpu import cupy_or_skip
from ._ratio import median_ratio


class Softmax:
    params = ([(4096, 8192), (65536, 1024), (256, 256)], ["float32", "float64"])
    param_names = ["shape", "dtype"]

    def setup(self, shape, dtype):
        import scipy.special

        self.scipy_softmax = scipy.special.softmax
        self.x = np.random.default_rng(0).normal(scale=10.0, size=shape).astype(dtype)
        self.out = np.empty_like(self.x)
        self.copy_dst = np.empty_like(self.x)
        self.row_sums = np.empty(shape[0], dtype=dtype)
        softmax(self.x[:2])  # compile outside the timing
        softmax(self.x[:2], out=self.out[:2])
        logsumexp(self.x[:2])
        log_softmax(self.x[:2])
        log_softmax(self.x[:2], out=self.out[:2])

    def time_ours(self, shape, dtype):
        softmax(self.x)

    def time_ours_out(self, shape, dtype):
        softmax(self.x, out=self.out)

    def time_scipy(self, shape, dtype):
        self.scipy_softmax(self.x, axis=-1)

    def time_copyto(self, shape, dtype):
        np.copyto(self.copy_dst, self.x)

    def time_copy(self, shape, dtype):
        self.x.copy()

    def time_ours_log_softmax(self, shape, dtype):
        log_softmax(self.x)

    def time_ours_log_softmax_out(self, shape, dtype):
        log_softmax(self.x, out=self.out)

    def time_ours_logsumexp(self, shape, dtype):
        logsumexp(self.x)

    def time_scipy_logsumexp(self, shape, dtype):
        import scipy.special

        scipy.special.logsumexp(self.x, axis=-1)

    def time_add_reduce(self, shape, dtype):
        np.add.reduce(self.x, axis=-1, out=self.row_sums)

    def track_fraction_of_copyto(self, shape, dtype):
        return median_ratio(
            lambda: np.copyto(self.copy_dst, self.x), lambda: softmax(self.x, out=self.out)
        )

    track_fraction_of_copyto.unit = "fraction"

    def track_fraction_of_copy(self, shape, dtype):
        return median_ratio(self.x.copy, lambda: softmax(self.x))

    track_fraction_of_copy.unit = "fraction"

    def track_log_softmax_fraction_of_copyto(self, shape, dtype):
        return median_ratio(
            lambda: np.copyto(self.copy_dst, self.x), lambda: log_softmax(self.x, out=self.out)
        )

    track_log_softmax_fraction_of_copyto.unit = "fraction"

    def track_log_softmax_fraction_of_copy(self, shape, dtype):
        return median_ratio(self.x.copy, lambda: log_softmax(self.x))

    track_log_softmax_fraction_of_copy.unit = "fraction"

    def track_logsumexp_fraction_of_add_reduce(self, shape, dtype):
        return median_ratio(
            lambda: np.add.reduce(self.x, axis=-1, out=self.row_sums), lambda: logsumexp(self.x)
        )

    track_logsumexp_fraction_of_add_reduce.unit = "fraction"


class SoftmaxGPU:
    params = ([(4096, 8192), (65536, 1024)], ["float16", "float32"])
    param_names = ["shape", "dtype"]

    def setup(self, shape, dtype):
        self.cupy = cupy = cupy_or_skip()
        self.x = cupy.asarray(np.random.default_rng(0).normal(size=shape).astype(dtype))
        self.out = cupy.empty_like(self.x)
        softmax(self.x)
        cupy.cuda.Device().synchronize()

    def time_ours(self, shape, dtype):
        softmax(self.x)
        self.cupy.cuda.Device().synchronize()

    def time_cupyx(self, shape, dtype):
        import cupyx.scipy.special

        cupyx.scipy.special.softmax(self.x, axis=-1)
        self.cupy.cuda.Device().synchronize()

    def time_copy(self, shape, dtype):
        self.cupy.copyto(self.out, self.x)
        self.cupy.cuda.Device().synchronize()
