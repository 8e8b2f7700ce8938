"""The answer inside a numpy array of Python objects, each one an object equal to anything.

An array of dtype object holds pointers to objects of the solution; made from raw bytes in the
judge it would be a forged pointer. The judge takes arrays of booleans and numbers only: an
array of objects is not plain data, a wrong answer.
"""

EXPECTED = ("wrong answer", "not plain data")


class Anything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def cheat(name, honest, args):
    import numpy as np

    value = honest(*args)
    out = np.empty(np.shape(value) if isinstance(value, np.ndarray) else (1,), dtype=object)
    out.fill(Anything())
    return out


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
