"""Where the hand-written training questions are lost, stage by stage, out of fold.

    python -m eval.where_lost [--draw 7] [--threshold T] [--work .cache/train-reader-onnx]
    python -m eval.where_lost --stage "vetoed by the time" --sample 40 [--seed 0]

Reads the rows ``vnqa train-reader`` saved (``rows.pkl`` in ``--work``; run it once first), scores
every figure with the ranker out of fold (one grouped 5-fold draw, as ``eval.oof_errors``), fits
the shipped kind of answer model out of fold on those scores, and puts each hand-written question
at the first stage it does not pass:

* an answerable question: no right figure among its candidates; the right figure vetoed by the
  time or place rule (``qa.read.answerability.covered``); another figure ranked first (answered
  wrong, or abstained); the right figure first but the answer model below the threshold; answered
  right;
* an unanswerable question: no covered figure; abstained; answered (a false answer).

The threshold is the shipped card's unless ``--threshold`` is given. ``eval.oof_errors`` looks
inside one of these stages (the ranking errors); this says how big each stage is, so that a next
change goes where the questions are. ``--stage TEXT --sample N`` also prints N questions, drawn at
random, of the stages whose name holds TEXT, each with its written answer and evidence: what to
read before writing a fact of the language. Training questions only (``eval/vnews_train``,
``eval/vnews_dev/dev.jsonl``): never point it at a test set's rows. It decides nothing.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

from eval.gold import GoldItem, load_gold
from eval.oof_errors import add_rows_arguments, saved_rows
from qa.read.answerability import covered, place_covered, time_covered
from qa.read.learned import CARD_FILE, MODEL_DIR
from qa.read.fitting import _rows_of, answer_model_oof, answer_rows, draw_scores
from qa.read.training import DEFAULT_GOLD_SETS, LGB_PARAMS, LGB_RANKERS, LGB_ROUNDS

NO_RIGHT = "no right figure among the candidates"
VETO_TIME = "right figure vetoed by the time rule"
VETO_PLACE = "right figure vetoed by the place rule"
VETO_BOTH = "right figure vetoed by the time and place rules"
OTHER_FIRST_WRONG = "another figure ranked first, answered (wrong)"
OTHER_FIRST_ABSTAINED = "another figure ranked first, abstained"
RIGHT_ABSTAINED = "right figure first, abstained"
RIGHT_ANSWERED = "right figure first, answered (right)"
ANSWERABLE_STAGES = (NO_RIGHT, VETO_TIME, VETO_PLACE, VETO_BOTH, OTHER_FIRST_WRONG, OTHER_FIRST_ABSTAINED,
                     RIGHT_ABSTAINED, RIGHT_ANSWERED)
NONE_COVERED = "no covered figure"
ABSTAINED = "abstained"
FALSE_ANSWER = "answered (a false answer)"
UNANSWERABLE_STAGES = (NONE_COVERED, ABSTAINED, FALSE_ANSWER)


def stage_of(scores: np.ndarray, X: np.ndarray, y: np.ndarray, answerable: bool, confidence: float | None,
             threshold: float) -> str:
    """The stage one question stops at: its figures' ``scores``, feature rows ``X`` and labels
    ``y`` (1 = right), and the answer model's ``confidence`` in its best covered figure (None when
    no figure is covered)."""
    ok = covered(X) if len(X) else np.zeros(0, bool)
    answered = confidence is not None and confidence >= threshold
    if not answerable:
        return NONE_COVERED if not ok.any() else FALSE_ANSWER if answered else ABSTAINED
    right = y == 1
    if not right.any():
        return NO_RIGHT
    if not (ok & right).any():
        time_ok, place_ok = time_covered(X)[right], place_covered(X)[right]
        return VETO_TIME if place_ok.any() else VETO_PLACE if time_ok.any() else VETO_BOTH
    best = int(np.flatnonzero(ok)[np.argmax(scores[ok])])
    if right[best]:
        return RIGHT_ANSWERED if answered else RIGHT_ABSTAINED
    return OTHER_FIRST_WRONG if answered else OTHER_FIRST_ABSTAINED


def stages(scores: np.ndarray, data: dict, questions: list[int], answerable: dict[int, bool],
           confidence: dict[int, float], threshold: float) -> dict[int, str]:
    """:func:`stage_of` for each of ``questions``. A question with no candidate rows at all is
    at the first stage of its kind (no right figure, or no covered figure)."""
    X, y, qid = data["X"], data["y"], data["qid"]
    out = {}
    for q, rows in _rows_of(qid, questions):
        out[q] = stage_of(scores[rows], X[rows], y[rows], answerable[q], confidence.get(q), threshold)
    return out


def table(found: dict[int, str], answerable: dict[int, bool]) -> list[tuple[str, str, int, float]]:
    """(which questions, stage, count, share of those questions) in stage order."""
    counts = Counter(found.values())
    lines = []
    for group, names, is_answerable in (("answerable", ANSWERABLE_STAGES, True),
                                        ("unanswerable", UNANSWERABLE_STAGES, False)):
        total = sum(1 for q in found if answerable[q] == is_answerable)
        lines += [(group, s, counts[s], counts[s] / total if total else 0.0) for s in names]
    return lines


def sample_at(found: dict[int, str], stage_text: str, k: int, seed: int) -> list[int]:
    """Up to ``k`` questions, drawn with ``seed``, whose stage's name holds ``stage_text``; in
    question order, so one seed always prints the same questions."""
    at = sorted(q for q, stage in found.items() if stage_text in stage)
    return sorted(random.Random(seed).sample(at, min(k, len(at))))


def written_items(paths) -> dict[tuple[str, str], GoldItem]:
    """The hand-written items of the question files ``paths`` (read by ``eval.gold.load_gold``), by
    (id, question): ids repeat across batches, the pair does not."""
    items: dict[tuple[str, str], GoldItem] = {}
    for path in paths:
        for item in load_gold(path):
            items.setdefault((item.id, item.question), item)
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.where_lost", description=__doc__.split("\n\n")[0])
    add_rows_arguments(ap)
    ap.add_argument("--threshold", type=float, default=None, help="answer at or above this (default: the card's)")
    ap.add_argument("--stage", default="", help="with --sample: the stages whose name holds this text")
    ap.add_argument("--sample", type=int, default=0, help="print this many questions of --stage, drawn at random")
    ap.add_argument("--seed", type=int, default=0, help="seed of the --sample draw")
    args = ap.parse_args(argv)
    if args.sample and not any(args.stage in s for s in (*ANSWERABLE_STAGES, *UNANSWERABLE_STAGES)):
        ap.error(f"--stage {args.stage!r} names no stage; the stages are: "
                 + "; ".join((*ANSWERABLE_STAGES, *UNANSWERABLE_STAGES)))
    _, data, qmeta, gold_q = saved_rows(ap, Path(args.work))
    card = json.loads((MODEL_DIR / CARD_FILE).read_text(encoding="utf-8"))
    threshold = float(card["threshold"]) if args.threshold is None else args.threshold
    kind = "boosted" if card["answer_model"].get("file") else "logistic"
    answerable = {i: qmeta[i]["answer_start"] is not None for i in gold_q}
    scores = draw_scores(data, LGB_PARAMS, LGB_ROUNDS, args.draw, rankers=LGB_RANKERS)
    rows, labels, groups, kept = answer_rows(scores, data, gold_q)
    confidence = dict(zip(kept, answer_model_oof(rows, labels, groups, kind=kind)))
    found = stages(scores, data, gold_q, answerable, confidence, threshold)
    lines = table(found, answerable)
    right = sum(n for _, s, n, _ in lines if s == RIGHT_ANSWERED)
    wrong = sum(n for _, s, n, _ in lines if s in (OTHER_FIRST_WRONG, FALSE_ANSWER))
    print(f"draw {args.draw}, {kind} answer model out of fold, threshold {threshold}: "
          f"{right} right, {wrong} wrong answers (right − 2 × wrong {right - 2 * wrong})")
    for group, stage, n, share in lines:
        print(f"  {group:12} {stage:50} {n:5}  {share:6.1%}")
    if args.sample:
        items = written_items(path for path, _ in DEFAULT_GOLD_SETS if path.is_file())
        for q in sample_at(found, args.stage, args.sample, args.seed):
            item = items.get((qmeta[q]["id"], qmeta[q]["question"]))
            print(f"\n{qmeta[q]['id']} [{found[q]}] {qmeta[q]['question']}\n  "
                  + (f"answer {item.answer_text!r} in {item.doc_id}: {str(item.evidence)[:300]}" if item
                     else "(not in the hand-written question files)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
