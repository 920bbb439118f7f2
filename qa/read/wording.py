"""How a chosen figure reads to a person: the words of its sentence that change what it says.

The parser (``qa.read.figures``) cuts a figure where the reader's features need it cut, and the
reader is trained on those cuts. Shown alone, a few of those cuts say something the sentence
does not (found by a user trying the service on news articles nobody here had read):

* a range: "lỗ 300-500 đồng/lít" gives two figures, and "300" alone is not what was lost;
  "từ 300 đến 500 đồng" likewise;
* a price per unit: "tăng 1.484 đồng/lít" read as "1.484 đồng" loses what the price is for;
* a negated comparison: "không cao hơn 17.087 đồng/lít" read as "hơn 17.087 đồng" says the
  opposite (at most, not more than); "không quá", "không dưới", "chưa đầy" (less than) the same.

:func:`as_written` widens the figure's span to those words, for the answer's ``text``,
``number_span`` and ``qualifier`` only. The figure the reader scored, its value and its features
are unchanged, so the shipped model reads exactly what it was trained on. Facts of the language,
not of an article; pure functions over a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.read.figures import Quantity, parse_vietnamese_number, sentence_quantities

# between the two ends of a range: a dash, or "đến"/"tới" after a "từ" before the first end
_DASH = re.compile(r"[ \t\u00a0]*[-–—][ \t\u00a0]*")
_FROM = re.compile(r"(?i)(?<!\w)(?:từ|tu)[ \t\u00a0]+$")
_TO_WORDS = {"đến", "tới"}  # the parser's qualifier of the second end (it writes "den" as "đến")
# "đồng/lít", "USD/tấn", "đồng/kWh", "đồng/cổ phiếu": what a price is per; not "đồng/1 triệu"
_PER = r"/(?:cổ[ \t\u00a0]+phiếu|[^\W\d_][^\W_]*)"
_PER_UNIT = re.compile(_PER + r"(?!\w)")
_PER_UNIT_AT_END = re.compile(_PER + r"$")
# a negation before a comparison flips it: "không cao hơn", "không quá", "chưa tới", "không dưới"
_NEGATED = re.compile(
    r"(?i)(?<!\w)(?:không|chưa|khong|chua)[ \t\u00a0]+"
    r"(?:(?:cao|nhiều|lớn|vượt|thấp|ít|nhỏ|kém|nhieu|lon|vuot|thap|it|nho|kem)[ \t\u00a0]+)?$")
# "không quá", "không vượt quá" (at most), "chưa đầy", "không đầy" (less than)
_NEGATED_QUOTA = re.compile(r"(?i)(?<!\w)(?:không|khong|chưa|chua)[ \t\u00a0]+(?:vượt[ \t\u00a0]+|vuot[ \t\u00a0]+)?"
                            r"(?:quá|qua|đầy|day)[ \t\u00a0]+$")
_COMPARATIVES = {"hơn", "trên", "dưới", "tới", "đến", "gần"}  # the parser's qualifiers, accented


@dataclass(frozen=True)
class Wording:
    """The span of ``sentence`` to show for a figure, and what it says besides the number."""

    start: int
    end: int
    text: str
    value: float  # the figure's value; a range's bare first end takes the second's scale
    kind: str  # the figure's kind; a range's bare first end takes the second's
    currency: str | None
    qualifier: str | None  # as written, lower-cased: "không cao hơn", "hơn", None
    unit: str | None  # the figure's unit, with what a price is per: "đồng/lít"
    range_low: float | None  # both ends when the figure is written as a range, else None
    range_high: float | None


def as_written(sentence: str, q: Quantity) -> Wording:
    """The words of ``sentence`` that a person needs to read figure ``q`` (one of its
    ``sentence_quantities``) as the sentence means it: its range, its price unit, its negation."""
    if q.kind == "date":  # a when-question's answer: a date is read as it is
        return Wording(q.start, q.end, q.text, q.value, q.kind, q.currency, q.qualifier, q.unit, None, None)
    partner = _range_partner(sentence, q)
    value = q.value
    if partner is None:
        first = last = q
        start, qualifier = _negation(sentence, q)
        low = high = None
    else:
        first, last = sorted((q, partner), key=lambda x: x.start)
        from_word = _FROM.search(sentence, max(0, first.start - 8), first.start)
        start = from_word.start() if from_word else first.start
        qualifier = first.qualifier  # "khoảng 2.000 - 3.000": about, for both ends
        first_value = first.value * _scale_of(last) if _bare(first) else first.value  # "từ 6 đến 8 triệu đồng"
        low, high = sorted((first_value, last.value))
        if q.start == first.start:
            value = first_value
    end, unit = last.end, last.unit  # the unit is written after the second end
    if last.kind == "money" and (per := _PER_UNIT.match(sentence, end)):
        end = per.end()
    if last.kind == "money" and unit and (per := _PER_UNIT_AT_END.search(sentence, last.start, end)):
        unit = f"{unit}{per.group(0)}"  # "đồng/lít", and "USD/tháng" the parser already reads
    return Wording(start, end, sentence[start:end], value, last.kind, last.currency, qualifier, unit, low, high)


def _bare(q: Quantity) -> bool:
    """A number with nothing after it that says what it is: "từ 6 đến 8 triệu đồng"'s 6."""
    return q.kind == "count" and q.unit is None and q.noun is None


def _scale_of(q: Quantity) -> float:
    """The magnitude words of ``q`` as a factor: 1e6 for "8 triệu đồng" (its value over its digits')."""
    digits = parse_vietnamese_number(q.number_text.split()[0]) if q.number_text.split() else None
    return q.value / digits if digits else 1.0


def _range_partner(sentence: str, q: Quantity) -> Quantity | None:
    """The other end of a range ``q`` is one end of: "300-500 đồng/lít" (the parser's two figures
    joined by a dash, of one kind), or "từ 300 đến 500 đồng"."""
    for other in sentence_quantities(sentence):
        if other.start == q.start:
            continue
        first, second = (q, other) if q.start < other.start else (other, q)
        gap = sentence[first.end:second.start]
        # the parser gives a dash range's first end the second's kind and unit
        if _DASH.fullmatch(gap) and first.kind == second.kind and first.unit == second.unit:
            return other
        # "từ 300 đến 500 đồng": the second's qualifier is the "đến" that joins them, and the
        # first is a bare number or of the second's kind and unit
        if second.qualifier in _TO_WORDS and not gap.strip() and first.qualifier is None \
                and (_bare(first) or (first.kind == second.kind and first.unit == second.unit)) \
                and _FROM.search(sentence, max(0, first.start - 8), first.start):
            return other
    return None


def _negation(sentence: str, q: Quantity) -> tuple[int, str | None]:
    """(where ``q``'s words start, its qualifier), a negation before its comparison taken in:
    "không cao hơn 17.087 đồng" is at most, "không dưới 5%" at least, "không quá 30 ngày" at most."""
    offset = max(0, q.start - 24)
    before = sentence[offset:q.start]
    if q.qualifier in _COMPARATIVES and (neg := _NEGATED.search(before)):
        new_start = offset + neg.start()
    elif q.qualifier is None and (neg := _NEGATED_QUOTA.search(before)):
        new_start = offset + neg.start()
    else:
        return q.start, q.qualifier
    number_at = q.start + max(0, q.text.find(q.number_text))
    return new_start, " ".join(sentence[new_start:number_at].split()).lower()
