"""Documents: read them (open unless ``VNQA_PROTECT_READS``), and add, replace or remove them
(``Authorization: Bearer <VNQA_API_KEY>``). A write returns once the document is durable in the
store and answerable by ``POST /ask``; no rebuild is involved (``qa.index.live``)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as FastApiPath
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from api.auth import require_read_key, require_write_key
from api.dependencies import get_service
from api.errors import ApiError, as_sentence, describe_error, responses
from api.schemas import (DATE_PATTERN, DOC_ID_PATTERN, BatchIn, BatchOut, DocumentFull, DocumentIn, DocumentList,
                         DocumentPut, DocumentWritten, Health)
from qa.ingest.documents import Document, document_from_text
from qa.ingest.formats import UnreadableDocument, read_upload
from qa.ingest.store import StoredDocument
from qa.service import QAService

router = APIRouter()
WRITE = [Depends(require_write_key)]
READ = [Depends(require_read_key)]


@router.get("/health", response_model=Health, tags=["service"], responses=responses(500, 503))
def health(service: QAService = Depends(get_service)) -> dict:
    """The loaded index: documents, chunks, model. 503 while the service is still loading."""
    return service.health()


# -- reading ---------------------------------------------------------------------------------
def _meta(stored: StoredDocument) -> dict:
    return {**stored.document.metadata(), "source_url": stored.source_url, "updated_at": stored.updated_at}


CURSOR_PATTERN = r"^\d{1,18}:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"


def _cursor(stored: StoredDocument) -> str:
    """``<write sequence>:<doc id>`` of the last document of a page: the next page starts after it."""
    return f"{stored.seq}:{stored.document.doc_id}"


def _parse_cursor(cursor: str) -> tuple[int, str]:
    seq, _, doc_id = cursor.partition(":")
    return int(seq), doc_id


SINCE_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$"  # RFC 3339


def _parse_since(since: str) -> str:
    """An RFC 3339 date-time → the store's form (UTC, microseconds) for comparison."""
    try:
        when = datetime.fromisoformat(since.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, "validation_error", f"since must be a date-time such as 2026-11-30T08:00:00Z, "
                       f"got {since!r}.", field="since") from None
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


@router.get("/documents", response_model=DocumentList, tags=["documents"], dependencies=READ,
            responses=responses(401, 422, 500, 503))
def list_documents(service: QAService = Depends(get_service),
                   limit: int = Query(100, ge=1, le=1000, description="Documents per page (1–1000)."),
                   cursor: str | None = Query(None, pattern=CURSOR_PATTERN,
                                              description="`next_cursor` of the previous page."),
                   since: str | None = Query(None, pattern=SINCE_PATTERN, json_schema_extra={"format": "date-time"},
                                             examples=["2026-11-30T08:00:00Z"], description=(
                       "Only documents written at or after this ISO date-time (UTC if no zone); the "
                       "response then also lists the ids deleted since."))) -> dict:
    """Metadata of the stored documents, oldest write first, a page at a time."""
    store = service.store
    since_iso = _parse_since(since) if since is not None else None
    page = store.page(limit + 1, _parse_cursor(cursor) if cursor else None, since_iso)
    more = len(page) > limit
    page = page[:limit]
    return {"documents": [_meta(s) for s in page], "next_cursor": _cursor(page[-1]) if more else None,
            "total": store.count(), "deleted": store.deletions_since(since_iso) if since_iso else None}


@router.get("/documents/{doc_id}", response_model=DocumentFull, tags=["documents"], dependencies=READ,
            responses=responses(401, 404, 500, 503, s404="No document with this id (`document_not_found`)."))
def get_document(doc_id: str, service: QAService = Depends(get_service)) -> dict:
    """One article's original text, for citation links (`start`/`end` index into `text`)."""
    stored = service.store.get(doc_id)
    if stored is None:
        raise _not_found(service, doc_id)
    return {**_meta(stored), "text": stored.document.text}


def _not_found(service: QAService, doc_id: str) -> ApiError:
    known = ", ".join(s.document.doc_id for s in service.store.page(5))
    return ApiError(404, "document_not_found",
                    f"There is no document {doc_id!r}; GET /documents lists them all (for example {known}).",
                    field="doc_id")


# -- writing ---------------------------------------------------------------------------------
def _document(request: Request, doc_id: str, text: str, title: str | None, published: str | None,
              field_prefix: str = "") -> Document:
    """The document to store, or the 4xx that says what is wrong with it."""
    limit = request.app.state.api_settings.max_document_bytes
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ApiError(413, "payload_too_large", f"The text is {size:,} bytes; this server takes documents of at "
                       f"most {limit:,} bytes (VNQA_MAX_DOCUMENT_BYTES). Split the article or raise the limit.",
                       field=f"{field_prefix}text")
    if published is not None:
        try:
            datetime.strptime(published, "%Y-%m-%d")
        except ValueError:
            raise ApiError(422, "invalid_document", f"published must be a real date YYYY-MM-DD, got {published!r}.",
                           field=f"{field_prefix}published") from None
    try:
        return document_from_text(doc_id, text, title, published)
    except ValueError as e:
        raise ApiError(422, "invalid_document", f"{e}; send the article's text.", field=f"{field_prefix}text") from None


def _new_id(text: str) -> str:
    return "doc-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


NO_CONTENT = ("No article text was found besides page furniture (datelines, credits, link lists): the "
              "document is stored but cannot answer questions.")


def _written(service: QAService, doc: Document, status: str) -> dict:
    return {"doc_id": doc.doc_id, "status": status, "title": doc.title, "published": doc.published,
            "chars": len(doc.text), "generation": service.index.generation,
            "warnings": [] if doc.content_spans else [NO_CONTENT]}


async def _create(request: Request, response: Response, service: QAService, doc: Document,
                  source_url: str | None, explicit_id: bool) -> dict:
    """POST: like PUT, except that another text under an id the caller chose is a conflict."""
    existing = service.store.get(doc.doc_id) if explicit_id else None
    if existing is not None and existing.document != doc:
        raise ApiError(409, "document_exists", f"A document {doc.doc_id!r} is already stored; replace it with "
                       f"PUT /documents/{doc.doc_id} or choose another id.", field="id")
    return await _store(request, response, service, doc, source_url)


async def _store(request: Request, response: Response, service: QAService, doc: Document,
                 source_url: str | None) -> dict:
    """Write one document: 201 when it is new, 200 when it replaced one or was already stored."""
    [result] = await run_in_threadpool(service.add_documents, [doc], {doc.doc_id: source_url})
    response.status_code = 201 if result.status == "created" else 200
    _count(request, result.status)
    return _written(service, doc, result.status)


def _count(request: Request, status: str, n: int = 1) -> None:
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.documents_written(status, n)


@router.post("/documents", response_model=DocumentWritten, status_code=201, tags=["documents"], dependencies=WRITE,
             responses=responses(401, 403, 409, 413, 422, 500, 503, created="Stored and answerable.",
                                 ok_description="The same document (id and text) was already stored."))
async def add_document(body: DocumentIn, request: Request, response: Response,
                       service: QAService = Depends(get_service)) -> dict:
    """Add one article (JSON). It is answerable as soon as this returns; 201 with its id."""
    doc = _document(request, body.id or _new_id(body.text), body.text, body.title, body.published)
    return await _create(request, response, service, doc, body.source_url, explicit_id=body.id is not None)


@router.post("/documents/upload", response_model=DocumentWritten, status_code=201, tags=["documents"],
             dependencies=WRITE, responses=responses(401, 403, 409, 413, 415, 422, 500, 503, created="Stored and answerable.",
                                                     ok_description="The same document was already stored."))
async def upload_document(request: Request, response: Response, file: UploadFile = File(
                              ..., description="A UTF-8 `.txt`, `.md` or `.html` file."),
                          # plain strings, not nullable: a multipart form has no null (omit the field)
                          id: str = Form(None, pattern=DOC_ID_PATTERN),
                          title: str = Form(None, max_length=500),
                          published: str = Form(None, pattern=DATE_PATTERN, json_schema_extra={"format": "date"}),
                          source_url: str = Form(None, max_length=2000),
                          service: QAService = Depends(get_service)) -> dict:
    """Add one article from a file; HTML is reduced to its text (scripts, navigation dropped)."""
    limit = request.app.state.api_settings.max_document_bytes
    data = await file.read(limit * 4 + 1)
    if len(data) > limit * 4:
        raise ApiError(413, "payload_too_large", f"The file is larger than this server takes ({limit * 4:,} bytes "
                       "including markup).", field="file")
    try:
        text, found_title = read_upload(data, file.filename or "upload")
    except UnreadableDocument as e:
        raise ApiError(415, "unsupported_media_type", f"{e}.", field="file") from None
    doc = _document(request, id or _new_id(text), text, title or found_title, published)
    return await _create(request, response, service, doc, source_url, explicit_id=id is not None)


@router.put("/documents/{doc_id}", response_model=DocumentWritten, tags=["documents"], dependencies=WRITE,
            responses=responses(401, 403, 413, 422, 500, 503, ok_description="Replaced (or unchanged).",
                                created="Created: there was no document with this id."))
async def put_document(body: DocumentPut, request: Request, response: Response,
                       doc_id: str = FastApiPath(..., pattern=DOC_ID_PATTERN),
                       service: QAService = Depends(get_service)) -> dict:
    """Add or replace the article with this id; its old passages stop answering at once."""
    return await _store(request, response, service, _document(request, doc_id, body.text, body.title, body.published),
                        body.source_url)


def _given_id(raw) -> str | None:
    doc_id = raw.get("id") if isinstance(raw, dict) else None
    return doc_id if isinstance(doc_id, str) else None


@router.delete("/documents/{doc_id}", response_model=DocumentWritten, tags=["documents"], dependencies=WRITE,
               responses=responses(401, 403, 404, 500, 503, s404="No document with this id (`document_not_found`)."))
async def delete_document(doc_id: str, request: Request, service: QAService = Depends(get_service)) -> dict:
    """Remove an article; none of its passages answers after this returns."""
    deleted = await run_in_threadpool(service.delete_documents, [doc_id])
    if not deleted:
        raise _not_found(service, doc_id)
    _count(request, "deleted")
    return {"doc_id": doc_id, "status": "deleted", "generation": service.index.generation}


@router.post("/documents/batch", response_model=BatchOut, tags=["documents"], dependencies=WRITE,
             responses=responses(401, 403, 413, 422, 500, 503,
                                 ok_description="Per-document results; a bad document does not stop the others."))
async def add_documents(body: BatchIn, request: Request, service: QAService = Depends(get_service)) -> dict:
    """Add or replace many articles in one call (`id` given: replaced if stored). Each is checked
    on its own; those that pass are written in one transaction and embedded in one batch."""
    settings = request.app.state.api_settings
    if len(body.documents) > settings.max_batch:
        raise ApiError(413, "payload_too_large", f"{len(body.documents)} documents in one batch; this server takes "
                       f"at most {settings.max_batch} (VNQA_MAX_BATCH). Send them in several calls.",
                       field="documents")
    results: list[dict] = []
    good: list[tuple[int, Document, str | None]] = []
    seen: set[str] = set()
    for i, raw in enumerate(body.documents):
        prefix = f"documents.{i}."
        try:
            item = DocumentIn.model_validate(raw)
            doc = _document(request, item.id or _new_id(item.text), item.text, item.title, item.published, prefix)
            if doc.doc_id in seen:
                raise ApiError(422, "invalid_document", f"{doc.doc_id!r} appears twice in this batch.", field=prefix + "id")
            seen.add(doc.doc_id)
            good.append((i, doc, item.source_url))
        except ValidationError as e:
            err = e.errors()[0]
            loc = ("documents", i, *err["loc"])
            results.append({"index": i, "doc_id": _given_id(raw), "status": "error",
                            "error": {"code": "validation_error", "field": ".".join(str(p) for p in loc),
                                      "message": as_sentence(describe_error({**err, "loc": loc}))}})
        except ApiError as e:
            results.append({"index": i, "doc_id": _given_id(raw), "status": "error",
                            "error": {"code": e.code, "message": e.message, "field": e.field}})
    if good:
        written = await run_in_threadpool(service.add_documents, [d for _, d, _ in good],
                                          {d.doc_id: url for _, d, url in good})
        for (i, doc, _), result in zip(good, written):
            results.append({"index": i, "doc_id": doc.doc_id, "status": result.status})
            _count(request, result.status)
    results.sort(key=lambda r: r["index"])
    failed = sum(r["status"] == "error" for r in results)
    return {"results": results, "written": len(results) - failed, "failed": failed,
            "generation": service.index.generation}
