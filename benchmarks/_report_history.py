"""asv's stored results as one history chart per benchmark, for the performance page.

asv keeps a JSON file per machine, commit and environment under ``.asv/results/<machine>/``
(format version 2): ``commit_hash``, ``date`` (ms since the epoch), ``result_columns`` naming the
columns of ``results[benchmark]``, among them ``result`` (one value per combination of the
benchmark's parameters, in ``itertools.product`` order) and ``params`` (the parameter values).
``.asv/results/benchmarks.json`` gives each benchmark's parameter names and unit.
"""

import datetime
import itertools
import json
import math
import pathlib
from collections import defaultdict


def load_history(results_dir):
    """``{benchmark: {series label: [(date, value), ...]}}`` from an asv results folder.

    Failed and skipped measurements (``null``, NaN) are left out; files that are not asv result
    files are ignored. An empty dict where the folder is missing or holds no results.
    """
    results_dir = pathlib.Path(results_dir)
    if not results_dir.is_dir():
        return {}
    meta = _read_json(results_dir / "benchmarks.json") or {}
    machines = [p.parent for p in results_dir.glob("*/machine.json")]
    history = defaultdict(lambda: defaultdict(list))
    for machine_dir in machines:
        for path in machine_dir.glob("*.json"):
            data = _read_json(path)
            if not data or "result_columns" not in data or path.name == "machine.json":
                continue
            date = datetime.datetime.fromtimestamp(data["date"] / 1000, tz=datetime.timezone.utc)
            columns = data["result_columns"]
            for name, row in data["results"].items():
                cells = dict(zip(columns, row))
                for label, value in _values(cells, meta.get(name, {})):
                    if len(machines) > 1:
                        label = f"{machine_dir.name}: {label}" if label else machine_dir.name
                    history[name][label].append((date, value))
    for series in history.values():
        for points in series.values():
            points.sort()
    return {name: dict(series) for name, series in sorted(history.items())}


def plot_history(history, out_dir, units=None):
    """One PNG per benchmark in ``out_dir``; returns ``[(benchmark, path), ...]``."""
    import matplotlib.pyplot as plt

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, series in history.items():
        fig, ax = plt.subplots(figsize=(8, 4))
        for label, points in series.items():
            dates, values = zip(*points)
            ax.plot(dates, values, marker="o", markersize=3, label=label or name)
        unit = (units or {}).get(name, "")
        if unit == "seconds":
            ax.set_yscale("log")
        ax.set_ylabel(unit or "value")
        ax.set_title(name, fontsize=9)
        if len(series) > 1:
            ax.legend(fontsize=6, ncol=2)
        fig.autofmt_xdate()
        fig.tight_layout()
        path = out_dir / f"{name}.png"
        fig.savefig(path, dpi=90, bbox_inches="tight")
        plt.close(fig)
        written.append((name, path))
    return written


def units_of(results_dir):
    """``{benchmark: unit}`` from ``benchmarks.json`` (``seconds``, ``bytes``, or a track's unit)."""
    meta = _read_json(pathlib.Path(results_dir) / "benchmarks.json") or {}
    return {name: info.get("unit", "") for name, info in meta.items() if isinstance(info, dict)}


def _values(cells, meta):
    """``(series label, value)`` for each parameter combination with a finite result."""
    result = cells.get("result")
    if result is None:
        return
    params = cells.get("params") or []
    if not isinstance(result, list):
        result = [result]
    names = meta.get("param_names") or [f"p{i}" for i in range(len(params))]
    for combo, value in zip(itertools.product(*params) if params else [()], result):
        if isinstance(value, (int, float)) and math.isfinite(value):
            yield ", ".join(f"{n}={v}" for n, v in zip(names, combo)), float(value)


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
