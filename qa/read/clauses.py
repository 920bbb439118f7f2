"""Which part of a sentence a figure belongs to.

Vietnamese reports pack many figures into one sentence:

    "Khối bộ, ngành: 5/21 đạt mức C; 1/21 đạt mức D; 15/21 đạt mức E."
    "… cả nước hiện còn 980 thôn lõm sóng, trong đó, 774 thôn sẽ được … phủ sóng trước ngày 30/6/2022."
    "… có 227/275 người hưởng chế độ bảo hiểm xã hội một lần (chiếm tỷ lệ 82,55%) …"

Words near a figure say what it counts only if they are in the figure's own clause. This module
finds that clause, and the list label a figure inherits ("Khối bộ, ngành:" for each of the three
fractions after it). Pure functions over one sentence's text; offsets are relative to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# "Of which", "of those": what opens a sentence or clause about a part of the whole named before it
# (a pattern, for qa.read.rules' sentences that continue the one before and qa.read.features' parts).
PART_OPENERS = r"trong đó|trong số (?:đó|này)"
# Phrases that open a sub-clause about part of what came before ("of which", "including", "the
# rest"). "gồm"/"bao gồm" (including) opens one after a comma ("… hơn 850 người bị giam, bao gồm 77
# trẻ em"); without it, it is the verb of its clause ("12 cơ sở dữ liệu gồm:"). "còn lại" opens one
# after a comma or before "là" ("…, còn lại là kinh tế số ICT"); elsewhere it is an adjective
# ("9 Cơ sở dữ liệu quốc gia còn lại").
_INCLUDING = r"bao gồm|gồm"
_SUBCLAUSE = re.compile(rf"(?i),?\s*\b(?:{PART_OPENERS}|còn lại là)\b\s*,?|,\s*(?:còn lại|{_INCLUDING})\b\s*,?")
# Of those, the openers whose clause is a part of the clause before it (not "the rest")
_PART_OF_BEFORE = re.compile(rf"(?i)(?:{PART_OPENERS}|{_INCLUDING})")
_HARD_BREAKS = ";:"
_HARD_BREAK = re.compile(f"[{_HARD_BREAKS}]")
_URL_COLON = re.compile(r"(?i)\bhttps?(:)")
# A full stop inside a "sentence" the segmenter did not split ("… đạt mức E. Ở khối địa phương:")
_PAREN = re.compile(r"[()]")
_STOP = re.compile(r"\.\s+(?=[A-ZĐÀ-Ỹ])")


@lru_cache(maxsize=8192)
def _breaks_at(sentence: str) -> frozenset[int]:
    """Offsets of clause-breaking characters: ";", ":" and full stops before a capital (once per
    sentence: every figure of the sentence asks)."""
    urls = {m.start(1) for m in _URL_COLON.finditer(sentence)}  # "https://…" is no clause break
    out = {m.start() for m in _HARD_BREAK.finditer(sentence) if m.start() not in urls}
    out.update(m.start() for m in _STOP.finditer(sentence))
    return frozenset(out)


@dataclass(frozen=True)
class FigureClause:
    """Spans (start, end) within the sentence: the figure's own clause, and its label, if any.

    ``label_kind`` says what the label is: ``"list"``, the text before the ":" that opens the
    list the figure is an item of; ``"topic"``, the phrase a parenthesised list elaborates;
    ``"parent"``, for a "trong đó" (of which) or ", gồm" (including) clause, the clause whose figure
    it is a part of —
    the only label that says what the figure counts even when the figure names a noun itself.
    """

    own: tuple[int, int]
    label: tuple[int, int] | None
    label_kind: str | None = None


@lru_cache(maxsize=8192)
def _paren_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Balanced parenthesised spans, outermost first within each nesting, as (open, close+1)
    (once per sentence: every figure of the sentence asks)."""
    stack, spans = [], []
    for m in _PAREN.finditer(text):
        if m.group() == "(":
            stack.append(m.start())
        elif stack:
            spans.append((stack.pop(), m.start() + 1))
    return tuple(spans)


def _is_opaque(text: str, span: tuple[int, int]) -> bool:
    """A parenthesis holding figures is a clause of its own ("(100% công dân…; 86,3 triệu…)");
    one without digits is part of the phrase around it ("thủ tục hành chính (TTHC)")."""
    return any(ch.isdigit() for ch in text[span[0]:span[1]])


def asides(sentence: str) -> list[tuple[int, int]]:
    """Parentheses without figures ("thủ tục hành chính (TTHC)"): asides that add no distance
    between a figure and the words that describe it."""
    return [p for p in _paren_spans(sentence) if not _is_opaque(sentence, p)]


@lru_cache(maxsize=32768)
def figure_clause(sentence: str, start: int, end: int) -> FigureClause:
    """The clause of the figure at ``sentence[start:end]``.

    The clause runs left and right from the figure to the nearest ";" or ":", a sub-clause
    opener ("trong đó", "còn lại"), or the edge of a parenthesis holding figures. A figure
    alone in a parenthesis also owns the phrase just before it ("… một lần (chiếm tỷ lệ 82,55%)"),
    which is what the parenthesis annotates; for one of a ";" list in a parenthesis that phrase
    is the list's label.
    """
    parens = _paren_spans(sentence)
    enclosing = [p for p in parens if p[0] < start and end <= p[1] - 1]
    inner = max(enclosing, key=lambda p: p[0]) if enclosing else None
    lo_limit, hi_limit = (inner[0] + 1, inner[1] - 1) if inner else (0, len(sentence))
    # opaque parentheses (other figures) inside our range are walls; transparent ones are skipped
    walls = [p for p in parens if p != inner and _is_opaque(sentence, p)
             and lo_limit <= p[0] and p[1] <= hi_limit + 1 and not (p[0] < start and end <= p[1])]

    breaks = _breaks_at(sentence)
    left = _clause_start(start, lo_limit, breaks, walls)
    right = _first_blocked(end, hi_limit, breaks, walls)
    if right is None:
        right = hi_limit
    parent: tuple[int, int] | None = None
    for m in _SUBCLAUSE.finditer(sentence, left, right):
        if m.end() <= start:
            if _PART_OF_BEFORE.fullmatch(m.group(0).strip(" ,")):
                if m.start() > left:
                    parent = (left, m.start())  # "980 thôn lõm sóng, trong đó, 774 thôn …": 774 of those
                elif left > lo_limit and sentence[left - 1] == ";":
                    # "… sử dụng 95 hệ thống thông tin …; trong đó có 45 …, 40 hệ thống …": the
                    # clause before the ";" is the whole the items are part of
                    parent = (_clause_start(left - 1, lo_limit, breaks, walls), left - 1)
            left = max(left, m.start())  # the opener belongs to the figure's clause
        elif m.start() >= end:
            right = min(right, m.start())
    if inner is not None:
        # the phrase before the parenthesis is what its figures are about
        ante = inner[0]
        while ante > 0 and sentence[ante - 1] not in "()" and ante - 1 not in breaks:
            ante -= 1
        openers = list(_SUBCLAUSE.finditer(sentence, ante, inner[0]))
        if openers:
            ante = openers[-1].start()
        if left == inner[0] + 1 and ";" not in sentence[inner[0]:inner[1]]:
            left = ante  # "… một lần (chiếm tỷ lệ 82,55%)": one figure, part of that phrase
        elif parent is None and ante < inner[0]:
            # "Tỷ lệ số hóa … (cấp bộ là 46,4%; địa phương đạt 58,1%)": the list's topic
            return FigureClause(own=(left, right), label=(ante, inner[0]), label_kind="topic")
    if parent is not None:
        return FigureClause(own=(left, right), label=parent, label_kind="parent")
    label = _label(sentence, left)
    return FigureClause(own=(left, right), label=label, label_kind="list" if label else None)


def _first_blocked(lo: int, hi: int, breaks: frozenset[int], walls: list[tuple[int, int]]) -> int | None:
    """The first offset in [lo, hi) that is a clause break or inside a wall, if any (from the
    few breaks and walls, not by testing every character)."""
    found = [b for b in breaks if lo <= b < hi]
    found += [max(a, lo) for a, b in walls if max(a, lo) < min(b, hi)]
    return min(found, default=None)


def _last_blocked(lo: int, hi: int, breaks: frozenset[int], walls: list[tuple[int, int]]) -> int | None:
    """The last offset in [lo, hi) that is a clause break or inside a wall, if any."""
    found = [b for b in breaks if lo <= b < hi]
    found += [min(b, hi) - 1 for a, b in walls if max(a, lo) < min(b, hi)]
    return max(found, default=None)


def _clause_start(end: int, lo_limit: int, breaks: frozenset[int], walls: list[tuple[int, int]]) -> int:
    """Where the clause holding offset ``end - 1`` begins: after the previous break or wall."""
    last = _last_blocked(lo_limit, end, breaks, walls)
    return lo_limit if last is None else last + 1


def _label(sentence: str, clause_start: int) -> tuple[int, int] | None:
    """The text before the ":" that opens the list a clause belongs to.

    Walks back over sibling clauses (separated by ";") to a ":" and returns the segment before
    it, back to the previous ":" or the sentence start; a figure-free segment only, since a
    label names the items, it does not hold figures of its own.
    """
    stops = {m.start() for m in _STOP.finditer(sentence)}
    i = clause_start - 1
    while i >= 0 and sentence[i] != ":":
        if i in stops:
            return None  # the list, if any, began in an earlier sentence
        i -= 1
    if i < 0:
        return None
    colon = i
    j = colon - 1
    while j >= 0 and sentence[j] not in ":;" and j not in stops:
        j -= 1
    label = (j + 1, colon)
    text = sentence[label[0]:label[1]]
    if not text.strip() or any(ch.isdigit() for ch in text):
        return None
    return label
