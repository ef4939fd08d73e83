"""What every printed page of an event shares: the people to print and the event's facts
read as plain data, dates, text fitting, and the ``PageWriter`` that owns a ReportLab
canvas and writes the PDF safely.

The writers (``badges``, ``name_cards``, ``sign_in``, ``certificates``) are small: each
reads its people with :func:`load_attendees`, the event with :func:`load_event`, and draws
one kind of page through a ``PageWriter`` (or, for the sign-in sheet, a platypus document
on the same safe file).

* A file appears complete or not at all: pages are written to a temporary file beside the
  target, renamed over it at the end (see :func:`atomic_target`).
* ``progress(done, total)`` is called as people are drawn; returning ``False`` stops the
  run with :class:`PrintCancelled` and leaves no file.
* Names are never blank: a missing translation of a display name falls back to the name
  fields (a row always has a given or a family name).
* A page's words come from the translation catalogs in the page's language
  (``words(lang)``: ``desktop.core.language``); what is said to the user (the summary, the
  errors) is in the interface language.

ReportLab is imported inside the functions that draw: importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.models import Category, NameForm, RoleKind, Status
from desktop.core import formats, vocabulary
from desktop.core.events import format_dates  # re-exported: the pages' dates
from desktop.core.files import atomic_file
from desktop.core.language import _, n_, np_

if TYPE_CHECKING:
    from sqlalchemy import SQLColumnExpression

Progress = Callable[[int, int], "bool | None"]
"""``progress(done, total)``: called as pages are drawn; return ``False`` to cancel."""

LANGS = ("en", "ru", "kk")
DEFAULT_EXCLUDED = frozenset({Status.CANCELLED, Status.DECLINED})
PROGRESS_EVERY = 10  # people drawn between two progress calls


class PrintError(Exception):
    """The PDF could not be made; the message is one sentence for a person."""


class NothingToPrint(PrintError):
    """The selection holds nobody (or an unknown badge code was asked for)."""


class PrintCancelled(Exception):
    """The progress callback asked to stop; no file was left behind."""


# What a PDF holds one of (``PrintResult.kind``): its count is said in the summary.
BADGES, NAME_CARDS, SIGN_IN, CERTIFICATES = "badges", "name_cards", "sign_in", "certificates"


@dataclass(frozen=True)
class PrintResult:
    """A written PDF: where, how many people (badges, cards, rows, certificates), pages;
    ``kind`` says which (``BADGES``, ``NAME_CARDS``, ``SIGN_IN``, ``CERTIFICATES``)."""

    path: Path
    items: int
    pages: int
    kind: str = BADGES

    def summary(self) -> str:
        """"8 badges on 1 page written to FILE", in the interface language."""
        # Translators: "118 badges on 15 pages written to /home/…/badges.pdf"; {items} is
        # "118 badges" (or name cards, people, certificates), {pages} is "15 pages".
        return _("{items} on {pages} written to {path}").format(
            items=count_text(self.kind, self.items),
            # Translators: the pages of a PDF, after "on" in "{items} on {pages} written to {path}"
            # (Russian: "на 15 страницах", so the prepositional case).
            pages=np_("on pages", "{n} page", "{n} pages", self.pages).format(n=formats.number(self.pages)),
            path=self.path)


def count_text(kind: str, n: int) -> str:
    """"118 badges", "1 name card", "118 people" (listed on a sign-in sheet), "24 certificates":
    the summary's words, and the print dialog's."""
    number = formats.number(n)
    if kind == NAME_CARDS:
        return n_("{n} name card", "{n} name cards", n).format(n=number)
    if kind == SIGN_IN:
        return n_("{n} person", "{n} people", n).format(n=number)
    if kind == CERTIFICATES:
        return n_("{n} certificate", "{n} certificates", n).format(n=number)
    return n_("{n} badge", "{n} badges", n).format(n=number)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(_("unknown language '{lang}'; choose one of {languages}").format(
            lang=lang, languages=", ".join(LANGS)))
    return lang


# Badge categories: the registration's category, or "moderator" for a person who moderates
# a session or item of the event's agenda (see ``badge_category``).
MODERATOR = "moderator"
BADGE_BANDS: tuple[str, ...] = (*(c.value for c in Category), MODERATOR)
"""Every band a badge can have."""


def badge_word(band: str, lang: str) -> str:
    """The word on a badge's band in ``lang``: the category's word of the vocabulary, or
    the role's for a moderator."""
    if band == MODERATOR:
        return vocabulary.role(RoleKind.MODERATOR, lang)
    return vocabulary.category(band, lang)


SECTOR_ORDER: tuple[str | None, ...] = tuple(s.value if s is not None else None for s in vocabulary.SECTOR_ORDER)
"""The stored sectors in the order lists give them (``vocabulary.sector`` gives their words)."""

# -- the people ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attendee:
    """One registration as printed pages need it (plain data, in one language).

    ``name`` is the name given name first ("Алексей Крутиков", "Yerzhan Zhienbayev");
    ``listed`` the name as lists and official papers write it in the page's language
    ("Крутиков Алексей Сергеевич"; in English as ``name``: ``desktop.core.i18n.listed_name``).
    ``family``, ``given`` and ``patronymic`` are the parts (from the display name when one
    is used); ``sort`` the place in a list by surname in the page's language
    (``desktop.core.collation.name_key``). ``category`` is the badge category: a
    ``Category`` value or ``"moderator"``.
    """

    registration_id: int
    code: str
    category: str
    name: str
    family: str
    given: str
    patronymic: str
    position: str
    organisation: str
    sector: str | None
    gender: str
    checked_in: bool
    listed: str = ""
    sort: bytes = b""

    @property
    def sort_key(self) -> tuple[bytes, int]:
        return self.sort, self.registration_id

    def name_in(self, form: NameForm | str) -> str:
        """The name in an event's form for badges and name cards (``db.models.NameForm``)."""
        return (self.listed or self.name) if NameForm(form) is NameForm.FULL else self.name


def printed_name(given: str | None, family: str | None, display: Mapping[str, str] | None,
                 lang: str) -> tuple[str, str, str, bool]:
    """(full name, family part, given part, from a display name) for ``lang``.

    A display name for the language wins (given name first, family name last: its last
    word is taken for the family part). Else the name fields; never blank while either
    field has a letter.
    """
    shown = ((display or {}).get(lang) or "").strip()
    if shown:
        words = shown.split()
        if len(words) > 1:
            return " ".join(words), words[-1], " ".join(words[:-1]), True
        return shown, shown, "", True
    given = (given or "").strip()
    family = (family or "").strip()
    full = " ".join(p for p in (given, family) if p)
    if not full:
        # Only when the fields are empty: a display name in another language stands in.
        for other in (*LANGS, *sorted(display or {})):
            alt = ((display or {}).get(other) or "").strip()
            if alt:
                return alt, alt.split()[-1], " ".join(alt.split()[:-1]), True
    return full, family, given, False


def badge_category(category: str, roles: frozenset[str]) -> str:
    """The band a badge gets: a moderator of any session or item is a moderator; a
    participant or observer with a speaking part (speaker, panelist, discussant, rapporteur)
    is a speaker; otherwise the registration's own category."""
    if MODERATOR in roles:
        return MODERATOR
    if category in (Category.PARTICIPANT.value, Category.OBSERVER.value) and roles - {MODERATOR}:
        return Category.SPEAKER.value
    return category


def load_attendees(
    session: Any,
    event_id: int,
    lang: str = "en",
    *,
    registration_ids: Sequence[int] | None = None,
    statuses: Sequence[Status | str] | None = None,
    only_checked_in: bool = False,
) -> list[Attendee]:
    """The registrations to print, sorted by surname in ``lang``'s alphabet (family name,
    given name, patronymic: ``desktop.core.collation.name_key``).

    ``registration_ids`` picks exactly those registrations of the event (in any status);
    otherwise ``statuses`` (default: every status but cancelled and declined) chooses.
    ``only_checked_in`` keeps those checked in now. Plain rows; each organisation's name
    is read once.
    """
    from sqlalchemy import String, select, type_coerce

    from db.models import AgendaItem, AgendaSession, Organisation, Person, Registration, Role
    from desktop.core.checkin import checked_in_subquery
    from desktop.core.collation import name_key
    from desktop.core.i18n import listed_name, text

    check_lang(lang)
    ci = checked_in_subquery(event_id)
    checked = set(session.scalars(select(ci.c.registration_id)))
    stmt = (
        select(
            Registration.id, Registration.badge_code, type_coerce(Registration.category, String),
            Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
            Person.position, Person.organisation_id, type_coerce(Person.gender, String),
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event_id)
    )
    if registration_ids is not None:
        wanted = sorted(set(registration_ids))
        if not wanted:
            return []
        stmt = stmt.where(Registration.id.in_(wanted))
    else:
        chosen = ({Status(s) for s in statuses} if statuses is not None
                  else {s for s in Status if s not in DEFAULT_EXCLUDED})
        stmt = stmt.where(Registration.status.in_(sorted(chosen, key=list(Status).index)))
    if only_checked_in:
        stmt = stmt.where(Registration.id.in_(select(ci.c.registration_id)))
    rows = session.execute(stmt).all()

    org_ids = {r[9] for r in rows if r[9] is not None}
    orgs: dict[int, tuple[str, str | None]] = {}
    if org_ids:
        for oid, names, sector in session.execute(
            select(Organisation.id, Organisation.name, type_coerce(Organisation.sector, String))
            .where(Organisation.id.in_(sorted(org_ids)))
        ):
            orgs[oid] = (text(names, lang), sector)

    roles: dict[int, set[str]] = {}
    in_sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
    in_items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
    for person_id, kind in session.execute(
        select(Role.person_id, type_coerce(Role.kind, String))
        .where(Role.session_id.in_(in_sessions) | Role.item_id.in_(in_items))
    ):
        roles.setdefault(person_id, set()).add(kind)

    with_patronymic = lang != "en"
    people = []
    for rid, code, category, pid, given, family, patronymic, display, position, org_id, gender in rows:
        name, fam, giv, from_display = printed_name(given, family, display, lang)
        org_name, sector = orgs.get(org_id, ("", None)) if org_id is not None else ("", None)
        people.append(Attendee(
            registration_id=rid, code=code, category=badge_category(category, frozenset(roles.get(pid, ()))),
            name=name, family=fam, given=giv,
            patronymic=(patronymic or "").strip() if with_patronymic and not from_display else "",
            position=text(position, lang), organisation=org_name, sector=sector,
            gender=gender or "not_stated", checked_in=rid in checked,
            listed=listed_name(given, family, patronymic, display, lang) or name,
            sort=name_key(given, family, patronymic, display, lang),
        ))
    people.sort(key=lambda a: a.sort_key)
    return people


def registration_ids_for_codes(session: Any, event_id: int, codes: Sequence[str]) -> list[int]:
    """The registrations of the event with these badge codes (any case, spaces ignored);
    :class:`NothingToPrint` naming the codes the event does not have."""
    from sqlalchemy import func, select

    from db.models import Registration
    from desktop.core.codes import normalise_code

    wanted = {normalise_code(c): c for c in codes if normalise_code(c)}
    if not wanted:
        raise NothingToPrint(_("no badge code was given."))
    found = dict(session.execute(
        select(func.upper(Registration.badge_code), Registration.id)
        .where(Registration.event_id == event_id, func.upper(Registration.badge_code).in_(sorted(wanted)))
    ).all())
    missing = [wanted[c] for c in wanted if c not in found]
    if missing:
        raise NothingToPrint(n_("the event has no registration with the badge code {codes}.",
                                "the event has no registration with the badge codes {codes}.",
                                len(missing)).format(codes=", ".join(missing)))
    return [found[c] for c in wanted]


# -- the event ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PartnerInfo:
    name: str
    role: str
    logo: bytes | None = None


@dataclass(frozen=True)
class EventInfo:
    """The event's facts in one language, ready to print."""

    id: int
    title: str
    subtitle: str
    starts_on: dt.date
    ends_on: dt.date
    dates: str
    venue: str
    city: str
    partners: list[PartnerInfo] = field(default_factory=list)
    badge_name: NameForm = NameForm.SHORT  # how its badges and name cards write names

    @property
    def place(self) -> str:
        """"Venue, City" (either alone when the other is unknown)."""
        return ", ".join(p for p in (self.venue, self.city) if p)

    def partners_in(self, *roles: str) -> list[PartnerInfo]:
        return [p for p in self.partners if p.role in roles]


def load_event(session: Any, event_id: int, lang: str = "en", *, with_logos: bool = False) -> EventInfo:
    """The event's title, dates, place and partners in ``lang`` (logos only when asked:
    they are the only large values)."""
    from sqlalchemy import String, select, type_coerce

    from db.models import Event, EventOrganisation, Organisation
    from desktop.core.i18n import text

    check_lang(lang)
    row = session.execute(
        select(Event.title, Event.subtitle, Event.starts_on, Event.ends_on, Event.venue, Event.city,
               type_coerce(Event.badge_name, String))
        .where(Event.id == event_id)
    ).first()
    if row is None:
        raise NothingToPrint(_("there is no event with id {id}.").format(id=event_id))
    title, subtitle, starts, ends, venue, city, badge_name = row
    columns: list[SQLColumnExpression[Any]] = [type_coerce(EventOrganisation.role, String), Organisation.name]
    if with_logos:
        columns.append(Organisation.logo)
    partners = []
    for prow in session.execute(
        select(*columns).join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id == event_id)
        .order_by(EventOrganisation.position, EventOrganisation.id)
    ):
        partners.append(PartnerInfo(text(prow[1], lang), prow[0], prow[2] if with_logos else None))
    city_text, venue_text = text(city, lang), text(venue, lang)
    return EventInfo(
        id=event_id, title=text(title, lang) or "—", subtitle=text(subtitle, lang),
        starts_on=starts, ends_on=ends, dates=format_dates(starts, ends, lang),
        venue=venue_text, city=city_text if city_text not in venue_text else "", partners=partners,
        badge_name=name_form(badge_name),
    )


def name_form(value: NameForm | str | None) -> NameForm:
    """A stored or given name form; the short one for anything else."""
    try:
        return NameForm(value) if value is not None else NameForm.SHORT
    except ValueError:
        return NameForm.SHORT


# -- text fitting -------------------------------------------------------------------------------

def string_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` at word boundaries (a word wider
    than the line is broken by characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for w in text.split():
        trial = f"{current} {w}" if current else w
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        # A single word too wide: break it where it overflows.
        while stringWidth(w, font, size) > width and len(w) > 1:
            cut = len(w) - 1
            while cut > 1 and stringWidth(w[:cut], font, size) > width:
                cut -= 1
            lines.append(w[:cut])
            w = w[cut:]
        current = w
    if current:
        lines.append(current)
    return lines


def fit_lines(text: str, font: str, max_size: float, min_size: float, width: float,
              max_lines: int = 2, height: float | None = None, leading: float = 1.15) -> tuple[float, list[str]]:
    """The largest size (≤ ``max_size``) at which ``text`` fits ``width`` in at most
    ``max_lines`` lines (and ``height``, when given), with the lines.

    One line is preferred; two (or more) lines only when they allow a larger size. Below
    ``min_size`` the text is set at ``min_size`` and its last line cut with an ellipsis,
    so nothing ever runs off the page.
    """
    text = " ".join(text.split())
    if not text:
        return max_size, []
    one = string_width(text, font, 1.0)
    best_size = min(max_size, width / one) if one else max_size
    best = [text]
    words = text.split()
    for n in range(2, max_lines + 1):
        if len(words) < n:
            break
        lines = _balanced(words, n, font)
        widest = max(string_width(line, font, 1.0) for line in lines)
        size = min(max_size, width / widest) if widest else max_size
        if size > best_size * 1.08:  # worth another line only for a clearly larger name
            best_size, best = size, lines
    if height is not None and best:
        best_size = min(best_size, height / (len(best) * leading))
    if best_size >= min_size:
        return best_size, best
    lines = wrap(text, font, min_size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = ellipsize(lines[-1] + " …", font, min_size, width)
    return min_size, [ellipsize(line, font, min_size, width) for line in lines]


def _balanced(words: list[str], n: int, font: str) -> list[str]:
    """``words`` in ``n`` lines with the widest line as narrow as can be (n ≤ 3: tried
    exhaustively over break points)."""
    from itertools import combinations

    best: list[str] = []
    best_width = float("inf")
    breaks = range(1, len(words))
    if len(words) > 12:  # long texts: greedy breaks are good enough and stay cheap
        total = string_width(" ".join(words), font, 1.0)
        return wrap(" ".join(words), font, 1.0, total / n * 1.15)[:n] or [" ".join(words)]
    for cut in combinations(breaks, n - 1):
        bounds = (0, *cut, len(words))
        lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        widest = max(string_width(line, font, 1.0) for line in lines)
        if widest < best_width:
            best, best_width = lines, widest
    return best


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with "…" to fit ``width``."""
    if string_width(text, font, size) <= width:
        return text
    while text and string_width(text.rstrip() + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" ,;:–-") + "…"


# -- writing the file ---------------------------------------------------------------------------

def check_target(path: str | os.PathLike[str]) -> Path:
    """The target as a Path; :class:`PrintError` when it cannot be a PDF file we may write."""
    target = Path(path)
    if target.is_dir():
        raise PrintError(_("{path} is a folder; give a file name ending in .pdf.").format(path=target))
    if not target.parent.is_dir():
        raise PrintError(_("cannot write {path}: the folder {folder} does not exist.").format(
            path=target, folder=target.parent))
    return target


@contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file name beside ``path`` to write to; renamed over ``path`` when the
    block ends normally, removed when it raises (a failure or a cancel leaves no file)."""
    with atomic_file(check_target(path), error=PrintError) as tmp:
        yield tmp


class Ticker:
    """Calls ``progress`` every few items; raises :class:`PrintCancelled` when it says stop."""

    def __init__(self, progress: Progress | None, total: int, every: int = PROGRESS_EVERY) -> None:
        self.progress, self.total, self.every = progress, total, every
        self.done = 0
        self.check(force=True)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % self.every == 0 or self.done >= self.total):
            self.check(force=True)

    def check(self, force: bool = False) -> None:
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise PrintCancelled()


class PageWriter:
    """The base of every printed layout: it owns the canvas, the page size and the
    document's metadata; subclasses draw their content on ``self.canvas``.

    ``page_size`` is (width, height) in points. ``new_page()`` ends the current page (if it
    has anything) and starts another; ``pages`` counts them.
    """

    page_size: tuple[float, float]

    def __init__(self, filename: str | os.PathLike[str], page_size: tuple[float, float], *,
                 title: str, subject: str = "", lang: str = "en") -> None:
        from reportlab.pdfgen.canvas import Canvas

        from desktop.exports.fonts import register_fonts

        self.fonts = register_fonts()
        self.page_size = page_size
        self.lang = lang
        # The initial font is ours: ReportLab would otherwise name Helvetica on every page
        # (a font that is not embedded).
        # (ReportLab's stubs type initialFontName as a number; it is a font's name.)
        self.canvas = Canvas(str(filename), pagesize=page_size,
                             initialFontName=self.fonts.regular,  # type: ignore[arg-type]
                             initialFontSize=10, pageCompression=1,
                             lang={"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}.get(lang, lang))
        self.canvas.setTitle(title)
        self.canvas.setSubject(subject)
        self.canvas.setAuthor("Conference Desk")
        self.canvas.setCreator("Conference Desk")
        self.pages = 0
        self._page_open = False

    @property
    def width(self) -> float:
        return self.page_size[0]

    @property
    def height(self) -> float:
        return self.page_size[1]

    def new_page(self) -> None:
        if self._page_open:
            self.canvas.showPage()
        self._page_open = True
        self.pages += 1

    def finish(self) -> int:
        """End the last page and write the file; returns the number of pages."""
        if self._page_open:
            self.canvas.showPage()
            self._page_open = False
        self.canvas.save()
        return self.pages

    # Drawing helpers shared by the layouts.

    def text_lines(self, lines: Sequence[str], font: str, size: float, x: float, top: float,
                   align: str = "left", leading: float = 1.18, colour: Any = None) -> float:
        """Draw ``lines`` with the first baseline ``size`` below ``top``; returns the y
        below the last line."""
        c = self.canvas
        if colour is not None:
            c.setFillColor(colour)
        c.setFont(font, size)
        y = top - size * 0.93
        for line in lines:
            if align == "center":
                c.drawCentredString(x, y, line)
            elif align == "right":
                c.drawRightString(x, y, line)
            else:
                c.drawString(x, y, line)
            y -= size * leading
        return y + size * leading - size * 0.3


def hex_colour(value: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(value)


__all__ = [
    "count_text",
    "Attendee",
    "EventInfo",
    "NothingToPrint",
    "PageWriter",
    "PrintCancelled",
    "PrintError",
    "PrintResult",
    "Progress",
    "atomic_target",
    "fit_lines",
    "format_dates",
    "load_attendees",
    "load_event",
    "registration_ids_for_codes",
]
