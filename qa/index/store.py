"""Building, persisting and loading the search index, with a manifest and an atomic swap.

Layout under the index folder::

    index/
      current -> build-<stamp>/     (symlink, replaced atomically)
      build-<stamp>/
        manifest.json               model, model checksum, corpus hash, chunking, versions
        documents.jsonl             original texts + metadata (what citations point into)
        chunks.jsonl                chunk offsets and sentence offsets
        sentences.json              unique sentences: [doc_id, start, end]
        chunk_vectors.npy           e5 passage vectors of chunks
        sentence_vectors.npy        e5 passage vectors of sentences (used to pick answers)
        dense.faiss                 FAISS index over chunk vectors
        bm25/                       bm25s index over lexical tokens
      vectors.sqlite                embedding cache keyed by content hash

A build writes a fresh ``build-*`` folder and only then points ``current`` at it with
``os.replace`` on a symlink, so a crash mid-build leaves the previous index untouched.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from qa.ingest.chunking import Chunk, ChunkingParams, chunk_corpus
from qa.index.dense import DenseIndex, choose_kind
from qa.ingest.documents import Document, corpus_hash
from qa.index.bm25 import LexicalIndex, tokenize
from qa.ingest.segment import word_tokenize
from qa.index.vector_cache import VectorCache
from qa.lexicon import lexicon_fingerprint

FORMAT_VERSION = 1
CURRENT = "current"
_VERSIONED_PACKAGES = ("faiss-cpu", "bm25s", "underthesea", "sentence-transformers", "torch")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def library_versions() -> dict[str, str | None]:
    return {p: _version(p) for p in _VERSIONED_PACKAGES}


def build_key(documents: list[Document], model_name: str, model_fingerprint: str,
              chunking: ChunkingParams) -> dict:
    """What the index depends on; any difference from the stored manifest forces a rebuild."""
    return {
        "format_version": FORMAT_VERSION,
        "model": model_name,
        "model_fingerprint": model_fingerprint,
        "corpus_hash": corpus_hash(documents),
        "chunking": chunking.to_dict(),
        "lexicon": lexicon_fingerprint(),
        "versions": library_versions(),
    }


@dataclass
class LoadedIndex:
    """Everything the retriever needs, in memory (vectors memory-mapped)."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    chunk_sentences: list[list[int]]  # chunk id -> sentence ids
    sentences: list[tuple[str, int, int]]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _document_row(doc: Document) -> dict:
    return {
        "doc_id": doc.doc_id, "title": doc.title, "text": doc.text, "published": doc.published,
        "published_at": doc.published_at, "publisher": doc.publisher,
        "source_path": doc.source_path, "content_spans": [list(s) for s in doc.content_spans],
    }


def _document_from_row(row: dict) -> Document:
    row = dict(row)
    row["content_spans"] = tuple(tuple(s) for s in row["content_spans"])
    return Document(**row)


def read_manifest(index_dir: Path) -> dict | None:
    """The manifest of the live index, or None when there is none (or it is unreadable)."""
    path = Path(index_dir) / CURRENT / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stale_reason(index_dir: Path, key: dict) -> str | None:
    """Why the live index cannot serve ``key`` (None when it can)."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return "no index built yet"
    for field, value in key.items():
        if manifest.get(field) != value:
            return f"{field} changed"
    return None


def build_index(documents: list[Document], index_dir: Path, embedder, chunking: ChunkingParams,
                dense_kind: str | None = None, log=print) -> dict:
    """Build a complete index in a new folder, then make it the live one. Returns the manifest."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    key = build_key(documents, embedder.name, embedder.fingerprint, chunking)

    chunks = chunk_corpus(documents, chunking)
    sentence_ids: dict[tuple[str, int, int], int] = {}
    chunk_sentences = []
    for c in chunks:
        ids = []
        for s, e in c.sentences:
            ids.append(sentence_ids.setdefault((c.doc_id, s, e), len(sentence_ids)))
        chunk_sentences.append(ids)
    sentences = list(sentence_ids)
    docs_by_id = {d.doc_id: d for d in documents}
    t_chunk = time.perf_counter()

    token_lists = [tokenize(c.text, word_tokenize(c.text)) for c in chunks]
    lexical = LexicalIndex.build(token_lists)
    t_lex = time.perf_counter()

    cache = VectorCache(index_dir / "vectors.sqlite", embedder.fingerprint, embedder.dim)
    try:
        chunk_vectors = cache.embed("passage", [c.text for c in chunks], embedder.encode_passages)
        sentence_texts = [docs_by_id[d].text[s:e] for d, s, e in sentences]
        sentence_vectors = cache.embed("passage", sentence_texts, embedder.encode_passages)
        hits, misses = cache.hits, cache.misses
    finally:
        cache.close()
    t_embed = time.perf_counter()
    dense = DenseIndex.build(chunk_vectors, dense_kind or choose_kind(len(chunk_vectors)))
    t_dense = time.perf_counter()

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    build_dir = index_dir / f"build-{stamp}"
    tmp_dir = index_dir / f".tmp-build-{stamp}-{os.getpid()}"
    tmp_dir.mkdir()
    try:
        _write_jsonl(tmp_dir / "documents.jsonl", (_document_row(d) for d in documents))
        _write_jsonl(tmp_dir / "chunks.jsonl",
                     ({**c.to_dict(), "sentence_ids": ids} for c, ids in zip(chunks, chunk_sentences)))
        (tmp_dir / "sentences.json").write_text(json.dumps([list(s) for s in sentences], ensure_ascii=False))
        np.save(tmp_dir / "chunk_vectors.npy", chunk_vectors)
        np.save(tmp_dir / "sentence_vectors.npy", sentence_vectors)
        dense.save(tmp_dir / "dense.faiss")
        lexical.save(tmp_dir / "bm25")
        manifest = {
            **key,
            "dense_index": dense.kind,
            "dim": int(chunk_vectors.shape[1]) if len(chunk_vectors) else embedder.dim,
            "n_documents": len(documents),
            "n_chunks": len(chunks),
            "n_sentences": len(sentences),
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "embedding_cache": {"hits": hits, "misses": misses},
            "timings_s": {
                "chunking": round(t_chunk - t0, 3), "bm25": round(t_lex - t_chunk, 3),
                "embedding": round(t_embed - t_lex, 3), "faiss": round(t_dense - t_embed, 3),
                "total": round(time.perf_counter() - t0, 3),
            },
        }
        # The manifest is written last: a folder without one is never a complete build.
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(tmp_dir, build_dir)
        _point_current(index_dir, build_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    _remove_old_builds(index_dir, keep=build_dir)
    log(f"vnqa: indexed {len(documents)} documents, {len(chunks)} chunks, {len(sentences)} sentences "
        f"in {manifest['timings_s']['total']:.1f}s ({dense.kind} FAISS index; "
        f"embedding cache {hits} hits, {misses} new)")
    return manifest


def _point_current(index_dir: Path, build_dir: Path) -> None:
    """Atomically make ``current`` point at ``build_dir`` (rename of a fresh symlink)."""
    link_tmp = index_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(build_dir.name)
    os.replace(link_tmp, index_dir / CURRENT)


def _remove_old_builds(index_dir: Path, keep: Path) -> None:
    for path in index_dir.iterdir():
        if path.name.startswith(("build-", ".tmp-build-")) and path != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the live index; raises FileNotFoundError when there is none."""
    path = (Path(index_dir) / CURRENT).resolve()
    manifest_path = path / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"no built index in {index_dir} (run `vnqa build`)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    documents = {r["doc_id"]: _document_from_row(r) for r in _read_jsonl(path / "documents.jsonl")}
    rows = _read_jsonl(path / "chunks.jsonl")
    chunks = [Chunk.from_dict({k: v for k, v in r.items() if k != "sentence_ids"}) for r in rows]
    chunk_sentences = [r["sentence_ids"] for r in rows]
    sentences = [tuple(s) for s in json.loads((path / "sentences.json").read_text(encoding="utf-8"))]
    return LoadedIndex(
        path=path,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        chunk_sentences=chunk_sentences,
        sentences=sentences,
        chunk_vectors=np.load(path / "chunk_vectors.npy", mmap_mode="r"),
        sentence_vectors=np.load(path / "sentence_vectors.npy", mmap_mode="r"),
        dense=DenseIndex.load(path / "dense.faiss", manifest["dense_index"]),
        lexical=LexicalIndex.load(path / "bm25"),
    )
