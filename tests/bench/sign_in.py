"""A 10,000-person sign-in sheet (issue 11: within 1.3× of a bare ReportLab script drawing the
same pages, in the same run; memory flat as the list grows).

1. Builds, for each list size (2,500 and 10,000 by default), a temporary SQLite database with
   one event and that many registrations: names in Kazakh, Russian and Latin letters (some
   long and hyphenated), 40 organisations (some of 150+ characters), positions, sectors.
2. Makes the sheet once, untimed, to count its pages, and reads the strings it prints (the
   listed name, organisation, position; the title, dates and place).
3. Runs, interleaved, N times each, each run in a forked process of its own (its peak memory
   is its own: the peak resident size after, less the size at the start):
   (a) bare: a ``Canvas`` on A4 with the bundled fonts drawing the same pages: as many rows a
       page as ours printed on average, each row's number, name (surname bold), organisation
       and position with ``drawString`` (their lines wrapped beforehand, untimed, with
       ``hyphenation.wrap_hyphenated``), the row's rule, the column lines, the page's heading,
       column heads and "Page N of M"; ``save``;
   (b) ours: ``export_sign_in_sheet(database, path, event_id, lang=…)`` — the query, the
       sort, measuring and wrapping every cell (hyphenation), planning the pages (no heading
       left alone), the temporary file, fsync and rename.
4. Prints each run, then the medians, the ratio against the target, and each one's memory
   growth per 1,000 people. A bare canvas keeps every page until it saves, so it grows with
   the pages; ours writes a long list in parts (``PageWriter``, 250 pages each, joined at
   the end) and reads its people a batch at a time (``PrintList``), so neither the pages
   nor the people of a list of 100,000 are held whole (issue 13).

Not part of the test suite's pass/fail:

    python tests/bench/sign_in.py [-n 3] [--people 2500 10000 100000] [--lang ru] [--folder /tmp/bench-me]

``--folder`` keeps the databases it builds (100,000 people take a few minutes) for the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout

from tests.process_memory import measured  # noqa: E402 - after the path is set

TARGET = 1.3

GIVEN = ["Айгерім", "Нұрлан", "Ерлан", "Әсем", "Ольга", "Сергей", "Anna", "Piotr", "Ingrid", "Jean-Luc", "Ғалым",
         "Karl Friedrich", "Гүлназ"]
FAMILY = ["Сәрсенбаев", "Ахметов", "Иванов", "Жиенбаев", "Kowalski", "Hansen", "Dubois", "Өмірзақов", "Smith",
          "Ковалёв", "Тулегенов", "Nowak", "Дүйсенбекова-Сатпаева", "Freiherr von Hohenzollern-Sigmaringen",
          "Константинопольский-Преображенский"]
PATRONYMICS = ["Сергеевич", "Әбдіқадырқызы", "Болатұлы", "Викторовна", None, None]
POSITIONS = ["Судья", "Главный специалист", "Researcher", "First Secretary", "Аға оқытушы", "Head of Unit",
             "Заместитель руководителя отдела международного сотрудничества и правового сопровождения программ"]


def build(path: Path, n: int) -> int:
    from db.engine import open_database
    from db.models import Category, Event, Organisation, Person, Registration, Sector, Status
    from desktop.core.collation import store_sort_keys

    rng = random.Random(11)
    database = open_database(path)
    try:
        with database.write() as s:
            event = Event(title={"en": "International Conference on Judicial Independence and Access to Justice",
                                 "ru": "Международная конференция по вопросам независимости судебной власти"},
                          starts_on=dt.date(2025, 3, 13), ends_on=dt.date(2025, 3, 14), timezone="Asia/Almaty",
                          venue={"en": "Supreme Court", "ru": "Верховный Суд"}, city={"en": "Astana", "ru": "Астана"})
            s.add(event)
            orgs = []
            for i in range(40):
                long = i % 5 == 0
                name = (f"Департамент координации подготовки судей и международного сотрудничества Академии "
                        f"правосудия при Верховном Суде Республики Казахстан, отдел номер {i}" if long else
                        f"Организация номер {i} Республики Казахстан")
                orgs.append(Organisation(name={"ru": name, "en": name}, sector=rng.choice(list(Sector))))
            s.add_all(orgs)
            for i in range(n):
                person = Person(given_name=rng.choice(GIVEN), family_name=f"{rng.choice(FAMILY)}{i}",
                                patronymic=rng.choice(PATRONYMICS), position={"ru": rng.choice(POSITIONS)},
                                organisation=rng.choice(orgs))
                s.add(Registration(event=event, person=person, badge_code=f"S{i:05d}",
                                   category=rng.choice(list(Category)), status=Status.CONFIRMED))
            s.flush()
            store_sort_keys(s)
            return event.id
    finally:
        database.close()


Row = tuple[str, str, list[str], list[str]]
"""A row for the bare script: surname, the rest of the name, the lines of organisation and position."""

MM = 72 / 25.4
COLUMNS_MM = (0, 9, 58, 112, 150, 180)  # from the left margin: number, name, organisation, position, signature


def bare_rows(people: list[Any]) -> list[Row]:
    """The strings a sheet prints, the organisation and position already wrapped to their
    columns (untimed: the bare script only draws, as ours must also measure and wrap)."""
    from desktop.exports.fonts import register_fonts
    from desktop.exports.hyphenation import wrap_hyphenated

    regular = register_fonts().regular
    org_w = (COLUMNS_MM[3] - COLUMNS_MM[2]) * MM - 6
    pos_w = (COLUMNS_MM[4] - COLUMNS_MM[3]) * MM - 6
    return [(p.family, (p.listed or p.name).replace(p.family, "").strip(),
             wrap_hyphenated(p.organisation, regular, 8.5, org_w), wrap_hyphenated(p.position, regular, 8.5, pos_w))
            for p in people]


def bare(path: Path, heading: list[str], rows: list[Row], per_page: int) -> None:
    """The same rows on a bare canvas: the same strings (wrapped lines) and fonts, as many rows a
    page as ours, each as high as its lines."""
    from reportlab.pdfgen.canvas import Canvas

    from desktop.exports.fonts import register_fonts

    fonts = register_fonts()
    mm = MM
    width, height = 210 * mm, 297 * mm
    margin, row_min, leading = 15 * mm, 11 * mm, 10.2
    columns = [margin + x * mm for x in COLUMNS_MM]
    c = Canvas(str(path), pagesize=(width, height), initialFontName=fonts.regular)
    pages = max(1, math.ceil(len(rows) / per_page))
    for page in range(pages):
        if page:
            c.showPage()
        y = height - 14 * mm
        c.setFont(fonts.bold, 11)
        c.drawString(margin, y, heading[0])
        c.setFont(fonts.regular, 9)
        c.drawString(margin, y - 13, heading[1])
        y -= 14 * mm
        c.setFont(fonts.bold, 8)
        for x, head in zip(columns, heading[2:], strict=False):
            c.drawString(x + 2, y + 4, head)
        c.setLineWidth(0.5)
        c.line(margin, y, width - margin, y)
        top = y
        for number, (family, rest, organisation, position) in enumerate(
                rows[page * per_page:(page + 1) * per_page], start=page * per_page + 1):
            row_h = max(row_min, (max(2, len(organisation), len(position)) * leading) + 6)
            y -= row_h
            first = y + row_h - 10
            c.setFont(fonts.regular, 8.5)
            c.drawRightString(columns[1] - 3, first, str(number))
            c.setFont(fonts.bold, 8.5)
            c.drawString(columns[1] + 3, first, family)
            c.setFont(fonts.regular, 8.5)
            c.drawString(columns[1] + 3, first - leading, rest)
            for n, line in enumerate(organisation):
                c.drawString(columns[2] + 3, first - n * leading, line)
            for n, line in enumerate(position):
                c.drawString(columns[3] + 3, first - n * leading, line)
            c.setLineWidth(0.3)
            c.line(margin, y, width - margin, y)
        for x in columns:
            c.line(x, y, x, top)
        c.setFont(fonts.regular, 8)
        c.drawString(margin, 8 * mm, heading[0])
        c.drawRightString(width - margin, 8 * mm, f"Page {page + 1} of {pages}")
    c.save()


def _child(queue: Any, name: str, path: Path, db_path: Path, event_id: int, lang: str, heading: list[str],
           rows: list[Row], per_page: int) -> None:
    """One run in a forked process: its wall and cpu time and how much its memory grew."""
    from db.engine import open_database
    from desktop.exports.sign_in import export_sign_in_sheet

    def work() -> None:
        if name == "bare":
            bare(path, heading, rows, per_page)
            return
        database = open_database(db_path)
        try:
            result = export_sign_in_sheet(database, path, event_id, lang=lang)
            assert result.items == len(rows)
        finally:
            database.close()

    queue.put(measured(work))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="keep the built databases here and reuse them (default: a temporary folder)")
    parser.add_argument("--people", type=int, nargs="+", default=[2500, 10000],
                        help="list sizes (default 2500 10000): the time at each, and the memory as it grows")
    parser.add_argument("--lang", default="ru", choices=("en", "ru", "kk"))
    args = parser.parse_args()

    import multiprocessing

    from db.engine import open_database
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import load_attendees, load_event
    from desktop.exports.sign_in import export_sign_in_sheet

    register_fonts()
    fork = multiprocessing.get_context("fork")
    summary = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kept = args.folder or folder
        kept.mkdir(parents=True, exist_ok=True)
        for size in args.people:
            db_path = kept / f"{Path(__file__).stem}{size}.sqlite"
            if db_path.exists():
                event_id = 1  # the only event of a database built here
            else:
                t = time.perf_counter()
                event_id = build(db_path, size)
                print(f"built {size} registrations in {time.perf_counter() - t:.1f} s")
            database = open_database(db_path)
            try:
                pages = export_sign_in_sheet(database, folder / "count.pdf", event_id, lang=args.lang).pages
                with database.read() as s:
                    event = load_event(s, event_id, args.lang)
                    people = load_attendees(s, event_id, args.lang)
            finally:
                database.close()
            rows = bare_rows(people)
            heading = [event.title, f"{event.dates} · {event.place}", "No.", "Name", "Organisation", "Position",
                       "Signature"]
            per_page = math.ceil(size / pages)
            print(f"  ours prints {pages} pages: {per_page} rows a page for bare")
            runs: dict[str, list[tuple[float, float, float]]] = {"bare": [], "ours": []}
            for run in range(args.n):
                for name in ("bare", "ours"):
                    queue = fork.Queue()
                    child = fork.Process(target=_child, args=(queue, name, folder / f"{name}{run}.pdf", db_path,
                                                              event_id, args.lang, heading, rows, per_page))
                    child.start()
                    runs[name].append(queue.get())
                    child.join()
                    wall, cpu, grown = runs[name][-1]
                    print(f"  {size} {name}: {wall:.2f} s (cpu {cpu:.2f}), memory +{grown:.0f} MB")
            med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
            summary.append((size, med))
    print(f"medians of {args.n}:")
    for size, med in summary:
        for i, label in ((0, "wall"), (1, "cpu")):
            ratio = med["ours"][i] / med["bare"][i]
            print(f"  {size:6} {label}: bare canvas {med['bare'][i]:.2f} s, export_sign_in_sheet "
                  f"{med['ours'][i]:.2f} s, ratio {ratio:.2f}× (target ≤ {TARGET}×: "
                  f"{'OK' if ratio <= TARGET else 'OVER'})")
        print(f"  {size:6} memory: bare +{med['bare'][2]:.0f} MB, export_sign_in_sheet +{med['ours'][2]:.0f} MB "
              f"(+{(med['ours'][2] - med['bare'][2]) / size * 1000:.1f} MB per 1,000 people more than bare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
