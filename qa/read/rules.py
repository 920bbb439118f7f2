"""Choosing the figure that answers a quantity question, or deciding there is none.

Every quantity in the retrieved passages is a candidate. A candidate is scored on

* ``semantic`` — e5 similarity between the question and the candidate's sentence;
* ``proximity`` — question terms near the figure in its sentence (IDF-weighted, decaying with
  distance), which tells apart the several figures one sentence often holds;
* ``coverage`` — the share of the question's IDF weight found in the sentence (fully) or its
  paragraph and the article title (partly); a question whose key terms are absent ("giá vàng",
  "Hà Nội") is not answered from this candidate;
* the kind of figure the question asks for (``tỷ lệ`` → percent, ``doanh thu`` → money), the
  passage's retrieval rank, and the place it is about (a question naming a province is only
  answered from text about that province; a question naming none prefers national figures).

When several articles give the same measure (same kind and unit, close scores), the newest
article's figure is the answer and the others are returned as older figures. (The learned reader
lets a newer figure answer only when as sure as the best: ``qa.read.learned``.)
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from qa.read.figures import Quantity, sentence_quantities
from qa.read.places import mentions_local, mentions_national, places_in
from qa.read.aliases import STANDARD_ALIASES, learn_aliases
from qa.read.clauses import PART_OPENERS, asides, figure_clause
# the same sentences are read for every candidate figure in them: parse their dates once
from qa.read.figures import cached_dates as find_dates
from qa.read.question import TOKEN, QuestionProfile, profile_question, whole_word
from qa.lexicon import (MEASURE_UNITS as _MEASURE_UNITS, TIME_UNITS as _TIME_UNITS, UNIT_SYMBOL_WORDS, fold_accents,
                        has_tone_marks, normalize, normalize_folded)
from qa.lexicon import lexicon_fingerprint

MIN_COVERAGE = 0.55  # below this share of the question's weight, the candidate is off-topic
GROUP_RATIO = 0.6  # a figure scoring this share of the best's, same kind/unit/scope: the same measure
GROUP_COVERAGE_SLACK = 0.2  # ... covering the question's words nearly as well as the best
GROUP_PROXIMITY_RATIO = 0.4  # ... with them nearly as close to the figure
PROXIMITY_DECAY = 6.0  # words
OWN_CLAUSE_FLOOR = 0.7  # a question word anywhere in the figure's own clause keeps this much credit
LABEL_CREDIT = 0.6  # ... in the label of the list the figure is an item of ("Khối bộ, ngành: 5/21 …")
OTHER_CLAUSE_SHARE = 0.3  # ... elsewhere in the sentence, this share of its decayed credit
_YEAR_RANGE = re.compile(r"(?i)từ\s+(?:năm\s+)?((?:19|20)\d{2})\s+(?:đến|tới)\s+(?:năm\s+)?((?:19|20)\d{2})")
_CONTINUES = re.compile(rf"(?i)\s*(?:{PART_OPENERS}|cụ thể|riêng)\b")
# Figures that can still answer a question asking for another kind: a share given as a
# fraction ("21/42 nhiệm vụ" for "tỷ lệ"), a density given as a share. Others are rejected
# ("tỷ trọng … GDP" is never answered with "73 tỷ đồng").
_NEAR_KINDS = {"percent": ("fraction",), "rate": ("percent", "fraction")}
# The question names currencies as "USD"/"đồng"; figures carry ISO codes ("8 tỷ đô la Mỹ" is USD)
_ISO_CURRENCY = {"USD": "USD", "đồng": "VND"}
# Codes that mix letters and digits ("5G", "IPv6"): another digit is another thing ("4G")
_CODE = re.compile(r"(?=\w*\d)(?=\w*[a-z])\w+")
PARAPHRASE_SEMANTIC = 0.88  # sentence similarity that vouches for a figure sharing few words




def is_duration(q: Quantity) -> bool:
    """A count of time units ("3 năm", "10 ngày"): what "bao lâu" asks for."""
    head = tokens(q.unit or q.noun or "")[:1]
    return q.kind == "count" and bool(head) and head[0] in _TIME_UNITS


@lru_cache(maxsize=4096)
def _proximity_credit(distance: int, where: str) -> float:
    """How much a question word this far from the figure says about it. In the figure's own
    clause (or the label of the list it is in) a word keeps most of its weight; elsewhere in the
    sentence it is context shared with the other figures there."""
    decayed = math.exp(-distance / PROXIMITY_DECAY)
    if where == "own":
        return max(OWN_CLAUSE_FLOOR, decayed)
    if where == "label":
        return LABEL_CREDIT
    return OTHER_CLAUSE_SHARE * max(0.5, decayed)


@lru_cache(maxsize=32768)
def tokens(text: str) -> tuple[str, ...]:
    """Folded, lower-case syllables and whole numbers: the unit of term matching here."""
    return tuple(TOKEN.findall(normalize_folded(text)))


Token = tuple[str, int, int, str | None]  # folded form, start, end, accented form


def token_spans(text: str, aliases: dict[str, tuple[str, ...]] | None = None) -> list[Token]:
    """Tokens with offsets and their accented form; an abbreviation also stands for the words of
    its long form (accented form ``None``: it matches a question's word however it is accented)."""
    accented = normalize(text)
    folded = fold_accents(accented)  # one character per character: offsets are shared
    out: list[Token] = [(m.group(), m.start(), m.end(), accented[m.start():m.end()]) for m in TOKEN.finditer(folded)]
    long_forms = aliases or {}
    if any(t[0] in long_forms for t in out):  # most sentences have no abbreviation
        with_long: list[Token] = []
        for token, start, end, acc in out:
            with_long.append((token, start, end, acc))
            with_long.extend((word, start, end, None) for word in long_forms.get(token, ()))
        out = with_long
    return out


def matches(term: str, token: Token, accents: dict[str, frozenset[str]]) -> bool:
    """Whether a sentence token is the question's (folded) term, and, for a question typed with
    tone marks, typed the same way ("tảng" is not "tăng")."""
    tok, _, _, acc = token
    return tok == term and (acc is None or term not in accents or acc in accents[term])


def term_set(spans: list[Token], accents: dict[str, frozenset[str]]) -> set[str]:
    """The folded terms of ``spans`` that a question with these ``accents`` would match."""
    # ``matches`` inlined (a token always is its own folded form): this runs over every token
    # of every retrieved sentence
    return {tok for tok, _, _, acc in spans if acc is None or tok not in accents or acc in accents[tok]}


def _word_positions(spans: list[Token], aside_spans: list[tuple[int, int]]) -> list[int]:
    """Each token's position in words, for distances: the long-form words an abbreviation stands
    for share its position, and words inside an aside ("(TTHC)") take none of their own."""
    out, n, last_start = [], -1, None
    for _, s, _, _ in spans:
        if s != last_start and not (aside_spans and any(a <= s < b for a, b in aside_spans)):
            n += 1
        last_start = s
        out.append(max(n, 0))
    return out


def target_match(target: tuple[str, ...], noun_terms: set[str]) -> float:
    """How well what a figure counts matches the question's counted noun. The head word
    ("hệ thống" in "hệ thống thông tin") carries half the weight: "40 hệ thống" still counts
    information systems when the text has just said so."""
    if not target:
        return 0.0
    # a unit's symbol is its word: "km/h" counts "km" a "giờ"
    target = tuple(UNIT_SYMBOL_WORDS.get(t, t) for t in target)
    noun_terms = noun_terms | {UNIT_SYMBOL_WORDS[t] for t in noun_terms if t in UNIT_SYMBOL_WORDS}
    if len(target) == 1:
        return float(target[0] in noun_terms)
    rest = target[1:]
    return 0.5 * (target[0] in noun_terms) + 0.5 * sum(t in noun_terms for t in rest) / len(rest)


@dataclass
class Candidate:
    """One quantity in one sentence, with absolute offsets into its article."""

    quantity: Quantity
    doc_id: str
    sentence_id: int
    sentence_start: int
    sentence_end: int
    chunk_rank: int
    semantic: float = 0.0
    proximity: float = 0.0
    coverage: float = 0.0
    kind_bonus: float = 0.0
    target_match: float = 0.0
    time_bonus: float = 0.0
    scope_penalty: float = 0.0
    score: float = 0.0
    rejected: str | None = None
    published: str | None = None
    local: bool = False
    # why a rule would reject this figure ("kind", "time", "place", …): features for a learned reader
    flags: set[str] = field(default_factory=set)
    date: str | None = None  # for a date answer: "2019", "2019-07" or "2019-07-02"
    change_cue: bool = False  # the question's change verb ("tăng") leads to this figure

    @property
    def start(self) -> int:
        return self.sentence_start + self.quantity.start

    @property
    def end(self) -> int:
        return self.sentence_start + self.quantity.end

    @property
    def noun_head(self) -> tuple[str, ...]:
        """The first two words of what the figure counts, folded: "tài khoản" for both
        "75,7 triệu tài khoản VNeID" and "53,62 triệu tài khoản định danh điện tử"."""
        return tuple(tokens(self.quantity.noun or "")[:2])

    @property
    def measure(self) -> tuple[str, str]:
        """What is measured, coarsely: kind and the folded unit head."""
        unit = normalize_folded(self.quantity.unit or "")
        return self.quantity.kind, unit


@dataclass(frozen=True)
class _SentenceMatch:
    """What scoring a figure needs of its sentence for one question, the same for every figure
    of the sentence: computed once per sentence (``AnswerPicker._sentence_facts``)."""

    text: str  # one string for all its figures: the caches keyed by it hash it once
    scope_places: frozenset[str]
    local: bool
    total: float  # the question terms' total weight
    coverage: float
    code_conflict: tuple[str, str] | None
    semantic: float | None  # similarity of the sentence and the question (None: no vectors)
    # for each question term in weight order: (weight, its matching occurrences as
    # (word position, character offset))
    occurrences: tuple[tuple[float, tuple[tuple[int, int], ...]], ...]


@dataclass
class AnswerChoice:
    answer: Candidate
    older: list[Candidate] = field(default_factory=list)
    considered: int = 0
    confidence: float | None = None  # the reader's probability that ``answer`` is right


class CorpusStats:
    """What the picker knows of the whole corpus: sentence document frequencies (IDF), the
    places each article is about, and the abbreviations articles define. Updated one document at
    a time as the corpus changes, so a write never re-reads the corpus."""

    def __init__(self):
        self.df: Counter[str] = Counter()
        self.n_sentences = 0
        self.focus: dict[str, frozenset[str]] = {}
        self.aliases: dict[str, tuple[str, ...]] = learn_aliases([])
        self._idf: dict[str, float] = {}

    @classmethod
    def of(cls, index) -> "CorpusStats":
        stats = cls()
        spans: dict[str, list[tuple[int, int]]] = {}
        for entry in index.sentences:
            if entry is not None:
                spans.setdefault(entry[0], []).append((entry[1], entry[2]))
        for doc_id, doc in index.documents.items():
            stats.add(doc, spans.get(doc_id, []))
        return stats

    def save(self, path, generation: int) -> None:
        """Write the statistics of the corpus at ``generation`` (atomically: temp file, rename)."""
        import gzip
        import json
        import os

        body = {"generation": generation, "lexicon": lexicon_fingerprint(), "n_sentences": self.n_sentences,
                "df": {t: f for t, f in self.df.items() if f > 0},
                "focus": {d: sorted(p) for d, p in self.focus.items() if p}, "aliases": self.aliases}
        tmp = f"{path}.tmp-{os.getpid()}"
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path, generation: int, documents) -> "CorpusStats | None":
        """The statistics saved for exactly this ``generation`` and lexicon, else None."""
        import gzip
        import json

        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                body = json.load(f)
        except (OSError, ValueError):
            return None
        if body.get("generation") != generation or body.get("lexicon") != lexicon_fingerprint():
            return None
        stats = cls()
        stats.df = Counter(body["df"])
        stats.n_sentences = body["n_sentences"]
        stats.focus = {d: frozenset(body["focus"].get(d, ())) for d in documents}
        stats.aliases = {k: tuple(v) for k, v in body["aliases"].items()}
        return stats

    def add(self, doc, sentence_spans) -> None:
        for s, e in sentence_spans:
            self.df.update(set(tokens(doc.text[s:e])))
        self.n_sentences += len(sentence_spans)
        self.focus[doc.doc_id] = AnswerPicker.focus_places(doc)
        # only what this article defines: the standard abbreviations stay as earlier articles left them
        self.aliases.update((k, v) for k, v in learn_aliases([doc.text]).items() if STANDARD_ALIASES.get(k) != v)
        self._idf.clear()

    def remove(self, doc, sentence_spans) -> None:
        """Forget a document's frequencies (an abbreviation it taught stays: harmless)."""
        for s, e in sentence_spans:
            self.df.subtract(set(tokens(doc.text[s:e])))
        self.n_sentences -= len(sentence_spans)
        self.focus.pop(doc.doc_id, None)
        self._idf.clear()

    def idf(self, term: str) -> float:
        """Rarer terms weigh more; a term the corpus never uses weighs the most."""
        value = self._idf.get(term)
        if value is None:
            n, f = max(1, self.n_sentences), max(0, self.df.get(term, 0))
            value = self._idf[term] = math.log(1 + (n - f + 0.5) / (f + 0.5))
        return value


_CHANGE_VERBS_TONED = {"tang": "tăng", "giam": "giảm"}  # QuestionProfile.change_verb, with its marks


def change_verb_leads(profile: QuestionProfile, sentence: str, start: int, end: int) -> bool:
    """Is the question's change verb ("tăng bao nhiêu") in ``sentence[start:end]``, the text that
    leads to a figure? Matched with its marks when the question and the sentence both have them
    ("tầng", "tặng" are no "tăng"), folded otherwise."""
    if not profile.change_verb:
        return False
    if has_tone_marks(profile.text) and has_tone_marks(sentence):
        return whole_word(_CHANGE_VERBS_TONED[profile.change_verb]).search(normalize(sentence[start:end])) is not None
    return whole_word(profile.change_verb).search(normalize_folded(sentence[start:end])) is not None


class AnswerPicker:
    """Holds corpus statistics (IDF, paragraph scopes) and scores candidates for a question."""

    def __init__(self, index, stats: CorpusStats | None = None):
        self.index = index
        self._sentence_tokens: dict[int, list[Token]] = {}
        self.stats = stats if stats is not None else CorpusStats.of(index)

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        return self.stats.aliases

    def rebind(self, index, changed: list[str]) -> None:
        """Follow a write: the documents ``changed`` (added, replaced or deleted) between
        ``self.index`` and ``index``, whose positions of unchanged text are the same."""
        old = self.index
        for doc_id in changed:
            before = old.documents.get(doc_id)
            if before is not None:
                self.stats.remove(before, [old.sentences[p][1:] for p in old.doc_sentences.get(doc_id, [])])
            after = index.documents.get(doc_id)
            if after is not None:
                self.stats.add(after, [index.sentences[p][1:] for p in index.doc_sentences.get(doc_id, [])])
        self.index = index
        self._sentence_tokens = {}
        # keyed by document, not position; or read with the abbreviations, which may have changed
        for cached in (AnswerPicker._paragraph_tokens, AnswerPicker._scope, AnswerPicker._spans,
                       AnswerPicker._token_bounds):
            cached.cache_clear()

    # -- corpus helpers -------------------------------------------------------------------
    def idf(self, term: str) -> float:
        return self.stats.idf(term)

    @staticmethod
    def focus_places(doc) -> frozenset[str]:
        """Provinces an article is *about*: named in its title or lead, and the article speaks of
        "the province/city" more than of the nation (national reports name provinces in passing,
        e.g. a video-conference location)."""
        lead = doc.title + " " + " ".join(doc.text[s:e] for s, e in doc.content_spans[:3])
        named = places_in(lead)
        local = len(re.findall(r"(?i)(?:toàn|của|địa bàn|UBND|ủy ban nhân dân) (?:tỉnh|thành phố)", doc.text))
        national = len(re.findall(r"(?i)quốc gia|cả nước|toàn quốc|Chính phủ", doc.text))
        return frozenset(named) if named and local >= 3 and local > national else frozenset()

    def paragraph_span(self, doc_id: str, start: int) -> tuple[int, int]:
        """The content line (paragraph) holding offset ``start``."""
        for s, e in self.index.documents[doc_id].content_spans:
            if s <= start < e:
                return s, e
        return start, start

    @lru_cache(maxsize=8192)
    def _paragraph_tokens(self, doc_id: str, para_start: int, para_end: int) -> list[Token]:
        """Tokens of a paragraph and of its article's title, each (form, accent) once: the same
        for every sentence of the paragraph, so read once per paragraph."""
        doc = self.index.documents[doc_id]
        text = doc.text[para_start:para_end] + " " + doc.title
        return list(dict.fromkeys((t, 0, 0, acc) for t, _, _, acc in token_spans(text, self.aliases)))

    @lru_cache(maxsize=8192)
    def _scope(self, doc_id: str, sentence_start: int, sentence_end: int) -> tuple[frozenset[str], bool]:
        """Places a sentence's figures are about, and whether they are local (not national).

        The place is named in the sentence, earlier in its paragraph, or is what the whole
        article is about; a place named *after* the sentence belongs to something else.
        """
        doc = self.index.documents[doc_id]
        para_start, _ = self.paragraph_span(doc_id, sentence_start)
        before = doc.text[para_start:sentence_start]
        sentence = doc.text[sentence_start:sentence_end]
        focus = self.stats.focus.get(doc_id, frozenset())
        places = frozenset(places_in(sentence) | places_in(before)) | focus
        context = before + " " + sentence
        local = bool(focus) or ((bool(places_in(context)) or mentions_local(context))
                                and not mentions_national(context))
        return places, local

    @lru_cache(maxsize=8192)
    def quantities(self, sentence_id: int) -> tuple[Quantity, ...]:
        doc_id, s, e = self.index.sentences[sentence_id]
        return sentence_quantities(self.index.documents[doc_id].text[s:e])

    def _terms(self, text: str, accents: dict[str, frozenset[str]]) -> set[str]:
        return term_set(self._spans(text), accents)

    @lru_cache(maxsize=16384)
    def _spans(self, text: str) -> list[Token]:
        """``token_spans`` of a short text (a figure's noun, its clause and label) with the
        corpus's abbreviations: the same nouns come back for question after question."""
        return token_spans(text, self.aliases)

    def _tokens_of(self, sentence_id: int) -> list[Token]:
        if sentence_id not in self._sentence_tokens:
            doc_id, s, e = self.index.sentences[sentence_id]
            self._sentence_tokens[sentence_id] = token_spans(self.index.documents[doc_id].text[s:e], self.aliases)
        return self._sentence_tokens[sentence_id]

    @lru_cache(maxsize=8192)
    def _token_index(self, sentence_id: int) -> dict[str, tuple[int, ...]]:
        """Folded token → its positions in the sentence's token list (proximity looks up only
        the question's terms instead of scanning every token for each)."""
        out: dict[str, list[int]] = {}
        for i, (tok, _, _, _) in enumerate(self._tokens_of(sentence_id)):
            out.setdefault(tok, []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    @lru_cache(maxsize=8192)
    def _word_index_of(self, sentence_id: int) -> list[int]:
        """Word positions of the sentence's tokens (see ``_word_positions``), once per sentence."""
        doc_id, s, e = self.index.sentences[sentence_id]
        return _word_positions(self._tokens_of(sentence_id), asides(self.index.documents[doc_id].text[s:e]))

    # -- scoring --------------------------------------------------------------------------
    def candidates(self, hit_chunk_ids: list[int], with_dates: bool = False) -> list[Candidate]:
        """Every figure of the passages' sentences; with ``with_dates``, their dates too (for
        when-questions), each resolved against its article's publication date."""
        seen: set[tuple[int, int]] = set()
        out = []
        for rank, chunk_id in enumerate(hit_chunk_ids):
            for sid in self.index.chunk_sentences[chunk_id]:
                doc_id, s, e = self.index.sentences[sid]
                published = self.index.documents[doc_id].published
                found = [(q, None) for q in self.quantities(sid)] + (list(self.date_quantities(sid)) if with_dates else [])
                for q, date in found:
                    if (sid, q.start) in seen:
                        continue
                    seen.add((sid, q.start))
                    out.append(Candidate(q, doc_id, sid, s, e, rank, published=published, date=date))
        return out

    @lru_cache(maxsize=8192)
    def date_quantities(self, sentence_id: int) -> tuple[tuple[Quantity, str], ...]:
        """The sentence's dates and periods with a known year, as ``kind="date"`` figures whose
        value is the year, each with its ISO form ("2019", "2019-07", "2019-07-02")."""
        from qa.read.context import times_in

        doc_id, s, e = self.index.sentences[sentence_id]
        doc = self.index.documents[doc_id]
        out = []
        for m in times_in(doc.text[s:e], doc.published):
            p = m.period
            if p.start is None:
                continue
            iso = (p.start.isoformat() if p.granularity == "day" else
                   p.start.isoformat()[:7] if p.granularity == "month" else str(p.start.year))
            out.append((Quantity(text=m.text, start=m.start, end=m.end, number_text=m.text, value=float(p.start.year),
                                 kind="date", unit=None, noun=None, qualifier=None, denominator=None, currency=None),
                        iso))
        return tuple(out)

    def _sentence_facts(self, c: Candidate, profile: QuestionProfile, qvec: np.ndarray | None,
                        memo: dict) -> "_SentenceMatch":
        """What scoring needs of a candidate's sentence for this question (see
        :class:`_SentenceMatch`), computed for its first figure and kept in ``memo`` for the others."""
        key = ("facts", c.sentence_id)
        facts = memo.get(key)
        if facts is not None:
            return facts
        scope_places, local = self._scope(c.doc_id, c.sentence_start, c.sentence_end)
        if "weights" not in memo:
            memo["weights"] = {t: self.idf(t) for t in profile.terms}
        weights = memo["weights"]
        if profile.places & scope_places:
            # the place is checked by scope below (the article may be about it without naming
            # it in every sentence); its words are not topic words to find near the figure
            place_words = {w for p in profile.places & scope_places for w in p.split()}
            weights = {t: w for t, w in weights.items() if t not in place_words} or weights
        total = sum(weights.values()) or 1.0
        sent_tokens = self._tokens_of(c.sentence_id)
        sentence_terms = term_set(sent_tokens, profile.accents)
        wider_terms: set[str] = set()  # consulted only for a term the sentence lacks
        if any(t not in sentence_terms for t in weights):
            para_start, para_end = self.paragraph_span(c.doc_id, c.sentence_start)
            key_wider = ("wider", c.doc_id, para_start, para_end)  # the same for every sentence of a paragraph
            if key_wider not in memo:
                memo[key_wider] = term_set(self._paragraph_tokens(c.doc_id, para_start, para_end), profile.accents)
            wider_terms = memo[key_wider]
        coverage = sum(
            w * (1.0 if t in sentence_terms else 0.6 if t in wider_terms else 0.0) for t, w in weights.items()
        ) / total
        semantic = None
        if qvec is not None and len(self.index.sentence_vectors):
            semantic = float(np.dot(self.index.sentence_vectors[c.sentence_id], qvec))
        # each question term's occurrences in the sentence, as (word position, character offset)
        word_index = self._word_index_of(c.sentence_id)
        where_is = self._token_index(c.sentence_id)
        occurrences = tuple(
            (w, tuple((word_index[i], sent_tokens[i][1]) for i in where_is.get(t, ())
                      if matches(t, sent_tokens[i], profile.accents)))
            for t, w in weights.items())
        doc = self.index.documents[c.doc_id]
        facts = memo[key] = _SentenceMatch(doc.text[c.sentence_start:c.sentence_end], scope_places, local, total,
                                           coverage, self._code_conflict(profile.terms, sentence_terms),
                                           semantic, occurrences)
        return facts

    def _figure_words(self, c: Candidate) -> tuple[int, int]:
        """The first and last word position of the tokens the figure spans ((0, 0): none).

        A sentence's tokens are in text order and do not overlap (an abbreviation's long-form
        words share its span), so the tokens that overlap the figure are one run: found by
        bisection instead of a scan of the whole sentence for every figure."""
        starts, ends = self._token_bounds(c.sentence_id)
        first = bisect_right(ends, c.quantity.start)  # the first token ending after the figure starts
        last = bisect_left(starts, c.quantity.end) - 1  # the last token starting before it ends
        if first > last:
            return 0, 0
        word_index = self._word_index_of(c.sentence_id)
        return word_index[first], word_index[last]

    @lru_cache(maxsize=8192)
    def _token_bounds(self, sentence_id: int) -> tuple[list[int], list[int]]:
        """The start and end offsets of the sentence's tokens (both in ascending order)."""
        spans = self._tokens_of(sentence_id)
        return [s for _, s, _, _ in spans], [e for _, _, e, _ in spans]

    def _score(self, c: Candidate, profile: QuestionProfile, qvec: np.ndarray | None,
               memo: dict | None = None) -> None:
        """Score one figure. ``memo`` holds what is the same for every figure of one question
        (term weights, each sentence's coverage, similarity and question-term positions), so
        that a sentence with ten figures is read once."""
        memo = {} if memo is None else memo
        facts = self._sentence_facts(c, profile, qvec, memo)
        scope_places, local = facts.scope_places, facts.local
        c.coverage = facts.coverage

        conflict = facts.code_conflict
        if conflict:
            c.flags.add("code")
            c.rejected = f"the question asks about {conflict[0]}, this figure is about {conflict[1]}"

        # proximity: each question term's nearest occurrence to the figure, decayed by distance,
        # worth most in the figure's own clause (see qa.read.clauses)
        sentence_text = facts.text
        q_start, q_end = c.quantity.start, c.quantity.end
        clause = figure_clause(sentence_text, q_start, q_end)
        lo, hi = self._figure_words(c)

        def where(s: int) -> str:
            if clause.own[0] <= s < clause.own[1]:
                return "own"
            if clause.label and clause.label[0] <= s < clause.label[1]:
                return "label"
            return "other"

        prox = 0.0
        for w, found in facts.occurrences:
            best = 0.0
            for i, s in found:
                # words right after the figure name what it counts: one step closer
                dist = 0 if lo <= i <= hi else lo - i if i < lo else max(0, i - hi - 1)
                best = max(best, _proximity_credit(dist, where(s)))
            prox += w * best
        c.proximity = prox / facts.total

        if facts.semantic is not None:
            c.semantic = facts.semantic

        kind = c.quantity.kind
        if profile.expected_kind == "duration" and is_duration(c.quantity):
            kind = "duration"
        if profile.expected_kind:
            c.kind_bonus = 0.15 if kind == profile.expected_kind else -0.25
            if kind != profile.expected_kind and kind not in _NEAR_KINDS.get(profile.expected_kind, ()):
                c.flags.add("kind")
                c.rejected = f"the question asks for a {profile.expected_kind} figure, this is a {kind}"
        elif kind == "percent":
            c.kind_bonus = -0.2 if profile.target else -0.05  # "bao nhiêu xã" asks for a count
        asked_iso = _ISO_CURRENCY.get(profile.currency or "", profile.currency)
        if asked_iso and kind == "money" and c.quantity.currency and c.quantity.currency != asked_iso:
            c.flags.add("currency")
            c.rejected = f"the question asks for an amount in {profile.currency}, this is in {c.quantity.unit}"

        # the counted noun: "bao nhiêu <bộ, ngành>" against what the figure counts
        if profile.target:
            label = sentence_text[slice(*clause.label)] if clause.label else ""
            if c.quantity.noun:
                named = c.quantity.noun + " " + (label if clause.label_kind == "parent" else "")
                c.target_match = target_match(profile.target, self._terms(named, profile.accents))
            else:
                # a figure without a noun of its own ("38,3%", "5/21") counts what its clause
                # and label speak of: weaker evidence than a noun right after the figure
                named = sentence_text[slice(*clause.own)] + " " + label
                c.target_match = 0.5 * target_match(profile.target, self._terms(named, profile.accents))
        if profile.target and not profile.expected_kind and kind in ("percent", "rate") and c.target_match == 0:
            c.flags.add("other_share")
            c.rejected = "the question counts something, this is a share or density of something else"
        if (profile.target and not profile.expected_kind and kind == "count" and c.quantity.noun
                and c.target_match == 0 and c.semantic < PARAPHRASE_SEMANTIC
                and not _MEASURE_UNITS & set(tokens(c.quantity.noun)[:1])):
            c.flags.add("other_noun")
            c.rejected = "the figure counts something else than the question"
        if profile.change_verb:
            # "tăng bao nhiêu": the figure the verb leads to, with no other figure in between
            previous = max([q.end for q in self.quantities(c.sentence_id) if q.end <= q_start] + [clause.own[0]])
            if change_verb_leads(profile, sentence_text, previous, q_start):
                c.kind_bonus += 0.25
                c.change_cue = True

        if profile.places:
            if not profile.places & scope_places:
                c.flags.add("place")
                c.rejected = "the question's place is not what this figure is about"
        elif local:
            c.scope_penalty = 0.3 if profile.national else 0.2
        c.local = local
        c.time_bonus, time_conflict = self._time_match(c, profile, sentence_text)
        if time_conflict:
            c.flags.add("time")
        if time_conflict and c.rejected is None:
            c.rejected = "the figure is for another time than the question asks"

        semantic = min(1.0, max(0.0, (c.semantic - 0.75) / 0.2))
        c.score = (0.35 * semantic + 0.4 * c.proximity + 0.25 * c.coverage + 0.3 * c.target_match
                   + 0.1 / (1 + c.chunk_rank) + c.kind_bonus + c.time_bonus - c.scope_penalty)
        # Off-topic unless the question's words are around the figure, or the sentence says the
        # same thing in other words (a paraphrase) and the counted noun is not contradicted.
        paraphrase = c.semantic >= PARAPHRASE_SEMANTIC and c.coverage >= MIN_COVERAGE / 2
        if c.coverage < MIN_COVERAGE and not paraphrase:
            c.flags.add("offtopic")
        if c.rejected is None and c.coverage < MIN_COVERAGE and not paraphrase:
            c.rejected = "the question's key terms are missing around this figure"

    @staticmethod
    def _code_conflict(terms: tuple[str, ...], sentence_terms: set[str]) -> tuple[str, str] | None:
        """A code of the question ("5g") missing from the sentence, which has the same code with
        other digits ("4g"): the sentence is about something else."""
        for t in terms:
            if _CODE.fullmatch(t) and t not in sentence_terms:
                shape = re.sub(r"\d+", "#", t)
                other = next((w for w in sentence_terms if _CODE.fullmatch(w) and re.sub(r"\d+", "#", w) == shape), None)
                if other:
                    return t, other
        return None

    def _figure_time(self, c: Candidate, sentence_text: str) -> tuple[int, int] | None:
        """The years a figure is about, from the dated phrase before it in its sentence.

        "năm 2021, 2022 lần lượt là 11,91%, 14,26%" maps the years to the figures in order;
        "từ năm 2021 đến năm 2023, … 117 tỷ đồng" is the range 2021–2023.
        """
        dates = [d for d in find_dates(sentence_text) if d.year and d.end <= c.quantity.start]
        if not dates:
            return None
        last = dates[-1]
        # a run of years "năm 2021, 2022" followed by "lần lượt" (respectively)
        run = [last]
        for d in reversed(dates[:-1]):
            if re.fullmatch(r"\s*(?:,|và|-)?\s*", sentence_text[d.end:run[0].start]):
                run.insert(0, d)
            else:
                break
        if len(run) > 1 and "lần lượt" in sentence_text[last.end:c.quantity.start]:
            # the figures "respectively" maps the years to: up to the next date in the sentence
            # ("năm 2021, 2022 lần lượt là 11,91%, 14,26%, năm 2023 ước đạt 16,5%")
            nxt = next((d.start for d in find_dates(sentence_text) if d.start > c.quantity.start), len(sentence_text))
            same_kind = [q for q in self.quantities(c.sentence_id)
                         if q.kind == c.quantity.kind and last.end < q.start < nxt]
            if len(same_kind) == len(run):
                year = run[[q.start for q in same_kind].index(c.quantity.start)].year
                return year, year
        for r in _YEAR_RANGE.finditer(sentence_text, 0, c.quantity.start):
            if r.start() <= last.start < r.end():  # "từ năm 2021 đến năm 2023": a range
                return int(r.group(1)), int(r.group(2))
        return last.year, last.year

    def _carried_date(self, c: Candidate, sentence_text: str):
        """The last date of the paragraph before a sentence that continues it ("Trong đó, …",
        "Cụ thể, …"): such a sentence speaks of the same period."""
        if not _CONTINUES.match(sentence_text):
            return None
        para_start, _ = self.paragraph_span(c.doc_id, c.sentence_start)
        earlier = find_dates(self.index.documents[c.doc_id].text[para_start:c.sentence_start])
        return earlier[-1] if earlier else None

    def _time_match(self, c: Candidate, profile: QuestionProfile, sentence_text: str) -> tuple[float, bool]:
        """(bonus, conflict): whether the figure's time fits the time the question names.

        The figure's time is the dated phrase before it in its sentence, else the year the
        article was published. A question that names a year is never answered with a figure
        that is explicitly for another year.
        """
        if not profile.dates:
            return 0.0, False
        span = self._figure_time(c, sentence_text)
        carried = self._carried_date(c, sentence_text) if span is None else None
        if carried is not None and carried.year:
            span = (carried.year, carried.year)
        years = profile.years
        if span is not None:
            lo, hi = span
            if years and any(lo == y == hi for y in years):
                return 0.2, False
            if years and any(lo <= y <= hi for y in years):
                return -0.1, False  # a cumulative figure over several years, not that year's
            if years:
                return 0.0, True
        # same kind of period ("6 tháng đầu năm" in both) without a year in the sentence
        before = [d for d in find_dates(sentence_text) if d.end <= c.quantity.start] or ([carried] if carried else [])
        if before and any(d.granularity == before[-1].granularity for d in profile.dates):
            return 0.2, False
        if years and c.published:
            # an undated figure is as of the article's date; a report from January–March may
            # still be describing the year before
            year, month = int(c.published[:4]), int(c.published[5:7])
            if year in years:
                return 0.05, False
            return 0.0, not (month <= 3 and year - 1 in years)
        return 0.0, False

    @staticmethod
    def _same_thing(c: Candidate, best: Candidate, profile: QuestionProfile) -> bool:
        """Whether ``c`` (from another article) counts what ``best`` counts: the same kind of
        figure at the same scope (national or local), matching the question's counted noun if it
        names one, with the same noun head, or both naming the noun the question counts, or
        (not for percentages) the same unit."""
        if c.quantity.kind != best.quantity.kind or c.local != best.local:
            return False
        if profile.target and c.target_match == 0:
            return False
        if c.noun_head and best.noun_head:
            return c.noun_head == best.noun_head or (c.target_match >= 0.5 and best.target_match >= 0.5)
        return (c.target_match >= 0.5 and best.target_match >= 0.5) or (
            c.quantity.kind != "percent" and c.measure == best.measure)

    @classmethod
    def same_thing_elsewhere(cls, viable: list[Candidate], profile: QuestionProfile) -> Iterator[Candidate]:
        """Each other article's best figure (``viable`` is sorted best first), when it counts what
        the best figure counts (:meth:`_same_thing`): the figures an article can join the best
        figure's measure with."""
        seen = {viable[0].doc_id}
        for c in viable[1:]:
            if c.doc_id not in seen:
                seen.add(c.doc_id)
                if cls._same_thing(c, viable[0], profile):
                    yield c

    @classmethod
    def _same_measure(cls, c: Candidate, best: Candidate, profile: QuestionProfile) -> bool:
        """The rule reader's test that ``c`` reports what ``best`` reports, at another date: the
        same thing (:meth:`_same_thing`), scoring and matching the question nearly as closely."""
        return (cls._same_thing(c, best, profile) and c.score >= GROUP_RATIO * best.score
                and c.coverage >= best.coverage - GROUP_COVERAGE_SLACK
                and c.proximity >= GROUP_PROXIMITY_RATIO * best.proximity)

    def _spell_out(self, profile: QuestionProfile) -> QuestionProfile:
        """A question's abbreviations stand for their long forms ("BHXH" → "bảo hiểm xã hội"),
        which is how most sentences say it."""
        def expand(words: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(w for t in words for w in self.aliases.get(t, (t,))))
        return replace(profile, terms=expand(profile.terms), target=expand(profile.target))

    def scored_candidates(self, question: str, hit_chunk_ids: list[int],
                          qvec: np.ndarray | None) -> tuple[QuestionProfile, list[Candidate]] | None:
        """Every figure of the passages, scored by the rules; ``None`` for a non-figure question."""
        profile = self._spell_out(profile_question(question))
        if not profile.is_quantity or not profile.terms:
            return None
        cands = self.candidates(hit_chunk_ids, with_dates=profile.expected_kind == "date")
        memo: dict = {}
        for c in cands:
            self._score(c, profile, qvec, memo)
        return profile, cands

    def pick(self, question: str, hit_chunk_ids: list[int], qvec: np.ndarray | None) -> AnswerChoice | None:
        """The answer and older figures for the same measure, or None to abstain."""
        scored = self.scored_candidates(question, hit_chunk_ids, qvec)
        if scored is None:
            return None
        profile, cands = scored
        viable = sorted((c for c in cands if c.rejected is None), key=lambda c: -c.score)
        if not viable:
            return None
        return self.newest_of_measure(viable, profile, considered=len(cands))

    def newest_of_measure(self, viable: list[Candidate], profile: QuestionProfile,
                          considered: int = 0) -> AnswerChoice:
        """The rule reader's measure across articles: the newest article's figure answers (or the
        one for the time the question names) and the others are listed as older figures.
        ``viable`` is sorted best first. Another article's figure is the same measure when
        :meth:`_same_measure` says so, which compares scores with hand-set ratios. (The learned
        reader judges the measure by its answer model: ``qa.read.learned.measure_across_articles``.)"""
        best = viable[0]
        if best.quantity.kind == "date":
            return AnswerChoice(answer=best, older=[], considered=considered)
        # One figure per article, its best.
        group: dict[str, Candidate] = {best.doc_id: best}
        for c in viable[1:]:
            if c.doc_id not in group and self._same_measure(c, best, profile):
                group[c.doc_id] = c
        if profile.years:
            # the question names a time: the figure for that time answers, not the newest one
            ordered = sorted(group.values(), key=lambda c: (c.time_bonus, c.score), reverse=True)
            answer = ordered[0]
            older = sorted(ordered[1:], key=lambda c: c.published or "", reverse=True)
        elif best.published is None:
            # an undated article cannot be placed in time: its figure stands if it matches best
            answer = best
            older = sorted((c for c in group.values() if c is not best), key=lambda c: c.published or "", reverse=True)
        else:
            ordered = sorted(group.values(), key=lambda c: (c.published or "", c.score), reverse=True)
            answer, older = ordered[0], ordered[1:]
        return AnswerChoice(answer=answer, older=older, considered=considered)
