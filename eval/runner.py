"""Asking every question of every row and judging each answer (per-question records).

Rows are the service under different :class:`qa.retrieve.retriever.RetrievalOptions` — all over *one*
loaded index and embedder — plus the ``rank_bm25`` baseline over the same chunks. A backend is
anything with ``ask(question, top_k) -> POST /ask body``: the in-process service, a running
service over HTTP, or the baseline.

Each question is asked twice per service row: with ``top_k=10`` for the retrieval metrics, and
with ``answer_top_k`` (default 5, the ``POST /ask`` default) for the answer, the citation and the
latency — the answer picker looks at ``max(top_k, 8)`` passages, so the answer a user gets
is the one at the default ``top_k``. With ``--answer-top-k 10`` one request serves both.
In process, the second request reuses the question vector of the first (see ServiceBackend).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.retrieve.retriever import RetrievalOptions

from . import metrics
from .gold import GoldItem, Targets
from .squad import SquadQuestion, numeric_correct, span_hit

DEFAULT_ANSWER_TOP_K = 5


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    options: RetrievalOptions | None  # None: the rank_bm25 baseline
    reader: str | None = None  # None: the service's own reader (learned); "rules": the baseline

    @property
    def retrieval_only(self) -> bool:
        return self.options is None

    def describe(self) -> dict:
        opts = None
        if self.options is not None:
            o = self.options
            opts = {"mode": o.mode, "fold_accents": o.fold_accents, "fusion": o.fusion,
                    "dense_weight": o.dense_weight, "candidates": o.candidates}
        return {"name": self.name, "label": self.label, "options": opts, "reader": self.reader or "service default"}


ROWS: tuple[Row, ...] = (
    Row("hybrid", "hybrid: BM25 + dense, min-max fusion, accent folding (default); learned reader", RetrievalOptions()),
    Row("hybrid-rules", "hybrid retrieval; the hand-weighted rule reader (baseline)", RetrievalOptions(), "rules"),
    Row("bm25", "BM25 only", RetrievalOptions(mode="bm25")),
    Row("dense", "dense only (e5-small)", RetrievalOptions(mode="dense")),
    Row("hybrid-rrf", "hybrid, RRF fusion", RetrievalOptions(fusion="rrf")),
    Row("hybrid-nofold", "hybrid without accent folding", RetrievalOptions(fold_accents=False)),
    Row("bm25-nofold", "BM25 only, without accent folding", RetrievalOptions(mode="bm25", fold_accents=False)),
    Row("rank_bm25", "baseline: rank_bm25 BM25Okapi over whitespace tokens of the same chunks", None),
)
ROW_NAMES = tuple(r.name for r in ROWS)


def weighted_row(dense_weight: float) -> Row:
    """The hybrid row at another dense weight of the min-max fusion (questions typed with tone
    marks; unaccented ones keep their own weight), for re-measuring the default."""
    return Row(f"hybrid-w{dense_weight:g}", f"hybrid, min-max fusion with dense weight {dense_weight:g}",
               RetrievalOptions(dense_weight=dense_weight))


def select_rows(names: str | None) -> list[Row]:
    """Rows named in a comma-separated list (all rows when None); ValueError for unknown names."""
    if not names:
        return list(ROWS)
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in ROW_NAMES]
    if unknown:
        raise ValueError(f"unknown row(s) {', '.join(unknown)}; choose from {', '.join(ROW_NAMES)}")
    return [r for r in ROWS if r.name in wanted]


# -- backends -----------------------------------------------------------------------------------
class _QueryMemo:
    """Wraps an embedder; repeats of the *last* ``encode_queries`` call are served from memory."""

    def __init__(self, inner):
        self.inner = inner
        self._key: tuple[str, ...] | None = None
        self._value = None

    def encode_queries(self, texts):
        key = tuple(texts)
        if key != self._key:
            self._key, self._value = key, self.inner.encode_queries(list(texts))
        return self._value

    def __getattr__(self, name):
        return getattr(self.inner, name)


class ServiceBackend:
    """The in-process :class:`qa.service.QAService` with fixed retrieval options.

    ``ask_twice`` asks the answering request (timed, computed from scratch) and then the
    retrieval request for the same question; the second request reuses the question's e5 vector
    from the first (the retriever's embedder is wrapped for the two calls and restored after),
    which halves the model work without changing any result or the measured latency."""

    def __init__(self, service, options: RetrievalOptions, reader: str | None = None):
        self.service, self.options, self.reader = service, options, reader

    def ask(self, question: str, top_k: int) -> dict:
        return self.service.ask(question, top_k=top_k, options=self.options, reader=self.reader)

    def ask_twice(self, question: str, first_top_k: int, second_top_k: int) -> tuple[dict, float, dict]:
        retriever = self.service.retriever
        original = retriever.embedder
        retriever.embedder = _QueryMemo(original)
        try:
            t0 = time.perf_counter()
            first = self.ask(question, first_top_k)
            latency = (time.perf_counter() - t0) * 1000
            return first, latency, self.ask(question, second_top_k)
        finally:
            retriever.embedder = original


class HttpBackend:
    """A running service: ``POST /ask`` and ``GET /documents/{doc_id}`` over HTTP."""

    def __init__(self, url: str, client=None, timeout: float = 120.0):
        import httpx

        self.url = url.rstrip("/")
        self.client = client or httpx.Client(base_url=self.url, timeout=timeout)
        self._texts: dict[str, str | None] = {}

    def health(self) -> dict:
        r = self.client.get("/health")
        r.raise_for_status()
        return r.json()

    def ask(self, question: str, top_k: int) -> dict:
        r = self.client.post("/ask", json={"question": question, "top_k": top_k})
        if r.status_code == 422:
            raise InvalidRequest(r.json().get("message") or r.text)
        r.raise_for_status()
        return r.json()

    def document_text(self, doc_id: str) -> str | None:
        if doc_id not in self._texts:
            r = self.client.get(f"/documents/{doc_id}")
            if r.status_code == 404:
                self._texts[doc_id] = None
            else:
                r.raise_for_status()
                self._texts[doc_id] = r.json()["text"]
        return self._texts[doc_id]


class InvalidRequest(ValueError):
    """The service refused a question (422 / InvalidQuestion): judged as no answer, no passages."""


_EMPTY = {"answer": None, "passages": []}


def ask_pair(backend, question: str, answer_top_k: int | None) -> tuple[dict, dict, float, str | None]:
    """(answer body, retrieval body, latency of the answering request in ms, error)."""
    from qa.service import InvalidQuestion

    try:
        if answer_top_k and answer_top_k != metrics.RETRIEVAL_TOP_K and hasattr(backend, "ask_twice"):
            first, latency, second = backend.ask_twice(question, answer_top_k, metrics.RETRIEVAL_TOP_K)
            return first, second, latency, None
        t0 = time.perf_counter()
        first = backend.ask(question, answer_top_k or metrics.RETRIEVAL_TOP_K)
        latency = (time.perf_counter() - t0) * 1000
        if answer_top_k is None or answer_top_k == metrics.RETRIEVAL_TOP_K:
            return first, first, latency, None
        return first, backend.ask(question, metrics.RETRIEVAL_TOP_K), latency, None
    except (InvalidQuestion, InvalidRequest) as exc:
        return _EMPTY, _EMPTY, None, str(exc)


def compact_answer(answer: dict | None) -> dict | None:
    if answer is None:
        return None
    c = answer.get("citation") or {}
    return {"text": answer.get("text"), "value": answer.get("value"), "unit": answer.get("unit"),
            "denominator": answer.get("denominator"), "doc_id": c.get("doc_id"),
            "start": c.get("start"), "end": c.get("end"), "sentence": answer.get("sentence")}


class Progress:
    def __init__(self, row: str, total: int, log: Callable[..., None], every: int = 200):
        self.row, self.total, self.log, self.every = row, total, log, every
        self.t0 = time.perf_counter()

    def tick(self, done: int) -> None:
        if self.total > self.every and done % self.every == 0 and done < self.total:
            self.log(f"  {self.row}: {done}/{self.total} ({time.perf_counter() - self.t0:.0f} s)")

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0


# -- gold ---------------------------------------------------------------------------------------
def judge_gold(item: GoldItem, targets: Targets, answer_body: dict, retrieval_body: dict,
               latency_ms: float | None, retrieval_only: bool) -> dict:
    answer = None if retrieval_only else answer_body.get("answer")
    rec = {"id": item.id, "tags": list(item.tags), "answerable": item.answerable,
           "rank": None, "answered": answer is not None, "answer_ok": None, "citation_ok": None,
           "latency_ms": None if latency_ms is None else round(latency_ms, 2),
           "got": compact_answer(answer)}
    if item.answerable:
        rec["rank"] = metrics.first_hit_rank(retrieval_body["passages"][:metrics.RETRIEVAL_TOP_K],
                                             targets.retrieval)
        if not retrieval_only:
            rec["answer_ok"] = metrics.answer_correct(answer, item.value, item.denominator)
            rec["citation_ok"] = metrics.citation_correct(answer, item.doc_id, targets.evidence, targets.figures)
    return rec


def run_gold_row(backend, row: Row, items: Sequence[GoldItem], targets: dict[str, Targets],
                 answer_top_k: int, log=lambda *a: None) -> tuple[list[dict], float]:
    progress = Progress(row.name, len(items), log)
    records = []
    for i, item in enumerate(items, 1):
        ans, ret, latency, error = ask_pair(backend, item.question, None if row.retrieval_only else answer_top_k)
        rec = judge_gold(item, targets[item.id], ans, ret, latency, row.retrieval_only)
        if error:
            rec["error"] = error
        records.append(rec)
        progress.tick(i)
    return records, progress.elapsed()


# -- SQuAD --------------------------------------------------------------------------------------
def judge_squad(q: SquadQuestion, answer_body: dict, retrieval_body: dict, latency_ms: float | None,
                retrieval_only: bool) -> dict:
    answer = None if retrieval_only else answer_body.get("answer")
    numeric = q.numeric
    return {
        "id": q.id, "tags": list(q.tags), "doc_id": q.doc_id,
        "rank": metrics.first_doc_rank(retrieval_body["passages"][:metrics.RETRIEVAL_TOP_K], q.doc_id),
        "answered": answer is not None,
        "span_hit": None if retrieval_only else span_hit(q.answers, answer_body),
        "numeric": numeric,
        "numeric_ok": None if retrieval_only or not numeric else numeric_correct(q.answers, answer),
        "latency_ms": None if latency_ms is None else round(latency_ms, 2),
        "got": compact_answer(answer),
    }


def run_squad_row(backend, row: Row, questions: Sequence[SquadQuestion], answer_top_k: int,
                  log=lambda *a: None) -> tuple[list[dict], float]:
    progress = Progress(row.name, len(questions), log)
    records = []
    for i, q in enumerate(questions, 1):
        ans, ret, latency, error = ask_pair(backend, q.question, None if row.retrieval_only else answer_top_k)
        rec = judge_squad(q, ans, ret, latency, row.retrieval_only)
        if error:
            rec["error"] = error
        records.append(rec)
        progress.tick(i)
    return records, progress.elapsed()


def stderr_log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)
