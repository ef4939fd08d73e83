"""Edits of registrations: each in the caller's transaction, each returning one ``Change``;
undo and redo (``changes.revert``) put the database back exactly, and keep the rules of
registrations in their words. On SQLite and PostgreSQL."""

from __future__ import annotations

import math
import random
import uuid as uuid_mod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.models import Category, CheckIn, CheckInAction, Organisation, Person, Registration, Sector, Source, Status
from desktop.core.changes import Change, revert
from desktop.core.codes import BadgeCodes, is_valid_code
from desktop.core.registration_edit import (
    AlreadyRegistered,
    NewPerson,
    RegistrationError,
    RegistrationGone,
    RegistrationHasCheckIns,
    register,
    registration_details,
    remove_registrations,
    set_category,
    set_status,
    update_details,
)
from desktop.core.registrations import RegistrationFilter, registration_ids
from tests.core.registration_data import CHECKED_IN, PEOPLE, Sample, build


@pytest.fixture
def sample(database: Database) -> Sample:
    return build(database)


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every registration, person and organisation as plain tuples (to compare states)."""
    with database.read() as s:
        return {
            "registration": sorted(tuple(r) for r in s.execute(select(
                Registration.id, Registration.uuid, Registration.event_id, Registration.person_id,
                Registration.category, Registration.status, Registration.badge_code, Registration.interpretation,
                Registration.dietary, Registration.accessibility, Registration.photo_consent, Registration.notes))),
            "person": sorted(tuple(r) for r in s.execute(select(Person.id, Person.uuid, Person.given_name,
                                                                Person.family_name, Person.organisation_id))),
            "organisation": sorted((oid, str(uid)) for oid, uid in s.execute(select(Organisation.id,
                                                                                     Organisation.uuid))),
        }


def edit(database: Database, make: Callable[[OrmSession], Change]) -> Change:
    """Make an edit in one transaction, as the window does."""
    with database.write() as s:
        return make(s)


def undo(database: Database, change: Change) -> Change:
    """Revert ``change`` in one transaction (an undo, or a redo of its inverse); the inverse."""
    with database.write() as s:
        return revert(s, change)


def fields(change: Change) -> dict[int, dict[str, Any]]:
    """The registrations ``change`` holds, by id: the values it would put back."""
    return {image.id: {k: v for k, v in image.values.items() if k not in ("id", "uuid")}
            for image in change.before if image.table == "registration"}


def made(change: Change) -> dict[str, list[uuid_mod.UUID]]:
    """The rows ``change`` made, by table."""
    out: dict[str, list[uuid_mod.UUID]] = {}
    for table, row_uuid in change.created:
        out.setdefault(table, []).append(row_uuid)
    return out


def registration_of(change: Change) -> int:
    assert change.subject is not None and change.subject.table == "registration"
    return change.subject.id


def code_of(database: Database, registration_id: int) -> str:
    with database.read() as s:
        return str(s.scalar(select(Registration.badge_code).where(Registration.id == registration_id)))


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements run meanwhile."""
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", listen)


def statuses(database: Database, ids: list[int]) -> list[Status]:
    with database.read() as s:
        found = dict(s.execute(select(Registration.id, Registration.status).where(Registration.id.in_(ids))).all())
    return [found[i] for i in ids]


# -- status and category -------------------------------------------------------------------


def test_bulk_confirm_returns_the_previous_values_of_what_changed(database: Database, sample: Sample) -> None:
    ids = [sample.ids[k] for k in ("sarsenbayev", "akhmetov", "wisniewska", "petrova")]
    before_state = snapshot(database)
    change = edit(database, lambda s: set_status(s, ids, Status.CONFIRMED))
    assert isinstance(change, Change) and change.subject is None  # about several
    # wisniewska was confirmed already: not part of the change
    assert fields(change) == {sample.ids["sarsenbayev"]: {"status": Status.REGISTERED},
                              sample.ids["akhmetov"]: {"status": Status.INVITED},
                              sample.ids["petrova"]: {"status": Status.DECLINED}}
    assert statuses(database, ids) == [Status.CONFIRMED] * 4

    redo = undo(database, change)
    assert snapshot(database) == before_state
    assert fields(redo) == {rid: {"status": Status.CONFIRMED} for rid in fields(change)}
    undo(database, redo)
    assert statuses(database, ids) == [Status.CONFIRMED] * 4


def test_nothing_to_change_is_an_empty_change(database: Database, sample: Sample) -> None:
    change = edit(database, lambda s: set_status(s, [sample.ids["wisniewska"]], Status.CONFIRMED))
    assert change.is_empty and fields(change) == {} and change.count("registration") == 0


def test_bulk_cancel_and_change_category(database: Database, sample: Sample) -> None:
    ids = list(sample.ids.values())
    before_state = snapshot(database)
    cancelled = edit(database, lambda s: set_status(s, ids, Status.CANCELLED))
    categories = edit(database, lambda s: set_category(s, ids, Category.OBSERVER))
    with database.read() as s:
        rows = s.execute(select(Registration.status, Registration.category).where(Registration.id.in_(ids))).all()
    assert set(rows) == {(Status.CANCELLED, Category.OBSERVER)}
    assert categories.count("registration") == len(PEOPLE) - 1  # Ахметов was an observer already
    assert all(set(values) == {"category"} for values in fields(categories).values())  # nothing else
    undo(database, categories)
    undo(database, cancelled)
    assert snapshot(database) == before_state


def test_an_edit_of_a_registration_gone_changes_nothing(database: Database, sample: Sample) -> None:
    ids = [sample.ids["akhmetov"], 987_654]
    with pytest.raises(RegistrationGone, match="no longer in the database"):
        edit(database, lambda s: set_status(s, ids, Status.CONFIRMED))
    assert statuses(database, [sample.ids["akhmetov"]]) == [Status.INVITED]
    change = edit(database, lambda s: set_status(s, [sample.ids["akhmetov"]], Status.CONFIRMED))
    with database.write() as s:
        s.execute(Registration.__table__.delete().where(Registration.id == sample.ids["akhmetov"]))
    before_state = snapshot(database)
    with pytest.raises(RegistrationGone):
        undo(database, change)
    assert snapshot(database) == before_state


def test_bulk_edits_go_in_chunks_of_ids(database: Database, sample: Sample,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids go to the database a chunk at a time (SQLite allows 32,766 variables in a
    statement; a select-all of 100,000 rows must still work), and each chunk is one UPDATE
    or DELETE, not one per registration: here, chunks of 3."""
    from desktop.core import raw

    monkeypatch.setattr(raw, "IN_CHUNK", 3)
    ids = list(sample.ids.values())
    before_state = snapshot(database)
    with statements(database) as seen:
        change = edit(database, lambda s: set_status(s, ids + ids[:4], Status.WAITLISTED))  # repeated ids count once
    assert change.count("registration") == len(PEOPLE) - 1
    assert statuses(database, ids) == [Status.WAITLISTED] * len(ids)
    # The edit's own updates (the rows' versions are raised after it, by the change: not per chunk).
    updates = [sql for sql in seen if sql.startswith("UPDATE registration") and "version=" not in sql]
    assert len(updates) == math.ceil(len(ids) / 3) > 1
    gone = [sample.ids[k] for k in ("akhmetov", "petrova", "ivanov", "yilmaz")]
    with statements(database) as seen:
        removed = edit(database, lambda s: remove_registrations(s, gone))
    assert len([sql for sql in seen if sql.startswith("DELETE FROM registration")]) == 2
    with database.read() as s:
        assert len(registration_ids(s, sample.event_id)) == len(PEOPLE) - 4
    undo(database, removed)
    undo(database, change)
    assert snapshot(database) == before_state


def test_undoing_a_bulk_edit_puts_values_back_a_value_at_a_time(demo: tuple[Database, int]) -> None:
    """The undo of a bulk edit of many registrations sets them back one UPDATE per former
    value (and chunk), not one per registration."""
    database, event_id = demo
    with database.read() as s:
        ids = registration_ids(s, event_id)
        former = set(s.scalars(select(Registration.status).where(
            Registration.id.in_(ids), Registration.status != Status.CANCELLED)))
    before_state = snapshot(database)
    change = edit(database, lambda s: set_status(s, ids, Status.CANCELLED))
    assert change.count("registration") >= 10 * len(former)
    with statements(database) as seen:
        undo(database, change)
    assert snapshot(database) == before_state
    assert len([sql for sql in seen if sql.startswith("UPDATE registration") and "version=" not in sql]) == len(former)


# -- details ---------------------------------------------------------------------------------


def test_update_details_trims_and_returns_what_changed(database: Database, sample: Sample) -> None:
    rid = sample.ids["wisniewska"]
    before_state = snapshot(database)
    change = edit(database, lambda s: update_details(s, rid, {
        "interpretation": " RU ", "dietary": "  vegetarian ", "accessibility": "", "photo_consent": False,
        "notes": "Arrives on the 27th.\nNeeds a visa letter.", "category": Category.SPEAKER,
    }))
    assert change.subject is not None and change.subject.id == rid
    assert fields(change) == {rid: {"interpretation": None, "dietary": None, "photo_consent": None, "notes": None}}
    with database.read() as s:
        details = registration_details(s, rid)
    assert details.dietary == "vegetarian" and details.photo_consent is False and details.interpretation == "ru"
    assert details.editable()["notes"].startswith("Arrives")
    assert details.checked_in_at == CHECKED_IN["wisniewska"] and details.desk == "Desk 1"
    redo = undo(database, change)
    assert snapshot(database) == before_state
    assert fields(redo) == {rid: {"interpretation": "ru", "dietary": "vegetarian", "photo_consent": False,
                                  "notes": "Arrives on the 27th.\nNeeds a visa letter."}}


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"status": "arrived"}, "not a registration status"),
        ({"category": "vip"}, "not a registration category"),
        ({"dietary": "x" * 201}, "longer than 200"),
        ({"interpretation": "english!!!"}, "longer than 8"),
        ({"photo_consent": "maybe"}, "Photo consent"),
        ({"badge_code": "AAAAAA"}, "cannot be edited here"),
    ],
)
def test_update_details_refuses_wrong_values(database: Database, sample: Sample, details: dict[str, Any],
                                             message: str) -> None:
    before_state = snapshot(database)
    with pytest.raises(RegistrationError, match=message):
        edit(database, lambda s: update_details(s, sample.ids["akhmetov"], details))
    assert snapshot(database) == before_state


def test_details_of_a_registration_gone(database: Database, sample: Sample) -> None:
    with database.read() as s, pytest.raises(RegistrationGone):
        registration_details(s, 424_242)


# -- registering -----------------------------------------------------------------------------


def test_register_someone_from_the_roster_then_undo_and_redo(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    registered = edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["roster_only"],
                                                   category=Category.PRESS, status=Status.CONFIRMED))
    assert set(made(registered)) == {"registration"}  # no person, no organisation made
    rid = registration_of(registered)
    code = code_of(database, rid)
    assert is_valid_code(code)
    with database.read() as s:
        details = registration_details(s, rid)
        codes = s.scalars(select(Registration.badge_code).where(Registration.event_id == sample.event_id)).all()
    assert details.name == "Асель Ахметжанова" and details.category == Category.PRESS
    assert details.source == Source.MANUAL and details.status == Status.CONFIRMED
    assert len(codes) == len(set(codes)) == len(PEOPLE) + 1
    with database.read() as s:
        assert sample.person_ids["roster_only"] in {
            r for (r,) in s.execute(select(Registration.person_id).where(
                Registration.id.in_(registration_ids(s, sample.event_id, RegistrationFilter(search="асель")))))}

    redo = undo(database, registered)
    assert snapshot(database) == before_state          # the person stays: they were in the roster
    again = undo(database, redo)
    assert again.subject == registered.subject         # the same uuid and id
    assert code_of(database, registration_of(again)) == code


def test_registering_twice_is_refused(database: Database, sample: Sample) -> None:
    with pytest.raises(AlreadyRegistered, match="This person is already registered .* K7Q2MX"):
        edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["sarsenbayeva"]))


def test_register_someone_new_with_a_new_organisation(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    registered = edit(database, lambda s: register(s, sample.event_id, new_person=NewPerson(
        given_name="  Әлия ", family_name="Нұрланова", email="aliya@example.kz",
        organisation_name="Алматы облыстық соты", organisation_sector=Sector.JUDICIARY, lang="kk")))
    new = made(registered)
    assert len(new["person"]) == 1 and len(new["organisation"]) == 1
    with database.read() as s:
        person = s.execute(select(Person).where(Person.uuid == new["person"][0])).scalar_one()
        organisation = s.execute(select(Organisation).where(Organisation.uuid == new["organisation"][0])).scalar_one()
        assert person.given_name == "Әлия" and person.organisation_id == organisation.id
        assert organisation.name == {"kk": "Алматы облыстық соты"}
        assert organisation.sector == Sector.JUDICIARY
        # The new person is searchable at once (the index follows by itself).
        found = registration_ids(s, sample.event_id, RegistrationFilter(search="нұрлан облыс"))
    assert found == [registration_of(registered)]

    redo = undo(database, registered)
    assert snapshot(database) == before_state           # person and organisation gone with it
    again = undo(database, redo)
    with database.read() as s:
        person_of = s.scalar(select(Registration.person_id).where(Registration.id == registration_of(again)))
        assert s.scalar(select(Person.uuid).where(Person.id == person_of)) == new["person"][0]
        found = registration_ids(s, sample.event_id, RegistrationFilter(search="әлия"))
    assert found == [registration_of(again)]


def test_a_typed_organisation_that_exists_is_not_made_twice(database: Database, sample: Sample) -> None:
    registered = edit(database, lambda s: register(s, sample.event_id, new_person=NewPerson(
        given_name="Anna", family_name="Nowak", organisation_name="ВЕРХОВНЫЙ СУД")))
    assert set(made(registered)) == {"person", "registration"}  # no organisation made
    with database.read() as s:
        person = s.execute(select(Person).where(Person.uuid == made(registered)["person"][0])).scalar_one()
    assert person.organisation_id == sample.org_ids["court"]


def test_undo_of_a_registration_keeps_people_used_since(database: Database, sample: Sample) -> None:
    """The person a registration brought into the roster is taken out by its undo only
    while nothing else uses them; else the undo is refused, in words (the person and the
    registration stay; removing the registration is the way)."""
    registered = edit(database, lambda s: register(s, sample.event_id, new_person=NewPerson(
        given_name="Anna", family_name="Nowak")))
    with database.read() as s:
        person_id = s.scalar(select(Person.id).where(Person.uuid == made(registered)["person"][0]))
    assert person_id is not None
    edit(database, lambda s: register(s, sample.other_event_id, person_id=person_id))
    before_state = snapshot(database)
    with pytest.raises(RegistrationError, match="registered for another event .* remove the registration"):
        undo(database, registered)
    with database.read() as s:
        assert s.get(Person, person_id) is not None  # still registered for the other event
    assert snapshot(database) == before_state


def test_undo_of_a_registration_keeps_an_organisation_used_since(database: Database, sample: Sample) -> None:
    registered = edit(database, lambda s: register(s, sample.event_id, new_person=NewPerson(
        given_name="Anna", family_name="Nowak", organisation_name="Nowak & Partners")))
    with database.write() as s:
        organisation_id = s.scalar(select(Organisation.id).where(
            Organisation.uuid == made(registered)["organisation"][0]))
        s.add(Person(given_name="Jan", family_name="Kowalski", organisation_id=organisation_id))
    before_state = snapshot(database)
    with pytest.raises(RegistrationError, match="organisation added with this registration is used"):
        undo(database, registered)
    assert snapshot(database) == before_state


@pytest.mark.parametrize(
    ("person", "message"),
    [
        (NewPerson(given_name=" ", family_name=""), "needs a given name or a family name"),
        (NewPerson(given_name="Anna", family_name="Nowak", email="anna at example"), "not an e-mail address"),
        (NewPerson(given_name="Anna", family_name="Nowak", organisation_id=987_654), "organisation is no longer"),
    ],
)
def test_register_refuses_what_is_wrong_and_writes_nothing(database: Database, sample: Sample,
                                                           person: NewPerson, message: str) -> None:
    before_state = snapshot(database)
    with pytest.raises(RegistrationError, match=message):
        edit(database, lambda s: register(s, sample.event_id, new_person=person))
    assert snapshot(database) == before_state


def test_a_fresh_code_is_never_one_taken_in_the_event(database: Database, sample: Sample) -> None:
    class Taken(BadgeCodes):
        """Draws the codes of the event first."""

        def __init__(self) -> None:
            super().__init__(random.Random(1))
            self._queue = ["K7Q2MX", "A2B3C4"]

        def new(self) -> str:
            return self._queue.pop(0) if self._queue else super().new()

    registered = edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["roster_only"],
                                                   codes=Taken()))
    assert code_of(database, registration_of(registered)) not in {p[8] for p in PEOPLE.values()}


def test_restore_refuses_a_code_given_away_meanwhile(database: Database, sample: Sample) -> None:
    registered = edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["roster_only"]))
    code = code_of(database, registration_of(registered))
    redo = undo(database, registered)
    with database.write() as s:
        s.execute(Registration.__table__.update().where(Registration.id == sample.ids["yilmaz"])
                  .values(badge_code=code))
    before_state = snapshot(database)
    with pytest.raises(RegistrationError, match=f"badge code {code}"):
        undo(database, redo)
    assert snapshot(database) == before_state


def test_undo_of_a_registration_checked_in_since_is_refused(database: Database, sample: Sample) -> None:
    registered = edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["roster_only"]))
    with database.write() as s:
        s.add(CheckIn(registration_id=registration_of(registered), desk="Desk 2", action=CheckInAction.IN))
    before_state = snapshot(database)
    with pytest.raises(RegistrationHasCheckIns, match=r"badge \w+ has check-in records.*Cancelled") as refused:
        undo(database, registered)
    assert "Ахметжанова" not in str(refused.value)  # no message names a person
    assert snapshot(database) == before_state


# -- removing --------------------------------------------------------------------------------


def test_remove_then_undo_puts_the_same_rows_back(database: Database, sample: Sample) -> None:
    ids = [sample.ids["petrova"], sample.ids["akhmetov"]]
    before_state = snapshot(database)
    removed = edit(database, lambda s: remove_registrations(s, ids))
    assert sorted(fields(removed)) == sorted(ids) and removed.tables == {"registration"}
    with database.read() as s:
        assert s.scalar(select(func.count()).where(Registration.id.in_(ids))) == 0
        assert s.get(Person, sample.person_ids["petrova"]) is not None  # the roster keeps the people
    redo = undo(database, removed)
    assert snapshot(database) == before_state           # the same ids, uuids and badge codes
    again = undo(database, redo)  # redo
    with database.read() as s:
        assert s.scalar(select(func.count()).where(Registration.id.in_(ids))) == 0
    undo(database, again)
    assert snapshot(database) == before_state


def test_a_registration_with_check_ins_is_kept(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    with pytest.raises(RegistrationHasCheckIns, match=r"badge \w+ has check-in records.*Cancelled") as refused:
        edit(database, lambda s: remove_registrations(s, [sample.ids["sarsenbayeva"]]))
    assert "Сәрсенбаева" not in str(refused.value)  # no message names a person
    # An UNDO cancels the arrival, but the rows are still the record: kept too.
    with pytest.raises(RegistrationHasCheckIns):
        edit(database, lambda s: remove_registrations(s, [sample.ids["zhienbayev"]]))
    # One with check-ins among several: nothing at all is removed.
    with pytest.raises(RegistrationHasCheckIns, match="2 of the chosen registrations .* nothing was removed"):
        edit(database, lambda s: remove_registrations(
            s, [sample.ids["petrova"], sample.ids["sarsenbayev"], sample.ids["akhmetova"]]))
    assert snapshot(database) == before_state
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 9


def test_remove_something_gone(database: Database, sample: Sample) -> None:
    with pytest.raises(RegistrationGone):
        edit(database, lambda s: remove_registrations(s, [sample.ids["petrova"], 555_555]))
    with database.read() as s:
        assert s.get(Registration, sample.ids["petrova"]) is not None


def test_restore_when_the_person_was_registered_again(database: Database, sample: Sample) -> None:
    removed = edit(database, lambda s: remove_registrations(s, [sample.ids["petrova"]]))
    edit(database, lambda s: register(s, sample.event_id, person_id=sample.person_ids["petrova"]))
    before_state = snapshot(database)
    with pytest.raises(AlreadyRegistered, match="registered again meanwhile"):
        undo(database, removed)
    assert snapshot(database) == before_state


def test_a_redo_of_a_removal_keeps_what_was_checked_in_since(database: Database, sample: Sample) -> None:
    ids = [sample.ids["petrova"], sample.ids["akhmetov"]]
    redo = undo(database, edit(database, lambda s: remove_registrations(s, ids)))
    with database.write() as s:
        s.add(CheckIn(registration_id=sample.ids["akhmetov"], desk="Desk 2", action=CheckInAction.IN))
    before_state = snapshot(database)
    with pytest.raises(RegistrationHasCheckIns, match="1 of the chosen registrations .* nothing was removed"):
        undo(database, redo)
    assert snapshot(database) == before_state
