"""The curriculum: for every problem its topic, difficulty, the problems it builds on, and hints.

One table, in learning order: easier problems first, and every problem after the problems it
builds on, so that ``python -m problems next`` (the first unsolved problem whose prerequisites
are solved) walks it from the top. The catalogue order of ``python -m problems list`` is left as
it is.

Hints come in tiers: the first names the idea, each later one gives away more, and the last is
nearly the code. ``explanation`` names the module whose docstring explains the solution
(``python -m problems solution ID`` shows it); ``solution`` names the module of the package's
reference solution written in the learner's own shape.

>>> from problems.curriculum import entry
>>> entry("lc239").topic, entry("lc239").difficulty
('sliding-window', 'hard')
>>> entry("knapsack-bounded").prerequisites
('knapsack-01', 'knapsack-complete')
"""

from dataclasses import dataclass

import problems

__all__ = ["DIFFICULTIES", "Entry", "curriculum", "entry", "topics"]

DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Entry:
    """What the curriculum says about one problem."""

    id: str
    topic: str
    difficulty: str
    prerequisites: tuple
    hints: tuple
    explanation: str
    solution: str


def _entry(id, topic, difficulty, prerequisites, explanation, hints, solution=None):
    return Entry(
        id,
        topic,
        difficulty,
        tuple(prerequisites),
        tuple(hints),
        explanation,
        solution or "problems.examples." + id.replace("-", "_"),
    )


_TABLE = (
    _entry(
        "ngram-counting",
        "counting",
        "easy",
        [],
        "algos.ngram",
        [
            "Every starting position i = 0, 1, ..., len(tokens) - n (the last one included) "
            "gives one n-gram; count them in a dictionary (or collections.Counter).",
            "A list cannot be a dictionary key, a tuple can: the key is tuple(tokens[i:i+n]).",
            "When len(tokens) < n, range(len(tokens) - n + 1) is empty, which is exactly the "
            "'no n-grams' case: no special branch is needed.",
            "return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))",
        ],
    ),
    _entry(
        "prefix-scan",
        "scan",
        "easy",
        [],
        "kernels.prefix_scan",
        [
            "Keep a running total under the operation, started from the operation's identity "
            "(0 for add, 1 for mul, -inf for max, inf for min).",
            "Inclusive and exclusive differ only in when you write: inclusive combines x[i] "
            "into the total and then writes it; exclusive writes the total first.",
            "A dictionary from op name to (identity, function) keeps one loop for all four "
            "operations; fill a new array from np.empty_like(x), never x itself.",
            "total = IDENTITY[op]\n"
            "for i, value in enumerate(x.tolist()):\n"
            "    if inclusive:\n"
            "        total = combine(total, value); out[i] = total\n"
            "    else:\n"
            "        out[i] = total; total = combine(total, value)",
        ],
    ),
    _entry(
        "combination-sum",
        "backtracking",
        "medium",
        [],
        "algos.combinations",
        [
            "Backtracking: build a combination one candidate at a time, and undo the choice "
            "after exploring it.",
            "To list each multiset once, build it in non-decreasing order: after taking "
            "candidates[i], the next choice starts at index i again (i, not i + 1: a candidate "
            "may repeat), never before it.",
            "Sort the candidates first: the first candidate larger than what is left ends the "
            "whole loop (break, not continue), which keeps the search small.",
            "def extend(start, remaining):\n"
            "    if remaining == 0: out.append(list(chosen)); return\n"
            "    for i in range(start, len(candidates)):\n"
            "        if candidates[i] > remaining: break\n"
            "        chosen.append(candidates[i]); extend(i, remaining - candidates[i]); "
            "chosen.pop()",
        ],
    ),
    _entry(
        "combination-sum-ii",
        "backtracking",
        "medium",
        ["combination-sum"],
        "algos.combinations",
        [
            "The same backtracking as combination-sum, but each position is used at most once, "
            "and equal values must not produce the same combination twice.",
            "Each position once: after taking candidates[i], the next choice starts at i + 1.",
            "No duplicates: sort, then at one level of the search skip a value equal to the one "
            "just tried there (i > start and candidates[i] == candidates[i - 1]); a deeper level "
            "may still take it.",
            "for i in range(start, len(candidates)):\n"
            "    if i > start and candidates[i] == candidates[i - 1]: continue\n"
            "    if candidates[i] > remaining: break\n"
            "    chosen.append(candidates[i]); extend(i + 1, remaining - candidates[i]); "
            "chosen.pop()",
        ],
    ),
    _entry(
        "knapsack-01",
        "dynamic-programming",
        "medium",
        [],
        "algos.knapsack",
        [
            "Dynamic programming over capacities: best[c] is the best value within capacity c "
            "using the items seen so far.",
            "Item (w, v) either stays out, best[c], or goes in on top of the best for c - w: "
            "best[c - w] + v. Take the larger.",
            "One array is enough if you walk c downwards, from capacity to w: best[c - w] then "
            "still excludes the current item, so no item is taken twice.",
            "best = [0] * (capacity + 1)\n"
            "for w, v in zip(weights, values):\n"
            "    for c in range(capacity, w - 1, -1):\n"
            "        best[c] = max(best[c], best[c - w] + v)",
        ],
    ),
    _entry(
        "knapsack-complete",
        "dynamic-programming",
        "medium",
        ["knapsack-01"],
        "algos.knapsack",
        [
            "The 0/1 knapsack table, with one change: an item may be taken again.",
            "The direction of the walk over capacities is the whole difference from the 0/1 "
            "knapsack.",
            "Walk c upwards, from w to capacity: best[c - w] may then already hold copies of the "
            "current item, which is exactly what unlimited copies allow.",
            "for w, v in zip(weights, values):\n"
            "    for c in range(w, capacity + 1):\n"
            "        best[c] = max(best[c], best[c - w] + v)",
        ],
    ),
    _entry(
        "heap-operations",
        "heap",
        "medium",
        [],
        "algos.heap",
        [
            "A binary heap in a list: node k has children 2k+1 and 2k+2 and parent (k-1)//2; "
            "every parent is no larger than its children.",
            "heappush appends and moves the item up while it is smaller than its parent; "
            "heapify sifts every parent down, from len(x)//2 - 1 to 0.",
            "To match heapq's layout, heappop must sift bottom-up: move the last item to the "
            "root, then move the smaller child up (the right one when they are equal) until a "
            "leaf is reached, put the item there, and move it up again.",
            "child = 2 * pos + 1\n"
            "while child < end:\n"
            "    if child + 1 < end and not heap[child] < heap[child + 1]: child += 1\n"
            "    heap[pos] = heap[child]; pos = child; child = 2 * pos + 1\n"
            "heap[pos] = item; sift_up(heap, start, pos)",
        ],
    ),
    _entry(
        "sliding-window-maximum",
        "sliding-window",
        "hard",
        [],
        "algos.sliding_window",
        [
            "A monotonic deque: keep the indices of values that may still become a window's "
            "maximum.",
            "A value with a larger (or equal) value after it in the window can never be a "
            "maximum again: drop it from the back of the deque when the larger value arrives. "
            "The values in the deque then decrease from front to back.",
            "The front is the window's maximum; drop it when it leaves the window (its index "
            "is <= i - k). Each index enters and leaves once: O(n) whatever k is.",
            "for i, x in enumerate(nums):\n"
            "    while window and nums[window[-1]] <= x: window.pop()\n"
            "    window.append(i)\n"
            "    if window[0] <= i - k: window.popleft()\n"
            "    if i >= k - 1: out.append(nums[window[0]])",
        ],
    ),
    _entry(
        "maximum-gap",
        "bucketing",
        "medium",
        [],
        "algos.max_gap",
        [
            "Sorting is O(n log n); buckets give O(n). Think pigeonhole.",
            "With n values over [lo, hi], the n - 1 gaps add up to hi - lo, so the largest gap "
            "is at least (hi - lo) / (n - 1). Buckets narrower than that never hold the largest "
            "gap inside one of them.",
            "Keep only each bucket's minimum and maximum; the answer is the largest step from "
            "one non-empty bucket's maximum to the next non-empty bucket's minimum.",
            "width = max(1, (hi - lo) // (n - 1)); count = (hi - lo) // width + 1\n"
            "for x in nums: b = (x - lo) // width; update mins[b], maxs[b]\n"
            "for b in range(count):\n"
            "    if mins[b] is not None: gap = max(gap, mins[b] - previous); previous = maxs[b]",
        ],
    ),
    _entry(
        "knapsack-bounded",
        "dynamic-programming",
        "hard",
        ["knapsack-01", "knapsack-complete"],
        "algos.knapsack",
        [
            "Turn the bounded knapsack into a 0/1 knapsack without making count copies of each "
            "item.",
            "Binary splitting: bundles of 1, 2, 4, ... copies and a remainder can make every "
            "number of copies from 0 to count, and there are only O(log count) of them.",
            "Each bundle of `take` copies is one 0/1 item of weight take * w and value take * v; "
            "run the downward 0/1 walk for it.",
            "size = 1\n"
            "while count > 0:\n"
            "    take = min(size, count); count -= take; size *= 2\n"
            "    for c in range(capacity, take * w - 1, -1):\n"
            "        best[c] = max(best[c], best[c - take * w] + take * v)",
        ],
    ),
    _entry(
        "online-softmax",
        "softmax",
        "medium",
        [],
        "kernels.online_softmax",
        [
            "Subtract the maximum before exp: exp(x - max(x)) has the same ratios and never "
            "overflows.",
            "Online: one pass keeps a running maximum m and a running sum s of exp(x[j] - m).",
            "When a new value exceeds m, the sum so far was taken against the old maximum: "
            "multiply it by exp(m_old - m_new), then add exp(0) = 1 for the new value.",
            "for value in x.tolist():\n"
            "    if value > m: s = s * math.exp(m - value) + 1.0; m = value\n"
            "    else: s += math.exp(value - m)\n"
            "return np.exp(x - m) / s",
        ],
    ),
    _entry(
        "linear-recurrence",
        "scan",
        "medium",
        ["prefix-scan"],
        "kernels.recurrence",
        [
            "A loop over t with one running state, as a prefix scan keeps a running total.",
            "Start the state at h0, not 0, and write each new state into a new float64 array.",
            "For the parallel form: each step is the affine map h -> a*h + b, and composing "
            "(a1, b1) then (a2, b2) gives (a2*a1, a2*b1 + b2), an associative operation to scan.",
            "h = np.empty_like(b); state = h0\n"
            "for t, (at, bt) in enumerate(zip(a.tolist(), b.tolist())):\n"
            "    state = at * state + bt; h[t] = state",
        ],
    ),
    _entry(
        "blocked-attention",
        "attention",
        "hard",
        ["online-softmax"],
        "kernels.blocked_attention",
        [
            "The online softmax of each query's row of scores, done a block of keys at a time, "
            "with the output carried along.",
            "Per query keep m (the running maximum score), total (the running normaliser) and "
            "out (the running output). A block's scores are (q @ k_block.T) / sqrt(D).",
            "When a block raises the maximum to m', rescale total and out by exp(m - m') before "
            "adding the block's exp(scores - m') and exp(scores - m') @ v_block. With "
            "causal=True, scores of keys j > i are -inf; a query with no key seen yet keeps "
            "m = -inf, so guard exp(-inf - -inf).",
            "new_m = np.maximum(m, scores.max(axis=1))\n"
            "safe = np.where(np.isinf(new_m), 0.0, new_m)  # no key seen yet\n"
            "rescale = np.exp(m - safe); p = np.exp(scores - safe[:, None])\n"
            "total = total * rescale + p.sum(axis=1)\n"
            "out = out * rescale[:, None] + p @ v[start:stop]\n"
            "m = new_m  # and at the end: return out / total[:, None]",
        ],
    ),
    _entry(
        "rope",
        "attention",
        "medium",
        ["online-softmax"],
        "kernels.rotary",
        [
            "Each pair of features is a point in the plane; rotate it by an angle that grows "
            "with the position and shrinks with the pair's index.",
            "Pair i is (x[..., 2i], x[..., 2i+1]) when interleaved, (x[..., i], x[..., i + D/2]) "
            "otherwise; its angle at position p is p * base ** (-2i / D).",
            "A rotation by theta maps (a, b) to (a cos theta - b sin theta, a sin theta + "
            "b cos theta). Compute in float64 and return x's dtype.",
            "theta = base ** (-np.arange(0, d, 2) / d)\n"
            "angle = positions[:, None].astype(np.float64) * theta[None, :]\n"
            "a, b = x[:, 0::2], x[:, 1::2]  # interleaved; x[:, : d // 2], x[:, d // 2 :] if not\n"
            "out[:, 0::2], out[:, 1::2] = a * cos - b * sin, a * sin + b * cos",
        ],
    ),
    _entry(
        "linear-attention",
        "attention",
        "hard",
        ["blocked-attention", "prefix-scan"],
        "kernels.kernelized_attention",
        [
            "Replace exp(q . k) by phi(q) . phi(k) with phi(x) = elu(x) + 1 > 0; then the sum "
            "over keys can be taken before the queries: phi(Q) (phi(K)^T V).",
            "Each output row is divided by phi(q_i) . sum_j phi(k_j), over the keys it sees.",
            "Causal: carry S = sum_j phi(k_j) v_j^T and z = sum_j phi(k_j) along t, a prefix "
            "scan of (D x Dv, D) states; row t is phi(q_t) S_t / phi(q_t) . z_t.",
            "fq, fk = _phi(q), _phi(k)\n"
            "if not causal:\n"
            "    return (fq @ (fk.T @ v)) / (fq @ fk.sum(axis=0))[:, None]\n"
            "states = state + np.cumsum(fk[c0:c1, :, None] * v[c0:c1, None, :], axis=0)  # a chunk",
        ],
    ),
    _entry(
        "selective-scan",
        "scan",
        "hard",
        ["linear-recurrence"],
        "kernels.state_space",
        [
            "It is a linear recurrence per (batch, channel, state): h = a h + b with "
            "a = exp(delta_t A) and b = delta_t B_t u_t, read out by C_t.",
            "Loop over t keeping h of shape (dim, N); y_t = sum_n C_t[n] h[:, n], plus "
            "D u_t when D is given.",
            "exp(delta A) with A <= 0 only decays: a large delta * A gives exp(-inf) = 0, never "
            "NaN, as long as you do not form 0 * inf.",
            "for t in range(length):\n"
            "    dt = delta[:, t, None]\n"
            "    h = np.exp(dt * A) * h + dt * B[None, :, t] * u[:, t, None]\n"
            "    y[:, t] = h @ C[:, t]",
        ],
    ),
)


def curriculum():
    """Every catalogue problem's entry, in learning order.

    A problem that the table does not list yet (a newly added one) comes last, in catalogue
    order, with its family as topic, difficulty ``"unrated"``, no prerequisites and no hints.
    """
    ids = {p.id for p in problems.catalog()}
    listed = {e.id for e in _TABLE}
    known = [e for e in _TABLE if e.id in ids]
    extra = [
        Entry(p.id, "other", "unrated", (), (), "", "")
        for p in problems.catalog()
        if p.id not in listed
    ]
    return known + extra


def entry(problem_id):
    """The entry of one problem (an id or alias, as :func:`problems.get` takes)."""
    problem = problems.get(problem_id)
    for e in curriculum():
        if e.id == problem.id:
            return e
    raise AssertionError(problem.id)  # pragma: no cover - curriculum() covers the catalogue


def topics():
    """The topics, in the order they first appear in the curriculum."""
    return list(dict.fromkeys(e.topic for e in curriculum()))
