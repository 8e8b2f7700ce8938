"""Right on every input hypothesis draws, wrong on larger ones (a longer list, a larger
capacity or target): a value dropped, a count or total off by one, a float off by a millionth.

The inputs at the statement's bounds are larger: a wrong answer, at the smallest size found by
bisection, which is just past the sizes hypothesis draws.
"""

EXPECTED = ("wrong answer", "bounds")


def tamper(value):
    if type(value).__module__ == "numpy":
        value = value.copy()
        value.flat[-1] = value.flat[-1] * (1 + 1e-6) + 1e-6
        return value
    if isinstance(value, list):
        return value[:-1] if value else [[0]]
    if isinstance(value, dict):
        return {**value, ("<none>",): 1}
    if isinstance(value, int):
        return value + 1
    return value


def cheat(name, honest, args):
    from _honest import large

    if name == "heapify" and large(name, args):
        return None  # leaves the list as it was: not the heap heapq makes
    value = honest(*args)
    return tamper(value) if large(name, args) else value


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
