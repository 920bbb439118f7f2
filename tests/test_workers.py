"""`vnqa serve --workers 2` for real: a document written through one worker is answered by
both, and `GET /metrics` counts every worker's requests whichever worker answers the scrape."""

from __future__ import annotations

import os
import re

import httpx
import pytest

from eval.bench import start_server
from qa.service import QAService

KEY = "workers-key"
ARTICLE = ("Tính đến hết tháng 11/2026, huyện Hai Tiến Trình có 4.321 hộ dân dùng dịch vụ công trực tuyến "
           "mức độ 4.")
QUESTION = "huyện Hai Tiến Trình có bao nhiêu hộ dân dùng dịch vụ công trực tuyến?"


def _count(metrics_text: str, route: str) -> float:
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("vnqa_http_requests_total{") and f'route="{route}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.fixture(scope="module")
def two_workers(seed_docs, service_embedder, tmp_path_factory):
    index = tmp_path_factory.mktemp("workers-index")
    QAService.from_documents(seed_docs, index, service_embedder, log=lambda *a: None, reader="rules")
    env = {"VNQA_INDEX_DIR": str(index), "VNQA_API_KEY": KEY, "VNQA_READER": "rules",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("metrics"))}
    proc, base, _ = start_server(["--workers", "2"], env)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_a_write_through_one_worker_is_answered_by_every_worker(two_workers):
    with httpx.Client(base_url=two_workers, timeout=60) as c:
        r = c.post("/documents", json={"id": "w1", "text": ARTICLE}, headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 201, r.text
        for _ in range(12):  # new connections spread over both workers
            with httpx.Client(base_url=two_workers, timeout=60) as fresh:
                body = fresh.post("/ask", json={"question": QUESTION}).json()
            assert body["passages"][0]["doc_id"] == "w1" and body["answer"]["text"].startswith("4.321")
        r = c.delete("/documents/w1", headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 200
        for _ in range(6):
            with httpx.Client(base_url=two_workers, timeout=60) as fresh:
                body = fresh.post("/ask", json={"question": QUESTION}).json()
            assert all(p["doc_id"] != "w1" for p in body["passages"])


def test_metrics_sum_over_workers(two_workers):
    with httpx.Client(base_url=two_workers, timeout=60) as c:
        before = _count(c.get("/metrics").text, "/health")
    for _ in range(10):
        with httpx.Client(base_url=two_workers, timeout=60) as fresh:
            assert fresh.get("/health").status_code == 200
    seen = set()
    for _ in range(6):  # whichever worker answers, it reports all ten
        with httpx.Client(base_url=two_workers, timeout=60) as fresh:
            text = fresh.get("/metrics").text
        seen.add(_count(text, "/health"))
    assert seen == {before + 10}, seen


def test_worker_connections_get_tcp_nodelay():
    """uvicorn binds the socket for --workers N with proto 0, so asyncio never set TCP_NODELAY on
    accepted connections (each keep-alive request waited ~40 ms for a delayed ACK). After
    `vnqa serve`'s re-wrap, a connection accepted on the bound socket has TCP_NODELAY on."""
    import asyncio
    import socket

    import uvicorn

    from qa.cli import _listen_with_tcp_nodelay

    saved = uvicorn.Config.bind_socket
    try:
        _listen_with_tcp_nodelay(uvicorn)
        config = uvicorn.Config(app=None, host="127.0.0.1", port=0)
        sock = config.bind_socket()
    finally:
        uvicorn.Config.bind_socket = saved
    assert sock.proto == socket.IPPROTO_TCP

    async def accepted_nodelay() -> int:
        seen = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                s = transport.get_extra_info("socket")
                seen.set_result(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        value = await asyncio.wait_for(seen, 30)
        writer.close()
        server.close()
        return value

    assert asyncio.run(accepted_nodelay()) != 0


def test_workers_starting_together_bring_the_corpus_in_once(seed_docs, service_embedder, tmp_path):
    """Server workers open the same fresh index folder at the same moment: one stores and embeds
    the corpus folder, the other finds it stored (before, both embedded all of it)."""
    import threading

    logs: list[list[str]] = [[], []]
    services: list[QAService | None] = [None, None]

    def open_one(k: int) -> None:
        services[k] = QAService.from_documents(seed_docs, tmp_path / "index", service_embedder,
                                               log=lambda *a: logs[k].append(" ".join(map(str, a))),
                                               reader="rules", origin="folder:seeds")

    threads = [threading.Thread(target=open_one, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    added = [line for log in logs for line in log if "added" in line]
    assert added == ["vnqa: folder:seeds: 5 added, 0 updated, 0 removed"], logs
    for svc in services:
        assert svc is not None and sorted(svc.index.documents) == sorted(d.doc_id for d in seed_docs)


def test_the_server_runs_on_the_c_http_parser_and_event_loop():
    """`vnqa serve` leaves uvicorn's choice on "auto": with httptools and uvloop installed (both
    are dependencies) it parses HTTP in C and runs uvloop, about 1.3 ms less per /ask than h11
    and asyncio's loop (eval/bench.py). A lost dependency would slow every request silently."""
    from uvicorn.loops.auto import auto_loop_factory
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    assert AutoHTTPProtocol.__name__ == "HttpToolsProtocol"
    loop = auto_loop_factory()()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
