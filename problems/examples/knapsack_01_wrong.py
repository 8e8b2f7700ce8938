"""0/1 knapsack that walks capacities upwards: best[c - w] may already include the current
item, so an item can be taken twice."""


def knapsack_01(weights, values, capacity):
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(w, capacity + 1):  # should run from capacity down to w
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]
