"""Running a learner's solution under a time limit and a memory limit, in a worker process.

The judge never calls a solution in its own process when it can avoid it: a solution that loops
forever would hang it, and one that returns a cunning object could take it over. The solution is
loaded in a worker process (from its file, or imported by module and qualified name) and each
call is a message on a pipe, answered within the time limit or the worker is killed and started
again. Starting a worker costs about a third of a second, paid once per check and again after
each time-out; a call costs a round trip on the pipe.

What the worker owns and what the judge owns:

- The worker is the solution's territory: the solution can change any of its code. So the
  worker only reports, and reports only plain data (:mod:`problems._wire`): the answer and the
  arguments as they were after the call. The judge decides (:mod:`problems.judge`): it compares
  the answer with the reference, and the arguments after the call with the ones it sent.
- Every message carries the number of its call, and the judge reads only the answer to the call
  it made: a solution that forks cannot make its twin's answer count for another call. A
  process left running after a call (a fork) is itself an error, and the worker runs in a
  process group of its own, killed as a group.
- The worker limits its own address space (``RLIMIT_AS``) to ``memory_limit`` bytes more than
  it holds once Python and numpy are loaded, before it loads the solution, so a solution that
  allocates without bound gets a ``MemoryError`` (the judge's "memory limit exceeded") instead
  of the machine's OOM killer.
- The packages that hold the judge's references (``algos``, ``kernels``, the example solutions)
  cannot be imported by the solution in the worker. This stops the plain import of a reference,
  not a determined copy of its source: no process-level judge can police what a program reads
  from disk. Likewise a solution that rewrites the worker can make it misreport the arguments
  after the call or its own timings; the answers it returns are its answers all the same.

Passing the pipes to the worker uses ``subprocess``'s ``pass_fds`` and process groups, which are
POSIX only; finding a process left running after a call reads ``/proc`` (Linux).

A callable that cannot be found again by import (a lambda, a closure, a function defined in
``__main__``) runs in a thread of the judge instead: a call past the limit is reported as timed
out, but the thread cannot be stopped and keeps running in the background, so the judge stops
at the first time-out. The caller's own code then runs in the judge's process, by the caller's
choice; its answers still go through the same plain-data encoding before they are compared.
"""

import copy
import gc
import importlib
import importlib.abc
import importlib.util
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

from problems import _wire

LOAD_TIME_LIMIT = 60.0  # importing numpy/numba in a fresh worker can take seconds
MEMORY_LIMIT = 4 << 30  # bytes of address space for the solution; numba alone reserves ~0.3 GiB
# The packages that hold reference solutions, hidden from the solution in the worker.
HIDDEN_PACKAGES = ("algos", "kernels", "problems.examples")


class SolutionError(ValueError):
    """The solution cannot be loaded: no such file, no such function, not callable."""


@dataclass
class Outcome:
    """What one call of the solution did, as reported; the judge decides what it means.

    ``kind`` is ``"returned"`` (``value`` and ``args_after`` hold plain data), ``"raised"``
    (``error`` is ``"Type: message"``, ``error_type`` the type's name), ``"timeout"``,
    ``"died"`` (the worker ended), ``"malformed"`` (the reply could not be read, or the answer
    could not be sent), ``"spawned"`` (a process was left running), or ``"timed"`` (a timing:
    ``seconds`` as the worker reports it, ``wall`` as the judge's clock measured the request).
    """

    kind: str
    value: Any = None
    args_after: Any = None
    seconds: float = 0.0
    error: str = ""
    error_type: str = ""
    traceback: str = ""
    wall: float = 0.0


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


MAX_TIMED_RUNS = 50


def time_best(call, solution, args, min_runs=5, max_seconds=1.0):
    """Best CPU time of several calls, each on a fresh copy of the arguments.

    CPU time of the process (``time.process_time``), not wall time: on a busy machine a run
    that loses its core to another process would otherwise look slower, and more so the longer
    it runs, which bends the growth curve. The garbage collector is paused while timing, as
    ``timeit`` does, and the minimum is the least noisy estimate.
    """
    best, total, runs = float("inf"), 0.0, 0
    while runs < min_runs or (total < 0.1 and runs < MAX_TIMED_RUNS):
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


# ---------------------------------------------------------------------------------------------
# The worker's side.


def call_and_report(call, solution, args):
    """Call the solution once; the reply as plain data (everything but the call's number)."""
    start = time.perf_counter()
    try:
        value = call(solution, *args)
    except Exception as exc:
        seconds = time.perf_counter() - start
        return ["raised", seconds, _describe(exc), _kind(exc), _solution_traceback(exc)]
    seconds = time.perf_counter() - start
    try:
        return ["returned", seconds, _wire.encode(value), _wire.encode(list(args))]
    except Exception as exc:  # nested too deep, or an encoding the solution broke
        return ["unsendable", seconds, f"{type(exc).__name__}: {exc}"]


def time_and_report(timed_call, solution, args):
    try:
        return ["timed", time_best(timed_call, solution, args)]
    except Exception as exc:
        return ["raised", 0.0, _describe(exc), _kind(exc), _solution_traceback(exc)]


def _kind(exc):
    """The name of the built-in exception type ``exc`` is (numpy's ``_ArrayMemoryError`` is a
    ``MemoryError``)."""
    for kind in type(exc).__mro__:
        if kind.__module__ == "builtins":
            return kind.__name__
    return "Exception"


def _describe(exc):
    try:
        return f"{type(exc).__name__}: {exc}"
    except Exception:  # a __str__ that raises
        return f"{type(exc).__name__} (its message cannot be shown)"


class _HiddenPackages(importlib.abc.MetaPathFinder):
    """Refuses to import the packages that hold reference solutions."""

    def find_spec(self, name, path=None, target=None):
        if any(name == p or name.startswith(p + ".") for p in HIDDEN_PACKAGES):
            raise ImportError(
                f"a solution may not import {name}: it holds the judge's reference solutions"
            )
        return None


def _hide_reference_packages():
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in HIDDEN_PACKAGES):
            del sys.modules[name]
    sys.meta_path.insert(0, _HiddenPackages())


def _limit_memory(limit):
    """Allow the solution ``limit`` more bytes of address space than the worker holds now.

    numpy is loaded first: OpenBLAS reserves address space for a thread per core, which on a
    machine of many cores would exceed any fixed limit before the solution allocated a byte.
    """
    import resource

    try:
        import numpy  # noqa: F401
    except ImportError:
        pass
    try:
        with open("/proc/self/statm") as f:
            held = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        held = 0
    limit += held
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def serve(read_fd, write_fd, memory_limit):
    """The worker's loop: load the solution, then answer numbered calls until killed."""

    def receive():
        body = _wire.read_frame(read_fd)
        return pickle.loads(body)  # from the judge, which the worker trusts

    def reply(number, message):
        _wire.write_frame(write_fd, _wire.dumps([number, *message]))

    sys.path[:0] = [p for p in receive() if p not in sys.path]  # the judge's import path
    call, timed_call, spec, names = receive()
    _limit_memory(memory_limit)
    _hide_reference_packages()
    try:
        solution = load(spec, names)
    except SolutionError as exc:
        reply(0, ["load-error", str(exc)])
        return
    except MemoryError:
        reply(0, ["load-error", "loading the solution exceeded the memory limit"])
        return
    reply(0, ["ready"])
    while True:
        try:
            kind, number, args = receive()
        except EOFError:
            return
        if kind == "call":
            reply(number, call_and_report(call, solution, args))
        elif kind == "call-timed":
            reply(number, call_and_report(timed_call, solution, args))
        else:
            reply(number, time_and_report(timed_call, solution, args))


def main(read_fd, write_fd, memory_limit):
    """Entry point of the worker process (``python -c``), talking on two pipes."""
    serve(read_fd, write_fd, memory_limit)


# ---------------------------------------------------------------------------------------------
# The judge's side.

# The worker is a fresh interpreter started with subprocess, not a multiprocessing child: the
# "spawn" and "forkserver" methods run the parent's main script again in the child, which a
# learner's unguarded script (or a REPL session) does not survive, and "fork" copies whatever
# threads and state the judge holds.
_WORKER = (
    "import sys; from problems._sandbox import main; "
    "main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))"
)
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ProcessRunner:
    """Calls the solution in a worker process; a call past ``time_limit`` kills the worker."""

    in_process = False

    def __init__(self, calls, spec, names, time_limit, memory_limit=MEMORY_LIMIT):
        (self.call, self.timed_call), self.spec, self.names = calls, spec, names
        self.time_limit, self.memory_limit = time_limit, memory_limit
        self._process = self._read_fd = self._write_fd = None
        self._number = 0
        self._start()

    def _start(self):
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [_PACKAGE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        )
        # The solution's own output is discarded: hundreds of calls would bury the verdict.
        # A session of its own makes the worker the leader of a new process group, killed whole.
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WORKER,
                str(child_read),
                str(child_write),
                str(self.memory_limit),
            ],
            pass_fds=(child_read, child_write),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(child_read)
        os.close(child_write)
        self._read_fd, self._write_fd = parent_read, parent_write
        os.set_blocking(parent_write, False)
        deadline = time.monotonic() + LOAD_TIME_LIMIT
        sent = self._send([p for p in sys.path if p], deadline) and self._send(
            (self.call, self.timed_call, self.spec, self.names), deadline
        )
        try:
            reply = _wire.read_frame(self._read_fd, deadline) if sent else None
        except (EOFError, _wire.Malformed):
            self.close()
            raise SolutionError("the worker process died while loading the solution") from None
        if reply is None:
            self.close()
            raise SolutionError(f"loading the solution took more than {LOAD_TIME_LIMIT:g} s")
        try:
            message = _wire.loads(reply)
        except _wire.Malformed:
            message = None
        if message == [0, "ready"]:
            return
        self.close()
        if type(message) is list and message[:2] == [0, "load-error"] and len(message) == 3:
            raise SolutionError(str(message[2]))
        raise SolutionError("the worker sent something else than its greeting while loading")

    def _send(self, message, deadline):
        return _wire.write_frame(self._write_fd, _wire_frame(message), deadline)

    def _ask(self, kind, args, limit):
        if self._process is None:
            self._start()
        self._number += 1
        number = self._number
        deadline = time.monotonic() + limit
        try:
            frame = _wire_frame((kind, number, args))
        except Exception as exc:
            return Outcome("malformed", error=f"the arguments cannot be sent to the worker: {exc}")
        try:
            sent = _wire.write_frame(self._write_fd, frame, deadline)
        except OSError:
            return self._died()
        if not sent:
            self.close()
            return Outcome("timeout", seconds=limit)
        while True:
            try:
                body = _wire.read_frame(self._read_fd, deadline)
            except EOFError:
                return self._died()
            except _wire.Malformed as exc:
                self.close()
                return Outcome("malformed", error=f"the worker's reply cannot be read: {exc}")
            if body is None:
                self.close()
                return Outcome("timeout", seconds=limit)
            try:
                message = _wire.loads(body)
            except _wire.Malformed as exc:
                self.close()
                return Outcome("malformed", error=f"the worker's reply is not plain data: {exc}")
            if type(message) is list and message and message[0] == number:
                break
            # An answer to an earlier call (from a forked twin): not the answer to this one.
        outcome = _outcome(message[1:])
        outcome.wall = time.monotonic() - (deadline - limit)
        left = _processes_left(self._process.pid)
        if left:
            self.close()
            return Outcome(
                "spawned",
                error=f"the solution left another process running (pid {left[0]}); a "
                "solution must compute its answer in the process it is called in",
            )
        return outcome

    def _died(self):
        try:
            self._process.wait(1.0)  # it closed its pipe: it is ending, with its own status
        except subprocess.TimeoutExpired:
            pass
        code = self.close()
        return Outcome("died", error=f"the solution ended the worker process (exit status {code})")

    def run(self, args, timed=False):
        """One call (through the problem's ``timed_call`` driver when ``timed``)."""
        return self._ask("call-timed" if timed else "call", args, self.time_limit)

    def time(self, args, limit):
        return self._ask("time", args, limit)

    def close(self):
        """Stop the worker and everything in its process group; the worker's exit status."""
        code = None
        if self._process is not None:
            # No polite request to stop: the worker holds nothing worth saving, and whatever
            # it started must go with it.
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            code = self._process.wait()
            os.close(self._read_fd)
            os.close(self._write_fd)
        self._process = self._read_fd = self._write_fd = None
        return code


def _wire_frame(message):
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(body).to_bytes(8, "big") + body


def _outcome(message):
    """An :class:`Outcome` from a reply's fields (after the call's number); checks their form."""
    try:
        kind = message[0]
        if kind == "returned" and len(message) == 4:
            _, seconds, value, args_after = message
            return Outcome("returned", value, args_after, _seconds(seconds))
        if kind == "raised" and len(message) == 5 and all(isinstance(m, str) for m in message[2:]):
            _, seconds, error, error_type, trace = message
            return Outcome(
                "raised",
                seconds=_seconds(seconds),
                error=error[:2000],
                error_type=error_type[:200],
                traceback=trace[:20000],
            )
        if kind == "unsendable" and len(message) == 3 and isinstance(message[2], str):
            return Outcome(
                "malformed", error=f"the answer cannot be sent back to the judge: {message[2]}"
            )
        if kind == "timed" and len(message) == 2:
            return Outcome("timed", seconds=_seconds(message[1]))
    except (TypeError, ValueError, IndexError):
        pass
    return Outcome("malformed", error="the worker's reply is not an answer")


def _seconds(value):
    if type(value) not in (int, float) or not 0 <= value < float("inf"):
        raise ValueError("not a time")
    return float(value)


def _processes_left(pid):
    """Children of the worker still running (Linux: ``/proc``; elsewhere none are found)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
    return found


class ThreadRunner:
    """Calls an in-process callable in a thread: the fallback for what cannot be imported."""

    in_process = True

    def __init__(self, calls, solution, time_limit):
        (self.call, self.timed_call), self.solution, self.time_limit = calls, solution, time_limit

    def _in_thread(self, function, limit):
        box = {}

        def target():
            box["reply"] = function()

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        started = time.monotonic()
        thread.join(limit)
        if thread.is_alive():
            return Outcome("timeout", seconds=limit)
        wall = time.monotonic() - started
        if "reply" not in box:
            return Outcome("died", error="the solution ended its thread")
        # The same plain-data form as from a worker: the judge compares only what it decoded.
        try:
            message = _wire.loads(_wire.dumps(box["reply"])[8:])
        except _wire.Malformed as exc:
            return Outcome("malformed", error=f"the answer is not plain data: {exc}")
        outcome = _outcome(message)
        outcome.wall = wall
        return outcome

    def run(self, args, timed=False):
        fresh = copy.deepcopy(args)  # the judge keeps its own copy to compare with afterwards
        driver = self.timed_call if timed else self.call
        return self._in_thread(
            lambda: call_and_report(driver, self.solution, fresh), self.time_limit
        )

    def time(self, args, limit):
        return self._in_thread(lambda: time_and_report(self.timed_call, self.solution, args), limit)

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


def make_runner(calls, solution, names, time_limit, memory_limit=MEMORY_LIMIT):
    """A runner for ``solution``: a ``(kind, where, attr)`` spec, a module or a callable.

    ``calls`` is the pair of drivers ``(call, timed_call)`` of the problem."""
    if isinstance(solution, tuple):
        return ProcessRunner(calls, solution, names, time_limit, memory_limit)
    spec = import_spec(solution)
    if spec is not None:
        try:
            return ProcessRunner(calls, spec, names, time_limit, memory_limit)
        except SolutionError:
            pass  # importable here but not in a fresh process (a test module, say): use a thread
    if len(names) == 1 and isinstance(solution, type(sys)):  # a module: its one function
        function = getattr(solution, names[0], None)
        if not callable(function):
            raise SolutionError(f"{solution.__name__} has no function {names[0]!r}")
        solution = function
    if len(names) == 1:
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
