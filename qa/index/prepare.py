"""Everything derived from one document before it is stored: chunks, BM25 tokens, vectors.

This is the expensive half of a write (underthesea segmentation, the encoder), done outside any
lock; the store then writes the result in one transaction. Vectors go through the
content-addressed :class:`VectorCache`, so re-ingesting an unchanged or slightly edited article
only embeds the text that is new.
"""

from __future__ import annotations

from dataclasses import dataclass

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
