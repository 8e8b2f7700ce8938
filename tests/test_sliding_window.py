"""Sliding-window maximum/minimum and the monotonic queues, against brute force."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from algos import _parallel
from algos.sliding_window import MaxQueue, MinQueue, sliding_window_max, sliding_window_min

INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]


def brute_force(nums, k, pick):
    """pick(window), NaN when the window holds a NaN."""
    out = []
    for i in range(len(nums) - k + 1):
        window = nums[i : i + k]
        out.append(math.nan if any(x != x for x in window) else pick(window))
    return out


def same(actual, expected):
    """Element-wise equality where NaN equals NaN."""
    actual, expected = list(actual), list(expected)
    return len(actual) == len(expected) and all(
        (a != a and e != e) or a == e for a, e in zip(actual, expected)
    )


ints = st.lists(st.integers(-(2**70), 2**70), min_size=1, max_size=60)
floats_with_nan = st.lists(
    st.one_of(st.floats(allow_nan=False), st.just(math.nan)), min_size=1, max_size=60
)


@st.composite
def list_and_k(draw, elements):
    nums = draw(elements)
    return nums, draw(st.integers(1, len(nums)))


@st.composite
def array_and_k(draw, dtype):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is not None:
        values = st.integers(int(info.min), int(info.max))
    else:
        values = st.one_of(
            st.floats(width=np.finfo(dtype).bits, allow_nan=False), st.just(math.nan)
        )
    nums = draw(st.lists(values, min_size=1, max_size=80))
    return np.array(nums, dtype=dtype), draw(st.integers(1, len(nums)))


def test_leetcode_example_maximum():
    assert sliding_window_max([1, 3, -1, -3, 5, 3, 6, 7], 3) == [3, 3, 5, 5, 6, 7]


def test_leetcode_example_single_value():
    assert sliding_window_max([1], 1) == [1]


def test_leetcode_example_on_an_array_keeps_dtype():
    out = sliding_window_max(np.array([1, 3, -1, -3, 5, 3, 6, 7], dtype=np.int32), 3)
    assert out.dtype == np.int32
    assert out.tolist() == [3, 3, 5, 5, 6, 7]


def test_minimum_of_leetcode_example():
    assert sliding_window_min([1, 3, -1, -3, 5, 3, 6, 7], 3) == [-1, -3, -3, -3, 3, 3]


@given(list_and_k(ints))
def test_list_maximum_matches_brute_force(case):
    nums, k = case
    assert sliding_window_max(nums, k) == brute_force(nums, k, max)


@given(list_and_k(ints))
def test_list_minimum_matches_brute_force(case):
    nums, k = case
    assert sliding_window_min(nums, k) == brute_force(nums, k, min)


@given(list_and_k(floats_with_nan))
def test_list_windows_with_nan_give_nan(case):
    nums, k = case
    assert same(sliding_window_max(nums, k), brute_force(nums, k, max))
    assert same(sliding_window_min(nums, k), brute_force(nums, k, min))


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES)
@given(data=st.data())
def test_array_maximum_and_minimum_match_brute_force_for_every_dtype(dtype, data):
    x, k = data.draw(array_and_k(dtype))
    for ours, pick in [(sliding_window_max, max), (sliding_window_min, min)]:
        out = ours(x, k)
        assert out.dtype == x.dtype
        assert same(out.tolist(), brute_force(x.tolist(), k, pick))


@pytest.mark.parametrize("dtype", ["int64", "uint64", "float64"])
def test_dtype_extremes(dtype):
    info = np.iinfo(dtype) if dtype != "float64" else np.finfo(dtype)
    x = np.array([info.max, info.min, 0, info.min, info.max, info.max], dtype=dtype)
    assert sliding_window_max(x, 2).tolist() == [info.max, 0, 0, info.max, info.max]
    assert sliding_window_min(x, 2).tolist() == [info.min, info.min, info.min, info.min, info.max]


def test_all_negative_infinity():
    x = np.full(7, -np.inf)
    assert sliding_window_max(x, 3).tolist() == [-np.inf] * 5


def test_nan_windows_in_a_long_array():
    rng = np.random.default_rng(1)
    x = rng.normal(size=5000)
    x[rng.integers(0, 5000, 40)] = np.nan
    for k in [1, 2, 7, 64, 1000, 5000]:
        assert same(sliding_window_max(x, k).tolist(), brute_force(x.tolist(), k, max))
        assert same(sliding_window_min(x, k).tolist(), brute_force(x.tolist(), k, min))


@pytest.mark.parametrize("k", [1, 2, 3, 31, 32, 33, 999, 1000])
def test_long_array_against_numpy_for_block_edges(k):
    x = np.random.default_rng(k).integers(-1000, 1000, 1000).astype(np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(x, k)
    assert np.array_equal(sliding_window_max(x, k), windows.max(axis=1))
    assert np.array_equal(sliding_window_min(x, k), windows.min(axis=1))


def test_non_contiguous_view():
    base = np.arange(40, dtype=np.float64)[::-1]
    view = base[::3]
    assert not view.flags.c_contiguous
    expected = np.lib.stride_tricks.sliding_window_view(view, 4).max(axis=1)
    assert np.array_equal(sliding_window_max(view, 4), expected)


def test_k_equal_to_length_gives_one_window():
    assert sliding_window_max([2, 9, 4], 3) == [9]
    assert sliding_window_min(np.array([2.0, 9.0, 4.0]), 3).tolist() == [2.0]


def test_k_of_one_copies_the_input():
    x = np.array([3, 1, 2], dtype=np.uint8)
    out = sliding_window_max(x, 1)
    assert out.tolist() == [3, 1, 2] and out is not x


def test_duplicates():
    assert sliding_window_max([5, 5, 5, 1, 5], 2) == [5, 5, 5, 5]


@pytest.mark.parametrize("k", [0, 6, -1])
def test_k_out_of_range_is_a_value_error(k):
    with pytest.raises(ValueError, match=rf"k must satisfy 1 <= k <= len\(nums\) \(= 5\), got {k}"):
        sliding_window_max([1, 2, 3, 4, 5], k)
    with pytest.raises(ValueError):
        sliding_window_min(np.arange(5), k)


def test_empty_input_is_a_value_error():
    with pytest.raises(ValueError):
        sliding_window_max([], 1)
    with pytest.raises(ValueError):
        sliding_window_max(np.array([], dtype=np.float64), 1)


@pytest.mark.parametrize(
    "nums, k",
    [
        ([1, 2], 1.0),
        ([1, 2], True),
        ("abc", 1),
        ([1, "a"], 1),
        ([True, False], 1),
        (np.array([True, False]), 1),
        (np.array(["a", "b"]), 1),
        (5, 1),
    ],
)
def test_wrong_kinds_are_type_errors(nums, k):
    with pytest.raises(TypeError):
        sliding_window_max(nums, k)


def test_two_dimensional_array_is_a_value_error():
    with pytest.raises(ValueError, match="1-D"):
        sliding_window_max(np.zeros((2, 3)), 1)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.one_of(st.integers(-50, 50), st.just(math.nan))),
        st.tuples(st.just("popleft"), st.none()),
    ),
    max_size=80,
)


@given(operations)
def test_queues_match_a_list_model(ops):
    model, qmax, qmin = [], MaxQueue(), MinQueue()
    for op, x in ops:
        if op == "append":
            model.append(x)
            qmax.append(x)
            qmin.append(x)
        elif model:
            expected = model.pop(0)
            assert same([qmax.popleft(), qmin.popleft()], [expected, expected])
        else:
            with pytest.raises(IndexError):
                qmax.popleft()
            with pytest.raises(IndexError):
                qmin.popleft()
        assert len(qmax) == len(qmin) == len(model)
        if model:
            has_nan = any(v != v for v in model)
            assert same([qmax.max()], [math.nan if has_nan else max(model)])
            assert same([qmin.min()], [math.nan if has_nan else min(model)])


def test_empty_queue_access_is_an_index_error():
    for queue, best in [(MaxQueue(), "max"), (MinQueue(), "min")]:
        with pytest.raises(IndexError):
            getattr(queue, best)()
        with pytest.raises(IndexError):
            queue.popleft()
        queue.append(1)
        queue.popleft()
        with pytest.raises(IndexError):
            getattr(queue, best)()


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_large_input_takes_the_parallel_kernel_and_matches_numpy(dtype):
    from algos import sliding_window as sw

    n = _parallel.PARALLEL_MIN_SIZE + 5
    rng = np.random.default_rng(7)
    x = rng.integers(-(10**6), 10**6, n).astype(dtype)
    if dtype == "float64":
        x[rng.integers(0, n, 50)] = np.nan
    for k in [2, 3, 17]:
        windows = np.lib.stride_tricks.sliding_window_view(x, k)
        assert same(sliding_window_max(x, k), windows.max(axis=1))
        assert same(sliding_window_min(x, k), windows.min(axis=1))
    for k in [1000, n // 3]:  # wide windows: parallel kernel against the serial one
        serial = np.empty(n - k + 1, dtype=x.dtype)
        sw._VAN_HERK_MAX.serial(x, k, serial)
        assert same(sliding_window_max(x, k), serial)
        sw._VAN_HERK_MIN.serial(x, k, serial)
        assert same(sliding_window_min(x, k), serial)


@pytest.mark.parametrize("parallel", [False, True])
@given(data=st.data())
def test_both_forms_of_the_kernel_match_brute_force(parallel, data):
    x, k = data.draw(array_and_k("float64"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parallel, "PARALLEL_MIN_SIZE", 0 if parallel else 2**62)
        assert same(sliding_window_max(x, k), brute_force(x.tolist(), k, max))
        assert same(sliding_window_min(x, k), brute_force(x.tolist(), k, min))


@pytest.mark.parametrize("dtype", [">f8", ">i8", ">u2", ">f4"])
def test_non_native_byte_order_is_accepted(dtype):
    x = np.array([1, 3, 0, 2, 5, 4, 4], dtype=dtype)
    out = sliding_window_max(x, 3)
    assert out.dtype == x.dtype
    assert out.tolist() == [3, 3, 5, 5, 5]
    assert sliding_window_min(x, 3).tolist() == [0, 0, 0, 2, 4]


class Touchy:
    """A number compared through ``>=``/``<=``, as the queues compare."""

    def __init__(self, value):
        self.value = value

    def _compare(self, other, op):
        return op(self.value, other.value if isinstance(other, Touchy) else other)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __ne__(self, other):
        return self.value != (other.value if isinstance(other, Touchy) else other)


class RaisesOnThirdComparison(Touchy):
    """A comparison that fails midway: after two candidates have been compared (and beaten)."""

    def __init__(self, value):
        super().__init__(value)
        self.calls = 0

    def _compare(self, other, op):
        self.calls += 1
        if self.calls == 3:
            raise RuntimeError("comparison failed")
        return super()._compare(other, op)


@pytest.mark.parametrize("queue_type, best", [(MaxQueue, "max"), (MinQueue, "min")])
def test_append_whose_comparison_raises_leaves_the_queue_as_it_was(queue_type, best):
    values = [9, 8, 7, 6, 5] if best == "max" else [0, 1, 2, 3, 4]  # every item a candidate
    queue, twin = queue_type(), queue_type()
    for v in values:
        queue.append(Touchy(v))
        twin.append(v)
    intruder = RaisesOnThirdComparison(7.5 if best == "max" else 1.5)  # beats two, then raises
    with pytest.raises(RuntimeError, match="comparison failed"):
        queue.append(intruder)
    assert intruder.calls == 3
    assert len(queue) == len(twin)
    while twin:
        assert getattr(queue, best)().value == getattr(twin, best)()
        assert queue.popleft().value == twin.popleft()
    assert len(queue) == 0


def test_each_kernel_is_compiled_serially_and_in_parallel_under_its_own_cache_name():
    from algos import sliding_window as sw

    for pair in [sw._VAN_HERK_MAX, sw._VAN_HERK_MIN]:
        assert pair.parallel.targetoptions.get("parallel") is True
        assert not pair.serial.targetoptions.get("parallel")
        # numba's disk cache is keyed by qualified name: one name for both would overwrite.
        assert pair.serial.py_func.__qualname__ != pair.parallel.py_func.__qualname__
        assert pair.serial.py_func.__code__ is pair.parallel.py_func.__code__  # written once


# --- out= -------------------------------------------------------------------------------------

ALL_DTYPES = INT_DTYPES + FLOAT_DTYPES
directions = pytest.mark.parametrize(
    "ours, pick", [(sliding_window_max, max), (sliding_window_min, min)]
)


@directions
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@given(data=st.data())
def test_out_receives_the_result_and_is_returned(ours, pick, dtype, data):
    x, k = data.draw(array_and_k(dtype))
    out = np.full(x.size - k + 1, 7, dtype=dtype)
    assert ours(x, k, out=out) is out
    assert same(out.tolist(), brute_force(x.tolist(), k, pick))


@directions
@pytest.mark.parametrize("k", [2, 8, 9, 64, 1000])
def test_out_of_a_long_array_with_nans_matches_numpy(ours, pick, k):
    # Both kernels (direct up to k = 8, van Herk above), NaN-free blocks and blocks with NaN.
    rng = np.random.default_rng(k)
    x = rng.standard_normal(20_000)
    x[rng.integers(0, x.size, 5)] = np.nan
    windows = np.lib.stride_tricks.sliding_window_view(x, k)
    expected = windows.max(axis=1) if pick is max else windows.min(axis=1)
    out = np.empty(x.size - k + 1)
    ours(x, k, out=out)
    assert same(out, expected)
    assert same(ours(x, k), expected)


@directions
@pytest.mark.parametrize("dtype", ["float64", ">f8", "int32"])
def test_strided_or_byte_swapped_out_gets_the_values(ours, pick, dtype):
    x = np.array([4, -1, 9, 9, 2, 8, 3, 3, 0, 5], dtype=dtype)
    backing = np.zeros(16, dtype=dtype)
    out = backing[::2]  # 8 values, every other slot
    assert ours(x, 3, out=out) is out
    assert out.tolist() == brute_force(x.tolist(), 3, pick)
    assert backing[1::2].tolist() == [0] * 8  # the slots between are untouched


@pytest.mark.parametrize(
    "out, error, message",
    [
        ([0.0] * 8, TypeError, "out must be a numpy array, got list"),
        (np.empty(7), ValueError, r"out must have shape \(8,\), got \(7,\)"),
        (np.empty((8, 1)), ValueError, r"out must have shape \(8,\)"),
        (np.empty(8, dtype=np.float32), TypeError, "out must have dtype float64"),
        (np.empty(8, dtype=np.int64), TypeError, "out must have dtype float64"),
    ],
)
def test_bad_out_is_rejected_before_any_work(out, error, message):
    x = np.arange(10.0)
    with pytest.raises(error, match=message):
        sliding_window_max(x, 3, out=out)
    with pytest.raises(error, match=message):
        sliding_window_min(x, 3, out=out)


def test_read_only_out_is_a_value_error():
    out = np.zeros(8)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        sliding_window_max(np.arange(10.0), 3, out=out)
    assert out.tolist() == [0.0] * 8


@pytest.mark.parametrize("k", [1, 3, 7])
def test_out_overlapping_nums_is_a_value_error(k):
    x = np.arange(20.0)
    m = x.size - k + 1
    for out in [x[:m], x[k - 1 :], x[::-1][:m]] + ([x] if k == 1 else []):
        with pytest.raises(ValueError, match="out must not overlap nums"):
            sliding_window_max(x, k, out=out)
    assert x.tolist() == list(range(20))


def test_out_with_a_list_is_a_type_error():
    with pytest.raises(TypeError, match="out is only for numpy arrays"):
        sliding_window_max([1, 2, 3], 2, out=np.empty(2))
