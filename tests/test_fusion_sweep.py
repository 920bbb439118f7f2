"""eval.fusion_sweep re-fuses stored candidates offline: it must order them as the retriever does,
or its table would measure another ranking than the service's."""

from __future__ import annotations

import json
from pathlib import Path

from eval.fusion_sweep import candidate_scores, fused_order, measure
from qa.lexicon import has_tone_marks
from qa.retrieve.fusion import DEFAULT_DENSE_WEIGHT, UNACCENTED_DENSE_WEIGHT
from qa.retrieve.retriever import RetrievalOptions
from qa.service import ANSWER_POOL

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold.jsonl"


def test_offline_fusion_reproduces_the_retriever_at_every_weight(service):
    questions = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines()][:40]
    assert any(not has_tone_marks(q) for q in questions) and any(has_tone_marks(q) for q in questions)
    retriever = service.retriever
    for question in questions:
        chunk, lexical, dense = candidate_scores(retriever, question)
        q = {"chunk": chunk, "lexical": lexical, "dense": dense}
        for weight in (0.0, DEFAULT_DENSE_WEIGHT, 0.8):
            options = RetrievalOptions(dense_weight=weight, dense_weight_unaccented=weight)
            served = [h.chunk_id for h in retriever.search(question, ANSWER_POOL, options).hits]
            assert served == [int(chunk[i]) for i in fused_order(q, weight)[:ANSWER_POOL]], (question, weight)


def test_measure_counts_the_pool_s_gains_and_losses_against_the_shipped_weight():
    import numpy as np

    # one question whose relevant chunk leads by BM25 and trails by e5, among ANSWER_POOL + 2 chunks
    n = ANSWER_POOL + 2
    q = {"chunk": np.arange(n), "lexical": np.linspace(1.0, 0.0, n), "dense": np.linspace(0.0, 1.0, n).astype(np.float32),
         "relevant": np.eye(n, dtype=bool)[0]}
    rows = {r["weight"]: r for r in measure([q], UNACCENTED_DENSE_WEIGHT)}
    assert rows[0.0]["R@1"] == 1.0 and rows[0.0]["MRR@10"] == 1.0
    assert rows[1.0]["R@8"] == 0.0 and rows[1.0]["lost"] == 1 and rows[1.0]["gained"] == 0
    assert rows[UNACCENTED_DENSE_WEIGHT]["gained"] == rows[UNACCENTED_DENSE_WEIGHT]["lost"] == 0
