"""Excel export of 100,000 registrations (issue 13: ≤ 1.15× the time and ≤ 1.3× the peak
memory of a bare script that reads the same rows with sqlite3 and streams them into
openpyxl write-only, in the same run).

1. Builds a temporary SQLite database with one event, 100,000 registrations (names in
   Kazakh, Russian and Latin letters, 400 organisations, a third checked in) by Core
   ``insert()`` of lists of dicts (the fast path of design.md).
2. For each column set (the default five; a wide set of twelve with dates, phones that
   start with "+", codes and e-mails) runs, interleaved, N times each, every run in a
   fresh subprocess:
   (a) bare: time ``sqlite3`` reading the event's rows (one joined query in the order of
       the kept English sort keys; organisations' names and the latest check-ins read once
       into dicts, as ours does; stored codes turned into the vocabulary's words, JSON
       positions decoded once per distinct value, times into the event's zone) and
       appending each row as the cursor gives it to ``Workbook(write_only=True)``, then
       ``wb.save`` — the rows stream, never all in memory;
   (b) ours: open the database (not timed), then time ``export_attendees(...)`` to .xlsx
       — count, participation figures, the streamed query, the safe cells, header style,
       widths, autofilter, the second sheet, the temporary file, fsync and rename.
   Peak memory is each run process's peak resident set (``VmHWM`` of /proc/self/status:
   interpreter, imports, data and work; ``ru_maxrss`` would report the forking parent's
   peak, see ``PEAK``); the peak before the timed work is printed too, so the share of the
   imports shows, and the work's own memory — how far the peak grew during the timed work —
   with its ratio: ours starts ~27 MiB higher, nearly all of it SQLAlchemy's import (core
   and ORM; the models are declarative), which the bare script does not load. Wall and CPU
   time of the timed section are both reported; the target is on wall time.
3. Prints medians and the ratios against the targets. With ``--tracemalloc`` one more run
   of each reports the peak of Python allocations during the timed work alone (slower, so
   never mixed with the timed runs).

Not part of the test suite's pass/fail (exit status 1 only if a run failed):

    python tests/bench/export_attendees.py [-n 5] [--rows 100000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
TIME_TARGET = 1.15
MEMORY_TARGET = 1.3

COLUMN_SETS = {
    "default (5 columns)": ("name", "organisation", "position", "sector", "status"),
    "wide (12 columns)": ("code", "family_name", "given_name", "organisation", "sector", "category", "status",
                          "email", "phone", "gender", "registered_at", "checked_in"),
}

BARE = r"""
import json, sqlite3, sys, time, datetime as dt
from zoneinfo import ZoneInfo
PEAK = open(sys.argv[-1]).read()
exec(PEAK)
db_path, event_id, columns, out = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4]
header, words = json.loads(sys.argv[5])
trace = sys.argv[6] == "trace"
from openpyxl import Workbook
rss_before = peak_kib()
if trace:
    import tracemalloc; tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
conn = sqlite3.connect(db_path)
zone = ZoneInfo(conn.execute("SELECT timezone FROM event WHERE id = ?", (event_id,)).fetchone()[0])
def local(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None, microsecond=0)
organisations = {oid: json.loads(name).get("en") for oid, name in conn.execute("SELECT id, name FROM organisation")}
arrived = dict(conn.execute("SELECT registration_id, max(happened_at) FROM check_in GROUP BY registration_id"))
positions = {}
def position(raw):
    found = positions.get(raw)
    if found is None:
        found = positions[raw] = json.loads(raw).get("en")
    return found
sql = {
    "name": "p.family_name || ', ' || p.given_name", "organisation": "p.organisation_id", "position": "p.position",
    "sector": "o.sector", "status": "r.status", "code": "r.badge_code", "family_name": "p.family_name",
    "given_name": "p.given_name", "category": "r.category", "email": "p.email", "phone": "p.phone",
    "gender": "p.gender", "registered_at": "r.created_at", "checked_in": "r.id",
}
make = {
    "organisation": organisations.get, "position": position, "sector": words["sector"].get,
    "status": words["status"].get, "category": words["category"].get, "gender": words["gender"].get,
    "registered_at": local, "checked_in": lambda rid: local(a) if (a := arrived.get(rid)) else None,
}
makers = [make.get(c) for c in columns]
rows = conn.execute(
    f"SELECT {', '.join(sql[c] for c in columns)} FROM registration AS r JOIN person AS p ON p.id = r.person_id "
    "LEFT JOIN organisation AS o ON o.id = p.organisation_id LEFT JOIN person_key AS k ON k.person_id = p.id "
    "WHERE r.event_id = ? ORDER BY k.sort_en, r.id", (event_id,))
wb = Workbook(write_only=True)
ws = wb.create_sheet()
ws.append(header)
for row in rows:  # the cursor's rows, one at a time: never all held
    ws.append([v if f is None or v is None else f(v) for v, f in zip(row, makers)])
wb.save(out)
conn.close()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = tracemalloc.get_traced_memory()[1] if trace else None
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_before_kib": rss_before, "rss_peak_kib": peak_kib(),
                  "traced_peak": peak}))
"""

OURS = r"""
import sys, time, json
PEAK = open(sys.argv[-1]).read()
exec(PEAK)
db_path, event_id, columns, out = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4]
trace = sys.argv[5] == "trace"
from db.engine import open_database
from desktop.exports.attendees import export_attendees
import openpyxl, openpyxl.cell, openpyxl.styles  # loaded by the export anyway; not timed in either run
database = open_database(db_path)
rss_before = peak_kib()
if trace:
    import tracemalloc; tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
result = export_attendees(database, out, event_id, columns)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = tracemalloc.get_traced_memory()[1] if trace else None
database.close()
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": result.rows, "rss_before_kib": rss_before,
                  "rss_peak_kib": peak_kib(), "traced_peak": peak}))
"""

# The peak resident memory of this process so far, in KiB. On Linux, VmHWM of
# /proc/self/status: ru_maxrss is no use here, because it keeps the high-water mark of the
# process image before exec, i.e. of this (big) benchmark process that forked the run.
PEAK = r"""
def peak_kib():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource, sys
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss
"""


# -- the data ---------------------------------------------------------------------------------

GIVEN_F = ["Айгерим", "Әлия", "Гүлнар", "Дана", "Жанар", "Елена", "Ольга", "Наталья", "Мария", "Сәуле",
           "Anna", "Maria", "Ingrid", "Camille", "Zarina", "Ақбота", "Меруерт", "Татьяна", "Ирина", "Ainur"]
GIVEN_M = ["Ержан", "Нұрлан", "Асхат", "Дмитрий", "Сергей", "Бауыржан", "Ғалым", "Қайрат", "Олжас", "Павел",
           "James", "Thomas", "Mathieu", "Lars", "Timur", "Әділет", "Ілияс", "Андрей", "Виктор", "Daniyar"]
FAMILY = ["Сәрсенбаев", "Жиенбаев", "Қасымов", "Иванов", "Петров", "Ахметов", "Нұрланов", "Смағұлов",
          "Кенжебаев", "Лебедев", "Соколов", "Омаров", "Ғабитов", "Мұқанов", "Абдрахманов", "Төлеген",
          "Miller", "Dubois", "Hansen", "Schmidt", "Rossi", "Tanaka", "Novak", "Kowalski"]
PATRONYMIC = ["Серікұлы", "Сергеевич", "Қайратұлы", "Ахметович", "Болатович", None, None]
POSITIONS = [
    {"en": "Judge", "ru": "Судья", "kk": "Судья"},
    {"en": "Chief specialist", "ru": "Главный специалист", "kk": "Бас маман"},
    {"en": "Head of department", "ru": "Руководитель отдела", "kk": "Бөлім басшысы"},
    {"en": "Counsellor", "ru": "Советник", "kk": "Кеңесші"},
    {"en": "Professor", "ru": "Профессор", "kk": "Профессор"},
    {"en": "Programme officer", "ru": "Сотрудник программы", "kk": "Бағдарлама қызметкері"},
]
SECTORS = ["judiciary", "government", "international_organisation", "academia", "civil_society",
           "diplomatic_corps", "media", "other"]
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def build_database(path: Path, n: int) -> int:
    """Create the database with ``n`` registrations; returns the event id."""
    import datetime as dt
    import uuid

    from sqlalchemy import insert

    from db.engine import open_database
    from db.models import CheckIn, Event, Organisation, Person, Registration

    rng = random.Random(20250228)
    now = dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC)
    database = open_database(path)
    with database.engine.begin() as conn:
        event_id = conn.execute(insert(Event).values(
            uuid=uuid.uuid4(), title={"en": "Bench conference", "ru": "Конференция", "kk": "Конференция"},
            subtitle={}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 3, 1), timezone="Asia/Almaty",
            venue={}, city={"en": "Astana"}, languages=["en", "ru", "kk"], is_demo=False, created_at=now,
            updated_at=now,
        )).inserted_primary_key[0]
        orgs = [
            {"uuid": uuid.uuid4(), "name": {"en": f"Organisation {i}", "ru": f"Организация № {i}",
                                            "kk": f"№ {i} ұйым"},
             "short_name": {}, "sector": SECTORS[i % len(SECTORS)], "country": "KZ" if i % 5 else "DE",
             "created_at": now, "updated_at": now}
            for i in range(400)
        ]
        conn.execute(insert(Organisation), orgs)
        org_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM organisation ORDER BY id")]
        people = []
        for i in range(n):
            female = rng.random() < 0.52
            people.append({
                "uuid": uuid.uuid4(), "honorific": None,
                "given_name": rng.choice(GIVEN_F if female else GIVEN_M),
                "family_name": rng.choice(FAMILY) + ("а" if female and rng.random() < 0.6 else ""),
                "patronymic": rng.choice(PATRONYMIC), "display_name": {}, "position": rng.choice(POSITIONS),
                "organisation_id": rng.choice(org_ids) if rng.random() < 0.97 else None, "country": None,
                "email": f"person{i}@example.kz", "phone": f"+7 701 {i // 10000:03d} {i % 10000:04d}",
                "bio": {}, "gender": "female" if female else ("male" if rng.random() < 0.97 else "not_stated"),
                "created_at": now, "updated_at": now,
            })
        conn.execute(insert(Person), people)
        person_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM person ORDER BY id")]
        codes = set()
        while len(codes) < n:
            codes.add("".join(rng.choice(ALPHABET) for _ in range(6)))
        statuses = ["confirmed"] * 14 + ["registered"] * 3 + ["waitlisted", "declined", "cancelled", "invited"]
        regs = [
            {"uuid": uuid.uuid4(), "event_id": event_id, "person_id": pid, "category": "participant",
             "status": rng.choice(statuses), "badge_code": code, "source": "import", "source_file": None,
             "source_row": None, "source_desk": None, "interpretation": None, "dietary": None,
             "accessibility": None, "photo_consent": True, "notes": None,
             "created_at": now + dt.timedelta(seconds=i), "updated_at": now}
            for i, (pid, code) in enumerate(zip(person_ids, sorted(codes)))
        ]
        conn.execute(insert(Registration), regs)
        reg_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM registration ORDER BY id")]
        first = dt.datetime(2025, 2, 28, 3, 30, tzinfo=dt.UTC)
        checkins = []
        for rid in rng.sample(reg_ids, n // 3):
            at = first + dt.timedelta(seconds=rng.randrange(6 * 3600))
            checkins.append({"uuid": uuid.uuid4(), "registration_id": rid, "desk": f"Desk {rid % 4 + 1}",
                             "action": "in", "undoes": None, "happened_at": at, "recorded_at": at})
        conn.execute(insert(CheckIn), checkins)
    database.close()
    return int(event_id)


def bare_arguments(columns: tuple[str, ...]) -> str:
    """The header and the words of stored values (English) for the bare run, as JSON."""
    from db.models import Category, Gender, Sector, Status
    from desktop.core import vocabulary
    from desktop.core.attendee_list import COLUMNS

    header = [COLUMNS[k].header("en") for k in columns]
    words = {
        "sector": {s.value: vocabulary.sector(s, "en") for s in Sector},
        "status": {s.value: vocabulary.status(s, "en") for s in Status},
        "category": {c.value: vocabulary.category(c, "en") for c in Category},
        "gender": {g.value: vocabulary.gender(g, "en") for g in Gender},
    }
    return json.dumps([header, words])


def run(code: str, *args: str, trace: bool = False, helper: Path) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    argv = [sys.executable, "-c", code, *args, "trace" if trace else "-", str(helper)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"a run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def mib(kib: float) -> float:
    return kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (one run each)")
    parser.add_argument("--only", choices=("default", "wide"), help="run one column set only")
    args = parser.parse_args()
    sets = {name: cols for name, cols in COLUMN_SETS.items() if not args.only or name.startswith(args.only)}

    with tempfile.TemporaryDirectory(prefix="cd-bench-export-") as tmp_name:
        tmp = Path(tmp_name)
        db_path = tmp / "bench.sqlite"
        start = time.perf_counter()
        event_id = build_database(db_path, args.rows)
        print(f"built {args.rows} registrations in {time.perf_counter() - start:.1f} s "
              f"({db_path.stat().st_size / 2**20:.0f} MiB)")
        try:
            import openpyxl
            from openpyxl import LXML
            print(f"python {sys.version.split()[0]}, openpyxl {openpyxl.__version__}, lxml {'yes' if LXML else 'no'}, "
                  f"{os.cpu_count()} CPUs; {args.n} runs of each, interleaved, medians")
        except ImportError:
            sys.exit("openpyxl is not installed")

        helper = tmp / "peak.py"
        helper.write_text(PEAK, encoding="utf-8")
        verdicts = []
        for name, columns in sets.items():
            bare_args = (str(db_path), str(event_id), ",".join(columns), str(tmp / "bare.xlsx"),
                         bare_arguments(columns))
            our_args = (str(db_path), str(event_id), ",".join(columns), str(tmp / "ours.xlsx"))
            bare_runs, our_runs = [], []
            for _ in range(args.n):
                bare_runs.append(run(BARE, *bare_args, helper=helper))
                ours = run(OURS, *our_args, helper=helper)
                n = int(ours["rows"])
                our_runs.append(ours)

            def med(runs: list[dict[str, float]], key: str) -> float:
                return statistics.median(r[key] for r in runs)

            t_bare, t_ours = med(bare_runs, "seconds"), med(our_runs, "seconds")
            c_bare, c_ours = med(bare_runs, "cpu"), med(our_runs, "cpu")
            m_bare, m_ours = med(bare_runs, "rss_peak_kib"), med(our_runs, "rss_peak_kib")
            b_bare, b_ours = med(bare_runs, "rss_before_kib"), med(our_runs, "rss_before_kib")
            size_bare = (tmp / "bare.xlsx").stat().st_size / 2**20
            size_ours = (tmp / "ours.xlsx").stat().st_size / 2**20
            print(f"\n== {name}, {n} rows")
            print(f"  wall    bare {t_bare:6.2f} s   ours {t_ours:6.2f} s   ratio {t_ours / t_bare:.2f}  "
                  f"(target ≤ {TIME_TARGET})")
            print(f"          runs bare {[round(r['seconds'], 2) for r in bare_runs]}, "
                  f"ours {[round(r['seconds'], 2) for r in our_runs]}")
            paired = statistics.median(o["seconds"] / b["seconds"] for b, o in zip(bare_runs, our_runs))
            print(f"          median of the ratios of the {args.n} interleaved pairs: {paired:.2f}")
            print(f"  cpu     bare {c_bare:6.2f} s   ours {c_ours:6.2f} s   ratio {c_ours / c_bare:.2f}  "
                  "(process CPU time of the same runs: steadier on a busy machine)")
            print(f"  memory  bare {mib(m_bare):6.0f} MiB ours {mib(m_ours):6.0f} MiB ratio {m_ours / m_bare:.2f}  "
                  f"(target ≤ {MEMORY_TARGET}; peak resident memory of the whole run process, VmHWM)")
            print(f"          of which before the timed work: bare {mib(b_bare):.0f} MiB (interpreter, openpyxl), "
                  f"ours {mib(b_ours):.0f} MiB (interpreter, SQLAlchemy, openpyxl, open database)")
            g_bare = statistics.median(r["rss_peak_kib"] - r["rss_before_kib"] for r in bare_runs)
            g_ours = statistics.median(r["rss_peak_kib"] - r["rss_before_kib"] for r in our_runs)
            print(f"  work    bare {mib(g_bare):6.1f} MiB ours {mib(g_ours):6.1f} MiB ratio {g_ours / g_bare:.2f}  "
                  "(the work's own memory: growth of the peak during the timed work, median)")
            print(f"  files   bare {size_bare:.1f} MiB, ours {size_ours:.1f} MiB (ours adds the participation sheet)")
            if args.tracemalloc:
                tb = run(BARE, *bare_args, trace=True, helper=helper)["traced_peak"]
                to = run(OURS, *our_args, trace=True, helper=helper)["traced_peak"]
                print(f"  python allocations during the work (tracemalloc peak): bare {tb / 2**20:.1f} MiB, "
                      f"ours {to / 2**20:.1f} MiB, ratio {to / tb:.2f} (rows stream through both)")
            verdicts.append((name, t_ours / t_bare <= TIME_TARGET, m_ours / m_bare <= MEMORY_TARGET,
                             g_ours / g_bare <= MEMORY_TARGET))

        print()
        for name, time_ok, memory_ok, work_ok in verdicts:
            print(f"{name}: time {'meets' if time_ok else 'MISSES'} the target; memory of the whole process "
                  f"{'meets' if memory_ok else 'MISSES'} it, the work's own memory {'meets' if work_ok else 'MISSES'} "
                  "it (the whole process carries SQLAlchemy's import, which the bare script has not)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
