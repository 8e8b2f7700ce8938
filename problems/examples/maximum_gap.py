"""Maximum gap with buckets: linear time.

With n values over [lo, hi], the largest gap is at least (hi - lo) / (n - 1) (pigeonhole), so
with buckets of about that width it never lies inside a bucket: only the gaps between one
bucket's maximum and the next non-empty bucket's minimum count.
"""


def maximum_gap(nums):
    """
    >>> maximum_gap([3, 6, 9, 1])
    3
    """
    if len(nums) < 2:
        return 0
    lo, hi = min(nums), max(nums)
    if lo == hi:
        return 0
    n = len(nums)
    width = max(1, (hi - lo) // (n - 1))
    count = (hi - lo) // width + 1
    mins, maxs = [None] * count, [None] * count
    for x in nums:
        b = (x - lo) // width
        mins[b] = x if mins[b] is None or x < mins[b] else mins[b]
        maxs[b] = x if maxs[b] is None or x > maxs[b] else maxs[b]
    gap, previous = 0, lo
    for b in range(count):
        if mins[b] is not None:
            gap = max(gap, mins[b] - previous)
            previous = maxs[b]
    return gap
