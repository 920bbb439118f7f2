"""The one QAService of the process, handed to routes as a dependency (tests override it), and the
rate limits of ``POST /ask`` (per API key, per client address)."""

from __future__ import annotations

import hashlib

from fastapi import Request

from api.auth import bearer_key, is_server_key
from api.errors import ApiError
from qa.service import QAService

LOADING_RETRY_AFTER = 10  # seconds, for clients arriving while the model and index load


async def get_service(request: Request) -> QAService:
    # async, like ``rate_limit`` below and the key checks of ``api.auth``: a plain ``def`` dependency
    # costs a hop to the thread pool and back on every request, for a few attribute reads
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ApiError(503, "service_unavailable",
                       f"The service is still loading its model and index; retry in {LOADING_RETRY_AFTER} seconds.",
                       headers={"Retry-After": str(LOADING_RETRY_AFTER)})
    return service


def api_key_id(key: str) -> str:
    """A short id of an API key for its bucket (a sha256 prefix): the key itself is never kept or logged."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _take(limiter, bucket: str, who: str, per: str) -> None:
    wait = limiter.acquire(bucket)
    if wait > 0:
        seconds = limiter.retry_after(wait)
        raise ApiError(429, "rate_limited",
                       f"Too many questions {who} (the limit is {limiter.limit.text} {per}); "
                       f"retry in {seconds} second{'s' if seconds != 1 else ''}.",
                       headers={"Retry-After": str(seconds)})


async def rate_limit(request: Request) -> None:
    """Take a token from the caller's buckets, or answer 429 saying which limit it hit.

    With ``VNQA_RATE_LIMIT_PER_KEY`` set, a caller sending ``Authorization: Bearer <key>`` counts against
    that key's bucket. With ``VNQA_RATE_LIMIT`` set, every caller counts against its address's bucket,
    except one whose key is the server's own ``VNQA_API_KEY`` (its key's bucket is its limit): a key the
    server cannot verify gets no way around the per-address limit, however many a client makes up.
    Neither set: no-op.
    """
    state = request.app.state
    key_limiter = getattr(state, "key_rate_limiter", None)
    address_limiter = getattr(state, "rate_limiter", None)
    key = bearer_key(request) if key_limiter is not None else None
    if address_limiter is not None and not is_server_key(request, key):
        address = request.client.host if request.client else "unknown"
        _take(address_limiter, address, "from this address", "per client address")
    if key is not None:
        _take(key_limiter, f"key:{api_key_id(key)}", "with this API key", "per API key")
