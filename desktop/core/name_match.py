"""What someone meant by a name they typed — the one rule that the desk and the
registration list (and every other search of people) share.

Two slips are common at a registration desk in Kazakhstan, and both are undone here:

* **the wrong keyboard layout**: "Fquthbv" is "Айгерим" typed with the Latin (English)
  layout on, "Зфьудф" is "Pamela" typed with the Russian one on, "c2n,ftd" is "сәтбаев"
  typed with the Kazakh one on (its letters sit on the digit row). ``layout_forms`` gives
  the text as it was meant on each other layout;
* **the other alphabet**: "zhienbayev", "Jienbaev" and "Жиенбаев" are one name, as are
  "sarsenbaeva" and "Сәрсенбаева", "Pamela" and "Памела". ``skeleton`` gives a rough Latin
  sound-spelling that such spellings share; a name matches when each typed word's
  skeleton begins a word of the name's skeleton.

``meaning(typed)`` gathers both: the text as typed, each layout reading of it, and the
skeleton terms of each. The registration list searches them all at once (a union, sorted
as the list is); the desk ranks them (as typed first). Nothing here reads the database:
the skeletons of people are kept in it beside the search index
(``desktop.core.person_keys``).

Skeletons are lower-case ASCII letters and digits, words separated by one space, so a
full-text index stores and finds them as they are. The letters "c", "h", "j", "q" and "w"
stand for the sounds of "ch", "kh", "zh", "ts" and "sh" (the plain letters c, q, w, x and y
of a name become k, k, v, ks and i first). Changing the rules changes every stored
skeleton: a migration must then mark every row of ``person_key`` stale (``settle`` makes
them again).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.translit import to_latin

# == keyboard layouts ==========================================================================

# The character each key gives on the Latin (US) layout and on the Russian (ЙЦУКЕН)
# layout; Kazakh (Windows) is the Russian one with Kazakh letters on the digit row.
_LATIN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./" + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?'
_RUSSIAN_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю." + "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"
_KAZAKH_DIGIT_KEYS = "1234567890-=" + "!@#$%^&*()_+"
_KAZAKH_DIGIT_ROW = "\"әіңғ,.үұқөһ" + "!ӘІҢҒ;:ҮҰҚӨҺ"

LATIN_TO_RUSSIAN = str.maketrans(_LATIN_KEYS, _RUSSIAN_KEYS)
LATIN_TO_KAZAKH = str.maketrans(_LATIN_KEYS + _KAZAKH_DIGIT_KEYS, _RUSSIAN_KEYS + _KAZAKH_DIGIT_ROW)
RUSSIAN_TO_LATIN = str.maketrans(_RUSSIAN_KEYS, _LATIN_KEYS)
KAZAKH_TO_LATIN = str.maketrans(_RUSSIAN_KEYS + _KAZAKH_DIGIT_ROW, _LATIN_KEYS + _KAZAKH_DIGIT_KEYS)
_KAZAKH_ROW_LETTERS = frozenset("әіңғүұқөһӘІҢҒҮҰҚӨҺ")


class Layout(str, enum.Enum):
    """A keyboard layout a text may have been typed on."""

    ENGLISH = "en"  # the Latin (US) layout
    RUSSIAN = "ru"
    KAZAKH = "kk"


def has_cyrillic(value: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in value)


def latin_keys(typed: str) -> str:
    """``typed`` as the Latin keys that were pressed, when it was typed with the Russian or
    Kazakh layout on ("ЕУЫЕ33" → "TEST33", "ә" → "2"); unchanged when it has no Cyrillic."""
    if not has_cyrillic(typed):
        return typed
    kazakh = any(ch in _KAZAKH_ROW_LETTERS for ch in typed)
    return typed.translate(KAZAKH_TO_LATIN if kazakh else RUSSIAN_TO_LATIN)


@dataclass(frozen=True)
class LayoutForm:
    """``text`` as it was meant, had the keyboard been on ``layout``."""

    text: str
    layout: Layout


def layout_forms(typed: str) -> list[LayoutForm]:
    """``typed`` as it was meant when the keyboard was on another layout: Latin keys read as
    Russian ("bdfyjd" → "иванов") and, when digits are among them, as Kazakh ("c2n,ftd" →
    "сәтбаев"); Cyrillic read as the Latin keys ("Зфьудф" → "Pamela")."""
    forms: list[LayoutForm] = []
    if has_cyrillic(typed):
        forms.append(LayoutForm(latin_keys(typed), Layout.ENGLISH))
    elif any("a" <= ch.lower() <= "z" for ch in typed):
        forms.append(LayoutForm(typed.translate(LATIN_TO_RUSSIAN), Layout.RUSSIAN))
        if any(ch.isdigit() or ch in "-=" for ch in typed):
            forms.append(LayoutForm(typed.translate(LATIN_TO_KAZAKH), Layout.KAZAKH))
    seen = {typed}
    out = []
    for form in forms:
        if form.text not in seen:
            seen.add(form.text)
            out.append(form)
    return out


# == spellings in another alphabet ============================================================

_MARKS = re.compile("[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[^0-9a-zA-Z]+")
# Latin spellings of one sound, made one, longest first at each place (the text is lower
# case by then). Both what is typed and the names go through it, so a collapse can only
# widen a match. The letters on the right that are not their own sound (c, h, j, q, w) are
# letters no plain Latin letter turns into.
_SOUNDS: dict[str, str] = {
    "shch": "w", "sch": "w", "sh": "w", "dzh": "j", "dj": "j", "zh": "j", "j": "j",
    "ch": "c", "kh": "h", "ph": "f", "h": "h", "ts": "q", "tz": "q", "c": "k",
    "x": "ks", "q": "k", "w": "v", "ye": "e", "yo": "e", "y": "i",
}
_SOUND = re.compile("|".join(sorted(_SOUNDS, key=len, reverse=True)))
_DOUBLED = re.compile(r"(.)\1+")
_PRE = str.maketrans({"ş": "sh", "ç": "ch", "ı": "i", "ñ": "n", "ё": "е", "’": "", "'": "", "ʼ": ""})


@lru_cache(maxsize=65536)
def word_skeleton(word: str) -> str:
    """The skeleton of one word (lower case): "Жиенбаев" → "jienbaev"."""
    latin = to_latin(word.translate(_PRE))
    if not latin.isascii():
        latin = _MARKS.sub("", unicodedata.normalize("NFKD", latin))
    latin = _NOT_WORD.sub(" ", latin).lower()
    latin = _SOUND.sub(lambda m: _SOUNDS[m.group(0)], latin)
    # Doubled letters once: "Kassymov" = "Касымов", "Yurii" = "Юрий".
    return " ".join(_DOUBLED.sub(r"\1", latin).split())


def skeleton(value: str) -> str:
    """A rough Latin sound-spelling of ``value`` (any script), for matching names typed in
    another script: "Жиенбаев", "Zhienbayev" and "Jienbaev" all give "jienbaev"."""
    return " ".join(filter(None, (word_skeleton(w) for w in value.lower().split())))


MIN_LETTERS = 3
"""Fewer letters and digits than this are searched only as typed: one or two keys read on
another layout or in another alphabet would match half the list."""

# What may follow the last typed word: a letter, or the start of a sound of several
# letters ("zhienba" + "ye"). Cyrillic too: "т" + "с" is "ts".
_PROBES = (*"abcdefghijklmnopqrstuvwxyz", *sorted(k for k in _SOUNDS if len(k) > 1),
           *"абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


@lru_cache(maxsize=4096)
def _beginnings(word: str) -> tuple[str, ...]:
    """The skeletons that a word beginning with ``word`` may begin with: its own, and those
    that one more letter makes otherwise ("zhienbay" → "jienbai", and "jienbae" when an
    "e" follows; "kuznet" → "kuznet", and "kuzneq" when an "s" follows)."""
    whole = word_skeleton(word)
    found = [whole]
    for probe in _PROBES:
        longer = word_skeleton(word + probe)
        if not longer.startswith(whole):
            # The probe's own letters are not part of the beginning: only what it changed.
            kept = longer[:len(whole)]
            if kept and kept not in found and " " not in kept:
                found.append(kept)
    return tuple(found)


def skeleton_terms(typed: str) -> tuple[tuple[str, ...], ...]:
    """The sets of skeleton words a name must have word beginnings for, to be what
    ``typed`` spells: each typed word's skeleton, the last one in each way the word may go
    on (``_beginnings``: it may be half a sound); empty when ``typed`` has fewer than
    ``MIN_LETTERS`` letters and digits."""
    words = typed.lower().split()
    if not words or sum(ch.isalnum() for ch in typed) < MIN_LETTERS:
        return ()
    before = " ".join(word_skeleton(w) for w in words[:-1]).split()
    sets: list[tuple[str, ...]] = []
    for last in _beginnings(words[-1]):
        terms: list[str] = []
        for term in (*before, *last.split()):
            if term not in terms:
                terms.append(term)
        # An initial beside a name spells nothing (and would make the index read every
        # word with that letter); "lee" is "le": too short a skeleton is not searched.
        if len(terms) > 1:
            terms = [t for t in terms if len(t) > 1] or terms
        if sum(map(len, terms)) >= MIN_LETTERS and tuple(terms) not in sets:
            sets.append(tuple(terms))
    return tuple(sets)


def skeleton_matches(doc: str, terms: tuple[str, ...]) -> bool:
    """Whether every term begins a word of ``doc`` (a skeleton, words separated by spaces)."""
    padded = " " + doc
    return bool(terms) and all(" " + term in padded for term in terms)


# == what was meant ===========================================================================


@dataclass(frozen=True)
class Reading:
    """One way to read what was typed: ``text`` (on ``layout``, None for the text as it was
    typed), and its sets of skeleton terms (``skeleton_terms``: a name matches one set
    when each of its terms begins a word of the name's skeleton; none when the text is too
    short to be spelled otherwise)."""

    text: str
    layout: Layout | None
    spelled: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Meaning:
    """What ``typed`` may mean: ``readings[0]`` is the text as typed, the others the text
    on the other keyboard layouts (none for fewer than ``MIN_LETTERS`` letters)."""

    typed: str
    readings: tuple[Reading, ...]

    @property
    def as_typed(self) -> Reading:
        return self.readings[0]

    @property
    def other_layouts(self) -> tuple[Reading, ...]:
        return self.readings[1:]

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """The distinct skeleton term sets of the readings, in order."""
        out: list[tuple[str, ...]] = []
        for reading in self.readings:
            out.extend(terms for terms in reading.spelled if terms not in out)
        return tuple(out)


_NAME_MARKS = frozenset("'-.@_")
"""What a name or an e-mail holds beside letters and digits. A reading on another layout
with other marks in it ("ахмет" read as "f[vtn") is not what anyone meant."""


def _plausible(text: str) -> bool:
    return all(ch.isalnum() or ch.isspace() or ch in _NAME_MARKS for ch in text)


@lru_cache(maxsize=256)
def meaning(typed: str) -> Meaning:
    """The readings of ``typed`` (spaces collapsed): as typed, on the other layouts, each
    with its skeleton terms. Layout readings only for ``MIN_LETTERS`` letters or more, and
    only those that could be a name or an e-mail (letters, digits and ``'-.@_``)."""
    typed = " ".join(typed.split())
    readings = [Reading(typed, None, skeleton_terms(typed))]
    if sum(ch.isalnum() for ch in typed) >= MIN_LETTERS:
        readings += [Reading(f.text, f.layout, skeleton_terms(f.text)) for f in layout_forms(typed)
                     if _plausible(f.text)]
    return Meaning(typed, tuple(readings))


__all__ = [
    "KAZAKH_TO_LATIN",
    "LATIN_TO_KAZAKH",
    "LATIN_TO_RUSSIAN",
    "MIN_LETTERS",
    "RUSSIAN_TO_LATIN",
    "Layout",
    "LayoutForm",
    "Meaning",
    "Reading",
    "has_cyrillic",
    "latin_keys",
    "layout_forms",
    "meaning",
    "skeleton",
    "skeleton_matches",
    "skeleton_terms",
    "word_skeleton",
]
