"""kernels.linear_attention beside softmax attention (``kernels.attention``), the plain numpy form
that materialises ``phi(Q) phi(K)^T``, and a matrix product of the same flops, in one class.

Flops, ``D = Dv``, ``N`` queries and keys: non-causal ``4 N D^2`` (``phi(K)^T V`` and ``phi(Q)
S``); causal in chunks of ``C = 64`` about ``4 N C D + 4 N D^2`` (the masked ``C x C`` blocks and
the state), plus ``2 N D^2`` for the segment sums when the batch is small. Softmax attention costs
``4 N^2 D`` (half causal). Targets at N = 16384, D = Dv = 64, float32, CPU: causal at least 10x
faster than ``attention(causal=True)`` with extra memory independent of N (``peakmem_*``);
non-causal at least 80% of the matmul rate.

``LinearAttentionCPU.track_speedup_over_softmax_attention`` is ``attention``'s time over ours
with the same ``causal``. ``LinearAttentionMatmulRate.track_fraction_of_matmul_rate`` is the
non-causal kernel's FLOP rate over ``np.matmul``'s on the same shapes, the two products
``phi(K)^T V`` (``D x N`` by ``N x Dv``) and ``phi(Q) S`` (``N x D`` by ``D x Dv``), ``4 N D Dv``
flops, timed together into preallocated outputs. Ours is credited with those and with the
normaliser's ``3 N D``: ``N D`` adds for ``z = sum_j phi(k_j)`` and ``2 N D`` for the products
``phi(q_i) . z`` (the feature map and the division are not counted: they are not flops a matmul
would do). Both are medians over
alternating runs in one process.
"""

import numpy as np

from kernels import attention, linear_attention

from ._gpu import cupy_or_skip
from ._ratio import BLAS_SETTLE, median_ratio


def _qkv(n, d, dtype, lead=(1,), xp=np):
    rng = np.random.default_rng(0)
    return tuple(xp.asarray(rng.standard_normal((*lead, n, d)).astype(dtype)) for _ in range(3))


def _numpy_linear_attention(q, k, v, causal):
    """The form a user writes from the definition: the weights materialised, O(N^2) memory."""
    phi_q, phi_k = (np.where(a > 0, a + 1, np.exp(np.minimum(a, 0))) for a in (q, k))
    weights = phi_q @ np.swapaxes(phi_k, -1, -2)
    if causal:
        weights = np.tril(weights)
    return (weights @ v) / weights.sum(axis=-1, keepdims=True)


class LinearAttentionCPU:
    params = ([1024, 4096, 16384], [True, False])
    param_names = ["n", "causal"]
    number = 1
    repeat = (2, 5, 120.0)
    timeout = 600

    def setup(self, n, causal):
        self.q, self.k, self.v = _qkv(n, 64, np.float32)
        linear_attention(self.q[:, :200], self.k[:, :200], self.v[:, :200], causal=causal)
        attention(self.q[:, :200], self.k[:, :200], self.v[:, :200], causal=causal)

    def time_linear_attention(self, n, causal):
        linear_attention(self.q, self.k, self.v, causal=causal)

    def time_softmax_attention(self, n, causal):
        attention(self.q, self.k, self.v, causal=causal)

    def time_numpy_materialised(self, n, causal):
        if n > 4096:
            raise NotImplementedError("the materialised weights would take 1 GiB")
        _numpy_linear_attention(self.q, self.k, self.v, causal)

    def peakmem_linear_attention(self, n, causal):
        linear_attention(self.q, self.k, self.v, causal=causal)

    def peakmem_softmax_attention(self, n, causal):
        attention(self.q, self.k, self.v, causal=causal)

    def track_speedup_over_softmax_attention(self, n, causal):
        return median_ratio(
            lambda: attention(self.q, self.k, self.v, causal=causal),
            lambda: linear_attention(self.q, self.k, self.v, causal=causal),
            rounds=5,
        )

    track_speedup_over_softmax_attention.unit = "x"


class LinearAttentionMatmulRate:
    """Non-causal, beside ``np.matmul`` of the kernel's two products on the same shapes."""

    params = [[1024, 4096, 16384]]
    param_names = ["n"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n):
        self.q, self.k, self.v = _qkv(n, 64, np.float32)
        d, dv = self.q.shape[-1], self.v.shape[-1]
        self.state = np.empty((d, dv), np.float32)
        self.out = np.empty((n, dv), np.float32)
        linear_attention(self.q[:, :200], self.k[:, :200], self.v[:, :200])

    def _matmul_same_shapes(self):
        np.matmul(self.k[0].T, self.v[0], out=self.state)
        np.matmul(self.q[0], self.state, out=self.out)

    def time_linear_attention(self, n):
        linear_attention(self.q, self.k, self.v)

    def time_matmul_same_shapes(self, n):
        self._matmul_same_shapes()

    def track_fraction_of_matmul_rate(self, n):
        d, dv = self.q.shape[-1], self.v.shape[-1]
        flops_matmul = 4 * n * d * dv
        flops_ours = flops_matmul + 3 * n * d
        time_ratio = median_ratio(
            self._matmul_same_shapes,
            lambda: linear_attention(self.q, self.k, self.v),
            settle=BLAS_SETTLE,
        )
        return time_ratio * flops_ours / flops_matmul

    track_fraction_of_matmul_rate.unit = "fraction"


class LinearAttentionGPU:
    """On cupy arrays, B = 4, H = 16 (skipped where cupy finds no GPU)."""

    params = ([1024, 4096], [True, False])
    param_names = ["n", "causal"]
    number = 1
    repeat = (3, 10, 60.0)

    def setup(self, n, causal):
        cupy = cupy_or_skip()
        self.cupy = cupy
        self.q, self.k, self.v = _qkv(n, 64, np.float32, lead=(4, 16), xp=cupy)
        linear_attention(self.q, self.k, self.v, causal=causal)
        attention(self.q, self.k, self.v, causal=causal)
        cupy.cuda.Device().synchronize()

    def time_linear_attention(self, n, causal):
        linear_attention(self.q, self.k, self.v, causal=causal)
        self.cupy.cuda.Device().synchronize()

    def time_softmax_attention(self, n, causal):
        attention(self.q, self.k, self.v, causal=causal)
        self.cupy.cuda.Device().synchronize()
