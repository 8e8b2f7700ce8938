"""What a practice problem is made of, and the ways of comparing an answer with the reference.

A :class:`Problem` holds everything the judge needs: the statement a learner reads, the worked
examples, the reference (imported lazily, so the catalogue loads before the topic modules it
points at), a hypothesis strategy for the arguments, a comparison, and a generator of growing
inputs for the complexity check.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Example:
    """A worked example: the arguments, in the order of the signature, and the expected answer."""

    args: tuple
    expected: Any
    explanation: str = ""


@dataclass(frozen=True)
class Problem:
    """One practice problem.

    ``arguments()`` builds the hypothesis strategy of argument tuples (built on demand, so the
    catalogue stays cheap to import). ``compare(expected, actual)`` returns ``None`` when the
    answer is right and a one-line reason otherwise. ``call(solution, *args)`` runs a solution on
    arguments; it must be a top-level function, since the judge sends it to a worker process.
    ``timed_call`` does the same for the complexity check (it may skip recording what ``call``
    records for the comparison).
    ``scaling(n, rng)`` builds the arguments of size ``n`` for the complexity check, and
    ``growth`` is the exponent of the reference's cost in ``n`` (1 for linear time), the least
    growth a solution is allowed.
    """

    id: str
    title: str
    statement: str
    signature: str
    parameters: tuple
    examples: tuple
    reference: Callable
    arguments: Callable
    compare: Callable
    aliases: tuple = ()
    function_name: str | None = None
    solution_names: tuple = ()
    call: Callable | None = None
    timed_call: Callable | None = None
    scaling: Callable | None = None
    sizes: tuple = ()
    size_name: str = "n"
    growth: float | None = None
    family: str = ""
    notes: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.call is None:
            object.__setattr__(self, "call", call_function)
        if self.timed_call is None:
            object.__setattr__(self, "timed_call", self.call)
        if not self.solution_names:
            object.__setattr__(self, "solution_names", (self.function_name,))

    @property
    def names(self):
        """The id and its aliases."""
        return (self.id, *self.aliases)

    def describe(self):
        """The statement with the signature and the worked examples, as Markdown."""
        parts = [
            f"# {self.title} (`{self.id}`" + "".join(f", `{a}`" for a in self.aliases) + ")",
            "",
            self.statement.strip(),
            "",
            "## Signature",
            "",
            "```python",
            self.signature.strip(),
            "```",
            "",
            "## Examples",
            "",
        ]
        for number, example in enumerate(self.examples, 1):
            parts.append(f"Example {number}:")
            parts.append("")
            parts.append("```text")
            parts.append("Input:  " + format_arguments(self.parameters, example.args, ", "))
            parts.append("Output: " + show(example.expected))
            parts.append("```")
            if example.explanation:
                parts.append(example.explanation)
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"


def call_function(solution, *args):
    """The usual driver: the solution is a function of the problem's arguments."""
    return solution(*args)


# ---------------------------------------------------------------------------------------------
# Comparisons: None when the answer is right, else why not.


def exact(expected, actual):
    """Exact equality, with the type family checked (a list is not a tuple, 1.0 is not True)."""
    if _same(expected, actual):
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return f"the answer has {len(actual)} values, expected {len(expected)}"
        i = next(i for i, (e, a) in enumerate(zip(expected, actual)) if not _same(e, a))
        return f"answer[{i}] is {show(actual[i])}, expected {show(expected[i])}"
    return f"the answer is {show(actual, 200)}, expected {show(expected, 200)}"


def unordered_combinations(expected, actual):
    """Lists of combinations compared as sets of multisets; a combination listed twice is wrong."""
    if not isinstance(actual, (list, tuple)):
        return f"expected a list of combinations, got {type(actual).__name__}"
    try:
        normal = [sorted(c) for c in actual]
    except TypeError:
        return "every combination must be a list of numbers"
    seen = set()
    for combination in normal:
        key = tuple(combination)
        if key in seen:
            return f"the combination {combination} is listed twice"
        seen.add(key)
    wanted = {tuple(sorted(c)) for c in expected}
    missing = sorted(wanted - seen)
    extra = sorted(seen - wanted)
    if missing:
        return f"missing combination {list(missing[0])}"
    if extra:
        return f"{list(extra[0])} is not a valid combination"
    return None


def same_counts(expected, actual):
    """Mappings from item to count, equal as dicts (a Counter and a dict may be compared)."""
    if not hasattr(actual, "items"):
        return f"expected a mapping from n-gram to count, got {type(actual).__name__}"
    actual = {k: v for k, v in actual.items() if v != 0}
    expected = dict(expected)
    for key in sorted(set(expected) | set(actual), key=repr):
        if expected.get(key, 0) != actual.get(key, 0):
            return f"count of {key!r}: expected {expected.get(key, 0)}, got {actual.get(key, 0)}"
    return None


# Relative tolerance per dtype, measured against the scale of the expected output: float64
# leaves room for a different summation order (n ulps, not 1), the others are the usual ones.
TOLERANCE = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-5, np.dtype(np.float16): 1e-2}


def close_by_dtype(expected, actual):
    """Arrays of the same shape and dtype, equal within the dtype's tolerance.

    NaN and infinities must sit in the same places; finite values may differ by
    ``tol * (|expected| + scale)``, where ``scale`` is the largest finite ``|expected|``.
    """
    expected = np.asarray(expected)
    if not isinstance(actual, np.ndarray):
        return f"expected a numpy array, got {type(actual).__name__}"
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    tol = TOLERANCE.get(expected.dtype, 0.0)
    e_nan, a_nan = np.isnan(expected), np.isnan(actual)
    if not np.array_equal(e_nan, a_nan):
        index = tuple(int(i) for i in np.argwhere(e_nan != a_nan)[0])
        return f"NaN mismatch at index {index}: expected {expected[index]!r}, got {actual[index]!r}"
    e_inf = np.isinf(expected)
    if not np.array_equal(expected[e_inf], actual[e_inf]) or np.isinf(actual[~e_inf]).any():
        return "infinities differ from the expected answer"
    finite = ~(e_nan | e_inf)
    if not finite.any():
        return None
    e, a = expected[finite].astype(np.float64), actual[finite].astype(np.float64)
    scale = float(np.max(np.abs(e)))
    error = np.abs(a - e)
    bad = error > tol * (np.abs(e) + scale)
    if bad.any():
        worst = int(np.argmax(error - tol * (np.abs(e) + scale)))
        return (
            f"largest error {error[worst]:.3g} exceeds the {expected.dtype} tolerance "
            f"(relative {tol:g} of the output's scale {scale:.3g})"
        )
    return None


def _same(x, y):
    """Deep equality that treats NaN as equal to NaN and checks numpy arrays by value and dtype."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return (
            isinstance(x, np.ndarray)
            and isinstance(y, np.ndarray)
            and x.dtype == y.dtype
            and x.shape == y.shape
            and np.array_equal(x, y, equal_nan=x.dtype.kind in "fc")
        )
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y))
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, bool) or isinstance(y, bool):
        return type(x) is type(y) and x == y
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    if (
        isinstance(x, (int, float))
        and isinstance(y, (int, float, np.integer, np.floating))
        and isinstance(x, float) != isinstance(y, (float, np.floating))
    ):
        return False
    try:
        return bool(x == y)
    except Exception:
        return False


same = _same


# ---------------------------------------------------------------------------------------------
# Display.


def show(value, limit=2000):
    """A value as a learner would type it (arrays as ``np.array([...])``), cut at ``limit``."""
    if isinstance(value, np.ndarray):
        body = repr(value.tolist())
        dtype = "" if value.dtype == np.float64 else f", dtype=np.{value.dtype}"
        text = f"np.array({body}{dtype})"
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text) - limit} more characters)"
    return text


def format_arguments(parameters, args, separator="\n"):
    """``name = value`` for each argument."""
    return separator.join(f"{name} = {show(value)}" for name, value in zip(parameters, args))
