"""Dates, times and numbers as each language writes them (Babel's CLDR data, no tables of
our own): "Friday, 28 February 2025", "пятница, 28 февраля 2025 г.", "2025 ж. 28 ақпан, жұма";
"12,345" and "12 345"; "46%" and "46 %".

``lang`` is the language of the text being made; without it, the interface language.
English is written the British way (day before month, 24-hour clock), as the rest of the
program spells it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from typing import Any, Literal

from desktop.core.language import interface_language

_LOCALES = {"en": "en_GB", "ru": "ru", "kk": "kk"}

# Kazakh official papers write the year in full ("2025 жылғы 28 ақпан"), where CLDR abbreviates
# it ("2025 ж. 28 ақпан"): the same patterns with the full word.
_PATTERNS = {("kk", "long"): "y 'жылғы' d MMMM", ("kk", "full"): "y 'жылғы' d MMMM, EEEE"}


def locale_of(lang: str | None = None) -> str:
    """The CLDR locale that writes ``lang``'s dates and numbers."""
    return _LOCALES.get(lang or interface_language(), "en_GB")


@cache
def _cldr(locale: str) -> Any:
    """Babel's ``Locale`` of ``locale``, parsed once: handed a name, Babel parses it on every
    call (4x the cost of formatting a number, measured; a report formats hundreds)."""
    from babel import Locale

    return Locale.parse(locale)


Style = Literal["full", "long", "medium", "short"]


@cache
def _pattern(locale: str, style: Style) -> str:
    from babel.dates import get_date_format

    return _PATTERNS.get((locale, style)) or get_date_format(style, locale=_cldr(locale)).pattern


def date(value: dt.date, lang: str | None = None, style: Style = "long") -> str:
    """"28 February 2025" (``long``), with the weekday ``full``, "28 Feb 2025" ``medium``."""
    from babel.dates import format_date

    locale = locale_of(lang)
    return format_date(value, _pattern(locale, style), locale=_cldr(locale))


def day_month(value: dt.date, lang: str | None = None, *, short: bool = False) -> str:
    """"28 February" ("28 февраля", "28 ақпан"); ``short``: "28 Feb"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd" if short else "MMMMd", value, locale=_cldr(locale_of(lang)))


def weekday_date(value: dt.date, lang: str | None = None) -> str:
    """"Friday, 28 February" ("пятница, 28 февраля", "28 ақпан, жұма"): a day of the event,
    the language's full date without its year."""
    from babel.dates import format_date

    locale = locale_of(lang)
    return format_date(value, _without_year(_pattern(locale, "full")), locale=_cldr(locale))


@cache
def _without_year(pattern: str) -> str:
    """A CLDR date pattern without its year field (and the year's word: "y 'г'.", "y 'ж'.")."""
    return re.sub(r"\s*y+(\s*'[^']*')?\.?\s*", " ", pattern).strip(" ,")


def weekday(value: dt.date, lang: str | None = None, *, short: bool = False) -> str:
    from babel.dates import format_date

    return format_date(value, "EEE" if short else "EEEE", locale=_cldr(locale_of(lang)))


def time(value: dt.time | dt.datetime, lang: str | None = None) -> str:
    """"09:30" (24 hours in all three languages)."""
    from babel.dates import format_time

    return format_time(value, "HH:mm", locale=_cldr(locale_of(lang)))


def date_range(start: dt.date, end: dt.date, lang: str | None = None) -> str:
    """An event's dates as a person writes them: "28 February 2025", "3–5 March 2025",
    "30 March – 2 April 2025", "3–5 марта 2025 г.", "2025 ж. 3–5 наурыз".

    Built from the language's long date pattern: the first day (and month) is set before
    the last date's day, on the side of the pattern where the day and month are.
    """
    from babel.dates import format_date

    locale = locale_of(lang)
    pattern = _pattern(locale, "long")
    if start >= end:
        return format_date(start, pattern, locale=_cldr(locale))
    if start.year != end.year:
        cldr = _cldr(locale)
        return f"{format_date(start, pattern, locale=cldr)} – {format_date(end, pattern, locale=cldr)}"
    if start.month == end.month:
        first = f"{start.day}–"
    else:
        first = f"{day_month(start, lang)} – "
    quoted = first.replace("'", "''")
    index = _day_index(pattern)
    return format_date(end, f"{pattern[:index]}'{quoted}'{pattern[index:]}", locale=_cldr(locale))


def _day_index(pattern: str) -> int:
    """Where the day field ``d`` starts in a CLDR date pattern (outside quoted text)."""
    quoted = False
    for index, ch in enumerate(pattern):
        if ch == "'":
            quoted = not quoted
        elif ch == "d" and not quoted:
            return index
    return 0


def number(value: float, lang: str | None = None) -> str:
    """"12,345" / "12 345" (a decimal when ``value`` has one)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_cldr(locale_of(lang)))


def listing(items: Iterable[str], lang: str | None = None) -> str:
    """Items as the language lists them (CLDR): "A, B and C", "A, B и C", "A және B"."""
    from babel.lists import format_list

    return format_list(list(items), locale=_cldr(locale_of(lang)))


def percent(value: float, lang: str | None = None) -> str:
    """``value`` (0.46) as "46%" / "46 %"."""
    from babel.numbers import format_percent

    return format_percent(value, locale=_cldr(locale_of(lang)))


__all__ = ["date", "date_range", "day_month", "listing", "locale_of", "number", "percent", "time", "weekday",
           "weekday_date"]
