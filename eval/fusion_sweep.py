"""The fusion weights measured on the hand-written VietNews training questions (a measurement,
nothing here asserts anything).

    python -m eval.fusion_sweep                          # every eval/vnews_train batch
    python -m eval.fusion_sweep --gold eval/vnews_dev/dev.jsonl --json out.json

``qa.retrieve.fusion`` mixes min-max-normalised BM25 and e5 scores with a dense weight, one for
questions typed with tone marks and one for those without. Those weights were read off the seed
gold set and XQuAD-vi (eval/RESULTS.md, "Fusion weight, re-measured"): five articles, and
paragraphs that are documents of their own. This script measures them where users' corpora
look like: each batch's questions over its own VietNews corpus, the corpus and index that
``vnqa train-reader`` builds under ``--work`` (built here the same way when missing).

Each question is retrieved once, keeping every fused candidate with both raw scores (the
candidate set does not depend on the weight); the fusion is then recomputed offline for every
weight of the grid, with the retriever's own function and tie order. A passage is relevant when
it holds a whole evidence span (``eval.gold.resolve_targets``, ``eval.metrics``), as in
``vnqa eval``. Reported per weight and per group (toned, untoned): Recall@1/5/8 (8 is the
reader's pool, ``qa.service.ANSWER_POOL``), MRR@10, and the questions whose evidence is in the
pool at that weight and not at the shipped one (gained) and the other way round (lost).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from eval.gold import load_gold, resolve_targets
from eval.metrics import first_hit_rank
from qa.lexicon import has_tone_marks
from qa.read.training import DEFAULT_WORK
from qa.retrieve.fusion import DEFAULT_DENSE_WEIGHT, UNACCENTED_DENSE_WEIGHT, min_max_fusion
from qa.service import ANSWER_POOL

ROOT = Path(__file__).resolve().parent.parent
GRID = tuple(round(w / 10, 1) for w in range(11))
CUTS = (1, 5, ANSWER_POOL, 10)


def batches(train_dir: Path) -> list[tuple[Path, Path]]:
    """(questions, articles) of every training batch: ``trainN.jsonl`` with ``articlesN.json``."""
    out = []
    for gold in sorted(train_dir.glob("train*.jsonl"), key=lambda p: int(p.stem[5:] or 1)):
        out.append((gold, train_dir / f"articles{gold.stem[5:]}.json"))
    return out


def candidates(gold_path: Path, articles_path: Path, work: Path) -> list[dict]:
    """Per answerable question: its group, and every candidate's raw scores and relevance."""
    from qa.index.embedder import make_embedder
    from qa.index.live import index_documents
    from qa.ingest.documents import load_corpus
    from qa.ingest.vietnews import read_vietnews, write_corpus, VIETNEWS_TEST
    from qa.config import Settings
    from qa.retrieve.retriever import Retriever

    dates = {k.removeprefix("vn_"): v for k, v in json.loads(articles_path.read_text(encoding="utf-8")).items()}
    name = "gold" if gold_path.parent.name == "vnews_dev" else f"gold-{gold_path.parent.name}-{gold_path.stem}"
    corpus = work / f"{name}-corpus"
    if not corpus.is_dir():
        write_corpus(dates, corpus, read_vietnews(VIETNEWS_TEST))
    settings = Settings.from_env()
    embedder = make_embedder(settings.model, settings.encoder)
    index = index_documents(load_corpus(corpus), work / f"{name}-index", embedder, settings.chunking,
                            log=lambda *a: None)
    retriever = Retriever(index, embedder)
    texts = {d: doc.text for d, doc in index.documents.items()}
    out = []
    for item in load_gold(gold_path):
        if not item.answerable:
            continue
        targets = resolve_targets(item, texts.get).retrieval
        chunk, lexical, dense = candidate_scores(retriever, item.question)
        q = {"id": f"{gold_path.stem}:{item.id}", "toned": has_tone_marks(item.question),
             "chunk": chunk, "lexical": lexical, "dense": dense,
             "relevant": np.array([first_hit_rank([_passage(index, c)], targets) is not None for c in chunk])}
        weight = DEFAULT_DENSE_WEIGHT if q["toned"] else UNACCENTED_DENSE_WEIGHT
        served = [h.chunk_id for h in retriever.search(item.question, ANSWER_POOL).hits]
        if served != [int(q["chunk"][i]) for i in fused_order(q, weight)[:ANSWER_POOL]]:
            raise AssertionError(f"{q['id']}: the offline fusion does not reproduce the retriever's ranking")
        out.append(q)
    return out


def _passage(index, chunk_id: int) -> dict:
    chunk = index.chunks[int(chunk_id)]
    return {"doc_id": chunk.doc_id, "start": chunk.start, "end": chunk.end}


def candidate_scores(retriever, question: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The service's candidate set for ``question`` (the top ``candidates`` chunks by BM25 and by
    e5, as ``Retriever.search`` makes it for a pool of ``ANSWER_POOL``) with both raw scores."""
    from qa.retrieve.retriever import RetrievalOptions

    options = RetrievalOptions()
    n = len(retriever.index.chunks)
    n_cand = min(n, max(options.candidates, ANSWER_POOL))
    lexical = retriever.lexical_scores(question, options.fold_accents and not has_tone_marks(question))
    qvec = retriever.query_vector(question)
    top_lex = np.argpartition(-lexical, n_cand - 1)[:n_cand] if n_cand < n else np.arange(n)
    chunks = np.unique(np.concatenate([top_lex[lexical[top_lex] > 0], retriever._dense_candidates(qvec, n_cand, None)]))
    dense = np.asarray(retriever.index.chunk_vectors[chunks] @ qvec, dtype=np.float32)
    return chunks, lexical[chunks], dense


def fused_order(q: dict, weight: float) -> list[int]:
    """Candidate positions in the retriever's order at ``weight``: fused score, then dense
    similarity, then chunk position."""
    fused = min_max_fusion(q["lexical"], q["dense"], weight)
    return sorted(range(len(fused)), key=lambda i: (-fused[i], -q["dense"][i], q["chunk"][i]))


def rank_at(q: dict, weight: float) -> int | None:
    """The 1-based rank of the first relevant passage when fused with ``weight`` (the
    retriever's order: fused score, then dense similarity, then chunk position)."""
    for r, i in enumerate(fused_order(q, weight), 1):
        if q["relevant"][i]:
            return r
    return None


def measure(questions: list[dict], shipped: float) -> list[dict]:
    """One row per weight of ``GRID``: recall at each cut, MRR@10, and the pool's gains and
    losses against ``shipped``."""
    base = [rank_at(q, shipped) for q in questions]
    rows = []
    for w in GRID:
        ranks = [rank_at(q, w) for q in questions]
        in_pool = [r is not None and r <= ANSWER_POOL for r in ranks]
        base_pool = [r is not None and r <= ANSWER_POOL for r in base]
        rows.append({
            "weight": w, "questions": len(questions),
            **{f"R@{k}": round(sum(r is not None and r <= k for r in ranks) / max(1, len(ranks)), 4) for k in CUTS},
            "MRR@10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / max(1, len(ranks)), 4),
            "gained": sum(a and not b for a, b in zip(in_pool, base_pool)),
            "lost": sum(b and not a for a, b in zip(in_pool, base_pool)),
            "never": sum(r is None for r in ranks),
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, action="append",
                    help="a gold JSONL file with articlesN.json beside it (default: every eval/vnews_train batch)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where vnqa train-reader keeps its corpora and indexes")
    ap.add_argument("--json", type=Path, help="write the tables here")
    args = ap.parse_args(argv)
    if args.gold:
        pairs = [(g, g.parent / ("articles.json" if g.stem in ("dev", "test", "train") else f"articles{g.stem[5:]}.json"))
                 for g in args.gold]
    else:
        pairs = batches(ROOT / "eval" / "vnews_train")
    questions, per_batch = [], {}
    for gold, articles in pairs:
        found = candidates(gold, articles, args.work)
        per_batch[str(gold.relative_to(ROOT) if gold.is_absolute() else gold)] = found
        questions += found
        print(f"{gold}: {len(found)} answerable questions", file=sys.stderr)
    result = {}
    for group, shipped, keep in (("toned", DEFAULT_DENSE_WEIGHT, True), ("untoned", UNACCENTED_DENSE_WEIGHT, False)):
        chosen = [q for q in questions if q["toned"] == keep]
        rows = measure(chosen, shipped)
        # the best weight of each batch by the pool's recall: does one weight suit every corpus?
        best_by_batch = {}
        for name, found in per_batch.items():
            qs = [q for q in found if q["toned"] == keep]
            if qs:
                batch_rows = measure(qs, shipped)
                top = max(r["R@8"] for r in batch_rows)
                best_by_batch[name] = [r["weight"] for r in batch_rows if r["R@8"] == top]
        result[group] = {"shipped_weight": shipped, "rows": rows, "best_weights_by_batch": best_by_batch}
        print(f"\n{group} questions ({len(chosen)}), shipped weight {shipped}")
        cols = ["weight", *(f"R@{k}" for k in CUTS), "MRR@10", "gained", "lost", "never"]
        print(" | ".join(cols))
        for r in rows:
            print(" | ".join(str(r[c]) for c in cols))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
