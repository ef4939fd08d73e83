"""The session and item dialogs (desktop/ui/agenda/dialogs.py) as a user meets them: a clicked
time field takes the time typed, moving the start keeps the length, and a new form shows
no error before anything is typed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt, QTime
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from db.engine import Database
from db.models import ItemKind
from desktop.core.agenda_edit import ItemData, SessionData
from desktop.core.events import list_events
from desktop.ui.agenda.dialogs import ItemDialog, SessionDialog, StepTimeEdit

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

DAY = dt.date(2025, 2, 28)


def at(hours: int, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


@pytest.fixture
def event_id(demo_db: Database) -> int:
    with demo_db.read() as session:
        return list_events(session)[0].id


def item_dialog(qtbot: QtBot, database: Database, event_id: int, starts: dt.datetime, ends: dt.datetime,
                *, new: bool = False) -> ItemDialog:
    data = ItemData(ItemKind.PRESENTATION, {"en": "Keynote"}, starts, ends)
    dialog = ItemDialog(database, event_id, "en", DAY, [], [], data, is_new=new)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_into(qtbot: QtBot, edit: StepTimeEdit, where: str) -> None:
    """A click that gives the field the focus, on its hours (at the left) or its minutes."""
    line = edit.findChild(QLineEdit)
    assert line is not None
    edit.window().activateWindow()
    qtbot.waitUntil(edit.window().isActiveWindow)
    x = 6 if where == "hours" else line.fontMetrics().horizontalAdvance("00:0") + 2
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, line.height() // 2))
    qtbot.waitUntil(edit.hasFocus)


def type_time(qtbot: QtBot, edit: StepTimeEdit, typed: str) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClicks(focus, typed)
    qtbot.keyClick(focus, Qt.Key.Key_Tab)  # leaving the field sets the time


def hhmm(edit: StepTimeEdit) -> str:
    return edit.time().toString("HH:mm")


@pytest.mark.parametrize("where", ["hours", "minutes"])
@pytest.mark.parametrize(("typed", "expected"), [("10:30", "10:30"), ("1030", "10:30"), ("9:05", "09:05")])
def test_a_clicked_time_takes_the_whole_time_typed(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                   event_id: int, where: str, typed: str, expected: str) -> None:
    """Qt leaves the cursor where the click fell: "10:30" typed after a click on the hours of
    16:00 gave 16:30, and on its minutes 16:00."""
    dialog = item_dialog(qtbot, demo_db, event_id, at(16), at(16, 30))
    click_into(qtbot, dialog.starts, where)
    type_time(qtbot, dialog.starts, typed)
    assert hhmm(dialog.starts) == expected


def test_moving_the_start_keeps_the_length(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                           event_id: int) -> None:
    dialog = item_dialog(qtbot, demo_db, event_id, at(16), at(16, 30))
    click_into(qtbot, dialog.starts, "minutes")
    type_time(qtbot, dialog.starts, "10:30")
    assert (hhmm(dialog.starts), hhmm(dialog.ends)) == ("10:30", "11:00")
    assert dialog.length_label.text() == "30 min" and dialog.save_button.isEnabled()
    dialog.starts.setCurrentSection(StepTimeEdit.Section.MinuteSection)
    dialog.starts.stepBy(3)  # the arrows, by five minutes
    assert (hhmm(dialog.starts), hhmm(dialog.ends)) == ("10:45", "11:15")
    # The end set by hand changes the length; the start then moves with the new one.
    dialog.ends.setTime(QTime(12, 0))
    dialog.starts.setTime(QTime(11, 0))
    assert hhmm(dialog.ends) == "12:15" and dialog.length_label.text() == "1 h 15 min"


def test_the_end_stops_at_midnight(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                   event_id: int) -> None:
    session = SessionDialog(demo_db, event_id, "en", DAY, [], SessionData({"en": "Late"}, at(20), at(22)))
    qtbot.addWidget(session)
    session.starts.setTime(QTime(23, 0))
    assert hhmm(session.ends) == "23:59"


def test_a_new_session_shows_no_error_before_anything_is_typed(qtbot: QtBot, styled_app: QApplication,
                                                               demo_db: Database, event_id: int) -> None:
    dialog = SessionDialog(demo_db, event_id, "en", DAY, [], None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = dialog.titles.edit("title", "en")
    assert not dialog.problem.isVisible() and not title.property("invalid")
    assert not dialog.save_button.isEnabled()  # still: a session needs a title
    assert "needs a title" in dialog.save_button.toolTip()
    # Typing and then clearing the title is touching it: now the error shows.
    title.setText("Opening")
    assert dialog.save_button.isEnabled() and dialog.save_button.toolTip() == ""
    title.setText("")
    assert dialog.problem.isVisible() and "needs a title" in dialog.problem.text()
    assert title.property("invalid")


def test_leaving_an_empty_title_or_trying_to_save_shows_the_error(qtbot: QtBot, styled_app: QApplication,
                                                                  demo_db: Database, event_id: int) -> None:
    dialog = ItemDialog(demo_db, event_id, "en", DAY, [], [], None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    title = dialog.titles.edit("title", "en")
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    assert not dialog.problem.isVisible()
    dialog.room.setFocus()  # Tab away from the empty title
    qtbot.waitUntil(lambda: dialog.problem.isVisible())
    assert "needs a title" in dialog.problem.text()

    other = ItemDialog(demo_db, event_id, "en", DAY, [], [], None)
    qtbot.addWidget(other)
    assert other.problem.isHidden()
    other.accept()  # Save pressed (Enter): refused, and every error shows
    assert other.result() != ItemDialog.DialogCode.Accepted
    assert not other.problem.isHidden() and "needs a title" in other.problem.text()


def test_an_entry_edited_shows_its_problems_at_once(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                   event_id: int) -> None:
    """A stored entry's problems are about what is stored, not about the user's typing."""
    dialog = item_dialog(qtbot, demo_db, event_id, at(16), at(15))
    assert dialog.problem.isVisible() and "must end after it starts" in dialog.problem.text()
