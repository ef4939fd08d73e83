"""A list of attendees given on the command line: the window starts its import wizard on it; the
About box names the build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from desktop.ui.registrations.import_wizard import FILE_PAGE, MAPPING_PAGE, ImportWizard
from desktop.ui.shell.main_window import MainWindow
from tests.import_files import write_csv, write_xlsx

ROWS = [["ФИО", "Организация", "E-mail"], ["Омаров Ерлан", "Минюст", "omarov@example.kz"]]


@pytest.fixture
def wizards() -> Iterator[list[ImportWizard]]:
    made: list[ImportWizard] = []
    yield made
    for wizard in made:  # deleted now: a QWizard left to a deferred delete crashes a later style sheet
        wizard.close()
        wizard.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("write", [write_xlsx, write_csv], ids=["xlsx", "csv"])
def test_the_wizard_opens_on_the_file_and_reads_it(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                  wizards: list[ImportWizard], write: object) -> None:
    path = tmp_path / ("list.xlsx" if write is write_xlsx else "list.csv")
    write(path, ROWS)  # type: ignore[operator]
    window.import_when_ready(path)  # the database is open: at once
    wizard = window.findChild(QWizard)
    assert isinstance(wizard, ImportWizard)
    wizards.append(wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == MAPPING_PAGE, timeout=5000)
    assert wizard.isVisible() and wizard.file_page.path_edit.text() == str(path)
    assert [c.currentData() for c in wizard.mapping_page.combos] == ["full_name", "organisation", "email"]


def test_a_file_that_cannot_be_read_stays_on_the_first_page(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                           wizards: list[ImportWizard],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: said.append(text) or QMessageBox.Ok)
    path = tmp_path / "list.xlsx"
    path.write_text("not a workbook")
    wizard = window.start_import(path)
    assert isinstance(wizard, ImportWizard)
    wizards.append(wizard)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert wizard.currentId() == FILE_PAGE and "list.xlsx" in said[0]


def test_the_import_waits_for_the_database(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                           wizards: list[ImportWizard], monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Path | None] = []
    monkeypatch.setattr(window, "start_import", lambda path=None: started.append(path))
    database = window._database
    window._database = None  # as while the database given at start-up is still opening
    path = tmp_path / "list.csv"
    window.import_when_ready(path)
    assert started == []
    window._database = database
    window.database_ready.emit()
    window.database_ready.emit()  # once only
    assert started == [path]


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # the box is shown
def test_about_names_the_build(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import desktop

    info = tmp_path / "build_info.json"
    info.write_text(json.dumps({"version": "0.1.0", "commit": "0123abcdef", "date": "2026-12-07T04:30:00Z"}))
    monkeypatch.setattr(desktop, "_BUILD_INFO", str(info))  # as in a bundle
    box = window.show_about()
    assert "Build of 7 December 2026, commit 0123abcdef" in box.text()
    box.close()
    monkeypatch.setattr(desktop, "_BUILD_INFO", str(tmp_path / "none.json"))  # a checkout
    monkeypatch.setattr(desktop, "_git_head", lambda root: (None, None))  # without git
    box = window.show_about()
    assert "Not a build: a developer&#x27;s checkout</small>" in box.text()
    box.close()
