"""What every cheat starts from: the right answer, from the example solutions loaded by path.

A cheat is judged as a file, so the judge's worker puts this folder on ``sys.path`` and a cheat
imports this module (lazily, inside its functions: importing a cheat does nothing). The example
solutions are loaded from their files, not imported as ``problems.examples``: the worker hides
that package from solutions.

:func:`functions` turns one ``cheat(name, honest, args)`` into every function the problems ask
for, so one file holds one trick, tried on every problem.
"""

import importlib.util
import os

_EXAMPLES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Function name -> (problem id, example module): every function the catalogue asks for.
PROBLEMS = {
    "sliding_window_max": ("sliding-window-maximum", "sliding_window_maximum"),
    "maximum_gap": ("maximum-gap", "maximum_gap"),
    "combination_sum": ("combination-sum", "combination_sum"),
    "combination_sum2": ("combination-sum-ii", "combination_sum_ii"),
    "knapsack_01": ("knapsack-01", "knapsack_01"),
    "knapsack_complete": ("knapsack-complete", "knapsack_complete"),
    "knapsack_bounded": ("knapsack-bounded", "knapsack_bounded"),
    "heapify": ("heap-operations", "heap_operations"),
    "heappush": ("heap-operations", "heap_operations"),
    "heappop": ("heap-operations", "heap_operations"),
    "count_ngrams": ("ngram-counting", "ngram_counting"),
    "softmax": ("online-softmax", "online_softmax"),
    "attention": ("blocked-attention", "blocked_attention"),
    "prefix_scan": ("prefix-scan", "prefix_scan"),
    "linear_recurrence": ("linear-recurrence", "linear_recurrence"),
    "rope": ("rope", "rope"),
    "linear_attention": ("linear-attention", "linear_attention"),
    "selective_scan": ("selective-scan", "selective_scan"),
}

# The largest size hypothesis draws for each problem (see each problem's strategy): a cheat that
# misbehaves only above it is invisible to the generated inputs, and must be caught at the
# statement's bounds.
SMALL = {
    "sliding-window-maximum": 60,
    "maximum-gap": 60,
    "combination-sum": 30,
    "combination-sum-ii": 20,
    "knapsack-01": 40,
    "knapsack-complete": 40,
    "knapsack-bounded": 40,
    "heap-operations": 40,  # 20 initial items and 20 pushes
    "ngram-counting": 30,
    "online-softmax": 40,
    "blocked-attention": 36,
    "prefix-scan": 40,
    "linear-recurrence": 40,
    "rope": 48,  # x of at most 6 x 8
    "linear-attention": 32,  # q, k of at most 8 x 4
    "selective-scan": 24,  # u, delta of at most 3 x 8
}

_loaded = {}


def example(module_name):
    """The example solution ``problems/examples/<module_name>.py``, loaded from its file."""
    if module_name not in _loaded:
        path = os.path.join(_EXAMPLES, module_name + ".py")
        spec = importlib.util.spec_from_file_location("_honest_" + module_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[module_name] = module
    return _loaded[module_name]


def is_array(value):
    """A numpy array, told without importing numpy (a list problem's worker never does)."""
    return type(value).__module__ == "numpy" and hasattr(value, "shape")


def honest(name):
    """The example solution's function ``name``."""
    return getattr(example(PROBLEMS[name][1]), name)


def size(args):
    """How large a call is: the longest list or array among the arguments, or the largest
    integer argument (a capacity, a target, a window)."""
    largest = 0
    for arg in args:
        if isinstance(arg, bool):
            continue
        if isinstance(arg, int):
            largest = max(largest, abs(arg))
        elif hasattr(arg, "size") and hasattr(arg, "shape"):
            largest = max(largest, int(arg.size))
        elif isinstance(arg, (list, tuple)):
            largest = max(largest, len(arg))
    return largest


def large(name, args):
    """True when the call is larger than anything hypothesis draws for the problem."""
    return size(args) > SMALL[PROBLEMS[name][0]]


def functions(cheat):
    """A module ``__getattr__`` that gives every problem's function, each calling
    ``cheat(name, honest_function, args)``."""

    def lookup(name):
        if name not in PROBLEMS:
            raise AttributeError(name)

        def function(*args):
            return cheat(name, honest(name), args)

        function.__name__ = name
        return function

    return lookup
