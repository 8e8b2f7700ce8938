"""Online softmax: softmax of a vector in one pass, stable for any finite input.

Reference: :func:`kernels.reference.softmax`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given a 1-D numpy array `x` of float64, return `softmax(x)`: `exp(x[i]) / sum(exp(x))`, a new
float64 array of the same shape.

Computed as written, `exp` overflows for `x[i] > 709` (and every term underflows to 0 for very
negative inputs), giving NaN. Subtract the maximum first: `exp(x - max(x))` has the same ratios
and never overflows. The *online* form reads `x` once: keep a running maximum `m` and a running
sum `s` of `exp(x[j] - m)`; when a new maximum `m'` arrives, rescale `s` by `exp(m - m')`.

Constraints:

- `1 <= len(x) <= 10**5`; every `x[i]` is finite, `|x[i]| <= 10**4`.
- Do not change `x`.
- Answers are compared elementwise within the float64 rounding error that softmax allows on
  this input (`kernels.tolerances.softmax_bound`: it grows with `len(x)` and with the distance
  of `x[i]` from the maximum).
"""


def reference(x):
    from kernels.reference import softmax

    return softmax(x)


_elements = st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False)


def arguments():
    return st.tuples(hnp.arrays(np.float64, st.integers(1, 40), elements=_elements))


def _uniform(n, rng, low, high):
    return np.array([rng.uniform(low, high) for _ in range(n)])


BOUNDS = (
    Bound("longest x", 10**5, lambda n, rng: (_uniform(n, rng, -50, 50),)),
    Bound(
        "extreme values |x[i]| = 10**4",
        10**5,
        lambda n, rng: (np.array([rng.choice((-1e4, 1e4, -1e4 + 1, 1e4 - 1)) for _ in range(n)]),),
    ),
    Bound(
        "values spread over [-10**4, 10**4]", 10**5, lambda n, rng: (_uniform(n, rng, -1e4, 1e4),)
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import softmax_bound

    return softmax_bound(args[0], dtype)


def scaling(n, rng):
    return (np.array([rng.uniform(-50, 50) for _ in range(n)]),)


def _kernel_call(softmax, x):
    return softmax(x)


SPEED = Speed("kernels.softmax", _kernel_call, lambda x: 2 * x.nbytes)  # read x, write the result


PROBLEM = Problem(
    id="online-softmax",
    aliases=("softmax",),
    title="Online Softmax",
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
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(2000, 8000, 32000),
    growth=1.0,
)
