"""The judge: a verdict is earned, phase by phase, and decided here, never in the worker.

1. The worked examples of the statement, in order.
2. ``max_examples`` inputs that hypothesis draws from the problem's strategy. The first input on
   which the solution differs from the reference (or raises, times out, runs out of memory, or
   changes its arguments) is shrunk by hypothesis, and the verdict shows the smallest one:
   hypothesis calls the property with its minimal failing example last, so the last failure
   recorded is the one to show.
3. Inputs at the statement's bounds (the problem's ``bounds``: the longest input, the largest
   capacity or target, extreme values) and the growth inputs of step 4, each compared with the
   reference. Hypothesis draws small inputs; a solution wrong only past some size fails here.
   Each bound is a family of inputs indexed by a size, so a failure is shrunk by bisection on
   the size and the verdict shows the smallest failing size found.
4. The solution and the reference are timed on growing inputs (the problem's ``scaling``). The
   growth exponent of each is the least-squares slope of log(time) against log(n); a solution
   whose exponent exceeds both the reference's and the problem's stated one by more than
   ``GROWTH_MARGIN`` is too slow. Growth is compared, never absolute time: a pure-Python O(n)
   solution beside a numba reference is slower by a constant, not in growth. A suspected case
   is measured a second time before it is reported, since the machine may be busy. The sizes
   are small on purpose: a pure-Python solution that is right takes a few milliseconds on the
   largest, short enough for the best of several runs to escape other processes' time slices.
   For a kernel problem (one with ``speed``), a solution that passed is then timed on the
   largest growth input beside the package's own kernel, and its rate (bytes moved or FLOPs
   done by the ideal kernel, per second) is given as a fraction of this machine's copy or
   matrix-multiply rate, measured in the same run: information for the learner, never a
   verdict, since a numpy solution is expected to trail a compiled kernel.

A pass is earned: every phase ran to its end and at least one generated input was compared.
Whatever goes wrong on the judge's side (the strategy, the reference, a comparison, a
hypothesis health check, ``Unsatisfiable``) is a verdict of its own, ``judge error``, never a
pass. The solution runs in a worker process (:mod:`problems._sandbox`) that reports plain data
only (:mod:`problems._wire`); the judge compares the answer with the reference's and the
arguments after the call with the ones it sent.

A solution that never returns costs one time limit per call; shrinking such an input would cost
one per step, so after ``MAX_TIMEOUTS`` time-outs the judge stops shrinking and shows the
smallest input that timed out so far. Shrinking also stops ``SHRINK_SECONDS`` after the first
failure, with the smallest failing input found by then.
"""

import importlib
import math
import numbers
import random
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import FlakyFailure

from problems import _wire
from problems._problem import format_arguments, same, show
from problems._sandbox import MEMORY_LIMIT, make_runner, time_best

# O(n log n) over a 16x range of n has exponent ~1.1, and cache effects add up to ~0.5 to a
# linear pure-Python solution on large inputs; O(n^2) has 2.
GROWTH_MARGIN = 0.5
MAX_TIMEOUTS = 3
SHRINK_SECONDS = 30.0  # a solution slow on every input must not make shrinking last for ages
LIE_FACTOR = 100  # a reported time this many times below the judge's clock is not believed
MAX_TIME_LIMIT = 3600.0  # seconds per call; more is a typo, not a wish
MIN_MEMORY_LIMIT = 256 << 20  # bytes: less cannot even start a worker with numpy


class JudgeError(Exception):
    """Something failed on the judge's side: the verdict is ``judge error``, never a pass."""


@dataclass
class Timing:
    """Best time of the solution and of the reference on the scaling input of size ``n``."""

    n: int
    solution: float
    reference: float


@dataclass
class Verdict:
    """What the judge found.

    ``status`` is one of ``"passed"``, ``"wrong answer"``, ``"error"`` (the solution raised,
    ended its worker, or sent something that is not an answer), ``"timed out"``,
    ``"memory limit exceeded"``, ``"changed its input"``, ``"too slow"``, or ``"judge error"``
    (the judge itself failed; ``message`` says how). On a failure, ``counterexample``
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
    speed: dict | None = None

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
                "bounds": "Smallest failing input at this bound (by bisection on its size):",
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
        if self.speed is not None:
            lines += ["", *_speed_lines(self.speed)]
        return "\n".join(lines)

    __str__ = report


def check(
    problem,
    solution,
    *,
    max_examples=200,
    time_limit=3.0,
    complexity=True,
    seed=None,
    memory_limit=MEMORY_LIMIT,
):
    """Judge ``solution`` on ``problem`` (see the module docstring for the four phases).

    ``solution`` is a ``("file", path, name_or_None)`` / ``("import", module, qualname)`` spec,
    a module, or a callable (or, for problems that ask for several functions, an object that has
    them). ``time_limit`` is in seconds per call, ``memory_limit`` the bytes of address space the
    solution may allocate in the worker process.
    """
    max_examples, time_limit, memory_limit = validate_options(
        max_examples, time_limit, memory_limit
    )
    runner = make_runner(
        (problem.call, problem.timed_call),
        solution,
        problem.solution_names,
        time_limit,
        memory_limit,
    )
    try:
        verdict = _check_examples(problem, runner)
        if verdict is None:
            verdict = _check_generated(problem, runner, max_examples, seed)
        answered = {}  # size -> the judge's wall time of a growth input's answered call
        if verdict.passed:
            verdict = _check_bounds(problem, runner, verdict, answered)
        if verdict.passed and complexity and problem.scaling is not None:
            largest = _check_growth(problem, runner, verdict, answered)
            if verdict.passed and problem.speed is not None:
                verdict.speed = _measure_speed(problem, largest, verdict.timings[-1].solution)
        return verdict
    except JudgeError as exc:
        return Verdict(problem.id, False, "judge error", _one_line(str(exc)))
    except Exception as exc:  # a fault of the judge's own code: reported, never a pass
        return Verdict(problem.id, False, "judge error", _one_line(f"{type(exc).__name__}: {exc}"))
    finally:
        runner.close()


def validate_options(max_examples, time_limit, memory_limit):
    """The options of :func:`check`, checked: ``TypeError`` or ``ValueError`` naming the option."""
    if isinstance(max_examples, bool) or not isinstance(max_examples, numbers.Integral):
        raise TypeError(f"max_examples must be an int, got {type(max_examples).__name__}")
    if max_examples < 1:
        raise ValueError(f"max_examples must be at least 1, got {max_examples}")
    if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real):
        raise TypeError(f"time_limit must be a number of seconds, got {type(time_limit).__name__}")
    if not 0 < time_limit <= MAX_TIME_LIMIT:  # NaN fails this too
        raise ValueError(
            f"time_limit must be more than 0 and at most {MAX_TIME_LIMIT:g} seconds, "
            f"got {time_limit!r}"
        )
    if isinstance(memory_limit, bool) or not isinstance(memory_limit, numbers.Integral):
        raise TypeError(f"memory_limit must be an int of bytes, got {type(memory_limit).__name__}")
    if memory_limit < MIN_MEMORY_LIMIT:
        raise ValueError(
            f"memory_limit must be at least {MIN_MEMORY_LIMIT >> 20} MiB, got {memory_limit} bytes"
        )
    return int(max_examples), float(time_limit), int(memory_limit)


def _one_line(text):
    return " ".join(text.split())[:1000]


def _expected(problem, args, timed=False):
    """The reference's answer (references leave their arguments alone); its failure is the
    judge's."""
    driver = problem.timed_call if timed else problem.call
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # overflow in a float reference is its answer
            return driver(problem.reference, *args)
    except Exception as exc:
        raise JudgeError(
            f"the reference of {problem.id} failed on "
            f"{format_arguments(problem.parameters, args, ', ')[:300]}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _failure(problem, args, expected, outcome):
    """The judge's decision on one call: None when it is right, else a failing verdict.

    ``phase`` and the counts are filled in by the caller. Only plain data reaches here.
    """
    counterexample = dict(zip(problem.parameters, args))

    def failing(status, message, actual=None, trace=""):
        return Verdict(problem.id, False, status, message, counterexample, expected, actual, trace)

    if outcome.kind == "timeout":
        return failing("timed out", f"The solution did not return within {outcome.seconds:g} s.")
    if outcome.kind == "raised":
        if outcome.error_type == "MemoryError":
            return failing(
                "memory limit exceeded",
                "The solution ran out of the memory it may use (see --memory-limit).",
                trace=outcome.traceback,
            )
        return failing("error", f"The solution raised {outcome.error}", trace=outcome.traceback)
    if outcome.kind != "returned":
        return failing("error", f"The solution failed: {outcome.error}.")
    answer = outcome.value
    after = outcome.args_after
    if _wire.foreign_in(after) is not None or not same(after, list(args)):
        return failing(
            "changed its input",
            "The solution changed its arguments; a solution must leave them as given.",
            answer,
        )
    strange = _wire.foreign_in(answer)
    if strange is not None:
        return failing(
            "wrong answer",
            f"Wrong answer: the answer holds a {strange.type_name}, which is not plain data "
            "(return plain lists, tuples, dicts, numbers, strings, None or numpy arrays).",
            answer,
        )
    try:
        reason = problem.compare(expected, answer, args)
    except Exception as exc:
        raise JudgeError(
            f"comparing an answer of {problem.id} failed: {type(exc).__name__}: {exc}"
        ) from exc
    if reason is None:
        return None
    return failing("wrong answer", f"Wrong answer: {reason}.", answer)


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
        "judge_error": None,
        "failed_at": None,
        "cut": False,
    }

    # Health checks stay on, but for generation speed, which says nothing about the judge's
    # soundness and trips on a busy machine.
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        print_blob=False,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(problem.arguments())
    def solution_agrees_with_reference(args):
        failed_at = state["failed_at"]
        if failed_at is not None and time.monotonic() - failed_at > SHRINK_SECONDS:
            state["cut"] = True
            raise _Stop()
        try:
            expected = _expected(problem, args)
            outcome = runner.run(args)
            verdict = _failure(problem, args, expected, outcome)
        except JudgeError as exc:
            state["judge_error"] = exc
            raise _Stop() from exc
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
    except _Failed:
        pass  # the failure is recorded in ``state``; hypothesis re-raised it after shrinking
    except FlakyFailure as exc:
        if state["failure"] is None:  # pragma: no cover - a flaky failure records one
            raise JudgeError(f"hypothesis: {type(exc).__name__}: {exc}") from exc
        # The solution failed on an input and passed on it again: its failure stands.
    except Exception as exc:  # the strategy, a health check, Unsatisfiable: the judge's side
        first_sentence = str(exc).strip().split(". ")[0]
        raise JudgeError(f"hypothesis: {type(exc).__name__}: {first_sentence}") from exc
    if state["judge_error"] is not None:
        raise state["judge_error"]
    verdict = state["failure"]
    if verdict is None:
        if state["passed"] == 0:
            raise JudgeError(f"no generated input of {problem.id} was compared")
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


def _check_bounds(problem, runner, verdict, answered):
    """Phase 3: the statement's bounds and the growth inputs; ``verdict`` (a pass) or a failure.

    The growth inputs are compared through ``timed_call``, the driver they are timed with (the
    heap problem's records every layout through ``call``, too much at these sizes).
    """
    families = [(b.name, b.limit, b.build, False) for b in problem.bounds]
    if problem.scaling is not None:
        families += [
            (f"growth input, {problem.size_name} = {n}", n, problem.scaling, True)
            for n in problem.sizes
        ]
    for name, limit, build, timed in families:
        failure, outcome = _try_bound(problem, runner, build, limit, timed)
        if failure is None:
            if timed:
                answered[limit] = outcome.wall
            continue
        timed_out = outcome.kind == "timeout"
        size, failure = _smallest_failing(problem, runner, build, limit, timed, failure, timed_out)
        failure.phase = "bounds"
        failure.examples_checked = verdict.examples_checked
        failure.generated_checked = verdict.generated_checked
        failure.message = (
            f"All {verdict.examples_checked} worked examples and {verdict.generated_checked} "
            f"generated inputs pass, but an input at the statement's bounds fails ({name}; "
            f"the smallest failing size found is {size}). " + failure.message
        )
        return failure
    verdict.message = (
        verdict.message.rstrip(".") + f", and so do {len(families)} inputs at "
        "the statement's bounds."
    )
    return verdict


def _try_bound(problem, runner, build, size, timed):
    """The failing verdict on the input of ``size`` of a bound (or None), and the outcome."""
    try:
        args = tuple(build(size, random.Random(size)))
    except Exception as exc:
        raise JudgeError(
            f"building the input of size {size} for {problem.id} failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    expected = _expected(problem, args, timed)
    outcome = runner.run(args, timed=timed)
    return _failure(problem, args, expected, outcome), outcome


def _smallest_failing(problem, runner, build, limit, timed, failure, timed_out):
    """Bisection on the size for a small failing input: ``(size, verdict)``.

    Failures mostly persist as inputs grow, so the smallest failing size is found; where they do
    not, the size found still fails, which is all the verdict claims.
    """
    low, high, best = 1, limit, failure
    timeouts, started = int(timed_out), time.monotonic()
    while low < high and timeouts < MAX_TIMEOUTS:
        if time.monotonic() - started > SHRINK_SECONDS:
            break
        middle = (low + high) // 2
        attempt, outcome = _try_bound(problem, runner, build, middle, timed)
        if attempt is None:
            low = middle + 1
        else:
            high, best = middle, attempt
            timeouts += outcome.kind == "timeout"
    return high, best


def _check_growth(problem, runner, verdict, answered):
    """Time solution and reference on growing inputs; too slow if the solution grows faster.

    The worker reports its times, and a worker can be made to lie. ``answered`` holds the
    judge's own wall time of one call on each input whose answer was right (phase 3), so the
    work was done. A reported time far below it (``LIE_FACTOR``) is not believed: the growth is
    then measured on the answered calls, which include the cost of sending the data (linear in
    the size), so an honest solution loses nothing and a lying one shows how its time grows.
    """
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
            if outcome.kind != "timed":
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
        if len(answered) == len(inputs) and any(
            t * LIE_FACTOR < answered[n] for (n, _), t in zip(inputs, solution_times)
        ):
            solution_times = [answered[n] for n, _ in inputs]
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
            return inputs[-1]
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


def _measure_speed(problem, largest, solution_seconds):
    """The passing solution's time on the largest growth input beside the package's kernel, and
    its rate as a fraction of this machine's limit, both measured now, in this process.

    The kernel is called once first (numba compiles on the first call). Information for the
    learner, never part of the verdict: a numpy solution is expected to trail a compiled kernel.
    """
    import numpy as np

    n, args = largest
    speed = problem.speed
    module, name = speed.kernel.rsplit(".", 1)
    kernel = getattr(importlib.import_module(module), name)
    speed.call(kernel, *args)
    kernel_seconds = time_best(speed.call, kernel, args)
    work = float(speed.work(*args))
    # The limit is timed by the wall clock, best of several runs: a BLAS that spins its threads
    # while it waits would count that spinning as CPU time.
    if speed.unit == "bytes":  # a copy of half the bytes reads and writes them all
        source = np.ones(max(1, int(work) // 16))
        target = np.empty_like(source)
        limit_seconds = _best_wall(lambda: np.copyto(target, source))
        limit_rate, limit_name = 2 * source.nbytes / limit_seconds, "np.copyto"
    else:
        a = np.ones((512, 512))
        limit_seconds = _best_wall(lambda: a @ a)
        limit_rate, limit_name = 2 * 512**3 / limit_seconds, "np.matmul"
    return {
        "n": n,
        "size_name": problem.size_name,
        "solution_seconds": solution_seconds,
        "kernel": speed.kernel,
        "kernel_seconds": kernel_seconds,
        "ratio": solution_seconds / kernel_seconds if kernel_seconds > 0 else math.inf,
        "unit": speed.unit,
        "work": work,
        "rate": work / solution_seconds if solution_seconds > 0 else math.inf,
        "limit": limit_name,
        "limit_rate": limit_rate,
        "fraction_of_limit": (work / solution_seconds) / limit_rate if solution_seconds > 0 else 0,
    }


def _best_wall(call, runs=7):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-9)


def _speed_lines(speed):
    scale, unit = (1e9, "GB/s") if speed["unit"] == "bytes" else (1e9, "GFLOP/s")
    what = "moves" if speed["unit"] == "bytes" else "does"
    amount = f"{speed['work']:.3g} {'bytes' if speed['unit'] == 'bytes' else 'FLOPs'}"
    return [
        f"Speed on {speed['size_name']} = {speed['n']}, beside the package's kernel and this "
        "machine's limit, measured now (information, not part of the verdict):",
        f"  solution {_seconds(speed['solution_seconds'])}, {speed['kernel']} "
        f"{_seconds(speed['kernel_seconds'])}: {speed['ratio']:.1f} times the package kernel's time",
        f"  the ideal kernel {what} {amount}: the solution's {speed['rate'] / scale:.3g} {unit} is "
        f"{speed['fraction_of_limit']:.1%} of this machine's {speed['limit']} rate "
        f"({speed['limit_rate'] / scale:.3g} {unit})",
    ]


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
