"""What more hand-written training questions would be worth (a measurement; nothing here
asserts anything).

    python -m eval.learning_curve                        # 50 / 75 / 100 %, fold draws 1-3
    python -m eval.learning_curve --keep 0.25 0.5 1 --draws 5 --json out.json

Reads the feature rows that ``vnqa train-reader`` saved under ``--work`` (run it first, on this
code: rows saved by other feature code are refused) and repeats its out-of-fold yardstick
(``qa.read.training.fold_draws``: top-1 of the hand-written questions, and right − 2 × wrong of
the boosted answer model averaged over thresholds 0.50-0.80, "band") with each fold's ranker
trained on a share of the hand-written articles only. Silver rows are always kept and every
question is always scored, so the rows change and the yardstick does not. The shares are nested
(``kept_articles``), so a step of the curve adds articles to the one before it.

The answer: how far top-1 and the band move per doubling of the hand-written questions, against
the spread of the fold draws — whether writing another batch is worth more than another feature.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.read import training


def curve(data: dict, qmeta: list[dict], keeps: list[float], draws: int, wrong_cost: float = 2.0) -> list[dict]:
    """Per share of hand-written articles kept: the fold draws' top-1 and boosted band, each draw's
    and their mean."""
    params, rounds = dict(training.LGB_PARAMS), training.LGB_ROUNDS
    out = []
    for keep in keeps:
        result = training.fold_draws(data, qmeta, params, rounds, draws, wrong_cost, keep_hand_written=keep)
        out.append({"keep": keep,
                     "top1": [r["top1"] for r in result["draws"]],
                     "boosted_band": [r["boosted_band"] for r in result["draws"]],
                     "top1_mean": result["summary"]["top1"]["mean"],
                     "boosted_band_mean": result["summary"]["boosted_band"]["mean"]})
    return out


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
    rows = curve(data, qmeta, sorted(args.keep), draws, args.wrong_cost)
    print(markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
