import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import algos.knapsack as knapsack_module
from algos.knapsack import (
    knapsack_01,
    knapsack_01_items,
    knapsack_bounded,
    knapsack_complete,
    knapsack_complete_items,
)

CLASSIC = ([1, 2, 3, 4], [2, 4, 4, 5], 5)


def brute_force(weights, values, limits, capacity, exact):
    """Best value over every count vector 0 <= count[i] <= limits[i] that fits; None if none does."""
    best = None

    def visit(i, room, value):
        nonlocal best
        if i == len(weights):
            if (room == 0 or not exact) and (best is None or value > best):
                best = value
            return
        count = 0
        while count <= limits[i] and count * weights[i] <= room:
            visit(i + 1, room - count * weights[i], value + count * values[i])
            count += 1

    visit(0, capacity, 0)
    return best


def complete_limits(weights, capacity):
    # More copies than fit cannot be taken; a weight-0 item here has value 0, one copy shows it.
    return [capacity // w if w else 1 for w in weights]


@contextlib.contextmanager
def forced_path(path):
    """Route every instance through the numba kernels ("numba") or the pure-Python rows ("pure")."""
    saved = knapsack_module._NUMBA_MIN_CELLS
    knapsack_module._NUMBA_MIN_CELLS = 0 if path == "numba" else float("inf")
    try:
        yield
    finally:
        knapsack_module._NUMBA_MIN_CELLS = saved


def instances(max_items=6, max_weight=8, min_weight=0, max_value=30, max_count=3, max_capacity=20):
    """(weights, values, counts, capacity) with equal lengths."""
    return st.integers(0, max_items).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(min_weight, max_weight), min_size=n, max_size=n),
            st.lists(st.integers(0, max_value), min_size=n, max_size=n),
            st.lists(st.integers(0, max_count), min_size=n, max_size=n),
            st.integers(0, max_capacity),
        )
    )


small = instances()
positive_weights = instances(min_weight=1)
paths = st.sampled_from(["numba", "pure"])
larger = instances(
    max_items=40, max_weight=300, min_weight=1, max_value=10**6, max_count=6, max_capacity=1500
)


# --- worked examples ---------------------------------------------------------------------------


def test_classic_example():
    weights, values, capacity = CLASSIC
    assert knapsack_01(weights, values, capacity) == 8
    assert knapsack_complete(weights, values, capacity) == 10
    assert knapsack_01_items(weights, values, capacity) == (8, [1, 2])
    assert knapsack_complete_items(weights, values, capacity) == (10, [5, 0, 0, 0])
    assert knapsack_bounded(weights, values, [1, 1, 1, 1], capacity) == 8
    assert knapsack_bounded(weights, values, [9, 9, 9, 9], capacity, method="queue") == 10


def test_classic_example_exactly_full():
    weights, values, capacity = CLASSIC
    assert knapsack_01(weights, values, capacity, exact=True) == 8
    assert knapsack_01([2, 4], [3, 5], 5, exact=True) is None
    assert knapsack_complete([4, 6], [1, 1], 9, exact=True) is None
    assert knapsack_complete([4, 6], [1, 1], 10, exact=True) == 2


# --- properties against brute force --------------------------------------------------------------


@given(small, st.booleans(), paths)
def test_01_matches_brute_force(instance, exact, path):
    weights, values, _, capacity = instance
    with forced_path(path):
        got = knapsack_01(weights, values, capacity, exact=exact)
    assert got == brute_force(weights, values, [1] * len(weights), capacity, exact)


@given(positive_weights, st.booleans(), paths)
def test_complete_matches_brute_force(instance, exact, path):
    weights, values, _, capacity = instance
    with forced_path(path):
        got = knapsack_complete(weights, values, capacity, exact=exact)
    assert got == brute_force(weights, values, complete_limits(weights, capacity), capacity, exact)


@given(small, st.booleans(), paths, st.sampled_from(["binary", "queue"]))
def test_bounded_matches_brute_force(instance, exact, path, method):
    weights, values, counts, capacity = instance
    with forced_path(path):
        got = knapsack_bounded(weights, values, counts, capacity, exact=exact, method=method)
    assert got == brute_force(weights, values, counts, capacity, exact)


@given(small, st.booleans(), paths)
def test_01_items_fit_and_add_up_to_the_best_value(instance, exact, path):
    weights, values, _, capacity = instance
    with forced_path(path):
        best, taken = knapsack_01_items(weights, values, capacity, exact=exact)
    assert best == knapsack_01(weights, values, capacity, exact=exact)
    if best is None:
        assert taken is None
        return
    assert taken == sorted(set(taken))
    weight = sum(weights[i] for i in taken)
    assert weight == capacity if exact else weight <= capacity
    assert sum(values[i] for i in taken) == best


@given(small, st.booleans(), paths)
def test_complete_items_fit_and_add_up_to_the_best_value(instance, exact, path):
    weights, values, _, capacity = instance
    values = [v if w else 0 for w, v in zip(weights, values)]  # no free value (that is an error)
    with forced_path(path):
        best, counts = knapsack_complete_items(weights, values, capacity, exact=exact)
    assert best == knapsack_complete(weights, values, capacity, exact=exact)
    if best is None:
        assert counts is None
        return
    assert len(counts) == len(weights) and min(counts, default=0) >= 0
    weight = sum(c * w for c, w in zip(counts, weights))
    assert weight == capacity if exact else weight <= capacity
    assert sum(c * v for c, v in zip(counts, values)) == best


@given(larger, st.booleans())
def test_numba_path_matches_pure_path_on_larger_instances(instance, exact):
    weights, values, counts, capacity = instance
    results = {}
    for path in ("numba", "pure"):
        with forced_path(path):
            results[path] = (
                knapsack_01(weights, values, capacity, exact=exact),
                knapsack_complete(weights, values, capacity, exact=exact),
                knapsack_bounded(weights, values, counts, capacity, exact=exact),
                knapsack_bounded(weights, values, counts, capacity, exact=exact, method="queue"),
                knapsack_01_items(weights, values, capacity, exact=exact),
                knapsack_complete_items(weights, values, capacity, exact=exact),
            )
    assert results["numba"] == results["pure"]


@given(larger, st.booleans(), paths)
def test_both_bounded_methods_agree(instance, exact, path):
    weights, values, counts, capacity = instance
    with forced_path(path):
        binary = knapsack_bounded(weights, values, counts, capacity, exact=exact, method="binary")
        queue = knapsack_bounded(weights, values, counts, capacity, exact=exact, method="queue")
    assert binary == queue


def test_default_routing_on_a_large_instance_matches_the_pure_path():
    rng = np.random.default_rng(7)
    weights = rng.integers(1, 1200, 60)  # blocks both shorter and longer than w
    values = rng.integers(0, 10**4, 60)
    capacity = 3000
    fast = knapsack_01(weights, values, capacity), knapsack_complete(weights, values, capacity)
    with forced_path("pure"):
        slow = knapsack_01(weights, values, capacity), knapsack_complete(weights, values, capacity)
    assert fast == slow
    assert all(type(x) is int for x in fast)


# --- edges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("exact", [False, True])
def test_no_items(exact):
    assert knapsack_01([], [], 0, exact=exact) == 0
    assert knapsack_01([], [], 5) == 0
    assert knapsack_01([], [], 5, exact=True) is None
    assert knapsack_complete([], [], 0, exact=exact) == 0
    assert knapsack_bounded([], [], [], 0, exact=exact) == 0
    assert knapsack_01_items([], [], 0, exact=exact) == (0, [])
    assert knapsack_complete_items([], [], 0, exact=exact) == (0, [])


def test_items_heavier_than_the_capacity_are_never_taken():
    assert knapsack_01([10, 11], [5, 6], 9) == 0
    assert knapsack_01_items([10, 1, 11], [5, 1, 6], 9) == (1, [1])
    assert knapsack_complete_items([10, 2], [5, 1], 9) == (4, [0, 4])


def test_zero_weight_items_are_free():
    assert knapsack_01([0, 0, 3], [4, 5, 6], 2) == 9
    assert knapsack_01_items([0, 3, 0], [4, 6, 5], 3, exact=True) == (15, [0, 1, 2])
    assert knapsack_bounded([0, 2], [3, 1], [4, 1], 1) == 12
    assert knapsack_bounded([0, 2], [3, 1], [4, 1], 1, exact=True) is None
    assert knapsack_complete([0, 2], [0, 1], 4) == 2


def test_zero_value_item_can_fill_the_knapsack_exactly():
    assert knapsack_01([3], [0], 3, exact=True) == 0
    assert knapsack_complete([3], [0], 6, exact=True) == 0


def test_values_beyond_int32_switch_to_an_int64_table():
    big = 2**31 - 1
    with forced_path("numba"):
        assert knapsack_01([1, 1, 1], [big, big, 1], 2) == 2 * big
        assert knapsack_complete([1], [big], 3) == 3 * big
        assert knapsack_01([1, 1], [big, big], 3, exact=True) is None


@pytest.mark.parametrize("limit", [2**15 - 1, 2**31 - 1, 2**63 - 1])
def test_totals_at_each_table_type_limit_stay_exact(limit):
    with forced_path("numba"):
        assert knapsack_01([1, 1], [limit - 1, 1], 2) == limit  # fits the narrower type
        assert knapsack_01([1, 1], [limit - 1, 1], 3, exact=True) is None
        assert knapsack_01([1, 1], [limit, 1], 2) == limit + 1  # needs the next one
        assert knapsack_01([1, 1], [limit, 1], 2, exact=True) == limit + 1
        assert knapsack_complete([1, 2], [1, limit // 3 * 2], 4, exact=True) == limit // 3 * 4
        assert knapsack_bounded([1], [limit], [1], 1, exact=True, method="queue") == limit


def test_values_beyond_int64_stay_exact_on_the_pure_path():
    huge = 2**62 + 1
    assert knapsack_01([1, 2, 3], [huge, huge, huge], 6) == 3 * huge
    assert knapsack_complete([1], [huge], 4) == 4 * huge
    assert knapsack_bounded([1], [huge], [3], 9, method="queue") == 3 * huge
    assert knapsack_01_items([1, 1], [10**30, 10**30], 2) == (2 * 10**30, [0, 1])


def test_numpy_arrays_give_python_ints():
    weights = np.array([1, 2, 3, 4], dtype=np.int32)
    values = np.array([2, 4, 4, 5], dtype=np.uint8)
    result = knapsack_01(weights, values, np.int64(5))
    assert result == 8 and type(result) is int


def test_huge_counts_are_capped_at_what_fits():
    assert knapsack_bounded([3], [2], [10**18], 10) == 6
    assert knapsack_bounded([3], [2], [10**18], 10, method="queue") == 6


# --- bad input ----------------------------------------------------------------------------------


def test_lengths_that_differ_raise_value_error_naming_them():
    with pytest.raises(ValueError, match=r"weights, values must have the same length"):
        knapsack_01([1, 2], [1], 3)
    with pytest.raises(ValueError, match=r"len\(counts\) = 1"):
        knapsack_bounded([1, 2], [1, 2], [1], 3)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: knapsack_01([1, -2], [1, 1], 3), r"weights\[1\] must be >= 0, got -2"),
        (lambda: knapsack_01([1], [-1], 3), r"values\[0\] must be >= 0, got -1"),
        (lambda: knapsack_complete([1], [1], -1), r"capacity must be >= 0, got -1"),
        (lambda: knapsack_bounded([1], [1], [-3], 3), r"counts\[0\] must be >= 0, got -3"),
        (lambda: knapsack_01(np.array([1, -5]), [1, 1], 3), r"weights\[1\] must be >= 0"),
        (lambda: knapsack_bounded([1], [1], [1], 3, method="fast"), "method must be"),
        (lambda: knapsack_01(np.zeros((2, 2), int), [1, 1], 3), "weights must be a 1-D array"),
    ],
)
def test_negative_or_wrong_values_raise_value_error(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: knapsack_01([1.0], [1], 3), "weights"),
        (lambda: knapsack_01([1], [True], 3), "values"),
        (lambda: knapsack_01([1], [1], 3.0), "capacity"),
        (lambda: knapsack_01([1], [1], False), "capacity"),
        (lambda: knapsack_bounded([1], [1], [1.5], 3), "counts"),
        (lambda: knapsack_01(np.array([1.0]), [1], 3), "weights"),
        (lambda: knapsack_01([1], np.array([True]), 3), "values"),
        (lambda: knapsack_01("ab", [1, 2], 3), "weights"),
        (lambda: knapsack_01([1], [1], 3, exact=1), "exact"),
        (lambda: knapsack_complete_items([1], [1], None), "capacity"),
    ],
)
def test_non_integers_raise_type_error_naming_the_argument(call, name):
    with pytest.raises(TypeError, match=name):
        call()


@pytest.mark.parametrize("func", [knapsack_complete, knapsack_complete_items])
def test_free_value_in_the_complete_knapsack_raises_value_error(func):
    with pytest.raises(ValueError, match="item 1 has weight 0 and value 2"):
        func([1, 0], [1, 2], 5)
