"""Blocked attention: keys in blocks, a running maximum, normaliser and output per query,
rescaled by exp(m_old - m_new) when a block raises the maximum (FlashAttention's recurrence)."""

import numpy as np

BLOCK = 16


def attention(q, k, v, causal):
    """
    >>> attention(np.zeros((1, 1)), np.array([[1.0], [2.0]]), np.array([[1.0], [3.0]]), False)
    array([[2.]])
    """
    lq, d = q.shape
    lk = k.shape[0]
    scale = 1.0 / np.sqrt(d)
    m = np.full(lq, -np.inf)
    total = np.zeros(lq)
    out = np.zeros((lq, v.shape[1]))
    rows = np.arange(lq)[:, None]
    for start in range(0, lk, BLOCK):
        stop = min(start + BLOCK, lk)
        scores = (q @ k[start:stop].T) * scale
        if causal:
            scores = np.where(np.arange(start, stop)[None, :] <= rows, scores, -np.inf)
        new_m = np.maximum(m, scores.max(axis=1))
        # A query that has seen no key yet keeps m = -inf; exp(-inf - -inf) would be NaN.
        safe = np.where(np.isinf(new_m), 0.0, new_m)
        rescale = np.exp(m - safe)
        p = np.exp(scores - safe[:, None])
        total = total * rescale + p.sum(axis=1)
        out = out * rescale[:, None] + p @ v[start:stop]
        m = new_m
    return out / total[:, None]
