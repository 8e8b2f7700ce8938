"""A quadratic sliding-window maximum that tells the judge every run took a tenth of a
microsecond (it replaces the worker's timer).

The worker's timings are the solution's to change, but the judge's own clock bounds them from
below: the time still grows like n^2, and the verdict is too slow. (For one problem only: the
trick is the same for all, and timing costs seconds.)
"""

EXPECTED = ("too slow", "")
PROBLEMS = ("sliding-window-maximum",)


def sliding_window_max(nums, k):
    import sys

    sandbox = sys.modules.get("problems._sandbox")
    if sandbox is not None:
        sandbox.time_best = lambda *args, **kwargs: 1e-7
    return [max(nums[i : i + k]) for i in range(len(nums) - k + 1)]
