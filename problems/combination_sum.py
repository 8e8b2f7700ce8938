"""Combination Sum (LeetCode 39): every multiset of candidates (reusable) that sums to target.

Reference: :func:`algos.combination_sum`, backtracking over sorted candidates.
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, unordered_combinations

STATEMENT = """
Given a list of distinct positive integers `candidates` and a positive integer `target`,
return every combination of candidates whose sum is `target`. A candidate may be used any
number of times. Two combinations are the same when they use each candidate the same number of
times: list each once. The combinations may come in any order, and so may the numbers inside
each.

Constraints:

- `1 <= len(candidates) <= 30`
- `2 <= candidates[i] <= 40`, all distinct
- `1 <= target <= 40`
- Do not change `candidates`.
"""


def reference(candidates, target):
    from algos import combination_sum

    return combination_sum(candidates, target)


@st.composite
def arguments(draw):
    candidates = draw(st.lists(st.integers(2, 20), min_size=1, max_size=6, unique=True))
    target = draw(st.integers(1, 30))
    return (candidates, target)


def _candidates(count, rng):
    return rng.sample(range(2, 41), count)


BOUNDS = (
    Bound("the most candidates, target = 40", 30, lambda n, rng: (_candidates(n, rng), 40)),
    Bound(
        "every small candidate, the largest target",
        40,
        lambda n, rng: (list(range(2, min(31, n + 2))), n),
    ),
    Bound("the largest candidate and target, 40", 40, lambda n, rng: ([2, 3, 40], n)),
)


def scaling(n, rng):
    # The answer itself grows quickly with the target: time is compared with the reference's.
    return (list(range(3, 13)), n)


PROBLEM = Problem(
    id="combination-sum",
    aliases=("lc39",),
    title="Combination Sum",
    statement=STATEMENT,
    signature="def combination_sum(candidates: list[int], target: int) -> list[list[int]]:",
    function_name="combination_sum",
    parameters=("candidates", "target"),
    examples=(
        Example(([2, 3, 6, 7], 7), [[2, 2, 3], [7]]),
        Example(([2, 3, 5], 8), [[2, 2, 2, 2], [2, 3, 3], [3, 5]]),
        Example(([2], 1), []),
    ),
    reference=reference,
    arguments=arguments,
    compare=unordered_combinations,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(30, 40, 50),
    size_name="target",
)
