"""10,000 badges with QR codes (issues 5 and 11: ≤ 1.3× a bare ReportLab canvas drawing the
same badges with ``QrCode(...).drawOn``, in the same run; memory flat as the list grows).

1. Builds, for each list size (2,500 and 10,000 by default), a temporary SQLite database
   with one event and that many registrations (names in
   Kazakh, Russian and Latin letters, 40 organisations, a few moderators in the agenda).
2. Reads once, untimed, the strings our badges print (name, position, organisation,
   category word, code, the event's title).
3. Runs, interleaved, N times each, each run in a forked process of its own (so its peak
   memory is its own: the peak resident size after, less the size at the start):
   (a) bare: a ``Canvas`` on A4 with the bundled fonts, 8 badges a page at fixed places:
       the title, name, position and organisation with ``drawString``, the band with
       ``rect`` and its word, ``QrCode(code, …).drawOn`` and the code; ``save``;
   (b) ours: ``export_badges(database, path, event_id, layout="a4-8")`` — the query, the
       sort, the name fitting, crop marks, the temporary file, fsync and rename.
4. Prints the medians and the ratio against the target, and each one's memory growth: a
   bare canvas keeps every page until it saves, so it grows with the pages; ours writes
   them in parts (``PageWriter``, 250 pages each, joined at the end: issue 13, 100,000
   badges on 12,500 pages) and reads its people a batch at a time (``PrintList``), so
   neither grows with the list (its text-fitting caches are bounded).

    python tests/bench/badges.py [-n 3] [--badges 2500 10000 100000] [--folder /tmp/bench-me]

``--folder`` keeps the databases it builds (100,000 people take a few minutes) for the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

GIVEN = ["Айгерим", "Нұрлан", "Ерлан", "Әсем", "Ольга", "Сергей", "Anna", "Piotr", "Ingrid", "Jean-Luc", "Ғалым"]
FAMILY = ["Сәрсенбаев", "Ахметов", "Иванов", "Жиенбаев", "Kowalski", "Hansen", "Dubois", "Өмірзақов", "Smith",
          "Ковалёв", "Тулегенов", "Nowak"]
POSITIONS = ["Судья", "Главный специалист", "Researcher", "First Secretary", "Аға оқытушы", "Head of Unit"]


def build(path: Path, n: int) -> int:
    from db.engine import open_database
    from db.models import Category, Event, Organisation, Person, Registration, Sector, Status

    rng = random.Random(5)
    database = open_database(path)
    try:
        with database.write() as s:
            event = Event(title={"en": "Improving the Effectiveness of the Justice System in Kazakhstan: "
                                 "Achievements and Initiatives"},
                          starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
            s.add(event)
            orgs = [Organisation(name={"en": f"Organisation number {i} of the Republic of Kazakhstan"},
                                 sector=rng.choice(list(Sector))) for i in range(40)]
            s.add_all(orgs)
            for i in range(n):
                person = Person(given_name=rng.choice(GIVEN), family_name=f"{rng.choice(FAMILY)}{i}",
                                position={"en": rng.choice(POSITIONS)}, organisation=rng.choice(orgs))
                s.add(Registration(event=event, person=person, badge_code=f"B{i:05d}",
                                   category=rng.choice(list(Category)), status=Status.CONFIRMED))
            s.flush()
            return event.id
    finally:
        database.close()


def bare(path: Path, title: str, badges: list) -> None:  # type: ignore[type-arg]
    """The same badges on a bare canvas: fixed places, the same strings, fonts and QR codes."""
    from reportlab.graphics.barcode.qr import QrCode
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    from desktop.exports.badges import PALETTE
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import badge_word

    fonts = register_fonts()
    mm = 72 / 25.4
    c = Canvas(str(path), pagesize=(210 * mm, 297 * mm), initialFontName=fonts.regular)
    colours = {k: HexColor(v) for k, v in PALETTE.items()}
    bw, bh = 95 * mm, 68 * mm
    for i, b in enumerate(badges):
        n = i % 8
        if i and n == 0:
            c.showPage()
        x, y = 10 * mm + (n % 2) * bw, 297 * mm - 12.5 * mm - (n // 2 + 1) * bh
        c.setFillColorRGB(0.3, 0.3, 0.3)
        c.setFont(fonts.regular, 9)
        c.drawString(x + 4 * mm, y + bh - 8 * mm, title[:50])
        c.drawString(x + 4 * mm, y + bh - 12 * mm, title[50:100])
        c.setFillColorRGB(0, 0, 0)
        c.setFont(fonts.bold, 18)
        c.drawString(x + 4 * mm, y + 40 * mm, b.name)
        c.setFont(fonts.regular, 9.5)
        c.drawString(x + 4 * mm, y + 34 * mm, b.position)
        c.setFont(fonts.bold, 9.5)
        c.drawString(x + 4 * mm, y + 30 * mm, b.organisation)
        c.setFillColor(colours[b.category])
        c.rect(x, y, bw, 11 * mm, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(fonts.bold, 11)
        c.drawString(x + 4 * mm, y + 4 * mm, badge_word(b.category, "en").upper())
        c.setFillColorRGB(0, 0, 0)
        QrCode(b.code, width=21 * mm, height=21 * mm, qrBorder=4, qrLevel="M").drawOn(c, x + 73 * mm, y + 14 * mm)
        c.setFont(fonts.regular, 9)
        c.drawCentredString(x + 80 * mm, y + 12 * mm, b.code)
    c.save()


def _child(queue: Any, name: str, path: Path, db_path: Path, event_id: int, title: str,
           badges: list) -> None:  # type: ignore[type-arg]
    """One run in a forked process: its wall and cpu time and how much its memory grew."""
    from db.engine import open_database
    from desktop.exports.badges import export_badges

    def work() -> None:
        if name == "bare":
            bare(path, title, badges)
            return
        database = open_database(db_path)
        try:
            result = export_badges(database, path, event_id, layout="a4-8")
            assert result.items == len(badges)
        finally:
            database.close()

    queue.put(measured(work))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1, help="runs of each (default 1)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="keep the built databases here and reuse them (default: a temporary folder)")
    parser.add_argument("--badges", type=int, nargs="+", default=[2500, 10000],
                        help="list sizes (default 2500 10000): the time at each, and the memory as it grows")
    args = parser.parse_args()

    import multiprocessing

    from db.engine import open_database
    from desktop.exports.badges import BadgeData
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import load_attendees, load_event

    register_fonts()
    fork = multiprocessing.get_context("fork")
    summary = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kept = args.folder or folder
        kept.mkdir(parents=True, exist_ok=True)
        for size in args.badges:
            db_path = kept / f"{Path(__file__).stem}{size}.sqlite"
            if db_path.exists():
                event_id = 1  # the only event of a database built here
            else:
                t = time.perf_counter()
                event_id = build(db_path, size)
                print(f"built {size} registrations in {time.perf_counter() - t:.1f} s")
            database = open_database(db_path)
            try:
                with database.read() as s:
                    title = load_event(s, event_id).title
                    badges = [BadgeData.of(a) for a in load_attendees(s, event_id)]
            finally:
                database.close()
            runs: dict[str, list[tuple[float, float, float]]] = {"bare": [], "ours": []}
            for run in range(args.n):
                for name in ("bare", "ours"):
                    queue = fork.Queue()
                    child = fork.Process(target=_child, args=(queue, name, folder / f"{name}{run}.pdf", db_path,
                                                              event_id, title, badges))
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
            print(f"  {size:6} {label}: bare canvas {med['bare'][i]:.2f} s, export_badges {med['ours'][i]:.2f} s, "
                  f"ratio {ratio:.2f}× (target ≤ {TARGET}×: {'OK' if ratio <= TARGET else 'OVER'})")
        print(f"  {size:6} memory: bare +{med['bare'][2]:.0f} MB, export_badges +{med['ours'][2]:.0f} MB "
              f"(ours − bare: {med['ours'][2] - med['bare'][2]:+.0f} MB)")
    if len(summary) > 1:
        (n0, m0), (n1, m1) = summary[0], summary[-1]
        extra = ((m1["ours"][2] - m1["bare"][2]) - (m0["ours"][2] - m0["bare"][2])) / (n1 - n0) * 1000
        print(f"  what ours adds beyond bare grows by {extra:+.1f} MB per 1,000 badges ({n0} → {n1})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
