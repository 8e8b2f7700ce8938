"""Combination sum by backtracking: each combination is built in non-decreasing order of
candidates, so each multiset is produced once."""


def combination_sum(candidates, target):
    """
    >>> combination_sum([2, 3, 6, 7], 7)
    [[2, 2, 3], [7]]
    """
    candidates = sorted(candidates)
    out, chosen = [], []

    def extend(start, remaining):
        if remaining == 0:
            out.append(list(chosen))
            return
        for i in range(start, len(candidates)):
            if candidates[i] > remaining:
                break  # sorted: every later candidate is larger still
            chosen.append(candidates[i])
            extend(i, remaining - candidates[i])  # i, not i + 1: reuse is allowed
            chosen.pop()

    extend(0, target)
    return out
