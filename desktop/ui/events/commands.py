"""Undo commands for events: create, edit (the whole event dialog as one step), duplicate
and delete. Each runs ``desktop.core.event_edit`` in one transaction, then tells the window
which event to show.

A command is run once before it is pushed (``run_first``), so an edit the database refuses
is reported and never reaches the stack; the stack's first ``redo`` then does nothing.
Events are named by uuid, so a command stays good after an undo put an event back. When a
later undo or redo cannot be done (another desk changed the rows meanwhile), the user is
told and the command is dropped (``setObsolete``).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Callable

from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from desktop.core.event_edit import (
    EditDone,
    EventEdit,
    EventSnapshot,
    SettingsChange,
    apply_extras,
    create_event,
    delete_event,
    duplicate_event,
    edit_event,
    event_id_for,
    event_uuid,
    redo_edit,
    restore_event,
    undo_edit,
    undo_extras,
)
from desktop.ui.shell.commands import DatabaseCommand, FailedCallback

# The event to show after a run (None: whichever the window picks).
ChangedCallback = Callable[[int | None], None]


class EventCommand(DatabaseCommand):
    """An undoable change of events; subclasses give ``_do`` and ``_undo``, each returning
    the id of the event to show afterwards (``changed`` is called with it)."""


class NewEventCommand(EventCommand):
    """Create an event (with its rooms, partners, new organisations and logos). Undo deletes
    it; redo puts the very same rows back."""

    def __init__(self, database: Database, edit: EventEdit, changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(f"New event “{edit.settings.data.display()}”", database, changed, failed)
        self._edit = edit
        self.uuid = uuid_mod.uuid4()
        self._done: EditDone | None = None
        self._snapshot: EventSnapshot | None = None

    def _do(self, session: OrmSession) -> int | None:
        if self._snapshot is None:
            event_id, self._done = create_event(session, self._edit, uuid=self.uuid)
            return event_id
        extras = apply_extras(session, self._edit)
        event_id = restore_event(session, self._snapshot)
        assert self._done is not None
        self._done = EditDone(self._done.settings, extras)
        return event_id

    def _undo(self, session: OrmSession) -> int | None:
        self._snapshot = delete_event(session, event_id_for(session, self.uuid))
        if self._done is not None:
            undo_extras(session, self._done.extras)
        return None


class EditEventCommand(EventCommand):
    """The event dialog's changes, as one step."""

    def __init__(self, database: Database, event_id: int, edit: EventEdit, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(f"Edit event “{edit.settings.data.display()}”", database, changed, failed)
        self._event_id = event_id
        self._edit = edit
        self._uuid: uuid_mod.UUID | None = None
        self._done: EditDone | None = None
        self._undone: SettingsChange | None = None

    def _do(self, session: OrmSession) -> int | None:
        if self._uuid is None:
            self._uuid = event_uuid(session, self._event_id)
        event_id = event_id_for(session, self._uuid)
        if self._undone is None:
            self._done = edit_event(session, event_id, self._edit)
        else:
            self._done = redo_edit(session, self._edit, self._undone)
        return event_id

    def _undo(self, session: OrmSession) -> int | None:
        assert self._done is not None and self._uuid is not None
        event_id = event_id_for(session, self._uuid)
        self._undone = undo_edit(session, self._done)
        return event_id


class DeleteEventCommand(EventCommand):
    """Delete an event and everything of it; undo restores every row with its id and uuid."""

    def __init__(self, database: Database, event_id: int, title: str, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(f"Delete event “{title}”", database, changed, failed)
        self._event_id = event_id
        self._uuid: uuid_mod.UUID | None = None
        self.snapshot: EventSnapshot | None = None

    def _do(self, session: OrmSession) -> int | None:
        if self._uuid is None:
            self._uuid = event_uuid(session, self._event_id)
        self.snapshot = delete_event(session, event_id_for(session, self._uuid))
        return None

    def _undo(self, session: OrmSession) -> int | None:
        assert self.snapshot is not None
        return restore_event(session, self.snapshot)


class DuplicateEventCommand(EventCommand):
    """Copy an event as a template at new dates; undo deletes the copy, redo restores it."""

    def __init__(self, database: Database, event_id: int, starts_on: dt.date, title: str,
                 changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(f"Duplicate event “{title}”", database, changed, failed)
        self._source = event_id
        self._starts_on = starts_on
        self.uuid = uuid_mod.uuid4()
        self._snapshot: EventSnapshot | None = None

    def _do(self, session: OrmSession) -> int | None:
        if self._snapshot is None:
            return duplicate_event(session, self._source, self._starts_on, uuid=self.uuid).event_id
        return restore_event(session, self._snapshot)

    def _undo(self, session: OrmSession) -> int | None:
        self._snapshot = delete_event(session, event_id_for(session, self.uuid))
        return self._source


__all__ = ["DeleteEventCommand", "DuplicateEventCommand", "EditEventCommand", "EventCommand", "NewEventCommand"]
