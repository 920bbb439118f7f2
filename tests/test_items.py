"""List items and proper names (qa.read.items), on real VietNews sentences."""

from __future__ import annotations

import pytest

from qa.read.items import ITEM_FEATURES, item_features, proper_names
from qa.read.rules import tokens
from tests.test_reader import _rows


@pytest.mark.parametrize("text, names", [
    # a capital that opens the sentence or a clause names nothing; a run of capitals is one name
    ("Như vậy, trong đợt chia cổ tức của Vietcombank sắp tới, Nhà nước dự kiến thu về khoảng 2.219 tỷ đồng, "
     "còn Mizuho Bank dự thu hơn 431 tỷ đồng.", [("vietcombank",), ("nha",), ("mizuho", "bank")]),
    ("Ông Trần Anh Thư, phó chủ tịch UBND tỉnh An Giang, cho biết: “Giá tăng” khi xuất sang Hong Kong "
     "đạt hơn 500 triệu USD và Mỹ hơn 550 triệu USD.",
     [("tran", "anh", "thu"), ("ubnd",), ("an", "giang"), ("hong", "kong"), ("my",)]),
    # numbers and currencies are not names
    ("Giá xăng RON 95 tăng 1.200 VNĐ/lít.", [("ron",)]),
    ("giá vàng tăng mạnh", []),
])
def test_proper_names(text, names):
    assert list(proper_names(text)) == names


def _features(sentence: str, question: str) -> dict[str, dict[str, float]]:
    cands, X, col = _rows(sentence, question)
    return {c.quantity.text: {f: float(X[i, col[f]]) for f in ITEM_FEATURES} for i, c in enumerate(cands)}


@pytest.mark.parametrize("sentence, question, asked, others", [
    # the label before the figure: a bank of the question, the others' names foreign to it
    ("Trong đó, nợ tại Vietcombank là hơn 623 tỷ đồng, tại BIDV 608 tỷ đồng, tại Vietinbank là 98 tỷ đồng "
     "và tại VIB là 36 tỷ đồng.", "Tính đến 30/6/2017, Vinaxuki còn nợ gốc BIDV bao nhiêu?", "608 tỷ đồng",
     ["hơn 623 tỷ đồng", "98 tỷ đồng", "36 tỷ đồng"]),
    # typed without tone marks or capitals: names still match by their folded syllables
    ("Như vậy, trong đợt chia cổ tức của Vietcombank sắp tới, Nhà nước dự kiến thu về khoảng 2.219 tỷ đồng, "
     "còn Mizuho Bank dự thu hơn 431 tỷ đồng.", "doi tac mizuho du kien thu ve bao nhieu tu dot chia co tuc",
     "hơn 431 tỷ đồng", ["khoảng 2.219 tỷ đồng"]),
])
def test_the_asked_item_has_the_question_s_name(sentence, question, asked, others):
    f = _features(sentence, question)
    assert f[asked]["names_left_matched"] > 0
    for o in others:
        assert f[o]["names_left_matched"] < f[asked]["names_left_matched"] or \
            f[o]["names_left_foreign"] > f[asked]["names_left_foreign"], (o, f[o], f[asked])


def test_a_percentage_s_item_runs_past_the_count_before_it():
    """"khách quốc tế 67.250 lượt (tăng 13,42%)": for the percentage, the previous figure of its
    kind is 12,67%, so "khách quốc tế" is in its item; for the segment to the nearest figure of
    any kind it would not be."""
    sentence = ("Trong tháng 2/2019, tỉnh Bình Thuận đã đón khoảng 513.500 lượt du khách (tăng 12,67% so cùng kỳ), "
                "trong đó khách quốc tế có khoảng 67.250 lượt (tăng 13,42% so cùng kỳ).")
    f = _features(sentence, "Lượng khách quốc tế đến Bình Thuận tăng bao nhiêu phần trăm so với cùng kỳ?")
    assert f["13,42%"]["same_kind_in_sentence"] == 2
    assert f["13,42%"]["kind_left_best"] == 1 and f["12,67%"]["kind_left_best"] == 0
    assert f["13,42%"]["kind_left_coverage"] > f["12,67%"]["kind_left_coverage"]


def test_a_lone_figure_s_items_reach_the_sentence_ends():
    sentence = "Từ 15h chiều nay, giá xăng giảm 373 đồng/lít."
    c, = [c for c in _rows(sentence, "giá xăng giảm bao nhiêu")[0]]
    terms = frozenset(tokens("giá xăng giảm"))

    def coverage(text: str) -> float:  # each of the three question words weighs the same
        return len(terms & set(tokens(text))) / len(terms)

    (values,) = item_features(sentence, [c], coverage, terms).values()
    row = dict(zip(ITEM_FEATURES, values))
    assert row["same_kind_in_sentence"] == 1
    # its left item is the sentence up to its own end; its right item starts at the figure
    assert row["kind_left_coverage"] == 1.0 and row["kind_left_best"] == 1
    assert row["kind_right_coverage"] == 0.0 and row["kind_right_best"] == 0
