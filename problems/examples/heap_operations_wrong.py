"""A textbook heap: valid after every operation, but its top-down sift stops early and prefers
the left child on ties, so its layout is not always the one ``heapq`` leaves."""


def heapify(x):
    for parent in reversed(range(len(x) // 2)):
        _sift_down(x, parent)


def heappush(heap, item):
    heap.append(item)
    pos = len(heap) - 1
    while pos > 0 and heap[pos] < heap[(pos - 1) // 2]:
        parent = (pos - 1) // 2
        heap[pos], heap[parent] = heap[parent], heap[pos]
        pos = parent


def heappop(heap):
    last = heap.pop()
    if not heap:
        return last
    smallest, heap[0] = heap[0], last
    _sift_down(heap, 0)
    return smallest


def _sift_down(heap, pos):
    end = len(heap)
    while True:
        child = 2 * pos + 1
        if child >= end:
            return
        if child + 1 < end and heap[child + 1] < heap[child]:
            child += 1
        if not heap[child] < heap[pos]:
            return
        heap[pos], heap[child] = heap[child], heap[pos]
        pos = child
