"""``vnqa train-reader`` without hand-written questions: it must not replace a servable model."""

from __future__ import annotations

import argparse

import numpy as np

from qa.read import training
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
