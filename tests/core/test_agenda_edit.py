"""Agenda edits (desktop.core.agenda_edit): each edit and its undo round-trip exactly, on
SQLite and PostgreSQL; shift-from-here; reordering; the event's days; validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.models import AgendaItem, AgendaSession, Event, ItemKind, Person, Role, RoleKind, Room
from desktop.core import agenda_edit as ae
from desktop.core.agenda_edit import (
    AgendaContext,
    AgendaError,
    ItemData,
    OnStageRole,
    SessionData,
)
from desktop.core.changes import Change, RestoreError, revert
from desktop.core.checks import InvalidData, Severity
from tests.databases import content_columns

DAY = dt.date(2025, 2, 28)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def dump(database: Database, event_id: int) -> dict[str, Any]:
    """Every column of the event's sessions, items and roles, and its dates."""
    with database.read() as s:
        sessions = [tuple(r) for r in s.execute(select(*content_columns(AgendaSession.__table__))
                                                .where(AgendaSession.event_id == event_id)
                                                .order_by(AgendaSession.id))]
        items = [tuple(r) for r in s.execute(select(*content_columns(AgendaItem.__table__))
                                             .where(AgendaItem.event_id == event_id)
                                             .order_by(AgendaItem.id))]
        session_ids = [r[0] for r in sessions]
        item_ids = [r[0] for r in items]
        roles = [tuple(r) for r in s.execute(
            select(*content_columns(Role.__table__))
            .where(Role.session_id.in_(session_ids) | Role.item_id.in_(item_ids))
            .order_by(Role.id))]
        dates = s.execute(select(Event.starts_on, Event.ends_on).where(Event.id == event_id)).one()
    return {"sessions": sessions, "items": items, "roles": roles, "dates": tuple(dates)}


def ids(database: Database, event_id: int) -> dict[str, Any]:
    """Handy ids of the demo: its sessions, items by title, rooms, a few people."""
    with database.read() as s:
        sessions = [r for r in s.execute(select(AgendaSession.id, AgendaSession.starts_at)
                                         .where(AgendaSession.event_id == event_id)
                                         .order_by(AgendaSession.starts_at))]
        items = {r.title["en"]: r for r in s.execute(
            select(AgendaItem.id, AgendaItem.title, AgendaItem.session_id, AgendaItem.starts_at, AgendaItem.ends_at)
            .where(AgendaItem.event_id == event_id))}
        rooms = [r for (r,) in s.execute(select(Room.id).where(Room.event_id == event_id).order_by(Room.position))]
        people = [r for (r,) in s.execute(select(Person.id).order_by(Person.id).limit(6))]
    return {"sessions": [r.id for r in sessions], "items": items, "rooms": rooms, "people": people}


def first_item_in(database: Database, session_id: int) -> int:
    with database.read() as s:
        return int(s.scalar(select(AgendaItem.id).where(AgendaItem.session_id == session_id)
                            .order_by(AgendaItem.starts_at, AgendaItem.id).limit(1)))


def second_item_in(database: Database, session_id: int) -> int:
    with database.read() as s:
        return int(s.scalars(select(AgendaItem.id).where(AgendaItem.session_id == session_id)
                             .order_by(AgendaItem.starts_at, AgendaItem.id)).all()[1])


def top_item(database: Database, event_id: int, kind: ItemKind) -> int:
    with database.read() as s:
        return int(s.scalar(select(AgendaItem.id).where(AgendaItem.event_id == event_id, AgendaItem.kind == kind,
                                                        AgendaItem.session_id.is_(None)).limit(1)))


EditFn = Callable[[OrmSession, Database, int], Change]


def _new_session(s: OrmSession, db: Database, ev: int) -> Change:
    h = ids(db, ev)
    return ae.create_session(s, ev, SessionData(
        {"en": "Session 4", "ru": "Сессия 4"}, at("16:00"), at("17:00"), h["rooms"][0], "#336699",
        (OnStageRole(h["people"][0], RoleKind.MODERATOR), OnStageRole(h["people"][1], RoleKind.MODERATOR))))


def _edit_session(s: OrmSession, db: Database, ev: int) -> Change:
    h = ids(db, ev)
    sid = h["sessions"][0]
    data = ae.load_session_data(s, sid)
    people = (OnStageRole(h["people"][2], RoleKind.MODERATOR), *data.people[::-1])
    return ae.update_session(s, sid, SessionData({"kk": "Жаңа атау"}, at("10:05"), at("11:20"), h["rooms"][-1],
                                                 None, people))


def _new_item(s: OrmSession, db: Database, ev: int) -> Change:
    h = ids(db, ev)
    return ae.create_item(s, ev, ItemData(
        ItemKind.PANEL, {"en": "Panel"}, at("10:30"), at("10:45"), None, h["sessions"][0],
        {"en": "About courts"},
        (OnStageRole(h["people"][3], RoleKind.PANELIST), OnStageRole(h["people"][4], RoleKind.DISCUSSANT))))


def _edit_item(s: OrmSession, db: Database, ev: int) -> Change:
    h = ids(db, ev)
    iid = first_item_in(db, h["sessions"][1])
    data = ae.load_item_data(s, iid)
    return ae.update_item(s, iid, ItemData(ItemKind.KEYNOTE, {"en": "Changed", "ru": "Изменено"},
                                           data.starts_at, data.ends_at + dt.timedelta(minutes=5), h["rooms"][0],
                                           None, {}, (OnStageRole(h["people"][5], RoleKind.RAPPORTEUR),
                                                      *data.people)))


def _people_reordered(s: OrmSession, db: Database, ev: int) -> Change:
    iid = next(i for i in s.scalars(select(AgendaItem.id).where(AgendaItem.event_id == ev).order_by(AgendaItem.id))
               if len(ae.load_item_data(s, i).people) >= 2)
    data = ae.load_item_data(s, iid)
    return ae.update_item(s, iid, ItemData(data.kind, data.title, data.starts_at, data.ends_at, data.room_id,
                                           data.session_id, data.description, data.people[::-1]))


EDITS: dict[str, EditFn] = {
    "create session": _new_session,
    "edit session": _edit_session,
    "duplicate session": lambda s, db, ev: ae.duplicate_session(s, ids(db, ev)["sessions"][1]),
    "delete session": lambda s, db, ev: ae.delete_session(s, ids(db, ev)["sessions"][1]),
    "create item": _new_item,
    "edit item": _edit_item,
    "reorder people": _people_reordered,
    "duplicate item": lambda s, db, ev: ae.duplicate_item(s, first_item_in(db, ids(db, ev)["sessions"][0])),
    "delete item": lambda s, db, ev: ae.delete_item(s, first_item_in(db, ids(db, ev)["sessions"][2])),
    "item out of session": lambda s, db, ev: ae.set_item_session(s, first_item_in(db, ids(db, ev)["sessions"][0]),
                                                                 None),
    "item into session": lambda s, db, ev: ae.set_item_session(s, top_item(db, ev, ItemKind.BREAK),
                                                               ids(db, ev)["sessions"][0]),
    "set times": lambda s, db, ev: ae.set_item_times(s, top_item(db, ev, ItemKind.LUNCH), at("13:00"), at("14:10")),
    "move to another room": lambda s, db, ev: ae.set_item_place(s, top_item(db, ev, ItemKind.LUNCH), at("13:00"),
                                                                at("14:00"), ids(db, ev)["rooms"][0]),
    "move item down": lambda s, db, ev: ae.move_entry(s, "item", first_item_in(db, ids(db, ev)["sessions"][0]), 1),
    "move item up": lambda s, db, ev: ae.move_entry(s, "item", second_item_in(db, ids(db, ev)["sessions"][0]), -1),
    "move session up": lambda s, db, ev: ae.move_entry(s, "session", ids(db, ev)["sessions"][1], -1),
    "shift from here": lambda s, db, ev: ae.shift_from(s, ev, top_item(db, ev, ItemKind.LUNCH), 15),
    "shift earlier": lambda s, db, ev: ae.shift_from(s, ev, second_item_in(db, ids(db, ev)["sessions"][1]), -10),
    "add day": lambda s, db, ev: ae.add_day(s, ev),
    "add day before": lambda s, db, ev: ae.add_day(s, ev, before=True),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_and_its_undo_round_trip_exactly(demo: tuple[Database, int], name: str) -> None:
    database, event_id = demo
    original = dump(database, event_id)
    with database.write() as s:
        edit = EDITS[name](s, database, event_id)
    edited = dump(database, event_id)
    assert edited != original, f"{name} changed nothing"
    assert not edit.is_empty

    with database.write() as s:
        redo = revert(s, edit)  # undo
    assert dump(database, event_id) == original
    with database.write() as s:
        undo = revert(s, redo)  # redo
    assert dump(database, event_id) == edited
    with database.write() as s:
        revert(s, undo)  # undo again
    assert dump(database, event_id) == original


def test_delete_session_takes_its_items_and_roles_and_undo_brings_them_back(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    sid = ids(database, event_id)["sessions"][0]
    with database.read() as s:
        contents = ae.session_contents(s, sid)
    assert contents.items == 3 and contents.roles > 0
    assert "with its 3 items and" in contents.sentence("Session 1")
    before = dump(database, event_id)
    with database.write() as s:
        edit = ae.delete_session(s, sid)
    after = dump(database, event_id)
    assert len(after["sessions"]) == len(before["sessions"]) - 1
    assert len(after["items"]) == len(before["items"]) - 3
    assert len(after["roles"]) == len(before["roles"]) - contents.roles
    with database.write() as s:
        revert(s, edit)
    assert dump(database, event_id) == before  # the same ids and uuids


def test_duplicate_goes_right_after_the_original_with_its_people(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    sid = ids(database, event_id)["sessions"][0]
    with database.write() as s:
        edit = ae.duplicate_session(s, sid)
    with database.read() as s:
        original, copy = ae.load_session_data(s, sid), ae.load_session_data(s, edit.subject.id)
        items = s.execute(select(AgendaItem.starts_at).where(AgendaItem.session_id == edit.subject.id)
                          .order_by(AgendaItem.starts_at)).scalars().all()
    assert copy.starts_at == original.ends_at
    assert copy.ends_at - copy.starts_at == original.ends_at - original.starts_at
    assert copy.title == original.title and copy.people == original.people
    assert len(items) == 3 and items[0] == copy.starts_at


def test_reordering_items_exchanges_their_time_slots(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    sid = ids(database, event_id)["sessions"][0]
    with database.read() as s:
        rows = s.execute(select(AgendaItem.id, AgendaItem.starts_at, AgendaItem.ends_at)
                         .where(AgendaItem.session_id == sid).order_by(AgendaItem.starts_at)).all()
    a, b = rows[0], rows[1]
    with database.write() as s:
        ae.move_entry(s, "item", b.id, -1)
    with database.read() as s:
        new_a, new_b = ae.load_item_data(s, a.id), ae.load_item_data(s, b.id)
        assert ae.can_move(s, "item", b.id, -1) is False
    assert new_b.starts_at == a.starts_at and new_b.ends_at - new_b.starts_at == b.ends_at - b.starts_at
    assert new_a.ends_at == b.ends_at and new_a.ends_at - new_a.starts_at == a.ends_at - a.starts_at
    with database.write() as s, pytest.raises(AgendaError, match="first of its day in its session"):
        ae.move_entry(s, "item", b.id, -1)


def test_moving_a_session_takes_its_items_along(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    sid = ids(database, event_id)["sessions"][1]  # 11:30 after the 11:15 break
    with database.read() as s:
        before = ae.load_session_data(s, sid)
        first = first_item_in(database, sid)
        first_start = ae.load_item_data(s, first).starts_at
    with database.write() as s:
        ae.move_entry(s, "session", sid, -1)  # above the coffee break
    with database.read() as s:
        after = ae.load_session_data(s, sid)
        moved = ae.load_item_data(s, first).starts_at
    assert after.starts_at == at("11:15")
    assert moved - first_start == after.starts_at - before.starts_at


def _second_day(database: Database, event_id: int) -> int:
    """Give the demo a second day with one item; its id."""
    with database.write() as s:
        ae.add_day(s, event_id)
        edit = ae.create_item(s, event_id, ItemData(ItemKind.OPENING, {"en": "Day two"},
                                                    at("09:00", DAY + dt.timedelta(days=1)),
                                                    at("09:30", DAY + dt.timedelta(days=1))))
    assert edit.subject is not None
    return edit.subject.id


def test_shift_from_moves_only_later_items_of_the_same_day(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    day_two = _second_day(database, event_id)
    sid = ids(database, event_id)["sessions"][1]
    pivot = second_item_in(database, sid)
    with database.read() as s:
        pivot_start = ae.load_item_data(s, pivot).starts_at
        before_items = dict(s.execute(select(AgendaItem.id, AgendaItem.starts_at)
                                      .where(AgendaItem.event_id == event_id)).all())
        before_sessions = {r.id: r for r in s.execute(
            select(AgendaSession.id, AgendaSession.starts_at, AgendaSession.ends_at)
            .where(AgendaSession.event_id == event_id))}
        assert ae.shift_count(s, event_id, pivot) == sum(
            1 for v in before_items.values() if pivot_start <= v < at("00:00", DAY + dt.timedelta(days=1))) + 1
    with database.write() as s:
        ae.shift_from(s, event_id, pivot, 20)
    with database.read() as s:
        after_items = dict(s.execute(select(AgendaItem.id, AgendaItem.starts_at)
                                     .where(AgendaItem.event_id == event_id)).all())
        after_sessions = {r.id: r for r in s.execute(
            select(AgendaSession.id, AgendaSession.starts_at, AgendaSession.ends_at)
            .where(AgendaSession.event_id == event_id))}
    for item_id, start in before_items.items():
        later_today = start >= pivot_start and start.date() == DAY
        expected = start + dt.timedelta(minutes=20) if later_today else start
        assert after_items[item_id] == expected, item_id
    assert after_items[day_two] == before_items[day_two]
    # The item's own session started before it: only its end moves.
    own = after_sessions[sid]
    assert own.starts_at == before_sessions[sid].starts_at
    assert own.ends_at == before_sessions[sid].ends_at + dt.timedelta(minutes=20)
    # The session after it moves whole.
    third = ids(database, event_id)["sessions"][2]
    assert after_sessions[third].starts_at == before_sessions[third].starts_at + dt.timedelta(minutes=20)


def test_shift_past_midnight_is_refused_and_changes_nothing(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    before = dump(database, event_id)
    with pytest.raises(AgendaError, match="after midnight"), database.write() as s:
        ae.shift_from(s, event_id, top_item(database, event_id, ItemKind.LUNCH), 10 * 60)
    with pytest.raises(AgendaError, match="day before"), database.write() as s:
        ae.shift_from(s, event_id, top_item(database, event_id, ItemKind.REGISTRATION), -10 * 60)
    with pytest.raises(AgendaError, match="Zero"), database.write() as s:
        ae.shift_from(s, event_id, top_item(database, event_id, ItemKind.LUNCH), 0)
    assert dump(database, event_id) == before


def test_days_can_be_added_and_empty_ones_removed(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as s:
        ae.add_day(s, event_id)
        assert ae.event_days(s, event_id) == [DAY, DAY + dt.timedelta(days=1)]
    with database.write() as s:
        ae.remove_day(s, event_id, DAY + dt.timedelta(days=1))
        assert ae.event_days(s, event_id) == [DAY]
    with pytest.raises(AgendaError, match="only one"), database.write() as s:
        ae.remove_day(s, event_id, DAY)
    _second_day(database, event_id)
    with pytest.raises(AgendaError, match="holds 1 session"), database.write() as s:
        ae.remove_day(s, event_id, DAY + dt.timedelta(days=1))
    with pytest.raises(AgendaError, match="comes before"), database.write() as s:
        ae.set_event_dates(s, event_id, DAY, DAY - dt.timedelta(days=1))


def test_invalid_data_is_refused_and_changes_nothing(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    before = dump(database, event_id)
    with pytest.raises(InvalidData, match="must end after it starts"), database.write() as s:
        ae.create_item(s, event_id, ItemData(ItemKind.PANEL, {"en": "X"}, at("10:00"), at("09:00")))
    with pytest.raises(InvalidData, match="not in the roster"), database.write() as s:
        ae.create_session(s, event_id, SessionData({"en": "X"}, at("10:00"), at("11:00"),
                                                   people=(OnStageRole(999_999, RoleKind.MODERATOR),)))
    other_room = 999_999
    with pytest.raises(InvalidData, match="not a room of this event"), database.write() as s:
        ae.set_item_times(s, top_item(database, event_id, ItemKind.LUNCH), at("13:00"), at("14:00"))
        ae.create_item(s, event_id, ItemData(ItemKind.PANEL, {"en": "X"}, at("10:00"), at("11:00"), other_room))
    assert dump(database, event_id) == before


def test_an_undo_after_another_desk_deleted_the_row_is_refused(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as s:
        edit = _new_item(s, database, event_id)
    with database.write() as s:
        s.execute(delete(Role).where(Role.item_id == edit.subject.id))
        s.execute(delete(AgendaItem).where(AgendaItem.id == edit.subject.id))
    with pytest.raises(RestoreError, match="no longer exists"), database.write() as s:
        revert(s, edit)


# -- validation, table-driven ------------------------------------------------------------------

CONTEXT = AgendaContext(rooms={1: "Hall"}, sessions={7: "Session 1"}, people={10: "Aigerim Bekova", 11: "Oleg Li"})
T = {"en": "Talk", "ru": "Доклад", "kk": "Баяндама"}


def item(**changes: Any) -> ItemData:
    base: dict[str, Any] = dict(kind=ItemKind.PRESENTATION, title=T, starts_at=at("10:00"), ends_at=at("10:30"))
    base.update(changes)
    return ItemData(**base)


def session(**changes: Any) -> SessionData:
    base: dict[str, Any] = dict(title=T, starts_at=at("10:00"), ends_at=at("11:00"))
    base.update(changes)
    return SessionData(**base)


S = RoleKind.SPEAKER
M = RoleKind.MODERATOR
ITEM_CASES: list[tuple[str, ItemData, str | None, str | None]] = [
    ("valid", item(), None, None),
    ("end before start", item(ends_at=at("09:00")), "ends_at", "The item must end after it starts"),
    ("end equals start", item(ends_at=at("10:00")), "ends_at", "must end after it starts (it starts at 10:00"),
    ("end on another day", item(ends_at=at("10:00", DAY + dt.timedelta(days=1))), "ends_at",
     "must end on the day it starts"),
    ("no title at all", item(title={"en": "  ", "ru": ""}), "title", "needs a title in at least one language"),
    ("unknown room", item(room_id=5), "room_id", "Room 5 is not a room of this event."),
    ("unknown session", item(session_id=8), "session_id", "Session 8 is not a session of this event."),
    ("unknown person", item(people=(OnStageRole(99, S),)), "people", "Person 99 is not in the roster."),
    ("person twice in a role", item(people=(OnStageRole(10, S), OnStageRole(10, S))), "people",
     "Aigerim Bekova is listed twice as speaker."),
    ("long title", item(title={"en": "x" * 501}), "title.en", "English title is longer than 500"),
    ("long description", item(description={"ru": "x" * 4001}), "description.ru", "Russian description is longer"),
]


@pytest.mark.parametrize(("name", "data", "field", "sentence"), ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_item_validation(name: str, data: ItemData, field: str | None, sentence: str | None) -> None:
    report = ae.validate_item(data, CONTEXT)
    if field is None:
        assert report.is_valid and not report.problems
        return
    assert not report.is_valid
    (problem,) = [p for p in report.errors]
    assert problem.field == field
    assert sentence in problem.message


SESSION_CASES: list[tuple[str, SessionData, str | None, str | None]] = [
    ("valid", session(colour="#AABBCC", room_id=1, people=(OnStageRole(10, M),)), None, None),
    ("bad colour", session(colour="blue"), "colour", "“blue” is not a colour"),
    ("speaker of a session", session(people=(OnStageRole(11, S),)), "people",
     "Oleg Li cannot be a speaker of a session"),
    ("no title", session(title={}), "title", "The session needs a title"),
    ("end before start", session(ends_at=at("09:59")), "ends_at", "The session must end after it starts"),
]


@pytest.mark.parametrize(("name", "data", "field", "sentence"), SESSION_CASES, ids=[c[0] for c in SESSION_CASES])
def test_session_validation(name: str, data: SessionData, field: str | None, sentence: str | None) -> None:
    report = ae.validate_session(data, CONTEXT)
    if field is None:
        assert report.is_valid
        return
    (problem,) = report.errors
    assert problem.field == field
    assert sentence in problem.message


def test_a_missing_translation_is_a_warning_naming_the_language() -> None:
    report = ae.validate_item(item(title={"en": "Talk", "ru": "Доклад"}), CONTEXT)
    assert report.is_valid
    (warning,) = report.warnings
    assert warning.severity == Severity.WARNING and warning.field == "title.kk"
    assert warning.message.startswith("No Kazakh title yet")
