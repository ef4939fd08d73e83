"""The conflict dialog: someone else changed, since an editor was opened, a field the user
changed too (``desktop.core.changes.EditConflict``); which value is kept?

``Edits`` (``desktop.ui.shell.commands``) shows it when an edit raises ``EditConflict``,
and runs the edit again with the answer (``session.info["resolve"]``); Cancel saves
nothing. Each field both changed is a box: its name in words, the value as the editor had
it, theirs (who changed it and when) and the user's own, with a choice per field — keep
theirs or keep mine. The other person's changes to the fields the user did not touch, and
the user's changes to the fields they did not touch, are saved either way (the core
merges by field).

Keyboard: the safe answer is the default — every field starts at "Keep theirs" (nothing
someone else saved is overwritten by a mere Enter); the user picks "Keep mine" per field
(Alt+ the letter, arrows between the two) or for all, and Enter saves; Escape cancels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core import formats
from desktop.core.language import _, interface_language, n_
from desktop.ui.shell import style

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.core.changes import EditConflict, FieldConflict

THEIRS, MINE = "theirs", "mine"

Names = Mapping[tuple[str, int], str]
_POINTS_TO = {"room_id": "room", "session_id": "session", "item_id": "agenda_item",
              "organisation_id": "organisation"}
"""The keys an editor sets whose value is shown by the name of what they point to."""


def changed_words(field: FieldConflict, lang: str | None = None, now: dt.datetime | None = None) -> str:
    """Who changed the field and when, in words: "Changed at 10:42 by Workstation 2" (this
    computer's time; with the date when it was not today)."""
    from desktop.core.history import when_text

    who = field.who.strip()
    when = field.when
    if when is None:
        if who:
            # Translators: {who} is another organiser (as their workstation names them).
            return _("Changed by {who}").format(who=who)
        return _("Changed by someone else")
    local = (when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)).astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    moment = formats.time(local, lang) if local.date() == today else when_text(local, lang)
    if who:
        # Translators: {time} is "10:42" (or a date and a time); {who} is another organiser.
        return _("Changed at {time} by {who}").format(time=moment, who=who)
    # Translators: {time} is "10:42" (or a date and a time).
    return _("Changed at {time} by someone else").format(time=moment)


SHOWN_ROWS = 5
"""Rows of a bulk edit's conflict named in the dialog; the rest are counted."""


def conflict_row_names(database: Database | None, conflict: EditConflict, lang: str) -> list[str]:
    """The names of the first rows in conflict (a bulk edit's), as the history names them
    (empty for one row, or when they cannot be read)."""
    if database is None or len(conflict.rows) < 2:
        return []
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.core.history import row_names

    first = [(fields[0].table if fields else conflict.table, row) for row, fields in conflict.rows[:SHOWN_ROWS]]
    by_table: dict[str, list[Any]] = {}
    for table, row in first:
        by_table.setdefault(table, []).append(row)
    try:
        with database.read() as session:  # a row of each table named as the history names it
            names = {(table, row): name for table, rows in by_table.items()
                     for row, name in row_names(session, table, rows, lang).items()}
    except SQLAlchemyError:
        return []
    return [names[key] for key in first if names.get(key)]


def rows_sentence(conflict: EditConflict, names: Sequence[str]) -> str:
    """What a bulk edit's conflict is about: "This holds for all 12 of them: Nurlanova,
    Petrov… and 7 more." (empty for one row)."""
    n = len(conflict.rows)
    if n < 2:
        return ""
    more = n - len(names)
    # Translators: a bulk edit's conflict; {n} rows in conflict, the dialog shows the first one's values.
    sentence = n_("Your choice for a field holds for the {n} row in conflict.",
                  "Your choice for a field holds for all {n} rows in conflict.", n).format(n=formats.number(n))
    if not names:
        return sentence
    listed = ", ".join(names)
    if more > 0:
        # Translators: {names} is a list of names; {n} how many others.
        listed = n_("{names} and {n} more", "{names} and {n} more", more).format(names=listed,
                                                                                n=formats.number(more))
    # Translators: {sentence} says the choice holds for all rows; {names} lists them.
    return _("{sentence} The values shown are of the first; the rows: {names}.").format(
        sentence=sentence, names=listed)


def reference_names(database: Database | None, fields: Sequence[FieldConflict],
                    lang: str) -> dict[tuple[str, int], str]:
    """The names of the rooms, sessions, items and organisations the conflicting values
    point to, so that a value says "Hall A", not "No. 3" (empty when they cannot be read)."""
    wanted: dict[str, set[int]] = {}
    for f in fields:
        target = _POINTS_TO.get(f.field)
        if target is None:
            continue
        for value in (f.base, f.theirs, f.mine):
            if isinstance(value, int) and not isinstance(value, bool):
                wanted.setdefault(target, set()).add(value)
    if database is None or not wanted:
        return {}
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from db.models import AgendaItem, AgendaSession, Organisation, Room
    from desktop.core.history import local_text

    titled: dict[str, tuple[Any, Any]] = {
        "room": (Room, Room.name), "session": (AgendaSession, AgendaSession.title),
        "agenda_item": (AgendaItem, AgendaItem.title), "organisation": (Organisation, Organisation.name)}
    names: dict[tuple[str, int], str] = {}
    try:
        with database.read() as session:
            for table, ids in wanted.items():
                model, column = titled[table]
                for row_id, value in session.execute(select(model.id, column).where(model.id.in_(ids))):
                    names[(table, int(row_id))] = local_text(value or {}, lang)
    except SQLAlchemyError:
        return {}
    return names


class ConflictDialog(QDialog):
    """Which value to keep, field by field (see the module's docstring). ``resolution()`` is
    the answer: ``{"table.field": "mine" | "theirs"}``."""

    def __init__(self, conflict: EditConflict, parent: QWidget | None = None, *, what: str = "",
                 names: Names | None = None, lang: str | None = None, row_names: Sequence[str] = ()) -> None:
        from desktop.core.history import field_label, shown_value

        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.conflict = conflict
        lang = lang or interface_language()
        self.setWindowTitle(_("Changed meanwhile"))

        heading = QLabel(str(conflict))
        heading.setObjectName("pageTitle")
        heading.setWordWrap(True)
        heading.setFont(style.scaled_font(self.font(), 1.15, bold=True))
        explanation = QLabel(_("What only one of you changed is saved as it is. You both changed the fields "
                               "below: choose which value to keep."))
        explanation.setWordWrap(True)
        edit_words = QLabel(what)  # the edit's words, as the Edit menu names it
        edit_words.setObjectName("editWords")
        edit_words.setStyleSheet(f"color: {style.MUTED};")
        edit_words.setVisible(bool(what))
        self.rows_label = QLabel(rows_sentence(conflict, row_names))  # a bulk edit: which rows
        self.rows_label.setObjectName("conflictRows")
        self.rows_label.setWordWrap(True)
        self.rows_label.setVisible(len(conflict.rows) > 1)

        self._groups: dict[str, QButtonGroup] = {}
        self.theirs_buttons: dict[str, QRadioButton] = {}
        self.mine_buttons: dict[str, QRadioButton] = {}
        boxes = QWidget()
        boxes_layout = QVBoxLayout(boxes)
        boxes_layout.setContentsMargins(0, 0, 0, 0)
        for field in conflict.fields:
            key = f"{field.table}.{field.field}"
            box = QGroupBox(field_label(field.table, field.field, lang))
            box.setObjectName(f"conflict:{key}")
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)

            def value_label(value: Any, *, muted: bool = False, field: FieldConflict = field) -> QLabel:
                shown = QLabel(shown_value(field.table, field.field, value, lang, names))
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if muted:
                    shown.setStyleSheet(f"color: {style.MUTED};")
                return shown

            was = QLabel(_("When you opened it:"))
            was.setStyleSheet(f"color: {style.MUTED};")
            grid.addWidget(was, 0, 0)
            grid.addWidget(value_label(field.base, muted=True), 0, 1)
            theirs = QRadioButton(_("Keep &theirs:") if len(conflict.fields) == 1 else _("Keep theirs:"))
            theirs.setObjectName("keepTheirs")
            theirs.setToolTip(changed_words(field, lang))
            mine = QRadioButton(_("Keep &mine:") if len(conflict.fields) == 1 else _("Keep mine:"))
            mine.setObjectName("keepMine")
            group = QButtonGroup(box)
            group.addButton(theirs)
            group.addButton(mine)
            theirs.setChecked(True)  # the safe default: nothing of theirs is lost by Enter
            theirs_value = value_label(field.theirs)
            grid.addWidget(theirs, 1, 0)
            grid.addWidget(theirs_value, 1, 1)
            who = QLabel(changed_words(field, lang))
            who.setObjectName("changedBy")
            who.setStyleSheet(f"color: {style.MUTED};")
            who.setWordWrap(True)
            grid.addWidget(who, 2, 1)
            grid.addWidget(mine, 3, 0)
            grid.addWidget(value_label(field.mine), 3, 1)
            self._groups[key] = group
            self.theirs_buttons[key] = theirs
            self.mine_buttons[key] = mine
            boxes_layout.addWidget(box)
        boxes_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(boxes)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.all_theirs_button: QPushButton | None = None
        self.all_mine_button: QPushButton | None = None
        if len(conflict.fields) > 1:
            self.all_theirs_button = self.buttons.addButton(_("Keep &theirs for all"),
                                                            QDialogButtonBox.ButtonRole.ActionRole)
            self.all_mine_button = self.buttons.addButton(_("Keep &mine for all"),
                                                          QDialogButtonBox.ButtonRole.ActionRole)
            self.all_theirs_button.setAutoDefault(False)
            self.all_mine_button.setAutoDefault(False)
            self.all_theirs_button.clicked.connect(lambda: self.choose_all(THEIRS))
            self.all_mine_button.clicked.connect(lambda: self.choose_all(MINE))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(edit_words)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.rows_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(620, min(260 + 150 * len(conflict.fields), 640))
        first = next(iter(self.theirs_buttons.values()), None)
        if first is not None:
            first.setFocus()

    def choose(self, key: str, whose: str) -> None:
        """Keep ``whose`` ("theirs" or "mine") for the field ``key`` ("person.phone")."""
        (self.mine_buttons if whose == MINE else self.theirs_buttons)[key].setChecked(True)

    def choose_all(self, whose: str) -> None:
        for key in self._groups:
            self.choose(key, whose)

    def resolution(self) -> dict[str, str]:
        """The choice per field: ``{"table.field": "mine" | "theirs"}``."""
        return {key: MINE if self.mine_buttons[key].isChecked() else THEIRS for key in self._groups}


def ask_which(conflict: EditConflict, parent: QWidget | None, what: str = "",
              database: Database | None = None) -> dict[str, str] | None:
    """Show the conflict dialog (modal) and return the choice per field, or None when the
    user cancelled (then nothing is saved)."""
    lang = interface_language()
    dialog = ConflictDialog(conflict, parent, what=what, names=reference_names(database, conflict.fields, lang),
                            lang=lang, row_names=conflict_row_names(database, conflict, lang))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.resolution()
    finally:
        dialog.deleteLater()


__all__ = ["MINE", "THEIRS", "ConflictDialog", "ask_which", "changed_words", "conflict_row_names", "reference_names",
           "rows_sentence"]
