from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.auth import require_read_key
from api.dependencies import get_service, rate_limit
from api.errors import ApiError, responses
from api.schemas import AskRequest, AskResponse
from qa.retrieve.filters import Filters, InvalidFilter
from qa.service import QAService

router = APIRouter(tags=["answers"])


@router.post("/ask", response_model=AskResponse, summary="Answer a question with a figure and its citation",
             dependencies=[Depends(require_read_key), Depends(rate_limit)],
             responses=responses(401, 422, 429, 500, 503))
async def ask(body: AskRequest, request: Request, service: QAService = Depends(get_service)) -> dict:
    """Retrieve passages for the question and, for quantity questions, the figure that answers it.

    `answer` is null when nothing in the corpus answers the question; `passages` are still the
    closest ones. Offsets (`start`/`end`) point into `GET /documents/{doc_id}`'s `text`.
    """
    # Model inference is CPU-bound: run it off the event loop so /health stays responsive, and
    # only a few at once (api/overload.py): past a short wait the client is told to come back.
    try:
        filters = Filters.of(body.published_from, body.published_to, body.doc_ids)
    except InvalidFilter as e:  # a date the pattern lets through but the calendar does not (2024-02-30)
        field = "published_from" if "published_from" in str(e) else "published_to"
        raise ApiError(422, "validation_error", f"{e}.", field=field) from None
    async with request.app.state.gate.admit():
        result = await run_in_threadpool(service.ask, body.question, body.top_k, filters=filters,
                                         min_confidence=body.min_confidence)
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.answer(result)
    return result
