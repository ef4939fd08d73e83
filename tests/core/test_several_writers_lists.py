"""Several organisers on one database (issue 15, part 1): the edits that write more than one
row's fields — an item moved out of or into a session, the event dialog's rooms and
partners — keep what others saved meanwhile where this edit did not change it, and stop at
what both changed (``EditConflict``). Two "workstations" are two Database objects on the
same file or server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, EventOrganisation, Organisation, PartnerRole, Room
from desktop.core import agenda_edit as ae
from desktop.core import event_edit as ee
from desktop.core.changes import EditConflict, revert


@pytest.fixture
def two(demo: tuple[Database, int], workstation_2: Database) -> Any:
    """The demo database open twice: workstation 1 and workstation 2."""
    return demo[0], workstation_2, demo[1]

def _item_in_a_session(database: Database, event_id: int) -> tuple[int, int, int]:
    """An item in a session, that session, and another session of the event."""
    with database.read() as s:
        item_id, session_id = s.execute(
            select(AgendaItem.id, AgendaItem.session_id)
            .where(AgendaItem.event_id == event_id, AgendaItem.session_id.is_not(None))
            .order_by(AgendaItem.id)).first()
        other = s.scalar(select(AgendaSession.id).where(AgendaSession.event_id == event_id,
                                                        AgendaSession.id != session_id).order_by(AgendaSession.id))
    return int(item_id), int(session_id), int(other)


def _session_of(database: Database, item_id: int) -> int | None:
    with database.read() as s:
        return s.scalar(select(AgendaItem.session_id).where(AgendaItem.id == item_id))


def test_an_item_moved_out_keeps_what_others_changed_and_stops_where_both_moved_it(two: Any) -> None:
    ws1, ws2, event_id = two
    item_id, session_id, other = _item_in_a_session(ws1, event_id)
    with ws2.read() as s:
        data = ae.load_item_data(s, item_id)
    with ws2.write() as s:  # workstation 2 retitles the item
        ae.update_item(s, item_id, replace(data, title={**data.title, "en": "Retitled at 2"}), base=data)
    with ws1.write() as s:  # workstation 1 moves it out of the session it shows it in
        moved = ae.set_item_session(s, item_id, None, base=session_id)
    with ws1.read() as s:
        assert ae.load_item_data(s, item_id).title["en"] == "Retitled at 2"
    assert _session_of(ws1, item_id) is None
    with ws1.write() as s:  # undo: back into the session, the title as workstation 2 left it
        revert(s, moved)
    assert _session_of(ws1, item_id) == session_id
    with ws1.read() as s:
        assert ae.load_item_data(s, item_id).title["en"] == "Retitled at 2"

    # Workstation 2 moves it into another session; workstation 1, still showing it in the
    # first, moves it out: both moved it — a conflict with both values, nothing saved.
    with ws2.write() as s:
        ae.set_item_session(s, item_id, other, base=session_id)
    with pytest.raises(EditConflict) as raised, ws1.write() as s:
        ae.set_item_session(s, item_id, None, base=session_id)
    (field,) = raised.value.fields
    assert (field.table, field.field, field.base, field.theirs, field.mine) == (
        "agenda_item", "session_id", session_id, other, None)
    assert _session_of(ws1, item_id) == other
    with ws1.write() as s:  # keep theirs: it stays where workstation 2 put it, nothing to undo
        s.info["resolve"] = {"agenda_item.session_id": "theirs"}
        kept = ae.set_item_session(s, item_id, None, base=session_id)
    assert kept.is_empty and _session_of(ws1, item_id) == other
    with ws1.write() as s:  # keep mine
        s.info["resolve"] = {"agenda_item.session_id": "mine"}
        ae.set_item_session(s, item_id, None, base=session_id)
    assert _session_of(ws1, item_id) is None
    # Without a base (no view behind it) the move is made as asked.
    with ws1.write() as s:
        ae.set_item_session(s, item_id, session_id)
    assert _session_of(ws1, item_id) == session_id


def _rooms(database: Database, event_id: int) -> list[tuple[str, int | None]]:
    with database.read() as s:
        return [(dict(name).get("en", ""), capacity) for name, capacity in s.execute(
            select(Room.name, Room.capacity).where(Room.event_id == event_id).order_by(Room.position, Room.id))]


def _partners(database: Database, event_id: int) -> set[tuple[int, PartnerRole]]:
    with database.read() as s:
        return {(int(o), PartnerRole(r)) for o, r in s.execute(
            select(EventOrganisation.organisation_id, EventOrganisation.role)
            .where(EventOrganisation.event_id == event_id))}


def _dialog_save(database: Database, event_id: int, settings: ee.EventSettings, base: ee.EventSettings) -> Any:
    with database.write() as s:
        return ee.edit_event(s, event_id, ee.EventEdit(settings), base=base)


def test_the_event_dialog_keeps_rooms_and_partners_others_changed(two: Any) -> None:
    ws1, ws2, event_id = two
    with ws1.read() as s:
        read = ee.load_settings(s, event_id)  # workstation 1 opens the event dialog
        room_ids = {u: i for u, i in s.execute(select(Room.uuid, Room.id).where(Room.event_id == event_id))}
        outsider = s.scalar(select(Organisation.id).where(Organisation.id.not_in(
            select(EventOrganisation.organisation_id).where(EventOrganisation.event_id == event_id)))
            .order_by(Organisation.id))
    assert len(read.rooms) >= 2 and read.partners and outsider is not None
    first, second = read.rooms[0], read.rooms[1]
    gone_partner = read.partners[0]
    with ws2.write() as s:  # meanwhile, workstation 2: renames a room, adds one, adds and removes a partner
        ee.rename_room(s, room_ids[first.uuid], {**first.name, "en": "Renamed at 2"})
        ee.add_room(s, event_id, {"en": "Added at 2"}, 30)
        ee.add_partner(s, event_id, int(outsider), PartnerRole.PARTNER)
        ee.remove_partner(s, gone_partner.uuid)  # type: ignore[arg-type]
    before_partners = _partners(ws1, event_id)
    # Workstation 1 saves: a new title, the second room's capacity, a room of its own;
    # the first room and the partners as it read them.
    mine = replace(read, data=replace(read.data, title={**read.data.title, "en": "Title at 1"}),
                   rooms=(first, replace(second, capacity=(second.capacity or 0) + 7),
                          *read.rooms[2:], ee.RoomSpec({"en": "Added at 1"}, 12)))
    _dialog_save(ws1, event_id, mine, read)
    rooms = _rooms(ws1, event_id)
    names = [name for name, _cap in rooms]
    assert names[0] == "Renamed at 2"  # not renamed back
    assert rooms[1] == (second.name.get("en", ""), (second.capacity or 0) + 7)
    assert "Added at 1" in names and "Added at 2" in names
    assert names.index("Added at 2") > names.index("Added at 1")  # others' new rooms after the dialog's
    assert _partners(ws1, event_id) == before_partners  # the partner added stays, the one removed is not back
    with ws1.read() as s:
        assert ee.load_event(s, event_id).title["en"] == "Title at 1"

    # Both rename the same room: a conflict on that room's name, both values; nothing saved.
    with ws1.read() as s:
        read = ee.load_settings(s, event_id)
        room_ids = {u: i for u, i in s.execute(select(Room.uuid, Room.id).where(Room.event_id == event_id))}
    target = read.rooms[1]
    with ws2.write() as s:
        ee.rename_room(s, room_ids[target.uuid], {**target.name, "en": "Hall of 2"})
    rooms_before = _rooms(ws1, event_id)
    renamed = replace(target, name={**target.name, "en": "Hall of 1"})
    mine = replace(read, rooms=tuple(renamed if r.uuid == target.uuid else r for r in read.rooms))
    with pytest.raises(EditConflict) as raised:
        _dialog_save(ws1, event_id, mine, read)
    assert raised.value.table == "room"
    (field,) = raised.value.fields
    assert field.field == "name" and field.theirs["en"] == "Hall of 2" and field.mine["en"] == "Hall of 1"
    assert _rooms(ws1, event_id) == rooms_before
    with ws1.write() as s:  # keep mine
        s.info["resolve"] = {"room.name": "mine"}
        ee.edit_event(s, event_id, ee.EventEdit(mine), base=read)
    assert _rooms(ws1, event_id)[1][0] == "Hall of 1"


def test_a_room_removed_elsewhere_is_not_made_again_unless_changed_here(two: Any) -> None:
    ws1, ws2, event_id = two
    with ws1.write() as s:  # two rooms nobody uses
        ee.add_room(s, event_id, {"en": "Spare A"}, 10)
        ee.add_room(s, event_id, {"en": "Spare B"}, 10)
    with ws1.read() as s:
        read = ee.load_settings(s, event_id)
        ids = {dict(n).get("en"): i for n, i in s.execute(select(Room.name, Room.id).where(Room.event_id == event_id))}
    with ws2.write() as s:
        ee.remove_room(s, ids["Spare A"])
        ee.remove_room(s, ids["Spare B"])
    # Workstation 1 left Spare A as it was and gave Spare B a capacity.
    mine = replace(read, rooms=tuple(replace(r, capacity=40) if r.name.get("en") == "Spare B" else r
                                     for r in read.rooms))
    _dialog_save(ws1, event_id, mine, read)
    names = [name for name, _cap in _rooms(ws1, event_id)]
    assert "Spare A" not in names
    assert ("Spare B", 40) in _rooms(ws1, event_id)


def test_a_bulk_status_names_every_row_in_conflict_and_one_answer_settles_them(two: Any) -> None:
    """A bulk edit over rows two of which another workstation changed meanwhile: one
    ``EditConflict`` holds both rows (with who changed each), the field once; the answer
    holds for both, and the rows no one else touched take the new value either way."""
    from db.models import Registration, Status
    from desktop.core.changes import set_author
    from desktop.core.registration_edit import set_status

    ws1, ws2, event_id = two
    with ws1.read() as s:
        rows = s.execute(select(Registration.id, Registration.uuid, Registration.status)
                         .where(Registration.event_id == event_id, Registration.status != Status.CANCELLED,
                                Registration.status != Status.WAITLISTED)
                         .order_by(Registration.id).limit(5)).all()
    bases = {r.id: {"status": r.status} for r in rows}
    ids = [r.id for r in rows]
    touched = {rows[1].id: Status.CANCELLED, rows[3].id: Status.WAITLISTED}
    set_author("Workstation 1")
    for rid, status in touched.items():
        with ws1.write() as s:
            set_status(s, [rid], status, bases={rid: bases[rid]})
    set_author("Workstation 2")
    with pytest.raises(EditConflict) as raised, ws2.write() as s:
        set_status(s, ids, Status.DECLINED, bases=bases)
    conflict = raised.value
    by_uuid = {r.uuid: r.id for r in rows}
    assert sorted(by_uuid[row] for row, _fields in conflict.rows) == sorted(touched)
    assert [f.field for f in conflict.fields] == ["status"]
    for row, fields in conflict.rows:
        (field,) = fields
        assert (field.theirs, field.mine, field.who) == (touched[by_uuid[row]], Status.DECLINED, "Workstation 1")
    assert "2" in str(conflict)
    with ws2.read() as s:  # nothing of the failed save
        assert all(s.get(Registration, rid).status == bases[rid]["status"] for rid in ids if rid not in touched)
    for choice in ("theirs", "mine"):
        with ws2.write() as s:
            s.info["resolve"] = {"registration.status": choice}
            set_status(s, ids, Status.DECLINED, bases=bases)
        with ws2.read() as s:
            stored = dict(s.execute(select(Registration.id, Registration.status)
                                    .where(Registration.id.in_(ids))).all())
        for rid in ids:
            expected = touched[rid] if (choice == "theirs" and rid in touched) else Status.DECLINED
            assert stored[rid] == expected, (choice, rid)
