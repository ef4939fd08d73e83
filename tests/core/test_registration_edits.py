"""Edits of registrations: each one transaction, each returning what undoing it needs;
undo and redo through core put the database back exactly. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Category, CheckIn, Organisation, Person, Registration, Sector, Source, Status
from desktop.core.codes import BadgeCodes, is_valid_code
from desktop.core.registration_edit import (
    AlreadyRegistered,
    FieldChange,
    NewPerson,
    RegistrationError,
    RegistrationGone,
    RegistrationHasCheckIns,
    apply_values,
    register,
    registration_details,
    remove_registrations,
    restore_registered,
    restore_removed,
    set_category,
    set_status,
    unregister,
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


def statuses(database: Database, ids: list[int]) -> list[Status]:
    with database.read() as s:
        found = dict(s.execute(select(Registration.id, Registration.status).where(Registration.id.in_(ids))).all())
    return [found[i] for i in ids]


# -- status and category -------------------------------------------------------------------


def test_bulk_confirm_returns_the_previous_values_of_what_changed(database: Database, sample: Sample) -> None:
    ids = [sample.ids[k] for k in ("sarsenbayev", "akhmetov", "wisniewska", "petrova")]
    before_state = snapshot(database)
    change = set_status(database, ids, Status.CONFIRMED)
    assert isinstance(change, FieldChange)
    # wisniewska was confirmed already: not part of the change
    assert change.before == {sample.ids["sarsenbayev"]: {"status": Status.REGISTERED},
                             sample.ids["akhmetov"]: {"status": Status.INVITED},
                             sample.ids["petrova"]: {"status": Status.DECLINED}}
    assert change.after == {rid: {"status": Status.CONFIRMED} for rid in change.before}
    assert statuses(database, ids) == [Status.CONFIRMED] * 4

    apply_values(database, change.before)  # undo
    assert snapshot(database) == before_state
    apply_values(database, change.after)   # redo
    assert statuses(database, ids) == [Status.CONFIRMED] * 4


def test_nothing_to_change_is_an_empty_change(database: Database, sample: Sample) -> None:
    change = set_status(database, [sample.ids["wisniewska"]], Status.CONFIRMED)
    assert not change and change.before == {} and change.ids == []


def test_bulk_cancel_and_change_category(database: Database, sample: Sample) -> None:
    ids = list(sample.ids.values())
    before_state = snapshot(database)
    cancelled = set_status(database, ids, Status.CANCELLED)
    categories = set_category(database, ids, Category.OBSERVER)
    with database.read() as s:
        rows = s.execute(select(Registration.status, Registration.category).where(Registration.id.in_(ids))).all()
    assert set(rows) == {(Status.CANCELLED, Category.OBSERVER)}
    assert len(categories.before) == len(PEOPLE) - 1  # Ахметов was an observer already
    apply_values(database, categories.before)
    apply_values(database, cancelled.before)
    assert snapshot(database) == before_state


def test_an_edit_of_a_registration_gone_changes_nothing(database: Database, sample: Sample) -> None:
    ids = [sample.ids["akhmetov"], 987_654]
    with pytest.raises(RegistrationGone, match="no longer in the database"):
        set_status(database, ids, Status.CONFIRMED)
    assert statuses(database, [sample.ids["akhmetov"]]) == [Status.INVITED]
    change = set_status(database, [sample.ids["akhmetov"]], Status.CONFIRMED)
    with database.write() as s:
        s.execute(Registration.__table__.delete().where(Registration.id == sample.ids["akhmetov"]))
    with pytest.raises(RegistrationGone):
        apply_values(database, change.before)


def test_bulk_edits_go_in_chunks_of_ids(database: Database, sample: Sample,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids go to the database a chunk at a time (SQLite allows 32,766 variables in a
    statement; a select-all of 100,000 rows must still work): here, chunks of 3."""
    from desktop.core import raw

    monkeypatch.setattr(raw, "IN_CHUNK", 3)
    ids = list(sample.ids.values())
    before_state = snapshot(database)
    change = set_status(database, ids + ids[:4], Status.WAITLISTED)  # repeated ids count once
    assert len(change.after) == len(PEOPLE) - 1
    assert statuses(database, ids) == [Status.WAITLISTED] * len(ids)
    removed = remove_registrations(database, [sample.ids[k] for k in ("akhmetov", "petrova", "ivanov", "yilmaz")])
    with database.read() as s:
        assert len(registration_ids(s, sample.event_id)) == len(PEOPLE) - 4
    restore_removed(database, removed)
    apply_values(database, change.before)
    assert snapshot(database) == before_state


# -- details ---------------------------------------------------------------------------------


def test_update_details_trims_and_returns_what_changed(database: Database, sample: Sample) -> None:
    rid = sample.ids["wisniewska"]
    before_state = snapshot(database)
    change = update_details(database, rid, {
        "interpretation": " RU ", "dietary": "  vegetarian ", "accessibility": "", "photo_consent": False,
        "notes": "Arrives on the 27th.\nNeeds a visa letter.", "category": Category.SPEAKER,
    })
    assert change.after == {rid: {"interpretation": "ru", "dietary": "vegetarian", "photo_consent": False,
                                  "notes": "Arrives on the 27th.\nNeeds a visa letter."}}
    assert change.before == {rid: {"interpretation": None, "dietary": None, "photo_consent": None, "notes": None}}
    with database.read() as s:
        details = registration_details(s, rid)
    assert details.dietary == "vegetarian" and details.photo_consent is False and details.interpretation == "ru"
    assert details.editable()["notes"].startswith("Arrives")
    assert details.checked_in_at == CHECKED_IN["wisniewska"] and details.desk == "Desk 1"
    apply_values(database, change.before)
    assert snapshot(database) == before_state


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
        update_details(database, sample.ids["akhmetov"], details)
    assert snapshot(database) == before_state


def test_details_of_a_registration_gone(database: Database, sample: Sample) -> None:
    with database.read() as s, pytest.raises(RegistrationGone):
        registration_details(s, 424_242)


# -- registering -----------------------------------------------------------------------------


def test_register_someone_from_the_roster_then_undo_and_redo(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    registered = register(database, sample.event_id, person_id=sample.person_ids["roster_only"],
                          category=Category.PRESS, status=Status.CONFIRMED)
    assert registered.person is None and registered.organisation is None
    assert is_valid_code(registered.code)
    with database.read() as s:
        details = registration_details(s, registered.registration_id)
        codes = s.scalars(select(Registration.badge_code).where(Registration.event_id == sample.event_id)).all()
    assert details.name == "Асель Ахметжанова" and details.category == Category.PRESS
    assert details.source == Source.MANUAL and details.status == Status.CONFIRMED
    assert len(codes) == len(set(codes)) == len(PEOPLE) + 1
    with database.read() as s:
        assert sample.person_ids["roster_only"] in {
            r for (r,) in s.execute(select(Registration.person_id).where(
                Registration.id.in_(registration_ids(s, sample.event_id, RegistrationFilter(search="асель")))))}

    unregister(database, registered)
    assert snapshot(database) == before_state          # the person stays: they were in the roster
    again = restore_registered(database, registered)
    assert again.registration["uuid"] == registered.registration["uuid"]
    assert again.code == registered.code and again.registration_id == registered.registration_id


def test_registering_twice_is_refused(database: Database, sample: Sample) -> None:
    with pytest.raises(AlreadyRegistered, match="Сәрсенбаева is already registered .* K7Q2MX"):
        register(database, sample.event_id, person_id=sample.person_ids["sarsenbayeva"])


def test_register_someone_new_with_a_new_organisation(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    registered = register(database, sample.event_id, new_person=NewPerson(
        given_name="  Әлия ", family_name="Нұрланова", email="aliya@example.kz",
        organisation_name="Алматы облыстық соты", organisation_sector=Sector.JUDICIARY, lang="kk"))
    assert registered.person is not None and registered.organisation is not None
    assert registered.person["given_name"] == "Әлия"
    assert registered.organisation["name"] == {"kk": "Алматы облыстық соты"}
    assert registered.organisation["sector"] == Sector.JUDICIARY
    # The new person is searchable at once (the index follows by itself).
    with database.read() as s:
        found = registration_ids(s, sample.event_id, RegistrationFilter(search="нұрлан облыс"))
    assert found == [registered.registration_id]

    unregister(database, registered)
    assert snapshot(database) == before_state           # person and organisation gone with it
    again = restore_registered(database, registered)
    with database.read() as s:
        assert s.scalar(select(Person.uuid).where(Person.id == again.person_id)) == registered.person["uuid"]
        found = registration_ids(s, sample.event_id, RegistrationFilter(search="әлия"))
    assert found == [again.registration_id]


def test_a_typed_organisation_that_exists_is_not_made_twice(database: Database, sample: Sample) -> None:
    registered = register(database, sample.event_id, new_person=NewPerson(
        given_name="Anna", family_name="Nowak", organisation_name="ВЕРХОВНЫЙ СУД"))
    assert registered.organisation is None
    assert registered.person is not None and registered.person["organisation_id"] == sample.org_ids["court"]


def test_undo_of_a_registration_keeps_people_used_since(database: Database, sample: Sample) -> None:
    registered = register(database, sample.event_id, new_person=NewPerson(given_name="Anna", family_name="Nowak"))
    register(database, sample.other_event_id, person_id=registered.person_id)
    unregister(database, registered)
    with database.read() as s:
        assert s.get(Person, registered.person_id) is not None  # still registered for the other event


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
        register(database, sample.event_id, new_person=person)
    assert snapshot(database) == before_state


def test_a_fresh_code_is_never_one_taken_in_the_event(database: Database, sample: Sample) -> None:
    class Taken(BadgeCodes):
        """Draws the codes of the event first."""

        def __init__(self) -> None:
            super().__init__(random.Random(1))
            self._queue = ["K7Q2MX", "A2B3C4"]

        def new(self) -> str:
            return self._queue.pop(0) if self._queue else super().new()

    registered = register(database, sample.event_id, person_id=sample.person_ids["roster_only"], codes=Taken())
    assert registered.code not in {p[8] for p in PEOPLE.values()}


def test_restore_refuses_a_code_given_away_meanwhile(database: Database, sample: Sample) -> None:
    registered = register(database, sample.event_id, person_id=sample.person_ids["roster_only"])
    unregister(database, registered)
    with database.write() as s:
        s.execute(Registration.__table__.update().where(Registration.id == sample.ids["yilmaz"])
                  .values(badge_code=registered.code))
    with pytest.raises(RegistrationError, match=f"badge code {registered.code}"):
        restore_registered(database, registered)


# -- removing --------------------------------------------------------------------------------


def test_remove_then_undo_puts_the_same_rows_back(database: Database, sample: Sample) -> None:
    ids = [sample.ids["petrova"], sample.ids["akhmetov"]]
    before_state = snapshot(database)
    removed = remove_registrations(database, ids)
    assert removed.ids == ids
    with database.read() as s:
        assert s.scalar(select(func.count()).where(Registration.id.in_(ids))) == 0
        assert s.get(Person, sample.person_ids["petrova"]) is not None  # the roster keeps the people
    restored = restore_removed(database, removed)
    assert snapshot(database) == before_state
    assert restored.ids == ids
    remove_registrations(database, restored.ids)  # redo
    restore_removed(database, restored)
    assert snapshot(database) == before_state


def test_a_registration_with_check_ins_is_kept(database: Database, sample: Sample) -> None:
    before_state = snapshot(database)
    with pytest.raises(RegistrationHasCheckIns, match="Айгерім Сәрсенбаева has check-in records.*Cancelled"):
        remove_registrations(database, [sample.ids["sarsenbayeva"]])
    # An UNDO cancels the arrival, but the rows are still the record: kept too.
    with pytest.raises(RegistrationHasCheckIns):
        remove_registrations(database, [sample.ids["zhienbayev"]])
    # One with check-ins among several: nothing at all is removed.
    with pytest.raises(RegistrationHasCheckIns, match="2 of the chosen registrations .* nothing was removed"):
        remove_registrations(database, [sample.ids["petrova"], sample.ids["sarsenbayev"], sample.ids["akhmetova"]])
    assert snapshot(database) == before_state
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 9


def test_remove_something_gone(database: Database, sample: Sample) -> None:
    with pytest.raises(RegistrationGone):
        remove_registrations(database, [sample.ids["petrova"], 555_555])
    with database.read() as s:
        assert s.get(Registration, sample.ids["petrova"]) is not None


def test_restore_when_the_person_was_registered_again(database: Database, sample: Sample) -> None:
    removed = remove_registrations(database, [sample.ids["petrova"]])
    register(database, sample.event_id, person_id=sample.person_ids["petrova"])
    with pytest.raises(AlreadyRegistered, match="registered again meanwhile"):
        restore_removed(database, removed)
