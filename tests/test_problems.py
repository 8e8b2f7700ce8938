"""The practice catalogue and its judge: every example solution is judged as it should be, the
judge shrinks failures, survives solutions that hang, raise or change their input, flags
solutions that grow faster than the reference, and the command line keeps its exit codes."""

import importlib
import math
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import problems
from problems import Example, Problem
from problems.__main__ import main
from problems._problem import exact, same_counts, unordered_combinations, within_bound

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "problems", "examples")
IDS = [p.id for p in problems.catalog()]
FEW = 20  # generated inputs per judged solution: enough to find the planted bugs


def example_file(problem_id, kind=""):
    return os.path.join(EXAMPLES, problem_id.replace("-", "_") + kind + ".py")


def verdict_args(verdict):
    return tuple(verdict.counterexample.values())


def size(value):
    """A rough size of a counterexample: the length of its text."""
    return len(repr(value))


# ---------------------------------------------------------------------------------------------
# The catalogue.


def test_catalogue_holds_the_sixteen_problems_in_order():
    assert IDS == [
        "sliding-window-maximum",
        "maximum-gap",
        "combination-sum",
        "combination-sum-ii",
        "knapsack-01",
        "knapsack-complete",
        "knapsack-bounded",
        "heap-operations",
        "ngram-counting",
        "online-softmax",
        "blocked-attention",
        "prefix-scan",
        "linear-recurrence",
        "rope",
        "linear-attention",
        "selective-scan",
    ]


def test_ids_and_aliases_name_one_problem_each():
    names = [name for p in problems.catalog() for name in p.names]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "name", ["sliding-window-maximum", "lc239", "239", "LC239", "sliding_window_maximum"]
)
def test_get_accepts_the_slug_the_leetcode_alias_and_the_number(name):
    assert problems.get(name).id == "sliding-window-maximum"


def test_unknown_problem_raises_a_key_error_that_suggests_known_ids():
    with pytest.raises(problems.UnknownProblemError) as info:
        problems.get("sliding-window-max")
    assert isinstance(info.value, KeyError)
    assert "did you mean sliding-window-maximum" in str(info.value)
    assert "knapsack-bounded" in str(info.value)


def test_problem_id_of_the_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match="problem_id must be a str"):
        problems.get(239)


@pytest.mark.parametrize("problem_id", IDS)
def test_every_problem_states_constraints_and_names_its_function(problem_id):
    problem = problems.get(problem_id)
    assert "Constraints" in problem.statement
    assert problem.examples and problem.scaling is not None and len(problem.sizes) >= 3
    for name in problem.solution_names:
        assert f"def {name}(" in problem.signature
    text = problem.describe()
    assert problem.title in text and "Example 1" in text


@pytest.mark.parametrize("problem_id", IDS)
def test_worked_examples_agree_with_the_reference(problem_id):
    problem = problems.get(problem_id)
    for example in problem.examples:
        answer = problem.call(problem.reference, *example.args)
        assert problem.compare(example.expected, answer, example.args) is None, example


# ---------------------------------------------------------------------------------------------
# Example solutions: each correct one passes, each wrong one fails on a small input.


@pytest.mark.parametrize("problem_id", IDS)
def test_correct_example_solution_passes(problem_id):
    verdict = problems.check(
        problem_id, example_file(problem_id), max_examples=FEW, complexity=False
    )
    assert verdict.passed, verdict.report()
    assert verdict.status == "passed" and verdict.counterexample is None
    assert verdict.generated_checked > 0


@pytest.mark.parametrize("problem_id", IDS)
def test_wrong_example_solution_fails_on_a_small_input(problem_id):
    verdict = problems.check(
        problem_id, example_file(problem_id, "_wrong"), max_examples=FEW, complexity=False
    )
    assert not verdict.passed
    assert verdict.status == "wrong answer", verdict.report()
    problem = problems.get(problem_id)
    assert problem.compare(verdict.expected, verdict.actual, verdict_args(verdict)) is not None
    assert size(verdict.counterexample) < 300, verdict.report()


def test_off_by_one_window_is_shrunk_to_two_values_and_a_window_of_one():
    verdict = problems.check(
        "lc239",
        example_file("sliding-window-maximum", "_wrong"),
        max_examples=FEW,
        complexity=False,
    )
    assert verdict.phase == "hypothesis"
    assert verdict.examples_checked == 3
    assert len(verdict.counterexample["nums"]) == 2 and verdict.counterexample["k"] == 1
    nums = verdict.counterexample["nums"]
    assert verdict.expected == nums and verdict.actual != nums
    report = verdict.report()
    assert "Smallest failing input (shrunk by hypothesis)" in report
    assert f"nums = {nums!r}" in report and "Expected:" in report and "Actual:" in report


def test_wider_heads_reveal_the_wrong_attention_scale():
    verdict = problems.check(
        "blocked-attention",
        example_file("blocked-attention", "_wrong"),
        max_examples=FEW,
        complexity=False,
    )
    q = verdict.counterexample["q"]
    assert verdict.phase == "hypothesis" and q.shape[1] == 2


def test_textbook_heap_is_caught_by_its_layout():
    verdict = problems.check(
        "heap-operations",
        example_file("heap-operations", "_wrong"),
        max_examples=FEW,
        complexity=False,
    )
    assert verdict.status == "wrong answer"
    assert "the standard library" in verdict.message


def test_standard_library_heapq_passes_heap_operations():
    import heapq

    assert problems.check("heap-operations", heapq, max_examples=FEW, complexity=False).passed


# ---------------------------------------------------------------------------------------------
# Growth: compare how time grows, not absolute time.


def test_quadratic_sliding_window_is_flagged_too_slow():
    verdict = problems.check(
        "lc239", example_file("sliding-window-maximum", "_slow"), max_examples=10
    )
    assert verdict.status == "too slow", verdict.report()
    assert not verdict.passed and verdict.counterexample is None
    assert verdict.solution_growth > 1.6
    assert [t.n for t in verdict.timings] == [1000, 4000, 16000]


def test_linear_pure_python_sliding_window_is_not_flagged_beside_the_reference():
    verdict = problems.check("lc239", example_file("sliding-window-maximum"), max_examples=10)
    assert verdict.passed, verdict.report()
    assert verdict.solution_growth < 1.5
    assert len(verdict.timings) == 3 and all(t.solution > 0 for t in verdict.timings)


# ---------------------------------------------------------------------------------------------
# The judge's machinery, on a small problem defined here: sort a list.


def sort_list(xs):
    return sorted(xs)


def never_returns(xs):
    while True:
        pass


def hangs_on_long_lists(xs):
    while len(xs) > 3:
        pass
    return sorted(xs)


def fails_on_empty(xs):
    smallest = xs[0]  # IndexError on an empty list
    return sorted(xs) if smallest is not None else xs


def sorts_in_place(xs):
    xs.sort()
    return xs


def drops_duplicates(xs):
    return sorted(set(xs))


TOY = Problem(
    id="sort-list",
    title="Sort a List",
    statement="Return the values of `xs` in non-decreasing order.\n\nConstraints: none.",
    signature="def sort_list(xs: list[int]) -> list[int]:",
    function_name="sort_list",
    parameters=("xs",),
    examples=(Example(([3, 1, 2],), [1, 2, 3]),),
    reference=sorted,
    arguments=lambda: st.tuples(st.lists(st.integers(-100, 100))),
    compare=exact,
)


def test_duplicates_dropped_are_shrunk_to_two_equal_values():
    verdict = problems.check(TOY, drops_duplicates, max_examples=100, complexity=False)
    assert verdict.status == "wrong answer"
    xs = verdict.counterexample["xs"]
    assert len(xs) == 2 and xs[0] == xs[1]
    assert verdict.expected == [xs[0]] * 2 and verdict.actual == [xs[0]]


def test_solution_that_never_returns_times_out_without_hanging_the_judge():
    start = time.perf_counter()
    verdict = problems.check(TOY, never_returns, time_limit=0.5, complexity=False)
    assert time.perf_counter() - start < 20
    assert verdict.status == "timed out" and verdict.phase == "examples"
    assert verdict.counterexample == {"xs": [3, 1, 2]} and verdict.actual is None


def test_time_outs_on_generated_inputs_stop_the_search_with_the_input_that_hung():
    toy = Problem(**{**TOY.__dict__, "examples": (Example(([2, 1],), [1, 2]),)})
    start = time.perf_counter()
    verdict = problems.check(
        toy, hangs_on_long_lists, time_limit=0.5, max_examples=100, complexity=False
    )
    assert time.perf_counter() - start < 30
    assert verdict.status == "timed out" and verdict.phase == "hypothesis"
    assert len(verdict.counterexample["xs"]) > 3
    assert "did not return within 0.5 s" in verdict.message


def test_exception_is_reported_with_the_smallest_input_and_the_solution_traceback():
    verdict = problems.check(TOY, fails_on_empty, max_examples=100, complexity=False)
    assert verdict.status == "error"
    assert verdict.counterexample == {"xs": []}
    assert "IndexError" in verdict.message
    assert "fails_on_empty" in verdict.traceback and "smallest = xs[0]" in verdict.traceback
    assert "_sandbox.py" not in verdict.traceback


def test_solution_that_changes_its_input_is_reported():
    verdict = problems.check(TOY, sorts_in_place, complexity=False)
    assert verdict.status == "changed its input"
    assert verdict.counterexample == {"xs": [3, 1, 2]}


def test_lambda_runs_in_a_thread_and_still_times_out():
    verdict = problems.check(
        TOY, lambda xs: time.sleep(1.0) or sorted(xs), time_limit=0.2, complexity=False
    )
    assert verdict.status == "timed out"


def test_lambda_that_is_right_passes():
    assert problems.check(TOY, lambda xs: sorted(xs), max_examples=30, complexity=False).passed


def test_string_solution_names_a_file_and_a_function(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("def my_sort(xs):\n    return sorted(xs)\n")
    assert problems.check(TOY, f"{path}:my_sort", max_examples=20, complexity=False).passed
    with pytest.raises(problems.SolutionError, match="has no function 'sort_list'"):
        problems.check(TOY, str(path))
    with pytest.raises(problems.SolutionError, match="no such file"):
        problems.check(TOY, str(tmp_path / "missing.py"))


def test_solution_that_kills_its_worker_is_an_error(tmp_path):
    path = tmp_path / "exits.py"
    path.write_text("import os\n\ndef sort_list(xs):\n    os._exit(3)\n")
    verdict = problems.check(TOY, str(path), complexity=False)
    assert verdict.status == "error" and "exit status 3" in verdict.message


# ---------------------------------------------------------------------------------------------
# Comparisons.


def test_combinations_compare_as_multisets_in_any_order():
    assert unordered_combinations([[2, 2, 3], [7]], [[7], [3, 2, 2]]) is None
    assert "listed twice" in unordered_combinations([[2, 2, 3], [7]], [[2, 2, 3], [2, 3, 2], [7]])
    assert "missing" in unordered_combinations([[2, 2, 3], [7]], [[7]])
    assert "not a valid" in unordered_combinations([[7]], [[7], [1, 6]])


def test_counts_compare_a_counter_with_a_dict():
    from collections import Counter

    assert same_counts(Counter({("a",): 2}), {("a",): 2}) is None
    assert "expected 2, got 1" in same_counts(Counter({("a",): 2}), {("a",): 1})


def test_exact_does_not_take_a_tuple_for_a_list_or_a_float_for_an_int():
    assert exact([1, 2], [1, 2]) is None
    assert exact([1, 2], (1, 2)) is not None
    assert exact(3, 3.0) is not None


def test_float_comparison_uses_the_bound_of_the_inputs_and_checks_shape_dtype_and_nan():
    from kernels.tolerances import softmax_bound

    close = within_bound(lambda args, dtype: softmax_bound(args[0], dtype))
    x = np.array([0.0, np.log(3.0)])
    e = np.array([0.25, 0.75])
    bound = softmax_bound(x, np.float64)
    assert close(e, e + bound / 2, (x,)) is None
    assert "outside the tolerance" in close(e, e + 2 * bound, (x,))
    assert "dtype" in close(e, e.astype(np.float32), (x,))
    assert "shape" in close(e, e[:1], (x,))
    assert close(e, np.array([np.nan, 0.75]), (x,)) is not None
    assert "numpy array" in close(e, [0.25, 0.75], (x,))
    big = np.array([0.0, 1e4 - 1])  # the bound grows with the spread of the scores
    assert softmax_bound(big, np.float64)[1] > bound[1]


def test_float_problems_take_their_tolerance_from_the_shared_table():
    import kernels.tolerances as tolerances

    calls = []
    original = tolerances.softmax_bound

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    problem = problems.get("online-softmax")
    x = np.array([1.0, 2.0, 3.0])
    expected = problem.reference(x)
    try:
        tolerances.softmax_bound = spy
        assert problem.compare(expected, expected.copy(), (x,)) is None
    finally:
        tolerances.softmax_bound = original
    assert calls and calls[0][0] is x
    assert "1e-10" not in problem.statement


# ---------------------------------------------------------------------------------------------
# The command line.


def test_list_prints_every_id(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(problem_id in out for problem_id in IDS) and "lc239" in out


def test_show_prints_the_statement(capsys):
    assert main(["show", "lc164"]) == 0
    out = capsys.readouterr().out
    assert "# Maximum Gap" in out and "def maximum_gap(nums: list[int]) -> int:" in out


@pytest.mark.parametrize("problem_id", IDS)
def test_template_is_a_starter_with_the_functions_to_write(problem_id, tmp_path, capsys):
    from problems._sandbox import load

    problem = problems.get(problem_id)
    path = tmp_path / "starter.py"
    assert main(["template", problem_id, str(path)]) == 0
    assert main(["template", problem_id, str(path)]) == 2  # never overwrites
    text = path.read_text()
    assert problem.title in text and problem.statement.strip().splitlines()[0] in text
    solution = load(("file", str(path), None), problem.solution_names)
    first = problem.solution_names[0]
    stub = solution if len(problem.solution_names) == 1 else getattr(solution, first)
    with pytest.raises(NotImplementedError):
        stub(*problem.examples[0].args[: stub.__code__.co_argcount])


def test_template_on_stdout_is_judged_as_not_implemented(tmp_path, capsys):
    assert main(["template", "heap-operations"]) == 0
    path = tmp_path / "starter.py"
    path.write_text(capsys.readouterr().out)
    verdict = problems.check("heap-operations", str(path), max_examples=5, complexity=False)
    assert verdict.status == "error" and "NotImplementedError" in verdict.message


def test_check_exits_1_on_a_wrong_solution_and_shows_the_counterexample(capsys):
    code = main(
        [
            "check",
            "sliding-window-maximum",
            example_file("sliding-window-maximum", "_wrong"),
            "--max-examples",
            "25",
            "--no-timing",
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "WRONG ANSWER" in out and "nums = [" in out and "Expected:" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "no-such-problem", "x.py"], "unknown problem 'no-such-problem'"),
        (["check", "lc239", "no/such/file.py"], "no such file"),
        (["check", "lc239", os.path.join(EXAMPLES, "maximum_gap.py")], "no function"),
        (
            ["check", "lc239", os.path.join(EXAMPLES, "sliding_window_maximum.py") + ":nope"],
            "has no 'nope'",
        ),
        (["show", "lc0"], "unknown problem"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(argv, message, capsys):
    with pytest.raises(SystemExit) if argv == ["frobnicate"] else _returns() as outcome:
        code = main(argv)
    code = outcome.value.code if argv == ["frobnicate"] else code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


class _returns:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_main_job_command_judges_the_example_and_exits_0():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "problems",
            "check",
            "sliding-window-maximum",
            "problems/examples/sliding_window_maximum.py",
            "--max-examples",
            "25",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sliding-window-maximum: PASSED" in result.stdout
    assert "growth exponent" in result.stdout


def test_example_solutions_import_without_side_effects():
    for name in sorted(os.listdir(EXAMPLES)):
        if name.endswith(".py") and name != "__init__.py":
            importlib.import_module("problems.examples." + name[:-3])


def test_importable_functions_run_in_a_worker_process_and_lambdas_in_a_thread():
    from problems._sandbox import ProcessRunner, ThreadRunner, make_runner

    runner = make_runner((TOY.call, TOY.timed_call), never_returns, TOY.solution_names, 1.0)
    try:
        assert isinstance(runner, ProcessRunner)
        assert runner.run(([1],)).kind == "timeout"
        assert runner.run(([],)).kind == "timeout"  # restarted after the kill
    finally:
        runner.close()
    runner = make_runner((TOY.call, TOY.timed_call), lambda xs: xs, TOY.solution_names, 1.0)
    assert isinstance(runner, ThreadRunner)


def returns_a_generator(xs):
    return (x for x in sorted(xs))


def test_answer_that_is_not_plain_data_is_a_wrong_answer_that_names_its_type():
    verdict = problems.check(TOY, returns_a_generator, complexity=False)
    assert verdict.status == "wrong answer" and "generator" in verdict.message
    assert "not plain data" in verdict.message


def test_softmax_that_shifts_its_input_in_place_is_reported(tmp_path):
    path = tmp_path / "in_place.py"
    path.write_text(
        "import numpy as np\n\n"
        "def softmax(x):\n"
        "    x -= x.max()\n"
        "    e = np.exp(x)\n"
        "    return e / e.sum()\n"
    )
    verdict = problems.check("online-softmax", str(path), max_examples=FEW, complexity=False)
    assert verdict.status == "changed its input"


def test_growth_exponent_is_the_log_log_slope():
    from problems.judge import _slope

    assert _slope([1000, 4000, 16000], [1e-3, 4e-3, 16e-3]) == pytest.approx(1.0)
    assert _slope([1000, 4000, 16000], [1e-3, 16e-3, 256e-3]) == pytest.approx(2.0)


def quadratic_sort(xs):
    xs = list(xs)
    for i in range(len(xs)):
        for j in range(len(xs) - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs


def test_bubble_sort_grows_faster_than_sorted_and_is_too_slow():
    toy = Problem(
        **{
            **TOY.__dict__,
            "scaling": lambda n, rng: ([rng.random() for _ in range(n)],),
            "sizes": (100, 400, 1600),
            "growth": 1.0,
        }
    )
    verdict = problems.check(toy, quadratic_sort, max_examples=10)
    assert verdict.status == "too slow", verdict.report()
    assert verdict.solution_growth > 1.6
    assert problems.check(toy, sort_list, max_examples=10).passed


def hangs_on_huge_lists(xs):
    while len(xs) > 500:
        pass
    return sorted(xs)


def test_growth_input_past_the_time_limit_times_out_with_a_bisected_size():
    toy = Problem(
        **{
            **TOY.__dict__,
            "scaling": lambda n, rng: (list(range(n)),),
            "sizes": (10, 100, 1000),
            "growth": 1.0,
        }
    )
    verdict = problems.check(toy, hangs_on_huge_lists, time_limit=0.3, max_examples=20)
    assert verdict.status == "timed out" and verdict.phase == "bounds", verdict.report()
    assert "growth input, n = 1000" in verdict.message
    # Bisection between 1 and 1000 stops after MAX_TIMEOUTS time-outs, below 1000.
    assert 500 < len(verdict.counterexample["xs"]) < 1000
    assert "did not return within 0.3 s" in verdict.message


def test_shrinking_stops_at_its_time_budget_with_the_failure_found(monkeypatch):
    import problems.judge

    monkeypatch.setattr(problems.judge, "SHRINK_SECONDS", 0.0)
    verdict = problems.check(TOY, drops_duplicates, max_examples=200, complexity=False)
    assert verdict.status == "wrong answer" and "shrinking stopped after 0 s" in verdict.message
    xs = verdict.counterexample["xs"]
    assert sorted(set(xs)) != sorted(xs)  # still a failing input


# ---------------------------------------------------------------------------------------------
# A verdict is earned: failures on the judge's side are a verdict of their own, never a pass.


def _toy(**changes):
    return Problem(**{**TOY.__dict__, **changes})


def _divide_by_zero(args):
    return 1 / 0


@pytest.mark.parametrize(
    "changes, cause",
    [
        ({"arguments": lambda: st.tuples(st.lists(st.integers())).map(_divide_by_zero)}, "Zero"),
        (
            {"arguments": lambda: st.tuples(st.lists(st.integers())).filter(lambda a: False)},
            "hypothesis: FailedHealthCheck",
        ),
        (
            {"arguments": lambda: st.tuples(st.lists(st.integers(), min_size=3000))},
            "hypothesis: FailedHealthCheck",
        ),
        ({"compare": lambda expected, actual, args: 1 / 0}, "comparing an answer"),
        ({"reference": lambda xs: 1 / 0}, "the reference of sort-list failed"),
    ],
    ids=["strategy raises", "filtered", "large", "comparison raises", "reference"],
)
def test_a_failure_on_the_judges_side_is_a_judge_error_never_a_pass(changes, cause):
    verdict = problems.check(_toy(**changes), sort_list, max_examples=10, complexity=False)
    assert not verdict.passed and verdict.status == "judge error", verdict.report()
    assert cause in verdict.message and "\n" not in verdict.message


def test_a_judge_error_exits_2_with_its_cause_in_one_line(tmp_path, capsys, monkeypatch):
    broken = _toy(arguments=lambda: st.tuples(st.lists(st.integers())).map(_divide_by_zero))
    monkeypatch.setattr(problems, "get", lambda problem_id: broken)
    path = tmp_path / "mine.py"
    path.write_text("def sort_list(xs):\n    return sorted(xs)\n")
    assert main(["check", "sort-list", str(path), "--no-timing", "--max-examples", "5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("python -m problems: judge error:")
    assert "ZeroDivisionError" in captured.err and captured.err.count("\n") == 1


@pytest.mark.parametrize(
    "options, error",
    [
        ({"time_limit": None}, TypeError),
        ({"time_limit": "3"}, TypeError),
        ({"time_limit": True}, TypeError),
        ({"time_limit": float("inf")}, ValueError),
        ({"time_limit": float("nan")}, ValueError),
        ({"time_limit": 1e300}, ValueError),
        ({"time_limit": 0}, ValueError),
        ({"time_limit": -1.0}, ValueError),
        ({"max_examples": 0}, ValueError),
        ({"max_examples": 2.5}, TypeError),
        ({"memory_limit": 1 << 20}, ValueError),
    ],
)
def test_options_are_checked_before_any_work(options, error):
    name = next(iter(options))
    with pytest.raises(error, match=name):
        problems.check(TOY, sort_list, complexity=False, **options)


@pytest.mark.parametrize(
    "option, value",
    [
        ("--time-limit", "inf"),
        ("--time-limit", "nan"),
        ("--time-limit", "1e300"),
        ("--time-limit", "0"),
        ("--time-limit", "soon"),
        ("--max-examples", "0"),
        ("--memory-limit", "1"),
    ],
)
def test_bad_options_exit_2_with_one_line(option, value, capsys):
    file = example_file("sliding-window-maximum")
    with pytest.raises(SystemExit) as outcome:
        main(["check", "lc239", file, option, value])
    err = capsys.readouterr().err
    assert outcome.value.code == 2
    assert option in err and err.count("\n") == 1 and "Traceback" not in err


def test_memory_limit_gives_its_own_verdict(tmp_path):
    path = tmp_path / "hog.py"
    path.write_text("def sort_list(xs):\n    return [0] * (1 << 40)\n")
    verdict = problems.check(TOY, f"{path}", memory_limit=512 << 20, complexity=False)
    assert verdict.status == "memory limit exceeded" and not verdict.passed


# ---------------------------------------------------------------------------------------------
# The statement's bounds are tested, not only hypothesis's small inputs.


def test_sliding_window_wrong_only_past_300_values_fails_at_301(tmp_path):
    path = tmp_path / "long.py"
    path.write_text(
        "def sliding_window_max(nums, k):\n"
        "    out = [max(nums[i : i + k]) for i in range(len(nums) - k + 1)]\n"
        "    return out[:-1] if len(nums) > 300 else out\n"
    )
    verdict = problems.check("lc239", str(path), max_examples=FEW, complexity=False)
    assert verdict.status == "wrong answer" and verdict.phase == "bounds", verdict.report()
    assert len(verdict.counterexample["nums"]) == 301
    assert "smallest failing size found is 301" in verdict.message
    assert "Smallest failing input at this bound" in verdict.report()


def test_knapsack_wrong_only_past_capacity_500_fails_at_501(tmp_path):
    path = tmp_path / "big.py"
    path.write_text(
        "from algos_free_knapsack import best\n"
        "def knapsack_01(weights, values, capacity):\n"
        "    return best(weights, values, capacity) + (capacity > 500)\n"
    )
    (tmp_path / "algos_free_knapsack.py").write_text(
        "def best(weights, values, capacity):\n"
        "    table = [0] * (capacity + 1)\n"
        "    for w, v in zip(weights, values):\n"
        "        for c in range(capacity, w - 1, -1):\n"
        "            table[c] = max(table[c], table[c - w] + v)\n"
        "    return table[capacity]\n"
    )
    verdict = problems.check("knapsack-01", str(path), max_examples=FEW, complexity=False)
    assert verdict.status == "wrong answer" and verdict.phase == "bounds", verdict.report()
    assert verdict.counterexample["capacity"] == 501


def test_solution_that_changes_only_long_inputs_is_caught(tmp_path):
    path = tmp_path / "sorts.py"
    path.write_text(
        "def maximum_gap(nums):\n"
        "    if len(nums) > 300:\n"
        "        nums.sort()\n"
        "    s = sorted(nums)\n"
        "    return max((b - a for a, b in zip(s, s[1:])), default=0)\n"
    )
    verdict = problems.check("lc164", str(path), max_examples=FEW, complexity=False)
    assert verdict.status == "changed its input" and verdict.phase == "bounds", verdict.report()
    assert len(verdict.counterexample["nums"]) == 301


@pytest.mark.parametrize("problem_id", IDS)
def test_every_problem_has_inputs_at_its_bounds_larger_than_hypothesis_draws(problem_id):
    import random

    problem = problems.get(problem_id)
    assert problem.bounds
    for bound in problem.bounds:
        args = bound.build(bound.limit, random.Random(0))
        assert len(args) == len(problem.parameters), bound.name
        with np.errstate(over="ignore"):  # a product of 10**5 values up to 10 overflows: inf
            answer = problem.call(problem.reference, *args)
        assert problem.compare(answer, answer, args) is None, bound.name


# ---------------------------------------------------------------------------------------------
# Answers are plain data: the judge never runs code the solution controls.


def test_answer_whose_unpickling_exits_0_does_not_end_the_judge():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "problems",
            "check",
            "lc164",
            os.path.join(EXAMPLES, "cheats", "reduce_exit.py"),
            "--max-examples",
            "5",
            "--no-timing",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WRONG ANSWER" in result.stdout and "not plain data" in result.stdout


class Listish(list):
    def __iter__(self):
        return iter(())


def returns_a_list_subclass(xs):
    return Listish(sorted(xs))


def test_list_subclass_is_a_wrong_answer_that_names_it_not_a_traceback():
    verdict = problems.check(TOY, returns_a_list_subclass, max_examples=5, complexity=False)
    assert verdict.status == "wrong answer" and "Listish" in verdict.message


def test_all_masked_zeros_fail_the_softmax(tmp_path):
    path = tmp_path / "masked.py"
    path.write_text(
        "import numpy as np\n\ndef softmax(x):\n    return np.ma.masked_all(x.shape, float)\n"
    )
    verdict = problems.check("online-softmax", str(path), max_examples=5, complexity=False)
    assert verdict.status == "wrong answer" and "MaskedArray" in verdict.message


@pytest.mark.parametrize(
    "actual, reason",
    [
        ([[2, [3]], [7]], "list of integers"),
        ([[2, "a"], [7]], "list of integers"),
        ([[7], {"a": 1}], "list of integers"),
        (np.array([[7]]), "list of combinations"),
        ([[1.5, 5.5], [7]], "list of integers"),
    ],
)
def test_combinations_that_cannot_be_compared_are_a_wrong_answer_with_the_reason(actual, reason):
    assert reason in unordered_combinations([[2, 2, 3], [7]], actual)


@pytest.mark.parametrize(
    "actual, reason",
    [
        ({("a",): np.array([2])}, "not an integer"),
        ({("a",): 2.0}, "not an integer"),
        ({("a",): [2]}, "not an integer"),
        ([(("a",), 2)], "mapping"),
    ],
)
def test_counts_that_cannot_be_compared_are_a_wrong_answer_with_the_reason(actual, reason):
    assert reason in same_counts({("a",): 2}, actual)


# ---------------------------------------------------------------------------------------------
# The wire: plain data in, plain data out, and nothing else read.

_plain_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**60, max_value=2**12000),
    st.floats(allow_nan=True),
    st.text(),
)
_plain = st.recursive(
    _plain_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(_plain_scalars.filter(lambda x: x == x), inner, max_size=3),
    ),
    max_leaves=12,
)


@given(_plain)
def test_plain_data_crosses_the_wire_unchanged_type_for_type(value):
    from problems import _wire
    from problems._problem import same

    back = _wire.loads(_wire.dumps([_wire.encode(value)])[8:])[0]
    assert same(back, value) and repr(back) == repr(value)


@given(
    st.sampled_from([np.float64, np.float32, np.float16, np.int64, np.uint8, np.bool_]),
    st.lists(st.integers(0, 4), max_size=3),
)
def test_arrays_cross_the_wire_with_dtype_shape_and_bytes(dtype, shape):
    from problems import _wire

    value = np.arange(int(np.prod(shape)), dtype=np.float64).astype(dtype).reshape(shape)
    back = _wire.loads(_wire.dumps([_wire.encode(value)])[8:])[0]
    assert type(back) is np.ndarray and back.dtype == value.dtype and back.shape == value.shape
    assert np.array_equal(back, value)


def test_what_is_not_plain_data_crosses_as_the_name_of_its_type():
    from collections import Counter, OrderedDict

    from problems import _wire

    sent = [Listish([1]), np.ma.masked_all(2), np.zeros(2, dtype=object), Counter(a=2)]
    sent += [OrderedDict(b=1), np.int64(3), np.float32(0.5), np.bool_(True), 1 + 2j]
    back = _wire.loads(_wire.dumps(_wire.encode(sent))[8:])
    assert [type(x).__name__ for x in back[:3]] == ["Foreign"] * 3
    assert "Listish" in back[0].type_name and "MaskedArray" in back[1].type_name
    assert "object" in back[2].type_name
    assert back[3:8] == [{"a": 2}, {"b": 1}, 3, 0.5, True]
    assert [type(x) for x in back[3:8]] == [dict, dict, int, float, bool]
    assert type(back[8]).__name__ == "Foreign"


@pytest.mark.parametrize(
    "body",
    [
        b"\x80\x04\x95",  # a pickle
        b'{"tuple": [1], "list": [2]}',
        b'{"code": "import os"}',
        b'{"ndarray": ["|O8", [1], "AAAAAAAAAAA="]}',
        b'{"ndarray": ["<f8", [2], "AAAAAAAAAAA="]}',
        b'{"dict": [[[1], 2]]}',
        b"[" * 200 + b"]" * 200,
        b"1" * 5000,
    ],
    ids=["pickle", "two tags", "unknown tag", "objects", "short data", "list key", "deep", "big"],
)
def test_the_judge_reads_nothing_but_plain_data(body):
    from problems import _wire

    with pytest.raises(_wire.Malformed):
        _wire.loads(body)


def test_an_answer_to_another_call_is_not_taken_for_this_one(tmp_path):
    # Before each answer the solution writes a reply of its own on the worker's pipe, numbered
    # for a call that was never made, holding a wrong answer; the judge reads past it.
    path = tmp_path / "stale.py"
    path.write_text(
        "import json, os, sys\n\n"
        "def sort_list(xs):\n"
        "    body = json.dumps([0, 'returned', 0.0, [12345], [xs]]).encode()\n"
        "    os.write(int(sys.argv[2]), len(body).to_bytes(8, 'big') + body)\n"
        "    return sorted(xs)\n"
    )
    verdict = problems.check(TOY, str(path), max_examples=20, complexity=False)
    assert verdict.passed, verdict.report()


def test_an_integer_too_long_to_print_is_a_wrong_answer_not_a_judge_error(tmp_path):
    path = tmp_path / "huge.py"
    path.write_text("def maximum_gap(nums):\n    return 10**5000\n")
    verdict = problems.check("lc164", str(path), max_examples=5, complexity=False)
    assert verdict.status == "wrong answer", verdict.report()
    assert "too large to show" in verdict.report()


def test_a_module_is_judged_by_the_function_its_problem_names():
    # The examples package is hidden from the worker, so this module runs in a thread of the
    # judge; the problem's one function is looked up in it either way.
    from problems.examples import sliding_window_maximum_wrong as off_by_one

    verdict = problems.check("lc239", off_by_one, max_examples=50, complexity=False)
    assert verdict.status == "wrong answer"
    assert verdict.counterexample == {"nums": [0, -1], "k": 1}


KERNEL_PROBLEMS = [p.id for p in problems.catalog() if p.speed is not None]


def test_every_array_kernel_problem_is_timed_beside_its_package_kernel():
    assert set(KERNEL_PROBLEMS) == {
        "online-softmax",
        "prefix-scan",
        "linear-recurrence",
        "blocked-attention",
        "rope",
        "linear-attention",
        "selective-scan",
    }


@pytest.mark.parametrize("problem_id", KERNEL_PROBLEMS)
def test_a_passing_kernel_solution_gets_a_speed_report_beside_the_package_kernel(problem_id):
    solution = os.path.join(EXAMPLES, problem_id.replace("-", "_") + ".py")
    verdict = problems.check(problem_id, solution, max_examples=3)
    assert verdict.passed, verdict.report()
    speed = verdict.speed
    assert speed["kernel"] == problems.get(problem_id).speed.kernel
    assert speed["solution_seconds"] > 0 and speed["kernel_seconds"] > 0
    assert speed["ratio"] == pytest.approx(speed["solution_seconds"] / speed["kernel_seconds"])
    assert speed["work"] > 0 and 0 < speed["fraction_of_limit"] < math.inf
    assert speed["limit"] == ("np.copyto" if speed["unit"] == "bytes" else "np.matmul")
    assert "times the package kernel's time" in verdict.report()


def test_no_speed_report_without_timing_or_for_an_algorithm_problem():
    softmax = os.path.join(EXAMPLES, "online_softmax.py")
    assert problems.check("online-softmax", softmax, max_examples=3, complexity=False).speed is None
    gap = os.path.join(EXAMPLES, "maximum_gap.py")
    verdict = problems.check("maximum-gap", gap, max_examples=3)
    assert verdict.passed and verdict.speed is None
