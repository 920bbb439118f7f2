"""Stored retrieval results, replayed through a reader: a quality floor that CI can afford.

    python -m eval.replay record [--gold eval/vnews_dev/dev.jsonl] [--out eval/vnews_dev/replay-dev.json.gz]
    python -m eval.replay check  [--replay eval/vnews_dev/replay-dev.json.gz] [--passes N]
    python -m eval.replay record --gold eval/vnews_multi/MA.jsonl --articles eval/vnews_multi/MA_articles.json \
        --out eval/vnews_multi/replay-MA.json.gz

``record`` asks every question of a gold file once, stores what retrieval returned — each hit as
(article, start, end, scores), not as chunk ids, the question's e5 vector and the e5 vectors of
the hits' sentences — and the answer accuracy the current reader reaches on them. ``check`` (and
``tests/test_quality_floor.py``) rebuilds the hits against the same corpus and runs only the
reader, with the stored vectors in place of the index's: it fails when answer accuracy drops more
than ``FLOOR_MARGIN`` below the recorded figure. Retrieval changes cannot move this number;
reader changes can, which is the point. The sentence vectors are stored because the int8 encoder
is exported on each machine: re-embedded, the same corpus moved the forty-fifth model's replay from
0.5028 to 0.486 on another machine (eval/RESULTS.md, 2026-12-05 evening), the floor's whole margin.

With ``--articles`` (a set's VietNews ids and dates, as ``eval/vnews_multi``'s) the corpus is that
set's own, written to ``.cache/<folder>/<set>/``. Such a set's questions name other articles giving
the same measure (``also_in``) and look-alikes that are another thing (``look_alike``), so the
replay also counts the older figures listed under the answers: right (an ``also_in`` article's own
figure) or wrong (anything else). The floor then also holds the listing: no fewer right ones than
recorded minus ``LISTING_MARGIN``, no more wrong ones than recorded plus it (``tests/test_quality_floor.py``
floors the three sets of ``eval/vnews_multi`` together: :func:`pooled`).

``check`` also times the reading step (``read_ms_p50``; the question's own analysis is done before
the clock starts, as ``/ask`` does it while retrieval encodes the question). Its first pass reads
every passage for the first time in the process; with ``--passes N`` the same questions are read
again with every cache warm (``again_ms_p50``, a lower bound).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.retrieve.retriever import Hit, RetrievalOptions

from . import metrics
from .gold import GoldItem, load_gold

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "eval" / "vnews_dev" / "dev.jsonl"
DEFAULT_REPLAY = ROOT / "eval" / "vnews_dev" / "replay-dev.json.gz"
FLOOR_MARGIN = 0.02
# older figures listed under the answers of the multi-source sets (about 17 in all): two either way,
# the spread seen between two neutral retrains (eval/RESULTS.md, 2026-12-07 morning)
LISTING_MARGIN = 2
ANSWER_TOP_K = 5


class StaleReplay(RuntimeError):
    """The stored hits name chunks the current index does not have (chunking changed): record again."""


def _vector_to_text(v: np.ndarray) -> str:
    return base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode("ascii")


def _vector_from_text(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=np.float32).copy()


def record(service, items: list[GoldItem], pool: int = 8) -> dict:
    """Retrieve once per question and store the hits, the question vectors, the vectors of the
    hits' sentences and the accuracy."""
    questions, sentences = [], set()
    index = service.index
    for item in items:
        result = service.retriever.search(item.question, pool, RetrievalOptions())
        hits = []
        for h in result.hits:
            chunk = index.chunks[h.chunk_id]
            hits.append([chunk.doc_id, chunk.start, chunk.end, round(h.score, 6), round(h.lexical, 6),
                         round(h.dense, 6)])
            sentences.update(index.chunk_sentences[h.chunk_id])
        questions.append({"id": item.id, "question": item.question, "hits": hits,
                          "query_vector": _vector_to_text(result.query_vector)})
    ids = sorted(sentences)
    data = {"reader": service.reader.name, "questions": questions,
            # float16: the recorded accuracy below is computed from these very values
            "sentence_vectors": {"spans": [list(index.sentences[i]) for i in ids],
                                 "vectors": base64.b64encode(np.asarray(index.sentence_vectors[np.array(ids)],
                                                                        dtype=np.float16).tobytes()).decode("ascii")}}
    got = replay_accuracy(service, items, data)
    data["answer_accuracy"], data["answerable"] = got["answer_accuracy"], got["answerable"]
    data["older_right"], data["older_wrong"] = got["older_right"], got["older_wrong"]
    return data


def pooled(parts: list[dict]) -> dict:
    """Several replays' figures as one (answer accuracy weighted by answerable questions, older
    figures summed): the multi-source sets are floored together, each being small."""
    answerable = sum(p["answerable"] for p in parts)
    return {"answer_accuracy": round(sum(p["answer_accuracy"] * p["answerable"] for p in parts) / max(1, answerable), 4),
            "answerable": answerable,
            "older_right": sum(p["older_right"] for p in parts), "older_wrong": sum(p["older_wrong"] for p in parts)}


@dataclass
class _ChunkMap:
    by_span: dict[tuple[str, int, int], int]

    @classmethod
    def of(cls, index) -> "_ChunkMap":
        return cls({(c.doc_id, c.start, c.end): i for i, c in enumerate(index.chunks) if c is not None})

    def hit(self, row: list) -> Hit:
        doc_id, start, end, score, lexical, dense = row
        try:
            chunk_id = self.by_span[(doc_id, start, end)]
        except KeyError:
            raise StaleReplay(f"chunk {doc_id} {start}:{end} is not in the index; "
                              "run `python -m eval.replay record` again") from None
        return Hit(chunk_id, score, lexical, dense)


@contextmanager
def _recorded_sentence_vectors(service, data: dict):
    """While replaying, the service's reader sees the recorded sentence vectors in place of the
    index's (those of other sentences stay), then its own view again."""
    stored = data.get("sentence_vectors")
    if not stored:  # a replay recorded before the vectors were stored
        yield
        return
    view = service.index
    position = {tuple(s): i for i, s in enumerate(view.sentences) if s is not None}
    vectors = np.array(view.sentence_vectors[np.arange(len(view.sentence_vectors))], dtype=np.float32)
    recorded = np.frombuffer(base64.b64decode(stored["vectors"]), dtype=np.float16).reshape(len(stored["spans"]), -1)
    for span, v in zip(stored["spans"], recorded):
        i = position.get(tuple(span))
        if i is None:
            raise StaleReplay(f"sentence {span} is not in the index; run `python -m eval.replay record` again")
        vectors[i] = v
    picker = service.reader.picker
    own = picker.index
    picker.index = replace(view, sentence_vectors=vectors)
    try:
        yield
    finally:
        picker.index = own


def replayed(service, data: dict) -> Iterator[tuple[dict, dict, float]]:
    """Each stored question with the reader's answer body over its stored hits (and the stored
    sentence vectors), and the reading step's time in ms. The question's own analysis is done
    before the clock starts, as ``/ask`` does it while retrieval encodes the question."""
    with _recorded_sentence_vectors(service, data):
        chunks = _ChunkMap.of(service.index)
        for q in data["questions"]:
            hits = [chunks.hit(r) for r in q["hits"]]
            vector = _vector_from_text(q["query_vector"])
            service.prepare(q["question"])
            t0 = time.perf_counter()
            body = service.read(q["question"], hits, vector, ANSWER_TOP_K)
            yield q, body, (time.perf_counter() - t0) * 1000


def replay_accuracy(service, items: list[GoldItem], data: dict) -> dict:
    """Run the reader over the stored hits (with the stored sentence vectors); answer accuracy
    over answerable questions, abstention over unanswerable ones."""
    by_id = {i.id: i for i in items}
    right, answerable, abstained, unanswerable, older_right, older_wrong = 0, 0, 0, 0, 0, 0
    took: list[float] = []
    for q, body, ms in replayed(service, data):
        item = by_id[q["id"]]
        took.append(ms)
        if item.answerable:
            answerable += 1
            right += metrics.answer_correct(body["answer"], item.value, item.denominator)
        else:
            unanswerable += 1
            abstained += body["answer"] is None
        for older in (body["answer"] or {}).get("older", []):
            if older_is_recorded(item, older):
                older_right += 1
            else:
                older_wrong += 1
    return {"answer_accuracy": round(right / max(1, answerable), 4),
            "abstention": round(abstained / max(1, unanswerable), 4),
            "answerable": answerable, "unanswerable": unanswerable,
            "older_right": older_right, "older_wrong": older_wrong,
            # the reading step alone (features + model + grouping), not retrieval: a measurement
            "read_ms_p50": round(metrics.percentile(took, 50) or 0.0, 2),
            "read_ms_p95": round(metrics.percentile(took, 95) or 0.0, 2)}


def older_is_recorded(item: GoldItem, older: dict) -> bool:
    """Whether a figure listed under the answer (``answer.older[i]`` of ``/ask``) is one the
    question's writer recorded in that article (``also_in``, its own value; any value when none)."""
    doc = older["citation"]["doc_id"]
    return any(a.doc_id == doc and (a.value is None or metrics.values_match(older.get("value"), a.value))
               for a in item.also_in)


def floor_failures(got: dict, data: dict) -> list[str]:
    """What falls below the recorded figures: answer accuracy by more than ``FLOOR_MARGIN``; on a
    replay that recorded the listing, right older figures by more than ``LISTING_MARGIN``, or wrong
    ones rising by more than it."""
    out = []
    if got["answer_accuracy"] < data["answer_accuracy"] - FLOOR_MARGIN:
        out.append(f"answer accuracy {got['answer_accuracy']} < {data['answer_accuracy']} − {FLOOR_MARGIN}")
    if "older_right" in data:
        if got["older_right"] < data["older_right"] - LISTING_MARGIN:
            out.append(f"right older figures {got['older_right']} < {data['older_right']} − {LISTING_MARGIN}")
        if got["older_wrong"] > data["older_wrong"] + LISTING_MARGIN:
            out.append(f"wrong older figures {got['older_wrong']} > {data['older_wrong']} + {LISTING_MARGIN}")
    return out


def save(data: dict, path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def load(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def open_vnews_service(index_dir: Path | None = None, log=print, articles: Path | None = None):
    """The service over the materialised VietNews evaluation corpus (built on first use), or with
    ``articles`` over that set's own corpus (``.cache/<folder>/<set>/corpus`` and ``index``)."""
    from qa.config import Settings
    from qa.service import QAService

    from .vnews_corpus import DEFAULT_OUT, materialise

    corpus = DEFAULT_OUT if articles is None else (
        ROOT / ".cache" / articles.parent.name / articles.stem.removesuffix("_articles") / "corpus")
    materialise(corpus, articles=articles)
    settings = Settings.from_env(corpus_dir=corpus, index_dir=index_dir or corpus.parent / "index")
    return QAService.open(settings, log=log)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.replay", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("record", "check"))
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--replay", "--out", type=Path, default=DEFAULT_REPLAY, dest="replay")
    ap.add_argument("--articles", type=Path, help="the set's own articles and dates (eval/vnews_multi/MA_articles.json): "
                                                  "its corpus, not the dev corpus")
    ap.add_argument("--passes", type=int, default=1,
                    help="check: read the questions this many times; the passes after the first give "
                         "again_ms_p50 (every cache warm)")
    args = ap.parse_args(argv)
    items = load_gold(args.gold)
    service = open_vnews_service(log=lambda *a: print(*a, file=sys.stderr), articles=args.articles)
    if args.action == "record":
        data = record(service, items)
        save(data, args.replay)
        print(f"recorded {len(data['questions'])} questions; {data['reader']} reader answer accuracy "
              f"{data['answer_accuracy']:.3f}, older figures listed {data['older_right']} right and "
              f"{data['older_wrong']} wrong → {args.replay}")
        return 0
    data = load(args.replay)
    got = replay_accuracy(service, items, data)
    again = [replay_accuracy(service, items, data)["read_ms_p50"] for _ in range(args.passes - 1)]
    floor = data["answer_accuracy"] - FLOOR_MARGIN
    failures = floor_failures(got, data)
    print(json.dumps({**got, **({"again_ms_p50": again} if again else {}),
                      "recorded": data["answer_accuracy"], "floor": round(floor, 4),
                      **({"recorded_older": [data["older_right"], data["older_wrong"]]} if "older_right" in data else {}),
                      "failures": failures}, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
