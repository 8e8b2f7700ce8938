"""A practice catalogue and a local judge that shows the smallest failing input.

Each problem lives in its own module of this package (statement, worked examples, reference,
hypothesis strategy, comparison, scaling inputs); the judge is :mod:`problems.judge`.

>>> import problems
>>> problems.get("lc239").title
'Sliding Window Maximum'
>>> problems.get("lc239") is problems.get("sliding-window-maximum")
True
>>> len(problems.catalog())
16
"""

import difflib
import os
from importlib import import_module

from problems._problem import Bound, Example, Problem
from problems._sandbox import MEMORY_LIMIT, SolutionError
from problems.kernel_ladder import KernelProblem, ladder

__all__ = [
    "Bound",
    "Example",
    "KernelProblem",
    "Problem",
    "SolutionError",
    "Timing",
    "UnknownProblemError",
    "Verdict",
    "catalog",
    "check",
    "get",
    "ladder",
]

# The catalogue, in the order ``python -m problems list`` shows it.
_MODULES = [
    "sliding_window_maximum",
    "maximum_gap",
    "combination_sum",
    "combination_sum_ii",
    "knapsack_01",
    "knapsack_complete",
    "knapsack_bounded",
    "heap_operations",
    "ngram_counting",
    "online_softmax",
    "blocked_attention",
    "prefix_scan",
    "linear_recurrence",
    "rope",
    "linear_attention",
    "selective_scan",
]
_CATALOG = None


def __getattr__(name):
    # The judge (and hypothesis with it) loads on first use: a worker process never needs it,
    # and starts faster without it.
    if name in ("Timing", "Verdict"):
        from problems import judge

        return getattr(judge, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UnknownProblemError(KeyError):
    """No problem has that id or alias."""

    def __str__(self):
        return self.args[0] if self.args else ""


def catalog():
    """Every problem, in catalogue order."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = [import_module(f"{__name__}.{name}").PROBLEM for name in _MODULES]
    return list(_CATALOG)


def get(problem_id):
    """The problem with this id (``sliding-window-maximum``) or alias (``lc239``, ``239``)."""
    if isinstance(problem_id, (Problem, KernelProblem)):
        return problem_id
    if not isinstance(problem_id, str):
        raise TypeError(f"problem_id must be a str, got {type(problem_id).__name__}")
    wanted = problem_id.strip().lower().replace("_", "-")
    names = {}
    for problem in catalog():
        for name in problem.names:
            names[name] = problem
        for alias in problem.aliases:
            if alias.startswith("lc"):
                names[alias[2:]] = problem
    names.update({name: problem for problem in ladder() for name in problem.names})
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownProblemError(
        f"unknown problem {problem_id!r}: {hint}known problems: "
        + ", ".join(p.id for p in catalog())
    )


def check(
    problem_id,
    solution,
    *,
    max_examples=200,
    time_limit=3.0,
    complexity=True,
    seed=None,
    memory_limit=MEMORY_LIMIT,
):
    """Judge ``solution`` on a problem and return a :class:`Verdict`.

    ``solution`` is a callable (or a module), or a path ``"FILE[:FUNCTION]"`` whose function is
    loaded in a worker process; without ``:FUNCTION`` the function named in the problem's
    signature is judged. Problems that ask for several functions (``heap-operations``) take a
    module, a file, or an object that has them.

    Each call runs under ``time_limit`` seconds (a finite number, more than 0), in a worker
    process where it may allocate ``memory_limit`` bytes of address space; ``max_examples`` (at least
    1) inputs are drawn by hypothesis; ``complexity=False`` skips the timing on growing inputs.
    Bad options raise ``TypeError`` or ``ValueError`` before any work. A failure on the judge's
    side is a verdict with status ``"judge error"``, never a pass.
    """
    from problems.judge import check as _check
    from problems.judge import validate_options

    validate_options(max_examples, time_limit, memory_limit)
    problem = get(problem_id)
    if isinstance(problem, KernelProblem):  # judged in the CUDA simulator, in a worker process
        from problems.cuda_check import check_kernel

        return check_kernel(problem, solution_spec(os.fspath(solution))[1], seed=seed)
    if isinstance(solution, (str, os.PathLike)):
        solution = solution_spec(os.fspath(solution))
    return _check(
        problem,
        solution,
        max_examples=max_examples,
        time_limit=time_limit,
        complexity=complexity,
        seed=seed,
        memory_limit=memory_limit,
    )


def solution_spec(text):
    """``"FILE[:FUNCTION]"`` as a ``("file", path, function_or_None)`` spec."""
    path, attr = text, None
    head, sep, tail = text.rpartition(":")
    if (
        sep
        and tail.replace(".", "").replace("_", "").isalnum()
        and not tail[:1].isdigit()
        and not os.path.isfile(text)
    ):
        path, attr = head, tail
    if not os.path.isfile(path):
        raise SolutionError(f"no such file: {path}")
    return ("file", os.path.abspath(path), attr)
