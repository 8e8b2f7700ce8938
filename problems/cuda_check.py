"""The kernel judge: a learner's ``numba.cuda`` kernel run in the CUDA simulator, with every
memory access and barrier traced.

The judge process never imports the learner's file. It draws the inputs, starts a worker
process with ``NUMBA_ENABLE_CUDASIM=1`` set before numba loads, and sends it the inputs and the
launches as plain data. The worker runs each launch block by block, one Python thread per CUDA
thread, and sends back inert data: the arrays after the launches (dtype, shape, bytes) and what
it observed. The judge process decides everything from those observations:

- **out of bounds**: an index outside a global or shared array (negative ones included: numba
  wraps them around, which on a GPU kernel is an off-by-one in disguise). The access is not
  made; a read returns NaN (or the dtype's largest value) so that the run can go on.
- **race**: two accesses to one location by different threads, at least one a write and not
  both atomic, with nothing ordering them: in shared memory, no barrier between them; in global
  memory, no barrier between them in one block, and nothing at all between blocks of a launch.
  Every access of the epoch is compared, whatever order the threads happened to run in, so a
  race is found on the first run that has one, not when it happens to give a wrong answer.
  Lanes of one warp are ordered by a ``syncwarp`` or shuffle between them.
- **uninitialised shared memory**: a read of a shared element that no thread of the block has
  written (shared memory starts as garbage on a GPU; here it starts as NaN).
- **barrier divergence**: a ``syncthreads`` that some thread of the block never reached (it
  returned first), or threads meeting at different ``syncthreads`` calls; a warp intrinsic that
  some lane of the warp never reached; a block whose threads all wait and can never go on.
- **wrong answer**: each output against the float64 reference within the bound of
  :mod:`kernels.tolerances` for that computation, with the worst error and the first
  mismatched indices.
- **memory traffic**: global reads and writes per array against the problem's budget (and an
  output that no write reached).

Sizes run from the smallest up, so the first size that shows a finding is the smallest input
that shows it; the inputs of the first wrong answer are then shrunk at that size. Where cupy
finds a GPU, a kernel that passed is also run there, on larger inputs, checked again and timed
with CUDA events beside this package's kernel and the library baseline (see :func:`gpu_report`).
"""

import base64
import json
import os
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Finding",
    "KernelVerdict",
    "check_kernel",
    "decode_array",
    "encode_array",
    "gpu_report",
]

_WORKER_TIMEOUT_S = 60.0  # the whole ladder problem runs in a few seconds; a hung kernel costs this
_EVENT_KINDS = ("out of bounds", "race", "barrier", "uninitialised", "error")
_LOG_PER_ELEMENT = 64  # accesses kept per element: enough for every thread of a ladder block
_EVENTS_KEPT = 64  # of each kind per size; the judge shows the lowest block and thread of each


# ---------------------------------------------------------------------------------------------
# Inert data between the processes.


def encode_array(array: np.ndarray) -> dict:
    """An array as plain data: dtype, shape and the bytes in base64."""
    array = np.ascontiguousarray(array)
    return {
        "dtype": array.dtype.str,
        "shape": list(array.shape),
        "data": base64.b64encode(array.tobytes()).decode("ascii"),
    }


def decode_array(data: dict) -> np.ndarray:
    """The array :func:`encode_array` described (checked: dtype, shape and size must agree)."""
    if not isinstance(data, dict) or set(data) != {"dtype", "shape", "data"}:
        raise ValueError("an encoded array must have exactly dtype, shape and data")
    dtype = np.dtype(str(data["dtype"]))
    if dtype.kind not in "biuf":
        raise ValueError(f"unexpected dtype {dtype}")
    shape = tuple(int(s) for s in data["shape"])
    raw = base64.b64decode(str(data["data"]).encode("ascii"), validate=True)
    if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise ValueError("the bytes do not match the dtype and shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


# ---------------------------------------------------------------------------------------------
# Verdict.


@dataclass
class Finding:
    """One thing the judge found, at the smallest size that shows it."""

    kind: str  # out of bounds | race | barrier | error | wrong answer | traffic | timed out
    message: str
    size: Any = None
    block: tuple | None = None
    thread: tuple | None = None
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "message": self.message,
            "size": self.size,
            "block": self.block,
            "thread": self.thread,
            "details": self.details,
        }


@dataclass
class KernelVerdict:
    """What the kernel judge found; the fields of :class:`problems.Verdict` plus ``findings``.

    ``counterexample`` maps each input to its value on the smallest failing size; ``expected``
    and ``actual`` are the output arrays there (for the first wrong output).
    """

    problem_id: str
    passed: bool
    status: str
    message: str
    counterexample: dict | None = None
    expected: Any = None
    actual: Any = None
    traceback: str = ""
    phase: str = "simulator"
    examples_checked: int = 0
    generated_checked: int = 0
    timings: list = field(default_factory=list)
    solution_growth: float | None = None
    reference_growth: float | None = None
    findings: list = field(default_factory=list)
    sizes_checked: list = field(default_factory=list)
    counterexample_size: Any = None
    gpu: str = ""

    def __bool__(self):
        return self.passed

    def report(self) -> str:
        """The verdict as text for a terminal."""
        head = f"{self.problem_id}: PASSED" if self.passed else f"{self.problem_id}: FAILED"
        lines = [head, self.message]
        for finding in self.findings:
            where = []
            if finding.block is not None:
                where.append(f"block {tuple(finding.block)}")
            if finding.thread is not None:
                where.append(f"thread {tuple(finding.thread)}")
            at = f" ({', '.join(where)})" if where else ""
            lines.append(f"- {finding.kind} at size {finding.size}{at}: {finding.message}")
        if self.counterexample is not None:
            title = "Smallest failing input"
            if self.expected is not None:
                title = "Input of the first wrong answer, shrunk"
            lines += ["", f"{title} (size {self.counterexample_size}):"]
            for name, value in self.counterexample.items():
                lines.append(f"    {name} = {_show(value)}")
            if self.expected is not None:
                lines += ["", "Expected:", f"    {_show(self.expected)}"]
                lines += ["", "Actual:", f"    {_show(self.actual)}"]
        if self.traceback:
            lines += ["", "Traceback of the kernel:", self.traceback.rstrip()]
        if self.sizes_checked:
            lines += ["", "Sizes checked: " + ", ".join(str(s) for s in self.sizes_checked)]
        if self.gpu:
            lines += ["", self.gpu]
        return "\n".join(lines)


def _show(value, limit=600):
    if isinstance(value, np.ndarray):
        text = f"np.array({value.tolist()!r}, dtype=np.{value.dtype})"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more)"


# ---------------------------------------------------------------------------------------------
# The judge process.


def check_kernel(
    problem,
    path: str,
    *,
    time_limit: float = _WORKER_TIMEOUT_S,
    shrink: bool = True,
    seed: int | None = None,
    gpu: bool = True,
    random_sizes: int = 4,
) -> KernelVerdict:
    """Judge the kernel(s) in the file ``path`` on a ladder problem (no code of it runs here).

    A file without the kernel the problem names raises :class:`problems.SolutionError`.

    Every size runs in one worker process, smallest first. With ``shrink``, the inputs of the
    first wrong answer are then made simpler (zeros and ones, halves and quarters zeroed) as
    long as the same output stays wrong; ``time_limit`` bounds each worker's whole run. The
    values are drawn afresh each time (``seed`` fixes them), so that no kernel can know them.
    A kernel that passes runs on the GPU too where there is one (``gpu=False``: not at all).
    Beside the stated sizes, ``random_sizes`` more are drawn within the stated bounds.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for size in _sizes(problem, rng, random_sizes):
        arrays = problem.make(size, rng)
        cases.append({"size": size, "arrays": arrays, "launches": problem.launches(size)})
    reply = _run_worker(_request(problem, path, cases), time_limit)
    sizes_checked = [case["size"] for case in cases]
    if "fatal" in reply and reply.get("kind") == "missing":  # a usage error, as for any problem
        from problems import SolutionError

        raise SolutionError(str(reply["fatal"]))
    if "fatal" in reply:
        finding = Finding(reply.get("kind", "error"), reply["fatal"])
        return KernelVerdict(
            problem.id,
            False,
            finding.kind,
            finding.message,
            traceback=reply.get("traceback", ""),
            findings=[finding],
        )
    findings, first_case, wrong = [], None, None
    seen = set()
    for case, result in zip(cases, reply["cases"]):
        case_findings = _judge_case(problem, case, result)
        for finding in case_findings:
            key = (finding.kind, finding.details.get("array"))
            if key in seen:
                continue
            seen.add(key)
            findings.append(finding)
            if first_case is None:
                first_case = case
            if finding.kind == "wrong answer" and wrong is None:
                wrong = finding
    if wrong is not None and shrink:
        wrong = _shrink(problem, path, wrong, time_limit)
        findings = [
            wrong
            if f.kind == "wrong answer" and f.details.get("array") == wrong.details["array"]
            else f
            for f in findings
        ]
    if not findings:
        return KernelVerdict(
            problem.id,
            True,
            "passed",
            f"every size ran clean in the simulator: in bounds, race-free, barriers reached by "
            f"every thread, answers within tolerance, traffic within budget "
            f"({problem.budget_text})",
            generated_checked=len(cases),
            sizes_checked=sizes_checked,
            gpu=gpu_report(problem, path) if gpu else "",
        )
    kinds = sorted({f.kind for f in findings})
    counterexample = {n: a for n, a in first_case["arrays"].items() if n in problem.inputs}
    verdict = KernelVerdict(
        problem.id,
        False,
        kinds[0] if len(kinds) == 1 else "several findings",
        f"{len(findings)} finding(s): {', '.join(kinds)}",
        counterexample=counterexample,
        counterexample_size=first_case["size"],
        generated_checked=len(cases),
        findings=findings,
        sizes_checked=sizes_checked,
        gpu="GPU: not run, the kernel has findings in the simulator.",
    )
    if wrong is not None:
        verdict.expected = wrong.details.pop("expected_array")
        verdict.actual = wrong.details.pop("actual_array")
        verdict.counterexample = {
            n: a for n, a in wrong.details.pop("case_arrays").items() if n in problem.inputs
        }
        verdict.counterexample_size = wrong.size
    for finding in findings:
        finding.details.pop("expected_array", None)
        finding.details.pop("actual_array", None)
        finding.details.pop("case_arrays", None)
    tracebacks = [f.details.get("traceback") for f in findings if f.details.get("traceback")]
    verdict.traceback = tracebacks[0] if tracebacks else ""
    return verdict


def _sizes(problem, rng, extra):
    """The stated sizes and ``extra`` drawn ones, each extent up to the largest stated, in order
    of element count (so the first size with a finding is the smallest)."""
    sizes = list(problem.sizes)
    largest = sizes[-1]
    for _ in range(extra):
        if isinstance(largest, int):
            drawn = int(rng.integers(1, largest + 1))
        else:
            drawn = tuple(int(rng.integers(1, e + 1)) for e in largest)
        if drawn not in sizes:
            sizes.append(drawn)
    return sorted(sizes, key=lambda s: int(np.prod(s)))


def _request(problem, path, cases):
    return {
        "file": os.path.abspath(path),
        "kernels": list(problem.kernels),
        "cases": [
            {
                "arrays": {name: encode_array(a) for name, a in case["arrays"].items()},
                "launches": case["launches"],
            }
            for case in cases
        ],
    }


_SHRINK_ROUNDS = 2


def _weight(problem, case):
    """How complicated the inputs are: nonzero values first, then their magnitude."""
    values = [np.abs(case["arrays"][n].astype(np.float64)) for n in problem.inputs]
    return (sum(int(np.count_nonzero(v)) for v in values), sum(float(v.sum()) for v in values))


def _simpler(problem, case):
    """Candidates with strictly simpler inputs at the same size, simplest first."""
    candidates = []
    for name in problem.inputs:
        x = case["arrays"][name]
        flat = x.reshape(-1)
        variants = [np.zeros_like(x), np.ones_like(x)]
        n = flat.size
        for parts in (2, 4):
            for k in range(parts):
                y = flat.copy()
                y[k * n // parts : (k + 1) * n // parts] = 0
                variants.append(y.reshape(x.shape))
        for y in variants:
            arrays = dict(case["arrays"])
            arrays[name] = y
            candidates.append({**case, "arrays": arrays})
    current = _weight(problem, case)
    simpler = [c for c in candidates if _weight(problem, c) < current]
    return sorted(simpler, key=lambda c: _weight(problem, c))


def _shrink(problem, path, wrong, time_limit):
    """The wrong answer on the simplest candidate inputs that still give it."""
    case = {
        "size": wrong.size,
        "arrays": wrong.details["case_arrays"],
        "launches": problem.launches(wrong.size),
    }
    for _ in range(_SHRINK_ROUNDS):
        candidates = _simpler(problem, case)
        if not candidates:
            break
        reply = _run_worker(_request(problem, path, candidates), time_limit)
        if "fatal" in reply:
            break
        found = None
        for candidate, result in zip(candidates, reply["cases"]):
            for finding in _judge_case(problem, candidate, result):
                if (
                    finding.kind == "wrong answer"
                    and finding.details.get("array") == wrong.details["array"]
                ):
                    found = candidate, finding
                    break
            if found:
                break
        if found is None:
            break
        case, wrong = found
    return wrong


def _worker_env(simulator):
    """The environment of a worker: this package importable, the simulator on or off."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    if simulator:
        env["NUMBA_ENABLE_CUDASIM"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    return env


def _run_worker(request, time_limit):
    env = _worker_env(simulator=True)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "problems.cuda_check", "--worker"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=time_limit,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"fatal": f"the kernel did not finish in {time_limit:g} s", "kind": "timed out"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"fatal": f"the simulator worker stopped: {tail[0]}", "kind": "error"}
    try:
        reply = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"fatal": "the simulator worker sent something that is not JSON", "kind": "error"}
    if not isinstance(reply, dict):
        return {"fatal": "the simulator worker sent something unexpected", "kind": "error"}
    if "fatal" not in reply and len(reply.get("cases", ())) != len(request["cases"]):
        return {"fatal": "the simulator worker skipped some cases", "kind": "error"}
    return reply


def _where(event):
    block = tuple(event["block"]) if event.get("block") is not None else None
    thread = tuple(event["thread"]) if event.get("thread") is not None else None
    return block, thread


def _judge_case(problem, case, result):
    """The findings of one size, decided here from the worker's observations."""
    size = case["size"]
    findings = []
    events = [e for e in result.get("events", []) if isinstance(e, dict)][: 8 * _EVENTS_KEPT]
    # The order threads ran in is the scheduler's; the lowest block and thread is the same
    # every run.
    events.sort(key=lambda e: (list(e.get("block") or []), list(e.get("thread") or [])[::-1]))
    for event in events:
        kind = str(event.get("kind"))
        if kind not in _EVENT_KINDS:
            kind = "error"
        block, thread = _where(event)
        details = {k: event[k] for k in ("array", "index", "shape", "line") if k in event}
        if event.get("traceback"):
            details["traceback"] = str(event["traceback"])
        findings.append(Finding(kind, str(event.get("message")), size, block, thread, details))
    try:
        outputs = {name: decode_array(result["arrays"][name]) for name in problem.outputs}
    except (KeyError, TypeError, ValueError) as exc:
        findings.append(Finding("error", f"the outputs did not come back: {exc}", size))
        return findings
    if not any(f.kind == "error" for f in findings):
        findings += _wrong_answers(problem, case, outputs)
    traffic = result.get("traffic", {})
    # An output that every write missed is news only where no write went out of bounds.
    written_check = not any(f.kind in ("out of bounds", "error") for f in findings)
    findings += _traffic(problem, case, traffic if isinstance(traffic, dict) else {}, written_check)
    return findings


def _wrong_answers(problem, case, outputs):
    from kernels.tolerances import compare

    arrays = case["arrays"]
    expected = problem.reference(arrays)
    bounds = problem.bound(arrays, expected)
    findings = []
    for name in problem.outputs:
        actual = outputs[name]
        want = expected[name]
        why = compare(actual, want, bounds[name])
        if why is None:
            continue
        findings.append(
            Finding(
                "wrong answer",
                f"{name}: {why}",
                case["size"],
                details={
                    "array": name,
                    "expected_array": np.asarray(want).astype(arrays[name].dtype),
                    "actual_array": actual,
                    "case_arrays": arrays,
                },
            )
        )
    return findings


def _traffic(problem, case, traffic, written_check=True):
    traffic = {k: v for k, v in traffic.items() if isinstance(v, dict)}
    findings = []
    for name in problem.outputs if written_check else ():
        if not traffic.get(name, {}).get("writes"):  # an answer that no traced access wrote
            findings.append(
                Finding(
                    "traffic",
                    f"{name}: no global write reached it through the kernel's array accesses",
                    case["size"],
                    details={"array": name},
                )
            )
    budget = problem.budget(case["size"], case["arrays"])
    for name, (max_reads, max_writes) in budget.items():
        counts = traffic.get(name, {})
        reads, writes = int(counts.get("reads", 0)), int(counts.get("writes", 0))
        elements = max(case["arrays"][name].size, 1)
        for what, count, limit in (("reads", reads, max_reads), ("writes", writes, max_writes)):
            if limit is not None and count > limit:
                findings.append(
                    Finding(
                        "traffic",
                        f"{name}: {count} global {what} for {elements} elements "
                        f"({count / elements:.2g} per element), budget {limit} "
                        f"({problem.budget_text})",
                        case["size"],
                        details={"array": name, what: count, "budget": limit},
                    )
                )
    return findings


# ---------------------------------------------------------------------------------------------
# On a GPU.


def gpu_report(problem, path: str) -> str:
    """Correctness and timing on a GPU when cupy finds one, else a line saying it needs one."""
    import importlib.util

    if importlib.util.find_spec("cupy") is None:
        return "Timing needs a GPU (cupy is not installed)."
    env = _worker_env(simulator=False)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "problems.cuda_check",
                "--gpu",
                problem.id,
                os.path.abspath(path),
            ],
            capture_output=True,
            text=True,
            timeout=_WORKER_TIMEOUT_S,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return "GPU: the kernel did not finish in time on the device."
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else "GPU: " + (done.stderr.strip().splitlines() or ["failed"])[-1]


def _gpu_main(problem_id, path):
    """Run on the GPU: the answer on larger inputs, then CUDA-event times beside the package's
    kernel and the library baseline, and the fraction of the device's copy rate reached."""
    try:
        import cupy

        available = cupy.is_available()
    except Exception as exc:  # cupy installed without a driver or toolkit
        print(f"Timing needs a GPU (cupy cannot start: {type(exc).__name__}).")
        return
    if not available:
        print("Timing needs a GPU (cupy finds none).")
        return
    from problems.kernel_ladder import get_kernel_problem

    problem = get_kernel_problem(problem_id)
    kernels = _load_kernels(path, problem.kernels)
    rng = np.random.default_rng(1)
    size = problem.gpu_size if problem.gpu_size is not None else problem.sizes[-1]
    host = problem.make(size, rng)
    expected = problem.reference(host)
    bounds = problem.bound(host, expected)
    device = {name: cupy.asarray(a) for name, a in host.items()}

    def run_solution():
        for launch in problem.launches(size):
            kernel = kernels[launch["kernel"]]
            args = [device[a] if isinstance(a, str) else a for a in launch["args"]]
            kernel[tuple(launch["grid"]), tuple(launch["block"])](*args)

    run_solution()
    from kernels.tolerances import compare

    for name in problem.outputs:
        why = compare(cupy.asnumpy(device[name]), expected[name], bounds[name])
        if why is not None:
            print(f"GPU: wrong answer at size {size}: {name}: {why}")
            return
    solution = _event_time(cupy, run_solution)
    parts = [f"GPU at size {size}: kernel {solution * 1e3:.4g} ms"]
    inputs = {n: device[n] for n in problem.inputs}
    for label, other in (
        (problem.package_name, problem.package),
        (problem.baseline_name, problem.baseline),
    ):
        if other is not None:
            seconds = _event_time(cupy, lambda other=other: other(cupy, inputs))
            parts.append(f"{label} {seconds * 1e3:.4g} ms (kernel / it = {solution / seconds:.3g})")
    moved = sum(a.nbytes for n, a in host.items() if n in problem.inputs or n in problem.outputs)
    copy = _event_time(cupy, lambda: device[problem.outputs[0]].copy())
    copy_rate = 2 * device[problem.outputs[0]].nbytes / copy
    parts.append(f"{moved / solution / copy_rate:.2g} of the device copy rate")
    print("; ".join(parts))


def _event_time(cupy, run, *, warmup=3, rounds=20, repeat_limit=200):
    """Best seconds per call, repeated until the best of the last ``rounds`` stops improving."""
    for _ in range(warmup):
        run()
    cupy.cuda.Device().synchronize()
    start, stop = cupy.cuda.Event(), cupy.cuda.Event()
    best, since_best = float("inf"), 0
    for _ in range(repeat_limit):
        start.record()
        run()
        stop.record()
        stop.synchronize()
        elapsed = cupy.cuda.get_elapsed_time(start, stop) / 1e3
        if elapsed < best * 0.99:
            best, since_best = elapsed, 0
        else:
            since_best += 1
        if since_best >= rounds:
            break
    return best


# ---------------------------------------------------------------------------------------------
# The worker process: the only place the learner's code runs.


class _MissingKernel(LookupError):
    """The learner's file has no kernel of the name the problem asks for."""


def _load_kernels(path, names):
    import importlib.util

    spec = importlib.util.spec_from_file_location("_learner_kernels", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    kernels = {}
    for name in names:
        kernel = getattr(module, name, None)
        if kernel is None:
            raise _MissingKernel(f"{os.path.basename(path)} defines no kernel named {name!r}")
        kernels[name] = kernel
    return kernels


class _Abort(BaseException):
    """Raised inside a simulated thread to end it when its block cannot go on."""


class _Group:
    """A set of threads that meet at barriers: the block, or one warp of it."""

    def __init__(self, members, kind):
        self.members = frozenset(members)
        self.kind = kind
        self.arrived = {}
        self.generation = 0


class _Block:
    """One block's threads, barriers and shared-memory access log."""

    def __init__(self, tracer, block_idx, block_dim):
        self.tracer = tracer
        self.block_idx = block_idx
        self.block_dim = block_dim
        self.count = block_dim[0] * block_dim[1] * block_dim[2]
        self.cond = threading.Condition()
        self.alive = set(range(self.count))
        self.crashed = set()
        self.aborted = False
        self.block_group = _Group(range(self.count), "syncthreads")
        self.warps = {}
        self.shared = {}
        self.log = {}  # (array name, flat index) -> (epoch, [(tid, write, atomic, warp_epoch)])

    def warp_group(self, tid):
        from problems.cudasim import WARP_SIZE

        warp = tid // WARP_SIZE
        group = self.warps.get(warp)
        if group is None:
            lanes = range(warp * WARP_SIZE, min(self.count, (warp + 1) * WARP_SIZE))
            group = self.warps[warp] = _Group(lanes, "warp")
        return group

    def meet(self, group, tid, site):
        with self.cond:
            if self.aborted:
                raise _Abort
            generation = group.generation
            group.arrived[tid] = site
            self._release(group)
            while group.generation == generation:
                if self.aborted:
                    raise _Abort
                self._check_stuck()
                self.cond.wait(1.0)

    def exit(self, tid):
        with self.cond:
            self.alive.discard(tid)
            for group in [self.block_group, *self.warps.values()]:
                if group.arrived:
                    self._release(group)
            self._check_stuck()

    def _release(self, group):
        live = group.members & self.alive
        if not live <= set(group.arrived):
            return
        arrived = set(group.arrived)
        sites = sorted(set(group.arrived.values()))
        where = "syncthreads" if group.kind == "syncthreads" else "warp intrinsic"
        if arrived != group.members and not (group.members - arrived) <= self.crashed:
            missing = sorted(group.members - arrived - self.crashed)
            tid = min(arrived) if arrived else None
            self.tracer.event(
                "barrier",
                f"{where} at line {sites[0][1] if sites else '?'} (barrier "
                f"{group.generation + 1} of the {'block' if group.kind == 'syncthreads' else 'warp'})"
                f" was not reached by {len(missing)} thread(s), e.g. thread "
                f"{self.tracer.thread_index(self, missing[0])}, which returned first",
                self.block_idx,
                self.tracer.thread_index(self, tid) if tid is not None else None,
                line=sites[0][1] if sites else None,
            )
        elif len(sites) > 1:
            by_site = {}
            for t, s in group.arrived.items():
                by_site.setdefault(s, t)
            first = [
                f"line {s[1]} (thread {self.tracer.thread_index(self, t)})"
                for s, t in by_site.items()
            ]
            self.tracer.event(
                "barrier",
                f"threads of one {'block' if group.kind == 'syncthreads' else 'warp'} met at "
                f"different {where} calls: {', '.join(first)}",
                self.block_idx,
                self.tracer.thread_index(self, min(arrived)),
                line=sites[0][1],
            )
        group.arrived = {}
        group.generation += 1
        self.cond.notify_all()

    def _check_stuck(self):
        # Stuck: every live thread waits in a group that cannot be released, since a thread it
        # waits for waits elsewhere. (A thread released from a barrier has left ``arrived``.)
        groups = [g for g in [self.block_group, *self.warps.values()] if g.arrived]
        waiting = set().union(*(g.arrived for g in groups)) if groups else set()
        if self.aborted or not self.alive or not self.alive <= waiting:
            return
        if all(not (g.members & self.alive) <= set(g.arrived) for g in groups):
            self.aborted = True
            self.tracer.event(
                "barrier",
                "every thread of the block waits at a barrier that the others never reach "
                "(a deadlock on a GPU)",
                self.block_idx,
                None,
            )
            self.cond.notify_all()


class _Tracer:
    """Everything one launch observed, kept as plain data."""

    def __init__(self, learner_file):
        self.learner_file = os.path.realpath(learner_file)
        self.events = []
        self.kept = {}
        self.traffic = {}
        self.log = {}  # (global array name, index) -> accesses of this launch
        self.lock = threading.RLock()

    def event(self, kind, message, block, thread, **extra):
        with self.lock:
            seen = self.kept.get(kind, 0)
            self.kept[kind] = seen + 1
            if seen >= _EVENTS_KEPT:
                return
            event = {
                "kind": kind,
                "message": message,
                "block": list(block) if block is not None else None,
                "thread": list(thread) if thread is not None else None,
            }
            event.update(extra)
            self.events.append(event)

    @staticmethod
    def thread_index(block, tid):
        x, y, _ = block.block_dim
        return (tid % x, (tid // x) % y, tid // (x * y))

    def site(self):
        frame = sys._getframe(1)
        fallback = None
        while frame is not None:
            name = os.path.realpath(frame.f_code.co_filename)
            if name == self.learner_file:
                return (os.path.basename(name), frame.f_lineno)
            if fallback is None and "numba" not in name and name != os.path.realpath(__file__):
                fallback = (os.path.basename(name), frame.f_lineno)
            frame = frame.f_back
        return fallback or ("?", 0)

    def count(self, name, what, n=1):
        with self.lock:
            counts = self.traffic.setdefault(name, {"reads": 0, "writes": 0})
            counts[what] += n


def _poison(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return dtype.type(np.nan)
    if dtype.kind == "b":
        return dtype.type(True)
    return dtype.type(np.iinfo(dtype).max)


class _TracedArray:
    """A global or shared array whose every element access is checked and recorded."""

    def __init__(self, data, name, space, tracer):
        self._data = data
        self._name = name
        self._space = space  # "global" or "shared"
        self._tracer = tracer
        self.shape = data.shape
        self.size = data.size
        self.ndim = data.ndim
        self.dtype = data.dtype
        self._label = f"{space} array {name}" if space == "global" else f"the {name}"
        self._written = np.zeros(data.shape, dtype=bool) if space == "shared" else None

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        return f"<{self._space} array {self._name} {self.shape} {self.dtype}>"

    def _index(self, index, write):
        thread = threading.current_thread()
        if not isinstance(index, tuple):
            index = (index,)
        try:
            index = tuple(int(i) for i in index)
        except TypeError:
            raise TypeError(
                f"{self._label}: only element access a[i] or a[i, j] is "
                f"supported by the checker, got index {index!r}"
            ) from None
        block = getattr(thread, "block", None)
        if len(index) != self.ndim or any(not 0 <= i < s for i, s in zip(index, self.shape)):
            if block is not None:
                self._tracer.event(
                    "out of bounds",
                    f"{'write' if write else 'read'} of {self._label} at "
                    f"index {index[0] if len(index) == 1 else index}, outside its shape "
                    f"{self.shape[0] if self.ndim == 1 else self.shape} "
                    f"(line {self._tracer.site()[1]})",
                    block.block_idx,
                    thread.thread_index,
                    array=self._name,
                    index=list(index),
                    shape=list(self.shape),
                    line=self._tracer.site()[1],
                )
            return None
        if block is None:
            return index
        atomic = getattr(thread, "atomic", False)
        if self._written is not None:
            if write:
                self._written[index] = True
            elif not self._written[index]:
                self._tracer.event(
                    "uninitialised",
                    f"read of {self._label} at index {index[0] if len(index) == 1 else index}, "
                    f"which no thread of the block has written (shared memory starts as "
                    f"garbage; line {self._tracer.site()[1]})",
                    block.block_idx,
                    thread.thread_index,
                    array=self._name,
                    index=list(index),
                    line=self._tracer.site()[1],
                )
        if self._space == "global":
            self._tracer.count(self._name, "writes" if write else "reads")
            if atomic and write:
                self._tracer.count(self._name, "reads", -1)  # an atomic is one access
        self._record(block, thread, index, write, atomic)
        return index

    def _record(self, block, thread, index, write, atomic):
        """Log the access; report a conflict with an unordered access of another thread.

        Two accesses are ordered when they are in one block with a barrier between them (or in
        one warp with a warp-level sync between them); blocks are never ordered within a
        launch. A conflict needs a write and not two atomics.
        """
        line = self._tracer.site()[1]
        me = (block.block_idx, thread.tid, write, atomic, thread.epoch, thread.warp_epoch, line)
        shared = self._space == "shared"
        log, lock = (block.log, block.cond) if shared else (self._tracer.log, self._tracer.lock)
        key = (self._name, index)
        with lock:
            entry = log.get(key)
            if entry is None:
                log[key] = [me]
                return
            if shared and entry[0][4] != thread.epoch:  # all of an earlier epoch: ordered
                entry.clear()
            for other in entry:
                other_block, tid, other_write, other_atomic, epoch, warp_epoch, other_line = other
                same_block = other_block == block.block_idx
                if same_block and tid == thread.tid:
                    continue
                if not (write or other_write) or (atomic and other_atomic):
                    continue
                if same_block and epoch != thread.epoch:
                    continue
                if same_block and tid // 32 == thread.tid // 32 and warp_epoch != thread.warp_epoch:
                    continue  # ordered by a warp-level sync between them
                me_text = f"thread {thread.thread_index}"
                who = f"thread {self._tracer.thread_index(block, tid)}"
                why = "with no syncthreads between"
                if not same_block:
                    me_text += f" of block {block.block_idx}"
                    who += f" of block {other_block}"
                    why = "and the blocks of one launch run in no set order"
                self._report_race(
                    block, index, (me_text, write, line), (who, other_write, other_line), why
                )
                break
            if me not in entry and len(entry) < _LOG_PER_ELEMENT:
                entry.append(me)

    def _report_race(self, block, index, first, second, why):
        (me, write, line), (who, other_write, other_line) = first, second
        self._tracer.event(
            "race",
            f"{self._label}, index {index[0] if len(index) == 1 else index}: {me} "
            f"{'wrote' if write else 'read'} it (line {line}) and {who} "
            f"{'wrote' if other_write else 'read'} it (line {other_line}), {why}",
            block.block_idx,
            threading.current_thread().thread_index,
            array=self._name,
            index=list(index),
            line=line,
        )

    def __getitem__(self, index):
        where = self._index(index, False)
        if where is None:
            return _poison(self.dtype)
        return self._data[where]

    def __setitem__(self, index, value):
        where = self._index(index, True)
        if where is not None:
            self._data[where] = value


class _SimThread(threading.Thread):
    """One CUDA thread: what the simulator's fake cuda module asks of ``current_thread()``."""

    def __init__(self, fn, args, block, tid):
        super().__init__(daemon=True)
        from numba.cuda.simulator.kernelapi import Dim3

        self.fn, self.args, self.block, self.tid = fn, args, block, tid
        self.thread_id = tid
        self.thread_index = _Tracer.thread_index(block, tid)
        self.threadIdx = Dim3(*self.thread_index)
        self.blockIdx = Dim3(*block.block_idx)
        self.epoch = 0
        self.warp_epoch = 0
        self.atomic = False
        self.error = None

    def run(self):
        try:
            self.fn(*self.args)
        except _Abort:
            pass
        except Exception as exc:
            tracer = self.block.tracer
            lines = [
                line
                for line in traceback.format_exception(type(exc), exc, exc.__traceback__)
                if "numba" not in line and __file__ not in line
            ]
            self.block.crashed.add(self.tid)  # its missed barriers are not news
            tracer.event(
                "error",
                f"the kernel raised {type(exc).__name__}: {exc}",
                self.block.block_idx,
                self.thread_index,
                traceback="".join(lines[-6:]),
            )
        finally:
            self.block.exit(self.tid)

    def syncthreads(self):
        self.block.meet(self.block.block_group, self.tid, self.block.tracer.site())
        self.epoch += 1

    def _vote(self, value, combine):
        block = self.block
        if not hasattr(block, "votes"):
            block.votes = {}
        block.votes[self.tid] = value
        self.syncthreads()
        result = combine(block.votes.values())
        self.syncthreads()
        return result

    def syncthreads_count(self, value):
        return self._vote(value, lambda values: sum(1 for v in values if v))

    def syncthreads_and(self, value):
        return self._vote(value, lambda values: int(all(values)))

    def syncthreads_or(self, value):
        return self._vote(value, lambda values: int(any(values)))

    def warp_meet(self, kind):
        self.block.meet(self.block.warp_group(self.tid), self.tid, self.block.tracer.site())
        self.warp_epoch += 1


def _as_numpy_dtype(dtype):
    """A numba type (``float32``) or anything numpy takes, as a numpy dtype."""
    try:  # numba-cuda
        from numba.cuda import types
        from numba.cuda.np import numpy_support
    except ImportError:  # the CUDA target bundled with numba
        from numba.core import types
        from numba.np import numpy_support
    if isinstance(dtype, types.Type):
        return numpy_support.as_dtype(dtype)
    return np.dtype(dtype)


def _install_tracing():
    """Shared arrays and atomics of the fake cuda module, routed through the tracer."""
    from numba.cuda.simulator import kernelapi

    from problems.cudasim import install

    install()
    if getattr(kernelapi.FakeCUDAShared, "_traced", False):
        return
    original_array = kernelapi.FakeCUDAShared.array

    def shared_array(self, shape, dtype, alignment=None):
        thread = threading.current_thread()
        block = getattr(thread, "block", None)
        if block is None:
            return original_array(self, shape, dtype, alignment)
        tracer = block.tracer
        site = tracer.site()
        with block.cond:
            traced = block.shared.get(site)
            if traced is None:
                dtype = _as_numpy_dtype(dtype)
                # Shared memory starts as garbage on a GPU: poison shows a read before a write.
                data = np.full(shape, _poison(dtype), dtype=dtype)
                name = f"shared array of line {site[1]}"
                traced = block.shared[site] = _TracedArray(data, name, "shared", tracer)
        return traced

    kernelapi.FakeCUDAShared.array = shared_array
    kernelapi.FakeCUDAShared._traced = True

    for name in ("add", "sub", "and_", "or_", "xor", "inc", "dec", "exch", "max", "min"):
        original = getattr(kernelapi.FakeCUDAAtomic, name)

        def atomic(self, array, index, val, _original=original):
            thread = threading.current_thread()
            if not hasattr(thread, "atomic"):
                return _original(self, array, index, val)
            thread.atomic = True
            try:
                return _original(self, array, index, val)
            finally:
                thread.atomic = False

        setattr(kernelapi.FakeCUDAAtomic, name, atomic)


def _launch(kernel, grid, block_dim, args, tracer):
    from numba.cuda.simulator import kernel as simkernel
    from numba.cuda.simulator.kernelapi import FakeCUDAModule, swapped_cuda_module

    fn = getattr(kernel, "py_func", None)
    if not isinstance(kernel, simkernel.FakeCUDAKernel) or fn is None:
        raise TypeError(f"{getattr(kernel, '__name__', kernel)!r} is not a @cuda.jit kernel")
    grid = tuple(grid) + (1,) * (3 - len(grid))
    block_dim = tuple(block_dim) + (1,) * (3 - len(block_dim))
    module = FakeCUDAModule(grid, block_dim, 0)
    with simkernel._push_kernel_context(module), swapped_cuda_module(fn, module):
        for block_idx in np.ndindex(*grid):
            block = _Block(tracer, block_idx, block_dim)
            threads = [_SimThread(fn, args, block, tid) for tid in range(block.count)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()


def _worker_main():
    # What the learner prints, even straight to file descriptor 1, goes to stderr: only this
    # function writes the reply.
    sys.stdout.flush()
    reply_to = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        request = json.loads(sys.stdin.read())
        _install_tracing()
        kernels = _load_kernels(request["file"], request["kernels"])
    except _MissingKernel as exc:
        reply_to.write(json.dumps({"fatal": str(exc), "kind": "missing"}) + "\n")
        reply_to.flush()
        return
    except Exception as exc:
        fatal = {"fatal": f"{type(exc).__name__}: {exc}", "kind": "error"}
        fatal["traceback"] = traceback.format_exc(limit=-3)
        reply_to.write(json.dumps(fatal) + "\n")
        reply_to.flush()
        return
    results = []
    for case in request["cases"]:
        arrays = {name: decode_array(data) for name, data in case["arrays"].items()}
        tracer = _Tracer(request["file"])
        for launch in case["launches"]:
            traced = {n: _TracedArray(a, n, "global", tracer) for n, a in arrays.items()}
            args = [traced[a] if isinstance(a, str) else a for a in launch["args"]]
            tracer.log = {}  # one launch ends before the next begins: no races across them
            try:
                _launch(kernels[launch["kernel"]], launch["grid"], launch["block"], args, tracer)
            except Exception as exc:
                tracer.event("error", f"{type(exc).__name__}: {exc}", None, None)
            if any(e["kind"] == "error" for e in tracer.events):
                break
        results.append(
            {
                "arrays": {n: encode_array(a) for n, a in arrays.items()},
                "events": tracer.events,
                "traffic": tracer.traffic,
            }
        )
    reply_to.write(json.dumps({"cases": results}) + "\n")
    reply_to.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker_main()
    elif sys.argv[1:2] == ["--gpu"] and len(sys.argv) == 4:
        _gpu_main(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: python -m problems.cuda_check --worker | --gpu PROBLEM FILE")
