"""Sliding-window maximum: the van Herk kernel beside bottleneck, scipy and a numba deque.

Goal: at least 1.5x faster than ``bottleneck.move_max`` on 10**7 float64 for k in {3, 100, 10000}.
bottleneck's output is aligned differently: ``move_max(x, k)[k-1:]`` equals ours.
"""

import numba
import numpy as np

try:
    import bottleneck
    from scipy import ndimage
except ImportError:  # the baselines are optional: without them the class is skipped
    bottleneck = ndimage = None

from algos.sliding_window import sliding_window_max


@numba.njit(cache=True)
def _numba_deque_max(x, k):
    """The monotonic deque of ``algos.sliding_window`` compiled with numba, on a ring buffer of
    indices: kept here to show why the module uses the van Herk form instead."""
    n = x.shape[0]
    out = np.empty(n - k + 1, dtype=x.dtype)
    ring = np.empty(k, dtype=np.int64)
    head = 0  # position of the front in ring
    size = 0
    for i in range(n):
        v = x[i]
        while size > 0 and x[ring[(head + size - 1) % k]] <= v:
            size -= 1
        if size > 0 and ring[head] <= i - k:
            head = (head + 1) % k
            size -= 1
        ring[(head + size) % k] = i
        size += 1
        if i >= k - 1:
            out[i - k + 1] = x[ring[head]]
    return out


class SlidingWindowMax:
    params = (["float64", "int64"], [10**3, 10**5, 10**7], [3, 100, 10000])
    param_names = ["dtype", "n", "k"]

    def setup(self, dtype, n, k):
        if bottleneck is None:
            raise NotImplementedError("bottleneck and scipy are needed for the baselines")
        if k > n:
            raise NotImplementedError("window longer than the input")
        rng = np.random.default_rng(0)
        self.x = (rng.random(n) * 1e6).astype(dtype)
        # Compile (and check) outside the timed region.
        ours = sliding_window_max(self.x, k)
        assert np.array_equal(ours, _numba_deque_max(self.x, k))

    def time_ours(self, dtype, n, k):
        sliding_window_max(self.x, k)

    def time_numba_deque(self, dtype, n, k):
        _numba_deque_max(self.x, k)

    def time_bottleneck(self, dtype, n, k):
        bottleneck.move_max(self.x, k)

    def time_scipy_maximum_filter1d(self, dtype, n, k):
        # origin shifts the window to x[i:i+k]; the first len(x)-k+1 values equal ours.
        ndimage.maximum_filter1d(self.x, k, origin=-(k // 2), mode="nearest")
