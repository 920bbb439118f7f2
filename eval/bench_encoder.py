"""Encoder runtimes side by side: torch fp32 (``Embedder``) against onnxruntime int8 (``OnnxEncoder``).

    python -m eval.bench_encoder [--queries 100] [--passages 64] [--threads 1,2]

Prints, per runtime and thread count: the p50 / p90 latency of one query encoded at a time
(queries are the first words of seed sentences), and passages per second for one call over
``--passages`` seed chunks of ~500 characters. Then retrieval agreement: for 40 seed sentences
encoded as queries, is the nearest *other* seed sentence (encoded as a passage) the same under
both encoders? Uses the real bundled model; the ONNX export is made first if it is missing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_text() -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def seed_sentences() -> list[str]:
    seen, out = set(), []
    for s in " ".join(_seed_text().split()).split(". "):
        if 20 <= len(s) <= 600 and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def seed_queries(n: int) -> list[str]:
    sentences = seed_sentences()
    return [" ".join(sentences[(i * 7) % len(sentences)].split()[:10]) + "?" for i in range(n)]


def seed_chunks(n: int, size: int = 500) -> list[str]:
    text = " ".join(_seed_text().split())
    chunks = [text[i:i + size] for i in range(0, len(text), size)]
    return [chunks[i % len(chunks)] for i in range(n)]


def _query_latencies(encoder, queries: list[str]) -> list[float]:
    encoder.encode_queries(queries[:3])  # warm-up
    out = []
    for q in queries:
        t0 = time.perf_counter()
        encoder.encode_queries([q])
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _passages_per_second(encoder, chunks: list[str]) -> float:
    encoder.encode_passages(chunks[:2])  # warm-up
    t0 = time.perf_counter()
    encoder.encode_passages(chunks)
    return len(chunks) / (time.perf_counter() - t0)


def _row(label: str, threads: int, latencies: list[float] | None, pps: float) -> str:
    if latencies:
        p50, p90 = statistics.median(latencies), statistics.quantiles(latencies, n=10)[8]
        lat = f"{p50:>9.1f} {p90:>9.1f}"
    else:
        lat = f"{'-':>9} {'-':>9}"
    return f"{label:<26} {threads:>7} {lat} {pps:>12.1f}"


def retrieval_agreement(a, b, n: int = 40) -> dict:
    """For ``n`` seed sentences encoded as queries, the nearest *other* seed sentence (as a
    passage) under ``a`` and under ``b``: the share that agree, the mean overlap of the top-5
    lists, and for the disagreements how far ``b``'s pick is behind ``a``'s in ``a``'s scores."""
    pool = seed_sentences()
    picks = [int(i * len(pool) / n) for i in range(n)]
    scores = []
    for enc in (a, b):
        s = enc.encode_queries([pool[i] for i in picks]) @ enc.encode_passages(pool).T
        s[np.arange(n), picks] = -np.inf  # not the sentence itself
        scores.append(s)
    tops = [np.argsort(-s, axis=1)[:, :5] for s in scores]
    differ = np.where(tops[0][:, 0] != tops[1][:, 0])[0]
    gaps = [scores[0][i, tops[0][i, 0]] - scores[0][i, tops[1][i, 0]] for i in differ]
    ranks = [int((scores[0][i] > scores[0][i, tops[1][i, 0]]).sum()) + 1 for i in differ]
    return {
        "pool": len(pool),
        "top1": float(np.mean(tops[0][:, 0] == tops[1][:, 0])),
        "top5": float(np.mean([len(set(x) & set(y)) / 5 for x, y in zip(*tops)])),
        "max_gap": float(max(gaps, default=0.0)),
        "ranks": ranks,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--passages", type=int, default=64)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    args = ap.parse_args(argv)

    import onnxruntime
    import torch

    from qa.index.embedder import Embedder
    from qa.index.onnx_encoder import OnnxEncoder

    thread_counts = [int(t) for t in args.threads.split(",")]
    queries, chunks = seed_queries(args.queries), seed_chunks(args.passages)
    torch_enc = Embedder()
    onnx_encs = {t: OnnxEncoder(threads=t, log=lambda *a: None) for t in thread_counts}
    tokens = np.mean([len(ids) for ids in onnx_encs[thread_counts[0]]._ids(["passage: " + c for c in chunks])])
    print(f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{len(queries)} queries one at a time; {len(chunks)} passages of ~500 chars "
          f"({tokens:.0f} tokens on average) in one call")
    print(f"{'runtime':<26} {'threads':>7} {'q p50 ms':>9} {'q p90 ms':>9} {'passages/s':>12}")
    default_threads = torch.get_num_threads()
    try:
        for t in thread_counts:
            torch.set_num_threads(t)
            print(_row(f"torch fp32 (batch {torch_enc.batch_size})", t, _query_latencies(torch_enc, queries),
                       _passages_per_second(torch_enc, chunks)), flush=True)
            enc = onnx_encs[t]
            print(_row("onnx int8 (default, 1/run)", t, _query_latencies(enc, queries),
                       _passages_per_second(enc, chunks)), flush=True)
            enc.batch_size = len(chunks)  # opt-in batching: faster, vectors depend on batch-mates
            print(_row(f"onnx int8 (batch {len(chunks)})", t, None, _passages_per_second(enc, chunks)),
                  flush=True)
            enc.batch_size = 1
    finally:
        torch.set_num_threads(default_threads)
    agree = retrieval_agreement(torch_enc, onnx_encs[thread_counts[-1]])
    print(f"retrieval agreement, 40 seed sentences as queries against {agree['pool']} seed sentences "
          f"(nearest other one): top-1 {agree['top1']:.1%}, top-5 overlap {agree['top5']:.1%}")
    if agree["ranks"]:
        print(f"  where top-1 differs, onnx's pick is torch's #{', #'.join(map(str, agree['ranks']))}, "
              f"at most {agree['max_gap']:.4f} below torch's top-1 in torch's cosine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
