"""Closes every file descriptor of its process above stderr, then answers right.

The worker's pipes to the judge are among them: the answer can never be sent, the worker ends,
and the verdict is an error.
"""

import os

EXPECTED = ("error", "ended the worker process")


def cheat(name, honest, args):
    value = honest(*args)
    os.closerange(3, 4096)
    return value


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
