import pytest

from qa.ingest.documents import corpus_hash, is_furniture, parse_article

EXPECTED = {
    "000_9731a1f374b0ab51": ("2024-04-25", "2024-04-25T11:06", "Ủy ban Quốc gia về chuyển đổi số họp phiên thứ 8"),
    "001_012a46c6ea1aeca1": ("2022-04-27", "2022-04-27T13:15", "Ủy ban Quốc gia về Chuyển đổi số họp phiên thứ hai"),
    "002_0c8e1293083b7153": (None, None, "100% địa phương đã ban hành nghị quyết"),
    "003_158d2d1cb2a5e738": ("2024-07-11", "2024-07-11T07:30", "Tham dự phiên họp có Phó Thủ tướng"),
    "004_76b21a1102ab2eaa": ("2024-01-10", None, "Tập trung, ưu tiên nguồn lực cho chuyển đổi số"),
}


def test_all_five_seeds_load_with_dates_and_titles(seed_docs):
    assert [d.doc_id for d in seed_docs] == sorted(EXPECTED)
    for doc in seed_docs:
        published, published_at, title_start = EXPECTED[doc.doc_id]
        assert doc.published == published
        assert doc.published_at == published_at
        assert doc.title.startswith(title_start)


def test_publishers_when_visible(seed_docs):
    by_id = {d.doc_id: d for d in seed_docs}
    assert by_id["000_9731a1f374b0ab51"].publisher == "SỞ XÂY DỰNG TỈNH QUẢNG NGÃI"
    assert by_id["001_012a46c6ea1aeca1"].publisher == "Cổng tin tức Thành phố Hải Phòng"


@pytest.mark.parametrize("line", [
    "PublishingPortal - Block_BanTin_Toolbar", " PublishingPortal - Block_BanTin_ViewData",
    "Tăng cỡ chữ Giảm cỡ chữ", "Print Thứ Tư, 27/04/2022 13:15 Gốc", "QR Code", "QR Code Fanpage",
    "Tin khác", "Chúng tôi trên Mạng Xã hội", "25/04/2024 11:06    253", "10/01/2024", "Nguồn P.V",
    "Minh Hảo. Ảnh: Đàm Thanh", "Tin, ảnh: HỒNG NHUNG",
    "Phó Thủ tướngTrần Lưu Quang dự Diễn đàn Cấp cao Chuyển đổi số Việt Nam - Châu Á 2024 |",
])
def test_page_furniture_is_recognised(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Ứng dụng VNeID đã được tích hợp 08 dịch vụ tiện ích.",
    "Khẩn trương rà soát, bổ sung và hoàn thiện thể chế số",
    "Tập trung giải quyết tốt bài toán kết nối, chia sẻ, liên thông dữ liệu",
    "Từ 1/1/2023 đến 20/7/2024, Bộ Thông tin và Truyền thông tổ chức 10 khóa bồi dưỡng.",
])
def test_content_lines_are_kept(line):
    assert not is_furniture(line)


def test_furniture_is_left_out_of_content_but_offsets_stay_exact(seed_docs):
    for doc in seed_docs:
        content = [doc.text[s:e] for s, e in doc.content_spans]
        assert not any("PublishingPortal" in c or c == "Tin khác" or c.startswith("QR Code") for c in content)
        for s, e in doc.content_spans:
            assert doc.text[s:e].strip() == doc.text[s:e] != ""
    vneid = next(d for d in seed_docs if d.doc_id.startswith("003"))
    assert any("hơn 75,7 triệu tài khoản VNeID" in vneid.text[s:e] for s, e in vneid.content_spans)


def test_repeated_photo_captions_are_dropped(seed_docs):
    doc = seed_docs[0]
    assert doc.text.count("Điểm cầu Quảng Ngãi\n") == 2
    assert not any(doc.text[s:e] == "Điểm cầu Quảng Ngãi" for s, e in doc.content_spans)


def test_original_text_is_nfc_of_the_file_and_crlf_is_unified():
    doc = parse_article("x", "Tiêu đề bài viết khá dài cho thử nghiệm\r\nHoa\u0300 bình có 75,7 triệu người.\r\n")
    assert "\r" not in doc.text
    assert "Hoà bình" in doc.text  # NFC composed, tone convention left as written


def test_empty_article_is_an_error():
    with pytest.raises(ValueError):
        parse_article("empty", "  \n ")


def test_corpus_hash_changes_with_content(seed_docs):
    h = corpus_hash(seed_docs)
    edited = seed_docs[:-1] + [parse_article(seed_docs[-1].doc_id, seed_docs[-1].text + " Thêm.")]
    assert corpus_hash(edited) != h
    assert corpus_hash(list(reversed(seed_docs))) == h
