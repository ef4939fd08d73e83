"""The window is shown before its database is open (issue 13, start-up; issue 12: the window
never waits for the database): it says what it is opening, offers only what needs no
database, shows the database once the background thread has opened it, and says why when
it cannot — on the window, and on the command line once the window is closed."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from db.engine import Database, open_database
from desktop.cli.common import EXIT_DATA
from desktop.ui.shell.main_window import AGENDA, MainWindow, OpenFailed
from tests.ui.shell.test_main_window import _env as window_env


def waiting_window(qtbot: QtBot, settings: QSettings, label: str) -> MainWindow:
    window = MainWindow(None, settings, opening=label)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_window_waiting_for_its_database_says_so_and_offers_only_what_needs_none(
        qtbot: QtBot, settings: QSettings, demo_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(demo_path))
    assert window.opening_page is not None
    assert window.stack.currentWidget() is window.opening_page
    assert window.opening_page.heading.text() == "Opening demo.sqlite…"
    assert not window.opening_page.buttons.isVisible()
    assert window.open_action.isEnabled() and window.new_action.isEnabled() and window.quit_action.isEnabled()
    for action in (window.import_attendees_action, window.export_attendees_action, window.refresh_action,
                   window.about_action, window.data_folder_action, window.event_actions.new_action,
                   *window.section_actions.actions()):
        assert not action.isEnabled(), action.text()
    assert not window.navigation.isEnabled() and not window.event_bar.isEnabled()
    assert window.open_failure is None


def test_the_database_opened_in_the_background_is_shown(qtbot: QtBot, settings: QSettings, demo_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(demo_path))
    threads: list[str] = []

    def opener() -> Database:
        threads.append(threading.current_thread().name)
        return open_database(demo_path)

    with qtbot.waitSignal(window.database_ready, timeout=30_000):
        window.open_in_background(opener)
    assert threads == ["open-database"], "opened off the GUI thread"
    assert window.opening_page is None and window.open_failure is None
    assert window.database.label == str(demo_path)
    assert window.detail is not None and window.stack.currentWidget() is window.page(AGENDA)
    # What the wait disabled is as it would have been: what needs a database is offered,
    # what the undo stack or the event decides stays theirs.
    assert window.import_attendees_action.isEnabled() and window.refresh_action.isEnabled()
    assert window.event_bar.isEnabled() and window.navigation.isEnabled()
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    window.close()


def test_a_database_that_cannot_be_opened_is_said_on_the_window(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(tmp_path / "notes.sqlite"))

    def refused() -> Database:
        raise OpenFailed("notes.sqlite is not a Conference Desk database.")

    with qtbot.waitSignal(window.opening_failed, timeout=10_000) as failed:
        window.open_in_background(refused)
    assert failed.args == ["notes.sqlite is not a Conference Desk database."]
    assert window.open_failure == "notes.sqlite is not a Conference Desk database."
    page = window.opening_page
    assert page is not None and page.buttons.isVisible()
    assert page.heading.text() == "Cannot open the database"
    assert page.explanation.text() == "notes.sqlite is not a Conference Desk database."
    assert not window.import_attendees_action.isEnabled()


def test_a_database_failure_in_the_background_is_one_sentence_naming_the_file(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("shopping list\n", encoding="utf-8")
    window = waiting_window(qtbot, settings, str(not_a_database))
    with qtbot.waitSignal(window.opening_failed, timeout=30_000) as failed:
        window.open_in_background(lambda: open_database(not_a_database))
    sentence = failed.args[0]
    assert "notes.sqlite" in sentence and "Traceback" not in sentence and "SELECT" not in sentence.upper()


def test_another_database_opened_after_a_failed_start_is_shown(
        qtbot: QtBot, settings: QSettings, demo_path: Path, tmp_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(tmp_path / "gone.sqlite"))
    with qtbot.waitSignal(window.opening_failed, timeout=10_000):
        window.open_in_background(lambda: (_ for _ in ()).throw(OpenFailed("gone.sqlite is gone.")))
    assert window.open_database_at(str(demo_path))
    assert window.opening_page is None and window.open_failure is None
    assert window.detail is not None and window.import_attendees_action.isEnabled()
    window.close()


def test_a_database_that_arrives_after_the_window_closed_is_closed(
        qtbot: QtBot, settings: QSettings, demo_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(demo_path))
    release = threading.Event()
    opened: list[Database] = []

    def slow() -> Database:
        release.wait(10)
        database = open_database(demo_path)
        opened.append(database)
        return database

    window.open_in_background(slow)
    threading.Timer(0.2, release.set).start()
    window.close()  # waits for the thread
    assert opened, "the thread ran to its end before the window was gone"
    qtbot.wait(50)  # the queued "opened" arrives
    assert window.open_failure is None and window.opening_page is not None, "not shown in a closed window"
    assert opened[0].engine.pool.checkedout() == 0


def _env(tmp_path: Path) -> dict[str, str]:
    """A process of its own (its own settings) that quits once its window is up (and ready)."""
    env = window_env(tmp_path)
    env["CONFERENCE_DESK_EXIT_WHEN_SHOWN"] = "1"
    env.pop("CONFERENCE_DESK_DB", None)
    return env


def test_the_window_is_shown_before_sqlalchemy_is_loaded(tmp_path: Path) -> None:
    """What the window needs to be on screen loads no SQLAlchemy (the database opens after)."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from desktop.cli import build_parser\n"
        "from desktop.ui.shell.app import application\n"
        "from desktop.ui.shell.main_window import MainWindow\n"
        "build_parser()\n"
        "app = application([])\n"
        "w = MainWindow(None, QSettings(sys.argv[1], QSettings.Format.IniFormat), opening='x.sqlite')\n"
        "w.show(); app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')"
        " or m in ('db.engine', 'db.models')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.ini")], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_command_line_opens_the_window_then_the_database(demo_path: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "desktop", "--db", str(demo_path)], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["shown", "ready"]


def test_a_bad_database_on_the_command_line_is_said_on_the_window_then_on_the_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("shopping list\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "desktop", "--db", str(bad)], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.split() == ["shown", "failed"]
    assert done.returncode == EXIT_DATA
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("conference-desk: error: ") and str(bad) in line


def test_the_damage_check_starts_once_the_database_is_shown(
        qtbot: QtBot, settings: QSettings, demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(Database, "check_in_background", lambda self: started.append(self.label))
    window = waiting_window(qtbot, settings, str(demo_path))
    with qtbot.waitSignal(window.database_ready, timeout=30_000):
        window.open_in_background(lambda: open_database(demo_path))
    assert started == []  # not before the window is free again
    qtbot.waitUntil(lambda: started == [str(demo_path)], timeout=5_000)
    window.close()


def test_an_unexpected_fault_while_opening_is_a_fixed_sentence_not_its_text(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    window = waiting_window(qtbot, settings, str(tmp_path / "x.sqlite"))

    def faulty() -> Database:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str' in open_target")

    with qtbot.waitSignal(window.opening_failed, timeout=10_000) as failed:
        window.open_in_background(faulty)
    assert failed.args == ["The database could not be opened because of an unexpected error in Conference Desk."]


def test_another_database_is_opened_only_after_the_desk_wrote_what_was_queued(
        qtbot: QtBot, settings: QSettings, demo_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.desk.page import DeskPage
    from desktop.ui.shell.main_window import DESK

    order: list[str] = []
    monkeypatch.setattr(DeskPage, "finish_queued", lambda self: order.append("desk finished its queue"))
    closing = Database.close
    monkeypatch.setattr(Database, "close", lambda self: (order.append(f"closed {Path(self.label).name}"),
                                                         closing(self))[1])
    other = tmp_path / "other.sqlite"
    other.write_bytes(demo_path.read_bytes())
    window = MainWindow(open_database(demo_path), settings)
    qtbot.addWidget(window)
    window.show()
    window.show_section(DESK)
    assert window.open_database_at(str(other))
    assert order[:2] == ["desk finished its queue", "closed demo.sqlite"]
    window.close()
    window.database.close()
