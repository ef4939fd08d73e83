"""One check-in (issue 13: ≤ 1.5× a bare SQLite transaction doing the same insert).

In the same run, on the same SQLite file (WAL, synchronous=FULL, on this disk), interleaved
— each side first in every other pair: on this disk a commit right after another one's
waited up to twice as long for its fsync, whichever side it was —, the median of many
runs of:

(a) bare: sqlite3 — BEGIN IMMEDIATE; SELECT the registration by event and badge code;
    SELECT its check-in rows; INSERT the check-in row; COMMIT;
(b) ours: ``desktop.core.desk.check_in`` — the same, through SQLAlchemy, with the person's
    name and organisation for the screen and the state rule applied.

Each run checks in a different person (neither side repeats one). Prints both medians, with
their quartiles (a shared machine: its disk's fsync took from ~0.1 ms to several ms from one
hour to the next; the difference of the medians is our Python part), and the ratio (b)/(a)
against the 1.5× target; for information, the same race with synchronous=OFF on both sides
(no fsync: our Python part alone, whatever the disk does). Then, for information, the desk's search as you type
(``desk_matches``) at 30,000 registrations (the database of tests/bench/search.py): the
median per keystroke for names typed as written, on the wrong layout and in
transliteration, and the first one (the skeletons are kept in the database: made once by
``person_keys.settle_all`` for the people the builder wrote behind core's back). Not part
of the test suite's pass/fail:

    python tests/bench/checkin.py [-n 300] [--matches-rows 30000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
TARGET = 1.5


def build(path: Path, n: int) -> tuple[int, list[str]]:
    from sqlalchemy import insert

    from db.engine import open_database
    from db.models import Event, Organisation, Person, Registration, Sector, Status

    database = open_database(path)
    codes = []
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    for i in range(n):
        code, k = "", i
        for _ in range(6):
            code = alphabet[k % 30] + code
            k //= 30
        codes.append(code)
    try:
        with database.write() as s:
            event_id = s.execute(insert(Event).values(
                uuid=uuid.uuid4(), title={"en": "Bench"}, subtitle={}, venue={}, city={}, timezone="Asia/Almaty",
                starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))).inserted_primary_key[0]
            org = s.execute(insert(Organisation).values(
                uuid=uuid.uuid4(), name={"en": "Supreme Court", "ru": "Верховный суд"}, short_name={},
                sector=Sector.JUDICIARY)).inserted_primary_key[0]
            people = s.execute(insert(Person).returning(Person.id), [
                {"uuid": uuid.uuid4(), "given_name": "Айгерім", "family_name": f"Сәрсенбаева {i}",
                 "organisation_id": org, "display_name": {}, "position": {}, "bio": {}}
                for i in range(n)]).scalars().all()
            s.execute(insert(Registration), [
                {"uuid": uuid.uuid4(), "event_id": event_id, "person_id": pid, "badge_code": code,
                 "status": Status.CONFIRMED} for pid, code in zip(people, codes, strict=True)])
    finally:
        database.close()
    return event_id, codes


def bare_check_in(conn: sqlite3.Connection, event_id: int, code: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    rid = conn.execute("SELECT id, status FROM registration WHERE event_id = ? AND badge_code = ?",
                       (event_id, code)).fetchone()[0]
    conn.execute("SELECT id, uuid, action, undoes, happened_at, desk FROM check_in WHERE registration_id = ?",
                 (rid,)).fetchall()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn.execute("INSERT INTO check_in (uuid, registration_id, desk, action, undoes, happened_at, recorded_at) "
                 "VALUES (?, ?, ?, 'in', NULL, ?, ?)", (uuid.uuid4().hex, rid, "Bare", now, now))
    conn.execute("COMMIT")


def _race(database: Any, bare: sqlite3.Connection, event_id: int, codes: list[str]) -> tuple[list[float], list[float]]:
    """The times of bare and of our check-ins of ``codes`` (half each), alternating who goes first."""
    from desktop.core.desk import CheckInState, check_in

    ours_t: list[float] = []
    bare_t: list[float] = []
    for i in range(len(codes) // 2):
        for side in ((0, 1) if i % 2 else (1, 0)):
            t = time.perf_counter()
            if side:
                bare_check_in(bare, event_id, codes[2 * i])
                bare_t.append(time.perf_counter() - t)
            else:
                result = check_in(database, event_id, codes[2 * i + 1], "Ours")
                ours_t.append(time.perf_counter() - t)
                assert result.state is CheckInState.CHECKED_IN
    return bare_t, ours_t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="check-ins of each kind (default 300)")
    parser.add_argument("--matches-rows", type=int, default=30000, help="registrations for the search (0: skip)")
    args = parser.parse_args(argv)
    from sqlalchemy import event

    from db.engine import open_database
    from desktop.core.desk import CheckInState, check_in

    folder = Path(tempfile.mkdtemp(prefix="cd-bench-checkin-", dir=Path.home() if Path.home().is_dir() else None))
    path = folder / "bench.sqlite"
    event_id, codes = build(path, 4 * args.n + 20)
    bare = sqlite3.connect(path, isolation_level=None)
    bare.execute("PRAGMA busy_timeout = 10000")
    bare.execute("PRAGMA foreign_keys = ON")
    assert bare.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    bare.execute("PRAGMA synchronous = FULL")
    database = open_database(path)
    try:
        # Warm both (statement caches, pool, page cache), not counted.
        bare_check_in(bare, event_id, codes[-1])
        assert check_in(database, event_id, codes[-2], "Ours").state is CheckInState.CHECKED_IN
        bare_t, ours_t = _race(database, bare, event_id, codes[:2 * args.n])
        # The same without waiting for the disk (synchronous=OFF on both sides): our Python part alone.
        database.close()
        database = open_database(path)
        event.listen(database.engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA synchronous = OFF"))
        database.engine.dispose()
        bare.execute("PRAGMA synchronous = OFF")
        assert check_in(database, event_id, codes[-3], "Ours").state is CheckInState.CHECKED_IN
        bare_off, ours_off = _race(database, bare, event_id, codes[2 * args.n:4 * args.n])
    finally:
        database.close()
        bare.close()
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    b, o = statistics.median(bare_t) * 1000, statistics.median(ours_t) * 1000
    print(f"one check-in, median of {args.n} (SQLite file, WAL, synchronous=FULL):")
    print(f"  bare sqlite3 transaction: {b:7.3f} ms  (quartiles {_quartiles(bare_t)})")
    print(f"  desk.check_in:            {o:7.3f} ms  (quartiles {_quartiles(ours_t)})")
    print(f"  SQLAlchemy, names and state rule add {o - b:.3f} ms; the rest is the commit's fsync")
    ratio = o / b
    print(f"  ratio {ratio:.2f}× (target ≤ {TARGET:.1f}×) {'ok' if ratio <= TARGET else 'OVER TARGET'}")
    b, o = statistics.median(bare_off) * 1000, statistics.median(ours_off) * 1000
    print(f"  for information, synchronous=OFF (no fsync): bare {b:.3f} ms, ours {o:.3f} ms, "
          f"our Python part {o - b:.3f} ms")
    if args.matches_rows:
        time_matches(args.matches_rows)
    return 0


def _quartiles(times: list[float]) -> str:
    low, _median, high = statistics.quantiles(times, n=4)
    return f"{low * 1000:.3f}–{high * 1000:.3f}"


def time_matches(rows: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import search as search_bench  # the registration list's benchmark data: realistic names
    from sqlalchemy import select

    from db.engine import open_database
    from db.models import Event
    from desktop.core import desk, person_keys

    folder = Path(tempfile.mkdtemp(prefix="cd-bench-matches-"))
    path = folder / "matches.sqlite"
    try:
        search_bench.build(path, rows)
        database = open_database(path)
        try:
            t = time.perf_counter()
            person_keys.settle_all(database)
            made = time.perf_counter() - t
            with database.read() as session:
                event_id = session.scalar(select(Event.id))
                t = time.perf_counter()
                desk.desk_matches(session, event_id, "zhienbayev")
                first = (time.perf_counter() - t) * 1000
                print(f"desk_matches at {rows:,} registrations (median of 9 per text; skeletons made once in "
                      f"{made:.1f} s; the first Latin search {first:.1f} ms):")
                for typed in ("Жиенбаев", "сәрс", "bdfyjd", "zhienbayev", "sarsenbayeva", "qasymov",
                              "yerzhan zhien", "Зфьудф", "nobody-here"):
                    times = []
                    for _ in range(9):
                        t = time.perf_counter()
                        found = desk.desk_matches(session, event_id, typed)
                        times.append(time.perf_counter() - t)
                    print(f"  {typed!r:18} {statistics.median(times) * 1000:6.1f} ms  {len(found)} shown")
        finally:
            database.close()
    finally:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


if __name__ == "__main__":
    sys.exit(main())
