"""Rotary position embeddings: a table of angles (L, D/2), then the two halves of every pair
rotated at once."""

import numpy as np


def rope(x, positions, base, interleaved):
    """
    >>> rope(np.array([[1.0, 0.0]]), np.array([0]), 10000.0, True).tolist()
    [[1.0, 0.0]]
    """
    d = x.shape[1]
    theta = base ** (-np.arange(0, d, 2) / d)
    angle = positions[:, None].astype(np.float64) * theta[None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    if interleaved:
        a, b = x[:, 0::2], x[:, 1::2]
    else:
        a, b = x[:, : d // 2], x[:, d // 2 :]
    out = np.empty_like(x)
    if interleaved:
        out[:, 0::2], out[:, 1::2] = a * cos - b * sin, a * sin + b * cos
    else:
        out[:, : d // 2], out[:, d // 2 :] = a * cos - b * sin, a * sin + b * cos
    return out
