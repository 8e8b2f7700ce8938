"""Rotary embeddings, wrong: the pair turns the other way (the signs of sin are swapped), which
undoes the embedding of a query on its key instead of encoding the relative position."""

import math

from numba import cuda


@cuda.jit
def rope_kernel(x, positions, inv_freq, out):
    l, i = cuda.grid(2)
    if l < x.shape[0] and i < inv_freq.shape[0]:
        angle = positions[l] * inv_freq[i]
        c, s = math.cos(angle), math.sin(angle)
        a, b = x[l, 2 * i], x[l, 2 * i + 1]
        out[l, 2 * i] = a * c + b * s  # should be a * c - b * s
        out[l, 2 * i + 1] = -a * s + b * c  # should be a * s + b * c
