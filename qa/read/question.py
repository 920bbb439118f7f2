"""What a question asks for: a figure or not, of which kind, counting what, where and when.

Questions arrive with or without tone marks, as full sentences ("Có bao nhiêu tài khoản VNeID
đã được cấp?") or as keywords ("mat do dien thoai Bac Kan"). Everything here is a pure function
of the question text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from qa.read.figures import DateMention, find_dates
from qa.read.places import mentions_national, places_in
from qa.lexicon import (CURRENCY_AFTER_MAGNITUDE_ONLY, CURRENCY_LOWER_CASE_ONLY, CURRENCY_WORDS, FOLDED_STOPWORDS,
                        MEASURE_UNITS, PER_WORDS, STOPWORDS, fold_accents, has_tone_marks, normalize)

# A word, or a number kept whole ("75,7", "2.398", "41/53", "80,2%"); "máy/100" is two tokens.
TOKEN = re.compile(r"[^\W_]+(?:(?<=\d)[.,/]\d+)*%?", re.UNICODE)

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
# When-questions ask for a date ("Khi nào …?", "năm nào", "ngày nào"); "bao lâu" for a duration.
WHEN_CUES = ("khi nao", "luc nao", "bao gio", "nam nao", "ngay nao", "thang nao", "thoi diem nao",
             "thoi gian nao", "dip nao", "hom nao", "tu khi nao", "tu bao gio", "vao nam nao", "ngay bao nhieu")
DURATION_CUES = ("bao lau", "trong bao lau", "may nam", "bao nhieu nam", "may thang", "bao nhieu thang",
                 "may ngay", "bao nhieu ngay", "bao nhieu gio", "may gio")
# "lãi bao nhiêu năm 2017?", "giá bao nhiêu ngày 18/11?": a unit of time followed by a number
# names a time (the year, the day), so no duration is asked there
_DURATION_ASKED = re.compile(r"(?<!\w)(?:" + "|".join(DURATION_CUES) + r")(?!\w)(?![ \t]*\d)")
# Why/when questions that mention a figure ("Tại sao tỷ lệ … còn thấp?") ask for a reason or a
# time, unless they also say "bao nhiêu"/"mấy". ("Năm nào …?" is answered by a year: a figure.)
WHY_WHEN_CUES = ("tai sao", "vi sao", "khi nao", "luc nao")
# Accented cues for the kind of figure asked for. Folded forms are used for questions typed
# without tone marks, except where folding makes them ambiguous ("đồng"/"động" → "dong").
KIND_CUES = {
    "percent": ("tỷ lệ", "tỉ lệ", "phần trăm", "%", "tỷ trọng", "tốc độ tăng", "tăng trưởng", "chiếm bao nhiêu"),
    "money": ("tiền", "bao nhiêu tiền", "tỷ đồng", "triệu đồng", "nghìn đồng", "bao nhiêu đồng", "usd", "đô la", "doanh thu",
              "kinh phí", "ngân sách", "thu thuế", "vốn", "chi phí", "trị giá", "giá trị", "đầu tư",
              "đôla", "euro", "nhân dân tệ", "won", "baht", "rúp", "bảng anh", "ringgit", "rupee",
              # amounts of money by name ("lợi nhuận đạt bao nhiêu?")
              "lợi nhuận", "tài sản", "nợ", "thưởng", "tiền thưởng", "lãi ròng", "lãi trước thuế",
              "lãi sau thuế", "tiền lãi", "học phí", "phí"),
    "rate": ("mật độ", "/100", "trên 100", "cứ 100", "mỗi 100"),
}
_MAGNITUDES = frozenset(("nghin", "ngan", "trieu", "ty", "ti"))
# Currency names that folded are also common words ("kinh tế", "Yên Bái", "bảng xếp hạng",
# "cộng đồng"): in a question they name a currency only after a magnitude or "bao nhiêu"
_AMBIGUOUS_CURRENCY_NAMES = frozenset(fold_accents(w) for w in
                                      CURRENCY_AFTER_MAGNITUDE_ONLY | CURRENCY_LOWER_CASE_ONLY | {"đồng"})
_MONEY_HEADS = frozenset(("tien", "dong", "kinh phi", "ngan sach", "von", "chi phi", "doanh thu", "tai san",
                          "loi nhuan", "thu nhap", "hoc phi")) | frozenset(
    name for name in map(fold_accents, CURRENCY_WORDS) if name not in _AMBIGUOUS_CURRENCY_NAMES)


def _currency_pattern(names: list[str], toned: bool) -> re.Pattern:
    """One currency's names as a pattern over :func:`normalize`'d text (``toned``: names as
    written, for a question with tone marks) or over folded text."""
    ambiguous = [n for n in names if fold_accents(n) in _AMBIGUOUS_CURRENCY_NAMES]
    plain = [n for n in names if fold_accents(n) not in _AMBIGUOUS_CURRENCY_NAMES]
    parts = [re.escape(n) for n in sorted(plain, key=len, reverse=True)]
    if ambiguous:  # "bao nhiêu đồng" is money; "bao nhiêu tế bào", "công ty Đồng Tâm" are not
        magnitude = r"(?:nghìn|ngàn|triệu|tỷ|tỉ)" if toned else r"(?:nghin|ngan|trieu|(?<!cong )ty|(?<!cong )ti)"
        asked = "bao nhiêu" if toned else "bao nhieu"
        before = rf"(?:{magnitude}|{asked})" if {fold_accents(n) for n in ambiguous} == {"dong"} else magnitude
        parts.append(before + r" (?:" + "|".join(map(re.escape, ambiguous)) + ")")
    # not a name followed by a year: "Euro 2016" is a tournament
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)(?! \d)")


def _names_of(code: str, toned: bool) -> list[str]:
    """The lexicon's names of a currency: as written (marked, and the plain spellings people type)
    for a marked question, folded for an unmarked one."""
    names = {w for w, c in CURRENCY_WORDS.items() if c == code}
    return sorted(names if toned else {fold_accents(w) for w in names})


# Currencies a question can name (ISO codes from the lexicon's names; "đồng" for VND, as the text
# says it); a figure in another one does not answer it. A question with tone marks is matched with
# them: folded, "đó là" would be "đô la" ("Con số đó là bao nhiêu?" names no currency).
CURRENCIES = {
    ("đồng" if code == "VND" else code): {toned: _currency_pattern(_names_of(code, toned), toned)
                                          for toned in (True, False)}
    for code in dict.fromkeys(CURRENCY_WORDS.values())
}
_CONVERTED_INTO = re.compile(r"(?<!\w)(?:quy ra|quy doi ra|doi ra|tinh ra|tuong duong(?: voi)?)(?: bao nhieu)?"
                             r"(?: (?:nghin|ngan|trieu|ty|ti))? $")
# "Cổ phần của ông X trị giá bao nhiêu?": the worth of what is named, money whatever the noun
_WORTH_ASKED = re.compile(r"(?<!\w)tri gia(?: (?:khoang|la|vao khoang|len toi|len den))? bao nhieu(?!\w)")


def _is_money_noun(target: tuple[str, ...]) -> bool:
    """ "bao nhiêu <kinh phí>", "bao nhiêu <tỷ đồng>", "bao nhiêu <triệu USD>", "bao nhiêu <đô la
    Mỹ>": the noun is money."""
    scaled = False
    while target and target[0] in _MAGNITUDES:
        target, scaled = target[1:], True
    if scaled and target and target[0] in _AMBIGUOUS_CURRENCY_NAMES:
        return True  # "bao nhiêu tỉ yên"
    return bool(target) and any(" ".join(target[:n]) in _MONEY_HEADS for n in (1, 2, 3))


def currency_asked(question: str) -> str | None:
    """The currency a question names ("bao nhiêu tỷ USD" → "USD"), if exactly one. A name inside
    a longer one is not another currency ("đô la" in "đô la Úc")."""
    toned = has_tone_marks(question)
    folded = fold_accents(normalize(question))  # one char for one: spans of either form are the same
    form = normalize(question) if toned else folded
    spans = [(m.start(), m.end(), currency) for currency, patterns in CURRENCIES.items()
             for m in patterns[toned].finditer(form)]
    spans = [(s, e, c) for s, e, c in spans
             if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)]
    # "600 triệu ringgit quy ra đô la Mỹ là bao nhiêu": the currency converted into is the one asked
    into = {c for s, e, c in spans if _CONVERTED_INTO.search(folded, 0, s)}
    found = into if len(into) == 1 else {c for _, _, c in spans}
    return found.pop() if len(found) == 1 else None

# folded, these are also "động", "vỡ", "tiến", "nó", "thương", "phí"/"phi" (Châu Phi): accented only
_AMBIGUOUS_FOLDED_CUES = frozenset({"dong", "von", "tien", "no", "thuong", "phi"})
# A price asked for ("Giá vàng SJC … là bao nhiêu?"): money. Not an evaluation ("đánh giá"), an
# index ("chỉ số giá"), an exchange rate's "tỷ giá" or a change of price ("giảm giá vé" is mostly
# a percentage). Folded, "gia" alone is also "gia đình", "quốc gia": only its compounds count.
_PRICE = re.compile(r"(?<!\w)(?<!đánh )(?<!chỉ số )(?<!tỷ )(?<!tỉ )(?<!giảm )(?<!tăng )(?<!hạ )"
                    r"giá(?!\w)(?! trị)")
_FOLDED_PRICE = re.compile(r"(?<!\w)(?<!giam )(?<!tang )(?<!chi so )"
                           r"(?:muc gia|gia (?:ban|mua|ve|xang|dau|vang|dat|thue|gas|dien|nha)"
                           r"|(?<!tham )(?<!quoc )(?<!chuyen )(?<!ty )(?<!ti )gia (?:la |khoang )?bao nhieu)(?!\w)")
# An interest, tax or return rate, or a market share, is a percentage ("lãi suất bao nhiêu",
# "chịu thuế suất bao nhiêu", "thị phần là bao nhiêu"): asked for unless a noun is counted
# ("Bao nhiêu hộ được vay lãi suất ưu đãi?"), money is named as the noun asked ("bao nhiêu tiền
# lãi") or the rate word stands in another clause ("Sau khi FED hạ lãi suất, giá vàng mất bao
# nhiêu?" asks for a price)
_RATE_NAMES = ("lãi suất", "thuế suất", "tỷ suất", "tỉ suất", "thị phần")
_RATE_WORDS_TONED = re.compile(r"(?<!\w)(?:" + "|".join(_RATE_NAMES) + r")(?!\w)")
_RATE_WORDS = re.compile(fold_accents(_RATE_WORDS_TONED.pattern))
_ASKING = re.compile(r"(?<!\w)(?:bao nhieu|may|muc nao|the nao|ra sao)(?!\w)")
# A verb of earning, losing, paying, spending, lending or owing right before the asking word asks
# for money when no noun is counted: "Xi măng Bỉm Sơn lỗ bao nhiêu …?", "Vinachem lãi tổng cộng bao
# nhiêu?", "bị phạt bao nhiêu", "giải ngân được bao nhiêu", "lương bình quân là bao nhiêu".
# Folded, "lai", "lo", "phat", "ton", "chi", "vay", "no", "luong", "kiem", "lua" are also "lại",
# "lò", "phát", "tồn", "chỉ", "vậy", "nó", "lượng", "kiểm", "lúa": those count only with their marks.
_MONEY_VERBS_FOLDED_TOO = ("giải ngân", "thu nhập", "nộp", "nộp phạt", "xuất siêu", "nhập siêu", "thu về",
                           "bồi thường", "hỗ trợ", "tài trợ", "quyên góp", "ủng hộ", "thiệt hại", "chiếm đoạt",
                           "tiền lương", "mức lương")
_MONEY_VERBS_TONED_ONLY = ("lãi", "lỗ", "phạt", "tốn", "chi", "vay", "nợ", "lương", "kiếm", "lừa")
_MONEY_VERB_FILLERS = ("được", "mất", "hết", "về", "ra", "tổng cộng", "hợp nhất", "ròng", "trước thuế", "sau thuế",
                       "khoảng", "chừng", "gần", "hơn", "tới", "lên tới", "là", "bình quân", "trung bình", "tất cả")


def _money_verb_pattern(verbs, fillers) -> re.Pattern:
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt(verbs)})(?: (?:{alt(fillers)})){{0,3}} (?:bao nhiêu|mấy)(?!\w)")


_MONEY_VERB_TONED = _money_verb_pattern(_MONEY_VERBS_FOLDED_TOO + _MONEY_VERBS_TONED_ONLY, _MONEY_VERB_FILLERS)
_MONEY_VERB_FOLDED = re.compile(fold_accents(_money_verb_pattern(_MONEY_VERBS_FOLDED_TOO, _MONEY_VERB_FILLERS).pattern))
# "giá bao nhiêu một lít", "bao nhiêu mỗi cổ phần": a price per unit, the unit is no counted noun
_PER_UNIT_ASKED = re.compile(r"(?<!\w)(?:bao nhieu|may)(?: tien)? (?:mot|moi) \w")
# Words that introduce the counted noun: "bao nhiêu <tài khoản>", "số <thôn>", "tỷ lệ <hộ gia đình>".
# In order of trust: the noun after "bao nhiêu"/"mấy", then after "tỷ lệ"/"số lượng"…, then a
# question that opens with "số" ("Số cơ sở dữ liệu tăng …"); "số" elsewhere is mostly part of a
# word ("chỉ số", "cơ sở", "kinh tế số").
# Written with marks for questions that have them ("Nhà máy … bao nhiêu tấn": "máy" is no "mấy"),
# folded for those typed without.
_TARGET_INTROS_TONED = (
    re.compile(r"(?:bao nhiêu|(?<!\w)mấy)(?: phần trăm)?\s+(.+)"),
    re.compile(r"(?:số lượng|tổng số|tỷ lệ|tỉ lệ|tỷ trọng|phần trăm)\s+(.+)"),
    re.compile(r"(?:^|[,;:])\W*số\s+(?!với\b)(.+)"),
)
_TARGET_INTROS = tuple(re.compile(fold_accents(p.pattern)) for p in _TARGET_INTROS_TONED)
# Words that end the counted noun (verbs, prepositions), accented; folded forms are used only
# for questions typed without tone marks ("có" ends it, "cơ" in "cơ sở" does not).
_TARGET_STOPS = frozenset(normalize(w) for w in """
    đã được có là đạt năm trong của cho ở trên với và hiện từ đến khi sau trước vào sẽ đang thì
    tăng giảm mấy""".split())
_FOLDED_TARGET_STOPS = frozenset(fold_accents(w) for w in _TARGET_STOPS)
# ... and for accented questions only: folded, these are also "vé", "đề" (án), "chùa", "nhân" (viên)
_TARGET_STOPS |= frozenset(normalize(w) for w in "về để chưa nhận".split())
_BASELINE = re.compile(r"(?<!\w)so voi(?: cung ky)?(?: (?:cuoi|dau|het))?\s*$")
# "tăng bao nhiêu", "tăng trưởng …": the answer is the figure right after "tăng" in the text
# (matched with its marks where the question has them: "tầng", "tặng" are other words)
_CHANGE_VERB_TONED = re.compile(r"(?<!\w)(tăng|giảm)(?: thêm)? (?:bao nhiêu|mấy|lên)|(?<!\w)(tăng|giảm) trưởng")
# ... and for questions typed without marks, where "tặng bao nhiêu" (donated) also reads so
_CHANGE_VERB = re.compile(fold_accents(_CHANGE_VERB_TONED.pattern))


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
    currency: str | None = None  # "USD" for "bao nhiêu tỷ USD"
    # for a question typed with tone marks: folded term → the accented forms it was typed in, so
    # that "nền tảng" is not found in "nền kinh tế … tăng" (all "nen", "tang" once folded)
    accents: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.dates if d.year)


@lru_cache(maxsize=4096)
def whole_word(pattern: str) -> re.Pattern:
    """``pattern`` as whole words, compiled once: the cue lists are searched for every question."""
    return re.compile(r"(?<!\w)" + pattern + r"(?!\w)")


def _has_cue(folded: str, cues: tuple[str, ...]) -> bool:
    """Whether the folded question holds any of these cue phrases as whole words."""
    return any(whole_word(c).search(folded) for c in cues)


def _expected_kind(question: str, folded: str, target: tuple[str, ...] = (), money_noun: bool = False) -> str | None:
    """The kind of figure asked for. ``target`` is the counted noun when it is not money, and
    ``money_noun`` says the counted noun was money ("bao nhiêu tỉ yên": a money question).
    "Bao nhiêu người … nhận tiền" counts people: a money word outside the counted noun does not
    make it a money question; a price asked per unit ("giá bao nhiêu một lít") does."""
    accented_q = normalize(question)
    if not target and not money_noun and _rate_asked(accented_q, folded, has_tone_marks(question)):
        return "percent"
    for kind, cues in KIND_CUES.items():
        if kind == "money":
            if money_noun or _WORTH_ASKED.search(folded):
                return kind
            price = _PRICE.search(accented_q) or (not has_tone_marks(question) and _FOLDED_PRICE.search(folded))
            verb = (_MONEY_VERB_TONED.search(accented_q) if has_tone_marks(question)
                    else _MONEY_VERB_FOLDED.search(folded))
            if (price or verb) and (not target or _PER_UNIT_ASKED.search(folded)):
                return kind
            if target:
                continue
        for cue in cues:
            if whole_word(re.escape(cue)).search(accented_q):
                return kind
            folded_cue = fold_accents(cue)
            if (not has_tone_marks(question) and folded_cue not in _AMBIGUOUS_FOLDED_CUES
                    and whole_word(re.escape(folded_cue)).search(folded)):
                return kind
    return None


def _rate_asked(accented_q: str, folded: str, toned: bool) -> bool:
    """Does the question ask for a rate word's figure (see ``_RATE_WORDS_TONED``)? Only when the
    rate word and the asking word share a clause: "Sau khi FED hạ lãi suất, giá vàng mất bao
    nhiêu?" asks for a price. ``accented_q`` and ``folded`` are the normalised question and its
    folded form (one character for one)."""
    rate = (_RATE_WORDS_TONED if toned else _RATE_WORDS).search(accented_q if toned else folded)
    if rate is None:
        return False
    asking = list(_ASKING.finditer(folded))
    if not asking:
        return True  # a keyword query: "lai suat vietcombank"
    nearest = min(asking, key=lambda m: abs(m.start() - rate.start()))
    between = folded[min(rate.end(), nearest.end()):max(rate.start(), nearest.start())]
    return _CLAUSE_BREAK.search(between) is None


_CLAUSE_BREAK = re.compile(r"[,;:]|(?<!\w)thi(?!\w)")
_RATE_HEADS = frozenset(map(fold_accents, _RATE_NAMES))


_FOLDED_PER = frozenset(fold_accents(w) for w in PER_WORDS)


def _says_per(word: str, after: str, accented: bool) -> bool:
    """Is ``word`` "per" before a unit ("mỗi giờ", "một ngày")? Typed without marks, "moi" is also
    "mới" (new), so only before a unit of measure."""
    if accented:
        return word in PER_WORDS
    return word in _FOLDED_PER and fold_accents(after) in MEASURE_UNITS


def _target(topic: str, accented: bool) -> tuple[str, ...]:
    """The counted noun, folded: words after "bao nhiêu"/"mấy"/"số"/"tỷ lệ", up to a verb or
    preposition. ``topic`` is the normalised question; cues and stop words are matched with their
    marks when it has them, folded when it has none (folding is one character for one, so offsets
    carry over between the two forms)."""
    folded_topic = fold_accents(topic)
    stops = _TARGET_STOPS if accented else _FOLDED_TARGET_STOPS
    for pattern in (_TARGET_INTROS_TONED if accented else _TARGET_INTROS):
        for m in pattern.finditer(topic if accented else folded_topic):
            words = []
            # "bao nhiêu", "so với" end the noun ("số xã … là bao nhiêu"); "bao" alone does not
            # ("thuê bao")
            rest = re.split(r"(?<!\w)(?:bao nhieu|so voi)(?!\w)", folded_topic[m.start(1):m.end(1)])[0]
            found = TOKEN.findall(topic[m.start(1):m.start(1) + len(rest)])
            for i, w in enumerate(found):
                if w in stops or any(ch.isdigit() for ch in w):
                    break
                if _says_per(w, found[i + 1] if i + 1 < len(found) else "", accented):
                    continue  # "km mỗi giờ" counts km a giờ: the unit stays, "mỗi" names nothing
                words.append(fold_accents(w))
                if len(words) == 4:
                    break
            if words:
                return tuple(dict.fromkeys(words))
    return ()


@lru_cache(maxsize=1024)
def profile_question(question: str) -> QuestionProfile:
    """Read a question once; the answer picker scores every candidate figure against this.
    Cached: the service reads a question while it is encoded (``Reader.prepare``), then again
    when its passages are there."""
    folded = fold_accents(normalize(question))
    words = set(TOKEN.findall(folded))
    is_quantity = _has_cue(folded, QUANTITY_CUES)
    # "mấy" asks for a count; folded it is also "máy" (machine), so only trust the folded form
    # when the question carries no tone marks at all.
    says_may = re.search(r"(?<!\w)mấy(?!\w)", question.lower()) is not None
    if says_may or ("may" in words and not has_tone_marks(question)):
        is_quantity = True
    asks_when = _has_cue(folded, WHEN_CUES) and not _has_cue(folded, ("tai sao", "vi sao", "nhu the nao"))
    if is_quantity and not (says_may or _has_cue(folded, ("bao nhieu",))) and _has_cue(folded, WHY_WHEN_CUES):
        is_quantity = False
    if asks_when:
        is_quantity = True  # answered with a date from the text
    if not is_quantity:
        # keyword queries ("mat do dien thoai Bac Kan") ask for the figure unless they are
        # who/what/where/why questions
        is_quantity = not _has_cue(folded, NON_QUANTITY_CUES)
    # dates in the question constrain *when*; they are not topic words
    # "tăng bao nhiêu so với năm 2023": 2023 is the baseline, not the time asked about; the
    # whole baseline phrase is dropped from the topic, the other dates only constrain *when*
    dates, blank = [], []
    for d in find_dates(question):
        baseline = _BASELINE.search(fold_accents(question[:d.start].lower()))
        if baseline:
            blank.append((baseline.start(), d.end))
        else:
            dates.append(d)
            blank.append((d.start, d.end))
    dates = tuple(dates)
    if len(folded) == len(question):
        # the when/how-long words say what kind of answer, not what it is about
        for cue in WHEN_CUES + ("bao lau",):
            for m in whole_word(cue).finditer(folded):
                blank.append((m.start(), m.end()))
    topic = question
    for start, end in sorted(blank, reverse=True):
        topic = topic[:start] + " " * (end - start) + topic[end:]
    accented = has_tone_marks(question)
    terms = []
    accents: dict[str, set[str]] = {}
    for tok in TOKEN.findall(normalize(topic)):
        if accented:
            accents.setdefault(fold_accents(tok), set()).add(tok)
        if tok in STOPWORDS or (not accented and tok in FOLDED_STOPWORDS):
            continue
        terms.append(fold_accents(tok))
    change = _CHANGE_VERB_TONED.search(normalize(question)) if accented else _CHANGE_VERB.search(folded)
    change_verb = fold_accents(change.group(1) or change.group(2)) if change else None
    target = _target(normalize(topic), accented)
    money_noun = _is_money_noun(target)
    if money_noun or " ".join(target[:2]) in _RATE_HEADS:
        target = ()  # "bao nhiêu kinh phí", "bao nhiêu thị phần": the kind says it; figures name no such noun
    return QuestionProfile(
        text=question,
        terms=tuple(dict.fromkeys(terms)),
        target=target,
        is_quantity=is_quantity,
        expected_kind=("date" if asks_when else "duration" if _DURATION_ASKED.search(folded)
                       else _expected_kind(question, folded, target, money_noun)),
        places=frozenset(places_in(question)),
        national=mentions_national(question),
        dates=dates,
        change_verb=change_verb,
        currency=currency_asked(question),
        # a word typed without any diacritic ("chip", "online") may be written with one in the text
        accents={t: frozenset(forms) for t, forms in accents.items() if t not in forms},
    )
