"""The API key: writes need ``Authorization: Bearer <VNQA_API_KEY>``; reads only when the operator
says so (``VNQA_PROTECT_READS``). Without a configured key the server takes no writes at all,
so a public install is never writable by accident."""

from __future__ import annotations

import hmac

from fastapi import Request

from api.errors import ApiError


def bearer_key(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, or None."""
    scheme, _, key = request.headers.get("authorization", "").strip().partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


def is_server_key(request: Request, key: str | None) -> bool:
    """``key`` is the server's own ``VNQA_API_KEY`` (compared in constant time)."""
    expected = request.app.state.api_settings.api_key
    return key is not None and expected is not None and hmac.compare_digest(key.encode("utf-8"),
                                                                              expected.encode("utf-8"))


def _check(request: Request, action: str) -> None:
    given = bearer_key(request)
    if given is None:
        raise ApiError(401, "unauthorized", f"{action} needs an API key: send the header "
                       "'Authorization: Bearer <key>' with the key the operator set in VNQA_API_KEY.",
                       headers={"WWW-Authenticate": "Bearer"})
    if not is_server_key(request, given):
        raise ApiError(401, "unauthorized", "This API key is not valid for this server; check VNQA_API_KEY.",
                       headers={"WWW-Authenticate": "Bearer"})


async def require_write_key(request: Request) -> None:
    if request.app.state.api_settings.api_key is None:
        raise ApiError(403, "writes_disabled", "This server takes no writes: the operator must set VNQA_API_KEY "
                       "to enable POST/PUT/DELETE /documents.")
    _check(request, "Writing documents")


async def require_read_key(request: Request) -> None:
    settings = request.app.state.api_settings
    if settings.protect_reads and settings.api_key is not None:
        _check(request, "Reading")
