"""Badges: A4 sheets of 8 or 10 with crop marks, or one per page on A6 or ID-1 card stock.

Each badge has the event's title at the top, the name large (on as many lines as it needs,
never cut), the position and the organisation, a coloured band with the category in the
chosen language, and a QR code of the badge code with the code in text under it, inside a
white quiet zone a phone camera needs.

No text is smaller than the layout's ``min_size`` (8 pt on the small badges, A4×10 and
ID-1; 9 pt on A4×8 and A6). A long organisation is written by its short name when it has
one, else wraps to more lines, and only then shrinks to the minimum; a position too the
same. Lines break at spaces, at a name's own hyphens, then between syllables
(``print_common.fit_lines`` with ``hyphenation``; a name is set smaller rather than broken
inside a word, unless that would make it far smaller); a position or an organisation that
still does not fit its lines at the minimum loses whole words at its end, marked "…" (never
after "of", "и", "және" and the like), the only text that may (the event's title too, past
its lines: a title of some 250 letters). The
name is never shortened: it takes more lines, and the details give up lines to it. The
room a name leaves goes back to a detail made smaller or shortened (more lines: an A6
card's free space), and a large name gives up some of its size when that lets a shortened
detail be whole.

The layouts are small subclasses of :class:`BadgeSheet`, which owns the canvas (through
``PageWriter``), places badges on pages and draws the crop marks; a subclass says the page
and badge sizes, the grid, its type sizes and areas (:class:`Style`), and whether its badges
are landscape (QR beside the name) or portrait (QR under it). ``draw_badges`` is the pure
layout: plain data in, pages out; the benchmark times it against a bare canvas.

A sheet may have a bleed (``bleed=True``, 3 mm): the coloured band runs 3 mm past the cut
line on its three outer sides, so a cut a little off leaves no white edge; the badges are
then set apart by the bleed (twice across, as two bands meet there), and the crop marks
start outside it. Card stock (A6, ID-1) is not cut and has none.

QR codes are drawn with ``QrCode(...).drawOn(canvas)`` (3.3× faster than the documented
``QrCodeWidget`` in a ``Drawing``: design.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from db.models import NameForm
from desktop.core.language import NP_, _, words
from desktop.exports.print_common import (
    BADGE_BANDS,
    BADGES,
    NAME_SYLLABLE_COST,
    PART_PAGES,
    Attendee,
    NothingToPrint,
    PageWriter,
    PrintList,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    badge_word,
    check_lang,
    fit_lines,
    hex_colour,
    load_event,
    short_name,
    string_width,
)
from desktop.exports.print_common import name_form as name_form_of

MM = 72 / 25.4
BLEED_MM = 3.0
INK, GREY, DARK = "#000000", "#5F6B7A", "#26313F"
NAME_LEADING = 1.08
DETAIL_LEADING = 1.16


@cache
def _colour(value: str) -> Any:
    return hex_colour(value)

# Colours that print well on office lasers and inkjets: deep, saturated enough to tell
# apart across a room, dark enough for white letters; not one of them is pale or neon.
PALETTE: dict[str, str] = {
    "speaker": "#B3261E",      # deep red
    "moderator": "#6A1B9A",    # purple
    "organiser": "#00695C",    # dark teal
    "press": "#C25E00",        # burnt orange
    "participant": "#1F4E8C",  # navy blue
    "interpreter": "#5D4037",  # brown
    "observer": "#455A64",     # slate grey
}

# The file's title (its metadata): "Event — Badges".
DOCUMENT = NP_("document", "Badges")


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows (plain strings; ``category`` is a key of ``PALETTE``;
    ``short_organisation`` is the organisation's short name, "" when it has none)."""

    code: str
    name: str
    position: str
    organisation: str
    category: str
    short_organisation: str = ""

    @classmethod
    def of(cls, a: Attendee, form: NameForm = NameForm.SHORT, short_organisation: str = "") -> BadgeData:
        """The badge of ``a``, the name in ``form`` (the event's choice, ``db.models.NameForm``)."""
        return cls(a.code, a.name_in(form), a.position, a.organisation, a.category, short_organisation)


_Plan = tuple[int, int, tuple[float, list[str]], tuple[float, list[str]], float]
"""Details as set: position's and organisation's lines allowed, each (size, lines), their height."""


class Style(NamedTuple):
    """A layout's type sizes (pt) and areas (mm)."""

    min_size: float     # no text on the badge is smaller
    pad: float          # margin inside the badge, mm
    band: float         # height of the coloured band, mm
    band_size: float    # its word
    qr: float           # side of the QR code's square (its quiet zone inside), mm
    title_size: float
    title_lines: int
    name_max: float
    name_min: float
    name_lines: int     # what the name may take before it goes below name_min
    detail_size: float  # position and organisation
    detail_lines: int


class BadgeSheet(PageWriter):
    """Badges placed on pages: ``cols`` × ``rows`` of ``badge`` size (mm) on ``page`` (mm),
    centred; crop marks in the margins when there is more than one per page."""

    key: ClassVar[str]
    label: ClassVar[str]
    page_mm: ClassVar[tuple[float, float]]
    badge_mm: ClassVar[tuple[float, float]]
    style: ClassVar[Style]
    cols: ClassVar[int] = 1
    rows: ClassVar[int] = 1
    portrait: ClassVar[bool] = False
    crop_marks: ClassVar[bool] = True
    default_part_pages = PART_PAGES  # 100,000 badges: never all pages in memory (PageWriter)

    def __init__(self, filename: str | os.PathLike[str], *, title: str, lang: str = "en",
                 event_title: str = "", bleed: bool = False) -> None:
        super().__init__(filename, (self.page_mm[0] * MM, self.page_mm[1] * MM),
                         title=title, subject=event_title, lang=lang)
        self.event_title = " ".join(event_title.split())
        self.bw, self.bh = self.badge_mm[0] * MM, self.badge_mm[1] * MM
        self.per_page = self.cols * self.rows
        # The bleed: only where badges are cut apart (a sheet), around the band's three outer sides.
        self.bleed = BLEED_MM * MM if bleed and self.per_page > 1 else 0.0
        self.gap_x, self.gap_y = 2 * self.bleed, self.bleed
        self.x0 = (self.width - self.cols * self.bw - (self.cols - 1) * self.gap_x) / 2
        self.y0 = (self.height - self.rows * self.bh - (self.rows - 1) * self.gap_y + self.bleed) / 2
        self._slot = 0
        self._colours = {k: hex_colour(v) for k, v in PALETTE.items()}
        self._words = {band: badge_word(band, lang).upper() for band in BADGE_BANDS}

    def cell(self, n: int) -> tuple[float, float]:
        """The lower left corner of the ``n``-th badge of a page (points)."""
        col, row = n % self.cols, n // self.cols
        x = self.x0 + col * (self.bw + self.gap_x)
        y = self.height - self.y0 - (row + 1) * self.bh - row * self.gap_y + self.bleed
        return x, y

    def add(self, badge: BadgeData) -> None:
        """Draw ``badge`` in the next free place, starting a page when needed."""
        if self._slot % self.per_page == 0:
            self.new_page()
            if self.crop_marks and self.per_page > 1:
                self.draw_crop_marks()
        x, y = self.cell(self._slot % self.per_page)
        self._slot += 1
        c = self.canvas
        c.saveState()
        c.translate(x, y)
        if self.portrait:
            self.draw_portrait(badge)
        else:
            self.draw_landscape(badge)
        c.restoreState()

    # -- crop marks -------------------------------------------------------------------------

    def draw_crop_marks(self) -> None:
        """Short hairlines in the margins on the line of every cut, clear of the badges and
        of the bleed."""
        c = self.canvas
        c.saveState()
        c.setLineWidth(0.3)
        c.setStrokeColorRGB(0, 0, 0)
        gap = (self.bleed + 1 * MM) if self.bleed else 2 * MM
        left, bottom = self.cell((self.rows - 1) * self.cols)
        right = self.cell(self.cols - 1)[0] + self.bw
        top = self.cell(0)[1] + self.bh
        room = min(left, self.width - right, bottom, self.height - top) - gap
        length = max(2 * MM, min(5 * MM, room - 1 * MM))
        xs = sorted({x for i in range(self.cols) for x in (self.cell(i)[0], self.cell(i)[0] + self.bw)})
        ys = sorted({y for j in range(self.rows) for y in (self.cell(j * self.cols)[1],
                                                          self.cell(j * self.cols)[1] + self.bh)})
        lines = []
        for x in xs:
            lines.append((x, top + gap, x, top + gap + length))
            lines.append((x, bottom - gap, x, bottom - gap - length))
        for y in ys:
            lines.append((left - gap, y, left - gap - length, y))
            lines.append((right + gap, y, right + gap + length, y))
        c.lines(lines)
        c.restoreState()

    # -- one badge ----------------------------------------------------------------------------

    def _band(self, category: str, height: float, centred: bool, pad: float) -> None:
        c, st = self.canvas, self.style
        c.setFillColor(self._colours.get(category, self._colours["participant"]))
        b = self.bleed
        c.rect(-b, -b, self.bw + 2 * b, height + b, stroke=0, fill=1)
        label = self._words.get(category, category.upper())
        bold = self.fonts.bold
        width = self.bw - 2 * pad if centred else self.bw * 0.62 - pad
        size, lines = fit_lines(label, bold, st.band_size, st.min_size, width, max_lines=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(bold, size)
        y = (height - size * 0.72) / 2
        if centred:
            c.drawCentredString(self.bw / 2, y, lines[0])
        else:
            c.drawString(pad, y, lines[0])

    def _qr(self, code: str, x: float, y: float, size: float) -> None:
        """The QR code of ``code`` in a ``size`` square at (x, y), its quiet zone (four
        modules) inside the square: the layouts keep everything else out of it, and the
        badge is white."""
        from reportlab.graphics.barcode.qr import QrCode

        c = self.canvas
        c.setFillColorRGB(0, 0, 0)
        QrCode(code, width=size, height=size, qrBorder=4, qrLevel="M").drawOn(c, x, y)

    def _title(self, width: float) -> tuple[float, list[str]]:
        st = self.style
        return fit_lines(self.event_title, self.fonts.regular, st.title_size, st.min_size, width,
                         max_lines=st.title_lines, line_cost=1.0)

    def _organisation(self, badge: BadgeData, width: float, lines: int) -> tuple[float, list[str]]:
        """The organisation in ``lines``: its name when it fits one line at the detail size,
        else its short name (when it has one), else its name on more lines, smaller."""
        st, bold = self.style, self.fonts.bold
        text = badge.organisation
        if badge.short_organisation and string_width(text, bold, st.detail_size) > width:
            text = badge.short_organisation
        return fit_lines(text, bold, st.detail_size, st.min_size, width, lines, leading=DETAIL_LEADING,
                         line_cost=1.0)

    def _details(self, badge: BadgeData, width: float, pos_n: int,
                 org_n: int) -> tuple[tuple[float, list[str]], tuple[float, list[str]], float]:
        """The position in ``pos_n`` lines and the organisation in ``org_n``, with their height."""
        st, f = self.style, self.fonts
        pos = (fit_lines(badge.position, f.regular, st.detail_size, st.min_size, width, pos_n,
                         leading=DETAIL_LEADING, line_cost=1.0) if pos_n else (0.0, []))
        org = self._organisation(badge, width, org_n)
        height = (len(pos[1]) * pos[0] + len(org[1]) * org[0]) * DETAIL_LEADING
        if pos[1] and org[1]:
            height += st.detail_size * 0.2
        return pos, org, height

    @staticmethod
    def _worth(text: str, size: float, lines: list[str]) -> tuple[bool, int, float]:
        """How well a detail is set: whole (not shortened with "…"), then how much of it is
        shown, then its size."""
        whole = not lines or not lines[-1].endswith("…") or text.endswith("…")
        return whole, len(text) if whole else sum(len(line) for line in lines), size if lines else 0.0

    def _whole(self, badge: BadgeData, plan: _Plan) -> bool:
        _, _, (_, pos_lines), (_, org_lines), _ = plan
        return (self._worth(badge.position, 0.0, pos_lines)[0]
                and self._worth(badge.organisation, 0.0, org_lines)[0])

    def _grow(self, badge: BadgeData, width: float, budget: float, plan: _Plan) -> _Plan:
        """``plan`` with more lines for a detail smaller than its size or shortened, one line
        at a time, while the details stay within ``budget`` (height)."""
        st, worth = self.style, self._worth
        pos_n, org_n, pos, org, details = plan
        while details and budget - details > st.min_size * DETAIL_LEADING * 0.9:
            tries = []
            if worth(badge.organisation, *org) < (True, len(badge.organisation), st.detail_size):
                tries.append((pos_n, org_n + 1))
            if badge.position and worth(badge.position, *pos) < (True, len(badge.position), st.detail_size):
                tries.append((pos_n + 1, org_n))
            for p_n, o_n in tries:
                p, o, height = self._details(badge, width, p_n, o_n)
                better = (worth(badge.position, *p) > worth(badge.position, *pos)
                          or worth(badge.organisation, *o) > worth(badge.organisation, *org))
                if height <= budget + 0.01 and better:
                    pos_n, org_n, pos, org, details = p_n, o_n, p, o, height
                    break
            else:
                break
        return pos_n, org_n, pos, org, details

    def _block(self, badge: BadgeData, x: float, width: float, top: float, bottom: float, align: str) -> None:
        """The name, position and organisation, centred in the height between ``top`` and
        ``bottom``. The details take their lines first; when the name does not fit what is
        left at its smallest size, they give up lines (the position first), then the name
        goes down to the badge's minimum, and only then is the position left out. Room the
        name leaves goes back to a detail that was made smaller or shortened: it takes more
        lines (the A6 card's free space); the name gives up size (down to the middle of its
        range) only when that lets a shortened detail be whole."""
        st, f = self.style, self.fonts
        available = top - bottom
        gap = st.detail_size * 0.55
        lines = st.detail_lines
        plans = ((lines, lines, st.name_min), (1, lines, st.name_min), (1, 1, st.name_min),
                 (1, 1, st.min_size), (0, 1, st.min_size))
        for pos_n, org_n, name_min in plans:
            (pos_size, pos_lines), (org_size, org_lines), details = self._details(badge, width, pos_n, org_n)
            room = available - details - (gap if details else 0)
            name_size, name_lines = fit_lines(badge.name, f.bold, st.name_max, name_min, width, st.name_lines,
                                              height=room, leading=NAME_LEADING, ellipsis=False,
                                              syllable_cost=NAME_SYLLABLE_COST)
            name_h = len(name_lines) * name_size * NAME_LEADING
            if name_h <= room + 0.01:
                break
        # The room the name leaves goes to a detail made smaller or shortened (more lines); when a
        # detail is still shortened, the name gives up some of its size (not below the middle of
        # its range) if that lets the detail be whole.
        plan = (pos_n, org_n, (pos_size, pos_lines), (org_size, org_lines), details)
        grown = self._grow(badge, width, available - name_h - gap, plan)
        cap, floor = name_size, max(name_min, (st.name_max + st.name_min) / 2)
        while details and not self._whole(badge, grown) and cap - 1 >= floor:
            cap -= 1
            size, lines_ = fit_lines(badge.name, f.bold, cap, name_min, width, st.name_lines, height=room,
                                     leading=NAME_LEADING, ellipsis=False, syllable_cost=NAME_SYLLABLE_COST)
            height = len(lines_) * size * NAME_LEADING
            smaller = self._grow(badge, width, available - height - gap, plan)
            if self._whole(badge, smaller):
                name_size, name_lines, name_h, grown = size, lines_, height, smaller
        _, _, (pos_size, pos_lines), (org_size, org_lines), details = grown
        total = name_h + (gap if details else 0) + details
        y = top - max(0.0, (available - total) / 2)
        tx = x + width / 2 if align == "center" else x
        y = self.text_lines(name_lines, f.bold, name_size, tx, y, align, leading=NAME_LEADING, colour=_colour(INK))
        if details:
            y -= gap - name_size * 0.3
            if pos_lines:
                y = self.text_lines(pos_lines, f.regular, pos_size, tx, y, align, leading=DETAIL_LEADING,
                                    colour=_colour(GREY))
                y -= st.detail_size * 0.2 - pos_size * 0.3
            if org_lines:
                self.text_lines(org_lines, f.bold, org_size, tx, y, align, leading=DETAIL_LEADING,
                                colour=_colour(DARK))

    def draw_landscape(self, badge: BadgeData) -> None:
        c, f, st = self.canvas, self.fonts, self.style
        pad, band, qr = st.pad * MM, st.band * MM, st.qr * MM
        code_size = st.min_size
        self._band(badge.category, band, centred=False, pad=pad)
        # QR at the right, above the band, its code under it (its quiet zone is the margin).
        qx = self.bw - qr - pad * 0.3
        code_y = band + 1.2 * MM
        qy = code_y + code_size * 0.9
        self._qr(badge.code, qx, qy, qr)
        c.setFillColor(_colour(DARK))
        c.setFont(f.regular, code_size)
        c.drawCentredString(qx + qr / 2, code_y, badge.code)
        # The event's title across the top.
        tsize, tlines = self._title(self.bw - 2 * pad)
        below_title = self.text_lines(tlines, f.regular, tsize, pad, self.bh - pad * 0.8, leading=1.12,
                                      colour=_colour(GREY))
        # Name and details to the left of the QR code, clear of its square (the quiet zone too).
        self._block(badge, pad, qx - 1 * MM - pad, below_title - 1.5 * MM, band + 1.5 * MM, "left")

    def draw_portrait(self, badge: BadgeData) -> None:
        c, f, st = self.canvas, self.fonts, self.style
        pad, band, qr = st.pad * MM, st.band * MM, st.qr * MM
        code_size = st.min_size + 1
        self._band(badge.category, band, centred=True, pad=pad)
        qx = (self.bw - qr) / 2
        code_y = band + 2 * MM
        qy = code_y + code_size * 0.9
        self._qr(badge.code, qx, qy, qr)
        c.setFillColor(_colour(DARK))
        c.setFont(f.regular, code_size)
        c.drawCentredString(self.bw / 2, code_y, badge.code)
        tsize, tlines = self._title(self.bw - 2 * pad)
        below_title = self.text_lines(tlines, f.regular, tsize, self.bw / 2, self.bh - pad, "center", leading=1.12,
                                      colour=_colour(GREY))
        self._block(badge, pad, self.bw - 2 * pad, below_title - 3 * MM, qy + qr, "center")


class A4Eight(BadgeSheet):
    key, label = "a4-8", "A4, 8 per sheet (95 × 68 mm)"
    page_mm, badge_mm, cols, rows = (210, 297), (95, 68), 2, 4
    style = Style(min_size=9, pad=4, band=9.5, band_size=13, qr=21, title_size=9, title_lines=4,
                  name_max=20, name_min=11, name_lines=4, detail_size=9.5, detail_lines=2)


class A4Ten(BadgeSheet):
    key, label = "a4-10", "A4, 10 per sheet (90 × 54 mm)"
    page_mm, badge_mm, cols, rows = (210, 297), (90, 54), 2, 5
    style = Style(min_size=8, pad=3.5, band=7.5, band_size=11, qr=18, title_size=8, title_lines=4,
                  name_max=16, name_min=10, name_lines=4, detail_size=8.5, detail_lines=2)


class A6Single(BadgeSheet):
    key, label = "a6", "A6 card, one per page (105 × 148 mm)"
    page_mm = badge_mm = (105, 148)
    portrait = True
    crop_marks = False
    style = Style(min_size=9, pad=7, band=15, band_size=20, qr=30, title_size=10.5, title_lines=4,
                  name_max=30, name_min=14, name_lines=5, detail_size=13, detail_lines=3)


class ID1Single(BadgeSheet):
    key, label = "id1", "ID-1 card, one per page (85.6 × 54 mm)"
    page_mm = badge_mm = (85.6, 54)
    crop_marks = False
    style = A4Ten.style


LAYOUTS: dict[str, type[BadgeSheet]] = {cls.key: cls for cls in (A4Eight, A4Ten, A6Single, ID1Single)}


def layout_class(layout: str) -> type[BadgeSheet]:
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown badge layout '{layout}'; choose one of {', '.join(LAYOUTS)}") from None


def short_organisations(session: Any, event_id: int, lang: str) -> dict[int, str]:
    """The short name in ``lang`` of the organisation of each registration of the event
    whose organisation has one (by registration id; a badge reads its own from its
    ``Attendee``)."""
    from sqlalchemy import select

    from db.models import Organisation, Person, Registration

    found = {}
    for rid, short in session.execute(
        select(Registration.id, Organisation.short_name)
        .join(Person, Person.id == Registration.person_id)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(Registration.event_id == event_id)
    ):
        text = short_name(short, lang)
        if text:
            found[rid] = text
    return found


def draw_badges(sheet: BadgeSheet, badges: Iterable[BadgeData], progress: Progress | None = None,
                total: int | None = None) -> int:
    """Draw ``badges`` on ``sheet`` and write it; returns the number of pages. ``total``:
    how many there are, for progress (by default ``len(badges)``)."""
    if total is None:
        badges = list(badges)
        total = len(badges)
    ticker = Ticker(progress, total)
    for badge in badges:
        sheet.add(badge)
        ticker.step()
    return sheet.finish(check=ticker.check)


def export_badges(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    *,
    registration_ids: list[int] | None = None,
    layout: str = "a4-8",
    lang: str = "en",
    statuses: Sequence[Any] | None = None,
    name_form: NameForm | str | None = None,
    bleed: bool = False,
    progress: Progress | None = None,
) -> PrintResult:
    """Write the badges of the event's registrations to ``path`` (PDF).

    ``registration_ids`` prints exactly those; otherwise every registration whose status
    is in ``statuses`` (default: all but cancelled and declined), sorted by family name.
    Names are written in ``name_form`` (``short``: "Алексей Крутиков"; ``full``: as lists
    write them in ``lang``), by default the event's choice (``Event.badge_name``).
    ``bleed`` runs the bands 3 mm past the cut on A4 sheets (the cards have none).
    Raises :class:`NothingToPrint` for an empty selection, ``PrintCancelled`` when
    ``progress`` returns False (no file is left), ``PrintError`` when the file cannot be
    written, ``ValueError`` for an unknown layout or language.
    """
    sheet_class = layout_class(layout)
    check_lang(lang)
    with database.read() as session:  # one snapshot (SQLite) for the list and its batches
        event = load_event(session, event_id, lang)
        people = PrintList(session, event_id, lang, registration_ids=registration_ids, statuses=statuses)
        if not people:
            raise NothingToPrint(_("there is nobody to print badges for in this selection."))
        form = name_form_of(name_form) if name_form is not None else event.badge_name
        badges = (BadgeData.of(a, form, a.short_organisation) for a in people)
        with atomic_target(path) as tmp:
            sheet = sheet_class(tmp, title=f"{event.title} — {words(lang).p_('document', DOCUMENT)}", lang=lang,
                                event_title=event.title, bleed=bleed)
            pages = draw_badges(sheet, badges, progress, total=len(people))
    return PrintResult(Path(path), len(people), pages, BADGES)


__all__ = ["BadgeData", "BadgeSheet", "LAYOUTS", "PALETTE", "Style", "draw_badges", "export_badges",
           "short_organisations"]
