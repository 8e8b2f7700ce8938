"""Ends its process with exit status 0 in the middle of a call (``sys.exit(0)``).

``SystemExit`` is not an ``Exception``: it ends the worker. A judge that took a clean exit for
success would pass it; the call has no answer, and the verdict is an error.
"""

import sys

EXPECTED = ("error", "ended the worker process")


def cheat(name, honest, args):
    sys.exit(0)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
