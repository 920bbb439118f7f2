"""eval.where_lost: the stage each question stops at, from its figures' scores, rows and labels."""

import numpy as np
import pytest

from eval.where_lost import (ABSTAINED, FALSE_ANSWER, NO_RIGHT, NONE_COVERED, OTHER_FIRST_ABSTAINED, OTHER_FIRST_WRONG,
                             RIGHT_ABSTAINED, RIGHT_ANSWERED, VETO_BOTH, VETO_PLACE, VETO_TIME, main, sample_at, stage_of,
                             stages, table, written_items)
from qa.read.features import FEATURES

COL = {f: i for i, f in enumerate(FEATURES)}


def _rows(*figures: dict) -> np.ndarray:
    """One feature row per figure, zero but for the named time and place columns."""
    X = np.zeros((len(figures), len(FEATURES)), np.float32)
    for i, f in enumerate(figures):
        for name, v in f.items():
            X[i, COL[name]] = v
    return X


FREE = {}  # the question names no time or place: every figure is covered
TIME_MISSED = {"time_asked": 1}  # the question names a time this figure does not cover
TIME_MET = {"time_asked": 1, "time_match": 1}
PLACE_MISSED = {"place_asked": 1}
BOTH_MISSED = {"time_asked": 1, "place_asked": 1}
TIME_MET_PLACE_MISSED = {"time_asked": 1, "time_match": 1, "place_asked": 1}


@pytest.mark.parametrize("figures, scores, y, answerable, confidence, expected", [
    ([FREE, FREE], [0.9, 0.2], [0, 0], True, 0.9, NO_RIGHT),
    ([], [], [], True, None, NO_RIGHT),
    # the right figure (second) misses only the time, only the place, or both
    ([TIME_MET, TIME_MISSED], [0.3, 0.9], [0, 1], True, 0.9, VETO_TIME),
    ([FREE, PLACE_MISSED], [0.3, 0.9], [0, 1], True, 0.9, VETO_PLACE),
    ([FREE, BOTH_MISSED], [0.3, 0.9], [0, 1], True, 0.9, VETO_BOTH),
    # one right figure misses the time, another right one the place: each rule alone would let one through
    ([TIME_MISSED, TIME_MET_PLACE_MISSED], [0.5, 0.9], [1, 1], True, None, VETO_TIME),
    ([FREE, FREE], [0.9, 0.5], [0, 1], True, 0.8, OTHER_FIRST_WRONG),
    ([FREE, FREE], [0.9, 0.5], [0, 1], True, 0.3, OTHER_FIRST_ABSTAINED),
    # a higher-scored figure that misses the time is not "first": the right one is the best covered
    ([TIME_MISSED, TIME_MET], [0.9, 0.5], [0, 1], True, 0.8, RIGHT_ANSWERED),
    ([FREE, FREE], [0.2, 0.7], [0, 1], True, 0.5, RIGHT_ABSTAINED),
    ([FREE, FREE], [0.2, 0.7], [0, 1], True, 0.6, RIGHT_ANSWERED),  # at the threshold: answered
    ([TIME_MISSED], [0.9], [0], False, None, NONE_COVERED),
    ([FREE], [0.9], [0], False, 0.59, ABSTAINED),
    ([FREE], [0.9], [0], False, 0.61, FALSE_ANSWER),
])
def test_stage_of(figures, scores, y, answerable, confidence, expected):
    X = _rows(*figures) if figures else np.zeros((0, len(FEATURES)), np.float32)
    assert stage_of(np.array(scores, float), X, np.array(y, np.int8), answerable, confidence, 0.6) == expected


def test_stages_reads_each_question_s_rows_and_the_table_shares_them_by_kind_of_question():
    # question 0: right first, confident; 1: unanswerable, answered; 2: rows interleaved with 0's, right not a candidate
    data = {"X": _rows(FREE, FREE, FREE, FREE, FREE), "y": np.array([1, 0, 0, 0, 0], np.int8),
            "qid": np.array([0, 0, 2, 1, 2])}
    scores = np.array([0.9, 0.1, 0.5, 0.8, 0.4])
    answerable = {0: True, 1: False, 2: True}
    found = stages(scores, data, [0, 1, 2], answerable, {0: 0.9, 1: 0.7, 2: 0.9}, 0.6)
    assert found == {0: RIGHT_ANSWERED, 1: FALSE_ANSWER, 2: NO_RIGHT}
    lines = {(group, stage): (n, share) for group, stage, n, share in table(found, answerable)}
    assert lines[("answerable", RIGHT_ANSWERED)] == (1, 0.5)
    assert lines[("answerable", NO_RIGHT)] == (1, 0.5)
    assert lines[("unanswerable", FALSE_ANSWER)] == (1, 1.0)
    assert lines[("answerable", VETO_TIME)] == (0, 0.0)


FOUND = {0: VETO_TIME, 1: RIGHT_ANSWERED, 2: VETO_TIME, 3: VETO_PLACE, 4: VETO_BOTH, 5: VETO_TIME}


def test_sample_at_draws_only_the_named_stages_the_same_way_for_one_seed():
    got = sample_at(FOUND, "vetoed by the time", 2, seed=3)
    assert len(got) == 2 and set(got) <= {0, 2, 4, 5} and got == sorted(got)  # "time and place" holds it too
    assert got == sample_at(FOUND, "vetoed by the time", 2, seed=3)
    assert {tuple(sample_at(FOUND, "vetoed by the time", 2, seed=s)) for s in range(20)} != {tuple(got)}
    assert sample_at(FOUND, "vetoed by the place rule", 10, seed=0) == [3]  # fewer than asked: all of them
    assert sample_at(FOUND, "no right figure", 5, seed=0) == []


def test_written_items_key_by_id_and_question(tmp_path):
    a, b = tmp_path / "train.jsonl", tmp_path / "train2.jsonl"
    row = '{{"id": "A001", "question": "{q}", "answerable": true, "value": 5, "doc_id": "vn_1", "evidence": "{e}"}}\n'
    a.write_text(row.format(q="Q1?", e="e1") + "\n", encoding="utf-8")
    b.write_text(row.format(q="Q2?", e="e2"), encoding="utf-8")  # the id again
    items = written_items([a, b])
    assert items[("A001", "Q1?")].evidence == "e1" and items[("A001", "Q2?")].evidence == "e2"


def test_a_stage_that_names_none_is_refused_before_any_work(capsys):
    with pytest.raises(SystemExit):
        main(["--stage", "vetoed by the moon", "--sample", "3", "--work", "/nonexistent"])
    assert "names no stage" in capsys.readouterr().err
