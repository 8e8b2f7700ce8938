"""Test support: compile CUDA kernels to PTX with the real compiler, without a GPU.

The simulator runs kernels as Python and cannot see what NVVM rejects (typing, shared-memory
shapes, conversions). :func:`compile_to_ptx` runs a script in a subprocess with the simulator
off: ``PRELUDE`` (which pretends the device is compute capability 9.0 and defines
``array(dtype, ndim)`` and ``check(name, pyfunc, signature)``, recording each kernel's count of
float64 instructions or its compile error in ``results``), then the caller's ``body``. Where
numba finds no CUDA compiler (libNVVM and NVRTC) the calling test is skipped, with the reason.
"""

import json
import os
import subprocess
import sys

import pytest

PRELUDE = r"""import json, re, types
import numba
import numba.cuda.dispatcher
import numpy as np
from numba import cuda

numba.cuda.dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=(9, 0))


def array(dtype, ndim):
    return numba.types.Array(numba.from_dtype(np.dtype(dtype)), ndim, "C")


def probe(x):
    x[0] = 1.0


try:
    cuda.compile_ptx(probe, (numba.float32[::1],), cc=(9, 0))
except Exception as exc:
    print(json.dumps({"skip": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}))
    raise SystemExit
results = {}


def check(name, pyfunc, sig):
    try:
        text = cuda.compile_ptx(pyfunc, sig, cc=(9, 0))[0]
    except Exception as exc:
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[:3000]}
        return
    results[name] = {"f64": len(re.findall(r"^[^.\n]*\w\.(\w+\.)*f64\b.*$", text, re.M))}
"""

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def compile_to_ptx(body):
    """``results`` of ``PRELUDE + body``: ``{name: {"f64": count} or {"error": text}}``."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    script = PRELUDE + "\n" + body + "\nprint(json.dumps(results))\n"
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if "skip" in result:
        pytest.skip(f"no CUDA compiler for numba ({result['skip']})")
    return result
