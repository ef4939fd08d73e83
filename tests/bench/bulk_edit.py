"""A bulk edit of 100,000 registrations, its undo and its redo (issue 15: what the history,
the versions and the check for others' changes cost), against the bare library.

Builds the database of tests/bench/search.py (one event, N registrations, through the
migrations), then, in the same run, alternating which side goes first, the median of
several runs of:

(a) bare: sqlite3 on the same file — BEGIN IMMEDIATE; per chunk of 500 ids, SELECT the ids
    and statuses of those whose status differs, UPDATE them; COMMIT (the edit); then the
    undo: per old value and chunk, UPDATE back; COMMIT; the redo likewise;
(b) ours: what the window does — ``set_status`` of every registration with the statuses the
    table showed as bases (so: the check for others' changes, the versions raised, the
    history, one line a field past 1,000 rows), then ``revert`` of its change (undo: the
    check that no one changed the rows since, the values set back, settled), then
    ``revert`` of that (redo); each in a ``Database.write()`` transaction.

Between runs the statuses are put back as built. Prints the medians and the ratios.
``--profile`` prints where ours spends its time (cProfile, one run). Not part of the test
suite's pass/fail:

    python tests/bench/bulk_edit.py [-n 5] [--rows 100000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
sys.path.insert(0, str(ROOT / "tests" / "bench"))
CHUNK = 500


def statuses(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, status FROM registration ORDER BY id").fetchall()


def set_by_value(conn: sqlite3.Connection, groups: dict[str, list[int]]) -> None:
    """Give each group of registrations its status, per chunk of ids, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    for status, rows in groups.items():
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            conn.execute(f"UPDATE registration SET status = ? WHERE id IN ({','.join('?' * len(chunk))})",
                         (status, *chunk))
    conn.execute("COMMIT")


def put_back(path: Path, built: list[tuple[int, str]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        by_value: dict[str, list[int]] = {}
        for rid, status in built:
            by_value.setdefault(status, []).append(rid)
        set_by_value(conn, by_value)
    finally:
        conn.close()


def bare(path: Path, ids: list[int], value: str) -> tuple[float, float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=FULL")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        old: dict[str, list[int]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for rid, status in conn.execute(
                    f"SELECT id, status FROM registration WHERE id IN ({marks}) AND status IS NOT ?", (*chunk, value)):
                old.setdefault(status, []).append(rid)
            conn.execute(f"UPDATE registration SET status = ? WHERE id IN ({marks}) AND status IS NOT ?",
                         (value, *chunk, value))
        conn.execute("COMMIT")
        t1 = time.perf_counter()

        set_by_value(conn, old)  # the undo
        t2 = time.perf_counter()
        set_by_value(conn, {value: [r for rows in old.values() for r in rows]})  # the redo
        t3 = time.perf_counter()
    finally:
        conn.close()
    return t1 - t0, t2 - t1, t3 - t2


def ours(path: Path, ids: list[int], bases: dict[int, dict[str, Any]], value: Any,
         profile: cProfile.Profile | None = None) -> tuple[float, float, float]:
    from db.engine import open_database
    from desktop.core.changes import revert
    from desktop.core.registration_edit import set_status

    database = open_database(path)
    try:
        if profile is not None:
            profile.enable()
        t0 = time.perf_counter()
        with database.write() as s:
            change = set_status(s, ids, value, bases=bases)
        t1 = time.perf_counter()
        with database.write() as s:
            inverse = revert(s, change)
        t2 = time.perf_counter()
        with database.write() as s:
            revert(s, inverse)
        t3 = time.perf_counter()
        if profile is not None:
            profile.disable()
    finally:
        database.close()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from search import build  # tests/bench/search.py

    from db.models import Status

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        build(path, args.rows)
        built = statuses(path)
        ids = [rid for rid, _status in built]
        from db.models import Registration  # noqa: F401  (the enum's stored values below)

        bases = {rid: {"status": Status(status) if status in Status._value2member_map_ else Status[status]}
                 for rid, status in built}
        changed = sum(1 for _rid, status in built if status not in ("confirmed", "CONFIRMED"))
        print(f"{args.rows:,} registrations, {changed:,} change status")
        stored = built[0][1]
        value_stored = "CONFIRMED" if stored.isupper() else "confirmed"
        if args.profile:
            profile = cProfile.Profile()
            ours(path, ids, bases, Status.CONFIRMED, profile)
            put_back(path, built)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            return
        a_runs: list[tuple[float, float, float]] = []
        b_runs: list[tuple[float, float, float]] = []
        for i in range(args.n):
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for side in order:
                if side == 0:
                    a_runs.append(bare(path, ids, value_stored))
                else:
                    b_runs.append(ours(path, ids, bases, Status.CONFIRMED))
                put_back(path, built)
        for k, what in enumerate(("edit", "undo", "redo")):
            a = statistics.median(r[k] for r in a_runs)
            b = statistics.median(r[k] for r in b_runs)
            print(f"{what}: bare {a * 1000:8.0f} ms   ours {b * 1000:8.0f} ms   = {b / a:5.2f}×")


if __name__ == "__main__":
    main()
