"""Right answers, but a long input is changed in place (reversed, or its first value shifted).

Hypothesis draws short inputs only, so the change is never seen there; the inputs at the
statement's bounds are long. The verdict: the solution changed its input, shown at the smallest
size that does it.
"""

import sys

EXPECTED = ("changed its input", "")


def cheat(name, honest, args):
    from _honest import is_array, large

    value = honest(*args)
    if not large(name, args):
        return value
    target = args[0]
    if name in ("heapify", "heappush", "heappop"):
        target = sys._getframe(2).f_locals["initial"]  # the driver's argument, not its copy
    if is_array(target):
        target[0] += 1.0
    elif isinstance(target, list):
        target.append(target[0] if target else 0)
    return value


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
