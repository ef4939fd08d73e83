"""The status bar (desktop/ui/shell/status.py and the main window): its messages have room,
and after an export the user sees where the file went and can open its folder.

The attendee and desk-file exports are checked where they are driven
(tests/ui/registrations/test_export_dialog.py, tests/ui/desk/test_file_dialogs.py); here the
calendar, a PDF saved from the preview and a PDF printed to a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SIZES = (QSize(1280, 800), QSize(1600, 1000))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the application asked the system to show (nothing is shown)."""
    shown: list[Path] = []

    def fake_open_url(url: QUrl) -> bool:
        shown.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake_open_url)
    return shown


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(path), "")))


def message_room(window: MainWindow) -> int:
    """How wide the bar's temporary message may be drawn: up to the first permanent widget."""
    bar = window.statusBar()
    permanent = [w for w in (window.file_notice, window.database_label) if w.isVisible()]
    return min(w.geometry().left() for w in permanent) - bar.contentsRect().left()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_messages_have_room(window: MainWindow, qtbot: QtBot, size: QSize) -> None:
    """An import or merge summary is shown whole: the database label no longer stretches
    over the place of the bar's messages."""
    window.resize(size)
    message = "Merged lobby.deskdb: 4 new check-ins, 1 walk-in added, 0 conflicts."
    window.statusBar().showMessage(message)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == message)
    assert message_room(window) >= window.statusBar().fontMetrics().horizontalAdvance(message) + 8
    assert window.database_label.isVisible() and "Database:" in window.database_label.text()


def test_notice_stays_when_status_tips_pass(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                            opened: list[Path]) -> None:
    window.resize(SIZES[0])
    path = tmp_path / "out" / "list.xlsx"
    window.show_file_written(f"Exported 3 attendees to {path}", path)
    window.statusBar().showMessage("Open a Conference Desk database file")  # a menu's status tip
    window.statusBar().clearMessage()
    notice = window.file_notice
    assert notice.isVisible() and notice.message == f"Exported 3 attendees to {path}"
    qtbot.waitUntil(lambda: message_room(window) > 300)  # the notice leaves the messages their place
    notice.open_button.click()
    assert opened == [tmp_path / "out"]
    notice.dismiss_button.click()
    assert not notice.isVisible()


def test_calendar_export_tells_where_it_went(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             opened: list[Path]) -> None:
    target = tmp_path / "calendars" / "round table.ics"
    target.parent.mkdir()
    save_as(monkeypatch, target)
    window.programme_actions.calendar_action.trigger()
    assert target.is_file()
    notice = window.file_notice
    assert notice.isVisible() and notice.path == target and str(target) in notice.message
    notice.open_button.click()
    assert opened == [target.parent]


def test_a_pdf_saved_from_the_preview_is_told(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.printing.pdf_preview import PdfPreviewDialog
    from tests.ui.printing.test_pdf_preview import make_pdf

    pdf = make_pdf(tmp_path / "badges.pdf", 2)
    out = tmp_path / "saved"
    out.mkdir()
    save_as(monkeypatch, out / "badges for the desk.pdf")
    preview = PdfPreviewDialog(pdf, title="Badges", suggested_name="badges", parent=window,
                               settings=window.settings)
    qtbot.addWidget(preview)
    preview.save_button.click()
    assert (out / "badges for the desk.pdf").is_file()
    assert window.file_notice.path == out / "badges for the desk.pdf"
    assert window.file_notice.message == f"Saved the PDF to {out / 'badges for the desk.pdf'}"
    preview.close()


def test_a_pdf_printed_to_a_file_is_told(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from desktop.ui.printing.pdf_preview import PdfPreviewDialog
    from tests.ui.printing.test_pdf_preview import make_pdf

    target = tmp_path / "printed.pdf"

    def print_to_file(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    preview = PdfPreviewDialog(make_pdf(tmp_path / "sheet.pdf", 2), title="Sign-in sheet", suggested_name="sheet",
                               parent=window, settings=window.settings)
    qtbot.addWidget(preview)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert target.is_file()
    assert window.file_notice.path == target and window.file_notice.message == f"Printed 2 pages to {target}"
    preview.close()


def test_another_database_drops_the_notice(window: MainWindow, tmp_path: Path) -> None:
    window.show_file_written("Exported 3 attendees to x.xlsx", tmp_path / "x.xlsx")
    assert window.open_database_at(str(tmp_path / "other.sqlite"))
    assert not window.file_notice.isVisible()
