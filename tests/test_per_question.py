"""eval.per_question: two runs' per-question outcomes compared (majorities over the draws)."""

import json

import pytest

from eval import per_question as pq


def _line(qid, text, top1, answer_p, answer_right, draws=(1, 2, 3)):
    return {"id": qid, "question": text, "answerable": True, "draws": list(draws),
            "top1": top1, "answer_p": answer_p, "answer_right": answer_right}


@pytest.mark.parametrize("top1, expected", [
    ([1, 1, 0], "right"),
    ([1, 0, 0], "wrong"),
    ([1, None, 0], "wrong"),  # a tie over the draws where a right figure was retrieved
    ([None, None, None], None),
])
def test_top_figure_outcome_is_the_majority_over_draws(top1, expected):
    assert pq.top1_outcome(_line("A", "q", top1, [None] * 3, [None] * 3)) == expected


@pytest.mark.parametrize("answer_p, answer_right, expected", [
    ([0.9, 0.8, 0.75], [1, 1, 1], "right"),
    ([0.9, 0.8, 0.2], [0, 0, 0], "wrong"),
    ([0.9, 0.5, 0.2], [1, 1, 1], "silent"),  # answered in one draw of three
    ([None, None, None], [None, None, None], "silent"),  # no covered figure
])
def test_answer_outcome_at_a_threshold(answer_p, answer_right, expected):
    assert pq.answer_outcome(_line("A", "q", [1, 1, 1], answer_p, answer_right), 0.7) == expected


def test_compare_counts_transitions_and_splits_the_touched_questions(tmp_path):
    before = [_line("A", "lương bao nhiêu", [0, 0, 1], [0.9] * 3, [0, 0, 1]),
              _line("B", "bao nhiêu người", [1, 1, 1], [0.9] * 3, [1, 1, 1]),
              _line("C", "giá bao nhiêu", [1, 1, 0], [0.1] * 3, [1, 1, 0])]
    after = [_line("A", "lương bao nhiêu", [1, 1, 1], [0.9] * 3, [1, 1, 1]),
             _line("B", "bao nhiêu người", [0, 0, 1], [0.9] * 3, [0, 0, 1]),
             _line("C", "giá bao nhiêu", [1, 1, 0], [0.1] * 3, [1, 1, 0])]
    paths = []
    for name, rows in (("before", before), ("after", after)):
        p = tmp_path / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        paths.append(p)
    out = pq.compare(pq.load(paths[0]), pq.load(paths[1]), 0.7, touched={"lương bao nhiêu"})
    assert out["parts"]["touched"] == {"questions": 1, "top1": {"wrong->right": 1}, "answer": {"wrong->right": 1}}
    assert out["parts"]["other"]["top1"] == {"right->right": 1, "right->wrong": 1}
    assert out["parts"]["other"]["answer"] == {"right->wrong": 1, "silent->silent": 1}
    assert out["top1_won"] == [("A", "lương bao nhiêu")] and out["top1_lost"] == [("B", "bao nhiêu người")]


def test_files_from_other_draws_do_not_compare(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps(_line("A", "q", [1] * 3, [0.9] * 3, [1] * 3)) + "\n", encoding="utf-8")
    b.write_text(json.dumps(_line("A", "q", [1] * 3, [0.9] * 3, [1] * 3, draws=(6, 7, 8))) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        pq.compare(pq.load(a), pq.load(b), 0.7)


def _parts(touched_top1, other_top1):
    return {"touched": {"top1": touched_top1}, "other": {"top1": other_top1}}


@pytest.mark.parametrize("touched, other, expected", [
    # the null measured on 2026-12-05: a reseeded ranker, 66 won and 68 lost, and nothing touched
    ({}, {"wrong->right": 66, "right->wrong": 68}, "neutral"),
    # the wage change: 4 won and 3 lost where it reached, 52 and 71 elsewhere (71 − 52 = 19 < 2√123)
    ({"wrong->right": 4, "right->wrong": 3}, {"wrong->right": 52, "right->wrong": 71}, "neutral"),
    ({"wrong->right": 12, "right->wrong": 2}, {"wrong->right": 60, "right->wrong": 60}, "better"),  # 10 > 2√14
    ({"wrong->right": 12, "right->wrong": 2}, {"wrong->right": 40, "right->wrong": 80}, "worse"),  # 40 > 2√120
    ({"wrong->right": 2, "right->wrong": 12}, {"wrong->right": 60, "right->wrong": 60}, "worse"),
    ({"wrong->right": 8, "right->wrong": 2}, {"wrong->right": 60, "right->wrong": 60}, "neutral"),  # 6 < 2√10
])
def test_verdict_judges_the_reached_questions_against_the_churn(touched, other, expected):
    assert pq.verdict(_parts(touched, other)) == expected


def test_a_verdict_needs_the_reached_questions():
    with pytest.raises(ValueError):
        pq.verdict({"all": {"top1": {"wrong->right": 9}}})


def test_the_reached_questions_are_those_whose_rows_changed():
    a = {("A", "q1"): {"rows": "aa"}, ("B", "q2"): {"rows": "bb"}, ("C", "q3"): {"rows": "cc"}}
    b = {("A", "q1"): {"rows": "aa"}, ("B", "q2"): {"rows": "b2"}, ("D", "q4"): {"rows": "dd"}}
    assert pq.reached(a, b) == {"q2"}
    assert pq.reached({("A", "q1"): {}}, b) is None  # a file written before rows had digests


def test_answer_change_counts_right_minus_twice_wrong():
    # the forty-fifth model's reached questions at 0.70 (eval/RESULTS.md, 2026-12-05): +9 −3 right, +4 −2 wrong
    answer = {"right->right": 57, "right->silent": 3, "silent->right": 9, "silent->silent": 107,
              "silent->wrong": 4, "wrong->silent": 2, "wrong->wrong": 7}
    assert pq.answer_change(answer) == 2.0
    assert pq.answer_change({"right->wrong": 1}) == -3.0  # a right answer lost and a wrong one given
    assert pq.answer_change({"wrong->right": 1}, wrong_cost=1.0) == 2.0
