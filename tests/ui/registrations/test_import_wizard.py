"""The import wizard, driven like a user: choose a file, correct a column, read the preview,
import, read the report; and the cases where it must say no."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import Person, Registration
from desktop.core.events import list_events
from desktop.core.importing import Outcome
from desktop.ui.registrations import import_wizard
from desktop.ui.registrations.import_wizard import (
    FILE_PAGE,
    MAPPING_PAGE,
    OUTCOME_LOOK,
    PREVIEW_PAGE,
    REPORT_PAGE,
    ImportWizard,
    VerdictModel,
)
from desktop.ui.shell.main_window import MainWindow
from tests.import_files import write_xlsx

ROWS = [
    ["Список участников"],
    ["ФИО", "Место работы", "Контакт", "Пол"],
    ["Сәрсенбаева Айгүл Нұрланқызы", "Жоғарғы Сот", "a.sarsenbayeva@example.kz", "ж"],
    ["", "Минюст", "nobody@example.kz", ""],
    ["Иванов Иван Иванович", "Минюст", "ivanov@", "м"],
    ["Омаров Ерлан", "Минюст", "omarov@example.kz", "м"],
    ["Омаров Ерлан", "Минюст", "OMAROV@example.kz", "м"],
]


def registrations(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Registration)) or 0


@pytest.fixture
def event_id(demo_db: Database) -> int:
    with demo_db.read() as session:
        return list_events(session)[0].id


@pytest.fixture
def wizard(qtbot: QtBot, styled_app: QApplication, demo_db: Database, event_id: int,
           tmp_path: Path) -> Iterator[ImportWizard]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = ImportWizard(demo_db, event_id, settings=settings)
    w.show()
    qtbot.waitExposed(w)
    yield w
    # Deleted now, not left to qtbot's deleteLater: a QWizard whose deferred deletion is
    # still pending when the next test sets the style sheet crashes PySide 6.
    w.wait_for_import()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def warning(_parent: object, title: str, message: str, *args: object) -> QMessageBox.StandardButton:
        shown.append((title, message))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def click(qtbot: QtBot, w: ImportWizard, button: QWizard.WizardButton) -> None:
    qtbot.mouseClick(w.button(button), Qt.MouseButton.LeftButton)


def test_a_small_list_goes_through_the_wizard(qtbot: QtBot, wizard: ImportWizard, demo_db: Database,
                                              tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "attendees.xlsx", ROWS, merges=["A1:D1"])
    before = registrations(demo_db)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.focusWidget() is wizard.file_page.path_edit, "typing starts in the file field"
    qtbot.keyClicks(wizard.file_page.path_edit, str(path))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == MAPPING_PAGE

    page = wizard.mapping_page
    assert "header on row 2" in page.source_label.text()
    assert [c.currentData() for c in page.combos] == ["full_name", "organisation", None, "gender"]
    assert page.table.item(2, 3).text().startswith("a.sarsenbayeva@example.kz")
    page.combos[2].setCurrentIndex(page.combos[2].findData("email"))  # the user names "Контакт"
    assert wizard.mapping is not None and wizard.mapping.field_columns["email"].letter == "C"
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PREVIEW_PAGE

    preview = wizard.preview_page
    model = preview.model
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["3", "4", "5", "6", "7"]
    assert [model.data(model.index(r, 1)) for r in range(model.rowCount())] == [
        "New person", "Skipped", "Skipped", "New person", "Duplicate"]
    skipped = model.index(2, 5)
    assert model.data(skipped) == "The e-mail “ivanov@” is not a valid address."
    assert model.data(skipped, Qt.ItemDataRole.BackgroundRole).color().name() == OUTCOME_LOOK[Outcome.SKIPPED][1]
    assert "2 people will be imported" in preview.counts_label.text()
    assert "1 duplicate" in preview.counts_label.text() and "2 skipped" in preview.counts_label.text()
    preview.filter_combo.setCurrentIndex(3)  # Skipped
    assert model.rowCount() == 2
    assert registrations(demo_db) == before, "the preview writes nothing"

    with qtbot.waitSignal(wizard.imported, timeout=10_000) as imported:
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == REPORT_PAGE, timeout=10_000)
    report = imported.args[0]
    assert (report.imported, report.duplicates, report.skipped) == (2, 1, 2)
    assert registrations(demo_db) == before + 2
    assert wizard.report_page.summary_label.text() == "Imported 2, duplicates 1, skipped 2."
    problems = wizard.report_page.problems.toPlainText()
    assert "row 7: duplicate: The same e-mail as row 6 (OMAROV@example.kz)." in problems
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QWizard.DialogCode.Accepted


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xlsx", "ФИО;E-mail\n".encode(), "list.xlsx is not a workbook: it holds plain text."),
        ("list.xlsx", b"PK\x03\x04" + b"\x00" * 40, "list.xlsx is damaged or incomplete"),
        ("missing.csv", None, "missing.csv does not exist"),
    ],
)
def test_a_file_that_cannot_be_used_is_explained_and_the_wizard_stays(
        qtbot: QtBot, wizard: ImportWizard, warnings_shown: list[tuple[str, str]], tmp_path: Path,
        name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    wizard.file_page.path_edit.setText(str(path))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == FILE_PAGE
    assert len(warnings_shown) == 1
    title, text = warnings_shown[0]
    assert title == "This file cannot be imported" and text.startswith(message)


def test_mapping_page_by_keyboard(qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.mapping_page
    first, second = page.combos[0], page.combos[1]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert second.hasFocus(), "Tab goes from one column's combo box to the next"
    # Choosing a field another column has takes it from that column.
    page.set_field("B", "full_name")
    assert [c.currentData() for c in page.combos][:2] == [None, "full_name"]
    assert wizard.mapping is not None and wizard.mapping.problem is None
    page.set_field("B", None)
    assert "no column holds names" in page.problem_label.text().lower()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.set_field("A", "full_name")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert isinstance(page.table.cellWidget(0, 2), QComboBox)


def test_cancel_during_the_import_imports_nothing(qtbot: QtBot, wizard: ImportWizard, demo_db: Database,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    go = threading.Event()
    real = import_wizard.import_attendees

    def held(*args: object, **kwargs: object) -> object:
        go.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(import_wizard, "import_attendees", held)
    before = registrations(demo_db)
    wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.is_running()
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert wizard.isVisible() and "Cancelling" in wizard.import_page.status_label.text()
    go.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert wizard.report is None and not wizard.is_running()
    assert registrations(demo_db) == before
    with demo_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person).where(Person.email == "omarov@example.kz")) == 0


def test_verdict_model_is_a_well_behaved_model(qtmodeltester, wizard: ImportWizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
    wizard.next()
    wizard.next()
    model = VerdictModel()
    model.set_plan(wizard.plan)
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_file_menu_opens_the_wizard_and_the_window_shows_the_new_people(
        qtbot: QtBot, window: MainWindow, demo_db: Database, tmp_path: Path) -> None:
    before = window.event_bar.current_event()
    assert before is not None
    action = window.import_attendees_action
    assert action.shortcut().toString() == "Ctrl+I"
    assert action in window.file_menu.actions()
    action.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    assert wizard.windowModality() != Qt.WindowModality.NonModal
    try:
        wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
        wizard.next()
        wizard.mapping_page.set_field("C", "email")
        wizard.next()
        wizard.next()  # import
        qtbot.waitUntil(lambda: wizard.currentId() == REPORT_PAGE, timeout=10_000)
        after = window.event_bar.current_event()
        assert after is not None and after.registrations == before.registrations + 2
        assert window.statusBar().currentMessage() == "Imported 2, duplicates 1, skipped 2."
        wizard.accept()
    finally:
        wizard.wait_for_import()
        wizard.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChild(ImportWizard) is None, "the wizard is deleted when closed"


def test_the_preview_shows_each_skipped_row_its_own_cells(wizard: ImportWizard, tmp_path: Path) -> None:
    """Rows that were not read through show their raw cells: each row its own, not the last one's."""
    wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
    wizard.next()
    combo = wizard.mapping_page.combos[2]
    combo.setCurrentIndex(combo.findData("email"))
    wizard.next()
    model = wizard.preview_page.model
    shown = {model.data(model.index(r, 0)): tuple(model.data(model.index(r, c)) for c in (1, 2, 3, 4))
             for r in range(model.rowCount())}
    assert shown["4"] == ("Skipped", "", "Минюст", "nobody@example.kz")
    assert shown["5"] == ("Skipped", "Иванов Иван Иванович", "Минюст", "ivanov@")


def test_the_preview_details_are_in_view_and_whole_for_the_current_row(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    wizard.resize(wizard.minimumSize())
    wizard.file_page.path_edit.setText(str(write_xlsx(tmp_path / "l.xlsx", ROWS)))
    wizard.next()
    combo = wizard.mapping_page.combos[2]
    combo.setCurrentIndex(combo.findData("email"))
    wizard.next()
    QApplication.processEvents()
    preview = wizard.preview_page
    view, model = preview.view, preview.model
    header = view.horizontalHeader()
    details = len(VerdictModel.HEADERS) - 1
    assert header.sectionViewportPosition(details) + header.sectionSize(details) <= view.viewport().width() + 1
    assert header.sectionSize(details) >= 0.3 * view.viewport().width()
    for row in range(model.rowCount()):
        index = model.index(row, details)
        assert model.data(index, Qt.ItemDataRole.ToolTipRole) == model.data(index)
    # The current row's whole sentence, under the table.
    assert preview.row_label.isVisible() and preview.row_label.text().startswith("Row 3 · New person")
    ivanov = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "5")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(model.index(ivanov, details)).center())
    assert preview.row_label.text() == "Row 5 · Skipped: The e-mail “ivanov@” is not a valid address."
    assert wizard.grab().save(str(tmp_path / "preview.png"))
