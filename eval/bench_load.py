"""Throughput under concurrent clients, one worker against several (a measurement, not a test).

    python -m eval.bench_load [--workers 1,2] [--clients 1,10,50,200] [--seconds 15]

For each worker count: ``vnqa serve --workers W`` on a free loopback port over the seeds index
(built first if needed), then for each client count C, C concurrent clients ask the gold set's
questions in a loop for ``--seconds`` over real HTTP. Prints answers a second, p50/p95/p99
latency, requests turned away by the admission gate (503 with Retry-After) and errors (any other
non-200, or a transport failure). Traffic goes to 127.0.0.1 only and every
loop stops after ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from . import metrics
from .bench import questions, start_server


async def _load(base: str, clients: int, seconds: float, pool: list[str]) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    shed = 0  # 503 + Retry-After from the admission gate: overload turned away on purpose

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal errors, shed
        i = k
        while time.monotonic() < deadline:
            q = pool[i % len(pool)]
            i += clients
            t0 = time.perf_counter()
            try:
                r = await http.post(base + "/ask", json={"question": q})
                if r.status_code == 503 and "retry-after" in r.headers:
                    shed += 1
                    continue
                if r.status_code != 200:
                    errors += 1
                    continue
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append((time.perf_counter() - t0) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(k, http) for k in range(clients)))
        wall = time.perf_counter() - t0
    return {"clients": clients, "answers_per_s": round(len(latencies) / wall, 1), "answers": len(latencies),
            "shed_503": shed, "errors": errors, "p50_ms": metrics.percentile(latencies, 50), "p95_ms": metrics.percentile(latencies, 95),
            "p99_ms": metrics.percentile(latencies, 99)}


def run(workers: int, client_counts: list[int], seconds: float) -> list[dict]:
    proc, base, _ = start_server(["--workers", str(workers)], {})
    try:
        qs = questions(200)  # the gold set, cycled
        asyncio.run(_load(base, 4, 3, qs))  # warm every worker
        return [{"workers": workers, **asyncio.run(_load(base, c, seconds, qs))} for c in client_counts]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_load", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--clients", default="1,10,50,200")
    ap.add_argument("--seconds", type=float, default=15.0)
    args = ap.parse_args(argv)
    rows = []
    for w in (int(x) for x in args.workers.split(",")):
        rows += run(w, [int(x) for x in args.clients.split(",")], args.seconds)
    print("| workers | clients | answers/s | p50 ms | p95 ms | p99 ms | turned away (503) | errors |\n|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workers']} | {r['clients']} | {r['answers_per_s']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {r['shed_503']} | {r['errors']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
