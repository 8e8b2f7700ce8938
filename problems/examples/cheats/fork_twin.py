"""Forks at every call: the twin answers right at once, the solution itself answers wrong later.

Both processes hold the worker's pipes, so the twin's answer arrives first and, to a judge that
reads whatever comes next, also stands in for later calls. The judge reads only the answer
numbered for the call it made, finds the process left running after the call, and gives an
error; the worker's whole process group is killed, twins included.

When ``CHEAT_PIDS`` names a file, each twin appends its process id to it, for a test to check
that none is left.
"""

import os
import time

EXPECTED = ("error", "left another process running")


def cheat(name, honest, args):
    from wrong_past_size import tamper

    pid = os.fork()
    if pid == 0:
        record = os.environ.get("CHEAT_PIDS")
        if record:
            with open(record, "a") as f:
                f.write(f"{os.getpid()}\n")
        return honest(*args)  # the twin goes on serving the worker's loop
    time.sleep(0.2)
    return tamper(honest(*args))


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
