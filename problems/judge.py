"""The judge: worked examples, then a hypothesis property against the reference, then growth.

1. The worked examples of the statement, in order.
2. ``max_examples`` inputs that hypothesis draws from the problem's strategy. The first input on
   which the solution differs from the reference (or raises, times out, or changes its
   arguments) is shrunk by hypothesis, and the verdict shows the smallest one: hypothesis calls
   the property with its minimal failing example last, so the last failure recorded is the one
   to show.
3. The solution and the reference are timed on growing inputs (the problem's ``scaling``). The
   growth exponent of each is the least-squares slope of log(time) against log(n); a solution
   whose exponent exceeds both the reference's and the problem's stated one by more than
   ``GROWTH_MARGIN`` is too slow. Growth is compared, never absolute time: a pure-Python O(n)
   solution beside a numba reference is slower by a constant, not in growth. A suspected case
   is measured a second time before it is reported, since the machine may be busy. The sizes
   are small on purpose: a pure-Python solution that is right takes a few milliseconds on the
   largest, short enough for the best of several runs to escape other processes' time slices
   (longer runs on a shared machine are all slowed, which bends the curve).

A solution that never returns costs one time limit per call; shrinking such an input would cost
one per step, so after ``MAX_TIMEOUTS`` time-outs the judge stops shrinking and shows the
smallest input that timed out so far. Shrinking also stops ``SHRINK_SECONDS`` after the first
failure, with the smallest failing input found by then.
"""

import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed

from problems._problem import format_arguments, show
from problems._sandbox import make_runner, time_best

# O(n log n) over a 16x range of n has exponent ~1.1, and cache effects add up to ~0.5 to a
# linear pure-Python solution on large inputs; O(n^2) has 2.
GROWTH_MARGIN = 0.5
MAX_TIMEOUTS = 3
SHRINK_SECONDS = 30.0  # a solution slow on every input must not make shrinking last for ages


@dataclass
class Timing:
    """Best time of the solution and of the reference on the scaling input of size ``n``."""

    n: int
    solution: float
    reference: float


@dataclass
class Verdict:
    """What the judge found.

    ``status`` is one of ``"passed"``, ``"wrong answer"``, ``"error"`` (the solution raised),
    ``"timed out"``, ``"changed its input"``, ``"too slow"``. On a failure, ``counterexample``
    maps each parameter to the (shrunk) failing argument, ``expected`` is the reference's answer
    and ``actual`` the solution's (``None`` where it raised or timed out; then ``traceback``
    holds the solution's traceback).
    """

    problem_id: str
    passed: bool
    status: str
    message: str
    counterexample: dict | None = None
    expected: Any = None
    actual: Any = None
    traceback: str = ""
    phase: str = ""
    examples_checked: int = 0
    generated_checked: int = 0
    timings: list = field(default_factory=list)
    solution_growth: float | None = None
    reference_growth: float | None = None

    def __bool__(self):
        return self.passed

    def report(self):
        """The verdict as text for a terminal."""
        lines = [
            f"{self.problem_id}: {self.status.upper()}"
            if not self.passed
            else f"{self.problem_id}: PASSED",
            self.message,
        ]
        if self.counterexample is not None:
            title = {
                "examples": "Failing worked example:",
                "hypothesis": "Smallest failing input (shrunk by hypothesis):",
            }.get(self.phase, "Input:")
            lines += [
                "",
                title,
                _indent(
                    format_arguments(list(self.counterexample), list(self.counterexample.values()))
                ),
            ]
            lines += ["", "Expected:", _indent(show(self.expected))]
            if self.status in ("wrong answer", "changed its input"):
                lines += ["", "Actual:", _indent(show(self.actual))]
            if self.traceback:
                lines += ["", "Traceback of the solution:", _indent(self.traceback.rstrip())]
        if self.timings:
            lines += [
                "",
                "Time beside the reference (best of several runs):",
                f"  {'n':>9}  {'solution':>11}  {'reference':>11}  {'ratio':>7}",
            ]
            for t in self.timings:
                ratio = t.solution / t.reference if t.reference > 0 else math.inf
                lines.append(
                    f"  {t.n:>9}  {_seconds(t.solution):>11}  "
                    f"{_seconds(t.reference):>11}  {ratio:>7.1f}"
                )
            if self.solution_growth is not None:
                lines.append(
                    f"  growth exponent: solution {self.solution_growth:.2f}, "
                    f"reference {self.reference_growth:.2f}"
                )
        return "\n".join(lines)

    __str__ = report


def check(problem, solution, *, max_examples=200, time_limit=3.0, complexity=True, seed=None):
    """Judge ``solution`` on ``problem`` (see the module docstring for the three steps).

    ``solution`` is a ``("file", path, name_or_None)`` / ``("import", module, qualname)`` spec,
    a module, or a callable (or, for problems that ask for several functions, an object that has
    them). ``time_limit`` is in seconds per call.
    """
    runner = make_runner(
        (problem.call, problem.timed_call), solution, problem.solution_names, time_limit
    )
    try:
        verdict = _check_examples(problem, runner)
        if verdict is None:
            verdict = _check_generated(problem, runner, max_examples, seed)
        if verdict.passed and complexity and problem.scaling is not None:
            _check_growth(problem, runner, verdict)
        return verdict
    finally:
        runner.close()


def _failure(problem, args, expected, outcome):
    """A failing verdict for one call (``phase`` and counts are filled in by the caller)."""
    counterexample = dict(zip(problem.parameters, args))
    if outcome.kind == "timeout":
        return Verdict(
            problem.id,
            False,
            "timed out",
            f"The solution did not return within {outcome.seconds:g} s.",
            counterexample,
            expected,
        )
    if outcome.kind == "error":
        return Verdict(
            problem.id,
            False,
            "error",
            f"The solution raised {outcome.error}",
            counterexample,
            expected,
            traceback=outcome.traceback,
        )
    if outcome.kind == "mutated":
        return Verdict(
            problem.id,
            False,
            "changed its input",
            "The solution changed its arguments; a solution must leave them as given.",
            counterexample,
            expected,
            outcome.value,
        )
    reason = problem.compare(expected, outcome.value)
    if reason is None:
        return None
    return Verdict(
        problem.id,
        False,
        "wrong answer",
        f"Wrong answer: {reason}.",
        counterexample,
        expected,
        outcome.value,
    )


def _check_examples(problem, runner):
    for number, example in enumerate(problem.examples, 1):
        outcome = runner.run(example.args)
        verdict = _failure(problem, example.args, example.expected, outcome)
        if verdict is not None:
            verdict.phase, verdict.examples_checked = "examples", number - 1
            verdict.message = f"Worked example {number} fails. " + verdict.message
            return verdict
    return None


class _Failed(Exception):
    """Raised inside the property so that hypothesis shrinks the input."""


class _Stop(BaseException):
    """Stops hypothesis at once (a BaseException, so it is not taken for a failing example)."""


def _check_generated(problem, runner, max_examples, seed):
    state = {
        "failure": None,
        "passed": 0,
        "timeouts": 0,
        "reference_error": None,
        "failed_at": None,
        "cut": False,
    }

    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        print_blob=False,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(problem.arguments())
    def solution_agrees_with_reference(args):
        failed_at = state["failed_at"]
        if failed_at is not None and time.monotonic() - failed_at > SHRINK_SECONDS:
            state["cut"] = True
            raise _Stop()
        try:
            expected = problem.call(problem.reference, *args)
        except Exception as exc:
            state["reference_error"] = (args, exc)
            raise _Stop() from exc
        outcome = runner.run(args)
        verdict = _failure(problem, args, expected, outcome)
        if verdict is None:
            state["passed"] += 1
            return
        state["failure"] = verdict
        if state["failed_at"] is None:
            state["failed_at"] = time.monotonic()
        if outcome.kind == "timeout":
            state["timeouts"] += 1
            if runner.in_process or state["timeouts"] >= MAX_TIMEOUTS:
                raise _Stop()
        raise _Failed(verdict.status)

    test = solution_agrees_with_reference
    if seed is not None:
        test = hypothesis_seed(seed)(test)
    try:
        test()
    except _Stop:
        pass
    except Exception:
        pass  # the failure is recorded in ``state``; hypothesis re-raised it after shrinking
    if state["reference_error"] is not None:
        args, exc = state["reference_error"]
        raise RuntimeError(
            f"the reference of {problem.id} failed on generated arguments "
            f"{format_arguments(problem.parameters, args, ', ')}: {exc!r}"
        ) from exc
    verdict = state["failure"]
    if verdict is None:
        return Verdict(
            problem.id,
            True,
            "passed",
            f"{len(problem.examples)} worked examples and {state['passed']} generated "
            "inputs agree with the reference.",
            examples_checked=len(problem.examples),
            generated_checked=state["passed"],
        )
    verdict.phase = "hypothesis"
    verdict.examples_checked = len(problem.examples)
    verdict.generated_checked = state["passed"]
    cut = ""
    if verdict.status == "timed out" and state["timeouts"] >= MAX_TIMEOUTS:
        cut = " (shrinking stopped after repeated time-outs)"
    elif state["cut"]:
        cut = f" (shrinking stopped after {SHRINK_SECONDS:g} s)"
    verdict.message = (
        f"All {len(problem.examples)} worked examples pass, but a generated input "
        f"fails{cut}. " + verdict.message
    )
    return verdict


def _check_growth(problem, runner, verdict):
    """Time solution and reference on growing inputs; too slow if the solution grows faster."""
    rng = random.Random(20240611)
    inputs = [(n, problem.scaling(n, rng)) for n in problem.sizes]
    limit = runner.time_limit * 3
    for _attempt in range(2):
        # All the solution's sizes first, then the reference's: a numba reference may leave
        # worker threads spinning after its parallel regions, which would slow a solution
        # timed right after it on a machine with few cores.
        solution_times = []
        runner.time(inputs[0][1], limit)  # warm-up (the solution may compile with numba too)
        for n, args in inputs:
            outcome = runner.time(args, limit)
            if outcome.kind != "ok":
                verdict.passed, verdict.status = False, "too slow"
                what = "did not finish within" if outcome.kind == "timeout" else "failed:"
                detail = f"{limit:g} s" if outcome.kind == "timeout" else outcome.error
                verdict.message = (
                    f"Correct on every input tried, but on the scaling input of "
                    f"{problem.size_name} = {n} the solution {what} {detail}."
                )
                verdict.timings = [
                    Timing(m, t, _time_reference(problem, a))
                    for (m, a), t in zip(inputs, solution_times)
                ]
                return
            solution_times.append(outcome.seconds)
        _time_reference(problem, inputs[0][1])  # warm-up: numba compiles on the first call
        timings = [
            Timing(n, t, _time_reference(problem, args))
            for (n, args), t in zip(inputs, solution_times)
        ]
        solution_growth = _slope([t.n for t in timings], [t.solution for t in timings])
        reference_growth = _slope([t.n for t in timings], [t.reference for t in timings])
        # A compiled reference can be all overhead at these sizes (growth near 0): the growth
        # the problem states is the floor of what a solution may show.
        allowed = (
            max(
                reference_growth, problem.growth if problem.growth is not None else reference_growth
            )
            + GROWTH_MARGIN
        )
        verdict.timings, verdict.solution_growth = timings, solution_growth
        verdict.reference_growth = reference_growth
        if solution_growth <= allowed:
            return
        if solution_growth > allowed + GROWTH_MARGIN:
            break  # far beyond noise: no need to measure again
    verdict.passed, verdict.status = False, "too slow"
    stated = (
        f" (the problem asks for O({problem.size_name}^{problem.growth:g}))"
        if problem.growth is not None
        else ""
    )
    verdict.message = (
        f"Correct on every input tried, but its time grows like "
        f"{problem.size_name}^{solution_growth:.2f}, faster than the reference's "
        f"{problem.size_name}^{reference_growth:.2f}{stated}."
    )


def _time_reference(problem, args):
    return time_best(problem.timed_call, problem.reference, args)


def _slope(sizes, seconds):
    """Least-squares slope of log(seconds) against log(size)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(s, 1e-9)) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def _seconds(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} us"


def _indent(text):
    return "\n".join("  " + line for line in text.splitlines())
