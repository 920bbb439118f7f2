"""Silver questions made from news sentences, to train the reader without hand labels.

A sentence that states a figure ("Giá xăng E5 RON 92 tăng 1.153 đồng/lít") becomes a question
by putting ``bao nhiêu`` (or ``mấy``) where the number was ("Giá xăng E5 RON 92 tăng bao nhiêu
đồng/lít?"); the label is that figure's span. Variants make the questions look like users':
context words dropped, the time phrase removed, ``là bao nhiêu`` at the end, tone marks removed.

Negatives teach abstention: the same question with its year, month or province changed to one
the article does not give ("time-changed", "place-changed"), and questions from articles that
are withheld from the training index ("withheld"), whose figures the index cannot hold.

Everything is deterministic from ``seed``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from qa.lexicon import fold_accents
from qa.read.clauses import figure_clause
from qa.read.figures import Quantity, find_dates, find_quantities
from qa.read.places import PROVINCES
from qa.read.rules import is_duration

_WORD = re.compile(r"\S+")
_YEAR = re.compile(r"(?<!\d)(19[6-9]\d|20[0-3]\d)(?!\d)")
_MONTH = re.compile(r"(?i)(tháng\s+)(\d{1,2})(?!\d|/\d{1,2}/)")
# longest first (so "Bà Rịa - Vũng Tàu" is found before "Vũng Tàu"), then by name: a set's order
# changes with PYTHONHASHSEED, and silver questions must not
_PROVINCES = sorted({p for p in PROVINCES if len(p) > 4 and "." not in p}, key=lambda p: (-len(p), p))
MAX_WORDS_BEFORE = 14
MAX_WORDS_AFTER = 8


@dataclass(frozen=True)
class SilverQuestion:
    question: str
    doc_id: str
    answer_start: int | None  # article offsets of the figure; None when the index cannot answer
    answer_end: int | None
    value: float | None
    variant: str  # "clause", "la-bao-nhieu", "co-bao-nhieu", "no-time", "when", "time-changed", "place-changed", "withheld"
    folded: bool = False


def _usable(q: Quantity) -> bool:
    """Figures a reader could be asked for: with a unit, a noun or a percent sign, not bare years."""
    if q.kind == "count" and not q.noun:
        return False
    if "-" in q.text or "–" in q.text:  # ranges ("2-3 người") read as two figures
        return False
    return not (q.kind == "count" and _YEAR.fullmatch(q.number_text or ""))


def _asked_form(q: Quantity, rng: random.Random) -> str:
    """What replaces the number: "bao nhiêu", keeping a scale word sometimes ("bao nhiêu tỷ")."""
    parts = q.number_text.split()
    if q.kind == "percent":
        return rng.choice(["bao nhiêu %", "bao nhiêu phần trăm"])
    if q.kind == "fraction" and q.denominator:
        return f"bao nhiêu/{parts[0].split('/')[-1]}"
    scale = " ".join(parts[1:])
    if q.kind == "count" and q.value < 10 and not scale and rng.random() < 0.5:
        return "mấy"
    if scale and (q.kind == "money" or rng.random() < 0.4):
        return f"bao nhiêu {scale}"
    return "bao nhiêu"


def _window(sentence: str, q: Quantity) -> tuple[int, int]:
    """The stretch of the sentence a question is made from: the figure's clause, at most
    ``MAX_WORDS_BEFORE`` words before the figure and up to the next comma or
    ``MAX_WORDS_AFTER`` words after it."""
    clause = figure_clause(sentence, q.start, q.end)
    lo, hi = clause.own
    words_before = [m for m in _WORD.finditer(sentence, lo, q.start)]
    if len(words_before) > MAX_WORDS_BEFORE:
        lo = words_before[-MAX_WORDS_BEFORE].start()
    after = sentence[q.end:hi]
    comma = re.search(r"[,;:.]", after)
    cut = q.end + (comma.start() if comma else len(after))
    words_after = [m for m in _WORD.finditer(sentence, q.end, cut)]
    if len(words_after) > MAX_WORDS_AFTER:
        cut = words_after[MAX_WORDS_AFTER - 1].end()
    return lo, cut


def _number_span(q: Quantity) -> tuple[int, int]:
    """The qualifier and number (with scale words and %) inside the quantity's text."""
    i = q.text.find(q.number_text)
    if i < 0:
        return q.start, q.end
    return q.start, q.start + i + len(q.number_text)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–(")
    text = re.sub(r"[\s.,;:]+\?$", "?", text)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    return text[:1].upper() + text[1:]


def question_for(sentence: str, q: Quantity, rng: random.Random) -> tuple[str, str]:
    """(question, variant) asking for figure ``q`` of ``sentence``."""
    lo, hi = _window(sentence, q)
    n_start, n_end = _number_span(q)
    asked = _asked_form(q, rng)
    if is_duration(q) and q.unit and rng.random() < 0.5:  # "kéo dài 10 ngày" → "kéo dài bao lâu"
        i = q.text.find(q.unit)
        if i >= 0:
            n_end, asked = q.start + i + len(q.unit), "bao lâu"
    before, after = sentence[lo:n_start], sentence[n_end:hi]
    variant = "clause"
    words = before.split()
    if len(words) > 4 and rng.random() < 0.35:  # drop one or two context words, as users do
        for _ in range(rng.choice([1, 2])):
            if len(words) > 3:
                words.pop(rng.randrange(1, len(words) - 1))
        before = " ".join(words) + " "
    r = rng.random()
    common_noun = bool(q.noun) and q.noun[:1].islower() and not any(ch.isdigit() for ch in q.noun)
    if r < 0.25 and common_noun and q.kind == "count" and before.strip():
        # "Số đối tượng công an đã bắt giữ là bao nhiêu?"
        rest = sentence[q.end:hi].strip()
        text = f"Số {q.noun} {before.strip()} {rest} là bao nhiêu?"
        variant = "la-bao-nhieu"
    elif r < 0.4 and q.kind == "count" and len(before.split()) < 3:
        text = f"Có {asked}{after}?"
        variant = "co-bao-nhieu"
    else:
        text = f"{before}{asked}{after}?"
    if rng.random() < 0.25:
        dates = find_dates(text)
        if dates:
            for d in reversed(dates):
                text = text[:d.start] + text[d.end:]
            variant = "no-time"
    text = _tidy(text.replace(" ?", "?"))
    return text, variant


_WHEN_WORD = {"day": "ngày nào", "month": "tháng nào", "year": "năm nào"}


def when_question_for(sentence: str, start: int, end: int, granularity: str,
                      rng: random.Random) -> str:
    """A when-question: the date phrase at ``sentence[start:end]`` replaced by "khi nào"/"năm nào"…"""
    clause = figure_clause(sentence, start, end)
    lo, hi = clause.own
    words_before = list(_WORD.finditer(sentence, lo, start))
    if len(words_before) > MAX_WORDS_BEFORE:
        lo = words_before[-MAX_WORDS_BEFORE].start()
    words_after = list(_WORD.finditer(sentence, end, hi))
    if len(words_after) > MAX_WORDS_AFTER + 4:
        hi = words_after[MAX_WORDS_AFTER + 3].end()
    asked = _WHEN_WORD.get(granularity, "khi nào") if rng.random() < 0.6 else "khi nào"
    before = sentence[lo:start].strip(" ,;:")
    after = sentence[end:hi].strip(" ,;:.!")
    if rng.random() < 0.5 and before:
        text = f"{before} {after} vào {asked}?" if asked != "khi nào" else f"{before} {after} khi nào?"
    else:
        text = f"{asked[:1].upper() + asked[1:]} {before} {after}?"
    return _tidy(re.sub(r"\s+\?", "?", text))


def _when_questions(text: str, sentences: list[tuple[int, int]], doc_id: str, published: str | None,
                    rng: random.Random, n: int) -> list["SilverQuestion"]:
    """Up to ``n`` when-questions, each labelled with the date phrase it replaced."""
    from qa.read.context import times_in

    pool = []
    for s, e in sentences:
        for m in times_in(text[s:e], published):
            if (m.period.start is not None and m.period.granularity in ("day", "month", "year")
                    and any(ch.isdigit() for ch in m.text)):
                pool.append((s, e, m))
    rng.shuffle(pool)
    out = []
    for s, e, m in pool[:n]:
        question = when_question_for(text[s:e], m.start, m.end, m.period.granularity, rng)
        if len(question.split()) >= 4:
            out.append(SilverQuestion(question, doc_id, s + m.start, s + m.end, float(m.period.start.year), "when"))
    return out


def _changed_time(question: str, article_text: str, rng: random.Random) -> str | None:
    """The question asked for a year or month the article never mentions."""
    years = _YEAR.findall(question)
    if years:
        present = set(_YEAR.findall(article_text))
        options = [y for y in range(2005, 2031) if str(y) not in present]
        if options:
            new = str(rng.choice(options))
            return _YEAR.sub(new, question, count=1)
    m = _MONTH.search(question)
    if m:
        present = {int(x) for x in re.findall(r"(?i)tháng\s+(\d{1,2})", article_text)}
        options = [x for x in range(1, 13) if x not in present]
        if options:
            return question[:m.start(2)] + str(rng.choice(options)) + question[m.end(2):]
    return None


def _changed_place(question: str, article_text: str, rng: random.Random) -> str | None:
    """The question asked about a province the article never mentions."""
    for name in _PROVINCES:
        i = question.find(name)
        if i >= 0:
            options = [p for p in _PROVINCES if p not in article_text and p != name]
            return question[:i] + rng.choice(options) + question[i + len(name):]
    return None


def silver_questions(doc_id: str, text: str, sentences: list[tuple[int, int]], seed: int,
                     per_article: int = 8, withheld: bool = False, published: str | None = None,
                     when_per_article: int = 2) -> list[SilverQuestion]:
    """Questions over one article. ``sentences`` are (start, end) offsets into ``text``;
    ``withheld`` marks an article kept out of the index (every question is then a negative)."""
    rng = random.Random(f"{seed}:{doc_id}")
    pool = []
    for s, e in sentences:
        sentence = text[s:e]
        for q in find_quantities(sentence):
            if _usable(q) and sentence[max(0, q.start - 1):q.start] not in ("-", "–"):
                pool.append((s, sentence, q))
    rng.shuffle(pool)
    out: list[SilverQuestion] = []
    for s, sentence, q in pool[:per_article]:
        question, variant = question_for(sentence, q, rng)
        if len(question.split()) < 4:
            continue
        if withheld:
            out.append(SilverQuestion(question, doc_id, None, None, None, "withheld"))
        else:
            out.append(SilverQuestion(question, doc_id, s + q.start, s + q.end, q.value, variant))
            changed = (_changed_time(question, text, rng), "time-changed")
            if changed[0] is None:
                changed = (_changed_place(question, text, rng), "place-changed")
            if changed[0] is not None and rng.random() < 0.6:
                out.append(SilverQuestion(changed[0], doc_id, None, None, None, changed[1]))
    for sq in _when_questions(text, sentences, doc_id, published, rng, when_per_article):
        if withheld:
            sq = SilverQuestion(sq.question, doc_id, None, None, None, "withheld")
        out.append(sq)
    final = []
    for sq in out:
        if rng.random() < 0.2:  # typed on a phone: no tone marks
            sq = SilverQuestion(fold_accents(sq.question), sq.doc_id, sq.answer_start, sq.answer_end,
                                sq.value, sq.variant, folded=True)
        final.append(sq)
    return final
