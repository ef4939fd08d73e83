"""The Export attendees dialog, driven as a user would: tick, untick, choose, save, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QListWidget, QMessageBox
from pytestqt.qtbot import QtBot

from db.engine import Database
from db.models import Sector, Status
from desktop.core.attendee_list import DEFAULT_COLUMNS, AttendeeFilter, count_attendees
from desktop.core.events import list_events
from desktop.ui.registrations import export_dialog as export_dialog_module
from desktop.ui.registrations.export_dialog import ExportDialog


def event_id_of(database: Database) -> int:
    with database.read() as session:
        (event,) = list_events(session)
    return event.id


@pytest.fixture
def dialog(qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings) -> ExportDialog:
    dlg = ExportDialog(demo_db, event_id_of(demo_db), "en", settings=settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def item(widget: QListWidget, data: object):  # type: ignore[no-untyped-def]
    for i in range(widget.count()):
        if widget.item(i).data(Qt.ItemDataRole.UserRole) == data:
            return widget.item(i)
    raise LookupError(data)


def click_check(qtbot: QtBot, widget: QListWidget, data: object) -> None:
    """Click the check box of the row holding ``data``, as a user would."""
    it = item(widget, data)
    widget.scrollToItem(it)
    rect = widget.visualItemRect(it)
    # The check box sits at the left of the row.
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))


def space_check(qtbot: QtBot, widget: QListWidget, data: object) -> None:
    """Toggle the row holding ``data`` from the keyboard (quick clicks on neighbouring rows
    would be taken for double clicks)."""
    widget.setFocus()
    widget.setCurrentItem(item(widget, data))
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def test_defaults_are_the_five_columns_without_contacts(dialog: ExportDialog) -> None:
    assert dialog.columns() == DEFAULT_COLUMNS
    assert item(dialog.column_list, "email").checkState() == Qt.CheckState.Unchecked
    assert item(dialog.column_list, "phone").checkState() == Qt.CheckState.Unchecked
    assert dialog.attendee_filter() == AttendeeFilter()
    assert dialog.language() == "en" and dialog.file_format() == ("xlsx", None)
    assert dialog.count_label.text() == "120 attendees · 5 columns"
    assert not dialog.contacts_warning.isVisible()
    assert dialog.export_button.isEnabled()


def test_ticking_contacts_warns(qtbot: QtBot, dialog: ExportDialog) -> None:
    click_check(qtbot, dialog.column_list, "email")
    assert dialog.columns() == (*DEFAULT_COLUMNS, "email")
    qtbot.waitUntil(lambda: dialog.contacts_warning.isVisible())
    qtbot.waitUntil(lambda: dialog.count_label.text() == "120 attendees · 6 columns")


def test_filters_update_the_count(qtbot: QtBot, dialog: ExportDialog, demo_db: Database) -> None:
    for status in Status:
        if status != Status.CONFIRMED:
            space_check(qtbot, dialog.status_list, status)
    click_check(qtbot, dialog.sector_list, Sector.JUDICIARY.value)  # untick one sector
    dialog.checked_in_combo.setCurrentIndex(dialog.checked_in_combo.findData(False))
    flt = dialog.attendee_filter()
    assert flt.statuses == frozenset({Status.CONFIRMED})
    assert flt.sectors == frozenset(set(Sector) - {Sector.JUDICIARY} | {None})
    assert flt.checked_in is False
    with demo_db.read() as session:
        expected = count_attendees(session, dialog.event_id, flt)
    assert 0 < expected < 120
    qtbot.waitUntil(lambda: dialog.count_label.text() == f"{expected} attendees · 5 columns")


def test_nothing_ticked_disables_export(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.set_columns([])
    assert not dialog.export_button.isEnabled()
    assert dialog.count_label.text() == "Tick at least one column."
    dialog.set_columns(["name"])
    assert dialog.export_button.isEnabled()
    for status in Status:
        space_check(qtbot, dialog.status_list, status)
    qtbot.waitUntil(lambda: not dialog.export_button.isEnabled())
    assert dialog.count_label.text() == "Tick at least one status."


def test_export_through_save_as(qtbot: QtBot, dialog: ExportDialog, out: Path,
                                monkeypatch: pytest.MonkeyPatch, settings: QSettings) -> None:
    target = out / "Round table"  # no extension: the chosen format's is added
    asked: list[str] = []

    def fake_save(parent, caption, directory, filter_):  # type: ignore[no-untyped-def]
        asked.append(directory)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    dialog.set_columns(["code", "name", "checked_in"])
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("kk"))
    dialog.checked_in_combo.setCurrentIndex(dialog.checked_in_combo.findData(True))
    qtbot.waitUntil(lambda: dialog.count_label.text().startswith("24 attendees"))
    with qtbot.waitSignal(dialog.exported, timeout=20000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    path = out / "Round table.xlsx"
    assert signal.args == [str(path), 24]
    assert asked and asked[0].endswith(".xlsx") and "қатысушылар" in asked[0]
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Бейдж коды", "Аты-жөні", "Келген уақыты") and len(rows) == 25
    assert sorted(p.name for p in out.iterdir()) == ["Round table.xlsx"]
    assert not dialog.isVisible() and dialog.result() == ExportDialog.DialogCode.Accepted
    assert settings.value(export_dialog_module.FOLDER) == str(out)


def test_csv_with_semicolons(qtbot: QtBot, dialog: ExportDialog, out: Path) -> None:
    dialog.format_combo.setCurrentIndex(1)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    assert dialog.file_format() == ("csv", ";")
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.export_to(out / "list")
    text = (out / "list.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "ФИО;Организация;Должность;Сектор;Статус"


def test_cancel_leaves_no_file(qtbot: QtBot, dialog: ExportDialog, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker waits after its first chunk until the user has pressed Cancel, so the test
    does not race the thread."""
    gate = threading.Event()
    real = export_dialog_module.export_attendees

    def gated(*args, progress, **kwargs):  # type: ignore[no-untyped-def]
        def wrapped(done: int, total: int) -> bool:
            going_on = progress(done, total)
            if done > 0:
                assert gate.wait(10), "the test never pressed Cancel"
                going_on = progress(done, total)
            return going_on

        return real(*args, progress=wrapped, **kwargs)

    monkeypatch.setattr(export_dialog_module, "export_attendees", gated)
    target = out / "list.xlsx"
    target.write_bytes(b"yesterday's list")
    dialog.chunk_size = 10
    dialog.export_to(target)
    assert dialog.is_exporting() and not dialog.export_button.isEnabled()
    progress = dialog.progress_dialog
    assert progress is not None
    qtbot.waitUntil(lambda: progress.value() >= 10, timeout=10000)
    progress.show()
    qtbot.waitExposed(progress)
    cancel = progress.findChild(type(dialog.export_button))
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.is_exporting(), timeout=10000)
    assert target.read_bytes() == b"yesterday's list"
    assert sorted(p.name for p in out.iterdir()) == ["list.xlsx"]
    assert dialog.last_result is None and dialog.last_error is None
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_a_failed_export_says_why(qtbot: QtBot, dialog: ExportDialog, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    dialog.export_to(tmp_path / "missing folder" / "list.xlsx")
    qtbot.waitUntil(lambda: not dialog.is_exporting(), timeout=10000)
    assert dialog.last_error is not None and "does not exist" in dialog.last_error
    assert shown == [dialog.last_error]
    assert dialog.isVisible()


def test_remembered_columns_never_tick_contacts(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                settings: QSettings) -> None:
    settings.setValue(export_dialog_module.COLUMNS_KEY, "code,email,name,phone")
    dlg = ExportDialog(demo_db, event_id_of(demo_db), "en", settings=settings)
    qtbot.addWidget(dlg)
    assert dlg.columns() == ("code", "name")


def test_screenshot(qtbot: QtBot, dialog: ExportDialog, tmp_path: Path) -> None:
    """Render the dialog offscreen (look at it: ``pytest --basetemp=shots``)."""
    dialog.resize(dialog.minimumSize())
    image = dialog.grab()
    assert image.width() >= 760 and image.height() >= 560
    assert image.save(str(tmp_path / "export_dialog.png"))


def test_file_menu_opens_the_dialog_for_the_current_event(qtbot: QtBot, window, out: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    action = window.export_attendees_action
    assert action in window.file_menu.actions()
    assert action.text() == "&Export attendees…" and action.shortcut().toString() == "Ctrl+E"
    action.trigger()
    dialogs = [w for w in window.findChildren(ExportDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dlg = dialogs[0]
    assert dlg.event_id == window.detail.summary.id
    assert dlg.language() == window.event_bar.language
    with qtbot.waitSignal(dlg.exported, timeout=20000):
        dlg.export_to(out / "from the window.xlsx")
    # The status bar says where the file went, and opens its folder.
    notice = window.file_notice
    qtbot.waitUntil(notice.isVisible)
    assert notice.message == f"Exported 120 attendees to {out / 'from the window.xlsx'}"
    assert (out / "from the window.xlsx").is_file()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(notice.open_button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [out]


def test_quitting_mid_export_stops_it_and_leaves_no_file(qtbot: QtBot, dialog: ExportDialog, out: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    real = export_dialog_module.export_attendees

    def gated(*args, progress, **kwargs):  # type: ignore[no-untyped-def]
        def wrapped(done: int, total: int) -> bool:
            if done > 0:
                assert gate.wait(10)
            return progress(done, total)

        return real(*args, progress=wrapped, **kwargs)

    monkeypatch.setattr(export_dialog_module, "export_attendees", gated)
    dialog.chunk_size = 10
    dialog.export_to(out / "list.xlsx")
    qtbot.waitUntil(lambda: dialog.progress_dialog is not None and dialog.progress_dialog.value() >= 0)
    threading.Timer(0.2, gate.set).start()
    QApplication.instance().aboutToQuit.emit()  # what QApplication.quit() sends first
    assert not dialog.is_exporting()
    assert list(out.iterdir()) == []
