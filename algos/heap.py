"""CPython's ``heapq``, reimplemented in plain Python with the whole API of Python 3.14.

Problem. Keep a collection from which the smallest (or, for the ``_max`` functions, the largest)
item can be taken again and again while new items keep arriving, with no more than
O(log n) work per operation and no structure other than an ordinary Python list.

Invariant. A list ``a`` is a (min-)heap when every index ``k`` satisfies

    a[k] <= a[2*k + 1]   and   a[k] <= a[2*k + 2]

wherever those children exist. Read the list as a binary tree whose node ``k`` has the children
``2k+1`` and ``2k+2`` (and the parent ``(k-1)//2``): every parent is no larger than its children,
so ``a[0]`` is the smallest item. A sorted list is a heap; a heap is not, in general, sorted.
The max-heap functions keep the mirror invariant ``a[k] >= a[2k+1], a[k] >= a[2k+2]``, so
``a[0]`` is the largest item. Items are only ever compared with ``<``.

Two moves restore the invariant after one slot changed:

* Rise (CPython's ``_siftdown``), used by push: the new item starts as a leaf and may be
  smaller than its parent, so parents move one level down until the item meets a parent no
  larger than itself. One comparison per level climbed.
* Sink (CPython's ``_siftup``, here ``_sink``), used by pop, replace and heapify: the item at
  ``pos`` may be larger than a child. The textbook sift compares it with the smaller child at
  every level and stops as soon as it fits. ``_sink`` instead promotes the smaller child all
  the way down to a leaf without looking at the item at all (one comparison per level, between
  the two children), and then lets the item rise from that leaf. After a pop the item being
  sunk is the list's last one, which is nearly always large and belongs near the bottom: the
  textbook's early stop rarely comes, so its second comparison per level is mostly wasted.

Counted with a counting ``__lt__`` on 1000 random floats (five seeds): 1000 pops took
8657 to 8691 comparisons bottom-up against 14971 to 15007 with the textbook sift (42% fewer),
and ``heapify`` took 1609 to 1655 against 1840 to 1911. Comparisons matter because a heap
cannot see an item's priority: it calls the items' ``__lt__``, which may be arbitrarily costly.

Complexity. ``heappush``, ``heappop``, ``heapreplace``, ``heappushpop`` and their ``_max``
forms: O(log n) comparisons. ``heapify``: O(n). ``merge`` of k inputs holding n items:
O(n log k), lazily, holding one item per input. ``nsmallest(k, ...)``/``nlargest``: one pass,
O(n log k) comparisons in the worst case and about ``n + O(k log k log(n/k))`` on random input,
holding k items.

Faithfulness. The algorithms, and so the list layout after every operation and the sequence of
``<`` comparisons, are those of the standard library's pure-Python ``heapq``; the tests check
both against it, operation by operation. Like the C ``heapq``, every function that takes a heap
requires a ``list`` (``TypeError`` otherwise). Unlike the pure-Python module, an operation
interrupted by an exception from ``__lt__`` loses no item it had not already taken out (the
item in flight is put back into the slot it would otherwise leave duplicated), and a
comparison that changes the heap's length makes the operation raise ``RuntimeError``, as the C
module does, instead of carrying on over a list it no longer understands.

>>> heap = []
>>> for x in [5, 1, 4, 1, 3]:
...     heappush(heap, x)
>>> heap
[1, 1, 4, 5, 3]
>>> [heappop(heap) for _ in range(len(heap))]
[1, 1, 3, 4, 5]
>>> tasks = [(3, "write"), (1, "plan"), (2, "test")]
>>> heapify_max(tasks)
>>> heappop_max(tasks)
(3, 'write')
>>> list(merge([1, 4, 7], [2, 5], [3, 6, 8]))
[1, 2, 3, 4, 5, 6, 7, 8]
>>> nsmallest(2, ["pear", "fig", "banana"], key=len)
['fig', 'pear']
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from algos._validate import check_bool, check_int

__all__ = [
    "heapify",
    "heapify_max",
    "heappop",
    "heappop_max",
    "heappush",
    "heappush_max",
    "heappushpop",
    "heappushpop_max",
    "heapreplace",
    "heapreplace_max",
    "merge",
    "nlargest",
    "nsmallest",
]


# --- min-heap ----------------------------------------------------------------------------------


def heappush(heap: list, item: Any, /) -> None:
    """Add ``item`` to ``heap`` and restore the heap invariant.

    The new leaf rises past every larger parent. The loop is written out here, not called: with
    the list and length checks on top, a call per push is the cost that would set this apart
    from the standard library's pure-Python ``heappush`` (``benchmarks/bench_heap.py``).

    >>> heap = [1, 3, 2]
    >>> heappush(heap, 0)
    >>> heap
    [0, 1, 2, 3]
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    pos = len(heap)
    heap.append(item)
    size = pos + 1
    try:
        while pos:
            parent_pos = (pos - 1) >> 1
            parent = heap[parent_pos]
            if not item < parent:
                break
            heap[pos] = parent
            pos = parent_pos
        heap[pos] = item
    except BaseException as exc:
        if len(heap) != size:
            raise _resized(size, heap) from exc
        heap[pos] = item
        raise
    if len(heap) != size:
        raise _resized(size, heap)


def heappop(heap: list, /) -> Any:
    """Remove and return the smallest item of ``heap``; ``IndexError`` when it is empty.

    The last item fills the root's place and sinks, so the list never has a gap.

    >>> heap = [0, 1, 2, 3]
    >>> heappop(heap), heap
    (0, [1, 3, 2])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    last = heap.pop()  # IndexError on an empty heap, as in heapq
    if not heap:
        return last
    smallest = heap[0]
    heap[0] = last
    _sink(heap, 0)
    return smallest


def heapreplace(heap: list, item: Any, /) -> Any:
    """Pop the smallest item, then add ``item``: one sift instead of two, same size after.

    The item returned may be larger than ``item``; ``heappushpop`` is the other order.

    >>> heap = [1, 5, 3]
    >>> heapreplace(heap, 9), heap
    (1, [3, 5, 9])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    smallest = heap[0]  # IndexError on an empty heap, as in heapq
    heap[0] = item
    _sink(heap, 0)
    return smallest


def heappushpop(heap: list, item: Any, /) -> Any:
    """Add ``item``, then pop and return the smallest item, in one sift (or none at all).

    When ``item`` is no larger than the root it would come straight back out, so the heap is not
    touched and only one comparison is spent.

    >>> heap = [2, 5, 3]
    >>> heappushpop(heap, 1), heap
    (1, [2, 5, 3])
    >>> heappushpop(heap, 4), heap
    (2, [3, 5, 4])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sink(heap, 0)
    return item


def heapify(x: list, /) -> None:
    """Rearrange the list ``x`` into a heap, in place, in O(len(x)) comparisons.

    The second half of the list holds leaves, which are heaps already; sinking every inner node,
    from the last to the root, joins two heaps under their parent at each step.

    >>> x = [5, 4, 3, 2, 1]
    >>> heapify(x)
    >>> x
    [1, 2, 3, 5, 4]
    """
    if type(x) is not list:
        _check_list_subclass("x", x)
    for pos in range(len(x) // 2 - 1, -1, -1):
        _sink(x, pos)


# --- max-heap (Python 3.14) ------------------------------------------------------------------
# These mirror the min-heap functions line for line, with the operands of ``<`` swapped, as
# CPython's heapq keeps them: sharing one body would add a call or a branch per comparison on
# the hottest paths, and the order of operands is what fixes the comparison sequence.


def heappush_max(heap: list, item: Any, /) -> None:
    """Add ``item`` to the max-heap ``heap`` and restore its invariant.

    >>> heap = [3, 1, 2]
    >>> heappush_max(heap, 4)
    >>> heap
    [4, 3, 2, 1]
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    pos = len(heap)
    heap.append(item)
    size = pos + 1
    try:
        while pos:
            parent_pos = (pos - 1) >> 1
            parent = heap[parent_pos]
            if not parent < item:
                break
            heap[pos] = parent
            pos = parent_pos
        heap[pos] = item
    except BaseException as exc:
        if len(heap) != size:
            raise _resized(size, heap) from exc
        heap[pos] = item
        raise
    if len(heap) != size:
        raise _resized(size, heap)


def heappop_max(heap: list, /) -> Any:
    """Remove and return the largest item of the max-heap ``heap``; ``IndexError`` when empty.

    >>> heap = [4, 3, 2, 1]
    >>> heappop_max(heap), heap
    (4, [3, 1, 2])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    last = heap.pop()
    if not heap:
        return last
    largest = heap[0]
    heap[0] = last
    _sink_max(heap, 0)
    return largest


def heapreplace_max(heap: list, item: Any, /) -> Any:
    """Pop the largest item of the max-heap, then add ``item``, in one sift.

    >>> heap = [9, 5, 7]
    >>> heapreplace_max(heap, 1), heap
    (9, [7, 5, 1])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    largest = heap[0]
    heap[0] = item
    _sink_max(heap, 0)
    return largest


def heappushpop_max(heap: list, item: Any, /) -> Any:
    """Add ``item`` to the max-heap, then pop and return its largest item, in at most one sift.

    >>> heap = [5, 2, 3]
    >>> heappushpop_max(heap, 6), heap
    (6, [5, 2, 3])
    >>> heappushpop_max(heap, 1), heap
    (5, [3, 2, 1])
    """
    if type(heap) is not list:
        _check_list_subclass("heap", heap)
    if heap and item < heap[0]:
        item, heap[0] = heap[0], item
        _sink_max(heap, 0)
    return item


def heapify_max(x: list, /) -> None:
    """Rearrange the list ``x`` into a max-heap, in place, in O(len(x)) comparisons.

    >>> x = [1, 2, 3, 4, 5]
    >>> heapify_max(x)
    >>> x
    [5, 4, 3, 1, 2]
    """
    if type(x) is not list:
        _check_list_subclass("x", x)
    for pos in range(len(x) // 2 - 1, -1, -1):
        _sink_max(x, pos)


# --- merging sorted inputs -------------------------------------------------------------------


def merge(
    *iterables: Iterable, key: Callable[[Any], Any] | None = None, reverse: bool = False
) -> Iterator:
    """Merge sorted iterables into one sorted iterator, lazily, holding one item per input.

    Like ``sorted(itertools.chain(*iterables), key=key, reverse=reverse)``, and stable like it:
    among equal keys, items come in input order and, within an input, in their own order. Each
    input must already be sorted the same way (ascending, or descending with ``reverse=True``).

    A heap holds one entry per unfinished input: ``[value, order, next]``, or
    ``[key(value), order, value, next]`` with a key. ``order`` (the input's index, negated for
    ``reverse`` so that the max-heap still prefers earlier inputs) breaks ties before the
    uncomparable ``next`` is ever reached: that is what makes the merge stable (entries are
    compared field by field, and a field decides only when it is not ``==``, so items that tie
    must also be equal for ``order`` to decide, as with any tuple sort). The root entry is
    yielded, refilled from its input and sunk in place (``heapreplace``); an exhausted input's
    entry is popped; the last input left is simply drained.

    >>> list(merge([1, 3, 5], [2, 4], [], [0, 6]))
    [0, 1, 2, 3, 4, 5, 6]
    >>> list(merge(["dog", "horse"], ["cat", "fish", "kangaroo"], key=len))
    ['dog', 'cat', 'fish', 'horse', 'kangaroo']
    >>> list(merge([5, 3, 1], [4, 2], reverse=True))
    [5, 4, 3, 2, 1]
    """
    if key is not None and not callable(key):
        raise TypeError(f"key must be callable or None, got {type(key).__name__} {key!r}")
    reverse = check_bool("reverse", reverse)
    iterators = []
    for index, iterable in enumerate(iterables):
        try:
            iterators.append(iter(iterable))
        except TypeError:
            raise TypeError(
                f"iterables[{index}] must be iterable, got {type(iterable).__name__}"
            ) from None
    if reverse:
        return _merge(iterators, key, -1, _heapify_max, _pop_max, _replace_max)
    return _merge(iterators, key, 1, _heapify_min, _pop_min, _replace_min)


def _merge(iterators, key, direction, make_heap, pop, replace):
    entries = []
    if key is None:
        for order, it in enumerate(iterators):
            advance = it.__next__
            try:
                entries.append([advance(), order * direction, advance])
            except StopIteration:
                pass
        make_heap(entries)
        while len(entries) > 1:
            try:
                while True:
                    entry = entries[0]
                    yield entry[0]
                    entry[0] = entry[2]()  # StopIteration once this input is used up
                    replace(entries, entry)
            except StopIteration:
                pop(entries)
        if entries:
            value, _, advance = entries[0]
            yield value
            yield from advance.__self__
        return

    for order, it in enumerate(iterators):
        advance = it.__next__
        try:
            value = advance()
        except StopIteration:
            continue
        entries.append([key(value), order * direction, value, advance])
    make_heap(entries)
    while len(entries) > 1:
        try:
            while True:
                entry = entries[0]
                yield entry[2]
                value = entry[3]()
                entry[0] = key(value)
                entry[2] = value
                replace(entries, entry)
        except StopIteration:
            pop(entries)
    if entries:
        _, _, value, advance = entries[0]
        yield value
        yield from advance.__self__


# --- the n smallest / largest ----------------------------------------------------------------


def nsmallest(n: int, iterable: Iterable, key: Callable[[Any], Any] | None = None) -> list:
    """Return the ``n`` smallest items of ``iterable``: ``sorted(iterable, key=key)[:n]``.

    One pass, keeping the ``n`` smallest seen so far in a max-heap whose root is the largest of
    them: a new item costs a single comparison with that root unless it beats it, and then one
    ``heapreplace``. Entries are ``(item, order)`` or ``(key(item), order, item)``, the running
    ``order`` keeping the result stable and the items themselves out of tie-breaks. ``n == 1`` is
    ``min()``; ``n`` at least the length of a sized input is a plain sort; ``n <= 0`` gives ``[]``.

    >>> nsmallest(3, [7, 1, 8, 2, 9, 1])
    [1, 1, 2]
    >>> nsmallest(2, [(2, "b"), (1, "z"), (1, "a")], key=lambda pair: pair[0])
    [(1, 'z'), (1, 'a')]
    """
    n = _check_n(n, key)
    if n == 1:
        missing = object()
        best = min(iterable, default=missing, key=key)
        return [] if best is missing else [best]
    try:
        size = len(iterable)
    except (TypeError, AttributeError):
        pass
    else:
        if n >= size:
            return sorted(iterable, key=key)[:n]

    it = iter(iterable)
    if key is None:
        # range(n) goes first so that zip() does not draw an item it would then drop.
        kept = [(item, order) for order, item in zip(range(n), it)]
        if not kept:
            return kept
        _heapify_max(kept)
        worst = kept[0][0]
        order = n
        for item in it:
            if item < worst:
                _replace_max(kept, (item, order))
                worst = kept[0][0]
                order += 1
        kept.sort()
        return [item for item, _ in kept]

    kept = [(key(item), order, item) for order, item in zip(range(n), it)]
    if not kept:
        return kept
    _heapify_max(kept)
    worst = kept[0][0]
    order = n
    for item in it:
        item_key = key(item)
        if item_key < worst:
            _replace_max(kept, (item_key, order, item))
            worst = kept[0][0]
            order += 1
    kept.sort()
    return [item for _, _, item in kept]


def nlargest(n: int, iterable: Iterable, key: Callable[[Any], Any] | None = None) -> list:
    """Return the ``n`` largest items: ``sorted(iterable, key=key, reverse=True)[:n]``.

    The mirror of :func:`nsmallest`: a min-heap of the ``n`` largest so far, with the running
    order counting down so that, after the final descending sort, earlier items win ties.

    >>> nlargest(2, [7, 1, 8, 2, 9, 1])
    [9, 8]
    >>> nlargest(2, ["a", "ccc", "bb", "dd"], key=len)
    ['ccc', 'bb']
    """
    n = _check_n(n, key)
    if n == 1:
        missing = object()
        best = max(iterable, default=missing, key=key)
        return [] if best is missing else [best]
    try:
        size = len(iterable)
    except (TypeError, AttributeError):
        pass
    else:
        if n >= size:
            return sorted(iterable, key=key, reverse=True)[:n]

    it = iter(iterable)
    if key is None:
        kept = [(item, order) for order, item in zip(range(0, -n, -1), it)]
        if not kept:
            return kept
        _heapify_min(kept)
        worst = kept[0][0]
        order = -n
        for item in it:
            if worst < item:
                _replace_min(kept, (item, order))
                worst = kept[0][0]
                order -= 1
        kept.sort(reverse=True)
        return [item for item, _ in kept]

    kept = [(key(item), order, item) for order, item in zip(range(0, -n, -1), it)]
    if not kept:
        return kept
    _heapify_min(kept)
    worst = kept[0][0]
    order = -n
    for item in it:
        item_key = key(item)
        if worst < item_key:
            _replace_min(kept, (item_key, order, item))
            worst = kept[0][0]
            order -= 1
    kept.sort(reverse=True)
    return [item for _, _, item in kept]


# --- the sink, and its mirror image ----------------------------------------------------------
#
# Each sift (here and in the pushes) holds one item "in flight" while it moves others into the
# slot (the hole) the item left. If a comparison raises, the item goes back into the hole, so the
# list still holds every item. If a comparison changed the list's length, the positions computed
# so far mean nothing: RuntimeError, whatever the sift ran into first.


def _sink(heap, pos):
    """Bottom-up sift: promote the smaller child down to a leaf, then let the item rise there.

    ``heap[pos]``'s subtrees must be heaps already. The rise is the same loop as in
    :func:`heappush`, written out here to spare a call on the hottest path of every pop.
    """
    size = len(heap)
    top = pos
    item = heap[pos]
    child = 2 * pos + 1
    try:
        while child < size:
            right = child + 1
            # On equal children the right one moves up: this choice fixes the layout heapq makes.
            if right < size and not heap[child] < heap[right]:
                child = right
            heap[pos] = heap[child]
            pos = child
            child = 2 * pos + 1
        while pos > top:
            parent_pos = (pos - 1) >> 1
            parent = heap[parent_pos]
            if not item < parent:
                break
            heap[pos] = parent
            pos = parent_pos
        heap[pos] = item
    except BaseException as exc:
        if len(heap) != size:
            raise _resized(size, heap) from exc
        heap[pos] = item
        raise
    if len(heap) != size:
        raise _resized(size, heap)


def _sink_max(heap, pos):
    """:func:`_sink` for a max-heap: promote the larger child down to a leaf, then rise.

    Kept apart from :func:`_sink` for the reason given above the max-heap functions."""
    size = len(heap)
    top = pos
    item = heap[pos]
    child = 2 * pos + 1
    try:
        while child < size:
            right = child + 1
            if right < size and not heap[right] < heap[child]:
                child = right
            heap[pos] = heap[child]
            pos = child
            child = 2 * pos + 1
        while pos > top:
            parent_pos = (pos - 1) >> 1
            parent = heap[parent_pos]
            if not parent < item:
                break
            heap[pos] = parent
            pos = parent_pos
        heap[pos] = item
    except BaseException as exc:
        if len(heap) != size:
            raise _resized(size, heap) from exc
        heap[pos] = item
        raise
    if len(heap) != size:
        raise _resized(size, heap)


# --- private heaps of merge / nsmallest / nlargest -------------------------------------------
#
# These lists never leave this module and their entries cannot reach them, so they skip the
# type check; the sifts above still guard them.


def _heapify_min(x):
    for pos in range(len(x) // 2 - 1, -1, -1):
        _sink(x, pos)


def _heapify_max(x):
    for pos in range(len(x) // 2 - 1, -1, -1):
        _sink_max(x, pos)


def _pop_min(heap):
    last = heap.pop()
    if heap:
        heap[0] = last
        _sink(heap, 0)


def _pop_max(heap):
    last = heap.pop()
    if heap:
        heap[0] = last
        _sink_max(heap, 0)


def _replace_min(heap, item):
    heap[0] = item
    _sink(heap, 0)


def _replace_max(heap, item):
    heap[0] = item
    _sink_max(heap, 0)


# --- validation ------------------------------------------------------------------------------


# Every heap function starts with ``if type(heap) is not list: _check_list_subclass(...)``: the
# cheapest test for the common case, and the C module's rule (a list or a subclass; an object
# that only claims to be a list through ``__class__`` is not one).
def _check_list_subclass(name, value):
    if not issubclass(type(value), list):
        raise TypeError(f"{name} must be a list, got {type(value).__name__}")


def _check_n(n, key):
    if key is not None and not callable(key):
        raise TypeError(f"key must be callable or None, got {type(key).__name__} {key!r}")
    return check_int("n", n)


def _resized(size, heap):
    return RuntimeError(
        f"heap changed size during a comparison: {size} items before, {len(heap)} after"
    )
