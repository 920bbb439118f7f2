"""Vietnamese quantities and dates in running text, with exact character spans.

Vietnamese writes ``75,7`` for 75.7 and ``2.398`` for 2398; scale words multiply and stack
(``1,9 triệu tỷ đồng`` = 1.9×10¹⁵ đồng); ``41/53`` is a fraction but ``10/7/2024`` a date and
``82/2024/NĐ-CP`` a decree number. This module reads a quantity as

    [qualifier] number [/ denominator] [scale words] [% | currency | unit/100 noun] [noun phrase]

and never returns one inside a date, a time, a document number, a URL or an identifier
(``Đề án 06``, ``lần thứ 8``, ``4G``, ``cấp độ 2``). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUM_RE = re.compile(rf"(?<![\w.,/])(?P<num>{NUM})(?:\s*/\s*(?P<den>{NUM}))?(?![\w/])", re.UNICODE)

SCALES = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
CURRENCIES = {"đồng": "VND", "vnđ": "VND", "vnd": "VND", "usd": "USD", "đô la": "USD", "đô-la": "USD",
              "euro": "EUR", "eur": "EUR"}
QUALIFIERS = ("ước đạt", "ước tính", "xấp xỉ", "tối thiểu", "tối đa", "khoảng", "hơn", "trên", "gần",
              "tới", "dưới", "gấp", "ước", "chừng", "gần như")
# Words and phrases that end a counted noun phrase: verbs, prepositions, conjunctions.
_NOUN_STOPS = frozenset("""
    đã được và có của cho với so tăng giảm trong tại từ đến là thì này đó nhưng mà để khi theo
    trên dưới gồm đạt chiếm chưa không vẫn sẽ đang bị phải cần đều cũng lên xuống ra vào về
    hoặc hay như nên do vì bởi còn mới thuộc sau trước nhằm ước mức gắn trở lồng
""".split())
# Time words end a noun phrase ("43/229 nhiệm vụ năm 2024") but can be the noun itself ("19 năm").
_STOPS_AFTER_FIRST = frozenset("năm tháng ngày quý".split())
_NOUN_STOP_PHRASES = frozenset("""
    thực_hiện tiếp_nhận kích_hoạt hoàn_thành triển_khai đăng_ký tham_gia tham_dự ban_hành
    năm_nay hiện_nay đầu_năm cuối_năm sử_dụng so_với tổ_chức
""".split())
_MAX_NOUN_WORDS = 8
_WORD = re.compile(r"[^\W\d_][\w]*", re.UNICODE)

# Spans that contain digits but are not quantities.
_BLOCKERS = [re.compile(p, re.IGNORECASE | re.UNICODE) for p in (
    r"(?:https?://|www\.)\S+",
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org)\b",
    r"\b\d+(?:/\d+)*/[A-ZĐ]{1,6}(?:-[A-ZĐ0-9]{1,10})+\b",  # 82/2024/NĐ-CP, 505/QĐ-TTg
    r"\b\d+/[A-ZĐ]{2,}\b",
    r"\b(?:\d+G/)*\d+G\b",  # 4G, 2G/3G/4G
    r"\b\d{1,2}:\d{2}\b",  # times
    r"\b(?:Đề án|Đại hội|Khóa|Khoá|lần thứ|phiên thứ|thứ|cấp độ|mức độ|mức|số hiệu|số|Điều|Khoản|Chương|"
    r"Nghị định|Quyết định|Thông tư|Chỉ thị|Nghị quyết|Thông báo|Công văn|Luật)\s+"
    r"(?:số\s+)?\d+(?:\s*(?:,|và)\s*\d+(?=\s*(?:[,;.)]|$|\s+(?:của|đủ|lên|trở|được))))*",
)]
# "số" only marks an identifier after these words ("Quyết định số 142", "ưu tiên số 1").
_SO_IDENTIFIER_BEFORE = re.compile(
    r"(?:định|tư|thị|quyết|báo|văn|ưu tiên|hiệu|luật|phòng|nhà|đường|tuyến|mã)\s*$", re.IGNORECASE)
_DATE_WORDS_BEFORE = re.compile(
    r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|từ|đến|tới|trước|sau|hết|vào|đầu|cuối)\s*$", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Quantity:
    """A figure in text: ``source[start:end] == text``."""

    text: str
    start: int
    end: int
    number_text: str
    value: float
    kind: str  # count | percent | money | fraction | rate
    unit: str | None
    noun: str | None
    qualifier: str | None
    denominator: float | None
    currency: str | None


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    quarter: int | None
    granularity: str  # day | month | quarter | half | year | period


def parse_vietnamese_number(s: str) -> float | None:
    """``75,7``→75.7, ``2.398``→2398, ``77.732.636``→77732636, ``08``→8; None if not a number."""
    s = s.strip()
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        return None
    if "," in s:
        whole, _, frac = s.rpartition(",")
        if "," in whole or not frac.isdigit():
            return None
        if "." in whole and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", whole):
            return None
        return float(whole.replace(".", "") + "." + frac)
    if "." in s:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            return float(s.replace(".", ""))
        if s.count(".") == 1:  # "2.8": a decimal point written the English way
            return float(s)
        return None
    return float(s)


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def find_dates(text: str) -> list[DateMention]:
    """Dates and periods: ``25/04/2024``, ``ngày 10/10``, ``tháng 12/2023``, ``quý I/2022``,
    ``6 tháng đầu năm 2024``, ``năm 2023``, ``giai đoạn 2022-2025``, ``Sáng 24-4``."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, start: int, end: int, **fields) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(text=text[start:end], start=start, end=end, **fields))

    for m in re.finditer(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d{2})(?![\d/])", text):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid_day_month(d, mo):
            add(m, m.start(), m.end(), year=y, month=mo, day=d, quarter=None, granularity="day")
    for m in re.finditer(r"(?i)\bquý\s+(IV|I{1,3}|[1-4])(?:\s*/\s*|\s+năm\s+)?((?:19|20)\d{2})?", text):
        q = m.group(1).lower()
        quarter = _ROMAN.get(q) or int(q)
        year = int(m.group(2)) if m.group(2) else None
        add(m, m.start(), m.end(), year=year, month=None, day=None, quarter=quarter, granularity="quarter")
    for m in re.finditer(r"(?i)(?<![\d/])(\d{1,2})\s+tháng\s+(đầu|cuối)\s+năm(?:\s+((?:19|20)\d{2}))?", text):
        year = int(m.group(3)) if m.group(3) else None
        gran = "half" if int(m.group(1)) == 6 else "period"
        add(m, m.start(), m.end(), year=year, month=None, day=None, quarter=None, granularity=gran)
    for m in re.finditer(r"(?i)\btháng\s+(\d{1,2})\s*/\s*((?:19|20)\d{2})(?![\d/])", text):
        if 1 <= int(m.group(1)) <= 12:
            add(m, m.start(), m.end(), year=int(m.group(2)), month=int(m.group(1)), day=None, quarter=None,
                granularity="month")
    for m in re.finditer(r"(?<![\d/.,])(\d{1,2})/((?:19|20)\d{2})(?![\d/])", text):
        if 1 <= int(m.group(1)) <= 12:
            add(m, m.start(), m.end(), year=int(m.group(2)), month=int(m.group(1)), day=None, quarter=None,
                granularity="month")
    for m in re.finditer(r"(?<![\d/.,])((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})(?![\d/])", text):
        add(m, m.start(), m.end(), year=int(m.group(1)), month=None, day=None, quarter=None, granularity="period")
    # day/month without a year, only after a word that introduces a date ("ngày 10/10", "Sáng 27/4")
    for m in re.finditer(r"(?<![\d/.,])(\d{1,2})\s*[/-]\s*(\d{1,2})(?![\d/]|[.,]\d|\s*/)", text):
        d, mo = int(m.group(1)), int(m.group(2))
        if _valid_day_month(d, mo) and _DATE_WORDS_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            add(m, m.start(), m.end(), year=None, month=mo, day=d, quarter=None, granularity="day")
    # "năm 2023", "năm 2021, 2022", "đến năm 2030"
    for m in re.finditer(r"(?i)\bnăm\s+((?:19|20)\d{2})((?:\s*(?:,|và|-)\s*(?:19|20)\d{2})*)(?![\d/])", text):
        add(m, m.start(), m.start(1) + 4, year=int(m.group(1)), month=None, day=None, quarter=None,
            granularity="year")
        for extra in re.finditer(r"(?:19|20)\d{2}", m.group(2)):
            s = m.start(2) + extra.start()
            add(extra, s, s + 4, year=int(extra.group(0)), month=None, day=None, quarter=None, granularity="year")
    # a bare year: 1945–2039 not followed by a counted noun ("Châu Á 2024 |", "SN 1994)")
    for m in re.finditer(r"(?<![\d/.,])((?:19[4-9]|20[0-3])\d)(?![\d/.,%])", text):
        after = text[m.end():m.end() + 12]
        if not _WORD.match(after.lstrip()) or not after[:1].isspace():
            add(m, m.start(), m.end(), year=int(m.group(1)), month=None, day=None, quarter=None,
                granularity="year")
    return sorted(found, key=lambda d: d.start)


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in _BLOCKERS:
        for m in pattern.finditer(text):
            word = m.group(0).split()[0].lower()
            if word == "số" and not _SO_IDENTIFIER_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
                continue  # "tổng số 1.077 thôn" is a count
            if word == "mức" and not re.match(r"(?i)mức\s+độ", m.group(0)) and "%" in text[m.end():m.end() + 2]:
                continue
            spans.append((m.start(), m.end()))
    return spans


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    window = text[max(0, start - 16):start]
    for q in QUALIFIERS:
        m = re.search(rf"(?i)(?<!\w){re.escape(q)}\s+$", window)
        if m:
            return q, start - (len(window) - m.start())
    return None, start


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\u00a0":
        pos += 1
    return pos


def _match_word(text: str, pos: int, words) -> tuple[str, int] | None:
    """The longest of ``words`` (case-insensitive) at ``pos`` followed by a non-letter."""
    for w in sorted(words, key=len, reverse=True):
        end = pos + len(w)
        if text[pos:end].lower() == w and (end >= len(text) or not (text[end].isalnum() or text[end] == "_")):
            return w, end
    return None


def _noun_phrase(text: str, pos: int) -> tuple[str | None, int]:
    """Words after the figure that say what it counts, stopping at verbs and punctuation."""
    words: list[str] = []
    start = end = None
    while len(words) < _MAX_NOUN_WORDS:
        p = _skip_spaces(text, pos)
        if words and p < len(text) and text[p] == "/" and _WORD.match(text, p + 1):
            p += 1  # "nhiệm vụ/dự án", "tổ/thôn/bản"
        m = _WORD.match(text, p)
        if not m or (words and p == pos and text[p - 1] not in "/"):
            break
        word = m.group(0).lower()
        if word in _NOUN_STOPS or (words and word in _STOPS_AFTER_FIRST):
            break
        following = _WORD.match(text, _skip_spaces(text, m.end()))
        if following and f"{m.group(0)}_{following.group(0)}".lower() in _NOUN_STOP_PHRASES:
            break
        words.append(m.group(0))
        start = p if start is None else start
        end = pos = m.end()
    if not words:
        return None, pos
    return text[start:end], end


@lru_cache(maxsize=4096)
def head_noun(noun: str) -> str:
    """The head of a noun phrase: its first underthesea word (``tài khoản`` of ``tài khoản VNeID``)."""
    from underthesea import word_tokenize

    words = word_tokenize(noun)
    return words[0] if words else noun.split()[0]


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, sorted by position, never inside a date or identifier."""
    blocked = _blocked_spans(text) + [(d.start, d.end) for d in find_dates(text)]
    out: list[Quantity] = []
    pending_range: list[tuple[int, int, float]] = []  # "2.000 - 3.000 lượt": first half waits for the unit
    for m in _NUM_RE.finditer(text):
        n_start, n_end = m.start(), m.end()
        if any(s < n_end and n_start < e for s, e in blocked):
            continue
        value = parse_vietnamese_number(m.group("num"))
        if value is None:
            continue
        den = parse_vietnamese_number(m.group("den")) if m.group("den") else None
        if m.group("den") and den is None:
            continue
        pos = n_end
        # a range "2.000 - 3.000": remember the first number, the second carries the unit
        after = text[pos:pos + 4]
        if den is None and re.match(r"\s*[-–]\s*\d", after):
            pending_range.append((n_start, n_end, value))
            continue
        scale = 1.0
        p = _skip_spaces(text, pos)
        while (hit := _match_word(text, p, SCALES)) and not re.match(r"\s+(?:lệ|trọng)\b", text[hit[1]:hit[1] + 8]):
            scale *= SCALES[hit[0]]
            pos = hit[1]
            p = _skip_spaces(text, pos)
        number_end = pos
        kind, unit, noun, currency = "count", None, None, None
        if text[p:p + 1] == "%":
            kind, unit = "percent", "%"
            number_end = pos = p + 1
            noun, noun_end = _noun_phrase(text, pos)
            end = noun_end if noun else pos
        elif hit := _match_word(text, p, CURRENCIES):
            kind, currency, unit = "money", CURRENCIES[hit[0]], text[p:hit[1]]
            end = hit[1]
            per = re.match(r"/(năm|tháng|ngày)\b", text[end:end + 8])
            if per:
                end += per.end()
        else:
            noun, end = _noun_phrase(text, pos)
            if noun is None:
                end = pos
            rate = re.match(rf"/({NUM})\s+([^\W\d_]\w*)", text[end:end + 24]) if noun else None
            if rate and den is None and len(noun.split()) == 1:  # "90,5 máy/100 dân"
                den = parse_vietnamese_number(rate.group(1))
                kind, unit = "rate", f"{noun}/{rate.group(1)} {rate.group(2)}"
                end += rate.end()
                noun = unit
            elif den is not None:
                kind = "fraction"
        if den is not None and kind == "count":
            kind = "fraction"
        if unit is None and noun:
            unit = head_noun(noun)
        qualifier, q_start = _qualifier_before(text, n_start)
        number_text = text[n_start:number_end]
        full = value * scale
        out.append(Quantity(text=text[q_start:end], start=q_start, end=end, number_text=number_text,
                            value=full, kind=kind, unit=unit, noun=noun,
                            qualifier=qualifier.lower() if qualifier else None, denominator=den,
                            currency=currency))
        for r_start, r_end, r_value in pending_range:  # the range's first half gets the same unit
            r_qual, r_q_start = _qualifier_before(text, r_start)
            out.append(Quantity(text=text[r_q_start:r_end], start=r_q_start, end=r_end,
                                number_text=text[r_start:r_end], value=r_value * scale, kind=kind, unit=unit,
                                noun=noun, qualifier=r_qual.lower() if r_qual else None, denominator=None,
                                currency=currency))
        pending_range = []
    return sorted(out, key=lambda q: q.start)
