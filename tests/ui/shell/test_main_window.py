"""The main window on a fresh demo database: what a user sees, and every menu item.

Expected values come from ``desktop.core`` on the same database, so the tests check that
the window shows what the data holds, not numbers copied from the demo.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QBrush, QDesktopServices, QFont
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from db.engine import Database, open_database
from db.models import ItemKind
from desktop.core.agenda import AgendaEntry, load_agenda
from desktop.core.checkin import participation
from desktop.core.events import list_events
from desktop.core.i18n import pick
from desktop.core.people import roster
from desktop.core.registrations import registration_rows
from desktop.ui.agenda.page import AgendaModel
from desktop.ui.shell import main_window as main_window_module
from desktop.ui.shell import style
from desktop.ui.shell.main_window import (
    AGENDA,
    DESK,
    PEOPLE,
    REGISTRATIONS,
    MainWindow,
    default_size,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO_TITLE_START = "Improving the Effectiveness of the Justice System in Kazakhstan"


def demo_event_id(database: Database) -> int:
    with database.read() as session:
        (event,) = list_events(session)
    return event.id


def top_entries(model: AgendaModel) -> list[tuple[QModelIndex, AgendaEntry]]:
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, AgendaModel.TITLE)
        out.append((index, index.data(Qt.ItemDataRole.UserRole)))
    return out


class Recorder:
    """Stands in for a static ``QMessageBox``/``QFileDialog`` function and records calls."""

    def __init__(self, result: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.result


# -- what the user sees first -------------------------------------------------------------


def test_window_shows_the_demo_event(window: MainWindow) -> None:
    assert window.windowTitle().startswith(DEMO_TITLE_START)
    chooser = window.event_bar.chooser
    assert chooser.count() == 1
    assert chooser.currentText().startswith(DEMO_TITLE_START)
    assert "28 February 2025" in chooser.currentText()
    assert window.event_bar.demo_tag.isVisible()
    assert window.event_bar.demo_tag.text() == "DEMO · illustrative data"
    assert window.stack.currentWidget() is window.agenda_page
    assert window.agenda_page.title_label.text().startswith(DEMO_TITLE_START)


def test_status_bar_names_the_database_and_backend(window: MainWindow, demo_path: Path) -> None:
    text = window.database_label.text()
    assert demo_path.name in text and window.database_label.toolTip() == str(demo_path)  # a long path is cut
    assert "SQLite" in text


def test_agenda_header_names_organisers_and_funders(window: MainWindow) -> None:
    header = window.agenda_page.partners_label.text()
    assert "Organiser" in header and "Co-organisers" in header and "Funders" in header
    detail = window.detail
    assert detail is not None
    for partner in detail.partners:
        assert pick(partner.name, "en").text in header
    assert "28 February 2025" in window.agenda_page.subtitle_label.text()


def test_agenda_shows_the_three_sessions_with_their_items(window: MainWindow, demo_db: Database) -> None:
    with demo_db.read() as session:
        (day,) = load_agenda(session, demo_event_id(demo_db)).values()
    expected_sessions = [e for e in day if e.is_session]
    assert len(expected_sessions) == 3

    model = window.agenda_page.model
    assert model.rowCount() == len(day)
    shown_sessions = [(ix, e) for ix, e in top_entries(model) if e.is_session]
    titles = [ix.data() for ix, _ in shown_sessions]
    assert titles == [pick(e.title, "en").text for e in expected_sessions]
    assert all(t.startswith(f"Session {n}") for n, t in enumerate(titles, start=1))
    assert "court administration" in titles[0]
    assert "judges" in titles[1] and "professional performance" in titles[1]
    assert "judicial education" in titles[2].lower()

    for (index, entry), expected in zip(shown_sessions, expected_sessions):
        # Sessions expand to their items, and are open from the start.
        first = model.index(index.row(), 0)
        assert model.rowCount(first) == len(expected.children) > 0
        assert window.agenda_page.view.isExpanded(first)
        assert model.index(0, AgendaModel.TITLE, first).data() == pick(expected.children[0].title, "en").text
        # Session titles are bold; the moderator is named on the session's row.
        assert isinstance(index.data(Qt.ItemDataRole.FontRole), QFont) and index.data(Qt.ItemDataRole.FontRole).bold()
        moderators = [p.name for p in entry.people]
        on_stage = model.index(index.row(), AgendaModel.PEOPLE).data()
        assert on_stage.startswith("Moderator: ")
        assert all(name in on_stage for name in moderators)


def test_agenda_names_the_speakers(window: MainWindow) -> None:
    model = window.agenda_page.model
    shown = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        shown.append(model.index(row, AgendaModel.PEOPLE).data())
        shown.extend(model.index(r, AgendaModel.PEOPLE, parent).data() for r in range(model.rowCount(parent)))
    text = "\n".join(shown)
    assert "Speaker: Yuri Fenopetov" in text or "Yuri Fenopetov" in text
    assert any(line.startswith("Speaker") for line in text.splitlines())


def test_agenda_breaks_are_muted(window: MainWindow) -> None:
    model = window.agenda_page.model
    breaks = [(ix, e) for ix, e in top_entries(model) if e.kind in (ItemKind.BREAK, ItemKind.LUNCH)]
    assert breaks, "the demo has a coffee break and a lunch"
    for index, _ in breaks:
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        assert isinstance(brush, QBrush) and brush.color().name() == style.MUTED
    session_index = next(ix for ix, e in top_entries(model) if e.is_session)
    assert session_index.data(Qt.ItemDataRole.ForegroundRole) is None


def test_language_switch_shows_russian_and_kazakh_titles(window: MainWindow, qtbot: QtBot,
                                                         demo_db: Database) -> None:
    with demo_db.read() as session:
        event = list_events(session)[0]
        (day,) = load_agenda(session, event.id).values()
    first_session = next(e for e in day if e.is_session)
    for lang in ("ru", "kk", "en"):
        button = next(b for b in window.event_bar.language_buttons.buttons() if b.property("lang") == lang)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.agenda_page.model.language == lang
        shown = next(ix for ix, e in top_entries(window.agenda_page.model) if e.is_session)
        assert shown.data() == pick(first_session.title, lang).text
        assert window.event_bar.chooser.currentText().startswith(pick(event.title, lang).text)
        assert window.windowTitle().startswith(pick(event.title, lang).text)
    assert pick(event.title, "ru").text != pick(event.title, "en").text


# -- the other sections ------------------------------------------------------------------


def test_registrations_section_lists_every_registration(window: MainWindow, demo_db: Database) -> None:
    window.show_section(REGISTRATIONS)
    assert window.stack.currentWidget() is window.registrations_page
    event_id = demo_event_id(demo_db)
    with demo_db.read() as session:
        rows = registration_rows(session, event_id)
        figures = participation(session, event_id)
    model = window.registrations_page.model
    assert model.rowCount() == len(rows) == 120
    assert window.registrations_page.count_label.text() == (
        f"120 registrations · {figures.checked_in} checked in"
    )
    assert figures.checked_in > 0
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == ["Code", "Name", "Organisation", "Sector", "Category", "Status", "Checked in"]
    assert {model.index(r, 0).data() for r in range(model.rowCount())} == {r.code for r in rows}


def test_check_in_times_are_local_to_the_event(window: MainWindow, demo_db: Database) -> None:
    from zoneinfo import ZoneInfo

    window.show_section(REGISTRATIONS)
    detail = window.detail
    assert detail is not None
    zone = ZoneInfo(detail.timezone)
    model = window.registrations_page.model
    checked = [(r, row) for r, row in enumerate(model.rows()) if row.checked_in_at is not None]
    assert checked
    for r, row in checked:
        shown = model.index(r, model.CHECKED_IN).data()
        assert shown == row.checked_in_at.astimezone(zone).strftime("%H:%M")
        assert len(shown) == 5 and shown[2] == ":"
    # The event is east of Greenwich: what is shown is not the UTC time.
    _, row = checked[0]
    assert row.checked_in_at.utcoffset() == dt.timedelta(0)
    assert model.index(checked[0][0], model.CHECKED_IN).data() != row.checked_in_at.strftime("%H:%M")


def test_registrations_sort_by_column_and_back(window: MainWindow) -> None:
    window.show_section(REGISTRATIONS)
    view = window.registrations_page.view
    model = window.registrations_page.model
    natural = [row.code for row in model.rows()]
    view.sortByColumn(model.CHECKED_IN, Qt.SortOrder.DescendingOrder)
    times = [row.checked_in_at for row in model.rows()]
    filled = [t for t in times if t is not None]
    assert times[: len(filled)] == sorted(filled, reverse=True)
    assert all(t is None for t in times[len(filled):])
    view.sortByColumn(model.CODE, Qt.SortOrder.AscendingOrder)
    codes = [row.code for row in model.rows()]
    assert codes == sorted(codes, key=str.casefold)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert [row.code for row in model.rows()] == natural


def test_people_shows_the_roster_and_who_is_on_stage(window: MainWindow, qtbot: QtBot,
                                                     demo_db: Database) -> None:
    window.show_section(PEOPLE)
    page = window.people_page
    event_id = demo_event_id(demo_db)
    with demo_db.read() as session:
        everyone = roster(session, event_id)
        on_stage = roster(session, event_id, on_stage_only=True)
    assert page.model.rowCount() == len(everyone)
    assert page.count_label.text() == f"{len(everyone)} people in the roster"
    role_column = len(page.model.columns) - 1
    with_roles = {page.model.row_at(r).name for r in range(page.model.rowCount())
                  if page.model.index(r, role_column).data()}
    assert with_roles == {row.name for row in on_stage}
    page.speakers_button.click()
    names = {row.name for row in page.speakers_model.rows()}
    assert names == {row.name for row in on_stage} and len(names) >= 7
    for name in ("Yuri Fenopetov", "Pamela Harris", "Yerzhan Zhienbayev"):
        assert name in names
    assert page.count_label.text().endswith(f"{len(on_stage)} people on stage in this event")
    page.roster_button.click()
    assert page.model.rowCount() == len(everyone)


def test_desk_shows_figures_by_sector_and_latest_check_ins(window: MainWindow, demo_db: Database) -> None:
    window.show_section(DESK)
    page = window.desk_page
    with demo_db.read() as session:
        figures = participation(session, demo_event_id(demo_db))
    assert page.in_card.figure.text() == f"{figures.checked_in} / {figures.expected}"
    assert page.registered_card.figure.text() == str(figures.registered)
    bars = page.sector_bars.figures()
    assert sum(expected for _, expected, _ in bars) == figures.expected
    assert sum(checked for _, _, checked in bars) == figures.checked_in
    assert len(bars) >= 6  # the six sectors of the demo
    recent = page.recent_model.rows()
    assert len(recent) == min(50, figures.checked_in)
    times = [row.checked_in_at for row in recent]
    assert times == sorted(times, reverse=True)


# -- navigation ------------------------------------------------------------------------------


def test_ctrl_1_to_4_switch_sections(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    pages = [window.agenda_page, window.people_page, window.registrations_page, window.desk_page]
    for key, index in ((Qt.Key.Key_3, REGISTRATIONS), (Qt.Key.Key_2, PEOPLE), (Qt.Key.Key_4, DESK),
                       (Qt.Key.Key_1, AGENDA)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is pages[index]
        assert window.navigation.currentRow() == index
        assert window.section_actions.actions()[index].isChecked()


def test_sidebar_switches_sections(window: MainWindow) -> None:
    window.navigation.setCurrentRow(DESK)
    assert window.stack.currentWidget() is window.desk_page
    assert window.section_actions.actions()[DESK].isChecked()


def test_every_menu_item_is_wired(window: MainWindow) -> None:
    window.recent_menu.aboutToShow.emit()
    menus = [a.menu() for a in window.menuBar().actions()]
    assert [m.title() for m in menus if isinstance(m, QMenu)] == ["&File", "&Edit", "E&vent", "&View", "&Help"]
    checked = 0
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                menus.append(action.menu())
                continue
            assert action.text()
            wired = action.receivers("2triggered(bool)") > 0 or action.actionGroup() is not None
            assert wired, f"{action.text()} does nothing"
            checked += 1
    assert checked >= 11  # New, Open, a recent file, Clear list, Quit, 4 sections, Refresh, About


# -- settings --------------------------------------------------------------------------------


def test_geometry_section_and_language_are_restored(window: MainWindow, qtbot: QtBot,
                                                    demo_db: Database, settings: QSettings) -> None:
    # Small enough for the offscreen platform's 800×600 screen: a restored window is kept on it.
    window.resize(770, 540)
    window.move(10, 20)
    window.show_section(DESK)
    ru = next(b for b in window.event_bar.language_buttons.buttons() if b.property("lang") == "ru")
    ru.click()
    qtbot.wait(10)
    size = window.size()
    window.close()

    again = MainWindow(demo_db, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == size
    assert (size.width(), size.height()) == (770, 540)
    # The place too (the offscreen platform may shift it by its frame's few pixels).
    assert abs(again.x() - 10) <= 8 and abs(again.y() - 20) <= 8
    assert again.current_section() == DESK
    assert again.stack.currentWidget() is again.desk_page
    assert again.event_bar.language == "ru"
    assert again.detail is not None and again.detail.summary.id == demo_event_id(demo_db)


def test_without_settings_the_window_opens_at_its_default_size(qtbot: QtBot, styled_app: Any,
                                                               demo_db: Database, settings: QSettings) -> None:
    win = MainWindow(demo_db, settings)
    qtbot.addWidget(win)
    assert win.size() == default_size(win.screen().availableGeometry().size())
    assert win.current_section() == AGENDA


@pytest.mark.parametrize(
    ("screen", "expected"),
    [((1920, 1080), (1280, 800)), ((1366, 768), (1229, 691)), ((800, 600), (760, 540))],
)
def test_default_size_fits_the_screen(screen: tuple[int, int], expected: tuple[int, int]) -> None:
    size = default_size(QSize(*screen))
    assert (size.width(), size.height()) == expected


# -- File menu ---------------------------------------------------------------------------------


def test_open_a_text_file_shows_an_error_and_keeps_the_database(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Not a database, just notes.\n", encoding="utf-8")
    before = text_file.read_bytes()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(text_file), "")))
    critical = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    database, label = window.database, window.database_label.text()

    window.open_action.trigger()

    assert len(critical.calls) == 1
    message = critical.calls[0][2]
    assert "notes.txt" in message and "not a Conference Desk database" in message
    assert message.endswith(".")
    assert window.database is database
    assert window.database_label.text() == label
    assert window.event_bar.chooser.currentText().startswith(DEMO_TITLE_START)
    assert text_file.read_bytes() == before
    assert str(text_file) not in window._recent.entries()


def test_open_another_database_and_the_recent_menu(window: MainWindow, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, demo_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    open_database(other).close()  # an empty, valid database
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(other), "")))
    old = window.database

    window.open_action.trigger()

    assert window.database is not old
    assert other.name in window.database_label.text() and window.database_label.toolTip() == str(other)
    assert window.detail is None
    assert window.stack.currentWidget() is window.empty_page
    assert not window.navigation.isEnabled()
    assert window.windowTitle() == "Conference Desk — other.sqlite"

    window.recent_menu.aboutToShow.emit()
    entries = [a.data() for a in window.recent_menu.actions() if a.data()]
    assert entries == [str(other), str(demo_path)]
    back = next(a for a in window.recent_menu.actions() if a.data() == str(demo_path))
    back.trigger()
    assert window.database.label == str(demo_path)
    assert window.event_bar.chooser.currentText().startswith(DEMO_TITLE_START)
    assert window.navigation.isEnabled()

    # A file that is gone leaves the list; "Clear list" empties it.
    other.unlink()
    window.recent_menu.aboutToShow.emit()
    assert [a.data() for a in window.recent_menu.actions() if a.data()] == [str(demo_path)]
    clear = next(a for a in window.recent_menu.actions() if a.text() == "Clear list")
    clear.trigger()
    assert window._recent.entries() == []
    assert not window.recent_menu.isEnabled()


def test_recent_list_keeps_eight(window: MainWindow, tmp_path: Path) -> None:
    paths = []
    for n in range(10):
        path = tmp_path / f"db{n}.sqlite"
        path.write_bytes(b"")
        paths.append(str(path))
        window._recent.add(str(path))
    window.recent_menu.aboutToShow.emit()
    entries = [a.data() for a in window.recent_menu.actions() if a.data()]
    assert entries == list(reversed(paths))[:8]


def test_new_database_offers_the_demo(window: MainWindow, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder((str(target), "")))
    question = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", question)

    window.new_action.trigger()

    assert len(question.calls) == 1 and "demo" in question.calls[0][2]
    assert window.database.label == str(tmp_path / "fresh.sqlite")
    assert window.event_bar.chooser.currentText().startswith(DEMO_TITLE_START)
    assert window.agenda_page.model.rowCount() > 0


def test_new_database_without_the_demo_is_empty(window: MainWindow, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    target = tmp_path / "blank.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder((str(target), "")))
    monkeypatch.setattr(QMessageBox, "question", Recorder(QMessageBox.StandardButton.No))

    window.new_action.trigger()

    assert window.database.label == str(target)
    assert window.stack.currentWidget() is window.empty_page
    assert not window.event_bar.chooser.isEnabled()
    assert not window.event_bar.demo_tag.isVisible()
    # The empty page's button creates the demo after all.
    assert window.empty_page.demo_button.isVisible()
    qtbot.mouseClick(window.empty_page.demo_button, Qt.MouseButton.LeftButton)
    assert window.event_bar.chooser.currentText().startswith(DEMO_TITLE_START)
    assert window.stack.currentWidget() is window.agenda_page


def test_new_database_refuses_an_existing_file(window: MainWindow, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, demo_path: Path) -> None:
    existing = tmp_path / "keep.sqlite"
    existing.write_text("precious", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder((str(existing), "")))
    warning = Recorder(QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "warning", warning)

    window.new_action.trigger()

    assert len(warning.calls) == 1 and "already exists" in warning.calls[0][2]
    assert existing.read_text(encoding="utf-8") == "precious"
    assert window.database.label == str(demo_path)


def test_cancelled_dialogs_change_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder(("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder(("", "")))
    database = window.database
    window.open_action.trigger()
    window.new_action.trigger()
    assert window.database is database


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # the box is shown
def test_about_and_quit(window: MainWindow, monkeypatch: pytest.MonkeyPatch, settings: QSettings,
                        demo_path: Path) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.about_action.trigger()
    box = window.about_box
    assert box.isVisible() and box.windowTitle() == "About Conference Desk"
    assert "Conference Desk" in box.text() and str(demo_path.parent) in box.text()  # the data folder
    button = box.findChild(QPushButton, "openDataFolderButton")
    assert button is not None and button.text() == "Open Data Folder"
    button.click()
    assert [Path(url.toLocalFile()) for url in opened] == [demo_path.parent]
    assert not box.isVisible()
    window.data_folder_action.trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [demo_path.parent] * 2

    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.show_section(PEOPLE)
    window.quit_action.trigger()
    assert not window.isVisible()
    assert int(settings.value(main_window_module.SECTION)) == PEOPLE


def test_refresh_reads_the_event_again(window: MainWindow, demo_db: Database) -> None:
    from db.models import CheckIn, CheckInAction, Registration
    from desktop.core.checkin import checked_in_subquery  # noqa: F401  (the core derives the state)

    window.show_section(REGISTRATIONS)
    before = window.registrations_page.count_label.text()
    event_id = demo_event_id(demo_db)
    with demo_db.write() as session:
        registration = session.query(Registration).filter_by(event_id=event_id).order_by(Registration.id).all()
        target = next(r for r in registration if not r.check_ins)
        session.add(CheckIn(registration_id=target.id, desk="Desk 9", action=CheckInAction.IN))
    window.refresh_action.trigger()
    after = window.registrations_page.count_label.text()
    assert before != after
    n_before = int(before.split("·")[1].split()[0])
    assert after.endswith(f"{n_before + 1} checked in")


# -- start-up ----------------------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path / "home"),
    )
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def test_run_shows_the_window_and_returns_zero(demo_path: Path, tmp_path: Path) -> None:
    """``run`` as the command line calls it, in a process of its own (its own settings)."""
    script = (
        "import sys; from db import open_database; from desktop.ui.shell.app import run; "
        "sys.exit(run(open_database(sys.argv[1]), argv=['conference-desk']))"
    )
    env = _env(tmp_path)
    env["CONFERENCE_DESK_EXIT_WHEN_SHOWN"] = "1"
    done = subprocess.run([sys.executable, "-c", script, str(demo_path)], env=env, capture_output=True, check=False,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("shown")
    settings_file = tmp_path / "config" / "Conference Desk" / "Conference Desk.conf"
    assert settings_file.is_file(), "QSettings() finds the organisation and application name"
    assert str(demo_path) in settings_file.read_text(encoding="utf-8")


def test_the_window_loads_no_exporter_and_no_alembic(demo_path: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from db import open_database\n"
        "from desktop.ui.shell.app import application\n"
        "from desktop.ui.shell.main_window import MainWindow\n"
        "app = application([])\n"
        "w = MainWindow(open_database(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat))\n"
        "w.show(); app.processEvents()\n"
        "for i in range(4): w.show_section(i)\n"
        "print(sorted(m for m in ('reportlab', 'openpyxl', 'alembic') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(demo_path), str(tmp_path / "s.ini")],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_unsaved_mark_after_an_edit(window: MainWindow) -> None:
    """Every edit is saved as it is made: the title never says "unsaved" (no "*")."""
    from PySide6.QtGui import QUndoCommand

    title = window.windowTitle()
    assert "*" not in title and not window.isWindowModified()
    window.undo_stack.push(QUndoCommand("an edit"))
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo an edit"
    assert not window.isWindowModified() and window.windowTitle() == title
    window.undo_action.trigger()
    assert not window.isWindowModified() and window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert not window.isWindowModified() and window.windowTitle() == title
