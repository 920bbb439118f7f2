"""The durable document store: articles, their chunks and sentences, and their vectors, in SQLite.

It is the source of truth. The FAISS and BM25 indexes are derived from it (``qa.index``) and can
be rebuilt from it at any time without re-reading a corpus or re-running the encoder: every
chunk keeps its BM25 tokens and its vector, every sentence its vector.

Why SQLite: one file, transactions, and in WAL mode readers never block the writer. Every write
is one transaction committed with ``synchronous=FULL``, so a write that has returned survives
``kill -9`` or a power cut, and a write interrupted half-way leaves the previous state (SQLite
rolls the journal back on the next open). Chunk and sentence ids come from ``AUTOINCREMENT``
and are never reused, so a derived index can tell what was added or removed since it was built
by comparing id sets.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from qa.ingest.documents import Document

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id        TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    published     TEXT,
    published_at  TEXT,
    publisher     TEXT,
    source_path   TEXT,
    source_url    TEXT,
    content_spans TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    origin        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_seq ON documents(seq, doc_id);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id    TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    tokens    TEXT NOT NULL,
    vector    BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS sentences (
    sentence_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    vector      BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id);
CREATE TABLE IF NOT EXISTS deletions (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, deleted_at TEXT NOT NULL);
"""


@dataclass(frozen=True)
class PreparedChunk:
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]
    tokens: list[str]
    vector: np.ndarray


@dataclass(frozen=True)
class PreparedSentence:
    start: int
    end: int
    vector: np.ndarray


@dataclass(frozen=True)
class PreparedDocument:
    """A document with everything derived from it, ready for one transactional write."""

    document: Document
    chunks: list[PreparedChunk]
    sentences: list[PreparedSentence]
    source_url: str | None = None
    origin: str = "api"  # "api", "cli", or "folder:<path>" for a synchronised corpus folder


@dataclass(frozen=True)
class ChunkRow:
    chunk_id: int
    doc_id: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    source_url: str | None
    origin: str
    seq: int
    updated_at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _next_generation(db: sqlite3.Connection) -> int:
    """Claim the next generation number inside the caller's write transaction."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    seq = int(json.loads(row[0])) + 1 if row else 1
    db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (json.dumps(seq),))
    return seq


def _vector_bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


class DocStore:
    """One SQLite file. Safe to share between threads: writes are serialised by a lock and
    every thread reads through its own connection."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        db = self._db()
        db.executescript(_SCHEMA)
        version = self.meta("schema_version")
        if version is None:
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif int(version) != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has store schema {version}; this vnqa reads {SCHEMA_VERSION}")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a committed write is on disk before we answer
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- metadata ------------------------------------------------------------------------
    def meta(self, key: str):
        row = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value) -> None:
        with self._write_lock:
            self._db().execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    @property
    def generation(self) -> int:
        """Incremented by every committed write; a derived index records the one it saw."""
        return int(self.meta("generation") or 0)

    # -- writes --------------------------------------------------------------------------
    def put(self, prepared: list[PreparedDocument]) -> int:
        """Insert or replace documents with their chunks and sentences, atomically. Returns the
        new generation. Replacing a document deletes its old chunks (their ids are not reused)."""
        if not prepared:
            return self.generation
        with self._write_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                seq = _next_generation(db)
                now = _now()
                for p in prepared:
                    d = p.document
                    db.execute("DELETE FROM documents WHERE doc_id = ?", (d.doc_id,))
                    db.execute(
                        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (d.doc_id, d.title, d.text, d.published, d.published_at, d.publisher, d.source_path,
                         p.source_url, json.dumps([list(s) for s in d.content_spans]), d.sha256, p.origin,
                         seq, now),
                    )
                    db.executemany(
                        "INSERT INTO chunks (doc_id, start, end, sentences, tokens, vector) VALUES (?,?,?,?,?,?)",
                        [(d.doc_id, c.start, c.end, json.dumps([list(s) for s in c.sentences]),
                          json.dumps(c.tokens, ensure_ascii=False), _vector_bytes(c.vector)) for c in p.chunks],
                    )
                    db.executemany(
                        "INSERT INTO sentences (doc_id, start, end, vector) VALUES (?,?,?,?)",
                        [(d.doc_id, s.start, s.end, _vector_bytes(s.vector)) for s in p.sentences],
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return seq

    def delete(self, doc_ids: list[str]) -> list[str]:
        """Remove documents (and, by cascade, their chunks and sentences). Returns those that existed."""
        with self._write_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                found = [i for i in doc_ids
                         if db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (i,)).fetchone()]
                if found:
                    seq = _next_generation(db)
                    now = _now()
                    for doc_id in found:
                        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                        db.execute("INSERT INTO deletions VALUES (?, ?, ?)", (doc_id, seq, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return found

    def clear_derived(self) -> None:
        """Forget every chunk and sentence (a new model or chunking re-derives them)."""
        with self._write_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM sentences")
            db.execute("COMMIT")

    # -- reads ---------------------------------------------------------------------------
    _DOC_COLUMNS = ("doc_id, title, text, published, published_at, publisher, source_path, content_spans, "
                    "source_url, origin, seq, updated_at")

    @staticmethod
    def _stored(row) -> StoredDocument:
        doc = Document(doc_id=row[0], title=row[1], text=row[2], published=row[3], published_at=row[4],
                       publisher=row[5], source_path=row[6],
                       content_spans=tuple(tuple(s) for s in json.loads(row[7])))
        return StoredDocument(doc, row[8], row[9], row[10], row[11])

    def get(self, doc_id: str) -> StoredDocument | None:
        row = self._db().execute(f"SELECT {self._DOC_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return self._stored(row) if row else None

    def documents(self) -> Iterator[StoredDocument]:
        for row in self._db().execute(f"SELECT {self._DOC_COLUMNS} FROM documents ORDER BY doc_id"):
            yield self._stored(row)

    def hashes(self) -> dict[str, str]:
        """doc_id → sha256 of its text: what a resumed bulk ingest or a folder sync can skip."""
        return dict(self._db().execute("SELECT doc_id, sha256 FROM documents"))

    def signatures(self) -> dict[str, tuple[str, str, str | None]]:
        """doc_id → (sha256 of text, title, published): what a resumed bulk load can skip."""
        return {r[0]: (r[1], r[2], r[3]) for r in self._db().execute(
            "SELECT doc_id, sha256, title, published FROM documents")}

    def ids_from(self, origin: str) -> list[str]:
        """Ids of the documents written with this ``origin`` (a synchronised folder's, say)."""
        return [r[0] for r in self._db().execute("SELECT doc_id FROM documents WHERE origin = ? ORDER BY doc_id",
                                                 (origin,))]

    def count(self) -> int:
        return self._db().execute("SELECT count(*) FROM documents").fetchone()[0]

    def page(self, limit: int, after: tuple[int, str] | None = None, since: str | None = None
             ) -> list[StoredDocument]:
        """Documents in write order (oldest first), ``limit`` at a time after the cursor
        ``(seq, doc_id)``, optionally only those written at or after ``since`` (ISO time)."""
        where, args = [], []
        if after is not None:
            where.append("(seq > ? OR (seq = ? AND doc_id > ?))")
            args += [after[0], after[0], after[1]]
        if since is not None:
            where.append("updated_at >= ?")
            args.append(since)
        sql = f"SELECT {self._DOC_COLUMNS} FROM documents"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq, doc_id LIMIT ?"
        return [self._stored(r) for r in self._db().execute(sql, [*args, limit])]

    def changed_since(self, generation: int) -> list[str]:
        """Ids of the documents written or deleted after ``generation`` (what a reader of an
        older state must re-read)."""
        db = self._db()
        changed = {r[0] for r in db.execute("SELECT doc_id FROM documents WHERE seq > ?", (generation,))}
        changed |= {r[0] for r in db.execute("SELECT doc_id FROM deletions WHERE seq > ?", (generation,))}
        return sorted(changed)

    def deletions_since(self, since: str) -> list[dict]:
        return [{"doc_id": d, "deleted_at": t} for d, t in self._db().execute(
            "SELECT doc_id, deleted_at FROM deletions WHERE deleted_at >= ? ORDER BY seq, doc_id", (since,))]

    def chunk_rows(self, doc_ids: list[str] | None = None) -> list[ChunkRow]:
        """Chunks (without tokens or vectors) in id order, of every document or of ``doc_ids``."""
        sql = "SELECT chunk_id, doc_id, start, end, sentences FROM chunks"
        rows = self._select_for(sql, doc_ids, "chunk_id")
        return [ChunkRow(r[0], r[1], r[2], r[3], tuple(tuple(s) for s in json.loads(r[4]))) for r in rows]

    def sentence_rows(self, doc_ids: list[str] | None = None) -> list[tuple[int, str, int, int]]:
        """(sentence_id, doc_id, start, end) in id order."""
        return [tuple(r) for r in self._select_for("SELECT sentence_id, doc_id, start, end FROM sentences",
                                                   doc_ids, "sentence_id")]

    def _select_for(self, sql: str, doc_ids: list[str] | None, order: str) -> list:
        db = self._db()
        if doc_ids is None:
            return db.execute(f"{sql} ORDER BY {order}").fetchall()
        rows = []
        for i in range(0, len(doc_ids), 500):
            part = doc_ids[i:i + 500]
            rows += db.execute(f"{sql} WHERE doc_id IN ({','.join('?' * len(part))})", part).fetchall()
        return sorted(rows, key=lambda r: r[0])

    def chunk_tokens(self, chunk_ids: list[int]) -> list[list[str]]:
        """BM25 tokens of each chunk. Equal tokens share one string: decoded apart, the tokens of
        a large store were ~95 bytes each (3.4× the memory of the shared form on 25k chunks)."""
        shared: dict[str, str] = {}
        return [[shared.setdefault(t, t) for t in json.loads(raw)]
                for raw in self._by_ids("SELECT chunk_id, tokens FROM chunks", "chunk_id", chunk_ids)]

    def chunk_vectors(self, chunk_ids: list[int], dim: int) -> np.ndarray:
        return self._vectors("SELECT chunk_id, vector FROM chunks", "chunk_id", chunk_ids, dim)

    def sentence_vectors(self, sentence_ids: list[int], dim: int) -> np.ndarray:
        return self._vectors("SELECT sentence_id, vector FROM sentences", "sentence_id", sentence_ids, dim)

    def _vectors(self, sql: str, key: str, ids: list[int], dim: int) -> np.ndarray:
        out = np.zeros((len(ids), dim), dtype=np.float32)
        for i, blob in enumerate(self._by_ids(sql, key, ids)):
            out[i] = np.frombuffer(blob, dtype=np.float32)
        return out

    def _by_ids(self, sql: str, key: str, ids: list[int]) -> list:
        """Second column of the rows with these ids, in the order of ``ids`` (all must exist)."""
        if not ids:
            return []
        found: dict[int, object] = {}
        db = self._db()
        if len(ids) > 5000:  # a large share of the table: one scan beats many IN lists
            wanted = set(ids)
            for k, v in db.execute(sql):
                if k in wanted:
                    found[k] = v
        else:
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                found.update(db.execute(f"{sql} WHERE {key} IN ({','.join('?' * len(part))})", part).fetchall())
        missing = [i for i in ids if i not in found]
        if missing:
            raise KeyError(f"{key} not in the store: {missing[:5]}")
        return [found[i] for i in ids]

    def read_snapshot(self):
        """A context manager holding one read transaction: every read inside sees the same
        committed state even while another thread writes (WAL snapshot isolation)."""
        return _ReadTransaction(self._db())


class _ReadTransaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN")
        return self

    def __exit__(self, *exc):
        self.db.execute("COMMIT")
        return False
