"""Where a long word may be broken on a printed page, and text wrapped with it.

Names and organisations on badges, sign-in sheets and the programme are broken, when a word
is wider than its line, first at a hyphen the word already has ("Дүйсенбекова-Сатпаева"),
then between syllables (with a hyphen added), never in the middle of one:

- Russian (Cyrillic) words use pyphen's Russian patterns;
- words with a letter of the Kazakh alphabet that Russian lacks (ә ғ қ ң ө ұ ү һ і) use the
  rules of Kazakh syllables, which pyphen has no dictionary for: a syllable begins with at
  most one consonant, so a single consonant between vowels starts the next syllable
  ("Ә-бі-қа-дыр-қы-зы") and of two or more the last one does ("Сат-па-е-ва");
- Latin words are broken only where both the English and the German patterns allow it
  ("Ho-hen-zol-lern"), or where German alone does when they have no point in common.

At least two letters stay on each side of a break.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

MIN_LEFT = 2
MIN_RIGHT = 2
HYPHEN = "-"

_KAZAKH_ONLY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_VOWELS = frozenset("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯ")
_SIGNS = frozenset("ьъЬЪ")
_LETTER = re.compile(r"\w", re.UNICODE)
# The spaces a line may break at: any white space but the no-break ones (U+00A0, U+2007,
# U+202F), which hold "2025\u202fг." and "10\u00a0000" together and are kept as they are.
_BREAKABLE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def words_of(text: str) -> list[str]:
    """``text``'s words: cut at the spaces a line may break at, never at a no-break space."""
    return [w for w in _BREAKABLE.split(text) if w]


@functools.cache
def _pyphen(lang: str) -> object:
    import pyphen  # type: ignore[import-untyped]

    return pyphen.Pyphen(lang=lang, left=MIN_LEFT, right=MIN_RIGHT)


_PYPHEN_REMEMBERS = 4096  # words pyphen may keep its answers for (see _pyphen_points)


def _pyphen_points(lang: str, word: str) -> set[int]:
    """pyphen's break points of ``word``. pyphen keeps its answer for every word it is ever
    asked, without bound: on badges for 100,000 people every surname, twice for a Latin one
    (English and German), some 800 bytes a person — the export's memory grew with the list
    (issue 13). What it keeps is let go past ``_PYPHEN_REMEMBERS`` words (``_word_points``
    keeps the answers that repeat)."""
    hyphenator = _pyphen(lang)
    points = set(hyphenator.positions(word))  # type: ignore[attr-defined]
    remembered = getattr(getattr(hyphenator, "hd", None), "cache", None)
    if isinstance(remembered, dict) and len(remembered) > _PYPHEN_REMEMBERS:
        remembered.clear()
    return points


def _kazakh_points(word: str) -> set[int]:
    vowels = [i for i, ch in enumerate(word) if ch in _VOWELS]
    points: set[int] = set()
    for a, b in zip(vowels, vowels[1:]):
        # The consonants between two vowels: the last one begins the next syllable
        # (none: the break falls between the vowels).
        between = [i for i in range(a + 1, b) if word[i] not in _SIGNS]
        cut = between[-1] if between else b
        if all(_LETTER.match(word[i]) for i in range(a, b + 1)):
            points.add(cut)
    return {p for p in points if MIN_LEFT <= p <= len(word) - MIN_RIGHT}


def _syllable_points(word: str) -> set[int]:
    if any(ch in _KAZAKH_ONLY for ch in word):
        return _kazakh_points(word)
    if _CYRILLIC.search(word):
        return _pyphen_points("ru", word) or _kazakh_points(word)
    if _LATIN.search(word):
        english, german = _pyphen_points("en_US", word), _pyphen_points("de_DE", word)
        return (english & german) or german
    return set()


class _Rest(str):
    """What is left of a word after a break, knowing where the WHOLE word may still be
    broken: a piece of a word is not a word, and its own syllables can be wrong (the rest
    "меджанов" of a Kazakh surname looks Russian to the rules and would break "мед-жа" as
    "ме-джа")."""

    points: tuple[int, ...]


def hyphen_points(word: str) -> tuple[int, ...]:
    """The places (indices into ``word``) where ``word`` may be broken with a hyphen added.

    A hyphen already in the word is not among them: :func:`break_word` breaks there first.
    For the rest of a word that :func:`break_word` gave, the whole word's places.
    """
    if isinstance(word, _Rest):
        return word.points
    return _word_points(word)


@functools.lru_cache(maxsize=4096)
def _word_points(word: str) -> tuple[int, ...]:
    points: set[int] = set()
    start = 0
    for part in word.split(HYPHEN):
        points.update(start + p for p in _syllable_points(part))
        start += len(part) + 1
    return tuple(sorted(points))


def _rest(word: str, points: tuple[int, ...], end: int) -> _Rest:
    rest = _Rest(word[end:])
    rest.points = tuple(p - end for p in points if p - end >= MIN_LEFT)
    return rest


def break_word(word: str, fits: Callable[[str], bool]) -> tuple[str, str] | None:
    """A head of ``word`` that ``fits`` and the rest: the longest that ends at one of the
    word's own hyphens, else the longest that ends between syllables (with a hyphen added);
    None when no break leaves a head that fits. The rest, broken again, breaks where the
    whole word may."""
    points = hyphen_points(word)
    own = [(i + 1, word[: i + 1]) for i, ch in enumerate(word)
           if ch == HYPHEN and MIN_LEFT <= i and i + 1 < len(word)]
    syllables = [(p, word[:p] + HYPHEN) for p in points]
    # The word's own hyphen first ("Дүйсенбекова-" / "Сатпаева"), then the syllables.
    for candidates in (own, syllables):
        for end, head in sorted(candidates, reverse=True):
            if fits(head):
                return head, _rest(word, points, end)
    return None


def _fits_after(fits: Callable[[str], bool], line: str, head: str) -> bool:
    return fits(f"{line} {head}")


def wrap_hyphenated(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: broken at spaces, a word wider than a
    line at its hyphens, then between its syllables; only a piece with no break at all
    that is still too wide is broken by letters (it cannot be set otherwise)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(s: str) -> bool:
        return bool(stringWidth(s, font, size) <= width)

    lines: list[str] = []
    current = ""
    for word in words_of(text):
        trial = f"{current} {word}" if current else word
        if fits(trial):
            current = trial
            continue
        if fits(word):
            lines.append(current)
            current = word
            continue
        # A word wider than a whole line: fill the current line with its head, if a head fits.
        rest = word
        if current:
            split = break_word(rest, functools.partial(_fits_after, fits, current))
            if split is None:
                lines.append(current)
            else:
                lines.append(f"{current} {split[0]}")
                rest = split[1]
            current = ""
        while not fits(rest):
            split = break_word(rest, fits)
            if split is None:
                cut = len(rest) - 1
                while cut > 1 and not fits(rest[:cut]):
                    cut -= 1
                split = (rest[:cut], rest[cut:])
            lines.append(split[0])
            rest = split[1]
        current = rest
    if current:
        lines.append(current)
    return lines


def longest_word_width(text: str, font: str, size: float) -> float:
    """The width of the widest word of ``text`` when it is broken as far as it can be
    (its widest syllable-group between break points): below this width, wrapping must
    break a syllable."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = 0.0
    for word in words_of(text):
        bounds = [0]
        bounds.extend(i + 1 for i, ch in enumerate(word) if ch == HYPHEN)
        bounds.extend(hyphen_points(word))
        bounds = sorted(set(bounds)) + [len(word)]
        for a, b in zip(bounds, bounds[1:]):
            piece = word[a:b] + (HYPHEN if b < len(word) and word[b - 1] != HYPHEN else "")
            widest = max(widest, float(stringWidth(piece, font, size)))
    return widest
