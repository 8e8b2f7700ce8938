"""Combination sum II without skipping equal values: with a repeated candidate, the same
combination is listed once per position it can be taken from."""


def combination_sum2(candidates, target):
    candidates = sorted(candidates)
    out, chosen = [], []

    def extend(start, remaining):
        if remaining == 0:
            out.append(list(chosen))
            return
        for i in range(start, len(candidates)):
            if candidates[i] > remaining:
                break
            chosen.append(candidates[i])
            extend(i + 1, remaining - candidates[i])
            chosen.pop()

    extend(0, target)
    return out
