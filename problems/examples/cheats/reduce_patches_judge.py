"""An answer whose unpickling patches the judge so that every call counts as right.

``__reduce__`` returns ``exec`` and a program that replaces the judge's decision function and
makes every verdict a pass. The judge never unpickles what the worker sends: the object arrives
as the name of its type, a wrong answer, and the judge is untouched.
"""

EXPECTED = ("wrong answer", "not plain data")

_PATCH = """
import sys
judge = sys.modules.get("problems.judge")
if judge is not None:
    judge._failure = lambda *args: None
    judge.Verdict.passed = True
"""


class Answer:
    def __reduce__(self):
        return (exec, (_PATCH,))

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def cheat(name, honest, args):
    honest(*args)
    return Answer()


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
