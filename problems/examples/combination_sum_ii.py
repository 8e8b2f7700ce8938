"""Combination sum II: sorted candidates, each position used once, and equal values skipped at
the same level of the search, so that each combination is produced once."""


def combination_sum2(candidates, target):
    """
    >>> combination_sum2([10, 1, 2, 7, 6, 1, 5], 8)
    [[1, 1, 6], [1, 2, 5], [1, 7], [2, 6]]
    """
    candidates = sorted(candidates)
    out, chosen = [], []

    def extend(start, remaining):
        if remaining == 0:
            out.append(list(chosen))
            return
        for i in range(start, len(candidates)):
            if i > start and candidates[i] == candidates[i - 1]:
                continue  # the same value at this level gives the same combinations again
            if candidates[i] > remaining:
                break
            chosen.append(candidates[i])
            extend(i + 1, remaining - candidates[i])
            chosen.pop()

    extend(0, target)
    return out
