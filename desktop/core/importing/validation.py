"""What will happen to every row: validation as plain data.

``plan_import`` gives each data row a ``RowVerdict`` — its number as in the file, an
``Outcome`` and a sentence a person understands — without touching the database beyond
what ``Existing`` holds (the event's registrations, the roster's e-mails, the
organisations, read by ``load_existing`` with one query each).

The rules, in order:

1. A row with nothing in the columns being imported is skipped as blank; a row covered
   by a cell merged across the columns (a title or section heading) is skipped; a row that
   repeats the header, and a totals line ("Итого: 45"), are skipped.
2. A row with no name (no surname and no given name, also after splitting a full-name
   column) is skipped. So is one whose e-mail is not a valid address (several addresses in
   one cell: the first is used, with a warning; spaces inside an address are removed, with a
   warning), and one whose name is longer than the roster holds.
3. A row is a duplicate — reported, not added — when someone already registered for the
   event, or an earlier row of the file, has the same e-mail (ignoring case and spaces), or
   the same full name and organisation (names compared ignoring case and word order, a
   missing patronymic matching any; not when both rows have different e-mails).
   So importing a file twice adds nobody.
4. Every other row is imported: a person of the roster with the same e-mail is reused
   (``Outcome.ROSTER``), else a new person joins the roster (``Outcome.NEW``).
   Organisations are matched by name or short name in any language, ignoring case and
   quote marks, else created once; the row that creates one is warned when an existing
   organisation's name holds its words or is held by them ("Министерство юстиции" and
   "Министерство юстиции Республики Казахстан": ``organisations.OrganisationNames``).

Values are trimmed and otherwise kept exactly. A coded value this app does not know
(gender, sector, category, status, country, interpretation language, photo consent) is left
at its default with a warning; a value too long for its field goes into the notes, with a
warning.

Verdicts and warnings are sentences in the interface language of the plan's making; the
messages every row may need are looked up once per plan, not once per row.

Rows are decided one after another as the file is read (``decide``): what is kept across
rows is only what the duplicate check needs — each earlier row's e-mail key and name key,
with its number — and the new organisations by key. An ``ImportPlan`` keeps every row's verdict
compactly (``VerdictLog``: one byte per row for its outcome, the rest of each verdict
compressed a page at a time), without the row's values.
"""

from __future__ import annotations

import enum
import marshal
import re
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Category, Event, Gender, Organisation, Person, Registration, Sector, Status
from desktop.core.checks import email_key, is_valid_email
from desktop.core.formats import listing
from desktop.core.importing import fields as F
from desktop.core.importing.layout import Layout
from desktop.core.importing.names import split_full_name
from desktop.core.importing.reading import TRIM, SourceTable, cell_text
from desktop.core.language import N_, _, p_
from desktop.core.organisations import OrganisationNames

# Lengths of the roster's columns (db/models.py).
NAME_MAX = 120
PHONE_MAX = 40
HONORIFIC_MAX = 40
DIETARY_MAX = 200
ACCESSIBILITY_MAX = 200

_TOTALS = re.compile(r"^(итого|всего|total|totals|барлығы|барлыгы|жиыны|барлық|subtotal)\b", re.IGNORECASE)
_SEVERAL = re.compile(r"[;,]")
_QUOTES = str.maketrans("", "", "\"'«»“”„‘’`")


class Outcome(str, enum.Enum):
    NEW = "new"              # a new person joins the roster and is registered
    ROSTER = "roster"        # a person already in the roster (same e-mail) is registered
    DUPLICATE = "duplicate"  # already registered, or an earlier row: not added
    SKIPPED = "skipped"      # cannot be imported

    @property
    def imported(self) -> bool:
        return self in (Outcome.NEW, Outcome.ROSTER)


# Attendee and RowVerdict are made once per row (100,000 of each for a long list). Not
# ``frozen``: a frozen dataclass's __init__ sets each field through object.__setattr__,
# ten times slower than a plain one (1.2 s against 0.1 s for 100,000 attendees,
# measured); nothing changes them once made, and they stay hashable (``unsafe_hash``).
@dataclass(slots=True, unsafe_hash=True)
class Attendee:
    """A row's values, ready for the roster (not to be changed once made)."""

    family_name: str
    given_name: str
    patronymic: str
    honorific: str
    organisation: str
    organisation_lang: str
    position: str
    position_lang: str
    email: str
    phone: str
    country: str | None
    gender: Gender
    sector: Sector | None
    category: Category
    status: Status
    dietary: str
    notes: str
    interpretation: str = ""              # a language code, "" for none
    accessibility: str = ""
    photo_consent: bool | None = None     # None: not asked

    @property
    def name(self) -> str:
        """"Surname Given Patronymic", as lists sorted by surname show it."""
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)


@dataclass(slots=True, unsafe_hash=True)
class RowVerdict:
    """What happens to one row of the file (not to be changed once made; see Attendee).

    While the file is read, an imported row's verdict carries its ``attendee`` (and where
    it goes: ``person_id``, ``organisation_id``, ``organisation_key``); the verdicts a plan
    keeps (``VerdictLog``) carry only what is shown: the sentences and ``texts``."""

    index: int                   # the row's index in the table (``SourceTable.iter_rows``)
    row: int                     # the row's number as in the file
    outcome: Outcome
    message: str                 # one sentence
    column: str | None = None    # the column the message is about
    warnings: tuple[str, ...] = ()
    attendee: Attendee | None = None
    person_id: int | None = None        # the roster person registered (ROSTER)
    organisation_id: int | None = None  # an existing organisation
    organisation_key: str | None = None  # a new organisation (its key in the planner's new organisations)
    adds_organisation: bool = False      # the row that adds its new organisation (the first to name it)
    cells: tuple[str, str, str] | None = None  # name, organisation, e-mail as shown (when no attendee)

    @property
    def imported(self) -> bool:
        return self.outcome.imported

    @property
    def texts(self) -> tuple[str, str, str]:
        """The row's name, organisation and e-mail as a preview shows them: the values read,
        or the raw cells of a row that was not read through."""
        a = self.attendee
        if a is not None:
            return a.name, a.organisation, a.email
        return self.cells or ("", "", "")


@dataclass(frozen=True)
class NewOrganisation:
    key: str
    name: str
    lang: str
    sector: Sector | None


_OUTCOMES = (Outcome.NEW, Outcome.ROSTER, Outcome.DUPLICATE, Outcome.SKIPPED)
_CODES = {o: i for i, o in enumerate(_OUTCOMES)}
_WARNED = 4


class VerdictLog(Sequence[RowVerdict]):
    """Every row's verdict, compactly: a byte per row (its outcome, and whether it has
    warnings) for counting and filtering, and the rest of each verdict (number, sentences,
    the name, organisation and e-mail shown) marshalled and compressed ``PAGE`` verdicts at
    a time — a few bytes a row instead of the row's values and objects. Indexing makes a
    ``RowVerdict`` again (without ``attendee``); a page read is kept for the next look."""

    PAGE = 1024

    def __init__(self) -> None:
        self._flags = bytearray()
        self._pages: list[bytes] = []
        self._open: list[tuple[Any, ...]] = []
        self._cache: tuple[int, list[tuple[Any, ...]]] = (-1, [])

    def append(self, v: RowVerdict) -> None:
        code = _CODES[v.outcome]
        self._flags.append(code | _WARNED if v.warnings else code)
        a = v.attendee
        if a is not None:  # the name's parts, joined when the verdict is read back
            self._open.append((v.index, v.row, code, v.message, v.column, v.warnings,
                               (a.family_name, a.given_name, a.patronymic), a.organisation, a.email,
                               v.adds_organisation))
        else:
            self._open.append((v.index, v.row, code, v.message, v.column, v.warnings, *(v.cells or ("", "", "")),
                               v.adds_organisation))
        if len(self._open) == self.PAGE:
            self._pages.append(zlib.compress(marshal.dumps(self._open), 1))
            self._open = []

    def __len__(self) -> int:
        return len(self._flags)

    def _page(self, n: int) -> list[tuple[Any, ...]]:
        if n == len(self._pages):
            return self._open
        cached = self._cache
        if cached[0] != n:
            cached = self._cache = (n, marshal.loads(zlib.decompress(self._pages[n])))
        return cached[1]

    @staticmethod
    def _verdict(item: tuple[Any, ...]) -> RowVerdict:
        index, row, code, message, column, warnings, name, organisation, email, adds = item
        if type(name) is tuple:
            name = " ".join(p for p in name if p)
        return RowVerdict(index, row, _OUTCOMES[code], message, column, warnings, adds_organisation=adds,
                          cells=(name, organisation, email))

    @overload
    def __getitem__(self, i: int) -> RowVerdict: ...

    @overload
    def __getitem__(self, i: slice) -> list[RowVerdict]: ...

    def __getitem__(self, i: int | slice) -> RowVerdict | list[RowVerdict]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        page, at = divmod(i, self.PAGE)
        return self._verdict(self._page(page)[at])

    def __iter__(self) -> Iterator[RowVerdict]:
        for n in range(len(self._pages) + 1):
            for item in self._page(n) if n < len(self._pages) else self._open:
                yield self._verdict(item)

    def outcome(self, i: int) -> Outcome:
        return _OUTCOMES[self._flags[i] & 3]

    def count(self, *outcomes: Outcome) -> int:
        """How many verdicts have one of ``outcomes``."""
        flags = self._flags
        return sum(flags.count(_CODES[o]) + flags.count(_CODES[o] | _WARNED) for o in set(outcomes))

    def positions(self, outcomes: Iterable[Outcome] = _OUTCOMES, warned: bool = False) -> list[int]:
        """The indexes of the verdicts with one of ``outcomes`` (and warnings, if ``warned``)."""
        codes = {_CODES[o] for o in outcomes}
        keep = {flag for flag in range(8) if flag & 3 in codes and (flag & _WARNED or not warned)}
        return [i for i, flag in enumerate(self._flags) if flag in keep]


@dataclass(frozen=True)
class ImportPlan:
    """Every row's verdict (kept compactly), and how many organisations the import adds."""

    table: SourceTable
    layout: Layout
    event_id: int
    verdicts: VerdictLog
    organisations_added: int

    def count(self, *outcomes: Outcome) -> int:
        return self.verdicts.count(*outcomes)

    @property
    def imported(self) -> int:
        return self.count(Outcome.NEW, Outcome.ROSTER)

    @property
    def duplicates(self) -> int:
        return self.count(Outcome.DUPLICATE)

    @property
    def skipped(self) -> int:
        return self.count(Outcome.SKIPPED)

    @property
    def new_people(self) -> int:
        return self.count(Outcome.NEW)

    @property
    def reused_people(self) -> int:
        return self.count(Outcome.ROSTER)

    def with_warnings(self) -> list[RowVerdict]:
        return [self.verdicts[i] for i in self.verdicts.positions(warned=True)]


# -- what the database already holds ------------------------------------------------------

@dataclass(slots=True)
class _NameEntry:
    patronymic: str
    email: str
    who: str | int   # the person registered, or the number of the earlier row of the file


NameKey = tuple[object, ...]
"""(organisation, *the folded words of surname and given name, sorted): the organisation's
id, "new:" and the key of an organisation the file adds, or None."""


@dataclass
class Existing:
    """What the checks compare against."""

    event_id: int
    registered_emails: dict[str, str] = field(default_factory=dict)   # e-mail key → who
    registered_names: dict[NameKey, list[_NameEntry]] = field(default_factory=dict)
    roster_emails: dict[str, tuple[int, str]] = field(default_factory=dict)  # key → (person id, name)
    organisations: dict[str, int] = field(default_factory=dict)        # org key → id
    organisation_names: dict[int, str] = field(default_factory=dict)
    taken_codes: set[str] = field(default_factory=set)
    similar: OrganisationNames = field(default_factory=lambda: OrganisationNames(()))  # near-twins of new names


class EventMissing(LookupError):
    """The event to import into does not exist."""


def name_tokens(family: str, given: str) -> tuple[str, ...]:
    return tuple(sorted(F.fold(f"{family} {given}").split()))


def organisation_key(name: str) -> str:
    return F.fold(name.translate(_QUOTES)).strip(" .")


def _who(given: str, family: str, patronymic: str | None, code: str | None, badge: str = "") -> str:
    """"Surname Given Patronymic", with "(badge CODE)" by the message ``badge`` when there is a code."""
    name = " ".join(p for p in (family, given, patronymic or "") if p)
    return (badge or _("{name} (badge {code})")).format(name=name, code=code) if code else name


def load_existing(session: Session, event_id: int) -> Existing:
    """The event's registrations (one query), the roster's e-mails and the organisations."""
    if session.get(Event, event_id) is None:
        raise EventMissing(_("there is no event with id {id}.").format(id=event_id))
    existing = Existing(event_id)
    # Translators: a person registered for the event, with their badge code.
    badge = _("{name} (badge {code})")
    rows = session.execute(
        select(Registration.badge_code, Person.email, Person.given_name, Person.family_name,
               Person.patronymic, Person.organisation_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event_id)
    )
    for code, email, given, family, patronymic, org_id in rows:
        existing.taken_codes.add(code)
        who = _who(given, family, patronymic, code, badge)
        if email:
            existing.registered_emails.setdefault(email_key(email), who)
        existing.registered_names.setdefault((org_id, *name_tokens(family, given)), []).append(
            _NameEntry(F.fold(patronymic or ""), email_key(email or ""), who))
    for pid, email, given, family in session.execute(
        select(Person.id, Person.email, Person.given_name, Person.family_name)
        .where(Person.email.is_not(None)).order_by(Person.id)
    ):
        key = email_key(email)
        if key:
            existing.roster_emails.setdefault(key, (pid, _who(given, family, None, None)))
    organisations = session.execute(
        select(Organisation.id, Organisation.name, Organisation.short_name).order_by(Organisation.id)
    ).all()
    existing.similar = OrganisationNames(organisations)
    for oid, names, short in organisations:
        for text in (*(names or {}).values(), *(short or {}).values()):
            key = organisation_key(text)
            if key:
                existing.organisations.setdefault(key, oid)
        first = next(iter((names or {}).values()), "") or next(iter((short or {}).values()), "")
        existing.organisation_names[oid] = first
    return existing


# -- the rules ----------------------------------------------------------------------------

def _clean_email(text: str) -> tuple[str, list[str]]:
    """The address to store and warnings about what was changed."""
    warnings = []
    if _SEVERAL.search(text):
        parts = [p.strip() for p in _SEVERAL.split(text) if p.strip()]
        if len(parts) > 1:
            # Translators: a warning of an imported row; it follows "imported, but".
            warnings.append(_("the cell holds several e-mail addresses; the first, {first}, is used "
                              "(also given: {others})").format(first=parts[0], others=", ".join(parts[1:])))
        text = parts[0] if parts else ""
    if text.lower().startswith("mailto:"):
        text = text[7:]
    squeezed = "".join(text.split())
    if squeezed != text:
        warnings.append(_("spaces were removed from the e-mail “{email}”").format(email=text))
    return squeezed, warnings


def _similar_note(name: str, existing: list[str]) -> str:
    """A warning naming the existing organisations a new one may be (a row's note)."""
    if len(existing) == 1:
        return _("an organisation with a similar name exists already, “{existing}”: "
                 "if “{name}” is the same, write its name in the file").format(
            existing=_short(existing[0]), name=_short(name))
    names = ", ".join(p_("quoted", "“{title}”").format(title=_short(n)) for n in existing)
    return _("organisations with similar names exist already, {existing}: "
             "if “{name}” is one of them, write its name in the file").format(existing=names, name=_short(name))


def _short(text: str, limit: int = 60) -> str:
    """``text``, cut to ``limit`` characters with "…" when longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _Coder:
    """Reads a row's coded and free-text values, remembering each distinct value's
    result (lists repeat the same country, gender and organisation thousands of times)."""

    def __init__(self, layout: Layout, existing: Existing) -> None:
        by_field = layout.field_columns
        self.index: dict[str, int] = {k: c.index for k, c in by_field.items()}
        self.existing = existing
        headers = {c.index: c.header for c in layout.columns}
        org = self.index.get(F.ORGANISATION)
        pos = self.index.get(F.POSITION)
        self.org_hint = F.header_language(headers[org]) if org is not None else None
        self.pos_hint = F.header_language(headers[pos]) if pos is not None else None
        self._coded: dict[tuple[str, str], tuple[Any, str | None]] = {}
        self._orgs: dict[str, tuple[str, int | None, str, object]] = {}
        self._langs: dict[str, str] = {}

    def coded(self, coded: _Coded[T], raw: str) -> tuple[T, str | None]:
        """(value, warning) of a coded field's text."""
        found = self._coded.get((coded.key, raw))
        if found is None:
            parsed = coded.parse(raw)
            value = coded.default if parsed is None else parsed
            warning = None
            if parsed is None:
                warning = _(coded.unknown).format(value=_short(raw))
            found = self._coded[(coded.key, raw)] = (value, warning)
        return found

    def value(self, coded: _Coded[T], values: Mapping[int, str], warnings: list[str]) -> T:
        """A coded field's value in a row: its default when the list has no such column or
        the cell is empty; a warning is added when the text is not understood."""
        i = self.index.get(coded.key)
        raw = values[i] if i is not None else ""
        if not raw:
            return coded.default
        value, warning = self.coded(coded, raw)
        if warning:
            warnings.append(warning)
        return value

    def organisation(self, name: str) -> tuple[str, int | None, str, object]:
        """(key, id of an existing organisation or None, language of the name, what the
        duplicate check compares: the id, or "new:" and the key)."""
        found = self._orgs.get(name)
        if found is None:
            key = organisation_key(name)
            oid = self.existing.organisations.get(key)
            found = self._orgs[name] = (key, oid, F.text_language(name, self.org_hint),
                                        oid if oid is not None else "new:" + key)
        return found

    def position_lang(self, position: str) -> str:
        lang = self._langs.get(position)
        if lang is None:
            lang = self._langs[position] = F.text_language(position, self.pos_hint)
        return lang


T = TypeVar("T")


@dataclass(frozen=True)
class _Coded(Generic[T]):
    """A coded field: how its text is read, what it is when empty or not understood, and
    the warning (a message of the catalogs) when its text is not understood."""

    key: str
    parse: Callable[[str], T | None]
    default: T
    unknown: str


# Translators: the warnings below follow "imported, but"; {value} is the cell's text.
_COUNTRY = _Coded(F.COUNTRY, F.parse_country, None,
                  N_("the country “{value}” is not one this app knows; left empty"))
_GENDER = _Coded(F.GENDER, F.parse_gender, Gender.NOT_STATED,
                 N_("the gender “{value}” is not one this app knows; left as not stated"))
_SECTOR = _Coded(F.SECTOR, F.parse_sector, None,
                 N_("the sector “{value}” is not one this app knows; left empty"))
_CATEGORY = _Coded(F.CATEGORY, F.parse_category, Category.PARTICIPANT,
                   N_("the category “{value}” is not one this app knows; left as participant"))
_STATUS = _Coded(F.STATUS, F.parse_status, Status.REGISTERED,
                 N_("the status “{value}” is not one this app knows; left as registered"))
_INTERPRETATION = _Coded(F.INTERPRETATION, F.parse_interpretation, "",
                         N_("the interpretation language “{value}” is not one this app knows; left empty"))
_PHOTO_CONSENT = _Coded(F.PHOTO_CONSENT, F.parse_consent, None,
                        N_("the photo consent “{value}” is not one this app knows; left as not asked"))
# A value too long for its field: (field, limit, the warning, the label of its line in the notes).
_FITTED = (
    (F.HONORIFIC, HONORIFIC_MAX, N_("the honorific is longer than {limit} characters; it is kept in the notes"),
     N_("Honorific")),
    (F.PHONE, PHONE_MAX, N_("the phone is longer than {limit} characters; it is kept in the notes"), N_("Phone")),
    (F.DIETARY, DIETARY_MAX, N_("the dietary needs are longer than {limit} characters; they are kept in the notes"),
     N_("Dietary needs")),
    (F.ACCESSIBILITY, ACCESSIBILITY_MAX,
     N_("the accessibility needs are longer than {limit} characters; they are kept in the notes"),
     N_("Accessibility needs")),
)


def plan_import(table: SourceTable, layout: Layout, existing: Existing) -> ImportPlan:
    """Every data row's verdict (see the module docstring), nothing written."""
    log = VerdictLog()
    new_orgs: dict[str, NewOrganisation] = {}
    for verdict in decide(table, layout, existing, new_orgs):
        log.append(verdict)
    return ImportPlan(table, layout, existing.event_id, log, len(new_orgs))


def decide(table: SourceTable, layout: Layout, existing: Existing,
           new_orgs: dict[str, NewOrganisation]) -> Iterator[RowVerdict]:
    """Each data row's verdict in file order, as the rows are read (see the module
    docstring). The new organisations are put in ``new_orgs`` by key as rows name them
    (a later row may give one its sector: the entry is replaced)."""
    coder = _Coder(layout, existing)
    idx = coder.index
    get = idx.get
    i_full = get(F.FULL_NAME)
    i_full_gf = get(F.FULL_NAME_GIVEN_FIRST)
    i_family, i_given, i_patr = get(F.FAMILY_NAME), get(F.GIVEN_NAME), get(F.PATRONYMIC)
    i_email, i_org, i_pos, i_notes = get(F.EMAIL), get(F.ORGANISATION), get(F.POSITION), get(F.NOTES)
    fitted_columns = [(k, idx[k], limit, _(warning).format(limit=limit), _(label))
                      for k, limit, warning, label in _FITTED if k in idx]
    name_columns = [i for i in (i_full, i_full_gf, i_family, i_given) if i is not None]
    titles = {c.index: c.title for c in layout.columns}
    name_title = titles[name_columns[0]] if name_columns else None
    # The sentences rows share, looked up once.
    names_listed = listing([p_("quoted", "“{title}”").format(title=titles[i]) for i in name_columns])
    no_name = (_("No name: {columns} is empty.") if len(name_columns) == 1
               else _("No name: {columns} are empty.")).format(columns=names_listed)
    blank = _("The row is blank.")
    repeats_header = _("The row repeats the header.")
    banner_row = _("The row is a heading across merged cells (“{text}”), not a person.")
    total_row = _("The row is a total (“{text}”), not a person.")
    one_name = _("only one name is given (“{name}”); it is taken as the surname")
    too_long = {
        "family": _("The surname is longer than {limit} characters (“{value}”)."),
        "given": _("The given name is longer than {limit} characters (“{value}”)."),
        "patronymic": _("The patronymic is longer than {limit} characters (“{value}”)."),
    }
    bad_email = _("The e-mail “{email}” is not a valid address.")
    registered_email = _("Already registered for this event with the same e-mail: {who}.")
    same_email = _("The same e-mail as row {row} ({email}).")
    registered_name = _("Already registered for this event with the same name and organisation: {who}.")
    same_name = _("The same name and organisation as row {row}.")
    in_roster = _("Already in the roster as {name} (same e-mail): will be registered.")
    new_person = _("New person: will join the roster and be registered.")
    new_with_organisation = _("New person: will join the roster and be registered; "
                              "the organisation “{organisation}” is new and will be added.")
    sector_alone = _("a sector is given without an organisation; it is not kept")
    headers = {c.index: F.fold(c.header) for c in layout.columns if c.field and c.header}
    mapped = sorted(idx.values())

    file_emails: dict[str, int] = {}   # e-mail key → the row's number
    # name key → the earlier row of that name (a list when several: namesakes)
    file_names: dict[NameKey, _NameEntry | list[_NameEntry]] = {}
    registered_emails = existing.registered_emails
    registered_names = existing.registered_names
    roster_emails = existing.roster_emails
    SKIPPED, DUPLICATE = Outcome.SKIPPED, Outcome.DUPLICATE
    shown_names = [i for i in (i_full, i_full_gf, i_family, i_given, i_patr) if i is not None]

    def cells(values: dict[int, str]) -> tuple[str, str, str]:
        """What a preview shows of a row not read through: its own cells."""
        return (" ".join(t for t in (values[i] for i in shown_names) if t),
                values[i_org] if i_org is not None else "", values[i_email] if i_email is not None else "")

    # Blank rows wait here until a row with values follows: blank rows at the end of the
    # file get no verdict.
    blank_indexes, blank_numbers = array("q"), array("q")
    for index, number, row, banner in table.iter_rows(layout.data_start):
        width = len(row)
        values: dict[int, str] = {}
        for i in mapped:
            cell = row[i] if i < width else ""
            values[i] = cell.strip(TRIM) if type(cell) is str else cell_text(cell)
        if not any(values.values()):
            blank_indexes.append(index)
            blank_numbers.append(number)
            continue
        if blank_indexes:
            for blank_index, blank_number in zip(blank_indexes, blank_numbers):
                yield RowVerdict(blank_index, blank_number, SKIPPED, blank, cells=("", "", ""))
            del blank_indexes[:], blank_numbers[:]
        if banner is not None:
            yield RowVerdict(index, number, SKIPPED, banner_row.format(text=_short(banner)), cells=cells(values))
            continue
        if headers and _repeats_header(values, headers):
            yield RowVerdict(index, number, SKIPPED, repeats_header, cells=cells(values))
            continue

        warnings: list[str] = []
        family = values[i_family] if i_family is not None else ""
        given = values[i_given] if i_given is not None else ""
        patronymic = values[i_patr] if i_patr is not None else ""
        if not family and not given:
            whole = values[i_full] if i_full is not None else ""
            whole_gf = values[i_full_gf] if i_full_gf is not None else ""
            if whole or whole_gf:
                parts = split_full_name(whole or whole_gf, given_first=not whole)
                family, given = parts.family, parts.given
                patronymic = patronymic or parts.patronymic
                if not given and not parts.patronymic and len((whole or whole_gf).split()) == 1:
                    warnings.append(one_name.format(name=_short(family)))
        if not family and not given:
            yield RowVerdict(index, number, SKIPPED, no_name, column=name_title, cells=cells(values))
            continue
        if _TOTALS.match(family) or _TOTALS.match(given):
            shown = " ".join(values[i] for i in name_columns if values[i])
            yield RowVerdict(index, number, SKIPPED, total_row.format(text=_short(shown)), column=name_title,
                             cells=cells(values))
            continue
        if len(family) > NAME_MAX or len(given) > NAME_MAX or len(patronymic) > NAME_MAX:
            what, value = next((w, v) for w, v in (("family", family), ("given", given),
                                                   ("patronymic", patronymic)) if len(v) > NAME_MAX)
            yield RowVerdict(index, number, SKIPPED, too_long[what].format(limit=NAME_MAX, value=_short(value, 30)),
                             column=name_title, cells=cells(values))
            continue

        email = ""
        if i_email is not None and values[i_email]:
            raw_email = values[i_email]
            email, email_warnings = _clean_email(raw_email)
            if not is_valid_email(email):
                yield RowVerdict(index, number, SKIPPED, bad_email.format(email=_short(raw_email)),
                                 column=titles[i_email], cells=cells(values))
                continue
            warnings.extend(email_warnings)

        organisation = values[i_org] if i_org is not None else ""
        if organisation:
            org_key, org_id, org_lang, org_ref = coder.organisation(organisation)
        else:
            org_key, org_id, org_lang, org_ref = "", None, "en", None

        # Duplicates: the event's registrations first, then earlier rows of the file.
        ekey = email_key(email)
        # Name words and patronymics repeat: each is kept once (interned).
        name_key = (org_ref, *sorted(map(intern, F.fold(f"{family} {given}").split())))
        pkey = intern(F.fold(patronymic)) if patronymic else ""
        duplicate: tuple[str, int | None] | None = None
        if ekey and ekey in registered_emails:
            duplicate = (registered_email.format(who=registered_emails[ekey]), i_email)
        elif ekey and ekey in file_emails:
            duplicate = (same_email.format(row=file_emails[ekey], email=email), i_email)
        else:
            match = _name_match(registered_names.get(name_key), pkey, ekey)
            if match is not None:
                duplicate = (registered_name.format(who=match.who), name_columns[0])
            else:
                match = _name_match(file_names.get(name_key), pkey, ekey)
                if match is not None:
                    duplicate = (same_name.format(row=match.who), name_columns[0])
        if duplicate is not None:
            yield RowVerdict(index, number, DUPLICATE, duplicate[0],
                             column=titles.get(duplicate[1]) if duplicate[1] is not None else None,
                             cells=cells(values))
            continue

        # The row is imported: read the rest of its values.
        country = coder.value(_COUNTRY, values, warnings)
        gender = coder.value(_GENDER, values, warnings)
        sector = coder.value(_SECTOR, values, warnings)
        category = coder.value(_CATEGORY, values, warnings)
        status = coder.value(_STATUS, values, warnings)
        interpretation = coder.value(_INTERPRETATION, values, warnings)
        photo_consent = coder.value(_PHOTO_CONSENT, values, warnings)
        notes = values[i_notes] if i_notes is not None else ""
        fitted: dict[str, str] = {}
        for key, i, limit, warning, label in fitted_columns:
            raw = values[i]
            if len(raw) > limit:
                warnings.append(warning)
                notes = f"{notes}\n{label}: {raw}" if notes else f"{label}: {raw}"
                raw = ""
            fitted[key] = raw
        position = values[i_pos] if i_pos is not None else ""
        attendee = Attendee(
            family_name=family, given_name=given, patronymic=patronymic,
            honorific=fitted.get(F.HONORIFIC, ""),
            organisation=organisation, organisation_lang=org_lang,
            position=position, position_lang=coder.position_lang(position) if position else "en",
            email=email, phone=fitted.get(F.PHONE, ""),
            country=country, gender=gender, sector=sector, category=category, status=status,
            dietary=fitted.get(F.DIETARY, ""), notes=notes,
            interpretation=interpretation,
            accessibility=fitted.get(F.ACCESSIBILITY, ""),
            photo_consent=photo_consent,
        )
        if ekey:
            file_emails[ekey] = number
        entry = _NameEntry(pkey, ekey, number)
        earlier = file_names.setdefault(name_key, entry)
        if earlier is not entry:
            if isinstance(earlier, list):
                earlier.append(entry)
            else:
                file_names[name_key] = [earlier, entry]

        roster = roster_emails.get(ekey) if ekey else None
        if roster is not None:
            # The roster's person keeps their own details, organisation included.
            yield RowVerdict(index, number, Outcome.ROSTER, in_roster.format(name=roster[1]),
                             warnings=tuple(warnings), attendee=attendee, person_id=roster[0])
            continue
        new_key = None
        message = new_person
        adds = False
        if organisation and org_id is None:
            new_key = org_key
            known = new_orgs.get(org_key)
            if known is None:
                new_orgs[org_key] = NewOrganisation(org_key, organisation, org_lang, sector)
                message = new_with_organisation.format(organisation=_short(organisation))
                adds = True
                twins = existing.similar.similar(organisation, limit=3)
                if twins:
                    warnings.append(_similar_note(organisation, [t.name for t in twins]))
            elif known.sector is None and sector is not None:
                new_orgs[org_key] = NewOrganisation(known.key, known.name, known.lang, sector)
        elif sector is not None and not organisation:
            warnings.append(sector_alone)
        yield RowVerdict(index, number, Outcome.NEW, message, warnings=tuple(warnings), attendee=attendee,
                         organisation_id=org_id, organisation_key=new_key, adds_organisation=adds)


def _repeats_header(values: dict[int, str], headers: dict[int, str]) -> bool:
    """Whether a row holds the header texts again (lists pasted one under another)."""
    same = 0
    for i, header in headers.items():
        value = values.get(i, "")
        if not value:
            continue
        if abs(len(value) - len(header)) > 4 or F.fold(value) != header:
            return False
        same += 1
    return same >= 2


def _name_match(entries: _NameEntry | list[_NameEntry] | None, patronymic: str, email: str) -> _NameEntry | None:
    if not entries:
        return None
    for entry in (entries,) if isinstance(entries, _NameEntry) else entries:
        if entry.email and email and entry.email != email:
            continue  # namesakes with different e-mails are different people
        if not entry.patronymic or not patronymic or entry.patronymic == patronymic:
            return entry
    return None
