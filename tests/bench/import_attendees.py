"""Benchmark: ``import-attendees`` of 100,000 people, whole processes, against bare scripts
doing the same work into the same schema (issue 13: ≤ 1.3× the time, ≤ 1.5× the memory).

    PYTHONPATH=. python tests/bench/import_attendees.py [--rows 100000] [-n 5] [--only csv|xlsx]

The lists (a title row, a blank row, the header, then the people: full names in Russian,
Kazakh and Latin letters, 400 organisations, e-mails, phones, countries, genders) are made
once as a ``;``-separated UTF-8 .csv and an .xlsx under ``--folder`` (kept between runs).
Every run starts from a copy of one migrated database holding the event (not timed), in a
fresh process:

* ours: ``python -m desktop --db COPY import-attendees FILE --event ID`` — the command a
  user runs (reading, the layout, validation, duplicates, organisations matched or
  created, badge codes, the search index and sort keys, one transaction, the report);
* bare: a script with ``csv`` (or ``python_calamine``'s ``to_python``) and ``sqlite3``
  only: it reads the rows below the header, creates each organisation once, inserts a
  person per row (the FTS search index and ``person_key`` rows are made by the schema's
  triggers, as for ours), a registration with a random badge code per person, and writes
  every person's search skeleton (``person_key_search``, ``desktop.core.name_match``) and
  sort keys per language (ICU, as ``desktop.core.collation`` keys them), with
  ``executemany`` in one transaction; the names are split at spaces (no rules), nothing is
  checked, no duplicate looked for, nothing reported. It holds the rows it read, as such a
  script does (``list(csv.reader(…))``; calamine returns every row at once).

Both are timed whole (interpreter start to exit, by this process: wall, and CPU time from
``wait4``, steadier on a busy machine) and their peak resident
memory is the run process's own ``VmHWM`` (``ru_maxrss`` would report this process's peak
from before ``exec``). Runs are interleaved; medians are printed with the ratios.
Not part of the test suite (pytest does not collect tests/bench).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TIME_TARGET = 1.3
MEMORY_TARGET = 1.5

FAMILIES = ["Иванов", "Петрова", "Сидоров", "Жиенбаев", "Сәрсенбаева", "Ахметов", "Ким", "Нұрланова",
            "Smith", "Müller", "Wiśniewska", "Омаров", "Беккер", "Тұрсынбек"]
GIVENS = ["Иван", "Ержан", "Айгүл", "Анна", "Нурлан", "Дина", "John", "Asel", "Мария", "Бауыржан"]
PATRONYMICS = ["Иванович", "Серікұлы", "Петровна", "Нурланович", "Қайратқызы", ""]
POSITIONS = ["Судья", "Эксперт", "Советник", "Директор департамента", "Professor", "Атташе"]
HEADER = ["№", "ФИО", "Организация", "Должность", "E-mail", "Телефон", "Страна", "Пол"]


def people(rows: int) -> list[list[object]]:
    rng = random.Random(2025)
    out: list[list[object]] = []
    for i in range(rows):
        name = f"{rng.choice(FAMILIES)} {rng.choice(GIVENS)} {rng.choice(PATRONYMICS)}".strip()
        out.append([i + 1, name, f"Организация № {i % 400}", rng.choice(POSITIONS),
                    f"participant{i}@example.kz", f"+7 701 {i:07d}", "Казахстан", rng.choice(["м", "ж"])])
    return out


def make_csv(path: Path, rows: int) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["Список участников международной конференции"])
        out.writerow([])
        out.writerow(HEADER)
        out.writerows(people(rows))


def make_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Участники")
    ws.append(["Список участников международной конференции"])
    ws.append([])
    ws.append(HEADER)
    for row in people(rows):
        ws.append(row)
    wb.save(path)


def make_template(path: Path) -> int:
    """A migrated database holding one event; its id."""
    import datetime as dt

    from db.engine import open_database
    from db.models import Event

    database = open_database(path)
    try:
        with database.write() as session:
            event = Event(title={"en": "Bench"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
            session.add(event)
            session.flush()
            event_id = int(event.id)
    finally:
        database.close()
    return event_id


# Written into the run process: its peak resident memory (KiB) into the file CD_PEAK_FILE at exit.
PEAK = r"""
import atexit as _atexit, os as _os
def _write_peak():
    with open("/proc/self/status") as fh:
        kib = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    with open(_os.environ["CD_PEAK_FILE"], "w") as fh:
        fh.write(str(kib))
_atexit.register(_write_peak)
"""

OURS = PEAK + r"""
import sys
sys.argv[0] = "conference-desk"
from desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""

BARE = PEAK + r"""
import datetime, json, secrets, sqlite3, sys, uuid
db_path, source, event_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
if source.endswith(".csv"):
    import csv
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[3:]
else:
    import python_calamine
    rows = python_calamine.CalamineWorkbook.from_path(source).get_sheet_by_index(0).to_python()[3:]
import icu
from desktop.core.name_match import skeleton
collators = {lang: icu.Collator.createInstance(icu.Locale(lang)) for lang in ("en", "ru", "kk")}
version = f"1/icu{icu.ICU_VERSION}/uc{icu.UNICODE_VERSION}"
now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
conn = sqlite3.connect(db_path, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN IMMEDIATE")
first_org = conn.execute("SELECT coalesce(max(id), 0) FROM organisation").fetchone()[0] + 1
first_person = conn.execute("SELECT coalesce(max(id), 0) FROM person").fetchone()[0] + 1
organisations = {}
for row in rows:
    if row[2] not in organisations:
        organisations[row[2]] = first_org + len(organisations)
conn.executemany(
    "INSERT INTO organisation (id, uuid, name, short_name, sector, created_at, updated_at) "
    "VALUES (?, ?, ?, '{}', 'other', ?, ?)",
    [(oid, uuid.uuid4().hex, json.dumps({"ru": name}, ensure_ascii=False), now, now)
     for name, oid in organisations.items()])
persons, keys, skeletons = [], [], []
for n, row in enumerate(rows):
    family, given, patronymic = (str(row[1]).split(" ", 2) + ["", ""])[:3]
    pid = first_person + n
    persons.append((pid, uuid.uuid4().hex, given, family, patronymic or None,
                    json.dumps({"ru": row[3]}, ensure_ascii=False), organisations[row[2]], "KZ", row[4],
                    str(row[5]), "male" if row[7] == "м" else "female", now, now))
    fields = "\ufffe".join((family, given, patronymic))
    keys.append((version, *(bytes(collators[lang].getSortKey(fields)) for lang in ("en", "ru", "kk")), pid))
    skeletons.append((pid, " ".join(filter(None, (skeleton(" ".join(filter(None, (given, family, patronymic)))),
                                                  skeleton(str(row[2])))))))
conn.executemany(
    "INSERT INTO person (id, uuid, honorific, given_name, family_name, patronymic, display_name, position, "
    "organisation_id, country, email, phone, bio, gender, created_at, updated_at) "
    "VALUES (?, ?, NULL, ?, ?, ?, '{}', ?, ?, ?, ?, ?, '{}', ?, ?, ?)", persons)
conn.executemany("UPDATE person_key SET sort_collator = ?, sort_en = ?, sort_ru = ?, sort_kk = ? "
                 "WHERE person_id = ?", keys)
conn.executemany("INSERT INTO person_key_search (rowid, doc) VALUES (?, ?)", skeletons)
conn.executemany("UPDATE person_key SET stale = 0, skeleton = ? WHERE person_id = ?",
                 [(doc, pid) for pid, doc in skeletons])
alphabet, draw, codes = "23456789ABCDEFGHJKMNPQRSTVWXYZ", secrets.SystemRandom().choices, set()
while len(codes) < len(rows):
    codes.add("".join(draw(alphabet, k=6)))
name = source.rsplit("/", 1)[-1]
conn.executemany(
    "INSERT INTO registration (uuid, event_id, person_id, category, status, badge_code, source, source_file, "
    "source_row, created_at, updated_at) VALUES (?, ?, ?, 'participant', 'registered', ?, 'import', ?, ?, ?, ?)",
    [(uuid.uuid4().hex, event_id, first_person + n, code, name, n + 4, now, now)
     for n, code in enumerate(codes)])
conn.execute("COMMIT")
conn.close()
print(len(rows))
"""


def run(code: str, args: list[str], folder: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of a fresh process running ``code``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    peak_file = folder / "peak.txt"
    env["CD_PEAK_FILE"] = str(peak_file)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.DEVNULL,
                                 stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            sys.exit(f"a run failed ({args}):\n{err.read().decode(errors='replace')[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, int(peak_file.read_text()) / 1024


def count(db_path: Path) -> tuple[int, int, int, int]:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM registration), (SELECT count(*) FROM organisation), "
            "(SELECT count(*) FROM person_key_search), (SELECT count(*) FROM person_key WHERE sort_en IS NOT NULL)"
        ).fetchone())
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--only", choices=("csv", "xlsx"))
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "cd-bench-import",
                        help="where the lists are kept between runs")
    args = parser.parse_args()
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    kinds = [k for k in ("csv", "xlsx") if args.only in (None, k)]
    sources = {}
    for kind in kinds:
        path = folder / f"attendees-{args.rows}.{kind}"
        if not path.exists():
            start = time.perf_counter()
            (make_csv if kind == "csv" else make_xlsx)(path, args.rows)
            print(f"made {path.name} ({path.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - start:.1f} s")
        sources[kind] = path
    with tempfile.TemporaryDirectory(prefix="cd-bench-import-") as tmp:
        work = Path(tmp)
        template = work / "template.sqlite"
        event_id = make_template(template)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {args.runs} runs of each, interleaved, "
              "whole processes")
        for kind, source in sources.items():
            results: dict[str, list[tuple[float, float, float]]] = {"bare": [], "ours": []}
            for i in range(args.runs):
                for label in ("bare", "ours"):
                    db_path = work / f"{label}-{i}.sqlite"
                    shutil.copyfile(template, db_path)
                    if label == "bare":
                        argv = [str(db_path), str(source), str(event_id)]
                        outcome = run(BARE, argv, work)
                    else:
                        argv = ["--db", str(db_path), "import-attendees", str(source), "--event", str(event_id)]
                        outcome = run(OURS, argv, work)
                    results[label].append(outcome)
                    if i == 0:
                        regs, orgs, skel, keys = count(db_path)
                        print(f"  {kind} {label}: {regs:,} registrations, {orgs} organisations, {skel:,} skeletons, "
                              f"{keys:,} sort keys")
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            t = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
            c = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
            m = {k: statistics.median(r[2] for r in v) for k, v in results.items()}
            print(f"== {kind}, {args.rows:,} rows")
            for label in ("bare", "ours"):
                runs = ", ".join(f"{r[0]:.2f}" for r in results[label])
                print(f"  {label:<5} wall median {t[label]:6.2f} s   cpu {c[label]:6.2f} s   peak {m[label]:6.1f} MiB"
                      f"   wall runs {runs}")
            rt, rc, rm = t["ours"] / t["bare"], c["ours"] / c["bare"], m["ours"] / m["bare"]
            print(f"  ratio time {rt:.2f}× ({'within' if rt <= TIME_TARGET else 'OVER'} {TIME_TARGET}×; "
                  f"cpu {rc:.2f}×), "
                  f"memory {rm:.2f}× ({'within' if rm <= MEMORY_TARGET else 'OVER'} {MEMORY_TARGET}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
