"""The one QAService of the process, handed to routes as a dependency (tests override it), and the
rate limit of ``POST /ask``."""

from __future__ import annotations

from fastapi import Request

from api.errors import ApiError
from qa.service import QAService

LOADING_RETRY_AFTER = 10  # seconds, for clients arriving while the model and index load


def get_service(request: Request) -> QAService:
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ApiError(503, "service_unavailable",
                       f"The service is still loading its model and index; retry in {LOADING_RETRY_AFTER} seconds.",
                       headers={"Retry-After": str(LOADING_RETRY_AFTER)})
    return service


def rate_limit(request: Request) -> None:
    """Take a token from the caller's bucket, or answer 429 (no-op when ``VNQA_RATE_LIMIT`` is unset)."""
    limiter = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    wait = limiter.acquire(client)
    if wait > 0:
        seconds = limiter.retry_after(wait)
        raise ApiError(429, "rate_limited",
                       f"Too many questions from this address (the limit is {limiter.limit.text}); "
                       f"retry in {seconds} second{'s' if seconds != 1 else ''}.",
                       headers={"Retry-After": str(seconds)})
