"""Reliability: a desk process killed (SIGKILL) in the middle of a stream of check-ins.
Every check-in it reported as done (printed after ``check_in`` returned) is in the
database, nothing is half there, and the file passes ``PRAGMA integrity_check``."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from db.engine import open_database
from db.models import CheckIn, CheckInAction, Event, Person, Registration, Status

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 400

# Checks in every code read from stdin, printing each one after check_in returned.
STREAM = """
import sys
from db.engine import open_database
from desktop.core.desk import check_in
path, event_id = sys.argv[1], int(sys.argv[2])
codes = sys.stdin.readline().split()
database = open_database(path)
for code in codes:
    result = check_in(database, event_id, code, "Killed desk")
    assert result.state.value == "checked_in", result
    print(code, flush=True)
"""


def _event_with_people(path: Path, n: int) -> tuple[int, list[str]]:
    codes = [f"K{i:05d}".replace("0", "Z").replace("1", "Y") for i in range(n)]
    database = open_database(path)
    try:
        with database.write() as s:
            event_id = s.execute(insert(Event).values(
                uuid=uuid.uuid4(), title={"en": "Stream"}, subtitle={}, venue={}, city={},
                starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))).inserted_primary_key[0]
            for i, code in enumerate(codes):
                pid = s.execute(insert(Person).values(uuid=uuid.uuid4(), given_name="P", family_name=f"N{i}",
                                                      display_name={}, position={}, bio={})).inserted_primary_key[0]
                s.execute(insert(Registration).values(uuid=uuid.uuid4(), event_id=event_id, person_id=pid,
                                                      badge_code=code, status=Status.REGISTERED))
    finally:
        database.close()
    return event_id, codes


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
@pytest.mark.parametrize("kill_after", [1, 37, 120])
def test_killed_desk_keeps_every_reported_check_in(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "desk.sqlite"
    event_id, codes = _event_with_people(path, PEOPLE)
    child = subprocess.Popen([sys.executable, "-c", STREAM, str(path), str(event_id)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(" ".join(codes) + "\n")
    child.stdin.flush()
    reported: list[str] = []
    try:
        while len(reported) < kill_after:
            line = child.stdout.readline()
            assert line, f"the desk stopped early: {child.stderr.read() if child.stderr else ''}"
            reported.append(line.strip())
        child.send_signal(signal.SIGKILL)  # in the middle of the next check-in
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    reported += child.stdout.read().split()  # printed before the kill landed
    assert child.returncode == -signal.SIGKILL
    assert len(reported) < PEOPLE, "the stream ended before the kill: nothing was tested"

    conn = sqlite3.connect(path)  # the bare library: a fresh look at the file as left
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    database = open_database(path)
    try:
        with database.read() as s:
            stored = dict(s.execute(
                select(Registration.badge_code, func.count(CheckIn.id))
                .join(CheckIn, CheckIn.registration_id == Registration.id)
                .where(Registration.event_id == event_id, CheckIn.action == CheckInAction.IN)
                .group_by(Registration.badge_code)).all())
    finally:
        database.close()
    assert set(reported) <= set(stored), sorted(set(reported) - set(stored))
    assert set(stored.values()) == {1}
    # At most the check-in in flight when the kill came was done but not reported.
    assert len(stored) - len(reported) in (0, 1)
    assert set(stored) == set(codes[: len(stored)])  # in the order of the stream, no gap
