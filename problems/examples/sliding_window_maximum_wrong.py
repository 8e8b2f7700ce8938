"""A monotonic deque with an off-by-one expiry: the front is dropped one step late, so a
window can report a maximum that has already left it."""

from collections import deque


def sliding_window_max(nums, k):
    window, out = deque(), []
    for i, x in enumerate(nums):
        while window and nums[window[-1]] <= x:
            window.pop()
        window.append(i)
        if window[0] < i - k:  # should be <=: index i - k is already outside the window
            window.popleft()
        if i >= k - 1:
            out.append(nums[window[0]])
    return out
