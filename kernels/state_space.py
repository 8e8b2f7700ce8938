"""The selective scan of Mamba (S6): a linear recurrence per channel and state, read out by ``C``.

Problem. For inputs ``u, delta (batch, dim, L)``, a state matrix ``A (dim, N)``, input and output
projections ``B, C (batch, N, L)`` and a skip ``D (dim,)``, every ``(batch, dim)`` channel carries
a state ``h`` of ``N`` numbers through time::

    h_t = exp(delta_t * A) * h_{t-1} + delta_t * B_t * u_t       (elementwise over N, h_{-1} = 0)
    y_t = C_t . h_t + D * u_t

The step size ``delta`` depends on the input (that is what makes the scan *selective*): a large
``delta_t`` with a negative ``A`` makes ``exp(delta_t A)`` vanish, so the state forgets its past
and takes in ``u_t``; ``delta_t = 0`` holds the state unchanged and lets nothing in. Every
``(batch, dim, n)`` is the linear recurrence ``h_t = a_t h_{t-1} + b_t`` of
:func:`kernels.linear_recurrence` with ``a_t = exp(delta_t A_n)`` and ``b_t = delta_t B_tn u_t``,
followed by a contraction with ``C_t`` over ``n``.

Invariant of the kernels: the state never leaves the core that owns the channel. Materialising the
``(batch, dim, N, L)`` arrays ``a``, ``b`` and ``h`` for a general scan, as the plain numpy form
does per step, moves ``N`` times the bytes of ``u``.

Traffic and work (ideal): read ``u`` and ``delta`` and write ``y`` (``3 * batch * dim * L``
values), read ``B`` and ``C`` once per channel from cache (``2 * batch * N * L`` values from
memory); ``batch * dim * L * N`` exponentials and ``5 * batch * dim * L * N`` other flops. On a
CPU the exponentials dominate: the kernel uses a branch-free polynomial ``exp`` that vectorises
across channels whenever ``delta >= 0`` and ``A <= 0`` (the Mamba parametrisation, where ``delta`` is a
softplus and ``A = -exp(A_log)``), and the library ``exp`` otherwise.

float16 is computed in float32. The result has the float dtype of all inputs combined.

>>> import numpy as np
>>> u = np.ones((1, 1, 4)); delta = np.array([[[1.0, 0.0, 0.0, 50.0]]])
>>> A = np.array([[-1.0]]); B = C = np.ones((1, 1, 4))
>>> selective_scan(u, delta, A, B, C).round(6)  # delta = 0 holds the state; delta = 50 forgets it
array([[[ 1.,  1.,  1., 50.]]])
"""

import math
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt
from numba import prange

from kernels._arrays import array_module, is_cupy_array
from kernels._checks import check_selective_scan_args
from kernels._dtypes import accumulator_dtype
from kernels._fastmath import exp_nonpositive

__all__ = ["selective_scan", "selective_scan_channel"]


def selective_scan(
    u: npt.ArrayLike,
    delta: npt.ArrayLike,
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    C: npt.ArrayLike,
    D: npt.ArrayLike | None = None,
) -> np.ndarray:
    """``y (batch, dim, L)`` of the S6 recurrence (shapes in the module docstring)."""
    u, delta, A, B, C, D = check_selective_scan_args(u, delta, A, B, C, D)
    inputs = (u, delta, A, B, C) + (() if D is None else (D,))
    dtype = np.result_type(*(a.dtype for a in inputs))
    acc = accumulator_dtype(dtype)
    xp = array_module(u)
    batch, dim, length = u.shape
    y = xp.empty((batch, dim, length), dtype=acc)
    if y.size == 0:
        return y.astype(dtype)
    has_d = D is not None
    D = xp.zeros(dim, dtype=acc) if D is None else xp.ascontiguousarray(D, dtype=acc)
    if is_cupy_array(u):
        from kernels import state_space_cuda

        u, delta, A, B, C = (xp.ascontiguousarray(a, dtype=acc) for a in (u, delta, A, B, C))
        state_space_cuda.launch(u, delta, A, B, C, D, has_d, y, None)
    else:
        u, delta, A = (np.ascontiguousarray(a, dtype=acc) for a in (u, delta, A))
        # (batch, L, N): the N values of B and C a step needs sit side by side
        Bt, Ct = (np.ascontiguousarray(np.swapaxes(a, 1, 2), dtype=acc) for a in (B, C))
        _scan_channels(u, delta, A, Bt, Ct, D, has_d, y)
    with np.errstate(over="ignore"):  # a float16 result past 65504 is inf, as numpy casts
        return y.astype(dtype, copy=False)


# --- the readable form: one channel, the recurrence exactly as stated ---------------------------


def selective_scan_channel(
    u: Sequence[float],
    delta: Sequence[float],
    a: Sequence[float],
    b: Sequence[Sequence[float]],
    c: Sequence[Sequence[float]],
    d: float = 0.0,
) -> list[float]:
    """One ``(batch, dim)`` channel: ``u, delta`` of length ``L``, ``a`` of length ``N``, ``b, c``
    as ``L`` lists of ``N`` (pure Python; the kernels' model).

    >>> selective_scan_channel([1.0, 1.0], [0.5, 0.5], [0.0], [[2.0], [2.0]], [[1.0], [1.0]])
    [1.0, 2.0]
    """
    h = [0.0] * len(a)
    y = []
    for t in range(len(u)):
        h = [math.exp(delta[t] * a[n]) * h[n] + delta[t] * b[t][n] * u[t] for n in range(len(a))]
        y.append(sum(c[t][n] * h[n] for n in range(len(a))) + d * u[t])
    return y


# --- the fast form ------------------------------------------------------------------------------
#
# One task per (batch entry, block of _CHANNELS channels), in parallel. Within a task the vector
# lanes run across channels, not across the N states: every channel of the block takes the same
# steps, so the innermost loop (over the block's channels) has no reduction and no dependence,
# and it vectorises; the sum over n becomes a vertical accumulation into y. Time goes in chunks
# of _STEPS: the chunk's u and delta are staged transposed, (step, channel), in a small buffer
# (L1), and y leaves through one. The state h (N x _CHANNELS) never leaves L1. B and C, transposed
# to (batch, L, N), are shared by all channel blocks of a batch entry and are read from cache.
#
# The recurrence here is the scan of kernels.linear_recurrence, written out for this shape: each
# (channel, n) is h_t = a_t h_{t-1} + b_t with a_t = exp(delta_t A_n), b_t = delta_t B_tn u_t, and
# the readout by C fused in. Once the shared scan core takes maps computed on the fly and an
# epilogue per step, this kernel is an instance of it; the core's chunked form (per-chunk maps
# composed across chunks) would add parallelism along L when batch * dim is small.

_FASTMATH = {"reassoc", "contract"}  # no nnan / ninf: NaN and inf keep their meaning
_CHANNELS = 64
_STEPS = 512


@numba.njit(parallel=True, cache=True, error_model="numpy", fastmath=_FASTMATH)
def _scan_channels(u, delta, A, Bt, Ct, D, has_d, y):
    batch, dim, length = u.shape
    n = A.shape[1]
    blocks = (dim + _CHANNELS - 1) // _CHANNELS
    for task in prange(batch * blocks):
        b, d0 = task // blocks, (task % blocks) * _CHANNELS
        w = min(_CHANNELS, dim - d0)
        a_t = np.empty((n, w), dtype=y.dtype)  # A of the block, (state, channel)
        for k in range(n):
            for c in range(w):
                a_t[k, c] = A[d0 + c, k]
        skip = D[d0 : d0 + w]
        h = np.zeros((n, w), dtype=y.dtype)
        u_s = np.empty((_STEPS, w), dtype=y.dtype)
        delta_s = np.empty((_STEPS, w), dtype=y.dtype)
        y_s = np.empty((_STEPS, w), dtype=y.dtype)
        # delta >= 0 and A <= 0 (NaN fails both): every exponent is <= 0, the polynomial holds
        nonpositive = (n == 0 or np.max(a_t) <= 0) and (
            length == 0 or np.min(delta[b, d0 : d0 + w]) >= 0
        )
        for t0 in range(0, length, _STEPS):
            steps = min(_STEPS, length - t0)
            for c in range(w):
                u_row, delta_row = u[b, d0 + c, t0 : t0 + steps], delta[b, d0 + c, t0 : t0 + steps]
                for s in range(steps):
                    u_s[s, c] = u_row[s]
                    delta_s[s, c] = delta_row[s]
            for s in range(steps):
                dts, us, ys = delta_s[s], u_s[s], y_s[s]
                bt, ct = Bt[b, t0 + s], Ct[b, t0 + s]
                for c in range(w):
                    ys[c] = 0.0
                for k in range(n):
                    bk, ck, hk, ak = bt[k], ct[k], h[k], a_t[k]
                    if nonpositive:
                        for c in range(w):
                            v = exp_nonpositive(dts[c] * ak[c]) * hk[c] + dts[c] * us[c] * bk
                            hk[c] = v
                            ys[c] += ck * v
                    else:
                        for c in range(w):
                            v = math.exp(dts[c] * ak[c]) * hk[c] + dts[c] * us[c] * bk
                            hk[c] = v
                            ys[c] += ck * v
                if has_d:
                    for c in range(w):
                        ys[c] += skip[c] * us[c]
            for c in range(w):
                y_row = y[b, d0 + c, t0 : t0 + steps]
                for s in range(steps):
                    y_row[s] = y_s[s, c]
