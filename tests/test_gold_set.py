"""Consistency checks for the gold Q&A sets ``eval/gold.jsonl`` and ``eval/heldout.jsonl``
(no model needed).

Every answerable item must be grounded: its evidence is a verbatim span of its article and
contains the figure as written, and the figure as written parses back to the stored value.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
# Written later from the seeds by someone who had not read the answer picker: the overfitting check.
HELDOUT = ROOT / "eval" / "heldout.jsonl"
SEEDS = ROOT / "seeds"

KINDS = {"count", "percent", "money", "fraction", "rate"}
# Publication dates (002 shows none; its content runs to 20/7/2024, i.e. after 003's 11/07/2024).
DOC_DATES = {
    "000_9731a1f374b0ab51": "2024-04-25",
    "001_012a46c6ea1aeca1": "2022-04-27",
    "002_0c8e1293083b7153": "2024-07-20",
    "003_158d2d1cb2a5e738": "2024-07-11",
    "004_76b21a1102ab2eaa": "2024-01-10",
}
DOC_TAGS = {"doc:" + d[:3]: d for d in DOC_DATES}
KNOWN_TAGS = KINDS | set(DOC_TAGS) | {
    "no-accent", "paraphrase", "multi-source", "newest", "time-specific",
    "national", "provincial", "bac-kan", "hai-phong",
    "unanswerable", "near-miss", "off-topic", "heldout",
}
FIELDS = {"id", "question", "answerable", "value", "unit", "kind", "denominator",
          "answer_text", "doc_id", "evidence", "also_in", "tags"}
MINIMUMS = {"no-accent": 15, "paraphrase": 10, "multi-source": 6, "unanswerable": 12,
            "count": 1, "percent": 1, "money": 1, "fraction": 1, "rate": 1,
            "national": 5, "provincial": 5, "bac-kan": 3, "hai-phong": 3}

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
MULTIPLIERS = [("triệu tỷ", 1e15), ("nghìn tỷ", 1e12), ("tỷ", 1e9), ("triệu", 1e6), ("nghìn", 1e3)]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def vn_number(tok: str) -> float:
    """Vietnamese notation: '.' groups thousands, ',' is the decimal mark."""
    return float(tok.replace(".", "").replace(",", "."))


def parse_figure(answer_text: str, fraction: bool = False) -> tuple[float, float | None]:
    """The figure as written -> (value in base units, denominator)."""
    text = nfc(answer_text)
    if fraction:
        m = re.search(rf"({NUM})/({NUM})", text)
        assert m, f"no fraction in {answer_text!r}"
        return vn_number(m.group(1)), vn_number(m.group(2))
    m = re.search(NUM, text)
    assert m, f"no number in {answer_text!r}"
    value = vn_number(m.group(0))
    rest = text[m.end():].lstrip()
    for word, factor in MULTIPLIERS:
        if rest.startswith(word):
            value *= factor
            break
    return value, None


@pytest.fixture(scope="module", params=[GOLD, HELDOUT], ids=["gold", "heldout"])
def qa_file(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def items(qa_file) -> list[dict]:
    lines = qa_file.read_text(encoding="utf-8").splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not an object"
        out.append(obj)
    return out


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p.stem: nfc(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


def answerable(items):
    return [it for it in items if it["answerable"]]


def test_parses_with_all_fields(items, qa_file):
    assert len(items) >= (80 if qa_file == GOLD else 30)
    for it in items:
        assert set(it) == FIELDS, it.get("id")
        assert isinstance(it["question"], str) and it["question"].strip()
        assert isinstance(it["answerable"], bool)
        assert isinstance(it["tags"], list) and it["tags"]
        assert isinstance(it["also_in"], list)


def test_ids_unique_and_questions_unique(items, qa_file):
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    prefix = "q" if qa_file == GOLD else "h"
    assert all(re.fullmatch(prefix + r"\d{3}", i) for i in ids)
    questions = [nfc(it["question"]).lower() for it in items]
    assert len(questions) == len(set(questions))


def test_tags_known_and_consistent(items):
    for it in items:
        tags = set(it["tags"])
        assert tags <= KNOWN_TAGS, (it["id"], tags - KNOWN_TAGS)
        if it["answerable"]:
            assert it["kind"] in tags, it["id"]
            assert "doc:" + it["doc_id"][:3] in tags, it["id"]
            assert len(tags & set(DOC_TAGS)) == 1, it["id"]
            assert len(tags & {"national", "provincial"}) == 1, it["id"]
            assert ("multi-source" in tags) == bool(it["also_in"]), it["id"]
            assert "unanswerable" not in tags
        else:
            assert "unanswerable" in tags, it["id"]
            assert not tags & (KINDS | set(DOC_TAGS) | {"multi-source"}), it["id"]


def test_evidence_is_verbatim_and_contains_answer(items, texts):
    for it in answerable(items):
        assert it["doc_id"] in texts, it["id"]
        evidence = nfc(it["evidence"])
        assert evidence in texts[it["doc_id"]], (it["id"], evidence)
        assert nfc(it["answer_text"]) in evidence, it["id"]
        assert len(evidence) <= 250, it["id"]


def test_values_match_the_figure_as_written(items):
    for it in answerable(items):
        assert it["kind"] in KINDS, it["id"]
        assert it["unit"], it["id"]
        assert isinstance(it["value"], (int, float)) and not isinstance(it["value"], bool), it["id"]
        is_fraction = it["kind"] == "fraction"
        value, denominator = parse_figure(it["answer_text"], is_fraction)
        assert math.isclose(it["value"], value, rel_tol=1e-9), (it["id"], it["value"], value)
        if is_fraction:
            assert it["denominator"] == denominator, it["id"]
            assert 0 < it["value"] <= it["denominator"], it["id"]
        else:
            assert it["denominator"] is None, it["id"]
        if it["kind"] == "percent":
            assert it["unit"] == "%" and 0 <= it["value"] <= 100, it["id"]
        if it["kind"] == "money":
            assert it["unit"].split("/")[0] in {"đồng", "USD"}, it["id"]


def test_also_in_exists_and_is_older(items, texts):
    for it in answerable(items):
        for other in it["also_in"]:
            assert other["doc_id"] in texts and other["doc_id"] != it["doc_id"], it["id"]
            evidence = nfc(other["evidence"])
            assert evidence in texts[other["doc_id"]], (it["id"], evidence)
            assert DOC_DATES[other["doc_id"]] < DOC_DATES[it["doc_id"]], it["id"]
            if "answer_text" in other:
                assert nfc(other["answer_text"]) in evidence, it["id"]
                value, denominator = parse_figure(other["answer_text"], it["kind"] == "fraction")
                assert math.isclose(other["value"], value, rel_tol=1e-9), it["id"]
                if it["kind"] == "fraction":
                    assert other.get("denominator") == denominator, it["id"]


def test_unanswerable_items_are_empty(items):
    for it in items:
        if not it["answerable"]:
            for field in ("value", "unit", "kind", "denominator", "answer_text", "doc_id", "evidence"):
                assert it[field] is None, (it["id"], field)
            assert it["also_in"] == []


def test_every_article_covered(items, texts, qa_file):
    per_doc = Counter(it["doc_id"] for it in answerable(items))
    assert set(texts) == set(DOC_DATES)
    for doc in texts:
        assert per_doc[doc] >= (10 if qa_file == GOLD else 5), (doc, per_doc[doc])


def test_heldout_questions_are_new(items, qa_file):
    """A held-out question that repeats a gold one would not test anything new."""
    gold = {nfc(json.loads(line)["question"]).lower()
            for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()}
    if qa_file == HELDOUT:
        assert all("heldout" in it["tags"] for it in items)
        assert not {nfc(it["question"]).lower() for it in items} & gold


def test_tag_minimums(items, qa_file):
    if qa_file != GOLD:
        pytest.skip("the minimums are the gold set's coverage promise")
    tags = Counter(t for it in items for t in it["tags"])
    for tag, minimum in MINIMUMS.items():
        assert tags[tag] >= minimum, (tag, tags[tag], minimum)
    assert sum(not it["answerable"] for it in items) >= 10
    units = {it["unit"].split("/")[0] for it in answerable(items) if it["kind"] == "money"}
    assert {"đồng", "USD"} <= units


def test_no_accent_questions_have_no_tone_marks(items):
    for it in items:
        if "no-accent" in it["tags"]:
            assert it["question"].isascii(), it["id"]
        else:
            assert not it["question"].isascii(), it["id"]
