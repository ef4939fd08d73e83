"""The window's history (issue 15 part 4): Edit → History of Selection… lists a
registration's, a person's and an agenda item's changes — when, who, what, from → to, in
words, newest first, an undo included; the event's history and its export; the name the
workstation's edits carry, kept in the settings. On SQLite and PostgreSQL (offscreen)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, Registration
from desktop.core import agenda_edit as ae
from desktop.core import changes, people
from desktop.core.changes import revert, set_author
from desktop.core.language import interface_language, set_interface_language
from desktop.core.registration_edit import registration_details, update_details
from desktop.ui.shell.history import AUTHOR_KEY, HistoryDialog
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.window import REGISTRATIONS

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
SHOTS = os.environ.get("HISTORY_SHOTS")  # a folder: the screenshots are kept there


@pytest.fixture
def edited(demo: tuple[Database, int]) -> Any:
    """The demo with edits by three people: a phone, an item's title, a status and its undo."""
    database, event_id = demo
    with database.read() as s:
        rid, pid = s.execute(select(Registration.id, Registration.person_id).where(Registration.event_id == event_id)
                             .order_by(Registration.id).limit(1)).one()
        person = people.load_person(s, pid, with_photo=False)
        item_id = int(s.scalar(select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.id)))
        item = ae.load_item_data(s, item_id)
        base = registration_details(s, rid).editable()
    try:
        set_author("Aigerim")
        with database.write() as s:
            people.update_person(s, pid, replace(person, phone="+7 700 123 45 67"), base=person)
        with database.write() as s:
            ae.update_item(s, item_id, replace(item, title={**item.title, "en": "Welcome and opening"}), base=item)
        set_author("Bolat")
        with database.write() as s:
            change = update_details(s, rid, {**base, "status": "declined"}, base=base)
        set_author("Dana")
        with database.write() as s:
            revert(s, change)
    finally:
        set_author("")
    yield database, event_id, {"registration": rid, "person": pid, "agenda_item": item_id}
    set_author("")


def _window(qtbot: QtBot, database: Database, settings: QSettings) -> MainWindow:
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _rows(dialog: HistoryDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [tuple(model.text(r, c) for c in range(1, model.columnCount())) for r in range(model.rowCount())]


def test_history_of_the_selected_registration(qtbot: QtBot, styled_app: QApplication, edited: Any,
                                              settings: QSettings, tmp_path: Path) -> None:
    database, _event_id, ids = edited
    window = _window(qtbot, database, settings)
    window.show_section(REGISTRATIONS)
    page = window.registrations_page
    row = page.model.ids_of(list(range(page.model.rowCount()))).index(ids["registration"])
    page.view.selectRow(row)
    assert page.selected_ids() == [ids["registration"]]
    before = set(QApplication.topLevelWidgets())
    window.history_actions.row_action.trigger()  # Ctrl+Shift+H
    (dialog,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryDialog) and w not in before]
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    was = rows[1][4]  # the demo's status, in words
    assert was not in ("Declined", "", "—")
    assert [(who, change, old, new) for who, _what, _which, change, old, new in rows] == [
        ("Dana", "Status", "Declined", was), ("Bolat", "Status", was, "Declined")]
    assert dialog.view.model().rowCount() == 2 and dialog.model.text(0, 0)  # when, in this computer's time
    assert "Registration" in dialog.windowTitle()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_history_views_in_each_language(qtbot: QtBot, styled_app: QApplication, edited: Any, settings: QSettings,
                                        tmp_path: Path, lang: str) -> None:
    database, _event_id, ids = edited
    before = interface_language()
    set_interface_language(lang)
    try:
        window = _window(qtbot, database, settings)
        person = window.history_actions.show_row("person", ids["person"])
        item = window.history_actions.show_row("agenda_item", ids["agenda_item"])
        event = window.history_actions.show_event()
        assert person is not None and item is not None and event is not None
        for dialog in (person, item, event):
            qtbot.addWidget(dialog)
        phone = [r for r in _rows(person) if r[5] == "+7 700 123 45 67"]
        assert phone and phone[0][0] == "Aigerim" and phone[0][3] == {"en": "Phone", "ru": "Телефон",
                                                                       "kk": "Телефон"}[lang]
        title = [r for r in _rows(item) if r[5] == "Welcome and opening"]
        assert title and title[0][0] == "Aigerim"
        assert len(_rows(event)) >= 4
        headers = [event.model.headerData(c, Qt.Orientation.Horizontal) for c in range(event.model.columnCount())]
        if lang != "en":
            assert "When" not in headers and "Who" not in headers
        for name, dialog in (("person", person), ("event", event)):
            path = Path(SHOTS or tmp_path) / f"history-{name}-{lang}.png"
            assert dialog.grab().save(str(path))
    finally:
        set_interface_language(before)


def test_export_and_the_name_in_the_history(qtbot: QtBot, styled_app: QApplication, edited: Any,
                                            settings: QSettings, tmp_path: Path) -> None:
    database, _event_id, _ids = edited
    settings.setValue(AUTHOR_KEY, "Erlan at the front desk")
    window = _window(qtbot, database, settings)
    assert changes.author() == "Erlan at the front desk"  # applied when the window starts
    target = tmp_path / "history.xlsx"
    assert window.history_actions.export(str(target))
    from openpyxl import load_workbook

    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][1:] == ("Who", "What", "Which", "Change", "From", "To")
    assert {r[1] for r in rows[1:]} == {"Aigerim", "Bolat", "Dana"} and len(rows) >= 5
    window.history_actions.set_author_name("  Dana   K. ")
    assert settings.value(AUTHOR_KEY) == "Dana K." and changes.author() == "Dana K."
