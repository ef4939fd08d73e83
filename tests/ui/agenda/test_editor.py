"""The agenda editor (desktop/ui/agenda/page.py and its dialogs and commands), driven as a user
would: dialogs filled in, keys pressed, a block dragged in the timetable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, Event, ItemKind, Role, RoleKind
from desktop.ui.agenda.dialogs import ItemDialog, PersonPicker, SessionDialog, ShiftDialog
from desktop.ui.agenda.page import OUTLINE, TIMETABLE, AgendaModel, AgendaPage
from desktop.ui.shell.main_window import MainWindow
from tests.databases import content_columns

# The offscreen platform says so whenever a dialog is shown.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

DAY = dt.date(2025, 2, 28)


def dump(database: Database) -> dict[str, Any]:
    """Every column of every session, item and role, and the events' dates."""
    with database.read() as s:
        return {
            "sessions": [tuple(r) for r in s.execute(select(*content_columns(AgendaSession.__table__))
                                                     .order_by(AgendaSession.id))],
            "items": [tuple(r) for r in s.execute(select(*content_columns(AgendaItem.__table__))
                                                  .order_by(AgendaItem.id))],
            "roles": [tuple(r) for r in s.execute(select(*content_columns(Role.__table__)).order_by(Role.id))],
            "dates": [tuple(r) for r in s.execute(select(Event.starts_on, Event.ends_on))],
        }


def _key(qtbot: QtBot, window: MainWindow, modifiers: Qt.KeyboardModifier) -> None:
    """A key press in the outline, the window active (as after a dialog closed)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.agenda_page.view.setFocus()
    qtbot.keyClick(window.agenda_page.view, Qt.Key.Key_Z, modifiers)


def undo_key(qtbot: QtBot, window: MainWindow) -> None:
    _key(qtbot, window, Qt.KeyboardModifier.ControlModifier)


def redo_key(qtbot: QtBot, window: MainWindow) -> None:
    _key(qtbot, window, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def select_title(page: AgendaPage, title: str) -> None:
    model = page.model
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for index in (parent, *(model.index(r, 0, parent) for r in range(model.rowCount(parent)))):
            entry = model.entry(index)
            if entry is not None and entry.title.get("en") == title:
                page.view.setCurrentIndex(index)
                return
    raise AssertionError(f"{title!r} is not on show")


def rows_of_day(page: AgendaPage) -> list[tuple[str, str]]:
    """(time, title) of every row on show."""
    model = page.model
    out = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for index in (parent, *(model.index(r, 0, parent) for r in range(model.rowCount(parent)))):
            out.append((index.siblingAtColumn(AgendaModel.TIME).data(),
                        index.siblingAtColumn(AgendaModel.TITLE).data()))
    return out


def titles_of_day(page: AgendaPage) -> list[str]:
    model = page.model
    out = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        out.append(parent.siblingAtColumn(AgendaModel.TITLE).data())
        out.extend(model.index(r, AgendaModel.TITLE, parent).data() for r in range(model.rowCount(parent)))
    return out


@pytest.fixture
def page(window: MainWindow) -> AgendaPage:
    page = window.agenda_page
    page.view.setFocus()
    window.activateWindow()
    return page


def pick_person(qtbot: QtBot, dialog: SessionDialog | ItemDialog, search: str) -> None:
    """Add… → type in the picker → the first match → Add."""
    qtbot.mouseClick(dialog.cast.add_button, Qt.MouseButton.LeftButton)
    picker = dialog.cast.picker
    assert isinstance(picker, PersonPicker)
    qtbot.keyClicks(picker.search, search)
    picker._search_roster()  # the search runs 200 ms after typing stops
    assert picker.people.topLevelItemCount() >= 1
    picker.people.setCurrentItem(picker.people.topLevelItem(0))
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert dialog.cast.picker is None


# -- the outline model ------------------------------------------------------------------------


def test_outline_model_on_the_demo(qtmodeltester: ModelTester, page: AgendaPage) -> None:
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 9
    assert page.model.headerData(AgendaModel.KIND, Qt.Orientation.Horizontal) == "Kind"
    assert page.model.index(0, AgendaModel.KIND).data() == "Registration"


def test_conflicts_are_marked_in_the_outline_and_listed_in_the_panel(
        qtmodeltester: ModelTester, qtbot: QtBot, window: MainWindow, page: AgendaPage, demo_db: Database) -> None:
    # The coffee break moved into the lunch's time: the two overlap in no room, but the
    # break now lies inside nothing... make a real clash: put it over the opening, in the foyer
    # where registration is.
    with demo_db.read() as s:
        registration = s.scalar(select(AgendaItem.id).where(AgendaItem.kind == ItemKind.REGISTRATION))
        coffee = s.scalar(select(AgendaItem.id).where(AgendaItem.kind == ItemKind.BREAK).order_by(AgendaItem.id))
    assert page.retime(coffee, dt.datetime(2025, 2, 28, 9, 0), dt.datetime(2025, 2, 28, 9, 15))
    qtmodeltester.check(page.model)
    assert page.conflicts(), "two items in the foyer at 9:00 are a conflict"
    index = page.model.find(("item", registration), AgendaModel.TITLE)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Conflicts:" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert page.conflicts_panel.conflicts() == page.conflicts()
    # Activating the conflict in the panel selects the item.
    page.view.clearSelection()
    page.conflicts_panel.item_activated.emit(registration)
    assert page.current_key() in {("item", registration), ("item", coffee)}
    undo_key(qtbot, window)
    assert not page.conflicts()
    assert page.model.find(("item", registration), AgendaModel.TITLE).data(Qt.ItemDataRole.DecorationRole) is None


def test_without_conflicts_the_panel_is_one_line(qtbot: QtBot, window: MainWindow, page: AgendaPage,
                                                demo_db: Database) -> None:
    window.resize(1280, 800)
    QApplication.processEvents()
    assert not page.conflicts()
    assert page.conflicts_panel.summary.isVisible() and "No conflicts" in page.conflicts_panel.summary.text()
    assert "nobody is in two places" in page.conflicts_panel.summary.toolTip()
    assert not page.conflicts_panel.isVisible()
    assert page.views.width() >= page.splitter.width() - 2  # the agenda has the panel's width
    assert page.conflicts_panel.summary.height() < 2 * page.conflicts_panel.summary.fontMetrics().height()
    with demo_db.read() as s:
        coffee = s.scalar(select(AgendaItem.id).where(AgendaItem.kind == ItemKind.BREAK).order_by(AgendaItem.id))
    assert page.retime(coffee, dt.datetime(2025, 2, 28, 9, 0), dt.datetime(2025, 2, 28, 9, 15))
    QApplication.processEvents()
    assert page.conflicts_panel.isVisible() and not page.conflicts_panel.summary.isVisible()
    assert 150 < page.conflicts_panel.width() < page.views.width()
    undo_key(qtbot, window)
    QApplication.processEvents()
    assert not page.conflicts_panel.isVisible() and page.conflicts_panel.summary.isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_the_title_column_gets_the_room(window: MainWindow, page: AgendaPage, size: tuple[int, int],
                                        tmp_path: Path) -> None:
    window.resize(*size)
    QApplication.processEvents()
    view, model = page.view, page.model
    title_w = view.columnWidth(AgendaModel.TITLE)
    others = [view.columnWidth(c) for c in range(model.columnCount()) if c != AgendaModel.TITLE]
    assert title_w > max(others) and title_w > 0.35 * view.viewport().width()
    # The short columns fit their texts on one line: a time, a room, a kind.
    fm = view.fontMetrics()
    for column in (AgendaModel.TIME, AgendaModel.ROOM, AgendaModel.KIND):
        for key in page.model.keys():
            text = model.find(key, column).data() or ""
            assert fm.horizontalAdvance(text) < view.columnWidth(column), (column, text)
    # No title takes more than three lines.
    line = fm.lineSpacing()
    for key in page.model.keys():
        index = model.find(key, AgendaModel.TITLE)
        assert view.visualRect(index).height() <= 3 * line + 20, index.data()
    assert window.grab().save(str(tmp_path / "agenda.png"))


def test_conflicting_sessions_are_marked_in_the_timetable(page: AgendaPage, demo_db: Database) -> None:
    with demo_db.write() as s:
        session_id = s.scalar(select(AgendaSession.id).order_by(AgendaSession.starts_at))
        for role in s.scalars(select(Role).where(Role.session_id == session_id)):
            s.delete(role)
    page._reload()
    page.timetable_button.click()
    band = page.timetable.band_rect(session_id)
    assert not band.isEmpty()
    tip = page.timetable.tooltip_at(QPoint(band.left() + 9, band.center().y()))
    assert "has no moderator" in tip


# -- building from nothing through the dialogs ---------------------------------------------------


def test_build_a_session_with_two_items_and_people_from_nothing(
        qtbot: QtBot, window: MainWindow, page: AgendaPage, demo_db: Database) -> None:
    # A new day for it, empty.
    page.add_day_action.trigger()
    second = DAY + dt.timedelta(days=1)
    assert page.days() == [DAY, second]
    page.set_day(second)
    assert page.model.rowCount() == 0

    dialog = page.new_session()
    assert isinstance(dialog, SessionDialog) and page.dialog is dialog
    assert not dialog.save_button.isEnabled()  # no title yet
    qtbot.keyClicks(dialog.titles.edit("title", "en"), "Access to justice")
    dialog.titles.edit("title", "ru").setText("Доступ к правосудию")  # QTest types ASCII only
    assert dialog.save_button.isEnabled()
    assert "Kazakh" in dialog.titles.edit("title", "kk").toolTip()
    assert "printed programme falls back" in dialog.titles.edit("title", "kk").toolTip()
    dialog.titles.edit("title", "kk").setText("Сот төрелігіне қолжетімділік")
    dialog.starts.setTime(dialog.starts.time().fromString("10:00", "HH:mm"))
    dialog.ends.setTime(dialog.ends.time().fromString("11:30", "HH:mm"))
    pick_person(qtbot, dialog, "Harris")
    assert [m.name for m in dialog.cast.cast()] == ["Pamela Harris"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.dialog is None
    assert page.current_key() is not None and page.current_key()[0] == "session"
    session_id = page.current_key()[1]

    for title, start, end, who, role in (("Keynote on access", "10:00", "10:40", "Fenopetov", RoleKind.SPEAKER),
                                         ("Panel on legal aid", "10:40", "11:30", "Azimova", RoleKind.PANELIST)):
        page.view.setCurrentIndex(page.model.find(("session", session_id)))
        item_dialog = page.new_item()
        assert isinstance(item_dialog, ItemDialog)
        assert item_dialog.session.currentData() == session_id  # into the selected session
        item_dialog.kind.setCurrentIndex(item_dialog.kind.findData(ItemKind.PANEL if "Panel" in title
                                                                   else ItemKind.KEYNOTE))
        qtbot.keyClicks(item_dialog.titles.edit("title", "en"), title)
        item_dialog.starts.setTime(item_dialog.starts.time().fromString(start, "HH:mm"))
        item_dialog.ends.setTime(item_dialog.ends.time().fromString(end, "HH:mm"))
        pick_person(qtbot, item_dialog, who)
        combo = item_dialog.cast.list.itemWidget(item_dialog.cast.list.topLevelItem(0), 2)
        combo.setCurrentIndex(combo.findData(role))
        qtbot.mouseClick(item_dialog.save_button, Qt.MouseButton.LeftButton)

    with demo_db.read() as s:
        session = s.execute(select(AgendaSession).where(AgendaSession.id == session_id)).scalar_one()
        assert session.title == {"en": "Access to justice", "ru": "Доступ к правосудию",
                                 "kk": "Сот төрелігіне қолжетімділік"}
        assert session.starts_at == dt.datetime(2025, 3, 1, 10, 0)
        assert [r.kind for r in session.roles] == [RoleKind.MODERATOR]
        items = s.execute(select(AgendaItem).where(AgendaItem.session_id == session_id)
                          .order_by(AgendaItem.starts_at)).scalars().all()
        assert [i.title["en"] for i in items] == ["Keynote on access", "Panel on legal aid"]
        assert [i.kind for i in items] == [ItemKind.KEYNOTE, ItemKind.PANEL]
        assert [(r.kind, r.person.display_name.get("en")) for i in items for r in i.roles] == [
            (RoleKind.SPEAKER, "Yuri Fenopetov"), (RoleKind.PANELIST, "Elvira Azimova")]
    assert titles_of_day(page) == ["Access to justice", "Keynote on access", "Panel on legal aid"]

    # Ctrl+Z four times takes it all back (two items, the session, the day).
    assert window.undo_stack.count() == 4
    assert QApplication.activeModalWidget() is None
    for _ in range(4):
        undo_key(qtbot, window)
    assert window.undo_stack.index() == 0
    assert page.days() == [DAY]
    with demo_db.read() as s:
        assert s.scalar(select(AgendaSession.id).where(AgendaSession.id == session_id)) is None
    assert window.undo_stack.index() == 0
    for _ in range(4):
        redo_key(qtbot, window)
    page.set_day(second)
    assert titles_of_day(page) == ["Access to justice", "Keynote on access", "Panel on legal aid"]
    assert not window.isWindowModified()  # saved as made: the title has no unsaved mark


def test_the_dialog_refuses_an_end_before_the_start(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Coffee break")
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    dialog.ends.setTime(dialog.starts.time().addSecs(-600))
    assert not dialog.save_button.isEnabled()
    assert "must end after it starts" in dialog.problem.text()
    assert dialog.ends.property("invalid") is True
    dialog.reject()


def test_time_fields_step_by_five_minutes(qtbot: QtBot, page: AgendaPage) -> None:
    dialog = page.new_session()
    assert dialog is not None
    dialog.starts.setTime(dialog.starts.time().fromString("10:02", "HH:mm"))
    dialog.starts.setCurrentSection(dialog.starts.Section.MinuteSection)
    dialog.starts.stepBy(1)
    assert dialog.starts.time().toString("HH:mm") == "10:05"
    dialog.starts.stepBy(-2)
    assert dialog.starts.time().toString("HH:mm") == "09:55"
    dialog.reject()


# -- undo and redo of each kind of edit ---------------------------------------------------------


def _edit_title(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Coffee break")
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    edit = dialog.titles.edit("title", "en")
    edit.selectAll()
    qtbot.keyClicks(edit, "Tea break")
    dialog.accept()


def _delete(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Lunch")
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)


def _duplicate(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Discussion")
    qtbot.keyClick(page.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)


def _reorder(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Discussion")
    qtbot.keyClick(page.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)


def _shift(qtbot: QtBot, page: AgendaPage) -> None:
    select_title(page, "Lunch")
    qtbot.keyClick(page.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, ShiftDialog)
    dialog.minutes.setValue(-10)
    assert "12:45 → 12:35" in dialog.preview.text()
    dialog.accept()


def _delete_session(qtbot: QtBot, page: AgendaPage, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    select_title(page, "Session 1. Modernising court administration: judicial efficiency and "
                       "human-resources policy")
    page.delete_action.trigger()
    assert asked and "with its 3 items and" in asked[0]


EDITS = {
    "edit": _edit_title,
    "delete": _delete,
    "duplicate": _duplicate,
    "reorder": _reorder,
    "shift": _shift,
}


@pytest.mark.parametrize("name", [*EDITS, "delete session"])
def test_undo_and_redo_round_trip(qtbot: QtBot, window: MainWindow, page: AgendaPage, demo_db: Database,
                                  monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    before = dump(demo_db)
    shown_before = rows_of_day(page)
    if name == "delete session":
        _delete_session(qtbot, page, monkeypatch)
    else:
        EDITS[name](qtbot, page)
    after = dump(demo_db)
    shown_after = rows_of_day(page)
    assert after != before and shown_after != shown_before
    selected_after = page.current_key()
    assert window.undo_stack.count() == 1

    undo_key(qtbot, window)
    assert dump(demo_db) == before
    assert rows_of_day(page) == shown_before
    assert page.current_key() is not None  # the entry edited (or deleted) is selected again

    redo_key(qtbot, window)
    assert dump(demo_db) == after
    assert rows_of_day(page) == shown_after
    if selected_after is not None:
        assert page.current_key() == selected_after


def test_delete_asks_when_people_go_with_it_and_no_keeps_it(
        page: AgendaPage, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    questions: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: questions.append(args[2]) or QMessageBox.StandardButton.No)
    before = dump(demo_db)
    select_title(page, "Opening of the round table")
    assert page.delete_selected() is False
    assert questions and "with its 2 persons on stage" in questions[0]
    assert dump(demo_db) == before


def test_actions_follow_the_selection(page: AgendaPage) -> None:
    select_title(page, "Registration of participants")
    assert not page.move_up_action.isEnabled() and page.move_down_action.isEnabled()
    assert page.shift_action.isEnabled() and page.edit_action.isEnabled()
    assert "Ctrl+D" in page.duplicate_action.toolTip()
    assert "Alt+Up" in page.move_up_action.toolTip()
    page.view.clearSelection()
    page.view.setCurrentIndex(page.model.index(-1, 0))
    assert not page.edit_action.isEnabled()


# -- the timetable ------------------------------------------------------------------------------


def _drag(viewport: Any, start: QPoint, end: QPoint) -> None:
    left = Qt.MouseButton.LeftButton
    for kind, pos, button, buttons in (
            (QMouseEvent.Type.MouseButtonPress, start, left, left),
            (QMouseEvent.Type.MouseMove, start + QPoint(0, 8), Qt.MouseButton.NoButton, left),
            (QMouseEvent.Type.MouseMove, end, Qt.MouseButton.NoButton, left),
            (QMouseEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)):
        event = QMouseEvent(kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)


def test_dragging_a_block_in_the_timetable_changes_the_items_times(
        qtbot: QtBot, window: MainWindow, page: AgendaPage, demo_db: Database) -> None:
    with demo_db.read() as s:
        lunch = s.execute(select(AgendaItem).where(AgendaItem.kind == ItemKind.LUNCH)).scalar_one()
        lunch_id, start, end = lunch.id, lunch.starts_at, lunch.ends_at
    page.timetable_button.click()
    assert page.current_view() == TIMETABLE
    timetable = page.timetable
    timetable.resize(900, 700)
    timetable.ensure_visible(lunch_id)
    rect = timetable.block_rect(lunch_id)
    minutes = 30
    drop = rect.center() + QPoint(0, round(minutes * timetable.zoom()))
    _drag(timetable.viewport(), rect.center(), drop)
    with demo_db.read() as s:
        moved = s.execute(select(AgendaItem.starts_at, AgendaItem.ends_at)
                          .where(AgendaItem.id == lunch_id)).one()
    assert moved.starts_at == start + dt.timedelta(minutes=minutes)
    assert moved.ends_at == end + dt.timedelta(minutes=minutes)
    assert window.undo_stack.count() == 1 and "Lunch" in window.undo_stack.text(0)
    # Its lower edge: longer by 15 minutes.
    rect = timetable.block_rect(lunch_id)
    edge = QPoint(rect.center().x(), rect.bottom() - 2)
    _drag(timetable.viewport(), edge, edge + QPoint(0, round(15 * timetable.zoom())))
    with demo_db.read() as s:
        stretched = s.execute(select(AgendaItem.ends_at).where(AgendaItem.id == lunch_id)).scalar_one()
    assert stretched == end + dt.timedelta(minutes=minutes + 15)
    window.undo_stack.undo()
    window.undo_stack.undo()
    with demo_db.read() as s:
        back = s.execute(select(AgendaItem.starts_at, AgendaItem.ends_at).where(AgendaItem.id == lunch_id)).one()
    assert (back.starts_at, back.ends_at) == (start, end)
    page.outline_button.click()
    assert page.current_view() == OUTLINE


# -- remembered sizes, and a look at it -----------------------------------------------------------


def test_splitter_columns_and_view_are_remembered(qtbot: QtBot, window: MainWindow, page: AgendaPage) -> None:
    page.splitter.setSizes([700, 420])
    page.view.setColumnWidth(AgendaModel.PEOPLE, 333)
    page.timetable_button.click()
    page._save_settings()
    settings = window.settings
    assert settings.value("agenda/view") in (TIMETABLE, str(TIMETABLE))
    fresh = AgendaPage()
    qtbot.addWidget(fresh)
    window.stack.addWidget(fresh)  # inside the window: it reads the window's settings
    assert window.detail is not None
    fresh.show_event(window.database, window.detail, "en")
    assert fresh.view.columnWidth(AgendaModel.PEOPLE) == 333
    assert fresh.current_view() == TIMETABLE


def test_render_the_page(page: AgendaPage, tmp_path: Path) -> None:
    select_title(page, "Opening of the round table")
    path = tmp_path / "agenda.png"
    assert page.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_kazakh_view_flags_a_missing_translation(qtbot: QtBot, window: MainWindow, page: AgendaPage,
                                                demo_db: Database) -> None:
    select_title(page, "Coffee break")
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    dialog.titles.edit("title", "kk").clear()
    dialog.accept()
    kazakh = next(b for b in window.event_bar.language_buttons.buttons() if b.property("lang") == "kk")
    qtbot.mouseClick(kazakh, Qt.MouseButton.LeftButton)
    page = window.agenda_page
    key = ("item", next(k[1] for k in page.model.keys() if k[0] == "item"
                        and page.model.entry(page.model.find(k)).title.get("en") == "Coffee break"))
    index = page.model.find(key, AgendaModel.TITLE)  # type: ignore[arg-type]
    assert index.data() == "Coffee break" or index.data(Qt.ItemDataRole.FontRole).italic()
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "falls back" in index.data(Qt.ItemDataRole.ToolTipRole)
