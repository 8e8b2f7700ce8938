"""N-grams: overlapping windows of a sequence, counting them, and a smoothed language model.

Problem. An *n-gram* of a sequence ``s`` is a window ``(s[i], ..., s[i+n-1])``; a sequence of
length ``L`` has ``max(L - n + 1, 0)`` of them. Counting them is the first step of most text
statistics: language models, near-duplicate detection, fuzzy string matching.

Invariant of the counters: ``sum(counts) == max(L - n + 1, 0)``, and every window is counted in
exactly one row (``count_ngrams``: one key of a ``Counter``; ``count_ngrams_array``: one row of
``grams``, rows unique and sorted lexicographically).

Complexity. ``ngrams`` is lazy and holds one window (``O(n)`` memory; a sequence shorter than a
gram is read whole, and its padded windows are built from counts of padding, so a huge ``n`` with
no window costs nothing), ``count_ngrams`` takes
``O(L n)`` time. ``count_ngrams_array`` packs the ``n`` ids of a window into one 32- or 64-bit key
when ``n * bits(max - min) <= 64`` and groups equal keys without comparing them: when the keys
have at most 22 bits and there are at most four possible keys per window, a counter per possible
key (one pass); otherwise an LSD radix sort of the ``L`` keys on digits of 10 or 11 bits
(about ``n * bits / 10`` stable scatter passes, ``O(L)`` for a fixed key width, whatever the
ids' distribution and however fast the machine's comparison sort is), then one numba pass that
counts runs of equal keys and unpacks each distinct key into its row. Wider grams pack the
ranks of the ids among the distinct ids instead, and if even those are too wide, fall back to a
lexicographic sort of the windows (``np.lexsort``, still vectorised).

``NGramModel`` is an n-gram language model with maximum-likelihood, add-k or interpolated
Kneser-Ney estimates; ``ngram_similarity`` is the Dice coefficient of two strings' character
n-gram multisets.

>>> list(ngrams("abcd", 2))
[('a', 'b'), ('b', 'c'), ('c', 'd')]
>>> count_ngrams(["to", "be", "or", "not", "to", "be"], 2)[("to", "be")]
2
"""

import math
import random
from collections import Counter, deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from typing import Any

import numba
import numpy as np

from algos._validate import (
    check_bool,
    check_finite_real,
    check_hashable,
    check_int,
    check_int_array,
    is_array,
)

__all__ = ["NGramModel", "count_ngrams", "count_ngrams_array", "ngram_similarity", "ngrams"]


# --- readable solution ----------------------------------------------------------------------


def ngrams(
    seq: Iterable,
    n: int,
    *,
    pad_left: bool = False,
    pad_right: bool = False,
    pad_symbol: Any = None,
) -> Iterator[tuple]:
    """Yield the n-grams of ``seq`` as tuples, lazily (``seq``: any iterable, generators too).

    Padding follows ``nltk.ngrams``: ``pad_left`` puts ``n - 1`` copies of ``pad_symbol`` before
    the sequence, ``pad_right`` ``n - 1`` copies after it, so every item starts and ends a gram.
    A sequence shorter than ``n`` (after padding) yields nothing. Every gram is a tuple of ``n``
    items, so ``n`` is bounded by memory only where a gram exists.

    >>> list(ngrams([1, 2, 3], 2, pad_left=True, pad_right=True, pad_symbol=0))
    [(0, 1), (1, 2), (2, 3), (3, 0)]
    >>> list(ngrams("ab", 3))
    []
    """
    n = check_int("n", n, minimum=1)
    pad_left = check_bool("pad_left", pad_left)
    pad_right = check_bool("pad_right", pad_right)
    try:
        items = iter(seq)
    except TypeError:
        raise TypeError(f"seq must be iterable, got {type(seq).__name__}") from None
    # Arguments are checked here, before the first next(): the windows come from a generator.
    return _iter_windows(items, n, pad_left, pad_right, pad_symbol)


def count_ngrams(tokens: Iterable[Hashable], n: int) -> Counter:
    """Count the n-grams of ``tokens``: a ``Counter`` from gram (a tuple) to its count.

    >>> count_ngrams("banana", 2)
    Counter({('a', 'n'): 2, ('n', 'a'): 2, ('b', 'a'): 1})
    """
    return Counter(ngrams(tokens, n))


def ngram_similarity(a: str, b: str, n: int = 2) -> float:
    """Dice coefficient of the character n-gram multisets of two strings, in ``[0, 1]``.

    ``2 * |A & B| / (|A| + |B|)``, where ``A`` and ``B`` are the multisets (``Counter``) of the
    ``n``-character substrings of ``a`` and ``b`` and ``&`` keeps the smaller count of each gram.
    Equal strings give ``1.0`` (two equal strings shorter than ``n`` included); two different
    strings that have no n-gram in common give ``0.0`` (so does a string shorter than ``n``
    against a different one: it has no n-grams at all). No padding is added.

    >>> ngram_similarity("night", "nacht")   # ni ig gh ht / na ac ch ht: one shared of 4 + 4
    0.25
    >>> ngram_similarity("abab", "ab")        # {ab: 2, ba: 1} & {ab: 1} = {ab: 1}: 2 * 1 / (3 + 1)
    0.5
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    n = check_int("n", n, minimum=1)
    if a == b:
        return 1.0
    grams_a = Counter(a[i : i + n] for i in range(len(a) - n + 1))
    grams_b = Counter(b[i : i + n] for i in range(len(b) - n + 1))
    total = grams_a.total() + grams_b.total()
    if total == 0:
        return 0.0
    return 2 * (grams_a & grams_b).total() / total


# --- fast form: integer ids ------------------------------------------------------------------


def count_ngrams_array(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Count the n-grams of a 1-D integer array: ``(grams, counts)``, rows sorted lexicographically.

    ``grams`` has shape ``(m, n)`` and the dtype of ``ids``, one row per distinct gram, in
    increasing lexicographic order; ``counts`` (int64) says how often each occurs. The same
    counts as ``count_ngrams(ids.tolist(), n)``.

    Each id is offset by ``min(ids)`` so it is a non-negative number of ``bits = bit_length(max -
    min)`` bits, and a gram becomes one key ``id_0 << (n-1)*bits | ... | id_{n-1}``: the
    keys sort in the lexicographic order of the grams, so grouping equal keys in increasing
    order counts everything: a counter per possible key when there are few possible keys (at most
    ``2**22`` and at most four per window), else a radix sort of the keys, then a scan for runs
    of equal keys. Grams that need more than 64 bits (ids far apart, or a large ``n``) are packed
    from the ids' ranks among the distinct ids instead (``np.unique``), and when even those do
    not fit, the rows are sorted with ``np.lexsort``.

    >>> grams, counts = count_ngrams_array(np.array([3, -1, 3, -1, 3]), 2)
    >>> grams.tolist(), counts.tolist()
    ([[-1, 3], [3, -1]], [2, 2])
    """
    n = check_int("n", n, minimum=1)
    ids = _check_id_array(ids)
    m = ids.size - n + 1
    if m <= 0:
        return np.empty((0, n), dtype=ids.dtype), np.empty(0, dtype=np.int64)
    low = int(ids.min())
    bits = (int(ids.max()) - low).bit_length()
    if n * bits <= 64:
        grams, counts = _count_packed(ids, n, low, bits)
        # The kernel adds low back modulo 2**64; the cast wraps to the original signed id.
        if ids.dtype.itemsize == 8 and ids.dtype.isnative:
            return grams.view(ids.dtype), counts
        return grams.astype(ids.dtype), counts
    # Ids too far apart to pack (hashes, say) may still be few: replace each by its rank among
    # the distinct ids, which keeps the order, and pack the ranks: one sort of 8-byte keys in
    # place of a lexsort over n columns (benchmarks/bench_ngram.py times both).
    values, ranks = np.unique(ids, return_inverse=True)
    bits = (values.size - 1).bit_length()
    if n * bits <= 64:
        grams, counts = _count_packed(ranks, n, 0, bits)
        return values[grams], counts
    windows = np.lib.stride_tricks.sliding_window_view(ids, n)
    # lexsort sorts by its last key first, so the first column goes last.
    ordered = windows[np.lexsort(windows.T[::-1])]
    first, counts = _runs(np.any(ordered[1:] != ordered[:-1], axis=1))
    return ordered[first], counts


# --- language model ---------------------------------------------------------------------------


class NGramModel:
    """An n-gram language model: ``P(word | the n - 1 words before it)``.

    ``fit(sentences)`` takes sentences as lists of tokens (any hashable values). Each sentence is
    padded with ``n - 1`` start markers ``"<s>"`` on the left and one end marker ``"</s>"`` on the
    right, and every token and the end marker is a prediction from the ``n - 1`` tokens before it.

    Vocabulary: the training tokens, then ``"</s>"`` and ``"<unk>"``, in that order
    (``vocabulary``). A word or context token outside it is read as ``"<unk>"``. ``"<s>"`` is only
    ever context, never a prediction, and is not in the vocabulary; the markers ``"<s>"`` and
    ``"</s>"`` may not occur inside a sentence. ``prob(word, context)`` sums to 1 over the
    vocabulary for every context. The context is the words before ``word``: its last ``n - 1``
    tokens are used, and a shorter context is the start of a sentence (padded with ``"<s>"``).

    Smoothing:

    - ``"mle"``: relative frequency ``c(h, w) / c(h)``. For a context ``h`` never seen in
      training, the longest suffix of ``h`` that was seen is used instead (down to the unigram
      frequencies). Unseen words get probability 0, ``"<unk>"`` included.
    - ``"add-k"``: ``(c(h, w) + k) / (c(h) + k |V|)``; an unseen context gives the uniform
      ``1 / |V|``.
    - ``"kneser-ney"`` (default): interpolated Kneser-Ney with absolute discount ``D``
      (``discount``, 0.75 by default)::

          P(w | h) = max(c(h, w) - D, 0) / c(h) + D * N1+(h .) / c(h) * P'(w | h[1:])

      where ``c`` is the raw count at the highest order and the continuation count (the number of
      distinct words seen before the gram) at lower orders, ``N1+(h .)`` the number of distinct
      words seen after ``h``, and ``P'`` the same formula one order down; an unseen context gives
      ``P'`` alone. Below the unigrams sits the uniform ``1 / |V|``, so every word of the
      vocabulary, ``"<unk>"`` included, has a positive probability.

    ``c(h)`` is the number of training predictions made from context ``h``.

    >>> model = NGramModel(2, smoothing="mle").fit([["a", "b"], ["a"]])
    >>> model.vocabulary
    ('a', 'b', '</s>', '<unk>')
    >>> model.prob("b", ["a"]), model.prob("</s>", ["a"]), model.prob("a", [])
    (0.5, 0.5, 1.0)
    >>> round(model.perplexity([["a", "b"]]), 6)   # (P(a | <s>) P(b | a) P(</s> | b)) ** (-1 / 3)
    1.259921
    """

    BOS = "<s>"
    EOS = "</s>"
    UNK = "<unk>"

    def __init__(
        self, n: int, *, smoothing: str = "kneser-ney", k: float = 1.0, discount: float = 0.75
    ) -> None:
        self.n = check_int("n", n, minimum=1)
        if smoothing not in _SMOOTHINGS:
            choices = ", ".join(map(repr, _SMOOTHINGS))
            raise ValueError(f"smoothing must be one of {choices}, got {smoothing!r}")
        self.smoothing = smoothing
        self.k = check_finite_real("k", k)
        if smoothing == "add-k" and not self.k > 0:
            raise ValueError(f"k must be > 0 for add-k smoothing, got {k!r}")
        self.discount = check_finite_real("discount", discount)
        if not 0 < self.discount <= 1:
            raise ValueError(f"discount must satisfy 0 < discount <= 1, got {discount!r}")
        self._tables = None

    def fit(self, sentences: Iterable[Iterable[Hashable]]) -> "NGramModel":
        """Count the training sentences (lists of tokens), replacing an earlier fit; return self."""
        sentences = self._checked_sentences(sentences)
        if not sentences:
            raise ValueError("sentences must hold at least one sentence, got none")
        vocabulary = dict.fromkeys(chain.from_iterable(sentences))
        vocabulary.update(dict.fromkeys((self.EOS, self.UNK)))
        self._vocabulary = tuple(vocabulary)
        self._index = {word: i for i, word in enumerate(self._vocabulary)}
        top = Counter(chain.from_iterable(self._padded_ngrams(s) for s in sentences))
        # _tables[m] maps a context of m - 1 tokens to a Counter of the words that followed it.
        self._tables = {self.n: _group_by_context(top)}
        grams = top
        for order in range(self.n - 1, 0, -1):
            suffixes = Counter()
            for gram, count in grams.items():
                # Kneser-Ney: one per distinct word before the suffix, so each gram type adds 1.
                suffixes[gram[1:]] += 1 if self.smoothing == "kneser-ney" else count
            self._tables[order] = _group_by_context(suffixes)
            grams = suffixes
        self._totals = {
            order: {context: followers.total() for context, followers in table.items()}
            for order, table in self._tables.items()
        }
        return self

    @property
    def vocabulary(self) -> tuple:
        """The predicted words: training tokens (first-seen order), ``"</s>"``, ``"<unk>"``."""
        self._check_fitted("vocabulary")
        return self._vocabulary

    def prob(self, word: Hashable, context: Sequence[Hashable] = ()) -> float:
        """``P(word | context)``; unknown words and context tokens are read as ``"<unk>"``."""
        self._check_fitted("prob")
        return self._prob(self._known(word, "word"), self._context(context))

    def logprob(self, word: Hashable, context: Sequence[Hashable] = ()) -> float:
        """Natural logarithm of :meth:`prob`; ``-inf`` where the probability is 0."""
        p = self.prob(word, context)
        return math.log(p) if p > 0 else -math.inf

    def perplexity(self, sentences: Iterable[Iterable[Hashable]]) -> float:
        """``exp(-mean log P)`` over every prediction of the sentences, end markers included.

        ``inf`` when some prediction has probability 0 (possible only with ``"mle"``).
        """
        self._check_fitted("perplexity")
        sentences = self._checked_sentences(sentences)
        if not sentences:
            raise ValueError("sentences must hold at least one sentence, got none")
        total, count = 0.0, 0
        for sentence in sentences:
            for gram in self._padded_ngrams([self._known(token) for token in sentence]):
                p = self._prob(gram[-1], gram[:-1])
                if p == 0:
                    return math.inf
                total += math.log(p)
                count += 1
        return math.exp(-total / count)

    def generate(self, num_words: int, *, seed: int | None = None) -> list:
        """Sample one sentence of at most ``num_words`` words, reproducibly for a given ``seed``.

        Starts from the sentence-start context and draws each word from ``prob`` (never
        ``"<unk>"``: the other words' probabilities are renormalised). Stops at the end marker
        ``"</s>"``, which is not returned, or after ``num_words`` words.
        """
        self._check_fitted("generate")
        num_words = check_int("num_words", num_words, minimum=0)
        if seed is not None:
            seed = check_int("seed", seed)
        rng = random.Random(seed)
        candidates = [word for word in self._vocabulary if word != self.UNK]
        context = (self.BOS,) * (self.n - 1)
        words = []
        while len(words) < num_words:
            weights = [self._prob(word, context) for word in candidates]
            word = rng.choices(candidates, weights)[0]
            if word == self.EOS:
                break
            words.append(word)
            context = (context + (word,))[1:]
        return words

    # The estimators: context is a tuple of exactly n - 1 known tokens.

    def _prob(self, word, context):
        if self.smoothing == "kneser-ney":
            return self._kneser_ney(word, context)
        if self.smoothing == "add-k":
            followers = self._tables[self.n].get(context)
            seen = followers[word] if followers else 0
            total = self._totals[self.n].get(context, 0)
            return (seen + self.k) / (total + self.k * len(self._vocabulary))
        for order in range(self.n, 0, -1):  # mle: the longest suffix of the context seen
            suffix = context[len(context) - order + 1 :]
            followers = self._tables[order].get(suffix)
            if followers:
                return followers[word] / self._totals[order][suffix]
        raise AssertionError("the empty context is always seen after fit")

    def _kneser_ney(self, word, context):
        """The formula of the class docstring from the bottom up: each order interpolates with
        the one below it, so a loop from the uniform distribution to order n computes what the
        recursion from order n down would, without n levels of Python stack."""
        p = 1 / len(self._vocabulary)
        for order in range(1, self.n + 1):
            suffix = context[len(context) - order + 1 :]  # the last order - 1 tokens
            followers = self._tables[order].get(suffix)
            if followers:
                discounted = max(followers[word] - self.discount, 0)
                p = (discounted + self.discount * len(followers) * p) / self._totals[order][suffix]
        return p

    # Small helpers.

    def _padded_ngrams(self, sentence):
        return ngrams(chain(repeat(self.BOS, self.n - 1), sentence, (self.EOS,)), self.n)

    def _check_fitted(self, what):
        if self._tables is None:
            raise RuntimeError(f"NGramModel.{what} needs a fitted model: call fit(sentences) first")

    def _known(self, token, name=None):
        check_hashable(name or "token", token)
        if name == "word" and token == self.BOS:
            raise ValueError(f"word must not be the start marker {self.BOS!r}: it is not predicted")
        return token if token in self._index else self.UNK

    def _context(self, context):
        if isinstance(context, (str, bytes)) or not hasattr(context, "__iter__"):
            raise TypeError(f"context must be a sequence of tokens, got {type(context).__name__}")
        context = [token if token == self.BOS else self._known(token) for token in context]
        context = [self.BOS] * (self.n - 1) + context
        return tuple(context[len(context) - self.n + 1 :])

    def _checked_sentences(self, sentences):
        if isinstance(sentences, (str, bytes)) or not hasattr(sentences, "__iter__"):
            kind = type(sentences).__name__
            raise TypeError(f"sentences must be an iterable of token lists, got {kind}")
        checked = []
        for i, sentence in enumerate(sentences):
            if isinstance(sentence, (str, bytes)) or not hasattr(sentence, "__iter__"):
                kind = type(sentence).__name__
                raise TypeError(f"sentences[{i}] must be a sequence of tokens, got {kind}")
            sentence = list(sentence)
            for token in sentence:
                check_hashable(f"a token of sentences[{i}]", token)
                if token == self.BOS or token == self.EOS:
                    raise ValueError(
                        f"sentences[{i}] holds the marker {token!r}, which the model adds itself"
                    )
            checked.append(sentence)
        return checked


# --- small private helpers --------------------------------------------------------------------

_SMOOTHINGS = ("mle", "add-k", "kneser-ney")


def _iter_windows(items, n, pad_left, pad_right, pad_symbol):
    head = tuple(islice(items, n))
    if len(head) < n:
        # The whole sequence is shorter than a gram: no buffer of n is filled pad by pad.
        yield from _short_windows(head, n, pad_left, pad_right, pad_symbol)
        return
    # The sequence holds a full gram, so the n - 1 pads cost no more than reading it.
    if pad_left:
        pads = (pad_symbol,) * (n - 1)
        for i in range(n - 1):
            yield pads[i:] + head[: i + 1]
    window = deque(head, maxlen=n)
    yield head
    for item in items:
        window.append(item)
        yield tuple(window)
    if pad_right:
        for _ in range(n - 1):
            window.append(pad_symbol)
            yield tuple(window)


def _short_windows(head, n, pad_left, pad_right, pad_symbol):
    """The windows of ``pads + head + pads`` for a sequence ``head`` shorter than ``n``, each built
    from how many pads it holds on either side."""
    left = n - 1 if pad_left else 0
    length = left + len(head) + (n - 1 if pad_right else 0)
    for start in range(length - n + 1):
        lo = max(0, start - left)
        hi = min(len(head), start + n - left)
        before = max(0, left - start)
        after = n - before - (hi - lo)
        yield (pad_symbol,) * before + head[lo:hi] + (pad_symbol,) * after


def _check_id_array(ids):
    if not is_array(ids):
        raise TypeError(
            f"ids must be a numpy array of integers, got {type(ids).__name__}"
            " (count_ngrams takes any sequence)"
        )
    return check_int_array("ids", ids)


def _count_packed(ids, n, low, bits):
    """Distinct grams (each id minus low, plus low again modulo 2**64, as uint64) and counts."""
    key_bits = n * bits
    # Half-width keys when they suffice (bigrams of a 65 536-word vocabulary): every pass moves
    # half the bytes.
    key_dtype = np.uint32 if key_bits <= 32 else np.uint64
    size = ids.size - n + 1
    wrapped_low = np.uint64(low % 2**64)
    if key_bits <= _DIRECT_MAX_BITS and 1 << key_bits <= _DIRECT_MAX_SLOTS_PER_KEY * size:
        # So few possible keys that a counter per key is cheaper than any sort: one pass to
        # count, one over the counters to list the keys that occur, already in order.
        keys, _ = _packed_keys(ids, n, low, bits, key_dtype, 0)
        tally = np.zeros(1 << key_bits, dtype=np.int64)
        distinct = _tally_keys(keys, tally)
        grams = np.empty((distinct, n), dtype=np.uint64)
        counts = np.empty(distinct, dtype=np.int64)
        _fill_grams_of_tally(tally, bits, wrapped_low, grams, counts)
        return grams, counts
    keys = _radix_sorted(*_packed_keys(ids, n, low, bits, key_dtype, key_bits))
    # Outputs are allocated by numpy, not inside the kernel: numpy asks for transparent huge
    # pages on large arrays, where the kernel's own allocation would first-touch 4 KiB pages.
    distinct = _count_distinct(keys)
    grams = np.empty((distinct, n), dtype=np.uint64)
    counts = np.empty(distinct, dtype=np.int64)
    _fill_grams_of_sorted_keys(keys, bits, wrapped_low, grams, counts)
    return grams, counts


# Direct counting: a table of 2**key_bits int64 counters, at most 2**22 of them (32 MiB) and at
# most 4 per key counted, so the table never costs more to clear and scan than the keys to read.
_DIRECT_MAX_BITS = 22
_DIRECT_MAX_SLOTS_PER_KEY = 4
# LSD radix sort: digits of at most 11 bits for 4-byte keys and 10 for 8-byte keys, so a pass
# scatters into at most 2048 or 1024 buckets whose open cache lines stay near L1; with wider
# digits a pass costs more than the pass it saves (benchmarks/bench_ngram.py times whole counts).
_RADIX_MAX_DIGIT_BITS = {4: 11, 8: 10}


def _radix_digits(key_bits, key_bytes):
    """``(passes, digit_bits)`` of the LSD radix sort of ``key_bits``-bit keys."""
    passes = max(1, -(-key_bits // _RADIX_MAX_DIGIT_BITS[key_bytes]))
    return passes, -(-key_bits // passes)


def _radix_sorted(keys, histograms):
    """``keys`` sorted, by an LSD radix sort on digits of ``log2(histograms.shape[1])`` bits.

    ``histograms[p, d]`` will be how many keys have digit ``d`` in place ``p`` (least
    significant first); row 0 comes counted (:func:`_packed_keys`), and each scatter pass counts
    the next row while it reads the keys anyway (counts do not depend on the keys' order), so no
    pass over the keys only counts. One stable scatter pass per digit, skipped when all keys
    share that digit: cost ``O(L * key_bits)`` whatever the distribution of the keys, where a
    comparison sort costs ``O(L log L)``. Returns ``keys`` itself or the scratch array, whichever
    holds the result."""
    if keys.size < 2:
        return keys
    passes = histograms.shape[0]
    digit_bits = histograms.shape[1].bit_length() - 1
    scratch = np.empty_like(keys)
    source, target = keys, scratch
    counted = 1  # rows of histograms counted so far
    for p in range(passes):
        if counted == p:  # the pass before was skipped and counted nothing
            _count_digit(source, p * digit_bits, digit_bits, histograms[p])
            counted += 1
        if histograms[p].max() == keys.size:  # every key has the same digit here: stays put
            continue
        # The row after the last is a dummy that is counted and never read.
        following = histograms[p + 1] if p + 1 < passes else np.zeros_like(histograms[p])
        _scatter_by_digit(source, target, p * digit_bits, digit_bits, histograms[p], following)
        counted += 1
        source, target = target, source
    return source


@numba.njit(cache=True)
def _count_digit(keys, shift, digit_bits, counts):
    # A digit is below 2**digit_bits = len(counts): in range.
    mask = (np.uint64(1) << np.uint64(digit_bits)) - np.uint64(1)
    s = np.uint64(shift)
    for i in range(keys.size):
        counts[(np.uint64(keys[i]) >> s) & mask] += 1


@numba.njit(cache=True)
def _scatter_by_digit(source, target, shift, digit_bits, histogram, following):
    """Stable scatter of ``source`` into ``target`` by the digit at ``shift``, counting the
    digit above it (at ``shift + digit_bits``) into ``following``."""
    # Bucket starts from the counts: every key lands in [0, len(source)), since the counts of
    # the digits sum to len(source) == len(target). Digits are below 2**digit_bits, the length
    # of both histograms.
    mask = (np.uint64(1) << np.uint64(digit_bits)) - np.uint64(1)
    position = np.empty(histogram.size, dtype=np.int64)
    total = 0
    for d in range(histogram.size):
        position[d] = total
        total += histogram[d]
    s = np.uint64(shift)
    s_next = np.uint64(shift + digit_bits)
    for i in range(source.size):
        key = source[i]
        d = (np.uint64(key) >> s) & mask
        target[position[d]] = key
        position[d] += 1
        following[(np.uint64(key) >> s_next) & mask] += 1


@numba.njit(cache=True)
def _tally_keys(keys, tally):
    """Count each key in its slot of ``tally`` (every key is below ``len(tally)``); return how
    many slots are occupied."""
    for i in range(keys.size):
        tally[keys[i]] += 1
    distinct = 0
    for slot in range(tally.size):
        distinct += tally[slot] != 0
    return distinct


@numba.njit(cache=True)
def _fill_grams_of_tally(tally, bits, low, grams, counts):
    """Row r of ``grams``: the r-th occupied slot unpacked (plus ``low``); ``counts[r]``: its
    count. ``len(grams)`` is the number of occupied slots (``_tally_keys``)."""
    row = 0
    for slot in range(tally.size):
        if tally[slot] == 0:
            continue
        _unpack_row(grams, row, np.uint64(slot), bits, low)
        counts[row] = tally[slot]
        row += 1


def _packed_keys(ids, n, low, bits, key_dtype, key_bits):
    """One key per window: the ids offset by ``low``, ``bits`` bits each, first id highest; and
    the histograms of the keys' radix digits for :func:`_radix_sorted` (none if ``key_bits`` is
    0), the lowest digit's counted here."""
    if ids.dtype.itemsize == 8 and ids.dtype.isnative and ids.flags.c_contiguous:
        # The kernel reads the ids as they are and subtracts low modulo 2**64 itself: no
        # array of offsets to allocate (its first touch costs as much as filling it).
        values, wrapped_low = ids, np.uint64(low % 2**64)
    else:
        # The ufunc casts ids to the key type modulo 2**32 or 2**64 and subtracts low (wrapped
        # the same way) in one buffered pass. Either way, since 0 <= id - low < 2**bits, the
        # result is exact for signed and unsigned dtypes alike.
        width = 8 * np.dtype(key_dtype).itemsize
        values = np.subtract(ids, key_dtype(low % 2**width), dtype=key_dtype, casting="unsafe")
        wrapped_low = np.uint64(0)
    keys = np.empty(ids.size - n + 1, dtype=key_dtype)
    passes, digit_bits = _radix_digits(key_bits, keys.itemsize) if key_bits else (0, 0)
    # 32-bit counters where they cannot overflow: all digits' counters then stay in L1.
    count_dtype = np.int32 if keys.size < 2**31 else np.int64
    histograms = np.zeros((passes, 1 << digit_bits), dtype=count_dtype)
    _pack_windows(values, wrapped_low, bits, keys, digit_bits, histograms)
    return keys, histograms


_PACK_CHUNK = 4096  # keys packed per chunk: built up id by id while they stay in L1


@numba.njit(cache=True)
def _pack_windows(values, low, bits, keys, digit_bits, histograms):
    # A chunk of keys at a time, one id of the window per pass over the chunk: each pass is a
    # shift and an or over contiguous values, which vectorises, where building one key at a time
    # does not. Each value minus low (uint64, wrapping) is below 2**bits. In range: i < len(keys)
    # = len(values) - n + 1 and j < n, so i + j < len(values).
    n = values.size - keys.size + 1
    shift = np.uint64(bits)
    cast = keys.dtype.type  # keys fit their type: n * bits bits
    for lo in range(0, keys.size, _PACK_CHUNK):
        chunk = keys[lo : min(lo + _PACK_CHUNK, keys.size)]
        first = values[lo : lo + chunk.size]
        for i in range(chunk.size):
            chunk[i] = cast(np.uint64(first[i]) - low)
        for j in range(1, n):
            later = values[lo + j : lo + j + chunk.size]
            for i in range(chunk.size):
                chunk[i] = cast((np.uint64(chunk[i]) << shift) | (np.uint64(later[i]) - low))
    # Row 0 only: the radix sort's scatter passes count the rows above as they go. A digit is
    # below 2**digit_bits = histograms.shape[1]: in range.
    if histograms.shape[0]:
        mask = (np.uint64(1) << np.uint64(digit_bits)) - np.uint64(1)
        counts = histograms[0]
        for i in range(keys.size):
            counts[np.uint64(keys[i]) & mask] += 1


@numba.njit(cache=True)
def _count_distinct(sorted_keys):
    distinct = 1
    for i in range(1, sorted_keys.size):
        distinct += sorted_keys[i] != sorted_keys[i - 1]
    return distinct


@numba.njit(cache=True)
def _fill_grams_of_sorted_keys(sorted_keys, bits, low, grams, counts):
    """Row r of ``grams``: the r-th distinct key unpacked (plus ``low``); ``counts[r]``: its run."""
    # One fused scan in place of a numpy chain (flatnonzero, diff, a shift and mask per column),
    # each a pass over the keys. Indices stay in range: ``row`` counts the distinct keys, which
    # is ``len(grams)`` (``_count_distinct`` of the same keys).
    row = 0
    start = 0
    for i in range(1, sorted_keys.size + 1):
        if i < sorted_keys.size and sorted_keys[i] == sorted_keys[i - 1]:
            continue
        _unpack_row(grams, row, np.uint64(sorted_keys[start]), bits, low)
        counts[row] = i - start
        row += 1
        start = i


@numba.njit(cache=True, inline="always")
def _unpack_row(grams, row, key, bits, low):
    """``grams[row]``: the ``n`` ids packed in ``key`` (``bits`` each, first id highest), each
    plus ``low`` modulo 2**64. Written out for n = 1, 2, 3, whose constant shifts make a far
    shorter loop body than the general case; ``key < 2**(n * bits)``, so the first id needs no
    mask, and ``bits <= 32`` wherever a shift by ``bits`` happens (``n >= 2``)."""
    n = grams.shape[1]
    if n == 1:
        grams[row, 0] = key + low
        return
    shift = np.uint64(bits)
    mask = (np.uint64(1) << shift) - np.uint64(1)
    if n == 2:
        grams[row, 0] = (key >> shift) + low
        grams[row, 1] = (key & mask) + low
    elif n == 3:
        grams[row, 0] = (key >> (shift + shift)) + low
        grams[row, 1] = ((key >> shift) & mask) + low
        grams[row, 2] = (key & mask) + low
    else:
        for j in range(n - 1, -1, -1):
            grams[row, j] = (key & mask) + low
            key >>= shift


def _runs(changes):
    """Start index and length of each run, given ``changes[i] = item[i + 1] != item[i]``."""
    first = np.flatnonzero(np.concatenate(([True], changes)))
    counts = np.diff(np.append(first, changes.size + 1)).astype(np.int64)
    return first, counts


def _group_by_context(grams):
    table = {}
    for gram, count in grams.items():
        table.setdefault(gram[:-1], Counter())[gram[-1]] = count
    return table
