"""Prefix scan: running sums, products, maxima or minima, inclusive or exclusive.

Reference: :func:`kernels.reference.scan`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given a 1-D float64 array `x`, an operation `op` (`"add"`, `"mul"`, `"max"` or `"min"`) and a
flag `inclusive`, return the prefix scan of `x` under `op`, a float64 array of the same shape:

- inclusive: `out[i] = x[0] op x[1] op ... op x[i]`
- exclusive: `out[0]` is the identity of `op` (`0`, `1`, `-inf`, `inf`), and
  `out[i] = x[0] op ... op x[i-1]` for `i >= 1`.

The parallel form (Blelloch's up-sweep and down-sweep, or a scan of blocks and then of block
totals) does O(n) work; a sequential loop is accepted too.

Constraints:

- `1 <= len(x) <= 10**5`; entries finite, `|x[i]| <= 10`.
- Do not change `x`.
- Answers are compared elementwise within the float64 rounding error the scan allows on this
  input (`kernels.tolerances.scan_bound`: for sums it grows with the length and the magnitude
  of the prefix, for products with the length; maxima and minima are exact).
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


def _uniform(n, rng, low=-10, high=10):
    return np.array([rng.uniform(low, high) for _ in range(n)])


def _longest(op, inclusive):
    return lambda n, rng: (_uniform(n, rng), op, inclusive)


BOUNDS = tuple(
    Bound(f"longest x, op = {op!r}, inclusive = {inclusive}", 10**5, _longest(op, inclusive))
    for op in ("add", "mul", "max", "min")
    for inclusive in (True, False)
) + (
    Bound(
        "longest x, every x[i] = 10, op = 'add'",
        10**5,
        lambda n, rng: (np.full(n, 10.0), "add", True),
    ),
    Bound(
        "longest x of values near 1, op = 'mul'",
        10**5,
        lambda n, rng: (_uniform(n, rng, 0.999, 1.001), "mul", True),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import scan_bound

    x, op, inclusive = args
    bound = scan_bound(x, op, dtype)
    if inclusive:
        return bound
    # Exclusive: out[i] is the inclusive scan's out[i - 1]; out[0], the identity, is exact.
    return np.concatenate([np.zeros(1), bound[:-1]])


def scaling(n, rng):
    return (np.array([rng.uniform(-10, 10) for _ in range(n)]), "add", True)


def _kernel_call(scan, x, op, inclusive):
    return scan(x, op, inclusive=inclusive)


SPEED = Speed("kernels.scan", _kernel_call, lambda x, op, inclusive: 2 * x.nbytes)


PROBLEM = Problem(
    id="prefix-scan",
    aliases=("scan",),
    title="Prefix Scan",
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
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(2000, 8000, 32000),
    growth=1.0,
)
