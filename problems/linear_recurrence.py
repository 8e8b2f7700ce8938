"""Linear recurrence: h[t] = a[t] * h[t-1] + b[t], the scan behind state-space models.

Reference: :func:`kernels.reference.linear_recurrence`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given 1-D float64 arrays `a` and `b` of the same length and a float `h0`, return the float64
array `h` with `h[t] = a[t] * h[t-1] + b[t]`, where `h[-1] = h0`.

A loop does it in O(n). The parallel form treats each step as the affine map `h -> a*h + b`;
composing two maps, `(a1, b1)` then `(a2, b2)`, gives `(a2*a1, a2*b1 + b2)`, an associative
operation, so the recurrence is a prefix scan of these pairs.

Constraints:

- `1 <= len(a) == len(b) <= 10**5`; `|a[t]| <= 1.5`, `|b[t]| <= 10`, `|h0| <= 10`.
- Do not change the inputs.
- Answers are compared elementwise within the float64 rounding error the recurrence allows on
  this input (`kernels.tolerances.recurrence_bound`: it grows with `t` and with the size the
  recurrence on absolute values reaches).
"""


def reference(a, b, h0):
    from kernels.reference import linear_recurrence

    # h[0] = a[0] * h0 + b[0]: fold h0 into b[0] and run the recurrence from 0.
    b = b.copy()
    b[0] = a[0] * h0 + b[0]
    return linear_recurrence(a, b)


@st.composite
def arguments(draw):
    n = draw(st.integers(1, 40))
    a = draw(hnp.arrays(np.float64, n, elements=st.floats(-1.5, 1.5, allow_subnormal=False)))
    b = draw(hnp.arrays(np.float64, n, elements=st.floats(-10, 10, allow_subnormal=False)))
    return (a, b, draw(st.floats(-10, 10, allow_subnormal=False)))


def _uniform(n, rng, low, high):
    return np.array([rng.uniform(low, high) for _ in range(n)])


BOUNDS = (
    Bound(
        "longest a and b, |a[t]| < 1",
        10**5,
        lambda n, rng: (_uniform(n, rng, -1, 1), _uniform(n, rng, -10, 10), rng.uniform(-10, 10)),
    ),
    Bound(
        "longest a and b, a[t] = 1 (a running sum), b[t] = 10, h0 = 10",
        10**5,
        lambda n, rng: (np.ones(n), np.full(n, 10.0), 10.0),
    ),
    # |a| up to 1.5 grows h like 1.5**t: past t ~ 1750 it overflows, so the length stays short.
    Bound(
        "largest |a[t]| = 1.5",
        1000,
        lambda n, rng: (
            np.array([rng.choice((-1.5, 1.5)) for _ in range(n)]),
            _uniform(n, rng, -10, 10),
            rng.choice((-10.0, 10.0)),
        ),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import recurrence_bound

    a, b, h0 = args
    return recurrence_bound(a, b, h0, dtype)


def scaling(n, rng):
    a = np.array([rng.uniform(-1, 1) for _ in range(n)])
    b = np.array([rng.uniform(-10, 10) for _ in range(n)])
    return (a, b, 1.0)


def _kernel_call(linear_recurrence, a, b, h0):
    return linear_recurrence(a, b, h0)


SPEED = Speed("kernels.linear_recurrence", _kernel_call, lambda a, b, h0: 3 * a.nbytes)


PROBLEM = Problem(
    id="linear-recurrence",
    aliases=("recurrence",),
    title="Linear Recurrence",
    statement=STATEMENT,
    signature="def linear_recurrence(a: np.ndarray, b: np.ndarray, h0: float) -> np.ndarray:",
    function_name="linear_recurrence",
    parameters=("a", "b", "h0"),
    examples=(
        Example(
            (np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0]), 0.0),
            np.array([1.0, 3.0, 6.0]),
            "With a = 1 it is a running sum.",
        ),
        Example(
            (np.array([0.5, 0.5]), np.array([0.0, 0.0]), 8.0),
            np.array([4.0, 2.0]),
            "With b = 0 it decays from h0.",
        ),
        Example(
            (np.array([2.0, 0.0, 3.0]), np.array([1.0, 5.0, 1.0]), 1.0), np.array([3.0, 5.0, 16.0])
        ),
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
