"""A whole event: creating it, deleting it (and what goes with it), duplicating it as next
year's template.

Each runs inside the caller's transaction (``database.write()``) and returns one
``desktop.core.changes.Change`` about the event (``RowRef("event", …)``); ``revert`` takes
it back:

* ``create_event`` adds an event with its rooms and partners, and the organisations and
  logos of the dialog's edit (``desktop.core.event_edit.record_extras``); reverting it
  removes them all, reverting that puts the very same rows back.
* ``delete_event`` removes an event with everything that goes with it — rooms, partners,
  sessions, items, roles, registrations and their check-ins; ``event_impact`` counts them
  for the question asked first. The people and organisations stay in the roster. Reverting
  the change puts every row back with its id and uuid, in bulk (one statement per table and
  chunk: the demo's thousands of rows in about a second).
* ``duplicate_event`` copies an event as a template at new dates: rooms, partners,
  sessions, items and roles come along (new uuids, every time moved by the same number of
  days); registrations and check-ins do not.

Setting an event up — its fields, rooms, partners, logos — is ``desktop.core.event_edit``.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    AgendaItem,
    AgendaSession,
    Base,
    CheckIn,
    Event,
    EventOrganisation,
    Registration,
    Role,
    Room,
)
from desktop.core import formats
from desktop.core.changes import Change, Recorder
from desktop.core.event_edit import (
    EVENT_GONE,
    EventEdit,
    EventGone,
    EventSettings,
    checked_event,
    event_ref,
    event_values,
    record_extras,
    record_settings,
)
from desktop.core.i18n import text
from desktop.core.language import _, n_

# -- creating --------------------------------------------------------------------------------


def create_event(session: OrmSession, edit: EventEdit | EventSettings, *,
                 uuid: uuid_mod.UUID | None = None) -> Change:
    """Add an event with its rooms and partners (and the organisations and logos of the
    edit): a change about the new event."""
    if isinstance(edit, EventSettings):
        edit = EventEdit(edit)
    data = checked_event(edit.settings.data)
    rec = Recorder(session)
    record_extras(rec, edit)
    ref = rec.insert("event", {"uuid": uuid or uuid_mod.uuid4(), "is_demo": False, **event_values(data)})
    record_settings(rec, ref.id, edit.settings)
    return rec.change(ref)


# -- deleting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventImpact:
    """What goes with an event when it is deleted."""

    title: str
    sessions: int
    items: int
    roles: int
    registrations: int
    check_ins: int
    rooms: int
    partners: int

    def sentence(self) -> str:
        """The question's sentence, in the interface language, each count in its plural form."""
        def n(value: int) -> str:
            return formats.number(value)

        # Translators: each of {sessions} … {partners} is a count said by its own message ("12 sessions").
        return _("Deleting “{title}” also deletes its {sessions}, {items}, {registrations} and {check_ins}, "
                 "{rooms} and its list of {partners} (the people and organisations stay in the roster).").format(
            title=self.title,
            sessions=n_("{n} session", "{n} sessions", self.sessions).format(n=n(self.sessions)),
            items=n_("{n} agenda item", "{n} agenda items", self.items).format(n=n(self.items)),
            registrations=n_("{n} registration", "{n} registrations", self.registrations).format(
                n=n(self.registrations)),
            check_ins=n_("{n} check-in", "{n} check-ins", self.check_ins).format(n=n(self.check_ins)),
            rooms=n_("{n} room", "{n} rooms", self.rooms).format(n=n(self.rooms)),
            partners=n_("{n} partner", "{n} partners", self.partners).format(n=n(self.partners)),
        )


def event_impact(session: OrmSession, event_id: int, lang: str = "en") -> EventImpact:
    title = session.scalar(select(Event.title).where(Event.id == event_id))
    if title is None:
        raise EventGone(_(EVENT_GONE))

    def count(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
    items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
    regs = select(Registration.id).where(Registration.event_id == event_id)
    return EventImpact(
        text(title, lang) or _("Untitled event"),
        count(AgendaSession, AgendaSession.event_id == event_id),
        count(AgendaItem, AgendaItem.event_id == event_id),
        count(Role, Role.session_id.in_(sessions) | Role.item_id.in_(items)),
        count(Registration, Registration.event_id == event_id),
        count(CheckIn, CheckIn.registration_id.in_(regs)),
        count(Room, Room.event_id == event_id),
        count(EventOrganisation, EventOrganisation.event_id == event_id),
    )


def delete_event(session: OrmSession, event_id: int) -> Change:
    """Delete an event and everything of it (see ``event_impact``): a change that holds
    every row as it was."""
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    # Check-ins restrict the deletion of their registration (they are append-only): they go
    # first, explicitly; the rest follows the event through ON DELETE CASCADE.
    regs = select(Registration.id).where(Registration.event_id == event_id)
    rec.delete("check_in", CheckIn.registration_id.in_(regs))
    rec.delete("event", Event.id == event_id)
    return rec.change(ref)


# -- duplicating ---------------------------------------------------------------------------------


def next_year(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def duplicate_event(session: OrmSession, event_id: int, starts_on: dt.date, *,
                    uuid: uuid_mod.UUID | None = None) -> Change:
    """Copy an event as a template starting on ``starts_on``: its fields, rooms, partners,
    sessions, items and roles (new uuids; every date and time moved by the same number of
    days). Registrations and check-ins are not copied. A change about the copy."""
    t = Base.metadata.tables
    source = session.execute(select(t["event"]).where(t["event"].c.id == event_id)).mappings().one_or_none()
    if source is None:
        raise EventGone(_(EVENT_GONE))
    shift = starts_on - source["starts_on"]
    skip = {"id", "uuid", "created_at", "updated_at"}
    rec = Recorder(session)

    def copy(row: Mapping[Any, Any], **changes: Any) -> dict[str, Any]:
        values = {str(k): v for k, v in row.items() if k not in skip}
        values["uuid"] = uuid_mod.uuid4()
        values.update(changes)
        return values

    def rows_of(table: str, *where: Any) -> list[Mapping[Any, Any]]:
        return list(session.execute(select(t[table]).where(*where).order_by(t[table].c.id)).mappings())

    new = rec.insert("event", copy(source, uuid=uuid or uuid_mod.uuid4(), starts_on=starts_on,
                                   ends_on=source["ends_on"] + shift, is_demo=False, notes=None))
    rooms = {row["id"]: rec.insert("room", copy(row, event_id=new.id)).id
             for row in rows_of("room", t["room"].c.event_id == event_id)}
    for row in rows_of("event_organisation", t["event_organisation"].c.event_id == event_id):
        rec.insert("event_organisation", copy(row, event_id=new.id))
    sessions = {row["id"]: rec.insert("session", copy(
        row, event_id=new.id, room_id=rooms.get(row["room_id"]),
        starts_at=row["starts_at"] + shift, ends_at=row["ends_at"] + shift)).id
        for row in rows_of("session", t["session"].c.event_id == event_id)}
    items = {row["id"]: rec.insert("agenda_item", copy(
        row, event_id=new.id, room_id=rooms.get(row["room_id"]), session_id=sessions.get(row["session_id"]),
        starts_at=row["starts_at"] + shift, ends_at=row["ends_at"] + shift)).id
        for row in rows_of("agenda_item", t["agenda_item"].c.event_id == event_id)}
    role = t["role"]
    roles = [copy(row, session_id=sessions.get(row["session_id"]), item_id=items.get(row["item_id"]))
             for row in rows_of("role", role.c.session_id.in_(list(sessions)) | role.c.item_id.in_(list(items)))
             ] if sessions or items else []
    if roles:
        session.execute(insert(role), roles)
        for values in roles:
            rec.made("role", values["uuid"])
    session.flush()
    return rec.change(new)


__all__ = [
    "EventImpact", "create_event", "delete_event", "duplicate_event", "event_impact", "next_year",
]
