"""The one QAService of the process, handed to routes as a dependency (tests override it)."""

from __future__ import annotations

from fastapi import Request

from qa.service import QAService


def get_service(request: Request) -> QAService:
    return request.app.state.service
