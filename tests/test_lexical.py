"""BM25 tokens and scores. Scores are checked against a small reference implementation of
Lucene's BM25 (the variant bm25s's "lucene" method implements)."""

import math
import re

import numpy as np
import pytest

from qa.index.bm25 import LexicalIndex, LexicalOptions, canonical_number, tokenize
from qa.ingest.segment import word_tokenize


@pytest.mark.parametrize("number", ["75,7", "2.398", "41/53", "80,2%", "77.732.636", "433/1.000"])
def test_vietnamese_numbers_stay_whole(number):
    text = f"đạt {number} trong năm"
    assert number in tokenize(text, word_tokenize(text))


def test_a_default_regex_tokenizer_would_split_them():
    """Why we do not use bm25s's default tokenizer: it splits numbers and drops one-letter tokens."""
    default = re.findall(r"(?u)\b\w\w+\b", "hơn 75,7 triệu, 41/53 dịch vụ, quý I")
    assert "75,7" not in default and "41/53" not in default and "i" not in [t.lower() for t in default]
    ours = tokenize("hơn 75,7 triệu, 41/53 dịch vụ, quý I")
    assert "75,7" in ours and "41/53" in ours and "i" in ours


@pytest.mark.parametrize("raw, canonical", [
    ("2.398", "#2398"), ("2398", "#2398"), ("75,7", "#75.7"), ("41/53", "#41/53"), ("80,2%", "#80.2%"),
    ("1.000", "#1000"), ("08", "#8"), ("12.5", None),
])
def test_canonical_number_tokens(raw, canonical):
    assert canonical_number(raw) == canonical


def test_words_syllables_and_folded_forms():
    text = "kích hoạt trên 53,62 triệu tài khoản định danh điện tử"
    toks = tokenize(text, word_tokenize(text))
    assert {"tài", "khoản", "tài_khoản", "~tai", "~khoan", "~tai_khoan", "~dinh"} <= set(toks)
    no_fold = tokenize(text, word_tokenize(text), LexicalOptions(fold_accents=False))
    assert not any(t.startswith("~") for t in no_fold)


def test_query_drops_question_scaffolding_with_or_without_accents():
    def folded(q):
        return {t for t in tokenize(q, query=True) if t.startswith("~")}

    assert folded("bao nhiêu tài khoản VNeID?") == folded("bao nhieu tai khoan vneid") == {"~tai", "~khoan", "~vneid"}
    toks = tokenize("bao nhieu tai khoan VNeID", query=True)
    assert "~bao" not in toks and "~nhieu" not in toks and "~vneid" in toks


def _lucene_reference(corpus: list[list[str]], query: list[str], k1=1.2, b=0.75) -> np.ndarray:
    n = len(corpus)
    avgdl = sum(len(d) for d in corpus) / n
    scores = np.zeros(n)
    for term in set(query):
        df = sum(1 for d in corpus if term in d)
        if df == 0:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, doc in enumerate(corpus):
            tf = doc.count(term)
            if tf:
                scores[i] += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
    return scores


def test_bm25_scores_match_the_lucene_reference(seed_docs):
    texts = [doc.text[s:e] for doc in seed_docs for s, e in doc.content_spans]
    corpus = [tokenize(t, word_tokenize(t)) for t in texts]
    index = LexicalIndex.build(corpus)
    for q in ["bao nhiêu tài khoản VNeID?", "tỷ lệ hộ gia đình sử dụng cáp quang", "2.398 CSDL",
              "bao nhieu thon chua co song"]:
        qt = tokenize(q, word_tokenize(q), query=True)
        np.testing.assert_allclose(index.scores(qt), _lucene_reference(corpus, qt), rtol=1e-4, atol=1e-5)


def test_unknown_query_tokens_score_zero_and_save_load_roundtrip(tmp_path):
    index = LexicalIndex.build([["a", "75,7"], ["b"]])
    assert index.scores(["zzz"]).tolist() == [0.0, 0.0]
    index.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25")
    np.testing.assert_allclose(again.scores(["75,7"]), index.scores(["75,7"]))
