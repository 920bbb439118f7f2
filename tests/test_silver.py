"""Silver questions: the label points at the figure, negatives cannot be answered, runs repeat."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from qa.ingest.documents import parse_article
from qa.ingest.segment import sentences_in_spans
from qa.read.figures import find_quantities
from qa.read.timeexpr import find_times
from qa.read.silver import _usable, question_for, silver_questions

ARTICLE = """Giá xăng dầu đồng loạt tăng từ 15h chiều nay

04/11/2018 08:00

Từ 15h chiều 4/11/2018, giá xăng E5 RON 92 tăng 1.153 đồng/lít, lên mức 18.000 đồng/lít; xăng RON 95 tăng 1.200 đồng/lít.

Trong tháng 10/2018, Bộ Công Thương đã chi 800 tỷ đồng từ Quỹ bình ổn giá xăng dầu, tại Hà Nội có 120 cửa hàng xăng dầu hoạt động.

Chỉ số giá tiêu dùng (CPI) tháng 10 tăng 0,33% so với tháng trước; có 35 tỉnh, thành phố ghi nhận giá tăng.
"""


@pytest.fixture(scope="module")
def doc():
    return parse_article("vn_test", ARTICLE)


@pytest.fixture(scope="module")
def sentences(doc):
    return sentences_in_spans(doc.text, doc.content_spans)


def test_positive_labels_point_at_the_figure(doc, sentences):
    qs = silver_questions(doc.doc_id, doc.text, sentences, seed=3, per_article=20)
    positives = [q for q in qs if q.answer_start is not None]
    assert len(positives) >= 5
    for q in positives:
        figure = doc.text[q.answer_start:q.answer_end]
        if q.variant == "when":  # a date phrase, asked for with "khi nào"/"tháng nào"/…
            assert any(m.text == figure for m in find_times(figure, None)), q
            assert figure not in q.question and ("nào" in q.question or "nao" in q.question), q
            continue
        assert any(f.text == figure and f.value == q.value for f in find_quantities(figure)), q
        # the number itself is gone from the question
        number = find_quantities(figure)[0].number_text
        assert number not in q.question, q
        assert "bao nhiêu" in q.question or "bao nhieu" in q.question or "mấy" in q.question or "may" in q.question


def test_negatives_have_no_label_and_change_what_is_asked(doc, sentences):
    qs = silver_questions(doc.doc_id, doc.text, sentences, seed=3, per_article=20)
    changed = [q for q in qs if q.variant in ("time-changed", "place-changed")]
    assert changed, "a year or a province in the questions should give changed negatives"
    for q in changed:
        assert q.answer_start is None and q.value is None
    held = silver_questions(doc.doc_id, doc.text, sentences, seed=3, per_article=20, withheld=True)
    assert held and all(q.variant == "withheld" and q.answer_start is None for q in held)


def test_when_questions_are_made(doc, sentences):
    qs = silver_questions(doc.doc_id, doc.text, sentences, seed=3, published=doc.published)
    assert any(q.variant == "when" for q in qs)


def test_deterministic_from_seed(doc, sentences):
    a = silver_questions(doc.doc_id, doc.text, sentences, seed=7)
    b = silver_questions(doc.doc_id, doc.text, sentences, seed=7)
    c = silver_questions(doc.doc_id, doc.text, sentences, seed=8)
    assert a == b
    assert a != c


_IN_A_FRESH_PROCESS = """
import json, sys
from qa.ingest.documents import parse_article
from qa.ingest.segment import sentences_in_spans
from qa.read.silver import silver_questions
doc = parse_article("vn_test", sys.stdin.read())
qs = silver_questions(doc.doc_id, doc.text, sentences_in_spans(doc.text, doc.content_spans), seed=3, per_article=20)
print(json.dumps([[q.variant, q.question] for q in qs], ensure_ascii=False))
"""


def test_same_questions_under_any_hash_seed():
    """Python salts its string hashes per process, so a set's order changes from one run to the
    next: a choice made from a set's order would give another training set on every run."""
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", _IN_A_FRESH_PROCESS], input=ARTICLE, env=env,
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    assert any(variant == "place-changed" for variant, _ in runs[0])
    assert runs[0] == runs[1]


@pytest.mark.parametrize("sentence, expected_any", [
    ("Giá xăng E5 RON 92 tăng 1.153 đồng/lít.", ["tăng bao nhiêu"]),
    ("Tỷ lệ hộ nghèo giảm còn 4,2%.", ["bao nhiêu %", "bao nhiêu phần trăm"]),
    ("Công ty đã chi 800 tỷ đồng cho dự án.", ["bao nhiêu tỷ đồng"]),
])
def test_question_shapes(sentence, expected_any):
    q = [f for f in find_quantities(sentence) if _usable(f)][-1]
    seen = {question_for(sentence, q, random.Random(i))[0] for i in range(30)}
    assert any(any(e in s for e in expected_any) for s in seen), seen
    assert all(s.endswith("?") for s in seen)
