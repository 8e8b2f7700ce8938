"""One table of GPU timings for the public kernels on cupy arrays, each checked before it is timed.

    python benchmarks/gpu_report.py [--quick] [--out DIR]

For each case, ours first: the output is compared with :mod:`kernels.reference` (on a slice that
keeps the float64 reference cheap) within the bound of :mod:`kernels.tolerances`, and a case
whose check fails is reported as wrong and not timed. Then the median time per call over CUDA
event pairs, each pair around one call and around ``BURST`` back-to-back calls (launch overhead
shows as the difference), the achieved GB/s (bytes read + written, memory-bound kernels) or
TFLOP/s (attention), and each baseline's time over ours. Baselines: cupyx / torch softmax,
``cupy.cumsum`` in the input's dtype, torch SDPA with each backend that runs (named), and a
device-to-device copy of the same bytes, the memory-bound ceiling. ``--out DIR`` also writes the
table (``gpu_report.md``) there. Where cupy finds no GPU it prints one line and exits 0.
"""

import argparse
import pathlib
import sys

import numpy as np

REPEATS = 15
WARMUP = 3
BURST = 10


def _median_ms(cupy, fn, calls):
    """Median milliseconds per call over ``REPEATS`` event pairs around ``calls`` calls each."""
    for _ in range(WARMUP):
        fn()
    start, end = cupy.cuda.Event(), cupy.cuda.Event()
    times = []
    for _ in range(REPEATS):
        start.record()
        for _ in range(calls):
            fn()
        end.record()
        end.synchronize()
        times.append(cupy.cuda.get_elapsed_time(start, end) / calls)
    return float(np.median(times))


def _torch():
    try:
        import torch

        return torch if torch.cuda.is_available() else None
    except ImportError:
        return None


def _case(kernel, shape, dtype, label, fn, moved, flops=0, check=None):
    return dict(
        kernel=kernel, shape=shape, dtype=dtype, label=label, fn=fn, moved=moved, flops=flops,
        check=check,
    )  # fmt: skip


def _copy(cupy, kernel, shape, dtype, nbytes):
    """A device-to-device copy of ``nbytes``: the memory-bound ceiling beside a kernel."""
    src = cupy.empty(int(nbytes), dtype=cupy.uint8)
    dst = cupy.empty_like(src)
    return _case(kernel, shape, dtype, "copy (d2d)", lambda: cupy.copyto(dst, src), 2 * src.nbytes)


def _check_rows(cupy, name, x, out, rows=64):
    """``out`` (cupy) against the reference on the first ``rows`` rows of ``x``."""
    from kernels import reference, tolerances

    host = cupy.asnumpy(x[:rows])
    bound = getattr(tolerances, f"{name}_bound")(host, host.dtype)
    return tolerances.compare(cupy.asnumpy(out[:rows]), getattr(reference, name)(host), bound)


def _softmax_cases(cupy, torch, quick):
    import kernels

    shapes = [(4096, 8192), (65536, 1024)] if not quick else [(1024, 8192), (8192, 1024)]
    cases = []
    for shape in shapes:
        for dtype in ("float32", "float16"):
            x = cupy.random.default_rng(0).standard_normal(shape, dtype=cupy.float32) * 10
            x = x.astype(dtype)
            moved = 2 * x.nbytes

            def check(x=x):
                return _check_rows(cupy, "softmax", x, kernels.softmax(x))

            cases.append(
                _case(
                    "softmax", shape, dtype, "ours", lambda x=x: kernels.softmax(x), moved, 0, check
                )
            )
            try:
                import cupyx.scipy.special

                fn = lambda x=x: cupyx.scipy.special.softmax(x, axis=-1)  # noqa: E731
                cases.append(_case("softmax", shape, dtype, "cupyx.scipy", fn, moved))
            except ImportError:
                pass
            if torch is not None:
                tx = torch.as_tensor(x, device="cuda")
                fn = lambda tx=tx: torch.softmax(tx, dim=-1)  # noqa: E731
                cases.append(_case("softmax", shape, dtype, "torch.softmax", fn, moved))
            cases.append(_copy(cupy, "softmax", shape, dtype, x.nbytes))
    return cases


def _scan_cases(cupy, torch, quick):
    import kernels

    n = 2**28 if not quick else 2**24
    cases = []
    for dtype in ("float32", "int32"):
        s = (cupy.random.default_rng(1).standard_normal(n, dtype=cupy.float32) * 10).astype(dtype)

        def check(s=s, dtype=dtype):
            from kernels import reference, tolerances

            out = kernels.scan(s)
            if dtype == "int32":  # exact, wrapping as numpy wraps
                same = bool((out == cupy.cumsum(s, dtype=s.dtype)).all())
                return None if same else "int32 scan differs from cupy.cumsum(dtype=int32)"
            head = cupy.asnumpy(s[: 1 << 16])
            bound = tolerances.scan_bound(head, "add", head.dtype)
            return tolerances.compare(cupy.asnumpy(out[: 1 << 16]), reference.scan(head), bound)

        moved = 2 * s.nbytes
        cases.append(
            _case("scan", (n,), dtype, "ours", lambda s=s: kernels.scan(s), moved, 0, check)
        )
        fn = lambda s=s: cupy.cumsum(s, dtype=s.dtype)  # noqa: E731
        cases.append(_case("scan", (n,), dtype, "cupy.cumsum", fn, moved))
        if torch is not None:
            ts = torch.as_tensor(s, device="cuda")
            fn = lambda ts=ts: torch.cumsum(ts, dim=0, dtype=ts.dtype)  # noqa: E731
            cases.append(_case("scan", (n,), dtype, "torch.cumsum", fn, moved))
        cases.append(_copy(cupy, "scan", (n,), dtype, s.nbytes))
    a = cupy.random.default_rng(2).uniform(0.5, 1.0, n, dtype=cupy.float32)
    b = cupy.random.default_rng(3).standard_normal(n, dtype=cupy.float32)
    fn = lambda: kernels.linear_recurrence(a, b)  # noqa: E731
    cases.append(_case("linear_recurrence", (n,), "float32", "ours", fn, 3 * a.nbytes))
    cases.append(_copy(cupy, "linear_recurrence", (n,), "float32", 1.5 * a.nbytes))
    return cases


def _attention_cases(cupy, torch, quick):
    import kernels
    from kernels import blocked_attention_cuda, reference, tolerances

    shape = (4, 16, 4096, 64) if not quick else (2, 8, 2048, 64)
    cases = []
    for dtype, causal in (("float16", False), ("float16", True), ("float32", False)):
        rng = cupy.random.default_rng(4)
        q, k, v = (rng.standard_normal(shape, dtype=cupy.float32).astype(dtype) for _ in range(3))
        flops = 4 * shape[0] * shape[1] * shape[2] * shape[2] * shape[3] // (2 if causal else 1)
        moved = 4 * q.nbytes
        kind = f"attention{' causal' if causal else ''}"

        def check(q=q, k=k, v=v, causal=causal):
            out = kernels.attention(q, k, v, causal=causal)
            hq, hk, hv = (cupy.asnumpy(a[0, 0]) for a in (q, k, v))
            hq = hq[:256]  # the first queries: causal masks need no offset
            bound = tolerances.attention_bound(hq, hk, hv, hq.dtype, causal=causal)
            expected = reference.attention(hq, hk, hv, causal=causal)
            return tolerances.compare(cupy.asnumpy(out[0, 0, :256]), expected, bound)

        def ours(q=q, k=k, v=v, causal=causal):
            return kernels.attention(q, k, v, causal=causal)

        def fused(q=q, k=k, v=v, causal=causal):
            out = cupy.empty(q.shape, dtype=q.dtype)
            return blocked_attention_cuda.launch(q, k, v, causal, 1 / np.sqrt(shape[3]), out)

        cases.append(_case(kind, shape, dtype, "ours", ours, moved, flops, check))
        cases.append(_case(kind, shape, dtype, "ours (fused numba)", fused, moved, flops))
        if torch is not None:
            from torch.nn.attention import SDPBackend, sdpa_kernel

            tq, tk, tv = (torch.as_tensor(a, device="cuda") for a in (q, k, v))
            sdpa = torch.nn.functional.scaled_dot_product_attention
            for name in ("FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION"):
                backend = getattr(SDPBackend, name, None)
                if backend is None:
                    continue

                def run(backend=backend, tq=tq, tk=tk, tv=tv, causal=causal, sdpa=sdpa):
                    with sdpa_kernel(backend):  # one backend forced: the row names which ran
                        return sdpa(tq, tk, tv, is_causal=causal)

                label = f"SDPA {name.split('_')[0].lower()}"
                cases.append(_case(kind, shape, dtype, label, run, moved, flops))
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller shapes")
    parser.add_argument("--out", type=pathlib.Path, help="folder for gpu_report.md")
    args = parser.parse_args(argv)
    try:
        import cupy

        available = cupy.is_available()
    except Exception as exc:  # ImportError, or a CUDA driver error
        print(f"gpu_report: no GPU ({type(exc).__name__}: {exc}); nothing to measure")
        return 0
    if not available:
        print("gpu_report: cupy finds no GPU; nothing to measure")
        return 0
    torch = _torch()
    device = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)["name"].decode()
    lines = [f"device: {device}", ""]
    header = (
        f"| {'kernel':<18} | {'shape':<20} | {'dtype':<7} | {'method':<18} | {'ms (1 call)':>11} "
        f"| {'ms (burst)':>10} | {'rate':>15} | {'time / ours':>11} |"
    )
    lines += [header, "|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|"]
    print("\n".join(lines), flush=True)
    ours_ms = {}
    groups = (_softmax_cases, _scan_cases, _attention_cases)
    for group in groups:
        try:
            cases = group(cupy, torch, args.quick)
        except Exception as exc:  # a kernel not merged yet, or a baseline that fails here
            lines.append(f"{group.__name__}: unavailable: {type(exc).__name__}: {exc}")
            print(lines[-1], flush=True)
            continue
        for case in cases:
            key = (case["kernel"], case["shape"], case["dtype"])
            row = f"| {case['kernel']:<18} | {case['shape']!s:<20} | {case['dtype']:<7} | {case['label']:<18} |"
            try:
                why = case["check"]() if case["check"] else None
                if why is not None:
                    lines.append(f"{row} WRONG: {why[:300]}")
                    print(lines[-1], flush=True)
                    continue
                single = _median_ms(cupy, case["fn"], 1)
                burst = _median_ms(cupy, case["fn"], BURST)
            except Exception as exc:
                lines.append(f"{row} unavailable: {type(exc).__name__}: {str(exc)[:200]}")
                print(lines[-1], flush=True)
                continue
            if case["flops"]:
                rate = f"{case['flops'] / burst / 1e9:9.1f} TFLOP/s"
            else:
                rate = f"{case['moved'] / burst / 1e6:9.1f} GB/s"
            if case["label"] == "ours":
                ours_ms[key] = burst
            ratio = f"{burst / ours_ms[key]:10.2f}x" if key in ours_ms else ""
            lines.append(f"{row} {single:11.3f} | {burst:10.3f} | {rate:>15} | {ratio:>11} |")
            print(lines[-1], flush=True)
    lines.append("")
    lines.append("time / ours: that method's burst time over ours (> 1: ours is faster).")
    print(lines[-1])
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu_report.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
