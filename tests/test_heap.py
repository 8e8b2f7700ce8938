"""algos.heap against the standard library's pure-Python heapq: same lists, same comparisons."""

import collections
import importlib.util
import itertools
import math
import operator
import random
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from algos import heap


def _pure_python_heapq():
    """Load Lib/heapq.py afresh with its C accelerator ``_heapq`` blocked.

    (``test.support.import_helper.import_fresh_module`` does the same, but some Python builds
    ship without the ``test`` package.)
    """
    spec = importlib.util.find_spec("heapq")
    saved = sys.modules.get("_heapq")
    sys.modules["_heapq"] = None  # "from _heapq import *" now fails: the pure Python stays
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["_heapq"]
        else:
            sys.modules["_heapq"] = saved
    return module


pyheapq = _pure_python_heapq()


# --- the oracle for every public heap function ------------------------------------------------
#
# Python 3.11's pure-Python heapq has the max-heap sifts as private names; Python 3.14 made the
# max-heap API public. Where a public name is missing, build it from the private sifts exactly as
# Python 3.14 defines it.


def _oracle_heappush_max(h, item):
    h.append(item)
    pyheapq._siftdown_max(h, 0, len(h) - 1)


def _oracle_heappushpop_max(h, item):
    if h and item < h[0]:
        item, h[0] = h[0], item
        pyheapq._siftup_max(h, 0)
    return item


ORACLE = {
    "heappush": pyheapq.heappush,
    "heappop": pyheapq.heappop,
    "heapreplace": pyheapq.heapreplace,
    "heappushpop": pyheapq.heappushpop,
    "heapify": pyheapq.heapify,
    "heappush_max": getattr(pyheapq, "heappush_max", _oracle_heappush_max),
    "heappop_max": getattr(pyheapq, "heappop_max", pyheapq._heappop_max),
    "heapreplace_max": getattr(pyheapq, "heapreplace_max", pyheapq._heapreplace_max),
    "heappushpop_max": getattr(pyheapq, "heappushpop_max", _oracle_heappushpop_max),
    "heapify_max": getattr(pyheapq, "heapify_max", pyheapq._heapify_max),
}
TAKES_ITEM = {"heappush", "heapreplace", "heappushpop"}
TAKES_ITEM |= {name + "_max" for name in TAKES_ITEM}
NEEDS_ITEMS = {"heappop", "heapreplace", "heappop_max", "heapreplace_max"}
HEAP_FUNCTIONS = sorted(ORACLE)


class Counted:
    """An item ordered by ``value`` alone that logs every ``<`` it makes as a pair of tags.

    Equal logs mean the same comparisons, of the same items, in the same order.
    """

    __slots__ = ("log", "tag", "value")

    def __init__(self, value, tag, log):
        self.value, self.tag, self.log = value, tag, log

    def __lt__(self, other):
        self.log.append((self.tag, other.tag))
        return self.value < other.value

    # Lists and tuples (merge's and nsmallest's entries) look for the first unequal field with
    # ==, so equal values must be == for ties to fall through to the order field.
    def __eq__(self, other):
        return self.value == other.value

    __hash__ = None

    def __repr__(self):
        return f"Counted({self.value!r}, tag={self.tag})"


def counted(values, log, start=0):
    return [Counted(v, start + i, log) for i, v in enumerate(values)]


def apply(name, function, h, arg):
    """Call the heap function called ``name``, with ``arg`` as the item where it takes one."""
    return function(h, arg) if name in TAKES_ITEM else function(h)


def same_objects(a, b):
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def is_min_heap(h):
    return all(not h[k] < h[(k - 1) // 2] for k in range(1, len(h)))


def is_max_heap(h):
    return all(not h[(k - 1) // 2] < h[k] for k in range(1, len(h)))


# --- strategies, built once ---------------------------------------------------------------------

small_ints = st.integers(-8, 8)  # few distinct values: ties decide layouts
int_lists = st.lists(small_ints, max_size=40)
operations = st.lists(st.tuples(st.sampled_from(HEAP_FUNCTIONS), small_ints), max_size=60)
any_floats = st.floats(allow_nan=True, allow_infinity=True)
sorted_runs = st.lists(st.lists(small_ints, max_size=12).map(sorted), max_size=6)
optional_key = st.sampled_from([None, abs, operator.neg])
side_operations = st.lists(
    st.tuples(st.sampled_from(["push", "pop", "replace", "pushpop"]), small_ints), max_size=40
)


# --- worked examples ----------------------------------------------------------------------------


def test_heapsort_by_pushes_and_pops_gives_sorted_order():
    h = []
    for x in [5, 1, 4, 1, 3, 9, 2, 6]:
        heap.heappush(h, x)
    assert h[0] == 1
    assert [heap.heappop(h) for _ in range(8)] == [1, 1, 2, 3, 4, 5, 6, 9]
    assert h == []


def test_heapify_then_pops_gives_sorted_order_for_max_heap():
    h = [5, 1, 4, 1, 3, 9, 2, 6]
    heap.heapify_max(h)
    assert h[0] == 9
    assert [heap.heappop_max(h) for _ in range(8)] == [9, 6, 5, 4, 3, 2, 1, 1]


def test_priority_queue_of_pairs_serves_lowest_priority_first():
    h = []
    for task in [(2, "code"), (1, "plan"), (3, "ship")]:
        heap.heappush(h, task)
    assert heap.heappop(h) == (1, "plan")
    assert heap.heapreplace(h, (0, "fix")) == (2, "code")
    assert heap.heappushpop(h, (5, "rest")) == (0, "fix")
    assert sorted(h) == [(3, "ship"), (5, "rest")]


def test_documented_bottom_up_comparison_count_is_reproduced():
    # The module docstring quotes 8657 and 14987 comparisons for seed 0.
    log = []
    rng = random.Random(0)
    h = counted([rng.random() for _ in range(1000)], log)
    heap.heapify(h)
    assert len(log) == 1609
    log.clear()
    for _ in range(1000):
        heap.heappop(h)
    assert len(log) == 8657


def test_module_exports_the_whole_python_314_api():
    expected = {
        "heappush", "heappop", "heapify", "heapreplace", "heappushpop", "merge", "nlargest",
        "nsmallest", "heapify_max", "heappush_max", "heappop_max", "heapreplace_max",
        "heappushpop_max",
    }  # fmt: skip
    assert set(heap.__all__) == expected
    assert all(callable(getattr(heap, name)) for name in expected)
    import algos

    assert algos.heap is heap


def test_oracle_is_the_pure_python_heapq():
    for name in ("heappush", "heappop", "heapify", "heapreplace", "heappushpop", "nsmallest"):
        assert getattr(pyheapq, name).__code__.co_filename.endswith("heapq.py")
    import heapq

    assert heapq.heappush is not pyheapq.heappush


# --- the same lists and the same comparisons as the standard library -----------------------


@given(int_lists, operations)
def test_every_operation_makes_the_same_list_and_comparisons_as_pure_python_heapq(values, ops):
    log = []
    items = counted(values, log)
    ours, theirs = list(items), list(items)
    next_tag = len(items)
    for name, value in ops:
        if name in NEEDS_ITEMS and not ours:
            continue
        item = Counted(value, next_tag, log)
        next_tag += 1
        log.clear()
        got = apply(name, getattr(heap, name), ours, item)
        our_log = list(log)
        log.clear()
        want = apply(name, ORACLE[name], theirs, item)
        assert our_log == log, name
        assert got is want, name
        assert same_objects(ours, theirs), name


@given(st.integers(0, 2**32 - 1))
def test_deep_heaps_make_the_same_list_and_comparisons_as_pure_python_heapq(seed):
    rng = random.Random(seed)
    log = []
    items = counted([rng.randrange(200) for _ in range(rng.randrange(300, 600))], log)
    ours, theirs = list(items), list(items)
    family = [name for name in HEAP_FUNCTIONS if name.endswith("_max") == bool(seed % 2)]
    for step in range(150):
        name = family[0] if step == 0 else rng.choice(family)  # heapify first, then anything
        item = Counted(rng.randrange(200), len(items) + step, log)
        log.clear()
        got = apply(name, getattr(heap, name), ours, item)
        our_log = list(log)
        log.clear()
        want = apply(name, ORACLE[name], theirs, item)
        assert our_log == log and got is want and same_objects(ours, theirs), name


@given(int_lists, side_operations)
@pytest.mark.parametrize("side", ["min", "max"])
def test_heap_invariant_holds_after_every_operation(side, values, ops):
    suffix, holds = ("", is_min_heap) if side == "min" else ("_max", is_max_heap)
    best = min if side == "min" else max
    h = list(values)
    getattr(heap, "heapify" + suffix)(h)
    assert holds(h)
    for op, value in ops:
        if op in ("pop", "replace") and not h:
            continue
        expected_out = best(h) if op in ("pop", "replace") else None
        if op == "push":
            getattr(heap, "heappush" + suffix)(h, value)
        elif op == "pop":
            assert getattr(heap, "heappop" + suffix)(h) == expected_out
        elif op == "replace":
            assert getattr(heap, "heapreplace" + suffix)(h, value) == expected_out
        else:
            expected_out = best(h + [value])
            assert getattr(heap, "heappushpop" + suffix)(h, value) == expected_out
        assert holds(h)


@given(st.lists(any_floats, max_size=30), st.lists(any_floats, max_size=10))
def test_floats_with_nan_and_infinities_match_pure_python_heapq(values, pushes):
    for family in ("", "_max"):
        ours, theirs = list(values), list(values)
        getattr(heap, "heapify" + family)(ours)
        ORACLE["heapify" + family](theirs)
        for x in pushes:
            getattr(heap, "heappush" + family)(ours, x)
            ORACLE["heappush" + family](theirs, x)
            assert getattr(heap, "heappushpop" + family)(ours, x) is ORACLE["heappushpop" + family](
                theirs, x
            )
        while theirs:
            assert getattr(heap, "heappop" + family)(ours) is ORACLE["heappop" + family](theirs)
            assert same_objects(ours, theirs)


def test_empty_and_single_item_edges():
    for name in ("heappop", "heapreplace", "heappop_max", "heapreplace_max"):
        with pytest.raises(IndexError):
            apply(name, getattr(heap, name), [], 1)
    assert heap.heappushpop([], 3) == 3
    assert heap.heappushpop_max([], 3) == 3
    h = []
    heap.heapify(h)
    heap.heapify_max(h)
    assert h == []
    h = [7]
    heap.heapify(h)
    assert heap.heappop(h) == 7 and h == []


def test_list_subclass_is_accepted_as_a_heap():
    class Tracked(list):
        pass

    h = Tracked([3, 1, 2])
    heap.heapify(h)
    assert heap.heappop(h) == 1 and isinstance(h, Tracked)


# --- merge ----------------------------------------------------------------------------------------


def tagged_runs(runs, log):
    tagged, start = [], 0
    for run in runs:
        tagged.append(counted(run, log, start))
        start += len(run)
    return tagged


@given(sorted_runs, st.booleans())
def test_merge_equals_stable_sort_of_the_chain(runs, reverse):
    log = []
    if reverse:
        runs = [run[::-1] for run in runs]
    runs = tagged_runs(runs, log)
    merged = list(heap.merge(*runs, reverse=reverse))
    expected = sorted(itertools.chain(*runs), reverse=reverse)
    assert same_objects(merged, expected)


@given(sorted_runs, optional_key, st.booleans())
def test_merge_with_key_is_stable_and_makes_pure_python_comparisons(runs, key, reverse):
    log = []
    key_of = (lambda c: key(c.value)) if key else (lambda c: c.value)
    runs = [sorted(run, key=key or (lambda v: v), reverse=reverse) for run in runs]
    runs = tagged_runs(runs, log)
    as_key = (lambda c: Counted(key_of(c), c.tag, log)) if key else None
    merged = list(heap.merge(*runs, key=as_key, reverse=reverse))
    ours = list(log)
    log.clear()
    theirs = list(pyheapq.merge(*runs, key=as_key, reverse=reverse))
    assert ours == log
    assert same_objects(merged, theirs)
    assert same_objects(merged, sorted(itertools.chain(*runs), key=key_of, reverse=reverse))


def test_merge_reads_its_inputs_lazily():
    def numbers(start):
        yield from itertools.count(start, 2)

    assert list(itertools.islice(heap.merge(numbers(0), numbers(1)), 7)) == list(range(7))


def test_merge_of_nothing_or_empty_inputs_is_empty():
    assert list(heap.merge()) == []
    assert list(heap.merge([], (), iter([]))) == []
    assert list(heap.merge([], [1, 2], key=str, reverse=False)) == [1, 2]


# --- nsmallest / nlargest ----------------------------------------------------------------------


@given(int_lists, st.integers(-2, 45), optional_key, st.booleans())
@pytest.mark.parametrize("largest", [False, True])
def test_n_extremes_equal_stable_sorted_prefix_with_pure_python_comparisons(
    largest, values, n, key, as_iterator
):
    log = []
    items = counted(values, log)
    key_of = (lambda c: Counted(key(c.value), c.tag, log)) if key else None
    ours_f, theirs_f = (heap.nlargest, pyheapq.nlargest) if largest else (
        heap.nsmallest, pyheapq.nsmallest)  # fmt: skip
    source = (lambda: iter(items)) if as_iterator else (lambda: items)
    got = ours_f(n, source(), key=key_of)
    ours = list(log)
    log.clear()
    want = theirs_f(n, source(), key=key_of)
    assert ours == log
    assert same_objects(got, want)
    expected = sorted(items, key=key_of, reverse=largest)[: max(n, 0)]
    assert same_objects(got, expected)


def test_n_extremes_worked_examples():
    data = [7, 1, 8, 2, 9, 1, 3]
    assert heap.nsmallest(3, data) == [1, 1, 2]
    assert heap.nlargest(3, data) == [9, 8, 7]
    assert heap.nsmallest(1, data) == [1]
    assert heap.nlargest(1, iter(data)) == [9]
    assert heap.nsmallest(0, data) == [] and heap.nlargest(-3, data) == []
    assert heap.nsmallest(10, data) == sorted(data)
    assert heap.nlargest(2, ["bb", "a", "ccc", "dd"], key=len) == ["ccc", "bb"]
    assert heap.nsmallest(1, []) == [] and heap.nlargest(1, iter([])) == []
    assert heap.nsmallest(3, iter([])) == []


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HEAP_FUNCTIONS)
@pytest.mark.parametrize("not_a_list", [(3, 1, 2), collections.deque([3, 1, 2]), None, {0: 1}])
def test_heap_that_is_not_a_list_raises_type_error_untouched(name, not_a_list):
    before = repr(not_a_list)
    with pytest.raises(TypeError, match="must be a list"):
        apply(name, getattr(heap, name), not_a_list, 0)
    assert repr(not_a_list) == before


def test_object_that_only_claims_to_be_a_list_is_not_a_heap():
    class Impostor:
        __class__ = list

        def __len__(self):
            return 0

    assert isinstance(Impostor(), list)  # isinstance believes it; the C heapq does not
    for name in HEAP_FUNCTIONS:
        with pytest.raises(TypeError, match="must be a list, got Impostor"):
            apply(name, getattr(heap, name), Impostor(), 0)


def test_bad_arguments_of_merge_and_n_extremes_raise_type_error():
    with pytest.raises(TypeError, match=r"iterables\[1\]"):
        heap.merge([1], 5)
    with pytest.raises(TypeError, match="key"):
        heap.merge([1], key=3)
    for function in (heap.nsmallest, heap.nlargest):
        with pytest.raises(TypeError, match="n must be an integer"):
            function(2.0, [1, 2, 3])
        with pytest.raises(TypeError, match="n must be an integer"):
            function(True, [1, 2, 3])
        with pytest.raises(TypeError, match="key"):
            function(2, [1, 2, 3], key="len")


class Raising:
    """Compares by value, but its ``__lt__`` raises on the call numbered ``fail_at``."""

    calls = 0
    fail_at = -1

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        Raising.calls += 1
        if Raising.calls == Raising.fail_at:
            raise ZeroDivisionError("comparison failed")
        return self.value < other.value


@given(
    st.lists(small_ints, min_size=2, max_size=30),
    st.sampled_from(HEAP_FUNCTIONS),
    st.integers(1, 12),
)
def test_exception_in_comparison_propagates_and_keeps_every_item(values, name, fail_at):
    items = [Raising(v) for v in values]
    extra = Raising(0)
    h = list(items)
    Raising.calls, Raising.fail_at = 0, fail_at
    try:
        returned = [apply(name, getattr(heap, name), h, extra)]
    except ZeroDivisionError:
        returned = []  # the item a pop took out before the failing comparison is gone with it
        failed = True
    else:
        failed = False
    finally:
        Raising.fail_at = -1
    everything = {id(x) for x in items} | ({id(extra)} if name in TAKES_ITEM else set())
    held = [id(x) for x in h] + [id(x) for x in returned]
    assert len(held) == len(set(held))  # no item twice
    lost = everything - set(held)
    if failed and name.removesuffix("_max") in ("heappop", "heapreplace", "heappushpop"):
        assert len(lost) <= 1  # at most the item on its way out
    else:
        assert not lost


def test_exception_in_a_comparison_or_key_propagates_out_of_merge_and_n_extremes():
    Raising.calls, Raising.fail_at = 0, 3
    try:
        runs = [[Raising(1), Raising(4)], [Raising(2), Raising(5)], [Raising(3)]]
        with pytest.raises(ZeroDivisionError):
            list(heap.merge(*runs))
        Raising.calls = 0
        with pytest.raises(ZeroDivisionError):
            heap.nsmallest(2, [Raising(v) for v in range(9, 0, -1)])
    finally:
        Raising.fail_at = -1

    def bad_key(x):
        raise KeyError(x)

    with pytest.raises(KeyError):
        heap.nlargest(2, range(5), key=bad_key)
    with pytest.raises(KeyError):
        list(heap.merge([1], [2], key=bad_key))


class Clearing:
    """Its ``__lt__`` runs ``action`` on the heap it lives in, once, then compares by value."""

    def __init__(self, value, action=None):
        self.value, self.action, self.heap = value, action, None

    def __lt__(self, other):
        for side in (self, other):
            if side.action is not None:
                action, side.action = side.action, None
                action(side.heap)
        return self.value < other.value


MUTATIONS = {"clear": list.clear, "shrink": list.pop, "grow": lambda h: h.append(Clearing(99))}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("name", HEAP_FUNCTIONS)
def test_heap_resized_by_a_comparison_raises_instead_of_corrupting(name, mutation):
    is_max = name.endswith("_max")
    values = range(14, -1, -1) if is_max else range(15)
    h = [Clearing(v) for v in values]
    rigged = Clearing(h[2].value, MUTATIONS[mutation])
    rigged.heap = h
    if name.startswith("heappush") and not name.startswith("heappushpop"):
        # The pushed item itself is rigged; it rises, so it meets its parents.
        rigged.value = 100 if is_max else -1
        item = rigged
    else:
        # A rigged heap item sits where the first sift below the root compares it.
        h[2] = rigged
        item = Clearing(-1 if is_max else 100)
    with pytest.raises(RuntimeError, match="changed size"):
        apply(name, getattr(heap, name), h, item)


@pytest.mark.parametrize("name", ["heappushpop", "heappushpop_max"])
def test_pushpop_whose_first_comparison_empties_the_heap_raises_index_error(name):
    h = [Clearing(v) for v in range(3)]
    item = Clearing(50 if name == "heappushpop" else -50, list.clear)
    item.heap = h
    with pytest.raises(IndexError):
        getattr(heap, name)(h, item)


def test_push_that_empties_the_heap_raises_runtime_error():
    h = [Clearing(v) for v in range(7)]
    newcomer = Clearing(-5, list.clear)
    newcomer.heap = h
    with pytest.raises(RuntimeError, match="changed size"):
        heap.heappush(h, newcomer)


def test_nan_never_breaks_a_heap_of_floats():
    h = [3.0, math.nan, 1.0, 2.0]
    heap.heapify(h)
    popped = [heap.heappop(h) for _ in range(4)]
    assert sorted(x for x in popped if x == x) == [1.0, 2.0, 3.0]
    assert sum(x != x for x in popped) == 1


@pytest.mark.parametrize("flag", ["no", None, 1, 0.0])
def test_merge_reverse_must_be_a_bool(flag):
    # "no" is truthy: taken as a flag it would merge in the opposite order to the one meant.
    with pytest.raises(TypeError, match="reverse must be True or False"):
        heap.merge([3, 2], [1], reverse=flag)
    assert list(heap.merge([3, 2], [4, 1], reverse=np.bool_(True))) == [4, 3, 2, 1]
