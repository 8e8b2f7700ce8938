"""kernels.linear_attention: the CPU kernels (matrix products; the chunked causal scan, in one and
in several segments) and the CUDA kernel (in the simulator where there is no GPU) against
kernels.reference.linear_attention, which materialises phi(Q) phi(K)^T with the causal mask."""

import os

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ptx_support import compile_to_ptx

import kernels
from kernels import reference
from kernels.kernelized_attention import _causal_chunks, linear_attention_recurrent
from kernels.tolerances import compare, linear_attention_bound

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
DTYPES = [np.float16, np.float32, np.float64]


def assert_within_bound(actual, q, k, v, causal):
    expected = reference.linear_attention(q, k, v, causal=causal)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    message = compare(actual, expected, linear_attention_bound(q, k, v, expected.dtype))
    assert message is None, message


@st.composite
def attention_inputs(draw, max_len=150, max_d=12, dtypes=DTYPES, min_queries=0):
    dtype = draw(st.sampled_from(dtypes))
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    lq, lk = draw(st.integers(min_queries, max_len)), draw(st.integers(1, max_len))
    d, dv = draw(st.integers(1, max_d)), draw(st.integers(1, max_d))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    spread = draw(st.sampled_from([0.1, 1.0, 3.0]))
    q = (rng.standard_normal((*lead, lq, d)) * spread).astype(dtype)
    k = (rng.standard_normal((*lead, lk, d)) * spread).astype(dtype)
    v = rng.standard_normal((*lead, lk, dv)).astype(dtype)
    return q, k, v


# --- worked examples ----------------------------------------------------------------------------


def test_equal_features_give_the_mean_and_the_running_mean_of_the_values():
    q = k = np.zeros((4, 3))
    v = np.array([[1.0, -1.0], [3.0, 0.0], [5.0, 4.0], [7.0, 1.0]])
    np.testing.assert_allclose(
        kernels.linear_attention(q, k, v), np.repeat([[4.0, 1.0]], 4, axis=0), rtol=1e-14
    )
    running = np.cumsum(v, axis=0) / np.arange(1, 5)[:, None]
    np.testing.assert_allclose(kernels.linear_attention(q, k, v, causal=True), running, rtol=1e-14)


def test_the_first_causal_query_returns_the_first_value():
    rng = np.random.default_rng(0)
    q, k, v = (
        rng.standard_normal((3, 200, 8)),
        rng.standard_normal((3, 200, 8)),
        rng.standard_normal((3, 200, 5)),
    )
    np.testing.assert_allclose(
        kernels.linear_attention(q, k, v, causal=True)[:, 0], v[:, 0], rtol=1e-13
    )


def test_a_causal_output_does_not_change_with_later_keys():
    rng = np.random.default_rng(1)
    q, k, v = (
        rng.standard_normal((300, 4)),
        rng.standard_normal((300, 4)),
        rng.standard_normal((300, 3)),
    )
    before = kernels.linear_attention(q, k, v, causal=True)
    k[150:], v[150:] = rng.standard_normal((150, 4)), rng.standard_normal((150, 3))
    after = kernels.linear_attention(q, k, v, causal=True)
    np.testing.assert_array_equal(after[:150], before[:150])
    assert not np.allclose(after[150:], before[150:])


def test_the_recurrent_form_matches_the_reference():
    rng = np.random.default_rng(2)
    q, k, v = rng.standard_normal((9, 3)), rng.standard_normal((9, 3)), rng.standard_normal((9, 2))
    expected = reference.linear_attention(q, k, v, causal=True)
    np.testing.assert_allclose(
        linear_attention_recurrent(q.tolist(), k.tolist(), v.tolist()), expected, rtol=1e-12
    )


# --- properties against the reference -----------------------------------------------------------


@given(attention_inputs(), st.booleans())
def test_cpu_kernel_matches_the_materialised_reference(qkv, causal):
    q, k, v = qkv
    assert_within_bound(kernels.linear_attention(q, k, v, causal=causal), q, k, v, causal)


@settings(max_examples=10)
@given(
    attention_inputs(max_len=400, dtypes=[np.float32, np.float64], min_queries=1), st.integers(1, 5)
)
def test_the_causal_scan_in_several_segments_matches_the_reference(qkv, segments):
    q, k, v = qkv
    lead = q.shape[:-2]
    q3, k3, v3 = (a.reshape(-1, *a.shape[-2:]) for a in (q, k, v))
    out = np.empty((q3.shape[0], q3.shape[1], v3.shape[2]), q.dtype)
    _causal_chunks(q3, k3, v3, out, segments)
    assert_within_bound(out.reshape(*lead, *out.shape[1:]), q, k, v, True)


@pytest.mark.parametrize("causal", [True, False])
def test_a_long_single_batch_entry_cut_into_segments_matches_the_reference(causal):
    from kernels.kernelized_attention import _segments

    rng = np.random.default_rng(3)
    q, k, v = (rng.standard_normal((1, 2500, 8)).astype(np.float32) for _ in range(3))
    assert _segments(1, 2500) > 1
    assert_within_bound(kernels.linear_attention(q, k, v, causal=causal), q, k, v, causal)


# --- edges --------------------------------------------------------------------------------------


def test_large_and_very_negative_features_stay_finite():
    rng = np.random.default_rng(4)
    q = rng.standard_normal((2, 70, 8)).astype(np.float32) * np.float32(1e3)
    q[..., 0] = np.abs(q[..., 0])  # one feature of phi(q) above 1: the normaliser cannot vanish
    q[:, :5] = -50.0  # phi = exp(-50) everywhere: tiny, but a normal float32
    k = rng.standard_normal((2, 90, 8)).astype(np.float32) * np.float32(30)
    v = rng.standard_normal((2, 90, 4)).astype(np.float32)
    for causal in (False, True):
        out = kernels.linear_attention(q, k, v, causal=causal)
        assert np.isfinite(out).all()
        assert_within_bound(out, q, k, v, causal)


def test_a_query_whose_features_all_underflow_gives_nan_as_the_reference_does():
    q, k, v = np.full((2, 3), -1000.0), np.zeros((2, 3)), np.ones((2, 2))
    for causal in (False, True):
        assert np.isnan(reference.linear_attention(q, k, v, causal=causal)).all()
        assert np.isnan(kernels.linear_attention(q, k, v, causal=causal)).all()


def test_no_queries_gives_an_empty_output():
    out = kernels.linear_attention(
        np.ones((2, 0, 4)), np.ones((2, 5, 4)), np.ones((2, 5, 3)), causal=True
    )
    assert out.shape == (2, 0, 3)


def test_the_result_dtype_combines_the_inputs():
    x16 = np.ones((2, 3), np.float16)
    assert kernels.linear_attention(x16, x16, x16).dtype == np.float16
    assert (
        kernels.linear_attention(x16, x16, x16.astype(np.float32), causal=True).dtype == np.float32
    )
    assert kernels.linear_attention(np.ones((2, 3), int), x16, x16).dtype == np.float64


def test_non_native_byte_order_is_accepted():
    rng = np.random.default_rng(5)
    q, k, v = (rng.standard_normal((3, 4)) for _ in range(3))
    other = ">" if np.little_endian else "<"
    swapped = [a.astype(a.dtype.newbyteorder(other)) for a in (q, k, v)]
    for causal in (False, True):
        np.testing.assert_array_equal(
            kernels.linear_attention(*swapped, causal=causal),
            kernels.linear_attention(q, k, v, causal=causal),
        )


# --- bad input ----------------------------------------------------------------------------------


def test_mismatched_shapes_raise_value_error():
    with pytest.raises(ValueError, match="k must have the feature size D = 3"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="v must have as many rows as k"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 3)))
    with pytest.raises(ValueError, match="same leading dimensions"):
        kernels.linear_attention(np.ones((2, 2, 3)), np.ones((1, 2, 3)), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match="q must have at least 2 dimensions"):
        kernels.linear_attention(np.ones(3), np.ones((2, 3)), np.ones((2, 3)))


def test_no_keys_raises_value_error():
    with pytest.raises(ValueError, match="at least one key"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((0, 3)), np.ones((0, 3)))


def test_non_bool_causal_raises_type_error():
    with pytest.raises(TypeError, match="causal must be a bool, got str"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), causal="yes")
    with pytest.raises(TypeError, match="causal must be a bool, got int"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), causal=1)


def test_unknown_feature_map_raises_value_error_and_a_non_string_type_error():
    with pytest.raises(ValueError, match="feature_map must be one of elu, got 'relu'"):
        kernels.linear_attention(
            np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), feature_map="relu"
        )
    with pytest.raises(TypeError, match="feature_map must be a string, got function"):
        kernels.linear_attention(
            np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), feature_map=lambda x: x
        )


def test_complex_input_raises_type_error():
    with pytest.raises(TypeError, match="v must hold real numbers"):
        kernels.linear_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3), complex))


# --- the CUDA kernel (simulator where there is no GPU) -------------------------------------------


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
@settings(max_examples=3)
@given(
    attention_inputs(max_len=7, max_d=3, dtypes=[np.float32, np.float64], min_queries=1),
    st.booleans(),
)
def test_cuda_kernel_matches_the_reference_over_several_chunks(qkv, causal):
    from kernels import kernelized_attention_cuda

    q, k, v = qkv
    q3, k3, v3 = (a.reshape(-1, *a.shape[-2:]) for a in (q, k, v))
    out = np.empty((q3.shape[0], q3.shape[1], v3.shape[2]), q.dtype)
    kernelized_attention_cuda.launch(q3, k3, v3, causal, out, None, chunk=3, dv_tile=2)
    assert_within_bound(out.reshape(*q.shape[:-1], v.shape[-1]), q, k, v, causal)


@pytest.mark.skipif(
    not SIMULATOR, reason="numpy arrays reach the kernel directly only in the simulator"
)
def test_cuda_kernel_refuses_feature_sizes_beyond_its_limit():
    from kernels import kernelized_attention_cuda

    q = np.ones((1, 2, kernelized_attention_cuda.MAX_D + 1), np.float32)
    with pytest.raises(ValueError, match=f"D = {kernelized_attention_cuda.MAX_D + 1}"):
        kernelized_attention_cuda.launch(q, q, q, False, np.empty_like(q))


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("causal", [False, True])
def test_cupy_input_gives_cupy_output_matching_the_reference(dtype, causal):
    import cupy

    rng = np.random.default_rng(8)
    q, k, v = (rng.standard_normal((2, 3, 333, 64)).astype(dtype) for _ in range(3))
    out = kernels.linear_attention(cupy.asarray(q), cupy.asarray(k), cupy.asarray(v), causal=causal)
    assert isinstance(out, cupy.ndarray)
    assert_within_bound(cupy.asnumpy(out), q, k, v, causal)


# --- the CUDA kernel compiled by the real compiler (PTX for compute capability 9.0) -------------
#
# The simulator runs kernels as Python and cannot see what NVVM rejects (typing, shared-memory
# shapes, conversions). This compiles every variant the launcher uses, in a subprocess with the
# simulator off; skipped where numba finds no CUDA compiler (libNVVM and NVRTC).

_PTX_BODY = r"""
from kernels import kernelized_attention_cuda

for dtype in ("float32", "float64"):
    kernel = kernelized_attention_cuda._kernel(dtype, 16)
    check(f"linear-attention-{dtype}", kernel.py_func, (array(dtype, 3),) * 3 + (numba.boolean, array(dtype, 3)))
"""


def _compile_to_ptx():
    return compile_to_ptx(_PTX_BODY)


def test_cuda_kernel_compiles_to_ptx_and_float32_stays_float32():
    results = _compile_to_ptx()
    for dtype in ("float32", "float64"):
        assert "error" not in results[f"linear-attention-{dtype}"], results[
            f"linear-attention-{dtype}"
        ]
    assert results["linear-attention-float32"]["f64"] == 0


# --- the practice problem (problems/linear_attention.py) ------------------------------------------------


def test_practice_problem_examples_agree_with_its_reference():
    from problems.linear_attention import PROBLEM

    for example in PROBLEM.examples:
        expected = PROBLEM.reference(*example.args)
        assert PROBLEM.compare(example.expected, expected, example.args) is None, example


@pytest.mark.parametrize("kind, passes", [("", True), ("_wrong", False)])
def test_practice_problem_judges_the_example_solutions(kind, passes):
    import problems
    from problems.linear_attention import PROBLEM

    path = os.path.join(
        os.path.dirname(os.path.dirname(__file__)),
        "problems",
        "examples",
        "linear_attention" + kind + ".py",
    )
    verdict = problems.check(PROBLEM, path, max_examples=20, complexity=False)
    assert verdict.passed is passes, verdict.report()
    if not passes:
        assert verdict.status == "wrong answer"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_vectorised_feature_map_is_elu_plus_one_at_every_edge(dtype):
    from kernels.kernelized_attention import _phi_block

    special = [np.nan, -np.inf, np.inf, -0.0, 0.0, 1e-30, -1e-30, 3.5, -3.5, -86.0]
    rng = np.random.default_rng(5)
    # the vectorised loop alone; then a block with values where float32's exp is subnormal
    for extra in ([], [-95.0, -88.0]):
        noise = np.clip(rng.normal(0, 20, 50), -80, None)
        x = np.array(special + extra + list(noise), dtype=dtype).reshape(-1, 1)
        x = np.repeat(x, 3, axis=1)
        out = np.empty_like(x)
        _phi_block(x, out)
        with np.errstate(over="ignore", invalid="ignore"):
            exact = np.where(x > 0, x.astype(np.float64) + 1, np.exp(x.astype(np.float64)))
        finite = np.isfinite(exact)
        np.testing.assert_array_equal(np.isnan(out), np.isnan(exact))
        np.testing.assert_array_equal(
            out[~finite & ~np.isnan(exact)], exact[~finite & ~np.isnan(exact)]
        )
        u = np.finfo(dtype).eps
        tiny = np.finfo(dtype).smallest_subnormal
        assert np.all(np.abs(out[finite] - exact[finite]) <= 4 * u * exact[finite] + tiny)
        if extra:  # the subnormal exp(-95) is kept, not flushed to 0
            assert np.all(out[len(special)] > 0)
