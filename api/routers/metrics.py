from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import exposition

from api.errors import responses

router = APIRouter(tags=["service"])

CONTENT_TYPE = getattr(exposition, "CONTENT_TYPE_PLAIN_0_0_4", exposition.CONTENT_TYPE_LATEST)


@router.get("/metrics", response_class=Response, summary="Prometheus metrics",
            responses={**responses(500), 200: {**responses()[200], "description": "Prometheus text format.",
                                               "content": {"text/plain": {"schema": {"type": "string"}}}}})
def metrics(request: Request) -> Response:
    """Request counts and latency per route template and status, answers given vs abstained on
    `/ask`, and the size of the loaded index, in the Prometheus text exposition format."""
    registry = request.app.state.metrics.exposition_registry()
    return Response(exposition.generate_latest(registry), media_type=CONTENT_TYPE)
