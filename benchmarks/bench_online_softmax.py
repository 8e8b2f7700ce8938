"""Online softmax against scipy.special.softmax (CPU) and cupy / torch (GPU), with a copy of the
same array as the bandwidth yardstick: ``2 * x.nbytes / time`` is the GB/s of each method.

The ideal kernel reads ``x`` once and writes the output once, the traffic of ``np.copyto``.
"""

import numpy as np

from kernels import log_softmax, logsumexp, softmax

from ._gpu import cupy_or_skip


class Softmax:
    params = ([(4096, 8192), (65536, 1024), (256, 256)], ["float32", "float64"])
    param_names = ["shape", "dtype"]

    def setup(self, shape, dtype):
        import scipy.special

        self.scipy_softmax = scipy.special.softmax
        self.x = np.random.default_rng(0).normal(scale=10.0, size=shape).astype(dtype)
        self.out = np.empty_like(self.x)
        softmax(self.x[:2])  # compile outside the timing
        logsumexp(self.x[:2])
        log_softmax(self.x[:2])

    def time_ours(self, shape, dtype):
        softmax(self.x)

    def time_scipy(self, shape, dtype):
        self.scipy_softmax(self.x, axis=-1)

    def time_copyto(self, shape, dtype):
        np.copyto(self.out, self.x)

    def time_ours_logsumexp(self, shape, dtype):
        logsumexp(self.x)

    def time_scipy_logsumexp(self, shape, dtype):
        import scipy.special

        scipy.special.logsumexp(self.x, axis=-1)


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
