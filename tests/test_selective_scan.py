"""kernels.selective_scan: the CPU kernel and the CUDA kernel (in the simulator where there is no
GPU) against kernels.reference.selective_scan, a Python loop over time; the state holding at
delta = 0 and forgetting at large delta * A; bad input."""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ptx_support import compile_to_ptx

import kernels
from kernels import reference
from kernels.state_space import selective_scan_channel
from kernels.tolerances import compare, selective_scan_bound

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
DTYPES = [np.float16, np.float32, np.float64]


def assert_within_bound(actual, args):
    expected = reference.selective_scan(*args)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    message = compare(actual, expected, selective_scan_bound(*args, expected.dtype))
    assert message is None, message


@st.composite
def scan_cases(draw, max_batch=3, max_dim=5, max_len=40, max_n=6, dtypes=DTYPES):
    dtype = draw(st.sampled_from(dtypes))
    batch, dim = draw(st.integers(0, max_batch)), draw(st.integers(1, max_dim))
    length, n = draw(st.integers(0, max_len)), draw(st.integers(0, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # Mamba's parametrisation (delta > 0, A < 0) most of the time; a growing state (A > 0, small
    # delta) and negative delta sometimes, which take the kernel's general exp.
    regime = draw(st.sampled_from(["mamba", "mamba", "mamba", "growing", "signed"]))
    delta = rng.uniform(0.0, draw(st.sampled_from([0.1, 1.0, 10.0])), (batch, dim, length))
    A = -rng.uniform(0.0, 4.0, (dim, n))
    if regime == "growing":
        A, delta = -A, delta / 20
    elif regime == "signed":
        delta = delta * rng.choice([-0.1, 1.0], delta.shape)
    u = rng.standard_normal((batch, dim, length))
    B, C = rng.standard_normal((2, batch, n, length))
    D = draw(st.sampled_from([None, "given"]))
    D = rng.standard_normal(dim).astype(dtype) if D else None
    return tuple(a.astype(dtype) for a in (u, delta, A, B, C)) + (D,)


# --- worked examples ----------------------------------------------------------------------------


def test_delta_zero_holds_the_state():
    rng = np.random.default_rng(0)
    for dtype in DTYPES:
        u = rng.standard_normal((2, 3, 6)).astype(dtype)
        delta = np.zeros((2, 3, 6), dtype)
        delta[..., 0] = 0.5  # one step takes u in, the rest hold h
        A = -rng.uniform(0.5, 2.0, (3, 4)).astype(dtype)
        B = rng.standard_normal((2, 4, 6)).astype(dtype)
        C = np.repeat(rng.standard_normal((2, 4, 1)), 6, axis=-1).astype(dtype)
        y = kernels.selective_scan(u, delta, A, B, C)
        np.testing.assert_array_equal(y[..., 1:], np.repeat(y[..., :1], 5, axis=-1))
        assert_within_bound(y, (u, delta, A, B, C, None))


@pytest.mark.parametrize("dtype", DTYPES)
def test_large_delta_times_a_forgets_the_state_without_nan(dtype):
    rng = np.random.default_rng(1)
    big = 1e3 if dtype == np.float16 else 1e20
    delta = np.full((2, 3, 8), big, dtype)
    A = -rng.uniform(1.0, 5.0, (3, 4)).astype(dtype)
    u = rng.standard_normal((2, 3, 8)).astype(dtype) / big  # keeps delta * u of order 1
    B, C = rng.standard_normal((2, 2, 4, 8)).astype(dtype)
    y = kernels.selective_scan(u, delta, A, B, C)
    assert np.isfinite(y).all()
    # exp(delta * A) = 0: h_t = delta_t B_t u_t, nothing of the past remains
    memoryless = np.einsum(
        "bnl,bnl,bdl->bdl", C.astype(np.float64), B, delta * u.astype(np.float64)
    )
    # exp(delta * A) is exactly 0 in float64 too, so the memoryless sum is the exact answer
    bound = selective_scan_bound(u, delta, A, B, C, None, y.dtype)
    assert compare(y, memoryless, bound) is None
    assert_within_bound(y, (u, delta, A, B, C, None))


def test_one_state_of_constant_decay_is_the_geometric_sum():
    u, delta = np.ones((1, 1, 5)), np.full((1, 1, 5), np.log(2.0))
    y = kernels.selective_scan(
        u, delta, -np.ones((1, 1)), np.ones((1, 1, 5)), np.ones((1, 1, 5)), D=np.array([3.0])
    )
    expected = np.log(2.0) * (2.0 - 0.5 ** np.arange(5)) + 3.0
    np.testing.assert_allclose(y[0, 0], expected, rtol=1e-14)


def test_the_readable_channel_form_matches_the_reference():
    rng = np.random.default_rng(2)
    u, delta = rng.standard_normal((1, 1, 9)), rng.uniform(0, 1, (1, 1, 9))
    A, B, C = (
        -rng.uniform(0, 2, (1, 3)),
        rng.standard_normal((1, 3, 9)),
        rng.standard_normal((1, 3, 9)),
    )
    expected = reference.selective_scan(u, delta, A, B, C, np.array([0.7]))[0, 0]
    got = selective_scan_channel(u[0, 0], delta[0, 0], A[0], B[0].T.tolist(), C[0].T.tolist(), 0.7)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


# --- properties against the reference -----------------------------------------------------------


@given(scan_cases())
def test_cpu_kernel_matches_the_reference(case):
    assert_within_bound(kernels.selective_scan(*case), case)


@settings(max_examples=10)
@given(scan_cases(dtypes=[np.float32, np.float64]), st.sampled_from([0, 3, 17]))
def test_nan_in_delta_or_u_spreads_as_in_the_reference(case, where):
    u, delta, A, B, C, D = case
    if u.size:
        flat = (delta if where % 2 else u).reshape(-1)
        flat[where % flat.size] = np.nan
    assert_within_bound(kernels.selective_scan(u, delta, A, B, C, D), (u, delta, A, B, C, D))


def test_several_channel_blocks_and_time_chunks_match_the_reference():
    from kernels.state_space import _CHANNELS, _STEPS

    rng = np.random.default_rng(6)
    batch, dim, length, n = 2, _CHANNELS + 3, _STEPS + 37, 3
    args = (
        rng.standard_normal((batch, dim, length)).astype(np.float32),
        rng.uniform(0, 0.5, (batch, dim, length)).astype(np.float32),
        -rng.uniform(0, 2, (dim, n)).astype(np.float32),
        rng.standard_normal((batch, n, length)).astype(np.float32),
        rng.standard_normal((batch, n, length)).astype(np.float32),
        rng.standard_normal(dim).astype(np.float32),
    )
    assert_within_bound(kernels.selective_scan(*args), args)


# --- edges --------------------------------------------------------------------------------------


def test_empty_axes_give_empty_or_skip_only_outputs():
    for batch, dim, length, n in [(0, 2, 3, 2), (2, 2, 0, 2), (1, 2, 3, 0)]:
        u = np.ones((batch, dim, length), np.float32)
        B = np.ones((batch, n, length), np.float32)
        D = np.full(dim, 2.0, np.float32)
        y = kernels.selective_scan(u, u, -np.ones((dim, n), np.float32), B, B, D)
        assert y.shape == (batch, dim, length) and y.dtype == np.float32
        np.testing.assert_array_equal(y, 2.0 * u)  # no states: only the skip remains


def test_the_result_dtype_combines_all_inputs():
    u = np.ones((1, 2, 3), np.float16)
    A, B = -np.ones((2, 2), np.float16), np.ones((1, 2, 3), np.float16)
    assert kernels.selective_scan(u, u, A, B, B).dtype == np.float16
    assert kernels.selective_scan(u, u, A, B, B, D=np.ones(2)).dtype == np.float64
    assert kernels.selective_scan(u, u, A.astype(np.float32), B, B).dtype == np.float32


def test_non_native_byte_order_is_accepted():
    rng = np.random.default_rng(3)
    args = (
        rng.standard_normal((1, 2, 4)),
        rng.uniform(0, 1, (1, 2, 4)),
        -np.ones((2, 3)),
        rng.standard_normal((1, 3, 4)),
        rng.standard_normal((1, 3, 4)),
    )
    other = ">" if np.little_endian else "<"
    swapped = [a.astype(a.dtype.newbyteorder(other)) for a in args]
    np.testing.assert_array_equal(kernels.selective_scan(*swapped), kernels.selective_scan(*args))


def test_d_of_zeros_equals_no_d():
    rng = np.random.default_rng(4)
    u, delta = rng.standard_normal((2, 2, 5)), rng.uniform(0, 1, (2, 2, 5))
    A, B, C = -np.ones((2, 3)), rng.standard_normal((2, 3, 5)), rng.standard_normal((2, 3, 5))
    np.testing.assert_array_equal(
        kernels.selective_scan(u, delta, A, B, C, np.zeros(2)),
        kernels.selective_scan(u, delta, A, B, C),
    )


# --- bad input ----------------------------------------------------------------------------------


def _good():
    return {
        "u": np.ones((2, 3, 4)),
        "delta": np.ones((2, 3, 4)),
        "A": -np.ones((3, 5)),
        "B": np.ones((2, 5, 4)),
        "C": np.ones((2, 5, 4)),
        "D": np.ones(3),
    }


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("u", np.ones((3, 4)), r"u must have shape \(batch, dim, L\)"),
        ("delta", np.ones((2, 3, 5)), r"delta must have the shape of u \(2, 3, 4\)"),
        ("A", np.ones((4, 5)), r"A must have shape \(dim, N\) with dim = 3"),
        ("A", np.ones(3), r"A must have shape \(dim, N\)"),
        ("B", np.ones((2, 4, 4)), r"B must have shape \(batch, N, L\) = \(2, 5, 4\)"),
        ("C", np.ones((2, 5, 3)), r"C must have shape \(batch, N, L\) = \(2, 5, 4\)"),
        ("D", np.ones(4), r"D must have shape \(dim,\) = \(3,\)"),
    ],
)
def test_mismatched_shapes_raise_value_error_naming_the_argument(name, value, message):
    args = _good()
    args[name] = value
    with pytest.raises(ValueError, match=message):
        kernels.selective_scan(**args)


@pytest.mark.parametrize("name", ["u", "delta", "A", "B", "C", "D"])
def test_non_real_input_raises_type_error_naming_the_argument(name):
    args = _good()
    args[name] = args[name].astype(complex)
    with pytest.raises(TypeError, match=f"{name} must hold real numbers"):
        kernels.selective_scan(**args)


# --- the CUDA kernel (simulator where there is no GPU) -------------------------------------------


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
@settings(max_examples=4)
@given(scan_cases(max_batch=2, max_dim=3, max_len=7, max_n=3, dtypes=[np.float32, np.float64]))
def test_cuda_kernel_matches_the_reference_over_several_chunks_and_tiles(case):
    from kernels import state_space_cuda

    u, delta, A, B, C, D = case
    y = np.empty(u.shape, u.dtype)
    has_d = D is not None
    D_or_zeros = np.zeros(u.shape[1], u.dtype) if D is None else D
    state_space_cuda.launch(u, delta, A, B, C, D_or_zeros, has_d, y, None, d_tile=2, t_chunk=3)
    assert_within_bound(y, case)


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
def test_cuda_kernel_refuses_more_states_than_its_limit():
    from kernels import state_space_cuda

    u = np.ones((1, 1, 2), np.float32)
    A = -np.ones((1, state_space_cuda.MAX_N + 1), np.float32)
    B = np.ones((1, state_space_cuda.MAX_N + 1, 2), np.float32)
    with pytest.raises(ValueError, match=f"N = {state_space_cuda.MAX_N + 1}"):
        state_space_cuda.launch(u, u, A, B, B, np.zeros(1, np.float32), False, np.empty_like(u))


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_cupy_input_gives_cupy_output_matching_the_reference(dtype):
    import cupy

    rng = np.random.default_rng(5)
    batch, dim, length, n = 2, 70, 300, 16
    args = (
        rng.standard_normal((batch, dim, length)).astype(dtype),
        rng.uniform(0, 1, (batch, dim, length)).astype(dtype),
        -rng.uniform(0, 4, (dim, n)).astype(dtype),
        rng.standard_normal((batch, n, length)).astype(dtype),
        rng.standard_normal((batch, n, length)).astype(dtype),
        rng.standard_normal(dim).astype(dtype),
    )
    y = kernels.selective_scan(*(cupy.asarray(a) for a in args))
    assert isinstance(y, cupy.ndarray)
    assert_within_bound(cupy.asnumpy(y), args)


# --- the CUDA kernel compiled by the real compiler (PTX for compute capability 9.0) -------------
#
# The simulator runs kernels as Python and cannot see what NVVM rejects (typing, shared-memory
# shapes, conversions). This compiles every variant the launcher uses, in a subprocess with the
# simulator off; skipped where numba finds no CUDA compiler (libNVVM and NVRTC).

_PTX_BODY = r"""
from kernels import state_space_cuda

for dtype, d_tile, t_chunk in (("float32", 64, 32), ("float64", 32, 16)):
    kernel = state_space_cuda._scan_kernel(dtype, d_tile, t_chunk)
    sig = (array(dtype, 3),) * 2 + (array(dtype, 2),) + (array(dtype, 3),) * 2
    sig += (array(dtype, 1), numba.boolean, array(dtype, 3))
    check(f"selective-scan-{dtype}", kernel.py_func, sig)
"""


def _compile_to_ptx():
    return compile_to_ptx(_PTX_BODY)


def test_cuda_kernel_compiles_to_ptx_and_float32_stays_float32():
    results = _compile_to_ptx()
    for dtype in ("float32", "float64"):
        assert "error" not in results[f"selective-scan-{dtype}"], results[f"selective-scan-{dtype}"]
    assert results["selective-scan-float32"]["f64"] == 0


# --- the practice problem (problems/selective_scan.py) ------------------------------------------------


def test_practice_problem_examples_agree_with_its_reference():
    from problems.selective_scan import PROBLEM

    for example in PROBLEM.examples:
        expected = PROBLEM.reference(*example.args)
        assert PROBLEM.compare(example.expected, expected, example.args) is None, example


@pytest.mark.parametrize("kind, passes", [("", True), ("_wrong", False)])
def test_practice_problem_judges_the_example_solutions(kind, passes):
    import problems
    from problems.selective_scan import PROBLEM

    path = os.path.join(
        os.path.dirname(os.path.dirname(__file__)),
        "problems",
        "examples",
        "selective_scan" + kind + ".py",
    )
    verdict = problems.check(PROBLEM, path, max_examples=20, complexity=False)
    assert verdict.passed is passes, verdict.report()
    if not passes:
        assert verdict.status == "wrong answer"
