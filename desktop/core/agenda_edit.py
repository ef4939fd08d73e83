"""Editing an event's agenda: sessions, agenda items, the people on stage, the event's days.

Every edit runs inside the caller's write transaction (``Database.write()``) and returns a
``desktop.core.changes.Change`` about the session, item or event it made or changed (its
``subject``). ``desktop.core.changes.revert`` takes it back with the very same rows (same
ids, same uuids) — a deleted session with its items, its roles and its items' roles — and
returns the inverse, so the undo stack needs nothing else.

Times are naive wall-clock ``datetime``s in the event's time zone, as ``load_agenda`` reads
them. Validation is plain data (``desktop.core.checks``): ``validate_session`` and
``validate_item`` give a ``Report`` whose problems name their field in one sentence; the
edits refuse invalid data with ``InvalidData`` and change nothing. Other refusals (a row
gone, a shift past midnight, a day that still holds items) raise ``AgendaError``.

Editing:

* sessions: ``create_session``, ``update_session``, ``duplicate_session``, ``delete_session``;
* items: ``create_item``, ``update_item``, ``duplicate_item``, ``delete_item``,
  ``set_item_session`` (into or out of a session), ``set_item_times`` (the timetable's drag);
* order: ``move_entry`` (a row up or down among its neighbours in the outline: the two
  exchange their time slots), ``shift_from`` (an item and everything after it that day);
* days: ``event_days``, ``set_event_dates``, ``add_day``, ``remove_day`` — the only place
  here that writes ``Event.starts_on``/``ends_on``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_mod
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Final, Literal

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import AgendaItem, AgendaSession, Event, ItemKind, Person, Role, RoleKind, Room
from db.results import inserted_id
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.changes import Change, Recorder, RowRef, resolution
from desktop.core.checks import InvalidData, Problem, Report, Severity, collect, language_label
from desktop.core.i18n import full_name, text
from desktop.core.language import N_, _, n_

EntryKind = Literal["session", "item"]

# Parents before children: the order rows are restored in (and removed in reverse).
_DAY_COLUMNS = ("id", "uuid", "starts_on", "ends_on")

TITLE_MAX = 500
DESCRIPTION_MAX = 4000
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SESSION_ROLES: tuple[RoleKind, ...] = (RoleKind.MODERATOR,)
"""The part people have in a session itself: they moderate or chair it."""


class AgendaError(ValueError):
    """An agenda edit that cannot be made; the message is one sentence for a person (in the
    interface language)."""


# The sentences that differ by what they are about (a session or an agenda item): one
# message each, so that a translation can inflect the noun.
_NEEDS_TITLE = {"session": N_("The session needs a title in at least one language."),
                "item": N_("The item needs a title in at least one language.")}
# Translators: {start} and {end} are times ("10:00").
_ENDS_TOO_EARLY = {"session": N_("The session must end after it starts (it starts at {start} and ends at {end})."),
                   "item": N_("The item must end after it starts (it starts at {start} and ends at {end}).")}
# Translators: {day} is a date ("28 February 2025").
_ENDS_ANOTHER_DAY = {"session": N_("The session must end on the day it starts ({day})."),
                     "item": N_("The item must end on the day it starts ({day}).")}
_GONE = {"session": N_("There is no session with id {id} (any more)."),
         "item": N_("There is no agenda item with id {id} (any more).")}


# -- data of the editors ---------------------------------------------------------------------


@dataclass(frozen=True)
class OnStageRole:
    """A person in a role, as the editor lists them (order is the list's order)."""

    person_id: int
    kind: RoleKind


def _clean_texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {lang: " ".join(value.split()) for lang, value in (texts or {}).items() if value and value.strip()}


def _clean_description(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {lang: value.strip() for lang, value in (texts or {}).items() if value and value.strip()}


@dataclass(frozen=True)
class SessionData:
    """A session as its editor sees it; ``people`` are its moderators/chairs, in order."""

    title: Mapping[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None = None
    colour: str | None = None
    people: tuple[OnStageRole, ...] = ()

    def cleaned(self) -> SessionData:
        colour = (self.colour or "").strip().lower() or None
        return replace(self, title=_clean_texts(self.title), colour=colour, people=tuple(self.people))


@dataclass(frozen=True)
class ItemData:
    """An agenda item as its editor sees it; ``session_id`` None for a top-level item."""

    kind: ItemKind
    title: Mapping[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None = None
    session_id: int | None = None
    description: Mapping[str, str] = field(default_factory=dict)
    people: tuple[OnStageRole, ...] = ()

    def cleaned(self) -> ItemData:
        return replace(self, title=_clean_texts(self.title), description=_clean_description(self.description),
                       people=tuple(self.people))


@dataclass(frozen=True)
class AgendaContext:
    """What validation checks references against: the event's rooms and sessions, and the
    people named (id → name); None for a check that is not to be made."""

    rooms: Mapping[int, str] | None = None
    sessions: Mapping[int, str] | None = None
    people: Mapping[int, str] | None = None


# -- validation: rules as small functions over plain data ------------------------------------


def _title_problems(title: Mapping[str, str], what: EntryKind) -> Iterable[Problem]:
    if not any((title.get(lang) or "").strip() for lang in title):
        yield Problem("title", _(_NEEDS_TITLE[what]))
        return
    for lang, value in title.items():
        if len(value) > TITLE_MAX:
            # Translators: {language} is a language's name ("English"); {limit} a number.
            yield Problem(f"title.{lang}", _("The {language} title is longer than {limit} characters.").format(
                language=language_label(lang), limit=formats.number(TITLE_MAX)))
    for lang in LANGUAGES:
        if not (title.get(lang) or "").strip():
            yield Problem(
                f"title.{lang}",
                # Translators: {language} is a language's name ("Kazakh").
                _("No {language} title yet: the programme prints another language in its place.").format(
                    language=language_label(lang)),
                Severity.WARNING,
            )


def _time_problems(starts_at: dt.datetime, ends_at: dt.datetime, what: EntryKind) -> Iterable[Problem]:
    if ends_at <= starts_at:
        yield Problem("ends_at", _(_ENDS_TOO_EARLY[what]).format(start=formats.time(starts_at),
                                                                 end=formats.time(ends_at)))
    elif (ends_at.date() != starts_at.date()
          and ends_at != dt.datetime.combine(starts_at.date() + dt.timedelta(days=1), dt.time())):
        yield Problem("ends_at", _(_ENDS_ANOTHER_DAY[what]).format(day=formats.date(starts_at.date())))


def _room_problems(room_id: int | None, context: AgendaContext) -> Iterable[Problem]:
    if room_id is not None and context.rooms is not None and room_id not in context.rooms:
        yield Problem("room_id", _("Room {id} is not a room of this event.").format(id=room_id))


def _people_problems(people: Sequence[OnStageRole], context: AgendaContext,
                     allowed: Collection[RoleKind] | None = None) -> Iterable[Problem]:
    seen: set[tuple[int, RoleKind]] = set()
    for entry in people:
        if context.people is not None and entry.person_id not in context.people:
            yield Problem("people", _("Person {id} is not in the roster.").format(id=entry.person_id))
            continue
        name = (context.people or {}).get(entry.person_id) or _("Person {id}").format(id=entry.person_id)
        role = vocabulary.role(entry.kind).lower()
        if allowed is not None and entry.kind not in allowed:
            # Translators: {name} is a person's name; {role} a role in lower case ("speaker").
            yield Problem("people", _("{name} cannot be a {role} of a session: a session has moderators "
                                      "or chairs.").format(name=name, role=role))
        key = (entry.person_id, entry.kind)
        if key in seen:
            # Translators: {name} is a person's name; {role} a role in lower case ("speaker").
            yield Problem("people", _("{name} is listed twice as {role}.").format(name=name, role=role))
        seen.add(key)


def validate_session(data: SessionData, context: AgendaContext = AgendaContext()) -> Report:  # noqa: B008
    """The problems of a session's data (after ``cleaned()``): errors and warnings."""
    data = data.cleaned()
    problems: list[Problem] = [*_title_problems(data.title, "session"),
                               *_time_problems(data.starts_at, data.ends_at, "session"),
                               *_room_problems(data.room_id, context)]
    if data.colour is not None and not COLOUR.match(data.colour):
        # Translators: {value} is what was typed for a colour; keep "#rrggbb" as it is.
        problems.append(Problem("colour", _("“{value}” is not a colour: use the form #rrggbb.").format(
            value=data.colour)))
    problems.extend(_people_problems(data.people, context, SESSION_ROLES))
    return collect(problems)


def validate_item(data: ItemData, context: AgendaContext = AgendaContext()) -> Report:  # noqa: B008
    """The problems of an item's data (after ``cleaned()``): errors and warnings."""
    data = data.cleaned()
    problems: list[Problem] = []
    if not isinstance(data.kind, ItemKind):
        problems.append(Problem("kind", _("“{value}” is not a kind of agenda item.").format(value=data.kind)))
    problems.extend(_title_problems(data.title, "item"))
    for lang, value in data.description.items():
        if len(value) > DESCRIPTION_MAX:
            # Translators: {language} is a language's name ("English"); {limit} a number.
            problems.append(Problem(f"description.{lang}", _(
                "The {language} description is longer than {limit} characters.").format(
                language=language_label(lang), limit=formats.number(DESCRIPTION_MAX))))
    problems.extend(_time_problems(data.starts_at, data.ends_at, "item"))
    problems.extend(_room_problems(data.room_id, context))
    if data.session_id is not None and context.sessions is not None and data.session_id not in context.sessions:
        problems.append(Problem("session_id", _("Session {id} is not a session of this event.").format(
            id=data.session_id)))
    problems.extend(_people_problems(data.people, context))
    return collect(problems)


def load_context(session: OrmSession, event_id: int, person_ids: Iterable[int] = ()) -> AgendaContext:
    rooms = {rid: text(name) for rid, name in session.execute(
        select(Room.id, Room.name).where(Room.event_id == event_id))}
    sessions = {sid: text(title) for sid, title in session.execute(
        select(AgendaSession.id, AgendaSession.title).where(AgendaSession.event_id == event_id))}
    ids = set(person_ids)
    people = {pid: full_name(g, f, None, d) for pid, g, f, d in session.execute(
        select(Person.id, Person.given_name, Person.family_name, Person.display_name).where(Person.id.in_(ids)))
    } if ids else {}
    return AgendaContext(rooms, sessions, people)


def _checked_session(session: OrmSession, event_id: int, data: SessionData) -> SessionData:
    data = data.cleaned()
    report = validate_session(data, load_context(session, event_id, (p.person_id for p in data.people)))
    if not report.is_valid:
        raise InvalidData(report)
    return data


def _checked_item(session: OrmSession, event_id: int, data: ItemData) -> ItemData:
    data = data.cleaned()
    report = validate_item(data, load_context(session, event_id, (p.person_id for p in data.people)))
    if not report.is_valid:
        raise InvalidData(report)
    return data


# -- reading for the editors -----------------------------------------------------------------


def _roles_of(session: OrmSession, where: ColumnElement[bool]) -> tuple[OnStageRole, ...]:
    return tuple(OnStageRole(pid, kind) for pid, kind in session.execute(
        select(Role.person_id, Role.kind).where(where).order_by(Role.position, Role.id)))


def _event_of(session: OrmSession, model: type[AgendaSession] | type[AgendaItem], row_id: int) -> int:
    event_id = session.scalar(select(model.event_id).where(model.id == row_id))
    if event_id is None:
        raise AgendaError(_(_GONE["session" if model is AgendaSession else "item"]).format(id=row_id))
    return int(event_id)


def load_session_data(session: OrmSession, session_id: int) -> SessionData:
    row = session.execute(
        select(AgendaSession.title, AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.room_id,
               AgendaSession.colour)
        .where(AgendaSession.id == session_id)).one_or_none()
    if row is None:
        raise AgendaError(_(_GONE["session"]).format(id=session_id))
    return SessionData(dict(row.title or {}), row.starts_at, row.ends_at, row.room_id, row.colour,
                       _roles_of(session, Role.session_id == session_id))


def load_item_data(session: OrmSession, item_id: int) -> ItemData:
    row = session.execute(
        select(AgendaItem.kind, AgendaItem.title, AgendaItem.starts_at, AgendaItem.ends_at,
               AgendaItem.room_id, AgendaItem.session_id, AgendaItem.description)
        .where(AgendaItem.id == item_id)).one_or_none()
    if row is None:
        raise AgendaError(_(_GONE["item"]).format(id=item_id))
    return ItemData(row.kind, dict(row.title or {}), row.starts_at, row.ends_at, row.room_id, row.session_id,
                    dict(row.description or {}), _roles_of(session, Role.item_id == item_id))


def _uuid_of(session: OrmSession, model: type[AgendaSession] | type[AgendaItem], row_id: int) -> uuid_mod.UUID:
    value = session.scalar(select(model.uuid).where(model.id == row_id))
    if value is None:
        raise AgendaError(_(_GONE["session" if model is AgendaSession else "item"]).format(id=row_id))
    return value


# -- people on stage -------------------------------------------------------------------------


def _set_roles(rec: Recorder, column: Literal["session_id", "item_id"], owner_id: int,
               people: Sequence[OnStageRole]) -> None:
    """Make the roles of a session or item ``people``, in order; a role kept keeps its row."""
    session = rec.session
    col = Role.session_id if column == "session_id" else Role.item_id
    current = rec.touch("role", col == owner_id)
    unused = list(current)
    for position, wanted in enumerate(people):
        match = next((img for img in unused if img.values["person_id"] == wanted.person_id
                      and RoleKind(img.values["kind"]) == wanted.kind), None)
        if match is not None:
            unused.remove(match)
            if match.values["position"] != position:
                session.execute(update(Role.__table__).where(Role.id == match.id).values(position=position))
            continue
        role_uuid = uuid_mod.uuid4()
        session.execute(insert(Role.__table__).values(uuid=role_uuid, person_id=wanted.person_id, kind=wanted.kind,
                                            position=position, **{column: owner_id}))
        rec.made("role", role_uuid)
    for img in unused:
        session.execute(delete(Role).where(Role.id == img.id))


def _merged_roles(session: OrmSession, column: Literal["session_id", "item_id"], owner_id: int,
                  base: Sequence[OnStageRole], mine: Sequence[OnStageRole]) -> list[OnStageRole]:
    """The people on stage an editor's list makes when others may have changed them since it
    read them (``base``): when no one did, the editor's list as it is; else the list as it is
    now, without the people the editor took off, with those it added after them — what
    someone else added or took off since stays so."""
    col = Role.session_id if column == "session_id" else Role.item_id
    now = [OnStageRole(int(p), RoleKind(k)) for p, k in session.execute(
        select(Role.person_id, Role.kind).where(col == owner_id).order_by(Role.position, Role.id))]
    key = [(r.person_id, r.kind) for r in base]
    if [(r.person_id, r.kind) for r in now] == key:
        return list(mine)
    taken_off = set(key) - {(r.person_id, r.kind) for r in mine}
    kept = [r for r in now if (r.person_id, r.kind) not in taken_off]
    present = {(r.person_id, r.kind) for r in kept}
    added = [r for r in mine if (r.person_id, r.kind) not in set(key) and (r.person_id, r.kind) not in present]
    return kept + added


def _copy_roles(rec: Recorder, column: Literal["session_id", "item_id"], source_id: int, target_id: int) -> None:
    col = Role.session_id if column == "session_id" else Role.item_id
    for pid, kind, position in rec.session.execute(
            select(Role.person_id, Role.kind, Role.position).where(col == source_id).order_by(Role.position, Role.id)):
        role_uuid = uuid_mod.uuid4()
        rec.session.execute(insert(Role.__table__).values(uuid=role_uuid, person_id=pid, kind=kind, position=position,
                                                **{column: target_id}))
        rec.made("role", role_uuid)


def _next_position(session: OrmSession, event_id: int, session_id: int | None) -> int:
    if session_id is not None:
        top = session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.session_id == session_id))
        return int(top) + 1 if top is not None else 0
    items = session.scalar(select(func.max(AgendaItem.position)).where(
        AgendaItem.event_id == event_id, AgendaItem.session_id.is_(None)))
    sessions = session.scalar(select(func.max(AgendaSession.position)).where(AgendaSession.event_id == event_id))
    values = [int(v) for v in (items, sessions) if v is not None]
    return max(values) + 1 if values else 0


# -- sessions --------------------------------------------------------------------------------


def create_session(session: OrmSession, event_id: int, data: SessionData) -> Change:
    """A new session of the event with its moderators/chairs."""
    if session.get(Event, event_id) is None:
        raise AgendaError(_("There is no event with id {id} (any more).").format(id=event_id))
    data = _checked_session(session, event_id, data)
    rec = Recorder(session)
    row_uuid = uuid_mod.uuid4()
    result = session.execute(insert(AgendaSession.__table__).values(
        uuid=row_uuid, event_id=event_id, title=data.title, starts_at=data.starts_at, ends_at=data.ends_at,
        room_id=data.room_id, colour=data.colour, position=_next_position(session, event_id, None)))
    session_id = inserted_id(result)
    rec.made("session", row_uuid)
    _set_roles(rec, "session_id", session_id, data.people)
    return rec.change(RowRef("session", session_id, row_uuid))


def _session_values(data: SessionData) -> dict[str, Any]:
    return dict(title=data.title, starts_at=data.starts_at, ends_at=data.ends_at, room_id=data.room_id,
                colour=data.colour)


def update_session(session: OrmSession, session_id: int, data: SessionData, base: SessionData | None = None
                   ) -> Change:
    """Change a session's title, times, room, colour and moderators (its items stay put).
    ``base``: the session as the editor read it — others' changes since are kept where the
    editor did not change them (the moderators too: left alone when the editor did not
    change them), and a field both changed is an ``EditConflict``."""
    event_id = _event_of(session, AgendaSession, session_id)
    data = _checked_session(session, event_id, data)
    rec = Recorder(session)
    (image,) = rec.touch("session", AgendaSession.id == session_id)
    session.execute(update(AgendaSession.__table__).where(AgendaSession.id == session_id)
                    .values(_session_values(data)))
    if base is None:
        _set_roles(rec, "session_id", session_id, data.people)
    elif tuple(base.people) != tuple(data.people):
        _set_roles(rec, "session_id", session_id, _merged_roles(session, "session_id", session_id, base.people,
                                                                data.people))
    ref = RowRef("session", session_id, image.uuid)
    rec.expect(ref, _session_values(base.cleaned()) if base is not None else None)
    return rec.change(ref)


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _duplicate_offset(starts_at: dt.datetime, ends_at: dt.datetime) -> dt.timedelta:
    """A copy goes right after the original, or at the same time when that would leave the day."""
    length = ends_at - starts_at
    if length > dt.timedelta(0) and ends_at + length <= _day_end(starts_at.date()):
        return length
    return dt.timedelta(0)


def duplicate_session(session: OrmSession, session_id: int) -> Change:
    """A copy of a session with its items and everyone's roles, placed right after it."""
    event_id = _event_of(session, AgendaSession, session_id)
    rec = Recorder(session)
    src = session.execute(select(AgendaSession).where(AgendaSession.id == session_id)).scalar_one()
    offset = _duplicate_offset(src.starts_at, src.ends_at)
    row_uuid = uuid_mod.uuid4()
    result = session.execute(insert(AgendaSession.__table__).values(
        uuid=row_uuid, event_id=event_id, title=dict(src.title), starts_at=src.starts_at + offset,
        ends_at=src.ends_at + offset, room_id=src.room_id, colour=src.colour,
        position=_next_position(session, event_id, None)))
    new_id = inserted_id(result)
    rec.made("session", row_uuid)
    _copy_roles(rec, "session_id", session_id, new_id)
    items = session.execute(select(AgendaItem).where(AgendaItem.session_id == session_id)
                            .order_by(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)).scalars().all()
    for item in items:
        _insert_item_copy(rec, item, offset, session_id=new_id, position=item.position)
    session.expire_all()
    return rec.change(RowRef("session", new_id, row_uuid))


def delete_session(session: OrmSession, session_id: int) -> Change:
    """Delete a session with its items and the roles of both."""
    _event_of(session, AgendaSession, session_id)
    rec = Recorder(session)
    (image,) = rec.touch("session", AgendaSession.id == session_id)
    items = select(AgendaItem.id).where(AgendaItem.session_id == session_id)
    rec.touch("agenda_item", AgendaItem.session_id == session_id)
    rec.touch("role", (Role.session_id == session_id) | Role.item_id.in_(items))
    session.execute(delete(Role).where((Role.session_id == session_id) | Role.item_id.in_(items)))
    session.execute(delete(AgendaItem).where(AgendaItem.session_id == session_id))
    session.execute(delete(AgendaSession).where(AgendaSession.id == session_id))
    session.expire_all()
    return rec.change(RowRef("session", session_id, image.uuid))


@dataclass(frozen=True)
class SessionContents:
    """What deleting a session takes with it."""

    items: int
    roles: int

    def sentence(self, title: str) -> str:
        """The question before the session goes (in the interface language)."""
        items = n_("{n} item", "{n} items", self.items).format(n=formats.number(self.items))
        people = on_stage_count(self.roles)
        if self.items and self.roles:
            # Translators: {items} is "3 items", {people} "2 persons on stage".
            return _("Delete the session “{title}” with its {items} and {people}?").format(
                title=title, items=items, people=people)
        if self.items or self.roles:
            # Translators: {what} is "3 items" or "2 persons on stage".
            return _("Delete the session “{title}” with its {what}?").format(
                title=title, what=items if self.items else people)
        return _("Delete the session “{title}”?").format(title=title)


def on_stage_count(n: int) -> str:
    """"2 persons on stage" (in the interface language)."""
    return n_("{n} person on stage", "{n} persons on stage", n).format(n=formats.number(n))


def session_contents(session: OrmSession, session_id: int) -> SessionContents:
    items = select(AgendaItem.id).where(AgendaItem.session_id == session_id)
    n_items = session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.session_id == session_id))
    n_roles = session.scalar(select(func.count()).select_from(Role).where(
        (Role.session_id == session_id) | Role.item_id.in_(items)))
    return SessionContents(int(n_items or 0), int(n_roles or 0))


# -- items -----------------------------------------------------------------------------------


def _insert_item_copy(rec: Recorder, item: AgendaItem, offset: dt.timedelta, *, session_id: int | None,
                      position: int) -> tuple[int, uuid_mod.UUID]:
    row_uuid = uuid_mod.uuid4()
    result = rec.session.execute(insert(AgendaItem.__table__).values(
        uuid=row_uuid, event_id=item.event_id, session_id=session_id, kind=item.kind, title=dict(item.title),
        description=dict(item.description), starts_at=item.starts_at + offset, ends_at=item.ends_at + offset,
        room_id=item.room_id, position=position))
    new_id = inserted_id(result)
    rec.made("agenda_item", row_uuid)
    _copy_roles(rec, "item_id", item.id, new_id)
    return new_id, row_uuid


def create_item(session: OrmSession, event_id: int, data: ItemData) -> Change:
    """A new agenda item, in a session or at top level, with its people in order."""
    if session.get(Event, event_id) is None:
        raise AgendaError(_("There is no event with id {id} (any more).").format(id=event_id))
    data = _checked_item(session, event_id, data)
    rec = Recorder(session)
    row_uuid = uuid_mod.uuid4()
    result = session.execute(insert(AgendaItem.__table__).values(
        uuid=row_uuid, event_id=event_id, session_id=data.session_id, kind=data.kind, title=data.title,
        description=data.description, starts_at=data.starts_at, ends_at=data.ends_at, room_id=data.room_id,
        position=_next_position(session, event_id, data.session_id)))
    item_id = inserted_id(result)
    rec.made("agenda_item", row_uuid)
    _set_roles(rec, "item_id", item_id, data.people)
    return rec.change(RowRef("agenda_item", item_id, row_uuid))


def _item_values(data: ItemData) -> dict[str, Any]:
    return dict(kind=data.kind, title=data.title, description=data.description, starts_at=data.starts_at,
                ends_at=data.ends_at, room_id=data.room_id, session_id=data.session_id)


def update_item(session: OrmSession, item_id: int, data: ItemData, base: ItemData | None = None) -> Change:
    """Change an item's fields and its people (their order included). ``base``: the item
    as the editor read it — others' changes since are kept where the editor did not change
    them (its people too), and a field both changed is an ``EditConflict``."""
    event_id = _event_of(session, AgendaItem, item_id)
    data = _checked_item(session, event_id, data)
    rec = Recorder(session)
    (image,) = rec.touch("agenda_item", AgendaItem.id == item_id)
    values = _item_values(data)
    now = image.values["session_id"]
    # Its place in the order of its session, when the organiser moved it into another: not
    # when only someone else moved it since the form was read (the merge keeps their move),
    # nor when the answer to both having moved it keeps theirs.
    moved = data.session_id != now and (base is None or data.session_id != base.session_id)
    if moved and base is not None and now != base.session_id and \
            resolution(session, "agenda_item", image.uuid, "session_id", now) == "theirs":
        moved = False
    if moved:
        values["position"] = _next_position(session, event_id, data.session_id)
    session.execute(update(AgendaItem.__table__).where(AgendaItem.id == item_id).values(**values))
    if base is None:
        _set_roles(rec, "item_id", item_id, data.people)
    elif tuple(base.people) != tuple(data.people):
        _set_roles(rec, "item_id", item_id, _merged_roles(session, "item_id", item_id, base.people, data.people))
    ref = RowRef("agenda_item", item_id, image.uuid)
    rec.expect(ref, _item_values(base.cleaned()) if base is not None else None)
    return rec.change(ref)


def duplicate_item(session: OrmSession, item_id: int) -> Change:
    """A copy of an item with its people, in the same session, placed right after it."""
    _event_of(session, AgendaItem, item_id)
    rec = Recorder(session)
    item = session.execute(select(AgendaItem).where(AgendaItem.id == item_id)).scalar_one()
    offset = _duplicate_offset(item.starts_at, item.ends_at)
    new_id, row_uuid = _insert_item_copy(rec, item, offset, session_id=item.session_id, position=item.position + 1)
    session.expire_all()
    return rec.change(RowRef("agenda_item", new_id, row_uuid))


def delete_item(session: OrmSession, item_id: int) -> Change:
    """Delete an item with its roles."""
    _event_of(session, AgendaItem, item_id)
    rec = Recorder(session)
    (image,) = rec.touch("agenda_item", AgendaItem.id == item_id)
    rec.touch("role", Role.item_id == item_id)
    session.execute(delete(Role).where(Role.item_id == item_id))
    session.execute(delete(AgendaItem).where(AgendaItem.id == item_id))
    return rec.change(RowRef("agenda_item", item_id, image.uuid))


class _Unread(Enum):
    UNREAD = 0


UNREAD: Final = _Unread.UNREAD
"""``set_item_session``'s ``base`` when no one read the item's session (no view behind the edit)."""
SessionBase = int | None | Literal[_Unread.UNREAD]
"""The session an item was in as a view showed it (None: top level), or ``UNREAD``."""


def set_item_session(session: OrmSession, item_id: int, session_id: int | None,
                     base: SessionBase = UNREAD) -> Change:
    """Move an item into a session (``session_id``) or out of one to top level (None).
    ``base``: the session the item was in as the view showed it (None: top level): someone
    else's move of it since is kept where this edit did not move it, and both moving it
    elsewhere is an ``EditConflict`` (``session.info["resolve"]`` keeps theirs: then nothing
    moves)."""
    event_id = _event_of(session, AgendaItem, item_id)
    if session_id is not None and _event_of(session, AgendaSession, session_id) != event_id:
        raise AgendaError(_("The item and the session belong to different events."))
    rec = Recorder(session)
    (image,) = rec.touch("agenda_item", AgendaItem.id == item_id, ["session_id", "position"])
    ref = RowRef("agenda_item", item_id, image.uuid)
    now = image.values["session_id"]
    if base is not UNREAD:
        if now != base and resolution(session, "agenda_item", image.uuid, "session_id", now) == "theirs":
            return Change(subject=ref)  # where someone else moved it meanwhile, it stays: nothing to undo
        rec.expect(ref, {"session_id": base})
    if now != session_id:
        session.execute(update(AgendaItem.__table__).where(AgendaItem.id == item_id).values(
            session_id=session_id, position=_next_position(session, event_id, session_id)))
    return rec.change(ref)


def set_item_times(session: OrmSession, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                   base: tuple[dt.datetime, dt.datetime] | None = None) -> Change:
    """New start and end for an item (the timetable's drag of a block or its lower edge).
    ``base``: its start and end as the timetable showed them when the drag began (someone
    else's move since, of the same times, is an ``EditConflict``)."""
    _event_of(session, AgendaItem, item_id)
    report = collect(_time_problems(starts_at, ends_at, "item"))
    if not report.is_valid:
        raise InvalidData(report)
    rec = Recorder(session)
    (image,) = rec.touch("agenda_item", AgendaItem.id == item_id)
    session.execute(update(AgendaItem.__table__).where(AgendaItem.id == item_id)
                    .values(starts_at=starts_at, ends_at=ends_at))
    ref = RowRef("agenda_item", item_id, image.uuid)
    rec.expect(ref, {"starts_at": base[0], "ends_at": base[1]} if base is not None else None)
    return rec.change(ref)


def set_item_place(session: OrmSession, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                   room_id: int | None, base: tuple[dt.datetime, dt.datetime, int | None] | None = None) -> Change:
    """New times and room for an item (a block dragged into another room's column).
    ``base``: its start, end and room when the drag began (someone else's change of them
    since is an ``EditConflict``, not overwritten)."""
    event_id = _event_of(session, AgendaItem, item_id)
    problems = [*_time_problems(starts_at, ends_at, "item"),
                *_room_problems(room_id, load_context(session, event_id))]
    report = collect(problems)
    if not report.is_valid:
        raise InvalidData(report)
    rec = Recorder(session)
    (image,) = rec.touch("agenda_item", AgendaItem.id == item_id)
    session.execute(update(AgendaItem.__table__).where(AgendaItem.id == item_id).values(
        starts_at=starts_at, ends_at=ends_at, room_id=room_id))
    ref = RowRef("agenda_item", item_id, image.uuid)
    rec.expect(ref, {"starts_at": base[0], "ends_at": base[1], "room_id": base[2]} if base is not None else None)
    return rec.change(ref)


# -- order -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    kind: EntryKind
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    position: int


def _siblings(session: OrmSession, kind: EntryKind, entry_id: int) -> list[_Slot]:
    """The rows shown beside an entry in the outline, in the outline's order."""
    if kind == "item":
        row = session.execute(select(AgendaItem.event_id, AgendaItem.session_id, AgendaItem.starts_at)
                              .where(AgendaItem.id == entry_id)).one_or_none()
        if row is None:
            raise AgendaError(_(_GONE["item"]).format(id=entry_id))
        event_id, parent, start = row
    else:
        srow = session.execute(select(AgendaSession.event_id, AgendaSession.starts_at)
                               .where(AgendaSession.id == entry_id)).one_or_none()
        if srow is None:
            raise AgendaError(_(_GONE["session"]).format(id=entry_id))
        event_id, start = srow
        parent = None
    if parent is not None:
        rows = session.execute(select(AgendaItem.id, AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.position)
                               .where(AgendaItem.session_id == parent)).all()
        slots = [_Slot("item", *r) for r in rows]
        slots.sort(key=lambda s: (s.starts_at, s.position, s.id))
        return slots
    day = start.date()
    slots = [_Slot("session", *r) for r in session.execute(
        select(AgendaSession.id, AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.position)
        .where(AgendaSession.event_id == event_id))]
    slots += [_Slot("item", *r) for r in session.execute(
        select(AgendaItem.id, AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.position)
        .where(AgendaItem.event_id == event_id, AgendaItem.session_id.is_(None)))]
    slots = [s for s in slots if s.starts_at.date() == day]
    slots.sort(key=lambda s: (s.starts_at, s.ends_at, 0 if s.kind == "session" else 1, s.position, s.id))
    return slots


def can_move(session: OrmSession, kind: EntryKind, entry_id: int, offset: int) -> bool:
    """Whether ``move_entry`` has a neighbour to exchange with."""
    slots = _siblings(session, kind, entry_id)
    index = next(i for i, s in enumerate(slots) if s.kind == kind and s.id == entry_id)
    return 0 <= index + offset < len(slots)


def _shift_rows(rec: Recorder, model: type[AgendaSession] | type[AgendaItem], where: ColumnElement[bool],
                delta: dt.timedelta) -> list[int]:
    """Move the rows ``where`` selects by ``delta`` (in Python: SQLite has no date arithmetic)."""
    table = "session" if model is AgendaSession else "agenda_item"
    images = rec.touch(table, where)
    for image in images:
        rec.session.execute(update(model.__table__).where(model.id == image.id).values(
            starts_at=image.values["starts_at"] + delta, ends_at=image.values["ends_at"] + delta))
    return [image.id for image in images]


def _move_slot(rec: Recorder, slot: _Slot, starts_at: dt.datetime, position: int) -> None:
    delta = starts_at - slot.starts_at
    model: type[AgendaSession] | type[AgendaItem] = AgendaSession if slot.kind == "session" else AgendaItem
    _shift_rows(rec, model, model.id == slot.id, delta)
    rec.session.execute(update(model.__table__).where(model.id == slot.id).values(position=position))
    if slot.kind == "session" and delta:
        _shift_rows(rec, AgendaItem, AgendaItem.session_id == slot.id, delta)


# (what, in a session, upwards) → why it cannot move further.
_ALREADY: dict[tuple[EntryKind, bool, bool], str] = {
    ("session", False, True): N_("The session is the first of its day already."),
    ("session", False, False): N_("The session is the last of its day already."),
    ("item", False, True): N_("The item is the first of its day already."),
    ("item", False, False): N_("The item is the last of its day already."),
    ("item", True, True): N_("The item is the first of its day in its session already."),
    ("item", True, False): N_("The item is the last of its day in its session already."),
}


def move_entry(session: OrmSession, kind: EntryKind, entry_id: int, offset: int) -> Change:
    """Move a session or item one row up (``offset`` -1) or down (+1) among its neighbours
    in the outline. The two exchange their time slots: the one moved up starts when the
    other started, and the other ends when the first ended, each keeping its length (a
    session takes its items along). Entries at the same time exchange their order only."""
    slots = _siblings(session, kind, entry_id)
    index = next(i for i, s in enumerate(slots) if s.kind == kind and s.id == entry_id)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(slots):
        in_session = kind == "item" and session.scalar(
            select(AgendaItem.session_id).where(AgendaItem.id == entry_id)) is not None
        raise AgendaError(_(_ALREADY[kind, in_session, offset < 0]))
    earlier, later = slots[min(index, other)], slots[max(index, other)]
    rec = Recorder(session)
    if earlier.position != later.position:
        first_pos, second_pos = earlier.position, later.position
    else:
        first_pos, second_pos = earlier.position, earlier.position + 1
    if earlier.starts_at == later.starts_at:
        _move_slot(rec, later, later.starts_at, first_pos)
        _move_slot(rec, earlier, earlier.starts_at, second_pos)
    else:
        gap = later.starts_at - earlier.ends_at
        later_start = earlier.starts_at
        earlier_start = later_start + (later.ends_at - later.starts_at) + gap
        _move_slot(rec, later, later_start, first_pos)
        _move_slot(rec, earlier, earlier_start, second_pos)
    session.expire_all()
    moved = slots[index]
    model = AgendaSession if moved.kind == "session" else AgendaItem
    return rec.change(RowRef(model.__tablename__, moved.id, _uuid_of(session, model, moved.id)))


def shift_from(session: OrmSession, event_id: int, item_id: int, minutes: int) -> Change:
    """Move an item and everything after it that day by ``minutes`` (earlier when negative),
    as one edit: every item and session of that day starting at or after the item's start,
    and the end of the item's own session when that session started before it."""
    if minutes == 0:
        raise AgendaError(_("Shift by how many minutes? Zero moves nothing."))
    row = session.execute(select(AgendaItem.event_id, AgendaItem.starts_at, AgendaItem.session_id, AgendaItem.title)
                          .where(AgendaItem.id == item_id)).one_or_none()
    if row is None or row.event_id != event_id:
        raise AgendaError(_("There is no agenda item with id {id} in this event (any more).").format(id=item_id))
    pivot, own_session = row.starts_at, row.session_id
    day = pivot.date()
    start_of_day, end_of_day = dt.datetime.combine(day, dt.time()), _day_end(day)
    delta = dt.timedelta(minutes=minutes)
    items = [r for r in session.execute(
        select(AgendaItem.id, AgendaItem.title, AgendaItem.starts_at, AgendaItem.ends_at)
        .where(AgendaItem.event_id == event_id, AgendaItem.starts_at >= pivot, AgendaItem.starts_at < end_of_day))]
    sessions = [r for r in session.execute(
        select(AgendaSession.id, AgendaSession.title, AgendaSession.starts_at, AgendaSession.ends_at)
        .where(AgendaSession.event_id == event_id, AgendaSession.starts_at >= pivot,
               AgendaSession.starts_at < end_of_day))]
    n = abs(minutes)
    for r in [*items, *sessions]:
        title = text(r.title) or _("untitled")
        if r.starts_at + delta < start_of_day:  # only earlier
            # Translators: {title} is a title; {n} a number of minutes.
            raise AgendaError(n_("Moving “{title}” {n} minute earlier would start it on the day before.",
                                 "Moving “{title}” {n} minutes earlier would start it on the day before.",
                                 n).format(title=title, n=n))
        if r.ends_at + delta > end_of_day:  # only later
            # Translators: {title} is a title; {n} a number of minutes.
            raise AgendaError(n_("Moving “{title}” {n} minute later would end it after midnight.",
                                 "Moving “{title}” {n} minutes later would end it after midnight.",
                                 n).format(title=title, n=n))
    rec = Recorder(session)
    session_ids = [r.id for r in sessions]
    if items:
        _shift_rows(rec, AgendaItem, AgendaItem.id.in_([r.id for r in items]), delta)
    if session_ids:
        _shift_rows(rec, AgendaSession, AgendaSession.id.in_(session_ids), delta)
    if own_session is not None and own_session not in session_ids:
        srow = session.execute(select(AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.title)
                               .where(AgendaSession.id == own_session)).one()
        new_end = srow.ends_at + delta
        if new_end > end_of_day:  # only later
            # Translators: {title} is a session's title; {n} a number of minutes.
            raise AgendaError(n_("Moving the end of “{title}” {n} minute later would end it after midnight.",
                                 "Moving the end of “{title}” {n} minutes later would end it after midnight.",
                                 n).format(title=text(srow.title) or _("untitled"), n=n))
        if new_end > srow.starts_at:
            rec.touch("session", AgendaSession.id == own_session)
            session.execute(update(AgendaSession.__table__).where(AgendaSession.id == own_session)
                            .values(ends_at=new_end))
    session.expire_all()
    return rec.change(RowRef("agenda_item", item_id, _uuid_of(session, AgendaItem, item_id)))


def shift_count(session: OrmSession, event_id: int, item_id: int) -> int:
    """How many items and sessions ``shift_from`` would move (for the question it asks)."""
    pivot = session.scalar(select(AgendaItem.starts_at).where(AgendaItem.id == item_id))
    if pivot is None:
        return 0
    end = _day_end(pivot.date())
    n_items = session.scalar(select(func.count()).select_from(AgendaItem).where(
        AgendaItem.event_id == event_id, AgendaItem.starts_at >= pivot, AgendaItem.starts_at < end))
    n_sessions = session.scalar(select(func.count()).select_from(AgendaSession).where(
        AgendaSession.event_id == event_id, AgendaSession.starts_at >= pivot, AgendaSession.starts_at < end))
    return int(n_items or 0) + int(n_sessions or 0)


# -- the event's days ------------------------------------------------------------------------


def event_days(session: OrmSession, event_id: int) -> list[dt.date]:
    """The event's days, first to last."""
    row = session.execute(select(Event.starts_on, Event.ends_on).where(Event.id == event_id)).one_or_none()
    if row is None:
        raise AgendaError(_("There is no event with id {id} (any more).").format(id=event_id))
    first, last = row
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _entries_on(session: OrmSession, event_id: int, day: dt.date) -> int:
    start, end = dt.datetime.combine(day, dt.time()), _day_end(day)
    n_items = session.scalar(select(func.count()).select_from(AgendaItem).where(
        AgendaItem.event_id == event_id, AgendaItem.starts_at >= start, AgendaItem.starts_at < end))
    n_sessions = session.scalar(select(func.count()).select_from(AgendaSession).where(
        AgendaSession.event_id == event_id, AgendaSession.starts_at >= start, AgendaSession.starts_at < end))
    return int(n_items or 0) + int(n_sessions or 0)


def set_event_dates(session: OrmSession, event_id: int, starts_on: dt.date, ends_on: dt.date) -> Change:
    """New first and last day for the event; a day dropped must hold nothing."""
    old = event_days(session, event_id)
    if ends_on < starts_on:
        # Translators: {last} and {first} are dates ("28 February 2025").
        raise AgendaError(_("The last day ({last}) comes before the first ({first}).").format(
            last=formats.date(ends_on), first=formats.date(starts_on)))
    if (ends_on - starts_on).days > 366:
        raise AgendaError(_("An event of more than a year is not an event: check the dates."))
    for day in old:
        if not starts_on <= day <= ends_on:
            n = _entries_on(session, event_id, day)
            if n:
                # Translators: {day} is a date with its weekday ("Friday, 28 February 2025"); {n} a number.
                raise AgendaError(n_("{day} holds {n} session or item: move or delete it before removing the day.",
                                     "{day} holds {n} sessions and items: move or delete them before removing "
                                     "the day.", n).format(day=formats.date(day, style="full"), n=n))
    rec = Recorder(session)
    (image,) = rec.touch("event", Event.id == event_id, _DAY_COLUMNS)
    session.execute(update(Event.__table__).where(Event.id == event_id).values(starts_on=starts_on, ends_on=ends_on))
    return rec.change(RowRef("event", event_id, image.uuid))


def add_day(session: OrmSession, event_id: int, *, before: bool = False) -> Change:
    """One more day at the end of the event (at its start with ``before``)."""
    days = event_days(session, event_id)
    one = dt.timedelta(days=1)
    if before:
        return set_event_dates(session, event_id, days[0] - one, days[-1])
    return set_event_dates(session, event_id, days[0], days[-1] + one)


def remove_day(session: OrmSession, event_id: int, day: dt.date) -> Change:
    """Remove the first or the last day of the event, when it holds nothing."""
    days = event_days(session, event_id)
    if len(days) == 1:
        raise AgendaError(_("An event has at least one day: this is its only one."))
    if day == days[0]:
        return set_event_dates(session, event_id, days[1], days[-1])
    if day == days[-1]:
        return set_event_dates(session, event_id, days[0], days[-2])
    # Translators: {day} is a date ("28 February 2025").
    raise AgendaError(_("Only the first or the last day can be removed; {day} is in between.").format(
        day=formats.date(day)))


__all__ = [
    "AgendaContext", "AgendaError", "ItemData", "OnStageRole", "SessionContents",
    "SessionData", "SESSION_ROLES", "add_day", "can_move", "create_item", "create_session",
    "delete_item", "delete_session", "duplicate_item", "duplicate_session", "event_days", "load_context",
    "load_item_data", "load_session_data", "move_entry", "on_stage_count", "remove_day", "session_contents",
    "UNREAD", "SessionBase", "set_event_dates", "set_item_place", "set_item_session", "set_item_times",
    "shift_count", "shift_from",
    "update_item", "update_session", "validate_item", "validate_session",
]
