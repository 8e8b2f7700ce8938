"""Knapsacks: the best total value of items that fit in a capacity.

Item i has weight ``weights[i]`` and value ``values[i]``. The 0/1 knapsack takes each item at most
once, the complete (unbounded) knapsack any number of times, and the bounded knapsack at most
``counts[i]`` times. With ``exact=True`` the chosen weights must add up to exactly ``capacity``, and
``None`` means no choice does.

The table. Let ``f[i][j]`` be the best value using only the first i items with total weight at
most j (exactly j when ``exact=True``). Then ``f[0][j] = 0`` and, for item i with weight w and
value v::

    0/1:       f[i][j] = max(f[i-1][j], f[i-1][j-w] + v)      (the second term only when j >= w)
    complete:  f[i][j] = max(f[i-1][j], f[i][j-w] + v)        (row i, not i-1: take i again)

and the answer is ``f[n][capacity]``. Walking the table back from ``(n, capacity)`` recovers the
items: item i was taken where the second term won.

One row is enough. Row i only reads row i-1 (0/1) or itself (complete), so keep one array ``f``
and update it in place, item by item. The direction of the walk over j is the whole difference:

- 0/1 walks j *downward*, from capacity to w: ``f[j-w]`` lies below j, so it has not been updated
  yet for item i and still holds row i-1. Walking upward would read an updated cell and take the
  item twice.
- complete walks j *upward*: ``f[j-w]`` has already been updated and holds row i, which is exactly
  what "take item i again" needs.

"At most j" versus "exactly j" is only the first row. Starting from ``f[0][j] = 0`` for every j
says "the empty choice is worth 0 whatever the capacity", so ``f[n][j]`` is the best value of weight
*at most* j. For "exactly j", only weight 0 is reachable with no items: ``f[0][0] = 0`` and
``f[0][j] = -infinity`` for j > 0. Minus infinity plus any value stays minus infinity, so an
unreachable weight never wins a max, and ``f[n][capacity] = -infinity`` reads as ``None``.

Bounded knapsack, two ways.

- Binary splitting: ``count = 1 + 2 + 4 + ... + rest`` turns c copies of an item into
  O(log c) 0/1 items (bundles of 1, 2, 4, ... copies), and every count 0..c is a sum of a subset
  of the bundles. Cost O(capacity * sum(log counts)).
- Monotonic queue: for item (w, v, c), the cells j = r, r + w, r + 2w, ... of one residue class
  r mod w only talk to each other. Writing j = r + k*w::

      f_new[r + k*w] = max over t in [k-c, k] of f_old[r + t*w] + (k-t)*v
                     = k*v + max over t in [k-c, k] of (f_old[r + t*w] - t*v)

  the inner max is a sliding-window maximum over a window of c+1 consecutive terms of the
  sequence ``g[t] = f_old[r + t*w] - t*v``, which a monotonic deque gives in O(1) amortized per
  step: the same idea as ``algos.sliding_window.sliding_window_max`` (a decreasing deque of
  candidates; drop from the back what can never be the maximum again, from the front what has
  left the window). Cost O(n * capacity), whatever the counts.

Values and weights. Weights, counts and capacity are non-negative integers. Values are
non-negative integers too: a negative value would never be taken unless ``exact=True`` forced it,
and ruling it out keeps "minus infinity" representable in a narrow integer type below (every
reachable total is >= 0, every unreachable one < 0). On the pure-Python path values may be
Python ints of any size. An item of weight 0 and positive value in the complete knapsack could be
taken forever: ``ValueError``.

Fast path. Instances of at least 2**14 table cells whose totals fit int64 run through numba
kernels, lists and numpy arrays alike (smaller ones take about a millisecond in pure Python, less
than a first call costs to load a compiled kernel); the answer is the same exact int either way.
The kernels work on one row, with two tricks:

1. A plain in-place loop ``f[j] = max(f[j], f[j-w] + v)`` does not vectorise: the compiler cannot
   prove that the cell read (j-w) is not one written a moment ago (about 1 ns per cell). Staging
   blocks of the shifted row in a small buffer -- copy ``f[j-w]`` for a block of j, then take the
   elementwise max into ``f[j]`` -- removes the dependence, and LLVM emits SIMD max. 0/1 walks the
   blocks downward (no block reads a cell already updated for this item); complete walks them
   upward with blocks no longer than w (each block reads only cells updated before it).
   Two details matter for that: the loops index views that start at 0 (numba checks every
   index for negative wrap-around otherwise, which blocks vectorising), and the sum is stored in
   the table's type before the max (numba adds small integers in int64).
2. A SIMD register holds twice as many int32 as int64 lanes, and AVX2 has no 64-bit integer max
   at all, so the table uses the narrowest integer type that provably holds every total: the sum
   over usable items of value * (most copies that fit) bounds every entry. Up to 2**15 - 1 the
   table is int16, up to 2**31 - 1 int32, up to 2**63 - 1 int64, beyond that the pure-Python
   path with exact Python ints. In "exactly full"
   mode minus infinity is the type's minimum; it only ever has values added to it, and the same
   bound keeps it below zero.

Measured (benchmarks/bench_knapsack.py; 1000 items, capacity 10**5, 2 shared cores with
AVX-512, so also 64-bit SIMD max): 0/1 about 0.11-0.17 ns per cell on an int32 table and
0.15-0.33 on int64, complete 0.08-0.2 (int32). numpy's per-item
``f[w:] = np.maximum(f[w:], f[:-w] + v)`` takes 5-6 ns per cell here (two fresh temporaries per
item) and 0.22 ns once written with ``out=`` buffers: about 2x (1.7-2.3x) the staged kernel's
time. The kernels are serial: each item's pass needs the previous one, and one pass (about 10 us)
is too short to pay for splitting it across threads.

Cost: O(n * capacity) time for 0/1 and complete, O(capacity) memory for the values, and for the
item-recovering forms an n x (capacity + 1) table (one byte per cell on the compiled path). Results are always exact Python ints.

>>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5)
8
>>> knapsack_complete([1, 2, 3, 4], [2, 4, 4, 5], 5)
10
>>> knapsack_bounded([1, 2, 3, 4], [2, 4, 4, 5], [2, 1, 1, 1], 5)
8
>>> knapsack_01([2, 4], [3, 5], 5, exact=True) is None
True
"""

from collections import deque

import numba
import numpy as np

from algos._validate import check_int, check_int_list, is_array

__all__ = [
    "knapsack_01",
    "knapsack_01_items",
    "knapsack_bounded",
    "knapsack_complete",
    "knapsack_complete_items",
]

_IMPOSSIBLE = float("-inf")  # "minus infinity" of the pure-Python tables; exact against any int
_NUMBA_MIN_CELLS = 1 << 14  # below this many table cells, compiled code does not pay for the call
_INT16_MAX = 2**15 - 1
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1


# --- readable solution: the 2-D table -------------------------------------------------------------


def _table_01(weights, values, capacity, exact):
    """The table f[i][j] of the 0/1 knapsack, rows 0..n."""
    f = [[0] + [_IMPOSSIBLE if exact else 0] * capacity]
    for w, v in zip(weights, values):
        prev = f[-1]
        row = list(prev)  # not taking item i
        for j in range(w, capacity + 1):
            if prev[j - w] + v > row[j]:
                row[j] = prev[j - w] + v
        f.append(row)
    return f


def _table_complete(weights, values, capacity, exact):
    """The table f[i][j] of the complete knapsack, rows 0..n."""
    f = [[0] + [_IMPOSSIBLE if exact else 0] * capacity]
    for w, v in zip(weights, values):
        row = list(f[-1])
        if w > 0:  # a weight-0 item here has value 0 (checked) and changes nothing
            for j in range(w, capacity + 1):
                if row[j - w] + v > row[j]:  # row, not f[-1]: item i may be taken again
                    row[j] = row[j - w] + v
        f.append(row)
    return f


def _walk_back_01(f, weights, capacity):
    """Indices of the items taken on the way from f[n][capacity] back to row 0."""
    taken, j = [], capacity
    for i in range(len(weights), 0, -1):
        if f[i][j] != f[i - 1][j]:  # the second term won (ties count as "not taken")
            taken.append(i - 1)
            j -= weights[i - 1]
    return taken[::-1]


def _walk_back_complete(f, weights, capacity):
    """Copies of each item taken on the way from f[n][capacity] back to row 0."""
    counts, j, i = [0] * len(weights), capacity, len(weights)
    while i > 0:
        if f[i][j] != f[i - 1][j]:  # f[i][j-w] + v won: one more copy, stay on row i
            counts[i - 1] += 1
            j -= weights[i - 1]
        else:
            i -= 1
    return counts


# --- the one-row forms (pure Python) ---------------------------------------------------------------


def _row_01(items, capacity, exact):
    f = [0] + [_IMPOSSIBLE if exact else 0] * capacity
    for w, v in items:
        for j in range(capacity, w - 1, -1):  # downward: f[j-w] still holds row i-1
            if f[j - w] + v > f[j]:
                f[j] = f[j - w] + v
    return f


def _row_complete(items, capacity, exact):
    f = [0] + [_IMPOSSIBLE if exact else 0] * capacity
    for w, v in items:
        for j in range(w, capacity + 1):  # upward: f[j-w] already holds row i
            if f[j - w] + v > f[j]:
                f[j] = f[j - w] + v
    return f


def _row_bounded_queue(items, capacity, exact):
    """Bounded knapsack by sliding-window maxima, one residue class mod w at a time."""
    f = [0] + [_IMPOSSIBLE if exact else 0] * capacity
    for w, v, c in items:
        for r in range(min(w, capacity + 1)):
            window = deque()  # (t, g[t]) with g decreasing from front to back
            for k, j in enumerate(range(r, capacity + 1, w)):
                g = f[j] - k * v  # f[j] is still row i-1 here: class cells are read before written
                while window and window[-1][1] <= g:
                    window.pop()  # dominated: older and no larger, it can never be the max again
                window.append((k, g))
                if window[0][0] < k - c:
                    window.popleft()  # more than c copies away
                f[j] = window[0][1] + k * v
    return f


# --- public functions -----------------------------------------------------------------------------


def knapsack_01(weights, values, capacity, *, exact=False):
    """Best total value taking each item at most once; ``None`` if ``exact`` and impossible.

    >>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5)
    8
    >>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5, exact=True)
    8
    >>> knapsack_01([], [], 0)
    0
    """
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    items = [(w, v) for w, v in zip(weights, values) if w <= capacity]
    dtype = _table_dtype(sum(v for _, v in items))
    if dtype is not None and len(items) * (capacity + 1) >= _NUMBA_MIN_CELLS:
        ws, vs = _item_arrays(items, dtype)
        f = _first_row(capacity, exact, dtype)
        _kernel_01(ws, vs, capacity, f)
        return _answer(f[capacity])
    return _answer(_row_01(items, capacity, exact)[capacity])


def knapsack_complete(weights, values, capacity, *, exact=False):
    """Best total value taking each item any number of times; ``None`` if ``exact`` and impossible.

    >>> knapsack_complete([1, 2, 3, 4], [2, 4, 4, 5], 5)
    10
    >>> knapsack_complete([4, 6], [1, 1], 9, exact=True) is None
    True
    >>> knapsack_complete([0], [1], 5)
    Traceback (most recent call last):
    ...
    ValueError: item 0 has weight 0 and value 1: the complete knapsack would take it forever
    """
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    _check_no_free_value(weights, values)
    items = [(w, v) for w, v in zip(weights, values) if 0 < w <= capacity]
    dtype = _table_dtype(sum(v * (capacity // w) for w, v in items))
    if dtype is not None and len(items) * (capacity + 1) >= _NUMBA_MIN_CELLS:
        ws, vs = _item_arrays(items, dtype)
        f = _first_row(capacity, exact, dtype)
        _kernel_complete(ws, vs, capacity, f)
        return _answer(f[capacity])
    return _answer(_row_complete(items, capacity, exact)[capacity])


def knapsack_bounded(weights, values, counts, capacity, *, exact=False, method="binary"):
    """Best total value taking item i at most ``counts[i]`` times; ``None`` if ``exact`` and impossible.

    ``method`` is ``"binary"`` (binary splitting into 0/1 bundles; fastest on the compiled path,
    which vectorises) or ``"queue"`` (sliding-window maxima per residue class; O(n * capacity)
    whatever the counts). Both give the same answer.

    >>> knapsack_bounded([1, 2, 3, 4], [2, 4, 4, 5], [5, 0, 0, 0], 5)
    10
    >>> knapsack_bounded([1, 2, 3, 4], [2, 4, 4, 5], [5, 0, 0, 0], 5, method="queue")
    10
    >>> knapsack_bounded([3], [1], [2], 5, exact=True) is None
    True
    """
    weights, values, counts, capacity, exact = _check(weights, values, counts, capacity, exact)
    if method not in ("binary", "queue"):
        raise ValueError(f"method must be 'binary' or 'queue', got {method!r}")
    # Weight-0 copies fit whatever else is taken: take them all and leave them out of the table.
    free = sum(v * c for w, v, c in zip(weights, values, counts) if w == 0)
    items = [
        (w, v, min(c, capacity // w))  # never more copies than fit
        for w, v, c in zip(weights, values, counts)
        if 0 < w <= capacity and c > 0
    ]
    if method == "binary":
        bundles = [(w * size, v * size) for w, v, c in items for size in _binary_split(c)]
        best = knapsack_01([w for w, _ in bundles], [v for _, v in bundles], capacity, exact=exact)
        return None if best is None else best + free
    bound = sum(v * c for _, v, c in items)
    # The queue compares f[j] - t*v with t up to capacity // w: that must fit int64 as well.
    reach = bound + max((v * (capacity // w) for w, v, _ in items), default=0)
    if reach <= _INT64_MAX and len(items) * (capacity + 1) >= _NUMBA_MIN_CELLS:
        ws, vs = _item_arrays([(w, v) for w, v, _ in items], np.int64)
        cs = np.array([c for _, _, c in items], dtype=np.int64)
        f = _first_row(capacity, exact, np.int64)
        _kernel_bounded_queue(ws, vs, cs, capacity, f)
        best = _answer(f[capacity])
    else:
        best = _answer(_row_bounded_queue(items, capacity, exact)[capacity])
    return None if best is None else best + free


def knapsack_01_items(weights, values, capacity, *, exact=False):
    """``(best value, sorted indices of the items taken)`` for the 0/1 knapsack.

    Takes the same arguments as :func:`knapsack_01`; with ``exact=True`` and no way to fill the
    knapsack exactly the result is ``(None, None)``. Of several best choices, the one returned
    leaves out a later item whenever leaving it out is as good.

    >>> knapsack_01_items([1, 2, 3, 4], [2, 4, 4, 5], 5)
    (8, [1, 2])
    >>> knapsack_01_items([2, 4], [3, 5], 5, exact=True)
    (None, None)
    """
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    usable = [i for i, w in enumerate(weights) if w <= capacity]
    ws = [weights[i] for i in usable]
    vs = [values[i] for i in usable]
    dtype = _table_dtype(sum(vs))
    if dtype is not None and len(usable) * (capacity + 1) >= _NUMBA_MIN_CELLS:
        w_arr, v_arr = _item_arrays(list(zip(ws, vs)), dtype)
        f = _first_row(capacity, exact, dtype)
        took = np.zeros((len(usable), capacity + 1), dtype=np.uint8)
        _kernel_01_took(w_arr, v_arr, capacity, f, took)
        best = _answer(f[capacity])
        if best is None:
            return None, None
        taken, j = [], capacity
        for k in range(len(usable) - 1, -1, -1):
            if took[k, j]:
                taken.append(usable[k])
                j -= ws[k]
        return best, taken[::-1]
    f = _table_01(ws, vs, capacity, exact)
    best = _answer(f[-1][capacity])
    if best is None:
        return None, None
    return best, [usable[k] for k in _walk_back_01(f, ws, capacity)]


def knapsack_complete_items(weights, values, capacity, *, exact=False):
    """``(best value, copies taken of each item)`` for the complete knapsack.

    Takes the same arguments as :func:`knapsack_complete`; with ``exact=True`` and no way to fill
    the knapsack exactly the result is ``(None, None)``.

    >>> knapsack_complete_items([1, 2, 3, 4], [2, 4, 4, 5], 5)
    (10, [5, 0, 0, 0])
    """
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    _check_no_free_value(weights, values)
    usable = [i for i, w in enumerate(weights) if 0 < w <= capacity]
    ws = [weights[i] for i in usable]
    vs = [values[i] for i in usable]
    counts = [0] * len(weights)
    dtype = _table_dtype(sum(v * (capacity // w) for w, v in zip(ws, vs)))
    if dtype is not None and len(usable) * (capacity + 1) >= _NUMBA_MIN_CELLS:
        w_arr, v_arr = _item_arrays(list(zip(ws, vs)), dtype)
        f = _first_row(capacity, exact, dtype)
        took = np.zeros((len(usable), capacity + 1), dtype=np.uint8)
        _kernel_complete_took(w_arr, v_arr, capacity, f, took)
        best = _answer(f[capacity])
        if best is None:
            return None, None
        j, k = capacity, len(usable) - 1
        while k >= 0:
            if took[k, j]:
                counts[usable[k]] += 1
                j -= ws[k]
            else:
                k -= 1
        return best, counts
    f = _table_complete(ws, vs, capacity, exact)
    best = _answer(f[-1][capacity])
    if best is None:
        return None, None
    for k, c in enumerate(_walk_back_complete(f, ws, capacity)):
        counts[usable[k]] = c
    return best, counts


# --- fast forms: numba kernels on one row ----------------------------------------------------------

_BLOCK = 512  # cells staged per block: fits L1 with room to spare, long enough for SIMD
_MIN_STAGED_WEIGHT = 16  # complete knapsack: shorter blocks (at most w cells) do not pay


@numba.njit(cache=True)
def _kernel_01(weights, values, capacity, f):
    """0/1 knapsack in place on row ``f``; blocks walk downward through a staging buffer."""
    staged = np.empty(_BLOCK, dtype=f.dtype)
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        hi = capacity + 1
        while hi > w:
            lo = max(w, hi - _BLOCK)
            m = hi - lo
            # Copy before writing: the block may overlap the cells it reads (w < _BLOCK), and
            # the separate buffer is what lets LLVM vectorise the max below.
            src = f[lo - w : hi - w]  # views indexed from 0: no negative-index check per cell
            dst = f[lo:hi]
            for k in range(m):
                staged[k] = src[k] + v  # in f's type: numba adds small ints in int64
            for k in range(m):
                dst[k] = max(dst[k], staged[k])
            hi = lo


@numba.njit(cache=True)
def _kernel_complete(weights, values, capacity, f):
    """Complete knapsack in place on row ``f``; blocks of at most w cells walk upward."""
    staged = np.empty(_BLOCK, dtype=f.dtype)
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        if w < _MIN_STAGED_WEIGHT:
            # Blocks this short cost more in bookkeeping than SIMD saves: the plain loop.
            for j in range(w, capacity + 1):
                f[j] = max(f[j], f[j - w] + v)
            continue
        step = min(w, _BLOCK)  # a longer block would read cells it has not updated yet
        lo = w
        while lo <= capacity:
            hi = min(lo + step, capacity + 1)
            m = hi - lo
            src = f[lo - w : hi - w]  # views indexed from 0: no negative-index check per cell
            dst = f[lo:hi]
            for k in range(m):
                staged[k] = src[k] + v  # in f's type: numba adds small ints in int64
            for k in range(m):
                dst[k] = max(dst[k], staged[k])
            lo = hi


@numba.njit(cache=True)
def _kernel_01_took(weights, values, capacity, f, took):
    """:func:`_kernel_01` that also records where taking item i won (for the walk back)."""
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        for j in range(capacity, w - 1, -1):
            candidate = f[j - w] + v
            if candidate > f[j]:
                f[j] = candidate
                took[i, j] = 1


@numba.njit(cache=True)
def _kernel_complete_took(weights, values, capacity, f, took):
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        for j in range(w, capacity + 1):
            candidate = f[j - w] + v
            if candidate > f[j]:
                f[j] = candidate
                took[i, j] = 1


@numba.njit(cache=True)
def _kernel_bounded_queue(weights, values, counts, capacity, f):
    """Bounded knapsack in place on int64 row ``f`` by a monotonic queue per residue class.

    Unreachable cells hold the int64 minimum exactly: they never enter the queue, and a cell
    whose window holds no reachable cell stays unreachable.
    """
    impossible = np.iinfo(np.int64).min
    queue_t = np.empty(capacity + 1, dtype=np.int64)  # t of each queued term
    queue_g = np.empty(capacity + 1, dtype=np.int64)  # g[t] = f_old[r + t*w] - t*v, decreasing
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        c = counts[i]
        for r in range(min(w, capacity + 1)):
            head = 0
            tail = 0
            k = 0
            for j in range(r, capacity + 1, w):
                if f[j] != impossible:
                    g = f[j] - k * v
                    while tail > head and queue_g[tail - 1] <= g:
                        tail -= 1
                    queue_t[tail] = k
                    queue_g[tail] = g
                    tail += 1
                if tail > head and queue_t[head] < k - c:
                    head += 1
                if tail > head:
                    f[j] = queue_g[head] + k * v
                else:
                    f[j] = impossible
                k += 1


# --- small private helpers -------------------------------------------------------------------------


def _table_dtype(bound):
    """The narrowest integer type holding every total up to ``bound`` (and minus infinity below
    it), or None: then only Python ints are exact."""
    if bound <= _INT16_MAX:
        return np.int16
    if bound <= _INT32_MAX:
        return np.int32
    if bound <= _INT64_MAX:
        return np.int64
    return None


def _first_row(capacity, exact, dtype):
    f = np.zeros(capacity + 1, dtype=dtype)
    if exact:
        f[1:] = np.iinfo(dtype).min  # "minus infinity": only values >= 0 are ever added
    return f


def _item_arrays(items, dtype):
    weights = np.array([w for w, _ in items], dtype=np.int64)
    values = np.array([v for _, v in items], dtype=dtype)
    return weights, values


def _answer(best):
    """The table's entry as a Python int, or None where it means "unreachable" (always < 0)."""
    return None if best < 0 else int(best)


def _binary_split(count):
    """Bundle sizes 1, 2, 4, ..., rest: every number 0..count is a sum of a subset of them."""
    sizes, size = [], 1
    while count > 0:
        take = min(size, count)
        sizes.append(take)
        count -= take
        size *= 2
    return sizes


def _check_no_free_value(weights, values):
    for i, (w, v) in enumerate(zip(weights, values)):
        if w == 0 and v > 0:
            raise ValueError(
                f"item {i} has weight 0 and value {v}: the complete knapsack would take it forever"
            )


def _check(weights, values, counts, capacity, exact):
    """Validate every argument before any work; return Python ints and lists."""
    capacity = check_int("capacity", capacity, minimum=0)
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"exact must be True or False, got {type(exact).__name__} {exact!r}")
    named = [("weights", weights), ("values", values)]
    if counts is not None:
        named.append(("counts", counts))
    lists = [_check_non_negative_ints(name, seq) for name, seq in named]
    lengths = {len(seq) for seq in lists}
    if len(lengths) > 1:
        described = ", ".join(f"len({name}) = {len(seq)}" for (name, _), seq in zip(named, lists))
        raise ValueError(
            f"{', '.join(n for n, _ in named)} must have the same length, got {described}"
        )
    weights, values = lists[0], lists[1]
    counts = lists[2] if counts is not None else None
    return weights, values, counts, capacity, bool(exact)


def _check_non_negative_ints(name, seq):
    if is_array(seq):
        if seq.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array, got shape {seq.shape}")
        if seq.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold integers, got dtype {seq.dtype}")
        if seq.size and seq.min() < 0:
            i = int(np.argmax(seq < 0))
            raise ValueError(f"{name}[{i}] must be >= 0, got {seq[i]}")
        return seq.tolist()
    return check_int_list(name, seq, minimum=0)
