"""The FastAPI application: ``uvicorn api.main:app`` or ``vnqa serve``.

The model and index are loaded once, at start-up (building the index first when it is missing
or stale), and shared by every request through ``app.state.service``.

Every error is answered in one shape (``api.errors``); every response carries ``X-Request-ID``;
every request is one JSON line on the ``vnqa.access`` logger and is counted in ``GET /metrics``;
``POST /ask`` is rate limited per client address when ``VNQA_RATE_LIMIT`` is set, and per bearer key
when ``VNQA_RATE_LIMIT_PER_KEY`` is set (``api.dependencies.rate_limit``, ``api.settings``).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors, widget
from api.errors import REQUEST_ID_HEADER
from api.observability import Metrics, RequestContextMiddleware, UnhandledErrorMiddleware, setup_logging
from api.ratelimit import TokenBucketLimiter
from api.limits import BodySizeLimit
from api.overload import AdmissionGate
from api.routers import ask, documents, metrics
from api.settings import ApiSettings
from qa.config import PROJECT_ROOT, Settings
from qa.service import QAService


def create_app(settings: Settings | None = None, service: QAService | None = None,
               api_settings: ApiSettings | None = None) -> FastAPI:
    """Build the app. Pass ``service`` to reuse a loaded one (tests), else it loads at start-up.

    ``api_settings`` (rate limit…) defaults to ``ApiSettings.from_env()``, read now.
    """
    settings = settings or Settings.from_env()
    api_settings = api_settings or ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "service", None) is None:
            app.state.service = QAService.open(settings)
            app.state.service.warm_up()
        yield

    app = FastAPI(
        title="vnqa",
        summary="Vietnamese question answering with figures and exact citations",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.api_settings = api_settings
    # the chat page's suggested questions are about the seeds: shown only when the seeds are served
    seeds = settings.corpus_dir is not None and Path(settings.corpus_dir).resolve() == (PROJECT_ROOT / "seeds").resolve()
    app.state.suggestions = api_settings.suggestions if api_settings.suggestions is not None else \
        (None if seeds else "")
    app.state.rate_limiter = TokenBucketLimiter(api_settings.rate_limit) if api_settings.rate_limit else None
    app.state.key_rate_limiter = (TokenBucketLimiter(api_settings.rate_limit_per_key)
                                  if api_settings.rate_limit_per_key else None)
    app.state.gate = AdmissionGate(api_settings.max_in_flight, api_settings.queue_wait)
    app.state.metrics = Metrics(lambda: getattr(app.state, "service", None))
    setup_logging()

    # Added innermost first: request context (outermost) → CORS → unexpected errors → the app.
    app.add_middleware(UnhandledErrorMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "Authorization", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        )
    app.add_middleware(BodySizeLimit, max_bytes=api_settings.max_request_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    errors.install(app)
    errors.install_openapi(app)

    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(metrics.router)
    app.include_router(widget.router)
    return app


app = create_app()
