"""The base segment: FAISS and BM25 built from the whole store at one generation, on disk.

Layout under the index folder::

    index/
      store.sqlite                  the source of truth (qa.ingest.store)
      vectors.sqlite                embedding cache keyed by content hash
      current -> base-<stamp>/      (symlink, replaced atomically)
      base-<stamp>/
        manifest.json               generation, derivation key, counts, BM25 statistics, versions
        chunk_ids.npy               store chunk id of each position
        sentence_ids.npy            store sentence id of each position
        chunk_vectors.npy           e5 passage vectors of chunks
        sentence_vectors.npy        e5 passage vectors of sentences (the reader's similarity)
        dense.faiss                 FAISS index over chunk vectors
        bm25/                       bm25s index over the stored tokens

A base is written to a temporary folder and only then pointed at by ``current`` (``os.replace``
on a symlink), so a crash mid-build leaves the previous base in place. Nothing here reads a
corpus or runs the encoder: a base is rebuilt from the store alone.
"""

from __future__ import annotations

import fcntl
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

from qa.index.bm25 import LexicalIndex
from qa.index.dense import DenseIndex, choose_kind
from qa.ingest.store import DocStore

FORMAT_VERSION = 2
CURRENT = "current"
VERSIONED_PACKAGES = ("faiss-cpu", "bm25s", "underthesea", "sentence-transformers", "torch", "onnxruntime")


def library_versions(packages: tuple[str, ...] = VERSIONED_PACKAGES) -> dict[str, str | None]:
    """Installed versions of ``packages`` (None: not installed), recorded beside what they built."""
    out = {}
    for p in packages:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


@dataclass
class BaseSegment:
    """One built base, loaded (vectors memory-mapped)."""

    path: Path | None
    manifest: dict
    chunk_ids: np.ndarray
    sentence_ids: np.ndarray
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex

    @property
    def generation(self) -> int:
        return self.manifest["generation"]


def read_manifest(index_dir: Path) -> dict | None:
    """The manifest of the live base, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((Path(index_dir) / CURRENT / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_base(store: DocStore, index_dir: Path, key: dict, dim: int, dense_kind: str | None = None,
               log=print) -> BaseSegment:
    """Build a base from everything the store holds now, write it, and make it the live one."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with store.read_snapshot():  # one consistent state even while the service writes
        generation = store.generation
        chunk_ids = [r.chunk_id for r in store.chunk_rows()]
        sentence_ids = [r[0] for r in store.sentence_rows()]
        tokens = store.chunk_tokens(chunk_ids)
        chunk_vectors = store.chunk_vectors(chunk_ids, dim)
        sentence_vectors = store.sentence_vectors(sentence_ids, dim)
    t_read = time.perf_counter()
    lexical = LexicalIndex.build(tokens) if tokens else None
    t_lex = time.perf_counter()
    kind = dense_kind or choose_kind(len(chunk_vectors))
    dense = DenseIndex.build(chunk_vectors, kind) if len(chunk_vectors) else DenseIndex.empty(dim)
    t_dense = time.perf_counter()

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    base_dir = index_dir / f"base-{stamp}"
    tmp_dir = index_dir / f".tmp-base-{stamp}-{os.getpid()}"
    tmp_dir.mkdir()
    try:
        np.save(tmp_dir / "chunk_ids.npy", np.asarray(chunk_ids, dtype=np.int64))
        np.save(tmp_dir / "sentence_ids.npy", np.asarray(sentence_ids, dtype=np.int64))
        np.save(tmp_dir / "chunk_vectors.npy", chunk_vectors)
        np.save(tmp_dir / "sentence_vectors.npy", sentence_vectors)
        dense.save(tmp_dir / "dense.faiss")
        if lexical is not None:
            lexical.save(tmp_dir / "bm25")
        manifest = {
            "format_version": FORMAT_VERSION,
            **key,
            "generation": generation,
            "dense_index": dense.kind,
            "dim": dim,
            "n_chunks": len(chunk_ids),
            "n_sentences": len(sentence_ids),
            "bm25_total_tokens": int(sum(len(t) for t in tokens)),
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "versions": library_versions(),
            "timings_s": {"read_store": round(t_read - t0, 3), "bm25": round(t_lex - t_read, 3),
                          "faiss": round(t_dense - t_lex, 3), "total": round(time.perf_counter() - t0, 3)},
        }
        # The manifest is written last: a folder without one is never a complete base.
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(tmp_dir, base_dir)
        _point_current(index_dir, base_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    _remove_old_bases(index_dir, keep=base_dir)
    log(f"vnqa: base index of {len(chunk_ids)} chunks, {len(sentence_ids)} sentences at generation "
        f"{generation} in {manifest['timings_s']['total']:.1f}s ({dense.kind} FAISS)")
    return load_base(index_dir)


class base_lock:
    """An exclusive ``flock`` on ``index_dir/merge.lock``: one process builds a base at a time
    (service workers merging, a ``vnqa ingest`` finishing). ``name`` picks another lock file of
    the folder for another critical section (two sections must not share a file: a process
    holding one would wait for itself)."""

    def __init__(self, index_dir: Path, name: str = "merge.lock"):
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        self.path = Path(index_dir) / name

    def __enter__(self):
        self.f = open(self.path, "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()
        return False


def _point_current(index_dir: Path, base_dir: Path) -> None:
    """Atomically make ``current`` point at ``base_dir`` (rename of a fresh symlink)."""
    link_tmp = index_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(base_dir.name)
    os.replace(link_tmp, index_dir / CURRENT)


def _remove_old_bases(index_dir: Path, keep: Path) -> None:
    """Older bases and abandoned temporary folders (also ``build-*`` of the pre-store format)."""
    for path in index_dir.iterdir():
        if path.name.startswith(("base-", ".tmp-base-", "build-", ".tmp-build-")) and path != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def load_base(index_dir: Path) -> BaseSegment:
    """Load the live base; raises FileNotFoundError when there is none."""
    path = (Path(index_dir) / CURRENT).resolve()
    manifest_path = path / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"no base index in {index_dir}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    lexical = LexicalIndex.load(path / "bm25") if (path / "bm25").is_dir() else None
    return BaseSegment(
        path=path,
        manifest=manifest,
        chunk_ids=np.load(path / "chunk_ids.npy"),
        sentence_ids=np.load(path / "sentence_ids.npy"),
        chunk_vectors=np.load(path / "chunk_vectors.npy", mmap_mode="r"),
        sentence_vectors=np.load(path / "sentence_vectors.npy", mmap_mode="r"),
        dense=DenseIndex.load(path / "dense.faiss", manifest["dense_index"]),
        lexical=lexical,
    )
