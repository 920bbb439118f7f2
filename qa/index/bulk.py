"""Bulk ingestion (``vnqa ingest``): many documents straight into the store, one base at the end.

Writing through :class:`~qa.index.live.LiveIndex` would re-lay the live view after every batch;
a bulk load only needs the store, so batches are prepared (chunked, tokenised, embedded) and
committed one transaction each, and the base index is built once at the end. A killed run loses
at most the batch in flight; the next run skips every document the store already holds with the
same text, title and date, so it resumes where it stopped.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from qa.index.base import base_lock, build_base, read_manifest
from qa.index.prepare import Preparer, derivation_key
from qa.index.vector_cache import VectorCache
from qa.ingest import sources
from qa.ingest.chunking import ChunkingParams
from qa.ingest.store import DocStore
from qa.lexicon import lexicon_fingerprint


@dataclass
class IngestReport:
    seen: int = 0
    written: int = 0
    skipped: int = 0  # already stored, unchanged
    failed: int = 0
    chunks: int = 0
    sentences: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    base_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    errors: list[str] = field(default_factory=list)  # the first few, "where: why"

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {**asdict(self), "chunks_per_second": round(self.chunks_per_second, 1)}


class Progress:
    """One line on stderr: a bar on a terminal, a line every ``every`` seconds otherwise."""

    def __init__(self, total: int, stream=sys.stderr, every: float = 30.0):
        self.total, self.stream, self.every = total, stream, every
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.t0 = self.last = time.perf_counter()

    def update(self, report: IngestReport, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last < (0.5 if self.tty else self.every):
            return
        self.last = now
        done = report.seen
        rate = report.chunks / (now - self.t0) if now > self.t0 else 0.0
        # skipped (already stored) documents cost next to nothing: time those that were written
        per_doc = (now - self.t0) / max(1, report.written + report.failed)
        eta = per_doc * max(0, self.total - done)
        width = 30
        filled = int(width * done / self.total) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        line = (f"[{bar}] {done}/{self.total} documents · {report.written} written, {report.skipped} skipped, "
                f"{report.failed} failed · {rate:.1f} chunks/s · ETA {eta / 60:.0f} min")
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def open_store(index_dir: Path, embedder, chunking: ChunkingParams) -> DocStore:
    """The store, checked to hold chunks derived the way this run derives them."""
    store = DocStore(Path(index_dir) / "store.sqlite")
    key = derivation_key(embedder, chunking, lexicon_fingerprint())
    stored = store.meta("derivation")
    if stored is None and store.count() == 0:
        store.set_meta("derivation", key)
    elif stored != key:
        raise RuntimeError(f"{index_dir} holds chunks made with another model, chunking or lexicon; open it once "
                           "with `vnqa build --index …` to re-derive them, then ingest")
    return store


def documents_to_write(source: Path, stored: dict, report: IngestReport, limit: int | None = None
                       ) -> Iterator[sources.SourceItem]:
    """The documents of ``source`` that the store lacks or holds otherwise (``stored``:
    :meth:`DocStore.signatures`); the others are counted in ``report`` as skipped or failed."""
    for item in sources.read(source):
        if limit and report.seen >= limit:
            break
        report.seen += 1
        if item.error is not None:
            report.failed += 1
            if len(report.errors) < 20:
                report.errors.append(f"{item.where}: {item.error}")
            continue
        doc = item.document
        if stored.get(doc.doc_id) == (doc.sha256, doc.title, doc.published):
            report.skipped += 1
            continue
        yield item


def finish(store: DocStore, index_dir: Path, embedder, chunking: ChunkingParams, report: IngestReport,
           build: bool, log=print) -> IngestReport:
    """Build the base once (when anything was written, or none exists yet) and close the store."""
    if build and (report.written or read_manifest(index_dir) is None):
        t = time.perf_counter()
        with base_lock(index_dir):
            build_base(store, index_dir, derivation_key(embedder, chunking, lexicon_fingerprint()), embedder.dim,
                       log=log)
        report.base_seconds = time.perf_counter() - t
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    return report


def ingest(source: Path, index_dir: Path, embedder, chunking: ChunkingParams = ChunkingParams(),
           batch_size: int = 16, limit: int | None = None, build: bool = True, progress: bool = True,
           origin: str = "cli", log=print) -> IngestReport:
    """Put every document of ``source`` into the store of ``index_dir``; then build the base."""
    t0 = time.perf_counter()
    store = open_store(index_dir, embedder, chunking)
    cache = VectorCache(Path(index_dir) / "vectors.sqlite", embedder.fingerprint, embedder.dim)
    preparer = Preparer(embedder, chunking, cache)
    stored = store.signatures()
    total = sources.count(source)
    total = min(total, limit) if limit else total
    bar = Progress(total) if progress else None
    report = IngestReport()
    batch: list[sources.SourceItem] = []

    def flush() -> None:
        if not batch:
            return
        t = time.perf_counter()
        prepared = preparer.prepare([i.document for i in batch], origin=origin,
                                    source_urls={i.document.doc_id: i.source_url for i in batch})
        report.embed_seconds += time.perf_counter() - t
        store.put(prepared)
        report.written += len(batch)
        report.chunks += sum(len(p.chunks) for p in prepared)
        report.sentences += sum(len(p.sentences) for p in prepared)
        batch.clear()

    try:
        for item in documents_to_write(source, stored, report, limit):
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
            report.seconds = time.perf_counter() - t0
            if bar:
                bar.update(report)
        flush()
    finally:
        cache.close()
        report.seconds = time.perf_counter() - t0
        if bar:
            bar.update(report, force=True)
            bar.close()
    return finish(store, index_dir, embedder, chunking, report, build, log)
