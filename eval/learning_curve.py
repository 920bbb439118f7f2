"""What more hand-written training questions would be worth (a measurement; nothing here
asserts anything).

    python -m eval.learning_curve                        # 50 / 75 / 100 %, fold draws 1-3
    python -m eval.learning_curve --keep 0.25 0.5 1 --draws 5 --json out.json

Reads the feature rows that ``vnqa train-reader`` saved under ``--work`` (run it first, on this
code: rows saved by other feature code are refused) and repeats its out-of-fold yardstick
(``qa.read.fitting.fold_draws``: top-1 of the hand-written questions, and right − 2 × wrong of
the boosted answer model averaged over thresholds 0.50-0.80, "band") with each fold's ranker
trained on a share of the hand-written articles only. Silver rows are always kept and every
question is always scored, so the rows change and the yardstick does not. The shares are nested
(``kept_articles``), so a step of the curve adds articles to the one before it.

The answer: how far top-1 and the band move per doubling of the hand-written questions, against
the spread of the fold draws — whether writing another batch is worth more than another feature.

    python -m eval.learning_curve --added eval/vnews_train/train22.jsonl … --draws 5

measures batches already written instead: on the same rows and fold draws, each fold's ranker
trained without the questions of the ``--added`` files and then with them, both judged on the
other hand-written questions only (the added ones are scored by neither), paired draw by draw.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.read import fitting, training


def curve(data: dict, qmeta: list[dict], keeps: list[float], draws: int, wrong_cost: float = 2.0) -> list[dict]:
    """Per share of hand-written articles kept: the fold draws' top-1 and boosted band, each draw's
    and their mean."""
    params, rounds = dict(training.LGB_PARAMS), training.LGB_ROUNDS
    out = []
    for keep in keeps:
        result = fitting.fold_draws(data, qmeta, params, rounds, draws, wrong_cost, keep_hand_written=keep,
                                     rankers=training.LGB_RANKERS)
        out.append({"keep": keep,
                     "top1": [r["top1"] for r in result["draws"]],
                     "boosted_band": [r["boosted_band"] for r in result["draws"]],
                     "top1_mean": result["summary"]["top1"]["mean"],
                     "boosted_band_mean": result["summary"]["boosted_band"]["mean"]})
    return out


def added_value(data: dict, qmeta: list[dict], added_ids: set[str], draws: int,
                wrong_cost: float = 2.0) -> dict:
    """The fold draws' top-1 and boosted band of the hand-written questions not in ``added_ids``,
    each fold's ranker trained without, then with, the questions of ``added_ids``; and the paired
    differences (with − without) per draw."""
    params, rounds = dict(training.LGB_PARAMS), training.LGB_ROUNDS
    added = frozenset(i for i, m in enumerate(qmeta) if m.get("source") == "gold" and m.get("id") in added_ids)
    judged = frozenset(i for i, m in enumerate(qmeta) if m.get("source") == "gold") - added
    out = {"added_questions": len(added), "judged_questions": len(judged)}
    for arm, not_trained in (("without", added), ("with", frozenset())):
        result = fitting.fold_draws(data, qmeta, params, rounds, draws, wrong_cost,
                                     not_trained=not_trained, judged=judged, rankers=training.LGB_RANKERS)
        out[arm] = {"top1": [r["top1"] for r in result["draws"]],
                    "boosted_band": [r["boosted_band"] for r in result["draws"]],
                    "summary": {k: result["summary"][k] for k in ("top1", "boosted_band")}}
    out["band_differences"] = [round(b - a, 1) for a, b in zip(out["without"]["boosted_band"],
                                                                out["with"]["boosted_band"])]
    out["top1_differences"] = [round(b - a, 4) for a, b in zip(out["without"]["top1"], out["with"]["top1"])]
    return out


def added_markdown(result: dict) -> str:
    lines = [f"{result['added_questions']} added questions; {result['judged_questions']} judged", "",
             "| ranker trained | top-1 by draw | boosted band by draw | mean top-1 | mean band ± sd |",
             "|---|---|---|---|---|"]
    for arm in ("without", "with"):
        r = result[arm]
        band = r["summary"]["boosted_band"]
        lines.append(f"| {arm} the added questions | {' / '.join(f'{v:.4f}' for v in r['top1'])} | "
                     f"{' / '.join(f'{v:,.1f}' for v in r['boosted_band'])} | {r['summary']['top1']['mean']:.4f} | "
                     f"{band['mean']:,.1f} ± {band['sd']:.1f} |")
    lines.append(f"| paired, with − without | {' / '.join(f'{v:+.4f}' for v in result['top1_differences'])} | "
                 f"{' / '.join(f'{v:+.1f}' for v in result['band_differences'])} | | |")
    return "\n".join(lines)


def markdown(rows: list[dict]) -> str:
    lines = ["| hand-written articles kept | top-1 by draw | boosted band by draw | mean top-1 | mean band |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['keep']:.0%} | {' / '.join(f'{v:.4f}' for v in r['top1'])} | "
                     f"{' / '.join(f'{v:,.1f}' for v in r['boosted_band'])} | {r['top1_mean']:.4f} | "
                     f"{r['boosted_band_mean']:,.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.learning_curve", description=__doc__.split("\n")[0])
    training.add_arguments(p)  # the rows' key: the same questions and settings as train-reader's
    p.add_argument("--keep", type=float, nargs="+", default=[0.5, 0.75, 1.0],
                   help="shares of the hand-written articles each training fold keeps (default 0.5 0.75 1)")
    p.add_argument("--added", nargs="+", default=None, metavar="QUESTIONS",
                   help="hand-written question files already in the rows: measure them, trained on or not, "
                        "judged on the other questions")
    p.add_argument("--json", default=None, help="also write the curve as JSON here")
    args = p.parse_args(argv)
    if not all(0 < k <= 1 for k in args.keep):
        p.error("--keep takes shares in (0, 1]")
    draws = args.draws or 3
    saved = training._reuse(Path(args.work), args)
    if saved is None or not saved[1]:
        print(f"learning_curve: no feature rows of this code with hand-written questions in {args.work}; "
              f"run `vnqa train-reader --work {args.work}` first", file=sys.stderr)
        return 2
    silver, gold = saved
    data, qmeta = training._merge(silver, gold, args.gold_weight)
    print(f"learning_curve: {len(qmeta)} questions, {len(data['y'])} rows (rows_sha256 "
          f"{training.rows_fingerprint(data)[:8]}), {draws} fold draws", flush=True)
    if args.added:
        ids = {json.loads(line)["id"] for path in args.added
               for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()}
        rows = added_value(data, qmeta, ids, draws, args.wrong_cost)
        if not rows["added_questions"]:
            print(f"learning_curve: none of the {len(ids)} questions of --added is in the saved rows", file=sys.stderr)
            return 2
        print(added_markdown(rows))
    else:
        rows = curve(data, qmeta, sorted(args.keep), draws, args.wrong_cost)
        print(markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
