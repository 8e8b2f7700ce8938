"""Command line: ``python -m problems list | show ID | check ID FILE[:FUNCTION] | template ID``.

Exit status: 0 when the solution passes (and for list, show, template), 1 when it fails, 2 on a
usage error (unknown problem, missing file or function), reported in one line on stderr.
"""

import argparse
import os
import sys

import problems
from problems._sandbox import SolutionError


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
    commands.add_parser("list", help="list the problems")
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
        "--max-examples", type=int, default=200, help="inputs hypothesis generates (default 200)"
    )
    check.add_argument(
        "--time-limit", type=float, default=3.0, help="seconds allowed per call (default 3)"
    )
    check.add_argument("--no-timing", action="store_true", help="skip the timing on growing inputs")
    check.add_argument("--seed", type=int, default=None, help="seed for hypothesis")
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
        if arguments.command == "list":
            for problem in problems.catalog():
                aliases = ", ".join(problem.aliases)
                print(f"{problem.id:<24} {aliases:<26} {problem.title}")
            for problem in problems.ladder():
                print(f"{problem.id:<24} {'(CUDA kernel)':<26} {problem.title}")
            return 0
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
        verdict = problems.check(
            problem,
            arguments.solution,
            max_examples=arguments.max_examples,
            time_limit=arguments.time_limit,
            complexity=not arguments.no_timing,
            seed=arguments.seed,
        )
    except (problems.UnknownProblemError, SolutionError, OSError) as exc:
        print(f"python -m problems: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # the judge's own fault (a failing reference), not the solution's
        print(f"python -m problems: internal error: {exc}", file=sys.stderr)
        return 2
    print(verdict.report())
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
