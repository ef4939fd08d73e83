"""The Event menu's edits, each a factory of a few lines: its words on the Edit menu and the
core call that makes it (``desktop.core.event_edit`` for the dialog's edit,
``desktop.core.event_lifecycle`` for a whole event). ``desktop.ui.shell.commands.Edits``
runs them, puts them on the window's undo stack and tells the window after every change;
undo and redo put back the very same rows (``desktop.core.changes.revert``).

Every edit returns a change about an event (``RowRef("event", …)``): after it is made or
redone the window shows that event (after a deletion, the first one left). ``shown`` is the
event on show when the edit is made, shown again after an undo.
"""

from __future__ import annotations

import datetime as dt

from desktop.core import event_edit, event_lifecycle
from desktop.core.changes import RowRef
from desktop.core.event_edit import EventData, EventEdit, EventSettings
from desktop.core.language import _
from desktop.ui.shell.commands import Edit


def new_event(edit: EventEdit, shown: RowRef | None) -> Edit:
    return Edit(_("New event “{title}”").format(title=edit.settings.data.display()),
                lambda s: event_lifecycle.create_event(s, edit), selected=shown)


def edit_event(event_id: int, edit: EventEdit, shown: RowRef | None,
               base: EventData | EventSettings | None = None) -> Edit:
    """``base``: the event's fields (or its fields, rooms and partners) as the dialog read
    them (others' changes since are kept)."""
    return Edit(_("Edit event “{title}”").format(title=edit.settings.data.display()),
                lambda s: event_edit.edit_event(s, event_id, edit, base=base), selected=shown)


def duplicate_event(event_id: int, starts_on: dt.date, title: str, shown: RowRef | None) -> Edit:
    return Edit(_("Duplicate event “{title}”").format(title=title),
                lambda s: event_lifecycle.duplicate_event(s, event_id, starts_on), selected=shown)


def delete_event(event_id: int, title: str, shown: RowRef | None) -> Edit:
    return Edit(_("Delete event “{title}”").format(title=title),
                lambda s: event_lifecycle.delete_event(s, event_id), selected=shown, deletes=True)


__all__ = ["delete_event", "duplicate_event", "edit_event", "new_event"]
