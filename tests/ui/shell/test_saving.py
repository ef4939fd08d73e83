"""Editors save from inside (``desktop.ui.shell.saving``): two windows — two ``Database``
objects on one file or server, as two workstations are — open the same person,
organisation, event, session or agenda item; window 1 changes a field and saves; window 2
changes the same field and saves. The question which value to keep comes up; answered
Cancel, nothing is saved and window 2's editor is still open with everything typed in it;
Save again, answered "keep mine", saves the user's value and closes the editor, as one
entry on the undo stack (which takes it back to window 1's value). A save the database
refuses leaves the editor open too (the window says why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, Event, Organisation, Person
from desktop.core.changes import set_author
from desktop.ui.shell.main_window import AGENDA, PEOPLE, MainWindow
from tests.ui.shell import test_conflicts
from tests.ui.shell.test_conflicts import Answer, _open_person, _window

answer = test_conflicts.answer  # the fixture that answers the conflict dialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # dialogs, offscreen


@pytest.fixture
def windows(qtbot: QtBot, styled_app: QApplication, demo: tuple[Database, int], workstation_2: Database,
            tmp_path: Path) -> Iterator[tuple[MainWindow, MainWindow]]:
    first = _window(qtbot, demo[0], tmp_path / "ws1.ini")
    second = _window(qtbot, workstation_2, tmp_path / "ws2.ini")
    yield first, second
    second.close()
    first.close()


# -- the editors ----------------------------------------------------------------------------------------


def _first(database: Database, query: Any) -> int:
    with database.read() as s:
        return int(s.scalars(query).first())


def _open_organisation(window: MainWindow, organisation_id: int) -> QDialog:
    window.show_section(PEOPLE)
    window.people_page._open_organisation_dialog(organisation_id)
    dialog = window.people_page.organisation_dialog
    assert dialog is not None
    return dialog


def _open_event(window: MainWindow, _event_id: int) -> QDialog:
    window.event_actions._on_edit_action_triggered()
    dialog = window.event_actions.dialog
    assert dialog is not None
    return dialog


def _open_entry(kind: str) -> Callable[[MainWindow, int], QDialog]:
    def open_(window: MainWindow, entry_id: int) -> QDialog:
        window.show_section(AGENDA)
        page = window.agenda_page
        page.select((kind, entry_id))
        dialog = page.edit_selected()
        assert dialog is not None and page.dialog is dialog
        return dialog
    return open_


def _text(table: Any, column: str, lang: str | None = "en") -> Callable[[Database, int], str]:
    def stored(database: Database, row_id: int) -> str:
        with database.read() as s:
            value = s.scalar(select(getattr(table, column)).where(table.id == row_id))
        return str(value.get(lang, "") if lang is not None else value)
    return stored


@dataclass(frozen=True)
class Editor:
    """One kind of editor: which row it edits, how it opens, the field both windows change,
    another field only window 2 changes, its Save button, its values, and the stored value."""

    row: Callable[[Database, int], int]
    open: Callable[[MainWindow, int], QDialog]
    field: Callable[[Any], QLineEdit]
    own_field: Callable[[Any], QLineEdit]
    save: Callable[[Any], QPushButton]
    values: Callable[[Any], object]
    stored: Callable[[Database, int], str]


EDITORS = {
    "person": Editor(
        lambda db, _e: _first(db, select(Person.id).where(Person.phone.is_(None)).order_by(Person.id)),
        _open_person, lambda d: d.phone, lambda d: d.email, lambda d: d.save_button,
        lambda d: (d.person_data(), d.new_organisation()), _text(Person, "phone", None)),
    "organisation": Editor(
        lambda db, _e: _first(db, select(Organisation.id).order_by(Organisation.id)),
        _open_organisation, lambda d: d.texts.edit("name", "ru"), lambda d: d.texts.edit("short_name", "kk"),
        lambda d: d.save_button, lambda d: d.organisation_data(), _text(Organisation, "name", "ru")),
    "event": Editor(
        lambda _db, event_id: event_id,
        _open_event, lambda d: d.texts.edit("city", "en"), lambda d: d.texts.edit("venue", "kk"),
        lambda d: d.ok_button, lambda d: d.event_edit(), _text(Event, "city")),
    "session": Editor(
        lambda db, e: _first(db, select(AgendaSession.id).where(AgendaSession.event_id == e)
                             .order_by(AgendaSession.starts_at, AgendaSession.id)),
        _open_entry("session"), lambda d: d.titles.edit("title", "en"), lambda d: d.titles.edit("title", "kk"),
        lambda d: d.save_button, lambda d: d.data(), _text(AgendaSession, "title")),
    "item": Editor(
        lambda db, e: _first(db, select(AgendaItem.id).where(AgendaItem.event_id == e)
                             .order_by(AgendaItem.starts_at, AgendaItem.id)),
        _open_entry("item"), lambda d: d.titles.edit("title", "en"), lambda d: d.titles.edit("title", "kk"),
        lambda d: d.save_button, lambda d: d.data(), _text(AgendaItem, "title")),
}


def _finished(dialog: QDialog) -> list[int]:
    """The results the dialog finished with (it deletes itself once closed)."""
    results: list[int] = []
    dialog.finished.connect(results.append)
    return results


# -- the tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EDITORS))
def test_cancel_at_the_question_keeps_the_editor_open_then_keep_mine_saves_and_closes(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], qtbot: QtBot,
        answer: list[Answer], kind: str) -> None:
    editor = EDITORS[kind]
    database, event_id = demo
    win1, win2 = windows
    row = editor.row(database, event_id)
    dialog1, dialog2 = editor.open(win1, row), editor.open(win2, row)  # both open the editor
    closed1, closed2 = _finished(dialog1), _finished(dialog2)

    set_author("Workstation 1")
    editor.field(dialog1).setText("+7 700 000 00 01" if kind == "person" else "Theirs")
    editor.save(dialog1).click()
    assert closed1 == [QDialog.DialogCode.Accepted]  # no question: saved and closed
    theirs = editor.stored(database, row)
    assert theirs in ("+7 700 000 00 01", "Theirs")

    set_author("Workstation 2")
    mine = "+7 700 000 00 02" if kind == "person" else "Mine"
    editor.field(dialog2).setText(mine)
    editor.own_field(dialog2).setText("own@example.org" if kind == "person" else "Мой")
    typed = editor.values(dialog2)
    answering = Answer(None)
    answer.append(answering)
    editor.save(dialog2).click()
    assert len(answering.seen) == 1  # asked which value to keep; cancelled
    assert answering.seen[0]["parent"] is dialog2  # the question over the editor, where the user looks
    assert closed2 == [] and dialog2.isVisible()  # the editor is still open ...
    assert editor.field(dialog2).text() == mine  # ... with the user's typing
    assert editor.values(dialog2) == typed
    assert editor.stored(database, row) == theirs  # nothing saved
    assert win2.undo_stack.count() == 0 and win2.edits.cancelled

    answering.choice = "mine"  # Save again: keep mine
    editor.save(dialog2).click()
    assert len(answering.seen) == 2
    assert closed2 == [QDialog.DialogCode.Accepted]  # saved, then closed
    assert editor.stored(database, row) == mine
    stack = win2.undo_stack
    assert (stack.count(), stack.index()) == (1, 1)  # one entry on the undo stack
    win2.undo_action.trigger()
    assert editor.stored(database, row) == theirs  # its undo puts back window 1's value


def test_a_refused_save_keeps_the_editor_open_with_the_typing(
        windows: tuple[MainWindow, MainWindow], demo: tuple[Database, int], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core import people

    database, event_id = demo
    win1, win2 = windows
    editor = EDITORS["person"]
    row = editor.row(database, event_id)
    told: list[tuple[str, str, object]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: told.append((title, text, parent))))
    dialog = editor.open(win2, row)
    closed = _finished(dialog)
    set_author("Workstation 1")
    with database.write() as s:  # window 1 takes the person out of the roster meanwhile
        people.delete_person(s, row)
    set_author("Workstation 2")
    editor.field(dialog).setText("+7 700 000 00 02")
    typed = editor.values(dialog)
    editor.save(dialog).click()
    assert len(told) == 1 and told[0][0] == "Cannot save the change"  # the window said why ...
    assert told[0][2] is dialog  # ... over the editor, which stays open
    assert closed == [] and dialog.isVisible() and editor.values(dialog) == typed
    assert win2.undo_stack.count() == 0
    dialog.reject()  # the user gives up: Cancel closes it
    assert closed == [QDialog.DialogCode.Rejected]
