"""Sliding-window maximum with a monotonic deque: O(n) whatever k is.

The deque holds indices whose values decrease from front to back; the front is the maximum of
the current window. Each index enters and leaves once.
"""

from collections import deque


def sliding_window_max(nums, k):
    """
    >>> sliding_window_max([1, 3, -1, -3, 5, 3, 6, 7], 3)
    [3, 3, 5, 5, 6, 7]
    """
    window, out = deque(), []
    for i, x in enumerate(nums):
        while window and nums[window[-1]] <= x:
            window.pop()  # smaller values behind x can never be a window's maximum again
        window.append(i)
        if window[0] <= i - k:
            window.popleft()  # the front left the window
        if i >= k - 1:
            out.append(nums[window[0]])
    return out
