"""File → Export Desk File… and Merge Desk File…: the save and open dialogs patched, the
export run in its worker thread, the merge previewed (dry run) and then applied."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from db.engine import Database, open_database
from db.models import CheckIn, CheckInAction, Event, Person, Registration, Source
from db.types import utcnow
from desktop.core.checkin import checked_in_count
from desktop.core.desk_file import SUFFIX, export_desk_file, read_desk_file_info
from desktop.ui.desk.file_dialogs import FOLDER, DeskExport, MergeDialog
from desktop.ui.shell.main_window import MainWindow

SHOTS = Path("/tmp")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "desks"
    path.mkdir()
    return path


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Message boxes the code shows with exec(), kept instead of blocking the test."""
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> list[str]:
    asked: list[str] = []

    def fake(_parent: object, _title: str, suggested: str, _filter: str, *args: object) -> tuple[str, str]:
        asked.append(suggested)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def event_id_of(window: MainWindow) -> int:
    assert window.detail is not None
    return window.detail.summary.id


def test_actions_are_in_the_file_menu_and_need_an_event(window: MainWindow) -> None:
    actions = window.desk_file_actions
    assert actions.export_action in window.file_menu.actions()
    assert actions.merge_action in window.file_menu.actions()
    assert actions.export_action.isEnabled() and actions.merge_action.isEnabled()
    window.event_changed.emit(0)
    assert not actions.export_action.isEnabled() and not actions.merge_action.isEnabled()


def test_export_writes_the_file_and_says_how_to_open_it(
        window: MainWindow, qtbot: QtBot, folder: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[QMessageBox]) -> None:
    asked = save_as(monkeypatch, folder / "lobby")  # no extension typed: .deskdb is added
    export = window.desk_file_actions.start_export()
    assert export is not None
    with qtbot.waitSignal(export.finished, timeout=30_000) as finished:
        pass
    report = finished.args[0]
    target = folder / f"lobby{SUFFIX}"
    assert report is not None and report.path == target and report.registrations == 120
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    assert asked[0].endswith(f"— desk{SUFFIX}")
    desk = open_database(target)
    try:
        with desk.read() as session:
            assert session.scalar(select(Event.uuid)) == read_desk_file_info(target).event_uuid
    finally:
        desk.close()
    assert window.settings.value(FOLDER) == str(folder)
    (box,) = message_boxes
    assert box.text() == f"lobby{SUFFIX} is ready for the other desk."
    assert box.informativeText().startswith("It holds 120 registrations, 120 people, 24 check-ins so far.")
    assert "File → Open database…" in box.informativeText() and "Merge Desk File" in box.informativeText()
    assert f'conference-desk --db "lobby{SUFFIX}"' in box.informativeText()
    box.adjustSize()
    box.grab().save(str(SHOTS / "desk-export-message.png"))
    # The status bar says where the file went, with Open Folder.
    assert window.file_notice.isVisible() and window.file_notice.path == target
    assert window.file_notice.message == f"Desk file written to {target} (120 registrations)."


def test_cancelled_export_leaves_no_file(window: MainWindow, qtbot: QtBot, folder: Path,
                                         message_boxes: list[QMessageBox]) -> None:
    export = DeskExport(window.database, event_id_of(window), {"en": "Demo"}, window, window.settings)
    export.chunk_size = 5
    export.export_to(folder / f"lobby{SUFFIX}")
    assert export.is_running()
    export.cancel()
    with qtbot.waitSignal(export.finished, timeout=30_000) as finished:
        pass
    assert finished.args == [None]
    assert list(folder.iterdir()) == [] and message_boxes == []
    assert not export.is_running()


def _desk_work(desk_file: Path, main: Database, event_id: int) -> tuple[str, str]:
    """At the desk: one person checked in (also checked in at the main desk: a conflict),
    one checked in only there, and a walk-in. Returns (conflict code, desk-only code)."""
    with main.read() as session:
        both, only = session.scalars(select(Registration.badge_code).where(
            Registration.event_id == event_id, ~Registration.check_ins.any()).order_by(Registration.id).limit(2))
    nine = dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.UTC)
    for database, codes, desk in ((main, [both], "Desk 1"), (None, [both, only], "Lobby laptop")):
        db = database or open_database(desk_file)
        try:
            with db.write() as session:
                for n, code in enumerate(codes):
                    rid = session.scalar(select(Registration.id).where(Registration.badge_code == code))
                    at = nine + dt.timedelta(minutes=10 * (n + 1) if database is None else 0)
                    session.execute(insert(CheckIn).values(uuid=uuid_mod.uuid4(), registration_id=rid, desk=desk,
                                                           action=CheckInAction.IN, happened_at=at, recorded_at=at))
                if database is None:
                    event = session.scalars(select(Event)).one()
                    reg = Registration(event=event, person=Person(given_name="Dana", family_name="Seitkali"),
                                       badge_code="WALK23", source=Source.DESK, source_desk=desk)
                    session.add(reg)
                    session.add(CheckIn(registration=reg, desk=desk, action=CheckInAction.IN, happened_at=utcnow()))
        finally:
            if database is None:
                db.close()
    return both, only


def test_merge_shows_what_it_would_do_then_applies(
        window: MainWindow, qtbot: QtBot, qtmodeltester, folder: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    event_id = event_id_of(window)
    desk_file = folder / f"lobby{SUFFIX}"
    export_desk_file(window.database, desk_file, event_id)
    both, _only = _desk_work(desk_file, window.database, event_id)
    with window.database.read() as session:
        before = checked_in_count(session, event_id)
    refreshed: list[bool] = []
    monkeypatch.setattr(window, "refresh", lambda: refreshed.append(True))

    open_file(monkeypatch, desk_file)
    with qtbot.waitSignal(window.desk_file_actions.merge_previewed, timeout=30_000) as previewed:
        window.desk_file_actions.merge_action.trigger()
    dialog = window.desk_file_actions.merge_dialog
    assert isinstance(dialog, MergeDialog) and dialog.isVisible() and previewed.args == [dialog]
    qtmodeltester.check(dialog.conflict_model)
    assert dialog.report is not None and dialog.report.dry_run
    assert "Would merge lobby.deskdb: 3 new check-ins" in dialog.summary_label.text()
    assert dialog.conflict_model.rowCount() == 1 and dialog.conflict_view.isVisible()
    assert dialog.conflict_model.index(0, 1).data() == both
    assert dialog.conflict_model.index(0, 2).data() == "Lobby laptop, 09:10"
    assert dialog.conflict_model.index(0, 3).data() == "Desk 1, 09:00"
    assert dialog.merge_button.isEnabled()
    with window.database.read() as session:
        assert checked_in_count(session, event_id) == before  # the preview wrote nothing
    dialog.grab().save(str(SHOTS / "desk-merge-preview.png"))

    with qtbot.waitSignal(dialog.merged, timeout=10_000):
        dialog.merge_button.click()
    assert dialog.applied and not dialog.merge_button.isVisible() and dialog.close_button.text() == "Close"
    assert dialog.summary_label.text().splitlines()[1].startswith("Merged lobby.deskdb: 3 new check-ins")
    assert refreshed == [True]
    assert window.statusBar().currentMessage().startswith("Merged lobby.deskdb")
    with window.database.read() as session:
        assert checked_in_count(session, event_id) == before + 2  # the conflict counts once
    qtmodeltester.check(dialog.conflict_model)
    dialog.grab().save(str(SHOTS / "desk-merge-done.png"))
    dialog.close()

    again = MergeDialog(window.database, desk_file, None, window, window.settings, preview=False)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.previewed, timeout=30_000):
        again.preview()
    assert again.report is not None and again.report.changes == 0
    assert not again.merge_button.isEnabled()


def test_merge_of_a_file_that_is_not_a_desk_file_says_so(
        window: MainWindow, qtbot: QtBot, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = folder / "notes.deskdb"
    bad.write_text("not a database", encoding="utf-8")
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, title, message, *a: warnings.append((title, message))))
    open_file(monkeypatch, bad)
    with qtbot.waitSignal(window.desk_file_actions.merge_previewed, timeout=30_000) as previewed:
        window.desk_file_actions.merge_action.trigger()
    assert previewed.args == [None] and window.desk_file_actions.merge_dialog is None
    assert warnings == [("This file cannot be merged",
                         f"{bad} is not a Conference Desk desk file (it is not a SQLite database).")]
    assert bad.read_text(encoding="utf-8") == "not a database"


def test_merge_of_an_edited_desk_file_says_so_and_adds_nothing(
        window: MainWindow, qtbot: QtBot, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    event_id = event_id_of(window)
    path = folder / "lobby.deskdb"
    export_desk_file(window.database, path, event_id)
    with sqlite3.connect(path, isolation_level=None) as conn:  # edited with another program
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'desk_seal_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE registration SET badge_code = 'FORGED' WHERE id = (SELECT min(id) FROM registration)")
    with window.database.read() as session:
        before = checked_in_count(session, event_id)
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, title, message, *a: warnings.append((title, message))))
    open_file(monkeypatch, path)
    with qtbot.waitSignal(window.desk_file_actions.merge_previewed, timeout=30_000) as previewed:
        window.desk_file_actions.merge_action.trigger()
    assert previewed.args == [None] and window.desk_file_actions.merge_dialog is None
    assert warnings == [("This file cannot be merged",
                         f"{path} was changed after desk-export by something other than Conference Desk "
                         "(table registration), so it is refused and nothing was merged.")]
    with window.database.read() as session:
        assert checked_in_count(session, event_id) == before


# == a large desk file: the window keeps going ======================================================

LARGE = 8_000  # check-ins in the desk file: the synchronous merge froze the window for seconds
STALL_MS = 100


class StallMeter:
    """A 5 ms ``QTimer`` that notes how late it fires: the event loop's longest stall (ms),
    as tests/bench/responsive.py measures it."""

    TICK_MS = 5

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.longest = 0.0
        self.ticks = 0
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        import time

        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        """Stop; a stall still under way (no tick since) counts too."""
        self._on_timer_timeout()
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        import time

        now = time.monotonic()
        self.longest = max(self.longest, (now - self._last) * 1000 - self.TICK_MS)
        self._last = now
        self.ticks += 1


@pytest.fixture
def large_desk_file(tmp_path: Path) -> Iterator[tuple[Database, Path, int]]:
    """A database of an event with LARGE + 200 people and a desk file of it in which the
    desk checked LARGE of them in."""
    from tests.core.test_desk_merge_lock import _desk_checks_in, _event_with_people

    database = open_database(tmp_path / "main.sqlite")
    event_id, codes = _event_with_people(database, LARGE + 200)
    path = tmp_path / f"lobby{SUFFIX}"
    export_desk_file(database, path, event_id)
    _desk_checks_in(path, codes[:LARGE])
    yield database, path, event_id
    database.close()


def test_a_large_merge_keeps_the_window_responsive(
        qtbot: QtBot, styled_app: object, large_desk_file: tuple[Database, Path, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview and the merge of a desk file of thousands of check-ins run off the GUI
    thread: a 5 ms timer keeps firing on time (the synchronous merge stalled it for
    seconds), a progress dialog shows, a double click merges once, and everything is merged."""
    import time

    database, path, event_id = large_desk_file
    monkeypatch.setattr("desktop.ui.shell.jobs.PROGRESS_AFTER_MS", 0)
    with database.read() as session:
        before = checked_in_count(session, event_id)
    meter = StallMeter()
    meter.start()
    began = time.monotonic()
    dialog = MergeDialog(database, path, None)  # its preview starts
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    previewed = time.monotonic() - began
    assert dialog.report is not None and dialog.report.dry_run and dialog.merge_button.isEnabled()
    meter.stop()  # showing the dialog is not the merge's work
    dialog.show()
    qtbot.waitExposed(dialog)
    meter.start()
    merged: list[object] = []
    dialog.merged.connect(merged.append)
    began = time.monotonic()
    dialog.merge_button.click()
    dialog.merge_button.click()  # a double click
    assert not dialog.merge_button.isEnabled() and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress_dialog is not None and dialog.progress_dialog.isVisible(), timeout=5_000)
    meter.stop()  # the picture is the test's own work on the GUI thread
    dialog.progress_dialog.grab().save(str(SHOTS / "desk-merge-running.png"))  # type: ignore[union-attr]
    meter.start()
    dialog.reject()  # Esc while it runs: the dialog stays
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.applied, timeout=120_000)
    applied = time.monotonic() - began
    meter.stop()
    dialog.grab().save(str(SHOTS / "desk-merge-large-done.png"))
    print(f"preview {previewed:.2f} s, merge {applied:.2f} s, longest stall {meter.longest:.0f} ms "
          f"({meter.ticks} ticks)")
    assert len(merged) == 1 and dialog.report is not None and dialog.report.new_check_ins == LARGE
    assert dialog.note.text() == "Merged. The window shows the new check-ins now."  # no cancel was asked
    with database.read() as session:
        assert checked_in_count(session, event_id) == before + LARGE
    # The work was long enough for a stall to show: done on the GUI thread, a quarter of a
    # second of it would be a stall of 250 ms, over the limit (on a quiet machine the preview
    # and the merge together take ~0.5 s; the synchronous dialog stalled ~470 ms).
    assert previewed + applied > 2.5 * STALL_MS / 1000
    assert meter.longest < STALL_MS


def test_a_merge_cancelled_says_what_happened(
        qtbot: QtBot, styled_app: object, large_desk_file: tuple[Database, Path, int]) -> None:
    """Cancel right after Merge: stopped before the write began (nothing merged, Merge offered
    again) or, when the write had begun, completed — and the dialog says which."""
    database, path, event_id = large_desk_file
    dialog = MergeDialog(database, path, None, preview=False)
    qtbot.addWidget(dialog)
    dialog.show_messages = False
    with qtbot.waitSignal(dialog.previewed, timeout=60_000):
        dialog.preview()
    ended: list[str] = []
    dialog.merged.connect(lambda _r: ended.append("merged"))
    dialog.merge_stopped.connect(lambda message: ended.append(message))
    assert dialog.apply()
    dialog.cancel()
    qtbot.waitUntil(lambda: bool(ended), timeout=60_000)
    with database.read() as session:
        count = checked_in_count(session, event_id)
    if ended == ["merged"]:
        assert count == LARGE and dialog.note.text().startswith("The merge had begun writing when you cancelled")
    else:
        assert ended == ["The merge was cancelled before it began writing: nothing was merged."]
        assert count == 0 and dialog.note.text() == ended[0]
        assert dialog.merge_button.isEnabled() and dialog.close_button.isEnabled() and not dialog.applied
