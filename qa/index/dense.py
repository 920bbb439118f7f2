"""FAISS inner-product index over L2-normalised vectors (so scores are cosine similarities).

Small corpora get an exact flat index. Past ``HNSW_THRESHOLD`` vectors the build switches to
HNSW, which answers in well under a millisecond at hundreds of thousands of chunks on two cores
at the cost of a little recall; the choice is recorded in the manifest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def choose_kind(n_vectors: int, threshold: int = HNSW_THRESHOLD) -> str:
    """``"flat"`` below the threshold, ``"hnsw"`` from it on."""
    return "hnsw" if n_vectors >= threshold else "flat"


class DenseIndex:
    """A thin wrapper that remembers which FAISS index kind it holds."""

    def __init__(self, index, kind: str):
        self.index = index
        self.kind = kind

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str | None = None) -> "DenseIndex":
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        kind = kind or choose_kind(len(vectors))
        dim = vectors.shape[1]
        if kind == "flat":
            index = faiss.IndexFlatIP(dim)
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            raise ValueError(f"unknown dense index kind {kind!r} (expected 'flat' or 'hnsw')")
        index.add(vectors)
        return cls(index, kind)

    @classmethod
    def empty(cls, dim: int) -> "DenseIndex":
        """An index with no vectors (a store that holds no chunks yet)."""
        import faiss

        return cls(faiss.IndexFlatIP(dim), "flat")

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (scores, ids) for one query vector; ids of -1 are dropped."""
        k = min(k, self.index.ntotal)
        if k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str) -> "DenseIndex":
        import faiss

        # vectors mapped from the file, not copied: server workers share one copy in the page cache
        index = faiss.read_index(str(path), getattr(faiss, "IO_FLAG_MMAP_IFC", 0))
        if kind == "hnsw":
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index, kind)

    def __len__(self) -> int:
        return self.index.ntotal
