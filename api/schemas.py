"""Request and response models of the HTTP API (they also generate the OpenAPI docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from qa.config import MAX_QUESTION_CHARS, MAX_TOP_K
from qa.lexicon import clean_question


# A question must contain one character that is neither white space (``str.isspace``), nor a control
# character, nor an invisible one (``clean_question`` drops those): the same rule in the OpenAPI schema
# (ECMA-262 / Python / Rust regex syntax alike) and in validation.
QUESTION_PATTERN = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"


class AskRequest(BaseModel):
    question: str = Field(..., min_length=1, max_length=MAX_QUESTION_CHARS, pattern=QUESTION_PATTERN,
                          description=f"A Vietnamese question, with or without tone marks: 1–{MAX_QUESTION_CHARS} "
                                      "characters, not only white space or invisible characters.",
                          examples=["bao nhiêu tài khoản VNeID?"])
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description=f"How many passages to return (1–{MAX_TOP_K}).")

    @field_validator("question", mode="wrap")
    @classmethod
    def _question_readable(cls, v, handler):
        # The bounds are Field constraints (so the OpenAPI schema states them); the messages are ours.
        try:
            v = handler(v)
        except ValidationError as e:
            kinds = {err["type"] for err in e.errors()}
            if "string_too_long" in kinds:
                raise ValueError(f"question is {len(v)} characters long; the limit is {MAX_QUESTION_CHARS}") from None
            if kinds & {"string_too_short", "string_pattern_mismatch"}:
                raise ValueError("question must not be empty or only white space") from None
            raise
        v = clean_question(v)  # zero-width and control characters from pasted text
        if not v.strip():
            raise ValueError("question must not be empty or only white space")
        return v

    @field_validator("top_k", mode="wrap")
    @classmethod
    def _top_k_in_range(cls, v, handler):
        # A JSON integer, 20.0 included (JSON Schema's "integer"); not true, not "20".
        if isinstance(v, (bool, str)):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        try:
            return handler(v)
        except ValidationError as e:
            if {err["type"] for err in e.errors()} & {"greater_than_equal", "less_than_equal"}:
                raise ValueError(f"top_k must be between 1 and {MAX_TOP_K}, got {v}") from None
            raise


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
    number_text: str | None = Field(None, description='The number inside `text` as written ("75,7 triệu", "80,2%").')
    value: float
    unit: str | None = None
    noun: str | None = None
    kind: str
    qualifier: str | None = None
    denominator: float | None = None
    currency: str | None = None
    date: str | None = Field(None, description='For `kind: "date"` answers (when-questions): "2019", "2019-07" or "2019-07-02"; `value` is then the year.')
    sentence: str
    number_span: Span = Field(..., description="Where the figure is inside `sentence`.")
    as_of: str | None = Field(None, description="Publication date of the source article.")
    citation: Citation


class Answer(Figure):
    confidence: float | None = Field(
        None, ge=0.0, le=1.0,
        description="The reader's probability that this figure answers the question (the learned reader; "
                    "null for the rule baseline). Answers below the calibrated threshold are not given.")
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


ErrorCode = Literal[
    "validation_error",      # 422: a field is missing, of the wrong type or out of bounds (see `field`)
    "malformed_json",        # 422: the body is not JSON
    "invalid_question",      # 422: the service refused the question
    "document_not_found",    # 404: GET /documents/{doc_id} with an unknown id
    "not_found",             # 404: no such route
    "method_not_allowed",    # 405: the route exists, not with this method (see the `Allow` header)
    "rate_limited",          # 429: too many requests from this address (see `Retry-After`)
    "service_unavailable",   # 503: the model and index are not loaded yet (see `Retry-After`)
    "internal_error",        # 500: an unexpected failure (quote the `X-Request-ID` header when reporting it)
    "bad_request",           # any other 4xx
]


class ErrorDetail(BaseModel):
    code: ErrorCode = Field(..., description="Machine-readable kind of error.")
    message: str = Field(..., description="One sentence a person can act on.")
    field: str | None = Field(..., description="The request field at fault, dotted (`question`, `top_k`), or null.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail
    message: str = Field(..., description="Same as `error.message` (kept for older clients).")
