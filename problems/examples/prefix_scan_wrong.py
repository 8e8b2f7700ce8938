"""Prefix scan whose exclusive form starts every operation from 0: right for add, wrong for
mul, max and min, whose identities are 1, -inf and inf."""

import numpy as np


def prefix_scan(x, op, inclusive):
    ufunc = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}[op]
    scanned = ufunc.accumulate(x)
    if inclusive:
        return scanned
    return np.concatenate([[0.0], scanned[:-1]])  # should start from the identity of op
