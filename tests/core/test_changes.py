"""The one undo contract (desktop/core/changes.py): what a Recorder records, and that
``revert`` puts back the very same rows — and that reverting the inverse redoes the edit."""

from __future__ import annotations

import uuid as uuid_mod
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, Base, CheckIn, Event, Person, Registration, Role, RoleKind, Room
from desktop.core.changes import Change, Recorder, RestoreError, RowRef, ref_of, revert
from tests.databases import content_columns

Snapshot = dict[str, dict[Any, dict[str, Any]]]


def snapshot(database: Database) -> Snapshot:
    """Every row of every table, by table and uuid, all columns."""
    out: Snapshot = {}
    with database.read() as session:
        for table in Base.metadata.sorted_tables:
            if "uuid" not in table.c:
                continue
            out[table.name] = {row.uuid: dict(row._mapping) for row in session.execute(select(*content_columns(table)))}
    return out


def edit(database: Database, make: Any) -> Change:
    with database.write() as session:
        recorder = Recorder(session)
        subject = make(session, recorder)
        return recorder.change(subject if isinstance(subject, RowRef) else None)


def undo(database: Database, change: Change) -> Change:
    with database.write() as session:
        return revert(session, change)


def first(database: Database, stmt: Any) -> Any:
    with database.read() as session:
        return session.scalars(stmt).first()


def test_update_is_undone_and_redone_field_by_field(demo: tuple[Database, int]) -> None:
    database, _ = demo
    person_id = first(database, select(Person.id).order_by(Person.id))
    start = snapshot(database)

    def make(session: Any, rec: Recorder) -> RowRef:
        rec.update("person", Person.__table__.c.id == person_id, {"phone": "+7 700 000 0000"})
        return ref_of(session, "person", person_id)

    change = edit(database, make)
    assert change.tables == {"person"} and change.subject is not None and change.subject.id == person_id
    assert set(change.before[0].values) == {"id", "uuid", "phone"}
    # Someone else changes another field meanwhile: undoing the phone leaves it alone.
    with database.write() as session:
        session.execute(Person.__table__.update().where(Person.__table__.c.id == person_id)
                        .values(email="new@example.org"))
    redo = undo(database, change)
    after_undo = snapshot(database)
    (uid,) = [u for u, row in start["person"].items() if row["id"] == person_id]
    assert after_undo["person"][uid]["phone"] == start["person"][uid]["phone"]
    assert after_undo["person"][uid]["email"] == "new@example.org"
    again = undo(database, redo)
    assert snapshot(database)["person"][uid]["phone"] == "+7 700 000 0000"
    assert again.tables == {"person"}


def test_deleting_a_session_takes_its_items_and_roles_and_undo_brings_the_same_rows(
    demo: tuple[Database, int],
) -> None:
    database, _ = demo
    session_id = first(database, select(AgendaSession.id).order_by(AgendaSession.id))
    start = snapshot(database)

    change = edit(database, lambda s, rec: rec.delete("session", AgendaSession.__table__.c.id == session_id))
    assert change.count("session") == 1 and change.count("agenda_item") > 0 and change.count("role") > 0
    gone = snapshot(database)
    assert len(gone["agenda_item"]) == len(start["agenda_item"]) - change.count("agenda_item")

    redo = undo(database, change)
    assert snapshot(database) == start  # every column of every row, ids and uuids included
    assert redo.created and not redo.before
    undo(database, redo)
    assert snapshot(database) == gone


def test_set_null_keys_are_put_back(demo: tuple[Database, int]) -> None:
    database, _ = demo
    room_id = first(database, select(AgendaSession.room_id).where(AgendaSession.room_id.is_not(None)))
    start = snapshot(database)
    change = edit(database, lambda s, rec: rec.delete("room", Room.__table__.c.id == room_id))
    assert {"room", "session"} <= change.tables
    assert first(database, select(AgendaSession.id).where(AgendaSession.room_id == room_id)) is None
    undo(database, change)
    assert snapshot(database) == start


def test_insert_is_undone_and_redone_with_the_same_uuid(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    made: list[RowRef] = []

    def make(session: Any, rec: Recorder) -> RowRef:
        ref = rec.insert("room", {"event_id": event_id, "name": {"en": "Annex"}, "position": 99})
        made.append(ref)
        return ref

    change = edit(database, make)
    assert change.created == (("room", made[0].uuid),)
    redo = undo(database, change)
    assert first(database, select(Room.id).where(Room.uuid == made[0].uuid)) is None
    undo(database, redo)
    assert first(database, select(Room.id).where(Room.uuid == made[0].uuid)) == made[0].id


def test_a_row_moved_into_a_row_made_by_the_same_edit_survives_the_undo(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    item_id = first(database, select(AgendaItem.id).where(AgendaItem.session_id.is_(None)))
    with database.read() as session:
        template = session.execute(select(AgendaSession.__table__).limit(1)).one()._mapping
    start = snapshot(database)

    def make(session: Any, rec: Recorder) -> RowRef:
        values = {k: v for k, v in template.items() if k not in ("id", "uuid")}
        ref = rec.insert("session", values)
        rec.update("agenda_item", AgendaItem.__table__.c.id == item_id, {"session_id": ref.id})
        return ref

    change = edit(database, make)
    undo(database, change)
    assert snapshot(database) == start


def test_a_row_that_took_a_removed_rows_unique_value_gives_it_back(demo: tuple[Database, int]) -> None:
    """A registration removed and another moved into its place (event, person): the undo
    moves the second out before it puts the first back, and the redo removes the first
    before it moves the second in (a merge of two records does this)."""
    database, event_id = demo
    with database.write() as session:
        taken = session.execute(
            select(Registration.id, Registration.person_id).where(Registration.event_id == event_id)
            .where(Registration.id.not_in(select(CheckIn.registration_id))).limit(1)).one()
        newcomer = Person(given_name="Aigerim", family_name="Test")
        session.add(newcomer)
        session.flush()
        moving = Registration(event_id=event_id, person_id=newcomer.id, badge_code="MOVING")
        session.add(moving)
        session.flush()
        moving_id = moving.id

    def registrations() -> dict[Any, tuple[Any, ...]]:
        with database.read() as session:
            return {row.uuid: (row.id, row.event_id, row.person_id, row.badge_code)
                    for row in session.execute(select(Registration.__table__))}

    start = registrations()

    def make(session: Any, rec: Recorder) -> None:
        rec.delete("registration", Registration.__table__.c.id == taken.id)
        rec.update("registration", Registration.__table__.c.id == moving_id, {"person_id": taken.person_id})

    change = edit(database, make)
    after = registrations()
    assert len(after) == len(start) - 1
    redo = undo(database, change)
    assert registrations() == start
    again = undo(database, redo)
    assert registrations() == after
    undo(database, again)
    assert registrations() == start


def test_a_row_moved_out_of_a_removed_row_into_a_made_one_goes_back_before_that_goes(
        demo: tuple[Database, int]) -> None:
    database, _event_id = demo
    with database.read() as session:
        item_id, session_id = session.execute(
            select(AgendaItem.id, AgendaItem.session_id).where(AgendaItem.session_id.is_not(None)).limit(1)).one()
        template = session.execute(select(AgendaSession.__table__).where(AgendaSession.id == session_id)).one()._mapping
    start = snapshot(database)

    def make(session: Any, rec: Recorder) -> RowRef:
        ref = rec.insert("session", {k: v for k, v in template.items() if k not in ("id", "uuid")})
        rec.update("agenda_item", AgendaItem.__table__.c.id == item_id, {"session_id": ref.id})
        rec.delete("session", AgendaSession.__table__.c.id == session_id)
        return ref

    change = edit(database, make)
    after = snapshot(database)
    redo = undo(database, change)
    assert snapshot(database) == start
    undo(database, redo)
    assert snapshot(database) == after


def test_undo_refuses_when_a_row_the_edit_made_is_gone(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    change = edit(database, lambda s, rec: rec.insert(
        "room", {"event_id": event_id, "name": {"en": "Annex"}, "position": 99}))
    with database.write() as session:
        session.execute(Room.__table__.delete().where(Room.__table__.c.uuid == change.created[0][1]))
    with pytest.raises(RestoreError, match="room this edit made no longer exists"):
        undo(database, change)


def test_a_row_put_back_where_its_parent_is_gone_is_refused(demo: tuple[Database, int]) -> None:
    database, _ = demo
    item_id = first(database, select(AgendaItem.id).order_by(AgendaItem.id))
    with database.write() as session:
        person = Person(given_name="Aigerim", family_name="Test")
        session.add(person)
        session.flush()
        session.add(Role(person_id=person.id, item_id=item_id, kind=RoleKind.SPEAKER, position=9))
        session.flush()
        person_id = person.id
    change = edit(database, lambda s, rec: rec.delete("role", Role.__table__.c.person_id == person_id))
    assert change.count("role") == 1
    with database.write() as session:  # the person goes meanwhile (roles RESTRICT it)
        session.execute(Person.__table__.delete().where(Person.__table__.c.id == person_id))
    with pytest.raises(RestoreError, match="person this role belonged to no longer exists"):
        undo(database, change)


def test_changes_add_up_in_order(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as session:
        rec = Recorder(session)
        ref = rec.insert("room", {"event_id": event_id, "name": {"en": "Annex"}, "position": 99})
        one = rec.change(ref)
        rec2 = Recorder(session)
        rec2.update("room", Room.__table__.c.id == ref.id, {"capacity": 40})
        rec2.update("event", Event.__table__.c.id == event_id, {"venue": {"en": "Elsewhere"}})
        two = rec2.change()
    both = one + two
    assert both.created == (("room", ref.uuid),)
    assert [i.table for i in both.before] == ["event"]  # the room made by the first is not imaged
    assert both.subject == ref
    undo(database, both)
    assert first(database, select(Room.id).where(Room.uuid == ref.uuid)) is None


def test_deleting_an_event_and_undoing_it_in_bulk(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    start = snapshot(database)
    with database.write() as session:
        rec = Recorder(session)
        regs = select(Registration.id).where(Registration.event_id == event_id)
        rec.delete("check_in", CheckIn.__table__.c.registration_id.in_(regs))
        rec.delete("event", Event.__table__.c.id == event_id)
        change = rec.change()
    assert change.count("registration") == len(start["registration"])
    assert change.count("check_in") == len(start["check_in"])
    assert snapshot(database)["event"] == {}
    redo = undo(database, change)
    assert snapshot(database) == start
    undo(database, redo)
    assert snapshot(database)["registration"] == {}


def test_row_refs_and_unknown_rows() -> None:
    ref = RowRef("person", 3, uuid_mod.uuid4())
    assert Change(subject=ref).is_empty and Change(subject=ref).about(None).subject is None
