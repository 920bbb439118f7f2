"""The seam between retrieval and reading: what any reader takes and gives back.

``QAService`` is handed a reader; the learned one (``qa.read.learned``) answers by default and the
hand-weighted rule picker (``qa.read.rules``) stays as the baseline row of ``vnqa eval``. Both
see the same inputs — the question, the ranked passages, the question's e5 vector — so swapping
them changes nothing else in the pipeline.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from qa.read.question import profile_question
from qa.read.rules import AnswerChoice, AnswerPicker, CorpusStats
from qa.retrieve.retriever import Hit


class Reader(Protocol):
    """Reads ranked passages for the figure that answers a question, or abstains (``None``)."""

    name: str

    picker: AnswerPicker  # its corpus statistics follow writes (``AnswerPicker.rebind``)

    def read(self, question: str, hits: Sequence[Hit], query_vector: np.ndarray | None) -> AnswerChoice | None:
        ...

    def prepare(self, question: str) -> None:
        """Read the question alone, before its passages are known (the service calls this while
        the question is encoded); what it computes is cached by question for :meth:`read`."""
        ...


class RulesReader:
    """The hand-weighted picker behind the ``Reader`` interface (the baseline)."""

    name = "rules"

    def __init__(self, index, stats: CorpusStats | None = None):
        self.picker = AnswerPicker(index, stats)

    def read(self, question: str, hits: Sequence[Hit], query_vector: np.ndarray | None) -> AnswerChoice | None:
        # confidence stays None: the rules give a score, not a probability
        return self.picker.pick(question, [h.chunk_id for h in hits], query_vector)

    def prepare(self, question: str) -> None:
        profile_question(question)
