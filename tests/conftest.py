"""Shared fixtures: the real seed corpus, the real e5 model, a real index built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_docs():
    from qa.ingest.documents import load_corpus

    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def embedder():
    from qa.index.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def service_embedder():
    """The service's own encoder: the int8 ONNX e5-small (``make_embedder``'s default), which the
    shipped reader was trained with. ``embedder`` above stays the torch model it is checked against."""
    from qa.index.embedder import make_embedder

    return make_embedder(None, "onnx")


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seed-index")


@pytest.fixture(scope="session")
def service(seed_docs, service_embedder, seed_index_dir):
    """A QAService over the seeds with the real model, FAISS, BM25 and underthesea.

    Its reader is the rule baseline: the seed answer tests (newest-first grouping, citations,
    rejections) pin that reader's behaviour. The shipped learned reader is tested in
    ``test_reader.py`` (``service.reader_named("learned")``) and by the quality floor."""
    from qa.service import QAService

    return QAService.from_documents(seed_docs, seed_index_dir, service_embedder, log=lambda *a: None,
                                    reader="rules")


def store_contents(index_dir: Path, dim: int) -> dict:
    """doc_id → (document fields, chunks (span, sentences, tokens), chunk vectors, sentence spans,
    sentence vectors), read back from the store."""
    from qa.ingest.store import DocStore

    store = DocStore(index_dir / "store.sqlite")
    out = {}
    for stored in store.documents():
        doc = stored.document
        chunks = store.chunk_rows([doc.doc_id])
        sentences = store.sentence_rows([doc.doc_id])
        ids = [c.chunk_id for c in chunks]
        out[doc.doc_id] = {
            "document": (doc, stored.source_url, stored.origin),
            "chunks": [(c.start, c.end, c.sentences, t) for c, t in zip(chunks, store.chunk_tokens(ids))],
            "chunk_vectors": store.chunk_vectors(ids, dim),
            "sentences": [(s, e) for _, _, s, e in sentences],
            "sentence_vectors": store.sentence_vectors([r[0] for r in sentences], dim),
        }
    store.close()
    return out
