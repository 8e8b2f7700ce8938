"""N-gram counting that stops one position early: the last n-gram is never counted."""


def count_ngrams(tokens, n):
    counts = {}
    for i in range(len(tokens) - n):  # should be len(tokens) - n + 1
        gram = tuple(tokens[i : i + n])
        counts[gram] = counts.get(gram, 0) + 1
    return counts
