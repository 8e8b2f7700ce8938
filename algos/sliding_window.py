"""Sliding-window maximum and minimum (LeetCode 239), and queues that know their maximum.

Problem: given ``nums`` and a window width ``k``, return ``out`` with
``out[i] = max(nums[i:i+k])`` for every full window, ``len(nums) - k + 1`` values.

The readable solution is the monotonic deque. It holds indices of the current window whose
values strictly decrease from front to back; a value that has a larger (or equal) value after
it in the window can never be a maximum again, so it is dropped the moment that value arrives.
Invariant, after step ``i``: the deque's indices increase, lie in ``[i-k+1, i]``, their values
strictly decrease, and the front is the index of the window's maximum. Each index is pushed and
popped at most once: O(n) time, O(k) extra space, whatever ``k`` is.

NaN: a window that holds a NaN yields NaN (as ``numpy.maximum`` propagates it). In the deque a
NaN counts as larger than everything: it drops every value before it and no value after it drops
it, so while it is in the window it sits at the front. ``MaxQueue``/``MinQueue`` follow the
same rule: ``max()`` of a queue holding a NaN is NaN.

numpy arrays take a numba kernel of the van Herk / Gil-Werman form. Cut the input into blocks of
``k``. A window starting at ``s`` inside block ``b`` covers the tail of block ``b`` and the head of
block ``b+1``, so ``out[s] = max(suffix_max[s], prefix_max[s+k-1])`` with both maxima running
inside their block. That is three comparisons per element and no data-dependent branch, against
the deque's unpredictable pops; the blocks are independent, so they run in parallel for large
inputs (``algos._parallel`` chooses, by size). The running maxima use the one-instruction
maximum that ignores NaN, and a block in which a NaN was read is computed again with the
NaN-aware one. Windows of at most ``_DIRECT_MAX_K`` values take ``k - 1`` vectorised passes over
a chunk of the output held in L1 instead. ``benchmarks/bench_sliding_window.py`` times the
kernels beside ``np.copyto`` of the same bytes, ``bottleneck.move_max``,
``scipy.ndimage.maximum_filter1d`` and the deque compiled with numba.
Memory traffic: the ideal kernel reads the input once and writes the output once (16 bytes per
float64 element); both kernels do, re-reading in cache what they wrote or read a block before.
``out=`` spares the allocation and first touch of the output.

>>> sliding_window_max([1, 3, -1, -3, 5, 3, 6, 7], 3)
[3, 3, 5, 5, 6, 7]
>>> sliding_window_min([1, 3, -1, -3, 5, 3, 6, 7], 3)
[-1, -3, -3, -3, 3, 3]
"""

from collections import deque
from collections.abc import Sequence

import numba
import numpy as np

from algos._parallel import serial_and_parallel
from algos._validate import check_int, check_numeric_array, check_real_sequence, is_array

__all__ = ["MaxQueue", "MinQueue", "sliding_window_max", "sliding_window_min"]


def sliding_window_max(
    nums: Sequence | np.ndarray, k: int, *, out: np.ndarray | None = None
) -> list | np.ndarray:
    """Maximum of every window of ``k`` consecutive values; a window holding NaN gives NaN.

    A list (or other sequence) gives a list, a numpy array an array of the same dtype. For a
    numpy array, ``out`` may name where the result goes, with numpy's rules: an array of shape
    ``(len(nums) - k + 1,)`` and the dtype of ``nums`` (else ``ValueError`` or ``TypeError``),
    writeable, and returned. ``out`` may not overlap ``nums`` (``ValueError``), ``nums`` itself
    included: the kernel reads each value again after the outputs before it are written.

    >>> sliding_window_max([1, 3, -1, -3, 5, 3, 6, 7], 3)
    [3, 3, 5, 5, 6, 7]
    >>> sliding_window_max(np.array([4.0, float("nan"), 1.0, 2.0]), 2)
    array([nan, nan,  2.])
    >>> out = np.empty(3)
    >>> sliding_window_max(np.array([1.0, 5.0, 2.0, 0.0]), 2, out=out) is out
    True
    >>> out
    array([5., 5., 2.])
    >>> sliding_window_max([1, 2], 3)
    Traceback (most recent call last):
    ...
    ValueError: k must satisfy 1 <= k <= len(nums) (= 2), got 3
    """
    return _sliding_window(nums, k, out, _larger)


def sliding_window_min(
    nums: Sequence | np.ndarray, k: int, *, out: np.ndarray | None = None
) -> list | np.ndarray:
    """Minimum of every window of ``k`` consecutive values; a window holding NaN gives NaN.

    ``out`` as for :func:`sliding_window_max`.

    >>> sliding_window_min([1, 3, -1, -3, 5, 3, 6, 7], 3)
    [-1, -3, -3, -3, 3, 3]
    """
    return _sliding_window(nums, k, out, _smaller)


# ---------------------------------------------------------------------------------------------
# The readable solution: a monotonic deque of indices.


def _window_extremes(nums, k, beats):
    """Extreme of each window; ``beats(x, y)`` is true when ``y`` can never be chosen after ``x``
    arrives (for the maximum: ``x >= y``, or ``x`` is NaN)."""
    out = []
    window = deque()  # indices, values strictly "decreasing" (by beats) front to back
    for i, x in enumerate(nums):
        # Values that x beats are older and no better: they can never be the answer again.
        while window and beats(x, nums[window[-1]]):
            window.pop()
        window.append(i)
        if window[0] <= i - k:  # the front slid out of the window
            window.popleft()
        if i >= k - 1:
            out.append(nums[window[0]])
    return out


def _beats_for_max(x, y):
    return x != x or x >= y  # a NaN beats everything; nothing beats a NaN (y != y: x >= y false)


def _beats_for_min(x, y):
    return x != x or x <= y


class _MonotonicQueue:
    """A FIFO queue beside a monotonic deque of the candidates for its extreme value."""

    _name = ""

    def __init__(self) -> None:
        self._items = deque()
        # (serial number, value) of the candidates, best first; serials tell which popleft
        # removes the front candidate, without comparing values (a NaN never equals itself).
        self._candidates = deque()
        self._head = 0  # serial number of the front item
        self._tail = 0  # serial number the next appended item gets

    def append(self, x: object) -> None:
        """Add ``x`` at the back.

        If comparing ``x`` raises, the queue is left as it was: the candidates ``x`` beats are
        found first and dropped only once every comparison has been made.
        """
        candidates = self._candidates
        keep = len(candidates)
        while keep and self._beats(x, candidates[keep - 1][1]):
            keep -= 1  # from the back: deque indexing near an end is O(1)
        for _ in range(len(candidates) - keep):
            candidates.pop()
        candidates.append((self._tail, x))
        self._items.append(x)
        self._tail += 1

    def popleft(self) -> object:
        """Remove and return the front item."""
        if not self._items:
            raise IndexError(f"popleft from an empty {type(self).__name__}")
        if self._candidates[0][0] == self._head:
            self._candidates.popleft()
        self._head += 1
        return self._items.popleft()

    def _best(self):
        if not self._items:
            raise IndexError(f"{self._name}() of an empty {type(self).__name__}")
        return self._candidates[0][1]

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._items)!r})"


class MaxQueue(_MonotonicQueue):
    """FIFO queue with O(1) amortized ``max()``: each item enters and leaves the candidate
    deque at most once.

    >>> q = MaxQueue()
    >>> for x in [3, 1, 2]:
    ...     q.append(x)
    >>> q.max(), len(q)
    (3, 3)
    >>> q.popleft(), q.max()
    (3, 2)
    >>> MaxQueue().max()
    Traceback (most recent call last):
    ...
    IndexError: max() of an empty MaxQueue
    """

    _name = "max"
    _beats = staticmethod(_beats_for_max)

    def max(self) -> object:
        """The largest item (NaN if the queue holds a NaN)."""
        return self._best()


class MinQueue(_MonotonicQueue):
    """FIFO queue with O(1) amortized ``min()``.

    >>> q = MinQueue()
    >>> for x in [3, 1, 2]:
    ...     q.append(x)
    >>> q.min()
    1
    >>> q.popleft(), q.popleft(), q.min()
    (3, 1, 2)
    """

    _name = "min"
    _beats = staticmethod(_beats_for_min)

    def min(self) -> object:
        """The smallest item (NaN if the queue holds a NaN)."""
        return self._best()


# ---------------------------------------------------------------------------------------------
# The fast form: van Herk / Gil-Werman blocks in a parallel numba kernel; short windows directly.


@numba.njit(cache=True, inline="always")
def _larger(a, b):
    """``max(a, b)`` that propagates NaN from either side (for integers ``a != a`` folds away)."""
    return a if (a > b or a != a) else b


@numba.njit(cache=True, inline="always")
def _smaller(a, b):
    return a if (a < b or a != a) else b


@numba.njit(cache=True, inline="always")
def _larger_unless_nan(a, b):
    """``max(a, b)`` for values that are not NaN: one instruction (``maxsd``), where
    :func:`_larger` needs three, which matters on the running maxima's dependency chains."""
    return a if a > b else b


@numba.njit(cache=True, inline="always")
def _smaller_unless_nan(a, b):
    return a if a < b else b


def _van_herk_max(x, k, out):
    """``out[s] = max(x[s:s+k])`` for every ``s < len(out)``, blocks of ``k`` in parallel in the
    parallel form. Caller guarantees ``2 <= k <= len(x)``, ``len(out) == len(x) - k + 1`` and
    that ``out`` does not overlap ``x``."""
    for b in numba.prange((out.shape[0] + k - 1) // k):
        if _van_herk_block(x, k, out, b, _larger_unless_nan):
            _van_herk_block(x, k, out, b, _larger)  # a NaN was seen: again, NaN-aware


def _van_herk_min(x, k, out):
    # The mirror of _van_herk_max; a kernel per direction, since numba compiles (and caches) a
    # function passed as an argument once per caller.
    for b in numba.prange((out.shape[0] + k - 1) // k):
        if _van_herk_block(x, k, out, b, _smaller_unless_nan):
            _van_herk_block(x, k, out, b, _smaller)


_VAN_HERK_MAX = serial_and_parallel(_van_herk_max)
_VAN_HERK_MIN = serial_and_parallel(_van_herk_min)


@numba.njit(cache=True, inline="always")
def _van_herk_block(x, k, out, b, pick):
    """The windows starting in block ``b``: prefix maxima of block ``b + 1`` (the part of each
    window right of block ``b``), then suffix maxima of block ``b``. Returns whether a NaN was
    read (always false for integers), for callers whose ``pick`` ignores NaN.

    Both passes over ``x`` run in the order that keeps them fast: the prefix pass walks block
    ``b + 1`` upward, as the hardware prefetcher expects, and leaves it in cache for the next
    block's suffix pass, the one walk downward (a downward walk over a block not in cache waits
    on memory at every block, since each block is too short for the prefetcher to follow it).
    The loops index views that start at 0 with indices that stay non-negative, which spares
    numba's check for negative (wrap-around) indices on every access.

    Every index is in range given the caller's guarantee (``n = len(x)``, ``m = n - k + 1``):
    ``start <= m - 1 = n - k``, so ``block`` is ``k`` values of ``x``; ``count`` windows start in
    the block, and the last of them ends at ``start + count - 1 + k - 1 <= n - 1``, so ``after``
    (the ``count - 1`` values after the block) lies in ``x`` too; ``outs`` has ``count`` slots."""
    m = out.shape[0]
    start = b * k
    count = min(k, m - start)  # windows starting in this block
    block = x[start : start + k]
    outs = out[start : start + count]
    nan = False
    # The window starting at start + i (i >= 1) ends at start + i + k - 1: after[i - 1].
    if count > 1:
        after = x[start + k : start + k + count - 1]
        run = after[0]
        nan |= run != run
        outs[1] = run
        for i in range(1, count - 1):
            v = after[i]
            nan |= v != v
            run = pick(run, v)
            outs[i + 1] = run
    run = block[k - 1]
    nan |= run != run
    if count == k:
        outs[k - 1] = pick(run, outs[k - 1])
    i = k - 2
    while i >= count:  # values of the last block past its last window's start
        v = block[i]
        nan |= v != v
        run = pick(run, v)
        i -= 1
    while i > 0:
        v = block[i]
        nan |= v != v
        run = pick(run, v)
        outs[i] = pick(run, outs[i])
        i -= 1
    v = block[0]  # the window starting at start is block b alone
    nan |= v != v
    outs[0] = pick(run, v)
    return nan


# Windows of at most this many values take the direct form: k - 1 vectorised passes over a
# chunk of the output in L1, against the van Herk form's three comparisons per value on scalar
# dependency chains.
_DIRECT_MAX_K = 8
_DIRECT_CHUNK = 2048


def _direct_max(x, k, out):
    """``out[s] = max(x[s:s+k])`` by ``k - 1`` NaN-aware passes per chunk of ``out``; same
    guarantees from the caller as :func:`_van_herk_max`, so ``s + j <= m - 1 + k - 1 < len(x)``."""
    m = out.shape[0]
    for c in numba.prange((m + _DIRECT_CHUNK - 1) // _DIRECT_CHUNK):
        lo = c * _DIRECT_CHUNK
        dst = out[lo : min(lo + _DIRECT_CHUNK, m)]
        dst[:] = x[lo : lo + dst.shape[0]]
        for j in range(1, k):
            src = x[lo + j : lo + j + dst.shape[0]]
            for i in range(dst.shape[0]):
                dst[i] = _larger(dst[i], src[i])


def _direct_min(x, k, out):
    m = out.shape[0]
    for c in numba.prange((m + _DIRECT_CHUNK - 1) // _DIRECT_CHUNK):
        lo = c * _DIRECT_CHUNK
        dst = out[lo : min(lo + _DIRECT_CHUNK, m)]
        dst[:] = x[lo : lo + dst.shape[0]]
        for j in range(1, k):
            src = x[lo + j : lo + j + dst.shape[0]]
            for i in range(dst.shape[0]):
                dst[i] = _smaller(dst[i], src[i])


_DIRECT_MAX = serial_and_parallel(_direct_max)
_DIRECT_MIN = serial_and_parallel(_direct_min)


def _sliding_window(nums, k, out, pick):
    if is_array(nums):
        values = check_numeric_array("nums", nums)
        k = _check_k(k, values.shape[0])
        if out is not None:
            _check_out(out, values, values.shape[0] - k + 1)
        dtype = values.dtype
        # The kernel is compiled for contiguous native-order float32, float64, int64 and uint64
        # only (each dtype is a compile of its own); narrower dtypes are widened, which is exact both
        # ways, since a maximum selects one of the values.
        work_dtype = _WORK_DTYPE[dtype.kind] if dtype.itemsize < 4 or dtype.kind in "iu" else dtype
        work_dtype = work_dtype.newbyteorder("=")
        work = np.ascontiguousarray(values, dtype=work_dtype)
        m = work.shape[0] - k + 1
        direct = out is not None and out.dtype == work_dtype and out.flags.c_contiguous
        result = out if direct else np.empty(m, dtype=work_dtype)
        if k == 1:  # every window is one value; blocks of one would only add overhead
            np.copyto(result, work)
        else:
            if k <= _DIRECT_MAX_K:
                kernels = _DIRECT_MAX if pick is _larger else _DIRECT_MIN
            else:
                kernels = _VAN_HERK_MAX if pick is _larger else _VAN_HERK_MIN
            kernels.for_size(work.shape[0])(work, k, result)
        if out is None:
            return result.astype(dtype, copy=False)
        if not direct:
            np.copyto(out, result, casting="unsafe")  # same values: the dtypes hold them all
        return out
    if out is not None:
        raise TypeError(f"out is only for numpy arrays, got nums of type {type(nums).__name__}")
    values = check_real_sequence("nums", nums)
    k = _check_k(k, len(values))
    return _window_extremes(values, k, _beats_for_max if pick is _larger else _beats_for_min)


def _check_out(out, values, m):
    """numpy's rules for ``out``: an array of the result's shape and dtype, writeable; and, since
    the kernels read the input after writing outputs, not overlapping ``values``."""
    if not is_array(out):
        raise TypeError(f"out must be a numpy array, got {type(out).__name__}")
    if out.shape != (m,):
        raise ValueError(f"out must have shape ({m},), got {out.shape}")
    if out.dtype != values.dtype:
        raise TypeError(f"out must have dtype {values.dtype} (that of nums), got {out.dtype}")
    if not out.flags.writeable:
        raise ValueError("out must be writeable, got a read-only array")
    if np.shares_memory(out, values):
        raise ValueError("out must not overlap nums")


_WORK_DTYPE = {"f": np.dtype(np.float32), "i": np.dtype(np.int64), "u": np.dtype(np.uint64)}


def _check_k(k, n):
    k = check_int("k", k)
    if not 1 <= k <= n:
        raise ValueError(f"k must satisfy 1 <= k <= len(nums) (= {n}), got {k}")
    return k
