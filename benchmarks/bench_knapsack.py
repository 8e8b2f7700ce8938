"""Knapsacks: the numba one-row kernels beside numpy's per-item row update.

The numpy baseline for the 0/1 knapsack is the one-liner a user would write,
``f[w:] = np.maximum(f[w:], f[:-w] + v)`` per item (the right side is evaluated before the store,
so it reads row i-1, as 0/1 needs). For the complete knapsack the baseline takes each item as 0/1
bundles of 1, 2, 4, ... copies (O(log(capacity / w)) row updates per item). The table dtype of the
baseline matches ours: int32 when the values are small ("small", sum < 2**31) and int64 when
they are not ("large").

ns per DP cell = time / (items * (capacity + 1)); `python -m benchmarks.report` puts the
measured ratios on the performance page.

The one-liner's two fresh 400 KB temporaries per item (and their page faults) are what
can make it slow; ``time_numpy_row_update_out`` is the same update without them, and the goal is
at least 2x its speed for both value sizes. ``track_speedup_over_row_update_out`` is that ratio,
the median over alternating runs in one process, so the asv history shows it over commits.
"""

import numpy as np

from algos.knapsack import knapsack_01, knapsack_bounded, knapsack_complete

from ._ratio import median_ratio

N_ITEMS = 1000


def _instance(capacity, values_kind, n_items=N_ITEMS, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.integers(1, 1001, n_items).astype(np.int32)
    if values_kind == "small":
        values = rng.integers(0, 1000, n_items).astype(np.int32)
    else:
        values = rng.integers(0, 10**7, n_items).astype(np.int64)
    return weights, values


def _numpy_01(weights, values, capacity, dtype):
    f = np.zeros(capacity + 1, dtype=dtype)
    for w, v in zip(weights.tolist(), values.tolist()):
        if w <= capacity:
            f[w:] = np.maximum(f[w:], f[: capacity + 1 - w] + dtype(v))
    return int(f[capacity])


def _numpy_01_out(weights, values, capacity, dtype):
    """The same update without temporaries: both ufuncs write into preallocated memory."""
    f = np.zeros(capacity + 1, dtype=dtype)
    shifted = np.empty(capacity + 1, dtype=dtype)
    for w, v in zip(weights.tolist(), values.tolist()):
        if w <= capacity:
            rest = capacity + 1 - w
            np.add(f[:rest], dtype(v), out=shifted[:rest])
            np.maximum(f[w:], shifted[:rest], out=f[w:])
    return int(f[capacity])


def _doubling_bundles(weights, values, capacity):
    bundle_w, bundle_v = [], []
    for w, v in zip(weights.tolist(), values.tolist()):
        size = 1
        while w * size <= capacity:
            bundle_w.append(w * size)
            bundle_v.append(v * size)
            size *= 2
    return np.array(bundle_w, dtype=np.int64), np.array(bundle_v, dtype=np.int64)


class Knapsack01:
    params = [[10**4, 10**5], ["small", "large"]]
    param_names = ["capacity", "values"]

    def setup(self, capacity, values_kind):
        self.weights, self.values = _instance(capacity, values_kind)
        self.dtype = np.int32 if values_kind == "small" else np.int64
        expected = _numpy_01(self.weights, self.values, capacity, self.dtype)
        assert expected == _numpy_01_out(self.weights, self.values, capacity, self.dtype)
        assert knapsack_01(self.weights, self.values, capacity) == expected  # also compiles

    def time_ours(self, capacity, values_kind):
        knapsack_01(self.weights, self.values, capacity)

    def time_numpy_row_update(self, capacity, values_kind):
        _numpy_01(self.weights, self.values, capacity, self.dtype)

    def time_numpy_row_update_out(self, capacity, values_kind):
        _numpy_01_out(self.weights, self.values, capacity, self.dtype)

    def track_speedup_over_row_update_out(self, capacity, values_kind):
        return median_ratio(
            lambda: _numpy_01_out(self.weights, self.values, capacity, self.dtype),
            lambda: knapsack_01(self.weights, self.values, capacity),
            rounds=5,
        )

    track_speedup_over_row_update_out.unit = "x"


class KnapsackComplete:
    params = [[10**4, 10**5], ["small"]]
    param_names = ["capacity", "values"]

    def setup(self, capacity, values_kind):
        self.weights, self.values = _instance(capacity, values_kind)
        self.bundles = _doubling_bundles(self.weights, self.values, capacity)
        # The complete knapsack's total can pass 2**31 even for small values: use int64 here.
        expected = _numpy_01(*self.bundles, capacity, np.int64)
        assert knapsack_complete(self.weights, self.values, capacity) == expected

    def time_ours(self, capacity, values_kind):
        knapsack_complete(self.weights, self.values, capacity)

    def time_numpy_doubling(self, capacity, values_kind):
        _numpy_01(*self.bundles, capacity, np.int64)

    def track_speedup_over_numpy_doubling(self, capacity, values_kind):
        return median_ratio(
            lambda: _numpy_01(*self.bundles, capacity, np.int64),
            lambda: knapsack_complete(self.weights, self.values, capacity),
            rounds=5,
        )

    track_speedup_over_numpy_doubling.unit = "x"


class KnapsackBounded:
    params = [[10**4, 10**5]]
    param_names = ["capacity"]

    def setup(self, capacity):
        self.weights, self.values = _instance(capacity, "small", n_items=200)
        self.counts = np.random.default_rng(1).integers(1, 21, 200)
        expected = knapsack_bounded(self.weights, self.values, self.counts, capacity)
        got = knapsack_bounded(self.weights, self.values, self.counts, capacity, method="queue")
        assert got == expected  # also compiles both kernels

    def time_binary_splitting(self, capacity):
        knapsack_bounded(self.weights, self.values, self.counts, capacity)

    def time_monotonic_queue(self, capacity):
        knapsack_bounded(self.weights, self.values, self.counts, capacity, method="queue")

    def track_speedup_of_queue_over_binary_splitting(self, capacity):
        # No outside peer solves the bounded knapsack in numpy; the two methods face each other.
        return median_ratio(
            lambda: knapsack_bounded(self.weights, self.values, self.counts, capacity),
            lambda: knapsack_bounded(
                self.weights, self.values, self.counts, capacity, method="queue"
            ),
            rounds=5,
        )

    track_speedup_of_queue_over_binary_splitting.unit = "x"
