"""N-gram counting: one tuple per starting position, counted in a Counter."""

from collections import Counter


def count_ngrams(tokens, n):
    """
    >>> count_ngrams(["a", "a", "a"], 2)
    Counter({('a', 'a'): 2})
    """
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
