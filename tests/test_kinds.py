"""The learned prior on a question's kind (qa.read.kinds): its probabilities are scikit-learn's,
survive the shipped file, are cross-fitted by article in training, and the shipped model reads
the kinds of plain questions. Questions are written like the hand-written training questions."""

from __future__ import annotations

import numpy as np
import pytest

from qa.read import kinds
from qa.read.kinds import KIND_LABELS, KindPrior, question_terms

COUNT, PERCENT, MONEY, DATE = (KIND_LABELS.index(k) for k in ("count", "percent", "money", "date"))

QUESTIONS = [
    ("Có bao nhiêu người thiệt mạng trong vụ tai nạn?", COUNT),
    ("Bao nhiêu hộ dân được hỗ trợ?", COUNT),
    ("Trường tuyển bao nhiêu sinh viên năm nay?", COUNT),
    ("Tỷ lệ tốt nghiệp đạt bao nhiêu phần trăm?", PERCENT),
    ("GDP tăng bao nhiêu phần trăm trong quý I?", PERCENT),
    ("Lạm phát là bao nhiêu phần trăm?", PERCENT),
    ("Công ty lãi bao nhiêu tỷ đồng?", MONEY),
    ("Kim ngạch xuất khẩu đạt bao nhiêu USD?", MONEY),
    ("Giá vàng là bao nhiêu đồng một lượng?", MONEY),
    ("Khi nào cầu được khánh thành?", DATE),
]


def test_terms_are_folded_syllables_and_their_pairs():
    assert question_terms("Giá vàng tăng?") == ["gia", "vang", "tang", "gia vang", "vang tang"]


def test_probabilities_are_scikit_learn_s_and_survive_the_shipped_file(tmp_path):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    questions = [q for q, _ in QUESTIONS] * 2  # every term in two questions: min_df keeps it
    labels = [k for _, k in QUESTIONS] * 2
    model = kinds.fit(questions, labels)
    # the reference: the same regression through scikit-learn's own predict_proba
    vectorizer = CountVectorizer(analyzer=question_terms, binary=True, min_df=kinds.MIN_QUESTIONS)
    reference = LogisticRegression(C=kinds.C, max_iter=2000).fit(vectorizer.fit_transform(questions), labels)
    asked = ["Bao nhiêu người được tuyển?", "Lãi bao nhiêu phần trăm?", "một câu không có từ nào đã học"]
    expected = reference.predict_proba(vectorizer.transform(asked))
    for question, row in zip(asked, expected):
        got = model.probabilities(question)
        assert sum(got.values()) == pytest.approx(1.0)
        assert [got[KIND_LABELS[c]] for c in reference.classes_] == pytest.approx(row.tolist(), abs=1e-9)
        assert got["fraction"] < 1e-9  # a kind no training question has
    model.save(tmp_path)
    loaded = KindPrior.load(tmp_path)
    for question in asked:
        assert list(loaded.probabilities(question).values()) == pytest.approx(
            list(model.probabilities(question).values()), abs=1e-3)


def test_a_two_kind_training_set_keeps_both_kinds():
    questions = [q for q, k in QUESTIONS if k in (COUNT, MONEY)] * 2
    labels = [k for _, k in QUESTIONS if k in (COUNT, MONEY)] * 2
    got = kinds.fit(questions, labels).probabilities("Công ty lãi bao nhiêu tỷ đồng?")
    assert got["money"] > got["count"] > 0 and got["money"] + got["count"] == pytest.approx(1.0)


def test_cross_fitted_probabilities_never_come_from_the_question_s_own_article():
    # one article's questions are the only ones asking for a date: out of its fold, no model has
    # seen that kind, so its questions get no probability for it
    questions, labels, groups = [], [], []
    for article in range(10):
        for q, k in QUESTIONS[:9]:
            questions.append(q); labels.append(k); groups.append(f"a{article}")
    questions += ["Khi nào cầu được khánh thành?", "Khi nào khởi công?"]
    labels += [DATE, DATE]
    groups += ["dates", "dates"]
    probs = kinds.cross_fitted(questions, labels, groups)
    assert probs.shape == (len(questions), len(KIND_LABELS))
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert probs[-2:, DATE].max() == 0.0
    # a question without a right figure (label −1) is scored but never fitted on
    probs = kinds.cross_fitted(questions + ["Bao nhiêu?"], labels + [-1], groups + ["lone"])
    assert probs[-1].sum() == pytest.approx(1.0)


def test_the_regressions_fit_and_predict_on_one_blas_thread(monkeypatch):
    # with more threads the regressions' last bits depend on the count and reach the float32
    # kind_prior column, so a retrain's rows hash would depend on the machine (eval/RESULTS.md)
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info, threadpool_limits

    seen = []
    fit, predict = LogisticRegression.fit, LogisticRegression.predict_proba

    def blas_threads():
        return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

    monkeypatch.setattr(LogisticRegression, "fit", lambda self, *a, **k: (seen.append(blas_threads()), fit(self, *a, **k))[1])
    monkeypatch.setattr(LogisticRegression, "predict_proba", lambda self, *a: (seen.append(blas_threads()), predict(self, *a))[1])
    questions, labels = [q for q, _ in QUESTIONS] * 2, [k for _, k in QUESTIONS] * 2
    with threadpool_limits(limits=2, user_api="blas"):
        kinds.fit(questions, labels)
        kinds.cross_fitted(questions, labels, [f"a{i % 5}" for i in range(len(questions))])
    assert len(seen) == 1 + 2 * 5 and all(s == {1} for s in seen), seen


@pytest.mark.parametrize("question, kind", [
    ("Có bao nhiêu người bị thương trong vụ cháy?", "count"),
    ("Tỷ lệ hộ nghèo giảm còn bao nhiêu phần trăm?", "percent"),
    ("Kim ngạch xuất khẩu thủy sản đạt bao nhiêu?", "money"),
    ("Vinachem lãi tổng cộng bao nhiêu?", "money"),
])
def test_the_shipped_prior_reads_the_kind_of_a_plain_question(question, kind):
    from qa.read.learned import MODEL_DIR

    got = KindPrior.load(MODEL_DIR).probabilities(question)
    assert max(got, key=got.get) == kind, got


def test_training_rows_get_their_figure_s_kind_cross_fitted_probability():
    from qa.read import training
    from qa.read.features import FEATURES

    qmeta, rows = [], []  # (question id, article, kind column or None, right?)
    for article in range(6):
        for q, k in QUESTIONS[:9]:
            qmeta.append({"question": q})
            i = len(qmeta) - 1
            rows += [(i, f"a{article}", k, True), (i, f"a{article}", (k + 1) % 3, False),
                     (i, f"a{article}", None, False)]
    X = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    for r, (_, _, k, _) in enumerate(rows):
        if k is not None:
            X[r, FEATURES.index(f"figure_{KIND_LABELS[k]}")] = 1.0
    data = {"X": X, "y": np.array([float(right) for *_, right in rows]), "qid": np.array([q for q, *_ in rows]),
            "article": np.array([a for _, a, *_ in rows]), "weight": np.ones(len(rows))}
    filled = training.fill_kind_prior(data, qmeta)["X"][:, FEATURES.index("kind_prior")]
    probs = kinds.cross_fitted([m["question"] for m in qmeta], [k for _, _, k, right in rows if right],
                               [f"a{i // 9}" for i in range(len(qmeta))])
    for r, (q, _, k, _) in enumerate(rows):
        assert filled[r] == pytest.approx(0.0 if k is None else probs[q, k], abs=1e-6)
    assert (filled > 0).sum() == 2 * len(qmeta)
