"""Sliding Window Maximum (LeetCode 239): the maximum of every window of k consecutive values.

Reference: :func:`algos.sliding_window_max`, a monotonic deque (O(n) for any k).
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, exact

STATEMENT = """
You are given a list of integers `nums` and a window size `k`. A window of size `k` slides
from the left of the list to the right, one position at a time. Return the maximum of each
window, in order: `out[i] = max(nums[i:i+k])`, so the answer has `len(nums) - k + 1` values.

Constraints:

- `1 <= len(nums) <= 10**5`
- `-10**4 <= nums[i] <= 10**4`
- `1 <= k <= len(nums)`
- Do not change `nums`.
- Aim for O(n) time whatever `k` is: an O(n*k) solution is too slow for `k ~ n/10`.
"""


def reference(nums, k):
    from algos import sliding_window_max

    return sliding_window_max(nums, k)


@st.composite
def arguments(draw):
    nums = draw(st.lists(st.integers(-(10**4), 10**4), min_size=1, max_size=60))
    k = draw(st.integers(1, len(nums)))
    return (nums, k)


def _nums(n, rng, values=None):
    if values is None:
        return rng.choices(range(-(10**4), 10**4 + 1), k=n)
    return [rng.choice(values) for _ in range(n)]


# Windows of every kind of width on the longest input; an O(n * k) loop is quick at k = 1 and
# k = n (one window), so these stay fast for a slow solution, which the growth check catches.
BOUNDS = (
    Bound("longest nums, k = 1", 10**5, lambda n, rng: (_nums(n, rng), 1)),
    Bound("longest nums, k = len(nums)", 10**5, lambda n, rng: (_nums(n, rng), n)),
    Bound("longest nums, k = 3", 10**5, lambda n, rng: (_nums(n, rng), min(3, n))),
    Bound("longest nums, k = len(nums) - 1", 10**5, lambda n, rng: (_nums(n, rng), max(1, n - 1))),
    Bound(
        "longest nums of the extreme values -10**4 and 10**4, k = 2",
        10**5,
        lambda n, rng: (_nums(n, rng, (-(10**4), 10**4)), min(2, n)),
    ),
    Bound(
        "longest nums, decreasing, k = 100",
        10**5,
        lambda n, rng: (sorted(_nums(n, rng), reverse=True), min(100, n)),
    ),
)


def scaling(n, rng):
    return ([rng.randint(-(10**4), 10**4) for _ in range(n)], max(1, n // 10))


PROBLEM = Problem(
    id="sliding-window-maximum",
    aliases=("lc239",),
    title="Sliding Window Maximum",
    statement=STATEMENT,
    signature="def sliding_window_max(nums: list[int], k: int) -> list[int]:",
    function_name="sliding_window_max",
    parameters=("nums", "k"),
    examples=(
        Example(
            ([1, 3, -1, -3, 5, 3, 6, 7], 3),
            [3, 3, 5, 5, 6, 7],
            "Windows: [1 3 -1] -> 3, [3 -1 -3] -> 3, [-1 -3 5] -> 5, [-3 5 3] -> 5, "
            "[5 3 6] -> 6, [3 6 7] -> 7.",
        ),
        Example(([1], 1), [1]),
        Example(([9, 8, 7, 6], 4), [9]),
    ),
    reference=reference,
    arguments=arguments,
    compare=exact,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(1000, 4000, 16000),
    growth=1.0,
)
