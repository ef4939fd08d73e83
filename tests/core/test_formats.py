"""Dates, times and numbers in each language (desktop/core/formats.py, from CLDR through Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core import formats
from desktop.core.language import speaking

FRIDAY = dt.date(2025, 2, 28)
NNBSP = "\u202f"


@pytest.mark.parametrize(("lang", "full", "day"), [
    ("en", "Friday, 28 February 2025", "Friday, 28 February"),
    ("ru", f"пятница, 28 февраля 2025{NNBSP}г.", "пятница, 28 февраля"),
    ("kk", "2025 жылғы 28 ақпан, жұма", "28 ақпан, жұма"),
])
def test_a_day_with_its_weekday(lang: str, full: str, day: str) -> None:
    assert formats.date(FRIDAY, lang, "full") == full
    assert formats.weekday_date(FRIDAY, lang) == day


@pytest.mark.parametrize(("start", "end", "lang", "expected"), [
    (FRIDAY, FRIDAY, "en", "28 February 2025"),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "en", "3–5 March 2025"),
    (dt.date(2025, 3, 30), dt.date(2025, 4, 2), "en", "30 March – 2 April 2025"),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "ru", f"3–5 марта 2025{NNBSP}г."),
    (dt.date(2025, 3, 30), dt.date(2025, 4, 2), "ru", f"30 марта – 2 апреля 2025{NNBSP}г."),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "kk", "2025 жылғы 3–5 наурыз"),
    (dt.date(2025, 3, 30), dt.date(2025, 4, 2), "kk", "2025 жылғы 30 наурыз – 2 сәуір"),
    (dt.date(2024, 12, 30), dt.date(2025, 1, 2), "kk", "2024 жылғы 30 желтоқсан – 2025 жылғы 2 қаңтар"),
    (dt.date(2024, 12, 30), dt.date(2025, 1, 2), "en", "30 December 2024 – 2 January 2025"),
])
def test_an_events_dates(start: dt.date, end: dt.date, lang: str, expected: str) -> None:
    assert formats.date_range(start, end, lang) == expected


def test_numbers_times_and_the_interface_language() -> None:
    assert formats.number(12345, "en") == "12,345"
    assert formats.number(12345, "ru").replace("\xa0", " ") == "12 345"
    assert formats.percent(0.456, "en") == "46%"
    assert formats.time(dt.time(9, 5), "kk") == "09:05"
    with speaking("ru"):
        assert formats.day_month(FRIDAY) == "28 февраля"
    with speaking("kk"):
        assert formats.weekday(FRIDAY) == "жұма"
