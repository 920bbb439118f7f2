"""`vnqa ingest --ray`: embedding on a local Ray gives the same store as the single-process load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import SEEDS, store_contents

ray = pytest.importorskip("ray")
# Ray Data reads its own deprecated settings when it copies its context to the workers
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The five seed articles and one API record, as a JSON-lines file (plus a broken line)."""
    path = tmp_path_factory.mktemp("ray-source") / "articles.jsonl"
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}, ensure_ascii=False)
             for p in sorted(SEEDS.glob("*.txt"))]
    lines.append(json.dumps({"id": "api_1", "title": "Đà Nẵng tăng trưởng", "published": "2025-01-02",
                             "source_url": "https://example.vn/a",
                             "text": "Năm 2024, GRDP của Đà Nẵng tăng 7,51% so với năm trước.\n\n"
                                     "Thu ngân sách đạt 23.000 tỷ đồng."}, ensure_ascii=False))
    lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ray_ingest_matches_single_process(source, tmp_path, service_embedder):
    from qa.index.bulk import ingest
    from qa.index.ray_ingest import ingest_with_ray
    from qa.ingest.chunking import ChunkingParams
    from qa.service import QAService

    quiet = lambda *a: None  # noqa: E731
    bulk_dir, ray_dir = tmp_path / "bulk", tmp_path / "ray"
    chunking = ChunkingParams()
    try:
        ray_report = ingest_with_ray(source, ray_dir, service_embedder, chunking, address="local", batch_size=4,
                                     concurrency=2, progress=False, log=quiet)
        assert not ray.is_initialized()  # it started Ray, so it shut it down
    finally:
        ray.shutdown()
    bulk_report = ingest(source, bulk_dir, service_embedder, chunking, batch_size=4, progress=False, log=quiet)

    for r in (ray_report, bulk_report):
        assert (r.seen, r.written, r.skipped, r.failed) == (7, 6, 0, 1)
    assert (ray_report.chunks, ray_report.sentences) == (bulk_report.chunks, bulk_report.sentences)

    dim = service_embedder.dim
    got, want = store_contents(ray_dir, dim), store_contents(bulk_dir, dim)
    assert sorted(got) == sorted(want) and len(got) == 6
    for doc_id, w in want.items():
        g = got[doc_id]
        assert g["document"] == w["document"]
        assert g["chunks"] == w["chunks"]
        assert g["sentences"] == w["sentences"]
        assert np.allclose(g["chunk_vectors"], w["chunk_vectors"], atol=1e-6)
        assert np.allclose(g["sentence_vectors"], w["sentence_vectors"], atol=1e-6)

    # a second run holds everything already: nothing is embedded again
    try:
        again = ingest_with_ray(source, ray_dir, service_embedder, chunking, address="local", progress=False,
                                log=quiet)
    finally:
        ray.shutdown()
    assert (again.written, again.skipped, again.failed) == (0, 6, 1)

    service = QAService.from_documents(None, ray_dir, service_embedder, log=quiet, reader="rules")
    ans = service.ask("Bắc Kạn đã kích hoạt bao nhiêu tài khoản định danh điện tử?")["answer"]
    assert ans is not None and ans["value"] == pytest.approx(162_842)
    assert ans["citation"]["doc_id"] == "004_76b21a1102ab2eaa"
