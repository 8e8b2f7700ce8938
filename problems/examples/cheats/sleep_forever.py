"""Never returns. The call is cut at the time limit and the worker killed: timed out."""

import time

EXPECTED = ("timed out", "")


def cheat(name, honest, args):
    while True:
        time.sleep(3600)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
