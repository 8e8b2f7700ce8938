"""Complete knapsack that walks capacities downwards: each item is taken at most once (the
0/1 recurrence)."""


def knapsack_complete(weights, values, capacity):
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(capacity, w - 1, -1):  # should run from w up to capacity
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]
