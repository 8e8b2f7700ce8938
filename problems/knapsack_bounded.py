"""Bounded knapsack: item i may be taken up to counts[i] times.

Reference: :func:`algos.knapsack_bounded`.
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, exact

STATEMENT = """
There are `n` kinds of item; an item of kind `i` weighs `weights[i]`, is worth `values[i]`, and
there are `counts[i]` of them. Choose items whose total weight is at most `capacity`, so that
their total value is as large as possible. Return that value.

Constraints:

- `1 <= n <= 100`, `len(weights) == len(values) == len(counts) == n`
- `1 <= weights[i] <= 1000`, `0 <= values[i] <= 1000`, `1 <= counts[i] <= 1000`
- `0 <= capacity <= 1000`
- Do not change the lists.
- Aim for O(n * capacity * log(max count)) time (split each count into powers of two) or
  better; O(n * capacity * max count) is slow for large counts.
"""


def reference(weights, values, counts, capacity):
    from algos import knapsack_bounded

    return knapsack_bounded(weights, values, counts, capacity)


@st.composite
def arguments(draw):
    n = draw(st.integers(1, 6))
    weights = draw(st.lists(st.integers(1, 15), min_size=n, max_size=n))
    values = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    counts = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    return (weights, values, counts, draw(st.integers(0, 40)))


def _items(n, rng, heaviest=1000, most=1000):
    weights = [rng.randint(1, heaviest) for _ in range(n)]
    values = [rng.randint(0, 1000) for _ in range(n)]
    return weights, values, [rng.randint(1, most) for _ in range(n)]


BOUNDS = (
    Bound("the largest capacity, 1000, 100 items", 1000, lambda c, rng: (*_items(100, rng), c)),
    Bound("the largest capacity, light items", 1000, lambda c, rng: (*_items(100, rng, 20), c)),
    Bound("the most items, capacity = 1000", 100, lambda n, rng: (*_items(n, rng), 1000)),
    Bound(
        "the largest counts, 1000 of each, capacity = 1000",
        1000,
        lambda m, rng: (*_items(100, rng, 30, 1)[:2], [m] * 100, 1000),
    ),
)


def scaling(n, rng):
    # n grows, the capacity stays: the table's row length (and its cache behaviour) is fixed,
    # so O(n * capacity) shows as linear growth in n.
    weights = [rng.randint(1, 50) for _ in range(n)]
    values = [rng.randint(0, 100) for _ in range(n)]
    counts = [rng.randint(1, 8) for _ in range(n)]
    return (weights, values, counts, 100)


PROBLEM = Problem(
    id="knapsack-bounded",
    title="Bounded Knapsack",
    statement=STATEMENT,
    signature=(
        "def knapsack_bounded(weights: list[int], values: list[int], counts: list[int],\n"
        "                     capacity: int) -> int:"
    ),
    function_name="knapsack_bounded",
    parameters=("weights", "values", "counts", "capacity"),
    examples=(
        Example(
            ([1, 3, 4], [15, 20, 30], [2, 1, 1], 4),
            35,
            "Two items of weight 1 (30) are not as good as one of weight 1 and one of "
            "weight 3 (35).",
        ),
        Example(([2], [3], [3], 10), 9, "Only three items of weight 2 exist."),
        Example(([5, 3], [10, 7], [1, 1], 2), 0),
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
