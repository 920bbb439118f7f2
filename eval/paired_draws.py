"""Two or more sets of feature rows compared on the same fold draws, paired (a measurement; the
verdict it prints is the rule written before the run, applied).

    python -m eval.paired_draws --first-draw 111 main=/tmp/a/rows.pkl change=/tmp/b/rows.pkl
    python -m eval.paired_draws --first-draw 111 --without-silver main=…/rows.pkl main-alone=…/rows.pkl

A change of the code that trains (the answer model's params, say) is compared in two processes,
one per checkout, each saving its arm, then the saved arms compared (no training):

    python -m eval.paired_draws --first-draw 126 --save /tmp/arms base=/tmp/w/rows.pkl
    python -m eval.paired_draws --first-draw 126 --save /tmp/arms mono=/tmp/w/rows.pkl  # other checkout
    python -m eval.paired_draws --first-draw 126 base=/tmp/arms/base.json mono=/tmp/arms/mono.json

Each ARM is NAME=PATH: a ``rows.pkl`` that ``vnqa train-reader --work DIR`` saved (rows of any
code: a change of the features is what is being compared, so the rows' key is not checked), or a
``.json`` that ``--save DIR`` wrote, loaded instead of run. The first arm is the base. Every arm
run goes through ``qa.read.fitting.fold_draws`` with the card's settings on draws
``--first-draw`` … ``+ --draws − 1``: per draw the hand-written questions' out-of-fold top-1 and
the boosted answer model's right − 2 × wrong averaged over thresholds 0.50–0.80 ("band").
``--without-silver NAME`` trains that arm on its hand-written rows alone. ``--rankers K`` scores
the arms run with K rankers averaged, as a card trained with ``vnqa train-reader --rankers K``
would (the same rows with K = 1 and K = 3 are two arms); a saved arm keeps its own. ``--seed S``
trains the arms run with ranker seed S instead of the card's: the same rows under another seed are
a null arm, the spread a change must beat when it differs from the base by more than its rows
(eval/RESULTS.md, 2026-12-07 afternoon: a reseed alone moved the paired mean by +6.6, sd 20.5).

``--save DIR`` writes each arm run to ``DIR/NAME.json`` with what it ran on: the draws, the rows
file's sha256, the commit and whether the tree was dirty (one arm is enough then). A saved arm
must be on this run's draws, is shown under the NAME given here (so two saved under the same name
can be compared), and keeps its ``--without-silver`` from when it ran. When the compared arms ran
on different code (another commit, or a dirty tree), a line under the table names each one's.

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
import dataclasses
import hashlib
import json
import math
import os
import pickle
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from qa.read import fitting, training

TOP1_SLACK = 0.0020  # the neutral bar's allowance on top-1: about one sd of top-1 across draws


@dataclass(frozen=True)
class ArmResult:
    name: str
    band: list[float]  # boosted band, one per draw
    top1: list[float]
    seconds: float


@dataclass(frozen=True)
class CodeVersion:
    """The code an arm ran under: a later comparison must be able to say the code differed."""
    commit: str | None  # None: not a git checkout
    dirty: bool | None

    def short(self) -> str:
        if self.commit is None:
            return "no commit"
        return self.commit[:7] + (" (dirty)" if self.dirty else "")


@dataclass(frozen=True)
class SavedArm:
    """An arm's result with what it ran on, as ``--save`` writes it."""
    result: ArmResult
    first_draw: int
    draws: int
    rows: str  # the rows path as given on the command line
    rows_sha256: str
    code: CodeVersion
    without_silver: bool
    rankers: int = 1  # figure rankers averaged (--rankers); arms saved before it existed ran one
    seed: int | None = None  # the ranker seed (--seed); None: saved before it was recorded


_SAVED_KEYS = ("name", "band", "top1", "seconds", "first_draw", "draws", "rows", "rows_sha256", "commit",
               "dirty", "without_silver")


def saved_to_json(saved: SavedArm) -> str:
    r = saved.result
    return json.dumps({"name": r.name, "band": [float(b) for b in r.band], "top1": [float(t) for t in r.top1],
                       "seconds": float(r.seconds), "first_draw": saved.first_draw, "draws": saved.draws,
                       "rows": saved.rows, "rows_sha256": saved.rows_sha256, "commit": saved.code.commit,
                       "dirty": saved.code.dirty, "without_silver": saved.without_silver, "rankers": saved.rankers,
                       "seed": saved.seed},
                      ensure_ascii=False, indent=1) + "\n"


def saved_from_json(text: str) -> SavedArm:
    """The inverse of ``saved_to_json``; ValueError when the text is not one (a half-written file, say)."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON: {e}") from None
    if not isinstance(d, dict) or (missing := [k for k in _SAVED_KEYS if k not in d]):
        raise ValueError(f"not a saved arm: missing {', '.join(missing) if isinstance(d, dict) else 'everything'}")
    try:
        saved = SavedArm(ArmResult(d["name"], [float(b) for b in d["band"]], [float(t) for t in d["top1"]],
                                   float(d["seconds"])),
                         int(d["first_draw"]), int(d["draws"]), d["rows"], d["rows_sha256"],
                         CodeVersion(d["commit"], d["dirty"]), bool(d["without_silver"]), int(d.get("rankers", 1)),
                         None if d.get("seed") is None else int(d["seed"]))
    except (TypeError, ValueError) as e:
        raise ValueError(f"not a saved arm: {e}") from None
    if not len(saved.result.band) == len(saved.result.top1) == saved.draws:
        raise ValueError(f"{len(saved.result.band)} bands and {len(saved.result.top1)} top-1s for {saved.draws} draws")
    return saved


def draws_mismatch(saved: SavedArm, first_draw: int, draws: int) -> str | None:
    """Why ``saved`` cannot be paired with arms run on these draws, or None: pairing needs the same draws."""
    if (saved.first_draw, saved.draws) == (first_draw, draws):
        return None
    return (f"was recorded on draws {saved.first_draw}–{saved.first_draw + saved.draws - 1} (--first-draw "
            f"{saved.first_draw} --draws {saved.draws}), not on this run's {first_draw}–{first_draw + draws - 1}")


def code_line(results: list[ArmResult], codes: list[CodeVersion]) -> str | None:
    """The line naming each arm's code, only when it differs (or a tree was dirty): then it is a confound."""
    if len({c.commit for c in codes}) <= 1 and not any(c.dirty for c in codes):
        return None
    return "code: " + ", ".join(f"{r.name} {c.short()}" for r, c in zip(results, codes))


def file_sha256(path: Path) -> str:
    """Streamed: rows files are ~130 MB."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def code_version(where: Path) -> CodeVersion:
    """The commit of the checkout holding ``where`` and whether its tree differs from it.

    ``--no-optional-locks``: status would otherwise refresh the index, racing anyone working in the tree.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "--no-optional-locks", "-C", str(where), *args], capture_output=True,
                              text=True, check=True).stdout
    try:
        return CodeVersion(git("rev-parse", "HEAD").strip(), bool(git("status", "--porcelain").strip()))
    except (OSError, subprocess.CalledProcessError):
        return CodeVersion(None, None)


def save_arm(directory: Path, saved: SavedArm) -> Path:
    """Written whole then renamed, so a killed run leaves no half file to be compared later."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{saved.result.name}.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(saved_to_json(saved), encoding="utf-8")
    os.replace(tmp, path)
    return path


def arm_data(path: Path, without_silver: bool) -> tuple[dict, list[dict]]:
    """The rows saved at ``path``, merged as ``vnqa train-reader`` trains on them (or hand-written only)."""
    saved = pickle.loads(path.read_bytes())
    silver, gold = saved["silver"], saved["gold"]
    if not gold:
        raise ValueError(f"{path} holds no hand-written questions: nothing to judge")
    return training.one_source(gold) if without_silver else training._merge(silver, gold, training.GOLD_WEIGHT)


def run_arm(name: str, data: dict, qmeta: list[dict], first_draw: int, draws: int, rankers: int = 1,
            seed: int | None = None) -> ArmResult:
    t0 = time.perf_counter()
    params = {**training.LGB_PARAMS, **({} if seed is None else {"seed": seed})}
    out = fitting.fold_draws(data, qmeta, params, training.LGB_ROUNDS, draws,
                              training.WRONG_COST, first_draw=first_draw, rankers=rankers)
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


def markdown(results: list[ArmResult], first_draw: int, codes: list[CodeVersion] | None = None,
             rankers: list[int] | None = None, seeds: list[int | None] | None = None) -> str:
    """The table, paired rows and verdicts against the first arm (none with one arm); ``codes`` and
    ``rankers`` and ``seeds`` aligned with it (a line names each arm's when they differ)."""
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
    lines.append("")  # ends the table: a line right under it would render as one more row
    if codes is not None and (line := code_line(results, codes)):
        lines.append(line)
    for label, values in (("rankers averaged", rankers), ("ranker seeds", seeds)):
        if values is not None and len(set(values)) > 1:  # named only when the arms differ in it
            lines.append(f"{label}: " + ", ".join(f"{r.name} {'unrecorded' if v is None else v}"
                                                  for r, v in zip(results, values)))
    for r, v in verdicts:
        neutral = "neutral or better" if v["neutral"] else "below neutral"
        improvement = "an improvement" if v["improvement"] else "no improvement"
        lines.append(f"{r.name}: neutral bar {v['neutral_bar']:,.1f} → {neutral}; "
                     f"improvement bar {v['improvement_bar']:.1f} → {improvement}")
    lines.append("seconds per arm: " + ", ".join(f"{r.name} {r.seconds:.0f}" for r in results))
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.paired_draws", description=__doc__.split("\n\n")[0])
    p.add_argument("arms", nargs="+", metavar="NAME=PATH",
                   help="saved rows (.pkl) to run, or an arm saved by --save (.json) to load; the first is the base")
    p.add_argument("--first-draw", type=int, required=True,
                   help="the first fold draw's seed: one no earlier comparison has read "
                        "(eval/RESULTS.md, 'Draws spent')")
    p.add_argument("--draws", type=int, default=5)
    p.add_argument("--rankers", type=int, default=training.LGB_RANKERS,
                   help="figure rankers averaged in the arms run here (train-reader's --rankers; a saved arm keeps its own)")
    p.add_argument("--seed", type=int, default=training.LGB_PARAMS["seed"],
                   help="the ranker seed of the arms run here: the card's by default; another one on the base's rows "
                        "makes a null arm")
    p.add_argument("--without-silver", action="append", default=[], metavar="NAME",
                   help="train that arm on its hand-written rows alone (not a saved arm: decided when it ran)")
    p.add_argument("--save", type=Path, metavar="DIR",
                   help="write each arm run to DIR/NAME.json with its draws, rows sha256 and commit, to compare "
                        "with arms run in another checkout; one arm is enough then")
    return p


def _is_saved(path: str) -> bool:
    return Path(path).suffix == ".json"


def _check_arms(p: argparse.ArgumentParser, args: argparse.Namespace) -> list[tuple[str, str]]:
    """NAME=PATH pairs, refused with a message before any arm runs (an arm takes minutes)."""
    arms = [a.split("=", 1) for a in args.arms]
    if any(len(a) != 2 or not a[0] for a in arms):
        p.error("give each arm as NAME=PATH")
    if len(arms) < 2 and args.save is None:
        p.error("give at least two arms to compare, or one with --save to run and keep it")
    names = [name for name, _ in arms]
    if len(set(names)) != len(arms):
        p.error("arm names must differ")
    if unknown := set(args.without_silver) - set(names):
        p.error(f"--without-silver names no arm: {', '.join(sorted(unknown))}")
    if saved := sorted(set(args.without_silver) & {name for name, path in arms if _is_saved(path)}):
        p.error(f"--without-silver names a saved arm: {', '.join(saved)} (decided when it ran)")
    if args.draws < 2:
        p.error("--draws must be at least 2: the bars need a spread")
    if args.rankers < 1:
        p.error("--rankers must be at least 1")
    for name, path in arms:
        if not Path(path).is_file():
            p.error(f"{path}: no such saved arm" if _is_saved(path)
                    else f"{path}: no such rows file (run vnqa train-reader --work DIR first)")
        if args.save is not None and not _is_saved(path):
            if Path(name).name != name or name in (".", ".."):
                p.error(f"arm name {name!r} cannot name a file in --save {args.save}")
            if (args.save / f"{name}.json").exists():
                p.error(f"{args.save / f'{name}.json'} exists: a spent draw's result is not overwritten; "
                        "compare it as a saved arm, or name this arm otherwise")
    return [(name, path) for name, path in arms]  # pairs, not the split's lists


def _load(p: argparse.ArgumentParser, name: str, path: str, first_draw: int, draws: int) -> SavedArm:
    try:
        saved = saved_from_json(Path(path).read_text(encoding="utf-8"))
    except ValueError as e:
        p.error(f"{path}: {e}")
    if why := draws_mismatch(saved, first_draw, draws):
        p.error(f"{path} {why}")
    return dataclasses.replace(saved, result=dataclasses.replace(saved.result, name=name))


def _run(p: argparse.ArgumentParser, args: argparse.Namespace, name: str, path: str, code: CodeVersion) -> SavedArm:
    without_silver = name in args.without_silver
    sha256 = file_sha256(Path(path))  # before loading: the bytes that run, not ones written meanwhile
    try:
        data, qmeta = arm_data(Path(path), without_silver)
    except ValueError as e:
        p.error(str(e))
    result = run_arm(name, data, qmeta, args.first_draw, args.draws, args.rankers, args.seed)
    print(f"paired_draws: {name} done ({result.seconds:.0f} s)", file=sys.stderr, flush=True)
    return SavedArm(result, args.first_draw, args.draws, path, sha256, code, without_silver, args.rankers, args.seed)


def main(argv: list[str] | None = None) -> int:
    p = _parser()
    args = p.parse_args(argv)
    arms = _check_arms(p, args)
    loaded = {name: _load(p, name, path, args.first_draw, args.draws) for name, path in arms if _is_saved(path)}
    # read once, before any arm runs: the code imported now is the code that runs, whatever is edited meanwhile
    code = code_version(Path(__file__).resolve().parent) if len(loaded) < len(arms) else CodeVersion(None, None)
    arms_done = []
    for name, path in arms:
        if name in loaded:
            arms_done.append(loaded[name])
            continue
        arms_done.append(_run(p, args, name, path, code))
        if args.save is not None:
            print(f"paired_draws: saved {save_arm(args.save, arms_done[-1])}", file=sys.stderr, flush=True)
    print(markdown([a.result for a in arms_done], args.first_draw, [a.code for a in arms_done],
                   [a.rankers for a in arms_done], [a.seed for a in arms_done]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
