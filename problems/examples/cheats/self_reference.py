"""An answer that contains itself: a list whose last item is the list.

Walking it never ends; the worker refuses to send anything nested deeper than the judge allows,
and the verdict is an error that says the answer cannot be sent back.
"""

EXPECTED = ("error", "cannot be sent back")


def cheat(name, honest, args):
    value = honest(*args)
    loop = [value]
    loop.append(loop)
    return loop


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
