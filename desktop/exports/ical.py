"""The agenda as an iCalendar file (RFC 5545), written by hand: one VEVENT per agenda item.

Times are written in UTC (``DTSTART:20250228T040000Z``), converted from the event's time
zone, so no VTIMEZONE is needed and every calendar program places them right. Each
event's UID is the item's UUID, so importing a newer file updates the entries instead of
doubling them. Texts are escaped (``\\``, ``;``, ``,`` and line breaks), lines end in
CRLF and are folded at 75 octets without cutting a UTF-8 character in two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.core.i18n import pick
from desktop.core.language import _, words

PRODID = "-//Conference Desk//Agenda export//EN"
UID_DOMAIN = "conference-desk"
FOLD_OCTETS = 75


@dataclass(frozen=True)
class CalendarItem:
    """One agenda item, its times already in UTC."""

    uid: str
    title: Mapping[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str = "other"
    room: Mapping[str, str] = field(default_factory=dict)
    session: Mapping[str, str] = field(default_factory=dict)
    people: Sequence[tuple[str, Mapping[str, str], Mapping[str, str], Mapping[str, str]]] = ()
    """(role, name, position, organisation), every text per language."""


@dataclass(frozen=True)
class Calendar:
    title: Mapping[str, str]
    venue: Mapping[str, str]
    city: Mapping[str, str]
    items: Sequence[CalendarItem]


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 §3.3.11 wants it."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch == "\n" or ch == "\t" or ord(ch) >= 32)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def fold(line: str) -> bytes:
    """One content line as UTF-8 octets, folded at 75 octets (continuations start with a
    space), never inside a character; ends with CRLF."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data + b"\r\n"
    out: list[bytes] = []
    start, limit = 0, FOLD_OCTETS
    while start < len(data):
        end = min(start + limit, len(data))
        # Step back over continuation bytes (10xxxxxx): a cut must fall before a lead byte.
        while end < len(data) and end > start and (data[end] & 0xC0) == 0x80:
            end -= 1
        out.append(data[start:end])
        start, limit = end, FOLD_OCTETS - 1  # the leading space of a continuation counts
    return b"\r\n ".join(out) + b"\r\n"


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(texts: Mapping[str, str] | None, lang: str) -> str:
    return pick(texts, lang).text


def item_lines(item: CalendarItem, langs: tuple[str, ...], stamp: dt.datetime,
               venue: str, city: str) -> list[str]:
    from desktop.exports.programme import role_words, untitled

    lang = langs[0]
    summary = _text(item.title, lang) or untitled(item.kind, lang)
    location = ", ".join(x for x in (_text(item.room, lang), venue, city) if x)
    description: list[str] = []
    for other in langs[1:]:
        second = _text(item.title, other)
        if second and second != summary:
            description.append(second)
    session = _text(item.session, lang)
    if session:
        # Translators: in a calendar entry's description: the session the item is part of.
        description.append(words(lang)._("Session: {title}").format(title=session))
    for role, name, position, organisation in item.people:
        person = _text(name, lang)
        if not person:
            continue
        line = ", ".join(x for x in (person, _text(position, lang), _text(organisation, lang)) if x)
        if role != "speaker":
            line = f"{role_words(role, lang)[0]}: {line}"
        description.append(line)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(item.starts_at)}",
        f"DTEND:{_utc(item.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if item.kind in ("break", "lunch", "registration"):
        lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def write_calendar(calendar: Calendar, out: IO[bytes], lang: str = "en", *,
                   stamp: dt.datetime | None = None) -> int:
    """Write ``calendar`` to the binary file ``out``; returns the number of VEVENTs."""
    from desktop.exports.programme import parse_languages

    langs = parse_languages(lang)
    stamp = stamp or dt.datetime.now(dt.UTC)
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    title = _text(calendar.title, langs[0])
    if title:
        head.append(f"X-WR-CALNAME:{escape_text(title)}")
    venue, city = _text(calendar.venue, langs[0]), _text(calendar.city, langs[0])
    out.write(b"".join(fold(line) for line in head))
    count = 0
    for item in calendar.items:
        out.write(b"".join(fold(line) for line in item_lines(item, langs, stamp, venue, city)))
        count += 1
    out.write(fold("END:VCALENDAR"))
    return count


def load_calendar(session: Any, event_id: int) -> Calendar:
    """The event's agenda items, in time order, with UTC times."""
    from sqlalchemy import select

    from db.models import AgendaItem, Event
    from desktop.core.agenda import load_agenda
    from desktop.core.events import EventNotFound

    event = session.get(Event, event_id)
    if event is None:
        raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
    try:
        zone: dt.tzinfo = ZoneInfo(event.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    uuids = dict(session.execute(select(AgendaItem.id, AgendaItem.uuid).where(AgendaItem.event_id == event_id)).all())
    langs = ("en", "ru", "kk")
    by_lang = {lang: load_agenda(session, event_id, lang) for lang in langs}
    names: dict[tuple[int, int], dict[str, str]] = {}
    for lang, days in by_lang.items():
        for entries in days.values():
            for entry in _items(entries):
                for n, person in enumerate(entry.people):
                    names.setdefault((entry.id, n), {})[lang] = person.name

    def local(value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=zone) if value.tzinfo is None else value

    items: list[CalendarItem] = []
    for entries in by_lang["en"].values():
        for entry, parent in _items_with_parent(entries):
            items.append(CalendarItem(
                uid=f"{uuids[entry.id]}@{UID_DOMAIN}",
                title=dict(entry.title or {}),
                starts_at=local(entry.starts_at).astimezone(dt.UTC),
                ends_at=local(entry.ends_at).astimezone(dt.UTC),
                kind=entry.kind.value if hasattr(entry.kind, "value") else str(entry.kind),
                room=dict(entry.room or {}),
                session=dict(parent.title or {}) if parent is not None else {},
                people=tuple(
                    (p.role.value if hasattr(p.role, "value") else str(p.role), names[(entry.id, n)],
                     dict(p.position or {}), dict(p.organisation or {}))
                    for n, p in enumerate(entry.people)
                ),
            ))
    items.sort(key=lambda it: (it.starts_at, it.ends_at))
    return Calendar(title=dict(event.title or {}), venue=dict(event.venue or {}), city=dict(event.city or {}),
                    items=items)


def _items(entries: Iterable[Any]) -> Iterable[Any]:
    for entry, _parent in _items_with_parent(entries):
        yield entry


def _items_with_parent(entries: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for entry in entries:
        if entry.kind is None:
            for child in entry.children:
                yield child, entry
        else:
            yield entry, None


def export_ical(database: Any, path: str | Path, event_id: int, lang: str = "en", *,
                stamp: dt.datetime | None = None) -> int:
    """Write the event's agenda to ``path`` as .ics (complete, or not at all); returns the
    number of entries. Raises ValueError for an unknown language, ``EventNotFound`` for an
    unknown event, ``ExportError`` when the file cannot be written."""
    from desktop.exports.programme import parse_languages, write_atomically

    parse_languages(lang)
    with database.read() as session:
        calendar = load_calendar(session, event_id)
    return write_atomically(Path(path), lambda handle: write_calendar(calendar, handle, lang, stamp=stamp))


__all__ = ["Calendar", "CalendarItem", "escape_text", "export_ical", "fold", "load_calendar", "write_calendar"]
