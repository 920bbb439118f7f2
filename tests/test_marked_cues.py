"""Cues are matched with their tone marks when the text has them, folded only when it has none.

Folded, many Vietnamese words are one string: "tầng"/"tặng" and "tăng", "Huệ" and "Huế", "diễn
biến" and "Điện Biên", "đầu tư" and "từ", "Nhật" and "nhất", "máy" and "mấy". A question or a
sentence written with its marks says which word it is; typed without them, it cannot, and the
folded reading stays. The sentences and questions here are from VietNews articles or written like
its training questions.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from qa.read.features import FEATURES, _FROM_BEFORE, _figure_is_change, feature_rows
from qa.read.figures import find_quantities
from qa.read.places import mentions_local, mentions_national, places_in
from qa.read.question import profile_question
from tests.test_reader import _candidate

COL = {f: i for i, f in enumerate(FEATURES)}


@pytest.mark.parametrize("question, target, change_verb", [
    # "máy" is no "mấy": the counted noun is after "bao nhiêu", not after "Nhà máy"
    ("Nhà máy điện rác Sóc Sơn xử lý bao nhiêu tấn rác mỗi ngày?", ("tan", "rac", "ngay"), None),
    ("Công ty tặng bao nhiêu suất quà?", ("suat", "qua"), None),  # "tặng" (gave) is no change
    ("Giá xăng tăng bao nhiêu?", (), "tang"),
    ("Giá xăng giảm thêm bao nhiêu đồng?", (), "giam"),
    # typed without marks, "tang" may be either: the change is read, as before
    ("cong ty tang bao nhieu suat qua", ("suat", "qua"), "tang"),
])
def test_a_question_s_counted_noun_and_change_verb_are_read_with_its_marks(question, target, change_verb):
    profile = profile_question(question)
    assert profile.target == target
    assert profile.change_verb == change_verb


@pytest.mark.parametrize("text, places", [
    ("Diễn biến giá vàng tháng 5 ra sao?", set()),  # not Điện Biên
    ("Đường Nguyễn Huệ dài bao nhiêu mét?", set()),  # not Huế
    ("Máy giặt đa năng giá bao nhiêu?", set()),  # not Đà Nẵng
    ("Dự án ở Điện Biên vốn bao nhiêu?", {"dien bien"}),
    ("Giá vé tham quan ở Huế tăng bao nhiêu?", {"thua thien hue"}),
    ("du an o dien bien von bao nhieu", {"dien bien"}),  # typed without marks: read folded
    # a whole name typed without marks in a question with them is that name, read folded ...
    ("Giá đất ở Ha Noi tăng bao nhiêu?", {"ha noi"}),
    # ... but a name whose syllables are partly marked is not: "binh" is a word of its own
    ("Tháng 2-2017, cựu binh Dương Văn Dũng đã qua đời.", set()),
])
def test_provinces_are_matched_with_their_marks(text, places):
    assert places_in(text) == places


def test_national_and_local_markers_are_whole_words_with_their_marks():
    assert mentions_national("Tổng kim ngạch của cả nước đạt 5 tỷ USD")
    assert not mentions_national("Hàng Trung Quốc giá rẻ tràn vào")  # "quốc giá" is no "quốc gia"
    assert mentions_national("kim ngach ca nuoc dat 5 ty usd")
    assert mentions_national("Kim ngạch của ca nuoc đạt bao nhiêu?")  # the marker typed plain
    assert mentions_local("Trên địa bàn tỉnh có 120 doanh nghiệp")
    assert mentions_local("cuc thue cua tinh binh duong")


@pytest.mark.parametrize("sentence, figure, is_change", [
    ("Tòa nhà cao 30 tầng 120 căn hộ.", "120", False),  # "tầng" is no "tăng"
    ("Hà Nội 5.000 ca mắc sốt xuất huyết.", "5.000", False),  # "Hà" is no "hạ"
    ("Giá xăng tăng 500 đồng mỗi lít.", "500", True),
    ("gia xang tang 500 dong moi lit", "500", True),
])
def test_a_change_verb_before_a_figure_is_read_with_its_marks(sentence, figure, is_change):
    c = next(_candidate(sentence, i) for i, q in enumerate(find_quantities(sentence))
             if q.text.split()[0] == figure)
    from qa.lexicon import has_tone_marks
    assert _figure_is_change(sentence, has_tone_marks(sentence), c) is is_change


def test_where_a_change_starts_is_from_tu_not_from_dau_tu():
    assert _FROM_BEFORE.search("giảm từ mức ", True)
    assert not _FROM_BEFORE.search("tổng vốn đầu tư ", True)  # "đầu tư" is no "từ"
    assert _FROM_BEFORE.search("giam tu muc ", False)


@pytest.mark.parametrize("question, superlative, asks_from", [
    ("Xuất khẩu sang Nhật Bản đạt bao nhiêu USD?", 0, 0),  # "Nhật" is no "nhất"
    ("Tỉnh nào có tỷ lệ hộ nghèo cao nhất?", 1, 0),
    ("Dự án đầu tư bao nhiêu tiền?", 0, 0),  # "đầu tư" is no "từ"
    ("Giá điện tăng từ bao nhiêu đồng?", 0, 1),
    ("gia dien tang tu bao nhieu dong", 0, 1),
])
def test_question_cues_are_read_with_its_marks(question, superlative, asks_from):
    sentence = "Giá tăng từ 1.500 đồng lên 1.800 đồng."
    profile = profile_question(question)
    cands = [_candidate(sentence, i) for i in range(len(find_quantities(sentence)))]
    X = feature_rows(profile.text, profile, cands, [], lambda c: (sentence, "", "", "2019-06-01", ""))
    assert X[0, COL["question_superlative"]] == superlative
    assert X[0, COL["question_asks_from"]] == asks_from


@pytest.mark.parametrize("question, before, leads", [
    # the text between the previous figure and this one: does the question's verb lead to it?
    ("Giá căn hộ tăng bao nhiêu phần trăm?", " tầng có ", False),  # "25 tầng có 400 căn hộ"
    ("Giá căn hộ tăng bao nhiêu phần trăm?", " căn hộ, giá tăng ", True),
    ("gia can ho tang bao nhieu phan tram", " tầng có ", True),  # typed without marks: either word
    ("Giá căn hộ tăng bao nhiêu phần trăm?", " tang ", True),  # a sentence typed without marks
])
def test_the_change_verb_is_read_with_its_marks_before_a_figure(question, before, leads):
    from qa.read.rules import change_verb_leads

    assert change_verb_leads(profile_question(question), before, 0, len(before)) is leads


@pytest.mark.parametrize("question, text, read", [
    # a syllable the question writes with other marks is another word
    ("Thu về bao nhiêu đồng?", "mùa đông 5 triệu đồng", ("mua", "≠dong", "5", "trieu", "dong")),
    ("Bao nhiêu người nằm viện?", "năm 2019 có 40 người nằm viện",
     ("≠nam", "2019", "co", "40", "nguoi", "nam", "vien")),
    # the text typed without marks, or the question: either word, as before
    ("Thu về bao nhiêu đồng?", "mua dong 5 trieu dong", ("mua", "dong", "5", "trieu", "dong")),
    ("thu ve bao nhieu dong", "mùa đông 5 triệu đồng", ("mua", "dong", "5", "trieu", "dong")),
])
def test_a_text_is_read_as_the_question_writes_its_syllables(question, text, read):
    from qa.read.features import _as_question_reads

    assert _as_question_reads(text, profile_question(question).accents) == read


@lru_cache(maxsize=1)
def _seed_texts() -> tuple[str, ...]:
    """Every paragraph of the seed articles, and the stretches between their figures: the texts
    a question's coverage is measured over (read once for all the questions below)."""
    from pathlib import Path

    from qa.ingest.documents import load_corpus

    texts = []
    for doc in load_corpus(Path(__file__).resolve().parents[1] / "seeds"):
        for line in filter(str.strip, doc.text.splitlines()):
            cut = [0, *(x for q in find_quantities(line) for x in (q.start, q.end)), len(line)]
            texts += [line, *(line[a:b] for a, b in zip(cut, cut[1:]))]
    return tuple(texts)


@pytest.mark.parametrize("question", [
    "Bao nhiêu tài khoản định danh điện tử đã được kích hoạt?",
    "bao nhieu tai khoan dinh danh dien tu da duoc kich hoat",
    "Tỷ lệ hồ sơ trực tuyến toàn trình năm 2023 là bao nhiêu phần trăm?",
    "Kinh tế số chiếm bao nhiêu phần trăm GDP năm nay?",
    "Có bao nhiêu thủ tục hành chính được cắt giảm hoà nhập với hệ thống?",  # old-style "hoà"
])
def test_coverage_equals_the_share_of_the_question_s_terms_in_the_text_as_the_question_reads_it(question):
    # the reference: the text's syllables read as the question writes them, then the weighted share
    from qa.read.features import _as_question_reads, _TermWeights

    profile = profile_question(question)
    weights = {t: 1.0 + len(t) / 10 for t in profile.terms if not t.isdigit()}  # unequal, like IDF
    texts = _seed_texts()
    assert len(texts) > 500
    measured = _TermWeights(weights, profile.accents)
    reference = _TermWeights(weights, profile.accents)
    found = 0
    for text in texts:
        expected = reference.covered(set(_as_question_reads(text, profile.accents)))
        assert measured.coverage(text) == expected, text
        found += expected > 0
    assert found > 20  # the question's words are in the texts: the comparison is not of zeros


def test_coverage_counts_a_question_s_word_only_where_the_text_writes_it_alike():
    # VietNews-like: "đông" (winter, east) is no "đồng" (money); the money figure's segment names it
    sentence = "Vụ đông năm nay thu 5 tỷ, xuất khẩu đạt 12 tỷ đồng."
    profile = profile_question("Xuất khẩu đạt bao nhiêu tỷ đồng?")
    cands = [_candidate(sentence, i) for i in range(len(find_quantities(sentence)))]
    X = feature_rows(profile.text, profile, cands, [], lambda c: (sentence, "", "", "2019-06-01", ""))
    first, second = (cands.index(c) for c in sorted(cands, key=lambda c: c.quantity.start))
    assert X[first, COL["segment_left_coverage"]] == 0  # "Vụ đông năm nay thu": folded, it held "dong"
    assert X[second, COL["segment_left_coverage"]] > 0
