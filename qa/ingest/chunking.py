"""Chunks: overlapping windows of whole sentences, each an exact slice of the original text.

A chunk never spans page furniture (a window stops where a dropped line lies between two
sentences), so ``document.text[chunk.start:chunk.end] == chunk.text`` always holds and the slice
contains article content only. Windows are capped in sentences and characters; e5-small reads
at most 512 tokens, and at ~4 characters a token the default cap keeps chunks near 200 tokens.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from qa.ingest.documents import Document
from qa.ingest.segment import sentences_in_spans

_CLAUSE_BREAK = re.compile(r"[;:]\s+")


@dataclass(frozen=True)
class ChunkingParams:
    """How articles are cut; part of the index manifest (a change triggers a rebuild)."""

    max_sentences: int = 3
    overlap_sentences: int = 1
    max_chars: int = 700
    hard_max_chars: int = 1200  # a single sentence longer than this is cut at clause breaks

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: a window of sentences with offsets into its document."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # absolute (start, end) of each sentence

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sentences"] = [list(s) for s in self.sentences]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(
            chunk_id=d["chunk_id"],
            doc_id=d["doc_id"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            sentences=tuple(tuple(s) for s in d["sentences"]),
        )


def _cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at ';'/':' clause breaks into pieces of at most ``limit``."""
    if end - start <= limit:
        return [(start, end)]
    pieces, piece_start = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() + 1 - piece_start >= limit // 2:
            pieces.append((piece_start, m.start() + 1))
            piece_start = m.end()
    pieces.append((piece_start, end))
    out = []
    for s, e in pieces:  # still too long (no clause break): cut on spaces
        while e - s > limit:
            cut = text.rfind(" ", s, s + limit)
            cut = cut if cut > s else s + limit
            out.append((s, cut))
            s = cut + 1 if text[cut:cut + 1] == " " else cut
        out.append((s, e))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _runs(doc: Document, sentences: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Split the sentence list wherever something other than white space lies between two."""
    runs: list[list[tuple[int, int]]] = []
    prev_end = None
    for s, e in sentences:
        if prev_end is None or doc.text[prev_end:s].strip() or not _contiguous(doc, prev_end, s):
            runs.append([])
        runs[-1].append((s, e))
        prev_end = e
    return runs


def _contiguous(doc: Document, prev_end: int, start: int) -> bool:
    """True when no dropped (furniture) line lies between ``prev_end`` and ``start``."""
    for cs, ce in doc.content_spans:
        if cs <= prev_end <= ce and cs <= start <= ce:
            return True
    # different content lines: contiguous only if every line in between is blank
    gap = doc.text[prev_end:start]
    return not gap.strip()


def chunk_document(doc: Document, params: ChunkingParams, first_id: int = 0) -> list[Chunk]:
    """Cut one document into overlapping sentence windows."""
    sentences: list[tuple[int, int]] = []
    for s, e in sentences_in_spans(doc.text, doc.content_spans):
        sentences.extend(_cut_long(doc.text, s, e, params.hard_max_chars))
    chunks: list[Chunk] = []
    step_back = params.overlap_sentences
    for run in _runs(doc, sentences):
        i = 0
        while i < len(run):
            j = i + 1  # window is run[i:j]
            while (
                j < len(run)
                and j - i < params.max_sentences
                and run[j][1] - run[i][0] <= params.max_chars
            ):
                j += 1
            start, end = run[i][0], run[j - 1][1]
            chunks.append(
                Chunk(
                    chunk_id=first_id + len(chunks),
                    doc_id=doc.doc_id,
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    sentences=tuple(run[i:j]),
                )
            )
            if j >= len(run):
                break
            i = max(i + 1, j - step_back)
    return chunks


def chunk_corpus(documents: list[Document], params: ChunkingParams) -> list[Chunk]:
    """Chunks of every document, numbered consecutively."""
    chunks: list[Chunk] = []
    for doc in documents:
        chunks.extend(chunk_document(doc, params, first_id=len(chunks)))
    return chunks
