"""Prefix scan: ``out[i] = x[0] op x[1] op ... op x[i]`` along one axis.

Problem. Given ``x`` and an associative ``op`` (``add``, ``mul``, ``max``, ``min``), return the
running combination along ``axis``: inclusive (``out[i]`` includes ``x[i]``) or exclusive
(``out[i]`` covers ``x[:i]``, so ``out[0]`` is the identity: 0, 1, the dtype's lowest value for
``max`` and highest for ``min``, ``-inf`` / ``inf`` for floats). Integers stay in their dtype and
wrap on overflow as numpy does; float16 is accumulated in float32 and each output rounded to
float16; bool and other non-float input becomes float as in :func:`kernels._arrays.as_float_array`.
NaN propagates for every op (as ``np.maximum.accumulate`` does for ``max``).

Invariant. After step ``i`` the running value ``acc`` is ``x[0] op ... op x[i]``. Because ``op`` is
associative the sequence can be cut into blocks: the scan of block ``k`` is its local scan seeded
with the combination of all earlier blocks, and those seeds are a scan of the block totals. That is
the two-pass blocked scan for one long row on several cores (reduce each block in parallel, scan
the few totals, then scan each block seeded with its offset; see ``_BLOCKED_MIN`` for when it
pays), and, on the GPU, the single-pass scan with decoupled look-back in
:mod:`kernels.prefix_scan_cuda`.

Complexity. O(n) work; the blocked form has span O(n / p + p) on p cores. The ideal kernel reads
``x`` once and writes ``out`` once: 2 * n * itemsize bytes, one op per element. The blocked CPU
form reads ``x`` twice (3 * n * itemsize bytes); it pays only where one core cannot keep up with
memory, which on the 2-core machine measured here it never did (see ``_BLOCKED_MIN``), so numpy
input runs one sequential pass per row, rows spread over the cores.

>>> import numpy as np
>>> scan(np.array([3, 1, 4, 1, 5]))
array([ 3,  4,  8,  9, 14])
>>> scan(np.array([3, 1, 4, 1, 5]), op="max", inclusive=False)
array([-9223372036854775808,                    3,                    3,
                          4,                    4])
>>> scan(np.array([[1.0, 2.0], [3.0, 4.0]]), op="mul", axis=0)
array([[1., 2.],
       [3., 8.]])
"""

import numba
import numpy as np

from kernels._arrays import as_float_array, is_cupy_array, normalize_axis

SCAN_OPS = ("add", "mul", "max", "min")

# Below this many elements in all, one thread does everything: starting the cores costs more than
# the pass itself. Above it, rows (or column chunks of a non-last axis) are spread over the cores.
_PARALLEL_MIN = 1 << 18
# The blocked two-pass form of one long row is off by default (None): it reads x twice, and on the
# 2-core machine it was measured on the single pass was faster at every size. 10^8 elements, add,
# ratio to np.cumsum (min / median of 7 interleaved runs): float64 2.34x / 3.37x sequential against
# 1.72x / 2.17x blocked; int64 0.97x / 0.95x sequential against 0.69x blocked (10^7). The
# sequential float64 loop runs at about 0.5 ns per element at 10^6, already near memory speed.
_BLOCKED_MIN = None
# Columns per task when a non-last axis is split across cores.
_CHUNK = 512


def scan(x, op="add", axis=-1, *, inclusive=True):
    """Inclusive (or exclusive) prefix ``op`` of ``x`` along ``axis``; same shape and dtype.

    numpy in -> numpy out (numba CPU kernels); cupy in -> cupy out (numba.cuda kernel).
    """
    op, inclusive = _check_op(op, inclusive)
    x = _as_scan_array(x)
    axis = normalize_axis(axis, x.ndim)
    if is_cupy_array(x):
        from kernels import prefix_scan_cuda

        return prefix_scan_cuda.scan_cuda(x, op, axis, inclusive)
    return _scan_numpy(x, op, axis, inclusive)


# --- the readable solution ------------------------------------------------------------------


def scan_list(values, op="add", *, inclusive=True):
    """The scan of a Python sequence, one element at a time: the algorithm without the arrays.

    >>> scan_list([2, 3, 4], op="mul")
    [2, 6, 24]
    >>> scan_list([2, 3, 4], inclusive=False)
    [0, 2, 5]
    """
    op, inclusive = _check_op(op, inclusive)
    combine = {
        "add": lambda s, v: s + v,
        "mul": lambda s, v: s * v,
        "max": lambda s, v: v if (v > s or v != v) else s,
        "min": lambda s, v: v if (v < s or v != v) else s,
    }[op]
    acc = {"add": 0, "mul": 1, "max": -float("inf"), "min": float("inf")}[op]
    out = []
    for v in values:
        if not inclusive:
            out.append(acc)
        acc = combine(acc, v)
        if inclusive:
            out.append(acc)
    return out


# --- the fast forms (numba, CPU) ------------------------------------------------------------


def _scan_numpy(
    x, op, axis, inclusive, parallel_min=_PARALLEL_MIN, blocked_min=_BLOCKED_MIN, block_count=None
):
    """Scan a validated numpy array. Tests pass small ``parallel_min`` / ``blocked_min`` (and a
    ``block_count``) to reach the parallel forms on small inputs."""
    out_dtype = x.dtype
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    n = work.shape[axis]
    outer = int(np.prod(work.shape[:axis], dtype=np.int64))
    inner = int(np.prod(work.shape[axis + 1 :], dtype=np.int64))
    out = np.empty(work.shape, dtype=work.dtype)
    if out.size == 0:
        return out.astype(out_dtype)
    work = np.ascontiguousarray(work)
    combine = _COMBINE[op]
    identity = _identity(op, work.dtype)
    if inner == 1:
        # Contiguous (outer, n) rows: numba then knows the layout and emits unit-stride loops.
        x2, out2 = work.reshape(outer, n), out.reshape(outer, n)
        if blocked_min is not None and n >= blocked_min:
            blocks = block_count or 4 * numba.get_num_threads()
            for row in range(outer):
                _scan_row_blocked(x2[row], out2[row], combine, identity, inclusive, blocks)
        elif outer > 1 and outer * n >= parallel_min:
            _scan_rows_parallel(x2, out2, combine, identity, inclusive)
        else:
            _scan_rows(x2, out2, combine, identity, inclusive)
    else:
        # (outer, n, inner): the scan runs along the middle axis without a transpose.
        x3, out3 = work.reshape(outer, n, inner), out.reshape(outer, n, inner)
        middle = _scan_middle_parallel if out.size >= parallel_min else _scan_middle
        middle(x3, out3, combine, identity, inclusive)
    return out if out_dtype == work.dtype else out.astype(out_dtype)


@numba.njit(cache=True, inline="always")
def _scan_span(x, out, lo, hi, acc, combine, inclusive):
    """Scan ``x[lo:hi]`` into ``out`` seeded with ``acc`` (all that comes before ``lo``)."""
    if inclusive:
        for i in range(lo, hi):
            acc = combine(acc, x[i])
            out[i] = acc
    else:
        for i in range(lo, hi):
            out[i] = acc
            acc = combine(acc, x[i])
    return acc


@numba.njit(cache=True)
def _scan_rows(x, out, combine, identity, inclusive):
    for r in range(x.shape[0]):
        _scan_span(x[r], out[r], 0, x.shape[1], identity, combine, inclusive)


@numba.njit(cache=True, parallel=True)
def _scan_rows_parallel(x, out, combine, identity, inclusive):
    for r in numba.prange(x.shape[0]):
        _scan_span(x[r], out[r], 0, x.shape[1], identity, combine, inclusive)


@numba.njit(cache=True, parallel=True)
def _scan_row_blocked(x, out, combine, identity, inclusive, blocks):
    """Two passes over one long row: block totals in parallel, a scan of the totals, then each
    block scanned in parallel from its offset."""
    n = x.shape[0]
    size = (n + blocks - 1) // blocks
    totals = np.empty(blocks, dtype=out.dtype)
    for k in numba.prange(blocks):
        acc = identity
        for i in range(k * size, min(n, (k + 1) * size)):
            acc = combine(acc, x[i])
        totals[k] = acc
    offsets = np.empty(blocks, dtype=out.dtype)
    acc = identity
    for k in range(blocks):
        offsets[k] = acc
        acc = combine(acc, totals[k])
    for k in numba.prange(blocks):
        _scan_span(x, out, k * size, min(n, (k + 1) * size), offsets[k], combine, inclusive)


@numba.njit(cache=True)
def _scan_middle(x, out, combine, identity, inclusive):
    """Scan along axis 1 of ``(outer, n, inner)``: the inner loop runs over contiguous memory, one
    independent scan per ``inner`` column, so it vectorises."""
    for o in range(x.shape[0]):
        _scan_middle_chunk(x, out, combine, identity, inclusive, o, 0, x.shape[2])


@numba.njit(cache=True, parallel=True)
def _scan_middle_parallel(x, out, combine, identity, inclusive):
    """The same, split into column chunks of every outer slice for the cores."""
    outer, inner = x.shape[0], x.shape[2]
    chunks = (inner + _CHUNK - 1) // _CHUNK
    for task in numba.prange(outer * chunks):
        _scan_middle_chunk(
            x, out, combine, identity, inclusive, task // chunks, (task % chunks) * _CHUNK, _CHUNK
        )


@numba.njit(cache=True, inline="always")
def _scan_middle_chunk(x, out, combine, identity, inclusive, o, lo, width):
    n, inner = x.shape[1], x.shape[2]
    hi = min(inner, lo + width)
    for j in range(lo, hi):
        out[o, 0, j] = x[o, 0, j] if inclusive else identity
    for t in range(1, n):
        s = t if inclusive else t - 1
        for j in range(lo, hi):
            out[o, t, j] = combine(out[o, t - 1, j], x[o, s, j])


# --- small private helpers ------------------------------------------------------------------


@numba.njit(cache=True, inline="always")
def _add(acc, v):
    return acc + v


@numba.njit(cache=True, inline="always")
def _mul(acc, v):
    return acc * v


@numba.njit(cache=True, inline="always")
def _max(acc, v):
    # v != v: a NaN replaces acc, and once acc is NaN no comparison is true, so it stays.
    return v if (v > acc or v != v) else acc


@numba.njit(cache=True, inline="always")
def _min(acc, v):
    return v if (v < acc or v != v) else acc


_COMBINE = {"add": _add, "mul": _mul, "max": _max, "min": _min}


def _identity(op, dtype):
    """The identity of ``op`` as a scalar of ``dtype`` (the exclusive scan's first value)."""
    dtype = np.dtype(dtype)
    if op == "add":
        return dtype.type(0)
    if op == "mul":
        return dtype.type(1)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return dtype.type(info.min if op == "max" else info.max)
    return dtype.type(-np.inf if op == "max" else np.inf)


def _check_op(op, inclusive):
    if not isinstance(op, str) or op not in SCAN_OPS:
        raise ValueError(f"op must be one of {', '.join(SCAN_OPS)}, got {op!r}")
    if not isinstance(inclusive, (bool, np.bool_)):
        raise TypeError(f"inclusive must be a bool, got {type(inclusive).__name__} {inclusive!r}")
    return op, bool(inclusive)


def _as_scan_array(x):
    """Integer arrays as they are (scans wrap in their dtype); everything else as a float array."""
    if not is_cupy_array(x) and not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"x must be an array of numbers, got {type(x).__name__}") from exc
    if x.dtype.kind in "iu":
        return x
    return as_float_array("x", x)
