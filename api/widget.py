"""The chat web widget: the full chat page, the embeddable script and its static assets.

`router` is included by the main app (``app.include_router(widget.router)``) and serves

- ``GET /``            the full-page chat (``static/index.html``),
- ``GET /widget.js``   the embeddable script: ``<script src="http://host/widget.js"></script>`` on any
                       site adds a floating button that opens the chat panel; the script finds the API
                       origin from its own ``src`` (override with ``data-api="https://..."``),
- ``GET /static/...``  the stylesheet and other assets.

Everything is plain files (no build step, no CDN). CORS for cross-origin embeds is configured by the
main app (``VNQA_CORS_ORIGINS``); loading the script and stylesheet cross-origin needs no CORS.
"""

from __future__ import annotations

import html
import mimetypes
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Short revalidation window: deploys show up quickly, repeat loads are cheap (ETag/Last-Modified).
_CACHE = {"Cache-Control": "public, max-age=60, must-revalidate"}
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}

router = APIRouter(tags=["widget"])


def _file(path: Path, *, headers: dict[str, str] | None = None) -> FileResponse:
    media_type = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, headers={**_CACHE, **(headers or {})})


@router.get("/", include_in_schema=False)
def chat_page(request: Request) -> Response:
    """The full-page chat UI, with the server's suggested questions (``VNQA_SUGGESTIONS``; the
    seeds' own ones only when the seeds are served: about another corpus they would not be answered)."""
    suggestions = getattr(request.app.state, "suggestions", None)
    if suggestions is None:
        return _file(STATIC_DIR / "index.html")
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    page = page.replace('data-mode="page"', f'data-mode="page" data-suggestions="{html.escape(suggestions, quote=True)}"', 1)
    return HTMLResponse(page, headers=_CACHE)


@router.get("/widget.js", include_in_schema=False)
def widget_script() -> FileResponse:
    """The embeddable widget script (one ``<script>`` tag adds the floating chat button)."""
    # Allow the script to be fetched cross-origin too (e.g. by a bundler or a CSP-strict loader).
    return _file(STATIC_DIR / "vnqa-widget.js", headers={"Access-Control-Allow-Origin": "*"})


@router.get("/static/{asset_path:path}", include_in_schema=False)
def static_asset(asset_path: str) -> FileResponse:
    """Static assets (stylesheet, icons, screenshot) from ``api/static``; no directory traversal."""
    try:
        path = (STATIC_DIR / asset_path).resolve()
        path.relative_to(STATIC_DIR)
    except (ValueError, OSError):
        raise HTTPException(status_code=404, detail="Not Found") from None
    if not path.is_file() or any(part.startswith(".") for part in path.relative_to(STATIC_DIR).parts):
        raise HTTPException(status_code=404, detail="Not Found")
    headers = {"Access-Control-Allow-Origin": "*"} if path.suffix.lower() in {".css", ".svg", ".png"} else None
    return _file(path, headers=headers)
