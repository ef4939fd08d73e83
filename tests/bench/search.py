"""Search at 100,000 registrations (issue 4: ≤ 2× a bare FTS5 query for the same term), and
the time from a keystroke to the repainted Registrations table.

1. Builds a temporary SQLite file through the migrations (so the search index and its
   triggers are the real ones) with one event and N registrations — names in Kazakh,
   Russian, Polish/Czech/Turkish (Latin with diacritics) and English, 400 organisations
   named in three languages, a third checked in — by Core ``insert()`` of lists of dicts.
2. For each search term, in the same run and interleaved, the median of several runs of:
   (a) bare: sqlite3 on the same file, the same work written by hand, in one read
       transaction — the FTS5 MATCH on the person index, the event's registrations of those
       people in name order, the first window of rows (code, names, organisation, sector,
       category, status), their check-in rows, and the count of matches (asked only when
       the window is full) — nothing else;
   (b) ours: what the window does on a keystroke: ``find_registrations`` for the first
       window (with its check-in state) and the count, in a ``Database.read_raw()`` read
       transaction, as the Registrations table reads it.
   For information, also (c) the bare MATCH alone, every matching rowid fetched.
   Prints the medians and the ratio (b)/(a) against the 2× target.
   (b) searches the text as typed (``exact``), as the bare query does.
3. What was meant (``desktop.core.name_match``): the time to make the skeletons of the
   N people the builder wrote behind core's back (``person_keys.settle_all``, once), then
   for texts typed on the wrong layout or in the other alphabet, the median of the window
   with the count, of the same for the text as typed, and of ``also_found`` (what the page
   says under the search field).
4. The keystroke → repainted table time, offscreen: the Registrations page on the same
   file; set the search text as a keystroke would, then time until the debounced search
   ran, the model was reset, the page said what else it found and the view repainted its
   viewport (``repaint()`` paints synchronously). The debounce delay itself (150 ms) is
   reported apart and left out.

Not part of the test suite's pass/fail:

    QT_QPA_PLATFORM=offscreen python tests/bench/search.py [-n 15] [--rows 100000] [--keep FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
TARGET = 2.0
MEANT = ["Fquthbv", "zhienbayev", "sarsenbaeva", "Зфьудф", "kas", "Nurlan kas", "ахмет"]
"""Texts typed on the wrong layout ("Айгерим", "Pamela") or in the other alphabet."""
WINDOW = 100  # rows the view fetches first (a screenful and some)

# -- realistic names ------------------------------------------------------------------------

KZ_GIVEN_F = ("Айгерім Әсел Гүлнар Жанар Динара Сәуле Мәдина Ақмарал Аружан Салтанат Жұлдыз "
              "Ләззат Перизат Гүлжан Әйгерім Меруерт Ботагөз Назерке Қарлығаш Самал").split()
KZ_GIVEN_M = ("Ержан Нұрлан Асқар Серік Бауыржан Дәурен Ғалым Қайрат Мұрат Төлеген Әлихан "
              "Ерлан Данияр Жандос Ақжол Нұржан Бекзат Ермек Талғат Рүстем").split()
KZ_FAMILY = ("Сәрсенбаев Ахметов Жиенбаев Қасымов Нұрланов Оспанов Мұхамеджанов Төлегенов "
             "Исабеков Әбілов Жақсылықов Сейітқали Бекмұханов Ғабдуллин Әлімжанов Құдайбергенов "
             "Тұрсынов Омаров Байжанов Дүйсенов Есенов Шәкенов Мақсұтов Ибраев Көшербаев").split()
RU_GIVEN_F = "Анна Мария Елена Ольга Наталья Татьяна Ирина Светлана Юлия Ксения Алёна Дарья".split()
RU_GIVEN_M = "Иван Сергей Алексей Дмитрий Андрей Михаил Николай Юрий Павел Артём Фёдор Егор".split()
RU_FAMILY = ("Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов "
             "Волков Фёдоров Михайлов Беляев Тарасов Белов Комаров Орлов Киселёв Макаров").split()
LATIN_GIVEN_F = "Agnieszka Małgorzata Zofia Kateřina Ayşe Zeynep Émilie Hélène Søren Ingrid".split()
LATIN_GIVEN_M = "Łukasz Paweł Tomáš Jiří Mehmet Çağlar François Jérôme Jürgen Håkon".split()
LATIN_FAMILY_F = ("Wiśniewska Kowalska Wójcik Dvořáková Nováková Yılmaz Öztürk Lefèvre Müller "
                  "Gonçalves Sørensen Łuczak").split()
LATIN_FAMILY_M = ("Wiśniewski Kowalski Wójcik Dvořák Novák Yılmaz Öztürk Lefèvre Müller "
                  "Gonçalves Sørensen Łuczak").split()
EN_GIVEN_F = "Pamela Sarah Emily Olivia Grace Hannah Chloe Rachel".split()
EN_GIVEN_M = "John Michael David James Robert Thomas William Peter".split()
EN_FAMILY = "Harris Smith Johnson Brown Taylor Wilson Clarke O'Neill Walker-Young Evans".split()


def _female(family: str) -> str:
    """A Russian/Kazakh surname's feminine form (-ов → -ова, -ин → -ина)."""
    if family.endswith(("ов", "ев", "ёв", "ин")):
        return family + "а"
    return family


def person_name(rng: random.Random) -> tuple[str, str, str | None]:
    """(given, family, patronymic) from one of four naming traditions."""
    roll = rng.random()
    female = rng.random() < 0.5
    if roll < 0.5:
        given = rng.choice(KZ_GIVEN_F if female else KZ_GIVEN_M)
        family = rng.choice(KZ_FAMILY)
        return given, _female(family) if female else family, None
    if roll < 0.75:
        given = rng.choice(RU_GIVEN_F if female else RU_GIVEN_M)
        family = rng.choice(RU_FAMILY)
        stem = rng.choice(("Иванов", "Петров", "Сергеев", "Николаев"))
        return given, _female(family) if female else family, stem + ("на" if female else "ич")
    if roll < 0.9:
        if female:
            return rng.choice(LATIN_GIVEN_F), rng.choice(LATIN_FAMILY_F), None
        return rng.choice(LATIN_GIVEN_M), rng.choice(LATIN_FAMILY_M), None
    return rng.choice(EN_GIVEN_F if female else EN_GIVEN_M), rng.choice(EN_FAMILY), None


ORG_KINDS = (
    ("Ministry of {}", "Министерство {}", "{} министрлігі", "government"),
    ("Institute of {}", "Институт {}", "{} институты", "academia"),
    ("{} Foundation", "Фонд {}", "{} қоры", "civil_society"),
    ("Court of {}", "Суд {}", "{} соты", "judiciary"),
    ("{} Journal", "Журнал «{}»", "«{}» журналы", "media"),
)
ORG_TOPICS = (
    ("Justice", "юстиции", "Әділет"), ("Finance", "финансов", "Қаржы"),
    ("Education", "образования", "Білім"), ("Energy", "энергетики", "Энергетика"),
    ("Law", "права", "Құқық"), ("Ecology", "экологии", "Экология"),
    ("Health", "здравоохранения", "Денсаулық"), ("Culture", "культуры", "Мәдениет"),
)
REGIONS = ("Almaty", "Astana", "Shymkent", "Aktobe", "Karaganda", "Pavlodar", "Atyrau", "Taraz",
           "Kostanay", "Oral")


def build(path: Path, rows: int, seed: int = 4) -> int:
    """Create the database at ``path`` with one event of ``rows`` registrations; its id."""
    from sqlalchemy import insert

    from db.engine import open_database
    from db.models import CheckIn, Event, Organisation, Person, Registration
    from desktop.core.codes import BadgeCodes

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    database = open_database(path)
    try:
        with database.engine.begin() as conn:
            event_id = conn.execute(insert(Event.__table__).values(
                uuid=uuid.uuid4(), title={"en": "Search bench forum", "ru": "Форум", "kk": "Форум"},
                subtitle={}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 3, 1),
                timezone="Asia/Almaty", venue={}, city={}, languages=["en", "ru", "kk"],
                is_demo=False, created_at=now, updated_at=now,
            )).inserted_primary_key[0]
            orgs = []
            for i in range(400):
                en, ru, kk, sector = ORG_KINDS[i % len(ORG_KINDS)]
                topic = ORG_TOPICS[(i // len(ORG_KINDS)) % len(ORG_TOPICS)]
                region = REGIONS[i % len(REGIONS)]
                orgs.append({
                    "id": i + 1, "uuid": uuid.uuid4(),
                    "name": {"en": f"{en.format(topic[0])} ({region} {i + 1})",
                             "ru": f"{ru.format(topic[1])} ({region} {i + 1})",
                             "kk": f"{kk.format(topic[2])} ({region} {i + 1})"},
                    "short_name": {}, "sector": sector, "country": "KZ",
                    "created_at": now, "updated_at": now,
                })
            conn.execute(insert(Organisation.__table__), orgs)
            people, registrations = [], []
            codes = BadgeCodes(rng)
            statuses = ["confirmed"] * 6 + ["registered"] * 2 + ["invited", "waitlisted", "declined", "cancelled"]
            categories = ["participant"] * 8 + ["speaker", "press", "observer", "organiser"]
            for n in range(rows):
                given, family, patronymic = person_name(rng)
                people.append({
                    "id": n + 1, "uuid": uuid.uuid4(), "honorific": None, "given_name": given,
                    "family_name": family, "patronymic": patronymic, "display_name": {}, "position": {},
                    "organisation_id": rng.randrange(len(orgs)) + 1 if rng.random() < 0.95 else None,
                    "country": None, "email": f"p{n + 1}@example.kz", "phone": None, "bio": {},
                    "gender": "not_stated", "created_at": now, "updated_at": now,
                })
                registrations.append({
                    "id": n + 1, "uuid": uuid.uuid4(), "event_id": event_id, "person_id": n + 1,
                    "category": rng.choice(categories), "status": rng.choice(statuses),
                    "badge_code": codes.new(), "source": "import", "created_at": now, "updated_at": now,
                })
            for start in range(0, rows, 5000):
                conn.execute(insert(Person.__table__), people[start:start + 5000])
            for start in range(0, rows, 5000):
                conn.execute(insert(Registration.__table__), registrations[start:start + 5000])
            check_ins = []
            first = dt.datetime(2025, 2, 28, 3, 0, tzinfo=dt.UTC)
            for reg in rng.sample(registrations, rows // 3):
                at = first + dt.timedelta(seconds=rng.randrange(8 * 3600))
                check_ins.append({"uuid": uuid.uuid4(), "registration_id": reg["id"],
                                  "desk": f"Desk {rng.randrange(4) + 1}", "action": "in", "undoes": None,
                                  "happened_at": at, "recorded_at": at})
            for start in range(0, len(check_ins), 5000):
                conn.execute(insert(CheckIn.__table__), check_ins[start:start + 5000])
    finally:
        database.close()
    return int(event_id)


# -- the measurements -----------------------------------------------------------------------

BY_NAME = "r.event_id = ? AND r.person_id IN (SELECT rowid FROM person_search WHERE person_search MATCH ?)"
BY_NAME_OR_CODE = """r.id IN (SELECT id FROM registration WHERE event_id = ? AND person_id IN
        (SELECT rowid FROM person_search WHERE person_search MATCH ?)
    UNION ALL SELECT id FROM registration WHERE event_id = ? AND badge_code >= ? AND badge_code < ?)"""
BARE_COUNT = "SELECT count(*) FROM registration AS r WHERE {where}"
BARE_PAGE = """SELECT r.id, r.badge_code, p.given_name, p.family_name, p.display_name, o.name, o.sector,
       r.category, r.status
FROM registration AS r JOIN person AS p ON p.id = r.person_id
LEFT JOIN organisation AS o ON o.id = p.organisation_id
WHERE {where}
ORDER BY p.family_name, p.given_name, r.id LIMIT ?"""
BARE_CHECK_INS = """SELECT registration_id, id, uuid, action, undoes, happened_at, desk FROM check_in
WHERE registration_id IN ({})"""
BARE_MATCH = "SELECT rowid FROM person_search WHERE person_search MATCH ?"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bare_search(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> int:
    """The same work by hand: the first window in name order, its check-ins, and the count
    (counted only when the window is full, as ours does)."""
    conn.execute("BEGIN")  # one snapshot for the queries, as ours reads in one transaction
    try:
        rows = conn.execute(BARE_PAGE.format(where=where), (*params, WINDOW)).fetchall()
        ids = [r[0] for r in rows]
        if ids:
            conn.execute(BARE_CHECK_INS.format(",".join("?" * len(ids))), ids).fetchall()
        if 0 < len(rows) < WINDOW:
            return len(rows)
        return int(conn.execute(BARE_COUNT.format(where=where), params).fetchone()[0])
    finally:
        conn.execute("ROLLBACK")


def bare_condition(event_id: int, term: str) -> tuple[str, tuple[object, ...]]:
    """The WHERE of the bare queries for ``term``: by name, or by name or badge code when the
    term can be a code (as the app does)."""
    from db.search import fts5_query, search_terms
    from desktop.core.person_search import code_prefix

    match = fts5_query(search_terms(term))
    code = code_prefix(term)
    if code is None:
        return BY_NAME, (event_id, match)
    after = code[:-1] + chr(ord(code[-1]) + 1)
    return BY_NAME_OR_CODE, (event_id, match, event_id, code, after)


def time_search(path: Path, event_id: int, terms: list[str], runs: int) -> list[tuple[str, int, float, float, float]]:
    from db.engine import open_database
    from db.search import fts5_query, search_terms
    from desktop.core.registrations import RegistrationFilter, find_registrations

    database = open_database(path)
    conn = sqlite3.connect(path, isolation_level=None)

    def ours_for(term: str) -> int:  # as the Registrations table reads its first window
        with database.read_raw() as read:
            page = find_registrations(read, event_id, RegistrationFilter(search=term, exact=True), limit=WINDOW)
        return page.total

    def match_only_for(match: str) -> int:
        return len(conn.execute(BARE_MATCH, (match,)).fetchall())

    results = []
    try:
        for term in terms:
            where, params = bare_condition(event_id, term)
            ours = partial(ours_for, term)
            bare = partial(bare_search, conn, where, params)
            match_only = partial(match_only_for, fts5_query(search_terms(term)))
            for _ in range(3):  # the same count both ways; warm caches for both
                assert ours() == bare(), term
            timings: dict[str, list[float]] = {"ours": [], "bare": [], "match": []}
            for n in range(runs):
                order: list[tuple[str, Callable[[], int]]] = [("bare", bare), ("ours", ours), ("match", match_only)]
                for name, fn in (order if n % 2 else order[::-1]):
                    start = time.perf_counter()
                    fn()
                    timings[name].append(time.perf_counter() - start)
            results.append((term, ours(), median_ms(timings["bare"]), median_ms(timings["ours"]),
                            median_ms(timings["match"])))
        # The part of every search that is neither the queries nor our code: a read
        # transaction (Database.read_raw(): a pooled connection, BEGIN … ROLLBACK).
        sessions = []
        for _ in range(runs * 4):
            start = time.perf_counter()
            with database.read_raw():
                pass
            sessions.append(time.perf_counter() - start)
        results.append(("(session only)", 0, 0.0, median_ms(sessions), 0.0))
    finally:
        conn.close()
        database.close()
    return results


def settle_keys(path: Path) -> tuple[int, float]:
    """Make the skeletons of everyone the builder wrote (as after an upgrade): how many, seconds."""
    from db.engine import open_database
    from desktop.core.person_keys import settle_all

    database = open_database(path)
    try:
        start = time.perf_counter()
        made = settle_all(database)
        return made, time.perf_counter() - start
    finally:
        database.close()


def time_meant(path: Path, event_id: int, terms: list[str],
               runs: int) -> list[tuple[str, int, int, float, float, float, str]]:
    """Per text: (text, rows found, rows as typed, ms meant, ms as typed, ms also_found, what it says)."""
    from db.engine import open_database
    from desktop.core.registrations import RegistrationFilter, also_found, find_registrations

    database = open_database(path)
    results = []
    try:
        for term in terms:
            meant, typed = RegistrationFilter(search=term), RegistrationFilter(search=term, exact=True)

            def page_of(flt: RegistrationFilter) -> int:
                with database.read_raw() as read:
                    return find_registrations(read, event_id, flt, limit=WINDOW).total

            def said(flt: RegistrationFilter) -> str:
                with database.read_raw() as read:
                    return " | ".join(found.said for found in also_found(read, event_id, flt))

            timings: dict[str, list[float]] = {"meant": [], "typed": [], "also": []}
            for n in range(runs):
                order: list[tuple[str, Callable[[], object]]] = [
                    ("meant", partial(page_of, meant)), ("typed", partial(page_of, typed)),
                    ("also", partial(said, meant))]
                for name, fn in (order if n % 2 else order[::-1]):
                    start = time.perf_counter()
                    fn()
                    timings[name].append(time.perf_counter() - start)
            results.append((term, page_of(meant), page_of(typed), median_ms(timings["meant"]),
                            median_ms(timings["typed"]), median_ms(timings["also"]), said(meant)))
    finally:
        database.close()
    return results


def time_keystrokes(path: Path, terms: list[str], runs: int) -> list[tuple[str, int, float]]:
    """Keystroke → repainted table, offscreen, on the Registrations section of the window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from db.engine import open_database
    from desktop.ui.shell import style
    from desktop.ui.shell.main_window import REGISTRATIONS, MainWindow

    app = QApplication.instance() or QApplication([])
    style.apply(app)  # type: ignore[arg-type]
    database = open_database(path)
    settings_dir = tempfile.mkdtemp(prefix="cd-bench-")
    window = MainWindow(database, QSettings(os.path.join(settings_dir, "s.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    window.show_section(REGISTRATIONS)
    app.processEvents()
    page = window.registrations_page
    viewport = page.view.viewport()
    results = []
    try:
        for term in terms:
            samples = []
            for _ in range(runs):
                page.search_field.setText("x")  # another list first, so every run resets the model
                page._apply_filter()  # noqa: SLF001
                app.processEvents()
                start = time.perf_counter()
                page.search_field.setText(term)   # the keystroke: text changed, debounce started
                page.search_timer.stop()          # … its 150 ms left out: the search runs now
                page._apply_filter()  # noqa: SLF001 — what the timer's timeout calls
                viewport.repaint()                # paints the visible rows, synchronously
                samples.append(time.perf_counter() - start)
                app.processEvents()
            results.append((term, page.model.total, median_ms(samples)))
    finally:
        window.close()
        database.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database here (or reuse it if it exists)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cd-search-bench-") as tmp:
        path = args.keep or Path(tmp) / "bench.sqlite"
        if path.exists():
            event_id = 1
            print(f"reusing {path}")
        else:
            start = time.perf_counter()
            event_id = build(path, args.rows)
            print(f"built {args.rows:,} registrations in {time.perf_counter() - start:.1f} s ({path})")
        with sqlite3.connect(path) as conn:
            code = conn.execute("SELECT badge_code FROM registration ORDER BY id LIMIT 1 OFFSET 777").fetchone()[0]
        terms = ["сәрс", "ахмет", "wisn", "Wiśniewska", "ministry just", "сәрс айгерім", "а", code[:4]]

        print(f"\nsearch: median of {args.runs} runs, first window of {WINDOW} rows and the count")
        print(f"{'term':16} {'matches':>8} {'bare ms':>9} {'ours ms':>9} {'ratio':>6}   {'MATCH only ms':>13}")
        measured = time_search(path, event_id, terms, args.runs)
        session_ms = measured.pop()[3]
        for term, total, bare, ours, match in measured:
            print(f"{term:16} {total:8,} {bare:9.2f} {ours:9.2f} {ours / bare:6.2f}   {match:13.2f}")
        worst = max(ours / bare for _, _, bare, ours, _ in measured)
        slow = [ours / bare for _, _, bare, ours, _ in measured if bare >= 1.0]
        extra = max(ours - bare for _, _, bare, ours, _ in measured if bare < 1.0) if len(slow) < len(measured) else 0.0
        print("(bare = the same window, check-ins and count by hand with sqlite3, in one read transaction)")
        print(f"worst ratio, every term: {worst:.2f} — {'meets' if worst <= TARGET else 'MISSES'} "
              f"the ≤ {TARGET:g}× target")
        if slow:
            worst_slow = max(slow)
            print(f"worst ratio, terms whose bare query takes ≥ 1 ms: {worst_slow:.2f} — "
                  f"{'meets' if worst_slow <= TARGET else 'MISSES'} the target")
        if extra:
            print(f"below 1 ms the difference is a fixed cost per search: at most {extra:.2f} ms here, "
                  f"of which {session_ms:.2f} ms is the read transaction "
                  "(Database.read_raw(): pooled connection, BEGIN, ROLLBACK) that bare sqlite3 does not pay")

        made, seconds = settle_keys(path)
        print(f"\nwhat was meant: the skeletons of {made:,} people written behind core's back made in "
              f"{seconds:.1f} s (person_keys.settle_all, once; the window does it in the background)")
        print(f"{'text':16} {'rows':>7} {'as typed':>9} {'ms':>7} {'typed ms':>9} {'also ms':>8}   the page says")
        for term, total, typed, ms, typed_ms, also_ms, said in time_meant(
                path, event_id, MEANT, args.runs):
            print(f"{term:16} {total:7,} {typed:9,} {ms:7.2f} {typed_ms:9.2f} {also_ms:8.2f}   {said}")

        keys = max(5, args.runs // 2)
        print(f"\nkeystroke → repainted table (offscreen 1280×800 window, median of {keys}; "
              "the 150 ms typing pause before a search is not included)")
        for term, total, ms in time_keystrokes(path, ["сәрс", "ахмет", "а", "", "жжжж", *MEANT[:4]], keys):
            label = term or "(cleared: everyone)"
            print(f"{label:22} {total:8,} rows {ms:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
