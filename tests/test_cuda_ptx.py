"""The CUDA kernels compile with the real compiler (to PTX for compute capability 9.0).

The CUDA simulator runs kernels as Python, so it cannot see what NVVM rejects (typing, intrinsics,
float16 conversions, shared-memory shapes) nor what it compiles badly. Here every kernel variant
the launchers use is compiled to PTX, no GPU needed, and the PTX is checked for float64
arithmetic in kernels whose values are not float64 (a bare Python float constant makes numba widen
to float64), for local memory (register spills, or a ``cuda.local.array`` not kept in registers)
and, in the scan kernels, for shuffles as wide as the value (numba types int32 + int32 as int64,
which would carry a 32-bit scan in 64-bit registers and shuffle two words per value).

The scan kernels are compiled for a representative set rather than every dtype x op x inclusive
(48 kernels): every value dtype the kernels scan in (narrow integers and float16 are loaded in
their own dtype and widened to 32 bits in registers), every op and both ``inclusive`` flags,
with all four ops for int32 and float32 and add/mul (the widening ops) for uint32.

Compilation runs in a subprocess with the simulator off (``conftest`` switches it on in this
process). The ``test`` extra installs NVRTC and libNVVM from the package index
(``nvidia-cuda-nvrtc-cu12``, ``nvidia-cuda-nvcc-cu12``), where numba finds them without a CUDA
toolkit, so CI compiles every kernel; the test skips only where numba finds no CUDA compiler.
"""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
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

from kernels import blocked_attention_cuda, online_softmax_cuda, prefix_scan_cuda, recurrence_cuda
from kernels import _scan_core_cuda
from kernels._dtypes import accumulator_dtype, device_scan_dtype

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
        "shfl": len(re.findall(r"\bshfl\.sync\b", text)),
    }

from kernels import tiled_attention_cuda

for dtype in ("float16", "float32", "float64"):
    # Exactly the argument types the launchers pass.
    acc = accumulator_dtype(dtype).name
    block, warp = online_softmax_cuda._kernels(np.dtype(acc))
    sig = (array(dtype, 2), array(dtype, 2), array(dtype, 1), numba.int64)
    check(f"softmax-block-{dtype}", block.py_func, sig)
    check(f"softmax-warp-{dtype}", warp.py_func, sig)
    sig = (array(dtype, 3),) * 4 + (numba.from_dtype(np.dtype(acc)), numba.boolean, numba.int64)
    check(f"attention-{dtype}", blocked_attention_cuda._kernel(np.dtype(acc)).py_func, sig)
    # the tiled path's fused update: scores and state in the accumulation dtype, weights in dtype
    sig = (array(acc, 3), array(acc, 2), array(acc, 2), array(acc, 3), array(dtype, 3))
    sig += (numba.from_dtype(np.dtype(acc)), numba.int64, numba.int64, numba.boolean)
    check(f"tileupdate-{dtype}", tiled_attention_cuda._kernel(np.dtype(acc)).py_func, sig)

# The launchers' default tile (block=256, items=8) and their argument types: the inputs in their
# own dtype (converted in the kernel), the output in the result dtype, the identity in the dtype
# the states are computed in, tiles_per_row a Python int, the counter and flags int32 and the
# published values as unsigned bits.
int32s = array("int32", 1)


def core_signature(inputs, out_dtype, work, width):
    bits = f"uint{8 * np.dtype(work).itemsize}"
    inputs = numba.types.Tuple(tuple(array(dtype, ndim) for dtype, ndim in inputs))
    return (inputs, array(out_dtype, 2), array(work, 1), numba.int64, int32s, int32s, array(bits, 3))


for name in SCANS:
    _, dtype, op, inclusive = name.split("-")
    work = device_scan_dtype(dtype).name
    kernel = _scan_core_cuda._scan_kernel(
        prefix_scan_cuda._instance(op, work), work, dtype, 256, 8, inclusive == "inclusive", False
    )
    check(name, kernel.py_func, core_signature([(dtype, 2)], dtype, work, 1))
for dtype in ("float16", "float32", "float64"):
    work = accumulator_dtype(dtype).name
    kernel = _scan_core_cuda._scan_kernel(
        recurrence_cuda._instance(work), work, dtype, 256, 8, True, False
    )
    sig = core_signature([(dtype, 2), (dtype, 2), (work, 1)], dtype, work, 2)
    check(f"recurrence-{dtype}", kernel.py_func, sig)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def compiled():
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    script = f"SCANS = {SCANS!r}\n{_SCRIPT}"
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


# scan-<input dtype>-<op>-<inclusive|exclusive>: each value dtype the kernel runs in once (int8,
# uint16 and float16 stand for their widened 32-bit kernels), each op, both flags.
SCANS = [
    "scan-int32-add-inclusive",
    "scan-int32-mul-exclusive",
    "scan-int32-max-inclusive",
    "scan-int32-min-exclusive",
    "scan-int8-add-exclusive",
    "scan-uint32-add-inclusive",
    "scan-uint16-mul-exclusive",
    "scan-int64-mul-inclusive",
    "scan-uint64-max-exclusive",
    "scan-float32-add-exclusive",
    "scan-float32-mul-inclusive",
    "scan-float32-max-exclusive",
    "scan-float16-min-inclusive",
    "scan-float64-add-inclusive",
    "scan-float64-min-exclusive",
]
RECURRENCES = [f"recurrence-{dtype}" for dtype in ("float16", "float32", "float64")]
VARIANTS = (
    [
        f"{kernel}-{dtype}"
        for dtype in ("float16", "float32", "float64")
        for kernel in ("softmax-block", "softmax-warp", "attention", "tileupdate")
    ]
    + SCANS
    + RECURRENCES
)


def _value_dtype(variant):
    parts = variant.split("-")
    return parts[1] if parts[0] in ("scan", "recurrence") else parts[-1]


@pytest.mark.parametrize("variant", VARIANTS)
def test_kernel_compiles_to_ptx(compiled, variant):
    assert "error" not in compiled[variant], compiled[variant].get("error")


@pytest.mark.parametrize("variant", [v for v in VARIANTS if _value_dtype(v) != "float64"])
def test_kernels_on_values_other_than_float64_do_no_float64_arithmetic(compiled, variant):
    assert compiled[variant]["f64"] == 0


def test_float64_kernels_are_seen_to_do_float64_arithmetic(compiled):
    # The pattern that must find nothing above does find the float64 instructions where they belong.
    assert all(compiled[v]["f64"] > 0 for v in VARIANTS if _value_dtype(v) == "float64")


@pytest.mark.parametrize("variant", [v for v in VARIANTS if not v.startswith("attention")])
def test_softmax_scan_and_recurrence_kernels_keep_their_state_in_registers(compiled, variant):
    # The scans' per-thread ``cuda.local.array`` of ``items`` values is indexed by unrolled loops
    # only, so it must live in registers too.
    assert compiled[variant]["local"] == 0


@pytest.mark.parametrize("variant", SCANS + RECURRENCES)
def test_scan_kernels_shuffle_one_word_per_32_bits_of_value(compiled, variant):
    # Per value of the state (the recurrence's has two): the warp scan of the thread totals makes
    # 5 shuffles (d = 1, 2, 4, 8, 16) and one more for the lane before; the first warp's scan of
    # the warp totals 5, one for the lane before and one to broadcast the tile's aggregate; the
    # look-back's reduction of a window 5 and one broadcast: 19. A 64-bit value takes two 32-bit
    # shuffles.
    size = max(4, np.dtype(_value_dtype(variant)).itemsize)  # narrower values are widened
    values = 2 if variant.startswith("recurrence") else 1
    assert compiled[variant]["shfl"] == 19 * values * size // 4
