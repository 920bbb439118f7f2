"""The on-disk index: manifest, rebuild on change, embedding reuse, crash safety, FAISS kind."""

import json
import shutil

import numpy as np
import pytest

from qa.ingest.chunking import ChunkingParams
from qa.index.dense import DenseIndex, choose_kind
from qa.ingest.documents import parse_article
from qa.index.store import build_key, read_manifest, stale_reason
from qa.service import QAService


def test_manifest_records_what_the_index_depends_on(service, service_embedder):
    m = service.index.manifest
    assert m["model"] == service_embedder.name and m["model_fingerprint"] == service_embedder.fingerprint
    assert len(m["corpus_hash"]) == 64
    assert m["chunking"] == ChunkingParams().to_dict()
    assert m["dense_index"] == "flat"
    assert m["n_documents"] == 5 and m["n_chunks"] == len(service.index.chunks)
    assert {"faiss-cpu", "bm25s", "underthesea", "sentence-transformers", "torch"} <= set(m["versions"])


def test_index_is_rebuilt_when_the_corpus_changes_and_reuses_embeddings(seed_docs, embedder, tmp_path):
    built = []
    log = built.append
    first = QAService.from_documents(seed_docs, tmp_path, embedder, log=log)
    assert any("no index built yet" in line for line in built)
    built.clear()
    QAService.from_documents(seed_docs, tmp_path, embedder, log=log)
    assert built == [], "an up-to-date index must not be rebuilt"

    extra = parse_article("999_new", "Bài mới về chuyển đổi số của tỉnh thử nghiệm\n"
                          "Tỉnh thử nghiệm đã cấp 12.345 tài khoản định danh điện tử cho người dân.")
    second = QAService.from_documents(seed_docs + [extra], tmp_path, embedder, log=log)
    assert any("corpus_hash changed" in line for line in built)
    assert "999_new" in second.index.documents
    assert second.index.manifest["corpus_hash"] != first.index.manifest["corpus_hash"]
    cache = second.index.manifest["embedding_cache"]
    assert cache["hits"] >= first.index.manifest["n_chunks"], cache  # only the new text was embedded
    assert cache["misses"] <= 4, cache
    # only one build folder remains, and `current` points at it
    builds = [p for p in tmp_path.iterdir() if p.name.startswith("build-")]
    assert len(builds) == 1 and (tmp_path / "current").resolve() == builds[0]


def test_rebuild_when_chunking_or_model_changes(seed_docs, service_embedder, service, seed_index_dir):
    key = build_key(seed_docs, service_embedder.name, service_embedder.fingerprint, ChunkingParams())
    assert stale_reason(seed_index_dir, key) is None
    other = build_key(seed_docs, service_embedder.name, service_embedder.fingerprint, ChunkingParams(max_sentences=2))
    assert stale_reason(seed_index_dir, other) == "chunking changed"
    other = build_key(seed_docs, service_embedder.name, "0" * 64, ChunkingParams())
    assert stale_reason(seed_index_dir, other) == "model_fingerprint changed"


class _ExplodingEmbedder:
    """Wraps the real embedder and fails part-way through a build, like a crash or Ctrl-C."""

    def __init__(self, real, fail_after: int):
        self.real, self.calls, self.fail_after = real, 0, fail_after
        self.name, self.fingerprint, self.dim = real.name, real.fingerprint, real.dim

    def encode_passages(self, texts):
        self.calls += 1
        if self.calls > self.fail_after:
            raise KeyboardInterrupt("simulated crash during the build")
        return self.real.encode_passages(texts)


def test_an_interrupted_build_leaves_the_previous_index_intact(seed_docs, service_embedder, service, seed_index_dir, tmp_path):
    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    (index_dir / "vectors.sqlite").unlink()  # force real embedding work in the new build
    before = read_manifest(index_dir)
    extra = parse_article("999_new", "Tiêu đề của một bài viết thêm vào kho\nCó 5 thôn mới được phủ sóng.")
    with pytest.raises(KeyboardInterrupt):
        QAService.from_documents(seed_docs + [extra], index_dir, _ExplodingEmbedder(service_embedder, 0), log=lambda *a: None)
    assert read_manifest(index_dir) == before
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-build-")]
    reopened = QAService.from_documents(seed_docs, index_dir, service_embedder, log=lambda *a: None)
    assert reopened.ask("bao nhiêu tài khoản VNeID?")["passages"]


def test_hnsw_is_chosen_past_the_threshold_and_finds_the_same_neighbours():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert choose_kind(100, threshold=1000) == "flat" and choose_kind(3000, threshold=1000) == "hnsw"
    flat, hnsw = DenseIndex.build(vectors, "flat"), DenseIndex.build(vectors, "hnsw")
    agree = 0
    for q in vectors[:50]:
        agree += len(set(flat.search(q, 10)[1]) & set(hnsw.search(q, 10)[1]))
    assert agree / 500 >= 0.95


def test_documents_roundtrip_through_the_index(service, seed_docs):
    for doc in seed_docs:
        stored = service.index.documents[doc.doc_id]
        assert stored == doc
    assert json.loads((service.index.path / "manifest.json").read_text())["n_sentences"] == len(service.index.sentences)


def test_a_crash_while_writing_files_leaves_the_previous_index_intact(seed_docs, service_embedder, service, seed_index_dir,
                                                                      tmp_path, monkeypatch):
    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    before = read_manifest(index_dir)

    def disk_full(self, path):
        path.write_bytes(b"partial")  # a half-written file, then the failure
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DenseIndex, "save", disk_full)
    extra = parse_article("999_new", "Tiêu đề của một bài viết thêm vào kho\nCó 5 thôn mới được phủ sóng.")
    with pytest.raises(OSError):
        QAService.from_documents(seed_docs + [extra], index_dir, service_embedder, log=lambda *a: None)
    assert read_manifest(index_dir) == before
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-build-")]
    monkeypatch.undo()
    assert QAService.from_documents(seed_docs, index_dir, service_embedder, log=lambda *a: None).index.manifest == before


def test_the_lexicon_is_part_of_the_rebuild_key(seed_docs, monkeypatch):
    """Changing a word list (stopwords, magnitudes, currencies…) changes the key: a rebuild."""
    import qa.lexicon as lexicon
    from qa.index.store import build_key
    from qa.ingest.chunking import ChunkingParams

    before = build_key(seed_docs, "m", "fp", ChunkingParams())
    assert before["lexicon"] == lexicon.lexicon_fingerprint()
    monkeypatch.setattr(lexicon, "QUERY_STOPWORDS", lexicon.QUERY_STOPWORDS | {"thêm"})
    assert build_key(seed_docs, "m", "fp", ChunkingParams())["lexicon"] != before["lexicon"]
