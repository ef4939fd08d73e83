"""The Events section and the event bar in Russian and Kazakh: the event dialog (each tab, its
problems and warnings), the duplicate and add-partner dialogs, the Event menu with its
questions and status-bar messages, the event bar and the empty-database page show no
English message of the catalog, and core's sentences about events come in the language asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import PartnerRole, Room
from desktop.core.event_edit import EventData, room_usage, validate_event
from desktop.core.event_lifecycle import event_impact
from desktop.core.events import EventNotFound, list_events, resolve_event
from desktop.core.language import speaking, words
from desktop.ui.events.dialog import AddPartnerDialog, DuplicateEventDialog, EventDialog
from desktop.ui.shell.event_bar import EventBar
from desktop.ui.shell.main_window import EmptyDatabasePage, MainWindow
from tests.images import png
from tests.ui.visible_texts import english_left, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

LANGS = ("ru", "kk")


@pytest.fixture(autouse=True)
def qt_speaks_it(request: pytest.FixtureRequest, styled_app: QApplication) -> Iterator[None]:
    """Qt's own words (the dialogs' standard buttons) in the test's language too, as the
    application loads them; English again after."""
    from PySide6.QtCore import QLocale

    from desktop.ui.shell.ui_language import apply_interface_language

    lang = getattr(request.node, "callspec", None) and request.node.callspec.params.get("lang")
    before = QLocale()
    apply_interface_language(lang or "en")
    yield
    apply_interface_language("en")
    QLocale.setDefault(before)


def _event_id(database: Database) -> int:
    with database.read() as s:
        return list_events(s)[0].id


def _checked(texts: list[str], lang: str, at_least: int) -> None:
    assert len(set(texts)) >= at_least, texts  # the walk found the widgets' texts
    left = english_left(texts, lang)
    assert not left, f"English in {lang}: {left}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_event_dialog_speaks_the_interface_language(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, title, text, *_a: asked.extend([title, text]) or QMessageBox.StandardButton.No)
    with speaking(lang):
        dialog = EventDialog(demo_db, lang, _event_id(demo_db), None, settings)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        # Problems and warnings of every kind: a time zone that is none, a room named twice,
        # a title without its Russian, agenda outside the dates.
        dialog.timezone.setEditText("Atlantis/Capital")
        dialog.rooms_model.setData(dialog.rooms_model.index(1, 0), dialog.rooms_model.room(0).spec.name["en"])
        dialog.texts.edit("title", "ru").setText("")
        dialog.texts.edit("venue", "kk").setText("")
        dialog.starts_on.setDate(dialog.starts_on.date().addDays(7))
        dialog.rooms_model.add({"en": "Annex"})  # a room without its Russian and Kazakh names
        texts: list[str] = []
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            texts += visible_texts(dialog)
        assert dialog.problems.text() and dialog.warnings.text() and dialog.days_label.text()
        dialog.tabs.setCurrentIndex(1)
        dialog.rooms_view.selectRow(0)
        dialog.remove_room_button.click()  # the room is used: asked first
        assert dialog.tabs.tabText(0) == words(lang)._("&General") != "&General"
    assert len(asked) == 2
    _checked(texts + asked, lang, 60)


@pytest.mark.parametrize("lang", LANGS)
def test_the_duplicate_and_add_partner_dialogs_speak_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, lang: str) -> None:
    with speaking(lang):
        duplicate = DuplicateEventDialog("Круглый стол", dt.date(2025, 2, 28), dt.date(2025, 2, 28))
        qtbot.addWidget(duplicate)
        duplicate.start.setDate(QDate(2025, 2, 20))  # earlier
        earlier = duplicate.summary.text()
        duplicate.start.setDate(QDate(2026, 3, 2))
        texts = visible_texts(duplicate) + [earlier]
        partner = AddPartnerDialog(demo_db, lang)
        qtbot.addWidget(partner)
        # The organisation picker is the roster's (People), checked with that section.
        texts += visible_texts(partner, skip=[partner.picker])
    assert earlier != duplicate.summary.text()
    _checked(texts, lang, 10)


@pytest.mark.parametrize("lang", LANGS)
def test_the_event_bar_and_the_empty_page_speak_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, lang: str) -> None:
    with demo_db.read() as s:
        events = list_events(s)
    with speaking(lang):
        bar = EventBar()
        qtbot.addWidget(bar)
        bar.set_language(lang)
        bar.set_events(events, events[0].id)
        bar.set_logos([(png(40, 20), "Верховный суд", PartnerRole.ORGANISER),
                       (png(40, 20), "ПРООН", PartnerRole.FUNDER)])
        empty = EmptyDatabasePage()
        qtbot.addWidget(empty)
        texts = visible_texts(bar) + bar.logo_names()
        for available in (True, False):
            empty.set_demo_available(available)
            texts += visible_texts(empty)
        assert bar.current_event() is not None and bar.current_event().is_demo  # type: ignore[union-attr]
        assert words(lang).n_("{n} day", "{n} days", 2) != "{n} days"
    assert bar.logo_names()[0].startswith(words(lang).p_("partner", "Organiser"))
    _checked(texts, lang, 10)


@pytest.mark.parametrize("lang", LANGS)
def test_the_event_menu_asks_and_reports_in_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    asked: list[str] = []

    def answer(_parent: Any, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.extend([title, text])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    with speaking(lang):
        window = MainWindow(demo_db, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        actions = window.event_actions
        texts = visible_texts(actions.menu)
        actions.duplicate_action.trigger()
        dialog = actions.dialog
        assert isinstance(dialog, QWidget)
        qtbot.waitExposed(dialog)
        texts += visible_texts(dialog)
        dialog.accept()  # type: ignore[attr-defined]
        texts.append(window.statusBar().currentMessage())
        texts.append(window.undo_stack.undoText())
        actions.delete_action.trigger()
        texts.append(window.statusBar().currentMessage())
        texts.append(window.undo_stack.undoText())
    assert len(asked) == 2 and all(asked)
    _checked(texts + asked, lang, 15)


@pytest.mark.parametrize("lang", LANGS)
def test_core_sentences_about_events_come_in_the_language_asked(demo_db: Database, lang: str) -> None:
    event_id = _event_id(demo_db)
    with speaking(lang), demo_db.read() as s:
        sentences = [event_impact(s, event_id, lang).sentence()]
        with pytest.raises(EventNotFound) as missing:
            resolve_event(s, event_id + 99)
        sentences.append(str(missing.value))
        sentences += [p.message for p in validate_event(EventData(
            title={"en": "x" * 600}, starts_on=dt.date(2025, 3, 2), ends_on=dt.date(2025, 3, 1),
            timezone="Nowhere/City", venue={"en": "Astana"}, languages=("ru", "kk", "e1"))).problems]
        room_id = s.scalar(select(Room.id).where(Room.event_id == event_id))
        sentences.append(room_usage(s, room_id, lang).sentence())
    assert len(sentences) >= 8
    assert str(event_id + 99) in sentences[1]
    _checked(sentences, lang, 8)
