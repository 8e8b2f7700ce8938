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

Sizing the work first. The table has a cell per unit of capacity, so before any is allocated:

- trivial instances answer at once: no item fits (0, or ``None`` when ``exact`` and
  ``capacity > 0``); for 0/1 and bounded, every usable copy fits at once (take them all; with
  ``exact``, ``None`` if they weigh less than ``capacity``);
- the weights and the capacity are divided by the weights' gcd, which changes no answer (with
  ``exact`` a capacity that is not a multiple of it is ``None`` at once);
- an instance whose table would need more than ``MEMORY_LIMIT`` bytes (1 GiB) raises
  ``ValueError`` naming ``capacity`` and the memory it would need. A table cell takes 2, 4 or 8
  bytes on the compiled path (see below), about 36 on the pure-Python path (a list slot and an
  int); the item-recovering forms keep a cell per item and unit of capacity (one byte each on
  the compiled path).

Fast path. Instances of at least 2**14 table cells whose totals fit int64 run through numba
kernels, lists and numpy arrays alike (below that, loading a compiled kernel costs more than
the work); the answer is the same exact int either way. The kernels work on one row, with two
tricks:

1. A plain in-place loop ``f[j] = max(f[j], f[j-w] + v)`` does not vectorise: the compiler cannot
   prove that the cell read (j-w) is not one written a moment ago. Staging
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
3. The 0/1 kernel takes two items per pass over the row: with both items' terms,
   ``f[j] = max(f[j], f[j-w1] + v1, f[j-w2] + v2, f[j-w1-w2] + v1 + v2)`` turns row i into
   row i+2 at once. Per item and cell that is two and a half loads and one store where one item
   per pass needs three loads and two stores (the staged copy, then the max), and the row
   passes through the cache half as often.

``benchmarks/bench_knapsack.py`` times the kernels beside numpy's per-item
``f[w:] = np.maximum(f[w:], f[:-w] + v)`` (two temporaries of the row per item, or none with
``out=`` buffers). The kernels are serial: each item's pass needs the previous one, and one pass
over a row is too short to pay for splitting it across threads.

Cost: O(n * capacity) time for 0/1 and complete, O(capacity) memory for the values, and for the
item-recovering forms an n x (capacity + 1) table (one byte per cell on the compiled path).
Results are always exact Python ints.

>>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5)
8
>>> knapsack_complete([1, 2, 3, 4], [2, 4, 4, 5], 5)
10
>>> knapsack_bounded([1, 2, 3, 4], [2, 4, 4, 5], [2, 1, 1, 1], 5)
8
>>> knapsack_01([2, 4], [3, 5], 5, exact=True) is None
True
"""

import math
from collections import deque
from collections.abc import Sequence

import numba
import numpy as np

from algos._validate import check_bool, check_int, check_int_list

__all__ = [
    "MEMORY_LIMIT",
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

MEMORY_LIMIT = 2**30
"""Bytes a knapsack's table may take; a larger instance raises ``ValueError`` before any work."""
_PY_CELL_BYTES = 36  # a pure-Python table cell: a list slot and (often) an int of its own


# --- readable solution: the 2-D table -------------------------------------------------------------
# The 0/1 and complete forms stay written out apart, here and in the one-row forms below: the one
# line in which each differs (row i-1 or row i; j downward or upward) is the lesson.


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


Ints = Sequence[int] | np.ndarray


def knapsack_01(weights: Ints, values: Ints, capacity: int, *, exact: bool = False) -> int | None:
    """Best total value taking each item at most once; ``None`` if ``exact`` and impossible.

    >>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5)
    8
    >>> knapsack_01([1, 2, 3, 4], [2, 4, 4, 5], 5, exact=True)
    8
    >>> knapsack_01([], [], 0)
    0
    """
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    return _best_01([(w, v) for w, v in zip(weights, values) if w <= capacity], capacity, exact)


def _best_01(items, capacity, exact):
    """knapsack_01 on checked items that each fit, sized first (see the module docstring)."""
    total = sum(w for w, _ in items)
    if total <= capacity:  # everything fits at once
        return None if exact and total < capacity else sum(v for _, v in items)
    return _best_on_one_row(items, capacity, exact, complete=False)


def knapsack_complete(
    weights: Ints, values: Ints, capacity: int, *, exact: bool = False
) -> int | None:
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
    if not items:  # weight-0 items here have value 0 (checked)
        return None if exact and capacity > 0 else 0
    return _best_on_one_row(items, capacity, exact, complete=True)


def _best_on_one_row(items, capacity, exact, *, complete):
    """The one-row solution of 0/1 or complete items ``(w, v)``, planned by :func:`_plan`."""
    weights, values = [w for w, _ in items], [v for _, v in items]
    plan = _plan(weights, values, capacity, exact, complete=complete)
    if plan is None:
        return None
    weights, cells, dtype, compiled = plan
    if compiled:
        ws, vs = _item_arrays(list(zip(weights, values)), dtype)
        f = _first_row(cells, exact, dtype)
        (_kernel_complete if complete else _kernel_01)(ws, vs, cells, f)
        return _answer(f[cells])
    row = _row_complete if complete else _row_01
    return _answer(row(list(zip(weights, values)), cells, exact)[cells])


def knapsack_bounded(
    weights: Ints,
    values: Ints,
    counts: Ints,
    capacity: int,
    *,
    exact: bool = False,
    method: str = "binary",
) -> int | None:
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
        best = _best_01(bundles, capacity, exact)
        return None if best is None else best + free
    best = _best_bounded_queue(items, capacity, exact)
    return None if best is None else best + free


def _best_bounded_queue(items, capacity, exact):
    """The queue method on checked items ``(w, v, c)`` with ``0 < w`` and ``c * w <= capacity``."""
    total = sum(w * c for w, _, c in items)
    if total <= capacity:  # every copy fits at once
        return None if exact and total < capacity else sum(v * c for _, v, c in items)
    reduced = _divide_by_gcd([w for w, _, _ in items], capacity, exact)
    if reduced is None:
        return None
    weights, cells = reduced
    items = [(w, v, c) for w, (_, v, c) in zip(weights, items)]
    bound = sum(v * c for _, v, c in items)
    # The queue compares f[j] - t*v with t up to cells // w: that must fit int64 as well.
    reach = bound + max((v * (cells // w) for w, v, _ in items), default=0)
    compiled = reach <= _INT64_MAX and len(items) * (cells + 1) >= _NUMBA_MIN_CELLS
    # Compiled: the row and the queue's two arrays, 8 bytes each per cell.
    _check_memory(capacity, cells, 24 if compiled else _PY_CELL_BYTES)
    if compiled:
        ws, vs = _item_arrays([(w, v) for w, v, _ in items], np.int64)
        cs = np.array([c for _, _, c in items], dtype=np.int64)
        f = _first_row(cells, exact, np.int64)
        _kernel_bounded_queue(ws, vs, cs, cells, f)
        return _answer(f[cells])
    return _answer(_row_bounded_queue(items, cells, exact)[cells])


def knapsack_01_items(
    weights: Ints, values: Ints, capacity: int, *, exact: bool = False
) -> tuple[int, list[int]] | tuple[None, None]:
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
    total = sum(weights[i] for i in usable)
    if total <= capacity:  # everything fits: take what adds value (with exact, all weight too)
        if exact and total < capacity:
            return None, None
        taken = [i for i in usable if values[i] > 0 or (exact and weights[i] > 0)]
        return sum(values[i] for i in usable), taken
    vs = [values[i] for i in usable]
    plan = _plan([weights[i] for i in usable], vs, capacity, exact, complete=False, recover=True)
    if plan is None:
        return None, None
    ws, cells, dtype, compiled = plan
    if compiled:
        best, took = _compiled_took(ws, vs, cells, exact, dtype, downward=True)
        if best is None:
            return None, None
        taken, j = [], cells
        for k in range(len(usable) - 1, -1, -1):
            if took[k, j]:
                taken.append(usable[k])
                j -= ws[k]
        return best, taken[::-1]
    f = _table_01(ws, vs, cells, exact)
    best = _answer(f[-1][cells])
    if best is None:
        return None, None
    return best, [usable[k] for k in _walk_back_01(f, ws, cells)]


def knapsack_complete_items(
    weights: Ints, values: Ints, capacity: int, *, exact: bool = False
) -> tuple[int, list[int]] | tuple[None, None]:
    """``(best value, copies taken of each item)`` for the complete knapsack.

    Takes the same arguments as :func:`knapsack_complete`; with ``exact=True`` and no way to fill
    the knapsack exactly the result is ``(None, None)``.

    >>> knapsack_complete_items([1, 2, 3, 4], [2, 4, 4, 5], 5)
    (10, [5, 0, 0, 0])
    """
    # The outline of knapsack_01_items; the walks back differ (here a copy at a time, staying on
    # an item's row while it keeps winning), and that difference is what each form teaches.
    weights, values, _, capacity, exact = _check(weights, values, None, capacity, exact)
    _check_no_free_value(weights, values)
    usable = [i for i, w in enumerate(weights) if 0 < w <= capacity]
    counts = [0] * len(weights)
    if not usable:  # weight-0 items here have value 0 (checked): nothing to take
        return (None, None) if exact and capacity > 0 else (0, counts)
    vs = [values[i] for i in usable]
    plan = _plan([weights[i] for i in usable], vs, capacity, exact, complete=True, recover=True)
    if plan is None:
        return None, None
    ws, cells, dtype, compiled = plan
    if compiled:
        best, took = _compiled_took(ws, vs, cells, exact, dtype, downward=False)
        if best is None:
            return None, None
        j, k = cells, len(usable) - 1
        while k >= 0:
            if took[k, j]:
                counts[usable[k]] += 1
                j -= ws[k]
            else:
                k -= 1
        return best, counts
    f = _table_complete(ws, vs, cells, exact)
    best = _answer(f[-1][cells])
    if best is None:
        return None, None
    for k, c in enumerate(_walk_back_complete(f, ws, cells)):
        counts[usable[k]] = c
    return best, counts


# --- fast forms: numba kernels on one row ----------------------------------------------------------

_BLOCK = 512  # cells staged per block: fits L1 with room to spare, long enough for SIMD
_MIN_STAGED_WEIGHT = 16  # complete knapsack: shorter blocks (at most w cells) do not pay


@numba.njit(cache=True)
def _kernel_01(weights, values, capacity, f):
    """0/1 knapsack in place on row ``f``, two items per pass; blocks walk downward."""
    staged = np.empty(_BLOCK, dtype=f.dtype)
    n = weights.shape[0]
    for i in range(0, n - 1, 2):
        _pair_01(f, capacity, weights[i], values[i], weights[i + 1], values[i + 1], staged)
    if n % 2:
        w = weights[n - 1]
        v = values[n - 1]
        hi = capacity + 1
        while hi > w:
            lo = max(w, hi - _BLOCK)
            _staged_max(f, lo, hi, w, v, staged)
            hi = lo


@numba.njit(cache=True)
def _pair_01(f, capacity, w1, v1, w2, v2, staged):
    """Items (w1, v1) and (w2, v2) in one downward pass: row i+2 straight from row i,

        f[j] = max(f[j], f[j-w1] + v1, f[j-w2] + v2, f[j-w1-w2] + v1 + v2),

    each term where its cell exists. Blocks never straddle a weight at which a term starts, so
    each block's loop has a fixed set of terms. Every weight is ``<= capacity`` (the caller
    drops items that do not fit), so the cells read lie in ``[0, capacity]``."""
    if w2 < w1:  # the lighter item first: (wa, va) <= (wb, vb) by weight
        w1, v1, w2, v2 = w2, v2, w1, v1
    both = w1 + w2
    hi = capacity + 1
    while hi > w1:
        if hi > both:
            lo = max(both, hi - _BLOCK)
            _staged_max_of_pair(f, lo, hi, w1, v1, w2, v2, staged)
        elif hi > w2:
            lo = max(w2, hi - _BLOCK)
            _staged_max_of_two(f, lo, hi, w1, v1, w2, v2, staged)
        else:
            lo = max(w1, hi - _BLOCK)
            _staged_max(f, lo, hi, w1, v1, staged)
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
            _staged_max(f, lo, hi, w, v, staged)
            lo = hi


@numba.njit(cache=True, inline="always")
def _staged_max(f, lo, hi, w, v, staged):
    """``f[j] = max(f[j], f[j - w] + v)`` for j in ``[lo, hi)``, through the staging buffer.

    Callers keep ``w <= lo <= hi <= len(f)`` and ``hi - lo <= len(staged)``: every index is in
    range. The copy comes before any write, since the block may overlap the cells it reads
    (w < _BLOCK), and the separate buffer is what lets LLVM vectorise the max.
    """
    m = hi - lo
    src = f[lo - w : hi - w]  # views indexed from 0: no negative-index check per cell
    dst = f[lo:hi]
    for k in range(m):
        staged[k] = src[k] + v  # in f's type: numba adds small ints in int64
    for k in range(m):
        dst[k] = max(dst[k], staged[k])


@numba.njit(cache=True, inline="always")
def _staged_max_of_two(f, lo, hi, w1, v1, w2, v2, staged):
    """``f[j] = max(f[j], f[j - w1] + v1, f[j - w2] + v2)`` for j in ``[lo, hi)``, as
    :func:`_staged_max` (``w1, w2 <= lo``)."""
    m = hi - lo
    src1 = f[lo - w1 : hi - w1]
    src2 = f[lo - w2 : hi - w2]
    dst = f[lo:hi]
    cast = f.dtype.type  # the max in f's type: numba adds small ints in int64
    for k in range(m):
        staged[k] = max(cast(src1[k] + v1), cast(src2[k] + v2))
    for k in range(m):
        dst[k] = max(dst[k], staged[k])


@numba.njit(cache=True, inline="always")
def _staged_max_of_pair(f, lo, hi, w1, v1, w2, v2, staged):
    """:func:`_staged_max_of_two` plus the term taking both items (``w1 + w2 <= lo``)."""
    m = hi - lo
    both = w1 + w2
    v12 = v1 + v2
    src1 = f[lo - w1 : hi - w1]
    src2 = f[lo - w2 : hi - w2]
    src12 = f[lo - both : hi - both]
    dst = f[lo:hi]
    cast = f.dtype.type  # the max in f's type: numba adds small ints in int64
    for k in range(m):
        staged[k] = max(max(cast(src1[k] + v1), cast(src2[k] + v2)), cast(src12[k] + v12))
    for k in range(m):
        dst[k] = max(dst[k], staged[k])


@numba.njit(cache=True)
def _kernel_took(weights, values, capacity, f, took, downward):
    """The one-row knapsack in place on ``f`` (0/1 with ``downward``, complete without), also
    recording in ``took[i, j]`` where taking item i won (for the walk back). Every weight is
    ``<= capacity = len(f) - 1``, so ``j - w`` and ``j`` stay in ``[0, capacity]``."""
    for i in range(weights.shape[0]):
        w = weights[i]
        v = values[i]
        if downward:  # 0/1: f[j - w] still holds row i - 1
            start, stop, step = capacity, w - 1, -1
        else:  # complete: f[j - w] already holds row i
            start, stop, step = w, capacity + 1, 1
        for j in range(start, stop, step):
            candidate = f[j - w] + v
            if candidate > f[j]:
                f[j] = candidate
                took[i, j] = 1


@numba.njit(cache=True)
def _kernel_bounded_queue(weights, values, counts, capacity, f):
    """Bounded knapsack in place on int64 row ``f`` by a monotonic queue per residue class.

    Unreachable cells hold the int64 minimum exactly: they never enter the queue, and a cell
    whose window holds no reachable cell stays unreachable. The queue arrays have a slot per
    cell, and a residue class pushes at most one term per cell of its own.
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


def _divide_by_gcd(weights, capacity, exact):
    """``(weights // g, capacity // g)`` for the weights' gcd ``g``: every answer stays the same
    (a total weight is a multiple of g, so "at most capacity" is "at most g * (capacity // g)"),
    and the table is g times shorter. ``None`` when ``exact`` and g does not divide capacity."""
    g = math.gcd(*weights)
    if g <= 1:
        return weights, capacity
    if exact and capacity % g:
        return None
    return [w // g for w in weights], capacity // g


def _compiled_took(weights, values, cells, exact, dtype, *, downward):
    """Best value (or None) and the table of where taking each item won, by ``_kernel_took``."""
    w_arr, v_arr = _item_arrays(list(zip(weights, values)), dtype)
    f = _first_row(cells, exact, dtype)
    took = np.zeros((len(weights), cells + 1), dtype=np.uint8)
    _kernel_took(w_arr, v_arr, cells, f, took, downward)
    return _answer(f[cells]), took


def _plan(weights, values, capacity, exact, *, complete, recover=False):
    """Size a 0/1 or complete table before allocating it: ``None`` when ``exact`` is impossible
    at once, else ``(weights, cells, dtype, compiled)`` with the weights divided by their gcd,
    ``cells`` the capacity so divided, the table's integer type (None: Python ints) and whether
    the compiled path runs. ``recover``: the item-recovering forms, which keep a cell per item
    and unit of capacity besides the row. ``ValueError`` past ``MEMORY_LIMIT``."""
    reduced = _divide_by_gcd(weights, capacity, exact)
    if reduced is None:
        return None
    weights, cells = reduced
    copies = [cells // w for w in weights] if complete else [1] * len(weights)
    dtype = _table_dtype(sum(v * c for v, c in zip(values, copies)))
    compiled = dtype is not None and len(weights) * (cells + 1) >= _NUMBA_MIN_CELLS
    per_cell = np.dtype(dtype).itemsize if compiled else _PY_CELL_BYTES
    what = ""
    if recover:
        per_cell += len(weights) * (1 if compiled else _PY_CELL_BYTES)
        what = f" for {len(weights)} items"
    _check_memory(capacity, cells, per_cell, what)
    return weights, cells, dtype, compiled


def _check_memory(capacity, cells, bytes_per_cell, what=""):
    needed = (cells + 1) * bytes_per_cell
    if needed > MEMORY_LIMIT:
        reduced = (
            f" ({cells} units after dividing by the weights' gcd)" if cells != capacity else ""
        )
        raise ValueError(
            f"capacity = {capacity}{reduced} needs a table of about {_gib(needed)}{what},"
            f" more than algos.knapsack.MEMORY_LIMIT = {_gib(MEMORY_LIMIT)}"
        )


def _gib(n_bytes):
    return f"{n_bytes / 2**30:,.1f} GiB"


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
    exact = check_bool("exact", exact)
    named = [("weights", weights), ("values", values)]
    if counts is not None:
        named.append(("counts", counts))
    lists = [check_int_list(name, seq, minimum=0) for name, seq in named]
    lengths = {len(seq) for seq in lists}
    if len(lengths) > 1:
        described = ", ".join(f"len({name}) = {len(seq)}" for (name, _), seq in zip(named, lists))
        raise ValueError(
            f"{', '.join(n for n, _ in named)} must have the same length, got {described}"
        )
    weights, values = lists[0], lists[1]
    counts = lists[2] if counts is not None else None
    return weights, values, counts, capacity, exact
