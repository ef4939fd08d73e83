"""The agenda of an event as plain rows: days, sessions with their items, and who is on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db.models import AgendaItem, AgendaSession, ItemKind, Organisation, Person, Role, RoleKind, Room
from desktop.core.i18n import full_name, text

# Read through the table columns, not the mapped classes: a Core statement needs no ORM
# mapper configuration (~30 ms before the window's first paint) and compiles faster.
_ITEM_T, _ITEM = AgendaItem.__table__, AgendaItem.__table__.c
_ORG_T, _ORG = Organisation.__table__, Organisation.__table__.c
_PERSON_T, _PERSON = Person.__table__, Person.__table__.c
_ROLE = Role.__table__.c
_ROOM = Room.__table__.c
_SESSION_T, _SESSION = AgendaSession.__table__, AgendaSession.__table__.c


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
    rooms = {r.id: r.name for r in session.execute(select(_ROOM.id, _ROOM.name).where(_ROOM.event_id == event_id))}
    people: dict[tuple[str, int], list[OnStage]] = {}
    role_rows = session.execute(
        select(
            _ROLE.session_id,
            _ROLE.item_id,
            _ROLE.kind,
            _PERSON.id,
            _PERSON.given_name,
            _PERSON.family_name,
            _PERSON.display_name,
            _PERSON.position,
            _ORG.name,
        )
        .join(_PERSON_T, _PERSON.id == _ROLE.person_id)
        .outerjoin(_ORG_T, _ORG.id == _PERSON.organisation_id)
        .outerjoin(_SESSION_T, _SESSION.id == _ROLE.session_id)
        .outerjoin(_ITEM_T, _ITEM.id == _ROLE.item_id)
        .where((_SESSION.event_id == event_id) | (_ITEM.event_id == event_id))
        .order_by(_ROLE.position, _ROLE.id)
    )
    for sid, iid, kind, pid, given, family, display, position, org_name in role_rows:
        key = ("s", sid) if sid is not None else ("i", iid)
        people.setdefault(key, []).append(
            OnStage(pid, kind, full_name(given, family, None, display, lang), position or {}, org_name or {})
        )

    sessions: dict[int, AgendaEntry] = {}
    top: list[AgendaEntry] = []
    for s in session.execute(
        select(_SESSION.id, _SESSION.title, _SESSION.starts_at, _SESSION.ends_at, _SESSION.room_id, _SESSION.colour)
        .where(_SESSION.event_id == event_id)
        .order_by(_SESSION.starts_at, _SESSION.position, _SESSION.id)
    ):
        entry = AgendaEntry(
            s.id, None, s.title, s.starts_at, s.ends_at, rooms.get(s.room_id, {}),
            people.get(("s", s.id), []), colour=s.colour, room_id=s.room_id,
        )
        sessions[s.id] = entry
        top.append(entry)
    for it in session.execute(
        select(
            _ITEM.id, _ITEM.session_id, _ITEM.kind, _ITEM.title,
            _ITEM.starts_at, _ITEM.ends_at, _ITEM.room_id,
        )
        .where(_ITEM.event_id == event_id)
        .order_by(_ITEM.starts_at, _ITEM.position, _ITEM.id)
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
