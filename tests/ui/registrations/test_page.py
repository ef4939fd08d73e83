"""The Registrations section as a user drives it: search as you type, filters, sorting by a
header click, edits in place and in bulk, Register…, Details…, Remove — each undone with
Ctrl+Z in the database — and a list of more rows than one page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelection, QPoint, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database, open_database
from db.models import Category, CheckIn, Person, Registration, Sector, Status
from desktop.core.checkin import checked_in_count
from desktop.core.events import list_events
from desktop.core.registration_edit import find_people
from desktop.core.registrations import RegistrationFilter, RegistrationSort, SortColumn, registration_ids
from desktop.ui.registrations import page as page_module
from desktop.ui.registrations.dialogs import DetailsDialog, RegisterDialog
from desktop.ui.registrations.page import RegistrationsModel, RegistrationsPage
from desktop.ui.shell.main_window import REGISTRATIONS, MainWindow

WAIT_MS = 3000


def event_id_of(database: Database) -> int:
    with database.read() as s:
        return list_events(s)[0].id


@pytest.fixture
def page(window: MainWindow) -> RegistrationsPage:
    window.show_section(REGISTRATIONS)
    return window.registrations_page


def ids_for(database: Database, **flt: Any) -> list[int]:
    sort = flt.pop("sort", RegistrationSort())
    with database.read() as s:
        return registration_ids(s, event_id_of(database), RegistrationFilter(**flt), sort)


def status_of(database: Database, registration_id: int) -> Status | None:
    with database.read() as s:
        return s.scalar(select(Registration.status).where(Registration.id == registration_id))


def shown_ids(page: RegistrationsPage) -> list[int]:
    return [row.id for row in page.model.rows()]


def ctrl(qtbot: QtBot, window: MainWindow, key: Qt.Key, shift: bool = False) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, key, modifiers)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as a keyboard would, in any script: a key press and release per
    character, carrying the character (``QTest.keyClicks`` knows Latin-1 keys only and
    aborts on Cyrillic)."""
    for ch in text:
        key = ord(ch.upper()) if len(ch.upper()) == 1 else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def select_rows(page: RegistrationsPage, *rows: int) -> None:
    """Select whole rows, whatever modifier keys the application last saw (``selectRow``
    extends or toggles the selection when it believes Shift or Ctrl is down)."""
    selection = page.view.selectionModel()
    flags = selection.SelectionFlag
    selection.clearSelection()
    for row in rows:
        selection.select(page.model.index(row, 0), flags.Select | flags.Rows)
    if rows:
        selection.setCurrentIndex(page.model.index(rows[0], RegistrationsModel.NAME), flags.NoUpdate)


class Recorder:
    def __init__(self, result: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.result


# -- search and filters ---------------------------------------------------------------------


def test_typing_a_cyrillic_search_shows_the_right_rows(page: RegistrationsPage, qtbot: QtBot,
                                                      demo_db: Database) -> None:
    expected = ids_for(demo_db, search="сәрс")
    assert 2 <= len(expected) < 120
    page.search_field.setFocus()
    type_text(page.search_field, "сәрс")
    assert page.search_timer.isActive()           # the list waits for a pause in typing
    assert page.model.total == 120
    qtbot.waitUntil(lambda: page.model.total == len(expected), timeout=WAIT_MS)
    assert shown_ids(page) == expected
    assert all(any(word.lower().startswith("сәрс") for word in row.name.split()) for row in page.model.rows())
    with demo_db.read() as s:
        checked = checked_in_count(s, event_id_of(demo_db))
    assert page.count_label.text() == f"{len(expected)} of 120 registrations · {checked} checked in"
    # Another script, other case: the same rows
    page.search_field.clear()
    type_text(page.search_field, "СӘРСЕНБАЕВ")
    qtbot.waitUntil(lambda: shown_ids(page) == expected, timeout=WAIT_MS)
    # Esc clears the search at once
    qtbot.keyClick(page.search_field, Qt.Key.Key_Escape)
    assert page.search_field.text() == "" and page.model.total == 120
    assert page.count_label.text() == f"120 registrations · {checked} checked in"


def test_another_language_keeps_the_search(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                           demo_db: Database) -> None:
    type_text(page.search_field, "akhmetz")
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=WAIT_MS)
    assert page.model.row_at(0).name == "Nail Akhmetzakirov"
    ru = next(b for b in window.event_bar.language_buttons.buttons() if b.property("lang") == "ru")
    qtbot.mouseClick(ru, Qt.MouseButton.LeftButton)
    assert page.search_field.text() == "akhmetz" and page.model.total == 1
    with demo_db.read() as s:
        person = s.execute(select(Person.given_name, Person.family_name).join(Registration)
                           .where(Registration.id == page.model.row_at(0).id)).one()
    # The name as written in Russian, as Russian lists write it: surname first.
    assert page.model.row_at(0).name == f"{person[1]} {person[0]}"


def test_nothing_found_says_so(page: RegistrationsPage, qtbot: QtBot) -> None:
    type_text(page.search_field, "zzzz qqqq")
    qtbot.waitUntil(lambda: page.model.total == 0, timeout=WAIT_MS)
    assert page.empty_label.isVisible()
    assert page.empty_label.text() == "No matches for “zzzz qqqq”.\nPress Esc in the search field to clear it."
    assert page.empty_label.geometry().intersects(page.view.viewport().rect())
    assert page.count_label.text().startswith("0 of 120 registrations")
    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.CONFIRMED.value))
    assert page.empty_label.text().startswith("No matches for “zzzz qqqq” with these filters.")
    page.search_field.clear()
    page._apply_filter()
    assert not page.empty_label.isVisible() and page.model.total > 0


def test_an_event_without_registrations_says_what_to_do(window: MainWindow, page: RegistrationsPage,
                                                         demo_db: Database) -> None:
    with demo_db.write() as session:
        session.query(CheckIn).delete()
        session.query(Registration).delete()
    window.refresh()
    window.show_section(REGISTRATIONS)
    assert page.model.total == 0
    assert page.empty_label.isVisible()
    assert page.empty_label.text().startswith("Nobody is registered for this event yet.")
    assert "Register…" in page.empty_label.text() and "Import attendees" in page.empty_label.text()


def test_ctrl_f_goes_to_the_search_field(window: MainWindow, page: RegistrationsPage, qtbot: QtBot) -> None:
    page.view.setFocus()
    ctrl(qtbot, window, Qt.Key.Key_F)
    assert page.search_field.hasFocus()


def test_filter_combos(page: RegistrationsPage, qtbot: QtBot, demo_db: Database) -> None:
    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.CONFIRMED.value))
    assert shown_ids(page) == ids_for(demo_db, statuses=frozenset({Status.CONFIRMED}))
    page.sector_filter.setCurrentIndex(page.sector_filter.findData(Sector.JUDICIARY.value))
    page.checked_in_filter.setCurrentIndex(page.checked_in_filter.findData("yes"))
    expected = ids_for(demo_db, statuses=frozenset({Status.CONFIRMED}), sectors=frozenset({Sector.JUDICIARY}),
                       checked_in=True)
    assert expected and shown_ids(page) == expected
    page.category_filter.setCurrentIndex(page.category_filter.findData(Category.PRESS.value))
    assert shown_ids(page) == ids_for(demo_db, statuses=frozenset({Status.CONFIRMED}), checked_in=True,
                                      sectors=frozenset({Sector.JUDICIARY}), categories=frozenset({Category.PRESS}))
    page.sector_filter.setCurrentIndex(page.sector_filter.findData(page_module.NO_ORGANISATION))
    assert page.current_filter().sectors == frozenset({None})


# -- sorting -----------------------------------------------------------------------------------


def click_header(qtbot: QtBot, page: RegistrationsPage, column: int) -> None:
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_clicking_a_header_sorts_in_the_database(page: RegistrationsPage, qtbot: QtBot, demo_db: Database) -> None:
    assert shown_ids(page) == ids_for(demo_db)  # by name
    click_header(qtbot, page, RegistrationsModel.CODE)
    assert page.model.current_sort == RegistrationSort(SortColumn.CODE, False)
    codes = [row.code for row in page.model.rows()]
    assert codes == sorted(codes)
    click_header(qtbot, page, RegistrationsModel.CODE)
    assert [row.code for row in page.model.rows()] == sorted(codes, reverse=True)
    click_header(qtbot, page, RegistrationsModel.STATUS)
    assert shown_ids(page) == ids_for(demo_db, sort=RegistrationSort(SortColumn.STATUS))
    # A search keeps the sort
    type_text(page.search_field, "ахмет")
    qtbot.waitUntil(lambda: page.model.total < 120, timeout=WAIT_MS)
    assert shown_ids(page) == ids_for(demo_db, search="ахмет", sort=RegistrationSort(SortColumn.STATUS))


# -- edits in place, in bulk, and undo -------------------------------------------------------


def test_edit_a_status_in_place_then_undo_and_redo(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                                  demo_db: Database) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).status == Status.REGISTERED)
    rid = page.model.row_at(row).id
    index = page.model.index(row, RegistrationsModel.STATUS)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.findChild(QComboBox, "inPlaceChoice")
    assert editor is not None and editor.currentData() == Status.REGISTERED.value
    editor.setCurrentIndex(editor.findData(Status.CONFIRMED.value))
    editor.activated.emit(editor.currentIndex())
    qtbot.waitUntil(lambda: status_of(demo_db, rid) == Status.CONFIRMED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.model.row_at(page.model.row_of(rid)).status == Status.CONFIRMED, timeout=WAIT_MS)
    assert window.undo_stack.count() == 1 and "Confirmed" in window.undo_stack.undoText()
    assert not window.isWindowModified()  # saved as made: the title has no unsaved mark

    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert status_of(demo_db, rid) == Status.REGISTERED
    assert page.model.row_at(page.model.row_of(rid)).status == Status.REGISTERED
    assert not window.isWindowModified()
    ctrl(qtbot, window, Qt.Key.Key_Z, shift=True)
    assert status_of(demo_db, rid) == Status.CONFIRMED


def test_bulk_confirm_of_a_selection_then_undo(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                              demo_db: Database) -> None:
    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.REGISTERED.value))
    waiting = shown_ids(page)
    assert len(waiting) >= 3
    page.view.selectAll()
    assert page.confirm_action.isEnabled() and page.selection_label.text() == f"{len(waiting)} selected"
    page.confirm_action.trigger()
    assert {status_of(demo_db, rid) for rid in waiting} == {Status.CONFIRMED}
    assert page.model.total == 0  # none is "registered" any more
    window.undo_action.trigger()
    assert {status_of(demo_db, rid) for rid in waiting} == {Status.REGISTERED}
    assert shown_ids(page) == waiting


def test_change_category_of_a_selection_from_the_menu(window: MainWindow, page: RegistrationsPage,
                                                      demo_db: Database) -> None:
    rows = [0, 1, 2]
    ids = page.model.ids_of(rows)
    select_rows(page, *rows)
    page.category_actions[Category.OBSERVER].trigger()
    with demo_db.read() as s:
        assert set(s.scalars(select(Registration.category).where(Registration.id.in_(ids)))) == {Category.OBSERVER}
    assert page.view.selectionModel().selectedRows()  # the selection stays after the edit
    window.undo_stack.undo()
    with demo_db.read() as s:
        assert Category.OBSERVER not in set(s.scalars(select(Registration.category).where(Registration.id.in_(ids))))


def test_actions_follow_the_selection(page: RegistrationsPage) -> None:
    page.view.clearSelection()
    assert not page.confirm_action.isEnabled() and not page.remove_action.isEnabled()
    assert not page.details_action.isEnabled() and page.register_action.isEnabled()
    select_rows(page, 3)
    assert page.details_action.isEnabled() and page.remove_action.isEnabled()
    page.view.selectAll()
    assert not page.details_action.isEnabled() and page.category_menu.isEnabled()


def test_the_selection_is_counted_by_its_spans(page: RegistrationsPage) -> None:
    """Overlapping and adjacent ranges (Ctrl+click, Shift+click) count each row once, in order."""
    selection = page.view.selectionModel()
    flags = selection.SelectionFlag
    selection.clearSelection()
    for top, bottom in ((10, 14), (12, 20), (21, 22), (40, 40), (2, 3)):
        selection.select(QItemSelection(page.model.index(top, 0), page.model.index(bottom, 0)),
                         flags.Select | flags.Rows)
    assert page.selected_spans() == [(2, 3), (10, 22), (40, 40)]
    assert page.selected_rows() == [2, 3, *range(10, 23), 40]
    assert page.selected_count() == 16 and page.selection_label.text() == "16 selected"
    assert page.selected_ids() == page.model.ids_of(page.selected_rows())


def test_ctrl_a_selects_every_row_as_one_range(page: RegistrationsPage, qtbot: QtBot) -> None:
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert page.selected_spans() == [(0, 119)] and page.selection_label.text() == "120 selected"
    assert page.view.horizontalHeader().selectionModel() is not page.view.selectionModel()


# -- register, details, remove -----------------------------------------------------------------


def test_register_someone_new_then_undo_and_redo(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                                 demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_and_accept(dialog: RegisterDialog) -> int:
        dialog.tabs.setCurrentIndex(RegisterDialog.NEW)
        dialog.given_name.setText("Әлия")
        dialog.family_name.setText("Нұрланова")
        dialog.organisation.setEditText("Алматы облыстық соты")
        dialog.sector.setCurrentIndex(dialog.sector.findData(Sector.JUDICIARY.value))
        dialog.email.setText("aliya@example.kz")
        dialog.category.setCurrentIndex(dialog.category.findData(Category.SPEAKER.value))
        assert dialog.register_button.isEnabled()
        assert "is new" in dialog.organisation_note.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RegisterDialog, "exec", fill_and_accept)
    page.register_action.trigger()
    found = ids_for(demo_db, search="нұрланова әлия")
    assert len(found) == 1
    assert page.model.total == 121 and page.model.row_of(found[0]) >= 0
    assert page.selected_ids() == found
    with demo_db.read() as s:
        code = s.scalar(select(Registration.badge_code).where(Registration.id == found[0]))
        assert s.scalar(select(Registration.category).where(Registration.id == found[0])) == Category.SPEAKER
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert ids_for(demo_db, search="нұрланова") == [] and page.model.total == 120
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Person).where(Person.family_name == "Нұрланова")) == 0
    ctrl(qtbot, window, Qt.Key.Key_Z, shift=True)
    again = ids_for(demo_db, search="нұрланова")
    with demo_db.read() as s:
        assert s.scalar(select(Registration.badge_code).where(Registration.id == again[0])) == code


def test_register_dialog_searches_the_roster(styled_app: QApplication, qtbot: QtBot, demo_db: Database) -> None:
    event_id = event_id_of(demo_db)
    with demo_db.write() as s:
        s.add(Person(given_name="Асель", family_name="Сәрсенқызы"))
    dialog = RegisterDialog(demo_db, event_id)
    qtbot.addWidget(dialog)
    type_text(dialog.person_search, "сәрсен")
    with demo_db.read() as s:
        expected = find_people(s, "сәрсен", event_id)
    qtbot.waitUntil(lambda: dialog.people.topLevelItemCount() == len(expected), timeout=WAIT_MS)
    items = [dialog.people.topLevelItem(i) for i in range(dialog.people.topLevelItemCount())]
    assert "Асель Сәрсенқызы" in [item.text(0) for item in items]
    registered = [item for item in items if item.text(3).startswith("registered, ")]
    assert len(registered) == len(expected) - 1
    assert all(not item.flags() & Qt.ItemFlag.ItemIsSelectable for item in registered)
    assert dialog.people.currentItem().text(0) == "Асель Сәрсенқызы"  # the one who can be chosen
    assert dialog.register_button.isEnabled()
    request = dialog.request()
    assert request["status"] == Status.REGISTERED and isinstance(request["person_id"], int)
    dialog.tabs.setCurrentIndex(RegisterDialog.NEW)
    assert not dialog.register_button.isEnabled() and "given name" in dialog.problem.text()
    dialog.family_name.setText("Ким")
    dialog.email.setText("not an address")
    assert not dialog.register_button.isEnabled() and "not an e-mail" in dialog.problem.text()


def test_details_dialog_edits_then_undo(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                        demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def edit_and_accept(dialog: DetailsDialog) -> int:
        assert dialog.details.code in dialog.windowTitle() or dialog.details.name in dialog.windowTitle()
        dialog.dietary.setText("  halal ")
        dialog.photo_consent.setCurrentIndex(dialog.photo_consent.findData(False))
        dialog.interpretation.setCurrentIndex(dialog.interpretation.findData("kk"))
        dialog.accept()  # Save: the edit is made, then the dialog closes
        return dialog.result()

    monkeypatch.setattr(DetailsDialog, "exec", edit_and_accept)
    select_rows(page, 5)
    rid = page.selected_ids()[0]
    with demo_db.read() as s:
        reg = s.get(Registration, rid)
        before = (reg.dietary, reg.photo_consent, reg.interpretation)
    assert before != ("halal", False, "kk")
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    with demo_db.read() as s:
        reg = s.get(Registration, rid)
        assert (reg.dietary, reg.photo_consent, reg.interpretation) == ("halal", False, "kk")
    ctrl(qtbot, window, Qt.Key.Key_Z)
    with demo_db.read() as s:
        reg = s.get(Registration, rid)
        assert (reg.dietary, reg.photo_consent, reg.interpretation) == before


def test_remove_with_delete_then_undo(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                      demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", asked)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).checked_in_at is None)
    victim = page.model.row_at(row)
    select_rows(page, row)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert len(asked.calls) == 1 and victim.name in asked.calls[0][2]
    assert victim.id not in ids_for(demo_db) and page.model.total == 119
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) >= 120  # the person stays in the roster
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert victim.id in ids_for(demo_db) and page.model.total == 120
    assert page.model.row_at(page.model.row_of(victim.id)).code == victim.code


def test_removing_someone_checked_in_is_refused(window: MainWindow, page: RegistrationsPage, qtbot: QtBot,
                                               demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", Recorder(QMessageBox.StandardButton.Yes))
    warned = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warned)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).checked_in_at is not None)
    select_rows(page, row)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert len(warned.calls) == 1 and "set its status to Cancelled" in warned.calls[0][2]
    assert page.model.total == 120 and window.undo_stack.count() == 0
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) > 0


def test_an_undo_that_cannot_be_done_is_told_and_dropped(window: MainWindow, page: RegistrationsPage,
                                                         demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    warned = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warned)
    with demo_db.read() as s:  # one without check-in rows, so that it can be deleted below
        rid = s.scalar(select(Registration.id).where(~Registration.check_ins.any(),
                                                     Registration.category != Category.PRESS))
    page.set_field([rid], "category", Category.PRESS)
    with demo_db.write() as s:  # another desk removes it meanwhile
        s.execute(Registration.__table__.delete().where(Registration.id == rid))
    window.undo_stack.undo()
    assert len(warned.calls) == 1 and "no longer in the database" in warned.calls[0][2]
    assert window.undo_stack.count() == 0 and page.model.total == 119


# -- the model ---------------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(qtmodeltester: ModelTester, page: RegistrationsPage, qtbot: QtBot) -> None:
    qtmodeltester.check(page.model)
    page.model.sort(RegistrationsModel.ORGANISATION, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(page.model)
    type_text(page.search_field, "qqqq")
    qtbot.waitUntil(lambda: page.model.total == 0, timeout=WAIT_MS)
    qtmodeltester.check(page.model)


def test_headers_are_the_column_titles_aligned_like_the_cells(page: RegistrationsPage) -> None:
    """The list's header comes from the shared table code, as every other table's does."""
    from desktop.ui.shell.table import Column, RowTableModel

    model = page.model
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    display, align = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole
    titles = [model.headerData(i, horizontal, display) for i in range(model.columnCount())]
    assert titles == ["Code", "Name", "Organisation", "Sector", "Category", "Status", "Checked in"]
    assert model.headerData(model.CHECKED_IN, horizontal, align) == (
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
    assert model.headerData(0, vertical, display) is None
    assert model.headerData(model.columnCount(), horizontal, display) is None
    plain = RowTableModel(model.columns)
    assert [plain.headerData(i, horizontal, role) for i in range(7) for role in (display, align)] == [
        model.headerData(i, horizontal, role) for i in range(7) for role in (display, align)]
    assert isinstance(model.columns[0], Column)


def test_set_data_asks_for_the_edit_and_writes_nothing(page: RegistrationsPage, qtbot: QtBot,
                                                      demo_db: Database) -> None:
    model = RegistrationsModel()
    model.set_source(demo_db, event_id_of(demo_db))
    model.reload()
    row = model.row_at(0)
    index = model.index(0, RegistrationsModel.CATEGORY)
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, RegistrationsModel.NAME)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.edit_requested) as signal:
        assert model.setData(index, Category.PRESS.value if row.category != Category.PRESS else "observer")
    assert signal.args[0] == row.id and signal.args[1] == "category"
    assert not model.setData(index, "not a category")
    assert not model.setData(index, row.category.value)  # no change
    with demo_db.read() as s:
        assert s.scalar(select(Registration.category).where(Registration.id == row.id)) == row.category


@pytest.fixture
def big_db(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    """1,300 registrations: more than the pages read by LIMIT/OFFSET (5 × 200)."""
    from tests.bench.search import build

    path = tmp_path / "big.sqlite"
    event_id = build(path, 1300, seed=7)
    database = open_database(path)
    try:
        yield database, event_id
    finally:
        database.close()


def test_a_long_list_is_read_a_page_at_a_time(qtmodeltester: ModelTester, big_db: tuple[Database, int],
                                              styled_app: QApplication, qtbot: QtBot, settings: QSettings) -> None:
    database, event_id = big_db
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(REGISTRATIONS)
    page = window.registrations_page
    with database.read() as s:
        expected = registration_ids(s, event_id)
    assert page.count_label.text().startswith("1,300 registrations · 433 checked in")
    model = page.model
    assert model.rowCount() == 1300 and len(model._pages) == 1  # noqa: SLF001 — only the first page read
    assert model.row_at(1299).id == expected[1299]              # deep: through the ordered ids
    assert model.row_at(450).id == expected[450]                # near: LIMIT/OFFSET
    page.view.scrollToBottom()
    page.view.viewport().repaint()
    assert shown_ids(page) == expected
    qtmodeltester.check(model)
    page.view.selectAll()
    assert len(page.selected_ids()) == 1300
    # Sorting again starts over from the first page
    model.sort(RegistrationsModel.CODE, Qt.SortOrder.DescendingOrder)
    with database.read() as s:
        by_code = registration_ids(s, event_id, sort=RegistrationSort(SortColumn.CODE, True))
    assert model.row_at(1000).id == by_code[1000] and model.row_at(7).id == by_code[7]


def test_a_large_event_counts_its_check_ins_in_a_thread(big_db: tuple[Database, int], styled_app: QApplication,
                                                        qtbot: QtBot, settings: QSettings,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """From ``LARGE_EVENT`` registrations the page shows the list at once and
    says how many are checked in when the thread has counted them; a reload meanwhile
    keeps the last count, and a count asked before a newer one is dropped."""
    database, _event_id = big_db
    monkeypatch.setattr(page_module, "LARGE_EVENT", 1000)
    started = threading.Event()
    go_on = threading.Event()
    counted = page_module.checked_in_total

    def slow_count(db: Database, event_id: int) -> int:
        started.set()
        go_on.wait(WAIT_MS / 1000)
        return counted(db, event_id)

    monkeypatch.setattr(page_module, "checked_in_total", slow_count)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show_section(REGISTRATIONS)
    page = window.registrations_page
    assert started.wait(WAIT_MS / 1000)
    qtbot.waitUntil(lambda: page.model.total == 1300, timeout=WAIT_MS)  # the list itself, read in a thread too
    assert page.count_label.text() == "1,300 registrations"  # not counted yet
    go_on.set()
    qtbot.waitUntil(lambda: page.count_label.text() == "1,300 registrations · 433 checked in", timeout=WAIT_MS)
    # Another answer for an older request than the latest is dropped
    page._on_figures_read(page._figures_asked - 1, 7)  # noqa: SLF001
    assert page.count_label.text().endswith("· 433 checked in")
    go_on.clear()
    started.clear()
    page.reload()
    assert started.wait(WAIT_MS / 1000)
    assert page.count_label.text().endswith("· 433 checked in")  # the last count, until the new one
    go_on.set()


def test_a_long_list_reads_its_ordered_ids_ahead(big_db: tuple[Database, int], styled_app: QApplication,
                                                 qtbot: QtBot, settings: QSettings,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A list longer than the pages read by LIMIT/OFFSET, left alone, has its ordered ids
    read in a thread: a jump to its end reads 200 rows by id, not the 1,300 ids first. An
    answer for an older query than the model's last is dropped."""
    database, event_id = big_db
    monkeypatch.setattr(page_module, "IDS_AHEAD_MS", 10)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show_section(REGISTRATIONS)
    model = window.registrations_page.model
    with database.read() as s:
        expected = registration_ids(s, event_id)
    qtbot.waitUntil(lambda: model._ids is not None, timeout=WAIT_MS)  # noqa: SLF001
    assert model._ids == expected  # noqa: SLF001
    read: list[object] = []
    monkeypatch.setattr(page_module, "registration_ids", lambda *a, **k: read.append(a) or [])
    assert model.row_at(1299).id == expected[1299] and not read  # by id, from the ids read ahead
    # Sorted by code: the ids of the name order are void, and an old answer changes nothing
    monkeypatch.undo()
    model.sort(RegistrationsModel.CODE, Qt.SortOrder.DescendingOrder)
    assert model._ids is None  # noqa: SLF001
    model._on_ids_read(model._reading - 1, expected)  # noqa: SLF001
    assert model._ids is None  # noqa: SLF001
    with database.read() as s:
        by_code = registration_ids(s, event_id, sort=RegistrationSort(SortColumn.CODE, True))
    qtbot.waitUntil(lambda: model._ids == by_code, timeout=WAIT_MS)  # noqa: SLF001


def test_a_short_list_reads_no_ids_ahead(page: RegistrationsPage, qtbot: QtBot) -> None:
    assert page.model.total == 120
    assert not page.model._ids_timer.isActive()  # noqa: SLF001


def test_a_deep_row_waits_for_the_ids_being_read_ahead(big_db: tuple[Database, int], styled_app: QApplication,
                                                       qtbot: QtBot, settings: QSettings,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A row deep in the list asked while the thread reads the ids waits for it: one query."""
    database, event_id = big_db
    monkeypatch.setattr(page_module, "IDS_AHEAD_MS", 10)
    calls: list[str] = []
    real = page_module.registration_ids

    def slow(*args: Any, **kwargs: Any) -> list[int]:
        calls.append(threading.current_thread().name)
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(page_module, "registration_ids", slow)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show_section(REGISTRATIONS)
    model = window.registrations_page.model
    qtbot.waitUntil(lambda: bool(calls), timeout=WAIT_MS)
    with database.read() as s:
        expected = real(s, event_id)
    assert model.row_at(1299).id == expected[1299]
    assert calls == ["registration-ids"]


def test_a_large_event_searches_in_a_thread(big_db: tuple[Database, int], styled_app: QApplication, qtbot: QtBot,
                                            settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    """From ``LARGE_EVENT`` registrations a search runs in a thread: the list on
    show stays until the answer; a newer search or a reload makes an older answer void."""
    database, event_id = big_db
    monkeypatch.setattr(page_module, "LARGE_EVENT", 1000)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    page = window.registrations_page
    model = page.model
    # The section shows at once, empty and saying nothing, until the list is read
    with qtbot.waitSignal(model.searched, timeout=WAIT_MS):
        window.show_section(REGISTRATIONS)
        assert window.stack.currentWidget() is page
        assert model.total == 0 and model.is_reading and page.empty_label.isHidden()
        assert page.count_label.text().startswith("1,300 registrations")
    assert model.total == 1300 and not model.is_reading and page.empty_label.isHidden()
    assert shown_ids(page)[:5] == registration_ids_of(database, event_id)[:5]
    with database.read() as s:
        kas = registration_ids(s, event_id, RegistrationFilter(search="қасым"))
        ahm = registration_ids(s, event_id, RegistrationFilter(search="ахмет"))
    assert 0 < len(kas) < 1300 and 0 < len(ahm) < 1300
    page.search_field.setText("қасым")
    with qtbot.waitSignal(model.searched, timeout=WAIT_MS):
        page._apply_filter()  # noqa: SLF001 - as the pause in typing does
        assert model.total == 1300  # the answer is not in yet: the list as it was
    assert shown_ids(page) == kas and page.count_label.text().startswith(f"{len(kas)} of 1,300 registrations")
    # Two searches in a row: only the last one's answer is shown
    page.search_field.setText("ахмет")
    page._apply_filter()  # noqa: SLF001
    page.search_field.setText("қасым")
    with qtbot.waitSignal(model.searched, timeout=WAIT_MS):
        page._apply_filter()  # noqa: SLF001
    qtbot.wait(200)
    assert shown_ids(page) == kas
    # A reload before the answer runs the search asked for at once
    page.search_field.setText("ахмет")
    page._apply_filter()  # noqa: SLF001
    model.reload()
    assert shown_ids(page) == ahm
    qtbot.wait(300)
    assert shown_ids(page) == ahm
    # Esc: everyone again
    with qtbot.waitSignal(model.searched, timeout=WAIT_MS):
        qtbot.keyClick(page.search_field, Qt.Key.Key_Escape)
    assert model.total == 1300 and page.count_label.text().startswith("1,300 registrations")


def registration_ids_of(database: Database, event_id: int) -> list[int]:
    with database.read() as s:
        return registration_ids(s, event_id)
