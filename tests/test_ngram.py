import math
from collections import Counter
from itertools import count, islice

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from algos.ngram import NGramModel, count_ngrams, count_ngrams_array, ngram_similarity, ngrams

# --- strategies, built once -------------------------------------------------------------------

small_ints = st.lists(st.integers(-3, 3), max_size=30)
orders = st.integers(1, 6)
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


@st.composite
def id_arrays(draw):
    """Integer arrays of every dtype: few distinct values near either end of the dtype, or any."""
    dtype = np.dtype(draw(st.sampled_from(INT_DTYPES)))
    info = np.iinfo(dtype)
    size = st.integers(0, 40)
    if draw(st.booleans()):
        middle = 0 if dtype.kind == "u" else -2
        low = draw(st.sampled_from([int(info.min), int(info.max) - 3, middle]))
        elements = st.integers(low, low + 3)
    else:
        elements = st.integers(int(info.min), int(info.max))
    return draw(hnp.arrays(dtype, size, elements=elements))


words = st.sampled_from(["a", "b", "c", "d"])
corpora = st.lists(st.lists(words, max_size=6), min_size=1, max_size=6)
smoothings = st.sampled_from(["mle", "add-k", "kneser-ney"])
model_orders = st.integers(1, 4)
texts = st.text(alphabet="abc ", max_size=12)
context_words = st.sampled_from(["a", "b", "zzz", "<s>", "</s>"])
predicted_words = st.sampled_from(["a", "b", "zzz", "</s>", "<unk>"])


def padded_windows(seq, n, pad_left, pad_right, pad):
    items = [pad] * (n - 1) * pad_left + list(seq) + [pad] * (n - 1) * pad_right
    return [tuple(items[i : i + n]) for i in range(len(items) - n + 1)]


def counter_of_array(ids, n):
    return Counter(zip(*[ids.tolist()[i:] for i in range(n)]))


# --- ngrams -----------------------------------------------------------------------------------


def test_ngrams_of_a_string_are_its_windows():
    assert list(ngrams("abcd", 3)) == [("a", "b", "c"), ("b", "c", "d")]


def test_padding_puts_n_minus_one_symbols_on_the_chosen_sides():
    assert list(ngrams([1, 2], 3, pad_left=True, pad_symbol=0)) == [(0, 0, 1), (0, 1, 2)]
    assert list(ngrams([1, 2], 3, pad_right=True, pad_symbol=0)) == [(1, 2, 0), (2, 0, 0)]
    assert list(ngrams([1], 2, pad_left=True, pad_right=True)) == [(None, 1), (1, None)]


@given(small_ints, orders, st.booleans(), st.booleans())
def test_ngrams_match_slicing_the_padded_list(seq, n, pad_left, pad_right):
    got = list(ngrams(iter(seq), n, pad_left=pad_left, pad_right=pad_right, pad_symbol="#"))
    assert got == padded_windows(seq, n, pad_left, pad_right, "#")


def test_ngrams_of_an_endless_generator_are_lazy():
    assert list(islice(ngrams(count(), 2), 3)) == [(0, 1), (1, 2), (2, 3)]


def test_n_larger_than_the_sequence_gives_nothing():
    assert list(ngrams([1, 2, 3], 4)) == []
    assert list(ngrams([], 1)) == []
    assert count_ngrams("abc", 4) == Counter()


@given(st.lists(st.integers(-3, 3), max_size=5), st.integers(1, 12), st.booleans(), st.booleans())
def test_ngrams_of_sequences_shorter_than_n_match_slicing_the_padded_list(
    seq, n, pad_left, pad_right
):
    got = list(ngrams(iter(seq), n, pad_left=pad_left, pad_right=pad_right, pad_symbol="#"))
    assert got == padded_windows(seq, n, pad_left, pad_right, "#")


def test_huge_n_with_no_gram_answers_without_a_buffer_of_n():
    # Each of these once filled a deque of n - 1 pads before finding there was nothing to yield.
    assert list(ngrams("", 10**10, pad_left=True)) == []
    assert list(ngrams([], 10**10, pad_right=True)) == []
    assert list(ngrams("ab", 10**10)) == []
    assert count_ngrams("abc", 10**12) == Counter()


def test_padded_grams_longer_than_the_sequence_hold_its_items_and_pads():
    n = 10**5
    grams = list(ngrams("ab", n, pad_left=True, pad_symbol="."))
    assert [len(g) for g in grams] == [n, n]
    assert grams[0][-1] == "a" and grams[1][-2:] == ("a", "b")
    assert set(grams[0][:-1]) == {"."} and set(grams[1][:-2]) == {"."}


@pytest.mark.parametrize("flag", ["pad_left", "pad_right"])
@pytest.mark.parametrize("value", ["no", None, 1, 0.0])
def test_padding_flags_must_be_bools(flag, value):
    with pytest.raises(TypeError, match=f"{flag} must be True or False"):
        ngrams("abc", 2, **{flag: value})


def test_unigrams_are_one_tuples():
    assert list(ngrams("ab", 1, pad_left=True, pad_right=True)) == [("a",), ("b",)]


@pytest.mark.parametrize(
    "n, error", [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)]
)
def test_bad_n_is_rejected_at_the_call_not_at_the_first_item(n, error):
    with pytest.raises(error, match="n must"):
        ngrams([1, 2, 3], n)
    with pytest.raises(error, match="n must"):
        count_ngrams([1, 2, 3], n)
    with pytest.raises(error, match="n must"):
        count_ngrams_array(np.arange(3), n)
    with pytest.raises(error, match="n must"):
        NGramModel(n)
    with pytest.raises(error, match="n must"):
        ngram_similarity("ab", "ab", n)


def test_a_non_iterable_sequence_is_a_type_error():
    with pytest.raises(TypeError, match="seq must be iterable"):
        ngrams(5, 2)


# --- count_ngrams -----------------------------------------------------------------------------


@given(small_ints, orders)
def test_count_ngrams_matches_counter_of_zip(seq, n):
    counts = count_ngrams(seq, n)
    assert counts == Counter(zip(*[seq[i:] for i in range(n)]))
    assert sum(counts.values()) == max(len(seq) - n + 1, 0)


# --- count_ngrams_array -----------------------------------------------------------------------


def test_count_ngrams_array_worked_example():
    grams, counts = count_ngrams_array(np.array([5, 1, 5, 1, 5, 2], dtype=np.int16), 2)
    assert grams.dtype == np.int16 and counts.dtype == np.int64
    assert grams.tolist() == [[1, 5], [5, 1], [5, 2]]
    assert counts.tolist() == [2, 2, 1]


@given(id_arrays(), st.integers(1, 10))
def test_count_ngrams_array_matches_count_ngrams(ids, n):
    grams, counts = count_ngrams_array(ids, n)
    assert grams.dtype == ids.dtype and grams.shape == (counts.size, n)
    assert counts.dtype == np.int64
    assert dict(zip(map(tuple, grams.tolist()), counts.tolist())) == counter_of_array(ids, n)
    rows = grams.tolist()
    assert rows == sorted(rows) and len(set(map(tuple, rows))) == len(rows)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_ids_too_wide_to_pack_take_the_sorting_fallback(dtype):
    info = np.iinfo(dtype)
    ids = np.array([info.max, info.min, info.max, info.min, info.max, 7], dtype=dtype)
    for n in (1, 2, 3):  # n = 1 still packs (64 bits), n >= 2 needs the fallback
        grams, counts = count_ngrams_array(ids, n)
        assert dict(zip(map(tuple, grams.tolist()), counts.tolist())) == counter_of_array(ids, n)
        assert grams.tolist() == sorted(grams.tolist())


def test_long_grams_of_small_ids_pack_their_ranks():
    ids = np.array([0, 255] * 5 + [1], dtype=np.uint8)
    grams, counts = count_ngrams_array(ids, 9)  # 9 ids * 8 bits > 64; 3 distinct ids: 2 bits
    assert grams.dtype == np.uint8
    assert grams.tolist() == [[0, 255] * 4 + [0], [0, 255] * 4 + [1], [255, 0] * 4 + [255]]
    assert counts.tolist() == [1, 1, 1]


@given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=5, max_size=8, unique=True), st.data())
def test_grams_too_wide_even_for_ranks_are_sorted_as_rows(values, data):
    values = np.array(values, dtype=np.int64)
    picks = data.draw(st.lists(st.integers(0, values.size - 1), max_size=60))
    ids = np.concatenate([values[picks], values])  # every value present: ranks need >= 3 bits
    n = data.draw(st.integers(22, 30))  # 22 ids * 3 bits > 64
    grams, counts = count_ngrams_array(ids, n)
    assert dict(zip(map(tuple, grams.tolist()), counts.tolist())) == counter_of_array(ids, n)
    assert grams.tolist() == sorted(grams.tolist()) and grams.dtype == np.int64


def unique_rows(ids, n):
    """The reference for count_ngrams_array: np.unique over the windows (a comparison sort)."""
    windows = np.lib.stride_tricks.sliding_window_view(ids, n)
    return np.unique(windows, axis=0, return_counts=True)


def zipf_ids(rng, size, vocabulary, exponent=1.1):
    """Ids drawn with probability proportional to 1 / rank**exponent, as words of real text."""
    weights = 1.0 / np.arange(1, vocabulary + 1) ** exponent
    return rng.choice(vocabulary, size, p=weights / weights.sum())


@st.composite
def packable_id_arrays(draw):
    """Ids of every dtype within a span of 2**bits of a base anywhere in the dtype, uniform or
    Zipfian, long enough for several radix digits or a counter per possible gram."""
    dtype = np.dtype(draw(st.sampled_from(INT_DTYPES)))
    info = np.iinfo(dtype)
    bits = draw(st.integers(0, min(24, 8 * dtype.itemsize)))
    base = draw(st.integers(int(info.min), int(info.max) - (2**bits - 1)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = draw(st.integers(0, 3000))
    if draw(st.booleans()):
        offsets = rng.integers(0, 2**bits, size, dtype=np.uint64)
    else:
        offsets = zipf_ids(rng, size, 2**bits).astype(np.uint64)
    # Python ints: base + offset stays inside the dtype, where numpy would wrap or refuse.
    return np.array([base + int(o) for o in offsets.tolist()], dtype=dtype)


@given(packable_id_arrays(), st.integers(1, 4))
def test_count_ngrams_array_matches_np_unique_of_the_windows(ids, n):
    grams, counts = count_ngrams_array(ids, n)
    if ids.size < n:
        assert grams.shape == (0, n) and counts.size == 0
        return
    expected_grams, expected_counts = unique_rows(ids, n)
    assert grams.dtype == ids.dtype and counts.dtype == np.int64
    np.testing.assert_array_equal(grams, expected_grams)
    np.testing.assert_array_equal(counts, expected_counts)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("distribution", ["uniform", "zipf"])
def test_radix_sorted_counts_of_a_large_vocabulary_match_np_unique(n, distribution):
    # 50 000 ids need 16 bits: 16 n bits per key, far more possible keys than windows, so the
    # keys are radix sorted (2 to 7 digits); Zipfian ids leave the top digits mostly zero.
    rng = np.random.default_rng(n)
    if distribution == "uniform":
        ids = rng.integers(0, 50_000, 100_000)
    else:
        ids = zipf_ids(rng, 100_000, 50_000)
    grams, counts = count_ngrams_array(ids, n)
    expected_grams, expected_counts = unique_rows(ids, n)
    np.testing.assert_array_equal(grams, expected_grams)
    np.testing.assert_array_equal(counts, expected_counts)
    assert counts.sum() == ids.size - n + 1


@pytest.mark.parametrize("n", [1, 2])
def test_a_radix_digit_shared_by_every_key_is_skipped_and_the_next_still_counted(n):
    # ids = a * 2**30 + b with b < 1000: in 11-bit digits (4-byte keys for n = 1) or 10-bit
    # digits (8-byte keys for n = 2), the digits just above b's bits are zero in every key.
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 4, 5000) * 2**30 + rng.integers(0, 1000, 5000)
    grams, counts = count_ngrams_array(ids, n)
    expected_grams, expected_counts = unique_rows(ids, n)
    np.testing.assert_array_equal(grams, expected_grams)
    np.testing.assert_array_equal(counts, expected_counts)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int64])
def test_a_small_vocabulary_is_counted_per_possible_gram(dtype):
    # Few possible grams (2**(8 n) at most 4 per window): one counter each, at both ends of the
    # dtype so the offset by min(ids) and its wrap back are exercised.
    info = np.iinfo(dtype)
    rng = np.random.default_rng(0)
    for low in (int(info.min), int(info.max) - 200):
        ids = (low + rng.integers(0, 201, 70_000)).astype(dtype)
        for n in (1, 2):
            grams, counts = count_ngrams_array(ids, n)
            expected_grams, expected_counts = unique_rows(ids, n)
            np.testing.assert_array_equal(grams, expected_grams)
            np.testing.assert_array_equal(counts, expected_counts)


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_edge_sizes_of_wide_keys_match_np_unique(size):
    # One or two windows of 64-bit keys: the radix sort has nothing, or one swap, to do.
    info = np.iinfo(np.int64)
    ids = np.array([info.max, info.min + 1, 0, info.max, info.min][:size], dtype=np.int64)
    grams, counts = count_ngrams_array(ids, 1)
    expected_grams, expected_counts = unique_rows(ids, 1)
    np.testing.assert_array_equal(grams, expected_grams)
    np.testing.assert_array_equal(counts, expected_counts)


def test_negative_ids_sort_before_positive_ones():
    grams, counts = count_ngrams_array(np.array([2, -5, 2, -5], dtype=np.int8), 1)
    assert grams.tolist() == [[-5], [2]] and counts.tolist() == [2, 2]


@pytest.mark.parametrize("dtype", [">i8", ">u2", "<i4"])
def test_byte_order_and_strides_of_the_ids_do_not_matter(dtype):
    ids = np.array([9, 0, -1, 9, 0, 3, 9, 0, 7, 9, 0] * 2, dtype=np.int64)[::2]
    ids = np.abs(ids).astype(dtype)[::-1]
    grams, counts = count_ngrams_array(ids, 2)
    assert grams.dtype == np.dtype(dtype)
    assert dict(zip(map(tuple, grams.tolist()), counts.tolist())) == counter_of_array(ids, 2)


def test_count_ngrams_array_of_too_short_input_is_empty():
    for ids, n in [(np.array([], dtype=np.uint16), 1), (np.array([1, 2], dtype=np.int32), 3)]:
        grams, counts = count_ngrams_array(ids, n)
        assert grams.shape == (0, n) and grams.dtype == ids.dtype
        assert counts.shape == (0,) and counts.dtype == np.int64


def test_a_constant_array_is_one_gram():
    grams, counts = count_ngrams_array(np.full(5, -7, dtype=np.int64), 3)
    assert grams.tolist() == [[-7, -7, -7]] and counts.tolist() == [3]


@pytest.mark.parametrize(
    "ids, error, message",
    [
        ([1, 2, 3], TypeError, "numpy array"),
        (np.array([1.0, 2.0]), TypeError, "float64"),
        (np.array([True, False]), TypeError, "bool"),
        (np.array(["a", "b"]), TypeError, "dtype"),
        (np.zeros((2, 2), dtype=np.int64), ValueError, "1-D"),
        (np.array(3), ValueError, "1-D"),
    ],
)
def test_count_ngrams_array_rejects_what_is_not_a_1d_integer_array(ids, error, message):
    with pytest.raises(error, match=message):
        count_ngrams_array(ids, 2)


# --- NGramModel -------------------------------------------------------------------------------

CORPUS = [["a", "b"], ["a"]]


def test_kneser_ney_matches_a_hand_computed_bigram_model():
    model = NGramModel(2).fit(CORPUS)
    # Continuation counts: a after {<s>}, b after {a}, </s> after {a, b}: 4 in all, 3 types.
    uniform = 1 / 4  # a, b, </s>, <unk>
    unigram = {
        "a": 0.25 / 4 + 0.75 * 3 / 4 * uniform,
        "b": 0.25 / 4 + 0.75 * 3 / 4 * uniform,
        "</s>": 1.25 / 4 + 0.75 * 3 / 4 * uniform,
        "<unk>": 0.75 * 3 / 4 * uniform,
    }
    p_a_start = 1.25 / 2 + 0.75 * 1 / 2 * unigram["a"]
    p_b_a = 0.25 / 2 + 0.75 * 2 / 2 * unigram["b"]
    p_end_b = 0.25 / 1 + 0.75 * 1 / 1 * unigram["</s>"]
    assert model.prob("a", []) == pytest.approx(p_a_start, abs=1e-15)
    assert model.prob("b", ["a"]) == pytest.approx(p_b_a, abs=1e-15)
    assert model.prob("</s>", ("b",)) == pytest.approx(p_end_b, abs=1e-15)
    assert model.prob("zebra", ["zebra"]) == pytest.approx(unigram["<unk>"], abs=1e-15)
    expected = (p_a_start * p_b_a * p_end_b) ** (-1 / 3)
    assert model.perplexity([["a", "b"]]) == pytest.approx(expected, rel=1e-12)
    assert p_a_start == pytest.approx(0.701171875) and p_b_a == pytest.approx(0.27734375)


def test_add_k_matches_a_hand_computed_bigram_model():
    model = NGramModel(2, smoothing="add-k", k=1).fit(CORPUS)
    assert model.prob("a", []) == pytest.approx(3 / 6)
    assert model.prob("b", ["a"]) == pytest.approx(2 / 6)
    assert model.prob("</s>", ["b"]) == pytest.approx(2 / 5)
    assert model.prob("a", ["unseen"]) == pytest.approx(1 / 4)
    assert model.perplexity([["a", "b"]]) == pytest.approx((3 / 6 * 2 / 6 * 2 / 5) ** (-1 / 3))


def test_mle_backs_off_to_the_longest_seen_suffix_of_an_unseen_context():
    model = NGramModel(3, smoothing="mle").fit(CORPUS)
    # Trigram context (b, a) is unseen; bigram context (a,) was followed by b and </s>.
    assert model.prob("b", ["b", "a"]) == pytest.approx(0.5)
    # Unigram counts of the predictions: a 2, b 1, </s> 2.
    assert model.prob("a", ["x", "y"]) == pytest.approx(2 / 5)
    assert model.prob("x", ["a"]) == 0
    assert model.logprob("x", ["a"]) == -math.inf
    assert model.perplexity([["b"]]) == math.inf


def reference_prob(corpus, n, smoothing, word, context, k=0.5, discount=0.75):
    """The textbook formulas, evaluated by scanning every n-gram occurrence of the corpus."""
    padded = [["<s>"] * (n - 1) + list(s) + ["</s>"] for s in corpus]
    occurrences = [tuple(s[i : i + n]) for s in padded for i in range(len(s) - n + 1)]
    vocabulary = list(dict.fromkeys([t for s in corpus for t in s] + ["</s>", "<unk>"]))
    word = word if word in vocabulary else "<unk>"
    context = tuple(t if t in vocabulary or t == "<s>" else "<unk>" for t in context)
    context = (("<s>",) * (n - 1) + context)[len(context) :]

    def raw(gram):
        return sum(o[n - len(gram) :] == gram for o in occurrences)

    def continuation(gram):
        return len({o[n - len(gram) - 1] for o in occurrences if o[n - len(gram) :] == gram})

    def kneser_ney(order, ctx):
        if order == 0:
            return 1 / len(vocabulary)
        count = raw if order == n else continuation
        followers = {w: count(ctx + (w,)) for w in vocabulary}
        total = sum(followers.values())
        lower = kneser_ney(order - 1, ctx[1:])
        if total == 0:
            return lower
        seen = sum(c > 0 for c in followers.values())
        return max(followers[word] - discount, 0) / total + discount * seen / total * lower

    if smoothing == "kneser-ney":
        return kneser_ney(n, context)
    if smoothing == "add-k":
        total = sum(raw(context + (w,)) for w in vocabulary)
        return (raw(context + (word,)) + k) / (total + k * len(vocabulary))
    for order in range(n, 0, -1):
        ctx = context[n - order :]
        total = sum(raw(ctx + (w,)) for w in vocabulary)
        if total:
            return raw(ctx + (word,)) / total


@given(
    corpora,
    model_orders,
    smoothings,
    st.lists(context_words, max_size=3),
    predicted_words,
    st.sampled_from([0.75, 0.3, 1.0]),
)
def test_model_matches_the_textbook_formulas(corpus, n, smoothing, context, word, discount):
    model = NGramModel(n, smoothing=smoothing, k=0.5, discount=discount).fit(corpus)
    for w in [word, "</s>", "a"]:
        expected = reference_prob(corpus, n, smoothing, w, tuple(context), discount=discount)
        assert model.prob(w, context) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@given(corpora, model_orders, smoothings, st.lists(context_words, max_size=4))
def test_probabilities_over_the_vocabulary_sum_to_one_in_every_context(corpus, n, smoothing, extra):
    model = NGramModel(n, smoothing=smoothing, k=0.5).fit(corpus)
    seen = {gram[:-1] for s in corpus for gram in ngrams(["<s>"] * (n - 1) + s + ["</s>"], n)}
    for context in list(seen) + [tuple(extra)]:
        total = math.fsum(model.prob(word, context) for word in model.vocabulary)
        assert total == pytest.approx(1.0, abs=1e-12)


@given(corpora, model_orders, st.sampled_from(["add-k", "kneser-ney"]))
def test_smoothed_models_give_every_word_a_positive_probability(corpus, n, smoothing):
    model = NGramModel(n, smoothing=smoothing).fit(corpus)
    for word in model.vocabulary + ("never-seen",):
        assert model.prob(word, ["d", "zzz", "a"]) > 0
    assert math.isfinite(model.perplexity([["zzz", "a", "b"]]))


@pytest.mark.parametrize("smoothing", ["kneser-ney", "mle", "add-k"])
def test_a_model_of_order_above_the_recursion_limit_matches_the_formulas(smoothing):
    import sys

    n = sys.getrecursionlimit() + 200  # Kneser-Ney once recursed n levels deep
    corpus = [["a", "b", "a"], ["b"]]
    model = NGramModel(n, smoothing=smoothing, k=0.5).fit(corpus)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(3 * n)  # the reference's own recursion is n levels deep
    try:
        # Each of the n levels rounds a few times (a difference, two products, a sum, a
        # quotient) and carries the level below with a weight under 1: 8 n u bounds the drift
        # between two orders of evaluation.
        rel = 8 * n * np.finfo(np.float64).eps / 2
        for word, context in [("a", ["b"]), ("b", ["a", "b"]), ("</s>", []), ("<unk>", ["a"])]:
            expected = reference_prob(corpus, n, smoothing, word, tuple(context), k=0.5)
            assert model.prob(word, context) == pytest.approx(expected, rel=rel)
    finally:
        sys.setrecursionlimit(limit)
    assert sum(model.prob(w, ["a"]) for w in model.vocabulary) == pytest.approx(1.0, rel=1e-12)


def test_logprob_is_the_natural_log_of_prob():
    model = NGramModel(2).fit(CORPUS)
    assert model.logprob("b", ["a"]) == pytest.approx(math.log(model.prob("b", ["a"])))


def test_only_the_last_n_minus_one_context_words_count():
    model = NGramModel(2, smoothing="mle").fit(CORPUS)
    assert model.prob("b", ["b", "b", "a"]) == model.prob("b", ["a"])


def test_vocabulary_holds_training_tokens_then_end_and_unknown_markers():
    model = NGramModel(1).fit([[3, 1], [1, 2]])
    assert model.vocabulary == (3, 1, 2, "</s>", "<unk>")


def test_refitting_replaces_the_counts():
    model = NGramModel(2, smoothing="mle").fit(CORPUS)
    assert model.fit([["c"]]) is model
    assert model.vocabulary == ("c", "</s>", "<unk>")
    assert model.prob("c", []) == 1.0


def test_generation_of_a_deterministic_corpus_reproduces_the_sentence():
    model = NGramModel(3, smoothing="mle").fit([["the", "cat", "sat"]])
    assert model.generate(10, seed=1) == ["the", "cat", "sat"]
    assert model.generate(2, seed=1) == ["the", "cat"]
    assert model.generate(0) == []


@given(corpora, model_orders, smoothings, st.integers(0, 2**32))
def test_generation_is_reproducible_with_a_seed(corpus, n, smoothing, seed):
    model = NGramModel(n, smoothing=smoothing).fit(corpus)
    first = model.generate(8, seed=seed)
    assert model.generate(8, seed=seed) == first
    assert len(first) <= 8
    assert set(first) <= set(model.vocabulary) - {"</s>", "<unk>"}


def test_generation_with_different_seeds_differs_somewhere():
    model = NGramModel(1).fit([["a", "b", "c", "d"] * 5])
    assert len({tuple(model.generate(20, seed=seed)) for seed in range(10)}) > 1


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(smoothing="laplace"), ValueError, "smoothing must be one of"),
        (dict(smoothing="add-k", k=0), ValueError, "k must be > 0"),
        (dict(smoothing="add-k", k=-1.5), ValueError, "k must be > 0"),
        (dict(smoothing="add-k", k=float("nan")), ValueError, "k must be finite"),
        (dict(smoothing="add-k", k=float("inf")), ValueError, "k must be finite"),
        (dict(k="1"), TypeError, "k must be a real number"),
        (dict(discount=0), ValueError, "discount must satisfy"),
        (dict(discount=1.5), ValueError, "discount must satisfy"),
    ],
)
def test_bad_model_settings_are_rejected(kwargs, error, message):
    with pytest.raises(error, match=message):
        NGramModel(2, **kwargs)


@pytest.mark.parametrize(
    "method, args",
    [("prob", ("a", ())), ("logprob", ("a",)), ("perplexity", ([["a"]],)), ("generate", (3,))],
)
def test_using_a_model_before_fit_is_a_clear_error(method, args):
    with pytest.raises(RuntimeError, match="call fit"):
        getattr(NGramModel(2), method)(*args)


@pytest.mark.parametrize(
    "sentences, error, message",
    [
        ([], ValueError, "at least one sentence"),
        ("a b", TypeError, "sentences must be an iterable"),
        (["a b"], TypeError, r"sentences\[0\] must be a sequence"),
        ([["a"], 3], TypeError, r"sentences\[1\] must be a sequence"),
        ([["a", ["b"]]], TypeError, "hashable"),
        ([["a", "<s>"]], ValueError, "marker"),
        ([["</s>"]], ValueError, "marker"),
    ],
)
def test_bad_training_sentences_are_rejected(sentences, error, message):
    with pytest.raises(error, match=message):
        NGramModel(2).fit(sentences)


def test_bad_queries_are_rejected():
    model = NGramModel(2).fit(CORPUS)
    with pytest.raises(TypeError, match="context must be a sequence"):
        model.prob("a", "ab")
    with pytest.raises(ValueError, match="start marker"):
        model.prob("<s>", ["a"])
    with pytest.raises(TypeError, match="hashable"):
        model.prob(["a"], ["a"])
    with pytest.raises(ValueError, match="num_words must be >= 0"):
        model.generate(-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        model.generate(3, seed="x")
    with pytest.raises(ValueError, match="at least one sentence"):
        model.perplexity([])


# --- ngram_similarity -------------------------------------------------------------------------


def dice_by_brute_force(a, b, n):
    grams_a = [a[i : i + n] for i in range(len(a) - n + 1)]
    grams_b = [b[i : i + n] for i in range(len(b) - n + 1)]
    if a == b:
        return 1.0
    if not grams_a and not grams_b:
        return 0.0
    total = len(grams_a) + len(grams_b)
    shared = 0
    for gram in grams_a:
        if gram in grams_b:
            grams_b.remove(gram)
            shared += 1
    return 2 * shared / total


def test_similarity_worked_examples():
    assert ngram_similarity("night", "nacht") == 0.25
    assert ngram_similarity("abc", "xyz") == 0.0
    assert ngram_similarity("aaa", "aa") == pytest.approx(2 * 1 / 3)  # {aa: 2} & {aa: 1}
    assert ngram_similarity("hello", "hallo", n=1) == pytest.approx(2 * 4 / 10)


@given(texts, texts, st.integers(1, 4))
def test_similarity_is_the_multiset_dice_coefficient(a, b, n):
    got = ngram_similarity(a, b, n)
    assert got == pytest.approx(dice_by_brute_force(a, b, n), abs=1e-15)
    assert got == ngram_similarity(b, a, n)
    assert 0.0 <= got <= 1.0


@given(texts, st.integers(1, 4))
def test_identical_strings_are_fully_similar(a, n):
    assert ngram_similarity(a, a, n) == 1.0


def test_strings_shorter_than_n_are_similar_only_when_equal():
    assert ngram_similarity("", "", 2) == 1.0
    assert ngram_similarity("a", "a", 2) == 1.0
    assert ngram_similarity("a", "b", 2) == 0.0
    assert ngram_similarity("a", "ab", 2) == 0.0


def test_similarity_of_non_strings_is_a_type_error():
    with pytest.raises(TypeError, match="a must be a str"):
        ngram_similarity(["a", "b"], "ab")
    with pytest.raises(TypeError, match="b must be a str"):
        ngram_similarity("ab", None)
