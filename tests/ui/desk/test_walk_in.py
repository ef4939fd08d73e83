"""The walk-in form's organisation: completed from the organisations' own names, and a
"Did you mean …?" for a near-twin of an existing one, whose name a click puts in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import Organisation, Person
from desktop.core.organisations import OrganisationNames
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from desktop.ui.desk.walk_in import WalkInDialog
from desktop.ui.shell.main_window import DESK, MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

ROWS = [(1, {"ru": "Министерство юстиции Республики Казахстан"}, {}),
        (2, {"en": "Supreme Court of the Republic of Kazakhstan"}, {"en": "SC"})]


@pytest.fixture
def dialog(qtbot: QtBot) -> WalkInDialog:
    made = WalkInDialog(OrganisationNames(ROWS))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_a_near_twin_is_suggested_and_a_click_puts_it_in(dialog: WalkInDialog, qtbot: QtBot) -> None:
    assert not dialog.similar_note.isVisible()
    dialog.organisation.setText("министерство юстиц")  # (QTest cannot type Cyrillic)
    assert not dialog.similar_note.isVisible()  # whole words only
    dialog.organisation.insert("ии")
    assert dialog.similar_note.isVisible()
    assert [s.id for s in dialog.suggestions()] == [1]
    assert dialog.similar_note.text() == 'Did you mean <a href="0">Министерство юстиции Республики Казахстан</a>?'
    dialog.similar_note.linkActivated.emit("0")  # what a click on the name sends
    assert dialog.organisation.text() == "Министерство юстиции Республики Казахстан"
    assert not dialog.similar_note.isVisible() and dialog.suggestions() == []


@pytest.mark.parametrize("typed", ["Министерство юстиции Республики Казахстан", "SC", "Рога и копыта", "Суд"])
def test_no_suggestion_for_an_existing_name_or_one_like_nothing(dialog: WalkInDialog, typed: str) -> None:
    dialog.organisation.setText(typed)
    assert not dialog.similar_note.isVisible() and dialog.suggestions() == []


def test_the_completer_offers_each_organisation_by_its_own_name(dialog: WalkInDialog) -> None:
    completer = dialog.organisation.completer()
    assert completer is not None
    model = completer.model()
    offered = [model.index(row, 0).data() for row in range(model.rowCount())]
    # No "(SC)" added to the name: what is picked is a name the organisation has.
    assert offered == ["Supreme Court of the Republic of Kazakhstan", "Министерство юстиции Республики Казахстан"]


def test_at_the_desk_the_suggestion_registers_them_at_the_existing_organisation(
        window: MainWindow, settings: QSettings, demo_db: Database, qtbot: QtBot) -> None:
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    window.show_section(DESK)
    page: DeskPage = window.desk_page
    with demo_db.read() as s:
        before = s.scalar(select(func.count()).select_from(Organisation))
        ministry = s.scalar(select(Organisation.id).where(
            Organisation.name["en"].as_string() == "Ministry of Justice of the Republic of Kazakhstan"))
    page.walk_in_button.click()
    dialog = page.walk_in_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    qtbot.waitUntil(page.settled)  # the organisations it offers are read behind the form
    dialog.family.setText("Walkerova")
    dialog.given.setText("Dana")
    qtbot.keyClicks(dialog.organisation, "Ministry of Justice")
    assert [s.id for s in dialog.suggestions()] == [ministry]
    dialog.use_suggestion(0)
    dialog.print_badge.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.settled)
    assert page.state_panel.state == "checked_in"
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == before
        assert s.scalar(select(Person.organisation_id).where(Person.family_name == "Walkerova")) == ministry
