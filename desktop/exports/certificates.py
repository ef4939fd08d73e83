"""Certificates of attendance: one A4 landscape page per person, by default for each person
checked in.

From top to bottom, inside a double border in the event's accent colour: the organisers'
and co-organisers' logos, each with its name under it (a name alone where there is no
logo, set in the logo's place); "Certificate of attendance" and the certificate's number;
the sentence with the person's full name ("Крутиков Алексей Сергеевич" in Russian and
Kazakh: surname, given name, patronymic) on a line of its own; the event's title, dates
and place; the signatories the event chose (one or two: a line to sign on, the name and
the title under it — a blank line with "Signature" when it chose none); and at the foot
the funders and partners, logo above name, under "With the financial support of".

The number (``desktop.core.certificates``) is given to a registration the first time its
certificate is printed and kept for its reprints, so ``verify-certificate NUMBER`` can
say whose it is; it is given before the PDF is drawn (a print that fails afterwards keeps
the numbers: they stay that person's).

The wording needs no grammatical gender, whatever is known of the person: the sentence is
cut into the line before the name and the line after it, so that no language has to
inflect the name either ("Настоящий сертификат подтверждает, что" / name / "является
участником мероприятия"; Kazakh "Осы сертификаттың иесі" / name / "мына іс-шараға
қатысты:"). The same sentence on every certificate of a run: the gender a registration
holds is for the participation figures (and may be "not stated"), not for the wording of
an official paper.

Nothing is cut: a long name, title or organisation is set smaller within limits and
wrapped (at spaces, then at a hyphen or between syllables: ``desktop.exports.hyphenation``),
and below the smallest size it wraps onto more lines.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.language import NP_, _, words
from desktop.exports.hyphenation import wrap_hyphenated
from desktop.exports.print_common import (
    CERTIFICATES,
    PART_PAGES,
    Attendee,
    EventInfo,
    NothingToPrint,
    PageWriter,
    PartnerInfo,
    PrintList,
    PrintResult,
    Progress,
    Ticker,
    atomic_target,
    check_lang,
    hex_colour,
    load_event,
    string_width,
)

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
ACCENT = "#1F4E8C"
GOLD = "#B08D3C"

DOCUMENT = NP_("document", "Certificates of attendance")
"""The file's title (its metadata): "Event — Certificates of attendance"."""
ORGANISER_ROLES = ("organiser", "co_organiser")
FUNDER_ROLES = ("funder", "partner")
SMALLEST = 8.0  # no letter on a certificate is smaller (points)
NUMBERS_AT_ONCE = 5000  # certificates given their numbers at a time (the list read a batch at a time)


@dataclass(frozen=True)
class Signatory:
    """Who signs, in the certificate's language: a name and a title (either may be empty)."""

    name: str
    title: str


def load_signatories(session: Any, event_id: int, lang: str) -> list[Signatory]:
    """The event's signatories in ``lang`` (another language where one is missing); those
    without a name are left out."""
    from sqlalchemy import select

    from db.models import Event
    from desktop.core.i18n import text

    row = session.execute(select(Event.signatory1_name, Event.signatory1_title, Event.signatory2_name,
                                 Event.signatory2_title).where(Event.id == event_id)).first()
    if row is None:
        return []
    out = []
    for name, title in ((row[0], row[1]), (row[2], row[3])):
        shown = text(name or {}, lang)
        if shown:
            out.append(Signatory(" ".join(shown.split()), " ".join(text(title or {}, lang).split())))
    return out


def load_short_names(session: Any, event_id: int, lang: str) -> list[str]:
    """The short names of the event's partners in ``lang`` ("" where there is none), in the
    order ``load_event`` lists the partners."""
    from sqlalchemy import select

    from db.models import EventOrganisation, Organisation
    from desktop.core.i18n import text

    return [text(short or {}, lang) for (short,) in session.execute(
        select(Organisation.short_name).select_from(EventOrganisation)
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id == event_id)
        .order_by(EventOrganisation.position, EventOrganisation.id))]


def balanced_wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` wrapped into as few lines as at ``width``, with lines as even as they can be
    (the narrowest width that still needs no more lines): no word is left alone on the last."""
    lines = wrap_hyphenated(text, font, size, width)
    if len(lines) < 2:
        return lines
    def broken(found: list[str]) -> int:  # lines that end inside a word
        return sum(1 for line in found[:-1] if line.endswith("-"))

    low, high, best = 0.0, width, lines
    for _step in range(12):
        middle = (low + high) / 2
        trial = wrap_hyphenated(text, font, size, middle)
        if len(trial) <= len(lines) and broken(trial) <= broken(lines):
            best, high = trial, middle
        else:
            low = middle
    return best


def fit_wrapped(text: str, font: str, max_size: float, min_size: float, width: float,
                max_lines: int = 2, step: float = 0.5) -> tuple[float, list[str]]:
    """See ``_fit_wrapped`` (remembered: the same lines recur on every certificate of a run)."""
    size, lines = _fit_wrapped(text, font, max_size, min_size, width, max_lines, step)
    return size, list(lines)


def syllable_breaks(text: str, lines: Sequence[str]) -> int:
    """How many of ``lines`` (``text`` wrapped) end inside a word, with a hyphen added
    between syllables ("Константино-" / "польский"); a break at the word's own hyphen
    ("Hohenzollern-" / "Sigmaringen") or at a space is not one."""
    text = " ".join(text.split())
    return sum(1 for line, after in zip(lines, lines[1:])
               if line.endswith("-") and f"{line}{after.split(' ', 1)[0]}" not in text)


@functools.lru_cache(maxsize=2048)
def _fit_wrapped(text: str, font: str, max_size: float, min_size: float, width: float,
                 max_lines: int, step: float) -> tuple[float, tuple[str, ...]]:
    """The largest size from ``max_size`` down to ``min_size`` at which ``text`` wraps into at
    most ``max_lines`` lines of ``width`` without breaking a word between its syllables (a
    name on an official paper: "Александр" / "Константинопольский-Преображенский" a little
    smaller rather than "Александр Константино-" / "польский-Преображенский"); only when
    no size down to ``min_size`` does, the largest that fits with such a break. At
    ``min_size`` it takes as many lines as it needs (never cut). One line is kept while it
    is at least nine tenths of the size two lines would allow."""
    text = " ".join(text.split())
    if not text:
        return max_size, ()
    one = min(max_size, width / max(string_width(text, font, 1.0), 1e-6))
    size = max_size
    broken: tuple[float, tuple[str, ...]] | None = None
    while size >= min_size - 1e-9:
        lines = wrap_hyphenated(text, font, size, width)
        if len(lines) <= max_lines:
            if len(lines) > 1 and one >= min_size and one >= size * 0.9:
                return one, (text,)
            lines = balanced_wrap(text, font, size, width)
            if not syllable_breaks(text, lines):
                return size, tuple(lines)
            if broken is None:
                broken = size, tuple(lines)
        size -= step
    if one >= min_size:
        return one, (text,)
    if broken is not None:
        return broken
    return min_size, tuple(balanced_wrap(text, font, min_size, width))


@dataclass(frozen=True)
class Density:
    """How much room the page's fixed parts take: the logos' heights and the room above a
    signature line. A page with long texts is laid out at the next, tighter density."""

    organiser_logo: float
    funder_logo: float
    sign_room: float


DENSITIES = (Density(16 * MM, 12 * MM, 14 * MM), Density(12 * MM, 10 * MM, 11 * MM), Density(9 * MM, 8 * MM, 9 * MM))
NAME_LINES = 3  # a partner's name under its logo: the short name when the full one takes more lines


@dataclass
class Block:
    """Lines of text set at one size, centred; ``gap`` is the room left under them."""

    lines: list[str]
    font: str
    size: float
    colour: Any
    leading: float
    gap: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.leading + self.gap if self.lines else 0.0


class CertificateSheet(PageWriter):
    """One certificate per page; the event's part of the page is laid out once."""

    default_part_pages = PART_PAGES  # thousands of people: never all pages in memory (PageWriter)

    def __init__(self, filename: str | os.PathLike[str], *, event: EventInfo, lang: str = "en",
                 signatories: Sequence[Signatory] = (), short_names: Sequence[str] = ()) -> None:
        super().__init__(filename, A4_LANDSCAPE, title=f"{event.title} — {words(lang).p_('document', DOCUMENT)}",
                         subject=event.title, lang=lang)
        self.words = words(lang)
        self.event = event
        self.signatories = list(signatories)[:2]
        self.accent = hex_colour(ACCENT)
        self.gold = hex_colour(GOLD)
        self.ink = hex_colour("#111111")
        self.grey = hex_colour("#4A5564")
        self.inner = 20 * MM  # text keeps this far from the page's edges
        self.text_w = self.width - 2 * self.inner - 16 * MM
        self._organisers = event.partners_in(*ORGANISER_ROLES)
        self._funders = event.partners_in(*FUNDER_ROLES)
        self._logos = {id(p): self._image(p.logo) for p in event.partners if p.logo}
        self._short = {id(p): short for p, short in zip(event.partners, short_names) if short}
        self._heading = self.words.p_("certificate", "Certificate of attendance").upper()
        f = self.fonts
        # The event's part of the page, the same on every certificate.
        self._title = fit_wrapped(self._title_text(), f.bold, 20, 12, self.text_w, max_lines=3)
        meta = " · ".join(p for p in (event.dates, event.place) if p)
        self._dates_place = fit_wrapped(meta, f.regular, 13, 10, self.text_w, max_lines=2)
        self._heading_size = min(30.0, self.text_w / max(string_width(self._heading, f.bold, 1.0), 1e-6))
        self._signature_blocks = self._lay_signatures()
        self._forms: set[str] = set()  # the forms defined on ``self._forms_on``
        self._forms_on: Any = None  # a long run's canvas is a new one for each part (PageWriter)
        self._cell_cache: dict[tuple[int, float, float], list[tuple[Any, float, float, list[str]]]] = {}

    @staticmethod
    def _image(data: bytes | None) -> Any:
        from reportlab.lib.utils import ImageReader

        if not data:
            return None
        try:
            image = ImageReader(io.BytesIO(data))
            image.getSize()
            return image
        except Exception:  # noqa: BLE001 - an unreadable logo: the organisation's name stands in
            return None

    # -- the page -------------------------------------------------------------------------

    def _frame(self, density: Density, number: str) -> tuple[float, float]:
        """The top and bottom of the body's room at ``density``."""
        top = self.height - self.inner
        if self._organisers:
            top -= self._partner_row_height(self._organisers, density.organiser_logo, 9.0) + 5 * MM
        top -= self._heading_size + 2.5 * MM + (11 + 2 * MM if number else 0.0) + 4 * MM
        bottom = self.inner
        if self._funders:
            bottom += self._partner_row_height(self._funders, density.funder_logo, SMALLEST) + 11 * MM
        bottom += self._signatures_height(density) + 4 * MM
        return top, bottom

    def add(self, person: Attendee, number: str = "") -> None:
        self.new_page()
        c, f = self.canvas, self.fonts
        cx = self.width / 2
        for density in DENSITIES:
            room_top, room_bottom = self._frame(density, number)
            blocks, fits = self._body(person, room_top - room_bottom)
            if fits:
                break
        # What every page of this density shares is drawn once, as a form the pages reuse.
        form = f"certificate-{DENSITIES.index(density)}-{int(bool(number))}"
        if self._forms_on is not c:
            self._forms_on, self._forms = c, set()
        if form not in self._forms:
            c.beginForm(form)
            self._fixed(density, number)
            c.endForm()
            self._forms.add(form)
        c.doForm(form)
        if number:
            # Translators: the certificate's number under its heading ("No. 7-0012"; Russian "№ 7-0012").
            label = self.words.p_("certificate", "No. {number}").format(number=number)
            c.setFillColor(self.grey)
            c.setFont(f.regular, 11)
            c.drawCentredString(cx, self._number_top(density) - 11 * 0.93, label)

        # The body, centred in the room between the rule and the signatures.
        height = sum(b.height for b in blocks)
        y = room_top - max(0.0, (room_top - room_bottom - height) / 2)
        for b in blocks:
            y = self.text_lines(b.lines, b.font, b.size, cx, y, "center", leading=b.leading, colour=b.colour)
            y -= b.gap

    def _number_top(self, density: Density) -> float:
        top = self.height - self.inner
        if self._organisers:
            top -= self._partner_row_height(self._organisers, density.organiser_logo, 9.0) + 5 * MM
        return top - self._heading_size - 2.5 * MM

    def _fixed(self, density: Density, number: str) -> None:
        """The border, the organisers, the heading, the rule, the signatures and the funders."""
        c, f = self.canvas, self.fonts
        cx = self.width / 2
        self._border()
        top = self.height - self.inner
        if self._organisers:
            self._partner_row(self._organisers, top, density.organiser_logo, 9.0)
            top -= self._partner_row_height(self._organisers, density.organiser_logo, 9.0) + 5 * MM
        # The heading and the number.
        hsize = self._heading_size
        c.setFillColor(self.accent)
        c.setFont(f.bold, hsize)
        c.drawCentredString(cx, top - hsize * 0.93, self._heading)
        top -= hsize + 2.5 * MM
        if number:
            top -= 11 + 2 * MM
        c.setStrokeColor(self.gold)
        c.setLineWidth(1.2)
        c.line(cx - 30 * MM, top, cx + 30 * MM, top)

        bottom = self.inner
        if self._funders:
            self._funders_foot(bottom, density.funder_logo)
            bottom += self._partner_row_height(self._funders, density.funder_logo, SMALLEST) + 11 * MM
        self._signatures(bottom)

    def _body(self, person: Attendee, room: float) -> tuple[list[Block], bool]:
        """The sentence, name, title and dates, set smaller (within limits) until they fit
        ``room``; whether they do."""
        f, w = self.fonts, self.words
        # An official paper: the full name as the language writes it there.
        name = person.listed or person.name
        before = w.p_("certificate", "This is to certify that")
        # Translators: the line under the person's name on the certificate, before the event's
        # title; the same for everyone, so it must need no grammatical gender (Russian: "является
        # участником мероприятия", not "принял(а) участие"; Kazakh: "мына іс-шараға қатысты:").
        after = w.p_("certificate, any gender", "attended")
        tsize, tlines = self._title
        msize, mlines = self._dates_place
        blocks: list[Block] = []
        for scale in (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6):
            nsize, nlines = fit_wrapped(name, f.bold, 36 * scale, 18, self.text_w, max_lines=2)
            ssize = max(11.0, 14 * scale)
            bsize, blines = fit_wrapped(before, f.regular, ssize, 10, self.text_w, max_lines=2)
            asize, alines = fit_wrapped(after, f.regular, ssize, 10, self.text_w, max_lines=2)
            if scale < 1.0:
                tsize, tlines = fit_wrapped(self._title_text(), f.bold, max(12.0, 20 * scale), 12, self.text_w,
                                            max_lines=3)
            blocks = [
                Block(blines, f.regular, bsize, self.grey, 1.2, 4 * MM * scale),
                Block(nlines, f.bold, nsize, self.ink, 1.12, 5 * MM * scale),
                Block(alines, f.regular, asize, self.grey, 1.2, 3 * MM * scale),
                Block(tlines, f.bold, tsize, self.accent, 1.18, 3 * MM * scale),
                Block(mlines, f.regular, msize, self.grey, 1.2, 0.0),
            ]
            if sum(b.height for b in blocks) <= room:
                return blocks, True
        return blocks, False

    def _title_text(self) -> str:
        return f"«{self.event.title}»" if self.lang == "ru" else self.event.title

    # -- signatures -----------------------------------------------------------------------

    SIGN_WIDTH = 82 * MM

    def _lay_signatures(self) -> list[tuple[float, list[str], float, list[str]]]:
        """Each signatory's name and title, fitted: (size, lines, size, lines); a blank line
        with "Signature" under it when the event chose none."""
        f = self.fonts
        laid = []
        for who in self.signatories or [Signatory("", "")]:
            nsize, nlines = fit_wrapped(who.name, f.bold, 11, SMALLEST, self.SIGN_WIDTH, max_lines=2)
            tsize, tlines = fit_wrapped(who.title, f.regular, 9.5, SMALLEST, self.SIGN_WIDTH, max_lines=3)
            if not who.name:
                tsize, tlines = 9.0, [self.words.p_("certificate", "Signature")]
            laid.append((nsize, nlines, tsize, tlines))
        return laid

    def _under_signature(self) -> float:
        return max(len(n) * ns * 1.18 + len(t) * ts * 1.2 for ns, n, ts, t in self._signature_blocks)

    def _signatures_height(self, density: Density) -> float:
        return self._under_signature() + 2 * MM + density.sign_room

    def _signatures(self, bottom: float) -> None:
        """The signatories side by side (one at the right, two at the left and right)."""
        c, f = self.canvas, self.fonts
        width = self.SIGN_WIDTH
        left, right = self.inner + 4 * MM, self.width - self.inner - 4 * MM - width
        laid = self._signature_blocks
        places = [right] if len(laid) == 1 else [left, right]
        line_y = bottom + self._under_signature() + 2 * MM
        for x, (nsize, nlines, tsize, tlines) in zip(places, laid):
            c.setStrokeColor(self.ink)
            c.setLineWidth(0.6)
            c.line(x, line_y, x + width, line_y)
            y = line_y - 1.5 * MM
            if nlines:
                y = self.text_lines(nlines, f.bold, nsize, x + width / 2, y, "center", leading=1.18, colour=self.ink)
            self.text_lines(tlines, f.regular, tsize, x + width / 2, y, "center", leading=1.2, colour=self.grey)

    # -- partners -------------------------------------------------------------------------

    def _cells(self, partners: Sequence[PartnerInfo], logo_h: float, size: float) -> list[tuple[Any, float, float,
                                                                                                  list[str]]]:
        """Each partner's cell: (logo, its width, its height, the name's lines under it)."""
        key = (id(partners), logo_h, size)
        if key not in self._cell_cache:
            self._cell_cache[key] = self._lay_cells(partners, logo_h, size)
        return self._cell_cache[key]

    def _lay_cells(self, partners: Sequence[PartnerInfo], logo_h: float,
                   size: float) -> list[tuple[Any, float, float, list[str]]]:
        f = self.fonts
        cell = self._cell_width(len(partners)) - 4 * MM
        out = []
        for p in partners:
            image = self._logos.get(id(p))
            font = f.regular if image is not None else f.bold
            lines = balanced_wrap(p.name, font, size, cell)
            short = self._short.get(id(p))
            if len(lines) > NAME_LINES and short:
                lines = balanced_wrap(short, font, size, cell)
            if image is not None:
                iw, ih = image.getSize()
                scale = min(logo_h / ih, cell / iw)
                out.append((image, iw * scale, ih * scale, lines))
            else:
                out.append((None, 0.0, 0.0, lines))
        return out

    def _cell_width(self, n: int) -> float:
        """The width of a partner's cell in a row of ``n``: up to 100 mm, the row within the text's width."""
        return min(100 * MM, (self.width - 2 * self.inner - 8 * MM) / max(n, 1))

    def _partner_row_height(self, partners: Sequence[PartnerInfo], logo_h: float, size: float) -> float:
        if not partners:
            return 0.0
        cells = self._cells(partners, logo_h, size)
        has_logo = any(image is not None for image, *_rest in cells)
        return (logo_h + 1.5 * MM if has_logo else 0.0) + max(len(lines) for *_r, lines in cells) * size * 1.2

    def _partner_row(self, partners: Sequence[PartnerInfo], top: float, logo_h: float, size: float) -> None:
        """The partners side by side, centred: a logo (bottoms aligned) with the name under it;
        a name without a logo sits where the others' names are."""
        f = self.fonts
        cells = self._cells(partners, logo_h, size)
        has_logo = any(image is not None for image, *_rest in cells)
        n = len(partners)
        cell = self._cell_width(n)
        x0 = (self.width - n * cell) / 2
        names_top = top - (logo_h + 1.5 * MM if has_logo else 0.0)
        for i, (image, iw, ih, lines) in enumerate(cells):
            cx = x0 + (i + 0.5) * cell
            if image is not None:
                self.canvas.drawImage(image, cx - iw / 2, names_top + 1.5 * MM, iw, ih, mask="auto")
                font, colour = f.regular, self.grey
            else:
                font, colour = f.bold, self.ink
            self.text_lines(lines, font, size, cx, names_top, "center", leading=1.2, colour=colour)

    def _funders_foot(self, bottom: float, logo_h: float) -> None:
        """The funders and partners at the foot, under their heading."""
        roles = {p.role for p in self._funders}
        heading = (self.words.p_("partner heading", "With the financial support of") if roles == {"funder"}
                   # Translators: above the funders and partners at the foot of a certificate.
                   else self.words.p_("partner heading", "With the support of"))
        top = bottom + self._partner_row_height(self._funders, logo_h, SMALLEST)
        c = self.canvas
        c.setFillColor(self.grey)
        c.setFont(self.fonts.bold, SMALLEST)
        c.drawCentredString(self.width / 2, top + 3 * MM, heading.upper())
        self._partner_row(self._funders, top, logo_h, SMALLEST)

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
    the selection holds (see ``export_badges``). Each person's certificate number is given
    the first time (and kept for reprints). Errors as for ``export_badges``.
    """
    from desktop.core.certificates import assign_numbers, numbers_of

    check_lang(lang)
    with database.read() as session:
        event = load_event(session, event_id, lang, with_logos=True)
        signatories = load_signatories(session, event_id, lang)
        short_names = load_short_names(session, event_id, lang)
        people = PrintList(session, event_id, lang, registration_ids=registration_ids, statuses=statuses,
                           only_checked_in=only_checked_in)
    if not people:
        if only_checked_in:
            raise NothingToPrint(_("nobody is checked in yet: no certificate to print."))
        raise NothingToPrint(_("there is nobody in this selection: no certificate to print."))
    with database.write() as session:  # new numbers in print order (one transaction, a part at a time)
        for start in range(0, len(people), NUMBERS_AT_ONCE):
            assign_numbers(session, event_id, people.ids[start:start + NUMBERS_AT_ONCE].tolist())
    with database.read() as session:  # the people a batch at a time, with the numbers just given
        with atomic_target(path) as tmp:
            sheet = CertificateSheet(tmp, event=event, lang=lang, signatories=signatories, short_names=short_names)
            ticker = Ticker(progress, len(people))
            for batch in people.batches(session):
                numbers = numbers_of(session, [p.registration_id for p in batch])
                for person in batch:
                    sheet.add(person, numbers.get(person.registration_id, ""))
                    ticker.step()
            pages = sheet.finish(check=ticker.check)
    return PrintResult(Path(path), len(people), pages, CERTIFICATES)


__all__ = ["CertificateSheet", "Signatory", "export_certificates", "fit_wrapped", "load_signatories"]
