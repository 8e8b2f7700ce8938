"""Serial or parallel: the one place where a CPU kernel's form is chosen, by input size alone.

Starting numba's worker threads and splitting the work costs a fixed amount per call, so a small
input runs on one thread and a large one on all of them. The choice depends on the input only:
how many threads "all of them" is stays the user's, through numba's usual controls
(``NUMBA_NUM_THREADS``, ``numba.set_num_threads``).

Each kernel is written once: :func:`njit_serial_and_parallel` compiles the same function with
``parallel=False`` (where ``numba.prange`` is a plain ``range``) and with ``parallel=True``.
"""

import functools
import types
from typing import Any, NamedTuple

import numba

__all__ = [
    "PARALLEL_MIN",
    "SerialParallel",
    "njit_serial_and_parallel",
    "one_blas_thread",
    "worth_parallel",
]

# Below this many elements in all, one thread does everything: waking the pool costs more than the
# pass itself. The benchmarks time both sides of it (benchmarks/bench_scan.py).
PARALLEL_MIN = 1 << 18


def worth_parallel(size: int, tasks: int) -> bool:
    """True when ``size`` elements in all, split into ``tasks`` independent pieces, go parallel."""
    return tasks > 1 and size >= PARALLEL_MIN


class SerialParallel(NamedTuple):
    """One kernel compiled twice: ``serial`` and ``parallel``."""

    serial: Any
    parallel: Any

    def for_work(self, size: int, tasks: int):
        """The form for ``size`` elements in ``tasks`` independent pieces."""
        return self.parallel if worth_parallel(size, tasks) else self.serial


class one_blas_thread:
    """Hold BLAS to one thread while numba's threads call it, so that BLAS's own threads do not
    fight numba's for the cores (two numba threads each starting a multithreaded OpenBLAS call
    wait on each other's pool: a product of a few microseconds then takes milliseconds)."""

    def __enter__(self):
        self._limits = _blas_controller().limit(limits=1, user_api="blas")
        return self

    def __exit__(self, *exc):
        self._limits.restore_original_limits()


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries, taken once: a fresh look
    (``threadpool_limits``) scans every loaded library, near a millisecond per call. The BLAS that
    numba's ``np.dot`` calls, scipy's, is loaded first so that the view includes it."""
    import scipy.linalg.cython_blas  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def njit_serial_and_parallel(**options):
    """Decorator: ``numba.njit(**options)`` the function both ways into a :class:`SerialParallel`.

    The parallel twin gets its own qualified name, so that numba's on-disk cache (keyed by the
    function's name) keeps the two compilations apart.
    """

    def decorate(func):
        twin = types.FunctionType(
            func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
        )
        twin.__qualname__ = f"{func.__qualname__}_parallel"
        twin.__doc__ = func.__doc__
        return SerialParallel(
            numba.njit(parallel=False, **options)(func),
            numba.njit(parallel=True, **options)(twin),
        )

    return decorate
