"""Rotary embeddings with the frequencies base**(-i/D) instead of base**(-2i/D): right for pair 0
(and so for D = 2), too slow a rotation for every later pair."""

import numpy as np


def rope(x, positions, base, interleaved):
    d = x.shape[1]
    theta = base ** (-np.arange(d // 2) / d)  # should be -2 * i / d
    angle = positions[:, None].astype(np.float64) * theta[None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    half = d // 2
    a, b = (x[:, 0::2], x[:, 1::2]) if interleaved else (x[:, :half], x[:, half:])
    out = np.empty_like(x)
    first, second = a * cos - b * sin, a * sin + b * cos
    if interleaved:
        out[:, 0::2], out[:, 1::2] = first, second
    else:
        out[:, :half], out[:, half:] = first, second
    return out
