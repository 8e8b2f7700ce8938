"""The CUDA kernels compile with the real compiler (to PTX for compute capability 9.0).

The CUDA simulator runs kernels as Python, so it cannot see what NVVM rejects (typing, intrinsics,
float16 conversions, shared-memory shapes) nor what it compiles badly. Here every kernel variant
the launchers use is compiled to PTX, no GPU needed, and the PTX is checked for float64
arithmetic in float16 / float32 kernels (a bare Python float constant makes numba widen to
float64) and, for the softmax kernels, for local memory (register spills).

Compilation runs in a subprocess with the simulator off (``conftest`` switches it on in this
process). Skipped where numba finds no CUDA compiler (libNVVM and NVRTC), e.g. on CI; to run it,
make them findable, e.g. ``CUDA_HOME=/usr/local/cuda`` and ``LD_LIBRARY_PATH`` holding
``libnvrtc.so``.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

_SCRIPT = r"""
import json, re, types
import numba
import numba.cuda.dispatcher
import numpy as np
from numba import cuda

# Device functions are typed for the current device's compute capability; without a GPU there is
# none, so name the target explicitly.
numba.cuda.dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=(9, 0))

def ptx(pyfunc, sig):
    return cuda.compile_ptx(pyfunc, sig, cc=(9, 0))[0]

def probe(x):
    x[0] = 1.0

try:
    ptx(probe, (numba.float32[::1],))
except Exception as exc:
    print(json.dumps({"skip": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}))
    raise SystemExit

from kernels import blocked_attention_cuda, online_softmax_cuda

def array(dtype, ndim):
    return numba.types.Array(numba.from_dtype(np.dtype(dtype)), ndim, "C")

results = {}
def check(name, pyfunc, sig):
    try:
        text = ptx(pyfunc, sig)
    except Exception as exc:
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[:3000]}
        return
    results[name] = {
        # Instructions on float64 values (conversions included), not register declarations.
        "f64": len(re.findall(r"^[^.\n]*\w\.(\w+\.)*f64\b.*$", text, re.M)),
        "local": len(re.findall(r"\.local\b", text)),
    }

for dtype in ("float16", "float32", "float64"):
    # Exactly the argument types the launchers pass.
    block, warp = online_softmax_cuda._kernels(np.dtype(dtype))
    sig = (array(dtype, 2), array(dtype, 2), array(dtype, 1), numba.int64)
    check(f"softmax-block-{dtype}", block.py_func, sig)
    check(f"softmax-warp-{dtype}", warp.py_func, sig)
    acc = numba.float64 if dtype == "float64" else numba.float32
    sig = (array(dtype, 3),) * 4 + (acc, numba.boolean, numba.int64)
    check(f"attention-{dtype}", blocked_attention_cuda._kernel(acc).py_func, sig)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def compiled():
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
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


VARIANTS = [
    f"{kernel}-{dtype}"
    for dtype in ("float16", "float32", "float64")
    for kernel in ("softmax-block", "softmax-warp", "attention")
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_kernel_compiles_to_ptx(compiled, variant):
    assert "error" not in compiled[variant], compiled[variant].get("error")


@pytest.mark.parametrize("variant", [v for v in VARIANTS if not v.endswith("float64")])
def test_float16_and_float32_kernels_do_no_float64_arithmetic(compiled, variant):
    assert compiled[variant]["f64"] == 0


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.startswith("softmax")])
def test_softmax_kernels_keep_their_state_in_registers(compiled, variant):
    assert compiled[variant]["local"] == 0
