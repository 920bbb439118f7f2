"""eval.oof_errors: which questions' top figure is wrong, and where the wrong pick sits."""

from types import SimpleNamespace

import numpy as np

from eval.oof_errors import Error, place_of, wrong_top1


def test_wrong_top1_takes_questions_with_a_right_candidate_not_on_top():
    # question 0: right on top; 1: wrong on top, two right ones; 2: no right candidate;
    # 3: rows interleaved with question 1's, wrong on top
    qid = np.array([0, 0, 1, 1, 3, 1, 3, 2, 2])
    y = np.array([1, 0, 1, 0, 1, 1, 0, 0, 0])
    scores = np.array([0.9, 0.1, 0.3, 0.8, 0.2, 0.5, 0.6, 0.7, 0.1])
    errors = wrong_top1(scores, y, qid, [0, 1, 2, 3])
    assert errors == [Error(1, 1, 2, errors[0].gap), Error(3, 1, 0, errors[1].gap)]
    assert np.isclose(errors[0].gap, 0.3) and np.isclose(errors[1].gap, 0.4)


def test_wrong_top1_only_looks_at_the_questions_asked_for():
    qid = np.array([0, 0, 1, 1])
    y = np.array([0, 1, 0, 1])
    scores = np.array([0.9, 0.1, 0.9, 0.1])
    assert [e.question for e in wrong_top1(scores, y, qid, [1])] == [1]


def _cand(doc, sentence, start, kind="count"):
    return SimpleNamespace(doc_id=doc, sentence_id=sentence, quantity=SimpleNamespace(start=start, kind=kind))


def test_place_of_a_wrong_pick():
    assert place_of(_cand("a", 1, 0), _cand("a", 1, 30)) == [
        "same sentence", "same kind", "same sentence, same kind", "same sentence, right figure after the pick"]
    assert place_of(_cand("a", 1, 40), _cand("a", 1, 30))[-1] == "same sentence, right figure before the pick"
    assert place_of(_cand("a", 1, 0, "money"), _cand("a", 2, 0)) == [
        "same article", "other kind", "same article, other kind"]
    assert place_of(_cand("a", 1, 0), _cand("b", 7, 0))[0] == "other article"
