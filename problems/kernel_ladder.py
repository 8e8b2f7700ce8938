"""A ladder of kernel problems: the solution is a ``numba.cuda`` kernel, judged in the simulator.

From first steps (map, zip, a guard for sizes that are not a multiple of the block) through
shared memory and barriers (block reduction, scans, tiled matrix multiply) to the package's own
kernels (online softmax, an attention tile with online rescaling, the linear recurrence, rotary
embeddings, the selective scan, causal linear attention). Each problem fixes the launch the judge
uses, as GPU-Puzzles does: a learner writes the body of the kernel, the judge picks threads per
block and blocks from the size.

Sizes always include 1, 2, 3, the block size minus one, the block size, plus one, sizes that are
not powers of two, and the largest the problem allows (where the problem maps one block to one
row, the row is at most one block long and the sizes stop there). Every problem states a traffic
budget in global reads and writes; a kernel that is right but reads its input more often than
the budget allows fails, as it would be slow on a GPU.

The ladder, easiest first: ``cuda-map``, ``cuda-zip``, ``cuda-guard``, ``cuda-map-2d``,
``cuda-broadcast``, ``cuda-block-reduce`` (sum and max in shared memory), ``cuda-warp-reduce``
(shuffles), ``cuda-dot`` (atomics), ``cuda-conv1d`` (a shared tile with its halo),
``cuda-block-scan``, ``cuda-scan`` (across blocks, two launches), ``cuda-softmax`` (three
passes), ``cuda-online-softmax`` (two reads of x), ``cuda-matmul`` (shared tiles),
``cuda-attention-tile`` (online rescaling), ``cuda-linear-recurrence`` (a scan of pairs),
``cuda-rope`` (a feature pair per thread), ``cuda-selective-scan`` (a channel per thread) and
``cuda-linear-attention`` (a running state in shared memory, two barriers a step).
The judge is :mod:`problems.cuda_check`; ``problems/examples/ladder/`` holds a correct and a
wrong kernel for each problem and a kernel planted with each finding the judge reports.

>>> [p.id for p in ladder()][:3]
['cuda-map', 'cuda-zip', 'cuda-guard']
>>> get_kernel_problem("cuda-map").kernels
('map_kernel',)
>>> len(ladder()) >= 12
True
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kernels.tolerances import (
    SAFETY,
    attention_bound,
    recurrence_bound,
    scan_bound,
    softmax_bound,
    unit_roundoff,
)

__all__ = ["KernelProblem", "get_kernel_problem", "ladder"]


@dataclass(frozen=True)
class KernelProblem:
    """One kernel problem of the ladder.

    ``make(size, rng)`` builds every array of a launch (inputs, and outputs filled with NaN or
    the dtype's largest value, so an element never written shows as wrong); ``launches(size)``
    the kernel launches as plain data (kernel name, grid, block, argument names);
    ``reference(arrays)`` and ``bound(arrays, expected)`` the float64 answer and the error
    allowed for each output; ``budget(size, arrays)`` the most global ``(reads, writes)`` per
    array (``None``: not limited).
    """

    id: str
    title: str
    statement: str
    signature: str
    kernels: tuple
    inputs: tuple
    outputs: tuple
    sizes: tuple
    make: Callable
    launches: Callable
    reference: Callable
    bound: Callable
    budget: Callable
    budget_text: str
    launch_text: str
    dtypes_text: str
    sizes_text: str
    gpu_size: object = None
    baseline: Callable | None = None
    baseline_name: str = ""
    package: Callable | None = None
    package_name: str = ""
    aliases: tuple = ()
    examples: tuple = ()
    notes: dict = field(default_factory=dict)

    @property
    def names(self):
        return (self.id, *self.aliases)

    @property
    def parameters(self):
        return self.inputs + tuple(o for o in self.outputs if o not in self.inputs)

    def describe(self) -> str:
        """The statement with the signature, launch, dtypes, sizes and budget, as Markdown."""
        return (
            f"# {self.title} (`{self.id}`)\n\n{self.statement.strip()}\n\n"
            f"## Signature\n\n```python\n{self.signature.strip()}\n```\n\n"
            f"## Launch\n\n{self.launch_text}\n\n## Dtypes\n\n{self.dtypes_text}\n\n"
            f"## Sizes\n\n{self.sizes_text}\n\n## Traffic budget\n\n{self.budget_text}\n\n"
            "## Judged\n\nIn numba's CUDA simulator: out-of-bounds accesses, races in shared "
            "and global memory, reads of shared memory never written, barriers not reached by "
            "every thread, answers against the float64 reference, and global traffic against "
            "the budget; on a GPU (where cupy finds one) checked again on larger inputs and "
            "timed beside this package's kernel and the library baseline.\n"
        )

    def template(self) -> str:
        """A starter file: the statement as its docstring, the kernel(s) to fill in."""
        doc = self.describe().replace("\\", "\\\\").replace('"""', "'''")
        return (
            f'"""{doc}\nCheck it with:\n\n    python -m problems check {self.id} THIS_FILE\n"""\n\n'
            f"{self.signature.strip()}\n"
        )


def _ceil(a, b):
    return -(-a // b)


def _poisoned(shape, dtype):
    dtype = np.dtype(dtype)
    fill = np.nan if dtype.kind == "f" else np.iinfo(dtype).max
    return np.full(shape, fill, dtype=dtype)


def _small_ints(rng, shape, dtype=np.float32, low=-9, high=9):
    """Small integers, exact in any float dtype, so a wrong answer is plain to read."""
    return rng.integers(low, high + 1, size=shape).astype(dtype)


def _rounding(expected, dtype, terms=1):
    """The error of ``terms`` roundings of values the size of ``expected`` in ``dtype``."""
    return SAFETY * unit_roundoff(dtype) * terms * np.abs(expected) + SAFETY * float(
        np.finfo(dtype).tiny
    )


def _launch(kernel, grid, block, args):
    return {"kernel": kernel, "grid": list(grid), "block": list(block), "args": list(args)}


def _sum_bound(abs_sum, terms, dtype):
    """Any order of summing ``terms`` products whose absolute values sum to ``abs_sum``."""
    return _rounding(abs_sum, dtype, terms + 1)


_KERNEL_HEADER = "from numba import cuda\n\n\n"


def _header(constants, math=False):
    """The imports and constants of a starter file with shared or local arrays."""
    imports = "import math\n\n" if math else ""
    return f"{imports}from numba import cuda, float32\n\n{constants}\n\n\n"


_ELEMENTWISE_SIZES = (1, 2, 3, 7, 8, 9, 13, 24)
_GUARD_TPB = 8


# ---------------------------------------------------------------------------------------------
# 1-3: one thread per element.


def _map_problem():
    def make(n, rng):
        return {"x": _small_ints(rng, n), "out": _poisoned(n, np.float32)}

    return KernelProblem(
        id="cuda-map",
        title="Map",
        statement="""
Add 10 to every element: `out[i] = x[i] + 10`. The judge launches exactly one thread per
element in a single block, so thread `i = cuda.threadIdx.x` owns element `i`.
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef map_kernel(x, out):\n    i = cuda.threadIdx.x\n    # out[i] = ...\n",
        kernels=("map_kernel",),
        inputs=("x",),
        outputs=("out",),
        sizes=(1, 2, 3, 4, 5, 7, 8, 12, 16),
        make=make,
        launches=lambda n: [_launch("map_kernel", (1,), (n,), ("x", "out"))],
        reference=lambda a: {"out": a["x"].astype(np.float64) + 10},
        bound=lambda a, e: {"out": _rounding(e["out"], np.float32)},
        budget=lambda n, a: {"x": (n, 0), "out": (0, n)},
        budget_text="each element of x read once, each element of out written once, out never read",
        launch_text="`map_kernel[1, n](x, out)`: one block of n threads (the block is the size).",
        dtypes_text="x and out float32.",
        sizes_text="1 <= n <= 16; the judge runs n = 1, 2, 3, 4, 5, 7, 8, 12, 16.",
    )


def _zip_problem():
    def make(n, rng):
        return {
            "a": _small_ints(rng, n),
            "b": _small_ints(rng, n),
            "out": _poisoned(n, np.float32),
        }

    return KernelProblem(
        id="cuda-zip",
        title="Zip",
        statement="""
Add two vectors: `out[i] = a[i] + b[i]`, one thread per element in a single block.
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef zip_kernel(a, b, out):\n    i = cuda.threadIdx.x\n    # out[i] = ...\n",
        kernels=("zip_kernel",),
        inputs=("a", "b"),
        outputs=("out",),
        sizes=(1, 2, 3, 4, 5, 7, 8, 12, 16),
        make=make,
        launches=lambda n: [_launch("zip_kernel", (1,), (n,), ("a", "b", "out"))],
        reference=lambda a: {"out": a["a"].astype(np.float64) + a["b"]},
        bound=lambda a, e: {"out": _rounding(e["out"], np.float32)},
        budget=lambda n, a: {"a": (n, 0), "b": (n, 0), "out": (0, n)},
        budget_text="each element of a and b read once, each element of out written once",
        launch_text="`zip_kernel[1, n](a, b, out)`: one block of n threads.",
        dtypes_text="a, b and out float32.",
        sizes_text="1 <= n <= 16; the judge runs n = 1, 2, 3, 4, 5, 7, 8, 12, 16.",
    )


def _guard_problem():
    tpb = _GUARD_TPB

    def make(n, rng):
        return {"x": _small_ints(rng, n), "out": _poisoned(n, np.float32)}

    return KernelProblem(
        id="cuda-guard",
        title="Guard",
        statement="""
Add 10 to every element, `out[i] = x[i] + 10`, where the size is not a multiple of the block:
the judge launches `ceil(n / 8)` blocks of 8 threads, so the last block has threads with no
element. They must not touch memory.
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef guard_kernel(x, out):\n    i = cuda.grid(1)\n    # ...\n",
        kernels=("guard_kernel",),
        inputs=("x",),
        outputs=("out",),
        sizes=_ELEMENTWISE_SIZES,
        make=make,
        launches=lambda n: [_launch("guard_kernel", (_ceil(n, tpb),), (tpb,), ("x", "out"))],
        reference=lambda a: {"out": a["x"].astype(np.float64) + 10},
        bound=lambda a, e: {"out": _rounding(e["out"], np.float32)},
        budget=lambda n, a: {"x": (n, 0), "out": (0, n)},
        budget_text="each element of x read once, each element of out written once",
        launch_text="`guard_kernel[ceil(n / 8), 8](x, out)`.",
        dtypes_text="x and out float32.",
        sizes_text="1 <= n <= 24; the judge runs n = 1, 2, 3, 7, 8, 9, 13, 24.",
    )


# ---------------------------------------------------------------------------------------------
# 4-5: two dimensions.

_SHAPES_2D = ((1, 1), (2, 3), (3, 2), (3, 3), (4, 4), (5, 4), (4, 5), (5, 7), (9, 6), (9, 9))


def _map_2d_problem():
    def make(shape, rng):
        return {"x": _small_ints(rng, shape), "out": _poisoned(shape, np.float32)}

    def launches(shape):
        grid = (_ceil(shape[0], 4), _ceil(shape[1], 4))
        return [_launch("map_2d_kernel", grid, (4, 4), ("x", "out"))]

    return KernelProblem(
        id="cuda-map-2d",
        title="Map in two dimensions",
        statement="""
Add 10 to every element of a matrix: `out[i, j] = x[i, j] + 10`. Thread `(i, j) =
cuda.grid(2)` owns row `i`, column `j`; the blocks cover the matrix in 4 x 4 tiles, so threads
past the last row or column have nothing to do.
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef map_2d_kernel(x, out):\n    i, j = cuda.grid(2)\n    # ...\n",
        kernels=("map_2d_kernel",),
        inputs=("x",),
        outputs=("out",),
        sizes=_SHAPES_2D,
        make=make,
        launches=launches,
        reference=lambda a: {"out": a["x"].astype(np.float64) + 10},
        bound=lambda a, e: {"out": _rounding(e["out"], np.float32)},
        budget=lambda s, a: {"x": (a["x"].size, 0), "out": (0, a["out"].size)},
        budget_text="each element of x read once, each element of out written once",
        launch_text="`map_2d_kernel[(ceil(rows / 4), ceil(cols / 4)), (4, 4)](x, out)`.",
        dtypes_text="x and out float32, shape (rows, cols).",
        sizes_text="1 <= rows, cols <= 9; the judge runs (rows, cols) = " + str(_SHAPES_2D),
    )


def _broadcast_problem():
    def make(shape, rng):
        rows, cols = shape
        return {
            "a": _small_ints(rng, rows),
            "b": _small_ints(rng, cols),
            "out": _poisoned(shape, np.float32),
        }

    def launches(shape):
        grid = (_ceil(shape[0], 4), _ceil(shape[1], 4))
        return [_launch("broadcast_kernel", grid, (4, 4), ("a", "b", "out"))]

    return KernelProblem(
        id="cuda-broadcast",
        title="Broadcast",
        statement="""
The outer sum of a column and a row: `out[i, j] = a[i] + b[j]`, `a` of length rows, `b` of
length cols, one thread per output element as in cuda-map-2d.
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef broadcast_kernel(a, b, out):\n    i, j = cuda.grid(2)\n    # ...\n",
        kernels=("broadcast_kernel",),
        inputs=("a", "b"),
        outputs=("out",),
        sizes=_SHAPES_2D,
        make=make,
        launches=launches,
        reference=lambda a: {"out": a["a"].astype(np.float64)[:, None] + a["b"][None, :]},
        bound=lambda a, e: {"out": _rounding(e["out"], np.float32)},
        budget=lambda s, a: {
            "a": (a["out"].size, 0),
            "b": (a["out"].size, 0),
            "out": (0, a["out"].size),
        },
        budget_text="a and b each read at most once per output element, out written once",
        launch_text="`broadcast_kernel[(ceil(rows / 4), ceil(cols / 4)), (4, 4)](a, b, out)`.",
        dtypes_text="a, b and out float32.",
        sizes_text="1 <= rows, cols <= 9; the judge runs (rows, cols) = " + str(_SHAPES_2D),
    )


# ---------------------------------------------------------------------------------------------
# 6-8: reductions.

_REDUCE_TPB = 8
_REDUCE_SIZES = (1, 2, 3, 7, 8, 9, 13, 24, 40)


def _blocks(x, size, fill):
    """``x`` (float64) cut into rows of ``size``, the last padded with ``fill``."""
    x = np.asarray(x, dtype=np.float64)
    padded = np.full(_ceil(len(x), size) * size, fill)
    padded[: len(x)] = x
    return padded.reshape(-1, size)


def _block_reduce_problem():
    tpb = _REDUCE_TPB

    def make(n, rng):
        blocks = _ceil(n, tpb)
        return {
            "x": _small_ints(rng, n),
            "sums": _poisoned(blocks, np.float32),
            "maxes": _poisoned(blocks, np.float32),
        }

    def reference(a):
        return {
            "sums": _blocks(a["x"], tpb, 0.0).sum(axis=1),
            "maxes": _blocks(a["x"], tpb, -np.inf).max(axis=1),
        }

    def bound(a, e):
        mass = np.abs(_blocks(a["x"], tpb, 0.0)).sum(axis=1)
        return {"sums": _sum_bound(mass, tpb, np.float32), "maxes": 0.0}

    return KernelProblem(
        id="cuda-block-reduce",
        title="Block reduction (sum and max) in shared memory",
        statement="""
Each block of 8 threads reduces its 8 elements: `sums[b] = x[8b:8b+8].sum()` and
`maxes[b] = x[8b:8b+8].max()` (the last block may have fewer elements). Load the block's
elements into a shared array (`cuda.shared.array(8, numba.float32)`, filled with the identity
past the end: 0 for the sum, -inf for the max), halve the active threads each step with a
`cuda.syncthreads()` between steps, and let thread 0 write the results.
""",
        signature=_header("TPB = 8") + "@cuda.jit\ndef block_reduce_kernel(x, sums, maxes):\n"
        "    s = cuda.shared.array(TPB, float32)\n"
        "    m = cuda.shared.array(TPB, float32)\n"
        "    # ...\n",
        kernels=("block_reduce_kernel",),
        inputs=("x",),
        outputs=("sums", "maxes"),
        sizes=_REDUCE_SIZES,
        make=make,
        launches=lambda n: [
            _launch("block_reduce_kernel", (_ceil(n, tpb),), (tpb,), ("x", "sums", "maxes"))
        ],
        reference=reference,
        bound=bound,
        budget=lambda n, a: {
            "x": (n, 0),
            "sums": (0, a["sums"].size),
            "maxes": (0, a["maxes"].size),
        },
        budget_text="each element of x read once, one write of sums and of maxes per block",
        launch_text="`block_reduce_kernel[ceil(n / 8), 8](x, sums, maxes)`.",
        dtypes_text="x, sums and maxes float32.",
        sizes_text="1 <= n <= 40; the judge runs n = " + ", ".join(map(str, _REDUCE_SIZES)),
    )


_WARP_SIZES = (1, 2, 3, 31, 32, 33, 50, 96)


def _warp_reduce_problem():
    def make(n, rng):
        return {"x": _small_ints(rng, n), "out": _poisoned(_ceil(n, 32), np.float32)}

    def bound(a, e):
        return {"out": _sum_bound(np.abs(_blocks(a["x"], 32, 0.0)).sum(axis=1), 32, np.float32)}

    return KernelProblem(
        id="cuda-warp-reduce",
        title="Warp reduction with shuffles",
        statement="""
Each block is one warp of 32 threads; `out[b]` is the sum of the block's 32 elements
(fewer in the last block). Use no shared memory: each lane holds its element (0 past the end)
and `cuda.shfl_down_sync(0xFFFFFFFF, v, offset)` with offsets 16, 8, 4, 2, 1 folds the warp
into lane 0. Every lane must make every shuffle (the full mask says so).
""",
        signature=_KERNEL_HEADER
        + "@cuda.jit\ndef warp_sum_kernel(x, out):\n    i = cuda.grid(1)\n    # ...\n",
        kernels=("warp_sum_kernel",),
        inputs=("x",),
        outputs=("out",),
        sizes=_WARP_SIZES,
        make=make,
        launches=lambda n: [_launch("warp_sum_kernel", (_ceil(n, 32),), (32,), ("x", "out"))],
        reference=lambda a: {"out": _blocks(a["x"], 32, 0.0).sum(axis=1)},
        bound=bound,
        budget=lambda n, a: {"x": (n, 0), "out": (0, a["out"].size)},
        budget_text="each element of x read once, one write of out per block",
        launch_text="`warp_sum_kernel[ceil(n / 32), 32](x, out)`.",
        dtypes_text="x and out float32.",
        sizes_text="1 <= n <= 96; the judge runs n = " + ", ".join(map(str, _WARP_SIZES)),
    )


def _dot_problem():
    tpb = _REDUCE_TPB

    def make(n, rng):
        return {
            "a": _small_ints(rng, n),
            "b": _small_ints(rng, n),
            "out": np.zeros(1, np.float32),
        }

    def bound(a, e):
        mass = np.abs(a["a"].astype(np.float64) * a["b"]).sum()
        return {"out": _sum_bound(np.array([mass]), len(a["a"]), np.float32)}

    return KernelProblem(
        id="cuda-dot",
        title="Dot product",
        statement="""
`out[0] = sum(a[i] * b[i])`. Each block of 8 threads multiplies its elements, reduces the
products in shared memory, and thread 0 adds the block's partial sum to `out[0]` with
`cuda.atomic.add(out, 0, partial)`. `out` starts at 0.
""",
        signature=_header("TPB = 8") + "@cuda.jit\ndef dot_kernel(a, b, out):\n"
        "    s = cuda.shared.array(TPB, float32)\n    # ...\n",
        kernels=("dot_kernel",),
        inputs=("a", "b"),
        outputs=("out",),
        sizes=_REDUCE_SIZES,
        make=make,
        launches=lambda n: [_launch("dot_kernel", (_ceil(n, tpb),), (tpb,), ("a", "b", "out"))],
        reference=lambda a: {"out": np.array([a["a"].astype(np.float64) @ a["b"]])},
        bound=bound,
        budget=lambda n, a: {"a": (n, 0), "b": (n, 0), "out": (_ceil(n, tpb), _ceil(n, tpb))},
        budget_text="each element of a and b read once, one atomic add to out per block",
        launch_text="`dot_kernel[ceil(n / 8), 8](a, b, out)`, out = [0.0].",
        dtypes_text="a, b and out float32.",
        sizes_text="1 <= n <= 40; the judge runs n = " + ", ".join(map(str, _REDUCE_SIZES)),
    )


# ---------------------------------------------------------------------------------------------
# 9: convolution.

_CONV_SIZES = ((1, 1), (2, 2), (3, 3), (7, 2), (9, 2), (8, 3), (13, 4), (24, 3), (24, 4))


def _conv_problem():
    tpb = 8

    def make(size, rng):
        n, k = size
        return {"x": _small_ints(rng, n), "w": _small_ints(rng, k), "out": _poisoned(n, np.float32)}

    def terms(a, absolute):
        x, w = a["x"].astype(np.float64), a["w"].astype(np.float64)
        if absolute:
            x, w = np.abs(x), np.abs(w)
        n, k = len(x), len(w)
        padded = np.concatenate([x, np.zeros(k)])
        return sum(padded[j : j + n] * w[j] for j in range(k))

    def budget(size, a):
        n, k = size
        blocks = _ceil(n, tpb)
        return {"x": (n + blocks * (k - 1), 0), "w": (blocks * k, 0), "out": (0, n)}

    return KernelProblem(
        id="cuda-conv1d",
        title="1-D convolution",
        statement="""
`out[i] = sum(x[i + j] * w[j] for j in range(k) if i + j < n)` (a correlation, zero past the
end of `x`). Reading `x[i + j]` from global memory reads each element k times; the budget
allows each block to read its 8 elements plus the k - 1 after them once, into shared memory,
and `w` once per block.
""",
        signature=_header("TPB = 8\nMAX_K = 4") + "@cuda.jit\ndef conv1d_kernel(x, w, out):\n"
        "    tile = cuda.shared.array(TPB + MAX_K - 1, float32)\n"
        "    weights = cuda.shared.array(MAX_K, float32)\n    # ...\n",
        kernels=("conv1d_kernel",),
        inputs=("x", "w"),
        outputs=("out",),
        sizes=_CONV_SIZES,
        make=make,
        launches=lambda s: [
            _launch("conv1d_kernel", (_ceil(s[0], tpb),), (tpb,), ("x", "w", "out"))
        ],
        reference=lambda a: {"out": terms(a, False)},
        bound=lambda a, e: {"out": _sum_bound(terms(a, True), len(a["w"]), np.float32)},
        budget=budget,
        budget_text="x: at most n + (k - 1) reads per block; w: k reads per block; out written once",
        launch_text="`conv1d_kernel[ceil(n / 8), 8](x, w, out)`.",
        dtypes_text="x, w and out float32.",
        sizes_text="1 <= n <= 24, 1 <= k <= 4; the judge runs (n, k) = " + str(_CONV_SIZES),
    )


# ---------------------------------------------------------------------------------------------
# 10-11: scans.

_SCAN_TPB = 8
_SCAN_SIZES = (1, 2, 3, 7, 8, 9, 13, 24, 64)


def _scan_bound_blocks(x, tpb):
    return scan_bound(_blocks(x, tpb, 0.0), "add", np.float32).reshape(-1)[: len(x)]


def _block_scan_problem():
    tpb = _SCAN_TPB

    def make(n, rng):
        return {"x": _small_ints(rng, n), "out": _poisoned(n, np.float32)}

    return KernelProblem(
        id="cuda-block-scan",
        title="Prefix sum within a block",
        statement="""
Each block of 8 threads writes the inclusive prefix sums of its own 8 elements:
`out[i] = x[8b] + ... + x[i]` for `i` in block `b`. Load the block into shared memory and run
the Hillis-Steele scan: at step `d = 1, 2, 4`, thread `t >= d` adds the value `d` places back.
Read before anyone writes: a barrier between the reads and the writes of a step, and another
before the next step.
""",
        signature=_header("TPB = 8") + "@cuda.jit\ndef block_scan_kernel(x, out):\n"
        "    s = cuda.shared.array(TPB, float32)\n    # ...\n",
        kernels=("block_scan_kernel",),
        inputs=("x",),
        outputs=("out",),
        sizes=_SCAN_SIZES,
        make=make,
        launches=lambda n: [_launch("block_scan_kernel", (_ceil(n, tpb),), (tpb,), ("x", "out"))],
        reference=lambda a: {
            "out": np.cumsum(_blocks(a["x"], tpb, 0.0), axis=1).reshape(-1)[: len(a["x"])]
        },
        bound=lambda a, e: {"out": _scan_bound_blocks(a["x"], tpb)},
        budget=lambda n, a: {"x": (n, 0), "out": (0, n)},
        budget_text="each element of x read once, each element of out written once",
        launch_text="`block_scan_kernel[ceil(n / 8), 8](x, out)`.",
        dtypes_text="x and out float32.",
        sizes_text="1 <= n <= 64; the judge runs n = " + ", ".join(map(str, _SCAN_SIZES)),
    )


def _scan_problem():
    tpb = _SCAN_TPB

    def make(n, rng):
        return {
            "x": _small_ints(rng, n),
            "out": _poisoned(n, np.float32),
            "sums": _poisoned(_ceil(n, tpb), np.float32),
        }

    def launches(n):
        grid = (_ceil(n, tpb),)
        return [
            _launch("scan_blocks_kernel", grid, (tpb,), ("x", "out", "sums")),
            _launch("add_offsets_kernel", grid, (tpb,), ("out", "sums")),
        ]

    def budget(n, a):
        blocks = _ceil(n, tpb)
        return {"x": (n, 0), "out": (n, 2 * n), "sums": (n * blocks, blocks)}

    return KernelProblem(
        id="cuda-scan",
        title="Prefix sum across blocks",
        statement="""
The inclusive prefix sum of the whole array, in two launches. `scan_blocks_kernel(x, out,
sums)` scans each block of 8 as in cuda-block-scan and writes the block's total to `sums[b]`;
then `add_offsets_kernel(out, sums)` adds to every element of block `b` the totals of the
blocks before it, `sums[0] + ... + sums[b - 1]` (at most 8 blocks, so each block may add them
up itself).
""",
        signature=_header("TPB = 8") + "@cuda.jit\ndef scan_blocks_kernel(x, out, sums):\n"
        "    s = cuda.shared.array(TPB, float32)\n    # ...\n\n\n"
        "@cuda.jit\ndef add_offsets_kernel(out, sums):\n    # ...\n    pass\n",
        kernels=("scan_blocks_kernel", "add_offsets_kernel"),
        inputs=("x",),
        outputs=("out",),
        sizes=_SCAN_SIZES,
        make=make,
        launches=launches,
        reference=lambda a: {"out": np.cumsum(a["x"].astype(np.float64))},
        bound=lambda a, e: {"out": scan_bound(a["x"], "add", np.float32)},
        budget=budget,
        budget_text=(
            "x read once; out written at most twice and read at most once per element; "
            "sums written once per block and read at most once per block by each element"
        ),
        launch_text=(
            "`scan_blocks_kernel[ceil(n / 8), 8](x, out, sums)` then "
            "`add_offsets_kernel[ceil(n / 8), 8](out, sums)`."
        ),
        dtypes_text="x, out and sums float32.",
        sizes_text="1 <= n <= 64; the judge runs n = " + ", ".join(map(str, _SCAN_SIZES)),
    )


# ---------------------------------------------------------------------------------------------
# 12-13: softmax of rows.

_SOFTMAX_TPB = 8
_SOFTMAX_SIZES = ((1, 1), (1, 2), (1, 3), (2, 3), (1, 7), (1, 8), (1, 9), (2, 13), (2, 20))


def _softmax_make(size, rng):
    rows = size[0]
    # Rows shifted by 1000 overflow exp (in float32 and float64, so in the simulator too)
    # unless the maximum is subtracted first.
    x = rng.normal(0, 3, size).astype(np.float32) + rng.choice([0, 1000], size=(rows, 1))
    return {"x": x.astype(np.float32), "out": _poisoned(size, np.float32)}


def _softmax_reference(a):
    from kernels.reference import softmax

    return {"out": softmax(a["x"].astype(np.float64), axis=-1)}


def _softmax_problem(online):
    tpb = _SOFTMAX_TPB
    name = "online_softmax_kernel" if online else "softmax_kernel"
    passes = 2 if online else 3
    if online:
        statement = """
The softmax of each row, `out[r] = exp(x[r] - max(x[r])) / sum(exp(x[r] - max(x[r])))`, with
`x` read only twice: once for the maximum and the normaliser together, once to write the
answer. Each thread keeps a running maximum `m` and a running sum `s` of `exp(x - m)` over
its elements (`j = t, t + 8, ...`); when the maximum grows from `m` to `m'`, `s` is rescaled
by `exp(m - m')`. The block then combines the 8 pairs `(m, s)` in shared memory the same way,
and every thread writes its elements. A three-pass kernel (maximum, sum, normalise) reads `x`
three times and exceeds the budget.
"""
    else:
        statement = """
The softmax of each row, `out[r] = exp(x[r] - max(x[r])) / sum(exp(x[r] - max(x[r])))`. One
block of 8 threads per row; each thread handles elements `j = t, t + 8, ...` of the row.
Three passes: the row's maximum (a block reduction in shared memory), the sum of
`exp(x - max)` (another), then every thread writes its elements. Subtract the maximum: some
rows are shifted by 1000, and `exp(1000)` overflows.
"""
    return KernelProblem(
        id="cuda-online-softmax" if online else "cuda-softmax",
        title="Online softmax of a row, one pass for max and sum" if online else "Softmax of a row",
        statement=statement,
        signature=_header("TPB = 8", math=True)
        + f"@cuda.jit\ndef {name}(x, out):\n    row = cuda.blockIdx.x\n    t = cuda.threadIdx.x\n"
        "    # ...\n",
        kernels=(name,),
        inputs=("x",),
        outputs=("out",),
        sizes=_SOFTMAX_SIZES,
        make=_softmax_make,
        launches=lambda s: [_launch(name, (s[0],), (tpb,), ("x", "out"))],
        reference=_softmax_reference,
        bound=lambda a, e: {"out": softmax_bound(a["x"], np.float32, axis=-1)},
        budget=lambda s, a: {"x": (passes * a["x"].size, 0), "out": (0, a["out"].size)},
        budget_text=(
            f"each element of x read at most {'twice' if online else 'three times'}; out "
            "written once and never read"
        ),
        launch_text=f"`{name}[rows, 8](x, out)`: one block per row.",
        dtypes_text="x and out float32, shape (rows, n).",
        sizes_text="1 <= rows <= 2, 1 <= n <= 20; the judge runs (rows, n) = "
        + str(_SOFTMAX_SIZES),
    )


# ---------------------------------------------------------------------------------------------
# 14: tiled matrix multiply.

_MATMUL_SIZES = (
    (1, 1, 1),
    (2, 3, 2),
    (3, 2, 3),
    (3, 5, 4),
    (4, 4, 4),
    (5, 4, 5),
    (4, 9, 7),
    (7, 6, 9),
    (9, 9, 9),
)


def _matmul_problem():
    tile = 4

    def make(size, rng):
        n, k, m = size
        return {
            "a": _small_ints(rng, (n, k)),
            "b": _small_ints(rng, (k, m)),
            "c": _poisoned((n, m), np.float32),
        }

    def launches(size):
        n, _, m = size
        return [_launch("matmul_kernel", (_ceil(n, tile), _ceil(m, tile)), (tile, tile), "abc")]

    def budget(size, a):
        n, k, m = size
        return {
            "a": (n * k * _ceil(m, tile), 0),
            "b": (k * m * _ceil(n, tile), 0),
            "c": (0, n * m),
        }

    def bound(a, e):
        mass = np.abs(a["a"].astype(np.float64)) @ np.abs(a["b"].astype(np.float64))
        return {"c": _sum_bound(mass, a["a"].shape[1], np.float32)}

    return KernelProblem(
        id="cuda-matmul",
        title="Tiled matrix multiply in shared memory",
        statement="""
`c = a @ b`, `a` of shape (n, k), `b` of shape (k, m). Each 4 x 4 block computes a 4 x 4 tile
of `c`: for each of the `ceil(k / 4)` steps it loads a 4 x 4 tile of `a` and one of `b` into
shared memory (0 past the edges), waits, accumulates the 4 products, and waits again before
the next load. Reading `a[i, p]` and `b[p, j]` straight from global memory in the inner loop
reads every element of `a` m times; the budget allows `ceil(m / 4)`.
""",
        signature=_header("TILE = 4") + "@cuda.jit\ndef matmul_kernel(a, b, c):\n"
        "    sa = cuda.shared.array((TILE, TILE), float32)\n"
        "    sb = cuda.shared.array((TILE, TILE), float32)\n"
        "    i, j = cuda.grid(2)\n    # ...\n",
        kernels=("matmul_kernel",),
        inputs=("a", "b"),
        outputs=("c",),
        sizes=_MATMUL_SIZES,
        make=make,
        launches=launches,
        reference=lambda a: {"c": a["a"].astype(np.float64) @ a["b"].astype(np.float64)},
        bound=bound,
        budget=budget,
        budget_text="each element of a read ceil(m / 4) times, of b ceil(n / 4) times; c written once",
        launch_text="`matmul_kernel[(ceil(n / 4), ceil(m / 4)), (4, 4)](a, b, c)`.",
        dtypes_text="a, b and c float32.",
        sizes_text="1 <= n, k, m <= 9; the judge runs (n, k, m) = " + str(_MATMUL_SIZES),
    )


# ---------------------------------------------------------------------------------------------
# 15: attention tile.

_ATTENTION_D = 4
_ATTENTION_SIZES = ((1, 1), (2, 3), (3, 2), (3, 4), (4, 5), (5, 4), (8, 7), (9, 9))


def _attention_problem():
    d = _ATTENTION_D
    rows = 4

    def make(size, rng):
        lq, lk = size
        return {
            "q": rng.normal(0, 1, (lq, d)).astype(np.float32),
            "k": rng.normal(0, 1, (lk, d)).astype(np.float32),
            "v": rng.normal(0, 1, (lk, d)).astype(np.float32),
            "out": _poisoned((lq, d), np.float32),
        }

    def reference(a):
        from kernels.reference import attention

        q, k, v = (a[n].astype(np.float64) for n in "qkv")
        return {"out": attention(q, k, v)}

    def budget(size, a):
        lq, lk = size
        blocks = _ceil(lq, rows)
        return {
            "q": (lq * d, 0),
            "k": (blocks * lk * d, 0),
            "v": (blocks * lk * d, 0),
            "out": (0, lq * d),
        }

    return KernelProblem(
        id="cuda-attention-tile",
        title="An attention tile with online rescaling",
        statement="""
`out = softmax(q @ k.T / sqrt(4)) @ v` for `q` (Lq, 4), `k` and `v` (Lk, 4). Each block of 4
threads owns 4 query rows (thread t, row 4b + t). The keys go by in tiles of 4: the block loads
a tile of `k` and of `v` into shared memory (each thread one key row), waits, and each thread
updates its running maximum `m`, normaliser `l` and accumulator `acc` (a local array of 4):
with scores `s_j` of the tile and `m' = max(m, s_j)`, `acc = acc * exp(m - m') + sum_j
exp(s_j - m') v_j`, likewise `l`; a barrier before the next tile is loaded. At the end
`out = acc / l`. The Lq x Lk matrix of scores is never stored, and `k` and `v` are read once
per block.
""",
        signature=_header("D = 4\nTILE = 4", math=True)
        + "@cuda.jit\ndef attention_kernel(q, k, v, out):\n"
        "    sk = cuda.shared.array((TILE, D), float32)\n"
        "    sv = cuda.shared.array((TILE, D), float32)\n"
        "    acc = cuda.local.array(D, float32)\n    # ...\n",
        kernels=("attention_kernel",),
        inputs=("q", "k", "v"),
        outputs=("out",),
        sizes=_ATTENTION_SIZES,
        make=make,
        launches=lambda s: [
            _launch("attention_kernel", (_ceil(s[0], rows),), (rows,), ("q", "k", "v", "out"))
        ],
        reference=reference,
        bound=lambda a, e: {"out": attention_bound(a["q"], a["k"], a["v"], np.float32)},
        budget=budget,
        budget_text="q read once, k and v once per block, out written once",
        launch_text="`attention_kernel[ceil(Lq / 4), 4](q, k, v, out)`.",
        dtypes_text="q, k, v and out float32; D = 4.",
        sizes_text="1 <= Lq, Lk <= 9; the judge runs (Lq, Lk) = " + str(_ATTENTION_SIZES),
    )


# ---------------------------------------------------------------------------------------------
# 16: linear recurrence.

_RECURRENCE_TPB = 16
_RECURRENCE_SIZES = ((1, 1), (1, 2), (2, 3), (1, 9), (1, 15), (2, 16), (3, 16))


def _recurrence_problem():
    tpb = _RECURRENCE_TPB

    def make(size, rng):
        return {
            "a": rng.uniform(-1, 1, size).astype(np.float32),
            "b": rng.uniform(-1, 1, size).astype(np.float32),
            "h": _poisoned(size, np.float32),
        }

    def reference(a):
        from kernels.reference import linear_recurrence

        return {"h": linear_recurrence(a["a"].astype(np.float64), a["b"].astype(np.float64))}

    return KernelProblem(
        id="cuda-linear-recurrence",
        title="Linear recurrence as a scan",
        statement="""
`h[r, t] = a[r, t] * h[r, t - 1] + b[r, t]`, with `h[r, -1] = 0`: the scan behind state-space
models. One block of 16 threads per row, thread t owns step t. The pairs `(a, b)` compose
associatively, `(a1, b1)` then `(a2, b2)` is `(a1 * a2, a2 * b1 + b2)`, so a Hillis-Steele
scan of pairs in shared memory (barriers between the reads and the writes of each step) gives
every `h[r, t]` in log2(16) steps.
""",
        signature=_header("TPB = 16") + "@cuda.jit\ndef recurrence_kernel(a, b, h):\n"
        "    sa = cuda.shared.array(TPB, float32)\n"
        "    sb = cuda.shared.array(TPB, float32)\n    # ...\n",
        kernels=("recurrence_kernel",),
        inputs=("a", "b"),
        outputs=("h",),
        sizes=_RECURRENCE_SIZES,
        make=make,
        launches=lambda s: [_launch("recurrence_kernel", (s[0],), (tpb,), ("a", "b", "h"))],
        reference=reference,
        bound=lambda a, e: {"h": recurrence_bound(a["a"], a["b"], None, np.float32)},
        budget=lambda s, a: {"a": (a["a"].size, 0), "b": (a["b"].size, 0), "h": (0, a["h"].size)},
        budget_text="each element of a and b read once, each element of h written once",
        launch_text="`recurrence_kernel[rows, 16](a, b, h)`: one block per row.",
        dtypes_text="a, b and h float32, shape (rows, n).",
        sizes_text=(
            "1 <= rows <= 3, 1 <= n <= 16 (a row is at most one block); the judge runs "
            "(rows, n) = " + str(_RECURRENCE_SIZES)
        ),
    )


# ---------------------------------------------------------------------------------------------
# 17-19: the kernels of the seeds (rotary embeddings, the selective scan, causal linear
# attention).

_ROPE_SHAPES = ((1, 2), (2, 2), (3, 2), (3, 4), (4, 6), (5, 8), (7, 10), (9, 16))


def _even(shape):
    """``(L, D)`` with ``D`` even (at least 2): a drawn odd ``D`` is rounded down."""
    return shape[0], max(2, shape[1] // 2 * 2)


def _rope_problem():
    def make(shape, rng):
        length, d = shape = _even(shape)
        return {
            "x": _small_ints(rng, shape),
            "positions": rng.integers(0, 50, size=length).astype(np.float32),
            "inv_freq": (10000.0 ** (-2.0 * np.arange(d // 2) / d)).astype(np.float32),
            "out": _poisoned(shape, np.float32),
        }

    def launches(shape):
        shape = _even(shape)
        grid = (_ceil(shape[0], 4), _ceil(shape[1] // 2, 4))
        return [_launch("rope_kernel", grid, (4, 4), ("x", "positions", "inv_freq", "out"))]

    def reference(a):
        x = a["x"].astype(np.float64)
        angle = a["positions"].astype(np.float64)[:, None] * a["inv_freq"].astype(np.float64)
        first, second = x[:, 0::2], x[:, 1::2]
        out = np.empty_like(x)
        out[:, 0::2] = first * np.cos(angle) - second * np.sin(angle)
        out[:, 1::2] = first * np.sin(angle) + second * np.cos(angle)
        return {"out": out}

    def bound(a, e):
        # The float32 angle is off by u |angle| (an absolute error of the rotation); cos, sin,
        # two products and a sum add a few roundings of |a| + |b|.
        angle = np.abs(a["positions"].astype(np.float64)[:, None] * a["inv_freq"])
        pair = np.abs(a["x"][:, 0::2]).astype(np.float64) + np.abs(a["x"][:, 1::2])
        per_pair = SAFETY * unit_roundoff(np.float32) * (angle + 4) * pair
        return {"out": np.repeat(per_pair, 2, axis=1) + SAFETY * float(np.finfo(np.float32).tiny)}

    def budget(shape, a):
        pairs = a["x"].size // 2
        return {
            "x": (a["x"].size, 0),
            "positions": (pairs, 0),
            "inv_freq": (pairs, 0),
            "out": (0, a["out"].size),
        }

    return KernelProblem(
        id="cuda-rope",
        title="Rotary position embeddings",
        statement="""
Rotate every feature pair of every row: row `l` of `x` (shape `(L, D)`, `D` even) is the token at
position `positions[l]`, and its pair `i`, `(x[l, 2i], x[l, 2i+1])`, turns by the angle
`positions[l] * inv_freq[i]`:

    out[l, 2i]   = x[l, 2i] * cos(angle) - x[l, 2i+1] * sin(angle)
    out[l, 2i+1] = x[l, 2i] * sin(angle) + x[l, 2i+1] * cos(angle)

Thread `(l, i) = cuda.grid(2)` owns pair `i` of row `l`; the blocks cover the `L x D/2` pairs in
4 x 4 tiles. A memory-bound kernel: every element of `x` is read once and written once.
""",
        signature=_header("", math=True)
        .replace("from numba import cuda, float32", "from numba import cuda")
        .rstrip()
        + "\n\n\n@cuda.jit\ndef rope_kernel(x, positions, inv_freq, out):\n"
        "    l, i = cuda.grid(2)\n    # ...\n",
        kernels=("rope_kernel",),
        inputs=("x", "positions", "inv_freq"),
        outputs=("out",),
        sizes=_ROPE_SHAPES,
        make=make,
        launches=launches,
        reference=reference,
        bound=bound,
        budget=budget,
        budget_text=(
            "each element of x read once; positions[l] and inv_freq[i] once per pair; each "
            "element of out written once"
        ),
        launch_text="`rope_kernel[(ceil(L / 4), ceil(D / 2 / 4)), (4, 4)](x, positions, inv_freq, out)`.",
        dtypes_text="x, positions, inv_freq and out float32; x and out of shape (L, D), D even.",
        sizes_text="1 <= L <= 9, 2 <= D <= 16; the judge runs (L, D) = " + str(_ROPE_SHAPES),
    )


_S6_SIZES = ((1, 1, 1), (2, 1, 3), (3, 2, 4), (4, 3, 4), (5, 4, 6), (9, 4, 8))
_S6_STATES = 4


def _selective_scan_problem():
    def make(size, rng):
        dim, n, length = size
        return {
            "u": _small_ints(rng, (dim, length), low=-3, high=3),
            "delta": (rng.integers(0, 9, size=(dim, length)) / 4).astype(np.float32),
            "A": -(rng.integers(0, 9, size=(dim, n)) / 4).astype(np.float32),
            "B": _small_ints(rng, (n, length), low=-3, high=3),
            "C": _small_ints(rng, (n, length), low=-3, high=3),
            "D": _small_ints(rng, dim, low=-3, high=3),
            "y": _poisoned((dim, length), np.float32),
        }

    def reference(a):
        from kernels.reference import selective_scan

        args = [a[k].astype(np.float64) for k in ("u", "delta", "A", "B", "C", "D")]
        u, delta, A, B, C, D = args
        return {"y": selective_scan(u[None], delta[None], A, B[None], C[None], D)[0]}

    def bound(a, e):
        from kernels.tolerances import selective_scan_bound

        u, delta, A, B, C, D = (a[k] for k in ("u", "delta", "A", "B", "C", "D"))
        return {
            "y": selective_scan_bound(u[None], delta[None], A, B[None], C[None], D, np.float32)[0]
        }

    def budget(size, a):
        dim, n, length = size
        return {
            "u": (dim * length, 0),
            "delta": (dim * length, 0),
            "A": (dim * n, 0),
            "B": (dim * n * length, 0),
            "C": (dim * n * length, 0),
            "D": (dim, 0),
            "y": (0, dim * length),
        }

    return KernelProblem(
        id="cuda-selective-scan",
        title="Selective scan (the S6 recurrence of Mamba)",
        statement=f"""
Every channel `d` of `u` and `delta` (shape `(dim, L)`) carries a state `h` of `N` numbers, zero
before the first step; at step `t`

    h[n] = exp(delta[d, t] * A[d, n]) * h[n] + delta[d, t] * B[n, t] * u[d, t]   (each n)
    y[d, t] = sum_n C[n, t] * h[n] + D[d] * u[d, t]

Thread `d = cuda.grid(1)` owns channel `d` and walks its `L` steps in order, the state in a
local array of `N_MAX = {_S6_STATES}` numbers (`N <= N_MAX`). Read `A[d, :]` once, not once per
step: the budget counts every global read.
""",
        signature=(
            "import math\n\nfrom numba import cuda, float32\n\n"
            f"N_MAX = {_S6_STATES}\n\n\n@cuda.jit\ndef selective_scan_kernel(u, delta, A, B, C, D, y):\n"
            "    d = cuda.grid(1)\n    # h = cuda.local.array(N_MAX, float32) ...\n"
        ),
        kernels=("selective_scan_kernel",),
        inputs=("u", "delta", "A", "B", "C", "D"),
        outputs=("y",),
        sizes=_S6_SIZES,
        make=make,
        launches=lambda s: [
            _launch(
                "selective_scan_kernel",
                (_ceil(s[0], 4),),
                (4,),
                ("u", "delta", "A", "B", "C", "D", "y"),
            )
        ],
        reference=reference,
        bound=bound,
        budget=budget,
        budget_text=(
            "u, delta, A and D read once per element; B and C once per element and channel; "
            "each element of y written once"
        ),
        launch_text="`selective_scan_kernel[ceil(dim / 4), 4](u, delta, A, B, C, D, y)`.",
        dtypes_text="every array float32; 0 <= delta, A <= 0.",
        sizes_text="(dim, N, L) with dim <= 9, N <= 4, L <= 8; the judge runs " + str(_S6_SIZES),
    )


_LINEAR_ATTENTION_TILE = 4
_LINEAR_ATTENTION_D_MAX = 8
_LINEAR_ATTENTION_SIZES = (
    (1, 1, 1),
    (2, 1, 2),
    (2, 2, 3),
    (3, 3, 2),
    (3, 4, 4),
    (4, 5, 3),
    (5, 3, 5),
    (7, 6, 9),
    (9, 8, 9),
)


def _linear_attention_problem():
    tile = _LINEAR_ATTENTION_TILE
    d_max = _LINEAR_ATTENTION_D_MAX

    def make(size, rng):
        n, d, dv = size
        return {
            "q": rng.normal(0, 1, (n, d)).astype(np.float32),
            "k": rng.normal(0, 1, (n, d)).astype(np.float32),
            "v": rng.normal(0, 1, (n, dv)).astype(np.float32),
            "out": _poisoned((n, dv), np.float32),
        }

    def reference(a):
        from kernels.reference import linear_attention

        q, k, v = (a[n].astype(np.float64) for n in "qkv")
        return {"out": linear_attention(q, k, v, causal=True)}

    def bound(a, e):
        from kernels.tolerances import linear_attention_bound

        return {"out": linear_attention_bound(a["q"], a["k"], a["v"], np.float32)}

    def budget(size, a):
        n, d, dv = size
        blocks = _ceil(dv, tile)
        return {
            "q": (blocks * n * d, 0),
            "k": (blocks * n * d, 0),
            "v": (n * dv, 0),
            "out": (0, n * dv),
        }

    return KernelProblem(
        id="cuda-linear-attention",
        title="Causal linear attention with a running state",
        statement=f"""
Causal linear attention for one head, `q` and `k` of shape (N, D), `v` of shape (N, Dv), with
the feature map `phi(x) = elu(x) + 1` (`x + 1` for `x > 0`, `exp(x)` otherwise: always positive).
Row `i` sees the keys `j <= i` through a running state, a sum over the keys so far:

    S_i = S_(i-1) + outer(phi(k[i]), v[i])     (D x Dv)
    z_i = z_(i-1) + phi(k[i])                  (D)
    out[i] = (phi(q[i]) @ S_i) / (phi(q[i]) . z_i)

which is softmax attention with `exp(q . k)` replaced by `phi(q) . phi(k)`, in O(N D Dv) and
never an N x N matrix. Block `b` owns the output columns `{tile}b .. {tile}b + {tile - 1}`
(thread `t`, column `c = {tile}b + t`) and walks the sequence in order, with its {tile} columns
of `S` and all of `z` in shared memory (`D <= D_MAX = {d_max}`). At each step the threads share
the loads of `phi(q[i])` and `phi(k[i])` into shared memory (thread `t` takes
`d = t, t + {tile}, ...`) and add their share of `phi(k[i])` to `z`; a barrier; each thread adds
`phi(k[i]) v[i, c]` to its column of `S` and writes `out[i, c]`; a barrier again before the
next step overwrites what the others may still be reading. A thread past the last column has no
column but still loads and waits. The budget reads `q` and `k` once per block, `v` once.
""",
        signature=_header(f"TILE = {tile}\nD_MAX = {d_max}", math=True)
        + "@cuda.jit\ndef linear_attention_kernel(q, k, v, out):\n"
        "    sq = cuda.shared.array(D_MAX, float32)\n"
        "    sk = cuda.shared.array(D_MAX, float32)\n"
        "    z = cuda.shared.array(D_MAX, float32)\n"
        "    S = cuda.shared.array((D_MAX, TILE), float32)\n"
        "    t = cuda.threadIdx.x\n"
        "    c = cuda.blockIdx.x * TILE + t\n    # ...\n",
        kernels=("linear_attention_kernel",),
        inputs=("q", "k", "v"),
        outputs=("out",),
        sizes=_LINEAR_ATTENTION_SIZES,
        make=make,
        launches=lambda s: [
            _launch(
                "linear_attention_kernel", (_ceil(s[2], tile),), (tile,), ("q", "k", "v", "out")
            )
        ],
        reference=reference,
        bound=bound,
        budget=budget,
        budget_text=(
            "q and k read once per block (once per element for each tile of columns), v once "
            "per element; each element of out written once"
        ),
        launch_text=(
            f"`linear_attention_kernel[ceil(Dv / {tile}), {tile}](q, k, v, out)`: one block per "
            f"tile of {tile} output columns."
        ),
        dtypes_text="q, k, v and out float32; q and k of shape (N, D), v and out of shape (N, Dv).",
        sizes_text=(
            f"1 <= N <= 9, 1 <= D <= {d_max}, 1 <= Dv <= 9; the judge runs "
            "(N, D, Dv) = " + str(_LINEAR_ATTENTION_SIZES)
        ),
    )


_BUILDERS = (
    _map_problem,
    _zip_problem,
    _guard_problem,
    _map_2d_problem,
    _broadcast_problem,
    _block_reduce_problem,
    _warp_reduce_problem,
    _dot_problem,
    _conv_problem,
    _block_scan_problem,
    _scan_problem,
    lambda: _softmax_problem(False),
    lambda: _softmax_problem(True),
    _matmul_problem,
    _attention_problem,
    _recurrence_problem,
    _rope_problem,
    _selective_scan_problem,
    _linear_attention_problem,
)


# ---------------------------------------------------------------------------------------------
# On a GPU: larger sizes, this package's kernel where it has one, and the library baseline.


def _cupy_softmax(cp, a):
    x = a["x"]
    e = cp.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _package(name, *arguments, **options):
    def run(cp, a):
        import kernels

        return getattr(kernels, name)(*(a[n] for n in arguments), **options)

    return run


_ON_GPU = {
    "cuda-map": dict(gpu_size=1024, baseline=lambda cp, a: a["x"] + 10, baseline_name="cupy"),
    "cuda-zip": dict(gpu_size=1024, baseline=lambda cp, a: a["a"] + a["b"], baseline_name="cupy"),
    "cuda-guard": dict(
        gpu_size=1 << 24, baseline=lambda cp, a: a["x"] + 10, baseline_name="cupy x + 10"
    ),
    "cuda-map-2d": dict(
        gpu_size=(4096, 4096), baseline=lambda cp, a: a["x"] + 10, baseline_name="cupy x + 10"
    ),
    "cuda-broadcast": dict(
        gpu_size=(4096, 4096),
        baseline=lambda cp, a: a["a"][:, None] + a["b"][None, :],
        baseline_name="cupy a[:, None] + b",
    ),
    "cuda-block-reduce": dict(
        gpu_size=1 << 24,
        baseline=lambda cp, a: a["x"][: a["x"].size // 8 * 8].reshape(-1, 8).sum(axis=1),
        baseline_name="cupy sum of rows of 8",
    ),
    "cuda-warp-reduce": dict(
        gpu_size=1 << 24, baseline=lambda cp, a: a["x"].sum(), baseline_name="cupy.sum"
    ),
    "cuda-dot": dict(
        gpu_size=1 << 24, baseline=lambda cp, a: cp.dot(a["a"], a["b"]), baseline_name="cupy.dot"
    ),
    "cuda-conv1d": dict(
        gpu_size=(1 << 22, 4),
        baseline=lambda cp, a: cp.correlate(a["x"], a["w"], mode="full")[a["w"].size - 1 :],
        baseline_name="cupy.correlate",
    ),
    "cuda-block-scan": dict(
        gpu_size=1 << 24,
        package=_package("scan", "x"),
        package_name="kernels.scan",
        baseline=lambda cp, a: cp.cumsum(a["x"]),
        baseline_name="cupy.cumsum",
    ),
    "cuda-scan": dict(
        gpu_size=1 << 14,  # each block adds up the totals before it: quadratic in blocks
        package=_package("scan", "x"),
        package_name="kernels.scan",
        baseline=lambda cp, a: cp.cumsum(a["x"]),
        baseline_name="cupy.cumsum",
    ),
    "cuda-softmax": dict(
        gpu_size=(4096, 1000),
        package=_package("softmax", "x"),
        package_name="kernels.softmax",
        baseline=_cupy_softmax,
        baseline_name="cupy exp(x - max) / sum",
    ),
    "cuda-online-softmax": dict(
        gpu_size=(4096, 1000),
        package=_package("softmax", "x"),
        package_name="kernels.softmax",
        baseline=_cupy_softmax,
        baseline_name="cupy exp(x - max) / sum",
    ),
    "cuda-matmul": dict(
        gpu_size=(1024, 1024, 1024),
        baseline=lambda cp, a: a["a"] @ a["b"],
        baseline_name="cupy.matmul (cuBLAS)",
    ),
    "cuda-attention-tile": dict(
        gpu_size=(4096, 4096),
        package=_package("attention", "q", "k", "v"),
        package_name="kernels.attention",
    ),
    "cuda-linear-recurrence": dict(
        gpu_size=(1 << 16, 16),
        package=_package("linear_recurrence", "a", "b"),
        package_name="kernels.linear_recurrence",
    ),
    "cuda-rope": dict(gpu_size=(4096, 128)),
    "cuda-selective-scan": dict(gpu_size=(1024, 4, 4096)),
    "cuda-linear-attention": dict(
        gpu_size=(4096, 8, 64),
        package=_package("linear_attention", "q", "k", "v", causal=True),
        package_name="kernels.linear_attention(causal=True)",
    ),
}
_LADDER = None


def ladder() -> list:
    """Every kernel problem, easiest first."""
    global _LADDER
    if _LADDER is None:
        _LADDER = [build() for build in _BUILDERS]
        _LADDER = [dataclasses.replace(p, **_ON_GPU.get(p.id, {})) for p in _LADDER]
    return list(_LADDER)


def get_kernel_problem(problem_id: str) -> KernelProblem:
    """The kernel problem with this id (``KeyError`` if there is none)."""
    for problem in ladder():
        if problem_id in problem.names:
            return problem
    raise KeyError(problem_id)
