"""The printed pages and exported files speak their content language from the catalogs:
the programme, a badge page, the sign-in sheet, the certificates and the attendee workbook
in Russian and Kazakh hold no English message of the printing code (and in English they
do, so the check can fail)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from db.engine import Database
from db.models import EventOrganisation, Organisation, PartnerRole, Sector
from desktop.core.attendee_list import CATALOGUE
from desktop.exports.attendees import export_attendees
from desktop.exports.badges import export_badges
from desktop.exports.certificates import export_certificates
from desktop.exports.ical import export_ical
from desktop.exports.programme import export_programme
from desktop.exports.sign_in import export_sign_in_sheet
from resources.translations import catalogs
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, page_texts

PRINTING = ("desktop/exports/", "desktop/core/attendee_columns.py", "desktop/core/attendee_list.py")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@cache
def printed_messages() -> tuple[str, ...]:
    """The English messages of the printing code (its catalog entries), plural forms as two."""
    found: set[str] = set()
    for message in catalogs.extract():
        if not message.id or not any(path.startswith(PRINTING) for path, _line in message.locations):
            continue
        found.update(message.id if isinstance(message.id, tuple) else (message.id,))
    return tuple(sorted(found))


def english_in(text: str) -> list[str]:
    """The messages of the printing code whose words show in ``text`` (each literal piece
    between placeholders of three letters or more, in any case)."""
    folded = " ".join(text.split()).casefold()
    hits = []
    for message in printed_messages():
        pieces = [p.strip(" :·—,.()") for p in _PLACEHOLDER.split(message)]
        pieces = [p for p in pieces if len(p) >= 3 and re.search(r"[A-Za-z]{2}", p)]
        if pieces and all(p.casefold() in folded for p in pieces):
            hits.append(message)
    return hits


@pytest.fixture
def database(tmp_path: Path, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    """The demo event with a partner too (so every heading of the programme is printed)."""
    database, event_id = demo_database(tmp_path, db_templates)
    with database.write() as s:
        partner = Organisation(name={"en": "Partner Org", "ru": "Организация-партнёр", "kk": "Серіктес ұйым"},
                               sector=Sector.CIVIL_SOCIETY, country="KZ")
        s.add(EventOrganisation(event_id=event_id, organisation=partner, role=PartnerRole.PARTNER, position=9))
    yield database, event_id
    database.close()


def printed(database: Database, event_id: int, folder: Path, lang: str) -> dict[str, str]:
    """Each kind of page in ``lang``: its text (the programme whole, the first badge page,
    the sign-in sheet by sector, the first certificates of every gender)."""
    folder.mkdir(exist_ok=True)
    out: dict[str, str] = {}
    path = folder / "programme.pdf"
    export_programme(database, path, event_id, lang)
    out["programme"] = "\n".join(page_texts(path))
    path = folder / "badges.pdf"
    export_badges(database, path, event_id, lang=lang)
    out["badges"] = page_texts(path)[0]
    path = folder / "sign-in.pdf"
    export_sign_in_sheet(database, path, event_id, lang=lang, group_by_sector=True)
    out["sign-in sheet"] = "\n".join(page_texts(path))
    path = folder / "certificates.pdf"
    export_certificates(database, path, event_id, lang=lang, only_checked_in=False)
    out["certificates"] = "\n".join(page_texts(path))
    path = folder / "calendar.ics"
    export_ical(database, path, event_id, lang)
    lines = path.read_bytes().decode("utf-8").replace("\r\n ", "").splitlines()
    out["calendar"] = "\n".join(line.partition(":")[2] for line in lines  # what a person reads of it
                                 if line.startswith(("SUMMARY:", "LOCATION:", "DESCRIPTION:", "X-WR-CALNAME:")))
    path = folder / "attendees.xlsx"
    export_attendees(database, path, event_id, [c.key for c in CATALOGUE], lang=lang)
    # The workbook's own words: the sheets' names, the list's header, the participation sheet
    # (the list's rows are data: a desk the organiser called "Desk 1" stays so).
    listed, participation = openpyxl.load_workbook(path).worksheets
    cells = [listed.title, participation.title, *next(listed.iter_rows(values_only=True)),
             *(value for row in participation.iter_rows(values_only=True) for value in row)]
    out["attendee list"] = "\n".join(value for value in cells if isinstance(value, str))
    return out


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_english_word_of_the_catalog_on_a_russian_or_kazakh_page(database: tuple[Database, int], tmp_path: Path,
                                                                   lang: str) -> None:
    db, event_id = database
    pages = printed(db, event_id, tmp_path / lang, lang)
    for kind, text in pages.items():
        assert text.strip(), kind
        assert not english_in(text), f"{kind} in {lang} holds English: {english_in(text)}"
    # The pages do speak the language (the catalogs were read, not left out).
    page, continued = {"ru": ("Страница 1 из", "(продолжение)"), "kk": ("беттің 1-беті", "(жалғасы)")}[lang]
    assert page in pages["programme"] and page in pages["sign-in sheet"] and continued in pages["sign-in sheet"]


def test_the_check_finds_the_english_words(database: tuple[Database, int], tmp_path: Path) -> None:
    db, event_id = database
    pages = printed(db, event_id, tmp_path / "en", "en")
    expected = {
        "programme": {"Organised by", "Co-organised by", "With the financial support of", "Partners",
                      "Version {version} · printed {date}", "Page {n} of {m}"},
        "badges": set(),
        "sign-in sheet": {"Attendance list", "Organisation", "Position", "Signature", "{heading} (continued)",
                          "Total: {n}"},
        "certificates": {"Certificate of attendance", "This is to certify that", "attended", "Signature",
                         "With the support of"},
        "calendar": {"Session: {title}"},
        "attendee list": {"Attendees", "Participation", "Family name", "Photo consent", "Women, %",
                          "Attended, by sector and gender"},
    }
    for kind, text in pages.items():
        assert expected[kind] <= set(english_in(text)), (kind, expected[kind] - set(english_in(text)))
