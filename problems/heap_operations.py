"""Heap operations: CPython's heapq, judged by the list layout after every operation.

A learner writes ``heapify``, ``heappush`` and ``heappop`` in one module. Any valid heap would
answer the same pops, so the judge compares more: the exact list after each operation, against
the standard library. That layout is fixed by CPython's algorithms (the bottom-up sift of
``heappop`` in particular), so a textbook heap that is valid but sifts differently is caught.
"""

import heapq

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, same, show

STATEMENT = """
Write the three functions of a binary min-heap stored in a Python list, exactly as CPython's
`heapq` does them, so that the list holds the same layout as the standard library's after
every operation. The heap invariant: `heap[k] <= heap[2*k+1]` and `heap[k] <= heap[2*k+2]`.

- `heapify(x)`: rearrange the list `x` into a heap, in place, in linear time: sift down every
  parent, from the last one (`len(x)//2 - 1`) to the root.
- `heappush(heap, item)`: append `item`, then move it up while it is smaller than its parent
  (`_siftdown` in CPython's terms).
- `heappop(heap)`: remove and return the smallest item. CPython moves the last item to the root
  and sifts it with a *bottom-up* walk: it moves the smaller child up until it reaches a leaf
  (on equal children it takes the right one), puts the item there, then moves it up
  (`_siftup` followed by `_siftdown`). A textbook top-down sift gives a valid heap, but not
  always the same layout. An empty heap raises `IndexError`.

The judge runs: `heap = list(initial)`, `heapify(heap)`, then each operation of `operations`:
`("push", item)` calls `heappush(heap, item)`, `("pop", None)` calls `heappop(heap)` (a pop on an
empty heap is skipped). After every step it records `[returned value, copy of heap]`; the
answer is the list of those records.

Constraints:

- `0 <= len(initial) <= 10**4`, `0 <= len(operations) <= 200`, items are integers of any size
  (the answer holds the whole heap after every step; the timing uses longer runs).
- `heapify` O(n), `heappush` and `heappop` O(log n).
"""

SIGNATURE = """\
def heapify(x: list) -> None: ...
def heappush(heap: list, item) -> None: ...
def heappop(heap: list): ..."""


def run_operations(heap_functions, initial, operations):
    """The judge's driver: the records ``[returned, layout]`` after heapify and each operation."""
    heap = list(initial)
    records = [[heap_functions.heapify(heap), list(heap)]]
    for name, item in operations:
        if name == "push":
            records.append([heap_functions.heappush(heap, item), list(heap)])
        elif heap:
            records.append([heap_functions.heappop(heap), list(heap)])
    return records


def run_operations_untraced(heap_functions, initial, operations):
    """The same operations without copying the heap at each step (for timing)."""
    heap = list(initial)
    heap_functions.heapify(heap)
    for name, item in operations:
        if name == "push":
            heap_functions.heappush(heap, item)
        elif heap:
            heap_functions.heappop(heap)
    return heap


def compare(expected, actual, args=None):
    """Exact, with the first differing step named.

    On the growth inputs the judge compares the final heaps that ``timed_call`` returns.
    """
    if same(expected, actual):
        return None
    if type(actual) is not list or len(actual) != len(expected):
        return f"the answer is {show(actual, 200)}, expected {show(expected, 200)}"
    if expected and type(expected[0]) is not list:
        return "the final heap differs from the standard library's"
    for step, (want, got) in enumerate(zip(expected, actual)):
        if not same(want, got):
            what = "heapify" if step == 0 else f"operation {step}"
            return f"after {what} the solution has {show(got)}, the standard library {show(want)}"
    return "differs from the expected answer"


_items = st.integers(-5, 5)  # few distinct values, so that ties (and their order) matter
_operation = st.one_of(st.tuples(st.just("push"), _items), st.just(("pop", None)))


def arguments():
    return st.tuples(st.lists(_items, max_size=20), st.lists(_operation, max_size=20))


def _operations(count, rng, item):
    return [("push", item(rng)) if rng.random() < 0.5 else ("pop", None) for _ in range(count)]


def _any_int(rng):
    return rng.randint(-(10**6), 10**6)


BOUNDS = (
    Bound(
        "the largest initial list",
        10**4,
        lambda n, rng: ([_any_int(rng) for _ in range(n)], _operations(20, rng, _any_int)),
    ),
    Bound(
        "the most operations",
        200,
        lambda n, rng: ([_any_int(rng) for _ in range(100)], _operations(n, rng, _any_int)),
    ),
    Bound(
        "the most pushes, from empty",
        200,
        lambda n, rng: ([], [("push", _any_int(rng)) for _ in range(n)]),
    ),
    Bound(
        "huge integers",
        10**4,
        lambda n, rng: (
            [rng.choice((-1, 1)) * 10**30 + rng.randint(-5, 5) for _ in range(n)],
            _operations(20, rng, lambda r: r.choice((-1, 1)) * 10**30 + r.randint(-5, 5)),
        ),
    ),
)


def scaling(n, rng):
    initial = [rng.randint(0, 10**6) for _ in range(n)]
    operations = [
        ("push", rng.randint(0, 10**6)) if rng.random() < 0.5 else ("pop", None)
        for _ in range(2 * n)
    ]
    return (initial, operations)


PROBLEM = Problem(
    id="heap-operations",
    aliases=("heapq",),
    title="Heap Operations (CPython's heapq)",
    statement=STATEMENT,
    signature=SIGNATURE,
    solution_names=("heapify", "heappush", "heappop"),
    parameters=("initial", "operations"),
    examples=(
        Example(
            ([5, 3, 8, 1], [("push", 2), ("pop", None), ("pop", None)]),
            [[None, [1, 3, 8, 5]], [None, [1, 2, 8, 5, 3]], [1, [2, 3, 8, 5]], [2, [3, 5, 8]]],
        ),
        Example(
            ([], [("pop", None), ("push", 1), ("push", 1)]),
            [[None, []], [None, [1]], [None, [1, 1]]],
        ),
        Example(
            ([0, 1, 1, 2, 3, 4, 5], [("pop", None)]),
            [[None, [0, 1, 1, 2, 3, 4, 5]], [0, [1, 1, 4, 2, 3, 5]]],
            "The last item, 5, goes to the root; the bottom-up sift moves the right 1 up "
            "(equal children: the right one), then 4, and leaves 5 at the leaf. A top-down "
            "sift that prefers the left child gives the valid heap [1, 2, 1, 5, 3, 4], which "
            "is not what heapq gives.",
        ),
    ),
    reference=heapq,
    call=run_operations,
    timed_call=run_operations_untraced,
    arguments=arguments,
    compare=compare,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(500, 2000, 8000),
    growth=1.0,
)
