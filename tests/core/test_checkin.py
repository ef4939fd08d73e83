"""A registration's check-in state is derived from the append-only check-in rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import CheckIn, CheckInAction, Registration
from desktop.core.checkin import participation
from desktop.core.registrations import registration_rows

T0 = dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.UTC)


def _minutes(n: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


# Each case: the rows as (minute, action, index of the row an undo cancels), and the
# expected state: None for not checked in, else (minute, desk) of the effective check-in.
CASES = {
    "nothing": ([], None),
    "one in": ([(1, "in", None)], 1),
    "in then out": ([(1, "in", None), (5, "out", None)], None),
    "in, out, in": ([(1, "in", None), (5, "out", None), (9, "in", None)], 9),
    "undone in": ([(1, "in", None), (2, "undo", 0)], None),
    "undone out restores in": ([(1, "in", None), (5, "out", None), (6, "undo", 1)], 1),
    "late-recorded earlier in": ([(9, "out", None), (3, "in", None)], None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_state_from_rows(demo: tuple[Database, int], name: str) -> None:
    database, event_id = demo
    rows, expected = CASES[name]
    with database.write() as s:
        reg = s.scalars(
            select(Registration).where(Registration.event_id == event_id)
            .where(~Registration.check_ins.any()).order_by(Registration.id)
        ).first()
        assert reg is not None
        reg_id = reg.id
        made: list[CheckIn] = []
        for minute, action, target in rows:
            row = CheckIn(
                registration=reg, desk=f"D{minute}", action=CheckInAction(action),
                happened_at=_minutes(minute),
                undoes=made[target].uuid if target is not None else None,
            )
            s.add(row)
            s.flush()
            made.append(row)
    with database.read() as s:
        before = participation(s, event_id).checked_in
        (row,) = [r for r in registration_rows(s, event_id) if r.id == reg_id]
    if expected is None:
        assert row.checked_in_at is None and row.desk is None
    else:
        assert row.checked_in_at == _minutes(expected)
        assert row.desk == f"D{expected}"
    assert before == 24 + (expected is not None)


# -- at scale: one pass over the check-ins, never one per registration -----------------------

SCALE = 10_000  # big enough that the quadratic join takes tens of seconds


def _big_event(database: Database) -> tuple[int, set[int], list[int]]:
    """An event of SCALE registrations, each checked in once (a second apart), some of
    them out again or undone. Returns the event, who is in, and the ids of the latest
    arrivals, newest first."""
    import uuid

    from sqlalchemy import insert

    from db.models import Event, Person

    now = dt.datetime.now(dt.UTC)
    with database.write() as s:
        event_id = s.execute(insert(Event.__table__).values(
            uuid=uuid.uuid4(), title={"en": "Big forum"}, subtitle={}, starts_on=dt.date(2025, 2, 28),
            ends_on=dt.date(2025, 2, 28), timezone="Asia/Almaty", venue={}, city={}, languages=["en"],
            is_demo=False, created_at=now, updated_at=now)).inserted_primary_key[0]
        first = s.scalar(select(Person.id).order_by(Person.id.desc())) or 0
        people = [{"id": first + n + 1, "uuid": uuid.uuid4(), "given_name": f"Given{n}",
                   "family_name": f"Family{n % 997:03d}", "display_name": {}, "position": {}, "bio": {},
                   "gender": "not_stated", "created_at": now, "updated_at": now} for n in range(SCALE)]
        s.execute(insert(Person.__table__), people)
        s.execute(insert(Registration.__table__), [
            {"uuid": uuid.uuid4(), "event_id": event_id, "person_id": p["id"], "category": "participant",
             "status": "confirmed", "badge_code": f"B{n:06d}", "source": "import",
             "created_at": now, "updated_at": now} for n, p in enumerate(people)])
        reg_ids = list(s.scalars(select(Registration.id).where(Registration.event_id == event_id)
                                 .order_by(Registration.id)))
        ins = [{"uuid": uuid.uuid4(), "registration_id": rid, "desk": "D1", "action": "in", "undoes": None,
                "happened_at": T0 + dt.timedelta(seconds=n), "recorded_at": now}
               for n, rid in enumerate(reg_ids)]
        later = T0 + dt.timedelta(days=1)
        outs = [{"uuid": uuid.uuid4(), "registration_id": row["registration_id"], "desk": "D2", "action": "out",
                 "undoes": None, "happened_at": later, "recorded_at": now} for row in ins[1::20]]
        undos = [{"uuid": uuid.uuid4(), "registration_id": row["registration_id"], "desk": "D2",
                  "action": "undo", "undoes": row["uuid"], "happened_at": later, "recorded_at": now}
                 for row in ins[2::20]]
        for start in range(0, SCALE, 5000):
            s.execute(insert(CheckIn.__table__), ins[start:start + 5000])
        s.execute(insert(CheckIn.__table__), outs + undos)
    gone = {row["registration_id"] for row in outs + undos}
    in_now = [rid for rid in reg_ids if rid not in gone]
    return event_id, set(in_now), in_now[::-1]


def test_check_in_figures_take_one_pass_at_10000_registrations(database: Database) -> None:
    """The desk's figures at 10,000 registrations with 10,500 check-in rows. A join to
    the per-registration check-in subquery took 40 s on SQLite here (busy machine); one pass
    takes well under a second. The bound is generous, yet far below the quadratic."""
    import time

    from desktop.core.checkin import checked_in_count
    from desktop.core.registrations import recent_check_ins

    event_id, in_now, newest = _big_event(database)
    timings = {}
    with database.read() as s:
        start = time.perf_counter()
        rows = registration_rows(s, event_id)
        timings["registration_rows"] = time.perf_counter() - start
        start = time.perf_counter()
        figures = participation(s, event_id)
        timings["participation"] = time.perf_counter() - start
        start = time.perf_counter()
        recent = recent_check_ins(s, event_id, limit=5)
        timings["recent_check_ins"] = time.perf_counter() - start
        start = time.perf_counter()
        count = checked_in_count(s, event_id)
        timings["checked_in_count"] = time.perf_counter() - start
    assert len(rows) == SCALE
    assert {r.id for r in rows if r.checked_in_at is not None} == in_now
    assert figures.registered == SCALE and figures.checked_in == len(in_now) == count
    assert [r.id for r in recent] == newest[:5]
    slow = {name: round(t, 2) for name, t in timings.items() if t > 4.0}
    assert not slow, f"quadratic again? {slow} s"


def test_recent_check_ins_at_the_same_minute_go_by_surname(demo: tuple[Database, int]) -> None:
    from desktop.core.registrations import recent_check_ins

    database, event_id = demo
    with database.read() as s:
        ids = [r.id for r in registration_rows(s, event_id) if r.checked_in_at is None][:4]
    with database.write() as s:
        for rid in ids[::-1]:
            s.add(CheckIn(registration_id=rid, desk="D9", action=CheckInAction.IN, happened_at=_minutes(24 * 60)))
    with database.read() as s:
        recent = recent_check_ins(s, event_id, limit=3)
        fifty = recent_check_ins(s, event_id)
        everyone = registration_rows(s, event_id)
    assert [r.id for r in recent] == ids[:3]  # registration_rows is by surname
    assert all(r.checked_in_at == _minutes(24 * 60) and r.desk == "D9" for r in recent)
    # the same as the list by surname, sorted (stably) by the time of arrival, newest first
    by_time = sorted((r for r in everyone if r.checked_in_at), key=lambda r: r.checked_in_at, reverse=True)
    assert len(by_time) > 4 and fifty == by_time[:50]
