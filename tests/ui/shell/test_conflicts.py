"""No lost update, and undo that respects the others (issue 15, parts 1 and 2, in the window):
two windows — two ``Database`` objects on one file or server, as two workstations are —
edit the same person, agenda item, timetable block and registration.

A field only one of them changed is kept without a word; a field both changed brings up
the conflict dialog with both values, and the answer (keep theirs / keep mine, Enter =
keep theirs) is what is stored; Cancel saves nothing. An undo after someone else changed
the same field is refused with its sentence, changes nothing, and stays undoable. One test
has the other workstation in a process of its own (SQLite).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, ItemKind, Person, Registration
from desktop.core import people
from desktop.core.changes import set_author
from desktop.core.registration_edit import registration_details
from desktop.ui.agenda.page import TIMETABLE
from desktop.ui.shell.conflicts import ConflictDialog
from desktop.ui.shell.main_window import AGENDA, PEOPLE, REGISTRATIONS, MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # dialogs, offscreen


@pytest.fixture
def database(demo: tuple[Database, int]) -> Database:
    return demo[0]


@pytest.fixture
def other(workstation_2: Database) -> Database:
    """Workstation 2 (``tests/conftest.py``)."""
    return workstation_2

def _window(qtbot: QtBot, database: Database, settings: Path) -> MainWindow:
    win = MainWindow(database, QSettings(str(settings), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(QSize(1100, 700))
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def windows(qtbot: QtBot, styled_app: QApplication, database: Database, other: Database,
            tmp_path: Path) -> Iterator[tuple[MainWindow, MainWindow]]:
    first = _window(qtbot, database, tmp_path / "ws1.ini")
    second = _window(qtbot, other, tmp_path / "ws2.ini")
    yield first, second
    second.close()
    first.close()


class Answer:
    """Answers the conflict dialog whenever one shows (it is modal): notes what it says, then
    keeps ``choice`` for every field — "theirs", "mine", "enter" (the Enter key), or None (Cancel)."""

    def __init__(self, choice: str | None) -> None:
        self.choice = choice
        self.seen: list[dict[str, Any]] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _poll(self) -> None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()]
        if not found:
            return
        dialog = found[0]
        boxes = {box.title(): [label.text() for label in box.findChildren(QLabel)]
                 for box in dialog.findChildren(QGroupBox)}
        self.seen.append({"heading": dialog.findChild(QLabel, "pageTitle").text(), "fields": boxes,
                          "default": {k: b.isChecked() for k, b in dialog.theirs_buttons.items()},
                          "parent": dialog.parentWidget()})
        if self.choice is None:
            dialog.cancel_button.click()
        elif self.choice == "enter":
            QApplication.sendEvent(dialog, _key(Qt.Key.Key_Return))
        else:
            dialog.choose_all(self.choice)
            dialog.save_button.click()


def _key(key: Qt.Key) -> Any:
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QKeyEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def answer() -> Iterator[list[Answer]]:
    made: list[Answer] = []
    yield made
    for a in made:
        a.stop()


def _person_without_phone(database: Database) -> int:
    with database.read() as s:
        return int(s.scalars(select(Person.id).where(Person.phone.is_(None)).order_by(Person.id)).first())


def _open_person(window: MainWindow, person_id: int) -> Any:
    window.show_section(PEOPLE)
    page = window.people_page
    page._open_person_dialog(person_id)
    assert page.person_dialog is not None
    return page.person_dialog


def _stored_person(database: Database, person_id: int) -> people.PersonData:
    with database.read() as s:
        return people.load_person(s, person_id, with_photo=False)


def test_two_windows_change_different_fields_of_a_person_both_kept_no_dialog(
        windows: tuple[MainWindow, MainWindow], database: Database, qtbot: QtBot, answer: list[Answer]) -> None:
    win1, win2 = windows
    pid = _person_without_phone(database)
    dialog1, dialog2 = _open_person(win1, pid), _open_person(win2, pid)  # both open the editor
    watch = Answer("mine")
    answer.append(watch)
    set_author("Workstation 1")
    dialog1.phone.setText("+7 700 111 22 33")
    qtbot.mouseClick(dialog1.save_button, Qt.MouseButton.LeftButton)
    set_author("Workstation 2")
    dialog2.texts.edit("position", "en").setText("Judge")  # from the editor opened before the phone was saved
    qtbot.mouseClick(dialog2.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(60)  # the answerer's turn: a conflict dialog would have been seen by now
    now = _stored_person(database, pid)
    assert now.phone == "+7 700 111 22 33"  # not lost
    assert now.position.get("en") == "Judge"
    assert watch.seen == []  # no question asked
    assert win2.undo_stack.count() == 1 and win1.undo_stack.count() == 1


class AnswerLate(Answer):
    """Answers "mine" — but while the first question is up, a third organiser saves yet
    another value (``meanwhile``)."""

    def __init__(self, meanwhile: Any) -> None:
        super().__init__("mine")
        self.meanwhile = meanwhile

    def _poll(self) -> None:
        before = len(self.seen)
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()]
        if found and before == 0:
            self.meanwhile()
        super()._poll()


def test_an_answer_holds_over_the_value_shown_not_one_saved_while_asking(
        windows: tuple[MainWindow, MainWindow], database: Database, other: Database, qtbot: QtBot,
        answer: list[Answer]) -> None:
    """Workstation 2 is asked about workstation 1's phone; while it reads, a third organiser
    saves another: "keep mine" then asks again, showing the third's number, not writing over
    a value nobody was shown."""
    win1, win2 = windows
    pid = _person_without_phone(database)
    dialog1, dialog2 = _open_person(win1, pid), _open_person(win2, pid)
    set_author("Workstation 1")
    dialog1.phone.setText("+7 700 000 00 01")
    qtbot.mouseClick(dialog1.save_button, Qt.MouseButton.LeftButton)

    def third() -> None:
        set_author("Workstation 3")
        with other.write() as s:
            now = people.load_person(s, pid, with_photo=False)
            people.update_person(s, pid, dataclasses.replace(now, phone="+7 700 000 00 03"), base=now)
        set_author("Workstation 2")

    set_author("Workstation 2")
    dialog2.phone.setText("+7 700 000 00 02")
    answering = AnswerLate(third)
    answer.append(answering)
    qtbot.mouseClick(dialog2.save_button, Qt.MouseButton.LeftButton)
    assert len(answering.seen) == 2  # asked again ...
    assert "+7 700 000 00 01" in answering.seen[0]["fields"]["Phone"]
    assert "+7 700 000 00 03" in answering.seen[1]["fields"]["Phone"]  # ... over the third's number
    assert "Workstation 3" in answering.seen[1]["heading"]
    assert _stored_person(database, pid).phone == "+7 700 000 00 02"  # kept mine, knowing what it replaced
    assert win2.undo_stack.count() == 1


@pytest.mark.parametrize("choice, kept", [("theirs", "+7 700 000 00 01"), ("mine", "+7 700 000 00 02"),
                                          ("enter", "+7 700 000 00 01")])
def test_both_change_the_phone_the_dialog_shows_both_and_the_choice_is_stored(
        windows: tuple[MainWindow, MainWindow], database: Database, qtbot: QtBot, answer: list[Answer],
        choice: str, kept: str) -> None:
    win1, win2 = windows
    pid = _person_without_phone(database)
    dialog1, dialog2 = _open_person(win1, pid), _open_person(win2, pid)
    set_author("Workstation 1")
    dialog1.phone.setText("+7 700 000 00 01")
    qtbot.mouseClick(dialog1.save_button, Qt.MouseButton.LeftButton)
    set_author("Workstation 2")
    dialog2.phone.setText("+7 700 000 00 02")
    dialog2.email.setText("second@example.org")  # changed by window 2 alone: saved whatever the choice
    answering = Answer(choice)
    answer.append(answering)
    qtbot.mouseClick(dialog2.save_button, Qt.MouseButton.LeftButton)
    assert len(answering.seen) == 1
    seen = answering.seen[0]
    assert "Workstation 1" in seen["heading"]
    assert list(seen["fields"]) == ["Phone"]  # the field both changed, in words; not the e-mail
    texts = seen["fields"]["Phone"]
    assert "—" in texts and "+7 700 000 00 01" in texts and "+7 700 000 00 02" in texts
    assert any(t.startswith("Changed at ") and t.endswith(" by Workstation 1") for t in texts)
    assert all(seen["default"].values())  # keep theirs is the default
    now = _stored_person(database, pid)
    assert (now.phone, now.email) == (kept, "second@example.org")
    assert win2.undo_stack.count() == 1


def test_cancel_at_the_question_saves_nothing(
        windows: tuple[MainWindow, MainWindow], database: Database, qtbot: QtBot, answer: list[Answer]) -> None:
    win1, win2 = windows
    pid = _person_without_phone(database)
    dialog1, dialog2 = _open_person(win1, pid), _open_person(win2, pid)
    dialog1.phone.setText("+7 700 000 00 01")
    qtbot.mouseClick(dialog1.save_button, Qt.MouseButton.LeftButton)
    saved = _stored_person(database, pid)
    dialog2.phone.setText("+7 700 000 00 02")
    dialog2.email.setText("second@example.org")
    answering = Answer(None)
    answer.append(answering)
    qtbot.mouseClick(dialog2.save_button, Qt.MouseButton.LeftButton)
    assert len(answering.seen) == 1
    assert _stored_person(database, pid) == saved  # neither the phone nor the e-mail
    assert win2.undo_stack.count() == 0 and win2.edits.cancelled


# -- the agenda -----------------------------------------------------------------------------------


def _item(database: Database, event_id: int, kind: ItemKind | None = None) -> int:
    with database.read() as s:
        query = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
        if kind is not None:
            query = query.where(AgendaItem.kind == kind)
        return int(s.scalars(query.order_by(AgendaItem.starts_at, AgendaItem.id)).first())


def _open_item(window: MainWindow, item_id: int) -> Any:
    window.show_section(AGENDA)
    page = window.agenda_page
    page.select(("item", item_id))
    dialog = page.edit_selected()
    assert dialog is not None
    return dialog


def _title(database: Database, item_id: int) -> dict[str, str]:
    with database.read() as s:
        return dict(s.scalar(select(AgendaItem.title).where(AgendaItem.id == item_id)))


@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_two_item_editors_change_the_title(windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int],
                                          qtbot: QtBot, answer: list[Answer], choice: str) -> None:
    database, event_id = demo
    win1, win2 = windows
    item_id = _item(database, event_id)
    dialog1, dialog2 = _open_item(win1, item_id), _open_item(win2, item_id)
    set_author("Workstation 1")
    dialog1.titles.edit("title", "en").setText("Renamed by one")
    dialog1.accept()
    set_author("Workstation 2")
    dialog2.titles.edit("title", "en").setText("Renamed by two")
    answering = Answer(choice)
    answer.append(answering)
    dialog2.accept()
    (seen,) = answering.seen
    assert list(seen["fields"]) == ["Title"]
    assert {"Renamed by one", "Renamed by two"} <= set(seen["fields"]["Title"])
    assert _title(database, item_id)["en"] == ("Renamed by one" if choice == "theirs" else "Renamed by two")


def _mouse(viewport: Any, kind: QMouseEvent.Type, pos: QPoint, pressed: bool) -> None:
    left = Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else left
    event = QMouseEvent(kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button,
                        left if pressed else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def _times(database: Database, item_id: int) -> tuple[dt.datetime, dt.datetime]:
    with database.read() as s:
        row = s.execute(select(AgendaItem.starts_at, AgendaItem.ends_at).where(AgendaItem.id == item_id)).one()
    return row.starts_at, row.ends_at


@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_a_timetable_drag_begun_before_another_move_asks(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], qtbot: QtBot,
        answer: list[Answer], choice: str) -> None:
    database, event_id = demo
    win1, win2 = windows
    win1.show_section(AGENDA)
    lunch = _item(database, event_id, ItemKind.LUNCH)
    start, end = _times(database, lunch)
    win2.show_section(AGENDA)
    page = win2.agenda_page
    page.select(("item", lunch))
    page.timetable_button.click()
    assert page.current_view() == TIMETABLE
    timetable = page.timetable
    timetable.ensure_visible(lunch)
    rect = timetable.block_rect(lunch)
    viewport = timetable.viewport()
    _mouse(viewport, QMouseEvent.Type.MouseButtonPress, rect.center(), True)  # window 2 takes hold of the block
    set_author("Workstation 1")
    win1.agenda_page.retime(lunch, start + dt.timedelta(minutes=15), end + dt.timedelta(minutes=15))  # meanwhile
    assert _times(database, lunch) == (start + dt.timedelta(minutes=15), end + dt.timedelta(minutes=15))
    set_author("Workstation 2")
    answering = Answer(choice)
    answer.append(answering)
    drop = rect.center() + QPoint(0, round(30 * timetable.zoom()))  # window 2 drops it 30 minutes later
    _mouse(viewport, QMouseEvent.Type.MouseMove, rect.center() + QPoint(0, 8), True)
    _mouse(viewport, QMouseEvent.Type.MouseMove, drop, True)
    _mouse(viewport, QMouseEvent.Type.MouseButtonRelease, drop, False)
    assert len(answering.seen) == 1
    assert set(answering.seen[0]["fields"]) == {"Starts", "Ends"}
    expected = 15 if choice == "theirs" else 30
    assert _times(database, lunch) == (start + dt.timedelta(minutes=expected), end + dt.timedelta(minutes=expected))


def test_an_undo_after_another_window_changed_the_field_is_refused_and_stays(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    database, event_id = demo
    win1, win2 = windows
    item_id = _item(database, event_id)
    original = _title(database, item_id)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: told.append((title, text))))
    set_author("Workstation 1")
    dialog1 = _open_item(win1, item_id)
    dialog1.titles.edit("title", "en").setText("Renamed by one")
    dialog1.accept()
    set_author("Workstation 2")
    dialog2 = _open_item(win2, item_id)  # opened after: no conflict
    dialog2.titles.edit("title", "en").setText("Renamed by two")
    dialog2.accept()
    assert _title(database, item_id)["en"] == "Renamed by two"

    set_author("Workstation 1")
    stack = win1.undo_stack
    assert (stack.index(), stack.count()) == (1, 1)
    win1.undo_action.trigger()
    assert len(told) == 1
    title, sentence = told[0]
    assert title.startswith("Cannot undo") and "Workstation 2" in sentence and "not undone" in sentence
    assert _title(database, item_id)["en"] == "Renamed by two"  # nothing changed
    assert (stack.index(), stack.count(), stack.canUndo(), stack.canRedo()) == (1, 1, True, False)  # still undoable

    set_author("Workstation 2")  # window 2 takes its own edit back: window 1's undo can go ahead now
    win2.undo_action.trigger()
    assert _title(database, item_id)["en"] == "Renamed by one"
    set_author("Workstation 1")
    win1.undo_action.trigger()
    assert len(told) == 1
    assert _title(database, item_id) == original
    assert (stack.index(), stack.canRedo()) == (0, True)


# -- the event ----------------------------------------------------------------------------------------


def test_two_event_dialogs_merge_by_field(windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int],
                                          answer: list[Answer]) -> None:
    from db.models import Event

    database, event_id = demo
    win1, win2 = windows
    dialogs = []
    for win in (win1, win2):  # both open Event → Edit
        win.event_actions._on_edit_action_triggered()
        dialogs.append(win.event_actions.dialog)
    first, second = dialogs
    set_author("Workstation 1")
    first.texts.edit("venue", "en").setText("Venue of one")
    first.texts.edit("city", "en").setText("City of one")
    first.accept()
    set_author("Workstation 2")
    second.texts.edit("city", "en").setText("City of two")
    second.texts.edit("subtitle", "en").setText("Subtitle of two")
    answering = Answer("mine")
    answer.append(answering)
    second.accept()
    assert [list(seen["fields"]) for seen in answering.seen] == [["City"]]
    with database.read() as s:
        venue, city, subtitle = s.execute(select(Event.venue, Event.city, Event.subtitle)
                                          .where(Event.id == event_id)).one()
    assert (venue["en"], city["en"], subtitle["en"]) == ("Venue of one", "City of two", "Subtitle of two")


# -- registrations ------------------------------------------------------------------------------------


def _registration(database: Database, event_id: int) -> int:
    with database.read() as s:
        return int(s.scalars(select(Registration.id).where(Registration.event_id == event_id)
                             .order_by(Registration.id)).first())


class Details:
    """Fills the registration Details dialog (modal) when it shows: ``meanwhile()`` first (the
    other workstation saves while it is open), then ``notes`` typed and Save; the second time
    it shows (after a Cancel at the conflict question), notes what it holds and closes."""

    def __init__(self, notes: str, meanwhile: Any) -> None:
        self.notes = notes
        self.meanwhile = meanwhile
        self.shown: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        from desktop.ui.registrations.dialogs import DetailsDialog

        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, DetailsDialog) and w.isVisible()]
        if not found:
            return
        dialog = found[0]
        self.shown.append(dialog.notes.toPlainText())
        if len(self.shown) == 1:
            self.meanwhile()
            dialog.notes.setPlainText(self.notes)
            dialog.accept()
        else:
            dialog.reject()


def _open_details(window: MainWindow, registration_id: int) -> None:
    window.show_section(REGISTRATIONS)
    page = window.registrations_page
    row = page.model.row_of(registration_id)
    assert row >= 0
    page._open_details(row)


@pytest.mark.parametrize("choice", ["mine", None])
def test_registration_details_both_changed_notes(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], other: Database,
        qtbot: QtBot, answer: list[Answer], choice: str | None) -> None:
    database, event_id = demo
    win1, win2 = windows
    rid = _registration(database, event_id)
    win2.show_section(REGISTRATIONS)  # window 2 reads the list before window 1 saves
    set_author("Workstation 1")
    with database.write() as s:  # window 1 (through core, as its Details dialog does)
        from desktop.core.registration_edit import update_details

        base = registration_details(s, rid).editable()
        update_details(s, rid, {"notes": "by one", "dietary": "vegetarian"}, base=base)
    set_author("Workstation 2")
    # Window 2's dialog reads the registration when it opens; window 1 saves again meanwhile.

    def meanwhile() -> None:
        set_author("Workstation 1")
        with database.write() as s:
            now = registration_details(s, rid).editable()
            update_details(s, rid, {"notes": "by one, again"}, base=now)
        set_author("Workstation 2")

    filler = Details("by two", meanwhile)
    answering = Answer(choice)
    answer.append(answering)
    _open_details(win2, rid)
    filler._timer.stop()
    with database.read() as s:
        now = registration_details(s, rid).editable()
    assert len(answering.seen) == 1 and list(answering.seen[0]["fields"]) == ["Notes"]
    assert now["dietary"] == "vegetarian"
    if choice == "mine":
        assert now["notes"] == "by two" and filler.shown == ["by one"]
    else:
        assert now["notes"] == "by one, again"
        assert filler.shown == ["by one", "by two"]  # the dialog stayed open with the user's input


def test_a_bulk_status_keeps_a_status_changed_meanwhile(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], answer: list[Answer]) -> None:
    from db.models import Status
    from desktop.core.registration_edit import set_status

    database, event_id = demo
    win1, win2 = windows
    win2.show_section(REGISTRATIONS)
    page = win2.registrations_page
    rows = page.model.rows()
    changed = next(r for r in rows if r.status not in (Status.CANCELLED, Status.CONFIRMED))
    ids = [changed.id, *(r.id for r in rows if r.id != changed.id)][:4]
    set_author("Workstation 1")
    with database.write() as s:  # window 1 cancels one of them meanwhile
        set_status(s, [changed.id], Status.CANCELLED, bases={changed.id: {"status": changed.status}})
    set_author("Workstation 2")
    answering = Answer("theirs")
    answer.append(answering)
    assert page.set_field(ids, "status", Status.CONFIRMED)
    assert len(answering.seen) == 1 and list(answering.seen[0]["fields"]) == ["Status"]
    with database.read() as s:
        stored = dict(s.execute(select(Registration.id, Registration.status).where(Registration.id.in_(ids))).all())
    assert stored[changed.id] == Status.CANCELLED
    assert all(stored[i] == Status.CONFIRMED for i in ids if i != changed.id)


# -- another process ------------------------------------------------------------------------------------


def test_another_process_saves_while_the_editor_is_open(
        qtbot: QtBot, styled_app: QApplication, database: Database, tmp_path: Path, answer: list[Answer]) -> None:
    window = _window(qtbot, database, tmp_path / "ws1.ini")
    pid = _person_without_phone(database)
    dialog = _open_person(window, pid)
    script = textwrap.dedent(f"""
        from dataclasses import replace
        from db.engine import open_database
        from desktop.core import people
        from desktop.core.changes import set_author
        set_author("Workstation 2")
        database = open_database({database.target.url!r})
        with database.read() as s:
            opened = people.load_person(s, {pid}, with_photo=False)
        with database.write() as s:
            people.update_person(s, {pid}, replace(opened, phone="+7 700 222 22 22"), base=opened)
        database.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[3],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    set_author("Workstation 1")
    dialog.phone.setText("+7 700 111 11 11")
    dialog.texts.edit("position", "en").setText("Clerk")
    answering = Answer("mine")
    answer.append(answering)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (seen,) = answering.seen
    assert "Workstation 2" in seen["heading"] and "+7 700 222 22 22" in seen["fields"]["Phone"]
    now = _stored_person(database, pid)
    assert (now.phone, now.position.get("en")) == ("+7 700 111 11 11", "Clerk")
    window.close()
