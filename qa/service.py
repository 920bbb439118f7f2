"""The question-answering service: one object that the HTTP API, the CLI and the evaluation share.

``QAService.ask`` returns exactly the JSON body of ``POST /ask``, so evaluating the service
object and evaluating the HTTP endpoint measure the same code path.
"""

from __future__ import annotations

import time
from pathlib import Path

from qa.read.reader import Reader, RulesReader
from qa.read.rules import Candidate
from qa.config import MAX_QUESTION_CHARS, MAX_TOP_K, Settings
from qa.ingest.documents import Document, load_corpus
from qa.index.store import LoadedIndex, build_index, build_key, load_index, stale_reason
from qa.read.figures import find_quantities
from qa.retrieve.retriever import RetrievalOptions, Retriever
from qa.lexicon import clean_question

ANSWER_POOL = 8  # passages whose figures compete for the answer (at least top_k)


class InvalidQuestion(ValueError):
    """A question the service refuses, with a message a person can act on."""


def validate(question: str, top_k: int) -> str:
    if isinstance(question, str):
        question = clean_question(question)
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("question must not be empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    if not 1 <= top_k <= MAX_TOP_K:
        raise InvalidQuestion(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}")
    return question.strip()


READERS = ("learned", "rules")


def make_reader(name: str, index: LoadedIndex, threshold: float | None = None) -> Reader:
    """A reader by name: ``learned`` (the shipped model, the default; ``threshold`` replaces its
    card's) or ``rules`` (the baseline)."""
    if name == "learned":
        from qa.read.learned import LearnedReader

        return LearnedReader(index, threshold=threshold)
    if name == "rules":
        return RulesReader(index)
    raise ValueError(f"reader must be one of {', '.join(READERS)}, got {name!r}")


class QAService:
    def __init__(self, index: LoadedIndex, embedder, reader: Reader | str = "learned",
                 answer_threshold: float | None = None):
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, embedder)
        self.answer_threshold = answer_threshold
        self.reader = make_reader(reader, index, answer_threshold) if isinstance(reader, str) else reader
        self._readers: dict[str, Reader] = {self.reader.name: self.reader}
        self._chunk_numbers: dict[int, list[dict]] = {}

    def reader_named(self, name: str) -> Reader:
        """Another reader over the same index (for ``vnqa eval``'s baseline rows), made once."""
        if name not in self._readers:
            self._readers[name] = make_reader(name, self.index, self.answer_threshold)
        return self._readers[name]

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, embedder=None, rebuild: bool = False, log=print,
             reader: Reader | str | None = None) -> "QAService":
        """Load the index for ``settings``, (re)building it first when it is missing or stale."""
        documents = load_corpus(settings.corpus_dir)
        return cls.from_documents(documents, settings.index_dir, embedder, settings, rebuild=rebuild, log=log,
                                  reader=reader or settings.reader)

    @classmethod
    def from_documents(cls, documents: list[Document], index_dir: Path, embedder=None,
                       settings: Settings | None = None, rebuild: bool = False, log=print,
                       reader: Reader | str | None = None) -> "QAService":
        settings = settings or Settings.from_env()
        if embedder is None:
            from qa.index.embedder import make_embedder

            embedder = make_embedder(settings.model, settings.encoder)
        key = build_key(documents, embedder.name, embedder.fingerprint, settings.chunking)
        reason = "rebuild requested" if rebuild else stale_reason(index_dir, key)
        if reason:
            log(f"vnqa: building index in {index_dir} ({reason})")
            build_index(documents, index_dir, embedder, settings.chunking, log=log)
        return cls(load_index(index_dir), embedder, reader or settings.reader, settings.answer_threshold)

    # -- answering ------------------------------------------------------------------------
    def ask(self, question: str, top_k: int = 5, options: RetrievalOptions = RetrievalOptions(),
            reader: str | None = None) -> dict:
        """Answer one question: the figure with its citation (or null) and the best passages."""
        question = validate(question, top_k)
        t0 = time.perf_counter()
        result = self.retriever.search(question, max(top_k, ANSWER_POOL), options)
        body = self.read(question, result.hits, result.query_vector, top_k, reader)
        body["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return body

    def read(self, question: str, hits, query_vector, top_k: int = 5, reader: str | None = None) -> dict:
        """The ``POST /ask`` body (without timing) for passages already retrieved: the reading
        half of ``ask``, also used to replay stored retrieval results through a reader."""
        read = self.reader if reader is None else self.reader_named(reader)
        choice = read.read(question, hits, query_vector)
        body = {
            "question": question,
            "answer": None,
            "passages": [self._passage(rank, hit) for rank, hit in enumerate(hits[:top_k], 1)],
        }
        if choice is not None:
            body["answer"] = {**self._figure(choice.answer), "confidence": choice.confidence,
                              "older": [self._figure(c) for c in choice.older]}
        return body

    def warm_up(self) -> None:
        """Run one question through every stage so lazy imports (underthesea's models) and
        caches are loaded before the first real request, not during it."""
        self.ask("bao nhiêu tài khoản?", top_k=1)

    def document(self, doc_id: str) -> Document | None:
        return self.index.documents.get(doc_id)

    def _citation(self, doc: Document, start: int, end: int) -> dict:
        return {"doc_id": doc.doc_id, "title": doc.title, "published": doc.published, "start": start, "end": end}

    def _figure(self, c: Candidate) -> dict:
        doc = self.index.documents[c.doc_id]
        q = c.quantity
        return {
            "text": q.text,
            "number_text": q.number_text,
            "value": q.value,
            "unit": q.unit,
            "noun": q.noun,
            "kind": q.kind,
            "qualifier": q.qualifier,
            "denominator": q.denominator,
            "currency": q.currency,
            "date": c.date,
            "sentence": doc.text[c.sentence_start:c.sentence_end],
            "number_span": {"start": q.start, "end": q.end},
            "as_of": doc.published,
            "citation": self._citation(doc, c.sentence_start, c.sentence_end),
        }

    def _numbers(self, chunk_id: int) -> list[dict]:
        """The figures of a chunk, with article offsets (computed once per chunk)."""
        cached = self._chunk_numbers.get(chunk_id)
        if cached is None:
            chunk = self.index.chunks[chunk_id]
            cached = [
                {"text": q.text, "value": q.value, "unit": q.unit, "qualifier": q.qualifier,
                 "start": chunk.start + q.start, "end": chunk.start + q.end}
                for q in find_quantities(chunk.text)
            ]
            self._chunk_numbers[chunk_id] = cached
        return cached

    def _passage(self, rank: int, hit) -> dict:
        chunk = self.index.chunks[hit.chunk_id]
        doc = self.index.documents[chunk.doc_id]
        return {
            "rank": rank,
            "score": round(hit.score, 6),
            "doc_id": doc.doc_id,
            "title": doc.title,
            "published": doc.published,
            "start": chunk.start,
            "end": chunk.end,
            "text": chunk.text,
            "numbers": self._numbers(hit.chunk_id),
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
        }
