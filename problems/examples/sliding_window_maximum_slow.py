"""Correct but O(n*k): the maximum of each window is computed from scratch."""


def sliding_window_max(nums, k):
    return [max(nums[i : i + k]) for i in range(len(nums) - k + 1)]
