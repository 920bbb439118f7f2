"""Vietnamese time expressions as comparable calendar periods, resolved against a reference date.

A figure answers a question only if it is about the period asked for: "lãi 6 tháng đầu năm 2018"
does not answer "lãi quý II/2018", and "tăng 5% so với cùng kỳ" is measured *against* last year, it
is not last year's figure. So each time expression becomes a :class:`Period` with real dates, and
:func:`compatible` decides whether a figure's period can answer the asked one.

Reading rules (each is tested in ``tests/test_timeexpr.py``):

* Text carrying any Vietnamese diacritic is read strictly (``tư`` ≠ ``từ``, ``Nam`` ≠ ``năm``);
  text without any is read accent-insensitively, as questions are often typed ("quy I nam 2019").
  VietNews tokenisation is understood: ``_`` joins words, ``tháng 5 / 2019``, ``12 - 10``.
* A period without a year takes the reference year, or the year before when it would start more
  than 31 days after the reference (news reports the past); periods starting on 1 January are
  tested by their end ("12 tháng qua" in January = last year). Without a reference the year stays
  unknown and only the in-year shape (``yearless``) is kept.
* ``d/m`` is a date only after ``ngày``/``sáng``/``chiều``/a clock time, in parentheses, or after a
  preposition (``từ``, ``đến``...) with no unit after it ("từ 3-5 ngày" is a count). A bare ``2019``
  is a year only after a cue word (``trong``, ``đến``...), in parentheses or before punctuation, and
  never before a unit. Decree numbers, ``số ...`` and birth years (``SN 1994``) are claimed and
  dropped: a birth year is never the period of a figure. A clock time alone is skipped.
* ``cùng kỳ`` and whatever follows ``so với`` are baselines; relative words there resolve against
  the preceding period ("tháng 10/2018 ... so với tháng trước" → 9/2018) and ``cùng kỳ`` is that
  period a year earlier. ``từ A đến B`` is a range; ``(tính) đến B`` an open period ending with B.
* Holidays are approximate windows (Tết: mùng 1 −5…+6 days; 30/4: 27/4–3/5; 2/9: 31/8–4/9; 1/1:
  30/12–2/1); without a year, the occurrence nearest the reference. An unnamed "nghỉ lễ" is the
  holiday within 45 days of the reference.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, replace
from typing import Callable

from qa.lexicon import compose_clusters, fold_accents, lower_each, normalize_tone_marks

__all__ = ["Period", "TimeMention", "find_times", "overlaps", "compatible", "same_period"]

Date = datetime.date
_DAYS = datetime.timedelta


@dataclass(frozen=True)
class Period:
    """A calendar span a figure can be about; ``yearless`` keeps its shape when the year is unknown."""

    start: Date | None  # first day covered (None when the year is unknown and no reference date)
    end: Date | None  # last day covered
    granularity: str  # day|week|month|quarter|ytd|half|year|range|holiday|school_year|open
    label: str  # normalised description: "tháng 5/2019", "6 tháng đầu năm 2019", "tet 2019"
    baseline: bool = False  # "cùng kỳ", "so với năm 2023": a comparison point, not the figure's period
    year_explicit: bool = False  # the text gave the year (vs resolved from the reference date)
    yearless: tuple[int, int, int, int] | None = None  # (month, day, month, day); day 0 = month end
    holiday: str | None = None  # "tet" | "30/4" | "2/9" | "1/1"
    end_point: bool = False  # the text names the period's end ("cuối năm 2019"): the state at that end
    by_year: bool = False  # "đến năm 2030" (not "đến hết năm"): the state in that year, as "năm 2030"


@dataclass(frozen=True)
class TimeMention:
    """A period as written: ``original[start:end] == text``."""

    period: Period
    start: int
    end: int
    text: str


# ---- Matching machinery

@dataclass(frozen=True)
class _Ctx:
    hay: str  # lower-case NFC (toned text) or its accent-folded copy: what patterns run on
    cased: str  # same offsets, original case ("tháng Năm" is May)
    toned: bool
    now: Date | None  # the reference date
    year: int | None = None  # a year lent by the other end of a range


def _prepare(text: str, now: Date | None) -> tuple[_Ctx, list[tuple[int, int]]]:
    """Normalise one character per original cluster, keeping where each came from (NFD input)."""
    composed, starts, ends = compose_clusters(text)
    spans = list(zip(starts, ends))
    cased = normalize_tone_marks(composed)
    cased = (cased if len(cased) == len(composed) else composed).replace("_", " ")
    low = lower_each(cased)
    folded = fold_accents(low)
    return _Ctx(low if folded != low else folded, cased, folded != low, now), spans


class _Pat:
    """One pattern in two spellings: with marks (toned text) and folded (text typed without)."""

    def __init__(self, template: str, hint: str | None = None):
        # a space stands for any run of spaces, never a line break
        t = template.replace(r"\s", r"[^\S\n]").replace(" ", r"[^\S\n]+")
        self.toned, self.plain = re.compile(t), re.compile(fold_accents(t))
        # a piece of the template that every match contains: text without it is not searched
        self.hint = _Pat(hint) if hint else None

    def of(self, c: _Ctx) -> re.Pattern:
        return self.toned if c.toned else self.plain

    def finditer(self, c: _Ctx):
        """The matches in the context's text (none without the hint: the pattern is not run)."""
        if self.hint is not None and not self.hint.of(c).search(c.hay):
            return ()
        return self.of(c).finditer(c.hay)

    def ends_at(self, c: _Ctx, pos: int) -> re.Match | None:
        return self.of(c).search(c.hay, max(0, pos - 40), pos)

    def starts_at(self, c: _Ctx, pos: int) -> re.Match | None:
        return self.of(c).match(c.hay, pos)


# Every pattern and check stays within one line: a time expression never spans a line break, so
# a text can be read a line at a time (``qa.read.context.last_time_in``) with the same result.
_BLOCK = object()  # a claimed span that is not a time (decree numbers, birth years)
_RULES: list[tuple[_Pat, Callable]] = []


def _rule(template: str, hint: str | None = None):
    """Register a handler(match, ctx) → Period | (Period, start, end) | _BLOCK | None.

    ``hint`` is a part of ``template`` that every match contains, cheap to search for (no
    optional lead-in): most sentences lack it, and the template is then not run over them."""
    def register(fn):
        _RULES.append((_Pat(template, hint), fn))
        return fn
    return register


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", fold_accents(s.lower())).strip()


def _written(m: re.Match, c: _Ctx) -> str:
    return re.sub(r"\s+", " ", c.cased[m.start():m.end()].lower())


# ---- Vocabulary and calendar helpers

_Y = r"(?:19|20)\d{2}(?![\w%]|[.,]\d)"
_REL = r"nay|ngoái|trước|tới|sau|vừa qua|qua|kia|rồi"
# What may follow a month, quarter or count of months: "/2019", "-2019", "năm 2019", "năm nay", " 2019".
_YEARSPEC = (rf"(?:\s*[/-]\s*(?P<y>{_Y})|(?: của)? năm (?P<y2>{_Y})|(?: của)? năm (?P<rel>{_REL})(?!\w)"
             rf"| (?P<y3>{_Y}))?")
_NUMW = "mười một|mười hai|mười|một|hai|ba|bốn|tư|năm|sáu|bảy|tám|chín"
_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
            "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "gieng": 1, "chap": 12}
_OFFSET = {"nay": 0, "ngoai": -1, "truoc": -1, "roi": -1, "kia": -2, "toi": 1, "sau": 1, "moi": 0}
_CAN = {"giap": 0, "at": 1, "binh": 2, "dinh": 3, "mau": 4, "ky": 5, "ki": 5, "canh": 6, "tan": 7,
        "nham": 8, "quy": 9}
_CHI = {"ty": (0, 5), "ti": (0, 5), "suu": (1,), "dan": (2,), "mao": (3,), "meo": (3,), "thin": (4,),
        "ngo": (6,), "mui": (7,), "than": (8,), "dau": (9,), "tuat": (10,), "hoi": (11,)}  # tý/tỵ by parity
# Mùng 1 Tết, 2000–2035, Vietnamese calendar (UTC+7: 2007 is 17/2, not China's 18/2).
_TET = {2000 + i: Date(2000 + i, int(s[:2]), int(s[2:])) for i, s in enumerate(
    "0205 0124 0212 0201 0122 0209 0129 0217 0207 0126 0214 0203 0123 0210 0131 0219 0208 0128 "
    "0216 0205 0125 0212 0201 0122 0210 0129 0217 0206 0126 0213 0203 0123 0211 0131 0219 0208".split())}
_HOLIDAY_KEY = {"30/4": (4, 30), "2/9": (9, 2), "1/1": (1, 1)}
_HOLIDAY_WINDOW = {"tet": (-5, 6), "30/4": (-3, 3), "2/9": (-2, 2), "1/1": (-2, 1)}

_PREP_BEFORE = _Pat(r"(?<!\w)(?:từ|đến|tới|trước|sau|hết|vào|sang|hạn|tính đến|thời điểm)\s*$")
_YEAR_CUE = _Pat(r"(?:(?<!\w)(?:trong|đến|tới|từ|vào|sau|trước|hết|của|cho|mùa|dịp|hồi|kỳ|kì|đầu|cuối|so với)"
                 r"|(?:19|20)\d\d\s*(?:,|và|hoặc|hay))\s*$")
_QTY_BEFORE = _Pat(r"(?<!\w)(?:hơn|gần|khoảng|trên|dưới|đạt|là|có|với|gồm|được|tăng|giảm|lên|xuống|"
                   r"còn|số|top|tổng|mất|thu|chi|bán|mua|tới|đến)\s*$")
_COUNT_BEFORE = _Pat(rf"(?<!\w)(?:\d+|{_NUMW}|vài|mấy|bao nhiêu|nhiều|các|những|hàng|mỗi)\s*$")
_UNIT_AFTER = _Pat(
    r"\s*(?:%|‰)|\s+(?:phần trăm|tỷ|tỉ|triệu|nghìn|ngàn|trăm|đồng|usd|người|lượt|lần|điểm|tuổi|ca|hộ|"
    r"xe|tấn|kg|km|cm|mm|ha|m|mét|lít|giờ|ngày|tháng|năm|tuần|phút|sản phẩm|doanh nghiệp|học sinh|"
    r"thí sinh|chỉ tiêu|tiêu chí|trường|tỉnh|xã|huyện|bộ|ngành|đơn vị|căn|con|chiếc|vụ|dự án|hồ sơ|"
    r"tài khoản|bệnh nhân|trẻ|loại|đội|câu|môn|sao)(?!\w)")
_BEFORE_EVENT = _Pat(r"\s+khi(?!\w)")
_CUMULATIVE_CUE = _Pat(r"(?<!\w)(?:trong|tính chung|lũy kế|cộng dồn)\s+$")
_FROM_BEFORE = _Pat(r"(?<!\w)(?:(?:kể|tính) )?từ\s+$")
_RANGE_GAP = _Pat(r"\s*(?:đến|tới|-|–)\s*(?:hết\s+)?")
# "tính đến thời điểm 31/5/2018" is "tính đến 31/5/2018"
_TO_BEFORE = _Pat(r"(?<!\w)(?:(?:tính|cho) )?(?:đến|tới) (?:(?P<het>hết)\s+)?(?:thời điểm\s+)?$")
# "so với năm 2016", and with a word or two between: "so với thực hiện năm 2016", "so với mức của năm 2015"
_VS_BEFORE = _Pat(r"(?<!\w)(?:(?:so với|so sánh với)(?: [^\W\d_]+){0,2}|so(?: cả)?)\s+$")
# "lần đầu", "ban đầu", "hàng đầu", "dẫn đầu", "đi đầu" are words of their own, not "đầu năm"
_NOT_PART = r"(?<!lần\s)(?<!ban\s)(?<!hàng\s)(?<!dẫn\s)(?<!đi\s)"
# "mỗi tháng", "hàng tháng": per month, never a month's name; "các tháng năm 2016": every month of it
_PER_BEFORE = _Pat(r"(?<!\w)(?:mỗi|hàng|từng)\s+$")
_EACH_BEFORE = _Pat(r"(?<!\w)(?:mỗi|hàng|từng|các|những)\s+$")
_NOT_TET = _Pat(r"\s+(?:trung thu|đoan ngọ|thanh minh|hàn thực|dương lịch|tây|độc lập|thiếu nhi|ông công)")


def _last(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + k, 12)
    return y, m + 1


def _shift_date(d: Date, years: int) -> Date:
    """Same day ``years`` later; a month's last day stays its last day (29/2 ↔ 28/2)."""
    y = d.year + years
    return Date(y, d.month, _last(y, d.month) if d.day >= _last(d.year, d.month) else d.day)


def _offset(word: str, now: Date, unit: str) -> int:
    """"trước" −1, "tới" +1...; "(vừa) qua" is the one just finished unless we are well into the next."""
    w = _fold(word)
    if w in _OFFSET:
        return _OFFSET[w]
    return {"year": -1 if now.month <= 2 else 0, "month": -1 if now.day <= 15 else 0}.get(unit, -1)


def _given_year(m: re.Match, c: _Ctx) -> tuple[int | None, bool]:
    """The year a match states (explicitly, or relative to now), else the one lent by a range."""
    g = m.groupdict()
    for k in ("y", "y2", "y3", "y4", "y5"):
        if g.get(k):
            return int(g[k]), True
    for k in ("rel", "rel2"):
        if g.get(k):
            return (c.now.year + _offset(g[k], c.now, "year"), False) if c.now else (None, False)
    return c.year, False  # a lent year is explicit only through its lender


def _in_year(c: _Ctx, gran: str, base: str, sep: str, year: int | None, explicit: bool,
             m1: int, d1: int, m2: int, d2: int = 0) -> Period | None:
    """A period inside one calendar year; a missing year comes from the reference, leaning past."""
    if year is None and c.now is not None:
        year = c.now.year
        pm, pd = (m2, d2) if (m1, d1) == (1, 1) and gran != "year" else (m1, d1)
        if Date(year, pm, min(pd or 31, _last(year, pm))) > c.now + _DAYS(31):
            year -= 1
    if d2 >= _last(2001, m2) and (m1, d1) != (m2, d2):
        d2 = 0  # month end, whatever the year
    if year is None:
        return Period(None, None, gran, base, yearless=(m1, d1, m2, d2))
    try:
        start, end = Date(year, m1, d1), Date(year, m2, d2 or _last(year, m2))
    except ValueError:  # 29/2/2019
        return None
    return Period(start, end, gran, f"{base}{sep}{year}", year_explicit=explicit, yearless=(m1, d1, m2, d2))


def _day(c: _Ctx, d: int, mo: int, year: int | None, explicit: bool) -> Period | None:
    return _in_year(c, "day", f"{d}/{mo}", "/", year, explicit, mo, d, mo, d) if 1 <= d <= 31 else None


def _whole_year(y: int) -> Period:
    return Period(Date(y, 1, 1), Date(y, 12, 31), "year", f"năm {y}", year_explicit=True,
                  yearless=(1, 1, 12, 0))


# ---- Rules: candidates from every rule compete longest first; equally long ones in this order.

@_rule(r"(?<![\w/])\d+(?:\s*/\s*\d+)*\s*/\s*[^\W\d_]\w*(?:-\w+)*|(?<!\w)(?:số|nghị định|quyết định|"
       r"thông tư|công văn|chỉ thị|nghị quyết|luật|văn bản|thông báo|tờ trình|đề án|mã|hotline) (?:số )?"
       r"\d+(?:\s*[/.-]\s*\d+)*|(?<!\w)(?:sn|sinh năm|năm sinh|sinh) (?:19|20)\d{2}(?!\d)")
def _not_a_time(m, c):
    return _BLOCK  # 82/2024/NĐ-CP, số 15/2019, Nghị định 72/2018, SN 1994


@_rule(r"(?<!\w)(?:từ )?(?:trước|xưa) (?:đến|tới) (?:nay|giờ)(?!\w)")
def _ever(m, c):
    return _BLOCK  # "cao nhất từ trước đến nay": ever, not a period up to now


@_rule(r"(?P<tod>\d{1,2}\s*(?:h|giờ)(?:\s*\d{2}(?:\s*(?:phút|p))?)? )?"
       r"(?P<part>(?:rạng )?(?:sáng|trưa|chiều|tối|đêm|khuya) )?(?P<rd>(?:hôm )?(?:nay|qua) )?"
       r"(?P<ngay>(?:ngày|hôm|thứ (?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật),? )?(?P<par>\(\s*)?"
       rf"(?<![\w.,/])(?P<d>[0-3]?\d)\s*[/-]\s*(?P<m>[01]?\d)"
       rf"(?:\s*[/-]\s*(?P<y>{_Y})| năm (?P<y2>{_Y})| năm (?P<rel>nay|ngoái|trước)(?!\w))?"
       r"(?![\w/%]|[.,]\d|\s*[/-]\s*\d)(?P<cpar>\s*\))?", hint=r"\d\s*[/-]\s*\d")
def _numeric_day(m, c):
    lead, paren = m["tod"] or m["part"] or m["rd"] or m["ngay"], bool(m["par"] and m["cpar"])
    if not (lead or paren or m["y"] or m["y2"] or m["rel"]):
        if not _PREP_BEFORE.ends_at(c, m.start("d")) or _UNIT_AFTER.starts_at(c, m.end()):
            return None  # "41/53", "tăng từ 4-5 triệu"
    p = _day(c, int(m["d"]), int(m["m"]), *_given_year(m, c)) if int(m["m"]) in range(1, 13) else None
    start = m.start() if lead else m.start("par") if paren else m.start("d")
    return p and (p, start, m.start("cpar") if m["cpar"] and not paren else m.end())


@_rule(rf"(?P<ngay>ngày )?(?<![\w.,/])(?P<d>[0-3]?\d) tháng (?P<m>1[0-2]|0?[1-9])(?: năm (?P<y>{_Y}))?(?!\w)",
       hint=r"\d tháng \d")
def _wordy_day(m, c):
    return _day(c, int(m["d"]), int(m["m"]), *_given_year(m, c)) if m["ngay"] or m["y"] else None


@_rule(rf"(?P<ngay>ngày )?(?<![\w.,/])(?P<d1>[0-3]?\d)(?:\s*/\s*(?P<m1>[01]?\d))?\s*[-–]\s*(?P<d2>[0-3]?\d)"
       rf"\s*/\s*(?P<m2>[01]?\d)(?:\s*/\s*(?P<y>{_Y}))?(?![\w/%]|[.,]\d)", hint=r"[-–]\s*\d{1,2}\s*/\s*\d")
def _day_range(m, c):
    d1, d2, m2 = int(m["d1"]), int(m["d2"]), int(m["m2"])
    m1, (year, explicit) = int(m["m1"] or m2), _given_year(m, c)
    if (d1, m1, d2, m2) == (30, 4, 1, 5):
        return _holiday(c.now, "30/4", year, explicit)
    if not (m["ngay"] or m["m1"] or _PREP_BEFORE.ends_at(c, m.start())) or not 0 < m1 < 13 or not 0 < m2 < 13:
        return None
    a = _day(c, d1, m1, year, explicit)
    b = a and _day(c, d2, m2, a.start.year if a.start else year, explicit)
    return b and _range(a, b)


@_rule(r"(?:(?:rạng )?(?:sáng|trưa|chiều|tối|đêm|khuya) (?:hôm )?|(?:ngày )?hôm |(?P<ngay>ngày) )"
       r"(?P<rd>nay|qua|kia|mai)(?!\w)", hint=r"(?:nay|qua|kia|mai)(?!\w)")
def _relative_day(m, c):
    rd = _fold(m["rd"])
    if m["ngay"] and rd != "mai":
        return None  # "ngày nay" = nowadays
    if c.now is None:
        return Period(None, None, "day", _written(m, c))
    d = c.now + _DAYS({"nay": 0, "qua": -1, "kia": -2, "mai": 1}[rd])
    return Period(d, d, "day", f"{d.day}/{d.month}/{d.year}", yearless=(d.month, d.day, d.month, d.day))


@_rule(r"tuần (?P<w>này|trước|vừa qua|qua|tới|sau|rồi)(?!\w)")
def _week(m, c):
    if _COUNT_BEFORE.ends_at(c, m.start()):
        return None  # "2 tuần qua" is a duration
    if c.now is None:
        return Period(None, None, "week", _written(m, c))
    if _fold(m["w"]) in ("qua", "vua qua"):
        return Period(c.now - _DAYS(6), c.now, "week", f"7 ngày đến {c.now.day}/{c.now.month}/{c.now.year}")
    monday = c.now - _DAYS(c.now.weekday() - 7 * _OFFSET[_fold(m["w"])])
    return Period(monday, monday + _DAYS(6), "week", f"tuần {monday.day}/{monday.month}/{monday.year}")


@_rule(r"(?:(?:đầu|giữa|cuối) )?tháng (?:(?P<m>1[0-2]|0?[1-9])(?![\d,.]?\d)"
       r"|(?P<mw>mười một|mười hai|mười|giêng|chạp|một|hai|ba|tư|năm|sáu|bảy|tám|chín)"
       rf"|(?P<mr>này|trước|tới|sau|vừa qua|qua|rồi))(?!\w){_YEARSPEC}(?P<fut> (?:sắp )?tới(?!\w))?")
def _month(m, c):
    year, explicit = _given_year(m, c)
    word = _fold(m["mw"] or m["mr"] or "")
    if _PER_BEFORE.ends_at(c, m.start()) or (word == "nam" and _EACH_BEFORE.ends_at(c, m.start())):
        return None  # "mỗi tháng 5 triệu đồng", "các tháng năm 2016": per month, not May
    if m["mw"] and not (any(m[g] for g in ("y", "y2", "y3", "rel")) or c.cased[m.start("mw")].isupper()
                        or word in ("gieng", "chap") or (c.toned and word not in ("mot", "hai", "ba", "nam"))):
        if word != "sau":
            return None  # "tháng năm", "thang tu": a count or "từ", not May/April
        m_rel = True  # "thang sau" typed without marks: next month
    else:
        m_rel = bool(m["mr"])
    if m_rel:
        if c.now is None:
            return Period(None, None, "month", _written(m, c))
        year, month = _add_months(c.now.year, c.now.month, _offset(word, c.now, "month"))
        explicit = False
    else:
        month = int(m["m"]) if m["m"] else _NUMBERS[word]
        if m["fut"] and year is None and c.now:  # "tháng 6 tới": the coming June
            year = c.now.year + (month < c.now.month)
    p = _in_year(c, "month", f"tháng {month}", "/", year, explicit, month, 1, month)
    return replace(p, end_point=True) if p and _fold(m.group(0)).startswith("cuoi") else p


@_rule(rf"quý (?:(?P<q>iv|iii|ii|i|[1-4])|(?P<qw>đầu|cuối)(?: (?:tiên|cùng))?|(?P<qr>này|trước|tới|sau|vừa qua|qua|rồi))"
       rf"(?!\w){_YEARSPEC}(?P<fut> (?:sắp )?tới(?!\w))?")
def _quarter(m, c):
    """"quý II/2019", "quý này"; "quý đầu (tiên)" is quý I and "quý cuối (cùng)" quý IV."""
    if m["qr"]:
        if c.now is None:
            return Period(None, None, "quarter", _written(m, c))
        first_month = (c.now.month - 1) // 3 * 3 + 1
        year, mo = _add_months(c.now.year, first_month, 3 * _offset(m["qr"], c.now, "quarter"))
        q, explicit = (mo - 1) // 3 + 1, False
    else:
        q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "dau": 1, "cuoi": 4}.get(_fold(m["q"] or m["qw"])) or int(m["q"])
        year, explicit = _given_year(m, c)
        if m["fut"] and year is None and c.now:  # "quý IV tới"
            year = c.now.year + (3 * q < c.now.month)
    roman = ["I", "II", "III", "IV"][q - 1]
    return _in_year(c, "quarter", f"quý {roman}", "/", year, explicit, 3 * q - 2, 1, 3 * q)


@_rule(rf"(?<![\w.,/])(?P<n>1[0-2]|[1-9]|{_NUMW}) tháng(?: (?P<dc>đầu|cuối) (?:năm(?: (?P<y4>{_Y})"
       rf"| (?P<rel2>{_REL})(?!\w))?|(?P<y5>{_Y})(?![\w%]|[.,]\d))|(?: vừa)? (?P<qua>qua)(?!\w)|{_YEARSPEC})")
def _months_of_year(m, c):
    """"7 tháng đầu năm (2019)", "6 tháng đầu 2016" (no "năm"), "3 tháng cuối năm", "7 tháng qua"."""
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[_fold(m["n"])]
    if not (m["dc"] or m["qua"] or any(m[g] for g in ("y", "y2", "y3", "rel"))):
        # a bare "7 tháng" is Jan–Jul only as "Trong 7 tháng," / "Lũy kế 7 tháng."
        if not (_CUMULATIVE_CUE.ends_at(c, m.start()) and re.match(r"[^\S\n]*(?:[,.;:?!)\n]|$)", c.hay[m.end():])):
            return None
    year, explicit = _given_year(m, c)
    if m["dc"] and _fold(m["dc"]) == "cuoi":
        gran = {6: "half", 3: "quarter"}.get(n, "range")
        return _in_year(c, gran, f"{n} tháng cuối năm", " ", year, explicit, 13 - n, 1, 12)
    return _in_year(c, "ytd", f"{n} tháng đầu năm", " ", year, explicit, 1, 1, n)


@_rule(rf"(?<!những\s)(?<!các\s)(?<!mấy\s)(?<!vài\s)(?<!\d\s)tháng đầu (?:tiên(?: của)? năm|năm)"
       rf"(?!\w)(?: (?P<y4>{_Y})(?![\w%]|[.,]\d)| (?P<rel2>{_REL})(?!\w))?", hint=r"tháng đầu")
def _first_month(m, c):
    """"tháng đầu năm 2019", "tháng đầu tiên của năm": one month, January. Not a bare "tháng đầu
    tiên" (the first month of anything), "những/các tháng đầu năm" (the early months, vague) or
    "9 tháng đầu năm" (read above)."""
    return _in_year(c, "month", "tháng 1", "/", *_given_year(m, c), 1, 1, 1)


@_rule(rf"nửa (?P<dc>đầu|cuối|sau) năm(?: (?P<y4>{_Y})| (?P<rel2>{_REL})(?!\w))?"
       rf"|nửa năm (?P<dc2>đầu|cuối|sau)(?: (?P<y3>{_Y}))?|nửa (?P<dc3>đầu|cuối|sau) (?P<y5>{_Y})")
def _half(m, c):
    """"nửa đầu năm 2016", "nửa năm đầu", and "nửa đầu 2016" (no "năm": not "đầu 2016")."""
    first = _fold(m["dc"] or m["dc2"] or m["dc3"]) == "dau"
    return _in_year(c, "half", f"nửa {'đầu' if first else 'cuối'} năm", " ", *_given_year(m, c),
                    1 if first else 7, 1, 6 if first else 12)


@_rule(rf"(?<!\w)(?:(?:kể|tính) )?từ đầu (?:năm(?: (?P<y>{_Y})| (?P<rel>nay|ngoái|trước)(?!\w))?|(?P<y2>{_Y}))"
       r"(?: (?:đến|tới) (?:nay|hiện nay|hiện tại|thời điểm này)(?!\w))?")
def _since_new_year(m, c):
    year, explicit = _given_year(m, c)
    year = year or (c.now.year if c.now else None)
    if year is None:
        return Period(None, None, "ytd", "từ đầu năm đến nay")
    gran = "ytd" if c.now is None or c.now.year == year else "range"
    return Period(Date(year, 1, 1), c.now, gran, f"từ đầu năm {year} đến nay", year_explicit=explicit)


@_rule(r"(?<!\w)(?:(?:tính|cho) )?(?:đến|tới) (?:nay|hiện nay|hiện tại|thời điểm này|thời điểm hiện tại)(?!\w)")
def _until_now(m, c):
    return Period(None, c.now, "open", "đến nay")


@_rule(rf"{_NOT_PART}(?P<pos>đầu|giữa|cuối) năm(?: (?P<y4>{_Y})| (?P<rel2>nay|ngoái|trước|tới|sau)(?!\w))?"
       rf"|(?<!giá\s){_NOT_PART}(?P<pos2>đầu|giữa|cuối) (?P<y>{_Y})")
def _part_of_year(m, c):
    """Vague "cuối năm 2019": its quarter-ish part, so "năm 2019" is not read as the whole year.
    "cuối 2019" (no "năm") says the same; "giá dầu 2019" typed without marks does not, nor "lần
    đầu năm 2014" (the first time, in 2014) or "kế hoạch ban đầu năm 2018" (the initial plan)."""
    pos = _fold(m["pos"] or m["pos2"])
    (m1, m2), base = {"dau": ((1, 3), "đầu"), "giua": ((5, 8), "giữa"), "cuoi": ((10, 12), "cuối")}[pos]
    p = _in_year(c, "range", f"{base} năm", " ", *_given_year(m, c), m1, 1, m2)
    return replace(p, end_point=True) if p and pos == "cuoi" else p


def _end_year(y1: int, written: str, span: int) -> int | None:
    """The second year of "2019-2020" / "2019-20": after ``y1`` and at most ``span`` years on."""
    y2 = int(written)
    y2 = y2 if y2 > 99 else y1 // 100 * 100 + y2
    return y2 if y1 < y2 <= y1 + span else None


@_rule(rf"(?:năm học|niên khóa|niên học) (?P<y1>{_Y})\s*[-–/]\s*(?P<y2>(?:19|20)?\d{{2}})(?![\w%]|[.,]\d)"
       r"|năm học (?P<rel>này|tới|trước|mới|vừa qua|qua|sau)(?!\w)")
def _school_year(m, c):
    if m["rel"]:
        if c.now is None:
            return Period(None, None, "school_year", _written(m, c))
        current = c.now.year if c.now.month >= 8 else c.now.year - 1
        y1, explicit = current + _OFFSET.get(_fold(m["rel"]), -1), False
        y2 = y1 + 1
    else:
        y1, explicit = int(m["y1"]), True
        y2 = _end_year(y1, m["y2"], 6)
        if y2 is None:
            return None
    return Period(Date(y1, 9, 1), Date(y2, 8, 31), "school_year", f"năm học {y1}-{y2}", year_explicit=explicit)


@_rule(rf"(?:mùa thi|kỳ thi|kì thi|mùa tuyển sinh|tuyển sinh|năm tài chính|tài khóa)(?: [^\W\d_]+){{0,5}}?"
       rf" (?:năm )?(?P<y>{_Y})")
def _exam_year(m, c):
    return _whole_year(int(m["y"]))


@_rule(rf"(?:(?:giai đoạn|thời kỳ|thời kì|từ năm|năm|từ) )?(?<![\w.,/-])(?P<y1>{_Y})\s*[-–]\s*"
       r"(?P<y2>(?:19|20)\d{2}|\d{2})(?![\w%/]|[.,]\d)", hint=r"(?:19|20)\d{2}\s*[-–]\s*\d")
def _years_range(m, c):
    y1 = int(m["y1"])
    y2 = _end_year(y1, m["y2"], 50)
    if y2 is None:
        return None
    return Period(Date(y1, 1, 1), Date(y2, 12, 31), "range", f"{y1}-{y2}", year_explicit=True)


@_rule(rf"(?:(?:cả|trọn|suốt) )?năm (?P<y>(?:19|20)\d{{2}})(?![\w%]|[.,]\d)"
       rf"|(?:(?:cả|trọn|suốt) )?năm (?P<rel>{_REL})(?!\w)|(?:cả|trọn|suốt) năm(?!\s*\d| học| tài)")
def _year(m, c):
    if not c.toned and re.search(r"(?:viet|mien|phia)[^\S\n]+$", c.hay[:m.start()]):
        return None  # "Viet Nam 2019" typed without marks
    if m["rel"] and _COUNT_BEFORE.ends_at(c, m.start()):
        return None  # "5 năm qua", "bao nhiêu năm trước khi nghỉ hưu" count years
    if m["rel"] and _BEFORE_EVENT.starts_at(c, m.end()):
        return None  # "năm trước khi ...": the year before an event, not last year
    return _in_year(c, "year", "năm", " ", *_given_year(m, c), 1, 1, 12, 31)


@_rule(r"(?<![\w.,/-])(?P<y>19[5-9]\d|20[0-4]\d)(?![\w%/]|[.,]\d)")
def _bare_year(m, c):
    if _UNIT_AFTER.starts_at(c, m.end()):
        return None  # "2019 người"
    paren = c.hay[:m.start()].rstrip(" \t").endswith("(") and c.hay[m.end():].lstrip(" \t").startswith(")")
    closing = (re.match(r"[^\S\n]*(?:[,.;:?!)|\n]|$)", c.hay[m.end():])  # a line break closes too
               and re.search(r"[^\W\d_][^\S\n]*$", c.hay[:m.start()]))  # "GDP 2019?", not "hơn 2000."
    if _YEAR_CUE.ends_at(c, m.start()) or paren or (closing and not _QTY_BEFORE.ends_at(c, m.start())):
        return _whole_year(int(m["y"]))
    return None


@_rule(rf"(?<![\w.,/-])(?P<m>1[0-2]|0?[1-9])\s*/\s*(?P<y>{_Y})(?!\s*/)")
def _month_slash_year(m, c):
    return _in_year(c, "month", f"tháng {int(m['m'])}", "/", int(m["y"]), True, int(m["m"]), 1, int(m["m"]))


# ---- Holidays

# "4 ngày nghỉ lễ ", "dịp ", "kỳ nghỉ ", "những ngày " before a holiday's name.
_HPRE = (rf"(?:(?:(?P<n>\d{{1,2}}|{_NUMW}) ngày |những ngày |các ngày )?"
         r"(?:(?:dịp|kỳ|kì|đợt|mùa) )?(?:nghỉ )?(?:lễ )?)")


def _key_day(kind: str, year: int) -> Date:
    return _TET.get(year, Date(year, 2, 5)) if kind == "tet" else Date(year, *_HOLIDAY_KEY[kind])


def _holiday(now: Date | None, kind: str, year: int | None, explicit: bool) -> Period:
    """The holiday's window in ``year``, or the occurrence nearest the reference date."""
    if year is None and now is not None:
        year = min((now.year - 1, now.year, now.year + 1), key=lambda y: abs(_key_day(kind, y) - now))
    if year is None:
        return Period(None, None, "holiday", kind, holiday=kind)
    if kind == "tet" and year not in _TET:  # Tết always falls between 21/1 and 20/2
        start, end = Date(year, 1, 21), Date(year, 2, 20)
    else:
        key, (lo, hi) = _key_day(kind, year), _HOLIDAY_WINDOW[kind]
        start, end = key + _DAYS(lo), key + _DAYS(hi)
    return Period(start, end, "holiday", f"{kind} {year}", year_explicit=explicit, holiday=kind)


@_rule(_HPRE + r"(?P<w>tết|xuân)(?: (?:nguyên đán|âm lịch|cổ truyền))?(?: (?P<can>giáp|ất|bính|đinh|mậu|kỷ|kỉ|"
       rf"canh|tân|nhâm|quý) (?P<chi>tý|tí|sửu|dần|mão|mẹo|thìn|tỵ|tị|ngọ|mùi|thân|dậu|tuất|hợi))?"
       rf"(?:(?: năm)? (?P<y>{_Y})| năm (?P<rel>nay|ngoái|trước|tới|sau)(?!\w))?(?!\w)", hint="tết|xuân")
def _tet(m, c):
    if _NOT_TET.starts_at(c, m.end("w")) or (_fold(m["w"]) == "xuan" and not m["can"]):
        return None  # Tết Trung thu; "Xuân" is also a name
    year, explicit = _given_year(m, c)
    if year is None and m["can"]:  # Kỷ Hợi → the matching year of the 60-year cycle nearest now
        can, chis, base = _CAN[_fold(m["can"])], _CHI[_fold(m["chi"])], c.now.year if c.now else 2020
        years = [y for y in range(base - 45, base + 15) if (y - 4) % 10 == can and (y - 4) % 12 in chis]
        year, explicit = min(years, key=lambda y: (abs(y - base), -y)), True
    return _holiday(c.now, "tet", year, explicit)


def _named_holiday(kind: str, core: str, named: str) -> None:
    @_rule(_HPRE + rf"(?P<core>{core})(?:(?: năm)? (?P<y>{_Y})|\s*[/-]\s*(?P<y2>{_Y}))?(?![\w/]|\s*[/-]\s*\d)",
           hint=core)
    def handler(m, c):
        prefix = _fold(c.hay[m.start():m.start("core")])
        if not (re.search(r"\b(?:dip|ky|ki|dot|nghi|le|mua)\b", prefix) or re.search(named, _fold(m["core"]))):
            return None  # a bare "30/4" is a day, not the holiday
        return _holiday(c.now, kind, *_given_year(m, c))


_named_holiday("30/4", r"30\s*[/-]\s*4(?:\s*(?:[-–,&]|và)\s*1\s*[/-]\s*5)?|giải phóng miền nam",
               r"giai phong|1\s*[/-]\s*5")
_named_holiday("2/9", r"quốc khánh(?:\s*\(?\s*2\s*[/-]\s*9\s*\)?)?|2\s*[/-]\s*9", "quoc khanh")
_named_holiday("1/1", r"tết dương lịch|tết tây|(?:lễ|tết) 1\s*[/-]\s*1", "tet")


@_rule(rf"(?:(?P<n>\d{{1,2}}|{_NUMW}) ngày (?:nghỉ )?lễ|(?:dịp|kỳ|kì|đợt) (?:nghỉ )?lễ|nghỉ lễ)"
       r"(?: (?:vừa qua|này|qua))?(?!\s+(?:hội|kỷ niệm|tang|cưới|khai|giáng|phục|tình)|\w)", hint="lễ")
def _some_holiday(m, c):
    """"4 ngày nghỉ lễ" with no name: the holiday whose window is within 45 days of the reference."""
    def distance(p: Period) -> int:
        return max((p.start - c.now).days, (c.now - p.end).days, 0)
    if c.now is not None:
        best = min((_holiday(None, k, c.now.year + dy, False) for k in _HOLIDAY_WINDOW for dy in (-1, 0, 1)),
                   key=distance)
        if distance(best) <= 45:
            return best
    return Period(None, None, "holiday", "nghỉ lễ")


@_rule(rf"cùng (?P<w>kỳ|kì|thời điểm|thời gian|giai đoạn)(?: (?:của |này )?năm (?:(?P<y>{_Y})"
       rf"|(?P<rel>trước|ngoái|qua|rồi)(?!\w))| (?:của )?(?P<y3>{_Y}))?(?!\w)")
def _same_time_before(m, c):
    if _fold(m["w"]) not in ("ky", "ki") and not (m["y"] or m["rel"] or m["y3"]):
        return None  # "cùng thời gian" = at the same time
    return Period(None, None, "open", _written(m, c), baseline=True)  # resolved by _baselines


# ---- Finding, combining, resolving

@dataclass
class _Item:
    start: int
    end: int
    period: Period
    redo: Callable[[_Ctx], Period | None] | None = None  # re-resolve with another reference/year
    cue: re.Match | None = None  # the "cùng kỳ" match, for its year


def _run(fn: Callable, m: re.Match, c: _Ctx):
    out = fn(m, c)
    return out if isinstance(out, tuple) else (out, m.start(), m.end())


def _atoms(c: _Ctx) -> list[_Item]:
    """Every rule's candidates, longest first (ties: rule order), never overlapping."""
    found = [(m.start() - m.end(), order, m.start(), m, fn)
             for order, (pat, fn) in enumerate(_RULES) for m in pat.finditer(c)]
    taken: list[tuple[int, int]] = []
    items: list[_Item] = []
    for _, _, _, m, fn in sorted(found, key=lambda f: f[:3]):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out, s, e = _run(fn, m, c)
        if out is not None:
            taken.append((m.start(), m.end()))
        if isinstance(out, Period):
            redo = (lambda ctx, fn=fn, m=m: _run(fn, m, ctx)[0])
            items.append(_Item(s, e, out, redo, m if fn is _same_time_before else None))
    return sorted(items, key=lambda i: i.start)


def _range(a: Period, b: Period) -> Period:
    label = f"từ {a.label} đến {b.label}"
    shape = (a.yearless[:2] + b.yearless[2:]) if a.yearless and b.yearless else None
    if a.start is None or b.end is None:
        return Period(None, None, "range", label, yearless=shape)
    return Period(a.start, b.end, "range", label, year_explicit=a.year_explicit or b.year_explicit,
                  yearless=shape if a.start.year == b.end.year else None)


def _combine(items: list[_Item], c: _Ctx) -> list[_Item]:
    """"từ A đến B" → one range (B lends A its year, or A lends B); "(tính) đến B" → open, ending with B."""
    out, i = [], 0
    while i < len(items):
        a, b = items[i], items[i + 1] if i + 1 < len(items) else None
        frm = _FROM_BEFORE.ends_at(c, a.start)
        if frm and b and not a.period.baseline:
            pa, pb, gap = a.period, b.period, c.hay[a.end:b.start]
            if pb.label == "đến nay" and not gap.strip():
                out.append(_Item(frm.start(), b.end, Period(pa.start, c.now, "range", f"từ {pa.label} đến nay",
                                                            year_explicit=pa.year_explicit)))
                i += 2
                continue
            if _RANGE_GAP.of(c).fullmatch(gap) and a.redo and b.redo:
                if not pa.year_explicit and pb.end:  # "từ tháng 11 đến tháng 2/2019"
                    pa = a.redo(replace(c, year=pb.end.year)) or pa
                    if pa.start and pb.start and pa.start > pb.start:
                        pa = a.redo(replace(c, year=pb.end.year - 1)) or pa
                elif not pb.year_explicit and pa.start:
                    pb = b.redo(replace(c, year=pa.start.year)) or pb
                    if pb.end and pb.end < pa.start:
                        pb = b.redo(replace(c, year=pa.start.year + 1)) or pb
                out.append(_Item(frm.start(), b.end, _range(pa, pb)))
                i += 2
                continue
        to, p = _TO_BEFORE.ends_at(c, a.start), a.period
        if to and p.granularity not in ("open", "holiday") and not p.baseline:
            # an unknown year keeps the end's in-year shape, so "đến 15/10" still meets "đến 15/10/2017"
            by_year = p.granularity == "year" and not to["het"]  # "đến hết năm X" is cumulative
            p = Period(None, p.end, "open", f"đến {p.label}", year_explicit=p.year_explicit,
                       yearless=(0, 0, *p.yearless[2:]) if p.yearless else None, by_year=by_year)
            a = _Item(to.start(), a.end, p)
        out.append(a)
        i += 1
    return out


def _year_earlier(p: Period, years: int) -> Period:
    """``p`` moved by ``years`` (negative: earlier) as a baseline labelled "cùng kỳ ..."."""
    if p.holiday and p.start:
        q = _holiday(None, p.holiday, _holiday_year(p) + years, p.year_explicit)
        return replace(q, label="cùng kỳ " + q.label, baseline=True)
    label = p.label
    if p.start and p.year_explicit:
        label = re.sub(rf"(?<!\d){p.start.year}(?!\d)", str(p.start.year + years), label)
    return replace(p, start=p.start and _shift_date(p.start, years), end=p.end and _shift_date(p.end, years),
                   label="cùng kỳ " + label, baseline=True)


def _baselines(items: list[_Item], c: _Ctx) -> list[_Item]:
    """"cùng kỳ" = the preceding period a year earlier; "so với X" = X, resolved from that period."""
    anchor: Period | None = None
    for it in items:
        if it.cue is not None:
            target = it.cue["y"] or it.cue["y3"]
            if anchor is not None:
                years = int(target) - anchor.start.year if target and anchor.start else -1
                it.period = _year_earlier(anchor, years)
            elif target:
                it.period = replace(it.period, year_explicit=True)
        elif _VS_BEFORE.ends_at(c, it.start):
            p = it.period
            if anchor is not None and anchor.start and it.redo and not p.year_explicit:
                p = it.redo(replace(c, now=anchor.start)) or p
            it.period = replace(p, baseline=True)
        elif not it.period.baseline:
            anchor = it.period
    return items


def find_times(text: str, reference: Date | None = None) -> list[TimeMention]:
    """Time expressions in ``text`` (a question or a news sentence), resolved against ``reference``.

    ``reference`` is the article's publication date for a sentence, today (or None) for a question.
    Offsets index the original string, whatever its Unicode normalisation form.
    """
    c, spans = _prepare(text, reference)
    out = []
    for it in _baselines(_combine(_atoms(c), c), c):
        s, e = spans[it.start][0], spans[it.end - 1][1]
        out.append(TimeMention(it.period, s, e, text[s:e]))
    return out


# ---- Comparing periods

def _dated(p: Period) -> bool:
    return p.start is not None or p.end is not None


def _holiday_year(p: Period) -> int | None:
    return (p.start + (p.end - p.start) / 2).year if p.start and p.end else None


def overlaps(a: Period, b: Period) -> bool:
    """Do the two periods share a day? Unknown years compare by their in-year shape."""
    if _dated(a) and _dated(b):
        return (a.start or Date.min) <= (b.end or Date.max) and (b.start or Date.min) <= (a.end or Date.max)
    if a.yearless and b.yearless:
        (am1, ad1, am2, ad2), (bm1, bd1, bm2, bd2) = a.yearless, b.yearless
        return (am1, ad1) <= (bm2, bd2 or 31) and (bm1, bd1) <= (am2, ad2 or 31)
    return False


def same_period(a: Period, b: Period) -> bool:
    """The same calendar span, whatever the wording ("quý I/2019" = "3 tháng đầu năm 2019")."""
    if _dated(a) or _dated(b):
        return (a.start, a.end) == (b.start, b.end)
    if a.holiday or b.holiday:
        return a.holiday == b.holiday
    return a.yearless is not None and a.yearless == b.yearless


def _state_at_end(a: Period, b: Period) -> bool:
    """``a`` names a period's end ("cuối năm 2019") and ``b`` runs up to that same end ("đến cuối
    năm 2019") or is its last day ("ngày 31/12/2019"): both speak of the state at that end (a
    debt, a stock, a target)."""
    if not a.end_point:
        return False
    if b.granularity == "day" and a.end and b.start == b.end == a.end:
        return True  # "cuối năm 2015" and "tại thời điểm 31/12/2015": the state on its last day
    if b.granularity != "open":
        return False
    if a.end and b.end:
        return a.end == b.end
    return bool(a.yearless and b.yearless) and a.yearless[2:] == b.yearless[2:]


def _state_in_year(a: Period, b: Period) -> bool:
    """``a`` is "đến năm X" (by year X, without "hết") and ``b`` is "năm X": both speak of the state
    in that year ("đến năm 2060 dân số còn 86 triệu" answers "năm 2060 dân số bao nhiêu")."""
    if not a.by_year or b.granularity != "year" or b.baseline:
        return False
    if a.end and b.end:
        return a.end == b.end
    return bool(a.yearless and b.yearless) and a.yearless[2:] == b.yearless[2:]


def compatible(asked: Period, given: Period) -> bool:
    """May a figure for ``given`` answer a question about ``asked``?

    The spans must coincide: a cumulative "5 tháng đầu năm" figure answers neither "tháng 5" nor
    the year. An unknown year (a question without a reference) matches any year of the same shape,
    and an unknown "now" any period of the same shape ("tuần này" any week, "từ năm 2016 đến nay"
    any period from the start of 2016; not "hôm nay", the day the question is asked);
    a baseline never answers a non-baseline question; "đến năm 2030" and "năm 2030" are the state in
    that year (not "đến hết năm 2030", cumulative); holidays match by kind and year; "năm 2019"
    accepts "năm học 2019-2020" (admissions and exams are reported by the school year they open).
    """
    if given.baseline != asked.baseline:
        return False
    if "holiday" in (asked.granularity, given.granularity):
        if asked.granularity != given.granularity:
            return False
        if asked.holiday and given.holiday and asked.holiday != given.holiday:
            return False  # an unnamed "nghỉ lễ" (no reference) matches any holiday
        ya, yg = _holiday_year(asked), _holiday_year(given)
        return ya is None or yg is None or ya == yg
    if _state_at_end(asked, given) or _state_at_end(given, asked):
        return True
    if _state_in_year(asked, given) or _state_in_year(given, asked):
        return True
    if asked.start is None and asked.end is None and asked.yearless is None and asked.granularity != "day":
        # a question is read without a reference date: its "tuần này", "từ đầu năm đến nay", "đến
        # nay" is unknown, and any period of that shape may answer it (as "năm nay" any year). Not
        # "hôm nay": a day's "now" is the day it is asked, which an archive answers only with that
        # day's article (all 81 "hôm nay" training questions were written as unanswerable)
        return asked.granularity == given.granularity
    if asked.start is not None and asked.end is None:
        # "từ năm 2016 đến nay" asked without a reference: the same start, up to whatever end
        return given.start == asked.start and given.end is not None and given.granularity in ("range", "ytd")
    if not _dated(asked) or not _dated(given):
        if asked.yearless is None and given.yearless is None:
            return not _dated(asked) and not _dated(given) and asked.granularity == given.granularity
        return asked.yearless == given.yearless
    if (asked.start, asked.end) == (given.start, given.end):
        return True
    school = (asked.granularity, given.granularity) == ("year", "school_year")
    return school and given.start.year == asked.start.year
