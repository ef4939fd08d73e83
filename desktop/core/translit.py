"""Cyrillic (Russian and Kazakh) to Latin, for e-mail addresses, file names and search.

A practical romanisation close to the one Kazakh passports use ("Жиенбаев" → "Zhienbaev");
it is for matching and machine-safe names, not for printing a person's official spelling.
"""

from __future__ import annotations

_TABLE: dict[str, str] = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "k",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}


def to_latin(value: str) -> str:
    """Romanise Cyrillic letters; other characters pass through, case is kept."""
    out = []
    for ch in value:
        low = ch.lower()
        latin = _TABLE.get(low)
        if latin is None:
            out.append(ch)
        elif ch != low and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def ascii_slug(value: str) -> str:
    """Lower-case ASCII letters and digits only: "Сәрсенбаева" → "sarsenbaeva"."""
    import unicodedata

    latin = unicodedata.normalize("NFKD", to_latin(value))
    return "".join(c for c in latin.lower() if c.isascii() and c.isalnum())
