"""Replaces the checks a worker could make, then changes its input.

It makes ``problems._problem.same`` say yes to everything and ``problems._wire.foreign_in`` find
nothing, in the worker, then reverses (or shifts) its first argument. Nothing in the worker
decides anything: it reports the arguments as they are after the call, and the judge compares
them with the ones it sent. The verdict: the solution changed its input.
"""

import sys

EXPECTED = ("changed its input", "")


def cheat(name, honest, args):
    from _honest import is_array

    for module_name, function_name, replacement in (
        ("problems._problem", "same", lambda *a: True),
        ("problems._problem", "_same", lambda *a: True),
        ("problems._wire", "foreign_in", lambda value: None),
    ):
        module = sys.modules.get(module_name)
        if module is not None:
            setattr(module, function_name, replacement)
    value = honest(*args)
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
