"""The person dialog (desktop/ui/people/person_dialog.py): a new person's form shows a field's
error only after the field was touched or Save was tried; Save stays disabled meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.ui.people.person_dialog import PersonDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def shown_dialog(qtbot: QtBot, database: Database, person_id: int | None = None) -> PersonDialog:
    dialog = PersonDialog(database, "en", person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def red(widget: QLineEdit) -> bool:
    return bool(widget.property("invalid"))


def test_a_new_person_is_not_scolded_before_typing(qtbot: QtBot, styled_app: Any, demo_db: Database) -> None:
    dialog = shown_dialog(qtbot, demo_db)
    assert dialog.problems.isHidden() and not red(dialog.given_name) and not red(dialog.family_name)
    assert not dialog.save_button.isEnabled() and "needs a name" in dialog.save_button.toolTip()
    # Leaving the given name empty is not yet wrong: the family name may come.
    dialog.given_name.setFocus()
    qtbot.waitUntil(dialog.given_name.hasFocus)
    dialog.family_name.setFocus()
    qtbot.waitUntil(dialog.family_name.hasFocus)
    assert dialog.problems.isHidden() and not red(dialog.family_name)
    # Leaving the family name empty too: now it is.
    dialog.email.setFocus()
    qtbot.waitUntil(dialog.email.hasFocus)
    assert dialog.problems.isVisible() and "needs a name" in dialog.problems.text()
    assert red(dialog.family_name) and red(dialog.given_name)
    dialog.family_name.setText("Ахметова")
    assert dialog.problems.isHidden() and dialog.save_button.isEnabled() and not red(dialog.family_name)


def test_only_touched_fields_show_their_errors(qtbot: QtBot, styled_app: Any, demo_db: Database) -> None:
    dialog = shown_dialog(qtbot, demo_db)
    dialog.email.setText("ahmetova@")
    assert red(dialog.email) and "part after “@” is missing" in dialog.problems.text()
    assert "needs a name" not in dialog.problems.text() and not red(dialog.family_name)  # not touched yet
    assert "needs a name" in dialog.save_button.toolTip()


def test_trying_to_save_shows_every_error(qtbot: QtBot, styled_app: Any, demo_db: Database) -> None:
    dialog = shown_dialog(qtbot, demo_db)
    dialog.buttons.accepted.emit()  # what Save (or Enter) does
    assert dialog.isVisible() and "needs a name" in dialog.problems.text() and red(dialog.family_name)


def test_editing_a_person_keeps_the_dialogs_language(qtbot: QtBot, styled_app: Any, demo_db: Database) -> None:
    from sqlalchemy import select

    from db.models import Person

    with demo_db.read() as s:
        person_id = s.scalar(select(Person.id).where(Person.family_name == "Harris"))
    dialog = shown_dialog(qtbot, demo_db, person_id)
    assert dialog.windowTitle() == "Edit Pamela Harris"
    assert dialog.problems.isHidden() and dialog.save_button.isEnabled()
