"""Request and response models of the HTTP API (they also generate the OpenAPI docs)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from qa.config import MAX_QUESTION_CHARS, MAX_TOP_K
from qa.lexicon import clean_question


class AskRequest(BaseModel):
    question: str = Field(..., description="A Vietnamese question, with or without tone marks.",
                          examples=["bao nhiêu tài khoản VNeID?"])
    top_k: int = Field(5, description=f"How many passages to return (1–{MAX_TOP_K}).")

    @field_validator("question")
    @classmethod
    def _question_readable(cls, v: str) -> str:
        v = clean_question(v)  # zero-width and control characters from pasted text
        if not v.strip():
            raise ValueError("question must not be empty or only white space")
        if len(v) > MAX_QUESTION_CHARS:
            raise ValueError(f"question is {len(v)} characters long; the limit is {MAX_QUESTION_CHARS}")
        return v

    @field_validator("top_k")
    @classmethod
    def _top_k_in_range(cls, v: int) -> int:
        if not 1 <= v <= MAX_TOP_K:
            raise ValueError(f"top_k must be between 1 and {MAX_TOP_K}, got {v}")
        return v


class Citation(BaseModel):
    doc_id: str
    title: str
    published: str | None = Field(None, description="Publication date of the article (ISO), if the page shows one.")
    start: int = Field(..., description="Offset of the cited sentence in the article text (GET /documents/{doc_id}).")
    end: int


class Span(BaseModel):
    start: int
    end: int


class Figure(BaseModel):
    text: str = Field(..., description="The figure as written, with qualifier and what it counts.")
    value: float
    unit: str | None = None
    noun: str | None = None
    kind: str
    qualifier: str | None = None
    denominator: float | None = None
    currency: str | None = None
    sentence: str
    number_span: Span = Field(..., description="Where the figure is inside `sentence`.")
    as_of: str | None = Field(None, description="Publication date of the source article.")
    citation: Citation


class Answer(Figure):
    older: list[Figure] = Field(default_factory=list, description="The same measure in older articles, newest first.")


class NumberMention(BaseModel):
    text: str
    value: float
    unit: str | None = None
    qualifier: str | None = None
    start: int = Field(..., description="Offset in the article text.")
    end: int


class Passage(BaseModel):
    rank: int
    score: float
    doc_id: str
    title: str
    published: str | None = None
    start: int
    end: int
    text: str
    numbers: list[NumberMention]


class AskResponse(BaseModel):
    question: str
    answer: Answer | None
    passages: list[Passage]
    took_ms: float


class DocumentMeta(BaseModel):
    doc_id: str
    title: str
    published: str | None = None
    published_at: str | None = None
    publisher: str | None = None
    chars: int


class DocumentFull(DocumentMeta):
    text: str = Field(..., description="The original article text that citation offsets point into.")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str
    dense_index: str
    built_at: str
