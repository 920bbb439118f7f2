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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa.lexicon import (FOLDED_STOPWORDS, MAGNITUDES_AFTER_NUMBER_WORDS, QUALIFIERS, STOPWORDS, SUPERLATIVE_HIGH,
                        SUPERLATIVE_LOW, fold_accents, has_tone_marks, normalize, normalize_folded)
from qa.read.clauses import PART_OPENERS, FigureClause, figure_clause
from qa.read.context import Asked, asked_in, figure_period, place_features, time_features
from qa.read.items import ITEM_FEATURES, item_features
from qa.read.respectively import respective_items
from qa.read.question import TOKEN, QuestionProfile, whole_word
from qa.read.rules import _NEAR_KINDS, Candidate, is_duration, tokens
from qa.read.timeexpr import find_times

KINDS = ("count", "percent", "money", "fraction", "rate", "date")
FLAGS = ("code", "kind", "currency", "other_share", "other_noun", "place", "time", "offtopic")


class _Cue:
    """A pattern written with its marks, and the same pattern folded for text typed without them.
    Folded, "tầng", "Hà", "đầu tư", "Nhật" would read as "tăng", "hạ", "từ", "nhất": text that
    has its marks is matched with them (a fact of the script, not of any article)."""

    def __init__(self, pattern: str):
        self._toned, self._folded = re.compile(pattern), re.compile(fold_accents(pattern))

    def search(self, text: str, toned: bool) -> bool:
        """Does ``text`` (as written) hold the cue? ``toned``: its whole sentence or question has
        tone marks (a short slice of a marked sentence may by chance have none)."""
        if toned:
            return self._toned.search(normalize(text)) is not None
        return self._folded.search(normalize_folded(text)) is not None


_CHANGE_WORDS = _Cue(r"(?<!\w)(tăng|giảm|thêm|bớt|hạ|nâng|chênh lệch|so với)(?!\w)")
_SUPERLATIVE = _Cue(r"(?<!\w)(nhất|cao nhất|thấp nhất|lớn nhất|nhiều nhất|ít nhất)(?!\w)")
_NUMBER_IN_TEXT = re.compile(r"\d+(?:[.,]\d+)*")
_BASELINE = re.compile(r"(?<!\w)so voi ((?:\w+ ){0,3}\w+)")
# "từ 4,1% xuống 3,9%": the figure after "từ" is where a change starts, the one after
# lên/xuống/còn/thành/tới/đến (optionally "mức") where it ends — a fact of the language
_FROM_BEFORE = _Cue(r"(?<!\w)từ(?: mức)?\W*$")
_TO_BEFORE = _Cue(r"(?<!\w)(?:lên|xuống|còn|thành|tới|đến)(?: còn| mức| đến| tới)?\W*$")
_QUESTION_TO = _Cue(r"(?<!\w)(?:lên|xuống|còn|thành)(?: mức| còn| đến| tới)? (?:là )?(?:bao nhiêu|mấy|mức nào)(?!\w)")
_QUESTION_FROM = _Cue(r"(?<!\w)(?:từ (?:mức )?(?:bao nhiêu|mấy)|trước (?:đó|khi|điều chỉnh)|ban đầu)(?!\w)")
_ITEM_BREAK = re.compile(r"[,;]\s")
# what introduces a figure that restates the one before it ("…, tương đương 74.261 ha", "(tương
# đương 180 triệu đồng)", "tức là", "tương ứng với"), right before the figure
_RESTATES = _Cue(r"(?<!\w)(?:tương đương|tương ứng|tức là|tức)(?: (?:với|khoảng|gần|hơn|trên|mức|là|bằng|chừng))*\W*$")
# a sentence about a part of the whole the sentence before named ("… 552,86 triệu USD. Trong đó, …")
_OPENS_WITH_PART = re.compile(rf"(?i)^\W*(?:{PART_OPENERS})\b")
# a sentence that details the one before ("… chi sử dụng Quỹ Bình ổn giá xăng dầu. Cụ thể, xăng RON95
# 1.250 đồng/lít …", "Riêng Hà Nội …"): its figures are described by that sentence's words too
_OPENS_WITH_DETAIL = re.compile(r"(?i)^\W*(?:cụ thể|riêng)\b")
# a full stop that ends a sentence (before a capital): "1.367 tỷ đồng. Trong đó, …"
_SENTENCE_STOP = re.compile(r"[.!?…]\s+(?=[A-ZĐÀ-Ỹ])")
LABEL_WINDOW = 4  # syllables each side of a figure that name it in a list ("đường sắt 12,4 triệu đồng")
SLOT_WINDOW = 6  # syllables before a figure, in its own list item, read against the words before the slot
# where the question puts the figure it asks for; "mấy" only when there is no "bao nhiêu" (typed
# without tone marks, "may" may also be "máy")
_SLOT_TONED = (re.compile(r"(?<!\w)bao nhiêu(?!\w)"), re.compile(r"(?<!\w)mấy(?!\w)"))
_SLOT_FOLDED = (re.compile(r"(?<!\w)bao nhieu(?!\w)"), re.compile(r"(?<!\w)may(?!\w)"))
# question fillers and the approximators that stand before a numeral ("khoảng", "hơn", "ở mức"):
# they differ between a question and its sentence without changing which figure is meant
_NOT_CONTENT = FOLDED_STOPWORDS | frozenset(w for q in QUALIFIERS for w in fold_accents(q).split()
                                            if " " not in q) | {"muc"}
# the same words with their marks, for text typed with them: folded, "vé", "cổ" (phiếu), "máy",
# "bão" and "bảo" (hiểm) are the fillers "về", "có", "mấy", "bao"; with their marks they are words
_NOT_CONTENT_TONED = (frozenset(w for w in STOPWORDS if fold_accents(w) in FOLDED_STOPWORDS)
                      | frozenset(normalize(q) for q in QUALIFIERS if " " not in q and has_tone_marks(q))
                      | {"mức"})


def _any_of(words) -> _Cue:
    return _Cue(whole_word("(?:" + "|".join(map(re.escape, words)) + ")").pattern)


# each end of a range (qa.lexicon); folded only for text typed without tone marks, where "toi da"
# may also be "tôi đã"
_HIGH_END, _LOW_END = _any_of(SUPERLATIVE_HIGH), _any_of(SUPERLATIVE_LOW)


def superlative_direction(text: str) -> int:
    """+1 when ``text`` names the top of a range ("cao nhất", "tối đa"), −1 its bottom ("thấp
    nhất", "tối thiểu"), 0 for neither or both. Text without tone marks is matched folded."""
    toned = has_tone_marks(text)
    return int(_HIGH_END.search(text, toned)) - int(_LOW_END.search(text, toned))


def _baseline(folded: str) -> str | None:
    """The words after "so với" ("cung ky nam truoc"), up to punctuation: what a change is against."""
    m = _BASELINE.search(folded)
    return m.group(1) if m else None


@lru_cache(maxsize=32768)
def _numbers_of(text: str) -> frozenset[str]:
    """The numbers written in ``text`` (cached: a sentence's and a figure's are asked for again
    for every figure near them)."""
    return frozenset(_NUMBER_IN_TEXT.findall(text))

@lru_cache(maxsize=32768)
def _toned_tokens(text: str) -> tuple[str, ...]:
    """:func:`tokens` with their marks: the same syllables in the same places (folding is one
    character for one)."""
    return tuple(TOKEN.findall(normalize(text)))


def _content(syllables: Sequence[str], toned: Sequence[str] | None = None) -> tuple[str, ...]:
    """The folded ``syllables`` that are not fillers. ``toned``, the same syllables with their
    marks where the text has them, is what fillers are matched on then."""
    if toned is None or len(toned) != len(syllables):
        return tuple(t for t in syllables if t not in _NOT_CONTENT and not t.isdigit())
    return tuple(t for t, w in zip(syllables, toned) if w not in _NOT_CONTENT_TONED and not t.isdigit())


@lru_cache(maxsize=4096)
def question_slot(question: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(the last three content syllables before the question's slot, the first two after it), or
    None when the question has no "bao nhiêu"/"mấy". Folded syllables; a question typed with tone
    marks is searched, and its fillers dropped, with them ("máy" is no slot there, and a word)."""
    toned = has_tone_marks(question)
    form = normalize(question) if toned else normalize_folded(question)
    for pattern in (_SLOT_TONED if toned else _SLOT_FOLDED):
        m = pattern.search(form)
        if m:
            before, after = form[:m.start()], form[m.end():]
            if not toned:
                return _content(tokens(before))[-3:], _content(tokens(after))[:2]
            return (_content(tokens(before), _toned_tokens(before))[-3:],
                    _content(tokens(after), _toned_tokens(after))[:2])
    return None


def _common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """How many syllables ``a`` and ``b`` end with in common."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


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
    "has_qualifier", "has_noun",
    # an amount with a magnitude word and nothing said of what it is ("trên 342 tỉ"): news text
    # drops "đồng" as often as "người", so whether it answers a money question is learned
    "figure_bare_amount",
    "log_value", "figures_in_sentence", "figure_position",
    "question_superlative", "figure_is_sentence_max", "question_unaccented", "log_candidates",
    # structured time and place (qa.read.context)
    "time_asked", "time_match", "time_conflict", "time_found_in_sentence", "time_found_elsewhere",
    "time_published_in_asked", "time_found_earlier",
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
    # "trong đó" (of which) opens a clause about a part of what came before it: the figure is such
    # a part, or the whole another figure of its sentence is a part of (qa.read.clauses)
    "figure_in_part", "figure_is_whole",
    # the figure's item in a list: the text back to the previous figure of its kind and on to the
    # next, and the proper names there (qa.read.items)
    *ITEM_FEATURES,
    # the end of a range the question asks for ("cao nhất") against the one named right before the
    # figure, in its own list item ("thấp nhất là 35.000 đồng")
    "superlative_agrees", "superlative_opposes",
    # the question's slot ("bao nhiêu", "mấy") against the figure's place in its sentence: a
    # question is its answer's sentence with the figure replaced by a question word
    "slot_asked", "slot_left_run", "slot_left_share", "slot_right_share",
    # the question's terms in the words that describe the figure: its own clause and, for a part,
    # the whole's words it does not repeat ("Trong đó, … tại BIDV 608 tỷ đồng" is of the debt the
    # sentence before names), and how far that is below the question's best figure
    "described_coverage", "described_coverage_gap",
    # "A và B … lần lượt là X và Y" (respectively): the question's terms in the figure's own item
    # less the most in another item of the list (0 for a figure no "lần lượt" pairs; qa.read.respectively)
    "respective_edge",
    # "30% giá trị căn hộ, tương đương 666 triệu đồng": the figure restates the one before it in
    # another unit, so the words of that one's stretch describe it too (the question's share of
    # them, from the figure before that one to this; 0 for a figure that restates none)
    "figure_restates", "restated_coverage",
    # P(the figure's kind | the question's words), learned (qa.read.kinds): a kind for the questions
    # the hand-written cues leave without one, weighed beside them
    "kind_prior",
    # the question's terms anywhere in the figure's article (title and text), and how far that is
    # below the best article's: a question about a thing the article never names is not answered
    # from it ("Không quân Zimbabwe …" from an article on another air force)
    "article_coverage", "article_coverage_gap",
)
_AMOUNT_MAGNITUDES = frozenset(MAGNITUDES_AFTER_NUMBER_WORDS)  # nghìn … tỷ; "trăm" is a count's word


def is_bare_amount(q) -> bool:
    """A count written with a magnitude word whose noun says nothing of what it counts, or says
    money ("108 triệu", "trên 342 tỉ", "hơn 111 tỉ tiền nợ"): in news text, as often an amount of
    đồng with the currency left out as a number of things."""
    return (q.kind == "count" and q.currency is None
            and (q.noun is None or q.noun.lower().split()[0] == "tiền")
            and any(w in _AMOUNT_MAGNITUDES for w in q.number_text.lower().split()))


# the per-kind and per-flag columns, named once rather than formatted again for every row
_KIND_COLUMNS = tuple((f"figure_{k}", k) for k in KINDS)
_FLAG_COLUMNS = tuple((f"flag_{f}", f) for f in FLAGS)


def hard_reject(c: Candidate, question: str) -> str | None:
    """Reasons that hold in any corpus, so they are not learned: a year written as a bare
    number ("2018") is a date, and the question's own numbers ("kỳ hạn 12 tháng") are given,
    not asked."""
    q = c.quantity
    if (q.kind == "count" and not q.noun and q.qualifier is None and re.fullmatch(r"(19|20)\d\d", q.number_text)):
        return "a year is not a count"
    if q.number_text.split()[0].rstrip("%") in _given_figures(question):
        return "the question itself gives this number"
    return None


# a number glued to a name: "MiG-29", "COVID-19", "H5N1", "A321"
_NAME_NUMBER = re.compile(r"(?<=[^\W\d_])-?\d+(?:[.,]\d+)*")


@lru_cache(maxsize=4096)
def _given_figures(question: str) -> frozenset[str]:
    """The question's numbers that are figures: not the parts of a time it names ("tháng 4/2016"
    is no figure 4) nor of a name ("MiG-29")."""
    kept = list(question)
    for m in find_times(question):
        kept[m.start:m.end] = " " * (m.end - m.start)
    text = "".join(kept)
    return frozenset(_NUMBER_IN_TEXT.findall(_NAME_NUMBER.sub(" ", text)))


def _figure_is_change(sentence: str, toned: bool, c: Candidate) -> bool:
    """A change verb right before the figure ("tăng 200.000 đồng"): the figure is a difference."""
    return _CHANGE_WORDS.search(sentence[max(0, c.quantity.start - 18):c.quantity.start], toned)


class _TermWeights:
    """The question's (folded) terms with their IDF weights: what share of that weight a text
    holds, a text's syllables read as the question writes them (:func:`_as_question_reads`). The
    total is summed once per question and a text's share is kept, since the same segments and
    nouns are measured for several figures."""

    def __init__(self, weights: dict[str, float], accents: dict[str, frozenset[str]] | None = None):
        self.items = tuple(weights.items())
        self.total = sum(weights.values())
        self.accents = accents or {}  # QuestionProfile.accents: how the question writes its syllables
        self._of_text: dict[str, float] = {}
        self._tokens: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        """``tokens(text)`` as this question reads them (kept per text: the same segments and
        clauses come back for several figures)."""
        found = self._tokens.get(text)
        if found is None:
            found = self._tokens[text] = _as_question_reads(text, self.accents)
        return found

    def covered(self, found: set[str] | frozenset[str]) -> float:
        """IDF-weighted share of the question's terms that are in ``found`` (folded syllables)."""
        if not self.total:
            return 0.0
        return sum([w for t, w in self.items if t in found]) / self.total

    def coverage(self, text: str) -> float:
        """IDF-weighted share of the question's terms found in ``text`` (folded), each read as
        the question writes it: ``covered(set(tokens(text)))``, from the text's syllables and
        their writings (:func:`_written`, shared by every question) instead of the token list."""
        share = self._of_text.get(text)
        if share is None:
            present, written = _written(text)
            share = self._of_text[text] = (
                sum([w for t, w in self.items if t in present and self._reads(t, written)]) / self.total
                if self.total else 0.0)
        return share

    def _reads(self, term: str, written: frozenset[tuple[str, str]] | None) -> bool:
        """Whether a text whose (folded, written) syllables are ``written`` (None: not known) has
        ``term`` as the question does (see :func:`_as_question_reads`)."""
        marks = self.accents.get(term)
        return (written is None or marks is None or (term, term) in written
                or any((term, m) in written for m in marks))


@lru_cache(maxsize=32768)
def _written(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]] | None]:
    """The folded syllables of ``text``, and each with the way the text writes it (("nam",
    "năm"), ("nam", "nam")); None when the marked and folded syllables do not line up one for
    one (then no syllable is told apart by its marks, as in :func:`_as_question_reads`)."""
    folded, marked = tokens(text), _toned_tokens(text)
    return frozenset(folded), (frozenset(zip(folded, marked)) if len(marked) == len(folded) else None)


# a syllable the question writes with other marks: it matches none of the question's
_OTHER_WORD = "≠"


def _as_question_reads(text: str, accents: dict[str, frozenset[str]]) -> tuple[str, ...]:
    """``tokens(text)``, except that a syllable written with other marks than the question's own
    writing of it is another word ("đông" where the question says "đồng", "nam" where it says
    "năm", "tiến" where it says "tiền") and matches none of the question's syllables. A syllable
    written without marks, or one the question writes without them, still matches: typed without
    marks, it may be either word (``QuestionProfile.accents`` holds only marked ones)."""
    folded = tokens(text)
    if not accents or accents.keys().isdisjoint(folded):
        return folded
    marked = _toned_tokens(text)
    if len(marked) != len(folded):
        return folded
    return tuple(f if f not in accents or m == f or m in accents[f] else _OTHER_WORD + f
                 for f, m in zip(folded, marked))


def _pairs(syllables: Sequence[str]) -> set[tuple[str, str]]:
    """Neighbouring syllable pairs: Vietnamese words are mostly two syllables."""
    return set(zip(syllables, syllables[1:]))


def _pair_share(question_pairs: set[tuple[str, str]], pairs: set[tuple[str, str]]) -> float:
    """The share of the question's syllable pairs found in ``pairs``."""
    return len(question_pairs & pairs) / max(1, len(question_pairs))


def _segments(sentence: str, c: Candidate, starts: list[tuple[int, int]]) -> tuple[str, str]:
    """The text between the previous figure of the sentence and this one, and between this one
    and the next: in a list, the words that name this item. ``starts`` are the (start, end) of
    the sentence's figures, sorted (once per sentence, not once per figure)."""
    prev_end = max([e for st, e in starts if e <= c.quantity.start], default=0)
    next_start = min([st for st, e in starts if st >= c.quantity.end], default=len(sentence))
    return sentence[prev_end:c.quantity.start], sentence[c.quantity.end:next_start]


def _item_texts(left: str, right: str) -> tuple[str, str]:
    """The text before and after a figure within its own segment and its own list item (a comma
    or semicolon ends one)."""
    return _ITEM_BREAK.split(left)[-1], _ITEM_BREAK.split(right)[0]


def _label_window(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[set[str], set[tuple[str, str]]]:
    """Syllables, and syllable pairs, of the ``LABEL_WINDOW`` words of a figure's item before and
    after it: the words that tell one item of a list from the next. Pairs because Vietnamese
    words are mostly two syllables, and "ngoại thành" must not match "nội thành" through
    "thành" alone."""
    before, after = before[-LABEL_WINDOW:], after[:LABEL_WINDOW]
    return set(before) | set(after), _pairs(before) | _pairs(after)


def feature_rows(question: str, profile: QuestionProfile, cands: Sequence[Candidate],
                 hits: Sequence, context_of, idf=None, kind_probs: dict[str, float] | None = None,
                 article_of: Callable[[str], str] | None = None) -> np.ndarray:
    """The feature matrix (len(cands) × len(FEATURES)) for one question's candidates.

    ``hits`` are the retrieval hits in rank order (``chunk_rank`` indexes them);
    ``context_of(c)`` returns a candidate's (sentence, paragraph text before it, article title,
    publication date, the article's text before that paragraph); ``idf(term)`` weighs the
    question's terms (uniform when None). ``kind_probs`` is ``KindPrior.probabilities(question)``;
    without it ``kind_prior`` is 0, as in the saved training rows, which training fills afterwards
    with cross-fitted probabilities (``qa.read.training.fill_kind_prior``). ``article_of(doc_id)``
    gives an article's title and text (without it, ``article_coverage`` reads the title only).

    The work is split by what it depends on, because a question has ~36 figures in a handful of
    sentences: :class:`_QuestionFacts` once per question, :class:`_SentenceRowFacts` once per
    sentence, and :func:`_row` for what is the figure's own.
    """
    if not cands:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    qf = _QuestionFacts.of(question, profile, cands, hits, idf)
    per_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        per_sentence.setdefault(c.sentence_id, []).append(c)
    # first pass: each candidate's context and the text that is its own (needed across siblings)
    context = {id(c): context_of(c) for c in cands}
    own: dict[int, _OwnText] = {}
    for siblings in per_sentence.values():
        bounds = sorted((s.quantity.start, s.quantity.end) for s in siblings)
        for position, c in enumerate(siblings):
            own[id(c)] = _OwnText.of(context[id(c)][0], c, position, bounds, qf)
    described = {id(c): qf.weights.coverage(_description(context[id(c)][0], context[id(c)][1], context[id(c)][4], c))
                 for c in cands}
    best_described = max(described.values())
    articles = {c.doc_id: qf.weights.coverage(article_of(c.doc_id) if article_of else context[id(c)][2] or "")
                for c in cands}
    best_article = max(articles.values())
    sentences = {sid: _SentenceRowFacts.of(context[id(siblings[0])], siblings, [own[id(c)] for c in siblings], qf)
                 for sid, siblings in per_sentence.items()}
    best_sentence_pairs = max(s.pairs for s in sentences.values())
    items: dict[int, tuple[float, ...]] = {}
    respective: dict[int, float] = {}
    restated: dict[int, float] = {}
    for sid, siblings in per_sentence.items():
        items.update(item_features(context[id(siblings[0])][0], siblings, qf.weights.coverage, qf.terms))
        respective.update(_respective_edges(context[id(siblings[0])][0], siblings, qf.weights.coverage))
        restated.update(_restated_coverages(siblings, own, sentences[sid].toned, qf.weights.coverage))
    X = np.empty((len(cands), len(FEATURES)), dtype=np.float32)
    for i, c in enumerate(cands):
        row = _row(c, context[id(c)], own[id(c)], sentences[c.sentence_id], best_sentence_pairs, qf)
        row.update(zip(ITEM_FEATURES, items[id(c)]))  # the figure's list item (qa.read.items)
        end = superlative_direction(_ITEM_BREAK.split(own[id(c)].left)[-1]) if qf.superlative else 0
        row.update(superlative_agrees=float(qf.superlative != 0 and end == qf.superlative),
                   superlative_opposes=float(qf.superlative != 0 and end == -qf.superlative))
        row.update(_slot_features(qf, own[id(c)]))
        row.update(described_coverage=described[id(c)], described_coverage_gap=best_described - described[id(c)])
        row.update(respective_edge=respective.get(id(c), 0.0))
        row.update(figure_restates=float(id(c) in restated), restated_coverage=restated.get(id(c), 0.0))
        row.update(kind_prior=kind_probs.get(c.quantity.kind, 0.0) if kind_probs else 0.0)
        row.update(article_coverage=articles[c.doc_id], article_coverage_gap=best_article - articles[c.doc_id])
        if i == 0 and tuple(row) != FEATURES:  # the row is read by position: its names must be FEATURES
            raise AssertionError(f"feature row out of order: {[k for k, f in zip(row, FEATURES) if k != f][:3]}")
        X[i] = list(row.values())
    return X


def _respective_edges(sentence: str, siblings: Sequence[Candidate], coverage) -> dict[int, float]:
    """``respective_edge`` of the sentence's figures that "lần lượt" pairs with a listed item, by
    candidate id: how much more of the question the figure's own item holds than the best other."""
    paired = respective_items(sentence, [(c.quantity.start, c.quantity.end, c.quantity.kind) for c in siblings])
    return {id(siblings[i]): coverage(sentence[own[0]:own[1]]) - max(coverage(sentence[a:b]) for a, b in others)
            for i, (own, others) in paired.items()}


def _restated_coverages(siblings: Sequence[Candidate], own: dict[int, "_OwnText"], toned: bool,
                        coverage) -> dict[int, float]:
    """``restated_coverage`` of the sentence's figures that restate the figure before them ("30%
    giá trị căn hộ, tương đương 666 triệu đồng"), by candidate id: the question's share of the words
    from the figure before the restated one up to the restating figure, which describe both."""
    ordered = sorted(siblings, key=lambda s: s.quantity.start)
    return {id(c): coverage(f"{own[id(before)].left} {before.quantity.text} {own[id(c)].left}")
            for before, c in zip(ordered, ordered[1:]) if _RESTATES.search(own[id(c)].left, toned)}


def _slot_features(qf: "_QuestionFacts", own_text: "_OwnText") -> dict[str, float]:
    """The question's slot against the figure's place: the run of content syllables both end
    with (out of three), the share of the three before the slot found before the figure, and of
    the two after it found in the figure's unit and noun or right after."""
    if qf.slot is None:
        return {"slot_asked": 0.0, "slot_left_run": 0.0, "slot_left_share": 0.0, "slot_right_share": 0.0}
    before, after = qf.slot
    near = set(own_text.slot_before)
    return {
        "slot_asked": 1.0,
        "slot_left_run": _common_run(before, own_text.slot_before) / 3,
        "slot_left_share": sum(t in near for t in before) / len(before) if before else 0.0,
        "slot_right_share": sum(t in own_text.slot_after for t in after) / len(after) if after else 0.0,
    }


@dataclass(frozen=True)
class _QuestionFacts:
    """What is the same for every candidate of one question."""

    profile: QuestionProfile
    max_sem: float
    max_prox: float
    max_cov: float
    max_lex: float
    hits: Sequence
    asked: Asked
    baseline: str | None
    numbers: frozenset[str]
    weights: _TermWeights
    terms: frozenset[str]  # the question's folded syllables
    bigrams: set[tuple[str, str]]
    constant: dict[str, float]  # features that only the question decides
    log_candidates: float
    superlative: int  # the end of a range the question asks for (superlative_direction)
    slot: tuple[tuple[str, ...], tuple[str, ...]] | None  # question_slot

    @classmethod
    def of(cls, question: str, profile: QuestionProfile, cands: Sequence[Candidate], hits: Sequence,
           idf) -> "_QuestionFacts":
        folded_q, toned = normalize_folded(question), has_tone_marks(question)
        kind_asked = profile.expected_kind
        return cls(
            profile=profile,
            max_sem=max(c.semantic for c in cands), max_prox=max(c.proximity for c in cands),
            max_cov=max(c.coverage for c in cands),
            max_lex=max((h.lexical for h in hits), default=0.0) or 1.0, hits=hits,
            asked=asked_in(question), baseline=_baseline(folded_q), numbers=_numbers_of(question),
            weights=_TermWeights({t: (idf(t) if idf else 1.0) for t in profile.terms if not t.isdigit()},
                                 profile.accents),
            terms=frozenset(tokens(question)), bigrams=_pairs(tokens(question)),
            constant={
                "question_counts_noun": float(bool(profile.target)), "no_kind_asked": float(kind_asked is None),
                "asks_date": float(kind_asked == "date"), "asks_duration": float(kind_asked == "duration"),
                "question_asks_change": float(profile.change_verb is not None),
                "question_names_time": float(bool(profile.dates)),
                "question_names_place": float(bool(profile.places)),
                "question_national": float(profile.national),
                "question_superlative": float(_SUPERLATIVE.search(question, toned)),
                "question_unaccented": float(not toned),
                "question_asks_to": float(_QUESTION_TO.search(question, toned)),
                "question_asks_from": float(_QUESTION_FROM.search(question, toned)),
            },
            log_candidates=math.log(1 + len(cands)),
            superlative=superlative_direction(question),
            slot=question_slot(question),
        )


@dataclass(frozen=True)
class _OwnText:
    """The stretch of its sentence that names one figure: the segments between it and its
    neighbouring figures, and the few label words right around it."""

    left: str
    right: str
    position: int  # the figure's place among the sentence's figures (0 = first)
    left_cov: float
    label: set[str]
    label_cov: float
    label_pairs: float
    slot_before: tuple[str, ...]  # content syllables right before the figure, in its list item
    slot_after: tuple[str, ...]  # the figure's own unit and noun, then the syllables after it

    @classmethod
    def of(cls, sentence: str, c: Candidate, position: int, bounds: list[tuple[int, int]],
           qf: _QuestionFacts) -> "_OwnText":
        left, right = _segments(sentence, c, bounds)
        item_before, item_after = _item_texts(left, right)
        before, after = qf.weights.tokens(item_before), qf.weights.tokens(item_after)
        label, pairs = _label_window(before, after)
        marked_before = marked_after = None
        if has_tone_marks(sentence):  # fillers matched with their marks, as in a toned question
            marked_before = _toned_tokens(item_before)[-SLOT_WINDOW:]
            marked_after = _toned_tokens(c.quantity.text) + _toned_tokens(item_after)[:3]
        slot_before = _content(before[-SLOT_WINDOW:], marked_before)
        slot_after = _content(qf.weights.tokens(c.quantity.text) + after[:3], marked_after)
        return cls(left, right, position, qf.weights.coverage(left), label, qf.weights.covered(label),
                   _pair_share(qf.bigrams, pairs), slot_before, slot_after)


@dataclass(frozen=True)
class _SentenceRowFacts:
    """What is the same for every figure of one sentence, for its feature rows (the rule
    scorer's own per-sentence facts are ``qa.read.rules._SentenceMatch``). Frozen: no field is
    replaced; ``clauses`` alone is a memo filled as the sentence's figures ask for their clauses."""

    toned: bool  # the sentence has tone marks: its cues are matched with them (_Cue)
    numbers: frozenset[str]
    pairs: float  # share of the question's syllable pairs in the sentence
    best_left: float
    best_label: float
    best_pairs: float
    label_counts: Counter[str]  # in how many of the sentence's figures' labels each syllable is
    max_value: dict[str, float]  # the largest value of each kind of figure in the sentence
    count: int
    places: dict[str, float]  # place_features of the sentence and its context
    wholes: tuple[tuple[int, int], ...]  # the clauses a "trong đó" part of the sentence belongs to
    # per clause (its span): the numbers written in it, and the share of the question's syllable
    # pairs it holds; filled by its first figure (see ``clause_facts``)
    clauses: dict[tuple[int, int], tuple[frozenset[str], float]]

    @classmethod
    def of(cls, context: tuple[str, str, str, str | None, str], siblings: list[Candidate], owns: list[_OwnText],
           qf: _QuestionFacts) -> "_SentenceRowFacts":
        sentence, para_before, title, _, earlier = context
        max_value: dict[str, float] = {}
        for s in siblings:
            kind, value = s.quantity.kind, s.quantity.value
            if kind not in max_value or value > max_value[kind]:
                max_value[kind] = value
        label_counts: Counter[str] = Counter()
        for o in owns:
            label_counts.update(o.label)
        clauses = (figure_clause(sentence, s.quantity.start, s.quantity.end) for s in siblings)
        wholes = tuple({fc.label for fc in clauses if fc.label_kind == "parent"})
        return cls(
            toned=has_tone_marks(sentence), numbers=_numbers_of(sentence),
            pairs=_pair_share(qf.bigrams, _pairs(qf.weights.tokens(sentence))),
            best_left=max(o.left_cov for o in owns), best_label=max(o.label_cov for o in owns),
            best_pairs=max(o.label_pairs for o in owns), label_counts=label_counts, max_value=max_value,
            count=len(siblings), places=place_features(qf.asked, sentence, para_before, title, earlier),
            wholes=wholes,
            clauses={},
        )

    def clause_facts(self, sentence: str, own: tuple[int, int], qf: _QuestionFacts) -> tuple[frozenset[str], float]:
        """(numbers written in the clause ``own``, share of the question's syllable pairs in it)."""
        found = self.clauses.get(own)
        if found is None:
            clause = sentence[own[0]:own[1]]
            found = self.clauses[own] = (_numbers_of(clause), _pair_share(qf.bigrams, _pairs(qf.weights.tokens(clause))))
        return found


def _sentence_before(para_before: str, earlier: str) -> str:
    """The sentence before a sentence: the last of its paragraph's text before it or, when it opens
    its paragraph, the last of the paragraph before (news paragraphs are often one sentence: "…
    tổng số nợ gốc … là gần 1.367 tỷ đồng." then a new line "Trong đó, …")."""
    text = para_before.strip() or next((line for line in reversed(earlier.splitlines()) if line.strip()), "")
    return _SENTENCE_STOP.split(text.strip())[-1]


def _whole_of(sentence: str, clause: FigureClause, para_before: str, earlier: str) -> str | None:
    """The text of the whole a figure is a part of, or None when it is no part: the clause a
    "trong đó" clause hangs from, or, for the first clause of a sentence that opens with "Trong
    đó", the sentence before it ("" at the article's start)."""
    if clause.label_kind == "parent":
        return sentence[clause.label[0]:clause.label[1]]
    if clause.own[0] == 0 and _OPENS_WITH_PART.match(sentence) is not None:
        return _sentence_before(para_before, earlier)
    return None


def _description(sentence: str, para_before: str, earlier: str, c: Candidate) -> str:
    """The words that describe a figure: its own clause, and a part's whole (a part does not
    repeat what its whole has already said), or, in a sentence that details the one before ("Cụ
    thể, …", "Riêng …"), that sentence."""
    clause = figure_clause(sentence, c.quantity.start, c.quantity.end)
    own = sentence[clause.own[0]:clause.own[1]]
    whole = _whole_of(sentence, clause, para_before, earlier)
    if whole is None and _OPENS_WITH_DETAIL.match(sentence) is not None:
        whole = _sentence_before(para_before, earlier)
    return own if whole is None else f"{whole} {own}"


def _row(c: Candidate, context: tuple[str, str, str, str | None, str], own_text: _OwnText, sf: _SentenceRowFacts,
         best_sentence_pairs: float, qf: _QuestionFacts) -> dict[str, float]:
    """One candidate's features, by name, in ``FEATURES`` order."""
    q = c.quantity
    profile, hits, q_numbers, q_baseline = qf.profile, qf.hits, qf.numbers, qf.baseline
    hit = hits[c.chunk_rank] if c.chunk_rank < len(hits) else None
    sentence, para_before, title, published, earlier = context
    period, period_source = figure_period(sentence, q.start, para_before, title, published, earlier, q.end)
    clause = figure_clause(sentence, q.start, q.end)
    own = clause.own
    f_baseline = _baseline(normalize_folded(sentence[q.end:own[1]]))
    figure_numbers = _numbers_of(q.text)
    numbers_in_clause, clause_pairs = sf.clause_facts(sentence, own, qf)
    clause_numbers = numbers_in_clause - figure_numbers
    sentence_numbers = sf.numbers - figure_numbers
    left, right = own_text.left, own_text.right
    label, label_cov = own_text.label, own_text.label_cov
    # the syllables of this figure's label that no other figure of the sentence has in its label
    unique = {t for t in label if sf.label_counts[t] == 1}
    before = left[-24:]
    kind_asked = profile.expected_kind
    kind = "duration" if kind_asked == "duration" and is_duration(q) else q.kind
    constant = qf.constant
    return {
        "semantic": c.semantic, "semantic_gap": qf.max_sem - c.semantic,
        "proximity": c.proximity, "proximity_gap": qf.max_prox - c.proximity,
        "coverage": c.coverage, "coverage_gap": qf.max_cov - c.coverage,
        "target_match": c.target_match, "question_counts_noun": constant["question_counts_noun"],
        "no_kind_asked": constant["no_kind_asked"],
        "asks_date": constant["asks_date"], "asks_duration": constant["asks_duration"],
        "kind_match": float(kind_asked == kind),
        "kind_near": float(kind_asked is not None and kind in _NEAR_KINDS.get(kind_asked, ())),
        "kind_mismatch": float(kind_asked is not None and kind != kind_asked
                               and kind not in _NEAR_KINDS.get(kind_asked, ())),
        **{name: float(q.kind == k) for name, k in _KIND_COLUMNS},
        **{name: float(f in c.flags) for name, f in _FLAG_COLUMNS},
        "question_asks_change": constant["question_asks_change"],
        "change_verb_leads_here": float(c.change_cue),
        "figure_is_change": float(_figure_is_change(sentence, sf.toned, c)),
        "question_names_time": constant["question_names_time"], "time_bonus": c.time_bonus,
        "question_names_place": constant["question_names_place"], "figure_local": float(c.local),
        "question_national": constant["question_national"], "scope_penalty": c.scope_penalty,
        "passage_rank": float(c.chunk_rank),
        "passage_score": hit.score if hit else 0.0,
        "passage_dense": hit.dense if hit else 0.0,
        "passage_bm25_share": (hit.lexical / qf.max_lex) if hit else 0.0,
        "has_qualifier": float(q.qualifier is not None), "has_noun": float(bool(q.noun)),
        "figure_bare_amount": float(is_bare_amount(q)),
        "log_value": math.log10(abs(q.value) + 1.0),
        "figures_in_sentence": float(sf.count),
        "figure_position": own_text.position / max(1, sf.count - 1),
        "question_superlative": constant["question_superlative"],
        "figure_is_sentence_max": float(q.value >= sf.max_value[q.kind]),
        "question_unaccented": constant["question_unaccented"],
        "log_candidates": qf.log_candidates,
        **time_features(qf.asked, period, period_source, published),
        **sf.places,
        "question_has_baseline": float(q_baseline is not None),
        "figure_has_baseline": float(f_baseline is not None),
        "baseline_match": float(q_baseline is not None and f_baseline is not None
                                and (q_baseline.startswith(f_baseline) or f_baseline.startswith(q_baseline)
                                     or q_baseline.split()[:2] == f_baseline.split()[:2])),
        "question_numbers": float(len(q_numbers)),
        "question_numbers_in_clause": (len(q_numbers & clause_numbers) / len(q_numbers)) if q_numbers else 0.0,
        "question_numbers_in_sentence": (len(q_numbers & sentence_numbers) / len(q_numbers)) if q_numbers else 0.0,
        "segment_left_coverage": own_text.left_cov,
        "segment_right_coverage": qf.weights.coverage(right),
        "segment_left_best": float(own_text.left_cov > 0 and own_text.left_cov >= sf.best_left),
        "noun_coverage": qf.weights.coverage(q.text),
        "question_numbers_in_segment": (len(q_numbers & _numbers_of(left + " " + right)) / len(q_numbers))
                                       if q_numbers else 0.0,
        "label_coverage": label_cov,
        "label_unique": qf.weights.covered(unique),
        "label_gap": sf.best_label - label_cov,
        "label_best": float(label_cov > 0 and label_cov >= sf.best_label),
        "label_bigrams": own_text.label_pairs, "label_bigrams_gap": sf.best_pairs - own_text.label_pairs,
        "figure_after_from": float(_FROM_BEFORE.search(before, sf.toned)),
        "figure_after_to": float(_TO_BEFORE.search(before, sf.toned)),
        "question_asks_to": constant["question_asks_to"], "question_asks_from": constant["question_asks_from"],
        "sentence_bigrams": sf.pairs,
        "sentence_bigrams_gap": best_sentence_pairs - sf.pairs,
        "clause_bigrams": clause_pairs,
        "figure_in_part": float(_whole_of(sentence, clause, para_before, earlier) is not None),
        "figure_is_whole": float(any(a <= q.start < b for a, b in sf.wholes)),
    }
