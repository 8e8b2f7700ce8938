"""Canonical solutions to classic problems: readable first, fast where arrays make sense.

Each name is imported from its topic module on first use, so ``import algos`` stays cheap and
one topic's numba kernels are compiled only when that topic is used.
"""

from importlib import import_module

_EXPORTS = {
    "sliding_window": ["sliding_window_max", "sliding_window_min", "MaxQueue", "MinQueue"],
    "max_gap": ["maximum_gap"],
    "combinations": [
        "combination_sum",
        "combination_sum2",
        "iter_combination_sum",
        "iter_combination_sum2",
    ],
    "knapsack": [
        "knapsack_01",
        "knapsack_complete",
        "knapsack_bounded",
        "knapsack_01_items",
        "knapsack_complete_items",
    ],
    "ngram": ["ngrams", "count_ngrams", "count_ngrams_array", "NGramModel", "ngram_similarity"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = set(_EXPORTS) | {"heap"}

__all__ = sorted(_MODULE_OF) + ["heap"]


def __getattr__(name: str) -> object:
    if name in _MODULE_OF:
        value = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    elif name in _SUBMODULES:
        value = import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
