"""Whether to answer at all: a small model over the whole question, not one figure's score.

The figure scorer (``qa.read.learned``) says how likely each figure is to be the answer, one
figure at a time. Whether its best figure should be given is a question about all of them: a
best figure far ahead of any figure with another value, or repeated in several passages, is
safer than one barely ahead of a rival; a question naming a time that only the best figure's
article date matches is riskier. So the decision to answer is a logistic regression over
:data:`ANSWER_FEATURES` of one question, fitted by ``vnqa train-reader`` on out-of-fold figure
scores of the hand-written questions (so it sees scores the way the service does, from a model
that never saw the question), and its probability is ``answer.confidence``. Two kinds of model
can make that decision: a logistic regression (:class:`AnswerModel`) and small boosted trees
(:class:`BoostedAnswerModel`), which can learn that a lead means more when the figure's kind
was asked for; ``vnqa train-reader`` fits both out of fold and ships the one that gives more
right − 2 × wrong answers (the card records both).

:func:`best_covered` is the one definition, shared by training and the service, of which figure
is "the best": the highest-scored one whose sentence or context covers the place and the time
the question names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.read.features import FEATURES, KINDS

_COLUMN = {f: i for i, f in enumerate(FEATURES)}
# the best figure's own features that bear on whether it is safe to give
_ROW_FEATURES = ("time_asked", "time_match", "time_published_in_asked", "place_asked", "place_match_sentence",
                 "place_match_context", "semantic", "coverage", "passage_rank", "kind_match", "no_kind_asked",
                 "question_unaccented", "label_coverage", "figures_in_sentence")
ANSWER_FEATURES: tuple[str, ...] = (
    "best_score", "second_score", "margin_over_other_value", "best_other_value", "log_candidates",
    "same_value_count", "same_value_score", "score_sum",
    *(f"best_{f}" for f in _ROW_FEATURES),
)
_KIND_COLUMNS = [_COLUMN[f"figure_{k}"] for k in KINDS]


def place_covered(X: np.ndarray) -> np.ndarray:
    """Per figure: does its sentence or context name the place the question names (true when
    the question names none)?"""
    c = _COLUMN
    return (X[:, c["place_asked"]] == 0) | (X[:, c["place_match_sentence"]] > 0) | (X[:, c["place_match_context"]] > 0)


def time_covered(X: np.ndarray) -> np.ndarray:
    """Per figure: is its period, or its article's date, the period the question names (true
    when the question names none)?"""
    c = _COLUMN
    return (X[:, c["time_asked"]] == 0) | (X[:, c["time_match"]] > 0) | (X[:, c["time_published_in_asked"]] > 0)


def covered(X: np.ndarray) -> np.ndarray:
    """Per figure: does it cover both the place and the time the question names? An uncovered
    figure is never given."""
    return place_covered(X) & time_covered(X)


def best_covered(scores: np.ndarray, X: np.ndarray) -> int | None:
    """The index of the highest-scored covered figure, or None when no figure is covered."""
    ok = covered(X)
    if not ok.any():
        return None
    return int(np.flatnonzero(ok)[np.argmax(scores[ok])])


def _value_keys(X: np.ndarray) -> list[tuple]:
    """A figure's value as the features hold it (its log-magnitude and its kind): equal keys are
    the same figure, said in several places."""
    return [(float(r[_COLUMN["log_value"]]), *(float(r[k]) for k in _KIND_COLUMNS)) for r in X]


def answer_row(scores: np.ndarray, X: np.ndarray, best: int) -> np.ndarray:
    """:data:`ANSWER_FEATURES` for one question whose figures have ``scores`` and feature rows
    ``X``, about to be answered by figure ``best``."""
    keys = _value_keys(X)
    same = np.array([k == keys[best] for k in keys])
    others = scores[~same]
    rest = np.delete(scores, best)
    best_other = float(others.max()) if others.size else 0.0
    row = X[best]
    return np.array([
        scores[best], float(rest.max()) if rest.size else 0.0, scores[best] - best_other, best_other,
        np.log1p(len(scores)), float(same.sum()), float(scores[same].sum()), float(scores.sum()),
        *(row[_COLUMN[f]] for f in _ROW_FEATURES),
    ], dtype=np.float64)


@dataclass(frozen=True)
class AnswerModel:
    """A standardised logistic regression: P(the best figure is right | :data:`ANSWER_FEATURES`)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, row: np.ndarray) -> float:
        z = float(((row - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def fit(cls, rows: np.ndarray, labels: np.ndarray, C: float = 1.0) -> "AnswerModel":
        from sklearn.linear_model import LogisticRegression

        mean = rows.mean(axis=0)
        scale = rows.std(axis=0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(max_iter=3000, C=C).fit((rows - mean) / scale, labels)
        return cls(mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]))

    def to_card(self, model_dir: Path | None = None) -> dict:
        """The card entry; the whole model is in it (``model_dir``, where boosted trees would be
        written, is not needed)."""
        return {"model": "logistic regression on standardised features", "features": list(ANSWER_FEATURES),
                "mean": self.mean.round(8).tolist(), "scale": self.scale.round(8).tolist(),
                "coef": self.coef.round(8).tolist(), "intercept": round(self.intercept, 8)}

    @classmethod
    def from_card(cls, card: dict) -> "AnswerModel":
        return cls(np.array(card["mean"]), np.array(card["scale"]), np.array(card["coef"]), float(card["intercept"]))


# Small trees on ~3,000 question rows: shallow, many rows a leaf, slow learning, so that the
# probabilities stay smooth enough to threshold. Chosen ad hoc out of fold (three fold draws,
# 200 rounds × 7 leaves against 400 × 15: 712 against 693 right − 2 × wrong; eval/RESULTS.md).
# Monotone in what decides it: P(right) never falls as the best figure's score or its margin over
# another value rises, and never rises with that rival's score.
_MONOTONE = {"best_score": 1, "margin_over_other_value": 1, "best_other_value": -1}
BOOSTED_PARAMS = dict(objective="binary", learning_rate=0.05, num_leaves=7, min_data_in_leaf=40,
                      feature_fraction=0.8, bagging_fraction=0.8, bagging_freq=1, verbose=-1,
                      num_threads=1, seed=1,
                      monotone_constraints=[_MONOTONE.get(f, 0) for f in ANSWER_FEATURES])
BOOSTED_ROUNDS = 200
BOOSTED_FILE = "answer.lgb.txt"


class BoostedAnswerModel:
    """Gradient-boosted trees (LightGBM, binary): P(the best figure is right | :data:`ANSWER_FEATURES`).
    The trees are stored beside the reader's card (``BOOSTED_FILE``), not inside it."""

    def __init__(self, booster):
        self.booster = booster

    def probability(self, row: np.ndarray) -> float:
        return float(self.booster.predict(np.asarray(row, dtype=np.float64).reshape(1, -1), num_threads=1)[0])

    @classmethod
    def fit(cls, rows: np.ndarray, labels: np.ndarray) -> "BoostedAnswerModel":
        import lightgbm as lgb

        return cls(lgb.train(BOOSTED_PARAMS, lgb.Dataset(rows, labels, feature_name=list(ANSWER_FEATURES)),
                             BOOSTED_ROUNDS))

    def to_card(self, model_dir: Path) -> dict:
        """Write the trees into ``model_dir``; the card entry that names them."""
        self.booster.save_model(str(Path(model_dir) / BOOSTED_FILE))
        return {"model": "lightgbm binary", "file": BOOSTED_FILE, "features": list(ANSWER_FEATURES),
                "params": BOOSTED_PARAMS, "rounds": BOOSTED_ROUNDS}

    @classmethod
    def from_card(cls, card: dict, model_dir: Path) -> "BoostedAnswerModel":
        import lightgbm as lgb

        return cls(lgb.Booster(model_file=str(Path(model_dir) / card["file"])))


ANSWER_MODELS = {"logistic": AnswerModel, "boosted": BoostedAnswerModel}


def load_answer_model(card: dict, model_dir: Path) -> AnswerModel | BoostedAnswerModel:
    """The answer model a reader card describes (its ``answer_model`` entry)."""
    if card.get("file"):
        return BoostedAnswerModel.from_card(card, model_dir)
    return AnswerModel.from_card(card)
