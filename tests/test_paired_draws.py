"""eval.paired_draws: the bars applied as the rules state them, and the tool end to end on small rows."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from eval import paired_draws
from eval.paired_draws import ArmResult, CodeVersion, SavedArm, saved_from_json, saved_to_json, verdict
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


# ---- arms saved by --save and compared in another process -------------------------------------

COMMIT_A = "6fd2526" + "a" * 33
COMMIT_B = "ce413be" + "b" * 33
BASE_BAND = [2000.0, 2010.0, 2020.0, 2030.0, 2040.0]
STEPS = [5.0, -3.0, 10.0, 0.0, 2.5]  # the change's band less the base's, draw by draw


def _saved_dict(name, band, top1=0.80, first_draw=126, commit=COMMIT_A, dirty=False, **over):
    """A saved arm's JSON written out by hand, so these tests hold the file format, not just a round trip."""
    d = {"name": name, "band": band, "top1": [top1] * len(band), "seconds": 600.0, "first_draw": first_draw,
         "draws": len(band), "rows": "/tmp/w/rows.pkl", "rows_sha256": "0" * 64, "commit": commit, "dirty": dirty,
         "without_silver": False}
    return {**d, **over}


def _write(path, d):
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def _two_saved(tmp_path, base=None, mono=None):
    base = _write(tmp_path / "base.json", _saved_dict("arm", BASE_BAND, **(base or {})))
    mono = _write(tmp_path / "mono.json", _saved_dict("arm", [b + s for b, s in zip(BASE_BAND, STEPS)], top1=0.81,
                                                      **(mono or {})))
    return base, mono


@pytest.fixture
def no_training(monkeypatch):
    """Loading saved arms must not train: any call to run_arm fails the test."""
    def refuse(*a, **k):
        raise AssertionError("run_arm called for a saved arm")
    monkeypatch.setattr(paired_draws, "run_arm", refuse)


@pytest.mark.parametrize("saved", [
    SavedArm(ArmResult("base", [2057.6, 2014.4], [0.8083, 0.8049], 612.25), 126, 2, "/tmp/w/rows.pkl", "ab" * 32,
             CodeVersion(COMMIT_A, False), False),
    SavedArm(ArmResult("alone", [2011.5, 2013.9, 0.1 + 0.2], [0.81, 0.80, 1 / 3], 0.0), 3, 3, "rows.pkl", "cd" * 32,
             CodeVersion(COMMIT_B, True), True),
    SavedArm(ArmResult("x", [1.0, -2.0], [0.5, 0.5], 1.5), 1, 2, "r.pkl", "0" * 64, CodeVersion(None, None), False),
    SavedArm(ArmResult("three", [1.0, 2.0], [0.5, 0.5], 1.5), 1, 2, "r.pkl", "0" * 64, CodeVersion(None, None), False, 3),
    SavedArm(ArmResult("null", [1.0, 2.0], [0.5, 0.5], 1.5), 1, 2, "r.pkl", "0" * 64, CodeVersion(None, None), False, 1,
             14),
])
def test_a_saved_arm_reads_back_as_written(saved):
    text = saved_to_json(saved)
    assert saved_from_json(text) == saved  # floats exactly, not rounded
    assert set(json.loads(text)) == {"name", "band", "top1", "seconds", "first_draw", "draws", "rows", "rows_sha256",
                                     "commit", "dirty", "without_silver", "rankers", "seed"}


def test_an_arm_saved_before_rankers_were_recorded_ran_one():
    saved = SavedArm(ArmResult("base", [1.0, 2.0], [0.5, 0.5], 1.5), 1, 2, "r.pkl", "0" * 64, CodeVersion(None, None),
                     False, 3)
    old = {k: v for k, v in json.loads(saved_to_json(saved)).items() if k not in ("rankers", "seed")}
    assert saved_from_json(json.dumps(old)).rankers == 1
    assert saved_from_json(json.dumps(old)).seed is None  # not known, not guessed


@pytest.mark.parametrize("text, message", [
    ("{", "not JSON"),
    ("[]", "not a saved arm"),
    (json.dumps({k: v for k, v in _saved_dict("a", BASE_BAND).items() if k != "commit"}), "missing commit"),
    (json.dumps(_saved_dict("a", BASE_BAND, draws=4)), "5 bands and 5 top-1s for 4 draws"),
    (json.dumps({**_saved_dict("a", BASE_BAND), "band": None}), "not a saved arm"),
])
def test_what_is_not_a_saved_arm_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        saved_from_json(text)


def test_two_saved_arms_compared_without_training(tmp_path, no_training, capsys):
    base, mono = _two_saved(tmp_path)  # both saved under the name "arm"
    assert paired_draws.main(["--first-draw", "126", f"base={base}", f"mono={mono}"]) == 0
    out = capsys.readouterr().out
    assert "| boosted band | 126 | 127 | 128 | 129 | 130 | mean ± sd | top-1 |" in out
    assert "| base | 2,000.0 |" in out and "| mono | 2,005.0 |" in out and "| arm |" not in out
    assert "| paired, mono − base | +5.0 | -3.0 | +10.0 | +0.0 | +2.5 | +2.9 | +0.0100 |" in out
    assert "mono: neutral bar 2,012.9 → neutral or better; improvement bar 4.4 → no improvement" in out
    assert "seconds per arm: base 600, mono 600" in out


@pytest.mark.parametrize("argv_draws, recorded", [
    (["--first-draw", "131"], "was recorded on draws 126–130 (--first-draw 126 --draws 5), not on this run's 131–135"),
    (["--first-draw", "126", "--draws", "3"], "was recorded on draws 126–130 (--first-draw 126 --draws 5), "
                                              "not on this run's 126–128"),
])
def test_a_saved_arm_on_other_draws_is_refused(tmp_path, no_training, capsys, argv_draws, recorded):
    base, mono = _two_saved(tmp_path)
    with pytest.raises(SystemExit) as e:
        paired_draws.main([*argv_draws, f"base={base}", f"mono={mono}"])
    assert e.value.code == 2
    assert f"{base} {recorded}" in capsys.readouterr().err


def test_without_silver_on_a_saved_arm_is_refused(tmp_path, no_training, capsys):
    base, mono = _two_saved(tmp_path)
    with pytest.raises(SystemExit) as e:
        paired_draws.main(["--first-draw", "126", "--without-silver", "mono", f"base={base}", f"mono={mono}"])
    assert e.value.code == 2
    assert "--without-silver names a saved arm: mono (decided when it ran)" in capsys.readouterr().err


def test_one_arm_is_refused_without_save(tmp_path, capsys):
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"rows")
    with pytest.raises(SystemExit) as e:
        paired_draws.main(["--first-draw", "126", f"base={rows}"])
    assert e.value.code == 2
    assert "give at least two arms to compare, or one with --save" in capsys.readouterr().err


@pytest.mark.parametrize("base_code, mono_code, line", [
    ((COMMIT_A, False), (COMMIT_A, False), None),  # the same code: nothing to say
    ((None, None), (None, None), None),  # nothing known
    ((COMMIT_A, False), (COMMIT_B, False), "code: base 6fd2526, mono ce413be"),
    ((COMMIT_A, False), (COMMIT_A, True), "code: base 6fd2526, mono 6fd2526 (dirty)"),
    ((COMMIT_A, False), (None, None), "code: base 6fd2526, mono no commit"),
])
def test_the_code_line_appears_only_when_the_code_differed(tmp_path, no_training, capsys, base_code, mono_code,
                                                           line):
    base, mono = _two_saved(tmp_path, dict(zip(("commit", "dirty"), base_code)),
                            dict(zip(("commit", "dirty"), mono_code)))
    paired_draws.main(["--first-draw", "126", f"base={base}", f"mono={mono}"])
    lines = capsys.readouterr().out.splitlines()
    if line is None:
        assert not [x for x in lines if x.startswith("code:")]
    else:
        assert line in lines
        assert lines[lines.index(line) - 1] == ""  # not run into the table as one more row


# run_arm and arm_data are replaced by a fixed result here (the real ones train for 10+ minutes; the
# benchmark's own use exercises them, and test_two_saved_row_sets_compared_end_to_end above on small rows)
@pytest.fixture
def quick_arms(monkeypatch):
    calls = {"arm_data": [], "code_version": [], "rankers": [], "seeds": []}

    def arm_data(path, without_silver):
        calls["arm_data"].append((path, without_silver))
        return {}, []

    def run_arm(name, data, qmeta, first_draw, draws, rankers, seed):
        calls["rankers"].append(rankers)
        calls["seeds"].append(seed)
        return ArmResult(name, [2000.0 + first_draw + k for k in range(draws)], [0.8] * draws, 42.0)

    monkeypatch.setattr(paired_draws, "arm_data", arm_data)
    monkeypatch.setattr(paired_draws, "run_arm", run_arm)
    return calls


def _checkout(monkeypatch, calls, code):
    """As if the process ran in a checkout at ``code``; records where the commit was asked for."""
    def code_version(where):
        calls["code_version"].append(where)
        return code
    monkeypatch.setattr(paired_draws, "code_version", code_version)


@pytest.mark.parametrize("without_silver", [False, True])
def test_one_arm_run_and_saved_with_what_it_ran_on(tmp_path, monkeypatch, quick_arms, capsys, without_silver):
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"not really rows, but real bytes" * 1000)
    _checkout(monkeypatch, quick_arms, CodeVersion(COMMIT_A, False))
    arms = tmp_path / "arms" / "new"  # created
    argv = ["--first-draw", "126", "--draws", "3", "--save", str(arms), f"base={rows}"]
    assert paired_draws.main(argv + (["--without-silver", "base"] if without_silver else [])) == 0
    saved = json.loads((arms / "base.json").read_text(encoding="utf-8"))
    assert saved == {"name": "base", "band": [2126.0, 2127.0, 2128.0], "top1": [0.8, 0.8, 0.8], "seconds": 42.0,
                     "first_draw": 126, "draws": 3, "rows": str(rows),
                     "rows_sha256": hashlib.sha256(rows.read_bytes()).hexdigest(), "commit": COMMIT_A,
                     "dirty": False, "without_silver": without_silver, "rankers": 1,
                     "seed": training.LGB_PARAMS["seed"]}
    assert quick_arms["arm_data"] == [(rows, without_silver)] and quick_arms["rankers"] == [1]
    assert quick_arms["code_version"] == [Path(paired_draws.__file__).resolve().parent]  # this module's checkout
    out = capsys.readouterr().out
    assert "| base | 2,126.0 | 2,127.0 | 2,128.0 | 2,127.0 ± 1.0 | 0.8000 |" in out
    assert "paired," not in out and "neutral bar" not in out and "code:" not in out


def test_the_two_process_recipe(tmp_path, monkeypatch, quick_arms, capsys):
    """The docstring's recipe: each checkout saves its arm, a third run compares them and names both commits."""
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"rows")
    for name, code in (("base", CodeVersion(COMMIT_A, False)), ("mono", CodeVersion(COMMIT_B, True))):
        _checkout(monkeypatch, quick_arms, code)
        paired_draws.main(["--first-draw", "126", "--save", str(tmp_path / "arms"), f"{name}={rows}"])
    monkeypatch.setattr(paired_draws, "run_arm", None)  # the comparison trains nothing
    capsys.readouterr()
    paired_draws.main(["--first-draw", "126", f"base={tmp_path / 'arms' / 'base.json'}",
                       f"mono={tmp_path / 'arms' / 'mono.json'}"])
    out = capsys.readouterr().out
    assert "| paired, mono − base | +0.0 | +0.0 | +0.0 | +0.0 | +0.0 | +0.0 | +0.0000 |" in out
    assert "code: base 6fd2526, mono ce413be (dirty)" in out
    assert "rankers averaged" not in out and "ranker seeds" not in out  # both ran one, with the card's seed


def test_run_arm_trains_with_the_seed_given(monkeypatch):
    seen = []
    monkeypatch.setattr(paired_draws.fitting, "fold_draws",
                        lambda data, qmeta, params, *a, **k: seen.append(params["seed"]) or {"draws": []})
    paired_draws.run_arm("a", {}, [], 1, 2)
    paired_draws.run_arm("b", {}, [], 1, 2, seed=14)
    assert seen == [training.LGB_PARAMS["seed"], 14] and training.LGB_PARAMS["seed"] != 14


@pytest.mark.parametrize("flag, value, calls, saved_key, line", [
    ("--rankers", 3, "rankers", "rankers", "rankers averaged: base 1, other 3"),
    # a null arm: the base's rows under another ranker seed
    ("--seed", 14, "seeds", "seed", f"ranker seeds: base {training.LGB_PARAMS['seed']}, other 14"),
])
def test_arms_run_with_other_rankers_or_another_seed_say_so(tmp_path, monkeypatch, quick_arms, capsys, flag, value,
                                                           calls, saved_key, line):
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"rows")
    _checkout(monkeypatch, quick_arms, CodeVersion(COMMIT_A, False))
    for name, extra in (("base", []), ("other", [flag, str(value)])):
        paired_draws.main(["--first-draw", "186", "--save", str(tmp_path / "arms"), *extra, f"{name}={rows}"])
    assert quick_arms[calls][1] == value and quick_arms[calls][0] != value
    assert json.loads((tmp_path / "arms" / "other.json").read_text(encoding="utf-8"))[saved_key] == value
    capsys.readouterr()
    paired_draws.main(["--first-draw", "186", f"base={tmp_path / 'arms' / 'base.json'}",
                       f"other={tmp_path / 'arms' / 'other.json'}"])
    assert line in capsys.readouterr().out


def test_rankers_below_one_are_refused(tmp_path, quick_arms):
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"rows")
    with pytest.raises(SystemExit):
        paired_draws.main(["--first-draw", "186", "--rankers", "0", "--save", str(tmp_path / "x"), f"a={rows}"])
    assert quick_arms["rankers"] == []  # refused before any arm ran


@pytest.mark.parametrize("name, message", [
    ("base", "base.json exists: a spent draw's result is not overwritten"),
    ("sub/base", "arm name 'sub/base' cannot name a file in --save"),
    ("..", "arm name '..' cannot name a file in --save"),
])
def test_save_refuses_before_any_arm_runs(tmp_path, monkeypatch, quick_arms, capsys, name, message):
    rows = tmp_path / "rows.pkl"
    rows.write_bytes(b"rows")
    (tmp_path / "arms").mkdir()
    _write(tmp_path / "arms" / "base.json", _saved_dict("base", BASE_BAND))
    monkeypatch.setattr(paired_draws, "run_arm", None)
    with pytest.raises(SystemExit) as e:
        paired_draws.main(["--first-draw", "126", "--save", str(tmp_path / "arms"), f"{name}={rows}"])
    assert e.value.code == 2 and message in capsys.readouterr().err
    assert json.loads((tmp_path / "arms" / "base.json").read_text())["band"] == BASE_BAND


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_the_code_version_is_the_checkout_and_its_state(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # tmp_path itself is in no repository
    assert paired_draws.code_version(tmp_path) == CodeVersion(None, None)
    repo = tmp_path / "repo"
    (repo / "eval").mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "eval" / "m.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "m"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    assert paired_draws.code_version(repo / "eval") == CodeVersion(head, False)
    (repo / "eval" / "m.py").write_text("x = 2\n")
    assert paired_draws.code_version(repo / "eval") == CodeVersion(head, True)
