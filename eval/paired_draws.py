"""Two or more sets of feature rows compared on the same fold draws, paired (a measurement; the
verdict it prints is the rule written before the run, applied).

    python -m eval.paired_draws --first-draw 111 main=/tmp/a/rows.pkl change=/tmp/b/rows.pkl
    python -m eval.paired_draws --first-draw 111 --without-silver main=…/rows.pkl main-alone=…/rows.pkl

Each ARM is NAME=PATH: a ``rows.pkl`` that ``vnqa train-reader --work DIR`` saved (rows of any
code: a change of the features is what is being compared, so the rows' key is not checked). The
first arm is the base. Every arm goes through ``qa.read.training.fold_draws`` with the card's
settings on draws ``--first-draw`` … ``+ --draws − 1``: per draw the hand-written questions'
out-of-fold top-1 and the boosted answer model's right − 2 × wrong averaged over thresholds
0.50–0.80 ("band"). ``--without-silver NAME`` trains that arm on its hand-written rows alone.

Why paired and on fresh draws: one fold draw moves the band by tens of answers, as much as most
changes do, so a change is judged by its difference from the base draw by draw, on draws no
earlier comparison has read (eval/RESULTS.md keeps the count: "Draws spent"). The two bars
every rule here has used:

* neutral or better (a fact of the language, or a simplification): band mean ≥ base mean −
  sd(base)/√n and top-1 mean ≥ base top-1 − 0.0020;
* an improvement (a new signal): paired band mean > 2 sd(paired)/√n and > 0.
"""

from __future__ import annotations

import argparse
import math
import pickle
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from qa.read import training

TOP1_SLACK = 0.0020  # the neutral bar's allowance on top-1: about one sd of top-1 across draws


@dataclass(frozen=True)
class ArmResult:
    name: str
    band: list[float]  # boosted band, one per draw
    top1: list[float]
    seconds: float


def arm_data(path: Path, without_silver: bool) -> tuple[dict, list[dict]]:
    """The rows saved at ``path``, merged as ``vnqa train-reader`` trains on them (or hand-written only)."""
    saved = pickle.loads(path.read_bytes())
    silver, gold = saved["silver"], saved["gold"]
    if not gold:
        raise ValueError(f"{path} holds no hand-written questions: nothing to judge")
    return training.one_source(gold) if without_silver else training._merge(silver, gold, training.GOLD_WEIGHT)


def run_arm(name: str, data: dict, qmeta: list[dict], first_draw: int, draws: int) -> ArmResult:
    t0 = time.perf_counter()
    out = training.fold_draws(data, qmeta, dict(training.LGB_PARAMS), training.LGB_ROUNDS, draws,
                              training.WRONG_COST, first_draw=first_draw)
    return ArmResult(name, [r["boosted_band"] for r in out["draws"]], [r["top1"] for r in out["draws"]],
                     time.perf_counter() - t0)


def verdict(base: ArmResult, arm: ArmResult) -> dict[str, float | bool]:
    """The two bars of the module docstring for ``arm`` against ``base`` (same draws, in order)."""
    n = len(base.band)
    paired = [a - b for a, b in zip(arm.band, base.band)]
    sd_base = statistics.stdev(base.band) if n > 1 else 0.0
    sd_paired = statistics.stdev(paired) if n > 1 else 0.0
    neutral_bar = statistics.mean(base.band) - sd_base / math.sqrt(n)
    improvement_bar = 2 * sd_paired / math.sqrt(n)
    top1_gap = statistics.mean(arm.top1) - statistics.mean(base.top1)
    return {"paired_mean": statistics.mean(paired), "neutral_bar": neutral_bar, "improvement_bar": improvement_bar,
            "top1_gap": top1_gap,
            "neutral": statistics.mean(arm.band) >= neutral_bar and top1_gap >= -TOP1_SLACK,
            "improvement": statistics.mean(paired) > max(improvement_bar, 0.0)}


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown(results: list[ArmResult], first_draw: int) -> str:
    base, n = results[0], len(results[0].band)
    head = _row(["boosted band", *(str(first_draw + k) for k in range(n)), "mean ± sd", "top-1"])
    lines = [head, _row(["---"] * (n + 3))]
    for r in results:
        sd = statistics.stdev(r.band) if n > 1 else 0.0
        lines.append(_row([r.name, *(f"{b:,.1f}" for b in r.band), f"{statistics.mean(r.band):,.1f} ± {sd:.1f}",
                           f"{statistics.mean(r.top1):.4f}"]))
    verdicts = [(r, verdict(base, r)) for r in results[1:]]
    for r, v in verdicts:
        lines.append(_row([f"paired, {r.name} − {base.name}", *(f"{a - b:+.1f}" for a, b in zip(r.band, base.band)),
                           f"{v['paired_mean']:+.1f}", f"{v['top1_gap']:+.4f}"]))
    lines.append("")
    for r, v in verdicts:
        neutral = "neutral or better" if v["neutral"] else "below neutral"
        improvement = "an improvement" if v["improvement"] else "no improvement"
        lines.append(f"{r.name}: neutral bar {v['neutral_bar']:,.1f} → {neutral}; "
                     f"improvement bar {v['improvement_bar']:.1f} → {improvement}")
    lines.append("seconds per arm: " + ", ".join(f"{r.name} {r.seconds:.0f}" for r in results))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.paired_draws", description=__doc__.split("\n\n")[0])
    p.add_argument("arms", nargs="+", metavar="NAME=PATH", help="saved rows to compare; the first is the base")
    p.add_argument("--first-draw", type=int, required=True,
                   help="the first fold draw's seed: one no earlier comparison has read "
                        "(eval/RESULTS.md, 'Draws spent')")
    p.add_argument("--draws", type=int, default=5)
    p.add_argument("--without-silver", action="append", default=[], metavar="NAME",
                   help="train that arm on its hand-written rows alone")
    args = p.parse_args(argv)
    arms = [a.split("=", 1) for a in args.arms]
    if len(arms) < 2 or any(len(a) != 2 or not a[0] for a in arms):
        p.error("give at least two arms, each as NAME=PATH")
    if len({name for name, _ in arms}) != len(arms):
        p.error("arm names must differ")
    if unknown := set(args.without_silver) - {name for name, _ in arms}:
        p.error(f"--without-silver names no arm: {', '.join(sorted(unknown))}")
    if args.draws < 2:
        p.error("--draws must be at least 2: the bars need a spread")
    results = []
    for name, path in arms:
        if not Path(path).is_file():
            p.error(f"{path}: no such rows file (run vnqa train-reader --work DIR first)")
        try:
            data, qmeta = arm_data(Path(path), name in args.without_silver)
        except ValueError as e:
            p.error(str(e))
        results.append(run_arm(name, data, qmeta, args.first_draw, args.draws))
        print(f"paired_draws: {name} done ({results[-1].seconds:.0f} s)", file=sys.stderr, flush=True)
    print(markdown(results, args.first_draw))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
