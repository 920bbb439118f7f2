"""Abbreviations the corpus defines for itself: "cơ sở dữ liệu (CSDL)", "thủ tục hành chính (TTHC)".

Government reports introduce an abbreviation once and use it afterwards, so a question that says
"cơ sở dữ liệu" must match a sentence that says "CSDL" and vice versa. Rather than a hand-made
list, we learn the pairs from the text: a parenthesised upper-case token whose letters are the
initials of the words just before it. A handful of nationwide abbreviations that reports use
without ever spelling out ("BHXH", "UBND", "GDP") are known in advance; the corpus's own
definitions take precedence.
"""

from __future__ import annotations

import re

from qa.lexicon import fold_accents, normalize

_DEFINITION = re.compile(r"((?:[^\W\d_]+[\s-]+){1,8})\(([A-ZĐ][A-ZĐ&]{1,7})\)")


# Abbreviations used across Vietnamese administrative writing, folded, with their long forms.
STANDARD_ALIASES: dict[str, tuple[str, ...]] = {
    abbr: tuple(long.split()) for abbr, long in {
        "bhxh": "bao hiem xa hoi",
        "bhyt": "bao hiem y te",
        "ubnd": "uy ban nhan dan",
        "hdnd": "hoi dong nhan dan",
        "gdp": "tong san pham quoc noi",
        "cntt": "cong nghe thong tin",
        "tmdt": "thuong mai dien tu",
        "dvc": "dich vu cong",
        "dvctt": "dich vu cong truc tuyen",
        "cds": "chuyen doi so",
    }.items()
}


def _initials(words: list[str]) -> str:
    return "".join(fold_accents(w)[0].upper() for w in words if w)


def learn_aliases(texts) -> dict[str, tuple[str, ...]]:
    """Folded abbreviation → folded words of its long form, e.g. ``csdl`` → (co, so, du, lieu)."""
    aliases: dict[str, tuple[str, ...]] = dict(STANDARD_ALIASES)
    for text in texts:
        for m in _DEFINITION.finditer(text):
            abbr = m.group(2)
            letters = fold_accents(abbr).replace("&", "").upper()
            words = re.findall(r"[^\W\d_]+", m.group(1))
            # the long form is the shortest tail of the preceding words whose initials spell it
            for n in range(len(letters), min(len(words), len(letters) + 2) + 1):
                tail = words[-n:]
                if _initials(tail).replace("V", "") == letters.replace("V", "") or _initials(tail) == letters:
                    aliases[fold_accents(normalize(abbr))] = tuple(fold_accents(normalize(w)) for w in tail)
                    break
    return aliases
