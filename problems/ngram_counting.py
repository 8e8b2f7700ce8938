"""N-gram counting: how often each run of n consecutive tokens occurs.

Reference: :func:`algos.count_ngrams` (a ``collections.Counter``).
"""

from hypothesis import strategies as st

from problems._problem import Bound, Example, Problem, same_counts

STATEMENT = """
Given a list of tokens (strings) and `n`, count every n-gram: every tuple of `n` consecutive
tokens, `tuple(tokens[i:i+n])` for `0 <= i <= len(tokens) - n`. Return a mapping (a `dict` or a
`collections.Counter`) from each n-gram that occurs to its number of occurrences. Occurrences
may overlap. A list shorter than `n` has no n-grams.

Constraints:

- `0 <= len(tokens) <= 10**5`
- `1 <= n <= max(1, len(tokens))`
- Do not change `tokens`.
- Aim for O(len(tokens) * n) time.
"""


def reference(tokens, n):
    from algos import count_ngrams

    return count_ngrams(tokens, n)


@st.composite
def arguments(draw):
    tokens = draw(st.lists(st.sampled_from(["a", "b", "c", "the"]), max_size=30))
    n = draw(st.integers(1, max(1, min(len(tokens), 4))))
    return (tokens, n)


def _tokens(n, rng, vocabulary=50):
    return rng.choices([f"w{i}" for i in range(vocabulary)], k=n)


BOUNDS = (
    Bound("the most tokens, n = 1", 10**5, lambda m, rng: (_tokens(m, rng), 1)),
    Bound("the most tokens, n = 3", 10**5, lambda m, rng: (_tokens(m, rng), min(3, m))),
    Bound(
        "the most tokens, two words, n = 2", 10**5, lambda m, rng: (_tokens(m, rng, 2), min(2, m))
    ),
    Bound("the largest n, n = len(tokens)", 1000, lambda m, rng: (_tokens(m, rng, 3), m)),
)


def scaling(n, rng):
    words = [f"w{i}" for i in range(50)]
    return ([rng.choice(words) for _ in range(n)], 3)


PROBLEM = Problem(
    id="ngram-counting",
    title="N-gram Counting",
    statement=STATEMENT,
    signature="def count_ngrams(tokens: list[str], n: int) -> dict[tuple[str, ...], int]:",
    function_name="count_ngrams",
    parameters=("tokens", "n"),
    examples=(
        Example(
            (["to", "be", "or", "not", "to", "be"], 2),
            {("to", "be"): 2, ("be", "or"): 1, ("or", "not"): 1, ("not", "to"): 1},
        ),
        Example((["a", "a", "a"], 2), {("a", "a"): 2}, "Occurrences overlap."),
        Example((["a"], 1), {("a",): 1}),
    ),
    reference=reference,
    arguments=arguments,
    compare=same_counts,
    bounds=BOUNDS,
    scaling=scaling,
    sizes=(1000, 4000, 16000),
    growth=1.0,
)
