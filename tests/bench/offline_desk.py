"""The offline desk's local copy on PostgreSQL at 100,000 registrations (issue 12):
``desktop.core.offline_desk`` timed against the bare libraries doing the same work, in the
same run, interleaved (each side first in every other run).

Builds a new database on the PostgreSQL server of ``--pg`` (or
``CONFERENCE_DESK_TEST_PG_URL``) with ``tests/bench/desk_file.py``'s ``build_database``: one
event, N registrations (default 100,000), 300 organisations, a third checked in. Built once
per run, dropped at the end. The people's search keys are made then (``settle_all``, not
timed): the builder writes people behind core's back, and the first write that settles
would otherwise pay for all of them (a first merge took 25 s instead of 3). Then:

1. **Making the local copy.** (a) bare: ``tests/bench/desk_file.py``'s psycopg + ``sqlite3``
   export into an empty file with the schema (made before the clock starts); (b) ours:
   ``LocalCopy.make(server, event_id, path)`` — the server's horizon, ``export_desk_file``,
   opening the copy, its bookkeeping tables and triggers. Seconds.
2. **A refresh** of a copy (the first one made in 1), when nothing changed on the server, and
   after 200 check-ins (``desktop.core.desk.check_in``, one transaction each, desk "Desk B")
   and 20 registration edits (one transaction each) made on the server meanwhile.
   (a) bare, on a byte copy of the same local copy: a psycopg cursor in one REPEATABLE READ
   snapshot reads the horizon and the same xmin-filtered SELECTs as ours (written by hand
   here: changed registrations with their people and organisations, check-ins and badges
   printed, values turned to SQLite's text by the server, JSON re-serialised), and
   ``sqlite3`` writes them with ``executemany`` ``INSERT … ON CONFLICT(uuid)`` (update when a
   value differs; check-ins and badges: nothing), takes them off the waiting list, and
   stores the horizon — one transaction, with the copy's triggers (seals, waiting list)
   firing as in ours; (b) ours: ``LocalCopy.read_changes`` + ``LocalCopy.apply``.
   One untimed refresh of each first (a desk refreshes every few seconds: warm). Milliseconds;
   the rows each side read and changed in the copy (with its triggers' rows) are printed as a
   check. The horizon is the server's oldest running transaction, in any database of the
   cluster: while another session keeps a transaction open, every refresh reads again all
   rows written since it began ("nothing changed" then reads rows; the line says so).
3. **An online check-in with its write into the copy**: (a) ``desktop.core.desk.check_in``
   on the server alone; (b) the same followed by ``LocalCopy.record`` (the durability of the
   verdict on this disk). 200 check-ins a side in each of R runs, alternating one by one,
   each a different person; the median per check-in in ms.
4. **Sending 200 waiting check-ins.** 200 check-ins made offline on the copy
   (``check_in(copy.database, copy.event_id, …)``). (a) bare: ``sqlite3`` reads the waiting
   check-ins with their registrations' uuids from the copy, psycopg inserts them in one
   transaction with ``INSERT … SELECT`` mapping the registration by uuid (``ON CONFLICT (uuid)
   DO NOTHING``); (b) ours: ``merge_desk_file(server, copy.path, event_id)`` — the desk
   file's checks (signature, seals, fields), the snapshot of the event, idempotence,
   conflicts, one transaction. The same 200 rows each time: after each side they are
   deleted from the server again (not timed). Seconds.

Prints one line a figure: what, bare, ours, the ratio ours/bare (medians of R runs, the
runs in brackets). Not part of the test suite's pass/fail:

    python tests/bench/offline_desk.py [--rows 100000] [-n 3] [--pg postgresql+psycopg://…]

A smaller ``--rows`` makes a quick run (fewer check-ins when there are too few people).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout

BATCH = 200  # check-ins of each kind (fewer on a small database)
EDITS = 20

# == bare refresh: by hand ===========================================================================

_TS = "to_char({}, 'YYYY-MM-DD HH24:MI:SS.US')"
_CHANGED = ("r.event_id = %(e)s AND (r.xmin::text::bigint >= %(low)s OR p.xmin::text::bigint >= %(low)s "
            "OR o.xmin::text::bigint >= %(low)s)")
_CHANGED_PEOPLE = ("SELECT r.person_id FROM registration r JOIN person p ON p.id = r.person_id "
                   "LEFT JOIN organisation o ON o.id = p.organisation_id WHERE " + _CHANGED)
PG_ORGS = (
    "SELECT replace(o.uuid::text, '-', ''), o.name::text, o.short_name::text, o.sector::text, o.country, "
    f"o.logo_mime, {_TS.format('o.created_at')}, {_TS.format('o.updated_at')}, o.version "
    "FROM organisation o WHERE o.id IN (SELECT p.organisation_id FROM person p "
    f"WHERE p.id IN ({_CHANGED_PEOPLE}))")
PG_PEOPLE = (
    "SELECT replace(p.uuid::text, '-', ''), p.honorific, p.given_name, p.family_name, p.patronymic, "
    "p.display_name::text, p.position::text, p.country, p.email, p.phone, p.bio::text, p.gender::text, "
    f"{_TS.format('p.created_at')}, {_TS.format('p.updated_at')}, p.version, replace(po.uuid::text, '-', '') "
    "FROM person p LEFT JOIN organisation po ON po.id = p.organisation_id "
    f"WHERE p.id IN ({_CHANGED_PEOPLE})")
PG_REGISTRATIONS = (
    "SELECT replace(r.uuid::text, '-', ''), r.category::text, r.status::text, r.badge_code, r.source::text, "
    "r.source_file, r.source_row, r.source_desk, r.interpretation, r.dietary, r.accessibility, "
    f"r.photo_consent, r.notes, {_TS.format('r.created_at')}, {_TS.format('r.updated_at')}, r.version, "
    "replace(p.uuid::text, '-', '') "
    "FROM registration r JOIN person p ON p.id = r.person_id LEFT JOIN organisation o ON o.id = p.organisation_id "
    "WHERE " + _CHANGED)
PG_CHECK_INS = (
    "SELECT replace(c.uuid::text, '-', ''), c.desk, c.action::text, replace(c.undoes::text, '-', ''), "
    f"{_TS.format('c.happened_at')}, {_TS.format('c.recorded_at')}, replace(r.uuid::text, '-', '') "
    "FROM check_in c JOIN registration r ON r.id = c.registration_id "
    "WHERE r.event_id = %(e)s AND c.xmin::text::bigint >= %(low)s")
PG_BADGE_PRINTS = (
    "SELECT replace(b.uuid::text, '-', ''), b.desk, "
    f"{_TS.format('b.printed_at')}, {_TS.format('b.recorded_at')}, replace(r.uuid::text, '-', '') "
    "FROM badge_print b JOIN registration r ON r.id = b.registration_id "
    "WHERE r.event_id = %(e)s AND b.xmin::text::bigint >= %(low)s")

ORG_COLUMNS = ("uuid", "name", "short_name", "sector", "country", "logo_mime", "created_at", "updated_at", "version")
PERSON_COLUMNS = ("uuid", "honorific", "given_name", "family_name", "patronymic", "display_name", "position",
                  "country", "email", "phone", "bio", "gender", "created_at", "updated_at", "version")
REG_COLUMNS = ("uuid", "category", "status", "badge_code", "source", "source_file", "source_row", "source_desk",
               "interpretation", "dietary", "accessibility", "photo_consent", "notes", "created_at", "updated_at",
               "version")


def _upsert(table: str, columns: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> str:
    names = [*columns, *(c for c, _v in extra)]
    values = ["?"] * len(columns) + [v for _c, v in extra]
    set_ = [c for c in names if c != "uuid"]
    return (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)}) ON CONFLICT(uuid) DO UPDATE "
            f"SET {', '.join(f'{c} = excluded.{c}' for c in set_)} "
            f"WHERE {' OR '.join(f'{table}.{c} IS NOT excluded.{c}' for c in set_)}")


LITE_ORG = _upsert("organisation", ORG_COLUMNS)
LITE_PERSON = _upsert("person", PERSON_COLUMNS, [("organisation_id", "(SELECT id FROM organisation WHERE uuid = ?)")])
LITE_CHECK_IN = ("INSERT INTO check_in (uuid, desk, action, undoes, happened_at, recorded_at, registration_id) "
                 "SELECT ?, ?, ?, ?, ?, ?, id FROM registration WHERE uuid = ? ON CONFLICT(uuid) DO NOTHING")
LITE_BADGE_PRINT = ("INSERT INTO badge_print (uuid, desk, printed_at, recorded_at, registration_id) "
                    "SELECT ?, ?, ?, ?, id FROM registration WHERE uuid = ? ON CONFLICT(uuid) DO NOTHING")


def _json_again(rows: list[tuple[Any, ...]], at: Sequence[int]) -> list[tuple[Any, ...]]:
    """JSON as the app stores it in SQLite (the server's text parsed and dumped again)."""
    if not rows:
        return rows
    return [tuple(json.dumps(json.loads(v)) if i in at and v is not None else v for i, v in enumerate(row))
            for row in rows]


class BareCopy:
    """A local copy refreshed with psycopg and sqlite3 only (connections kept open, as ours are pooled)."""

    def __init__(self, url: str, path: Path, server_event: int, copy_event: int) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        from db import desk_seal

        u = make_url(url)
        self.pg = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)
        self.pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.lite = sqlite3.connect(path, isolation_level=None)
        self.lite.execute("PRAGMA foreign_keys = ON")
        self.lite.execute("PRAGMA journal_mode = WAL")
        self.lite.execute("PRAGMA synchronous = FULL")
        desk_seal.install(self.lite)  # the copy's triggers seal every change (sqlite3 fails without it)
        self.server_event, self.event = server_event, copy_event

    def refresh(self) -> tuple[float, int, int]:
        started = time.perf_counter()
        since = int(self.lite.execute("SELECT value FROM offline_state WHERE key = 'horizon'").fetchone()[0])
        args = {"e": self.server_event, "low": since % (1 << 32)}
        with self.pg.cursor() as cur:
            cur.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, now()")
            horizon, now = cur.fetchone()  # type: ignore[misc]
            orgs = _json_again(cur.execute(PG_ORGS, args).fetchall(), (1, 2))
            people = _json_again(cur.execute(PG_PEOPLE, args).fetchall(), (5, 6, 10))
            regs = cur.execute(PG_REGISTRATIONS, args).fetchall()
            check_ins = cur.execute(PG_CHECK_INS, args).fetchall()
            prints = cur.execute(PG_BADGE_PRINTS, args).fetchall()
        self.pg.rollback()
        lite = self.lite
        lite.execute("BEGIN")
        before = lite.total_changes
        if orgs:
            lite.executemany(LITE_ORG, orgs)
        if people:
            lite.executemany(LITE_PERSON, people)
        if regs:
            lite.executemany(_upsert("registration", REG_COLUMNS, [
                ("event_id", str(self.event)), ("person_id", "(SELECT id FROM person WHERE uuid = ?)")]), regs)
        if check_ins:
            lite.executemany(LITE_CHECK_IN, check_ins)
        if prints:
            lite.executemany(LITE_BADGE_PRINT, prints)
        came = [(r[0],) for rows in (regs, check_ins, prints) for r in rows]
        if came:
            lite.executemany("DELETE FROM offline_waiting WHERE uuid = ?", came)
        changed = lite.total_changes - before
        read = len(orgs) + len(people) + len(regs) + len(check_ins) + len(prints)
        lite.executemany("INSERT OR REPLACE INTO offline_state (key, value) VALUES (?, ?)",
                         [("horizon", str(horizon)), ("refreshed_at", now.isoformat())])
        lite.execute("COMMIT")
        return time.perf_counter() - started, changed, read

    def close(self) -> None:
        self.pg.close()
        self.lite.close()


# == bare send ========================================================================================

PG_SEND = ("INSERT INTO check_in (uuid, registration_id, desk, action, undoes, happened_at, recorded_at) "
           "SELECT %s::uuid, r.id, %s, %s, %s::uuid, %s::timestamp, %s::timestamp FROM registration r "
           "WHERE r.uuid = %s::uuid AND r.event_id = %s ON CONFLICT (uuid) DO NOTHING")


def bare_send(url: str, copy_path: Path, server_event: int) -> tuple[float, int]:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    started = time.perf_counter()
    lite = sqlite3.connect(f"file:{copy_path}?mode=ro", uri=True)
    rows = lite.execute(
        "SELECT c.uuid, c.desk, c.action, c.undoes, c.happened_at, c.recorded_at, r.uuid "
        "FROM offline_waiting w JOIN check_in c ON c.uuid = w.uuid JOIN registration r ON r.id = c.registration_id "
        "WHERE w.kind = 'check_in' ORDER BY w.seq").fetchall()
    lite.close()
    with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                         dbname=u.database) as pg, pg.cursor() as cur:
        cur.executemany(PG_SEND, [(*row, server_event) for row in rows])
    return time.perf_counter() - started, len(rows)


# == the run ==========================================================================================

def _median_line(what: str, bare: list[float], ours: list[float], unit: str, scale: float = 1.0,
                 bare_name: str = "bare", ours_name: str = "ours") -> None:
    b, o = statistics.median(bare) * scale, statistics.median(ours) * scale
    digits = 3 if unit == "s" else 1
    runs = (f"runs {bare_name} {[round(x * scale, digits) for x in bare]}, "
            f"{ours_name} {[round(x * scale, digits) for x in ours]}") if len(bare) <= 10 else f"{len(bare)} each"
    print(f"{what}: {bare_name} {b:.{digits}f} {unit}, {ours_name} {o:.{digits}f} {unit}, "
          f"ratio {o / b:.2f}x  ({runs})", flush=True)


def _pair(first_bare: bool, bare: Callable[[], None], ours: Callable[[], None]) -> None:
    for side in ((bare, ours) if first_bare else (ours, bare)):
        side()


def run(url: str, rows: int, runs: int, work: Path) -> None:
    from sqlalchemy import text, update

    from db.engine import open_database
    from db.models import Registration
    from desktop.core.desk import CheckInState, check_in
    from desktop.core.desk_file import merge_desk_file
    from desktop.core.offline_desk import LocalCopy
    from desktop.core.person_keys import settle_all
    from tests.bench.desk_file import bare_pg_export, build_database, empty_schema

    empty = work / "empty.sqlite"
    empty_schema(empty)
    t0 = time.perf_counter()
    event_id = build_database(url, rows)  # type: ignore[arg-type]
    print(f"built {rows:,} registrations on PostgreSQL in {time.perf_counter() - t0:.1f} s", flush=True)
    server = open_database(url)
    t0 = time.perf_counter()
    settle_all(server)  # the builder wrote the people behind core's back: their search keys, as an import makes them
    print(f"search keys of the people made in {time.perf_counter() - t0:.1f} s (not timed)", flush=True)
    copies: list[LocalCopy] = []
    bare_copy: BareCopy | None = None
    try:
        with server.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            free = [str(code) for code, in conn.execute(text(
                "SELECT badge_code FROM registration r WHERE event_id = :e AND NOT EXISTS "
                "(SELECT 1 FROM check_in c WHERE c.registration_id = r.id) ORDER BY id"), {"e": event_id})]
            arrived = [int(rid) for rid, in conn.execute(text(
                "SELECT id FROM registration r WHERE event_id = :e AND EXISTS "
                "(SELECT 1 FROM check_in c WHERE c.registration_id = r.id) ORDER BY id"), {"e": event_id})]
        batch = min(BATCH, len(free) // (3 * runs + 1))
        edits = min(EDITS, max(1, batch // 10), len(arrived) // runs)
        pool = iter(free)

        # 1. making the local copy
        bare_s: list[float] = []
        ours_s: list[float] = []
        for i in range(runs):
            def bare_make(i: int = i) -> None:
                bare_s.append(bare_pg_export(url, empty, work / f"bare{i}.deskdb", event_id))

            def ours_make(i: int = i) -> None:
                started = time.perf_counter()
                copies.append(LocalCopy.make(server, event_id, work / f"copy{i}.deskdb"))
                ours_s.append(time.perf_counter() - started)

            _pair(i % 2 == 0, bare_make, ours_make)
            (work / f"bare{i}.deskdb").unlink()
        _median_line(f"make the local copy ({rows:,} registrations)", bare_s, ours_s, "s")
        copy = copies[0]
        for other in copies[1:]:
            other.close()
            other.path.unlink()
        # The bare side refreshes a byte copy of the same local copy (closed first: WAL checkpointed).
        copy.close()
        bare_path = work / "bare-copy.deskdb"
        shutil.copyfile(copy.path, bare_path)
        copy = LocalCopy.open(copy.path)
        copies = [copy]
        bare_copy = BareCopy(url, bare_path, event_id, copy.event_id)

        # 2. refreshes
        still_b: list[float] = []
        still_o: list[float] = []
        moved_b: list[float] = []
        moved_o: list[float] = []
        changed: dict[str, list[int]] = {"bare still": [], "ours still": [], "bare": [], "ours": []}
        read: dict[str, list[int]] = {key: [] for key in changed}
        bare_copy.refresh()  # one untimed refresh each first: the statements prepared, the pages read
        copy.apply(copy.read_changes(server, event_id))
        for i in range(runs):
            def refresh(into: list[float], key: str) -> Callable[[], None]:
                def go() -> None:
                    if key.startswith("bare"):
                        assert bare_copy is not None
                        seconds, n, got = bare_copy.refresh()
                    else:
                        started = time.perf_counter()
                        pulled = copy.read_changes(server, event_id)
                        n = copy.apply(pulled)
                        seconds, got = time.perf_counter() - started, pulled.rows
                    into.append(seconds)
                    changed[key].append(n)
                    read[key].append(got)
                return go

            _pair(i % 2 == 0, refresh(still_b, "bare still"), refresh(still_o, "ours still"))
            for _ in range(batch):  # elsewhere meanwhile: other desks' check-ins and edits
                assert check_in(server, event_id, next(pool), "Desk B").state is CheckInState.CHECKED_IN
            for k, rid in enumerate(arrived[i * edits:(i + 1) * edits]):
                with server.write() as session:
                    session.execute(update(Registration).where(Registration.id == rid)
                                    .values(dietary=f"bench run {i} edit {k}"))
            _pair(i % 2 == 1, refresh(moved_b, "bare"), refresh(moved_o, "ours"))
        _median_line("refresh, nothing changed", still_b, still_o, "ms", 1000)
        quick: list[float] = []  # the refresh every few seconds: check-ins by key, no scan of the people
        for _ in range(max(runs, 3)):
            started = time.perf_counter()
            copy.apply(copy.read_changes(server, event_id, people=False))
            quick.append(time.perf_counter() - started)
        print(f"quick refresh (check-ins by key, every few seconds), nothing changed: ours "
              f"{statistics.median(quick) * 1000:.1f} ms", flush=True)
        _median_line(f"refresh after {batch} check-ins + {edits} edits elsewhere", moved_b, moved_o, "ms", 1000)
        print(f"    rows read from the server: {read}", flush=True)
        print(f"    rows changed in the copy (with its triggers'): {changed}", flush=True)
        bare_copy.close()
        bare_copy = None

        # 3. online check-in, with and without its write into the copy
        alone: list[float] = []
        kept: list[float] = []
        for i in range(runs):
            for k in range(2 * batch):
                code = next(pool)
                started = time.perf_counter()
                result = check_in(server, event_id, code, "Desk A")
                if (k + i) % 2:
                    assert copy.record(result)
                    kept.append(time.perf_counter() - started)
                else:
                    alone.append(time.perf_counter() - started)
                assert result.state is CheckInState.CHECKED_IN
        _median_line(f"online check-in, median of {len(alone)} a side", alone, kept, "ms", 1000,
                     "check_in alone", "check_in + record")

        # 4. sending waiting check-ins
        for _ in range(batch):
            assert check_in(copy.database, copy.event_id, next(pool), "Desk A").state is CheckInState.CHECKED_IN
        assert copy.waiting() == (batch, batch), copy.waiting()
        with sqlite3.connect(copy.path) as lite:
            sent = [u for u, in lite.execute("SELECT uuid FROM offline_waiting")]

        def take_back() -> None:
            with server.write() as session:
                gone = session.execute(text("DELETE FROM check_in WHERE uuid = ANY(CAST(:u AS uuid[]))"),
                                       {"u": sent}).rowcount
            assert gone == batch, gone

        send_b: list[float] = []
        send_o: list[float] = []
        summary = ""
        for i in range(runs):
            def send_bare() -> None:
                seconds, n = bare_send(url, copy.path, event_id)
                assert n == batch
                send_b.append(seconds)
                take_back()

            def send_ours() -> None:
                nonlocal summary
                started = time.perf_counter()
                report = merge_desk_file(server, copy.path, event_id)
                send_o.append(time.perf_counter() - started)
                summary = report.summary()
                take_back()

            _pair(i % 2 == 0, send_bare, send_ours)
        _median_line(f"send {batch} waiting check-ins", send_b, send_o, "s")
        print(f"    the merge's report: {summary}", flush=True)
    finally:
        if bare_copy is not None:
            bare_copy.close()
        for made in copies:
            made.close()
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--pg", default=os.environ.get("CONFERENCE_DESK_TEST_PG_URL", ""),
                        help="the PostgreSQL server (a database is made on it for the run, and dropped)")
    args = parser.parse_args()
    if not args.pg:
        parser.error("give --pg URL or set CONFERENCE_DESK_TEST_PG_URL")

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    base = make_url(args.pg)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"cd_bench_offline_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="bench-offline-") as folder:
            run(base.set(database=name).render_as_string(hide_password=False), args.rows, args.n, Path(folder))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
