"""Causal linear attention that adds key i to the running sums after answering query i: every
query misses its own key (and query 0 divides 0 by 0). Non-causal is right."""

import numpy as np


def _phi(x):
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def linear_attention(q, k, v, causal):
    fq, fk = _phi(q), _phi(k)
    if not causal:
        return (fq @ (fk.T @ v)) / (fq @ fk.sum(axis=0))[:, None]
    out = np.empty((q.shape[0], v.shape[1]))
    state = np.zeros((q.shape[1], v.shape[1]))
    z = np.zeros(q.shape[1])
    for i in range(q.shape[0]):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[i] = (fq[i] @ state) / (fq[i] @ z)  # should come after the update below
        state += np.outer(fk[i], v[i])
        z += fk[i]
    return out
