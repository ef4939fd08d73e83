"""The printed programme of an event (ReportLab platypus), in one language or two side by side.

Two layers:

* :func:`build_programme` is a pure writer: a :class:`Programme` (plain data, every text
  per language) in, PDF bytes out to a path or a binary file. Tests and the benchmark call
  it without a database.
* :func:`export_programme` reads the event (``load_programme``) and writes the PDF to a
  temporary file beside the target, moved into place only when complete: a failure
  leaves no file.

The page: a heading with the event's title and subtitle, its dates written as each
language writes them, the venue and city, and its organisers, co-organisers, funders and
partners under their role labels (with logos, in a row, when they have one). Then per day
(with a day heading when the event has several), each session as a tinted band in its
colour with its time range, title, room and moderators, followed by its items with
times, titles and "Name, position, organisation" lines; registration, breaks and lunch are
shaded rows without speakers. Every page has a running head (from page 2), "Page N of M",
and the programme's version — a digest of the agenda's content, the same for the same
agenda in every language — with the date it was printed.

A text missing in the chosen language falls back to another (``desktop.core.i18n.pick``);
nothing is printed blank, and a person without any name is left out. Long titles and
names wrap inside their column (long words are split); a session heading is never the
last thing on a page. The bundled DejaVu Sans fonts are embedded as subsets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db.models import ItemKind, RoleKind
from desktop.core import formats, vocabulary
from desktop.core.i18n import pick
from desktop.core.language import NP_, _, words

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

LANGUAGES = ("en", "ru", "kk")
PAPERS = ("a4", "letter")

# A build reports its progress as a percentage: making the rows takes about the first
# STORY_SHARE of the time (measured on 1000 items), laying them out on pages up to
# LAYOUT_SHARE, writing the held pages out the rest.
STORY_SHARE = 25
LAYOUT_SHARE = 90

Progress = Callable[[int, int], bool]
"""``progress(done, total)`` during a build; returning False cancels it (``BuildCancelled``)."""


class BuildCancelled(Exception):
    """The build was cancelled through its progress callback; nothing was written."""

# -- words ---------------------------------------------------------------------------------
# Every word of the page comes from the catalogs in the page's language (``words(lang)``);
# dates and weekdays are ``desktop.core.formats``'s.

DOCUMENT = NP_("document", "Programme")
"""The kicker above the title, and the file's title."""

# The words of roles and kinds of item are the vocabulary's (``role_words``, ``untitled``);
# the headings of partners ("Organised by") and what an untitled entry is called when its
# kind has no word of its own are the programme's.


def role_words(role: str, lang: str) -> tuple[str, str]:
    """(one, several) for the people in a role ("Moderator", "Moderators"); a role this
    version does not know is printed as a speaker's (whose label is never printed)."""
    kind = RoleKind(role) if role in _ROLE_VALUES else RoleKind.SPEAKER
    return vocabulary.role(kind, lang), vocabulary.role(kind, lang, several=True)


_ROLE_VALUES = frozenset(r.value for r in RoleKind)

# The heading over the organisations of each partner role (and on the certificate's foot).
PARTNER_LABELS: dict[str, str] = {
    "organiser": NP_("partner heading", "Organised by"),
    "co_organiser": NP_("partner heading", "Co-organised by"),
    "funder": NP_("partner heading", "With the financial support of"),
    "partner": NP_("partner heading", "Partners"),
}
PARTNER_ORDER = ("organiser", "co_organiser", "funder", "partner")

# What an entry is called when it has no title in any language: a session; an item of
# kind "other" (whose word, "Other", says nothing on a printed page); any other item is
# called by its kind's word of the vocabulary ("Keynote address").
UNTITLED: dict[str, str] = {
    "session": NP_("untitled", "Session"),
    "other": NP_("untitled", "Programme item"),
}
_KIND_VALUES = frozenset(k.value for k in ItemKind)


def untitled(kind: str | None, lang: str) -> str:
    """What an entry of ``kind`` (None: a session) is called when it has no title."""
    if kind is None:
        return words(lang).p_("untitled", UNTITLED["session"])
    if kind not in _KIND_VALUES or kind == ItemKind.OTHER.value:
        return words(lang).p_("untitled", UNTITLED["other"])
    return vocabulary.item_kind(kind, lang)


# Items set apart as shaded rows, printed without people.
SERVICE_KINDS = frozenset({"registration", "break", "lunch"})

# -- colours (the window's palette, desktop/ui/shell/style.py) --------------------------------------

INK = "#1d2733"
MUTED = "#5d6879"
FAINT = "#8c96a6"
ACCENT = "#2f5d9b"
RULE = "#d5dbe4"
SERVICE_BG = "#f1f3f6"
PLENARY_BAR = "#7d8798"
PERSON = "#3a4453"


# -- plain data ------------------------------------------------------------------------------

@dataclass(frozen=True)
class OnStage:
    """A person in a role; every text per language. ``role`` is a RoleKind value."""

    role: str
    name: Mapping[str, str]
    position: Mapping[str, str] = field(default_factory=dict)
    organisation: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """A session (``kind is None``, with its items as ``children``) or an agenda item."""

    kind: str | None
    title: Mapping[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: Mapping[str, str] = field(default_factory=dict)
    people: Sequence[OnStage] = ()
    children: Sequence[Entry] = ()
    colour: str | None = None

    @property
    def is_session(self) -> bool:
        return self.kind is None


@dataclass(frozen=True)
class Sponsor:
    """An organisation under one of the event's partner roles (a PartnerRole value)."""

    role: str
    name: Mapping[str, str]
    logo: bytes | None = None


@dataclass(frozen=True)
class Programme:
    """Everything the printed programme shows, as plain data."""

    title: Mapping[str, str]
    starts_on: dt.date
    ends_on: dt.date
    days: Sequence[tuple[dt.date, Sequence[Entry]]]
    subtitle: Mapping[str, str] = field(default_factory=dict)
    venue: Mapping[str, str] = field(default_factory=dict)
    city: Mapping[str, str] = field(default_factory=dict)
    sponsors: Sequence[Sponsor] = ()

    def version(self) -> str:
        """A short digest of the content (all languages): the same agenda, the same version."""
        return programme_version(self)


@dataclass(frozen=True)
class ProgrammeResult:
    path: Path | None
    pages: int
    version: str
    languages: tuple[str, ...]
    paper: str


# -- choices -----------------------------------------------------------------------------------

def parse_languages(spec: str) -> tuple[str, ...]:
    """``"en"`` → ``("en",)``, ``"kk+ru"`` → ``("kk", "ru")``; anything else is a ValueError."""
    parts = tuple(p.strip().lower() for p in str(spec).split("+"))
    if not (1 <= len(parts) <= 2) or any(p not in LANGUAGES for p in parts) or len(set(parts)) != len(parts):
        raise ValueError(
            _("unknown programme language '{spec}': use en, ru or kk, or two of them side by side such as en+ru.")
            .format(spec=spec))
    return parts


def language_choices() -> list[str]:
    """Every language a programme can be printed in: each one, then each pair."""
    pairs = [f"{a}+{b}" for a in LANGUAGES for b in LANGUAGES if a != b]
    return [*LANGUAGES, *pairs]


def parse_paper(paper: str) -> str:
    value = str(paper).strip().lower()
    if value not in PAPERS:
        raise ValueError(_("unknown paper size '{paper}': use a4 or letter.").format(paper=paper))
    return value


# -- dates ---------------------------------------------------------------------------------------

def format_date(day: dt.date, lang: str) -> str:
    """"28 February 2025", "28 февраля 2025 г.", "2025 жылғы 28 ақпан"."""
    return formats.date(day, lang)


def format_date_range(start: dt.date, end: dt.date, lang: str) -> str:
    """One day, or a range written once per language's habit ("27–28 February 2025")."""
    return formats.date_range(start, max(start, end), lang)


def format_day_heading(day: dt.date, number: int, lang: str) -> str:
    """"Day 2 — Friday, 28 February 2025", "День 2 — пятница, 28 февраля 2025 г.",
    "2-күн — 2025 жылғы 28 ақпан, жұма": the language's full date, weekday included."""
    # Translators: the heading of a day of the printed programme; {date} is the full date with
    # its weekday as the language writes it ("пятница, 28 февраля 2025 г.").
    return words(lang)._("Day {n} — {date}").format(n=number, date=formats.date(day, lang, "full"))


# -- the version ---------------------------------------------------------------------------------

def _texts(texts: Mapping[str, str] | None) -> str:
    if not texts:
        return ""
    return "\x1e".join(f"{k}\x1d{v}" for k, v in sorted(texts.items()) if v)


def _entry_parts(entry: Entry, parts: list[str]) -> None:
    parts += ("E", entry.kind or "", _texts(entry.title), entry.starts_at.isoformat(), entry.ends_at.isoformat(),
              _texts(entry.room), entry.colour or "")
    for p in entry.people:
        parts += ("P", p.role, _texts(p.name), _texts(p.position), _texts(p.organisation))
    for child in entry.children:
        _entry_parts(child, parts)
    parts.append("/E")


def programme_version(programme: Programme) -> str:
    """Eight hex digits of a digest of everything the programme prints, in every language:
    the same agenda gives the same version, whatever the language or paper."""
    parts = [_texts(programme.title), _texts(programme.subtitle), programme.starts_on.isoformat(),
             programme.ends_on.isoformat(), _texts(programme.venue), _texts(programme.city)]
    for sponsor in programme.sponsors:
        parts += ("S", sponsor.role, _texts(sponsor.name),
                  hashlib.sha256(sponsor.logo).hexdigest() if sponsor.logo else "")
    for day, entries in programme.days:
        parts.append(day.isoformat())
        for entry in entries:
            _entry_parts(entry, parts)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


# -- reading the event ---------------------------------------------------------------------------

def load_programme(session: Any, event_id: int) -> Programme:
    """The event's programme as plain data, every text in every language."""
    from sqlalchemy import select

    from db.models import Event, EventOrganisation, Organisation
    from desktop.core.agenda import load_agenda
    from desktop.core.events import EventNotFound

    event = session.get(Event, event_id)
    if event is None:
        raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
    # People's names differ by language (a name written in another script for English):
    # read the agenda once per language and keep each language's name.
    by_lang = {lang: load_agenda(session, event_id, lang) for lang in LANGUAGES}
    base = by_lang[LANGUAGES[0]]

    def convert(index_path: tuple[Any, ...], entry: Any) -> Entry:
        variants = [_follow(by_lang[lang], index_path) for lang in LANGUAGES]
        people = tuple(
            OnStage(
                role=p.role.value if hasattr(p.role, "value") else str(p.role),
                name={lang: variants[i].people[n].name for i, lang in enumerate(LANGUAGES)},
                position=dict(p.position or {}),
                organisation=dict(p.organisation or {}),
            )
            for n, p in enumerate(entry.people)
        )
        children = tuple(convert((*index_path, c), child) for c, child in enumerate(entry.children))
        return Entry(
            kind=None if entry.kind is None else entry.kind.value,
            title=dict(entry.title or {}),
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            room=dict(entry.room or {}),
            people=people,
            children=children,
            colour=entry.colour,
        )

    days = tuple(
        (day, tuple(convert((day, i), entry) for i, entry in enumerate(entries)))
        for day, entries in base.items()
    )
    rows = session.execute(
        select(EventOrganisation.role, Organisation.name, Organisation.short_name, Organisation.logo,
               Organisation.logo_mime)
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id == event_id)
        .order_by(EventOrganisation.position, EventOrganisation.id)
    ).all()
    sponsors = tuple(
        Sponsor(role=role.value if hasattr(role, "value") else str(role),
                name=dict(name or short or {}), logo=logo if logo and mime else None)
        for role, name, short, logo, mime in rows
    )
    return Programme(
        title=dict(event.title or {}), subtitle=dict(event.subtitle or {}),
        starts_on=event.starts_on, ends_on=event.ends_on,
        venue=dict(event.venue or {}), city=dict(event.city or {}),
        sponsors=sponsors, days=days,
    )


def _follow(days: Mapping[dt.date, Sequence[Any]], index_path: tuple[Any, ...]) -> Any:
    day, *indexes = index_path
    entry = days[day][indexes[0]]
    for i in indexes[1:]:
        entry = entry.children[i]
    return entry


# -- the writer ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f]|  ")


def _escape(value: str) -> str:
    """Text for a Paragraph: markup characters escaped, control characters gone."""
    if not value:
        return ""
    if _CONTROL.search(value):
        value = " ".join(_CONTROL.sub(" ", value).split())
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clean(value: str) -> str:
    """Text for the canvas: control characters and runs of spaces become one space."""
    if not value:
        return ""
    if _CONTROL.search(value):
        value = " ".join(_CONTROL.sub(" ", value).split())
    return value


def _text(texts: Mapping[str, str] | None, lang: str) -> str:
    return pick(texts, lang).text


def _times(entry: Entry) -> str:
    return f"{entry.starts_at:%H:%M}–{entry.ends_at:%H:%M}"


def _title(entry: Entry, lang: str) -> str:
    return _text(entry.title, lang) or untitled(entry.kind, lang)


@lru_cache(maxsize=256)
def _mix(colour: str, with_white: float) -> str:
    """``colour`` blended towards white by ``with_white`` (0 … 1), as #rrggbb."""
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    try:
        r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        r, g, b = (int(ACCENT[i:i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * with_white) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _valid_colour(colour: str | None) -> str:
    if colour:
        value = colour.strip().lstrip("#")
        if len(value) in (3, 6, 8) and all(ch in "0123456789abcdefABCDEF" for ch in value):
            return "#" + (value[:6] if len(value) != 3 else "".join(ch * 2 for ch in value))
    return ACCENT


def _runs_class() -> type:
    """The ``_Runs`` flowable (made on first use: ReportLab is imported only when printing)."""
    global _Runs
    if _Runs is not None:
        return _Runs
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.flowables import Flowable

    class Runs(Flowable):
        """One short line of text in several faces ("Moderator: **Name**, position,
        organisation"), wrapped at spaces (a word longer than the line is cut), drawn with
        plain text operators.

        Paragraph's markup path measured 2.7× the time of plain text for such lines, and a
        programme is mostly such lines; word widths here are cached for the whole build
        (names and organisations repeat).
        """

        def __init__(self, runs: list[tuple[str, str]], size: float, leading: float, colour: Any,
                     widths: dict[tuple[str, str], float], space_font: str, top: float = 0.0) -> None:
            super().__init__()
            self._top = top
            self._words = self._split(runs)
            self._size = size
            self._leading = leading
            self._colour = colour
            self._cache = widths
            self._space = self._unit(" ", space_font) * size
            self._space_font = space_font
            self._lines: list[list[list[tuple[str, str]]]] = []
            self._for_width = -1.0

        @staticmethod
        def _split(runs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
            """Words as lists of (text, font) pieces; a word may change face ("Name" + ",")."""
            words: list[list[tuple[str, str]]] = []
            current: list[tuple[str, str]] = []
            for text, font in runs:
                parts = text.split(" ")
                for i, part in enumerate(parts):
                    if i > 0 and current:
                        words.append(current)
                        current = []
                    if part:
                        current.append((part, font))
            if current:
                words.append(current)
            return words

        def _unit(self, text: str, font: str) -> float:
            key = (text, font)
            width = self._cache.get(key)
            if width is None:
                width = self._cache[key] = stringWidth(text, font, 1.0)
            return width

        def _width(self, word: list[tuple[str, str]]) -> float:
            return sum(self._unit(t, f) for t, f in word) * self._size

        def _cut(self, word: list[tuple[str, str]], width: float) -> list[list[tuple[str, str]]]:
            """A word too long for a line, in pieces that fit."""
            pieces: list[list[tuple[str, str]]] = []
            line: list[tuple[str, str]] = []
            used = 0.0
            for text, font in word:
                start = 0
                for end in range(1, len(text) + 1):
                    w = stringWidth(text[start:end], font, self._size)
                    if used + w > width and (end - 1 > start or line):
                        if end - 1 > start:
                            line.append((text[start:end - 1], font))
                            start = end - 1
                        pieces.append(line)
                        line, used = [], 0.0
                if start < len(text):
                    line.append((text[start:], font))
                    used += stringWidth(text[start:], font, self._size)
            if line:
                pieces.append(line)
            return pieces

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            if availWidth != self._for_width:
                lines: list[list[list[tuple[str, str]]]] = []
                line: list[list[tuple[str, str]]] = []
                used = 0.0
                for word in self._words:
                    width = self._width(word)
                    if line and used + self._space + width > availWidth:
                        lines.append(line)
                        line, used = [], 0.0
                    if not line and width > availWidth:
                        *full, last = self._cut(word, availWidth)
                        lines.extend([piece] for piece in full)
                        line, used = [last], self._width(last)
                        continue
                    used += (self._space if line else 0.0) + width
                    line.append(word)
                if line:
                    lines.append(line)
                self._lines = lines
                self._for_width = availWidth
            self.width = availWidth
            self.height = len(self._lines) * self._leading + self._top
            return availWidth, self.height

        def draw(self) -> None:
            canvas = self.canv
            text = canvas.beginText()
            text.setFillColor(self._colour)
            y = self.height - self._top - self._size
            font = None
            for line in self._lines:
                text.setTextOrigin(0, y)
                # One text operator per change of face, not per word.
                segments: list[tuple[str, list[str]]] = []
                for n, word in enumerate(line):
                    for i, (piece, face) in enumerate(word):
                        if n and not i:
                            piece = " " + piece
                        if segments and segments[-1][0] == face:
                            segments[-1][1].append(piece)
                        else:
                            segments.append((face, [piece]))
                for face, pieces in segments:
                    if face != font:
                        font = face
                        text.setFont(face, self._size, self._leading)
                    text.textOut("".join(pieces))
                y -= self._leading
            canvas.drawText(text)

    _Runs = Runs
    return Runs


_Runs: Any = None


def _blank() -> Any:
    """An empty cell. (A "" cell would make the table set its default font, Helvetica,
    which is not embedded.)"""
    from reportlab.platypus import Spacer

    return Spacer(0, 0)


class _Writer:
    """Lays out one programme; holds the styles and page geometry of one build."""

    def __init__(self, programme: Programme, langs: tuple[str, ...], paper: str, printed_on: dt.date,
                 progress: Progress | None = None) -> None:
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.pagesizes import A4, letter
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from desktop.exports.fonts import register_fonts

        self._colours: dict[str, Any] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self.p = programme
        self.langs = langs
        self.pair = len(langs) == 2
        self.fonts = fonts = register_fonts()
        self.page_size = A4 if paper == "a4" else letter
        self.margin_x = 16 * mm
        self.margin_top = 17 * mm
        self.margin_bottom = 17 * mm
        self.width = self.page_size[0] - 2 * self.margin_x
        self.version = programme.version()
        self.printed_on = printed_on
        self.pages = 0  # counted by the canvas when it writes the pages out
        self._progress = progress
        self._percent = -1
        self._flowables = 1

        size = 9.3 if self.pair else 10.0

        def style(name: str, **kw: Any) -> ParagraphStyle:
            base: dict[str, Any] = {"fontName": fonts.regular, "fontSize": size, "leading": size * 1.3,
                                    "textColor": INK, "alignment": TA_LEFT, "splitLongWords": 1}
            base.update(kw)
            base["textColor"] = self.colour(base["textColor"])
            return ParagraphStyle(name, **base)

        self.s_kicker = style("kicker", fontName=fonts.bold, fontSize=8, leading=10, textColor=ACCENT,
                              spaceAfter=5)
        self.s_title = style("title", fontName=fonts.bold, fontSize=15.5 if self.pair else 19,
                             leading=19 if self.pair else 23.5, spaceAfter=4)
        self.s_subtitle = style("subtitle", fontSize=10.5 if self.pair else 11.5,
                                leading=14 if self.pair else 15, textColor=MUTED, spaceAfter=4)
        self.s_meta = style("meta", fontSize=10, leading=13.5, textColor=ACCENT)
        self.s_partner_label = style("partnerLabel", fontName=fonts.bold, fontSize=7.2, leading=9.5,
                                     textColor=FAINT, spaceAfter=2)
        self.s_partner = style("partner", fontSize=8.6, leading=11, textColor=INK)
        self.s_partner_second = style("partner2", fontSize=8.0, leading=10.2, textColor=MUTED)
        self.s_day = style("day", fontName=fonts.bold, fontSize=12.5, leading=16, textColor=ACCENT)
        self.s_time_session = style("timeS", fontName=fonts.bold, fontSize=size, leading=size * 1.3)
        self.s_session = style("session", fontName=fonts.bold, fontSize=size + 1, leading=(size + 1) * 1.28)
        self.s_room = style("room", fontSize=size - 1.6, leading=(size - 1.6) * 1.3, textColor=MUTED)
        self.s_moderator = style("moderator", fontSize=size - 1.0, leading=(size - 1.0) * 1.32, textColor=INK)
        self.s_time = style("time", fontSize=size - 0.5, leading=size * 1.3, textColor=MUTED)
        self.s_item = style("item", fontSize=size, leading=size * 1.3)
        self.s_plenary = style("plenary", fontName=fonts.bold, fontSize=size, leading=size * 1.3)
        self.s_person = style("person", fontSize=size - 1.2, leading=(size - 1.2) * 1.32, textColor=PERSON)
        self.s_service = style("service", fontSize=size - 0.5, leading=size * 1.3, textColor=MUTED)
        self.s_head = style("head", fontSize=7.2, leading=9, textColor=FAINT)
        self.s_head_right = style("headR", fontSize=7.2, leading=9, textColor=FAINT, alignment=TA_RIGHT)

        self.bar = 3.2  # the colour bar at the left of a session's rows
        pad = 6  # ReportLab's default cell padding, left and right
        self.time_width = stringWidth("00:00–00:00", fonts.bold, size) + 2 * pad + 4
        rest = self.width - self.time_width
        self.cols = [self.time_width, rest / 2, rest / 2] if self.pair else [self.time_width, rest]
        self.stringWidth = stringWidth

    def colour(self, value: Any) -> Any:
        """A ReportLab colour for "#rrggbb", made once per build (converting a string on
        every use costs measurably in a long programme)."""
        if not isinstance(value, str):
            return value
        found = self._colours.get(value)
        if found is None:
            from reportlab.lib.colors import HexColor

            found = self._colours[value] = HexColor(value)
        return found

    # -- pieces of text -------------------------------------------------------------------

    def person_line(self, person: OnStage, lang: str, label: str | None) -> list[tuple[str, str]] | None:
        """"Label: **Name**, position, organisation" as (text, font) runs; None without a name."""
        name = _clean(_text(person.name, lang))
        if not name:
            return None
        runs = []
        if label:
            runs.append((f"{label}: ", self.fonts.italic))
        runs.append((name, self.fonts.bold))
        rest = [x for x in (_clean(_text(person.position, lang)), _clean(_text(person.organisation, lang))) if x]
        if rest:
            runs.append((", " + ", ".join(rest), self.fonts.regular))
        return runs

    def people_lines(self, people: Sequence[OnStage], lang: str, *, session: bool) -> list[list[tuple[str, str]]]:
        """One line per person, in order; roles other than speaker carry their label
        (on the first of a run of the same role, plural when the run is longer)."""
        lines: list[list[tuple[str, str]]] = []
        named = [p for p in people if any((v or "").strip() for v in p.name.values())]
        runs: dict[str, int] = {}
        for p in named:
            runs[p.role] = runs.get(p.role, 0) + 1
        seen: set[str] = set()
        for p in named:
            label = None
            if p.role != "speaker" and p.role not in seen:
                forms = role_words(p.role, lang)
                label = forms[1] if runs[p.role] > 1 else forms[0]
            seen.add(p.role)
            line = self.person_line(p, lang, label)
            if line:
                lines.append(line)
        return lines

    def runs(self, runs: list[tuple[str, str]], style: Any, top: float = 0.0) -> Any:
        return _runs_class()(runs, style.fontSize, style.leading, style.textColor, self._widths,
                             self.fonts.regular, top)

    # -- blocks ---------------------------------------------------------------------------

    def heading(self) -> list[Any]:
        from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

        flow: list[Any] = []
        cells = []
        for lang in self.langs:
            kicker = words(lang).p_("document", DOCUMENT)
            block = [Paragraph(_escape(kicker.upper()), self.s_kicker),
                     Paragraph(_escape(_text(self.p.title, lang)) or _escape(kicker), self.s_title)]
            subtitle = _text(self.p.subtitle, lang)
            if subtitle:
                block.append(Paragraph(_escape(subtitle), self.s_subtitle))
            place = ", ".join(x for x in (_text(self.p.venue, lang), _text(self.p.city, lang)) if x)
            dates = format_date_range(self.p.starts_on, self.p.ends_on, lang)
            meta = f"<font name='{self.fonts.bold}'>{_escape(dates)}</font>"
            if place:
                meta += f"  ·  {_escape(place)}"
            block.append(Paragraph(meta, self.s_meta))
            cells.append(block)
        if self.pair:
            gap = 14
            table = Table([cells], colWidths=[(self.width - gap) / 2, (self.width + gap) / 2])
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, -1), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LINEBEFORE", (1, 0), (1, -1), 0.5, RULE),
            ]))
            flow.append(table)
        else:
            flow.extend(cells[0])
        flow.append(Spacer(1, 9))
        partners = self.partners()
        if partners is not None:
            flow.append(partners)
        flow.append(Spacer(1, 10))
        return flow

    def partners(self) -> Any:
        from reportlab.platypus import Paragraph, Table, TableStyle

        groups = [(role, [s for s in self.p.sponsors if s.role == role]) for role in PARTNER_ORDER]
        groups = [(role, members) for role, members in groups if members]
        if not groups:
            return None
        columns = 2 if len(groups) > 1 else 1
        gap = 16
        cell_width = (self.width - gap * (columns - 1)) / columns
        cells: list[list[Any]] = []
        for role, members in groups:
            label = "  ·  ".join(words(lang).p_("partner heading", PARTNER_LABELS[role])
                                 for lang in self.langs).upper()
            content: list[Any] = [Paragraph(_escape(label), self.s_partner_label)]
            logos = self.logo_row([m for m in members if m.logo], cell_width)
            if logos is not None:
                content.append(logos)
            for m in members:
                first = _text(m.name, self.langs[0])
                if not first:
                    continue
                content.append(Paragraph(_escape(first), self.s_partner))
                if self.pair:
                    second = _text(m.name, self.langs[1])
                    if second and second != first:
                        content.append(Paragraph(_escape(second), self.s_partner_second))
            cells.append(content)
        rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
        if len(rows[-1]) < columns:
            rows[-1] = [*rows[-1], _blank()]
        table = Table(rows, colWidths=[cell_width + (gap if c < columns - 1 else 0) for c in range(columns)])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), gap),
            ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ]))
        return table

    def logo_row(self, members: Sequence[Sponsor], width: float) -> Any:
        """The members' logos in a row at one height, aspect kept (narrowed to fit)."""
        from reportlab.lib.units import mm
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image, Table, TableStyle

        height = 12 * mm
        gap = 10
        images: list[tuple[bytes, float]] = []
        for m in members:
            try:
                w, h = ImageReader(io.BytesIO(m.logo or b"")).getSize()
            except Exception:  # noqa: BLE001 - an unreadable logo is left out, the name stays
                continue
            if w > 0 and h > 0:
                images.append((m.logo or b"", w / h))
        if not images:
            return None
        total = sum(height * aspect for _logo, aspect in images) + gap * (len(images) - 1)
        scale = min(1.0, width / total) if total else 1.0
        row = []
        widths = []
        for logo, aspect in images:
            logo_w = min(height * scale * aspect, 60 * mm)
            row.append(Image(io.BytesIO(logo), width=logo_w, height=logo_w / aspect))
            widths.append(logo_w + gap)
        table = Table([row], colWidths=widths, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), gap),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        return table

    def day_heading(self, day: dt.date, number: int) -> Any:
        from reportlab.platypus import Paragraph, Table, TableStyle

        cells = [Paragraph(_escape(format_day_heading(day, number, lang)), self.s_day) for lang in self.langs]
        widths = [self.width] if not self.pair else [self.time_width + self.cols[1], self.cols[2]]
        table = Table([cells], colWidths=widths)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
            ("LEFTPADDING", (1, 0), (1, -1), 6),
        ]))
        table.keepWithNext = True
        return table

    def _row_table(self, rows: list[list[Any]], commands: list[tuple[Any, ...]], *, keep: bool) -> Any:
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=self.cols)
        base: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ]
        if keep and len(rows) > 1:
            base.append(("NOSPLIT", (0, 0), (-1, min(len(rows) - 1, 3))))
        table.setStyle(TableStyle(base + [
            (*cmd[:-1], self.colour(cmd[-1])) if isinstance(cmd[-1], str) and cmd[-1].startswith("#") else cmd
            for cmd in commands
        ]))
        return table

    def _rows(self, first: list[Any], lines: list[list[list[tuple[str, str]]]], style: Any) -> list[list[Any]]:
        """The rows of an entry: ``first`` (time and one cell per language), then its people.

        With one language the people go into the title's cell (one row: cheaper to lay
        out); side by side, each person is a row, so the two languages stay aligned. A
        very long list of people gets rows in any case, so the entry can break across pages.
        """
        most = max((len(x) for x in lines), default=0)
        if not self.pair and most <= 8:
            if most:
                first[1] = [first[1], *(self.runs(line, style, 2.0 if n == 0 else 0.0)
                                        for n, line in enumerate(lines[0]))]
            return [first]
        rows = [first]
        for n in range(most):
            row: list[Any] = [_blank()]
            for per_lang in lines:
                row.append(self.runs(per_lang[n], style) if n < len(per_lang) else _blank())
            rows.append(row)
        return rows

    def session_block(self, entry: Entry) -> list[Any]:
        from reportlab.platypus import Paragraph

        colour = _valid_colour(entry.colour)
        tint = _mix(colour, 0.9)
        first: list[Any] = [Paragraph(_times(entry), self.s_time_session)]
        for lang in self.langs:
            room = _text(entry.room, lang)
            title = Paragraph(_escape(_title(entry, lang)), self.s_session)
            first.append([title, Paragraph(_escape(room), self.s_room)] if room else title)
        lines = [self.people_lines(entry.people, lang, session=True) for lang in self.langs]
        rows = self._rows(first, lines, self.s_moderator)
        last = len(rows) - 1
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), tint),
            ("LINEBEFORE", (0, 0), (0, -1), self.bar, colour),
            ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, last), (-1, last), 5),
        ]
        if self.pair:
            commands.append(("LINEBEFORE", (2, 0), (2, -1), 0.4, _mix(colour, 0.7)))
        heading = self._row_table(rows, commands, keep=True)
        blocks = [self.item_block(child, colour, last=i == len(entry.children) - 1)
                  for i, child in enumerate(entry.children)]
        if blocks:
            # The heading never ends a page alone: it goes with the session's first item.
            heading.keepWithNext = True
        return [heading, *blocks]

    def item_block(self, entry: Entry, colour: str | None, *, last: bool = False) -> Any:
        from reportlab.platypus import Paragraph

        in_session = colour is not None
        if entry.kind in SERVICE_KINDS:
            rows = [[Paragraph(_times(entry), self.s_service),
                     *(Paragraph(self._service_text(entry, lang), self.s_service) for lang in self.langs)]]
            commands: list[tuple[Any, ...]] = [
                ("BACKGROUND", (0, 0), (-1, -1), SERVICE_BG),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
            if in_session:
                commands.append(("LINEBEFORE", (0, 0), (0, -1), self.bar, _mix(colour, 0.55)))
            return self._row_table(rows, commands, keep=False)
        title_style = self.s_item if in_session else self.s_plenary
        first: list[Any] = [Paragraph(_times(entry), self.s_time)]
        for lang in self.langs:
            title = Paragraph(_escape(_title(entry, lang)), title_style)
            # A plenary item says where it is; items of a session are in the session's room.
            room = "" if in_session else _text(entry.room, lang)
            first.append([title, Paragraph(_escape(room), self.s_room)] if room else title)
        lines = [self.people_lines(entry.people, lang, session=False) for lang in self.langs]
        rows = self._rows(first, lines, self.s_person)
        end = len(rows) - 1
        commands = [
            ("LINEBEFORE", (0, 0), (0, -1), self.bar, _mix(colour, 0.55) if in_session else PLENARY_BAR),
            ("TOPPADDING", (0, 0), (-1, 0), 4.5), ("BOTTOMPADDING", (0, end), (-1, end), 5),
        ]
        if not last or not in_session:
            commands.append(("LINEBELOW", (0, end), (-1, end), 0.4, RULE))
        if self.pair:
            commands.append(("LINEBEFORE", (2, 0), (2, -1), 0.4, RULE))
        return self._row_table(rows, commands, keep=True)

    def _service_text(self, entry: Entry, lang: str) -> str:
        title = _escape(_title(entry, lang))
        room = _text(entry.room, lang)
        return f"{title}  <font size='{self.s_room.fontSize}' color='{FAINT}'>{_escape(room)}</font>" if room else title

    def story(self) -> list[Any]:
        from reportlab.platypus import Spacer

        story = self.heading()
        several = len(self.p.days) > 1 or self.p.ends_on > self.p.starts_on
        count = max(sum(len(entries) for _day, entries in self.p.days), 1)
        done = 0
        for number, (day, entries) in enumerate(self.p.days, start=1):
            if several:
                story.append(self.day_heading(day, number))
                story.append(Spacer(1, 6))
            for entry in entries:
                self.report(STORY_SHARE * done // count)
                done += 1
                if entry.is_session:
                    story.extend(self.session_block(entry))
                    story.append(Spacer(1, 7))
                else:
                    story.append(self.item_block(entry, None))
                    story.append(Spacer(1, 4 if entry.kind in SERVICE_KINDS else 5))
        return story

    # -- page furniture ---------------------------------------------------------------------

    def canvas_class(self) -> type[Canvas]:
        """A canvas that holds its pages until the end, then draws the head, "Page N of M"
        and the footer on each (so M is known)."""
        from reportlab.pdfgen.canvas import Canvas

        writer = self

        class ProgrammeCanvas(Canvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                # Not Helvetica: a page would then name a font that is not embedded.
                kwargs["initialFontName"] = kwargs.get("initialFontName") or writer.fonts.regular
                super().__init__(*args, **kwargs)
                self._held: list[dict[str, Any]] = []

            if TYPE_CHECKING:
                def _startPage(self) -> None: ...  # ReportLab's own; its stubs leave it out

            def showPage(self) -> None:
                self._held.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._held)
                writer.pages = total
                for number, state in enumerate(self._held):
                    writer.report(LAYOUT_SHARE + (100 - LAYOUT_SHARE) * number // max(total, 1))
                    self.__dict__.update(state)
                    writer.draw_furniture(self, self.getPageNumber(), total)
                    Canvas.showPage(self)
                Canvas.save(self)

        return ProgrammeCanvas

    def report(self, percent: int) -> None:
        """Tell the progress callback when the percentage went up (a table split across a page
        goes back on ReportLab's list, so its count can step back); ``BuildCancelled`` when the
        callback answers False."""
        if self._progress is None or percent <= self._percent:
            return
        self._percent = percent
        if not self._progress(percent, 100):
            raise BuildCancelled(_("the programme was not printed: cancelled."))

    def on_doc_progress(self, kind: str, value: int) -> None:
        """ReportLab's progress hook: SIZE_EST once (the number of flowables), then PROGRESS."""
        if kind == "SIZE_EST":
            self._flowables = max(int(value), 1)
        elif kind == "PROGRESS":
            share = LAYOUT_SHARE - STORY_SHARE
            self.report(STORY_SHARE + share * min(int(value), self._flowables) // self._flowables)

    def draw_furniture(self, canvas: Any, page: int, total: int) -> None:
        lang = self.langs[0]
        width, height = self.page_size
        left, right = self.margin_x, width - self.margin_x
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        if page > 1:
            y = height - self.margin_top + 10
            canvas.setFont(self.fonts.regular, 7.2)
            canvas.setFillColor(FAINT)
            head = _text(self.p.title, lang)
            date = format_date_range(self.p.starts_on, self.p.ends_on, lang)
            room = right - left - self.stringWidth(date, self.fonts.regular, 7.2) - 24
            canvas.drawString(left, y, self._fit(head, room, 7.2))
            canvas.drawRightString(right, y, date)
            canvas.line(left, y - 4, right, y - 4)
        y = self.margin_bottom - 16
        canvas.line(left, y + 10, right, y + 10)
        canvas.setFont(self.fonts.regular, 7.2)
        canvas.setFillColor(FAINT)
        w = words(lang)
        # Translators: at the foot of every page of the programme: {version} is eight hex digits
        # (the same agenda, the same version), {date} the day it was printed.
        canvas.drawString(left, y, w._("Version {version} · printed {date}").format(
            version=self.version, date=format_date(self.printed_on, lang)))
        canvas.setFont(self.fonts.bold, 7.6)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(right, y, w._("Page {n} of {m}").format(n=page, m=total))
        canvas.restoreState()

    def _fit(self, value: str, width: float, size: float) -> str:
        value = " ".join(value.split())
        if self.stringWidth(value, self.fonts.regular, size) <= width:
            return value
        while value and self.stringWidth(value + "…", self.fonts.regular, size) > width:
            value = value[:-1]
        return value.rstrip() + "…"


def build_programme(
    programme: Programme,
    out: str | Path | IO[bytes],
    lang: str = "en",
    paper: str = "a4",
    *,
    printed_on: dt.date | None = None,
    progress: Progress | None = None,
) -> ProgrammeResult:
    """Write ``programme`` as a PDF to ``out`` (a path or a binary file).

    ``lang`` is "en", "ru", "kk" or two of them joined by "+" (side by side). Raises
    ValueError for an unknown language or paper size. ``progress(percent, 100)`` is called
    as the build goes on (each time the percentage moves, up to 100 at the end); when it
    returns False the build stops with ``BuildCancelled``.
    """
    from reportlab.platypus import SimpleDocTemplate

    langs = parse_languages(lang)
    paper = parse_paper(paper)
    writer = _Writer(programme, langs, paper, printed_on or dt.date.today(), progress)
    target = str(out) if isinstance(out, str | Path) else out
    title = _text(programme.title, langs[0])
    document = words(langs[0]).p_("document", DOCUMENT)
    doc = SimpleDocTemplate(
        target, pagesize=writer.page_size,
        leftMargin=writer.margin_x, rightMargin=writer.margin_x,
        topMargin=writer.margin_top, bottomMargin=writer.margin_bottom,
        title=f"{title} — {document}" if title else document,
        author="Conference Desk", subject=f"{document} ({'+'.join(langs)})",
        creator="Conference Desk", lang=langs[0],
    )
    writer.report(0)
    if progress is not None:
        doc.setProgressCallBack(writer.on_doc_progress)
    doc.build(writer.story(), canvasmaker=writer.canvas_class())
    writer.report(100)
    return ProgrammeResult(Path(out) if isinstance(out, str | Path) else None, writer.pages, writer.version,
                           langs, paper)


def export_programme(
    database: Any,
    path: str | Path,
    event_id: int,
    lang: str = "en",
    paper: str = "a4",
    *,
    printed_on: dt.date | None = None,
    progress: Progress | None = None,
) -> ProgrammeResult:
    """Write the event's programme to ``path``: complete, or not at all.

    Raises ValueError for an unknown language or paper (before anything is read),
    ``EventNotFound`` for an unknown event, ``ExportError`` when the file cannot be written,
    ``BuildCancelled`` when ``progress`` (see ``build_programme``) cancels: no file then.
    """
    parse_languages(lang)
    parse_paper(paper)
    with database.read() as session:
        programme = load_programme(session, event_id)
    target = Path(path)

    def write(handle: IO[bytes]) -> ProgrammeResult:
        return build_programme(programme, handle, lang, paper, printed_on=printed_on, progress=progress)

    result = write_atomically(target, write)
    return ProgrammeResult(target, result.pages, result.version, result.languages, result.paper)


def write_atomically(target: Path, write: Callable[[IO[bytes]], Any]) -> Any:
    """Call ``write`` with a temporary file beside ``target``; move it into place when
    ``write`` returns, remove it when anything fails."""
    from desktop.core.files import atomic_file
    from desktop.exports.attendees import ExportError

    if target.is_dir():
        raise ExportError(_("{path} is a folder; give a file name.").format(path=target))
    if not target.parent.is_dir():
        raise ExportError(_("cannot write {path}: the folder {folder} does not exist.").format(
            path=target, folder=target.parent))
    with atomic_file(target, error=ExportError) as tmp:
        with open(tmp, "wb") as handle:
            return write(handle)


__all__ = [
    "BuildCancelled",
    "Entry",
    "OnStage",
    "Programme",
    "ProgrammeResult",
    "Sponsor",
    "build_programme",
    "export_programme",
    "format_date",
    "format_date_range",
    "language_choices",
    "load_programme",
    "parse_languages",
    "programme_version",
]
