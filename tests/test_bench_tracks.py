"""The asv ``track_`` benchmarks measure what they say: the yardstick over ours, scaled by the work.

Timing is not checked here (it belongs to the machine). Each benchmark's ``median_ratio`` is
replaced by a stand-in that runs both sides once, records which of the package's kernels each
side called, and reports equal times: what the benchmark returns then is its work scaling alone,
which the tests compute independently from the shapes.
"""

import importlib

import numpy as np
import pytest

SMALL = {  # module: [(class, parameters)]
    "bench_online_softmax": [("Softmax", ((8, 16), "float32"))],
    "bench_scan": [("ScanAddCPU", (1000, "float64")), ("ScanAddCPU", (1000, "int64"))],
    "bench_recurrence": [("LinearRecurrenceCPU", (1000, "float64"))],
    "bench_sliding_window": [("SlidingWindowMax", ("float64", 1000, 3))],
    "bench_attention": [("Attention", (16, False)), ("Attention", (16, True))],
    "bench_rope": [("RopeCPU", ((2, 16, 8), True)), ("RopeCPU", ((2, 16, 8), False))],
    "bench_linear_attention": [("LinearAttentionMatmulRate", (16,))],
    "bench_selective_scan": [("SelectiveScanCPU", (8,))],
}
KERNELS = {  # the package's functions each module times
    "bench_online_softmax": ["softmax", "log_softmax", "logsumexp"],
    "bench_scan": ["scan"],
    "bench_recurrence": ["linear_recurrence"],
    "bench_sliding_window": ["sliding_window_max"],
    "bench_attention": ["attention"],
    "bench_rope": ["rope"],
    "bench_linear_attention": ["linear_attention", "attention"],
    "bench_selective_scan": ["selective_scan"],
}


def _set_up(module_name, class_name, params, monkeypatch):
    """The benchmark, set up, with its kernels recording their calls and a stand-in ratio."""
    module = importlib.import_module(f"benchmarks.{module_name}")
    if module_name == "bench_sliding_window" and module.bottleneck is None:
        pytest.skip("bottleneck is not installed")
    bench = getattr(module, class_name)()
    bench.setup(*params)
    called = []
    for name in KERNELS[module_name]:
        kernel = getattr(module, name)

        def recording(*args, _name=name, _kernel=kernel, **kwargs):
            called.append((_name, kwargs.get("causal")))
            return _kernel(*args, **kwargs)

        monkeypatch.setattr(module, name, recording)
    sides = {}

    def equal_times(numerator, denominator, *args, **kwargs):
        for side, call in (("numerator", numerator), ("denominator", denominator)):
            called.clear()
            call()
            sides[side] = list(called)
        return 1.0

    monkeypatch.setattr(module, "median_ratio", equal_times)
    return bench, sides


def _fractions():
    for module_name, cases in SMALL.items():
        for class_name, params in cases:
            module = importlib.import_module(f"benchmarks.{module_name}")
            cls = getattr(module, class_name)
            for method in dir(cls):
                if method.startswith("track_") and getattr(cls, method).unit == "fraction":
                    yield pytest.param(
                        module_name, class_name, params, method, id=f"{class_name}.{method}"
                    )


@pytest.mark.parametrize(("module_name", "class_name", "params", "method"), list(_fractions()))
def test_a_fraction_is_the_yardstick_over_ours_scaled_by_the_work(
    module_name, class_name, params, method, monkeypatch
):
    bench, sides = _set_up(module_name, class_name, params, monkeypatch)
    value = getattr(bench, method)(*params)
    assert sides["numerator"] == [], "the yardstick must not call the package's kernels"
    assert len(sides["denominator"]) == 1
    assert value == pytest.approx(_work_ours_over_work_yardstick(bench, class_name, params))


def _work_ours_over_work_yardstick(bench, class_name, params):
    if class_name == "Attention":
        n, causal = params
        # useful flops: 4 D per (query, key) pair seen; the yardstick's q k^T is 2 D per pair
        return (n + 1) / n if causal else 2.0
    if class_name == "LinearAttentionMatmulRate":
        d, dv = bench.q.shape[-1], bench.v.shape[-1]
        return (4 * d * dv + 3 * d) / (4 * d * dv)
    if class_name == "SelectiveScanCPU":
        u, delta, _, B, C, _ = bench.args
        moved = u.nbytes + delta.nbytes + B.nbytes + C.nbytes + u.nbytes  # y is u's size
        return moved / (2 * bench.same_bytes.nbytes)
    return 1.0  # the same bytes, read and written as ours does


def test_a_copy_yardstick_reads_real_pages_not_the_zero_page(monkeypatch):
    bench, _ = _set_up("bench_selective_scan", "SelectiveScanCPU", (8,), monkeypatch)
    assert np.all(bench.same_bytes == 1)


def test_causal_speedup_is_the_non_causal_time_over_the_causal(monkeypatch):
    bench, sides = _set_up("bench_attention", "AttentionCausalSpeedup", (16,), monkeypatch)
    assert bench.track_causal_speedup(16) == 1.0
    assert sides == {"numerator": [("attention", False)], "denominator": [("attention", True)]}


@pytest.mark.parametrize("causal", [False, True])
def test_linear_attention_speedup_is_softmax_attention_time_over_ours(causal, monkeypatch):
    bench, sides = _set_up(
        "bench_linear_attention", "LinearAttentionCPU", (16, causal), monkeypatch
    )
    assert bench.track_speedup_over_softmax_attention(16, causal) == 1.0
    assert sides == {
        "numerator": [("attention", causal)],
        "denominator": [("linear_attention", causal)],
    }
