"""Undo commands for the agenda editor: each calls one ``desktop.core.agenda_edit`` function
in one transaction and keeps the ``Change`` it returned; undo and redo are
``agenda_edit.revert`` of the change and of its inverse, so every step puts back the very
same rows (ids and uuids included).

As in ``people_commands``, a command is run once before it is pushed (``run_first``), so
that an edit the database refuses is reported and never reaches the stack; the stack's
first ``redo`` then does nothing. When an undo or redo cannot be done (another desk changed
the rows meanwhile), the user is told and the command is dropped (``setObsolete``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from desktop.core import agenda_edit as ae
from desktop.core.agenda_edit import Change, Edit, ItemData, SessionData
from desktop.core.i18n import text
from desktop.ui.agenda.model import EntryKey

# What may go wrong in a command and is told to the user (validation, rows gone, restore
# conflicts, the database itself).
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (ValueError, LookupError, RuntimeError, SQLAlchemyError)


@dataclass(frozen=True)
class AgendaChanged:
    """What a command did, for the page: the entry to select afterwards (None: keep what
    is selected if it is still there) and whether the event's days changed."""

    select: EntryKey | None
    days_changed: bool = False


ChangedCallback = Callable[[AgendaChanged], None]
FailedCallback = Callable[[str, str], None]  # title, sentence


def error_sentence(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:1].upper() + message[1:]


def _key(edit: Edit) -> EntryKey | None:
    if edit.kind in ("session", "item") and edit.id is not None:
        return (edit.kind, edit.id)  # type: ignore[return-value]
    return None


class AgendaCommand(QUndoCommand):
    """One agenda edit: ``make(session) -> Edit`` does it the first time.

    ``selected`` is the entry selected when the command was made: undo selects it again.
    After the edit (and each redo) the edit's entry is selected, except after a deletion.
    """

    def __init__(self, text: str, database: Database, make: Callable[[OrmSession], Edit],
                 changed: ChangedCallback, failed: FailedCallback, *,
                 selected: EntryKey | None = None, deletes: bool = False) -> None:
        super().__init__(text)
        self._database = database
        self._make = make
        self._changed = changed
        self._failed = failed
        self._selected = selected
        self._deletes = deletes
        self._undo: Change | None = None   # reverts the edit
        self._redo: Change | None = None   # reverts the undo
        self._target: EntryKey | None = None
        self._days = False
        self._skip_redo = False

    @property
    def target(self) -> EntryKey | None:
        """The session or item the edit made or changed (known once it ran)."""
        return self._target

    # -- the stack's side ---------------------------------------------------------------

    def run_first(self) -> bool:
        """Do the edit now, before it is pushed; False (and the user told) when it failed."""
        try:
            with self._database.write() as session:
                edit = self._make(session)
        except EXPECTED_ERRORS as exc:
            self._failed("Cannot save the change", error_sentence(exc))
            return False
        self._undo = edit.change
        self._target = _key(edit)
        self._days = edit.kind == "event"
        self._skip_redo = True
        self._changed(self._after_do())
        return True

    def redo(self) -> None:
        if self._skip_redo:  # push() calls redo(): the edit was made by run_first()
            self._skip_redo = False
            return
        assert self._redo is not None
        if not self._revert(self._redo, f"Cannot redo “{self.text()}”", undoing=False):
            self.setObsolete(True)
            return
        self._changed(self._after_do())

    def undo(self) -> None:
        assert self._undo is not None
        if not self._revert(self._undo, f"Cannot undo “{self.text()}”", undoing=True):
            self.setObsolete(True)
            return
        self._changed(AgendaChanged(self._selected, self._days))

    def _after_do(self) -> AgendaChanged:
        return AgendaChanged(None if self._deletes else (self._target or self._selected), self._days)

    def _revert(self, change: Change, title: str, *, undoing: bool) -> bool:
        try:
            with self._database.write() as session:
                inverse = ae.revert(session, change)
        except EXPECTED_ERRORS as exc:
            self._failed(title, error_sentence(exc))
            return False
        if undoing:
            self._redo = inverse
        else:
            self._undo = inverse
        return True


# -- the edits, each a command with its words ----------------------------------------------------


def add_session(database: Database, event_id: int, data: SessionData, changed: ChangedCallback,
                failed: FailedCallback, selected: EntryKey | None = None) -> AgendaCommand:
    return AgendaCommand(f"Add session “{_short(data.title)}”", database,
                         lambda s: ae.create_session(s, event_id, data), changed, failed, selected=selected)


def edit_session(database: Database, session_id: int, data: SessionData, changed: ChangedCallback,
                 failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand(f"Edit session “{_short(data.title)}”", database,
                         lambda s: ae.update_session(s, session_id, data), changed, failed,
                         selected=("session", session_id))


def add_item(database: Database, event_id: int, data: ItemData, changed: ChangedCallback,
             failed: FailedCallback, selected: EntryKey | None = None) -> AgendaCommand:
    return AgendaCommand(f"Add “{_short(data.title)}”", database,
                         lambda s: ae.create_item(s, event_id, data), changed, failed, selected=selected)


def edit_item(database: Database, item_id: int, data: ItemData, changed: ChangedCallback,
              failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand(f"Edit “{_short(data.title)}”", database,
                         lambda s: ae.update_item(s, item_id, data), changed, failed, selected=("item", item_id))


def duplicate(database: Database, key: EntryKey, title: str, changed: ChangedCallback,
              failed: FailedCallback) -> AgendaCommand:
    kind, entry_id = key
    make = (lambda s: ae.duplicate_session(s, entry_id)) if kind == "session" else \
        (lambda s: ae.duplicate_item(s, entry_id))
    return AgendaCommand(f"Duplicate “{title}”", database, make, changed, failed, selected=key)


def delete(database: Database, key: EntryKey, title: str, changed: ChangedCallback,
           failed: FailedCallback) -> AgendaCommand:
    kind, entry_id = key
    make = (lambda s: ae.delete_session(s, entry_id)) if kind == "session" else \
        (lambda s: ae.delete_item(s, entry_id))
    return AgendaCommand(f"Delete “{title}”", database, make, changed, failed, selected=key, deletes=True)


def move(database: Database, key: EntryKey, offset: int, title: str, changed: ChangedCallback,
         failed: FailedCallback) -> AgendaCommand:
    kind, entry_id = key
    return AgendaCommand(f"Move “{title}” {'up' if offset < 0 else 'down'}", database,
                         lambda s: ae.move_entry(s, kind, entry_id, offset), changed, failed, selected=key)


def set_times(database: Database, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime, title: str,
              changed: ChangedCallback, failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand(f"Move “{title}” to {starts_at:%H:%M}–{ends_at:%H:%M}", database,
                         lambda s: ae.set_item_times(s, item_id, starts_at, ends_at), changed, failed,
                         selected=("item", item_id))


def set_place(database: Database, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
              room_id: int | None, title: str, room: str, changed: ChangedCallback,
              failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand(f"Move “{title}” to {room}, {starts_at:%H:%M}–{ends_at:%H:%M}", database,
                         lambda s: ae.set_item_place(s, item_id, starts_at, ends_at, room_id), changed, failed,
                         selected=("item", item_id))


def set_session(database: Database, item_id: int, session_id: int | None, title: str,
                changed: ChangedCallback, failed: FailedCallback) -> AgendaCommand:
    words = "out of its session" if session_id is None else "into the session"
    return AgendaCommand(f"Move “{title}” {words}", database,
                         lambda s: ae.set_item_session(s, item_id, session_id), changed, failed,
                         selected=("item", item_id))


def shift(database: Database, event_id: int, item_id: int, minutes: int, title: str,
          changed: ChangedCallback, failed: FailedCallback) -> AgendaCommand:
    sign = "+" if minutes > 0 else "−"
    return AgendaCommand(f"Shift from “{title}” by {sign}{abs(minutes)} min", database,
                         lambda s: ae.shift_from(s, event_id, item_id, minutes), changed, failed,
                         selected=("item", item_id))


def add_day(database: Database, event_id: int, before: bool, changed: ChangedCallback,
            failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand("Add a day before the first" if before else "Add a day after the last", database,
                         lambda s: ae.add_day(s, event_id, before=before), changed, failed)


def remove_day(database: Database, event_id: int, day: dt.date, changed: ChangedCallback,
               failed: FailedCallback) -> AgendaCommand:
    return AgendaCommand(f"Remove {day:%a} {day.day} {day:%B}", database,
                         lambda s: ae.remove_day(s, event_id, day), changed, failed)


def _short(title: Mapping[str, str], limit: int = 48) -> str:
    value = text(title) or "untitled"
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
