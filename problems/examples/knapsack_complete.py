"""Complete knapsack: capacities walked upwards, so best[c - w] may already hold copies of the
current item, which is what unlimited copies allow."""


def knapsack_complete(weights, values, capacity):
    """
    >>> knapsack_complete([1, 3, 4], [15, 20, 30], 4)
    60
    """
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(w, capacity + 1):
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]
