"""Presenting a run: Markdown tables for stdout, the JSON report, the machine, the worst failures."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime
from pathlib import Path

from .metrics import KS, MRR_K

RETRIEVAL_COLS = [(f"recall@{k}", f"R@{k}") for k in KS] + [(f"mrr@{MRR_K}", f"MRR@{MRR_K}")]
GOLD_COLS = RETRIEVAL_COLS + [
    ("answer_accuracy", "answer acc"), ("citation_accuracy", "citation acc"),
    ("abstention_accuracy", "abstention"), ("false_answer_rate", "false answers"),
    ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
]
SQUAD_COLS = RETRIEVAL_COLS + [
    ("span_hit_rate", "span hit"), ("numeric_accuracy", "numeric acc"), ("answered_rate", "answered"),
    ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
]


def machine_info() -> dict:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu_model": cpu, "ram_gb": ram_gb, "python": platform.python_version(),
            "platform": platform.platform()}


def fmt(key: str, value) -> str:
    if value is None:
        return "—"
    if key.startswith("latency"):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def rows_table(rows: list[dict], cols) -> str:
    return table(["row"] + [c[1] for c in cols],
                 [[r["name"]] + [fmt(k, r["overall"].get(k)) for k, _ in cols] for r in rows])


def tag_table(row: dict, cols) -> str:
    per_tag = row["per_tag"]
    return table(["tag", "n"] + [c[1] for c in cols],
                 [[t, str(m["n"])] + [fmt(k, m.get(k)) for k, _ in cols] for t, m in per_tag.items()])


def tag_by_row(rows: list[dict], key: str) -> str:
    tags = sorted({t for r in rows for t in r["per_tag"]})
    return table(["tag"] + [r["name"] for r in rows],
                 [[t] + [fmt(key, r["per_tag"].get(t, {}).get(key)) for r in rows] for t in tags])


def _value(v) -> str:
    """A figure as ``%g``; a date answer as it is."""
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def markdown(report: dict, questions: bool = True) -> str:
    """The Markdown tables of a report; with ``questions=False`` nothing that quotes a question
    (worst failures, gold problems), so a frozen test set's run can be read without seeing them."""
    squad = report["kind"] == "squad"
    cols = SQUAD_COLS if squad else GOLD_COLS
    rows = report["rows"]
    src = report["source"]
    out = [f"## vnqa eval — {src['name']} ({report['created']})", ""]
    if squad:
        out.append(f"{src['n_questions']} questions ({src['n_numeric']} with a digit in the gold answer) "
                   f"over {src['n_paragraphs']} paragraphs → {report['index']['n_chunks']} chunks "
                   f"(temporary index; model load + build {report['index']['model_load_and_build_s']:.0f} s).")
    else:
        out.append(f"{src['n_questions']} questions ({src['n_answerable']} answerable, "
                   f"{src['n_unanswerable']} unanswerable) over {report['index']['n_documents']} documents "
                   f"→ {report['index']['n_chunks']} chunks.")
    git = report.get("git")
    if git:
        dirty = git["uncommitted_in_qa_api"]
        out.append(f"Code: commit {git['commit'][:10]}"
                   + (f" + uncommitted changes to {len(dirty)} file(s) in qa/, api/." if dirty else "."))
    out += ["", rows_table(rows, cols), ""]
    out.append("Retrieval asked with top_k=10; answers with top_k="
               f"{report['settings']['answer_top_k']}; latency = the answering request, per question. "
               "— = not applicable (the baseline retrieves only).")
    out += ["", "Row run times: " + ", ".join(f"{r['name']} {r['runtime_s']:.0f} s" for r in rows)
            + f"; whole run {report['total_runtime_s']:.0f} s.", ""]
    main = rows[0]
    if main["per_tag"]:
        out += [f"### Per tag — {main['name']}", "", tag_table(main, cols), ""]
        out += ["### Recall@5 by tag and row", "", tag_by_row(rows, "recall@5"), ""]
        key = "numeric_accuracy" if squad else "answer_accuracy"
        out += [f"### {'Numeric' if squad else 'Answer'} accuracy by tag and row", "", tag_by_row(rows, key), ""]
    if questions and report.get("worst_failures"):
        out += [f"### Worst failures — {main['name']}", ""]
        for f in report["worst_failures"]:
            got = f["got"]
            got_s = "no answer" if got is None else f"{got['text']!r} = {_value(got['value'])} [{got['doc_id']}]"
            exp = "no answer" if not f["answerable"] else (
                f"{f['expected']['answer_text'] or f['expected']['value']!r} = {_value(f['expected']['value'])} "
                f"[{f['expected']['doc_id']}]")
            out.append(f"- **{f['id']}** ({f['category']}; evidence rank {f['evidence_rank'] or '>10'}; "
                       f"also failed by {f['also_failed_by_rows']} other rows) "
                       f"{f['question']} — expected {exp}; got {got_s}")
        out.append("")
    if not questions and (report.get("worst_failures") or report.get("problems")):
        out += ["Questions left out (--summary-only): the JSON report holds them.", ""]
    elif report.get("problems"):
        out += ["### Gold problems", ""] + [f"- {p}" for p in report["problems"]] + [""]
    return "\n".join(out)


_SEVERITY = {"wrong figure": 0, "false answer": 1, "no answer": 2, "wrong citation": 3}


def failure_category(answerable: bool, r: dict) -> str | None:
    """What went wrong with one answered record (None: nothing, or a retrieval-only row)."""
    if r.get("answer_ok") is None and answerable:
        return None
    if answerable:
        if not r["answered"]:
            return "no answer"
        if not r["answer_ok"]:
            return "wrong figure"
        if not r["citation_ok"]:
            return "wrong citation"
        return None
    return "false answer" if r["answered"] else None


def worst_gold_failures(items, records: list[dict], other_rows: list[list[dict]] = (), n: int = 10) -> list[dict]:
    """The failures of one row, worst first: a wrong figure given as the answer, then an answer
    to an unanswerable question, then no answer to an answerable one, then a right figure with
    a wrong citation. Within a category, questions whose evidence *was* retrieved come first
    (the answer picker, not retrieval, lost them), best evidence rank first; then those that
    more of the other answering rows (``other_rows``) fail too."""
    by_id = {i.id: i for i in items}
    failing_elsewhere: dict[str, int] = {}
    for recs in other_rows:
        for r in recs:
            if failure_category(by_id[r["id"]].answerable, r) is not None:
                failing_elsewhere[r["id"]] = failing_elsewhere.get(r["id"], 0) + 1
    failures = []
    for r in records:
        item = by_id[r["id"]]
        cat = failure_category(item.answerable, r)
        if cat is None:
            continue
        failures.append({
            "id": item.id, "question": item.question, "tags": list(item.tags), "category": cat,
            "answerable": item.answerable, "evidence_rank": r["rank"],
            "also_failed_by_rows": failing_elsewhere.get(item.id, 0),
            "expected": None if not item.answerable else {
                "value": item.value, "unit": item.unit, "denominator": item.denominator,
                "answer_text": item.answer_text, "doc_id": item.doc_id, "evidence": item.evidence},
            "got": r["got"],
        })
    failures.sort(key=lambda f: (_SEVERITY[f["category"]], f["evidence_rank"] is None, f["evidence_rank"] or 0,
                                 -f["also_failed_by_rows"], f["id"]))
    return failures[:n]


def default_json_path(root: Path, stem: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return root / "eval" / "reports" / f"{stem}-{stamp}.json"


def write_json(path: Path, report: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
