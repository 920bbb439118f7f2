"""One error shape for every failure the API can answer with, and the OpenAPI entries that document it.

    {"error": {"code": "validation_error", "message": "top_k must be between 1 and 50, got 0.", "field": "top_k"},
     "message": "top_k must be between 1 and 50, got 0."}

``message`` at the top level duplicates ``error.message`` for clients written against the old shape.
"""

from __future__ import annotations

import difflib
import json
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import DATE_PATTERN, DOC_ID_PATTERN, ErrorResponse, request_fields
from qa.service import InvalidQuestion

REQUEST_ID_HEADER = "X-Request-ID"

_CODES_BY_STATUS = {
    401: "unauthorized",
    403: "writes_disabled",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

_FASTAPI_BODY_ERROR = "There was an error parsing the body"
INTERNAL_ERROR_MESSAGE = ("The server failed while answering this request; try again, and if it keeps failing "
                          f"report the {REQUEST_ID_HEADER} response header to the operators.")


class ApiError(Exception):
    """An error the API answers on purpose (404 unknown document, 429, 503…), in the one shape."""

    def __init__(self, status_code: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status_code, self.code, self.message, self.field = status_code, code, message, field
        self.headers = headers or {}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}, "message": message}


def error_response(status_code: int, code: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status_code, content=error_body(code, message, field), headers=headers)


def _path(request: Request) -> str:
    path = request.url.path
    return path if len(path) <= 200 else path[:200] + "…"


def as_sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


# -- validation errors ---------------------------------------------------------------------------
def _field(loc) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or None


# what other APIs call our fields: "date" for "published" gets a hint, not only a refusal
_USUAL_NAMES = {"date": "published", "published_date": "published", "publish_date": "published", "body": "text",
                "content": "text", "url": "source_url", "link": "source_url", "query": "question", "q": "question",
                "k": "top_k", "limit": "top_k", "n": "top_k"}
# a pattern's meaning in words, for its 422 (the raw pattern says little to a person)
_PATTERN_WORDS = {DATE_PATTERN: "a date written YYYY-MM-DD (2019-05-01)",
                  DOC_ID_PATTERN: "an id of letters, digits and ._:- starting with a letter or digit, up to 128 characters"}


def describe_error(error: dict) -> str:
    """One clause for one pydantic error, naming the field unless the message already does."""
    field = _field(error.get("loc", ()))
    kind = error.get("type", "")
    msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if field is None:
        if kind == "missing":
            return 'the request body is missing; send a JSON object like {"question": "bao nhiêu tài khoản VNeID?"}'
        return f'the request body must be a JSON object like {{"question": "bao nhiêu tài khoản VNeID?"}} ({msg})'
    if kind == "missing":
        return f"{field} is required"
    if kind == "extra_forbidden":
        name = field.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(name, sorted(request_fields()), n=1)
        if not close and name.lower() in _USUAL_NAMES:
            close = [_USUAL_NAMES[name.lower()]]
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{field} is not a field of this request{hint}; see /docs for the fields"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern in _PATTERN_WORDS:
            return f"{field} must be {_PATTERN_WORDS[pattern]}, got {error.get('input')!r}"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return f"{field} must be a whole number (a JSON integer)"
    if kind == "string_type":
        return f"{field} must be a string"
    if msg.startswith(field.rsplit(".", 1)[-1] + " "):
        return msg
    return f"{field}: {msg}"


def _validation(errors: list[dict]) -> tuple[str, str, str | None]:
    """(code, message, field) for a list of pydantic errors."""
    for e in errors:
        if e.get("type") == "json_invalid":
            why = (e.get("ctx") or {}).get("error")
            detail = f" ({why})" if why else ""
            return ("malformed_json",
                    f'The request body is not valid JSON{detail}; send a JSON object like '
                    f'{{"question": "bao nhiêu tài khoản VNeID?", "top_k": 5}}.', None)
    clauses = list(dict.fromkeys(describe_error(e) for e in errors))
    message = "; ".join(clauses) or "the request is invalid"
    return "validation_error", as_sentence(message), _field(errors[0].get("loc", ())) if errors else None


def _not_json(request: Request, errors: list[dict]) -> str | None:
    """The message for a JSON body declared as something else (``curl -d`` sends it as a form):
    FastAPI then reads the body as text, and "must be a JSON object" would puzzle whoever sent one."""
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json") or media.startswith("multipart/"):
        return None
    if not any(_field(e.get("loc", ())) is None and e.get("type") != "missing" for e in errors):
        return None
    declared = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    return (f"The request body must be JSON sent with Content-Type: application/json; this request has {declared} "
            '(with curl: -H "Content-Type: application/json").')


# -- HTTP errors (routing, and whatever a route raises) ---------------------------------------------
def _http_message(request: Request, exc: StarletteHTTPException) -> str:
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    generic = not detail or detail == phrase
    if status == 404 and generic:
        return f"There is nothing at {_path(request)}; see /docs for the endpoints of this API."
    if status == 405:
        allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
        methods = [m.strip() for m in (allow or "").split(",") if m.strip()]
        use = f"; use {', '.join(methods[:-1])} or {methods[-1]}" if len(methods) > 1 else \
            f"; use {methods[0]}" if methods else ""
        return f"{request.method} is not allowed on {_path(request)}{use}."
    return as_sentence(detail)


def _allow(request: Request) -> str | None:
    """The documented methods at this path, for a 405's ``Allow``: Starlette names only the first
    route's, so ``OPTIONS /documents`` said ``GET`` although ``POST /documents`` exists. Paths resolve
    as in OpenAPI: a concrete one (``/documents/batch``) before a templated one (``/documents/{doc_id}``).
    None for a path the schema does not document (Starlette's header stays)."""
    paths = request.app.openapi().get("paths", {})
    path = request.url.path
    templates = [t for t in paths if "{" not in t and t == path] or [
        t for t in paths if re.fullmatch(re.sub(r"\\{[^/]*?\\}", "[^/]+", re.escape(t)), path)]
    methods = dict.fromkeys(m.upper() for t in templates for m in paths[t] if m.upper() in _HTTP_METHODS)
    return ", ".join(methods) or None


_HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}


def install(app: FastAPI) -> None:
    """Answer every handled error in the one shape (unexpected exceptions: see ``api.observability``)."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if (wrong := _not_json(request, errors)) is not None:
            return error_response(422, "validation_error", wrong)
        code, message, field = _validation(errors)
        return error_response(422, code, message, field)

    @app.exception_handler(InvalidQuestion)
    async def _invalid_question(request: Request, exc: InvalidQuestion) -> JSONResponse:
        text = str(exc)
        field = exc.field or "question"
        return error_response(422, "invalid_question", as_sentence(text), field)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and request.headers.get("content-type", "").lower().startswith("multipart/"):
            # Starlette's answer to a form it cannot parse (no boundary, truncated parts…): undocumented 400 before.
            return error_response(422, "malformed_body",
                                  f"The multipart/form-data body cannot be read ({as_sentence(str(exc.detail))[:-1]}); "
                                  "send a well-formed form, as `curl -F file=@article.txt` does.")
        if exc.status_code == 400 and exc.detail == _FASTAPI_BODY_ERROR:
            # FastAPI's answer to a body it cannot even decode (not UTF-8, say): malformed JSON too.
            return error_response(422, "malformed_json",
                                  "The request body is not valid UTF-8 JSON; send a JSON object like "
                                  '{"question": "bao nhiêu tài khoản VNeID?", "top_k": 5}.')
        if exc.status_code == 405 and (allow := _allow(request)):
            exc.headers = {**{k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}, "Allow": allow}
        code = _CODES_BY_STATUS.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
        message = INTERNAL_ERROR_MESSAGE if exc.status_code >= 500 and code == "internal_error" \
            else _http_message(request, exc)
        return error_response(exc.status_code, code, message, None, dict(exc.headers or {}))


# -- OpenAPI ----------------------------------------------------------------------------------------
_REQUEST_ID_DOC = {
    "description": "The request id: the caller's own `X-Request-ID` (a token of at most 128 characters) "
                   "or one generated by the server; it is in the access log too.",
    "required": True,
    "schema": {"type": "string"},
}
_RETRY_AFTER_DOC = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
_ERRORS = {
    401: "Missing or wrong API key (`unauthorized`): send `Authorization: Bearer <VNQA_API_KEY>`.",
    403: "Writes are switched off on this server (`writes_disabled`): the operator sets `VNQA_API_KEY` to allow them.",
    404: "Not found.",
    409: "A document with this id exists (`document_exists`): replace it with `PUT /documents/{doc_id}`.",
    413: "The request or one document is larger than the server accepts (`payload_too_large`).",
    415: "The uploaded file is not `.txt`, `.md` or `.html`, or not UTF-8 text (`unsupported_media_type`).",
    422: "Invalid request: a field is missing, of the wrong type or out of bounds "
         "(`validation_error`), the body is not JSON (`malformed_json`) or not readable multipart/form-data "
         "(`malformed_body`), or the service refused the "
         "question (`invalid_question`).",
    429: "Too many requests (`rate_limited`): from this address when `VNQA_RATE_LIMIT` is set, or with "
         "this `Authorization: Bearer` key when `VNQA_RATE_LIMIT_PER_KEY` is set; the message says which.",
    500: "Unexpected failure (`internal_error`); the message is generic, the log has the details.",
    503: "The service is still loading its model and index (`service_unavailable`).",
}


def responses(*statuses: int, ok_description: str | None = None, created: str | None = None,
              **descriptions: str) -> dict[int | str, dict]:
    """``responses=`` for a route: its 200 (and 201 when ``created`` describes it) plus the given
    error statuses, all with ``X-Request-ID``.

    ``descriptions`` override the default text per status (``s404="No document with this id."``).
    """
    out: dict[int | str, dict] = {200: {"headers": {REQUEST_ID_HEADER: _REQUEST_ID_DOC}}}
    if ok_description:
        out[200]["description"] = ok_description
    if created:
        out[201] = {"description": created, "headers": {REQUEST_ID_HEADER: _REQUEST_ID_DOC}}
    for status in statuses:
        headers = {REQUEST_ID_HEADER: _REQUEST_ID_DOC}
        if status in (429, 503):
            headers["Retry-After"] = _RETRY_AFTER_DOC
        out[status] = {"model": ErrorResponse, "description": descriptions.get(f"s{status}", _ERRORS[status]),
                       "headers": headers}
    return out


def _cannot_fail_validation(operation: dict) -> bool:
    """No body and only plain string path parameters: nothing FastAPI could answer 422 for."""
    if "requestBody" in operation:
        return False
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        plain_string = schema.get("type") == "string" and not set(schema) - {"type", "title", "description"}
        if param.get("in") != "path" or not plain_string:
            return False
    return True


def install_openapi(app: FastAPI) -> None:
    """FastAPI documents a 422 of its own (``HTTPValidationError``) on every route with parameters
    that does not document one: replace it with the one error shape, or drop it where no request can
    fail validation (``GET /documents/{doc_id}``: any string is a well-formed id)."""
    generate = app.openapi  # FastAPI's own, which caches its result in app.openapi_schema

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            ours = {"description": _ERRORS[422], "headers": {REQUEST_ID_HEADER: _REQUEST_ID_DOC},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    default = operation.get("responses", {}).get("422")
                    if default is None or "HTTPValidationError" not in json.dumps(default):
                        continue
                    if _cannot_fail_validation(operation):
                        del operation["responses"]["422"]
                    else:
                        operation["responses"]["422"] = ours
            components = schema.get("components", {}).get("schemas", {})
            if "HTTPValidationError" not in json.dumps(schema.get("paths", {})):
                components.pop("HTTPValidationError", None)
                components.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
