"""eval.older_figures: how another article's figure for the same measure is labelled and banded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eval.gold import AlsoIn, GoldItem
from eval.older_figures import band_of, bands, is_right, label
from qa.read.learned import newer_than

# a training question with two other articles (eval/vnews_train/train2.jsonl, G021: Tết bonuses)
ITEM = GoldItem(id="G021", question="Mức thưởng Tết Nguyên đán bình quân là bao nhiêu một người?", answerable=True,
                value=6_310_000, doc_id="vn_004377",
                also_in=(AlsoIn("vn_013090", 5_530_000, "…"), AlsoIn("vn_014000", None, "…"),
                         AlsoIn("vn_015000", 6_310_000, "…")))


def figure(doc_id: str, value: float):
    return SimpleNamespace(doc_id=doc_id, quantity=SimpleNamespace(value=value), date=None)


@pytest.mark.parametrize("doc_id, value, expected", [
    ("vn_013090", 5_530_000, "right"),        # the older article's own figure
    ("vn_013090", 624_000_000, "other value"),  # that article, another of its figures
    ("vn_014000", 1_000, "right"),            # also_in without a value: any of its figures
    ("vn_004377", 6_310_000, "gold article"),  # the answer came from another article
    ("vn_004377", 1_420_000, "unmarked"),      # the gold article, another figure
    ("vn_999999", 5_530_000, "unmarked"),      # an article the item does not name
])
def test_label(doc_id, value, expected):
    assert label(ITEM, figure(doc_id, value)) == expected


def test_a_look_alike_the_item_names_is_labelled_apart_from_an_unmarked_article():
    # the same kind and unit in another article, another thing (eval/vnews_multi's look_alike)
    item = GoldItem(id="M", question="Lương tối thiểu vùng I là bao nhiêu?", answerable=True, value=3_980_000,
                    doc_id="vn_000001", look_alike=(AlsoIn("vn_000002", 3_530_000, "…"),))
    assert label(item, figure("vn_000002", 3_530_000)) == "look-alike"
    assert label(item, figure("vn_000002", 3_090_000)) == "unmarked"  # another figure of that article


@pytest.mark.parametrize("doc_id, value, expected", [
    ("vn_004377", 6_310_000, True),
    ("vn_015000", 6_310_000, True),   # an also_in article giving the same figure answers as well
    ("vn_013090", 5_530_000, False),  # the older figure is not the answer
    ("vn_004377", 6_400_000, False),
])
def test_is_right(doc_id, value, expected):
    assert is_right(ITEM, figure(doc_id, value)) is expected


def test_an_unanswerable_question_has_no_right_figure():
    item = GoldItem(id="U", question="…", answerable=False)
    assert not is_right(item, figure("vn_004377", 6_310_000))


def test_bands_run_from_the_threshold_down():
    rows = bands(0.68, [0.5, 0.6, 0.9])  # a bar above the threshold is no band below it
    assert [name for _, name in rows] == ["≥ 0.68 (listed)", "0.6 to 0.68", "0.5 to 0.6", "< 0.5"]
    assert [band_of(p, rows) for p in (0.68, 0.679, 0.6, 0.55, 0.1)] == [
        "≥ 0.68 (listed)", "0.6 to 0.68", "0.6 to 0.68", "0.5 to 0.6", "< 0.5"]
    assert [name for _, name in bands(0.7, [])] == ["≥ 0.7 (listed)", "< 0.7"]


def test_newer_than_places_an_undated_article_oldest_and_an_undated_answer_nowhere():
    answer, newer, same_day, undated = (SimpleNamespace(published=d) for d in ("2018-07-18", "2018-07-20", "2018-07-18", None))
    assert newer_than(newer, answer) and not newer_than(same_day, answer) and not newer_than(undated, answer)
    assert not newer_than(newer, undated)  # nothing is newer than an answer that cannot be placed in time
