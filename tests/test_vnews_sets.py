"""The hand-written VietNews sets (eval/vnews_dev, eval/vnews_test2, eval/vnews_test3, eval/vnews_train,
eval/vnews_multi): each parses, every answerable evidence is found in the article text the service
is given, and no evaluation article is ever a training article (hand-written or silver). Needs
../shared (VietNews)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import load_gold, locate
from qa.ingest.vietnews import VIETNEWS_TEST, article_file_text, read_vietnews
from qa.lexicon import nfc
from qa.read.training import DEFAULT_EXCLUDE, DEFAULT_GOLD_SETS

ROOT = Path(__file__).resolve().parent.parent
EVAL_SETS = {"vnews_dev": ["dev.jsonl", "test.jsonl"], "vnews_test2": ["test.jsonl"], "vnews_test3": ["test.jsonl"]}


def _ids(path: Path) -> set[str]:
    return set(json.loads(path.read_text(encoding="utf-8")))


# one measure in several articles (eval/vnews_multi): training data for the measure across
# articles, each set over its own corpus, not read by train-reader by default
MULTI_SETS = [(ROOT / "eval" / "vnews_multi" / f"{w}.jsonl", ROOT / "eval" / "vnews_multi" / f"{w}_articles.json")
              for w in ("MA", "MB", "MC")]
ARTICLE_FILES = ([ROOT / "eval" / name / "articles.json" for name in EVAL_SETS] + [a for _, a in DEFAULT_GOLD_SETS[1:]]
                 + [a for _, a in MULTI_SETS])


@pytest.fixture(scope="module")
def article_texts() -> dict[tuple[str, str], str]:
    """(articles file, doc id) -> the NFC text that set's corpus serves: each set dates its own
    articles, and the date is part of the served text. VietNews is read once for every set."""
    if not VIETNEWS_TEST.is_file():
        pytest.skip("VietNews is not in ../shared")
    dated = {str(path): json.loads(path.read_text(encoding="utf-8")) for path in ARTICLE_FILES}
    wanted = {doc for dates in dated.values() for doc in dates}
    raw = {f"vn_{a['id']}": a for a in read_vietnews() if f"vn_{a['id']}" in wanted}
    return {(name, doc): nfc(article_file_text(raw[doc], date))
            for name, dates in dated.items() for doc, date in dates.items()}


def _answers_found(gold: Path, articles: Path, article_texts: dict[tuple[str, str], str]) -> set[str]:
    """Assert every answerable item's evidence, answer_text and also_in are found in the text its
    set serves; return the articles asked about."""
    asked = set()
    for item in load_gold(gold):
        if not item.answerable:
            continue
        text = article_texts.get((str(articles), item.doc_id))
        assert text is not None, f"{item.id}: {item.doc_id} is not in {articles}"
        assert locate(text, item.evidence), f"{item.id}: evidence not in {item.doc_id}"
        assert nfc(item.answer_text) in nfc(item.evidence), f"{item.id}: answer_text not in its evidence"
        for also in (*item.also_in, *item.look_alike):
            other = article_texts.get((str(articles), also.doc_id))
            assert other is not None and locate(other, also.evidence), f"{item.id}: also_in or look_alike evidence"
        asked.add(item.doc_id)
    return asked


@pytest.mark.parametrize("name", sorted(EVAL_SETS))
def test_every_answer_is_found_in_its_article(name, article_texts):
    set_dir = ROOT / "eval" / name
    asked = set().union(*(_answers_found(set_dir / file, set_dir / "articles.json", article_texts)
                          for file in EVAL_SETS[name]))
    assert asked == _ids(set_dir / "articles.json")  # every article of the set is asked about


def test_no_evaluation_article_is_trained_on():
    dev, test2, test3 = (_ids(ROOT / "eval" / n / "articles.json") for n in ("vnews_dev", "vnews_test2", "vnews_test3"))
    assert not dev & test2 and not dev & test3 and not test2 & test3
    trained = set().union(*(_ids(articles) for _, articles in DEFAULT_GOLD_SETS[1:]))  # [0] is the dev half
    assert not trained & (dev | test2 | test3)
    # train-reader never draws silver questions from either evaluation set
    assert {ROOT / "eval" / n / "articles.json" for n in EVAL_SETS} <= set(DEFAULT_EXCLUDE)


def test_the_test_half_and_the_second_test_set_are_not_training_sets():
    gold_files = {Path(g).resolve() for g, _ in DEFAULT_GOLD_SETS}
    assert (ROOT / "eval" / "vnews_dev" / "test.jsonl").resolve() not in gold_files
    assert (ROOT / "eval" / "vnews_test2" / "test.jsonl").resolve() not in gold_files
    assert (ROOT / "eval" / "vnews_test3" / "test.jsonl").resolve() not in gold_files


@pytest.mark.parametrize("gold, articles", DEFAULT_GOLD_SETS[1:], ids=[g.name for g, _ in DEFAULT_GOLD_SETS[1:]])
def test_every_training_answer_is_found_in_its_article(gold, articles, article_texts):
    """A training label whose evidence is not in the text the reader is trained on is a silent
    wrong label: every batch is checked as the test sets are."""
    _answers_found(gold, articles, article_texts)


@pytest.mark.parametrize("gold, articles", MULTI_SETS, ids=[g.name for g, _ in MULTI_SETS])
def test_every_multi_source_figure_is_found_and_older_than_the_answer(gold, articles, article_texts):
    """Each other article's figure of a multi-source question is in its text, and dated before the
    answer's: the set says which figures the service should list as older ones."""
    _answers_found(gold, articles, article_texts)
    dates = json.loads(articles.read_text(encoding="utf-8"))
    for item in load_gold(gold):
        assert all(dates[a.doc_id] < dates[item.doc_id] for a in item.also_in), item.id


def test_no_multi_source_article_is_an_evaluation_or_training_article():
    multi = set().union(*(_ids(a) for _, a in MULTI_SETS))
    evaluated = set().union(*(_ids(ROOT / "eval" / n / "articles.json") for n in EVAL_SETS))
    trained = set().union(*(_ids(articles) for _, articles in DEFAULT_GOLD_SETS[1:]))
    assert not multi & (evaluated | trained)
    assert not {g.resolve() for g, _ in MULTI_SETS} & {Path(g).resolve() for g, _ in DEFAULT_GOLD_SETS}
