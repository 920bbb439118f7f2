"""Benchmarks of the living corpus (issue 9): writes over HTTP, the fresh segment against a full
rebuild, and an index at VietNews scale. Prints JSON; the figures go to eval/RESULTS.md.

    python -m eval.bench_ingest writes [--n 40]        POST /documents on a real server: latency,
                                                       answerable at once, deletes never answered
    python -m eval.bench_ingest fresh [--share 0.2]    base + fresh segment vs a full rebuild
    python -m eval.bench_ingest scale --index DIR      size, /ask p50/p95 and HNSW recall vs flat
                                                       of a store filled by `vnqa ingest`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from eval.bench import _peak_rss_mb, _process_tree, percentile, start_server
from qa.ingest.vietnews import VIETNEWS_TEST, read_vietnews

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-key"


def _articles(n: int, skip: int = 5000, seed: int = 0) -> list[dict]:
    """``n`` VietNews records with figures, past the first ``skip`` (away from other benchmarks)."""
    out = []
    for i, a in enumerate(read_vietnews(VIETNEWS_TEST)):
        if i >= skip and any(ch.isdigit() for ch in a["abstract"]):
            out.append(a)
            if len(out) >= n:
                break
    random.Random(seed).shuffle(out)
    return out


def _question(article: dict) -> str:
    """A question made of the article's own abstract, which should retrieve the article first."""
    from qa.ingest.vietnews import detokenize

    return detokenize(article["abstract"])[:300]


def bench_writes(n: int) -> dict:
    """Seeds served over HTTP; ``n`` articles POSTed one by one. For each: the POST latency, and
    whether the very next /ask ranks it first (answerable within 0 s of the response); then each
    is DELETEd and must never be returned again."""
    import httpx

    from qa.ingest.sources import vietnews_text

    articles = _articles(n)
    with tempfile.TemporaryDirectory(prefix="vnqa-bench-writes-") as tmp:
        proc, base, ready = start_server([], {"VNQA_INDEX_DIR": tmp, "VNQA_API_KEY": KEY, "VNQA_READER": "rules"})
        try:
            post_ms, ask_ms, first, deleted_seen = [], [], 0, 0
            auth = {"Authorization": f"Bearer {KEY}"}
            with httpx.Client(base_url=base, timeout=60) as c:
                for a in articles:
                    doc_id = f"vn_{a['id']}"
                    t = time.perf_counter()
                    r = c.post("/documents", json={"id": doc_id, "text": vietnews_text(a)}, headers=auth)
                    post_ms.append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                    t = time.perf_counter()
                    body = c.post("/ask", json={"question": _question(a), "top_k": 5}).json()
                    ask_ms.append((time.perf_counter() - t) * 1000)
                    first += bool(body["passages"]) and body["passages"][0]["doc_id"] == doc_id
                for a in articles:
                    doc_id = f"vn_{a['id']}"
                    c.delete(f"/documents/{doc_id}", headers=auth).raise_for_status()
                    body = c.post("/ask", json={"question": _question(a), "top_k": 50}).json()
                    deleted_seen += any(p["doc_id"] == doc_id for p in body["passages"])
                health = c.get("/health").json()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"articles": n, "ready_s": round(ready, 1),
            "post_ms": {"p50": round(percentile(post_ms, 50), 1), "p95": round(percentile(post_ms, 95), 1),
                        "max": round(max(post_ms), 1)},
            "ask_after_post_ms": {"p50": round(percentile(ask_ms, 50), 1), "p95": round(percentile(ask_ms, 95), 1)},
            "ranked_first_right_after_post": f"{first}/{n}",
            "deleted_then_returned_in_top50": f"{deleted_seen}/{n}",
            "documents_at_end": health["documents"]}


def bench_fresh(n_articles: int, share: float) -> dict:
    """The same articles indexed two ways: (a) a base of (1-share) of them with the rest written
    through the live index (fresh segment, base BM25 statistics lagging), (b) all in one base.
    Agreement of the top-5 passages and of the rule reader's answers on one question per article."""
    from qa.index.embedder import make_embedder
    from qa.index.live import LiveIndex
    from qa.ingest.documents import document_from_text
    from qa.ingest.sources import vietnews_text
    from qa.service import QAService

    articles = _articles(n_articles, skip=8000)
    docs = [document_from_text(f"vn_{a['id']}", vietnews_text(a)) for a in articles]
    cut = int(len(docs) * (1 - share))
    embedder = make_embedder(None, "onnx")
    quiet = dict(log=lambda *a: None)
    with tempfile.TemporaryDirectory(prefix="vnqa-bench-fresh-") as tmp:
        inc_live = LiveIndex(Path(tmp) / "inc", embedder, **quiet)
        inc_live.sync(docs[:cut], "corpus")
        inc_live.merge(wait=True)
        inc = QAService(inc_live, embedder, "rules")
        t = time.perf_counter()
        for d in docs[cut:]:
            inc.add_documents([d])
        per_write = (time.perf_counter() - t) / max(1, len(docs) - cut) * 1000
        full_live = LiveIndex(Path(tmp) / "full", embedder, **quiet)
        full_live.sync(docs, "corpus")
        full_live.merge(wait=True)
        full = QAService(full_live, embedder, "rules")
        overlap, same_top1, same_answer, fresh_first, n_fresh_q = [], 0, 0, 0, 0
        for a, d in zip(articles, docs):
            q = _question(a)
            x, y = inc.ask(q, top_k=5), full.ask(q, top_k=5)
            sx = [(p["doc_id"], p["start"]) for p in x["passages"]]
            sy = [(p["doc_id"], p["start"]) for p in y["passages"]]
            overlap.append(len(set(sx) & set(sy)) / max(1, len(sy)))
            same_top1 += sx[:1] == sy[:1]
            same_answer += (x["answer"] or {}).get("text") == (y["answer"] or {}).get("text")
            if d in docs[cut:]:
                n_fresh_q += 1
                fresh_first += bool(sx) and sx[0][0] == d.doc_id
        m = inc.index.manifest
    n = len(articles)
    return {"articles": n, "in_base": cut, "written_fresh": n - cut, "fresh_chunks": m["fresh_chunks"],
            "write_ms_per_article": round(per_write, 1),
            "top5_overlap_with_full_rebuild": round(float(np.mean(overlap)), 4),
            "same_top1": f"{same_top1}/{n}", "same_answer_rules_reader": f"{same_answer}/{n}",
            "fresh_article_ranked_first_for_its_own_question": f"{fresh_first}/{n_fresh_q}"}


def _dir_mb(path: Path) -> float:
    """Size of a file, or of every file below a folder (symlinks followed once)."""
    path = Path(path).resolve()
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def bench_scale(index_dir: Path, n_queries: int) -> dict:
    """A store filled by `vnqa ingest`: sizes, /ask over HTTP, HNSW recall@10 against exact search."""
    import faiss
    import httpx

    from qa.index.base import load_base, read_manifest
    from qa.index.dense import HNSW_EF_SEARCH, DenseIndex
    from qa.index.embedder import make_embedder

    manifest = read_manifest(index_dir)
    base = load_base(index_dir)
    vectors = np.ascontiguousarray(base.chunk_vectors, dtype=np.float32)
    rng = random.Random(1)
    articles = _articles(n_queries, skip=0, seed=1)
    qs = [_question(a) for a in articles]
    embedder = make_embedder(None, "onnx")
    qv = np.asarray(embedder.encode_queries(qs), dtype=np.float32)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, exact = flat.search(qv, 10)
    if manifest["dense_index"] == "hnsw":
        hnsw = base.dense
        t_build = None
    else:
        t = time.perf_counter()
        hnsw = DenseIndex.build(vectors, "hnsw")
        t_build = time.perf_counter() - t
    t = time.perf_counter()
    _, approx = hnsw.index.search(qv, 10)
    hnsw_ms = (time.perf_counter() - t) / len(qs) * 1000
    t = time.perf_counter()
    flat.search(qv, 10)
    flat_ms = (time.perf_counter() - t) / len(qs) * 1000
    recall = float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)]))

    proc, url, ready = start_server([], {"VNQA_INDEX_DIR": str(index_dir), "VNQA_CORPUS": "none"})
    try:
        lat = []
        with httpx.Client(base_url=url, timeout=120) as c:
            c.post("/ask", json={"question": "khởi động"})
            for q in rng.sample(qs, min(100, len(qs))):
                t = time.perf_counter()
                c.post("/ask", json={"question": q[:200], "top_k": 5}).raise_for_status()
                lat.append((time.perf_counter() - t) * 1000)
            health = c.get("/health").json()
        peaks = [m for m in (_peak_rss_mb(p) for p in _process_tree(proc.pid)) if m is not None]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"documents": health["documents"], "chunks": health["chunks"], "dense_index": manifest["dense_index"],
            "store_mb": round(_dir_mb(Path(index_dir) / "store.sqlite"), 1),
            "base_mb": round(_dir_mb(Path(index_dir) / "current"), 1),
            "base_build_s": manifest["timings_s"], "server_ready_s": round(ready, 1),
            "server_peak_rss_mb": round(max(peaks), 1) if peaks else None,
            "server_peak_rss_sum_mb": round(sum(peaks), 1) if peaks else None,
            "ask_ms": {"p50": round(percentile(lat, 50), 1), "p95": round(percentile(lat, 95), 1), "n": len(lat)},
            "hnsw": {"recall_at_10_vs_flat": round(recall, 4), "queries": len(qs), "ef_search": HNSW_EF_SEARCH,
                     "build_s": round(t_build, 1) if t_build else "(the base's own)",
                     "search_ms": round(hnsw_ms, 3), "flat_search_ms": round(flat_ms, 3)}}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    p = argparse.ArgumentParser(prog="python -m eval.bench_ingest", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    w = sub.add_parser("writes")
    w.add_argument("--n", type=int, default=40)
    f = sub.add_parser("fresh")
    f.add_argument("--n", type=int, default=200)
    f.add_argument("--share", type=float, default=0.2)
    s = sub.add_parser("scale")
    s.add_argument("--index", type=Path, required=True)
    s.add_argument("--queries", type=int, default=500)
    args = p.parse_args(argv)
    if args.what == "writes":
        out = bench_writes(args.n)
    elif args.what == "fresh":
        out = bench_fresh(args.n, args.share)
    else:
        out = bench_scale(args.index, args.queries)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
