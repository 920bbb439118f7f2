"""When and where a figure is about, and whether that fits the question: structured constraints.

A figure's **time** is the period written right after it, as its adjunct ("tăng 14% từ ngày
1/1/2021", "20.188 tỷ đồng cuối năm 2014"), else the period written nearest to it in its own
sentence (before it, else after it), else the last period of the paragraph before the sentence,
else a period in the article's title ("Giá vàng hôm nay (3/5)"), else the last period of the up to
1,000 characters before the paragraph, resolved against the article's publication date
(``qa.read.timeexpr``). Baselines ("so với cùng kỳ") are never a figure's period.

A figure's **place** is the places named in its sentence and earlier in its paragraph, else in the
title, else in the nearest earlier paragraph of its article that names one, however far back: a
report names its place once, often only in its lead (``qa.read.gazetteer``). A question naming a
province is answered only by figures whose place covers it; the model sees the match, the
conflict, and whether the text names another place.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from qa.read.gazetteer import Place, covers, find_places
from qa.read.timeexpr import Period, TimeMention, compatible, find_times


# how far before a figure's paragraph its article is read for the time it speaks of: about two
# news paragraphs ("Đến 13h ngày 15-10, vị trí tâm bão ..." above "Sức gió mạnh nhất ... cấp 12").
# A report's time moves on as it goes; its place seldom does, so the place is read further back.
EARLIER_CHARS = 1000


@dataclass(frozen=True)
class Asked:
    """The question's own time and place constraints."""

    periods: tuple[Period, ...]
    places: tuple[Place, ...]  # provinces and regions; national scope words are not a constraint


@lru_cache(maxsize=1024)
def asked_in(question: str) -> Asked:
    """The times and places a question names (cached, as ``profile_question``)."""
    periods = tuple(m.period for m in find_times(question) if not m.period.baseline)
    places = tuple(dict.fromkeys(m.place for m in find_places(question) if m.place.level != "national"))
    return Asked(periods, places)


def _date(iso: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def times_in(text: str, published: str | None) -> tuple[TimeMention, ...]:
    return tuple(m for m in find_times(text, _date(published)) if not m.period.baseline)


@lru_cache(maxsize=16384)
def places_named(text: str) -> tuple[Place, ...]:
    return tuple(m.place for m in find_places(text))


def local_places(text: str) -> tuple[Place, ...]:
    """The provinces and regions ``text`` names: the places a figure can be about ("cả nước" is
    read apart, as ``sentence_national``)."""
    return tuple(p for p in places_named(text) if p.level != "national")


# what may stand between a figure and a time that is its adjunct: a few words, no other figure,
# no clause break, no conjunction that starts another item ("12% từ ngày 1/1/2019 và 14% từ ngày
# 1/1/2021": the first date is the 12%'s, not the 14%'s)
_ADJUNCT_GAP = re.compile(r"[^,;:()\[\]\n.!?]{0,30}")
_NUMBER_IN_GAP = re.compile(r"(?<![^\W\d_])\d")  # a digit not glued to a unit ("đồng/m2 trong" is fine)
# another item, or "X thì Y" (the next clause: "10 triệu USD thì năm nay chỉ còn 5 triệu")
_ANOTHER_ITEM = re.compile(r"\b(?:và|còn|nhưng|trong khi|so với|hoặc|thì)\b")


def _attached_time(sentence: str, fig_end: int, mentions: tuple[TimeMention, ...]) -> TimeMention | None:
    """The time written right after a figure as its adjunct, if any."""
    for m in mentions:
        if m.start >= fig_end:
            gap = sentence[fig_end:m.start]
            if _ADJUNCT_GAP.fullmatch(gap) and not _NUMBER_IN_GAP.search(gap) and not _ANOTHER_ITEM.search(gap):
                return m
            return None
    return None


def figure_period(sentence: str, fig_start: int, paragraph_before: str, title: str,
                  published: str | None, earlier: str = "", fig_end: int | None = None) -> tuple[Period | None, str]:
    """(the figure's period, where it was found: "sentence" | "paragraph" | "title" | "earlier" |
    "none"). ``earlier`` is the article's text before the paragraph, of which the last
    ``EARLIER_CHARS`` are read: a news report states its time once ("Đến 13h ngày 15-10, ...")
    and the figures of the next paragraphs speak of it.
    ``fig_end`` (the end of the figure) lets a time written right after it count as its own."""
    mentions = times_in(sentence, published)
    if fig_end is not None:
        attached = _attached_time(sentence, fig_end, mentions)
        if attached is not None:
            return attached.period, "sentence"
    before = [m for m in mentions if m.end <= fig_start]
    if before:
        return before[-1].period, "sentence"
    after = [m for m in mentions if m.start >= fig_start]
    if after:
        return after[0].period, "sentence"
    in_paragraph = times_in(paragraph_before, published) if paragraph_before.strip() else ()
    if in_paragraph:
        return in_paragraph[-1].period, "paragraph"
    titled = times_in(title, published)
    if titled:
        return titled[0].period, "title"
    last = last_time_in(earlier[-EARLIER_CHARS:], published)
    if last is not None:
        return last, "earlier"
    return None, "none"


def _in_last_line(text: str, find: Callable[[str], tuple]) -> tuple:
    """``find`` of the last line of ``text`` where it finds anything, read from the end: the
    usual case reads one paragraph instead of all of ``text`` (neither a time expression nor a
    place name spans a line break)."""
    for line in reversed(text.split("\n")):
        if line.strip() and (found := find(line)):
            return found
    return ()


def last_time_in(text: str, published: str | None) -> Period | None:
    """The last period written in ``text`` (in the last line that names one)."""
    found = _in_last_line(text, lambda line: times_in(line, published))
    return found[-1].period if found else None


def time_features(asked: Asked, period: Period | None, source: str, published: str | None) -> dict[str, float]:
    """Match and conflict of the question's periods with the figure's."""
    out = {"time_asked": float(bool(asked.periods)), "time_match": 0.0, "time_conflict": 0.0,
           "time_found_in_sentence": float(source == "sentence"), "time_found_elsewhere": float(source in ("paragraph", "title")),
           "time_published_in_asked": 0.0, "time_found_earlier": float(source == "earlier")}
    if not asked.periods:
        return out
    if period is not None:
        ok = any(compatible(a, period) for a in asked.periods)
        out["time_match"] = float(ok)
        out["time_conflict"] = float(not ok)
    day = _date(published)
    if day is not None:
        for a in asked.periods:
            if a.start and a.end and a.start <= day <= a.end + datetime.timedelta(days=45):
                out["time_published_in_asked"] = 1.0
    return out


def last_places_in(text: str) -> tuple[Place, ...]:
    """The provinces and regions named in the last line of ``text`` that names any."""
    return _in_last_line(text, local_places)


def place_features(asked: Asked, sentence: str, paragraph_before: str, title: str,
                   earlier: str = "") -> dict[str, float]:
    """Match and conflict of the question's places with the places the figure is about.

    Its place is named in its sentence, else earlier in its paragraph or in the title, else in the
    nearest earlier paragraph that names one, however far back (``earlier`` is all of the article
    before the paragraph): a news report names its place once ("Tại Quảng Nam, ..."), often only
    in its lead, and the figures of the next paragraphs speak of it."""
    here = local_places(sentence)
    national_here = any(p.level == "national" for p in places_named(sentence))
    out = {"place_asked": float(bool(asked.places)), "place_match_sentence": 0.0, "place_match_context": 0.0,
           "place_conflict": 0.0, "sentence_names_place": float(bool(here)),
           "sentence_national": float(national_here)}
    if not asked.places:
        return out  # the paragraph and title are read only when the question names a place
    context = local_places(paragraph_before) + local_places(title)
    if not here and not context:
        context = last_places_in(earlier)  # read only when nothing nearer names a place
    if any(covers(a, p) for a in asked.places for p in here):
        out["place_match_sentence"] = 1.0
    elif any(covers(a, p) for a in asked.places for p in context):
        out["place_match_context"] = 1.0
    elif here or context:
        out["place_conflict"] = 1.0
    return out
