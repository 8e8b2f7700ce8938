"""Selective scan that leaves delta out of the input term (h = exp(delta A) h + B u): right
whenever delta is 1 or u is 0, wrong as soon as the step size varies."""

import numpy as np


def selective_scan(u, delta, A, B, C, D):
    dim, length = u.shape
    h = np.zeros((dim, A.shape[1]))
    y = np.empty((dim, length))
    for t in range(length):
        h = np.exp(delta[:, t, None] * A) * h + B[None, :, t] * u[:, t, None]  # missing delta
        y[:, t] = h @ C[:, t]
    return y + D[:, None] * u
