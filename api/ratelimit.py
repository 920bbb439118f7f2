"""An in-memory token bucket per client: ``requests`` tokens, refilled continuously over ``period``.

One process only (each worker counts on its own); a shared limiter (Redis, the proxy) is the way
to limit across replicas.

Memory is bounded twice: buckets full again are swept every ``_PRUNE_EVERY`` touches, and at most
``max_buckets`` are kept (least recently used first out), since clients can mint keys at will.
An evicted client starts again from a full bucket: the bound errs on the side of letting it in.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from api.settings import RateLimit

_PRUNE_EVERY = 1024  # buckets touched between sweeps of the idle (full again) ones
MAX_BUCKETS = 100_000  # a hard bound (about 20 MB), whatever the sweep leaves


class TokenBucketLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic,
                 max_buckets: int = MAX_BUCKETS):
        self.limit = limit
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at), least recently used first
        self._lock = threading.Lock()
        self._touches = 0

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        capacity, rate = float(self.limit.requests), self.limit.per_second
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.pop(key, (capacity, now))  # re-inserted below: most recent last
            tokens = min(capacity, tokens + (now - at) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / rate
            self._touches += 1
            if self._touches >= _PRUNE_EVERY:
                self._prune(now, capacity, rate)
            while len(self._buckets) > self._max_buckets:
                del self._buckets[next(iter(self._buckets))]
        return wait

    @property
    def buckets(self) -> int:
        """How many buckets are held now."""
        return len(self._buckets)

    def retry_after(self, wait: float) -> int:
        """Whole seconds for the ``Retry-After`` header (at least 1)."""
        return max(1, math.ceil(wait))

    def _prune(self, now: float, capacity: float, rate: float) -> None:
        # A bucket that would be full again is the same as no bucket: forget it (bounded memory).
        self._touches = 0
        full = [k for k, (tokens, at) in self._buckets.items() if tokens + (now - at) * rate >= capacity]
        for k in full:
            del self._buckets[k]
