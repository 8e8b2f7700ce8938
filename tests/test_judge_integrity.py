"""The judge rejects every cheat in ``problems/examples/cheats``, on every problem.

Each cheat file names the verdict it must get (``EXPECTED``: a status, and a phrase the message
holds); a file with ``PROBLEMS`` is tried on those problems only, every other file on the whole
catalogue. A cheat that passes, or fails in another way than its file says, fails here.
"""

import importlib.util
import os
import time

import pytest

import problems

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHEATS = os.path.join(ROOT, "problems", "examples", "cheats")
IDS = [p.id for p in problems.catalog()]
FEW = 5  # generated inputs: the cheats that hypothesis can see fail on the first
MEMORY = 512 << 20  # bytes for each worker: enough for every honest answer at the bounds


def _cheat_module(name):
    spec = importlib.util.spec_from_file_location(f"_cheat_{name}", os.path.join(CHEATS, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases():
    cases = []
    for name in sorted(os.listdir(CHEATS)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        module = _cheat_module(name)
        for problem_id in getattr(module, "PROBLEMS", IDS):
            cases.append(
                pytest.param(name, problem_id, module.EXPECTED, id=f"{name[:-3]}-{problem_id}")
            )
    return cases


CASES = _cases()


def test_the_suite_holds_every_trick_the_judge_must_withstand():
    names = {case.values[0][:-3] for case in CASES}
    assert {
        "reduce_exit",
        "reduce_patches_judge",
        "subclass_of_answer",
        "masked_array",
        "fork_twin",
        "mutate_long",
        "wrong_past_size",
        "memory_hog",
        "sleep_forever",
        "patch_worker_checks",
        "import_reference",
        "import_example",
    } <= names
    every_problem = [n for n in names if n != "lie_about_time"]
    assert len(CASES) == len(every_problem) * len(IDS) + 1


@pytest.mark.parametrize("file_name, problem_id, expected", CASES)
def test_cheat_is_rejected(file_name, problem_id, expected, tmp_path, monkeypatch):
    status, phrase = expected
    pids = tmp_path / "pids"
    monkeypatch.setenv("CHEAT_PIDS", str(pids))
    verdict = problems.check(
        problem_id,
        os.path.join(CHEATS, file_name),
        max_examples=FEW,
        time_limit=0.5 if status == "timed out" else 3.0,
        complexity=status == "too slow",
        memory_limit=MEMORY,
    )
    assert not verdict.passed, verdict.report()
    assert verdict.status == status, verdict.report()
    assert phrase in verdict.message, verdict.report()
    if pids.exists():  # the forking cheat's twins: the worker's process group was killed
        for pid in map(int, pids.read_text().split()):
            assert _ends(pid), f"twin {pid} outlived the judge"


def _ends(pid, seconds=5.0):
    """True once ``pid`` has ended (a kill takes effect soon, not at once)."""
    deadline = time.monotonic() + seconds
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect
