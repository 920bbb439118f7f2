"""Back-pressure on POST /ask: bounded answers in flight, 503 + Retry-After past a bounded wait."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.errors import ApiError
from api.main import create_app
from api.overload import AdmissionGate
from api.settings import ApiSettings


def test_a_full_gate_turns_the_next_request_away_then_admits_it_once_a_slot_frees():
    async def scenario():
        gate = AdmissionGate(max_in_flight=1, queue_wait=0.05)
        async with gate.admit():
            with pytest.raises(ApiError) as refused:
                async with gate.admit():
                    pass
        async with gate.admit():  # the slot is free again
            pass
        return refused.value, gate.rejected

    err, rejected = asyncio.run(scenario())
    assert err.status_code == 503 and err.code == "service_unavailable"
    assert err.headers["Retry-After"] == "1" and "retry" in err.message
    assert rejected == 1


def test_a_waiting_request_gets_the_slot_when_it_frees_in_time():
    async def scenario():
        gate = AdmissionGate(max_in_flight=1, queue_wait=2.0)
        order = []

        async def first():
            async with gate.admit():
                order.append("first in")
                await asyncio.sleep(0.05)
            order.append("first out")

        async def second():
            await asyncio.sleep(0.01)
            async with gate.admit():
                order.append("second in")

        await asyncio.gather(first(), second())
        return order

    assert asyncio.run(scenario()) == ["first in", "first out", "second in"]


def test_a_request_arriving_as_a_slot_frees_does_not_jump_ahead_of_one_already_waiting():
    # a free slot is taken without waiting, but only when nobody waits for one already
    async def scenario():
        gate = AdmissionGate(max_in_flight=1, queue_wait=2.0)
        order = []

        async def holder():
            async with gate.admit():
                await asyncio.sleep(0.05)
            # the slot was just handed on: a newcomer arriving right now must queue behind the waiter
            await newcomer()

        async def waiter():
            await asyncio.sleep(0.01)
            async with gate.admit():
                order.append("waiter")
                await asyncio.sleep(0.01)

        async def newcomer():
            async with gate.admit():
                order.append("newcomer")

        await asyncio.gather(holder(), waiter())
        return order

    assert asyncio.run(scenario()) == ["waiter", "newcomer"]


@pytest.mark.parametrize("bad", [{"max_in_flight": 0}, {"queue_wait": -1}])
def test_nonsense_settings_are_refused(bad):
    with pytest.raises(ValueError):
        AdmissionGate(**{"max_in_flight": 2, "queue_wait": 1.0, **bad})


def test_concurrent_asks_beyond_the_limit_get_503_with_retry_after(service):
    """The real app and service: one answer at a time, no waiting; six questions at once."""
    app = create_app(service=service, api_settings=ApiSettings(max_in_flight=1, queue_wait=0.0))

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await asyncio.gather(*(http.post("/ask", json={"question": "bao nhiêu tài khoản VNeID?"})
                                          for _ in range(6)))

    responses = asyncio.run(burst())
    codes = sorted(r.status_code for r in responses)
    assert 200 in codes and 503 in codes, codes
    for r in responses:
        if r.status_code == 503:
            assert r.headers["Retry-After"] == "1"
            assert r.json()["error"]["code"] == "service_unavailable"
            assert "X-Request-ID" in r.headers


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("VNQA_MAX_IN_FLIGHT", "3")
    monkeypatch.setenv("VNQA_QUEUE_WAIT", "0.5")
    s = ApiSettings.from_env()
    assert (s.max_in_flight, s.queue_wait) == (3, 0.5)
    assert ApiSettings.from_env(env={}).max_in_flight == 4
