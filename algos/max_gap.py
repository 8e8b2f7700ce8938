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

numpy arrays take numba kernels. One bucket array of ``n`` entries does not fit in cache, and
updating it in input order misses on every value (that plain form, measured, took 2.3-4.7x the
time of ``np.sort``). So the buckets are cut into partitions of ``_FINE`` buckets: each block of
the input is grouped by partition into its own stretch of a scratch array (a counting sort on the
partition, in cache), then each partition is bucketed in cache. Blocks and partitions run in
parallel on an idle machine, serially on a busy one. Memory traffic of the ideal version: one
read of the input (8 bytes per element); this one moves about 32 (a pass for the range, then
``_bucket_gap``).
Integer points are offsets from the minimum, as float64 where the range is at most 2**53 (exact
there, and LLVM compiles float64 min/max without branches, where on int64 it emits branches that
mispredict), as int64 below 2**63, as uint64 beyond.
Measured against ``np.diff(np.sort(x)).max()`` on 10**7 values, two cores, interleaved runs,
median ratio (``benchmarks/bench_max_gap.py``): shared with other work (so the serial kernels
ran), float64 1.7-1.8x (uniform) and 1.7-1.8x (normal) faster, int64 1.7-1.8x (uniform) and
1.7x (normal); in a quiet spell, the parallel kernels 3.0-3.3x (float64) and 2.8-3.0x (int64).
The 1.5x goal is met for both dtypes and both distributions.

>>> maximum_gap([3, 6, 9, 1])
3
>>> maximum_gap([10])
0
"""

import math
import numbers
import os

import numba
import numpy as np
from numba import types
from numba.extending import overload

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
        shift = 0.5 if math.isinf(hi - lo) else 1.0  # as in _maximum_gap_floats
        scale = n_buckets / (hi * shift - lo * shift)
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
        # branches, which mispredict on about every value (measured: that pass took 4-5x as
        # long as on float64).
        scale = n_buckets / float(hi - lo)
        points = np.empty(n, dtype=np.float64)
        gap = _bucket_gap_any(
            x, _FLOAT_OFFSETS, x.dtype.type(lo), 1.0, scale, n_buckets, points, np.inf, -np.inf
        )
        return int(gap)
    if hi - lo < 2**63:
        # Wider ranges: offsets from the minimum fit int64, whose compares, selects and
        # conversion to float64 are single instructions (uint64 takes several for each; the
        # in-cache bucket pass ran about 1.5x slower on uint64 points).
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


# Below this many values, waking the worker threads costs more than the work (on a busy machine
# a parallel region can wait a scheduler tick, ~4 ms, for a sleeping worker).
_PARALLEL_MIN = 1 << 20


def _parallel(n):
    """Whether to run the parallel kernels on ``n`` values: for large inputs, unless other work
    keeps all but one core busy. Each parallel region ends by waiting for its slowest thread,
    and on a busy machine that is one the scheduler has set aside: at n = 10**7 on two cores
    shared with other work the parallel kernels ran 1.5-2x slower than the serial ones, on an
    idle machine 1.7-1.8x faster (measured)."""
    return n >= _PARALLEL_MIN and not _busy()


def _busy():
    """Whether other work leaves fewer than two cores free."""
    cores = os.cpu_count() or 1
    try:  # Linux: threads runnable right now (the 1-minute load average lags by a minute)
        with open("/proc/loadavg") as f:
            running = int(f.read().split()[3].split("/")[0])
        return running - _own_running_threads() > cores - 2
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.getloadavg()[0] > cores - 0.5
    except (AttributeError, OSError):  # not on every platform
        return False


def _own_running_threads():
    """This process's runnable threads: this one, and worker threads still spinning after a
    parallel region, which must not count as other work."""
    count = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/stat") as f:
                count += f.read().rsplit(")", 1)[1].split()[0] == "R"
        except OSError:  # a thread that has just ended
            pass
    return count


def _min_max_any(x, flip, origin):
    if _parallel(x.shape[0]):
        return _min_max(x, flip, origin, numba.get_num_threads())
    return _min_max_serial(x, flip, origin)


def _bucket_gap_any(x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high):
    args = (
        x,
        flip,
        origin,
        shift,
        scale,
        n_buckets,
        points,
        empty_low,
        empty_high,
        _block_size(x.shape[0]),
    )
    if _parallel(x.shape[0]):
        return _bucket_gap(*args, 4 * numba.get_num_threads())
    return _bucket_gap_serial(*args)


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
    return min(np.int64(position * scale), n_buckets - 1)


@numba.njit(cache=True, parallel=True)
def _min_max(x, flip, origin, n_chunks):
    """Smallest and largest point of ``x`` and whether it holds a NaN, chunks in parallel."""
    size = (x.shape[0] + n_chunks - 1) // n_chunks
    first = _to_point(x[0], flip, origin)
    lows = np.full(n_chunks, first)
    highs = np.full(n_chunks, first)
    nans = np.zeros(n_chunks, dtype=np.bool_)
    for c in numba.prange(n_chunks):
        if c * size < x.shape[0]:  # with more chunks than values the last ones are empty
            lows[c], highs[c], nans[c] = _min_max_serial(x[c * size : (c + 1) * size], flip, origin)
    return lows.min(), highs.max(), nans.any()


@numba.njit(cache=True)
def _min_max_serial(x, flip, origin):
    # A plain loop over a contiguous slice vectorises (about 10x faster on int64 than the same
    # loop over an index range inside the parallel one).
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


@numba.njit(cache=True, parallel=True)
def _bucket_gap(
    x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high, block, n_groups
):
    """Largest gap between successive points of ``x``, by buckets, in two parallel passes:
    group each block of ``x`` by partition into its stretch of ``points`` (count, then scatter:
    a counting sort on the partition, in cache), then bucket each partition, gathering its
    pieces from every block. Memory traffic: the input read once, ``points`` written and read
    once, 24 bytes per element against 8 for the ideal single pass. The loops run in serial
    helpers over contiguous slices, which numba compiles to much tighter code than index ranges
    inside the parallel loop (3x on int64, measured)."""
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


@numba.njit(cache=True)
def _bucket_gap_serial(
    x, flip, origin, shift, scale, n_buckets, points, empty_low, empty_high, block
):
    """``_bucket_gap`` in one thread, for inputs too small to pay for waking the others."""
    n = x.shape[0]
    n_blocks = (n + block - 1) // block
    n_parts = (n_buckets + _FINE - 1) >> _FINE_BITS
    starts = np.empty((n_blocks, n_parts + 1), dtype=np.int64)
    for c in range(n_blocks):
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
    filled = np.zeros(n_parts, dtype=np.bool_)
    part_low = np.full(n_parts, empty_low)
    part_high = np.full(n_parts, empty_high)
    part_best = np.full(n_parts, points[0] - points[0])
    lows = np.empty(_FINE, dtype=points.dtype)
    highs = np.empty(_FINE, dtype=points.dtype)
    for part in range(n_parts):
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


@numba.njit(cache=True)
def _group_block(x, offset, flip, origin, shift, scale, n_buckets, starts, points):
    """Write the points of block ``x`` (which begins at ``offset`` in the input) grouped by
    partition into ``points[offset : offset + len(x)]``; ``starts[part]`` gets where each
    partition's group begins, ``starts[-1]`` where the block ends."""
    n_parts = starts.shape[0] - 1
    # Each value's partition, in a loop of its own so that it vectorises; kept in cache.
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
    first = 0
    while lows[first] > highs[first]:
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


def _check_sequence(nums):
    if isinstance(nums, (str, bytes)) or not hasattr(nums, "__len__"):
        raise TypeError(
            f"nums must be a sequence of numbers or a numpy array, got {type(nums).__name__}"
        )
    values = list(nums)
    for i, x in enumerate(values):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
            raise TypeError(f"nums[{i}] must be a real number, got {type(x).__name__} {x!r}")
        if x != x:
            raise ValueError(f"nums must not hold NaN (found at index {i})")
    return values
