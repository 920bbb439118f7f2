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
article's figure is the answer and the others are returned as older figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .index_store import LoadedIndex
from .numbers import Quantity, find_quantities
from .places import mentions_local, mentions_national, places_in
from .textnorm import has_tone_marks, normalize_folded

_TOKEN = re.compile(r"[^\W_]+(?:[.,/]\d+)*%?", re.UNICODE)

# Folded cue phrases; a question with any of them asks for a figure.
QUANTITY_CUES = (
    "bao nhieu", "ty le", "ti le", "phan tram", "so luong", "tong so", "la bao", "dat bao",
    "doanh thu", "kinh phi", "muc do", "mat do", "ty trong", "toc do tang", "bao lau",
)
KIND_CUES = {
    "percent": ("ty le", "ti le", "phan tram", "%", "ty trong", "toc do tang", "chiem"),
    "money": ("tien", "dong", "usd", "do la", "doanh thu", "kinh phi", "ngan sach", "thu thue",
              "tiet kiem", "von", "chi phi"),
    "rate": ("mat do", "/100", "tren 100"),
}
# Question words and fillers: they say "a number, please", not which number.
STOPWORDS = frozenset(normalize_folded(w) for w in """
    bao nhiêu mấy gì nào là có không được của và thì ạ vậy hiện nay cho biết hãy tính đến
    đã đang sẽ các những một này đó theo về ở tại trong với cho bởi người hỏi
    """.split())

MIN_COVERAGE = 0.55  # below this share of the question's weight, the candidate is off-topic
GROUP_MARGIN = 0.12  # candidates this close to the best, same kind and unit: the same measure
PROXIMITY_DECAY = 6.0  # tokens


def tokens(text: str) -> list[str]:
    """Folded, lower-case syllables and whole numbers: the unit of term matching here."""
    return _TOKEN.findall(normalize_folded(text))


def token_spans(text: str) -> list[tuple[str, int, int]]:
    folded = normalize_folded(text)
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


@dataclass(frozen=True)
class QuestionProfile:
    text: str
    terms: tuple[str, ...]
    is_quantity: bool
    expected_kind: str | None
    places: frozenset[str]
    national: bool


def profile_question(question: str) -> QuestionProfile:
    """What the question asks for: a figure? of what kind? about where?"""
    folded = normalize_folded(question)
    words = set(folded.split())
    is_quantity = any(cue in folded for cue in QUANTITY_CUES)
    # "mấy" asks for a count; folded it is "may", which is also "máy" (machine), so only trust
    # the folded form when the question carries no tone marks at all.
    if re.search(r"(?<!\w)mấy(?!\w)", question.lower()) or ("may" in words and not has_tone_marks(question)):
        is_quantity = True
    expected = None
    for kind, cues in KIND_CUES.items():
        if any(re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", folded) for c in cues):
            expected = kind
            break
    terms = tuple(dict.fromkeys(t for t in tokens(question) if t not in STOPWORDS))
    return QuestionProfile(
        text=question, terms=terms, is_quantity=is_quantity, expected_kind=expected,
        places=frozenset(places_in(question)), national=mentions_national(question),
    )


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
    scope_penalty: float = 0.0
    score: float = 0.0
    rejected: str | None = None
    published: str | None = None

    @property
    def start(self) -> int:
        return self.sentence_start + self.quantity.start

    @property
    def end(self) -> int:
        return self.sentence_start + self.quantity.end

    @property
    def measure(self) -> tuple[str, str]:
        """What is measured, coarsely: kind and the folded unit head."""
        unit = normalize_folded(self.quantity.unit or "")
        return self.quantity.kind, unit


@dataclass
class AnswerChoice:
    answer: Candidate
    older: list[Candidate] = field(default_factory=list)
    considered: int = 0


class AnswerPicker:
    """Holds corpus statistics (IDF, paragraph scopes) and scores candidates for a question."""

    def __init__(self, index: LoadedIndex):
        self.index = index
        self._sentence_tokens: dict[int, list[tuple[str, int, int]]] = {}
        df: Counter[str] = Counter()
        for doc_id, s, e in index.sentences:
            df.update(set(tokens(index.documents[doc_id].text[s:e])))
        n = max(1, len(index.sentences))
        self._n_sentences = n
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        self._doc_focus = {doc_id: self._focus_places(doc) for doc_id, doc in index.documents.items()}

    # -- corpus helpers -------------------------------------------------------------------
    def idf(self, term: str) -> float:
        """Rarer terms weigh more; a term the corpus never uses weighs the most."""
        return self._idf.get(term, self._max_idf)

    @staticmethod
    def _focus_places(doc) -> frozenset[str]:
        """Provinces an article is *about*: named in its title or lead and spoken of as "the
        province/city" throughout (national reports only name provinces in passing)."""
        lead = doc.title + " " + " ".join(doc.text[s:e] for s, e in doc.content_spans[:3])
        named = places_in(lead)
        local_mentions = len(re.findall(r"(?:toàn|của|địa bàn|UBND) (?:tỉnh|thành phố)", doc.text))
        return frozenset(named) if named and local_mentions >= 3 else frozenset()

    def paragraph(self, doc_id: str, start: int) -> str:
        doc = self.index.documents[doc_id]
        for s, e in doc.content_spans:
            if s <= start < e:
                return doc.text[s:e]
        return ""

    @lru_cache(maxsize=4096)
    def quantities(self, sentence_id: int) -> tuple[Quantity, ...]:
        doc_id, s, e = self.index.sentences[sentence_id]
        return tuple(find_quantities(self.index.documents[doc_id].text[s:e]))

    def _tokens_of(self, sentence_id: int) -> list[tuple[str, int, int]]:
        if sentence_id not in self._sentence_tokens:
            doc_id, s, e = self.index.sentences[sentence_id]
            self._sentence_tokens[sentence_id] = token_spans(self.index.documents[doc_id].text[s:e])
        return self._sentence_tokens[sentence_id]

    # -- scoring --------------------------------------------------------------------------
    def candidates(self, hit_chunk_ids: list[int]) -> list[Candidate]:
        seen: set[tuple[int, int]] = set()
        out = []
        for rank, chunk_id in enumerate(hit_chunk_ids):
            for sid in self.index.chunk_sentences[chunk_id]:
                doc_id, s, e = self.index.sentences[sid]
                for q in self.quantities(sid):
                    if (sid, q.start) in seen:
                        continue
                    seen.add((sid, q.start))
                    out.append(Candidate(q, doc_id, sid, s, e, rank,
                                         published=self.index.documents[doc_id].published))
        return out

    def _score(self, c: Candidate, profile: QuestionProfile, qvec: np.ndarray | None) -> None:
        weights = {t: self.idf(t) for t in profile.terms}
        total = sum(weights.values()) or 1.0
        sent_tokens = self._tokens_of(c.sentence_id)
        sentence_terms = {t for t, _, _ in sent_tokens}
        doc = self.index.documents[c.doc_id]
        para = self.paragraph(c.doc_id, c.sentence_start)
        wider_terms = set(tokens(para)) | set(tokens(doc.title))
        c.coverage = sum(
            w * (1.0 if t in sentence_terms else 0.6 if t in wider_terms else 0.0) for t, w in weights.items()
        ) / total

        # proximity: each question term's nearest occurrence to the figure, decayed by distance
        q_start, q_end = c.quantity.start, c.quantity.end
        positions = [i for i, (_, s, e) in enumerate(sent_tokens) if s < q_end and e > q_start]
        lo, hi = (min(positions), max(positions)) if positions else (0, 0)
        prox = 0.0
        for t, w in weights.items():
            best = 0.0
            for i, (tok, _, _) in enumerate(sent_tokens):
                if tok == t:
                    dist = 0 if lo <= i <= hi else (lo - i if i < lo else i - hi)
                    # words after the figure name what it counts: count them as closer
                    if i > hi:
                        dist = max(0, dist - 1)
                    best = max(best, math.exp(-dist / PROXIMITY_DECAY))
            prox += w * best
        c.proximity = prox / total

        if qvec is not None and len(self.index.sentence_vectors):
            c.semantic = float(np.dot(self.index.sentence_vectors[c.sentence_id], qvec))

        kind = c.quantity.kind
        if profile.expected_kind:
            c.kind_bonus = 0.15 if kind == profile.expected_kind else -0.25
        elif kind == "percent" and not profile.expected_kind:
            c.kind_bonus = -0.05

        scope_places = places_in(para) | self._doc_focus[c.doc_id]
        local = bool(scope_places) and not (mentions_national(para) and not self._doc_focus[c.doc_id])
        local = local or (mentions_local(para) and not mentions_national(para))
        if profile.places:
            sentence_text = doc.text[c.sentence_start:c.sentence_end]
            if not (profile.places & (scope_places | places_in(sentence_text))):
                c.rejected = "the question's place is not what this passage is about"
        elif local:
            c.scope_penalty = 0.3 if profile.national else 0.2

        semantic = min(1.0, max(0.0, (c.semantic - 0.75) / 0.2))
        c.score = (0.35 * semantic + 0.4 * c.proximity + 0.25 * c.coverage
                   + 0.1 / (1 + c.chunk_rank) + c.kind_bonus - c.scope_penalty)
        if c.rejected is None and c.coverage < MIN_COVERAGE:
            c.rejected = "the question's key terms are missing around this figure"

    def pick(self, question: str, hit_chunk_ids: list[int], qvec: np.ndarray | None) -> AnswerChoice | None:
        """The answer and older figures for the same measure, or None to abstain."""
        profile = profile_question(question)
        if not profile.is_quantity or not profile.terms:
            return None
        cands = self.candidates(hit_chunk_ids)
        for c in cands:
            self._score(c, profile, qvec)
        viable = sorted((c for c in cands if c.rejected is None), key=lambda c: -c.score)
        if not viable:
            return None
        best = viable[0]
        group: dict[str, Candidate] = {}
        for c in viable:
            if best.score - c.score > GROUP_MARGIN or c.measure != best.measure:
                continue
            if c.doc_id not in group:  # best-scoring figure per article
                group[c.doc_id] = c
        ordered = sorted(group.values(), key=lambda c: (c.published or "", c.score), reverse=True)
        return AnswerChoice(answer=ordered[0], older=ordered[1:], considered=len(cands))
