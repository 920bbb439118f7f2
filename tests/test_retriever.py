"""The retriever scores BM25 and reads the question on a pool thread while it encodes the question."""

import os
import threading
from concurrent.futures import Future

import numpy as np

from qa.retrieve import retriever as retriever_module
from qa.retrieve.retriever import RetrievalOptions, Retriever


def _at_once(work):
    done = Future()
    done.set_result(work())
    return done


def test_a_search_beside_the_encoder_finds_what_a_sequential_one_finds(service, monkeypatch):
    retriever = service.retriever
    for question in ("Có bao nhiêu tài khoản định danh điện tử VNeID đã được kích hoạt?", "ty le dan so co the thong minh"):
        for mode in ("hybrid", "dense"):
            options = RetrievalOptions(mode=mode)
            beside = retriever.search(question, 8, options)
            with monkeypatch.context() as m:
                m.setattr(Retriever, "_start_beside", staticmethod(_at_once))
                sequential = retriever.search(question, 8, options)
            assert beside.hits == sequential.hits and beside.hits
            np.testing.assert_array_equal(beside.query_vector, sequential.query_vector)


def test_work_alongside_runs_once_in_every_mode_and_beside_the_encoder_when_there_is_one(service):
    for mode in ("hybrid", "bm25", "dense"):
        ran = []
        service.retriever.search("bao nhiêu tài khoản VNeID?", 5, RetrievalOptions(mode=mode),
                                 alongside=lambda: ran.append(threading.current_thread().name))
        assert len(ran) == 1, mode
        assert ran[0].startswith("vnqa-beside") == (mode != "bm25"), (mode, ran)


def test_a_dense_search_with_nothing_beside_it_stays_on_the_calling_thread(service, monkeypatch):
    def no_pool(work):
        raise AssertionError("handed to the pool with nothing to do there")

    monkeypatch.setattr(Retriever, "_start_beside", staticmethod(no_pool))
    result = service.retriever.search("bao nhiêu tài khoản VNeID?", 5, RetrievalOptions(mode="dense"))
    assert result.hits and result.query_vector is not None


def test_the_service_reads_the_question_while_it_is_encoded(service):
    from qa.read.question import profile_question

    profile_question.cache_clear()
    service.ask("Có bao nhiêu tài khoản định danh điện tử VNeID?")
    info = profile_question.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # read ahead once, then found by the reader


def test_a_forked_child_works_beside_the_encoder_on_a_pool_of_its_own():
    """A copied pool would count the parent's idle thread, which the child lacks, and a task
    submitted to it would never run: the child must make its own."""
    pool = retriever_module._side_pool()
    assert pool.submit(lambda: 1).result(timeout=10) == 1  # the parent has an idle thread now
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if its pool runs a task
        code = 1
        try:
            code = 0 if retriever_module._side_pool().submit(lambda: 2).result(timeout=10) == 2 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert retriever_module._side_pool() is pool  # the parent keeps its own
