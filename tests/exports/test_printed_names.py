"""Names on printed papers as the region writes them: the sign-in sheet and certificates in
Russian and Kazakh write the surname first with the patronymic, in English the given name
first; badges and name cards write the form the event chose (``Event.badge_name``) or the
one asked for; the sheet is in the language's alphabetical order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.engine import Database
from db.models import Event, NameForm, Person, Registration
from desktop.exports.badges import export_badges
from desktop.exports.certificates import export_certificates
from desktop.exports.name_cards import export_name_cards
from desktop.exports.sign_in import export_sign_in_sheet
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, page_texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    database, event_id = demo_database(tmp_path_factory.mktemp("names"), db_templates)
    try:
        yield database, event_id
    finally:
        database.close()


@pytest.fixture(scope="module")
def someone(demo: tuple[Database, int]) -> tuple[int, str, str, str]:
    """A registration of the demo whose person has a patronymic and no display name:
    (registration id, given name, family name, patronymic)."""
    database, event_id = demo
    with database.read() as s:
        rid, given, family, patronymic = s.execute(
            select(Registration.id, Person.given_name, Person.family_name, Person.patronymic)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event_id, Person.patronymic.is_not(None),
                   Person.display_name == {})
            .order_by(Registration.id).limit(1)).one()
    return rid, given, family, patronymic


def text_of(path: Path) -> str:
    return " ".join("\n".join(page_texts(path)).split())  # lines joined: a name may wrap


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_sign_in_sheet_writes_the_surname_first_with_the_patronymic(
        demo: tuple[Database, int], someone: tuple[int, str, str, str], tmp_path: Path, lang: str) -> None:
    database, event_id = demo
    _rid, given, family, patronymic = someone
    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(database, out, event_id, lang=lang)
    text = text_of(out)
    assert f"{family} {given} {patronymic}" in text
    assert f"{given} {family}" not in text


def test_the_english_sign_in_sheet_writes_the_given_name_first(
        demo: tuple[Database, int], someone: tuple[int, str, str, str], tmp_path: Path) -> None:
    database, event_id = demo
    _rid, given, family, patronymic = someone
    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(database, out, event_id, lang="en")
    text = text_of(out)
    assert f"{given} {family}" in text and patronymic not in text


def test_the_russian_sheet_lists_in_the_russian_alphabet(demo: tuple[Database, int], tmp_path: Path) -> None:
    """Ё among the Е, Cyrillic before Latin: the sheet's numbered rows in that order."""
    database, event_id = demo
    with database.write() as s:
        people = {}
        for family, given in (("Ёлкина", "Анна"), ("Абдрахманов", "Марат"), ("Ефимов", "Олег"), ("Adams", "Jane")):
            person = Person(given_name=given, family_name=family, display_name={})
            s.add(Registration(event_id=event_id, person=person, badge_code=f"NM{len(people):04d}"))
            s.flush()
            people[family] = person.id
    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(database, out, event_id, lang="ru",
                         registration_ids=sorted(_registrations_of(database, people.values())))
    text = text_of(out)
    at = [text.index(f"{n}. {name}") for n, name in enumerate(
        ("Абдрахманов Марат", "Ёлкина Анна", "Ефимов Олег", "Adams Jane"), start=1)]
    assert at == sorted(at)


def _registrations_of(database: Database, person_ids: Iterable[int]) -> list[int]:
    with database.read() as s:
        return list(s.scalars(select(Registration.id).where(Registration.person_id.in_(list(person_ids)))))


def test_certificates_write_the_full_name_in_russian(demo: tuple[Database, int], someone: tuple[int, str, str, str],
                                                     tmp_path: Path) -> None:
    database, event_id = demo
    rid, given, family, patronymic = someone
    out = tmp_path / "certificates.pdf"
    export_certificates(database, out, event_id, registration_ids=[rid], lang="ru")
    assert f"{family} {given} {patronymic}" in text_of(out)


@pytest.mark.parametrize("export", [export_badges, export_name_cards], ids=["badges", "name cards"])
def test_badges_and_name_cards_write_the_form_the_event_chose(
        demo: tuple[Database, int], someone: tuple[int, str, str, str], tmp_path: Path,
        export: Callable[..., object]) -> None:
    database, event_id = demo
    rid, given, family, patronymic = someone
    made = tmp_path / "short.pdf"
    export(database, made, event_id, registration_ids=[rid], lang="ru")
    assert f"{given} {family}" in text_of(made) and patronymic not in text_of(made)  # the default: short
    with database.write() as s:
        s.execute(update(Event).where(Event.id == event_id).values(badge_name=NameForm.FULL))
    try:
        export(database, made, event_id, registration_ids=[rid], lang="ru")
        assert f"{family} {given} {patronymic}" in text_of(made)
        export(database, made, event_id, registration_ids=[rid], lang="ru", name_form="short")
        assert patronymic not in text_of(made)  # the print's own choice wins
        export(database, made, event_id, registration_ids=[rid], lang="en")
        assert f"{given} {family}" in text_of(made)  # English's full form: given name first
    finally:
        with database.write() as s:
            s.execute(update(Event).where(Event.id == event_id).values(badge_name=NameForm.SHORT))
