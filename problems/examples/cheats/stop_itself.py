"""Stops its own process (``SIGSTOP``): a stopped worker neither answers nor dies.

The call is cut at the time limit and the worker's process group killed (``SIGKILL`` ends a
stopped process too): timed out.
"""

import os
import signal

EXPECTED = ("timed out", "")


def cheat(name, honest, args):
    os.kill(os.getpid(), signal.SIGSTOP)
    return honest(*args)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
