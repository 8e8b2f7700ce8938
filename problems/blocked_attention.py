"""Blocked attention: softmax(q k^T * scale) v, over blocks of keys with online rescaling.

Reference: :func:`kernels.reference.attention`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given float64 arrays `q` of shape `(Lq, D)`, `k` of shape `(Lk, D)` and `v` of shape `(Lk, Dv)`,
return the attention output `softmax(q @ k.T / sqrt(D)) @ v` of shape `(Lq, Dv)`, the softmax
taken over each row (over the keys). With `causal=True`, query `i` sees only keys `j <= i`
(the others get weight 0).

Write it blocked, as FlashAttention does: walk the keys in blocks, keeping for each query a
running maximum score `m`, a running normaliser `l` and a running output `o`; when a block
raises the maximum to `m'`, rescale `l` and `o` by `exp(m - m')`. The `Lq x Lk` score matrix is
never held in memory at once, and the result equals the plain formula.

Constraints:

- `1 <= Lq, Lk <= 1024`, `1 <= D, Dv <= 64`, entries finite, `|entry| <= 10`.
- With `causal=True`, `Lq <= Lk` is not required: every query sees at least key 0.
- Do not change the inputs.
- Answers are compared within the float64 rounding error attention allows on this input
  (`kernels.tolerances.attention_bound`: it grows with the size of the scores, with `D` and
  with `Lk`).
"""


def reference(q, k, v, causal):
    from kernels.reference import attention

    return attention(q, k, v, causal=causal)


_elements = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


@st.composite
def arguments(draw):
    lq, lk, d, dv = (draw(st.integers(1, 6)) for _ in range(4))
    q = draw(hnp.arrays(np.float64, (lq, d), elements=_elements))
    k = draw(hnp.arrays(np.float64, (lk, d), elements=_elements))
    v = draw(hnp.arrays(np.float64, (lk, dv), elements=_elements))
    return (q, k, v, draw(st.booleans()))


def _normal(rng, shape, scale=1.0):
    return np.random.default_rng(rng.randrange(2**32)).standard_normal(shape) * scale


def _extreme(rng, shape):
    return np.random.default_rng(rng.randrange(2**32)).choice([-10.0, 10.0], size=shape)


BOUNDS = (
    Bound(
        "longest queries and keys, D = Dv = 64",
        1024,
        lambda n, rng: (_normal(rng, (n, 64)), _normal(rng, (n, 64)), _normal(rng, (n, 64)), False),
    ),
    Bound(
        "longest, causal",
        1024,
        lambda n, rng: (_normal(rng, (n, 64)), _normal(rng, (n, 64)), _normal(rng, (n, 64)), True),
    ),
    Bound(
        "extreme entries |entry| = 10 (scores up to 800)",
        1024,
        lambda n, rng: (
            _extreme(rng, (n, 64)),
            _extreme(rng, (n, 64)),
            _extreme(rng, (n, 64)),
            False,
        ),
    ),
    Bound(
        "one query, the most keys, D = 1",
        1024,
        lambda n, rng: (
            _normal(rng, (1, 1), 10),
            _normal(rng, (n, 1), 10),
            _normal(rng, (n, 1)),
            False,
        ),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import attention_bound

    q, k, v, causal = args
    return attention_bound(q, k, v, dtype, causal=causal)


def scaling(n, rng):
    generator = np.random.default_rng(rng.randrange(2**32))
    q, k, v = (generator.standard_normal((n, 16)) for _ in range(3))
    return (q, k, v, False)


def _kernel_call(attention, q, k, v, causal):
    return attention(q, k, v, causal=causal)


def _flops(q, k, v, causal):
    """Two products, ``q k^T`` and ``p v``: ``2 Lq Lk (D + Dv)`` (half of it when causal)."""
    flops = 2 * q.shape[0] * k.shape[0] * (q.shape[1] + v.shape[1])
    return flops / 2 if causal else flops


SPEED = Speed("kernels.attention", _kernel_call, _flops, unit="flops")


PROBLEM = Problem(
    id="blocked-attention",
    aliases=("attention", "flash-attention"),
    title="Blocked Attention",
    statement=STATEMENT,
    signature=(
        "def attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,\n"
        "              causal: bool) -> np.ndarray:"
    ),
    function_name="attention",
    parameters=("q", "k", "v", "causal"),
    examples=(
        Example(
            (np.array([[0.0]]), np.array([[1.0], [2.0]]), np.array([[1.0], [3.0]]), False),
            np.array([[2.0]]),
            "Every score is 0: equal weights, the mean of v.",
        ),
        Example(
            (np.array([[0.0], [0.0]]), np.array([[1.0], [2.0]]), np.array([[1.0], [3.0]]), True),
            np.array([[1.0], [2.0]]),
            "Query 0 sees key 0 only; query 1 sees both.",
        ),
    ),
    reference=reference,
    arguments=arguments,
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(64, 128, 256),
    size_name="Lq = Lk (D = 16)",
    growth=2.0,
)
