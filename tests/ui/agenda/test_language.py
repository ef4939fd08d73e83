"""The Agenda section in Russian and Kazakh: the page (outline, timetable, conflicts panel,
menus), the session, item, shift and roster dialogs are built in the language, and none of
their texts — labels, buttons, actions and their tooltips, column headings, items of lists
and combo boxes, the timetable's tooltips — is an English message of the catalogs.

The check is made in English too, where it must find the messages (so it can fail)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QLocale, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.core.agenda import load_agenda
from desktop.core.agenda_edit import SessionData, create_session, load_session_data
from desktop.core.events import list_events
from desktop.ui.agenda.dialogs import PersonPicker
from desktop.ui.agenda.page import OUTLINE, TIMETABLE, AgendaPage
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.ui_language import apply_interface_language
from desktop.ui.shell.window import AGENDA
from resources.translations import catalogs
from tests.ui.visible_texts import living_children

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SHOTS = os.environ.get("CONFERENCE_DESK_SHOTS")  # a folder: the pictures go there, to look at
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")
_KEYS = re.compile(r"\s*\((?:Ctrl|Alt|Shift|Del|Enter|F\d)[^()]*\)$")


@cache
def english_messages() -> tuple[re.Pattern[str], ...]:
    """Every English message of the catalogs that Russian says otherwise, as a pattern
    (placeholders match any text); messages without a letter of their own are left out."""
    with catalogs.po_path("ru").open("rb") as f:
        po = read_po(f, locale="ru")
    patterns: list[re.Pattern[str]] = []
    for message in po:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in sources:
            source = source.replace("&", "")
            if source in (s.replace("&", "") for s in strings):
                continue
            if not re.search(r"[A-Za-z]{2}", _PLACEHOLDER.sub("", source)):
                continue
            parts = _PLACEHOLDER.split(source)
            patterns.append(re.compile(".+".join(re.escape(p) for p in parts), re.DOTALL))
    return tuple(patterns)


# English words in a row ("Not yet", "the session"): what the catalogs do not know yet (a
# text not marked for translation) shows itself by them; names and e-mails of the roster
# do not have them.
_ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{2,}\s+(?:the|of|to|in|on|and|or|is|not|no|with|by|for|from|yet|at|a|an)"
                            r"\s*\b", re.IGNORECASE)
_DATA = re.compile(r"\S+@\S+|#[0-9a-f]{6}|\w+/\w+", re.IGNORECASE)  # e-mails, colours, time zones


def english_in(texts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (where, text) whose text, a line of it, or it without its keys "(Ctrl+D)" is
    an English message, or that holds English words in a row."""
    found = []
    for where, text in texts:
        plain = _TAG.sub("\n", text).replace("&", "")
        candidates = {plain.strip(), *(line.strip(" •") for line in plain.splitlines())}
        candidates |= {_KEYS.sub("", c) for c in candidates}
        if (any(p.fullmatch(c) for c in candidates if c for p in english_messages())
                or _ENGLISH_WORDS.search(_DATA.sub("", _KEYS.sub("", plain)))):
            found.append((where, text))
    return found


def _model_texts(name: str, model: QAbstractItemModel | None) -> Iterator[tuple[str, str]]:
    if model is None:
        return
    flat = isinstance(model, QAbstractListModel)  # its columnCount is not Python's to call

    def columns(parent: QModelIndex) -> int:
        return 1 if flat else model.columnCount(parent)

    for column in range(columns(QModelIndex())):
        yield f"{name} heading {column}", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        yield f"{name} row {row} column {column}", value
            if not flat:
                stack.append(model.index(row, 0, parent))


def _action_texts(name: str, action: QAction) -> Iterator[tuple[str, str]]:
    yield f"{name} action", action.text()
    yield f"{name} action tooltip", action.toolTip()
    yield f"{name} action status tip", action.statusTip()
    menu = action.menu()
    if isinstance(menu, QMenu):
        yield from widget_texts(menu)


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text ``root`` and its children show or say (shown now or when they appear)."""
    out: list[tuple[str, str]] = []
    for widget in living_children(root):
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        out += [(f"{name} title", widget.windowTitle()), (f"{name} tooltip", widget.toolTip()),
                (f"{name} status tip", widget.statusTip()), (f"{name} accessible name", widget.accessibleName())]
        if isinstance(widget, QLabel):
            out.append((name, widget.text()))
        elif isinstance(widget, QAbstractButton):
            out.append((name, widget.text()))
        elif isinstance(widget, QLineEdit):
            out.append((f"{name} placeholder", widget.placeholderText()))
        elif isinstance(widget, QAbstractSpinBox):
            out += [(f"{name} suffix", getattr(widget, "suffix", lambda: "")()),
                    (f"{name} special", widget.specialValueText())]
        if isinstance(widget, QComboBox):
            out += [(f"{name} item {i}", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                out += [(f"{name} tab {i}", widget.tabText(i)), (f"{name} tab tip {i}", widget.tabToolTip(i))]
        if isinstance(widget, QMenu):
            out.append((f"{name} menu", widget.title()))
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            out += [(f"{name} heading {c}", header.text(c)) for c in range(header.columnCount())]
            for row in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(row)
                out += [(f"{name} row {row}", item.toolTip(c)) for c in range(item.columnCount())]
        elif isinstance(widget, QAbstractItemView):
            out += _model_texts(name, widget.model())
        for action in widget.actions():
            out += _action_texts(name, action)
    return [(where, text) for where, text in out if text]


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, styled_app: QApplication) -> Iterator[str]:
    """The interface language of the test (ours, Qt's words and locale), English after it."""
    before = QLocale()
    yield apply_interface_language(request.param)
    apply_interface_language("en")
    QLocale.setDefault(before)


def open_page(qtbot: QtBot, database: Database, settings: QSettings) -> AgendaPage:
    """The agenda of the demo event in the main window at 1280×800, in the interface
    language (its content too: it follows the interface language), with conflicts on show
    (a session without a moderator in a room taken)."""
    with database.write() as session:
        event_id = list_events(session)[0].id
        # A session without a moderator, in the room of the day's first session at its time.
        first = load_session_data(session, min(e.id for d in load_agenda(session, event_id).values()
                                               for e in d if e.is_session))
        create_session(session, event_id, SessionData(
            {"en": "Side meeting", "ru": "Встреча на полях", "kk": "Қосымша кездесу"},
            first.starts_at, first.ends_at, first.room_id))
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(AGENDA)
    page = window.agenda_page
    # qtbot holds the window weakly: the page keeps it, or the window (and the page with it)
    # goes whenever Python's collector comes round.
    page.kept_window = window  # type: ignore[attr-defined]
    qtbot.waitUntil(page.isVisible)
    page.show_view(OUTLINE)
    return page


def shoot(widget: QWidget, name: str) -> None:
    """The widget as a PNG in the folder ``CONFERENCE_DESK_SHOTS`` names, when it names one
    (to look at; kept out of the test's verdict)."""
    picture = widget.grab()  # drawn either way: the test reads texts as drawn
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        picture.save(str(Path(SHOTS) / f"{name}.png"))


def page_and_dialogs(qtbot: QtBot, database: Database, settings: QSettings, lang: str) -> list[tuple[str, str]]:
    """The texts of the page (both views, its menus) and of each of its dialogs."""
    page = open_page(qtbot, database, settings)
    texts = widget_texts(page)
    texts += widget_texts(page._context_menu())
    assert page.conflicts(), "the demo has a conflict to show"
    shoot(page.window(), f"page-outline-{lang}")

    page.show_view(TIMETABLE)
    timetable = page.timetable
    qtbot.waitUntil(lambda: timetable.isVisible())
    texts += widget_texts(timetable)
    for block in timetable.blocks():
        rect = timetable.block_rect(block.item_id) if block.item_id is not None else \
            timetable.band_rect(block.session_id)  # type: ignore[arg-type]
        if not rect.isEmpty():
            texts.append((f"timetable tooltip {block.item_id or block.session_id}",
                          timetable.tooltip_at(rect.center())))
    shoot(page.window(), f"page-timetable-{lang}")

    # The first session, then its first item.
    session_key = next(k for k in page.model.keys() if k[0] == "session")
    item_key = next(k for k in page.model.keys() if k[0] == "item" and page.select(k)
                    and page.current_entry() is not None and page.current_entry().people)  # type: ignore[union-attr]
    for key, name in ((session_key, "session"), (item_key, "item")):
        page.select(key)
        dialog = page.edit_selected()  # at the size it opens at
        assert dialog is not None
        qtbot.waitExposed(dialog)
        texts += widget_texts(dialog)
        shoot(dialog, f"{name}-dialog-{lang}")
        if name == "item":
            cast = dialog.cast  # type: ignore[attr-defined]
            cast.list.setCurrentItem(cast.list.topLevelItem(0))
            texts += widget_texts(cast)
            picker = PersonPicker(database, page._detail.summary.id, lang, None, edits=None)  # type: ignore[union-attr]
            qtbot.addWidget(picker)
            picker.show()
            picker.search.setText("zzzz-nobody")
            picker._search_roster()
            texts += widget_texts(picker)
            picker.search.setText("")
            picker._search_roster()
            texts += widget_texts(picker)
            shoot(picker, f"picker-{lang}")
            picker.reject()
        dialog.reject()
    page.select(item_key)
    new = page.new_item()
    assert new is not None
    texts += widget_texts(new)  # a new item: Save disabled, its tooltip saying what is missing
    new.reject()
    shift = page.shift_selected()
    assert isinstance(shift, QDialog)
    qtbot.waitExposed(shift)
    texts += widget_texts(shift)
    shoot(shift, f"shift-{lang}")
    shift.reject()
    return texts


def test_the_agenda_speaks_the_interface_language(qtbot: QtBot, demo_db: Database, settings: QSettings,
                                                  lang: str) -> None:
    texts = page_and_dialogs(qtbot, demo_db, settings, lang)
    assert len(texts) > 200
    english = english_in(texts)
    assert not english, f"{len(english)} English texts in {lang}: " + "; ".join(
        f"{where}: {text!r}" for where, text in english[:25])


def test_the_check_finds_english_in_english(qtbot: QtBot, demo_db: Database, settings: QSettings,
                                            styled_app: QApplication) -> None:
    """The same walk in English finds the catalogs' messages: the check can fail."""
    texts = page_and_dialogs(qtbot, demo_db, settings, "en")
    english = {text for _where, text in english_in(texts)}
    for sample in ("New session…", "Shift from here", "Add from the roster", "Moderators / chairs"):
        assert any(sample.replace("&", "") in t.replace("&", "") for t in english), sample
    assert len(english) > 60


def test_dates_and_conflicts_follow_the_language(qtbot: QtBot, demo_db: Database, settings: QSettings,
                                                 lang: str) -> None:
    """The day tabs and the conflicts' sentences are written as the language writes dates."""
    page = open_page(qtbot, demo_db, settings)
    month = {"ru": "февраля", "kk": "ақпан"}[lang]
    assert month in page.day_tabs.tabText(0)
    day_month = {"ru": "февр.", "kk": "ақп."}[lang]
    assert all(day_month in c.message for c in page.conflicts())
    assert all("«" in c.message and "“" not in c.message for c in page.conflicts())
    assert dt.date(2025, 2, 28) in page.days()
