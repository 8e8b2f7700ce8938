"""Allocates without bound, twice as much each time, before answering.

Without a limit this ends with the machine's OOM killer choosing a victim. The worker's address
space is limited (``--memory-limit``): the allocation fails with ``MemoryError``, and the
verdict is memory limit exceeded.
"""

EXPECTED = ("memory limit exceeded", "")


def cheat(name, honest, args):
    import numpy as np

    hoard, size = [], 64 << 20
    while True:
        hoard.append(np.empty(size, dtype=np.uint8))  # address space, not yet touched
        size *= 2


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
