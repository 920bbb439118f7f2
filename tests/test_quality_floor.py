"""Quality floor: the dev half's stored retrieval results, replayed through the shipped reader.

``eval/vnews_dev/replay-dev.json.gz`` holds, for each dev question, the passages retrieval
returned (article spans) and the question's e5 vector, plus the answer accuracy the reader had
when it was recorded (``python -m eval.replay record``). Only the reader runs here, over the real
VietNews evaluation corpus (built from ``../shared`` with the real model, FAISS and underthesea):
the test fails when answer accuracy falls more than 2 points below the recorded figure.
"""

from __future__ import annotations

import pytest

from eval.gold import load_gold
from eval.replay import DEFAULT_GOLD, DEFAULT_REPLAY, FLOOR_MARGIN, load, open_vnews_service, replay_accuracy
from qa.ingest.vietnews import VIETNEWS_TEST


@pytest.fixture(scope="module")
def vnews_service():
    if not VIETNEWS_TEST.is_file():
        pytest.fail(f"VietNews is missing at {VIETNEWS_TEST}: the quality floor needs ../shared beside the project")
    # .cache/vnews_dev/index: built once (about two minutes on two cores), reused by later runs
    return open_vnews_service(log=lambda *a: None)


def test_dev_half_answer_accuracy_does_not_drop(vnews_service):
    data = load(DEFAULT_REPLAY)
    assert data["reader"] == vnews_service.reader.name
    got = replay_accuracy(vnews_service, load_gold(DEFAULT_GOLD), data)
    floor = data["answer_accuracy"] - FLOOR_MARGIN
    assert got["answer_accuracy"] >= floor, (got, data["answer_accuracy"])
