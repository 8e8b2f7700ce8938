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
integers become offsets from the minimum, which fit ``uint64`` for any input (wider ranges are
first mapped, order-preserving, to ``uint64`` keys), so that ``[-2**63, 2**63 - 1]`` gives
``2**64 - 1`` with nothing overflowing. Floats give a Python
``float``: the float64 difference of the two values (float16 and float32 widen to float64
exactly), the same as ``max(np.diff(np.sort(x.astype(np.float64))))``. Bucket indices of floats
are rounded, but rounding is monotone (a larger value never lands in an earlier bucket), and the
buckets are narrow enough that rounding never lets the largest gap hide inside one.

Special values. NaN raises ``ValueError``. An infinity is a value like any other whose gap to a
different value is ``inf``: the result is ``inf`` when the values hold an infinity and a value
different from it, and ``0.0`` when all values are the same infinity (where ``np.diff`` gives
``inf - inf = nan``).

Mixed integers and floats are taken as float64 values (each converted as ``float(x)`` does) and
give a ``float``; an integer beyond the float64 range is then a ``ValueError`` naming ``nums``
(give integers only for an exact ``int`` answer of any size).

Bucket indices are computed so that they are provably in range: the scale is kept finite by a
power-of-two prescale of the span (a span of one subnormal step would make
``n_buckets / span`` overflow to ``inf``, and ``0 * inf`` is NaN), and every index is clamped to
``[0, n_buckets - 1]`` in floating point before it becomes an integer, so that not even a NaN can
become an index. numba does no bounds checks: an index out of range would be a write to memory
the kernel does not own.

numpy arrays take numba kernels. One bucket array of ``n`` entries does not fit in cache, and
updating it in input order misses cache on every value. So the buckets are cut into partitions
of ``_FINE`` buckets: each block of the input is grouped by partition into its own stretch of a
scratch array (a counting sort on the partition, in cache), then each partition is bucketed in
cache. Blocks and partitions run in parallel for large inputs (``algos._parallel`` chooses, by
size). Memory traffic of the ideal version: one read of the input (8 bytes per element); this
one moves about 32 (a pass for the range, then ``_bucket_gap``).
Integer points are offsets from the minimum, as float64 where the range is at most 2**53 (exact
there, and LLVM compiles float64 min/max without branches, where on int64 it emits branches that
mispredict), as int64 below 2**63, as uint64 beyond. ``benchmarks/bench_max_gap.py`` times the
kernels beside ``np.diff(np.sort(x)).max()``.

>>> maximum_gap([3, 6, 9, 1])
3
>>> maximum_gap([10])
0
"""

import math
import numbers

import numba
import numpy as np
from numba import types
from numba.extending import overload

from algos._parallel import serial_and_parallel, use_parallel
from algos._validate import check_numeric_array, check_real_sequence, is_array

__all__ = ["maximum_gap"]


def maximum_gap(nums: object) -> int | float:
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
    >>> maximum_gap([10**400, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: nums[0] is too large for a float64 (about 2**1328), and nums also holds floats: ...
    """
    if is_array(nums):
        return _maximum_gap_array(check_numeric_array("nums", nums))
    values = check_real_sequence("nums", nums, allow_nan=False)
    if all(isinstance(x, numbers.Integral) for x in values):
        return _maximum_gap_ints([int(x) for x in values])  # numpy ints would overflow
    return _maximum_gap_floats(_as_floats(values))


def _as_floats(values):
    """The values as float64, for a float answer; an integer out of float64's range says so."""
    floats = []
    for i, x in enumerate(values):
        try:
            floats.append(float(x))
        except OverflowError:
            raise ValueError(
                f"nums[{i}] is too large for a float64 (about 2**{abs(int(x)).bit_length() - 1}),"
                " and nums also holds floats: mixed input is computed in float64. Give integers"
                " only for an exact int result"
            ) from None
    return floats


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
    shift, scale = _float_shift_and_scale(lo, hi, n_buckets)

    def bucket(x):
        q = (x * shift - lo * shift) * scale
        return int(min(max(q, 0.0), n_buckets - 1))  # in range whatever q is (scale is finite)

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


def _float_shift_and_scale(lo, hi, n_buckets):
    """A power of two ``shift`` and ``scale`` such that ``(x * shift - lo * shift) * scale`` is
    the position of ``x`` in ``[0, n_buckets]``, every term finite.

    A span ``hi - lo`` that overflows is halved (exact for all but subnormals). A tiny span is
    multiplied up to about 1, so that ``n_buckets / span`` cannot overflow (at ``[0.0, 1e-308]``
    it would be ``inf``, and the minimum's position ``0 * inf`` NaN). Scaling by a power of two
    is exact, and it cannot overflow: distinct values ``x`` satisfy ``|x| <= 2**53 * span`` for
    normal numbers and ``|x| < 2**-1022`` for subnormals, so ``|x * shift| <= 2**54``. The
    exponent stops at 1000, where even the smallest span (2**-1074) leaves a finite scale."""
    span = hi - lo
    if math.isinf(span):
        shift = 0.5
    else:
        shift = 2.0 ** min(max(-math.frexp(span)[1], 0), 1000)
    return shift, n_buckets / (hi * shift - lo * shift)


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
    n = values.shape[0]
    n_buckets = _float_bucket_count(n)
    if kind == "f":
        x = np.ascontiguousarray(values, dtype=np.float64)
        lo, hi, has_nan = _min_max_any(x, _NO_FLIP, 0.0)
        if has_nan:
            raise ValueError(f"nums must not hold NaN (found at index {_first_nan(x)})")
        if math.isinf(lo) or math.isinf(hi):
            return 0.0 if lo == hi else math.inf
        if lo == hi:
            return 0.0
        shift, scale = _float_shift_and_scale(lo, hi, n_buckets)
        points = np.empty(n, dtype=np.float64)
        gap = _bucket_gap_any(x, _NO_FLIP, lo, shift, scale, n_buckets, points, np.inf, -np.inf)
        return float(gap)
    if kind == "i":
        x = np.ascontiguousarray(values, dtype=np.int64)
        lo, hi, _ = _min_max_any(x, _SIGNED, np.int64(0))  # int64 points are the values
        lo, hi = int(lo), int(hi)
        flip, key_lo, key_hi = _SIGN_FLIP, lo + 2**63, hi + 2**63
    else:
        x = np.ascontiguousarray(values, dtype=np.uint64)
        lo, hi, _ = _min_max_any(x, _NO_FLIP, np.uint64(0))
        lo, hi = int(lo), int(hi)
        flip, key_lo, key_hi = _NO_FLIP, lo, hi
    if lo == hi:
        return 0
    if hi - lo <= 2**53:
        # Offsets up to 2**53 are exact in float64, whose min and max are single branch-free
        # instructions. On int64 compares LLVM turns the selects of the bucket pass back into
        # branches, which mispredict on about every value.
        scale = n_buckets / float(hi - lo)
        points = np.empty(n, dtype=np.float64)
        gap = _bucket_gap_any(
            x, _FLOAT_OFFSETS, x.dtype.type(lo), 1.0, scale, n_buckets, points, np.inf, -np.inf
        )
        return int(gap)
    if hi - lo < 2**63:
        # Wider ranges: offsets from the minimum fit int64, whose compares, selects and
        # conversion to float64 are single instructions (uint64 takes several for each).
        scale = n_buckets / float(hi - lo)
        points = np.empty(n, dtype=np.int64)
        gap = _bucket_gap_any(
            x,
            _SIGNED,
            x.dtype.type(lo),
            np.int64(0),
            scale,
            n_buckets,
            points,
            np.int64(2**63 - 1),
            np.int64(-(2**63)),
        )
        return int(gap)
    # Offsets of 2**63 or more: uint64 offsets of order-preserving uint64 keys, halved for the
    # position, which moves a position by less than a bucket's 2**63 / n_buckets.
    key_lo = np.uint64(key_lo)
    shift = np.uint64(1)
    scale = n_buckets / float((np.uint64(key_hi) - key_lo) >> shift)
    points = np.empty(n, dtype=np.uint64)
    gap = _bucket_gap_any(
        x, flip, key_lo, shift, scale, n_buckets, points, np.uint64(2**64 - 1), np.uint64(0)
    )
    return int(gap)


def _min_max_any(x, flip, origin):
    parallel = use_parallel(x.shape[0])
    n_chunks = numba.get_num_threads() if parallel else 1
    kernel = _MIN_MAX.parallel if parallel else _MIN_MAX.serial
    return kernel(x, flip, origin, n_chunks)


def _bucket_gap_any(x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high):
    parallel = use_parallel(x.shape[0])
    # More groups than threads, so that a thread that finishes early takes another.
    n_groups = 4 * numba.get_num_threads() if parallel else 1
    kernel = _BUCKET_GAP.parallel if parallel else _BUCKET_GAP.serial
    block = _block_size(x.shape[0])
    return kernel(
        x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high, block, n_groups
    )


# How a value becomes a point (what the buckets compare and subtract) and a position (a
# non-negative float64 that, times ``scale``, gives the bucket index, monotone in the point).
# Integers (int64 or uint64) become uint64 offsets from the smallest key ``origin``: XOR with
# ``flip`` = 2**63 maps int64 onto uint64 in order (``flip`` = 0 for uint64), and an offset from
# the minimum cannot overflow. Floats are their own points. Chosen by type at compile time, so
# each kernel is compiled once per dtype and can be cached.


_SIGN_FLIP = np.uint64(2**63)
_NO_FLIP = np.uint64(0)
# In place of ``flip``: int64 offsets ``value - origin`` (ranges below 2**63), or those offsets
# as float64 (ranges up to 2**53, where float64 holds every integer exactly).
_SIGNED = None
_FLOAT_OFFSETS = 0.0


def _to_point(v, flip, origin):
    """Pure-Python statement of the compiled overload below."""
    if isinstance(v, float):
        return v
    if flip is None:
        return int(v) - int(origin)
    if isinstance(flip, float):
        return float(int(v) - int(origin))
    return ((int(v) % 2**64) ^ flip) - origin


def _position(point, origin, shift):
    if isinstance(point, float):
        return point if isinstance(origin, numbers.Integral) else point * shift - origin * shift
    return float(point >> shift)


@overload(_to_point, inline="always")
def _to_point_overload(v, flip, origin):
    if isinstance(v, types.Float):
        return lambda v, flip, origin: v
    if isinstance(flip, types.Float):
        return lambda v, flip, origin: np.float64(np.int64(v - origin))
    if isinstance(flip, types.NoneType):
        # Same-typed subtraction (wrapping for int64), then int64: exact below 2**63.
        return lambda v, flip, origin: np.int64(v - origin)
    return lambda v, flip, origin: (np.uint64(v) ^ flip) - origin


@overload(_position, inline="always")
def _position_overload(point, origin, shift):
    if isinstance(point, types.Float) and isinstance(origin, types.Integer):
        return lambda point, origin, shift: point  # already a float offset from the minimum
    if isinstance(point, types.Float):
        return lambda point, origin, shift: point * shift - origin * shift
    if point.signed:
        return lambda point, origin, shift: np.float64(point)
    return lambda point, origin, shift: np.float64(np.int64(point >> shift))


@numba.njit(cache=True, inline="always")
def _bucket(position, scale, n_buckets):
    """The bucket of ``position``, provably in ``[0, n_buckets - 1]``: clamped in float64 before
    the conversion (LLVM's conversion of a NaN or of a value beyond int64 is undefined), the
    first select also turning a NaN into the last bucket. With the scales computed above the
    clamp changes nothing; it is what makes every index below safe without a proof per caller."""
    q = position * scale
    top = np.float64(n_buckets - 1)
    q = q if q < top else top
    q = q if q > 0.0 else 0.0
    return np.int64(q)


def _min_max_chunks(x, flip, origin, n_chunks):
    """Smallest and largest point of ``x`` and whether it holds a NaN, ``n_chunks`` chunks in
    parallel (see ``_MIN_MAX``). Chunk ``c`` writes only slot ``c < n_chunks`` of each array."""
    size = (x.shape[0] + n_chunks - 1) // n_chunks
    first = _to_point(x[0], flip, origin)
    lows = np.full(n_chunks, first)
    highs = np.full(n_chunks, first)
    nans = np.zeros(n_chunks, dtype=np.bool_)
    for c in numba.prange(n_chunks):
        if c * size < x.shape[0]:  # with more chunks than values the last ones are empty
            lows[c], highs[c], nans[c] = _min_max_slice(x[c * size : (c + 1) * size], flip, origin)
    return lows.min(), highs.max(), nans.any()


@numba.njit(cache=True)
def _min_max_slice(x, flip, origin):
    # A plain loop over a contiguous slice vectorises, where the same loop over an index range
    # inside the parallel one does not.
    lo = _to_point(x[0], flip, origin)
    hi = lo
    nan = False
    for i in range(x.shape[0]):
        p = _to_point(x[i], flip, origin)
        lo = p if p < lo else lo  # a NaN compares false: skipped here, flagged below
        hi = p if p > hi else hi
        nan |= p != p
    return lo, hi, nan


# Buckets are processed in partitions of _FINE consecutive buckets, so that each partition's
# bucket minima and maxima (2 * 8 * _FINE bytes) stay in L1/L2 cache: one bucket array of n
# entries is 80 MB at n = 10**7, and updating it in input order misses cache on every element.
_FINE_BITS = 14
_FINE = 1 << _FINE_BITS
# The input is grouped by partition one block at a time, within the block's own stretch of
# ``points``: a block of this many values (512 KB) and its stretch stay in L2 cache between
# counting and scattering, so the input is read from memory once and the scattered writes hit
# cache. Blocks grow for very large inputs to keep the table of counts (blocks x partitions) small.
_BLOCK = 1 << 16


def _block_size(n):
    return max(_BLOCK, -(-n // 256))


def _bucket_gap(
    x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high, block, n_groups
):
    """Largest gap between successive points of ``x``, by buckets, in two passes, each parallel
    in the parallel form (see ``_BUCKET_GAP``): group each block of ``x`` by partition into its
    stretch of ``points`` (count, then scatter: a counting sort on the partition, in cache), then
    bucket each partition, gathering its pieces from every block. Memory traffic: the input read
    once, ``points`` written and read once, 24 bytes per element against 8 for the ideal single
    pass. The loops run in serial helpers over contiguous slices, which numba compiles to tighter
    code than index ranges inside the parallel loop."""
    n = x.shape[0]
    n_blocks = (n + block - 1) // block
    n_parts = (n_buckets + _FINE - 1) >> _FINE_BITS
    # starts[c, part]: where block c's points of that partition begin in ``points``.
    starts = np.empty((n_blocks, n_parts + 1), dtype=np.int64)
    for c in numba.prange(n_blocks):
        _group_block(
            x[c * block : min(n, (c + 1) * block)],
            c * block,
            flip,
            origin,
            shift,
            scale,
            n_buckets,
            starts[c],
            points,
        )
    # Each partition: its first point, last point and the largest gap inside it.
    filled = np.zeros(n_parts, dtype=np.bool_)
    part_low = np.full(n_parts, empty_low)
    part_high = np.full(n_parts, empty_high)
    part_best = np.full(n_parts, points[0] - points[0])
    per_group = (n_parts + n_groups - 1) // n_groups
    for g in numba.prange(n_groups):
        lows = np.empty(_FINE, dtype=points.dtype)
        highs = np.empty(_FINE, dtype=points.dtype)
        for part in range(g * per_group, min(n_parts, (g + 1) * per_group)):
            filled[part], part_low[part], part_high[part], part_best[part] = _gap_in_partition(
                points,
                starts,
                part,
                origin,
                shift,
                scale,
                n_buckets,
                lows,
                highs,
                empty_low,
                empty_high,
            )
    return _merge_partitions(filled, part_low, part_high, part_best)


_MIN_MAX = serial_and_parallel(_min_max_chunks)
_BUCKET_GAP = serial_and_parallel(_bucket_gap)


@numba.njit(cache=True)
def _group_block(x, offset, flip, origin, shift, scale, n_buckets, starts, points):
    """Write the points of block ``x`` (which begins at ``offset`` in the input) grouped by
    partition into ``points[offset : offset + len(x)]``; ``starts[part]`` gets where each
    partition's group begins, ``starts[-1]`` where the block ends."""
    n_parts = starts.shape[0] - 1
    # Each value's partition, in a loop of its own so that it vectorises; kept in cache.
    # In range: _bucket is in [0, n_buckets - 1], and n_parts = ceil(n_buckets / _FINE). So the
    # counts are a counting sort of this block's len(x) values, and every write to ``points``
    # lands in [offset, offset + len(x)).
    parts = np.empty(x.shape[0], dtype=np.int64)
    for i in range(x.shape[0]):
        parts[i] = (
            _bucket(_position(_to_point(x[i], flip, origin), origin, shift), scale, n_buckets)
            >> _FINE_BITS
        )
    counts = np.zeros(n_parts, dtype=np.int64)
    for i in range(x.shape[0]):
        counts[parts[i]] += 1
    total = offset
    for part in range(n_parts):
        starts[part] = total
        count = counts[part]
        counts[part] = total  # from here on: the next write position of the partition
        total += count
    starts[n_parts] = total
    for i in range(x.shape[0]):
        part = parts[i]
        points[counts[part]] = _to_point(x[i], flip, origin)
        counts[part] += 1


@numba.njit(cache=True)
def _merge_partitions(filled, part_low, part_high, part_best):
    """Across partitions, in order: the invariant of the bucket scan, one level up."""
    best = part_low[0] - part_low[0]  # part 0 holds the minimum, a finite point
    prev = part_high[0]
    first = True
    for part in range(part_low.shape[0]):
        if not filled[part]:
            continue
        if not first:
            best = max(best, part_low[part] - prev)
        first = False
        best = max(best, part_best[part])
        prev = part_high[part]
    return best


@numba.njit(cache=True)
def _gap_in_partition(
    points, starts, part, origin, shift, scale, n_buckets, lows, highs, empty_low, empty_high
):
    """Whether partition ``part`` holds points and, if so, its first point, last point and
    largest inner gap. Its buckets are ``base .. base + _FINE - 1``; its points lie in one piece
    per block, ``points[starts[c, part] : starts[c, part + 1]]``; ``lows``/``highs`` are
    scratch arrays of ``_FINE``."""
    base = part << _FINE_BITS
    zero = points[0] - points[0]  # points are finite; a gap may be inf, so never best - best
    lows[:] = empty_low
    highs[:] = empty_high
    count = 0
    for c in range(starts.shape[0]):
        begin = starts[c, part]
        end = starts[c, part + 1]
        count += end - begin
        for j in range(begin, end):
            p = points[j]
            # Same computation as when grouping, so the same bucket; the clip only guards memory.
            b = _bucket(_position(p, origin, shift), scale, n_buckets) - base
            b = min(max(b, 0), _FINE - 1)
            low = lows[b]
            high = highs[b]
            lows[b] = p if p < low else low
            highs[b] = p if p > high else high
    if count == 0:
        return False, empty_low, empty_high, zero
    # The first non-empty bucket opens the partition; then a scan written with selects only,
    # since whether a bucket is empty is a coin toss the branch predictor loses.
    # count > 0 and _bucket's clamp put every point of this partition in one of its _FINE
    # buckets, so a filled one exists; the bound keeps the index in range regardless.
    first = 0
    while first < _FINE - 1 and lows[first] > highs[first]:
        first += 1
    best = zero
    prev = highs[first]
    for b in range(first + 1, _FINE):
        low = lows[b]
        high = highs[b]
        filled = low <= high
        gap = low - prev if filled else zero
        best = gap if gap > best else best
        prev = high if filled else prev
    return True, lows[first], prev, best


@numba.njit(cache=True)
def _first_nan(x):
    for i in range(x.shape[0]):
        if x[i] != x[i]:
            return i
    return -1
