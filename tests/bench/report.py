"""The participation report of a 10,000-registration event (issue 11: ≤ 1.3× a bare ReportLab
script drawing the same pages, in the same run; the demo's report in under a second).

1. Builds a temporary SQLite database with the event of ``tests/exports/big_event.py``
   (10,000 registrations over three days, check-ins, an agenda with speakers).
2. Reads once, untimed, the figures and the strings the report prints.
3. Runs, interleaved, N times each:
   (a) bare: a ``Canvas`` on A4 with the bundled fonts drawing the same pages at fixed
       places: the header, the four key figures, the same four bar charts
       (``reportlab.graphics`` ``HorizontalBarChart``/``VerticalBarChart`` drawn with
       ``renderPDF.draw``), every table row with ``drawString``, the footers; ``save``;
   (b) ours, drawing only: ``write_report`` with the figures read already (the layout,
       measuring, pagination, the temporary file, fsync and rename);
   (c) ours, whole: ``export_report(database, path, event_id)`` — the grouped queries too.
4. Prints the medians and the ratios against the target, and the demo's whole report.

    python tests/bench/report.py [-n 5] [--registrations 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
TARGET = 1.3


def bare(path: Path, title: str, tables: list[tuple[str, list[list[str]]]],
         charts: list[tuple[list[str], list[list[int]]]]) -> int:
    """The same pages on a bare canvas: fixed places, the same strings, fonts and charts."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    from desktop.exports.fonts import register_fonts

    fonts = register_fonts()
    mm = 72 / 25.4
    width, height = 210 * mm, 297 * mm
    colours = [HexColor("#D9822B"), HexColor("#2F6DB5"), HexColor("#AEB6C1")]
    c = Canvas(str(path), pagesize=(width, height), initialFontName=fonts.regular)  # type: ignore[arg-type]
    pages = 1

    def footer() -> None:
        c.setFont(fonts.regular, 8)
        c.drawString(18 * mm, 13 * mm, "Printed on 2 March 2026")
        c.drawRightString(width - 18 * mm, 13 * mm, f"Page {pages} of 5")

    y = height - 20 * mm
    c.setFont(fonts.bold, 15)
    c.drawString(18 * mm, y, title[:80])
    y -= 30 * mm
    for k in range(4):
        c.roundRect(18 * mm + k * 44 * mm, y, 41 * mm, 22 * mm, 2 * mm, stroke=0, fill=1)
    for categories, series in charts:
        if y < 90 * mm:
            footer()
            c.showPage()
            pages += 1
            y = height - 20 * mm
        chart: Any = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = 45 * mm, 10 * mm, 110 * mm, len(categories) * 7 * mm
        chart.data = series
        chart.categoryAxis.categoryNames = categories
        chart.categoryAxis.style = "stacked"
        chart.categoryAxis.labels.fontName = fonts.regular
        chart.valueAxis.labels.fontName = fonts.regular
        for n, colour in enumerate(colours[:len(series)]):
            chart.bars[n].fillColor = colour
        drawing: Any = Drawing(174 * mm, chart.height + 20 * mm)
        drawing.initialFontName = fonts.regular
        drawing.add(chart)
        y -= drawing.height
        renderPDF.draw(drawing, c, 18 * mm, y)
    for heading, rows in tables:
        if y < 40 * mm + 6 * mm * len(rows):
            footer()
            c.showPage()
            pages += 1
            y = height - 20 * mm
        c.setFont(fonts.bold, 10.5)
        c.drawString(18 * mm, y, heading)
        y -= 8 * mm
        for row in rows:
            c.setFont(fonts.regular, 9)
            c.drawString(19 * mm, y, row[0])
            for n, cell in enumerate(row[1:]):
                c.drawRightString(100 * mm + n * 22 * mm, y, cell)
            c.line(18 * mm, y - 2 * mm, width - 18 * mm, y - 2 * mm)
            y -= 5.6 * mm
    footer()
    c.save()
    return pages


def strings(figures: Any) -> tuple[list[tuple[str, list[list[str]]]], list[tuple[list[str], list[list[int]]]]]:
    """The tables' and charts' strings and numbers the report prints (English)."""
    from desktop.core import vocabulary
    from desktop.core.attendee_list import STAGES
    from desktop.core.participation import GENDERS
    from desktop.exports.report import STAGE_TABLES, ReportWords, country_name, gender_row, stage_rows

    rw = ReportWords("en")
    tables = []
    for stage in STAGES:
        rows, total = stage_rows(figures, stage, rw)
        tables.append((STAGE_TABLES[stage], [*rows, total]))
    tables.append(("On the podium", [gender_row(vocabulary.role(k, "en", several=True),
                                                [figures.podium[k][g] for g in GENDERS], rw) for k in figures.podium]))
    tables.append(("People by country", [[country_name(c.code, "en"), str(c.registered), str(c.attended)]
                                         for c in figures.countries]))
    tables.append(("Attendance by day", [[str(d), str(n)] for d, n in figures.days]))
    p = figures.participation
    sectors = p.sectors()
    charts = [
        ([rw.stage(s) for s in STAGES], [[p.stage_total(s, g) for s in STAGES] for g in GENDERS]),
        ([vocabulary.sector(s, "en") for s in sectors],
         [[p.by_stage["attended"].get((s, g), 0) for s in sectors] for g in GENDERS]),
        ([vocabulary.role(k, "en") for k in figures.podium], [[figures.podium[k][g] for k in figures.podium]
                                                              for g in GENDERS]),
        ([str(d) for d, _n in figures.days], [[n for _d, n in figures.days]]),
    ]
    return tables, charts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--registrations", type=int, default=10_000)
    args = parser.parse_args()

    from db.engine import open_database
    from desktop.core.demo import create_demo
    from desktop.core.participation import report_figures
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import load_event
    from desktop.exports.report import export_report, write_report
    from tests.exports.big_event import build_big_event

    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        database = open_database(folder / "bench.sqlite")
        event_id = build_big_event(database, args.registrations)
        print(f"built {args.registrations} registrations in {time.perf_counter() - t:.1f} s")
        try:
            with database.read() as s:
                figures = report_figures(s, event_id)
                event = load_event(s, event_id)
            tables, charts = strings(figures)
            times: dict[str, list[float]] = {"bare": [], "drawing": [], "whole": []}
            for run in range(args.n):
                for name in times:
                    t = time.perf_counter()
                    if name == "bare":
                        bare(folder / f"bare{run}.pdf", event.title, tables, charts)
                    elif name == "drawing":
                        write_report(folder / f"drawing{run}.pdf", event, figures)
                    else:
                        result = export_report(database, folder / f"whole{run}.pdf", event_id)
                        assert result.items == args.registrations
                    times[name].append(time.perf_counter() - t)
                print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.0f} ms" for k, v in times.items()))
        finally:
            database.close()

        demo = open_database(folder / "demo.sqlite")
        try:
            demo_id = create_demo(demo)
            demo_times = []
            for run in range(args.n):
                t = time.perf_counter()
                export_report(demo, folder / f"demo{run}.pdf", demo_id)
                demo_times.append(time.perf_counter() - t)
        finally:
            demo.close()

    bare_m = statistics.median(times["bare"])
    print(f"{args.registrations} registrations, medians of {args.n}:")
    print(f"  bare canvas {bare_m * 1000:.0f} ms")
    for name, label in (("drawing", "write_report (figures read already)"),
                        ("whole", "export_report (with its queries)")):
        m = statistics.median(times[name])
        ratio = m / bare_m
        print(f"  {label}: {m * 1000:.0f} ms, ratio {ratio:.2f}× (target ≤ {TARGET}×: "
              f"{'OK' if ratio <= TARGET else 'OVER'})")
    demo_m = statistics.median(demo_times)
    print(f"  the demo's report: {demo_m * 1000:.0f} ms ({'OK' if demo_m < 1 else 'OVER'} the second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
