"""BM25 over Vietnamese syllables, underthesea words, accent-folded forms and whole numbers.

Why all of these: questions and passages are segmented differently by underthesea
(``giải_daytime`` + ``emmy`` vs ``daytime_emmy``), so words alone lose recall; syllables alone
lose the precision of compounds. Default regex tokenizers also split ``75,7``/``2.398``/``41/53``
and drop one-letter tokens, so numbers are matched as whole tokens here, plus a canonical value
token (``#2398`` for both ``2.398`` and ``2398``).

Token namespaces (one BM25 index, disjoint vocabularies):

* ``tài`` — syllable in the matching form (NFC, one tone convention, lower case);
* ``tài_khoản`` — multi-syllable underthesea word;
* ``~tai`` / ``~tai_khoan`` — accent-folded syllable / word, used when folding is on;
* ``75,7`` and ``#75.7`` — number as written and its canonical value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.lexicon import fold_accents, normalize

NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)*%?")
_SYLLABLE = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
from qa.lexicon import QUERY_STOPWORDS  # noqa: E402  (one lexicon for every stage)


def canonical_number(token: str) -> str | None:
    """``2.398`` → ``#2398``; ``75,7`` → ``#75.7``; fractions and percents keep their shape."""
    body = token.rstrip("%")
    parts = body.split("/")
    values = []
    for part in parts:
        if "," in part:
            int_part, _, frac = part.rpartition(",")
            int_part = int_part.replace(".", "")
            if not int_part.isdigit() or not frac.isdigit():
                return None
            values.append(f"{int(int_part)}.{frac}")
        else:
            groups = part.split(".")
            if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
                values.append(str(int("".join(groups))))
            elif len(groups) == 1 and part.isdigit():
                values.append(str(int(part)))
            else:
                return None
    return "#" + "/".join(values) + ("%" if token.endswith("%") else "")


@dataclass(frozen=True)
class LexicalOptions:
    """Which token families a query uses; the index always stores all of them."""

    words: bool = True
    syllables: bool = True
    fold_accents: bool = True


def tokenize(text: str, words: list[str] | None = None, options: LexicalOptions = LexicalOptions(),
             query: bool = False) -> list[str]:
    """BM25 tokens of ``text``; ``words`` are its underthesea words when the caller has them."""
    norm = normalize(text)
    tokens: list[str] = []
    numbers = NUMBER.findall(norm)
    tokens.extend(numbers)
    tokens.extend(c for c in (canonical_number(n) for n in numbers) if c)
    stripped = NUMBER.sub(" ", norm)
    if options.syllables:
        syllables = _SYLLABLE.findall(stripped)
        tokens.extend(syllables)
        if options.fold_accents:
            tokens.extend("~" + fold_accents(s) for s in syllables)
    if options.words and words is not None:
        compounds = [normalize(w).replace(" ", "_") for w in words if " " in w.strip()]
        compounds = [w for w in compounds if not any(ch.isdigit() for ch in w)]
        tokens.extend(compounds)
        if options.fold_accents:
            tokens.extend("~" + fold_accents(w) for w in compounds)
    if query:
        tokens = [t for t in tokens if t.lstrip("~") not in _FOLDED_STOPWORDS and t not in QUERY_STOPWORDS]
    return tokens


_FOLDED_STOPWORDS = frozenset(fold_accents(w) for w in QUERY_STOPWORDS) | QUERY_STOPWORDS


class LexicalIndex:
    """A bm25s index over pre-tokenised chunks, saved next to the dense index."""

    def __init__(self, retriever=None, n_docs: int = 0):
        self._retriever = retriever
        self.n_docs = n_docs

    @classmethod
    def build(cls, token_lists: list[list[str]], k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
        retriever.index(token_lists, show_progress=False)
        return cls(retriever, len(token_lists))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query (zeros when no token is known)."""
        known = [t for t in query_tokens if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)

    def document_frequency(self, token: str) -> int:
        """How many indexed chunks contain ``token`` (the nonzero scores of its column)."""
        col = self._retriever.vocab_dict.get(token)
        if col is None:
            return 0
        indptr = self._retriever.scores["indptr"]
        return int(indptr[col + 1] - indptr[col])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(directory), show_progress=False)
        (directory / "vnqa.json").write_text(json.dumps({"n_docs": self.n_docs}))

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        # memory-mapped arrays: server workers share one copy in the page cache
        retriever = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0, mmap=True)
        n_docs = json.loads((directory / "vnqa.json").read_text())["n_docs"]
        return cls(retriever, n_docs)
