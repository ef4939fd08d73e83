"""The agenda of an event as plain rows: days, sessions with their items, and who is on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db.models import AgendaItem, ItemKind, Organisation, Person, Role, RoleKind, Room, Session
from desktop.core.i18n import full_name, text


@dataclass(frozen=True)
class OnStage:
    """A person in a role in a session or item."""

    person_id: int
    role: RoleKind
    name: str
    position: dict[str, str]
    organisation: dict[str, str]


@dataclass
class AgendaEntry:
    """A session (``kind is None``) with its items as children, or a top-level item."""

    id: int
    kind: ItemKind | None
    title: dict[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: dict[str, str]
    people: list[OnStage] = field(default_factory=list)
    children: list[AgendaEntry] = field(default_factory=list)
    colour: str | None = None
    room_id: int | None = None  # its own room (None: none, or an item in its session's)

    @property
    def is_session(self) -> bool:
        return self.kind is None

    def times(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def people_in(self, *roles: RoleKind) -> list[OnStage]:
        return [p for p in self.people if p.role in roles]


def load_agenda(session: OrmSession, event_id: int, lang: str = "en") -> dict[dt.date, list[AgendaEntry]]:
    """The event's agenda by day, in time order: sessions hold their items."""
    rooms = {r.id: r.name for r in session.execute(select(Room.id, Room.name).where(Room.event_id == event_id))}
    people: dict[tuple[str, int], list[OnStage]] = {}
    role_rows = session.execute(
        select(
            Role.session_id,
            Role.item_id,
            Role.kind,
            Person.id,
            Person.given_name,
            Person.family_name,
            Person.display_name,
            Person.position,
            Organisation.name,
        )
        .join(Person, Person.id == Role.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Session, Session.id == Role.session_id)
        .outerjoin(AgendaItem, AgendaItem.id == Role.item_id)
        .where((Session.event_id == event_id) | (AgendaItem.event_id == event_id))
        .order_by(Role.position, Role.id)
    )
    for sid, iid, kind, pid, given, family, display, position, org_name in role_rows:
        key = ("s", sid) if sid is not None else ("i", iid)
        people.setdefault(key, []).append(
            OnStage(pid, kind, full_name(given, family, None, display, lang), position or {}, org_name or {})
        )

    sessions: dict[int, AgendaEntry] = {}
    top: list[AgendaEntry] = []
    for s in session.execute(
        select(Session.id, Session.title, Session.starts_at, Session.ends_at, Session.room_id, Session.colour)
        .where(Session.event_id == event_id)
        .order_by(Session.starts_at, Session.position, Session.id)
    ):
        entry = AgendaEntry(
            s.id, None, s.title, s.starts_at, s.ends_at, rooms.get(s.room_id, {}),
            people.get(("s", s.id), []), colour=s.colour, room_id=s.room_id,
        )
        sessions[s.id] = entry
        top.append(entry)
    for it in session.execute(
        select(
            AgendaItem.id, AgendaItem.session_id, AgendaItem.kind, AgendaItem.title,
            AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.room_id,
        )
        .where(AgendaItem.event_id == event_id)
        .order_by(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)
    ):
        entry = AgendaEntry(
            it.id, it.kind, it.title, it.starts_at, it.ends_at, rooms.get(it.room_id, {}),
            people.get(("i", it.id), []), room_id=it.room_id,
        )
        parent = sessions.get(it.session_id) if it.session_id is not None else None
        if parent is not None:
            if not entry.room:
                entry.room = parent.room
            parent.children.append(entry)
        else:
            top.append(entry)
    top.sort(key=lambda e: (e.starts_at, e.ends_at))
    days: dict[dt.date, list[AgendaEntry]] = {}
    for entry in top:
        days.setdefault(entry.starts_at.date(), []).append(entry)
    return days


def describe_person(p: OnStage, lang: str = "en") -> str:
    """"Name, position, organisation" — the parts that are known."""
    parts = [p.name, text(p.position, lang), text(p.organisation, lang)]
    return ", ".join(x for x in parts if x)
