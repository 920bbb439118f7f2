"""Fitting and judging the reader on feature rows, once the rows exist: what changes here never
changes a row, so rows saved by ``vnqa train-reader`` stay reusable (``training._ROW_SOURCES``
leaves this file and ``qa.read.answerability`` out of the rows' key).

* cross-validation grouped by article (:func:`cross_validate`), and fold draws that repeat it
  with shuffled folds (:func:`fold_draws`, :func:`draw_scores`): how comparisons are judged;
* the answer model's question-level rows (:func:`answer_rows`), its out-of-fold probabilities and
  threshold sweeps (:func:`answer_model_oof`, :func:`answer_sweep`, :func:`oof_answer_sweeps`,
  :func:`draw_answer_sweeps`);
* the threshold: one sweep, or the mean of several (:func:`mean_sweep`, :func:`card_draw_sweeps`),
  and the rule that picks it (:func:`choose_threshold`).
"""

from __future__ import annotations

import hashlib

import numpy as np

from qa.read.answerability import ANSWER_FEATURES, ANSWER_MODELS, answer_row, best_covered
from qa.read.learned import figure_scores


def _question_metrics(p: np.ndarray, y: np.ndarray, qid: np.ndarray, answerable: dict[int, bool]) -> dict:
    """Per question: is the top-scored figure a right one (answerable questions whose figure was
    retrieved), and how often a question with no right figure would be answered at 0.5."""
    top_right, n_ans, neg_top, pos_top = 0, 0, [], []
    for q in np.unique(qid):
        m = qid == q
        i = int(np.argmax(p[m]))
        if answerable.get(int(q)) and y[m].any():
            n_ans += 1
            top_right += int(y[m][i] == 1)
            pos_top.append(float(p[m][i]) if y[m][i] == 1 else 0.0)
        elif not y[m].any():
            neg_top.append(float(p[m][i]))
    return {"top1_accuracy": round(top_right / max(1, n_ans), 4), "answerable_questions": n_ans,
            "questions_without_right_figure": len(neg_top),
            "false_answer_rate_at_0.5": round(float(np.mean(np.array(neg_top) >= 0.5)), 4) if neg_top else 0.0,
            "answer_rate_at_0.5": round(float(np.mean(np.array(pos_top) >= 0.5)), 4) if pos_top else 0.0}


def sweep_thresholds(p: np.ndarray, y: np.ndarray, qid: np.ndarray, questions: list[int],
                     grid=tuple(round(0.02 * i, 2) for i in range(1, 50))) -> list[dict]:
    """Answer the top figure when its probability reaches t: per t, the share of answerable
    questions answered right, of unanswerable ones left unanswered, and of wrong answers among
    the answers given — computed from out-of-fold predictions."""
    top_p, top_right = [], []
    for q in questions:
        m = qid == q
        if not m.any():
            top_p.append(0.0)
            top_right.append(False)
            continue
        i = int(np.argmax(p[m]))
        top_p.append(float(p[m][i]))
        top_right.append(bool(y[m][i]))
    return answer_sweep(np.array(top_p), np.array(top_right), grid)


def _dataset(X: np.ndarray, y: np.ndarray, weight: np.ndarray, qid: np.ndarray, feature_name=None):
    """A LightGBM dataset with one ranking group per question (rows are in question order)."""
    import lightgbm as lgb

    if len(qid) and (np.diff(qid) < 0).any():
        raise ValueError("feature rows must be grouped by question, in question order")
    _, sizes = np.unique(qid, return_counts=True)
    return lgb.Dataset(X, y, weight=weight, group=sizes, feature_name=feature_name or "auto")


def cross_validate(data: dict, qmeta: list[dict], params: dict, rounds: int,
                   folds: int = 5, rankers: int = 1) -> tuple[dict, np.ndarray]:
    """Grouped by article: LightGBM (``rankers`` averaged, :func:`train_rankers`) vs logistic
    regression; candidate AUC and question top-1 on silver and on hand-written questions
    separately. Returns the metrics and LightGBM's out-of-fold predictions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, qid, groups, w = data["X"], data["y"], data["qid"], data["article"], data["weight"]
    answerable = {i: m["answer_start"] is not None for i, m in enumerate(qmeta)}
    preds = {"lightgbm": np.zeros(len(y)), "logistic": np.zeros(len(y))}
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        preds["lightgbm"][test] = figure_scores(
            train_rankers(params, _dataset(X[train], y[train], w[train], qid[train]), rounds, rankers), X[test])
        lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=1.0))
        lr.fit(X[train], y[train], logisticregression__sample_weight=w[train])
        preds["logistic"][test] = lr.predict_proba(X[test])[:, 1]
    gold_q = {i for i, m in enumerate(qmeta) if m.get("source") == "gold"}
    is_gold = np.array([int(q) in gold_q for q in qid])
    out = {}
    for name, p in preds.items():
        out[name] = {"candidate_auc": round(float(roc_auc_score(y, p)), 4),
                     "silver": _question_metrics(p[~is_gold], y[~is_gold], qid[~is_gold], answerable)}
        if is_gold.any():
            out[name]["hand_written"] = _question_metrics(p[is_gold], y[is_gold], qid[is_gold], answerable)
    return out, preds["lightgbm"]


def kept_articles(articles: np.ndarray, keep: float, draw: int) -> np.ndarray:
    """Per row: is its article among the share ``keep`` drawn for ``draw``? Each article's draw is
    a hash of (draw, article), so the articles kept at 0.5 are among those kept at 0.75: a
    learning curve adds articles, it does not swap them."""
    if keep >= 1:
        return np.ones(len(articles), bool)
    # not crc32: it is linear, so two draws' crc32 values differ by a constant and can split
    # the articles identically
    u = {a: int.from_bytes(hashlib.blake2b(f"{draw}:{a}".encode(), digest_size=8).digest(), "big") / 2**64
         for a in np.unique(articles).tolist()}
    return np.array([u[a] < keep for a in articles.tolist()], bool)


def fold_draws(data: dict, qmeta: list[dict], params: dict, rounds: int, draws: int, wrong_cost: float,
               folds: int = 5, rankers: int = 1, first_draw: int = 1, keep_hand_written: float = 1.0,
               not_trained: frozenset[int] = frozenset(), judged: frozenset[int] | None = None) -> dict:
    """The hand-written questions' out-of-fold figures again, over ``draws`` shuffled fold draws
    (grouped by article, seeds ``first_draw``…``first_draw + draws − 1``): per draw the top-1
    accuracy and each answer model's best right − ``wrong_cost`` × wrong, then their mean, spread
    and range. Draws from ``first_draw`` on are ones no earlier comparison has seen: a check,
    fixed in advance, of a difference first seen on draws 1–5.

    One draw is not enough to compare two feature sets or settings: for the twentieth model the
    draw alone moved right − 2 × wrong from 1,263 to 1,316 (eval/RESULTS.md, 2026-12-02
    afternoon). A change has to beat that spread, draw for draw.

    The best threshold's right − 2 × wrong is the maximum of a noisy sweep, so each answer model
    is also given ``<kind>_band``: right − 2 × wrong averaged over the thresholds of
    ``BAND`` (every 0.02 from 0.50 to 0.80, where the shipped thresholds have always been), a
    figure that does not ride on one lucky threshold.

    ``rankers`` > 1 scores with that many rankers averaged, as a card trained with ``--rankers``
    ships (:func:`train_rankers`): a comparison is made with the scorer that would ship.

    ``keep_hand_written`` < 1 trains each fold's ranker on that share of the hand-written
    articles only (:func:`kept_articles`; silver rows are always kept; every question is still
    scored): what more hand-written questions would be worth (``python -m eval.learning_curve``).

    ``sweeps`` holds each draw's threshold sweep per answer model: with every question trained on
    and judged and one seed, the very sweeps :func:`card_draw_sweeps` computes for those draws.

    ``not_trained`` (question ids) are never trained on, and only the hand-written questions of
    ``judged`` (default: all) are scored: a batch's worth measured on the same rows and folds, with
    and without its questions, judged on the others (``python -m eval.learning_curve --added``)."""
    y, qid, groups = data["y"], data["qid"], data["article"]
    all_gold = [i for i, m in enumerate(qmeta) if m.get("source") == "gold"]
    gold_q = all_gold if judged is None else [i for i in all_gold if i in judged]
    is_gold = np.isin(qid, gold_q)
    answerable = {i: m["answer_start"] is not None for i, m in enumerate(qmeta)}
    rows, per_question, sweeps = [], {}, {}
    for draw in range(first_draw, first_draw + draws):
        trainable = (~np.isin(qid, all_gold) | kept_articles(groups, keep_hand_written, draw)) & \
            ~np.isin(qid, list(not_trained))
        p = draw_scores(data, params, rounds, draw, folds, rankers, trainable)
        row = {"draw": draw,
               "top1": _question_metrics(p[is_gold], y[is_gold], qid[is_gold], answerable)["top1_accuracy"]}
        for kind, (answer_p, a_labels, a_questions, sweep) in draw_answer_sweeps(p, data, gold_q, ANSWER_MODELS).items():
            sweeps.setdefault(draw, {})[kind] = sweep
            row[kind] = _utility(_best_row(sweep, wrong_cost), wrong_cost)
            row[f"{kind}_band"] = band_utility(sweep, wrong_cost)
            if kind == "boosted":
                _add_outcomes(per_question, p, y, qid, gold_q, a_questions, answer_p, a_labels)
        rows.append(row)
    summary = {}
    for key in ("top1", *ANSWER_MODELS, *(f"{k}_band" for k in ANSWER_MODELS)):
        values = np.array([r[key] for r in rows], dtype=float)
        summary[key] = {"mean": round(float(values.mean()), 4), "sd": round(float(values.std(ddof=1)), 4) if draws > 1 else 0.0,
                        "min": float(values.min()), "max": float(values.max())}
    return {"folds": folds, "grouped_by": "article", "rankers": rankers, "draws": rows, "summary": summary,
            "per_question": per_question, "sweeps": sweeps}


def draw_scores(data: dict, params: dict, rounds: int, draw: int, folds: int = 5, rankers: int = 1,
                trainable: np.ndarray | None = None) -> np.ndarray:
    """The ranker's out-of-fold figure scores over one fold draw: grouped by article, shuffled with
    seed ``draw``; each fold's ``rankers`` (:func:`train_rankers`) trained on the other folds' rows
    where ``trainable`` (default: all)."""
    from sklearn.model_selection import GroupKFold

    X, y, qid, groups, w = data["X"], data["y"], data["qid"], data["article"], data["weight"]
    p = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds, shuffle=True, random_state=draw).split(X, y, groups):
        train, test = np.sort(train), np.sort(test)  # rows stay grouped by question, in order
        if trainable is not None:
            train = train[trainable[train]]
        p[test] = figure_scores(train_rankers(params, _dataset(X[train], y[train], w[train], qid[train]), rounds,
                                              rankers), X[test])
    return p


def _add_outcomes(per_question: dict, p: np.ndarray, y: np.ndarray, qid: np.ndarray, questions: list[int],
                  answered: list[int], answer_p: np.ndarray, answer_right: np.ndarray) -> None:
    """One draw's outcome for each question of ``questions``, appended to its lists in
    ``per_question``: is its top-scored figure right (None when no right figure was retrieved),
    the boosted answer model's out-of-fold probability and whether answering would be right
    (None when no figure is covered). What lets two runs be compared question by question."""
    answer = {q: (round(float(a), 4), int(r)) for q, a, r in zip(answered, answer_p, answer_right)}
    for q, m in _rows_of(qid, questions):
        top = int(y[m][int(np.argmax(p[m]))] == 1) if len(m) and y[m].any() else None
        prob, right = answer.get(q, (None, None))
        out = per_question.setdefault(q, {"top1": [], "answer_p": [], "answer_right": []})
        out["top1"].append(top)
        out["answer_p"].append(prob)
        out["answer_right"].append(right)


def ranker_params(params: dict, k: int) -> dict:
    """The LightGBM params of the ``k``-th ranker of an averaged scorer: ``params`` with the seed
    moved by ``k`` (the first is ``params`` as they are). Members of the scorers of two base seeds
    are disjoint when the bases are at least the number of rankers apart."""
    return params if k == 0 else {**params, "seed": int(params["seed"]) + k}


def train_rankers(params: dict, train_set, rounds: int, rankers: int = 1) -> list:
    """``rankers`` LightGBM rankers trained alike on ``train_set`` but for their seed
    (:func:`ranker_params`): what ``qa.read.learned.figure_scores`` averages. One ranker is the
    plain model; with several, the figure scores move less with the sampling seed, which alone
    moved the shipped card's quality floors by ±3 questions (eval/RESULTS.md, 2026-12-07)."""
    import lightgbm as lgb

    if rankers < 1:
        raise ValueError(f"rankers must be at least 1, not {rankers}")
    return [lgb.train(ranker_params(params, k), train_set, rounds) for k in range(rankers)]


BAND = (0.5, 0.8)


def band_utility(sweep: list[dict], wrong_cost: float, band: tuple[float, float] = BAND) -> float:
    """Right − ``wrong_cost`` × wrong answers, averaged over the sweep's thresholds in ``band``."""
    values = [_utility(r, wrong_cost) for r in sweep if band[0] - 1e-9 <= r["threshold"] <= band[1] + 1e-9]
    return round(float(np.mean(values)), 1) if values else 0.0


def _rows_of(qid: np.ndarray, questions: list[int]):
    """(question, the indices of its candidate rows) for each of ``questions``, in that order: one
    sort of ``qid`` instead of a mask over all rows per question."""
    order = np.argsort(qid, kind="stable")
    starts = np.searchsorted(qid[order], questions)
    ends = np.searchsorted(qid[order], questions, side="right")
    for q, a, b in zip(questions, starts, ends):
        yield q, order[a:b]


def answer_rows(scores: np.ndarray, data: dict, questions: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Question-level rows for the answer model (``qa.read.answerability``): for each question
    of ``questions`` that has a covered figure, :func:`answer_row` of its best one under
    ``scores``, labelled 1 when that figure is right. Returns (rows, labels, article groups,
    the question ids that got a row)."""
    X, y, qid, art = data["X"], data["y"], data["qid"], data["article"]
    rows, labels, groups, kept = [], [], [], []
    for q, m in _rows_of(qid, questions):
        best = best_covered(scores[m], X[m]) if len(m) else None
        if best is None:
            continue
        rows.append(answer_row(scores[m], X[m], best))
        labels.append(int(y[m][best] == 1))
        groups.append(art[m][0])
        kept.append(q)
    return (np.array(rows).reshape(-1, len(ANSWER_FEATURES)), np.array(labels, np.int8), np.array(groups), kept)


def answer_model_oof(rows: np.ndarray, labels: np.ndarray, groups: np.ndarray, folds: int = 5,
                     kind: str = "logistic") -> np.ndarray:
    """Out-of-fold answer probabilities of an answer model of ``kind`` (``ANSWER_MODELS``),
    grouped by article like the figure scorer's folds."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=folds).split(rows, labels, groups):
        model = ANSWER_MODELS[kind].fit(rows[train], labels[train])
        out[test] = [model.probability(r) for r in rows[test]]
    return out


def choose_answer_model(rows: np.ndarray, labels: np.ndarray, groups: np.ndarray,
                        wrong_cost: float) -> tuple[str, dict[str, list[dict]]]:
    """(the kind of answer model to ship, each kind's out-of-fold threshold sweep): the kind whose
    best threshold gives the most right − ``wrong_cost`` × wrong answers; the logistic regression
    on a tie, as the simpler model."""
    sweeps = {kind: sweep for kind, (_, sweep) in oof_answer_sweeps(rows, labels, groups, ANSWER_MODELS).items()}
    best = max(sweeps, key=lambda k: (_utility(_best_row(sweeps[k], wrong_cost), wrong_cost), k == "logistic"))
    return best, sweeps


def answer_sweep(p: np.ndarray, labels: np.ndarray,
                 grid=tuple(round(0.02 * i, 2) for i in range(1, 50))) -> list[dict]:
    """One probability ``p`` per question and whether answering it would be right (``labels``):
    per threshold t, how many questions reach it, how many of those are right, and the share
    wrong. Used for the answer model and, through :func:`sweep_thresholds`, for the best
    figure's score."""
    rows = []
    for t in grid:
        given = p >= t
        n, right = int(given.sum()), int(np.sum(labels[given]))
        rows.append({"threshold": t, "answered": n, "top1_right": right,
                     "false_answer_rate": round(1 - right / n, 4) if n else 0.0})
    return rows


def choose_threshold(rows: list[dict], target_far: float, wrong_cost: float) -> tuple[dict, dict | None]:
    """(the shipped threshold, the lowest one meeting ``target_far``).

    The lowest threshold whose false-answer rate is at most ``target_far`` ships when it still
    answers at least a third of the questions that have a right figure; otherwise that target
    costs too many answers, and the threshold that maximises right − ``wrong_cost`` × wrong
    answers ships instead (a wrong figure costs ``wrong_cost`` times what a missing one does)."""
    ok = [r for r in rows if r["answered"] and r["false_answer_rate"] <= target_far]
    at_target = min(ok, key=lambda r: r["threshold"]) if ok else None
    best_right = max(r["top1_right"] for r in rows) or 1
    if at_target and at_target["top1_right"] >= best_right / 3:
        return at_target, at_target
    utility = max(rows, key=lambda r: (_utility(r, wrong_cost), r["threshold"]))
    return utility, at_target


def mean_sweep(sweeps: list[list[dict]]) -> list[dict]:
    """Threshold sweeps over the same grid, averaged threshold by threshold: the mean of
    ``answered`` and ``top1_right`` (the false-answer rate recomputed from them). One out-of-fold
    pass's best threshold is the fold draw's pick (0.64–0.72 for one model's rows over five
    draws, eval/RESULTS.md 2026-12-07); the mean curve's best is what the procedure can expect."""
    grids = {tuple(r["threshold"] for r in s) for s in sweeps}
    if len(grids) != 1:
        raise ValueError("threshold sweeps over different grids cannot be averaged")
    out = []
    for rows in zip(*sweeps):
        answered = float(np.mean([r["answered"] for r in rows]))
        right = float(np.mean([r["top1_right"] for r in rows]))
        out.append({"threshold": rows[0]["threshold"], "answered": round(answered, 2), "top1_right": round(right, 2),
                    "false_answer_rate": round(1 - right / answered, 4) if answered else 0.0})
    return out


def card_draw_sweeps(data: dict, questions: list[int], params: dict, rounds: int, kind: str,
                     draws: int, known: dict[int, list[dict]] | None = None, rankers: int = 1) -> list[list[dict]]:
    """The answer model of ``kind``'s out-of-fold threshold sweep on each of ``draws`` shuffled
    fold draws (seeds 1…``draws``: the card's own, not a comparison's): ranker scores out of fold
    (:func:`draw_scores`, ``rankers`` averaged), then the answer model out of fold over them, as for
    the card's pass.
    ``known`` sweeps (by draw) are taken as they are: those :func:`fold_draws` already made."""
    known = known or {}
    return [known[draw] if draw in known else
            draw_answer_sweeps(draw_scores(data, params, rounds, draw, rankers=rankers), data, questions, (kind,))[kind][3]
            for draw in range(1, draws + 1)]


def draw_answer_sweeps(p: np.ndarray, data: dict, questions: list[int], kinds
                       ) -> dict[str, tuple[np.ndarray, np.ndarray, list[int], list[dict]]]:
    """Given one draw's out-of-fold figure scores ``p``, per answer model of ``kinds``: its
    out-of-fold probabilities (:func:`answer_model_oof`) for the questions of ``questions`` that
    have a covered figure, whether answering each would be right, those questions' ids, and the
    threshold sweep. The one sequence behind both a comparison's draws (:func:`fold_draws`) and the
    card's threshold draws (:func:`card_draw_sweeps`), so the two cannot drift apart."""
    rows, labels, groups, answered = answer_rows(p, data, questions)
    return {kind: (answer_p, labels, answered, sweep)
            for kind, (answer_p, sweep) in oof_answer_sweeps(rows, labels, groups, kinds).items()}


def oof_answer_sweeps(rows: np.ndarray, labels: np.ndarray, groups: np.ndarray, kinds
                      ) -> dict[str, tuple[np.ndarray, list[dict]]]:
    """Per answer model of ``kinds``: its out-of-fold probabilities over the answer ``rows``
    (:func:`answer_model_oof`) and their threshold sweep. The one step behind the card's choice
    of answer model (:func:`choose_answer_model`) and every fold draw (:func:`draw_answer_sweeps`)."""
    out = {}
    for kind in kinds:
        answer_p = answer_model_oof(rows, labels, groups, kind=kind)
        out[kind] = (answer_p, answer_sweep(answer_p, labels))
    return out


def _utility(row: dict, wrong_cost: float) -> float:
    """Right answers minus ``wrong_cost`` × wrong ones, for one row of a threshold sweep."""
    return row["top1_right"] - wrong_cost * (row["answered"] - row["top1_right"])


def _best_row(rows: list[dict], wrong_cost: float) -> dict:
    """The row of a threshold sweep with the most right − ``wrong_cost`` × wrong answers."""
    return max(rows, key=lambda r: _utility(r, wrong_cost))
