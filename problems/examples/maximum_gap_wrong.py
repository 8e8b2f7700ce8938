"""Sorts, then forgets the last gap: the loop stops one pair early."""


def maximum_gap(nums):
    s = sorted(nums)
    gap = 0
    for i in range(1, len(s) - 1):  # should run to len(s)
        gap = max(gap, s[i] - s[i - 1])
    return gap
