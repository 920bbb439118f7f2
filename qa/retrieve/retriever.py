"""Hybrid retrieval: BM25 and e5 dense scores fused over a shared candidate set.

Candidates are the top ``candidates`` chunks of each method; both scores are then known exactly
for every candidate (BM25 scores every chunk, dense scores come from the stored vectors), so the
fusion never has to guess a missing score.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from qa.config import usable_cores
from qa.retrieve.fusion import DEFAULT_DENSE_WEIGHT, UNACCENTED_DENSE_WEIGHT, min_max_fusion, rrf_fusion
from qa.index.live import IndexView
from qa.retrieve.filters import Filters
from qa.index.bm25 import LexicalOptions, tokenize
from qa.ingest.segment import word_tokenize
from qa.lexicon import has_tone_marks, nfc, normalize_tone_marks

MODES = ("hybrid", "bm25", "dense")
EXACT_FILTERED = 20_000  # filtered searches over at most this many chunks score every one of them
FUSIONS = ("minmax", "rrf")
# While the calling thread encodes the question, a pool thread scores BM25 and reads the question
# (``alongside``): ~1.5 ms of Python that costs no wall time when a core is free (under full load
# the work is the same, on another thread). It overlaps because the model runs without the GIL
# and the encoder keeps the GIL until then (``OnnxEncoder._ids``); sent to the pool instead, the
# encoder gained nothing, since its tokenizer let the GIL go and then waited for the Python
# beside it to finish (measured in eval/RESULTS.md). One thread per core: requests answered
# concurrently in one process still overlap. Made on first use and forgotten in a forked child,
# whose copy would count threads it lacks.
_side: ThreadPoolExecutor | None = None
_side_made = threading.Lock()


def _side_pool() -> ThreadPoolExecutor:
    global _side
    with _side_made:
        if _side is None:
            _side = ThreadPoolExecutor(max_workers=usable_cores(), thread_name_prefix="vnqa-beside")
        return _side


def _forget_side_pool() -> None:
    global _side
    _side = None


os.register_at_fork(after_in_child=_forget_side_pool)


@dataclass(frozen=True)
class RetrievalOptions:
    """Knobs the evaluation ablates; defaults are what the service uses."""

    mode: str = "hybrid"
    fold_accents: bool = True
    fusion: str = "minmax"
    dense_weight: float = DEFAULT_DENSE_WEIGHT
    # e5 reads Vietnamese typed without tone marks poorly; lean on folded BM25 for those
    dense_weight_unaccented: float = UNACCENTED_DENSE_WEIGHT
    candidates: int = 50

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}, got {self.fusion!r}")


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    score: float  # the score the ranking used
    lexical: float  # raw BM25
    dense: float  # cosine similarity


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    query_vector: np.ndarray | None


def prepare_query(question: str) -> str:
    """Same normalisation as documents get before embedding: NFC and one tone convention."""
    return normalize_tone_marks(nfc(question)).strip()


class Retriever:
    def __init__(self, index: IndexView, embedder):
        self.index = index
        self.embedder = embedder

    def query_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embedder.encode_queries([prepare_query(question)])[0], dtype=np.float32)

    @staticmethod
    def _start_beside(work: Callable[[], np.ndarray | None]) -> Future:
        return _side_pool().submit(work)

    def lexical_scores(self, question: str, fold: bool) -> np.ndarray:
        q = prepare_query(question)
        tokens = tokenize(q, word_tokenize(q), LexicalOptions(fold_accents=fold), query=True)
        return self.index.lexical.scores(tokens)

    def search(self, question: str, k: int = 5, options: RetrievalOptions = RetrievalOptions(),
               filters: Filters | None = None, alongside: Callable[[], object] | None = None) -> SearchResult:
        """The ``k`` best chunks. ``alongside``, when given, runs once while the question is
        encoded (the service reads the question itself there); not at all when the index is
        empty or the filters leave no chunk, since nothing is searched then."""
        n = len(self.index.chunks)
        if n == 0:
            return SearchResult([], None)
        allowed = filters.allowed(self.index) if filters is not None else None
        if allowed is not None and not allowed.any():
            return SearchResult([], self.query_vector(question) if options.mode != "bm25" else None)
        n_cand = min(n, max(options.candidates, k))

        def beside_encoding() -> np.ndarray | None:
            """BM25's scores (None in dense mode), then ``alongside``."""
            lexical = None
            if options.mode in ("hybrid", "bm25"):
                # Folded forms only for questions typed without tone marks: in "tăng trưởng" the
                # user has said which word they mean, and "~tang" would also match "nền tảng".
                lexical = self.lexical_scores(question, options.fold_accents and not has_tone_marks(question))
                if allowed is not None:
                    lexical = lexical * allowed
            if alongside is not None:
                alongside()
            return lexical

        qvec = None
        if options.mode == "bm25":
            lexical = beside_encoding()
        elif options.mode == "dense" and alongside is None:  # nothing to do beside the encoder: no thread hop
            lexical, qvec = None, self.query_vector(question)
        else:
            side = self._start_beside(beside_encoding)
            qvec = self.query_vector(question)
            lexical = side.result()
        cand_parts = []
        if lexical is not None:
            top_lex = np.argpartition(-lexical, n_cand - 1)[:n_cand] if n_cand < n else np.arange(n)
            cand_parts.append(top_lex[lexical[top_lex] > 0])
        if qvec is not None:
            cand_parts.append(self._dense_candidates(qvec, n_cand, allowed))
        candidates = np.unique(np.concatenate(cand_parts)) if cand_parts else np.zeros(0, np.int64)
        if candidates.size == 0:
            return SearchResult([], qvec)
        lex_c = lexical[candidates] if lexical is not None else np.zeros(len(candidates), np.float32)
        if qvec is not None:
            dense_c = np.asarray(self.index.chunk_vectors[candidates] @ qvec, dtype=np.float32)
        else:
            dense_c = np.zeros(len(candidates), np.float32)
        if options.mode == "bm25":
            fused = lex_c.astype(np.float64)
        elif options.mode == "dense":
            fused = dense_c.astype(np.float64)
        elif options.fusion == "rrf":
            fused = rrf_fusion(lex_c, dense_c)
        else:
            weight = options.dense_weight if has_tone_marks(question) else options.dense_weight_unaccented
            fused = min_max_fusion(lex_c, dense_c, weight)
        # ties (e.g. equal fused scores) broken by dense similarity, then chunk order
        order = sorted(range(len(candidates)), key=lambda i: (-fused[i], -dense_c[i], candidates[i]))[:k]
        hits = [Hit(int(candidates[i]), float(fused[i]), float(lex_c[i]), float(dense_c[i])) for i in order]
        return SearchResult(hits, qvec)

    def _dense_candidates(self, qvec: np.ndarray, n_cand: int, allowed: np.ndarray | None) -> np.ndarray:
        """Top chunk positions by cosine; with a filter, exact over the allowed chunks when they
        are few (a matrix product), else FAISS asked for more and the others dropped."""
        if allowed is None:
            return self.index.dense.search(qvec, n_cand)[1].astype(np.int64)
        positions = np.flatnonzero(allowed)
        if len(positions) <= EXACT_FILTERED:
            scores = np.asarray(self.index.chunk_vectors[positions] @ qvec)
            return positions[np.argsort(-scores, kind="stable")[:n_cand]]
        share = len(positions) / len(allowed)
        _, ids = self.index.dense.search(qvec, min(len(allowed), int(n_cand / share * 2) + n_cand))
        return ids[allowed[ids]][:n_cand].astype(np.int64)
