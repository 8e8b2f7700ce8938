"""Combination Sum II (LeetCode 40): every combination of candidates, each used at most once.

Reference: :func:`algos.combination_sum2`, backtracking that skips equal neighbours.
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, unordered_combinations

STATEMENT = """
Given a list of positive integers `candidates` (values may repeat) and a positive integer
`target`, return every combination of candidates whose sum is `target`. Each position of
`candidates` may be used at most once, and the answer must not hold the same combination twice
(equal values at different positions give the same combination). The combinations may come in
any order, and so may the numbers inside each.

Constraints:

- `1 <= len(candidates) <= 100`
- `1 <= candidates[i] <= 50`
- `1 <= target <= 30`
- Do not change `candidates`.
"""


def reference(candidates, target):
    from algos import combination_sum2

    return combination_sum2(candidates, target)


@st.composite
def arguments(draw):
    candidates = draw(st.lists(st.integers(1, 10), min_size=1, max_size=12))
    target = draw(st.integers(1, 20))
    return (candidates, target)


BOUNDS = (
    Bound(
        "the most candidates, target = 30",
        100,
        lambda n, rng: ([rng.randint(1, 50) for _ in range(n)], 30),
    ),
    Bound(
        "the most candidates, many repeats, target = 30",
        100,
        lambda n, rng: ([rng.randint(1, 6) for _ in range(n)], 30),
    ),
    Bound(
        "the extremes 1 and 50, the largest target", 30, lambda n, rng: ([1] * 60 + [50] * 40, n)
    ),
)


def scaling(n, rng):
    return ([rng.randint(1, 6) for _ in range(n)], 12)


PROBLEM = Problem(
    id="combination-sum-ii",
    aliases=("lc40",),
    title="Combination Sum II",
    statement=STATEMENT,
    signature="def combination_sum2(candidates: list[int], target: int) -> list[list[int]]:",
    function_name="combination_sum2",
    parameters=("candidates", "target"),
    examples=(
        Example(([10, 1, 2, 7, 6, 1, 5], 8), [[1, 1, 6], [1, 2, 5], [1, 7], [2, 6]]),
        Example(([2, 5, 2, 1, 2], 5), [[1, 2, 2], [5]]),
    ),
    reference=reference,
    arguments=arguments,
    compare=unordered_combinations,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(25, 50, 100),
    size_name="len(candidates)",
)
