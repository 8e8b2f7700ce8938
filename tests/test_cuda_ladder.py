"""The kernel ladder and its judge: every correct example passes, every wrong one fails, and the
checker reports each kind of finding on a kernel planted with it, at the smallest size."""

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


SOLVED = [i for i in IDS if _example(i).exists()]


def _judge(problem_id, name):
    return check_kernel(get_kernel_problem(problem_id), str(EXAMPLES / name))


def _kinds(verdict):
    return {f.kind for f in verdict.findings}


def test_the_ladder_has_at_least_twelve_problems_with_distinct_ids():
    assert len(IDS) >= 12
    assert len(set(IDS)) == len(IDS)
    assert all(i.startswith("cuda-") for i in IDS)


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


@pytest.mark.parametrize("problem_id", SOLVED)
def test_the_correct_example_passes(problem_id):
    verdict = check_kernel(get_kernel_problem(problem_id), str(_example(problem_id)))
    assert verdict.passed, verdict.report()
    assert verdict.findings == []


@pytest.mark.parametrize("problem_id", SOLVED)
def test_the_wrong_example_fails(problem_id):
    verdict = check_kernel(get_kernel_problem(problem_id), str(_example(problem_id, "_wrong")))
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
    assert "needs a GPU" in passed.stdout or "GPU" in passed.stdout
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


def test_a_file_without_the_kernel_is_an_error_finding(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("x = 1\n")
    verdict = check_kernel(get_kernel_problem("cuda-map"), str(path))
    assert not verdict.passed
    assert "no kernel named 'map_kernel'" in verdict.message
