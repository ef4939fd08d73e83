"""Setting an event up: its fields, rooms, partners and their logos (the event dialog).

Every edit here runs inside the caller's transaction (``database.write()``) and returns one
``desktop.core.changes.Change`` about the event (its ``subject`` is ``RowRef("event", …)``);
``desktop.core.changes.revert`` takes it back with the very same rows — a removed room comes
back with its id and uuid, and the sessions and items that lost it are in it again — and
returns the inverse, which redoes it:

* ``edit_event`` is the dialog's whole edit as one change: the organisations typed in it,
  the logos set or cleared, and ``apply_settings`` (the event's fields, its rooms and its
  partners as an ``EventSettings`` says: new ones added, missing ones removed, the rest
  updated and put in order).
* Single steps for the fields (``update_event``), rooms (``add_room``, ``rename_room``,
  ``set_room_capacity``, ``reorder_rooms``, ``remove_room``), partners (``add_partner``,
  ``remove_partner``, ``reorder_partners``) and a logo (``set_logo``, a change about the
  organisation).
* ``record_settings`` and ``record_extras`` write the same into a ``Recorder`` the caller
  holds (``desktop.core.event_lifecycle`` makes a new event with them).

Creating, deleting and duplicating a whole event are in ``desktop.core.event_lifecycle``.

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

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    AgendaItem,
    AgendaSession,
    Event,
    EventOrganisation,
    NameForm,
    Organisation,
    PartnerRole,
    Room,
)
from db.types import LANGUAGES
from desktop.core import formats
from desktop.core.changes import Change, Recorder, RowRef
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
from desktop.core.events import partner_logos  # re-exported
from desktop.core.folding import name_key
from desktop.core.i18n import text
from desktop.core.language import N_, NP_, _, interface_language, np_, p_
from desktop.core.organisations import OrganisationData, create_organisation

TITLE_MAX = 500
TEXT_MAX = 300
ROOM_NAME_MAX = 120
CAPACITY_MAX = 100_000
MAX_LOGO_BYTES = MAX_PHOTO_BYTES
LOGO_MIMES = ("image/png", "image/jpeg")
CHUNK = 500
"""Keys per ``IN (…)`` list."""

SIGNATORY_FIELDS = ("signatory1_name", "signatory1_title", "signatory2_name", "signatory2_title")
"""Who signs the event's certificates: two signatories, each a name and a title per language."""
TEXT_LABELS: dict[str, str] = {
    "title": NP_("event field", "Title"), "subtitle": NP_("event field", "Subtitle"),
    "venue": NP_("event field", "Venue"), "city": NP_("event field", "City"),
    "signatory1_name": NP_("event field", "First signatory's name"),
    "signatory1_title": NP_("event field", "First signatory's title"),
    "signatory2_name": NP_("event field", "Second signatory's name"),
    "signatory2_title": NP_("event field", "Second signatory's title"),
}
"""The event's texts as problems name them (translated where shown: ``field_label``)."""
# Translators: a text of the event inside a sentence ("The Russian {field} is longer than …").
FIELD_WORDS: dict[str, str] = {
    "title": NP_("event field in a sentence", "title"), "subtitle": NP_("event field in a sentence", "subtitle"),
    "venue": NP_("event field in a sentence", "venue"), "city": NP_("event field in a sentence", "city"),
    "signatory1_name": NP_("event field in a sentence", "name of the first signatory"),
    "signatory1_title": NP_("event field in a sentence", "title of the first signatory"),
    "signatory2_name": NP_("event field in a sentence", "name of the second signatory"),
    "signatory2_title": NP_("event field in a sentence", "title of the second signatory"),
}
TOO_LONG: dict[str, str] = {
    "en": N_("The English {field} is longer than {limit} characters."),
    "ru": N_("The Russian {field} is longer than {limit} characters."),
    "kk": N_("The Kazakh {field} is longer than {limit} characters."),
}
TWICE: dict[PartnerRole, str] = {
    PartnerRole.ORGANISER: N_("{name} is listed twice as organiser."),
    PartnerRole.CO_ORGANISER: N_("{name} is listed twice as co-organiser."),
    PartnerRole.FUNDER: N_("{name} is listed twice as funder."),
    PartnerRole.PARTNER: N_("{name} is listed twice as partner."),
}
ALREADY: dict[PartnerRole, str] = {
    PartnerRole.ORGANISER: N_("{name} is already the event's organiser."),
    PartnerRole.CO_ORGANISER: N_("{name} is already the event's co-organiser."),
    PartnerRole.FUNDER: N_("{name} is already the event's funder."),
    PartnerRole.PARTNER: N_("{name} is already the event's partner."),
}


def field_label(key: str) -> str:
    """"Title", "Venue"… of ``TEXT_LABELS``, in the interface language."""
    return p_("event field", TEXT_LABELS[key])


class EventGone(LookupError):
    """The event (or a room, partner or organisation of it) no longer exists."""


EVENT_GONE = N_("That event no longer exists.")
ORGANISATION_GONE = N_("That organisation no longer exists.")
ROOM_GONE = N_("That room no longer exists.")
"""The messages of ``EventGone`` (raised translated: ``EventGone(_(EVENT_GONE))``)."""


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


# -- the data an editor changes -------------------------------------------------------------


def _clean(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {lang: " ".join(value.split()) for lang, value in (texts or {}).items() if value and value.strip()}


@dataclass(frozen=True)
class EventData:
    """An event's own fields. Texts are ``{language: text}``; dates are the first and last
    day; ``timezone`` an IANA name ("Asia/Almaty"); ``languages`` the content languages;
    ``badge_name`` how badges and name cards write names (``db.models.NameForm``);
    ``signatory1_name`` … ``signatory2_title`` who signs its certificates (a name and a
    title each, per language; a signatory without a name is not printed)."""

    title: Mapping[str, str] = field(default_factory=dict)
    subtitle: Mapping[str, str] = field(default_factory=dict)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    timezone: str = "UTC"
    venue: Mapping[str, str] = field(default_factory=dict)
    city: Mapping[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = LANGUAGES
    badge_name: NameForm = NameForm.SHORT
    signatory1_name: Mapping[str, str] = field(default_factory=dict)
    signatory1_title: Mapping[str, str] = field(default_factory=dict)
    signatory2_name: Mapping[str, str] = field(default_factory=dict)
    signatory2_title: Mapping[str, str] = field(default_factory=dict)

    def cleaned(self) -> EventData:
        seen: list[str] = []
        for code in self.languages:
            code = code.strip().lower()
            if code and code not in seen:
                seen.append(code)
        return replace(
            self, title=_clean(self.title), subtitle=_clean(self.subtitle), venue=_clean(self.venue),
            city=_clean(self.city), timezone=self.timezone.strip(), languages=tuple(seen),
            badge_name=NameForm(self.badge_name), signatory1_name=_clean(self.signatory1_name),
            signatory1_title=_clean(self.signatory1_title), signatory2_name=_clean(self.signatory2_name),
            signatory2_title=_clean(self.signatory2_title),
        )

    def display(self, lang: str = "en") -> str:
        return text(self.title, lang) or _("Untitled event")


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
            yield Problem("title", _("The event needs a title in at least one language (English, Russian or "
                                     "Kazakh)."))


@dataclass(frozen=True)
class TextLengths:
    def check(self, data: EventData) -> Iterable[Problem]:
        for key in TEXT_LABELS:
            limit = TITLE_MAX if key in ("title", "subtitle") else TEXT_MAX
            for lang, value in getattr(data, key).items():
                if len(value) > limit:
                    yield Problem(f"{key}.{lang}", _too_long(key, lang, limit))


def _too_long(key: str, lang: str, limit: int) -> str:
    """"The Russian title is longer than 500 characters." (a language of its own message, else named)."""
    if lang in TOO_LONG:
        return _(TOO_LONG[lang]).format(field=p_("event field in a sentence", FIELD_WORDS[key]),
                                        limit=formats.number(limit))
    # Translators: {field} is Title, Subtitle, Venue or City; {language} a language's name or code.
    return _("{field} ({language}) is longer than {limit} characters.").format(
        field=field_label(key), language=language_label(lang), limit=formats.number(limit))


@dataclass(frozen=True)
class SignatoriesNamed:
    """A signatory's title is printed under their name: a title without a name is a mistake."""

    def check(self, data: EventData) -> Iterable[Problem]:
        for n in (1, 2):
            if getattr(data, f"signatory{n}_title") and not getattr(data, f"signatory{n}_name"):
                yield Problem(f"signatory{n}_name", _("The first signatory has a title but no name.") if n == 1
                              else _("The second signatory has a title but no name."))


@dataclass(frozen=True)
class DatesInOrder:
    def check(self, data: EventData) -> Iterable[Problem]:
        if data.starts_on is None:
            yield Problem("starts_on", _("The event needs a start date."))
        if data.ends_on is None:
            yield Problem("ends_on", _("The event needs an end date."))
        if data.starts_on is not None and data.ends_on is not None and data.ends_on < data.starts_on:
            yield Problem("ends_on", _("The end date ({end}) is before the start date ({start}).").format(
                end=formats.date(data.ends_on), start=formats.date(data.starts_on)))


@cache
def known_timezones() -> frozenset[str]:
    """The IANA time zone names this computer knows."""
    return frozenset(zoneinfo.available_timezones())


def timezone_problem(name: str) -> str | None:
    """Why ``name`` is not a time zone, or None."""
    name = name.strip()
    if not name:
        return _("The event needs a time zone (such as Asia/Almaty).")
    if name not in known_timezones():
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return _("“{name}” is not a time zone: choose one from the list, such as Asia/Almaty or "
                     "Europe/Berlin.").format(name=name)
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
            yield Problem("languages", _("Choose at least one language for the event's programme."))
        for code in data.languages:
            if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
                yield Problem("languages", _("“{code}” is not a language code (two or three letters, such as "
                                             "en).").format(code=code))


@dataclass(frozen=True)
class MissingTranslations:
    """A title, venue or city with text in some of the event's languages but not all."""

    def check(self, data: EventData) -> Iterable[Problem]:
        for key in ("title", "subtitle", "venue", "city", *SIGNATORY_FIELDS):
            texts = getattr(data, key)
            if not texts:
                continue
            for lang in data.languages:
                if not texts.get(lang):
                    # Translators: {field} is Title, Subtitle, Venue, City or a signatory's name or
                    # title; {language} a language's name.
                    yield Problem(f"{key}.{lang}", _("{field} ({language}): no translation yet, another language "
                                                     "is printed in its place.").format(
                        field=field_label(key), language=language_label(lang)), Severity.WARNING)


EVENT_RULES: tuple[EventRule, ...] = (
    TitleRequired(), TextLengths(), SignatoriesNamed(), DatesInOrder(), TimeZoneKnown(), LanguagesChosen(),
    MissingTranslations(),
)


def validate_event(data: EventData, rules: Iterable[EventRule] = EVENT_RULES) -> Report:
    cleaned = data.cleaned()
    return collect(problem for rule in rules for problem in rule.check(cleaned))


def room_label(room: RoomSpec, number: int, lang: str = "en") -> str:
    """"“Main hall”", or "room 2" for a room without a name."""
    name = text(room.name, lang)
    return _("“{name}”").format(name=name) if name else _("room {n}").format(n=number)


def validate_rooms(rooms: Sequence[RoomSpec]) -> Report:
    """Every room named (in some language), no two with one name, capacities sensible."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, room in enumerate(rooms, start=1):
        name = _clean(room.name)
        where = f"rooms.{n - 1}"
        if not name:
            problems.append(Problem(f"{where}.name", _("Room {n} has no name: give it one in at least one "
                                                       "language.").format(n=n)))
        for lang, value in name.items():
            if len(value) > ROOM_NAME_MAX:
                # Translators: {language} is a language's name ("Russian").
                problems.append(Problem(f"{where}.name", _("Room {n}: the name ({language}) is longer than "
                                                           "{limit} characters.").format(
                    n=n, language=language_label(lang), limit=formats.number(ROOM_NAME_MAX))))
        for key in {name_key(v) for v in name.values()} - {""}:
            if key in seen and seen[key] != n:
                problems.append(Problem(f"{where}.name", _("Rooms {first} and {n} have the same name, “{name}”: "
                                                           "give each room its own.").format(
                    first=seen[key], n=n, name=text(room.name, interface_language()))))
                break
            seen[key] = n
        if room.capacity is not None and not (isinstance(room.capacity, int) and 0 < room.capacity <= CAPACITY_MAX):
            # Translators: {room} is a room's name in quotes, or "room 2".
            problems.append(Problem(f"{where}.capacity", _("The capacity of {room} must be a whole number from 1 "
                                                           "to {most}, or left empty.").format(
                room=room_label(room, n), most=formats.number(CAPACITY_MAX))))
    return Report(tuple(problems))


def validate_partners(partners: Sequence[PartnerSpec], names: Mapping[uuid_mod.UUID, str] | None = None) -> Report:
    """No organisation twice in the same role."""
    problems: list[Problem] = []
    seen: set[tuple[uuid_mod.UUID, PartnerRole]] = set()
    for n, partner in enumerate(partners):
        key = (partner.organisation, partner.role)
        if key in seen:
            name = (names or {}).get(partner.organisation) or _("An organisation")
            problems.append(Problem(f"partners.{n}", _(TWICE[partner.role]).format(name=name)))
        seen.add(key)
    return Report(tuple(problems))


def validate_settings(settings: EventSettings, names: Mapping[uuid_mod.UUID, str] | None = None) -> Report:
    return Report((*validate_event(settings.data).problems, *validate_rooms(settings.rooms).problems,
                   *validate_partners(settings.partners, names).problems))


# -- reading -----------------------------------------------------------------------------


def event_id_for(session: OrmSession, value: uuid_mod.UUID) -> int:
    found = session.scalar(select(Event.id).where(Event.uuid == value))
    if found is None:
        raise EventGone(_(EVENT_GONE))
    return int(found)


def event_uuid(session: OrmSession, event_id: int) -> uuid_mod.UUID:
    found = session.scalar(select(Event.uuid).where(Event.id == event_id))
    if found is None:
        raise EventGone(_(EVENT_GONE))
    return found


def load_event(session: OrmSession, event_id: int) -> EventData:
    row = session.execute(
        select(Event.title, Event.subtitle, Event.starts_on, Event.ends_on, Event.timezone, Event.venue,
               Event.city, Event.languages, Event.badge_name, *(getattr(Event, k) for k in SIGNATORY_FIELDS))
        .where(Event.id == event_id)
    ).one_or_none()
    if row is None:
        raise EventGone(_(EVENT_GONE))
    return EventData(dict(row[0] or {}), dict(row[1] or {}), row[2], row[3], row[4] or "UTC",
                     dict(row[5] or {}), dict(row[6] or {}), tuple(row[7] or ()), row[8] or NameForm.SHORT,
                     *(dict(v or {}) for v in row[9:]))


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
        return text(self.name, lang) or text(self.short_name, lang) or _("Unnamed organisation")


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
        raise EventGone(_(ORGANISATION_GONE))
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


def event_ref(session: OrmSession, event_id: int) -> RowRef:
    """The event as a change names it (``EventGone`` when it is not there)."""
    return RowRef("event", event_id, event_uuid(session, event_id))


# -- the event's own fields -----------------------------------------------------------------


def event_values(data: EventData) -> dict[str, Any]:
    """The ``event`` row's columns for an event's fields."""
    return {
        "title": dict(data.title), "subtitle": dict(data.subtitle), "starts_on": data.starts_on,
        "ends_on": data.ends_on, "timezone": data.timezone, "venue": dict(data.venue), "city": dict(data.city),
        "languages": list(data.languages), "badge_name": NameForm(data.badge_name),
        **{key: dict(getattr(data, key)) for key in SIGNATORY_FIELDS},
    }


def checked_event(data: EventData) -> EventData:
    """The fields cleaned, or ``InvalidData`` with what is wrong."""
    cleaned = data.cleaned()
    report = validate_event(cleaned)
    if not report.is_valid:
        raise InvalidData(report)
    return cleaned


def update_event(session: OrmSession, event_id: int, data: EventData, base: EventData | None = None) -> Change:
    """Store an event's fields. ``base``: the event as the editor read it (others' changes
    since are kept; both changing a field is an ``EditConflict``)."""
    cleaned = checked_event(data)
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    rec.update("event", Event.id == event_id, event_values(cleaned))
    rec.expect(ref, event_values(base) if base is not None else None)
    return rec.change(ref)


# -- rooms ---------------------------------------------------------------------------------


def _room_id(session: OrmSession, room_uuid: uuid_mod.UUID) -> int:
    found = session.scalar(select(Room.id).where(Room.uuid == room_uuid))
    if found is None:
        raise EventGone(_(ROOM_GONE))
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


def _room(session: OrmSession, room_id: int) -> tuple[int, dict[str, str], int | None]:
    """A room's event, name and capacity."""
    row = session.execute(select(Room.event_id, Room.name, Room.capacity).where(Room.id == room_id)).one_or_none()
    if row is None:
        raise EventGone(_(ROOM_GONE))
    return int(row[0]), dict(row[1] or {}), row[2]


def add_room(session: OrmSession, event_id: int, name: Mapping[str, str], capacity: int | None = None, *,
             uuid: uuid_mod.UUID | None = None) -> Change:
    """Add a room at the end of the event's list (with the uuid given, else a new one)."""
    room = RoomSpec(_clean(name), capacity)
    ref = event_ref(session, event_id)
    _check_room(room, _other_rooms(session, event_id))
    position = session.scalar(select(func.coalesce(func.max(Room.position) + 1, 0)).where(Room.event_id == event_id))
    rec = Recorder(session)
    rec.insert("room", {"uuid": uuid or uuid_mod.uuid4(), "event_id": event_id, "name": room.name,
                        "capacity": capacity, "position": int(position or 0)})
    return rec.change(ref)


def rename_room(session: OrmSession, room_id: int, name: Mapping[str, str]) -> Change:
    """Give a room a new name."""
    event_id, _name, capacity = _room(session, room_id)
    _check_room(RoomSpec(_clean(name), capacity), _other_rooms(session, event_id, exclude=room_id))
    rec = Recorder(session)
    rec.update("room", Room.id == room_id, {"name": _clean(name)})
    return rec.change(event_ref(session, event_id))


def set_room_capacity(session: OrmSession, room_id: int, capacity: int | None) -> Change:
    """Set a room's capacity (None: unknown)."""
    event_id, name, _capacity = _room(session, room_id)
    _check_room(RoomSpec(name, capacity), _other_rooms(session, event_id, exclude=room_id))
    rec = Recorder(session)
    rec.update("room", Room.id == room_id, {"capacity": capacity})
    return rec.change(event_ref(session, event_id))


def _reorder(rec: Recorder, model: type[Room] | type[EventOrganisation], event_id: int,
             order: Sequence[uuid_mod.UUID]) -> None:
    table = "room" if model is Room else "event_organisation"
    current = {row_uuid: position for row_uuid, position in rec.session.execute(
        select(model.uuid, model.position).where(model.event_id == event_id))}
    if sorted(map(str, current)) != sorted(map(str, order)):
        raise EventGone(_("The list changed meanwhile (another desk?): open the event again."))
    for position, value in enumerate(order):
        if current[value] != position:
            rec.update(table, model.uuid == value, {"position": position})


def reorder_rooms(session: OrmSession, event_id: int, order: Sequence[uuid_mod.UUID]) -> Change:
    """Put the event's rooms in ``order`` (their uuids)."""
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    _reorder(rec, Room, event_id, order)
    return rec.change(ref)


@dataclass(frozen=True)
class RoomUsage:
    name: str
    sessions: int
    items: int

    def sentence(self) -> str:
        if not self.sessions and not self.items:
            # Translators: {room} is the room's name in quotes, or "the room".
            return _("No session or item takes place in {room}.").format(room=self.name)
        # Translators: {room} is the room's name in quotes, or "the room"; {usage} says how many
        # sessions and items ("3 sessions, 11 items").
        return _("{room} is used by {usage}; without it they will have no room.").format(
            usage=usage_text(self.sessions, self.items), room=self.name)


def usage_text(sessions: int, items: int) -> str:
    """"3 sessions, 11 items" (what takes place in a room), "—" for nothing."""
    parts = []
    if sessions:
        parts.append(np_("room usage", "{n} session", "{n} sessions", sessions).format(n=formats.number(sessions)))
    if items:
        parts.append(np_("room usage", "{n} item", "{n} items", items).format(n=formats.number(items)))
    return ", ".join(parts) or "—"


def room_usage(session: OrmSession, room_id: int, lang: str = "en") -> RoomUsage:
    name = session.scalar(select(Room.name).where(Room.id == room_id))
    if name is None:
        raise EventGone(_(ROOM_GONE))
    n_sessions = session.scalar(
        select(func.count()).select_from(AgendaSession).where(AgendaSession.room_id == room_id)) or 0
    n_items = session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.room_id == room_id)) or 0
    label = _("“{name}”").format(name=text(name, lang)) if text(name, lang) else _("the room")
    return RoomUsage(label, int(n_sessions), int(n_items))


def remove_room(session: OrmSession, room_id: int) -> Change:
    """Remove a room; sessions and items in it become room-less (``ON DELETE SET NULL``),
    and get it back when the change is reverted."""
    event_id, _name, _capacity = _room(session, room_id)
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    rec.delete("room", Room.id == room_id)
    return rec.change(ref)


# -- partners and logos ----------------------------------------------------------------------


def _organisation_id(session: OrmSession, organisation_uuid: uuid_mod.UUID) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.uuid == organisation_uuid))
    if found is None:
        raise EventGone(_("An organisation of the event's partners no longer exists."))
    return int(found)


def add_partner(session: OrmSession, event_id: int, organisation_id: int, role: PartnerRole, *,
                uuid: uuid_mod.UUID | None = None) -> Change:
    """Name an organisation as organiser, co-organiser, funder or partner (at the end of the
    list; the row gets the uuid given, else a new one)."""
    role = PartnerRole(role)
    ref = event_ref(session, event_id)
    exists = session.scalar(select(EventOrganisation.id).where(
        EventOrganisation.event_id == event_id, EventOrganisation.organisation_id == organisation_id,
        EventOrganisation.role == role))
    if exists is not None:
        name = session.scalar(select(Organisation.name).where(Organisation.id == organisation_id))
        shown = text(name, interface_language()) or _("That organisation")
        raise InvalidData(Report((Problem("partners", _(ALREADY[role]).format(name=shown)),)))
    position = session.scalar(select(func.coalesce(func.max(EventOrganisation.position) + 1, 0))
                              .where(EventOrganisation.event_id == event_id))
    rec = Recorder(session)
    rec.insert("event_organisation", {"uuid": uuid or uuid_mod.uuid4(), "event_id": event_id,
                                      "organisation_id": organisation_id, "role": role,
                                      "position": int(position or 0)})
    return rec.change(ref)


def remove_partner(session: OrmSession, partner_uuid: uuid_mod.UUID) -> Change:
    """Take an organisation off the event's partners."""
    event_id = session.scalar(select(EventOrganisation.event_id).where(EventOrganisation.uuid == partner_uuid))
    if event_id is None:
        raise EventGone(_("That partner is no longer on the event."))
    ref = event_ref(session, int(event_id))
    rec = Recorder(session)
    rec.delete("event_organisation", EventOrganisation.uuid == partner_uuid)
    return rec.change(ref)


def reorder_partners(session: OrmSession, event_id: int, order: Sequence[uuid_mod.UUID]) -> Change:
    """Put the event's partners in ``order`` (their uuids)."""
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    _reorder(rec, EventOrganisation, event_id, order)
    return rec.change(ref)


def logo_mime(data: bytes, mime: str | None = None) -> str:
    """The type of a logo, checked: PNG or JPEG by its magic numbers, at most
    ``MAX_LOGO_BYTES``; ``ImageError`` (one sentence) for anything else."""
    if mime is not None and mime not in LOGO_MIMES:
        if "svg" in mime:
            raise ImageError(_("A logo is stored as PNG or JPEG: an SVG must be converted to PNG first."))
        # Translators: {type} is a file's media type, such as image/gif.
        raise ImageError(_("A logo must be a PNG or JPEG image, not {type}.").format(type=mime))
    info = image_info(data, what="logo")
    if mime is not None and mime != info.mime:
        # Translators: {kind} is PNG or JPEG; {type} a media type, such as image/png.
        raise ImageError(_("The logo is a {kind} image but was given as {type}.").format(
            kind=info.mime.split("/")[1].upper(), type=mime))
    return info.mime


def _record_logo(rec: Recorder, organisation_id: int, data: bytes | None, mime: str | None) -> RowRef:
    checked: str | None = None
    if data is not None:
        try:
            checked = logo_mime(data, mime)
        except ImageError as exc:
            raise InvalidData(Report((Problem("logo", str(exc)),))) from None
    found = rec.session.scalar(select(Organisation.uuid).where(Organisation.id == organisation_id))
    if found is None:
        raise EventGone(_(ORGANISATION_GONE))
    rec.update("organisation", Organisation.id == organisation_id, {"logo": data, "logo_mime": checked})
    return RowRef("organisation", organisation_id, found)


def set_logo(session: OrmSession, organisation_id: int, data: bytes | None, mime: str | None = None) -> Change:
    """Give an organisation a logo (PNG or JPEG bytes; None removes it): a change about the
    organisation."""
    rec = Recorder(session)
    ref = _record_logo(rec, organisation_id, data, mime)
    return rec.change(ref)


# -- all settings at once (the event dialog) ---------------------------------------------------


def record_settings(rec: Recorder, event_id: int, settings: EventSettings,
                    base: EventSettings | None = None) -> None:
    """Make the event's fields, rooms and partners those of ``settings``, recorded in
    ``rec`` (see ``apply_settings``).

    ``base``: the rooms and partners as the dialog read them (its fields are the caller's
    ``expect``). Then what someone else did to them since is kept where the dialog did not
    do it too: a room or partner they added stays, one they removed is not made again
    unless the dialog changed it, a room they renamed keeps its name unless the dialog
    renamed it as well (an ``EditConflict``: ``Recorder.expect`` on the room), and the
    dialog's order is the one kept (it puts others' new rooms and partners last)."""
    session = rec.session
    settings = settings.with_uuids()
    settings = replace(settings, data=settings.data.cleaned(),
                       rooms=tuple(replace(r, name=_clean(r.name)) for r in settings.rooms))
    report = validate_settings(settings)
    if not report.is_valid:
        raise InvalidData(report)
    rec.update("event", Event.id == event_id, event_values(settings.data))
    if base is not None:
        # The order both changed is the dialog's, without a question (``_merge_with_others``).
        session.info["resolve"] = {"room.position": "mine", "event_organisation.position": "mine",
                                   **(session.info.get("resolve") or {})}

    # Rooms: remove, then update and add in order.
    rooms = {row_uuid: (row_id, dict(name or {}), capacity, position)
             for row_uuid, row_id, name, capacity, position in session.execute(
                 select(Room.uuid, Room.id, Room.name, Room.capacity, Room.position).where(Room.event_id == event_id))}
    read = {r.uuid: (index, r) for index, r in enumerate(base.rooms)} if base is not None else None
    wanted = {r.uuid for r in settings.rooms}
    gone = [row_id for row_uuid, (row_id, *_rest) in rooms.items()
            if row_uuid not in wanted and (read is None or row_uuid in read)]  # not one added meanwhile
    if gone:
        rec.delete("room", Room.id.in_(gone))
    chosen = list(settings.rooms)
    if read is not None:
        chosen = [r for r in chosen if r.uuid in rooms or r.uuid not in read
                  or (dict(r.name), r.capacity) != (_clean(read[r.uuid][1].name), read[r.uuid][1].capacity)]
        chosen += [RoomSpec(name, capacity, row_uuid)  # others' new rooms, after the dialog's
                   for row_uuid, (_id, name, capacity, _pos) in sorted(rooms.items(), key=lambda r: r[1][3])
                   if row_uuid not in wanted and row_uuid not in read]
    for position, room in enumerate(chosen):
        values: dict[str, Any] = {"name": dict(room.name), "capacity": room.capacity, "position": position}
        stored = rooms.get(room.uuid) if room.uuid is not None else None
        if stored is None:
            rec.insert("room", {"uuid": room.uuid, "event_id": event_id, **values})
        elif stored[1:] != (values["name"], values["capacity"], values["position"]):
            rec.update("room", Room.id == stored[0], values)
            was = read.get(room.uuid) if read is not None and room.uuid is not None else None
            if was is not None:
                assert room.uuid is not None
                rec.expect(RowRef("room", stored[0], room.uuid),
                           {"name": _clean(was[1].name), "capacity": was[1].capacity, "position": was[0]})

    # Partners: remove, then update and add in order. A partner taken off and named again
    # in the same role keeps its row, so the pair is never in the table twice (not even
    # for the moment an undo puts the old row back before it removes the new one).
    partners = {row_uuid: (row_id, int(org_id), PartnerRole(role), position)
                for row_uuid, row_id, org_id, role, position in session.execute(
                    select(EventOrganisation.uuid, EventOrganisation.id, EventOrganisation.organisation_id,
                           EventOrganisation.role, EventOrganisation.position)
                    .where(EventOrganisation.event_id == event_id))}
    read_p = {p.uuid: (index, p) for index, p in enumerate(base.partners)} if base is not None else None
    wanted_p = {p.uuid for p in settings.partners}
    added_meanwhile = {row_uuid for row_uuid in partners if read_p is not None and row_uuid not in read_p}
    leaving = {(org_id, role): row_uuid for row_uuid, (_id, org_id, role, _pos) in partners.items()
               if row_uuid not in wanted_p}
    rows: list[tuple[uuid_mod.UUID, dict[str, Any]]] = []
    for position, partner in enumerate(settings.partners):
        assert partner.uuid is not None
        if read_p is not None and partner.uuid not in partners and partner.uuid in read_p \
                and (partner.organisation, partner.role) == (read_p[partner.uuid][1].organisation,
                                                             read_p[partner.uuid][1].role):
            continue  # removed by someone else meanwhile, and not changed here: it stays removed
        org_id = _organisation_id(session, partner.organisation)
        role = PartnerRole(partner.role)
        row_uuid = partner.uuid if partner.uuid in partners else leaving.pop((org_id, role), partner.uuid)
        rows.append((row_uuid, {"organisation_id": org_id, "role": role, "position": position}))
    kept = {row_uuid for row_uuid, _values in rows}
    for row_uuid in sorted(added_meanwhile - kept, key=lambda u: partners[u][3]):  # others' new partners, last
        _id, org_id, role, _pos = partners[row_uuid]
        rows.append((row_uuid, {"organisation_id": org_id, "role": role, "position": len(rows)}))
        kept.add(row_uuid)
    gone = [row_id for row_uuid, (row_id, *_rest) in partners.items() if row_uuid not in kept]
    if gone:
        rec.delete("event_organisation", EventOrganisation.id.in_(gone))
    for row_uuid, values in rows:
        stored_p = partners.get(row_uuid)
        if stored_p is None:
            rec.insert("event_organisation", {"uuid": row_uuid, "event_id": event_id, **values})
        elif stored_p[1:] != (values["organisation_id"], values["role"], values["position"]):
            rec.update("event_organisation", EventOrganisation.id == stored_p[0], values)
            was_p = read_p.get(row_uuid) if read_p is not None else None
            if was_p is not None:
                rec.expect(RowRef("event_organisation", stored_p[0], row_uuid),
                           {"organisation_id": _organisation_id(session, was_p[1].organisation),
                            "role": PartnerRole(was_p[1].role), "position": was_p[0]})
    session.flush()


def apply_settings(session: OrmSession, event_id: int, settings: EventSettings) -> Change:
    """Make the event's fields, rooms and partners those of ``settings`` (rooms and partners
    are matched by uuid: new ones are added, missing ones removed — sessions and items in a
    removed room are left without one — the rest updated and put in order)."""
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    record_settings(rec, event_id, settings)
    return rec.change(ref)


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


def record_extras(rec: Recorder, edit: EventEdit) -> None:
    """Make the edit's new organisations and set its logos, recorded in ``rec``."""
    for new in edit.new_organisations:
        create_organisation(rec.session, new.data, uuid=new.uuid)
        rec.made("organisation", new.uuid)
    for logo in edit.logos:
        _record_logo(rec, _organisation_id(rec.session, logo.organisation), logo.data, logo.mime)


def edit_event(session: OrmSession, event_id: int, edit: EventEdit,
               base: EventData | EventSettings | None = None) -> Change:
    """Apply a dialog's edit to an event, as one change. ``base``: the event's fields — or
    its settings: fields, rooms and partners — as the dialog read them (others' changes
    since are kept; both changing a field is an ``EditConflict``; ``record_settings``)."""
    ref = event_ref(session, event_id)
    rec = Recorder(session)
    record_extras(rec, edit)
    settings_base = base if isinstance(base, EventSettings) else None
    record_settings(rec, event_id, edit.settings, settings_base)
    data_base = base.data if isinstance(base, EventSettings) else base
    rec.expect(ref, event_values(data_base.cleaned()) if data_base is not None else None)
    return rec.change(ref)


__all__ = [
    "EventData", "RoomSpec", "PartnerSpec", "EventSettings", "EventEdit", "NewOrganisation", "LogoSpec",
    "validate_event", "validate_rooms", "validate_partners", "validate_settings", "timezone_problem",
    "load_event", "load_settings", "room_rows", "organisation_info", "partner_logos", "agenda_outside",
    "event_ref", "event_values", "checked_event", "update_event", "add_room", "rename_room", "set_room_capacity",
    "reorder_rooms", "remove_room", "room_usage", "add_partner", "remove_partner", "reorder_partners",
    "set_logo", "logo_mime", "record_settings", "apply_settings", "record_extras", "edit_event", "EventGone",
    "EVENT_GONE", "ORGANISATION_GONE", "ROOM_GONE", "field_label", "usage_text", "SIGNATORY_FIELDS",
]
