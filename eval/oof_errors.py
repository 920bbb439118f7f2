"""Where the figure ranker's top-1 errors are, out of fold, on the hand-written training questions.

    python -m eval.oof_errors [--draw 7] [--sample 40 --seed 11] [--work .cache/train-reader-onnx]

Reads the rows ``vnqa train-reader`` saved (``rows.pkl`` in ``--work``; run it once first), trains
the ranker on one grouped 5-fold draw, and takes every hand-written question whose right figure is
among its candidates but not on top. Each error is mapped back to its two figures (re-reading the
question's candidates from the training index and its retrieval cache) and counted by where the
wrong pick sits against the right figure: the same sentence, another sentence of the same article,
another article; the same kind or another. ``--sample N`` also prints N errors, question, pick and
right figure in their sentences, for reading by hand.

Training questions only (``eval/vnews_train``, ``eval/vnews_dev/dev.jsonl``): never point it at a
test set's rows. It decides nothing; it says where a next change could reach.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.read.fitting import _rows_of, draw_scores
from qa.read.training import (DEFAULT_WORK, GOLD_WEIGHT, LGB_PARAMS, LGB_RANKERS, LGB_ROUNDS, _gold_sets, _merge,
                              gold_work_name)


@dataclass(frozen=True)
class Error:
    """One question whose top-scored candidate is wrong: indices into its own candidate rows."""

    question: int
    pick: int
    right: int  # the best-scored right candidate
    gap: float  # pick's score − right's score (≥ 0)


def wrong_top1(scores: np.ndarray, y: np.ndarray, qid: np.ndarray, questions: list[int]) -> list[Error]:
    """The questions of ``questions`` that have a right candidate (``y`` = 1) whose top-scored
    candidate is wrong. Rows of one question need not be contiguous; indices are within the
    question's rows in their order in the arrays."""
    out = []
    for q, rows in _rows_of(qid, questions):
        if not len(rows) or not y[rows].any():
            continue
        s = scores[rows]
        top = int(np.argmax(s))
        if y[rows][top] == 1:
            continue
        rights = np.flatnonzero(y[rows] == 1)
        right = int(rights[np.argmax(s[rights])])
        out.append(Error(int(q), top, right, float(s[top] - s[right])))
    return out


def place_of(pick, right) -> list[str]:
    """Where a wrong pick sits against the right figure (both ``qa.read.rules.Candidate``): the
    labels it is counted under."""
    where = ("same sentence" if pick.sentence_id == right.sentence_id else
             "same article" if pick.doc_id == right.doc_id else "other article")
    kind = "same kind" if pick.quantity.kind == right.quantity.kind else "other kind"
    labels = [where, kind, f"{where}, {kind}"]
    if where == "same sentence":
        labels.append("same sentence, right figure after the pick" if right.quantity.start > pick.quantity.start
                      else "same sentence, right figure before the pick")
    return labels


class _Candidates:
    """A hand-written question's candidates, re-read in the order ``featurise`` gave them rows."""

    def __init__(self, work: Path, n_silver: int):
        self.work, self.sets, start = work, [], n_silver
        for gold, _ in _gold_sets(None):
            rows = [json.loads(line) for line in Path(gold).read_text(encoding="utf-8").splitlines() if line.strip()]
            self.sets.append((start, start + len(rows), Path(gold), rows))
            start += len(rows)
        self._open: tuple[str, object, object, object] | None = None

    def of(self, question: int):
        """(gold row, candidates after ``hard_reject``, the index) of question number ``question``."""
        from qa.config import Settings
        from qa.index.embedder import make_embedder
        from qa.index.live import index_documents
        from qa.ingest.documents import load_corpus
        from qa.read.features import hard_reject
        from qa.read.rules import AnswerPicker
        from qa.read.training import _RetrievalCache
        from qa.retrieve.retriever import Retriever

        start, _, gold, rows = next(s for s in self.sets if s[0] <= question < s[1])
        name = gold_work_name(gold)
        if self._open is None or self._open[0] != name:
            settings = Settings.from_env()
            embedder = make_embedder(settings.model, settings.encoder)
            index = index_documents(load_corpus(self.work / f"{name}-corpus"), self.work / f"{name}-index", embedder,
                                    settings.chunking, log=lambda *a: None)
            self._open = (name, _RetrievalCache(Retriever(index, embedder)), AnswerPicker(index), index)
        _, cache, picker, index = self._open
        row = rows[question - start]
        result = cache.search(row["question"])
        _, cands = picker.scored_candidates(row["question"], [h.chunk_id for h in result.hits], result.query_vector)
        return row, [c for c in cands if hard_reject(c, row["question"]) is None], index


def _sentence(index, c) -> str:
    return index.documents[c.doc_id].text[c.sentence_start:c.sentence_end].replace("\n", " ")


def add_rows_arguments(ap: argparse.ArgumentParser) -> None:
    """``--work`` and ``--draw``: the saved rows and the fold draw, for the tools that read them
    out of fold (this one and ``eval.where_lost``)."""
    ap.add_argument("--work", default=str(DEFAULT_WORK), help="where vnqa train-reader saved rows.pkl")
    ap.add_argument("--draw", type=int, default=7, help="the fold draw's seed")


def saved_rows(ap: argparse.ArgumentParser, work: Path) -> tuple[dict, dict, list[dict], list[int]]:
    """(the rows as ``vnqa train-reader`` saved them, merged as it trains on them, one dict per
    question, the hand-written questions), or a usage error that says what to run."""
    if not (work / "rows.pkl").is_file():
        ap.error(f"no saved rows in {work}: run vnqa train-reader first")
    saved = pickle.loads((work / "rows.pkl").read_bytes())
    if not saved["gold"]:
        ap.error("the saved rows hold no hand-written questions")
    data, qmeta = _merge(saved["silver"], saved["gold"], GOLD_WEIGHT)
    return saved, data, qmeta, [i for i, m in enumerate(qmeta) if m.get("source") == "gold"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.oof_errors", description=__doc__.split("\n\n")[0])
    add_rows_arguments(ap)
    ap.add_argument("--sample", type=int, default=0, help="print this many errors, drawn at random")
    ap.add_argument("--seed", type=int, default=11, help="seed of the --sample draw")
    args = ap.parse_args(argv)
    work = Path(args.work)
    saved, data, qmeta, gold_q = saved_rows(ap, work)
    scores = draw_scores(data, LGB_PARAMS, LGB_ROUNDS, args.draw, rankers=LGB_RANKERS)
    errors = wrong_top1(scores, data["y"], data["qid"], gold_q)
    reachable = sum(1 for _, rows in _rows_of(data["qid"], gold_q) if data["y"][rows].any())
    candidates = _Candidates(work, len(saved["silver"][1]))
    counts: Counter = Counter()
    for e in errors:
        _, cands, _ = candidates.of(e.question)
        counts.update(place_of(cands[e.pick], cands[e.right]))
    print(f"draw {args.draw}: {len(errors)} of {reachable} hand-written questions with a right candidate have a "
          f"wrong one on top (top-1 {1 - len(errors) / reachable:.4f}); {sum(e.gap < 0.10 for e in errors)} by a "
          "score gap below 0.10")
    for label, n in sorted(counts.items()):
        print(f"  {label:45} {n:5}  {n / len(errors):.0%}")
    for e in sorted(random.Random(args.seed).sample(errors, min(args.sample, len(errors))), key=lambda e: e.question):
        row, cands, index = candidates.of(e.question)
        print(f"\n{row['id']} (gap {e.gap:.3f}) {row['question']}  | gold {row.get('value')}")
        for label, c in (("pick ", cands[e.pick]), ("right", cands[e.right])):
            print(f"  {label} {c.quantity.text!r} in {c.doc_id}: {_sentence(index, c)[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
