"""Bulk ingestion with the expensive half on Ray (``vnqa ingest … --ray ADDRESS``).

What this does: the same load as :func:`qa.index.bulk.ingest`, with chunking, BM25 tokenising
(underthesea) and e5 embedding spread over a pool of Ray actors through Ray Data. The driver
reads the source with :func:`qa.ingest.sources.read` (so parsing is identical), skips what the
store already holds unchanged (so a killed run resumes), hands the rest to
``Dataset.map_batches`` (one actor builds its encoder and :class:`~qa.index.prepare.Preparer`
once), and writes what comes back itself: the driver is the only writer of ``store.sqlite`` and
of the vector cache, in source order and in transactions of ``batch_size`` documents, exactly as
the single-process path groups them. The base (FAISS + BM25) is then built once on the driver
under :func:`~qa.index.base.base_lock`. Actors keep their vector cache in memory: several
processes on one SQLite file is not wanted, and on a real cluster the file is not theirs to see;
each embeds a distinct text once, like the file cache would.

``address``: ``"local"`` starts a Ray on this machine (one CPU per core, no dashboard), ``"auto"``
or ``host:port`` joins a running cluster. Workers on other machines need this package, its
model cache (``VNQA_MODEL_CACHE``) and the same onnxruntime; each actor checks that its encoder's
fingerprint equals the driver's and refuses to run otherwise, so a mixed cluster cannot write
vectors from another model.

How serving scales past one machine (what this module does *not* do): an index folder is one
SQLite store plus one base; ingest is the part that needed a cluster, serving does not share a
writer. To serve more questions, run more replicas of the same API — e.g. ``vnqa serve`` behind a
load balancer, or a Ray Serve deployment whose replicas each open a read-only copy of the index
folder (rsync'd or on shared storage; each replica's ``LiveIndex.refresh`` picks up a newer
generation) — while exactly one process writes. To hold a corpus larger than one machine's
memory, shard by document: each shard is its own index folder and searcher, the front end asks
every shard for its top k and merges the lists by rank (reciprocal-rank fusion, as the retriever
already fuses BM25 and dense lists), then reads the answer from the merged passages. Neither the
replicas nor the sharded front end exist in this code base yet.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from qa.index.bulk import IngestReport, Progress, documents_to_write, finish, open_store, store_prepared
from qa.index.prepare import embedder_spec, worker_preparer
from qa.index.vector_cache import VectorCache
from qa.ingest import sources
from qa.ingest.chunking import ChunkingParams
from qa.ingest.documents import Document
from qa.ingest.store import PreparedChunk, PreparedDocument, PreparedSentence

# environment the workers need to build the same encoder as the driver (a cluster's workers do
# not inherit the driver's environment)
_FORWARDED_ENV = ("HF_HUB_OFFLINE", "VNQA_MODEL", "VNQA_MODEL_CACHE", "VNQA_ENCODER")


# ------------------------------------------------------------------------------ the actors
class PrepareActor:
    """One per Ray actor: the encoder and the preparer are built once, then every batch of
    documents (JSON in column ``doc``) is chunked, tokenised and embedded."""

    def __init__(self, spec: dict, chunking: ChunkingParams, threads: int = 1):
        # the actor's share of the node, not every core of it (the default for onnxruntime)
        self.preparer = worker_preparer(spec, chunking, threads)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        t = time.perf_counter()
        documents = [_document(json.loads(s)) for s in batch["doc"]]
        prepared = self.preparer.prepare(documents)
        share = (time.perf_counter() - t) / max(1, len(prepared))
        return {
            "i": np.asarray(batch["i"], dtype=np.int64),
            "chunks": np.asarray([json.dumps([[c.start, c.end, [list(s) for s in c.sentences], c.tokens]
                                              for c in p.chunks], ensure_ascii=False) for p in prepared],
                                 dtype=object),
            "sentences": np.asarray([json.dumps([[s.start, s.end] for s in p.sentences]) for p in prepared],
                                    dtype=object),
            "chunk_vectors": np.asarray([_vector_bytes([c.vector for c in p.chunks]) for p in prepared],
                                        dtype=object),
            "sentence_vectors": np.asarray([_vector_bytes([s.vector for s in p.sentences]) for p in prepared],
                                           dtype=object),
            "seconds": np.full(len(prepared), share, dtype=np.float64),
        }


def _vector_bytes(vectors: list[np.ndarray]) -> bytes:
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)).tobytes()


def _document(fields: dict) -> Document:
    fields["content_spans"] = tuple(tuple(s) for s in fields["content_spans"])
    return Document(**fields)


def _prepared(row: dict, document: Document, source_url: str | None, origin: str, dim: int) -> PreparedDocument:
    """A row the actors returned, as the PreparedDocument the single-process path would have made."""
    chunks = json.loads(row["chunks"])
    sentences = json.loads(row["sentences"])
    cvec = np.frombuffer(row["chunk_vectors"], dtype=np.float32).reshape(len(chunks), dim)
    svec = np.frombuffer(row["sentence_vectors"], dtype=np.float32).reshape(len(sentences), dim)
    return PreparedDocument(
        document,
        [PreparedChunk(s, e, tuple(tuple(x) for x in sents), tokens, cvec[k])
         for k, (s, e, sents, tokens) in enumerate(chunks)],
        [PreparedSentence(s, e, svec[k]) for k, (s, e) in enumerate(sentences)],
        source_url=source_url, origin=origin)


# ------------------------------------------------------------------------------ the driver
def _shown(report: IngestReport) -> IngestReport:
    """The report as the progress bar counts it: documents read ahead of the actors are not done."""
    return replace(report, seen=report.written + report.skipped + report.failed)


def _connect(address: str) -> bool:
    """Start or join Ray; True when this call started it (and so shuts it down)."""
    import ray

    if ray.is_initialized():
        return False
    env = {k: os.environ[k] for k in _FORWARDED_ENV if k in os.environ}
    runtime_env = {"env_vars": env} if env else None
    if address == "local":
        ray.init(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=False,
                 runtime_env=runtime_env, log_to_driver=False)
    else:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    return True


def ingest_with_ray(source: Path, index_dir: Path, embedder, chunking: ChunkingParams = ChunkingParams(),
                    address: str = "local", batch_size: int = 16, limit: int | None = None,
                    concurrency: int | None = None, cpus_per_actor: int = 1, window: int = 4096,
                    build: bool = True, progress: bool = True, origin: str = "cli", log=print) -> IngestReport:
    """Put every document of ``source`` into the store of ``index_dir``, embedding on Ray; then
    build the base. ``concurrency`` actors (default: one per ``cpus_per_actor`` CPUs of the
    cluster) prepare the documents; ``window`` documents at a time go through one Ray dataset,
    so the driver never holds a whole large source in memory."""
    import ray

    t0 = time.perf_counter()
    store = open_store(index_dir, embedder, chunking)
    cache = VectorCache(Path(index_dir) / "vectors.sqlite", embedder.fingerprint, embedder.dim)
    stored = store.signatures()
    total = sources.count(source)
    total = min(total, limit) if limit else total
    bar = Progress(total) if progress else None
    report = IngestReport()
    window = max(batch_size, window // batch_size * batch_size)  # transactions as bulk groups them
    spec = embedder_spec(embedder)
    ray_state = {"connected": False, "started": False, "actors": concurrency}  # Ray only when there is work

    def connect() -> int:
        if not ray_state["connected"]:
            ray_state["connected"] = True
            ray_state["started"] = _connect(address)
            ctx = ray.data.DataContext.get_current()
            ctx.execution_options.preserve_order = True  # the store gets documents in source order
            ctx.enable_progress_bars = False
            ctx.print_on_execution_start = False
            if ray_state["actors"] is None:
                cpus = int(ray.cluster_resources().get("CPU", 1))
                ray_state["actors"] = max(1, cpus // cpus_per_actor)
            log(f"vnqa: Ray {ray.__version__} at {address}: {ray_state['actors']} actor(s) × {cpus_per_actor} CPU")
        return ray_state["actors"]

    def put(prepared: list[PreparedDocument]) -> None:
        store_prepared(store, cache, prepared, report)

    def run(items: list[sources.SourceItem]) -> None:
        if not items:
            return
        actors = connect()
        rows = [{"i": i, "doc": json.dumps(asdict(item.document), ensure_ascii=False)}
                for i, item in enumerate(items)]
        ds = ray.data.from_items(rows).map_batches(
            PrepareActor, fn_constructor_kwargs={"spec": spec, "chunking": chunking, "threads": cpus_per_actor},
            compute=ray.data.ActorPoolStrategy(size=actors), batch_size=batch_size,
            batch_format="numpy", num_cpus=cpus_per_actor, udf_modifying_row_count=False)
        pending: list[PreparedDocument] = []
        for row in ds.iter_rows():
            item = items[int(row["i"])]
            pending.append(_prepared(row, item.document, item.source_url, origin, embedder.dim))
            report.embed_seconds += float(row["seconds"])
            if len(pending) >= batch_size:
                put(pending)
                pending = []
                report.seconds = time.perf_counter() - t0
                if bar:
                    bar.update(_shown(report))
        put(pending)

    try:
        todo: list[sources.SourceItem] = []
        for item in documents_to_write(source, stored, report, limit):
            todo.append(item)
            if len(todo) >= window:
                run(todo)
                todo = []
            if bar:
                bar.update(_shown(report))
        run(todo)
    finally:
        cache.close()
        report.seconds = time.perf_counter() - t0
        if bar:
            bar.update(_shown(report), force=True)
            bar.close()
        if ray_state["started"]:
            ray.shutdown()
    return finish(store, index_dir, embedder, chunking, report, build, log)
