"""The reader seam: hard rules, feature rows, the shipped learned model, and the rule baseline."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from qa.read.answerability import ANSWER_FEATURES, answer_row, covered
from qa.read.features import FEATURES, feature_rows, hard_reject, is_bare_amount
from qa.read.figures import Quantity, find_dates, find_quantities
from qa.read.learned import CARD_FILE, MODEL_DIR, MODEL_FILE, LearnedReader, ModelMismatch, load_card, measure_across_articles
from qa.read.question import profile_question
from qa.read.rules import Candidate


def _candidate(sentence: str, index: int = 0) -> Candidate:
    q = find_quantities(sentence)[index]
    return Candidate(q, "doc", 0, 0, len(sentence), 0, published="2019-05-01")


@pytest.mark.parametrize("sentence, question, rejected", [
    ("Năm 2018 có 2018 người tham gia.", "bao nhiêu người tham gia?", False),  # a count with its noun
    ("Kết quả được công bố 2018.", "bao nhiêu kết quả?", False),  # parser leaves a bare year out or …
    ("Lãi suất kỳ hạn 12 tháng là 6,8%/năm.", "Lãi suất kỳ hạn 12 tháng là bao nhiêu?", True),
    ("Giá xăng tăng 1.153 đồng/lít.", "Giá xăng tăng bao nhiêu?", False),
    # a month and a name are not figures the question gives (dev-half sentences)
    ("Trong tháng 4, giá vàng thế giới tăng hơn 4%.", "Suốt tháng 4/2016, vàng quốc tế đã đi lên bao nhiêu phần trăm?",
     False),
    ("Hiện tập đoàn MiG đang hợp tác với 29 quốc gia.", "Có bao nhiêu nước đang dùng dòng MiG-29?", False),
    ("Giá xăng tăng 20 đồng/lít.", "Giá xăng ngày 20/11/2017 tăng bao nhiêu?", False),
    ("Giá xăng RON 95 tăng 95 đồng/lít.", "Giá xăng RON 95 tăng bao nhiêu?", True),  # a number standing alone
])
def test_hard_rules(sentence, question, rejected):
    cands = [_candidate(sentence, i) for i in range(len(find_quantities(sentence)))]
    reasons = [hard_reject(c, question) for c in cands]
    assert any(reasons) == rejected, reasons


def test_a_bare_year_is_not_a_count():
    from qa.read.figures import Quantity

    year = Quantity(text="2018", start=0, end=4, number_text="2018", value=2018.0, kind="count", unit=None,
                    noun=None, qualifier=None, denominator=None, currency=None)
    assert hard_reject(Candidate(year, "d", 0, 0, 4, 0), "bao nhiêu?") == "a year is not a count"


def test_feature_rows_shape_and_relative_features():
    sentence = "Tại Hà Nội, trong tháng 5/2019 giá xăng tăng 1.153 đồng/lít, xăng RON 95 tăng 1.200 đồng/lít."
    cands = [_candidate(sentence, i) for i in range(len(find_quantities(sentence)))]
    for c, sem in zip(cands, (0.9, 0.8, 0.7)):
        c.semantic = sem
    profile = profile_question("Giá xăng ở Hà Nội tháng 5/2019 tăng bao nhiêu?")
    X = feature_rows(profile.text, profile, cands, [], lambda c: (sentence, "", "Giá xăng", "2019-06-01", ""))
    assert X.shape == (len(cands), len(FEATURES))
    col = {f: i for i, f in enumerate(FEATURES)}
    assert X[0, col["semantic_gap"]] == 0.0 and X[-1, col["semantic_gap"]] > 0
    assert (X[:, col["time_asked"]] == 1).all() and (X[:, col["time_match"]] == 1).all()
    assert (X[:, col["place_match_sentence"]] == 1).all()
    assert (X[:, col["question_asks_change"]] == 1).all()
    # one sentence: "giá xăng", "hà nội", "tháng 5" … are found as pairs, and no sentence beats it
    assert (X[:, col["sentence_bigrams"]] > 0).all() and (X[:, col["sentence_bigrams_gap"]] == 0).all()
    other = profile_question("Giá vàng tăng bao nhiêu?")  # no pair of this question is in the sentence
    Y = feature_rows(other.text, other, cands, [], lambda c: (sentence, "", "Giá xăng", "2019-06-01", ""))
    assert (Y[:, col["sentence_bigrams"]] < X[:, col["sentence_bigrams"]]).all()


def test_article_coverage_reads_the_question_s_terms_anywhere_in_the_figure_s_article():
    # an unanswerable training question names an air force the articles do not: the figure of an
    # article that never names "Zimbabwe" has less of the question in its article than one that does
    sentence = "Lực lượng này hiện có 12 trực thăng."
    here, elsewhere = _candidate(sentence), _candidate(sentence)
    here.doc_id, elsewhere.doc_id = "zimbabwe", "other"
    articles = {"zimbabwe": "Không quân Zimbabwe\nKhông quân Zimbabwe mua thêm máy bay. " + sentence,
                "other": "Không quân Nigeria\nKhông quân Nigeria mua thêm máy bay. " + sentence}
    profile = profile_question("Không quân Zimbabwe có bao nhiêu trực thăng?")
    X = feature_rows(profile.text, profile, [here, elsewhere], [], lambda c: (sentence, "", "", "2019-06-01", ""),
                     article_of=articles.__getitem__)
    col = {f: i for i, f in enumerate(FEATURES)}
    assert X[0, col["article_coverage"]] == pytest.approx(1.0)  # every term of the question is in it
    assert X[1, col["article_coverage"]] < X[0, col["article_coverage"]]
    assert X[0, col["article_coverage_gap"]] == 0 and X[1, col["article_coverage_gap"]] > 0


def _rows(sentence: str, question: str, earlier: str = "") -> tuple[list[Candidate], np.ndarray, dict[str, int]]:
    """Feature rows of a sentence's figures, alone in its paragraph; ``earlier`` is the article's
    text before that paragraph."""
    cands = [_candidate(sentence, i) for i in range(len(find_quantities(sentence)))]
    cands = [c for c in cands if hard_reject(c, question) is None]  # as the reader does
    profile = profile_question(question)
    X = feature_rows(profile.text, profile, cands, [], lambda c: (sentence, "", "", "2019-06-01", earlier))
    return cands, X, {f: i for i, f in enumerate(FEATURES)}


def _row_of(cands: list[Candidate]) -> dict[str, int]:
    """Each figure's row, by the first word of its text ("270" for "270 triệu đồng")."""
    return {c.quantity.text.split()[0]: i for i, c in enumerate(cands)}


@pytest.mark.parametrize("sentence, question, labelled", [
    # real sentences from VietNews: the item's label comes before its figure …
    ("Vận chuyển 1 container tiêu chuẩn (20 feet) đường bộ từ Sài Gòn đến Hải Phòng mất 34 triệu đồng, "
     "đường sắt 12,4 triệu đồng, đường biển 5,2 triệu đồng.",
     "van chuyen 1 container 20 feet duong bien het bao nhieu tien", "5,2 triệu đồng"),
    ("Hiện nay, học phí trường THPT công lập khu vực nội thành là 120 nghìn đồng/tháng, "
     "ngoại thành là 100.000 đồng/tháng.", "Học phí THPT công lập khu vực ngoại thành bao nhiêu một tháng?",
     "100.000 đồng/tháng"),
    # … or after it
    ("BIDV vừa đăng thông báo bán nợ với tổng giá trị hơn 2.200 tỷ đồng gồm 1.208 tỷ đồng nợ gốc và "
     "1.070 tỷ đồng nợ lãi.", "Khoản nợ BIDV rao bán có bao nhiêu nợ lãi?", "1.070 tỷ đồng"),
])
def test_label_features_single_out_the_named_item_of_a_list(sentence, question, labelled):
    cands, X, col = _rows(sentence, question)
    named = [i for i, c in enumerate(cands) if labelled in c.quantity.text]
    assert len(named) == 1, [c.quantity.text for c in cands]
    i = named[0]
    assert X[i, col["label_best"]] == 1 and X[i, col["label_gap"]] == 0
    assert X[i, col["label_bigrams"]] > 0 and X[i, col["label_bigrams_gap"]] == 0
    others = [j for j in range(len(cands)) if j != i]
    assert all(X[j, col["label_bigrams"]] < X[i, col["label_bigrams"]] for j in others)


def test_from_and_to_ends_of_a_change():
    sentence = "Tỷ trọng doanh thu từ hoạt động tín dụng giảm từ 53% xuống 48%."
    cands, X, col = _rows(sentence, "ty trong doanh thu tu tin dung giam con bao nhieu")
    by_text = {c.quantity.text: i for i, c in enumerate(cands)}
    assert X[by_text["53%"], col["figure_after_from"]] == 1 and X[by_text["53%"], col["figure_after_to"]] == 0
    assert X[by_text["48%"], col["figure_after_to"]] == 1 and X[by_text["48%"], col["figure_after_from"]] == 0
    assert (X[:, col["question_asks_to"]] == 1).all() and (X[:, col["question_asks_from"]] == 0).all()
    _, X, col = _rows(sentence, "Tỷ trọng doanh thu tín dụng trước đó là bao nhiêu?")
    assert (X[:, col["question_asks_from"]] == 1).all() and (X[:, col["question_asks_to"]] == 0).all()


def test_shipped_card_matches_the_code():
    card = load_card()
    assert tuple(card["features"]) == FEATURES
    assert 0.0 < card["threshold"] < 1.0
    assert card["training"]["data_sha256"] and card["training"]["excluded_evaluation_articles"] >= 67
    assert card["cross_validation"]["grouped_by"] == "article"
    assert tuple(card["answer_model"]["features"]) == ANSWER_FEATURES


def test_card_without_an_answer_model_is_refused(tmp_path, service):
    shutil.copy(MODEL_DIR / MODEL_FILE, tmp_path / MODEL_FILE)
    card = load_card()
    del card["answer_model"]
    (tmp_path / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelMismatch):
        LearnedReader(service.index, model_dir=tmp_path)


def test_model_with_other_features_is_refused(tmp_path, service):
    shutil.copy(MODEL_DIR / MODEL_FILE, tmp_path / MODEL_FILE)
    card = load_card()
    card["features"] = card["features"][:-1]
    (tmp_path / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelMismatch):
        LearnedReader(service.index, model_dir=tmp_path)


def test_the_learned_reader_answers_the_headline_with_the_newest_figure_and_lists_no_wrong_older_one(service):
    # README's headline example, with the default (learned) reader: the newest article's figure
    # answers, and an older figure listed under it can only be the older article's figure for the
    # same measure. Whether that one is listed is its article's alone probability against the
    # threshold (the next test pins the mechanism): 0.58–0.70 over six retrains against thresholds
    # that moved 0.64–0.72 with the fold draw, a coin flip for one seed figure (eval/RESULTS.md,
    # 2026-12-07). Listing across articles is held by the 121-question floor in
    # tests/test_quality_floor.py instead. A retrained model whose scores fall apart still fails
    # here (the twenty-first model answered another figure; RESULTS, 2026-12-06 early morning)
    ans = service.ask("bao nhiêu tài khoản VNeID?", reader="learned")["answer"]
    assert ans is not None and ans["value"] == pytest.approx(75_700_000)
    assert ans["citation"]["doc_id"] == "003_158d2d1cb2a5e738"
    older = [(o["citation"]["doc_id"], o["value"], o["as_of"]) for o in ans["older"]]
    assert set(older) <= {("000_9731a1f374b0ab51", 53_620_000, "2024-04-25")}, older


def test_another_article_s_figure_is_listed_only_when_that_article_alone_would_be_answered_with_it(service):
    # the grouping of one measure across articles reads the answer model's calibrated threshold,
    # not a ratio of scores whose scale moves with each retrain
    question, older_doc = "bao nhiêu tài khoản VNeID?", "000_9731a1f374b0ab51"
    result = service.retriever.search(question, 8)
    reader = LearnedReader(service.index, threshold=0.0)
    _, _, kept, X = reader.score(question, result.hits, result.query_vector)
    scores = np.array([c.score for c in kept])
    rows = np.array([i for i, c in enumerate(kept) if c.doc_id == older_doc])
    older = max(rows[covered(X[rows])], key=lambda i: scores[i])  # the article's best figure
    assert kept[older].quantity.value == pytest.approx(53_620_000)
    alone = reader.answer_model.probability(answer_row(scores[rows], X[rows], int(np.flatnonzero(rows == older)[0])))
    confidence = reader.read(question, result.hits, result.query_vector).confidence

    def older_listed(threshold: float) -> bool:
        choice = LearnedReader(service.index, threshold=threshold).read(question, result.hits, result.query_vector)
        assert choice is not None and choice.answer.quantity.value == pytest.approx(75_700_000)
        return any(o.doc_id == older_doc for o in choice.older)

    assert alone < confidence  # the newest article's answer is the surer one
    assert older_listed(alone)
    assert not older_listed(float(np.nextafter(alone, 1.0)))


def test_across_articles_gives_the_probability_by_which_read_lists_an_older_article(service):
    # eval.older_figures measures the listing through across_articles: the article it reports at
    # or above the threshold is the one read lists, and the answer is read's
    question, older_doc = "bao nhiêu tài khoản VNeID?", "000_9731a1f374b0ab51"
    result = service.retriever.search(question, 8)
    reader = LearnedReader(service.index)
    choice, best, others = reader.across_articles(question, result.hits, result.query_vector)
    read = reader.read(question, result.hits, result.query_vector)
    assert best is choice.answer and choice.answer.quantity.value == read.answer.quantity.value
    alone = {c.doc_id: p for c, p in others}
    assert choice.answer.doc_id not in alone and older_doc in alone
    assert {c.doc_id for c in read.older} == {d for d, p in alone.items() if p >= reader.threshold}


def test_an_article_joins_the_measure_with_its_best_figure_only():
    best = _candidate("Đã có 75,7 triệu tài khoản VNeID.")
    other_count = _candidate("Đã có 86 triệu thẻ căn cước.")
    same_noun = _candidate("Đã có 53,62 triệu tài khoản định danh.")
    best.doc_id, best.score, best.published = "new", 0.9, "2024-07-11"
    for c in (other_count, same_noun):
        c.doc_id, c.published = "old", "2024-04-25"
    other_count.score, same_noun.score = 0.5, 0.4
    best.target_match, same_noun.target_match = 1.0, 0.5  # both count the question's "tài khoản"
    profile = profile_question("bao nhiêu tài khoản VNeID?")

    def older(viable, alone):
        return [c.quantity.value for c in measure_across_articles(viable, profile, 0, alone, 0.5).older]

    # the old article's best figure counts something else: the article does not take part
    assert older([best, other_count, same_noun], lambda c: 1.0) == []
    assert older([best, same_noun], lambda c: 1.0) == [pytest.approx(53_620_000)]
    assert older([best, same_noun], lambda c: 0.4) == []  # it would not be answered with it alone


def test_a_newer_article_s_figure_answers_only_when_its_article_alone_is_as_sure_as_the_best_s():
    # "newest answers" let another storm's distance, one bank's profit for another's, four roads'
    # length for a bridge's take the learned reader's right answer: 5 right training answers made
    # wrong and none mended, each less sure alone than the best (eval/RESULTS.md, 2026-12-07)
    best = _candidate("Hiện bão cách quần đảo Hoàng Sa khoảng 740km về phía đông đông bắc.")
    newer = _candidate("Đến ngày 5-6, bão còn cách quần đảo Hoàng Sa khoảng 160km về phía bắc tây bắc.")
    older = _candidate("Bão cách quần đảo Hoàng Sa khoảng 900km về phía đông.")
    for c, doc, published, score in ((best, "a", "2017-10-13", 0.97), (newer, "b", "2018-06-03", 0.82),
                                     (older, "c", "2017-10-12", 0.80)):
        c.doc_id, c.published, c.score, c.target_match = doc, published, score, 1.0  # each counts "km"
    profile = profile_question("bao so 11 hien cach quan dao hoang sa bao nhieu km")

    def pick(alone: dict[str, float], best_first=(best, newer, older)):
        choice = measure_across_articles(list(best_first), profile, 3, lambda c: alone[c.doc_id], 0.68)
        return choice.answer.doc_id, [c.doc_id for c in choice.older]

    # the case read: alone the newer article (0.682) is less sure than the best's (0.739)
    assert pick({"a": 0.739, "b": 0.682, "c": 0.70}) == ("a", ["c"])  # the newer one is not listed either
    # as sure alone: the newest answers, the best is listed under it
    assert pick({"a": 0.739, "b": 0.739, "c": 0.70}) == ("b", ["a", "c"])
    # sure enough to answer but below the threshold alone: not in the measure at all
    assert pick({"a": 0.60, "b": 0.65, "c": 0.70}) == ("a", ["c"])
    # an undated best figure cannot be placed in time: every other article's is listed
    best.published = None
    assert pick({"a": 0.739, "b": 0.90, "c": 0.70}) == ("a", ["b", "c"])


def test_a_date_answer_is_neither_replaced_by_nor_listed_with_another_article_s_date():
    # a date says when something happened: another article's date is not a newer or older figure
    def dated(sentence: str, doc: str, published: str, score: float) -> Candidate:
        m = find_dates(sentence)[0]  # as the picker's date_quantities: the date as a figure of kind "date"
        q = Quantity(text=m.text, start=m.start, end=m.end, number_text=m.text, value=float(m.year), kind="date",
                     unit=None, noun=None, qualifier=None, denominator=None, currency=None)
        c = Candidate(q, doc, 0, 0, len(sentence), 0, published=published)
        c.score, c.target_match = score, 1.0
        return c

    best = dated("Sân bay Long Thành khởi công ngày 5/1/2021.", "a", "2021-01-06", 0.9)
    other = dated("Dự kiến sân bay Long Thành khởi công ngày 2/9/2020.", "b", "2021-03-01", 0.8)
    profile = profile_question("sân bay Long Thành khởi công ngày nào?")
    choice = measure_across_articles([best, other], profile, 2, lambda c: 0.95, 0.5)
    assert choice.answer is best and choice.older == []


def _copy_model(to) -> None:
    for name in (MODEL_FILE, CARD_FILE, "kind.json", *(p.name for p in MODEL_DIR.glob("answer*"))):
        shutil.copy(MODEL_DIR / name, to / name)


def test_a_card_of_several_rankers_scores_with_their_average_and_refuses_a_missing_one(tmp_path, service):
    import lightgbm as lgb
    from qa.read.learned import figure_scores

    _copy_model(tmp_path)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, len(FEATURES)))
    other = lgb.train({"objective": "regression", "verbose": -1, "num_threads": 1},
                      lgb.Dataset(X, X[:, 0] + rng.normal(size=200)), 5)
    card = load_card()
    card["ranker_files"] = [MODEL_FILE, "reader.2.lgb.txt"]
    (tmp_path / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelMismatch, match="reader.2.lgb.txt"):
        LearnedReader(service.index, model_dir=tmp_path)
    other.save_model(str(tmp_path / "reader.2.lgb.txt"))
    pair, alone = LearnedReader(service.index, model_dir=tmp_path), LearnedReader(service.index)
    question = "bao nhiêu tài khoản VNeID?"
    result = service.retriever.search(question, 8)
    _, _, kept, rows = pair.score(question, result.hits, result.query_vector)
    assert [c.score for c in kept] == pytest.approx(figure_scores([alone.rankers[0], other], rows).tolist())
    assert [c.score for c in kept] != pytest.approx(figure_scores(alone.rankers, rows).tolist())


def test_model_without_its_kind_prior_is_refused(tmp_path, service):
    _copy_model(tmp_path)
    (tmp_path / "kind.json").unlink()
    with pytest.raises(ModelMismatch, match="kind.json"):
        LearnedReader(service.index, model_dir=tmp_path)
    shutil.copy(MODEL_DIR / "kind.json", tmp_path / "kind.json")
    LearnedReader(service.index, model_dir=tmp_path)  # with it, the same files load


def test_learned_answer_has_confidence_and_threshold_gates_it(service):
    question = "bao nhiêu tài khoản VNeID?"
    result = service.retriever.search(question, 8)
    lenient = LearnedReader(service.index, threshold=0.0)
    choice = lenient.read(question, result.hits, result.query_vector)
    assert choice is not None and 0.0 <= choice.confidence <= 1.0
    assert choice.answer.quantity.value == pytest.approx(75_700_000)  # the right figure ranks first
    strict = LearnedReader(service.index, threshold=1.01)
    assert strict.read(question, result.hits, result.query_vector) is None
    body = service.ask(question, reader="learned")  # the shipped threshold: answered or not, never wrong here
    assert body["answer"] is None or body["answer"]["value"] == pytest.approx(75_700_000)


def test_a_question_naming_a_place_no_passage_covers_gets_no_answer(service):
    lenient = LearnedReader(service.index, threshold=0.0)
    question = "Tỉnh Cà Mau có bao nhiêu tài khoản VNeID?"
    result = service.retriever.search(question, 8)
    assert lenient.read(question, result.hits, result.query_vector) is None


def test_rules_reader_is_the_baseline_row(service):
    assert service.reader_named("learned").name == "learned"
    body = service.ask("bao nhiêu tài khoản VNeID?", reader="rules")
    assert body["answer"] is not None and body["answer"]["confidence"] is None
    with pytest.raises(ValueError):
        service.ask("bao nhiêu tài khoản VNeID?", reader="nonsense")


def test_when_question_gets_date_candidates(service):
    picker = service.reader_named("learned").picker
    question = "Phiên họp lần thứ 8 của Ủy ban Quốc gia về chuyển đổi số diễn ra vào ngày nào?"
    result = service.retriever.search(question, 8)
    profile, cands = picker.scored_candidates(question, [h.chunk_id for h in result.hits], result.query_vector)
    assert profile.expected_kind == "date"
    dates = {c.date for c in cands if c.quantity.kind == "date"}
    assert "2024-04-24" in dates, dates


def test_non_figure_question_abstains(service):
    assert service.ask("Ai là Chủ tịch Ủy ban Quốc gia về chuyển đổi số?")["answer"] is None
    assert isinstance(np.float32(0), np.floating)


@pytest.mark.parametrize("text, direction", [
    ("Mức phí cao nhất ở trạm BOT Hòa Lạc - Hòa Bình là bao nhiêu?", 1),
    ("muc phi thap nhat o tram BOT la bao nhieu", -1),  # typed without tone marks: matched folded
    ("Lương tối thiểu vùng I năm 2019 là bao nhiêu?", -1),
    ("Sức gió mạnh nhất vùng gần tâm bão cấp mấy?", 1),
    ("cao nhất và thấp nhất", 0),  # both ends: neither
    ("Tôi đã nói với anh ấy", 0),  # toned, "tôi đã" is not "tối đa"
    ("Giá xăng RON 95 là bao nhiêu?", 0),
])
def test_superlative_direction(text, direction):
    from qa.read.features import superlative_direction

    assert superlative_direction(text) == direction


def test_the_end_of_a_range_asked_for_is_read_from_the_figures_own_item():
    # VietNews, training batch 21: the question asks for the top of the range
    sentence = "Mức phí thấp nhất là 35.000 đồng/lượt xe và cao nhất là 180.000 đồng/lượt xe."
    cands, X, col = _rows(sentence, "Mức phí cao nhất ở trạm BOT Hòa Lạc - Hòa Bình là bao nhiêu?")
    by_text = _row_of(cands)
    low, high = by_text["35.000"], by_text["180.000"]
    assert X[high, col["superlative_agrees"]] == 1 and X[high, col["superlative_opposes"]] == 0
    assert X[low, col["superlative_opposes"]] == 1 and X[low, col["superlative_agrees"]] == 0
    _, Y, _ = _rows(sentence, "Mức phí ở trạm BOT Hòa Lạc - Hòa Bình là bao nhiêu?")  # no end asked: no signal
    assert (Y[:, col["superlative_agrees"]] == 0).all() and (Y[:, col["superlative_opposes"]] == 0).all()


def test_slot_words_with_tone_marks_are_words_not_fillers():
    # folded, "máy" is the filler "mấy": dropped on both sides, the slot's right side said nothing
    sentence = "Xưởng có 120 công nhân và 45 máy may công nghiệp."
    cands, X, col = _rows(sentence, "Xưởng có bao nhiêu máy may?")
    by_text = _row_of(cands)
    machines, workers = by_text["45"], by_text["120"]
    assert X[machines, col["slot_right_share"]] == 1 and X[workers, col["slot_right_share"]] == 0
    # typed without marks, "may may" may be "mấy máy": it stays a filler, and no side is favoured
    _, Y, _ = _rows(sentence, "xuong co bao nhieu may may?")
    assert Y[machines, col["slot_right_share"]] == Y[workers, col["slot_right_share"]] == 0


@pytest.mark.parametrize("question, slot", [
    ("Giá xăng RON 92 tăng bao nhiêu đồng mỗi lít?", (("xang", "ron", "tang"), ("dong", "moi"))),
    ("xuat khau gao dat khoang bao nhieu tan", (("khau", "gao", "dat"), ("tan",))),  # "khoảng" is no content
    ("Có mấy tỉnh bị ảnh hưởng?", ((), ("tinh", "bi"))),
    # toned: "máy" is no slot, and no filler either; nor are "vé", "cổ" (phiếu), "bảo" (hiểm)
    ("Máy bay chở bao nhiêu hành khách?", (("may", "bay", "cho"), ("hanh", "khach"))),
    ("Giá vé tàu Tết tăng bao nhiêu phần trăm?", (("tau", "tet", "tang"), ("phan", "tram"))),
    ("Mỗi cổ phiếu được trả cổ tức bao nhiêu?", (("tra", "co", "tuc"), ())),
    ("Bao nhiêu lao động có bảo hiểm xã hội?", ((), ("lao", "dong"))),
    # typed without marks, "ve", "co", "bao" are read as the fillers they may be
    ("gia ve tau tet tang bao nhieu", (("gia", "tau", "tet", "tang")[-3:], ())),
    ("Tỷ lệ hộ gia đình sử dụng cáp quang?", None),
])
def test_question_slot(question, slot):
    from qa.read.features import question_slot

    assert question_slot(question) == slot


def test_slot_features_follow_the_words_around_the_slot():
    # VietNews, training batch 5: the question is its sentence with the figure replaced
    sentence = "Tại hiện trường, công an đã thu giữ số tiền 270 triệu đồng và 15 điện thoại di động."
    cands, X, col = _rows(sentence, "Công an thu giữ số tiền bao nhiêu?")
    by_text = _row_of(cands)
    money, phones = by_text["270"], by_text["15"]
    assert X[money, col["slot_asked"]] == 1
    assert X[money, col["slot_left_run"]] == 1 and X[money, col["slot_left_share"]] == 1  # "thu giữ số tiền"
    assert X[phones, col["slot_left_run"]] == 0 and X[phones, col["slot_left_share"]] < 1
    _, Y, _ = _rows(sentence, "Công an thu giữ bao nhiêu điện thoại?")
    assert Y[phones, col["slot_right_share"]] == 1 and Y[money, col["slot_right_share"]] == 0
    _, Z, _ = _rows(sentence, "Số tiền công an thu giữ?")  # no slot: no signal
    assert (Z[:, [col["slot_asked"], col["slot_left_run"], col["slot_right_share"]]] == 0).all()


# evidence of training questions (eval/vnews_train) whose right figure is money written without
# its currency, and figures that say what they count
@pytest.mark.parametrize("sentence, number_text, bare", [
    ("Công ty Lũng Lô 5 còn nợ tiền sử dụng đất trên 342 tỉ.", "342 tỉ", True),
    ("ông Trí phải đóng 108 triệu tiền lệ phí trước bạ", "108 triệu", True),
    ("Lilama Hà Nội nợ hơn 111 tỉ tiền nợ thuế", "111 tỉ", True),
    ("dân số Việt Nam đạt 96 triệu người", "96 triệu", False),    # people
    ("doanh thu đạt 221 tỷ đồng", "221 tỷ", False),               # money already
    ("có 300 học sinh tham dự", "300", False),                    # no magnitude word
])
def test_an_amount_without_what_it_counts_is_marked_bare(sentence, number_text, bare):
    q = next(q for q in find_quantities(sentence) if q.number_text == number_text)
    assert is_bare_amount(q) is bare


@pytest.mark.parametrize("sentence, whole, part", [
    # sentences from the VietNews training articles' sample of errors (eval/RESULTS.md, 2026-12-05)
    ("Tổng mức đầu tư dự án là 552,86 triệu USD, trong đó vốn đối ứng của Việt Nam là 133,86 triệu USD.",
     "552,86", "133,86"),
    ("Toàn tỉnh có 220.000 người bị ảnh hưởng, trong đó có 168.000 người phải sơ tán.", "220.000", "168.000"),
])
def test_a_trong_do_clause_is_a_part_of_the_figure_before_it(sentence, whole, part):
    cands, X, col = _rows(sentence, "bao nhiêu?")
    row = _row_of(cands)
    assert X[row[whole], col["figure_is_whole"]] == 1 and X[row[whole], col["figure_in_part"]] == 0
    assert X[row[part], col["figure_in_part"]] == 1 and X[row[part], col["figure_is_whole"]] == 0


def test_a_sentence_opening_with_trong_do_is_about_a_part():
    # the whole is in the sentence before ("… tổng mức đầu tư 552,86 triệu USD.")
    cands, X, col = _rows("Trong đó, vốn đối ứng của Việt Nam là 133,86 triệu USD.", "bao nhiêu?")
    assert X[_row_of(cands)["133,86"], col["figure_in_part"]] == 1
    cands, X, col = _rows("Trong số đó, 2,6 km đi ngầm; còn lại 17 km đi trên cao.", "bao nhiêu?")
    row = _row_of(cands)
    assert X[row["2,6"], col["figure_in_part"]] == 1 and X[row["17"], col["figure_in_part"]] == 0


def test_a_part_is_described_by_its_whole_too():
    # VietNews training article vn_013627 (sample of out-of-fold errors, 2026-12-05): the part's
    # sentence names only the bank; whose debt, and at which date, the sentence before says
    before = ("Cụ thể, tính đến ngày 30/6/2017, tổng số nợ gốc của Vinaxuki tại bốn ngân hàng thương mại "
              "nói trên là gần 1.367 tỷ đồng.")
    part = "Trong đó, nợ tại Vietcombank là hơn 623 tỷ đồng, tại BIDV 608 tỷ đồng, tại Vietinbank là 98 tỷ đồng."
    cands = [Candidate(q, "doc", sid, 0, len(s), 0, published="2017-08-01")
             for sid, s in enumerate((before, part)) for q in find_quantities(s)]
    para = {0: "", 1: "Mở đầu. " + before}  # the paragraph's text before each sentence
    text = {0: before, 1: part}
    col = {f: i for i, f in enumerate(FEATURES)}

    def rows(question: str, context) -> np.ndarray:
        profile = profile_question(question)
        return feature_rows(profile.text, profile, cands, [], context)

    X = rows("Tính đến 30/6/2017, Vinaxuki còn nợ gốc BIDV bao nhiêu?",
             lambda c: (text[c.sentence_id], para[c.sentence_id], "", "2017-08-01", ""))
    whole, bidv = 0, next(i for i, c in enumerate(cands) if c.quantity.text.startswith("608"))
    described = X[:, col["described_coverage"]]
    # the part holds the whole's words and its own ("BIDV"): it is described best
    assert described[bidv] > described[whole] and X[bidv, col["described_coverage_gap"]] == 0
    # without the sentence before, the part's own words are all it has: the whole beats it
    Y = rows("Tính đến 30/6/2017, Vinaxuki còn nợ gốc BIDV bao nhiêu?",
             lambda c: (text[c.sentence_id], "", "", "2017-08-01", ""))
    assert Y[bidv, col["described_coverage"]] < Y[whole, col["described_coverage"]]
    # a figure that is no part is described by its own clause alone: the same in both
    assert Y[whole, col["described_coverage"]] == described[whole]


def test_the_sentence_before_may_end_the_paragraph_before():
    # the same article as written: "Trong đó, …" opens a paragraph of its own, so the whole's words
    # are the last sentence of the paragraph before (the text before the paragraph, ``earlier``)
    before = ("Cụ thể, tính đến ngày 30/6/2017, tổng số nợ gốc của Vinaxuki tại bốn ngân hàng thương mại "
              "nói trên là gần 1.367 tỷ đồng.")
    part = "Trong đó, nợ tại Vietcombank là hơn 623 tỷ đồng, tại BIDV 608 tỷ đồng, tại Vietinbank là 98 tỷ đồng."
    question = "Tính đến 30/6/2017, Vinaxuki còn nợ gốc BIDV bao nhiêu?"
    with_before = _column(part, question, "described_coverage", "Mở đầu bài báo.\n\n" + before + "\n\n")
    assert with_before["608"] > _column(part, question, "described_coverage")["608"]


def _column(sentence: str, question: str, feature: str, earlier: str = "") -> dict[str, float]:
    """One feature of a sentence's figures (alone in its paragraph, ``earlier`` the article's text
    before it), by the first word of each figure's text."""
    cands, X, col = _rows(sentence, question, earlier)
    return {first: float(X[i, col[feature]]) for first, i in _row_of(cands).items()}


def test_a_sentence_that_details_the_one_before_is_described_by_it():
    # VietNews training article: "Riêng …" (as for … alone) details what the paragraph before said
    before = "Thu nhập của lãnh đạo SCIC gồm tiền lương, thù lao và tiền thưởng."
    detail = ("Riêng mức tiền lương bình quân mỗi người quản lý là 45,2 triệu đồng/tháng (trong đó mức lương "
              "cơ bản là 29,7 triệu đồng/tháng, còn lại là thù lao).")
    question = "Lương bình quân của lãnh đạo SCIC là bao nhiêu mỗi tháng?"
    with_before = _column(detail, question, "described_coverage", before + "\n\n")
    assert with_before["45,2"] > _column(detail, question, "described_coverage")["45,2"]
    # a sentence that opens with neither a part nor a detail word is described by its own clause alone
    plain = detail.removeprefix("Riêng ")
    assert (_column(plain, question, "described_coverage", before + "\n\n")
            == _column(plain, question, "described_coverage"))


def test_figures_without_trong_do_are_neither_part_nor_whole():
    cands, X, col = _rows("Giá xăng tăng 1.153 đồng/lít, xăng RON 95 tăng 1.200 đồng/lít.", "Giá xăng tăng bao nhiêu?")
    assert (X[:, col["figure_in_part"]] == 0).all() and (X[:, col["figure_is_whole"]] == 0).all()


def test_a_figure_after_tuong_duong_is_described_by_the_figure_it_restates():
    # VietNews training articles: the figure after "tương đương" is the one before it in another unit
    sentence = ("Với tỉnh Thái Bình, đến năm 2020 tỉnh Thái Bình có hơn 97.000 ha đất nông nghiệp, chiếm 61,51% "
                "diện tích đất toàn tỉnh, trong đó, đất trồng lúa chiếm tới 76,11% diện tích đất nông nghiệp, "
                "tương đương 74.261 ha.")
    question = "Theo quy hoạch tới 2020, Thái Bình giữ lại bao nhiêu ha ruộng lúa?"
    assert _column(sentence, question, "figure_restates") == {"hơn": 0.0, "61,51%": 0.0, "tới": 0.0, "74.261": 1.0}
    # "đất trồng lúa" before 76,11%: the rice land the question asks of
    assert _column(sentence, question, "restated_coverage")["74.261"] > 0
    # in brackets, and typed without tone marks
    for text in ("với giá 6 vạn Nhân dân tệ (tương đương 180 triệu đồng Việt Nam).",
                 "voi gia 6 van Nhan dan te (tuong duong 180 trieu dong Viet Nam)."):
        assert list(_column(text, question, "figure_restates").values()) == [0.0, 1.0]
    # a figure after another verb restates nothing
    assert not any(_column("Giá 6 triệu đồng, tăng 5% so với tháng trước.", question, "figure_restates").values())


def test_a_figure_context_holds_its_whole_article_before_its_paragraph(service):
    """The place of a figure is read from all of its article before its paragraph (a report names
    its place once, often in its lead), so the context carries all of it, not a window."""
    from qa.read.learned import candidate_context

    picker = service.reader_named("learned").picker
    question = "Bao nhiêu tài khoản định danh điện tử đã được kích hoạt?"
    result = service.retriever.search(question, 8)
    _, cands = picker.scored_candidates(question, [h.chunk_id for h in result.hits], result.query_vector)
    far = [c for c in cands if picker.paragraph_span(c.doc_id, c.sentence_start)[0] > 1500]
    assert far, "no candidate beyond 1,500 characters into its article"
    for c in far:
        doc = picker.index.documents[c.doc_id]
        para_start, _ = picker.paragraph_span(c.doc_id, c.sentence_start)
        sentence, para_before, _, _, earlier = candidate_context(picker, c)
        assert earlier == doc.text[:para_start]
        assert sentence == doc.text[c.sentence_start:c.sentence_end] and para_before == doc.text[para_start:c.sentence_start]
