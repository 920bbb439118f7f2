"""``vnqa train-reader``: silver questions from VietNews → features → a LightGBM scorer.

1. Pick figure-rich VietNews articles (never the evaluation set's, listed in ``--exclude``),
   deterministically from ``--seed``; index most of them with the real pipeline (underthesea,
   e5, BM25, FAISS) and withhold the rest.
2. Make silver questions (``qa.read.silver``) over both; retrieve for each with the service's
   hybrid retriever; turn every figure of the top passages into a feature row
   (``qa.read.features``), labelled 1 if it is the figure the question was made from. The
   hand-written question sets (``--gold``, default the VietNews dev half and
   ``eval/vnews_train``) are featurised the same way over their own corpora, labelled by value.
3. Cross-validate grouped by article (no article in both folds) — LightGBM against a logistic
   regression baseline. From the out-of-fold figure scores of the hand-written questions, fit the
   question-level answer model (``qa.read.answerability``: answer or abstain) and choose its
   threshold on its own out-of-fold probabilities (``qa.read.fitting``); then fit LightGBM
   on everything and write ``qa/read/models/reader.lgb.txt`` and ``reader.json`` (features,
   training-data hash, metrics, the answer model, its threshold and sweep). Without hand-written
   questions (``--silver-only``) there is no answer model to fit, and the service refuses a card
   without one (``qa.read.learned.ModelMismatch``): such a run cross-validates and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
import zlib
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa.config import PROJECT_ROOT, Settings
from qa.read.answerability import ANSWER_MODELS, BOOSTED_FILE
from qa.read import kinds
from qa.read.features import FEATURES, feature_rows, hard_reject
from qa.read.fitting import (_best_row, _dataset, _rows_of, _utility, answer_rows, card_draw_sweeps, choose_answer_model,
                              choose_threshold, cross_validate, fold_draws, mean_sweep, sweep_thresholds,
                              train_rankers)
from qa.read.learned import (CARD_FILE, EXTRA_RANKER_GLOB, MODEL_DIR, MODEL_FILE, article_texts, question_contexts,
                              ranker_file)
from qa.read.silver import SilverQuestion, silver_questions

# the evaluation sets' articles: never a source of silver questions (the second and third test
# sets' were drawn outside the silver articles, so listing them leaves the silver draw as it was)
DEFAULT_EXCLUDE = (PROJECT_ROOT / "eval" / "vnews_dev" / "articles.json",
                   PROJECT_ROOT / "eval" / "vnews_test2" / "articles.json",
                   PROJECT_ROOT / "eval" / "vnews_test3" / "articles.json")
# where every command in README keeps the training corpora, indexes, retrieval cache and rows
# (what is reused inside it is keyed by the retrieval settings and the reader's code)
DEFAULT_WORK = PROJECT_ROOT / ".cache" / "train-reader-onnx"
_TRAIN = PROJECT_ROOT / "eval" / "vnews_train"


def _batch_number(path: Path) -> int:
    """1 for ``train.jsonl``, n for ``train<n>.jsonl``: batches are read in the order written."""
    return int(path.stem.removeprefix("train") or 1)


# the dev half, then each batch of eval/vnews_train in order (train.jsonl + articles.json, train2 +
# articles2, …): a new batch is used as soon as its two files are there
DEFAULT_GOLD_SETS = (
    (PROJECT_ROOT / "eval" / "vnews_dev" / "dev.jsonl", PROJECT_ROOT / "eval" / "vnews_dev" / "articles.json"),
    *((g, _TRAIN / g.name.replace("train", "articles").replace(".jsonl", ".json"))
      for g in sorted(_TRAIN.glob("train*.jsonl"), key=_batch_number)),
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|triệu|tỷ|tỉ|nghìn|ngàn|USD|đồng|người|ha|tấn|km)")
# LambdaRank: the figures of one question are ranked against each other, which is what the reader
# does with them (out of fold on the hand-written questions, top-1 0.695 against 0.676 for a
# per-figure binary objective, three fold draws; see eval/RESULTS.md). A figure's score is the
# logistic of the raw ranking score (qa.read.learned.figure_scores).
LGB_PARAMS = dict(objective="lambdarank", learning_rate=0.05, num_leaves=15, min_child_samples=20,
                  feature_fraction=0.9, bagging_fraction=0.9, bagging_freq=1, lambda_l2=1.0,
                  lambdarank_truncation_level=5, verbose=-1, num_threads=2, seed=13)
# 400 rounds rather than 200: on the twelfth model's rows, three fold draws, top-1 +0.006 to +0.010
# and right − 2 × wrong +17 to +19 in every draw (eval/RESULTS.md, 2026-12-02 morning)
LGB_ROUNDS = 400
# figure rankers averaged (--rankers; fitting.train_rankers)
LGB_RANKERS = 1
# a hand-written question's rows weigh this much against a silver one's 1 (--gold-weight); an
# answer is worth one right and a wrong one costs this many (--wrong-cost)
GOLD_WEIGHT = 50.0
WRONG_COST = 2.0
THRESHOLD_DRAWS = 4  # fold draws averaged into the threshold curve with the card's own pass (mean_sweep)


def choose_articles(source, exclude: set[str], n: int, seed: int) -> list[dict]:
    """``n`` figure-rich articles (≥ 6 figures, 800–6,000 characters), in a seeded order."""
    rich = [a for a in source if a["id"] not in exclude and 800 <= len(a["body"]) <= 6000
            and len(_FIGURE.findall(a["body"])) >= 6]
    rich.sort(key=lambda a: hashlib.sha256(f"{seed}:{a['id']}".encode()).hexdigest())
    return rich[:n]


def _dates(articles: list[dict], seed: int) -> dict[str, str]:
    """A plausible publication date per article (VietNews has none): 2016–2019, seeded."""
    rng = random.Random(seed)
    return {a["id"]: f"{rng.randint(2016, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            for a in articles}


def build_dataset(n_indexed: int, n_withheld: int, seed: int, work: Path, exclude: set[str],
                  vietnews: Path | None = None, per_article: int = 8, log=print):
    """Index the articles, make the silver questions, and return their rows and meta (see
    :func:`featurise`)."""
    from qa.index.embedder import make_embedder
    from qa.index.live import index_documents
    from qa.ingest.documents import parse_article
    from qa.ingest.segment import sentences_in_spans
    from qa.ingest.vietnews import VIETNEWS_TEST, article_file_text, read_vietnews
    from qa.read.rules import AnswerPicker
    from qa.retrieve.retriever import Retriever

    articles = choose_articles(read_vietnews(vietnews or VIETNEWS_TEST), exclude, n_indexed + n_withheld, seed)
    dates = _dates(articles, seed)
    docs = [parse_article(f"vn_{a['id']}", article_file_text(a, dates[a["id"]])) for a in articles]
    indexed, withheld = docs[:n_indexed], docs[n_indexed:]
    settings = Settings.from_env()
    embedder = make_embedder(settings.model, settings.encoder)
    t0 = time.perf_counter()
    index = index_documents(indexed, work / "index", embedder, settings.chunking, log=log)
    log(f"train-reader: indexed {len(indexed)} articles ({len(index.chunks)} chunks) in {time.perf_counter() - t0:.0f} s")

    questions: list[SilverQuestion] = []
    for doc, held in [(d, False) for d in indexed] + [(d, True) for d in withheld]:
        sents = sentences_in_spans(doc.text, doc.content_spans)
        questions += silver_questions(doc.doc_id, doc.text, sents, seed, per_article, withheld=held,
                                      published=doc.published)
    log(f"train-reader: {len(questions)} silver questions")

    retriever, picker = Retriever(index, embedder), AnswerPicker(index)

    def label(sq: SilverQuestion):
        return lambda c: c.doc_id == sq.doc_id and c.start == sq.answer_start

    asks = [(sq.question, label(sq), sq.doc_id, {**asdict(sq), "source": "silver"}) for sq in questions]
    return featurise(asks, retriever, picker, log)


def featurise(asks, retriever, picker, log=print, start_qid: int = 0):
    """Retrieve for every (question, is_right(candidate), article, meta) and build the rows.

    Returns ``(data, meta)``: ``data`` holds X, y, qid (question index), article (a stable
    group id for grouped cross-validation) and weight; ``meta`` one dict per question."""
    X_parts, y_parts, qid_parts, art_parts, qmeta = [], [], [], [], []
    t0 = time.perf_counter()
    cache = _RetrievalCache(retriever)
    for i, (question, is_right, article, meta) in enumerate(asks):
        qi = start_qid + i
        result = cache.search(question)
        scored = picker.scored_candidates(question, [h.chunk_id for h in result.hits], result.query_vector)
        reachable = False
        if scored is not None:
            profile, cands = scored
            cands = [c for c in cands if hard_reject(c, question) is None]
            if cands:
                X = feature_rows(question, profile, cands, result.hits, question_contexts(picker),
                                 picker.idf, article_of=article_texts(picker))
                y = np.array([bool(is_right(c)) for c in cands], np.int8)
                reachable = bool(y.any())
                X_parts.append(X)
                y_parts.append(y)
                qid_parts.append(np.full(len(cands), qi, np.int32))
                art_parts.append(np.full(len(cands), zlib.crc32(article.encode()), np.int64))
        qmeta.append({**meta, "reachable": reachable})
        if (i + 1) % 500 == 0:
            log(f"train-reader: featurised {i + 1}/{len(asks)} questions ({time.perf_counter() - t0:.0f} s)")
    cache.save()
    data = {
        "X": np.concatenate(X_parts), "y": np.concatenate(y_parts),
        "qid": np.concatenate(qid_parts), "article": np.concatenate(art_parts),
    }
    return data, qmeta


class _RetrievalCache:
    """Retrieval results per question, kept beside the index they came from, so that retraining
    after a feature change re-reads passages instead of re-running retrieval."""

    def __init__(self, retriever):
        import pickle

        self.retriever = retriever
        m = retriever.index.manifest
        key = hashlib.sha256(json.dumps([m.get("corpus_hash"), m.get("model_fingerprint"), m.get("lexicon"),
                                         _retrieval_settings(), _code_digest(_RETRIEVAL_SOURCES)],
                                        sort_keys=True).encode()).hexdigest()[:16]
        self.path = Path(retriever.index.path).parent / f"retrieval-{key}.pkl"
        self.entries = pickle.loads(self.path.read_bytes()) if self.path.is_file() else {}
        self.dirty = False

    def search(self, question: str):
        from qa.retrieve.retriever import SearchResult

        if question not in self.entries:
            self.entries[question] = self.retriever.search(question, 8)
            self.dirty = True
        r = self.entries[question]
        return SearchResult(list(r.hits), r.query_vector)

    def save(self) -> None:
        import pickle

        if self.dirty:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(self.entries))
            os.replace(tmp, self.path)


def _gold_value_matches(c, value, rel_tol: float = 0.005) -> bool:
    if isinstance(value, str):
        return bool(c.date) and c.date.startswith(value)
    if value is None:
        return False
    v = float(value)
    return abs(c.quantity.value - v) <= rel_tol * abs(v) if v else abs(c.quantity.value) <= rel_tol


def gold_right_docs(answerable: bool, doc_id: str | None, value,
                    also_in: Iterable[tuple[str, object]]) -> frozenset[str]:
    """The articles whose figure of the gold ``value`` answers a hand-written question: the gold
    article and each ``also_in`` (doc id, value) giving the same figure (an entry without a value
    gives it, as in eval.gold); none for an unanswerable question."""
    if not answerable:
        return frozenset()
    return frozenset({doc_id} | {d for d, v in also_in if v in (None, value)})


def gold_asks(gold_path: Path) -> list:
    """Hand-written questions (a gold JSONL file) as training asks: a candidate is right when it
    comes from the gold article (or an ``also_in`` article giving the same value) with the gold
    value. Unanswerable questions have no right candidate."""
    asks = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        docs = gold_right_docs(bool(row.get("answerable")), row.get("doc_id"), row.get("value"),
                               ((a["doc_id"], a.get("value")) for a in row.get("also_in") or []))

        def is_right(c, _docs=docs, _v=row.get("value")):
            return c.doc_id in _docs and _gold_value_matches(c, _v)

        article = row.get("doc_id") or row.get("near_doc") or row["id"]
        asks.append((row["question"], is_right, article,
                     {"source": "gold", "id": row["id"], "question": row["question"],
                      "answer_start": 0 if row.get("answerable") else None, "variant": "gold"}))
    return asks


def gold_work_name(gold_path: Path) -> str:
    """The name of a hand-written set's corpus and index folders in the work folder
    (``<name>-corpus``, ``<name>-index``): ``gold`` for the dev half, else one per set file."""
    return "gold" if gold_path.parent.name == "vnews_dev" else f"gold-{gold_path.parent.name}-{gold_path.stem}"


def gold_index(gold_path: Path, articles_path: Path, work: Path, vietnews: Path | None, log=print):
    """(index, embedder) of a hand-written set's VietNews corpus: the articles of ``articles_path``
    at their dates, written to ``<name>-corpus`` in ``work`` and indexed in ``<name>-index``
    (:func:`gold_work_name`; an unchanged corpus is not embedded again)."""
    from qa.index.embedder import make_embedder
    from qa.index.live import index_documents
    from qa.ingest.documents import load_corpus
    from qa.ingest.vietnews import VIETNEWS_TEST, read_vietnews, write_corpus

    dates = {k.removeprefix("vn_"): v for k, v in json.loads(articles_path.read_text(encoding="utf-8")).items()}
    name = gold_work_name(gold_path)
    corpus = work / f"{name}-corpus"
    write_corpus(dates, corpus, read_vietnews(vietnews or VIETNEWS_TEST))
    settings = Settings.from_env()
    embedder = make_embedder(settings.model, settings.encoder)
    return index_documents(load_corpus(corpus), work / f"{name}-index", embedder, settings.chunking, log=log), embedder


def gold_dataset(gold_path: Path, articles_path: Path, work: Path, vietnews: Path | None, log=print):
    """Rows for the hand-written questions of ``gold_path`` over their VietNews corpus (the
    articles of ``articles_path``, indexed in a folder of their own: :func:`gold_index`)."""
    from qa.read.rules import AnswerPicker
    from qa.retrieve.retriever import Retriever

    index, embedder = gold_index(gold_path, articles_path, work, vietnews, log)
    return featurise(gold_asks(gold_path), Retriever(index, embedder), AnswerPicker(index), log)


def _concat(a: tuple[dict, list], b: tuple[dict, list]) -> tuple[dict, list]:
    """Two row sets as one, question ids of ``b`` shifted past ``a``'s."""
    (da, ma), (db, mb) = a, b
    return ({k: np.concatenate([da[k], db[k] + (len(ma) if k == "qid" else 0)]) for k in ("X", "y", "qid", "article")},
            ma + mb)


def _shown(path: str) -> str:
    """A path relative to the project when it is inside it (cards are committed)."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _gold_sets(gold: list | None) -> list[tuple[str, str]]:
    """(questions, articles) pairs of hand-written training questions: ``--gold`` as given, else
    the dev half and, when present, ``eval/vnews_train``."""
    if gold is not None:
        return [tuple(pair) for pair in gold]
    return [(str(g), str(a)) for g, a in DEFAULT_GOLD_SETS if g.is_file() and a.is_file()]


def one_source(part: tuple[dict, list]) -> tuple[dict, list]:
    """One source's rows alone (silver, or hand-written), each weighing 1, ``kind_prior`` filled."""
    data, meta = part
    return fill_kind_prior(data | {"weight": np.ones(len(data["y"]))}, meta), meta


def _merge(a: tuple[dict, list], b: tuple[dict, list], weight_b: float) -> tuple[dict, list]:
    """:func:`_concat` with row weights: 1 for ``a``'s rows, ``weight_b`` for ``b``'s, and
    ``kind_prior`` filled (:func:`fill_kind_prior`)."""
    data, meta = _concat(a, b)
    data["weight"] = np.concatenate([np.ones(len(a[0]["y"])), np.full(len(b[0]["y"]), weight_b)])
    return fill_kind_prior(data, meta), meta


def kind_labels(data: dict, qmeta: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Each question's label for ``qa.read.kinds``, the kind of its first right figure (an index
    into ``kinds.KIND_LABELS``; −1 without one), and its article (its rows'; "" without rows)."""
    row_kinds = _figure_kinds(data["X"])
    labels, articles = np.full(len(qmeta), -1), np.full(len(qmeta), "", dtype=object)
    articles[data["qid"]] = data["article"]
    for r in np.flatnonzero(data["y"] > 0)[::-1]:  # backwards: the first right row is written last
        if row_kinds[r] >= 0:
            labels[data["qid"][r]] = row_kinds[r]
    return labels, articles


def _figure_kinds(X: np.ndarray) -> np.ndarray:
    """Each row's figure kind as an index into ``kinds.KIND_LABELS``, read from its one-hot kind
    columns (−1 when none is set)."""
    onehot = X[:, [FEATURES.index(f"figure_{k}") for k in kinds.KIND_LABELS]]
    return np.where(onehot.max(axis=1) > 0, onehot.argmax(axis=1), -1)


def _cross_fitted_kinds(data: dict, qmeta: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(:func:`kinds.cross_fitted` probabilities of every question, grouped by article; the labels)."""
    labels, articles = kind_labels(data, qmeta)
    groups = [a or f"none{i}" for i, a in enumerate(articles)]  # a question without rows is a group of its own
    return kinds.cross_fitted([m["question"] for m in qmeta], labels, groups), labels


def fill_kind_prior(data: dict, qmeta: list[dict]) -> dict:
    """``data`` with its ``kind_prior`` column (0 in the saved rows) set to each row's figure
    kind's cross-fitted probability: each question's from a model fitted on other articles'
    questions, as the service's model has never seen the question it is asked."""
    probs, _ = _cross_fitted_kinds(data, qmeta)
    row_kinds = _figure_kinds(data["X"])
    X = data["X"].copy()
    X[:, FEATURES.index("kind_prior")] = np.where(row_kinds >= 0, probs[data["qid"], np.maximum(row_kinds, 0)], 0.0)
    return {**data, "X": X}


def kind_prior_accuracy(data: dict, qmeta: list[dict]) -> dict[str, float]:
    """How often the most probable kind under the cross-fitted prior is the right figure's, by source."""
    probs, labels = _cross_fitted_kinds(data, qmeta)
    out = {}
    for source in ("silver", "gold"):
        asked = np.array([m.get("source", "silver") == source for m in qmeta]) & (labels >= 0)
        out[source] = round(float(np.mean(probs[asked].argmax(axis=1) == labels[asked])), 4) if asked.any() else 0.0
    return out


def train(args) -> int:
    """Entry point of ``vnqa train-reader``."""
    import lightgbm as lgb

    if args.rankers < 1:  # before the rows, which can take minutes to build
        raise SystemExit(f"train-reader: --rankers must be at least 1, not {args.rankers}")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    exclude: set[str] = set()
    for exclude_path in map(Path, args.exclude):
        if exclude_path.is_file():
            exclude |= {k.removeprefix("vn_") for k in json.loads(exclude_path.read_text(encoding="utf-8"))}
    print(f"train-reader: excluding {len(exclude)} evaluation articles ({', '.join(map(_shown, args.exclude))})")
    vietnews = Path(args.vietnews) if args.vietnews else None
    # the key of the rows this run makes is taken now, from the code this process has just loaded:
    # taken when they are saved, half an hour on, it would name any edit made meanwhile
    rows_key = _rows_key(args)
    reused = _reuse(work, args, rows_key) if args.reuse_features else None
    if reused:
        silver, gold = reused
        print(f"train-reader: reusing the feature rows in {work} (same features, same questions)")
    else:
        silver = build_dataset(args.articles, args.withheld, args.seed, work, exclude, vietnews, args.per_article)
        gold = None
        for gold_path, articles_path in _gold_sets(args.gold):
            one = gold_dataset(Path(gold_path), Path(articles_path), work, vietnews)
            gold = one if gold is None else _concat(gold, one)
        _keep(work, args, silver, gold, rows_key)
    parts = [("silver", silver)]
    if gold:
        parts.append(("hand-written", gold))
        data, qmeta = _merge(silver, gold, args.gold_weight)
    else:
        data, qmeta = one_source(silver)
    silver_path = work / "silver.jsonl"
    silver_path.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in qmeta), encoding="utf-8")
    data_hash = hashlib.sha256(silver_path.read_bytes() + "\n".join(FEATURES).encode()).hexdigest()
    for name, (d, m) in parts:
        print(f"train-reader: {name}: {len(m)} questions, {len(d['y'])} candidate rows, {int(d['y'].sum())} right; "
              f"{sum(x['reachable'] for x in m)} of {sum(x['answer_start'] is not None for x in m)} answerable "
              "questions have a right figure among the retrieved candidates")
    params, rounds = {**LGB_PARAMS, "num_leaves": args.num_leaves}, args.rounds
    cv, oof = cross_validate(data, qmeta, params, rounds, rankers=args.rankers)
    for name, m in cv.items():
        print(f"train-reader: CV {name}: {json.dumps(m)}")
    gold_q = [i for i, m in enumerate(qmeta) if m.get("source") == "gold"]
    draws, known_sweeps = None, {}
    if args.draws and gold_q:
        draws = fold_draws(data, qmeta, params, rounds, args.draws, args.wrong_cost, rankers=args.rankers,
                           first_draw=args.first_draw)
        per_question, sweeps_by_draw = draws.pop("per_question"), draws.pop("sweeps")
        # the card's threshold draws are these draws' sweeps where the two overlap (the same
        # rankers; every question trained on and judged, as here)
        known_sweeps = sweeps_by_draw
        if args.per_question:
            _write_per_question(Path(args.per_question), per_question, qmeta, draws["draws"],
                                question_row_digests(data, sorted(per_question)))
        for row in draws["draws"]:
            print(f"train-reader: fold draw {json.dumps(row)}")
        print(f"train-reader: over {args.draws} fold draws: {json.dumps(draws['summary'])}")
    if not gold_q:
        # the service refuses a card without an answer model (qa.read.learned.ModelMismatch), so
        # writing one would only replace a working model with one that cannot be served
        print("train-reader: no hand-written questions, so no answer model to fit: cross-validation only, "
              f"nothing written to {args.out}")
        return 0
    # whether to answer: a question-level model over out-of-fold figure scores (see
    # qa.read.answerability), its threshold chosen on its own out-of-fold probabilities
    figure_sweep = sweep_thresholds(oof, data["y"], data["qid"], gold_q)
    a_rows, a_labels, a_groups, _ = answer_rows(oof, data, gold_q)
    answer_kind, sweeps = choose_answer_model(a_rows, a_labels, a_groups, args.wrong_cost)
    sweep = sweeps[answer_kind]
    print(f"train-reader: shipping the {answer_kind} answer model")
    answer_model = ANSWER_MODELS[answer_kind].fit(a_rows, a_labels)
    for name, rows in (("best figure's score", figure_sweep), *((f"{k} answer model", r) for k, r in sweeps.items())):
        top = _best_row(rows, args.wrong_cost)
        print(f"train-reader: thresholding the {name}, out of fold: best right − {args.wrong_cost:g} × wrong "
              f"{_utility(top, args.wrong_cost):g} at {top}")
    # the threshold: chosen on the mean curve of this pass and ``--threshold-draws`` shuffled fold
    # draws, since one pass's best moves with the draw (mean_sweep)
    draw_sweeps = card_draw_sweeps(data, gold_q, params, rounds, answer_kind, args.threshold_draws,
                                   known={d: s[answer_kind] for d, s in known_sweeps.items()}, rankers=args.rankers)
    curve = mean_sweep([sweep, *draw_sweeps])
    for i, s in enumerate(draw_sweeps, 1):
        print(f"train-reader: card draw {i}: best right − {args.wrong_cost:g} × wrong at {_best_row(s, args.wrong_cost)}")
    best, at_target = choose_threshold(curve, args.target_far, args.wrong_cost)
    threshold = best["threshold"]
    rule = (f"false-answer rate ≤ {args.target_far}" if best is at_target else
            f"right − {args.wrong_cost:g} × wrong answers maximised (the false-answer target {args.target_far} "
            f"would answer {at_target['answered'] if at_target else 0} questions)")
    names = ", ".join(Path(g).parent.name + "/" + Path(g).name for g, _ in _gold_sets(args.gold))
    threshold_source = (f"out-of-fold answer-model probabilities for the hand-written questions ({names}), "
                        f"mean curve of the card's pass and {args.threshold_draws} shuffled fold draws: {rule}: {best}; "
                        f"at the false-answer target: {at_target}")
    print(f"train-reader: threshold {threshold} ({rule}): {best}")
    boosters = train_rankers(params, _dataset(data["X"], data["y"], data["weight"], data["qid"], list(FEATURES)),
                             rounds, args.rankers)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = [ranker_file(k) for k in range(len(boosters))]
    for booster, name in zip(boosters, files):
        booster.save_model(str(out / name))
    for stale in set(p.name for p in out.glob(EXTRA_RANKER_GLOB)) - set(files):
        (out / stale).unlink()  # rankers of an earlier card, which this one does not name
    labels, _ = kind_labels(data, qmeta)
    kind_prior = kinds.fit([m["question"] for m in qmeta], labels)
    kind_prior.save(out)
    if answer_kind != "boosted":
        (out / BOOSTED_FILE).unlink(missing_ok=True)  # trees of an earlier card, which this one does not name
    gain = np.sum([b.feature_importance("gain") for b in boosters], axis=0) / len(boosters)
    importance = dict(zip(FEATURES, gain.round(1).tolist()))
    card = {
        "model": "lightgbm", "lightgbm_version": lgb.__version__, "params": params, "rounds": rounds,
        # several rankers: each file's seed is params' seed + its place (fitting.ranker_params)
        **({"rankers": len(files), "ranker_files": files} if len(files) > 1 else {}),
        "features": list(FEATURES), "threshold": threshold, "threshold_source": threshold_source,
        "encoder": Settings.from_env().encoder,
        "training": {
            "source": "VietNews test split: silver questions (qa.read.silver)"
                      + (f" + hand-written questions of {', '.join(_shown(g) for g, _ in _gold_sets(args.gold))} "
                         f"(weight {args.gold_weight})" if gold else ""),
            "seed": args.seed, "indexed_articles": args.articles, "withheld_articles": args.withheld,
            "questions": len(qmeta), "rows": int(len(data["y"])), "positives": int(data["y"].sum()),
            "variants": {v: sum(m["variant"] == v for m in qmeta) for v in sorted({m["variant"] for m in qmeta})},
            "data_sha256": data_hash, "excluded_evaluation_articles": len(exclude),
            # the feature values themselves: the same questions can give other values on another
            # machine (eval/RESULTS.md, 2026-12-03), and then out-of-fold figures do not compare
            "rows_sha256": rows_fingerprint(data), "environment": environment(),
        },
        "cross_validation": {"folds": 5, "grouped_by": "article", **cv},
        **({"cross_validation_draws": draws} if draws else {}),
        "threshold_sweep": sweep,
        "threshold_draws": {"draws": args.threshold_draws, "mean_sweep": curve,
                            "best_per_draw": [_best_row(s, args.wrong_cost)["threshold"] for s in [sweep, *draw_sweeps]]},
        "answer_model": answer_model.to_card(out),
        # out of fold, each kind at its best threshold: the one with more right − 2 × wrong ships
        "answer_model_comparison": {kind: {"right_minus_wrong": _utility(row, args.wrong_cost), "at": row}
                                    for kind, row in ((k, _best_row(r, args.wrong_cost)) for k, r in sweeps.items())},
        "figure_score_sweep": figure_sweep,
        "kind_prior": {"file": kinds.KIND_FILE, "questions": int((labels >= 0).sum()), "terms": len(kind_prior.vocabulary),
                       "cross_fitted_accuracy": kind_prior_accuracy(data, qmeta)},
        "feature_gain": dict(sorted(importance.items(), key=lambda kv: -kv[1])),
    }
    (out / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"train-reader: wrote {out / MODEL_FILE} and {out / CARD_FILE}")
    return 0


def _write_per_question(path: Path, per_question: dict, qmeta: list[dict], draws: list[dict],
                        digests: dict[int, str]) -> None:
    """The fold draws' outcomes per hand-written question, one JSON line each, with the digest of
    its candidate rows (``python -m eval.per_question`` compares two such files, and the digests
    tell it which questions a change of the features reached)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers = [d["draw"] for d in draws]
    with path.open("w", encoding="utf-8") as f:
        for q in sorted(per_question):
            m = qmeta[q]
            f.write(json.dumps({"id": m["id"], "question": m["question"], "answerable": m["answer_start"] is not None,
                                "draws": numbers, "rows": digests[q], **per_question[q]}, ensure_ascii=False) + "\n")
    print(f"train-reader: wrote each question's outcome over the fold draws to {path}")


def question_row_digests(data: dict, questions: list[int]) -> dict[int, str]:
    """sha256 (first 16 hex digits) of each question's candidate rows: feature values and labels,
    in row order. Two runs give a question the same digest exactly when a change of the features
    left its rows alone, so what moves it is the retrained trees, not the change."""
    out = {}
    for q, m in _rows_of(data["qid"], questions):
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(data["X"][m]).tobytes())
        h.update(np.ascontiguousarray(data["y"][m]).tobytes())
        out[q] = h.hexdigest()[:16]
    return out


def rows_fingerprint(data: dict) -> str:
    """sha256 of the feature rows' values, labels, questions and weights, in row order."""
    h = hashlib.sha256()
    for name in ("X", "y", "qid", "weight"):
        h.update(name.encode())
        h.update(np.ascontiguousarray(data[name]).tobytes())
    return h.hexdigest()


def environment() -> dict[str, str | None]:
    """Python and the versions of the libraries the rows and the model depend on (segmentation,
    BM25, vectors, trees), none of them pinned, and how the CPU does the encoder's int8
    products: what a rebuild elsewhere should compare."""
    import platform

    from qa.index.base import VERSIONED_PACKAGES, library_versions
    from qa.index.onnx_encoder import cpu_flags, int8_arithmetic

    extra = ("numpy", "lightgbm", "scikit-learn", "transformers", "tokenizers")
    return {"python": platform.python_version(), **library_versions(VERSIONED_PACKAGES + extra),
            "int8_arithmetic": int8_arithmetic(cpu_flags())}


def _retrieval_settings() -> dict:
    """The service's retrieval settings (fusion weights, candidates): rows retrieved under other
    ones are other rows."""
    from qa.retrieve.retriever import RetrievalOptions

    return asdict(RetrievalOptions())


# the code that turns a question and its passages into feature rows: rows saved by another
# version of it are other rows, even when the features keep their names (a feature's meaning
# changed under its old name would otherwise be reused without a word by --reuse-features)
_ROW_SOURCES = (PROJECT_ROOT / "qa" / "read", PROJECT_ROOT / "qa" / "lexicon.py")
# … except the code that only reads rows: fitting and judging them, and the answer model's
# question-level rows, which are built from the saved rows at training time; and how a chosen
# figure is worded for a person (``wording``), which no row sees
_NOT_ROW_CODE = ("fitting.py", "answerability.py", "wording.py")


# the code that turns a question into passages: how a query is tokenised and fused (results
# cached under another version of it are other results)
_RETRIEVAL_SOURCES = (PROJECT_ROOT / "qa" / "retrieve", PROJECT_ROOT / "qa" / "index" / "bm25.py")


def _code_digest(sources, skip: tuple[str, ...] = ()) -> str:
    """A hash of the source files of ``sources`` (a folder's ``*.py`` files, by name, but those
    named in ``skip``)."""
    h = hashlib.sha256()
    for source in sources:
        for path in sorted(source.glob("*.py")) if source.is_dir() else [source]:
            if path.name not in skip:
                h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _row_code_digest() -> str:
    """A hash of the source files of :data:`_ROW_SOURCES` that make rows (not :data:`_NOT_ROW_CODE`)."""
    return _code_digest(_ROW_SOURCES, _NOT_ROW_CODE)


def _in_project(path: str) -> str:
    """``path`` relative to the project when it lies inside it: the same questions in another
    checkout (a worktree) name the same rows."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else str(resolved)


def _rows_key(args) -> str:
    gold = [[_in_project(q), _in_project(a)] for q, a in _gold_sets(args.gold)]
    return json.dumps({"features": list(FEATURES), "articles": args.articles, "withheld": args.withheld,
                       "per_article": args.per_article, "seed": args.seed, "gold": gold,
                       "retrieval": _retrieval_settings(), "retrieval_code": _code_digest(_RETRIEVAL_SOURCES),
                       "code": _row_code_digest()})


def _keep(work: Path, args, silver, gold, key: str | None = None) -> None:
    """Save the feature rows so that a change of model settings need not featurise again, under
    ``key`` (default: :func:`_rows_key` of the code on disk now)."""
    import pickle

    (work / "rows.pkl").write_bytes(pickle.dumps({"key": key or _rows_key(args), "silver": silver, "gold": gold}))


def _reuse(work: Path, args, key: str | None = None):
    """The rows saved in ``work`` when their key is ``key`` (default: :func:`_rows_key` of the code
    on disk now), else None."""
    import pickle

    path = work / "rows.pkl"
    if not path.is_file():
        return None
    saved = pickle.loads(path.read_bytes())
    return (saved["silver"], saved["gold"]) if saved["key"] == (key or _rows_key(args)) else None


def add_arguments(p) -> None:
    p.add_argument("--articles", type=int, default=360, help="VietNews articles to index (default 360)")
    p.add_argument("--withheld", type=int, default=90, help="articles whose questions the index cannot answer")
    p.add_argument("--per-article", type=int, default=8, help="silver figures asked per article")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--exclude", nargs="+", default=[str(p) for p in DEFAULT_EXCLUDE],
                   help="JSON objects whose keys are evaluation article ids (never used for silver questions)")
    p.add_argument("--gold", nargs=2, action="append", metavar=("QUESTIONS", "ARTICLES"),
                   help="hand-written questions (gold JSONL) and their VietNews articles (id → date JSON) to "
                        "train on too; repeatable (default: eval/vnews_dev/dev.jsonl and, when present, "
                        "every eval/vnews_train/train*.jsonl, with its articles*.json)")
    p.add_argument("--silver-only", action="store_const", const=[], dest="gold",
                   help="no hand-written questions: cross-validate on silver questions only, write no model")
    p.add_argument("--gold-weight", type=float, default=GOLD_WEIGHT, help="weight of a hand-written question's rows")
    p.add_argument("--target-far", type=float, default=0.05, help="false-answer rate the threshold aims at")
    p.add_argument("--threshold-draws", type=int, default=THRESHOLD_DRAWS,
                   help="shuffled fold draws whose threshold curves are averaged with the card's own pass before the "
                        "threshold is chosen (0: the card's pass alone; ~1.5 min a draw on 2 cores)")
    p.add_argument("--wrong-cost", type=float, default=WRONG_COST,
                   help="when the target costs too many answers: how many right answers one wrong one cancels")
    p.add_argument("--vietnews", default=None, help="VietNews JSONL(.gz); default ../shared/…/vietnews_test.jsonl.gz")
    p.add_argument("--work", default=str(DEFAULT_WORK), help="folder for the training index and data")
    p.add_argument("--reuse-features", action="store_true",
                   help="reuse the feature rows of the last run when the features' code and the questions are the same")
    p.add_argument("--num-leaves", type=int, default=LGB_PARAMS["num_leaves"])
    p.add_argument("--rounds", type=int, default=LGB_ROUNDS)
    p.add_argument("--rankers", type=int, default=LGB_RANKERS,
                   help="figure rankers averaged, each with its own seed: the shipped scorer, the card's pass, its "
                        "threshold draws and --draws alike (about that many times slower to train)")
    p.add_argument("--first-draw", type=int, default=1,
                   help="with --draws: the first fold draw's seed (draws 6–10 are fresh after 1–5 were read)")
    p.add_argument("--draws", type=int, default=0,
                   help="also repeat the out-of-fold figures over N shuffled fold draws and report their spread "
                        "(to compare settings or features; ~1.5 min a draw on 2 cores; the model written is the same)")
    p.add_argument("--per-question", default=None, metavar="FILE",
                   help="with --draws: write each hand-written question's outcome in every draw to FILE (JSON lines: "
                        "top figure right, answer probability, answer right), for python -m eval.per_question")
    p.add_argument("--out", default=str(MODEL_DIR), help="where the model and its card go")
