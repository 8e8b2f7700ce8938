"""Serial or parallel: the one place where ``algos`` chooses, by input size alone.

Waking numba's worker threads costs a fixed amount per parallel region, which only a large
input repays; below ``PARALLEL_MIN_SIZE`` values the serial form runs. How many threads the
parallel form uses is the user's choice, through numba's usual controls (``NUMBA_NUM_THREADS``,
``numba.set_num_threads``); nothing here looks at the machine or its load. The threshold is a
round size, not a measurement: ``benchmarks/bench_max_gap.py`` and
``benchmarks/bench_sliding_window.py`` time both forms around it.

Each kernel that has both forms is written once, with ``numba.prange``, and compiled twice by
:func:`serial_and_parallel`: with ``parallel=False`` numba runs ``prange`` as ``range``.
"""

import types
from collections.abc import Callable
from typing import Any, NamedTuple

import numba

__all__ = ["PARALLEL_MIN_SIZE", "KernelPair", "serial_and_parallel", "use_parallel"]

PARALLEL_MIN_SIZE = 1 << 20


def use_parallel(n: int) -> bool:
    """Whether an input of ``n`` values takes the parallel form of a kernel."""
    return n >= PARALLEL_MIN_SIZE


class KernelPair(NamedTuple):
    """One kernel compiled serially and in parallel."""

    serial: Callable[..., Any]
    parallel: Callable[..., Any]

    def for_size(self, n: int) -> Callable[..., Any]:
        """The form to run on an input of ``n`` values."""
        return self.parallel if use_parallel(n) else self.serial


def serial_and_parallel(py_func: Callable[..., Any]) -> KernelPair:
    """Compile ``py_func`` (written with ``numba.prange``) serially and in parallel.

    numba's on-disk cache keys a function by its qualified name and bytecode, not by the
    ``parallel`` option, so the parallel form is compiled from a renamed twin of the function:
    otherwise the two forms would overwrite each other's cache entry.
    """
    twin = types.FunctionType(
        py_func.__code__,
        py_func.__globals__,
        py_func.__name__ + "_parallel",
        py_func.__defaults__,
        py_func.__closure__,
    )
    twin.__qualname__ = py_func.__qualname__ + "_parallel"
    twin.__doc__ = py_func.__doc__
    twin.__module__ = py_func.__module__
    return KernelPair(
        serial=numba.njit(cache=True)(py_func),
        parallel=numba.njit(cache=True, parallel=True)(twin),
    )
