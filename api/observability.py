"""Request ids, JSON access logs and Prometheus metrics, as two small ASGI middlewares.

Order, outermost first: ``RequestContextMiddleware`` (request id, access log, metrics) → CORS (when
configured) → ``UnhandledErrorMiddleware`` (an unexpected exception becomes a 500 in the one error
shape, with CORS headers and the request id) → FastAPI's own exception handlers → the routes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone
from typing import Any, Callable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import INTERNAL_ERROR_MESSAGE, REQUEST_ID_HEADER, error_response

ACCESS_LOGGER = "vnqa.access"
ERROR_LOGGER = "vnqa.error"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=@/~-]{1,128}")  # fullmatch: a sane token, no spaces or quotes
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
UNMATCHED_ROUTE = "<unmatched>"  # the route label of requests no route matched (bounded cardinality)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


# -- logging ------------------------------------------------------------------------------------------
class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _ensure_json_logging() -> None:
    """Give the access and error loggers a stderr handler printing one JSON object per line, unless
    the deployment configured them (any handler already there is left alone)."""
    for name in (ACCESS_LOGGER, ERROR_LOGGER):
        logger = logging.getLogger(name)
        if logger.handlers:
            continue
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))  # the message is the JSON object
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _log_json(logger: logging.Logger, level: int, fields: dict[str, Any]) -> None:
    if logger.isEnabledFor(level):
        logger.log(level, json.dumps({"time": _now(), **fields}, ensure_ascii=False, default=str))


def request_id_of(scope: Scope) -> str | None:
    return (scope.get("state") or {}).get("request_id")


# -- metrics ------------------------------------------------------------------------------------------
class _IndexCollector:
    """Index size gauges, read from ``service.health()`` at scrape time (absent until it is loaded)."""

    def __init__(self, get_service: Callable[[], Any]):
        self._get_service = get_service

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (GaugeMetricFamily("vnqa_service_ready", "1 when the model and index are loaded, else 0."),
                GaugeMetricFamily("vnqa_index_documents", "Documents in the loaded index."),
                GaugeMetricFamily("vnqa_index_chunks", "Chunks (passages) in the loaded index."))

    def describe(self):
        return list(self._families())  # names only: registering must not call the service

    def collect(self):
        ready, docs, chunks = self._families()
        service = self._get_service()
        ready.add_metric([], 1.0 if service is not None else 0.0)
        yield ready
        if service is None:
            return
        try:
            health = service.health()
        except Exception as exc:  # a scrape must not fail because the service does
            _log_json(logging.getLogger(ERROR_LOGGER), logging.ERROR, {
                "error": f"service.health() failed during a metrics scrape: {type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc()})
            return
        docs.add_metric([], float(health["documents"]))
        yield docs
        chunks.add_metric([], float(health["chunks"]))
        yield chunks


class Metrics:
    """The Prometheus metrics of one app, in a registry of its own (several apps never collide)."""

    def __init__(self, get_service: Callable[[], Any]):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("vnqa_http_requests", "HTTP requests by method, route template and status code.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("vnqa_http_request_duration_seconds",
                                 "Time to answer HTTP requests, by method, route template and status code.",
                                 ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.answers = Counter("vnqa_answers", "POST /ask answers: a figure given (answered) or none (abstained).",
                               ["outcome"], registry=self.registry)
        for outcome in ("answered", "abstained"):
            self.answers.labels(outcome=outcome)  # both series exist from the start, at 0
        self.documents = Counter("vnqa_documents_written", "Document writes by outcome (created, updated, "
                                 "unchanged, deleted).", ["status"], registry=self.registry)
        self.index_collector = _IndexCollector(get_service)
        self.registry.register(self.index_collector)

    def exposition_registry(self) -> CollectorRegistry:
        """What ``GET /metrics`` exposes. With several server processes (``vnqa serve --workers N``
        sets ``PROMETHEUS_MULTIPROC_DIR``) every process writes its counters to files there and a
        scrape, answered by whichever process, sums them all; the index gauges are this process's."""
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            return self.registry
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(self.index_collector)
        return registry

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = {"method": method, "route": route, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def documents_written(self, status: str, n: int = 1) -> None:
        self.documents.labels(status=status).inc(n)

    def answer(self, body: dict) -> None:
        self.answers.labels(outcome="abstained" if body.get("answer") is None else "answered").inc()


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None) or getattr(route, "path_format", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


# -- middlewares --------------------------------------------------------------------------------------
class RequestContextMiddleware:
    """Request id in and out, one JSON access-log line and the request metrics for every request."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
        request_id = incoming if incoming and _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        t0 = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                if REQUEST_ID_HEADER in headers:
                    del headers[REQUEST_ID_HEADER]
                headers.append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - t0
            route = route_template(scope)
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"  # bounded label values
            self.metrics.observe(method, route, status, seconds)
            _log_json(self.log, logging.INFO, {
                "request_id": request_id, "method": scope["method"], "path": scope["path"], "route": route,
                "status": status, "duration_ms": round(seconds * 1000, 2),
            })


class UnhandledErrorMiddleware:
    """An exception no handler took: logged with its traceback, answered as a generic 500."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.log = logging.getLogger(ERROR_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            _log_json(self.log, logging.ERROR, {
                "request_id": request_id_of(scope), "method": scope["method"], "path": scope["path"],
                "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(),
            })
            if started:  # too late for an error response: let the server drop the connection
                raise
            await error_response(500, "internal_error", INTERNAL_ERROR_MESSAGE)(scope, receive, send)


def setup_logging() -> None:
    _ensure_json_logging()
