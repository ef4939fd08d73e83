"""Certificates of attendance: one A4 landscape page per person, by default for each person
checked in.

A double border in the event's accent colour; "Certificate of attendance"; the person's
name large; "attended" and the event's title; its dates and venue; "Organised by" and the
organisers (their logos when they have one, else their names); the funders in a smaller
line; a line for the signature. The words come from the catalogs in the certificate's
language: the sentence is cut into the line before the name and the line after it, so that
no language has to inflect the name (Kazakh: "Осы сертификаттың иесі" / name /
"мына іс-шараға қатысты:", where "Осы сертификат … Ахметованың … қатысқанын растайды"
would need the name's genitive); Russian chooses "принял"/"приняла" by the person's gender.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.core.language import NP_, _, words
from desktop.exports.print_common import (
    CERTIFICATES,
    Attendee,
    EventInfo,
    NothingToPrint,
    PageWriter,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    check_lang,
    fit_lines,
    hex_colour,
    load_attendees,
    load_event,
)

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
ACCENT = "#1F4E8C"
GOLD = "#B08D3C"

DOCUMENT = NP_("document", "Certificates of attendance")
"""The file's title (its metadata): "Event — Certificates of attendance"."""
ORGANISER_ROLES = ("organiser", "co_organiser")
FUNDER_ROLES = ("funder", "partner")


class CertificateSheet(PageWriter):
    """One certificate per page; the event's part of the page is laid out once."""

    def __init__(self, filename: str | os.PathLike[str], *, event: EventInfo, lang: str = "en") -> None:
        super().__init__(filename, A4_LANDSCAPE, title=f"{event.title} — {words(lang).p_('document', DOCUMENT)}",
                         subject=event.title, lang=lang)
        self.words = words(lang)
        self.event = event
        self.accent = hex_colour(ACCENT)
        self.gold = hex_colour(GOLD)
        self.ink = hex_colour("#111111")
        self.grey = hex_colour("#4A5564")
        self.inner = 22 * MM  # text keeps this far from the page's edges
        f = self.fonts
        width = self.width - 2 * self.inner - 20 * MM
        self._title = fit_lines(event.title, f.bold, 21, 11, width, max_lines=3)
        self._organisers = event.partners_in(*ORGANISER_ROLES)
        self._funders = event.partners_in(*FUNDER_ROLES)
        self._logos = {id(p): self._image(p.logo) for p in self._organisers if p.logo}

    @staticmethod
    def _image(data: bytes | None) -> Any:
        from reportlab.lib.utils import ImageReader

        if not data:
            return None
        try:
            image = ImageReader(io.BytesIO(data))
            image.getSize()
            return image
        except Exception:  # noqa: BLE001 - an unreadable logo: the organiser's name stands in
            return None

    def add(self, person: Attendee) -> None:
        self.new_page()
        c, f, lang = self.canvas, self.fonts, self.lang
        self._border()
        cx = self.width / 2
        text_w = self.width - 2 * self.inner - 20 * MM
        y = self.height - self.inner - 8 * MM
        w = self.words
        title = w.p_("certificate", "Certificate of attendance").upper()
        tsize, tlines = fit_lines(title, f.bold, 30, 16, text_w, max_lines=1)
        c.setFillColor(self.accent)
        c.setFont(f.bold, tsize)
        c.drawCentredString(cx, y - tsize, tlines[0])
        y -= tsize + 5 * MM
        c.setStrokeColor(self.gold)
        c.setLineWidth(1.2)
        c.line(cx - 30 * MM, y, cx + 30 * MM, y)
        # The body, centred in the room between the rule and the foot.
        # An official paper: the name as the language writes it there ("Крутиков Алексей
        # Сергеевич" in Russian and Kazakh).
        nsize, nlines = fit_lines(person.listed or person.name, f.bold, 40, 18, text_w, max_lines=2, leading=1.1)
        size, lines = self._title
        if lang == "ru":
            lines = [("«" if i == 0 else "") + line + ("»" if i == len(lines) - 1 else "")
                     for i, line in enumerate(lines)]
        meta = " · ".join(p for p in (self.event.dates, self.event.place) if p)
        msize, mlines = fit_lines(meta, f.regular, 13, 8, text_w, max_lines=1)
        blocks = [
            ([self.before_name()], f.regular, 14, self.grey, 1.18, 6 * MM),
            (nlines, f.bold, nsize, self.ink, 1.1, 7 * MM),
            ([self.after_name(person.gender)], f.regular, 14, self.grey, 1.18, 5 * MM),
            (lines, f.bold, size, self.accent, 1.18, 4 * MM),
            (mlines, f.regular, msize, self.grey, 1.18, 0.0),
        ]
        height = sum(len(b[0]) * b[2] * b[4] + b[5] for b in blocks)
        room_bottom = self.inner + 42 * MM
        y = y - max(6 * MM, (y - room_bottom - height) / 2)
        for block_lines, font, bsize, colour, leading, gap in blocks:
            y = self.text_lines(block_lines, font, bsize, cx, y, "center", leading=leading, colour=colour)
            y -= gap
        self._foot()

    def before_name(self) -> str:
        """The line above the person's name."""
        # Translators: the certificate reads, line by line: this line, the person's name
        # (on a line of its own, never inflected), the line "attended", the event's title.
        # Write this line and "attended" so that the name needs no case ending (Kazakh:
        # "Осы сертификаттың иесі" / name / "мына іс-шараға қатысты:").
        return self.words.p_("certificate", "This is to certify that")

    def after_name(self, gender: str) -> str:
        """The line under the person's name, before the event's title (Russian: by gender)."""
        if gender == "female":
            # Translators: the line after the name of a woman on the certificate, before the
            # event's title (see "This is to certify that").
            return self.words.p_("certificate, woman", "attended")
        if gender == "male":
            # Translators: the line after the name of a man on the certificate.
            return self.words.p_("certificate, man", "attended")
        # Translators: the line after the name on the certificate when the gender is not
        # stated (Russian: "принял(а) участие в мероприятии").
        return self.words.p_("certificate", "attended")

    def _border(self) -> None:
        c = self.canvas
        w, h = self.width, self.height
        c.saveState()
        c.setStrokeColor(self.accent)
        c.setLineWidth(3)
        c.rect(10 * MM, 10 * MM, w - 20 * MM, h - 20 * MM, stroke=1, fill=0)
        c.setStrokeColor(self.gold)
        c.setLineWidth(0.8)
        c.rect(13 * MM, 13 * MM, w - 26 * MM, h - 26 * MM, stroke=1, fill=0)
        # Small squares at the inner corners.
        c.setFillColor(self.gold)
        s = 2.4 * MM
        for x, y in ((13 * MM, 13 * MM), (w - 13 * MM, 13 * MM), (13 * MM, h - 13 * MM), (w - 13 * MM, h - 13 * MM)):
            c.rect(x - s / 2, y - s / 2, s, s, stroke=0, fill=1)
        c.restoreState()

    def _foot(self) -> None:
        """Organisers (logos or names) at the bottom left, the signature line at the right."""
        c, f = self.canvas, self.fonts
        left = self.inner
        base = self.inner + 2 * MM
        block_w = self.width * 0.55 - left
        if self._funders:
            names = ", ".join(p.name for p in self._funders)
            # Translators: the funders and partners at the foot of the certificate.
            supported = self.words._("With the support of: {names}").format(names=names)
            fsize, flines = fit_lines(supported, f.regular, 8.5, 6.5, block_w, max_lines=2)
            y = base + len(flines) * fsize * 1.18
            self.text_lines(flines, f.regular, fsize, left, y, colour=self.grey)
            base = y + 3 * MM
        if self._organisers:
            top = self._organiser_row(left, base, block_w)
            c.setFillColor(self.grey)
            c.setFont(f.bold, 9)
            c.drawString(left, top + 2.5 * MM, self.words.p_("partner heading", "Organised by").upper())
        # The signature line.
        sx1, sx2 = self.width - self.inner - 75 * MM, self.width - self.inner
        sy = self.inner + 14 * MM
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.6)
        c.line(sx1, sy, sx2, sy)
        c.setFillColor(self.grey)
        c.setFont(f.regular, 9)
        c.drawCentredString((sx1 + sx2) / 2, sy - 4.5 * MM, self.words.p_("certificate", "Signature"))

    def _organiser_row(self, left: float, bottom: float, width: float) -> float:
        """The organisers side by side: a logo (up to 14 mm high) or the name; returns the top."""
        c, f = self.canvas, self.fonts
        logo_h = 14 * MM
        n = len(self._organisers)
        cell = width / n
        tallest = 0.0
        for i, partner in enumerate(self._organisers):
            x = left + i * cell
            image = self._logos.get(id(partner))
            if image is not None:
                iw, ih = image.getSize()
                scale = min(logo_h / ih, (cell - 4 * MM) / iw)
                c.drawImage(image, x, bottom, iw * scale, ih * scale, mask="auto")
                tallest = max(tallest, ih * scale)
            else:
                size, lines = fit_lines(partner.name, f.bold, 9.5, 7, cell - 4 * MM, max_lines=3)
                height = len(lines) * size * 1.18
                self.text_lines(lines, f.bold, size, x, bottom + height, colour=self.ink)
                tallest = max(tallest, height)
        return bottom + tallest


def export_certificates(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    *,
    registration_ids: list[int] | None = None,
    only_checked_in: bool = True,
    lang: str = "en",
    statuses: Sequence[Any] | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    """Write a certificate of attendance for each chosen person to ``path`` (PDF), by surname.

    By default for everyone checked in now; ``only_checked_in=False`` for every registration
    the selection holds (see ``export_badges``). Errors as for ``export_badges``.
    """
    check_lang(lang)
    with database.read() as session:
        event = load_event(session, event_id, lang, with_logos=True)
        people = load_attendees(session, event_id, lang, registration_ids=registration_ids, statuses=statuses,
                                only_checked_in=only_checked_in)
    if not people:
        if only_checked_in:
            raise NothingToPrint(_("nobody is checked in yet: no certificate to print."))
        raise NothingToPrint(_("there is nobody in this selection: no certificate to print."))
    with atomic_target(path) as tmp:
        sheet = CertificateSheet(tmp, event=event, lang=lang)
        ticker = Ticker(progress, len(people))
        for person in people:
            sheet.add(person)
            ticker.step()
        pages = sheet.finish()
    return PrintResult(Path(path), len(people), pages, CERTIFICATES)


__all__ = ["CertificateSheet", "export_certificates"]
