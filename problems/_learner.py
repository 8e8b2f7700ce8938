"""The learner's commands of ``python -m problems``: pick, hint, retry, replay, track progress.

``list`` with filters, ``next``, ``hint``, ``solution``, ``stat``, and around ``check``: the
friendly signature check, the replay of saved failing inputs, the seed, the progress record,
``--save-test``, ``--watch`` and ``--json``. The curriculum (topic, difficulty, prerequisites,
hints) is :mod:`problems.curriculum`; the progress file is :mod:`problems.progress`.

Replay. Saved failing inputs run right after the statement's worked examples and before any
generated input, as extra worked examples of a copy of the problem (``problems.check`` takes a
``Problem``); their expected answers come from the reference, computed afresh.
"""

import ast
import copy
import dataclasses
import difflib
import importlib.util
import json
import math
import os
import random
import sys
import textwrap
import time

import problems
from problems import Example, SolutionError, curriculum
from problems._problem import show
from problems.progress import Progress, encode

COMMANDS = ("list", "next", "hint", "solution", "stat")
STATUSES = ("solved", "attempted", "unsolved", "new")
_PROG = "python -m problems"


class _UsageError(Exception):
    """A learner command used wrongly: one line on stderr, exit status 2."""


# ---------------------------------------------------------------------------------------------
# The command line: new subcommands and the flags added to ``list`` and ``check``.


def add_arguments(commands, list_parser, check_parser):
    """Add the learner's subcommands to ``commands`` and their flags to ``list`` and ``check``."""
    list_parser.add_argument("--topic", help="only this topic (see python -m problems stat)")
    list_parser.add_argument(
        "--difficulty", choices=(*curriculum.DIFFICULTIES, "unrated"), help="only this difficulty"
    )
    list_parser.add_argument(
        "--status",
        choices=STATUSES,
        help="solved (a check passed), attempted (checked, never passed), unsolved (not solved: "
        "attempted or new), new (never checked)",
    )
    list_parser.add_argument("--json", action="store_true", help="print JSON")

    check_parser.add_argument(
        "--watch", action="store_true", help="judge again each time the file is saved (Ctrl-C ends)"
    )
    check_parser.add_argument(
        "--save-test",
        metavar="FILE",
        help="on a failure, write a pytest file that reproduces the smallest failing input",
    )
    check_parser.add_argument("--json", action="store_true", help="print the verdict as JSON")

    commands.add_parser(
        "next", help="the first unsolved problem whose prerequisites are solved"
    ).add_argument("--json", action="store_true", help="print JSON")
    hint = commands.add_parser("hint", help="the next hint for a problem (or hint N)")
    hint.add_argument("id")
    hint.add_argument("n", nargs="?", type=int, help="which hint (1 names the idea)")
    solution = commands.add_parser(
        "solution", help="the package's solution and its explanation, once you passed"
    )
    solution.add_argument("id")
    solution.add_argument(
        "--give-up", action="store_true", help="show it before passing (recorded as such)"
    )
    stat = commands.add_parser("stat", help="solved and attempted problems per topic")
    stat.add_argument("--json", action="store_true", help="print JSON")


def run(arguments):
    """Run ``list``, ``next``, ``hint``, ``solution`` or ``stat``; the exit status."""
    try:
        return {
            "list": list_command,
            "next": next_command,
            "hint": hint_command,
            "solution": solution_command,
            "stat": stat_command,
        }[arguments.command](arguments)
    except _UsageError as exc:
        print(f"{_PROG}: error: {exc}", file=sys.stderr)
        return 2


def _load_progress():
    progress = Progress()
    _warn(progress)
    return progress


def _warn(progress):
    for line in progress.warnings:
        print(f"{_PROG}: warning: {line}", file=sys.stderr)
    progress.warnings.clear()


# ---------------------------------------------------------------------------------------------
# list, next, hint, solution, stat.


LADDER_TOPIC = "cuda-kernels"


def _rows(progress):
    rows = []
    for e in curriculum.curriculum():
        problem = problems.get(e.id)
        rows.append(
            {
                "id": e.id,
                "title": problem.title,
                "aliases": list(problem.aliases),
                "topic": e.topic,
                "difficulty": e.difficulty,
                "prerequisites": list(e.prerequisites),
                "hints": len(e.hints),
                "status": progress.status(e.id),
            }
        )
    order = {p.id: i for i, p in enumerate(problems.catalog())}
    rows.sort(key=lambda r: order[r["id"]])
    for problem in problems.ladder():  # the CUDA kernel ladder, in its own order, after the rest
        rows.append(
            {
                "id": problem.id,
                "title": problem.title,
                "aliases": [],
                "topic": LADDER_TOPIC,
                "difficulty": "ladder",
                "prerequisites": [],
                "hints": 0,
                "status": progress.status(problem.id),
            }
        )
    return rows


def list_command(arguments):
    progress = _load_progress()
    rows = _rows(progress)
    topics = (*curriculum.topics(), LADDER_TOPIC)
    if arguments.topic is not None and arguments.topic not in topics:
        raise _UsageError(f"unknown topic {arguments.topic!r}: topics are {', '.join(topics)}")
    wanted = {
        None: STATUSES,
        "unsolved": ("attempted", "new"),
    }.get(arguments.status, (arguments.status,))
    rows = [
        r
        for r in rows
        if (arguments.topic is None or r["topic"] == arguments.topic)
        and (arguments.difficulty is None or r["difficulty"] == arguments.difficulty)
        and r["status"] in wanted
    ]
    if arguments.json:
        print(json.dumps(rows, indent=1))
        return 0
    for r in rows:
        aliases = f" ({', '.join(r['aliases'])})" if r["aliases"] else ""
        print(
            f"{r['id']:<24} {r['topic']:<20} {r['difficulty']:<7} {r['status']:<10} "
            f"{r['title']}{aliases}"
        )
    if not rows:
        print("no problem matches", file=sys.stderr)
    return 0


def next_problem(progress):
    """The first unsolved problem of the curriculum whose prerequisites are solved, or None."""
    for e in curriculum.curriculum():
        if progress.status(e.id) != "solved" and all(
            progress.status(p) == "solved" for p in e.prerequisites
        ):
            return e
    return None


def next_command(arguments):
    progress = _load_progress()
    e = next_problem(progress)
    if arguments.json:
        print(json.dumps(None if e is None else dataclasses.asdict(e) | {"file": _file_for(e)}))
        return 0
    if e is None:
        print("Every problem is solved. python -m problems stat shows the record.")
        return 0
    problem = problems.get(e.id)
    state = " (attempted before)" if progress.status(e.id) == "attempted" else ""
    print(f"Next: {e.id}, {problem.title} ({e.topic}, {e.difficulty}){state}")
    if e.prerequisites:
        print(f"  builds on: {', '.join(e.prerequisites)} (solved)")
    file = _file_for(e)
    print(f"  read it:   {_PROG} show {e.id}")
    print(f"  start:     {_PROG} template {e.id} {file}")
    print(f"  check:     {_PROG} check {e.id} {file}")
    if e.hints:
        print(f"  stuck:     {_PROG} hint {e.id}")
    return 0


def _file_for(e):
    return e.id.replace("-", "_") + ".py"


def hint_command(arguments):
    e = curriculum.entry(arguments.id)
    if not e.hints:
        print(f"No hints are written for {e.id} yet.")
        return 0
    progress = _load_progress()
    if arguments.n is None:
        tier = min(progress.hints_seen(e.id) + 1, len(e.hints))
    elif 1 <= arguments.n <= len(e.hints):
        tier = arguments.n
    else:
        raise _UsageError(
            f"{e.id} has {len(e.hints)} hints: N must satisfy 1 <= N <= {len(e.hints)}, "
            f"got {arguments.n}"
        )
    print(f"Hint {tier} of {len(e.hints)} for {e.id}:")
    print()
    text = e.hints[tier - 1]
    if "\n" not in text:  # prose is wrapped, code is shown as written
        text = textwrap.fill(text, 92)
    print(textwrap.indent(text, "    "))
    print()
    if tier < len(e.hints):
        print(f"More: {_PROG} hint {e.id}  (hint {tier + 1})")
    else:
        print(f"That was the last hint. The solution: {_PROG} solution {e.id} --give-up")
    progress.see_hint(e.id, tier)
    _warn(progress)
    return 0


def solution_command(arguments):
    e = curriculum.entry(arguments.id)
    problem = problems.get(e.id)
    progress = _load_progress()
    if progress.status(e.id) != "solved" and not arguments.give_up:
        print(
            f"{_PROG}: {e.id} is not solved yet: pass {_PROG} check {e.id} FILE first, or see "
            f"the solution now with --give-up (hints: {_PROG} hint {e.id})",
            file=sys.stderr,
        )
        return 1
    if progress.status(e.id) != "solved":
        progress.give_up(e.id)
        _warn(progress)
    print(f"# {problem.title} ({e.id}): the package's solution")
    explanation = _docstring(e.explanation)
    if explanation:
        print()
        print(f"## The idea (from {e.explanation})")
        print()
        print(explanation)
    where, source = _solution_source(e, problem)
    print()
    print(f"## The solution ({where})")
    print()
    print(source.rstrip())
    topic_file = _module_file(e.explanation) if e.explanation else None
    if topic_file is not None:
        print()
        print(
            f"The package's own forms (general, and fast on arrays): "
            f"{os.path.relpath(topic_file, _package_root())}"
        )
    return 0


def _module_file(name):
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.origin else None


def _docstring(module_name):
    """A module's docstring without its doctests, read from the file (nothing is imported)."""
    path = _module_file(module_name) if module_name else None
    if path is None:
        return ""
    with open(path, encoding="utf-8") as f:
        text = ast.get_docstring(ast.parse(f.read())) or ""
    kept = []
    for line in text.splitlines():
        if line.lstrip().startswith(">>>"):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _solution_source(e, problem):
    import inspect

    path = _module_file(e.solution) if e.solution else None
    if path is not None:
        with open(path, encoding="utf-8") as f:
            return os.path.relpath(path, _package_root()), f.read()
    reference = problem.reference
    return f"{reference.__module__}.{reference.__qualname__}", inspect.getsource(reference)


def _package_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(problems.__file__)))


def stat_command(arguments):
    progress = _load_progress()
    table = {}
    for e in curriculum.curriculum():
        counts = table.setdefault(e.topic, {"solved": 0, "attempted": 0, "new": 0, "problems": 0})
        counts[progress.status(e.id)] += 1
        counts["problems"] += 1
    total = {
        k: sum(c[k] for c in table.values()) for k in ("solved", "attempted", "new", "problems")
    }
    records = [progress.record(e.id) for e in curriculum.curriculum()]
    checks = [c for r in records for c in r.get("checks", [])]
    last = max((c.get("time", "") for c in checks), default=None)
    gave_up = sorted(e.id for e, r in zip(curriculum.curriculum(), records) if r.get("gave_up"))
    if arguments.json:
        print(
            json.dumps(
                {
                    "progress_file": progress.path,
                    "topics": table,
                    "total": total,
                    "checks": len(checks),
                    "last_check": last,
                    "gave_up": gave_up,
                },
                indent=1,
            )
        )
        return 0
    print(f"{'topic':<22} {'solved':>6} {'attempted':>9} {'new':>4} {'problems':>8}")
    for topic, c in [*table.items(), ("all", total)]:
        print(f"{topic:<22} {c['solved']:>6} {c['attempted']:>9} {c['new']:>4} {c['problems']:>8}")
    print()
    print(f"checks: {len(checks)}" + (f", the last on {last}" if last else ""))
    if gave_up:
        print(f"solutions seen before passing: {', '.join(gave_up)}")
    print(f"progress file: {progress.path}")
    return 0


# ---------------------------------------------------------------------------------------------
# check: signature, replay, seed, progress, --save-test, --json, --watch.


def check_command(problem, arguments, judge):
    """``check`` with the learner's additions; ``judge(problem, solution, seed)`` is the judge.

    Raises what the judge raises for a usage error (``SolutionError``), as before."""
    if arguments.save_test is not None:
        if arguments.watch:
            raise SolutionError("--save-test and --watch do not go together")
        if os.path.exists(arguments.save_test):
            raise SolutionError(f"{arguments.save_test} exists; not overwriting it")
    if not arguments.watch:
        return check_once(problem, arguments, judge)
    path, _ = _split_solution(arguments.solution)
    print(f"Watching {path}: judging it each time it is saved (Ctrl-C ends).")

    def judge_again():
        try:
            return check_once(problem, arguments, judge)
        except (SolutionError, OSError) as exc:
            print(f"{_PROG}: error: {exc}", file=sys.stderr)
            return 2

    return watch(path, judge_again)


def check_once(problem, arguments, judge):
    """One judgement with replay, seed and progress; prints the verdict; the exit status."""
    signature_problem(problem, arguments.solution)
    progress = Progress()
    _warn(progress)
    saved = progress.failing(problem.id)
    judged, replayed = with_saved_inputs(problem, saved)
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(2**32)
    start = time.monotonic()
    verdict = judge(judged, arguments.solution, seed)
    seconds = time.monotonic() - start
    if verdict.status == "judge error":  # the judge's own fault: not an attempt of the learner's
        message = " ".join(str(verdict.message).split())
        print(f"{_PROG}: judge error: {message}", file=sys.stderr)
        return 2
    passed_replays = relabel(verdict, problem, replayed)
    if verdict.phase == "examples":
        replayed = []  # a worked example failed first: the saved inputs did not run
    first_pass = verdict.passed and progress.status(problem.id) != "solved"
    progress.add_check(
        problem.id,
        verdict,
        seed=seed,
        solution=os.path.abspath(_split_solution(arguments.solution)[0]),
        seconds=seconds,
        fixed=[item["args"] for item in replayed[:passed_replays]],
    )
    written = None
    if arguments.save_test is not None and not verdict.passed and verdict.counterexample:
        written = arguments.save_test
        with open(written, "x", encoding="utf-8") as f:
            f.write(reproduction_source(problem, arguments.solution, verdict, seed))
    if arguments.json:
        print(json.dumps(verdict_json(verdict, seed, replayed, progress.path, written)))
        _warn(progress)
        return 0 if verdict.passed else 1
    if replayed:
        n = len(replayed)
        print(f"Replayed {n} saved failing input{'s' * (n > 1)} before the generated ones.")
    print(verdict.report())
    print()
    if verdict.passed:
        print(("Solved! " if first_pass else "") + "Recorded in your progress.")
        print(f"Next: {_PROG} next; the package's solution: {_PROG} solution {problem.id}")
    else:
        print(
            f"Seed: {seed} ({_PROG} check {problem.id} {arguments.solution} --seed {seed} "
            "repeats this run)"
        )
        if verdict.counterexample is not None and verdict.phase == "hypothesis":
            print("The failing input is saved: the next check replays it first.")
        if written:
            print(f"Wrote {written}: pytest {written} reproduces the failing input.")
        elif arguments.save_test is not None:
            print(f"Nothing written to {arguments.save_test}: this failure has no input to replay.")
        print(f"Stuck? {_PROG} hint {problem.id}")
    _warn(progress)
    return 0 if verdict.passed else 1


def with_saved_inputs(problem, saved):
    """A copy of ``problem`` whose worked examples end with the saved failing inputs.

    Returns the copy and the saved inputs kept (an input the reference now rejects is
    dropped: the problem changed since it was saved)."""
    kept, examples = [], []
    for item in saved:
        args = item["args"]
        try:
            expected = problem.call(problem.reference, *copy.deepcopy(args))
        except Exception:
            continue
        kept.append(item)
        examples.append(Example(args, expected, f"saved failing input from {item.get('time')}"))
    if not kept:
        return problem, []
    return dataclasses.replace(problem, examples=problem.examples + tuple(examples)), kept


def relabel(verdict, problem, replayed):
    """Name a failure on a saved input as such, and count only the statement's examples.

    Returns how many of the replayed inputs passed."""
    n, own = len(replayed), len(problem.examples)
    if not n:
        return 0
    if verdict.phase == "examples" and verdict.examples_checked < own:
        return 0  # a worked example failed: the saved inputs did not run
    if verdict.phase == "examples":
        index = verdict.examples_checked - own
        verdict.phase = "replay"
        verdict.message = (
            f"A failing input saved on {replayed[index].get('time')} still fails. "
            + verdict.message.removeprefix(f"Worked example {own + index + 1} fails. ")
        )
        verdict.examples_checked = own
        return index
    verdict.examples_checked = own
    verdict.message = verdict.message.replace(
        f"{own + n} worked examples", f"{own} worked examples", 1
    )
    return n


def verdict_json(verdict, seed, replayed, progress_file, saved_test):
    """The verdict as a JSON-ready dict: values both as tagged data and as text."""

    def both(value):
        try:
            data = encode(value)
        except TypeError:
            data = None
        return data, show(value)

    out = {
        "problem": verdict.problem_id,
        "passed": verdict.passed,
        "status": verdict.status,
        "message": verdict.message,
        "phase": verdict.phase,
        "seed": seed,
        "examples_checked": verdict.examples_checked,
        "generated_checked": verdict.generated_checked,
        "replayed": len(replayed),
        "counterexample": None,
        "counterexample_text": None,
        "traceback": verdict.traceback,
        "speed": getattr(verdict, "speed", None),
        "timings": [
            {"n": t.n, "solution_seconds": t.solution, "reference_seconds": t.reference}
            for t in verdict.timings
        ],
        "solution_growth": verdict.solution_growth,
        "reference_growth": verdict.reference_growth,
        "progress_file": progress_file,
        "saved_test": saved_test,
    }
    if verdict.counterexample is not None:
        pairs = {name: both(value) for name, value in verdict.counterexample.items()}
        out["counterexample"] = {name: p[0] for name, p in pairs.items()}
        out["counterexample_text"] = {name: p[1] for name, p in pairs.items()}
        out["expected"], out["expected_text"] = both(verdict.expected)
        out["actual"], out["actual_text"] = both(verdict.actual)
    for key in ("solution_growth", "reference_growth"):
        if out[key] is not None and not math.isfinite(out[key]):
            out[key] = None
    return out


def watch(path, judge_once, *, interval=0.5, max_polls=None, stop=None, sleep=time.sleep):
    """Judge now, then again each time ``path`` changes (its modification time or size).

    Polls every ``interval`` seconds with ``sleep``; ends when ``stop()`` is true, after
    ``max_polls`` polls, or on Ctrl-C. Returns the exit status of the last judgement.
    A file that is briefly missing (an editor that saves by renaming) is waited for.
    """
    status, polls = 2, 0
    try:
        stamp = _stamp(path)
        status = judge_once()
        while (max_polls is None or polls < max_polls) and not (stop is not None and stop()):
            sleep(interval)
            polls += 1
            current = _stamp(path)
            if current is not None and current != stamp:
                stamp = current
                print()
                print(f"--- {path} changed at {time.strftime('%H:%M:%S')}: judging again")
                status = judge_once()
    except KeyboardInterrupt:
        print()
    return status


def _stamp(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


# ---------------------------------------------------------------------------------------------
# The friendly signature check: the file is parsed, never run, in the judge's process.


def _split_solution(text):
    """``FILE[:FUNCTION]`` as ``(path, function_or_None)``, as :func:`problems.solution_spec`."""
    try:
        _, _, attr = problems.solution_spec(text)
    except SolutionError:
        head, sep, tail = text.rpartition(":")
        if sep and tail.isidentifier():
            return head, tail
        return text, None
    return (text, None) if attr is None else (text[: -len(attr) - 1], attr)


def _stubs(problem):
    """The functions of the problem's signature: ``{name: (ast arguments, one-line text)}``."""
    out = {}
    for stub in problem.signature.strip().split("\ndef "):
        stub = stub.strip()
        stub = stub if stub.startswith("def ") else "def " + stub
        stub = stub.removesuffix("...").rstrip()
        stub = stub if stub.endswith(":") else stub + ":"
        try:
            node = ast.parse(stub + " ...").body[0]
        except SyntaxError:
            continue
        out[node.name] = (node.args, "`" + " ".join(stub.split()).removesuffix(":") + "`")
    return out


def _bound_names(body):
    """Top-level names a module defines: ``{name: FunctionDef or None}``; True if ``import *``."""
    names, star = {}, False
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = node
        elif isinstance(node, ast.ClassDef):
            names[node.name] = None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    star = True
                else:
                    names[alias.asname or alias.name.split(".")[0]] = None
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names[leaf.id] = None
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            blocks = [node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])]
            blocks += [h.body for h in getattr(node, "handlers", [])]
            for block in blocks:
                inner, inner_star = _bound_names(block)
                names.update(inner)
                star = star or inner_star
    return names, star


_SIGNATURE_PRESERVING = {"njit", "jit", "numba.njit", "numba.jit"}


def _accepts(function, count):
    """Whether ``def function`` can be called with ``count`` positional arguments (or None
    where a decorator may change what it accepts)."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) not in _SIGNATURE_PRESERVING:
            return None
    a = function.args
    positional = len(a.posonlyargs) + len(a.args)
    required = positional - len(a.defaults)
    if any(d is None for d in a.kw_defaults):
        return False
    return required <= count and (a.vararg is not None or count <= positional)


def _describe(function):
    return f"{function.name}({ast.unparse(function.args)})"


def signature_problem(problem, solution_text):
    """Raise :class:`SolutionError` with a message that names what was expected, when the file
    is missing, does not parse, lacks a function or has one with the wrong number of
    parameters. The file is parsed, not run."""
    path, attr = _split_solution(solution_text)
    stubs = _stubs(problem)
    expected = "; ".join(text for _, text in stubs.values()) or " ".join(problem.signature.split())
    if not os.path.isfile(path):
        raise SolutionError(
            f"no such file: {path}; the problem expects a file defining {expected} "
            f"(start one with: {_PROG} template {problem.id} {path})"
        )
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise SolutionError(
            f"{path} line {exc.lineno}: {exc.msg}; the problem expects {expected}"
        ) from None
    names, star = _bound_names(tree.body)
    found = [n for n, node in names.items() if node is not None]
    if attr is not None:
        if "." in attr or len(problem.solution_names) != 1:
            return  # an object holding the functions: looked up when the file runs
        wanted = {attr: next(iter(stubs.values()), (None, expected))}
    else:
        wanted = {name: stubs.get(name, (None, expected)) for name in problem.solution_names}
    for name, (arguments, text) in wanted.items():
        if name not in names:
            if star or "__getattr__" in names:  # names made at run time: the judge looks them up
                continue
            close = difflib.get_close_matches(name, found, n=1, cutoff=0.6)
            what = f"no {name!r}" if attr is not None else f"no function {name!r}"
            raise SolutionError(
                f"{path} has {what}: the problem expects {text}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + (f"; it defines {', '.join(found)}" if found else "")
            )
        node = names[name]
        if node is None or arguments is None:
            continue
        count = len(arguments.posonlyargs) + len(arguments.args)
        if _accepts(node, count) is False:
            raise SolutionError(
                f"{path} defines {_describe(node)}, but the judge calls it with {count} "
                f"argument{'s' * (count != 1)}: the problem expects {text}"
            )


# ---------------------------------------------------------------------------------------------
# --save-test: a pytest file that reproduces the smallest failing input.


def literal(value):
    """Python source that evaluates to ``value`` (numpy as ``np``); ``TypeError`` if none.

    >>> literal((float("nan"), [1, -2.5], {"a": (1,)}))
    "(float('nan'), [1, -2.5], {'a': (1,)})"
    """
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({repr(value)!r})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    import numpy as np

    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        text = f"np.array({literal(value.tolist())}, dtype={value.dtype.name!r})"
        return text if value.size else f"{text}.reshape({value.shape!r})"
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return f"np.{value.dtype.name}({literal(value.item())})"
    raise TypeError(f"no literal for a value of type {type(value).__name__}")


def reproduction_source(problem, solution_text, verdict, seed):
    """The text of a pytest file that runs the solution on the verdict's failing input."""
    path, attr = _split_solution(solution_text)
    names = problem.solution_names
    if attr is not None:
        target = f"_load_module().{attr}"
    elif len(names) == 1:
        target = f"_load_module().{names[0]}"
    else:
        target = "_load_module()"
    args = literal(tuple(verdict.counterexample.values()))
    try:
        expected = literal(verdict.expected)
        if verdict.expected is None and verdict.status in ("error", "timed out"):
            raise TypeError  # the judge keeps no answer for these: compute it
    except TypeError:
        expected = "PROBLEM.call(PROBLEM.reference, *_arguments())"
    name = problem.id.replace("-", "_")
    return f'''"""Reproduces a failure of {os.path.basename(path)} on {problem.id}.

Found by `python -m problems check {problem.id}` (seed {seed}, {verdict.status}): the smallest
failing input, shrunk by hypothesis. Run it with pytest; edit SOLUTION if the file moves.
"""

import importlib.util
import pathlib

import numpy as np

import problems

SOLUTION = pathlib.Path({os.path.abspath(path)!r})
PROBLEM = problems.get({problem.id!r})


def _load_module():
    spec = importlib.util.spec_from_file_location("solution_under_test", SOLUTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _arguments():
    return {args}


def _same(x, y):
    if isinstance(x, np.ndarray):
        return (
            isinstance(y, np.ndarray)
            and x.dtype == y.dtype
            and x.shape == y.shape
            and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        )
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(map(_same, x, y))
    return x == y or (x != x and y != y)


def test_{name}_smallest_failing_input():
    arguments = _arguments()
    expected = {expected}
    actual = PROBLEM.call({target}, *arguments)
    reason = PROBLEM.compare(expected, actual, _arguments())
    assert reason is None, reason
    assert _same(arguments, _arguments()), "the solution changed its arguments"
'''
