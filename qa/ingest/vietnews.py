"""VietNews articles as corpus files: input for training, evaluation and scale benchmarks.

The data is read from ``../shared`` beside the project and never shipped.

VietNews (ThanhChinhBK/vietnews) stores text tokenised with spaces around punctuation
(``TP. Đà Nẵng ( SN 1994 ) , ngụ …``) and carries no publication date. A user's corpus is
ordinary prose, so :func:`detokenize` puts the punctuation back where a newspaper prints it and
:func:`article_file_text` writes the seed layout — headline, dateline, paragraphs — that
``qa`` reads. Dates come from the evaluation set's article list (VietNews has none).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from qa.config import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"
VIETNEWS_TEST = SHARED / "datasets" / "vietnews" / "vietnews_test.jsonl.gz"

_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%…)\]}”’])")
_SPACE_AFTER = re.compile(r"([(\[{“‘])\s+")
_SLASH = re.compile(r"(?<=\w)\s*/\s*(?=\w)")
_STRAIGHT_QUOTED = re.compile(r"([\"'])\s+([^\"'\n]*?)\s+\1")


def detokenize(text: str) -> str:
    """Undo VietNews's word tokenisation: ``( SN 1994 ) , ngụ`` → ``(SN 1994), ngụ``."""
    text = _STRAIGHT_QUOTED.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(1)}", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _SLASH.sub("/", text)
    text = re.sub(r"(?<=\d)\s+-\s+(?=\d)", "-", text)  # "4 - 8/1" → "4-8/1"
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def read_vietnews(path: Path = VIETNEWS_TEST) -> Iterator[dict]:
    """One dict per article: ``id, title, abstract, body, captions``."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def article_file_text(article: dict, published: str) -> str:
    """The article laid out like a seed file; ``published`` is an ISO date (``2019-07-02``)."""
    year, month, day = published.split("-")
    paragraphs = [detokenize(p) for p in article["body"].split("\n") if p.strip()]
    parts = [
        detokenize(article["title"]),
        f"{day}/{month}/{year} 08:00",
        detokenize(article["abstract"]),
        *paragraphs,
    ]
    return "\n\n".join(parts) + "\n"


def write_corpus(
    dates: dict[str, str], out_dir: Path, source: Iterable[dict] | None = None
) -> list[Path]:
    """Write ``vn_<id>.txt`` for every VietNews id in ``dates`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = dict(dates)
    written: list[Path] = []
    for article in source if source is not None else read_vietnews():
        if article["id"] in wanted:
            path = out_dir / f"vn_{article['id']}.txt"
            path.write_text(article_file_text(article, wanted.pop(article["id"])), encoding="utf-8")
            written.append(path)
            if not wanted:
                break
    if wanted:
        raise KeyError(f"VietNews ids not found: {sorted(wanted)}")
    return written
