"""A content-addressed store of embeddings, so a rebuild only embeds text it has not seen.

Keys are ``sha256(kind + "\\0" + text)`` under one model fingerprint, values float32 blobs,
in one SQLite file next to the index. Edits to one article re-embed that article's chunks only.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Callable

import numpy as np


FRESH_LIMIT = 50_000  # vectors a read-only cache keeps in memory (about 77 MB at 384 dimensions)


def text_key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode("utf-8")).hexdigest()


class VectorCache:
    """SQLite-backed embedding cache for one model fingerprint."""

    def __init__(self, path: Path | None, model_fingerprint: str, dim: int, readonly: bool = False):
        """``path`` None: in memory, for a worker process that must not share the file.
        ``readonly``: look vectors up in an existing file but keep new ones in this process only
        (a worker process beside the file's one writer)."""
        self.path = path
        self.dim = dim
        self.model = model_fingerprint
        self.readonly = readonly and path is not None
        self._fresh: dict[str, np.ndarray] = {}  # what a read-only cache embedded itself
        if self.readonly:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60, check_same_thread=False)
        else:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            # one writer at a time (callers lock)
            self._db = sqlite3.connect(str(path) if path is not None else ":memory:", check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
            )
        self.hits = 0
        self.misses = 0

    def embed(self, kind: str, texts: list[str], encode: Callable[[list[str]], np.ndarray],
              batch_size: int = 256) -> np.ndarray:
        """Vectors for ``texts``; only the ones not cached are passed to ``encode``."""
        keys = [text_key(kind, t) for t in texts]
        found: dict[str, np.ndarray] = {k: self._fresh[k] for k in keys if k in self._fresh}
        self.hits += len(found)
        unique = [k for k in dict.fromkeys(keys) if k not in found]
        for i in range(0, len(unique), 900):
            part = unique[i:i + 900]
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                [self.model, *part],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = [(k, t) for k, t in dict(zip(keys, texts)).items() if k not in found]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        for i in range(0, len(missing), batch_size):
            part = missing[i:i + batch_size]
            vecs = np.asarray(encode([t for _, t in part]), dtype=np.float32)
            if self.readonly:
                if len(self._fresh) > FRESH_LIMIT:  # bounded: a bulk load runs through millions
                    self._fresh.clear()
                self._fresh.update((k, v) for (k, _), v in zip(part, vecs))
            else:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                        [(self.model, k, v.tobytes()) for (k, _), v in zip(part, vecs)],
                    )
            for (k, _), v in zip(part, vecs):
                found[k] = v
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        self._db.close()
