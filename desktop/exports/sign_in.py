"""The sign-in sheet (attendance list) a donor asks for: every expected participant by
surname, with a wide signature column and rows tall enough to sign in.

A4 portrait. Every page has the same header (the words "Attendance list", the event's
title, date and venue), the table's header row, and "Page N of M" at the foot. With
``group_by_sector`` the list is cut into sectors (judiciary, government, …) with a heading
row each, repeated "(continued)" at the top of a page where a sector goes on; numbering
runs through the whole list.

The table is paginated here, not by platypus: rows are measured first (names and
organisations wrap within their cells), pages are planned, and only then drawn — so the
total page count is known for "Page N of M", a sector heading is never left alone at the
bottom of a page, and progress is reported row by row.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core import vocabulary
from desktop.core.language import NP_, _, words
from desktop.exports.print_common import (
    SECTOR_ORDER,
    SIGN_IN,
    Attendee,
    NothingToPrint,
    PageWriter,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    check_lang,
    ellipsize,
    fit_lines,
    hex_colour,
    load_attendees,
    load_event,
    wrap,
)

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGIN_X = 15 * MM
TOP = 12 * MM          # from the page's top edge to the header
BOTTOM = 16 * MM       # from the page's bottom edge to the foot of the table
ROW_MIN = 11 * MM      # room for a real signature
CELL_PAD = 1.8 * MM
TEXT_SIZE = 8.5
LEADING = 10.2
HEAD_ROW = 8 * MM
GROUP_ROW = 7.5 * MM
MAX_CELL_LINES = 4

# The sheet's title (on every page, and the file's title) and its columns' headings.
TITLE = NP_("document", "Attendance list")
HEADINGS = {
    "no": NP_("sign-in sheet", "No."),
    "name": NP_("sign-in sheet", "Name"),
    "organisation": NP_("sign-in sheet", "Organisation"),
    "position": NP_("sign-in sheet", "Position"),
    "signature": NP_("sign-in sheet", "Signature"),
}


@dataclass(frozen=True)
class _Row:
    number: int
    person: Attendee
    cells: tuple[list[str], ...]  # lines of name, organisation[, position]
    height: float


@dataclass(frozen=True)
class _Group:
    heading: str


class SignInSheet(PageWriter):
    """The attendance list's pages (see the module docstring)."""

    def __init__(self, filename: str | os.PathLike[str], *, title: str, event_title: str, dates: str,
                 place: str, lang: str = "en", with_position: bool = True) -> None:
        super().__init__(filename, A4, title=title, subject=event_title, lang=lang)
        self.lang = lang
        self.with_position = with_position
        self.event_title = " ".join(event_title.split())
        self.meta = " · ".join(p for p in (dates, place) if p)
        content = self.width - 2 * MARGIN_X
        widths_mm = (9, 42, 47, 37, 45) if with_position else (9, 50, 62, 59)
        scale = content / (sum(widths_mm) * MM)
        self.widths = [w * MM * scale for w in widths_mm]
        self.words = words(lang)
        self.headers = [self.words.p_("sign-in sheet", HEADINGS[k]) for k in
                        ("no", "name", "organisation", *(("position",) if with_position else ()), "signature")]
        self.accent = hex_colour("#1F4E8C")
        self.grey = hex_colour("#5F6B7A")
        self.rule = hex_colour("#9AA6B8")
        self.head_fill = hex_colour("#E3EAF4")
        self.group_fill = hex_colour("#F1F4F9")
        self.ink = hex_colour("#111111")
        self._header_layout = fit_lines(self.event_title, self.fonts.bold, 12.5, 9, content, max_lines=2)
        self.table_top = self._header_height()

    # -- measuring ------------------------------------------------------------------------------

    def _header_height(self) -> float:
        size, lines = self._header_layout
        return self.height - TOP - (9 + 3) - len(lines) * size * 1.18 - 9 * 1.2 - 5 * MM

    def measure(self, number: int, person: Attendee) -> _Row:
        f = self.fonts
        texts = [person.listed or person.name, person.organisation]
        if self.with_position:
            texts.append(person.position)
        cells = []
        for i, value in enumerate(texts):
            width = self.widths[i + 1] - 2 * CELL_PAD
            # Measured in bold for the name: its family part is drawn bold.
            lines = wrap(value, f.bold if i == 0 else f.regular, TEXT_SIZE, width) if value else []
            if len(lines) > MAX_CELL_LINES:
                lines = lines[:MAX_CELL_LINES]
                lines[-1] = ellipsize(lines[-1] + " …", f.regular, TEXT_SIZE, width)
            cells.append(lines)
        tallest = max((len(c) for c in cells), default=1)
        height = max(ROW_MIN, tallest * LEADING + 2 * CELL_PAD + 2)
        return _Row(number, person, tuple(cells), height)

    def plan(self, items: Sequence[_Row | _Group]) -> list[list[_Row | _Group]]:
        """Items cut into pages. A group heading goes to the next page with its first row;
        a page that starts inside a group repeats its heading, marked "(continued)"."""
        room = self.table_top - HEAD_ROW - BOTTOM
        pages: list[list[_Row | _Group]] = [[]]
        used = 0.0
        group: _Group | None = None
        for n, item in enumerate(items):
            if isinstance(item, _Group):
                group = item
                following = items[n + 1] if n + 1 < len(items) else None
                need = GROUP_ROW + (following.height if isinstance(following, _Row) else 0)
                if used + need > room and pages[-1]:
                    pages.append([])
                    used = 0.0
                pages[-1].append(item)
                used += GROUP_ROW
                continue
            if used + item.height > room and pages[-1]:
                pages.append([])
                used = 0.0
                if group is not None:
                    # Translators: a sector's heading repeated at the top of the next page of the
                    # sign-in sheet: "Judiciary — 12 (continued)".
                    cont = _Group(self.words._("{heading} (continued)").format(heading=group.heading))
                    pages[-1].append(cont)
                    used += GROUP_ROW
            pages[-1].append(item)
            used += item.height
        return pages

    # -- drawing ----------------------------------------------------------------------------------

    def draw(self, pages: list[list[_Row | _Group]], total_people: int, ticker: Ticker) -> None:
        count = len(pages)
        for n, page in enumerate(pages, start=1):
            self.new_page()
            self._draw_header()
            y = self._draw_table_head(self.table_top)
            for item in page:
                if isinstance(item, _Group):
                    y = self._draw_group(item, y)
                else:
                    y = self._draw_row(item, y)
                    ticker.step()
            if n == count:
                self.canvas.setFont(self.fonts.bold, 9)
                self.canvas.setFillColor(self.ink)
                # Translators: under the last row of the sign-in sheet: how many people it lists.
                self.canvas.drawString(MARGIN_X, y - 6 * MM, self.words._("Total: {n}").format(n=total_people))
            self._draw_footer(n, count)

    def _draw_header(self) -> None:
        c, f = self.canvas, self.fonts
        top = self.height - TOP
        c.setFillColor(self.accent)
        c.setFont(f.bold, 9)
        c.drawString(MARGIN_X, top - 9, self.words.p_("document", TITLE).upper())
        size, lines = self._header_layout
        y = self.text_lines(lines, f.bold, size, MARGIN_X, top - 12, colour=self.ink)
        c.setFillColor(self.grey)
        c.setFont(f.regular, 9)
        c.drawString(MARGIN_X, y - 9, self.meta)
        c.setStrokeColor(self.accent)
        c.setLineWidth(1.2)
        c.line(MARGIN_X, self.table_top + 2.5 * MM, self.width - MARGIN_X, self.table_top + 2.5 * MM)

    def _draw_table_head(self, top: float) -> float:
        c, f = self.canvas, self.fonts
        c.setFillColor(self.head_fill)
        c.rect(MARGIN_X, top - HEAD_ROW, sum(self.widths), HEAD_ROW, stroke=0, fill=1)
        c.setFillColor(self.ink)
        x = MARGIN_X
        for width, text in zip(self.widths, self.headers):
            size, lines = fit_lines(text, f.bold, 8.5, 6, width - 2 * CELL_PAD, max_lines=1)
            c.setFont(f.bold, size)
            c.drawString(x + CELL_PAD, top - HEAD_ROW / 2 - size * 0.35, lines[0] if lines else "")
            x += width
        self._grid(top, top - HEAD_ROW)
        return top - HEAD_ROW

    def _draw_group(self, group: _Group, top: float) -> float:
        c, f = self.canvas, self.fonts
        c.setFillColor(self.group_fill)
        c.rect(MARGIN_X, top - GROUP_ROW, sum(self.widths), GROUP_ROW, stroke=0, fill=1)
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.5)
        c.rect(MARGIN_X, top - GROUP_ROW, sum(self.widths), GROUP_ROW, stroke=1, fill=0)
        c.setFillColor(self.accent)
        c.setFont(f.bold, 9)
        c.drawString(MARGIN_X + CELL_PAD, top - GROUP_ROW / 2 - 3.2,
                     ellipsize(group.heading, f.bold, 9, sum(self.widths) - 2 * CELL_PAD))
        return top - GROUP_ROW

    def _draw_row(self, row: _Row, top: float) -> float:
        c, f = self.canvas, self.fonts
        bottom = top - row.height
        first_baseline = top - CELL_PAD - TEXT_SIZE * 0.93
        c.setFillColor(self.ink)
        c.setFont(f.regular, TEXT_SIZE)
        c.drawRightString(MARGIN_X + self.widths[0] - CELL_PAD, first_baseline, f"{row.number}.")
        x = MARGIN_X + self.widths[0]
        family = row.person.family
        for i, lines in enumerate(row.cells):
            y = first_baseline
            for k, line in enumerate(lines):
                at = _surname_at(line, family, first=k == 0, last=k == len(lines) - 1) if i == 0 else -1
                if at >= 0:
                    # The surname in bold (first in Russian and Kazakh, last in English), the
                    # rest of the name as it is.
                    left = x + CELL_PAD
                    for piece, font in ((line[:at], f.regular), (family, f.bold), (line[at + len(family):], f.regular)):
                        if piece:
                            c.setFont(font, TEXT_SIZE)
                            c.drawString(left, y, piece)
                            left += c.stringWidth(piece, font, TEXT_SIZE)
                else:
                    c.setFont(f.regular, TEXT_SIZE)
                    c.drawString(x + CELL_PAD, y, line)
                y -= LEADING
            x += self.widths[i + 1]
        self._grid(top, bottom)
        return bottom

    def _grid(self, top: float, bottom: float) -> None:
        c = self.canvas
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.5)
        right = MARGIN_X + sum(self.widths)
        lines = [(MARGIN_X, top, right, top), (MARGIN_X, bottom, right, bottom)]
        x = MARGIN_X
        for width in (0.0, *self.widths):
            x += width
            lines.append((x, top, x, bottom))
        c.lines(lines)

    def _draw_footer(self, n: int, count: int) -> None:
        c, f = self.canvas, self.fonts
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, BOTTOM - 4 * MM, self.width - MARGIN_X, BOTTOM - 4 * MM)
        c.setFillColor(self.grey)
        c.setFont(f.regular, 8)
        c.drawRightString(self.width - MARGIN_X, BOTTOM - 8 * MM, self.words._("Page {n} of {m}").format(n=n, m=count))
        c.drawString(MARGIN_X, BOTTOM - 8 * MM, ellipsize(self.event_title, f.regular, 8, self.width * 0.6))


def _surname_at(line: str, family: str, *, first: bool, last: bool) -> int:
    """Where the surname ``family`` is in a line of a name: at the start of its first line
    (Russian and Kazakh), or the last word of its last line (English); -1: not here."""
    if not family:
        return -1
    if first and line.startswith(family):
        return 0
    if last and line.endswith(" " + family):
        return len(line) - len(family)
    return -1


def arrange(people: Sequence[Attendee], group_by_sector: bool, lang: str) -> list[tuple[str | None, list[Attendee]]]:
    """The list in print order: one group (heading None) by surname, or sectors in their
    usual order, each by surname."""
    if not group_by_sector:
        return [(None, list(people))]
    by_sector: dict[str | None, list[Attendee]] = {}
    for person in people:
        by_sector.setdefault(person.sector, []).append(person)
    return [(f"{vocabulary.sector(s, lang)} — {len(by_sector[s])}", by_sector[s])
            for s in SECTOR_ORDER if s in by_sector]


def export_sign_in_sheet(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    *,
    registration_ids: list[int] | None = None,
    group_by_sector: bool = False,
    with_position: bool = True,
    lang: str = "en",
    statuses: Sequence[Any] | None = None,
    only_checked_in: bool = False,
    progress: Progress | None = None,
) -> PrintResult:
    """Write the attendance list of the event to ``path`` (PDF); ``items`` of the result
    is the number of people listed. Selection and errors as for ``export_badges``;
    ``only_checked_in`` lists only the people checked in (the attendance a donor asks for
    after the event)."""
    check_lang(lang)
    with database.read() as session:
        event = load_event(session, event_id, lang)
        people = load_attendees(session, event_id, lang, registration_ids=registration_ids, statuses=statuses,
                                only_checked_in=only_checked_in)
    if not people:
        if only_checked_in:
            raise NothingToPrint(_("nobody is checked in yet: there is nobody to list on the sign-in sheet."))
        raise NothingToPrint(_("there is nobody to list on the sign-in sheet in this selection."))
    with atomic_target(path) as tmp:
        sheet = SignInSheet(tmp, title=f"{event.title} — {words(lang).p_('document', TITLE)}", event_title=event.title,
                            dates=event.dates, place=event.place, lang=lang, with_position=with_position)
        ticker = Ticker(progress, len(people) * 2)
        items: list[_Row | _Group] = []
        number = 0
        for heading, group in arrange(people, group_by_sector, lang):
            if heading is not None:
                items.append(_Group(heading))
            for person in group:
                number += 1
                items.append(sheet.measure(number, person))
                ticker.step()
        sheet.draw(sheet.plan(items), len(people), ticker)
        pages = sheet.finish()
    return PrintResult(Path(path), len(people), pages, SIGN_IN)


__all__ = ["SignInSheet", "arrange", "export_sign_in_sheet"]
