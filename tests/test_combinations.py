import itertools
import time
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import algos.combinations as combinations_module
from algos.combinations import (
    _backtrack_recursive,
    combination_sum,
    combination_sum2,
    iter_combination_sum,
    iter_combination_sum2,
)

small_candidates = st.lists(st.integers(1, 12), min_size=0, max_size=6)
small_targets = st.integers(0, 24)
entries = st.lists(st.integers(1, 9), min_size=0, max_size=10)


def brute_force_multisets(candidates, target):
    """Every multiset of candidate values summing to target, by enumerating them all."""
    values = sorted(set(candidates))
    found = set()
    if not values:
        return [[]] if target == 0 else []
    for size in range(target // values[0] + 1):
        for combo in itertools.combinations_with_replacement(values, size):
            if sum(combo) == target:
                found.add(combo)
    return sorted(list(c) for c in found)


def brute_force_sub_multisets(candidates, target):
    """Every sub-multiset of the entries summing to target, over all subsets of positions."""
    found = set()
    for mask in range(1 << len(candidates)):
        chosen = [c for i, c in enumerate(candidates) if mask >> i & 1]
        if sum(chosen) == target:
            found.add(tuple(sorted(chosen)))
    return sorted(list(c) for c in found)


# --- worked examples ---------------------------------------------------------------------------


def test_leetcode_39_examples():
    assert combination_sum([2, 3, 6, 7], 7) == [[2, 2, 3], [7]]
    assert combination_sum([2, 3, 5], 8) == [[2, 2, 2, 2], [2, 3, 3], [3, 5]]
    assert combination_sum([2], 1) == []


def test_leetcode_40_examples():
    assert combination_sum2([10, 1, 2, 7, 6, 1, 5], 8) == [[1, 1, 6], [1, 2, 5], [1, 7], [2, 6]]
    assert combination_sum2([2, 5, 2, 1, 2], 5) == [[1, 2, 2], [5]]


# --- properties against brute force --------------------------------------------------------------


@given(small_candidates, small_targets)
def test_combination_sum_matches_brute_force(candidates, target):
    assert combination_sum(candidates, target) == brute_force_multisets(candidates, target)


@given(entries, small_targets)
def test_combination_sum2_matches_brute_force(candidates, target):
    assert combination_sum2(candidates, target) == brute_force_sub_multisets(candidates, target)


@given(small_candidates, small_targets)
def test_combination_sum_output_is_sorted_unique_non_decreasing_and_sums_to_target(
    candidates, target
):
    result = combination_sum(candidates, target)
    assert result == sorted(result)
    assert len({tuple(c) for c in result}) == len(result)
    for combo in result:
        assert combo == sorted(combo)
        assert sum(combo) == target
        assert set(combo) <= set(candidates)


@given(entries, small_targets)
def test_combination_sum2_uses_each_entry_at_most_once(candidates, target):
    result = combination_sum2(candidates, target)
    assert result == sorted(result)
    assert len({tuple(c) for c in result}) == len(result)
    available = Counter(candidates)
    for combo in result:
        assert combo == sorted(combo)
        assert sum(combo) == target
        assert not Counter(combo) - available


@given(small_candidates, small_targets)
def test_generator_yields_what_the_list_holds_in_the_same_order(candidates, target):
    assert list(iter_combination_sum(candidates, target)) == combination_sum(candidates, target)


@given(entries, small_targets)
def test_generator2_yields_what_the_list_holds_in_the_same_order(candidates, target):
    assert list(iter_combination_sum2(candidates, target)) == combination_sum2(candidates, target)


@given(small_candidates, small_targets, st.booleans())
def test_stack_search_agrees_with_readable_recursive_search(candidates, target, reuse):
    values = sorted(set(candidates)) if reuse else sorted(candidates)
    expected = list(_backtrack_recursive(values, target, reuse=reuse))
    got = (combination_sum if reuse else combination_sum2)(candidates, target)
    assert got == expected


# --- edges --------------------------------------------------------------------------------------


def test_target_zero_gives_the_empty_combination():
    assert combination_sum([3, 1], 0) == [[]]
    assert combination_sum([], 0) == [[]]
    assert combination_sum2([], 0) == [[]]
    assert list(iter_combination_sum2([4], 0)) == [[]]


def test_no_candidates_and_positive_target_gives_nothing():
    assert combination_sum([], 5) == []
    assert combination_sum2([], 5) == []


def test_duplicate_candidates_are_ignored_by_combination_sum():
    assert combination_sum([2, 2, 3, 3, 2], 6) == combination_sum([2, 3], 6) == [[2, 2, 2], [3, 3]]


def test_candidates_larger_than_target_give_nothing():
    assert combination_sum([9, 10], 8) == []
    assert combination_sum2([9, 10], 8) == []


def test_all_equal_entries_give_one_combination_per_reachable_count():
    assert combination_sum2([1] * 20, 5) == [[1] * 5]
    assert combination_sum2([1] * 3, 5) == []


def test_numpy_integers_are_accepted():
    assert combination_sum(np.array([2, 3, 6, 7]), np.int64(7)) == [[2, 2, 3], [7]]


def test_deep_target_does_not_hit_the_recursion_limit():
    assert combination_sum([1], 5000) == [[1] * 5000]
    assert combination_sum2([1] * 5000, 5000) == [[1] * 5000]
    assert len(combination_sum([1, 4999], 5000)) == 2


def test_generator_takes_the_first_few_of_a_huge_answer_quickly():
    # p(300) is about 9.3e15 partitions: only a lazy search can answer this.
    start = time.perf_counter()
    first = list(itertools.islice(iter_combination_sum(range(1, 301), 300), 4))
    assert time.perf_counter() - start < 5  # generous: the real cost is microseconds
    assert first == [[1] * 300, [1] * 298 + [2], [1] * 297 + [3], [1] * 296 + [2, 2]]


def test_generator2_takes_the_first_few_of_a_huge_answer_quickly():
    first = list(itertools.islice(iter_combination_sum2(list(range(1, 201)) * 2, 1000), 2))
    assert len(first) == 2 and first[0] < first[1]
    assert all(sum(c) == 1000 for c in first)


# --- sizing the answer before listing it ---------------------------------------------------------


def peak_bytes(call):
    """The most memory ``call()`` held at once (numpy reports its arrays to tracemalloc too)."""
    import tracemalloc

    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@given(small_candidates, small_targets)
def test_counting_program_matches_the_listed_combinations(candidates, target):
    for reuse, listing in [(True, brute_force_multisets), (False, brute_force_sub_multisets)]:
        values = sorted(set(candidates)) if reuse else sorted(candidates)
        expected = listing(values, target)
        count, size = combinations_module._count_combinations(values, target, reuse)
        assert (count, size) == (len(expected), sum(map(len, expected)))


def test_an_answer_too_large_to_list_is_refused_before_any_search():
    def refused():
        with pytest.raises(ValueError, match=r"190569292 combinations.*iter_combination_sum"):
            combination_sum(range(1, 101), 100)

    assert peak_bytes(refused) < 2**22
    with pytest.raises(ValueError, match=r"iter_combination_sum2\(candidates, target\)"):
        combination_sum2(list(range(1, 101)) * 3, 100)


def test_a_single_combination_too_long_to_list_is_refused():
    with pytest.raises(ValueError, match=r"at least 100000000 values.*iter_combination_sum"):
        combination_sum([1], 10**8)
    with pytest.raises(ValueError, match=r"cannot count.*target = 1000000000007"):
        combination_sum([7, 10**9], 10**12 + 7)


@pytest.mark.parametrize("func", [combination_sum, combination_sum2])
def test_the_limit_counts_every_listed_value(func):
    candidates, target = [2, 3, 1, 2, 1, 4], 6
    listed = func(candidates, target)
    values = sum(map(len, listed))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(combinations_module, "LISTED_NUMBERS_LIMIT", values)
        assert func(candidates, target) == listed
        patch.setattr(combinations_module, "LISTED_NUMBERS_LIMIT", values - 1)
        with pytest.raises(ValueError, match="LISTED_NUMBERS_LIMIT"):
            func(candidates, target)


def test_a_target_off_the_candidates_gcd_answers_at_once():
    # The search alone walks a chain of target / 2 nodes before finding nothing.
    assert combination_sum([2], 10**12 + 1) == []
    assert list(iter_combination_sum([2], 10**12 + 1)) == []
    assert list(iter_combination_sum([6, 10, 4], 10**15 + 3)) == []
    assert combination_sum2([2, 2, 4], 10**12 + 1) == []
    assert list(iter_combination_sum2([3] * 5, 10**12 + 1)) == []


def test_a_target_above_every_entry_summed_answers_at_once():
    assert combination_sum2([1] * 50, 10**12) == []
    assert list(iter_combination_sum2([1] * 50, 10**12)) == []


def test_a_common_factor_keeps_the_answer():
    assert combination_sum([6, 9, 15], 30) == [[6, 6, 6, 6, 6], [6, 6, 9, 9], [6, 9, 15], [15, 15]]
    assert combination_sum([4, 6], 1000)[:2] == [[4] * 250, [4] * 247 + [6, 6]]
    assert combination_sum2([10, 20, 20, 30], 50) == [[10, 20, 20], [20, 30]]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("func", [combination_sum, combination_sum2])
@pytest.mark.parametrize("candidates", [[0, 1], [1, -2], [0]])
def test_zero_or_negative_candidate_raises_value_error(func, candidates):
    with pytest.raises(ValueError, match=r"candidates\[\d\] must be a positive integer"):
        func(candidates, 1)


@pytest.mark.parametrize("func", [iter_combination_sum, iter_combination_sum2])
def test_generators_check_arguments_when_called(func):
    with pytest.raises(ValueError, match="candidates"):
        func([0, 1], 1)
    with pytest.raises(TypeError, match="target"):
        func([1], 1.0)


@pytest.mark.parametrize("func", [combination_sum, combination_sum2])
def test_negative_target_raises_value_error(func):
    with pytest.raises(ValueError, match="target must be a non-negative integer, got -1"):
        func([1, 2], -1)


@pytest.mark.parametrize("func", [combination_sum, combination_sum2])
@pytest.mark.parametrize(
    "candidates, target, name",
    [
        ([1, 2.0], 3, "candidates"),
        ([True, 2], 3, "candidates"),
        ([1, 2], True, "target"),
        ([1, 2], 3.0, "target"),
        ([1, 2], "3", "target"),
        ("12", 3, "candidates"),
        (5, 3, "candidates"),
    ],
)
def test_non_integers_raise_type_error_naming_the_argument(func, candidates, target, name):
    with pytest.raises(TypeError, match=name):
        func(candidates, target)


def test_non_native_byte_order_candidates_are_accepted():
    candidates = np.array([2, 3, 6, 7], dtype=">i8")
    assert combination_sum(candidates, np.array(7, dtype=">i4")[()]) == [[2, 2, 3], [7]]
    assert combination_sum2(candidates, 9) == [[2, 7], [3, 6]]
