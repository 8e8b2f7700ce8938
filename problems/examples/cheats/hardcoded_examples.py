"""The statement's worked examples, answered from a table; anything else gets a guess.

A judge that tries the worked examples only is fooled. The generated inputs are not in the
table: a wrong answer on the first of them (the heap's functions, called one operation at a
time, cannot look their examples up: they do nothing and fail at once).
"""

import numpy as np

EXPECTED = ("wrong answer", "")


def cheat(name, honest, args):
    from _honest import PROBLEMS

    import problems
    from problems._problem import same

    problem = problems.get(PROBLEMS[name][0])
    for example in problem.examples:
        if same(list(example.args), list(args)):
            return example.expected
    if name == "heappop":
        return args[0].pop()
    if name in ("heapify", "heappush"):
        if name == "heappush":
            args[0].append(args[1])
        return None
    guess = problem.examples[0].expected
    if isinstance(guess, np.ndarray):
        return np.zeros(np.shape(args[0])[:1] + guess.shape[1:])
    return type(guess)()


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
