"""The warp-intrinsic shim behaves as the hardware does, so that kernels can rely on it."""

import os

import numpy as np
import pytest
from numba import cuda

pytestmark = pytest.mark.skipif(
    os.environ.get("NUMBA_ENABLE_CUDASIM") != "1", reason="the shim is for the simulator only"
)


@cuda.jit
def _shuffles(x, down, up, xor, ballot):
    i = cuda.threadIdx.x
    v = x[i]
    down[i] = cuda.shfl_down_sync(0xFFFFFFFF, v, 3)
    up[i] = cuda.shfl_up_sync(0xFFFFFFFF, v, 5)
    xor[i] = cuda.shfl_xor_sync(0xFFFFFFFF, v, 1)
    ballot[i] = cuda.ballot_sync(0xFFFFFFFF, v % 2 == 0)


@cuda.jit
def _warp_sum_in_first_warp_only(x, out):
    i = cuda.threadIdx.x
    if i < 32:
        v = x[i]
        offset = 16
        while offset > 0:
            v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
            offset //= 2
        if i == 0:
            out[0] = v
    cuda.syncthreads()


def test_shuffles_read_the_source_lane_and_keep_their_own_value_out_of_range():
    n = 64
    x = np.arange(n, dtype=np.int64) * 7
    down, up, xor, ballot = (np.zeros(n, np.int64) for _ in range(4))
    _shuffles[1, n](x, down, up, xor, ballot)
    lane = np.arange(n) % 32
    assert np.array_equal(down, np.where(lane + 3 < 32, np.roll(x, -3), x))
    assert np.array_equal(up, np.where(lane >= 5, np.roll(x, 5), x))
    assert np.array_equal(xor, x[np.arange(n) ^ 1])
    expected_ballot = sum(1 << j for j in range(32) if (x[j] % 2 == 0))
    assert np.all(ballot[:32] == expected_ballot)


def test_a_warp_reduction_inside_a_branch_does_not_involve_the_other_warps():
    x = np.arange(96, dtype=np.float64)
    out = np.zeros(1)
    _warp_sum_in_first_warp_only[1, 96](x, out)
    assert out[0] == x[:32].sum()
