"""Speed and memory benchmarks (measurements, not tests: nothing here asserts a threshold).

    python -m eval.bench                      # seeds: build, cold start, /ask latency, memory
    python -m eval.bench --vietnews 2000      # scale: N VietNews articles from ../shared

Seeds mode, each figure from a fresh process on this machine:

* index build time for the seeds into an empty folder (no embedding cache);
* cold start: ``vnqa serve`` launched on the built index until ``/health`` answers;
* ``POST /ask`` latency over real HTTP for ``--n`` questions (the gold set's, cycled), p50/p95,
  and the p50 of the service's own ``took_ms`` for them (what HTTP, JSON and the client add is
  the difference); timed twice, each time from a fresh server: with httpx (``ask_p50_ms``, the
  client of every earlier run) and with a bare ``http.client`` connection (``bare_client``),
  which cost 1.1 ms a request less than httpx, interleaved on one server (2026-12-02);
* the bare query encoder on the same questions, in this process, with the compute threads one
  server worker gets (one when there are several workers), and issue 10's latency target from
  it: ``/ask`` p50 <= 1.3 x encoder p50 + 10 ms, judged for each client;
* peak resident memory (VmHWM) of the server's largest process and summed over its processes
  (the supervisor and its workers; memory-mapped index pages count once per process there).

Targets from the issues (2 cores): /ask p50 <= 50 ms, p95 <= 120 ms; ready <= 20 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
VIETNEWS = ROOT.parent / "shared" / "datasets" / "vietnews" / "vietnews_test.jsonl.gz"
FALLBACK_QUESTIONS = [
    "bao nhiêu tài khoản VNeID?", "bao nhieu tai khoan VNeID", "Tỷ lệ hộ gia đình sử dụng cáp quang?",
    "Có bao nhiêu thôn chưa có sóng băng rộng di động?", "Doanh thu công nghiệp ICT 6 tháng?",
    "Giá vàng hôm nay?",
]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def questions(n: int) -> list[str]:
    pool = FALLBACK_QUESTIONS
    if GOLD.exists():
        pool = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pool[i % len(pool)] for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants, from ``/proc`` (just ``pid`` without ``/proc``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(raw[raw.rindex(")") + 2:].split()[1])
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += [child for child, parent in parents.items() if parent == p]
    return tree


def encoder_latency(qs: list[str], workers: int) -> dict:
    """p50/p95 of encoding one question with the bundled encoder as one server worker runs it."""
    from qa.config import usable_cores
    from qa.index.embedder import make_embedder

    threads = "1" if workers > 1 else str(usable_cores())
    previous = os.environ.get("VNQA_THREADS")
    os.environ["VNQA_THREADS"] = threads
    try:
        embedder = make_embedder(log=lambda *a: None)
    finally:
        if previous is None:
            os.environ.pop("VNQA_THREADS", None)
        else:
            os.environ["VNQA_THREADS"] = previous
    embedder.encode_queries(["khởi động"])
    times = []
    for q in qs:
        t = time.perf_counter()
        embedder.encode_queries([q])
        times.append((time.perf_counter() - t) * 1000)
    return {"encoder": embedder.name, "encoder_threads": int(threads),
            "encoder_p50_ms": round(percentile(times, 50), 2), "encoder_p95_ms": round(percentile(times, 95), 2)}


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def build_seeds(index_dir: Path, corpus: Path) -> float:
    """Seconds to build the index from scratch in a fresh process (model load included)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus), "--index", str(index_dir)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def start_server(extra_args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, str, float]:
    """``vnqa serve`` on a free loopback port: (process, base URL, seconds until /health answered).
    The caller terminates the process."""
    import httpx

    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port), *extra_args], cwd=ROOT,
                            env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited during start-up")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
            if time.perf_counter() - t0 > 600:
                raise RuntimeError("server not ready after 600 s")
    except BaseException:
        proc.terminate()
        proc.wait(timeout=30)
        raise
    return proc, base, time.perf_counter() - t0


class _BareClient:
    """``POST /ask`` over one keep-alive ``http.client`` connection: a client whose own cost is
    small, so that what it times is more of the server's (``eval/bench_load.py`` found httpx's
    own cost large under load)."""

    def __init__(self, base: str):
        import http.client
        from urllib.parse import urlsplit

        url = urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        self.conn.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                          headers={"Content-Type": "application/json"})
        r = self.conn.getresponse()
        return r.status, json.loads(r.read())

    def close(self) -> None:
        self.conn.close()


class _HttpxClient:
    """``POST /ask`` with httpx, the client of every run before 2026-12-02 evening."""

    def __init__(self, base: str):
        import httpx

        self.client = httpx.Client(base_url=base, timeout=60)

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        r = self.client.post(path, json=body)
        return r.status_code, r.json()

    def close(self) -> None:
        self.client.close()


CLIENTS = {"bare": _BareClient, "httpx": _HttpxClient}


def serve_and_measure(index_dir: Path, corpus: Path, qs: list[str], workers: int, client: str = "httpx") -> dict:
    """A fresh server, ``qs`` asked one after another by ``client`` (``CLIENTS``), timed from
    the client: every server starts with cold caches, so runs with either client compare."""
    proc, base, ready = start_server(["--workers", str(workers)],
                                     {"VNQA_INDEX_DIR": str(index_dir), "VNQA_CORPUS": str(corpus)})
    try:
        latencies, server = [], []
        http = CLIENTS[client](base)
        try:
            http.post("/ask", {"question": "khởi động"})  # first request warms lazy paths
            for q in qs:
                t = time.perf_counter()
                status, body = http.post("/ask", {"question": q, "top_k": 5})
                latencies.append((time.perf_counter() - t) * 1000)
                if status != 200:
                    raise RuntimeError(f"POST /ask answered {status}: {body}")
                server.append(body["took_ms"])
        finally:
            http.close()
        peaks = [m for m in (_peak_rss_mb(p) for p in _process_tree(proc.pid)) if m is not None]
        return {
            "workers": workers,
            "client": client,
            "ready_s": round(ready, 2),
            "ask_n": len(latencies),
            "ask_p50_ms": round(percentile(latencies, 50), 1),
            "ask_p95_ms": round(percentile(latencies, 95), 1),
            "ask_mean_ms": round(statistics.mean(latencies), 1),
            # the service's own time for the same requests (its ``took_ms``: retrieval with the
            # question's encoding, and reading); the rest of ask_p50_ms is HTTP, JSON and the client
            "ask_server_p50_ms": round(percentile(server, 50), 1),
            "server_peak_rss_mb": round(max(peaks, default=0), 1),
            "server_peak_rss_sum_mb": round(sum(peaks), 1),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def vietnews_corpus(n: int, out_dir: Path) -> int:
    """Write the first ``n`` VietNews articles as .txt files (title, abstract, body)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with gzip.open(VIETNEWS, "rt", encoding="utf-8") as f:
        for line in f:
            if count >= n:
                break
            row = json.loads(line)
            body = row.get("body") or ""
            if isinstance(body, list):
                body = "\n".join(body)
            text = "\n".join(x for x in (row.get("title"), row.get("abstract"), body) if x)
            if text.strip():
                (out_dir / f"{count:06d}.txt").write_text(text, encoding="utf-8")
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="questions to time (default 100)")
    ap.add_argument("--vietnews", type=int, default=0, help="benchmark on N VietNews articles instead of the seeds")
    ap.add_argument("--workers", type=int, default=0, help="server workers (default: one per core, as vnqa serve)")
    ap.add_argument("--out", type=Path, help="write the figures as JSON here too")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vnqa-bench-") as tmp:
        tmp = Path(tmp)
        corpus = ROOT / "seeds"
        result: dict = {"corpus": "seeds"}
        if args.vietnews:
            corpus = tmp / "corpus"
            result = {"corpus": f"vietnews[:{args.vietnews}]", "articles": vietnews_corpus(args.vietnews, corpus)}
        index_dir = tmp / "index"
        result["build_s"] = round(build_seeds(index_dir, corpus), 2)
        manifest = json.loads((index_dir / "current" / "manifest.json").read_text())
        result.update({"chunks": manifest["n_chunks"], "sentences": manifest["n_sentences"],
                       "dense_index": manifest["dense_index"], "build_stages_s": manifest["timings_s"]})
        from qa.config import usable_cores

        workers = args.workers or usable_cores()
        result.update(serve_and_measure(index_dir, corpus, questions(args.n), workers, client="httpx"))
        bare = serve_and_measure(index_dir, corpus, questions(args.n), workers, client="bare")
        result["bare_client"] = {k: bare[k] for k in ("ready_s", "ask_p50_ms", "ask_p95_ms", "ask_mean_ms",
                                                      "ask_server_p50_ms")}
        result.update(encoder_latency(questions(args.n), workers))
        target = 1.3 * result["encoder_p50_ms"] + 10
        result["issue10_target_ask_p50_ms"] = round(target, 1)
        # judged on both clients' p50; the bare client's is the server's latency with less of the client's
        result["issue10_target_met"] = result["ask_p50_ms"] <= target
        result["issue10_target_met_bare_client"] = bare["ask_p50_ms"] <= target
    result["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
