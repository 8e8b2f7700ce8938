"""The one ratio every ``track_`` benchmark reports: two calls timed alternately in one process.

Timing both sides in the same rounds lets a busy spell of the machine (another process, a clock
change) hit both alike, so the ratio holds where each time alone would not; the median drops the
rounds such a spell hit one side only.
"""

import gc
import math
import statistics
import time

# Long enough for OpenBLAS's spinning workers to go to sleep (see median_ratio's settle).
BLAS_SETTLE = 0.25


def median_ratio(numerator, denominator, rounds=7, min_time=0.01, settle=0.0):
    """Median over ``rounds`` of the time of one ``numerator()`` over one ``denominator()``.

    ``settle``: seconds to wait before each sample, for a side that calls BLAS. OpenBLAS's worker
    threads keep spinning after a call (about 2**28 cycles, a tenth of a second) and would take
    the cores from whatever runs next; on a machine with few cores that halves the speed of a
    parallel kernel timed right after a matrix product.

    Each callable runs once untimed first (numba compiles, the output's pages are touched), then
    once timed to choose how many calls make a sample of at least ``min_time`` seconds (a single
    short call is all timer and scheduler noise). The samples of the two then alternate, the one
    going first changing every round so that neither always finds the caches as the other left
    them. The garbage collector is off while timing, as asv has it.
    """
    numerator()
    denominator()
    enabled = gc.isenabled()
    gc.disable()
    try:
        calls_numerator = _calls_per_sample(numerator, min_time)
        calls_denominator = _calls_per_sample(denominator, min_time)
        ratios = []
        for i in range(rounds):
            if i % 2:
                spent_denominator = _seconds(denominator, calls_denominator, settle)
                spent_numerator = _seconds(numerator, calls_numerator, settle)
            else:
                spent_numerator = _seconds(numerator, calls_numerator, settle)
                spent_denominator = _seconds(denominator, calls_denominator, settle)
            ratios.append(spent_numerator / spent_denominator)
    finally:
        if enabled:
            gc.enable()
    return statistics.median(ratios)


def _calls_per_sample(call, min_time):
    once = _seconds(call, 1)
    return max(1, math.ceil(min_time / once)) if once > 0 else 1


def _seconds(call, calls, settle=0.0):
    """Seconds per call, over ``calls`` calls in a row (after ``settle`` seconds idle)."""
    if settle:
        time.sleep(settle)
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls
