"""What a question asks for: a figure or not, of which kind, counting what, where and when.

Questions arrive with or without tone marks, as full sentences ("Có bao nhiêu tài khoản VNeID
đã được cấp?") or as keywords ("mat do dien thoai Bac Kan"). Everything here is a pure function
of the question text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import DateMention, find_dates
from .places import mentions_national, places_in
from .textnorm import fold_accents, has_tone_marks, normalize

TOKEN = re.compile(r"[^\W_]+(?:[.,/]\d+)*%?", re.UNICODE)

# Folded cue phrases; a question with any of them asks for a figure.
QUANTITY_CUES = (
    "bao nhieu", "ty le", "ti le", "phan tram", "so luong", "tong so", "la bao", "dat bao",
    "doanh thu", "kinh phi", "muc do", "mat do", "ty trong", "toc do tang", "bao lau",
)
# Folded cues of a question that asks for something other than a figure.
NON_QUANTITY_CUES = (
    "ai", "la gi", "cai gi", "o dau", "noi nao", "khi nao", "luc nao", "tai sao", "vi sao",
    "nhu the nao", "the nao", "ra sao", "bang cach nao", "co phai", "nao la",
)
# Accented cues for the kind of figure asked for. Folded forms are used for questions typed
# without tone marks, except where folding makes them ambiguous ("đồng"/"động" → "dong").
KIND_CUES = {
    "percent": ("tỷ lệ", "tỉ lệ", "phần trăm", "%", "tỷ trọng", "tốc độ tăng", "chiếm"),
    "money": ("tiền", "tỷ đồng", "triệu đồng", "nghìn đồng", "bao nhiêu đồng", "usd", "đô la", "doanh thu",
              "kinh phí", "ngân sách", "thu thuế", "tiết kiệm", "vốn", "chi phí"),
    "rate": ("mật độ", "/100", "trên 100"),
}
_AMBIGUOUS_FOLDED_CUES = frozenset({"dong", "von", "tien"})
# Question words and fillers: they say "a number, please", not which number. Matched on the
# accented form ("tại" is a filler, "tài" is not); for questions typed without tone marks only the
# folded forms that are fillers whatever their accents are dropped.
STOPWORDS = frozenset(normalize(w) for w in """
    bao nhiêu mấy gì nào là có không được của và thì ạ vậy hiện nay cho biết hãy tính đến
    đã đang sẽ các những một này đó theo về ở tại trong với cho bởi hỏi
    """.split())
FOLDED_STOPWORDS = frozenset(
    "bao nhieu may gi nao la co khong duoc cua va thi vay hien nay hay cac nhung mot theo ve o trong voi".split())
# Words that introduce the counted noun: "bao nhiêu <tài khoản>", "số <thôn>", "tỷ lệ <hộ gia đình>".
_TARGET_INTRO = re.compile(
    r"(?:bao nhieu(?: phan tram)?|(?<!\w)may|so luong|tong so|(?<!\w)so|ty le|ti le|ty trong|phan tram)\s+(.+)")
_TARGET_STOPS = frozenset(
    "da duoc co la dat nam trong cua cho o tren voi va hien tu den khi sau truoc vao".split())
# "tăng bao nhiêu": the answer is the figure right after "tăng" in the text.
_CHANGE_VERB = re.compile(r"(?<!\w)(tang|giam)(?: them)? (?:bao nhieu|may|len)")


@dataclass(frozen=True)
class QuestionProfile:
    text: str
    terms: tuple[str, ...]  # folded topic words, fillers and dates removed
    target: tuple[str, ...]  # folded words of the counted noun ("tai", "khoan"), may be empty
    is_quantity: bool
    expected_kind: str | None
    places: frozenset[str]
    national: bool
    dates: tuple[DateMention, ...] = ()
    change_verb: str | None = None  # "tang"/"giam" for "tăng bao nhiêu"

    @property
    def years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.dates if d.year)


def _expected_kind(question: str, folded: str) -> str | None:
    accented_q = normalize(question)
    for kind, cues in KIND_CUES.items():
        for cue in cues:
            if re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", accented_q):
                return kind
            folded_cue = fold_accents(cue)
            if (not has_tone_marks(question) and folded_cue not in _AMBIGUOUS_FOLDED_CUES
                    and re.search(r"(?<!\w)" + re.escape(folded_cue) + r"(?!\w)", folded)):
                return kind
    return None


def _target(folded_topic: str) -> tuple[str, ...]:
    """The counted noun: words after "bao nhiêu"/"mấy"/"số"/"tỷ lệ", up to a verb or preposition."""
    m = _TARGET_INTRO.search(folded_topic)
    if not m:
        return ()
    words = []
    for w in TOKEN.findall(m.group(1)):
        if w in _TARGET_STOPS or any(ch.isdigit() for ch in w):
            break
        words.append(w)
        if len(words) == 4:
            break
    return tuple(words)


def profile_question(question: str) -> QuestionProfile:
    """Read a question once; the answer picker scores every candidate figure against this."""
    folded = fold_accents(normalize(question))
    words = set(TOKEN.findall(folded))
    is_quantity = any(re.search(r"(?<!\w)" + c + r"(?!\w)", folded) for c in QUANTITY_CUES)
    # "mấy" asks for a count; folded it is also "máy" (machine), so only trust the folded form
    # when the question carries no tone marks at all.
    if re.search(r"(?<!\w)mấy(?!\w)", question.lower()) or ("may" in words and not has_tone_marks(question)):
        is_quantity = True
    if not is_quantity:
        # keyword queries ("mat do dien thoai Bac Kan") ask for the figure unless they are
        # who/what/where/why questions
        is_quantity = not any(re.search(r"(?<!\w)" + c + r"(?!\w)", folded) for c in NON_QUANTITY_CUES)
    # dates in the question constrain *when*; they are not topic words
    dates = tuple(find_dates(question))
    topic = question
    for d in reversed(dates):
        topic = topic[:d.start] + " " * (d.end - d.start) + topic[d.end:]
    accented = has_tone_marks(question)
    terms = []
    for tok in TOKEN.findall(normalize(topic)):
        if tok in STOPWORDS or (not accented and tok in FOLDED_STOPWORDS):
            continue
        terms.append(fold_accents(tok))
    change = _CHANGE_VERB.search(folded)
    return QuestionProfile(
        text=question,
        terms=tuple(dict.fromkeys(terms)),
        target=_target(fold_accents(normalize(topic))),
        is_quantity=is_quantity,
        expected_kind=_expected_kind(question, folded),
        places=frozenset(places_in(question)),
        national=mentions_national(question),
        dates=dates,
        change_verb=change.group(1) if change else None,
    )
