"""The retriever encodes a hybrid question on another thread while it scores BM25."""

import os
import threading

import numpy as np

from qa.retrieve import retriever as retriever_module
from qa.retrieve.retriever import RetrievalOptions


class _RecordingEmbedder:
    """The real embedder, noting the thread each question was encoded on."""

    def __init__(self, real):
        self.real, self.threads = real, []

    def encode_queries(self, texts):
        self.threads.append(threading.current_thread().name)
        return self.real.encode_queries(texts)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_hybrid_search_encodes_beside_bm25_and_finds_what_a_sequential_one_finds(service, monkeypatch):
    retriever = service.retriever
    question = "Có bao nhiêu tài khoản định danh điện tử VNeID đã được kích hoạt?"
    recording = _RecordingEmbedder(retriever.embedder)
    monkeypatch.setattr(retriever, "embedder", recording)
    overlapped = retriever.search(question, 8)
    assert recording.threads and recording.threads[-1].startswith("vnqa-encode")

    # the same search with the question encoded first, on this thread
    monkeypatch.setattr(retriever, "_start_encoding", lambda q: _done(retriever.query_vector(q)))
    sequential = retriever.search(question, 8)
    assert recording.threads[-1] == threading.current_thread().name
    assert overlapped.hits == sequential.hits
    np.testing.assert_array_equal(overlapped.query_vector, sequential.query_vector)

    # bm25 alone never encodes
    before = len(recording.threads)
    assert retriever.search(question, 8, RetrievalOptions(mode="bm25")).query_vector is None
    assert len(recording.threads) == before


def _done(value):
    from concurrent.futures import Future

    f = Future()
    f.set_result(value)
    return f


def test_a_forked_child_encodes_on_a_pool_of_its_own():
    """A copied pool would count the parent's idle thread, which the child lacks, and a task
    submitted to it would never run: the child must make its own."""
    pool = retriever_module._encoding_pool()
    assert pool.submit(lambda: 1).result(timeout=10) == 1  # the parent has an idle thread now
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if its pool runs a task
        code = 1
        try:
            code = 0 if retriever_module._encoding_pool().submit(lambda: 2).result(timeout=10) == 2 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert retriever_module._encoding_pool() is pool  # the parent keeps its own


def test_work_alongside_runs_once_on_the_calling_thread_in_every_mode(service):
    for mode in ("hybrid", "bm25", "dense"):
        ran = []
        service.retriever.search("bao nhiêu tài khoản VNeID?", 5, RetrievalOptions(mode=mode),
                                 alongside=lambda: ran.append(threading.current_thread().name))
        assert ran == [threading.current_thread().name], mode


def test_the_service_reads_the_question_while_it_is_encoded(service):
    from qa.read.question import profile_question

    profile_question.cache_clear()
    service.ask("Có bao nhiêu tài khoản định danh điện tử VNeID?")
    info = profile_question.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # read ahead once, then found by the reader
