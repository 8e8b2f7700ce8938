"""The package's own reference, imported by name from ``algos`` or ``kernels.reference``.

The worker hides those packages from solutions: the import fails, and the verdict is an error
that says why. (For the heap the problem's reference is the standard library's ``heapq``,
which a solution may use; this cheat reaches for ``algos.heap``, the package's own copy.)
"""

import importlib

EXPECTED = ("error", "may not import")

REFERENCES = {
    "sliding_window_max": ("algos", "sliding_window_max"),
    "maximum_gap": ("algos", "maximum_gap"),
    "combination_sum": ("algos", "combination_sum"),
    "combination_sum2": ("algos", "combination_sum2"),
    "knapsack_01": ("algos", "knapsack_01"),
    "knapsack_complete": ("algos", "knapsack_complete"),
    "knapsack_bounded": ("algos", "knapsack_bounded"),
    "heapify": ("algos.heap", "heapify"),
    "heappush": ("algos.heap", "heappush"),
    "heappop": ("algos.heap", "heappop"),
    "count_ngrams": ("algos", "count_ngrams"),
    "softmax": ("kernels.reference", "softmax"),
    "attention": ("kernels.reference", "attention"),
    "prefix_scan": ("kernels.reference", "scan"),
    "linear_recurrence": ("kernels.reference", "linear_recurrence"),
    "rope": ("kernels.reference", "rope"),
    "linear_attention": ("kernels.reference", "linear_attention"),
    "selective_scan": ("kernels.reference", "selective_scan"),
}


def cheat(name, honest, args):
    module, function = REFERENCES[name]
    return getattr(importlib.import_module(module), function)(*args)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
