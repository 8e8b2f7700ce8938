"""Linear recurrence, sequential: h = a[t] * h + b[t] from h0."""

import numpy as np


def linear_recurrence(a, b, h0):
    """
    >>> linear_recurrence(np.array([0.5, 0.5]), np.array([0.0, 0.0]), 8.0).tolist()
    [4.0, 2.0]
    """
    h = np.empty_like(b)
    state = h0
    for t, (at, bt) in enumerate(zip(a.tolist(), b.tolist())):
        state = at * state + bt
        h[t] = state
    return h
