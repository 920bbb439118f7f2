"""``vnqa train-reader`` without hand-written questions: it must not replace a servable model."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import numpy as np
import pytest

from qa.read import fitting, training
from qa.read.features import FEATURES


def _silver_rows(questions: int = 60, figures: int = 6, seed: int = 0):
    """Feature rows shaped like featurise()'s: one right figure per question, findable by column 0."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(questions * figures, len(FEATURES))).astype(np.float32)
    y = np.zeros(questions * figures, np.int8)
    for q in range(questions):
        right = q * figures + q % figures
        X[right, 0] += 3.0
        y[right] = 1
    data = {"X": X, "y": y, "qid": np.repeat(np.arange(questions, dtype=np.int32), figures),
            "article": np.repeat(np.arange(questions, dtype=np.int64) // 5, figures)}
    meta = [{"source": "silver", "question": f"q{q}", "answer_start": 0, "variant": "clause", "reachable": True}
            for q in range(questions)]
    return data, meta


def test_silver_only_cross_validates_and_writes_no_model(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(training, "build_dataset", lambda *a, **k: _silver_rows())
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    out = tmp_path / "models"
    args = parser.parse_args(["--silver-only", "--work", str(tmp_path / "work"), "--out", str(out), "--rounds", "5"])
    assert training.train(args) == 0
    printed = capsys.readouterr().out
    assert "CV lightgbm" in printed and "nothing written" in printed
    assert not out.exists() or not any(out.iterdir())


def test_fold_draws_repeat_the_out_of_fold_figures_and_summarise_their_spread():
    data, meta = _silver_rows(questions=100)
    for m in meta[:60]:
        m["source"] = "gold"  # hand-written questions are the ones the draws measure
    for m in meta[50:60]:
        m["answer_start"] = None  # ten unanswerable ones: their right figure is a wrong answer
    for q in range(50, 60):
        data["y"][data["qid"] == q] = 0
    data["X"][data["y"] == 1, 0] += 10.0  # unmistakable, whatever the noise columns say
    data["weight"] = np.ones(len(data["y"]))
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    out = fitting.fold_draws(data, meta, params, rounds=20, draws=3, wrong_cost=2.0)
    assert [r["draw"] for r in out["draws"]] == [1, 2, 3]
    # the right figure stands out in column 0, so out of fold it is on top for every answerable
    # hand-written question; a misplaced out-of-fold score would show here
    assert all(r["top1"] == 1.0 for r in out["draws"])
    for kind in ("logistic", "boosted"):
        assert all(r[kind] <= 50 for r in out["draws"])  # at best the 50 answerable ones, none wrong
        assert out["summary"][kind]["mean"] == round(float(np.mean([r[kind] for r in out["draws"]])), 4)
        assert out["summary"][kind]["min"] <= out["summary"][kind]["mean"] <= out["summary"][kind]["max"]
        # the band's average never beats the best threshold's figure
        assert all(r[f"{kind}_band"] <= r[kind] for r in out["draws"])
        assert f"{kind}_band" in out["summary"]


def test_fold_draws_can_average_rankers():
    data, meta = _silver_rows(questions=60)
    for m in meta:
        m["source"] = "gold"
    data["X"][data["y"] == 1, 0] += 10.0
    data["weight"] = np.ones(len(data["y"]))
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    one = fitting.fold_draws(data, meta, params, rounds=10, draws=1, wrong_cost=2.0)
    two = fitting.fold_draws(data, meta, params, rounds=10, draws=1, wrong_cost=2.0, rankers=2)
    assert (one["rankers"], two["rankers"]) == (1, 2)
    assert one["draws"][0]["top1"] == two["draws"][0]["top1"] == 1.0


def test_averaged_rankers_differ_by_their_seed_alone_and_their_raw_scores_are_averaged():
    import lightgbm as lgb
    from qa.read.learned import figure_scores

    data, _ = _silver_rows(questions=60)
    X, y, qid = data["X"], data["y"], data["qid"]
    ds = lambda: fitting._dataset(X, y, np.ones(len(y)), qid)  # noqa: E731 (LightGBM binds a dataset to its first booster)
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    boosters = fitting.train_rankers(params, ds(), 10, 3)
    assert [fitting.ranker_params(params, k)["seed"] for k in range(3)] == [13, 14, 15]
    assert fitting.ranker_params(params, 0) is params  # one ranker is the plain model
    raw = [b.predict(X, raw_score=True) for b in boosters]
    assert not np.allclose(raw[0], raw[1])  # bagging and feature sampling follow the seed
    assert np.allclose(raw[0], lgb.train(params, ds(), 10).predict(X, raw_score=True))
    assert np.allclose(raw[2], lgb.train({**params, "seed": 15}, ds(), 10).predict(X, raw_score=True))
    assert np.allclose(figure_scores(boosters, X), 1 / (1 + np.exp(-np.mean(raw, axis=0))))
    assert np.allclose(figure_scores(boosters[0], X), figure_scores(boosters[:1], X))
    with pytest.raises(ValueError, match="at least 1"):
        fitting.train_rankers(params, ds(), 10, 0)


def test_train_reader_writes_one_file_per_ranker_and_a_card_naming_them(tmp_path, monkeypatch):
    """``--rankers 2`` writes two ranker files and a card naming both; a later one-ranker card in
    the same folder leaves no file of the earlier one behind (the service would not read it, but a
    folder should say what its card says)."""
    from qa.read.learned import MODEL_FILE, load_card, ranker_files

    silver, gold = _silver_and_hand_written()
    for q, m in enumerate(gold[1]):
        m["answer_start"] = None if q % 6 == 0 else 0
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    work, out = tmp_path / "work", tmp_path / "models"
    work.mkdir()
    common = ["--work", str(work), "--out", str(out), "--rounds", "5", "--reuse-features", "--threshold-draws", "1"]
    args = parser.parse_args([*common, "--rankers", "2"])
    training._keep(work, args, silver, gold)
    assert training.train(args) == 0
    card = load_card(out)
    assert card["rankers"] == 2 and ranker_files(card) == [MODEL_FILE, "reader.2.lgb.txt"]
    assert (out / "reader.2.lgb.txt").is_file()
    assert training.train(parser.parse_args(common)) == 0
    card = load_card(out)
    assert "rankers" not in card and ranker_files(card) == [MODEL_FILE]
    assert not (out / "reader.2.lgb.txt").exists()
    # refused before any rows are read or built (building them takes minutes)
    monkeypatch.setattr(training, "build_dataset", lambda *a, **k: pytest.fail("rows built for --rankers 0"))
    monkeypatch.setattr(training, "_reuse", lambda *a, **k: pytest.fail("rows read for --rankers 0"))
    with pytest.raises(SystemExit, match="at least 1"):
        training.train(parser.parse_args([*common, "--rankers", "0"]))


def test_band_utility_averages_the_band_only():
    sweep = [{"threshold": t, "answered": 10, "top1_right": right}
             for t, right in ((0.48, 10), (0.5, 9), (0.66, 8), (0.8, 7), (0.82, 10))]
    # 9 − 2, 8 − 4, 7 − 6: the thresholds outside 0.50–0.80 do not count
    assert fitting.band_utility(sweep, 2.0) == round((7 + 4 + 1) / 3, 1)
    assert fitting.band_utility([], 2.0) == 0.0


def test_rows_fingerprint_follows_every_value_and_its_order():
    """Two row builds with the same questions can differ in their values (another machine):
    the card's ``rows_sha256`` must tell them apart, and must not change when nothing did."""
    data, _ = _silver_rows()
    data["weight"] = np.ones(len(data["y"]))
    same = {k: v.copy() for k, v in data.items()}
    assert training.rows_fingerprint(data) == training.rows_fingerprint(same)
    nudged = {k: v.copy() for k, v in data.items()}
    nudged["X"][7, 3] = np.nextafter(nudged["X"][7, 3], np.float32(np.inf))  # one ulp of one value
    assert training.rows_fingerprint(nudged) != training.rows_fingerprint(data)
    relabelled = {k: v.copy() for k, v in data.items()}
    relabelled["y"][[0, 1]] = relabelled["y"][[1, 0]]
    assert training.rows_fingerprint(relabelled) != training.rows_fingerprint(data)
    reweighted = {k: v.copy() for k, v in data.items()}
    reweighted["weight"][0] = 50.0
    assert training.rows_fingerprint(reweighted) != training.rows_fingerprint(data)


def test_environment_names_the_libraries_rows_depend_on():
    env = training.environment()
    for package in ("python", "underthesea", "bm25s", "faiss-cpu", "onnxruntime", "numpy", "lightgbm"):
        assert env[package], package  # all installed here: a None would mean a misspelt name
    assert env["int8_arithmetic"] in ("vnni", "saturating", "other")  # which vectors the encoder gives here


def test_fold_draws_can_start_at_a_later_draw():
    """Draws 6–10 are other fold splits than 1–5, and draw 6 is the same whichever run reaches it."""
    data, meta = _silver_rows(questions=60)
    for m in meta:
        m["source"] = "gold"
    data["weight"] = np.ones(len(data["y"]))
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    early = fitting.fold_draws(data, meta, params, rounds=5, draws=6, wrong_cost=2.0)
    late = fitting.fold_draws(data, meta, params, rounds=5, draws=2, wrong_cost=2.0, first_draw=6)
    assert [r["draw"] for r in late["draws"]] == [6, 7]
    assert late["draws"][0] == early["draws"][5]


def test_rows_and_retrieval_caches_are_keyed_by_the_retrieval_settings(monkeypatch):
    """Rows retrieved under other fusion weights are other rows: neither ``--reuse-features`` nor
    the retrieval cache may hand them back after the service's retrieval settings change."""
    from qa.retrieve import retriever as retriever_module
    from qa.retrieve.fusion import UNACCENTED_DENSE_WEIGHT

    p = argparse.ArgumentParser()
    training.add_arguments(p)
    args = p.parse_args([])
    shipped = training._rows_key(args)
    assert f'"dense_weight_unaccented": {UNACCENTED_DENSE_WEIGHT}' in shipped
    other = retriever_module.RetrievalOptions(dense_weight_unaccented=UNACCENTED_DENSE_WEIGHT + 0.25)
    monkeypatch.setattr(retriever_module, "RetrievalOptions", lambda: other)
    assert training._rows_key(args) != shipped
    assert training._retrieval_settings()["dense_weight_unaccented"] == UNACCENTED_DENSE_WEIGHT + 0.25


def _rows_saved(work):
    """train-reader's default arguments, with a one-row set of rows saved under them in ``work``."""
    p = argparse.ArgumentParser()
    training.add_arguments(p)
    args = p.parse_args([])
    training._keep(work, args, ({"X": np.zeros((1, 1))}, [{"question": "q"}]), None)
    return args


def test_saved_rows_are_not_reused_after_the_feature_code_changes(tmp_path, monkeypatch):
    """A feature whose meaning changes under its old name gives other rows: ``--reuse-features``
    must not hand back rows saved by the old code."""
    code = tmp_path / "features.py"
    code.write_text("SLOT = 2\n", encoding="utf-8")
    monkeypatch.setattr(training, "_ROW_SOURCES", (code,))
    args = _rows_saved(tmp_path)
    assert training._reuse(tmp_path, args) is not None  # same code: reused
    code.write_text("SLOT = 3\n", encoding="utf-8")
    assert training._reuse(tmp_path, args) is None


def test_saved_rows_outlive_a_change_of_the_code_that_only_fits_them(tmp_path, monkeypatch):
    """Changing how rows are fitted or thresholded (``qa/read/fitting.py``, the answer model) keeps
    the saved rows; changing any other file of the folder does not."""
    folder = tmp_path / "read"
    folder.mkdir()
    for name in ("features.py", "fitting.py", "answerability.py"):
        (folder / name).write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(training, "_ROW_SOURCES", (folder,))
    args = _rows_saved(tmp_path)
    for name in ("fitting.py", "answerability.py"):
        (folder / name).write_text("A = 2\n", encoding="utf-8")
        assert training._reuse(tmp_path, args) is not None
    (folder / "features.py").write_text("A = 2\n", encoding="utf-8")
    assert training._reuse(tmp_path, args) is None


def test_the_files_left_out_of_the_rows_key_are_the_project_s():
    # a renamed file would join the key again without a word, and every retrain would rebuild rows
    read = training.PROJECT_ROOT / "qa" / "read"
    assert all((read / name).is_file() for name in training._NOT_ROW_CODE)


def test_cached_retrieval_and_saved_rows_are_not_reused_after_the_query_code_changes(tmp_path, monkeypatch):
    """How a query is tokenised decides the passages: results cached, and rows saved, under
    another version of ``qa/retrieve`` or ``qa/index/bm25.py`` are other results."""
    code = tmp_path / "bm25.py"
    code.write_text("DROP = {'vay'}\n", encoding="utf-8")
    monkeypatch.setattr(training, "_RETRIEVAL_SOURCES", (code,))
    args = _rows_saved(tmp_path)
    before = training._code_digest(training._RETRIEVAL_SOURCES)
    assert training._reuse(tmp_path, args) is not None
    code.write_text("DROP = set()\n", encoding="utf-8")
    assert training._code_digest(training._RETRIEVAL_SOURCES) != before  # the retrieval cache's key moves
    assert training._reuse(tmp_path, args) is None


def test_kept_articles_are_nested_shares_of_the_articles():
    """A learning curve adds articles as the share grows; it never swaps one for another."""
    articles = np.repeat(np.arange(1000, dtype=np.int64), 3)  # three rows an article
    half, most = fitting.kept_articles(articles, 0.5, draw=1), fitting.kept_articles(articles, 0.75, draw=1)
    assert not (half & ~most).any()  # every article kept at 0.5 is kept at 0.75
    assert abs(half.reshape(-1, 3)[:, 0].mean() - 0.5) < 0.06 and abs(most.mean() - 0.75) < 0.06
    assert (half.reshape(-1, 3) == half.reshape(-1, 3)[:, :1]).all()  # an article's rows go together
    assert fitting.kept_articles(articles, 1.0, draw=1).all()
    assert (fitting.kept_articles(articles, 0.5, draw=2) != half).any()  # another draw, other articles


def _silver_and_hand_written(questions: int = 60):
    silver = _silver_rows(questions)
    gold = _silver_rows(questions, seed=1)
    gold[0]["article"] = gold[0]["article"] + 1000
    for m in gold[1]:
        m["source"] = "gold"
    return silver, gold


def test_fold_draws_keeping_a_share_of_hand_written_articles(monkeypatch):
    """Every fold trains on all silver rows and on the kept hand-written articles only; with
    everything kept, the draws are the usual ones."""
    silver, gold = _silver_and_hand_written()
    data, meta = training._merge(silver, gold, 50.0)
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    usual = fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0)
    assert fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0, keep_hand_written=1.0) == usual
    weights_seen = []
    real_dataset = fitting._dataset
    monkeypatch.setattr(fitting, "_dataset", lambda X, y, w, q, *a: weights_seen.append(w) or real_dataset(X, y, w, q, *a))
    fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0, keep_hand_written=0.3)
    for w in weights_seen:  # silver rows weigh 1, hand-written ones 50
        assert (w == 1).sum() == pytest.approx(len(silver[0]["y"]) * 4 / 5, rel=0.25)
        assert 0 < (w == 50).sum() < 0.5 * len(gold[0]["y"]) * 4 / 5


def test_fold_draws_leave_out_questions_and_judge_the_others(monkeypatch):
    """A batch's worth: its questions' rows are trained on by no fold when ``not_trained``, and
    only the ``judged`` questions count (top-1 over them alone)."""
    silver, gold = _silver_and_hand_written()
    data, meta = training._merge(silver, gold, 50.0)
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    gold_q = [i for i, m in enumerate(meta) if m["source"] == "gold"]
    added, judged = frozenset(gold_q[:20]), frozenset(gold_q[20:])
    usual = fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0)
    assert fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0,
                               judged=frozenset(gold_q)) == usual
    questions_trained = []
    real_dataset = fitting._dataset
    monkeypatch.setattr(fitting, "_dataset",
                        lambda X, y, w, q, *a: questions_trained.append(set(q.tolist())) or real_dataset(X, y, w, q, *a))
    fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0, not_trained=added, judged=judged)
    assert len(questions_trained) == 5
    assert all(not (seen & added) and seen & judged for seen in questions_trained)
    # scored over the judged questions only: with a scorer that reads column 0, the added
    # questions (and ten judged ones), whose right figure is made last there, are all wrong
    hard = np.isin(data["qid"], gold_q[:30]) & (data["y"] == 1)
    data["X"][hard, 0] -= 10.0
    column_0 = SimpleNamespace(predict=lambda X, **kw: X[:, 0])
    monkeypatch.setattr(fitting, "train_rankers", lambda params, ds, rounds, rankers: [column_0])
    top1 = {name: fitting.fold_draws(data, meta, params, rounds=5, draws=1, wrong_cost=2.0, judged=j)["draws"][0]["top1"]
            for name, j in (("all", None), ("judged", judged))}
    assert top1["all"] <= 30 / 60 < 0.6 <= top1["judged"]  # at most 30 of 60 right, but up to 30 of 40


def test_learning_curve_measures_added_questions_paired_on_the_same_draws(tmp_path, monkeypatch, capsys):
    from eval import learning_curve

    silver, gold = _silver_and_hand_written()
    for q, m in enumerate(gold[1]):
        m["id"] = f"Y{q:03d}" if q < 20 else f"D{q:03d}"
    added = tmp_path / "train22.jsonl"
    added.write_text("".join(f'{{"id": "Y{q:03d}"}}\n' for q in range(20)), encoding="utf-8")
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    training._keep(tmp_path, parser.parse_args([]), silver, gold)
    monkeypatch.setattr(training, "LGB_ROUNDS", 5)
    assert learning_curve.main(["--work", str(tmp_path), "--added", str(added), "--draws", "2"]) == 0
    table = capsys.readouterr().out
    assert "20 added questions; 40 judged" in table
    assert "| without the added questions |" in table and "| paired, with − without |" in table
    added.write_text('{"id": "Z999"}\n', encoding="utf-8")  # not in the rows: refused, not measured as nothing
    assert learning_curve.main(["--work", str(tmp_path), "--added", str(added)]) == 2


def test_learning_curve_reads_train_reader_s_rows_and_refuses_other_code_s(tmp_path, monkeypatch, capsys):
    from eval import learning_curve

    silver, gold = _silver_and_hand_written()
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    training._keep(tmp_path, parser.parse_args([]), silver, gold)
    monkeypatch.setattr(training, "LGB_ROUNDS", 5)
    assert learning_curve.main(["--work", str(tmp_path), "--keep", "0.5", "1", "--draws", "2"]) == 0
    table = capsys.readouterr().out
    assert "| 50% |" in table and "| 100% |" in table
    monkeypatch.setattr(training, "_row_code_digest", lambda: "other code")
    assert learning_curve.main(["--work", str(tmp_path)]) == 2
    assert "run `vnqa train-reader" in capsys.readouterr().err


def test_fold_draws_keep_each_questions_outcome_and_they_add_up_to_the_draws_figures():
    data, meta = _silver_rows(questions=80)
    for m in meta[:60]:
        m["source"] = "gold"
    for m in meta[50:60]:
        m["answer_start"] = None
    for q in range(50, 60):
        data["y"][data["qid"] == q] = 0
    data["weight"] = np.ones(len(data["y"]))  # no column stands out: some questions go wrong
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    out = fitting.fold_draws(data, meta, params, rounds=10, draws=2, wrong_cost=2.0)
    per_question = out["per_question"]
    assert set(per_question) == set(range(60))  # the hand-written questions, not the silver ones
    for k, draw in enumerate(out["draws"]):
        tops = [o["top1"][k] for q, o in per_question.items() if meta[q]["answer_start"] is not None]
        known = [t for t in tops if t is not None]
        assert 0 < sum(known) < len(known)  # some right, some wrong: the check below can fail
        assert round(sum(known) / len(known), 4) == draw["top1"]
    # the unanswerable ones never have a right top figure, and answering them is never right
    for q in range(50, 60):
        assert per_question[q]["top1"] == [None, None]
        assert all(r in (0, None) for r in per_question[q]["answer_right"])


def test_a_question_s_row_digest_changes_only_when_its_own_rows_change():
    data, _ = _silver_rows(questions=6)
    before = training.question_row_digests(data, list(range(6)))
    assert len(set(before.values())) == 6
    changed = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in data.items()}
    changed["X"][np.flatnonzero(changed["qid"] == 2)[0], 0] += 1.0  # one feature of one of its figures
    changed["y"][np.flatnonzero(changed["qid"] == 4)] = 0  # its right figure no longer right
    after = training.question_row_digests(changed, list(range(6)))
    assert [q for q in range(6) if before[q] != after[q]] == [2, 4]


def test_rows_are_saved_under_the_code_the_run_started_with(tmp_path, monkeypatch):
    """Featurising takes half an hour: a feature edited meanwhile is not in the rows this run
    makes, so a later ``--reuse-features`` under the edited code must featurise again."""
    code = tmp_path / "features.py"
    code.write_text("SLOT = 2\n", encoding="utf-8")
    monkeypatch.setattr(training, "_ROW_SOURCES", (code,))

    def edited_while_featurising(*a, **k):
        code.write_text("SLOT = 3\n", encoding="utf-8")
        return _silver_rows()

    monkeypatch.setattr(training, "build_dataset", edited_while_featurising)
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    args = parser.parse_args(["--silver-only", "--work", str(tmp_path / "work"), "--out", str(tmp_path / "m"),
                              "--rounds", "5"])
    assert training.train(args) == 0
    assert training._reuse(tmp_path / "work", args) is None  # saved under SLOT = 2, asked under SLOT = 3
    code.write_text("SLOT = 2\n", encoding="utf-8")
    assert training._reuse(tmp_path / "work", args) is not None


def test_the_rows_key_is_the_same_in_another_checkout(tmp_path, monkeypatch):
    """Rows saved by a worktree of the same code and questions are the same rows: the key names
    the hand-written sets relative to the project, not by where the checkout lies."""
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    keys = []
    for checkout in ("main", "wt-branch"):
        root = tmp_path / checkout
        monkeypatch.setattr(training, "PROJECT_ROOT", root)
        args = parser.parse_args(["--gold", str(root / "eval" / "train1.jsonl"), str(root / "eval" / "articles1.json")])
        keys.append(training._rows_key(args))
    assert keys[0] == keys[1] and str(tmp_path) not in keys[0]
    outside = parser.parse_args(["--gold", str(tmp_path / "elsewhere.jsonl"), str(tmp_path / "a.json")])
    assert training._rows_key(outside) != keys[1]  # other questions: another key


def test_mean_sweep_averages_the_counts_threshold_by_threshold():
    a = [{"threshold": 0.6, "answered": 10, "top1_right": 8}, {"threshold": 0.7, "answered": 6, "top1_right": 6}]
    b = [{"threshold": 0.6, "answered": 12, "top1_right": 7}, {"threshold": 0.7, "answered": 8, "top1_right": 6}]
    mean = fitting.mean_sweep([a, b])
    assert [(r["threshold"], r["answered"], r["top1_right"]) for r in mean] == [(0.6, 11, 7.5), (0.7, 7, 6)]
    assert mean[0]["false_answer_rate"] == round(1 - 7.5 / 11, 4)
    with pytest.raises(ValueError):
        fitting.mean_sweep([a, b[:1]])


def test_the_threshold_of_the_mean_curve_need_not_be_either_draw_s_best():
    # draw a is best at 0.64 (by 1), draw b at 0.70 (by 1); the mean curve is best at 0.66 — the
    # threshold a procedure can expect, where a single draw's pick swings with the draw
    def sweep(utility):
        return [{"threshold": t, "answered": 100, "top1_right": (u + 200) / 3} for t, u in utility.items()]
    a = sweep({0.64: 40, 0.66: 39, 0.68: 30, 0.70: 20})
    b = sweep({0.64: 20, 0.66: 37, 0.68: 30, 0.70: 38})
    assert fitting._best_row(a, 2.0)["threshold"] == 0.64 and fitting._best_row(b, 2.0)["threshold"] == 0.70
    best, _ = fitting.choose_threshold(fitting.mean_sweep([a, b]), 0.0, 2.0)
    assert best["threshold"] == 0.66


def test_card_draw_sweeps_are_the_card_s_own_draws_one_curve_each():
    data, meta = _silver_rows(questions=80)
    data["weight"] = np.ones(len(data["y"]))
    questions = list(range(80))
    params = {**training.LGB_PARAMS, "num_threads": 1, "min_child_samples": 5}
    sweeps = fitting.card_draw_sweeps(data, questions, params, 10, "logistic", draws=2)
    again = fitting.card_draw_sweeps(data, questions, params, 10, "logistic", draws=2)
    assert len(sweeps) == 2 and sweeps == again  # seeded: the same rows give the same threshold
    assert [r["threshold"] for r in sweeps[0]] == [r["threshold"] for r in fitting.answer_sweep(np.zeros(1), np.zeros(1))]
    # the draws are other fold splits than the card's unshuffled pass, with other out-of-fold scores
    assert fitting.draw_scores(data, params, 10, 1).tolist() != fitting.draw_scores(data, params, 10, 2).tolist()


def test_the_card_s_threshold_draws_reuse_the_fold_draws_the_run_already_made(tmp_path, monkeypatch):
    """With ``--draws``, the card's threshold draws that the fold draws cover are not computed
    twice, and the card comes out the same as without ``--draws``."""
    silver, gold = _silver_and_hand_written()
    for q, m in enumerate(gold[1]):
        m["answer_start"] = None if q % 6 == 0 else 0  # some unanswerable ones for the answer model
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    real = fitting.draw_scores
    drawn: list[int] = []
    monkeypatch.setattr(fitting, "draw_scores", lambda data, params, rounds, draw, *a, **k:
                        drawn.append(draw) or real(data, params, rounds, draw, *a, **k))
    cards = {}
    for name, extra in (("alone", []), ("with-draws", ["--draws", "3"])):
        work, out = tmp_path / name / "work", tmp_path / name / "models"
        args = parser.parse_args(["--work", str(work), "--out", str(out), "--rounds", "5", "--reuse-features",
                                  "--threshold-draws", "2", *extra])
        work.mkdir(parents=True)
        training._keep(work, args, silver, gold)
        drawn.clear()
        assert training.train(args) == 0
        cards[name] = json.loads((out / "reader.json").read_text(encoding="utf-8"))["threshold_draws"], list(drawn)
    assert cards["alone"][1] == [1, 2]
    assert cards["with-draws"][1] == [1, 2, 3]  # draws 1 and 2 once, for both uses
    assert cards["with-draws"][0] == cards["alone"][0]
