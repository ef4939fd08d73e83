"""The desk's badge printer (issue 12, part 5): a check-in or walk-in prints one badge, of the
badge's page size, on the desk's printer with no dialog and in the background; a badge
printed before asks "already printed at … — print again?" on the page (Ctrl+R yes, Enter
or Esc no); a printer that fails is a status line; the record is in the database every desk
reads. The "printer" is a QPrinter writing a PDF file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import BadgePrint
from desktop.ui.desk import page as desk_page_module
from desktop.ui.desk.badge_printer import DeskPrinting, prepare
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from desktop.ui.shell.main_window import DESK, MainWindow
from tests.ui.desk.test_page import _free, _scan

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

MM = 72 / 25.4


class PdfPrinters:
    """A printer factory for the page: each badge is a PDF file of its own in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[Path] = []
        self.gate: threading.Event | None = None  # set: the printer waits for it (a slow printer)

    def __call__(self, printing: DeskPrinting) -> Any:
        if self.gate is not None:
            assert self.gate.wait(10)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = self.folder / f"badge-{len(self.made) + 1}.pdf"
        printer.setOutputFileName(str(path))
        prepare(printer, printing.layout)
        self.made.append(path)
        return printer


@pytest.fixture
def printers(tmp_path: Path) -> PdfPrinters:
    folder = tmp_path / "printed"
    folder.mkdir()
    return PdfPrinters(folder)


@pytest.fixture
def page(window: MainWindow, settings: QSettings, qtbot: QtBot, printers: PdfPrinters) -> DeskPage:
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    window.show_section(DESK)
    desk = window.desk_page
    desk.printer_factory = printers
    desk.set_printing(DeskPrinting(True, "Badge printer", "a6"))
    window.activateWindow()
    qtbot.waitUntil(lambda: desk.search.hasFocus())
    return desk


def records(database: Database, rid: int) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(BadgePrint.desk).where(BadgePrint.registration_id == rid)
                              .order_by(BadgePrint.id)))


def page_sizes_mm(path: Path) -> list[tuple[int, int]]:
    """The pages' sizes to the millimetre (Qt writes a page in whole points: 105 mm is 297 pt,
    104.8 mm)."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [(round(w / MM), round(h / MM)) for w, h in
                (document.get_page_size(i) for i in range(len(document)))]
    finally:
        document.close()


def test_check_in_prints_one_badge_of_the_badge_size_and_records_it(
        page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters) -> None:
    rid, code = _free(demo_db)
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        _scan(qtbot, page, code)
        assert page.state_panel.state == "checked_in"  # the verdict first
    assert len(printers.made) == 1 and page_sizes_mm(printers.made[0]) == [(105, 148)]
    assert records(demo_db, rid) == ["Entrance A"]  # on the database every desk reads
    assert "printed" in page.print_status.text() and not page.print_question.isVisible()

    page.set_printing(DeskPrinting(True, "Badge printer", "id1"))  # a card printer's page
    rid2, code2 = _free(demo_db)
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        _scan(qtbot, page, code2)
    assert page_sizes_mm(printers.made[1]) == [(86, 54)]
    assert records(demo_db, rid2) == ["Entrance A"]


def test_a_badge_printed_before_asks_instead_of_a_second_copy(
        page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters) -> None:
    rid, code = _free(demo_db)
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        _scan(qtbot, page, code)
    # Undone and checked in again: a second check-in, and the badge is printed already.
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(page.print_signals.already, timeout=20000):
        _scan(qtbot, page, code)
    assert page.state_panel.state == "checked_in"
    assert page.print_question.isVisible() and len(printers.made) == 1
    text = page.print_question_label.text()
    assert "already printed at" in text and "Entrance A" in text and "Print again?" in text
    # Enter on the empty field says no: nothing printed, nothing recorded.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert not page.print_question.isVisible() and len(printers.made) == 1
    assert records(demo_db, rid) == ["Entrance A"]
    assert page.search.hasFocus()

    # Reprint (Ctrl+R) asks too; Ctrl+R again prints the second copy, recorded.
    with qtbot.waitSignal(page.print_signals.already, timeout=20000):
        qtbot.keyClick(page.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert page.print_question.isVisible()
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        qtbot.keyClick(page.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert len(printers.made) == 2 and records(demo_db, rid) == ["Entrance A", "Entrance A"]
    assert not page.print_question.isVisible()

    # The question goes with the next person: Esc, or typing.
    with qtbot.waitSignal(page.print_signals.already, timeout=20000):
        qtbot.keyClick(page.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.search, "x")
    assert not page.print_question.isVisible() and len(printers.made) == 2


def test_a_badge_printed_at_another_desk_asks_too(
        page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters) -> None:
    from desktop.core.badge_prints import record_badge_print

    rid, code = _free(demo_db)
    record_badge_print(demo_db, rid, "Office")
    with qtbot.waitSignal(page.print_signals.already, timeout=20000):
        _scan(qtbot, page, code)
    assert "Office" in page.print_question_label.text() and printers.made == []


def test_walk_in_prints_its_badge(page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters) -> None:
    page.walk_in_button.click()
    dialog = page.walk_in_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.given.setText("Dana")
    dialog.family.setText("Walkerova")
    assert dialog.print_badge.isChecked()
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        dialog.ok_button.click()
    assert page.state_panel.state == "checked_in"
    assert len(printers.made) == 1 and page_sizes_mm(printers.made[0]) == [(105, 148)]
    assert getattr(page, "preview_dialog", None) is None  # no preview, no dialog
    with demo_db.read() as s:
        desks = s.scalars(select(BadgePrint.desk)).all()
    assert list(desks) == ["Entrance A"]


def test_the_verdict_and_the_next_scan_never_wait_for_the_printer(
        page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters) -> None:
    printers.gate = threading.Event()  # the printer hangs until released
    rid1, code1 = _free(demo_db)
    _scan(qtbot, page, code1)
    assert page.state_panel.state == "checked_in" and page.search.text() == ""
    rid2, code2 = _free(demo_db)
    _scan(qtbot, page, code2)  # the next person, while the first badge is still waiting
    assert page.state_panel.state == "checked_in" and page.state_panel.name.text()
    assert records(demo_db, rid1) == [] and printers.made == []
    with qtbot.waitSignals([page.print_signals.printed, page.print_signals.printed], timeout=20000):
        printers.gate.set()
    assert len(printers.made) == 2
    assert records(demo_db, rid1) == ["Entrance A"] and records(demo_db, rid2) == ["Entrance A"]


@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")
def test_a_printer_error_is_a_status_line_and_records_nothing(
        page: DeskPage, demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    def broken(printing: DeskPrinting) -> Any:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "no such folder" / "badge.pdf"))  # cannot be opened
        return printer

    page.printer_factory = broken
    rid, code = _free(demo_db)
    with qtbot.waitSignal(page.print_signals.failed, timeout=20000):
        _scan(qtbot, page, code)
    assert page.state_panel.state == "checked_in"
    assert "was not printed" in page.print_status.text() and code in page.print_status.text()
    assert records(demo_db, rid) == []


def test_a_badge_printed_but_not_recorded_says_so_not_that_it_was_not_printed(
        page: DeskPage, demo_db: Database, qtbot: QtBot, printers: PdfPrinters,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core import badge_prints

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("The database refused the record.")

    monkeypatch.setattr(badge_prints, "record_badge_print", refused)
    rid, code = _free(demo_db)
    with qtbot.waitSignal(page.print_signals.unrecorded, timeout=20000):
        _scan(qtbot, page, code)
    status = page.print_status.text()
    assert "was printed, but the print could not be recorded" in status and code in status
    assert "not printed" not in status
    assert records(demo_db, rid) == []


def test_the_printer_menu_lists_printers_and_says_when_there_are_none(
        page: DeskPage, monkeypatch: pytest.MonkeyPatch, settings: QSettings) -> None:
    monkeypatch.setattr(desk_page_module, "available_printers", lambda: [])
    page.printer_menu.aboutToShow.emit()
    texts = [a.text() for a in page.printer_menu.actions()]
    assert "No printer is installed on this computer" in texts
    gone = next(a for a in page.printer_menu.actions() if a.text().startswith("Badge printer"))
    assert "not available now" in gone.text() and gone.isChecked()

    monkeypatch.setattr(desk_page_module, "available_printers", lambda: ["Office laser", "Zebra ZD421"])
    page.printer_menu.aboutToShow.emit()
    zebra = next(a for a in page.printer_menu.actions() if a.text() == "Zebra ZD421")
    zebra.trigger()
    assert page.printing() == DeskPrinting(True, "Zebra ZD421", "a6")
    assert page.printer_button.text() == "Badges → Zebra ZD421"
    page.printer_menu.aboutToShow.emit()
    card = next(a for a in page.printer_menu.actions() if a.text().startswith("ID-1 card"))
    card.trigger()
    page.printer_menu.aboutToShow.emit()
    off = next(a for a in page.printer_menu.actions() if a.text().startswith("Print the badge"))
    off.setChecked(False)
    assert page.printing() == DeskPrinting(False, "Zebra ZD421", "id1")
    assert page.printer_button.text() == "Badge printer: off"
    # Kept per desk: another desk name on this computer has its own.
    settings.setValue(DESK_NAME_KEY, "Entrance B")
    assert page.printing() == DeskPrinting()
