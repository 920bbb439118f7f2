"""Reading a corpus of scraped articles: original text, metadata and which lines are content.

Citations point into ``Document.text``: the file decoded as UTF-8, NFC-composed, with Windows
line endings turned into ``\\n``. Nothing else is removed from it. Page furniture (toolbars,
print links, QR-code blocks, repeated photo captions) is *marked* — its line spans are left out
of ``content_spans`` — so chunking skips it while offsets stay exact.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from qa.lexicon import nfc

# Lines that are web-page chrome rather than article content.
_FURNITURE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^PublishingPortal\s*-\s*Block_",
        r"^Tăng cỡ chữ(\s+Giảm cỡ chữ)?$",
        r"^Print\b",
        r"^(In bài|Bản in|Gửi bài|Chia sẻ)$",
        r"^QR Code\b",
        r"^QR CODE:",
        r"^Mã QR Code\b",
        r"^Tin khác$",
        r"^Tin liên quan$",
        r"^Chúng tôi trên Mạng Xã hội$",
        r"^Tiện ích thông tin$",
        r"^Nguồn tin$",
        r"^Truy cập nội dung luôn$",
        r"^Nguồn:?\s*\S.{0,40}$",  # "Nguồn P.V": a credit, not content
        r"^(Tin|Ảnh|Tin, ảnh|Bài, ảnh)\s*:\s*.{0,60}$",
        r"^[^.!?]{0,60}\.\s*Ảnh\s*:.{0,60}$",  # "Minh Hảo. Ảnh: Đàm Thanh"
        r"^[A-ZĐ]{1,4}$",  # author initials such as "BH"
    )
]
_DATE_TIME = re.compile(
    r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?(?!\d)"
)
_QR_TITLE = re.compile(r"^QR CODE:\s*(.+)$", re.IGNORECASE)
_FANPAGE = re.compile(r"Fanpage\s+(.+?)\s*$")
_HEADER_MAX_CHARS = 80  # a metadata line (date, toolbar) is short
_PARAGRAPH_MIN_CHARS = 200  # the first line this long is where the article body starts


@dataclass(frozen=True)
class Document:
    """One article: its original text and the metadata a citation needs."""

    doc_id: str
    title: str
    text: str
    published: str | None = None  # ISO date, "2024-07-11"
    published_at: str | None = None  # ISO date-time when the page gives a time
    publisher: str | None = None
    source_path: str | None = None
    content_spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def metadata(self) -> dict:
        """The public, text-free description used by ``GET /documents``."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "published": self.published,
            "published_at": self.published_at,
            "publisher": self.publisher,
            "chars": len(self.text),
        }


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, excluding the newline itself."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the page, not the article."""
    stripped = line.strip()
    if not stripped:
        return True
    if any(p.search(stripped) for p in _FURNITURE_PATTERNS):
        return True
    if _DATE_TIME.search(stripped) and len(stripped) <= _HEADER_MAX_CHARS:
        # "25/04/2024 11:06    253", "Thứ Tư, 27/04/2022 13:15": a dateline, not a sentence
        words = _DATE_TIME.sub("", stripped)
        if len(re.findall(r"[^\W\d_]{2,}", words)) <= 3:
            return True
    # Short "related article" links such as "Phó Thủ tướng … Châu Á 2024 |"
    return stripped.endswith("|") and len(stripped) < 150


def _repeated_captions(lines: list[str]) -> set[str]:
    """Short lines without a full stop that occur more than once: duplicated photo captions."""
    counts: dict[str, int] = {}
    for line in lines:
        s = line.strip()
        if s and len(s) < 120 and not s.endswith((".", "!", "?", ":", ";")):
            counts[s] = counts.get(s, 0) + 1
    return {s for s, n in counts.items() if n > 1}


def parse_published(lines: list[str]) -> tuple[str | None, str | None]:
    """The first dateline near the top of the page: ("2024-07-11", "2024-07-11T07:30")."""
    for line in lines:
        s = line.strip()
        if len(s) >= _PARAGRAPH_MIN_CHARS:
            break  # the body started: dates from here on are events, not publication
        if len(s) > _HEADER_MAX_CHARS:
            continue
        m = _DATE_TIME.search(s)
        if not m:
            continue
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            date = datetime(year, month, day)
        except ValueError:
            continue
        iso = date.strftime("%Y-%m-%d")
        if m.group(4):
            return iso, f"{iso}T{int(m.group(4)):02d}:{m.group(5)}"
        return iso, None
    return None, None


def _title(lines: list[str], content: list[str]) -> str:
    """The headline: a QR-code caption, else a short unpunctuated line before the body."""
    for line in lines:
        m = _QR_TITLE.match(line.strip())
        if m:
            return m.group(1).strip()
    for line in content:
        s = line.strip()
        if len(s) >= _PARAGRAPH_MIN_CHARS:
            break
        if 20 <= len(s) <= 250 and not s.endswith(".") and not s.isupper():
            return s
    # No headline on the page: the opening of the first real paragraph (not a photo caption).
    first = next((s.strip() for s in content if len(s.strip()) >= 100), content[0] if content else "")
    if len(first) <= 120:
        return first
    cut = first[:120].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _masthead(lines: list[str]) -> list[str]:
    """Upper-case lines at the top of the page ("SỞ XÂY DỰNG", "TỈNH QUẢNG NGÃI")."""
    masthead: list[str] = []
    for line in lines[:6]:
        s = line.strip()
        if s and s.isupper() and len(s) < 60:
            masthead.append(s)
        elif masthead and s:
            break
    return masthead


def _publisher(lines: list[str]) -> str | None:
    """A visible publisher: the masthead, or the name of the site's fan page."""
    masthead = _masthead(lines)
    if masthead:
        return " ".join(masthead)
    for line in lines:
        m = _FANPAGE.search(line.strip())
        if m:
            return m.group(1)
    return None


def parse_article(doc_id: str, raw: str, source_path: str | None = None) -> Document:
    """Build a :class:`Document` from the raw text of one scraped article."""
    text = nfc(raw.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ValueError(f"article {doc_id!r} is empty")
    lines = text.split("\n")
    skip = _repeated_captions(lines) | set(_masthead(lines))
    spans = _line_spans(text)
    content_spans, content_lines = [], []
    for line, (start, end) in zip(lines, spans):
        if is_furniture(line) or line.strip() in skip:
            continue
        # trim surrounding white space so spans start and end on characters
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        content_spans.append((start + lead, end - trail))
        content_lines.append(line)
    published, published_at = parse_published(lines)
    return Document(
        doc_id=doc_id,
        title=_title(lines, content_lines),
        text=text,
        published=published,
        published_at=published_at,
        publisher=_publisher(lines),
        source_path=source_path,
        content_spans=tuple(content_spans),
    )


def document_from_text(doc_id: str, text: str, title: str | None = None, published: str | None = None,
                       source_path: str | None = None) -> Document:
    """A document from a text someone sends: parsed like a scraped article (furniture marked,
    dateline and headline found), then the title and date they give, which win. A text with
    no content besides page furniture is still a document (kept, shown, never an answer):
    callers say so to whoever sent it."""
    doc = parse_article(doc_id, text, source_path)
    changes: dict = {}
    if title and title.strip():
        changes["title"] = nfc(" ".join(title.split()))
    if published:
        changes["published"], changes["published_at"] = published, None
    return replace(doc, **changes) if changes else doc


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every ``*.txt`` article in ``corpus_dir``, sorted by file name (doc_id = file stem).

    Each document's ``source_path`` is absolute, so the same folder named two ways
    (``corpus`` and ``/home/me/corpus``) gives equal documents, and syncing it again changes
    nothing."""
    corpus_dir = Path(corpus_dir).resolve()
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    paths = sorted(corpus_dir.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no .txt articles in corpus folder: {corpus_dir}")
    return [parse_article(p.stem, p.read_text(encoding="utf-8"), str(p)) for p in paths]


def corpus_hash(documents: list[Document]) -> str:
    """A content hash of the whole corpus: changes when any article is added, removed or edited."""
    return corpus_hash_of({doc.doc_id: doc.sha256 for doc in documents})


def corpus_hash_of(text_hashes: Mapping[str, str]) -> str:
    """:func:`corpus_hash` from each document's text hash (``doc_id`` → sha256), as a store keeps them."""
    h = hashlib.sha256()
    for doc_id in sorted(text_hashes):
        h.update(doc_id.encode("utf-8") + b"\0" + text_hashes[doc_id].encode("ascii") + b"\n")
    return h.hexdigest()
