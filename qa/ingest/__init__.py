"""Stage 1: articles in, sentences and chunks out (documents, segmentation, chunking)."""
