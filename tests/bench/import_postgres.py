"""Benchmark: ``import-attendees`` of 40,000 people into PostgreSQL against the same import
into SQLite (issue 12, part 6: PostgreSQL within 2× of SQLite).

    PYTHONPATH=. python tests/bench/import_postgres.py [--rows 40000] [-n 3] [--pg postgresql+psycopg://…]

The list is ``tests/bench/import_attendees.py``'s (a title row, a blank row, the header, the
people; kept under ``--folder`` between runs). Every run imports it with the command a user
runs — ``python -m desktop --db TARGET import-attendees FILE --event ID``, a fresh process —
into a fresh copy of a migrated database holding one event (not timed): a copied file on
SQLite, ``CREATE DATABASE … TEMPLATE`` on the PostgreSQL server (``--pg``, or
``CONFERENCE_DESK_TEST_PG_URL``; every database made is dropped afterwards). Runs are
interleaved; wall time is the figure (the server's work is not in the process's CPU
time, which is printed beside it). After the first run of each, the rows written are counted
on both: registrations, people, organisations, search rows and sort keys must agree.
Not part of the test suite (pytest does not collect tests/bench).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.import_attendees import OURS, make_csv, make_template, run  # noqa: E402

TIME_TARGET = 2.0

SQLITE_COUNTS = ("SELECT (SELECT count(*) FROM registration), (SELECT count(*) FROM person), "
                 "(SELECT count(*) FROM organisation), (SELECT count(*) FROM person_key_search), "
                 "(SELECT count(*) FROM person_key WHERE sort_en IS NOT NULL AND NOT stale)")
PG_COUNTS = ("SELECT (SELECT count(*) FROM registration), (SELECT count(*) FROM person), "
             "(SELECT count(*) FROM organisation), (SELECT count(*) FROM person_search), "
             "(SELECT count(*) FROM person_key WHERE sort_en IS NOT NULL AND NOT stale)")
COUNTED = ("registrations", "people", "organisations", "search rows", "sort keys")


def counts_sqlite(path: Path) -> tuple[int, ...]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(SQLITE_COUNTS).fetchone())
    finally:
        conn.close()


def counts_pg(url: str) -> tuple[int, ...]:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return tuple(conn.exec_driver_sql(PG_COUNTS).one())
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("CONFERENCE_DESK_TEST_PG_URL", ""),
                        help="the PostgreSQL server (a database URL on it)")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "cd-bench-import",
                        help="where the list is kept between runs")
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set CONFERENCE_DESK_TEST_PG_URL")
    from tests.databases import PgServer

    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"attendees-{args.rows}.csv"
    if not source.exists():
        make_csv(source, args.rows)
    server = PgServer(args.pg)
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="cd-bench-import-pg-") as tmp:
            work = Path(tmp)
            template = work / "template.sqlite"
            event_id = make_template(template)
            pg_template = server.create("cd_bench_import_template")
            made.append(pg_template)
            pg_event_id = make_template(server.url(pg_template))
            print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {args.rows:,} rows; {args.runs} runs of "
                  "each, interleaved, whole processes")
            results: dict[str, list[tuple[float, float, float]]] = {"sqlite": [], "postgres": []}
            for i in range(args.runs):
                for label in ("sqlite", "postgres"):
                    if label == "sqlite":
                        db_path = work / f"run-{i}.sqlite"
                        shutil.copyfile(template, db_path)
                        target, eid = str(db_path), event_id
                    else:
                        name = server.create("cd_bench_import", template=pg_template)
                        made.append(name)
                        target, eid = server.url(name), pg_event_id
                    start = time.perf_counter()
                    outcome = run(OURS, ["--db", target, "import-attendees", str(source), "--event", str(eid)], work)
                    results[label].append(outcome)
                    if i == 0:
                        found = counts_sqlite(db_path) if label == "sqlite" else counts_pg(target)
                        print(f"  {label}: " + ", ".join(f"{n:,} {what}" for n, what in zip(found, COUNTED))
                              + f" ({time.perf_counter() - start:.1f} s)")
                    if label == "sqlite":
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
                    else:
                        server.drop(made.pop())
            t = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
            c = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
            for label in ("sqlite", "postgres"):
                runs = ", ".join(f"{r[0]:.2f}" for r in results[label])
                print(f"  {label:<8} wall median {t[label]:6.2f} s   process cpu {c[label]:6.2f} s   wall runs {runs}")
            ratio = t["postgres"] / t["sqlite"]
            print(f"  ratio PostgreSQL / SQLite {ratio:.2f}× ({'within' if ratio <= TIME_TARGET else 'OVER'} "
                  f"{TIME_TARGET}×)")
    finally:
        for name in made:
            server.drop(name)
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
