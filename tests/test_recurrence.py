"""kernels.linear_recurrence against kernels.reference.linear_recurrence: CPU kernels (sequential,
blocked, middle-axis) and the look-back CUDA kernel (in the simulator where there is no GPU)."""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kernels import linear_recurrence, reference
from kernels._parallel import PARALLEL_MIN
from kernels.recurrence import linear_recurrence_list
from kernels.tolerances import compare, recurrence_bound

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
DTYPES = [np.float64, np.float32, np.float16]


@st.composite
def recurrence_cases(draw, max_dims=3, max_side=12, dtypes=DTYPES):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=0, max_side=max_side))
    width = np.dtype(dtype).itemsize * 8
    # |a| <= 1.0625 lets h grow (up to 11x over 40 steps) without letting rounding errors explode.
    a = draw(hnp.arrays(dtype, shape, elements=st.floats(-1.0625, 1.0625, width=width)))
    b = draw(hnp.arrays(dtype, shape, elements=st.floats(-10, 10, width=width)))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    outer = tuple(n for i, n in enumerate(shape) if i != axis % a.ndim)
    h0 = draw(st.none() | hnp.arrays(dtype, outer, elements=st.floats(-10, 10, width=width)))
    return a, b, h0, axis


def assert_matches(out, expected, a, b, h0, axis):
    """Within :func:`kernels.tolerances.recurrence_bound`: the error of step ``t`` is relative to
    the recurrence run on absolute values, the largest state the rounding errors can reach."""
    assert out.dtype == expected.dtype
    assert out.shape == expected.shape
    problem = compare(out, expected, recurrence_bound(a, b, h0, out.dtype, axis))
    assert problem is None, problem


def check(a, b, h0=None, axis=-1):
    """``linear_recurrence`` against the reference on the same arguments."""
    expected = reference.linear_recurrence(a, b, h0, axis)
    assert_matches(linear_recurrence(a, b, h0, axis), expected, a, b, h0, axis)


# --- worked examples and the readable form ---


def test_halving_and_adding_one_approaches_two():
    out = linear_recurrence(np.full(4, 0.5), np.ones(4))
    np.testing.assert_array_equal(out, [1.0, 1.5, 1.75, 1.875])


def test_h0_is_the_state_before_the_first_step():
    out = linear_recurrence(
        np.array([[2.0, 2.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 1.0]]), h0=[3.0, -1.0]
    )
    np.testing.assert_array_equal(out, [[6.0, 13.0], [0.0, 1.0]])


def test_constant_a_is_the_iir_filter_of_scipy():
    from scipy.signal import lfilter

    b = np.random.default_rng(0).standard_normal(1000)
    a = np.full(1000, 0.9)
    assert_matches(linear_recurrence(a, b), lfilter([1.0], [1.0, -0.9], b), a, b, None, -1)


@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(-5, 5)), max_size=15), st.floats(-5, 5))
def test_the_readable_list_form_matches_the_reference(steps, h0):
    a = np.array([s[0] for s in steps], dtype=np.float64)
    b = np.array([s[1] for s in steps], dtype=np.float64)
    expected = reference.linear_recurrence(a, b, np.float64(h0))
    # Python floats and the reference's float64 loop round the same products and sums in the
    # same order: equal to the last bit.
    np.testing.assert_array_equal(linear_recurrence_list(a.tolist(), b.tolist(), h0), expected)


# --- properties against the reference ---


@given(recurrence_cases())
def test_the_recurrence_matches_the_reference_on_random_shapes_axes_and_dtypes(case):
    check(*case)


def test_rows_spread_over_the_cores_match_the_reference():
    # Above PARALLEL_MIN elements the rows run in parallel.
    rng = np.random.default_rng(1)
    shape = (64, PARALLEL_MIN // 64 + 1)
    check(rng.uniform(-1, 1, shape), rng.standard_normal(shape), rng.standard_normal(64))


def test_a_middle_axis_wider_than_one_task_chunk_is_run_in_parallel():
    # 1300 columns: two chunks of 512 and a ragged one per outer slice, above PARALLEL_MIN in all.
    rng = np.random.default_rng(2)
    shape = (2, PARALLEL_MIN // 2600 + 1, 1300)
    a, b = rng.uniform(-1, 1, shape), rng.standard_normal(shape)
    check(a, b, rng.standard_normal((2, 1300)), 1)


def test_a_long_row_matches_the_reference():
    rng = np.random.default_rng(3)
    n = 1 << 19
    check(rng.uniform(0.5, 1.0, n), rng.standard_normal(n), np.float64(2.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_of_every_length_around_the_blocks_of_8_match_the_reference(dtype):
    # A row runs in blocks of 8 composed maps and ends with 0 to 7 steps one by one.
    rng = np.random.default_rng(8)
    for n in range(33):
        a = rng.uniform(-1.5, 1.5, (2, n)).astype(dtype)
        b = rng.standard_normal((2, n)).astype(dtype)
        h0 = rng.standard_normal(2).astype(dtype)
        check(a, b, h0, 1)
        expected = reference.linear_recurrence(a, b, h0, 1)
        inplace = b.copy()
        assert linear_recurrence(a, inplace, h0, 1, out=inplace) is inplace
        assert compare(inplace, expected, recurrence_bound(a, b, h0, dtype, 1)) is None


# --- edges ---


def test_a_single_step_is_a_times_h0_plus_b():
    np.testing.assert_array_equal(linear_recurrence([3.0], [1.0], h0=2.0), [7.0])


def test_an_empty_axis_gives_an_empty_result():
    out = linear_recurrence(
        np.zeros((3, 0), np.float32), np.zeros((3, 0), np.float32), h0=np.ones(3, np.float32)
    )
    assert out.shape == (3, 0) and out.dtype == np.float32


def test_a_zero_in_a_forgets_everything_before_it():
    out = linear_recurrence(
        np.array([5.0, 5.0, 0.0, -1.0]), np.array([1.0, 1.0, 2.0, 3.0]), h0=100.0
    )
    np.testing.assert_array_equal(out[2:], [2.0, 1.0])


def test_the_result_dtype_combines_a_b_and_h0():
    a = np.ones(3, np.float16)
    assert linear_recurrence(a, np.ones(3, np.float32)).dtype == np.float32
    assert linear_recurrence(a, a, h0=np.float64(1.0)).dtype == np.float64
    assert linear_recurrence(a, a).dtype == np.float16
    assert linear_recurrence(np.arange(3), np.arange(3)).dtype == np.float64


def test_nan_and_inf_flow_through_as_in_the_reference():
    a = np.array([1.0, np.nan, 0.5, 1.0])
    b = np.array([np.inf, 1.0, 1.0, -np.inf])
    np.testing.assert_array_equal(linear_recurrence(a, b), reference.linear_recurrence(a, b))


# --- bad input ---


def test_a_and_b_of_different_shapes_raise_value_error():
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        linear_recurrence(np.ones(3), np.ones(4))


def test_h0_of_the_wrong_shape_raises_value_error():
    with pytest.raises(ValueError, match=r"h0 must have shape \(2,\)"):
        linear_recurrence(np.ones((2, 3)), np.ones((2, 3)), h0=np.ones(3))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2,\)"):
        linear_recurrence(np.ones((2, 3)), np.ones((2, 3)), h0=1.0)


def test_an_axis_out_of_range_raises_value_error():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        linear_recurrence(np.ones((2, 3)), np.ones((2, 3)), axis=2)


def test_zero_dimensional_inputs_raise_value_error():
    with pytest.raises(ValueError, match="at least one dimension"):
        linear_recurrence(1.0, 2.0)


@pytest.mark.parametrize("name", ["a", "b", "h0"])
def test_non_numeric_input_raises_type_error_naming_the_argument(name):
    args = {"a": np.ones(2), "b": np.ones(2), "h0": np.float64(0.0)}
    args[name] = np.array(["x", "y"]) if name != "h0" else "zero"
    with pytest.raises(TypeError, match=f"{name} must"):
        linear_recurrence(**args)


# --- the CUDA kernel (simulator where there is no GPU) ---


@st.composite
def cuda_cases(draw):
    dtype = draw(st.sampled_from(DTYPES))
    width = np.dtype(dtype).itemsize * 8
    # A few simulated blocks per example: up to 4 tiles of 32 x 2 steps per row (128 fills two).
    shape = draw(st.sampled_from([(1, 200), (3, 70), (128,), (2, 40, 3)]))
    axis = draw(st.sampled_from([1] if len(shape) == 3 else [len(shape) - 1]))
    # |a| <= 1: rows of 200 steps stay within float16 and within tolerance.
    a = draw(hnp.arrays(dtype, shape, elements=st.floats(-1, 1, width=width)))
    b = draw(hnp.arrays(dtype, shape, elements=st.floats(-10, 10, width=width)))
    outer = tuple(n for i, n in enumerate(shape) if i != axis)
    h0 = draw(st.none() | hnp.arrays(dtype, outer, elements=st.floats(-10, 10, width=width)))
    return a, b, h0, axis


simulator_only = pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays go to the kernel directly only in the simulator"
)


@simulator_only
@settings(max_examples=5)
@given(cuda_cases(), st.booleans())
def test_the_look_back_kernel_matches_the_reference_over_several_tiles(case, force_walk):
    from kernels.recurrence_cuda import launch

    a, b, h0, axis = case
    out = launch(a, b, h0, axis, None, None, block=32, items=2, force_walk=force_walk)
    assert_matches(out, reference.linear_recurrence(a, b, h0, axis), a, b, h0, axis)


@simulator_only
def test_the_look_back_kernel_composes_maps_in_order_across_two_warps():
    from kernels.recurrence_cuda import launch

    # Non-commuting maps: any order mistake between lanes, warps or tiles changes the result.
    rng = np.random.default_rng(4)
    a, b = rng.uniform(-1.5, 1.5, 300), rng.standard_normal(300)
    h0 = np.float64(0.5)
    out = launch(a, b, h0, 0, None, None, block=64, items=2)
    assert_matches(out, reference.linear_recurrence(a, b, h0), a, b, h0, 0)


@simulator_only
@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("force_walk", [False, True])
def test_a_growing_product_of_a_does_not_turn_a_zero_state_into_nan(force_walk):
    # Regression: the output was A * h0 + B; with a = 2 the composed A overflows to inf after 128
    # float32 steps and inf * 0 gave NaN where every h is 0. A forced walk also composes maps
    # whose A has overflowed with predecessors whose state is exactly 0.
    from kernels.recurrence_cuda import launch

    a, b = np.full((2, 300), 2.0, np.float32), np.zeros((2, 300), np.float32)
    out = launch(
        a, b, np.zeros(2, np.float32), 1, None, None, block=32, items=2, force_walk=force_walk
    )
    np.testing.assert_array_equal(out, np.zeros((2, 300), np.float32))
    # h0 folded into the first step: h = 2^t h0 stays exact up to float32's range, then inf.
    out = launch(a, b, np.full(2, 2.0**-100, np.float32), 1, None, None, block=32, items=2)
    np.testing.assert_array_equal(
        out, reference.linear_recurrence(a, b, np.full(2, 2.0**-100, np.float32), 1)
    )


@simulator_only
def test_float16_inputs_of_two_dtypes_are_converted_in_the_kernel():
    from kernels.recurrence_cuda import launch

    rng = np.random.default_rng(6)
    a = rng.uniform(-1, 1, (2, 100)).astype(np.float16)
    b = rng.standard_normal((2, 100)).astype(np.float32)
    out = launch(a, b, None, 1, None, None, block=32, items=2)
    assert out.dtype == np.float32
    assert_matches(out, reference.linear_recurrence(a, b, None, 1), a, b, None, 1)


@pytest.mark.gpu
def test_cupy_input_gives_cupy_output_matching_the_reference():
    import cupy

    rng = np.random.default_rng(5)
    for dtype, shape, axis in (
        (np.float32, (1 << 22,), 0),
        (np.float64, (8, 3000, 5), 1),
        (np.float16, (6, 500), 1),
    ):
        a, b = rng.uniform(-1, 1, shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
        out = linear_recurrence(cupy.asarray(a), cupy.asarray(b), axis=axis)
        assert isinstance(out, cupy.ndarray)
        expected = reference.linear_recurrence(a, b, axis=axis)
        assert_matches(cupy.asnumpy(out), expected, a, b, None, axis)
    n = 1 << 20
    a, b = cupy.full(n, 2.0, cupy.float32), cupy.zeros(n, cupy.float32)
    assert not cupy.isnan(linear_recurrence(a, b, 0.0)).any()


# --- out= (numpy's rules: right shape and dtype, returned; may be a or b itself) ---


def _out_like(shape, dtype, layout):
    """An uninitialised array of ``shape`` in a C, Fortran or strided layout."""
    if layout == "C" or not shape:
        return np.full(shape, np.nan, dtype=dtype)
    if layout == "F":
        return np.full(shape, np.nan, dtype=dtype, order="F")
    return np.full((*shape[:-1], 2 * shape[-1]), np.nan, dtype=dtype)[..., ::2]


@given(recurrence_cases(), st.sampled_from(["C", "F", "strided"]))
def test_out_receives_the_recurrence_and_is_returned(case, layout):
    a, b, h0, axis = case
    out = _out_like(b.shape, b.dtype, layout)
    assert linear_recurrence(a, b, h0, axis, out=out) is out
    np.testing.assert_array_equal(out, linear_recurrence(a, b, h0, axis))


@pytest.mark.parametrize("target", ["a", "b"])
@given(case=recurrence_cases())
def test_out_may_be_a_or_b_itself(target, case):
    a, b, h0, axis = case
    expected = linear_recurrence(a, b, h0, axis)
    out = a if target == "a" else b
    assert linear_recurrence(a, b, h0, axis, out=out) is out
    np.testing.assert_array_equal(out, expected)


def test_bad_out_raises_naming_out():
    a, b = np.full((2, 5), 0.5), np.ones((2, 5))
    with pytest.raises(ValueError, match=r"out must have shape \(2, 5\), got \(5, 2\)"):
        linear_recurrence(a, b, out=np.empty((5, 2)))
    with pytest.raises(
        TypeError, match=r"out must have dtype float64 \(the result\'s\), got float16"
    ):
        linear_recurrence(a, b, out=np.empty((2, 5), np.float16))
    with pytest.raises(TypeError, match="out must be a numpy array"):
        linear_recurrence(a, b, out=b.tolist())
    read_only = np.empty((2, 5))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        linear_recurrence(a, b, out=read_only)
    buffer = np.ones(11)
    with pytest.raises(ValueError, match=r"out must not overlap b \(it may be a or b itself\)"):
        linear_recurrence(a, buffer[1:].reshape(2, 5), out=buffer[:-1].reshape(2, 5))
    buffer = np.zeros(12)
    h0 = buffer[:4]
    with pytest.raises(ValueError, match="out must not overlap h0"):
        linear_recurrence(np.ones((4, 3)), np.ones((4, 3)), h0, out=buffer.reshape(4, 3))


@pytest.mark.gpu
def test_cupy_out_may_be_b_itself():
    import cupy

    a = cupy.full((3, 1000), 0.5)
    b = cupy.ones((3, 1000))
    expected = cupy.asnumpy(linear_recurrence(a, b))
    assert linear_recurrence(a, b, out=b) is b
    np.testing.assert_array_equal(cupy.asnumpy(b), expected)
