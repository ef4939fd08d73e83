"""Fixtures for the window tests: a fresh demo database, private settings, the main window.

The demo is built once per test session into a template file (``db_templates``); each test
gets its own copy, so tests can change their database freely. Settings live in an ini file in the
test's temporary folder: no test reads or writes the user's own settings.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.engine import Database, open_database
from desktop.ui.shell import style
from desktop.ui.shell.main_window import MainWindow
from tests.databases import Templates


def binding_keeps_none_alive() -> bool:
    """False when the Qt binding drops a reference to ``None`` on calls that return nothing.

    PySide6 6.12.0 does so on Python 3.11 (where ``None`` is not immortal): the interpreter
    then aborts with "deallocating None" part-way through the tests, or in the user's hands.
    """
    size = QSize()
    before = sys.getrefcount(None)
    for _ in range(50):
        size.setWidth(1)
    return sys.getrefcount(None) >= before


@pytest.fixture(scope="session", autouse=True)
def sound_binding() -> None:
    """Fail every window test with the reason, instead of an abort in the middle of them."""
    if not binding_keeps_none_alive():
        pytest.fail(
            f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} loses a reference to "
            "None on every call that returns nothing, and the interpreter aborts after a while: "
            "install a PySide6 without this bug (6.11.3 is fine) or use Python 3.12 or newer.",
            pytrace=False,
        )


@pytest.fixture
def demo_path(db_templates: Templates, tmp_path: Path) -> Path:
    """This test's own copy of the demo database (of the session's template, ``tests/conftest.py``)."""
    return db_templates.copy_sqlite("demo", tmp_path / "demo.sqlite")


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_database(demo_path)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in an ini file of the test's own."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def styled_app(qapp: QApplication) -> QApplication:
    """The test application with the window's palette and style sheet, as ``run`` sets them."""
    style.apply(qapp)
    return qapp


@pytest.fixture
def window(qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings) -> MainWindow:
    """The main window on a fresh demo database, shown."""
    win = MainWindow(demo_db, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
