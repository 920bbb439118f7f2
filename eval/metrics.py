"""Metric arithmetic: pure functions over spans, ranks, answers and per-question records.

Documented defaults (like sentence-transformers' ``InformationRetrievalEvaluator``):

* ``KS = (1, 5, 10)``: Recall@k cut-offs; ``MRR_K = 10``; questions are asked with ``top_k=10``.
* A passage **hits** a target span when it comes from the target's document and its
  ``[start, end)`` covers the *whole* span. Evidence that straddles two passages, each holding
  half of it, is a miss for both — only a passage that holds the evidence entirely counts.
  A question's rank is the rank of its first hitting passage (``None`` when none hits).
* Recall@k = share of questions whose rank ≤ k; MRR@k = mean of 1/rank (0 beyond k).
* A figure is **correct** when ``|value − gold| / |gold| ≤ REL_TOL`` (0.5 %), and, when the gold
  has a denominator (``41/53``, ``90,5 máy/100 dân``), the denominator matches the same way.
* A **citation** is correct when it names the gold document and its ``[start, end)`` covers
  the evidence span, or at least the position of the gold figure inside the evidence.
* **Abstention** accuracy: share of unanswerable questions answered with ``null``.
  **False-answer rate**: share of the answers given (non-null) that are wrong — an answer to an
  unanswerable question, or a wrong figure for an answerable one (``None`` if nothing answered).
* Latency percentiles are nearest-rank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KS = (1, 5, 10)
MRR_K = 10
RETRIEVAL_TOP_K = max(max(KS), MRR_K)
REL_TOL = 0.005


@dataclass(frozen=True)
class Span:
    """A character span ``[start, end)`` in one document."""

    doc_id: str
    start: int
    end: int


def covers(start: int, end: int, span_start: int, span_end: int) -> bool:
    """``[start, end)`` contains ``[span_start, span_end)`` entirely."""
    return start <= span_start and span_end <= end


def passage_hits(passage: dict, targets: Iterable[Span]) -> bool:
    """The passage (``doc_id``/``start``/``end``) holds one of the target spans entirely."""
    return any(
        passage["doc_id"] == t.doc_id and covers(passage["start"], passage["end"], t.start, t.end)
        for t in targets
    )


def first_hit_rank(passages: Sequence[dict], targets: Sequence[Span]) -> int | None:
    """1-based rank (list position) of the first passage that hits a target, else None."""
    for i, p in enumerate(passages, 1):
        if passage_hits(p, targets):
            return i
    return None


def first_doc_rank(passages: Sequence[dict], doc_id: str) -> int | None:
    """1-based rank of the first passage from ``doc_id`` (SQuAD: the gold paragraph)."""
    for i, p in enumerate(passages, 1):
        if p["doc_id"] == doc_id:
            return i
    return None


def recall_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr_at_k(ranks: Sequence[int | None], k: int = MRR_K) -> float | None:
    if not ranks:
        return None
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks)


def values_match(got: float | None, gold: float | None, rel_tol: float = REL_TOL) -> bool:
    """Relative difference within ``rel_tol``; a gold of 0 needs |got| ≤ ``rel_tol``."""
    if got is None or gold is None:
        return False
    got, gold = float(got), float(gold)
    if math.isnan(got) or math.isnan(gold):
        return False
    if gold == 0:
        return abs(got) <= rel_tol
    # a tiny epsilon so that exactly 0.5 % off is inside despite float rounding
    return abs(got - gold) / abs(gold) <= rel_tol + 1e-12


def answer_correct(answer: dict | None, value: float | str | None, denominator: float | None = None,
                   rel_tol: float = REL_TOL) -> bool:
    """The answer is non-null, its value matches, and so does its denominator when gold has one."""
    if answer is None or value is None:
        return False
    if isinstance(value, str):  # a date ("2019", "2019-07", "2019-07-02"): the answer names that day/month/year
        got = answer.get("date") or ""
        return isinstance(got, str) and got.startswith(value) and len(got) >= len(value)
    if not values_match(answer.get("value"), value, rel_tol):
        return False
    if denominator is not None:
        return values_match(answer.get("denominator"), denominator, rel_tol)
    return True


def citation_correct(answer: dict | None, doc_id: str, evidence: Sequence[Span],
                     figures: Sequence[Span] = ()) -> bool:
    """Citation names ``doc_id`` and covers an evidence span or the gold figure's position."""
    if answer is None:
        return False
    c = answer.get("citation") or {}
    if c.get("doc_id") != doc_id:
        return False
    return any(
        t.doc_id == doc_id and covers(c["start"], c["end"], t.start, t.end) for t in (*evidence, *figures)
    )


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def _mean(flags: Sequence[bool]) -> float | None:
    return sum(1 for f in flags if f) / len(flags) if flags else None


def _latency(records: Sequence[dict]) -> dict:
    lat = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    return {"latency_p50_ms": None if p50 is None else round(p50, 2),
            "latency_p95_ms": None if p95 is None else round(p95, 2)}


def _retrieval(records: Sequence[dict]) -> dict:
    ranks = [r["rank"] for r in records]
    out = {f"recall@{k}": recall_at_k(ranks, k) for k in KS}
    out[f"mrr@{MRR_K}"] = mrr_at_k(ranks, MRR_K)
    return out


def summarize_gold(records: Sequence[dict], retrieval_only: bool = False) -> dict:
    """Aggregate per-question gold records.

    A record: ``answerable`` (bool), ``rank`` (int | None; answerable only), ``answered`` (bool),
    ``answer_ok`` and ``citation_ok`` (bool; answerable only), ``latency_ms``.
    Retrieval metrics are over answerable questions; answer metrics are ``None`` for a
    retrieval-only row (the baseline), and any metric without questions is ``None``.
    """
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    out: dict = {"n": len(records), "n_answerable": len(answerable), "n_unanswerable": len(unanswerable)}
    out.update(_retrieval(answerable))
    if retrieval_only:
        out.update({"answer_accuracy": None, "citation_accuracy": None, "abstention_accuracy": None,
                    "false_answer_rate": None, "abstained_on_answerable": None})
    else:
        given = [r for r in records if r["answered"]]
        wrong = [r for r in given if not (r["answerable"] and r["answer_ok"])]
        out.update({
            "answer_accuracy": _mean([r["answer_ok"] for r in answerable]),
            "citation_accuracy": _mean([r["citation_ok"] for r in answerable]),
            "abstention_accuracy": _mean([not r["answered"] for r in unanswerable]),
            "false_answer_rate": len(wrong) / len(given) if given else None,
            "abstained_on_answerable": _mean([not r["answered"] for r in answerable]),
        })
    out.update(_latency(records))
    return out


def summarize_squad(records: Sequence[dict], retrieval_only: bool = False) -> dict:
    """Aggregate per-question SQuAD records: ``rank``, ``span_hit``, ``numeric`` (gold answer has
    a digit), ``numeric_ok``, ``answered``, ``latency_ms``."""
    out: dict = {"n": len(records)}
    out.update(_retrieval(records))
    numeric = [r for r in records if r["numeric"]]
    out["n_numeric"] = len(numeric)
    if retrieval_only:
        out.update({"span_hit_rate": None, "numeric_accuracy": None, "answered_rate": None})
    else:
        out.update({
            "span_hit_rate": _mean([r["span_hit"] for r in records]),
            "numeric_accuracy": _mean([r["numeric_ok"] for r in numeric]),
            "answered_rate": _mean([r["answered"] for r in records]),
        })
    out.update(_latency(records))
    return out


def by_tag(records: Sequence[dict], summarize, **kwargs) -> dict[str, dict]:
    """``summarize`` over the records carrying each tag (a record may carry several)."""
    tags = sorted({t for r in records for t in r.get("tags", ())})
    return {t: summarize([r for r in records if t in r.get("tags", ())], **kwargs) for t in tags}
