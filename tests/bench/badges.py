"""1,000 badges with QR codes (issue 5: ≤ 1.3× a bare ReportLab canvas drawing the same
badges with ``QrCode(...).drawOn``, in the same run).

1. Builds a temporary SQLite database with one event and 1,000 registrations (names in
   Kazakh, Russian and Latin letters, 40 organisations, a few moderators in the agenda).
2. Reads once, untimed, the strings our badges print (name, position, organisation,
   category word, code, the event's title).
3. Runs, interleaved, N times each:
   (a) bare: a ``Canvas`` on A4 with the bundled fonts, 8 badges a page at fixed places:
       the title, name, position and organisation with ``drawString``, the band with
       ``rect`` and its word, ``QrCode(code, …).drawOn`` and the code; ``save``;
   (b) ours: ``export_badges(database, path, event_id, layout="a4-8")`` — the query, the
       sort, the name fitting, crop marks, the temporary file, fsync and rename.
4. Prints the medians and the ratio against the target.

    python tests/bench/badges.py [-n 3] [--badges 1000]
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
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
        c.setFont(fonts.regular, 6.5)
        c.drawString(x + 4 * mm, y + bh - 8 * mm, title[:70])
        c.setFillColorRGB(0, 0, 0)
        c.setFont(fonts.bold, 18)
        c.drawString(x + 4 * mm, y + 40 * mm, b.name)
        c.setFont(fonts.regular, 7.5)
        c.drawString(x + 4 * mm, y + 34 * mm, b.position)
        c.setFont(fonts.bold, 7.5)
        c.drawString(x + 4 * mm, y + 30 * mm, b.organisation)
        c.setFillColor(colours[b.category])
        c.rect(x, y, bw, 11 * mm, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(fonts.bold, 11)
        c.drawString(x + 4 * mm, y + 4 * mm, badge_word(b.category, "en").upper())
        c.setFillColorRGB(0, 0, 0)
        QrCode(b.code, width=28 * mm, height=28 * mm, qrBorder=4, qrLevel="M").drawOn(c, x + 66 * mm, y + 14 * mm)
        c.setFont(fonts.regular, 7)
        c.drawCentredString(x + 80 * mm, y + 12 * mm, b.code)
    c.save()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--badges", type=int, default=1000)
    args = parser.parse_args()

    from db.engine import open_database
    from desktop.exports.badges import BadgeData, export_badges
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import load_attendees, load_event

    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "bench.sqlite"
        t = time.perf_counter()
        event_id = build(db_path, args.badges)
        print(f"built {args.badges} registrations in {time.perf_counter() - t:.1f} s")
        database = open_database(db_path)
        try:
            with database.read() as s:
                title = load_event(s, event_id).title
                badges = [BadgeData.of(a) for a in load_attendees(s, event_id)]
            wall: dict[str, list[float]] = {"bare": [], "ours": []}
            cpu: dict[str, list[float]] = {"bare": [], "ours": []}
            for run in range(args.n):
                for name in ("bare", "ours"):
                    t, c = time.perf_counter(), time.process_time()
                    if name == "bare":
                        bare(folder / f"bare{run}.pdf", title, badges)
                    else:
                        result = export_badges(database, folder / f"ours{run}.pdf", event_id, layout="a4-8")
                        assert result.items == args.badges
                    wall[name].append(time.perf_counter() - t)
                    cpu[name].append(time.process_time() - c)
                print(f"run {run + 1}: bare {wall['bare'][-1]:.2f} s (cpu {cpu['bare'][-1]:.2f}), "
                      f"ours {wall['ours'][-1]:.2f} s (cpu {cpu['ours'][-1]:.2f})")
        finally:
            database.close()
    print(f"{args.badges} badges, medians of {args.n}:")
    for label, series in (("wall", wall), ("cpu", cpu)):
        bare_m, ours_m = statistics.median(series["bare"]), statistics.median(series["ours"])
        ratio = ours_m / bare_m
        print(f"  {label:4}: bare canvas {bare_m:.2f} s, export_badges {ours_m:.2f} s, ratio {ratio:.2f}× "
              f"(target ≤ {TARGET}×: {'OK' if ratio <= TARGET else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
