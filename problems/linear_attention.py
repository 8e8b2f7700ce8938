"""Linear attention: attention weights phi(q) . phi(k) instead of exp(q . k), in linear time.

Reference: :func:`kernels.linear_attention` (checked in the test suite against
:func:`kernels.reference.linear_attention`, which materialises the weights); its time grows
linearly with the length, the growth a solution must match.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given float64 arrays `q` of shape `(N, D)`, `k` of shape `(N, D)` and `v` of shape `(N, Dv)` and a
bool `causal`, return the float64 array `y` of shape `(N, Dv)` with

    y[i] = sum_j w[i, j] * v[j] / sum_j w[i, j],    w[i, j] = phi(q[i]) . phi(k[j]),

where `phi(x) = elu(x) + 1` elementwise (`x + 1` for `x > 0`, `exp(x)` otherwise: always
positive), the sums over all `j` or, with `causal=True`, over `j <= i`.

Written as above it costs `O(N^2 D)`. Reassociate: `sum_j (phi(q_i) . phi(k_j)) v_j =
phi(q_i)^T S` with `S = sum_j phi(k_j) v_j^T` (a `D x Dv` matrix) and the denominator
`phi(q_i) . z` with `z = sum_j phi(k_j)`. Causal attention keeps `S` and `z` as running sums:
a recurrent network with a `D x Dv` state, `O(N D Dv)` in all.

Constraints:

- `1 <= N <= 2048`, `1 <= D, Dv <= 64`, entries finite, `|entry| <= 10`.
- Do not change the inputs.
- Your time must grow linearly in `N`.
- Answers are compared elementwise within the float64 rounding error that the sums allow on
  this input (`kernels.tolerances.linear_attention_bound`: it grows with `N`, `D` and `max|v|`).
"""


def reference(q, k, v, causal):
    from kernels.reference import linear_attention

    return linear_attention(q, k, v, causal=causal)


_elements = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


@st.composite
def arguments(draw):
    n, d, dv = draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    q = draw(hnp.arrays(np.float64, (n, d), elements=_elements))
    k = draw(hnp.arrays(np.float64, (n, d), elements=_elements))
    v = draw(hnp.arrays(np.float64, (n, dv), elements=_elements))
    return (q, k, v, draw(st.booleans()))


def _matrix(n, d, rng, low=-10.0, high=10.0):
    return np.random.default_rng(rng.randrange(2**32)).uniform(low, high, (n, d))


BOUNDS = (
    Bound(
        "longest input (N = 2048, D = Dv = 64), causal",
        2048,
        lambda n, rng: (_matrix(n, 64, rng), _matrix(n, 64, rng), _matrix(n, 64, rng), True),
    ),
    Bound(
        "longest input, not causal",
        2048,
        lambda n, rng: (_matrix(n, 64, rng), _matrix(n, 64, rng), _matrix(n, 64, rng), False),
    ),
    Bound(
        "extreme values |entry| = 10 (phi spans exp(-10) to 11), causal",
        2048,
        lambda n, rng: (
            tuple(
                np.array([[rng.choice((-10.0, 10.0)) for _ in range(8)] for _ in range(n)])
                for _ in range(3)
            )
            + (True,)
        ),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import linear_attention_bound

    q, k, v, _ = args
    return linear_attention_bound(q, k, v, dtype)


def scaling(n, rng):
    generator = np.random.default_rng(rng.randrange(2**32))
    q, k, v = (generator.standard_normal((n, 16)) for _ in range(3))
    return (q, k, v, True)


def _kernel_call(linear_attention, q, k, v, causal):
    return linear_attention(q, k, v, causal=causal)


def _flops(q, k, v, causal):
    """``phi(K)^T V`` and ``phi(Q) S`` (or the running state, causal): ``4 N D Dv``."""
    return 4 * q.shape[0] * q.shape[1] * v.shape[1]


SPEED = Speed("kernels.linear_attention", _kernel_call, _flops, unit="flops")


PROBLEM = Problem(
    id="linear-attention",
    aliases=("transformers-are-rnns",),
    title="Linear Attention",
    statement=STATEMENT,
    signature=(
        "def linear_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,\n"
        "                     causal: bool) -> np.ndarray:"
    ),
    function_name="linear_attention",
    parameters=("q", "k", "v", "causal"),
    examples=(
        Example(
            (np.zeros((3, 2)), np.zeros((3, 2)), np.array([[3.0], [6.0], [9.0]]), False),
            np.array([[6.0], [6.0], [6.0]]),
            "phi(0) = 1: every key weighs the same, each row is the mean of v.",
        ),
        Example(
            (np.zeros((3, 2)), np.zeros((3, 2)), np.array([[3.0], [6.0], [9.0]]), True),
            np.array([[3.0], [4.5], [6.0]]),
            "Causal: row i is the mean of the values 0..i.",
        ),
        Example(
            (np.array([[1.0], [1.0]]), np.array([[1.0], [0.0]]), np.array([[4.0], [1.0]]), True),
            np.array([[4.0], [3.0]]),
            "phi(1) = 2, phi(0) = 1: row 1 weighs the values 2:1, (8 + 1) / 3 = 3.",
        ),
    ),
    reference=reference,
    arguments=arguments,
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(2000, 4000, 8000),  # a quadratic solution holds 512 MiB of weights at the last
    size_name="N (D = Dv = 16)",
    growth=1.0,
)
