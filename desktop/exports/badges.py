"""Badges: A4 sheets of 8 or 10 with crop marks, or one per page on A6 or ID-1 card stock.

Each badge has the event's title (small) at the top, the name large (shrunk to fit its
width, on up to two lines), the position and the organisation, a coloured band with the
category in the chosen language, and a QR code of the badge code with the code in text
under it, inside a white quiet zone a phone camera needs.

The layouts are small subclasses of :class:`BadgeSheet`, which owns the canvas (through
``PageWriter``), places badges on pages and draws the crop marks; a subclass says the page
and badge sizes and the grid, and whether its badges are landscape (QR beside the name) or
portrait (QR under it). ``draw_badges`` is the pure layout: plain data in, pages out; the
benchmark times it against a bare canvas drawing the same badges.

QR codes are drawn with ``QrCode(...).drawOn(canvas)`` (3.3× faster than the documented
``QrCodeWidget`` in a ``Drawing``: design.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from db.models import NameForm
from desktop.core.language import NP_, _, words
from desktop.exports.print_common import (
    BADGE_BANDS,
    BADGES,
    Attendee,
    NothingToPrint,
    PageWriter,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    badge_word,
    check_lang,
    fit_lines,
    hex_colour,
    load_attendees,
    load_event,
)
from desktop.exports.print_common import name_form as name_form_of

MM = 72 / 25.4
INK, GREY, DARK = "#000000", "#5F6B7A", "#26313F"


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
    """What one badge shows (plain strings; ``category`` is a key of ``PALETTE``)."""

    code: str
    name: str
    position: str
    organisation: str
    category: str

    @classmethod
    def of(cls, a: Attendee, form: NameForm = NameForm.SHORT) -> BadgeData:
        """The badge of ``a``, the name in ``form`` (the event's choice, ``db.models.NameForm``)."""
        return cls(a.code, a.name_in(form), a.position, a.organisation, a.category)


class BadgeSheet(PageWriter):
    """Badges placed on pages: ``cols`` × ``rows`` of ``badge`` size (mm) on ``page`` (mm),
    centred; crop marks in the margins when there is more than one per page."""

    key: ClassVar[str]
    label: ClassVar[str]
    page_mm: ClassVar[tuple[float, float]]
    badge_mm: ClassVar[tuple[float, float]]
    cols: ClassVar[int] = 1
    rows: ClassVar[int] = 1
    portrait: ClassVar[bool] = False
    crop_marks: ClassVar[bool] = True

    def __init__(self, filename: str | os.PathLike[str], *, title: str, lang: str = "en",
                 event_title: str = "") -> None:
        super().__init__(filename, (self.page_mm[0] * MM, self.page_mm[1] * MM),
                         title=title, subject=event_title, lang=lang)
        self.event_title = " ".join(event_title.split())
        self.bw, self.bh = self.badge_mm[0] * MM, self.badge_mm[1] * MM
        self.x0 = (self.width - self.cols * self.bw) / 2
        self.y0 = (self.height - self.rows * self.bh) / 2
        self.per_page = self.cols * self.rows
        self._slot = 0
        self._colours = {k: hex_colour(v) for k, v in PALETTE.items()}
        self._words = {band: badge_word(band, lang).upper() for band in BADGE_BANDS}
        self._title_cache: dict[tuple[float, float], tuple[float, list[str]]] = {}

    def add(self, badge: BadgeData) -> None:
        """Draw ``badge`` in the next free place, starting a page when needed."""
        if self._slot % self.per_page == 0:
            self.new_page()
            if self.crop_marks and self.per_page > 1:
                self.draw_crop_marks()
        n = self._slot % self.per_page
        col, row = n % self.cols, n // self.cols
        x = self.x0 + col * self.bw
        y = self.height - self.y0 - (row + 1) * self.bh
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
        """Short hairlines in the margins on the line of every cut, clear of the badges."""
        c = self.canvas
        c.saveState()
        c.setLineWidth(0.3)
        c.setStrokeColorRGB(0, 0, 0)
        gap, length = 2 * MM, min(5 * MM, self.x0 - 3 * MM, self.y0 - 3 * MM)
        left, right = self.x0, self.x0 + self.cols * self.bw
        bottom, top = self.y0, self.y0 + self.rows * self.bh
        lines = []
        for i in range(self.cols + 1):
            x = left + i * self.bw
            lines.append((x, top + gap, x, top + gap + length))
            lines.append((x, bottom - gap, x, bottom - gap - length))
        for j in range(self.rows + 1):
            y = bottom + j * self.bh
            lines.append((left - gap, y, left - gap - length, y))
            lines.append((right + gap, y, right + gap + length, y))
        c.lines(lines)
        c.restoreState()

    # -- one badge ----------------------------------------------------------------------------

    def _title(self, size: float, width: float, lines: int) -> tuple[float, list[str]]:
        key = (size, width)
        hit = self._title_cache.get(key)
        if hit is None:
            hit = self._title_cache[key] = fit_lines(self.event_title, self.fonts.regular, size, size * 0.8,
                                                     width, max_lines=lines)
        return hit

    def _band(self, category: str, height: float, size: float, centred: bool, pad: float) -> None:
        c = self.canvas
        c.setFillColor(self._colours.get(category, self._colours["participant"]))
        c.rect(0, 0, self.bw, height, stroke=0, fill=1)
        label = self._words.get(category, category.upper())
        bold = self.fonts.bold
        width = self.bw - 2 * pad if centred else self.bw * 0.62 - pad
        size, lines = fit_lines(label, bold, size, size * 0.5, width, max_lines=1)
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

    def _block(self, badge: BadgeData, x: float, width: float, top: float, bottom: float,
               name_max: float, detail_size: float, align: str) -> None:
        """The name, position and organisation, centred in the height between ``top`` and
        ``bottom``."""
        f = self.fonts
        available = top - bottom
        detail_gap = detail_size * 0.7
        # The name comes first: it may take most of the height; the details fit what is left.
        name_size, name_lines = fit_lines(badge.name, f.bold, name_max, name_max * 0.35, width, 2,
                                          height=available * 0.62, leading=1.08)
        name_h = len(name_lines) * name_size * 1.08
        room = available - name_h - detail_gap
        pos_size, pos_lines = fit_lines(badge.position, f.regular, detail_size, detail_size * 0.8, width, 2)
        org_size, org_lines = fit_lines(badge.organisation, f.bold, detail_size, detail_size * 0.8, width, 2)

        def height_of() -> float:
            h = (len(pos_lines) * pos_size + len(org_lines) * org_size) * 1.18
            return h + (detail_size * 0.25 if pos_lines and org_lines else 0)

        # Too tall: the position on one line, then the organisation on one, then no position.
        for step in range(3):
            if height_of() <= room:
                break
            if step == 0 and len(pos_lines) > 1:
                pos_size, pos_lines = fit_lines(badge.position, f.regular, detail_size, detail_size * 0.8, width, 1)
            elif step <= 1 and len(org_lines) > 1:
                org_size, org_lines = fit_lines(badge.organisation, f.bold, detail_size, detail_size * 0.8, width, 1)
            else:
                pos_lines = []
        details = height_of()
        total = name_h + (detail_gap if details else 0) + details
        y = top - max(0.0, (available - total) / 2)
        tx = x + width / 2 if align == "center" else x
        y = self.text_lines(name_lines, f.bold, name_size, tx, y, align, leading=1.08, colour=_colour(INK))
        if details:
            y -= detail_gap - name_size * 0.3 + 1
            if pos_lines:
                y = self.text_lines(pos_lines, f.regular, pos_size, tx, y, align, colour=_colour(GREY))
                y -= detail_size * 0.25
            if org_lines:
                self.text_lines(org_lines, f.bold, org_size, tx, y, align, colour=_colour(DARK))

    def draw_landscape(self, badge: BadgeData) -> None:
        c, f = self.canvas, self.fonts
        s = self.bh / (68 * MM)  # type sizes relative to the 95 × 68 mm badge
        pad = 4 * MM * s
        band = 0.16 * self.bh
        qr = 0.42 * self.bh
        code_size = 7 * s
        self._band(badge.category, band, 11 * s, centred=False, pad=pad)
        # QR at the right, above the band, its code under it (inside the quiet zone's width).
        qx = self.bw - qr - pad * 0.25
        qy = band + code_size * 1.5
        self._qr(badge.code, qx, qy, qr)
        c.setFillColor(_colour(DARK))
        c.setFont(f.regular, code_size)
        c.drawCentredString(qx + qr / 2, band + code_size * 0.55, badge.code)
        # The event's title across the top.
        tsize, tlines = self._title(6.5 * s, self.bw - 2 * pad, 2)
        below_title = self.text_lines(tlines, f.regular, tsize, pad, self.bh - pad * 0.8, colour=_colour(GREY))
        # Name and details to the left of the QR code.
        left_w = qx - pad - 2 * MM * s
        self._block(badge, pad, left_w, below_title - 2 * MM * s, band + 2 * MM * s,
                    20 * s, 7.5 * s, "left")

    def draw_portrait(self, badge: BadgeData) -> None:
        c, f = self.canvas, self.fonts
        s = self.bw / (105 * MM)  # relative to the A6 badge
        pad = 7 * MM * s
        band = 0.12 * self.bh
        qr = 40 * MM * s
        code_size = 9 * s
        self._band(badge.category, band, 18 * s, centred=True, pad=pad)
        qx = (self.bw - qr) / 2
        qy = band + code_size * 1.6 + 2 * MM * s
        self._qr(badge.code, qx, qy, qr)
        c.setFillColor(_colour(DARK))
        c.setFont(f.regular, code_size)
        c.drawCentredString(self.bw / 2, band + code_size * 0.5 + 2 * MM * s, badge.code)
        tsize, tlines = self._title(8.5 * s, self.bw - 2 * pad, 3)
        below_title = self.text_lines(tlines, f.regular, tsize, self.bw / 2, self.bh - pad, "center",
                                      colour=_colour(GREY))
        self._block(badge, pad, self.bw - 2 * pad, below_title - 4 * MM * s, qy + qr + 1 * MM * s,
                    30 * s, 11 * s, "center")


class A4Eight(BadgeSheet):
    key, label = "a4-8", "A4, 8 per sheet (95 × 68 mm)"
    page_mm, badge_mm, cols, rows = (210, 297), (95, 68), 2, 4


class A4Ten(BadgeSheet):
    key, label = "a4-10", "A4, 10 per sheet (90 × 54 mm)"
    page_mm, badge_mm, cols, rows = (210, 297), (90, 54), 2, 5


class A6Single(BadgeSheet):
    key, label = "a6", "A6 card, one per page (105 × 148 mm)"
    page_mm = badge_mm = (105, 148)
    portrait = True
    crop_marks = False


class ID1Single(BadgeSheet):
    key, label = "id1", "ID-1 card, one per page (85.6 × 54 mm)"
    page_mm = badge_mm = (85.6, 54)
    crop_marks = False


LAYOUTS: dict[str, type[BadgeSheet]] = {cls.key: cls for cls in (A4Eight, A4Ten, A6Single, ID1Single)}


def layout_class(layout: str) -> type[BadgeSheet]:
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown badge layout '{layout}'; choose one of {', '.join(LAYOUTS)}") from None


def draw_badges(sheet: BadgeSheet, badges: Sequence[BadgeData], progress: Progress | None = None) -> int:
    """Draw ``badges`` on ``sheet`` and write it; returns the number of pages."""
    ticker = Ticker(progress, len(badges))
    for badge in badges:
        sheet.add(badge)
        ticker.step()
    return sheet.finish()


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
    progress: Progress | None = None,
) -> PrintResult:
    """Write the badges of the event's registrations to ``path`` (PDF).

    ``registration_ids`` prints exactly those; otherwise every registration whose status
    is in ``statuses`` (default: all but cancelled and declined), sorted by family name.
    Names are written in ``name_form`` (``short``: "Алексей Крутиков"; ``full``: as lists
    write them in ``lang``), by default the event's choice (``Event.badge_name``).
    Raises :class:`NothingToPrint` for an empty selection, ``PrintCancelled`` when
    ``progress`` returns False (no file is left), ``PrintError`` when the file cannot be
    written, ``ValueError`` for an unknown layout or language.
    """
    sheet_class = layout_class(layout)
    check_lang(lang)
    with database.read() as session:
        event = load_event(session, event_id, lang)
        people = load_attendees(session, event_id, lang, registration_ids=registration_ids, statuses=statuses)
    if not people:
        raise NothingToPrint(_("there is nobody to print badges for in this selection."))
    form = name_form_of(name_form) if name_form is not None else event.badge_name
    badges = [BadgeData.of(a, form) for a in people]
    with atomic_target(path) as tmp:
        sheet = sheet_class(tmp, title=f"{event.title} — {words(lang).p_('document', DOCUMENT)}", lang=lang,
                            event_title=event.title)
        pages = draw_badges(sheet, badges, progress)
    return PrintResult(Path(path), len(badges), pages, BADGES)


__all__ = ["BadgeData", "BadgeSheet", "LAYOUTS", "PALETTE", "draw_badges", "export_badges"]
