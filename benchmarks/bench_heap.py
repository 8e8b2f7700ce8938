"""algos.heap beside the standard library's heapq: its pure-Python module and its C module.

Each class times one workload three ways in one run, so the ratios come from the same machine
state: ``time_ours`` (algos.heap), ``time_stdlib_python`` (Lib/heapq.py with the C accelerator
blocked: the same algorithms, the target is at most 1.1x its time) and ``time_stdlib_c`` (the
``heapq`` everyone imports; reported, not a target). Random floats, sizes 1e3 and 1e5.
``track_ratio_to_stdlib_python`` is ours over the pure-Python module's time, the median over
alternating runs in one process, so the asv history shows the distance to the 1.1 goal.
"""

import heapq as stdlib_c
import importlib.util
import random
import sys

from algos import heap as ours

from ._ratio import median_ratio


def _pure_python_heapq():
    """Load Lib/heapq.py afresh with ``_heapq`` blocked, leaving ``sys.modules`` as it was."""
    spec = importlib.util.find_spec("heapq")
    saved = sys.modules.get("_heapq")
    sys.modules["_heapq"] = None  # makes "from _heapq import *" fail: pure Python stays
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["_heapq"]
        else:
            sys.modules["_heapq"] = saved
    return module


stdlib_python = _pure_python_heapq()
SIZES = [1_000, 100_000]


def _random_floats(n, seed=0):
    rng = random.Random(seed)
    return [rng.random() for _ in range(n)]


class _Versus:
    params = [SIZES]
    param_names = ["n"]

    def setup(self, n):
        self.data = _random_floats(n)

    def time_ours(self, n):
        self.run(ours)

    def time_stdlib_python(self, n):
        self.run(stdlib_python)

    def time_stdlib_c(self, n):
        self.run(stdlib_c)

    def track_ratio_to_stdlib_python(self, n):
        return median_ratio(lambda: self.run(ours), lambda: self.run(stdlib_python), rounds=9)

    track_ratio_to_stdlib_python.unit = "ratio"


class HeapifyThenPopAll(_Versus):
    """heapify(n items), then n heappop: a heapsort, the sink's workload."""

    def run(self, module):
        h = list(self.data)
        module.heapify(h)
        pop = module.heappop
        for _ in range(len(h)):
            pop(h)


class PushAll(_Versus):
    """n heappush onto an empty heap: the rise's workload."""

    def run(self, module):
        h = []
        push = module.heappush
        for x in self.data:
            push(h, x)


class PushPopStream(_Versus):
    """Keep the 100 largest of a stream with heappushpop: mostly one comparison per item."""

    def run(self, module):
        h = self.data[:100]
        module.heapify(h)
        pushpop = module.heappushpop
        for x in self.data:
            pushpop(h, x)


class MaxHeapPushThenPopAll:
    """n heappush_max then n heappop_max; the stdlib's C module has them from Python 3.14 only."""

    params = [SIZES]
    param_names = ["n"]

    def setup(self, n):
        self.data = _random_floats(n)

    def time_ours(self, n):
        h = []
        push, pop = ours.heappush_max, ours.heappop_max
        for x in self.data:
            push(h, x)
        for _ in range(len(h)):
            pop(h)

    def time_stdlib_python(self, n):
        h = []
        push, pop = _STDLIB_PUSH_MAX, _STDLIB_POP_MAX
        for x in self.data:
            push(h, x)
        for _ in range(len(h)):
            pop(h)

    def track_ratio_to_stdlib_python(self, n):
        return median_ratio(lambda: self.time_ours(n), lambda: self.time_stdlib_python(n), rounds=9)

    track_ratio_to_stdlib_python.unit = "ratio"


def _stdlib_push_max(h, item):
    # Before Python 3.14 the pure module has the max-heap sifts only as private helpers.
    h.append(item)
    stdlib_python._siftdown_max(h, 0, len(h) - 1)


_STDLIB_PUSH_MAX = getattr(stdlib_python, "heappush_max", _stdlib_push_max)
_STDLIB_POP_MAX = getattr(stdlib_python, "heappop_max", None) or stdlib_python._heappop_max


class NSmallest(_Versus):
    """The 10 smallest of n items (one pass, a max-heap of 10)."""

    def run(self, module):
        module.nsmallest(10, self.data)


class NLargestWithKey(_Versus):
    """The 100 largest of n items by a key."""

    def run(self, module):
        module.nlargest(100, self.data, key=abs)


class Merge(_Versus):
    """Merge 8 sorted runs holding n items in all."""

    def setup(self, n):
        data = _random_floats(n)
        self.runs = [sorted(data[i::8]) for i in range(8)]

    def run(self, module):
        for _ in module.merge(*self.runs):
            pass


class MergeReverseWithKey(_Versus):
    """Merge 8 runs sorted descending by a key, holding n items in all."""

    def setup(self, n):
        data = _random_floats(n)
        self.runs = [sorted(data[i::8], key=abs, reverse=True) for i in range(8)]

    def run(self, module):
        for _ in module.merge(*self.runs, key=abs, reverse=True):
            pass
