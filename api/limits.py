"""Refuse an oversized request body from its ``Content-Length`` before reading it (413), so a
client cannot make the server buffer hundreds of megabytes just to be told no."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT"):
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                response = error_response(
                    413, "payload_too_large",
                    f"The request body is {int(length):,} bytes; this server takes at most {self.max_bytes:,} "
                    "(VNQA_MAX_REQUEST_BYTES). Send fewer or smaller documents per call.")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
