"""The question-answering service: one object that the HTTP API, the CLI and the evaluation share.

``QAService.ask`` returns exactly the JSON body of ``POST /ask``, so evaluating the service
object and evaluating the HTTP endpoint measure the same code path.
"""

from __future__ import annotations

import time
from pathlib import Path

import sys
import threading

from qa.read.reader import Reader, RulesReader
from qa.read.rules import AnswerChoice, Candidate, CorpusStats
from qa.config import MAX_QUESTION_CHARS, MAX_TOP_K, Settings
from qa.ingest.documents import Document, load_corpus
from qa.index.base import base_lock
from qa.index.live import IndexView, LiveIndex, WriteResult, forget_derivation
from qa.ingest.store import DocStore
from qa.read.figures import sentence_quantities
from qa.read.wording import as_written
from qa.retrieve.filters import Filters
from qa.retrieve.retriever import RetrievalOptions, Retriever
from qa.lexicon import clean_question, has_question_letters

ANSWER_POOL = 8  # passages whose figures compete for the answer (at least top_k)
STATS_FILE = "reader-stats.json.gz"  # beside the store: the reader's corpus statistics, by generation


# "???", "🤔🔥": nothing to search for, and an answer to it would be a guess
NO_LETTERS = 'question has no letters or digits; ask in words, e.g. "bao nhiêu tài khoản VNeID?"'


class InvalidQuestion(ValueError):
    """A question the service refuses, with a message a person can act on, and the request
    field it is about when that is not the question itself."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def validate(question: str, top_k: int, min_confidence: float | None = None) -> str:
    if isinstance(question, str):
        question = clean_question(question)
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("question must not be empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    if not has_question_letters(question):
        raise InvalidQuestion(NO_LETTERS)
    if not 1 <= top_k <= MAX_TOP_K:
        raise InvalidQuestion(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}", field="top_k")
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InvalidQuestion(f"min_confidence must be between 0 and 1, got {min_confidence}", field="min_confidence")
    return question.strip()


def _below(choice: AnswerChoice, min_confidence: float) -> bool:
    """Whether an answer falls short of a caller's confidence floor. An answer without a
    confidence (the rule reader's) cannot be vouched for, so it reaches no floor above 0."""
    if choice.confidence is None:
        return min_confidence > 0.0
    return choice.confidence < min_confidence


READERS = ("learned", "rules")


def make_reader(name: str, index, threshold: float | None = None, stats: CorpusStats | None = None) -> Reader:
    """A reader by name: ``learned`` (the shipped model, the default; ``threshold`` replaces its
    card's) or ``rules`` (the baseline). ``stats`` carries corpus statistics over from a reader
    of the same corpus (after a merge) instead of recomputing them."""
    if name == "learned":
        from qa.read.learned import LearnedReader

        return LearnedReader(index, threshold=threshold, stats=stats)
    if name == "rules":
        return RulesReader(index, stats)
    raise ValueError(f"reader must be one of {', '.join(READERS)}, got {name!r}")


class _Answering:
    """One view of the index with the retriever and readers over it: a request takes one and
    uses it throughout, so a concurrent write or merge never mixes two views in one answer."""

    def __init__(self, view, embedder, readers: dict[str, Reader]):
        self.view = view
        self.retriever = Retriever(view, embedder)
        self.readers = readers


class QAService:
    def __init__(self, live: LiveIndex, embedder, reader: Reader | str = "learned",
                 answer_threshold: float | None = None):
        self.live = live
        self.embedder = embedder
        self.answer_threshold = answer_threshold
        self._default = reader if isinstance(reader, str) else reader.name
        saved = self._saved_stats(live) if isinstance(reader, str) else None
        first = make_reader(reader, live.view, answer_threshold, saved) if isinstance(reader, str) else reader
        if saved is None:  # computed just now: the next start-up loads them
            self._save_stats(live.view, first.picker.stats)
        self._state = _Answering(live.view, embedder, {first.name: first})
        self._state_lock = threading.Lock()
        self._chunk_numbers: dict[int, list[dict]] = {}
        live.listeners.append(self._follow)

    @staticmethod
    def _stats_path(live: LiveIndex) -> Path:
        return live.index_dir / STATS_FILE

    def _saved_stats(self, live: LiveIndex) -> CorpusStats | None:
        """The reader's corpus statistics saved for this very state of the store: computing them
        reads every sentence (minutes at VietNews scale), loading them takes a second."""
        return CorpusStats.load(self._stats_path(live), live.view.generation, live.view.documents)

    def _save_stats(self, view: IndexView, stats: CorpusStats) -> None:
        try:
            stats.save(self._stats_path(self.live), view.generation)
        except OSError as e:  # a read-only index folder: start-up just stays slower
            print(f"vnqa: could not save the reader's corpus statistics: {e}", file=sys.stderr)

    @property
    def index(self) -> IndexView:
        """The current view of the index (documents, chunks, vectors, FAISS, BM25)."""
        return self._state.view

    @property
    def reader(self) -> Reader:
        return self._state.readers[self._default]

    @property
    def retriever(self) -> Retriever:
        return self._state.retriever

    def reader_named(self, name: str) -> Reader:
        """Another reader over the same index (for ``vnqa eval``'s baseline rows), made once."""
        with self._state_lock:
            state = self._state
            if name not in state.readers:
                stats = next(iter(state.readers.values())).picker.stats
                state.readers[name] = make_reader(name, state.view, self.answer_threshold, stats)
            return state.readers[name]

    def _follow(self, view: IndexView, changed: list[str], positions_changed: bool) -> None:
        """A write or merge published a new view: move the readers onto it."""
        with self._state_lock:
            old = self._state
            if positions_changed:  # a merge: new positions, same corpus statistics
                stats = next(iter(old.readers.values())).picker.stats
                readers = {name: make_reader(name, view, self.answer_threshold, stats) for name in old.readers}
                self._save_stats(view, stats)  # a merge: the next start-up loads them
                self._chunk_numbers = {}
            else:
                for r in old.readers.values():
                    r.picker.rebind(view, changed)
                readers = old.readers
                for doc_id in changed:  # numbers of replaced chunks are recomputed
                    for pos in old.view.doc_chunks.get(doc_id, []):
                        self._chunk_numbers.pop(pos, None)
            self._state = _Answering(view, self.embedder, readers)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, embedder=None, rebuild: bool = False, log=print,
             reader: Reader | str | None = None) -> "QAService":
        """Open the store in ``settings.index_dir`` and bring the corpus folder's articles into it
        (added, changed and removed files; documents written over the API are left alone)."""
        documents = load_corpus(settings.corpus_dir) if settings.corpus_dir is not None else None
        origin = f"folder:{Path(settings.corpus_dir).resolve()}" if settings.corpus_dir is not None else None
        return cls.from_documents(documents, settings.index_dir, embedder, settings, rebuild=rebuild, log=log,
                                  reader=reader or settings.reader, origin=origin)

    @classmethod
    def from_documents(cls, documents: list[Document] | None, index_dir: Path, embedder=None,
                       settings: Settings | None = None, rebuild: bool = False, log=print,
                       reader: Reader | str | None = None, origin: str = "corpus") -> "QAService":
        """A service over the store in ``index_dir`` where the documents of ``origin`` are exactly
        ``documents`` (None: whatever the store holds). ``rebuild`` re-derives every stored chunk."""
        settings = settings or Settings.from_env()
        if embedder is None:
            from qa.index.embedder import make_embedder

            embedder = make_embedder(settings.model, settings.encoder)
        # server workers start together: one at a time opens the folder and brings the corpus in,
        # so the others find it stored instead of embedding it again
        with base_lock(index_dir, "open.lock"):
            if rebuild:
                forget_derivation(index_dir)
            live = LiveIndex(index_dir, embedder, settings.chunking, log=log)
            if documents is not None:
                changes = live.sync(documents, origin)
                if any(changes.values()):
                    log(f"vnqa: {origin}: {len(changes['created'])} added, {len(changes['updated'])} updated, "
                        f"{len(changes['removed'])} removed")
                    live.merge(wait=True)  # start from one base, as a full build would
        return cls(live, embedder, reader or settings.reader, settings.answer_threshold)

    # -- writing --------------------------------------------------------------------------
    def add_documents(self, documents: list[Document], source_urls: dict[str, str | None] | None = None,
                      origin: str = "api") -> list[WriteResult]:
        """Add or replace documents: durable and answerable when this returns."""
        return self.live.upsert(documents, origin=origin, source_urls=source_urls)

    def delete_documents(self, doc_ids: list[str]) -> list[str]:
        return self.live.delete(doc_ids)

    # -- answering ------------------------------------------------------------------------
    def ask(self, question: str, top_k: int = 5, options: RetrievalOptions = RetrievalOptions(),
            reader: str | None = None, filters: Filters | None = None,
            min_confidence: float | None = None) -> dict:
        """Answer one question: the figure with its citation (or null) and the best passages.
        ``min_confidence`` withholds an answer whose confidence is below it (see :meth:`read`)."""
        question = validate(question, top_k, min_confidence)
        t0 = time.perf_counter()
        self.live.refresh()  # writes another process (worker, `vnqa ingest`) committed
        state = self._state
        read = self._reader_of(state, reader)
        result = state.retriever.search(question, max(top_k, ANSWER_POOL), options, filters,
                                        alongside=lambda: read.prepare(question))
        body = self.read(question, result.hits, result.query_vector, top_k, reader, state, min_confidence)
        body["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return body

    def read(self, question: str, hits, query_vector, top_k: int = 5, reader: str | None = None,
             state: _Answering | None = None, min_confidence: float | None = None) -> dict:
        """The ``POST /ask`` body (without timing) for passages already retrieved: the reading
        half of ``ask``, also used to replay stored retrieval results through a reader.

        ``min_confidence`` (checked by :func:`validate`) lets a caller be stricter than the
        reader's own threshold (never laxer: below it the reader has already abstained); see
        :func:`_below`."""
        state = state or self._state
        chosen = self._reader_of(state, reader)
        with_confidence = getattr(chosen, "read_with_confidence", None)
        choice, best = with_confidence(question, hits, query_vector) if with_confidence else \
            (chosen.read(question, hits, query_vector), None)
        not_answered = None
        if choice is not None and min_confidence is not None and _below(choice, min_confidence):
            not_answered = {"reason": "below_min_confidence", "confidence": choice.confidence,
                            "threshold": min_confidence}
            choice = None
        elif choice is None:
            not_answered = {"reason": "no_figure" if best is None else "below_threshold", "confidence": best,
                            "threshold": getattr(chosen, "threshold", None)}
        view = state.view
        body = {
            "question": question,
            "answer": None,
            "not_answered": not_answered,
            "passages": [self._passage(view, rank, hit) for rank, hit in enumerate(hits[:top_k], 1)],
        }
        if choice is not None:
            body["answer"] = {**self._figure(view, choice.answer), "confidence": choice.confidence,
                              "older": [self._figure(view, c) for c in choice.older]}
        return body

    def prepare(self, question: str, reader: str | None = None) -> None:
        """The reader's analysis of the question alone (cached by question): :meth:`ask` runs it
        while retrieval encodes the question, so a replay of stored retrieval results runs it
        before timing the reading step, as ``/ask`` does."""
        self._reader_of(self._state, reader).prepare(question)

    def _reader_of(self, state: _Answering, reader: str | None) -> Reader:
        return state.readers.get(reader or self._default) or self.reader_named(reader)

    def warm_up(self) -> None:
        """Run one question through every stage so lazy imports (underthesea's models) and
        caches are loaded before the first real request, not during it."""
        self.ask("bao nhiêu tài khoản?", top_k=1)

    @property
    def store(self) -> DocStore:
        """The durable store (documents as written, paging, deletions)."""
        return self.live.store

    def document(self, doc_id: str) -> Document | None:
        return self.index.documents.get(doc_id)

    def _citation(self, doc: Document, start: int, end: int) -> dict:
        return {"doc_id": doc.doc_id, "title": doc.title, "published": doc.published, "start": start, "end": end}

    def _figure(self, view: IndexView, c: Candidate) -> dict:
        """A chosen figure as a person reads it in its sentence (``qa.read.wording``: its range,
        its price unit, a negation before it); ``value`` is the figure the reader scored (a range's bare
        first end with the second's magnitude: "từ 6 đến 8 triệu đồng")."""
        doc = view.documents[c.doc_id]
        q = c.quantity
        sentence = doc.text[c.sentence_start:c.sentence_end]
        w = as_written(sentence, q)
        return {
            "text": w.text,
            "number_text": q.number_text,
            "value": w.value,
            "range": None if w.range_low is None else {"low": w.range_low, "high": w.range_high},
            "unit": w.unit,
            "noun": q.noun,
            "kind": w.kind,
            "qualifier": w.qualifier,
            "denominator": q.denominator,
            "currency": w.currency,
            "date": c.date,
            "sentence": sentence,
            "number_span": {"start": w.start, "end": w.end},
            "as_of": doc.published,
            "citation": self._citation(doc, c.sentence_start, c.sentence_end),
        }

    def _numbers(self, view: IndexView, chunk_id: int) -> list[dict]:
        """The figures of a chunk, with article offsets (computed once per chunk): its sentences'
        figures, as the reader found them (``sentence_quantities`` parses each sentence once), worded
        as the answer is (``qa.read.wording``), so an answer is always one of its passage's figures."""
        cached = self._chunk_numbers.get(chunk_id)
        if cached is None:
            text = view.documents[view.chunks[chunk_id].doc_id].text
            cached = [
                {"text": w.text, "value": w.value, "unit": w.unit, "qualifier": w.qualifier,
                 "start": start + w.start, "end": start + w.end}
                for _, start, end in (view.sentences[sid] for sid in view.chunk_sentences[chunk_id])
                for q in sentence_quantities(text[start:end])
                for w in (as_written(text[start:end], q),)
            ]
            self._chunk_numbers[chunk_id] = cached
        return cached

    def _passage(self, view: IndexView, rank: int, hit) -> dict:
        chunk = view.chunks[hit.chunk_id]
        doc = view.documents[chunk.doc_id]
        return {
            "rank": rank,
            "score": round(hit.score, 6),
            "doc_id": doc.doc_id,
            "title": doc.title,
            "published": doc.published,
            "start": chunk.start,
            "end": chunk.end,
            "text": chunk.text,
            "numbers": self._numbers(view, hit.chunk_id),
        }

    def health(self) -> dict:
        m = self.index.manifest
        return {
            "status": "ok",
            "documents": m["n_documents"],
            "chunks": m["n_chunks"],
            "model": m["model"],
            "dense_index": m["dense_index"],
            "built_at": m["built_at"],
            "generation": m["generation"],
        }
