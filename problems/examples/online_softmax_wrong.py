"""Softmax as written, without subtracting the maximum: exp overflows to inf for inputs above
about 709, and inf / inf is NaN."""

import numpy as np


def softmax(x):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return e / e.sum()
