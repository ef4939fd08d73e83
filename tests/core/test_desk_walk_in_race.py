"""Several desks register the same walk-in at the same moment: 4 processes each register
the same 25 people (same e-mails, typed in different cases) at once, on the real PostgreSQL
server (CI runs it) and on one SQLite file in WAL mode. Per e-mail exactly one person, one
registration and one check-in row; exactly one desk is told CHECKED IN, the others ALREADY
CHECKED IN of the same person."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, select

from db.engine import open_database
from db.models import CheckIn, CheckInAction, Event, Person, Registration
from desktop.core.desk import email_lock_key

ROOT = Path(__file__).resolve().parents[2]
DESKS = 4
PEOPLE = 25

# One desk: opens the database, says "ready", waits for "go", then registers every walk-in
# in order and prints "state reused code" for each.
WORKER = """
import json, sys
from db.engine import open_database
from desktop.core.desk import walk_in
url, event_id, desk = sys.argv[1], int(sys.argv[2]), sys.argv[3]
people = json.loads(sys.stdin.readline())
database = open_database(url)
with database.read() as session:
    session.connection()
print("ready", flush=True)
sys.stdin.readline()
out = []
for given, family, email in people:
    r = walk_in(database, event_id, given, family, "Walk-in Partners", "participant", desk, email)
    out.append(f"{r.check_in.state.value} {int(r.person_reused)} {r.code}")
database.close()
print("\\n".join(out), flush=True)
"""


def test_email_lock_key_folds_case_and_spaces() -> None:
    key = email_lock_key("Aigerim@Example.KZ ")
    assert key == email_lock_key("aigerim@example.kz")
    assert key != email_lock_key("aigerim@example.com")
    assert -(2 ** 63) <= key < 2 ** 63


def test_four_desks_register_the_same_walk_ins(db_target: str) -> None:
    database = open_database(db_target)
    try:
        with database.write() as s:
            event_id = s.execute(insert(Event).values(
                uuid=uuid.uuid4(), title={"en": "Walk-in race"}, subtitle={}, venue={}, city={},
                starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28), timezone="Asia/Almaty",
            )).inserted_primary_key[0]
        people = [("Walk", f"In{i}", f"walk.in{i}@example.kz") for i in range(PEOPLE)]
        procs = []
        for n in range(DESKS):
            # Each desk types the e-mails in its own case: the same person all the same.
            typed = [(g, f, e.upper() if n % 2 else e) for g, f, e in people]
            p = subprocess.Popen([sys.executable, "-c", WORKER, db_target, str(event_id), f"Desk {n + 1}"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, cwd=ROOT)
            assert p.stdin is not None
            p.stdin.write(json.dumps(typed) + "\n")
            p.stdin.flush()
            procs.append(p)
        try:
            for p in procs:
                assert p.stdout is not None
                line = p.stdout.readline()
                assert line.strip() == "ready", (line, p.stderr.read() if p.stderr else "")
            for p in procs:
                assert p.stdin is not None
                p.stdin.write("go\n")
                p.stdin.flush()
            results = []
            for p in procs:
                out, err = p.communicate(timeout=240)
                assert p.returncode == 0, err
                results.append([line.split() for line in out.splitlines()])
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()

        assert all(len(desk) == PEOPLE for desk in results)
        for i in range(PEOPLE):
            seen = [desk[i] for desk in results]
            states = Counter(state for state, _reused, _code in seen)
            assert states == {"checked_in": 1, "already_checked_in": DESKS - 1}, (i, seen)
            assert len({code for _s, _r, code in seen}) == 1, (i, seen)  # one badge for all desks
            assert sum(reused == "0" for _s, reused, _c in seen) == 1, (i, seen)
        with database.read() as s:
            per_email = s.execute(select(func.lower(Person.email), func.count())
                                  .where(Person.email.is_not(None)).group_by(func.lower(Person.email))).all()
            regs = s.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == event_id))
            ins = s.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.action == CheckInAction.IN))
        assert dict(per_email) == {e: 1 for _g, _f, e in people}
        assert (regs, ins) == (PEOPLE, PEOPLE)
    finally:
        database.close()
