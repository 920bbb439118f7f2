import unicodedata

import pytest

from qa.lexicon import clean_question, fold_accents, nfc, normalize, normalize_folded, normalize_tone_marks


@pytest.mark.parametrize("old, new", [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("tuý", "túy"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"),
    ("tuỳ", "tùy"), ("hoá đơn", "hóa đơn"), ("số hoá", "số hóa"), ("loè", "lòe"), ("HOÀ", "HÒA"),
])
def test_old_style_tone_marks_move_to_the_first_vowel(old, new):
    assert normalize_tone_marks(old) == new


@pytest.mark.parametrize("word", ["quý", "quỹ", "Quý", "hoàng", "toán", "thuyết", "khuyến", "hòa", "người"])
def test_syllables_already_right_or_with_qu_onset_are_unchanged(word):
    assert normalize_tone_marks(word) == word


def test_decomposed_input_is_composed_before_matching():
    decomposed = unicodedata.normalize("NFD", "tài khoản")
    assert decomposed != "tài khoản"
    assert normalize(decomposed) == "tài khoản"


def test_fold_accents_maps_d_stroke_and_keeps_length():
    assert fold_accents("Đề án định danh điện tử") == "De an dinh danh dien tu"
    text = nfc("Thừa Thiên Huế, thuỷ lợi, quỹ, 75,7 triệu")
    assert len(fold_accents(text)) == len(text)
    assert len(normalize(text)) == len(text)


def test_accented_and_unaccented_queries_meet_in_folded_form():
    assert normalize_folded("Bao nhiêu tài khoản VNeID?") == normalize_folded("bao nhieu tai khoan vneid?")
    assert normalize_folded("hoà") == normalize_folded("hòa") == "hoa"


@pytest.mark.parametrize("typed, cleaned", [
    ("bao\u200bnhiêu tài khoản VNeID?", "bao nhiêu tài khoản VNeID?"),  # zero-width space from a paste
    ("\ufeffbao nhiêu thôn?", " bao nhiêu thôn?"),  # byte-order mark
    ("bao nhiêu\x00 thôn?", "bao nhiêu thôn?"),
    ("dòng một\ndòng hai", "dòng một\ndòng hai"),  # new lines and tabs are kept
])
def test_clean_question_drops_invisible_characters(typed, cleaned):
    assert clean_question(typed) == cleaned
