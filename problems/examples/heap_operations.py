"""heapify, heappush and heappop with CPython's algorithms: the same layout as ``heapq``."""


def heapify(x):
    """Sift down every parent, from the last one to the root: O(n)."""
    for parent in reversed(range(len(x) // 2)):
        _sift_to_leaf(x, parent)


def heappush(heap, item):
    heap.append(item)
    _sift_up(heap, 0, len(heap) - 1)


def heappop(heap):
    last = heap.pop()  # IndexError on an empty heap, as heapq
    if not heap:
        return last
    smallest, heap[0] = heap[0], last
    _sift_to_leaf(heap, 0)
    return smallest


def _sift_up(heap, start, pos):
    """Move heap[pos] up while it is smaller than its parent (CPython's ``_siftdown``)."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        if item < heap[parent]:
            heap[pos] = heap[parent]
            pos = parent
            continue
        break
    heap[pos] = item


def _sift_to_leaf(heap, pos):
    """Bottom-up: move the smaller child up to a leaf, then the item back up (``_siftup``)."""
    end, start, item = len(heap), pos, heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right  # equal children: the right one, as CPython
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_up(heap, start, pos)
