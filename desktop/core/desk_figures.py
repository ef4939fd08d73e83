"""The desk's figures — checked in of expected by sector, the latest check-ins, this desk's
last check-in — kept up to date from what was written since the last look, so that a
refresh every few seconds costs a few small indexed queries at 100,000 registrations, not
a pass over every check-in (``desktop.core.checkin.participation``: 0.35 s there).

``DeskFigures.read`` is the one call: the first time (and when told to, or when the
event's registrations changed) it counts everything once — who is in (the rule of
``desktop.core.checkin``), each registration's status and sector — and remembers who is
in and the highest check-in id it has seen; after that it reads only the check-in rows
above that id, works out the state of the registrations they name again (their own rows,
by the registration index) and moves the counts by the difference. Check-ins are
append-only, so the rows above the mark are all that can have changed who is in.

* The registrations' side is watched by a cheap signature (how many, the highest id, the
  latest ``updated_at``): a status edited, someone registered or removed, here or at
  another workstation, and the next read counts everything again. A person's move to
  another organisation, or an organisation's new sector, shows at the next full count
  (``reload=True``: the desk asks for one whenever the window reads the event again).
* PostgreSQL hands out ids before commit, so a check-in committed late may have an id
  below the mark: ids skipped over (``gaps``) are looked for again on every read, for
  ``GAP_SECONDS``. SQLite writes one transaction at a time and its ids only grow: no gaps.
* Not thread-safe by itself: one ``DeskFigures`` is read by one thread at a time (the
  desk's background reader holds ``lock`` around it).
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from db.models import CheckIn, Organisation, Person, Registration, Sector, Status
from desktop.core.checkin import EXPECTED, arrivals_of, event_arrivals
from desktop.core.desk import DeskCounts, LastCheckIn, last_check_in_of_desk
from desktop.core.raw import IN_CHUNK, chunks, compiled, dialect_of, fetch, ids_condition, ids_value, param
from desktop.core.registrations import RegistrationRow, recent_check_ins, rows_for_ids

GAP_SECONDS = 600.0
"""How long a check-in id skipped over on PostgreSQL is looked for (a transaction that took
it and has not committed yet; most are rolled back walk-ins and are never seen)."""

_REG = Registration.__table__
_CI = CheckIn.__table__
_STATUS = {s.value: s for s in Status}
_SECTOR = {s.value: s for s in Sector}
_EXPECTED_VALUES = frozenset(s.value for s in EXPECTED)


@dataclass(frozen=True)
class DeskView:
    """What the desk shows beside the verdict: the counts, the latest check-ins (newest
    first) and this desk's last check-in that is not undone."""

    counts: DeskCounts
    recent: tuple[RegistrationRow, ...]
    last: LastCheckIn | None


@lru_cache(maxsize=2)
def _signature_sql(dialect: str) -> str:
    return compiled(select(func.count(), func.max(_REG.c.id), func.max(_REG.c.updated_at))
                    .where(_REG.c.event_id == param("event_id")), dialect)


@lru_cache(maxsize=2)
def _mark_sql(dialect: str) -> str:
    return compiled(select(func.max(_CI.c.id)), dialect)


_NEW_COLUMNS = (_CI.c.id, _REG.c.event_id, _CI.c.registration_id)


@lru_cache(maxsize=2)
def _new_rows_sql(dialect: str) -> str:
    """Check-in rows above the mark, of every event (an id of another event is no gap)."""
    return compiled(select(*_NEW_COLUMNS).join(_REG, _REG.c.id == _CI.c.registration_id)
                    .where(_CI.c.id > param("mark")), dialect)


@lru_cache(maxsize=2)
def _gap_rows_sql(dialect: str) -> str:
    return compiled(select(*_NEW_COLUMNS).join(_REG, _REG.c.id == _CI.c.registration_id)
                    .where(ids_condition(_CI.c.id, dialect)), dialect)


def _kinds_select() -> Any:
    return (select(_REG.c.id, _REG.c.status, Organisation.__table__.c.sector)
            .join(Person, Person.id == _REG.c.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id))


@lru_cache(maxsize=2)
def _event_kinds_sql(dialect: str) -> str:
    """``id, status, sector`` of every registration of the event."""
    return compiled(_kinds_select().where(_REG.c.event_id == param("event_id")), dialect)


@lru_cache(maxsize=2)
def _ids_kinds_sql(dialect: str) -> str:
    return compiled(_kinds_select().where(ids_condition(_REG.c.id, dialect)), dialect)


def _kind(status: str, sector: str | None) -> tuple[bool, Sector | None]:
    """(expected by status, sector) of a registration as read raw."""
    return status in _EXPECTED_VALUES, _SECTOR[sector] if sector else None


class DeskFigures:
    """The figures of one event's desk, kept between reads (see the module docstring)."""

    def __init__(self, event_id: int, recent_limit: int = 50,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.event_id = event_id
        self.recent_limit = recent_limit
        self.lock = threading.Lock()
        self._clock = clock
        self._loaded = False
        self._signature: tuple[Any, ...] | None = None
        self._mark = 0
        self._gaps: dict[int, float] = {}
        self._arrived: dict[int, tuple[dt.datetime, str]] = {}
        self._registered = 0
        self._expected: Counter[Sector | None] = Counter()
        self._in: Counter[Sector | None] = Counter()
        self._recent: tuple[RegistrationRow, ...] = ()
        self._recent_for: tuple[str, int] | None = None  # (lang, changes) the recent rows were read for
        self._last: LastCheckIn | None = None
        self._last_for: tuple[str, str, int] | None = None
        self._changes = 0  # counts reads that found new rows of the event

    @property
    def loaded(self) -> bool:
        return self._loaded

    def read(self, session: OrmSession, desk: str, lang: str = "en", *, reload: bool = False) -> DeskView:
        """The figures now: counted afresh the first time, when ``reload`` or when the
        registrations changed; else moved by the check-ins written since the last read."""
        conn, dialect = session.connection(), dialect_of(session)
        signature = tuple(fetch(conn, _signature_sql(dialect), {"event_id": self.event_id})[0])
        if reload or not self._loaded or signature != self._signature:
            self._load(conn, dialect, signature)
        else:
            self._advance(conn, dialect)
        return DeskView(self.counts(), self._recent_rows(session, lang), self._last_of(session, desk, lang))

    def counts(self) -> DeskCounts:
        expected = self._expected
        return DeskCounts(sum(self._in.values()), sum(expected.values()), self._registered,
                          {s: (expected[s], self._in[s]) for s in expected})

    # -- counting ---------------------------------------------------------------------------

    def _load(self, conn: Any, dialect: str, signature: tuple[Any, ...]) -> None:
        # The mark first: a row committed meanwhile is read now and again next time (the
        # same state twice), never missed.
        self._mark = int(fetch(conn, _mark_sql(dialect), {})[0][0] or 0)
        self._gaps.clear()
        self._arrived = event_arrivals(conn, dialect, self.event_id)
        expected: Counter[Sector | None] = Counter()
        checked: Counter[Sector | None] = Counter()
        registered = 0
        arrived = self._arrived
        for rid, status, sector in fetch(conn, _event_kinds_sql(dialect), {"event_id": self.event_id}):
            registered += 1
            by_status, where = _kind(status, sector)
            is_in = rid in arrived
            if by_status or is_in:
                expected[where] += 1
            if is_in:
                checked[where] += 1
        self._registered, self._expected, self._in = registered, expected, checked
        self._signature = signature
        self._loaded = True
        self._changes += 1

    def _advance(self, conn: Any, dialect: str) -> None:
        rows = fetch(conn, _new_rows_sql(dialect), {"mark": self._mark})
        now = self._clock()
        if self._gaps:
            self._gaps = {cid: seen for cid, seen in self._gaps.items() if now - seen < GAP_SECONDS}
            gaps = sorted(self._gaps)
            for chunk in chunks(gaps):
                rows.extend(fetch(conn, _gap_rows_sql(dialect), {"ids": ids_value(dialect, chunk)}))
        if not rows:
            return
        ids = {row[0] for row in rows}
        for cid in ids:
            self._gaps.pop(cid, None)
        top = max(ids)
        if dialect == "postgresql" and top > self._mark:
            self._gaps.update((cid, now) for cid in range(self._mark + 1, top) if cid not in ids)
        self._mark = max(self._mark, top)
        named = sorted({rid for _cid, event_id, rid in rows if event_id == self.event_id})
        if named:
            self._recount(conn, dialect, named)

    def _recount(self, conn: Any, dialect: str, ids: list[int]) -> None:
        """The state of registrations ``ids`` worked out again from their rows, and the
        counts moved where it changed."""
        now_in = arrivals_of(conn, dialect, ids)
        kinds: dict[int, tuple[bool, Sector | None]] = {}
        for chunk in chunks(ids):
            kinds.update((rid, _kind(status, sector)) for rid, status, sector in
                         fetch(conn, _ids_kinds_sql(dialect), {"ids": ids_value(dialect, chunk)}))
        for rid in ids:
            was, now = rid in self._arrived, rid in now_in
            if now:
                self._arrived[rid] = now_in[rid]
            elif was:
                del self._arrived[rid]
            if was == now or rid not in kinds:
                continue
            by_status, where = kinds[rid]
            step = 1 if now else -1
            self._in[where] += step
            if not by_status:
                self._expected[where] += step
        self._changes += 1  # the lists are read again: a row of this event came

    # -- the lists --------------------------------------------------------------------------

    def _recent_rows(self, session: OrmSession, lang: str) -> tuple[RegistrationRow, ...]:
        """The newest ``recent_limit`` arrivals, as ``registrations.recent_check_ins`` lists
        them, read again only when new rows came (or the language changed)."""
        if self._recent_for == (lang, self._changes):
            return self._recent
        limit, arrived = self.recent_limit, self._arrived
        rows: list[RegistrationRow] = []
        if arrived and limit > 0:
            last = heapq.nlargest(limit, (at for at, _desk in arrived.values()))[-1]
            newest = sorted((rid for rid, (at, _desk) in arrived.items() if at >= last),
                            key=lambda rid: arrived[rid][0], reverse=True)
            if len(newest) > IN_CHUNK:  # thousands at one instant: the list's own way
                rows = recent_check_ins(session, self.event_id, limit, lang)
            else:
                rows = rows_for_ids(session, newest, lang)
                rows.sort(key=lambda r: r.checked_in_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        self._recent = tuple(rows[:limit])
        self._recent_for = (lang, self._changes)
        return self._recent

    def _last_of(self, session: OrmSession, desk: str, lang: str) -> LastCheckIn | None:
        if self._last_for != (desk, lang, self._changes):
            self._last = last_check_in_of_desk(session, self.event_id, desk, lang=lang)
            self._last_for = (desk, lang, self._changes)
        return self._last


__all__ = ["GAP_SECONDS", "DeskFigures", "DeskView"]
