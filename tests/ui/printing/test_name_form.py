"""How badges and name cards write names: the event's setting in the event dialog (saved,
undone), offered again by the print dialog for one print; the print dialog's choice reaches
the PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.engine import Database
from db.models import Event, NameForm, Person, Registration
from desktop.core.language import speaking
from desktop.ui.events.dialog import EventDialog
from desktop.ui.printing.dialogs import BADGES, CERTIFICATES, NAME_CARDS, SELECTED, SIGN_IN, PrintDialog
from desktop.ui.printing.pdf_preview import PdfPreviewDialog
from desktop.ui.shell.main_window import MainWindow
from tests.exports.pdf_tools import page_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def badge_name_of(database: Database) -> NameForm:
    with database.read() as s:
        return NameForm(s.scalar(select(Event.badge_name)))


def test_the_event_dialog_sets_the_form_and_undo_takes_it_back(qtbot: QtBot, window: MainWindow) -> None:
    database = window.database
    assert database is not None and badge_name_of(database) is NameForm.SHORT
    window.event_actions.edit_action.trigger()
    dialog: EventDialog = window.event_actions.dialog
    qtbot.waitExposed(dialog)
    assert dialog.badge_name.currentData() == "short"
    assert [dialog.badge_name.itemText(i) for i in range(2)] == ["Given name and surname", "Full name, as in lists"]
    dialog.badge_name.setCurrentIndex(dialog.badge_name.findData("full"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert badge_name_of(database) is NameForm.FULL
    window.undo_stack.undo()
    assert badge_name_of(database) is NameForm.SHORT


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    shown: list[bytes] = []

    def fake_exec(self: PdfPreviewDialog) -> int:
        shown.append(self.path.read_bytes())
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return shown


def _someone(database: Database) -> tuple[int, str, str, str]:
    with database.read() as s:
        return tuple(s.execute(  # type: ignore[return-value]
            select(Registration.id, Person.given_name, Person.family_name, Person.patronymic)
            .join(Person, Person.id == Registration.person_id)
            .where(Person.patronymic.is_not(None), Person.display_name == {})
            .order_by(Registration.id).limit(1)).one())


def _text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shown.pdf"
        path.write_bytes(data)
        return " ".join("\n".join(page_texts(path)).split())


def test_the_print_dialog_starts_from_the_events_form_and_prints_the_one_chosen(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
        previews: list[bytes]) -> None:
    with demo_db.write() as s:
        s.execute(update(Event).values(badge_name=NameForm.FULL))
        event_id = s.scalar(select(Event.id))
    rid, given, family, patronymic = _someone(demo_db)
    dialog = PrintDialog(demo_db, event_id, NAME_CARDS, lang="ru", selected_ids=[rid], settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    form = dialog._form  # noqa: SLF001
    assert dialog.name_combo.currentData() == "full" and form.isRowVisible(dialog.name_combo)
    for kind, shown in ((SIGN_IN, False), (CERTIFICATES, False), (BADGES, True), (NAME_CARDS, True)):
        dialog.set_kind(kind)
        assert form.isRowVisible(dialog.name_combo) is shown, kind
    dialog.set_who(SELECTED)
    with qtbot.waitSignal(dialog.built, timeout=30000):
        dialog.build()
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    assert f"{family} {given} {patronymic}" in _text(previews[0])

    again = PrintDialog(demo_db, event_id, NAME_CARDS, lang="ru", selected_ids=[rid], settings=settings)
    qtbot.addWidget(again)
    again.set_who(SELECTED)
    again.name_combo.setCurrentIndex(again.name_combo.findData("short"))  # for this print only
    with qtbot.waitSignal(again.built, timeout=30000):
        again.build()
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=10000)
    assert f"{given} {family}" in _text(previews[1]) and patronymic not in _text(previews[1])
    assert badge_name_of(demo_db) is NameForm.FULL


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_choice_is_in_the_interface_language(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                 settings: QSettings, lang: str) -> None:
    with speaking(lang):
        with demo_db.read() as s:
            event_id = s.scalar(select(Event.id))
        dialog = PrintDialog(demo_db, event_id, BADGES, lang=lang, settings=settings)
        qtbot.addWidget(dialog)
        words: list[Any] = [dialog.name_combo.itemText(i) for i in range(dialog.name_combo.count())]
        words.append(dialog.name_combo.toolTip())
        words.append(dialog._form.labelForField(dialog.name_combo).text())  # noqa: SLF001
    assert all(w and not w.isascii() for w in words), words
    assert "Given name and surname" not in words
