"""What every printed page of an event shares: the people to print and the event's facts
read as plain data, dates, text fitting, and the ``PageWriter`` that owns a ReportLab
canvas and writes the PDF safely.

The writers (``badges``, ``name_cards``, ``sign_in``, ``certificates``) are small: each
reads its people through a :class:`PrintList` (in print order, a batch at a time: a list
of 100,000 never whole in memory), the event with :func:`load_event`, and draws one kind
of page through a ``PageWriter``.

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
import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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
PART_PAGES = 250     # a long document's pages are written in parts of so many (see PageWriter)
LATE_FORMS = 500     # and its late forms' definitions in files of so many


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
    ``Category`` value or ``"moderator"``. ``short_organisation`` is the organisation's
    short name in the page's language ("" when it has none: ``short_name``).
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
    short_organisation: str = ""

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


def short_name(short: Mapping[str, str] | None, lang: str) -> str:
    """An organisation's short name in ``lang`` as badges and name cards print it ("" when
    it has none in that language: no other language's stands in)."""
    return " ".join(((short or {}).get(lang) or "").split())


BATCH = 1000       # people read at a time (see PrintList)
_ORG_CACHE = 4096  # organisations remembered from batch to batch (they repeat down a list)
_IN_CHUNK = 2000   # registration ids given by the caller, looked up so many at a time


@dataclass(frozen=True)
class _Selection:
    """Which registrations of an event a printed list holds (see ``PrintList``), as SQL."""

    event_id: int
    wanted: tuple[int, ...] | None  # exactly these (any status), or None: by status
    statuses: tuple[Status, ...]
    only_checked_in: bool

    def select(self, *columns: Any, ids: Sequence[int] | None = None) -> Any:
        """A select of ``columns`` from the registrations (of those, ``ids``) joined to
        their people, the people's kept sort keys (``_keys()``) and organisations."""
        from sqlalchemy import select

        from db.models import Organisation, Person, Registration
        from desktop.core.checkin import checked_in_subquery

        keys = _keys()
        stmt = (select(*columns).select_from(Registration)
                .join(Person, Person.id == Registration.person_id)
                .outerjoin(keys, keys.c.person_id == Person.id)
                .outerjoin(Organisation, Organisation.id == Person.organisation_id)
                .where(Registration.event_id == self.event_id))
        if ids is not None:
            stmt = stmt.where(Registration.id.in_(list(ids)))
        if self.wanted is None:
            stmt = stmt.where(Registration.status.in_(self.statuses))
        if self.only_checked_in:
            stmt = stmt.where(Registration.id.in_(select(checked_in_subquery(self.event_id).c.registration_id)))
        return stmt

    def parts(self) -> Iterator[Sequence[int] | None]:
        """The ``ids`` to select by, a part at a time (None: the whole selection at once)."""
        if self.wanted is None:
            yield None
            return
        for start in range(0, len(self.wanted), _IN_CHUNK):
            yield self.wanted[start:start + _IN_CHUNK]


@functools.lru_cache(maxsize=1)
def _keys() -> Any:
    """The kept sort keys (``db/sort_keys.py``), by the name a printed list's selects join them."""
    from db.sort_keys import sort_keys

    return sort_keys.alias("print_key")


class PrintList:
    """The registrations to print, in print order, read a batch at a time.

    The order is by surname in ``lang``'s alphabet (family name, given name, patronymic:
    ``desktop.core.collation.name_key``), then by registration; ``by_sector`` puts the
    sectors first, in ``SECTOR_ORDER``. ``registration_ids`` picks exactly those
    registrations of the event (in any status); otherwise ``statuses`` (default: every
    status but cancelled and declined) chooses. ``only_checked_in`` keeps those checked
    in now.

    Why batches: a list of 100,000 people held whole as ``Attendee`` rows is some 150 MB
    (issue 13). The list holds only the registrations' ids in print order (``ids``, 8
    bytes each), sorted by the database on the name keys it keeps (``db/sort_keys.py``);
    a batch's rows, organisations and roles are read when the pages reach it
    (``batches``). Where some person's kept key is missing or stale (a program other than
    core wrote the names), or the registrations are given by id, the ids are sorted here
    instead, on the keys read (a missing or stale one made as core would store it): the
    pages are the same either way. What the pages print about the whole list (its length,
    each sector's count: ``sector_counts``) comes from SQL, not from the people.

    Read the batches in the session the list was made in: on SQLite one read transaction
    is one snapshot. A registration gone meanwhile (PostgreSQL reads each statement
    afresh) is left out.
    """

    def __init__(self, session: Any, event_id: int, lang: str = "en", *,
                 registration_ids: Sequence[int] | None = None,
                 statuses: Sequence[Status | str] | None = None,
                 only_checked_in: bool = False, by_sector: bool = False, batch: int | None = None) -> None:
        from array import array

        self.session = session
        self.event_id = event_id
        self.lang = check_lang(lang)
        self.by_sector = by_sector
        self.batch = batch or BATCH
        self._selection = _selection(event_id, registration_ids, statuses, only_checked_in)
        self._orgs: dict[int, tuple[str, str, str | None]] = {}
        self.ids = array("q")
        """The registrations' ids in print order."""
        if self._selection.wanted != ():
            self.ids.extend(self._ordered_ids())

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Attendee]:
        for batch in self.batches():
            yield from batch

    def _sector_rank(self) -> Any:
        """SQL: the place of a person's sector in ``SECTOR_ORDER`` (no organisation, or no
        sector: None's place); the same for all when the list is not by sector."""
        from sqlalchemy import String, case, literal, type_coerce

        from db.models import Organisation

        if not self.by_sector:
            return literal(0)
        return case({s: i for i, s in enumerate(SECTOR_ORDER) if s is not None},
                    value=type_coerce(Organisation.sector, String), else_=SECTOR_ORDER.index(None))

    def _ordered_ids(self) -> Iterator[int]:
        """The registrations' ids in print order (see the class docstring)."""
        from sqlalchemy import or_

        from db.models import Person, Registration
        from db.sort_keys import COLLATOR_COLUMN, key_column
        from desktop.core.collation import collator_version, name_key

        version = collator_version()
        keys = _keys().c
        kept_key, made_by = keys[key_column(self.lang)], keys[COLLATOR_COLUMN]
        rank = self._sector_rank()
        selection = self._selection
        conn = self.session.connection()  # Core: rows fetched as they are read, not all buffered first
        if selection.wanted is None:
            unkept = or_(keys.person_id.is_(None), made_by.is_(None), made_by != version)
            if conn.execute(selection.select(Registration.id).where(unkept).limit(1)).first() is None:
                for (rid,) in conn.execute(selection.select(Registration.id).order_by(rank, kept_key, Registration.id)):
                    yield rid
                return
        placed: list[tuple[int, bytes, int]] = []
        for part in selection.parts():
            for place, key, by, rid, given, family, patronymic, display in conn.execute(selection.select(
                    rank, kept_key, made_by, Registration.id, Person.given_name, Person.family_name,
                    Person.patronymic, Person.display_name, ids=part)):
                if key is None or by != version:
                    key = name_key(given, family, patronymic, display, self.lang)
                placed.append((place, key, rid))
        placed.sort()
        for _place, _key, rid in placed:
            yield rid

    def sector_counts(self) -> dict[str | None, int]:
        """How many of the list are of each sector (None: no organisation, or none given)."""
        from sqlalchemy import String, func, type_coerce

        from db.models import Organisation, Registration

        sector = type_coerce(Organisation.sector, String)
        counts: dict[str | None, int] = {}
        for part in self._selection.parts():
            for value, n in self.session.execute(
                    self._selection.select(sector, func.count(Registration.id), ids=part).group_by(sector)):
                counts[value] = counts.get(value, 0) + n
        return counts

    def batches(self, session: Any = None) -> Iterator[list[Attendee]]:
        """The people in print order, ``batch`` at a time (each read when it is asked for),
        in the list's session or ``session`` (the certificates read theirs after giving
        them numbers)."""
        for start in range(0, len(self.ids), self.batch):
            yield self._read(session or self.session, self.ids[start:start + self.batch].tolist())

    def _read(self, session: Any, ids: list[int]) -> list[Attendee]:
        """The people of these registrations, in this order: their rows (with their kept
        sort keys and whether they are checked in), the organisations not read yet, and
        their roles in the event's agenda."""
        from sqlalchemy import String, select, type_coerce

        from db.models import AgendaItem, AgendaSession, Organisation, Person, Registration, Role
        from db.sort_keys import COLLATOR_COLUMN, key_column
        from desktop.core.checkin import checked_in_since
        from desktop.core.collation import collator_version, name_key
        from desktop.core.i18n import listed_name, text

        lang = self.lang
        keys = _keys()
        rows = {row[0]: row for row in session.execute(
            select(Registration.id, Registration.badge_code, type_coerce(Registration.category, String),
                   Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
                   Person.position, Person.organisation_id, type_coerce(Person.gender, String),
                   checked_in_since().is_not(None), keys.c[key_column(lang)], keys.c[COLLATOR_COLUMN])
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(keys, keys.c.person_id == Person.id)
            .where(Registration.id.in_(ids)))}

        orgs = self._orgs
        new = {row[9] for row in rows.values() if row[9] is not None} - orgs.keys()
        if new:
            if len(orgs) + len(new) > _ORG_CACHE:
                orgs.clear()
            for oid, names, short, sector in session.execute(
                    select(Organisation.id, Organisation.name, Organisation.short_name,
                           type_coerce(Organisation.sector, String))
                    .where(Organisation.id.in_(sorted(new)))):
                orgs[oid] = (text(names, lang), short_name(short, lang), sector)

        roles: dict[int, set[str]] = {}
        in_sessions = select(AgendaSession.id).where(AgendaSession.event_id == self.event_id)
        in_items = select(AgendaItem.id).where(AgendaItem.event_id == self.event_id)
        for person_id, kind in session.execute(
                select(Role.person_id, type_coerce(Role.kind, String))
                .where(Role.person_id.in_(sorted({row[3] for row in rows.values()})),
                       Role.session_id.in_(in_sessions) | Role.item_id.in_(in_items))):
            roles.setdefault(person_id, set()).add(kind)

        version = collator_version()
        with_patronymic = lang != "en"
        people = []
        for wanted in ids:
            row = rows.get(wanted)
            if row is None:
                continue  # gone since the list was made
            (rid, code, category, pid, given, family, patronymic, display, position, org_id, gender, checked,
             key, made_by) = row
            name, fam, giv, from_display = printed_name(given, family, display, lang)
            org_name, short, sector = orgs.get(org_id, ("", "", None)) if org_id is not None else ("", "", None)
            people.append(Attendee(
                registration_id=rid, code=code, category=badge_category(category, frozenset(roles.get(pid, ()))),
                name=name, family=fam, given=giv,
                patronymic=(patronymic or "").strip() if with_patronymic and not from_display else "",
                position=text(position, lang), organisation=org_name, sector=sector,
                gender=gender or "not_stated", checked_in=bool(checked),
                listed=listed_name(given, family, patronymic, display, lang) or name,
                sort=key if key is not None and made_by == version
                else name_key(given, family, patronymic, display, lang),
                short_organisation=short,
            ))
        return people


def _selection(event_id: int, registration_ids: Sequence[int] | None, statuses: Sequence[Status | str] | None,
               only_checked_in: bool) -> _Selection:
    return _Selection(
        event_id,
        tuple(sorted(set(registration_ids))) if registration_ids is not None else None,
        tuple(sorted({Status(s) for s in statuses}, key=list(Status).index)) if statuses is not None
        else tuple(s for s in Status if s not in DEFAULT_EXCLUDED),
        only_checked_in)


def load_attendees(
    session: Any,
    event_id: int,
    lang: str = "en",
    *,
    registration_ids: Sequence[int] | None = None,
    statuses: Sequence[Status | str] | None = None,
    only_checked_in: bool = False,
) -> list[Attendee]:
    """Every person of a :class:`PrintList` at once, in its order: for a few people (one
    badge's preview, tests). The writers read theirs a batch at a time."""
    return list(PrintList(session, event_id, lang, registration_ids=registration_ids, statuses=statuses,
                          only_checked_in=only_checked_in))


def count_attendees(session: Any, event_id: int, *, statuses: Sequence[Status | str] | None = None,
                    only_checked_in: bool = False) -> int:
    """How many people a :class:`PrintList` of the event by status would hold (one count in SQL)."""
    from sqlalchemy import func

    from db.models import Registration

    stmt = _selection(event_id, None, statuses, only_checked_in).select(func.count(Registration.id))
    return int(session.scalar(stmt) or 0)


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
#
# A text is fitted to a box by breaking it into lines and choosing a type size: the largest size
# (up to a maximum) at which it fits the width in at most so many lines (and the height, when
# one is given). Lines break, in this order of preference, at spaces, at the hyphens the text
# has ("Дүйсенбекова-" / "Сатпаева"), then between syllables with a hyphen added
# (``desktop.exports.hyphenation``: pyphen's patterns) — never inside a syllable. Below the
# smallest size allowed, a text that may be shortened (``ellipsis``) loses whole words at its
# end, marked "…"; one that may not (a person's name) gets more lines instead.
#
# Widths come from the fonts' advance widths, which add up (ReportLab sets no kerning): a
# text is measured once at size 1 as pieces, and a line's width is a sum of pieces.

_SPACE, _OWN_HYPHEN, _SYLLABLE, _END = 0, 1, 2, 3  # what follows a piece
LINE_COST = 1.08  # another line is worth it only for a size at least this much larger
SYLLABLE_COST = 1.15  # and each word broken between syllables only for a size this much larger
NAME_SYLLABLE_COST = 1.5  # a person's name: "Александр Кон-/стантинопольский-" only to be half as large again


def string_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


@dataclass(frozen=True)
class _Pieces:
    """``text`` cut at the breaks of one ``level`` (0: spaces; 1: and its own hyphens; 2: and
    between syllables), measured at size 1."""

    texts: tuple[str, ...]
    widths: tuple[float, ...]
    after: tuple[int, ...]  # _SPACE, _OWN_HYPHEN, _SYLLABLE or _END
    space: float
    hyphen: float

    def line(self, a: int, b: int) -> str:
        parts = []
        for i in range(a, b):
            parts.append(self.texts[i])
            if i < b - 1 and self.after[i] == _SPACE:
                parts.append(" ")
        return "".join(parts) + ("-" if self.after[b - 1] == _SYLLABLE else "")

    def width(self, a: int, b: int) -> float:
        w = sum(self.widths[a:b]) + self.space * sum(1 for i in range(a, b - 1) if self.after[i] == _SPACE)
        return w + (self.hyphen if self.after[b - 1] == _SYLLABLE else 0.0)

    def greedy(self, width: float) -> list[tuple[int, int]] | None:
        """The fewest lines no wider than ``width`` (each as long as it can be); None when a
        piece alone is wider."""
        lines: list[tuple[int, int]] = []
        n = len(self.texts)
        a = 0
        while a < n:
            w = 0.0
            end = None
            for b in range(a, n):
                if b > a and self.after[b - 1] == _SPACE:
                    w += self.space
                w += self.widths[b]
                if w > width:
                    break
                if w + (self.hyphen if self.after[b] == _SYLLABLE else 0.0) <= width:
                    end = b + 1
            if end is None:
                return None
            lines.append((a, end))
            a = end
        return lines

    def narrowest(self, n: int) -> tuple[float, list[tuple[int, int]]] | None:
        """The narrowest width at which the text takes at most ``n`` lines, with the lines."""
        total = self.width(0, len(self.texts))
        if n <= 1 or len(self.texts) == 1:
            return total, [(0, len(self.texts))]
        lo = max(w + (self.hyphen if after == _SYLLABLE else 0.0) for w, after in zip(self.widths, self.after))
        hi = total
        best = self.greedy(hi)
        if best is None:  # cannot happen: everything fits on one line of the total width
            return None
        found = self.greedy(lo)
        if found is not None and len(found) <= n:
            return lo, found
        while hi - lo > hi * 0.002:
            mid = (lo + hi) / 2
            found = self.greedy(mid)
            if found is not None and len(found) <= n:
                hi, best = mid, found
            else:
                lo = mid
        return hi, best


@functools.lru_cache(maxsize=4096)
def _pieces(text: str, font: str, level: int) -> _Pieces:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from desktop.exports.hyphenation import hyphen_points, words_of

    texts: list[str] = []
    after: list[int] = []
    for word in words_of(text):
        parts = [word]
        kinds = [_SPACE]
        if level >= 1 and "-" in word.strip("-"):
            parts, kinds = [], []
            start = 0
            for i, ch in enumerate(word):
                if ch == "-" and 0 < i < len(word) - 1:
                    parts.append(word[start:i + 1])
                    kinds.append(_OWN_HYPHEN)
                    start = i + 1
            parts.append(word[start:])
            kinds.append(_SPACE)
        if level >= 2:
            split_parts, split_kinds = [], []
            for part, kind in zip(parts, kinds):
                points = [p for p in hyphen_points(part.rstrip("-")) if 0 < p < len(part.rstrip("-"))]
                bounds = [0, *points, len(part)]
                for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
                    split_parts.append(part[a:b])
                    split_kinds.append(kind if k == len(bounds) - 2 else _SYLLABLE)
            parts, kinds = split_parts, split_kinds
        texts.extend(parts)
        after.extend(kinds)
    if after:
        after[-1] = _END
    return _Pieces(tuple(texts), tuple(float(stringWidth(t, font, 1.0)) for t in texts), tuple(after),
                   float(stringWidth(" ", font, 1.0)), float(stringWidth("-", font, 1.0)))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` at spaces; a word wider than the
    line at its hyphens, then between syllables (``hyphenation.wrap_hyphenated``)."""
    from desktop.exports.hyphenation import wrap_hyphenated

    return wrap_hyphenated(text, font, size, width)


def fit_lines(text: str, font: str, max_size: float, min_size: float, width: float,
              max_lines: int = 2, height: float | None = None, leading: float = 1.15, *,
              line_cost: float = LINE_COST, ellipsis: bool = True,
              syllable_cost: float = SYLLABLE_COST) -> tuple[float, list[str]]:
    """The largest size (≤ ``max_size``) at which ``text`` fits ``width`` in at most
    ``max_lines`` lines (and ``height``, when given), with the lines.

    Fewer lines are preferred: another line only when it allows a size ``line_cost`` times
    larger (1.0: the largest size whatever the lines — for text that should wrap before it
    shrinks). Lines break at spaces, at the text's own hyphens, then between syllables (for a
    size clearly larger: ``syllable_cost`` a break; a name asks for ``NAME_SYLLABLE_COST``: it is
    set smaller rather than broken inside a word). When even ``min_size`` is too large, the text is
    set at ``min_size``: with ``ellipsis`` it loses whole words at its end, marked "…", to
    stay in its lines; without, it takes as many lines as it needs (a name is never cut).
    """
    from desktop.exports.hyphenation import words_of

    size, lines = _fit(" ".join(words_of(text)), font, max_size, min_size, width, max_lines, height, leading,
                       line_cost, ellipsis, syllable_cost)
    return size, list(lines)


@functools.lru_cache(maxsize=8192)
def _fit(text: str, font: str, max_size: float, min_size: float, width: float, max_lines: int,
         height: float | None, leading: float, line_cost: float, ellipsis: bool,
         syllable_cost: float) -> tuple[float, tuple[str, ...]]:
    if not text:
        return max_size, ()
    limit = max_lines if height is None else max(1, min(max_lines, int(height / (min_size * leading) + 1e-9)))

    def capped(size: float, n: int) -> float:
        size = min(size, max_size)
        return size if height is None else min(size, height / (n * leading))

    plain = _pieces(text, font, 0)
    one = plain.width(0, len(plain.texts))
    if one * capped(max_size, 1) <= width and capped(max_size, 1) >= max_size:
        return max_size, (text,)  # the common case: one line at the largest size
    best_size, best_score, best_lines = 0.0, 0.0, [text]
    for level in (0, 1, 2):
        pieces = _pieces(text, font, level)
        if level and pieces.texts == _pieces(text, font, level - 1).texts:
            continue
        for n in range(1, limit + 1):
            if level == 2 and best_score >= capped(width * n / one, n) / line_cost ** (n - 1):
                continue  # between syllables could not do better than what is found
            found = pieces.narrowest(n)
            if found is None:
                continue
            narrow, spans = found
            count = len(spans)
            size = capped(width / narrow if narrow else max_size, count)
            broken = sum(1 for _, b in spans if pieces.after[b - 1] == _SYLLABLE)
            score = size / line_cost ** (count - 1) / syllable_cost ** broken
            if size >= min_size and score > best_score * 1.0001:
                best_size, best_score = size, score
                best_lines = [pieces.line(a, b) for a, b in spans]
            if count < n:
                break  # more lines allowed than it takes: no larger size with more
    if best_score:
        return best_size, tuple(best_lines)
    # Too long for its lines even at the smallest size.
    lines = wrap(text, font, min_size, width)
    if len(lines) <= limit or not ellipsis:
        return min_size, tuple(lines)
    return min_size, tuple(_shortened(text, font, min_size, width, limit))


# Words a shortened text does not end on: "… of the Federal Republic of…" reads as a slip,
# "… of the Federal Republic…" as a shortening (en, ru, kk, and the German of names of
# organisations). Conjunctions and prepositions that stand before what they join.
DANGLING = frozenset("""
    a an and the of for in on at to by with from into under or as via &
    и или а но в во на по при для с со к ко о об обо от до из за под над у без через между перед
    және мен бен пен немесе әрі
    und oder von vom der die das des dem den für im in zu zur zum mit bei auf
""".split())


def _ends_well(words: Sequence[str]) -> list[str]:
    """``words`` without the conjunctions and prepositions at its end (one word stays)."""
    kept = list(words)
    while len(kept) > 1 and kept[-1].rstrip(",;:–—-").casefold() in DANGLING:
        kept.pop()
    return kept


def _shortened(text: str, font: str, size: float, width: float, lines: int) -> list[str]:
    """As many whole words of ``text`` as fit ``lines`` lines at ``size``, the last followed
    by "…" and not a conjunction or preposition (a single word too long is cut, as nothing
    else can be done)."""
    from desktop.exports.hyphenation import words_of

    words = words_of(text)

    def attempt(k: int) -> list[str]:
        return wrap(" ".join(_ends_well(words[:k])).rstrip(" ,;:–—-") + "…", font, size, width)

    lo, hi = 0, len(words)  # attempt(lo) fits (or lo == 0); find the largest k that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(attempt(mid)) <= lines:
            lo = mid
        else:
            hi = mid - 1
    if lo:
        return attempt(lo)
    head = wrap(words[0], font, size, width)[:lines]
    head[-1] = ellipsize(head[-1], font, size, width)
    return head


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened to fit ``width``: whole words left off its end, marked "…", never
    after a conjunction or preposition (a first word too long for the width alone is cut
    within itself)."""
    if string_width(text, font, size) <= width:
        return text
    from desktop.exports.hyphenation import words_of

    words = words_of(text)
    while len(words) > 1:
        words.pop()
        shorter = " ".join(_ends_well(words)).rstrip(" ,;:–—-") + "…"
        if string_width(shorter, font, size) <= width:
            return shorter
    word = words[0] if words else text
    while word and string_width(word.rstrip() + "…", font, size) > width:
        word = word[:-1]
    return word.rstrip(" ,;:–-") + "…"


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
    with atomic_file(check_target(path), error=PrintError, discard=_discard_with_parts) as tmp:
        try:
            yield tmp
        except PartsNotJoined as exc:
            raise PrintError(_("The PDF {path} could not be put together from its parts.").format(
                path=path)) from exc


class PartsNotJoined(PrintError):
    """A long PDF's parts could not be joined (``PageWriter.finish``); ``atomic_target``
    turns it into a sentence naming the file."""


def _discard_with_parts(tmp: Path) -> None:
    """Remove a temporary PDF and the parts a ``PageWriter`` wrote beside it (a long
    document is written in parts: a cancel or a failure leaves none of them)."""
    for path in (tmp, *PageWriter.parts_of(tmp)):
        try:
            path.unlink()
        except OSError:
            pass


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


class _Destination:
    """Where a canvas saves (ReportLab takes a file object): the document, or a part of it
    once the canvas turns out to hold one."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def name(self) -> str:
        return str(self.path)

    def write(self, data: bytes) -> None:
        with open(self.path, "ab") as fh:
            fh.write(data)


class PageWriter:
    """The base of every printed layout: it owns the canvas, the page size and the
    document's metadata; subclasses draw their content on ``self.canvas``.

    ``page_size`` is (width, height) in points. ``new_page()`` ends the current page (if it
    has anything) and starts another; ``pages`` counts them.

    ReportLab keeps every page in memory until it saves the file. With ``part_pages`` (by
    default the class's ``default_part_pages``; 0: none) a long document is written in
    parts of that many pages, each saved beside ``filename``
    (``<filename>.part<N>``) on a canvas of its own, and joined into ``filename`` by
    ``finish`` (``pdf_join``): memory stays one part's, whatever the length. ``self.canvas``
    is then a new canvas from each part's first page on (take it after ``new_page``). A
    document of one part is saved as it always was.

    A *late form* (``late_form``) is named on a page and drawn only after the last one,
    when what it shows is known ("Page N of M"): a subclass draws each in
    ``draw_late_form``. A document in parts has their definitions written in files of
    ``LATE_FORMS`` forms each (one file of them all grew with the pages: some 3 KB a form
    to write and to join).
    """

    page_size: tuple[float, float]
    default_part_pages: ClassVar[int] = 0  # one file, however long

    def __init__(self, filename: str | os.PathLike[str], page_size: tuple[float, float], *,
                 title: str, subject: str = "", lang: str = "en", part_pages: int | None = None) -> None:
        from desktop.exports.fonts import register_fonts

        self.fonts = register_fonts()
        self.filename = Path(filename)
        self.page_size = page_size
        self.lang = lang
        self._meta = (title, subject)
        self.part_pages = self.default_part_pages if part_pages is None else part_pages
        self._parts: list[Path] = []
        self._late: dict[str, None] = {}      # late forms named in the current part, in order
        self._late_all: dict[str, None] = {}  # and in the whole document
        self.canvas = self._new_canvas(self.filename)
        self.pages = 0
        self._page_open = False

    def _new_canvas(self, filename: Path) -> Any:
        from reportlab.pdfgen.canvas import Canvas

        # The initial font is ours: ReportLab would otherwise name Helvetica on every page
        # (a font that is not embedded).
        # (ReportLab's stubs type initialFontName as a number; it is a font's name.)
        self._destination = _Destination(filename)
        canvas = Canvas(self._destination, pagesize=self.page_size,  # type: ignore[arg-type]
                        initialFontName=self.fonts.regular,  # type: ignore[arg-type]
                        initialFontSize=10, pageCompression=1,
                        lang={"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}.get(self.lang, self.lang))
        title, subject = self._meta
        canvas.setTitle(title)
        canvas.setSubject(subject)
        canvas.setAuthor("Conference Desk")
        canvas.setCreator("Conference Desk")
        return canvas

    @staticmethod
    def parts_of(filename: str | os.PathLike[str]) -> list[Path]:
        """The parts a writer of ``filename`` may have left beside it."""
        path = Path(filename)
        prefix = f"{path.name}.part"
        try:
            return [p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.name[len(prefix):].isdigit()]
        except OSError:
            return []

    @property
    def width(self) -> float:
        return self.page_size[0]

    @property
    def height(self) -> float:
        return self.page_size[1]

    def new_page(self) -> None:
        if self._page_open:
            self.canvas.showPage()
            if self.part_pages and self.pages % self.part_pages == 0:
                self._save_part()
                self.canvas = self._new_canvas(self.filename)
        self._page_open = True
        self.pages += 1

    def late_form(self, name: str) -> None:
        """Draw here the form ``name``, which ``draw_late_form`` defines after the last page."""
        self.canvas.doForm(name)
        self._late[name] = None

    def draw_late_form(self, name: str) -> None:
        """Define on ``self.canvas`` the form ``name`` named by ``late_form`` (after the last
        page, its number known). A subclass that names late forms draws them here."""

    def save_canvas(self, canvas: Any) -> None:
        """Save a canvas (the document, or one of its parts)."""
        canvas.save()

    def _save_part(self) -> None:
        """Save the pages so far as a part; the late forms they name are left empty (the
        join points them at their definitions)."""
        for name in sorted(self._late):
            self.canvas.beginForm(name)
            self.canvas.endForm()
        self._late_all.update(self._late)
        self._late = {}
        part = self.filename.with_name(f"{self.filename.name}.part{len(self._parts)}")
        self._parts.append(part)
        self._destination.path = part
        self.save_canvas(self.canvas)

    def finish(self, check: Callable[[], None] | None = None) -> int:
        """End the last page and write the file; returns the number of pages. ``check`` is
        called as the parts are joined (it raises to stop: a cancel)."""
        if self._page_open:
            self.canvas.showPage()
            self._page_open = False
        if not self._parts:
            for name in self._late:
                self.draw_late_form(name)
            self.save_canvas(self.canvas)
            return self.pages
        from desktop.exports.pdf_join import join_parts

        try:
            self._save_part()
            pages = list(self._parts)
            forms: list[Path] = []
            names = list(self._late_all)
            for start in range(0, len(names), LATE_FORMS):
                # The late forms' definitions, in files of their own, each one's page naming its forms.
                path = self.filename.with_name(f"{self.filename.name}.part{len(self._parts)}")
                self._parts.append(path)
                forms.append(path)
                self.canvas = self._new_canvas(path)
                for name in names[start:start + LATE_FORMS]:
                    self.draw_late_form(name)
                for name in names[start:start + LATE_FORMS]:
                    self.canvas.doForm(name)
                self.canvas.showPage()
                self.save_canvas(self.canvas)
            from pypdf.errors import PyPdfError
            from reportlab.pdfbase.pdfdoc import xObjectName

            try:
                joined = join_parts(pages, self.filename, forms=forms,
                                    late=["/" + xObjectName(n) for n in names], check=check)
            except (ValueError, PyPdfError) as exc:  # a part not as ReportLab writes it
                raise PartsNotJoined from exc  # atomic_target says so, naming the file asked for
            assert joined == self.pages, (joined, self.pages)
        finally:
            for part in self._parts:
                try:
                    part.unlink()
                except OSError:
                    pass
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
    "PrintList",
    "count_attendees",
    "load_attendees",
    "load_event",
    "short_name",
    "registration_ids_for_codes",
]
