"""Throughput under concurrent clients, one worker against several (a measurement, not a test).

    python -m eval.bench_load [--workers 1,2] [--clients 1,10,50,200] [--seconds 15] [--threads N]

For each worker count: ``vnqa serve --workers W`` on a free loopback port over the seeds index
(built first if needed), then for each client count C, C concurrent clients ask the gold set's
questions in a loop for ``--seconds`` over real HTTP. Prints answers a second, p50/p95/p99
latency, requests turned away by the admission gate (503 with Retry-After), errors (any other
non-200, or a transport failure), the CPU the server's processes used (cores, and milliseconds
an answer) and the CPU the load generator itself used (it runs on the same cores). Traffic goes
to 127.0.0.1 only and every loop stops after ``--seconds``.

``--threads N`` gives every worker N compute threads (``VNQA_THREADS``). Without it each run
takes ``vnqa serve``'s default: one thread per worker when there are several, and one per core
for a lone worker — the best a single worker can do, and so the harder baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import metrics
from .bench import _process_tree, questions, start_server


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for ``POST /ask``.

    The load generator shares the 2 cores with the server, so it must cost little. httpx (the
    previous generator) spent 13.8 ms of CPU an answer at 200 connections, 0.7 of a core, and
    answers/s *fell* from 50 to 200 clients with two workers: it measured the client. This one
    spends 0.3 ms (0.04 of a core); the table's last column reports it for every row.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes, timeout: float) -> tuple[int, dict[bytes, bytes]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        return await asyncio.wait_for(self._response(), timeout)

    async def _response(self) -> tuple[int, dict[bytes, bytes]]:
        status = int((await self.reader.readline()).split(b" ", 2)[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants (the uvicorn
    supervisor and its workers), from ``/proc``; None where there is no ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, seen = 0.0, False
    for p in _process_tree(pid):
        try:
            raw = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
        total += (int(fields[11]) + int(fields[12])) / tick
        seen = True
    return total if seen else None


def _post(host: str, port: int, question: str) -> bytes:
    body = json.dumps({"question": question}, ensure_ascii=False).encode("utf-8")
    return (f"POST /ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii") + body


async def _load(base: str, clients: int, seconds: float, pool: list[str], server_pid: int | None = None) -> dict:
    host, port = urlsplit(base).hostname, urlsplit(base).port
    requests = [_post(host, port, q) for q in pool]
    latencies: list[float] = []
    errors = 0
    shed = 0  # 503 + Retry-After from the admission gate: overload turned away on purpose
    deadline = time.monotonic() + seconds

    async def client(k: int) -> None:
        nonlocal errors, shed
        conn = _Connection(host, port)
        i = k
        while time.monotonic() < deadline:
            raw = requests[i % len(requests)]
            i += clients
            t0 = time.perf_counter()
            try:
                status, headers = await conn.request(raw, timeout=60)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, IndexError):
                errors += 1
                conn.close()
                continue
            if status == 503 and b"retry-after" in headers:
                shed += 1
            elif status != 200:
                errors += 1
            else:
                latencies.append((time.perf_counter() - t0) * 1000)
        conn.close()

    server0 = _process_tree_cpu(server_pid) if server_pid else None
    cpu0, t0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    server1 = _process_tree_cpu(server_pid) if server_pid else None
    server = (server1 - server0) / wall if server0 is not None and server1 is not None else None
    return {"clients": clients, "answers_per_s": round(len(latencies) / wall, 1), "answers": len(latencies),
            "shed_503": shed, "errors": errors, "p50_ms": metrics.percentile(latencies, 50),
            "p95_ms": metrics.percentile(latencies, 95), "p99_ms": metrics.percentile(latencies, 99),
            "generator_cpu": round(cpu / wall, 2), "server_cpu": None if server is None else round(server, 2),
            "server_cpu_ms_per_answer": None if server is None or not latencies
            else round(server * wall * 1000 / len(latencies), 1)}


def run(workers: int, client_counts: list[int], seconds: float, threads: int | None = None) -> list[dict]:
    env = {"VNQA_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)} if threads else {}
    proc, base, _ = start_server(["--workers", str(workers)], env)
    try:
        qs = questions(200)  # the gold set, cycled
        asyncio.run(_load(base, 4, 3, qs))  # warm every worker
        return [{"workers": workers, "threads": threads or "default",
                 **asyncio.run(_load(base, c, seconds, qs, proc.pid))} for c in client_counts]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_load", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--clients", default="1,10,50,200")
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--threads", type=int, default=None,
                    help="compute threads per worker (default: vnqa serve's, one per core for a lone worker)")
    args = ap.parse_args(argv)
    rows = []
    for w in (int(x) for x in args.workers.split(",")):
        rows += run(w, [int(x) for x in args.clients.split(",")], args.seconds, args.threads)
    print("| workers | threads each | clients | answers/s | p50 ms | p95 ms | p99 ms | turned away (503) | errors | "
          "server CPU (cores) | server CPU ms / answer | load generator CPU (cores) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workers']} | {r['threads']} | {r['clients']} | {r['answers_per_s']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {r['shed_503']} | {r['errors']} | {r['server_cpu']} | "
              f"{r['server_cpu_ms_per_answer']} | {r['generator_cpu']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
