"""One row of numbers per (question, candidate figure): what the learned scorer weighs.

The rule picker (``qa.read.rules``) already measures how a figure relates to a question —
sentence similarity, question words near the figure and in its own clause, the counted noun,
kind, currency, time and place checks. Here those measurements become *features*, and the
rules' verdicts become flags, so that a model trained on data (``vnqa train-reader``) decides how
much each is worth instead of ~35 hand-set constants. Features relative to the other candidates
of the same question ("gap to the best similarity") let a per-figure model compare figures.

Two facts of the language are not left to the model (:func:`hard_reject`): a bare year is not a
count of anything, and a number the question itself contains is not its answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from qa.lexicon import fold_accents, has_tone_marks, normalize_folded
from qa.read.clauses import figure_clause
from qa.read.context import asked_in, figure_period, place_features, time_features
from qa.read.items import ITEM_FEATURES, item_features
from qa.read.question import QuestionProfile
from qa.read.rules import _NEAR_KINDS, Candidate, is_duration, tokens

KINDS = ("count", "percent", "money", "fraction", "rate", "date")
FLAGS = ("code", "kind", "currency", "other_share", "other_noun", "place", "time", "offtopic")
_CHANGE_WORDS = re.compile(r"(?<!\w)(tang|giam|them|bot|ha|nang|chenh lech|so voi)(?!\w)")
_SUPERLATIVE = re.compile(r"(?<!\w)(nhat|cao nhat|thap nhat|lon nhat|nhieu nhat|it nhat)(?!\w)")
_NUMBER_IN_TEXT = re.compile(r"\d+(?:[.,]\d+)*")
_BASELINE = re.compile(r"(?<!\w)so voi ((?:\w+ ){0,3}\w+)")
# "từ 4,1% xuống 3,9%": the figure after "từ" is where a change starts, the one after
# lên/xuống/còn/thành/tới/đến (optionally "mức") where it ends — a fact of the language
_FROM_BEFORE = re.compile(r"(?<!\w)tu(?: muc)?\W*$")
_TO_BEFORE = re.compile(r"(?<!\w)(?:len|xuong|con|thanh|toi|den)(?: con| muc| den| toi)?\W*$")
_QUESTION_TO = re.compile(r"(?<!\w)(?:len|xuong|con|thanh)(?: muc| con| den| toi)? (?:la )?(?:bao nhieu|may|muc nao)")
_QUESTION_FROM = re.compile(r"(?<!\w)(?:tu (?:muc )?(?:bao nhieu|may)|truoc (?:do|khi|dieu chinh)|ban dau)")
_ITEM_BREAK = re.compile(r"[,;]\s")
LABEL_WINDOW = 4  # syllables each side of a figure that name it in a list ("đường sắt 12,4 triệu đồng")


def _baseline(folded: str) -> str | None:
    """The words after "so với" ("cung ky nam truoc"), up to punctuation: what a change is against."""
    m = _BASELINE.search(folded)
    return m.group(1) if m else None


def _numbers_of(text: str) -> set[str]:
    return set(_NUMBER_IN_TEXT.findall(text))

FEATURES: tuple[str, ...] = (
    "semantic", "semantic_gap", "proximity", "proximity_gap", "coverage", "coverage_gap",
    "target_match", "question_counts_noun",
    "no_kind_asked", "asks_date", "asks_duration", "kind_match", "kind_near", "kind_mismatch",
    *(f"figure_{k}" for k in KINDS),
    *(f"flag_{f}" for f in FLAGS),
    "question_asks_change", "change_verb_leads_here", "figure_is_change",
    "question_names_time", "time_bonus",
    "question_names_place", "figure_local", "question_national", "scope_penalty",
    "passage_rank", "passage_score", "passage_dense", "passage_bm25_share",
    "has_qualifier", "has_noun", "log_value", "figures_in_sentence", "figure_position",
    "question_superlative", "figure_is_sentence_max", "question_unaccented", "log_candidates",
    # structured time and place (qa.read.context)
    "time_asked", "time_match", "time_conflict", "time_found_in_sentence", "time_found_elsewhere",
    "time_published_in_asked",
    "place_asked", "place_match_sentence", "place_match_context", "place_conflict", "sentence_names_place",
    "sentence_national",
    # what the figure is compared against ("so với cùng kỳ"), and the question's own numbers
    "question_has_baseline", "figure_has_baseline", "baseline_match",
    "question_numbers", "question_numbers_in_clause", "question_numbers_in_sentence",
    # the stretch of text that belongs to this figure alone: from the previous figure of the
    # sentence to this one, and on to the next ("xăng RON95 18.549 đồng; dầu diesel 15.019 đồng")
    "segment_left_coverage", "segment_right_coverage", "segment_left_best", "noun_coverage",
    "question_numbers_in_segment",
    # the few words right around the figure (its label in a list), and which end of a change it is
    "label_coverage", "label_unique", "label_gap", "label_best", "label_bigrams", "label_bigrams_gap",
    "figure_after_from", "figure_after_to", "question_asks_to", "question_asks_from",
    # the question's syllable pairs in the figure's sentence and clause: word order that bags of
    # syllables miss ("nhóm giao thông", "mùng 2 Tết")
    "sentence_bigrams", "sentence_bigrams_gap", "clause_bigrams",
    # the figure's item in a list: the text back to the previous figure of its kind and on to the
    # next, and the proper names there (qa.read.items)
    *ITEM_FEATURES,
)


def hard_reject(c: Candidate, question: str) -> str | None:
    """Reasons that hold in any corpus, so they are not learned: a year written as a bare
    number ("2018") is a date, and the question's own numbers ("kỳ hạn 12 tháng") are given,
    not asked."""
    q = c.quantity
    if (q.kind == "count" and not q.noun and q.qualifier is None and re.fullmatch(r"(19|20)\d\d", q.number_text)):
        return "a year is not a count"
    asked = set(_NUMBER_IN_TEXT.findall(question))
    if q.number_text.split()[0].rstrip("%") in asked:
        return "the question itself gives this number"
    return None


def _figure_is_change(sentence_folded: str, c: Candidate) -> bool:
    """A change verb right before the figure ("tăng 200.000 đồng"): the figure is a difference."""
    before = sentence_folded[max(0, c.quantity.start - 18):c.quantity.start]
    return bool(_CHANGE_WORDS.search(before))


def _covered(found: set[str], weights: dict[str, float]) -> float:
    """IDF-weighted share of the question's terms that are in ``found`` (folded syllables)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w for t, w in weights.items() if t in found) / total


def _coverage(text: str, weights: dict[str, float]) -> float:
    """IDF-weighted share of the question's terms found in ``text`` (folded)."""
    return _covered(set(tokens(text)), weights)


def _pairs(syllables: Sequence[str]) -> set[tuple[str, str]]:
    """Neighbouring syllable pairs: Vietnamese words are mostly two syllables."""
    return set(zip(syllables, syllables[1:]))


def _pair_share(question_pairs: set[tuple[str, str]], pairs: set[tuple[str, str]]) -> float:
    """The share of the question's syllable pairs found in ``pairs``."""
    return len(question_pairs & pairs) / max(1, len(question_pairs))


def _segments(sentence: str, c: Candidate, siblings: list[Candidate]) -> tuple[str, str]:
    """The text between the previous figure of the sentence and this one, and between this one
    and the next: in a list, the words that name this item."""
    starts = sorted((s.quantity.start, s.quantity.end) for s in siblings)
    prev_end = max([e for st, e in starts if e <= c.quantity.start], default=0)
    next_start = min([st for st, e in starts if st >= c.quantity.end], default=len(sentence))
    return sentence[prev_end:c.quantity.start], sentence[c.quantity.end:next_start]


def _label_window(left: str, right: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Folded syllables, and syllable pairs, of the ``LABEL_WINDOW`` words before and after a
    figure, within its own segment and its own list item (a comma or semicolon ends one): the
    words that tell one item of a list from the next. Pairs because Vietnamese words are mostly
    two syllables, and "ngoại thành" must not match "nội thành" through "thành" alone."""
    before = tokens(_ITEM_BREAK.split(left)[-1])[-LABEL_WINDOW:]
    after = tokens(_ITEM_BREAK.split(right)[0])[:LABEL_WINDOW]
    return set(before) | set(after), _pairs(before) | _pairs(after)


def feature_rows(question: str, profile: QuestionProfile, cands: Sequence[Candidate],
                 hits: Sequence, context_of, idf=None) -> np.ndarray:
    """The feature matrix (len(cands) × len(FEATURES)) for one question's candidates.

    ``hits`` are the retrieval hits in rank order (``chunk_rank`` indexes them);
    ``context_of(c)`` returns a candidate's (sentence, paragraph text before it, article title,
    publication date); ``idf(term)`` weighs the question's terms (uniform when None).
    """
    if not cands:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    max_sem = max(c.semantic for c in cands)
    max_prox = max(c.proximity for c in cands)
    max_cov = max(c.coverage for c in cands)
    max_lex = max((h.lexical for h in hits), default=0.0) or 1.0
    folded_q = normalize_folded(question)
    asked = asked_in(question)
    q_baseline = _baseline(folded_q)
    q_numbers = _numbers_of(question)
    weights = {t: (idf(t) if idf else 1.0) for t in profile.terms if not t.isdigit()}
    superlative = bool(_SUPERLATIVE.search(folded_q))
    per_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        per_sentence.setdefault(c.sentence_id, []).append(c)
    # first pass: each candidate's context and the text that is its own (needed across siblings)
    context = {id(c): context_of(c) for c in cands}
    segments = {id(c): _segments(context[id(c)][0], c, per_sentence[c.sentence_id]) for c in cands}
    left_cov = {id(c): _coverage(segments[id(c)][0], weights) for c in cands}
    windows = {id(c): _label_window(*segments[id(c)]) for c in cands}
    labels = {k: terms for k, (terms, _) in windows.items()}
    label_cov = {id(c): _covered(labels[id(c)], weights) for c in cands}
    q_bigrams = _pairs(tokens(question))
    label_pairs = {k: _pair_share(q_bigrams, pairs) for k, (_, pairs) in windows.items()}
    q_to, q_from = bool(_QUESTION_TO.search(folded_q)), bool(_QUESTION_FROM.search(folded_q))
    unaccented = float(not has_tone_marks(question))
    # what is the same for every figure of a sentence, computed once per sentence
    per_sentence_text: dict[int, tuple[str, set[str]]] = {}
    sentence_pairs: dict[int, float] = {}
    best_of: dict[int, tuple[float, float, float]] = {}
    for sid, siblings in per_sentence.items():
        sentence = context[id(siblings[0])][0]
        per_sentence_text[sid] = (fold_accents(sentence.lower()), _numbers_of(sentence))
        sentence_pairs[sid] = _pair_share(q_bigrams, _pairs(tokens(sentence)))
        best_of[sid] = (max(left_cov[id(x)] for x in siblings), max(label_cov[id(x)] for x in siblings),
                        max(label_pairs[id(x)] for x in siblings))
    best_sentence_pairs = max(sentence_pairs.values())
    question_terms = frozenset(tokens(question))
    items: dict[int, tuple[float, ...]] = {}
    for siblings in per_sentence.values():
        items.update(item_features(context[id(siblings[0])][0], siblings, weights, question_terms))
    position = {id(c): i for siblings in per_sentence.values() for i, c in enumerate(siblings)}
    rows = []
    for c in cands:
        q = c.quantity
        siblings = per_sentence[c.sentence_id]
        same_kind = [s.quantity.value for s in siblings if s.quantity.kind == q.kind]
        hit = hits[c.chunk_rank] if c.chunk_rank < len(hits) else None
        sentence, para_before, title, published = context[id(c)]
        period, period_source = figure_period(sentence, q.start, para_before, title, published)
        own = figure_clause(sentence, q.start, q.end).own
        after_folded = normalize_folded(sentence[q.end:own[1]])
        f_baseline = _baseline(after_folded)
        clause_numbers = _numbers_of(sentence[own[0]:own[1]]) - _numbers_of(q.text)
        sentence_folded, numbers_in_sentence = per_sentence_text[c.sentence_id]
        sentence_numbers = numbers_in_sentence - _numbers_of(q.text)
        left, right = segments[id(c)]
        best_left, best_label, best_pairs = best_of[c.sentence_id]
        others = set().union(*(labels[id(s)] for s in siblings if s is not c))
        before = normalize_folded(left[-24:])
        kind_asked = profile.expected_kind
        kind = "duration" if kind_asked == "duration" and is_duration(q) else q.kind
        row = {
            "semantic": c.semantic, "semantic_gap": max_sem - c.semantic,
            "proximity": c.proximity, "proximity_gap": max_prox - c.proximity,
            "coverage": c.coverage, "coverage_gap": max_cov - c.coverage,
            "target_match": c.target_match, "question_counts_noun": float(bool(profile.target)),
            "no_kind_asked": float(kind_asked is None),
            "asks_date": float(kind_asked == "date"), "asks_duration": float(kind_asked == "duration"),
            "kind_match": float(kind_asked == kind),
            "kind_near": float(kind_asked is not None and kind in _NEAR_KINDS.get(kind_asked, ())),
            "kind_mismatch": float(kind_asked is not None and kind != kind_asked
                                   and kind not in _NEAR_KINDS.get(kind_asked, ())),
            **{f"figure_{k}": float(q.kind == k) for k in KINDS},
            **{f"flag_{f}": float(f in c.flags) for f in FLAGS},
            "question_asks_change": float(profile.change_verb is not None),
            "change_verb_leads_here": float(c.change_cue),
            "figure_is_change": float(_figure_is_change(sentence_folded, c)),
            "question_names_time": float(bool(profile.dates)), "time_bonus": c.time_bonus,
            "question_names_place": float(bool(profile.places)), "figure_local": float(c.local),
            "question_national": float(profile.national), "scope_penalty": c.scope_penalty,
            "passage_rank": float(c.chunk_rank),
            "passage_score": hit.score if hit else 0.0,
            "passage_dense": hit.dense if hit else 0.0,
            "passage_bm25_share": (hit.lexical / max_lex) if hit else 0.0,
            "has_qualifier": float(q.qualifier is not None), "has_noun": float(bool(q.noun)),
            "log_value": math.log10(abs(q.value) + 1.0),
            "figures_in_sentence": float(len(siblings)),
            "figure_position": position[id(c)] / max(1, len(siblings) - 1),
            "question_superlative": float(superlative),
            "figure_is_sentence_max": float(bool(same_kind) and q.value >= max(same_kind)),
            "question_unaccented": unaccented,
            "log_candidates": math.log(1 + len(cands)),
            **time_features(asked, period, period_source, published),
            **place_features(asked, sentence, para_before, title),
            "question_has_baseline": float(q_baseline is not None),
            "figure_has_baseline": float(f_baseline is not None),
            "baseline_match": float(q_baseline is not None and f_baseline is not None
                                    and (q_baseline.startswith(f_baseline) or f_baseline.startswith(q_baseline)
                                         or q_baseline.split()[:2] == f_baseline.split()[:2])),
            "question_numbers": float(len(q_numbers)),
            "question_numbers_in_clause": (len(q_numbers & clause_numbers) / len(q_numbers)) if q_numbers else 0.0,
            "question_numbers_in_sentence": (len(q_numbers & sentence_numbers) / len(q_numbers)) if q_numbers else 0.0,
            "segment_left_coverage": left_cov[id(c)],
            "segment_right_coverage": _coverage(right, weights),
            "segment_left_best": float(left_cov[id(c)] > 0 and left_cov[id(c)] >= best_left),
            "noun_coverage": _coverage(q.text, weights),
            "question_numbers_in_segment": (len(q_numbers & _numbers_of(left + " " + right)) / len(q_numbers))
                                           if q_numbers else 0.0,
            "label_coverage": label_cov[id(c)],
            "label_unique": _covered(labels[id(c)] - others, weights),
            "label_gap": best_label - label_cov[id(c)],
            "label_best": float(label_cov[id(c)] > 0 and label_cov[id(c)] >= best_label),
            "label_bigrams": label_pairs[id(c)], "label_bigrams_gap": best_pairs - label_pairs[id(c)],
            "figure_after_from": float(bool(_FROM_BEFORE.search(before))),
            "figure_after_to": float(bool(_TO_BEFORE.search(before))),
            "question_asks_to": float(q_to), "question_asks_from": float(q_from),
            "sentence_bigrams": sentence_pairs[c.sentence_id],
            "sentence_bigrams_gap": best_sentence_pairs - sentence_pairs[c.sentence_id],
            "clause_bigrams": _pair_share(q_bigrams, _pairs(tokens(sentence[own[0]:own[1]]))),
            **dict(zip(ITEM_FEATURES, items[id(c)])),
        }
        rows.append([row[f] for f in FEATURES])
    return np.asarray(rows, dtype=np.float32)
