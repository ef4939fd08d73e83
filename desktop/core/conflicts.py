"""Conflicts in an event's agenda, as sentences an organiser understands (no Qt).

API
---
``find_conflicts(session, event_id, lang="en") -> list[Conflict]``
    Reads the event's days, rooms, sessions, items, roles and the registrations of the
    people in roles (five plain queries), builds an ``AgendaFacts`` and returns
    ``check(facts)``. Titles, room and person names are picked in ``lang`` with the usual
    fallback (``desktop.core.i18n``); the sentences are in the interface language
    (``desktop.core.language``), dates as it writes them (``desktop.core.formats``).

``check(agenda: AgendaFacts) -> list[Conflict]``
    Pure: plain frozen dataclasses in, conflicts out, ordered by when they happen, their
    sentences in the interface language of the moment. Runs in
    O(n log n + k) for n items and k overlapping pairs: it sweeps time-sorted intervals per
    person and per room, never all pairs.

``conflicts_by_item(conflicts) -> dict[int, list[Conflict]]``
    Each item id with the conflicts that name it (for marking items in a view).

The rules (``Rule``)
--------------------
``PERSON_DOUBLE_BOOKED``
    A person is on stage in two things whose times overlap. A role on an item holds the
    person for the item's time; a role on a session (moderator, chair, ...) for the whole
    session. An item inside a session the same person moderates is not a conflict, nor is
    the same person holding two roles in one item.
``ROOM_DOUBLE_BOOKED``
    Two things overlap in one room. A session holds its room for its time; the items inside
    it that use the session's room do not double-book the session, but two of them that
    overlap do double-book the room. An item without a room of its own is in its session's.
``OUTSIDE_SESSION``
    An item starts before its session starts or ends after it ends.
``OUTSIDE_EVENT_DAYS``
    An item or a session is not within the event's days (``starts_on``..``ends_on``).
``DECLINED_ON_PROGRAMME``
    A person whose registration for this event is declined or cancelled still has a role.
``SESSION_WITHOUT_MODERATOR``
    A session has nobody in the moderator role.

Intervals are half-open: an item ending at 11:15 and one starting at 11:15 do not overlap.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    AgendaItem,
    AgendaSession,
    Event,
    Person,
    Registration,
    Role,
    RoleKind,
    Room,
    Status,
)
from desktop.core import formats
from desktop.core.i18n import full_name, text
from desktop.core.language import N_, NP_, _, interface_language, p_

# ``load_facts`` reads through the table columns, not the mapped classes: a Core statement
# needs no ORM mapper configuration (~30 ms before the window's first paint).
_EVENT = Event.__table__.c
_ITEM_T, _ITEM = AgendaItem.__table__, AgendaItem.__table__.c
_PERSON = Person.__table__.c
_REGISTRATION = Registration.__table__.c
_ROLE = Role.__table__.c
_ROOM = Room.__table__.c
_SESSION_T, _SESSION = AgendaSession.__table__, AgendaSession.__table__.c

TITLE_LIMIT = 70  # longer titles are shortened in sentences, at a word, with "…"
WITHDRAWN = frozenset({Status.DECLINED, Status.CANCELLED})


class Rule(str, enum.Enum):
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    OUTSIDE_SESSION = "outside_session"
    OUTSIDE_EVENT_DAYS = "outside_event_days"
    DECLINED_ON_PROGRAMME = "declined_on_programme"
    SESSION_WITHOUT_MODERATOR = "session_without_moderator"


RULE_NAMES: dict[Rule, str] = {
    Rule.PERSON_DOUBLE_BOOKED: N_("Person in two places"),
    Rule.ROOM_DOUBLE_BOOKED: N_("Room double-booked"),
    Rule.OUTSIDE_SESSION: N_("Outside its session"),
    Rule.OUTSIDE_EVENT_DAYS: N_("Outside the event's days"),
    Rule.DECLINED_ON_PROGRAMME: N_("Declined but on the programme"),
    Rule.SESSION_WITHOUT_MODERATOR: N_("Session without a moderator"),
}
"""The name of each rule (English: the catalogs' message; ``rule_name`` gives it in the
interface language)."""


def rule_name(rule: Rule) -> str:
    """The rule's name in the interface language ("Room double-booked")."""
    return _(RULE_NAMES[rule])


@dataclass(frozen=True)
class Conflict:
    """One problem in the agenda: which rule, what it concerns, and a sentence about it.

    ``starts_at`` is when the problem happens (for ordering); ``None`` only when unknown.
    """

    rule: Rule
    item_ids: tuple[int, ...]
    session_ids: tuple[int, ...]
    person_ids: tuple[int, ...]
    message: str
    starts_at: dt.datetime | None = None


# -- facts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """Someone in a role: the name to print, and their registration status at the event
    (``None`` when not registered)."""

    id: int
    name: str
    status: Status | None = None


@dataclass(frozen=True)
class SessionFacts:
    """A session. ``people`` are everyone in a role on the session (kind, person id)."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None = None
    people: tuple[tuple[RoleKind, int], ...] = ()


@dataclass(frozen=True)
class ItemFacts:
    """An agenda item. ``room_id`` is its own room (``None``: its session's, if any)."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None = None
    session_id: int | None = None
    people: tuple[tuple[RoleKind, int], ...] = ()


@dataclass(frozen=True)
class AgendaFacts:
    """What the checks need to know about one event's agenda, nothing more."""

    starts_on: dt.date
    ends_on: dt.date
    sessions: tuple[SessionFacts, ...] = ()
    items: tuple[ItemFacts, ...] = ()
    people: Mapping[int, PersonFacts] = field(default_factory=dict)
    rooms: Mapping[int, str] = field(default_factory=dict)


# -- wording ------------------------------------------------------------------------------


@cache
def _day(d: dt.date, lang: str) -> str:
    """"28 Feb" ("28 февр.", "28 ақп."): a day of the agenda, short (cached: there may be
    thousands of sentences, and Babel takes its time)."""
    return formats.day_month(d, lang, short=True)


def _hm(t: dt.datetime) -> str:
    # Plain formatting: strftime is several times slower, and there may be thousands. The
    # 24-hour "09:30" is how all three languages write a time (``formats.time``).
    return f"{t.hour:02d}:{t.minute:02d}"


def when(start: dt.datetime, end: dt.datetime) -> str:
    """The time span in words: "11:15–11:30 on 28 Feb"; "28 Feb 23:00 – 1 Mar 01:00" across
    midnight (in the interface language)."""
    lang = interface_language()
    if start.date() == end.date():
        # Translators: a time span on a day of the agenda: "11:15–11:30 on 28 Feb".
        return _("{start}–{end} on {day}").format(start=_hm(start), end=_hm(end), day=_day(start.date(), lang))
    # Translators: a time span across midnight: "28 Feb 23:00 – 1 Mar 01:00".
    return _("{first_day} {start} – {last_day} {end}").format(
        first_day=_day(start.date(), lang), start=_hm(start), last_day=_day(end.date(), lang), end=_hm(end))


def quoted(title: str) -> str:
    """“Title”, shortened at a word boundary when it is long; “Untitled” when blank (the
    quotation marks of the interface language: «Title» in Russian and Kazakh)."""
    title = " ".join(title.split()) or _("Untitled")
    if len(title) > TITLE_LIMIT:
        cut = title[:TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(" ,.;:—–-")
        title = (cut or title[:TITLE_LIMIT]) + "…"
    # Translators: a title in quotation marks, as the language writes them («{title}»).
    return p_("quoted", "“{title}”").format(title=title)


# -- the check ----------------------------------------------------------------------------


class _Slot:
    """Something that takes a person's or a room's time: an item or a whole session.

    ``session`` is the session itself, or the item's session. A plain class with slots:
    thousands are made per check, and a frozen dataclass costs three times as much.
    """

    __slots__ = ("starts_at", "ends_at", "item", "session", "room_id", "thing", "_label", "_where")

    def __init__(self, item: ItemFacts | None, session: SessionFacts | None) -> None:
        thing = item if item is not None else session
        assert thing is not None
        self.thing: ItemFacts | SessionFacts = thing
        self.starts_at = thing.starts_at
        self.ends_at = thing.ends_at
        self.item = item
        self.session = session
        if item is not None and item.room_id is not None:
            self.room_id: int | None = item.room_id
        else:
            self.room_id = session.room_id if session is not None else None
        self._label: str | None = None
        self._where: str | None = None

    @property
    def is_session(self) -> bool:
        return self.item is None

    def label(self) -> str:
        """“Title”, or session “Title”."""
        if self._label is None:
            title = quoted(self.thing.title)
            # Translators: a session named in a conflict's sentence: "session “Courts”".
            self._label = _("session {title}").format(title=title) if self.item is None else title
        return self._label

    def where(self, rooms: Mapping[int, str]) -> str:
        """The label with the room: “Q&A” (Hall B)."""
        if self._where is None:
            room = rooms.get(self.room_id) if self.room_id is not None else None
            # Translators: something on the agenda with its room: "“Q&A” (Hall B)".
            self._where = _("{thing} ({room})").format(thing=self.label(), room=room) if room else self.label()
        return self._where


def _slot_key(slot: _Slot) -> tuple[dt.datetime, dt.datetime]:
    return slot.starts_at, slot.ends_at


def _overlapping_pairs(slots: Sequence[_Slot]) -> list[tuple[_Slot, _Slot]]:
    """Every pair of slots whose times overlap (half-open), by a sweep over ``slots``, which
    must be sorted by start time.

    The list of slots still running is pruned as the sweep passes their ends; every slot
    left in it overlaps the next one (or is dropped), so the cost is the length of
    ``slots`` plus the pairs found.
    """
    pairs: list[tuple[_Slot, _Slot]] = []
    active: list[_Slot] = []
    for slot in slots:
        if active:
            start = slot.starts_at
            active = [a for a in active if a.ends_at > start]
            for other in active:
                # ``other`` started no later; it overlaps unless ``slot`` is empty and
                # starts where ``other`` does.
                if other.starts_at < slot.ends_at:
                    pairs.append((other, slot))
        active.append(slot)
    return pairs


def check(agenda: AgendaFacts) -> list[Conflict]:
    """All conflicts in ``agenda``, ordered by when they happen, then by rule."""
    sessions = {s.id: s for s in agenda.sessions}
    slots = [_Slot(None, s) for s in agenda.sessions]
    slots += [_Slot(it, sessions.get(it.session_id) if it.session_id is not None else None)
              for it in agenda.items]
    slots.sort(key=_slot_key)  # once: every list below is filled in this order
    found: list[Conflict] = []
    found += _people_double_booked(agenda, slots)
    found += _rooms_double_booked(agenda, slots)
    found += _outside_session(agenda, sessions)
    found += _outside_event_days(agenda)
    found += _withdrawn_on_programme(agenda)
    found += _without_moderator(agenda)
    order = {rule: i for i, rule in enumerate(Rule)}
    far = dt.datetime.max
    found.sort(key=lambda c: (c.starts_at or far, order[c.rule], c.item_ids, c.session_ids))
    return found


def _ids(a: _Slot, b: _Slot) -> tuple[tuple[int, ...], tuple[int, ...]]:
    items: tuple[int, ...] = ()
    sess: tuple[int, ...] = ()
    for s in (a, b):
        if s.item is not None:
            if s.item.id not in items:
                items += (s.item.id,)
        elif s.thing.id not in sess:
            sess += (s.thing.id,)
    return items, sess


def _people_double_booked(agenda: AgendaFacts, slots: Sequence[_Slot]) -> list[Conflict]:
    by_person: dict[int, list[_Slot]] = {}
    for slot in slots:
        people = slot.thing.people
        if len(people) == 1:
            by_person.setdefault(people[0][1], []).append(slot)
        else:
            for pid in {pid for _, pid in people}:  # two roles in one thing count once
                by_person.setdefault(pid, []).append(slot)

    out: list[Conflict] = []
    rooms = agenda.rooms
    for pid, mine in by_person.items():
        if len(mine) < 2:
            continue
        pairs = _overlapping_pairs(mine)
        if not pairs:
            continue
        person = agenda.people.get(pid)
        name = person.name if person is not None else _("Person {id}").format(id=pid)
        for a, b in pairs:
            # An item inside a session the person is on stage for: one place, not two.
            if a.item is None and b.item is not None and b.session is a.session:
                continue
            if b.item is None and a.item is not None and a.session is b.session:
                continue
            start, end = max(a.starts_at, b.starts_at), min(a.ends_at, b.ends_at)
            if a.room_id is not None and a.room_id == b.room_id:
                # Translators: {when} is "11:15–11:30 on 28 Feb"; {first} and {second} are "“Title” (Room)".
                sentence = _("{name} is booked twice at {when}: {first} and {second}.")
            else:
                # Translators: {when} is "11:15–11:30 on 28 Feb"; {first} and {second} are "“Title” (Room)".
                sentence = _("{name} is in two places at {when}: {first} and {second}.")
            items, sess_ids = _ids(a, b)
            out.append(Conflict(
                Rule.PERSON_DOUBLE_BOOKED, items, sess_ids, (pid,),
                sentence.format(name=name, when=when(start, end), first=a.where(rooms), second=b.where(rooms)),
                start,
            ))
    return out


def _rooms_double_booked(agenda: AgendaFacts, slots: Sequence[_Slot]) -> list[Conflict]:
    by_room: dict[int, list[_Slot]] = {}
    # Items in their session's room: checked against each other only; the session stands
    # for them against everything else in the room.
    covered: dict[int, list[_Slot]] = {}
    for slot in slots:
        room = slot.room_id
        if room is None:
            continue
        if slot.item is not None and slot.session is not None and slot.session.room_id == room:
            covered.setdefault(slot.session.id, []).append(slot)
        else:
            by_room.setdefault(room, []).append(slot)

    out: list[Conflict] = []
    for mine in (*by_room.values(), *covered.values()):
        if len(mine) < 2:
            continue
        room = mine[0].room_id
        assert room is not None
        room_name = agenda.rooms.get(room, "") or _("Room {id}").format(id=room)
        for a, b in _overlapping_pairs(mine):
            start, end = max(a.starts_at, b.starts_at), min(a.ends_at, b.ends_at)
            items, sess_ids = _ids(a, b)
            out.append(Conflict(
                Rule.ROOM_DOUBLE_BOOKED, items, sess_ids, (),
                # Translators: {when} is "11:15–11:30 on 28 Feb"; {first} and {second} are titles in quotes.
                _("{room} is double-booked at {when}: {first} and {second}.").format(
                    room=room_name, when=when(start, end), first=a.label(), second=b.label()),
                start,
            ))
    return out


def _outside_session(agenda: AgendaFacts, sessions: Mapping[int, SessionFacts]) -> list[Conflict]:
    out: list[Conflict] = []
    for it in agenda.items:
        sess = sessions.get(it.session_id or -1)
        if sess is None:
            continue
        early = it.starts_at < sess.starts_at
        late = it.ends_at > sess.ends_at
        if not (early or late):
            continue
        # Translators (four sentences): {item} and {session} are titles in quotes; {item_when}
        # and {session_when} are "11:15–11:30 on 28 Feb".
        if it.ends_at <= sess.starts_at or it.starts_at >= sess.ends_at:
            sentence = _("{item} ({item_when}) lies outside its session {session} ({session_when}).")
        elif early and late:
            sentence = _("{item} ({item_when}) starts before and ends after its session {session} ({session_when}).")
        elif early:
            sentence = _("{item} ({item_when}) starts before its session {session} ({session_when}).")
        else:
            sentence = _("{item} ({item_when}) runs past the end of its session {session} ({session_when}).")
        out.append(Conflict(
            Rule.OUTSIDE_SESSION, (it.id,), (sess.id,), (),
            sentence.format(item=quoted(it.title), item_when=when(it.starts_at, it.ends_at),
                            session=quoted(sess.title), session_when=when(sess.starts_at, sess.ends_at)),
            it.starts_at,
        ))
    return out


def _event_days(starts_on: dt.date, ends_on: dt.date) -> str:
    """"28 Feb 2025", "26 Feb 2025 – 28 Feb 2025" (the language's medium date)."""
    first = formats.date(starts_on, style="medium")
    return first if starts_on == ends_on else f"{first} – {formats.date(ends_on, style='medium')}"


def _outside_event_days(agenda: AgendaFacts) -> list[Conflict]:
    first = dt.datetime.combine(agenda.starts_on, dt.time(0))
    after = dt.datetime.combine(agenda.ends_on + dt.timedelta(days=1), dt.time(0))
    days = _event_days(agenda.starts_on, agenda.ends_on)
    out: list[Conflict] = []
    for s in agenda.sessions:
        if s.starts_at < first or s.ends_at > after:
            out.append(Conflict(
                Rule.OUTSIDE_EVENT_DAYS, (), (s.id,), (),
                # Translators: {title} in quotes; {when} is "18:00–19:00 on 27 Feb"; {days} the event's dates.
                _("Session {title} at {when} is outside the event's days ({days}).").format(
                    title=quoted(s.title), when=when(s.starts_at, s.ends_at), days=days),
                s.starts_at,
            ))
    for it in agenda.items:
        if it.starts_at < first or it.ends_at > after:
            out.append(Conflict(
                Rule.OUTSIDE_EVENT_DAYS, (it.id,), (it.session_id,) if it.session_id else (), (),
                # Translators: {title} in quotes; {when} is "09:00–10:00 on 1 Mar"; {days} the event's dates.
                _("{title} at {when} is outside the event's days ({days}).").format(
                    title=quoted(it.title), when=when(it.starts_at, it.ends_at), days=days),
                it.starts_at,
            ))
    return out


# A role as the sentences of withdrawn people name it ("… is still a speaker in …").
ROLE_WORDS: dict[RoleKind, str] = {
    RoleKind.SPEAKER: NP_("on the programme as", "a speaker"),
    RoleKind.MODERATOR: NP_("on the programme as", "a moderator"),
    RoleKind.PANELIST: NP_("on the programme as", "a panellist"),
    RoleKind.DISCUSSANT: NP_("on the programme as", "a discussant"),
    RoleKind.RAPPORTEUR: NP_("on the programme as", "a rapporteur"),
}

# (status, on a session) → the sentence. Translators: {role} is "a speaker" (the role above),
# {title} a title in quotes, {when} "10:00–10:20 on 28 Feb".
WITHDRAWN_SENTENCES: dict[tuple[Status, bool], str] = {
    (Status.DECLINED, True): N_("{name} has declined but is still {role} of session {title} at {when}."),
    (Status.DECLINED, False): N_("{name} has declined but is still {role} in {title} at {when}."),
    (Status.CANCELLED, True): N_("{name} has cancelled their registration but is still {role} of session "
                                 "{title} at {when}."),
    (Status.CANCELLED, False): N_("{name} has cancelled their registration but is still {role} in {title} "
                                  "at {when}."),
}


def _withdrawn_on_programme(agenda: AgendaFacts) -> list[Conflict]:
    out: list[Conflict] = []
    things: list[tuple[SessionFacts | ItemFacts, bool]] = [
        *((s, True) for s in agenda.sessions), *((it, False) for it in agenda.items)
    ]
    for thing, is_session in things:
        seen: set[int] = set()
        for kind, pid in thing.people:
            person = agenda.people.get(pid)
            if person is None or person.status not in WITHDRAWN or pid in seen:
                continue
            seen.add(pid)
            assert person.status is not None
            out.append(Conflict(
                Rule.DECLINED_ON_PROGRAMME,
                () if is_session else (thing.id,),
                (thing.id,) if is_session else (),
                (pid,),
                _(WITHDRAWN_SENTENCES[person.status, is_session]).format(
                    name=person.name, role=p_("on the programme as", ROLE_WORDS[kind]), title=quoted(thing.title),
                    when=when(thing.starts_at, thing.ends_at)),
                thing.starts_at,
            ))
    return out


def _without_moderator(agenda: AgendaFacts) -> list[Conflict]:
    return [
        Conflict(
            Rule.SESSION_WITHOUT_MODERATOR, (), (s.id,), (),
            # Translators: {title} in quotes; {when} is "10:00–11:00 on 28 Feb".
            _("Session {title} at {when} has no moderator.").format(
                title=quoted(s.title), when=when(s.starts_at, s.ends_at)),
            s.starts_at,
        )
        for s in agenda.sessions
        if not any(kind is RoleKind.MODERATOR for kind, _ in s.people)
    ]


def conflicts_by_item(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each item id named by a conflict, with those conflicts in their order."""
    out: dict[int, list[Conflict]] = {}
    for c in conflicts:
        for iid in c.item_ids:
            out.setdefault(iid, []).append(c)
    return out


def conflicts_by_session(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each session id named by a conflict, with those conflicts in their order."""
    out: dict[int, list[Conflict]] = {}
    for c in conflicts:
        for sid in c.session_ids:
            out.setdefault(sid, []).append(c)
    return out


# -- from the database --------------------------------------------------------------------


def load_facts(session: OrmSession, event_id: int, lang: str = "en") -> AgendaFacts:
    """The event's agenda as ``AgendaFacts``, names and titles in ``lang`` (with fallback).

    Raises ``LookupError`` when there is no such event.
    """
    ev = session.execute(select(_EVENT.starts_on, _EVENT.ends_on).where(_EVENT.id == event_id)).one_or_none()
    if ev is None:
        raise LookupError(_("There is no event with id {id}.").format(id=event_id))
    rooms = {rid: text(name, lang) for rid, name in session.execute(
        select(_ROOM.id, _ROOM.name).where(_ROOM.event_id == event_id))}

    roles_of: dict[tuple[str, int], list[tuple[RoleKind, int]]] = {}
    person_ids: set[int] = set()
    for sid, iid, kind, pid in session.execute(
        select(_ROLE.session_id, _ROLE.item_id, _ROLE.kind, _ROLE.person_id)
        .outerjoin(_SESSION_T, _SESSION.id == _ROLE.session_id)
        .outerjoin(_ITEM_T, _ITEM.id == _ROLE.item_id)
        .where((_SESSION.event_id == event_id) | (_ITEM.event_id == event_id))
        .order_by(_ROLE.position, _ROLE.id)
    ):
        key = ("s", sid) if sid is not None else ("i", iid)
        roles_of.setdefault(key, []).append((kind, pid))
        person_ids.add(pid)

    people: dict[int, PersonFacts] = {}
    if person_ids:
        status: dict[int, Status] = {
            pid: st for pid, st in session.execute(
                select(_REGISTRATION.person_id, _REGISTRATION.status)
                .where(_REGISTRATION.event_id == event_id, _REGISTRATION.person_id.in_(person_ids))
            )
        }
        for pid, given, family, display in session.execute(
            select(_PERSON.id, _PERSON.given_name, _PERSON.family_name, _PERSON.display_name)
            .where(_PERSON.id.in_(person_ids))
        ):
            people[pid] = PersonFacts(pid, full_name(given, family, None, display, lang), status.get(pid))

    sessions = tuple(
        SessionFacts(s.id, text(s.title, lang), s.starts_at, s.ends_at, s.room_id,
                     tuple(roles_of.get(("s", s.id), ())))
        for s in session.execute(
            select(_SESSION.id, _SESSION.title, _SESSION.starts_at, _SESSION.ends_at, _SESSION.room_id)
            .where(_SESSION.event_id == event_id)
        )
    )
    items = tuple(
        ItemFacts(i.id, text(i.title, lang), i.starts_at, i.ends_at, i.room_id, i.session_id,
                  tuple(roles_of.get(("i", i.id), ())))
        for i in session.execute(
            select(_ITEM.id, _ITEM.title, _ITEM.starts_at, _ITEM.ends_at,
                   _ITEM.room_id, _ITEM.session_id)
            .where(_ITEM.event_id == event_id)
        )
    )
    return AgendaFacts(ev.starts_on, ev.ends_on, sessions, items, people, rooms)


def find_conflicts(session: OrmSession, event_id: int, lang: str = "en") -> list[Conflict]:
    """Every conflict in the event's agenda (see the module's docstring for the rules)."""
    return check(load_facts(session, event_id, lang))


__all__ = [
    "AgendaFacts",
    "Conflict",
    "ItemFacts",
    "PersonFacts",
    "RULE_NAMES",
    "Rule",
    "SessionFacts",
    "check",
    "conflicts_by_item",
    "conflicts_by_session",
    "find_conflicts",
    "load_facts",
    "quoted",
    "rule_name",
    "when",
]
