"""The API key: writes need ``Authorization: Bearer <VNQA_API_KEY>``; reads only when the operator
says so (``VNQA_PROTECT_READS``). Without a configured key the server takes no writes at all,
so a public install is never writable by accident."""

from __future__ import annotations

import hmac

from fastapi import Request

from api.errors import ApiError


def bearer_key(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() or None if scheme.lower() == "bearer" else None


def _check(request: Request, action: str) -> None:
    expected = request.app.state.api_settings.api_key
    given = bearer_key(request)
    if given is None:
        raise ApiError(401, "unauthorized", f"{action} needs an API key: send the header "
                       "'Authorization: Bearer <key>' with the key the operator set in VNQA_API_KEY.",
                       headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise ApiError(401, "unauthorized", "This API key is not valid for this server; check VNQA_API_KEY.",
                       headers={"WWW-Authenticate": "Bearer"})


def require_write_key(request: Request) -> None:
    if request.app.state.api_settings.api_key is None:
        raise ApiError(403, "writes_disabled", "This server takes no writes: the operator must set VNQA_API_KEY "
                       "to enable POST/PUT/DELETE /documents.")
    _check(request, "Writing documents")


def require_read_key(request: Request) -> None:
    settings = request.app.state.api_settings
    if settings.protect_reads and settings.api_key is not None:
        _check(request, "Reading")
