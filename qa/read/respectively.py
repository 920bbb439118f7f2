"""Which listed item a figure after "lần lượt" (respectively) belongs to.

Vietnamese news pairs a list of items with a list of figures through "lần lượt":

    "Nga và New Zealand cũng tuyên bố viện trợ Việt Nam với số tiền lần lượt là 5 triệu và 500.000 USD"
    "Xăng RON 92, xăng E5 tăng lần lượt là 47 đồng/lít, 43 đồng/lít."

The first figure is the first item's, the second the second's: the words of the other items do not
describe it. Pure functions over one sentence's text; offsets are relative to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_RESPECTIVELY = re.compile(r"(?i)(?<!\w)(?:lần lượt|lan luot)(?!\w)")
# what ends the list of items before "lần lượt" (looking back): a full stop, a semicolon, a colon
_REGION_BREAK = re.compile(r"\.(?=\s)|[;:!?]")
# what separates listed items: a comma before a space (not the decimal comma of "117,6"), "và"
# (and), "hoặc" (or)
_ITEM_SEPARATOR = re.compile(r"(?i)\s*,\s+|\s+(?:và|hoặc|va|hoac)\s+")
# "5 triệu và 500.000 USD": nothing but a separator between two figures
_SEPARATOR_ONLY = re.compile(r"(?i)^(?:\s*,\s+|\s+(?:và|hoặc|va|hoac)\s+)$")
# "từ 1,3-1,5%": two ends of one range, not a list
_RANGE_DASH = re.compile(r"^\s*[-–]\s*$")
# the words between two figures of the list: a unit, a separator, an aside ("58 tỷ đồng (tỷ trọng
# 1,2%) và 57 tỷ đồng"); a figure further away is not in the list
_MAX_GAP_WORDS = 8


Span = tuple[int, int]


def respective_items(sentence: str, figures: Sequence[tuple[int, int, str]]) -> dict[int, tuple[Span, list[Span]]]:
    """For each figure that "lần lượt" pairs with an item listed before it, the span of its own
    item and those of the other items, keyed by the figure's index in ``figures`` ((start, end,
    kind), in any order).

    The figures are those after "lần lượt" of the kind of the first one (or any kind right after a
    count, with only "và" or a comma between: "5 triệu và 500.000 USD"), each within a few words
    of the one before, leaving out those in brackets ("9.750 m (32.000 feet) và 9.440 m"); the
    items are the pieces of the text before "lần lượt" (back to the sentence's start, a stop, a
    semicolon or a colon; before the bracket when the cue opens one) cut at commas and "và". The
    list is the pieces right before the cue ("Trước đó, Nga và New Zealand … lần lượt là 5 triệu và
    500.000 USD": Nga, New Zealand), so with more pieces than figures the last ones are paired;
    with fewer, nothing is.
    """
    pairs: dict[int, tuple[Span, list[Span]]] = {}
    order = sorted(range(len(figures)), key=lambda i: figures[i][0])
    for cue in _RESPECTIVELY.finditer(sentence):
        listed = _listed_figures(sentence, cue.end(), [(i, *figures[i]) for i in order])
        if len(listed) < 2:
            continue
        items = _items_before(sentence, cue.start())
        if len(items) < len(listed):
            continue
        items = items[len(items) - len(listed):]
        for n, index in enumerate(listed):
            pairs[index] = (items[n], [span for m, span in enumerate(items) if m != n])
    return pairs


def _listed_figures(sentence: str, after: int, ordered: list[tuple[int, int, int, str]]) -> list[int]:
    """The indices of the figures listed after offset ``after``: the first figure after it (with
    only a few words between), then each next one of its kind within a few words of the last."""
    following = [f for f in ordered if f[1] >= after]
    if not following or _words(sentence[after:following[0][1]]) > 3 or _stopped(sentence[after:following[0][1]]):
        return []
    kind, last_end, listed = following[0][3], following[0][2], [following[0][0]]
    for index, start, end, k in following[1:]:
        between = sentence[last_end:start]
        if k != kind and not (kind == "count" and _SEPARATOR_ONLY.match(between)):
            continue  # "5 triệu và 500.000 USD": the unit of the last is the first's too
        if _words(between) > _MAX_GAP_WORDS or ";" in between or re.search(r"\.\s", between):
            break
        if between.count("(") > between.count(")"):
            continue  # an aside in brackets after a listed figure: its equivalent, its share
        if _RANGE_DASH.match(between):
            return []
        listed.append(index)
        last_end = end
    return listed


def _items_before(sentence: str, cue_start: int) -> list[Span]:
    """The spans of the listed items before "lần lượt": the text back to the last stop, semicolon
    or colon, cut at commas and "và" (none when the cue is inside brackets after other words)."""
    opened = sentence.rfind("(", 0, cue_start)
    if opened > sentence.rfind(")", 0, cue_start):  # the cue is inside brackets
        if sentence[opened + 1:cue_start].strip():
            return []  # "(tỉ lệ lần lượt là 73% và 62%)": the list is not in the brackets
        cue_start = opened  # "lạm phát 2 năm 2016, 2017 (lần lượt tăng …)": the items are before them
    start = max((m.end() for m in _REGION_BREAK.finditer(sentence, 0, cue_start)), default=0)
    spans, at = [], start
    for sep in _ITEM_SEPARATOR.finditer(sentence, start, cue_start):
        spans.append((at, sep.start()))
        at = sep.end()
    spans.append((at, cue_start))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _stopped(text: str) -> bool:
    return _REGION_BREAK.search(text) is not None
