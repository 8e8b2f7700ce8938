"""Command line: ``python -m problems list | show ID | check ID FILE[:FUNCTION] | template ID``,
and the learner's ``next | hint ID [N] | solution ID | stat`` (in :mod:`problems._learner`).

Exit status: 0 when the solution passes (and for list, show, template), 1 when it fails, 2 on a
usage error (unknown problem, missing file or function, a bad option) or a judge error (a
failure on the judge's side, never the solution's), reported in one line on stderr.
"""

import argparse
import json
import os
import sys

import problems
from problems import _learner
from problems._sandbox import MEMORY_LIMIT, SolutionError
from problems.judge import validate_options


def _option(name, convert, unit=1):
    """An argparse type: ``convert`` the text, then check it as :func:`problems.check` does."""

    def parse(text):
        try:
            value = convert(text) * unit
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        options = {"max_examples": 200, "time_limit": 3.0, "memory_limit": MEMORY_LIMIT}
        options[name] = value
        try:
            validate_options(**options)
        except (TypeError, ValueError) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see python -m problems --help)\n")


def _parser():
    parser = _Parser(
        prog="python -m problems",
        description="Practice problems and a local judge that shows the smallest failing input.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    list_parser = commands.add_parser("list", help="list the problems")
    show = commands.add_parser("show", help="print a problem's statement and examples")
    show.add_argument("id", help="problem id or alias, e.g. sliding-window-maximum or lc239")
    template = commands.add_parser("template", help="print (or write) a starter file")
    template.add_argument("id")
    template.add_argument(
        "file",
        nargs="?",
        help="write the starter here instead of stdout (an existing file is never overwritten)",
    )
    check = commands.add_parser("check", help="judge a solution")
    check.add_argument("id")
    check.add_argument(
        "solution",
        metavar="FILE[:FUNCTION]",
        help="the solution file; FUNCTION defaults to the problem's function name",
    )
    check.add_argument(
        "--max-examples",
        type=_option("max_examples", int),
        default=200,
        help="inputs hypothesis generates, at least 1 (default 200)",
    )
    check.add_argument(
        "--time-limit",
        type=_option("time_limit", float),
        default=3.0,
        help="seconds allowed per call, more than 0 (default 3)",
    )
    check.add_argument(
        "--memory-limit",
        type=_option("memory_limit", int, unit=1 << 20),
        default=MEMORY_LIMIT,
        metavar="MIB",
        help=f"memory the solution may allocate, in MiB (default {MEMORY_LIMIT >> 20})",
    )
    check.add_argument("--no-timing", action="store_true", help="skip the timing on growing inputs")
    check.add_argument("--seed", type=int, default=None, help="seed for hypothesis")
    _learner.add_arguments(commands, list_parser, check)
    return parser


def template(problem):
    """A starter file: the statement and examples as the module docstring, stubs to fill in."""
    lines = [f'"""{problem.title} ({problem.id}).', ""]
    lines += problem.statement.strip().replace("\\", "\\\\").splitlines()
    lines += ["", "Examples:", ""]
    from problems._problem import format_arguments, show

    for example in problem.examples:
        lines.append("    Input:  " + format_arguments(problem.parameters, example.args, ", "))
        lines.append("    Output: " + show(example.expected))
        lines.append("")
    lines += [
        "Check it with:",
        "",
        f"    python -m problems check {problem.id} THIS_FILE",
        '"""',
        "",
    ]
    if "np." in problem.signature:
        lines += ["import numpy as np", ""]
    for stub in problem.signature.strip().split("\ndef "):
        stub = stub.strip()
        stub = stub if stub.startswith("def ") else "def " + stub
        stub = stub.removesuffix("...").rstrip()
        stub = stub if stub.endswith(":") else stub + ":"
        lines += ["", stub, "    raise NotImplementedError", ""]
    return "\n".join(lines)


def main(argv=None):
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command in _learner.COMMANDS:  # list, next, hint, solution, stat
            return _learner.run(arguments)
        problem = problems.get(arguments.id)
        if arguments.command == "show":
            print(problem.describe(), end="")
            return 0
        if arguments.command == "template":
            text = (
                problem.template()
                if isinstance(problem, problems.KernelProblem)
                else template(problem)
            )
            if arguments.file is None:
                print(text, end="")
            else:
                if os.path.exists(arguments.file):
                    raise SolutionError(f"{arguments.file} exists; not overwriting it")
                with open(arguments.file, "x") as f:
                    f.write(text)
                print(
                    f"wrote {arguments.file}; check it with: "
                    f"python -m problems check {problem.id} {arguments.file}"
                )
            return 0
        if isinstance(problem, problems.KernelProblem):  # run in the CUDA simulator
            try:
                verdict = problems.check(problem, arguments.solution, seed=arguments.seed)
            except (SolutionError, OSError):
                raise
            except Exception as exc:  # the judge's own fault, not the solution's
                message = _one_line(f"{type(exc).__name__}: {exc}")
                print(f"python -m problems: judge error: {message}", file=sys.stderr)
                return 2
            if arguments.json:
                print(
                    json.dumps(
                        {
                            "problem": problem.id,
                            "passed": verdict.passed,
                            "status": verdict.status,
                            "message": verdict.message,
                        }
                    )
                )
            else:
                print(verdict.report())
            return 0 if verdict.passed else 1

        def judge(problem, solution, seed):
            return problems.check(
                problem,
                solution,
                max_examples=arguments.max_examples,
                time_limit=arguments.time_limit,
                complexity=not arguments.no_timing,
                seed=seed,
                memory_limit=arguments.memory_limit,
            )

        # replay of saved failures, seed, progress, --watch, --save-test, --json
        return _learner.check_command(problem, arguments, judge)
    except (problems.UnknownProblemError, SolutionError, OSError) as exc:
        print(f"python -m problems: error: {_one_line(exc)}", file=sys.stderr)
        return 2


def _one_line(text):
    return " ".join(str(text).split())


if __name__ == "__main__":
    sys.exit(main())
