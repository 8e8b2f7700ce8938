"""Allocates without bound, 64 MiB at a time, before answering.

Without a limit this ends with the machine's OOM killer choosing a victim. The worker's address
space is limited (``--memory-limit``): the allocation fails with ``MemoryError``, and the
verdict is memory limit exceeded.
"""

EXPECTED = ("memory limit exceeded", "")


def cheat(name, honest, args):
    hoard = []
    while True:
        hoard.append(bytearray(64 << 20))


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
