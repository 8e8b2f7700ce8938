"""The learner's progress: a local JSON file of every check, the failing inputs, the hints seen.

Where. ``$ALGOKERNELS_DATA/progress.json`` when that variable is set, else
``$XDG_DATA_HOME/algokernels/progress.json`` (``~/.local/share/algokernels/progress.json``
where ``XDG_DATA_HOME`` is unset, as the XDG base-directory specification says). Nothing leaves
the machine.

What. For each problem: every check (verdict, date and time in UTC, seed, solution file), the
smallest failing inputs found (replayed first by the next check, as hypothesis's example
database replays its failures), the highest hint tier seen, and when the learner gave up and
looked at the solution. A problem is *solved* once a check passed, *attempted* when checked but
never passed, and *new* when never checked.

Safety. A missing file is an empty record. A file that cannot be read as a progress record
(not JSON, or not the expected shape) never breaks a check: it is reported and moved aside to
``progress.json.corrupt-<timestamp>``, so nothing is lost silently, and a fresh record starts.
Writes go to a temporary file in the same directory, then ``os.replace``: a crash mid-write
leaves the old file whole.
"""

import json
import math
import os
import tempfile
from datetime import datetime, timezone

import numpy as np

__all__ = ["FORMAT", "MAX_FAILING", "Progress", "data_dir", "decode", "encode", "progress_path"]

FORMAT = 1  # the version of the file's layout
MAX_FAILING = 10  # failing inputs kept per problem: the newest


def data_dir(environ=None):
    """The directory of the progress file (see the module docstring)."""
    environ = os.environ if environ is None else environ
    if environ.get("ALGOKERNELS_DATA"):
        return os.path.abspath(os.path.expanduser(environ["ALGOKERNELS_DATA"]))
    base = environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(base):  # the specification says to ignore a relative path
        base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "algokernels")


def progress_path(environ=None):
    """The progress file's path."""
    return os.path.join(data_dir(environ), "progress.json")


def now():
    """The current date and time in UTC, as ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Progress:
    """The progress record, loaded from ``path`` (the default location when None).

    ``warnings`` holds one line per problem met while loading or saving (a corrupt file moved
    aside, a file that could not be written); the caller shows them. Nothing here raises for a
    bad or unwritable file.
    """

    def __init__(self, path=None):
        self.path = progress_path() if path is None else os.fspath(path)
        self.warnings = []
        self.problems = {}
        self._load()

    # -- reading ---------------------------------------------------------------------------

    def _load(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.warnings.append(f"cannot read the progress file {self.path}: {exc}")
            return
        try:
            data = json.loads(text)
            reason = _shape_error(data)
        except ValueError as exc:
            reason = f"not JSON ({exc})"
        if reason is None:
            self.problems = data["problems"]
            return
        self._set_aside(reason)

    def _set_aside(self, reason):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = f"{self.path}.corrupt-{stamp}"
        number = 1
        while os.path.exists(aside):
            number += 1
            aside = f"{self.path}.corrupt-{stamp}-{number}"
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            self.warnings.append(
                f"the progress file {self.path} is unreadable ({reason}) and could not be moved "
                f"aside ({exc}); it is left as it is and this session's progress is not saved"
            )
            self.path = None
            return
        self.warnings.append(
            f"the progress file {self.path} is unreadable ({reason}); moved it aside to "
            f"{aside} and started a fresh record"
        )

    # -- queries ---------------------------------------------------------------------------

    def record(self, problem_id):
        """The record of one problem (empty when never checked); do not change it."""
        return self.problems.get(problem_id, {})

    def status(self, problem_id):
        """``"solved"``, ``"attempted"`` or ``"new"``."""
        checks = self.record(problem_id).get("checks", [])
        if any(c.get("passed") for c in checks):
            return "solved"
        return "attempted" if checks else "new"

    def failing(self, problem_id):
        """The saved failing inputs, oldest first: ``[{"args": tuple, "time": ..., ...}]``.

        An input that no longer decodes is skipped."""
        out = []
        for item in self.record(problem_id).get("failing", []):
            try:
                out.append({**item, "args": tuple(decode(item["args"]))})
            except (KeyError, TypeError, ValueError):
                continue
        return out

    def hints_seen(self, problem_id):
        return int(self.record(problem_id).get("hints_seen", 0))

    # -- changes (each saved at once) ------------------------------------------------------

    def _problem(self, problem_id):
        return self.problems.setdefault(problem_id, {"checks": [], "failing": []})

    def add_check(self, problem_id, verdict, *, seed=None, solution=None, seconds=None, fixed=()):
        """Record a check's verdict and save a new failing input. Saved inputs that pass now
        are dropped, as hypothesis's example database drops them: all of them on a pass, and
        those listed in ``fixed`` (their arguments) on a failure."""
        entry = self._problem(problem_id)
        fixed = [encode(tuple(args)) for args in fixed]
        entry["failing"] = [f for f in entry.get("failing", []) if f.get("args") not in fixed]
        entry.setdefault("checks", []).append(
            {
                "time": now(),
                "verdict": verdict.status,
                "passed": bool(verdict.passed),
                "seed": seed,
                "solution": solution,
                "seconds": None if seconds is None else round(seconds, 3),
            }
        )
        if verdict.passed:
            entry["failing"] = []
        elif verdict.counterexample is not None and verdict.phase == "hypothesis":
            try:
                args = encode(tuple(verdict.counterexample.values()))
            except TypeError as exc:
                self.warnings.append(f"the failing input was not saved: {exc}")
            else:
                kept = [f for f in entry.get("failing", []) if f.get("args") != args]
                kept.append({"args": args, "time": now(), "verdict": verdict.status, "seed": seed})
                entry["failing"] = kept[-MAX_FAILING:]
        self.save()

    def see_hint(self, problem_id, tier):
        entry = self._problem(problem_id)
        entry["hints_seen"] = max(int(entry.get("hints_seen", 0)), tier)
        self.save()

    def give_up(self, problem_id):
        self._problem(problem_id)["gave_up"] = now()
        self.save()

    def save(self):
        """Write the record atomically; a failure is a warning, never an exception."""
        if self.path is None:
            return
        data = {"format": FORMAT, "problems": self.problems}
        directory = os.path.dirname(self.path) or "."
        temporary = None
        try:
            os.makedirs(directory, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=directory, prefix=".progress-", delete=False
            ) as f:
                temporary = f.name
                json.dump(data, f, indent=1, allow_nan=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, self.path)
        except (OSError, ValueError) as exc:
            self.warnings.append(f"could not save progress to {self.path}: {exc}")
            if temporary is not None and os.path.exists(temporary):
                try:
                    os.remove(temporary)
                except OSError:
                    pass


def _shape_error(data):
    """Why ``data`` is not a progress record, or None."""
    if not isinstance(data, dict) or not isinstance(data.get("problems"), dict):
        return "no 'problems' table"
    if data.get("format") != FORMAT:
        return f"unknown format {data.get('format')!r}"
    for problem_id, entry in data["problems"].items():
        if not isinstance(entry, dict):
            return f"the entry of {problem_id!r} is not a table"
        checks = entry.get("checks", [])
        if not isinstance(checks, list) or not all(isinstance(c, dict) for c in checks):
            return f"the checks of {problem_id!r} are not a list of tables"
        failing = entry.get("failing", [])
        if not isinstance(failing, list) or not all(isinstance(c, dict) for c in failing):
            return f"the failing inputs of {problem_id!r} are not a list of tables"
        if not isinstance(entry.get("hints_seen", 0), int):
            return f"hints_seen of {problem_id!r} is not a number"
    return None


# ---------------------------------------------------------------------------------------------
# Values as strict JSON, lossless: tuples, numpy arrays and scalars, dicts with any keys, and
# the floats JSON has no word for are tagged objects (plain JSON objects never occur otherwise).


def encode(value):
    """``value`` as strict JSON data that :func:`decode` turns back into an equal value.

    >>> encode((np.array([1.5, float("nan")], dtype=np.float32), [1, 2], None))
    {'tuple': [{'ndarray': [1.5, {'float': 'nan'}], 'dtype': '<f4', 'shape': [2]}, [1, 2], None]}
    >>> v = decode(encode((np.array([1.5, float("nan")], dtype=np.float32), [1, 2], None)))
    >>> v[0].dtype, v[1:]
    (dtype('float32'), ([1, 2], None))
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return {
            "ndarray": encode(value.ravel().tolist()),
            "dtype": value.dtype.str,
            "shape": list(value.shape),
        }
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"scalar": encode(value.item()), "dtype": value.dtype.str}
    raise TypeError(f"cannot save a value of type {type(value).__name__}")


def decode(data):
    """The value that :func:`encode` turned into ``data``."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "float" in data:
        return float(data["float"])
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "dict" in data:
        return {decode(k): decode(v) for k, v in data["dict"]}
    if "ndarray" in data:
        dtype = np.dtype(data["dtype"])
        return np.array(decode(data["ndarray"]), dtype=dtype).reshape(data["shape"])
    if "scalar" in data:
        return np.dtype(data["dtype"]).type(decode(data["scalar"]))
    raise ValueError(f"unknown tagged value {sorted(data)}")
