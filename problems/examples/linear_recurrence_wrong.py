"""Linear recurrence that ignores h0 and starts from 0: right whenever h0 or a[0] is 0."""

import numpy as np


def linear_recurrence(a, b, h0):
    h = np.empty_like(b)
    state = 0.0  # should start from h0
    for t in range(len(b)):
        state = a[t] * state + b[t]
        h[t] = state
    return h
