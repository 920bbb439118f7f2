"""What a user would otherwise pick: plain ``rank_bm25.BM25Okapi`` over whitespace tokens.

It sees exactly the service's chunks (``service.index.chunks``), tokenised as
``text.lower().split()`` — no word segmentation, no accent folding, no number handling — and the
question the same way. It retrieves only (``answer`` is always null), so only its retrieval
columns are reported. Passages with a score of 0 (no shared token) are not returned.
"""

from __future__ import annotations

import time

import numpy as np


class RankBM25Baseline:
    name = "rank_bm25"
    label = "rank_bm25 BM25Okapi, whitespace tokens (baseline)"

    def __init__(self, chunks):
        from rank_bm25 import BM25Okapi

        self.chunks = [c for c in chunks if c is not None]  # deleted positions are None
        self.bm25 = BM25Okapi([c.text.lower().split() for c in self.chunks]) if self.chunks else None

    def ask(self, question: str, top_k: int = 10) -> dict:
        """The same shape as ``POST /ask`` (no answer, no per-passage numbers)."""
        t0 = time.perf_counter()
        passages = []
        if self.bm25 is not None:
            scores = np.asarray(self.bm25.get_scores(question.lower().split()), dtype=np.float64)
            order = np.argsort(-scores, kind="stable")[:top_k]
            for rank, i in enumerate((i for i in order if scores[i] > 0), 1):
                c = self.chunks[int(i)]
                passages.append({"rank": rank, "score": round(float(scores[i]), 6), "doc_id": c.doc_id,
                                 "start": c.start, "end": c.end, "text": c.text, "numbers": []})
        return {"question": question, "answer": None, "passages": passages,
                "took_ms": round((time.perf_counter() - t0) * 1000, 2)}
