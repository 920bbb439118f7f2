import pytest

from qa.ingest.chunking import ChunkingParams, chunk_corpus, chunk_document
from qa.ingest.segment import split_sentences


def _sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_urls_and_domains_are_not_split():
    text = ("Bộ Thông tin và Truyền thông cũng đã xây dựng nền tảng tại https://onetouch.mic.gov.vn "
            "để phổ cập kỹ năng số. Giao dịch trên https://voso.vn và https://postmart.vn.")
    sents = _sentences(text)
    assert len(sents) == 2
    assert "https://onetouch.mic.gov.vn" in sents[0]
    assert sents[1].endswith("https://postmart.vn.")


@pytest.mark.parametrize("text, n", [
    ("TP. Hồ Chí Minh có nhiều dự án. Hà Nội cũng vậy.", 2),
    ("Ông Nguyễn V. A phát biểu tại hội nghị. Ông B đồng ý.", 2),
    ("Doanh thu đạt 1,9 triệu tỷ đồng. Tăng 26% so với cùng kỳ.", 2),
    ("Tổng số CSDL là 2.398 CSDL. Tăng 311 CSDL.", 2),
])
def test_abbreviations_initials_and_numbers_do_not_end_sentences(text, n):
    assert len(_sentences(text)) == n


def test_sentence_offsets_are_exact(seed_docs):
    for doc in seed_docs:
        for s, e in doc.content_spans:
            for a, b in split_sentences(doc.text[s:e]):
                piece = doc.text[s + a:s + b]
                assert piece == piece.strip() and piece


def test_every_chunk_of_every_seed_is_an_exact_slice(seed_docs):
    chunks = chunk_corpus(seed_docs, ChunkingParams())
    by_id = {d.doc_id: d for d in seed_docs}
    assert len(chunks) > 50
    assert {c.doc_id for c in chunks} == set(by_id)
    for c in chunks:
        assert by_id[c.doc_id].text[c.start:c.end] == c.text
        assert c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        for s, e in c.sentences:
            assert c.start <= s < e <= c.end


def test_chunks_skip_furniture_and_overlap(seed_docs):
    params = ChunkingParams(max_sentences=3, overlap_sentences=1)
    for doc in seed_docs:
        chunks = chunk_document(doc, params)
        for c in chunks:
            assert "PublishingPortal" not in c.text and "QR Code" not in c.text
            assert "Tin khác" not in c.text
        shared = sum(1 for a, b in zip(chunks, chunks[1:]) if set(a.sentences) & set(b.sentences))
        assert shared > 0, doc.doc_id


def test_chunks_fit_the_model_window(seed_docs, embedder):
    """e5-small reads 512 tokens; chunks must stay well under it or their tails are lost."""
    chunks = chunk_corpus(seed_docs, ChunkingParams())
    longest = max(embedder.count_tokens("passage: " + c.text) for c in chunks)
    assert longest <= 400, longest


def test_a_huge_sentence_is_cut_at_clause_breaks():
    from qa.ingest.documents import parse_article

    clause = "toàn quốc vẫn còn 1.077 thôn chưa có sóng băng rộng di động; "
    doc = parse_article("long", "Một tiêu đề đủ dài cho bài viết thử nghiệm\n" + clause * 40 + "hết.")
    chunks = chunk_document(doc, ChunkingParams(hard_max_chars=600))
    assert all(len(c.text) <= 700 for c in chunks)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)
