"""Running a learner's solution under a time limit, in a worker process.

The judge never calls a solution in its own process when it can avoid it: a solution that loops
forever would hang it. The solution is loaded in a worker (from its file, or imported by module
and qualified name) and each call is a message on a pipe, answered within the time limit or the
worker is killed and started again. A call costs a pickle round trip and the copies below,
about 0.1 ms (95 us measured for a 30-element list on a busy two-core machine), so the few
hundred calls of a hypothesis run stay cheap; starting a worker costs about 0.4 s, paid once
per check and again after each time-out. The worker also deep-copies the arguments before each
call and compares them afterwards, to report a solution that changes its input.

Passing the pipes to the worker uses ``subprocess``'s ``pass_fds``, which is POSIX only.

A callable that cannot be found again by import (a lambda, a closure, a function defined in
``__main__``) runs in a thread of the judge instead: a call past the limit is reported as timed
out, but the thread cannot be stopped and keeps running in the background, so the judge stops
at the first time-out.
"""

import copy
import gc
import importlib
import importlib.util
import os
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from problems._problem import same

LOAD_TIME_LIMIT = 60.0  # importing numpy/numba in a fresh worker can take seconds


class SolutionError(ValueError):
    """The solution cannot be loaded: no such file, no such function, not callable."""


@dataclass
class Outcome:
    """What one call of the solution did."""

    kind: str  # "ok", "error", "timeout", "mutated"
    value: Any = None
    seconds: float = 0.0
    error: str = ""
    traceback: str = ""


# ---------------------------------------------------------------------------------------------
# Loading a solution (in the worker, or in the judge for the thread fallback).


def load(spec, names):
    """The solution named by ``spec``: ``("file", path, attr)`` or ``("import", module, attr)``.

    ``names`` are the functions the problem asks for: one function, looked up when ``attr`` is
    None; or several (``heapify``, ``heappush``, ...), looked up on the module or on ``attr``.
    """
    kind, where, attr = spec
    if kind == "file":
        if not os.path.isfile(where):
            raise SolutionError(f"no such file: {where}")
        name = "_solution_" + os.path.splitext(os.path.basename(where))[0].replace("-", "_")
        module_spec = importlib.util.spec_from_file_location(name, where)
        if module_spec is None:
            raise SolutionError(f"cannot load {where} as a Python module")
        module = importlib.util.module_from_spec(module_spec)
        sys.path.insert(0, os.path.dirname(os.path.abspath(where)))
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException as exc:
            raise SolutionError(
                f"{where} raised {type(exc).__name__} while loading: {exc}"
            ) from exc
    else:
        try:
            module = importlib.import_module(where)
        except BaseException as exc:
            raise SolutionError(f"cannot import {where}: {exc}") from exc
    target = module
    if attr is not None:
        for part in attr.split("."):
            if not hasattr(target, part):
                raise SolutionError(f"{where} has no {attr!r}")
            target = getattr(target, part)
        if len(names) == 1 and names[0] is not None:
            if not callable(target):
                raise SolutionError(f"{attr!r} in {where} is not callable")
            return target
    elif len(names) == 1:
        if not hasattr(module, names[0]):
            raise SolutionError(f"{where} has no function {names[0]!r}")
        target = getattr(module, names[0])
        if not callable(target):
            raise SolutionError(f"{names[0]!r} in {where} is not callable")
        return target
    missing = [n for n in names if not callable(getattr(target, n, None))]
    if missing:
        raise SolutionError(
            f"{where} has no function {missing[0]!r} (the problem asks for {', '.join(names)})"
        )
    return target


def run_once(call, solution, args):
    """Call the solution once; the answer, the time, and whether the arguments were changed."""
    before = copy.deepcopy(args)
    start = time.perf_counter()
    try:
        value = call(solution, *args)
    except Exception as exc:
        return Outcome(
            "error",
            error=f"{type(exc).__name__}: {exc}",
            traceback=_solution_traceback(exc),
            seconds=time.perf_counter() - start,
        )
    seconds = time.perf_counter() - start
    if not same(before, args):
        return Outcome("mutated", value=value, seconds=seconds)
    return Outcome("ok", value=value, seconds=seconds)


def time_best(call, solution, args, min_runs=5, max_seconds=1.0):
    """Best CPU time of several calls, each on a fresh copy of the arguments.

    CPU time of the process (``time.process_time``), not wall time: on a busy machine a run
    that loses its core to another process would otherwise look slower, and more so the longer
    it runs, which bends the growth curve. The garbage collector is paused while timing, as
    ``timeit`` does, and the minimum is the least noisy estimate.
    """
    best, total, runs = float("inf"), 0.0, 0
    while runs < min_runs or (total < 0.1 and runs < 50):
        fresh = copy.deepcopy(args)
        collecting = gc.isenabled()
        gc.disable()
        try:
            start = time.process_time()
            call(solution, *fresh)
            elapsed = time.process_time() - start
        finally:
            if collecting:
                gc.enable()
        best, total, runs = min(best, elapsed), total + elapsed, runs + 1
        if total > max_seconds or elapsed > 0.25:
            break  # long runs are timed well enough once: their noise is relatively small
    return best


def _solution_traceback(exc):
    """The traceback without the judge's own frames."""
    frames = traceback.extract_tb(exc.__traceback__)
    here = os.path.dirname(os.path.abspath(__file__))
    kept = [
        f
        for f in frames
        if not os.path.abspath(f.filename).startswith(here + os.sep) or "examples" in f.filename
    ]
    lines = traceback.format_list(kept or frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "Traceback (most recent call last):\n" + "".join(lines)


def serve(reader, writer):
    """The worker's loop: load the solution, then answer calls until told to stop."""
    sys.path[:0] = [p for p in reader.recv() if p not in sys.path]  # the judge's import path
    call, timed_call, spec, names = reader.recv()
    try:
        solution = load(spec, names)
    except SolutionError as exc:
        writer.send(("load-error", str(exc)))
        return
    writer.send(("ready", None))
    while True:
        try:
            message = reader.recv()
        except EOFError:
            return
        if message[0] == "stop":
            return
        if message[0] == "call":
            outcome = run_once(call, solution, message[1])
        else:
            try:
                outcome = Outcome("ok", seconds=time_best(timed_call, solution, message[1]))
            except Exception as exc:
                outcome = Outcome(
                    "error",
                    error=f"{type(exc).__name__}: {exc}",
                    traceback=_solution_traceback(exc),
                )
        try:
            writer.send(outcome)
        except Exception as exc:  # an answer that cannot be pickled back
            writer.send(
                Outcome(
                    "error",
                    error=f"the answer cannot be sent back to the judge: "
                    f"{type(exc).__name__}: {exc}",
                )
            )


def main(read_fd, write_fd):
    """Entry point of the worker process (``python -c``), talking on two pipes."""
    serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False))


# ---------------------------------------------------------------------------------------------
# The judge's side.

# The worker is a fresh interpreter started with subprocess, not a multiprocessing child: the
# "spawn" and "forkserver" methods run the parent's main script again in the child, which a
# learner's unguarded script (or a REPL session) does not survive, and "fork" copies whatever
# threads and state the judge holds.
_WORKER = "import sys; from problems._sandbox import main; main(int(sys.argv[1]), int(sys.argv[2]))"
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ProcessRunner:
    """Calls the solution in a worker process; a call past ``time_limit`` kills the worker."""

    in_process = False

    def __init__(self, calls, spec, names, time_limit):
        (self.call, self.timed_call), self.spec, self.names = calls, spec, names
        self.time_limit = time_limit
        self._process = self._reader = self._writer = None
        self._start()

    def _start(self):
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [_PACKAGE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        )
        # The solution's own output is discarded: hundreds of calls would bury the verdict.
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(child_read), str(child_write)],
            pass_fds=(child_read, child_write),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_read)
        os.close(child_write)
        self._reader = Connection(parent_read, writable=False)
        self._writer = Connection(parent_write, readable=False)
        try:
            self._writer.send([p for p in sys.path if p])
            self._writer.send((self.call, self.timed_call, self.spec, self.names))
        except OSError:
            pass  # the worker died at once; reported below
        if not self._reader.poll(LOAD_TIME_LIMIT):
            self.close()
            raise SolutionError(f"loading the solution took more than {LOAD_TIME_LIMIT:g} s")
        try:
            kind, detail = self._reader.recv()
        except EOFError:
            self.close()
            raise SolutionError("the worker process died while loading the solution") from None
        if kind == "load-error":
            self.close()
            raise SolutionError(detail)

    def _ask(self, message, limit):
        if self._process is None:
            self._start()
        try:
            self._writer.send(message)
        except Exception as exc:
            return Outcome("error", error=f"the arguments cannot be sent to the worker: {exc}")
        if self._reader.poll(limit):
            try:
                return self._reader.recv()
            except EOFError:
                pass
            code = self.close()
            return Outcome(
                "error", error=f"the solution ended the worker process (exit status {code})"
            )
        self.close()
        return Outcome("timeout", seconds=limit)

    def run(self, args):
        return self._ask(("call", args), self.time_limit)

    def time(self, args, limit):
        return self._ask(("time", args), limit)

    def close(self):
        """Stop the worker (kill it if it does not stop at once); its exit status."""
        code = None
        if self._process is not None:
            try:
                self._writer.send(("stop",))
            except Exception:
                pass
            try:
                code = self._process.wait(0.2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                code = self._process.wait()
            self._reader.close()
            self._writer.close()
        self._process = self._reader = self._writer = None
        return code


class ThreadRunner:
    """Calls an in-process callable in a thread: the fallback for what cannot be imported."""

    in_process = True

    def __init__(self, calls, solution, time_limit):
        (self.call, self.timed_call), self.solution, self.time_limit = calls, solution, time_limit

    def _in_thread(self, function, limit):
        box = {}

        def target():
            box["outcome"] = function()

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(limit)
        if thread.is_alive():
            return Outcome("timeout", seconds=limit)
        return box["outcome"]

    def run(self, args):
        return self._in_thread(lambda: run_once(self.call, self.solution, args), self.time_limit)

    def time(self, args, limit):
        def timed():
            try:
                return Outcome("ok", seconds=time_best(self.timed_call, self.solution, args))
            except Exception as exc:
                return Outcome(
                    "error",
                    error=f"{type(exc).__name__}: {exc}",
                    traceback=_solution_traceback(exc),
                )

        return self._in_thread(timed, limit)

    def close(self):
        pass


def import_spec(solution):
    """``("import", module, qualname)`` when the callable or module can be imported again by
    name in another process, else None."""
    if isinstance(solution, type(sys)):
        name = solution.__name__
        return ("import", name, None) if name != "__main__" else None
    module = getattr(solution, "__module__", None)
    qualname = getattr(solution, "__qualname__", None)
    if not module or not qualname or module == "__main__" or "<" in qualname:
        return None
    try:
        target = importlib.import_module(module)
        for part in qualname.split("."):
            target = getattr(target, part)
    except Exception:
        return None
    return ("import", module, qualname) if target is solution else None


def make_runner(calls, solution, names, time_limit):
    """A runner for ``solution``: a ``(kind, where, attr)`` spec, a module or a callable.

    ``calls`` is the pair of drivers ``(call, timed_call)`` of the problem."""
    if isinstance(solution, tuple):
        return ProcessRunner(calls, solution, names, time_limit)
    spec = import_spec(solution)
    if spec is not None:
        try:
            return ProcessRunner(calls, spec, names, time_limit)
        except SolutionError:
            pass  # importable here but not in a fresh process (a test module, say): use a thread
    if len(names) == 1 and not isinstance(solution, type(sys)):
        if not callable(solution):
            raise SolutionError(f"the solution must be callable, got {type(solution).__name__}")
    else:
        missing = [n for n in names if not callable(getattr(solution, n, None))]
        if missing:
            raise SolutionError(
                f"the solution has no function {missing[0]!r} "
                f"(the problem asks for {', '.join(names)})"
            )
    return ThreadRunner(calls, solution, time_limit)
