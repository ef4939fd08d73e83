"""Registrations of an event as plain rows, and the figures a desk and a donor ask for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from db.models import Category, Gender, Organisation, Person, Registration, Sector, Status
from desktop.core.checkin import checked_in_subquery
from desktop.core.i18n import full_name, text

# Statuses of people who are expected at the event (for "checked in of expected").
EXPECTED = (Status.REGISTERED, Status.CONFIRMED)


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    code: str
    name: str
    organisation: str
    sector: Sector | None
    category: Category
    status: Status
    checked_in_at: dt.datetime | None  # aware UTC
    desk: str | None


def registration_rows(session: OrmSession, event_id: int, lang: str = "en",
                      *, status: Status | None = None) -> list[RegistrationRow]:
    """The event's registrations by surname, with when and where each was checked in."""
    ci = checked_in_subquery(event_id)
    stmt = (
        select(
            Registration.id, Registration.badge_code,
            Person.given_name, Person.family_name, Person.display_name,
            Organisation.name, Organisation.sector,
            Registration.category, Registration.status,
            ci.c.happened_at, ci.c.desk,
        )
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(ci, ci.c.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
        .order_by(Person.family_name, Person.given_name, Registration.id)
    )
    if status is not None:
        stmt = stmt.where(Registration.status == status)
    rows = []
    for rid, code, given, family, display, org, sector, category, st, at, desk in session.execute(stmt):
        if isinstance(at, str):  # a raw value from a subquery on SQLite
            at = dt.datetime.fromisoformat(at)
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=dt.timezone.utc)
        rows.append(RegistrationRow(
            rid, code, full_name(given, family, None, display, lang), text(org, lang),
            sector, category, st, at, desk,
        ))
    return rows


@dataclass(frozen=True)
class Participation:
    """Figures for the desk and the donor."""

    registered: int                  # every registration
    expected: int                    # registered or confirmed
    checked_in: int
    by_status: dict[Status, int]
    by_sector: dict[Sector | None, tuple[int, int]]            # expected, checked in
    by_sector_gender: dict[tuple[Sector | None, Gender], int]  # of the expected


def participation(session: OrmSession, event_id: int) -> Participation:
    ci = checked_in_subquery(event_id)
    rows = session.execute(
        select(Registration.status, Organisation.sector, Person.gender, ci.c.registration_id.is_not(None))
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(ci, ci.c.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
    ).all()
    by_status: Counter[Status] = Counter()
    expected_by_sector: Counter[Sector | None] = Counter()
    in_by_sector: Counter[Sector | None] = Counter()
    by_sector_gender: Counter[tuple[Sector | None, Gender]] = Counter()
    checked = 0
    for st, sector, gender, is_in in rows:
        by_status[st] += 1
        if st in EXPECTED or is_in:
            expected_by_sector[sector] += 1
            by_sector_gender[(sector, gender)] += 1
        if is_in:
            checked += 1
            in_by_sector[sector] += 1
    return Participation(
        registered=len(rows),
        expected=sum(expected_by_sector.values()),
        checked_in=checked,
        by_status=dict(by_status),
        by_sector={s: (expected_by_sector[s], in_by_sector[s]) for s in expected_by_sector},
        by_sector_gender=dict(by_sector_gender),
    )


def recent_check_ins(session: OrmSession, event_id: int, limit: int = 50,
                     lang: str = "en") -> list[RegistrationRow]:
    """The people checked in most recently, newest first."""
    rows = [r for r in registration_rows(session, event_id, lang) if r.checked_in_at is not None]
    rows.sort(key=lambda r: r.checked_in_at or dt.datetime.min, reverse=True)
    return rows[:limit]


def count_registrations(session: OrmSession, event_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Registration.event_id == event_id)) or 0)
