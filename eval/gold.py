"""The gold set: reading ``eval/gold.jsonl`` and finding its evidence in the article texts.

One JSON object per line::

    {"id", "question", "answerable": bool, "value", "unit", "kind", "denominator", "answer_text",
     "doc_id", "evidence", "also_in": [{"doc_id", "value", "evidence"}], "tags": [...]}

``evidence`` is a verbatim substring of ``seeds/<doc_id>.txt``. Article texts in the index are
NFC with ``\\n`` line ends, so evidence is normalised the same way before it is looked up, and a
whitespace-tolerant match is tried when the exact one fails.

Targets of a question:

* **retrieval**: every occurrence of the evidence in the gold document, plus the evidence of
  each ``also_in`` entry whose value equals the gold value (the same figure in another article
  answers the question just as well); ``also_in`` entries with another value (older figures) are
  not targets;
* **citation**: the gold document only (the service promises the newest source) — its evidence
  spans, and the position of the gold figure inside the evidence (found with ``qa.read.figures``,
  else the ``answer_text`` inside the evidence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qa.lexicon import nfc

from .metrics import Span, values_match


class GoldError(ValueError):
    """A gold file that cannot be used (unreadable, malformed line, missing field)."""


@dataclass(frozen=True)
class AlsoIn:
    doc_id: str
    value: float | str | None  # a string only for dates, as the question's own value
    evidence: str


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answerable: bool
    value: float | str | None = None  # a string only for dates
    unit: str | None = None
    kind: str | None = None
    denominator: float | None = None
    answer_text: str | None = None
    doc_id: str | None = None
    evidence: str | None = None
    also_in: tuple[AlsoIn, ...] = ()
    tags: tuple[str, ...] = ()
    # figures of the same kind and unit in other articles that are another thing (another
    # province, company, year's plan): what must not be listed as the same measure
    look_alike: tuple[AlsoIn, ...] = ()


@dataclass
class Targets:
    """Where a question's answer lives, in article offsets."""

    retrieval: list[Span] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)  # gold document only
    figures: list[Span] = field(default_factory=list)  # gold figure positions in the evidence
    problems: list[str] = field(default_factory=list)


def _number(v, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise GoldError(f"{where}: expected a number, got {v!r}")
    return float(v)


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _value(row: dict, where: str) -> float | str | None:
    """A figure, or for ``kind: "date"`` an ISO date string ("2019", "2019-07", "2019-07-02")."""
    v = row.get("value")
    if row.get("kind") == "date" and isinstance(v, str):
        if not _ISO_DATE.fullmatch(v):
            raise GoldError(f"{where}.value: a date is written 2019, 2019-07 or 2019-07-02, got {v!r}")
        return v
    return _number(v, f"{where}.value")


def parse_item(row: dict, where: str) -> GoldItem:
    if not isinstance(row, dict):
        raise GoldError(f"{where}: expected a JSON object")
    for key in ("id", "question", "answerable"):
        if key not in row:
            raise GoldError(f"{where}: missing field {key!r}")
    if not isinstance(row["answerable"], bool):
        raise GoldError(f"{where}: 'answerable' must be true or false")
    if not isinstance(row["question"], str) or not row["question"].strip():
        raise GoldError(f"{where}: 'question' must be a non-empty string")
    if row["answerable"]:
        for key in ("value", "doc_id", "evidence"):
            if row.get(key) in (None, ""):
                raise GoldError(f"{where}: answerable question without {key!r}")
    also, look_alike = _other_articles(row, "also_in", where), _other_articles(row, "look_alike", where)
    tags = row.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise GoldError(f"{where}: 'tags' must be a list of strings")
    return GoldItem(
        id=str(row["id"]), question=row["question"], answerable=row["answerable"],
        value=_value(row, where), unit=row.get("unit"), kind=row.get("kind"),
        denominator=_number(row.get("denominator"), f"{where}.denominator"),
        answer_text=row.get("answer_text"), doc_id=row.get("doc_id"), evidence=row.get("evidence"),
        also_in=also, tags=tuple(tags), look_alike=look_alike,
    )


def _other_articles(row: dict, key: str, where: str) -> tuple[AlsoIn, ...]:
    """The ``also_in`` (or ``look_alike``) entries of a row: other articles' figures."""
    out = []
    for i, a in enumerate(row.get(key) or []):
        if not isinstance(a, dict) or not a.get("doc_id") or not a.get("evidence"):
            raise GoldError(f"{where}: {key}[{i}] needs doc_id and evidence")
        value = _value({"value": a.get("value"), "kind": row.get("kind")}, f"{where} {key}[{i}]")
        out.append(AlsoIn(str(a["doc_id"]), value, str(a["evidence"])))
    return tuple(out)


def load_gold(path: Path) -> list[GoldItem]:
    """Every question in a gold JSONL file; raises GoldError (or FileNotFoundError)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gold file not found: {path}")
    items, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON ({exc.msg})") from None
        item = parse_item(row, where)
        if item.id in seen:
            raise GoldError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise GoldError(f"{path}: no questions")
    return items


def normalize_evidence(evidence: str) -> str:
    return nfc(evidence.replace("\r\n", "\n").replace("\r", "\n"))


def locate(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` of ``evidence`` in ``text``: exact, else whitespace-tolerant."""
    ev = normalize_evidence(evidence).strip()
    if not ev:
        return []
    spans, pos = [], text.find(ev)
    while pos >= 0:
        spans.append((pos, pos + len(ev)))
        pos = text.find(ev, pos + 1)
    if spans:
        return spans
    pattern = r"\s+".join(re.escape(w) for w in ev.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def figure_spans(text: str, ev_start: int, ev_end: int, item: GoldItem) -> list[tuple[int, int]]:
    """Where the gold figure sits inside one evidence occurrence (article offsets)."""
    from qa.read.figures import find_quantities

    evidence = text[ev_start:ev_end]
    found = [] if isinstance(item.value, str) else [
        (ev_start + q.start, ev_start + q.end) for q in find_quantities(evidence) if values_match(q.value, item.value)]
    if not found and item.answer_text:
        found = [(ev_start + s, ev_start + e) for s, e in locate(evidence, item.answer_text)]
    return found


def _same_value(a: float | str, b: float | str | None) -> bool:
    """Two gold values are one figure: equal dates, or numbers within the metric's tolerance."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return values_match(a, b)


def resolve_targets(item: GoldItem, get_text: Callable[[str], str | None]) -> Targets:
    """The spans a question's passages and citation are judged against."""
    t = Targets()
    if not item.answerable:
        return t
    text = get_text(item.doc_id)
    if text is None:
        t.problems.append(f"{item.id}: document {item.doc_id!r} is not in the corpus")
    else:
        occurrences = locate(text, item.evidence)
        if not occurrences:
            t.problems.append(f"{item.id}: evidence not found in {item.doc_id}: {item.evidence[:80]!r}")
        for s, e in occurrences:
            t.evidence.append(Span(item.doc_id, s, e))
            t.figures.extend(Span(item.doc_id, fs, fe) for fs, fe in figure_spans(text, s, e, item))
    t.retrieval.extend(t.evidence)
    for a in item.also_in:
        if a.value is not None and not _same_value(a.value, item.value):
            continue  # another figure (an older one): not an answer to retrieve
        other = get_text(a.doc_id)
        spans = locate(other, a.evidence) if other is not None else []
        if not spans:
            t.problems.append(f"{item.id}: also_in evidence not found in {a.doc_id}: {a.evidence[:80]!r}")
        t.retrieval.extend(Span(a.doc_id, s, e) for s, e in spans)
    return t
