"""Check-in state and the figures of an event, derived from the append-only ``check_in`` rows.

A check-in row is *effective* unless an UNDO row names it. A registration is checked in
when its latest effective row (by the time it happened) is an IN. The rule is here once,
in three forms: ``latest_arrivals`` over raw rows read in one pass (the list, the figures,
the desk), ``checked_in_since`` as a correlated SQL subquery per registration (sorting and
filtering the list), and ``latest_check_ins``/``checked_in_subquery`` as subqueries over
an event (the printed pages). ``participation`` and ``checked_in_count`` are the figures
the desk and the donors ask for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    Subquery,
    case,
    func,
    select,
)
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    CheckIn,
    CheckInAction,
    Gender,
    Organisation,
    Person,
    Registration,
    Sector,
    Status,
)
from desktop.core.raw import (
    chunks,
    compiled,
    dialect_of,
    fetch,
    ids_condition,
    ids_value,
    param,
    utc_value,
)


def latest_check_ins(event_id: int) -> Select[tuple[int, object, str, str]]:
    """A subquery-ready select: per registration of the event, its latest effective
    check-in row: ``registration_id, happened_at, desk, action``."""
    undone = select(CheckIn.undoes).where(
        CheckIn.action == CheckInAction.UNDO, CheckIn.undoes.is_not(None)
    )
    ranked = (
        select(
            CheckIn.registration_id,
            CheckIn.happened_at,
            CheckIn.desk,
            CheckIn.action,
            func.row_number()
            .over(
                partition_by=CheckIn.registration_id,
                order_by=(CheckIn.happened_at.desc(), CheckIn.id.desc()),
            )
            .label("rank"),
        )
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(
            Registration.event_id == event_id,
            CheckIn.action.in_((CheckInAction.IN, CheckInAction.OUT)),
            CheckIn.uuid.not_in(undone),
        )
        .subquery()
    )
    return select(ranked.c.registration_id, ranked.c.happened_at, ranked.c.desk, ranked.c.action).where(
        ranked.c.rank == 1
    )


def checked_in_subquery(event_id: int) -> Subquery:
    """Registrations of the event that are checked in now: ``registration_id, happened_at, desk``."""
    latest = latest_check_ins(event_id).subquery()
    return (
        select(latest.c.registration_id, latest.c.happened_at, latest.c.desk)
        .where(latest.c.action == CheckInAction.IN)
        .subquery("checked_in")
    )


# Statuses of people who are expected at the event (for "checked in of expected").
EXPECTED = (Status.REGISTERED, Status.CONFIRMED)


_CI = CheckIn.__table__
_REG = Registration.__table__


_UNDO, _IN = CheckInAction.UNDO.value, CheckInAction.IN.value


def checked_in_since() -> Any:
    """SQL, per registration row: when it was checked in if it is checked in now, else NULL.

    The rule of ``desktop.core.checkin`` as a correlated subquery on the registration's own
    check-in rows (one index lookup per registration): the latest IN or OUT row that no
    UNDO row of the same registration names, by the time it happened; its time if it is
    an IN. A join to ``checked_in_subquery`` would do the same, but SQLite runs that
    subquery again for every registration (minutes at 100,000 rows).
    """
    undo = CheckIn.__table__.alias("undo")
    latest = CheckIn.__table__.alias("latest")
    undone = (
        select(undo.c.id)
        .where(undo.c.registration_id == latest.c.registration_id,
               undo.c.action == CheckInAction.UNDO, undo.c.undoes == latest.c.uuid)
        .exists()
    )
    return (
        select(case((latest.c.action == CheckInAction.IN, latest.c.happened_at), else_=None))
        .where(latest.c.registration_id == Registration.id,
               latest.c.action.in_((CheckInAction.IN, CheckInAction.OUT)), ~undone)
        .order_by(latest.c.happened_at.desc(), latest.c.id.desc())
        .limit(1)
        .correlate(Registration)
        .scalar_subquery()
    )


def latest_arrivals(rows: Iterable[Sequence[Any]]) -> dict[int, tuple[dt.datetime, str]]:
    """The check-in state of raw check-in rows ``(registration_id, id, uuid, action,
    undoes, happened_at, desk)`` (all the rows of each registration named): for those
    checked in now, when (aware UTC) and at which desk."""
    rows = list(rows)
    undone = {row[4] for row in rows if row[3] == _UNDO and row[4] is not None}
    latest: dict[int, tuple[tuple[dt.datetime, int], str, str]] = {}
    for rid, cid, uid, action, _undoes, happened, desk in rows:
        if action == _UNDO or uid in undone:
            continue
        key = (utc_value(happened), cid)
        if rid not in latest or key > latest[rid][0]:
            latest[rid] = (key, action, desk)
    return {rid: (key[0], desk) for rid, (key, action, desk) in latest.items() if action == _IN}


@lru_cache(maxsize=2)
def _one_check_ins_sql(dialect: str) -> str:
    """The check-in rows of the registration ``id`` (a badge code found: no id list to pass)."""
    return compiled(select(
        _CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes, _CI.c.happened_at, _CI.c.desk,
    ).where(_CI.c.registration_id == param("id")), dialect)


@lru_cache(maxsize=2)
def _ids_check_ins_sql(dialect: str) -> str:
    """The check-in rows of the registrations of the parameter ``ids``."""
    return compiled(select(
        _CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes, _CI.c.happened_at, _CI.c.desk,
    ).where(ids_condition(_CI.c.registration_id, dialect)), dialect)


def arrivals_of(conn: Any, dialect: str, ids: Sequence[int]) -> dict[int, tuple[dt.datetime, str]]:
    if len(ids) == 1:
        return latest_arrivals(fetch(conn, _one_check_ins_sql(dialect), {"id": ids[0]}))
    sql = _ids_check_ins_sql(dialect)
    rows = []
    for chunk in chunks(ids):
        rows.extend(fetch(conn, sql, {"ids": ids_value(dialect, chunk)}))
    return latest_arrivals(rows)


def check_ins_of(session: OrmSession, ids: Sequence[int]) -> dict[int, tuple[dt.datetime, str]]:
    """For those of ``ids`` checked in now: when (aware UTC) and at which desk.

    The rule of ``desktop.core.checkin``, for a few registrations: a row counts unless an
    UNDO row (of the same registration) names it; the latest row that counts, by the time
    it happened, says whether the person is in.
    """
    return arrivals_of(session.connection(), dialect_of(session), ids)


@lru_cache(maxsize=2)
def _event_check_ins_sql(dialect: str) -> str:
    """The check-in rows of the event's registrations, as ``latest_arrivals`` reads them."""
    return compiled(
        select(_CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes,
               _CI.c.happened_at, _CI.c.desk)
        .join(Registration, Registration.id == _CI.c.registration_id)
        .where(_REG.c.event_id == param("event_id")),
        dialect)


def event_arrivals(conn: Any, dialect: str, event_id: int) -> dict[int, tuple[dt.datetime, str]]:
    """Who of the event is checked in now: when and where, by registration id (one pass)."""
    return latest_arrivals(fetch(conn, _event_check_ins_sql(dialect), {"event_id": event_id}))


@lru_cache(maxsize=2)
def _event_people_sql(dialect: str) -> str:
    """``id, status, sector, gender`` of each of the event's registrations."""
    return compiled(
        select(_REG.c.id, _REG.c.status, Organisation.__table__.c.sector, Person.__table__.c.gender)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG.c.event_id == param("event_id")),
        dialect)


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
    """The figures of the event: one pass over its registrations, one over its check-ins."""
    conn, dialect = session.connection(), dialect_of(session)
    arrived = event_arrivals(conn, dialect, event_id)
    rows = [
        (_STATUS[st], _SECTOR[sector] if sector else None, _GENDER[gender], rid in arrived)
        for rid, st, sector, gender in fetch(conn, _event_people_sql(dialect), {"event_id": event_id})
    ]
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


def checked_in_count(session: OrmSession, event_id: int) -> int:
    """How many of the event's registrations are checked in now."""
    return len(event_arrivals(session.connection(), dialect_of(session), event_id))


_STATUS = {s.value: s for s in Status}
_SECTOR = {s.value: s for s in Sector}
_GENDER = {g.value: g for g in Gender}
