"""Back-pressure for ``POST /ask``: a bounded number of answers in flight, a bounded wait.

Answering is CPU-bound, so beyond a few concurrent answers more threads only make every answer
slower. A request waits at most ``queue_wait`` seconds for one of ``max_in_flight`` slots; after
that it gets ``503`` with ``Retry-After`` instead of queueing without limit (before this, 200
concurrent clients waited 2.5 s each and nobody was told to back off).
"""

from __future__ import annotations

import asyncio
import math
from contextlib import asynccontextmanager

from api.errors import ApiError


class AdmissionGate:
    def __init__(self, max_in_flight: int, queue_wait: float):
        if max_in_flight < 1:
            raise ValueError(f"VNQA_MAX_IN_FLIGHT must be at least 1, got {max_in_flight}")
        if queue_wait < 0:
            raise ValueError(f"VNQA_QUEUE_WAIT must be 0 or more seconds, got {queue_wait}")
        self.max_in_flight, self.queue_wait = max_in_flight, queue_wait
        self._slots: asyncio.Semaphore | None = None
        self.rejected = 0

    @asynccontextmanager
    async def admit(self):
        """Hold a slot for the body of the ``async with``; ApiError(503) when none frees in time."""
        if self._slots is None:  # created on the serving loop
            self._slots = asyncio.Semaphore(self.max_in_flight)
        try:
            if self._slots.locked():  # wait_for wraps the wait in a task: only pay for it when waiting
                await asyncio.wait_for(self._slots.acquire(), timeout=self.queue_wait or 1e-9)
            else:
                await self._slots.acquire()  # a free slot (and no one waiting for one) is taken at once
        except asyncio.TimeoutError:
            self.rejected += 1
            retry = max(1, math.ceil(self.queue_wait))
            raise ApiError(503, "service_unavailable",
                           f"The service is answering {self.max_in_flight} questions already and none finished "
                           f"within {self.queue_wait:g} s; retry in {retry} s.",
                           headers={"Retry-After": str(retry)}) from None
        try:
            yield
        finally:
            self._slots.release()
