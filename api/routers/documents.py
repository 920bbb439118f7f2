from __future__ import annotations

from fastapi import APIRouter, Depends

from api.dependencies import get_service
from api.errors import ApiError, responses
from api.schemas import DocumentFull, DocumentMeta, Health
from qa.service import QAService

router = APIRouter()


@router.get("/health", response_model=Health, tags=["service"], responses=responses(500, 503))
def health(service: QAService = Depends(get_service)) -> dict:
    """The loaded index: documents, chunks, model. 503 while the service is still loading."""
    return service.health()


@router.get("/documents", response_model=list[DocumentMeta], tags=["documents"], responses=responses(500, 503))
def list_documents(service: QAService = Depends(get_service)) -> list[dict]:
    """Metadata of every article in the corpus."""
    return [doc.metadata() for doc in service.index.documents.values()]


@router.get("/documents/{doc_id}", response_model=DocumentFull, tags=["documents"],
            responses=responses(404, 500, 503, s404="No document with this id (`document_not_found`)."))
def get_document(doc_id: str, service: QAService = Depends(get_service)) -> dict:
    """One article's original text, for citation links (`start`/`end` index into `text`)."""
    doc = service.document(doc_id)
    if doc is None:
        known = ", ".join(sorted(service.index.documents)[:5])
        raise ApiError(404, "document_not_found",
                       f"There is no document {doc_id!r}; GET /documents lists them all (for example {known}).",
                       field="doc_id")
    return {**doc.metadata(), "text": doc.text}
