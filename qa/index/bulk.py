"""Bulk ingestion (``vnqa ingest``): many documents straight into the store, one base at the end.

Writing through :class:`~qa.index.live.LiveIndex` would re-lay the live view after every batch;
a bulk load only needs the store, so batches are prepared (chunked, tokenised, embedded) and
committed one transaction each, and the base index is built once at the end. A killed run loses
at most the batches in flight; the next run skips every document the store already holds with the
same text, title and date, so it resumes where it stopped.

``jobs`` > 1 prepares batches in that many worker processes, each with one compute thread: on 2
cores two single-threaded encoders embed more passages a second than one encoder on two threads
(a batch-of-one run is too small to split well), and underthesea's segmentation, which is pure
Python, runs on both cores instead of one. This process stays the only writer: it hands out
batches, and stores what comes back in source order, so the store is the one a single process
would have written (vectors included: one text per encoder run makes each vector a function of
its text alone, whatever the thread count).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from qa.index.base import base_lock, build_base, read_manifest
from qa.index.prepare import Preparer, derivation_key, embedder_spec, worker_preparer
from qa.index.vector_cache import VectorCache
from qa.ingest import sources
from qa.ingest.chunking import ChunkingParams
from qa.ingest.store import DocStore, PreparedDocument
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


def store_prepared(store: DocStore, cache: VectorCache, prepared: list[PreparedDocument],
                   report: IngestReport) -> None:
    """Write prepared documents in one transaction, and fill the vector cache with vectors made
    elsewhere (a worker process, a Ray actor) as a single-process load would have."""
    if not prepared:
        return
    _write(store, prepared, report)
    for kind in ("chunks", "sentences"):
        texts, vectors = [], {}
        for p in prepared:
            for x in getattr(p, kind):
                text = p.document.text[x.start:x.end]
                texts.append(text)
                vectors[text] = x.vector
        cache.embed("passage", texts, lambda missing: np.stack([vectors[t] for t in missing]))


def _write(store: DocStore, prepared: list[PreparedDocument], report: IngestReport) -> None:
    """One transaction of prepared documents, counted in ``report``."""
    store.put(prepared)
    report.written += len(prepared)
    report.chunks += sum(len(p.chunks) for p in prepared)
    report.sentences += sum(len(p.sentences) for p in prepared)


# the pool workers' preparer, built once per process by _start_worker
_worker: Preparer | None = None


def _exit_with_parent(parent: int) -> None:
    """Leave when the driver is gone: a ``kill -9`` of ``vnqa ingest`` would otherwise leave its
    workers embedding for nobody (they are not told; the call queue just stops)."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(1.0)


def _start_worker(spec: dict, chunking: ChunkingParams, cache_path: str, parent: int) -> None:
    global _worker
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()
    # a read-only view of the driver's cache: texts it already holds are not embedded again
    _worker = worker_preparer(spec, chunking, threads=1, cache_path=Path(cache_path))


def _prepare_batch(documents: list, origin: str, source_urls: dict) -> tuple[list[PreparedDocument], float]:
    t = time.perf_counter()
    prepared = _worker.prepare(documents, origin=origin, source_urls=source_urls)
    return prepared, time.perf_counter() - t


def ingest(source: Path, index_dir: Path, embedder, chunking: ChunkingParams = ChunkingParams(),
           batch_size: int = 16, limit: int | None = None, build: bool = True, progress: bool = True,
           origin: str = "cli", jobs: int = 1, log=print) -> IngestReport:
    """Put every document of ``source`` into the store of ``index_dir``; then build the base.
    ``jobs`` processes prepare the documents (1: this process does)."""
    t0 = time.perf_counter()
    store = open_store(index_dir, embedder, chunking)
    cache = VectorCache(Path(index_dir) / "vectors.sqlite", embedder.fingerprint, embedder.dim)
    stored = store.signatures()
    total = sources.count(source)
    total = min(total, limit) if limit else total
    bar = Progress(total) if progress else None
    report = IngestReport()
    batch: list[sources.SourceItem] = []
    preparer = Preparer(embedder, chunking, cache) if jobs <= 1 else None
    pool: ProcessPoolExecutor | None = None
    in_flight: deque[Future] = deque()

    def collect(block_until: int) -> None:
        """Store finished batches in the order they were handed out, until at most
        ``block_until`` are still in flight."""
        while in_flight and (len(in_flight) > block_until or in_flight[0].done()):
            prepared, seconds = in_flight.popleft().result()
            report.embed_seconds += seconds
            store_prepared(store, cache, prepared, report)

    def flush() -> None:
        nonlocal pool
        if not batch:
            return
        documents = [i.document for i in batch]
        urls = {i.document.doc_id: i.source_url for i in batch}
        batch.clear()
        if preparer is not None:
            t = time.perf_counter()
            prepared = preparer.prepare(documents, origin=origin, source_urls=urls)
            report.embed_seconds += time.perf_counter() - t
            _write(store, prepared, report)  # the preparer filled the vector cache itself
            return
        if pool is None:  # started only when there is work: a resumed run may skip everything
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker,
                                       initargs=(embedder_spec(embedder), chunking, str(cache.path), os.getpid()))
        in_flight.append(pool.submit(_prepare_batch, documents, origin, urls))
        collect(block_until=2 * jobs)  # keep every worker busy with one batch queued behind it

    try:
        for item in documents_to_write(source, stored, report, limit):
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
            report.seconds = time.perf_counter() - t0
            if bar:
                bar.update(report)
        flush()
        collect(block_until=0)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        cache.close()
        report.seconds = time.perf_counter() - t0
        if bar:
            bar.update(report, force=True)
            bar.close()
    return finish(store, index_dir, embedder, chunking, report, build, log)
