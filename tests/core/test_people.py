"""Editing the roster: validation, create/update/delete and their undo (``changes.revert``), the speakers view.

Runs on SQLite and (with CONFERENCE_DESK_TEST_PG_URL) on PostgreSQL.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import CheckIn, CheckInAction, Gender, Organisation, Person, Registration, Role, RoleKind
from desktop.core import changes
from desktop.core.agenda import load_agenda
from desktop.core.changes import revert
from desktop.core.checks import InvalidData
from desktop.core.people import (
    KEEP,
    PersonData,
    PersonInUse,
    PersonNotFound,
    create_person,
    delete_person,
    deletion_impact,
    load_person,
    roster,
    same_email,
    speakers,
    update_person,
    validate_person,
)
from tests.core.subjects import made
from tests.images import png

VALID = PersonData(given_name="Aliya", family_name="Sarsenbayeva", email="aliya@court.kz", country="kz")


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"given_name": "", "family_name": ""}, "family_name", "needs a name"),
    ({"given_name": "  ", "family_name": " "}, "family_name", "needs a name"),
    ({"email": "aliya.court.kz"}, "email", "exactly one"),
    ({"email": "aliya@court"}, "email", "not a domain"),
    ({"country": "KAZ"}, "country", "two letters"),
    ({"country": "ZZ"}, "country", "not a country code"),
    ({"phone": "ask the secretary"}, "phone", "not a phone number"),
    ({"photo": b"GIF89a-not-a-photo"}, "photo", "PNG or JPEG"),
    ({"given_name": "A" * 121}, "given_name", "longer than 120"),
    ({"honorific": "H" * 41}, "honorific", "longer than 40"),
    ({"position": {"en": "P" * 301}}, "position.en", "longer than 300"),
])
def test_invalid_fields_are_errors_on_their_field(changes: dict[str, object], field: str, words: str) -> None:
    report = validate_person(dataclasses.replace(VALID, **changes))  # type: ignore[arg-type]
    assert not report.is_valid
    (problem,) = report.errors
    assert problem.field == field
    assert words in problem.message


@pytest.mark.parametrize("changes", [
    {},
    {"given_name": "", "family_name": "Сәрсенбаева"},
    {"given_name": "Айгүл", "family_name": ""},
    {"email": "", "country": "", "phone": ""},
    {"phone": "+7 (7172) 55-66-77"},
    {"photo": png()},
    {"photo": None},
    {"gender": Gender.FEMALE},
])
def test_valid_people_pass(changes: dict[str, object]) -> None:
    assert validate_person(dataclasses.replace(VALID, **changes)).is_valid  # type: ignore[arg-type]


def test_a_missing_translation_is_a_warning_not_an_error() -> None:
    report = validate_person(dataclasses.replace(VALID, position={"en": "Judge", "ru": "Судья"}))
    assert report.is_valid
    assert [p.field for p in report.warnings] == ["position.kk"]
    assert "No Kazakh position yet" in report.warnings[0].message


def test_create_load_update_and_undo_by_the_previous_values(database: Database) -> None:
    data = dataclasses.replace(
        VALID, patronymic="Маратовна", honorific="Judge", position={"en": "Judge", "kk": "Судья"},
        bio={"ru": "Судья с 2010 года."}, display_name={"en": "Aliya Sarsenbayeva"}, phone="+7 701 000 00 00",
        gender=Gender.FEMALE, photo=png(),
    )
    with database.write() as session:
        pid = made(create_person(session, data))
    with database.read() as session:
        stored = load_person(session, pid)
    assert stored == dataclasses.replace(data.cleaned(), country="KZ")
    with database.write() as session:
        change = update_person(session, pid, dataclasses.replace(stored, email="new@court.kz", photo=KEEP))
    (before,) = change.before
    assert before.values["email"] == "aliya@court.kz" and "photo" not in before.values  # the photo was left alone
    with database.write() as session:
        revert(session, change)
    with database.read() as session:
        assert load_person(session, pid) == stored



def test_invalid_data_is_refused_and_nothing_is_written(database: Database) -> None:
    with pytest.raises(InvalidData, match="needs a name"), database.write() as session:
        create_person(session, PersonData(email="x@example.kz"))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_vanished_organisation_is_refused(database: Database) -> None:
    with pytest.raises(InvalidData, match="organisation no longer exists"), database.write() as session:
        create_person(session, dataclasses.replace(VALID, organisation_id=999))


def test_same_email_ignores_case_and_spaces(database: Database) -> None:
    with database.write() as session:
        first = made(create_person(session, VALID))
        create_person(session, dataclasses.replace(VALID, email="other@court.kz"))
    with database.read() as session:
        assert same_email(session, " ALIYA@Court.kz ") == [(first, "Aliya Sarsenbayeva")]
        assert same_email(session, "aliya@court.kz", exclude_id=first) == []


def counts(database: Database) -> dict[str, int]:
    with database.read() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Person, Role, Registration, CheckIn)
        }


def dangling(database: Database) -> int:
    """Rows pointing to a person or registration that does not exist."""
    with database.read() as session:
        people = select(Person.id)
        regs = select(Registration.id)
        return sum(int(session.scalar(q) or 0) for q in (
            select(func.count()).select_from(Role).where(Role.person_id.not_in(people)),
            select(func.count()).select_from(Registration).where(Registration.person_id.not_in(people)),
            select(func.count()).select_from(CheckIn).where(CheckIn.registration_id.not_in(regs)),
        ))


def checked_in_speaker(database: Database, event_id: int) -> int:
    """A person with a role who is also checked in (the demo's speakers are not: check one in)."""
    with database.write() as session:
        pid = session.scalar(select(Role.person_id).order_by(Role.id).limit(1))
        reg = session.scalar(select(Registration).where(Registration.person_id == pid))
        assert pid is not None and reg is not None
        session.add(CheckIn(registration_id=reg.id, desk="Desk 1", action=CheckInAction.IN))
        return int(pid)


def test_deletion_tells_what_goes_then_deletes_it_all_and_undo_restores_the_same_rows(
        demo: tuple[Database, int]) -> None:
    database, event_id = demo
    pid = checked_in_speaker(database, event_id)
    with database.read() as session:
        impact = deletion_impact(session, pid)
        n_roles = session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid))
        regs = session.scalars(select(Registration.id).where(Registration.person_id == pid)).all()
        n_checks = session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.registration_id.in_(regs)))
        agenda_before = load_agenda(session, event_id)
    assert len(impact.roles) == n_roles >= 1
    assert len(impact.registrations) == len(regs) == 1
    assert impact.check_ins == n_checks == 1
    assert f"{impact.name} has" in impact.summary() and "1 check-in record" in impact.summary()
    assert all("28 Feb 2025" in line for line in impact.lines()[: len(impact.roles)])
    before = counts(database)

    with database.write() as session:
        change = delete_person(session, pid)
    after = counts(database)
    assert after == {
        "person": before["person"] - 1,
        "role": before["role"] - len(impact.roles),
        "registration": before["registration"] - len(impact.registrations),
        "check_in": before["check_in"] - impact.check_ins,
    }
    assert dangling(database) == 0
    with database.read() as session, pytest.raises(PersonNotFound):
        deletion_impact(session, pid)

    with database.write() as session:
        restored = made(revert(session, change))
    assert restored == pid  # the id was free, so it is the same
    assert counts(database) == before
    with database.read() as session:
        assert deletion_impact(session, pid) == impact
        assert load_agenda(session, event_id) == agenda_before  # same roles, same places, same order
        uuids = set(session.scalars(select(CheckIn.uuid).where(CheckIn.registration_id.in_(regs))))
    assert uuids == {img.uuid for img in change.before if img.table == "check_in"}


def test_a_failed_deletion_changes_nothing(demo: tuple[Database, int], monkeypatch: pytest.MonkeyPatch) -> None:
    database, _ = demo
    with database.read() as session:
        pid = session.scalar(select(Role.person_id).limit(1))
    before = counts(database)
    original = changes.delete

    def failing_delete(table: object) -> object:
        if table is Person.__table__:
            raise IntegrityError("DELETE", {}, Exception("boom"))
        return original(table)  # type: ignore[arg-type]

    monkeypatch.setattr(changes, "delete", failing_delete)
    with pytest.raises(IntegrityError), database.write() as session:
        delete_person(session, int(pid))  # type: ignore[arg-type]
    assert counts(database) == before


def test_without_dependents_a_person_in_use_is_kept(demo: tuple[Database, int]) -> None:
    database, _ = demo
    with database.read() as session:
        pid = int(session.scalar(select(Role.person_id).limit(1)))  # type: ignore[arg-type]
    with pytest.raises(PersonInUse, match="role"), database.write() as session:
        delete_person(session, pid, with_dependents=False)
    with database.write() as session:
        lonely = made(create_person(session, VALID))
    with database.write() as session:
        change = delete_person(session, lonely, with_dependents=False)
    assert not change.count("role") and not change.count("registration")


def test_an_added_person_who_got_a_role_or_registration_since_is_not_taken_out_by_the_undo(
        demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as session:
        change = create_person(session, VALID)
        pid = made(change)
    with database.write() as session:
        session.add(Registration(event_id=event_id, person_id=pid, badge_code="ZZZZZ9"))
    with pytest.raises(PersonInUse, match="registered since being added"), database.write() as session:
        revert(session, change)
    with database.read() as session:
        assert session.get(Person, pid) is not None
    with database.write() as session:  # once they are deleted with it, the deletion's undo and redo work
        deleted = delete_person(session, pid)
    with database.write() as session:
        redo = revert(session, deleted)
    with database.write() as session:
        revert(session, redo)
    with database.read() as session:
        assert session.get(Person, pid) is None


def test_restoring_keeps_the_uuid_when_the_old_id_was_taken(database: Database) -> None:
    with database.write() as session:
        pid = made(create_person(session, VALID))
    with database.write() as session:
        change = delete_person(session, pid)
    with database.write() as session:
        other = Person(id=pid, given_name="Other")
        session.add(other)
        session.flush()
        assert other.id == pid
    with database.write() as session:
        restored = made(revert(session, change))
    assert restored != pid
    with database.read() as session:
        assert change.subject is not None
        assert session.scalar(select(Person.uuid).where(Person.id == restored)) == change.subject.uuid


def test_roster_rows_carry_search_text_and_event_counts(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as session:
        org = Organisation(name={"kk": "Жоғарғы Сот", "ru": "Верховный Суд"}, short_name={"en": "SC"})
        session.add(org)
        session.flush()
        pid = made(create_person(session, PersonData(given_name="Agnieszka", family_name="Wiśniewska",
                                                     organisation_id=org.id)))
    with database.read() as session:
        rows = {r.id: r for r in roster(session, event_id)}
    row = rows[pid]
    assert row.events == 0 and row.organisation_id is not None
    for term in ("wisniewska", "WIŚNIEWSKA", "жоғарғы", "верховный", "sc"):
        from desktop.core.folding import matches, search_terms
        assert matches(row.search_text, search_terms(term)), term
    assert all(r.events == 1 for r in rows.values() if r.id != pid)


def test_speakers_view_lists_every_role_with_where_and_when(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as session:
        rows = speakers(session, event_id)
        agenda = load_agenda(session, event_id)
        n_roles = session.scalar(select(func.count()).select_from(Role))
    assert len(rows) == n_roles
    starts = [r.starts_at for r in rows]
    assert starts == sorted(starts)
    (day,) = agenda.values()
    expected = set()
    for entry in day:
        for person in entry.people:
            expected.add((person.person_id, person.role, entry.title["en"], entry.starts_at))
        for child in entry.children:
            for person in child.people:
                expected.add((person.person_id, person.role, child.title["en"], child.starts_at))
    assert {(r.person_id, r.role, r.where, r.starts_at) for r in rows} == expected
    moderated = [r for r in rows if r.role == RoleKind.MODERATOR]
    assert moderated and all(not r.within and r.room for r in moderated)
    in_sessions = [r for r in rows if r.within]
    assert in_sessions and all(" › " in r.place() for r in in_sessions)


def test_restoring_leaves_out_what_went_meanwhile_as_the_database_would_have(
        demo: tuple[Database, int]) -> None:
    """A session deleted while the person was gone takes their role in it along (as ON
    DELETE CASCADE would have); the rest comes back."""
    database, _ = demo
    with database.read() as session:
        role_id, pid, session_id = session.execute(
            select(Role.id, Role.person_id, Role.session_id).where(Role.session_id.is_not(None)).limit(1)).one()
        n_roles = session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid))
    with database.write() as session:
        change = delete_person(session, pid)
    with database.write() as session:
        from db.models import AgendaSession
        session.execute(AgendaSession.__table__.delete().where(AgendaSession.id == session_id))
    with database.write() as session:
        restored = made(revert(session, change))
    with database.read() as session:
        roles = session.scalars(select(Role.id).where(Role.person_id == restored)).all()
        assert role_id not in roles and len(roles) == n_roles - 1
        assert session.scalar(select(func.count()).select_from(Registration)
                              .where(Registration.person_id == restored)) == change.count("registration")


def test_an_organisation_deleted_meanwhile_leaves_the_restored_person_without_one(database: Database) -> None:
    from desktop.core.organisations import OrganisationData, create_organisation, delete_organisation

    with database.write() as session:
        oid = made(create_organisation(session, OrganisationData(name={"en": "Gone Ltd"})))
        pid = made(create_person(session, dataclasses.replace(VALID, organisation_id=oid)))
    with database.write() as session:
        change = delete_person(session, pid)
    with database.write() as session:
        delete_organisation(session, oid)
    with database.write() as session:
        restored = made(revert(session, change))
    with database.read() as session:
        assert load_person(session, restored).organisation_id is None
