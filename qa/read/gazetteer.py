"""A gazetteer of Vietnam's places: which province, region or the whole country a text is about.

A figure only answers a question about the place it was reported for: a provincial GRDP does
not answer a question about the country, nor a national total one about Hà Nội. To compare
them we need to recognise places the way news writes them: "TP.HCM", "TP . HCM" in tokenised
VietNews text, "Hà_Nội" with word-segmentation underscores, "Hoà Bình" and "Hòa Bình", NFD text
from some pipelines, questions typed without tone marks ("dan so ha noi").

The data are the 63 provinces and centrally-run cities of 2008–2025 (before the 2025 merger),
the 6 socio-economic regions, the three broad regions (miền Bắc/Trung/Nam), two sub-regions of
the central coast, and the words that mean "the whole country".

How matching works: the text is normalised (NFC, one tone-mark convention, lower case) with a
map from every normalised character back to the original, split into word tokens, and the
tokens are walked through a trie of alias tokens keyed by their accent-folded form. A token
matches an alias token if it is equal with its marks, or if it carries no marks at all (typed
without accents), so "Huệ" never becomes "Huế" but "hue" does. Tokens may be joined only by
spaces, hyphens, dashes and underscores, or by a dot after "TP"; a comma ends a name. Longest
matches win, then the leftmost. Phrases such as "Thái Bình Dương" or "Chủ tịch Hồ Chí Minh"
are matched as blockers so the place inside them is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from qa.lexicon import compose_clusters, fold_accents, lower_each, normalize, normalize_tone_marks


@dataclass(frozen=True)
class Place:
    """A province, a region (a set of provinces) or the whole country."""

    id: str  # "ha-noi", a region id such as "dbscl", or "viet-nam" for national scope
    name: str  # display name
    level: str  # "province" | "region" | "national"
    provinces: frozenset[str]  # a province: {id}; a region: its members; national: all 63


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text, with offsets into the text exactly as it was passed in."""

    place: Place
    start: int
    end: int
    text: str


# ----------------------------------------------------------------------------------------------
# Data: facts of the country, not of any article.

# (id, display name, aliases). The six socio-economic regions partition the 63 provinces.
_SOCIO_ECONOMIC_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("trung-du-mien-nui-phia-bac", "Trung du và miền núi phía Bắc",
     ("Trung du và miền núi phía Bắc", "Trung du miền núi phía Bắc", "Trung du và miền núi Bắc Bộ",
      "Trung du miền núi Bắc Bộ", "miền núi phía Bắc")),
    ("dbsh", "Đồng bằng sông Hồng", ("Đồng bằng sông Hồng", "ĐBSH", "đồng bằng Bắc Bộ")),
    ("bac-trung-bo-duyen-hai-mien-trung", "Bắc Trung Bộ và duyên hải miền Trung",
     ("Bắc Trung Bộ và duyên hải miền Trung", "Bắc Trung Bộ và duyên hải Trung Bộ", "duyên hải miền Trung")),
    ("tay-nguyen", "Tây Nguyên", ("Tây Nguyên",)),
    ("dong-nam-bo", "Đông Nam Bộ", ("Đông Nam Bộ", "miền Đông Nam Bộ")),
    ("dbscl", "Đồng bằng sông Cửu Long",
     ("Đồng bằng sông Cửu Long", "ĐBSCL", "miền Tây", "miền Tây Nam Bộ", "Tây Nam Bộ")),
)
SOCIO_ECONOMIC_REGIONS: tuple[str, ...] = tuple(row[0] for row in _SOCIO_ECONOMIC_TABLE)

# (display name, socio-economic region id, extra aliases). The display name is always an alias,
# and every alias is also accepted after "tỉnh", "thành phố", "TP" or "TP.".
_PROVINCE_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Hà Giang", "trung-du-mien-nui-phia-bac", ()),
    ("Cao Bằng", "trung-du-mien-nui-phia-bac", ()),
    ("Bắc Kạn", "trung-du-mien-nui-phia-bac", ("Bắc Cạn",)),
    ("Tuyên Quang", "trung-du-mien-nui-phia-bac", ()),
    ("Lào Cai", "trung-du-mien-nui-phia-bac", ()),
    ("Yên Bái", "trung-du-mien-nui-phia-bac", ()),
    ("Thái Nguyên", "trung-du-mien-nui-phia-bac", ()),
    ("Lạng Sơn", "trung-du-mien-nui-phia-bac", ()),
    ("Bắc Giang", "trung-du-mien-nui-phia-bac", ()),
    ("Phú Thọ", "trung-du-mien-nui-phia-bac", ()),
    ("Điện Biên", "trung-du-mien-nui-phia-bac", ()),
    ("Lai Châu", "trung-du-mien-nui-phia-bac", ()),
    ("Sơn La", "trung-du-mien-nui-phia-bac", ()),
    ("Hòa Bình", "trung-du-mien-nui-phia-bac", ()),
    ("Hà Nội", "dbsh", ("Hanoi",)),
    ("Vĩnh Phúc", "dbsh", ()),
    ("Bắc Ninh", "dbsh", ()),
    ("Quảng Ninh", "dbsh", ()),
    ("Hải Dương", "dbsh", ()),
    ("Hải Phòng", "dbsh", ()),
    ("Hưng Yên", "dbsh", ()),
    ("Thái Bình", "dbsh", ()),
    ("Hà Nam", "dbsh", ()),
    ("Nam Định", "dbsh", ()),
    ("Ninh Bình", "dbsh", ()),
    ("Thanh Hóa", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Nghệ An", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Hà Tĩnh", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Quảng Bình", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Quảng Trị", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Thừa Thiên Huế", "bac-trung-bo-duyen-hai-mien-trung", ("Huế",)),
    ("Đà Nẵng", "bac-trung-bo-duyen-hai-mien-trung", ("Danang",)),
    ("Quảng Nam", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Quảng Ngãi", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Bình Định", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Phú Yên", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Khánh Hòa", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Ninh Thuận", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Bình Thuận", "bac-trung-bo-duyen-hai-mien-trung", ()),
    ("Kon Tum", "tay-nguyen", ("Kontum",)),
    ("Gia Lai", "tay-nguyen", ()),
    ("Đắk Lắk", "tay-nguyen", ("Đắc Lắc", "Đắk Lăk", "Đăk Lăk", "Đăk Lắk", "Daklak")),
    ("Đắk Nông", "tay-nguyen", ("Đăk Nông", "Đắc Nông", "Daknong")),
    ("Lâm Đồng", "tay-nguyen", ()),
    ("Bình Phước", "dong-nam-bo", ()),
    ("Tây Ninh", "dong-nam-bo", ()),
    ("Bình Dương", "dong-nam-bo", ()),
    ("Đồng Nai", "dong-nam-bo", ()),
    ("Bà Rịa - Vũng Tàu", "dong-nam-bo", ("BR-VT", "BRVT", "Vũng Tàu")),
    ("TP Hồ Chí Minh", "dong-nam-bo",
     ("Hồ Chí Minh", "HCM", "TPHCM", "HCMC", "Sài Gòn", "Saigon", "Sài Gòn - Gia Định")),
    ("Long An", "dbscl", ()),
    ("Tiền Giang", "dbscl", ()),
    ("Bến Tre", "dbscl", ()),
    ("Trà Vinh", "dbscl", ()),
    ("Vĩnh Long", "dbscl", ()),
    ("Đồng Tháp", "dbscl", ()),
    ("An Giang", "dbscl", ()),
    ("Kiên Giang", "dbscl", ()),
    ("Cần Thơ", "dbscl", ()),
    ("Hậu Giang", "dbscl", ()),
    ("Sóc Trăng", "dbscl", ()),
    ("Bạc Liêu", "dbscl", ()),
    ("Cà Mau", "dbscl", ()),
)

# Province names that are also ordinary words ("hòa bình" = peace, "hải dương" = ocean, "cao
# bằng" = as tall as, "bình định" = to pacify). In text with any capital letter they are
# only taken when every syllable is capitalised (or after "tỉnh"/"thành phố"/"TP").
_COMMON_WORD_NAMES = frozenset({"hoa-binh", "thai-binh", "binh-dinh", "cao-bang", "long-an", "hai-duong"})

_PROVINCE_PREFIXES = ("tỉnh", "thành phố", "TP")
_REGION_PREFIXES = ("vùng", "khu vực")

# Broad regions and sub-regions: (id, display name, member regions or provinces, aliases).
# "miền Trung" follows the three-part division of the country, so it includes Tây Nguyên.
_OTHER_REGION_TABLE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("mien-bac", "Miền Bắc", ("trung-du-mien-nui-phia-bac", "dbsh"), ("miền Bắc", "Bắc Bộ")),
    ("mien-trung", "Miền Trung", ("bac-trung-bo-duyen-hai-mien-trung", "tay-nguyen"), ("miền Trung", "Trung Bộ")),
    ("mien-nam", "Miền Nam", ("dong-nam-bo", "dbscl"), ("miền Nam", "Nam Bộ")),
    ("bac-trung-bo", "Bắc Trung Bộ",
     ("thanh-hoa", "nghe-an", "ha-tinh", "quang-binh", "quang-tri", "thua-thien-hue"), ("Bắc Trung Bộ",)),
    ("duyen-hai-nam-trung-bo", "Duyên hải Nam Trung Bộ",
     ("da-nang", "quang-nam", "quang-ngai", "binh-dinh", "phu-yen", "khanh-hoa", "ninh-thuan", "binh-thuan"),
     ("Duyên hải Nam Trung Bộ", "Nam Trung Bộ")),
)

_NATIONAL_ALIASES = ("cả nước", "trên cả nước", "trong cả nước", "toàn quốc", "trên toàn quốc",
                     "Việt Nam", "nước ta", "trong nước")
_NATIONAL_CASED_ALIASES = ("VN",)  # an abbreviation: only as written in capitals (or all-lowercase text)

# Longer proper nouns that contain a place name but are something else: matched, then dropped.
_BLOCKERS = (
    "Thái Bình Dương",  # the Pacific Ocean
    "Chủ tịch Hồ Chí Minh", "Bác Hồ Chí Minh", "tư tưởng Hồ Chí Minh", "Cộng sản Hồ Chí Minh",
    "đường Hồ Chí Minh", "Giải thưởng Hồ Chí Minh", "Huân chương Hồ Chí Minh", "Bảo tàng Hồ Chí Minh",
    "Chính trị quốc gia Hồ Chí Minh", "Sài Gòn Thương Tín", "xa lộ Hà Nội", "phố Huế",
)

# ----------------------------------------------------------------------------------------------
# Tables built from the data.

_TOKEN = re.compile(r"[^\W_]+")
_SOFT_GAP = re.compile(r"[\s_\-\u2010-\u2015]*")  # what may separate the syllables of one name
_DOT_GAP = re.compile(r"\s*\.\s*")
_DOT_AFTER = frozenset({"tp"})  # "TP.HCM", "TP . HCM"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_accents(normalize(name))).strip("-")


def _build_places() -> tuple[dict[str, Place], dict[str, Place]]:
    provinces = {}
    for name, _region, _aliases in _PROVINCE_TABLE:
        pid = _slug(name)
        provinces[pid] = Place(pid, name, "province", frozenset({pid}))
    regions = {}
    for rid, name, _aliases in _SOCIO_ECONOMIC_TABLE:
        members = frozenset(_slug(n) for n, region, _a in _PROVINCE_TABLE if region == rid)
        regions[rid] = Place(rid, name, "region", members)
    for rid, name, parts, _aliases in _OTHER_REGION_TABLE:
        members = frozenset().union(*(regions[p].provinces if p in regions else provinces[p].provinces
                                      for p in parts))
        regions[rid] = Place(rid, name, "region", members)
    return provinces, regions


PROVINCES: dict[str, Place]
REGIONS: dict[str, Place]
PROVINCES, REGIONS = _build_places()
NATIONAL = Place("viet-nam", "Việt Nam", "national", frozenset(PROVINCES))

_ALL: dict[str, Place] = {**PROVINCES, **REGIONS, NATIONAL.id: NATIONAL}


@dataclass(frozen=True)
class _Alias:
    tokens: tuple[str, ...]  # normalised tokens, with marks
    place: Place | None  # None: a blocker
    title_case: bool  # in cased text, every syllable must start with a capital


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    aliases: list[_Alias] = field(default_factory=list)


_TRIE = _Node()


def _add(phrase: str, place: Place | None, title_case: bool = False) -> None:
    tokens = tuple(_TOKEN.findall(normalize(phrase)))
    node = _TRIE
    for tok in tokens:
        node = node.children.setdefault(fold_accents(tok), _Node())
    alias = _Alias(tokens, place, title_case)
    if alias not in node.aliases:
        node.aliases.append(alias)


def _build_trie() -> None:
    for name, _region, aliases in _PROVINCE_TABLE:
        place = PROVINCES[_slug(name)]
        for alias in (name, *aliases):
            _add(alias, place, title_case=place.id in _COMMON_WORD_NAMES)
            for prefix in _PROVINCE_PREFIXES:
                _add(f"{prefix} {alias}", place)
    region_aliases = [(rid, aliases) for rid, _n, aliases in _SOCIO_ECONOMIC_TABLE]
    region_aliases += [(rid, aliases) for rid, _n, _p, aliases in _OTHER_REGION_TABLE]
    for rid, aliases in region_aliases:
        for alias in aliases:
            for prefix in ("", *_REGION_PREFIXES):
                _add(f"{prefix} {alias}", REGIONS[rid])
    for alias in _NATIONAL_ALIASES:
        _add(alias, NATIONAL)
    for alias in _NATIONAL_CASED_ALIASES:
        _add(alias, NATIONAL, title_case=True)
    for alias in _BLOCKERS:
        _add(alias, None)


_build_trie()


# ----------------------------------------------------------------------------------------------
# Matching.

class _Token(NamedTuple):
    """One word of a text being searched (a tuple: every word of every sentence makes one)."""

    acc: str  # normalised, with marks
    fold: str  # accent-folded
    start: int  # offsets into the original text
    end: int
    marked: bool  # carries a diacritic (so it must match the alias with its marks)
    capital: bool  # starts with a capital letter in the original


def _matching_form(text: str) -> tuple[str, list[int], list[int]]:
    """Normalised text plus, for each of its characters, the original span it came from.

    Composes each base letter with its combining marks separately, so NFD input maps back
    exactly; the tone-mark move and lower-casing are one character for one character.
    """
    composed, starts, ends = compose_clusters(text)
    moved = normalize_tone_marks(composed)
    if len(moved) != len(composed):  # never for Vietnamese; keep offsets right regardless
        moved = composed
    return lower_each(moved), starts, ends


def _tokenize(text: str) -> tuple[list[_Token], list[bool]]:
    """Tokens of ``text`` and, between each token and the next, whether one name may span the gap."""
    norm, starts, ends = _matching_form(text)
    folded = fold_accents(norm)
    tokens: list[_Token] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(norm):
        s, e = m.span()
        acc, fold = m.group(), folded[s:e]
        tokens.append(_Token(acc, fold, starts[s], ends[e - 1], acc != fold, text[starts[s]].isupper()))
        spans.append((s, e))
    soft = []
    for k in range(len(tokens) - 1):
        gap = norm[spans[k][1]:spans[k + 1][0]]
        # one space, the usual gap, is soft: spare the pattern
        soft.append(gap == " " or bool(_SOFT_GAP.fullmatch(gap)
                                       or (tokens[k].acc in _DOT_AFTER and _DOT_GAP.fullmatch(gap))))
    return tokens, soft


def _accepts(alias: _Alias, span: list[_Token], cased: bool) -> bool:
    # the folded tokens already agree (trie path); a token with marks must agree with its marks
    if any(t.marked and t.acc != a for t, a in zip(span, alias.tokens)):
        return False
    return not (alias.title_case and cased and not all(t.capital for t in span))


def find_places(text: str) -> list[PlaceMention]:
    """Places named in ``text``, non-overlapping (longest match first), in text order."""
    tokens, soft = _tokenize(text)
    # Text with any capital letter is taken to capitalise proper nouns; all-lowercase text
    # (a question typed quickly) gives no such evidence.
    cased = any(t.capital for t in tokens)
    candidates: list[tuple[int, int, _Alias]] = []
    for i, tok in enumerate(tokens):
        node = _TRIE.children.get(tok.fold)
        j = i
        while node is not None:
            candidates.extend((i, j + 1, a) for a in node.aliases if _accepts(a, tokens[i:j + 1], cased))
            if j + 1 >= len(tokens) or not soft[j]:
                break
            j += 1
            node = node.children.get(tokens[j].fold)
    candidates.sort(key=lambda c: (c[0] - c[1], tokens[c[0]].start - tokens[c[1] - 1].end, c[0]))
    taken = [False] * len(tokens)
    chosen: list[tuple[int, int, _Alias]] = []
    for i, j, alias in candidates:
        if not any(taken[i:j]):
            taken[i:j] = [True] * (j - i)
            chosen.append((i, j, alias))
    chosen.sort(key=lambda c: c[0])
    mentions = []
    for k, (i, j, alias) in enumerate(chosen):
        place = alias.place
        if place is None:
            continue
        # "miền Tây Nghệ An" is the west of Nghệ An, not the Mekong delta: a region directly
        # followed by a province outside it is a compass word for that province.
        if place.level == "region" and k + 1 < len(chosen):
            ni, _nj, nxt = chosen[k + 1]
            if (ni == j and soft[j - 1] and nxt.place is not None and nxt.place.level == "province"
                    and not nxt.place.provinces <= place.provinces):
                continue
        start, end = tokens[i].start, tokens[j - 1].end
        mentions.append(PlaceMention(place, start, end, text[start:end]))
    return mentions


def place_ids(text: str) -> frozenset[str]:
    """Ids of every place named in ``text`` (province, region or ``viet-nam``)."""
    return frozenset(m.place.id for m in find_places(text))


def covers(asked: Place, given: Place) -> bool:
    """Whether a figure reported for ``given`` answers a question about ``asked``.

    Only the same place does: a national or regional total says nothing about one province,
    and one province's figure is not the total of its region.
    """
    return asked.id == given.id or (asked.level == given.level and asked.provinces == given.provinces)


def get_place(place_id: str) -> Place:
    """The province, region or national place with this id (KeyError when unknown)."""
    try:
        return _ALL[place_id]
    except KeyError:
        raise KeyError(f"unknown place id {place_id!r}") from None
