"""Rotary embeddings: one thread per feature pair, each element read once and written once."""

import math

from numba import cuda


@cuda.jit
def rope_kernel(x, positions, inv_freq, out):
    l, i = cuda.grid(2)
    if l < x.shape[0] and i < inv_freq.shape[0]:
        angle = positions[l] * inv_freq[i]
        c, s = math.cos(angle), math.sin(angle)
        a, b = x[l, 2 * i], x[l, 2 * i + 1]
        out[l, 2 * i] = a * c - b * s
        out[l, 2 * i + 1] = a * s + b * c
