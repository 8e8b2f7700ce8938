"""N-gram counting over integer token ids: ``count_ngrams_array`` beside what a user would write.

Input: ``size`` ids from a vocabulary of 50 000 (int64), drawn uniformly or Zipfian (probability
proportional to ``1 / rank**1.1``, as words of real text: ``Counter`` meets far fewer distinct
grams there), as a numpy array for ours and as a Python list of ints for the pure-Python
baselines (converted in setup, not timed).

- ``time_counter_zip``: ``Counter(zip(ids, ids[1:], ...))`` on the list, the usual one-liner.
- ``time_count_ngrams``: this package's readable ``count_ngrams`` (``Counter`` over a lazy
  window of tuples), for scale.
- ``time_np_unique_rows``: ``np.unique`` over the windows as rows, the numpy one-liner (a
  comparison sort, whose speed varies between machines more than a radix sort's).
- ``track_speedup_over_counter_zip``: ``Counter`` time over ours, the median of alternating runs
  in one process, so the asv history shows the distance to the goal over commits.
- ``CountNGramsVersusSklearn.time_sklearn``: scikit-learn's ``CountVectorizer(ngram_range=(n,
  n))`` over the ids written as one whitespace-separated document (the text is built in setup);
  skipped where scikit-learn is not installed.

Target: ``time_ours`` at least 25x faster than ``time_counter_zip`` at 10**6 and 10**7, n = 2, 3,
for both distributions.
"""

from collections import Counter

import numpy as np

from algos.ngram import count_ngrams, count_ngrams_array

from ._ratio import median_ratio

VOCABULARY = 50_000


def _token_ids(size, distribution="uniform"):
    rng = np.random.default_rng(0)
    if distribution == "uniform":
        return rng.integers(0, VOCABULARY, size, dtype=np.int64)
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.1
    return rng.choice(VOCABULARY, size, p=weights / weights.sum()).astype(np.int64)


class CountNGramsArray:
    params = ([10**6, 10**7], [2, 3], ["uniform", "zipf"])
    param_names = ["size", "n", "ids"]
    timeout = 600
    number = 1

    def setup(self, size, n, ids):
        self.ids = _token_ids(size, ids)
        self.tokens = self.ids.tolist()
        self.n = n
        count_ngrams_array(self.ids[:1000], n)  # compile the numba kernel outside the timing

    def time_ours(self, size, n, ids):
        count_ngrams_array(self.ids, n)

    def time_counter_zip(self, size, n, ids):
        self._counter_zip()

    def time_count_ngrams(self, size, n, ids):
        count_ngrams(self.tokens, n)

    def time_np_unique_rows(self, size, n, ids):
        np.unique(np.lib.stride_tricks.sliding_window_view(self.ids, n), axis=0, return_counts=True)

    def track_speedup_over_counter_zip(self, size, n, ids):
        return median_ratio(self._counter_zip, lambda: count_ngrams_array(self.ids, n), 5)

    track_speedup_over_counter_zip.unit = "x"

    def _counter_zip(self):
        return Counter(zip(*[self.tokens[i:] for i in range(self.n)]))


class CountNGramsNarrowIds:
    """Small dtypes and a huge id range (the lexsort fallback) beside the packed-key path."""

    params = ([10**6], ["uint16", "int32", "int64-huge"], [2, 3])
    param_names = ["size", "ids", "n"]
    number = 1

    def setup(self, size, ids, n):
        if ids == "int64-huge":
            # Ids spread over all of int64 need 64 bits each: no packing, np.lexsort on the rows.
            rng = np.random.default_rng(0)
            info = np.iinfo(np.int64)
            words = rng.integers(info.min, info.max, VOCABULARY, dtype=np.int64)
            self.ids = words[_token_ids(size)]
        else:
            self.ids = _token_ids(size).astype(ids)
        self.tokens = self.ids.tolist()
        count_ngrams_array(self.ids[:1000], n)

    def time_ours(self, size, ids, n):
        count_ngrams_array(self.ids, n)

    def time_counter_zip(self, size, ids, n):
        Counter(zip(*[self.tokens[i:] for i in range(n)]))

    def track_speedup_over_counter_zip(self, size, ids, n):
        return median_ratio(
            lambda: Counter(zip(*[self.tokens[i:] for i in range(n)])),
            lambda: count_ngrams_array(self.ids, n),
            5,
        )

    track_speedup_over_counter_zip.unit = "x"


class CountNGramsVersusSklearn:
    # CountVectorizer needs about 20 s for 10**6 ids already; 10**7 would take minutes per sample.
    params = ([10**5, 10**6], [2, 3])
    param_names = ["size", "n"]
    timeout = 600
    number = 1

    def setup(self, size, n):
        try:
            from sklearn.feature_extraction.text import CountVectorizer
        except ImportError as exc:
            raise NotImplementedError("scikit-learn is not installed") from exc
        self.ids = _token_ids(size)
        self.text = " ".join(map(str, self.ids.tolist()))
        # Default token_pattern drops one-character tokens; ids of any length are words here.
        self.vectorizer = CountVectorizer(ngram_range=(n, n), token_pattern=r"\d+", lowercase=False)
        count_ngrams_array(self.ids[:1000], n)

    def time_ours(self, size, n):
        count_ngrams_array(self.ids, n)

    def time_sklearn(self, size, n):
        self.vectorizer.fit_transform([self.text])

    def track_speedup_over_sklearn(self, size, n):
        return median_ratio(
            lambda: self.vectorizer.fit_transform([self.text]),
            lambda: count_ngrams_array(self.ids, n),
            3,
        )

    track_speedup_over_sklearn.unit = "x"
