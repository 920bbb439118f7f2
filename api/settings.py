"""Settings of the HTTP layer only (the service's own settings live in ``qa.config``).

| setting    | environment        | default | example                      |
|------------|--------------------|---------|------------------------------|
| rate_limit | ``VNQA_RATE_LIMIT``| off     | ``60/minute`` per client IP  |
| rate_limit_per_key | ``VNQA_RATE_LIMIT_PER_KEY`` | off | ``600/minute`` per ``Authorization: Bearer`` key |
| api_key    | ``VNQA_API_KEY``   | none: writes refused (403) | ``Authorization: Bearer <key>`` on POST/PUT/DELETE /documents |
| protect_reads | ``VNQA_PROTECT_READS`` | off | ``1``: reads (/ask, /documents) need the key too |
| max_document_bytes | ``VNQA_MAX_DOCUMENT_BYTES`` | 2000000 | one document's text (UTF-8 bytes); 413 past it |
| max_batch  | ``VNQA_MAX_BATCH`` | 100 | documents in one POST /documents/batch |
| max_request_bytes | ``VNQA_MAX_REQUEST_BYTES`` | 50000000 | any POST/PUT body; 413 from its Content-Length |
| max_in_flight | ``VNQA_MAX_IN_FLIGHT`` | 4 | answers computed at once (per worker) |
| queue_wait | ``VNQA_QUEUE_WAIT`` | 5 | seconds a request may wait for a slot, then 503 |
| suggestions | ``VNQA_SUGGESTIONS`` | the seeds' questions with the seed corpus, else none | ``câu hỏi 1|câu hỏi 2`` on the chat page; ``none`` |

Read once, when ``create_app`` builds the app.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

_PERIODS = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per\s+)\s*(\d+\s*)?([a-z]+)\s*$", re.IGNORECASE)
_OFF = {"", "0", "off", "none", "false", "no"}


@dataclass(frozen=True)
class RateLimit:
    """``requests`` per ``period`` seconds for each client, as a token bucket of that size."""

    requests: int
    period: float
    text: str  # as configured, for messages ("60/minute")

    @property
    def per_second(self) -> float:
        return self.requests / self.period


def parse_rate_limit(text: str | None, name: str = "VNQA_RATE_LIMIT") -> RateLimit | None:
    """``"60/minute"``, ``"10/second"``, ``"1000/hour"``, ``"5/10s"``… → RateLimit; ``None``/``"off"`` → None.

    ``name`` is the setting named in the error message."""
    if text is None or text.strip().lower() in _OFF:
        return None
    m = _RATE.match(text)
    if not m or m.group(3).lower() not in _PERIODS or int(m.group(1)) < 1:
        raise ValueError(f"{name} must look like '60/minute' (requests per second, minute, hour or day), "
                         f"got {text!r}")
    count = int(m.group(2)) if m.group(2) else 1
    if count < 1:
        raise ValueError(f"{name} period must be at least 1, got {text!r}")
    return RateLimit(requests=int(m.group(1)), period=count * _PERIODS[m.group(3).lower()], text=text.strip())


@dataclass(frozen=True)
class ApiSettings:
    rate_limit: RateLimit | None = None  # POST /ask per client address; None: unlimited
    # POST /ask per API key (``Authorization: Bearer <key>``), besides per address unless the key is ``api_key``
    rate_limit_per_key: RateLimit | None = None
    api_key: str | None = None  # writes need ``Authorization: Bearer <api_key>``; None: no writes
    protect_reads: bool = False  # reads need the key too
    max_document_bytes: int = 2_000_000
    max_batch: int = 100
    max_request_bytes: int = 50_000_000  # any POST/PUT body, refused from its Content-Length
    max_in_flight: int = 4  # answers computed at once; CPU-bound, so a few per core
    queue_wait: float = 5.0  # seconds a request may wait for a slot before 503 + Retry-After
    # the chat page's "Thử hỏi" questions, "|"-separated ("" for none); None: the seeds' questions
    # when the corpus is the seeds, else none (``api.widget``)
    suggestions: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "ApiSettings":
        """Environment variables, then explicit overrides (``rate_limit="2/minute"`` or a RateLimit)."""
        env = os.environ if env is None else env
        values: dict = {"rate_limit": parse_rate_limit(env.get("VNQA_RATE_LIMIT")),
                        "rate_limit_per_key": parse_rate_limit(env.get("VNQA_RATE_LIMIT_PER_KEY"),
                                                               "VNQA_RATE_LIMIT_PER_KEY")}
        if env.get("VNQA_API_KEY"):
            values["api_key"] = env["VNQA_API_KEY"]
        if env.get("VNQA_PROTECT_READS", "").strip().lower() in ("1", "true", "yes", "on"):
            values["protect_reads"] = True
        if env.get("VNQA_MAX_DOCUMENT_BYTES"):
            values["max_document_bytes"] = int(env["VNQA_MAX_DOCUMENT_BYTES"])
        if env.get("VNQA_MAX_REQUEST_BYTES"):
            values["max_request_bytes"] = int(env["VNQA_MAX_REQUEST_BYTES"])
        if "VNQA_SUGGESTIONS" in env:
            text = env["VNQA_SUGGESTIONS"].strip()
            values["suggestions"] = "" if text.lower() in _OFF else text
        if env.get("VNQA_MAX_BATCH"):
            values["max_batch"] = int(env["VNQA_MAX_BATCH"])
        if env.get("VNQA_MAX_IN_FLIGHT"):
            values["max_in_flight"] = int(env["VNQA_MAX_IN_FLIGHT"])
        if env.get("VNQA_QUEUE_WAIT"):
            values["queue_wait"] = float(env["VNQA_QUEUE_WAIT"])
        for key, value in overrides.items():
            if key in ("rate_limit", "rate_limit_per_key") and (value is None or isinstance(value, str)):
                value = parse_rate_limit(value, "VNQA_" + key.upper())
            values[key] = value
        return cls(**values)
