"""How the learned reader lists another article's figure for the same measure, on the hand-written
training questions.

    python -m eval.older_figures [--work .cache/train-reader-onnx] [--all] [--bars 0.5]
    python -m eval.older_figures --work DIR --gold eval/vnews_multi/MA.jsonl eval/vnews_multi/MA_articles.json …

The service lists, under its answer, another article's figure for the same measure (the same
figure at an older date, "số liệu cũ hơn") when that article, read alone, would be answered with it
(``qa.read.learned.LearnedReader.across_articles``). This asks the hand-written training sets that
hold a question with ``also_in`` (another article giving the measure; every set with ``--all``),
each over its own corpus and index in ``--work`` (built by ``vnqa train-reader``; ``--gold`` names
other sets, whose corpora and indexes it builds there when missing), with the shipped model. It
labels every other article's best figure for the same thing against the item:

* **right**: an ``also_in`` article's own figure (its value; any value when ``also_in`` gives none);
* **gold article**: the gold article's figure, when the answer came from another article;
* **other value**: an ``also_in`` article, another of its figures;
* **look-alike**: a figure the item's ``look_alike`` names: the same kind and unit, another thing
  (written for ``eval/vnews_multi``), which must not be listed;
* **unmarked**: an article the item does not name. Read them before counting them either way: on
  2026-12-07 all 18 between 0.5 and the threshold were other measures of the same kind and unit.

Older articles are counted by how far they reach alone: at the threshold (listed today) and in each
band of ``--bars`` below it (what a lower bar would add). Articles newer than the answer's are
counted in a row of their own: they are never listed (one that reaches the threshold and is as sure
alone as the best figure's article answers instead: ``qa.read.learned.measure_across_articles``).
It also counts the answers that the measure across articles changed (the best figure replaced by a
newer article's), each judged right or wrong. Training questions only; it decides nothing by itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eval.gold import GoldItem, load_gold
from qa.read.learned import newer_than
from qa.read.training import DEFAULT_WORK, _gold_sets, _gold_value_matches, gold_index, gold_right_docs, gold_work_name

LABELS = ("right", "gold article", "other value", "look-alike", "unmarked")


def label(item: GoldItem, c) -> str:
    """What another article's figure ``c`` (a candidate: ``doc_id``, ``quantity.value``, ``date``)
    is for ``item``: one of :data:`LABELS`."""
    also = [a for a in item.also_in if a.doc_id == c.doc_id]
    if also:
        return "right" if any(a.value is None or _gold_value_matches(c, a.value) for a in also) else "other value"
    if any(a.doc_id == c.doc_id and _gold_value_matches(c, a.value) for a in item.look_alike):
        return "look-alike"
    if c.doc_id == item.doc_id and _gold_value_matches(c, item.value):
        return "gold article"
    return "unmarked"


def is_right(item: GoldItem, c) -> bool:
    """Whether ``c`` answers ``item``: its value, in the gold article or an ``also_in`` article that
    gives the same figure (as ``vnqa train-reader`` labels a figure)."""
    docs = gold_right_docs(item.answerable, item.doc_id, item.value, ((a.doc_id, a.value) for a in item.also_in))
    return c.doc_id in docs and _gold_value_matches(c, item.value)


NEWER = "newer than the answer (never listed)"
MISSED = "also_in articles older than the answer, not among the others (not retrieved or not the same thing)"


def bands(threshold: float, bars: list[float]) -> list[tuple[float, str]]:
    """(lowest probability, name) of each row, highest first: the threshold (listed today), then
    each of ``bars`` below it, then everything under the lowest."""
    below = sorted((b for b in bars if b < threshold), reverse=True)
    rows = [(threshold, f"≥ {threshold:g} (listed)")]
    rows += [(lo, f"{lo:g} to {hi:g}") for lo, hi in zip(below, [threshold, *below])]
    return rows + [(float("-inf"), f"< {(below or [threshold])[-1]:g}")]


def band_of(p: float, rows: list[tuple[float, str]]) -> str:
    """The name of the first row of :func:`bands` whose lowest probability ``p`` reaches."""
    return next(name for lo, name in rows if p >= lo)


def measure(work: Path, sets: list[tuple[str, str]], bars: list[float], everything: bool,
            log=print, build: bool = False) -> tuple[Counter, list[tuple[float, str]], Counter]:
    """((band, label) → how many listings over the questions of ``sets``, the bands, and
    ("best right" | "best wrong", "answer right" | "answer wrong") → how many answers the measure
    across articles changed). ``(MISSED, "right")`` counts the ``also_in`` articles dated before the
    answer's that are not among the other articles at all. ``build``: write and index a set's corpus
    in ``work`` when it is not there."""
    from qa.config import Settings
    from qa.read.learned import LearnedReader
    from qa.service import ANSWER_POOL, QAService

    counts: Counter = Counter()
    changed: Counter = Counter()
    rows: list[tuple[float, str]] = []
    for questions, articles in sets:
        items = load_gold(Path(questions))
        dates = json.loads(Path(articles).read_text(encoding="utf-8"))
        if not everything and not any(i.also_in for i in items):
            continue
        name = gold_work_name(Path(questions))
        if build and not (work / f"{name}-index").is_dir():
            gold_index(Path(questions), Path(articles), work, None, log=log)
        service = QAService.open(Settings.from_env(corpus_dir=work / f"{name}-corpus", index_dir=work / f"{name}-index"))
        reader = LearnedReader(service.index)
        rows = bands(reader.threshold, bars)
        for item in items:
            result = service.retriever.search(item.question, ANSWER_POOL)
            found = reader.across_articles(item.question, result.hits, result.query_vector)
            if found is None:
                continue
            choice, best, others = found
            for c, p in others:
                counts[NEWER if newer_than(c, choice.answer) else band_of(p, rows), label(item, c)] += 1
            considered = {c.doc_id for c, _ in others} | {choice.answer.doc_id}
            for a in item.also_in:
                when = dates.get(a.doc_id)
                if when and choice.answer.published and when < choice.answer.published and a.doc_id not in considered:
                    counts[MISSED, "right"] += 1
            if choice.answer is not best:
                changed["best " + ("right" if is_right(item, best) else "wrong"),
                        "answer " + ("right" if is_right(item, choice.answer) else "wrong")] += 1
        log(f"older_figures: {Path(questions).name}: {len(items)} questions")
    return counts, rows, changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", default=str(DEFAULT_WORK), help="where vnqa train-reader built the sets' corpora and indexes")
    ap.add_argument("--all", action="store_true", help="every hand-written training set, not only those with also_in")
    ap.add_argument("--bars", default="0.5", help="comma-separated bars below the threshold to count by")
    ap.add_argument("--gold", nargs=2, action="append", metavar=("QUESTIONS", "ARTICLES"),
                    help="ask this set (questions, articles with dates) instead of the training sets; repeatable")
    args = ap.parse_args(argv)
    bars = [float(b) for b in args.bars.split(",") if b.strip()]
    work = Path(args.work)
    if args.gold is None and not (work / "gold-corpus").is_dir():
        print(f"older_figures: no training corpora in {work}: run `vnqa train-reader --work {work}` first", file=sys.stderr)
        return 2
    counts, rows, changed = measure(work, _gold_sets(args.gold), bars, args.all or args.gold is not None,
                                    log=lambda m: print(m, file=sys.stderr), build=args.gold is not None)
    print("| article alone reaches | listings | " + " | ".join(LABELS) + " |")
    print("|---|---|" + "---|" * len(LABELS))
    for name in [name for _, name in rows] + [NEWER, MISSED]:
        row = [counts[name, lab] for lab in LABELS]
        print(f"| {name} | {sum(row)} | " + " | ".join(map(str, row)) + " |")
    print(f"\nanswers the measure across articles changed: {sum(changed.values())}")
    for (best, answer), n in sorted(changed.items()):
        print(f"  {best}, {answer}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
