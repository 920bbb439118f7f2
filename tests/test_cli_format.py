"""What ``vnqa ask`` prints (``qa.cli._format_answer``), from response bodies."""

from qa.cli import _format_answer

PASSAGE = {"rank": 1, "score": 0.87, "doc_id": "d1", "start": 0, "end": 30, "text": "Có 5 xã được hỗ trợ."}


def test_a_near_miss_says_how_close_it_came():
    body = {"question": "q", "answer": None, "passages": [PASSAGE],
            "not_answered": {"reason": "below_threshold", "confidence": 0.5721, "threshold": 0.66}}
    lines = _format_answer(body).splitlines()
    assert lines[0] == "(số liệu khả dĩ nhất đạt độ tin cậy 0,57, dưới ngưỡng 0,66)"
    assert lines[1].startswith("Không tìm thấy câu trả lời") and "[1] 0.870 d1 0:30" in lines[2]


def test_nothing_to_answer_with_says_only_that():
    body = {"question": "q", "answer": None, "passages": [PASSAGE],
            "not_answered": {"reason": "no_figure", "confidence": None, "threshold": 0.66}}
    assert _format_answer(body).splitlines()[0].startswith("Không tìm thấy câu trả lời")


def test_an_answer_says_how_sure_it_is():
    answer = {"text": "hơn 75,7 triệu tài khoản VNeID", "value": 75_700_000, "as_of": "2024-07-11", "confidence": 0.8213,
              "sentence": "… hơn 75,7 triệu tài khoản VNeID đã được cấp.", "older": [],
              "citation": {"doc_id": "d1", "title": "T", "start": 0, "end": 10}}
    first = _format_answer({"question": "q", "answer": answer, "passages": [], "not_answered": None}).splitlines()[0]
    assert first == "hơn 75,7 triệu tài khoản VNeID  (giá trị 75.700.000, theo bài ngày 2024-07-11, độ tin cậy 0,82)"
    # the rule reader gives none: nothing is said
    rules = _format_answer({"question": "q", "answer": {**answer, "confidence": None}, "passages": []}).splitlines()[0]
    assert rules.endswith("theo bài ngày 2024-07-11)")
