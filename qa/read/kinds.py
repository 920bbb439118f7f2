"""A learned prior on the kind of figure a question asks for: P(kind | the question's words).

``qa.read.question`` reads a question's kind from cues written by hand ("bao nhiêu phần trăm",
"giá", "lãi", …), and leaves it unset when none is there: a third of the hand-written training
questions ("Kim ngạch xuất khẩu đạt bao nhiêu?", "Vinachem lãi tổng cộng bao nhiêu?"). Here the
kind is learned instead: a multinomial logistic regression over the question's folded syllables
and syllable pairs, fitted by ``vnqa train-reader`` on the kinds of the training questions' right
figures. The ranker reads one number from it, the probability of the figure's own kind
(``kind_prior``), beside the hand-written kind features, so a figure's own words can still
outweigh it.

The training rows are filled with cross-fitted probabilities (:func:`cross_fitted`: each question's
from a model that never saw its article), as the service's model never saw the questions it is
asked; the shipped model (:class:`KindPrior`, ``kind.json`` beside the ranker) is fitted on them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.lexicon import normalize_folded

KIND_FILE = "kind.json"
# the figure kinds a question can ask for (``qa.read.features.KINDS``, whose one-hot columns label
# the training rows)
KIND_LABELS = ("count", "percent", "money", "fraction", "rate", "date")
MIN_QUESTIONS = 2  # a term in fewer training questions is not kept (a name, a typo)
C = 1.0  # the logistic regression's inverse regularisation (scikit-learn's default)
_SYLLABLE = re.compile(r"[^\W_]+")  # "1.500" is two terms: the question's digits say little of its kind


def question_terms(question: str) -> list[str]:
    """The question's folded syllables and neighbouring syllable pairs (numbers included): the
    model's inputs, the same in training and in the service."""
    syllables = _SYLLABLE.findall(normalize_folded(question))
    return syllables + [f"{a} {b}" for a, b in zip(syllables, syllables[1:])]


@dataclass(frozen=True)
class KindPrior:
    """The fitted model: each kept term's weight for each kind, and each kind's intercept."""

    vocabulary: dict[str, int]
    coef: np.ndarray  # (len(KIND_LABELS), len(vocabulary))
    intercept: np.ndarray  # (len(KIND_LABELS),)

    def probabilities(self, question: str) -> dict[str, float]:
        """P(kind | question) for every kind of ``KIND_LABELS``."""
        columns = sorted({self.vocabulary[t] for t in question_terms(question) if t in self.vocabulary})
        scores = self.intercept + self.coef[:, columns].sum(axis=1)
        scores = np.exp(scores - scores.max())
        return dict(zip(KIND_LABELS, (scores / scores.sum()).tolist()))

    def save(self, model_dir: Path) -> Path:
        path = Path(model_dir) / KIND_FILE
        terms = sorted(self.vocabulary, key=self.vocabulary.get)
        path.write_text(json.dumps({"kinds": KIND_LABELS, "terms": terms,
                                    "coef": np.round(self.coef, 5).tolist(),
                                    "intercept": np.round(self.intercept, 5).tolist()}, ensure_ascii=False),
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: Path) -> "KindPrior":
        data = json.loads((Path(model_dir) / KIND_FILE).read_text(encoding="utf-8"))
        if tuple(data["kinds"]) != KIND_LABELS:
            raise ValueError(f"{model_dir / KIND_FILE} is for the kinds {data['kinds']}; retrain with `vnqa train-reader`")
        return cls({t: i for i, t in enumerate(data["terms"])}, np.asarray(data["coef"]), np.asarray(data["intercept"]))


def _vectorizer(questions: Sequence[str]):
    """The term counter: terms of at least ``MIN_QUESTIONS`` questions, or every term when no term
    is in that many (a handful of questions, as in a small test run)."""
    from collections import Counter

    from sklearn.feature_extraction.text import CountVectorizer

    seen = Counter(t for q in questions for t in set(question_terms(q)))
    min_df = MIN_QUESTIONS if any(n >= MIN_QUESTIONS for n in seen.values()) else 1
    return CountVectorizer(analyzer=question_terms, binary=True, min_df=min_df)


def _regression(V, labels: np.ndarray):
    """The fitted regression, on one BLAS thread: with more, its last bits depend on the count,
    and some survive the cast of the ``kind_prior`` column to float32, so the training rows'
    hash would depend on the machine (eval/RESULTS.md, 2026-12-06, the kind prior)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return LogisticRegression(C=C, max_iter=2000).fit(V, labels)


def fit(questions: Sequence[str], labels: Sequence[int]) -> KindPrior:
    """The model fitted on the ``questions`` whose ``labels`` (indexes into ``KIND_LABELS``) are
    ≥ 0; the terms kept are those of at least ``MIN_QUESTIONS`` of all ``questions``. Kinds no
    question has get no weights and an intercept far below the others."""
    labels = np.asarray(labels)
    vectorizer = _vectorizer(questions)
    V = vectorizer.fit_transform(questions)
    lr = _regression(V[labels >= 0], labels[labels >= 0])
    coef = np.zeros((len(KIND_LABELS), V.shape[1]))
    intercept = np.full(len(KIND_LABELS), -30.0)
    if len(lr.classes_) == 2:  # scikit-learn keeps one row for two classes: the second's log-odds
        coef[lr.classes_[1]], intercept[lr.classes_[1]] = lr.coef_[0], lr.intercept_[0]
        intercept[lr.classes_[0]] = 0.0
    else:
        coef[lr.classes_], intercept[lr.classes_] = lr.coef_, lr.intercept_
    return KindPrior({t: int(i) for t, i in vectorizer.vocabulary_.items()}, coef, intercept)


def cross_fitted(questions: Sequence[str], labels: Sequence[int], groups: Sequence[str], folds: int = 5,
                 seed: int = 0) -> np.ndarray:
    """P(kind | question) for every question (rows × ``KIND_LABELS``), each from a regression
    fitted on the other folds' labelled questions, folds grouped by ``groups`` (articles); the
    terms are those of all ``questions``, as in :func:`fit`. ``labels`` < 0 are questions without
    a right figure: scored, never fitted on."""
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    labels = np.asarray(labels)
    V = _vectorizer(questions).fit_transform(questions)
    out = np.zeros((len(questions), len(KIND_LABELS)))
    for train, test in GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(V, groups=groups):
        train = train[labels[train] >= 0]
        lr = _regression(V[train], labels[train])
        with threadpool_limits(limits=1):  # as in _regression
            out[np.ix_(test, lr.classes_)] = lr.predict_proba(V[test])
    return out
