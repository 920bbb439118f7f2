"""The learned reader: a gradient-boosted model ranks every figure; a question-level model decides
whether to answer.

The model (``qa/read/models/reader.lgb.txt``, and ``reader.K.lgb.txt`` when the card averages
several rankers: ``ranker_files``) and its card (``reader.json``: feature names, the
abstention threshold, the hash of the training data, cross-validated metrics) are written by
``vnqa train-reader`` (``qa.read.training``); the service only loads them. The score of a figure
is the logistic of the model's ranking score (:func:`figure_scores`). Whether the best figure is given is
decided for the whole question by the card's answer model (``qa.read.answerability``): its
probability that the best figure is right must reach the card's threshold (chosen on out-of-fold
predictions for the hand-written questions, see ``qa.read.fitting.choose_threshold``), and it is
reported as ``answer.confidence``. A question that names a province or a period is answered only
by a figure whose sentence, paragraph or title is about that place, and whose period (or article
date) is that period: when no retrieved passage covers them, there is no answer. Another
article's figure for the same measure is listed under the answer when older, and answers when newer
and at least as sure, judged by the answer model on that article alone
(:func:`measure_across_articles`; ``across_articles`` gives the evidence, ``python -m
eval.older_figures`` measures it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from qa.read.answerability import ANSWER_FEATURES, answer_row, covered, load_answer_model, place_covered, time_covered
from qa.read.context import asked_in
from qa.read.features import FEATURES, feature_rows, hard_reject
from qa.read.kinds import KIND_FILE, KindPrior
from qa.read.question import QuestionProfile, profile_question
from qa.read.rules import AnswerChoice, AnswerPicker, Candidate, CorpusStats

MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_FILE = "reader.lgb.txt"
# the second, third, … ranker of a card that averages several (ranker_file)
EXTRA_RANKER_GLOB = "reader.*.lgb.txt"
CARD_FILE = "reader.json"


class ModelMismatch(RuntimeError):
    """The shipped model was trained on other features than this code computes."""


def load_card(model_dir: Path = MODEL_DIR) -> dict:
    return json.loads((Path(model_dir) / CARD_FILE).read_text(encoding="utf-8"))


class LearnedReader:
    name = "learned"

    def __init__(self, index, model_dir: Path = MODEL_DIR, threshold: float | None = None,
                 stats: CorpusStats | None = None):
        import lightgbm as lgb

        self.picker = AnswerPicker(index, stats)
        model_dir = Path(model_dir)
        self.card = load_card(model_dir)
        if tuple(self.card["features"]) != FEATURES:
            raise ModelMismatch(
                f"{model_dir / CARD_FILE} lists other features than qa.read.features computes; "
                "retrain with `vnqa train-reader`")
        files = ranker_files(self.card)
        if missing := [f for f in files if not (model_dir / f).is_file()]:
            raise ModelMismatch(f"{model_dir / CARD_FILE} names ranker files that are not there ({', '.join(missing)}); "
                                "retrain with `vnqa train-reader`")
        self.rankers = [lgb.Booster(model_file=str(model_dir / f)) for f in files]
        self.threshold = float(self.card["threshold"] if threshold is None else threshold)
        answer = self.card.get("answer_model")
        if answer is None or tuple(answer["features"]) != ANSWER_FEATURES:
            raise ModelMismatch(f"{model_dir / CARD_FILE} has no answer model for these answer features; "
                                "retrain with `vnqa train-reader`")
        self.answer_model = load_answer_model(answer, model_dir)
        if not (model_dir / KIND_FILE).is_file():
            raise ModelMismatch(f"{model_dir} has no {KIND_FILE} (the kind prior the features read); "
                                "retrain with `vnqa train-reader`")
        self.kind_prior = KindPrior.load(model_dir)

    def prepare(self, question: str) -> None:
        """The question's own analysis (its profile, the times and places it names), cached by
        question, so that :meth:`read` finds it done (see ``qa.read.reader.Reader.prepare``)."""
        profile_question(question)
        asked_in(question)

    def score(self, question: str, hits: Sequence, query_vector: np.ndarray | None):
        """(profile, candidates with ``score`` from :func:`figure_scores`, the kept candidates' rows),
        or None for a non-figure question. Hard-rejected candidates are not in the rows."""
        scored = self.picker.scored_candidates(question, [h.chunk_id for h in hits], query_vector)
        if scored is None:
            return None
        profile, cands = scored
        kept = []
        for c in cands:
            reason = hard_reject(c, question)
            if reason:
                c.rejected, c.score = reason, 0.0
                c.flags.add("hard")
            else:
                kept.append(c)
        X = np.zeros((0, len(FEATURES)), dtype=np.float32)
        if kept:
            X = feature_rows(question, profile, kept, hits, question_contexts(self.picker), self.picker.idf,
                             self.kind_prior.probabilities(question), article_texts(self.picker))
            # the question's own place and time: constraints, not preferences
            for c, p, place_ok, time_ok in zip(kept, figure_scores(self.rankers, X), place_covered(X), time_covered(X)):
                c.score = float(p)
                if not place_ok:
                    c.flags.add("place_not_covered")
                if not time_ok:
                    c.flags.add("time_not_covered")
        return profile, cands, kept, X

    def read(self, question: str, hits: Sequence, query_vector: np.ndarray | None) -> AnswerChoice | None:
        return self.read_with_confidence(question, hits, query_vector)[0]

    def read_with_confidence(self, question: str, hits: Sequence, query_vector: np.ndarray | None
                             ) -> tuple[AnswerChoice | None, float | None]:
        """(:meth:`read`'s answer, the answer model's probability for the best covered figure):
        when the reader abstains below its threshold, how close it came (None when no figure
        could answer: not a figure question, or none covers the question's time and place)."""
        decided, confidence = self._decide(question, hits, query_vector)
        return (None if decided is None else decided[0]), confidence

    def across_articles(self, question: str, hits: Sequence,
                        query_vector: np.ndarray | None
                        ) -> tuple[AnswerChoice, Candidate, list[tuple[Candidate, float]]] | None:
        """The answer (as :meth:`read`); the best figure (the answer, unless a newer article's figure
        for the same measure is as sure alone: :func:`measure_across_articles`); and each other article's
        best figure that counts what the best figure counts (``same_thing_elsewhere``), with the
        answer model's probability for that article read alone: the evidence on which :meth:`read`
        lists it under the answer (at or above the threshold and older; never for a date) or lets
        it answer.
        ``python -m eval.older_figures`` measures that listing."""
        decided, _ = self._decide(question, hits, query_vector)
        if decided is None:
            return None
        choice, viable, profile, alone = decided
        if not spans_articles(viable[0]):
            return choice, viable[0], []
        others = (c for c in (viable[0], *self.picker.same_thing_elsewhere(viable, profile))
                  if c.doc_id != choice.answer.doc_id)
        return choice, viable[0], [(c, alone(c)) for c in others]

    def _decide(self, question: str, hits: Sequence, query_vector: np.ndarray | None
                ) -> tuple[tuple[AnswerChoice, list[Candidate], QuestionProfile, Callable[[Candidate], float]] | None,
                           float | None]:
        """((the answer choice, the covered figures best first, the question's profile, the
        alone-probability of a figure's article), or None to abstain; the answer model's
        probability for the best covered figure, None when there is none)."""
        scored = self.score(question, hits, query_vector)
        if scored is None:
            return None, None
        profile, cands, kept, X = scored
        ok = covered(X)
        viable = sorted((c for c, is_covered in zip(kept, ok) if is_covered), key=lambda c: -c.score)
        if not viable:
            return None, None
        scores = np.array([c.score for c in kept])
        confidence = self.answer_model.probability(answer_row(scores, X, kept.index(viable[0])))
        if confidence < self.threshold:
            return None, math.floor(confidence * 1e4) / 1e4  # rounded down: 0.65996 is not shown as 0.66
        alone = self._alone(kept, scores, X)
        choice = measure_across_articles(viable, profile, len(cands), alone, self.threshold)
        choice.confidence = round(confidence, 4)
        return (choice, viable, profile, alone), choice.confidence

    def _alone(self, kept: list[Candidate], scores: np.ndarray, X: np.ndarray) -> Callable[[Candidate], float]:
        """The answer model's probability for a figure's article read by itself: shown only that
        article's figures, with this one as its best. A figure's article that reaches the threshold
        alone joins the answer's measure (:func:`measure_across_articles`): a ratio of scores would mean
        something else after each retrain, the threshold is calibrated. A lower bar of its own was
        measured and rejected (eval/RESULTS.md, 2026-12-07: 3 right figures of 22 added)."""
        position = {id(c): i for i, c in enumerate(kept)}
        memo: dict[int, float] = {}

        def alone(c: Candidate) -> float:
            if id(c) not in memo:
                rows = np.array([i for i, k in enumerate(kept) if k.doc_id == c.doc_id])
                best = int(np.flatnonzero(rows == position[id(c)])[0])
                memo[id(c)] = self.answer_model.probability(answer_row(scores[rows], X[rows], best))
            return memo[id(c)]
        return alone


def measure_across_articles(viable: list[Candidate], profile: QuestionProfile, considered: int,
                            alone: Callable[[Candidate], float], threshold: float) -> AnswerChoice:
    """The answer and, under it, older articles' figures for its measure. ``viable`` is sorted best
    first; ``alone(c)`` is the answer model's probability for ``c``'s article read by itself.

    Each other article takes part with its best figure, when it counts what the best figure counts
    (``AnswerPicker.same_thing_elsewhere``) and that article alone would be answered with it
    (``alone`` at the threshold). The best figure answers, unless a newer article's figure in the
    measure is at least as sure alone as the best figure's article is alone: then the newest such
    figure answers. Two probabilities of one calibrated model are compared, not a ratio of scores.
    Letting any newer figure in the measure answer (the rule reader's ``newest_of_measure``) made 5
    right training answers wrong and none right: each time another measure of the same kind and
    unit, less sure alone than the best (eval/RESULTS.md, 2026-12-07). The older figures are listed
    newest first; figures newer than the answer are not listed."""
    best = viable[0]
    if not spans_articles(best):
        return AnswerChoice(answer=best, older=[], considered=considered)
    group = [best, *(c for c in AnswerPicker.same_thing_elsewhere(viable, profile) if alone(c) >= threshold)]
    surer = [c for c in group[1:] if newer_than(c, best) and alone(c) >= alone(best)]
    answer = max(surer, key=lambda c: (c.published or "", c.score)) if surer else best
    older = sorted((c for c in group if c is not answer and not newer_than(c, answer)),
                   key=lambda c: c.published or "", reverse=True)
    return AnswerChoice(answer=answer, older=older, considered=considered)


def spans_articles(best: Candidate) -> bool:
    """Whether the best figure's measure is looked for in other articles: not for a date, which
    says when something happened, not how much of it there was at a date (so another article's
    date is never a newer or older figure of it)."""
    return best.quantity.kind != "date"


def newer_than(c: Candidate, answer: Candidate) -> bool:
    """Whether figure ``c``'s article is dated after the answer's. An undated answer cannot be
    placed in time, so nothing is newer than it; an undated ``c`` is taken as the oldest."""
    return answer.published is not None and (c.published or "") > answer.published


def figure_scores(rankers, X: np.ndarray) -> np.ndarray:
    """Each figure's score in (0, 1): the logistic of the model's raw score, averaged over the
    rankers when there are several (a booster or a list of them). For a binary model that is its
    probability; for a ranking model (LambdaRank) it keeps the order and puts every score on one
    positive scale, which the answer model and the grouping of a measure across articles
    (:func:`measure_across_articles`) read."""
    boosters = rankers if isinstance(rankers, (list, tuple)) else [rankers]
    raw = np.mean([b.predict(X, raw_score=True, num_threads=1) for b in boosters], axis=0)
    return 1.0 / (1.0 + np.exp(-raw))


def ranker_file(k: int) -> str:
    """The file of a card's ``k``-th ranker (from 0): :data:`MODEL_FILE`, then ``reader.2.lgb.txt``, …
    (matched by :data:`EXTRA_RANKER_GLOB`)."""
    return MODEL_FILE if k == 0 else f"reader.{k + 1}.lgb.txt"


def ranker_files(card: dict) -> list[str]:
    """The figure rankers' files a card names, in order (a card of one ranker names none: then
    :data:`MODEL_FILE` alone)."""
    return list(card.get("ranker_files", [MODEL_FILE]))


def article_texts(picker: AnswerPicker) -> Callable[[str], str]:
    """An article's title and text by its id, joined once per question: what ``article_coverage``
    reads (the same string for each figure of an article, so its coverage is counted once)."""
    seen: dict[str, str] = {}

    def article_of(doc_id: str) -> str:
        found = seen.get(doc_id)
        if found is None:
            doc = picker.index.documents[doc_id]
            found = seen[doc_id] = f"{doc.title or ''}\n{doc.text}"
        return found
    return article_of


def question_contexts(picker: AnswerPicker):
    """``candidate_context`` for one question's candidates, read once per sentence: the figures
    of a sentence share it, and sharing the very same strings lets the caches keyed by them
    (clauses, periods, places) hash each sentence once. The service and training both read
    contexts through it."""
    seen: dict[tuple[str, int, int], tuple[str, str, str, str | None, str]] = {}

    def context_of(c: Candidate) -> tuple[str, str, str, str | None, str]:
        key = (c.doc_id, c.sentence_start, c.sentence_end)
        found = seen.get(key)
        if found is None:
            found = seen[key] = candidate_context(picker, c)
        return found
    return context_of


def candidate_context(picker: AnswerPicker, c: Candidate) -> tuple[str, str, str, str | None, str]:
    """(sentence, paragraph text before it, article title, publication date, the article's text
    before that paragraph) of a candidate. The article before is read for the figure's place
    (all of it) and its time (the end of it: ``qa.read.context.EARLIER_CHARS``)."""
    doc = picker.index.documents[c.doc_id]
    para_start, _ = picker.paragraph_span(c.doc_id, c.sentence_start)
    return (doc.text[c.sentence_start:c.sentence_end], doc.text[para_start:c.sentence_start],
            doc.title, doc.published, doc.text[:para_start])
