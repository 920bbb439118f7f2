"""Search filters (`published_from`, `published_to`, `doc_ids`): the vectorised chunk mask
against the per-document definition (`Filters.admits`), and on a live index whose documents
are written, re-dated and deleted."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from qa.index.live import LiveIndex
from qa.ingest.documents import parse_article
from qa.retrieve.filters import Filters
from qa.service import QAService


def reference_mask(filters: Filters, index) -> np.ndarray:
    """The definition: live chunks of the documents ``admits`` accepts, one document at a time."""
    mask = np.zeros(len(index.chunks), dtype=bool)
    for doc_id, doc in index.documents.items():
        if filters.admits(doc):
            mask[index.doc_chunks.get(doc_id, [])] = True
    return mask


FILTERS = [
    dict(published_from="2024-01-01"),
    dict(published_to="2024-04-25"),  # inclusive end: 000 is published that day
    dict(published_from="2024-04-26", published_to="2024-07-11"),
    dict(published_from="2024-07-12", published_to="2024-01-01"),  # inverted: admits nothing
    dict(published_from="1900-01-01"),  # every document with a known date, none without
    dict(doc_ids=["004_76b21a1102ab2eaa", "không-có"]),
    dict(doc_ids=["004_76b21a1102ab2eaa", "000_9731a1f374b0ab51"], published_from="2024-02-01"),
    dict(doc_ids=[]),
]


@pytest.mark.parametrize("kwargs", FILTERS, ids=[str(sorted(f.items())) for f in FILTERS])
def test_chunk_mask_matches_the_per_document_definition(service, kwargs):
    view = service.index
    f = Filters.of(**kwargs)
    got = f.allowed(view)
    assert got.dtype == bool and got.shape == (len(view.chunks),)
    assert np.array_equal(got, reference_mask(f, view))


def test_seed_dates_are_what_the_filters_see(service):
    """The fixture's dates make the table above meaningful: some known, one missing."""
    dates = {d: doc.published for d, doc in service.index.documents.items()}
    assert dates["000_9731a1f374b0ab51"] == "2024-04-25" and dates["004_76b21a1102ab2eaa"] == "2024-01-10"
    assert any(not v for v in dates.values())  # 002 shows no date
    assert Filters.of(published_from="1900-01-01").allowed(service.index).sum() < service.index.alive.sum()


ARTICLE = ("Huyện Lọc Thử có thêm 2.468 hộ dùng internet cáp quang\n"
           "Đến hết tháng 10/2026, huyện Lọc Thử có 2.468 hộ gia đình dùng internet cáp quang.")
QUESTION = "huyện Lọc Thử có bao nhiêu hộ gia đình dùng internet cáp quang?"


def test_filters_follow_writes_and_deletes(seed_docs, service_embedder, tmp_path):
    live = LiveIndex(tmp_path, service_embedder, log=lambda *a: None)
    live.sync(seed_docs, "corpus")
    svc = QAService(live, service_embedder, "rules")
    late = Filters.of(published_from="2026-11-01")
    assert not late.allowed(svc.index).any()

    doc = replace(parse_article("loc1", ARTICLE), published="2026-11-30")
    svc.add_documents([doc])
    view = svc.index
    assert np.array_equal(late.allowed(view), reference_mask(late, view)) and late.allowed(view).any()
    body = svc.ask(QUESTION, filters=late)
    assert {p["doc_id"] for p in body["passages"]} == {"loc1"}

    svc.add_documents([replace(doc, published="2026-10-01")])  # re-dated: out of the range now
    assert not late.allowed(svc.index).any()
    assert svc.ask(QUESTION, filters=late)["passages"] == []

    svc.add_documents([doc])
    svc.delete_documents(["loc1"])
    view = svc.index
    assert not late.allowed(view).any() and np.array_equal(late.allowed(view), reference_mask(late, view))
    ids = Filters.of(doc_ids=["loc1"])
    assert not ids.allowed(view).any()
