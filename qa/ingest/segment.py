"""Sentence and word segmentation with underthesea, mapped back to exact character offsets.

underthesea's ``sent_tokenize`` splits inside URLs and domain names
(``https://onetouch.`` | ``mic.`` | ``gov.vn``) and after abbreviations (``TP.``, ``PGS.TS.``,
initials). We keep its boundaries only where they are real: a boundary that falls inside a
protected span (URL, e-mail, domain, abbreviation, decimal number) or is followed by a lower-case
letter is dropped. Every sentence is reported as ``(start, end)`` into the text it came from, so
``text[start:end]`` is exactly the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PROTECTED = re.compile(
    r"""
    (?:https?://|www\.)\S+?(?=[\s,;)]|[.!?]?(?:\s|$))   # URLs
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                       # e-mail addresses
    | \b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|info|io)\b  # bare domains
    | \b(?:TP|Tp|TS|ThS|PGS|GS|BS|KS|Th\.S|PGS\.TS|GS\.TS|St|Mr|Mrs|Dr|No|Co|Ltd|vs|v\.v)\.   # abbreviations
    | (?<![\w.])[A-ZĐ]\.(?=\s*[A-ZĐ])                    # initials: "Nguyễn V. A"
    | \d+(?:[.,]\d+)+                                    # 2.398, 75,7
    """,
    re.VERBOSE,
)


@lru_cache(maxsize=1)
def _underthesea():
    """Import underthesea lazily: it takes seconds and most callers never need it."""
    from underthesea import sent_tokenize, word_tokenize

    return sent_tokenize, word_tokenize


def _locate(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Map the strings underthesea returned back to offsets in ``text`` (it may drop spaces)."""
    spans, cursor = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:  # underthesea normalised something: anchor on the first word instead
            head = piece.split()[0]
            at = text.find(head, cursor)
            if at < 0:
                continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _merge_false_boundaries(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join neighbouring sentences whose boundary underthesea should not have made."""
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            boundary = prev_end  # the split point between the two sentences
            inside = any(ps < boundary < pe or ps < start < pe for ps, pe in protected)
            nxt = text[start:start + 1]
            lower_next = nxt.isalpha() and nxt.islower()
            if inside or lower_next:
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text`` (a paragraph or any string), never splitting a URL or number."""
    if not text.strip():
        return []
    sent_tokenize, _ = _underthesea()
    spans = _locate(text, sent_tokenize(text))
    if not spans:
        stripped = text.strip()
        at = text.find(stripped)
        return [(at, at + len(stripped))]
    return _merge_false_boundaries(text, spans)


def sentences_in_spans(text: str, spans: list[tuple[int, int]] | tuple) -> list[tuple[int, int]]:
    """Sentences of every paragraph span, as offsets into the whole ``text``."""
    out = []
    for start, end in spans:
        for s, e in split_sentences(text[start:end]):
            out.append((start + s, start + e))
    return out


def word_tokenize(text: str) -> list[str]:
    """underthesea words: multi-syllable words come back joined by spaces (``tài khoản``)."""
    _, tokenize = _underthesea()
    return tokenize(text)
