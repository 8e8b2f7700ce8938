"""The one-shot GPU report: every kernel checked against its reference, then timed beside the
baselines a user would pick and beside the device's own ceilings, all measured in one run.

    PYTHONPATH=. python benchmarks/gpu_report.py [--quick] [--check-only] [--out DIR]

Correctness comes first. ``--check-only`` runs the sweep: softmax, log_softmax and logsumexp in
float16/32/64 on block-per-row and warp-per-row shapes and on rows of special values; attention
float16/32, causal and not; scan add/mul/max/min in int32/float32/float64, inclusive and exclusive;
the int32 scan compared exactly with CUB (``cupy.cumsum(x, dtype=int32)``) five times at 2**28;
linear_recurrence, with the overflowing ``a = 2`` case; and ``kernels.rope``,
``kernels.linear_attention`` and ``kernels.selective_scan`` where they exist. Without it, each timed
case is checked on its own inputs first, and a case that fails its check is reported and not timed.

Every comparison is against :mod:`kernels.reference` (float64 on the host) within the bound of
:mod:`kernels.tolerances`, except where the host reference cannot hold the case in the time the
check has. The 2**28 float scans are compared on the device with CUB's float64 scan, under the
bound ``scan_add_bound`` evaluates with the array module (a test holds it equal to
:func:`kernels.tolerances.scan_bound`). Where the parts of a case are independent, some of them are
checked, each exactly as the whole would be: two heads of the large attention, about a thousand
rows (the first and the last among them) of the large softmax shapes, and 256 segments of the
2**28 recurrence, a row of independent segments (``a = 0`` at each segment's start makes the state
forget exactly). Before each kernel call the memory pool is handed a block of ``0xFF`` bytes of the
output's size and then freed, so that an output element the kernel never writes likely reads as
NaN (or -1) rather than a stale right answer; inputs are drawn afresh for every check.

Timing (CUDA events around the region, after warm-up, median of repeats): one call per event pair
(``single``), several back-to-back calls per event pair (``b2b``, per call) and host wall-clock per
call over back-to-back calls (``host``, what a Python caller waits: the launch overhead on small
shapes). Baselines, each skipped with a note where its package is missing: ``torch.softmax`` (and
its log_softmax/logsumexp), ``cupy.cumsum(x, dtype=x.dtype)``, CUB's scan through
``cupy.cuda.cub`` where reachable, ``torch.cumsum``,
``torch.nn.functional.scaled_dot_product_attention`` (the backend that ran is named, and each
backend forced in turn is timed too). Ceilings, measured in the same run: a device-to-device copy
(``cudaMemcpyAsync`` through cupy) of the bytes each kernel must read and write, and
``cupy.matmul`` in float16 and float32. Each row gives its rate as a fraction of the ceiling, and
each baseline row the ratio ``baseline time / our time`` (at least 1: ours is as fast or faster).

Exit status: 0 when every case was checked (and timed), 1 when one failed or was left out for
time, 2 when there is no GPU to measure.
"""

import argparse
import json
import pathlib
import sys
import time
import traceback

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from kernels import tolerances

ROWWISE = ("softmax", "log_softmax", "logsumexp")
SCAN_OPS = ("add", "mul", "max", "min")
# Segments of the long recurrence: odd, so that no tile starts with the zero that ends a segment;
# 4096 of them make about 2**28 (2**24 quick) values.
SEGMENT, SEGMENT_QUICK = 2**16 - 1, 2**12 - 1
OPTIONAL_KERNELS = ("rope", "linear_attention", "selective_scan")
TORCH_ROWWISE = {"softmax": "softmax", "log_softmax": "log_softmax", "logsumexp": "logsumexp"}


# --- array-module-agnostic checks (numpy or cupy as ``xp``) -----------------------------------


def to_numpy(xp, a):
    """``a`` as a numpy array (a copy to the host for cupy)."""
    return np.asarray(a) if xp is np else xp.asnumpy(a)


def _check_kind(xp, actual, shape, dtype):
    if not isinstance(actual, xp.ndarray):
        return f"returned a {type(actual).__module__}.{type(actual).__name__}, expected an {xp.__name__} array"
    if tuple(actual.shape) != tuple(shape):
        return f"shape {tuple(actual.shape)}, expected {tuple(shape)}"
    if np.dtype(actual.dtype) != np.dtype(dtype):
        return f"dtype {np.dtype(actual.dtype)}, expected {np.dtype(dtype)}"
    return None


def check_close(xp, actual, expected, bound, *, dtype=None):
    """``None`` when ``|actual - expected| <= bound`` everywhere, else why not.

    ``actual`` is what the kernel returned (an ``xp`` array of ``dtype``, by default the dtype of
    ``expected``). ``expected`` and ``bound`` are host arrays (the comparison is
    :func:`kernels.tolerances.compare`, on the host) or ``xp`` arrays (the same rule on the device,
    for cases the host cannot hold). NaN must meet NaN and an infinity the same infinity.
    """
    dtype = expected.dtype if dtype is None else dtype
    problem = _check_kind(xp, actual, expected.shape, dtype)
    if problem:
        return problem
    if xp is np or not isinstance(expected, xp.ndarray):
        return tolerances.compare(to_numpy(xp, actual), np.asarray(expected), np.asarray(bound))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # numpy-like modules
        a, e = actual.astype(xp.float64), expected.astype(xp.float64)
        error = xp.abs(a - e)
        same_special = (xp.isnan(a) & xp.isnan(e)) | ((a == e) & ~xp.isfinite(e))
        bad = ~same_special & ~(error <= bound)
        count = int(bad.sum())
        if not count:
            return None
        ratio = xp.where(bad, error / xp.where(bound > 0, bound, xp.nan), 0.0)
        ratio = xp.where(xp.isnan(ratio), xp.inf, ratio)
    first = int(xp.argmax(bad.ravel()))
    worst = int(xp.argmax(ratio.ravel()))
    flat = (a.ravel(), e.ravel(), error.ravel(), xp.broadcast_to(bound, e.shape).ravel())
    return (
        f"{count} of {e.size} values outside the tolerance; worst at flat index {worst}: error "
        f"{float(flat[2][worst]):.3g} against a bound of {float(flat[3][worst]):.3g}; first at "
        f"flat index {first}: got {float(flat[0][first])!r}, expected {float(flat[1][first])!r}"
    )


def check_exact(xp, actual, expected):
    """``None`` when ``actual`` equals ``expected`` element for element (both ``xp`` arrays)."""
    problem = _check_kind(xp, actual, expected.shape, expected.dtype)
    if problem:
        return problem
    bad = actual != expected
    count = int(bad.sum())
    if not count:
        return None
    first = int(xp.argmax(bad.ravel()))
    return (
        f"{count} of {expected.size} values differ; first at flat index {first}: got "
        f"{actual.ravel()[first].item()!r}, expected {expected.ravel()[first].item()!r}"
    )


def _u_acc(dtype):
    """The unit roundoff kernels accumulate ``dtype`` in (float32 for float16), as
    :mod:`kernels.tolerances` takes it."""
    dtype = np.dtype(dtype)
    return tolerances.unit_roundoff(np.float32 if dtype == np.float16 else dtype)


def _floor(dtype):
    """What every bound of :mod:`kernels.tolerances` allows for results that underflow to 0."""
    return tolerances.SAFETY * float(np.finfo(np.dtype(dtype)).tiny)


def scan_add_bound(xp, x, dtype):
    """:func:`kernels.tolerances.scan_bound` for an inclusive add scan of the 1-d ``x``, evaluated
    with ``xp`` (on the device for inputs the host reference cannot hold)."""
    x = xp.abs(x.astype(xp.float64))
    mass = xp.cumsum(xp.where(xp.isfinite(x), x, 0.0))
    t = xp.arange(1, x.shape[0] + 1, dtype=xp.float64)
    bound = tolerances.sum_bound(mass, t, dtype)
    return xp.where(xp.isfinite(bound), bound, xp.inf)


def spread(n, count):
    """About ``count`` indices spread evenly over ``range(n)``, the first and the last included."""
    return np.unique(np.linspace(0, n - 1, min(n, count)).astype(np.int64))


def check_rowwise(xp, kern, ref, name, x, axis=-1, *, rows=None):
    """``kern.<name>(x, axis)`` (softmax, log_softmax or logsumexp) against ``ref.<name>``; on the
    listed rows (of a 2-d ``x``, ``axis=-1``) only where ``rows`` is given: rows are independent,
    so each listed row is checked exactly as the whole would be."""
    poison_pool(xp, x.nbytes)
    out = getattr(kern, name)(x, axis=axis)
    if rows is not None:
        shape = x.shape[:-1] if name == "logsumexp" else x.shape
        problem = _check_kind(xp, out, shape, x.dtype)
        if problem:
            return problem
        index = xp.asarray(rows)
        x, out, xp = to_numpy(xp, x[index]), to_numpy(xp, out[index]), np
    host = to_numpy(xp, x)
    expected = getattr(ref, name)(host, axis=axis)
    bound = getattr(tolerances, f"{name}_bound")(host, host.dtype, axis)
    return check_close(xp, out, expected, bound)


def check_attention(xp, kern, ref, q, k, v, *, causal=False, heads=None):
    """``kern.attention`` against ``ref.attention``; on the listed ``(batch, head)`` pairs only
    where ``heads`` is given (each head is an independent attention, so those outputs are checked
    exactly as the whole would be)."""
    poison_pool(xp, q.nbytes)
    out = kern.attention(q, k, v, causal=causal)
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    problem = _check_kind(xp, out, (*q.shape[:-1], v.shape[-1]), dtype)
    if problem:
        return problem
    if heads is None:
        qh, kh, vh, got = (to_numpy(xp, a) for a in (q, k, v, out))
    else:
        qh, kh, vh, got = (np.stack([to_numpy(xp, a[i]) for i in heads]) for a in (q, k, v, out))
    expected = ref.attention(qh, kh, vh, causal=causal)
    return tolerances.compare(
        got, expected, tolerances.attention_bound(qh, kh, vh, dtype, causal=causal)
    )


def _exclusive_bound(bound, axis):
    """The bound of an exclusive scan: the inclusive bound moved one step on, 0 at the identity."""
    moved = np.moveaxis(bound, axis, -1)
    shifted = np.concatenate([np.zeros_like(moved[..., :1]), moved[..., :-1]], axis=-1)
    return np.moveaxis(shifted, -1, axis)


def check_scan(xp, kern, ref, x, op="add", *, inclusive=True, axis=-1):
    """``kern.scan`` against ``ref.scan``: exact for integers, within the scan bound for floats."""
    poison_pool(xp, x.nbytes)
    out = kern.scan(x, op, axis, inclusive=inclusive)
    host = to_numpy(xp, x)
    expected = ref.scan(host, op, axis, inclusive=inclusive)
    if host.dtype.kind in "iu":
        return _check_kind(xp, out, expected.shape, expected.dtype) or check_exact(
            np, to_numpy(xp, out), expected
        )
    bound = tolerances.scan_bound(host, op, host.dtype, axis)
    if not inclusive:
        bound = _exclusive_bound(bound, axis)
    return check_close(xp, out, expected, bound)


def check_scan_against_cub(xp, kern, x):
    """The inclusive add scan of the 1-d ``x`` on the device against ``xp.cumsum``: exact for
    integers (``dtype=x.dtype``, wrapping as the kernel wraps), for floats against the float64
    scan within :func:`scan_add_bound` (twice it for float64, whose reference rounds as much)."""
    poison_pool(xp, x.nbytes)
    out = kern.scan(x, "add")
    if np.dtype(x.dtype).kind in "iu":
        return check_exact(xp, out, xp.cumsum(x, dtype=x.dtype))
    expected = xp.cumsum(x.astype(xp.float64))
    bound = scan_add_bound(xp, x, x.dtype)
    if np.dtype(x.dtype) == np.float64:
        bound = 2 * bound
    return check_close(xp, out, expected, bound, dtype=x.dtype)


def check_recurrence(
    xp, kern, ref, a, b, h0=None, *, axis=-1, rows=None, segment=None, sample=None
):
    """``kern.linear_recurrence`` against ``ref.linear_recurrence``; on the listed rows (of 2-d
    ``a``, ``b``, ``axis=-1``, no ``h0``) only where ``rows`` is given.

    With ``segment``, ``a`` is 1-d and zero at every multiple of ``segment``: there the state
    forgets everything before it exactly (``0 * h`` is 0 for finite ``h``), so the row is a stack
    of independent segments, each checked exactly as the whole would be; ``sample`` checks that
    many of them, spread from the first to the last, for rows too long for the host reference.
    Choose a ``segment`` that is no multiple of a tile (an odd one): a zero at every tile's start
    would hide a wrong carry between tiles.
    """
    poison_pool(xp, b.nbytes)
    out = kern.linear_recurrence(a, b, h0, axis=axis)
    if rows is not None:
        problem = _check_kind(xp, out, a.shape, np.result_type(a.dtype, b.dtype))
        if problem:
            return problem
        index = xp.asarray(rows)
        a, b = to_numpy(xp, a[index]), to_numpy(xp, b[index])
        out, xp = to_numpy(xp, out[index]), np
    if segment is None:
        ah, bh = to_numpy(xp, a), to_numpy(xp, b)
        h0h = None if h0 is None else to_numpy(xp, h0)
        dtype = np.result_type(ah.dtype, bh.dtype, *(() if h0h is None else (h0h.dtype,)))
        expected, bound = _recurrence_reference(ref, ah, bh, h0h, dtype, axis)
        return check_close(xp, out, expected, bound)
    if a.ndim != 1 or h0 is not None or a.size % segment or bool((a[::segment] != 0).any()):
        raise ValueError("segment needs a 1-d a, no h0, and a == 0 at every multiple of segment")
    dtype = np.result_type(a.dtype, b.dtype)
    problem = _check_kind(xp, out, a.shape, dtype)
    if problem:
        return problem
    count = a.size // segment
    index = xp.asarray(spread(count, count if sample is None else sample))
    a2, b2, out2 = (to_numpy(xp, v.reshape(count, segment)[index]) for v in (a, b, out))
    expected, bound = _recurrence_reference(ref, a2, b2, None, dtype, 1)
    return tolerances.compare(out2, expected, bound)


def _recurrence_reference(ref, a, b, h0, dtype, axis):
    """The reference and its bound, computed with the time axis first and contiguous: the
    reference steps along ``axis`` one slice at a time, and a contiguous slice per step is what
    makes that fast enough for 2**28 values."""
    axis = axis % a.ndim
    a_t, b_t = (np.ascontiguousarray(np.moveaxis(x, axis, 0)) for x in (a, b))
    expected = ref.linear_recurrence(a_t, b_t, h0, axis=0)
    bound = tolerances.recurrence_bound(a_t, b_t, h0, dtype, 0)
    return np.moveaxis(expected, 0, axis), np.moveaxis(bound, 0, axis)


def _optional_bound(dtype, growth):
    """``SAFETY * (u_acc * growth + u_out)``: the relative bound of a computation whose rounding
    errors add up over ``growth`` steps, in the form every bound of :mod:`kernels.tolerances`
    takes."""
    return tolerances.SAFETY * (_u_acc(dtype) * growth + tolerances.unit_roundoff(dtype))


def check_rope(xp, kern, ref, x, positions=None, *, interleaved=True):
    """``kern.rope`` against ``ref.rope``. Each output is a rotation of one feature pair by the
    angle ``p * base**(-2i/D)``: rounding the angle moves the output by up to ``u * |p|`` times the
    pair's length, and the cos/sin and the products add a few ulps; so the bound is
    ``SAFETY * (u_acc * (max|p| + 2) + u_out) * max|x|``."""
    poison_pool(xp, x.nbytes)
    out = kern.rope(x, positions, interleaved=interleaved)
    host = to_numpy(xp, x)
    pos = np.arange(host.shape[-2]) if positions is None else to_numpy(xp, positions)
    expected = ref.rope(host, pos, interleaved=interleaved)
    big = float(np.max(np.abs(pos), initial=0.0))
    scale = float(np.max(np.abs(host.astype(np.float64)), initial=0.0))
    bound = _optional_bound(host.dtype, big + 2) * scale + _floor(host.dtype)
    return check_close(xp, out, expected, np.asarray(bound))


def check_linear_attention(xp, kern, ref, q, k, v, *, causal=False):
    """``kern.linear_attention`` against ``ref.linear_attention``. Each output row is a convex
    combination of value rows with positive weights ``phi(q).phi(k)`` (``D`` products, summed over
    up to ``Lk`` keys, then normalised), so the bound is
    ``SAFETY * (u_acc * (D + Lk + 2) + u_out) * max|v|``."""
    poison_pool(xp, q.nbytes)
    out = kern.linear_attention(q, k, v, causal=causal)
    qh, kh, vh = (to_numpy(xp, a) for a in (q, k, v))
    expected = ref.linear_attention(qh, kh, vh, causal=causal)
    growth = qh.shape[-1] + kh.shape[-2] + 2
    scale = float(np.max(np.abs(vh.astype(np.float64)), initial=0.0))
    bound = _optional_bound(expected.dtype, growth) * scale + _floor(expected.dtype)
    return check_close(xp, out, expected, np.asarray(bound))


def check_selective_scan(xp, kern, ref, u, delta, A, B, C, D=None):
    """``kern.selective_scan`` against ``ref.selective_scan``. For ``delta >= 0`` and ``A <= 0``
    the state's decay ``exp(delta A)`` is in (0, 1], and the same scan on ``|u|, |B|, |C|, |D|``
    gives ``Y``, the size of every term that can round; the state is the recurrence of
    :func:`kernels.tolerances.recurrence_bound` (``t + 1`` roundings) and each output a dot over
    ``N`` states, so the bound is ``SAFETY * (u_acc * (L + N + 2) + u_out) * Y``."""
    poison_pool(xp, u.nbytes)
    out = kern.selective_scan(u, delta, A, B, C, D)
    args = [None if a is None else to_numpy(xp, a) for a in (u, delta, A, B, C, D)]
    expected = ref.selective_scan(*args)
    uh, dh, Ah, Bh, Ch, Dh = args
    if np.any(dh < 0) or np.any(Ah > 0):
        raise ValueError("the bound needs delta >= 0 and A <= 0")
    absolute = ref.selective_scan(
        np.abs(uh), dh, Ah, np.abs(Bh), np.abs(Ch), None if Dh is None else np.abs(Dh)
    ).astype(np.float64)
    growth = uh.shape[-1] + Ah.shape[-1] + 2
    bound = _optional_bound(expected.dtype, growth) * absolute + _floor(expected.dtype)
    return check_close(xp, out, expected, bound)


# --- inputs ----------------------------------------------------------------------------------


def random_array(xp, rng, shape, dtype, *, scale=1.0, low=None, high=None):
    """Fresh random values of ``dtype`` (normal times ``scale``, or uniform in [low, high))."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo = info.min if low is None else low
        hi = info.max if high is None else high
        try:
            return rng.integers(lo, hi, size=shape, dtype=dtype)
        except (AttributeError, TypeError, ValueError, OverflowError, NotImplementedError):
            return xp.random.randint(lo, hi, size=shape).astype(dtype)
    work = np.float64 if dtype == np.float64 else np.float32
    if low is not None:
        x = rng.uniform(low, high, size=shape).astype(work)
    else:
        x = rng.standard_normal(size=shape, dtype=work) * work(scale)
    return x.astype(dtype)


def special_rows(xp, dtype, n):
    """Rows that real hardware gets wrong and the simulator does not: all ``-inf``, one ``+inf``,
    a NaN, huge and tiny values, a single finite value among ``-inf``."""
    rows = np.random.default_rng(5).standard_normal((8, n)) * 3
    rows[0] = -np.inf
    rows[1, n // 2] = np.inf
    rows[2, n // 3] = np.nan
    rows[3] *= 1e4 if np.dtype(dtype) != np.float16 else 1e3
    rows[4] *= 1e-30 if np.dtype(dtype) != np.float16 else 1e-4
    rows[5] = -np.inf
    rows[5, n - 1] = 1.0
    rows[6] = np.finfo(dtype).max / 4  # x - max is 0: no overflow in the shift
    rows[7, ::2] = np.finfo(dtype).max / 4  # x - max is -max/2: finite, and exp gives 0
    rows[7, 1::2] = np.finfo(dtype).min / 4
    return xp.asarray(rows.astype(dtype))


# --- the correctness sweep -------------------------------------------------------------------


def _kernels():
    import kernels
    from kernels import reference

    return kernels, reference


def sweep_cases(xp, quick=False):
    """(label, thunk) pairs; ``thunk(seed)`` draws its own inputs from ``seed`` and returns
    ``None`` or why it failed (a ``None`` thunk: a kernel not in this tree). One case of every
    kernel, dtype and op comes first, on the shapes that matter most, so that a run cut short by
    its time budget has checked each kernel once; edges and odd shapes follow. ``quick`` shrinks
    the shapes (and the CUB comparisons to 2**24)."""
    kern, ref = _kernels()
    big = 2**24 if quick else 2**28
    cases = []

    def add(label, thunk, first=False):
        cases.append((label, thunk, first))

    def rng(seed):
        return xp.random.default_rng(seed)

    for i in range(5):
        add(
            f"scan add int32 ({big},) exactly against CUB, draw {i + 1} of 5",
            lambda seed: check_scan_against_cub(
                xp, kern, random_array(xp, rng(seed), (big,), "int32")
            ),
            first=True,
        )
    for dtype in ("float32", "float64"):
        add(
            f"scan add {dtype} ({big},) against CUB's float64 scan",
            lambda seed, d=dtype: check_scan_against_cub(
                xp, kern, random_array(xp, rng(seed), (big,), d, scale=100.0)
            ),
            first=True,
        )

    long_row = (2, 20000) if quick else (2, 100003)
    row_shapes = [(64, 8192), (4096, 1024), (1000, 256), (257, 33), (4, 1025), (3, 1), long_row]
    for dtype in ("float16", "float32", "float64"):
        for name in ROWWISE:
            for shape in row_shapes:
                add(
                    f"{name} {dtype} {shape}",
                    lambda seed, n=name, s=shape, d=dtype: check_rowwise(
                        xp, kern, ref, n, random_array(xp, rng(seed), s, d, scale=4.0)
                    ),
                    first=shape in ((64, 8192), (1000, 256)),  # a block per row, a warp per row
                )
            add(
                f"{name} {dtype} (300, 700) axis=0",
                lambda seed, n=name, d=dtype: check_rowwise(
                    xp, kern, ref, n, random_array(xp, rng(seed), (300, 700), d, scale=4.0), axis=0
                ),
            )
            for n in (32, 5000):
                add(
                    f"{name} {dtype} rows of special values, length {n}",
                    lambda _seed, n=n, name=name, d=dtype: check_rowwise(
                        xp, kern, ref, name, special_rows(xp, d, n)
                    ),
                    first=n == 5000 and dtype == "float32",
                )

    large = (1, 2, 1024, 64) if quick else (4, 16, 4096, 64)
    for dtype in ("float16", "float32"):
        for causal in (False, True):
            for shape in [(2, 3, 333, 64), (1, 2, 77, 16), (1, 1, 1, 128)]:
                add(
                    f"attention {dtype} {shape} causal={causal}",
                    lambda seed, s=shape, d=dtype, c=causal: check_attention(
                        xp, kern, ref, *_qkv(xp, rng(seed), s, d), causal=c
                    ),
                    first=shape == (2, 3, 333, 64),
                )
            add(
                f"attention {dtype} {large} causal={causal}, heads (0, 0) and (-1, -1)",
                lambda seed, d=dtype, c=causal: check_attention(
                    xp,
                    kern,
                    ref,
                    *_qkv(xp, rng(seed), large, d),
                    causal=c,
                    heads=[(0, 0), (-1, -1)],
                ),
            )

    row = 2**20 + 123
    for dtype in ("int32", "float32", "float64"):
        for op in SCAN_OPS:
            for shape, axis, inclusive in [
                ((row,), -1, True),
                ((row,), -1, False),
                ((7, 50001), -1, True),
                ((3000, 5), 0, False),
            ]:
                add(
                    f"scan {op} {dtype} {shape} axis={axis} inclusive={inclusive}",
                    lambda seed, s=shape, d=dtype, o=op, i=inclusive, a=axis: check_scan(
                        xp, kern, ref, _scan_input(xp, rng(seed), s, d, o), o, inclusive=i, axis=a
                    ),
                    first=len(shape) == 1 and (inclusive or op == "add"),
                )
        add(
            f"scan add {dtype} (1,)",
            lambda seed, d=dtype: check_scan(xp, kern, ref, random_array(xp, rng(seed), (1,), d)),
        )
    for dtype in ("float32", "float64"):
        for op in SCAN_OPS:
            add(
                f"scan {op} {dtype} with NaN and inf",
                lambda _seed, d=dtype, o=op: check_scan(xp, kern, ref, _scan_specials(xp, d), o),
            )

    for dtype in ("float16", "float32", "float64"):
        for shape, axis, with_h0 in [
            ((2**18 + 1,), -1, False),
            ((64, 4097), -1, True),
            ((513, 7), 0, True),
            ((1,), -1, False),
        ]:
            add(
                f"linear_recurrence {dtype} {shape} axis={axis} h0={with_h0}",
                lambda seed, s=shape, d=dtype, a=axis, h=with_h0: check_recurrence(
                    xp, kern, ref, *_recurrence_input(xp, rng(seed), s, d, a, h), axis=a
                ),
                first=len(shape) == 1 and shape[0] > 1,
            )
    steps = 2**12
    add(
        f"linear_recurrence float32 a = 2, b = 0, h0 = 0 over {steps} steps (h stays 0)",
        lambda _seed: check_recurrence(
            xp, kern, ref, xp.full(steps, 2.0, xp.float32), xp.zeros(steps, xp.float32)
        ),
        first=True,
    )
    seg = SEGMENT_QUICK if quick else SEGMENT
    add(
        f"linear_recurrence float32 ({seg * 4096},) in segments of {seg}, 256 of them checked",
        lambda seed: check_recurrence(
            xp,
            kern,
            ref,
            *_segmented_recurrence(xp, rng(seed), seg * 4096, seg, "float32"),
            segment=seg,
            sample=256,
        ),
        first=True,
    )

    for name in OPTIONAL_KERNELS:
        if not (hasattr(ref, name) and _has(kern, name)):
            add(f"{name}: not in this tree", None, first=True)
    if _has(kern, "rope") and hasattr(ref, "rope"):
        for dtype in ("float16", "float32", "float64"):
            for interleaved in (True, False):
                add(
                    f"rope {dtype} (2, 4, 513, 64) interleaved={interleaved}",
                    lambda seed, d=dtype, i=interleaved: check_rope(
                        xp,
                        kern,
                        ref,
                        random_array(xp, rng(seed), (2, 4, 513, 64), d),
                        interleaved=i,
                    ),
                    first=dtype == "float32",
                )
    if _has(kern, "linear_attention") and hasattr(ref, "linear_attention"):
        for dtype in ("float16", "float32", "float64"):
            for causal in (False, True):
                add(
                    f"linear_attention {dtype} (2, 3, 777, 64) causal={causal}",
                    lambda seed, d=dtype, c=causal: check_linear_attention(
                        xp, kern, ref, *_qkv(xp, rng(seed), (2, 3, 777, 64), d), causal=c
                    ),
                    first=dtype == "float32",
                )
    if _has(kern, "selective_scan") and hasattr(ref, "selective_scan"):
        for dtype in ("float32", "float64"):
            add(
                f"selective_scan {dtype} batch 2, dim 64, N 16, L 1000",
                lambda seed, d=dtype: check_selective_scan(
                    xp, kern, ref, *_selective_scan_input(xp, rng(seed), 2, 64, 16, 1000, d)
                ),
                first=dtype == "float32",
            )
    return [(label, thunk) for label, thunk, first in cases if first] + [
        (label, thunk) for label, thunk, first in cases if not first
    ]


def _has(module, name):
    try:
        getattr(module, name)
    except AttributeError:
        return False
    return True


def _qkv(xp, rng, shape, dtype):
    return tuple(random_array(xp, rng, shape, dtype) for _ in range(3))


def _scan_input(xp, rng, shape, dtype, op):
    if np.dtype(dtype).kind in "iu":
        return random_array(xp, rng, shape, dtype)  # the whole range: sums and products wrap
    if op == "mul":  # a product of many factors near 1 that neither overflows nor underflows
        x = random_array(xp, rng, shape, dtype, low=0.99, high=1.01)
        return x * xp.where(random_array(xp, rng, shape, np.float32) < 0, -1, 1).astype(dtype)
    return random_array(xp, rng, shape, dtype, scale=100.0)


def _scan_specials(xp, dtype):
    x = np.random.default_rng(3).standard_normal(100000).astype(dtype)
    x[5000] = np.nan
    x[70000] = np.inf
    return xp.asarray(x)


def _recurrence_input(xp, rng, shape, dtype, axis, with_h0):
    a = random_array(xp, rng, shape, dtype, low=-1.0, high=1.0)
    b = random_array(xp, rng, shape, dtype)
    if not with_h0:
        return a, b, None
    outer = tuple(n for i, n in enumerate(shape) if i != axis % len(shape))
    return a, b, random_array(xp, rng, outer, dtype)


def _segmented_recurrence(xp, rng, n, segment, dtype):
    a = random_array(xp, rng, (n,), dtype, low=-1.0, high=1.0)
    a[::segment] = 0
    return a, random_array(xp, rng, (n,), dtype), None


def _selective_scan_input(xp, rng, batch, dim, n, length, dtype):
    u = random_array(xp, rng, (batch, dim, length), dtype)
    delta = random_array(xp, rng, (batch, dim, length), dtype, low=0.001, high=0.2)
    A = -random_array(xp, rng, (dim, n), dtype, low=0.1, high=2.0)
    B = random_array(xp, rng, (batch, n, length), dtype)
    C = random_array(xp, rng, (batch, n, length), dtype)
    D = random_array(xp, rng, (dim,), dtype)
    return u, delta, A, B, C, D


def poison_pool(xp, nbytes):
    """Hand the memory pool a block of 0xFF bytes, then free it: the next allocation of that size
    (the kernel's output) likely reuses it, so unwritten elements read as NaN or -1."""
    if xp is np or not nbytes:
        return
    block = xp.empty(int(nbytes), dtype=xp.uint8)
    block.fill(0xFF)
    del block


def describe(exc):
    """One line for an exception, with where it was raised (the remote run leaves no debugger)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {pathlib.Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"raised {type(exc).__name__}: {str(exc)[:400]}{where}"


def run_sweep(xp, quick, deadline, log, on_result=None):
    """Run :func:`sweep_cases`, one line per case, ``on_result(results)`` after each; returns
    the results as dicts."""
    results = []
    for label, thunk in sweep_cases(xp, quick):
        if thunk is None:
            results.append(dict(case=label, status="skipped", detail="not in this tree"))
            log(f"SKIP  {label}")
        elif time.monotonic() > deadline:
            results.append(dict(case=label, status="skipped", detail="time budget spent"))
            log(f"SKIP  {label}: time budget spent")
        else:
            start = time.monotonic()
            try:
                detail = thunk(len(results))
            except Exception as exc:  # a kernel that raises fails its check; the sweep goes on
                detail = describe(exc)
            seconds = time.monotonic() - start
            status = "ok" if detail is None else "FAIL"
            results.append(dict(case=label, status=status, detail=detail or "", seconds=seconds))
            log(f"{status:<5} {label} ({seconds:.1f} s){': ' + detail if detail else ''}")
        if on_result is not None:
            on_result(results)
    return results


# --- timing ----------------------------------------------------------------------------------


def measure(cp, fn, *, budget_s=1.5, max_repeats=30, batch=10):
    """Median milliseconds per call of ``fn`` three ways (see the module docstring), after a
    warm-up, with repeats sized so that the whole measurement stays near ``budget_s``."""
    for _ in range(2):  # compilation, plans, handles and the memory pool, out of the numbers
        fn()
    cp.cuda.Device().synchronize()
    start, end = cp.cuda.Event(), cp.cuda.Event()
    start.record()
    fn()
    end.record()
    end.synchronize()
    first = max(cp.cuda.get_elapsed_time(start, end), 1e-3)
    repeats = int(max(3, min(max_repeats, budget_s * 1e3 / 3 / first)))
    batch = int(max(2, min(batch, budget_s * 1e3 / 3 / first / 3)))
    single = []
    for _ in range(repeats):
        start.record()
        fn()
        end.record()
        end.synchronize()
        single.append(cp.cuda.get_elapsed_time(start, end))
    b2b, host = [], []
    for _ in range(3):
        cp.cuda.Device().synchronize()
        t0 = time.perf_counter()
        start.record()
        for _ in range(batch):
            fn()
        end.record()
        end.synchronize()
        host.append((time.perf_counter() - t0) * 1e3 / batch)
        b2b.append(cp.cuda.get_elapsed_time(start, end) / batch)
    return dict(
        single_ms=float(np.median(single)),
        b2b_ms=float(np.median(b2b)),
        host_ms=float(np.median(host)),
        repeats=repeats,
        batch=batch,
    )


def device_copy(dst, src):
    """``cudaMemcpyAsync`` of ``src``'s bytes into ``dst`` on the current stream."""
    dst.data.copy_from_device_async(src.data, src.nbytes)


class Ceilings:
    """The device's copy rate and matmul rate, measured once per size and dtype in this run."""

    def __init__(self, cp):
        self.cp = cp
        self._copy = {}
        self.matmul = {}

    def copy_ms(self, nbytes):
        """Milliseconds to read ``nbytes / 2`` and write as many (a device-to-device memcpy)."""
        half = max(int(nbytes) // 2, 1)
        if half not in self._copy:
            cp = self.cp
            src = cp.empty(half, dtype=cp.uint8)
            src.fill(7)
            dst = cp.empty_like(src)

            self._copy[half] = measure(cp, lambda: device_copy(dst, src), budget_s=0.5)["b2b_ms"]
        return self._copy[half]

    def matmul_tflops(self, dtype, n=8192):
        """TFLOP/s of ``cupy.matmul`` on random ``n x n`` matrices of ``dtype``."""
        key = np.dtype(dtype).name
        if key not in self.matmul:
            cp = self.cp
            rng = cp.random.default_rng(11)
            a = rng.standard_normal((n, n), dtype=cp.float32).astype(dtype)
            b = rng.standard_normal((n, n), dtype=cp.float32).astype(dtype)
            ms = measure(cp, lambda: cp.matmul(a, b), budget_s=2.0)["b2b_ms"]
            self.matmul[key] = 2 * n**3 / ms / 1e9
        return self.matmul[key]


def _torch():
    try:
        import torch
    except Exception as exc:
        return None, f"torch is not importable ({type(exc).__name__}: {exc})"
    if not torch.cuda.is_available():
        return None, "torch sees no GPU"
    return torch, ""


def _as_torch(torch, x):
    """A torch view of the cupy array ``x`` (no copy)."""
    try:
        return torch.from_dlpack(x)
    except Exception:
        return torch.as_tensor(x, device="cuda")


def _raw_cub_scan(cp):
    """A function scanning a contiguous 1-d array in place with CUB's DeviceScan::InclusiveSum
    through ``cupy.cuda.cub``, or ``(None, why not)``."""
    try:
        from cupy.cuda import cub
    except Exception as exc:
        return None, f"cupy.cuda.cub is not importable ({type(exc).__name__}: {exc})"
    scan = getattr(cub, "cub_scan", None) or getattr(cub, "device_scan", None)
    op = getattr(cub, "CUPY_CUB_CUMSUM", None)
    if scan is None or op is None:
        return None, "cupy.cuda.cub has no cub_scan/CUPY_CUB_CUMSUM in this cupy"

    def run(x):
        return scan(x, op)

    return run, ""


def sdpa_probe(torch, q, k, v, causal):
    """Which SDPA backend runs by default (the kernels the profiler saw) and which run at all."""
    F = torch.nn.functional
    info = {"flags": {}, "backends": {}, "default_kernels": []}
    for flag in ("flash_sdp_enabled", "mem_efficient_sdp_enabled", "cudnn_sdp_enabled"):
        fn = getattr(torch.backends.cuda, flag, None)
        if fn is not None:
            info["flags"][flag] = bool(fn())
    fn = getattr(torch.backends.cuda, "math_sdp_enabled", None)
    if fn is not None:
        info["flags"]["math_sdp_enabled"] = bool(fn())
    names = []
    try:
        from torch.profiler import ProfilerActivity, profile

        F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            F.scaled_dot_product_attention(q, k, v, is_causal=causal)
            torch.cuda.synchronize()
        for event in prof.key_averages():
            on_device = "cuda" in str(getattr(event, "device_type", "")).lower()
            if "scaled_dot_product" in event.key or (
                on_device and "memcpy" not in event.key.lower()
            ):
                names.append(event.key)
    except Exception as exc:
        names = [f"profiler failed: {type(exc).__name__}: {exc}"]
    info["default_kernels"] = names[:10]
    info["default"] = _sdpa_backend_of(names)
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except Exception as exc:
        info["backends"]["probe"] = f"torch.nn.attention unavailable: {exc}"
        return info
    for name in ("FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION", "MATH"):
        backend = getattr(SDPBackend, name, None)
        if backend is None:
            info["backends"][name] = "not in this torch"
            continue
        try:
            with sdpa_kernel([backend]):
                F.scaled_dot_product_attention(q, k, v, is_causal=causal)
            torch.cuda.synchronize()
            info["backends"][name] = "runs"
        except Exception as exc:
            info["backends"][name] = f"refused: {str(exc).splitlines()[0][:160]}"
    return info


def _sdpa_backend_of(names):
    """The SDPA backend that ran, from the profiled op names (aten's dispatch names it) or, failing
    those, from the kernel names (cuDNN's name "flash" too, so it is looked for first)."""
    joined = " ".join(names).lower()
    for mark, backend in [
        ("_scaled_dot_product_cudnn", "CUDNN_ATTENTION"),
        ("_scaled_dot_product_flash", "FLASH_ATTENTION"),
        ("_scaled_dot_product_efficient", "EFFICIENT_ATTENTION"),
        ("attention_math", "MATH"),
        ("cudnn", "CUDNN_ATTENTION"),
        ("flash", "FLASH_ATTENTION"),
        ("fmha", "EFFICIENT_ATTENTION"),
    ]:
        if mark in joined:
            return backend
    return "unknown (see the profiled names)"


def benchmark_cases(quick):
    """(kernel, shape, dtype, setup) in priority order; ``setup(cp, rng)`` returns a dict with
    ``ours`` (a thunk), ``check`` (a thunk returning None or why not), ``baselines``
    ((label, thunk) pairs, or (label, None, why not)), ``bytes`` and ``flops``."""
    cases = []
    softmax_shapes = [(512, 8192), (8192, 1024)] if quick else [(4096, 8192), (65536, 1024)]
    for shape in softmax_shapes:
        for dtype in ("float32", "float16"):
            cases.append(("softmax", shape, dtype, _rowwise_setup("softmax", shape, dtype)))
    warp_shape = (1 << 14, 256) if quick else (1 << 18, 256)
    cases.append(
        (
            "softmax (warp per row)",
            warp_shape,
            "float32",
            _rowwise_setup("softmax", warp_shape, "float32"),
        )
    )
    big = 2**22 if quick else 2**28
    for dtype in ("float32", "int32", "float64"):
        cases.append(("scan add", (big,), dtype, _scan_setup(big, dtype)))
    att = (1, 4, 1024, 64) if quick else (4, 16, 4096, 64)
    for dtype, causal in [("float16", False), ("float16", True), ("float32", False)]:
        name = "attention causal" if causal else "attention"
        cases.append((name, att, dtype, _attention_setup(att, dtype, causal)))
    seg = SEGMENT_QUICK if quick else SEGMENT
    n = 4096 * seg
    cases.append(("linear_recurrence", (n,), "float32", _recurrence_setup(n, seg, "float32")))
    rows = (256, 2**14) if quick else (4096, 2**16)
    cases.append(
        ("linear_recurrence rows", rows, "float32", _recurrence_rows_setup(rows, "float32"))
    )
    for name in ROWWISE[1:]:
        cases.append(
            (name, softmax_shapes[0], "float32", _rowwise_setup(name, softmax_shapes[0], "float32"))
        )
    cases.append(
        (
            "softmax",
            softmax_shapes[0],
            "float64",
            _rowwise_setup("softmax", softmax_shapes[0], "float64"),
        )
    )
    for shape in [(1, 128), (32, 1024), (128, 4096)]:
        cases.append(
            ("softmax (small)", shape, "float32", _rowwise_setup("softmax", shape, "float32"))
        )
    for n in (1024, 2**16):
        cases.append(("scan add (small)", (n,), "float32", _scan_setup(n, "float32")))
    cases.extend(_optional_cases(quick))
    return cases


def _rowwise_setup(name, shape, dtype):
    def setup(cp, rng, torch, kern, ref):
        x = random_array(cp, rng, shape, dtype, scale=4.0)
        out = dict(
            ours=lambda: getattr(kern, name)(x),
            check=lambda: check_rowwise(cp, kern, ref, name, x, rows=spread(shape[0], 1024)),
            bytes=x.nbytes + (x.nbytes if name != "logsumexp" else x.nbytes // shape[-1]),
            flops=0,
            baselines=[],
        )
        if torch is None:
            out["baselines"].append((f"torch.{name}", None, "torch missing"))
        else:
            tx = _as_torch(torch, x)
            fn = getattr(torch, TORCH_ROWWISE[name])
            out["baselines"].append((f"torch.{name}", lambda: fn(tx, dim=-1)))
        return out

    return setup


def _scan_setup(n, dtype):
    def setup(cp, rng, torch, kern, ref):
        if np.dtype(dtype).kind == "f":
            x = random_array(cp, rng, (n,), dtype, scale=100.0)
        else:
            x = random_array(cp, rng, (n,), dtype, low=-1000, high=1000)
        out = dict(
            ours=lambda: kern.scan(x),
            check=lambda: check_scan_against_cub(cp, kern, x),
            bytes=2 * x.nbytes,
            flops=0,
            baselines=[("cupy.cumsum(x, dtype=x.dtype)", lambda: cp.cumsum(x, dtype=x.dtype))],
        )
        run, why = _raw_cub_scan(cp)
        if run is None:
            out["baselines"].append(("CUB scan (cupy.cuda.cub)", None, why))
        else:
            buf = x.copy()
            try:
                first = run(buf)
                ok = first is not None
                why = "cub_scan returned None (CUB refuses this dtype here)"
            except Exception as exc:
                ok, why = False, f"{type(exc).__name__}: {exc}"
            if ok:
                # In place: every call reads and writes the n values, as the other scans do.
                out["baselines"].append(("CUB scan (cupy.cuda.cub)", lambda: run(buf)))
            else:
                out["baselines"].append(("CUB scan (cupy.cuda.cub)", None, why))
        if torch is None:
            out["baselines"].append(("torch.cumsum", None, "torch missing"))
        else:
            tx = _as_torch(torch, x)
            out["baselines"].append(
                ("torch.cumsum(dtype=x.dtype)", lambda: torch.cumsum(tx, 0, dtype=tx.dtype))
            )
        return out

    return setup


def _attention_setup(shape, dtype, causal):
    def setup(cp, rng, torch, kern, ref):
        q, k, v = _qkv(cp, rng, shape, dtype)
        b, h, n, d = shape
        flops = 4 * b * h * n * n * d // (2 if causal else 1)
        out = dict(
            ours=lambda: kern.attention(q, k, v, causal=causal),
            check=lambda: check_attention(
                cp, kern, ref, q, k, v, causal=causal, heads=[(0, 0), (b - 1, h - 1)]
            ),
            bytes=4 * q.nbytes,
            flops=flops,
            matmul_dtype=dtype,
            baselines=[],
        )
        if torch is None:
            out["baselines"].append(("torch SDPA", None, "torch missing"))
            return out
        tq, tk, tv = (_as_torch(torch, a) for a in (q, k, v))
        F = torch.nn.functional
        probe = sdpa_probe(torch, tq, tk, tv, causal)
        out["sdpa"] = probe
        out["baselines"].append(
            (
                f"torch SDPA default ({probe['default']})",
                lambda: F.scaled_dot_product_attention(tq, tk, tv, is_causal=causal),
            )
        )
        try:
            from torch.nn.attention import SDPBackend, sdpa_kernel
        except Exception:
            return out
        for name, state in probe["backends"].items():
            if state != "runs":
                continue
            backend = getattr(SDPBackend, name)

            def forced(backend=backend):
                with sdpa_kernel([backend]):
                    return F.scaled_dot_product_attention(tq, tk, tv, is_causal=causal)

            out["baselines"].append((f"torch SDPA forced {name}", forced))
        return out

    return setup


def _recurrence_setup(n, segment, dtype):
    def setup(cp, rng, torch, kern, ref):
        a, b, _ = _segmented_recurrence(cp, rng, n, segment, dtype)
        return dict(
            ours=lambda: kern.linear_recurrence(a, b),
            check=lambda: check_recurrence(cp, kern, ref, a, b, segment=segment, sample=256),
            bytes=3 * a.nbytes,
            flops=0,
            baselines=[],
        )

    return setup


def _recurrence_rows_setup(shape, dtype):
    def setup(cp, rng, torch, kern, ref):
        a = random_array(cp, rng, shape, dtype, low=-1.0, high=1.0)
        b = random_array(cp, rng, shape, dtype)
        return dict(
            ours=lambda: kern.linear_recurrence(a, b),
            check=lambda: check_recurrence(cp, kern, ref, a, b, rows=spread(shape[0], 256)),
            bytes=3 * a.nbytes,
            flops=0,
            baselines=[],
        )

    return setup


def _optional_cases(quick):
    cases = []
    shape = (2, 8, 1024, 64) if quick else (4, 16, 4096, 64)

    def rope_setup(cp, rng, torch, kern, ref):
        x = random_array(cp, rng, shape, "float32")
        return dict(
            ours=lambda: kern.rope(x),
            check=lambda: check_rope(cp, kern, ref, x[:1, :2]),
            bytes=2 * x.nbytes,
            flops=0,
            baselines=[],
        )

    def linear_attention_setup(cp, rng, torch, kern, ref):
        q, k, v = _qkv(cp, rng, shape, "float32")
        small = tuple(a[:1, :2, :1024] for a in (q, k, v))
        return dict(
            ours=lambda: kern.linear_attention(q, k, v, causal=True),
            check=lambda: check_linear_attention(cp, kern, ref, *small, causal=True),
            bytes=4 * q.nbytes,
            flops=0,
            baselines=[
                ("kernels.attention(causal=True)", lambda: kern.attention(q, k, v, causal=True))
            ],
        )

    def selective_scan_setup(cp, rng, torch, kern, ref):
        batch, dim, n, length = (1, 128, 16, 1024) if quick else (4, 1024, 16, 4096)
        args = _selective_scan_input(cp, rng, batch, dim, n, length, "float32")
        u, delta, A, B, C, D = args
        small = (u[:1, :16], delta[:1, :16], A[:16], B[:1], C[:1], D[:16])
        return dict(
            ours=lambda: kern.selective_scan(*args),
            check=lambda: check_selective_scan(cp, kern, ref, *small),
            bytes=3 * u.nbytes + B.nbytes + C.nbytes + A.nbytes + D.nbytes,
            flops=0,
            baselines=[],
        )

    cases.append(("rope", shape, "float32", rope_setup))
    cases.append(("linear_attention causal", shape, "float32", linear_attention_setup))
    sizes = "(1, 128, 16, 1024)" if quick else "(4, 1024, 16, 4096)"
    cases.append(("selective_scan", sizes, "float32", selective_scan_setup))
    return cases


def run_benchmarks(cp, quick, deadline, log, on_row=None):
    """Check, then time, every case of :func:`benchmark_cases`, ``on_row(rows, notes)`` after
    each; returns (rows, notes)."""
    kern, ref = _kernels()
    torch, torch_missing = _torch()
    notes = []
    if torch is None:
        notes.append(f"torch baselines skipped: {torch_missing}")
    ceilings = Ceilings(cp)
    rows = []
    for kernel, shape, dtype, setup in benchmark_cases(quick):
        if on_row is not None:  # what is done so far, in case the run is cut short
            on_row(rows, notes)
        base = dict(kernel=kernel, shape=str(shape), dtype=dtype)
        name = kernel.split()[0]
        if name in OPTIONAL_KERNELS and not _has(kern, name):
            notes.append(f"{name}: not in this tree, not timed")
            continue
        if time.monotonic() > deadline:
            rows.append(dict(base, method="ours", status="skipped: time budget spent"))
            log(f"{kernel} {shape} {dtype}: skipped, time budget spent")
            continue
        try:
            spec = setup(cp, cp.random.default_rng(len(rows) + 1), torch, kern, ref)
        except Exception as exc:
            rows.append(
                dict(
                    base, method="ours", status=f"set-up failed: {type(exc).__name__}: {exc}"[:300]
                )
            )
            log(f"{kernel} {shape} {dtype}: set-up failed: {exc}")
            continue
        if "sdpa" in spec:
            probe = spec["sdpa"]
            notes.append(
                f"SDPA {kernel} {dtype} {shape}: default backend {probe['default']}; kernels "
                f"{probe['default_kernels']}; flags {probe['flags']}; forced {probe['backends']}"
            )
        try:
            problem = spec["check"]()
        except Exception as exc:
            problem = describe(exc)
        row = dict(base, method="ours", check="ok" if problem is None else "FAIL")
        if problem is not None:
            row["status"] = f"check failed, not timed: {problem}"[:600]
            rows.append(row)
            log(f"{kernel} {shape} {dtype}: check FAILED: {problem}")
            continue
        ours = _timed(cp, spec["ours"], row, spec, ceilings, log)
        rows.append(row)
        for entry in spec["baselines"]:
            label, fn = entry[0], entry[1]
            brow = dict(base, method=label)
            if fn is None:
                brow["status"] = f"skipped: {entry[2]}"
                rows.append(brow)
                continue
            if time.monotonic() > deadline:
                brow["status"] = "skipped: time budget spent"
                rows.append(brow)
                continue
            _timed(cp, fn, brow, spec, ceilings, log)
            if ours and brow.get("b2b_ms"):
                brow["baseline_over_ours"] = brow["b2b_ms"] / ours
            rows.append(brow)
        del spec
        cp.get_default_memory_pool().free_all_blocks()
        if torch is not None:
            torch.cuda.empty_cache()
    return rows, notes


def _timed(cp, fn, row, spec, ceilings, log):
    """Time ``fn`` into ``row`` with its rate against the ceilings; the b2b ms, or None."""
    try:
        row.update(measure(cp, fn))
    except Exception as exc:
        row["status"] = f"timing failed: {type(exc).__name__}: {exc}"[:300]
        log(f"{row['kernel']} {row['shape']} {row['dtype']} {row['method']}: {row['status']}")
        return None
    ms = row["b2b_ms"]
    if spec["flops"]:
        row["tflops"] = spec["flops"] / ms / 1e9
        try:
            row["of_matmul"] = row["tflops"] / ceilings.matmul_tflops(spec["matmul_dtype"])
        except Exception as exc:
            row["status"] = f"matmul ceiling failed: {exc}"
    else:
        row["gbps"] = spec["bytes"] / ms / 1e6
        try:
            row["of_copy"] = ceilings.copy_ms(spec["bytes"]) / ms
        except Exception as exc:
            row["status"] = f"copy ceiling failed: {exc}"
    row.setdefault("status", "ok")
    log(
        f"{row['kernel']:<24} {row['shape']:<20} {row['dtype']:<8} {row['method']:<36} "
        f"single {row['single_ms']:.4f} ms  b2b {ms:.4f} ms  host {row['host_ms']:.4f} ms"
    )
    return ms


# --- output ----------------------------------------------------------------------------------


def _fmt(value, spec):
    return "" if value is None else format(value, spec)


def markdown_table(rows):
    """The timing rows as one Markdown table."""
    head = (
        "| kernel | shape | dtype | method | check | single ms | b2b ms | host ms/call | GB/s "
        "| of copy | TFLOP/s | of matmul | baseline / ours | status |"
    )
    lines = [head, "|" + "---|" * 14]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                [
                    r["kernel"],
                    r["shape"],
                    r["dtype"],
                    r["method"],
                    r.get("check", ""),
                    _fmt(r.get("single_ms"), ".4f"),
                    _fmt(r.get("b2b_ms"), ".4f"),
                    _fmt(r.get("host_ms"), ".4f"),
                    _fmt(r.get("gbps"), ".0f"),
                    _fmt(r.get("of_copy"), ".0%"),
                    _fmt(r.get("tflops"), ".1f"),
                    _fmt(r.get("of_matmul"), ".1%"),
                    _fmt(r.get("baseline_over_ours"), ".2f")
                    + ("x" if "baseline_over_ours" in r else ""),
                    r.get("status", "").replace("|", "/").replace("\n", " "),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def sweep_table(results):
    lines = ["| case | result | seconds | detail |", "|---|---|---|---|"]
    for r in results:
        detail = r.get("detail", "").replace("|", "/").replace("\n", " ")
        lines.append(
            f"| {r['case']} | {r['status']} | {_fmt(r.get('seconds'), '.1f')} | {detail} |"
        )
    return "\n".join(lines)


def device_description(cp):
    """Lines naming the device, cupy and CUDA, and cupy's accelerators (what runs cupy.cumsum)."""
    lines = []
    try:
        props = cp.cuda.runtime.getDeviceProperties(cp.cuda.Device().id)
        name = props["name"]
        name = name.decode() if isinstance(name, bytes) else name
        lines.append(
            f"device: {name}, compute capability {props['major']}.{props['minor']}, "
            f"{props['multiProcessorCount']} multiprocessors, "
            f"{props['totalGlobalMem'] / 2**30:.1f} GiB, L2 {props.get('l2CacheSize', 0) / 2**20:.0f} MiB"
        )
        lines.append(
            f"cupy {cp.__version__}, CUDA runtime {cp.cuda.runtime.runtimeGetVersion()}, "
            f"driver {cp.cuda.runtime.driverGetVersion()}"
        )
    except Exception as exc:
        lines.append(f"device: not described ({describe(exc)})")
    try:
        from cupy._core import _accelerator

        lines.append(f"cupy routine accelerators: {_accelerator.get_routine_accelerators()}")
    except Exception:
        pass
    return lines


def _gpu():
    """cupy and ``None``, or ``None`` and why there is no GPU to measure."""
    try:
        import cupy
    except Exception as exc:
        return None, f"cupy is not importable ({type(exc).__name__}: {exc})"
    try:
        if not cupy.is_available():
            return None, "cupy finds no CUDA GPU"
    except Exception as exc:
        return None, f"cupy finds no usable GPU ({type(exc).__name__}: {exc})"
    return cupy, None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, for a first look")
    parser.add_argument(
        "--check-only", action="store_true", help="run the correctness sweep and time nothing"
    )
    parser.add_argument("--out", type=pathlib.Path, help="folder for the Markdown table and JSON")
    parser.add_argument(
        "--budget", type=float, default=420.0, help="seconds; cases past it are skipped"
    )
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.budget
    cp, why = _gpu()
    if cp is None:
        print(f"gpu_report: no GPU to measure: {why}", file=sys.stderr)
        return 2
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    header = device_description(cp)
    for line in header:
        print(line, flush=True)

    def log(line):
        print(line, flush=True)

    if args.check_only:

        def write_sweep(results):
            failed = sum(r["status"] == "FAIL" for r in results)
            skipped = sum(r["status"] == "skipped" for r in results)
            summary = (
                f"{len(results) - failed - skipped} checks passed, {failed} failed, "
                f"{skipped} skipped"
            )
            if args.out:
                text = ["# Correctness sweep", "", *header, "", summary, "", sweep_table(results)]
                (args.out / "correctness.md").write_text("\n".join([*text, ""]))
                (args.out / "correctness.json").write_text(json.dumps(results, indent=1))
            return summary, failed

        results = run_sweep(cp, args.quick, deadline, log, write_sweep)
        summary, failed = write_sweep(results)
        print(summary)
        return 1 if failed else 0

    try:
        probe = Ceilings(cp)
        size = 2**27 if args.quick else 2**32
        ceiling_line = (
            f"device-to-device copy of {size // 2 >> 20} MiB each way: "
            f"{size / probe.copy_ms(size) / 1e6:.0f} GB/s (read + write)"
        )
        for dtype in ("float16", "float32"):
            ceiling_line += (
                f"; cupy.matmul {dtype} 8192^3: {probe.matmul_tflops(dtype):.1f} TFLOP/s"
            )
    except Exception as exc:
        ceiling_line = f"ceilings failed: {describe(exc)}"
    print(ceiling_line, flush=True)

    def write_report(rows, notes):
        if not args.out:
            return
        text = [
            "# GPU report",
            "",
            *header,
            ceiling_line,
            "",
            "single: one call per event pair; b2b: back-to-back calls per event pair, per call; "
            "host: wall-clock per call over back-to-back calls. Rates and ratios use b2b. "
            "baseline / ours above 1: ours is faster.",
            "",
            markdown_table(rows),
            "",
            *(f"- {n}" for n in notes),
            "",
        ]
        (args.out / "gpu_report.md").write_text("\n".join(text))
        (args.out / "gpu_report.json").write_text(
            json.dumps(dict(rows=rows, notes=notes), indent=1, default=str)
        )

    rows, notes = run_benchmarks(cp, args.quick, deadline, log, write_report)
    write_report(rows, notes)
    print()
    print(markdown_table(rows))
    for note in notes:
        print(note)
    # A kernel that failed its check, or could not be set up, checked or timed, or was left out
    # for time, fails the report; a missing baseline does not.
    bad = [r for r in rows if r["method"] == "ours" and r.get("status") != "ok"]
    print(
        f"{len(bad)} of our {sum(r['method'] == 'ours' for r in rows)} cases not checked and timed"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
