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

from algos._validate import check_int, check_int_list

__all__ = ["combination_sum", "combination_sum2", "iter_combination_sum", "iter_combination_sum2"]


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


def combination_sum(candidates, target):
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
    """
    return list(iter_combination_sum(candidates, target))


def combination_sum2(candidates, target):
    """All combinations of entries of ``candidates`` (each entry used at most once) summing to ``target``.

    >>> combination_sum2([2, 5, 2, 1, 2], 5)
    [[1, 2, 2], [5]]
    """
    return list(iter_combination_sum2(candidates, target))


def iter_combination_sum(candidates, target):
    """Yield the combinations of :func:`combination_sum` lazily, in the same order.

    Arguments are checked when this is called, not when iteration starts.

    >>> it = iter_combination_sum([1, 2], 4)
    >>> next(it), next(it)
    ([1, 1, 1, 1], [1, 1, 2])
    """
    values, target = _check(candidates, target)
    return _backtrack_stack(sorted(set(values)), target, reuse=True)


def iter_combination_sum2(candidates, target):
    """Yield the combinations of :func:`combination_sum2` lazily, in the same order."""
    values, target = _check(candidates, target)
    return _backtrack_stack(sorted(values), target, reuse=False)


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
