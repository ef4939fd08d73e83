"""The participation report's figures: what an extrabudgetary project reports to its donors
and what gender mainstreaming asks for, counted by the database.

* The four stages by sector and gender — invited, registered, confirmed, attended — are
  ``desktop.core.attendee_list``'s ``ParticipationFigures``, counted in this module's one
  statement with the organisations and countries: the printed report and the workbook's
  participation sheet read the same object, so they cannot disagree.
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

from sqlalchemy import Date, String, case, cast, func, literal_column, or_, select, type_coerce
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
    stages_of,
)
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


def report_figures(session: OrmSession, event_id: int) -> ReportFigures:
    """The report's figures for the event (the stages counted in the same statement as
    organisations and countries)."""
    row = session.execute(
        select(Event.timezone, Event.starts_on, Event.ends_on).where(Event.id == event_id)).first()
    if row is None:
        from desktop.core.events import EventNotFound
        from desktop.core.language import _

        raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
    timezone, starts_on, ends_on = row
    stages, organisations, countries = _registrations(session, event_id)
    figures = figures_of_groups(stages)
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

def _registrations(session: OrmSession, event_id: int) -> tuple[
        list[tuple[Status, Sector | None, Gender, bool, int]], dict[str, dict[Sector, int]], list[CountryCount]]:
    """The stage groups (status, sector, gender, checked in, count) for ``figures_of_groups``,
    the organisations per stage and sector, and the countries — from one statement.

    Who is checked in is a window over the check-ins: it costs more than the rest, so it is
    worked out once (a materialized CTE). The statement groups the registrations by
    everything the three tables need (status, sector, gender, checked in, organisation,
    country): a group per organisation and kind of person, a few thousand rows at most in a
    real event, which are added up here. Three statements over the check-in subquery
    measured 3-4× slower at 10,000; one CTE of every registration that three groupings
    read was as fast as this but held ~6 MiB more in SQLite at 100,000 (measured)."""
    ci = checked_in_once(session, event_id)
    is_in = case((Registration.id.in_(select(ci.c.registration_id)), 1), else_=0)
    status = type_coerce(Registration.status, String)
    sector = type_coerce(Organisation.sector, String)
    gender = type_coerce(Person.gender, String)
    country = func.upper(func.coalesce(Person.country, Organisation.country))
    groups = (
        select(status, sector, gender, is_in, Person.organisation_id, country, func.count())
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Registration.event_id == event_id)
        .group_by(status, sector, gender, is_in, Person.organisation_id, country)
    )
    by_stage: Counter[tuple[str, str | None, str | None, int]] = Counter()
    by_country: dict[str | None, list[int]] = {}
    organisations_at: dict[str, dict[Sector, set[int]]] = {REGISTERED: {}, ATTENDED: {}}
    for st, sec, gen, flag, org, code, n in session.execute(groups):
        by_stage[(st, sec, gen, flag)] += n
        # Registered (or further): the stages' own rule (registered or confirmed now, or checked in).
        reached = stages_of(Status(st), bool(flag))
        counts = by_country.setdefault(code or None, [0, 0])  # "" is no country too
        if REGISTERED in reached:
            counts[0] += n
        if flag:
            counts[1] += n
        if org is not None:
            # An organisation's sector is its own: distinct organisations per sector and stage.
            for stage in (REGISTERED, ATTENDED):
                if stage in reached:
                    organisations_at[stage].setdefault(Sector(sec or Sector.OTHER.value), set()).add(org)
    stages = [(Status(st), Sector(sec) if sec else None, Gender(gen or Gender.NOT_STATED.value), bool(flag), n)
              for (st, sec, gen, flag), n in by_stage.items()]
    organisations = {stage: {s: len(ids) for s, ids in found.items()} for stage, found in organisations_at.items()}
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
