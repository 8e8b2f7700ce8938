"""softmax, log_softmax and logsumexp (CPU kernel and CUDA kernel in the simulator) vs the reference."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kernels
from kernels import online_softmax, reference, tolerances
from kernels._parallel import PARALLEL_MIN

FUNCTIONS = ("softmax", "log_softmax", "logsumexp")
# Error bounds from each function's conditioning (derived in kernels.tolerances): they grow with
# the row length and the spread of the values, and hold on any instruction set and BLAS kernel.
BOUNDS = {
    "softmax": tolerances.softmax_bound,
    "log_softmax": tolerances.log_softmax_bound,
    "logsumexp": tolerances.logsumexp_bound,
}
# Wide enough to exercise the rescaling (exp of the raw values would overflow float32 and float16).
SPREAD = {np.float16: 2e4, np.float32: 1e4, np.float64: 1e4}

dtypes = st.sampled_from([np.float16, np.float32, np.float64])
functions = st.sampled_from(FUNCTIONS)


@st.composite
def arrays_and_axes(draw, max_side=40, max_dims=3):
    dtype = draw(dtypes)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=max_side))
    spread = draw(st.sampled_from([1.0, 30.0, SPREAD[dtype]]))
    elements = st.floats(-spread, spread, width=np.finfo(dtype).bits)
    x = draw(hnp.arrays(dtype, shape, elements=elements))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


def assert_close(actual, expected, name, x, axis=-1):
    """Within the bound for ``name`` on input ``x``; NaN and inf exactly where the reference has them."""
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    why = tolerances.compare(actual, expected, BOUNDS[name](x, expected.dtype, axis))
    assert why is None, why


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_bounds_reject_an_answer_with_one_wrong_value(name, dtype):
    # the bounds are loose enough for any rounding, never for a wrong value
    x = np.random.default_rng(18).normal(scale=3, size=(4, 300)).astype(dtype)
    wrong = getattr(reference, name)(x).copy()
    wrong.flat[3] += max(0.01, 0.01 * abs(float(wrong.flat[3])))
    assert (
        tolerances.compare(wrong, getattr(reference, name)(x), BOUNDS[name](x, dtype)) is not None
    )


# --- worked examples ----------------------------------------------------------------------------


def test_softmax_worked_example():
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    expected = np.array(
        [[0.09003057317038046, 0.24472847105479764, 0.6652409557748219], [1 / 3] * 3]
    )
    assert_close(kernels.softmax(x), expected, "softmax", x)


def test_log_softmax_and_logsumexp_are_consistent():
    x = np.array([[0.5, -1.0, 2.0, 7.0]], dtype=np.float32)
    log_y, lse, y = kernels.log_softmax(x), kernels.logsumexp(x), kernels.softmax(x)
    # |log_y - (x - lse)| is within the sum of the two functions' bounds
    bound = (
        tolerances.log_softmax_bound(x, x.dtype) + tolerances.logsumexp_bound(x, x.dtype)[:, None]
    )
    why = tolerances.compare(log_y, x.astype(np.float64) - lse[:, None], bound)
    assert why is None, why
    # exp(log_y) vs y: exp turns log_y's absolute error b into a relative e**b - 1 (4u for exp)
    exact = reference.softmax(x.astype(np.float64))
    u = tolerances.unit_roundoff(np.float32)
    bound = exact * (np.expm1(tolerances.log_softmax_bound(x, x.dtype)) + 4 * u)
    why = tolerances.compare(np.exp(log_y), y, bound + tolerances.softmax_bound(x, x.dtype))
    assert why is None, why


# --- properties against the reference -----------------------------------------------------------


@given(arrays_and_axes(), functions)
def test_cpu_kernels_match_reference(x_axis, name):
    x, axis = x_axis
    assert_close(getattr(kernels, name)(x, axis), getattr(reference, name)(x, axis), name, x, axis)


@settings(max_examples=10)
@given(
    st.sampled_from([np.float32, np.float64]), st.integers(1, 4), st.integers(1000, 3000), functions
)
def test_rows_longer_than_one_block_match_reference(dtype, rows, n, name):
    x = np.random.default_rng(n).normal(scale=20.0, size=(rows, n)).astype(dtype)
    x[:, n // 2] += 100.0  # the maximum arrives in a later block: the sum must be rescaled
    assert_close(getattr(kernels, name)(x), getattr(reference, name)(x), name, x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_rows_on_both_sides_of_the_cached_row_length_match_reference(dtype):
    # rows up to CACHED_ROW_LENGTH take a max pass first; longer ones keep the online block recurrence
    for n in (online_softmax.CACHED_ROW_LENGTH, online_softmax.CACHED_ROW_LENGTH + 1500):
        x = np.random.default_rng(n).normal(scale=20.0, size=(6, n)).astype(dtype)
        x[0, n - 700] += 100.0  # the maximum arrives in the last block: every block is rescaled
        x[1, : n // 2] = -np.inf  # blocks of -inf before the first finite value
        x[2, n - 3] = np.inf
        x[3, 5] = np.nan
        x[4, 5] = -np.nan  # a NaN with the sign bit set, lowest in the bit-pattern order
        x[5] = -np.inf
        assert_close(kernels.softmax(x), reference.softmax(x), "softmax", x)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_serial_and_parallel_forms_both_match_reference(name):
    # kernels._parallel picks the form by size: one input below its threshold, one above
    rng = np.random.default_rng(11)
    for rows in (2, PARALLEL_MIN // 500 + 3):
        x = rng.normal(scale=30, size=(rows, 500)).astype(np.float32)
        x[0, 7] = np.inf
        x[-1, :] = -np.inf
        assert_close(getattr(kernels, name)(x), getattr(reference, name)(x), name, x)


def test_softmax_rows_sum_to_one():
    x = np.random.default_rng(3).normal(scale=50, size=(6, 2049)).astype(np.float32)
    total = kernels.softmax(x).sum(axis=-1, dtype=np.float64)
    # each term within its bound, and the float64 sum of 2049 terms within 2049 u64 of its value
    bound = tolerances.softmax_bound(x, x.dtype).sum(axis=-1) + 2049 * 2.0**-53 * 1.01
    why = tolerances.compare(total, np.ones(6), bound)
    assert why is None, why


# --- extremes and special values ----------------------------------------------------------------


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype, big", [(np.float32, 1e30), (np.float16, 6e4)])
def test_huge_values_do_not_overflow(name, dtype, big):
    x = np.array([[big, -big, big, 0.0], [-big, -big, -big, -big]], dtype=dtype)
    out = getattr(kernels, name)(x)
    assert np.isfinite(out[out > -np.inf]).all() and not np.isnan(out).any()
    assert_close(out, getattr(reference, name)(x), name, x)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_all_minus_inf_slice_matches_reference(name):
    x = np.full((4, 2500), -np.inf, dtype=np.float32)
    x[1, 7] = 2.0
    x[2, 1400] = 0.0
    x[3, [1100, 2400]] = [-1e30, -3e29]  # the first finite values arrive after a block of -inf
    out = getattr(kernels, name)(x)
    assert_close(out, getattr(reference, name)(x), name, x)
    if name == "logsumexp":
        assert out[0] == -np.inf
    else:
        assert np.isnan(out[0]).all()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_plus_inf_and_nan_match_reference(name):
    x = np.ones((4, 1100))
    x[0, 3] = np.inf
    x[1, [5, 1050]] = np.inf
    x[2, 9] = np.nan
    x[3, [0, 1]] = [np.inf, np.nan]
    assert_close(getattr(kernels, name)(x), getattr(reference, name)(x), name, x)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_plus_inf_beside_a_value_whose_exp_overflows_matches_reference(name):
    # exp(710) overflows float64: the reference must shift by the +inf maximum too, not by 0
    x = np.array([[np.inf, 710.0], [710.0, np.inf]])
    expected = {"softmax": [np.nan, 0.0], "log_softmax": [np.nan, -np.inf], "logsumexp": np.inf}
    out = getattr(kernels, name)(x)
    np.testing.assert_array_equal(out[0], expected[name])
    np.testing.assert_array_equal(out, getattr(reference, name)(x))


def test_empty_inputs():
    assert kernels.softmax(np.zeros((0, 4), np.float32)).shape == (0, 4)
    assert kernels.softmax(np.zeros((3, 0))).shape == (3, 0)
    np.testing.assert_array_equal(kernels.logsumexp(np.zeros((2, 0))), [-np.inf, -np.inf])


# --- input conversion and bad input -------------------------------------------------------------


def test_integer_input_is_converted_as_numpy_converts():
    x = np.array([[1, 2, 3]], dtype=np.int16)
    out = kernels.softmax(x)
    assert out.dtype == np.float32
    assert_close(out, reference.softmax(x.astype(np.float32)), "softmax", x)
    assert kernels.logsumexp([1, 2, 3]).dtype == np.float64


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [">f2", ">f4", ">f8", ">i4"])
def test_non_native_byte_order_is_accepted(name, dtype):
    x = np.linspace(-5.0, 7.0, 24).reshape(4, 6).astype(dtype)
    native = x.astype(x.dtype.newbyteorder("="))
    out = getattr(kernels, name)(x)
    assert out.dtype.isnative and out.dtype == getattr(kernels, name)(native).dtype
    np.testing.assert_array_equal(out, getattr(kernels, name)(native))
    assert_close(out, getattr(reference, name)(x), name, native)


def test_axis_out_of_range_raises_value_error():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        kernels.softmax(np.ones((2, 3)), axis=2)


def test_non_integer_axis_raises_type_error():
    with pytest.raises(TypeError, match="axis must be an integer"):
        kernels.log_softmax(np.ones(3), axis=0.5)


def test_complex_input_raises_type_error():
    with pytest.raises(TypeError, match="x must hold real numbers"):
        kernels.logsumexp(np.ones(3, dtype=np.complex128))


# --- the readable form --------------------------------------------------------------------------


@given(st.lists(st.floats(-700, 700) | st.just(-np.inf), min_size=1, max_size=20))
def test_online_recurrence_on_lists_matches_reference(values):
    x = np.array(values)
    actual = np.float64(online_softmax.online_logsumexp_1d(values))
    why = tolerances.compare(actual, reference.logsumexp(x), tolerances.logsumexp_bound(x, x.dtype))
    assert why is None, why


# --- the CUDA kernel (simulator on a machine without a GPU) -------------------------------------


def _launch(x, axis, kind, **options):
    """The CUDA launcher with an output allocated as the public function allocates it."""
    from kernels import online_softmax_cuda

    axis = axis % x.ndim
    shape = x.shape[:axis] + x.shape[axis + 1 :] if kind == "logsumexp" else x.shape
    out = np.empty(shape, dtype=x.dtype)
    assert online_softmax_cuda.launch(x, axis, kind, out, **options) is out
    np.testing.assert_array_equal(online_softmax_cuda.launch(x, axis, kind, **options), out)
    return out


@settings(max_examples=4)
@given(arrays_and_axes(max_side=5, max_dims=2), functions)
def test_cuda_kernel_matches_reference(x_axis, name):
    x, axis = x_axis
    out = _launch(x, axis, name, threads=32)
    assert_close(out, getattr(reference, name)(x, axis), name, x, axis)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the simulator's -inf - -inf
@pytest.mark.parametrize("n", [150, 1100])  # a warp per row, a block of two warps per row
def test_cuda_kernel_handles_special_rows_and_several_warps(n):
    x = np.random.default_rng(5).normal(scale=30, size=(5, n)).astype(np.float32)
    x[0] = -np.inf
    x[1, 100] = np.inf
    x[2, 3] = np.nan
    x[3, n - 1] = 1e30
    x[4, 140:] = -np.inf
    for name in FUNCTIONS:
        assert_close(_launch(x, -1, name, threads=64), getattr(reference, name)(x), name, x)


def test_cuda_kernel_on_empty_rows():
    np.testing.assert_array_equal(
        _launch(np.zeros((2, 0), np.float32), -1, "logsumexp"), [-np.inf] * 2
    )
    assert _launch(np.zeros((0, 3)), 0, "softmax").shape == (0, 3)


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_cupy_input_gives_cupy_output_matching_reference(dtype, name):
    import cupy

    x = np.random.default_rng(7).normal(scale=10, size=(300, 5000)).astype(dtype)
    for axis in (-1, 0):
        out = getattr(kernels, name)(cupy.asarray(x), axis)
        assert isinstance(out, cupy.ndarray)
        assert_close(cupy.asnumpy(out), getattr(reference, name)(x, axis), name, x, axis)


def test_polynomial_exp_is_accurate_to_about_one_ulp():
    # kernels.tolerances counts on 4u = 2 eps; the polynomial's own error is below 1 eps
    import numba

    from kernels._fastmath import exp_nonpositive

    @numba.njit
    def exp_all(values):
        out = np.empty_like(values)
        for i in range(values.shape[0]):
            out[i] = exp_nonpositive(values[i])
        return out

    x = np.linspace(-87.0, 0.0, 200_001, dtype=np.float32)
    got = exp_all(x).astype(np.float64)
    exact = np.exp(x.astype(np.float64))
    assert np.max(np.abs(got - exact) / exact) < 2 * np.finfo(np.float32).eps
    special = exp_all(np.array([0.0, -np.inf, -1000.0, np.nan], dtype=np.float32))
    assert special[0] == 1.0 and special[1] == 0.0 and special[2] == 0.0 and np.isnan(special[3])


# --- out= (numpy's rules: right shape and dtype, may be x itself, returned) ---


def _out_like(shape, dtype, layout):
    """An uninitialised array of ``shape`` in a C, Fortran or strided (every other element) layout."""
    if layout == "C":
        return np.full(shape, np.nan, dtype=dtype)
    if layout == "F":
        return np.full(shape, np.nan, dtype=dtype, order="F")
    wide = np.full((*shape[:-1], 2 * shape[-1]), np.nan, dtype=dtype)
    return wide[..., ::2]


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(arrays_and_axes(), st.sampled_from(["C", "F", "strided"]))
def test_out_receives_the_result_and_is_returned(name, case, layout):
    x, axis = case
    fn = getattr(kernels, name)
    out = _out_like(x.shape, x.dtype, layout)
    assert fn(x, axis, out=out) is out
    np.testing.assert_array_equal(out, fn(x, axis))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(arrays_and_axes())
def test_out_may_be_x_itself(name, case):
    x, axis = case
    fn = getattr(kernels, name)
    expected = getattr(reference, name)(x, axis)
    y = x.copy()
    assert fn(y, axis, out=y) is y
    # within the bound, not bit for bit: with input and output one array LLVM takes the scalar
    # form of a loop whose vector form sums in another order
    assert_close(y, expected, name, x, axis)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_bad_out_raises_naming_out(name):
    fn = getattr(kernels, name)
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    with pytest.raises(ValueError, match=r"out must have shape \(3, 4\), got \(4, 3\)"):
        fn(x, out=np.empty((4, 3)))
    with pytest.raises(
        TypeError, match=r"out must have dtype float64 \(the result\'s\), got float32"
    ):
        fn(x, out=np.empty((3, 4), np.float32))
    with pytest.raises(TypeError, match="out must be a numpy array, like the input, got list"):
        fn(x, out=[[0.0] * 4] * 3)
    read_only = np.empty((3, 4))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        fn(x, out=read_only)
    buffer = np.zeros(13)
    with pytest.raises(ValueError, match="out must not overlap x"):
        fn(buffer[1:].reshape(3, 4), out=buffer[:-1].reshape(3, 4))
    assert not buffer.any()  # refused before any work


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_cupy_out_receives_the_result(name):
    import cupy

    x = cupy.random.standard_normal((64, 300)).astype(cupy.float32)
    out = cupy.empty_like(x)
    fn = getattr(kernels, name)
    assert fn(x, 0, out=out) is out
    cupy.testing.assert_array_equal(out, fn(x, 0))
