"""Complete (unbounded) knapsack: items may be taken any number of times.

Reference: :func:`algos.knapsack_complete`, dynamic programming over capacities (O(n * capacity)).
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, exact
from problems.knapsack_01 import items

STATEMENT = """
There are `n` kinds of item; an item of kind `i` weighs `weights[i]` and is worth `values[i]`,
and there are as many of each kind as you like. Choose items whose total weight is at most
`capacity`, so that their total value is as large as possible. Return that value.

Constraints:

- `1 <= n <= 100`, `len(weights) == len(values) == n`
- `1 <= weights[i] <= 1000`, `0 <= values[i] <= 1000`
- `0 <= capacity <= 1000`
- Do not change the lists.
- Aim for O(n * capacity) time.
"""


def reference(weights, values, capacity):
    from algos import knapsack_complete

    return knapsack_complete(weights, values, capacity)


@st.composite
def arguments(draw):
    weights, values = draw(items())
    return (weights, values, draw(st.integers(0, 40)))


def _items(n, rng, heaviest=1000):
    weights = [rng.randint(1, heaviest) for _ in range(n)]
    return weights, [rng.randint(0, 1000) for _ in range(n)]


BOUNDS = (
    Bound("the largest capacity, 1000, 100 items", 1000, lambda c, rng: (*_items(100, rng), c)),
    Bound("the largest capacity, light items", 1000, lambda c, rng: (*_items(100, rng, 20), c)),
    Bound("the most items, capacity = 1000", 100, lambda n, rng: (*_items(n, rng), 1000)),
    Bound(
        "the extremes: weights 1 and 1000, values 0 and 1000, capacity = 1000",
        100,
        lambda n, rng: (
            [rng.choice((1, 1000)) for _ in range(n)],
            [rng.choice((0, 1000)) for _ in range(n)],
            1000,
        ),
    ),
)


def scaling(n, rng):
    # n grows, the capacity stays: the table's row length (and its cache behaviour) is fixed,
    # so O(n * capacity) shows as linear growth in n.
    weights = [rng.randint(1, 50) for _ in range(n)]
    values = [rng.randint(0, 100) for _ in range(n)]
    return (weights, values, 100)


PROBLEM = Problem(
    id="knapsack-complete",
    aliases=("unbounded-knapsack",),
    title="Complete Knapsack",
    statement=STATEMENT,
    signature="def knapsack_complete(weights: list[int], values: list[int], capacity: int) -> int:",
    function_name="knapsack_complete",
    parameters=("weights", "values", "capacity"),
    examples=(
        Example(([1, 3, 4], [15, 20, 30], 4), 60, "Four items of weight 1."),
        Example(([2, 3], [5, 6], 1), 0),
        Example(([5, 3], [10, 7], 11), 24, "Two of weight 3 and one of weight 5: 7 + 7 + 10."),
    ),
    reference=reference,
    arguments=arguments,
    compare=exact,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(50, 200, 800),
    size_name="n (capacity = 100)",
    growth=1.0,
)
