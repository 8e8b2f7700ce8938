"""0/1 knapsack: the best total value of items, each taken at most once, within a capacity.

Reference: :func:`algos.knapsack_01`, dynamic programming over capacities (O(n * capacity)).
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, exact

STATEMENT = """
There are `n` items; item `i` weighs `weights[i]` and is worth `values[i]`. Choose items, each
at most once, whose total weight is at most `capacity`, so that their total value is as large
as possible. Return that value (`0` when nothing fits).

Constraints:

- `1 <= n <= 100`, `len(weights) == len(values) == n`
- `1 <= weights[i] <= 1000`, `0 <= values[i] <= 1000`
- `0 <= capacity <= 1000`
- Do not change the lists.
- Aim for O(n * capacity) time.
"""


def reference(weights, values, capacity):
    from algos import knapsack_01

    return knapsack_01(weights, values, capacity)


@st.composite
def items(draw, max_items=8):
    n = draw(st.integers(1, max_items))
    weights = draw(st.lists(st.integers(1, 20), min_size=n, max_size=n))
    values = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    return weights, values


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
    id="knapsack-01",
    title="0/1 Knapsack",
    statement=STATEMENT,
    signature="def knapsack_01(weights: list[int], values: list[int], capacity: int) -> int:",
    function_name="knapsack_01",
    parameters=("weights", "values", "capacity"),
    examples=(
        Example(([1, 3, 4], [15, 20, 30], 4), 35, "Items 0 and 1 weigh 4 and are worth 35."),
        Example(([2, 3], [5, 6], 1), 0, "Nothing fits."),
        Example(([1], [7], 3), 7, "The single item can be taken once only."),
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
