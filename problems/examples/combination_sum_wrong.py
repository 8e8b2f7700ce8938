"""Backtracking that restarts from the first candidate at every level: the same multiset is
produced once per order, so combinations are listed more than once."""


def combination_sum(candidates, target):
    candidates = sorted(candidates)
    out, chosen = [], []

    def extend(remaining):
        if remaining == 0:
            out.append(list(chosen))
            return
        for c in candidates:  # should start from the current candidate
            if c > remaining:
                break
            chosen.append(c)
            extend(remaining - c)
            chosen.pop()

    extend(target)
    return out
