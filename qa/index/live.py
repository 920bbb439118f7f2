"""A live index: the base segment plus what was written since, answering while documents change.

Positions. Every chunk and sentence has a *position* in the current view: the base's positions
first, then the fresh ones (written since the base) in store-id order. A position never
changes until the next merge; a deleted or replaced document's positions become tombstones
(``None`` in ``chunks``/``sentences``, ``False`` in ``alive``) that no search returns.

* Dense: the base FAISS index is searched for ``k`` plus the number of base tombstones and the
  dead are dropped, which is exact; fresh vectors (a few thousand at most) are scored by one
  matrix product.
* BM25: bm25s scores the base; fresh chunks are scored by :class:`FreshBM25` with the
  document frequencies of base and fresh together. Base scores keep the base's statistics
  until the next merge (``eval/bench_ingest.py`` measures the difference to a full rebuild).
* Merge: when fresh chunks and tombstones pass ``merge_at`` (a share of the base, at least a
  floor), a new base is built from the store in a background thread and swapped in; listeners
  (the service's readers) are told, since positions change then.

Several processes (``vnqa serve --workers N``, a ``vnqa ingest`` run) can share one store:
:meth:`LiveIndex.refresh` applies what another process committed since this one last looked.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable

import numpy as np

from qa.index.base import FORMAT_VERSION, BaseSegment, base_lock, build_base, load_base, read_manifest
from qa.index.bm25 import LexicalIndex
from qa.index.prepare import Preparer, derivation_key
from qa.index.vector_cache import VectorCache
from qa.ingest.chunking import Chunk, ChunkingParams
from qa.ingest.documents import Document, corpus_hash_of
from qa.ingest.store import DocStore
from qa.lexicon import lexicon_fingerprint

BM25_K1, BM25_B = 1.2, 0.75  # the values LexicalIndex.build uses
MERGE_SHARE = 0.1  # merge when fresh + dead chunks pass this share of the base…
MERGE_FLOOR = 2000  # …but never for fewer than this many


class StackedRows:
    """Rows of a base array followed by fresh rows, addressed by position, without copying the
    (memory-mapped) base."""

    def __init__(self, base: np.ndarray, fresh: np.ndarray):
        self.base, self.fresh = base, fresh
        self.n_base = len(base)
        self.shape = (self.n_base + len(fresh), base.shape[1] if base.ndim == 2 else fresh.shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, idx):
        if isinstance(idx, (int, np.integer)):
            return self.base[idx] if idx < self.n_base else self.fresh[idx - self.n_base]
        idx = np.asarray(idx, dtype=np.int64)
        if not len(self.fresh):
            return np.asarray(self.base[idx])
        out = np.empty((len(idx), self.shape[1]), dtype=np.float32)
        in_base = idx < self.n_base
        if in_base.any():
            out[in_base] = self.base[idx[in_base]]
        out[~in_base] = self.fresh[idx[~in_base] - self.n_base]
        return out


class FreshBM25:
    """Lucene BM25 over the fresh chunks, with corpus statistics of base and fresh together, so
    a fresh chunk scores as it would after a merge (checked against bm25s in the tests)."""

    def __init__(self, token_lists: list[list[str]], base: LexicalIndex | None, base_n: int,
                 base_total_tokens: int, k1: float = BM25_K1, b: float = BM25_B):
        self.base, self.k1, self.b = base, k1, b
        self.n = base_n + len(token_lists)
        self.lengths = np.array([len(t) for t in token_lists], dtype=np.float32)
        total = base_total_tokens + float(self.lengths.sum())
        self.avgdl = total / self.n if self.n else 1.0
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        grouped: dict[str, list[tuple[int, int]]] = {}
        for i, tokens in enumerate(token_lists):
            for tok, tf in Counter(tokens).items():
                grouped.setdefault(tok, []).append((i, tf))
        for tok, rows in grouped.items():
            ids, tfs = zip(*rows)
            self.postings[tok] = (np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float32))
        self._norm = self.k1 * (1 - self.b + self.b * self.lengths / self.avgdl)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        out = np.zeros(len(self.lengths), dtype=np.float32)
        for tok in query_tokens:  # repeated query tokens count again, as in bm25s
            posting = self.postings.get(tok)
            if posting is None:
                continue
            ids, tfs = posting
            df = len(ids) + (self.base.document_frequency(tok) if self.base is not None else 0)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            out[ids] += idf * tfs / (tfs + self._norm[ids])
        return out


class LiveLexical:
    """BM25 scores of every position: base (bm25s), then fresh; tombstones score 0."""

    def __init__(self, base: LexicalIndex | None, n_base: int, fresh: FreshBM25, alive: np.ndarray):
        self.base, self.n_base, self.fresh, self.alive = base, n_base, fresh, alive

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        base = self.base.scores(query_tokens) if self.base is not None else np.zeros(self.n_base, np.float32)
        return np.concatenate([base, self.fresh.scores(query_tokens)]) * self.alive


class LiveDense:
    """Cosine top-k over live positions: base FAISS (dead ones filtered) and fresh vectors."""

    def __init__(self, base, fresh_vectors: np.ndarray, alive: np.ndarray):
        self.base, self.fresh, self.alive = base, fresh_vectors, alive
        self.n_base = len(base)
        self.dead_in_base = int((~alive[:self.n_base]).sum())
        self.kind = base.kind

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.base.search(query, k + self.dead_in_base)
        keep = self.alive[ids]
        scores, ids = scores[keep][:k], ids[keep][:k]
        if len(self.fresh):
            fresh_scores = self.fresh @ np.asarray(query, dtype=np.float32).reshape(-1)
            fresh_ids = np.arange(self.n_base, self.n_base + len(self.fresh))
            live = self.alive[fresh_ids]
            scores = np.concatenate([scores, fresh_scores[live]])
            ids = np.concatenate([ids, fresh_ids[live]])
            order = np.argsort(-scores, kind="stable")[:k]
            scores, ids = scores[order], ids[order]
        return scores.astype(np.float32), ids.astype(np.int64)

    def __len__(self) -> int:
        return int(self.alive.sum())


@dataclass
class IndexView:
    """What the retriever and readers see: one consistent state, never mutated after creation."""

    path: Path | None
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk | None]
    chunk_sentences: list[list[int]]
    sentences: list[tuple[str, int, int] | None]
    chunk_vectors: StackedRows
    sentence_vectors: StackedRows
    dense: LiveDense
    lexical: LiveLexical
    alive: np.ndarray  # per chunk position
    generation: int
    base: BaseSegment
    doc_chunks: dict[str, list[int]] = field(default_factory=dict)
    doc_sentences: dict[str, list[int]] = field(default_factory=dict)
    fresh_tokens: list[list[str]] = field(default_factory=list)
    fresh_chunk_vectors: np.ndarray | None = None
    fresh_sentence_vectors: np.ndarray | None = None
    sentence_alive: np.ndarray | None = None

    @property
    def n_fresh(self) -> int:
        return len(self.chunks) - len(self.base.chunk_ids)

    @cached_property
    def chunk_published_days(self) -> np.ndarray:
        """Per chunk position, its document's publication day (``date.toordinal()``); -1 when the
        date is unknown, -2 where no live document holds the position. Computed once per view, so
        a date filter is one vectorised comparison instead of a pass over every document."""
        days = np.full(len(self.chunks), -2, dtype=np.int64)
        for doc_id, positions in self.doc_chunks.items():
            doc = self.documents.get(doc_id)
            if doc is not None and positions:
                days[positions] = publication_day(doc)
        return days


def publication_day(doc: Document) -> int:
    """``doc.published`` as ``date.toordinal()``, -1 when missing or not a date."""
    if not doc.published:
        return -1
    try:
        return date.fromisoformat(doc.published[:10]).toordinal()
    except ValueError:
        return -1


def _chunk(position: int, doc: Document, start: int, end: int, sentences) -> Chunk:
    return Chunk(position, doc.doc_id, start, end, doc.text[start:end], tuple(tuple(s) for s in sentences))


class _Builder:
    """Mutable lists from which one new :class:`IndexView` is frozen."""

    def __init__(self, base: BaseSegment, documents: dict[str, Document]):
        self.base = base
        self.documents = documents
        self.chunks: list[Chunk | None] = []
        self.chunk_sentences: list[list[int]] = []
        self.sentences: list[tuple[str, int, int] | None] = []
        self.alive: list[bool] = []
        self.sentence_alive: list[bool] = []
        self.doc_chunks: dict[str, list[int]] = {}
        self.doc_sentences: dict[str, list[int]] = {}
        self.fresh_tokens: list[list[str]] = []
        self.fresh_chunk_vectors: list[np.ndarray] = []
        self.fresh_sentence_vectors: list[np.ndarray] = []

    @classmethod
    def from_base(cls, base: BaseSegment, store: DocStore, documents: dict[str, Document]) -> "_Builder":
        """Base positions, with tombstones where the store no longer holds a chunk or sentence."""
        b = cls(base, documents)
        chunk_rows = {r.chunk_id: r for r in store.chunk_rows()}
        sentence_rows = {r[0]: r for r in store.sentence_rows()}
        sentence_pos: dict[tuple[str, int, int], int] = {}
        for pos, sid in enumerate(base.sentence_ids.tolist()):
            row = sentence_rows.get(sid)
            if row is None:
                b.sentences.append(None)
                b.sentence_alive.append(False)
            else:
                b.sentences.append((row[1], row[2], row[3]))
                b.sentence_alive.append(True)
                sentence_pos[(row[1], row[2], row[3])] = pos
                b.doc_sentences.setdefault(row[1], []).append(pos)
        for pos, cid in enumerate(base.chunk_ids.tolist()):
            row = chunk_rows.get(cid)
            if row is None:
                b.chunks.append(None)
                b.chunk_sentences.append([])
                b.alive.append(False)
            else:
                b.chunks.append(_chunk(pos, b.document(store, row.doc_id), row.start, row.end, row.sentences))
                b.chunk_sentences.append([sentence_pos[(row.doc_id, s, e)] for s, e in row.sentences])
                b.alive.append(True)
                b.doc_chunks.setdefault(row.doc_id, []).append(pos)
        in_base = set(base.chunk_ids.tolist())
        fresh_docs = sorted({r.doc_id for cid, r in chunk_rows.items() if cid not in in_base})
        b.append_from_store(store, fresh_docs)
        return b

    @classmethod
    def from_view(cls, view: IndexView) -> "_Builder":
        """A copy of a view's lists (pointer copies: milliseconds even at 10^5 chunks)."""
        b = cls(view.base, dict(view.documents))
        b.chunks, b.chunk_sentences, b.sentences = list(view.chunks), list(view.chunk_sentences), list(view.sentences)
        b.alive, b.sentence_alive = view.alive.tolist(), view.sentence_alive.tolist()
        b.doc_chunks, b.doc_sentences = dict(view.doc_chunks), dict(view.doc_sentences)
        b.fresh_tokens = list(view.fresh_tokens)
        b.fresh_chunk_vectors = [view.fresh_chunk_vectors] if len(view.fresh_chunk_vectors) else []
        b.fresh_sentence_vectors = [view.fresh_sentence_vectors] if len(view.fresh_sentence_vectors) else []
        return b

    def document(self, store: DocStore, doc_id: str) -> Document:
        """The document of a stored chunk (read from the store if the caller's dict lacks it)."""
        doc = self.documents.get(doc_id)
        if doc is None:
            doc = self.documents[doc_id] = store.get(doc_id).document
        return doc

    def remove(self, doc_id: str) -> None:
        for pos in self.doc_chunks.pop(doc_id, []):
            self.chunks[pos], self.chunk_sentences[pos], self.alive[pos] = None, [], False
        for pos in self.doc_sentences.pop(doc_id, []):
            self.sentences[pos], self.sentence_alive[pos] = None, False
        self.documents.pop(doc_id, None)

    def append_from_store(self, store: DocStore, doc_ids: list[str]) -> None:
        """Append the stored chunks and sentences of ``doc_ids`` as fresh positions."""
        if not doc_ids:
            return
        chunk_rows = store.chunk_rows(doc_ids)
        sentence_rows = store.sentence_rows(doc_ids)
        dim = self.base.manifest["dim"]
        sentence_pos: dict[tuple[str, int, int], int] = {}
        for sid, doc_id, s, e in sentence_rows:
            pos = len(self.sentences)
            self.sentences.append((doc_id, s, e))
            self.sentence_alive.append(True)
            sentence_pos[(doc_id, s, e)] = pos
            self.doc_sentences.setdefault(doc_id, []).append(pos)
        for r in chunk_rows:
            pos = len(self.chunks)
            self.chunks.append(_chunk(pos, self.document(store, r.doc_id), r.start, r.end, r.sentences))
            self.chunk_sentences.append([sentence_pos[(r.doc_id, s, e)] for s, e in r.sentences])
            self.alive.append(True)
            self.doc_chunks.setdefault(r.doc_id, []).append(pos)
        self.fresh_tokens += store.chunk_tokens([r.chunk_id for r in chunk_rows])
        self.fresh_chunk_vectors.append(store.chunk_vectors([r.chunk_id for r in chunk_rows], dim))
        self.fresh_sentence_vectors.append(store.sentence_vectors([r[0] for r in sentence_rows], dim))

    def freeze(self, generation: int, hashes: dict[str, str]) -> IndexView:
        base = self.base
        dim = base.manifest["dim"]
        fresh_c = (np.concatenate(self.fresh_chunk_vectors) if self.fresh_chunk_vectors
                   else np.zeros((0, dim), np.float32))
        fresh_s = (np.concatenate(self.fresh_sentence_vectors) if self.fresh_sentence_vectors
                   else np.zeros((0, dim), np.float32))
        alive = np.asarray(self.alive, dtype=bool)
        n_base = len(base.chunk_ids)
        fresh_bm25 = FreshBM25(self.fresh_tokens, base.lexical, n_base, base.manifest["bm25_total_tokens"])
        n_live = int(alive.sum())
        manifest = {
            **{k: v for k, v in base.manifest.items() if k not in ("generation", "timings_s")},
            "generation": generation,
            "base_generation": base.generation,
            "corpus_hash": corpus_hash_of(hashes),
            "n_documents": len(self.documents),
            "n_chunks": n_live,
            "n_sentences": int(sum(self.sentence_alive)),
            "fresh_chunks": int(alive[n_base:].sum()),
            "dead_positions": int((~alive).sum()),
            "base_timings_s": base.manifest.get("timings_s"),
        }
        return IndexView(
            path=base.path, manifest=manifest, documents=self.documents, chunks=self.chunks,
            chunk_sentences=self.chunk_sentences, sentences=self.sentences,
            chunk_vectors=StackedRows(base.chunk_vectors, fresh_c),
            sentence_vectors=StackedRows(base.sentence_vectors, fresh_s),
            dense=LiveDense(base.dense, fresh_c, alive),
            lexical=LiveLexical(base.lexical, n_base, fresh_bm25, alive.astype(np.float32)),
            alive=alive, generation=generation, base=base,
            doc_chunks=self.doc_chunks, doc_sentences=self.doc_sentences, fresh_tokens=self.fresh_tokens,
            fresh_chunk_vectors=fresh_c, fresh_sentence_vectors=fresh_s,
            sentence_alive=np.asarray(self.sentence_alive, dtype=bool),
        )


@dataclass(frozen=True)
class WriteResult:
    doc_id: str
    status: str  # "created", "updated", "unchanged", "deleted"


Listener = Callable[[IndexView, list[str], bool], None]  # (view, changed doc ids, positions changed)


class LiveIndex:
    """The store, its derived indexes and the current view, kept in step under one write lock."""

    def __init__(self, index_dir: Path, embedder, chunking: ChunkingParams = ChunkingParams(), log=print,
                 merge_share: float = MERGE_SHARE, merge_floor: int = MERGE_FLOOR, dense_kind: str | None = None):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.embedder, self.chunking, self.log = embedder, chunking, log
        self.merge_share, self.merge_floor, self.dense_kind = merge_share, merge_floor, dense_kind
        self.store = DocStore(self.index_dir / "store.sqlite")
        self.cache = VectorCache(self.index_dir / "vectors.sqlite", embedder.fingerprint, embedder.dim)
        self.preparer = Preparer(embedder, chunking, self.cache)
        self.key = derivation_key(embedder, chunking, lexicon_fingerprint())
        self._lock = threading.RLock()
        self._merging = threading.Lock()
        self._merge_thread: threading.Thread | None = None
        self.listeners: list[Listener] = []
        with self._lock:
            self._rederive_if_needed()
            base = self._current_base()
            documents = {s.document.doc_id: s.document for s in self.store.documents()}
            self.view = _Builder.from_base(base, self.store, documents).freeze(self.store.generation,
                                                                                self.store.hashes())
        if self._needs_merge(self.view):
            self.merge(wait=True)

    # -- opening -------------------------------------------------------------------------
    def _rederive_if_needed(self) -> None:
        """Stored chunks/vectors made with another model, chunking or lexicon are derived again
        from the stored documents (the vector cache skips texts it has already embedded)."""
        stored = self.store.meta("derivation")
        if stored == self.key:
            return
        docs = list(self.store.documents())
        if docs:
            changed = [k for k in self.key if (stored or {}).get(k) != self.key[k]] if stored else ["derivation"]
            self.log(f"vnqa: re-deriving {len(docs)} stored documents ({', '.join(changed)} changed)")
            self.store.clear_derived()
            for s in docs:
                self.store.put(self.preparer.prepare([s.document], origin=s.origin,
                                                     source_urls={s.document.doc_id: s.source_url}))
        self.store.set_meta("derivation", self.key)

    def _base_matches(self, manifest: dict | None) -> bool:
        return (manifest is not None and manifest.get("format_version") == FORMAT_VERSION
                and all(manifest.get(k) == v for k, v in self.key.items()))

    def _current_base(self) -> BaseSegment:
        manifest = read_manifest(self.index_dir)
        if self._base_matches(manifest):
            return load_base(self.index_dir)
        reason = "no base index yet" if manifest is None else "the base was built differently"
        self.log(f"vnqa: building the base index in {self.index_dir} ({reason})")
        with self._merge_file_lock():
            return build_base(self.store, self.index_dir, self.key, self.embedder.dim, self.dense_kind, log=self.log)

    def _merge_file_lock(self):
        return base_lock(self.index_dir)

    # -- writes --------------------------------------------------------------------------
    def upsert(self, documents: list[Document], origin: str = "api",
               source_urls: dict[str, str | None] | None = None) -> list[WriteResult]:
        """Add or replace documents; returns once they are durable and searchable."""
        with self._lock:
            self._refresh_locked()  # the view now holds what the store holds
            results, todo = [], []
            for doc in documents:
                current = self.view.documents.get(doc.doc_id)
                if current == doc:
                    results.append(WriteResult(doc.doc_id, "unchanged"))
                else:
                    results.append(WriteResult(doc.doc_id, "updated" if current is not None else "created"))
                    todo.append(doc)
            if todo:
                prepared = self.preparer.prepare(todo, origin=origin, source_urls=source_urls)
                generation = self.store.put(prepared)
                self._apply([d.doc_id for d in todo], generation)
            return results

    def delete(self, doc_ids: list[str]) -> list[str]:
        """Remove documents; returns the ids that existed."""
        with self._lock:
            self._refresh_locked()
            found = self.store.delete(doc_ids)
            if found:
                self._apply(found, self.store.generation)
            return found

    def sync(self, documents: list[Document], origin: str) -> dict[str, list[str]]:
        """Make the documents of ``origin`` (a corpus folder) exactly ``documents``: add and
        update what changed, remove those of that origin no longer given. Others are untouched."""
        with self._lock:
            given = {d.doc_id for d in documents}
            stale = [doc_id for doc_id in self.store.ids_from(origin) if doc_id not in given]
            results = self.upsert(documents, origin=origin)
            removed = self.delete(stale) if stale else []
            return {"created": [r.doc_id for r in results if r.status == "created"],
                    "updated": [r.doc_id for r in results if r.status == "updated"],
                    "removed": removed}

    def _apply(self, doc_ids: list[str], generation: int) -> None:
        """Turn committed changes of ``doc_ids`` into a new view (and maybe start a merge)."""
        b = _Builder.from_view(self.view)
        stored = {i: self.store.get(i) for i in doc_ids}
        for doc_id in doc_ids:
            b.remove(doc_id)
        present = [i for i in doc_ids if stored[i] is not None]
        for doc_id in present:
            b.documents[doc_id] = stored[doc_id].document
        b.append_from_store(self.store, present)
        self._publish(b.freeze(generation, self.store.hashes()), doc_ids, positions_changed=False)
        if self._needs_merge(self.view):
            self.merge()

    def _publish(self, view: IndexView, changed: list[str], positions_changed: bool) -> None:
        self.view = view
        for listener in self.listeners:
            listener(view, changed, positions_changed)

    # -- other processes -----------------------------------------------------------------
    def refresh(self) -> bool:
        """Apply writes another process committed to the store (cheap when there are none)."""
        if self.store.generation == self.view.generation:
            return False
        with self._lock:
            return self._refresh_locked()

    def _refresh_locked(self) -> bool:
        generation = self.store.generation
        if generation == self.view.generation:
            return False
        self._apply(self.store.changed_since(self.view.generation), generation)
        return True

    # -- merging -------------------------------------------------------------------------
    def _needs_merge(self, view: IndexView) -> bool:
        pending = view.n_fresh + int((~view.alive[:len(view.base.chunk_ids)]).sum())
        return pending > max(self.merge_floor, self.merge_share * len(view.base.chunk_ids))

    def merge(self, wait: bool = False) -> None:
        """Fold fresh chunks and tombstones into a new base (in the background unless ``wait``)."""
        if not self._merging.acquire(blocking=False):
            if wait and self._merge_thread is not None:
                self._merge_thread.join()
            return

        def run():
            try:
                with self._merge_file_lock():
                    base = build_base(self.store, self.index_dir, self.key, self.embedder.dim, self.dense_kind,
                                      log=self.log)
                with self._lock:  # writes wait only while positions are re-laid
                    b = _Builder.from_base(base, self.store, dict(self.view.documents))
                    self._publish(b.freeze(self.store.generation, self.store.hashes()),
                                  sorted(self.view.documents), positions_changed=True)
            except Exception as e:  # the old base keeps serving; the next write tries again
                self.log(f"vnqa: merge failed: {e!r}")
            finally:
                self._merging.release()

        if wait:
            run()
        else:
            self._merge_thread = threading.Thread(target=run, name="vnqa-merge", daemon=True)
            self._merge_thread.start()

    def wait_for_merge(self) -> None:
        thread = self._merge_thread
        if thread is not None:
            thread.join()

    def close(self) -> None:
        self.wait_for_merge()
        self.cache.close()
        self.store.close()


def index_documents(documents: list[Document], index_dir: Path, embedder, chunking: ChunkingParams = ChunkingParams(),
                    log=print) -> IndexView:
    """A view over exactly ``documents`` (batch use: training, evaluation), merged into one base."""
    live = LiveIndex(index_dir, embedder, chunking, log=log)
    if any(live.sync(documents, "corpus").values()):
        live.merge(wait=True)
    view = live.view
    live.close()
    return view


def forget_derivation(index_dir: Path) -> None:
    """Make the next open re-derive every stored chunk and rebuild the base (``vnqa build --rebuild``)."""
    path = Path(index_dir) / "store.sqlite"
    if path.exists():
        store = DocStore(path)
        store.set_meta("derivation", None)
        store.close()
    current = Path(index_dir) / "current"
    if current.is_symlink():
        current.unlink()
