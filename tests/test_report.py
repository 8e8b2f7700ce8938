"""The performance report: its quick path writes a page with a row per kernel, and charts.

Sizes are shrunk far below ``--quick`` so that the whole report runs in seconds; the figures it
measures are not checked (they belong to the machine), only that every kernel was measured and
that the page and charts hold what they promise.
"""

import dataclasses
import importlib
import inspect
import json
import math
import pathlib
import re

import pytest

pytest.importorskip("matplotlib")

from benchmarks import _report_history, report

TINY = dataclasses.replace(
    report.QUICK,
    softmax=(8, 64),
    scan=1000,
    recurrence=1000,
    sliding_window=1000,
    attention=32,
    ngrams=1000,
    knapsack_capacity=100,
    heap=300,
    max_gap=1000,
    rope=(2, 16, 8),
    linear_attention=32,
    selective_scan=8,
    repeat=1,
    min_time=0.0,
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _table_rows(page, heading):
    """The cells of each body row of the first table under ``## heading``."""
    section = page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


@pytest.fixture(scope="module")
def quick_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    saved = report.QUICK
    report.QUICK = TINY  # what --quick runs, shrunk
    try:
        status = report.main(["--quick", "--out", str(out), "--asv-results", str(out / "none")])
    finally:
        report.QUICK = saved
    assert status == 0
    return out


def test_quick_report_writes_the_page_and_png_charts(quick_page):
    page = quick_page / "performance.md"
    assert page.is_file()
    charts = sorted((quick_page / "performance").glob("*.png"))
    assert [c.name for c in charts] == ["limits.png", "ratios.png"]
    for chart in charts:
        assert chart.read_bytes()[:8] == PNG_MAGIC
        assert f"(performance/{chart.name})" in page.read_text()


def test_every_kernel_has_a_speed_up_row_beside_a_baseline(quick_page):
    rows = _table_rows((quick_page / "performance.md").read_text(), "Speed-up over the baselines")
    for kernel in report.KERNELS:
        ratios = [float(row[5].rstrip("x")) for row in rows if row[0] == kernel]
        assert ratios, f"no speed-up row for {kernel}"
        assert all(r > 0 and math.isfinite(r) for r in ratios)
    assert {row[0] for row in rows} == set(report.KERNELS)


def test_memory_bound_kernels_and_attention_have_a_fraction_of_the_limit(quick_page):
    rows = _table_rows(
        (quick_page / "performance.md").read_text(), "Distance to the machine's limit"
    )
    limits = {(row[0], row[4]) for row in rows}
    for kernel in ("softmax", "scan", "linear_recurrence", "sliding_window_max"):
        assert {(kernel, "np.copyto"), (kernel, "x.copy()")} <= limits
        assert all(row[3].endswith(" GB/s") for row in rows if row[0] == kernel)
    assert ("attention", "np.matmul") in limits
    for row in rows:
        assert re.fullmatch(r"\d+%", row[6])


# What the asv suite must track (issues: fractions of the limit for every memory-bound kernel and
# the matmul-bound ones, the causal speed-ups), as module.Class.method.
REQUIRED_TRACKS = {
    "bench_online_softmax.Softmax.track_fraction_of_copyto",
    "bench_online_softmax.Softmax.track_fraction_of_copy",
    "bench_online_softmax.Softmax.track_log_softmax_fraction_of_copyto",
    "bench_online_softmax.Softmax.track_log_softmax_fraction_of_copy",
    "bench_online_softmax.Softmax.track_logsumexp_fraction_of_add_reduce",
    "bench_scan.ScanAddCPU.track_fraction_of_copyto",
    "bench_scan.ScanAddCPU.track_fraction_of_copy",
    "bench_recurrence.LinearRecurrenceCPU.track_fraction_of_add_out",
    "bench_recurrence.LinearRecurrenceCPU.track_fraction_of_add",
    "bench_sliding_window.SlidingWindowMax.track_fraction_of_copyto",
    "bench_sliding_window.SlidingWindowMax.track_fraction_of_copy",
    "bench_attention.Attention.track_fraction_of_matmul_rate",
    "bench_attention.AttentionCausalSpeedup.track_causal_speedup",
    "bench_rope.RopeCPU.track_fraction_of_copyto",
    "bench_linear_attention.LinearAttentionCPU.track_speedup_over_softmax_attention",
    "bench_linear_attention.LinearAttentionMatmulRate.track_fraction_of_matmul_rate",
    "bench_selective_scan.SelectiveScanCPU.track_fraction_of_copy_rate",
}


def _cpu_tracks_of(module_name):
    """Every ``track_`` benchmark of a CPU class (not ``*GPU``) of ``benchmarks/module_name``."""
    module = importlib.import_module(f"benchmarks.{module_name}")
    for class_name, cls in vars(module).items():
        if inspect.isclass(cls) and cls.__module__ == module.__name__:
            if class_name.startswith("_") or class_name.endswith("GPU"):
                continue
            for name in dir(cls):
                if name.startswith("track_"):
                    yield f"{module_name}.{class_name}.{name}"


def test_page_shows_every_tracked_fraction_of_the_asv_suite_with_a_positive_value(quick_page):
    rows = _table_rows(
        (quick_page / "performance.md").read_text(), "The asv suite's tracked fractions"
    )
    shown = {row[1].strip("`") for row in rows}
    assert shown >= REQUIRED_TRACKS
    # and nothing the suite tracks for those kernels is left off the page
    modules = {name.split(".")[0] for name in REQUIRED_TRACKS}
    assert shown >= {t for m in modules for t in _cpu_tracks_of(m)}
    for kernel, benchmark, params, value in rows:
        assert kernel in report.TRACKED_KERNELS
        assert params
        if _unit_of(benchmark.strip("`")) == "fraction":
            assert re.fullmatch(r"\d+%", value), value
        else:
            assert value.endswith("x")
            assert 0 < float(value[:-1]) < math.inf


def _unit_of(benchmark):
    module_name, class_name, method = benchmark.split(".")
    cls = getattr(importlib.import_module(f"benchmarks.{module_name}"), class_name)
    return getattr(cls, method).unit


def test_every_track_benchmark_names_its_unit():
    for path in sorted(pathlib.Path(report.__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                for name in dir(cls):
                    if name.startswith("track_"):
                        assert getattr(cls, name).unit in {"fraction", "x", "ratio"}, name


def test_page_names_the_machine_and_the_library_versions(quick_page):
    page = (quick_page / "performance.md").read_text()
    import numba
    import numpy

    assert f"| CPU | {report.cpu_model()} |" in page
    assert f"| numpy | {numpy.__version__} |" in page
    assert f"| numba | {numba.__version__} |" in page
    assert "No asv results" in page


# --- history from asv results -------------------------------------------------------------------

COMMITS = [
    ("a" * 40, 1_700_000_000_000, [1.0, 2.0, None, 4.0]),
    ("b" * 40, 1_700_086_400_000, [0.5, float("nan"), 3.0, 2.0]),
]


def _write_asv_results(root):
    """Two commits of one two-parameter benchmark, in asv's results format (version 2)."""
    machine = root / "box"
    machine.mkdir(parents=True)
    (machine / "machine.json").write_text(json.dumps({"machine": "box", "version": 1}))
    name = "bench_scan.ScanAddCPU.time_scan"
    (root / "benchmarks.json").write_text(
        json.dumps({name: {"param_names": ["n", "dtype"], "unit": "seconds"}, "version": 2})
    )
    for commit, date, values in COMMITS:
        data = {
            "commit_hash": commit,
            "env_name": "existing-py",
            "date": date,
            "params": {"machine": "box"},
            "python": "3.11",
            "requirements": {},
            "env_vars": {},
            "result_columns": ["result", "params", "version"],
            "results": {name: [values, [["10", "100"], ["'f8'", "'i8'"]], "v1"]},
            "durations": {},
            "version": 2,
        }
        (machine / f"{commit[:8]}-existing-py.json").write_text(json.dumps(data))
    return name


def test_history_is_read_per_parameter_combination_in_commit_date_order(tmp_path):
    name = _write_asv_results(tmp_path)
    history = _report_history.load_history(tmp_path)
    assert list(history) == [name]
    series = {label: [value for _, value in points] for label, points in history[name].items()}
    # Missing (None) and failed (NaN) results are left out, the rest keep their commit order.
    assert series == {
        "n=10, dtype='f8'": [1.0, 0.5],
        "n=10, dtype='i8'": [2.0],
        "n=100, dtype='f8'": [3.0],
        "n=100, dtype='i8'": [4.0, 2.0],
    }


def test_history_holds_the_values_asv_own_reader_finds(tmp_path):
    asv_results = pytest.importorskip("asv.results")
    name = _write_asv_results(tmp_path)
    theirs = []
    for commit, _, _ in COMMITS:
        loaded = asv_results.Results.load(str(tmp_path / "box" / f"{commit[:8]}-existing-py.json"))
        values = loaded.get_result_value(name, loaded.get_result_params(name))
        theirs += [v for v in values if v is not None and math.isfinite(v)]
    ours = _report_history.load_history(tmp_path)[name]
    assert sorted(v for points in ours.values() for _, v in points) == sorted(theirs)


def test_report_charts_each_benchmark_history(tmp_path):
    name = _write_asv_results(tmp_path / "results")
    page = report.write_report(
        tmp_path / "out", TINY, tmp_path / "results", kernels=[], log=lambda _: None
    )
    chart = tmp_path / "out" / "performance" / "history" / f"{name}.png"
    assert chart.read_bytes()[:8] == PNG_MAGIC
    assert f"![{name}](performance/history/{name}.png)" in page.read_text()
