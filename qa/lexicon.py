"""Vietnamese text normalisation used for *matching* (never for what we display or cite).

Documents and queries go through the same functions so that they meet in the same form:

* Unicode NFC, so a decomposed ``a`` + combining grave equals the precomposed ``à``;
* one tone-mark convention: the tone goes on the first vowel of open ``oa``/``oe``/``uy``
  syllables (``hoà`` → ``hòa``, ``tuý`` → ``túy``, ``khoẻ`` → ``khỏe``), which is how most
  government and news sites write them; ``quý``/``quỹ`` are left alone because ``qu`` is a
  consonant there;
* lower case;
* an accent-folded form (``tài khoản`` → ``tai khoan``, ``đ`` → ``d``) so that questions typed
  without tone marks still match.

All functions are pure and keep the string length unchanged for NFC input (tone moves and
folding are one code point for one code point), which lets callers map offsets back.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache

# Combining marks that carry Vietnamese tones (as opposed to vowel-quality marks such as the
# circumflex U+0302, breve U+0306 and horn U+031B, which stay on their vowel).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

_SYLLABLE = re.compile(r"\w+", re.UNICODE)
# Open syllables whose tone must sit on the first vowel: (onset)(o|u)(a|e|y) with nothing after.
_MOVABLE_NUCLEI = ("oa", "oe", "uy")


def nfc(text: str) -> str:
    """Compose to NFC: the one form in which Vietnamese letters compare equal."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def _move_tone(syllable: str) -> str:
    """Put the tone of an open ``oa``/``oe``/``uy`` syllable on its first vowel."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return syllable
    bare = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    bare_nfc = unicodedata.normalize("NFC", bare)
    lower = bare_nfc.lower()
    if len(lower) < 2 or lower[-2:] not in _MOVABLE_NUCLEI:
        return syllable
    if lower[-2:] == "uy" and lower[:-2].endswith("q"):
        return syllable  # quý, quỹ: "qu" is the onset, the tone stays on y
    # Rebuild: tone on the penultimate letter (o or u), nothing on the last one.
    head, first, last = bare_nfc[:-2], bare_nfc[-2], bare_nfc[-1]
    moved = unicodedata.normalize("NFC", unicodedata.normalize("NFD", first) + tones[0])
    return head + moved + last


def _letters_of(bases: str) -> str:
    """Every word character whose decomposition is one of ``bases`` plus tone marks only
    ("o", "ò", "ó", …, "Ọ"): what may end an ``oa``/``oe``/``uy`` syllable."""
    out = []
    for code in range(0x10000):  # no letter beyond the BMP decomposes to a Latin vowel
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        if decomposed[0] in bases and all(m in TONE_MARKS for m in decomposed[1:]) and _SYLLABLE.match(ch):
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _movable_syllable() -> re.Pattern:
    """Whole syllables ending in o/u then a/e/y, each carrying at most tone marks: the only ones
    ``_move_tone`` can change, so the only ones handed to it (a Python call for every word of
    every text was the cost). Built on first use: the scan of the BMP takes ~30 ms."""
    return re.compile(
        rf"(?<!\w)\w*[{re.escape(_letters_of('oOuU'))}][{re.escape(_letters_of('aAeEyY'))}](?!\w)", re.UNICODE)


def normalize_tone_marks(text: str) -> str:
    """Rewrite ``hoà``/``tuý``-style syllables to ``hòa``/``túy`` (input should be NFC)."""
    return _movable_syllable().sub(lambda m: _move_tone(m.group(0)), text)


_ALONE: dict[str, bool] = {}


def one_char_clusters(text: str) -> bool:
    """Whether every character of ``text`` is a grapheme of its own that NFC leaves as it is (no
    combining mark, nothing NFC rewrites): then composing it cluster by cluster, as the offset
    mapping parsers do, gives back ``text`` with each character its own span."""
    for ch in set(text):
        alone = _ALONE.get(ch)
        if alone is None:
            alone = _ALONE[ch] = not unicodedata.combining(ch) and nfc(ch) == ch
        if not alone:
            return False
    return True


def compose_clusters(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` in NFC, composed one grapheme cluster (a base and its combining marks) at a time,
    with the original ``[start, end)`` of the cluster each composed character came from: NFD
    input maps back exactly. NFC text (the corpus, most questions) comes back as it is."""
    n = len(text)
    if one_char_clusters(text):
        return text, list(range(n)), list(range(1, n + 1))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in nfc(text[i:j]):
            chars.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(chars), starts, ends


def lower_each(text: str) -> str:
    """Each character lower-cased on its own, kept as it is where that would take two characters
    ("İ"): lengths and offsets are unchanged. ``str.lower`` does the same in one call unless a
    character grows or the text holds "Σ" (lowered by its context)."""
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character (the loop stays in C)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch == "đ":
            out = "d"
        elif ch == "Đ":
            out = "D"
        elif code < 128:
            out = ch
        else:
            base = unicodedata.normalize("NFD", ch)
            stripped = "".join(c for c in base if not unicodedata.combining(c))
            out = stripped if len(stripped) == 1 else ch
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold_accents(text: str) -> str:
    """Strip every diacritic and map ``đ``/``Đ`` to ``d``/``D`` (one char in, one char out)."""
    return text.translate(_FOLD)


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """The matching form: NFC, one tone-mark convention, lower case (cached: the reader asks for
    the same sentences and clauses many times per question)."""
    return normalize_tone_marks(nfc(text)).lower()


@lru_cache(maxsize=16384)
def normalize_folded(text: str) -> str:
    """The accent-insensitive matching form: :func:`normalize` then :func:`fold_accents`."""
    return fold_accents(normalize(text))


@lru_cache(maxsize=16384)
def has_tone_marks(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (used to explain folding decisions).
    Cached: the reader asks it of the same sentence for each of its figures."""
    return fold_accents(nfc(text)) != nfc(text)


# Pasted text brings invisible characters: zero-width spaces/joiners and the BOM separate words
# like a space would; other control characters carry nothing.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# The letters Vietnamese is written with (Latin, with its marks, precomposed or not) and digits.
# A question holds at least one: "???" or "🤔🔥" has nothing to search for. One class for the
# service's check and the API schema's pattern (ECMA-262, Python and Rust regex syntax alike).
QUESTION_LETTERS = r"[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
_QUESTION_LETTER = re.compile(QUESTION_LETTERS)


def has_question_letters(text: str) -> bool:
    """Whether ``text`` holds a letter of Vietnamese's alphabet or a digit (:data:`QUESTION_LETTERS`)."""
    return _QUESTION_LETTER.search(text) is not None


def clean_question(text: str) -> str:
    """A question as typed, minus invisible and control characters ("bao\u200bnhiêu" → "bao nhiêu")."""
    return _CONTROL.sub("", _INVISIBLE.sub(" ", text))


# ---------------------------------------------------------------------------------------------
# Word lists: facts of the language that BM25, the number parser and the reader all use. They
# are part of the index's rebuild key (``lexicon_fingerprint``): change a list, and indexes built
# with the old one are rebuilt.
# ---------------------------------------------------------------------------------------------

MAGNITUDES = {"trăm": 1e2, "nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9,
              # accent-free spellings, as typed in questions
              "tram": 1e2, "nghin": 1e3, "ngan": 1e3, "trieu": 1e6, "ty": 1e9, "ti": 1e9}
CURRENCY_WORDS = {"đồng": "VND", "vnđ": "VND", "vnd": "VND", "usd": "USD", "đô la mỹ": "USD",
                  "đô la": "USD", "đô-la": "USD", "đôla": "USD", "euro": "EUR", "eur": "EUR",
                  "dong": "VND", "do la": "USD", "đôla mỹ": "USD",
                  # other dollars are not USD ("1 triệu đôla Úc"): their longer names win
                  **{f"{dollar} {country}": code for dollar in ("đô la", "đôla", "đô-la")
                     for country, code in (("úc", "AUD"), ("singapore", "SGD"), ("hồng kông", "HKD"),
                                           ("hong kong", "HKD"), ("canada", "CAD"), ("đài loan", "TWD"),
                                           ("new zealand", "NZD"))},
                  "aud": "AUD", "sgd": "SGD", "hkd": "HKD", "cad": "CAD",
                  "nhân dân tệ": "CNY", "ndt": "CNY", "cny": "CNY", "tệ": "CNY", "yên": "JPY", "jpy": "JPY",
                  "won": "KRW", "krw": "KRW", "baht": "THB", "thb": "THB", "rúp": "RUB",
                  "ruble": "RUB", "rub": "RUB", "bảng anh": "GBP", "bảng": "GBP", "gbp": "GBP",
                  "ringgit": "MYR", "rupee": "INR", "rupiah": "IDR"}
# Currency names that are also other words: money only after a magnitude ("20 triệu tệ",
# "600 tỉ yên", "100 triệu bảng"), or, for "tệ"/"yên", written in lower case right after the
# number ("100 tệ"; "Yên" is also a place: "Yên Bái", "Yên Lạc"; "3 bảng" is three boards).
CURRENCY_AFTER_MAGNITUDE_ONLY = frozenset({"bảng"})
CURRENCY_LOWER_CASE_ONLY = frozenset({"tệ", "yên"})
# "đồng" right after a number is money unless it starts another word ("5 đồng chí").
DONG_NOT_MONEY = frozenset("chí bộ thời bào nghiệp hồ hương đội ruộng bằng ý tình thuận đẳng "
                           "cảm phục tâm minh loạt dạng lòng ca khởi".split())
# Longest first, so "ước đạt" wins over "ước".
QUALIFIERS = ("ước đạt", "ước tính", "tối thiểu", "tối đa", "xấp xỉ", "ít nhất", "khoảng", "hơn",
              "trên", "gần", "tới", "đến", "gấp", "dưới", "ước", "chừng",
              "uoc dat", "uoc tinh", "khoang", "hon", "tren", "gan", "toi", "den", "gap", "duoi")

# Question scaffolding that says "I want a number", not what the number is about.
QUERY_STOPWORDS = frozenset(
    """bao nhiêu mấy gì nào là có không được của và thì à ạ vậy hiện nay hiện_nay
    bao_nhiêu là_bao_nhiêu bao_lâu cho_biết hãy""".split()
)

# Question words and fillers: they say "a number, please", not which number. Matched on the
# accented form ("tại" is a filler, "tài" is not); for questions typed without tone marks only the
# folded forms that are fillers whatever their accents are dropped.
STOPWORDS = frozenset(normalize(w) for w in """
    bao nhiêu mấy gì nào là có không được của và thì ạ vậy hiện nay cho biết hãy tính đến
    đã đang sẽ các những một này đó theo về ở tại trong với cho bởi hỏi
    """.split())
FOLDED_STOPWORDS = frozenset(
    "bao nhieu may gi nao la co khong duoc cua va thi vay hien nay hay cac nhung mot theo ve o trong voi".split())
# Units of measure: "17 giây" answers "bao nhiêu thời gian", it does not count another thing
MEASURE_UNITS = frozenset("""giay phut gio ngay tuan thang nam the ky m km cm mm kg g tan ta ft dam
    inch lit ha do mw kw w v mbps gb tb""".split())
# ... of time: what "bao lâu" asks for
TIME_UNITS = frozenset("nam thang ngay tuan gio phut giay".split())
# Small numbers written as words before a unit of time ("trong hai ngày", "sau ba năm"): only the
# words that are nothing else there. Left out: "một" (also "a"), "năm" (also "year": "năm ngày"),
# "tư" (also "private"); the reader also skips them after a word that makes them an ordinal or a
# name ("thứ hai", "tháng Ba", "lần hai") and when capitalised inside a sentence ("anh Hai").
NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
# Before a magnitude word "một" and "năm" are numbers too ("một triệu", "năm tỷ đồng"). Only the
# marked magnitudes: plain "ti" is also "ti vi".
NUMBER_WORDS_BEFORE_MAGNITUDE = {**NUMBER_WORDS, "một": 1, "năm": 5}
MAGNITUDES_AFTER_NUMBER_WORDS = ("nghìn", "ngàn", "vạn", "triệu", "tỷ", "tỉ")
# Words that make the number word after them part of a bigger number ("mười hai triệu", "ba bốn
# triệu", "một tỷ hai triệu"): such a number is left unread rather than read as its last word.
NUMBER_WORD_PARTS = frozenset((*NUMBER_WORDS_BEFORE_MAGNITUDE, *MAGNITUDES_AFTER_NUMBER_WORDS, "mươi", "trăm", "linh",
                               "lẻ"))
# Metric units that news text writes glued to the number ("678ha", "17km", "250MWp", "100m2"):
# about half of VietNews's "km", "ha" and "kg" figures are written so. Case matters ("MW", not "mw").
GLUED_UNITS = ("km2", "km", "kg", "ha", "m2", "m3", "cm", "mm", "ml", "m", "MWp", "MWh", "MW", "kWh", "kW",
               "GWh", "GW")
# A unit's symbol and its word, folded: "2.400 km/h" counts km a giờ, "1,5 m" mét
UNIT_SYMBOL_WORDS = {"h": "gio", "m": "met"}
# "bao nhiêu km mỗi giờ", "bao nhiêu lít một ngày": per, before a unit
PER_WORDS = frozenset(("mỗi", "một"))

# The two ends of a range, by direction: "cao nhất" asks for the top of a list, "thấp nhất" for
# its bottom ("Mức phí thấp nhất là 35.000 đồng/lượt xe và cao nhất là 180.000 đồng/lượt xe").
# Toned: folded, "tối đa" is also "tôi đã". Read by the reader only (qa.read.features), not by
# the index, so not part of its rebuild key.
SUPERLATIVE_HIGH = ("cao nhất", "lớn nhất", "nhiều nhất", "tối đa", "mạnh nhất", "đắt nhất", "dài nhất",
                    "nặng nhất", "nhanh nhất")
SUPERLATIVE_LOW = ("thấp nhất", "nhỏ nhất", "ít nhất", "tối thiểu", "yếu nhất", "rẻ nhất", "ngắn nhất",
                   "nhẹ nhất", "chậm nhất")
# A duration written in parts ("2 năm 8 tháng", "3 giờ 30 phút") is one figure in its smallest
# unit: each unit here, folded, with the next smaller one and how many of those it holds. Only
# exact ratios: a month is not a fixed number of days, so "1 tháng 15 ngày" stays two figures.
TIME_UNIT_STEPS = {"nam": ("thang", 12), "tuan": ("ngay", 7), "ngay": ("gio", 24), "gio": ("phut", 60),
                   "tieng": ("phut", 60), "phut": ("giay", 60)}


def lexicon_fingerprint() -> str:
    """A hash of every word list above: part of the index's rebuild key."""
    lists = {"magnitudes": MAGNITUDES, "currencies": CURRENCY_WORDS,
             "currencies_after_magnitude_only": sorted(CURRENCY_AFTER_MAGNITUDE_ONLY),
             "currencies_lower_case_only": sorted(CURRENCY_LOWER_CASE_ONLY), "dong_not_money": sorted(DONG_NOT_MONEY),
             "qualifiers": QUALIFIERS, "query_stopwords": sorted(QUERY_STOPWORDS),
             "stopwords": sorted(STOPWORDS), "folded_stopwords": sorted(FOLDED_STOPWORDS),
             "measure_units": sorted(MEASURE_UNITS), "time_units": sorted(TIME_UNITS),
             "time_unit_steps": TIME_UNIT_STEPS, "glued_units": GLUED_UNITS, "number_words": NUMBER_WORDS,
             "number_words_before_magnitude": NUMBER_WORDS_BEFORE_MAGNITUDE,
             "magnitudes_after_number_words": MAGNITUDES_AFTER_NUMBER_WORDS,
             "number_word_parts": sorted(NUMBER_WORD_PARTS),
             "unit_symbol_words": UNIT_SYMBOL_WORDS, "per_words": sorted(PER_WORDS)}
    return hashlib.sha256(json.dumps(lists, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
