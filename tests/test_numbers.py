"""The Vietnamese quantity parser, table-driven from real sentences of the seed articles."""

from pathlib import Path

import pytest

from qa.numbers import find_dates, find_quantities, parse_vietnamese_number

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (sentence fragment from a seed, the figure as written, value, kind, unit, noun, qualifier, denominator, currency)
CASES = [
    # 003 — the example: hơn 75,7 triệu tài khoản VNeID
    ("hơn 75,7 triệu tài khoản VNeID đã được cấp).", "hơn 75,7 triệu tài khoản VNeID", 75_700_000, "count", "tài khoản", "tài khoản VNeID", "hơn", None, None),
    ("86,3 triệu công dân đã được cấp thẻ căn cước gắn chip điện tử;", "86,3 triệu công dân", 86_300_000, "count", "công dân", "công dân", None, None, None),
    ("doanh thu 6 tháng ước đạt trên 1,9 triệu tỷ đồng, tăng 26% so với cùng kỳ)", "trên 1,9 triệu tỷ đồng", 1.9e15, "money", "đồng", None, "trên", None, "VND"),
    ("tăng 26% so với cùng kỳ)", "26%", 26, "percent", "%", None, None, None, None),
    ("Hơn 01 triệu đối tượng chính sách được nhận trợ cấp", "Hơn 01 triệu đối tượng chính sách", 1_000_000, "count", "đối tượng", "đối tượng chính sách", "hơn", None, None),
    ("và 1,8 triệu người nhận lương hưu", "1,8 triệu người nhận lương hưu", 1_800_000, "count", "người", "người nhận lương hưu", None, None, None),
    ("(năm 2022 là 83.000 tỷ đồng; năm 2023", "83.000 tỷ đồng", 8.3e13, "money", "đồng", None, None, None, "VND"),
    ("6 tháng đầu năm 2024 là trên 50.000 tỷ đồng).", "trên 50.000 tỷ đồng", 5e13, "money", "đồng", None, "trên", None, "VND"),
    ("Đến nay, đã có 16,4 triệu tài khoản và 51,6 triệu hồ sơ", "16,4 triệu tài khoản", 16_400_000, "count", "tài khoản", "tài khoản", None, None, None),
    ("và 51,6 triệu hồ sơ được nộp", "51,6 triệu hồ sơ", 51_600_000, "count", "hồ sơ", "hồ sơ", None, None, None),
    ("Triển khai 43/53 dịch vụ công thiết yếu (tăng 5 dịch vụ công", "43/53 dịch vụ công thiết yếu", 43, "fraction", "dịch vụ", "dịch vụ công thiết yếu", None, 53, None),
    ("đã tiết kiệm cho Nhà nước và xã hội 3.500 tỷ đồng/năm.", "3.500 tỷ đồng/năm", 3.5e12, "money", "đồng", None, None, None, "VND"),
    ("(cấp bộ là 46,4%, tăng 22,1%;", "46,4%", 46.4, "percent", "%", None, None, None, None),
    ("Các cơ quan đã hoàn thành 19/79 nhiệm vụ trong Kế hoạch", "19/79 nhiệm vụ", 19, "fraction", "nhiệm vụ", "nhiệm vụ", None, 79, None),
    ("Hoàn thành 43/229 nhiệm vụ năm 2024 của Đề án 06.", "43/229 nhiệm vụ", 43, "fraction", "nhiệm vụ", "nhiệm vụ", None, 229, None),
    ("đã đơn giản hóa 828/1.084 thủ tục hành chính được giao", "828/1.084 thủ tục hành chính", 828, "fraction", "thủ tục", "thủ tục hành chính", None, 1084, None),
    ("63/63 địa phương đã ban hành Nghị quyết", "63/63 địa phương", 63, "fraction", "địa phương", "địa phương", None, 63, None),
    ("với 85 bộ, ngành, địa phương", "85 bộ", 85, "count", "bộ", "bộ", None, None, None),
    # 000
    ("Tổng số CSDL thuộc các ngành, lĩnh vực khác nhau hiện nay là 2398 CSDL, tăng 311", "2398 CSDL", 2398, "count", "CSDL", "CSDL", None, None, None),
    ("tăng 311 (14,5%) CSDL so với năm 2023.", "14,5%", 14.5, "percent", "%", None, None, None, None),
    ("đồng bộ thành công trên 268 triệu thông tin người dân.", "trên 268 triệu thông tin người dân", 268_000_000, "count", "thông tin", "thông tin người dân", "trên", None, None),
    ("đã kết nối với 388 hệ thống, CSDL của 95 cơ quan", "388 hệ thống", 388, "count", "hệ thống", "hệ thống", None, None, None),
    ("Trung bình mỗi ngày khoảng 2,8 triệu giao dịch.", "khoảng 2,8 triệu giao dịch", 2_800_000, "count", "giao dịch", "giao dịch", "khoảng", None, None),
    ("báo cáo cho biết hiện 80,2% hộ gia đình sử dụng cáp quang Internet băng rộng.", "80,2% hộ gia đình", 80.2, "percent", "%", "hộ gia đình", None, None, None),
    ("Di động băng rộng 4G được phủ sóng tới 99,8% dân số với chất lượng ổn định.", "tới 99,8% dân số", 99.8, "percent", "%", "dân số", "tới", None, None),
    ("Cổng dịch vụ công quốc gia có trên 13,2 triệu tài khoản người dùng;", "trên 13,2 triệu tài khoản người dùng", 13_200_000, "count", "tài khoản", "tài khoản người dùng", "trên", None, None),
    ("trên 4.500 dịch vụ công trực tuyến được tích hợp;", "trên 4.500 dịch vụ công trực tuyến", 4500, "count", "dịch vụ", "dịch vụ công trực tuyến", "trên", None, None),
    ("hoàn thành cung cấp 41/53 dịch vụ công thiết yếu.", "41/53 dịch vụ công thiết yếu", 41, "fraction", "dịch vụ", "dịch vụ công thiết yếu", None, 53, None),
    ("năm 2023 ước đạt 16,5% với tốc độ tăng 20%", "ước đạt 16,5%", 16.5, "percent", "%", None, "ước đạt", None, None),
    ("gấp 3 lần tăng trưởng GDP.", "gấp 3 lần", 3, "count", "lần", "lần", "gấp", None, None),
    ("Bộ Công an đã cấp trên 86 triệu thẻ căn cước công dân gắn chíp;", "trên 86 triệu thẻ căn cước công dân", 86_000_000, "count", "thẻ", "thẻ căn cước công dân", "trên", None, None),
    ("tiếp nhận trên 74,85 triệu hồ sơ định danh điện tử,", "trên 74,85 triệu hồ sơ định danh điện tử", 74_850_000, "count", "hồ sơ", "hồ sơ định danh điện tử", "trên", None, None),
    ("kích hoạt trên 53,62 triệu tài khoản định danh điện tử cho người dân.", "trên 53,62 triệu tài khoản định danh điện tử", 53_620_000, "count", "tài khoản", "tài khoản định danh điện tử", "trên", None, None),
    ("Ứng dụng VNeID đã được tích hợp 08 dịch vụ tiện ích.", "08 dịch vụ tiện ích", 8, "count", "dịch vụ", "dịch vụ tiện ích", None, None, None),
    ("khoảng 64% người dân hưởng nhận các chế độ BHXH", "khoảng 64% người dân hưởng nhận các chế độ BHXH", 64, "percent", "%", "người dân hưởng nhận các chế độ BHXH", "khoảng", None, None),
    ("mới chỉ đạt khoảng 38,3%.", "khoảng 38,3%", 38.3, "percent", "%", None, "khoảng", None, None),
    ("toàn quốc vẫn còn 1.077 thôn chưa có sóng băng rộng di động", "1.077 thôn", 1077, "count", "thôn", "thôn", None, None, None),
    ("trên 30% hệ thống thông tin của các bộ", "trên 30% hệ thống thông tin", 30, "percent", "%", "hệ thống thông tin", "trên", None, None),
    ("kết nối với 18 bộ, ngành, 63 tỉnh, thành phố và 04 doanh nghiệp;", "04 doanh nghiệp", 4, "count", "doanh nghiệp", "doanh nghiệp", None, None, None),
    # 001
    ("ước tính doanh thu kinh tế số trong quý I/2022 đạt khoảng 53 tỷ USD.", "khoảng 53 tỷ USD", 5.3e10, "money", "USD", None, "khoảng", None, "USD"),
    ("có tốc độ tăng trưởng 28%, đạt doanh thu 8 tỷ USD,", "8 tỷ USD", 8e9, "money", "USD", None, None, None, "USD"),
    ("Cổng Dịch vụ công quốc gia đã tích hợp 3.552 dịch vụ công trực tuyến mức độ 3, 4", "3.552 dịch vụ công trực tuyến", 3552, "count", "dịch vụ", "dịch vụ công trực tuyến", None, None, None),
    ("cơ quan thuế đã tiếp nhận xử lý 77.732.636 hóa đơn điện tử.", "77.732.636 hóa đơn điện tử", 77_732_636, "count", None, "hóa đơn điện tử", None, None, None),
    ("cả nước hiện còn 980 thôn lõm sóng băng rộng di động, trong đó,", "980 thôn lõm sóng băng rộng di động", 980, "count", "thôn", "thôn lõm sóng băng rộng di động", None, None, None),
    ("trong đó, 774 thôn sẽ được các doanh nghiệp", "774 thôn", 774, "count", "thôn", "thôn", None, None, None),
    ("ban hành Chương trình hành động giai đoạn 2022-2025 với 107 nhiệm vụ.", "107 nhiệm vụ", 107, "count", "nhiệm vụ", "nhiệm vụ", None, None, None),
    ("Tỷ lệ thuê bao băng rộng di động: 83%; Tỷ lệ hộ gia đình có cáp quang: 78,9%;", "78,9%", 78.9, "percent", "%", None, None, None, None),
    ("Mạng truyền số liệu chuyên dùng phủ đạt 99% các cơ quan nhà nước…", "99% các cơ quan nhà nước", 99, "percent", "%", "các cơ quan nhà nước", None, None, None),
    ("Thủ tướng Chính phủ đã ban hành 05 Quyết định về chuyển đổi số,", "05 Quyết định", 5, "count", "Quyết định", "Quyết định", None, None, None),
    # 002
    ("với 93.524 Tổ công nghệ số cộng đồng và gần 457.820 thành viên.", "93.524 Tổ công nghệ số cộng đồng", 93_524, "count", None, "Tổ công nghệ số cộng đồng", None, None, None),
    ("với 93.524 Tổ công nghệ số cộng đồng và gần 457.820 thành viên.", "gần 457.820 thành viên", 457_820, "count", "thành viên", "thành viên", "gần", None, None),
    ("miễn phí trên Nền tảng học trực tuyến mở đại trà cho hơn 81.500 cán bộ, công chức", "hơn 81.500 cán bộ", 81_500, "count", "cán bộ", "cán bộ", "hơn", None, None),
    ("Các bộ, ngành, địa phương đã tổ chức 84 khóa học cho hơn 173.500 cán bộ học viên.", "hơn 173.500 cán bộ học viên", 173_500, "count", "cán bộ", "cán bộ học viên", "hơn", None, None),
    ("Đến nay Nền tảng đã đạt hơn 25 triệu lượt truy cập.", "hơn 25 triệu lượt truy cập", 25_000_000, "count", "lượt", "lượt truy cập", "hơn", None, None),
    ("Trung bình mỗi ngày tăng 2.000 - 3.000 lượt truy cập.", "3.000 lượt truy cập", 3000, "count", "lượt", "lượt truy cập", None, None, None),
    ("Trung bình mỗi ngày tăng 2.000 - 3.000 lượt truy cập.", "2.000", 2000, "count", "lượt", "lượt truy cập", None, None, None),
    ("hỗ trợ 15 bộ, ngành và 49 địa phương sử dụng miễn phí", "49 địa phương", 49, "count", "địa phương", "địa phương", None, None, None),
    ("Ở khối địa phương: 39/63 đạt mức C; 15/63 đạt mức D; 9/63 đạt mức E.", "39/63", 39, "fraction", None, None, None, 63, None),
    ("Khối bộ, ngành: 5/21 đạt mức C; 1/21 đạt mức D; 15/21 đạt mức E.", "1/21", 1, "fraction", None, None, None, 21, None),
    # 004
    ("tỉnh Bắc Kạn đã bố trí từ ngân sách hơn 117 tỷ đồng thực hiện trên 60 nhiệm vụ/dự án", "hơn 117 tỷ đồng", 1.17e11, "money", "đồng", None, "hơn", None, "VND"),
    ("hơn 117 tỷ đồng thực hiện trên 60 nhiệm vụ/dự án chuyển đổi số", "trên 60 nhiệm vụ/dự án chuyển đổi số", 60, "count", "nhiệm vụ", "nhiệm vụ/dự án chuyển đổi số", "trên", None, None),
    ("tỉnh đã bố trí 67.766 triệu đồng để thực hiện 42 nhiệm vụ/dự án ưu tiên", "67.766 triệu đồng", 6.7766e10, "money", "đồng", None, None, None, "VND"),
    ("đã có 21/42 nhiệm vụ hoàn thành,", "21/42 nhiệm vụ", 21, "fraction", "nhiệm vụ", "nhiệm vụ", None, 42, None),
    ("điểm Chỉ số chuyển đổi số (DTI) của tỉnh đạt 433/1.000 điểm (tăng 39 điểm so với năm 2022).", "433/1.000 điểm", 433, "fraction", "điểm", "điểm", None, 1000, None),
    ("mật độ điện thoại đạt 90,5 máy/100 dân;", "90,5 máy/100 dân", 90.5, "rate", "máy/100 dân", "máy/100 dân", None, 100, None),
    ("tỷ lệ người dùng internet cáp quang đạt 80,07%.", "80,07%", 80.07, "percent", "%", None, None, None, None),
    ("đã kích hoạt 162.842 tài khoản định danh điện tử mức độ 1 và 2.", "162.842 tài khoản định danh điện tử", 162_842, "count", "tài khoản", "tài khoản định danh điện tử", None, None, None),
    ("toàn tỉnh đã tiếp nhận 280.110 thẻ căn cước công dân, trả cho công dân sử dụng 279.917 thẻ;", "280.110 thẻ căn cước công dân", 280_110, "count", "thẻ", "thẻ căn cước công dân", None, None, None),
    ("Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình đạt trên 80%.", "trên 80%", 80, "percent", "%", None, "trên", None, None),
    ("104.933 hộ sản xuất nông nghiệp có tài khoản trên sàn thương mại điện tử;", "104.933 hộ sản xuất nông nghiệp", 104_933, "count", "hộ", "hộ sản xuất nông nghiệp", None, None, None),
    ("Toàn tỉnh có 2.916/10.992 người hưởng lương hưu và trợ cấp", "2.916/10.992 người hưởng lương hưu", 2916, "fraction", "người", "người hưởng lương hưu", None, 10_992, None),
    ("(chiếm tỷ lệ 26,53%);", "26,53%", 26.53, "percent", "%", None, None, None, None),
    ("với tổng số kinh phí trên 73 tỷ đồng.", "trên 73 tỷ đồng", 7.3e10, "money", "đồng", None, "trên", None, "VND"),
    ("Các huyện, thành phố đã thành lập được 108 Tổ công nghệ số cộng đồng cấp xã với 1.014 thành viên tham gia;", "1.014 thành viên", 1014, "count", "thành viên", "thành viên", None, None, None),
]


@pytest.mark.parametrize(
    "sentence, text, value, kind, unit, noun, qualifier, denominator, currency", CASES,
    ids=[c[1] for c in CASES],
)
def test_quantities_from_seed_sentences(sentence, text, value, kind, unit, noun, qualifier, denominator, currency):
    found = {q.text: q for q in find_quantities(sentence)}
    assert text in found, sorted(found)
    q = found[text]
    assert q.value == pytest.approx(value)
    assert q.kind == kind
    if unit is not None:
        assert q.unit == unit
    assert q.noun == noun
    assert q.qualifier == qualifier
    assert q.denominator == (pytest.approx(denominator) if denominator is not None else None)
    assert q.currency == currency
    assert sentence[q.start:q.end] == q.text


def test_the_table_has_at_least_sixty_real_cases():
    assert len(CASES) >= 60
    corpus = "".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    for sentence, text, *_ in CASES:
        assert sentence in corpus, sentence  # every case is copied from a seed article


@pytest.mark.parametrize("raw, value", [
    ("75,7", 75.7), ("2.398", 2398), ("2398", 2398), ("77.732.636", 77_732_636), ("08", 8), ("1.000", 1000),
    ("10.992", 10_992), ("0,5", 0.5), ("1.234,5", 1234.5), ("2.8", 2.8), ("abc", None), ("1..2", None), ("", None),
])
def test_parse_vietnamese_number(raw, value):
    assert parse_vietnamese_number(raw) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize("sentence", [
    "Nghị định số 82/2024/NĐ-CP ngày 10/7/2024 của Chính phủ sửa đổi Nghị định 73/2019/NĐ-CP",
    "Kế hoạch triển khai Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng",
    "(Quyết định số 934/QĐ-BTTTT ngày 7/6/2024).",
    "Văn phòng Chính phủ vừa có Thông báo số 490/TB-VPCP, ngày 26/10/2024",
    "triển khai Đề án 06 của Chính phủ",
    "chủ trì phiên họp lần thứ 8 của Ủy ban",
    "được phủ sóng di động 2G/3G/4G;",
    "địa chỉ https://onetouch.mic.gov.vn để phổ cập",
    "Sáng 24-4, Thủ tướng Chính phủ",
    "Sáng 27/4, Thủ tướng Chính phủ",
    "phê duyệt Ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia.",
    "Từ 01/7/2024, người dân có thể sử dụng",
    "25/04/2024 11:06",
    "Thứ Tư, 27/04/2022 13:15",
    "trong quý I/2022 đạt",
    "đến giữa tháng 12/2023,",
    "giai đoạn 2022-2025",
    "năm 2021, 2022 lần lượt là",
    "ưu tiên số 1 cho các nhiệm vụ",
    "mức độ 1 và 2.",
])
def test_dates_document_numbers_and_identifiers_are_not_quantities(sentence):
    assert find_quantities(sentence) == []


@pytest.mark.parametrize("sentence, text, granularity, year, month, day, quarter", [
    ("25/04/2024 11:06", "25/04/2024", "day", 2024, 4, 25, None),
    ("Từ 1/1/2023 đến 20/7/2024,", "20/7/2024", "day", 2024, 7, 20, None),
    ("phê duyệt Ngày 10/10 hằng năm", "10/10", "day", None, 10, 10, None),
    ("trong quý I/2022 đạt", "quý I/2022", "quarter", 2022, None, None, 1),
    ("trong quý II năm 2022 và", "quý II năm 2022", "quarter", 2022, None, None, 2),
    ("đến giữa tháng 12/2023,", "tháng 12/2023", "month", 2023, 12, None, None),
    ("Trong 6 tháng đầu năm 2024,", "6 tháng đầu năm 2024", "half", 2024, None, None, None),
    ("Trong 3 tháng đầu năm 2022, thành phố", "3 tháng đầu năm 2022", "period", 2022, None, None, None),
    ("so với năm 2023.", "năm 2023", "year", 2023, None, None, None),
    ("giai đoạn 2022-2025 với", "2022-2025", "period", 2022, None, None, None),
])
def test_dates_are_recognised(sentence, text, granularity, year, month, day, quarter):
    found = {d.text: d for d in find_dates(sentence)}
    assert text in found, sorted(found)
    d = found[text]
    assert (d.granularity, d.year, d.month, d.day, d.quarter) == (granularity, year, month, day, quarter)
    assert sentence[d.start:d.end] == text


def test_every_seed_line_parses_with_exact_spans_and_no_overlap_with_dates():
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            quantities = find_quantities(line)
            dates = find_dates(line)
            for q in quantities:
                assert line[q.start:q.end] == q.text
                assert line[q.start:q.end].count(q.number_text) >= 1
                assert "NĐ-CP" not in q.text and "QĐ-TTg" not in q.text
                for d in dates:
                    assert not (d.start < q.start + len(q.text) and q.start < d.end and d.text in q.number_text), (q, d)
            for d in dates:
                assert line[d.start:d.end] == d.text
