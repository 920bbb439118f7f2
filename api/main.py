"""The FastAPI application: ``uvicorn api.main:app`` or ``vnqa serve``.

The model and index are loaded once, at start-up (building the index first when it is missing
or stale), and shared by every request through ``app.state.service``.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api import widget
from api.routers import ask, documents
from qa.config import Settings
from qa.service import InvalidQuestion, QAService


def _readable(errors: list[dict]) -> str:
    parts = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", []) if p != "body")
        msg = e.get("msg", "invalid value").removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """Build the app. Pass ``service`` to reuse a loaded one (tests), else it loads at start-up."""
    settings = settings or Settings.from_env()

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
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Keep FastAPI's structured list for clients, plus one sentence a person can act on.
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": errors, "message": _readable(errors)})

    @app.exception_handler(InvalidQuestion)
    async def _invalid_question(request: Request, exc: InvalidQuestion) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc), "message": str(exc)})

    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(widget.router)
    return app


app = create_app()
