"""Two training runs compared question by question: which hand-written questions a change won or lost.

A change of features moves the fold draws' top-1 and band by a few dozen questions, and the card
alone cannot say whether those were the questions the change was about or others the retrained
trees reshuffled. ``vnqa train-reader --draws N --per-question FILE`` writes each question's
outcome in every draw (training questions only, out of fold); this compares two such files made
on the same draws:

    python -m eval.per_question before.jsonl after.jsonl [--touched questions.txt] [--show 10]

A question's outcome in a run is its majority over the draws: its top figure right or wrong,
and at ``--threshold`` answered right, answered wrong or not answered. The counts are split into
the questions the change reached ("touched") and the rest ("other"): by default the questions
whose candidate rows differ between the runs (each line carries a digest of its rows), or the
questions listed in ``--touched`` (one per line).

The rest are the yardstick. Their rows are the same in both runs, so whatever moves them is the
retrained trees: LightGBM's seed changed alone flips 1,093 top-1 outcomes over five draws, and
the majority outcome of 134 questions, 66 won and 68 lost (eval/RESULTS.md, 2026-12-04/05). :func:`verdict` judges a change by the questions it reached
against that churn, with a rule fixed here before any run it judges:

- a part's net top-1 is won − lost (majority outcomes, wrong → right and right → wrong); under
  churn alone each flip goes either way with even odds, so net has a standard deviation of
  √(won + lost), and a net beyond two of them is not churn (a two-sided sign test at about 5 %);
- "better": the touched net is above +2√(won + lost), and the other questions' net is not below
  −2√(won + lost) of theirs;
- "worse": either part's net is below −2√(won + lost);
- "neutral" otherwise. A fact of the language ships unless "worse"; any other change needs
  "better".

Beside the verdict, ``answer_change`` gives each part's change of right − 2 × wrong answers at
``--threshold`` (majority outcomes): the decision to answer, which the top-1 verdict does not judge.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path


def load(path: Path) -> dict[tuple[str, str], dict]:
    """A ``--per-question`` file, by (id, question)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out[(r["id"], r["question"])] = r
    return out


def top1_outcome(r: dict) -> str | None:
    """"right" or "wrong" by majority over the draws (ties: "wrong"); None when no right figure
    was ever retrieved."""
    known = [t for t in r["top1"] if t is not None]
    if not known:
        return None
    return "right" if sum(known) * 2 > len(known) else "wrong"


def answer_outcome(r: dict, threshold: float) -> str:
    """"right", "wrong" or "silent" at ``threshold``, by majority over the draws (ties: "silent")."""
    votes = Counter()
    for p, right in zip(r["answer_p"], r["answer_right"]):
        votes["silent" if p is None or p < threshold else ("right" if right else "wrong")] += 1
    top, n = votes.most_common(1)[0]
    return top if n * 2 > len(r["answer_p"]) else "silent"


def reached(before: dict, after: dict) -> set[str] | None:
    """The questions whose candidate rows differ between the runs (by the digests
    ``--per-question`` writes); None when a file has no digests (written before they were)."""
    keys = before.keys() & after.keys()
    if not all("rows" in before[k] and "rows" in after[k] for k in keys):
        return None
    return {k[1] for k in keys if before[k]["rows"] != after[k]["rows"]}


def compare(before: dict, after: dict, threshold: float, touched: set[str] | None = None) -> dict:
    """Transitions of both outcomes between the runs, per part ("touched", "other"; "all" when
    no ``touched`` set is given), and the keys of the questions whose top figure changed."""
    keys = sorted(before.keys() & after.keys())
    if [before[k]["draws"] for k in keys[:1]] != [after[k]["draws"] for k in keys[:1]]:
        raise SystemExit("the two files are from different fold draws: they do not compare")
    parts: dict[str, dict] = {}
    won, lost = [], []
    for k in keys:
        part = "all" if touched is None else ("touched" if k[1] in touched else "other")
        p = parts.setdefault(part, {"questions": 0, "top1": Counter(), "answer": Counter()})
        p["questions"] += 1
        a, b = top1_outcome(before[k]), top1_outcome(after[k])
        if a is not None or b is not None:
            p["top1"][f"{a}->{b}"] += 1
        if (a, b) == ("wrong", "right"):
            won.append(k)
        elif (a, b) == ("right", "wrong"):
            lost.append(k)
        p["answer"][f"{answer_outcome(before[k], threshold)}->{answer_outcome(after[k], threshold)}"] += 1
    return {"questions": len(keys), "threshold": threshold,
            "parts": {name: {"questions": p["questions"], "top1": dict(sorted(p["top1"].items())),
                             "answer": dict(sorted(p["answer"].items()))} for name, p in parts.items()},
            "top1_won": won, "top1_lost": lost}


def net(top1: dict[str, int]) -> tuple[int, float]:
    """A part's net top-1 (won − lost) and the two-standard-deviation width churn alone would give it."""
    won, lost = top1.get("wrong->right", 0), top1.get("right->wrong", 0)
    return won - lost, 2 * math.sqrt(won + lost)


def answer_change(answer: dict[str, int], wrong_cost: float = 2.0) -> float:
    """A part's change of right − ``wrong_cost`` × wrong answers at the threshold, from its answer
    transitions ("silent->right": +1, "right->wrong": −1 − ``wrong_cost``, …): what the decision to
    answer gained, which the band (an average over thresholds) can disagree with."""
    value = {"right": 1.0, "wrong": -wrong_cost, "silent": 0.0}
    total = 0.0
    for transition, n in answer.items():
        a, b = transition.split("->")
        total += n * (value[b] - value[a])
    return total


def verdict(parts: dict) -> str:
    """"better", "worse" or "neutral": the rule of the module docstring, on :func:`compare`'s parts."""
    if "touched" not in parts:
        raise ValueError("a verdict needs the questions the change reached (--touched, or files with row digests)")
    t_net, t_width = net(parts["touched"]["top1"])
    o_net, o_width = net(parts.get("other", {"top1": {}})["top1"])
    if t_net < -t_width or o_net < -o_width:
        return "worse"
    return "better" if t_net > t_width else "neutral"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.per_question", description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--threshold", type=float, default=0.70, help="answer threshold (default 0.70, the service's)")
    ap.add_argument("--touched", type=Path, default=None, help="questions the change reaches, one per line")
    ap.add_argument("--show", type=int, default=10, help="questions won and lost to print (default 10)")
    args = ap.parse_args(argv)
    before, after = load(args.before), load(args.after)
    touched = (set(args.touched.read_text(encoding="utf-8").splitlines()) if args.touched else reached(before, after))
    result = compare(before, after, args.threshold, touched)
    if touched is not None:
        result["verdict"] = verdict(result["parts"])
        result["net_top1"] = {name: dict(zip(("net", "churn_width"), net(p["top1"])))
                              for name, p in result["parts"].items()}
    result["answer_change"] = {name: answer_change(p["answer"]) for name, p in result["parts"].items()}
    print(json.dumps({k: v for k, v in result.items() if k not in ("top1_won", "top1_lost")},
                     ensure_ascii=False, indent=1))
    for name in ("top1_won", "top1_lost"):
        print(f"{name}: {len(result[name])}")
        for k in result[name][:args.show]:
            print(f"  {k[0]}  {k[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
