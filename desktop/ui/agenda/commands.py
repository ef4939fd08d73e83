"""The agenda's edits, each a factory of a few lines: its words on the Edit menu and the
``desktop.core.agenda_edit`` call that makes it. ``desktop.ui.shell.commands.Edits`` runs
them, puts them on the window's undo stack and tells the sections after every change; undo
and redo put back the very same rows (``desktop.core.changes.revert``).

``selected`` is the outline's entry selected when the edit is made (selected again after
an undo).

The words are in the interface language of the moment the edit is made (Edit → Undo names
it so until the application speaks another).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from desktop.core import agenda_edit as ae
from desktop.core import formats
from desktop.core.agenda_edit import ItemData, SessionData
from desktop.core.i18n import text
from desktop.core.language import _, p_
from desktop.ui.agenda.model import EntryKey
from desktop.ui.shell.commands import Edit


def add_session(event_id: int, data: SessionData, selected: EntryKey | None = None) -> Edit:
    # Translators (the agenda's edits, as Edit → Undo names them): {title} is a title.
    return Edit(_("Add session “{title}”").format(title=_short(data.title)),
                lambda s: ae.create_session(s, event_id, data), selected=selected)


def edit_session(session_id: int, data: SessionData, base: SessionData | None = None) -> Edit:
    """``base``: the session as its editor read it (others' changes since are kept)."""
    return Edit(_("Edit session “{title}”").format(title=_short(data.title)),
                lambda s: ae.update_session(s, session_id, data, base=base),
                selected=("session", session_id))


def add_item(event_id: int, data: ItemData, selected: EntryKey | None = None) -> Edit:
    return Edit(_("Add “{title}”").format(title=_short(data.title)),
                lambda s: ae.create_item(s, event_id, data), selected=selected)


def edit_item(item_id: int, data: ItemData, base: ItemData | None = None) -> Edit:
    """``base``: the item as its editor read it (others' changes since are kept)."""
    return Edit(_("Edit “{title}”").format(title=_short(data.title)),
                lambda s: ae.update_item(s, item_id, data, base=base), selected=("item", item_id))


def duplicate(key: EntryKey, title: str) -> Edit:
    kind, entry_id = key
    make = (lambda s: ae.duplicate_session(s, entry_id)) if kind == "session" else \
        (lambda s: ae.duplicate_item(s, entry_id))
    return Edit(_("Duplicate “{title}”").format(title=title), make, selected=key)


def delete(key: EntryKey, title: str) -> Edit:
    kind, entry_id = key
    make = (lambda s: ae.delete_session(s, entry_id)) if kind == "session" else \
        (lambda s: ae.delete_item(s, entry_id))
    return Edit(_("Delete “{title}”").format(title=title), make, selected=key, deletes=True)


def move(key: EntryKey, offset: int, title: str) -> Edit:
    kind, entry_id = key
    words = _("Move “{title}” up") if offset < 0 else _("Move “{title}” down")
    return Edit(words.format(title=title),
                lambda s: ae.move_entry(s, kind, entry_id, offset), selected=key)


def set_times(item_id: int, starts_at: dt.datetime, ends_at: dt.datetime, title: str,
              base: tuple[dt.datetime, dt.datetime] | None = None) -> Edit:
    """``base``: the item's start and end as the timetable showed them when the drag began."""
    # Translators: {start} and {end} are times ("10:30").
    return Edit(_("Move “{title}” to {start}–{end}").format(
                title=title, start=formats.time(starts_at), end=formats.time(ends_at)),
                lambda s: ae.set_item_times(s, item_id, starts_at, ends_at, base=base),
                selected=("item", item_id))


def set_place(item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
              room_id: int | None, title: str, room: str,
              base: tuple[dt.datetime, dt.datetime, int | None] | None = None) -> Edit:
    """``base``: the item's start, end and room as the timetable showed them when the drag began."""
    # Translators: {room} is a room's name; {start} and {end} are times ("10:30").
    return Edit(_("Move “{title}” to {room}, {start}–{end}").format(
                title=title, room=room, start=formats.time(starts_at), end=formats.time(ends_at)),
                lambda s: ae.set_item_place(s, item_id, starts_at, ends_at, room_id, base=base),
                selected=("item", item_id))


def set_session(item_id: int, session_id: int | None, title: str,
                base: ae.SessionBase = ae.UNREAD) -> Edit:
    """``base``: the session the item was in as the outline showed it (None: top level)."""
    words = _("Move “{title}” out of its session") if session_id is None else _("Move “{title}” into the session")
    return Edit(words.format(title=title),
                lambda s: ae.set_item_session(s, item_id, session_id, base=base),
                selected=("item", item_id))


def shift(event_id: int, item_id: int, minutes: int, title: str) -> Edit:
    sign = "+" if minutes > 0 else "−"
    # Translators: {minutes} is a signed number ("+15", "−10").
    return Edit(_("Shift from “{title}” by {minutes} min").format(title=title, minutes=f"{sign}{abs(minutes)}"),
                lambda s: ae.shift_from(s, event_id, item_id, minutes),
                selected=("item", item_id))


def add_day(event_id: int, before: bool) -> Edit:
    return Edit(p_("undo", "Add a day before the first") if before else p_("undo", "Add a day after the last"),
                lambda s: ae.add_day(s, event_id, before=before))


def remove_day(event_id: int, day: dt.date) -> Edit:
    # Translators: {day} is a date with its weekday ("Friday, 28 February").
    return Edit(_("Remove {day}").format(day=formats.weekday_date(day)),
                lambda s: ae.remove_day(s, event_id, day))


def _short(title: Mapping[str, str], limit: int = 48) -> str:
    value = text(title) or _("untitled")
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
