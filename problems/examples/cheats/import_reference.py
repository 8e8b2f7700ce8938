"""The package's own reference, called through the catalogue (``problems.get(id).reference``).

The references live in ``algos`` and ``kernels`` (and for the heap, ``algos.heap`` is the
package's own copy of ``heapq``). The worker hides those packages from solutions: the import
fails, and the verdict is an error that says why.
"""

EXPECTED = ("error", "may not import")


def cheat(name, honest, args):
    from _honest import PROBLEMS

    import problems

    if PROBLEMS[name][0] == "heap-operations":
        # The problem's reference is the standard library, which a solution may use; the
        # package's own reimplementation is what this cheat reaches for.
        from algos import heap

        return getattr(heap, name)(*args)
    return problems.get(PROBLEMS[name][0]).reference(*args)


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
