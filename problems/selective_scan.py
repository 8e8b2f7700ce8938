"""Selective scan (Mamba's S6): a linear recurrence per channel and state, read out by C.

Reference: :func:`kernels.reference.selective_scan`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given float64 arrays `u` and `delta` of shape `(dim, L)`, `A` of shape `(dim, N)`, `B` and `C` of
shape `(N, L)` and `D` of shape `(dim,)`, return the float64 array `y` of shape `(dim, L)` of the
state-space recurrence of Mamba: every channel `d` carries a state `h` of `N` numbers, zero
before the first step, and at step `t`

    h[n] = exp(delta[d, t] * A[d, n]) * h[n] + delta[d, t] * B[n, t] * u[d, t]   (each n)
    y[d, t] = sum_n C[n, t] * h[n] + D[d] * u[d, t]

The step size `delta` depends on the input: with `A < 0`, a large `delta` makes `exp(delta * A)`
vanish (the state forgets its past and takes in `u`), `delta = 0` holds the state unchanged. Each
`(d, n)` is the linear recurrence `h_t = a_t h_{t-1} + b_t`; loop over time once, with all
channels and states of a step at once.

Constraints:

- `1 <= dim <= 256`, `1 <= N <= 16`, `1 <= L <= 10**4`; `0 <= delta <= 10`, `-10 <= A <= 0`,
  the other entries finite with `|entry| <= 10`.
- Do not change the inputs.
- Answers are compared elementwise within the float64 rounding error that the recurrence allows
  on this input (`kernels.tolerances.selective_scan_bound`: it grows with `L` and with the size
  the state reaches).
"""


def reference(u, delta, A, B, C, D):
    from kernels.reference import selective_scan

    return selective_scan(u[None], delta[None], A, B[None], C[None], D)[0]


_values = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


@st.composite
def arguments(draw):
    dim, n, length = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 8))
    u = draw(hnp.arrays(np.float64, (dim, length), elements=_values))
    delta = draw(
        hnp.arrays(np.float64, (dim, length), elements=st.floats(0, 10, allow_subnormal=False))
    )
    A = draw(hnp.arrays(np.float64, (dim, n), elements=st.floats(-10, 0, allow_subnormal=False)))
    B = draw(hnp.arrays(np.float64, (n, length), elements=_values))
    C = draw(hnp.arrays(np.float64, (n, length), elements=_values))
    D = draw(hnp.arrays(np.float64, dim, elements=_values))
    return (u, delta, A, B, C, D)


def _uniform(shape, rng, low, high):
    return np.random.default_rng(rng.randrange(2**32)).uniform(low, high, shape)


def _longest(length, rng, dim=256, states=16, delta_high=10.0):
    return (
        _uniform((dim, length), rng, -10, 10),
        _uniform((dim, length), rng, 0, delta_high),
        _uniform((dim, states), rng, -10, 0),
        _uniform((states, length), rng, -10, 10),
        _uniform((states, length), rng, -10, 10),
        _uniform(dim, rng, -10, 10),
    )


BOUNDS = (
    Bound("longest input (dim = 256, N = 16, L = 10**4)", 10**4, lambda n, rng: _longest(n, rng)),
    Bound(
        "small steps: delta <= 0.01 keeps a long memory",
        10**4,
        lambda n, rng: _longest(n, rng, dim=16, delta_high=0.01),
    ),
    Bound(
        "extreme values: delta = 10, A = -10 (the state forgets at once), |u| = |B| = |C| = 10",
        10**4,
        lambda n, rng: (
            np.full((4, n), 10.0),
            np.full((4, n), 10.0),
            np.full((4, 16), -10.0),
            np.full((16, n), -10.0),
            np.full((16, n), 10.0),
            np.full(4, 10.0),
        ),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import selective_scan_bound

    u, delta, A, B, C, D = args
    return selective_scan_bound(u[None], delta[None], A, B[None], C[None], D, dtype)[0]


def scaling(n, rng):
    generator = np.random.default_rng(rng.randrange(2**32))
    dim, states = 64, 16
    return (
        generator.standard_normal((dim, n)),
        generator.uniform(0, 1, (dim, n)),
        -generator.uniform(0, 4, (dim, states)),
        generator.standard_normal((states, n)),
        generator.standard_normal((states, n)),
        generator.standard_normal(dim),
    )


def _kernel_call(selective_scan, u, delta, A, B, C, D):
    return selective_scan(u[None], delta[None], A, B[None], C[None], D)[0]


def _bytes(u, delta, A, B, C, D):
    """Read u, delta, A, B, C and D once, write y once."""
    return 3 * u.nbytes + A.nbytes + B.nbytes + C.nbytes + D.nbytes


SPEED = Speed("kernels.selective_scan", _kernel_call, _bytes)


PROBLEM = Problem(
    id="selective-scan",
    aliases=("mamba", "s6"),
    title="Selective Scan",
    statement=STATEMENT,
    signature=(
        "def selective_scan(u: np.ndarray, delta: np.ndarray, A: np.ndarray, B: np.ndarray,\n"
        "                   C: np.ndarray, D: np.ndarray) -> np.ndarray:"
    ),
    function_name="selective_scan",
    parameters=("u", "delta", "A", "B", "C", "D"),
    examples=(
        Example(
            (
                np.ones((1, 3)),
                np.full((1, 3), np.log(2.0)),
                -np.ones((1, 1)),
                np.full((1, 3), 1 / np.log(2.0)),
                np.ones((1, 3)),
                np.zeros(1),
            ),
            np.array([[1.0, 1.5, 1.75]]),
            "exp(delta * A) = 1/2 and delta * B * u = 1: h = h / 2 + 1.",
        ),
        Example(
            (
                np.array([[2.0, 5.0, 7.0]]),
                np.array([[1.0, 0.0, 0.0]]),
                -np.ones((1, 1)),
                np.ones((1, 3)),
                np.ones((1, 3)),
                np.array([1.0]),
            ),
            np.array([[4.0, 7.0, 9.0]]),
            "delta = 0 holds h = 2 after the first step; D * u adds the input itself.",
        ),
    ),
    reference=reference,
    arguments=arguments,
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(500, 1000, 2000),
    size_name="L (dim = 64, N = 16)",
    growth=1.0,
)
