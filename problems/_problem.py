"""What a practice problem is made of, and the ways of comparing an answer with the reference.

A :class:`Problem` holds everything the judge needs: the statement a learner reads, the worked
examples, the reference (imported lazily, so the catalogue loads before the topic modules it
points at), a hypothesis strategy for the arguments, inputs at the statement's bounds, a
comparison, and a generator of growing inputs for the complexity check.

The comparisons see plain data only (:mod:`problems._wire`: lists, tuples, dicts, numbers,
strings, None, numpy arrays), whatever the solution returned, and never raise on a malformed
answer: they say what is wrong with it. Float answers are compared within the error bounds of
:mod:`kernels.tolerances`, computed from the problem's inputs.
"""

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from problems import _wire


@dataclass(frozen=True)
class Example:
    """A worked example: the arguments, in the order of the signature, and the expected answer."""

    args: tuple
    expected: Any
    explanation: str = ""


@dataclass(frozen=True)
class Bound:
    """Inputs at one of the statement's bounds, as a family indexed by a size.

    ``build(size, rng)`` returns the arguments of that size (``rng`` a ``random.Random``);
    ``limit`` is the size at the bound. The judge compares the answers at ``limit``, and on a
    failure bisects on the size to show the smallest failing input of the family.
    """

    name: str
    limit: int
    build: Callable


@dataclass(frozen=True)
class Speed:
    """How a kernel problem's passing solution is timed beside the package's own kernel.

    ``kernel`` is the dotted name of the package function (``"kernels.softmax"``),
    ``call(kernel, *args)`` runs it on the problem's arguments, and ``work(*args)`` is what the
    ideal kernel must do on them: the bytes it must read and write (``unit="bytes"``, compared
    with the machine's copy rate) or its floating-point operations (``unit="flops"``, compared
    with the machine's matrix-multiply rate).
    """

    kernel: str
    call: Callable
    work: Callable
    unit: str = "bytes"


@dataclass(frozen=True)
class Problem:
    """One practice problem.

    ``arguments()`` builds the hypothesis strategy of argument tuples (built on demand, so the
    catalogue stays cheap to import). ``compare(expected, actual, args)`` returns ``None`` when
    the answer is right and a one-line reason otherwise (``args``, the arguments of the call,
    size a float tolerance). ``call(solution, *args)`` runs a solution on
    arguments; it must be a top-level function, since the judge sends it to a worker process.
    ``timed_call`` does the same for the complexity check (it may skip recording what ``call``
    records for the comparison).
    ``scaling(n, rng)`` builds the arguments of size ``n`` for the complexity check, and
    ``growth`` is the exponent of the reference's cost in ``n`` (1 for linear time), the least
    growth a solution is allowed. ``bounds`` are the :class:`Bound` families of inputs at the
    statement's constraints. ``speed`` (kernel problems) says how a passing solution is timed
    beside the package's kernel and the machine's limit: information, never a verdict.
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
    bounds: tuple = ()
    speed: Speed | None = None

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


def exact(expected, actual, args=None):
    """Exact equality, with the type family checked (a list is not a tuple, 1.0 is not True)."""
    if same(expected, actual):
        return None
    if type(expected) is list and type(actual) is list:
        if len(actual) != len(expected):
            return f"the answer has {len(actual)} values, expected {len(expected)}"
        i = next(i for i, (e, a) in enumerate(zip(expected, actual)) if not _same(e, a))
        return f"answer[{i}] is {show(actual[i])}, expected {show(expected[i])}"
    return f"the answer is {show(actual, 200)}, expected {show(expected, 200)}"


def unordered_combinations(expected, actual, args=None):
    """Lists of combinations compared as sets of multisets; a combination listed twice is wrong."""
    if type(actual) not in (list, tuple):
        return f"expected a list of combinations, got {type(actual).__name__}"
    seen = set()
    for combination in actual:
        if type(combination) not in (list, tuple) or not all(type(x) is int for x in combination):
            return f"every combination must be a list of integers, got {show(combination, 100)}"
        key = tuple(sorted(combination))
        if key in seen:
            return f"the combination {list(key)} is listed twice"
        seen.add(key)
    wanted = {tuple(sorted(c)) for c in expected}
    missing = sorted(wanted - seen)
    extra = sorted(seen - wanted)
    if missing:
        return f"missing combination {list(missing[0])}"
    if extra:
        return f"{list(extra[0])} is not a valid combination"
    return None


def same_counts(expected, actual, args=None):
    """Mappings from item to count, equal as dicts (a Counter and a dict may be compared)."""
    if not isinstance(actual, dict):  # plain dicts from a worker; a Counter from a reference
        return f"expected a mapping from n-gram to count, got {type(actual).__name__}"
    for key, count in actual.items():
        if type(count) is not int:
            return f"the count of {show(key, 100)} is {show(count, 100)}, not an integer"
    actual = {k: v for k, v in actual.items() if v != 0}
    expected = dict(expected)
    for key in sorted(set(expected) | set(actual), key=repr):
        if expected.get(key, 0) != actual.get(key, 0):
            return f"count of {key!r}: expected {expected.get(key, 0)}, got {actual.get(key, 0)}"
    return None


def within_bound(bound):
    """A comparison of float arrays within ``bound(args, dtype)`` of :mod:`kernels.tolerances`.

    The answer must be a numpy array of the expected shape and dtype; NaN and infinities must
    sit where the reference has them, and every finite value within the bound, an elementwise
    error bound derived from the conditioning of the computation on these very inputs.
    """

    def close(expected, actual, args):
        import numpy as np

        from kernels.tolerances import compare

        expected = np.asarray(expected)
        if type(actual) is not np.ndarray:
            return f"expected a numpy array, got {type(actual).__name__}"
        if actual.shape != expected.shape:
            return f"shape {actual.shape}, expected {expected.shape}"
        if actual.dtype != expected.dtype:
            return f"dtype {actual.dtype}, expected {expected.dtype}"
        return compare(actual, expected, bound(args, expected.dtype))

    return close


def same(x, y):
    """Deep equality that treats NaN as equal to NaN and checks numpy arrays by value and dtype.

    Plain data with the same encoding is the same; anything else is compared item by item.
    """
    return _wire.same_text(x, y) or _same(x, y)


def _same(x, y):
    np = sys.modules.get("numpy")  # (no value is a numpy object before numpy is imported)
    if np is not None and (isinstance(x, np.ndarray) or isinstance(y, np.ndarray)):
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
    numpy_numbers = () if np is None else (np.integer, np.floating)
    if (
        isinstance(x, (int, float))
        and isinstance(y, (int, float, *numpy_numbers))
        and isinstance(x, float) != isinstance(y, (float, *numpy_numbers[1:]))
    ):
        return False
    try:
        return bool(x == y)
    except Exception:
        return False


# ---------------------------------------------------------------------------------------------
# Display.


def show(value, limit=2000):
    """A value as a learner would type it (arrays as ``np.array([...])``), cut at ``limit``."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        body = repr(value.tolist())
        dtype = "" if value.dtype == np.float64 else f", dtype=np.{value.dtype}"
        text = f"np.array({body}{dtype})"
    else:
        try:
            text = repr(value)
        except ValueError:  # an int of more than 4300 digits has no repr
            text = f"<{type(value).__name__} too large to show>"
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text) - limit} more characters)"
    return text


def format_arguments(parameters, args, separator="\n"):
    """``name = value`` for each argument."""
    return separator.join(f"{name} = {show(value)}" for name, value in zip(parameters, args))
