"""Comparing names the way people read them: ignoring case in every script.

* ``name_key`` — when two organisation names are the same name: case folded (Cyrillic,
  Kazakh and Latin alike: "ҚАЗАҚСТАН" = "Қазақстан"), compatibility forms unified, "ё" as
  "е", quotes of every kind dropped ("«Альфа»" = "\"Альфа\""), spaces collapsed.
* ``search_fold`` / ``matches`` — the roster's search box: a row matches when every typed
  word is found in its text, case folded and without Latin diacritics ("wisniewska" finds
  "Wiśniewska", "сәрс" finds "Сәрсенбаева").
* ``guess_language`` — which of en/ru/kk a name typed by hand is probably in.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = dict.fromkeys(map(ord, "\"'«»“”„‟‘’‚‛`´‹›"), None)
_SPACES = re.compile(r"\s+")
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def name_key(name: str | None) -> str:
    """The form two names are compared in (see the module docstring); "" for no name."""
    text = unicodedata.normalize("NFKC", name or "").translate(_QUOTES)
    text = text.casefold().replace("ё", "е")
    return _SPACES.sub(" ", text).strip(" .,;")


# Combining marks (the blocks that hold them), dropped after decomposition.
_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def search_fold(text: str | None) -> str:
    """Case folded, Latin (and other) combining marks removed, spaces collapsed.

    Letters that are letters of their own in Kazakh (ә, қ, ө, ү…) have no decomposition and
    are kept; "й" and "ё" fold to "и" and "е", which only widens a search.
    """
    value = (text or "").casefold()
    if not value.isascii():
        value = _MARKS.sub("", unicodedata.normalize("NFKD", value))
    return " ".join(value.split())


def search_terms(query: str | None) -> list[str]:
    return search_fold(query).split()


def matches(haystack: str, terms: list[str]) -> bool:
    """Whether every term occurs in ``haystack`` (already folded by ``search_fold``)."""
    return all(term in haystack for term in terms)


def guess_language(text: str | None) -> str:
    """"kk" for text with Kazakh letters, "ru" for other Cyrillic, else "en"."""
    value = text or ""
    if any(ch in _KAZAKH_LETTERS for ch in value):
        return "kk"
    if any("\u0400" <= ch <= "\u04ff" for ch in value):
        return "ru"
    return "en"
