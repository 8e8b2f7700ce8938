"""One table of GPU timings for the four public kernels on cupy arrays.

    python benchmarks/gpu_report.py

For each kernel and baseline: median time over CUDA-event-timed runs after warm-up, the achieved
GB/s (bytes read + written, for the memory-bound kernels) or TFLOP/s (attention), and the ratio
against each baseline that can be imported (cupyx.scipy.special.softmax, torch.softmax,
torch.nn.functional.scaled_dot_product_attention, cupy.cumsum) and against a device-to-device copy
of the same bytes, the memory-bound ceiling. Where cupy finds no GPU it prints one line and exits 0.
"""

import sys

import numpy as np

REPEATS = 20
WARMUP = 3


def _median_ms(cupy, fn):
    for _ in range(WARMUP):
        fn()
    start, end = cupy.cuda.Event(), cupy.cuda.Event()
    times = []
    for _ in range(REPEATS):
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(cupy.cuda.get_elapsed_time(start, end))
    return float(np.median(times))


def _torch():
    try:
        import torch

        return torch if torch.cuda.is_available() else None
    except ImportError:
        return None


def _rows(cupy):
    """(kernel, shape, dtype, label, fn, bytes moved, flops) for ours and every baseline."""
    import kernels

    torch = _torch()
    rng = cupy.random.default_rng(0)
    rows = []

    x = rng.standard_normal((4096, 8192), dtype=cupy.float32)
    moved = 2 * x.nbytes
    rows.append(("softmax", x.shape, "float32", "ours", lambda: kernels.softmax(x), moved, 0))
    try:
        import cupyx.scipy.special

        rows.append(
            (
                "softmax",
                x.shape,
                "float32",
                "cupyx.scipy",
                lambda: cupyx.scipy.special.softmax(x, axis=-1),
                moved,
                0,
            )
        )
    except ImportError:
        pass
    if torch is not None:
        tx = torch.as_tensor(x, device="cuda")
        rows.append(
            (
                "softmax",
                x.shape,
                "float32",
                "torch.softmax",
                lambda: torch.softmax(tx, dim=-1),
                moved,
                0,
            )
        )
    rows.append(_copy_row(cupy, "softmax", x, "float32"))

    for dtype in (cupy.float32, cupy.int32):
        s = (rng.standard_normal(2**28, dtype=cupy.float32) * 10).astype(dtype)
        name = np.dtype(dtype).name
        rows.append(("scan", s.shape, name, "ours", lambda s=s: kernels.scan(s), 2 * s.nbytes, 0))
        rows.append(
            ("scan", s.shape, name, "cupy.cumsum", lambda s=s: cupy.cumsum(s), 2 * s.nbytes, 0)
        )
        rows.append(_copy_row(cupy, "scan", s, name))
        del s

    a = rng.uniform(0.5, 1.0, 2**28, dtype=cupy.float32)
    b = rng.standard_normal(2**28, dtype=cupy.float32)
    rows.append(
        (
            "linear_recurrence",
            a.shape,
            "float32",
            "ours",
            lambda: kernels.linear_recurrence(a, b),
            3 * a.nbytes,
            0,
        )
    )
    rows.append(_copy_row(cupy, "linear_recurrence", a, "float32", factor=1.5))

    shape = (4, 16, 4096, 64)
    q, k, v = (
        rng.standard_normal(shape, dtype=cupy.float32).astype(cupy.float16) for _ in range(3)
    )
    flops = 4 * shape[0] * shape[1] * shape[2] * shape[2] * shape[3]
    moved = 4 * q.nbytes
    rows.append(
        ("attention", shape, "float16", "ours", lambda: kernels.attention(q, k, v), moved, flops)
    )
    if torch is not None:
        tq, tk, tv = (torch.as_tensor(t, device="cuda") for t in (q, k, v))
        sdpa = torch.nn.functional.scaled_dot_product_attention
        rows.append(
            ("attention", shape, "float16", "torch SDPA", lambda: sdpa(tq, tk, tv), moved, flops)
        )
    return rows


def _copy_row(cupy, kernel, x, dtype, factor=1.0):
    """A device-to-device copy of ``factor`` times ``x``'s bytes: the memory-bound ceiling."""
    src = cupy.empty(int(x.nbytes * factor), dtype=cupy.uint8)
    dst = cupy.empty_like(src)
    return (kernel, x.shape, dtype, "copy (d2d)", lambda: cupy.copyto(dst, src), 2 * src.nbytes, 0)


def main():
    try:
        import cupy

        available = cupy.is_available()
    except Exception as exc:  # ImportError, or a CUDA driver error
        print(f"gpu_report: no GPU ({type(exc).__name__}: {exc}); nothing to measure")
        return 0
    if not available:
        print("gpu_report: cupy finds no GPU; nothing to measure")
        return 0
    device = cupy.cuda.Device()
    print(f"device: {cupy.cuda.runtime.getDeviceProperties(device.id)['name'].decode()}")
    header = f"{'kernel':<18} {'shape':<20} {'dtype':<8} {'method':<14} {'ms':>9} {'rate':>14} {'speedup':>10}"
    print(header)
    print("-" * len(header))
    ours_ms = {}
    for kernel, shape, dtype, label, fn, moved, flops in _rows(cupy):
        try:
            ms = _median_ms(cupy, fn)
        except Exception as exc:  # a kernel not merged yet, or a baseline that fails here
            print(
                f"{kernel:<18} {shape!s:<20} {dtype:<8} {label:<14} unavailable: {type(exc).__name__}: {exc}"
            )
            continue
        rate = f"{flops / ms / 1e9:8.1f} TFLOP/s" if flops else f"{moved / ms / 1e6:8.1f} GB/s"
        key = (kernel, dtype)
        if label == "ours":
            ours_ms[key] = ms
        ratio = f"{ms / ours_ms[key]:9.2f}x" if key in ours_ms and label != "ours" else ""
        print(f"{kernel:<18} {shape!s:<20} {dtype:<8} {label:<14} {ms:9.3f} {rate:>14} {ratio:>10}")
    print("speedup: that method's time divided by ours (> 1: ours is faster).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
