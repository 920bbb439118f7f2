"""Vietnamese provinces and centrally-run cities, for telling provincial figures from national ones.

A question that names a place must be answered from text about that place; a question that
names none is about the whole country, so provincial figures rank below national ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.lexicon import fold_accents, has_tone_marks, normalize, normalize_folded

# The 63 provinces and cities of 2008–2025 (the period the corpus covers), common short forms.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu",
    "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế",
    "Hồ Chí Minh", "TP.HCM", "TPHCM", "Sài Gòn", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
# Words that say "the whole country".
NATIONAL_MARKERS = ("cả nước", "toàn quốc", "quốc gia", "việt nam", "toàn dân")
# Words that say "this province/city" in text about one place.
LOCAL_MARKERS = ("toàn tỉnh", "của tỉnh", "địa bàn tỉnh", "toàn thành phố", "địa bàn thành phố")


def _any_name(names) -> re.Pattern:
    names = sorted(set(names), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


@lru_cache(maxsize=2)
def _patterns(toned: bool) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(provinces, national markers, local markers), written with their marks for text that has
    them (folded, "diễn biến" is "Điện Biên", "Huệ" is "Huế", "đa năng" is "Đà Nẵng"), folded for
    text typed without them."""
    form = normalize if toned else normalize_folded
    return (_any_name(map(form, PROVINCES)), _any_name(map(form, NATIONAL_MARKERS)),
            _any_name(map(form, LOCAL_MARKERS)))


def _matches(text: str, which: int) -> list[str]:
    """The names of pattern ``which`` of :func:`_patterns` in ``text``, as matched. Text with
    marks is matched with them; a whole name typed without any marks inside it ("giá đất ở Ha
    Noi") is read folded, as text typed without marks is. Not a name with some syllables marked:
    "cựu binh Dương Văn Dũng" has no Bình Dương ("binh" is a word of its own)."""
    toned = has_tone_marks(text)
    plain, folded = normalize(text), normalize_folded(text)  # one char for one: the same spans
    found = [m.group(1) for m in _patterns(toned)[which].finditer(plain if toned else folded)]
    if toned:
        found += [m.group(1) for m in _patterns(False)[which].finditer(folded)
                  if plain[m.start():m.end()] == m.group(1)]
    return found


def canonical_place(folded_name: str) -> str:
    """Map short forms to one key (``vung tau`` and ``ba ria - vung tau`` are one province)."""
    aliases = {"tp.hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh",
               "ba ria-vung tau": "ba ria - vung tau", "vung tau": "ba ria - vung tau",
               "hue": "thua thien hue"}
    return aliases.get(folded_name, folded_name)


def places_in(text: str) -> set[str]:
    """Folded, canonical province names mentioned in ``text``."""
    return {canonical_place(fold_accents(name)) for name in _matches(text, 0)}


def mentions_national(text: str) -> bool:
    return bool(_matches(text, 1))


def mentions_local(text: str) -> bool:
    return bool(_matches(text, 2))
