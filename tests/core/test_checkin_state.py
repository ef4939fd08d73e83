"""A registration's check-in state is derived from the append-only check-in rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import CheckIn, CheckInAction, Registration
from desktop.core.registrations import participation, registration_rows

T0 = dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.timezone.utc)


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
def test_state_from_rows(database: Database, name: str) -> None:
    from desktop.core.demo import create_demo

    event_id = create_demo(database)
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
