"""The participation report's figures: what an extrabudgetary project reports to its donors
and what gender mainstreaming asks for, counted by the database.

* The four stages by sector and gender — invited, registered, confirmed, attended — are
  ``desktop.core.attendee_list``'s ``ParticipationFigures`` (one grouped query, or the tally
  the Excel export counts on its way): the printed report and the workbook's participation
  sheet read the same object, so they cannot disagree.
* Who is on the podium: the people with a role in the event's agenda (speakers, moderators,
  panellists, …) by gender, each person once per kind of role and once in the total.
* Organisations and countries represented, among the registered and among those who came.
* Attendance per day: the people checked in on each day of the event, in the event's own
  time zone (the day is worked out in SQL with the zone's offsets over the event's dates).

Every figure is an aggregate of a query: nothing here reads the registrations one by one,
so a report of 10,000 registrations costs a few grouped queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, String, case, cast, func, literal_column, null, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    AgendaItem,
    AgendaSession,
    CheckIn,
    CheckInAction,
    Event,
    Gender,
    Organisation,
    Person,
    Registration,
    Role,
    RoleKind,
    Sector,
    Status,
)
from desktop.core.attendee_list import (
    ATTENDED,
    CONFIRMED,
    INVITED,
    REGISTERED,
    ParticipationFigures,
    checked_in_once,
    event_zone,
    figures_of_groups,
    materialized,
)
from desktop.core.checkin import EXPECTED
from desktop.core.language import NP_
from desktop.core.vocabulary import ROLE_ORDER

GENDERS: tuple[Gender, ...] = (Gender.FEMALE, Gender.MALE, Gender.NOT_STATED)
"""The columns of every table by gender: women, men, not stated."""

REPRESENTED_STAGES: tuple[str, ...] = (REGISTERED, ATTENDED)
"""The stages organisations and countries are counted at."""

# The headings of the tables by stage (msgctxt "report"): the participation report's and the
# Excel export's participation sheet's, word for word.
STAGE_TABLES: dict[str, str] = {
    INVITED: NP_("report", "Invited, by sector and gender"),
    REGISTERED: NP_("report", "Registered, by sector and gender"),
    CONFIRMED: NP_("report", "Confirmed, by sector and gender"),
    ATTENDED: NP_("report", "Attended, by sector and gender"),
}


@dataclass(frozen=True)
class CountryCount:
    """A country (ISO code, or None when not given) and how many people of it reached each
    stage of ``REPRESENTED_STAGES``."""

    code: str | None
    registered: int
    attended: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything the participation report and the participation sheet show."""

    event_id: int
    timezone: str
    starts_on: dt.date
    ends_on: dt.date
    participation: ParticipationFigures
    # Distinct people per kind of role, by gender (only the kinds the agenda has).
    podium: dict[RoleKind, dict[Gender, int]] = field(default_factory=dict)
    # Distinct people with any role, by gender.
    podium_people: dict[Gender, int] = field(default_factory=dict)
    # Distinct organisations per stage ("registered", "attended") and sector.
    organisations: dict[str, dict[Sector, int]] = field(default_factory=dict)
    countries: list[CountryCount] = field(default_factory=list)
    # (day, people checked in on it): every day of the event, and any other day with arrivals.
    days: list[tuple[dt.date, int]] = field(default_factory=list)

    def organisation_count(self, stage: str) -> int:
        return sum(self.organisations.get(stage, {}).values())

    def country_count(self, stage: str) -> int:
        """Distinct countries (a person without one does not count)."""
        return sum(1 for c in self.countries if c.code is not None and getattr(c, stage) > 0)

    def organisation_sectors(self) -> list[Sector]:
        present = {s for table in self.organisations.values() for s, n in table.items() if n}
        return [s for s in Sector if s in present]

    @property
    def multi_day(self) -> bool:
        return len(self.days) > 1


def report_figures(session: OrmSession, event_id: int,
                   participation: ParticipationFigures | None = None) -> ReportFigures:
    """The report's figures for the event. ``participation``: the stage figures counted
    already (the Excel export's tally); else they are counted here, in the same statement
    as organisations and countries."""
    row = session.execute(
        select(Event.timezone, Event.starts_on, Event.ends_on).where(Event.id == event_id)).first()
    if row is None:
        from desktop.core.events import EventNotFound
        from desktop.core.language import _

        raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
    timezone, starts_on, ends_on = row
    stages, organisations, countries = _registrations(session, event_id, with_stages=participation is None)
    figures = participation if participation is not None else figures_of_groups(stages)
    podium, podium_people = _podium(session, event_id)
    days = _days(session, event_id, timezone or "UTC", starts_on, ends_on)
    return ReportFigures(event_id, timezone or "UTC", starts_on, ends_on, figures, podium, podium_people,
                         organisations, countries, days)


# -- the podium ----------------------------------------------------------------------------------

def _podium(session: OrmSession, event_id: int) -> tuple[dict[RoleKind, dict[Gender, int]], dict[Gender, int]]:
    in_sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
    in_items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
    # One row per (kind, person): a handful per session, so read as pairs.
    rows = session.execute(
        select(type_coerce(Role.kind, String), Role.person_id, type_coerce(Person.gender, String))
        .join(Person, Person.id == Role.person_id)
        .where(or_(Role.session_id.in_(in_sessions), Role.item_id.in_(in_items)))
        .distinct()
    ).all()
    by_kind: dict[RoleKind, Counter[Gender]] = {}
    people: dict[int, Gender] = {}
    for kind, person_id, gender in rows:
        g = Gender(gender or Gender.NOT_STATED.value)
        by_kind.setdefault(RoleKind(kind), Counter())[g] += 1
        people[person_id] = g
    podium = {k: {g: by_kind[k][g] for g in GENDERS} for k in ROLE_ORDER if k in by_kind}
    everyone = Counter(people.values())
    return podium, {g: everyone[g] for g in GENDERS}


# -- the stages, organisations and countries: one statement ------------------------------------

_STAGES, _COUNTRIES, _ORGANISATIONS = 0, 1, 2  # the parts of ``_registrations``' statement


def _registrations(session: OrmSession, event_id: int, *, with_stages: bool = True) -> tuple[
        list[tuple[Status, Sector | None, Gender, bool, int]], dict[str, dict[Sector, int]], list[CountryCount]]:
    """The stage groups (status, sector, gender, checked in, count) for ``figures_of_groups``,
    the organisations per stage and sector, and the countries — from one statement.

    Who is checked in is a window over the check-ins: it costs more than the rest, so it is
    worked out once (a materialized CTE) for a CTE of the registrations (one row each: status,
    sector, gender, organisation, country, checked in), which three groupings read (UNION
    ALL). Three statements over the check-in subquery measured 3-4× slower at 10,000."""
    dialect = session.get_bind().dialect
    ci = checked_in_once(session, event_id)
    is_in = case((Registration.id.in_(select(ci.c.registration_id)), 1), else_=0)
    regs = materialized(
        select(type_coerce(Registration.status, String).label("status"),
               type_coerce(Organisation.sector, String).label("sector"),
               type_coerce(Person.gender, String).label("gender"),
               Person.organisation_id.label("org"),
               func.upper(func.coalesce(Person.country, Organisation.country)).label("country"),
               is_in.label("is_in"))
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Registration.event_id == event_id)
        .cte("regs"), dialect)
    # Registered (or further): registered or confirmed now, or checked in.
    registered = case((or_(regs.c.status.in_([s.value for s in EXPECTED]), regs.c.is_in == 1), 1), else_=0)
    no_text, no_number = null(), null()
    parts = []
    if with_stages:
        parts.append(
            select(literal_column(str(_STAGES)), regs.c.status, regs.c.sector, regs.c.gender, regs.c.is_in,
                   func.count(), no_number)
            .group_by(regs.c.status, regs.c.sector, regs.c.gender, regs.c.is_in))
    parts.append(
        select(literal_column(str(_COUNTRIES)), no_text, no_text, regs.c.country, no_number,
               func.sum(registered), func.sum(regs.c.is_in))
        .group_by(regs.c.country))
    # An organisation's sector is its own: distinct organisations per sector and stage.
    parts.append(
        select(literal_column(str(_ORGANISATIONS)), no_text, regs.c.sector, no_text, no_number,
               func.count(func.distinct(case((registered == 1, regs.c.org)))),
               func.count(func.distinct(case((regs.c.is_in == 1, regs.c.org)))))
        .group_by(regs.c.sector))
    stages: list[tuple[Status, Sector | None, Gender, bool, int]] = []
    organisations: dict[str, dict[Sector, int]] = {REGISTERED: {}, ATTENDED: {}}
    by_country: dict[str | None, list[int]] = {}
    for part, status, sector, text, flag, n, m in session.execute(union_all(*parts)):
        if part == _STAGES:
            stages.append((Status(status), Sector(sector) if sector else None,
                           Gender(text or Gender.NOT_STATED.value), bool(flag), int(n)))
        elif part == _COUNTRIES:
            counts = by_country.setdefault(text or None, [0, 0])  # "" is no country too
            counts[0] += int(n or 0)
            counts[1] += int(m or 0)
        else:
            for stage, found in ((REGISTERED, int(n or 0)), (ATTENDED, int(m or 0))):
                if found:
                    key = Sector(sector or Sector.OTHER.value)
                    organisations[stage][key] = organisations[stage].get(key, 0) + found
    countries = [CountryCount(code, r, a) for code, (r, a) in by_country.items() if r or a]
    # Most present first; the unknown country last.
    countries.sort(key=lambda c: (c.code is None, -c.attended, -c.registered, c.code or ""))
    return stages, organisations, countries


# -- attendance per day ---------------------------------------------------------------------------

MARGIN_DAYS = 3  # the zone's offsets are worked out this far around the event's dates


def _offsets(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, int]]:
    """The zone's UTC offsets (seconds) from ``start`` to ``end`` (aware UTC): the first
    offset with ``start``, then each change with the instant it happens (found to the
    minute within the hour it falls in)."""
    def offset(at: dt.datetime) -> int:
        return int((at.astimezone(zone).utcoffset() or dt.timedelta(0)).total_seconds())

    changes = [(start, offset(start))]
    at = start
    while at < end:
        nxt = at + dt.timedelta(hours=1)
        if offset(nxt) != changes[-1][1]:
            low = at
            while low < nxt and offset(low) == changes[-1][1]:
                low += dt.timedelta(minutes=1)
            changes.append((low, offset(low)))
        at = nxt
    return changes


def _shifted_date(column: Any, seconds: int, dialect: str) -> Any:
    """SQL: the date of the instant ``column`` (naive UTC) moved by ``seconds``."""
    if dialect == "sqlite":
        return func.date(column, f"{seconds:+d} seconds")
    return cast(column + literal_column(f"interval '{int(seconds)} seconds'"), Date)


def local_day(column: Any, zone: dt.tzinfo, first: dt.date, last: dt.date, dialect: str) -> Any:
    """SQL: the day in ``zone`` of the UTC instant ``column``, exact from ``MARGIN_DAYS``
    before ``first`` to as many after ``last`` (a daylight-saving change in that span is
    a CASE on the instant it happens); outside it, by the nearest known offset."""
    start = dt.datetime.combine(first - dt.timedelta(days=MARGIN_DAYS), dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=MARGIN_DAYS + 1), dt.time(), dt.UTC)
    changes = _offsets(zone, start, end)
    if len(changes) == 1:
        return _shifted_date(column, changes[0][1], dialect)
    whens = [(column < at, _shifted_date(column, before, dialect))
             for (at, _o), (_a, before) in zip(changes[1:], changes)]
    return case(*whens, else_=_shifted_date(column, changes[-1][1], dialect))


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _days(session: OrmSession, event_id: int, timezone: str, starts_on: dt.date,
          ends_on: dt.date) -> list[tuple[dt.date, int]]:
    """People checked in on each day: check-ins (IN) that no UNDO names, distinct people a day."""
    dialect = session.get_bind().dialect.name
    undone = select(CheckIn.undoes).where(CheckIn.action == CheckInAction.UNDO, CheckIn.undoes.is_not(None))
    day = local_day(CheckIn.happened_at, event_zone(timezone), starts_on, ends_on, dialect).label("day")
    rows = session.execute(
        select(day, func.count(func.distinct(CheckIn.registration_id)))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event_id, CheckIn.action == CheckInAction.IN,
               CheckIn.uuid.not_in(undone))
        .group_by(day)
    ).all()
    counts = {_as_date(d): int(n) for d, n in rows if d is not None}
    span = (ends_on - starts_on).days
    for k in range(max(0, span) + 1):
        counts.setdefault(starts_on + dt.timedelta(days=k), 0)
    return sorted(counts.items())


def share(counts: Sequence[int]) -> float | None:
    """The first count's share of the sum (women's, with counts in ``GENDERS`` order);
    None when the sum is 0."""
    total = sum(counts)
    return counts[0] / total if total else None


__all__ = [
    "GENDERS",
    "REPRESENTED_STAGES",
    "STAGE_TABLES",
    "CountryCount",
    "ReportFigures",
    "local_day",
    "report_figures",
    "share",
]
