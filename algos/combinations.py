"""Combination sum (LeetCode 39 and 40): every multiset of candidates that adds up to a target.

``combination_sum(candidates, target)`` may use each candidate value any number of times;
``combination_sum2(candidates, target)`` may use each *entry* of ``candidates`` at most once, so a
value listed twice may appear at most twice. Each combination is listed non-decreasing, the list
is sorted lexicographically, and no combination appears twice. ``iter_combination_sum`` and
``iter_combination_sum2`` yield the same combinations in the same order, one at a time.

The search tree. Sort the candidates; a node is a partial combination and what is left of the
target; its children extend it by a candidate no smaller than the last one chosen, so every
multiset is reached along exactly one path (its sorted order). For candidates ``[2, 3, 6, 7]`` and
target 7::

    [] left 7
    +-- [2] left 5
    |   +-- [2, 2] left 3
    |   |   +-- [2, 2, 2] left 1        children start at 2 > 1: cut
    |   |   +-- [2, 2, 3] left 0        -> [2, 2, 3]
    |   |   (6 > 3: cut)
    |   +-- [2, 3] left 2               children start at 3 > 2: cut
    |   (6 > 5: cut)
    +-- [3] left 4
    |   +-- [3, 3] left 1               3 > 1: cut
    |   (6 > 4: cut)
    +-- [6] left 1                      6 > 1: cut
    +-- [7] left 0                      -> [7]

Children are tried in increasing order, and because the candidates are sorted, the first child
that exceeds what is left ends the whole row of siblings: that is the cut that keeps the search
small. Trying children in increasing order is also what makes the output lexicographic: a
combination that sums to the target is a leaf (candidates are positive), so no combination is a
prefix of another and depth-first order is dictionary order.

For LeetCode 40 the children of a node use the candidates *after* the one just taken, and equal
values at the same depth are skipped: from ``[1, 1, 2]`` the children of ``[]`` are ``[1]`` and
``[2]`` only, since a second ``[1]`` child would grow the same subtree again.

Invariant of the search: the chosen path is non-decreasing and its sum never exceeds the target.
Cost: one step per node of the tree (a non-decreasing sequence of candidates with sum <= target)
plus one cut per node. That can far exceed the output (candidates ``[2]`` and an odd target: a
chain of target/2 nodes and no answer), and the output alone can be exponential in
target / min(candidates), so no polynomial bound exists. Extra memory: O(target / min(candidates))
for the path.

Why candidates must be positive: a zero candidate can be added to any combination forever, and a
negative one can be cancelled out, so the answer would be infinite. Such candidates raise
``ValueError`` up front (the classic recursive solution dies of ``RecursionError`` instead).

No combination, answered at once. Every sum of candidates is a multiple of their gcd, so a
target that is not one has no combination (``combination_sum([2], 10**12 + 1)``), and neither
has a target above the sum of all entries for LeetCode 40: all four forms answer those without
a search.

Listing is sized first. The number of combinations, and the number of values they hold, come
from a cheap dynamic program over the sums ``0..target`` (the counting twin of the complete and
0/1 knapsacks: O(len(candidates) * target) vectorised steps). The list forms refuse, with a
``ValueError`` that points to the ``iter_`` forms, an answer of more than
``LISTED_NUMBERS_LIMIT`` (10**7) values in all: ``combination_sum(range(1, 101), 100)`` would be
190 million lists. The count runs over at most ``2**20`` sums (after dividing by the gcd); a
larger target is refused too, since a single combination of it holds ``target / max`` values or
more, unless that alone is already past the limit.

The readable form below is the recursive backtracking generator. The public functions run the
same search with an explicit stack, so a deep tree (target 5000 made of 1s) does not hit Python's
recursion limit, and the generators stay lazy: a caller can take the first few combinations of
an answer too large to list.

>>> combination_sum([2, 3, 6, 7], 7)
[[2, 2, 3], [7]]
>>> combination_sum2([10, 1, 2, 7, 6, 1, 5], 8)
[[1, 1, 6], [1, 2, 5], [1, 7], [2, 6]]
>>> from itertools import islice
>>> [len(c) for c in islice(iter_combination_sum(range(1, 101), 100), 3)]
[100, 99, 98]
"""

import math
from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np

from algos._validate import check_int, check_int_list

__all__ = [
    "LISTED_NUMBERS_LIMIT",
    "combination_sum",
    "combination_sum2",
    "iter_combination_sum",
    "iter_combination_sum2",
]

LISTED_NUMBERS_LIMIT = 10**7
"""The most values, over all combinations, that ``combination_sum``/``combination_sum2`` list."""
_COUNTED_SUMS_LIMIT = 2**20  # sums the counting program may run over (8 bytes each per array)


# --- readable solution: recursive backtracking ----------------------------------------------------


def _backtrack_recursive(candidates, target, *, reuse):
    """Yield the combinations of sorted ``candidates`` summing to ``target``, recursively.

    ``reuse=True`` is LeetCode 39 (a child may take the same candidate again); ``reuse=False`` is
    LeetCode 40 (a child starts after it, and equal values at one depth are tried once).
    Depth is target / min(candidates): fine for small targets, the public forms use a stack.
    """
    path = []

    def extend(start, left):
        if left == 0:
            yield list(path)
            return
        for i in range(start, len(candidates)):
            value = candidates[i]
            if value > left:  # sorted: every later sibling is larger still
                break
            if not reuse and i > start and value == candidates[i - 1]:
                continue  # same value at the same depth would grow the same subtree again
            path.append(value)
            yield from extend(i if reuse else i + 1, left - value)
            path.pop()

    yield from extend(0, target)


# --- public forms: the same search with an explicit stack ------------------------------------------


def combination_sum(candidates: Iterable[int], target: int) -> list[list[int]]:
    """All combinations of ``candidates`` (each usable any number of times) summing to ``target``.

    Duplicate candidate values are ignored. Combinations are non-decreasing, listed in
    lexicographic order.

    >>> combination_sum([2, 3, 5], 8)
    [[2, 2, 2, 2], [2, 3, 3], [3, 5]]
    >>> combination_sum([2], 1)
    []
    >>> combination_sum([3, 1], 0)
    [[]]
    >>> combination_sum([0, 1], 1)
    Traceback (most recent call last):
    ...
    ValueError: candidates[0] must be a positive integer (a zero or negative candidate ...), got 0
    >>> combination_sum(range(1, 101), 100)
    Traceback (most recent call last):
    ...
    ValueError: combination_sum would list 190569292 combinations holding ... values, more than LISTED_NUMBERS_LIMIT = 10**7: iterate over iter_combination_sum(candidates, target) instead
    """
    values, target = _check(candidates, target)
    values = sorted(set(values))
    _check_listable("combination_sum", values, target, reuse=True)
    return list(_search(values, target, reuse=True))


def combination_sum2(candidates: Iterable[int], target: int) -> list[list[int]]:
    """All combinations of entries of ``candidates`` (each entry used at most once) summing to ``target``.

    >>> combination_sum2([2, 5, 2, 1, 2], 5)
    [[1, 2, 2], [5]]
    """
    values, target = _check(candidates, target)
    values = sorted(values)
    _check_listable("combination_sum2", values, target, reuse=False)
    return list(_search(values, target, reuse=False))


def iter_combination_sum(candidates: Iterable[int], target: int) -> Iterator[list[int]]:
    """Yield the combinations of :func:`combination_sum` lazily, in the same order.

    Arguments are checked when this is called, not when iteration starts.

    >>> it = iter_combination_sum([1, 2], 4)
    >>> next(it), next(it)
    ([1, 1, 1, 1], [1, 1, 2])
    """
    values, target = _check(candidates, target)
    return _search(sorted(set(values)), target, reuse=True)


def iter_combination_sum2(candidates: Iterable[int], target: int) -> Iterator[list[int]]:
    """Yield the combinations of :func:`combination_sum2` lazily, in the same order."""
    values, target = _check(candidates, target)
    return _search(sorted(values), target, reuse=False)


def _search(candidates, target, *, reuse):
    """The search, or nothing at all when no combination can exist."""
    if not _may_have_combinations(candidates, target, reuse):
        return iter(())
    return _backtrack_stack(candidates, target, reuse=reuse)


def _may_have_combinations(candidates, target, reuse):
    """False when no combination exists for a reason seen at once: the target is not a multiple
    of the candidates' gcd, or (LeetCode 40) exceeds the sum of every entry."""
    if target == 0:
        return True
    if not candidates or target % math.gcd(*candidates):
        return False
    return reuse or sum(candidates) >= target


def _check_listable(name, candidates, target, *, reuse):
    """Raise ``ValueError`` when the list would hold more than ``LISTED_NUMBERS_LIMIT`` values."""
    if target == 0 or not _may_have_combinations(candidates, target, reuse):
        return
    g = math.gcd(*candidates)
    candidates = [c // g for c in candidates]  # the same combinations, a program g times shorter
    target //= g
    instead = f"iterate over iter_{name}(candidates, target) instead"
    shortest = -(-target // candidates[-1])
    if shortest > LISTED_NUMBERS_LIMIT:
        raise ValueError(
            f"{name} would hold at least {shortest} values in each of its combinations, more than"
            f" LISTED_NUMBERS_LIMIT = 10**7: {instead}"
        )
    if target > _COUNTED_SUMS_LIMIT:
        raise ValueError(
            f"{name} cannot count the combinations of target = {target * g} before listing them"
            f" (over 2**20 sums after dividing by the candidates' gcd {g}): {instead}"
        )
    count, values = _count_combinations(candidates, target, reuse)
    if values > LISTED_NUMBERS_LIMIT:
        raise ValueError(
            f"{name} would list {_quantity(count)} combinations holding {_quantity(values)}"
            f" values, more than LISTED_NUMBERS_LIMIT = 10**7: {instead}"
        )


def _count_combinations(candidates, target, reuse):
    """``(number of combinations, values they hold in all)`` summing to ``target``, as floats.

    ``count[j]`` and ``size[j]`` are the number of combinations summing to j and their total
    length, over the candidates seen so far. Adding value v at most m times (m unbounded with
    ``reuse``): ``count'[j] = sum over t of count[j - t*v]`` and
    ``size'[j] = sum over t of (size[j - t*v] + t * count[j - t*v])``. Unbounded, that is a
    running sum down each residue class mod v: ``count'[j] = count[j] + count'[j - v]`` and
    ``size'[j] = size[j] + size'[j - v] + count'[j - v]``. float64 is exact up to 2**53, far
    above the limit, and only ever adds non-negative terms (``inf`` at worst, never NaN), so a
    count past the limit never rounds back below it.
    """
    count = np.zeros(target + 1)
    size = np.zeros(target + 1)
    count[0] = 1.0
    for v, m in Counter(candidates).items():
        if reuse:
            count = _running_sum_by_class(count, v)
            shifted = size.copy()
            shifted[v:] += count[:-v]
            size = _running_sum_by_class(shifted, v)
        else:
            new_count, new_size = count.copy(), size.copy()
            for t in range(1, min(m, target // v) + 1):
                new_count[t * v :] += count[: -t * v]
                new_size[t * v :] += size[: -t * v] + t * count[: -t * v]
            count, size = new_count, new_size
    return count[target], size[target]


def _running_sum_by_class(a, v):
    """``out[j] = a[j] + out[j - v]``: a cumulative sum down each residue class mod ``v``."""
    padded = np.zeros(-(-a.size // v) * v)
    padded[: a.size] = a
    return padded.reshape(-1, v).cumsum(axis=0).reshape(-1)[: a.size]


def _quantity(x):
    return str(int(x)) if x < 2**53 else f"about {x:.3g}"


def _backtrack_stack(candidates, target, *, reuse):
    """The search of :func:`_backtrack_recursive` with an explicit stack of next-child indices.

    ``path[d]`` is the value chosen at depth d and ``next_child[d]`` the candidate index the node
    at depth d tries next; a node is popped when its next child exceeds what is left.
    """
    n = len(candidates)
    # For LeetCode 40 a sibling skips to the next *different* value; for 39 values are distinct.
    next_distinct = list(range(1, n + 1))
    for i in range(n - 2, -1, -1):
        if candidates[i] == candidates[i + 1]:
            next_distinct[i] = next_distinct[i + 1]
    if target == 0:
        yield []
        return
    path = []
    next_child = [0]
    left = target
    while next_child:
        i = next_child[-1]
        if i < n and candidates[i] <= left:
            value = candidates[i]
            next_child[-1] = next_distinct[i]
            if value == left:
                # A leaf: positive candidates mean its children would all overshoot, and its later
                # siblings are larger still, so this node is finished too.
                yield path + [value]
                next_child[-1] = n
            else:
                path.append(value)
                left -= value
                next_child.append(i if reuse else i + 1)
        else:
            next_child.pop()
            if path:
                left += path.pop()


def _check(candidates, target):
    target = check_int("target", target)
    if target < 0:
        raise ValueError(f"target must be a non-negative integer, got {target}")
    values = check_int_list("candidates", candidates)
    for i, value in enumerate(values):
        if value <= 0:
            raise ValueError(
                f"candidates[{i}] must be a positive integer (a zero or negative candidate "
                f"makes the answer infinite), got {value}"
            )
    return values, target
