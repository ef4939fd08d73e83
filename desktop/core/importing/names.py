"""Splitting a whole name held in one column into surname, given name and patronymic.

The rules (what organisers' lists in Kazakhstan and the region actually hold):

* A name in Cyrillic is read in the order of Russian and Kazakh documents,
  "Surname Given Patronymic": "Иванов Иван Иванович", "Сәрсенбаева Айгүл Нұрланқызы".
  A Kazakh or Turkic patronymic written as two words ("Серік ұлы", "Нұрлан қызы",
  "Мамед оглы") stays one patronymic; a fourth word and beyond joins the patronymic.
  Initials written together ("Иванов И.И.") become the given name "И." and patronymic "И.".
* A name in Latin letters is read as written in passports and in English lists:
    - "Surname, Given" when there is a comma;
    - the word in CAPITALS is the surname when exactly one word is ("ZHIENBAYEV Yerzhan",
      "John SMITH");
    - "Surname Given Patronymic" when the last word is a transliterated patronymic
      ("Ivanov Ivan Ivanovich", "Nurlanovna", "Serikuly");
    - otherwise "Given [Middle] Surname" ("John Smith", "Mary Ann Jones"), with the particles
      of a surname kept with it ("Ludwig van Beethoven", "Charles de Gaulle").
* A single word is taken as the surname.

A column whose header says "Имя Фамилия" / "First and last name" is read given name first
(the field ``full_name_given_first``); the wizard and ``--map`` can choose it for any column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TURKIC_PATRONYMIC_WORDS = frozenset({
    "ұлы", "улы", "қызы", "кызы", "оглы", "оглу", "кизи", "гызы", "uly", "kyzy", "ogly",
    "ugli", "qizi", "kizi",
})
_LATIN_PATRONYMIC_ENDINGS = (
    "ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ivna", "uly", "kyzy", "ogly",
    "ugli", "qizi",
)
_SURNAME_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "bin",
    "ibn", "al", "el", "dos", "das", "ter", "ten", "zu", "st.",
})


@dataclass(frozen=True)
class NameParts:
    family: str
    given: str
    patronymic: str


def _initials(word: str) -> list[str] | None:
    """"И.И." → ["И.", "И."]; None when the word is not initials written together."""
    parts = [p for p in word.split(".") if p]
    if len(parts) >= 2 and word.endswith(".") and all(len(p) == 1 and p.isalpha() for p in parts):
        return [p + "." for p in parts]
    return None


def _is_capitals(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def split_full_name(value: str, *, given_first: bool = False) -> NameParts:
    """Split one cell holding a whole name (see the module's rules)."""
    words = value.split()
    if "," in value:
        head, _, tail = " ".join(words).partition(",")
        head, tail = head.strip(), " ".join(tail.replace(",", " ").split())
        if head and tail:
            rest = tail.split()
            return NameParts(head, rest[0], " ".join(rest[1:]))
        words = (head or tail).split()
    n = len(words)
    if n == 0:
        return NameParts("", "", "")
    if n == 1:
        return NameParts(words[0], "", "")
    if given_first:
        return NameParts(words[-1], " ".join(words[:-1]), "")
    if _CYRILLIC.search(value):
        if n >= 3 and words[-1].casefold() in _TURKIC_PATRONYMIC_WORDS:
            if n > 3:
                return NameParts(words[0], " ".join(words[1:-2]), " ".join(words[-2:]))
            return NameParts(words[0], words[1], words[2])
        if n == 2:
            initials = _initials(words[1])
            if initials:
                return NameParts(words[0], initials[0], " ".join(initials[1:]))
            return NameParts(words[0], words[1], "")
        return NameParts(words[0], words[1], " ".join(words[2:]))
    capitals = [i for i, w in enumerate(words) if _is_capitals(w)]
    if len(capitals) == 1:
        i = capitals[0]
        return NameParts(words[i], " ".join(words[:i] + words[i + 1:]), "")
    last = words[-1].casefold()
    if n >= 3 and (last.endswith(_LATIN_PATRONYMIC_ENDINGS) or last in _TURKIC_PATRONYMIC_WORDS):
        if last in _TURKIC_PATRONYMIC_WORDS and n >= 4:
            return NameParts(words[0], " ".join(words[1:-2]), " ".join(words[-2:]))
        return NameParts(words[0], words[1], " ".join(words[2:]))
    start = n - 1
    while start > 1 and words[start - 1].casefold() in _SURNAME_PARTICLES:
        start -= 1
    return NameParts(" ".join(words[start:]), " ".join(words[:start]), "")
