"""Desk files at 30,000 registrations: export, and merge back (issue 5, part 4).

1. Builds a temporary SQLite database: one event, N registrations (default 30,000), 300
   organisations, a third checked in already — by Core ``insert()`` of lists of dicts.
2. Export, interleaved, R times each:
   (a) bare: plain ``sqlite3`` ATTACHes an empty desk file made with the schema (not timed)
       and copies the same rows table by table with ``INSERT … SELECT`` (the FTS triggers
       of the person search index fire there as in ours);
   (b) ours: ``export_desk_file`` — counts, the streamed reads, Core inserts in chunks with
       a progress callback, the new file's migrations, the marker, journal mode DELETE and
       the rename.
3. Desk work on the file (not timed): 3,000 more check-ins and 50 walk-ins.
4. Merge, R times each on a fresh copy of the main database:
   (a) bare: ``sqlite3`` ATTACHes the desk file and inserts the desk's new check-ins with one
       ``INSERT … SELECT`` mapping registrations by uuid (no walk-ins, links or report);
   (b) ours: ``merge_desk_file`` — validation, the snapshot read, walk-ins, codes, e-mail
       links, idempotence by uuid, conflicts, one transaction.
   Then ours once more on the merged copy (nothing new: the cost of a repeated merge).

5. With ``--pg URL`` (or ``CONFERENCE_DESK_TEST_PG_URL`` set): the same rows in a new
   database on that PostgreSQL server (dropped afterwards), exported R times each:
   (a) bare: a psycopg cursor reads every table's rows with uuids, JSON, enums and times
       turned to text in the SELECT, and ``sqlite3`` ``executemany`` writes them into an
       empty desk file made with the schema (JSON re-serialised as SQLite stores it);
   (b) ours: ``export_desk_file`` from the PostgreSQL database.

Prints medians and ratios. Not part of the test suite's pass/fail:

    python tests/bench/desk_file.py [--rows 30000] [-n 3] [--pg postgresql+psycopg://…]

(issue 13 measures the export at ``--rows 100000``: target ≤ 1.5× the bare ATTACH + INSERT …
SELECT; wall and CPU time are printed, CPU steadier on a busy machine.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid as uuid_mod
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout

EXPORT_TARGET = 1.5
TABLES = ("organisation", "person", "event", "room", "event_organisation", "session", "agenda_item",
          "role", "registration", "check_in")


def build_database(path: Path, n: int) -> int:
    from sqlalchemy import insert

    from db.engine import open_database
    from db.models import CheckIn, CheckInAction, Event, Organisation, Person, Registration, Sector
    from desktop.core.codes import BadgeCodes

    rng = random.Random(5)
    now = dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.UTC)
    db = open_database(path)
    try:
        with db.write() as session:
            conn = session.connection()
            event_id = conn.execute(insert(Event).values(
                uuid=uuid_mod.uuid4(), title={"en": "Bench forum"}, subtitle={}, venue={}, city={},
                starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28), timezone="Asia/Almaty",
                languages=["en", "ru", "kk"], is_demo=False, created_at=now, updated_at=now,
            )).inserted_primary_key[0]
            sectors = list(Sector)
            conn.execute(insert(Organisation), [
                {"id": i + 1, "uuid": uuid_mod.uuid4(), "name": {"en": f"Organisation {i}", "ru": f"Организация {i}"},
                 "short_name": {}, "sector": sectors[i % len(sectors)], "created_at": now, "updated_at": now}
                for i in range(300)])
            given = ["Айгерім", "Ержан", "Małgorzata", "Сергей", "Dana", "Бауыржан", "Alice", "Жанар"]
            family = ["Сәрсенбаева", "Жиенбаев", "Wiśniewska", "Иванов", "Seitkali", "Ахметов", "Smith"]
            conn.execute(insert(Person), [
                {"id": i + 1, "uuid": uuid_mod.uuid4(), "given_name": rng.choice(given),
                 "family_name": f"{rng.choice(family)}{i}", "display_name": {}, "position": {"en": "Judge"},
                 "bio": {}, "organisation_id": rng.randint(1, 300), "email": f"p{i}@example.kz",
                 "created_at": now, "updated_at": now} for i in range(n)])
            codes = BadgeCodes(rng)
            conn.execute(insert(Registration), [
                {"id": i + 1, "uuid": uuid_mod.uuid4(), "event_id": event_id, "person_id": i + 1,
                 "badge_code": codes.new(), "created_at": now, "updated_at": now} for i in range(n)])
            conn.execute(insert(CheckIn), [
                {"uuid": uuid_mod.uuid4(), "registration_id": i + 1, "desk": "Desk 1", "action": CheckInAction.IN,
                 "happened_at": now, "recorded_at": now} for i in range(0, n, 3)])
    finally:
        db.close()
    return int(event_id)


def empty_schema(path: Path) -> None:
    from db.engine import open_database

    open_database(path).close()


def bare_export(main: Path, empty: Path, target: Path, event_id: int) -> tuple[float, float]:
    shutil.copyfile(empty, target)
    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("ATTACH ? AS src", (str(main),))
    conn.execute("BEGIN")
    people = ("SELECT person_id FROM src.registration WHERE event_id = :e")
    wheres = {
        "organisation": f"id IN (SELECT organisation_id FROM src.person WHERE id IN ({people}))",
        "person": f"id IN ({people})",
        "event": "id = :e", "room": "event_id = :e", "event_organisation": "event_id = :e",
        "session": "event_id = :e", "agenda_item": "event_id = :e",
        "role": "session_id IN (SELECT id FROM src.session WHERE event_id = :e)",
        "registration": "event_id = :e",
        "check_in": "registration_id IN (SELECT id FROM src.registration WHERE event_id = :e)",
    }
    for table in TABLES:
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table} WHERE {wheres[table]}", {"e": event_id})
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return time.perf_counter() - started, time.process_time() - cpu


def ours_export(main: Path, target: Path, event_id: int) -> tuple[float, float]:
    from db.engine import open_database
    from desktop.core.desk_file import export_desk_file

    db = open_database(main)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        export_desk_file(db, target, event_id, progress=lambda done, total: True)
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        db.close()


def desk_work(desk_file: Path, event_id: int) -> None:
    from sqlalchemy import insert, select

    from db.engine import open_database
    from db.models import CheckIn, CheckInAction, Event, Registration
    from desktop.core.desk import walk_in

    db = open_database(desk_file)
    try:
        now = dt.datetime(2025, 2, 28, 5, 0, tzinfo=dt.UTC)
        with db.write() as session:
            ids = session.scalars(select(Registration.id).where(~Registration.check_ins.any()).limit(3000)).all()
            session.execute(insert(CheckIn), [
                {"uuid": uuid_mod.uuid4(), "registration_id": rid, "desk": "Lobby", "action": CheckInAction.IN,
                 "happened_at": now, "recorded_at": now} for rid in ids])
            desk_event = session.scalar(select(Event.id))
        for i in range(50):
            walk_in(db, desk_event, "Walk", f"In{i}", "Organisation 7", "participant", "Lobby",
                    email=f"walkin{i}@example.kz" if i % 2 else f"p{i}@example.kz")
    finally:
        db.close()


def bare_merge(main: Path, desk_file: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(main, isolation_level=None)
    conn.execute("ATTACH ? AS desk", (str(desk_file),))
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("""
        INSERT INTO main.check_in (uuid, registration_id, desk, action, undoes, happened_at, recorded_at)
        SELECT c.uuid, r.id, c.desk, c.action, c.undoes, c.happened_at, c.recorded_at
        FROM desk.check_in AS c
        JOIN desk.registration AS dr ON dr.id = c.registration_id
        JOIN main.registration AS r ON r.uuid = dr.uuid
        WHERE NOT EXISTS (SELECT 1 FROM main.check_in AS m WHERE m.uuid = c.uuid)""")
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def ours_merge(main: Path, desk_file: Path) -> tuple[float, object]:
    from db.engine import open_database
    from desktop.core.desk_file import merge_desk_file

    db = open_database(main)
    try:
        started = time.perf_counter()
        report = merge_desk_file(db, desk_file)
        return time.perf_counter() - started, report
    finally:
        db.close()


PG_TEXT = {"uuid": "replace({c}::text, '-', '')", "jsonb": "{c}::text", "json": "{c}::text",
           "timestamp without time zone": "to_char({c}, 'YYYY-MM-DD HH24:MI:SS.US')",
           "date": "to_char({c}, 'YYYY-MM-DD')", "USER-DEFINED": "{c}::text"}


def bare_pg_export(url: str, empty: Path, target: Path, event_id: int) -> float:
    """psycopg reads, sqlite3 writes: the floor of any PostgreSQL → desk file copy."""
    import json

    import psycopg
    from sqlalchemy.engine import make_url

    shutil.copyfile(empty, target)
    u = make_url(url)
    started = time.perf_counter()
    pg = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)
    out = sqlite3.connect(target, isolation_level=None)
    out.execute("BEGIN")
    people = "SELECT person_id FROM registration WHERE event_id = %(e)s"
    wheres = {
        "organisation": f"id IN (SELECT organisation_id FROM person WHERE id IN ({people}))",
        "person": f"id IN ({people})",
        "event": "id = %(e)s", "room": "event_id = %(e)s", "event_organisation": "event_id = %(e)s",
        "session": "event_id = %(e)s", "agenda_item": "event_id = %(e)s",
        "role": "session_id IN (SELECT id FROM session WHERE event_id = %(e)s)",
        "registration": "event_id = %(e)s",
        "check_in": "registration_id IN (SELECT id FROM registration WHERE event_id = %(e)s)",
    }
    with pg.cursor() as cur:
        for table in TABLES:
            cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
                        "ORDER BY ordinal_position", (table,))
            columns = cur.fetchall()
            exprs = [PG_TEXT.get(kind, "{c}").format(c=f'"{name}"') for name, kind in columns]
            is_json = [i for i, (_n, kind) in enumerate(columns) if kind in ("json", "jsonb")]
            cur.execute(f"SELECT {', '.join(exprs)} FROM {table} WHERE {wheres[table]} ORDER BY id", {"e": event_id})
            sql = (f"INSERT INTO {table} ({', '.join(n for n, _k in columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            while rows := cur.fetchmany(2000):
                if is_json:
                    rows = [tuple(json.dumps(json.loads(v)) if i in is_json and v is not None else v
                                  for i, v in enumerate(row)) for row in rows]
                out.executemany(sql, rows)
    out.execute("COMMIT")
    out.execute("PRAGMA journal_mode = DELETE")
    out.close()
    pg.close()
    return time.perf_counter() - started


def ours_url_export(url: str, target: Path, event_id: int) -> float:
    from db.engine import open_database
    from desktop.core.desk_file import export_desk_file

    db = open_database(url)
    try:
        started = time.perf_counter()
        export_desk_file(db, target, event_id, progress=lambda done, total: True)
        return time.perf_counter() - started
    finally:
        db.close()


def pg_export(server: str, rows: int, runs: int, work: Path, empty: Path) -> None:
    import secrets

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    base = make_url(server)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"cd_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        t0 = time.perf_counter()
        event_id = build_database(url, rows)  # type: ignore[arg-type]
        print(f"built {rows:,} registrations on PostgreSQL in {time.perf_counter() - t0:.1f} s")
        bare, ours = [], []
        for i in range(runs):
            bare.append(bare_pg_export(url, empty, work / f"pg-bare{i}.deskdb", event_id))
            ours.append(ours_url_export(url, work / f"pg-ours{i}.deskdb", event_id))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"export from PostgreSQL: bare psycopg + sqlite3 {b:.2f} s, ours {o:.2f} s, ratio {o / b:.2f}x")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("-n", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--pg", default=os.environ.get("CONFERENCE_DESK_TEST_PG_URL", ""),
                        help="a PostgreSQL server URL: also time the export from it")
    parser.add_argument("--pg-only", action="store_true", help="only the PostgreSQL export")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as folder:
        work = Path(folder)
        main_db, empty = work / "main.sqlite", work / "empty.sqlite"
        t0 = time.perf_counter()
        event_id = build_database(main_db, args.rows)
        empty_schema(empty)
        print(f"built {args.rows:,} registrations in {time.perf_counter() - t0:.1f} s")
        if args.pg:
            pg_export(args.pg, args.rows, args.n, work, empty)
        if args.pg_only:
            return 0

        bare_runs, our_runs = [], []
        for i in range(args.n):
            bare_runs.append(bare_export(main_db, empty, work / f"bare{i}.deskdb", event_id))
            our_runs.append(ours_export(main_db, work / f"ours{i}.deskdb", event_id))
        b, o = statistics.median(w for w, _c in bare_runs), statistics.median(w for w, _c in our_runs)
        bc, oc = statistics.median(c for _w, c in bare_runs), statistics.median(c for _w, c in our_runs)
        print(f"export: bare sqlite3 {b:.2f} s, ours {o:.2f} s, ratio {o / b:.2f}x "
              f"(target {EXPORT_TARGET}x); CPU time bare {bc:.2f} s, ours {oc:.2f} s, ratio {oc / bc:.2f}x")
        print(f"        wall runs bare {[round(w, 2) for w, _c in bare_runs]}, "
              f"ours {[round(w, 2) for w, _c in our_runs]}")

        desk_file = work / "ours0.deskdb"
        desk_work(desk_file, event_id)
        bare: list[float] = []
        ours: list[float] = []
        report = None
        for i in range(args.n):
            copy = work / f"main-b{i}.sqlite"
            shutil.copyfile(main_db, copy)
            bare.append(bare_merge(copy, desk_file))
            copy = work / f"main-o{i}.sqlite"
            shutil.copyfile(main_db, copy)
            seconds, report = ours_merge(copy, desk_file)
            ours.append(seconds)
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"merge:  bare sqlite3 {b:.2f} s (check-ins only), ours {o:.2f} s, ratio {o / b:.2f}x")
        print(f"        {report.summary()}")  # type: ignore[attr-defined]
        again, report = ours_merge(work / f"main-o{args.n - 1}.sqlite", desk_file)
        print(f"merge again (nothing new): {again:.2f} s — {report.summary()}")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
