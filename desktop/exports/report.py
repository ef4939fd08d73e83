"""The participation report: the figures a donor of an extrabudgetary project asks for, and
the share of women that gender mainstreaming asks about, on A4 pages.

    export_report(database, "report.pdf", event_id, lang="ru", progress=callback)

What it holds (figures from ``desktop.core.participation.report_figures``, the same object
the Excel export's participation sheet writes, so the two always agree):

* the event's header: title, dates, venue, and its organisers, co-organisers, funders and
  partners grouped by role under the programme's headings, each logo beside its own name;
* four key figures — invited, registered, confirmed, attended — with the share of women;
* a bar chart of the four stages by gender, one of the people who came (or, before anyone
  has, of the registered) by sector and gender, and a table per stage by sector with women,
  men, not stated, total and the share of women;
* the podium: speakers, moderators and the other roles of the agenda by gender, with a chart;
* organisations (by sector) and countries represented, among the registered and those who came;
* the people checked in on each day of the event (a chart when it lasts several days);
* what each figure counts; on every page the date printed and "Page N of M".

Charts are ReportLab's own graphics (``reportlab.graphics`` bar charts drawn straight on the
canvas), no image files. The page is laid out as blocks measured first and paginated, then
drawn — so the page count is known for "Page N of M", a heading is never left alone at a
page's foot, and a long table (countries) repeats its header row on the next page.

The words are the catalogs' in the report's language (``words(lang)``); the words for
sectors, genders and roles are ``desktop.core.vocabulary``'s; dates and numbers are
``desktop.core.formats``'s. ReportLab is imported only when a report is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.models import Gender
from desktop.core import formats, vocabulary
from desktop.core.attendee_list import ATTENDED, CONFIRMED, INVITED, REGISTERED, STAGES
from desktop.core.countries import country_name
from desktop.core.language import NP_, _, n_, words
from desktop.core.participation import GENDERS, STAGE_TABLES, ReportFigures, report_figures, share
from desktop.exports.hyphenation import words_of
from desktop.exports.print_common import (
    EventInfo,
    PageWriter,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    check_lang,
    ellipsize,
    hex_colour,
    load_event,
    string_width,
    wrap,
)
from desktop.exports.programme import PARTNER_LABELS, PARTNER_ORDER

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGIN_X = 18 * MM
TOP = 14 * MM
BOTTOM = 18 * MM          # the content's foot; the footer sits below it
TEXT = 9.0
SMALL = 8.0
ROW = 5.6 * MM            # a table row of one line
CELL_PAD = 1.6 * MM
REPORT = "report"         # PrintResult.kind
KEEP_WHOLE = 16           # rows of a table kept on one page

ACCENT = "#1F4E8C"
INK = "#111111"
GREY = "#5F6B7A"
RULE = "#9AA6B8"
HEAD_FILL = "#E3EAF4"
# Women, men, not stated: an orange and a blue that stay apart for colour-blind readers and
# in grey print, and a light grey.
GENDER_COLOURS = {Gender.FEMALE: "#D9822B", Gender.MALE: "#2F6DB5", Gender.NOT_STATED: "#AEB6C1"}

DOCUMENT = NP_("document", "Participation report")
STAGE_WORDS = {
    INVITED: NP_("participation stage", "Invited"),
    REGISTERED: NP_("participation stage", "Registered"),
    CONFIRMED: NP_("participation stage", "Confirmed"),
    ATTENDED: NP_("participation stage", "Attended"),
}
GENDER_HEADS = {Gender.FEMALE: NP_("participation", "Women"), Gender.MALE: NP_("participation", "Men")}
# The partners under the header, as on the programme: a group per role under its heading
# ("Organised by", …) in two columns; each organisation a row, its logo in a box at the left
# (its aspect kept, centred in the box) and its name beside it; when any has a logo, every
# name starts at the same distance from the edge, logo or not.
LOGO_BOX = (22 * MM, 12 * MM)
LOGO_GAP = 8.0
PARTNER_GAP = 16.0        # between the two columns of groups
PARTNER_LABEL = 7.2       # the group's heading
PARTNER_NAME = 8.6
PARTNER_PAD = 2.0         # above and below each organisation's row


# -- the words ------------------------------------------------------------------------------------

class ReportWords:
    """The report's words in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.w = words(lang)

    def p(self, context: str, message: str) -> str:
        return self.w.p_(context, message)

    def stage(self, stage: str) -> str:
        return self.p("participation stage", STAGE_WORDS[stage])

    def gender_heads(self) -> list[str]:
        return [self.p("participation", GENDER_HEADS[g]) if g in GENDER_HEADS else vocabulary.gender(g, self.lang)
                for g in GENDERS]

    def number(self, n: int) -> str:
        return formats.number(n, self.lang)

    def percent(self, value: float | None) -> str:
        return "—" if value is None else formats.percent(value, self.lang)


def gender_row(label: str, counts: Sequence[int], rw: ReportWords) -> list[str]:
    """[label, women, men, not stated, total, women %] as printed."""
    return [label, *(rw.number(n) for n in counts), rw.number(sum(counts)), rw.percent(share(counts))]


def stage_rows(figures: ReportFigures, stage: str, rw: ReportWords) -> tuple[list[list[str]], list[str]]:
    """A stage's table by sector (rows, total row) as printed."""
    table = figures.participation.by_stage.get(stage, {})
    rows, sums = [], [0] * len(GENDERS)
    for sector in figures.participation.sectors():
        counts = [table.get((sector, g), 0) for g in GENDERS]
        sums = [a + b for a, b in zip(sums, counts)]
        rows.append(gender_row(vocabulary.sector(sector, rw.lang), counts, rw))
    return rows, gender_row(rw.p("participation", "Total"), sums, rw)


# -- layout: blocks measured, then paginated, then drawn -----------------------------------------

@dataclass
class Block:
    """A piece of a page: its height, and how to draw it with its top at ``top``.
    ``keep_with_next``: never the last thing on a page (headings). ``repeat``: drawn first
    on a page this block starts after a page break (a table's header row)."""

    height: float
    draw: Callable[[float], None]
    keep_with_next: bool = False
    repeat: Block | None = None
    space_before: float = 0.0


@dataclass
class PartnerRow:
    """An organisation under its role's heading: its logo (fitted) and its name's lines."""

    image: Any
    size: tuple[float, float]
    lines: list[str]
    height: float


@dataclass
class PartnerGroup:
    label: list[str]
    rows: list[PartnerRow]

    @property
    def height(self) -> float:
        return len(self.label) * PARTNER_LABEL * 1.3 + 1.0 + sum(r.height for r in self.rows)


class ReportSheet(PageWriter):
    """The report's pages (see the module docstring)."""

    def __init__(self, filename: str | os.PathLike[str], *, event: EventInfo, lang: str, printed: dt.date) -> None:
        self.rw = ReportWords(lang)
        self.doc_title = self.rw.p("document", DOCUMENT)
        super().__init__(filename, A4, title=f"{event.title} — {self.doc_title}", subject=event.title, lang=lang)
        self.event = event
        self.printed = printed
        self.content = self.width - 2 * MARGIN_X
        self.colours = {k: hex_colour(v) for k, v in
                        {"accent": ACCENT, "ink": INK, "grey": GREY, "rule": RULE, "head": HEAD_FILL}.items()}
        self.gender_colours = {g: hex_colour(v) for g, v in GENDER_COLOURS.items()}
        self.blocks: list[Block] = []
        self._first_header = self._event_header_lines()
        self._partner_grid, self._partner_logos = self._lay_partners()

    # -- the blocks ---------------------------------------------------------------------------

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def heading(self, text: str, size: float = 12.0) -> None:
        f = self.fonts
        lines = wrap(text, f.bold, size, self.content)
        height = len(lines) * size * 1.2 + 2.5 * MM

        def draw(top: float) -> None:
            self.text_lines(lines, f.bold, size, MARGIN_X, top, leading=1.2, colour=self.colours["accent"])

        self.add(Block(height, draw, keep_with_next=True, space_before=5 * MM))

    def paragraph(self, text: str, size: float = TEXT, colour: str = "ink", space_before: float = 0.0) -> None:
        f = self.fonts
        lines = wrap(text, f.regular, size, self.content)
        height = len(lines) * size * 1.3 + 1.5 * MM

        def draw(top: float) -> None:
            self.text_lines(lines, f.regular, size, MARGIN_X, top, leading=1.3, colour=self.colours[colour])

        self.add(Block(height, draw, space_before=space_before))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], total: Sequence[str] | None,
              widths_mm: Sequence[float]) -> None:
        """A table: the first column left (wrapped), the others right; a header row (repeated
        after a page break) and a bold total row."""
        f = self.fonts
        scale = self.content / (sum(widths_mm) * MM)
        widths = [w * MM * scale for w in widths_mm]
        # A figure's column is at least as wide as its heading's longest word ("Зарегистрированы"
        # is not broken between syllables): the first column gives up the room.
        for k in range(1, len(widths)):
            need = max((string_width(word, f.bold, SMALL) for word in words_of(header[k])), default=0.0)
            need += 2 * CELL_PAD + 0.5
            if widths[k] < need:
                widths[0] -= need - widths[k]
                widths[k] = need

        def cells(values: Sequence[str], bold: bool) -> tuple[list[list[str]], float]:
            font = f.bold if bold else f.regular
            out = [wrap(values[0], font, TEXT, widths[0] - 2 * CELL_PAD) or [""]]
            for value, width in zip(values[1:], widths[1:]):
                out.append([ellipsize(value, font, TEXT, width - 2 * CELL_PAD)])
            lines = max(len(c) for c in out)
            return out, max(ROW, lines * TEXT * 1.22 + 2 * CELL_PAD)

        def row_block(values: Sequence[str], style: str) -> Block:
            bold = style in ("header", "total")
            font = f.bold if bold else f.regular
            if style == "header":
                # Headers may wrap in every column (long words in Russian and Kazakh).
                parts = [wrap(v, font, SMALL, w - 2 * CELL_PAD) or [""] for v, w in zip(values, widths)]
                height = max(ROW, max(len(p) for p in parts) * SMALL * 1.2 + 2 * CELL_PAD)
                size = SMALL
            else:
                parts, height = cells(values, bold)
                size = TEXT

            def draw(top: float) -> None:
                c = self.canvas
                if style == "header":
                    c.setFillColor(self.colours["head"])
                    c.rect(MARGIN_X, top - height, self.content, height, stroke=0, fill=1)
                c.setFillColor(self.colours["ink"])
                c.setFont(font, size)
                x = MARGIN_X
                for k, (lines, width) in enumerate(zip(parts, widths)):
                    y = top - CELL_PAD - size * 0.93
                    for line in lines:
                        if k == 0:
                            c.drawString(x + CELL_PAD, y, line)
                        else:
                            c.drawRightString(x + width - CELL_PAD, y, line)
                        y -= size * 1.22
                    x += width
                c.setStrokeColor(self.colours["rule"])
                c.setLineWidth(0.8 if style == "total" else 0.4)
                if style == "total":
                    c.line(MARGIN_X, top, MARGIN_X + self.content, top)
                c.setLineWidth(0.4)
                c.line(MARGIN_X, top - height, MARGIN_X + self.content, top - height)

            return Block(height, draw)

        head = row_block(header, "header")
        self.add(Block(head.height, head.draw, keep_with_next=True, space_before=1.5 * MM))
        body = [row_block(values, "") for values in rows]
        if total is not None:
            body.append(row_block(total, "total"))
        whole = len(body) <= KEEP_WHOLE  # a short table is never split
        for k, block in enumerate(body):
            block.repeat = head
            block.keep_with_next = whole and k < len(body) - 1
            self.add(block)

    def key_figures(self, figures: ReportFigures) -> None:
        """Four boxes: each stage's count and its share of women."""
        f, rw = self.fonts, self.rw
        gap = 3 * MM
        width = (self.content - 3 * gap) / 4
        height = 22 * MM
        p = figures.participation
        boxes = []
        for stage in STAGES:
            counts = [p.stage_total(stage, g) for g in GENDERS]
            women = share(counts)
            # Translators: under a key figure of the participation report: "women: 46%".
            note = rw.w._("women: {share}").format(share=rw.percent(women))
            boxes.append((wrap(rw.stage(stage), f.bold, SMALL, width - 4 * MM)[:2], rw.number(sum(counts)), note))

        def draw(top: float) -> None:
            c = self.canvas
            for k, (label, number, note) in enumerate(boxes):
                x = MARGIN_X + k * (width + gap)
                c.setFillColor(self.colours["head"])
                c.roundRect(x, top - height, width, height, 2 * MM, stroke=0, fill=1)
                self.text_lines(label, f.bold, SMALL, x + 2 * MM, top - 2 * MM, colour=self.colours["accent"])
                c.setFillColor(self.colours["ink"])
                c.setFont(f.bold, 18)
                c.drawString(x + 2 * MM, top - height + 7 * MM, number)
                c.setFillColor(self.colours["grey"])
                c.setFont(f.regular, SMALL)
                c.drawString(x + 2 * MM, top - height + 2.5 * MM, ellipsize(note, f.regular, SMALL, width - 4 * MM))

        self.add(Block(height, draw, space_before=3 * MM))

    def bar_chart(self, categories: Sequence[str], series: Sequence[Sequence[int]], colours: Sequence[Any],
                  legend: Sequence[str] | None, *, stacked: bool = True, horizontal: bool = True) -> None:
        """A bar chart of ReportLab's graphics: horizontal stacked bars (one per category,
        a segment per gender) with their totals, or vertical bars (one series)."""
        from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.shapes import Drawing, String

        f = self.fonts
        n = len(categories)
        totals = [sum(s[k] for s in series) for k in range(n)] if stacked else [max(s[k] for s in series)
                                                                               for k in range(n)]
        top_value, value_step = _nice_scale(max(totals, default=0))
        legend_h = 8 * MM if legend else 0
        if horizontal:
            label_w = min(self.content * 0.4, max((self.canvas.stringWidth(c, f.regular, SMALL) for c in categories),
                                                  default=0) + 3 * MM)
            bar_area = n * 7 * MM
            height = bar_area + 8 * MM + legend_h
            chart: Any = HorizontalBarChart()
            chart.x, chart.y = label_w, 6 * MM + legend_h
            chart.width, chart.height = self.content - label_w - 12 * MM, bar_area
            chart.categoryAxis.reverseDirection = 1  # the first category on top
            chart.categoryAxis.labels.boxAnchor = "e"
            chart.categoryAxis.labels.dx = -2
        else:
            height = 45 * MM + legend_h
            chart = VerticalBarChart()
            chart.x, chart.y = 12 * MM, 8 * MM + legend_h
            chart.width, chart.height = self.content - 14 * MM, 45 * MM - 12 * MM
            chart.categoryAxis.labels.boxAnchor = "n"
            chart.categoryAxis.labels.dy = -2
        chart.data = [list(s) for s in series]
        chart.categoryAxis.categoryNames = [ellipsize(c, f.regular, SMALL, chart.x - 3 * MM) if horizontal else c
                                            for c in categories]
        chart.categoryAxis.labels.fontName = f.regular
        chart.categoryAxis.labels.fontSize = SMALL
        chart.categoryAxis.strokeColor = self.colours["rule"]
        chart.valueAxis.labels.fontName = f.regular
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = lambda v: formats.number(int(v), self.rw.lang)
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = top_value
        chart.valueAxis.valueStep = value_step
        chart.valueAxis.strokeColor = self.colours["rule"]
        chart.valueAxis.visibleGrid = 1
        chart.valueAxis.gridStrokeColor = hex_colour("#DDE3EC")
        chart.valueAxis.gridStrokeWidth = 0.4
        if stacked:
            chart.categoryAxis.style = "stacked"
        chart.barSpacing = 0
        chart.groupSpacing = 2.2 * MM if horizontal else 6 * MM
        for k, colour in enumerate(colours):
            chart.bars[k].fillColor = colour
            chart.bars[k].strokeColor = None
        drawing: Any = Drawing(self.content, height)
        # The drawing's own default font is Helvetica (not embedded): ours instead.
        drawing.initialFontName, drawing.initialFontSize = f.regular, SMALL
        drawing.add(chart)
        # The total at the end of each bar.
        step = (chart.height if horizontal else chart.width) / max(n, 1)
        for k, total in enumerate(totals):
            label = formats.number(total, self.rw.lang)
            along = chart.width if horizontal else chart.height
            reach = total / top_value * along if top_value else 0
            if horizontal:
                y = chart.y + chart.height - (k + 0.5) * step - SMALL * 0.35
                drawing.add(String(chart.x + reach + 1.5 * MM, y, label, fontName=f.bold, fontSize=SMALL,
                                   fillColor=self.colours["ink"]))
            else:
                x = chart.x + (k + 0.5) * step
                drawing.add(String(x, chart.y + reach + 1.5 * MM, label, fontName=f.bold, fontSize=SMALL,
                                   fillColor=self.colours["ink"], textAnchor="middle"))
        if legend:
            key: Any = Legend()
            key.fontName, key.fontSize = f.regular, SMALL
            key.alignment = "right"
            key.columnMaximum = 1
            key.boxAnchor = "sw"
            key.x, key.y = chart.x, 2 * MM
            key.dx, key.dy, key.deltax = 7, 7, 4 * MM + max(
                self.canvas.stringWidth(t, f.regular, SMALL) for t in legend)
            key.colorNamePairs = list(zip(colours, legend))
            key.strokeColor = None
            drawing.add(key)

        def draw(top: float) -> None:
            from reportlab.graphics import renderPDF

            renderPDF.draw(drawing, self.canvas, MARGIN_X, top - height)

        self.add(Block(height, draw, space_before=2 * MM))

    # -- the event's header -----------------------------------------------------------------

    def _event_header_lines(self) -> list[tuple[str, str, float, str]]:
        """(text, font, size, colour) of the first page's header, line by line."""
        f, ev = self.fonts, self.event
        lines: list[tuple[str, str, float, str]] = [(self.doc_title.upper(), f.bold, 10, "accent")]
        for line in wrap(ev.title, f.bold, 15, self.content):
            lines.append((line, f.bold, 15, "ink"))
        if ev.subtitle:
            for line in wrap(ev.subtitle, f.regular, 10, self.content):
                lines.append((line, f.regular, 10, "ink"))
        meta = " · ".join(p for p in (ev.dates, ev.place) if p)
        for line in wrap(meta, f.regular, TEXT, self.content):
            lines.append((line, f.regular, TEXT, "grey"))
        return lines

    def _partner_columns(self) -> tuple[int, float]:
        return (2, (self.content - PARTNER_GAP) / 2)

    def _lay_partners(self) -> tuple[list[list[PartnerGroup]], bool]:
        """The partner groups in rows of two (see ``LOGO_BOX``), and whether any has a logo."""
        from reportlab.lib.utils import ImageReader

        f, rw, ev = self.fonts, self.rw, self.event
        roles = list(PARTNER_ORDER) + [p.role for p in ev.partners if p.role not in PARTNER_ORDER]
        members = [(role, [p for p in ev.partners if p.role == role and p.name]) for role in dict.fromkeys(roles)]
        members = [(role, found) for role, found in members if found]
        images: dict[int, Any] = {}
        for _role, found in members:
            for partner in found:
                if partner.logo:
                    try:
                        image = ImageReader(io.BytesIO(partner.logo))
                        w, h = image.getSize()
                    except Exception:  # noqa: BLE001 - an unreadable logo is left out, the name stays
                        continue
                    if w > 0 and h > 0:
                        scale = min(LOGO_BOX[0] / w, LOGO_BOX[1] / h)
                        images[id(partner)] = (image, (w * scale, h * scale))
        with_logos = bool(images)
        columns, width = self._partner_columns()
        if len(members) == 1:
            columns, width = 1, self.content
        name_w = width - (LOGO_BOX[0] + LOGO_GAP if with_logos else 0)
        groups = []
        for role, found in members:
            label = wrap(partner_heading(role, rw.lang).upper(), f.bold, PARTNER_LABEL, width)
            rows = []
            # A logo's room only in a group that has a logo: names alone stand one under the
            # other (still at the names' column, level with the names beside logos).
            slot = LOGO_BOX[1] if any(id(p) in images for p in found) else 0.0
            for partner in found:
                image, size = images.get(id(partner), (None, (0.0, 0.0)))
                lines = wrap(partner.name, f.regular, PARTNER_NAME, name_w)
                text_h = len(lines) * PARTNER_NAME * 1.25
                rows.append(PartnerRow(image, size, lines, max(text_h, slot) + 2 * PARTNER_PAD))
            groups.append(PartnerGroup(label, rows))
        return [groups[k:k + columns] for k in range(0, len(groups), columns)], with_logos

    def _partners_height(self) -> float:
        if not self._partner_grid:
            return 0.0
        return 2.5 * MM + sum(max(g.height for g in row) + 2 * MM for row in self._partner_grid)

    def _draw_partners(self, top: float) -> float:
        """The partner groups from ``top`` down (a thin rule above them); returns the y below."""
        if not self._partner_grid:
            return top
        c, f = self.canvas, self.fonts
        c.setStrokeColor(self.colours["rule"])
        c.setLineWidth(0.5)
        c.line(MARGIN_X, top, self.width - MARGIN_X, top)
        top -= 2.5 * MM
        columns = len(self._partner_grid[0])
        width = self.content if columns == 1 else self._partner_columns()[1]
        name_x = LOGO_BOX[0] + LOGO_GAP if self._partner_logos else 0.0
        for row in self._partner_grid:
            for k, group in enumerate(row):
                x = MARGIN_X + k * (width + PARTNER_GAP)
                self.text_lines(group.label, f.bold, PARTNER_LABEL, x, top, leading=1.3, colour=self.colours["grey"])
                y = top - len(group.label) * PARTNER_LABEL * 1.3 - 1.0
                for member in group.rows:
                    middle = y - member.height / 2
                    if member.image is not None:
                        w, h = member.size
                        c.drawImage(member.image, x + (LOGO_BOX[0] - w) / 2, middle - h / 2, w, h,
                                    mask="auto")
                    text_h = len(member.lines) * PARTNER_NAME * 1.25
                    self.text_lines(member.lines, f.regular, PARTNER_NAME, x + name_x,
                                    middle + text_h / 2 - (PARTNER_NAME * 1.25 - PARTNER_NAME) / 2,
                                    leading=1.25, colour=self.colours["ink"])
                    y -= member.height
            top -= max(g.height for g in row) + 2 * MM
        return top

    def _first_header_height(self) -> float:
        return sum(size * 1.3 for _t, _f, size, _c in self._first_header) + 4 * MM + self._partners_height()

    def _draw_first_header(self) -> float:
        c = self.canvas
        y = self.height - TOP
        for text, font, size, colour in self._first_header:
            c.setFillColor(self.colours[colour])
            c.setFont(font, size)
            c.drawString(MARGIN_X, y - size, text)
            y -= size * 1.3
        if self._partner_grid:
            y = self._draw_partners(y - 1.5 * MM) + 2 * MM
        y -= 1.5 * MM
        c.setStrokeColor(self.colours["accent"])
        c.setLineWidth(1.2)
        c.line(MARGIN_X, y, self.width - MARGIN_X, y)
        return y - 2.5 * MM

    @functools.cached_property
    def _running(self) -> tuple[float, list[str]]:
        """The running header's label width and the event's title beside it (two lines at
        most), measured once for every page."""
        f = self.fonts
        label_w = self.canvas.stringWidth(self.doc_title.upper(), f.bold, SMALL) + 3 * MM
        lines = wrap(self.event.title, f.regular, SMALL, self.content - label_w)
        if len(lines) > 2:
            lines = [lines[0], ellipsize(" ".join(lines[1:]), f.regular, SMALL, self.content - label_w)]
        return label_w, lines

    def _draw_running_header(self) -> float:
        c, f = self.canvas, self.fonts
        y = self.height - TOP
        c.setFillColor(self.colours["accent"])
        c.setFont(f.bold, SMALL)
        c.drawString(MARGIN_X, y - SMALL, self.doc_title.upper())
        label_w, lines = self._running
        self.text_lines(lines, f.regular, SMALL, MARGIN_X + label_w, y, leading=1.3, colour=self.colours["grey"])
        y -= len(lines) * SMALL * 1.3 + 1.5 * MM
        c.setStrokeColor(self.colours["rule"])
        c.setLineWidth(0.5)
        c.line(MARGIN_X, y, self.width - MARGIN_X, y)
        return y - 3 * MM

    def _running_header_height(self) -> float:
        return len(self._running[1]) * SMALL * 1.3 + 4.5 * MM

    def _draw_footer(self, n: int, count: int) -> None:
        c, f, rw = self.canvas, self.fonts, self.rw
        y = BOTTOM - 5 * MM
        c.setStrokeColor(self.colours["rule"])
        c.setLineWidth(0.5)
        c.line(MARGIN_X, y + 3.5 * MM, self.width - MARGIN_X, y + 3.5 * MM)
        c.setFillColor(self.colours["grey"])
        c.setFont(f.regular, SMALL)
        # Translators: at the foot of every page of the participation report; {date} is today's date.
        c.drawString(MARGIN_X, y, rw.w._("Printed on {date}").format(date=formats.date(self.printed, rw.lang)))
        c.drawRightString(self.width - MARGIN_X, y, rw.w._("Page {n} of {m}").format(n=n, m=count))

    # -- pages --------------------------------------------------------------------------------

    def plan(self) -> list[list[tuple[Block, float]]]:
        """The blocks cut into pages, each with the gap above it."""
        first_room = self.height - TOP - self._first_header_height() - BOTTOM
        room_next = self.height - TOP - self._running_header_height() - BOTTOM
        pages: list[list[tuple[Block, float]]] = [[]]
        room, used = first_room, 0.0
        blocks = self.blocks
        for k, block in enumerate(blocks):
            gap = block.space_before if pages[-1] else 0.0
            need = gap + block.height
            # A heading (or a table's header row) goes with what follows it.
            j = k
            while blocks[j].keep_with_next and j + 1 < len(blocks):
                j += 1
                need += blocks[j].space_before + blocks[j].height
            if used + need > room and pages[-1]:
                pages.append([])
                room, used, gap = room_next, 0.0, 0.0
                if block.repeat is not None:
                    pages[-1].append((block.repeat, 0.0))
                    used += block.repeat.height
            pages[-1].append((block, gap))
            used += gap + block.height
        return pages

    def draw(self, pages: list[list[tuple[Block, float]]], ticker: Ticker) -> None:
        for n, page in enumerate(pages, start=1):
            self.new_page()
            top = self._draw_first_header() if n == 1 else self._draw_running_header()
            for block, gap in page:
                top -= gap
                block.draw(top)
                top -= block.height
            self._draw_footer(n, len(pages))
            ticker.step()


def _nice_scale(value: float) -> tuple[float, float]:
    """(top, step) of a value axis reaching ``value``: five or so steps of 1, 2 or 5 × 10^k."""
    if value <= 5:
        return 5.0, 1.0
    raw = value / 5
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = -(-value // step) * step
    return float(top), float(step)


# -- the report's content -------------------------------------------------------------------------

GENDER_WIDTHS = (56, 22, 22, 28, 22, 26)


def compose(sheet: ReportSheet, figures: ReportFigures) -> None:
    """Every block of the report, in order."""
    rw = sheet.rw
    p_ = rw.p
    p = figures.participation
    colours = [sheet.gender_colours[g] for g in GENDERS]
    heads = rw.gender_heads()

    sheet.key_figures(figures)
    sheet.heading(p_("report", "Participation by stage and gender"))
    sheet.bar_chart([rw.stage(s) for s in STAGES],
                    [[p.stage_total(s, g) for s in STAGES] for g in GENDERS], colours, heads)

    # By sector: a chart of those who came (of the registered while nobody has come yet).
    chart_stage = ATTENDED if p.stage_total(ATTENDED) else REGISTERED
    sectors = p.sectors()
    sheet.heading(p_("report", "Attended, by sector and gender") if chart_stage == ATTENDED
                  else p_("report", "Registered, by sector and gender"))
    table = p.by_stage.get(chart_stage, {})
    sheet.bar_chart([vocabulary.sector(s, rw.lang) for s in sectors],
                    [[table.get((s, g), 0) for s in sectors] for g in GENDERS], colours, heads)
    header = [p_("participation", "Sector"), *heads, p_("participation", "Total"), p_("participation", "Women, %")]
    for stage in STAGES:
        sheet.heading(p_("report", STAGE_TABLES[stage]), size=10.5)
        rows, total = stage_rows(figures, stage, rw)
        sheet.table(header, rows, total, GENDER_WIDTHS)

    # The podium.
    sheet.heading(p_("report", "On the podium: speakers, moderators and other roles, by gender"))
    if figures.podium:
        kinds = list(figures.podium)
        sheet.bar_chart([vocabulary.role(k, rw.lang, several=True) for k in kinds],
                        [[figures.podium[k][g] for k in kinds] for g in GENDERS], colours, heads)
        rows = [gender_row(vocabulary.role(k, rw.lang, several=True), [figures.podium[k][g] for g in GENDERS], rw)
                for k in kinds]
        total = gender_row(p_("report", "Everyone on the podium"), [figures.podium_people[g] for g in GENDERS], rw)
        sheet.table([p_("report", "Role"), *heads, p_("participation", "Total"), p_("participation", "Women, %")],
                    rows, total, GENDER_WIDTHS)
        sheet.paragraph(rw.w._("A person is counted once in each kind of role they have, and once in the total."),
                        SMALL, "grey", space_before=1.5 * MM)
    else:
        sheet.paragraph(rw.w._("The agenda names nobody as a speaker or moderator yet."))

    # Organisations and countries.
    sheet.heading(p_("report", "Organisations and countries represented"))
    # Translators: a line of the participation report; the numbers are counted already.
    sheet.paragraph(rw.w._("Organisations: {registered} registered, {attended} attended. "
                           "Countries: {countries_registered} registered, {countries_attended} attended.").format(
        registered=rw.number(figures.organisation_count(REGISTERED)),
        attended=rw.number(figures.organisation_count(ATTENDED)),
        countries_registered=rw.number(figures.country_count(REGISTERED)),
        countries_attended=rw.number(figures.country_count(ATTENDED))))
    org_sectors = figures.organisation_sectors()
    if org_sectors:
        registered_orgs = figures.organisations.get(REGISTERED, {})
        attended_orgs = figures.organisations.get(ATTENDED, {})
        sheet.table([p_("report", "Organisations by sector"), rw.stage(REGISTERED), rw.stage(ATTENDED)],
                    [[vocabulary.sector(s, rw.lang), rw.number(registered_orgs.get(s, 0)),
                      rw.number(attended_orgs.get(s, 0))] for s in org_sectors],
                    [p_("participation", "Total"), rw.number(figures.organisation_count(REGISTERED)),
                     rw.number(figures.organisation_count(ATTENDED))], (110, 32, 32))
    if figures.countries:
        sheet.table([p_("report", "People by country"), rw.stage(REGISTERED), rw.stage(ATTENDED)],
                    [[country_name(c.code, rw.lang), rw.number(c.registered), rw.number(c.attended)]
                     for c in figures.countries],
                    [p_("participation", "Total"), rw.number(sum(c.registered for c in figures.countries)),
                     rw.number(sum(c.attended for c in figures.countries))], (110, 32, 32))

    # Attendance per day.
    sheet.heading(p_("report", "Attendance by day"))
    if figures.multi_day:
        sheet.bar_chart([formats.day_month(d, rw.lang, short=len(figures.days) > 6) for d, _n in figures.days],
                        [[n for _d, n in figures.days]], [sheet.colours["accent"]], None,
                        stacked=False, horizontal=False)
    sheet.table([p_("report", "Day"), p_("report", "People checked in")],
                [[day_cell(d, rw.lang), rw.number(n)] for d, n in figures.days], None, (120, 54))

    # What the figures count.
    sheet.heading(p_("report", "What the figures count"), size=10.5)
    sheet.paragraph(rw.w._(
        "Invited: every registration of the event, whatever its status now (declined and cancelled too). "
        "Registered: registered or confirmed, or checked in. Confirmed: confirmed, or checked in. "
        "Attended: checked in at a registration desk. Each stage holds the next. "
        "Sectors are those of the people's organisations; gender as the people stated it. "
        "Days are in the event's time zone ({tz}); a person is counted on each day they were checked in."
    ).format(tz=figures.timezone), SMALL, "grey")


def day_cell(day: dt.date, lang: str) -> str:
    """The day in the attendance table: its full date with the weekday, beginning with a
    capital as a cell does ("Пятница, 28 февраля 2025 г.", where the language writes
    the weekday small inside a sentence)."""
    text = formats.date(day, lang, "full")
    return text[:1].upper() + text[1:]


def partner_heading(role: str, lang: str) -> str:
    """"Organised by" … in ``lang`` (the programme's headings); a role without one is called
    by the vocabulary's word for it."""
    if role in PARTNER_LABELS:
        return words(lang).p_("partner heading", PARTNER_LABELS[role])
    try:
        return vocabulary.partner_role(role, lang, several=True)
    except ValueError:
        return vocabulary.partner_role("partner", lang, several=True)


# -- the export ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportResult(PrintResult):
    """The written report; ``items`` is the number of registrations it counts."""

    kind: str = REPORT

    def summary(self) -> str:
        # Translators: after export-report: "The participation report of 120 registrations (4 pages)
        # was written to FILE".
        return n_("The participation report of {n} registration ({pages}) was written to {path}",
                  "The participation report of {n} registrations ({pages}) was written to {path}",
                  self.items).format(
            n=formats.number(self.items),
            pages=n_("{n} page", "{n} pages", self.pages).format(n=formats.number(self.pages)),
            path=self.path)


def export_report(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    *,
    lang: str = "en",
    progress: Progress | None = None,
    printed: dt.date | None = None,
) -> ReportResult:
    """Write the participation report of the event to ``path`` (PDF), as the other printed
    pages: complete or not at all; ``progress(done, total)`` may cancel (``PrintCancelled``);
    ``PrintError``/``NothingToPrint`` with one sentence when it cannot be made. ``printed``:
    the date printed on it (today)."""
    check_lang(lang)
    with database.read() as session:
        event = load_event(session, event_id, lang, with_logos=True)
        figures = report_figures(session, event_id)
    return write_report(path, event, figures, lang=lang, progress=progress, printed=printed)


def write_report(path: str | os.PathLike[str], event: EventInfo, figures: ReportFigures, *, lang: str = "en",
                 progress: Progress | None = None, printed: dt.date | None = None) -> ReportResult:
    """Draw the report of ``figures`` (see ``export_report``)."""
    with atomic_target(path) as tmp:
        sheet = ReportSheet(tmp, event=event, lang=lang, printed=printed or dt.date.today())
        ticker = Ticker(progress, 10, every=1)
        compose(sheet, figures)
        pages = sheet.plan()
        ticker.total = len(pages) + 1
        ticker.step()
        sheet.draw(pages, ticker)
        count = sheet.finish()
    return ReportResult(Path(path), figures.participation.registered, count)


def making_text() -> str:
    """The progress dialog's words while the report is made (the interface language)."""
    return _("Making the participation report…")


__all__ = ["REPORT", "ReportResult", "ReportSheet", "export_report", "making_text",
           "stage_rows", "write_report"]

