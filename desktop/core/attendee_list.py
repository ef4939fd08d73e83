"""The attendee list of an event for exports: a catalogue of columns, filters, and the
rows streamed from the database in chunks as plain tuples (never ORM objects).

One call serves the GUI's export dialog and ``conference-desk export-attendees``:

    flt = AttendeeFilter(statuses=frozenset({Status.CONFIRMED}), checked_in=True)
    total = count_attendees(session, event_id, flt)
    for chunk in attendee_chunks(session, event_id, ("name", "organisation"), flt, "ru"):
        ...  # a list of tuples, one value per column

Values are ready to write: text as ``str`` (``None`` or ``""`` when empty), times as naive
``datetime`` in the event's own time zone, stored values (sector, status, ...) as the words
of ``desktop.core.vocabulary`` in the chosen language. ``participation_figures`` gives the
counts a donor asks for, in one grouped query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import CTE, Dialect, Select, String, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session as OrmSession

from db.models import Category, CheckInAction, Event, Gender, Organisation, Person, Registration, Sector, Status
from db.sort_keys import key_column, sort_keys
from desktop.core import vocabulary
from desktop.core.attendee_columns import (  # noqa: F401  (re-exported: the catalogue lives there)
    ALIASES,
    CATALOGUE,
    COLUMNS,
    CONTACT_COLUMNS,
    DATETIME,
    DEFAULT_COLUMNS,
    TEXT,
    Column,
    UnknownColumn,
    parse_columns,
)
from desktop.core.checkin import checked_in_subquery, latest_check_ins
from desktop.core.i18n import sheet_name, text
from desktop.core.language import NP_, words

CHUNK_SIZE = 1000  # rows per chunk: progress steps, and what an export holds at once
TEXT_CACHE = 20_000  # distinct per-language texts decoded once each


# -- filters ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendeeFilter:
    """Which registrations the list holds. Empty sets mean "any".

    ``sectors`` may hold ``None`` for people without an organisation; ``checked_in`` is
    True (checked in now), False (not checked in) or None (either).
    """

    statuses: frozenset[Status] = field(default_factory=frozenset)
    sectors: frozenset[Sector | None] = field(default_factory=frozenset)
    checked_in: bool | None = None

    @property
    def is_everyone(self) -> bool:
        return not self.statuses and not self.sectors and self.checked_in is None

    def describe(self, lang: str = "en") -> str:
        """A short line for the reader of the file: what the list holds."""
        parts: list[str] = []
        if self.statuses:
            parts.append(", ".join(vocabulary.status(s, lang) for s in Status if s in self.statuses))
        if self.sectors:
            parts.append(", ".join(vocabulary.sector(s, lang) for s in vocabulary.SECTOR_ORDER if s in self.sectors))
        if self.checked_in is not None:
            parts.append(words(lang).p_("attendee filter", _CHECKED_IN_WORDS[self.checked_in]))
        if not parts:
            return words(lang).p_("attendee filter", "all registrations")
        return "; ".join(parts)


# What a list filtered on arrival holds ("The attendee list holds: Confirmed; checked in").
_CHECKED_IN_WORDS = {
    True: NP_("attendee filter", "checked in"),
    False: NP_("attendee filter", "not checked in"),
}


# -- the query -------------------------------------------------------------------------------

def event_zone(name: str | None) -> dt.tzinfo:
    """The event's time zone; UTC when this computer does not know the name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


class LocalTimes:
    """Stored instants (naive UTC, as text on SQLite) → naive wall-clock times of ``zone``,
    to the second.

    The zone's offset is looked up once per UTC minute (offsets change on minute
    boundaries everywhere), not converted per value: at 100,000 rows with two time
    columns that is most of the conversion's cost (measured).
    """

    CACHE = 100_000

    def __init__(self, zone: dt.tzinfo) -> None:
        self._zone = zone
        self._offsets: dict[int, dt.timedelta] = {}
        self._text_offsets: dict[str, dt.timedelta] = {}

    def __call__(self, value: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.__class__ is str:
            # SQLite's text "YYYY-MM-DD HH:MM:SS[.ffffff]": its minute is the cache key.
            offset = self._text_offsets.get(value[:16])
            if offset is not None:
                return dt.datetime.fromisoformat(value[:19]) + offset
            at = dt.datetime.fromisoformat(value[:19])
            offset = self._offset(at)
            if len(self._text_offsets) < self.CACHE:
                self._text_offsets[value[:16]] = offset
            return at + offset
        at = value  # a datetime from the driver: naive UTC (or aware, converted)
        if at.tzinfo is not None:
            at = at.astimezone(dt.UTC).replace(tzinfo=None)
        if at.microsecond:
            at = at.replace(microsecond=0)
        return at + self._offset(at)

    def _offset(self, at: dt.datetime) -> dt.timedelta:
        key = at.toordinal() * 1440 + at.hour * 60 + at.minute
        offset = self._offsets.get(key)
        if offset is None:
            offset = at.replace(tzinfo=dt.UTC).astimezone(self._zone).utcoffset() or dt.timedelta(0)
            if len(self._offsets) < self.CACHE:
                self._offsets[key] = offset
        return offset


def _checked_in_ids(ci: Any) -> Select[Any]:
    return select(ci.c.registration_id)


def _filtered(stmt: Select[Any], event_id: int, flt: AttendeeFilter, ci: Any) -> Select[Any]:
    stmt = stmt.where(Registration.event_id == event_id)
    if flt.statuses:
        stmt = stmt.where(Registration.status.in_(sorted(flt.statuses, key=list(Status).index)))
    if flt.sectors:
        known = [s for s in Sector if s in flt.sectors]
        conditions = []
        if known:
            conditions.append(Organisation.sector.in_(known))
        if None in flt.sectors:
            conditions.append(Organisation.id.is_(None))
        stmt = stmt.where(or_(*conditions))
    # "Is checked in" is an IN over the check-in subquery, never an outer join to it: SQLite
    # then evaluates the subquery once, where with the join it scanned the subquery once per
    # registration (22 s for 20,000 rows, measured; 60 ms this way).
    if flt.checked_in is True:
        stmt = stmt.where(Registration.id.in_(_checked_in_ids(ci)))
    elif flt.checked_in is False:
        stmt = stmt.where(Registration.id.not_in(_checked_in_ids(ci)))
    return stmt


def _joined(stmt: Select[Any]) -> Select[Any]:
    return (
        stmt.join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
    )


def count_attendees(session: OrmSession, event_id: int, flt: AttendeeFilter = AttendeeFilter()) -> int:
    """How many registrations of the event the filter keeps."""
    ci = checked_in_subquery(event_id)
    stmt = _filtered(_joined(select(func.count()).select_from(Registration)), event_id, flt, ci)
    return int(session.scalar(stmt) or 0)


def attendee_chunks(
    session: OrmSession,
    event_id: int,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    flt: AttendeeFilter = AttendeeFilter(),
    lang: str = "en",
    *,
    chunk_size: int = CHUNK_SIZE,
) -> Generator[list[tuple[Any, ...]], None, None]:
    """The event's attendees by surname, ``chunk_size`` rows at a time.

    Each row is a tuple with one value per column of ``columns`` (keys of ``COLUMNS``).
    Only the database columns the chosen columns need are read; rows are fetched in
    chunks (a server-side cursor on PostgreSQL), so memory stays flat at any size.
    """
    columns = parse_columns(columns)
    zone = event_zone(session.scalar(select(Event.timezone).where(Event.id == event_id)))
    ci = checked_in_subquery(event_id)
    org_cache: dict[int, str] = {}
    arrived_at: dict[int, Any] = {}  # registration id → when it was checked in (stored text on SQLite)
    desks: dict[int, str | None] = {}  # registration id → the desk that checked it in

    sources: dict[str, Any] = {}  # name → SQL expression; its index in the select is its order

    def src(name: str, expr: Any) -> int:
        if name not in sources:
            sources[name] = expr
        return list(sources).index(name)

    convert: list[ColumnFn] = []
    for key in columns:
        convert.append(_converter(key, lang, zone, src, org_cache, arrived_at, desks))

    stmt = _filtered(_joined(select(*sources.values()).select_from(Registration)), event_id, flt, ci)
    # By surname in the language's alphabet: the kept sort keys (desktop.core.collation;
    # the few not made yet last, by the name columns).
    keys = sort_keys.alias("sort_key")
    stmt = stmt.outerjoin(keys, keys.c.person_id == Person.id).order_by(
        keys.c[key_column(lang)].asc().nulls_last(), Person.family_name, Person.given_name, Registration.id)

    if "organisation" in columns:
        # Organisation names are JSON; read each once, not once per attendee.
        org_ids = _filtered(
            _joined(select(Person.organisation_id).select_from(Registration)), event_id, flt, ci
        ).where(Person.organisation_id.is_not(None)).distinct()
        named = select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        for oid, names in session.execute(named):
            org_cache[oid] = text(names, lang)
    if "checked_in" in columns or "desk" in columns:
        # Who is in, and since when, read once (a third of the list at most, usually):
        # streamed into dicts of what the columns need, each desk's name kept once (the
        # rows fetched at once, as the session's execute does, held ~5 MiB more at 100,000).
        raw_at = type_coerce(ci.c.happened_at, String)  # LocalTimes parses it
        want_at, want_desk = "checked_in" in columns, "desk" in columns
        desk_names: dict[str, str] = {}
        found = session.connection().execute(
            select(ci.c.registration_id, raw_at, ci.c.desk).execution_options(yield_per=chunk_size))
        for part in found.partitions():
            for rid, at, desk in part:
                if want_at:
                    arrived_at[rid] = at
                if want_desk:
                    desks[rid] = desk if desk is None else desk_names.setdefault(desk, desk)

    # Core, not ORM, execution: plain rows with less work per row; streamed in chunks.
    result = session.connection().execute(stmt.execution_options(yield_per=chunk_size))
    try:
        for part in result.partitions():
            yield list(zip(*[column(part) for column in convert]))
    finally:
        result.close()


Rows = Sequence[Sequence[Any]]
ColumnFn = Callable[[Rows], list[Any]]


def _converter(key: str, lang: str, zone: dt.tzinfo, src: Callable[[str, Any], int],
               org_cache: dict[int, str], arrived_at: dict[int, Any], desks: dict[int, str | None]) -> ColumnFn:
    """A function from a chunk of fetched rows to the values of column ``key``, one per
    row; ``src`` registers the SQL expressions it reads and gives their places in a row.

    Columns are made a chunk at a time with ``map`` over ``itemgetter``s where possible:
    at 100,000 rows a per-cell Python function call is a measurable share of an export.
    """

    def field(name: str, expr: Any) -> itemgetter[Any]:
        return itemgetter(src(name, expr))

    def plain(name: str, expr: Any) -> ColumnFn:
        get = field(name, expr)
        return lambda part: list(map(get, part))  # may hold "": writers take it for empty

    def looked_up(get: itemgetter[Any], table: Mapping[Any, Any]) -> ColumnFn:
        find = table.get
        return lambda part: list(map(find, map(get, part)))

    def labelled(name: str, expr: Any, values: Iterable[Any], word: Callable[[Any, str], str]) -> ColumnFn:
        # The stored string, looked up directly (enum members are str: they hash alike);
        # the words are the vocabulary's, made once per value.
        return looked_up(field(name, type_coerce(expr, String)), {v: word(v, lang) for v in values})

    def local_texts(name: str, expr: Any) -> tuple[itemgetter[Any], Callable[[Any], Mapping[str, str]]]:
        # Per-language texts repeat (positions, "{}" for no display name): decode each
        # distinct stored JSON once. PostgreSQL's driver hands JSONB over decoded already.
        get = field(name, type_coerce(expr, String))
        cache: dict[str, Mapping[str, str]] = {}

        def decode(raw: Any) -> Mapping[str, str]:
            if raw is None:
                return {}
            if not isinstance(raw, str):
                return raw
            hit = cache.get(raw)
            if hit is None:
                value = json.loads(raw)
                hit = value if isinstance(value, dict) else {}
                if len(cache) < TEXT_CACHE:
                    cache[raw] = hit
            return hit

        return get, decode

    def times(get: itemgetter[Any]) -> ColumnFn:
        local = LocalTimes(zone)
        return lambda part: list(map(local, map(get, part)))

    if key == "name":
        g, f, p = field("given", Person.given_name), field("family", Person.family_name), field(
            "patronymic", Person.patronymic)
        d, display = local_texts("display", Person.display_name)
        # Surname first, so that sorting the column sorts by surname: "Surname Given Patronymic"
        # as official lists in Russian and Kazakh write it; English "Surname, Given".
        return lambda part: [sheet_name(g(row), f(row), p(row), display(d(row)), lang) or None for row in part]
    if key == "family_name":
        return plain("family", Person.family_name)
    if key == "given_name":
        return plain("given", Person.given_name)
    if key == "patronymic":
        return plain("patronymic", Person.patronymic)
    if key == "organisation":
        return looked_up(field("org_id", Person.organisation_id), org_cache)
    if key == "position":
        get, position = local_texts("position", Person.position)
        picked: dict[Any, str] = {}

        def pick_position(raw: Any) -> str | None:
            hit = picked.get(raw) if isinstance(raw, str) else None
            if hit is None:
                hit = text(position(raw), lang)
                if isinstance(raw, str) and len(picked) < TEXT_CACHE:
                    picked[raw] = hit
            return hit or None

        return lambda part: list(map(pick_position, map(get, part)))
    if key == "sector":
        return labelled("sector", Organisation.sector, vocabulary.SECTOR_ORDER, vocabulary.sector)
    if key == "country":
        pc, oc = field("country", Person.country), field("org_country", Organisation.country)
        return lambda part: [pc(row) or oc(row) or None for row in part]
    if key == "category":
        return labelled("category", Registration.category, Category, vocabulary.category)
    if key == "status":
        return labelled("status", Registration.status, Status, vocabulary.status)
    if key == "code":
        return plain("code", Registration.badge_code)
    if key == "email":
        return plain("email", Person.email)
    if key == "phone":
        return plain("phone", Person.phone)
    if key == "gender":
        return labelled("gender", Person.gender, Gender, vocabulary.gender)
    if key == "registered_at":
        return times(field("created_at", type_coerce(Registration.created_at, String)))  # LocalTimes parses it
    if key == "checked_in":
        rid = field("id", Registration.id)
        local = LocalTimes(zone)  # None (not checked in) stays None
        arrived = arrived_at.get
        return lambda part: list(map(local, map(arrived, map(rid, part))))
    if key == "desk":
        rid = field("id", Registration.id)
        desk_of = desks.get
        return lambda part: [d or None for d in map(desk_of, map(rid, part))]
    if key == "interpretation":
        get = field("interpretation", Registration.interpretation)
        names = {code: vocabulary.language(code, lang) for code in vocabulary.LANGUAGE_WORDS}
        return lambda part: [names.get(v, v) or None for v in map(get, part)]
    if key == "dietary":
        return plain("dietary", Registration.dietary)
    if key == "accessibility":
        return plain("accessibility", Registration.accessibility)
    if key == "photo_consent":
        return labelled("photo_consent", Registration.photo_consent, (True, False), vocabulary.yes_no)
    if key == "notes":
        return plain("notes", Registration.notes)
    raise UnknownColumn(key)  # pragma: no cover - parse_columns refused it already


# -- participation figures -------------------------------------------------------------------

EXPECTED = (Status.REGISTERED, Status.CONFIRMED)


@dataclass(frozen=True)
class ParticipationFigures:
    """Counts for the donor, over every registration of the event (filters do not apply).

    *Expected* people are registered or confirmed, or already checked in (someone who
    declined but came anyway counts); the same definition as ``registrations.participation``.
    """

    registered: int
    expected: int
    checked_in: int
    by_status: dict[Status, int]                                       # every status, zeros too
    expected_by_sector_gender: dict[tuple[Sector | None, Gender], int]
    checked_in_by_sector_gender: dict[tuple[Sector | None, Gender], int]
    # The donor's four stages (``STAGES``), each by (sector, gender); see ``stage_of``.
    by_stage: dict[str, dict[tuple[Sector | None, Gender], int]] = field(default_factory=dict)

    def sectors(self) -> list[Sector | None]:
        """The sectors with anyone registered (in any status), in the catalogue's order."""
        present = {s for table in (self.expected_by_sector_gender, self.checked_in_by_sector_gender,
                                   *self.by_stage.values()) for s, _ in table}
        return [s for s in (*Sector, None) if s in present]

    def stage_total(self, stage: str, gender: Gender | None = None) -> int:
        """How many people reached ``stage`` (of one gender, or all)."""
        return sum(n for (_s, g), n in self.by_stage.get(stage, {}).items() if gender is None or g == gender)


# The stages a donor's report counts, each holding the next: everyone *invited* (every
# registration, whatever its status now); *registered* (registered or confirmed, or checked
# in: the expected); *confirmed* (confirmed, or checked in); *attended* (checked in).
INVITED, REGISTERED, CONFIRMED, ATTENDED = "invited", "registered", "confirmed", "attended"
STAGES: tuple[str, ...] = (INVITED, REGISTERED, CONFIRMED, ATTENDED)


def stages_of(status: Status, checked_in: bool) -> tuple[str, ...]:
    """The stages a registration in ``status`` (checked in or not) counts in."""
    if checked_in:
        return STAGES
    if status == Status.CONFIRMED:
        return (INVITED, REGISTERED, CONFIRMED)
    if status == Status.REGISTERED:
        return (INVITED, REGISTERED)
    return (INVITED,)


def materialized(cte: CTE, dialect: Dialect) -> CTE:
    """``cte`` worked out once per statement however often the statement names it
    (``MATERIALIZED``: SQLite from 3.35, PostgreSQL from 12). Without it SQLite copies a
    CTE, or an expression naming it, into each place it is used: a grouped query with "is
    checked in" in its columns and its GROUP BY ran the check-in window twice (measured)."""
    version = tuple(dialect.server_version_info or ())
    if (dialect.name == "sqlite" and version >= (3, 35)) or (dialect.name == "postgresql" and version >= (12,)):
        return cte.prefix_with("MATERIALIZED")
    return cte


def checked_in_once(session: OrmSession, event_id: int) -> CTE:
    """The event's registrations checked in now (``registration_id``), as a CTE the
    database works out once per statement (``checkin.latest_check_ins``' rule)."""
    latest = latest_check_ins(event_id).subquery()
    ci = select(latest.c.registration_id).where(latest.c.action == CheckInAction.IN).cte("checked_in")
    return materialized(ci, session.get_bind().dialect)


def participation_figures(session: OrmSession, event_id: int) -> ParticipationFigures:
    """The figures, counted by the database in one grouped query (who is checked in
    worked out once in it)."""
    ci = checked_in_once(session, event_id)
    is_in = case((Registration.id.in_(select(ci.c.registration_id)), 1), else_=0)
    stmt = (
        select(Registration.status, Organisation.sector, Person.gender, is_in, func.count())
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Registration.event_id == event_id)
        .group_by(Registration.status, Organisation.sector, Person.gender, is_in)
    )
    return figures_of_groups(session.execute(stmt))


def figures_of_groups(groups: Iterable[Any]) -> ParticipationFigures:
    """Figures from (status, sector, gender, is checked in, count) groups (a group may
    come more than once: its counts add up)."""
    by_status = {s: 0 for s in Status}
    expected: dict[tuple[Sector | None, Gender], int] = {}
    checked: dict[tuple[Sector | None, Gender], int] = {}
    stages: dict[str, dict[tuple[Sector | None, Gender], int]] = {stage: {} for stage in STAGES}
    registered = n_expected = n_in = 0
    for status, sector, gender, in_flag, n in groups:
        registered += n
        by_status[status] += n
        for stage in stages_of(status, bool(in_flag)):
            stages[stage][(sector, gender)] = stages[stage].get((sector, gender), 0) + n
        if status in EXPECTED or in_flag:
            n_expected += n
            expected[(sector, gender)] = expected.get((sector, gender), 0) + n
        if in_flag:
            n_in += n
            checked[(sector, gender)] = checked.get((sector, gender), 0) + n
    return ParticipationFigures(registered, n_expected, n_in, by_status, expected, checked, stages)


__all__ = [
    "AttendeeFilter",
    "CATALOGUE",
    "COLUMNS",
    "CONTACT_COLUMNS",
    "Column",
    "DEFAULT_COLUMNS",
    "ParticipationFigures",
    "STAGES",
    "UnknownColumn",
    "attendee_chunks",
    "checked_in_once",
    "count_attendees",
    "figures_of_groups",
    "materialized",
    "participation_figures",
    "parse_columns",
    "stages_of",
]
