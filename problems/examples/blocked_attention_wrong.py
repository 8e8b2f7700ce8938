"""Blocked attention that scales the scores by 1/D instead of 1/sqrt(D): equal for D = 1, so
the first worked examples pass, wrong for every wider head."""

import numpy as np


def attention(q, k, v, causal):
    scores = (q @ k.T) / q.shape[1]  # should be / sqrt(D)
    if causal:
        scores = np.where(np.tri(q.shape[0], k.shape[0], dtype=bool), scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    return (weights / weights.sum(axis=1, keepdims=True)) @ v
