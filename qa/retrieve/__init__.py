"""Stage 3: a question in, ranked passages out (candidates from each index, fusion)."""
