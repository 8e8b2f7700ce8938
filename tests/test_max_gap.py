"""Maximum gap against sorting with exact Python arithmetic."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from algos import _parallel
from algos.max_gap import maximum_gap

INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]


def brute_force(values):
    """Largest successive difference in sorted order, in exact Python arithmetic (float64 for
    floats), 0 for fewer than two values."""
    s = sorted(values)
    return max((b - a for a, b in itertools.pairwise(s)), default=0)


@st.composite
def arrays_of(draw, dtype):
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        values = st.integers(int(info.min), int(info.max))
    else:
        values = st.floats(width=np.finfo(dtype).bits, allow_nan=False, allow_infinity=False)
    return np.array(draw(st.lists(values, max_size=80)), dtype=dtype)


def test_leetcode_examples():
    assert maximum_gap([3, 6, 9, 1]) == 3
    assert maximum_gap([10]) == 0


def test_fewer_than_two_values_give_zero():
    assert maximum_gap([]) == 0
    assert maximum_gap(np.array([], dtype=np.int64)) == 0
    assert maximum_gap(np.array([7.5])) == 0.0


@given(st.lists(st.integers(-(2**100), 2**100)))
def test_python_ints_of_any_size_are_exact(values):
    result = maximum_gap(values)
    assert type(result) is int and result == brute_force(values)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False)))
def test_python_floats_match_sorting(values):
    result = maximum_gap(values)
    assert type(result) is float if values else result == 0
    assert result == brute_force(values)


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES)
@given(data=st.data())
def test_arrays_of_every_dtype_match_sorting(dtype, data):
    x = data.draw(arrays_of(dtype))
    result = maximum_gap(x)
    if np.dtype(dtype).kind == "f":
        assert type(result) is float
        assert result == brute_force([float(v) for v in x.tolist()])
    else:
        assert type(result) is int
        assert result == brute_force([int(v) for v in x.tolist()])


@pytest.mark.parametrize(
    "values, dtype, expected",
    [
        ([-(2**63), 2**63 - 1], "int64", 2**64 - 1),
        ([-(2**63), 0, 2**63 - 1], "int64", 2**63),
        ([0, 2**64 - 1], "uint64", 2**64 - 1),
        ([2**64 - 1, 2**64 - 2, 0, 1], "uint64", 2**64 - 3),
        ([-128, 127], "int8", 255),
    ],
)
def test_integer_extremes_do_not_overflow(values, dtype, expected):
    assert maximum_gap(np.array(values, dtype=dtype)) == expected
    assert maximum_gap(values) == expected


def test_float_extremes_overflow_to_infinity_like_float_subtraction():
    big = np.finfo(np.float64).max
    assert maximum_gap(np.array([-big, big])) == math.inf
    assert maximum_gap(np.array([-big, 0.0, big])) == big
    assert maximum_gap([-big, 0.0, big]) == big


def test_float32_gap_is_computed_in_float64():
    x = np.array([-3e38, 3e38], dtype=np.float32)
    assert maximum_gap(x) == float(x[1]) - float(x[0])


def test_infinities():
    for values, expected in [
        ([1.0, math.inf], math.inf),
        ([-math.inf, 1.0, 2.0], math.inf),
        ([math.inf, math.inf], 0.0),
        ([-math.inf, -math.inf, -math.inf], 0.0),
        ([-math.inf, math.inf], math.inf),
    ]:
        assert maximum_gap(values) == expected
        assert maximum_gap(np.array(values)) == expected


def test_nan_is_a_value_error():
    with pytest.raises(ValueError, match="NaN"):
        maximum_gap([1.0, math.nan])
    with pytest.raises(ValueError, match="index 2"):
        maximum_gap(np.array([1.0, 2.0, np.nan]))


def test_duplicates_and_negatives():
    assert maximum_gap([-5, -5, -5]) == 0
    assert maximum_gap([-5, 5, -5, 5, 0]) == 5


def test_mixed_ints_and_floats_give_a_float():
    assert maximum_gap([1, 2.5, 7]) == 4.5


def test_non_contiguous_view():
    x = np.array([0, 100, 1, 100, 3, 100, 10, 100], dtype=np.int64)[::2]
    assert maximum_gap(x) == 7


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_evenly_spaced_input_beyond_two_to_the_24_matches_sorting(dtype):
    # Above 2**24 values the kernels use twice as many buckets; evenly spaced values are the
    # tightest case for the pigeonhole bound (every gap equals the average gap).
    x = (np.arange(2**24 + 3, dtype=dtype) * 3)[::-1].copy()
    x[5] = -7
    x[-1] = 10
    assert maximum_gap(x) == np.diff(np.sort(x)).max()


def test_evenly_spaced_input_matches_sorting():
    for n in [2, 3, 1000, 4097]:
        x = np.linspace(-1.0, 1.0, n)
        assert maximum_gap(x) == np.diff(x).max()
        assert maximum_gap(x.tolist()) == np.diff(x).max()


@pytest.mark.parametrize(
    "nums", [[True, False], ["a", "b"], "abc", 5, np.array([True, False]), np.array(["a"])]
)
def test_wrong_kinds_are_type_errors(nums):
    with pytest.raises(TypeError):
        maximum_gap(nums)


def test_two_dimensional_array_is_a_value_error():
    with pytest.raises(ValueError, match="1-D"):
        maximum_gap(np.zeros((2, 2)))


# Integer spans that take each kind of point: float64 offsets (up to 2**53), int64 offsets
# (below 2**63), uint64 keys (the rest).
INT_SPANS = [2**40, 2**53, 2**53 + 1, 2**62, 2**64 - 1]


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize(
    "dtype, span",
    [("float64", None)]
    + [("int64", s) for s in INT_SPANS]
    + [("uint64", 2**53), ("uint64", 2**64 - 1)],
)
def test_random_input_above_the_parallel_threshold_matches_sorting(dtype, span, parallel):
    rng = np.random.default_rng(11)
    n = _parallel.PARALLEL_MIN_SIZE + 7
    if dtype == "float64":
        x = rng.normal(size=n) * 1e3
    else:
        low = int(np.iinfo(dtype).min)
        x = rng.integers(low, low + span, n, dtype=dtype, endpoint=True)
        x[:2] = [low, low + span]  # the span exactly
    s = np.sort(x)
    if dtype == "float64":
        expected = np.diff(s).max()
    else:  # successive differences wrap in the dtype; as uint64 they are exact
        expected = int((s[1:].astype(np.uint64) - s[:-1].astype(np.uint64)).max())
    with pytest.MonkeyPatch.context() as patch:  # each form of the kernels on the same input
        patch.setattr(_parallel, "PARALLEL_MIN_SIZE", 0 if parallel else 2**62)
        assert maximum_gap(x) == expected


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize("span", INT_SPANS)
@given(data=st.data())
def test_many_small_blocks_match_sorting(span, parallel, data):
    from algos import max_gap

    low = -(2**63)
    values = data.draw(st.lists(st.integers(low, low + span), min_size=1, max_size=60))
    x = np.array(values, dtype=np.int64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(max_gap, "_BLOCK", 3)  # blocks of 3 values, the last one shorter
        patch.setattr(_parallel, "PARALLEL_MIN_SIZE", 0 if parallel else 2**62)
        assert maximum_gap(x) == brute_force(values)


def test_overflowing_gap_above_the_parallel_threshold_is_infinity():
    big = np.finfo(np.float64).max
    x = np.full(_parallel.PARALLEL_MIN_SIZE + 7, -big)
    x[3] = big
    assert maximum_gap(x) == math.inf
    x[4] = 0.0
    assert maximum_gap(x) == big


def test_serial_or_parallel_is_chosen_by_size_alone():
    assert _parallel.use_parallel(_parallel.PARALLEL_MIN_SIZE) is True
    assert _parallel.use_parallel(_parallel.PARALLEL_MIN_SIZE - 1) is False


def test_kernels_read_no_machine_state():
    import inspect

    from algos import max_gap

    source = inspect.getsource(max_gap)
    assert "/proc" not in source and "getloadavg" not in source


# Regressions: inputs that once crashed or raised a bogus error.


@pytest.mark.parametrize(
    "values, expected",
    [
        ([0.0, 1e-308], 1e-308),  # n_buckets / span overflowed: 0 * inf = NaN became an index
        ([1e-308, 0.0, 5e-309], 5e-309),
        ([0.0, 5e-324], 5e-324),  # the smallest span there is
        ([-5e-324, 5e-324, 0.0], 5e-324),
        ([0.0, 5e-324, 1.5e-323, 2e-323], 1e-323),
        ([2.2250738585072014e-308, 0.0, 1e-310], 2.2150738585072014e-308),
        ([1.0, 1.0000000000000002], 2.220446049250313e-16),
    ],
)
def test_tiny_spans_give_the_exact_gap(values, expected):
    assert expected == brute_force(values)
    assert maximum_gap(values) == expected
    assert maximum_gap(np.array(values)) == expected


@pytest.mark.parametrize("parallel", [False, True])
def test_tiny_span_in_the_kernels_matches_sorting(parallel):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 1000, 5000) * 5e-324  # subnormals: spans of a few thousand steps
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parallel, "PARALLEL_MIN_SIZE", 0 if parallel else 2**62)
        assert maximum_gap(x) == np.diff(np.sort(x)).max()


@given(
    st.lists(
        st.floats(min_value=-1e-300, max_value=1e-300, allow_nan=False, allow_subnormal=True),
        max_size=40,
    )
)
def test_tiny_floats_match_sorting(values):
    assert maximum_gap(values) == brute_force(values)
    assert maximum_gap(np.array(values, dtype=np.float64)) == (brute_force(values) if values else 0)


def test_huge_integer_beside_a_float_is_a_value_error_naming_nums():
    with pytest.raises(ValueError, match=r"nums\[0\] is too large for a float64"):
        maximum_gap([10**400, 0.5])
    with pytest.raises(ValueError, match=r"nums\[2\]"):
        maximum_gap([0.5, 1, -(10**5000)])


def test_huge_integers_alone_stay_exact():
    assert maximum_gap([10**400, 0, 10**400 + 7]) == 10**400
    assert maximum_gap([-(10**400), 10**400]) == 2 * 10**400


@pytest.mark.parametrize("dtype", [">f8", ">i8", ">u4", "<f4", ">f2"])
def test_non_native_byte_order_is_accepted(dtype):
    x = np.array([5, 1, 9, 2, 30], dtype=dtype)
    result = maximum_gap(x)
    assert result == 21
    assert type(result) is (float if x.dtype.kind == "f" else int)
