"""The history in words (issue 15 part 4): each change with its author and both values in
words — a person's phone, an item's title, a registration's status, an undo —, rows made and
deleted, a failed save adding nothing, and one event's history with the rows deleted since;
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, ChangeLog, Person, Registration
from desktop.core import agenda_edit as ae
from desktop.core import people, vocabulary
from desktop.core.changes import EditConflict, revert, set_author
from desktop.core.history import EMPTY, event_history, field_label, history_of, shown_value
from desktop.core.language import interface_language, set_interface_language
from desktop.core.registration_edit import registration_details, update_details


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    before = interface_language()
    set_interface_language(lang)
    try:
        yield
    finally:
        set_interface_language(before)


@pytest.fixture
def authored(demo: tuple[Database, int]) -> Any:
    yield demo
    set_author("")


def _registered_person(database: Database, event_id: int) -> tuple[int, Any, int, Any]:
    with database.read() as s:
        rid, pid = s.execute(select(Registration.id, Registration.person_id).where(Registration.event_id == event_id)
                             .order_by(Registration.id).limit(1)).one()
        return (int(pid), s.scalar(select(Person.uuid).where(Person.id == pid)), int(rid),
                s.scalar(select(Registration.uuid).where(Registration.id == rid)))


def test_each_change_with_its_author_and_both_values_in_words(authored: Any) -> None:
    database, event_id = authored
    pid, person_uuid, rid, registration_uuid = _registered_person(database, event_id)
    with database.read() as s:
        opened = people.load_person(s, pid, with_photo=False)
        item_id, item_uuid = s.execute(select(AgendaItem.id, AgendaItem.uuid).where(AgendaItem.event_id == event_id)
                                       .order_by(AgendaItem.id).limit(1)).one()
        item = ae.load_item_data(s, item_id)
        base = registration_details(s, rid).editable()
    set_author("Aigerim at desk 2")
    with database.write() as s:
        people.update_person(s, pid, replace(opened, phone="+7 700 111 22 33"), base=opened)
    with database.write() as s:
        ae.update_item(s, item_id, replace(item, title={**item.title, "en": "Opening, renamed"}), base=item)
    set_author("Bolat")
    with database.write() as s:
        changed = update_details(s, rid, {**base, "status": "cancelled"}, base=base)
    set_author("Dana")
    with database.write() as s:
        revert(s, changed)

    with database.read() as s:
        phone = history_of(s, "person", person_uuid, lang="en")
        title = history_of(s, "agenda_item", item_uuid, lang="en")
        status = history_of(s, "registration", registration_uuid, lang="en")
    assert [(e.author, e.what, e.old, e.new) for e in phone if e.field == "phone"] == [
        ("Aigerim at desk 2", "Phone", opened.phone or EMPTY, "+7 700 111 22 33")]
    (renamed,) = [e for e in title if e.field == "title"]
    assert (renamed.author, renamed.what, renamed.old, renamed.new) == (
        "Aigerim at desk 2", "Title", item.title["en"], "Opening, renamed")
    was = shown_value("registration", "status", base["status"], "en")
    # newest first: the undo (Dana) puts back what Bolat changed
    assert [(e.author, e.what, e.old, e.new) for e in status if e.field == "status"] == [
        ("Dana", "Status", "Cancelled", was), ("Bolat", "Status", was, "Cancelled")]
    assert status[0].at >= status[-1].at
    assert all(e.subject == status[0].subject and e.subject not in ("", EMPTY) for e in status)

    with speaking("ru"), database.read() as s:
        in_russian = history_of(s, "registration", registration_uuid)
    assert (in_russian[0].what, in_russian[0].old) == ("Статус", vocabulary.status("cancelled", "ru"))
    assert in_russian[0].old != "Cancelled"


def test_a_failed_save_adds_nothing(authored: Any) -> None:
    database, event_id = authored
    pid, person_uuid, _rid, _ruuid = _registered_person(database, event_id)
    with database.read() as s:
        opened = people.load_person(s, pid, with_photo=False)
    with database.write() as s:
        people.update_person(s, pid, replace(opened, phone="+7 700 000 00 01"), base=opened)
    with database.read() as s:
        before = history_of(s, "person", person_uuid)
        count = s.scalar(select(func.count()).select_from(ChangeLog))
    with pytest.raises(EditConflict), database.write() as s:
        people.update_person(s, pid, replace(opened, phone="+7 700 000 00 02", email="x@example.org"), base=opened)
    with pytest.raises(RuntimeError), database.write() as s:  # a save that fails after writing
        people.update_person(s, pid, replace(people.load_person(s, pid, with_photo=False), phone="+7 700 999 88 77"))
        raise RuntimeError("the connection dropped")
    with database.read() as s:
        assert history_of(s, "person", person_uuid) == before
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == count


def test_an_event_history_has_rows_made_and_deleted_since(authored: Any) -> None:
    database, event_id = authored
    set_author("Erlan")
    with database.read() as s:
        session_id, session_uuid = s.execute(
            select(AgendaSession.id, AgendaSession.uuid).where(AgendaSession.event_id == event_id)
            .order_by(AgendaSession.id).limit(1)).one()
        data = ae.load_session_data(s, session_id)
        title = data.title["en"]
        on_stage = len(data.people)
    assert on_stage  # the demo's first session has its moderators
    with database.write() as s:
        ae.delete_session(s, session_id)
    with database.read() as s:
        page = event_history(s, event_id, lang="en")
        of_session = history_of(s, "session", session_uuid, lang="en")
    deleted = [e for e in page.entries if e.action == "delete"]
    assert any(e.table == "session" and e.subject == title and e.what == "Deleted" for e in deleted)
    assert sum(1 for e in deleted if e.table == "role") >= on_stage
    assert all(e.author == "Erlan" for e in deleted)
    assert page.total == len(page.entries) and page.entries == sorted(page.entries, key=lambda e: -e.id)
    assert {e.table for e in of_session} >= {"session", "role"}  # its people on stage with it
    # a second page starts where the first ended
    with database.read() as s:
        second = event_history(s, event_id, offset=1, limit=1, lang="en")
    assert second.total == page.total and [e.id for e in second.entries] == [page.entries[1].id]


def test_words_for_labels_and_values() -> None:
    with speaking("kk"):
        assert field_label("person", "phone") == "Телефон"
        assert field_label("registration", "status") == "Мәртебесі"
        assert shown_value("person", "photo", {"bytes": 12}, "kk") != "(image)"
    assert field_label("agenda_item", "room_id", "en") == "Room"  # the editor's "&Room", without its accelerator
    assert field_label("person", "some_new_field", "en") == "Some new field"
    assert shown_value("person", "phone", None, "en") == shown_value("person", "bio", {"en": " "}, "en") == EMPTY
    assert shown_value("agenda_item", "title", {"ru": "Открытие"}, "en") == "Открытие"  # another language's text
    assert shown_value("agenda_item", "starts_at", "2025-02-28T09:30:00", "en") == "28 Feb 2025, 09:30"
    assert shown_value("person", "organisation_id", 7, "en", {("organisation", 7): "Supreme Court"}) == "Supreme Court"
    assert shown_value("person", "organisation_id", 7, "en") == "No. 7"
