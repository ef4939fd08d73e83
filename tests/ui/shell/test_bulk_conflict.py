"""A bulk edit's conflict (issue 15): the dialog says how many rows both changed, names the
first of them as the history does, counts the rest, and one answer per field holds for all."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Registration, Status
from desktop.core.changes import EditConflict, set_author
from desktop.core.language import speaking
from desktop.core.registration_edit import set_status
from desktop.ui.shell.conflicts import SHOWN_ROWS, ConflictDialog, conflict_row_names

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _bulk_conflict(database: Database, other: Database, event_id: int, touched: int) -> EditConflict:
    """Workstation 1 cancels ``touched`` registrations; workstation 2 then declines them and
    as many more from the list it read before: the conflict it gets."""
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.status)
                         .where(Registration.event_id == event_id,
                                Registration.status.not_in((Status.CANCELLED, Status.DECLINED)))
                         .order_by(Registration.id).limit(touched * 2)).all()
    bases = {r.id: {"status": r.status} for r in rows}
    set_author("Workstation 1")
    with database.write() as s:
        set_status(s, [r.id for r in rows[:touched]], Status.CANCELLED, bases=bases)
    set_author("Workstation 2")
    with pytest.raises(EditConflict) as raised, other.write() as s:
        set_status(s, list(bases), Status.DECLINED, bases=bases)
    return raised.value


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_dialog_names_the_rows_of_a_bulk_conflict(qtbot: QtBot, styled_app: QApplication,
                                                      demo: tuple[Database, int], workstation_2: Database,
                                                      lang: str, tmp_path: object) -> None:
    database, event_id = demo
    touched = SHOWN_ROWS + 3
    with speaking(lang):
        conflict = _bulk_conflict(database, workstation_2, event_id, touched)
        names = conflict_row_names(workstation_2, conflict, lang)
        dialog = ConflictDialog(conflict, None, lang=lang, row_names=names)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert len(conflict.rows) == touched
    assert len(names) == SHOWN_ROWS and all(names)
    shown = dialog.rows_label.text()
    assert dialog.rows_label.isVisible()
    assert all(name in shown for name in names)
    assert str(touched) in shown and "3" in shown  # all of them, and how many more than named
    assert list(dialog.theirs_buttons) == ["registration.status"]  # the field once, for every row
    dialog.grab().save(str(tmp_path) + f"/bulk-conflict-{lang}.png")


def test_one_row_in_conflict_says_nothing_of_rows(qtbot: QtBot, styled_app: QApplication,
                                                  demo: tuple[Database, int], workstation_2: Database) -> None:
    database, event_id = demo
    conflict = _bulk_conflict(database, workstation_2, event_id, 1)
    assert len(conflict.rows) == 1
    assert conflict_row_names(workstation_2, conflict, "en") == []
    dialog = ConflictDialog(conflict, None, lang="en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.rows_label.isVisible()
