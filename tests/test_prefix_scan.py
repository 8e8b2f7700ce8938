"""kernels.scan against kernels.reference.scan: CPU kernels (sequential, blocked, middle-axis) and
the decoupled look-back CUDA kernel (in the simulator where there is no GPU)."""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kernels import reference, scan
from kernels._parallel import PARALLEL_MIN
from kernels.prefix_scan import scan_list
from kernels.tolerances import compare, scan_bound

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"

# A few (op, dtype) pairs rather than the full cross product: every pair compiles its own kernels.
OP_DTYPES = [
    ("add", np.float64),
    ("add", np.float32),
    ("add", np.float16),
    ("add", np.int64),
    ("add", np.int8),
    ("mul", np.float64),
    ("mul", np.int16),
    ("max", np.float32),
    ("max", np.uint8),
    ("min", np.int32),
    ("min", np.float64),
]


def _elements(op, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return hnp.from_dtype(dtype)  # the whole range: sums and products wrap
    if op == "mul":
        return st.floats(-2, 2, width=dtype.itemsize * 8)
    return st.floats(-1000, 1000, width=dtype.itemsize * 8)


@st.composite
def scan_cases(draw, max_dims=3, max_side=12):
    op, dtype = draw(st.sampled_from(OP_DTYPES))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=0, max_side=max_side))
    x = draw(hnp.arrays(dtype, shape, elements=_elements(op, dtype)))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    inclusive = draw(st.booleans())
    return x, op, axis, inclusive


def assert_matches(out, expected, x, op, axis, inclusive):
    """Exact for integers; for floats within :func:`kernels.tolerances.scan_bound`, the error
    bound of a scan of ``x`` (an exclusive scan's value at ``i`` is the inclusive one at ``i - 1``,
    and its first value, the identity, is exact)."""
    assert out.dtype == expected.dtype
    assert out.shape == expected.shape
    if out.dtype.kind in "iu":
        np.testing.assert_array_equal(out, expected)
        return
    axis = axis % x.ndim
    bound = scan_bound(x, op, out.dtype, axis)
    if not inclusive and x.shape[axis] > 0:
        bound = np.roll(bound, 1, axis=axis)
        np.moveaxis(bound, axis, 0)[0] = 0.0
    problem = compare(out, expected, bound)
    assert problem is None, problem


def check(x, op="add", axis=-1, inclusive=True):
    """``scan`` against the reference on the same arguments."""
    with np.errstate(over="ignore"):
        expected = reference.scan(x, op, axis, inclusive=inclusive)
    assert_matches(scan(x, op, axis, inclusive=inclusive), expected, x, op, axis, inclusive)


# --- worked examples and the readable form ---


def test_add_scan_of_a_short_row_gives_the_running_sums():
    np.testing.assert_array_equal(scan(np.array([3, 1, 4, 1, 5])), [3, 4, 8, 9, 14])


def test_exclusive_scan_starts_from_the_identity_and_drops_the_last_value():
    np.testing.assert_array_equal(scan(np.array([3.0, 1.0, 4.0]), inclusive=False), [0.0, 3.0, 4.0])
    np.testing.assert_array_equal(
        scan(np.array([3.0, 1.0, 4.0]), op="mul", inclusive=False), [1.0, 3.0, 3.0]
    )


def test_a_list_is_scanned_as_an_array():
    out = scan([1, 2, 3], op="mul")
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, [1, 2, 6])


# At most 10 values of |v| <= 50: products stay below 2**63, where Python ints and int64 agree.
@given(
    st.lists(st.integers(-50, 50), max_size=10),
    st.sampled_from(["add", "mul", "max", "min"]),
    st.booleans(),
)
def test_the_readable_list_scan_matches_the_array_scan(values, op, inclusive):
    expected = reference.scan(np.array(values, dtype=np.int64), op, inclusive=inclusive)
    got = scan_list(values, op, inclusive=inclusive)
    if op in ("max", "min") and not inclusive and values:
        got[0] = expected[0]  # the list form's identity is -inf / inf, not the int64 extreme
    assert got == expected.tolist()


# --- properties against the reference ---


@given(scan_cases())
def test_scan_matches_the_reference_on_random_shapes_axes_and_dtypes(case):
    x, op, axis, inclusive = case
    check(x, op, axis, inclusive=inclusive)


def test_rows_spread_over_the_cores_match_the_reference():
    # Above PARALLEL_MIN elements the rows run in parallel.
    x = np.random.default_rng(0).standard_normal((64, PARALLEL_MIN // 64 + 1))
    for op, inclusive in (("add", True), ("max", False)):
        check(x, op, 1, inclusive=inclusive)


def test_a_middle_axis_wider_than_one_task_chunk_is_scanned_in_parallel():
    # 600 columns: a chunk of 512 and a ragged one, per outer slice, above PARALLEL_MIN in all.
    x = np.random.default_rng(1).standard_normal((2, PARALLEL_MIN // 1200 + 1, 600))
    for inclusive in (True, False):
        check(x, "add", 1, inclusive=inclusive)
    check(x.astype(np.int32), "mul", 1)


def test_a_long_float_row_matches_the_reference():
    check(np.random.default_rng(2).standard_normal(1 << 19))


@pytest.mark.parametrize("op, dtype", OP_DTYPES)
def test_rows_of_every_length_around_the_blocks_of_8_match_the_reference(op, dtype):
    # A row runs in blocks of 8 and ends with 0 to 7 elements one by one: every tail length, over
    # one to four whole blocks, both scans, and the inclusive scan written into x itself.
    rng = np.random.default_rng(7)
    for n in range(33):
        x = rng.integers(-9, 10, (2, n)).astype(dtype)
        if op == "mul" and np.dtype(dtype).kind == "f":
            x = rng.uniform(0.5, 2.0, (2, n)).astype(dtype)
        for inclusive in (True, False):
            check(x, op, 1, inclusive=inclusive)
        with np.errstate(over="ignore"):
            expected = reference.scan(x, op, 1)
        inplace = x.copy()
        if inplace.dtype == expected.dtype:
            assert scan(inplace, op, out=inplace) is inplace
            assert_matches(inplace, expected, x, op, 1, True)


def test_max_and_min_inside_a_block_keep_nan_and_the_first_of_equal_values():
    # The block takes the local maximum of its 8 values before the running one: a NaN anywhere
    # in it must still win from there on, and of 0.0 and -0.0 the first one seen is kept.
    x = np.array([1.0, 3.0, np.nan, 2.0, 5.0, 0.0, 1.0, 9.0, 4.0, 10.0])
    np.testing.assert_array_equal(scan(x, "max"), np.maximum.accumulate(x))
    np.testing.assert_array_equal(scan(x, "min"), np.minimum.accumulate(x))
    zeros = np.array([-0.0, 0.0, 0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert np.all(np.signbit(scan(zeros, "max")))
    assert not np.any(np.signbit(scan(-zeros, "min")))


# --- edges ---


def test_scan_of_a_single_element_is_that_element_or_the_identity():
    np.testing.assert_array_equal(scan(np.array([7], dtype=np.int32), op="mul"), [7])
    np.testing.assert_array_equal(
        scan(np.array([7], dtype=np.int32), op="mul", inclusive=False), [1]
    )


def test_an_empty_axis_gives_an_empty_result_of_the_same_shape_and_dtype():
    for shape, axis in (((0,), 0), ((3, 0), 1), ((0, 4), 1), ((2, 0, 3), 1)):
        out = scan(np.zeros(shape, dtype=np.float32), axis=axis, inclusive=False)
        assert out.shape == shape and out.dtype == np.float32


def test_mul_scan_goes_through_zeros_and_negatives():
    x = np.array([-2.0, 3.0, 0.0, -5.0, 4.0])
    np.testing.assert_array_equal(scan(x, op="mul"), [-2.0, -6.0, -0.0, 0.0, 0.0])
    np.testing.assert_array_equal(
        scan(x.astype(np.int64), op="mul", inclusive=False), [1, -2, -6, 0, 0]
    )


def test_max_and_min_propagate_nan_like_numpy_accumulate():
    x = np.array([1.0, 3.0, np.nan, 5.0, 0.0])
    np.testing.assert_array_equal(scan(x, op="max"), np.maximum.accumulate(x))
    np.testing.assert_array_equal(scan(x, op="min"), np.minimum.accumulate(x))
    assert np.isnan(scan(np.array([np.nan, 1.0]), op="min")).all()


@pytest.mark.parametrize(
    "dtype, op, identity",
    [
        (np.int8, "max", -128),
        (np.uint16, "min", 65535),
        (np.int64, "min", np.iinfo(np.int64).max),
        (np.float32, "max", -np.inf),
        (np.float64, "min", np.inf),
        (np.uint8, "mul", 1),
        (np.float16, "add", 0),
    ],
)
def test_exclusive_scan_starts_from_the_identity_of_each_dtype(dtype, op, identity):
    out = scan(np.array([5, 6], dtype=dtype), op=op, inclusive=False)
    assert out.dtype == dtype and out[0] == identity and out[1] == 5


def test_integer_sums_and_products_wrap_at_the_dtype_extremes():
    big = np.iinfo(np.int64).max
    np.testing.assert_array_equal(
        scan(np.array([big, 1, 1], dtype=np.int64)), [big, -(2**63), -(2**63) + 1]
    )
    np.testing.assert_array_equal(
        scan(np.array([100, 2, 2], dtype=np.int8), op="mul"), [100, -56, -112]
    )
    np.testing.assert_array_equal(scan(np.array([255, 1], dtype=np.uint8)), [255, 0])
    np.testing.assert_array_equal(scan(np.array([2**63, 2**63], dtype=np.uint64)), [2**63, 0])


def test_float16_is_accumulated_in_float32_and_rounded_per_output():
    x = np.full(3000, 0.1, dtype=np.float16)
    out = scan(x)
    assert out.dtype == np.float16
    # A float16 running sum stalls at 256 (0.1 is below half an ulp there); float32 does not.
    assert abs(float(out[-1]) - 3000 * float(np.float16(0.1))) < 2.0


def test_bool_input_is_scanned_as_the_default_integer_as_np_cumsum_does():
    # Regression: bool input became float16, so 70 000 Trues summed to inf.
    x = np.ones(70_000, dtype=bool)
    out = scan(x)
    assert out.dtype == np.cumsum(x).dtype == np.int_
    np.testing.assert_array_equal(out, np.cumsum(x))
    np.testing.assert_array_equal(
        scan(x[:3], op="max", inclusive=False), reference.scan(x[:3], "max", inclusive=False)
    )


@pytest.mark.parametrize("dtype", [">i8", ">f8", ">f4", "<i2"])
def test_non_native_byte_order_is_scanned_as_its_native_twin(dtype):
    # Regression: ">i8" reached numba unconverted (TypingError); ">f8" was refused as non-numeric.
    x = np.array([3, -1, 4, 1, -5], dtype=dtype)
    native = x.astype(x.dtype.newbyteorder("="))
    for op in ("add", "min"):
        out = scan(x, op)
        assert out.dtype == native.dtype
        np.testing.assert_array_equal(out, scan(native, op))
        np.testing.assert_array_equal(reference.scan(x, op), reference.scan(native, op))


def test_a_float32_sum_that_overflows_stays_inf_in_kernel_and_reference():
    # Regression: the kernel gave [3.4e38, inf, inf] and the reference [3.4e38, inf, 3.4e38].
    x = np.array([3.4e38, 3.4e38, -3.4e38], dtype=np.float32)
    expected = np.array([3.4e38, np.inf, np.inf], dtype=np.float32)
    np.testing.assert_array_equal(reference.scan(x), expected)
    np.testing.assert_array_equal(scan(x), expected)
    # -inf after the overflow: inf + -inf is NaN, as the float32 loop makes it.
    y = np.array([3.4e38, 3.4e38, -np.inf, 1.0], dtype=np.float32)
    np.testing.assert_array_equal(scan(y), np.array([3.4e38, np.inf, np.nan, np.nan], np.float32))
    np.testing.assert_array_equal(reference.scan(y), scan(y))


def test_a_float32_product_that_underflows_stays_zero_in_kernel_and_reference():
    x = np.array([1e-30, -1e-30, 1e30, 1e30], dtype=np.float32)
    for f in (scan, reference.scan):
        out = f(x, "mul")
        np.testing.assert_array_equal(out, np.array([1e-30, 0.0, 0.0, 0.0], dtype=np.float32))
        assert np.signbit(out[1:]).all()  # -0.0: the sign of the product survives


def test_float16_input_overflows_only_where_its_float32_sum_leaves_float16():
    x = np.array([60000, 60000, -60000], dtype=np.float16)
    expected = np.array([60000, np.inf, 60000], dtype=np.float16)
    np.testing.assert_array_equal(reference.scan(x), expected)
    np.testing.assert_array_equal(scan(x), expected)


# --- bad input ---


@pytest.mark.parametrize("op", ["sum", "ADD", "", None, 3])
def test_an_unknown_op_raises_value_error(op):
    with pytest.raises(ValueError, match="op must be one of"):
        scan(np.arange(3), op=op)


def test_an_axis_out_of_range_raises_value_error():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        scan(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="axis -3 is out of range"):
        scan(np.zeros((2, 3)), axis=-3)


def test_a_non_integer_axis_raises_type_error():
    with pytest.raises(TypeError, match="axis must be an integer"):
        scan(np.zeros(3), axis=0.0)


@pytest.mark.parametrize("inclusive", ["yes", None, 0, 1.0])
def test_a_non_bool_inclusive_raises_type_error_in_kernel_and_reference(inclusive):
    # Regression: the reference took None (and any object) as a truth value.
    for f in (scan, reference.scan):
        with pytest.raises(TypeError, match="inclusive must be a bool"):
            f(np.zeros(3), inclusive=inclusive)


@pytest.mark.parametrize(
    "x", [np.array(["a", "b"]), np.array([1 + 2j]), np.array([object()]), {"a": 1}]
)
def test_non_numeric_input_raises_type_error(x):
    with pytest.raises(TypeError, match="x must"):
        scan(x)


def test_a_zero_dimensional_array_raises_value_error():
    with pytest.raises(ValueError, match="out of range"):
        scan(np.float64(3.0))


# --- the CUDA kernel (simulator where there is no GPU) ---

CUDA_OP_DTYPES = [
    ("add", np.float64),
    ("add", np.int8),
    ("add", np.float16),
    ("mul", np.int64),
    ("max", np.float32),
    ("min", np.uint16),
]


@st.composite
def cuda_cases(draw):
    op, dtype = draw(st.sampled_from(CUDA_OP_DTYPES))
    # Up to 4 tiles of 32 x 2 values per row (200; 128 fills two exactly), at most 10 short rows.
    shape = draw(st.sampled_from([(1, 200), (3, 70), (128,), (2, 5, 3)]))
    x = draw(hnp.arrays(dtype, shape, elements=_elements(op, dtype)))
    axis = x.ndim - 1 if x.ndim < 3 else draw(st.sampled_from([1, 2]))
    return x, op, axis, draw(st.booleans()), draw(st.booleans())


simulator_only = pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays go to the kernel directly only in the simulator"
)


@simulator_only
@pytest.mark.filterwarnings("ignore:overflow encountered")
@settings(max_examples=5)
@given(cuda_cases())
def test_the_look_back_kernel_matches_the_reference_over_several_tiles(case):
    from kernels.prefix_scan_cuda import launch

    x, op, axis, inclusive, force_walk = case
    with np.errstate(over="ignore"):
        expected = reference.scan(x, op, axis, inclusive=inclusive)
        out = launch(x, op, axis, inclusive, None, None, block=32, items=2, force_walk=force_walk)
    assert_matches(out, expected, x, op, axis, inclusive)


@simulator_only
def test_a_forced_look_back_walks_over_more_than_one_window_of_32_tiles():
    from kernels.prefix_scan_cuda import launch

    # 34 tiles of 32: the last tiles see 32 aggregates in their first window and go on to the
    # row's first tile, the only one that publishes an inclusive prefix.
    x = np.random.default_rng(3).integers(-1000, 1000, (1, 34 * 32 - 5), dtype=np.int32)
    out = launch(x, "add", 1, True, None, None, block=32, items=1, force_walk=True)
    np.testing.assert_array_equal(out, reference.scan(x, "add", 1))


@simulator_only
def test_a_published_negative_zero_stays_negative_for_every_reader():
    # Regression: the look-back read values with atomic.add(x, 0), which writes -0.0 + 0 = +0.0
    # back: the first tile's prefix, read by every later tile in a forced walk, lost its sign.
    from kernels.prefix_scan_cuda import launch

    x = np.ones(200, dtype=np.float32)
    x[0] = -0.0
    out = launch(x, "mul", 0, True, None, None, block=32, items=2, force_walk=True)
    assert (out == 0).all() and np.signbit(out).all()


@simulator_only
def test_the_look_back_kernel_handles_nan_empty_and_two_warps():
    from kernels.prefix_scan_cuda import launch

    x = np.array([1.0, np.nan, 2.0] + [0.5] * 200)
    out = launch(x, "max", 0, True, None, None, block=64, items=2)
    assert_matches(out, np.maximum.accumulate(x), x, "max", 0, True)
    assert launch(np.zeros((2, 0)), "add", 1, True, None, None).shape == (2, 0)


@simulator_only
def test_the_launcher_writes_into_out_when_given():
    from kernels.prefix_scan_cuda import launch

    x = np.arange(12, dtype=np.int16).reshape(3, 4)
    out = np.full((3, 4), -1, dtype=np.int16)
    assert launch(x, "add", 0, False, out, None, block=32, items=1) is out
    np.testing.assert_array_equal(out, reference.scan(x, "add", 0, inclusive=False))


@pytest.mark.parametrize("block, items", [(48, 2), (0, 2), (2048, 1), (32, 0), (32, 1.5)])
def test_the_cuda_launcher_refuses_a_tile_that_is_not_whole_warps(block, items):
    from kernels.prefix_scan_cuda import launch

    with pytest.raises(ValueError, match=r"block must be|items must be"):
        launch(np.zeros(4), "add", 0, True, None, None, block=block, items=items)


@pytest.mark.gpu
def test_cupy_input_gives_cupy_output_equal_to_cupy_cumsum():
    import cupy

    for dtype in (cupy.float32, cupy.int32):
        x = cupy.random.randint(-100, 100, size=1 << 24).astype(dtype)
        out = scan(x)
        assert isinstance(out, cupy.ndarray) and out.dtype == dtype
        expected = (
            cupy.cumsum(x.astype(cupy.float64)).astype(dtype)
            if dtype == cupy.float32
            else cupy.cumsum(x)
        )
        assert_matches(cupy.asnumpy(out), cupy.asnumpy(expected), cupy.asnumpy(x), "add", 0, True)
    x = cupy.random.standard_normal((4, 1000, 33)).astype(cupy.float16)
    for op in ("add", "mul", "max", "min"):
        x_host = cupy.asnumpy(x)
        out = cupy.asnumpy(scan(x, op, axis=1, inclusive=False))
        assert_matches(out, reference.scan(x_host, op, 1, inclusive=False), x_host, op, 1, False)


@pytest.mark.gpu
def test_cupy_input_is_scanned_on_cupys_current_stream():
    import cupy

    x = cupy.arange(1 << 22, dtype=cupy.int32) % 7
    stream = cupy.cuda.Stream(non_blocking=True)
    with stream:
        y = x * 2  # ordered before the scan only by the stream
        out = scan(y)
    stream.synchronize()
    np.testing.assert_array_equal(cupy.asnumpy(out), np.cumsum(cupy.asnumpy(x) * 2, dtype=np.int32))


# --- out= (numpy's rules: right shape and dtype, returned; in place for inclusive scans) ---


def _out_like(shape, dtype, layout):
    """An uninitialised array of ``shape`` in a C, Fortran or strided layout."""
    fill = np.iinfo(dtype).max if np.dtype(dtype).kind in "iu" else np.nan
    if layout == "C" or not shape:
        return np.full(shape, fill, dtype=dtype)
    if layout == "F":
        return np.full(shape, fill, dtype=dtype, order="F")
    return np.full((*shape[:-1], 2 * shape[-1]), fill, dtype=dtype)[..., ::2]


@given(scan_cases(), st.sampled_from(["C", "F", "strided"]))
def test_out_receives_the_scan_and_is_returned(case, layout):
    x, op, axis, inclusive = case
    out = _out_like(x.shape, x.dtype, layout)
    assert scan(x, op, axis, inclusive=inclusive, out=out) is out
    np.testing.assert_array_equal(out, scan(x, op, axis, inclusive=inclusive))


@given(scan_cases())
def test_an_inclusive_scan_may_write_into_x(case):
    x, op, axis, _ = case
    expected = scan(x, op, axis)
    assert scan(x, op, axis, out=x) is x
    np.testing.assert_array_equal(x, expected)


def test_an_exclusive_scan_refuses_out_overlapping_x():
    x = np.arange(1, 9)
    with pytest.raises(ValueError, match="out must not overlap x"):
        scan(x, inclusive=False, out=x)
    np.testing.assert_array_equal(x, np.arange(1, 9))  # refused before any work
    buffer = np.arange(9)
    with pytest.raises(ValueError, match=r"out must not overlap x \(it may be x itself\)"):
        scan(buffer[1:], out=buffer[:-1])


def test_bad_out_raises_naming_out():
    x = np.arange(12, dtype=np.int32).reshape(3, 4)
    with pytest.raises(ValueError, match=r"out must have shape \(3, 4\), got \(12,\)"):
        scan(x, out=np.empty(12, np.int32))
    with pytest.raises(TypeError, match=r"out must have dtype int32 \(the result\'s\), got int64"):
        scan(x, out=np.empty((3, 4), np.int64))
    with pytest.raises(TypeError, match="out must be a numpy array"):
        scan(x, out=x.tolist())
    read_only = np.empty((3, 4), np.int32)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        scan(x, out=read_only)


@pytest.mark.gpu
def test_cupy_out_receives_the_scan_and_refuses_a_numpy_out():
    import cupy

    x = cupy.arange(1, 1 << 12, dtype=cupy.int64).reshape(-1, 3)
    out = cupy.empty_like(x)
    assert scan(x, axis=0, out=out) is out
    np.testing.assert_array_equal(cupy.asnumpy(out), np.cumsum(cupy.asnumpy(x), axis=0))
    with pytest.raises(TypeError, match="out must be a cupy array"):
        scan(x, out=np.empty(x.shape, np.int64))
