"""The kernel ladder and its judge: every correct example passes, every wrong one fails, and the
checker reports each kind of finding on a kernel planted with it, at the smallest size."""

import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import problems
from problems.cuda_check import check_kernel, decode_array, encode_array
from problems.kernel_ladder import get_kernel_problem, ladder

EXAMPLES = Path(problems.__file__).parent / "examples" / "ladder"
IDS = [p.id for p in ladder()]


def _example(problem_id, suffix=""):
    return EXAMPLES / (problem_id.replace("-", "_") + suffix + ".py")


@functools.cache  # a verdict is plain data; each file is judged once per test session
def _judge(problem_id, name, shrink=False):
    problem = get_kernel_problem(problem_id)
    return check_kernel(
        problem, str(EXAMPLES / name), shrink=shrink, seed=0, gpu=False, random_sizes=0
    )


def _kinds(verdict):
    return {f.kind for f in verdict.findings}


def test_the_ladder_has_at_least_twelve_problems_with_distinct_ids():
    assert len(IDS) >= 12
    assert len(set(IDS)) == len(IDS)
    assert all(i.startswith("cuda-") for i in IDS)


def test_every_problem_has_a_correct_and_a_wrong_example():
    for problem_id in IDS:
        assert _example(problem_id).is_file(), problem_id
        assert _example(problem_id, "_wrong").is_file(), problem_id


@pytest.mark.parametrize("problem_id", IDS)
def test_every_problem_states_launch_dtypes_sizes_and_budget(problem_id):
    problem = problems.get(problem_id)
    text = problem.describe()
    for heading in ("## Signature", "## Launch", "## Dtypes", "## Sizes", "## Traffic budget"):
        assert heading in text
    for kernel in problem.kernels:
        assert f"def {kernel}(" in problem.template()
    compile(problem.template(), "template.py", "exec")


@pytest.mark.parametrize("problem_id", IDS)
def test_sizes_cover_one_two_three_and_the_block_edges(problem_id):
    problem = get_kernel_problem(problem_id)
    extents = {e for s in problem.sizes for e in ((s,) if isinstance(s, int) else s)}
    assert {1, 2, 3} <= extents
    assert any(e & (e - 1) for e in extents if e > 2)  # not a power of two
    if problem_id not in ("cuda-map", "cuda-zip"):  # there the block is the size
        tile = problem.launches(problem.sizes[-1])[0]["block"][0]
        # tile + 1 is missing only where a row is at most one block long
        assert len({tile - 1, tile, tile + 1} & extents) >= 2


@pytest.mark.parametrize("problem_id", IDS)
def test_sizes_grow_so_the_first_failing_size_is_the_smallest_and_end_at_the_largest(problem_id):
    sizes = [(s,) if isinstance(s, int) else s for s in get_kernel_problem(problem_id).sizes]
    counts = [int(np.prod(s)) for s in sizes]
    assert counts == sorted(counts)
    assert all(sizes[-1][d] == max(s[d] for s in sizes) for d in range(len(sizes[-1])))


@pytest.mark.parametrize("problem_id", IDS)
def test_the_correct_example_passes(problem_id):
    verdict = _judge(problem_id, _example(problem_id).name)
    assert verdict.passed, verdict.report()
    assert verdict.findings == []


@pytest.mark.parametrize("problem_id", IDS)
def test_the_wrong_example_fails(problem_id):
    verdict = _judge(problem_id, _example(problem_id, "_wrong").name)
    assert not verdict.passed, verdict.report()
    assert verdict.findings


def test_arrays_cross_the_process_boundary_as_inert_data():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = decode_array(encode_array(x))
    assert y.dtype == x.dtype and np.array_equal(x, y)
    with pytest.raises(ValueError):
        decode_array({"dtype": "|O", "shape": [1], "data": ""})
    with pytest.raises(ValueError):
        decode_array({"dtype": "<f4", "shape": [3], "data": encode_array(x[0, :2])["data"]})


def test_out_of_bounds_names_the_index_size_and_thread_at_the_smallest_size():
    verdict = _judge("cuda-guard", "cuda_guard_wrong.py")
    (read, write) = [f for f in verdict.findings if f.kind == "out of bounds"][:2]
    assert read.size == 1
    assert read.thread == (1, 0, 0) and read.block == (0, 0, 0)
    assert read.details["index"] == [1] and read.details["shape"] == [1]
    assert "read of global array x" in read.message
    assert "write of global array out" in write.message
    assert list(verdict.counterexample) == ["x"]


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(Path(problems.__file__).parent.parent))
    return subprocess.run(
        [sys.executable, "-m", "problems", *args], capture_output=True, text=True, env=env
    )


def test_cli_check_exits_0_on_a_pass_and_1_on_a_fail():
    passed = _cli("check", "cuda-guard", str(_example("cuda-guard")))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "cuda-guard: PASSED" in passed.stdout
    assert "Timing needs a GPU" in passed.stdout or "GPU at size" in passed.stdout
    failed = _cli("check", "cuda-guard", str(_example("cuda-guard", "_wrong")))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "out of bounds at size 1" in failed.stdout


def test_cli_check_exits_2_on_a_missing_file_and_lists_the_ladder():
    missing = _cli("check", "cuda-map", "no_such_kernel_file.py")
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    listed = _cli("list")
    assert listed.returncode == 0
    assert all(i in listed.stdout for i in IDS)


def test_a_file_without_the_kernel_is_a_usage_error_with_exit_status_2(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("x = 1\n")
    with pytest.raises(problems.SolutionError, match="no kernel named 'map_kernel'"):
        check_kernel(get_kernel_problem("cuda-map"), str(path))
    result = _cli("check", "cuda-map", str(path))
    assert result.returncode == 2
    assert "no kernel named 'map_kernel'" in result.stderr


def test_a_kernel_that_does_not_compile_is_a_failed_verdict(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("from numba import cuda\n\n@cuda.jit\ndef map_kernel(x, out)\n    pass\n")
    verdict = check_kernel(get_kernel_problem("cuda-map"), str(path))
    assert not verdict.passed
    assert "SyntaxError" in verdict.message


# Each kind of finding, on a kernel planted with it: (problem, file, kind, size, a phrase).
PLANTED = [
    (
        "cuda-zip",
        "planted_out_of_bounds_global.py",
        "out of bounds",
        1,
        "read of global array b at index 1, outside its shape 1",
    ),
    (
        "cuda-guard",
        "cuda_guard_wrong.py",
        "out of bounds",
        1,
        "write of global array out at index 1",
    ),
    (
        "cuda-block-reduce",
        "planted_out_of_bounds_shared.py",
        "out of bounds",
        1,
        "read of the shared array of line 13 at index 8, outside its shape 8",
    ),
    (
        "cuda-block-reduce",
        "planted_uninitialised_shared.py",
        "uninitialised",
        1,
        "the shared array of line 12 at index 4, which no thread of the block has written",
    ),
    ("cuda-block-scan", "planted_race.py", "race", 1, "with no syncthreads between"),
    ("cuda-block-reduce", "cuda_block_reduce_wrong.py", "race", 1, "with no syncthreads between"),
    (
        "cuda-block-reduce",
        "planted_barrier_after_return.py",
        "barrier",
        1,
        "was not reached by 7 thread(s)",
    ),
    (
        "cuda-block-scan",
        "planted_barrier_in_branch.py",
        "barrier",
        1,
        "met at different syncthreads calls",
    ),
    ("cuda-warp-reduce", "cuda_warp_reduce_wrong.py", "barrier", 1, "warp intrinsic at line 14"),
    ("cuda-warp-reduce", "planted_deadlock.py", "barrier", 1, "deadlock"),
    (
        "cuda-map",
        "cuda_map_wrong.py",
        "wrong answer",
        1,
        "got np.float64(8.0), expected np.float64(17.0)",
    ),
    (
        "cuda-online-softmax",
        "planted_traffic_three_pass.py",
        "traffic",
        (1, 1),
        "x: 3 global reads for 1 elements",
    ),
    (
        "cuda-matmul",
        "cuda_matmul_wrong.py",
        "traffic",
        (2, 3, 2),
        "a: 12 global reads for 6 elements",
    ),
    ("cuda-softmax", "cuda_softmax_wrong.py", "error", (1, 1), "OverflowError"),
    (  # the first size with a second step and a second thread reading what thread 0 wrote
        "cuda-linear-attention",
        "cuda_linear_attention_wrong.py",
        "race",
        (2, 1, 2),
        "with no syncthreads between",
    ),
]


@pytest.mark.parametrize(("problem_id", "name", "kind", "size", "phrase"), PLANTED)
def test_the_checker_reports_each_planted_finding_at_the_smallest_size(
    problem_id, name, kind, size, phrase
):
    verdict = _judge(problem_id, name)
    assert not verdict.passed
    found = [f for f in verdict.findings if f.kind == kind and phrase in f.message]
    assert found, verdict.report()
    assert found[0].size == size
    if kind in ("out of bounds", "race", "barrier", "uninitialised") and "deadlock" not in phrase:
        assert found[0].block == (0, 0, 0) and found[0].thread is not None


def test_three_passes_fail_only_the_online_budget(tmp_path):
    verdict = _judge("cuda-online-softmax", "planted_traffic_three_pass.py")
    assert _kinds(verdict) == {"traffic"}
    three_pass = get_kernel_problem("cuda-softmax")
    path = EXAMPLES / "planted_traffic_three_pass.py"
    source = path.read_text().replace("online_softmax_kernel", "softmax_kernel")
    assert "softmax_kernel" in source
    renamed = tmp_path / "three_pass.py"
    renamed.write_text(source)
    verdict = check_kernel(three_pass, str(renamed))
    assert verdict.passed, verdict.report()


_LINEAR_ATTENTION_PER_THREAD = """
import math

from numba import cuda, float32

TILE = 4
D_MAX = 8


@cuda.jit
def linear_attention_kernel(q, k, v, out):
    state = cuda.local.array(D_MAX, float32)
    z = cuda.local.array(D_MAX, float32)
    c = cuda.blockIdx.x * TILE + cuda.threadIdx.x
    if c >= v.shape[1]:
        return
    for d in range(q.shape[1]):
        state[d] = 0.0
        z[d] = 0.0
    for i in range(q.shape[0]):
        vi = v[i, c]
        num = float32(0.0)
        den = float32(0.0)
        for d in range(q.shape[1]):
            x = k[i, d]
            pk = x + float32(1.0) if x > 0 else math.exp(x)
            x = q[i, d]
            pq = x + float32(1.0) if x > 0 else math.exp(x)
            state[d] += pk * vi
            z[d] += pk
            num += pq * state[d]
            den += pq * z[d]
        out[i, c] = num / den
"""


def test_linear_attention_with_every_thread_reading_q_and_k_fails_only_the_budget(tmp_path):
    # Right answers, no shared memory: q and k are read once per column instead of once per
    # block, which the budget sees from the first block with two columns.
    path = tmp_path / "per_thread.py"
    path.write_text(_LINEAR_ATTENTION_PER_THREAD)
    problem = get_kernel_problem("cuda-linear-attention")
    verdict = check_kernel(problem, str(path), shrink=False, seed=0, gpu=False, random_sizes=0)
    assert _kinds(verdict) == {"traffic"}, verdict.report()
    assert {f.details["array"] for f in verdict.findings} == {"q", "k"}
    assert {f.size for f in verdict.findings} == {(2, 1, 2)}


def test_linear_attention_that_reads_the_state_before_adding_the_current_key_is_wrong(tmp_path):
    # Row i must see key i: the numerator of row 0 would be 0.
    source = _example("cuda-linear-attention").read_text()
    update = "S[d, t] += sk[d] * vi\n"
    read = "num += sq[d] * S[d, t]\n"
    assert source.count(update + " " * 16 + read) == 1
    path = tmp_path / "exclusive.py"
    path.write_text(source.replace(update + " " * 16 + read, read + " " * 16 + update))
    problem = get_kernel_problem("cuda-linear-attention")
    verdict = check_kernel(problem, str(path), shrink=False, seed=0, gpu=False, random_sizes=0)
    assert _kinds(verdict) == {"wrong answer"}, verdict.report()
    assert verdict.findings[0].size == (1, 1, 1)


def test_a_race_is_found_even_where_the_answer_comes_out_right():
    verdict = _judge("cuda-block-scan", "planted_race.py")
    race = next(f for f in verdict.findings if f.kind == "race")
    wrong = [f for f in verdict.findings if f.kind == "wrong answer"]
    assert race.size == 1
    assert not wrong or wrong[0].size != 1


def test_a_wrong_answer_is_shown_on_inputs_shrunk_at_the_smallest_failing_size():
    raw = _judge("cuda-scan", "cuda_scan_wrong.py")
    shrunk = _judge("cuda-scan", "cuda_scan_wrong.py", shrink=True)
    assert shrunk.findings[0].kind == "wrong answer"
    assert shrunk.findings[0].size == raw.findings[0].size == 9  # first size with two blocks
    x, x_raw = shrunk.counterexample["x"], raw.counterexample["x"]
    assert x.shape == x_raw.shape
    assert np.count_nonzero(x) < np.count_nonzero(x_raw)
    # the shown answers are those of the shrunk input
    assert np.array_equal(shrunk.expected, np.cumsum(x.astype(np.float64)).astype(np.float32))
    assert not np.array_equal(shrunk.actual, shrunk.expected)


@pytest.mark.gpu
@pytest.mark.parametrize("problem_id", ["cuda-guard", "cuda-online-softmax", "cuda-matmul"])
def test_on_a_gpu_the_kernel_is_checked_and_timed_beside_the_baseline(problem_id):
    from problems.cuda_check import gpu_report

    line = gpu_report(get_kernel_problem(problem_id), str(_example(problem_id)))
    assert line.startswith("GPU at size"), line
    assert "of the device copy rate" in line


def test_what_the_kernel_prints_is_not_taken_for_the_reply(tmp_path):
    path = tmp_path / "forger.py"
    path.write_text(
        "import os\n"
        "from numba import cuda\n"
        "os.write(1, b'{\"cases\": []}\\n')\n"
        "print('{\"cases\": []}')\n"
        "@cuda.jit\n"
        "def map_kernel(x, out):\n"
        "    i = cuda.threadIdx.x\n"
        "    out[i] = x[i] + 1\n"
    )
    verdict = check_kernel(get_kernel_problem("cuda-map"), str(path), shrink=False)
    assert not verdict.passed
    assert _kinds(verdict) == {"wrong answer"}


def test_shrinking_never_trades_a_simpler_input_for_a_busier_one(tmp_path):
    # A kernel that writes nothing is wrong on every input; zeros are the simplest.
    path = tmp_path / "idle.py"
    path.write_text("from numba import cuda\n\n\n@cuda.jit\ndef guard_kernel(x, out):\n    pass\n")
    verdict = check_kernel(get_kernel_problem("cuda-guard"), str(path), seed=0)
    assert verdict.findings[0].size == 1
    assert verdict.counterexample["x"].tolist() == [0.0]


_WARP_SHARED = """
from numba import cuda, float32


@cuda.jit
def warp_sum_kernel(x, out):
    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i] if i < x.shape[0] else 0.0
    cuda.syncwarp()
    offset = 16
    while offset > 0:
        v = s[t + offset] if t < offset else 0.0
        cuda.syncwarp()
        if t < offset:
            s[t] += v
        SYNC_BEFORE_THE_NEXT_STEP
        offset //= 2
    if t == 0:
        out[cuda.blockIdx.x] = s[0]
"""


@pytest.mark.parametrize(("sync", "races"), [("cuda.syncwarp()", False), ("pass", True)])
def test_a_syncwarp_orders_the_lanes_of_a_warp(tmp_path, sync, races):
    path = tmp_path / "warp_shared.py"
    path.write_text(_WARP_SHARED.replace("SYNC_BEFORE_THE_NEXT_STEP", sync))
    verdict = check_kernel(get_kernel_problem("cuda-warp-reduce"), str(path), shrink=False)
    assert ("race" in _kinds(verdict)) == races, verdict.report()
    if not races:
        assert verdict.passed, verdict.report()


def test_problems_check_routes_a_kernel_problem_to_the_simulator():
    verdict = problems.check("cuda-dot", str(_example("cuda-dot")))
    assert verdict.passed, verdict.report()
    assert verdict.counterexample is None and verdict.findings == []
    stated = get_kernel_problem("cuda-dot").sizes
    assert set(stated) <= set(verdict.sizes_checked)  # and up to 4 drawn within the bounds
    assert len(stated) <= verdict.generated_checked <= len(stated) + 4
    counts = [int(np.prod(s)) for s in verdict.sizes_checked]
    assert counts == sorted(counts) and max(counts) == max(stated)


@pytest.mark.parametrize(
    "problem_id", ["cuda-guard", "cuda-block-reduce", "cuda-scan", "cuda-linear-attention"]
)
def test_the_starter_file_fails_as_a_wrong_answer_not_a_judge_error(tmp_path, problem_id):
    path = tmp_path / "starter.py"
    path.write_text(get_kernel_problem(problem_id).template())
    verdict = check_kernel(get_kernel_problem(problem_id), str(path), shrink=False)
    assert not verdict.passed
    assert "wrong answer" in _kinds(verdict), verdict.report()
