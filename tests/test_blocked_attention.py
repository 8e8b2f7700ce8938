"""attention (CPU kernel and CUDA kernel in the simulator) against the materialising reference."""

import ctypes

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kernels
from kernels import blocked_attention, reference, tiled_attention, tolerances
from kernels._parallel import PARALLEL_MIN


@st.composite
def attention_inputs(
    draw, max_len=300, max_d=24, dtypes=(np.float16, np.float32, np.float64), min_queries=0
):
    dtype = draw(st.sampled_from(dtypes))
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    lq, lk = draw(st.integers(min_queries, max_len)), draw(st.integers(1, max_len))
    d, dv = draw(st.integers(1, max_d)), draw(st.integers(1, max_d))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    spread = draw(st.sampled_from([0.1, 1.0, 3.0]))
    q = (rng.normal(size=(*lead, lq, d)) * spread).astype(dtype)
    k = (rng.normal(size=(*lead, lk, d)) * spread).astype(dtype)
    v = rng.normal(size=(*lead, lk, dv)).astype(dtype)
    return q, k, v


def assert_close(actual, expected, q, k, v, causal=False, scale=None):
    """Within the bound of kernels.tolerances for these inputs (it grows with the scores' size)."""
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    bound = tolerances.attention_bound(q, k, v, expected.dtype, scale, causal=causal)
    assert np.isfinite(bound), "inputs too ill-conditioned for a bound in this dtype"
    why = tolerances.compare(actual, expected, bound)
    assert why is None, why


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_bound_rejects_an_answer_from_a_wrong_mask(dtype):
    # the bound is loose enough for any rounding, never for an off-by-one causal mask
    rng = np.random.default_rng(19)
    q, k, v = (rng.normal(size=(2, 40, 16)).astype(dtype) for _ in range(3))
    expected = reference.attention(q, k, v, causal=True)
    shifted = np.concatenate([k[:, 1:], k[:, :1]], axis=1)  # query i sees keys 1 .. i + 1
    wrong = reference.attention(q, shifted, np.roll(v, -1, axis=1), causal=True)
    bound = tolerances.attention_bound(q, k, v, dtype, causal=True)
    assert tolerances.compare(wrong, expected, bound) is not None


# --- worked examples ----------------------------------------------------------------------------


def test_single_key_returns_its_value_for_every_query():
    q = np.random.default_rng(0).normal(size=(5, 3))
    k, v = np.ones((1, 3)), np.array([[2.0, -1.0]])
    for causal in (False, True):
        np.testing.assert_array_equal(
            kernels.attention(q, k, v, causal=causal), np.repeat(v, 5, axis=0)
        )


def test_equal_scores_average_the_values():
    q, k = (
        np.zeros((2, 4), np.float32),
        np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32),
    )
    v = np.array([[3.0], [6.0], [9.0]], np.float32)
    expected = np.array([[6.0], [6.0]], np.float32)
    assert_close(kernels.attention(q, k, v), expected, q, k, v)
    expected = np.array([[3.0], [4.5]], np.float32)
    assert_close(kernels.attention(q, k, v, causal=True), expected, q, k, v, causal=True)


def test_default_scale_is_inverse_square_root_of_d():
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(4, 9)), rng.normal(size=(6, 9)), rng.normal(size=(6, 2))
    # 1 / sqrt(9) and 1 / 3 are the same float: the same computation, bit for bit
    np.testing.assert_array_equal(
        kernels.attention(q, k, v), kernels.attention(q, k, v, scale=1 / 3)
    )


# --- properties against the reference -----------------------------------------------------------


@given(attention_inputs(), st.booleans(), st.sampled_from([None, 0.5, 2.0]))
def test_cpu_kernel_matches_reference(qkv, causal, scale):
    q, k, v = qkv
    assert_close(
        kernels.attention(q, k, v, causal=causal, scale=scale),
        reference.attention(q, k, v, causal=causal, scale=scale),
        q,
        k,
        v,
        causal,
        scale,
    )


@settings(max_examples=5)
@given(st.integers(1, 700), st.integers(1, 700), st.booleans())
def test_more_queries_than_keys_and_the_reverse_match_reference(lq, lk, causal):
    rng = np.random.default_rng(lq * 1000 + lk)
    q, k, v = rng.normal(size=(lq, 16)), rng.normal(size=(lk, 16)), rng.normal(size=(lk, 8))
    expected = reference.attention(q, k, v, causal=causal)
    assert_close(kernels.attention(q, k, v, causal=causal), expected, q, k, v, causal)


@pytest.mark.parametrize("lq", [640, 700])
def test_causal_query_tiles_in_zigzag_order_on_all_cores_match_reference(lq):
    # Above PARALLEL_MIN the query tiles run in parallel in the order 0, last, 1, last - 1, ...:
    # an even and an odd number of tiles of 64, two batch entries.
    rng = np.random.default_rng(lq)
    q, k, v = (rng.normal(size=(2, lq, 16)) for _ in range(3))
    assert 2 * lq * lq >= PARALLEL_MIN
    expected = reference.attention(q, k, v, causal=True)
    assert_close(kernels.attention(q, k, v, causal=True), expected, q, k, v, True)


@pytest.mark.parametrize("n", range(1, 12))
def test_the_zigzag_task_order_visits_every_query_tile_once(n):
    order = [blocked_attention._zigzag(t, n) for t in range(n)]
    assert sorted(order) == list(range(n))
    assert order[:2] == ([0, n - 1] if n > 1 else [0])


def test_large_scores_do_not_overflow():
    rng = np.random.default_rng(3)
    q, k = (
        (rng.normal(size=(2, 70, 8)) * 30).astype(np.float32),
        (rng.normal(size=(2, 600, 8)) * 30).astype(np.float32),
    )
    v = rng.normal(size=(2, 600, 4)).astype(np.float32)
    out = kernels.attention(q, k, v, causal=True)
    assert np.isfinite(out).all()
    # scores reach a few thousand: float32 rounding of the scores alone moves the weights by
    # about D u max|score| relative, which the bound derives from q and k (issue: a fixed 1e-5
    # held on one BLAS kernel and failed on another)
    assert_close(out, reference.attention(q, k, v, causal=True), q, k, v, causal=True)


def test_float16_with_large_entries_stays_finite():
    rng = np.random.default_rng(4)
    q, k = (
        (rng.normal(size=(40, 8)) * 100).astype(np.float16),
        (rng.normal(size=(50, 8)) * 100).astype(np.float16),
    )
    v = rng.normal(size=(50, 8)).astype(np.float16)
    out = kernels.attention(q, k, v)
    assert out.dtype == np.float16 and np.isfinite(out).all()
    assert_close(out, reference.attention(q, k, v), q, k, v)


def test_mixed_and_integer_dtypes_combine_as_numpy_does():
    q = np.ones((2, 3), np.float32)
    assert kernels.attention(q, q, q.astype(np.float64)).dtype == np.float64
    assert (
        kernels.attention(
            np.ones((2, 3), np.int8), np.ones((2, 3), np.int8), np.ones((2, 3), np.int8)
        ).dtype
        == np.float16
    )


def test_no_queries_gives_empty_output():
    assert kernels.attention(np.ones((2, 0, 4)), np.ones((2, 5, 4)), np.ones((2, 5, 3))).shape == (
        2,
        0,
        3,
    )


# --- bad input ----------------------------------------------------------------------------------


def test_mismatched_feature_size_raises_value_error():
    with pytest.raises(ValueError, match="k must have the feature size D = 3"):
        kernels.attention(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 4)))


def test_mismatched_leading_dimensions_raise_value_error():
    with pytest.raises(ValueError, match="same leading dimensions"):
        kernels.attention(np.ones((2, 2, 3)), np.ones((1, 2, 3)), np.ones((1, 2, 3)))


def test_value_rows_must_match_key_rows():
    with pytest.raises(ValueError, match="v must have as many rows as k"):
        kernels.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 3)))


def test_no_keys_raises_value_error():
    with pytest.raises(ValueError, match="at least one key"):
        kernels.attention(np.ones((2, 3)), np.ones((0, 3)), np.ones((0, 3)))


def test_one_dimensional_input_raises_value_error():
    with pytest.raises(ValueError, match="q must have at least 2 dimensions"):
        kernels.attention(np.ones(3), np.ones((2, 3)), np.ones((2, 3)))


def test_bad_scale_raises():
    with pytest.raises(TypeError, match="scale must be a real number"):
        kernels.attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), scale="1")
    with pytest.raises(ValueError, match="scale must be finite"):
        kernels.attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), scale=np.inf)


@pytest.mark.parametrize("causal", ["no", 0, 1, None, np.array([True])])
def test_causal_must_be_a_bool(causal):
    q = np.ones((2, 3))
    with pytest.raises(TypeError, match="causal must be a bool"):
        kernels.attention(q, q, q, causal=causal)
    with pytest.raises(TypeError, match="causal must be a bool"):
        reference.attention(q, q, q, causal=causal)


def test_numpy_bool_is_a_bool():
    q = np.random.default_rng(9).normal(size=(3, 2))
    np.testing.assert_array_equal(
        kernels.attention(q, q, q, causal=np.True_), kernels.attention(q, q, q, causal=True)
    )


def test_non_native_byte_order_is_accepted():
    rng = np.random.default_rng(10)
    q, k, v = (rng.normal(size=(2, 5, 3)) for _ in range(3))
    swapped = [a.astype(">f4") for a in (q, k, v)]
    out = kernels.attention(*swapped, causal=True)
    assert out.dtype == np.float32 and out.dtype.isnative
    expected = reference.attention(*swapped, causal=True)
    assert_close(out, expected, *swapped, causal=True)


def test_complex_input_raises_type_error():
    with pytest.raises(TypeError, match="v must hold real numbers"):
        kernels.attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3), complex))


# --- the readable form --------------------------------------------------------------------------


def test_one_query_recurrence_matches_reference():
    rng = np.random.default_rng(5)
    q, k, v = rng.normal(size=3), rng.normal(size=(7, 3)) * 5, rng.normal(size=(7, 2))
    expected = reference.attention(q[None], k, v, scale=0.9)
    actual = np.array([blocked_attention.attention_1query(q, k, v, 0.9)])
    assert_close(actual, expected, q[None], k, v, scale=0.9)


# --- the tiled loop (matmul tiles, fused update), run here with numpy ------------------------


def _tiled(q, k, v, causal=False, scale=None, **options):
    """The tiled loop exactly as kernels.attention runs it on cupy arrays, here on numpy arrays."""
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    out = np.empty((*q.shape[:-1], v.shape[-1]), dtype=np.result_type(q, k, v))
    assert tiled_attention.attention_rows(q, k, v, causal, scale, out, **options) is out
    return out


@given(
    attention_inputs(max_len=150),
    st.booleans(),
    st.sampled_from([None, 0.5, 3.0]),
    st.integers(1, 40),
    st.integers(1, 40),
)
def test_tiled_loop_matches_reference(qkv, causal, scale, block_q, block_k):
    # small tiles: ragged last tiles in both directions, Lq != Lk, query blocks that start past
    # the last key (causal), key tiles that no query of a block sees
    q, k, v = qkv
    out = _tiled(q, k, v, causal, scale, block_q=block_q, block_k=block_k)
    expected = reference.attention(q, k, v, causal=causal, scale=scale)
    assert_close(out, expected, q, k, v, causal, scale)


@pytest.mark.parametrize("causal", [False, True])
def test_tiled_loop_with_default_tiles_matches_reference(causal):
    rng = np.random.default_rng(12)
    q, k, v = (rng.normal(size=(2, 3, n, 16)).astype(np.float32) for n in (1100, 1300, 1300))
    out = _tiled(q, k, v[..., :5], causal)
    expected = reference.attention(q, k, v[..., :5], causal=causal)
    assert_close(out, expected, q, k, v[..., :5], causal)


def test_tiled_loop_with_large_scores_stays_finite():
    # scores of several thousand: each later tile raises the maximum, the rescale must not overflow
    rng = np.random.default_rng(13)
    q = (rng.normal(size=(2, 70, 8)) * 30).astype(np.float32)
    k = (rng.normal(size=(2, 600, 8)) * 30).astype(np.float32)
    v = rng.normal(size=(2, 600, 4)).astype(np.float32)
    for causal in (False, True):
        out = _tiled(q, k, v, causal, block_q=16, block_k=64)
        assert np.isfinite(out).all()
        assert_close(out, reference.attention(q, k, v, causal=causal), q, k, v, causal)


def test_tiled_tile_sizes_respect_the_memory_budget():
    for batch, lq, lk, size in [(64, 4096, 4096, 2), (1, 5, 7, 4), (2048, 2048, 2048, 4)]:
        block_q, block_k = tiled_attention.tile_sizes(batch, lq, lk, size)
        assert 1 <= block_q <= min(lq, 1024) and 1 <= block_k <= lk
        assert block_k == lk or block_k % 128 == 0
        assert block_k <= 128 or batch * block_q * block_k * size <= tiled_attention.TILE_BYTES


# --- the CUDA kernel (simulator on a machine without a GPU) -------------------------------------


def _cuda():
    from kernels import blocked_attention_cuda

    return blocked_attention_cuda


def _launch(q, k, v, causal, scale, **options):
    """The CUDA launcher with an output allocated as the public function allocates it."""
    out = np.empty((*q.shape[:-1], v.shape[-1]), dtype=np.result_type(q, k, v))
    assert _cuda().launch(q, k, v, causal, scale, out, **options) is out
    return out


@settings(max_examples=3)
@given(
    attention_inputs(max_len=20, max_d=8, dtypes=(np.float16, np.float32), min_queries=1),
    st.booleans(),
)
def test_cuda_kernel_matches_reference(qkv, causal):
    q, k, v = qkv
    out = _launch(q, k, v, causal, 1 / np.sqrt(q.shape[-1]), block_q=8, block_k=8)
    assert_close(out, reference.attention(q, k, v, causal=causal), q, k, v, causal)


def test_cuda_kernel_with_more_queries_than_keys_causal():
    rng = np.random.default_rng(6)
    q, k, v = (
        (rng.normal(size=(19, 4)) * 3).astype(np.float32),
        rng.normal(size=(5, 4)).astype(np.float32),
        rng.normal(size=(5, 3)).astype(np.float32),
    )
    out = _launch(q, k, v, True, 0.5, block_q=8, block_k=4)
    assert_close(out, reference.attention(q, k, v, causal=True, scale=0.5), q, k, v, True, 0.5)


def _update_cuda():
    from kernels import tiled_attention_cuda

    return tiled_attention_cuda.launch


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the simulator's -inf - -inf
def test_fused_tile_update_kernel_matches_the_numpy_update():
    # rows that see no key of the tile (causal), rows that see none yet (m = -inf), a later tile
    rng = np.random.default_rng(14)
    s = (rng.normal(size=(2, 5, 40)) * 20).astype(np.float32)
    state = (
        np.array([[-np.inf, 1.0, 50.0, -3.0, -np.inf]] * 2, np.float32),
        rng.uniform(1, 3, size=(2, 5)).astype(np.float32),
        rng.normal(size=(2, 5, 3)).astype(np.float32),
    )
    state[1][state[0] == -np.inf] = 0
    state[2][state[0] == -np.inf] = 0
    for causal, i0, j0 in [(False, 0, 0), (True, 30, 28), (True, 0, 2)]:
        expected = [a.copy() for a in state] + [np.empty_like(s)]
        tiled_attention.update_tile_numpy(s, *expected[:3], 0.7, i0, j0, causal, expected[3])
        actual = [a.copy() for a in state] + [np.empty_like(s)]
        _update_cuda()(s, *actual[:3], 0.7, i0, j0, causal, actual[3])
        for got, want in zip(actual, expected):
            # the same float32 operations up to the exp's last bits and the order of the row sum
            scale = np.where(np.isfinite(want), np.abs(want), 0.0)
            bound = 8 * 40 * tolerances.unit_roundoff(np.float32) * (scale + scale.max(initial=0))
            why = tolerances.compare(got, want, bound)
            assert why is None, why


@settings(max_examples=3)
@given(attention_inputs(max_len=20, max_d=8, dtypes=(np.float16, np.float32)), st.booleans())
def test_tiled_loop_with_the_cuda_update_kernel_matches_reference(qkv, causal):
    q, k, v = qkv
    out = _tiled(q, k, v, causal, block_q=7, block_k=6, update=_update_cuda())
    assert_close(out, reference.attention(q, k, v, causal=causal), q, k, v, causal)


def _column_major_gemm(handle, ta, tb, m, n, k, alpha, a, at, lda, sa, b, bt, ldb, sb, beta, c, ct,
                       ldc, sc, batch, compute, algo):  # fmt: skip
    """cuBLAS's gemmStridedBatchedEx, column-major as cuBLAS reads memory, on host pointers."""
    assert compute == 68 and handle is None  # CUBLAS_COMPUTE_32F
    types = {0: np.dtype(np.float32), 2: np.dtype(np.float16)}

    def matrix(pointer, code, ld, rows, cols, entry, stride):
        """The column-major rows x cols matrix of batch entry ``entry``, as a writable view."""
        dtype = types[code]
        start = pointer + entry * stride * dtype.itemsize
        assert ld >= rows
        memory = (ctypes.c_char * ((ld * (cols - 1) + rows) * dtype.itemsize)).from_address(start)
        flat = np.frombuffer(memory, dtype=dtype)
        return np.lib.stride_tricks.as_strided(
            flat, (rows, cols), (dtype.itemsize, ld * dtype.itemsize)
        )

    alpha = ctypes.c_float.from_address(alpha).value
    beta = ctypes.c_float.from_address(beta).value
    for entry in range(batch):
        op_a = matrix(a, at, lda, *((k, m) if ta else (m, k)), entry, sa)
        op_b = matrix(b, bt, ldb, *((n, k) if tb else (k, n)), entry, sb)
        op_a, op_b = (op_a.T if ta else op_a), (op_b.T if tb else op_b)
        out = matrix(c, ct, ldc, m, n, entry, sc)
        exact = alpha * (op_a.astype(np.float64) @ op_b.astype(np.float64))
        out[...] = exact + (beta * out if beta else 0.0)


def test_float16_tile_products_call_cublas_with_the_right_layouts():
    # cuBLAS is column-major: the calls must read row-major tiles (views into longer arrays, as
    # the loop passes them) as their transposes. Checked against a column-major GEMM on the host.
    from kernels import tiled_attention_cuda

    rng = np.random.default_rng(20)
    q, k, v = (rng.normal(size=(3, n, d)).astype(np.float16) for n, d in ((9, 5), (11, 5), (11, 4)))
    q_tile, k_tile, v_tile = q[:, 2:8], k[:, 3:10], v[:, 3:10]
    s = tiled_attention_cuda.scores_float16(q_tile, k_tile, gemm=_column_major_gemm)
    exact = q_tile.astype(np.float64) @ np.swapaxes(k_tile, 1, 2).astype(np.float64)
    assert s.dtype == np.float32 and s.shape == (3, 6, 7)
    np.testing.assert_allclose(s, exact, rtol=2 * tolerances.unit_roundoff(np.float32))
    p = rng.uniform(size=(3, 6, 7)).astype(np.float16)
    acc = rng.normal(size=(3, 6, 4)).astype(np.float32)
    expected = acc + p.astype(np.float64) @ v_tile.astype(np.float64)
    tiled_attention_cuda.accumulate_float16(acc, p, v_tile, gemm=_column_major_gemm)
    np.testing.assert_allclose(acc, expected, rtol=4 * tolerances.unit_roundoff(np.float32))
    for a in (q, k, v):  # the calls wrote nothing outside their outputs
        assert np.isfinite(a).all()


def test_cuda_kernel_with_batch_entries_and_query_tiles_on_one_grid_axis():
    rng = np.random.default_rng(15)
    q, k, v = (rng.normal(size=(3, 2, n, 4)).astype(np.float32) for n in (11, 9, 9))
    out = _launch(q, k, v, False, 0.5, block_q=4, block_k=4)
    assert_close(out, reference.attention(q, k, v, scale=0.5), q, k, v, scale=0.5)


def test_cuda_kernel_rejects_feature_sizes_beyond_its_limit():
    q = np.ones((2, 129), np.float32)
    with pytest.raises(ValueError, match="D = 129"):
        _launch(q, q, q[:, :4], False, 1.0)
    with pytest.raises(ValueError, match="Dv = 200"):
        _launch(q[:, :4], q[:, :4], np.ones((2, 200), np.float32), False, 1.0)


@pytest.mark.gpu
def test_mixing_cupy_and_numpy_inputs_raises_type_error():
    import cupy

    q = np.ones((2, 3), np.float32)
    with pytest.raises(TypeError, match="all be cupy arrays"):
        kernels.attention(cupy.asarray(q), q, q)


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize("causal", [False, True])
def test_cupy_input_gives_cupy_output_matching_reference(dtype, causal):
    import cupy

    rng = np.random.default_rng(8)
    q, k, v = (rng.normal(size=(2, 3, 333, 64)).astype(dtype) for _ in range(3))
    out = kernels.attention(cupy.asarray(q), cupy.asarray(k), cupy.asarray(v), causal=causal)
    assert isinstance(out, cupy.ndarray)
    assert_close(cupy.asnumpy(out), reference.attention(q, k, v, causal=causal), q, k, v, causal)


@pytest.mark.gpu
def test_cupy_attention_with_more_than_65535_batch_entries():
    import cupy

    rng = np.random.default_rng(16)
    q, k, v = (rng.normal(size=(70_000, 1, 3, 8)).astype(np.float32) for _ in range(3))
    out = kernels.attention(cupy.asarray(q), cupy.asarray(k), cupy.asarray(v))
    assert_close(cupy.asnumpy(out), reference.attention(q, k, v), q, k, v)
    fused = cupy.empty_like(out)
    _cuda().launch(*(cupy.asarray(a) for a in (q, k, v)), False, 1 / np.sqrt(8), fused)
    assert_close(cupy.asnumpy(fused), reference.attention(q, k, v), q, k, v)


@pytest.mark.gpu
def test_cupy_attention_runs_on_a_non_blocking_stream():
    import cupy

    rng = np.random.default_rng(17)
    q, k, v = (rng.normal(size=(4, 500, 64)).astype(np.float16) for _ in range(3))
    stream = cupy.cuda.Stream(non_blocking=True)
    with stream:
        dq, dk, dv = (cupy.asarray(a) for a in (q, k, v))
        out = kernels.attention(dq, dk, dv, causal=True)
        host = cupy.asnumpy(out, stream=stream)
    stream.synchronize()
    assert_close(host, reference.attention(q, k, v, causal=True), q, k, v, True)


# --- out= (numpy's rules: right shape and dtype, returned; never over q, k or v) ---


@given(
    attention_inputs(max_len=40, max_d=8),
    st.booleans(),
    st.sampled_from(["C", "F", "strided"]),
)
def test_out_receives_the_attention_and_is_returned(qkv, causal, layout):
    q, k, v = qkv
    shape = (*q.shape[:-1], v.shape[-1])
    if layout == "C":
        out = np.full(shape, np.nan, dtype=q.dtype)
    elif layout == "F":
        out = np.full(shape, np.nan, dtype=q.dtype, order="F")
    else:
        out = np.full((*shape[:-1], 2 * shape[-1]), np.nan, dtype=q.dtype)[..., ::2]
    assert kernels.attention(q, k, v, causal=causal, out=out) is out
    np.testing.assert_array_equal(out, kernels.attention(q, k, v, causal=causal))


def test_out_must_not_overlap_q_k_or_v():
    rng = np.random.default_rng(5)
    q, k, v = (rng.normal(size=(6, 4)) for _ in range(3))
    for name, target in (("q", q), ("k", k), ("v", v)):
        before = target.copy()
        with pytest.raises(ValueError, match=f"out must not overlap {name}$"):
            kernels.attention(q, k, v, out=target)
        np.testing.assert_array_equal(target, before)  # refused before any work


def test_bad_out_raises_naming_out():
    q = k = v = np.ones((2, 3, 4), np.float32)
    with pytest.raises(ValueError, match=r"out must have shape \(2, 3, 4\), got \(3, 4\)"):
        kernels.attention(q, k, v, out=np.empty((3, 4), np.float32))
    with pytest.raises(
        TypeError, match=r"out must have dtype float32 \(the result\'s\), got float64"
    ):
        kernels.attention(q, k, v, out=np.empty((2, 3, 4)))
    with pytest.raises(TypeError, match="out must be a numpy array"):
        kernels.attention(q, k, v, out="out")
    read_only = np.empty((2, 3, 4), np.float32)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        kernels.attention(q, k, v, out=read_only)


@pytest.mark.gpu
def test_cupy_out_receives_the_attention():
    import cupy

    q, k, v = (cupy.random.standard_normal((2, 100, 16)).astype(cupy.float32) for _ in range(3))
    out = cupy.empty((2, 100, 16), cupy.float32)
    assert kernels.attention(q, k, v, causal=True, out=out) is out
    cupy.testing.assert_array_equal(out, kernels.attention(q, k, v, causal=True))
    with pytest.raises(ValueError, match="out must not overlap v"):
        kernels.attention(q, k, v, out=v)
