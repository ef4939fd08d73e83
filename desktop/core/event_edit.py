"""Setting an event up: its fields, rooms and partners; creating, deleting and duplicating it.

Every edit here runs inside the caller's transaction (``database.write()``) and returns what
is needed to take it back, so the window can put it on its undo stack:

* ``apply_settings`` makes the event's fields, rooms and partners what an ``EventSettings``
  says and returns a ``SettingsChange``: ``undo_settings`` puts the old state back exactly
  (sessions and items of a removed room get their room again), ``redo_settings`` re-applies
  the new one with the same uuids.
* ``create_event`` adds an event; ``delete_event`` removes it with everything that goes
  with it (rooms, partners, sessions, items, roles, registrations and their check-ins) and
  returns an ``EventSnapshot`` of every row; ``restore_event`` puts them all back with the
  same ids and uuids.
* ``duplicate_event`` copies an event as next year's template: rooms, partners, sessions,
  items and roles come along (new uuids, every time moved by the same number of days);
  registrations and check-ins do not.
* Single steps for rooms (``add_room``, ``rename_room``, ``set_room_capacity``,
  ``reorder_rooms``, ``remove_room``/``restore_room``) and partners (``add_partner``,
  ``remove_partner``/``restore_partner``, ``reorder_partners``) and ``set_logo``.

Validation is plain data (``desktop.core.checks``): each problem names its field and says in
one sentence what is wrong. Logos are stored only as PNG or JPEG (checked by their magic
numbers, at most ``MAX_LOGO_BYTES``); an SVG is rasterised by the window before it gets here.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    AgendaItem,
    AgendaSession,
    Base,
    CheckIn,
    Event,
    EventOrganisation,
    Organisation,
    PartnerRole,
    Registration,
    Role,
    Room,
)
from db.types import LANGUAGES
from desktop.core.checks import (
    MAX_PHOTO_BYTES,
    ImageError,
    InvalidData,
    Problem,
    Report,
    Severity,
    collect,
    image_info,
    language_label,
)
from desktop.core.events import format_dates, partner_logos  # re-exported
from desktop.core.folding import name_key
from desktop.core.i18n import text
from desktop.core.organisations import (
    OrganisationData,
    create_organisation,
    delete_organisation,
)
from desktop.core.rows import RestoreError, RowImage, take_images

TITLE_MAX = 500
TEXT_MAX = 300
ROOM_NAME_MAX = 120
CAPACITY_MAX = 100_000
MAX_LOGO_BYTES = MAX_PHOTO_BYTES
LOGO_MIMES = ("image/png", "image/jpeg")

TEXT_LABELS: dict[str, str] = {"title": "title", "subtitle": "subtitle", "venue": "venue", "city": "city"}
PARTNER_LABELS: dict[PartnerRole, str] = {
    PartnerRole.ORGANISER: "organiser",
    PartnerRole.CO_ORGANISER: "co-organiser",
    PartnerRole.FUNDER: "funder",
    PartnerRole.PARTNER: "partner",
}
# The order in which partners are listed, on screen and in print.


class EventGone(LookupError):
    """The event (or a room, partner or organisation of it) no longer exists."""


# -- the data an editor changes -------------------------------------------------------------


def _clean(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {lang: " ".join(value.split()) for lang, value in (texts or {}).items() if value and value.strip()}


@dataclass(frozen=True)
class EventData:
    """An event's own fields. Texts are ``{language: text}``; dates are the first and last
    day; ``timezone`` an IANA name ("Asia/Almaty"); ``languages`` the content languages."""

    title: Mapping[str, str] = field(default_factory=dict)
    subtitle: Mapping[str, str] = field(default_factory=dict)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    timezone: str = "UTC"
    venue: Mapping[str, str] = field(default_factory=dict)
    city: Mapping[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = LANGUAGES

    def cleaned(self) -> EventData:
        seen: list[str] = []
        for code in self.languages:
            code = code.strip().lower()
            if code and code not in seen:
                seen.append(code)
        return replace(
            self, title=_clean(self.title), subtitle=_clean(self.subtitle), venue=_clean(self.venue),
            city=_clean(self.city), timezone=self.timezone.strip(), languages=tuple(seen),
        )

    def display(self, lang: str = "en") -> str:
        return text(self.title, lang) or "Untitled event"


@dataclass(frozen=True)
class RoomSpec:
    """A room as the editor has it; ``uuid`` None for a room not stored yet."""

    name: Mapping[str, str] = field(default_factory=dict)
    capacity: int | None = None
    uuid: uuid_mod.UUID | None = None


@dataclass(frozen=True)
class PartnerSpec:
    """An organisation's part in the event; the organisation is named by its uuid (a new
    one made in the same edit has its uuid chosen beforehand)."""

    organisation: uuid_mod.UUID
    role: PartnerRole
    uuid: uuid_mod.UUID | None = None


@dataclass(frozen=True)
class EventSettings:
    """Everything the event dialog shows: fields, rooms in order, partners in order."""

    data: EventData
    rooms: tuple[RoomSpec, ...] = ()
    partners: tuple[PartnerSpec, ...] = ()

    def with_uuids(self) -> EventSettings:
        """The same settings with a new uuid for every room and partner that has none."""
        return replace(
            self,
            rooms=tuple(r if r.uuid else replace(r, uuid=uuid_mod.uuid4()) for r in self.rooms),
            partners=tuple(p if p.uuid else replace(p, uuid=uuid_mod.uuid4()) for p in self.partners),
        )


# -- validation ----------------------------------------------------------------------------


class EventRule(Protocol):
    def check(self, data: EventData) -> Iterable[Problem]: ...


@dataclass(frozen=True)
class TitleRequired:
    def check(self, data: EventData) -> Iterable[Problem]:
        if not any(v.strip() for v in data.title.values()):
            yield Problem("title", "The event needs a title in at least one language (English, Russian or Kazakh).")


@dataclass(frozen=True)
class TextLengths:
    def check(self, data: EventData) -> Iterable[Problem]:
        for key, label in TEXT_LABELS.items():
            limit = TITLE_MAX if key in ("title", "subtitle") else TEXT_MAX
            for lang, value in getattr(data, key).items():
                if len(value) > limit:
                    yield Problem(f"{key}.{lang}",
                                  f"The {language_label(lang)} {label} is longer than {limit} characters.")


@dataclass(frozen=True)
class DatesInOrder:
    def check(self, data: EventData) -> Iterable[Problem]:
        if data.starts_on is None:
            yield Problem("starts_on", "The event needs a start date.")
        if data.ends_on is None:
            yield Problem("ends_on", "The event needs an end date.")
        if data.starts_on is not None and data.ends_on is not None and data.ends_on < data.starts_on:
            yield Problem("ends_on", f"The end date ({format_dates(data.ends_on, data.ends_on)}) is before "
                                     f"the start date ({format_dates(data.starts_on, data.starts_on)}).")


@cache
def known_timezones() -> frozenset[str]:
    """The IANA time zone names this computer knows."""
    return frozenset(zoneinfo.available_timezones())


def timezone_problem(name: str) -> str | None:
    """Why ``name`` is not a time zone, or None."""
    name = name.strip()
    if not name:
        return "The event needs a time zone (such as Asia/Almaty)."
    if name not in known_timezones():
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return f"“{name}” is not a time zone: choose one from the list, such as Asia/Almaty or Europe/Berlin."
    return None


@dataclass(frozen=True)
class TimeZoneKnown:
    def check(self, data: EventData) -> Iterable[Problem]:
        message = timezone_problem(data.timezone)
        if message:
            yield Problem("timezone", message)


@dataclass(frozen=True)
class LanguagesChosen:
    def check(self, data: EventData) -> Iterable[Problem]:
        if not data.languages:
            yield Problem("languages", "Choose at least one language for the event's programme.")
        for code in data.languages:
            if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
                yield Problem("languages", f"“{code}” is not a language code (two or three letters, such as en).")


@dataclass(frozen=True)
class MissingTranslations:
    """A title, venue or city with text in some of the event's languages but not all."""

    def check(self, data: EventData) -> Iterable[Problem]:
        for key in ("title", "subtitle", "venue", "city"):
            texts = getattr(data, key)
            if not texts:
                continue
            for lang in data.languages:
                if not texts.get(lang):
                    yield Problem(f"{key}.{lang}", f"No {language_label(lang)} {TEXT_LABELS[key]} yet: "
                                                   "another language is printed in its place.", Severity.WARNING)


EVENT_RULES: tuple[EventRule, ...] = (
    TitleRequired(), TextLengths(), DatesInOrder(), TimeZoneKnown(), LanguagesChosen(), MissingTranslations(),
)


def validate_event(data: EventData, rules: Iterable[EventRule] = EVENT_RULES) -> Report:
    cleaned = data.cleaned()
    return collect(problem for rule in rules for problem in rule.check(cleaned))


def room_label(room: RoomSpec, number: int, lang: str = "en") -> str:
    return f"“{text(room.name, lang)}”" if text(room.name, lang) else f"room {number}"


def validate_rooms(rooms: Sequence[RoomSpec]) -> Report:
    """Every room named (in some language), no two with one name, capacities sensible."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, room in enumerate(rooms, start=1):
        name = _clean(room.name)
        where = f"rooms.{n - 1}"
        if not name:
            problems.append(Problem(f"{where}.name", f"Room {n} has no name: give it one in at least one language."))
        for lang, value in name.items():
            if len(value) > ROOM_NAME_MAX:
                problems.append(Problem(f"{where}.name", f"The {language_label(lang)} name of room {n} is longer "
                                                         f"than {ROOM_NAME_MAX} characters."))
        for key in {name_key(v) for v in name.values()} - {""}:
            if key in seen and seen[key] != n:
                problems.append(Problem(f"{where}.name", f"Rooms {seen[key]} and {n} have the same name, "
                                                         f"{room_label(room, n)}: give each room its own."))
                break
            seen[key] = n
        if room.capacity is not None and not (isinstance(room.capacity, int) and 0 < room.capacity <= CAPACITY_MAX):
            problems.append(Problem(f"{where}.capacity", f"The capacity of {room_label(room, n)} must be a whole "
                                                         f"number from 1 to {CAPACITY_MAX:,}, or left empty."))
    return Report(tuple(problems))


def validate_partners(partners: Sequence[PartnerSpec], names: Mapping[uuid_mod.UUID, str] | None = None) -> Report:
    """No organisation twice in the same role."""
    problems: list[Problem] = []
    seen: set[tuple[uuid_mod.UUID, PartnerRole]] = set()
    for n, partner in enumerate(partners):
        key = (partner.organisation, partner.role)
        if key in seen:
            name = (names or {}).get(partner.organisation, "An organisation")
            problems.append(Problem(f"partners.{n}", f"{name} is listed twice as {PARTNER_LABELS[partner.role]}."))
        seen.add(key)
    return Report(tuple(problems))


def validate_settings(settings: EventSettings, names: Mapping[uuid_mod.UUID, str] | None = None) -> Report:
    return Report((*validate_event(settings.data).problems, *validate_rooms(settings.rooms).problems,
                   *validate_partners(settings.partners, names).problems))


# -- reading -----------------------------------------------------------------------------


def event_id_for(session: OrmSession, value: uuid_mod.UUID) -> int:
    found = session.scalar(select(Event.id).where(Event.uuid == value))
    if found is None:
        raise EventGone("That event no longer exists.")
    return int(found)


def event_uuid(session: OrmSession, event_id: int) -> uuid_mod.UUID:
    found = session.scalar(select(Event.uuid).where(Event.id == event_id))
    if found is None:
        raise EventGone(f"There is no event with id {event_id} (any more).")
    return found


def load_event(session: OrmSession, event_id: int) -> EventData:
    row = session.execute(
        select(Event.title, Event.subtitle, Event.starts_on, Event.ends_on, Event.timezone, Event.venue,
               Event.city, Event.languages).where(Event.id == event_id)
    ).one_or_none()
    if row is None:
        raise EventGone(f"There is no event with id {event_id} (any more).")
    return EventData(dict(row[0] or {}), dict(row[1] or {}), row[2], row[3], row[4] or "UTC",
                     dict(row[5] or {}), dict(row[6] or {}), tuple(row[7] or ()))


def load_settings(session: OrmSession, event_id: int) -> EventSettings:
    data = load_event(session, event_id)
    rooms = tuple(
        RoomSpec(dict(name or {}), capacity, ruuid) for name, capacity, ruuid in session.execute(
            select(Room.name, Room.capacity, Room.uuid).where(Room.event_id == event_id)
            .order_by(Room.position, Room.id))
    )
    partners = tuple(
        PartnerSpec(org_uuid, role, puuid) for org_uuid, role, puuid in session.execute(
            select(Organisation.uuid, EventOrganisation.role, EventOrganisation.uuid)
            .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
            .where(EventOrganisation.event_id == event_id)
            .order_by(EventOrganisation.position, EventOrganisation.id))
    )
    return EventSettings(data, rooms, partners)


@dataclass(frozen=True)
class RoomRow:
    """A room of an event for the editor: its spec and how many sessions and items use it."""

    spec: RoomSpec
    sessions: int
    items: int


def room_rows(session: OrmSession, event_id: int) -> list[RoomRow]:
    s_count = select(AgendaSession.room_id, func.count().label("n")).group_by(AgendaSession.room_id).subquery()
    i_count = select(AgendaItem.room_id, func.count().label("n")).group_by(AgendaItem.room_id).subquery()
    rows = session.execute(
        select(Room.name, Room.capacity, Room.uuid, func.coalesce(s_count.c.n, 0), func.coalesce(i_count.c.n, 0))
        .outerjoin(s_count, s_count.c.room_id == Room.id)
        .outerjoin(i_count, i_count.c.room_id == Room.id)
        .where(Room.event_id == event_id).order_by(Room.position, Room.id)
    ).all()
    return [RoomRow(RoomSpec(dict(n or {}), c, u), int(s), int(i)) for n, c, u, s, i in rows]


@dataclass(frozen=True)
class OrganisationInfo:
    """What the partner list shows of an organisation."""

    uuid: uuid_mod.UUID
    id: int
    name: dict[str, str]
    short_name: dict[str, str]
    logo: bytes | None
    logo_mime: str | None

    def label(self, lang: str = "en") -> str:
        return text(self.name, lang) or text(self.short_name, lang) or "Unnamed organisation"


def organisation_info(session: OrmSession,
                      organisation_uuids: Iterable[uuid_mod.UUID]) -> dict[uuid_mod.UUID, OrganisationInfo]:
    """Names and logos of the organisations named by uuid (those that exist)."""
    wanted = list(set(organisation_uuids))
    out: dict[uuid_mod.UUID, OrganisationInfo] = {}
    for chunk in _chunks(wanted):
        for ouuid, oid, name, short, logo, mime in session.execute(
            select(Organisation.uuid, Organisation.id, Organisation.name, Organisation.short_name,
                   Organisation.logo, Organisation.logo_mime).where(Organisation.uuid.in_(chunk))
        ):
            out[ouuid] = OrganisationInfo(ouuid, oid, dict(name or {}), dict(short or {}), logo, mime)
    return out


def organisation_uuid_of(session: OrmSession, organisation_id: int) -> uuid_mod.UUID:
    found = session.scalar(select(Organisation.uuid).where(Organisation.id == organisation_id))
    if found is None:
        raise EventGone(f"There is no organisation with id {organisation_id} (any more).")
    return found


def agenda_outside(session: OrmSession, event_id: int, starts_on: dt.date, ends_on: dt.date) -> int:
    """How many sessions and items of the event lie (partly) outside those days."""
    first = dt.datetime.combine(starts_on, dt.time.min)
    after = dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time.min)
    n = 0
    for model in (AgendaSession, AgendaItem):
        n += int(session.scalar(
            select(func.count()).select_from(model).where(
                model.event_id == event_id, (model.starts_at < first) | (model.ends_at > after))
        ) or 0)
    return n


# -- the event's own fields -----------------------------------------------------------------


def _event_values(data: EventData) -> dict[str, Any]:
    return {
        "title": dict(data.title), "subtitle": dict(data.subtitle), "starts_on": data.starts_on,
        "ends_on": data.ends_on, "timezone": data.timezone, "venue": dict(data.venue), "city": dict(data.city),
        "languages": list(data.languages),
    }


def _checked_event(data: EventData) -> EventData:
    cleaned = data.cleaned()
    report = validate_event(cleaned)
    if not report.is_valid:
        raise InvalidData(report)
    return cleaned


def update_event(session: OrmSession, event_id: int, data: EventData) -> EventData:
    """Store an event's fields; the previous ones (pass them back to undo)."""
    cleaned = _checked_event(data)
    before = load_event(session, event_id)
    session.execute(update(Event).where(Event.id == event_id).values(**_event_values(cleaned)))
    return before


# -- rooms ---------------------------------------------------------------------------------


def _room_id(session: OrmSession, room_uuid: uuid_mod.UUID) -> int:
    found = session.scalar(select(Room.id).where(Room.uuid == room_uuid))
    if found is None:
        raise EventGone("That room no longer exists.")
    return int(found)


def _check_room(room: RoomSpec, others: Sequence[RoomSpec]) -> None:
    rooms = [*others, room]
    report = validate_rooms(rooms)
    mine = [p for p in report.errors if p.field.startswith(f"rooms.{len(rooms) - 1}.")]
    if mine:
        raise InvalidData(Report(tuple(mine)))


def _other_rooms(session: OrmSession, event_id: int, exclude: int | None = None) -> list[RoomSpec]:
    return [RoomSpec(dict(n or {}), c) for rid, n, c in session.execute(
        select(Room.id, Room.name, Room.capacity).where(Room.event_id == event_id).order_by(Room.position, Room.id))
        if rid != exclude]


def add_room(session: OrmSession, event_id: int, name: Mapping[str, str], capacity: int | None = None, *,
             uuid: uuid_mod.UUID | None = None) -> uuid_mod.UUID:
    """Add a room at the end of the event's list; its uuid (``remove_room`` undoes it)."""
    room = RoomSpec(_clean(name), capacity)
    _check_room(room, _other_rooms(session, event_id))
    new_uuid = uuid or uuid_mod.uuid4()
    position = session.scalar(select(func.coalesce(func.max(Room.position) + 1, 0)).where(Room.event_id == event_id))
    session.execute(insert(Room).values(uuid=new_uuid, event_id=event_id, name=room.name, capacity=capacity,
                                        position=int(position or 0)))
    return new_uuid


def rename_room(session: OrmSession, room_id: int, name: Mapping[str, str]) -> dict[str, str]:
    """Give a room a new name; the old one."""
    row = session.execute(select(Room.event_id, Room.name, Room.capacity).where(Room.id == room_id)).one_or_none()
    if row is None:
        raise EventGone("That room no longer exists.")
    _check_room(RoomSpec(_clean(name), row[2]), _other_rooms(session, row[0], exclude=room_id))
    session.execute(update(Room).where(Room.id == room_id).values(name=_clean(name)))
    return dict(row[1] or {})


def set_room_capacity(session: OrmSession, room_id: int, capacity: int | None) -> int | None:
    """Set a room's capacity (None: unknown); the old one."""
    row = session.execute(select(Room.event_id, Room.name, Room.capacity).where(Room.id == room_id)).one_or_none()
    if row is None:
        raise EventGone("That room no longer exists.")
    _check_room(RoomSpec(dict(row[1] or {}), capacity), _other_rooms(session, row[0], exclude=room_id))
    session.execute(update(Room).where(Room.id == room_id).values(capacity=capacity))
    return row[2]


def _reorder(session: OrmSession, model: type[Room] | type[EventOrganisation], event_id: int,
             order: Sequence[uuid_mod.UUID]) -> list[uuid_mod.UUID]:
    current = list(session.scalars(select(model.uuid).where(model.event_id == event_id)
                                   .order_by(model.position, model.id)))
    if sorted(map(str, current)) != sorted(map(str, order)):
        raise EventGone("The list changed meanwhile (another desk?): open the event again.")
    for position, value in enumerate(order):
        session.execute(update(model).where(model.uuid == value).values(position=position))
    return current


def reorder_rooms(session: OrmSession, event_id: int, order: Sequence[uuid_mod.UUID]) -> list[uuid_mod.UUID]:
    """Put the event's rooms in ``order`` (their uuids); the previous order."""
    return _reorder(session, Room, event_id, order)


@dataclass(frozen=True)
class RoomUsage:
    name: str
    sessions: int
    items: int

    def sentence(self) -> str:
        if not self.sessions and not self.items:
            return f"No session or item takes place in {self.name}."
        parts = []
        if self.sessions:
            parts.append(f"{self.sessions} session{'s' if self.sessions != 1 else ''}")
        if self.items:
            parts.append(f"{self.items} item{'s' if self.items != 1 else ''}")
        return (f"{' and '.join(parts)} take{'s' if self.sessions + self.items == 1 else ''} place in "
                f"{self.name}; without it they will have no room.")


def room_usage(session: OrmSession, room_id: int, lang: str = "en") -> RoomUsage:
    name = session.scalar(select(Room.name).where(Room.id == room_id))
    if name is None:
        raise EventGone("That room no longer exists.")
    n_sessions = session.scalar(
        select(func.count()).select_from(AgendaSession).where(AgendaSession.room_id == room_id)) or 0
    n_items = session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.room_id == room_id)) or 0
    label = f"“{text(name, lang)}”" if text(name, lang) else "the room"
    return RoomUsage(label, int(n_sessions), int(n_items))


@dataclass(frozen=True)
class RemovedRoom:
    """A room as it was, with the sessions and items that lost it."""

    image: RowImage
    sessions: tuple[uuid_mod.UUID, ...]
    items: tuple[uuid_mod.UUID, ...]


def remove_room(session: OrmSession, room_id: int) -> RemovedRoom:
    """Remove a room; sessions and items in it become room-less (``ON DELETE SET NULL``)."""
    images = take_images(session, "room", Room.__table__.c.id == room_id)
    if not images:
        raise EventGone("That room no longer exists.")
    sessions = tuple(session.scalars(
        select(AgendaSession.uuid).where(AgendaSession.room_id == room_id).order_by(AgendaSession.id)))
    items = tuple(session.scalars(select(AgendaItem.uuid).where(AgendaItem.room_id == room_id).order_by(AgendaItem.id)))
    session.expire_all()
    session.execute(delete(Room).where(Room.id == room_id))
    return RemovedRoom(images[0], sessions, items)


def restore_room(session: OrmSession, removed: RemovedRoom) -> int:
    """Put a removed room back (same id and uuid) and into its sessions and items again."""
    (room_id,) = _restore(session, [removed.image])
    if room_id is None:
        raise EventGone("The event of that room no longer exists.")
    _give_room(session, room_id, removed.sessions, removed.items)
    return room_id


def _give_room(session: OrmSession, room_id: int, sessions: Sequence[uuid_mod.UUID],
               items: Sequence[uuid_mod.UUID]) -> None:
    for chunk in _chunks(list(sessions)):
        session.execute(update(AgendaSession).where(AgendaSession.uuid.in_(chunk)).values(room_id=room_id))
    for chunk in _chunks(list(items)):
        session.execute(update(AgendaItem).where(AgendaItem.uuid.in_(chunk)).values(room_id=room_id))


# -- partners and logos ----------------------------------------------------------------------


def _organisation_id(session: OrmSession, organisation_uuid: uuid_mod.UUID) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.uuid == organisation_uuid))
    if found is None:
        raise EventGone("An organisation of the event's partners no longer exists.")
    return int(found)


def add_partner(session: OrmSession, event_id: int, organisation_id: int, role: PartnerRole, *,
                uuid: uuid_mod.UUID | None = None) -> uuid_mod.UUID:
    """Name an organisation as organiser, co-organiser, funder or partner (at the end of the
    list); the new row's uuid (``remove_partner`` undoes it)."""
    role = PartnerRole(role)
    exists = session.scalar(select(EventOrganisation.id).where(
        EventOrganisation.event_id == event_id, EventOrganisation.organisation_id == organisation_id,
        EventOrganisation.role == role))
    if exists is not None:
        name = session.scalar(select(Organisation.name).where(Organisation.id == organisation_id))
        raise InvalidData(Report((Problem("partners", f"{text(name) or 'That organisation'} is already "
                                                      f"the event's {PARTNER_LABELS[role]}."),)))
    new_uuid = uuid or uuid_mod.uuid4()
    position = session.scalar(select(func.coalesce(func.max(EventOrganisation.position) + 1, 0))
                              .where(EventOrganisation.event_id == event_id))
    session.execute(insert(EventOrganisation).values(uuid=new_uuid, event_id=event_id, organisation_id=organisation_id,
                                                     role=role, position=int(position or 0)))
    return new_uuid


def remove_partner(session: OrmSession, partner_uuid: uuid_mod.UUID) -> RowImage:
    """Take an organisation off the event's partners; the row as it was."""
    images = take_images(session, "event_organisation", EventOrganisation.__table__.c.uuid == partner_uuid)
    if not images:
        raise EventGone("That partner is no longer on the event.")
    session.expire_all()
    session.execute(delete(EventOrganisation).where(EventOrganisation.uuid == partner_uuid))
    return images[0]


def restore_partner(session: OrmSession, image: RowImage) -> int:
    (pid,) = _restore(session, [image])
    if pid is None:
        raise EventGone("The event of that partner no longer exists.")
    return pid


def reorder_partners(session: OrmSession, event_id: int, order: Sequence[uuid_mod.UUID]) -> list[uuid_mod.UUID]:
    """Put the event's partners in ``order`` (their uuids); the previous order."""
    return _reorder(session, EventOrganisation, event_id, order)


def logo_mime(data: bytes, mime: str | None = None) -> str:
    """The type of a logo, checked: PNG or JPEG by its magic numbers, at most
    ``MAX_LOGO_BYTES``; ``ImageError`` (one sentence) for anything else."""
    if mime is not None and mime not in LOGO_MIMES:
        if "svg" in mime:
            raise ImageError("A logo is stored as PNG or JPEG: an SVG must be converted to PNG first.")
        raise ImageError(f"A logo must be a PNG or JPEG image, not {mime}.")
    info = image_info(data, what="logo")
    if mime is not None and mime != info.mime:
        raise ImageError(f"The logo is a {info.mime.split('/')[1].upper()} image but was given as {mime}.")
    return info.mime


@dataclass(frozen=True)
class Logo:
    data: bytes | None
    mime: str | None


def set_logo(session: OrmSession, organisation_id: int, data: bytes | None, mime: str | None = None) -> Logo:
    """Give an organisation a logo (PNG or JPEG bytes; None removes it); the previous one."""
    checked: str | None = None
    if data is not None:
        try:
            checked = logo_mime(data, mime)
        except ImageError as exc:
            raise InvalidData(Report((Problem("logo", str(exc)),))) from None
    row = session.execute(select(Organisation.logo, Organisation.logo_mime)
                          .where(Organisation.id == organisation_id)).one_or_none()
    if row is None:
        raise EventGone(f"There is no organisation with id {organisation_id} (any more).")
    session.execute(update(Organisation).where(Organisation.id == organisation_id)
                    .values(logo=data, logo_mime=checked))
    return Logo(row[0], row[1] if row[0] is not None else None)


# -- all settings at once (the event dialog) ---------------------------------------------------


@dataclass(frozen=True)
class RoomUses:
    """Sessions and items (uuids) by the room (uuid) they were in, for rooms removed."""

    sessions: Mapping[uuid_mod.UUID, tuple[uuid_mod.UUID, ...]] = field(default_factory=dict)
    items: Mapping[uuid_mod.UUID, tuple[uuid_mod.UUID, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SettingsChange:
    """What ``apply_settings`` did: the state before and after (uuids filled in), the room
    of every session and item whose room it removed, and the rows it removed (rooms and
    partners), so that putting them back gives them their ids again."""

    event_id: int
    before: EventSettings
    after: EventSettings
    room_uses: RoomUses
    removed: tuple[RowImage, ...] = ()


def apply_settings(session: OrmSession, event_id: int, settings: EventSettings, *,
                   room_uses: RoomUses | None = None, images: Sequence[RowImage] = (),
                   check: bool = True) -> SettingsChange:
    """Make the event's fields, rooms and partners those of ``settings`` (rooms and partners
    are matched by uuid: new ones are added, missing ones removed, the rest updated and put
    in order). An undo passes ``room_uses`` (sessions and items get their room back) and
    ``images`` (removed rows come back with their ids); ``check`` False puts back a state
    read from the database as it was, without judging it again."""
    settings = settings.with_uuids()
    settings = replace(settings, data=settings.data.cleaned(),
                       rooms=tuple(replace(r, name=_clean(r.name)) for r in settings.rooms))
    if check:
        report = validate_settings(settings)
        if not report.is_valid:
            raise InvalidData(report)
    by_uuid = {image.uuid: image for image in images}
    before = load_settings(session, event_id)
    session.expire_all()
    session.execute(update(Event).where(Event.id == event_id).values(**_event_values(settings.data)))
    t = Base.metadata.tables

    # Rooms: remove, then update and add in order.
    stored = dict(session.execute(select(Room.uuid, Room.id).where(Room.event_id == event_id)).all())
    wanted = {r.uuid for r in settings.rooms}
    removed: list[RowImage] = []
    uses_sessions: dict[uuid_mod.UUID, tuple[uuid_mod.UUID, ...]] = {}
    uses_items: dict[uuid_mod.UUID, tuple[uuid_mod.UUID, ...]] = {}
    for room_uuid, room_id in stored.items():
        if room_uuid in wanted:
            continue
        uses_sessions[room_uuid] = tuple(session.scalars(
            select(AgendaSession.uuid).where(AgendaSession.room_id == room_id)))
        uses_items[room_uuid] = tuple(session.scalars(select(AgendaItem.uuid).where(AgendaItem.room_id == room_id)))
        removed += take_images(session, "room", t["room"].c.id == room_id)
        session.execute(delete(Room).where(Room.id == room_id))
    for position, room in enumerate(settings.rooms):
        values = {"name": dict(room.name), "capacity": room.capacity, "position": position}
        if room.uuid not in stored and room.uuid in by_uuid:
            (restored,) = _restore(session, [by_uuid[room.uuid]])
            if restored is not None:
                stored[room.uuid] = restored  # type: ignore[index]
        if room.uuid in stored:
            session.execute(update(Room).where(Room.id == stored[room.uuid]).values(**values))
        else:
            if session.scalar(select(Room.id).where(Room.uuid == room.uuid)) is not None:
                raise RestoreError("a room with the same identity belongs to another event")
            session.execute(insert(Room).values(uuid=room.uuid, event_id=event_id, **values))
    for room_uuid, sessions in (room_uses.sessions if room_uses else {}).items():
        _give_room(session, _room_id(session, room_uuid), sessions, ())
    for room_uuid, items in (room_uses.items if room_uses else {}).items():
        _give_room(session, _room_id(session, room_uuid), (), items)

    # Partners: remove, then update and add in order.
    stored_p = dict(session.execute(select(EventOrganisation.uuid, EventOrganisation.id)
                                    .where(EventOrganisation.event_id == event_id)).all())
    wanted_p = {p.uuid for p in settings.partners}
    for puuid, pid in stored_p.items():
        if puuid not in wanted_p:
            removed += take_images(session, "event_organisation", t["event_organisation"].c.id == pid)
            session.execute(delete(EventOrganisation).where(EventOrganisation.id == pid))
    for position, partner in enumerate(settings.partners):
        org_id = _organisation_id(session, partner.organisation)
        values = {"organisation_id": org_id, "role": PartnerRole(partner.role), "position": position}
        if partner.uuid not in stored_p and partner.uuid in by_uuid:
            (restored,) = _restore(session, [by_uuid[partner.uuid]])
            if restored is not None:
                stored_p[partner.uuid] = restored  # type: ignore[index]
        if partner.uuid in stored_p:
            session.execute(update(EventOrganisation).where(EventOrganisation.id == stored_p[partner.uuid])
                            .values(**values))
        else:
            session.execute(insert(EventOrganisation).values(uuid=partner.uuid, event_id=event_id, **values))
    session.flush()
    return SettingsChange(event_id, before, settings, RoomUses(uses_sessions, uses_items), tuple(removed))


def undo_settings(session: OrmSession, change: SettingsChange) -> SettingsChange:
    """Put back what ``apply_settings`` (or an earlier undo) changed: the rooms and partners
    it removed with their ids, each session and item in its room again. Returns the change
    this undo made — undoing that is the redo."""
    return apply_settings(session, change.event_id, change.before, room_uses=change.room_uses,
                          images=change.removed, check=False)


def redo_settings(session: OrmSession, undone: SettingsChange) -> SettingsChange:
    """The redo of a change, given what its undo returned."""
    return undo_settings(session, undone)


# -- an edit from the dialog: new organisations, logos and settings in one --------------------


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation typed in the dialog, made by the edit with this uuid."""

    uuid: uuid_mod.UUID
    data: OrganisationData


@dataclass(frozen=True)
class LogoSpec:
    """A logo to set (or clear, ``data`` None) on an organisation named by uuid."""

    organisation: uuid_mod.UUID
    data: bytes | None
    mime: str | None = None


@dataclass(frozen=True)
class EventEdit:
    """What the event dialog hands over: the settings, the organisations to make first, and
    the logos to change."""

    settings: EventSettings
    new_organisations: tuple[NewOrganisation, ...] = ()
    logos: tuple[LogoSpec, ...] = ()


@dataclass(frozen=True)
class ExtrasDone:
    """Organisations made and logos changed by an edit (with the logos before)."""

    created: tuple[uuid_mod.UUID, ...]
    logos_before: tuple[LogoSpec, ...]


def apply_extras(session: OrmSession, edit: EventEdit) -> ExtrasDone:
    created = []
    for new in edit.new_organisations:
        create_organisation(session, new.data, uuid=new.uuid)
        created.append(new.uuid)
    before = []
    for logo in edit.logos:
        old = set_logo(session, _organisation_id(session, logo.organisation), logo.data, logo.mime)
        before.append(LogoSpec(logo.organisation, old.data, old.mime))
    return ExtrasDone(tuple(created), tuple(before))


def undo_extras(session: OrmSession, done: ExtrasDone) -> None:
    for logo in reversed(done.logos_before):
        try:
            oid = _organisation_id(session, logo.organisation)
        except EventGone:
            continue
        session.execute(update(Organisation).where(Organisation.id == oid)
                        .values(logo=logo.data, logo_mime=logo.mime))
    for org_uuid in reversed(done.created):
        found = session.scalar(select(Organisation.id).where(Organisation.uuid == org_uuid))
        if found is not None:
            delete_organisation(session, int(found))


@dataclass(frozen=True)
class EditDone:
    settings: SettingsChange
    extras: ExtrasDone


def edit_event(session: OrmSession, event_id: int, edit: EventEdit) -> EditDone:
    """Apply a dialog's edit to an event; ``undo_edit`` takes it back."""
    extras = apply_extras(session, edit)
    change = apply_settings(session, event_id, edit.settings)
    return EditDone(change, extras)


def undo_edit(session: OrmSession, done: EditDone) -> SettingsChange:
    """Take an edit back; what ``redo_edit`` needs."""
    undone = undo_settings(session, done.settings)
    undo_extras(session, done.extras)
    return undone


def redo_edit(session: OrmSession, edit: EventEdit, undone: SettingsChange) -> EditDone:
    """Make an edit again (same uuids, same ids for the rows its undo had put back)."""
    extras = apply_extras(session, edit)
    return EditDone(redo_settings(session, undone), extras)


def create_event(session: OrmSession, edit: EventEdit | EventSettings, *,
                 uuid: uuid_mod.UUID | None = None) -> tuple[int, EditDone]:
    """Add an event with its rooms and partners (and the organisations and logos of the
    edit); its id and what was done (``delete_event`` then ``undo_extras`` undo it)."""
    if isinstance(edit, EventSettings):
        edit = EventEdit(edit)
    data = _checked_event(edit.settings.data)
    extras = apply_extras(session, edit)
    values = _event_values(data)
    result = session.execute(insert(Event).values(uuid=uuid or uuid_mod.uuid4(), is_demo=False, **values))
    key = result.inserted_primary_key
    assert key is not None
    event_id = int(key[0])
    change = apply_settings(session, event_id, edit.settings)
    return event_id, EditDone(change, extras)


# -- deleting and restoring --------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


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
        parts = [_plural(self.sessions, "session"), _plural(self.items, "agenda item"),
                 _plural(self.registrations, "registration"), _plural(self.check_ins, "check-in")]
        return (f"Deleting “{self.title}” also deletes its {', '.join(parts[:-1])} and {parts[-1]}, "
                f"{_plural(self.rooms, 'room')} and its list of {_plural(self.partners, 'partner')} "
                "(the people and organisations stay in the roster).")


def event_impact(session: OrmSession, event_id: int, lang: str = "en") -> EventImpact:
    title = session.scalar(select(Event.title).where(Event.id == event_id))
    if title is None:
        raise EventGone(f"There is no event with id {event_id} (any more).")

    def count(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
    items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
    regs = select(Registration.id).where(Registration.event_id == event_id)
    return EventImpact(
        text(title, lang) or "Untitled event",
        count(AgendaSession, AgendaSession.event_id == event_id),
        count(AgendaItem, AgendaItem.event_id == event_id),
        count(Role, Role.session_id.in_(sessions) | Role.item_id.in_(items)),
        count(Registration, Registration.event_id == event_id),
        count(CheckIn, CheckIn.registration_id.in_(regs)),
        count(Room, Room.event_id == event_id),
        count(EventOrganisation, EventOrganisation.event_id == event_id),
    )


@dataclass(frozen=True)
class EventSnapshot:
    """Every row of a deleted event, parents first: restore it with ``restore_event``."""

    event_uuid: uuid_mod.UUID
    images: tuple[RowImage, ...]

    def count(self, table: str) -> int:
        return sum(1 for image in self.images if image.table == table)


def _event_rows(session: OrmSession, event_id: int) -> list[RowImage]:
    t = Base.metadata.tables
    sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
    items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
    regs = select(Registration.id).where(Registration.event_id == event_id)
    images: list[RowImage] = []
    images += take_images(session, "event", t["event"].c.id == event_id)
    images += take_images(session, "room", t["room"].c.event_id == event_id)
    images += take_images(session, "event_organisation", t["event_organisation"].c.event_id == event_id)
    images += take_images(session, "session", t["session"].c.event_id == event_id)
    images += take_images(session, "agenda_item", t["agenda_item"].c.event_id == event_id)
    images += take_images(session, "role", t["role"].c.session_id.in_(sessions) | t["role"].c.item_id.in_(items))
    images += take_images(session, "registration", t["registration"].c.event_id == event_id)
    images += take_images(session, "check_in", t["check_in"].c.registration_id.in_(regs))
    return images


def delete_event(session: OrmSession, event_id: int) -> EventSnapshot:
    """Delete an event and everything of it (see ``event_impact``); every row as it was."""
    images = _event_rows(session, event_id)
    if not images:
        raise EventGone(f"There is no event with id {event_id} (any more).")
    session.expire_all()
    regs = select(Registration.id).where(Registration.event_id == event_id)
    # Check-ins restrict the deletion of their registration (they are append-only): they go
    # first, explicitly; the rest follows the event through ON DELETE CASCADE.
    session.execute(delete(CheckIn).where(CheckIn.registration_id.in_(regs)))
    session.execute(delete(Event).where(Event.id == event_id))
    session.flush()
    return EventSnapshot(images[0].uuid, tuple(images))


def restore_event(session: OrmSession, snapshot: EventSnapshot) -> int:
    """Put a deleted event back with every row it had (same ids where still free, same uuids)."""
    ids = _restore(session, snapshot.images)
    if ids[0] is None:
        raise RestoreError("the event could not be restored")
    return int(ids[0])


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _foreign(table: Table) -> dict[str, Table]:
    out: dict[str, Table] = {}
    for column in table.columns:
        for fk in column.foreign_keys:
            out[column.key] = fk.column.table  # type: ignore[assignment]
    return out


def _ondelete(table: Table, column: str) -> str:
    for fk in table.c[column].foreign_keys:
        return (fk.ondelete or "RESTRICT").upper()
    return "RESTRICT"


def _ids_by_uuid(session: OrmSession, table: Table, uuids: Iterable[uuid_mod.UUID]) -> dict[uuid_mod.UUID, int]:
    wanted = list(set(uuids))
    out: dict[uuid_mod.UUID, int] = {}
    for chunk in _chunks(wanted):
        out.update({u: int(i) for u, i in session.execute(select(table.c.uuid, table.c.id)
                                                          .where(table.c.uuid.in_(chunk)))})
    return out


def _restore(session: OrmSession, images: Sequence[RowImage]) -> list[int | None]:
    """``desktop.core.rows.restore_rows`` in bulk: one query per table and chunk, not per row.

    Rows are inserted table by table in the order given (parents first); foreign keys are
    found by the uuids of the rows they point to; a row whose parent is gone is treated as
    the database would have (``SET NULL``: key emptied; ``CASCADE``: not restored, None;
    ``RESTRICT``: ``RestoreError``). The old integer key is kept when it is free.
    """
    out: list[int | None] = [None] * len(images)
    skipped: set[uuid_mod.UUID] = set()
    groups: list[tuple[str, list[int]]] = []
    for n, image in enumerate(images):
        if groups and groups[-1][0] == image.table:
            groups[-1][1].append(n)
        else:
            groups.append((image.table, [n]))
    for table_name, positions in groups:
        table = Base.metadata.tables[table_name]
        batch = [images[n] for n in positions]
        if _ids_by_uuid(session, table, [im.uuid for im in batch]):
            raise RestoreError(f"a {table_name.replace('_', ' ')} with the same identity exists already")
        foreign = _foreign(table)
        found: dict[str, dict[uuid_mod.UUID, int]] = {
            column: _ids_by_uuid(session, target, [im.refs[column] for im in batch if column in im.refs])
            for column, target in foreign.items()
        }
        rows: list[tuple[int, dict[str, Any]]] = []
        for n, image in zip(positions, batch):
            values = dict(image.values)
            keep = True
            for column, ref in image.refs.items():
                if ref in found[column]:
                    values[column] = found[column][ref]
                    continue
                rule = _ondelete(table, column)
                if ref in skipped or rule == "CASCADE":
                    keep = False
                elif rule == "SET NULL":
                    values[column] = None
                else:
                    raise RestoreError(f"the {foreign[column].name.replace('_', ' ')} this "
                                       f"{table_name.replace('_', ' ')} belonged to no longer exists")
            if keep:
                rows.append((n, values))
            else:
                skipped.add(image.uuid)
        taken: set[int] = set()
        for chunk in _chunks([v["id"] for _, v in rows]):
            taken.update(int(i) for i in session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        free = [v for _, v in rows if v["id"] not in taken]
        if free:
            session.execute(insert(table), free)
        for n, values in rows:
            if values["id"] in taken:
                values = {k: v for k, v in values.items() if k != "id"}
                result = session.execute(insert(table).values(**values))
                key = result.inserted_primary_key
                out[n] = int(key[0]) if key else None
            else:
                out[n] = int(values["id"])
    session.flush()
    return out


# -- duplicating ---------------------------------------------------------------------------------


def next_year(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class Duplicated:
    event_id: int
    uuid: uuid_mod.UUID
    days: int  # how far every date and time moved


def duplicate_event(session: OrmSession, event_id: int, starts_on: dt.date, *,
                    uuid: uuid_mod.UUID | None = None) -> Duplicated:
    """Copy an event as a template starting on ``starts_on``: its fields, rooms, partners,
    sessions, items and roles (new uuids; every date and time moved by the same number of
    days). Registrations and check-ins are not copied. ``delete_event`` undoes it."""
    source = session.execute(select(Event.__table__).where(Event.id == event_id)).mappings().one_or_none()
    if source is None:
        raise EventGone(f"There is no event with id {event_id} (any more).")
    shift = starts_on - source["starts_on"]
    skip = {"id", "uuid", "created_at", "updated_at"}

    def copy(row: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
        values = {k: v for k, v in row.items() if k not in skip}
        values["uuid"] = uuid_mod.uuid4()
        values.update(changes)
        return values

    def add(table: Table, values: dict[str, Any]) -> int:
        key = session.execute(insert(table).values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    event_values = copy(source, starts_on=starts_on, ends_on=source["ends_on"] + shift, is_demo=False, notes=None)
    if uuid is not None:
        event_values["uuid"] = uuid
    new_event = add(Event.__table__, event_values)

    t = Base.metadata.tables
    rooms: dict[int, int] = {}
    for row in session.execute(select(t["room"]).where(t["room"].c.event_id == event_id)
                               .order_by(t["room"].c.id)).mappings().all():
        rooms[row["id"]] = add(t["room"], copy(row, event_id=new_event))
    for row in session.execute(select(t["event_organisation"]).where(t["event_organisation"].c.event_id == event_id)
                               .order_by(t["event_organisation"].c.id)).mappings().all():
        add(t["event_organisation"], copy(row, event_id=new_event))
    sessions: dict[int, int] = {}
    for row in session.execute(select(t["session"]).where(t["session"].c.event_id == event_id)
                               .order_by(t["session"].c.id)).mappings().all():
        sessions[row["id"]] = add(t["session"], copy(
            row, event_id=new_event, room_id=rooms.get(row["room_id"]),
            starts_at=row["starts_at"] + shift, ends_at=row["ends_at"] + shift))
    items: dict[int, int] = {}
    for row in session.execute(select(t["agenda_item"]).where(t["agenda_item"].c.event_id == event_id)
                               .order_by(t["agenda_item"].c.id)).mappings().all():
        items[row["id"]] = add(t["agenda_item"], copy(
            row, event_id=new_event, room_id=rooms.get(row["room_id"]),
            session_id=sessions.get(row["session_id"]),
            starts_at=row["starts_at"] + shift, ends_at=row["ends_at"] + shift))
    role_rows = [
        copy(row, session_id=sessions.get(row["session_id"]), item_id=items.get(row["item_id"]))
        for row in session.execute(
            select(t["role"]).where(t["role"].c.session_id.in_(list(sessions)) | t["role"].c.item_id.in_(list(items)))
            .order_by(t["role"].c.id)).mappings().all()
    ] if sessions or items else []
    if role_rows:
        session.execute(insert(t["role"]), role_rows)
    session.flush()
    return Duplicated(new_event, event_values["uuid"], shift.days)


__all__ = [
    "EventData", "RoomSpec", "PartnerSpec", "EventSettings", "EventEdit", "NewOrganisation", "LogoSpec",
    "validate_event", "validate_rooms", "validate_partners", "validate_settings", "timezone_problem",
    "load_event", "load_settings", "room_rows", "organisation_info", "partner_logos", "agenda_outside",
    "update_event", "add_room", "rename_room", "set_room_capacity", "reorder_rooms", "remove_room",
    "restore_room", "room_usage", "add_partner", "remove_partner", "restore_partner", "reorder_partners",
    "set_logo", "logo_mime", "apply_settings", "undo_settings", "redo_settings", "apply_extras",
    "undo_extras", "edit_event", "undo_edit", "redo_edit", "create_event", "event_impact", "delete_event",
    "restore_event", "duplicate_event", "next_year", "EventGone", "EventSnapshot", "EventImpact",
]
