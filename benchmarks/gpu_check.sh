#!/usr/bin/env bash
# The one-shot GPU check: on a machine with a CUDA GPU and cupy, numba-cuda (and, optionally,
# torch) already installed, with no installs and nothing downloaded, in under 8 minutes:
#
#   1. the device and the package versions (nvidia-smi, cupy, numba-cuda, torch, triton);
#   2. the tests marked `gpu`;
#   3. the CUDA kernel tests on the real device (no simulator), PTX compilation included;
#   4. every kernel against kernels.reference (benchmarks/gpu_report.py --check-only), with the
#      int32 scan compared exactly with CUB five times at 2**28;
#   5. benchmarks/gpu_report.py: each kernel checked, then timed beside its baselines and the
#      device's copy and matmul rates.
#
# Usage: benchmarks/gpu_check.sh OUTDIR [--quick]
# Writes OUTDIR/gpu_check.log (everything printed), OUTDIR/summary.md (which steps passed, then
# the report's table), OUTDIR/correctness.md and OUTDIR/gpu_report.md (with .json beside each).
# Every step runs under its own time limit and the next step runs whatever the last one did.
# Exit status: 0 every step passed, 1 a step failed or ran out of time, 2 nothing could run (no
# GPU, no cupy, bad arguments).
# Environment: PYTHON (default python3), GPU_CHECK_BUDGET (total seconds, default 460).
set -u

usage="usage: benchmarks/gpu_check.sh OUTDIR [--quick]"
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "${1:0:1}" = "-" ]; then
  echo "$usage" >&2
  exit 2
fi
quick=()
if [ $# -eq 2 ]; then
  if [ "$2" != "--quick" ]; then
    echo "$usage" >&2
    exit 2
  fi
  quick=(--quick)
fi

out=$1
mkdir -p "$out" || { echo "gpu_check: cannot create $out" >&2; exit 2; }
out=$(cd "$out" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
python=${PYTHON:-python3}
total=${GPU_CHECK_BUDGET:-460}
deadline=$((SECONDS + total))
log="$out/gpu_check.log"
summary="$out/summary.md"
: >"$log"
exec > >(tee -a "$log") 2>&1

verdicts=()  # "passed: STEP" or "FAILED: STEP", in the order the steps ran
failures=0

verdict() {
  verdicts+=("$1")
  if [ "${1%%:*}" = "FAILED" ]; then
    failures=$((failures + 1))
  fi
}

finish() {
  local status=$1 step
  {
    echo "# GPU check"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), ${SECONDS}s"
    echo
    for step in "${verdicts[@]+"${verdicts[@]}"}"; do echo "- $step"; done
    if [ -f "$out/correctness.md" ]; then
      echo
      echo "Correctness sweep: $(grep -m 1 'checks passed' "$out/correctness.md")"
      grep '| FAIL |' "$out/correctness.md" | head -n 40
    fi
    if [ -f "$out/gpu_report.md" ]; then
      echo
      cat "$out/gpu_report.md"
    fi
  } >"$summary"
  # The end of the output is what a remote caller sees first: the table, then the verdicts.
  echo
  echo "=== summary ==="
  [ -f "$out/gpu_report.md" ] && grep '^|' "$out/gpu_report.md"
  if [ -f "$out/correctness.md" ]; then
    echo "correctness sweep: $(grep -m 1 'checks passed' "$out/correctness.md")"
    grep '| FAIL |' "$out/correctness.md" | head -n 20
  fi
  for step in "${verdicts[@]+"${verdicts[@]}"}"; do echo "$step"; done
  echo "log: $log; summary: $summary"
  exit "$status"
}

# step NAME LIMIT COMMAND...: run COMMAND under min(LIMIT, time left) seconds and record how it went.
step() {
  local name=$1 limit=$2
  shift 2
  local left=$((deadline - SECONDS - 5))
  if [ "$left" -lt 10 ]; then
    echo "=== $name: not run, the total budget of ${total}s is spent ==="
    verdict "FAILED: $name (not run: the total budget is spent)"
    return
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  echo
  echo "=== $name (limit ${limit}s) ==="
  local start=$SECONDS rc
  timeout --kill-after=10 "$limit" "$@"
  rc=$?
  local took=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then
    verdict "passed: $name (${took}s)"
  elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    verdict "FAILED: $name (timed out after ${limit}s)"
  else
    verdict "FAILED: $name (exit status $rc after ${took}s)"
  fi
}

echo "gpu_check: $(date -u '+%Y-%m-%d %H:%M:%S UTC') in $root, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# No GPU, no cupy: say so and stop before anything slow.
probe=$(timeout 60 "$python" -c '
import sys
try:
    import cupy
except Exception as exc:
    sys.exit(f"cupy is not importable ({type(exc).__name__}: {exc})")
try:
    ok = cupy.is_available()
except Exception as exc:
    sys.exit(f"cupy finds no usable GPU ({type(exc).__name__}: {exc})")
if not ok:
    sys.exit("cupy finds no CUDA GPU")
print(cupy.cuda.runtime.getDeviceCount())
' 2>&1)
probe_rc=$?
if [ "$probe_rc" -ne 0 ]; then
  echo "gpu_check: no GPU to check on: $(echo "$probe" | tail -n 1)"
  echo "gpu_check: this check needs a CUDA GPU with cupy and numba-cuda installed (see docs/gpu.md)"
  verdict "FAILED: GPU probe: $(echo "$probe" | tail -n 1)"
  finish 2
fi
verdict "passed: GPU probe (cupy sees $probe device(s))"

versions_py='
import importlib.metadata as md
import platform
import sys

print("python", sys.version.split()[0], platform.machine())
for dist in ("numpy", "numba", "numba-cuda", "cupy-cuda13x", "cupy-cuda12x", "cupy", "torch",
             "triton", "cuda-bindings", "cuda-python", "hypothesis", "pytest"):
    try:
        print(dist, md.version(dist))
    except md.PackageNotFoundError:
        pass
for module in ("cupy", "numba.cuda", "torch", "triton"):
    try:
        mod = __import__(module, fromlist=["_"])
        print("import", module, "ok", getattr(mod, "__version__", ""))
    except Exception as exc:
        print("import", module, "failed:", type(exc).__name__, exc)
try:
    import torch

    print("torch CUDA", torch.version.cuda, "device", torch.cuda.get_device_name(0))
except Exception as exc:
    print("torch CUDA: unavailable:", exc)
'
step "nvidia-smi" 15 nvidia-smi
step "package versions" 30 "$python" -c "$versions_py"

# The bounded `ci` hypothesis profile, as CI runs the suite; no doctests (they run in CI).
export CI=true
pytest_args=(-q -rfE -p no:cacheprovider -o addopts="")
step "tests marked gpu" 60 "$python" -m pytest "${pytest_args[@]}" -m gpu tests

cuda_tests=()
for t in tests/test_cuda_ptx.py tests/test_online_softmax.py tests/test_blocked_attention.py \
         tests/test_prefix_scan.py tests/test_recurrence.py tests/test_rope.py \
         tests/test_linear_attention.py tests/test_selective_scan.py; do
  [ -f "$t" ] && cuda_tests+=("$t")
done
# The files' CUDA tests (the launchers', the look-back's, cupy in and out) on the device: the
# simulator is off wherever cupy finds a GPU; unset it here in case the caller's shell set it.
step "CUDA kernel tests on the device" 90 env -u NUMBA_ENABLE_CUDASIM "$python" -m pytest \
  "${pytest_args[@]}" -k "cuda or cupy or look_back" "${cuda_tests[@]}"

# The sweep stops starting cases 15 s before its limit, so that its table is written whole.
step "kernels against kernels.reference" 110 "$python" benchmarks/gpu_report.py --check-only \
  "${quick[@]+"${quick[@]}"}" --out "$out" --budget 95

left=$((deadline - SECONDS - 20))
step "timings (benchmarks/gpu_report.py)" "$left" "$python" benchmarks/gpu_report.py \
  "${quick[@]+"${quick[@]}"}" --out "$out" --budget $((left > 30 ? left - 15 : 15))

if [ "$failures" -eq 0 ]; then
  finish 0
fi
finish 1
