"""Organisations: list, edits and their undo (``changes.revert``), find-or-create in any script, the delete rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Event, EventOrganisation, Organisation, PartnerRole, Person, Sector
from desktop.core.changes import revert
from desktop.core.checks import InvalidData
from desktop.core.organisations import (
    KEEP,
    OrganisationData,
    OrganisationInUse,
    create_organisation,
    delete_organisation,
    find_or_create_organisation,
    find_organisation,
    load_organisation,
    organisation_choices,
    organisation_rows,
    organisation_usage,
    update_organisation,
    validate_organisation,
)
from desktop.core.people import PersonData, create_person
from tests.core.subjects import made
from tests.images import png

COURT = OrganisationData(
    name={"en": "Supreme Court", "ru": "Верховный Суд", "kk": "Жоғарғы Сот"},
    short_name={"en": "SC"}, sector=Sector.JUDICIARY, country="kz",
)


@pytest.mark.parametrize(("data", "field", "words"), [
    (OrganisationData(), "name", "needs a name"),
    (OrganisationData(name={"en": "  "}), "name", "needs a name"),
    (dataclasses.replace(COURT, country="Kazakhstan"), "country", "two letters"),
    (dataclasses.replace(COURT, name={"en": "x" * 301}), "name.en", "longer than 300"),
    (dataclasses.replace(COURT, short_name={"ru": "x" * 61}), "short_name.ru", "longer than 60"),
    (dataclasses.replace(COURT, logo=b"not an image"), "logo", "PNG or JPEG"),
])
def test_invalid_organisations(data: OrganisationData, field: str, words: str) -> None:
    report = validate_organisation(data)
    assert not report.is_valid
    assert [p.field for p in report.errors] == [field]
    assert words in report.errors[0].message


def test_a_name_in_one_language_is_valid_and_the_others_are_flagged() -> None:
    report = validate_organisation(OrganisationData(name={"ru": "Верховный Суд"}))
    assert report.is_valid
    assert sorted(p.field for p in report.warnings) == ["name.en", "name.kk"]


def test_create_update_undo_and_list(database: Database) -> None:
    with database.write() as session:
        oid = made(create_organisation(session, dataclasses.replace(COURT, logo=png())))
        person = made(create_person(session, PersonData(given_name="Aliya", organisation_id=oid)))
        create_person(session, PersonData(given_name="Ержан", organisation_id=oid))
    with database.read() as session:
        stored = load_organisation(session, oid)
        (row,) = organisation_rows(session, "kk")
    assert stored == dataclasses.replace(COURT.cleaned(), logo=png())
    assert (row.name, row.short_name, row.sector, row.country, row.people, row.events) == \
        ("Жоғарғы Сот", "SC", Sector.JUDICIARY, "KZ", 2, 0)
    assert person
    with database.write() as session:
        change = update_organisation(session, oid, dataclasses.replace(stored, sector=Sector.GOVERNMENT, logo=KEEP))
    (before,) = change.before
    assert before.values["sector"] == Sector.JUDICIARY and "logo" not in before.values
    with database.write() as session:
        revert(session, change)
    with database.read() as session:
        assert load_organisation(session, oid) == stored
        assert session.scalar(select(Organisation.logo_mime)) == "image/png"


@pytest.mark.parametrize("typed", [
    "Supreme Court", "SUPREME COURT", "supreme  court", "Верховный суд", "ВЕРХОВНЫЙ СУД", "верховный суд",
    "Жоғарғы Сот", "ЖОҒАРҒЫ СОТ", "жоғарғы сот", "sc", " «Supreme Court» ",
])
def test_find_or_create_finds_in_any_script_and_case(database: Database, typed: str) -> None:
    with database.write() as session:
        oid = made(create_organisation(session, COURT))
    with database.write() as session:
        assert find_or_create_organisation(session, typed) == (oid, False)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


@pytest.mark.parametrize(("typed", "lang"), [
    ("Constitutional Court", "en"), ("Конституционный суд", "ru"), ("Конституциялық Сот", "kk"),
])
def test_find_or_create_makes_one_in_the_language_of_its_letters(database: Database, typed: str, lang: str) -> None:
    with database.write() as session:
        create_organisation(session, COURT)
    with database.write() as session:
        oid, created = find_or_create_organisation(session, typed, sector=Sector.JUDICIARY)
    assert created
    with database.write() as session:
        assert find_or_create_organisation(session, typed.upper()) == (oid, False)
        assert load_organisation(session, oid).name == {lang: typed}
        assert find_organisation(session, "Жоғарғы") is None  # a part of a name is not the name


def test_two_organisations_cannot_share_a_name(database: Database) -> None:
    with database.write() as session:
        create_organisation(session, COURT)
    with pytest.raises(InvalidData, match="already the name"), database.write() as session:
        create_organisation(session, OrganisationData(name={"en": "ВЕРХОВНЫЙ СУД"}))
    with database.write() as session:  # renaming itself is fine
        oid = find_organisation(session, "SC")
        assert oid is not None
        update_organisation(session, oid, dataclasses.replace(COURT, name={"en": "SUPREME COURT"}))


def test_delete_refuses_while_an_event_names_it(database: Database) -> None:
    with database.write() as session:
        oid = made(create_organisation(session, COURT))
        event = Event(title={"en": "Round table"}, starts_on=dt.date(2025, 3, 3),
                      ends_on=dt.date(2025, 3, 3))
        session.add(event)
        session.flush()
        session.add(EventOrganisation(event_id=event.id, organisation_id=oid, role=PartnerRole.FUNDER))
    with pytest.raises(OrganisationInUse, match="“Round table” names it as a partner"), \
            database.write() as session:
        delete_organisation(session, oid, detach_people=True)
    with database.read() as session:
        assert session.get(Organisation, oid) is not None


def test_delete_detaches_people_only_when_told_and_undo_attaches_them_again(database: Database) -> None:
    with database.write() as session:
        oid = made(create_organisation(session, COURT))
        people = [made(create_person(session, PersonData(given_name=n, organisation_id=oid))) for n in ("A", "B")]
        other = made(create_person(session, PersonData(given_name="C")))
    with database.read() as session:
        usage = organisation_usage(session, oid)
    assert usage.sentence() == ("2 people work for Supreme Court; deleting it leaves them without an "
                                "organisation.")
    with pytest.raises(OrganisationInUse, match="2 people work"), database.write() as session:
        delete_organisation(session, oid)
    with database.write() as session:
        change = delete_organisation(session, oid, detach_people=True)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
        assert set(session.scalars(select(Person.organisation_id))) == {None}
    with database.write() as session:
        restored = made(revert(session, change))
    with database.read() as session:
        assert change.subject is not None
        assert session.scalar(select(Organisation.uuid).where(Organisation.id == restored)) == \
            change.subject.uuid
        attached = dict(session.execute(select(Person.id, Person.organisation_id)).all())
    assert attached == {people[0]: restored, people[1]: restored, other: None}


def test_choices_answer_to_every_name(database: Database) -> None:
    with database.write() as session:
        create_organisation(session, COURT)
    with database.read() as session:
        (choice,) = organisation_choices(session, "en")
    assert choice.label == "Supreme Court (SC)"
    assert {"supreme court", "верховный суд", "жоғарғы сот", "sc"} == set(choice.keys)
