"""Rotary position embeddings: rotate each feature pair by an angle proportional to the position.

Reference: :func:`kernels.reference.rope`.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from problems._problem import Bound, Example, Problem, Speed, within_bound

STATEMENT = """
Given a float64 array `x` of shape `(L, D)` with `D` even (row `l` is the vector of the token at
position `positions[l]`), an integer array `positions` of length `L`, a float `base` and a bool
`interleaved`, return the float64 array of shape `(L, D)` in which every feature pair of row `l`
is rotated by the angle `positions[l] * base**(-2*i/D)` for pair `i` (`0 <= i < D/2`):

    (a, b) -> (a*cos(angle) - b*sin(angle), a*sin(angle) + b*cos(angle))

Pair `i` is `(x[l, 2i], x[l, 2i+1])` when `interleaved` (RoFormer), and `(x[l, i], x[l, i + D/2])`
otherwise (GPT-NeoX and Llama). Rotations preserve length, and the dot product of a query rotated
at position `m` with a key rotated at position `n` depends only on `m - n`: attention sees
relative positions.

Constraints:

- `1 <= L <= 4096`, `2 <= D <= 256`, `D` even; `0 <= positions[l] < 10**5`; `2 <= base <= 10**6`;
  `|x[l, j]| <= 100`.
- Do not change the inputs.
- Answers are compared elementwise within the float64 rounding error that the rotation allows on
  this input (`kernels.tolerances.rope_bound`: it grows with the angle, so with the position).
"""


def reference(x, positions, base, interleaved):
    from kernels.reference import rope

    return rope(x, positions, base=base, interleaved=interleaved)


_elements = st.floats(-100, 100, allow_nan=False, allow_subnormal=False)


@st.composite
def arguments(draw):
    length, half = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    x = draw(hnp.arrays(np.float64, (length, 2 * half), elements=_elements))
    positions = draw(hnp.arrays(np.int64, length, elements=st.integers(0, 10**5 - 1)))
    base = draw(st.sampled_from([10000.0, 2.0, 500000.0]))
    return (x, positions, base, draw(st.booleans()))


def _rows(n, rng, d, low=-100.0, high=100.0):
    return np.random.default_rng(rng.randrange(2**32)).uniform(low, high, (n, d))


def _positions(n, rng, largest=10**5 - 1):
    return np.array([rng.randrange(largest + 1) for _ in range(n)], dtype=np.int64)


BOUNDS = (
    Bound(
        "longest x (L = 4096, D = 256), positions up to 10**5 - 1",
        4096,
        lambda n, rng: (_rows(n, rng, 256), _positions(n, rng), 10000.0, True),
    ),
    Bound(
        "halves layout, largest base 10**6",
        4096,
        lambda n, rng: (_rows(n, rng, 256), _positions(n, rng), 1e6, False),
    ),
    Bound(
        "extreme values |x| = 100 at the largest position, smallest base 2",
        4096,
        lambda n, rng: (
            np.array([[rng.choice((-100.0, 100.0)) for _ in range(8)] for _ in range(n)]),
            np.full(n, 10**5 - 1, dtype=np.int64),
            2.0,
            rng.random() < 0.5,
        ),
    ),
)


def _bound(args, dtype):
    from kernels.tolerances import rope_bound

    x, positions, base, interleaved = args
    return rope_bound(x, dtype, positions, base, interleaved)


def scaling(n, rng):
    generator = np.random.default_rng(rng.randrange(2**32))
    return (generator.standard_normal((n, 64)), np.arange(n), 10000.0, True)


def _kernel_call(rope, x, positions, base, interleaved):
    return rope(x, positions, base=base, interleaved=interleaved)


SPEED = Speed("kernels.rope", _kernel_call, lambda x, positions, base, interleaved: 2 * x.nbytes)


PROBLEM = Problem(
    id="rope",
    aliases=("rotary-position-embedding", "rotary-embedding"),
    title="Rotary Position Embeddings",
    statement=STATEMENT,
    signature=(
        "def rope(x: np.ndarray, positions: np.ndarray, base: float,\n"
        "         interleaved: bool) -> np.ndarray:"
    ),
    function_name="rope",
    parameters=("x", "positions", "base", "interleaved"),
    examples=(
        Example(
            (np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([0, 1]), 10000.0, True),
            np.array([[1.0, 0.0], [np.cos(1.0), np.sin(1.0)]]),
            "Pair 0 turns by the position itself (base**0 = 1): 0 and 1 radian.",
        ),
        Example(
            (np.array([[1.0, 2.0, 3.0, 4.0]]), np.array([0]), 10000.0, False),
            np.array([[1.0, 2.0, 3.0, 4.0]]),
            "Position 0 turns nothing.",
        ),
        Example(
            (np.array([[0.0, 1.0, 1.0, 0.0]]), np.array([2]), 4.0, False),
            np.array([[-np.sin(2.0), np.cos(1.0), np.cos(2.0), np.sin(1.0)]]),
            "Halves layout: pair 0 is (x[0], x[2]) at angle 2, pair 1 is (x[1], x[3]) at angle "
            "2 * 4**(-1/2) = 1.",
        ),
    ),
    reference=reference,
    arguments=arguments,
    compare=within_bound(_bound),
    bounds=BOUNDS,
    speed=SPEED,
    scaling=scaling,
    sizes=(1000, 4000, 16000),
    size_name="L (D = 64)",
    growth=1.0,
)
