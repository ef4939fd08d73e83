"""Several desks at once: 4 processes check in the same 100 people at the same moment, on
the real PostgreSQL server (CI runs it: ``CONFERENCE_DESK_REQUIRE_PG=1``) and on one SQLite
file in WAL mode. Exactly 100 CHECKED_IN and 300 ALREADY_CHECKED_IN, exactly one check-in
row per person: nothing lost, nothing doubled."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, select

from db.engine import Database, open_database
from db.models import CheckIn, CheckInAction, Event, Person, Registration, Status

ROOT = Path(__file__).resolve().parents[2]
DESKS = 4
PEOPLE = 100

# One desk: opens the database, says "ready", waits for "go" on stdin, then checks in every
# code in order and prints each result's state (one line per code).
WORKER = """
import sys
from db.engine import open_database
from desktop.core.desk import check_in
url, event_id, desk = sys.argv[1], int(sys.argv[2]), sys.argv[3]
codes = sys.stdin.readline().split()
database = open_database(url)
with database.read() as session:  # connect before the start, so the desks start together
    session.connection()
print("ready", flush=True)
sys.stdin.readline()
states = [check_in(database, event_id, code, desk).state.value for code in codes]
database.close()
print("\\n".join(states), flush=True)
"""


def make_people(database: Database, n: int) -> tuple[int, list[str]]:
    """An event with ``n`` confirmed registrations and no check-ins: (event id, codes)."""
    codes = [f"R{i:05d}".replace("0", "Z").replace("1", "Y") for i in range(n)]
    with database.write() as s:
        event_id = s.execute(insert(Event).values(
            uuid=uuid.uuid4(), title={"en": "Race"}, subtitle={}, venue={}, city={},
            starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28), timezone="Asia/Almaty",
        )).inserted_primary_key[0]
        for i, code in enumerate(codes):
            pid = s.execute(insert(Person).values(uuid=uuid.uuid4(), given_name="Person", family_name=f"N{i}",
                                                  display_name={}, position={}, bio={})).inserted_primary_key[0]
            s.execute(insert(Registration).values(uuid=uuid.uuid4(), event_id=event_id, person_id=pid,
                                                  badge_code=code, status=Status.CONFIRMED))
    return event_id, codes


def run_desks(target: str, event_id: int, codes: list[str], desks: int = DESKS) -> list[list[str]]:
    """Start ``desks`` processes, let them go at once; each one's list of states."""
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, target, str(event_id), f"Desk {n + 1}"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, cwd=ROOT)
        for n in range(desks)
    ]
    try:
        for p in procs:
            assert p.stdin is not None and p.stdout is not None
            p.stdin.write(" ".join(codes) + "\n")
            p.stdin.flush()
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", (line, p.stderr.read() if p.stderr else "")
        for p in procs:  # go
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=240)
            assert p.returncode == 0, err
            results.append(out.split())
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def check_no_loss_no_double(database: Database, event_id: int, results: list[list[str]]) -> None:
    states = Counter(state for desk in results for state in desk)
    assert states == {"checked_in": PEOPLE, "already_checked_in": (DESKS - 1) * PEOPLE}
    assert all(len(desk) == PEOPLE for desk in results)
    # Per person: exactly one desk saw CHECKED_IN.
    for i in range(PEOPLE):
        assert sum(desk[i] == "checked_in" for desk in results) == 1, i
    with database.read() as s:
        per_person = s.execute(
            select(CheckIn.registration_id, func.count())
            .join(Registration, Registration.id == CheckIn.registration_id)
            .where(Registration.event_id == event_id, CheckIn.action == CheckInAction.IN)
            .group_by(CheckIn.registration_id)).all()
        undos = s.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.action == CheckInAction.UNDO))
    assert len(per_person) == PEOPLE and {n for _, n in per_person} == {1}
    assert undos == 0
    # The desks that wrote the rows are the desks that were told CHECKED_IN.
    told = Counter(f"Desk {n + 1}" for n, desk in enumerate(results) for s_ in desk if s_ == "checked_in")
    with database.read() as s:
        wrote = Counter(dict(s.execute(select(CheckIn.desk, func.count()).group_by(CheckIn.desk)).all()))
    assert told == wrote


def test_four_desks_check_in_the_same_hundred_people(db_target: str) -> None:
    """``db_target``: a SQLite file (WAL) and a fresh database on the PostgreSQL server."""
    database = open_database(db_target)
    try:
        event_id, codes = make_people(database, PEOPLE)
        results = run_desks(db_target, event_id, codes)
        check_no_loss_no_double(database, event_id, results)
        if database.dialect == "sqlite":
            with database.read() as s:
                assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.close()
