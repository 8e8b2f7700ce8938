"""Sliding-window maximum: the van Herk kernel beside bottleneck, scipy, a numba deque and the
machine's copy rate.

Goals: at least 1.5x faster than ``bottleneck.move_max`` on 10**7 float64 for k in {3, 100,
10000}; with ``out=``, at least 85% of the rate of ``np.copyto`` moving the same bytes (read
``len(out)`` values, write ``len(out)``); without, at least 90% of ``x.copy()``'s (allocation
included). bottleneck's output is aligned differently: ``move_max(x, k)[k-1:]`` equals ours.

``track_fraction_of_copyto`` and ``track_fraction_of_copy`` are the median, over alternating
runs in one process, of the copy's time over ours, so the asv history shows the distance to the
limit over commits.
"""

import numba
import numpy as np

try:
    import bottleneck
    from scipy import ndimage
except ImportError:  # the baselines are optional: without them the class is skipped
    bottleneck = ndimage = None

from algos.sliding_window import sliding_window_max

from ._ratio import median_ratio


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
        self.out = np.empty(n - k + 1, dtype=dtype)
        self.copy_dst = np.empty(n - k + 1, dtype=dtype)
        self.copy_src = self.x[: n - k + 1]
        # Compile (and check) outside the timed region.
        ours = sliding_window_max(self.x, k)
        assert np.array_equal(ours, _numba_deque_max(self.x, k))
        sliding_window_max(self.x, k, out=self.out)
        assert np.array_equal(ours, self.out)

    def time_ours(self, dtype, n, k):
        sliding_window_max(self.x, k)

    def time_ours_out(self, dtype, n, k):
        sliding_window_max(self.x, k, out=self.out)

    def time_copyto(self, dtype, n, k):
        np.copyto(self.copy_dst, self.copy_src)

    def time_copy(self, dtype, n, k):
        self.copy_src.copy()

    def track_fraction_of_copyto(self, dtype, n, k):
        return median_ratio(
            lambda: np.copyto(self.copy_dst, self.copy_src),
            lambda: sliding_window_max(self.x, k, out=self.out),
        )

    track_fraction_of_copyto.unit = "fraction"

    def track_fraction_of_copy(self, dtype, n, k):
        return median_ratio(self.copy_src.copy, lambda: sliding_window_max(self.x, k))

    track_fraction_of_copy.unit = "fraction"

    def time_numba_deque(self, dtype, n, k):
        _numba_deque_max(self.x, k)

    def time_bottleneck(self, dtype, n, k):
        bottleneck.move_max(self.x, k)

    def time_scipy_maximum_filter1d(self, dtype, n, k):
        # origin shifts the window to x[i:i+k]; the first len(x)-k+1 values equal ours.
        ndimage.maximum_filter1d(self.x, k, origin=-(k // 2), mode="nearest")
