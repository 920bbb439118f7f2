"""The evaluation: metric arithmetic on hand-made cases, and `vnqa eval` end to end on a tiny gold
file (real seeds, real service), a tiny SQuAD file, and over HTTP. No metric thresholds here."""

from __future__ import annotations

import json
import math
import unicodedata

import pytest

from eval import metrics
from eval.__main__ import main as eval_main
from eval.gold import AlsoIn, GoldError, GoldItem, load_gold, locate, resolve_targets
from eval.metrics import Span
from eval.runner import ROW_NAMES
from eval.squad import load_squad, numbers_in, numeric_correct, span_hit

VNEID_DOC = "003_158d2d1cb2a5e738"
OLDER_DOC = "000_9731a1f374b0ab51"


def P(doc_id, start, end):
    return {"doc_id": doc_id, "start": start, "end": end}


# -- retrieval arithmetic ------------------------------------------------------------------------
def test_a_passage_hits_only_when_it_covers_the_whole_evidence():
    ev = [Span("d", 100, 160)]
    assert metrics.passage_hits(P("d", 100, 160), ev)  # exactly
    assert metrics.passage_hits(P("d", 50, 200), ev)
    assert not metrics.passage_hits(P("d", 101, 200), ev)  # starts one character late
    assert not metrics.passage_hits(P("d", 50, 159), ev)  # ends one character early
    assert not metrics.passage_hits(P("other", 0, 10_000), ev)  # right span, wrong document


def test_evidence_split_across_two_passages_is_a_miss_unless_one_passage_holds_it():
    ev = [Span("d", 100, 160)]
    halves = [P("d", 0, 130), P("d", 130, 300)]  # each holds half the evidence
    assert metrics.first_hit_rank(halves, ev) is None
    with_overlap = halves + [P("x", 0, 50), P("d", 90, 170)]
    assert metrics.first_hit_rank(with_overlap, ev) == 4


def test_any_target_span_counts_and_rank_is_the_first_hit():
    targets = [Span("a", 10, 20), Span("b", 5, 8)]
    passages = [P("c", 0, 100), P("b", 0, 10), P("a", 0, 100)]
    assert metrics.first_hit_rank(passages, targets) == 2
    assert metrics.first_hit_rank([], targets) is None
    assert metrics.first_doc_rank(passages, "a") == 3
    assert metrics.first_doc_rank(passages, "zz") is None


def test_recall_and_mrr_arithmetic():
    ranks = [1, 3, None, 12]
    assert metrics.recall_at_k(ranks, 1) == 0.25
    assert metrics.recall_at_k(ranks, 5) == 0.5
    assert metrics.recall_at_k(ranks, 10) == 0.5  # rank 12 is beyond the cut-off
    assert metrics.mrr_at_k(ranks, 10) == pytest.approx((1 + 1 / 3) / 4)
    assert metrics.mrr_at_k([2, 2], 10) == 0.5
    assert metrics.recall_at_k([], 5) is None and metrics.mrr_at_k([], 10) is None


# -- answers and citations -----------------------------------------------------------------------
def test_values_match_within_half_a_percent():
    assert metrics.values_match(100.5, 100)  # exactly 0.5 %
    assert metrics.values_match(99.5, 100)
    assert not metrics.values_match(100.6, 100)
    assert metrics.values_match(75_700_000, 75_700_000.0)
    assert not metrics.values_match(53_620_000, 75_700_000)
    assert metrics.values_match(-10.04, -10)
    assert metrics.values_match(0, 0) and not metrics.values_match(1, 0)
    assert not metrics.values_match(None, 5) and not metrics.values_match(5, None)
    assert not metrics.values_match(math.nan, 5)


def test_answer_correct_needs_an_answer_a_value_and_the_denominator_when_gold_has_one():
    assert metrics.answer_correct({"value": 80.2}, 80.2)
    assert not metrics.answer_correct(None, 80.2)
    assert not metrics.answer_correct({"value": 78.9}, 80.2)
    assert metrics.answer_correct({"value": 43, "denominator": 53}, 43, 53)
    assert not metrics.answer_correct({"value": 43, "denominator": 63}, 43, 53)
    assert not metrics.answer_correct({"value": 43, "denominator": None}, 43, 53)
    assert metrics.answer_correct({"value": 43, "denominator": 53}, 43)  # gold without one: not checked


def test_citation_covers_the_evidence_or_the_figure_position():
    evidence = [Span("d", 100, 200)]
    figure = [Span("d", 150, 160)]

    def ans(doc, s, e):
        return {"citation": {"doc_id": doc, "start": s, "end": e}}

    assert metrics.citation_correct(ans("d", 90, 210), "d", evidence, figure)
    assert metrics.citation_correct(ans("d", 140, 170), "d", evidence, figure)  # evidence longer than the sentence
    assert not metrics.citation_correct(ans("d", 155, 300), "d", evidence, figure)  # cuts the figure
    assert not metrics.citation_correct(ans("e", 90, 210), "d", evidence, figure)
    assert not metrics.citation_correct(None, "d", evidence, figure)


def test_percentile_is_nearest_rank():
    values = list(range(1, 11))
    assert metrics.percentile(values, 50) == 5
    assert metrics.percentile(values, 95) == 10
    assert metrics.percentile([7.0], 95) == 7.0
    assert metrics.percentile([], 50) is None


def rec(answerable, rank=None, answered=False, ok=None, cited=None, tags=(), latency=10.0):
    return {"answerable": answerable, "rank": rank, "answered": answered, "answer_ok": ok,
            "citation_ok": cited, "latency_ms": latency, "tags": list(tags)}


def test_summarize_gold_abstention_and_false_answers():
    records = [
        rec(True, 1, True, True, True, ["a"]),
        rec(True, 4, True, False, False, ["a"]),  # wrong figure
        rec(True, None, False, False, False, ["b"]),  # no answer
        rec(False, answered=False, tags=["u"]),  # abstained: right
        rec(False, answered=True, tags=["u"]),  # false answer
    ]
    s = metrics.summarize_gold(records)
    assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (5, 3, 2)
    assert s["recall@1"] == pytest.approx(1 / 3) and s["recall@5"] == pytest.approx(2 / 3)
    assert s["mrr@10"] == pytest.approx((1 + 0.25) / 3)
    assert s["answer_accuracy"] == pytest.approx(1 / 3)
    assert s["citation_accuracy"] == pytest.approx(1 / 3)
    assert s["abstention_accuracy"] == 0.5
    assert s["false_answer_rate"] == pytest.approx(2 / 3)  # 3 answers given, 2 of them wrong
    assert s["abstained_on_answerable"] == pytest.approx(1 / 3)
    assert s["latency_p50_ms"] == 10.0
    tags = metrics.by_tag(records, metrics.summarize_gold)
    assert set(tags) == {"a", "b", "u"}
    assert tags["u"]["recall@5"] is None and tags["u"]["abstention_accuracy"] == 0.5
    assert tags["a"]["abstention_accuracy"] is None
    only = metrics.summarize_gold(records, retrieval_only=True)
    assert only["answer_accuracy"] is None and only["false_answer_rate"] is None
    assert only["recall@5"] == s["recall@5"]


def test_false_answer_rate_is_none_when_nothing_was_answered():
    assert metrics.summarize_gold([rec(False), rec(True, 1)])["false_answer_rate"] is None


# -- locating gold evidence ----------------------------------------------------------------------
def test_evidence_is_found_after_the_same_normalisation_as_article_texts():
    text = "Dòng một.\nCó hơn 75,7 triệu tài khoản VNeID đã được cấp.\nHết."
    nfd = unicodedata.normalize("NFD", "hơn 75,7 triệu tài khoản")
    assert locate(text, nfd) == [(text.index("hơn"), text.index("hơn") + len("hơn 75,7 triệu tài khoản"))]
    spaced = "tài khoản\r\nVNeID"  # line break / spacing differs from the article: tolerant match
    assert locate(text, spaced) == [(text.index("tài khoản"), text.index("VNeID") + 5)]
    assert locate("a b a b", "a b") == [(0, 3), (4, 7)]
    assert locate(text, "không có") == []


def test_targets_include_also_in_only_for_the_same_figure():
    texts = {"new": "Năm nay có 120 trạm mới.", "old": "Năm ngoái có 100 trạm.", "same": "Có 120 trạm."}
    also = (AlsoIn("old", 100.0, "có 100 trạm"), AlsoIn("same", 120.0, "120 trạm"))
    item = GoldItem("x", "bao nhiêu trạm?", True, value=120.0, answer_text="120", doc_id="new",
                    evidence="có 120 trạm mới", also_in=also)
    t = resolve_targets(item, texts.get)
    assert [s.doc_id for s in t.retrieval] == ["new", "same"]
    assert t.evidence == [Span("new", 8, 23)]
    assert t.figures and all(s.doc_id == "new" and 8 <= s.start < s.end <= 23 for s in t.figures)
    assert not t.problems
    missing = resolve_targets(GoldItem("y", "q", True, value=1.0, doc_id="new", evidence="không có"), texts.get)
    assert missing.problems and missing.retrieval == []
    assert resolve_targets(GoldItem("z", "q", False), texts.get).retrieval == []


def test_a_date_question_s_also_in_holds_a_date(tmp_path):
    """A date question's other sources give a date too (eval/vnews_train/train17.jsonl has one):
    it is read as a date, and only the same date makes its evidence a retrieval target."""
    path = tmp_path / "dates.jsonl"
    row = {"id": "d", "question": "khi nào?", "answerable": True, "value": "2009-09-19", "kind": "date",
           "doc_id": "new", "evidence": "ngày 19/9/2009",
           "also_in": [{"doc_id": "same", "value": "2009-09-19", "evidence": "19/9/2009"},
                       {"doc_id": "other", "value": "2009-09-18", "evidence": "18/9/2009"}]}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    item = load_gold(path)[0]
    assert [a.value for a in item.also_in] == ["2009-09-19", "2009-09-18"]
    texts = {"new": "Khai mạc ngày 19/9/2009.", "same": "Từ 19/9/2009.", "other": "Ngày 18/9/2009."}
    assert [s.doc_id for s in resolve_targets(item, texts.get).retrieval] == ["new", "same"]
    row["also_in"][0]["value"] = "19/9/2009"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="also_in\\[0\\].value: a date is written"):
        load_gold(path)


def test_look_alike_figures_are_read_like_also_in_and_are_never_targets(tmp_path):
    """eval/vnews_multi names, per question, other articles' figures of the same kind and unit that
    are another thing: read as also_in is, checked the same way, and never a retrieval target."""
    path = tmp_path / "multi.jsonl"
    row = {"id": "m", "question": "lương tối thiểu vùng I?", "answerable": True, "value": 3_980_000, "kind": "money",
           "doc_id": "new", "evidence": "vùng I là 3,98 triệu đồng",
           "look_alike": [{"doc_id": "other", "value": 3_530_000, "evidence": "vùng II là 3,53 triệu đồng"}]}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    item = load_gold(path)[0]
    assert [(a.doc_id, a.value) for a in item.look_alike] == [("other", 3_530_000)] and item.also_in == ()
    texts = {"new": "Mức lương vùng I là 3,98 triệu đồng.", "other": "Mức lương vùng II là 3,53 triệu đồng."}
    assert [s.doc_id for s in resolve_targets(item, texts.get).retrieval] == ["new"]
    row["look_alike"] = [{"doc_id": "other", "value": 3_530_000}]
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="look_alike\\[0\\] needs doc_id and evidence"):
        load_gold(path)


def test_load_gold_rejects_malformed_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q?", "answerable": true}\n', encoding="utf-8")
    with pytest.raises(GoldError, match="without 'value'"):
        load_gold(bad)
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match="not JSON"):
        load_gold(bad)


# -- SQuAD judging -------------------------------------------------------------------------------
def test_squad_numbers_and_span_hits():
    assert {4350.0} <= numbers_in("4.350 km")
    assert 2_000_000.0 in numbers_in("2 triệu người")
    assert 1998.0 in numbers_in("năm 1998")
    assert 1000.0 in numbers_in("1,000")  # the English way, too
    assert numeric_correct(("4.350 km",), {"text": "khoảng 4.350 km", "value": 4350.0})
    assert numeric_correct(("4350",), {"text": "4.350 km", "value": 4350.0})
    assert not numeric_correct(("4.350 km",), {"text": "6 quốc gia", "value": 6.0})
    assert not numeric_correct(("4.350 km",), None)
    body = {"answer": {"sentence": "Phở là món ăn của Việt Nam."},
            "passages": [{"text": "Nước dùng được ninh từ XƯƠNG  BÒ."}]}
    assert span_hit(("xương bò",), body)
    assert span_hit(("việt nam",), body)
    nfd = unicodedata.normalize("NFD", "Xương bò")
    assert span_hit((nfd,), {"answer": None, "passages": [{"text": "ninh từ xương bò"}]})
    assert not span_hit(("thịt gà",), body)
    assert not span_hit(("x",), {"answer": None, "passages": []})


# -- end to end ----------------------------------------------------------------------------------
TINY_GOLD = [
    {"id": "t1", "question": "bao nhiêu tài khoản VNeID?", "answerable": True, "value": 75700000,
     "unit": "tài khoản", "kind": "count", "denominator": None, "answer_text": "hơn 75,7 triệu",
     "doc_id": VNEID_DOC, "evidence": "hơn 75,7 triệu tài khoản VNeID đã được cấp",
     "also_in": [{"doc_id": OLDER_DOC, "value": 53620000,
                  "evidence": "kích hoạt trên 53,62 triệu tài khoản định danh điện tử"}],
     "tags": ["count", "multi-source"]},
    {"id": "t2", "question": "bao nhieu tai khoan VNeID", "answerable": True, "value": 75700000,
     "unit": "tài khoản", "kind": "count", "denominator": None, "answer_text": "hơn 75,7 triệu",
     "doc_id": VNEID_DOC, "evidence": "hơn 75,7 triệu tài khoản VNeID đã được cấp", "also_in": [],
     "tags": ["count", "no-accent"]},
    {"id": "t3", "question": "Tỷ lệ hộ gia đình sử dụng cáp quang là bao nhiêu?", "answerable": True,
     "value": 80.2, "unit": "%", "kind": "percent", "denominator": None, "answer_text": "80,2%",
     "doc_id": OLDER_DOC, "evidence": "hiện 80,2% hộ gia đình sử dụng cáp quang Internet băng rộng",
     "also_in": [], "tags": ["percent"]},
    {"id": "t4", "question": "Giá vàng hôm nay là bao nhiêu?", "answerable": False, "value": None,
     "unit": None, "kind": None, "denominator": None, "answer_text": None, "doc_id": None,
     "evidence": None, "also_in": [], "tags": ["unanswerable"]},
]

GOLD_KEYS = ["recall@1", "recall@5", "recall@10", "mrr@10", "answer_accuracy", "citation_accuracy",
             "abstention_accuracy", "false_answer_rate"]
SQUAD_KEYS = ["recall@1", "recall@5", "recall@10", "mrr@10", "span_hit_rate", "numeric_accuracy", "answered_rate"]


def _write_gold(path):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in TINY_GOLD), encoding="utf-8")
    return path


def _check_fractions(summary: dict, keys: list[str], retrieval_only: bool):
    for key in keys:
        v = summary[key]
        if retrieval_only and not key.startswith(("recall", "mrr")):
            assert v is None, (key, v)
        elif v is not None:
            assert 0.0 <= v <= 1.0, (key, v)
    for key in ("latency_p50_ms", "latency_p95_ms"):
        assert summary[key] is not None and summary[key] >= 0


def test_gold_end_to_end_with_the_real_service(service, tmp_path, capsys):
    gold = _write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "report.json"
    assert eval_main(["--gold", str(gold), "--json", str(out), "--quiet"], service=service) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["kind"] == "gold" and report["source"]["n_questions"] == 4
    assert [r["name"] for r in report["rows"]] == list(ROW_NAMES)
    for row in report["rows"]:
        s = row["overall"]
        assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (4, 3, 1)
        _check_fractions(s, GOLD_KEYS, row["options"] is None)
        assert set(row["per_tag"]) == {"count", "multi-source", "no-accent", "percent", "unanswerable"}
        for tag_summary in row["per_tag"].values():
            _check_fractions(tag_summary, GOLD_KEYS, row["options"] is None)
        assert len(row["questions"]) == 4
    assert report["problems"] == []  # every evidence string was found in the seeds
    assert isinstance(report["worst_failures"], list) and len(report["worst_failures"]) <= 10
    assert report["machine"]["nproc"] >= 1
    stdout = capsys.readouterr().out
    for name in ROW_NAMES:
        assert f"| {name} |" in stdout


def test_summary_only_prints_no_question_of_the_set(service, tmp_path, capsys):
    # a frozen test set's run is read by its summary only: the failures it prints quote questions
    wrong = dict(TINY_GOLD[0], id="w1", value=1.0, answer_text="1")  # a gold value no answer matches
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(wrong, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"
    args = ["--gold", str(gold), "--rows", "hybrid", "--json", str(out), "--quiet"]
    assert eval_main(args + ["--summary-only"], service=service) == 0
    quiet = capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [f["id"] for f in report["worst_failures"]] == ["w1"]  # the JSON keeps it
    assert wrong["question"] not in quiet and "| hybrid |" in quiet and "--summary-only" in quiet
    assert eval_main(args, service=service) == 0
    assert wrong["question"] in capsys.readouterr().out


def test_dense_weight_rows_rerun_the_hybrid_at_other_fusion_weights(service, tmp_path, capsys):
    gold = _write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "weights.json"
    args = ["--gold", str(gold), "--rows", "hybrid", "--dense-weights", "0,1", "--json", str(out), "--quiet"]
    assert eval_main(args, service=service) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in report["rows"]] == ["hybrid", "hybrid-w0", "hybrid-w1"]
    assert [r["options"]["dense_weight"] for r in report["rows"]] == [0.5, 0.0, 1.0]
    by_name = {r["name"]: r for r in report["rows"]}
    for row in report["rows"]:
        _check_fractions(row["overall"], GOLD_KEYS, False)
    # weight 0 ranks by BM25 alone, weight 1 by e5 alone: the weight reaches the retriever
    ranks = {name: [q["rank"] for q in row["questions"]] for name, row in by_name.items()}
    assert ranks["hybrid-w0"] != ranks["hybrid-w1"], ranks
    assert "| hybrid-w0 |" in capsys.readouterr().out
    for bad in ("x", "1.5", "-0.1", ","):
        assert eval_main(["--dense-weights", bad]) == 2
    capsys.readouterr()


TINY_SQUAD = {"version": "1.1", "data": [
    {"title": "Sông_Mê_Kông", "paragraphs": [{
        "context": "Sông Mê Kông dài khoảng 4.350 km, chảy qua sáu quốc gia ở châu Á. "
                   "Đồng bằng sông Cửu Long là vùng trồng lúa lớn nhất Việt Nam.",
        "qas": [
            {"id": "m1", "question": "Sông Mê Kông dài bao nhiêu km?",
             "answers": [{"text": "4.350 km", "answer_start": 24}]},
            {"id": "m2", "question": "Sông Mê Kông chảy qua mấy quốc gia?",
             "answers": [{"text": "sáu", "answer_start": 43}]},
        ]}]},
    {"title": "Phở", "paragraphs": [{
        "context": "Phở là món ăn truyền thống của Việt Nam, phổ biến từ đầu thế kỷ 20 ở miền Bắc. "
                   "Nước dùng của phở được ninh nhiều giờ từ xương bò.",
        "qas": [{"id": "f1", "question": "Nước dùng phở được ninh từ gì?",
                 "answers": [{"text": "xương bò", "answer_start": 120}]}]}]},
]}


def test_squad_file_loads_as_paragraph_documents(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY_SQUAD, ensure_ascii=False), encoding="utf-8")
    docs, questions = load_squad(path)
    assert [d.doc_id for d in docs] == ["p0001", "p0002"]
    assert docs[0].title == "Sông Mê Kông" and docs[0].content_spans == ((0, len(docs[0].text)),)
    assert [(q.id, q.doc_id, q.numeric) for q in questions] == [
        ("m1", "p0001", True), ("m2", "p0001", False), ("f1", "p0002", False)]
    _, sample = load_squad(path, limit=2, seed=1)
    assert len(sample) == 2


def test_squad_end_to_end_in_a_temporary_index(service, tmp_path, capsys):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY_SQUAD, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "squad.json"
    assert eval_main(["--squad", str(path), "--json", str(out), "--quiet"], embedder=service.embedder) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["kind"] == "squad" and report["index"]["path"] == "(temporary)"
    assert report["source"] == {"name": str(path), "n_questions": 3, "n_paragraphs": 2, "n_numeric": 1,
                                "limit": None, "seed": None}
    assert [r["name"] for r in report["rows"]] == list(ROW_NAMES)
    for row in report["rows"]:
        assert row["overall"]["n"] == 3 and row["overall"]["n_numeric"] == 1
        _check_fractions(row["overall"], SQUAD_KEYS, row["options"] is None)
        assert set(row["per_tag"]) == {"numeric", "non-numeric"}
    # the session's seed index is untouched: the SQuAD paragraphs went to a temporary index
    assert service.document("p0001") is None
    assert "| hybrid |" in capsys.readouterr().out


def test_http_mode_evaluates_the_hybrid_row_over_post_ask(service, tmp_path):
    from fastapi.testclient import TestClient

    from api.dependencies import get_service
    from api.main import create_app

    app = create_app()
    app.dependency_overrides[get_service] = lambda: service
    app.state.service = service
    gold = _write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "http.json"
    with TestClient(app) as client:
        code = eval_main(["--gold", str(gold), "--url", "http://testserver", "--json", str(out), "--quiet"],
                         http_client=client)
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in report["rows"]] == ["hybrid"]
    _check_fractions(report["rows"][0]["overall"], GOLD_KEYS, False)
    assert report["problems"] == []  # evidence located through GET /documents/{doc_id}


def test_exit_status_is_non_zero_only_when_it_cannot_run(tmp_path, capsys):
    assert eval_main(["--gold", str(tmp_path / "missing.jsonl")]) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1, 2]\n", encoding="utf-8")
    assert eval_main(["--gold", str(bad)]) == 1
    assert eval_main(["--squad", str(tmp_path / "missing.json")]) == 1
    not_squad = tmp_path / "x.json"
    not_squad.write_text('{"hello": 1}', encoding="utf-8")
    assert eval_main(["--squad", str(not_squad)]) == 1
    assert eval_main(["--squad", str(not_squad), "--url", "http://127.0.0.1:9"]) == 2
    assert eval_main(["--rows", "nope"]) == 2
    assert eval_main(["--limit", "0"]) == 2
    assert eval_main(["--gold", str(bad), "--squad", str(not_squad)]) == 2
    assert eval_main(["--gold", str(_write_gold(tmp_path / "g.jsonl")), "--url", "http://127.0.0.1:9"]) == 1
    capsys.readouterr()


def test_asking_twice_reuses_the_question_vector_without_changing_results(service):
    from qa.retrieve.retriever import RetrievalOptions

    from eval.runner import ServiceBackend, ask_pair

    original = service.retriever.embedder
    calls = []

    class Counting:
        def __getattr__(self, name):
            return getattr(original, name)

        def encode_queries(self, texts):
            calls.append(list(texts))
            return original.encode_queries(texts)

    service.retriever.embedder = Counting()
    try:
        backend = ServiceBackend(service, RetrievalOptions())
        ans, ret, latency, error = ask_pair(backend, "bao nhieu tai khoan VNeID", 5)
        assert len(calls) == 1 and error is None and latency > 0
    finally:
        service.retriever.embedder = original

    def strip(body):
        return {k: v for k, v in body.items() if k != "took_ms"}

    assert strip(ans) == strip(service.ask("bao nhieu tai khoan VNeID", top_k=5))
    assert strip(ret) == strip(service.ask("bao nhieu tai khoan VNeID", top_k=10))
    assert len(ret["passages"]) == 10 and len(ans["passages"]) == 5
