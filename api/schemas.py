"""Request and response models of the HTTP API (they also generate the OpenAPI docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from qa.config import MAX_QUESTION_CHARS, MAX_TOP_K
from qa.lexicon import QUESTION_LETTERS, clean_question
from qa.service import NO_LETTERS


# A text must contain one character that is neither white space (``str.isspace``), nor a control
# character, nor an invisible one (``clean_question`` drops those): the same rule in the OpenAPI schema
# (ECMA-262 / Python / Rust regex syntax alike) and in validation.
NOT_BLANK_PATTERN = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"
# A question, one letter of Vietnamese's alphabet or a digit (``qa.lexicon.QUESTION_LETTERS``, the
# service's own check): "???" and "🤔" are refused by the schema and by the service alike.
QUESTION_PATTERN = QUESTION_LETTERS


class AskRequest(BaseModel):
    # a misspelt field ("topk") would otherwise be dropped without a word and its default used
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=MAX_QUESTION_CHARS, pattern=QUESTION_PATTERN,
                          description=f"A Vietnamese question, with or without tone marks: 1–{MAX_QUESTION_CHARS} "
                                      "characters, with at least one letter or digit.",
                          examples=["bao nhiêu tài khoản VNeID?"])
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description=f"How many passages to return (1–{MAX_TOP_K}).")
    # format "date" as well as the pattern: the schema then promises only real dates (not 2024-02-30)
    published_from: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"},
                                       examples=["2024-01-01"],
                                       description="Only articles published on or after this date (YYYY-MM-DD); "
                                                   "articles without a date are left out.")
    published_to: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"},
                                     description="Only articles published on or before this date (YYYY-MM-DD).")
    doc_ids: list[str] | None = Field(None, min_length=1, max_length=1000,
                                      description="Only these articles (ids from GET /documents).")
    min_confidence: float | None = Field(
        None, ge=0.0, le=1.0, examples=[0.92],
        description="Give an answer only when its `confidence` reaches this (0–1): stricter than the service's "
                    "own threshold, never laxer. Out of fold on the training questions, 0.92 gives about 5 % "
                    "wrong answers and answers about a third as many questions as the default. The rule "
                    "reader (`VNQA_READER=rules`) gives no confidence, so with it no answer reaches a floor above 0.")

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
                blank = not isinstance(v, str) or not clean_question(v).strip()
                raise ValueError("question must not be empty or only white space" if blank else NO_LETTERS) from None
            raise
        v = clean_question(v)  # zero-width and control characters from pasted text
        if not v.strip():
            raise ValueError("question must not be empty or only white space")
        return v  # the pattern found a letter or digit, which clean_question keeps

    @field_validator("min_confidence", mode="wrap")
    @classmethod
    def _min_confidence_in_range(cls, v, handler):
        # A JSON number (JSON Schema's "number"), not true/false and not "0.9".
        return _json_number_in_range(v, handler, "float_type", "Input should be a valid number",
                                     "min_confidence must be between 0 and 1")

    @field_validator("top_k", mode="wrap")
    @classmethod
    def _top_k_in_range(cls, v, handler):
        # A JSON integer, 20.0 included (JSON Schema's "integer"); not true, not "20".
        return _json_number_in_range(v, handler, "int_type", "Input should be a valid integer",
                                     f"top_k must be between 1 and {MAX_TOP_K}")


def _json_number_in_range(v, handler, type_code: str, type_message: str, range_message: str):
    """Pydantic's check of a numeric field, minus its lax coercions (a JSON boolean or string is
    no number in the schema), and with a readable message for a value out of the Field's bounds."""
    if isinstance(v, (bool, str)):
        raise PydanticCustomError(type_code, type_message)
    try:
        return handler(v)
    except ValidationError as e:
        if {err["type"] for err in e.errors()} & {"greater_than_equal", "less_than_equal"}:
            raise ValueError(f"{range_message}, got {v}") from None
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


class Range(BaseModel):
    low: float
    high: float


class Figure(BaseModel):
    text: str = Field(..., description="The figure as written, with qualifier and what it counts, and the words "
                                        'that change what it says: both ends of a range ("300-500 đồng/lít"), '
                                        'what a price is per ("đồng/lít"), a negation ("không cao hơn").')
    number_text: str | None = Field(None, description='The number inside `text` as written ("75,7 triệu", "80,2%").')
    value: float = Field(..., description="The figure's value in base units (75,7 triệu → 75700000); for a range, "
                                          "the end the reader picked (both are in `range`).")
    range: Range | None = Field(None, description='Both ends when the figure is written as a range '
                                                  '("300-500 đồng/lít", "từ 5 đến 10%"), else null.')
    unit: str | None = Field(None, description='Currency word with what a price is per ("đồng/lít"), "%", or '
                                               "the head noun of what is counted.")
    noun: str | None = None
    kind: str
    qualifier: str | None = Field(None, description='As written, lower-cased: "hơn", "khoảng", "không cao hơn" '
                                                    '(at most), "không dưới" (at least).')
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
        description="The learned reader's probability that its best figure answers the question, judged over "
                    "all the figures it weighed (null for the rule baseline). Answers below the calibrated "
                    "threshold are not given.")
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


class NotAnswered(BaseModel):
    reason: Literal["no_figure", "below_threshold", "below_min_confidence"] = Field(
        ..., description="`no_figure`: no figure in the passages can answer (none of the kind asked, or none for "
                         "the time and place the question names); `below_threshold`: the best figure's confidence "
                         "is below the reader's calibrated threshold; `below_min_confidence`: below the request's "
                         "`min_confidence`.")
    confidence: float | None = Field(None, ge=0.0, le=1.0,
                                     description="The best figure's confidence (null for `no_figure`, and with the "
                                                 "rule reader, which gives none).")
    threshold: float | None = Field(None, ge=0.0, le=1.0,
                                    description="What it had to reach: the reader's threshold or `min_confidence`.")


class AskResponse(BaseModel):
    question: str
    answer: Answer | None
    not_answered: NotAnswered | None = Field(None, description="Why there is no answer (null when there is one).")
    passages: list[Passage]
    took_ms: float


class DocumentMeta(BaseModel):
    doc_id: str
    title: str
    published: str | None = None
    published_at: str | None = None
    publisher: str | None = None
    chars: int
    source_url: str | None = None
    updated_at: str | None = Field(None, description="When it was last written to the store (UTC).")


class DocumentFull(DocumentMeta):
    text: str = Field(..., description="The original article text that citation offsets point into.")


DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _text_not_blank(v, handler):
    try:
        return handler(v)
    except ValidationError as e:
        if {err["type"] for err in e.errors()} & {"string_too_short", "string_pattern_mismatch"}:
            raise ValueError("text must not be empty or only white space") from None
        raise


class DocumentIn(BaseModel):
    """An article to add or replace. Its text is kept as sent (NFC-normalised): citations
    point into it."""
    model_config = ConfigDict(extra="forbid")  # "date" for "published" must not be lost silently

    id: str | None = Field(None, pattern=DOC_ID_PATTERN,
                           description="Your id for it (letters, digits, `._:-`, up to 128); omitted: one is "
                                       "made from the text's hash.")
    title: str | None = Field(None, max_length=500, description="Headline; omitted: found in the text.")
    published: str | None = Field(None, pattern=DATE_PATTERN, json_schema_extra={"format": "date"},
                                  examples=["2026-11-30"],
                                  description="Publication date `YYYY-MM-DD`; omitted: the dateline in the text, "
                                              "if any. Answers from several articles prefer the newest when as sure.")
    source_url: str | None = Field(None, max_length=2000, description="Where it was published.")
    text: str = Field(..., min_length=1, pattern=NOT_BLANK_PATTERN,
                      description="The article text (UTF-8), not only white space.")

    _text = field_validator("text", mode="wrap")(_text_not_blank)


class DocumentPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=500)
    published: str | None = Field(None, pattern=DATE_PATTERN, json_schema_extra={"format": "date"})
    source_url: str | None = Field(None, max_length=2000)
    text: str = Field(..., min_length=1, pattern=NOT_BLANK_PATTERN)

    _text = field_validator("text", mode="wrap")(_text_not_blank)


class DocumentWritten(BaseModel):
    doc_id: str
    status: Literal["created", "updated", "unchanged", "deleted"]
    title: str | None = None
    published: str | None = None
    chars: int | None = None
    generation: int = Field(..., description="Store generation after the write; answers reflect it at once.")
    warnings: list[str] = Field(default_factory=list, description=(
        "What the server noticed but stored anyway, e.g. a text with no article content besides page "
        "furniture (it cannot answer questions)."))


class BatchIn(BaseModel):
    documents: list[Any] = Field(..., min_length=1, description=(
        "Documents in the `DocumentIn` shape. Each is checked on its own: one bad document gets an "
        "error in `results` and the others are still written."))


class BatchItem(BaseModel):
    index: int
    doc_id: str | None = None
    status: Literal["created", "updated", "unchanged", "error"]
    error: ErrorDetail | None = None


class BatchOut(BaseModel):
    results: list[BatchItem]
    written: int
    failed: int
    generation: int


class DocumentList(BaseModel):
    documents: list[DocumentMeta]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")
    total: int = Field(..., description="Documents in the store.")
    deleted: list[dict] | None = Field(None, description="With `since`: ids deleted at or after it.")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str
    dense_index: str
    built_at: str
    generation: int | None = Field(None, description="Store generation: grows with every write.")


ErrorCode = Literal[
    "validation_error",      # 422: a field is missing, of the wrong type or out of bounds (see `field`)
    "malformed_json",        # 422: the body is not JSON
    "malformed_body",        # 422: a multipart/form-data body that cannot be parsed
    "invalid_question",      # 422: the service refused the question
    "document_not_found",    # 404: GET /documents/{doc_id} with an unknown id
    "invalid_document",      # 422: a document's text is empty, its id or date malformed
    "unauthorized",          # 401: a write without the right `Authorization: Bearer` key
    "writes_disabled",       # 403: no VNQA_API_KEY configured, so the server takes no writes
    "document_exists",       # 409: POST /documents with an id already stored (use PUT)
    "payload_too_large",     # 413: the body or a document is over the configured limit
    "unsupported_media_type",  # 415: an upload that is not UTF-8 .txt/.md/.html
    "not_found",             # 404: no such route
    "method_not_allowed",    # 405: the route exists, not with this method (see the `Allow` header)
    "rate_limited",          # 429: too many requests from this address or API key (see `Retry-After`)
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


def request_fields() -> set[str]:
    """Every field name a request body of this API takes: what an unknown field is compared with."""
    return {name for model in (AskRequest, DocumentIn, DocumentPut, BatchIn) for name in model.model_fields}
