"""The answer as a subclass of its own type that says it equals anything and holds nothing.

A list subclass whose ``__iter__`` is empty and whose ``__eq__`` is always true (it once made
the judge's comparison raise ``StopIteration``), an int subclass equal to everything, a dict
subclass whose storage is empty but whose methods show the right items, an ndarray subclass
whose comparisons are always true. The judge reads none of their methods: a subclass is not
plain data, a wrong answer that names the type.
"""

import numpy as np

EXPECTED = ("wrong answer", "not plain data")


class Items(list):
    def __iter__(self):
        return iter(())

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None


class Number(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class Counts(dict):
    def __init__(self, shown):
        super().__init__()  # the storage stays empty
        self.shown = dict(shown)

    def items(self):
        return self.shown.items()

    def keys(self):
        return self.shown.keys()

    def __getitem__(self, key):
        return self.shown[key]

    def __eq__(self, other):
        return True


class Array(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)


def dress(value):
    if isinstance(value, np.ndarray):
        return np.zeros_like(value).view(Array)
    if isinstance(value, list):
        return Items()
    if isinstance(value, dict):
        return Counts(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Number(value + 1)
    return Number(0)  # heapify and heappush return None: a Number stands in


def cheat(name, honest, args):
    return dress(honest(*args))


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
