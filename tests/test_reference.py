"""The numpy references against brute force: scalar Python loops and closed forms."""

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import scipy.special
from hypothesis import assume, given
from hypothesis import strategies as st

from kernels import reference, tolerances

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.uint64]
FLOAT_DTYPES = [np.float16, np.float32, np.float64]

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5)
int_arrays = st.sampled_from(INT_DTYPES).flatmap(lambda dt: hnp.arrays(dt, shapes))
finite_floats = st.floats(-1e3, 1e3, width=32)
float_arrays = hnp.arrays(np.float64, shapes, elements=finite_floats)
ops = st.sampled_from(reference.SCAN_OPS)


def _wrap(value, dtype):
    info = np.iinfo(dtype)
    span = 1 << info.bits
    return (value - info.min) % span + info.min


def _brute_scan_1d(values, op, inclusive, dtype):
    """Python ints (wrapped to dtype) or Python floats, one element at a time."""
    is_int = np.dtype(dtype).kind in "iu"
    if op == "add":
        acc = 0
    elif op == "mul":
        acc = 1
    elif is_int:
        acc = int(np.iinfo(dtype).min if op == "max" else np.iinfo(dtype).max)
    else:
        acc = -math.inf if op == "max" else math.inf
    out = []
    for v in values:
        v = int(v) if is_int else float(v)
        before = acc
        if op == "add":
            acc = acc + v
        elif op == "mul":
            acc = acc * v
        elif not is_int and (math.isnan(acc) or math.isnan(v)):
            acc = math.nan
        else:
            acc = max(acc, v) if op == "max" else min(acc, v)
        if is_int:
            acc = _wrap(acc, dtype)
        out.append(acc if inclusive else before)
    return out


def _brute_scan(x, op, axis, inclusive):
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape, dtype=x.dtype)
    for index in np.ndindex(moved.shape[:-1]):
        out[index] = _brute_scan_1d(moved[index], op, inclusive, x.dtype)
    return np.moveaxis(out, -1, axis)


# --- scan ----------------------------------------------------------------------------------


def test_scan_worked_examples():
    x = np.array([3, 1, 4, 1, 5])
    np.testing.assert_array_equal(reference.scan(x), [3, 4, 8, 9, 14])
    np.testing.assert_array_equal(reference.scan(x, inclusive=False), [0, 3, 4, 8, 9])
    np.testing.assert_array_equal(reference.scan(x, op="mul"), [3, 3, 12, 12, 60])
    np.testing.assert_array_equal(reference.scan(x, op="mul", inclusive=False), [1, 3, 3, 12, 12])
    np.testing.assert_array_equal(reference.scan(x, op="min"), [3, 1, 1, 1, 1])
    np.testing.assert_array_equal(
        reference.scan(x.astype(np.float32), op="max", inclusive=False), [-np.inf, 3, 3, 4, 4]
    )


@given(int_arrays, ops, st.booleans(), st.data())
def test_integer_scan_matches_wrapping_python_loop(x, op, inclusive, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    out = reference.scan(x, op, axis, inclusive=inclusive)
    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out, _brute_scan(x, op, axis, inclusive))


@given(float_arrays, ops, st.booleans(), st.data())
def test_float_scan_matches_python_loop(x, op, inclusive, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    dtype = data.draw(st.sampled_from(FLOAT_DTYPES))
    x = x.astype(dtype)
    out = reference.scan(x, op, axis, inclusive=inclusive)
    assert out.dtype == x.dtype
    with np.errstate(over="ignore"):
        expected = _brute_scan(x.astype(np.float64), op, axis, inclusive).astype(dtype)
    np.testing.assert_array_equal(out, expected)


def test_integer_add_scan_wraps_on_overflow():
    x = np.array([127, 1, 1], dtype=np.int8)
    np.testing.assert_array_equal(reference.scan(x), np.array([127, -128, -127], dtype=np.int8))


def test_scan_extremes_identity_per_dtype():
    for dtype in (np.int8, np.uint16, np.int64):
        info = np.iinfo(dtype)
        x = np.array([5], dtype=dtype)
        assert reference.scan(x, "max", inclusive=False)[0] == info.min
        assert reference.scan(x, "min", inclusive=False)[0] == info.max


def test_scan_propagates_nan():
    x = np.array([1.0, np.nan, 3.0])
    for op in reference.SCAN_OPS:
        out = reference.scan(x, op)
        assert out[0] == 1.0 and np.isnan(out[1:]).all()


def test_scan_of_empty_axis_is_empty():
    for inclusive in (True, False):
        assert reference.scan(np.zeros((3, 0), np.int32), inclusive=inclusive).shape == (3, 0)


def test_scan_bool_input_is_scanned_as_the_default_integer():
    # Regression: bool became float16 (70 000 Trues summed to inf); np.cumsum gives int64.
    x = np.ones(70_000, dtype=bool)
    out = reference.scan(x)
    assert out.dtype == np.cumsum(x).dtype
    np.testing.assert_array_equal(out, np.cumsum(x))


def _float32_loop(values, op):
    """The running ``op`` of ``values`` in float32, one element at a time."""
    acc, out = np.float32(0 if op == "add" else 1), []
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for v in values:
            acc = acc + v if op == "add" else acc * v
            out.append(acc)
    return np.array(out, dtype=np.float32)


@pytest.mark.parametrize(
    "values, op",
    [
        ([3.4e38, 3.4e38, -3.4e38], "add"),  # overflows, then inf + finite stays inf
        ([-3.4e38, -3.4e38, 1.0, np.inf], "add"),  # -inf, then -inf + inf is NaN
        ([1e20, 1e20, 1e-20, 1e-20], "mul"),  # overflow, then inf * small stays inf
        ([1e-30, -1e-30, 1e30, 1e30], "mul"),  # underflow to -0, then -0 * big stays -0
        ([1e-30, 1e-30, 0.0, np.inf], "mul"),  # 0 * inf is NaN
    ],
)
def test_float32_scans_leave_the_range_where_a_float32_loop_does(values, op):
    # Regression: the reference accumulated float32 in float64 without float32's range, so
    # [3.4e38, 3.4e38, -3.4e38] gave [3.4e38, inf, 3.4e38] against the kernel's [.., inf, inf].
    x = np.array(values, dtype=np.float32)
    out = reference.scan(x, op)
    expected = _float32_loop(x, op)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(np.signbit(out), np.signbit(expected))


def test_float64_keeps_values_beyond_float32s_range():
    x = np.array([1e300, 1e300, -1e300])
    np.testing.assert_array_equal(reference.scan(x), [1e300, 2e300, 1e300])


def test_scan_accepts_non_native_byte_order():
    for dtype in (">i8", ">f8"):
        x = np.array([3, -1, 4], dtype=dtype)
        out = reference.scan(x)
        assert out.dtype == x.dtype.newbyteorder("=")
        np.testing.assert_array_equal(out, [3, 2, 6])


def test_scan_rejects_bad_arguments():
    with pytest.raises(ValueError, match="op must be one of"):
        reference.scan(np.ones(3), op="sub")
    with pytest.raises(TypeError, match="inclusive must be a bool"):
        reference.scan(np.ones(3), inclusive=None)
    with pytest.raises(ValueError, match="out of range"):
        reference.scan(np.ones(3), axis=1)
    with pytest.raises(TypeError, match="real numbers"):
        reference.scan(np.ones(3, dtype=complex))


# --- linear recurrence ---------------------------------------------------------------------


def _brute_recurrence(a, b, h0, axis):
    am, bm = np.moveaxis(a, axis, -1), np.moveaxis(b, axis, -1)
    out = np.empty(am.shape)
    for index in np.ndindex(am.shape[:-1]):
        h = 0.0 if h0 is None else float(h0[index])
        for t in range(am.shape[-1]):
            h = float(am[index + (t,)]) * h + float(bm[index + (t,)])
            out[index + (t,)] = h
    return np.moveaxis(out, -1, axis)


@given(st.data())
def test_linear_recurrence_matches_scalar_loop(data):
    shape = data.draw(shapes)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    a = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1.5, 1.5)))
    b = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-10, 10)))
    outer = tuple(n for i, n in enumerate(shape) if i != axis % len(shape))
    h0 = data.draw(st.none() | hnp.arrays(np.float64, outer, elements=st.floats(-10, 10)))
    out = reference.linear_recurrence(a, b, h0, axis)
    # The same float64 multiply, then add, in the same order (numpy never fuses two ufuncs):
    # equal to the last bit, so no tolerance is needed.
    np.testing.assert_array_equal(out, _brute_recurrence(a, b, h0, axis))


def test_linear_recurrence_closed_forms():
    b = np.arange(1.0, 6.0)
    np.testing.assert_allclose(reference.linear_recurrence(np.ones(5), b), np.cumsum(b))
    a = np.array([2.0, 3.0, 0.5, 4.0])
    np.testing.assert_allclose(
        reference.linear_recurrence(a, np.zeros(4), np.float64(1.5)), 1.5 * np.cumprod(a)
    )


def test_linear_recurrence_dtype_is_combined_float_dtype():
    a32 = np.ones((2, 3), np.float32)
    assert reference.linear_recurrence(a32, a32).dtype == np.float32
    assert reference.linear_recurrence(a32, a32.astype(np.float64)).dtype == np.float64
    assert (
        reference.linear_recurrence(np.ones(3, np.int64), np.ones(3, np.int64)).dtype == np.float64
    )


def test_linear_recurrence_rejects_bad_shapes():
    with pytest.raises(ValueError, match="same shape"):
        reference.linear_recurrence(np.ones((2, 3)), np.ones((3,)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2,\)"):
        reference.linear_recurrence(np.ones((2, 3)), np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"h0 must have shape \(3,\)"):
        reference.linear_recurrence(np.ones((2, 3)), np.ones((2, 3)), np.ones(2), axis=0)


# --- softmax family ------------------------------------------------------------------------


@given(float_arrays, st.data())
def test_softmax_family_matches_scipy(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assume(x.shape[axis] > 0)
    # both compute in float64: the bounds of kernels.tolerances for float64 cover both errors
    for name in ("softmax", "log_softmax", "logsumexp"):
        bound = getattr(tolerances, f"{name}_bound")(x, np.float64, axis)
        expected = getattr(scipy.special, name)(x, axis)
        why = tolerances.compare(getattr(reference, name)(x, axis), expected, bound)
        assert why is None, f"{name}: {why}"


def test_softmax_of_huge_values_does_not_overflow():
    x = np.array([1e30, -1e30, 1e30], dtype=np.float32)
    np.testing.assert_array_equal(reference.softmax(x), np.array([0.5, 0, 0.5], np.float32))
    assert reference.logsumexp(x) == np.float32(1e30)


def test_all_minus_inf_slice_gives_nan_softmax_and_minus_inf_logsumexp():
    x = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    np.testing.assert_array_equal(reference.logsumexp(x), [-np.inf, 0.0])
    assert np.isnan(reference.softmax(x)[0]).all() and np.isnan(reference.log_softmax(x)[0]).all()
    np.testing.assert_array_equal(reference.softmax(x)[1], [1.0, 0.0])


def test_plus_inf_entry_gives_inf_logsumexp_and_nan_at_the_entry():
    x = np.array([np.inf, 1.0, np.inf])
    assert reference.logsumexp(x) == np.inf
    out = reference.softmax(x)
    assert np.isnan(out[0]) and out[1] == 0 and np.isnan(out[2])


def test_plus_inf_beside_a_value_whose_exp_overflows_follows_the_rule():
    # shifted by 0, exp(710.0) overflows to inf and inf / inf made the finite entry NaN
    np.testing.assert_array_equal(reference.softmax(np.array([np.inf, 710.0])), [np.nan, 0.0])
    np.testing.assert_array_equal(
        reference.softmax(np.array([[1e308, np.inf, -np.inf]]), axis=1), [[0.0, np.nan, 0.0]]
    )
    np.testing.assert_array_equal(
        reference.log_softmax(np.array([np.inf, 710.0])), [np.nan, -np.inf]
    )
    assert np.isnan(reference.softmax(np.array([np.inf, 710.0, np.nan]))).all()


def test_non_native_byte_order_is_accepted():
    x = np.array([0.0, 1.0, 2.0])
    for name in ("softmax", "log_softmax", "logsumexp"):
        out = getattr(reference, name)(x.astype(">f8"))
        np.testing.assert_array_equal(out, getattr(reference, name)(x))


def test_logsumexp_of_empty_axis_is_minus_inf():
    np.testing.assert_array_equal(reference.logsumexp(np.zeros((2, 0))), [-np.inf, -np.inf])


# --- attention -----------------------------------------------------------------------------


def test_attention_with_one_key_returns_its_value():
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(1, 4)), rng.normal(size=(1, 2))
    np.testing.assert_allclose(reference.attention(q, k, v), np.repeat(v, 3, axis=0))


def test_attention_matches_per_row_formula():
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    for causal in (False, True):
        out = reference.attention(q, k, v, causal=causal, scale=0.7)
        for i in range(5):
            keys = range(min(i + 1, 4)) if causal else range(4)
            s = np.array([0.7 * q[i] @ k[j] for j in keys])
            w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
            bound = tolerances.attention_bound(q, k, v, np.float64, 0.7, causal=causal)
            why = tolerances.compare(out[i], w @ v[list(keys)], bound)
            assert why is None, why


def test_attention_causal_flag_must_be_a_bool():
    with pytest.raises(TypeError, match="causal must be a bool"):
        reference.attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), causal="no")


def test_attention_rejects_bad_shapes():
    with pytest.raises(ValueError, match="feature size"):
        reference.attention(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="leading dimensions"):
        reference.attention(np.ones((2, 2, 3)), np.ones((1, 2, 3)), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match="at least one key"):
        reference.attention(np.ones((2, 3)), np.ones((0, 3)), np.ones((0, 3)))
