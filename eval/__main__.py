"""``vnqa eval`` (also ``python -m eval``): retrieval, answer and citation metrics with ablations.

    vnqa eval                                   # eval/gold.jsonl against the seeds, all rows
    vnqa eval --gold other.jsonl                # another gold file
    vnqa eval --url http://127.0.0.1:8000       # a running service over HTTP (hybrid row only)
    vnqa eval --squad ../shared/datasets/xquad-vi/xquad.vi.json [--limit 200]
    vnqa eval --rows hybrid --dense-weights 0.3,0.7   # the fusion weight, re-measured

Rows, side by side from one loaded index and embedder: hybrid (default), BM25 only, dense only,
hybrid with RRF, hybrid without accent folding, BM25 without folding, and the rank_bm25 baseline
(plain BM25Okapi over whitespace tokens of the same chunks; retrieval only). Metrics are
defined in ``eval/metrics.py``. A Markdown table goes to stdout, progress to stderr, and the
full report (per tag, per question, worst failures) to ``eval/reports/<name>-<timestamp>.json``
(or ``--json PATH``). SQuAD files are indexed into a temporary folder, never ``index/``.

Exit status: 0 after a run whatever the metrics say; 1 when it cannot run (a missing or
malformed file, an unreachable service); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from . import metrics, report
from .runner import (DEFAULT_ANSWER_TOP_K, ROW_NAMES, HttpBackend, Row, ServiceBackend, run_gold_row,
                     run_squad_row, select_rows, stderr_log, weighted_row)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "eval" / "gold.jsonl"


class CannotRun(Exception):
    """The evaluation cannot run (exit 1)."""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vnqa eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--gold", type=Path, help=f"gold JSONL file (default {DEFAULT_GOLD.relative_to(ROOT)})")
    src.add_argument("--squad", type=Path, help="a SQuAD v1.1-format JSON file; its paragraphs become the corpus")
    ap.add_argument("--url", help="evaluate a running service at this base URL over HTTP (gold only; hybrid row)")
    ap.add_argument("--limit", type=int, help="evaluate a seeded random sample of N questions")
    ap.add_argument("--seed", type=int, default=0, help="seed of the --limit sample (default 0)")
    ap.add_argument("--rows", help=f"comma-separated subset of rows (default all: {','.join(ROW_NAMES)})")
    ap.add_argument("--dense-weights", metavar="W[,W…]",
                    help="also run the hybrid at these dense weights of the min-max fusion (rows "
                         "hybrid-w<W>, e.g. 0.3,0.7), to re-measure the default")
    ap.add_argument("--answer-top-k", type=int, default=DEFAULT_ANSWER_TOP_K,
                    help="top_k of the answering request (default 5, as POST /ask); retrieval metrics "
                         "always use a top_k=10 request; 10 makes one request serve both")
    ap.add_argument("--json", type=Path, dest="json_path",
                    help="where to write the JSON report (default eval/reports/<name>-<timestamp>.json)")
    ap.add_argument("--markdown", type=Path, help="also write the Markdown tables to this file")
    ap.add_argument("--corpus", help="gold mode: corpus folder (env VNQA_CORPUS; default seeds/)")
    ap.add_argument("--index", help="gold mode: index folder (env VNQA_INDEX_DIR; default index/)")
    ap.add_argument("--model", help="sentence-transformers model name or path (env VNQA_MODEL)")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ap.add_argument("--summary-only", action="store_true",
                    help="print only the summary tables, no question (worst failures, gold problems); "
                         "for a test set whose questions must not be read. The JSON report keeps all")
    return ap


def _check_args(ap: argparse.ArgumentParser, args: argparse.Namespace) -> list[Row]:
    if args.url and args.squad:
        ap.error("--url evaluates the running service's own corpus; it cannot be combined with --squad")
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    if not 1 <= args.answer_top_k <= 50:
        ap.error("--answer-top-k must be between 1 and 50")
    try:
        rows = select_rows(args.rows)
    except ValueError as exc:
        ap.error(str(exc))
    if args.dense_weights:
        try:
            weights = [float(w) for w in args.dense_weights.split(",") if w.strip()]
        except ValueError:
            weights = []
        if not weights or not all(0.0 <= w <= 1.0 for w in weights):
            ap.error(f"--dense-weights takes numbers between 0 and 1, e.g. 0.3,0.7; got {args.dense_weights!r}")
        rows = rows + [weighted_row(w) for w in weights]
    if args.url:
        rows = [r for r in rows if r.name == "hybrid"]
        if not rows:
            ap.error("--url evaluates the hybrid row only")
    return rows


def _sample(items: list, limit: int | None, seed: int) -> list:
    if limit is None or limit >= len(items):
        return items
    import random

    keep = set(random.Random(seed).sample(range(len(items)), limit))
    return [x for i, x in enumerate(items) if i in keep]


def _git_state() -> dict | None:
    """The commit evaluated, and uncommitted changes to the code under test (qa/, api/)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "qa", "api"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10, check=True).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "uncommitted_in_qa_api": [line.strip() for line in dirty]}


def _settings(args):
    from qa.config import Settings

    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, model=args.model)


def _index_info(service) -> dict:
    m = service.index.manifest
    return {"path": str(service.index.path), "model": m.get("model"), "dense_index": m.get("dense_index"),
            "n_documents": m.get("n_documents"), "n_chunks": m.get("n_chunks"),
            "n_sentences": m.get("n_sentences"), "built_at": m.get("built_at"),
            "build_timings_s": m.get("timings_s")}


def _row_result(row: Row, records: list[dict], runtime: float, summarize) -> dict:
    kwargs = {"retrieval_only": row.retrieval_only}
    return {**row.describe(), "runtime_s": round(runtime, 2),
            "overall": summarize(records, **kwargs),
            "per_tag": metrics.by_tag(records, summarize, **kwargs),
            "questions": records}


def _run_rows(rows, service, run_row, questions, args, log) -> list[dict]:
    from .baselines import RankBM25Baseline

    summarize = metrics.summarize_squad if args.squad else metrics.summarize_gold
    results = []
    for row in rows:
        if row.retrieval_only:
            t0 = time.perf_counter()
            backend = RankBM25Baseline(service.index.chunks)
            log(f"vnqa eval: {row.name}: BM25Okapi over {len(service.index.chunks)} chunks "
                f"built in {time.perf_counter() - t0:.1f} s")
        else:
            backend = ServiceBackend(service, row.options, row.reader)
            backend.ask("khởi động", DEFAULT_ANSWER_TOP_K)  # warm lazy paths out of the latencies
        log(f"vnqa eval: row {row.name} ({len(questions)} questions)")
        records, runtime = run_row(backend, row, questions)
        log(f"vnqa eval: row {row.name} done in {runtime:.1f} s")
        results.append(_row_result(row, records, runtime, summarize))
    return results


def evaluate_gold(args, rows: list[Row], service=None, http_client=None, log=stderr_log) -> dict:
    from .gold import GoldError, load_gold, resolve_targets

    gold_path = args.gold or DEFAULT_GOLD
    try:
        items = load_gold(gold_path)
    except (FileNotFoundError, GoldError) as exc:
        raise CannotRun(str(exc)) from None
    items = _sample(items, args.limit, args.seed)

    if args.url:
        import httpx

        backend = HttpBackend(args.url, client=http_client)
        try:
            health = backend.health()
        except httpx.HTTPError as exc:
            raise CannotRun(f"cannot reach the service at {args.url}: {exc}") from None
        get_text = backend.document_text
        index = {"url": args.url, "model": health.get("model"), "n_documents": health.get("documents"),
                 "n_chunks": health.get("chunks"), "built_at": health.get("built_at")}
    else:
        if service is None:
            from qa.service import QAService

            try:
                with contextlib.redirect_stdout(sys.stderr):  # model conversion notes: not the table
                    service = QAService.open(_settings(args), log=log)
            except FileNotFoundError as exc:
                raise CannotRun(str(exc)) from None

        def get_text(doc_id):
            doc = service.document(doc_id)
            return None if doc is None else doc.text

        index = _index_info(service)

    targets = {i.id: resolve_targets(i, get_text) for i in items}
    problems = [p for t in targets.values() for p in t.problems]
    for p in problems:
        log(f"vnqa eval: gold problem: {p}")

    def run_row(backend_, row, questions):
        return run_gold_row(backend_, row, questions, targets, args.answer_top_k, log)

    if args.url:
        backend.ask("khởi động", DEFAULT_ANSWER_TOP_K)
        records, runtime = run_row(backend, rows[0], items)
        results = [_row_result(rows[0], records, runtime, metrics.summarize_gold)]
    else:
        results = _run_rows(rows, service, run_row, items, args, log)

    main_row = results[0]
    by_id = {i.id: i for i in items}
    return {
        "kind": "gold",
        "source": {"name": str(gold_path), "n_questions": len(items),
                   "n_answerable": sum(i.answerable for i in items),
                   "n_unanswerable": sum(not i.answerable for i in items),
                   "limit": args.limit, "seed": args.seed if args.limit else None},
        "index": index,
        "rows": results,
        "worst_failures_row": main_row["name"],
        "worst_failures": report.worst_gold_failures(
            items, main_row["questions"],
            [r["questions"] for r in results[1:] if r["options"] is not None]),
        "n_failures": sum(report.failure_category(by_id[r["id"]].answerable, r) is not None
                          for r in main_row["questions"]),
        "problems": problems,
    }


def evaluate_squad(args, rows: list[Row], embedder=None, log=stderr_log) -> dict:
    from qa.service import QAService

    from .squad import SquadError, load_squad

    try:
        documents, questions = load_squad(args.squad, args.limit, args.seed)
    except (FileNotFoundError, SquadError) as exc:
        raise CannotRun(str(exc)) from None
    settings = _settings(args)
    with tempfile.TemporaryDirectory(prefix="vnqa-eval-squad-") as tmp:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):  # model conversion / index notes: not the table
            if embedder is None:
                from qa.index.embedder import make_embedder

                embedder = make_embedder(settings.model, settings.encoder)
            service = QAService.from_documents(documents, Path(tmp) / "index", embedder, settings, log=log)
        index = {**_index_info(service), "path": "(temporary)",
                 "model_load_and_build_s": round(time.perf_counter() - t0, 2)}

        def run_row(backend_, row, qs):
            return run_squad_row(backend_, row, qs, args.answer_top_k, log)

        results = _run_rows(rows, service, run_row, questions, args, log)
    return {
        "kind": "squad",
        "source": {"name": str(args.squad), "n_questions": len(questions), "n_paragraphs": len(documents),
                   "n_numeric": sum(q.numeric for q in questions),
                   "limit": args.limit, "seed": args.seed if args.limit else None},
        "index": index,
        "rows": results,
    }


def main(argv: list[str] | None = None, *, service=None, embedder=None, http_client=None) -> int:
    """Run the evaluation. ``service``/``embedder``/``http_client`` let tests reuse loaded ones."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = parser()
    try:
        args = ap.parse_args(argv)
        rows = _check_args(ap, args)
    except SystemExit as exc:  # argparse: --help (0) or bad arguments (2)
        return int(exc.code or 0)
    log = (lambda *a: None) if args.quiet else stderr_log
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    try:
        if args.squad:
            result = evaluate_squad(args, rows, embedder=embedder if service is None else service.embedder, log=log)
        else:
            result = evaluate_gold(args, rows, service=service, http_client=http_client, log=log)
    except CannotRun as exc:
        print(f"vnqa eval: {exc}", file=sys.stderr)
        return 1
    result = {
        "kind": result.pop("kind"),
        "created": started.isoformat(timespec="seconds"),
        "command": "vnqa eval " + " ".join(argv),
        "machine": report.machine_info(),
        "git": _git_state(),
        "settings": {"ks": list(metrics.KS), "mrr_k": metrics.MRR_K,
                     "retrieval_top_k": metrics.RETRIEVAL_TOP_K, "answer_top_k": args.answer_top_k,
                     "rel_tol": metrics.REL_TOL},
        **result,
        "total_runtime_s": round(time.perf_counter() - t0, 2),
    }
    md = report.markdown(result, questions=not args.summary_only)
    print(md)
    stem = Path(args.squad).stem if args.squad else ("gold-http" if args.url else "gold")
    json_path = args.json_path or report.default_json_path(ROOT, stem)
    try:
        report.write_json(json_path, result)
        if args.markdown:
            Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
            Path(args.markdown).write_text(md + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"vnqa eval: cannot write the report: {exc}", file=sys.stderr)
        return 1
    log(f"vnqa eval: report written to {json_path} (total {result['total_runtime_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
