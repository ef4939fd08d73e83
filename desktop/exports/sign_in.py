"""The sign-in sheet a donor asks for, before the event and after it.

Before the event: every expected participant by surname, with a wide signature column and
rows tall enough to sign in (``export_sign_in_sheet``; its title "Attendance list").
After it, with ``only_checked_in``: the *list of participants* a donor is sent — only the
people checked in, with the time each first arrived (in the event's time zone) where the
sheet had the signature column, and rows only as tall as their text.

A4 portrait. Every page has the same header (the document's title, the event's title,
date and venue), the table's header row, and the event's title and "Page N of M" at the
foot. With ``group_by_sector`` the list is cut into sectors (judiciary, government, …)
with a heading row each, repeated "(continued)" at the top of a page where a sector goes
on; numbering runs through the whole list.

Nothing is cut: a name wraps at spaces, a surname wider than its column at its own hyphen,
then between syllables (``desktop.exports.hyphenation``), and stays bold on every line;
organisations and positions wrap in full and the row grows. The columns are sized so that
no syllable is wider than its column in the ordinary case; the number column is as wide as
the longest number needs.

The table is paginated here, not by platypus, and streams: each row is measured (its lines
and height; the person is let go), placed on the page being filled with two rows of
look-ahead (a sector heading is never left alone at the bottom of a page, nor the last row
without room for the total under it), and a page is drawn as soon as it is full. "Page N
of M" is a form each page names and that is drawn after the last page, when M is known. The
people are read in print order a batch at a time (``PrintList``: a sector's count in its
heading and the list's length come from SQL), so drawing holds one page of rows beside one
batch of people and ReportLab's pages of one part (a long list is saved in parts of ``PART_PAGES`` pages and
joined: ``PageWriter``), and progress is reported row by row. Organisations and positions
repeat across a list: each text is wrapped once per column (a bounded cache), and the words
of names are measured once.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core import formats, vocabulary
from desktop.core.language import NP_, _, words
from desktop.exports.hyphenation import HYPHEN, MIN_LEFT, hyphen_points, wrap_hyphenated
from desktop.exports.print_common import (
    PART_PAGES,
    SECTOR_ORDER,
    SIGN_IN,
    Attendee,
    NothingToPrint,
    PageWriter,
    PrintList,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    check_lang,
    ellipsize,
    hex_colour,
    load_event,
)

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGIN_X = 15 * MM
TOP = 12 * MM          # from the page's top edge to the header
BOTTOM = 16 * MM       # from the page's bottom edge to the foot of the table (at least)
ROW_MIN = 11 * MM      # room for a real signature
LIST_ROW_MIN = 7 * MM  # the list of participants: nobody signs it
CELL_PAD = 1.8 * MM
TEXT_SIZE = 8.5
LEADING = 10.2
HEAD_SIZE = 8.5        # the table's header row, shrunk (not below HEAD_MIN) only if a word is wider
HEAD_MIN = 6.5
HEAD_ONE_LINE = 7.5   # a heading a little smaller than HEAD_SIZE stays on one line
HEAD_ROW = 8 * MM      # the header row's height (at least: a heading may take two lines)
GROUP_ROW = 7.5 * MM
TOTAL_ROOM = 8 * MM    # under the last row: "Total: N"
TITLE_SIZES = (12.5, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0)  # the event's title in the header
FOOTER_SIZES = (8.0, 7.5, 7.0, 6.5)                          # the event's title at the foot
FOOTER_GAP = 6 * MM    # between the footer's title and "Page N of M"
FOOTER_EDGE = 7.5 * MM  # the last footer line's baseline above the page's edge (its descenders clear 6 mm)

# The documents' titles (on every page, and the file's title) and the columns' headings.
TITLE = NP_("document", "Attendance list")
LIST_TITLE = NP_("document", "List of participants")
HEADINGS = {
    "no": NP_("sign-in sheet", "No."),
    "name": NP_("sign-in sheet", "Name"),
    "organisation": NP_("sign-in sheet", "Organisation"),
    "position": NP_("sign-in sheet", "Position"),
    "signature": NP_("sign-in sheet", "Signature"),
    # Translators: the last column of the list of participants: when each person arrived
    # (checked in), "09:12", with the date above it for an event of several days.
    "arrival": NP_("sign-in sheet", "Arrival"),
}

# The columns after the number's, in mm before scaling to the page: name, organisation,
# [position,] signature or arrival.
WIDTHS = {
    (False, True): (44, 46, 36, 45),
    (False, False): (52, 62, 57),
    (True, True): (47, 57, 44, 23),
    (True, False): (62, 86, 23),
}
NUMBER_MIN = 4.5 * MM  # the number column's text, at least ("9.")

_SAVING = threading.Lock()  # one save at a time sets ReportLab's switch (see SignInSheet.save_canvas)

_NO_SECTOR_YET = object()  # before the first person's sector heading

NameRun = tuple[str, bool, float]
"""A piece of a name's line: text, bold (the surname), its x from the cell's text edge."""


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    name: tuple[tuple[NameRun, ...], ...]  # the name's lines
    cells: tuple[tuple[str, ...], ...]     # lines of organisation[, position][, arrival]
    height: float


@dataclass(frozen=True, slots=True)
class _Group:
    heading: str


class SignInSheet(PageWriter):
    """The sign-in sheet's or the list of participants' pages (see the module docstring).

    ``total`` (the number of rows, when known) sizes the number column; ``attendance``
    makes the list of participants (its title, an arrival column instead of the signature).
    """

    default_part_pages = PART_PAGES  # a list of 100,000: never all pages in memory (PageWriter)

    def __init__(self, filename: str | os.PathLike[str], *, title: str, event_title: str, dates: str,
                 place: str, lang: str = "en", with_position: bool = True, attendance: bool = False,
                 total: int = 999, part_pages: int | None = None) -> None:
        super().__init__(filename, A4, title=title, subject=event_title, lang=lang, part_pages=part_pages)
        f = self.fonts
        self.lang = lang
        self.with_position = with_position
        self.attendance = attendance
        self.event_title = " ".join(event_title.split())
        self.meta = " · ".join(p for p in (dates, place) if p)
        self.words = words(lang)
        self.document_title = self.words.p_("document", LIST_TITLE if attendance else TITLE)
        content = self.width - 2 * MARGIN_X
        keys = ("no", "name", "organisation", *(("position",) if with_position else ()),
                "arrival" if attendance else "signature")
        self.headers = [self.words.p_("sign-in sheet", HEADINGS[k]) for k in keys]
        # The number column as wide as its longest number and its heading need; the others
        # share the rest.
        number = max(NUMBER_MIN, self.canvas.stringWidth(f"{max(total, 9)}.", f.regular, TEXT_SIZE) + 1,
                     self.canvas.stringWidth(self.headers[0], f.bold, HEAD_SIZE)) + 2 * CELL_PAD
        widths_mm = WIDTHS[(attendance, with_position)]
        scale = (content - number) / (sum(widths_mm) * MM)
        self.widths = [number, *(w * MM * scale for w in widths_mm)]
        self.row_min = LIST_ROW_MIN if attendance else ROW_MIN
        self.accent = hex_colour("#1F4E8C")
        self.grey = hex_colour("#5F6B7A")
        self.rule = hex_colour("#9AA6B8")
        self.head_fill = hex_colour("#E3EAF4")
        self.group_fill = hex_colour("#F1F4F9")
        self.ink = hex_colour("#111111")
        self._title_layout = _fit_wrapped(self.event_title, f.bold, TITLE_SIZES, content, 2)
        self._head_layout = self._table_head_layout()
        self.table_top = self._header_height()
        # The footer: the event's title beside "Page N of M" (room for four-digit numbers).
        page_room = self.canvas.stringWidth(self.words._("Page {n} of {m}").format(n=9999, m=9999),
                                            f.regular, FOOTER_SIZES[0])
        self._footer_layout = _fit_wrapped(self.event_title, f.regular, FOOTER_SIZES,
                                           content - page_room - FOOTER_GAP, 2)
        size, lines = self._footer_layout
        self.bottom = max(BOTTOM, 8 * MM + (len(lines) - 1) * size * 1.2 + FOOTER_EDGE)
        self.room = self.table_top - self.head_height - self.bottom
        self.max_lines = max(1, int((self.room - TOTAL_ROOM - 2 * CELL_PAD - 2) // LEADING))
        self._wrapped: dict[tuple[int, str], tuple[str, ...]] = {}

    # -- measuring ------------------------------------------------------------------------------

    def _header_height(self) -> float:
        size, lines = self._title_layout
        return self.height - TOP - (9 + 3) - len(lines) * size * 1.18 - 9 * 1.2 - 5 * MM

    def _table_head_layout(self) -> list[tuple[float, list[str]]]:
        """Each column's heading: its size and lines (one line, a little smaller if need
        be; else wrapped; shrunk only for a word wider than the column)."""
        from desktop.exports.hyphenation import longest_word_width

        layout: list[tuple[float, list[str]]] = []
        for width, text in zip(self.widths, self.headers):
            inner = width - 2 * CELL_PAD
            one = self.canvas.stringWidth(text, self.fonts.bold, 1)
            if one and min(HEAD_SIZE, inner / one) >= HEAD_ONE_LINE:
                layout.append((min(HEAD_SIZE, inner / one), [text]))
                continue
            size = HEAD_SIZE
            widest = longest_word_width(text, self.fonts.bold, size)
            if widest > inner:
                size = max(HEAD_MIN, size * inner / widest)
            layout.append((size, wrap_hyphenated(text, self.fonts.bold, size, inner)))
        return layout

    @property
    def head_height(self) -> float:
        tallest = max(len(lines) * size * 1.15 for size, lines in self._head_layout)
        return max(HEAD_ROW, tallest + 2 * CELL_PAD)

    def measure(self, number: int, person: Attendee, arrival: Sequence[str] = ()) -> _Row:
        """One person's row: the lines of each cell and the row's height."""
        f = self.fonts
        name = name_lines(person.listed or person.name, person.family, f.regular, f.bold, TEXT_SIZE,
                          self.widths[1] - 2 * CELL_PAD, family_first=self.lang != "en")
        cells = [self._wrap(2, person.organisation)]
        if self.with_position:
            cells.append(self._wrap(3, person.position))
        if self.attendance:
            cells.append(tuple(arrival))
        lines = max(len(name), *(len(c) for c in cells))
        if lines > self.max_lines:  # only a text of a page's length: nothing else is ever cut
            name = name[: self.max_lines]
            cells = [self._cut(i + 2, c) for i, c in enumerate(cells)]
            lines = self.max_lines
        height = max(self.row_min, lines * LEADING + 2 * CELL_PAD + 2)
        return _Row(number, tuple(name), tuple(cells), height)

    def _wrap(self, column: int, text: str) -> tuple[str, ...]:
        """``text`` wrapped in full in ``column`` (cached: organisations and positions repeat)."""
        key = (column, text)
        found = self._wrapped.get(key)
        if found is None:
            if len(self._wrapped) >= 4096:
                self._wrapped.clear()
            width = self.widths[column] - 2 * CELL_PAD
            found = tuple(wrap_hyphenated(text, self.fonts.regular, TEXT_SIZE, width)) if text else ()
            self._wrapped[key] = found
        return found

    def _cut(self, column: int, lines: tuple[str, ...]) -> tuple[str, ...]:
        if len(lines) <= self.max_lines:
            return lines
        kept = list(lines[: self.max_lines])
        kept[-1] = ellipsize(kept[-1] + " …", self.fonts.regular, TEXT_SIZE, self.widths[column] - 2 * CELL_PAD)
        return tuple(kept)

    def plan(self, items: Iterable[_Row | _Group]) -> list[list[_Row | _Group]]:
        """Items cut into pages (all of them: for tests; ``write`` takes them a page at a time)."""
        return [page for page, _last in self.paginate(items)]

    def paginate(self, items: Iterable[_Row | _Group]) -> Iterator[tuple[list[_Row | _Group], bool]]:
        """Items cut into pages, each given as soon as it is full (and whether it is the
        last): a group heading goes to the next page with its first row; a page that starts
        inside a group repeats its heading, marked "(continued)"; the last row goes to a new
        page rather than leave no room for the total under it. Looks two items ahead, so
        only a page's items are held at a time."""
        room = self.room
        ahead: deque[_Row | _Group] = deque()
        source = iter(items)

        def peek(k: int) -> _Row | _Group | None:
            while len(ahead) <= k:
                nxt = next(source, None)
                if nxt is None:
                    return None
                ahead.append(nxt)
            return ahead[k]

        page: list[_Row | _Group] = []
        used = 0.0
        group: _Group | None = None
        while peek(0) is not None:
            item = ahead.popleft()
            if isinstance(item, _Group):
                group = item
                following = peek(0)
                need = GROUP_ROW
                if isinstance(following, _Row):
                    need += following.height + (TOTAL_ROOM if peek(1) is None else 0)
                if used + need > room and page:
                    yield page, False
                    page, used = [], 0.0
                page.append(item)
                used += GROUP_ROW
                continue
            need = item.height + (TOTAL_ROOM if peek(0) is None else 0)
            if used + need > room and page and not (len(page) == 1 and isinstance(page[0], _Group)):
                yield page, False
                page, used = [], 0.0
                if group is not None:
                    # Translators: a sector's heading repeated at the top of the next page of the
                    # sign-in sheet: "Judiciary — 12 (continued)".
                    page.append(_Group(self.words._("{heading} (continued)").format(heading=group.heading)))
                    used += GROUP_ROW
            page.append(item)
            used += item.height
        yield page, True

    # -- drawing ----------------------------------------------------------------------------------

    def write(self, items: Iterable[_Row | _Group], total_people: int, ticker: Ticker) -> None:
        """Draw the pages as they are planned. "Page N of M" is a late form each page names
        (``PageWriter.late_form``), drawn once M is known, after the last page: nothing of
        a page is kept once it is drawn."""
        count = 0
        for page, last in self.paginate(items):
            count += 1
            self.new_page()
            self._draw_header()
            y = self._draw_page(page, self._draw_table_head(self.table_top), ticker)
            if last:
                self.canvas.setFont(self.fonts.bold, 9)
                self.canvas.setFillColor(self.ink)
                # Translators: under the last row of the sign-in sheet: how many people it lists.
                self.canvas.drawString(MARGIN_X, y - 6 * MM, self.words._("Total: {n}").format(n=total_people))
            self._draw_footer(count)

    def draw(self, pages: list[list[_Row | _Group]], total_people: int, ticker: Ticker) -> None:
        """Draw pages planned already (``plan``)."""
        self.write((item for page in pages for item in page), total_people, ticker)

    def _draw_header(self) -> None:
        c, f = self.canvas, self.fonts
        top = self.height - TOP
        c.setFillColor(self.accent)
        c.setFont(f.bold, 9)
        c.drawString(MARGIN_X, top - 9, self.document_title.upper())
        size, lines = self._title_layout
        y = self.text_lines(lines, f.bold, size, MARGIN_X, top - 12, colour=self.ink)
        c.setFillColor(self.grey)
        c.setFont(f.regular, 9)
        c.drawString(MARGIN_X, y - 9, self.meta)
        c.setStrokeColor(self.accent)
        c.setLineWidth(1.2)
        c.line(MARGIN_X, self.table_top + 2.5 * MM, self.width - MARGIN_X, self.table_top + 2.5 * MM)

    def _draw_table_head(self, top: float) -> float:
        c, f = self.canvas, self.fonts
        height = self.head_height
        c.setFillColor(self.head_fill)
        c.rect(MARGIN_X, top - height, sum(self.widths), height, stroke=0, fill=1)
        c.setFillColor(self.ink)
        x = MARGIN_X
        for width, (size, lines) in zip(self.widths, self._head_layout):
            c.setFont(f.bold, size)
            leading = size * 1.15
            # The lines centred on the row's middle.
            y = top - height / 2 + (len(lines) - 1) * leading / 2 - size * 0.35
            for line in lines:
                c.drawString(x + CELL_PAD, y, line)
                y -= leading
            x += width
        self._rules(top, top - height, [top, top - height])
        return top - height

    def _draw_page(self, page: list[_Row | _Group], top: float, ticker: Ticker) -> float:
        """The page's rows and headings from ``top`` down; the y under the last.

        All the page's text is one text object (a font set only where it changes), and the
        column rules are drawn once for each run of rows between headings: the page costs
        little more than its letters."""
        c, f = self.canvas, self.fonts
        text = c.beginText()
        text.setFillColor(self.ink)
        font: tuple[str, float] | None = None

        def say(x: float, y: float, s: str, face: str, size: float = TEXT_SIZE) -> None:
            nonlocal font
            if font != (face, size):
                text.setFont(face, size)
                font = (face, size)
            text.setTextOrigin(x, y)
            text.textOut(s)

        y = top
        run_top, bottoms = top, [top]
        number_right = MARGIN_X + self.widths[0] - CELL_PAD
        name_left = MARGIN_X + self.widths[0] + CELL_PAD
        for item in page:
            if isinstance(item, _Group):
                self._rules(run_top, y, bottoms)
                c.setFillColor(self.group_fill)
                c.setStrokeColor(self.rule)
                c.setLineWidth(0.5)
                c.rect(MARGIN_X, y - GROUP_ROW, sum(self.widths), GROUP_ROW, stroke=1, fill=1)
                heading = ellipsize(item.heading, f.bold, 9, sum(self.widths) - 2 * CELL_PAD)
                text.setFillColor(self.accent)
                say(MARGIN_X + CELL_PAD, y - GROUP_ROW / 2 - 3.2, heading, f.bold, 9)
                text.setFillColor(self.ink)
                y -= GROUP_ROW
                run_top, bottoms = y, [y]
                continue
            baseline = y - CELL_PAD - TEXT_SIZE * 0.93
            number = f"{item.number}."
            say(number_right - _width(number, f.regular, TEXT_SIZE), baseline, number, f.regular)
            line_y = baseline
            for line in item.name:
                for piece, bold, dx in line:
                    say(name_left + dx, line_y, piece, f.bold if bold else f.regular)
                line_y -= LEADING
            x = MARGIN_X + self.widths[0] + self.widths[1]
            for i, lines in enumerate(item.cells, start=2):
                line_y = baseline
                for cell_line in lines:
                    say(x + CELL_PAD, line_y, cell_line, f.regular)
                    line_y -= LEADING
                x += self.widths[i]
            y -= item.height
            bottoms.append(y)
            ticker.step()
        self._rules(run_top, y, bottoms)
        c.drawText(text)
        return y

    def _rules(self, top: float, bottom: float, across: list[float]) -> None:
        """The table's rules from ``top`` to ``bottom``: a line across at each of ``across``,
        and the column rules."""
        if bottom >= top:
            return
        c = self.canvas
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.5)
        right = MARGIN_X + sum(self.widths)
        lines = [(MARGIN_X, y, right, y) for y in across]
        x = MARGIN_X
        for width in (0.0, *self.widths):
            x += width
            lines.append((x, top, x, bottom))
        c.lines(lines)

    def _draw_footer(self, n: int) -> None:
        c, f = self.canvas, self.fonts
        rule = self.bottom - 4 * MM
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, rule, self.width - MARGIN_X, rule)
        c.setFillColor(self.grey)
        baseline = rule - 4 * MM
        self.late_form(f"page{n}")
        size, lines = self._footer_layout
        c.setFont(f.regular, size)
        for line in lines:
            c.drawString(MARGIN_X, baseline, line)
            baseline -= size * 1.2

    def save_canvas(self, canvas: Any) -> None:
        """Write the file (or a part), its streams only compressed: ReportLab would also
        write each in ASCII85 (a quarter larger, and a quarter of the time a long list
        takes to save)."""
        from reportlab import rl_config

        # The switch is ReportLab's, read as the file is written: set for this save only.
        with _SAVING:
            before = rl_config.useA85
            rl_config.useA85 = 0
            try:
                canvas.save()
            finally:
                rl_config.useA85 = before

    def draw_late_form(self, name: str) -> None:
        """"Page N of M" of page N (the form ``page{N}``), now that M is known (see ``write``)."""
        c = self.canvas
        n = int(name.removeprefix("page"))
        c.beginForm(name)
        c.setFillColor(self.grey)
        c.setFont(self.fonts.regular, FOOTER_SIZES[0])
        c.drawRightString(self.width - MARGIN_X, self.bottom - 8 * MM,
                          self.words._("Page {n} of {m}").format(n=n, m=self.pages))
        c.endForm()


def _fit_wrapped(text: str, font: str, sizes: Sequence[float], width: float, max_lines: int) -> tuple[float, list[str]]:
    """The largest of ``sizes`` at which ``text`` wraps into ``max_lines`` lines of ``width``;
    at the smallest, all the lines it takes (never cut)."""
    lines: list[str] = []
    for size in sizes:
        lines = wrap_hyphenated(text, font, size, width)
        if len(lines) <= max_lines:
            return size, lines
    return sizes[-1], lines


def _surname_flags(words_: list[str], family: str, family_first: bool) -> list[bool]:
    """Which words of a name are its surname ``family``: at the start (Russian and Kazakh
    lists) or at the end (English); none when it is at neither."""
    fam = family.split()
    k = len(fam)
    flags = [False] * len(words_)
    if not k or k > len(words_):
        return flags
    at_start, at_end = words_[:k] == fam, words_[-k:] == fam
    if at_start and (family_first or not at_end):
        flags[:k] = [True] * k
    elif at_end:
        flags[-k:] = [True] * k
    return flags


def name_lines(text: str, family: str, regular: str, bold: str, size: float, width: float, *,
               family_first: bool) -> list[tuple[NameRun, ...]]:
    """A name in lines no wider than ``width``, its surname in ``bold``: broken at spaces;
    a word wider than a line at its own hyphen, else between syllables (a hyphen added) —
    never in the middle of a syllable unless a syllable alone is wider than the line. A
    line is a few runs ``(text, bold, x)``."""
    def measure(s: str, is_bold: bool) -> float:
        return _width(s, bold if is_bold else regular, size)

    space = measure(" ", False)
    tokens = text.split()
    lines: list[list[tuple[str, bool, float]]] = []
    current: list[tuple[str, bool, float]] = []
    used = 0.0
    for word, is_bold in zip(tokens, _surname_flags(tokens, family, family_first)):
        w = measure(word, is_bold)
        gap = space if current else 0.0
        if used + gap + w <= width:
            current.append((word, is_bold, w))
            used += gap + w
            continue
        if w <= width:
            lines.append(current)
            current, used = [(word, is_bold, w)], w
            continue
        start = 0
        if current:
            # After words already on the line, only at the word's own hyphen; a break
            # between syllables waits for a line of its own.
            found = _head(word, 0, _fits(measure, is_bold, width - used - space), own_only=True)
            if found is not None:
                current.append((found[0], is_bold, measure(found[0], is_bold)))
                start = found[1]
            lines.append(current)
        fits = _fits(measure, is_bold, width)
        while not fits(word[start:]):
            head, start = _head(word, start, fits) or _by_letters(word, start, fits)
            lines.append([(head, is_bold, measure(head, is_bold))])
        rest = word[start:]
        current, used = [(rest, is_bold, measure(rest, is_bold))], measure(rest, is_bold)
    if current:
        lines.append(current)
    return [_runs(line, space) for line in lines if line]


@functools.lru_cache(maxsize=16384)
def _width(text: str, font: str, size: float) -> float:
    """A word's width, remembered: given names, patronymics and pieces of names repeat down
    a list (and measuring a TrueType string is most of what wrapping a name costs)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def _fits(measure: Callable[[str, bool], float], is_bold: bool, width: float) -> Callable[[str], bool]:
    return lambda s: measure(s, is_bold) <= width


def _head(word: str, start: int, fits: Callable[[str], bool], *, own_only: bool = False) -> tuple[str, int] | None:
    """The longest head of ``word[start:]`` that fits, and where the rest starts: ending at
    one of the word's own hyphens, else (unless ``own_only``) between two syllables, a
    hyphen added. The syllables are those of the whole word: a piece of a Kazakh word may
    look Russian to the rules, and be broken where Kazakh would not."""
    own = [i + 1 for i in range(start + MIN_LEFT, len(word) - 1) if word[i] == HYPHEN]
    for end in reversed(own):
        if fits(word[start:end]):
            return word[start:end], end
    if own_only:
        return None
    for point in reversed(hyphen_points(word)):
        if point - start >= MIN_LEFT and word[point - 1] != HYPHEN and fits(word[start:point] + HYPHEN):
            return word[start:point] + HYPHEN, point
    return None


def _by_letters(word: str, start: int, fits: Callable[[str], bool]) -> tuple[str, int]:
    """A piece with no break at all that is still too wide (it cannot be set otherwise)."""
    end = len(word) - 1
    while end > start + 1 and not fits(word[start:end]):
        end -= 1
    return word[start:end], end


def _runs(line: list[tuple[str, bool, float]], space: float) -> tuple[NameRun, ...]:
    """A line's words joined into runs of one style, each with its x."""
    runs: list[NameRun] = []
    x = 0.0
    for word, is_bold, w in line:
        if runs and runs[-1][1] == is_bold:
            text, _b, at = runs[-1]
            runs[-1] = (f"{text} {word}", is_bold, at)
        else:
            runs.append((word, is_bold, x))
        x += w + space
    return tuple(runs)


def arrange(people: Sequence[Attendee], group_by_sector: bool, lang: str) -> list[tuple[str | None, list[Attendee]]]:
    """The list in print order: one group (heading None) by surname, or sectors in their
    usual order, each by surname (for a list held whole; ``export_sign_in_sheet`` reads
    its people in print order from a ``PrintList``, each heading's count from SQL)."""
    if not group_by_sector:
        return [(None, list(people))]
    by_sector: dict[str | None, list[Attendee]] = {}
    for person in people:
        by_sector.setdefault(person.sector, []).append(person)
    return [(sector_heading(s, len(by_sector[s]), lang), by_sector[s]) for s in SECTOR_ORDER if s in by_sector]


def sector_heading(sector: str | None, count: int, lang: str) -> str:
    """A sector's heading row: "Judiciary — 12"."""
    return f"{vocabulary.sector(sector, lang)} — {count}"


def first_arrivals(session: Any, event_id: int,
                   registration_ids: Sequence[int] | None = None) -> dict[int, dt.datetime]:
    """When each of the event's registrations (or of these) was first checked in (aware,
    UTC): its earliest check-in that no undo cancelled."""
    from sqlalchemy import func, select

    from db.models import CheckIn, CheckInAction, Registration
    from desktop.core.raw import utc_value

    undone = select(CheckIn.undoes).where(CheckIn.action == CheckInAction.UNDO, CheckIn.undoes.is_not(None))
    stmt = (
        select(CheckIn.registration_id, func.min(CheckIn.happened_at))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event_id, CheckIn.action == CheckInAction.IN, CheckIn.uuid.not_in(undone))
        .group_by(CheckIn.registration_id)
    )
    if registration_ids is not None:
        stmt = stmt.where(CheckIn.registration_id.in_(list(registration_ids)))
    return {rid: utc_value(at) for rid, at in session.execute(stmt) if at is not None}


def arrival_lines(at: dt.datetime | None, zone: dt.tzinfo, event_days: tuple[dt.date, dt.date],
                  lang: str) -> tuple[str, ...]:
    """An arrival as the list prints it, in the event's time zone: "09:12", with the day
    above it ("13 Mar") unless the event has one day and it was that day."""
    if at is None:
        return ()
    local = at.astimezone(zone)
    time = formats.time(local, lang)
    first, last = event_days
    if first == last == local.date():
        return (time,)
    return (formats.day_month(local.date(), lang, short=True), time)


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
    """Write the sign-in sheet of the event to ``path`` (PDF); ``items`` of the result is
    the number of people listed. Selection and errors as for ``export_badges``.

    ``only_checked_in`` makes the list of participants a donor asks for after the event:
    only the people checked in, each with the time of their first arrival.
    """
    from sqlalchemy import select

    from db.models import Event
    from desktop.core.attendee_list import event_zone

    check_lang(lang)
    with database.read() as session:  # one snapshot (SQLite) for the list and its batches
        event = load_event(session, event_id, lang)
        zone = event_zone(session.scalar(select(Event.timezone).where(Event.id == event_id)))
        people = PrintList(session, event_id, lang, registration_ids=registration_ids, statuses=statuses,
                           only_checked_in=only_checked_in, by_sector=group_by_sector)
        total = len(people)
        if not total:
            if only_checked_in:
                raise NothingToPrint(_("nobody is checked in yet: there is nobody to list on the sign-in sheet."))
            raise NothingToPrint(_("there is nobody to list on the sign-in sheet in this selection."))
        counts = people.sector_counts() if group_by_sector else {}
        days = (event.starts_on, event.ends_on)
        with atomic_target(path) as tmp:
            w = words(lang)
            title = w.p_("document", LIST_TITLE if only_checked_in else TITLE)
            sheet = SignInSheet(tmp, title=f"{event.title} — {title}", event_title=event.title, dates=event.dates,
                                place=event.place, lang=lang, with_position=with_position,
                                attendance=only_checked_in, total=total)
            ticker = Ticker(progress, total * 2)

            def rows() -> Iterator[_Row | _Group]:
                """Each row measured as the pages want it, its people read a batch at a time
                (the pages hold one page's rows; a batch is let go once its rows are measured)."""
                number = 0
                sector: object = _NO_SECTOR_YET
                for batch in people.batches():
                    arrivals = (first_arrivals(session, event_id, [p.registration_id for p in batch])
                                if only_checked_in else {})
                    for person in batch:
                        if group_by_sector and person.sector != sector:
                            sector = person.sector
                            yield _Group(sector_heading(person.sector, counts.get(person.sector, 0), lang))
                        number += 1
                        arrival = arrival_lines(arrivals.get(person.registration_id), zone, days, lang)
                        yield sheet.measure(number, person, arrival if only_checked_in else ())
                        ticker.step()

            sheet.write(rows(), total, ticker)
            pages = sheet.finish(check=ticker.check)
    return PrintResult(Path(path), total, pages, SIGN_IN)


__all__ = ["SignInSheet", "arrange", "arrival_lines", "export_sign_in_sheet", "first_arrivals", "name_lines",
           "sector_heading"]
