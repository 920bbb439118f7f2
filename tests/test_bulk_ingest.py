"""Bulk ingestion: reading files people have (UTF-8 or not, HTML, Markdown, VietNews JSON lines),
and a `vnqa ingest` that is killed half-way and resumed."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.index.bulk import ingest
from qa.ingest import sources
from qa.ingest.formats import UnreadableDocument, decode, html_to_text, markdown_to_text, read_upload
from qa.ingest.store import DocStore
from qa.service import QAService

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("data, expected", [
    ("Hà Nội có 30 quận, huyện.".encode("utf-8"), "Hà Nội có 30 quận, huyện."),
    (b"\xef\xbb\xbf" + "Bài có BOM.".encode("utf-8"), "Bài có BOM."),
    ("Bài UTF-16.".encode("utf-16"), "Bài UTF-16."),
])
def test_decode_accepts_utf8_and_marked_utf16(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize("data, reason", [
    ("Hà Nội có 30 quận.".encode("cp1258", "replace"), "not UTF-8"),
    ("Hà Nội".encode("utf-16-le"), "not UTF-8"),  # no BOM: refused, not guessed
    (b"abc\x00def", "NUL bytes"),
])
def test_decode_refuses_what_it_would_have_to_guess(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        decode(data)


def test_html_keeps_the_article_and_drops_the_page():
    html = ("<html><head><title>Báo X - Tin</title><style>p{}</style></head><body>"
            "<nav><a href='/'>Trang chủ</a></nav><article><h1>Giá xăng giảm</h1>"
            "<p>Giá xăng RON 95 giảm 1.230&nbsp;đồng/lít.</p><p>Dầu diesel giảm <b>450</b> đồng.</p>"
            "<script>track()</script></article><footer>Bản quyền</footer></body></html>")
    text, title = html_to_text(html)
    assert title == "Giá xăng giảm"
    assert text.split("\n") == ["Giá xăng giảm", "Giá xăng RON 95 giảm 1.230 đồng/lít.", "Dầu diesel giảm 450 đồng."]


def test_markdown_is_reduced_to_its_words():
    text, title = markdown_to_text("# Tiêu đề\n\n- Có **1.234** hộ dùng [dịch vụ](http://x.vn) công.\n> Trích dẫn\n")
    assert title == "Tiêu đề"
    assert text == "Tiêu đề\nCó 1.234 hộ dùng dịch vụ công.\nTrích dẫn"


def test_upload_refuses_other_extensions():
    with pytest.raises(UnreadableDocument, match=r"\.txt, \.md or \.html"):
        read_upload(b"%PDF", "bao-cao.pdf")


def _vietnews_line(i: int) -> str:
    return json.dumps({"id": f"a{i}", "title": f"Xã số {i} có đường mới",
                       "abstract": f"Xã số {i} vừa khánh thành {i + 10} km đường bê tông .",
                       "body": f"Theo UBND xã , năm nay xã số {i} có {1000 + i} hộ dân được hưởng lợi ( tăng "
                               f"{i} % ) .\nCông trình có tổng vốn {i + 2},5 tỷ đồng .",
                       "captions": ""}, ensure_ascii=False)


def test_sources_read_both_json_shapes_and_report_bad_lines(tmp_path):
    path = tmp_path / "mixed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(_vietnews_line(1) + "\n")
        f.write(json.dumps({"id": "api-1", "title": "Tin", "published": "2026-11-30",
                            "source_url": "https://x.vn/1", "text": "Tỉnh Y có 12 bệnh viện."}, ensure_ascii=False) + "\n")
        f.write("{broken\n")
        f.write(json.dumps({"id": "x", "something": "else"}) + "\n")
    items = list(sources.read(path))
    assert sources.count(path) == 4 and len(items) == 4
    vn, api, broken, other = items
    assert vn.document.doc_id == "vn_a1" and vn.document.title == "Xã số 1 có đường mới"
    assert "(tăng 1%)" in vn.document.text  # VietNews tokenisation undone
    assert (api.document.published, api.source_url) == ("2026-11-30", "https://x.vn/1")
    assert broken.error and broken.where == "mixed.jsonl.gz:3"
    assert "neither 'text'" in other.error


def test_sources_read_a_folder_with_stable_ids(tmp_path):
    (tmp_path / "2026" / "11").mkdir(parents=True)
    (tmp_path / "2026" / "11" / "bai 1.md").write_text("# Tiêu đề\n\nCó 5 trạm y tế.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<h1>H</h1><p>Có 7 trường.</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("Có 9 xã.".encode("cp1258", "replace"))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    items = {i.where.split("/")[-1]: i for i in sources.read(tmp_path)}
    assert set(items) == {"bai 1.md", "b.html", "c.txt"}
    assert items["bai 1.md"].document.doc_id == "2026/11/bai_1"
    assert items["b.html"].document.title == "H"
    assert "not UTF-8" in items["c.txt"].error


_CLI = [sys.executable, "-m", "qa.cli", "ingest"]


def test_a_killed_ingest_resumes_without_losing_or_repeating_documents(tmp_path, service_embedder):
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(_vietnews_line(i) for i in range(40)) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([*_CLI, str(source), "--index", str(index), "--batch", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    store_path = index / "store.sqlite"
    while time.monotonic() < deadline:  # kill it once some batches are committed
        if store_path.exists() and DocStore(store_path).count() >= 6:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = DocStore(store_path).count()
    assert 6 <= partial < 40, partial

    report = ingest(source, index, service_embedder, progress=False, log=lambda *a: None)
    assert report.skipped == partial and report.written == 40 - partial and report.failed == 0
    store = DocStore(store_path)
    assert store.count() == 40
    db = store._db()
    assert db.execute("SELECT count(*) FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0] == 0
    assert db.execute("SELECT count(DISTINCT doc_id) FROM chunks").fetchone()[0] == 40  # none left without passages
    again = ingest(source, index, service_embedder, progress=False, log=lambda *a: None)
    assert (again.written, again.skipped) == (0, 40)
    svc = QAService.from_documents(None, index, service_embedder, log=lambda *a: None, reader="rules")
    body = svc.ask("năm nay xã số 17 có bao nhiêu hộ dân được hưởng lợi?")
    assert body["passages"][0]["doc_id"] == "vn_a17" and body["answer"]["text"].startswith("1017 hộ")



def test_corpus_none_serves_the_store_as_it_is(monkeypatch, tmp_path, service_embedder):
    """`VNQA_CORPUS=none`: no folder is synchronised, so documents that came from `vnqa ingest`
    or the API are served and nothing is added or removed at start-up."""
    from qa.config import Settings

    monkeypatch.setenv("VNQA_CORPUS", "none")
    monkeypatch.setenv("VNQA_INDEX_DIR", str(tmp_path / "index"))
    settings = Settings.from_env()
    assert settings.corpus_dir is None
    source = tmp_path / "one.jsonl"
    source.write_text(_vietnews_line(3) + "\n", encoding="utf-8")
    ingest(source, settings.index_dir, service_embedder, progress=False, log=lambda *a: None)
    svc = QAService.open(settings, embedder=service_embedder, log=lambda *a: None, reader="rules")
    assert set(svc.index.documents) == {"vn_a3"}


def test_worker_processes_write_the_store_one_process_would(tmp_path, service_embedder):
    """`vnqa ingest --jobs 2`: two spawned workers prepare the batches, this process writes them.
    The store (documents, chunks, tokens, vectors bit for bit) and the vector cache are those of
    the in-process load, and a resumed run skips everything."""
    import numpy as np

    from tests.conftest import store_contents

    source = tmp_path / "news.jsonl"
    source.write_text("\n".join([*(_vietnews_line(i) for i in range(9)), "{broken"]) + "\n", encoding="utf-8")
    quiet = lambda *a: None  # noqa: E731
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = ingest(source, one, service_embedder, batch_size=2, progress=False, build=False, log=quiet)
    r2 = ingest(source, two, service_embedder, batch_size=2, progress=False, build=False, jobs=2, log=quiet)
    for r in (r1, r2):
        assert (r.seen, r.written, r.skipped, r.failed) == (10, 9, 0, 1)
    assert (r2.chunks, r2.sentences) == (r1.chunks, r1.sentences)
    dim = service_embedder.dim
    got, want = store_contents(two, dim), store_contents(one, dim)
    assert list(got) == list(want) and len(got) == 9  # same documents, in source order
    for doc_id, w in want.items():
        g = got[doc_id]
        assert (g["document"], g["chunks"], g["sentences"]) == (w["document"], w["chunks"], w["sentences"])
        assert np.array_equal(g["chunk_vectors"], w["chunk_vectors"])
        assert np.array_equal(g["sentence_vectors"], w["sentence_vectors"])

    def cache(d):
        with sqlite3.connect(d / "vectors.sqlite") as db:
            return dict(db.execute("SELECT key, vec FROM vectors"))

    assert cache(two) == cache(one) and len(cache(one)) > 0
    again = ingest(source, two, service_embedder, batch_size=2, progress=False, build=False, jobs=2, log=quiet)
    assert (again.written, again.skipped, again.failed) == (0, 9, 1)


def test_a_read_only_vector_cache_finds_stored_vectors_and_never_writes(tmp_path):
    import numpy as np

    from qa.index.vector_cache import VectorCache

    path = tmp_path / "vectors.sqlite"
    writer = VectorCache(path, "m", 2)
    writer.embed("passage", ["có sẵn"], lambda texts: np.ones((len(texts), 2)))
    writer.close()
    encoded: list[str] = []

    def encode(texts):
        encoded.extend(texts)
        return np.full((len(texts), 2), 2.0)

    reader = VectorCache(path, "m", 2, readonly=True)
    out = reader.embed("passage", ["có sẵn", "mới", "mới"], encode)
    assert encoded == ["mới"] and out.tolist() == [[1, 1], [2, 2], [2, 2]]
    assert reader.embed("passage", ["mới"], encode).tolist() == [[2, 2]] and encoded == ["mới"]  # kept in memory
    reader.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 1
