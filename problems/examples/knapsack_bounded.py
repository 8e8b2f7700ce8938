"""Bounded knapsack by binary splitting: count copies become bundles of 1, 2, 4, ... and a
remainder, which can make every number of copies from 0 to count; then 0/1 knapsack."""


def knapsack_bounded(weights, values, counts, capacity):
    """
    >>> knapsack_bounded([1, 3, 4], [15, 20, 30], [2, 1, 1], 4)
    35
    """
    best = [0] * (capacity + 1)
    for w, v, count in zip(weights, values, counts):
        size = 1
        while count > 0:
            take = min(size, count)
            count -= take
            size *= 2
            bw, bv = take * w, take * v
            for c in range(capacity, bw - 1, -1):
                best[c] = max(best[c], best[c - bw] + bv)
    return best[capacity]
