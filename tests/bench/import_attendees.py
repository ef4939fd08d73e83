"""Benchmark: importing a 50,000-row .xlsx against the bare libraries doing the same work.

    PYTHONPATH=. python tests/bench/import_attendees.py [--rows 50000] [--runs 5]

* ours: ``desktop.core.importing.import_attendees`` on a fresh SQLite file (header found
  below a title, full names split, e-mails checked, duplicates looked for, organisations
  matched or created, one transaction);
* bare: python-calamine reading the same file (``to_python``), then SQLAlchemy Core
  ``insert()`` of the same rows, as lists of dicts in batches, into the same schema on a
  fresh SQLite file: a person per row (keys taken from ``max(id)``) and a registration per
  person — once leaving uuids and timestamps to the columns' Python defaults (the least
  code), once giving every value as the import does (the stricter baseline).

Prints the median of several interleaved runs of each and the ratios against the
target of 1.5×.
Not part of the test suite (pytest does not collect tests/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 1.5
BATCH = 2_000

FAMILIES = ["Иванов", "Петрова", "Сидоров", "Жиенбаев", "Сәрсенбаева", "Ахметов", "Ким", "Нұрланова",
            "Smith", "Müller", "Wiśniewska", "Омаров", "Беккер", "Тұрсынбек"]
GIVENS = ["Иван", "Ержан", "Айгүл", "Анна", "Нурлан", "Дина", "John", "Asel", "Мария", "Бауыржан"]
PATRONYMICS = ["Иванович", "Серікұлы", "Петровна", "Нурланович", "Қайратқызы", ""]
POSITIONS = ["Судья", "Эксперт", "Советник", "Директор департамента", "Professor", "Атташе"]


def make_workbook(path: Path, rows: int) -> None:
    """A realistic list: a title row, a blank row, the header, then ``rows`` people."""
    from openpyxl import Workbook

    rng = random.Random(2025)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Участники")
    ws.append(["Список участников международной конференции"])
    ws.append([])
    ws.append(["№", "ФИО", "Организация", "Должность", "E-mail", "Телефон", "Страна", "Пол"])
    for i in range(rows):
        name = f"{rng.choice(FAMILIES)} {rng.choice(GIVENS)} {rng.choice(PATRONYMICS)}".strip()
        ws.append([i + 1, name, f"Организация № {i % 400}", rng.choice(POSITIONS),
                   f"participant{i}@example.kz", f"+7 701 {i:07d}", "Казахстан", rng.choice(["м", "ж"])])
    wb.save(path)


def fresh_database(folder: Path, label: str):  # type: ignore[no-untyped-def]
    from db.engine import open_database
    from db.models import Event

    path = folder / f"{label}-{time.perf_counter_ns()}.sqlite"
    database = open_database(path)
    with database.write() as session:
        event = Event(title={"en": "Bench"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
        session.add(event)
        session.flush()
        event_id = event.id
    return database, event_id


def run_ours(xlsx: Path, folder: Path) -> tuple[float, int]:
    from desktop.core.importing import import_attendees

    database, event_id = fresh_database(folder, "ours")
    try:
        start = time.perf_counter()
        report = import_attendees(database, xlsx, event_id)
        elapsed = time.perf_counter() - start
    finally:
        database.close()
    return elapsed, report.imported


def run_bare(xlsx: Path, folder: Path) -> tuple[float, int]:
    import python_calamine
    from sqlalchemy import func, insert, select

    from db.models import Person, Registration, Source

    database, event_id = fresh_database(folder, "bare")
    try:
        start = time.perf_counter()
        workbook = python_calamine.CalamineWorkbook.from_path(xlsx)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)[3:]
        person, registration = Person.__table__, Registration.__table__
        with database.write() as session:
            conn = session.connection()
            first = conn.execute(select(func.coalesce(func.max(person.c.id), 0))).scalar_one() + 1
            people = [
                {"id": first + n, "family_name": r[1], "given_name": "", "position": {"ru": r[3]},
                 "email": r[4], "phone": r[5], "country": "KZ"}
                for n, r in enumerate(rows)
            ]
            for k in range(0, len(people), BATCH):
                conn.execute(insert(person), people[k:k + BATCH])
            regs = [
                {"event_id": event_id, "person_id": p["id"], "badge_code": f"B{n:07d}",
                 "source": Source.IMPORT, "source_file": xlsx.name, "source_row": n + 4}
                for n, p in enumerate(people)
            ]
            for k in range(0, len(regs), BATCH):
                conn.execute(insert(registration), regs[k:k + BATCH])
        elapsed = time.perf_counter() - start
    finally:
        database.close()
    return elapsed, len(rows)


def run_bare_explicit(xlsx: Path, folder: Path) -> tuple[float, int]:
    """The bare insert again, with every value given (as the import gives them) instead of
    left to the columns' Python defaults: the stricter baseline."""
    import uuid

    import python_calamine
    from sqlalchemy import func, insert, select

    from db.models import Category, Gender, Person, Registration, Source, Status
    from db.types import utcnow

    database, event_id = fresh_database(folder, "bare2")
    try:
        start = time.perf_counter()
        workbook = python_calamine.CalamineWorkbook.from_path(xlsx)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)[3:]
        person, registration = Person.__table__, Registration.__table__
        now = utcnow()
        with database.write() as session:
            conn = session.connection()
            first = conn.execute(select(func.coalesce(func.max(person.c.id), 0))).scalar_one() + 1
            people = [
                {"id": first + n, "uuid": uuid.uuid4(), "honorific": None, "given_name": "", "family_name": r[1],
                 "patronymic": None, "display_name": {}, "position": {"ru": r[3]}, "organisation_id": None,
                 "country": "KZ", "email": r[4], "phone": r[5], "bio": {}, "gender": Gender.NOT_STATED,
                 "created_at": now, "updated_at": now}
                for n, r in enumerate(rows)
            ]
            for k in range(0, len(people), BATCH):
                conn.execute(insert(person), people[k:k + BATCH])
            regs = [
                {"uuid": uuid.uuid4(), "event_id": event_id, "person_id": p["id"], "category": Category.PARTICIPANT,
                 "status": Status.REGISTERED, "badge_code": f"B{n:07d}", "source": Source.IMPORT,
                 "source_file": xlsx.name, "source_row": n + 4, "dietary": None, "notes": None,
                 "created_at": now, "updated_at": now}
                for n, p in enumerate(people)
            ]
            for k in range(0, len(regs), BATCH):
                conn.execute(insert(registration), regs[k:k + BATCH])
        elapsed = time.perf_counter() - start
    finally:
        database.close()
    return elapsed, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cd-bench-import-") as tmp:
        folder = Path(tmp)
        xlsx = folder / "attendees.xlsx"
        start = time.perf_counter()
        make_workbook(xlsx, args.rows)
        print(f"made {xlsx.name}: {args.rows:,} rows, {xlsx.stat().st_size / 1e6:.1f} MB "
              f"in {time.perf_counter() - start:.1f} s")
        # Interleaved, so that all three see the same machine state; medians of each.
        times: dict[str, list[float]] = {"bare": [], "bare2": [], "ours": []}
        jobs = {"bare": run_bare, "bare2": run_bare_explicit, "ours": run_ours}
        counts: dict[str, int] = {}
        for _ in range(args.runs):
            for label, job in jobs.items():
                gc.collect()
                elapsed, counts[label] = job(xlsx, folder)
                times[label].append(elapsed)
        medians = {label: statistics.median(t) for label, t in times.items()}
        captions = {
            "bare": "bare calamine read + Core insert, column defaults",
            "bare2": "bare calamine read + Core insert, values given",
            "ours": "ours: import_attendees",
        }
        for label in ("bare", "bare2", "ours"):
            runs = ", ".join(f"{t:.2f}" for t in times[label])
            print(f"{captions[label]:<52} median {medians[label]:6.2f} s  best {min(times[label]):6.2f} s"
                  f"   runs {runs}   ({counts[label]:,} rows)")
        for label in ("bare", "bare2"):
            ratio = medians["ours"] / medians[label]
            best = min(times["ours"]) / min(times[label])
            verdict = "within" if ratio <= TARGET else "OVER"
            print(f"ratio vs {captions[label]}: {ratio:.2f}× of medians ({best:.2f}× of bests) — "
                  f"{verdict} the {TARGET}× target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
