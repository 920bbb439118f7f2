"""Which item of a list a figure is: the words and proper names between it and its neighbours
of the same kind.

News packs parallel figures into one sentence: "nợ tại Vietcombank là hơn 623 tỷ đồng, tại BIDV
608 tỷ đồng, tại Vietinbank là 98 tỷ đồng"; "đón 513.500 lượt khách (tăng 12,67%), trong đó khách
quốc tế 67.250 lượt (tăng 13,42%)". What tells one item from the next is the stretch of text
between a figure and the previous (or next) figure *of the same kind* — a percentage's item runs
past the count before it — and, very often, a proper name in that stretch (a bank, a country, a
province, a school subject). Capitals mark proper names in Vietnamese as in any Latin script, so
the names are found by their capitals, with no list of names: a name the question also has
("Mizuho") speaks for the item, a name it lacks ("Nhà nước", "Thái Lan") against it. How much
each is worth is left to the learned scorer (``qa.read.features``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from qa.lexicon import CURRENCY_WORDS, fold_accents
from qa.read.rules import Candidate

ITEM_FEATURES: tuple[str, ...] = (
    "same_kind_in_sentence",
    "kind_left_coverage", "kind_right_coverage", "kind_left_best", "kind_right_best",
    "names_left_matched", "names_left_foreign", "names_right_matched", "names_right_foreign",
)
_WORD = re.compile(r"\w+")
# a sentence, a quotation or a clause after a colon begins with a capital that names nothing
_OPENERS = frozenset(".!?:;\"“”'‘’([–-")
FOREIGN_CAP = 5.0
_CURRENCIES = frozenset(fold_accents(w) for w in CURRENCY_WORDS)


@lru_cache(maxsize=16384)
def proper_names(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of capitalised words in ``text`` ("Mizuho Bank", "SHB Quảng Ninh"), each as its
    folded, lower-case syllables; a capital that only opens a sentence or clause is not a name,
    nor is a number or a currency ("USD")."""
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    last_end = None
    for m in _WORD.finditer(text):
        word = m.group(0)
        capital = word[0].isupper() and not word[0].isdigit()
        joined = last_end is not None and text[last_end:m.start()].strip() == ""
        if capital and not (run and joined):
            before = text[:m.start()].rstrip()
            if not before or before[-1] in _OPENERS:
                capital = False
        if capital and run and joined:
            run.append(word)
        else:
            if run:
                names.append(tuple(fold_accents(w.lower()) for w in run))
            run = [word] if capital else []
        last_end = m.end()
    if run:
        names.append(tuple(fold_accents(w.lower()) for w in run))
    return tuple(n for n in names if not all(w in _CURRENCIES for w in n))


def _name_evidence(text: str, question_terms: frozenset[str]) -> tuple[float, float]:
    """(the best share of one name's syllables that the question has, how many names the
    question has none of — capped)."""
    best, foreign = 0.0, 0
    for name in proper_names(text):
        share = sum(s in question_terms for s in name) / len(name)
        best = max(best, share)
        foreign += share == 0.0
    return best, min(float(foreign), FOREIGN_CAP)


def item_features(sentence: str, siblings: Sequence[Candidate], coverage: Callable[[str], float],
                  question_terms: frozenset[str]) -> dict[int, tuple[float, ...]]:
    """For every figure of one sentence (``siblings``, with offsets into ``sentence``), the
    values of :data:`ITEM_FEATURES`, keyed by ``id(candidate)``.

    A figure's left item runs from the end of the previous figure of its kind (or the sentence
    start) to its own end, its right item from its own start to the next figure of its kind (or
    the sentence end): its own words ("2.700 giáo viên Âm nhạc") belong to both. ``coverage``
    gives the IDF-weighted share of the question's terms in a text, ``question_terms`` are the
    question's folded syllables."""
    out: dict[int, tuple[float, ...]] = {}
    by_kind: dict[str, list[Candidate]] = {}
    for c in siblings:
        by_kind.setdefault(c.quantity.kind, []).append(c)
    for same in by_kind.values():
        same = sorted(same, key=lambda c: c.quantity.start)
        lefts, rights = [], []
        for i, c in enumerate(same):
            q = c.quantity
            start = same[i - 1].quantity.end if i and same[i - 1].quantity.end <= q.start else 0
            end = same[i + 1].quantity.start if i + 1 < len(same) and same[i + 1].quantity.start >= q.end \
                else len(sentence)
            lefts.append(sentence[start:q.end])
            rights.append(sentence[q.start:end])
        left_cov = [coverage(t) for t in lefts]
        right_cov = [coverage(t) for t in rights]
        best_left, best_right = max(left_cov), max(right_cov)
        for c, left, right, lc, rc in zip(same, lefts, rights, left_cov, right_cov):
            out[id(c)] = (float(len(same)), lc, rc, float(lc > 0 and lc >= best_left),
                          float(rc > 0 and rc >= best_right),
                          *_name_evidence(left, question_terms), *_name_evidence(right, question_terms))
    return out
