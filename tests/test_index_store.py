"""The durable store and the live index over it: sync, re-derivation, incremental writes that
match a full rebuild, deletes, merges, crash safety (with a real ``kill -9``)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import bm25s
import numpy as np
import pytest

from qa.index.base import read_manifest
from qa.index.bm25 import LexicalIndex
from qa.index.dense import DenseIndex, choose_kind
from qa.index.live import FreshBM25, LiveIndex
from qa.ingest.chunking import ChunkingParams
from qa.ingest.documents import parse_article
from qa.ingest.store import DocStore
from qa.service import QAService

ROOT = Path(__file__).resolve().parent.parent
QUIET = dict(log=lambda *a: None)

NEW_ARTICLE = ("Tỉnh Thử Nghiệm công bố số liệu chuyển đổi số mới\n"
               "Tính đến hết tháng 10/2026, tỉnh Thử Nghiệm đã có 123.456 tài khoản định danh điện tử mức 2 "
               "được kích hoạt cho người dân. Tỉnh cũng đã số hóa 8.765 hồ sơ hộ tịch.")
NEW_QUESTION = "tỉnh Thử Nghiệm có bao nhiêu tài khoản định danh điện tử mức 2?"


def _doc_ids_of(body: dict) -> list[str]:
    return [p["doc_id"] for p in body["passages"]]


def test_manifest_records_what_the_index_depends_on(service, service_embedder):
    m = service.index.manifest
    assert m["model"] == service_embedder.name and m["model_fingerprint"] == service_embedder.fingerprint
    assert len(m["corpus_hash"]) == 64
    assert m["chunking"] == ChunkingParams().to_dict()
    assert m["dense_index"] == "flat"
    assert m["n_documents"] == 5 and m["n_chunks"] == len(service.index.chunks)
    assert m["fresh_chunks"] == 0 and m["dead_positions"] == 0  # opened from a folder: one merged base
    assert {"faiss-cpu", "bm25s", "underthesea", "onnxruntime"} <= set(m["versions"])


def test_documents_roundtrip_through_the_store(service, seed_docs):
    for doc in seed_docs:
        assert service.index.documents[doc.doc_id] == doc
    assert service.index.manifest["n_sentences"] == len(service.index.sentences)


def test_reopening_an_unchanged_folder_writes_nothing_and_an_edit_embeds_only_new_text(seed_docs, service_embedder,
                                                                                       tmp_path):
    lines = []
    first = QAService.from_documents(seed_docs, tmp_path, service_embedder, log=lines.append, reader="rules")
    generation = first.index.generation
    lines.clear()
    again = QAService.from_documents(seed_docs, tmp_path, service_embedder, log=lines.append, reader="rules")
    assert lines == [] and again.index.generation == generation, "an unchanged corpus must not be written"

    extra = parse_article("999_new", NEW_ARTICLE)
    calls = []
    real = service_embedder.encode_passages
    service_embedder.encode_passages = lambda texts: calls.append(len(texts)) or real(texts)
    try:
        third = QAService.from_documents(seed_docs + [extra], tmp_path, service_embedder, **QUIET, reader="rules")
    finally:
        del service_embedder.encode_passages
    assert "999_new" in third.index.documents
    assert third.index.manifest["corpus_hash"] != first.index.manifest["corpus_hash"]
    assert sum(calls) <= 4, calls  # the new article's chunk and sentences only
    # a file removed from the folder is removed from the store
    fourth = QAService.from_documents(seed_docs, tmp_path, service_embedder, **QUIET, reader="rules")
    assert "999_new" not in fourth.index.documents


def test_a_chunking_change_re_derives_every_stored_chunk(seed_docs, service_embedder, tmp_path):
    from qa.config import Settings

    lines = []
    QAService.from_documents(seed_docs[:2], tmp_path, service_embedder, **QUIET, reader="rules")
    settings = Settings.from_env(chunking=ChunkingParams(max_sentences=2))
    svc = QAService.from_documents(seed_docs[:2], tmp_path, service_embedder, settings, log=lines.append,
                                   reader="rules")
    assert any("re-deriving 2 stored documents (chunking changed)" in line for line in lines), lines
    assert all(len(c.sentences) <= 2 for c in svc.index.chunks if c is not None)
    assert read_manifest(tmp_path)["chunking"]["max_sentences"] == 2


def test_fresh_bm25_scores_like_bm25s_over_the_same_chunks(service):
    """The fresh segment's scorer against the reference implementation: one segment holding
    every seed chunk must give bm25s's scores exactly."""
    store = service.live.store
    ids = [r.chunk_id for r in store.chunk_rows()]
    tokens = store.chunk_tokens(ids)
    reference = LexicalIndex.build(tokens)
    fresh = FreshBM25(tokens, None, 0, 0)
    for query in (["tài", "khoản", "vneid"], ["#75.7", "triệu", "triệu"], ["chuyển_đổi", "~so", "số"]):
        np.testing.assert_allclose(fresh.scores(query), reference.scores(query), rtol=1e-5, atol=1e-6)


def test_fresh_segment_uses_the_base_document_frequencies():
    corpus = [["a", "b"], ["b", "c"], ["c", "d", "a"], ["e"]]
    base = LexicalIndex.build(corpus[:3])
    fresh = FreshBM25(corpus[3:] + [["a", "e"]], base, 3, 7)
    full = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    full.index(corpus + [["a", "e"]], show_progress=False)
    np.testing.assert_allclose(fresh.scores(["a", "e"]), full.get_scores(["a", "e"])[3:], rtol=1e-5)


def _live(tmp_path, embedder, docs, **kw):
    live = LiveIndex(tmp_path, embedder, **QUIET, **kw)
    live.sync(docs, "corpus")
    live.merge(wait=True)
    return live


def test_a_folder_named_another_way_is_the_same_folder(service_embedder, tmp_path, monkeypatch):
    """Naming the corpus folder relatively once and absolutely the next time used to "update"
    every article (their source paths differed), re-preparing all of them on every open."""
    from qa.ingest.documents import load_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "new1.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    live = LiveIndex(tmp_path / "index", service_embedder, **QUIET)
    assert live.sync(load_corpus(Path("corpus")), "folder")["created"] == ["new1"]
    again = live.sync(load_corpus(folder.resolve()), "folder")
    assert again == {"created": [], "updated": [], "removed": []}


def test_a_written_document_is_answered_and_a_deleted_one_never_is(seed_docs, service_embedder, tmp_path):
    svc = QAService(_live(tmp_path, service_embedder, seed_docs), service_embedder, "rules")
    assert "new1" not in _doc_ids_of(svc.ask(NEW_QUESTION))
    [result] = svc.add_documents([parse_article("new1", NEW_ARTICLE)])
    assert result.status == "created"
    body = svc.ask(NEW_QUESTION)
    assert body["passages"][0]["doc_id"] == "new1"
    assert body["answer"]["text"].startswith("123.456") and body["answer"]["citation"]["doc_id"] == "new1"
    assert svc.add_documents([parse_article("new1", NEW_ARTICLE)])[0].status == "unchanged"
    # a replacement: the old figure is gone, the new one answers
    edited = NEW_ARTICLE.replace("123.456", "234.567")
    assert svc.add_documents([parse_article("new1", edited)])[0].status == "updated"
    body = svc.ask(NEW_QUESTION)
    assert body["answer"]["text"].startswith("234.567")
    assert all("123.456" not in p["text"] for p in body["passages"])
    assert svc.delete_documents(["new1", "nope"]) == ["new1"]
    body = svc.ask(NEW_QUESTION)
    assert "new1" not in _doc_ids_of(body) and svc.document("new1") is None
    # still true after a merge folds the tombstones away, and after reopening from disk
    svc.live.merge(wait=True)
    assert svc.index.manifest["dead_positions"] == 0
    assert "new1" not in _doc_ids_of(svc.ask(NEW_QUESTION))
    reopened = LiveIndex(tmp_path, service_embedder, **QUIET)
    assert "new1" not in reopened.view.documents and len(reopened.view.documents) == len(seed_docs)


def test_incremental_writes_retrieve_what_a_full_rebuild_retrieves(seed_docs, service_embedder, tmp_path):
    """Two seeds written one by one on top of a base of three, against all five merged."""
    live = _live(tmp_path / "a", service_embedder, seed_docs[:3])
    svc = QAService(live, service_embedder, "rules")
    svc.add_documents([seed_docs[3]])
    svc.add_documents([seed_docs[4]])
    assert svc.index.manifest["fresh_chunks"] > 0
    full = QAService(_live(tmp_path / "b", service_embedder, seed_docs), service_embedder, "rules")
    questions = ["bao nhiêu tài khoản VNeID?", "tỷ lệ hồ sơ trực tuyến toàn trình là bao nhiêu?",
                 "có bao nhiêu thủ tục hành chính được cắt giảm?", "so luong tai khoan dinh danh dien tu"]
    for q in questions:
        inc, ref = svc.ask(q, top_k=5), full.ask(q, top_k=5)
        spans = lambda b: [(p["doc_id"], p["start"]) for p in b["passages"]]  # noqa: E731
        # nearly the same passages: the base's BM25 statistics (3 of 5 articles here) lag until a
        # merge, which can reorder close passages (eval/bench_ingest.py measures it at scale)
        assert len(set(spans(inc)) & set(spans(ref))) >= 4, q
    svc.live.merge(wait=True)
    for q in questions:  # merged: exactly the full build
        inc, ref = svc.ask(q), full.ask(q)
        assert [(p["doc_id"], p["start"]) for p in inc["passages"]] == [(p["doc_id"], p["start"]) for p in ref["passages"]]
        assert (inc["answer"] or {}).get("text") == (ref["answer"] or {}).get("text"), q


def test_a_merge_runs_in_the_background_and_answers_continue(seed_docs, service_embedder, tmp_path):
    live = _live(tmp_path, service_embedder, seed_docs[:4], merge_floor=0, merge_share=0.0)
    svc = QAService(live, service_embedder, "rules")
    base_before = live.view.base.path
    svc.add_documents([seed_docs[4]])  # past the (zero) threshold: a merge starts
    assert svc.ask("bao nhiêu tài khoản VNeID?")["passages"]
    live.wait_for_merge()
    assert live.view.base.path != base_before and live.view.manifest["fresh_chunks"] == 0
    assert svc.ask("bao nhiêu tài khoản VNeID?")["answer"]["text"].startswith("hơn 75,7 triệu")
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("base-")]) == 1


class _ExplodingEmbedder:
    """Wraps the real embedder and fails part-way through a write, like a crash or Ctrl-C."""

    def __init__(self, real):
        self.real = real
        self.name, self.fingerprint, self.dim = real.name, real.fingerprint, real.dim

    def encode_passages(self, texts):
        raise KeyboardInterrupt("simulated crash during embedding")

    def encode_queries(self, texts):
        return self.real.encode_queries(texts)


def test_an_interrupted_write_leaves_the_previous_state(seed_docs, service_embedder, tmp_path):
    _live(tmp_path, service_embedder, seed_docs[:2]).close()
    before = DocStore(tmp_path / "store.sqlite").generation
    live = LiveIndex(tmp_path, _ExplodingEmbedder(service_embedder), **QUIET)
    with pytest.raises(KeyboardInterrupt):
        live.upsert([parse_article("new1", NEW_ARTICLE)])
    assert live.view.generation == before and "new1" not in live.view.documents
    assert DocStore(tmp_path / "store.sqlite").get("new1") is None


_INGEST_LOOP = """
import sys
from qa.index.embedder import make_embedder
from qa.index.live import LiveIndex
from qa.ingest.documents import parse_article
live = LiveIndex(sys.argv[1], make_embedder(None, "onnx"), log=lambda *a: None)
i = 0
while True:
    text = f"Bài thử số {i}\\nNăm nay xã số {i} đã có {1000 + i} hộ dân dùng dịch vụ công trực tuyến mức độ 4."
    live.upsert([parse_article(f"k{i}", text)])
    print(f"k{i}", flush=True)  # acknowledged: the write returned
    i += 1
"""


def test_acknowledged_writes_survive_kill_9(tmp_path):
    """A real process writing in a loop is killed with SIGKILL; every document it acknowledged
    is in the store, complete (chunks and sentences), and the database passes its integrity check."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _INGEST_LOOP, str(tmp_path)], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)
    acked = []
    deadline = time.monotonic() + 300
    while len(acked) < 12 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acked.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(acked) >= 12, "the ingest loop did not get going"
    db = sqlite3.connect(tmp_path / "store.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in db.execute("SELECT doc_id FROM documents")}
    assert set(acked) <= stored
    for doc_id in stored:  # no half-written document: each has its chunks and sentences
        assert db.execute("SELECT count(*) FROM chunks WHERE doc_id = ?", (doc_id,)).fetchone()[0] >= 1
        assert db.execute("SELECT count(*) FROM sentences WHERE doc_id = ?", (doc_id,)).fetchone()[0] >= 1
    db.close()
    reopened = LiveIndex(tmp_path, _OnnxOnce.get(), **QUIET)
    assert set(acked) <= set(reopened.view.documents)


class _OnnxOnce:
    _e = None

    @classmethod
    def get(cls):
        if cls._e is None:
            from qa.index.embedder import make_embedder

            cls._e = make_embedder(None, "onnx")
        return cls._e


def test_another_process_s_writes_are_seen_on_the_next_question(seed_docs, service_embedder, tmp_path):
    """Two LiveIndex objects on one store (two workers): a write through one is answered by the other."""
    a = QAService(_live(tmp_path, service_embedder, seed_docs), service_embedder, "rules")
    b = QAService(LiveIndex(tmp_path, service_embedder, **QUIET), service_embedder, "rules")
    a.add_documents([parse_article("new1", NEW_ARTICLE)])
    assert b.ask(NEW_QUESTION)["passages"][0]["doc_id"] == "new1"
    a.delete_documents(["new1"])
    assert "new1" not in _doc_ids_of(b.ask(NEW_QUESTION))


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


def test_a_crash_while_writing_a_base_leaves_the_previous_one(seed_docs, service_embedder, tmp_path, monkeypatch):
    live = _live(tmp_path, service_embedder, seed_docs[:3])
    before = read_manifest(tmp_path)

    def disk_full(self, path):
        path.write_bytes(b"partial")  # a half-written file, then the failure
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DenseIndex, "save", disk_full)
    live.upsert(seed_docs[3:])
    live.merge(wait=True)  # fails; logged, the old base keeps serving
    assert read_manifest(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-base-")]
    assert set(live.view.documents) == {d.doc_id for d in seed_docs}
    monkeypatch.undo()
    assert set(LiveIndex(tmp_path, service_embedder, **QUIET).view.documents) == {d.doc_id for d in seed_docs}


def test_the_lexicon_is_part_of_the_derivation_key(service_embedder, monkeypatch):
    """Changing a word list (stopwords, magnitudes, currencies…) re-derives the stored tokens."""
    import qa.lexicon as lexicon
    from qa.index.prepare import derivation_key

    before = derivation_key(service_embedder, ChunkingParams(), lexicon.lexicon_fingerprint())
    monkeypatch.setattr(lexicon, "QUERY_STOPWORDS", lexicon.QUERY_STOPWORDS | {"thêm"})
    assert derivation_key(service_embedder, ChunkingParams(), lexicon.lexicon_fingerprint()) != before


def test_reader_statistics_are_saved_and_reloaded_for_the_same_generation(seed_docs, service_embedder, tmp_path,
                                                                          monkeypatch):
    """Start-up loads the reader's corpus statistics saved for this state of the store instead of
    reading every sentence again; after a write they no longer match and are computed afresh."""
    from qa.read.rules import CorpusStats
    from qa.service import STATS_FILE

    first = QAService.from_documents(seed_docs, tmp_path, service_embedder, **QUIET, reader="rules")
    computed = first.reader.picker.stats
    assert (tmp_path / STATS_FILE).exists()
    loaded = CorpusStats.load(tmp_path / STATS_FILE, first.index.generation, first.index.documents)
    assert loaded is not None
    assert +loaded.df == +computed.df and loaded.n_sentences == computed.n_sentences
    assert loaded.focus == computed.focus and loaded.aliases == computed.aliases
    def no_recount(index):
        raise AssertionError("statistics recomputed although saved for this generation")

    monkeypatch.setattr(CorpusStats, "of", classmethod(lambda cls, index: no_recount(index)))
    again = QAService.from_documents(seed_docs, tmp_path, service_embedder, **QUIET, reader="rules")
    monkeypatch.undo()
    assert again.ask("bao nhiêu tài khoản VNeID?")["answer"] == first.ask("bao nhiêu tài khoản VNeID?")["answer"]
    first.add_documents([parse_article("new1", NEW_ARTICLE)])
    assert CorpusStats.load(tmp_path / STATS_FILE, first.index.generation, first.index.documents) is None


def test_stored_tokens_come_back_equal_and_shared(service):
    """A base build holds every chunk's tokens at once (38M of them for all of VietNews): equal
    tokens must come back as one string object, not one per occurrence."""
    store = service.live.store
    ids = [r.chunk_id for r in store.chunk_rows()]
    tokens = store.chunk_tokens(ids)
    assert len(tokens) == len(ids) and all(tokens)
    first: dict[str, str] = {}
    repeats = 0
    for chunk in tokens:
        for t in chunk:
            if t in first:
                assert first[t] is t
                repeats += 1
            else:
                first[t] = t
    assert repeats > len(first)  # a corpus repeats its words; the check above ran
