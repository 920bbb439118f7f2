"""Stage 2: chunks in, searchable indexes out (encoders, BM25, FAISS, the built-index store)."""
