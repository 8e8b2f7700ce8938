"""NaN wherever a number is expected.

Every comparison with NaN is false, so a judge that asks "is the error above the tolerance?"
hears no. The judge asks the opposite question (is every error within its bound?) and requires
NaN exactly where the reference has NaN: a wrong answer.
"""

EXPECTED = ("wrong answer", "")


def cheat(name, honest, args):
    from _honest import is_array

    value = honest(*args)
    if is_array(value):
        import numpy as np

        return np.full_like(value, np.nan, dtype=np.float64)
    if isinstance(value, list):
        return [float("nan")] * max(1, len(value))
    return float("nan")


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
