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


# --- sizing the work before any table exists ---------------------------------------------------


def peak_bytes(call):
    """The most memory ``call()`` held at once beyond what it returned (numpy reports its arrays
    to tracemalloc too), and what it returned."""
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


ALL_FORMS = [knapsack_01, knapsack_complete, knapsack_01_items, knapsack_complete_items]


@pytest.mark.parametrize("func", ALL_FORMS)
def test_no_items_with_a_huge_capacity_answers_without_a_table(func):
    peak, result = peak_bytes(lambda: func([], [], 3 * 10**8))
    assert peak < 2**20
    assert result in (0, (0, []))
    peak, result = peak_bytes(lambda: func([], [], 3 * 10**8, exact=True))
    assert peak < 2**20 and result in (None, (None, None))


def test_bounded_with_no_items_or_no_copies_answers_without_a_table():
    for method in ["binary", "queue"]:
        peak, result = peak_bytes(
            lambda method=method: knapsack_bounded([3], [5], [0], 10**12, method=method)
        )
        assert peak < 2**20 and result == 0


@pytest.mark.parametrize("func", [knapsack_01, knapsack_complete])
def test_items_heavier_than_a_huge_capacity_answer_at_once(func):
    peak, result = peak_bytes(lambda: func([10**13, 10**14], [5, 7], 10**12))
    assert peak < 2**20 and result == 0


def test_everything_fitting_answers_at_once():
    weights, values = [3, 5, 0, 2], [4, 0, 6, 1]
    capacity = 10**12
    for method in ["binary", "queue"]:
        assert knapsack_bounded(weights, values, [7, 2, 1, 3], capacity, method=method) == 37
        assert knapsack_bounded(weights, values, [7, 2, 1, 3], 37, exact=True, method=method) == 37
        result = knapsack_bounded(
            weights, values, [7, 2, 1, 3], capacity, exact=True, method=method
        )
        assert result is None
    peak, result = peak_bytes(lambda: knapsack_01(weights, values, capacity))
    assert peak < 2**20 and result == 11
    assert knapsack_01(weights, values, capacity, exact=True) is None
    assert knapsack_01(weights, values, 10, exact=True) == 11
    assert knapsack_01_items(weights, values, capacity) == (11, [0, 2, 3])
    assert knapsack_01_items(weights, values, 10, exact=True) == (11, [0, 1, 2, 3])
    assert knapsack_01_items(weights, values, capacity, exact=True) == (None, None)


@pytest.mark.parametrize("exact", [False, True])
@given(instance=small, scale=st.integers(2, 7), extra=st.integers(0, 6), path=paths)
def test_weights_with_a_common_factor_match_brute_force(instance, scale, extra, path, exact):
    weights, values, counts, capacity = instance
    weights = [w * scale for w in weights]
    capacity = capacity * scale + extra % scale  # often not a multiple of the gcd
    with forced_path(path):
        expected = brute_force(weights, values, [1] * len(weights), capacity, exact)
        assert knapsack_01(weights, values, capacity, exact=exact) == expected
        best, taken = knapsack_01_items(weights, values, capacity, exact=exact)
        assert best == expected
        if taken is not None:
            assert sum(weights[i] for i in taken) <= capacity
            assert sum(values[i] for i in taken) == best
        expected = brute_force(weights, values, counts, capacity, exact)
        for method in ["binary", "queue"]:
            assert knapsack_bounded(
                weights, values, counts, capacity, exact=exact, method=method
            ) == (expected)
        weights = [max(w, 1) for w in weights]
        expected = brute_force(weights, values, complete_limits(weights, capacity), capacity, exact)
        assert knapsack_complete(weights, values, capacity, exact=exact) == expected
        best, copies = knapsack_complete_items(weights, values, capacity, exact=exact)
        assert best == expected
        if copies is not None:
            assert sum(c * w for c, w in zip(copies, weights)) <= capacity
            assert sum(c * v for c, v in zip(copies, values)) == best


def test_huge_capacity_is_a_value_error_naming_capacity_and_the_memory():
    with pytest.raises(ValueError, match=r"capacity = 1000000000000 needs a table of about .* GiB"):
        knapsack_complete([3, 5], [1, 2], 10**12)
    with pytest.raises(ValueError, match=r"capacity = 1000000000000 .*MEMORY_LIMIT = 1.0 GiB"):
        knapsack_01([10**12 - 1, 7, 10**12 - 3], [1, 2, 3], 10**12)
    for method in ["binary", "queue"]:
        with pytest.raises(ValueError, match=r"capacity = 1000000000000"):
            knapsack_bounded([7, 3], [1, 2], [10**12, 10**12], 10**12, method=method)


def test_items_table_beyond_the_limit_is_a_value_error_before_allocating():
    rng = np.random.default_rng(3)
    weights = rng.integers(1, 10**5, 1000).tolist()
    values = rng.integers(0, 30, 1000).tolist()
    assert sum(weights) > 10**7 and np.gcd.reduce(weights) == 1

    def refused():
        with pytest.raises(ValueError) as error:
            knapsack_01_items(weights, values, 10**7)
        return str(error.value)

    peak, message = peak_bytes(refused)
    assert peak < 2**24
    assert "capacity = 10000000" in message and "for 1000 items" in message
    assert "9.3 GiB" in message  # (10**7 + 1) cells of 2 + 1000 bytes: 9.33 GiB
    with pytest.raises(ValueError, match="capacity = 10000000"):
        knapsack_complete_items(weights, values, 10**7)


def test_a_large_capacity_within_the_limit_still_runs():
    # A row of 2 * 10**7 cells (int16: 40 MB) is within the limit and answers exactly.
    assert knapsack_complete([3, 5], [1, 2], 2 * 10**7 + 1) == (2 * 10**7 + 1) // 5 * 2 + 1 // 3
    assert knapsack_module.MEMORY_LIMIT == 2**30


@pytest.mark.parametrize("dtype", [">i8", ">u4", ">i2"])
def test_non_native_byte_order_is_accepted(dtype):
    weights, values, capacity = CLASSIC
    w, v = np.array(weights, dtype=dtype), np.array(values, dtype=dtype)
    assert knapsack_01(w, v, capacity) == 8
    assert knapsack_complete(w, v, capacity) == 10
    assert knapsack_01_items(w, v, capacity) == (8, [1, 2])


@pytest.mark.parametrize("flag", ["no", None, 1, 0.0])
def test_exact_must_be_a_bool(flag):
    with pytest.raises(TypeError, match="exact must be True or False"):
        knapsack_01([1], [1], 1, exact=flag)


# --- the compiled 0/1 kernel: two items per pass --------------------------------------------------


@st.composite
def paired_instances(draw):
    """0/1 instances for the two-items-per-pass kernel: odd and even item counts, weights around
    the kernel's block length and pairs whose summed weight passes the capacity, values sized for
    int16, int32 and int64 tables."""
    n = draw(st.integers(1, 9))
    capacity = draw(st.integers(1, 3000))
    weights = draw(st.lists(st.integers(1, 1300), min_size=n, max_size=n))
    top = draw(st.sampled_from([30, 2**24, 2**58]))
    values = draw(st.lists(st.integers(0, top), min_size=n, max_size=n))
    return weights, values, capacity


@given(paired_instances(), st.booleans())
def test_paired_kernel_matches_the_readable_rows(instance, exact):
    weights, values, capacity = instance
    with forced_path("numba"):
        compiled = knapsack_01(weights, values, capacity, exact=exact)
    with forced_path("pure"):
        readable = knapsack_01(weights, values, capacity, exact=exact)
    assert compiled == readable


@pytest.mark.parametrize("value_top", [100, 2**40])
def test_paired_kernel_matches_numpy_row_updates_on_a_long_row(value_top):
    # Blocks of both segments (one item's term, both items' terms) across a long row, with the
    # heavier item listed first in some pairs.
    rng = np.random.default_rng(3)
    weights = rng.integers(1, 1000, 41)
    values = rng.integers(0, value_top, 41)
    capacity = 20_000
    f = np.zeros(capacity + 1, dtype=np.int64)
    for w, v in zip(weights.tolist(), values.tolist()):
        f[w:] = np.maximum(f[w:], f[:-w] + v)
    assert knapsack_01(weights, values, capacity) == int(f[capacity])
