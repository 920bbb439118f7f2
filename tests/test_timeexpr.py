"""Vietnamese time expressions → comparable periods (qa.read.timeexpr)."""

from __future__ import annotations

import unicodedata
from datetime import date as D

import pytest

from qa.read.timeexpr import Period, compatible, find_times, overlaps, same_period

REF = D(2019, 7, 10)  # a publication date in mid-2019
JAN = D(2019, 1, 5)  # just after New Year: undated December is last December


def only(text: str, ref: D | None = REF):
    found = find_times(text, ref)
    assert len(found) == 1, [(m.text, m.period) for m in found]
    return found[0]


def shape(m):
    return m.text, m.period.start, m.period.end, m.period.granularity, m.period.baseline


# ------------------------------------------------------------------------------------------------
# One expression per text: (text, reference, span text, start, end, granularity)
# ------------------------------------------------------------------------------------------------

SINGLE = [
    # years
    ("Dân số năm 2019 đạt 96 triệu người", None, "năm 2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("doanh thu nam 2019 la bao nhieu", None, "nam 2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("Trong 2019, doanh thu đạt 5.000 tỷ đồng", None, "2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("GDP 2019?", None, "2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("Lợi nhuận năm nay ước đạt 800 tỷ đồng", REF, "năm nay", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("lãi năm ngoái bao nhiêu", REF, "năm ngoái", D(2018, 1, 1), D(2018, 12, 31), "year"),
    ("kế hoạch năm tới", REF, "năm tới", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("Cả năm 2018, xuất khẩu đạt 244 tỷ USD", None, "Cả năm 2018", D(2018, 1, 1), D(2018, 12, 31), "year"),
    ("cả năm", REF, "cả năm", D(2019, 1, 1), D(2019, 12, 31), "year"),
    # months
    ("CPI tháng 5/2019 tăng 0,49%", None, "tháng 5/2019", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("thang 5/2019 xuat khau bao nhieu", None, "thang 5/2019", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("trong tháng 5 năm 2019", None, "tháng 5 năm 2019", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("trong tháng 5 / 2019 ,", None, "tháng 5 / 2019", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("Tháng 5-2019, giá điện tăng", None, "Tháng 5-2019", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("Kiều hối 12/2023 tăng mạnh", None, "12/2023", D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("trong tháng Năm", REF, "tháng Năm", D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("tháng Giêng năm 2019", None, "tháng Giêng năm 2019", D(2019, 1, 1), D(2019, 1, 31), "month"),
    ("tháng Mười Hai năm 2018", None, "tháng Mười Hai năm 2018", D(2018, 12, 1), D(2018, 12, 31), "month"),
    ("tháng Chạp", REF, "tháng Chạp", D(2018, 12, 1), D(2018, 12, 31), "month"),
    ("tháng tư năm 2019", None, "tháng tư năm 2019", D(2019, 4, 1), D(2019, 4, 30), "month"),
    ("thang sau nam 2019", None, "thang sau nam 2019", D(2019, 6, 1), D(2019, 6, 30), "month"),
    ("giá xăng tháng này", REF, "tháng này", D(2019, 7, 1), D(2019, 7, 31), "month"),
    ("thu ngân sách tháng trước", REF, "tháng trước", D(2019, 6, 1), D(2019, 6, 30), "month"),
    ("cuối tháng 6/2019", None, "cuối tháng 6/2019", D(2019, 6, 1), D(2019, 6, 30), "month"),
    # quarters
    ("GDP quý I/2019 tăng 6,79%", None, "quý I/2019", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    ("quy I nam 2019", None, "quy I nam 2019", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    ("Lãi quý 2 năm 2019 của Vietcombank?", None, "quý 2 năm 2019", D(2019, 4, 1), D(2019, 6, 30), "quarter"),
    ("quý I / 2019", None, "quý I / 2019", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    ("trong quý II", REF, "quý II", D(2019, 4, 1), D(2019, 6, 30), "quarter"),
    ("quý IV", JAN, "quý IV", D(2018, 10, 1), D(2018, 12, 31), "quarter"),
    ("quý này", REF, "quý này", D(2019, 7, 1), D(2019, 9, 30), "quarter"),
    ("quý trước", REF, "quý trước", D(2019, 4, 1), D(2019, 6, 30), "quarter"),
    # cumulative from 1 January, halves
    ("Trong 6 tháng đầu năm 2018, TPBank báo lãi hơn 1.000 tỷ đồng", None, "6 tháng đầu năm 2018",
     D(2018, 1, 1), D(2018, 6, 30), "ytd"),
    ("6 thang dau nam", REF, "6 thang dau nam", D(2019, 1, 1), D(2019, 6, 30), "ytd"),
    ("2 tháng đầu năm 2019", None, "2 tháng đầu năm 2019", D(2019, 1, 1), D(2019, 2, 28), "ytd"),
    ("Trong 7 tháng, xuất khẩu tăng 7%", REF, "7 tháng", D(2019, 1, 1), D(2019, 7, 31), "ytd"),
    ("9 tháng năm 2018, vốn FDI đạt 25 tỷ USD", None, "9 tháng năm 2018", D(2018, 1, 1), D(2018, 9, 30), "ytd"),
    ("trong 11 tháng qua", D(2019, 12, 2), "11 tháng qua", D(2019, 1, 1), D(2019, 11, 30), "ytd"),
    ("12 tháng qua", JAN, "12 tháng qua", D(2018, 1, 1), D(2018, 12, 31), "ytd"),
    ("sáu tháng đầu năm nay", REF, "sáu tháng đầu năm nay", D(2019, 1, 1), D(2019, 6, 30), "ytd"),
    ("nửa đầu năm 2019", None, "nửa đầu năm 2019", D(2019, 1, 1), D(2019, 6, 30), "half"),
    ("nua dau nam 2019", None, "nua dau nam 2019", D(2019, 1, 1), D(2019, 6, 30), "half"),
    ("nửa cuối năm", REF, "nửa cuối năm", D(2019, 7, 1), D(2019, 12, 31), "half"),
    ("6 tháng cuối năm 2018", None, "6 tháng cuối năm 2018", D(2018, 7, 1), D(2018, 12, 31), "half"),
    ("từ đầu năm đến nay", REF, "từ đầu năm đến nay", D(2019, 1, 1), REF, "ytd"),
    ("cuối năm 2019", None, "cuối năm 2019", D(2019, 10, 1), D(2019, 12, 31), "range"),
    # days
    ("Ngày 12/10/2019, Bộ Tài chính công bố", None, "Ngày 12/10/2019", D(2019, 10, 12), D(2019, 10, 12), "day"),
    ("12/10/2019", None, "12/10/2019", D(2019, 10, 12), D(2019, 10, 12), "day"),
    ("Sáng 24-4, Thủ tướng chủ trì", REF, "Sáng 24-4", D(2019, 4, 24), D(2019, 4, 24), "day"),
    ("Lúc 17h ngày 12-10 , bão đổ bộ", D(2019, 10, 13), "17h ngày 12-10", D(2019, 10, 12), D(2019, 10, 12), "day"),
    ("15h chiều 4-11, giá xăng dầu đồng loạt tăng", D(2019, 11, 5), "15h chiều 4-11",
     D(2019, 11, 4), D(2019, 11, 4), "day"),
    ("Chiều nay (2/7), Quốc hội biểu quyết", D(2019, 7, 2), "Chiều nay (2/7)", D(2019, 7, 2), D(2019, 7, 2), "day"),
    ("Thứ Hai (12/10) vừa qua", D(2020, 10, 14), "Thứ Hai (12/10)", D(2020, 10, 12), D(2020, 10, 12), "day"),
    ("ngày 12 - 10", D(2019, 10, 20), "ngày 12 - 10", D(2019, 10, 12), D(2019, 10, 12), "day"),
    ("ngày 12 tháng 10 năm 2019", None, "ngày 12 tháng 10 năm 2019", D(2019, 10, 12), D(2019, 10, 12), "day"),
    ("Từ 1/7, giá điện tăng", REF, "1/7", D(2019, 7, 1), D(2019, 7, 1), "day"),
    ("hôm nay giá vàng bao nhiêu", REF, "hôm nay", REF, REF, "day"),
    ("hôm qua", REF, "hôm qua", D(2019, 7, 9), D(2019, 7, 9), "day"),
    ("tuần này", REF, "tuần này", D(2019, 7, 8), D(2019, 7, 14), "week"),
    ("tuần trước", REF, "tuần trước", D(2019, 7, 1), D(2019, 7, 7), "week"),
    ("ngày 5-6/10", D(2019, 10, 8), "ngày 5-6/10", D(2019, 10, 5), D(2019, 10, 6), "range"),
    # school and exam years
    ("điểm chuẩn năm học 2019-2020", None, "năm học 2019-2020", D(2019, 9, 1), D(2020, 8, 31), "school_year"),
    ("niên khoá 2018-2019", None, "niên khoá 2018-2019", D(2018, 9, 1), D(2019, 8, 31), "school_year"),
    ("nam hoc 2019 - 2020", None, "nam hoc 2019 - 2020", D(2019, 9, 1), D(2020, 8, 31), "school_year"),
    ("mùa thi 2019", None, "mùa thi 2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("kỳ thi THPT quốc gia 2019", None, "kỳ thi THPT quốc gia 2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    # ranges and open periods
    ("từ năm 2016 đến 2018", None, "từ năm 2016 đến 2018", D(2016, 1, 1), D(2018, 12, 31), "range"),
    ("giai đoạn 2016-2020", None, "giai đoạn 2016-2020", D(2016, 1, 1), D(2020, 12, 31), "range"),
    ("giai đoạn 2016 - 2020", None, "giai đoạn 2016 - 2020", D(2016, 1, 1), D(2020, 12, 31), "range"),
    ("từ tháng 1 đến tháng 5", REF, "từ tháng 1 đến tháng 5", D(2019, 1, 1), D(2019, 5, 31), "range"),
    ("từ tháng 11 đến tháng 2/2019", None, "từ tháng 11 đến tháng 2/2019", D(2018, 11, 1), D(2019, 2, 28), "range"),
    ("từ năm 2016 đến nay", REF, "từ năm 2016 đến nay", D(2016, 1, 1), REF, "range"),
    ("đến hết tháng 6", REF, "đến hết tháng 6", None, D(2019, 6, 30), "open"),
    ("Tính đến ngày 30/6, dư nợ tăng 7%", REF, "Tính đến ngày 30/6", None, D(2019, 6, 30), "open"),
    ("Tính đến nay, đã có 500 ca", REF, "Tính đến nay", None, REF, "open"),
    ("đến năm 2025, tỷ lệ đạt 80%", None, "đến năm 2025", None, D(2025, 12, 31), "open"),
    # "tính đến thời điểm X" is "tính đến X" (training sentence, vn_013367)
    ("tính đến thời điểm 31/5/2018, khoản nợ", None, "tính đến thời điểm 31/5/2018", None, D(2018, 5, 31), "open"),
    # a part of a year without "năm" (training question, VAMC)
    ("Tính đến cuối 2017, VAMC", None, "Tính đến cuối 2017", None, D(2017, 12, 31), "open"),
    ("đầu 2018", None, "đầu 2018", D(2018, 1, 1), D(2018, 3, 31), "range"),
    ("cuoi 2017", None, "cuoi 2017", D(2017, 10, 1), D(2017, 12, 31), "range"),
    # "N tháng đầu 2016" is "N tháng đầu năm 2016", not the start of 2016 (training question, Thanh Hoá)
    ("khám chữa bệnh 6 tháng đầu 2016 tăng", None, "6 tháng đầu 2016", D(2016, 1, 1), D(2016, 6, 30), "ytd"),
    ("2 tháng đầu 2019.", None, "2 tháng đầu 2019", D(2019, 1, 1), D(2019, 2, 28), "ytd"),
    # the first or last quarter in words (training sentences, vn_008366, vn_017690)
    ("giảm từ 4,6% còn 0,6% trong quý đầu", REF, "quý đầu", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    ("tăng lên 15,7% trong quý đầu tiên của năm 2019", None, "quý đầu tiên của năm 2019",
     D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    ("quý cuối cùng của năm 2018", None, "quý cuối cùng của năm 2018", D(2018, 10, 1), D(2018, 12, 31), "quarter"),
    ("quy dau nam 2019", None, "quy dau nam 2019", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
    # one first month is January (training question, gas prices); the early months stay vague
    ("Giá gas trong tháng đầu năm 2019 còn bao nhiêu?", None, "tháng đầu năm 2019",
     D(2019, 1, 1), D(2019, 1, 31), "month"),
    ("trong tháng đầu tiên của năm 2018", None, "tháng đầu tiên của năm 2018", D(2018, 1, 1), D(2018, 1, 31), "month"),
    ("những tháng đầu năm 2019", None, "đầu năm 2019", D(2019, 1, 1), D(2019, 3, 31), "range"),
    # a half without "năm" is a half, not "đầu/cuối 2016" (training questions on new firms' capital
    # and on HCMC tax debt)
    ("Trung bình mỗi doanh nghiệp mới nửa đầu 2016 đăng ký bao nhiêu vốn?", None, "nửa đầu 2016",
     D(2016, 1, 1), D(2016, 6, 30), "half"),
    ("no thue nua dau 2019 tang bao nhieu", None, "nua dau 2019", D(2019, 1, 1), D(2019, 6, 30), "half"),
    ("nửa cuối 2019", None, "nửa cuối 2019", D(2019, 7, 1), D(2019, 12, 31), "half"),
    # "lần đầu" (the first time), "ban đầu" (initial) are words of their own, not "đầu năm"
    ("Từ lần đầu năm 2014, tổng cộng bao nhiêu doanh nghiệp lọt vào bảng xếp hạng?", None, "năm 2014",
     D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("Kế hoạch lợi nhuận ban đầu năm 2018 là bao nhiêu?", None, "năm 2018", D(2018, 1, 1), D(2018, 12, 31), "year"),
    ("tu lan dau nam 2014", None, "nam 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
    # "mỗi/hàng/các tháng năm 2016": every month of the year, not May (training question, PVSD salary)
    ("Bình quân mỗi tháng năm 2016 em trai ông lĩnh bao nhiêu tiền?", None, "năm 2016",
     D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("luong hang thang nam 2016", None, "nam 2016", D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("Giá vàng tháng năm 2016", None, "tháng năm 2016", D(2016, 5, 1), D(2016, 5, 31), "month"),  # still May
    # holidays
    # the year after a holiday is that holiday's (training sentences, Sagri pork and Bình An flowers)
    ("lượng heo trong dịp tết năm nay tăng 20% so với ngày thường", D(2018, 1, 25), "dịp tết năm nay",
     D(2018, 2, 11), D(2018, 2, 22), "holiday"),
    ("tung ra thị trường hoa tết năm nay hơn 100.000 chậu", D(2019, 1, 4), "tết năm nay",
     D(2019, 1, 31), D(2019, 2, 11), "holiday"),
    ("111 người chết do tai nạn giao thông trong 4 ngày nghỉ lễ 30/4-1/5", D(2019, 5, 2),
     "4 ngày nghỉ lễ 30/4-1/5", D(2019, 4, 27), D(2019, 5, 3), "holiday"),
    ("dịp nghỉ lễ 30/4-1/5", D(2019, 5, 2), "dịp nghỉ lễ 30/4-1/5", D(2019, 4, 27), D(2019, 5, 3), "holiday"),
    ("trong 4 ngày nghỉ lễ", D(2019, 5, 2), "4 ngày nghỉ lễ", D(2019, 4, 27), D(2019, 5, 3), "holiday"),
    ("dịp lễ 2/9", REF, "dịp lễ 2/9", D(2019, 8, 31), D(2019, 9, 4), "holiday"),
    ("dịp Tết", JAN, "dịp Tết", D(2019, 1, 31), D(2019, 2, 11), "holiday"),
    ("dip tet", D(2019, 12, 20), "dip tet", D(2020, 1, 20), D(2020, 1, 31), "holiday"),
    ("Tết Nguyên đán 2020", None, "Tết Nguyên đán 2020", D(2020, 1, 20), D(2020, 1, 31), "holiday"),
    ("Tết Kỷ Hợi", None, "Tết Kỷ Hợi", D(2019, 1, 31), D(2019, 2, 11), "holiday"),
    ("Tet Ky Hoi", None, "Tet Ky Hoi", D(2019, 1, 31), D(2019, 2, 11), "holiday"),
    ("kỳ nghỉ Tết Canh Tý", None, "kỳ nghỉ Tết Canh Tý", D(2020, 1, 20), D(2020, 1, 31), "holiday"),
    ("Tết Dương lịch 2020", None, "Tết Dương lịch 2020", D(2019, 12, 30), D(2020, 1, 2), "holiday"),
    ("Tết Quý Mão", None, "Tết Quý Mão", D(2023, 1, 17), D(2023, 1, 28), "holiday"),
    ("Quốc khánh 2/9/2019", None, "Quốc khánh 2/9/2019", D(2019, 8, 31), D(2019, 9, 4), "holiday"),
    ("ngày 2/9", D(2019, 9, 5), "ngày 2/9", D(2019, 9, 2), D(2019, 9, 2), "day"),  # the date, not the holiday
    # upper case, future-pointing words
    ("DOANH THU NĂM 2019", None, "NĂM 2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("dự kiến tháng 6 tới", JAN, "tháng 6 tới", D(2019, 6, 1), D(2019, 6, 30), "month"),
    ("quý IV tới", JAN, "quý IV tới", D(2019, 10, 1), D(2019, 12, 31), "quarter"),
]


@pytest.mark.parametrize("text,ref,span,start,end,gran", SINGLE, ids=[c[0][:40] for c in SINGLE])
def test_single_expression(text, ref, span, start, end, gran):
    m = only(text, ref)
    assert (m.text, m.period.start, m.period.end, m.period.granularity) == (span, start, end, gran)
    assert text[m.start:m.end] == m.text
    assert m.period.baseline is False


# ------------------------------------------------------------------------------------------------
# Several expressions, baselines: (text, reference, [(span, start, end, granularity, baseline)])
# ------------------------------------------------------------------------------------------------

MULTI = [
    ("CPI tháng 10/2018 tăng 0,33% so với tháng trước", D(2018, 10, 29), [
        ("tháng 10/2018", D(2018, 10, 1), D(2018, 10, 31), "month", False),
        ("tháng trước", D(2018, 9, 1), D(2018, 9, 30), "month", True)]),
    ("Trong 6 tháng đầu năm 2018, doanh thu tăng 12% so với cùng kỳ năm trước", None, [
        ("6 tháng đầu năm 2018", D(2018, 1, 1), D(2018, 6, 30), "ytd", False),
        ("cùng kỳ năm trước", D(2017, 1, 1), D(2017, 6, 30), "ytd", True)]),
    ("Quý I/2019, lãi tăng 20% so cùng kỳ", None, [
        ("Quý I/2019", D(2019, 1, 1), D(2019, 3, 31), "quarter", False),
        ("cùng kỳ", D(2018, 1, 1), D(2018, 3, 31), "quarter", True)]),
    ("6 tháng đầu năm 2018 tăng 5% so với cùng kỳ năm 2016", None, [
        ("6 tháng đầu năm 2018", D(2018, 1, 1), D(2018, 6, 30), "ytd", False),
        ("cùng kỳ năm 2016", D(2016, 1, 1), D(2016, 6, 30), "ytd", True)]),
    ("Năm 2024, GDP tăng 7,09% so với năm 2023", None, [
        ("Năm 2024", D(2024, 1, 1), D(2024, 12, 31), "year", False),
        ("năm 2023", D(2023, 1, 1), D(2023, 12, 31), "year", True)]),
    ("CPI tháng 12/2018 tăng 2,98% so với tháng 12 năm trước", None, [
        ("tháng 12/2018", D(2018, 12, 1), D(2018, 12, 31), "month", False),
        ("tháng 12 năm trước", D(2017, 12, 1), D(2017, 12, 31), "month", True)]),
    ("Tính đến hết tháng 6/2019, dư nợ tăng 7% so với cuối năm 2018", None, [
        ("Tính đến hết tháng 6/2019", None, D(2019, 6, 30), "open", False),
        ("cuối năm 2018", D(2018, 10, 1), D(2018, 12, 31), "range", True)]),
    ("Trong dịp Tết Kỷ Hợi, số vụ tai nạn giảm so với Tết Mậu Tuất", None, [
        ("dịp Tết Kỷ Hợi", D(2019, 1, 31), D(2019, 2, 11), "holiday", False),
        ("Tết Mậu Tuất", D(2018, 2, 11), D(2018, 2, 22), "holiday", True)]),
    ("Dân số năm 2021 và 2022", None, [
        ("năm 2021", D(2021, 1, 1), D(2021, 12, 31), "year", False),
        ("2022", D(2022, 1, 1), D(2022, 12, 31), "year", False)]),
    ("Theo Quyết định số 1234/QĐ-TTg ngày 12/10/2019 của Thủ tướng", None, [
        ("ngày 12/10/2019", D(2019, 10, 12), D(2019, 10, 12), "day", False)]),
    ("trong 2 tháng 5 và 6", REF, [("tháng 5", D(2019, 5, 1), D(2019, 5, 31), "month", False)]),
    ("Quý I/2019, GDP tăng 3% so với quý trước", D(2019, 3, 29), [
        ("Quý I/2019", D(2019, 1, 1), D(2019, 3, 31), "quarter", False),
        ("quý trước", D(2018, 10, 1), D(2018, 12, 31), "quarter", True)]),
    ("Xuất khẩu tăng 5% so với 2018.", None, [("2018", D(2018, 1, 1), D(2018, 12, 31), "year", True)]),
    # no preceding period: the baseline is flagged but its dates are unknown
    ("Lợi nhuận tăng 10% so với cùng kỳ năm ngoái", REF, [("cùng kỳ năm ngoái", None, None, "open", True)]),
    # a word or two may stand between "so với" and its baseline (training sentence, VNPT)
    ("tổng lợi nhuận ước đạt 5.010 tỷ đồng, tăng 21% so với thực hiện năm 2016", None,
     [("năm 2016", D(2016, 1, 1), D(2016, 12, 31), "year", True)]),
    # a line break is never inside an expression: "thời gian tới" does not reach the dateline
    ("thời gian tới\n\n25/04/2024 11:06", None, [("25/04/2024", D(2024, 4, 25), D(2024, 4, 25), "day", False)]),
    # text with marks is read strictly: an unmarked "cung ky" there is not "cùng kỳ"
    ("Quý I/2019 tăng 20% so cung ky", None, [("Quý I/2019", D(2019, 1, 1), D(2019, 3, 31), "quarter", False)]),
]


@pytest.mark.parametrize("text,ref,expected", MULTI, ids=[c[0][:40] for c in MULTI])
def test_several_expressions_and_baselines(text, ref, expected):
    assert [shape(m) for m in find_times(text, ref)] == expected


# ------------------------------------------------------------------------------------------------
# Not times
# ------------------------------------------------------------------------------------------------

NOT_TIMES = [
    "Nghị định 72/2018/NĐ-CP", "theo Nghị định 82/2024/NĐ-CP", "Thông tư số 15/2019/TT-BTC",
    "Luật số 12/2019", "41/53 tỉnh đã hoàn thành", "5/21 bộ đạt mức C", "giá 18.000 đồng/lít",
    "tăng 15%", "doanh thu 2.019 tỷ đồng", "đạt 27,5 điểm", "Nguyễn Văn A (SN 1994, trú tại Hà Nội)",
    "anh B sinh năm 1994", "hơn 2000 người tham gia", "có 2019 ca mắc", "từ 3-5 ngày", "tăng từ 4-5 triệu đồng",
    "từ 5-7%", "lúc 17h", "vào 07:30", "hoạt động 24/7", "5 năm qua", "trong 2 tuần qua", "Tết Trung thu",
    "hàng tháng từ ngân sách", "thang tu", "mỗi tháng 5 triệu đồng", "hàng tháng 3 lần", "ngày nay", "lễ hội đường phố", "cùng thời gian đó",
    # years counted, or the year before an event: not last year
    "đã công tác bao nhiêu năm trước khi nghỉ hưu", "Năm trước khi dịch bệnh bùng phát, doanh thu giảm",
    # "ever", not a period up to now (training sentence, vn_013 HDBank)
    "lợi nhuận cao nhất từ trước đến nay", "cao nhất từ trước tới nay",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_a_time(text):
    assert find_times(text, REF) == []


def test_oil_typed_without_marks_is_not_the_start_of_a_year():
    """"gia dau 2018" is "giá dầu 2018" (the year 2018, after a year cue), not "đầu 2018"."""
    assert [m.period.label for m in find_times("gia dau 2018 tang", REF)] == ["năm 2018"]
    assert [m.period.label for m in find_times("tu dau 2018", REF)] == ["từ đầu năm 2018 đến nay"]


# ------------------------------------------------------------------------------------------------
# Year resolution against the reference date (past-leaning news), and explicit years
# ------------------------------------------------------------------------------------------------

RESOLUTION = [
    ("tháng 12", JAN, D(2018, 12, 1), False),  # December in a January article: last December
    ("tháng 2", JAN, D(2019, 2, 1), False),  # less than a month ahead: this year
    ("ngày 28/12", JAN, D(2018, 12, 28), False),
    ("ngày 10/1", JAN, D(2019, 1, 10), False),
    ("ngày 31/12", D(2019, 12, 31), D(2019, 12, 31), False),
    ("quý IV", D(2019, 11, 20), D(2019, 10, 1), False),
    ("6 tháng đầu năm", D(2019, 3, 1), D(2018, 1, 1), False),  # H1 figures cannot exist in March
    ("6 tháng đầu năm", D(2019, 6, 28), D(2019, 1, 1), False),
    ("năm ngoái", JAN, D(2018, 1, 1), False),
    ("năm 2017", JAN, D(2017, 1, 1), True),
    ("tháng 5/2019", D(2025, 1, 1), D(2019, 5, 1), True),
    ("năm qua", JAN, D(2018, 1, 1), False),  # a January year-in-review
    ("năm qua", D(2019, 12, 28), D(2019, 1, 1), False),
    ("tháng 5", None, None, False),  # no reference: the year stays unknown
]


@pytest.mark.parametrize("text,ref,start,explicit", RESOLUTION)
def test_year_resolution(text, ref, start, explicit):
    p = only(text, ref).period
    assert (p.start, p.year_explicit) == (start, explicit)


def test_unknown_year_keeps_the_in_year_shape():
    p = only("6 tháng đầu năm", None).period
    assert (p.start, p.end, p.granularity, p.yearless) == (None, None, "ytd", (1, 1, 6, 0))
    assert only("quý II", None).period.yearless == (4, 1, 6, 0)


def test_labels():
    assert only("tháng 5 / 2019", None).period.label == "tháng 5/2019"
    assert only("6 thang dau nam 2019", None).period.label == "6 tháng đầu năm 2019"
    assert only("dịp Tết Kỷ Hợi", None).period.label == "tet 2019"
    assert only("quý I/2019", None).period.label == "quý I/2019"
    assert only("trong 4 ngày nghỉ lễ 30/4-1/5", D(2019, 5, 2)).period.holiday == "30/4"


# ------------------------------------------------------------------------------------------------
# Offsets into the original string, including decomposed (NFD) input
# ------------------------------------------------------------------------------------------------

OFFSETS = [
    "Trong 6 tháng đầu năm 2018, lãi tăng 20% so với cùng kỳ",
    "Dịp Tết Kỷ Hợi, ngày 12/10 và năm học 2019-2020",
    "Hoà vốn trong quý I/2019 , chiều nay (2/7)",
    "Tháng_5 / 2019 , kỳ_nghỉ Tết_Nguyên_đán",
]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("text", OFFSETS)
def test_offsets_are_exact(text, form):
    source = unicodedata.normalize(form, text)
    found = find_times(source, REF)
    nfc = find_times(unicodedata.normalize("NFC", text), REF)
    assert len(found) == len(nfc) >= 2
    for m, n in zip(found, nfc):
        assert source[m.start:m.end] == m.text
        assert unicodedata.normalize("NFC", m.text) == n.text
        assert m.period == n.period


# ------------------------------------------------------------------------------------------------
# compatible / overlaps / same_period
# ------------------------------------------------------------------------------------------------

COMPATIBLE = [
    ("tháng 5/2019", None, "tháng 5/2019", None, True),
    ("tháng 5/2019", None, "tháng 5 năm 2019", None, True),
    ("tháng 5/2019", None, "5 tháng đầu năm 2019", None, False),  # cumulative ≠ one month
    ("năm 2019", None, "6 tháng đầu năm 2019", None, False),
    ("năm 2019", None, "12 tháng năm 2019", None, True),
    ("năm 2019", None, "năm 2018", None, False),
    ("quý I/2019", None, "3 tháng đầu năm 2019", None, True),
    ("quý II/2019", None, "6 tháng đầu năm 2019", None, False),
    ("6 tháng đầu năm 2019", None, "nửa đầu năm 2019", None, True),
    ("thang 5", None, "tháng 5/2018", None, True),  # asked without a year: any May
    ("thang 5", None, "tháng 6/2018", None, False),
    ("6 thang dau nam", None, "6 tháng đầu năm 2017", None, True),
    ("6 thang dau nam", None, "9 tháng năm 2017", None, False),
    ("quy II", None, "quý II/2020", None, True),
    ("tháng 5", REF, "tháng 5/2018", None, False),  # with a reference the year is 2019
    ("dịp Tết 2019", None, "dịp Tết Kỷ Hợi", None, True),
    ("dịp Tết 2019", None, "Tết Mậu Tuất", None, False),
    # "đến năm X" is the state in year X, either way round (training questions: Japan's population,
    # TP.HCM's GRDP per head); "đến hết năm X" stays cumulative
    ("den nam 2060 dan so nhat ban", None, "giảm xuống khoảng 86 triệu người vào năm 2060", None, True),
    ("GRDP bình quân đầu người năm 2018", None, "tới năm 2018 đạt hơn 6.000 USD", None, True),
    ("năm 2017", None, "trên thực tế đến 2017 đạt 13 triệu", None, True),
    ("năm nay", None, "đến năm 2018 đạt 300 dự án", None, True),
    ("năm 2018", None, "đến năm 2019 đạt", None, False),
    ("năm 2018", None, "đến hết năm 2018", None, False),
    ("năm 2018", None, "tính đến cuối năm 2018", None, False),
    ("so với năm 2018", None, "đến năm 2018", None, False),
    ("dịp Tết 2019", None, "dịp lễ 2/9/2019", None, False),
    ("dịp Tết", None, "Tết Canh Tý", None, True),
    ("dịp lễ 30/4", D(2019, 5, 2), "4 ngày nghỉ lễ", D(2019, 5, 3), True),
    ("năm 2019", None, "năm học 2019-2020", None, True),  # admissions are reported by school year
    ("năm 2020", None, "năm học 2019-2020", None, False),
    ("năm 2019", None, "Trong 2019,", None, True),
    ("trong 4 ngày nghỉ lễ", None, "dịp Tết Kỷ Hợi", None, True),  # unnamed holiday, no reference
    ("từ tháng 1 đến tháng 5", None, "5 tháng đầu năm 2019", None, True),
    ("tuần này", REF, "tuần trước", REF, False),
    # the state at a period's end: "cuối X" and "đến (hết/cuối) X" say the same
    ("cuối năm 2019", None, "Phấn đấu đến cuối năm 2019, dư nợ công khoảng 61,3% GDP", D(2019, 1, 2), True),
    ("đến cuối năm 2019", None, "cuối năm 2019", None, True),
    ("cuối tháng 4/2018", None, "Cụ thể đến hết tháng 4, tín dụng đã tăng 5,37%", D(2018, 5, 22), True),
    ("tháng 4/2018", None, "Cụ thể đến hết tháng 4, tín dụng đã tăng 5,37%", D(2018, 5, 22), False),  # a month's flow
    ("cuối năm 2019", None, "đến cuối năm 2018", None, False),
    ("cuoi nam", None, "đến cuối năm 2018", None, True),  # asked without a year: any year's end
    # ... and its last day: "tại thời điểm ngày 31/12/2015" (training sentence, DongA Bank)
    ("Cuối năm 2015", None, "tại thời điểm ngày 31/12/2015 lỗ luỹ kế 31.076 tỷ đồng", D(2016, 8, 1), True),
    ("Cuối năm 2015", None, "tại thời điểm ngày 30/12/2015", D(2016, 8, 1), False),
    ("năm 2015", None, "tại thời điểm ngày 31/12/2015", D(2016, 8, 1), False),  # a year's flow
    # an open period asked without a year keeps its in-year shape
    ("Đến 13h ngày 15-10", None, "Đến 13h ngày 15-10, vị trí tâm bão ở vào khoảng 16,8 độ Vĩ Bắc", D(2017, 10, 13), True),
    ("đến 15/10", None, "đến 16/10/2017", None, False),
    # a question's "now" is unknown (it is read without a reference): any period of the same shape
    # answers it, as "năm nay" any year (training questions and their sentences)
    ("Từ năm 2016 đến nay", None, "Từ năm 2016 đến nay, bệnh xuất hiện tại trên 59 quốc gia", D(2018, 11, 20), True),
    ("Từ năm 2016 đến nay", None, "Từ năm 2017 đến nay, bệnh xuất hiện tại trên 59 quốc gia", D(2018, 11, 20), False),
    ("Từ năm 2016 đến nay", None, "năm 2016", None, False),
    ("tu dau nam den nay", None, "Tính từ đầu năm đến nay, giá xăng đã trải qua 20 kỳ điều chỉnh", D(2018, 11, 20), True),
    ("tu dau nam den nay", None, "tháng 10/2018", None, False),
    ("gia vang tuan nay", None, "giá vàng tuần này sẽ giảm", D(2018, 11, 20), True),
    ("tuần này", None, "tháng này", D(2018, 11, 20), False),
    ("Đến nay", None, "đến nay vốn nhà đầu tư đã thu xếp được 2.787 tỉ đồng", D(2018, 11, 20), True),
    ("hôm nay", None, "ngày 20/11/2018", None, False),  # the day it is asked, unknown to an archive
    ("gia vang sjc hom nay", None, "Giá vàng SJC hôm nay (20/11)", D(2018, 11, 20), False),
    ("Tính đến 31/5/2018", None, "tính đến thời điểm 31/5/2018, khoản nợ", D(2018, 6, 20), True),
    ("Tính đến cuối 2017", None, "kể từ khi thành lập đến hết 31-12-2017", D(2018, 3, 1), True),
]


@pytest.mark.parametrize("asked,aref,given,gref,expected", COMPATIBLE)
def test_compatible(asked, aref, given, gref, expected):
    assert compatible(only(asked, aref).period, only(given, gref).period) is expected


def test_a_baseline_never_answers():
    figure, baseline = find_times("Năm 2024 tăng 7% so với năm 2023", None)
    asked = only("năm 2023", None).period
    assert not compatible(asked, baseline.period)
    assert compatible(only("năm 2024", None).period, figure.period)


def test_overlaps_and_same_period():
    q1 = only("quý I/2019", None).period
    march = only("tháng 3/2019", None).period
    assert overlaps(q1, march) and not same_period(q1, march)
    assert same_period(q1, only("3 tháng đầu năm 2019", None).period)
    assert not overlaps(q1, only("quý II/2019", None).period)
    assert overlaps(only("đến hết tháng 6/2019", None).period, march)  # open start
    assert overlaps(only("quý I", None).period, only("tháng 2", None).period)  # unknown years: by shape
    assert not overlaps(only("quý I", None).period, only("tháng 5", None).period)
    assert same_period(only("tháng 5", None).period, only("thang 5", None).period)
    assert isinstance(q1, Period)
