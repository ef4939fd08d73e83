"""The participation report of a 10,000-registration event (issue 11: ≤ 1.3× a bare ReportLab
script drawing the same pages, in the same run; the demo's report in under a second).

1. Builds a temporary SQLite database with the event of ``tests/exports/big_event.py``
   (10,000 registrations over three days, check-ins, an agenda with speakers), and gives its
   partners a logo each (the report's header draws them).
2. Reads once, untimed, the figures and every string the report prints (numbers formatted,
   long lines wrapped): the bare script is handed its text, as a hand-written one would be.
3. Runs, interleaved, N times each:
   (a) bare drawing: a ``Canvas`` on A4 with the bundled fonts drawing the same pages at
       places worked out with a y-cursor: the header with the logos, the four key-figure
       boxes, the same four bar charts (``reportlab.graphics`` charts configured alike —
       legend, grid, totals at the bars' ends — drawn with ``renderPDF.draw``), every table
       (a filled header row, the rows, the bold total, the rules), the paragraphs, the
       footers with "Page N of M"; ``save``;
   (b) ours, drawing only: ``write_report`` with the figures read already (the layout,
       measuring, pagination, the temporary file, fsync and rename);
   (c) bare with queries: (a) after hand-written SQL on the DB-API connection (``sqlite3``)
       reading the same figures — the event, one grouped statement over the registrations
       with the check-in window once, the days, the podium;
   (d) ours, whole: ``export_report(database, path, event_id)``.
4. Prints the medians and the ratios (b)/(a) and (d)/(c) against the target, and the
   demo's whole report.

    python tests/bench/report.py [-n 7] [--registrations 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
TARGET = 1.3
MM = 72 / 25.4


@dataclass
class Chart:
    categories: list[str]
    series: list[list[int]]
    totals: list[str]
    legend: list[str] | None
    horizontal: bool = True


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    total: list[str] | None
    widths: list[float]  # points


@dataclass
class Text:
    """What the bare script prints: every string, formatted and wrapped already."""

    header: list[tuple[str, bool, float]] = field(default_factory=list)  # (line, bold, size)
    logos: list[bytes] = field(default_factory=list)
    boxes: list[tuple[str, str, str]] = field(default_factory=list)       # (label, number, note)
    # The sections in order: ("heading", str) | ("chart", Chart) | ("table", Table) | ("para", [lines])
    sections: list[tuple[str, Any]] = field(default_factory=list)
    printed: str = ""


def text_of(figures: Any, event: Any) -> Text:
    """Every string the English report prints, made with the report's own words (untimed)."""
    from reportlab.lib.utils import simpleSplit

    from desktop.core import formats, vocabulary
    from desktop.core.attendee_list import ATTENDED, REGISTERED, STAGES
    from desktop.core.countries import country_name
    from desktop.core.participation import GENDERS, share
    from desktop.exports.fonts import register_fonts
    from desktop.exports.report import GENDER_WIDTHS, STAGE_TABLES, ReportWords, gender_row, stage_rows

    fonts = register_fonts()
    rw = ReportWords("en")
    content = 174 * MM
    t = Text()
    t.header.append(("PARTICIPATION REPORT", True, 10))
    t.header += [(line, True, 15) for line in simpleSplit(event.title, fonts.bold, 15, content)]
    t.header.append((" · ".join(p for p in (event.dates, event.place) if p), False, 9))
    t.logos = [p.logo for p in event.partners if p.logo]
    t.header += [(f"{p.role}: {p.name}", False, 9) for p in event.partners]
    p = figures.participation
    for stage in STAGES:
        counts = [p.stage_total(stage, g) for g in GENDERS]
        t.boxes.append((rw.stage(stage), rw.number(sum(counts)), f"women: {rw.percent(share(counts))}"))
    heads = rw.gender_heads()

    def chart(categories: list[str], series: list[list[int]], legend: list[str] | None,
              horizontal: bool = True) -> None:
        totals = [rw.number(sum(s[k] for s in series)) for k in range(len(categories))]
        t.sections.append(("chart", Chart(categories, series, totals, legend, horizontal)))

    def table(header: list[str], rows: list[list[str]], total: list[str] | None, widths: tuple[float, ...]) -> None:
        scale = content / (sum(widths) * MM)
        t.sections.append(("table", Table(header, rows, total, [w * MM * scale for w in widths])))

    t.sections.append(("heading", "Participation by stage and gender"))
    chart([rw.stage(s) for s in STAGES], [[p.stage_total(s, g) for s in STAGES] for g in GENDERS], heads)
    sectors = p.sectors()
    t.sections.append(("heading", "Attended, by sector and gender"))
    chart([vocabulary.sector(s, "en") for s in sectors],
          [[p.by_stage[ATTENDED].get((s, g), 0) for s in sectors] for g in GENDERS], heads)
    header = ["Sector", *heads, "Total", "Women, %"]
    for stage in STAGES:
        t.sections.append(("heading", STAGE_TABLES[stage]))
        rows, total = stage_rows(figures, stage, rw)
        table(header, rows, total, GENDER_WIDTHS)
    t.sections.append(("heading", "On the podium: speakers, moderators and other roles, by gender"))
    kinds = list(figures.podium)
    chart([vocabulary.role(k, "en", several=True) for k in kinds],
          [[figures.podium[k][g] for k in kinds] for g in GENDERS], heads)
    table(["Role", *heads, "Total", "Women, %"],
          [gender_row(vocabulary.role(k, "en", several=True), [figures.podium[k][g] for g in GENDERS], rw)
           for k in kinds],
          gender_row("Everyone on the podium", [figures.podium_people[g] for g in GENDERS], rw), GENDER_WIDTHS)
    t.sections.append(("para", ["A person is counted once in each kind of role they have, and once in the total."]))
    t.sections.append(("heading", "Organisations and countries represented"))
    t.sections.append(("para", simpleSplit(
        f"Organisations: {figures.organisation_count(REGISTERED)} registered, {figures.organisation_count(ATTENDED)} "
        f"attended. Countries: {figures.country_count(REGISTERED)} registered, {figures.country_count(ATTENDED)} "
        "attended.", fonts.regular, 9, content)))
    orgs = figures.organisations
    table(["Organisations by sector", "Registered", "Attended"],
          [[vocabulary.sector(s, "en"), rw.number(orgs[REGISTERED].get(s, 0)), rw.number(orgs[ATTENDED].get(s, 0))]
           for s in figures.organisation_sectors()],
          ["Total", rw.number(figures.organisation_count(REGISTERED)),
           rw.number(figures.organisation_count(ATTENDED))], (110, 32, 32))
    table(["People by country", "Registered", "Attended"],
          [[country_name(c.code, "en"), rw.number(c.registered), rw.number(c.attended)] for c in figures.countries],
          ["Total", rw.number(sum(c.registered for c in figures.countries)),
           rw.number(sum(c.attended for c in figures.countries))], (110, 32, 32))
    t.sections.append(("heading", "Attendance by day"))
    chart([formats.day_month(d, "en") for d, _n in figures.days], [[n for _d, n in figures.days]], None,
          horizontal=False)
    table(["Day", "People checked in"], [[formats.date(d, "en", "full"), rw.number(n)] for d, n in figures.days],
          None, (120, 54))
    t.sections.append(("heading", "What the figures count"))
    t.sections.append(("para", simpleSplit(
        "Invited: every registration of the event, whatever its status now (declined and cancelled too). "
        "Registered: registered or confirmed, or checked in. Confirmed: confirmed, or checked in. "
        "Attended: checked in at a registration desk. Each stage holds the next. "
        "Sectors are those of the people's organisations; gender as the people stated it. "
        f"Days are in the event's time zone ({figures.timezone}); a person is counted on each day they "
        "were checked in.", fonts.regular, 8, content)))
    t.printed = "Printed on 2 March 2026"
    return t


def bare(path: Path, t: Text) -> int:
    """The same pages on a bare canvas: a y-cursor, the same strings, fonts, logos, charts."""
    from io import BytesIO

    from reportlab.graphics import renderPDF
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from desktop.exports.fonts import register_fonts

    fonts = register_fonts()
    width, height = 210 * MM, 297 * MM
    left, content, foot = 18 * MM, 174 * MM, 18 * MM
    row_h = 9 * 1.22 + 3.2 * MM  # a row of one line of 9 pt with its padding, as the report's
    accent, ink, grey, rule, fill = (HexColor(v) for v in ("#1F4E8C", "#111111", "#5F6B7A", "#9AA6B8", "#E3EAF4"))
    colours = [HexColor("#D9822B"), HexColor("#2F6DB5"), HexColor("#AEB6C1")]
    c = Canvas(str(path), pagesize=(width, height), initialFontName=fonts.regular,  # type: ignore[arg-type]
               pageCompression=1)

    def chart_drawing(ch: Chart) -> Drawing:
        n = len(ch.categories)
        legend_h = 8 * MM if ch.legend else 0
        if ch.horizontal:
            chart: Any = HorizontalBarChart()
            chart.x, chart.y, chart.width, chart.height = 45 * MM, 6 * MM + legend_h, 117 * MM, n * 7 * MM
            chart.categoryAxis.reverseDirection = 1
            chart.categoryAxis.labels.boxAnchor = "e"
            chart.categoryAxis.style = "stacked"
            total_h = chart.height + 8 * MM + legend_h
        else:
            chart = VerticalBarChart()
            chart.x, chart.y, chart.width, chart.height = 12 * MM, 8 * MM, content - 14 * MM, 33 * MM
            chart.categoryAxis.labels.boxAnchor = "n"
            total_h = 45 * MM
        chart.data = ch.series
        chart.categoryAxis.categoryNames = ch.categories
        chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = fonts.regular, 8
        chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = fonts.regular, 7
        chart.valueAxis.labelTextFormat = "{:,.0f}".format
        chart.valueAxis.valueMin = 0
        chart.valueAxis.visibleGrid = 1
        chart.valueAxis.gridStrokeColor = HexColor("#DDE3EC")
        chart.valueAxis.gridStrokeWidth = 0.4
        chart.barSpacing = 0
        for k, colour in enumerate(colours[:len(ch.series)]):
            chart.bars[k].fillColor = colour
            chart.bars[k].strokeColor = None
        drawing = Drawing(content, total_h)
        drawing.initialFontName, drawing.initialFontSize = fonts.regular, 8  # type: ignore[attr-defined]
        drawing.add(chart)
        step = (chart.height if ch.horizontal else chart.width) / max(n, 1)
        for k, label in enumerate(ch.totals):
            if ch.horizontal:
                drawing.add(String(chart.x + chart.width * 0.8, chart.y + chart.height - (k + 0.5) * step, label,
                                   fontName=fonts.bold, fontSize=8, fillColor=ink))
            else:
                drawing.add(String(chart.x + (k + 0.5) * step, chart.y + chart.height * 0.8, label,
                                   fontName=fonts.bold, fontSize=8, fillColor=ink, textAnchor="middle"))
        if ch.legend:
            key: Any = Legend()
            key.fontName, key.fontSize = fonts.regular, 8
            key.alignment, key.columnMaximum, key.boxAnchor = "right", 1, "sw"
            key.x, key.y, key.dx, key.dy, key.deltax = chart.x, 2 * MM, 7, 7, 25 * MM
            key.colorNamePairs = list(zip(colours, ch.legend))
            key.strokeColor = None
            drawing.add(key)
        return drawing

    # The sections' heights, so a page break is known before drawing (and "of M").
    def height_of(kind: str, value: Any) -> float:
        if kind == "heading":
            return 12 * MM
        if kind == "chart":
            return float(chart_drawing(value).height) + 2 * MM
        if kind == "table":
            return (len(value.rows) + 1 + (value.total is not None)) * row_h + 1.5 * MM
        return len(value) * 9 * 1.3 + 2 * MM

    sections = [(kind, value, height_of(kind, value)) for kind, value in t.sections]
    top_first = height - 14 * MM - sum(size * 1.3 for _l, _b, size in t.header) - 16 * MM - 30 * MM
    y, pages = top_first, 1
    for k, (kind, _v, h) in enumerate(sections):
        need = h + (sections[k + 1][2] if kind == "heading" and k + 1 < len(sections) else 0)
        if y - need < foot:
            pages, y = pages + 1, height - 26 * MM
        y -= h
    page_count = pages

    def footer(n: int) -> None:
        c.setStrokeColor(rule)
        c.setLineWidth(0.5)
        c.line(left, foot - 1.5 * MM, width - left, foot - 1.5 * MM)
        c.setFillColor(grey)
        c.setFont(fonts.regular, 8)
        c.drawString(left, foot - 5 * MM, t.printed)
        c.drawRightString(width - left, foot - 5 * MM, f"Page {n} of {page_count}")

    # The first page's header: the logos in a row, the lines, a rule; the four boxes.
    y = height - 14 * MM
    for k, logo in enumerate(t.logos):
        c.drawImage(ImageReader(BytesIO(logo)), left + k * 30 * MM, y - 14 * MM, 26 * MM, 14 * MM,
                    preserveAspectRatio=True, mask="auto")
    y -= 16 * MM if t.logos else 0
    for line, bold, size in t.header:
        c.setFillColor(accent if size == 10 else ink)
        c.setFont(fonts.bold if bold else fonts.regular, size)
        c.drawString(left, y - size, line)
        y -= size * 1.3
    c.setStrokeColor(accent)
    c.setLineWidth(1.2)
    c.line(left, y - 1.5 * MM, width - left, y - 1.5 * MM)
    y -= 7 * MM
    for k, (label, number, note) in enumerate(t.boxes):
        x = left + k * 44.25 * MM
        c.setFillColor(fill)
        c.roundRect(x, y - 22 * MM, 41.25 * MM, 22 * MM, 2 * MM, stroke=0, fill=1)
        c.setFillColor(accent)
        c.setFont(fonts.bold, 8)
        c.drawString(x + 2 * MM, y - 2 * MM - 7.4, label)
        c.setFillColor(ink)
        c.setFont(fonts.bold, 18)
        c.drawString(x + 2 * MM, y - 15 * MM, number)
        c.setFillColor(grey)
        c.setFont(fonts.regular, 8)
        c.drawString(x + 2 * MM, y - 19.5 * MM, note)
    y -= 25 * MM
    page = 1
    for k, (kind, value, h) in enumerate(sections):
        need = h + (sections[k + 1][2] if kind == "heading" and k + 1 < len(sections) else 0)
        if y - need < foot:
            footer(page)
            c.showPage()
            page += 1
            y = height - 14 * MM
            c.setFillColor(accent)
            c.setFont(fonts.bold, 8)
            c.drawString(left, y - 8, "PARTICIPATION REPORT")
            c.setFillColor(grey)
            c.setFont(fonts.regular, 8)
            c.drawString(left + 38 * MM, y - 8, t.header[1][0])
            c.setStrokeColor(rule)
            c.setLineWidth(0.5)
            c.line(left, y - 14, width - left, y - 14)
            y -= 12 * MM
        if kind == "heading":
            c.setFillColor(accent)
            c.setFont(fonts.bold, 12)
            c.drawString(left, y - 5 * MM - 11, value)
            c.setFillColor(ink)
        elif kind == "chart":
            drawing = chart_drawing(value)
            renderPDF.draw(drawing, c, left, y - h)
        elif kind == "para":
            c.setFillColor(ink)
            c.setFont(fonts.regular, 9)
            for n, line in enumerate(value):
                c.drawString(left, y - 9 - n * 9 * 1.3, line)
        else:
            tb: Table = value
            ty = y - 1.5 * MM
            for style, row in (("header", tb.header), *(("", r) for r in tb.rows), ("total", tb.total)):
                if row is None:
                    continue
                if style == "header":
                    c.setFillColor(fill)
                    c.rect(left, ty - row_h, content, row_h, stroke=0, fill=1)
                c.setFillColor(ink)
                size = 8 if style == "header" else 9
                c.setFont(fonts.bold if style else fonts.regular, size)
                x = left
                for n, (cell, w) in enumerate(zip(row, tb.widths)):
                    if n == 0:
                        c.drawString(x + 1.6 * MM, ty - 1.6 * MM - size * 0.93, cell)
                    else:
                        c.drawRightString(x + w - 1.6 * MM, ty - 1.6 * MM - size * 0.93, cell)
                    x += w
                c.setStrokeColor(rule)
                c.setLineWidth(0.8 if style == "total" else 0.4)
                c.line(left, ty - row_h, left + content, ty - row_h)
                ty -= row_h
        y -= h
    footer(page)
    c.save()
    return page


# -- the bare queries: hand-written SQL on the DB-API connection -----------------------------------

CHECKED_IN = """
WITH checked_in AS MATERIALIZED (
  SELECT registration_id FROM (
    SELECT c.registration_id, c.action, row_number() OVER (
      PARTITION BY c.registration_id ORDER BY c.happened_at DESC, c.id DESC) AS rank
    FROM check_in c JOIN registration r ON r.id = c.registration_id
    WHERE r.event_id = :event AND c.action IN ('in', 'out')
      AND c.uuid NOT IN (SELECT undoes FROM check_in WHERE action = 'undo' AND undoes IS NOT NULL))
  WHERE rank = 1 AND action = 'in'),
regs AS MATERIALIZED (
  SELECT r.status, o.sector, p.gender, p.organisation_id AS org,
         upper(coalesce(p.country, o.country)) AS country,
         r.id IN (SELECT registration_id FROM checked_in) AS is_in,
         (r.status IN ('registered', 'confirmed') OR r.id IN (SELECT registration_id FROM checked_in)) AS reg
  FROM registration r JOIN person p ON p.id = r.person_id LEFT JOIN organisation o ON o.id = p.organisation_id
  WHERE r.event_id = :event)
SELECT 0, status, sector, gender, is_in, count(*), 0 FROM regs GROUP BY status, sector, gender, is_in
UNION ALL SELECT 1, NULL, NULL, country, NULL, sum(reg), sum(is_in) FROM regs GROUP BY country
UNION ALL SELECT 2, NULL, sector, NULL, NULL, count(DISTINCT CASE WHEN reg THEN org END),
                 count(DISTINCT CASE WHEN is_in THEN org END) FROM regs GROUP BY sector
"""
DAYS = """
SELECT date(c.happened_at, :shift), count(DISTINCT c.registration_id)
FROM check_in c JOIN registration r ON r.id = c.registration_id
WHERE r.event_id = :event AND c.action = 'in'
  AND c.uuid NOT IN (SELECT undoes FROM check_in WHERE action = 'undo' AND undoes IS NOT NULL)
GROUP BY 1
"""
PODIUM = """
SELECT DISTINCT ro.kind, ro.person_id, p.gender FROM role ro JOIN person p ON p.id = ro.person_id
WHERE ro.session_id IN (SELECT id FROM session WHERE event_id = :event)
   OR ro.item_id IN (SELECT id FROM agenda_item WHERE event_id = :event)
"""


def bare_queries(path: Path, event_id: int) -> int:
    """The figures by hand on ``sqlite3``: the event, the grouped statement, days, podium."""
    from zoneinfo import ZoneInfo

    con = sqlite3.connect(path)
    try:
        title, zone = con.execute("SELECT title, timezone FROM event WHERE id = ?", (event_id,)).fetchone()
        con.execute("SELECT o.name, o.logo FROM event_organisation eo JOIN organisation o "
                    "ON o.id = eo.organisation_id WHERE eo.event_id = ?", (event_id,)).fetchall()
        rows = con.execute(CHECKED_IN, {"event": event_id}).fetchall()
        offset = dt.datetime(2025, 3, 3, tzinfo=ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
        con.execute(DAYS, {"event": event_id, "shift": f"{int(offset.total_seconds()):+d} seconds"}).fetchall()
        con.execute(PODIUM, {"event": event_id}).fetchall()
        return len(rows) + len(title)
    finally:
        con.close()


def add_logos(database: Any, event_id: int) -> None:
    """A small PNG logo for each of the event's partners (the report's header draws them)."""
    from io import BytesIO

    from PIL import Image
    from sqlalchemy import select, update

    from db.models import EventOrganisation, Organisation

    with database.write() as s:
        ids = s.scalars(select(EventOrganisation.organisation_id).where(EventOrganisation.event_id == event_id))
        for k, oid in enumerate(ids):
            out = BytesIO()
            Image.new("RGB", (240, 120), ((40 * k) % 255, 90, 160)).save(out, "PNG")
            s.execute(update(Organisation).where(Organisation.id == oid).values(logo=out.getvalue()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each (default 7)")
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
        db_path = folder / "bench.sqlite"
        database = open_database(db_path)
        event_id = build_big_event(database, args.registrations)
        add_logos(database, event_id)
        print(f"built {args.registrations} registrations in {time.perf_counter() - t:.1f} s")
        try:
            with database.read() as s:
                figures = report_figures(s, event_id)
                event = load_event(s, event_id, with_logos=True)
            text = text_of(figures, event)
            times: dict[str, list[float]] = {"bare": [], "drawing": [], "bare+sql": [], "whole": []}
            pages: dict[str, int] = {}
            for run in range(args.n):
                for name in times:
                    target = folder / f"{name}{run}.pdf"
                    t = time.perf_counter()
                    if name == "bare":
                        pages[name] = bare(target, text)
                    elif name == "drawing":
                        pages[name] = write_report(target, event, figures).pages
                    elif name == "bare+sql":
                        bare_queries(db_path, event_id)
                        pages[name] = bare(target, text)
                    else:
                        result = export_report(database, target, event_id)
                        assert result.items == args.registrations
                        pages[name] = result.pages
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

    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.registrations} registrations, medians of {args.n} (pages: "
          + ", ".join(f"{k} {v}" for k, v in pages.items()) + "):")
    for name, label, against in (("bare", "bare canvas", None),
                                 ("drawing", "write_report (figures read already)", "bare"),
                                 ("bare+sql", "bare canvas after hand-written SQL", None),
                                 ("whole", "export_report (with its queries)", "bare+sql")):
        line = f"  {label}: {median[name] * 1000:.0f} ms"
        if against:
            ratio = median[name] / median[against]
            line += f", ratio {ratio:.2f}× against the {against} (target ≤ {TARGET}×: " \
                    f"{'OK' if ratio <= TARGET else 'OVER'})"
        print(line)
    demo_m = statistics.median(demo_times)
    print(f"  the demo's report: {demo_m * 1000:.0f} ms ({'OK' if demo_m < 1 else 'OVER'} the second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
