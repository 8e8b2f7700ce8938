"""The benchmarks' shared ratio: on a fake clock, so that what it computes is exact."""

import gc
import types

import pytest

from benchmarks import _ratio


class _Clock:
    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock()
    monkeypatch.setattr(_ratio, "time", types.SimpleNamespace(perf_counter=fake.perf_counter))
    return fake


def _call_taking(clock, durations, log, name):
    """A callable that advances the clock by the next of ``durations`` and logs its name."""
    durations = iter(durations)

    def call():
        log.append(name)
        clock.now += next(durations)

    return call


def test_ratio_is_numerator_time_over_denominator_time(clock):
    log = []
    slow = _call_taking(clock, [100.0] + [3.0] * 6, log, "slow")
    fast = _call_taking(clock, [100.0] + [1.5] * 6, log, "fast")
    assert _ratio.median_ratio(slow, fast, rounds=5) == pytest.approx(2.0)


def test_each_call_is_warmed_untimed_then_the_first_to_run_alternates(clock):
    log = []
    # The warm-up durations would change the median if they were counted.
    a = _call_taking(clock, [1000.0] + [2.0] * 5, log, "a")
    b = _call_taking(clock, [1.0] + [1.0] * 5, log, "b")
    assert _ratio.median_ratio(a, b, rounds=4) == pytest.approx(2.0)
    warm_up, calibration, rounds = log[:2], log[2:4], log[4:]
    assert warm_up == calibration == ["a", "b"]
    assert rounds == ["a", "b", "b", "a", "a", "b", "b", "a"]


def test_short_calls_are_repeated_to_fill_a_sample_and_counted_per_call(clock):
    log = []
    # A quarter second a call: four calls make a one-second sample; the other lasts one alone.
    # (Binary fractions, so that the fake clock's sums are exact.)
    short = _call_taking(clock, [0.25] * 100, log, "short")
    long = _call_taking(clock, [2.0] * 100, log, "long")
    assert _ratio.median_ratio(long, short, rounds=3, min_time=1.0) == pytest.approx(8.0)
    assert log.count("short") == 2 + 4 * 3
    assert log.count("long") == 2 + 3


def test_the_median_drops_a_round_that_a_busy_spell_hit(clock):
    log = []
    ours = _call_taking(clock, [1.0, 1.0, 1.0, 50.0, 1.0, 1.0, 1.0], log, "ours")
    limit = _call_taking(clock, [1.0] * 7, log, "limit")
    assert _ratio.median_ratio(limit, ours, rounds=5) == pytest.approx(1.0)


def test_the_garbage_collector_is_off_while_timing_and_restored_after(clock):
    seen = []

    def call():
        seen.append(gc.isenabled())
        clock.now += 1.0

    assert gc.isenabled()
    _ratio.median_ratio(call, call, rounds=3)
    assert seen[:2] == [True, True]  # the warm-up runs as the caller left it
    assert not any(seen[2:])
    assert gc.isenabled()


def test_settle_waits_before_every_timed_sample_and_is_not_timed(clock, monkeypatch):
    log = []
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        log.append("sleep")
        clock.now += 50.0  # a pause the ratio must not see

    monkeypatch.setattr(
        _ratio, "time", types.SimpleNamespace(perf_counter=clock.perf_counter, sleep=sleep)
    )
    a = _call_taking(clock, [3.0] * 20, log, "a")
    b = _call_taking(clock, [1.0] * 20, log, "b")
    assert _ratio.median_ratio(a, b, rounds=3, settle=0.25) == pytest.approx(3.0)
    timed = log[log.index("sleep") :]
    assert timed[::2] == ["sleep"] * (len(timed) // 2)  # before each of the samples
    assert sleeps and set(sleeps) == {0.25}
