"""The package's example solution, imported by name (``problems.examples.<module>``).

The worker hides ``problems.examples`` from solutions: the import fails, an error that says why.
"""

import importlib

EXPECTED = ("error", "may not import")


def cheat(name, honest, args):
    from _honest import PROBLEMS

    module = importlib.import_module("problems.examples." + PROBLEMS[name][1])
    return getattr(module, name)(*args)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
