"""Prefix scan, sequential: a running total under the operation, from its identity."""

import numpy as np

IDENTITY = {"add": 0.0, "mul": 1.0, "max": -np.inf, "min": np.inf}
OPERATION = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "max": max, "min": min}


def prefix_scan(x, op, inclusive):
    """
    >>> prefix_scan(np.array([3.0, 1.0, 4.0]), "max", False).tolist()
    [-inf, 3.0, 3.0]
    """
    combine = OPERATION[op]
    out = np.empty_like(x)
    total = IDENTITY[op]
    for i, value in enumerate(x.tolist()):
        if inclusive:
            total = combine(total, value)
            out[i] = total
        else:
            out[i] = total
            total = combine(total, value)
    return out
