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
partners grouped under their role headings, each organisation a row of its own with its
logo (when it has one) beside its name. Then per day a heading with the weekday ("Friday,
28 February 2025"; "Day 2 — …" when the event has several days), each session as a
tinted band in its colour with its time range, title, room and moderators, followed by its
items with times, titles and "Honorific **Name**, position, organisation" lines (the
honorific where the language sets one); registration, breaks and lunch are shaded rows
without speakers ("Coffee break · Foyer"). Side by side, the room and each person are rows
of their own, so both languages stand level, with a gutter each side of the rule between
them. Every page has a running head (from page 2), "Page N of M", and the programme's
version — a digest of the agenda's content, the same for the same agenda in every
language — with the date it was printed.

A text missing in the chosen language falls back to another (``desktop.core.i18n.pick``);
nothing is printed blank, and a person without any name is left out. Long titles and
names wrap inside their column (a word longer than the column breaks at its hyphens or
between syllables, ``desktop.exports.hyphenation``). A long session may break across
pages: its heading (and a day's heading) never ends a page alone, and the page where it
goes on starts with its heading again, "(continued)" (``_Block``); an item broken across
pages goes on under its times (``_EntryTable``). The bundled DejaVu Sans
fonts are embedded as subsets.
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

# -- geometry (points) ---------------------------------------------------------------------

PAD = 6  # ReportLab's default cell padding, left and right
GUTTER = 10  # side by side: the space each side of the rule between the two languages
PARTNER_GAP = 16  # between the two columns of partner groups
LOGO_BOX = (22 * 72 / 25.4, 12 * 72 / 25.4)  # a logo fits in 22 × 12 mm, its aspect kept
LOGO_GAP = 8  # between a logo and its name
# In one language, an item's people share the title's cell when they are this few and
# their lines this short (one row lays out faster); more get a row each, so that a long
# entry can break across pages.
COMPACT_PEOPLE = 3
COMPACT_LETTERS = 420
# The session's title repeated over its continuation on the next page is cut to this many
# letters (a title of 330 would fill a third of the column again).
CONTINUED_TITLE = 100
# An entry of up to so many rows and letters (in its longer language) is never broken
# across pages.
KEEP_WHOLE = 5
KEEP_WHOLE_LETTERS = 700
LONG_TITLE = 110  # letters: side by side, an event's title longer than this is set smaller


# -- plain data ------------------------------------------------------------------------------

@dataclass(frozen=True)
class OnStage:
    """A person in a role; every text per language. ``role`` is a RoleKind value."""

    role: str
    name: Mapping[str, str]
    position: Mapping[str, str] = field(default_factory=dict)
    organisation: Mapping[str, str] = field(default_factory=dict)
    honorific: str = ""
    """As the roster holds it ("Prof. Dr.", "H.E."): one text, printed where the page's
    language sets one before a name (``HONORIFIC_LANGUAGES``)."""


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


def format_weekday_date(day: dt.date, lang: str) -> str:
    """"Friday, 28 February 2025", "Пятница, 28 февраля 2025 г.", "2025 жылғы 28 ақпан, жұма":
    the heading of the day of a one-day event (a heading begins with a capital)."""
    text = formats.date(day, lang, "full")
    return text[:1].upper() + text[1:]


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
        if p.honorific:
            parts.append(p.honorific)
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

    from db.models import Event, EventOrganisation, Organisation, Person
    from desktop.core.agenda import load_agenda
    from desktop.core.events import EventNotFound

    event = session.get(Event, event_id)
    if event is None:
        raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
    # People's names differ by language (a name written in another script for English):
    # read the agenda once per language and keep each language's name.
    by_lang = {lang: load_agenda(session, event_id, lang) for lang in LANGUAGES}
    base = by_lang[LANGUAGES[0]]
    on_stage = {p.person_id for entries in base.values() for e in entries
                for x in (e, *e.children) for p in x.people}
    honorifics = dict(session.execute(
        select(Person.id, Person.honorific).where(Person.id.in_(on_stage), Person.honorific.is_not(None))
    ).all()) if on_stage else {}

    def convert(index_path: tuple[Any, ...], entry: Any) -> Entry:
        variants = [_follow(by_lang[lang], index_path) for lang in LANGUAGES]
        people = tuple(
            OnStage(
                role=p.role.value if hasattr(p.role, "value") else str(p.role),
                name={lang: variants[i].people[n].name for i, lang in enumerate(LANGUAGES)},
                position=dict(p.position or {}),
                organisation=dict(p.organisation or {}),
                honorific=" ".join((honorifics.get(p.person_id) or "").split()),
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


# Languages whose official papers set an honorific before a name ("Prof. Dr. Karl …",
# "H.E. Ms …"). A Russian or Kazakh programme names the person and gives the position: an
# honorific typed in English would be out of place there.
HONORIFIC_LANGUAGES = frozenset({"en"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _honorific(value: str, lang: str) -> str:
    """The honorific to print before a name on a page in ``lang`` ("" for none): only where
    the language sets one, and only when it is written in that language's script."""
    value = _clean(value or "").strip()
    if not value or lang not in HONORIFIC_LANGUAGES or _CYRILLIC.search(value):
        return ""
    return value


def _shortened(value: str, limit: int) -> str:
    """``value`` cut after the last whole word within ``limit`` letters, with "…", never
    after a conjunction or preposition ("…transparency and…" reads as a slip)."""
    from desktop.exports.print_common import DANGLING

    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    head = value[:limit + 1].rsplit(" ", 1)[0] if " " in value[:limit + 1] else value[:limit]
    kept = head.split(" ")
    while len(kept) > 1 and kept[-1].rstrip(",;:–—-").casefold() in DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(" ,.:;—–-") + "…"


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
            """A word too long for a line, in pieces that fit: broken at its own hyphens,
            then between syllables (``desktop.exports.hyphenation``), by letters only where
            a piece has no break that fits."""
            from desktop.exports.hyphenation import break_word

            pieces: list[list[tuple[str, str]]] = []
            line: list[tuple[str, str]] = []
            used = 0.0
            for text, font in word:
                rest = text
                while rest:
                    room = width - used
                    whole = stringWidth(rest, font, self._size)
                    if whole <= room:
                        line.append((rest, font))
                        used += whole
                        break
                    def fits(head: str, face: str = font, limit: float = room) -> bool:
                        return bool(stringWidth(head, face, self._size) <= limit)

                    split = break_word(rest, fits)
                    if split is None and line:
                        pieces.append(line)  # the rest of the word starts a line of its own
                        line, used = [], 0.0
                        continue
                    if split is None:
                        cut = len(rest) - 1
                        while cut > 1 and stringWidth(rest[:cut], font, self._size) > room:
                            cut -= 1
                        split = (rest[:cut], rest[cut:])
                    line.append((split[0], font))
                    pieces.append(line)
                    line, used = [], 0.0
                    rest = split[1]
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


def _block_class() -> type:
    """The ``_Block`` flowable (made on first use: ReportLab is imported only when printing)."""
    global _Block
    if _Block is not None:
        return _Block
    from reportlab.platypus.flowables import Flowable

    class Block(Flowable):
        """Flowables that go on a page one below the other, kept together at their head.

        The first ``keep`` of them (a day's heading, a session's heading) are never left
        at the foot of a page without at least the first piece of the one after them;
        below them the block may break between its flowables, or inside one that can be
        split (an item's rows), so that a long session does not leave a page half empty.
        The part carried over to the next page begins with ``continued()`` when it is
        given (the session's heading, "(continued)").

        ReportLab's ``keepWithNext`` moves the whole group to the next page when it does
        not fit, and a session is often taller than what is left of a page.
        """

        def __init__(self, content: list[Any], keep: int, continued: Callable[[], Any] | None = None) -> None:
            super().__init__()
            self._content = content
            self._keep = keep
            self._continued = continued
            self._sizes: list[tuple[float, float]] = []
            self._heights: list[float] = []
            self._for_width = -1.0

        def _measure(self, width: float) -> list[float]:
            if width != self._for_width:
                self._sizes = [f.wrapOn(self.canv, width, 0x7FFFFFFF) for f in self._content]
                self._heights = [h for _w, h in self._sizes]
                self._for_width = width
            return self._heights

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            self.width = availWidth
            self.height = sum(self._measure(availWidth))
            return availWidth, self.height

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            heights = self._measure(availWidth)
            taken: list[Any] = []
            rest: list[Any] = []
            used = 0.0
            for i, (flowable, height) in enumerate(zip(self._content, heights, strict=True)):
                if used + height <= availHeight + 1e-6:
                    taken.append(flowable)
                    used += height
                    continue
                rest = self._content[i:]
                if i >= self._keep:
                    parts = flowable.splitOn(self.canv, availWidth, availHeight - used)
                    if len(parts) >= 2:
                        head = parts[0].wrapOn(self.canv, availWidth, availHeight - used)[1]
                        if used + head <= availHeight + 1e-6:
                            taken.append(parts[0])
                            rest = [*parts[1:], *self._content[i + 1:]]
                break
            if len(taken) <= self._keep:
                frame = getattr(self, "_frame", None)
                if frame is None or not getattr(frame, "_atTop", False):
                    return []  # the whole block goes to the next page
                if not taken:
                    # Its first piece is taller than a page: set the pieces one by one
                    # (ReportLab splits each as it can).
                    return list(self._content)
                # Not even a whole page holds the head with the first piece after it:
                # the head fills this page, the rest goes on under its heading again.
            if not rest:
                return taken
            if self._continued is not None:
                return [*taken, Block([self._continued(), *rest], 1, self._continued)]
            return [*taken, *rest]

        def draw(self) -> None:
            # Each placed as the frame would place it on its own (a table wider than the
            # frame's text is centred on it, as ``hAlign`` says).
            y = self.height
            for flowable, (width, height) in zip(self._content, self._sizes, strict=True):
                y -= height
                flowable.drawOn(self.canv, 0, y, _sW=self.width - width)

    _Block = Block
    return Block


_Block: Any = None


def _entry_table_class() -> type:
    """The ``_EntryTable`` (made on first use: ReportLab is imported only when printing)."""
    global _EntryTable
    if _EntryTable is not None:
        return _EntryTable
    from reportlab.platypus import Table

    class EntryTable(Table):
        """An entry's rows; where the entry breaks across pages, the part on the next page
        has the entry's times in its first row's time cell (``continued()``), so that a
        speaker or discussant at the top of a page says whose item it is — the time column
        of the rows below an entry's first is otherwise empty."""

        continued: Callable[[], Any] | None = None

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            parts: list[Any] = super().split(availWidth, availHeight)
            if len(parts) >= 2 and self.continued is not None:
                rest = parts[-1]
                rest._cellvalues[0][0] = self.continued()
                # The row's height is measured again with its new cell.
                rest._argH = [None, *rest._argH[1:]]
                rest.continued = self.continued
            return parts

    _EntryTable = EntryTable
    return EntryTable


_EntryTable: Any = None


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
        # Side by side, a long title (the longer language decides) is set smaller than a
        # short one, so that it does not run down half the first page in a narrow column.
        longest = max(len(_text(programme.title, lang)) for lang in langs)
        title_size = (19.0 if not self.pair else 15.5 if longest <= LONG_TITLE else 13.5)
        self.s_title = style("title", fontName=fonts.bold, fontSize=title_size, leading=title_size * 1.22,
                             spaceAfter=4)
        self.s_subtitle = style("subtitle", fontSize=10.5 if self.pair else 11.5,
                                leading=14 if self.pair else 15, textColor=MUTED, spaceAfter=4)
        self.s_meta = style("meta", fontSize=10, leading=13.5, textColor=ACCENT)
        self.s_partner_label = style("partnerLabel", fontName=fonts.bold, fontSize=7.2, leading=9.5,
                                     textColor=FAINT, spaceAfter=2)
        self.s_partner = style("partner", fontSize=8.6, leading=11, textColor=INK)
        self.s_partner_second = style("partner2", fontSize=8.0, leading=10.2, textColor=MUTED)
        self.s_day = style("day", fontName=fonts.bold, fontSize=11.5 if self.pair else 12.5,
                           leading=14.5 if self.pair else 16, textColor=ACCENT)
        self.s_continued = style("continued", fontName=fonts.bold, fontSize=size, leading=size * 1.28)
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
        self.time_width = stringWidth("00:00–00:00", fonts.bold, size) + 2 * PAD + 4
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
        honorific = _honorific(person.honorific, lang)
        if honorific:
            runs.append((honorific + " ", self.fonts.regular))
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

    def fit_words(self, value: str, style: Any, width: float) -> str:
        """``value`` escaped for a Paragraph of ``style`` set ``width`` wide: a word wider
        than the line is broken at its hyphens or between syllables
        (``desktop.exports.hyphenation``) instead of by letters."""
        value = _clean(value)
        if not value:
            return ""
        size = style.fontSize
        # No glyph of DejaVu Sans is wider than 1.05 em: only so long a word can overflow.
        letters = width / (size * 1.05)
        if not any(len(word) > letters for word in value.split(" ")):
            return _escape(value)
        from desktop.exports.hyphenation import wrap_hyphenated

        out = []
        for word in value.split(" "):
            if len(word) > letters and self.stringWidth(word, style.fontName, size) > width:
                out.extend(wrap_hyphenated(word, style.fontName, size, width))
            else:
                out.append(word)
        return _escape(" ".join(out))

    def para(self, value: str, style: Any, width: float) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(self.fit_words(value, style, width), style)

    def heading(self) -> list[Any]:
        from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

        flow: list[Any] = []
        cells = []
        widths = self.halves()
        for n, lang in enumerate(self.langs):
            room = self.half_text_width(n, len(self.langs))
            kicker = words(lang).p_("document", DOCUMENT)
            block = [Paragraph(_escape(kicker.upper()), self.s_kicker),
                     self.para(_text(self.p.title, lang) or kicker, self.s_title, room)]
            subtitle = _text(self.p.subtitle, lang)
            if subtitle:
                block.append(self.para(subtitle, self.s_subtitle, room))
            place = ", ".join(x for x in (_text(self.p.venue, lang), _text(self.p.city, lang)) if x)
            dates = format_date_range(self.p.starts_on, self.p.ends_on, lang)
            meta = f"<font name='{self.fonts.bold}'>{_escape(dates)}</font>"
            if place:
                meta += f"  ·  {self.fit_words(place, self.s_meta, room)}"
            block.append(Paragraph(meta, self.s_meta))
            cells.append(block)
        if self.pair:
            # The two languages meet at the rule the rows below have between their columns.
            table = Table([cells], colWidths=widths)
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *self.half_paddings(2),
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

    def halves(self, *, rows: bool = False) -> list[float]:
        """The widths of the two halves of the page: in the middle; with ``rows`` (side by
        side), where the rows' language columns meet, so that a day's heading in each
        language stands over its column."""
        if rows and self.pair:
            left = self.time_width + self.cols[1]
            return [left, self.width - left]
        return [self.width / 2, self.width / 2]

    def half_paddings(self, columns: int) -> list[tuple[Any, ...]]:
        """Cell paddings of a table of halves (or of one column): the text starts where
        the rows' text starts, and a gutter keeps the halves apart."""
        if columns == 1:
            return [("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD)]
        return [("LEFTPADDING", (0, 0), (0, -1), PAD), ("RIGHTPADDING", (0, 0), (0, -1), GUTTER),
                ("LEFTPADDING", (1, 0), (1, -1), GUTTER), ("RIGHTPADDING", (1, 0), (1, -1), PAD)]

    def half_text_width(self, column: int, columns: int, *, rows: bool = False) -> float:
        """The width of the text in ``column`` of a table of ``columns`` halves."""
        if columns == 1:
            return self.width - 2 * PAD
        return self.halves(rows=rows)[column] - PAD - GUTTER

    def partners(self) -> Any:
        """The organisations under their roles ("Organised by", "Co-organised by", "With the
        financial support of", "Partners"), a group each in a grid of two columns.

        Each organisation is a row of its own: its logo (when it has one) in a box at the
        left, its name (in each language) beside it, so a logo stands beside the one name
        it belongs to. When any organisation has a logo, every name starts at the same
        distance from the edge, logo or not."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        known = [role for role in PARTNER_ORDER]
        known += [s.role for s in self.p.sponsors if s.role not in known]
        groups = [(role, [s for s in self.p.sponsors if s.role == role and self._has_name(s)]) for role in known]
        groups = [(role, members) for role, members in groups if members]
        if not groups:
            return None
        logos = {id(s): self.logo(s) for _role, members in groups for s in members if s.logo}
        with_logos = any(v is not None for v in logos.values())
        columns = 2 if len(groups) > 1 else 1
        widths = self.halves() if columns == 2 else [self.width]
        cells: list[list[Any]] = []
        for n, (role, members) in enumerate(groups):
            width = self.half_text_width(n % columns, columns)
            label = "  ·  ".join(dict.fromkeys(self.partner_label(role, lang) for lang in self.langs)).upper()
            content: list[Any] = [Paragraph(_escape(label), self.s_partner_label)]
            name_width = width - (LOGO_BOX[0] + LOGO_GAP if with_logos else 0)
            rows = []
            for m in members:
                names = self.partner_names(m, name_width)
                rows.append([logos.get(id(m)) or _blank(), names] if with_logos else [names])
            table = Table(rows, colWidths=[LOGO_BOX[0] + LOGO_GAP, name_width] if with_logos else [width],
                          hAlign="LEFT")
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), LOGO_GAP if with_logos else 0),
                ("ALIGN", (0, 0), (0, -1), "CENTER" if with_logos else "LEFT"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]))
            content.append(table)
            cells.append(content)
        grid = [cells[i:i + columns] for i in range(0, len(cells), columns)]
        if len(grid[-1]) < columns:
            grid[-1] = [*grid[-1], _blank()]
        table = Table(grid, colWidths=widths)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *self.half_paddings(columns),
            ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ]))
        return table

    def partner_label(self, role: str, lang: str) -> str:
        """"Organised by" … in ``lang``; a role this version has no heading for is called by
        the vocabulary's word for it."""
        if role in PARTNER_LABELS:
            return words(lang).p_("partner heading", PARTNER_LABELS[role])
        try:
            return vocabulary.partner_role(role, lang, several=True)
        except ValueError:
            return vocabulary.partner_role("partner", lang, several=True)

    def _has_name(self, sponsor: Sponsor) -> bool:
        return bool(_text(sponsor.name, self.langs[0]))

    def partner_names(self, sponsor: Sponsor, width: float) -> list[Any]:
        first = _text(sponsor.name, self.langs[0])
        names = [self.para(first, self.s_partner, width)]
        if self.pair:
            second = _text(sponsor.name, self.langs[1])
            if second and second != first:
                names.append(self.para(second, self.s_partner_second, width))
        return names

    def logo(self, sponsor: Sponsor) -> Any:
        """The sponsor's logo fitted into the logo box (its aspect kept); None when it
        cannot be read (the name is printed all the same)."""
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image

        try:
            w, h = ImageReader(io.BytesIO(sponsor.logo or b"")).getSize()
        except Exception:  # noqa: BLE001 - an unreadable logo is left out, the name stays
            return None
        if w <= 0 or h <= 0:
            return None
        scale = min(LOGO_BOX[0] / w, LOGO_BOX[1] / h)
        image = Image(io.BytesIO(sponsor.logo or b""), width=w * scale, height=h * scale)
        image.hAlign = "CENTER"  # in its box: a narrow logo and a wide one have one centre line
        return image

    def day_heading(self, day: dt.date, number: int, several: bool) -> Any:
        """The day's date with its weekday ("Friday, 28 February 2025"); of an event of
        several days, with its number ("Day 2 — Saturday, 1 March 2025")."""
        from reportlab.platypus import Table, TableStyle

        cells = []
        columns = len(self.langs)
        for n, lang in enumerate(self.langs):
            text = format_day_heading(day, number, lang) if several else format_weekday_date(day, lang)
            cells.append(self.para(text, self.s_day, self.half_text_width(n, columns, rows=True)))
        table = Table([cells], colWidths=self.halves(rows=True) if self.pair else [self.width])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *self.half_paddings(columns),
            ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
        ]))
        return table

    def _row_table(self, rows: list[list[Any]], commands: list[tuple[Any, ...]], *, keep: bool,
                   letters: int = 0, continued: Callable[[], Any] | None = None) -> Any:
        """The rows as a table of the page's columns; ``continued`` gives the time cell of
        the part carried over to the next page when the rows break there."""
        from reportlab.platypus import TableStyle

        table = _entry_table_class()(rows, colWidths=self.cols)
        table.continued = continued
        base: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),  # else Helvetica, not embedded
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ]
        if self.pair:
            # A gutter each side of the rule between the languages: no text touches it.
            base += [("RIGHTPADDING", (1, 0), (1, -1), GUTTER), ("LEFTPADDING", (2, 0), (2, -1), GUTTER)]
        if keep and len(rows) > 1:
            # A short entry stays whole; a long one may break across pages below its title
            # and first line (and, with many lines, above its last two): never a title, or
            # one line of many, alone.
            if len(rows) <= KEEP_WHOLE and letters <= KEEP_WHOLE_LETTERS:
                base.append(("NOSPLIT", (0, 0), (-1, -1)))
            else:
                base.append(("NOSPLIT", (0, 0), (-1, 1)))
                if len(rows) > KEEP_WHOLE:
                    base.append(("NOSPLIT", (0, len(rows) - 2), (-1, -1)))
        table.setStyle(TableStyle(base + [
            (*cmd[:-1], self.colour(cmd[-1])) if isinstance(cmd[-1], str) and cmd[-1].startswith("#") else cmd
            for cmd in commands
        ]))
        return table

    def text_width(self, column: int) -> float:
        """The width the text of language column ``column`` (1 or 2) is set in."""
        if not self.pair:
            return self.cols[1] - 2 * PAD
        return self.cols[column] - PAD - GUTTER

    def _rows(self, first: list[Any], rooms: list[str], lines: list[list[list[tuple[str, str]]]],
              style: Any) -> list[list[Any]]:
        """The rows of an entry: ``first`` (time and one title per language), its room,
        then its people.

        Side by side, the room and each person are rows of their own, so that a line in
        one language stands level with the same line in the other however long the
        titles above them are. In one language a few people go into the title's cell
        (one row: cheaper to lay out); many, or long lines, get rows, so that the entry
        can break across pages.
        """
        most = max((len(x) for x in lines), default=0)
        if not self.pair:
            cell = [first[1]]
            if rooms[0]:
                cell.append(self.para(rooms[0], self.s_room, self.text_width(1)))
            size = sum(len(t) for line in lines[0] for t, _f in line)
            if most <= COMPACT_PEOPLE and size <= COMPACT_LETTERS:
                cell += [self.runs(line, style, 2.0 if n == 0 else 0.0) for n, line in enumerate(lines[0])]
                return [[first[0], cell]]
            rows = [[first[0], cell]]
            rows += [[_blank(), self.runs(line, style, 2.0 if n == 0 else 0.0)] for n, line in enumerate(lines[0])]
            return rows
        rows = [first]
        if any(rooms):
            rows.append([_blank(), *(self.para(room, self.s_room, self.text_width(n + 1)) if room else _blank()
                                     for n, room in enumerate(rooms))])
        for n in range(most):
            row: list[Any] = [_blank()]
            for per_lang in lines:
                row.append(self.runs(per_lang[n], style, 2.0 if n == 0 else 0.0) if n < len(per_lang) else _blank())
            rows.append(row)
        return rows

    def session_heading(self, entry: Entry) -> Any:
        from reportlab.platypus import Paragraph

        colour = _valid_colour(entry.colour)
        first: list[Any] = [Paragraph(_times(entry), self.s_time_session)]
        first += [self.para(_title(entry, lang), self.s_session, self.text_width(n + 1))
                  for n, lang in enumerate(self.langs)]
        rooms = [_text(entry.room, lang) for lang in self.langs]
        lines = [self.people_lines(entry.people, lang, session=True) for lang in self.langs]
        rows = self._rows(first, rooms, lines, self.s_moderator)
        return self._band(rows, colour)

    def continued_heading(self, entry: Entry) -> Any:
        """The session's heading where it goes on over a page: its times and title, then
        "(continued)"."""
        from reportlab.platypus import Paragraph

        colour = _valid_colour(entry.colour)
        first: list[Any] = [Paragraph(_times(entry), self.s_time_session)]
        for n, lang in enumerate(self.langs):
            # Translators: after a session's title at the top of a page, where the session
            # goes on from the page before.
            more = words(lang).p_("programme", "(continued)")
            text = self.fit_words(_shortened(_title(entry, lang), CONTINUED_TITLE), self.s_continued,
                                  self.text_width(n + 1))
            first.append(Paragraph(f"{text} <font name='{self.fonts.regular}' color='{MUTED}'>"
                                   f"{_escape(more)}</font>", self.s_continued))
        return self._band([first], colour)

    def _band(self, rows: list[list[Any]], colour: str) -> Any:
        last = len(rows) - 1
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), _mix(colour, 0.9)),
            ("LINEBEFORE", (0, 0), (0, -1), self.bar, colour),
            ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, last), (-1, last), 5),
        ]
        if self.pair:
            commands.append(("LINEBEFORE", (2, 0), (2, -1), 0.4, _mix(colour, 0.7)))
        return self._row_table(rows, commands, keep=True)

    def session_block(self, entry: Entry, lead: Sequence[Any] = ()) -> Any:
        """The session as one piece of the page that may break between (or inside) its
        items, never below its heading alone; the part carried over to the next page
        starts with the heading again, "(continued)". ``lead`` (a day's heading) goes
        with the session's heading."""
        colour = _valid_colour(entry.colour)
        blocks = [self.item_block(child, colour, last=i == len(entry.children) - 1)
                  for i, child in enumerate(entry.children)]
        content = [*lead, self.session_heading(entry), *blocks]
        return _block_class()(content, len(lead) + 1, lambda: self.continued_heading(entry))

    def item_block(self, entry: Entry, colour: str | None, *, last: bool = False) -> Any:
        from reportlab.platypus import Paragraph

        in_session = colour is not None
        if entry.kind in SERVICE_KINDS:
            rows = [[Paragraph(_times(entry), self.s_service),
                     *(Paragraph(self._service_text(entry, lang, n + 1), self.s_service)
                       for n, lang in enumerate(self.langs))]]
            commands: list[tuple[Any, ...]] = [
                ("BACKGROUND", (0, 0), (-1, -1), SERVICE_BG),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
            if in_session:
                commands.append(("LINEBEFORE", (0, 0), (0, -1), self.bar, _mix(colour, 0.55)))
            return self._row_table(rows, commands, keep=False)
        title_style = self.s_item if in_session else self.s_plenary
        first: list[Any] = [Paragraph(_times(entry), self.s_time)]
        first += [self.para(_title(entry, lang), title_style, self.text_width(n + 1))
                  for n, lang in enumerate(self.langs)]
        # A plenary item says where it is; items of a session are in the session's room.
        rooms = [("" if in_session else _text(entry.room, lang)) for lang in self.langs]
        lines = [self.people_lines(entry.people, lang, session=False) for lang in self.langs]
        rows = self._rows(first, rooms, lines, self.s_person)
        end = len(rows) - 1
        commands = [
            ("LINEBEFORE", (0, 0), (0, -1), self.bar, _mix(colour, 0.55) if in_session else PLENARY_BAR),
            ("TOPPADDING", (0, 0), (-1, 0), 4.5), ("BOTTOMPADDING", (0, end), (-1, end), 5),
        ]
        if not last or not in_session:
            commands.append(("LINEBELOW", (0, end), (-1, end), 0.4, RULE))
        if self.pair:
            commands.append(("LINEBEFORE", (2, 0), (2, -1), 0.4, RULE))
        letters = max(len(_title(entry, lang)) + sum(len(t) for line in per_lang for t, _f in line)
                      for lang, per_lang in zip(self.langs, lines, strict=True))
        return self._row_table(rows, commands, keep=True, letters=letters,
                               continued=lambda: Paragraph(_times(entry), self.s_time))

    def _service_text(self, entry: Entry, lang: str, column: int) -> str:
        """"Coffee break · Foyer": the title, then the room after a middle dot, smaller."""
        title = self.fit_words(_title(entry, lang), self.s_service, self.text_width(column))
        room = _text(entry.room, lang)
        if not room:
            return title
        room = self.fit_words(room, self.s_room, self.text_width(column))
        return (f"{title}<font size='{self.s_room.fontSize}' color='{FAINT}'>"
                f"&nbsp;&nbsp;·&nbsp; {room}</font>")

    def story(self) -> list[Any]:
        from reportlab.platypus import Spacer

        story = self.heading()
        several = len(self.p.days) > 1 or self.p.ends_on > self.p.starts_on
        count = max(sum(len(entries) for _day, entries in self.p.days), 1)
        done = 0
        for number, (day, entries) in enumerate(self.p.days, start=1):
            # The day's heading goes with the day's first entry: never alone at a page's foot.
            lead: list[Any] = [self.day_heading(day, number, several), Spacer(1, 6)]
            for entry in entries:
                self.report(STORY_SHARE * done // count)
                done += 1
                if entry.is_session:
                    story.append(self.session_block(entry, lead))
                    story.append(Spacer(1, 7))
                else:
                    item = self.item_block(entry, None)
                    story.append(_block_class()([*lead, item], len(lead)) if lead else item)
                    story.append(Spacer(1, 4 if entry.kind in SERVICE_KINDS else 5))
                lead = []
            story.extend(lead)
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
        """The running head's title within ``width``: whole words left off its end, "…"
        (never cut inside a word: "…Central Asia: Ten Yea…" was)."""
        from desktop.exports.print_common import ellipsize

        return ellipsize(" ".join(value.split()), self.fonts.regular, size, width)


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
