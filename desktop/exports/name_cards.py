"""Table tent cards for a round table: one A4 landscape page per person, folded along the
middle into a tent that stands on the table.

Both halves carry the name (large: on up to three lines, broken at spaces, at its own
hyphens, then between syllables, and never cut) and the organisation under it (its full
name on up to two lines, else its short name); the upper half is turned 180° so that,
folded, the name reads from both sides of the table. The fold line is marked lightly; the
event's title runs small along each half's bottom edge (the edge on the table).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.models import NameForm
from desktop.core.language import NP_, _, words
from desktop.exports.print_common import (
    NAME_CARDS,
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
    check_lang,
    fit_lines,
    hex_colour,
    load_event,
)
from desktop.exports.print_common import name_form as name_form_of

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
ACCENT = "#1F4E8C"
NAME_MAX, NAME_MIN = 66, 28  # the name's sizes (pt): read across a table
ORG_MAX, ORG_MIN, ORG_FULL_MIN = 22, 12, 14

# The file's title (its metadata): "Event — Name cards".
DOCUMENT = NP_("document", "Name cards")


class NameCardSheet(PageWriter):
    """A4 landscape, one person per page, folded in the middle (horizontal fold)."""

    default_part_pages = PART_PAGES  # a page a person: never all pages in memory (PageWriter)

    def __init__(self, filename: str | os.PathLike[str], *, title: str, event_title: str, lang: str = "en",
                 name_form: NameForm = NameForm.SHORT) -> None:
        super().__init__(filename, A4_LANDSCAPE, title=title, subject=event_title, lang=lang)
        self.event_title = " ".join(event_title.split())
        self.name_form = name_form
        self.margin = 15 * MM
        self.half = self.height / 2
        self._accent = hex_colour(ACCENT)
        self._grey = hex_colour("#6B7687")
        self._ink = hex_colour("#111111")
        self._footer: tuple[float, list[str]] | None = None

    def add(self, person: Attendee, short_organisation: str = "") -> None:
        self.new_page()
        c = self.canvas
        # The fold: a light dashed line across the page, with a small note-free tick at each end.
        c.saveState()
        c.setStrokeColor(hex_colour("#B8C0CC"))
        c.setLineWidth(0.4)
        c.setDash(4, 4)
        c.line(8 * MM, self.half, self.width - 8 * MM, self.half)
        c.restoreState()
        self._face(person, short_organisation)  # the lower half, upright
        c.saveState()
        c.translate(self.width, self.height)
        c.rotate(180)
        self._face(person, short_organisation)  # the upper half, upside down: it faces the other side of the table
        c.restoreState()

    def _organisation(self, full: str, short: str, width: float) -> tuple[float, list[str]]:
        """The organisation's name on up to two lines at 14 pt or more; else its short name
        when it has one; else its name as it can be fitted."""
        f = self.fonts
        size, lines = fit_lines(full, f.regular, ORG_MAX, ORG_MIN, width, max_lines=2, line_cost=1.0)
        if short and (size < ORG_FULL_MIN or lines[-1].endswith("…")):
            return fit_lines(short, f.regular, ORG_MAX, ORG_MIN, width, max_lines=2, line_cost=1.0)
        return size, lines

    def _face(self, person: Attendee, short_organisation: str = "") -> None:
        """One side of the tent: the lower half of the page, its bottom edge on the table."""
        c, f = self.canvas, self.fonts
        width = self.width - 2 * self.margin
        # A thin accent rule under the fold, the title along the table edge.
        c.setFillColor(self._accent)
        c.rect(self.margin, self.half - 12 * MM, width, 1.2 * MM, stroke=0, fill=1)
        if self._footer is None:
            self._footer = fit_lines(self.event_title, f.regular, 10, 7, width, max_lines=1)
        fsize, flines = self._footer
        if flines:
            self.text_lines(flines, f.regular, fsize, self.width / 2, 10 * MM + fsize, "center", colour=self._grey)
        top, bottom = self.half - 17 * MM, 18 * MM + fsize
        available = top - bottom
        org_size, org_lines = self._organisation(person.organisation, short_organisation, width)
        org_h = len(org_lines) * org_size * 1.18
        gap = 5 * MM if org_lines else 0
        name_size, name_lines = fit_lines(person.name_in(self.name_form), f.bold, NAME_MAX, NAME_MIN, width,
                                          max_lines=3, height=available - org_h - gap, leading=1.1, ellipsis=False,
                                          syllable_cost=NAME_SYLLABLE_COST)
        name_h = len(name_lines) * name_size * 1.1
        y = top - max(0.0, (available - name_h - gap - org_h) / 2)
        y = self.text_lines(name_lines, f.bold, name_size, self.width / 2, y, "center", leading=1.1,
                            colour=self._ink)
        if org_lines:
            self.text_lines(org_lines, f.regular, org_size, self.width / 2, y - gap + name_size * 0.3, "center",
                            colour=self._grey)


def export_name_cards(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    *,
    registration_ids: list[int] | None = None,
    lang: str = "en",
    statuses: Sequence[Any] | None = None,
    name_form: NameForm | str | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    """Write a tent card for each chosen registration to ``path`` (PDF), by surname.

    The selection is that of :func:`desktop.exports.badges.export_badges`, the names' form
    too (``name_form``, by default the event's); the errors too.
    """
    check_lang(lang)
    with database.read() as session:  # one snapshot (SQLite) for the list and its batches
        event = load_event(session, event_id, lang)
        people = PrintList(session, event_id, lang, registration_ids=registration_ids, statuses=statuses)
        if not people:
            raise NothingToPrint(_("there is nobody to print name cards for in this selection."))
        with atomic_target(path) as tmp:
            sheet = NameCardSheet(tmp, title=f"{event.title} — {words(lang).p_('document', DOCUMENT)}",
                                  event_title=event.title, lang=lang,
                                  name_form=name_form_of(name_form) if name_form is not None else event.badge_name)
            ticker = Ticker(progress, len(people))
            for person in people:
                sheet.add(person, person.short_organisation)
                ticker.step()
            pages = sheet.finish(check=ticker.check)
    return PrintResult(Path(path), len(people), pages, NAME_CARDS)


__all__ = ["NameCardSheet", "export_name_cards"]
