"""A masked array of zeros with every value masked.

Every comparison with a masked value is masked, and a masked value is falsy: a judge that asks
``(error > tolerance).any()`` of a fully masked array hears no. An all-masked array of zeros
passed all four kernel problems that way. A masked array is not plain data: a wrong answer.
"""

EXPECTED = ("wrong answer", "not plain data")


def cheat(name, honest, args):
    import numpy as np

    value = honest(*args)
    shape = np.shape(value) if isinstance(value, np.ndarray) else (1,)
    return np.ma.masked_all(shape, dtype=np.float64)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
