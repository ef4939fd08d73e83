"""The Registrations search understands what the desk understands: a name typed on the wrong
keyboard layout, or spelled in the other alphabet, shows the person, and the page says what
else it read the text as."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from db.engine import Database
from db.models import Person, Registration, Status
from db.types import utcnow
from desktop.ui.registrations.page import RegistrationsPage
from desktop.ui.shell.main_window import REGISTRATIONS, MainWindow
from tests.ui.registrations.test_page import event_id_of, type_text

WAIT_MS = 3000
PEOPLE = [("Айгерим", "Нурланова"), ("Pamela", "Harris"), ("Ержан", "Жиенбаев")]


@pytest.fixture
def added(demo_db: Database) -> dict[str, int]:
    """The people of PEOPLE registered for the demo event (family name → registration id),
    written as another program would (their skeletons not made yet)."""
    event_id = event_id_of(demo_db)
    now = utcnow()
    ids = {}
    with demo_db.write() as s:
        for n, (given, family) in enumerate(PEOPLE):
            pid = s.execute(insert(Person).values(
                uuid=uuid.uuid4(), given_name=given, family_name=family, display_name={}, position={}, bio={},
                created_at=now, updated_at=now)).inserted_primary_key[0]
            ids[family] = s.execute(insert(Registration).values(
                uuid=uuid.uuid4(), event_id=event_id, person_id=pid, badge_code=f"MEAN{n + 2}{n + 2}",
                status=Status.CONFIRMED, created_at=now, updated_at=now)).inserted_primary_key[0]
    return ids


@pytest.fixture
def page(qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
         added: dict[str, int]) -> Iterator[RegistrationsPage]:
    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(REGISTRATIONS)
    yield window.registrations_page


def search(qtbot: QtBot, page: RegistrationsPage, text: str) -> None:
    """Type ``text`` into the emptied search field and wait for the list."""
    page.search_field.clear()
    page.search_field.setFocus()
    type_text(page.search_field, text)
    qtbot.waitUntil(lambda: not page.search_timer.isActive(), timeout=WAIT_MS)


def shown(page: RegistrationsPage) -> list[int]:
    return [row.id for row in page.model.rows()]


@pytest.mark.parametrize(("typed", "family", "note"), [
    ("Fquthbv", "Нурланова", "Also found as typed on the Russian layout: Айгерим"),
    ("Зфьудф", "Harris", "Also found as typed on the English layout: Pamela"),
    ("zhienbayev", "Жиенбаев", "Also found names spelled like “zhienbayev” in Cyrillic"),
])
def test_a_name_typed_as_meant_shows_the_person_and_says_how(qtbot: QtBot, page: RegistrationsPage,
                                                              added: dict[str, int], typed: str, family: str,
                                                              note: str, tmp_path: Path) -> None:
    search(qtbot, page, typed)
    assert added[family] in shown(page)
    assert page.meant_label.isVisible() and page.meant_label.text() == note
    assert page.meant_label.toolTip() == note   # whole, should a narrow window cut it
    assert page.empty_label.text() == ""
    page.window().grab().save(str(tmp_path / f"meant-{family}.png"))

    # As typed, with nothing else to say: the note goes.
    search(qtbot, page, family)
    assert added[family] in shown(page)
    assert page.meant_label.text() == ""

    # Esc clears the search and the note.
    search(qtbot, page, typed)
    assert page.meant_label.text() == note
    qtbot.keyClick(page.search_field, Qt.Key.Key_Escape)
    assert page.search_field.text() == "" and page.model.total > len(added)
    assert page.meant_label.text() == ""


def test_nothing_found_says_no_matches_and_nothing_else(qtbot: QtBot, page: RegistrationsPage) -> None:
    search(qtbot, page, "qqqqzz")
    assert page.model.total == 0
    assert page.meant_label.text() == ""
    assert page.empty_label.text().startswith("No matches for “qqqqzz”.")
