"""SQuAD v1.1-format files (XQuAD-vi and any other) as a corpus plus questions.

Every paragraph becomes one :class:`qa.ingest.documents.Document` (``doc_id`` ``p0001``, ``p0002``… in
file order; title from its article's title, underscores read as spaces; text NFC; the whole
paragraph is content). Every question keeps its paragraph's ``doc_id`` and all gold answer
texts.

Judging (see :mod:`eval.metrics` for the retrieval part):

* **span hit**: some gold answer text, NFC-normalised, case-folded and with white space
  collapsed, occurs in the returned answer's sentence or in the top passage;
* **numeric accuracy**, for questions whose gold answer contains a digit: the returned figure
  (its value, or a number written in its text) equals a number in a gold answer within 0.5 %.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.documents import Document
from qa.lexicon import nfc

from .metrics import values_match


class SquadError(ValueError):
    """A file that is not in SQuAD v1.1 format."""


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    doc_id: str
    answers: tuple[str, ...]
    title: str

    @property
    def numeric(self) -> bool:
        return any(re.search(r"\d", a) for a in self.answers)

    @property
    def tags(self) -> tuple[str, ...]:
        return ("numeric",) if self.numeric else ("non-numeric",)


def load_squad(path: Path, limit: int | None = None, seed: int = 0) -> tuple[list[Document], list[SquadQuestion]]:
    """All paragraphs as documents, and the questions (a seeded random ``limit`` of them)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"SQuAD file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SquadError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise SquadError(f"{path}: expected an object with a 'data' list (SQuAD v1.1 format)")
    n_paragraphs = sum(len(a.get("paragraphs") or []) for a in data["data"] if isinstance(a, dict))
    width = max(4, len(str(n_paragraphs)))
    documents: list[Document] = []
    questions: list[SquadQuestion] = []
    for ai, article in enumerate(data["data"]):
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list):
            raise SquadError(f"{path}: data[{ai}] has no 'paragraphs' list")
        title = nfc(str(article.get("title") or f"article {ai + 1}").replace("_", " ")).strip()
        for pi, para in enumerate(article["paragraphs"]):
            context = para.get("context") if isinstance(para, dict) else None
            if not isinstance(context, str):
                raise SquadError(f"{path}: data[{ai}].paragraphs[{pi}] has no 'context' string")
            text = nfc(context.replace("\r\n", "\n").replace("\r", "\n"))
            if not text.strip():
                continue
            doc_id = f"p{len(documents) + 1:0{width}d}"
            documents.append(Document(doc_id=doc_id, title=title, text=text,
                                      content_spans=((0, len(text)),)))
            for qi, qa in enumerate(para.get("qas") or []):
                q = qa.get("question") if isinstance(qa, dict) else None
                if not isinstance(q, str) or not q.strip():
                    raise SquadError(f"{path}: data[{ai}].paragraphs[{pi}].qas[{qi}] has no question")
                answers = tuple(nfc(a["text"]) for a in qa.get("answers") or []
                                if isinstance(a, dict) and isinstance(a.get("text"), str) and a["text"].strip())
                if not answers:
                    continue  # SQuAD 2.0-style unanswerable: nothing to judge against
                questions.append(SquadQuestion(str(qa.get("id", f"{doc_id}-q{qi}")), nfc(q.strip()),
                                               doc_id, answers, title))
    if not documents or not questions:
        raise SquadError(f"{path}: no paragraphs with answered questions")
    if limit is not None and limit < len(questions):
        keep = set(random.Random(seed).sample(range(len(questions)), limit))
        questions = [q for i, q in enumerate(questions) if i in keep]
    return documents, questions


def _fold(s: str) -> str:
    return " ".join(nfc(s).casefold().split())


def span_hit(answers: tuple[str, ...], body: dict) -> bool:
    """A gold answer text is inside the returned answer's sentence or the top passage."""
    haystacks = []
    if body.get("answer"):
        haystacks.append(body["answer"].get("sentence") or "")
    if body.get("passages"):
        haystacks.append(body["passages"][0]["text"])
    folded = [_fold(h) for h in haystacks]
    return any(_fold(a) and _fold(a) in h for a in answers for h in folded)


_DIGITS = re.compile(r"\d[\d.,]*")


def numbers_in(text: str) -> set[float]:
    """Numbers written in ``text``: quantities (with scale words), and every digit group read the
    Vietnamese way (``1.000`` = 1000, ``2,5`` = 2.5) and, when different, the English way."""
    from qa.read.figures import find_quantities, parse_vietnamese_number

    out = {q.value for q in find_quantities(text)}
    for m in _DIGITS.finditer(text):
        tok = m.group().rstrip(".,")
        v = parse_vietnamese_number(tok)
        if v is not None:
            out.add(v)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", tok):
            out.add(float(tok.replace(",", "")))
        elif re.fullmatch(r"\d+\.\d+", tok):
            out.add(float(tok))
    return out


def numeric_correct(answers: tuple[str, ...], answer: dict | None) -> bool:
    """The returned figure's value, or a number in its text, equals a number in a gold answer."""
    if answer is None:
        return False
    gold = set().union(*(numbers_in(a) for a in answers))
    got = set(numbers_in(answer.get("text") or ""))
    if answer.get("value") is not None:
        got.add(float(answer["value"]))
    return any(values_match(g, v) for g in got for v in gold)
