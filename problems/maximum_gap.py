"""Maximum Gap (LeetCode 164): the largest difference between successive values in sorted order.

Reference: :func:`algos.maximum_gap`, buckets (linear time).
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, exact

STATEMENT = """
Given a list of integers `nums`, return the largest difference between two successive values
of its sorted form. Return `0` when the list has fewer than two values.

Constraints:

- `1 <= len(nums) <= 10**5`
- `0 <= nums[i] <= 10**9`
- Do not change `nums`.
- Linear time is possible (pigeonhole: with n values spread over [lo, hi], the largest gap is at
  least (hi - lo) / (n - 1), so it never lies inside a bucket of that width). Sorting, O(n log n),
  is accepted.
"""


def reference(nums):
    from algos import maximum_gap

    return maximum_gap(nums)


def arguments():
    return st.tuples(st.lists(st.integers(0, 10**9), min_size=1, max_size=60))


BOUNDS = (
    Bound("longest nums", 10**5, lambda n, rng: (rng.choices(range(10**9 + 1), k=n),)),
    Bound(
        "longest nums with the extremes 0 and 10**9",
        10**5,
        lambda n, rng: ([0, 10**9] + rng.choices(range(10**9 + 1), k=n - 2),),
    ),
    Bound(
        "longest nums, evenly spread (every gap equal but one)",
        10**5,
        lambda n, rng: ([i * (10**9 // max(1, n)) for i in range(n - 1)] + [10**9],),
    ),
    Bound(
        "longest nums of few distinct values",
        10**5,
        lambda n, rng: (rng.choices((0, 1, 10**9 - 1, 10**9), k=n),),
    ),
)


def scaling(n, rng):
    return (rng.choices(range(10**9 + 1), k=n),)


PROBLEM = Problem(
    id="maximum-gap",
    aliases=("lc164",),
    title="Maximum Gap",
    statement=STATEMENT,
    signature="def maximum_gap(nums: list[int]) -> int:",
    function_name="maximum_gap",
    parameters=("nums",),
    examples=(
        Example(([3, 6, 9, 1],), 3, "Sorted: [1, 3, 6, 9]; the gaps are 2, 3 and 3."),
        Example(([10],), 0, "Fewer than two values."),
        Example(([1, 1, 1, 5],), 4),
    ),
    reference=reference,
    arguments=arguments,
    compare=exact,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(500, 2000, 8000),
    growth=1.0,
)
