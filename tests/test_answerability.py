"""The answer-or-abstain model (qa.read.answerability) and the training rows it is fitted on."""

from __future__ import annotations

import numpy as np
import pytest

from qa.read.answerability import (ANSWER_FEATURES, AnswerModel, BoostedAnswerModel, answer_row, best_covered,
                                   covered, load_answer_model)
from qa.read.features import FEATURES
from qa.read.fitting import answer_rows, answer_sweep, choose_answer_model

COL = {f: i for i, f in enumerate(FEATURES)}


def _rows(n: int, **columns: list[float]) -> np.ndarray:
    X = np.zeros((n, len(FEATURES)), dtype=np.float32)
    for name, values in columns.items():
        X[:, COL[name]] = values
    return X


def test_best_covered_skips_figures_outside_the_asked_place_and_time():
    # figure 0 scores best but is about another place; figure 2 lacks the asked time
    X = _rows(3, place_asked=[1, 1, 1], place_match_sentence=[0, 1, 1],
              time_asked=[1, 1, 1], time_match=[1, 0, 0], time_published_in_asked=[0, 1, 0])
    assert covered(X).tolist() == [False, True, False]
    assert best_covered(np.array([0.9, 0.4, 0.8]), X) == 1
    assert best_covered(np.array([0.9, 0.4, 0.8]), X[[0, 2]]) is None
    # a question naming neither: every figure is covered
    assert best_covered(np.array([0.2, 0.7]), _rows(2)) == 1


def test_answer_row_measures_the_lead_over_another_value_and_repeats():
    # figures 0 and 2 are the same value (same magnitude and kind) said twice; 1 is another value
    X = _rows(3, log_value=[2.5, 3.0, 2.5], figure_count=[1, 1, 1])
    row = dict(zip(ANSWER_FEATURES, answer_row(np.array([0.7, 0.5, 0.6]), X, 0)))
    assert row["best_score"] == pytest.approx(0.7) and row["second_score"] == pytest.approx(0.6)
    assert row["margin_over_other_value"] == pytest.approx(0.2) and row["best_other_value"] == pytest.approx(0.5)
    assert row["same_value_count"] == 2 and row["same_value_score"] == pytest.approx(1.3)
    alone = dict(zip(ANSWER_FEATURES, answer_row(np.array([0.7]), X[:1], 0)))
    assert alone["margin_over_other_value"] == pytest.approx(0.7) and alone["second_score"] == 0.0


def test_answer_model_learns_the_score_and_survives_its_card():
    rng = np.random.default_rng(0)
    rows = rng.random((400, len(ANSWER_FEATURES)))
    labels = (rows[:, 0] + 0.1 * rng.standard_normal(400) > 0.5).astype(int)  # right when best_score is high
    model = AnswerModel.fit(rows, labels)
    low, high = rows[0].copy(), rows[0].copy()
    low[0], high[0] = 0.1, 0.9
    assert model.probability(low) < 0.2 < 0.8 < model.probability(high)
    again = AnswerModel.from_card(model.to_card())
    assert again.probability(high) == pytest.approx(model.probability(high), abs=1e-6)


def test_boosted_answer_model_learns_the_score_and_survives_its_file(tmp_path):
    rng = np.random.default_rng(0)
    rows = rng.random((600, len(ANSWER_FEATURES)))
    labels = (rows[:, 0] + 0.1 * rng.standard_normal(600) > 0.5).astype(int)
    model = BoostedAnswerModel.fit(rows, labels)
    low, high = rows[0].copy(), rows[0].copy()
    low[0], high[0] = 0.1, 0.9
    assert model.probability(low) < 0.2 < 0.8 < model.probability(high)
    card = model.to_card(tmp_path)
    again = load_answer_model(card, tmp_path)
    assert isinstance(again, BoostedAnswerModel)
    assert again.probability(high) == pytest.approx(model.probability(high), abs=1e-9)
    assert isinstance(load_answer_model(AnswerModel.fit(rows, labels).to_card(), tmp_path), AnswerModel)


def test_the_answer_model_that_gives_more_right_answers_ships():
    # right only when exactly one of two features is high: no straight line separates that, trees do
    rng = np.random.default_rng(1)
    rows = rng.random((1500, len(ANSWER_FEATURES)))
    labels = ((rows[:, 0] > 0.5) ^ (rows[:, 1] > 0.5)).astype(int)
    groups = np.arange(1500) // 5
    kind, sweeps = choose_answer_model(rows, labels, groups, wrong_cost=2.0)
    assert kind == "boosted" and set(sweeps) == {"logistic", "boosted"}


def test_on_a_tie_the_logistic_answer_model_ships(monkeypatch):
    from qa.read import fitting

    same = np.array([0.9, 0.8, 0.3, 0.2])
    monkeypatch.setattr(fitting, "answer_model_oof", lambda rows, labels, groups, kind: same)
    kind, _ = choose_answer_model(np.zeros((4, len(ANSWER_FEATURES))), np.array([1, 1, 0, 0]), np.arange(4), 2.0)
    assert kind == "logistic"


def test_answer_rows_label_the_best_covered_figure_of_each_question():
    # question 0: best figure right; question 1: best figure wrong; question 2: nothing covered
    X = _rows(5, log_value=[1, 2, 1, 2, 1], place_asked=[0, 0, 0, 0, 1])
    data = {"X": X, "y": np.array([1, 0, 0, 1, 1], np.int8), "qid": np.array([0, 0, 1, 1, 2]),
            "article": np.array([10, 10, 11, 11, 12])}
    rows, labels, groups, kept = answer_rows(np.array([0.8, 0.3, 0.6, 0.4, 0.9]), data, [0, 1, 2])
    assert kept == [0, 1] and labels.tolist() == [1, 0] and groups.tolist() == [10, 11]
    assert rows.shape == (2, len(ANSWER_FEATURES))
    sweep = {r["threshold"]: r for r in answer_sweep(np.array([0.9, 0.3]), labels)}
    assert sweep[0.5] == {"threshold": 0.5, "answered": 1, "top1_right": 1, "false_answer_rate": 0.0}
    assert sweep[0.2]["answered"] == 2 and sweep[0.2]["false_answer_rate"] == 0.5


def test_ranking_groups_are_the_questions_and_must_come_in_order():
    from qa.read.training import _dataset

    X = _rows(5)
    ds = _dataset(X, np.array([1, 0, 0, 1, 0]), np.ones(5), np.array([0, 0, 1, 1, 1])).construct()
    assert ds.get_group().tolist() == [2, 3]
    with pytest.raises(ValueError):
        _dataset(X, np.zeros(5), np.ones(5), np.array([1, 1, 0, 0, 0]))


def test_figure_scores_keep_the_model_s_order_on_one_scale():
    from qa.read.learned import MODEL_DIR, MODEL_FILE, figure_scores
    import lightgbm as lgb

    booster = lgb.Booster(model_file=str(MODEL_DIR / MODEL_FILE))
    X = np.random.default_rng(1).random((40, len(FEATURES))).astype(np.float32)
    scores = figure_scores(booster, X)
    raw = booster.predict(X, raw_score=True)
    assert ((scores > 0) & (scores < 1)).all()
    assert (np.argsort(scores, kind="stable") == np.argsort(raw, kind="stable")).all()


@pytest.mark.parametrize("feature, direction", [
    ("best_score", +1), ("margin_over_other_value", +1), ("best_other_value", -1),
])
def test_the_shipped_confidence_moves_one_way_with_the_scores_that_decide_it(feature, direction):
    # A confidence that fell as the best figure's score rose could not be read as one: the shipped
    # answer model is constrained to be monotone in these three (BOOSTED_PARAMS), whatever else
    # the question's row holds. Random rows cover the feature space, as the constraint must.
    from qa.read.learned import MODEL_DIR, load_card

    model = load_answer_model(load_card()["answer_model"], MODEL_DIR)
    rng = np.random.default_rng(7)
    rows = rng.random((200, len(ANSWER_FEATURES)))
    rows[:, ANSWER_FEATURES.index("log_candidates")] *= 4
    rows[:, ANSWER_FEATURES.index("same_value_count")] = rng.integers(1, 4, 200)
    column = ANSWER_FEATURES.index(feature)
    for row in rows:
        probs = []
        for value in np.linspace(0.0, 1.0, 21):
            row[column] = value
            probs.append(model.probability(row))
        steps = np.diff(probs) * direction
        assert (steps >= -1e-12).all(), (feature, probs)
