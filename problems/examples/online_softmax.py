"""Online softmax: one pass keeps a running maximum m and the sum s of exp(x - m); when the
maximum grows, the sum so far is rescaled by exp(m_old - m_new). A second pass normalises."""

import math

import numpy as np


def softmax(x):
    """
    >>> softmax(np.array([1000.0, 1000.0])).tolist()
    [0.5, 0.5]
    """
    m, s = -math.inf, 0.0
    for value in x.tolist():
        if value > m:
            s = s * math.exp(m - value) + 1.0
            m = value
        else:
            s += math.exp(value - m)
    return np.exp(x - m) / s
