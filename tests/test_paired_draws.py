"""eval.paired_draws: the bars applied as the rules state them, and the tool end to end on small rows."""

from __future__ import annotations

import argparse

import pytest

from eval import paired_draws
from eval.paired_draws import ArmResult, verdict
from qa.read import training
from tests.test_train_reader import _silver_and_hand_written


def _arm(name, band, top1=0.80):
    return ArmResult(name, band, [top1] * len(band), 0.0)


# the session's own figures (eval/RESULTS.md, 2026-12-06 evening): main's rows against the
# hand-written questions alone, on draws 101-105 and on 106-110
BASE_101 = [2057.6, 2014.4, 2028.9, 2030.6, 2073.7]
ALONE_101 = [2065.8, 2034.8, 2039.1, 2048.1, 2053.9]
BASE_106 = [2059.4, 2043.7, 2020.8, 2052.3, 2026.2]
ALONE_106 = [2011.5, 2013.9, 2016.8, 2023.7, 2031.0]


@pytest.mark.parametrize("base, arm, top1, neutral, improvement", [
    (BASE_101, ALONE_101, 0.8083, True, False),  # +7.3 paired, bar 14.3: neutral, not an improvement
    (BASE_106, ALONE_106, 0.8049, False, False),  # 2,019.4 against the neutral bar 2,033.1
    (BASE_106, [b + 30 + k for k, b in enumerate(BASE_106)], 0.8063, True, True),  # steady +30
    (BASE_106, BASE_106, 0.8030, False, False),  # the same band, but top-1 0.0033 lower
])
def test_the_bars_are_the_rules(base, arm, top1, neutral, improvement):
    v = verdict(_arm("base", base, 0.8063), _arm("arm", arm, top1))
    assert (v["neutral"], v["improvement"]) == (neutral, improvement)


def test_the_neutral_bar_is_the_base_mean_less_its_standard_error():
    v = verdict(_arm("base", BASE_106), _arm("arm", ALONE_106))
    assert v["neutral_bar"] == pytest.approx(2033.07, abs=0.01)
    assert v["paired_mean"] == pytest.approx(-21.1, abs=0.01)


def test_two_saved_row_sets_compared_end_to_end(tmp_path, monkeypatch, capsys):
    parser = argparse.ArgumentParser()
    training.add_arguments(parser)
    for name in ("a", "b"):
        silver, gold = _silver_and_hand_written()
        for q, m in enumerate(gold[1]):
            m["answer_start"] = None if q % 6 == 0 else 0  # some unanswerable ones for the answer model
        if name == "b":
            gold[0]["X"][:, 1] += gold[0]["y"]  # another version of the features: column 1 tells too
        (tmp_path / name).mkdir()
        training._keep(tmp_path / name, parser.parse_args([]), silver, gold)
    monkeypatch.setattr(training, "LGB_ROUNDS", 5)
    assert paired_draws.main(["--first-draw", "3", "--draws", "2", "--without-silver", "alone",
                              f"base={tmp_path / 'a' / 'rows.pkl'}", f"change={tmp_path / 'b' / 'rows.pkl'}",
                              f"alone={tmp_path / 'a' / 'rows.pkl'}"]) == 0
    out = capsys.readouterr().out
    assert "| boosted band | 3 | 4 | mean ± sd | top-1 |" in out
    assert "| paired, change − base |" in out and "| paired, alone − base |" in out
    assert "change: neutral bar" in out and "alone: neutral bar" in out


@pytest.mark.parametrize("argv", [
    ["--first-draw", "1", "base=x.pkl"],  # one arm: nothing to compare
    ["--first-draw", "1", "base=x.pkl", "base=y.pkl"],  # the same name twice
    ["--first-draw", "1", "--without-silver", "c", "a=x.pkl", "b=y.pkl"],  # no arm c
    ["--first-draw", "1", "a=/nonexistent/rows.pkl", "b=/nonexistent/rows.pkl"],
    ["a=x.pkl", "b=y.pkl"],  # no --first-draw: the draws must be chosen, not defaulted
])
def test_bad_arguments_are_refused_with_a_message(argv, capsys):
    with pytest.raises(SystemExit) as e:
        paired_draws.main(argv)
    assert e.value.code == 2 and "error:" in capsys.readouterr().err
