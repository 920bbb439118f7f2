"""Time and place of a figure against the question's (qa.read.context)."""

from __future__ import annotations

import pytest

from qa.read.context import (EARLIER_CHARS, asked_in, figure_period, last_places_in, last_time_in, place_features, time_features,
                             times_in)


@pytest.mark.parametrize("question, sentence, match, conflict", [
    ("CPI tháng 10/2018 tăng bao nhiêu?", "CPI tháng 10/2018 tăng 0,33% so với tháng trước.", 1, 0),
    ("CPI tháng 9/2018 tăng bao nhiêu?", "CPI tháng 10/2018 tăng 0,33% so với tháng trước.", 0, 1),
    ("Lợi nhuận quý II/2018 là bao nhiêu?", "Trong 6 tháng đầu năm 2018, TPBank báo lãi hơn 1.000 tỷ đồng.", 0, 1),
    ("Lợi nhuận 6 tháng đầu năm 2018 là bao nhiêu?", "Trong 6 tháng đầu năm 2018, TPBank báo lãi hơn 1.000 tỷ đồng.", 1, 0),
    ("loi nhuan 6 thang dau nam 2018 la bao nhieu", "Trong 6 tháng đầu năm 2018, TPBank báo lãi hơn 1.000 tỷ đồng.", 1, 0),
    ("Lợi nhuận là bao nhiêu?", "Trong 6 tháng đầu năm 2018, TPBank báo lãi hơn 1.000 tỷ đồng.", 0, 0),
])
def test_time_match_and_conflict(question, sentence, match, conflict):
    asked = asked_in(question)
    fig = sentence.index("0,33%") if "0,33%" in sentence else sentence.index("hơn 1.000")
    period, source = figure_period(sentence, fig, "", "", "2018-11-05")
    f = time_features(asked, period, source, "2018-11-05")
    assert (f["time_match"], f["time_conflict"]) == (match, conflict)


def test_baseline_is_not_the_figures_period():
    sentence = "Xuất khẩu tăng 12% so với cùng kỳ năm 2017."
    period, source = figure_period(sentence, sentence.index("12%"), "", "", "2018-07-01")
    assert period is None or not period.baseline
    assert period is None or period.start.year != 2017


@pytest.mark.parametrize("sentence, figure, period_start", [
    # a time written right after a figure is its adjunct, ahead of a time before it that belongs
    # to the figure before (training sentences, vn_013916, vn_014334, vn_018325)
    ("Phương án 2, đề nghị tăng theo lộ trình lên 12% từ ngày 1/1/2019 và 14% từ ngày 1/1/2021.", "14%", "2021-01-01"),
    ("Phương án 2, đề nghị tăng theo lộ trình lên 12% từ ngày 1/1/2019 và 14% từ ngày 1/1/2021.", "12%", "2019-01-01"),
    ("Tài sản của ông đã tăng khá mạnh từ mức 20.188 tỷ đồng cuối năm 2014 lên 22.149 tỷ đồng vào thời điểm hiện tại.",
     "20.188 tỷ đồng", "2014"),
    # a comma or "và" ends a figure's stretch: the time after it opens the next item
    ("Con số này trong tháng 3 là 10 triệu USD, tháng 4 là 9 triệu USD khi dịch lan rộng.", "10 triệu USD", "2019-03-01"),
    ("Con số này trong tháng 3 là 10 triệu USD, tháng 4 là 9 triệu USD khi dịch lan rộng.", "9 triệu USD", "2019-04-01"),
    ("Giá giảm 3% trong tháng 5 và tăng 2% trong tháng 6.", "3%", "2019-05-01"),
    ("Năm 2018 đạt 5 tỷ đồng và năm 2019 đạt 7 tỷ đồng.", "5 tỷ đồng", "2018"),
    # "X thì Y": the time after "thì" opens the next clause (training sentence, vn_018373 Baseafood)
    ("Cụ thể năm 2017, Baseafood xuất khẩu được hơn 10 triệu USD thì năm nay chỉ còn chưa đầy 5 triệu USD.",
     "10 triệu USD", "2017"),
    # a unit glued to a digit may stand between (training sentence, Cát Lái land prices)
    ("Đến cuối năm 2017, giá đất bật lên 28,5 triệu đồng/m2 và tiếp tục vọt lên mức 35 triệu đồng/m2 trong quý "
     "đầu năm 2018.", "35 triệu đồng", "2018-01-01"),
])
def test_a_time_right_after_a_figure_is_its_own(sentence, figure, period_start):
    start = sentence.index(figure)
    period, source = figure_period(sentence, start, "", "", "2019-07-01", "", start + len(figure))
    assert source == "sentence" and period.start.isoformat().startswith(period_start)


def test_period_from_the_paragraph_or_title():
    period, source = figure_period("Giá vàng SJC bán ra 36,5 triệu đồng/lượng.", 20, "", "Giá vàng hôm nay (3/5)",
                                   "2018-05-03")
    assert source == "title" and period.start.isoformat() == "2018-05-03"


def test_period_from_an_earlier_paragraph():
    """A storm bulletin states its time once; the next paragraph's figures speak of it (dev half)."""
    sentence = "Sức gió mạnh nhất ở vùng gần tâm bão mạnh cấp 12 (115-135 km/h), giật cấp 15."
    earlier = "Hồi 13h ngày 14-10, vị trí tâm bão ở ngoài khơi.\n\nĐến 13h ngày 15-10, vị trí tâm bão ở vào khoảng 17,5 độ Vĩ Bắc.\n\n"
    period, source = figure_period(sentence, sentence.index("12"), "", "", "2017-10-13", earlier)
    assert source == "earlier" and period.end.isoformat() == "2017-10-15"
    f = time_features(asked_in("Đến 13h ngày 15-10, bão số 11 mạnh cấp mấy?"), period, source, "2017-10-13")
    assert (f["time_match"], f["time_found_earlier"]) == (1.0, 1.0)
    # the sentence's own time, its paragraph's and the title's come first
    period, source = figure_period("Trong tháng 9, giá tăng 5%.", 20, "", "", "2017-10-13", earlier)
    assert source == "sentence"


@pytest.mark.parametrize("question, sentence, context, expected", [
    ("Hà Nội có bao nhiêu ca sốt xuất huyết?", "Hà Nội ghi nhận 300 ca sốt xuất huyết.", "", "place_match_sentence"),
    ("Hà Nội có bao nhiêu ca sốt xuất huyết?", "Thành phố ghi nhận 300 ca.", "Tại Hà Nội, dịch tăng.", "place_match_context"),
    ("Hà Nam có bao nhiêu ca sốt xuất huyết?", "Hà Nội ghi nhận 300 ca sốt xuất huyết.", "", "place_conflict"),
    ("TP.HCM có bao nhiêu ca?", "TP. Hồ Chí Minh ghi nhận 300 ca.", "", "place_match_sentence"),
    ("bao nhieu ca o da nang", "Đà Nẵng ghi nhận 300 ca.", "", "place_match_sentence"),
])
def test_place_features(question, sentence, context, expected):
    f = place_features(asked_in(question), sentence, context, "")
    assert f[expected] == 1.0
    others = {"place_match_sentence", "place_match_context", "place_conflict"} - {expected}
    assert all(f[o] == 0.0 for o in others)


# a report names its place once; the figures of its next paragraphs speak of it (training
# sentence: "Quảng Ninh ... thông báo cho gần 3.500 tàu cá" two paragraphs after its lead)
_LEAD = "Chiều 10-10, UBND tỉnh Quảng Ninh họp khẩn ứng phó bão số 3.\n\nMưa lớn kéo dài.\n"


@pytest.mark.parametrize("question, sentence, paragraph, earlier, expected", [
    ("Quảng Ninh thông báo cho bao nhiêu tàu cá?", "Tỉnh thông báo cho gần 3.500 tàu cá.", "", _LEAD, "place_match_context"),
    ("Nghệ An thông báo cho bao nhiêu tàu cá?", "Tỉnh thông báo cho gần 3.500 tàu cá.", "", _LEAD, "place_conflict"),
    # what the sentence or its paragraph names comes first
    ("Quảng Ninh thông báo cho bao nhiêu tàu cá?", "Hải Phòng thông báo cho 900 tàu cá.", "", _LEAD, "place_conflict"),
    ("Hải Phòng thông báo cho bao nhiêu tàu cá?", "Hải Phòng thông báo cho 900 tàu cá.", "", _LEAD, "place_match_sentence"),
    # nothing named anywhere: neither
    ("Quảng Ninh thông báo cho bao nhiêu tàu cá?", "Tỉnh thông báo cho gần 3.500 tàu cá.", "", "Mưa lớn.\n", None),
])
def test_place_named_in_an_earlier_paragraph(question, sentence, paragraph, earlier, expected):
    f = place_features(asked_in(question), sentence, paragraph, "", earlier)
    flags = {"place_match_sentence", "place_match_context", "place_conflict"}
    assert {k for k in flags if f[k]} == ({expected} if expected else set())


# a report names its place in the lead only (training article vn_019765: "Thái Bình" in the lead,
# "6 người đã tử nạn, 7 người được cứu sống" paragraphs later); the time stays with the last
# EARLIER_CHARS, as a report's time moves on as it goes
_FAR = ("Sau tai hoạ đắm thuyền chở ngao sáng 16/12, xã Nam Thịnh (Tiền Hải, Thái Bình) chìm trong tang thương.\n"
        + "Người dân kể lại chuyện cũ trong nhiều giờ liền.\n" * 40)


def test_the_place_is_read_from_the_whole_article_before_and_the_time_from_its_end():
    assert len(_FAR) > 2 * EARLIER_CHARS
    f = place_features(asked_in("Vụ chìm thuyền ở Thái Bình có bao nhiêu người thoát chết?"),
                       "6 người đã tử nạn, 7 người được cứu sống.", "", "", _FAR)
    assert f["place_match_context"] == 1.0 and f["place_conflict"] == 0.0
    f = place_features(asked_in("Vụ chìm thuyền ở Nam Định có bao nhiêu người thoát chết?"),
                       "6 người đã tử nạn, 7 người được cứu sống.", "", "", _FAR)
    assert f["place_conflict"] == 1.0
    sentence = "6 người đã tử nạn, 7 người được cứu sống."
    assert figure_period(sentence, 0, "", "", "2017-12-17", _FAR) == (None, "none")
    near = _FAR[:110] + "Người dân kể lại chuyện cũ.\n"
    period, source = figure_period(sentence, 0, "", "", "2017-12-17", near)
    assert source == "earlier" and period.label == "16/12/2017"


def test_last_places_in_reads_the_nearest_line_that_names_one():
    assert last_places_in(_LEAD) and last_places_in(_LEAD) == last_places_in("Quảng Ninh")
    assert last_places_in("Mưa lớn.\nGió mạnh.") == ()
    assert last_places_in("") == ()


@pytest.mark.parametrize("text", [
    "Hồi 13h ngày 14-10, vị trí tâm bão ở ngoài khơi.\n\nĐến 13h ngày 15-10, vị trí tâm bão ở vào khoảng 17,5 độ Vĩ Bắc.\n\n",
    "Trong tháng 9, giá tăng 5%.\nSức gió mạnh nhất cấp 12.\n",  # the last line names no time
    "GDP 2019\nTăng trưởng đạt 7%.",  # a bare year closing a line
    "Kết quả GDP\n2019 là năm tăng trưởng tốt.\n",  # ... or opening one
    "Cả nước (\n2019\n) tăng 7%.",
    "Không có thời gian nào ở đây.\n",
    "",
])
def test_last_time_read_by_line_is_the_last_time_of_the_whole_text(text):
    whole = times_in(text, "2017-10-13")
    assert last_time_in(text, "2017-10-13") == (whole[-1].period if whole else None)
