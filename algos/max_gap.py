"""Maximum gap (LeetCode 164): the largest difference between successive values in sorted order.

Sorting solves it in O(n log n). Buckets solve it in O(n): with ``n`` values between ``lo`` and
``hi`` the ``n - 1`` gaps add up to ``hi - lo``, so the largest gap is at least
``(hi - lo) / (n - 1)``. Cut ``[lo, hi]`` into buckets narrower than that (pigeonhole): the
largest gap never lies inside a bucket, it runs from the maximum of one non-empty bucket to the
minimum of the next non-empty one. Only each bucket's minimum and maximum are kept.
Invariant of the final scan: ``prev`` is the largest value of the buckets scanned so far and
``best`` the largest gap among them. O(n) time and O(n) extra space.

Exactness. Integers (lists of Python ints of any size, every numpy integer dtype) give an exact
Python ``int``: Python ints use integer buckets of width ``ceil((hi - lo) / (n - 1))``; numpy
integers are mapped, order-preserving, to ``uint64`` offsets from the minimum, so that
``[-2**63, 2**63 - 1]`` gives ``2**64 - 1`` with nothing overflowing. Floats give a Python
``float``: the float64 difference of the two values (float16 and float32 widen to float64
exactly), the same as ``max(np.diff(np.sort(x.astype(np.float64))))``. Bucket indices of floats
are rounded, but rounding is monotone (a larger value never lands in an earlier bucket), and the
buckets are narrow enough that rounding never lets the largest gap hide inside one.

Special values. NaN raises ``ValueError``. An infinity is a value like any other whose gap to a
different value is ``inf``: the result is ``inf`` when the values hold an infinity and a value
different from it, and ``0.0`` when all values are the same infinity (where ``np.diff`` gives
``inf - inf = nan``).

numpy arrays take numba kernels. Memory traffic of the ideal version: one read of the input
(8 bytes per element); see ``_gap_kernel`` for what this one moves.

>>> maximum_gap([3, 6, 9, 1])
3
>>> maximum_gap([10])
0
"""

import math
import numbers

import numba
import numpy as np

from algos._validate import check_numeric_array, is_array

__all__ = ["maximum_gap"]


def maximum_gap(nums):
    """Largest difference between successive values of ``nums`` in sorted order; 0 when there are
    fewer than two values. An ``int`` for integer input, a ``float`` for float input.

    >>> maximum_gap([3, 6, 9, 1])
    3
    >>> maximum_gap([-2**63, 2**63 - 1])
    18446744073709551615
    >>> maximum_gap(np.array([1.5, -1.0, 0.25]))
    1.25
    >>> maximum_gap([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: nums must not hold NaN (found at index 1)
    """
    if is_array(nums):
        return _maximum_gap_array(check_numeric_array("nums", nums))
    values = _check_sequence(nums)
    if all(isinstance(x, numbers.Integral) for x in values):
        return _maximum_gap_ints([int(x) for x in values])  # numpy ints would overflow
    return _maximum_gap_floats([float(x) for x in values])


# ---------------------------------------------------------------------------------------------
# The readable solution: buckets over Python numbers.


def _maximum_gap_ints(values):
    n = len(values)
    if n < 2:
        return 0
    lo, hi = min(values), max(values)
    if lo == hi:
        return 0
    width = -((lo - hi) // (n - 1))  # ceil((hi - lo) / (n - 1)): no gap inside a bucket is >= it
    return _gap_over_buckets(values, lambda x: (x - lo) // width, (hi - lo) // width + 1)


def _maximum_gap_floats(values):
    n = len(values)
    if n < 2:
        return 0.0
    lo, hi = min(values), max(values)
    if math.isinf(lo) or math.isinf(hi):
        return 0.0 if lo == hi else math.inf
    if lo == hi:
        return 0.0
    n_buckets = _float_bucket_count(n)
    # Halving is exact for all but subnormals and keeps hi - lo finite for any finite lo, hi.
    half = math.isinf(hi - lo)
    shift = 0.5 if half else 1.0
    scale = n_buckets / (hi * shift - lo * shift)

    def bucket(x):
        return min(int((x * shift - lo * shift) * scale), n_buckets - 1)

    return _gap_over_buckets(values, bucket, n_buckets)


def _gap_over_buckets(values, bucket, n_buckets):
    lows = [None] * n_buckets
    highs = [None] * n_buckets
    for x in values:
        b = bucket(x)
        if lows[b] is None:
            lows[b] = highs[b] = x
        elif x < lows[b]:
            lows[b] = x
        elif x > highs[b]:
            highs[b] = x
    best = 0 * (values[0] - values[0])  # 0 or 0.0, like the values
    prev = highs[0]  # bucket 0 holds the minimum
    for low, high in zip(lows, highs):
        if low is not None:
            best = max(best, low - prev)
            prev = high
    return best


def _float_bucket_count(n):
    """Buckets for ``n`` floats: the pigeonhole bound needs width < span / (n - 1); rounding the
    bucket index moves a value by up to ~4 ulp of the span, so with ``n`` buckets that margin
    holds while 1/(n(n-1)) > 4 * 2**-53 (n < 3e7); beyond, twice as many buckets keep it."""
    return n if n <= 2**24 else 2 * n


# ---------------------------------------------------------------------------------------------
# The fast form: numba kernels over float64 values or order-preserving uint64 keys.


def _maximum_gap_array(values):
    kind = values.dtype.kind
    if values.shape[0] < 2:
        return 0.0 if kind == "f" else 0
    if kind == "f":
        x = np.ascontiguousarray(values, dtype=np.float64)
        nan_at = _first_nan(x)
        if nan_at >= 0:
            raise ValueError(f"nums must not hold NaN (found at index {nan_at})")
        return float(_float_gap(x, _float_bucket_count(x.shape[0])))
    if kind == "i":
        x = np.ascontiguousarray(values, dtype=np.int64)
        return int(_int_gap(x, _signed_key, _float_bucket_count(x.shape[0])))
    x = np.ascontiguousarray(values, dtype=np.uint64)
    return int(_int_gap(x, _unsigned_key, _float_bucket_count(x.shape[0])))


@numba.njit(cache=True, inline="always")
def _signed_key(v):
    """int64 -> uint64 preserving order: flip the sign bit."""
    return np.uint64(v) ^ np.uint64(1 << 63)


@numba.njit(cache=True, inline="always")
def _unsigned_key(v):
    return np.uint64(v)


@numba.njit(cache=True)
def _int_gap(x, to_key, n_buckets):
    n = x.shape[0]
    lo = to_key(x[0])
    hi = lo
    for i in range(1, n):
        key = to_key(x[i])
        lo = min(lo, key)
        hi = max(hi, key)
    span = hi - lo
    if span == 0:
        return np.uint64(0)
    # Offsets from the minimum fit uint64 for any input; float64 bucket indices are monotone.
    scale = n_buckets / np.float64(span)
    lows = np.full(n_buckets, np.uint64(0xFFFFFFFFFFFFFFFF))
    highs = np.zeros(n_buckets, dtype=np.uint64)
    for i in range(n):
        off = to_key(x[i]) - lo
        b = min(np.int64(np.float64(off) * scale), n_buckets - 1)
        lows[b] = min(lows[b], off)
        highs[b] = max(highs[b], off)
    best = np.uint64(0)
    prev = highs[0]
    for b in range(1, n_buckets):
        if lows[b] <= highs[b]:
            best = max(best, lows[b] - prev)
            prev = highs[b]
    return best


@numba.njit(cache=True)
def _float_gap(x, n_buckets):
    n = x.shape[0]
    lo = x[0]
    hi = lo
    for i in range(1, n):
        lo = min(lo, x[i])
        hi = max(hi, x[i])
    if np.isinf(lo) or np.isinf(hi):
        return 0.0 if lo == hi else np.inf
    if lo == hi:
        return 0.0
    shift = 0.5 if np.isinf(hi - lo) else 1.0
    scale = n_buckets / (hi * shift - lo * shift)
    lo_shifted = lo * shift
    lows = np.full(n_buckets, np.inf)
    highs = np.full(n_buckets, -np.inf)
    for i in range(n):
        v = x[i]
        b = min(np.int64((v * shift - lo_shifted) * scale), n_buckets - 1)
        lows[b] = min(lows[b], v)
        highs[b] = max(highs[b], v)
    best = 0.0
    prev = highs[0]
    for b in range(1, n_buckets):
        if lows[b] <= highs[b]:
            best = max(best, lows[b] - prev)
            prev = highs[b]
    return best


@numba.njit(cache=True)
def _first_nan(x):
    for i in range(x.shape[0]):
        if x[i] != x[i]:
            return i
    return -1


def _check_sequence(nums):
    if isinstance(nums, (str, bytes)) or not hasattr(nums, "__len__"):
        raise TypeError(f"nums must be a sequence of numbers or a numpy array, got {type(nums).__name__}")
    values = list(nums)
    for i, x in enumerate(values):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
            raise TypeError(f"nums[{i}] must be a real number, got {type(x).__name__} {x!r}")
        if x != x:
            raise ValueError(f"nums must not hold NaN (found at index {i})")
    return values
