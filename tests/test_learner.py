"""The learner's workflow in ``python -m problems``: the curriculum, the progress file (kept in a
temporary directory through ``ALGOKERNELS_DATA``), ``list`` filters, ``next``, ``hint``,
``solution``, ``stat``, and around ``check``: the seed, the saved failing inputs replayed first,
``--save-test``, ``--json``, ``--watch`` and the friendly signature messages."""

import functools
import importlib.util
import json
import os
import shutil

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import problems
from problems import Verdict, _learner, curriculum
from problems.__main__ import main
from problems._problem import same
from problems.progress import MAX_FAILING, Progress, data_dir, decode, encode, progress_path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "problems", "examples")
FEW = ["--max-examples", "20", "--no-timing"]


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A fresh data directory for the progress file."""
    directory = tmp_path / "data"
    monkeypatch.setenv("ALGOKERNELS_DATA", str(directory))
    return directory


def example(name):
    return os.path.join(EXAMPLES, name + ".py")


def verdict(problem_id, passed, phase="hypothesis", counterexample=None):
    status = "passed" if passed else "wrong answer"
    return Verdict(problem_id, passed, status, "", counterexample, phase=phase)


def solve(*problem_ids):
    progress = Progress()
    for problem_id in problem_ids:
        progress.add_check(problem_id, verdict(problem_id, True, phase=""))
    return progress


def attempt(*problem_ids):
    progress = Progress()
    for problem_id in problem_ids:
        progress.add_check(problem_id, verdict(problem_id, False, phase="examples"))
    return progress


# ---------------------------------------------------------------------------------------------
# The curriculum.


def test_every_problem_has_a_topic_a_difficulty_prerequisites_and_tiered_hints():
    ids = [p.id for p in problems.catalog()]
    entries = curriculum.curriculum()
    assert sorted(e.id for e in entries) == sorted(ids)
    for e in entries:
        assert e.topic and e.difficulty in curriculum.DIFFICULTIES, e.id
        assert set(e.prerequisites) <= set(ids) - {e.id}, e.id
        assert len(e.hints) >= 3 and len(set(e.hints)) == len(e.hints), e.id
        assert all(h.strip() for h in e.hints), e.id
        assert importlib.util.find_spec(e.explanation) is not None, e.id
        assert importlib.util.find_spec(e.solution) is not None, e.id


def test_curriculum_lists_every_problem_after_the_problems_it_builds_on():
    seen = set()
    for e in curriculum.curriculum():
        assert set(e.prerequisites) <= seen, e.id
        seen.add(e.id)


def test_the_last_hint_is_nearly_the_code_of_the_example_solution():
    # The last tier shows code: a line of it appears, up to spacing, in the example solution.
    for e in curriculum.curriculum():
        with open(importlib.util.find_spec(e.solution).origin) as f:
            source = " ".join(f.read().split())
        lines = [" ".join(line.split()) for line in e.hints[-1].splitlines()]
        assert any(line.rstrip(":") in source for line in lines if len(line) > 15), e.id


# ---------------------------------------------------------------------------------------------
# Where the progress file lives.


def test_data_directory_is_the_variable_then_xdg_then_local_share(tmp_path):
    home = os.path.expanduser("~")
    assert data_dir({"ALGOKERNELS_DATA": str(tmp_path)}) == str(tmp_path)
    assert data_dir({"XDG_DATA_HOME": "/srv/x"}) == os.path.join("/srv/x", "algokernels")
    assert data_dir({"XDG_DATA_HOME": "relative"}) == os.path.join(
        home, ".local", "share", "algokernels"
    )
    assert data_dir({}) == os.path.join(home, ".local", "share", "algokernels")
    assert progress_path({"ALGOKERNELS_DATA": str(tmp_path)}) == str(tmp_path / "progress.json")


# ---------------------------------------------------------------------------------------------
# The progress record.


def test_missing_progress_file_is_an_empty_record_and_is_created_on_the_first_check(data):
    progress = Progress()
    assert progress.warnings == [] and progress.status("lc239") == "new"
    assert not (data / "progress.json").exists()
    progress.add_check("sliding-window-maximum", verdict("sliding-window-maximum", False))
    record = json.loads((data / "progress.json").read_text())
    (check,) = record["problems"]["sliding-window-maximum"]["checks"]
    assert check["verdict"] == "wrong answer" and check["passed"] is False
    assert check["time"][:4].isdigit() and "T" in check["time"]  # date and time


def test_status_goes_from_new_to_attempted_to_solved_and_stays_solved(data):
    pid = "maximum-gap"
    assert Progress().status(pid) == "new"
    attempt(pid)
    assert Progress().status(pid) == "attempted"
    solve(pid)
    assert Progress().status(pid) == "solved"
    attempt(pid)
    assert Progress().status(pid) == "solved"
    assert len(Progress().record(pid)["checks"]) == 3


def test_failing_generated_inputs_are_saved_deduplicated_capped_and_cleared_by_a_pass(data):
    pid = "maximum-gap"
    progress = Progress()
    progress.add_check(pid, verdict(pid, False, phase="examples", counterexample={"nums": [1]}))
    assert Progress().failing(pid) == []  # a worked example is checked anyway
    for i in range(MAX_FAILING + 3):
        progress.add_check(pid, verdict(pid, False, counterexample={"nums": [i, 0]}))
    progress.add_check(pid, verdict(pid, False, counterexample={"nums": [5, 0]}))
    saved = [f["args"] for f in Progress().failing(pid)]
    assert len(saved) == MAX_FAILING and saved[-1] == ([5, 0],)
    assert saved.count(([5, 0],)) == 1
    progress.add_check(pid, verdict(pid, True, phase=""))
    assert Progress().failing(pid) == []


@pytest.mark.parametrize(
    "text, reason",
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "no 'problems' table"),
        ('{"format": 99, "problems": {}}', "unknown format 99"),
        ('{"format": 1, "problems": {"lc239": {"checks": 3}}}', "not a list of tables"),
    ],
)
def test_corrupt_progress_file_is_moved_aside_whole_and_reported(data, text, reason):
    data.mkdir()
    (data / "progress.json").write_text(text)
    progress = Progress()
    (warning,) = progress.warnings
    assert reason in warning and "moved it aside" in warning
    (aside,) = [p for p in os.listdir(data) if p.startswith("progress.json.corrupt-")]
    assert (data / aside).read_text() == text  # nothing lost
    assert aside in warning
    assert progress.status("lc239") == "new"
    progress.add_check("maximum-gap", verdict("maximum-gap", True, phase=""))
    assert Progress().status("maximum-gap") == "solved"


def test_two_corrupt_files_in_the_same_second_are_both_kept(data):
    data.mkdir()
    for text in ("first", "second"):
        (data / "progress.json").write_text(text)
        Progress()
    kept = sorted(
        (data / p).read_text() for p in os.listdir(data) if p.startswith("progress.json.corrupt-")
    )
    assert kept == ["first", "second"]


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_behind(data, monkeypatch):
    solve("maximum-gap")
    before = (data / "progress.json").read_text()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    progress = Progress()
    progress.add_check("lc239", verdict("sliding-window-maximum", True, phase=""))
    assert any("disk full" in w for w in progress.warnings)
    assert (data / "progress.json").read_text() == before
    assert os.listdir(data) == ["progress.json"]


def test_check_with_a_corrupt_progress_file_still_judges_and_reports_it(data, capsys):
    data.mkdir()
    (data / "progress.json").write_text("\x00garbage")
    code = main(["check", "lc239", example("sliding_window_maximum"), *FEW])
    out, err = capsys.readouterr()
    assert code == 0 and "PASSED" in out
    assert "warning: the progress file" in err and "moved it aside" in err
    assert Progress().status("sliding-window-maximum") == "solved"


# ---------------------------------------------------------------------------------------------
# Values saved as strict JSON come back equal; literals of --save-test evaluate to them.

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
)
_arrays = hnp.arrays(
    st.sampled_from([np.float64, np.float32, np.float16, np.int64, np.uint8, np.bool_]),
    hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
)
_values = st.recursive(
    st.one_of(_scalars, _arrays),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.tuples(st.text(max_size=2))), inner),
    ),
    max_leaves=8,
)


@given(_values)
def test_encoded_values_are_strict_json_and_decode_to_an_equal_value(value):
    text = json.dumps(encode(value), allow_nan=False)
    assert same(decode(json.loads(text)), value)


@given(_values)
def test_literal_evaluates_to_an_equal_value(value):
    assert same(eval(_learner.literal(value), {"np": np}), value)


def test_values_that_cannot_be_saved_raise_type_error():
    with pytest.raises(TypeError, match="object"):
        encode(object())
    with pytest.raises(TypeError, match="object"):
        _learner.literal(object())


# ---------------------------------------------------------------------------------------------
# list.


def _listed(capsys, *flags):
    assert main(["list", *flags, "--json"]) == 0
    return [row["id"] for row in json.loads(capsys.readouterr().out)]


def test_list_json_gives_every_problem_with_its_curriculum_and_status(data, capsys):
    solve("maximum-gap")
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = [p.id for p in problems.catalog()] + [p.id for p in problems.ladder()]
    assert [r["id"] for r in rows] == ids
    assert {r["topic"] for r in rows[len(problems.catalog()) :]} == {"cuda-kernels"}
    gap = next(r for r in rows if r["id"] == "maximum-gap")
    assert gap["status"] == "solved" and gap["topic"] == "bucketing"
    assert gap["aliases"] == ["lc164"] and gap["difficulty"] == "medium" and gap["hints"] >= 3


def test_list_filters_by_topic_difficulty_and_status(data, capsys):
    assert _listed(capsys, "--topic", "heap") == ["heap-operations"]
    easy = [e.id for e in curriculum.curriculum() if e.difficulty == "easy"]
    assert sorted(_listed(capsys, "--difficulty", "easy")) == sorted(easy)
    solve("knapsack-01")
    attempt("knapsack-complete")
    assert _listed(capsys, "--status", "solved") == ["knapsack-01"]
    assert _listed(capsys, "--status", "attempted") == ["knapsack-complete"]
    assert _listed(capsys, "--topic", "dynamic-programming", "--status", "unsolved") == [
        "knapsack-complete",
        "knapsack-bounded",
    ]
    assert "knapsack-complete" not in _listed(capsys, "--status", "new")


def test_list_text_shows_topic_difficulty_and_status(data, capsys):
    solve("heap-operations")
    assert main(["list", "--topic", "heap"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split()[:4] == ["heap-operations", "heap", "medium", "solved"]


def test_list_with_no_match_says_so_on_stderr(data, capsys):
    assert main(["list", "--topic", "heap", "--status", "solved"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == "no problem matches\n"


def test_a_problem_missing_from_the_table_comes_last_unrated_and_without_hints(
    data, capsys, monkeypatch
):
    monkeypatch.setattr(
        curriculum, "_TABLE", tuple(e for e in curriculum._TABLE if e.id != "maximum-gap")
    )
    last = curriculum.curriculum()[-1]
    assert (last.id, last.topic, last.difficulty, last.hints) == (
        "maximum-gap",
        "other",
        "unrated",
        (),
    )
    assert main(["hint", "lc164"]) == 0
    assert capsys.readouterr().out == "No hints are written for maximum-gap yet.\n"
    assert _listed(capsys, "--difficulty", "unrated") == ["maximum-gap"]


def test_list_of_an_unknown_topic_exits_2_naming_the_topics(data, capsys):
    assert main(["list", "--topic", "graphs"]) == 2
    err = capsys.readouterr().err
    assert "unknown topic 'graphs'" in err and "dynamic-programming" in err
    assert err.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# next.


def test_next_starts_with_the_first_problem_of_the_curriculum(data, capsys):
    assert main(["next"]) == 0
    out = capsys.readouterr().out
    first = curriculum.curriculum()[0].id
    assert out.startswith(f"Next: {first}")
    assert f"python -m problems template {first}" in out
    assert f"python -m problems check {first}" in out


def test_next_skips_problems_whose_prerequisites_are_not_solved(data, capsys):
    ids = [e.id for e in curriculum.curriculum()]
    dp = {"knapsack-01", "knapsack-complete", "knapsack-bounded"}
    solve(*[i for i in ids if i not in dp])
    attempt("knapsack-bounded")
    assert main(["next", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "knapsack-01"
    solve("knapsack-01")
    assert main(["next", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "knapsack-complete"


def test_next_after_everything_is_solved_says_so(data, capsys):
    solve(*[e.id for e in curriculum.curriculum()])
    assert main(["next"]) == 0
    assert "Every problem is solved" in capsys.readouterr().out


@given(st.sets(st.sampled_from([e.id for e in curriculum.curriculum()])))
def test_next_is_the_first_unsolved_problem_whose_prerequisites_are_solved(solved):
    class Solved:
        def status(self, problem_id):
            return "solved" if problem_id in solved else "new"

    found = _learner.next_problem(Solved())
    candidates = [
        e for e in curriculum.curriculum() if e.id not in solved and set(e.prerequisites) <= solved
    ]
    assert found == (candidates[0] if candidates else None)
    if len(solved) < len(curriculum.curriculum()):
        assert found is not None  # the order respects prerequisites, so one is always ready


# ---------------------------------------------------------------------------------------------
# hint and solution.


def test_hint_without_a_number_gives_the_next_tier_and_stops_at_the_last(data, capsys):
    hints = curriculum.entry("lc239").hints
    for tier in [*range(1, len(hints) + 1), len(hints)]:
        assert main(["hint", "lc239"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"Hint {tier} of {len(hints)} for sliding-window-maximum:")
        assert " ".join(hints[tier - 1].split()) in " ".join(out.split())
    assert "solution sliding-window-maximum --give-up" in out
    assert Progress().hints_seen("sliding-window-maximum") == len(hints)


def test_hint_with_a_number_shows_that_tier_and_rejects_one_out_of_range(data, capsys):
    assert main(["hint", "knapsack-01", "3"]) == 0
    assert capsys.readouterr().out.startswith("Hint 3 of 4 for knapsack-01:")
    assert main(["hint", "knapsack-01"]) == 0  # continues after the highest seen
    assert capsys.readouterr().out.startswith("Hint 4 of 4")
    for n in ("0", "5"):
        assert main(["hint", "knapsack-01", n]) == 2
        err = capsys.readouterr().err
        assert f"1 <= N <= 4, got {n}" in err and err.count("\n") == 1
    assert main(["hint", "no-such-problem"]) == 2
    assert "unknown problem" in capsys.readouterr().err


def test_solution_is_refused_before_a_pass_and_shown_after_one(data, capsys):
    assert main(["solution", "lc164"]) == 1
    err = capsys.readouterr().err
    assert "not solved yet" in err and "--give-up" in err
    solve("maximum-gap")
    assert main(["solution", "lc164"]) == 0
    out = capsys.readouterr().out
    with open(example("maximum_gap")) as f:
        assert f.read().strip() in out
    assert "pigeonhole" in out and "The idea (from algos.max_gap)" in out
    assert out.rstrip().endswith(os.path.join("algos", "max_gap.py"))
    assert ">>>" not in out.split("## The solution")[0]  # the docstring's doctests are left out
    assert "gave_up" not in Progress().record("maximum-gap")


def test_solution_with_give_up_shows_it_and_records_the_give_up(data, capsys):
    assert main(["solution", "online-softmax", "--give-up"]) == 0
    out = capsys.readouterr().out
    with open(example("online_softmax")) as f:
        assert f.read().strip() in out
    assert "kernels.online_softmax" in out
    assert Progress().record("online-softmax")["gave_up"]
    assert Progress().status("online-softmax") == "new"
    assert main(["stat"]) == 0
    assert "solutions seen before passing: online-softmax" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# stat.


def test_stat_counts_solved_attempted_and_new_per_topic(data, capsys):
    solve("knapsack-01", "heap-operations")
    attempt("knapsack-complete")
    assert main(["stat", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    dp = report["topics"]["dynamic-programming"]
    assert dp == {"solved": 1, "attempted": 1, "new": 1, "problems": 3}
    assert report["topics"]["heap"]["solved"] == 1
    assert report["total"]["problems"] == len(problems.catalog())
    assert report["total"]["solved"] == 2 and report["checks"] == 3
    assert report["progress_file"] == str(data / "progress.json")
    assert main(["stat"]) == 0
    table = capsys.readouterr().out.split("\n\n")[0].splitlines()[1:]
    rows = {line.split()[0]: line.split()[1:] for line in table}
    assert rows["dynamic-programming"] == ["1", "1", "1", "3"]
    assert rows["all"][0] == "2"


# ---------------------------------------------------------------------------------------------
# check: the seed, the saved failure replayed first, --json, --save-test.


def test_failure_prints_the_seed_and_saves_the_input_and_the_next_check_replays_it(
    data, tmp_path, capsys
):
    solution = tmp_path / "window.py"
    shutil.copy(example("sliding_window_maximum_wrong"), solution)
    assert main(["check", "lc239", str(solution), *FEW]) == 1
    out = capsys.readouterr().out
    seed = int(out.split("Seed: ")[1].split()[0])
    assert f"--seed {seed}" in out and "The failing input is saved" in out
    (saved,) = Progress().failing("sliding-window-maximum")
    (check,) = Progress().record("sliding-window-maximum")["checks"]
    assert check["seed"] == seed and check["verdict"] == "wrong answer"

    # The saved input runs before any generated one: with no generated input it still fails.
    assert main(["check", "lc239", str(solution), "--max-examples", "1", "--no-timing"]) == 1
    out = capsys.readouterr().out
    assert "Replayed 1 saved failing input" in out and "still fails" in out
    assert saved["args"] == (
        [int(x) for x in out.split("nums = [")[1].split("]")[0].split(", ")],
        int(out.split("k = ")[1].split()[0]),
    )

    # A worked example that fails comes first: the saved input does not run, and stays.
    solution.write_text("def sliding_window_max(nums, k):\n    return []\n")
    assert main(["check", "lc239", str(solution), *FEW]) == 1
    out = capsys.readouterr().out
    assert "Worked example 1 fails" in out and "Replayed" not in out
    assert len(Progress().failing("sliding-window-maximum")) == 1

    shutil.copy(example("sliding_window_maximum"), solution)
    assert main(["check", "lc239", str(solution), *FEW]) == 0
    out = capsys.readouterr().out
    assert "Replayed 1 saved failing input" in out and "Solved!" in out
    assert "3 worked examples and" in out  # the replayed input is not counted as one
    assert Progress().failing("sliding-window-maximum") == []


def test_saved_inputs_that_pass_now_are_dropped_when_a_later_input_fails(data, capsys):
    pid = "sliding-window-maximum"
    fixed_one = {"nums": [1, 2, 3], "k": 1}  # the late expiry is right on rising values
    Progress().add_check(pid, verdict(pid, False, counterexample=fixed_one))
    assert main(["check", pid, example("sliding_window_maximum_wrong"), *FEW]) == 1
    out = capsys.readouterr().out
    assert "Replayed 1 saved failing input" in out and "a generated input fails" in out
    (saved,) = Progress().failing(pid)
    assert saved["args"] != ([1, 2, 3], 1)


def test_the_printed_seed_repeats_the_run(data, capsys):
    wrong = example("knapsack_01_wrong")
    assert main(["check", "knapsack-01", wrong, *FEW, "--json"]) == 1
    first = json.loads(capsys.readouterr().out)
    Progress().add_check("knapsack-01", verdict("knapsack-01", True, phase=""))  # clears replay
    argv = ["check", "knapsack-01", wrong, *FEW, "--json", "--seed", str(first["seed"])]
    assert main(argv) == 1
    second = json.loads(capsys.readouterr().out)
    assert second["seed"] == first["seed"]
    assert second["counterexample"] == first["counterexample"]


def test_check_json_gives_the_verdict_with_the_counterexample_as_data_and_text(data, capsys):
    code = main(["check", "online-softmax", example("online_softmax_wrong"), *FEW, "--json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problem"] == "online-softmax" and report["passed"] is False
    assert report["status"] in ("wrong answer", "error") and report["seed"] is not None
    x = decode(report["counterexample"]["x"])
    assert isinstance(x, np.ndarray) and x.dtype == np.float64
    assert report["counterexample_text"]["x"].startswith("np.array(")
    assert report["progress_file"] == str(data / "progress.json")
    assert main(["check", "online-softmax", example("online_softmax"), *FEW, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True and report["counterexample"] is None


def _run_reproduction(path):
    spec = importlib.util.spec_from_file_location("reproduction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [getattr(module, n) for n in dir(module) if n.startswith("test_")]
    assert len(tests) == 1
    tests[0]()


@pytest.mark.parametrize(
    "problem_id, wrong, right",
    [
        ("sliding-window-maximum", "sliding_window_maximum_wrong", "sliding_window_maximum"),
        ("heap-operations", "heap_operations_wrong", "heap_operations"),
        ("prefix-scan", "prefix_scan_wrong", "prefix_scan"),
    ],
)
def test_save_test_writes_a_pytest_file_that_fails_until_the_solution_is_fixed(
    data, tmp_path, capsys, problem_id, wrong, right
):
    solution = tmp_path / "mine.py"
    shutil.copy(example(wrong), solution)
    reproduction = tmp_path / "test_mine.py"
    code = main(["check", problem_id, str(solution), *FEW, "--save-test", str(reproduction)])
    assert code == 1
    assert f"Wrote {reproduction}" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        _run_reproduction(reproduction)
    shutil.copy(example(right), solution)
    _run_reproduction(reproduction)


def test_save_test_never_overwrites_and_does_not_go_with_watch(data, tmp_path, capsys):
    existing = tmp_path / "test_old.py"
    existing.write_text("kept")
    argv = ["check", "lc239", example("sliding_window_maximum_wrong"), *FEW]
    assert main([*argv, "--save-test", str(existing)]) == 2
    assert "not overwriting" in capsys.readouterr().err and existing.read_text() == "kept"
    assert main([*argv, "--save-test", str(tmp_path / "new.py"), "--watch"]) == 2
    assert "do not go together" in capsys.readouterr().err
    assert Progress().record("sliding-window-maximum") == {}  # nothing was judged


def test_save_test_after_a_pass_writes_nothing(data, tmp_path, capsys):
    target = tmp_path / "test_none.py"
    argv = ["check", "lc239", example("sliding_window_maximum"), *FEW, "--save-test", str(target)]
    assert main(argv) == 0
    assert not target.exists()


# ---------------------------------------------------------------------------------------------
# A signature mismatch gets a message that names what was expected.


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "def sliding_window_maximum(nums, k):\n    return []\n",
            "has no function 'sliding_window_max': the problem expects "
            "`def sliding_window_max(nums: list[int], k: int) -> list[int]` "
            "(did you mean 'sliding_window_maximum'?); it defines sliding_window_maximum",
        ),
        (
            "def sliding_window_max(nums):\n    return []\n",
            "defines sliding_window_max(nums), but the judge calls it with 2 arguments: "
            "the problem expects `def sliding_window_max(nums: list[int], k: int) -> list[int]`",
        ),
        (
            "def sliding_window_max(nums, k, *, strict):\n    return []\n",
            "but the judge calls it with 2 arguments",
        ),
        ("def sliding_window_max(nums, k)\n    return []\n", "line 1: "),
    ],
)
def test_signature_mismatch_exits_2_naming_the_expected_function(
    data, tmp_path, capsys, source, expected
):
    solution = tmp_path / "mine.py"
    solution.write_text(source)
    assert main(["check", "lc239", str(solution), *FEW]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert "def sliding_window_max(nums: list[int], k: int)" in err
    assert Progress().record("sliding-window-maximum") == {}  # not a judged attempt


def test_missing_file_names_the_expected_function_and_the_template_command(data, capsys):
    assert main(["check", "lc164", "nowhere/gap.py"]) == 2
    err = capsys.readouterr().err
    assert "no such file: nowhere/gap.py" in err
    assert "`def maximum_gap(nums: list[int]) -> int`" in err
    assert "python -m problems template maximum-gap nowhere/gap.py" in err


def test_a_module_missing_one_of_several_functions_names_it(data, tmp_path, capsys):
    solution = tmp_path / "heap.py"
    solution.write_text("def heapify(x):\n    pass\n\ndef heappush(heap, item):\n    pass\n")
    assert main(["check", "heapq", str(solution)]) == 2
    assert "has no function 'heappop': the problem expects `def heappop(heap: list)`" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "source",
    [
        "from mylib import *\n",
        "from mylib import window_max as sliding_window_max\n",
        "sliding_window_max = lambda nums, k: []\n",
        "import functools\n\n@functools.wraps(max)\ndef sliding_window_max(nums):\n    pass\n",
        "def sliding_window_max(nums, k=1, *rest, flag=False):\n    pass\n",
        "from numba import njit\n\n@njit\ndef sliding_window_max(nums, k):\n    pass\n",
        "try:\n    def sliding_window_max(nums, k):\n        pass\nexcept ImportError:\n    pass\n",
    ],
)
def test_what_the_file_may_define_in_other_ways_is_left_to_the_judge(tmp_path, source):
    solution = tmp_path / "mine.py"
    solution.write_text(source)
    assert _learner.signature_problem(problems.get("lc239"), str(solution)) is None


def test_an_explicit_function_name_is_the_one_looked_for(tmp_path, capsys):
    solution = tmp_path / "mine.py"
    solution.write_text("def fast(nums, k):\n    return []\n")
    spec = f"{solution}:fast"
    assert _learner.signature_problem(problems.get("lc239"), spec) is None
    assert main(["check", "lc239", f"{solution}:slow"]) == 2
    assert "has no 'slow'" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# check --watch.


def test_watch_judges_at_start_and_after_each_change_only(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("v1")
    judged, polls = [], []

    def judge_once():
        judged.append(path.read_text())
        return 0 if path.read_text() == "v3" else 1

    def sleep(_seconds):
        polls.append(1)
        if len(polls) == 2:
            path.write_text("v2 longer")
        if len(polls) == 4:
            path.unlink()  # an editor saving by rename: briefly no file
        if len(polls) == 5:
            path.write_text("v3")
            os.utime(path, ns=(1, 1))

    status = _learner.watch(str(path), judge_once, max_polls=7, sleep=sleep)
    assert judged == ["v1", "v2 longer", "v3"]
    assert status == 0 and len(polls) == 7


def test_watch_stops_on_the_stop_callback_and_on_ctrl_c(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("x")
    calls = []
    status = _learner.watch(str(path), lambda: 1, stop=lambda: bool(calls), sleep=calls.append)
    assert status == 1 and len(calls) == 1

    def interrupted(_seconds):
        raise KeyboardInterrupt

    assert _learner.watch(str(path), lambda: 0, sleep=interrupted) == 0


def test_check_watch_judges_the_file_again_when_it_is_saved(data, tmp_path, capsys, monkeypatch):
    solution = tmp_path / "window.py"
    shutil.copy(example("sliding_window_maximum_wrong"), solution)
    polls = []

    def sleep(_seconds):
        polls.append(1)
        if len(polls) == 1:
            shutil.copy(example("sliding_window_maximum"), solution)
            os.utime(solution, ns=(10**9, 10**9))

    monkeypatch.setattr(
        _learner, "watch", functools.partial(_learner.watch, max_polls=2, sleep=sleep)
    )
    assert main(["check", "lc239", str(solution), *FEW, "--watch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Watching {solution}")
    assert out.index("WRONG ANSWER") < out.index("changed at") < out.index("PASSED")
    checks = Progress().record("sliding-window-maximum")["checks"]
    assert [c["verdict"] for c in checks] == ["wrong answer", "passed"]


def test_check_watch_reports_a_signature_mismatch_and_keeps_watching(
    data, tmp_path, capsys, monkeypatch
):
    solution = tmp_path / "gap.py"
    solution.write_text("def maxgap(nums):\n    return 0\n")

    def sleep(_seconds):
        shutil.copy(example("maximum_gap"), solution)
        os.utime(solution, ns=(10**9, 10**9))

    monkeypatch.setattr(
        _learner, "watch", functools.partial(_learner.watch, max_polls=1, sleep=sleep)
    )
    assert main(["check", "lc164", str(solution), *FEW, "--watch"]) == 0
    captured = capsys.readouterr()
    assert "has no function 'maximum_gap'" in captured.err
    assert "maximum-gap: PASSED" in captured.out
