"""Stage 4: a question and passages in, the answering figure (or none) out."""
