"""Binary splitting that forgets the remainder: bundles 1, 2, 4, ... up to the count, so a count
of 2 becomes bundles of 1 and 2, which allow 3 copies."""


def knapsack_bounded(weights, values, counts, capacity):
    best = [0] * (capacity + 1)
    for w, v, count in zip(weights, values, counts):
        size = 1
        while size <= count:  # the last bundle should be what is left of count
            bw, bv = size * w, size * v
            for c in range(capacity, bw - 1, -1):
                best[c] = max(best[c], best[c - bw] + bv)
            size *= 2
    return best[capacity]
