"""The one-shot GPU check works where it cannot run: its report imports without cupy, its checks
(written for any array module) pass right kernels and catch planted wrong outputs on numpy, and
its shell script is well formed and stops with a clear message where there is no GPU."""

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import time
import types

import numpy as np
import pytest

import kernels
from kernels import reference, tolerances

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "gpu_check.sh"

# By path, as the script runs it: benchmarks/ is not an installed package.
_spec = importlib.util.spec_from_file_location("gpu_report", ROOT / "benchmarks" / "gpu_report.py")
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def _wrong(name, spoil):
    """The reference with one function's output spoiled by ``spoil(out, *args)``."""

    def kernel(*args, **kwargs):
        out = getattr(reference, name)(*args, **kwargs)
        return spoil(np.array(out), *args)

    return types.SimpleNamespace(**{name: kernel})


def _bump(out, *_):
    out.flat[out.size // 2] *= 1.01
    return out


def _unwritten(out, *_):
    out.flat[-1] = np.nan
    return out


rng = np.random.default_rng(0)


# --- the report imports and is wired as its users need -----------------------------------------


def test_the_report_imports_without_cupy_and_says_there_is_no_gpu(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "cupy", None)  # import cupy raises ImportError
    assert report.main(["--quick"]) == 2
    assert "no GPU to measure: cupy is not importable" in capsys.readouterr().err


def test_the_sweep_covers_every_case_the_check_promises():
    labels = [label for label, _ in report.sweep_cases(np)]
    assert len(labels) == len(set(labels))
    assert sum("int32 (268435456,) exactly against CUB" in label for label in labels) == 5
    for name in ("softmax", "log_softmax", "logsumexp"):
        for dtype in ("float16", "float32", "float64"):
            assert any(label.startswith(f"{name} {dtype} (4096, 1024)") for label in labels)
    for dtype in ("float16", "float32"):
        for causal in (False, True):
            assert (
                f"attention {dtype} (4, 16, 4096, 64) causal={causal}, heads (0, 0) and (-1, -1)"
                in labels
            )
    for op in report.SCAN_OPS:
        for dtype in ("int32", "float32", "float64"):
            assert any(label.startswith(f"scan {op} {dtype} (1048699,)") for label in labels)
    assert any("a = 2, b = 0" in label for label in labels)


def test_the_timed_cases_cover_the_issue_shapes():
    cases = {
        (kernel, str(shape), dtype) for kernel, shape, dtype, _ in report.benchmark_cases(False)
    }
    for case in [
        ("softmax", "(4096, 8192)", "float32"),
        ("softmax", "(4096, 8192)", "float16"),
        ("softmax", "(65536, 1024)", "float32"),
        ("softmax (warp per row)", "(262144, 256)", "float32"),
        ("scan add", "(268435456,)", "int32"),
        ("scan add", "(268435456,)", "float32"),
        ("scan add", "(268435456,)", "float64"),
        ("attention", "(4, 16, 4096, 64)", "float16"),
        ("attention causal", "(4, 16, 4096, 64)", "float16"),
        ("attention", "(4, 16, 4096, 64)", "float32"),
        ("linear_recurrence", "(268431360,)", "float32"),
        ("softmax (small)", "(1, 128)", "float32"),
    ]:
        assert case in cases


# --- the checks pass right kernels -------------------------------------------------------------


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_rowwise_check_passes_the_cpu_kernel(name):
    x = report.random_array(np, rng, (37, 300), "float32", scale=4.0)
    assert report.check_rowwise(np, kernels, reference, name, x) is None
    assert (
        report.check_rowwise(np, kernels, reference, name, report.special_rows(np, "float32", 40))
        is None
    )


def test_scan_checks_pass_the_cpu_kernel():
    for dtype, op in [("int32", "add"), ("float32", "add"), ("float64", "mul")]:
        x = report._scan_input(np, rng, (3, 1001), dtype, op)
        assert report.check_scan(np, kernels, reference, x, op) is None
        assert report.check_scan(np, kernels, reference, x, op, inclusive=False, axis=0) is None
    for dtype in ("int32", "float32", "float64"):
        assert (
            report.check_scan_against_cub(np, kernels, report.random_array(np, rng, (5000,), dtype))
            is None
        )


def test_attention_and_recurrence_checks_pass_right_outputs():
    q, k, v = report._qkv(np, rng, (2, 3, 40, 16), "float32")
    for causal in (False, True):
        assert report.check_attention(np, reference, reference, q, k, v, causal=causal) is None
        assert (
            report.check_attention(np, reference, reference, q, k, v, causal=causal, heads=[(1, 2)])
            is None
        )
    a, b, h0 = report._recurrence_input(np, rng, (4, 300), "float32", -1, True)
    assert report.check_recurrence(np, reference, reference, a, b, h0) is None
    a, b, _ = report._segmented_recurrence(np, rng, 511 * 9, 511, "float32")
    assert report.check_recurrence(np, reference, reference, a, b, segment=511) is None


def test_checks_on_listed_rows_and_segments_pass_right_outputs_and_catch_wrong_ones():
    x = report.random_array(np, rng, (300, 50), "float32", scale=4.0)
    rows = report.spread(300, 7)
    assert rows[0] == 0 and rows[-1] == 299 and len(rows) == 7
    assert report.check_rowwise(np, reference, reference, "softmax", x, rows=rows) is None

    def last_row_wrong(out, *_):
        out[-1] = out[-1][::-1]
        return out

    wrong = _wrong("softmax", last_row_wrong)
    assert "outside the tolerance" in report.check_rowwise(
        np, wrong, reference, "softmax", x, rows=rows
    )
    a = report.random_array(np, rng, (300, 64), "float32", low=-1.0, high=1.0)
    b = report.random_array(np, rng, (300, 64), "float32")
    assert report.check_recurrence(np, reference, reference, a, b, rows=rows) is None
    wrong = _wrong("linear_recurrence", last_row_wrong)
    assert "outside the tolerance" in report.check_recurrence(np, wrong, reference, a, b, rows=rows)
    a, b, _ = report._segmented_recurrence(np, rng, 31 * 100, 31, "float32")
    assert report.check_recurrence(np, reference, reference, a, b, segment=31, sample=5) is None
    wrong = _wrong("linear_recurrence", _unwritten)  # the last value: in the last segment
    assert "outside the tolerance" in report.check_recurrence(
        np, wrong, reference, a, b, segment=31, sample=5
    )
    with pytest.raises(ValueError, match="a == 0 at every multiple of segment"):
        report.check_recurrence(np, reference, reference, a + 1, b, segment=31)


def test_the_device_form_of_the_scan_bound_is_the_tolerance_table_s():
    x = report.random_array(np, rng, (10000,), "float32", scale=100.0)
    x[[10, 500]] = [np.inf, np.nan]
    for dtype in (np.float32, np.float64):
        np.testing.assert_array_equal(
            report.scan_add_bound(np, x.astype(dtype), dtype),
            tolerances.scan_bound(x.astype(dtype), "add", dtype),
        )


# --- and catch wrong ones ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@pytest.mark.parametrize("spoil", [_bump, _unwritten])
def test_rowwise_check_catches_a_planted_error(name, spoil):
    x = report.random_array(np, rng, (37, 300), "float32", scale=4.0)
    assert "outside the tolerance" in report.check_rowwise(
        np, _wrong(name, spoil), reference, name, x
    )


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda out, *_: out.astype(np.float64), "dtype float64, expected float32"),
        (lambda out, *_: out[:, :-1], "shape (37, 299), expected (37, 300)"),
        (lambda out, *_: out.tolist(), "returned a builtins.list"),
    ],
)
def test_rowwise_check_catches_the_wrong_kind_of_output(spoil, message):
    x = report.random_array(np, rng, (37, 300), "float32")
    assert message in report.check_rowwise(np, _wrong("softmax", spoil), reference, "softmax", x)


def test_scan_checks_catch_planted_errors():
    ints = report.random_array(np, rng, (5000,), "int32")
    off_by_one = _wrong(
        "scan", lambda out, *_: out + (np.arange(out.size) == 4321).astype(out.dtype)
    )
    assert "1 of 5000 values differ" in report.check_scan(np, off_by_one, reference, ints)
    floats = report.random_array(np, rng, (5000,), "float32", scale=100.0)
    shifted = _wrong("scan", lambda out, *_: np.concatenate([[0], out[:-1]]).astype(out.dtype))
    assert "outside the tolerance" in report.check_scan(np, shifted, reference, floats)
    exclusive = report.check_scan(np, reference, reference, floats, inclusive=False)
    assert exclusive is None
    half = types.SimpleNamespace(
        scan=lambda x, op="add": np.cumsum(x.astype(np.float16)).astype(x.dtype)
    )
    assert "outside the tolerance" in report.check_scan_against_cub(np, half, floats)
    racy = types.SimpleNamespace(
        scan=lambda x, op="add": np.where(
            np.arange(x.size) == 4999, 0, np.cumsum(x, dtype=x.dtype)
        ).astype(x.dtype)
    )
    assert "1 of 5000 values differ" in report.check_scan_against_cub(np, racy, ints)


def test_attention_check_catches_a_wrong_scale_and_a_missing_mask():
    q, k, v = report._qkv(np, rng, (2, 3, 40, 16), "float32")
    scaled = types.SimpleNamespace(
        attention=lambda q, k, v, causal=False: reference.attention(
            q, k, v, causal=causal, scale=0.3
        )
    )
    assert "outside the tolerance" in report.check_attention(np, scaled, reference, q, k, v)
    unmasked = types.SimpleNamespace(
        attention=lambda q, k, v, causal=False: reference.attention(q, k, v)
    )
    assert "outside the tolerance" in report.check_attention(
        np, unmasked, reference, q, k, v, causal=True, heads=[(0, 1)]
    )


def test_recurrence_check_catches_the_nan_of_an_overflowing_product():
    # The closed form A * h0 + B with A = prod(a) gives inf * 0 = NaN where the loop stays at 0.
    def closed_form(a, b, h0=None, axis=-1):
        with np.errstate(over="ignore", invalid="ignore"):
            return (np.cumprod(a) * np.float32(0) + reference.linear_recurrence(a, b)).astype(
                a.dtype
            )

    a, b = np.full(200, 2.0, np.float32), np.zeros(200, np.float32)
    assert report.check_recurrence(np, reference, reference, a, b) is None
    wrong = types.SimpleNamespace(linear_recurrence=closed_form)
    assert "outside the tolerance" in report.check_recurrence(np, wrong, reference, a, b)


def test_device_comparison_agrees_with_the_host_comparison():
    # A stand-in array module whose arrays are not numpy's own type, so the device branch runs.
    class Device(np.ndarray):
        pass

    class FakeModule:
        __name__ = "fake"
        ndarray = Device

        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def asnumpy(a):
            return np.asarray(a).view(np.ndarray)

    fake = FakeModule()
    x = report.random_array(np, rng, (5000,), "float32", scale=100.0).view(Device)
    good = types.SimpleNamespace(
        scan=lambda x, op="add": np.cumsum(x.astype(np.float64)).astype(x.dtype).view(Device)
    )
    assert report.check_scan_against_cub(fake, good, x) is None
    bad = types.SimpleNamespace(scan=lambda x, op="add": _unwritten(good.scan(x)))
    message = report.check_scan_against_cub(fake, bad, x)
    assert message.startswith("1 of 5000 values outside the tolerance")
    host = types.SimpleNamespace(scan=lambda x, op="add": np.asarray(good.scan(x)).view(np.ndarray))
    assert "returned a numpy.ndarray" in report.check_scan_against_cub(fake, host, x)


def _stand_in_cupy():
    """numpy dressed as cupy, with host clocks for CUDA events: enough to run the report's
    plumbing (check, time, tabulate, write) without a GPU."""

    class Event:
        def record(self, stream=None):
            self.t = time.perf_counter()

        def synchronize(self):
            pass

    props = dict(name=b"stand-in", major=9, minor=0, multiProcessorCount=1, totalGlobalMem=2**30)
    runtime = types.SimpleNamespace(
        getDeviceProperties=lambda i: props, runtimeGetVersion=lambda: 0, driverGetVersion=lambda: 0
    )

    class StandIn:
        __name__ = "cupy"
        __version__ = "stand-in"
        ndarray = np.ndarray
        cuda = types.SimpleNamespace(
            Event=Event,
            get_elapsed_time=lambda a, b: (b.t - a.t) * 1e3,
            Device=lambda *a: types.SimpleNamespace(id=0, synchronize=lambda: None),
            runtime=runtime,
        )
        random = types.SimpleNamespace(default_rng=np.random.default_rng)
        asnumpy = staticmethod(np.asarray)
        get_default_memory_pool = staticmethod(
            lambda: types.SimpleNamespace(free_all_blocks=lambda: None)
        )

        def __getattr__(self, name):
            return getattr(np, name)

    return StandIn()


@pytest.mark.parametrize("right", [True, False])
def test_the_report_checks_then_times_each_case_and_writes_its_table(tmp_path, monkeypatch, right):
    monkeypatch.setattr(report, "_gpu", lambda: (_stand_in_cupy(), None))
    monkeypatch.setattr(report, "device_copy", lambda dst, src: np.copyto(dst, src))
    monkeypatch.setattr(report.Ceilings, "matmul_tflops", lambda self, dtype, n=0: 1.0)
    measure = report.measure
    monkeypatch.setattr(report, "measure", lambda cp, fn, **_: measure(cp, fn, budget_s=0.01))
    wanted = {("softmax (small)", (1, 128)), ("scan add (small)", (1024,))}
    small = [c for c in report.benchmark_cases(True) if (c[0], c[1]) in wanted]
    assert len(small) == 2
    monkeypatch.setattr(report, "benchmark_cases", lambda quick: small)
    if not right:  # a scan that drops the last element's contribution
        wrong = types.SimpleNamespace(
            scan=lambda x, *a, **k: np.concatenate([[0], np.cumsum(x)[:-1]]).astype(x.dtype),
            softmax=reference.softmax,
        )
        monkeypatch.setattr(report, "_kernels", lambda: (wrong, reference))
    assert report.main(["--quick", "--out", str(tmp_path)]) == (0 if right else 1)
    table = (tmp_path / "gpu_report.md").read_text()
    assert "| softmax (small) | (1, 128) | float32 | ours | ok |" in table
    if right:
        assert "| scan add (small) | (1024,) | float32 | ours | ok |" in table
        assert "| scan add (small) | (1024,) | float32 | cupy.cumsum(x, dtype=x.dtype) |" in table
    else:
        assert "| scan add (small) | (1024,) | float32 | ours | FAIL |" in table
        assert "check failed, not timed: " in table and "values outside the tolerance" in table
    assert (
        len(json.loads((tmp_path / "gpu_report.json").read_text())["rows"])
        == table.count("\n| ") - 1
    )


def test_the_table_has_a_cell_for_every_column():
    rows = [
        dict(
            kernel="scan add",
            shape="(8,)",
            dtype="int32",
            method="ours",
            check="ok",
            b2b_ms=1.0,
            single_ms=1.0,
            host_ms=1.0,
            gbps=2.0,
            of_copy=0.5,
        ),
        dict(
            kernel="scan add",
            shape="(8,)",
            dtype="int32",
            method="torch",
            status="skipped: torch missing",
        ),
    ]
    lines = report.markdown_table(rows).splitlines()
    assert len({line.count("|") for line in lines}) == 1 and "50%" in lines[2]


# --- the shell script ----------------------------------------------------------------------------


def test_the_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


def _run_script(tmp_path, *args):
    # A cupy that cannot be imported, first on the path, so the script stops even on a GPU machine.
    shadow = tmp_path / "shadow" / "cupy"
    shadow.mkdir(parents=True, exist_ok=True)
    (shadow / "__init__.py").write_text("raise ImportError('cupy is hidden for this test')\n")
    env = dict(os.environ, PYTHON=sys.executable, PYTHONPATH=str(shadow.parent))
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_the_script_stops_with_a_clear_message_where_there_is_no_gpu(tmp_path):
    proc = _run_script(tmp_path, str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no GPU to check on: cupy is not importable" in proc.stdout
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "FAILED: GPU probe" in summary
    assert "cupy is not importable" in (tmp_path / "out" / "gpu_check.log").read_text()


def test_the_script_refuses_bad_arguments(tmp_path):
    for args in [(), ("--quick",), (str(tmp_path), "--fast")]:
        proc = _run_script(tmp_path, *args)
        assert proc.returncode == 2 and "usage: benchmarks/gpu_check.sh OUTDIR" in proc.stderr


@pytest.mark.parametrize(
    ("names", "backend"),
    [
        (
            ["aten::scaled_dot_product_attention", "aten::_scaled_dot_product_flash_attention"],
            "FLASH_ATTENTION",
        ),
        (
            ["aten::_scaled_dot_product_cudnn_attention", "cudnn_generated_sdpa_flash_fprop"],
            "CUDNN_ATTENTION",
        ),
        (
            ["aten::_scaled_dot_product_efficient_attention", "fmha_cutlassF_f16"],
            "EFFICIENT_ATTENTION",
        ),
        (["aten::_scaled_dot_product_attention_math", "ampere_gemm"], "MATH"),
        (["cudnn_generated_sdpa_flash_fprop"], "CUDNN_ATTENTION"),
        (["profiler failed: RuntimeError: no CUPTI"], "unknown (see the profiled names)"),
    ],
)
def test_the_sdpa_backend_is_named_from_what_the_profiler_saw(names, backend):
    assert report._sdpa_backend_of(names) == backend
