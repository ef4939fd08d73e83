"""Every window up to date (issue 15, part 3): what another workstation commits shows in the
open section within 2 s, without a section switch, keeping the selection, the scroll
position and an open dialog — on SQLite and on PostgreSQL.

The other workstation is a second ``Database`` on the same file or server (a pool of its
own, as another process has; ``tests/core/test_watch.py`` runs a real second process). It
writes as the core's edits do: the rows, and ``announce`` of their tables in the same
transaction. Waits are conditions polled until a deadline, never fixed sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.engine import Database
from db.models import AgendaItem, Person, Registration
from desktop.core.watch import announce
from desktop.ui.agenda.model import AgendaModel
from desktop.ui.shell.main_window import AGENDA, DESK, PEOPLE, MainWindow

DEADLINE_MS = 2000
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # a dialog, offscreen


@pytest.fixture
def database(demo: tuple[Database, int]) -> Database:
    return demo[0]


@pytest.fixture
def other(workstation_2: Database) -> Database:
    """Workstation 2 (``tests/conftest.py``)."""
    return workstation_2

@pytest.fixture
def window(qtbot: QtBot, styled_app: QApplication, database: Database, settings: QSettings) -> Iterator[MainWindow]:
    win = MainWindow(database, settings)
    qtbot.addWidget(win)
    win.resize(QSize(1000, 560))  # the lists scroll
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win)
    yield win
    win.close()


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the window's watcher listens and what it said on starting is read (on
    PostgreSQL it says once that anything may have changed before it listened)."""
    watcher = window._watcher
    assert watcher is not None
    assert watcher.ready.wait(10)
    qtbot.wait(50)  # the queued signal of the watcher's first word, if any
    qtbot.waitUntil(lambda: not window._elsewhere_timer.isActive(), timeout=DEADLINE_MS)


def write(database: Database, stmt: Any, *tables: str) -> None:
    with database.write() as session:
        session.execute(stmt)
        announce(session, tables)


def roster_emails(window: MainWindow) -> dict[int, str]:
    page = window.people_page
    out = {}
    for row in range(page.model.rowCount()):
        found = page.model.row_at(row)
        if found is not None:
            out[found.id] = found.email or ""
    return out


def test_a_person_changed_elsewhere_shows_in_the_roster_in_place(qtbot: QtBot, window: MainWindow,
                                                               other: Database) -> None:
    window.show_section(PEOPLE)
    page = window.people_page
    view = page.view
    qtbot.waitUntil(lambda: page.model.rowCount() > 10, timeout=DEADLINE_MS)
    rows = page.model.rowCount()
    # Select two people near the end, and scroll to the middle, away from them.
    chosen = [rows - 3, rows - 1]
    for row in chosen:
        view.selectionModel().select(page.model.index(row, 0),
                                     QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    view.selectionModel().setCurrentIndex(page.model.index(chosen[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 2, "the roster must scroll for this test"
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    selected = page.selected_people()
    assert len(selected) == 2
    # Another person than those selected gets a new e-mail (a shown column, not the sort).
    target = page.model.row_at(1)
    assert target is not None and target.id not in selected
    write(other, update(Person).where(Person.id == target.id).values(email="new.address@example.org"), "person")
    start = time.monotonic()
    qtbot.waitUntil(lambda: roster_emails(window).get(target.id) == "new.address@example.org", timeout=DEADLINE_MS)
    assert time.monotonic() - start < DEADLINE_MS / 1000
    assert window.current_section() == PEOPLE
    assert page.selected_people() == selected
    current = view.currentIndex()
    assert current.isValid() and page.model.row_at(current.row()).id == selected[0]  # type: ignore[union-attr]
    assert bar.value() == scroll


def agenda_titles(window: MainWindow) -> dict[int, str]:
    page = window.agenda_page
    out: dict[int, str] = {}

    def walk(parent: Any) -> None:
        for row in range(page.model.rowCount(parent)):
            index = page.model.index(row, 0, parent)
            entry = page.model.entry(index)
            if entry is not None and not entry.is_session:
                out[entry.id] = page.model.index(row, AgendaModel.TITLE, parent).data()
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


def test_an_agenda_item_changed_elsewhere_shows_in_place(qtbot: QtBot, window: MainWindow, other: Database) -> None:
    window.show_section(AGENDA)
    page = window.agenda_page
    items = agenda_titles(window)
    assert len(items) > 3
    ids = list(items)
    keep, changed = ids[-1], ids[0]
    assert page.select(("item", keep))
    bar = page.view.verticalScrollBar()
    assert bar.maximum() > 0, "the outline must scroll for this test"
    bar.setValue(0)  # scrolled away from the selected item, at the day's end
    with other.read() as session:
        title = dict(session.scalars(select(AgendaItem.title).where(AgendaItem.id == changed)).one())
    lang = window.event_bar.language
    title[lang] = "Changed at another workstation"
    write(other, update(AgendaItem).where(AgendaItem.id == changed).values(title=title), "agenda_item")
    qtbot.waitUntil(lambda: "Changed at another workstation" in (agenda_titles(window).get(changed) or ""),
                    timeout=DEADLINE_MS)
    assert window.current_section() == AGENDA
    assert page.current_key() == ("item", keep)
    assert bar.value() == 0


def test_an_open_dialog_stays_open_while_its_section_is_read_again(qtbot: QtBot, window: MainWindow,
                                                                  other: Database) -> None:
    window.show_section(PEOPLE)
    page = window.people_page
    qtbot.waitUntil(lambda: page.model.rowCount() > 2, timeout=DEADLINE_MS)
    first = page.model.row_at(0)
    assert first is not None
    page.select_person(first.id)
    page.edit_person_action.trigger()
    dialog = page.person_dialog
    assert dialog is not None and dialog.isVisible()
    typed = dialog.person_data()
    other_person = page.model.row_at(2)
    assert other_person is not None
    write(other, update(Person).where(Person.id == other_person.id).values(email="moved@example.org"), "person")
    qtbot.waitUntil(lambda: roster_emails(window).get(other_person.id) == "moved@example.org", timeout=DEADLINE_MS)
    assert dialog.isVisible()
    assert dialog.person_data() == typed
    assert page.selected_people() == [first.id]
    dialog.reject()


def test_tables_not_shown_leave_the_section_alone(qtbot: QtBot, window: MainWindow, other: Database,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The news names its tables (PostgreSQL's notification, SQLite's marks): a section that
    does not show them is not read again."""
    window.show_section(AGENDA)
    shown: list[object] = []
    page = window.agenda_page
    real = page.show_event
    monkeypatch.setattr(page, "show_event", lambda *args: (shown.append(args), real(*args)))
    heard: list[object] = []
    real_show = window.show_changes_elsewhere
    monkeypatch.setattr(window, "show_changes_elsewhere", lambda tables: (heard.append(tables), real_show(tables)))
    write(other, update(Registration).values(notes="seen elsewhere"), "registration")
    qtbot.waitUntil(lambda: bool(heard), timeout=DEADLINE_MS)
    assert heard == [{"registration"}]
    assert shown == []


def test_the_windows_own_edits_are_not_heard_back(qtbot: QtBot, window: MainWindow,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own commits (through its own database, as its edits go) do not make the window
    read its section again — on SQLite neither, where the file's version moves for them."""
    window.show_section(AGENDA)
    heard: list[object] = []
    monkeypatch.setattr(window, "show_changes_elsewhere", heard.append)
    for n in range(3):
        write(window.database, update(Registration).values(notes=f"seen here {n}"), "registration")
    qtbot.wait(1200)  # four looks at the SQLite file
    assert heard == []


def test_the_desk_reads_its_figures_when_another_desk_wrote(qtbot: QtBot, window: MainWindow, other: Database,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window.show_section(DESK)
    desk = window.desk_page
    asked: list[object] = []
    monkeypatch.setattr(desk, "refresh", lambda **kw: asked.append(kw))
    write(other, update(Registration).values(notes="checked elsewhere"), "registration", "check_in")
    qtbot.waitUntil(lambda: bool(asked), timeout=DEADLINE_MS)
    assert window.current_section() == DESK


def test_a_quiet_database_reads_nothing_again(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    heard: list[object] = []
    monkeypatch.setattr(window, "show_changes_elsewhere", heard.append)
    qtbot.wait(1200)  # four looks at the SQLite file; nothing said on PostgreSQL
    assert heard == []


def test_the_watcher_ends_with_the_window_and_with_its_database(qtbot: QtBot, window: MainWindow,
                                                               db_templates: Any, tmp_path: Any) -> None:
    first = window._watcher
    assert first is not None and first.thread.is_alive()
    assert window.open_database_at(str(db_templates.copy_sqlite("demo", tmp_path / "another.sqlite")))
    assert not first.thread.is_alive()
    second = window._watcher
    assert second is not None and second is not first and second.thread.is_alive()
    window.close()
    assert not second.thread.is_alive()


def test_news_waits_while_the_mouse_is_held(qtbot: QtBot, window: MainWindow, other: Database,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A drag in the timetable (or a selection being drawn) is not taken from under the
    user's hand: the section is read once the button is released."""
    held = [True]
    monkeypatch.setattr(QApplication, "mouseButtons",
                        staticmethod(lambda: Qt.MouseButton.LeftButton if held[0] else Qt.MouseButton.NoButton))
    heard: list[object] = []
    monkeypatch.setattr(window, "show_changes_elsewhere", heard.append)
    write(other, update(Person).values(phone="+7 700 000 0009"), "person")
    qtbot.wait(800)
    assert heard == []
    held[0] = False
    qtbot.waitUntil(lambda: bool(heard), timeout=DEADLINE_MS)
