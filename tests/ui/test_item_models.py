"""Every item model of the window, checked by pytest-qt's model tester, and their details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from pytestqt.modeltest import ModelTester

from db.engine import Database, open_database
from db.models import Category, ItemKind, RoleKind, Sector, Status
from desktop.core.agenda import AgendaEntry, OnStage, load_agenda
from desktop.core.events import list_events
from desktop.core.people import roster
from desktop.core.registrations import (
    RegistrationRow,
    recent_check_ins,
    registration_rows,
)
from desktop.ui.agenda.page import AgendaModel, on_stage
from desktop.ui.desk.page import RecentCheckInsModel
from desktop.ui.people.page import PeopleModel
from desktop.ui.registrations.page import RegistrationsModel, local_time
from desktop.ui.shell.table import Column, RowTableModel
from tests.core.registration_data import Sample, build


def _event_id(database: Database) -> int:
    with database.read() as session:
        return list_events(session)[0].id


def test_agenda_model_on_the_demo(qtmodeltester: ModelTester, demo_db: Database) -> None:
    with demo_db.read() as session:
        (day,) = load_agenda(session, _event_id(demo_db)).values()
    model = AgendaModel()
    qtmodeltester.check(model)  # empty
    model.set_entries(day, "en")
    qtmodeltester.check(model)
    model.set_entries(day, "kk")  # a reset with content
    qtmodeltester.check(model)
    assert model.rowCount() == len(day)
    session_row = next(i for i, e in enumerate(day) if e.is_session)
    parent = model.index(session_row, 0)
    assert model.rowCount(parent) == len(day[session_row].children)
    assert model.parent(model.index(0, 0, parent)) == parent
    # Only the first column has children (as QTreeView expects).
    assert model.rowCount(model.index(session_row, 1)) == 0


def entry(title: dict[str, str], kind: ItemKind | None = ItemKind.PRESENTATION,
          people: list[OnStage] | None = None, room: dict[str, str] | None = None,
          children: list[AgendaEntry] | None = None) -> AgendaEntry:
    start = dt.datetime(2025, 2, 28, 10, 0)
    return AgendaEntry(1, kind, title, start, start + dt.timedelta(minutes=30), room or {},
                       people or [], children or [])


def person(name: str, role: RoleKind) -> OnStage:
    return OnStage(1, role, name, {"en": "Judge"}, {"en": "Supreme Court"})


def test_a_missing_translation_falls_back_in_italics_with_a_tooltip(qtmodeltester: ModelTester) -> None:
    model = AgendaModel()
    model.set_entries([entry({"en": "Opening"}, room={"ru": "Главный зал"})], "kk")
    qtmodeltester.check(model)
    title = model.index(0, AgendaModel.TITLE)
    assert title.data() == "Opening"
    font = title.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "No Kazakh text yet: shown in English" in title.data(Qt.ItemDataRole.ToolTipRole)
    room = model.index(0, AgendaModel.ROOM)
    assert room.data() == "Главный зал"
    assert "shown in Russian" in room.data(Qt.ItemDataRole.ToolTipRole)


def test_a_text_in_the_wanted_language_is_upright() -> None:
    model = AgendaModel()
    model.set_entries([entry({"en": "Opening", "kk": "Ашылуы"})], "kk")
    title = model.index(0, AgendaModel.TITLE)
    assert title.data() == "Ашылуы"
    assert title.data(Qt.ItemDataRole.FontRole) is None
    assert title.data(Qt.ItemDataRole.ToolTipRole) == "Ашылуы"


def test_an_untitled_entry_is_never_blank() -> None:
    model = AgendaModel()
    model.set_entries([entry({}), entry({}, kind=None)], "en")
    assert model.index(0, AgendaModel.TITLE).data() == "Untitled item"
    assert model.index(1, AgendaModel.TITLE).data() == "Untitled session"


def test_people_on_stage_are_grouped_by_role_leaders_first() -> None:
    people = [person("B. Speaker", RoleKind.SPEAKER), person("A. Moderator", RoleKind.MODERATOR),
              person("C. Speaker", RoleKind.SPEAKER)]
    assert [(label, names) for label, names, _ in on_stage(people)] == [
        ("Moderator", "A. Moderator"), ("Speakers", "B. Speaker, C. Speaker"),
    ]
    model = AgendaModel()
    model.set_entries([entry({"en": "Panel"}, people=people)], "en")
    cell = model.index(0, AgendaModel.PEOPLE)
    assert cell.data() == "Moderator: A. Moderator\nSpeakers: B. Speaker, C. Speaker"
    assert "Speaker: C. Speaker, Judge, Supreme Court" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_items_in_their_sessions_room_leave_the_room_to_the_session() -> None:
    hall = {"en": "Main hall"}
    child_same = entry({"en": "Talk"}, room=hall)
    child_other = entry({"en": "Side talk"}, room={"en": "Room B"})
    session = entry({"en": "Session 1"}, kind=None, room=hall, children=[child_same, child_other])
    model = AgendaModel()
    model.set_entries([session], "en")
    parent = model.index(0, 0)
    assert model.index(0, AgendaModel.ROOM).data() == "Main hall"
    assert model.index(0, AgendaModel.ROOM, parent).data() == ""
    assert model.index(1, AgendaModel.ROOM, parent).data() == "Room B"


def test_people_model(qtmodeltester: ModelTester, demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = roster(session, _event_id(demo_db))
    model = PeopleModel()
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows)


def test_registrations_model(qtmodeltester: ModelTester, demo_db: Database) -> None:
    event_id = _event_id(demo_db)
    with demo_db.read() as session:
        rows = registration_rows(session, event_id)
    model = RegistrationsModel()
    qtmodeltester.check(model)  # empty, no database yet
    model.set_source(demo_db, event_id, "en", "Asia/Almaty")
    model.reload()
    qtmodeltester.check(model)
    assert model.rows() == rows  # the database's order and rows, read a page at a time
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == 120


def test_recent_check_ins_model(qtmodeltester: ModelTester, demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = recent_check_ins(session, _event_id(demo_db))
    model = RecentCheckInsModel()
    model.set_time_zone("Asia/Almaty")
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) > 0


def reg(code: str, name: str, at: dt.datetime | None = None,
        status: Status = Status.CONFIRMED) -> RegistrationRow:
    return RegistrationRow(1, code, name, "Org", Sector.ACADEMIA, Category.PARTICIPANT, status, at, "Desk 1")


def test_sorting_keeps_the_selection_on_its_row(qtmodeltester: ModelTester) -> None:
    model = RowTableModel([Column("Code", lambda r: r.code), Column("Name", lambda r: r.name)])
    model.set_rows([reg("B", "Bea"), reg("C", "Cy"), reg("A", "Al")])
    held = QPersistentModelIndex(model.index(0, 1))  # Bea
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.code for r in model.rows()] == ["A", "B", "C"]
    assert held.row() == 1 and held.data() == "Bea"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert held.row() == 1
    model.sort(-1)
    assert [r.code for r in model.rows()] == ["B", "C", "A"]
    assert held.row() == 0
    qtmodeltester.check(model)


@pytest.fixture
def listed(tmp_path: Path) -> Iterator[tuple[Database, Sample]]:
    """A database with the registration list tests' event (check-ins at 09:10 Astana time)."""
    database = open_database(tmp_path / "listed.sqlite")
    try:
        yield database, build(database)
    finally:
        database.close()


def _row_of(model: RegistrationsModel, registration_id: int) -> int:
    return next(r for r in range(model.rowCount()) if model.row_at(r).id == registration_id)


def test_empty_cells_sort_last_both_ways(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.sort(RegistrationsModel.CHECKED_IN, Qt.SortOrder.AscendingOrder)
    times = [r.checked_in_at for r in model.rows()]
    assert times[:3] == sorted(t for t in times if t) and set(times[3:]) == {None}
    model.sort(RegistrationsModel.CHECKED_IN, Qt.SortOrder.DescendingOrder)
    times = [r.checked_in_at for r in model.rows()]
    assert times[:3] == sorted((t for t in times if t), reverse=True) and set(times[3:]) == {None}


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Almaty", "09:10"), ("UTC", "04:10"), ("Europe/Warsaw", "05:10"), ("No/Such_Zone", "04:10")],
)
def test_check_in_time_is_local_to_the_event(listed: tuple[Database, Sample], zone: str, expected: str) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id, "en", zone)
    model.reload()
    row = _row_of(model, sample.ids["sarsenbayeva"])
    assert model.index(row, RegistrationsModel.CHECKED_IN).data() == expected
    tip = model.index(row, RegistrationsModel.CHECKED_IN).data(Qt.ItemDataRole.ToolTipRole)
    assert "Desk 1" in tip and "28 February 2025" in tip


def test_not_checked_in_is_an_empty_cell(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.reload()
    row = _row_of(model, sample.ids["zhienbayev"])  # checked in, then undone
    assert model.index(row, RegistrationsModel.CHECKED_IN).data() == ""
    assert model.index(row, RegistrationsModel.CHECKED_IN).data(Qt.ItemDataRole.ToolTipRole) is None
    assert local_time(None, dt.UTC) == ""


def test_cancelled_registrations_are_muted(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.reload()
    cancelled = _row_of(model, sample.ids["wisniewski"])
    confirmed = _row_of(model, sample.ids["wisniewska"])
    assert model.index(cancelled, RegistrationsModel.STATUS).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(confirmed, RegistrationsModel.STATUS).data(Qt.ItemDataRole.ForegroundRole) is None


def test_invalid_indexes_have_no_data() -> None:
    model = RegistrationsModel()
    assert model.data(QModelIndex()) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    agenda = AgendaModel()
    assert agenda.data(QModelIndex()) is None
    assert agenda.index(5, 0) == QModelIndex()
