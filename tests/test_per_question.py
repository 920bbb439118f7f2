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
