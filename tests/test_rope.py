"""kernels.rope: the relative-position property first, then the CPU kernel and the CUDA kernel (in
the simulator where there is no GPU) against kernels.reference.rope, out=, and bad input."""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from ptx_support import compile_to_ptx

import kernels
from kernels import reference
from kernels.rotary import rope_pair
from kernels.tolerances import SAFETY, compare, rope_bound, unit_roundoff

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
DTYPES = [np.float16, np.float32, np.float64]


def assert_within_bound(actual, expected, x, positions=None, base=10000.0, interleaved=True):
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    bound = rope_bound(x, expected.dtype, positions, base, interleaved)
    message = compare(actual, expected, bound)
    assert message is None, message


@st.composite
def rope_cases(draw, max_rows=3, max_len=9, max_half=6, dtypes=DTYPES):
    dtype = draw(st.sampled_from(dtypes))
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=max_rows))
    length, half = draw(st.integers(0, max_len)), draw(st.integers(0, max_half))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((*lead, length, 2 * half)) * draw(st.sampled_from([1.0, 100.0]))
    kind = draw(st.sampled_from(["default", "int", "float", "large"]))
    if kind == "default":
        positions = None
    elif kind == "int":
        positions = rng.integers(-50, 5000, length)
    elif kind == "float":
        positions = rng.uniform(-10.0, 10.0, length)
    else:
        positions = rng.uniform(0, 1e7, length)
    base = draw(st.sampled_from([10000.0, 500000.0, 2.0]))
    return x.astype(dtype), positions, base, draw(st.booleans())


# --- the defining property, written first ------------------------------------------------------


@given(
    st.integers(1, 16),
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_rotated_query_dot_rotated_key_depends_only_on_the_offset(
    half, m, n, shift, interleaved, seed
):
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, 1, 2 * half))

    def score(pos_q, pos_k):
        rq = kernels.rope(q, np.array([pos_q]), interleaved=interleaved)
        rk = kernels.rope(k, np.array([pos_k]), interleaved=interleaved)
        return float(rq[0] @ rk[0])

    # The positions enter as angles of size up to |p| * 1: each rotated vector is off by the rope
    # bound, so the dot product by that bound times the other vector's size, twice.
    largest = max(abs(m), abs(n), abs(m + shift), abs(n + shift))
    err = (
        SAFETY
        * 4
        * unit_roundoff(np.float64)
        * (largest + 2)
        * np.sum(np.abs(q))
        * np.sum(np.abs(k))
    )
    assert abs(score(m, n) - score(m + shift, n + shift)) <= err
    # and it is the score of the unrotated query against the key turned back by m - n
    turned = reference.rope(k, np.array([float(n - m)]), interleaved=interleaved)
    assert abs(score(m, n) - float(q[0] @ turned[0])) <= err


@given(rope_cases(dtypes=[np.float32, np.float64]))
def test_rotation_preserves_the_norm_of_every_row(case):
    x, positions, base, interleaved = case
    out = kernels.rope(x, positions, base=base, interleaved=interleaved)
    norms, expected = (np.linalg.norm(a.astype(np.float64), axis=-1) for a in (out, x))
    bound = np.sqrt(np.sum(rope_bound(x, x.dtype, positions, base, interleaved) ** 2, axis=-1))
    assert np.all(
        np.abs(norms - expected) <= bound * 2 + SAFETY * unit_roundoff(x.dtype) * expected
    )


# --- properties against the reference -----------------------------------------------------------


@given(rope_cases())
def test_cpu_kernel_matches_the_reference(case):
    x, positions, base, interleaved = case
    assert_within_bound(
        kernels.rope(x, positions, base=base, interleaved=interleaved),
        reference.rope(x, positions, base=base, interleaved=interleaved),
        x,
        positions,
        base,
        interleaved,
    )


@given(rope_cases(dtypes=[np.float32, np.float64]))
def test_rotating_in_place_with_out_equal_to_x_matches_the_reference(case):
    x, positions, base, interleaved = case
    expected = reference.rope(x, positions, base=base, interleaved=interleaved)
    y = x.copy()
    result = kernels.rope(y, positions, base=base, interleaved=interleaved, out=y)
    assert result is y
    assert_within_bound(y, expected, x, positions, base, interleaved)


def test_the_two_layouts_rotate_different_pairs():
    x = np.arange(8.0).reshape(2, 4)
    interleaved = kernels.rope(x, interleaved=True)
    half = kernels.rope(x, interleaved=False)
    # position 1, pair 0 has angle 1: interleaved rotates (x0, x1), the half layout (x0, x2)
    np.testing.assert_allclose(interleaved[1, :2], rope_pair(4.0, 5.0, 1.0, 1.0), rtol=1e-14)
    np.testing.assert_allclose(half[1, [0, 2]], rope_pair(4.0, 6.0, 1.0, 1.0), rtol=1e-14)


def test_the_readable_pair_form_matches_the_reference():
    x = np.array([[0.3, -1.7]])
    expected = reference.rope(x, [12.5], base=3.0)
    np.testing.assert_allclose(rope_pair(0.3, -1.7, 12.5, 1.0), expected[0], rtol=1e-14)


# --- edges --------------------------------------------------------------------------------------


def test_position_zero_leaves_x_unchanged():
    x = np.random.default_rng(0).standard_normal((3, 1, 8)).astype(np.float32)
    np.testing.assert_array_equal(kernels.rope(x), x)


def test_empty_inputs_give_empty_outputs_of_the_same_shape_and_dtype():
    for shape in [(0, 4), (2, 0, 4), (3, 0), (2, 5, 0)]:
        out = kernels.rope(np.ones(shape, np.float32))
        assert out.shape == shape and out.dtype == np.float32


def test_float16_stays_float16_and_integer_input_becomes_float():
    assert kernels.rope(np.ones((2, 4), np.float16)).dtype == np.float16
    assert kernels.rope(np.ones((2, 4), np.int64)).dtype == np.float64


def test_non_native_byte_order_is_accepted():
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    swapped = x.astype(x.dtype.newbyteorder(">" if np.little_endian else "<"))
    np.testing.assert_array_equal(kernels.rope(swapped), kernels.rope(x))
    out = np.empty_like(swapped)
    kernels.rope(swapped, out=out)
    np.testing.assert_array_equal(out, kernels.rope(x))


def test_non_contiguous_x_and_out_match_the_reference():
    x = np.random.default_rng(2).standard_normal((4, 6, 8))[::2, :, :]
    out = np.zeros((2, 6, 16))[:, :, ::2]
    kernels.rope(x, out=out)
    assert_within_bound(out, reference.rope(x), x)


def test_out_overlapping_x_as_a_shifted_view_gets_the_right_answer():
    buffer = np.random.default_rng(3).standard_normal((5, 4))
    x, out = buffer[:4], buffer[1:]
    expected = reference.rope(x.copy())
    kernels.rope(x, out=out)
    assert_within_bound(out, expected, x)


def test_a_scalar_position_is_accepted_for_a_single_row():
    x = np.array([[1.0, 0.0]])
    np.testing.assert_allclose(kernels.rope(x, 2.0), reference.rope(x, [2.0]), rtol=1e-15)


def test_huge_positions_keep_their_precision_in_float32():
    x = np.ones((3, 2), np.float32)
    positions = np.array([1e6, 1e6 + 1, 3e9])
    assert_within_bound(kernels.rope(x, positions), reference.rope(x, positions), x, positions)


def test_positions_beyond_the_fast_reduction_take_the_library_sine():
    x = np.random.default_rng(6).standard_normal((2, 4, 6))
    positions = np.array([3.0, 2.0**51, -(2.0**60), 1e300])
    assert_within_bound(kernels.rope(x, positions), reference.rope(x, positions), x, positions)


def test_non_finite_positions_give_nan_as_the_reference_does():
    x = np.ones((3, 4), np.float32)
    positions = np.array([0.0, np.inf, np.nan])
    out, expected = kernels.rope(x, positions), reference.rope(x, positions)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    assert np.isnan(out[1:]).all() and not np.isnan(out[0]).any()


# --- bad input ----------------------------------------------------------------------------------


def test_odd_feature_size_raises_value_error():
    with pytest.raises(ValueError, match=r"even feature size D.*D = 5"):
        kernels.rope(np.ones((2, 5)))


def test_positions_of_the_wrong_length_raise_value_error():
    with pytest.raises(ValueError, match=r"positions must have shape \(3,\).*\(4,\)"):
        kernels.rope(np.ones((3, 4)), np.arange(4))
    with pytest.raises(ValueError, match=r"positions must have shape \(3,\)"):
        kernels.rope(np.ones((3, 4)), np.zeros((3, 1)))


def test_positions_that_are_not_numbers_raise_type_error():
    with pytest.raises(TypeError, match="positions must hold integers or floats"):
        kernels.rope(np.ones((2, 4)), np.array([True, False]))
    with pytest.raises(TypeError, match="positions must hold integers or floats"):
        kernels.rope(np.ones((2, 4)), ["a", "b"])


def test_non_bool_interleaved_raises_type_error():
    with pytest.raises(TypeError, match="interleaved must be a bool, got int"):
        kernels.rope(np.ones((2, 4)), interleaved=1)


def test_bad_base_raises():
    with pytest.raises(TypeError, match="base must be a real number, got str"):
        kernels.rope(np.ones((2, 4)), base="10000")
    with pytest.raises(ValueError, match="base must be a finite number > 0, got 0"):
        kernels.rope(np.ones((2, 4)), base=0)
    with pytest.raises(TypeError, match="base must be a real number, got bool"):
        kernels.rope(np.ones((2, 4)), base=True)


def test_x_with_fewer_than_two_dimensions_or_complex_values_is_refused():
    with pytest.raises(ValueError, match="x must have at least 2 dimensions"):
        kernels.rope(np.ones(4))
    with pytest.raises(TypeError, match="x must hold real numbers"):
        kernels.rope(np.ones((2, 4), complex))


def test_bad_out_raises_naming_out():
    x = np.ones((2, 4), np.float32)
    with pytest.raises(ValueError, match=r"out must have the shape of x \(2, 4\)"):
        kernels.rope(x, out=np.empty((4, 2), np.float32))
    with pytest.raises(TypeError, match="out must have the dtype of x"):
        kernels.rope(x, out=np.empty((2, 4), np.float64))
    with pytest.raises(TypeError, match="out must be a numpy array"):
        kernels.rope(x, out=[[0.0] * 4] * 2)
    readonly = np.empty((2, 4), np.float32)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        kernels.rope(x, out=readonly)


def test_bad_input_leaves_out_untouched():
    out = np.full((2, 4), 7.0)
    with pytest.raises(ValueError):
        kernels.rope(np.ones((2, 4)), np.arange(3), out=out)
    np.testing.assert_array_equal(out, 7.0)


# --- the CUDA kernel (simulator where there is no GPU) -------------------------------------------


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
@settings(max_examples=4)
@given(rope_cases(max_rows=2, max_len=4, max_half=3))
def test_cuda_kernel_matches_the_reference(case):
    from kernels import rotary_cuda

    x, positions, base, interleaved = case
    rows = (int(np.prod(x.shape[:-2])), *x.shape[-2:])
    pos = (
        np.arange(x.shape[-2], dtype=np.float64)
        if positions is None
        else positions.astype(np.float64)
    )
    inv_freq = base ** (-np.arange(0, x.shape[-1], 2, dtype=np.float64) / max(x.shape[-1], 1))
    out = np.empty(rows, dtype=x.dtype)
    rotary_cuda.launch(
        x.reshape(rows), pos, inv_freq, interleaved, out, None, block=4, rows_per_thread=2
    )
    expected = reference.rope(x, positions, base=base, interleaved=interleaved)
    assert_within_bound(out.reshape(x.shape), expected, x, positions, base, interleaved)


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
def test_cuda_kernel_rotates_in_place():
    from kernels import rotary_cuda

    x = np.random.default_rng(4).standard_normal((3, 2, 4)).astype(np.float32)
    y = x.copy()
    inv_freq = 10000.0 ** (-np.arange(0, 4, 2) / 4)
    rotary_cuda.launch(
        y, np.array([5.0, -7.0]), inv_freq, False, y, None, block=4, rows_per_thread=2
    )
    expected = reference.rope(x, [5.0, -7.0], interleaved=False)
    assert_within_bound(y, expected, x, [5.0, -7.0], interleaved=False)


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("interleaved", [False, True])
def test_cupy_input_gives_cupy_output_matching_the_reference(dtype, interleaved):
    import cupy

    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 257, 64)).astype(dtype)
    positions = rng.integers(0, 100000, 257)
    out = kernels.rope(cupy.asarray(x), cupy.asarray(positions), interleaved=interleaved)
    assert isinstance(out, cupy.ndarray)
    expected = reference.rope(x, positions, interleaved=interleaved)
    assert_within_bound(cupy.asnumpy(out), expected, x, positions, interleaved=interleaved)
    y = cupy.asarray(x)
    kernels.rope(y, cupy.asarray(positions), interleaved=interleaved, out=y)
    assert_within_bound(cupy.asnumpy(y), expected, x, positions, interleaved=interleaved)


# --- the CUDA kernel compiled by the real compiler (PTX for compute capability 9.0) -------------
#
# The simulator runs kernels as Python and cannot see what NVVM rejects (typing, shared-memory
# shapes, conversions). This compiles every variant the launcher uses, in a subprocess with the
# simulator off; skipped where numba finds no CUDA compiler (libNVVM and NVRTC).

_PTX_BODY = r"""
from kernels import rotary_cuda

for dtype, acc in (("float16", "float32"), ("float32", "float32"), ("float64", "float64")):
    kernel = rotary_cuda._rope_kernel(acc)
    rows, table = array(dtype, 3), array("float64", 1)
    sig = (rows, table, table, numba.boolean, rows, numba.int64)
    check(f"rope-{dtype}", kernel.py_func, sig)
"""


def _compile_to_ptx():
    return compile_to_ptx(_PTX_BODY)


def test_cuda_kernel_compiles_to_ptx_for_every_dtype():
    # float32 keeps its angle in float64 on purpose (positions of any size), so f64 is not counted
    results = _compile_to_ptx()
    for dtype in ("float16", "float32", "float64"):
        assert "error" not in results[f"rope-{dtype}"], results[f"rope-{dtype}"]


# --- the practice problem (problems/rope.py) ------------------------------------------------


def test_practice_problem_examples_agree_with_its_reference():
    from problems.rope import PROBLEM

    for example in PROBLEM.examples:
        expected = PROBLEM.reference(*example.args)
        assert PROBLEM.compare(example.expected, expected, example.args) is None, example


@pytest.mark.parametrize("kind, passes", [("", True), ("_wrong", False)])
def test_practice_problem_judges_the_example_solutions(kind, passes):
    import problems
    from problems.rope import PROBLEM

    path = os.path.join(
        os.path.dirname(os.path.dirname(__file__)), "problems", "examples", "rope" + kind + ".py"
    )
    verdict = problems.check(PROBLEM, path, max_examples=20, complexity=False)
    assert verdict.passed is passes, verdict.report()
    if not passes:
        assert verdict.status == "wrong answer"
