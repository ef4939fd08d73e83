"""Several organisers on one database (issue 15, parts 1, 2 and 4, in core): a save writes
only what its editor changed and keeps what others saved meanwhile, a field both changed is
a conflict with both values, an undo never puts an old value over someone else's newer one,
versions rise, and every change is in the history with its author and both values.

Two "workstations" are two Database objects on the same file or server (as two processes
would be), each edit in its own transaction, in the order a team would make them."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AgendaItem, ChangeLog, Person, Registration
from desktop.core import agenda_edit as ae
from desktop.core import people
from desktop.core.changes import EditConflict, UndoConflict, revert, set_author
from desktop.core.registration_edit import registration_details, update_details


@pytest.fixture
def two(demo: tuple[Database, int], workstation_2: Database) -> Any:
    """The demo database open twice: workstation 1 and workstation 2."""
    return demo[0], workstation_2, demo[1]

def _a_person(database: Database) -> int:
    with database.read() as s:
        return int(s.execute(select(Person.id).where(Person.phone.is_(None)).order_by(Person.id)).scalars().first())


def _log(database: Database, table: str, row_id: int) -> list[tuple[str, str | None, Any, Any]]:
    with database.read() as s:
        rows = s.execute(select(ChangeLog.author, ChangeLog.field, ChangeLog.old, ChangeLog.new)
                         .where(ChangeLog.table_name == table, ChangeLog.row_id == row_id)
                         .order_by(ChangeLog.id)).all()
    return [(a, f, json.loads(o) if o else None, json.loads(n) if n else None) for a, f, o, n in rows]


def test_two_editors_of_one_person_keep_both_fields(two: Any) -> None:
    ws1, ws2, _event = two
    pid = _a_person(ws1)
    with ws1.read() as s:
        opened_1 = people.load_person(s, pid, with_photo=False)  # both open the person's editor
    with ws2.read() as s:
        opened_2 = people.load_person(s, pid, with_photo=False)
        version = s.scalar(select(Person.version).where(Person.id == pid))
    set_author("Workstation 1")
    with ws1.write() as s:
        people.update_person(s, pid, replace(opened_1, phone="+7 700 111 22 33"), base=opened_1)
    set_author("Workstation 2")
    with ws2.write() as s:  # from the editor it opened before the phone was saved
        people.update_person(s, pid, replace(opened_2, position={"en": "Judge"}), base=opened_2)
    with ws1.read() as s:
        now = people.load_person(s, pid, with_photo=False)
        assert s.scalar(select(Person.version).where(Person.id == pid)) == version + 2
    assert now.phone == "+7 700 111 22 33"  # not lost
    assert now.position == {"en": "Judge"}
    log = _log(ws1, "person", pid)
    assert ("Workstation 1", "phone", None, "+7 700 111 22 33") in log
    assert ("Workstation 2", "position", opened_2.position, {"en": "Judge"}) in log
    assert not any(f == "phone" and a == "Workstation 2" for a, f, _o, _n in log)  # no stale phone written back


def test_a_field_both_changed_is_a_conflict_with_both_values(two: Any) -> None:
    ws1, ws2, _event = two
    pid = _a_person(ws1)
    with ws1.read() as s:
        opened = people.load_person(s, pid, with_photo=False)
    set_author("Workstation 1")
    with ws1.write() as s:
        people.update_person(s, pid, replace(opened, phone="+7 700 000 00 01"), base=opened)
    set_author("Workstation 2")
    before = len(_log(ws2, "person", pid))
    with pytest.raises(EditConflict) as raised, ws2.write() as s:
        people.update_person(s, pid, replace(opened, phone="+7 700 000 00 02", email="x@example.org"), base=opened)
    (field,) = raised.value.fields
    assert (field.field, field.theirs, field.mine, field.who) == ("phone", "+7 700 000 00 01", "+7 700 000 00 02",
                                                                  "Workstation 1")
    assert "Workstation 1" in str(raised.value)
    assert len(_log(ws2, "person", pid)) == before  # a failed save adds nothing
    with ws2.read() as s:
        assert people.load_person(s, pid, with_photo=False).email == opened.email  # nothing of it saved
    for choice, phone in (("theirs", "+7 700 000 00 01"), ("mine", "+7 700 000 00 02")):
        with ws2.write() as s:
            s.info["resolve"] = {"person.phone": choice}
            people.update_person(s, pid, replace(opened, phone="+7 700 000 00 02", email="x@example.org"),
                                 base=opened)
        with ws2.read() as s:
            now = people.load_person(s, pid, with_photo=False)
        assert (now.phone, now.email) == (phone, "x@example.org")


def test_an_undo_never_overwrites_someone_elses_newer_value(two: Any) -> None:
    ws1, ws2, event_id = two
    with ws1.read() as s:
        item_id = int(s.scalar(select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.id)))
        opened = ae.load_item_data(s, item_id)
    set_author("Workstation 1")
    with ws1.write() as s:
        mine = ae.update_item(s, item_id, replace(opened, title={"en": "Opening, as renamed by 1"}), base=opened)
    set_author("Workstation 2")
    with ws2.read() as s:
        theirs_opened = ae.load_item_data(s, item_id)
    with ws2.write() as s:
        ae.update_item(s, item_id, replace(theirs_opened, title={"en": "Opening, as renamed by 2"}),
                       base=theirs_opened)
    set_author("Workstation 1")
    with pytest.raises(UndoConflict) as refused, ws1.write() as s:
        revert(s, mine)
    assert "Workstation 2" in str(refused.value)
    with ws1.read() as s:
        assert ae.load_item_data(s, item_id).title == {"en": "Opening, as renamed by 2"}

    # Someone else changed another field only: the undo goes ahead and keeps theirs.
    with ws1.read() as s:
        opened = ae.load_item_data(s, item_id)
    with ws1.write() as s:
        mine = ae.update_item(s, item_id, replace(opened, title={"en": "Renamed again"}), base=opened)
    set_author("Workstation 2")
    with ws2.read() as s:
        theirs_opened = ae.load_item_data(s, item_id)
    with ws2.write() as s:
        ae.update_item(s, item_id, replace(theirs_opened, description={"en": "Written by 2"}), base=theirs_opened)
    with ws1.write() as s:
        redo = revert(s, mine)
    with ws1.read() as s:
        now = ae.load_item_data(s, item_id)
    assert now.title == {"en": "Opening, as renamed by 2"} and now.description == {"en": "Written by 2"}
    with ws1.write() as s:  # the redo of one's own undo is one's own business
        revert(s, redo)
    with ws1.read() as s:
        assert ae.load_item_data(s, item_id).title == {"en": "Renamed again"}


def test_registration_details_keep_what_another_desk_changed(two: Any) -> None:
    ws1, ws2, event_id = two
    with ws1.read() as s:
        rid = int(s.scalar(select(Registration.id).where(Registration.event_id == event_id)
                           .order_by(Registration.id)))
        base = registration_details(s, rid).editable()
    with ws2.write() as s:
        update_details(s, rid, {**base, "dietary": "vegetarian"}, base=base)
    with ws1.write() as s:
        update_details(s, rid, {**base, "notes": "arrives late"}, base=base)
    with ws1.read() as s:
        now = registration_details(s, rid).editable()
        assert s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.row_id == rid,
                                                                          ChangeLog.table_name == "registration")) == 2
    assert (now["dietary"], now["notes"]) == ("vegetarian", "arrives late")


def test_a_block_dragged_to_another_room_keeps_a_time_changed_meanwhile(two: Any) -> None:
    import datetime as dt

    from db.models import Room

    ws1, ws2, event_id = two
    with ws1.read() as s:
        item = s.execute(select(AgendaItem.id, AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.room_id)
                         .where(AgendaItem.event_id == event_id).order_by(AgendaItem.id)).first()
        other_room = s.scalar(select(Room.id).where(Room.event_id == event_id, Room.id != item.room_id))
    base = (item.starts_at, item.ends_at, item.room_id)
    later_end = item.ends_at + dt.timedelta(minutes=10)
    with ws2.write() as s:  # workstation 2 lengthens the item
        ae.set_item_times(s, item.id, item.starts_at, later_end, base=(item.starts_at, item.ends_at))
    with ws1.write() as s:  # workstation 1 drags the block it saw into another room, its times as they were
        ae.set_item_place(s, item.id, item.starts_at, item.ends_at, other_room, base=base)
    with ws1.read() as s:
        now = s.execute(select(AgendaItem.ends_at, AgendaItem.room_id).where(AgendaItem.id == item.id)).one()
    assert (now.ends_at, now.room_id) == (later_end, other_room)
    with pytest.raises(EditConflict) as raised, ws1.write() as s:  # both moved the start: a conflict
        ae.set_item_place(s, item.id, item.starts_at + dt.timedelta(minutes=5), later_end, item.room_id,
                          base=(item.starts_at - dt.timedelta(minutes=30), later_end, other_room))
    # A time span is one value: its start and end are asked about together, never mixed.
    assert sorted(f.field for f in raised.value.fields) == ["ends_at", "starts_at"]
    with pytest.raises(EditConflict), ws1.write() as s:  # one moved the block, the other its end
        ae.set_item_times(s, item.id, item.starts_at - dt.timedelta(hours=2), item.ends_at - dt.timedelta(hours=2),
                          base=(item.starts_at, item.ends_at))
    with ws1.write() as s:
        s.info["resolve"] = {"agenda_item.starts_at": "mine"}
        ae.set_item_times(s, item.id, item.starts_at - dt.timedelta(hours=2), item.ends_at - dt.timedelta(hours=2),
                          base=(item.starts_at, item.ends_at))
    with ws1.read() as s:
        span = s.execute(select(AgendaItem.starts_at, AgendaItem.ends_at).where(AgendaItem.id == item.id)).one()
    assert tuple(span) == (item.starts_at - dt.timedelta(hours=2), item.ends_at - dt.timedelta(hours=2))


def test_people_on_stage_added_by_two_editors_are_both_kept(two: Any) -> None:
    from db.models import RoleKind
    from desktop.core.agenda_edit import OnStageRole

    ws1, ws2, event_id = two
    with ws1.read() as s:
        item_id = int(s.scalar(select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.id)))
        opened_1 = ae.load_item_data(s, item_id)
        on_stage = {r.person_id for r in opened_1.people}
        a, b = [int(p) for p in s.execute(select(Person.id).order_by(Person.id)).scalars() if p not in on_stage][:2]
    with ws2.read() as s:
        opened_2 = ae.load_item_data(s, item_id)
    with ws1.write() as s:
        ae.update_item(s, item_id, replace(opened_1, people=(*opened_1.people, OnStageRole(a, RoleKind.SPEAKER))),
                       base=opened_1)
    with ws2.write() as s:  # from the editor it opened before speaker A was added
        ae.update_item(s, item_id, replace(opened_2, people=(*opened_2.people, OnStageRole(b, RoleKind.SPEAKER))),
                       base=opened_2)
    with ws1.read() as s:
        people = [r.person_id for r in ae.load_item_data(s, item_id).people]
    assert people == [*(r.person_id for r in opened_1.people), a, b]


def _import_many(database: Database, event_id: int, folder: Any, n: int, prefix: str = "p") -> list[int]:
    """``n`` new registrations (more than the history keeps row by row), by an import."""
    from desktop.core.importing import import_attendees

    path = folder / f"{prefix}.csv"
    path.write_text("Name,E-mail\n" + "".join(f"{prefix.title()}{i:05d} Many,{prefix}{i}@example.org\n"
                                              for i in range(n)), encoding="utf-8")
    import_attendees(database, path, event_id)
    with database.read() as s:
        return [int(i) for i in s.scalars(select(Registration.id).join(Person, Person.id == Registration.person_id)
                                          .where(Registration.event_id == event_id,
                                                 Person.email.like(f"{prefix}%@example.org")).order_by(Registration.id))]


@pytest.mark.parametrize("meanwhile", ["nobody", "own edit undone", "someone else"])
def test_redoing_a_removal_of_many_knows_whose_edits_came_between(two: Any, tmp_path: Any, meanwhile: str) -> None:
    """A removal of more registrations than the history keeps images of, undone (the rows
    come back: a change that made them, known by their versions), then redone: rows that were
    edited before the removal, or by this workstation since and undone, do not stop the redo;
    someone else's edit since does, in a sentence naming them."""
    from desktop.core.changes import LOG_ROWS_LIMIT
    from desktop.core.registration_edit import remove_registrations

    ws1, ws2, event_id = two
    set_author("Workstation 1")
    ids = _import_many(ws1, event_id, tmp_path, LOG_ROWS_LIMIT + 50)
    with ws1.read() as s:
        base = registration_details(s, ids[3]).editable()
    with ws1.write() as s:  # edited before the removal: its version is 2 when it comes back
        update_details(s, ids[3], {**base, "notes": "before"}, base=base)
    with ws1.write() as s:
        removal = remove_registrations(s, ids)
    with ws1.write() as s:
        undone = revert(s, removal)
    with ws1.read() as s:
        back = s.scalar(select(func.count()).select_from(Registration).where(Registration.id.in_(ids)))
        assert back == len(ids)
        base = registration_details(s, ids[7]).editable()
    if meanwhile == "own edit undone":
        with ws1.write() as s:
            own = update_details(s, ids[7], {**base, "notes": "mine"}, base=base)
        with ws1.write() as s:
            revert(s, own)
    elif meanwhile == "someone else":
        set_author("Workstation 2")
        with ws2.write() as s:
            update_details(s, ids[7], {**base, "notes": "theirs"}, base=base)
        set_author("Workstation 1")
    if meanwhile == "someone else":
        with pytest.raises(UndoConflict) as refused, ws1.write() as s:
            revert(s, undone)
        assert "Workstation 2" in str(refused.value)
        with ws1.read() as s:
            assert s.scalar(select(func.count()).select_from(Registration).where(Registration.id.in_(ids))) == len(ids)
        return
    with ws1.write() as s:
        revert(s, undone)
    with ws1.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration).where(Registration.id.in_(ids))) == 0


def test_an_undo_settles_a_row_under_the_key_it_has_now(two: Any) -> None:
    """An undo of an edit of a person who was removed and put back meanwhile under a new key
    (another person took the old one): the person's version rises and the history names the
    key it has now; the other person is left alone."""
    ws1, ws2, _event = two
    set_author("Workstation 1")
    with ws1.write() as s:
        made = people.create_person(s, people.PersonData(given_name="Zarina", family_name="Keyova"))
    assert made.subject is not None
    pid, puuid = made.subject.id, made.subject.uuid
    with ws1.read() as s:
        opened = people.load_person(s, pid, with_photo=False)
    with ws1.write() as s:
        phone = people.update_person(s, pid, replace(opened, phone="+7 700 123 45 67"), base=opened)
    set_author("Workstation 2")
    with ws2.write() as s:
        removal = people.delete_person(s, pid)
    with ws2.write() as s:
        other = people.create_person(s, people.PersonData(given_name="Other", family_name="Person"))
    with ws2.write() as s:
        revert(s, removal)  # back, under a new key when the old one was taken
    with ws1.read() as s:
        back_id, back_version = s.execute(select(Person.id, Person.version).where(Person.uuid == puuid)).one()
        other_version = s.scalar(select(Person.version).where(Person.uuid == other.subject.uuid))
    set_author("Workstation 1")
    with ws1.write() as s:
        undone = revert(s, phone)
    with ws1.read() as s:
        assert s.scalar(select(Person.version).where(Person.uuid == puuid)) == back_version + 1
        assert s.scalar(select(Person.version).where(Person.uuid == other.subject.uuid)) == other_version
        assert set(s.scalars(select(ChangeLog.row_id).where(ChangeLog.edit == undone.edit))) == {back_id}
        assert s.scalar(select(Person.phone).where(Person.uuid == puuid)) is None


def test_an_undo_that_empties_a_key_records_it_and_its_redo_puts_it_back(two: Any) -> None:
    """An edit made a room and retitled an item; someone else then put the item in that room.
    Undoing the edit takes the room out, which empties the item's room: the history says so,
    and the redo puts the item back in the room."""
    from db.models import Room
    from desktop.core.changes import Recorder

    ws1, ws2, event_id = two
    with ws1.read() as s:
        item_id = int(s.scalars(select(AgendaItem.id).where(AgendaItem.event_id == event_id)
                                .order_by(AgendaItem.id)).first())
    set_author("Workstation 1")
    with ws1.write() as s:
        rec = Recorder(s)
        room = rec.insert("room", {"event_id": event_id, "name": {"en": "Annex"}, "capacity": 10, "position": 99})
        rec.update("agenda_item", AgendaItem.id == item_id, {"title": {"en": "Retitled"}})
        edit_change = rec.change()
    set_author("Workstation 2")
    with ws2.write() as s:
        rec = Recorder(s)
        rec.update("agenda_item", AgendaItem.id == item_id, {"room_id": room.id})
        rec.change()
    set_author("Workstation 1")
    with ws1.write() as s:
        undone = revert(s, edit_change)
    with ws1.read() as s:
        fields = set(s.scalars(select(ChangeLog.field).where(ChangeLog.edit == undone.edit,
                                                             ChangeLog.table_name == "agenda_item")))
        assert s.scalar(select(AgendaItem.room_id).where(AgendaItem.id == item_id)) is None
    assert {"title", "room_id"} <= fields
    with ws1.write() as s:
        revert(s, undone)
    with ws1.read() as s:
        room_now = s.scalar(select(Room.id).where(Room.uuid == room.uuid))
        assert room_now is not None
        assert s.scalar(select(AgendaItem.room_id).where(AgendaItem.id == item_id)) == room_now


def test_a_redo_of_a_removal_of_many_stops_at_someone_elses_bulk_edit(two: Any, tmp_path: Any) -> None:
    """Rows a change put back (more than the history lists one by one), edited since by this
    workstation (undone) and by another's bulk edit, which the history counts but does not
    name row by row: the redo is refused, not made over the other's edit."""
    from desktop.core.changes import LOG_ROWS_LIMIT, Recorder
    from desktop.core.registration_edit import remove_registrations

    ws1, ws2, event_id = two
    set_author("Workstation 1")
    ids = _import_many(ws1, event_id, tmp_path, LOG_ROWS_LIMIT + 50)
    others = _import_many(ws1, event_id, tmp_path, LOG_ROWS_LIMIT, prefix="q")
    with ws1.write() as s:
        removal = remove_registrations(s, ids)
    with ws1.write() as s:
        undone = revert(s, removal)
    with ws1.read() as s:
        base = registration_details(s, ids[7]).editable()
    with ws1.write() as s:
        own = update_details(s, ids[7], {**base, "notes": "mine"}, base=base)
    with ws1.write() as s:
        revert(s, own)
    set_author("Workstation 2")
    with ws2.write() as s:  # more than LOG_ROWS_LIMIT rows, one of them put back: a line with their count
        rec = Recorder(s)
        rec.update("registration", Registration.id.in_([*others, ids[7]]), {"notes": "theirs, in bulk"})
        rec.change()
    set_author("Workstation 1")
    with pytest.raises(UndoConflict), ws1.write() as s:
        revert(s, undone)
    with ws1.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration).where(Registration.id.in_(ids))) == len(ids)
