"""Writes its own reply on the worker's pipe to the judge: a pickle that would patch the judge.

The worker's pipe to the judge is its second command-line argument. A judge that unpickled its
replies would run the pickle's program. The judge reads JSON that can only describe plain data:
the forged frame is not a reply, and the verdict is an error.
"""

import os
import pickle
import sys

EXPECTED = ("error", "reply")

_PATCH = "import sys; sys.modules['problems.judge']._failure = lambda *args: None"


class Patch:
    def __reduce__(self):
        return (exec, (_PATCH,))


def cheat(name, honest, args):
    body = pickle.dumps(Patch())
    os.write(int(sys.argv[2]), len(body).to_bytes(8, "big") + body)
    return honest(*args)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
