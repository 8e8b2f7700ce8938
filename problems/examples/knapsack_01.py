"""0/1 knapsack: best[c] is the best value within capacity c using the items seen so far.
Capacities are walked downwards, so best[c - w] still excludes the current item."""


def knapsack_01(weights, values, capacity):
    """
    >>> knapsack_01([1, 3, 4], [15, 20, 30], 4)
    35
    """
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(capacity, w - 1, -1):
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]
