"""The one ratio every ``track_`` benchmark reports: two calls timed alternately in one process.

Timing both sides in the same rounds lets a busy spell of the machine (another process, a clock
change) hit both alike, so the ratio holds where each time alone would not; the median drops the
rounds such a spell hit one side only.
"""

import gc
import statistics
import time


def median_ratio(numerator, denominator, rounds=7):
    """Median over ``rounds`` of ``time(numerator()) / time(denominator())``.

    Each callable runs once untimed first (numba compiles, the output's pages are touched), then
    the two alternate, the one going first changing every round so that neither always finds the
    caches as the other left them. The garbage collector is off while timing, as asv has it.
    """
    numerator()
    denominator()
    ratios = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(rounds):
            if i % 2:
                spent_denominator = _seconds(denominator)
                spent_numerator = _seconds(numerator)
            else:
                spent_numerator = _seconds(numerator)
                spent_denominator = _seconds(denominator)
            ratios.append(spent_numerator / spent_denominator)
    finally:
        if enabled:
            gc.enable()
    return statistics.median(ratios)


def _seconds(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start
