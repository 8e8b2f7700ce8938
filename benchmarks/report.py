"""The performance page: the suite's key cases measured on this machine, as Markdown and charts.

    python -m benchmarks.report [--quick] [--out DIR] [--asv-results DIR]

For each kernel, in one run on the machine at hand:

- its speed-up over the baselines a user would otherwise pick (bottleneck, scipy, ``np.sort``,
  ``collections.Counter``, ``np.cumsum``, the pure-Python heapq, numpy's own row update):
  the baseline's time divided by ours, so above 1 means ours is faster;
- its rate (GB/s of bytes moved, or GFLOP/s) as a fraction of this machine's limit for the same
  work, measured beside it: ``np.copyto`` (or ``x.copy()``, allocation included) moving the same
  bytes for memory-bound kernels, ``np.matmul`` of float32 for attention;
- the asv suite's own ``track_`` benchmarks of those fractions (and of the causal speed-ups),
  their classes set up at this run's sizes and each ``track_*`` method called as asv calls it, so
  the page shows the very figures the asv history follows, for the kernels above and for rope,
  linear attention and the selective scan;
- where asv results exist (``.asv/results``), each benchmark's history over commits.

Each call is timed as asv times it: a warm-up call (numba compiles there), then ``repeat`` samples
of ``number`` calls with the garbage collector off, ``number`` chosen so that a sample lasts at
least ``min_time``; the samples of all the calls of a case are interleaved, so that a busy spell
hits ours and the baselines alike, and the median is kept. Where the asv suite defines a baseline
itself (the pure-Python heapq, numpy's knapsack row update) its benchmark class is instantiated
and its ``time_*`` methods are timed; library baselines are called directly.

Writes ``DIR/performance.md`` and its charts in ``DIR/performance/`` (``DIR`` is ``docs`` by
default). ``--quick`` runs smaller inputs with fewer samples (a few minutes on two cores).
"""

import argparse
import dataclasses
import datetime
import importlib
import inspect
import math
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import timeit
from collections import Counter
from collections.abc import Callable

import numpy as np

from . import _report_history

__all__ = ["FULL", "KERNELS", "QUICK", "TRACKED_KERNELS", "Sizes", "main", "write_report"]


@dataclasses.dataclass(frozen=True)
class Sizes:
    """Input sizes and sampling of one run of the report."""

    softmax: tuple[int, int]
    scan: int
    recurrence: int
    sliding_window: int
    attention: int
    ngrams: int
    knapsack_capacity: int
    heap: int
    max_gap: int
    rope: tuple[int, int, int]  # (batch * heads, L, D)
    linear_attention: int  # N, with D = Dv = 64
    selective_scan: int  # L, at batch 4, dim 1024, N 16
    repeat: int  # samples per call
    min_time: float  # seconds a sample lasts at least


# The sizes of the asv suite's largest cases.
FULL = Sizes(
    softmax=(4096, 8192),
    scan=10**8,
    recurrence=10**7,
    sliding_window=10**7,
    attention=4096,
    ngrams=10**6,
    knapsack_capacity=10**5,
    heap=10**5,
    max_gap=10**7,
    rope=(64, 4096, 128),
    linear_attention=16384,
    selective_scan=4096,
    repeat=7,
    min_time=0.05,
)
# Smaller, yet larger than a CPU's caches where the limit is memory bandwidth.
QUICK = Sizes(
    softmax=(2048, 4096),
    scan=10**7,
    recurrence=10**7,
    sliding_window=10**7,
    attention=2048,
    ngrams=10**6,
    knapsack_capacity=10**4,
    heap=10**4,
    max_gap=10**7,
    rope=(32, 2048, 128),
    linear_attention=4096,
    selective_scan=1024,
    repeat=3,
    min_time=0.01,
)


@dataclasses.dataclass
class Limit:
    """Our call beside the machine's limit doing the same work."""

    ours: str  # label of our call in Case.calls
    machine: str  # label of the limit's call in Case.calls
    work: float  # bytes moved or flops by our call
    machine_work: float  # bytes moved or flops by the limit's call
    unit: str  # "GB/s" or "GFLOP/s"


@dataclasses.dataclass
class Case:
    kernel: str  # one of KERNELS
    inputs: str  # what it runs on, e.g. "float32 4096 x 8192"
    calls: dict[str, Callable[[], object]]  # "ours" and every other call timed with it
    baselines: list[str]  # labels of calls that "ours" is compared with
    limits: list[Limit] = dataclasses.field(default_factory=list)
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # filled by measure()


# --- the cases --------------------------------------------------------------------------------


def _accepts_out(function):
    try:
        return "out" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _memory_bound(kernel, inputs, ours, out_form, moved, like, baselines):
    """A case for a kernel that moves ``moved`` bytes: beside ``np.copyto`` and ``x.copy()`` of an
    array ``like`` of as many bytes (half read, half written), and ``out_form`` (ours writing into
    a preallocated output) where the kernel takes ``out=``."""
    src, dst = like, np.empty_like(like)
    calls = {"ours": ours, **baselines}
    into_buffer = "ours"
    if out_form is not None:
        into_buffer = "ours, out="
        calls[into_buffer] = out_form
    calls["np.copyto"] = lambda: np.copyto(dst, src)
    calls["x.copy()"] = src.copy
    limits = [
        Limit(into_buffer, "np.copyto", moved, 2 * src.nbytes, "GB/s"),
        Limit("ours", "x.copy()", moved, 2 * src.nbytes, "GB/s"),
    ]
    return Case(kernel, inputs, calls, list(baselines), limits)


def _softmax_cases(sizes, rng):
    import scipy.special

    from kernels import softmax

    x = rng.normal(scale=10.0, size=sizes.softmax).astype(np.float32)
    out = np.empty_like(x)
    out_form = (lambda: softmax(x, out=out)) if _accepts_out(softmax) else None
    baselines = {"scipy.special.softmax": lambda: scipy.special.softmax(x, axis=-1)}
    inputs = f"float32 {x.shape[0]} x {x.shape[1]}"
    yield _memory_bound("softmax", inputs, lambda: softmax(x), out_form, 2 * x.nbytes, x, baselines)


def _scan_cases(sizes, rng):
    from kernels import scan

    for dtype in ("float64", "int64"):
        x = rng.integers(-1000, 1000, sizes.scan).astype(dtype)
        out = np.empty_like(x)
        out_form = (lambda x=x, out=out: scan(x, out=out)) if _accepts_out(scan) else None
        baselines = {"np.cumsum": lambda x=x: np.cumsum(x)}
        yield _memory_bound(
            "scan",
            f"add, {dtype} n = {x.size:.0e}",
            lambda x=x: scan(x),
            out_form,
            2 * x.nbytes,
            x,
            baselines,
        )


def _recurrence_cases(sizes, rng):
    from scipy.signal import lfilter

    from kernels import linear_recurrence

    n = sizes.recurrence
    a, b = np.full(n, 0.9), rng.standard_normal(n)
    out = np.empty_like(b)
    out_form = None
    if _accepts_out(linear_recurrence):
        out_form = lambda: linear_recurrence(a, b, out=out)  # noqa: E731
    baselines = {"scipy.signal.lfilter": lambda: lfilter([1.0], [1.0, -0.9], b)}
    # Reads a and b, writes h: the traffic of copying one and a half arrays.
    like = np.ones(n + n // 2)  # written, so that the copy reads real pages, not the zero page
    yield _memory_bound(
        "linear_recurrence",
        f"float64 n = {n:.0e}",
        lambda: linear_recurrence(a, b),
        out_form,
        3 * b.nbytes,
        like,
        baselines,
    )


def _sliding_window_cases(sizes, rng):
    from algos import sliding_window_max

    x = rng.random(sizes.sliding_window) * 1e6
    for k in (3, 100):
        if k > x.size:
            continue
        baselines = {}
        try:
            import bottleneck

            baselines["bottleneck.move_max"] = lambda k=k: bottleneck.move_max(x, k)
        except ImportError:
            pass
        from scipy import ndimage

        baselines["scipy maximum_filter1d"] = lambda k=k: ndimage.maximum_filter1d(
            x, k, origin=-(k // 2), mode="nearest"
        )
        out = np.empty(x.size - k + 1)
        out_form = None
        if _accepts_out(sliding_window_max):
            out_form = lambda k=k, out=out: sliding_window_max(x, k, out=out)  # noqa: E731
        yield _memory_bound(
            "sliding_window_max",
            f"float64 n = {x.size:.0e}, k = {k}",
            lambda k=k: sliding_window_max(x, k),
            out_form,
            x.nbytes + out.nbytes,
            x,
            baselines,
        )


def _attention_cases(sizes, rng):
    from kernels import attention, reference

    n, d = sizes.attention, 64
    q, k, v = (rng.standard_normal((n, d)).astype(np.float32) for _ in range(3))
    scores = np.empty((n, n), dtype=np.float32)
    for causal in (False, True):
        # Useful flops: 2 D per (query, key) pair for the scores and 2 D for P V.
        pairs = n * (n + 1) / 2 if causal else n * n
        yield Case(
            "attention",
            f"float32 N = {n}, D = {d}" + (", causal" if causal else ""),
            {
                "ours": lambda causal=causal: attention(q, k, v, causal=causal),
                "numpy reference": lambda causal=causal: reference.attention(
                    q, k, v, causal=causal
                ),
                "np.matmul": lambda: np.matmul(q, k.T, out=scores),
            },
            ["numpy reference"],
            [Limit("ours", "np.matmul", 4 * d * pairs, 2 * d * n * n, "GFLOP/s")],
        )


def _ngram_cases(sizes, rng):
    from algos import count_ngrams_array

    vocabulary = 50_000
    uniform = rng.integers(0, vocabulary, sizes.ngrams)
    zipf = np.minimum(rng.zipf(1.2, sizes.ngrams), vocabulary) - 1
    for name, ids, n in (("uniform", uniform, 2), ("uniform", uniform, 3), ("Zipf", zipf, 2)):
        tokens = ids.tolist()
        yield Case(
            "count_ngrams_array",
            f"{ids.size:.0e} {name} ids, n = {n}",
            {
                "ours": lambda ids=ids, n=n: count_ngrams_array(ids, n),
                "Counter(zip(...))": lambda tokens=tokens, n=n: Counter(
                    zip(*[tokens[i:] for i in range(n)])
                ),
                "np.sort of the ids": lambda ids=ids: np.sort(ids),
            },
            ["Counter(zip(...))", "np.sort of the ids"],
        )


def _knapsack_cases(sizes, rng):
    from .bench_knapsack import N_ITEMS, Knapsack01

    capacity = sizes.knapsack_capacity
    cells = N_ITEMS * (capacity + 1)
    for values in ("small", "large"):  # int32 and int64 tables
        bench = Knapsack01()
        bench.setup(capacity, values)
        yield Case(
            "knapsack_01",
            f"{N_ITEMS} items, capacity {capacity:.0e} ({cells:.1e} cells), {values} values",
            {
                "ours": lambda b=bench, v=values: b.time_ours(capacity, v),
                "numpy row update": lambda b=bench, v=values: b.time_numpy_row_update(capacity, v),
                "numpy row update, out=": lambda b=bench, v=values: b.time_numpy_row_update_out(
                    capacity, v
                ),
            },
            ["numpy row update", "numpy row update, out="],
        )


def _heap_cases(sizes, rng):
    from . import bench_heap

    # Every workload class of the heap benchmarks, each timed against the heapq forms it has.
    baselines = {"time_stdlib_python": "pure-Python heapq", "time_stdlib_c": "C heapq"}
    for name, workload in vars(bench_heap).items():
        if name.startswith("_") or not hasattr(workload, "time_ours"):
            continue
        bench = workload()
        bench.setup(sizes.heap)
        calls = {"ours": lambda b=bench: b.time_ours(sizes.heap)}
        for method, label in baselines.items():
            timed = getattr(bench, method, None)
            if timed is not None:
                calls[label] = lambda timed=timed: timed(sizes.heap)
        yield Case(
            "algos.heap",
            f"{name}, n = {sizes.heap:.0e}",
            calls,
            [label for label in calls if label != "ours"],
        )


def _max_gap_cases(sizes, rng):
    from algos import maximum_gap

    x = rng.random(sizes.max_gap)
    yield Case(
        "maximum_gap",
        f"float64 uniform n = {x.size:.0e}",
        {
            "ours": lambda: maximum_gap(x),
            "np.diff(np.sort(x)).max()": lambda: np.diff(np.sort(x)).max(),
        },
        ["np.diff(np.sort(x)).max()"],
    )


# Each kernel of the page and the function that builds its cases, in page order.
_CASES = {
    "softmax": _softmax_cases,
    "scan": _scan_cases,
    "linear_recurrence": _recurrence_cases,
    "sliding_window_max": _sliding_window_cases,
    "attention": _attention_cases,
    "count_ngrams_array": _ngram_cases,
    "knapsack_01": _knapsack_cases,
    "algos.heap": _heap_cases,
    "maximum_gap": _max_gap_cases,
}
KERNELS = list(_CASES)


# --- the asv suite's track_ benchmarks --------------------------------------------------------

# Per kernel: (module of benchmarks/, class, its parameter combinations at a run's sizes). Every
# ``track_*`` method of the class is called with each combination.
_TRACKED = {
    "softmax": [("bench_online_softmax", "Softmax", lambda s: [(s.softmax, "float32")])],
    "scan": [("bench_scan", "ScanAddCPU", lambda s: [(s.scan, "float64"), (s.scan, "int64")])],
    "linear_recurrence": [
        ("bench_recurrence", "LinearRecurrenceCPU", lambda s: [(s.recurrence, "float64")])
    ],
    "sliding_window_max": [
        (
            "bench_sliding_window",
            "SlidingWindowMax",
            lambda s: [("float64", s.sliding_window, k) for k in (3, 100)],
        )
    ],
    "attention": [
        ("bench_attention", "Attention", lambda s: [(s.attention, False), (s.attention, True)]),
        ("bench_attention", "AttentionCausalSpeedup", lambda s: [(s.attention,)]),
    ],
    "rope": [("bench_rope", "RopeCPU", lambda s: [(s.rope, True), (s.rope, False)])],
    "linear_attention": [
        (
            "bench_linear_attention",
            "LinearAttentionCPU",
            lambda s: [(s.linear_attention, True), (s.linear_attention, False)],
        ),
        ("bench_linear_attention", "LinearAttentionMatmulRate", lambda s: [(s.linear_attention,)]),
    ],
    "selective_scan": [
        ("bench_selective_scan", "SelectiveScanCPU", lambda s: [(s.selective_scan,)])
    ],
}
TRACKED_KERNELS = list(_TRACKED)


@dataclasses.dataclass
class Tracked:
    """One value of one asv ``track_`` benchmark, at one combination of its parameters."""

    kernel: str  # one of TRACKED_KERNELS
    benchmark: str  # as asv names it: module.Class.track_method
    params: str  # "name = value, ..."
    unit: str  # the method's asv unit: "fraction" or "x"
    value: float


def _track_methods(cls):
    """Names of the ``track_`` methods of ``cls``, in the order the class defines them."""
    names = []
    for klass in reversed(cls.__mro__):
        names += [n for n in vars(klass) if n.startswith("track_") and n not in names]
    return names


def run_tracked(kernel, sizes, log=print):
    """The values of every ``track_`` benchmark of ``kernel``'s classes at ``sizes``.

    Each class is instantiated and set up per parameter combination, as asv does; a setup that
    raises ``NotImplementedError`` (asv's skip: a baseline not installed) propagates.
    """
    values = []
    for module_name, class_name, combinations in _TRACKED[kernel]:
        cls = getattr(importlib.import_module(f"{__package__}.{module_name}"), class_name)
        names = getattr(cls, "param_names", [])
        for params in combinations(sizes):
            described = ", ".join(f"{n} = {v}" for n, v in zip(names, params))
            log(f"{module_name}.{class_name}: {described}")
            bench = cls()
            bench.setup(*params)
            try:
                for method in _track_methods(cls):
                    function = getattr(bench, method)
                    values.append(
                        Tracked(
                            kernel,
                            f"{module_name}.{class_name}.{method}",
                            described,
                            getattr(function, "unit", ""),
                            float(function(*params)),
                        )
                    )
            finally:
                if hasattr(bench, "teardown"):
                    bench.teardown(*params)
    return values


# --- timing -----------------------------------------------------------------------------------


def measure(case, repeat, min_time):
    """Fill ``case.seconds``: the median over ``repeat`` interleaved samples of each call."""
    numbers = {}
    for label, call in case.calls.items():
        call()  # warm-up: numba compiles, pages are touched
        once = timeit.Timer(call).timeit(1)
        numbers[label] = max(1, math.ceil(min_time / once)) if once > 0 else 1
    samples = {label: [] for label in case.calls}
    for _ in range(repeat):
        for label, call in case.calls.items():
            samples[label].append(timeit.Timer(call).timeit(numbers[label]) / numbers[label])
    case.seconds = {label: statistics.median(s) for label, s in samples.items()}
    return case


# --- the machine ------------------------------------------------------------------------------


def cpu_model():
    """The CPU's model name, as the operating system reports it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            return subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            pass
    return platform.processor() or platform.machine() or "unknown"


def machine_info():
    """``[(what, value), ...]`` describing the machine and the libraries of this run."""
    import numba

    info = [
        ("CPU", cpu_model()),
        ("logical cores", str(os.cpu_count())),
        ("numba threads", str(numba.get_num_threads())),
        ("Python", platform.python_version()),
        ("numpy", np.__version__),
        ("numba", numba.__version__),
    ]
    for name in ("scipy", "bottleneck"):
        try:
            info.append((name, __import__(name).__version__))
        except ImportError:
            info.append((name, "not installed"))
    commit = _git_commit()
    if commit:
        info.append(("commit", commit))
    info.append(
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    )
    return info


def _git_commit():
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=pathlib.Path(__file__).resolve().parent,
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


# --- the page ---------------------------------------------------------------------------------


def _time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _ratio_rows(cases):
    """``(kernel, inputs, baseline, ours s, baseline s, speed-up)`` per case and baseline."""
    for case in cases:
        for baseline in case.baselines:
            ours, theirs = case.seconds["ours"], case.seconds[baseline]
            yield case.kernel, case.inputs, baseline, ours, theirs, theirs / ours


def _limit_rows(cases):
    """``(kernel, inputs, ours label, rate, limit label, limit rate, unit, fraction)``."""
    for case in cases:
        for limit in case.limits:
            scale = 1e9
            rate = limit.work / case.seconds[limit.ours] / scale
            machine = limit.machine_work / case.seconds[limit.machine] / scale
            yield (
                case.kernel,
                case.inputs,
                limit.ours,
                rate,
                limit.machine,
                machine,
                limit.unit,
                rate / machine,
            )


def _plot_ratios(rows, path):
    import matplotlib.pyplot as plt

    labels = [f"{kernel} ({inputs}) vs {baseline}" for kernel, inputs, baseline, *_ in rows]
    ratios = [row[-1] for row in rows]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1.2))
    ax.barh(range(len(rows)), ratios, color=["tab:green" if r >= 1 else "tab:red" for r in ratios])
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("baseline time / our time (log scale; right of 1: ours is faster)")
    fig.tight_layout()
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)


def _plot_limits(rows, path):
    import matplotlib.pyplot as plt

    labels = [
        f"{kernel} ({inputs}), {ours} vs {machine}" for kernel, inputs, ours, _, machine, *_ in rows
    ]
    fractions = [row[-1] for row in rows]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1.2))
    ax.barh(range(len(rows)), fractions, color="tab:blue")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.05, *fractions) if fractions else 1.05)
    ax.set_xlabel("our rate as a fraction of the machine's limit for the same work")
    fig.tight_layout()
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _tracked_value(row):
    return f"{row.value:.0%}" if row.unit == "fraction" else f"{row.value:.3g}{row.unit}"


def _page(info, cases, skipped, charts, history, sizes, tracked=()):
    ratio_rows = list(_ratio_rows(cases))
    limit_rows = list(_limit_rows(cases))
    lines = [
        "# Performance on this machine",
        "",
        "Generated by `python -m benchmarks.report"
        + (" --quick" if sizes == QUICK else "")
        + "` on the machine below; every figure on this page was measured in that one run and "
        "holds for that machine only. Run the command again to measure yours.",
        "",
        *_table(
            ["", ""], [(what, f"`{value}`" if what == "commit" else value) for what, value in info]
        ),
        "",
        "## Speed-up over the baselines",
        "",
        "The baseline's time divided by ours: above 1, ours is faster. Each time is the median of "
        f"{sizes.repeat} interleaved samples.",
        "",
        *_table(
            ["kernel", "input", "baseline", "ours", "baseline time", "speed-up"],
            [
                (kernel, inputs, baseline, _time(ours), _time(theirs), f"{ratio:.3g}x")
                for kernel, inputs, baseline, ours, theirs, ratio in ratio_rows
            ],
        ),
        "",
    ]
    if "ratios" in charts:
        lines += [f"![speed-up over the baselines]({charts['ratios']})", ""]
    lines += [
        "## Distance to the machine's limit",
        "",
        "Our rate (bytes read and written, or useful FLOPs) beside the limit for the same work, "
        "measured in the same run: `np.copyto` into a preallocated array moving the same bytes "
        "(the target for a kernel writing into `out=`), `x.copy()` of as many bytes (allocation "
        "included, the target for a kernel that allocates its output), and the `np.matmul` rate "
        "of float32 for attention.",
        "",
        *_table(
            ["kernel", "input", "call", "rate", "limit", "limit rate", "fraction"],
            [
                (
                    kernel,
                    inputs,
                    ours,
                    f"{rate:.3g} {unit}",
                    machine,
                    f"{limit:.3g} {unit}",
                    f"{fraction:.0%}",
                )
                for kernel, inputs, ours, rate, machine, limit, unit, fraction in limit_rows
            ],
        ),
        "",
    ]
    if "limits" in charts:
        lines += [f"![fraction of the machine's limit]({charts['limits']})", ""]
    if tracked:
        lines += [
            "## The asv suite's tracked fractions",
            "",
            "Each `track_` benchmark of the asv suite, its class set up at this run's sizes and "
            "the method called as asv calls it: a fraction is the limit's time over ours for the "
            "same work, scaled by the work where the two differ (1 is at the limit), the median "
            "of alternating runs in one process; `x` is a speed-up (the causal mask's, or over "
            "softmax attention). The asv history follows the same figures over commits.",
            "",
            *_table(
                ["kernel", "benchmark", "parameters", "value"],
                [(t.kernel, f"`{t.benchmark}`", t.params, _tracked_value(t)) for t in tracked],
            ),
            "",
        ]
    if skipped:
        lines += ["## Not measured", ""]
        lines += [f"- {kernel}: {reason}" for kernel, reason in skipped]
        lines += [""]
    lines += ["## History over commits", ""]
    if history:
        lines += [
            "From the asv results stored in this checkout (`asv run` writes them), one chart per "
            "benchmark:",
            "",
        ]
        for name, path in history:
            lines += [f"### `{name}`", "", f"![{name}]({path})", ""]
    else:
        lines += [
            "No asv results in this checkout. `asv run HEAD~10..HEAD` (or "
            "`asv run -E existing:same`) stores them, and the next run of this report charts each "
            "benchmark over the commits measured.",
            "",
        ]
    return "\n".join(lines)


def write_report(out_dir="docs", sizes=QUICK, asv_results=".asv/results", kernels=None, log=print):
    """Measure every case, write ``out_dir/performance.md`` and its charts; return the page's path.

    ``kernels`` limits the run to some of :data:`KERNELS` and :data:`TRACKED_KERNELS` (all by
    default). A case that cannot run here (a baseline not installed) is listed on the page as not
    measured.
    """
    import matplotlib

    matplotlib.use("Agg")

    out_dir = pathlib.Path(out_dir)
    chart_dir = out_dir / "performance"
    chart_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    cases, skipped = [], []
    for kernel, build in _CASES.items():
        if kernels is not None and kernel not in kernels:
            continue
        try:
            for case in build(sizes, rng):
                log(f"{case.kernel}: {case.inputs}")
                cases.append(measure(case, sizes.repeat, sizes.min_time))
        except (ImportError, NotImplementedError, MemoryError) as exc:
            skipped.append((kernel, f"{type(exc).__name__}: {exc}"))
            log(f"{kernel}: not measured ({exc})")
    tracked = []
    for kernel in _TRACKED:
        if kernels is not None and kernel not in kernels:
            continue
        try:
            tracked += run_tracked(kernel, sizes, log)
        except (ImportError, NotImplementedError, MemoryError) as exc:
            skipped.append((f"{kernel} (asv track_ benchmarks)", f"{type(exc).__name__}: {exc}"))
            log(f"{kernel}: track_ benchmarks not measured ({exc})")

    charts = {}
    ratio_rows, limit_rows = list(_ratio_rows(cases)), list(_limit_rows(cases))
    if ratio_rows:
        _plot_ratios(ratio_rows, chart_dir / "ratios.png")
        charts["ratios"] = "performance/ratios.png"
    if limit_rows:
        _plot_limits(limit_rows, chart_dir / "limits.png")
        charts["limits"] = "performance/limits.png"

    history = _report_history.load_history(asv_results)
    history_charts = []
    if history:
        units = _report_history.units_of(asv_results)
        written = _report_history.plot_history(history, chart_dir / "history", units)
        history_charts = [(name, path.relative_to(out_dir).as_posix()) for name, path in written]

    page = out_dir / "performance.md"
    page.write_text(
        _page(machine_info(), cases, skipped, charts, history_charts, sizes, tracked),
        encoding="utf-8",
    )
    return page


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.report", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer samples")
    parser.add_argument("--out", default="docs", help="folder of the page (default: docs)")
    parser.add_argument(
        "--asv-results", default=".asv/results", help="asv results to chart (default: .asv/results)"
    )
    args = parser.parse_args(argv)
    page = write_report(args.out, QUICK if args.quick else FULL, args.asv_results)
    print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
