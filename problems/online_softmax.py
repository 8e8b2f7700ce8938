"""Online softmax: softmax of a vector in one pass, stable for any finite input.

Reference: :func:`kernels.reference.softmax`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Example, Problem, close_by_dtype

STATEMENT = """
Given a 1-D numpy array `x` of float64, return `softmax(x)`: `exp(x[i]) / sum(exp(x))`, a new
float64 array of the same shape.

Computed as written, `exp` overflows for `x[i] > 709` (and every term underflows to 0 for very
negative inputs), giving NaN. Subtract the maximum first: `exp(x - max(x))` has the same ratios
and never overflows. The *online* form reads `x` once: keep a running maximum `m` and a running
sum `s` of `exp(x[j] - m)`; when a new maximum `m'` arrives, rescale `s` by `exp(m - m')`.

Constraints:

- `1 <= len(x) <= 10**6`; every `x[i]` is finite, `|x[i]| <= 10**4`.
- Do not change `x`.
- Answers are compared with a relative tolerance of 1e-10 of the output's scale.
"""


def reference(x):
    from kernels.reference import softmax

    return softmax(x)


_elements = st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False)


def arguments():
    return st.tuples(hnp.arrays(np.float64, st.integers(1, 40), elements=_elements))


def scaling(n, rng):
    return (np.array([rng.uniform(-50, 50) for _ in range(n)]),)


PROBLEM = Problem(
    id="online-softmax",
    aliases=("softmax",),
    title="Online Softmax",
    family="softmax",
    statement=STATEMENT,
    signature="def softmax(x: np.ndarray) -> np.ndarray:",
    function_name="softmax",
    parameters=("x",),
    examples=(
        Example((np.array([0.0, 0.0]),), np.array([0.5, 0.5])),
        Example(
            (np.array([1000.0, 1000.0, 1000.0, 1000.0]),),
            np.array([0.25, 0.25, 0.25, 0.25]),
            "exp(1000) overflows: subtract the maximum first.",
        ),
        Example((np.array([0.0, np.log(3.0)]),), np.array([0.25, 0.75])),
    ),
    reference=reference,
    arguments=arguments,
    compare=close_by_dtype,
    scaling=scaling,
    sizes=(2000, 8000, 32000),
    growth=1.0,
)
