"""The statement's worked examples, answered from a table copied out of ``show``; anything
else gets a guess.

A judge that tries the worked examples only is fooled. The generated inputs are not in the
table: a wrong answer on the first of them (the heap's functions, called one operation at a
time, cannot look their examples up: they do no work, and fail at once).
"""

import numpy as np

EXPECTED = ("wrong answer", "")

TABLE = [
    (
        "sliding_window_max",
        (
            [1, 3, -1, -3, 5, 3, 6, 7],
            3,
        ),
        [3, 3, 5, 5, 6, 7],
    ),
    (
        "sliding_window_max",
        (
            [1],
            1,
        ),
        [1],
    ),
    (
        "sliding_window_max",
        (
            [9, 8, 7, 6],
            4,
        ),
        [9],
    ),
    ("maximum_gap", ([3, 6, 9, 1],), 3),
    ("maximum_gap", ([10],), 0),
    ("maximum_gap", ([1, 1, 1, 5],), 4),
    (
        "combination_sum",
        (
            [2, 3, 6, 7],
            7,
        ),
        [[2, 2, 3], [7]],
    ),
    (
        "combination_sum",
        (
            [2, 3, 5],
            8,
        ),
        [[2, 2, 2, 2], [2, 3, 3], [3, 5]],
    ),
    (
        "combination_sum",
        (
            [2],
            1,
        ),
        [],
    ),
    (
        "combination_sum2",
        (
            [10, 1, 2, 7, 6, 1, 5],
            8,
        ),
        [[1, 1, 6], [1, 2, 5], [1, 7], [2, 6]],
    ),
    (
        "combination_sum2",
        (
            [2, 5, 2, 1, 2],
            5,
        ),
        [[1, 2, 2], [5]],
    ),
    (
        "knapsack_01",
        (
            [1, 3, 4],
            [15, 20, 30],
            4,
        ),
        35,
    ),
    (
        "knapsack_01",
        (
            [2, 3],
            [5, 6],
            1,
        ),
        0,
    ),
    (
        "knapsack_01",
        (
            [1],
            [7],
            3,
        ),
        7,
    ),
    (
        "knapsack_complete",
        (
            [1, 3, 4],
            [15, 20, 30],
            4,
        ),
        60,
    ),
    (
        "knapsack_complete",
        (
            [2, 3],
            [5, 6],
            1,
        ),
        0,
    ),
    (
        "knapsack_complete",
        (
            [5, 3],
            [10, 7],
            11,
        ),
        24,
    ),
    (
        "knapsack_bounded",
        (
            [1, 3, 4],
            [15, 20, 30],
            [2, 1, 1],
            4,
        ),
        35,
    ),
    (
        "knapsack_bounded",
        (
            [2],
            [3],
            [3],
            10,
        ),
        9,
    ),
    (
        "knapsack_bounded",
        (
            [5, 3],
            [10, 7],
            [1, 1],
            2,
        ),
        0,
    ),
    (
        "count_ngrams",
        (
            ["to", "be", "or", "not", "to", "be"],
            2,
        ),
        {("to", "be"): 2, ("be", "or"): 1, ("or", "not"): 1, ("not", "to"): 1},
    ),
    (
        "count_ngrams",
        (
            ["a", "a", "a"],
            2,
        ),
        {("a", "a"): 2},
    ),
    (
        "count_ngrams",
        (
            ["a"],
            1,
        ),
        {("a",): 1},
    ),
    ("softmax", (np.array([0.0, 0.0]),), np.array([0.5, 0.5])),
    ("softmax", (np.array([1000.0, 1000.0, 1000.0, 1000.0]),), np.array([0.25, 0.25, 0.25, 0.25])),
    ("softmax", (np.array([0.0, 1.0986122886681098]),), np.array([0.25, 0.75])),
    (
        "attention",
        (
            np.array([[0.0]]),
            np.array([[1.0], [2.0]]),
            np.array([[1.0], [3.0]]),
            False,
        ),
        np.array([[2.0]]),
    ),
    (
        "attention",
        (
            np.array([[0.0], [0.0]]),
            np.array([[1.0], [2.0]]),
            np.array([[1.0], [3.0]]),
            True,
        ),
        np.array([[1.0], [2.0]]),
    ),
    (
        "prefix_scan",
        (
            np.array([1.0, 2.0, 3.0, 4.0]),
            "add",
            True,
        ),
        np.array([1.0, 3.0, 6.0, 10.0]),
    ),
    (
        "prefix_scan",
        (
            np.array([1.0, 2.0, 3.0, 4.0]),
            "add",
            False,
        ),
        np.array([0.0, 1.0, 3.0, 6.0]),
    ),
    (
        "prefix_scan",
        (
            np.array([3.0, 1.0, 4.0, 1.0]),
            "max",
            False,
        ),
        np.array([-np.inf, 3.0, 3.0, 4.0]),
    ),
    (
        "prefix_scan",
        (
            np.array([2.0, -1.0, 3.0]),
            "mul",
            True,
        ),
        np.array([2.0, -2.0, -6.0]),
    ),
    (
        "linear_recurrence",
        (
            np.array([1.0, 1.0, 1.0]),
            np.array([1.0, 2.0, 3.0]),
            0.0,
        ),
        np.array([1.0, 3.0, 6.0]),
    ),
    (
        "linear_recurrence",
        (
            np.array([0.5, 0.5]),
            np.array([0.0, 0.0]),
            8.0,
        ),
        np.array([4.0, 2.0]),
    ),
    (
        "linear_recurrence",
        (
            np.array([2.0, 0.0, 3.0]),
            np.array([1.0, 5.0, 1.0]),
            1.0,
        ),
        np.array([3.0, 5.0, 16.0]),
    ),
    (
        "rope",
        (
            np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float64),
            np.array([0, 1], dtype=np.int64),
            10000.0,
            True,
        ),
        np.array([[1.0, 0.0], [0.5403023058681398, 0.8414709848078965]], dtype=np.float64),
    ),
    (
        "rope",
        (
            np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float64),
            np.array([0], dtype=np.int64),
            10000.0,
            False,
        ),
        np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float64),
    ),
    (
        "rope",
        (
            np.array([[0.0, 1.0, 1.0, 0.0]], dtype=np.float64),
            np.array([2], dtype=np.int64),
            4.0,
            False,
        ),
        np.array(
            [[-0.9092974268256817, 0.5403023058681398, -0.4161468365471424, 0.8414709848078965]],
            dtype=np.float64,
        ),
    ),
    (
        "linear_attention",
        (
            np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=np.float64),
            np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=np.float64),
            np.array([[3.0], [6.0], [9.0]], dtype=np.float64),
            False,
        ),
        np.array([[6.0], [6.0], [6.0]], dtype=np.float64),
    ),
    (
        "linear_attention",
        (
            np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=np.float64),
            np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=np.float64),
            np.array([[3.0], [6.0], [9.0]], dtype=np.float64),
            True,
        ),
        np.array([[3.0], [4.5], [6.0]], dtype=np.float64),
    ),
    (
        "linear_attention",
        (
            np.array([[1.0], [1.0]], dtype=np.float64),
            np.array([[1.0], [0.0]], dtype=np.float64),
            np.array([[4.0], [1.0]], dtype=np.float64),
            True,
        ),
        np.array([[4.0], [3.0]], dtype=np.float64),
    ),
    (
        "selective_scan",
        (
            np.array([[1.0, 1.0, 1.0]], dtype=np.float64),
            np.array(
                [[0.6931471805599453, 0.6931471805599453, 0.6931471805599453]], dtype=np.float64
            ),
            np.array([[-1.0]], dtype=np.float64),
            np.array(
                [[1.4426950408889634, 1.4426950408889634, 1.4426950408889634]], dtype=np.float64
            ),
            np.array([[1.0, 1.0, 1.0]], dtype=np.float64),
            np.array([0.0], dtype=np.float64),
        ),
        np.array([[1.0, 1.5, 1.75]], dtype=np.float64),
    ),
    (
        "selective_scan",
        (
            np.array([[2.0, 5.0, 7.0]], dtype=np.float64),
            np.array([[1.0, 0.0, 0.0]], dtype=np.float64),
            np.array([[-1.0]], dtype=np.float64),
            np.array([[1.0, 1.0, 1.0]], dtype=np.float64),
            np.array([[1.0, 1.0, 1.0]], dtype=np.float64),
            np.array([1.0], dtype=np.float64),
        ),
        np.array([[4.0, 7.0, 9.0]], dtype=np.float64),
    ),
]


def cheat(name, honest, args):
    from problems._problem import same

    for function, known, answer in TABLE:
        if function == name and same(list(known), list(args)):
            return answer
    if name == "heappop":
        return args[0].pop()
    if name == "heappush":
        args[0].append(args[1])
        return None
    if name == "heapify":
        return None
    guesses = [answer for function, _, answer in TABLE if function == name]
    if isinstance(guesses[0], np.ndarray):
        return np.zeros(np.shape(args[0]))
    return type(guesses[0])()


def __getattr__(name):
    try:
        from _honest import functions
    except ImportError:
        raise AttributeError(name) from None
    return functions(cheat)(name)
