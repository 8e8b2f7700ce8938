"""Prefix scan: running sums, products, maxima or minima, inclusive or exclusive.

Reference: :func:`kernels.reference.scan`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Example, Problem, close_by_dtype

STATEMENT = """
Given a 1-D float64 array `x`, an operation `op` (`"add"`, `"mul"`, `"max"` or `"min"`) and a
flag `inclusive`, return the prefix scan of `x` under `op`, a float64 array of the same shape:

- inclusive: `out[i] = x[0] op x[1] op ... op x[i]`
- exclusive: `out[0]` is the identity of `op` (`0`, `1`, `-inf`, `inf`), and
  `out[i] = x[0] op ... op x[i-1]` for `i >= 1`.

The parallel form (Blelloch's up-sweep and down-sweep, or a scan of blocks and then of block
totals) does O(n) work; a sequential loop is accepted too.

Constraints:

- `1 <= len(x) <= 10**6`; entries finite, `|x[i]| <= 10`.
- Do not change `x`.
- Answers are compared with a relative tolerance of 1e-10 of the output's scale.
"""


def reference(x, op, inclusive):
    from kernels.reference import scan

    return scan(x, op=op, inclusive=inclusive)


_elements = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


def arguments():
    return st.tuples(
        hnp.arrays(np.float64, st.integers(1, 40), elements=_elements),
        st.sampled_from(["add", "mul", "max", "min"]),
        st.booleans(),
    )


def scaling(n, rng):
    return (np.array([rng.uniform(-10, 10) for _ in range(n)]), "add", True)


PROBLEM = Problem(
    id="prefix-scan",
    aliases=("scan",),
    title="Prefix Scan",
    family="scan",
    statement=STATEMENT,
    signature="def prefix_scan(x: np.ndarray, op: str, inclusive: bool) -> np.ndarray:",
    function_name="prefix_scan",
    parameters=("x", "op", "inclusive"),
    examples=(
        Example((np.array([1.0, 2.0, 3.0, 4.0]), "add", True), np.array([1.0, 3.0, 6.0, 10.0])),
        Example((np.array([1.0, 2.0, 3.0, 4.0]), "add", False), np.array([0.0, 1.0, 3.0, 6.0])),
        Example((np.array([3.0, 1.0, 4.0, 1.0]), "max", False), np.array([-np.inf, 3.0, 3.0, 4.0])),
        Example((np.array([2.0, -1.0, 3.0]), "mul", True), np.array([2.0, -2.0, -6.0])),
    ),
    reference=reference,
    arguments=arguments,
    compare=close_by_dtype,
    scaling=scaling,
    sizes=(2000, 8000, 32000),
    growth=1.0,
)
