from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from api.dependencies import get_service
from api.schemas import DocumentFull, DocumentMeta, Health
from qa.service import QAService

router = APIRouter()


@router.get("/health", response_model=Health, tags=["service"])
def health(service: QAService = Depends(get_service)) -> dict:
    return service.health()


@router.get("/documents", response_model=list[DocumentMeta], tags=["documents"])
def list_documents(service: QAService = Depends(get_service)) -> list[dict]:
    """Metadata of every article in the corpus."""
    return [doc.metadata() for doc in service.index.documents.values()]


@router.get("/documents/{doc_id}", response_model=DocumentFull, tags=["documents"])
def get_document(doc_id: str, service: QAService = Depends(get_service)) -> dict:
    """One article's original text, for citation links (`start`/`end` index into `text`)."""
    doc = service.document(doc_id)
    if doc is None:
        known = ", ".join(sorted(service.index.documents)[:10])
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r}; known ids include: {known}")
    return {**doc.metadata(), "text": doc.text}
