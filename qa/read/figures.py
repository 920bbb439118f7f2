"""Vietnamese quantities and dates in running text, with exact character spans.

Answers to "bao nhiêu ...?" questions are figures in news text, so we need to read them the way
Vietnamese writes them:

* ``,`` is the decimal separator and ``.`` groups thousands: ``75,7`` = 75.7, ``2.398`` = 2398;
* scale words multiply and stack: ``1,9 triệu tỷ đồng`` = 1.9e15 đồng;
* ``41/53`` is a fraction, but ``10/7/2024`` and ``ngày 10/10`` are dates and ``82/2024/NĐ-CP``
  is a decree number — neither of the last two is a quantity;
* ``Đề án 06``, ``lần thứ 8``, ``mức độ 4``, ``ưu tiên số 1``, ``4G`` and times (``07:30``) are
  identifiers, not amounts.

A quantity is read as::

    [qualifier] number [/denominator] [scale words] [% | currency | unit/100 noun] [noun phrase]

``find_dates`` runs first; ``find_quantities`` never returns a span that overlaps a date, a
document number or an identifier. Everything here is a pure function over ``str`` (NFC input, any
case; common accent-free spellings such as ``trieu``/``nam 2023`` are understood too) and every
result satisfies ``source[result.start:result.end] == result.text``.

Design choices worth knowing:

* A dash range (``2.000 - 3.000 lượt truy cập``) gives two quantities; the first (``2.000``) borrows
  the scale, kind, unit and noun of the second.
* A day/month pair without a year (``10/10``) is a date only after a word that introduces a date
  (``ngày``, ``sáng``, ``từ``, ``đến``, ``trước``, …) or inside parentheses (``(27/4)``);
  otherwise it is a fraction (``41/53``, ``5/21 đạt mức C``). ``24/7`` is neither.
* A money quantity's noun is ``None``: what follows ``tỷ đồng`` is almost always a verb or purpose
  clause, not what the money counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from qa.lexicon import (CURRENCY_AFTER_MAGNITUDE_ONLY, CURRENCY_LOWER_CASE_ONLY, CURRENCY_WORDS, DONG_NOT_MONEY,
                        GLUED_UNITS, MAGNITUDES, MAGNITUDES_AFTER_NUMBER_WORDS, NUMBER_WORD_PARTS, NUMBER_WORDS,
                        NUMBER_WORDS_BEFORE_MAGNITUDE, QUALIFIERS, TIME_UNIT_STEPS, TIME_UNITS)

__all__ = [
    "Quantity", "DateMention", "parse_vietnamese_number", "find_dates", "find_quantities",
    "normalize_quantity_value",
]

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

def _fold(word: str) -> str:
    """Lower case without tone or vowel marks, so "tai khoan" finds "tài khoản"."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# One number: grouped thousands with an optional decimal part, or plain digits.
NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# A number standing on its own: not glued to letters (4G, H5N1), not a piece of a longer
# dotted/slashed/hyphenated token (82/2024/NĐ-CP, COVID-19, 0912.345.678). "5-10%" is a range.
# a metric unit glued to its number ("678ha", "60km/h"): the number still stands on its own
_GLUED = "|".join(sorted(GLUED_UNITS, key=len, reverse=True))
_GLUED_UNIT_RE = re.compile(rf"(?:{_GLUED})(?:/[^\W\d_]+)?(?!\w)", re.UNICODE)
_NUMBER_RE = re.compile(
    rf"(?<![\w.,/])(?<![^\W\d_]-)(?P<num>{NUM})(?:/(?P<den>{NUM}))?"
    rf"(?:(?=(?:{_GLUED})(?:/[^\W\d_]+)?(?!\w))|(?![\w/]|[.,]\d))", re.UNICODE)

SCALES, CURRENCIES, _DONG_NOT_MONEY = MAGNITUDES, CURRENCY_WORDS, DONG_NOT_MONEY  # qa.lexicon
_QUALIFIER_RE = re.compile(
    r"(?<!\w)(?P<q>" + "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS) + r")[ \t\u00a0]+$",
    re.IGNORECASE)
_CANONICAL_QUALIFIER = {"uoc dat": "ước đạt", "uoc tinh": "ước tính", "khoang": "khoảng", "hon": "hơn",
                        "tren": "trên", "gan": "gần", "toi": "tới", "den": "đến", "gap": "gấp",
                        "duoi": "dưới"}

# Words that end a counted noun phrase: verbs, prepositions, conjunctions, copulas, qualifiers.
_NOUN_STOPS = frozenset("""
    đã được và có của cho với so tăng giảm trong tại từ đến tới là thì này đó nhưng mà để khi
    theo trên dưới gồm đạt chiếm chưa không vẫn sẽ đang bị phải cần đều cũng lên xuống ra vào
    về hoặc hay như nên do vì bởi còn mới thuộc sau trước nhằm ước mức gắn nhận hưởng làm đủ
    qua bằng ở lại rồi nữa hơn gần khoảng gấp chừng xấp ít nộp trở
""".split())
# Two-syllable verbs that end a noun phrase (only after its first word: "tổ chức" can be a noun).
_NOUN_STOP_PAIRS = frozenset("""
    thực_hiện tiếp_nhận kích_hoạt hoàn_thành triển_khai đăng_ký tham_gia tham_dự ban_hành
    hiện_nay sử_dụng tổ_chức kết_nối cung_cấp phủ_sóng lồng_ghép tích_hợp đánh_giá hỗ_trợ
    khai_thác thành_lập xây_dựng đi_vào tối_thiểu tối_đa chiếm_tỷ giải_quyết
""".split())
_LEADING_DETERMINERS = frozenset({"các", "những", "cac", "nhung"})
_MAX_NOUN_WORDS = 6

# Heads of noun phrases longer than one syllable (matched accent-insensitively); any other
# phrase has a one-syllable head ("thôn", "xã", "người") or an acronym head ("CSDL").
_COMPOUND_HEADS = frozenset("""
    tài_khoản hệ_thống địa_phương doanh_nghiệp dịch_vụ thủ_tục hồ_sơ cơ_sở cơ_quan đơn_vị
    nhiệm_vụ dự_án thành_viên giao_dịch người_dân công_dân thông_tin gia_đình sản_phẩm khóa_học
    khoá_học cán_bộ công_chức viên_chức văn_bản đối_tượng thuê_bao trụ_cột nội_dung hóa_đơn
    hoá_đơn dân_số học_viên học_sinh sinh_viên bệnh_nhân lao_động nghị_định quyết_định thông_tư
    chỉ_thị công_điện nghị_quyết hội_thảo hội_nghị chương_trình kế_hoạch trung_tâm tổ_chức
    cá_nhân nền_tảng ứng_dụng phần_mềm thiết_bị điện_thoại máy_tính trường_học bệnh_viện
    thành_phố thị_trấn giấy_tờ tiện_ích chế_độ quốc_gia cơ_sở_dữ_liệu
""".split())
_FOLDED_HEADS = frozenset(_fold(h) for h in _COMPOUND_HEADS)

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Date words with or without tone marks ("quý"/"quy", "năm"/"nam"): questions come both ways.
_QUY, _NAM, _THANG = r"qu[ýy]", r"n[ăa]m", r"th[áa]ng"
_DAU, _CUOI, _NUA = r"[đd][ầa]u", r"cu[ốo]i", r"n[ửu]a"
_YEAR = r"(?:19|20)\d{2}"
_WORD_RE = re.compile(r"[^\W\d_]+(?:/[^\W\d_]+)*", re.UNICODE)  # "thôn", "nhiệm vụ/dự" pieces
_SPACE = " \t\u00a0"


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """A figure in text; ``source[start:end] == text`` covers qualifier, number, unit and noun."""

    text: str
    start: int
    end: int
    number_text: str  # "75,7 triệu", "80,2%", "41/53", "1,9 triệu tỷ"
    value: float  # base units: 75.7 triệu → 75_700_000.0; percent 80.2; fraction numerator
    kind: str  # "count" | "percent" | "money" | "fraction" | "rate"
    unit: str | None  # head noun / "%" / currency word / "máy/100 dân"
    noun: str | None  # what is counted, as written: "tài khoản VNeID"
    qualifier: str | None  # lower-cased: "hơn", "trên", "khoảng", "ước đạt", …
    denominator: float | None  # 53.0 for "41/53", 100.0 for "90,5 máy/100 dân"
    currency: str | None  # "VND", "USD", "EUR"


@dataclass(frozen=True)
class DateMention:
    """A date or period; ``source[start:end] == text``."""

    text: str
    start: int
    end: int
    year: int | None  # first year of a period ("giai đoạn 2022-2025" → 2022)
    month: int | None
    day: int | None
    quarter: int | None  # "quý I/2022" → 1; "3 tháng đầu năm" → 1
    granularity: str  # "day" | "month" | "quarter" | "half" | "year" | "period"


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

def parse_vietnamese_number(s: str) -> float | None:
    """Read one number written the Vietnamese way; ``None`` if it is not one.

    ``75,7``→75.7, ``2.398``→2398, ``77.732.636``→77732636, ``1.234,5``→1234.5, ``08``→8.
    A dot not followed by exactly three digits (``2.8``) is refused: in Vietnamese text it is
    not a number we can read safely (a section number, a date, English notation).
    """
    s = unicodedata.normalize("NFC", s).strip()
    if re.fullmatch(NUM, s) is None:
        return None
    whole, _, frac = s.partition(",")
    return float(whole.replace(".", "") + ("." + frac if frac else ""))


def normalize_quantity_value(q: Quantity) -> float:
    """A value comparable across kinds: a share for percents, fractions and rates, else ``value``.

    ``80,2%`` → 0.802, ``41/53`` → 0.7736…, ``90,5 máy/100 dân`` → 0.905, ``53 tỷ USD`` → 5.3e10.
    """
    if q.kind == "percent":
        return q.value / 100.0
    if q.kind in ("fraction", "rate") and q.denominator:
        return q.value / q.denominator
    return q.value


# ---------------------------------------------------------------------------------------------
# Spans that hold digits but are not quantities
# ---------------------------------------------------------------------------------------------

# 82/2024/NĐ-CP, 505/QĐ-TTg, 490/TB-VPCP, 15/2020/QH14, and their lower-cased forms.
_DOC_NUMBER_RE = re.compile(
    r"(?<![\w/])\d+(?:/\d{2,4})?/[^\W\d_][\w]*(?:-[\w]+)*", re.UNICODE)
# A number followed by a magnitude word is an amount, whatever word comes before it: "mỗi tháng
# 1 triệu đồng" is no January, "khoản 34 tỉ đồng" no clause 34, "luật 645 triệu đồng" no law 645.
_AMOUNT_FOLLOWS = "(?![ \\t]+(?:" + "|".join(w for w in MAGNITUDES if w not in ("trăm", "tram")) + r")\b)"
# (pattern, hint): the hint is a piece every match contains (same flags), a cheap search that
# spares running the pattern over text it can never match; None: the pattern is always run
_IDENTIFIER_RES = [(re.compile(p, re.IGNORECASE | re.UNICODE), re.compile(h, re.IGNORECASE | re.UNICODE) if h else None)
                   for p, h in (
    (r"(?:https?://|www\.)\S+", None),  # URLs
    (r"\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu)\b(?:/\S*)?", r"\.(?:vn|com|net|org|gov|edu)\b"),  # bare domains
    (r"(?<![\w.,])\d{1,2}:\d{2}(?::\d{2})?(?!\d)", r":"),  # times of day
    (r"(?<![\w/])24/7(?![\w/])", r"24/7"),  # round-the-clock, not a fraction
    # ordinals and levels: "lần thứ 8", "phiên thứ 8", "Thứ 2", "mức độ 3, 4", "cấp độ 1 và 2"
    (r"\b(?:lần\s+thứ|phiên\s+thứ|thứ|hạng|mức\s+độ|cấp\s+độ|lan\s+thu|muc\s+do|cap\s+do)\s+\d+"
     r"(?:\s*(?:,|và|hoặc|-)\s*\d(?![\d%]|[.,]\d|\s*%))*", None),
    # names with a number: "Đề án 06", "Điều 5", "ưu tiên số 1", "Quyết định số 142"
    (r"\b(?:đề\s+án|điều|khoản|chương|mục|phụ\s+lục|ưu\s+tiên|quyết\s+định|nghị\s+định|"
     r"thông\s+tư|chỉ\s+thị|nghị\s+quyết|thông\s+báo|công\s+văn|luật|de\s+an)"
     r"\s+(?:số\s+)?\d+\b(?!\s*[,.]\d)" + _AMOUNT_FOLLOWS, None),
    (r"\b(?:số\s+hiệu|mã\s+số|số\s+điện\s+thoại|hotline)\s*:?\s*[\d.\s]+\d", None),
)]


def _document_number_spans(text: str) -> list[tuple[int, int]]:
    """Decree/decision numbers: digits, optional year, then a letter code after a slash.

    ``100/ngày`` is not one: the code must be upper-case, hyphenated or follow a year.
    """
    spans = []
    for m in _DOC_NUMBER_RE.finditer(text):
        token = m.group(0)
        code = token.rsplit("/", 1)[1]
        has_year = token.count("/") >= 2
        if has_year or "-" in code or (len(code) >= 2 and code.upper() == code):
            spans.append((m.start(), m.end()))
    return spans


def _identifier_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for rx, hint in _IDENTIFIER_RES
            if hint is None or hint.search(text) for m in rx.finditer(text)]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s*,?\s*"
_FULL_DATE_RE = re.compile(
    rf"(?:(?P<ngay>ng[àa]y)\s+|{_WEEKDAY})?"
    rf"(?<![\d/.,])(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{_YEAR})(?![\d/]|[.,]\d)"
    r"(?:\s+(?P<time>\d{1,2}:\d{2})(?!\d))?", re.IGNORECASE)
_WORDY_DATE_RE = re.compile(
    rf"ng[àa]y\s+(?P<d>\d{{1,2}})\s+th[áa]ng\s+(?P<m>\d{{1,2}})(?:\s+n[ăa]m\s+(?P<y>{_YEAR}))?(?!\d)",
    re.IGNORECASE)
_QUARTER_RE = re.compile(
    rf"\bqu[ýy]\s+(?P<q>iv|i{{1,3}}|[1-4])\b(?:\s*/\s*|\s+n[ăa]m\s+)?(?P<y>{_YEAR})?(?!\d)",
    re.IGNORECASE)
_PART_OF_YEAR_RE = re.compile(
    rf"(?<![\d.,])(?:(?P<n>\d{{1,2}})\s+th[áa]ng|n[ửu]a)\s+(?P<which>đầu|cuối|dau|cuoi)\s+n[ăa]m"
    rf"(?:\s+(?P<y>{_YEAR})(?!\d))?", re.IGNORECASE)
# "tháng 8/2018", "tháng 8 năm 2018" and, as newspapers also write it, "tháng 8-2018"
_MONTH_WORD_RE = re.compile(
    rf"\bth[áa]ng\s+(?P<m>\d{{1,2}}){_AMOUNT_FOLLOWS}(?:\s*/\s*|-|\s+n[ăa]m\s+)?(?P<y>{_YEAR})?(?![\d/]|[.,]\d)",
    re.IGNORECASE)
# "6 tháng 11 ngày" (after a number, before "ngày") is six months and eleven days, not November
_COUNT_BEFORE_MONTH = re.compile(r"\d[ \t]+$")
_DAYS_AFTER_MONTH = re.compile(r"[ \t]+ng[àa]y\b", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(rf"(?<![\w/.,-])(?P<m>\d{{1,2}})/(?P<y>{_YEAR})(?![\w/]|[.,]\d)")
_PERIOD_RE = re.compile(
    rf"(?:giai\s+đoạn\s+|giai\s+doan\s+)?(?<![\w/.,])(?P<y1>{_YEAR})\s*[-–]\s*(?P<y2>{_YEAR})(?![\w/]|[.,]\d)",
    re.IGNORECASE)
_DAY_MONTH_RE = re.compile(
    r"(?<![\w/.,-])(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?![\w/]|[.,]\d|-\d)")
# Words after which a bare day/month is a date ("Sáng 24-4", "ngày 10/10", "Từ 1/7").
_DATE_LEAD_RE = re.compile(
    r"(?<!\w)(?P<w>ng[àa]y|hôm|sáng|chiều|trưa|tối|đêm|từ|đến|trước|hết|vào|sang|chieu|toi|"
    r"tu|den|truoc|het|vao)\s+$", re.IGNORECASE)
_YEAR_WORD_RE = re.compile(
    rf"\bn[ăa]m\s+(?P<y>{_YEAR})(?P<more>(?:\s*(?:,|và|-|–)\s*{_YEAR}(?![\d/]|[.,]\d))*)(?![\d/]|[.,]\d)",
    re.IGNORECASE)
_BARE_YEAR_RE = re.compile(r"(?<![\w/.,-])(?P<y>19[5-9]\d|20[0-4]\d)(?![\w/%]|[.,]\d|\s*%)")


# Pieces every match of a date pattern contains: a text without one is not searched for it
_FULL_DATE_HINT = re.compile(rf"\d[/.-]\d{{1,2}}[/.-]{_YEAR}")
_PART_OF_YEAR_HINT = re.compile(r"\s(?:đầu|cuối|dau|cuoi)\s+n[ăa]m", re.IGNORECASE)
_PERIOD_HINT = re.compile(rf"{_YEAR}\s*[-–]\s*{_YEAR}")
_ANY_DIGIT = re.compile(r"\d")


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def find_dates(text: str) -> list[DateMention]:
    """Dates and periods in ``text``, sorted by start, never overlapping each other.

    Handles ``25/04/2024`` (+ ``07:30``, + ``Thứ Tư,``), ``ngày 10/10``, ``Sáng 24-4``,
    ``tháng 12/2023``, ``12/2023``, ``quý I/2022``, ``quý II năm 2022``, ``6 tháng đầu năm 2024``,
    ``năm 2021, 2022``, ``giai đoạn 2022-2025`` and bare years such as ``Châu Á 2024 |``.
    A ``ngày`` right before a date is part of its span; prepositions (``từ``, ``đến``) are not.
    """
    taken: list[tuple[int, int]] = _document_number_spans(text)  # "12/2024/NĐ-CP" is no month
    found: list[DateMention] = []

    def add(start: int, end: int, granularity: str, year=None, month=None, day=None, quarter=None):
        if _overlaps(start, end, taken):
            return
        taken.append((start, end))
        found.append(DateMention(text[start:end], start, end, year, month, day, quarter, granularity))

    for m in _FULL_DATE_RE.finditer(text) if _FULL_DATE_HINT.search(text) else ():
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid_day_month(d, mo):
            add(m.start(), m.end(), "day", int(m.group("y")), mo, d)
    for m in _WORDY_DATE_RE.finditer(text):
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid_day_month(d, mo):
            add(m.start(), m.end(), "day", int(m.group("y")) if m.group("y") else None, mo, d)
    for m in _QUARTER_RE.finditer(text):
        q = m.group("q").lower()
        add(m.start(), m.end(), "quarter", int(m.group("y")) if m.group("y") else None,
            quarter=_ROMAN.get(q) or int(q))
    for m in _PART_OF_YEAR_RE.finditer(text) if _PART_OF_YEAR_HINT.search(text) else ():
        months = int(m.group("n")) if m.group("n") else 6
        first = m.group("which").lower() in ("đầu", "dau")
        year = int(m.group("y")) if m.group("y") else None
        if months == 6:
            add(m.start(), m.end(), "half", year)
        elif months == 3:
            add(m.start(), m.end(), "quarter", year, quarter=1 if first else 4)
        elif 1 <= months <= 12:
            add(m.start(), m.end(), "period", year)
    for m in _MONTH_WORD_RE.finditer(text):
        if not m.group("y") and _DAYS_AFTER_MONTH.match(text, m.end()) \
                and _COUNT_BEFORE_MONTH.search(text, max(0, m.start() - 4), m.start()):
            continue
        if 1 <= int(m.group("m")) <= 12:
            add(m.start(), m.end(), "month", int(m.group("y")) if m.group("y") else None, int(m.group("m")))
    for m in _MONTH_YEAR_RE.finditer(text):
        if 1 <= int(m.group("m")) <= 12:
            add(m.start(), m.end(), "month", int(m.group("y")), int(m.group("m")))
    for m in _PERIOD_RE.finditer(text) if _PERIOD_HINT.search(text) else ():
        if int(m.group("y1")) < int(m.group("y2")):
            add(m.start(), m.end(), "period", int(m.group("y1")))
    for m in _DAY_MONTH_RE.finditer(text):
        d, mo = int(m.group("d")), int(m.group("m"))
        if not _valid_day_month(d, mo):
            continue
        lead = _DATE_LEAD_RE.search(text, max(0, m.start() - 12), m.start())
        in_parens = text[max(0, m.start() - 1):m.start()] == "(" and text[m.end():m.end() + 1] == ")"
        if lead and lead.group("w").lower() in ("ngày", "ngay"):
            add(lead.start("w"), m.end(), "day", None, mo, d)
        elif lead or in_parens:
            add(m.start(), m.end(), "day", None, mo, d)
    for m in _YEAR_WORD_RE.finditer(text):
        add(m.start(), m.start("y") + 4, "year", int(m.group("y")))
        for extra in re.finditer(_YEAR, m.group("more")):
            s = m.start("more") + extra.start()
            add(s, s + 4, "year", int(extra.group(0)))
    for m in _BARE_YEAR_RE.finditer(text):
        # "Châu Á 2024 |" is a year; "2000 người" is a count
        if not _WORD_RE.match(text, _skip_spaces(text, m.end())):
            add(m.start(), m.end(), "year", int(m.group("y")))
    return sorted(found, key=lambda d: d.start)


# ``find_quantities`` reads a text's dates first, and the reader asks for the same sentences'
# dates again (``qa.read.rules``): one cache serves both. The lists are shared: never change them.
cached_dates = lru_cache(maxsize=16384)(find_dates)


# ---------------------------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------------------------

def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


# the scale and currency words in the order _word_at tries them, sorted once rather than per figure
_SCALES_LONGEST_FIRST = _longest_first(SCALES)
_CURRENCIES_LONGEST_FIRST = _longest_first(CURRENCIES)


def _word_at(text: str, pos: int, words: tuple[str, ...]) -> tuple[str, int] | None:
    """The first of ``words`` (longest first: see ``_longest_first``), compared lower-case, at
    ``pos`` that ends at a word boundary."""
    for w in words:
        end = pos + len(w)
        if text[pos:end].lower() == w and (end >= len(text) or not text[end].isalnum()):
            return w, end
    return None


def _qualifier_before(text: str, start: int, floor: int) -> tuple[str | None, int]:
    """A qualifier word ending right before ``start`` (and after ``floor``), with its start."""
    m = _QUALIFIER_RE.search(text, max(floor, start - 16), start)
    if not m:
        return None, start
    q = re.sub(r"\s+", " ", m.group("q").lower())
    return _CANONICAL_QUALIFIER.get(q, q), m.start()


def _noun_phrase(text: str, pos: int, barriers: list[tuple[int, int]]) -> tuple[str | None, int, int]:
    """The words after a figure that say what it counts, as (noun, noun_start, end).

    Stops at punctuation, digits, a stop word or verb, a date/identifier span, or after
    ``_MAX_NOUN_WORDS`` words; leading ``các``/``những`` are inside the span but not the noun.
    """
    words: list[re.Match] = []
    origin = pos
    while len(words) < _MAX_NOUN_WORDS:
        p = _skip_spaces(text, pos)
        if p == pos:
            break  # words are separated by spaces; anything else (",", "(", "\n") ends the phrase
        # a unit with a digit in it ("100 m2", "5 km2") is one word, as when glued to the number
        m = (_GLUED_UNIT_RE.match(text, p) if not words else None) or _WORD_RE.match(text, p)
        if not m or _overlaps(m.start(), m.end(), barriers):
            break
        low = m.group(0).lower()
        if low in _NOUN_STOPS:
            break
        nxt = _WORD_RE.match(text, _skip_spaces(text, m.end()))
        if words and nxt and f"{low}_{nxt.group(0).lower()}" in _NOUN_STOP_PAIRS:
            break
        words.append(m)
        pos = m.end()
    while words and words[0].group(0).lower() in _LEADING_DETERMINERS:
        words.pop(0)
    if not words:
        return None, origin, origin
    return text[words[0].start():words[-1].end()], words[0].start(), words[-1].end()


def _head(noun: str) -> str:
    """The head of a noun phrase: an acronym, a known compound, or the first syllable.

    A leading ``số``/``tổng số`` ("the number of") is skipped: ``số người`` is counted in people.
    """
    syllables = noun.replace("/", " ").split()
    folded = [_fold(w) for w in syllables]
    if folded[:2] == ["tong", "so"] and len(syllables) > 2:
        syllables = syllables[2:]
    elif folded[0] == "so" and len(syllables) > 1:
        syllables = syllables[1:]
    first = syllables[0]
    if len(first) >= 2 and first.isupper():
        return first
    for n in (4, 3, 2):
        if len(syllables) >= n and "_".join(_fold(w) for w in syllables[:n]) in _FOLDED_HEADS:
            return " ".join(syllables[:n])
    return first


# A scale word followed by these starts another word: "tỷ lệ", "tỷ trọng" (a rate, a share) and
# "7 tỉ phú", "20 triệu phú" (seven billionaires, twenty millionaires) are not a billion or a
# million; nor is "tỉ mỉ" (meticulous).
_BILLION_WORDS = re.compile(r"[ \t]+(?:lệ|trọng|phú|mỉ|le|trong|phu|mi)\b", re.IGNORECASE)
_MILLION_WORDS = re.compile(r"[ \t]+(?:phú|phu)\b", re.IGNORECASE)
_NOT_A_SCALE = {"tỷ": _BILLION_WORDS, "tỉ": _BILLION_WORDS, "ty": _BILLION_WORDS, "ti": _BILLION_WORDS,
                "triệu": _MILLION_WORDS, "trieu": _MILLION_WORDS}


def _scale_after(text: str, pos: int) -> tuple[float, int]:
    """Multiply stacked scale words (``triệu tỷ``) after ``pos``; return (factor, end)."""
    scale = 1.0
    while True:
        p = _skip_spaces(text, pos)
        if p == pos:
            return scale, pos  # a scale word is a word of its own, after a space
        hit = _word_at(text, p, _SCALES_LONGEST_FIRST)
        if not hit:
            return scale, pos
        not_a_scale = _NOT_A_SCALE.get(hit[0])
        if not_a_scale and not_a_scale.match(text, hit[1]):
            return scale, pos
        scale *= SCALES[hit[0]]
        pos = hit[1]


def _compound(text: str, value: float, scale: float, pos: int, barriers) -> tuple[float, int]:
    """A sum written in parts, as Vietnamese writes it: "4 tỷ 263 triệu đồng" is 4,263 tỷ, "7 triệu
    200 nghìn đồng" 7,2 triệu. Each part needs a smaller scale word and must be less than one unit
    of the part before it (so "4 tỷ 1.500 triệu" stays two figures). Returns the value in units of
    ``scale`` and the end of the last part."""
    unit = scale
    while (m := _NUMBER_RE.match(text, _skip_spaces(text, pos))) and m.start() == pos + 1 and not m.group("den") \
            and not _overlaps(m.start(), m.end(), barriers):
        part = parse_vietnamese_number(m.group("num"))
        part_scale, end = _scale_after(text, m.end())
        if part is None or end == m.end() or part_scale >= unit or part * part_scale >= unit:
            break
        value += part * part_scale / scale
        unit, pos = part_scale, end
    return value, pos


# "lúc 12 giờ 30 phút" is a time of day, and so are hours after "từ"/"đến"/"tới" ("từ 7 giờ 30 phút
# đến 21 giờ 10 phút"); "kéo dài đến 2 năm 8 tháng" is still a duration
_CLOCK_BEFORE = re.compile(r"(?:l[úu]c|v[àa]o)[ \t]+$", re.IGNORECASE)
_HOUR_FROM_TO = re.compile(r"(?:t[ừu]|[đd][ếe]n|t[ớo]i)[ \t]+$", re.IGNORECASE)
_HOUR_AFTER = re.compile(r"[ \t]+(?:gi[ờo]|ti[ếe]ng)\b", re.IGNORECASE)
# the minutes of a time of day: "21 giờ 10 phút 11 giây" after "lúc" is read as 21, then 10 — a
# duration would have taken them with its first part
_CLOCK_PART_BEFORE = re.compile(r"\d[ \t]+(?:gi[ờo]|ph[úu]t)[ \t]+$", re.IGNORECASE)


def _time_of_day(text: str, n_start: int, n_end: int) -> bool:
    """Whether the number at ``n_start:n_end`` starts a time of day rather than a duration."""
    before = max(0, n_start - 6)
    if _CLOCK_BEFORE.search(text, before, n_start) or _CLOCK_PART_BEFORE.search(text, max(0, n_start - 8), n_start):
        return True
    return bool(_HOUR_AFTER.match(text, n_end)) and bool(_HOUR_FROM_TO.search(text, before, n_start))


def _duration(text: str, value: float, pos: int, barriers) -> tuple[float, int, int | None]:
    """A duration written in parts, "2 năm 8 tháng" (32 months) or "1 giờ 20 phút" (80 minutes): the
    value in the smallest unit, the end of its last number (where that unit's noun phrase starts)
    and the end of the last unit word (None when ``pos`` starts no such duration). Each part must be
    a whole number less than one unit of the part before it (``TIME_UNIT_STEPS``)."""
    end = None
    while value.is_integer():
        unit = _WORD_RE.match(text, pos + 1) if text[pos:pos + 1] == " " else None
        step = TIME_UNIT_STEPS.get(_fold(unit.group(0))) if unit else None
        if step is None:
            break
        smaller, factor = step
        m = _NUMBER_RE.match(text, unit.end() + 1) if text[unit.end():unit.end() + 1] == " " else None
        if not m or m.group("den") or _overlaps(m.start(), m.end(), barriers):
            break
        part = parse_vietnamese_number(m.group("num"))
        nxt = _WORD_RE.match(text, m.end() + 1) if text[m.end():m.end() + 1] == " " else None
        if part is None or not part.is_integer() or part >= factor or not nxt or _fold(nxt.group(0)) != smaller:
            break
        value, pos, end = value * factor + part, m.end(), nxt.end()
    return value, pos, end


def _currency_after(text: str, p: int, scaled: bool) -> tuple[str, int] | None:
    hit = _word_at(text, p, _CURRENCIES_LONGEST_FIRST)
    if not hit:
        return None
    if not scaled and (hit[0] in CURRENCY_AFTER_MAGNITUDE_ONLY
                       or (hit[0] in CURRENCY_LOWER_CASE_ONLY and text[p:hit[1]] != hit[0])):
        return None
    if hit[0] in ("đồng", "dong") and not scaled:
        nxt = _WORD_RE.match(text, _skip_spaces(text, hit[1]))
        if nxt and nxt.start() == hit[1] + 1 and nxt.group(0).lower() in _DONG_NOT_MONEY:
            return None
    return hit


_NUMBER_WORD_RE = re.compile(
    rf"(?<!\w)(?P<w>{'|'.join(NUMBER_WORDS)})(?=[ \t]+(?:n[ăa]m|th[áa]ng|tu[ầa]n|ng[àa]y|gi[ờo]|ph[úu]t|gi[âa]y)\b)",
    re.IGNORECASE)
# after these the word is an ordinal, a month, a weekday or a name, not a count
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?<!\w)(?:thứ|tháng|mùng|mồng|quý|lần|số|hạng|lớp|khóa|khoá|kỳ|đợt|tập|phần|chương|điều|khoản)[ \t]+$",
    re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(-])[ \t]*$")


def _word_may_be_a_number(text: str, start: int, end: int, barriers) -> bool:
    """A number word at ``start`` is no number when capitalised inside a sentence ("anh Hai",
    "tháng Ba", "Ba Đình": a name), after a word that makes it an ordinal or a month ("thứ hai"),
    or inside a date or an identifier."""
    if text[start].isupper() and not _SENTENCE_START.search(text, max(0, start - 3), start):
        return False
    return not (_NOT_A_COUNT_BEFORE.search(text, max(0, start - 8), start) or _overlaps(start, end, barriers))


def _word_quantities(text: str, barriers, taken: list[Quantity]) -> list[Quantity]:
    """Small numbers written as words before a unit of time ("trong hai ngày", "hơn ba năm"):
    ``NUMBER_WORDS``, not as an ordinal or a name, not where a figure in digits already is."""
    out = []
    for m in _NUMBER_WORD_RE.finditer(text):
        start, end, word = m.start(), m.end(), m.group("w")
        if not _word_may_be_a_number(text, start, end, barriers) or any(q.start <= start < q.end for q in taken):
            continue
        noun, _, noun_end = _noun_phrase(text, end, barriers)
        if not noun or _fold(noun.split()[0]) not in TIME_UNITS:
            continue  # "hai năm 2018": the year is a date, and the unit went with it
        if _PART_OF_YEAR_AFTER.match(noun):
            continue  # "tám tháng đầu năm" is a period (in digits, find_dates reads it so)
        floor = max((q.end for q in taken if q.end <= start), default=0)
        qualifier, q_start = _qualifier_before(text, start, floor)
        out.append(Quantity(text=text[q_start:noun_end], start=q_start, end=noun_end, number_text=word,
                            value=float(NUMBER_WORDS[word.lower()]), kind="count", unit=_head(noun), noun=noun,
                            qualifier=qualifier.lower() if qualifier else None, denominator=None, currency=None))
    return out


_PART_OF_YEAR_AFTER = re.compile(r"\S+[ \t]+(?:đầu|cuối|dau|cuoi)\b", re.IGNORECASE)

# a magnitude word as written in marked text ("triệu", "tỷ"): plain "ti" is also "ti vi"
_MARKED_MAGNITUDE = rf"(?:{'|'.join(MAGNITUDES_AFTER_NUMBER_WORDS)})(?!\w)"
_WORD_BEFORE_MAGNITUDE_RE = re.compile(
    rf"(?<!\w)(?P<w>{'|'.join(NUMBER_WORDS_BEFORE_MAGNITUDE)})(?=[ \t]+{_MARKED_MAGNITUDE})", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"(\w+)[ \t]+$")
# A number written with an English decimal point ("83.5%", "4.5 tỷ USD", "1.24 triệu bản"): one
# or two digits after a dot are never a Vietnamese thousands group, so before "%" or a magnitude
# word the dot can only be a decimal point. Anywhere else ("phiên bản 2.5", "mục 3.2") it is left
# unread, as before.
_ENGLISH_DECIMAL_RE = re.compile(
    rf"(?<![\w.,/])(?P<num>\d+\.\d{{1,2}})"
    rf"(?=[ \t\u00a0]?%|[ \t\u00a0]+{_MARKED_MAGNITUDE})")


def _numbers(text: str, barriers) -> list[tuple[int, int, str, str | None, float | None]]:
    """Every number of ``text`` in order as (start, end, number, denominator, value of a word): in
    digits ("75,7", "41/53"; "83.5%" written the English way before "%" or a magnitude word), or
    a small number in words right before a magnitude word ("hai triệu USD", "một tỷ đồng"), read
    from there on as its digits would be. A word is no number inside a bigger one written in words
    ("mười hai triệu"), after a word that makes it an ordinal or a month ("tháng Ba"), or
    capitalised inside a sentence (a name)."""
    found = [(m.start(), m.end(), m.group("num"), m.group("den"), None) for m in _NUMBER_RE.finditer(text)]
    found += [(m.start(), m.end(), m.group("num").replace(".", ","), None, None)
              for m in _ENGLISH_DECIMAL_RE.finditer(text)]  # "83.5%" is read as "83,5%"
    for m in _WORD_BEFORE_MAGNITUDE_RE.finditer(text):
        start, word = m.start(), m.group("w")
        before = _PREVIOUS_WORD.search(text, max(0, start - 12), start)
        if (before and before.group(1).lower() in NUMBER_WORD_PARTS) \
                or not _word_may_be_a_number(text, start, m.end(), barriers):
            continue
        found.append((start, m.end(), word, None, float(NUMBER_WORDS_BEFORE_MAGNITUDE[word.lower()])))
    return sorted(found)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, sorted by start, never overlapping a date or identifier."""
    if not (_ANY_DIGIT.search(text) or _NUMBER_WORD_RE.search(text) or _WORD_BEFORE_MAGNITUDE_RE.search(text)):
        return []  # a number written in digits, or a small one in words before a unit of time or a magnitude
    dates = [(d.start, d.end) for d in cached_dates(text)]
    barriers = dates + _document_number_spans(text) + _identifier_spans(text)
    out: list[Quantity] = []
    pending: list[tuple[int, int, float, str | None, int]] = []  # first halves of "2.000 - 3.000"
    floor = 0  # a qualifier may not reach back into the previous quantity
    taken_until = 0  # the numbers of a compound ("4 tỷ 263 triệu") belong to its first number
    for n_start, n_end, number, den_text, word_value in _numbers(text, barriers):
        if n_start < taken_until:
            continue
        if _overlaps(n_start, n_end, barriers):
            pending = []
            continue
        value = word_value if word_value is not None else parse_vietnamese_number(number)
        den = parse_vietnamese_number(den_text) if den_text else None
        if value is None or (den_text and den is None):
            continue
        qualifier, q_start = _qualifier_before(text, n_start, floor)
        if _overlaps(q_start, n_start, barriers):
            qualifier, q_start = None, n_start

        # "2.000 - 3.000 lượt": keep the first number until the second tells its unit
        if den is None and re.match(r"[ \t]*[-–][ \t]*\d", text[n_end:n_end + 5]) \
                and _scale_after(text, n_end)[1] == n_end:
            pending.append((n_start, n_end, value, qualifier, q_start))
            floor = n_end
            continue

        scale, pos = _scale_after(text, n_end)
        if word_value is not None and (scale == 1 or _WORD_BEFORE_MAGNITUDE_RE.match(text, _skip_spaces(text, pos))):
            continue  # "một tỷ lệ": no magnitude here; "một tỷ hai triệu": a sum in words, left unread
        value, pos = _compound(text, value, scale, pos, barriers) if den is None and scale > 1 else (value, pos)
        duration_end = None
        if den is None and scale == 1 and not _time_of_day(text, n_start, n_end):
            value, pos, duration_end = _duration(text, value, pos, barriers)
        taken_until = number_end = pos
        if duration_end is not None:
            number_end = duration_end  # number_text "2 năm 8 tháng"; the noun phrase starts at "tháng"
        p = _skip_spaces(text, pos)
        kind, unit, noun, currency, end = "count", None, None, None, pos
        if den is not None:
            kind = "fraction"
        if den is None and (pct := re.match(r"[ \t]?(?:%|phần trăm|phan tram)", text[pos:pos + 11], re.IGNORECASE)):
            kind, unit = "percent", "%"
            number_end = pos + pct.end()
            noun, _, end = _noun_phrase(text, number_end, barriers)
            end = max(end, number_end)
        elif den is None and p > pos and (cur := _currency_after(text, p, scale > 1)):
            kind, currency, unit = "money", CURRENCIES[cur[0]], text[p:cur[1]]
            end = cur[1]
            if per := re.match(r"/(?:năm|tháng|ngày|người|nam|thang|ngay)\b", text[end:end + 8], re.IGNORECASE):
                end += per.end()
        elif den is None and (rate := re.match(
                rf"[{_SPACE}]+([^\W\d_]+)/({NUM})[{_SPACE}]+([^\W\d_]+)", text[pos:pos + 40])) \
                and rate.group(1).lower() not in _NOUN_STOPS:
            kind, den = "rate", parse_vietnamese_number(rate.group(2))
            unit = f"{rate.group(1)}/{rate.group(2)} {rate.group(3)}"
            noun = unit  # "máy/100 dân": phones per hundred people, not phones
            end = pos + rate.end()
        elif den is None and scale == 1 and (glued := _GLUED_UNIT_RE.match(text, pos)):
            # "678ha cỏ": the unit is the glued word, the noun runs on from it as after a space
            more, _, more_end = _noun_phrase(text, glued.end(), barriers)
            end = more_end if more else glued.end()
            noun = text[pos:end]
        else:
            noun, _, noun_end = _noun_phrase(text, pos, barriers)
            end = noun_end if noun else pos
        if unit is None and noun:
            unit = _head(noun)
        if _overlaps(q_start, end, barriers):  # never swallow a date or an identifier
            end, noun = number_end, None
            if kind in ("count", "fraction"):
                unit = None
        out.append(Quantity(
            text=text[q_start:end], start=q_start, end=end, number_text=text[n_start:number_end],
            value=value * scale, kind=kind, unit=unit, noun=noun,
            qualifier=qualifier.lower() if qualifier else None, denominator=den, currency=currency))
        for r_start, r_end, r_value, r_qual, r_q_start in pending:
            out.append(Quantity(
                text=text[r_q_start:r_end], start=r_q_start, end=r_end, number_text=text[r_start:r_end],
                value=r_value * scale, kind=kind, unit=unit, noun=noun,
                qualifier=r_qual.lower() if r_qual else None, denominator=None, currency=currency))
        pending = []
        floor = end
    for r_start, r_end, r_value, r_qual, r_q_start in pending:  # a dangling "5 -" at the end
        out.append(Quantity(text[r_q_start:r_end], r_q_start, r_end, text[r_start:r_end], r_value,
                            "count", None, None, r_qual.lower() if r_qual else None, None, None))
    out += _word_quantities(text, barriers, out)
    return sorted(out, key=lambda q: q.start)


@lru_cache(maxsize=16384)
def sentence_quantities(sentence: str) -> tuple[Quantity, ...]:
    """``find_quantities`` of one sentence, cached: the reader reads a passage's sentences for
    their figures, and the service lists the same figures with the passage (``qa.service``), so
    each sentence is parsed once for both."""
    return tuple(find_quantities(sentence))
