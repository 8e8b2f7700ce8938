"""An answer whose unpickling ends the process with exit status 0, and that equals anything.

Against a judge that unpickles answers, ``__reduce__`` runs in the judge: it exits with status
0 before printing a verdict, which a script takes for success. The judge reads plain data only:
the object is a foreign type, a wrong answer.
"""

import os

EXPECTED = ("wrong answer", "not plain data")


class Answer:
    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (os._exit, (0,))

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def cheat(name, honest, args):
    return Answer(honest(*args))


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
