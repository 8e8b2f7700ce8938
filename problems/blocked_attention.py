"""Blocked attention: softmax(q k^T * scale) v, over blocks of keys with online rescaling.

Reference: :func:`kernels.reference.attention`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Example, Problem, close_by_dtype

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

- `1 <= Lq, Lk <= 4096`, `1 <= D, Dv <= 256`, entries finite, `|entry| <= 10`.
- With `causal=True`, `Lq <= Lk` is not required: every query sees at least key 0.
- Do not change the inputs.
- Answers are compared with a relative tolerance of 1e-10 of the output's scale.
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


def scaling(n, rng):
    generator = np.random.default_rng(rng.randrange(2**32))
    q, k, v = (generator.standard_normal((n, 16)) for _ in range(3))
    return (q, k, v, False)


PROBLEM = Problem(
    id="blocked-attention",
    aliases=("attention", "flash-attention"),
    title="Blocked Attention",
    family="attention",
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
    compare=close_by_dtype,
    scaling=scaling,
    sizes=(64, 128, 256),
    size_name="Lq = Lk (D = 16)",
    growth=2.0,
)
