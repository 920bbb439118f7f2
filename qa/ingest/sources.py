"""Where bulk ingestion reads documents from: a JSON-lines file (plain or gzipped) or a folder.

JSON lines come in two shapes, told apart per line:

* the API's — ``{"id", "title", "published", "source_url", "text"}``;
* VietNews's — ``{"id", "title", "abstract", "body"}`` (tokenised text, no date): laid out as
  headline, abstract and paragraphs, with ``vn_`` before the id.

A folder gives every ``.txt``, ``.md`` and ``.html`` file below it; the id is the path relative
to the folder without its extension (``2026/11/bai-1``), the same on every run, so a re-run
skips what is stored.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.documents import Document, document_from_text
from qa.ingest.formats import FORMATS, UnreadableDocument, decode, html_to_text, markdown_to_text
from qa.ingest.vietnews import detokenize


@dataclass(frozen=True)
class SourceItem:
    """One document read from a source, or the reason it could not be (``error``)."""

    where: str  # "file.jsonl:12" or a path, for messages
    document: Document | None = None
    source_url: str | None = None
    error: str | None = None


def vietnews_text(article: dict) -> str:
    """A VietNews record as an article: headline, abstract, paragraphs (punctuation restored)."""
    paragraphs = [detokenize(p) for p in str(article.get("body", "")).split("\n") if p.strip()]
    return "\n\n".join([detokenize(str(article.get("title", ""))), detokenize(str(article.get("abstract", ""))),
                        *paragraphs]) + "\n"


def _from_record(record: dict) -> tuple[Document, str | None]:
    if "text" in record:
        doc_id = str(record.get("id") or "")
        if not doc_id:
            raise ValueError("a record without an 'id'")
        return document_from_text(doc_id, str(record["text"]), record.get("title"), record.get("published")), \
            record.get("source_url")
    if "body" in record and "id" in record:
        title = detokenize(str(record.get("title", ""))) or None
        return document_from_text(f"vn_{record['id']}", vietnews_text(record), title), None
    raise ValueError("a record with neither 'text' (id, title, published, text) nor VietNews's 'body'")


def _open_lines(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def count(path: Path) -> int:
    """How many documents ``read`` will yield (lines or files), for the progress bar."""
    path = Path(path)
    if path.is_dir():
        return sum(1 for _ in _files(path))
    with _open_lines(path) as f:
        return sum(1 for line in f if line.strip())


def _files(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in FORMATS:
            yield p


def read(path: Path) -> Iterator[SourceItem]:
    """Every document of a JSON-lines file or a folder, in a stable order."""
    path = Path(path)
    if path.is_dir():
        for p in _files(path):
            where = str(p)
            try:
                text = decode(p.read_bytes(), where)
                kind = FORMATS[p.suffix.lower()]
                title = None
                if kind == "html":
                    text, title = html_to_text(text)
                elif kind == "markdown":
                    text, title = markdown_to_text(text)
                doc_id = str(p.relative_to(path).with_suffix("")).replace("\\", "/").replace(" ", "_")
                yield SourceItem(where, document_from_text(doc_id, text, title, source_path=where))
            except (UnreadableDocument, ValueError) as e:
                yield SourceItem(where, error=str(e))
        return
    if not path.is_file():
        raise FileNotFoundError(f"no such file or folder: {path}")
    with _open_lines(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("a line that is not a JSON object")
                doc, url = _from_record(record)
                yield SourceItem(where, doc, url)
            except ValueError as e:  # json.JSONDecodeError is a ValueError
                yield SourceItem(where, error=str(e))
