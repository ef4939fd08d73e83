"""Organisations: the list (with sector, country and how many people work there), the
edits, and finding one by a name typed in any language and any case.

Names are one organisation's when ``folding.name_key`` makes them equal — in any of its
languages, full or short: "ВЕРХОВНЫЙ СУД" finds "Верховный суд", "жоғарғы сот" finds
"Жоғарғы Сот", "supreme court" finds "Supreme Court". Two organisations may not share a
name (``validate_organisation_names``), so a name always finds one organisation.

Deleting (the rule): an organisation that an event names as organiser, co-organiser,
funder or partner is not deleted — the event's partners are changed first, on the event.
An organisation people work for is deleted only when the caller says to detach them
(``detach_people=True``, which the window asks the user about): they stay in the roster
without an organisation.

Every edit runs inside the caller's write transaction and returns a
``desktop.core.changes.Change`` about the organisation; ``desktop.core.changes.revert``
takes it back — a deleted organisation comes back with the same uuid, and the people it
had work there again.
"""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from db.models import Event, EventOrganisation, Organisation, Person, Sector
from db.types import LANGUAGES
from desktop.core import formats
from desktop.core.changes import Change, Recorder, RowRef, id_for_uuid
from desktop.core.checks import (
    InvalidData,
    Problem,
    Report,
    Severity,
    collect,
    country_problem,
    image_problem,
    language_label,
    normalise_country,
)
from desktop.core.collation import key as collation_key
from desktop.core.folding import guess_language, name_key, search_fold
from desktop.core.i18n import full_name, text
from desktop.core.language import N_, _, n_, p_
from desktop.core.people import KEEP, Keep, set_fields

NAME_MAX = 300
SHORT_NAME_MAX = 60

# Translators: {language} is a language's name ("Russian"); {limit} a number.
TOO_LONG = {"name": N_("The name ({language}) is longer than {limit} characters."),
            "short_name": N_("The short name ({language}) is longer than {limit} characters.")}
NO_NAME_YET = {"en": N_("No English name yet."), "ru": N_("No Russian name yet."), "kk": N_("No Kazakh name yet.")}


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    short_name: str
    sector: Sector
    country: str
    people: int
    events: int               # events naming it as a partner
    names: dict[str, str]     # the name in every language it has
    missing: tuple[str, ...]  # languages without a name
    search_text: str = ""


def organisation_rows(session: OrmSession, lang: str = "en") -> list[OrganisationRow]:
    """Every organisation by name, with its number of people and of events it partners."""
    people = (
        select(Person.organisation_id, func.count().label("n"))
        .where(Person.organisation_id.is_not(None))
        .group_by(Person.organisation_id)
        .subquery()
    )
    events = (
        select(EventOrganisation.organisation_id, func.count(func.distinct(EventOrganisation.event_id)).label("n"))
        .group_by(EventOrganisation.organisation_id)
        .subquery()
    )
    rows = []
    for oid, names, short, sector, country, n_people, n_events in session.execute(
        select(
            Organisation.id, Organisation.name, Organisation.short_name, Organisation.sector,
            Organisation.country, func.coalesce(people.c.n, 0), func.coalesce(events.c.n, 0),
        )
        .outerjoin(people, people.c.organisation_id == Organisation.id)
        .outerjoin(events, events.c.organisation_id == Organisation.id)
    ):
        names = dict(names or {})
        short = dict(short or {})
        rows.append(OrganisationRow(
            oid, text(names, lang) or text(short, lang), text(short, lang), sector, country or "",
            int(n_people), int(n_events), names,
            tuple(code for code in LANGUAGES if not names.get(code)),
            search_fold(" ".join((*names.values(), *short.values()))),
        ))
    rows.sort(key=lambda r: (collation_key(r.name, lang), r.id))  # by the language's alphabet
    return rows


# -- fields and validation ------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    """What the organisation editor changes. ``logo`` as ``Person.photo``: PNG or JPEG bytes,
    None for none, ``KEEP`` to leave the stored one."""

    name: Mapping[str, str] = field(default_factory=dict)
    short_name: Mapping[str, str] = field(default_factory=dict)
    sector: Sector = Sector.OTHER
    country: str = ""
    logo: bytes | None | Keep = KEEP

    def cleaned(self) -> OrganisationData:
        return replace(
            self,
            name={k: " ".join(v.split()) for k, v in self.name.items() if v and v.strip()},
            short_name={k: " ".join(v.split()) for k, v in self.short_name.items() if v and v.strip()},
            country=normalise_country(self.country) or "",
        )

    def display(self, lang: str = "en") -> str:
        return text(self.name, lang) or text(self.short_name, lang)


class OrganisationRule(Protocol):
    def check(self, data: OrganisationData) -> Iterable[Problem]: ...


@dataclass(frozen=True)
class OrganisationNamed:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        if not any(v.strip() for v in data.name.values()):
            yield Problem("name", _("An organisation needs a name in at least one language."))


@dataclass(frozen=True)
class NameLengths:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        for attribute, limit in (("name", NAME_MAX), ("short_name", SHORT_NAME_MAX)):
            for lang, value in getattr(data, attribute).items():
                if len(value) > limit:
                    yield Problem(f"{attribute}.{lang}", _(TOO_LONG[attribute]).format(
                        language=language_label(lang), limit=formats.number(limit)))


@dataclass(frozen=True)
class OrganisationCountry:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        message = country_problem(data.country)
        if message:
            yield Problem("country", message)


@dataclass(frozen=True)
class SectorKnown:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        if not isinstance(data.sector, Sector):
            yield Problem("sector", _("“{value}” is not a sector.").format(value=data.sector))


@dataclass(frozen=True)
class LogoImage:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        if isinstance(data.logo, bytes):
            message = image_problem(data.logo, what="logo")
            if message:
                yield Problem("logo", message)


@dataclass(frozen=True)
class NameTranslations:
    def check(self, data: OrganisationData) -> Iterable[Problem]:
        if not any(data.name.values()):
            return
        for lang in LANGUAGES:
            if not data.name.get(lang):
                yield Problem(f"name.{lang}", _(NO_NAME_YET[lang]), Severity.WARNING)


ORGANISATION_RULES: tuple[OrganisationRule, ...] = (
    OrganisationNamed(), NameLengths(), OrganisationCountry(), SectorKnown(), LogoImage(), NameTranslations(),
)


def validate_organisation(data: OrganisationData,
                          rules: Iterable[OrganisationRule] = ORGANISATION_RULES) -> Report:
    cleaned = data.cleaned()
    return collect(problem for rule in rules for problem in rule.check(cleaned))


def _name_index(session: OrmSession) -> dict[str, int]:
    """Every name and short name of every organisation, folded → its id (oldest first)."""
    index: dict[str, int] = {}
    for oid, names, short in session.execute(
        select(Organisation.id, Organisation.name, Organisation.short_name).order_by(Organisation.id)
    ):
        for value in (*(names or {}).values(), *(short or {}).values()):
            key = name_key(value)
            if key:
                index.setdefault(key, oid)
    return index


def name_clashes(session: OrmSession, data: OrganisationData, exclude_id: int | None = None) -> list[Problem]:
    """A name of ``data`` (full, any language) that another organisation already has."""
    index = _name_index(session)
    names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    problems = []
    for lang, value in data.cleaned().name.items():
        other = index.get(name_key(value))
        if other is not None and other != exclude_id:
            # Translators: {name} is the name typed; {organisation} the organisation that has it.
            problems.append(Problem(f"name.{lang}", _(
                "“{name}” is already the name of an organisation ({organisation}): pick that one instead of "
                "adding it again.").format(name=value, organisation=text(names.get(other), lang))))
    return problems


def validate_organisation_names(session: OrmSession, data: OrganisationData,
                                exclude_id: int | None = None) -> Report:
    """``validate_organisation`` plus the names other organisations have."""
    report = validate_organisation(data)
    return Report((*report.problems, *name_clashes(session, data, exclude_id)))


# -- finding ----------------------------------------------------------------------------------


def find_organisation(session: OrmSession, name: str) -> int | None:
    """The organisation called ``name`` (full or short, any language, any case), or None."""
    key = name_key(name)
    return _name_index(session).get(key) if key else None


def find_or_create_organisation(session: OrmSession, name: str, *, sector: Sector = Sector.OTHER,
                                lang: str | None = None, country: str = "") -> tuple[int, bool]:
    """The organisation called ``name``, made (in ``lang``, else the language its letters
    suggest) when there is none: (id, whether it was made)."""
    found = find_organisation(session, name)
    if found is not None:
        return found, False
    clean = " ".join(name.split())
    data = OrganisationData(name={lang or guess_language(clean): clean}, sector=sector, country=country)
    made = create_organisation(session, data).subject
    assert made is not None
    return made.id, True


# -- editing ----------------------------------------------------------------------------------


class OrganisationNotFound(LookupError):
    """No such organisation (any more)."""


def _no_organisation(organisation_id: int) -> str:
    return _("There is no organisation with id {id} (any more).").format(id=organisation_id)


class OrganisationInUse(RuntimeError):
    """An organisation that cannot be deleted as things are; the message says why."""

    def __init__(self, message: str, usage: OrganisationUsage) -> None:
        self.usage = usage
        super().__init__(message)


def _values(data: OrganisationData) -> dict[str, object]:
    values: dict[str, object] = {
        "name": dict(data.name),
        "short_name": dict(data.short_name),
        "sector": data.sector,
        "country": data.country or None,
    }
    if not isinstance(data.logo, Keep):
        values["logo"] = data.logo
        values["logo_mime"] = None
        if isinstance(data.logo, bytes):
            values["logo_mime"] = "image/png" if data.logo.startswith(b"\x89PNG") else "image/jpeg"
    return values


def _checked(session: OrmSession, data: OrganisationData, exclude_id: int | None) -> OrganisationData:
    cleaned = data.cleaned()
    report = validate_organisation_names(session, cleaned, exclude_id)
    if not report.is_valid:
        raise InvalidData(report)
    return cleaned


def load_organisation(session: OrmSession, organisation_id: int, *, with_logo: bool = True) -> OrganisationData:
    row = session.execute(
        select(Organisation.name, Organisation.short_name, Organisation.sector, Organisation.country)
        .where(Organisation.id == organisation_id)
    ).one_or_none()
    if row is None:
        raise OrganisationNotFound(_no_organisation(organisation_id))
    logo: bytes | None | Keep = KEEP
    if with_logo:
        logo = session.scalar(select(Organisation.logo).where(Organisation.id == organisation_id))
    return OrganisationData(dict(row[0] or {}), dict(row[1] or {}), row[2], row[3] or "", logo)


def create_organisation(session: OrmSession, data: OrganisationData, *,
                        uuid: uuid_mod.UUID | None = None) -> Change:
    """Add an organisation; the change is about it (``subject.id`` is its id). ``uuid``
    names it in advance (an edit that refers to it before it exists)."""
    values = _values(_checked(session, data, None))
    if uuid is not None:
        values["uuid"] = uuid
    rec = Recorder(session)
    return rec.change(rec.insert("organisation", values))


def update_organisation(session: OrmSession, organisation_id: int, data: OrganisationData,
                        base: OrganisationData | None = None) -> Change:
    """Store ``data``; the change holds the fields that changed, as they were (the logo only
    when it was changed, not left as ``KEEP``). ``base``: the organisation as the editor read
    it (others' changes since are kept; both changing a field is an ``EditConflict``)."""
    cleaned = _checked(session, data, organisation_id)
    rec = Recorder(session)
    gone = OrganisationNotFound(_no_organisation(organisation_id))
    ref = set_fields(rec, "organisation", Organisation.id == organisation_id, _values(cleaned), gone)
    rec.expect(ref, _values(base) if base is not None else None)
    return rec.change(ref)


@dataclass(frozen=True)
class OrganisationUsage:
    name: str
    people: tuple[str, ...]          # names of the people working there
    events: tuple[dict[str, str], ...]  # titles of the events naming it as a partner

    def sentence(self, lang: str = "en") -> str:
        """Why it cannot be deleted, or what deleting it does, in the interface language
        (``lang``: the language of the events' titles)."""
        if self.events:
            n = len(self.events)
            titles = [p_("quoted", "“{title}”").format(title=text(t, lang)) for t in self.events[:3]]
            if n > 3:
                titles.append(n_("{n} more", "{n} more", n - 3).format(n=formats.number(n - 3)))
            # Translators: {name} is the organisation; {events} the events' titles, listed.
            return n_("{name} cannot be deleted: {events} names it as a partner. "
                      "Remove it from the event's partners first.",
                      "{name} cannot be deleted: {events} name it as a partner. "
                      "Remove it from the events' partners first.", n).format(
                name=self.name, events=formats.listing(titles))
        if self.people:
            n = len(self.people)
            return n_("{n} person works for {name}; deleting it leaves that person without an organisation.",
                      "{n} people work for {name}; deleting it leaves them without an organisation.", n).format(
                n=formats.number(n), name=self.name)
        return _("Nobody works for {name} and no event names it.").format(name=self.name)


def organisation_usage(session: OrmSession, organisation_id: int, lang: str = "en") -> OrganisationUsage:
    row = session.execute(
        select(Organisation.name, Organisation.short_name).where(Organisation.id == organisation_id)
    ).one_or_none()
    if row is None:
        raise OrganisationNotFound(_no_organisation(organisation_id))
    people = tuple(
        full_name(g, f) for g, f in session.execute(
            select(Person.given_name, Person.family_name)
            .where(Person.organisation_id == organisation_id)
            .order_by(Person.family_name, Person.given_name)
        )
    )
    events = tuple(
        title for (title,) in session.execute(
            select(Event.title).where(
                Event.id.in_(select(EventOrganisation.event_id)
                             .where(EventOrganisation.organisation_id == organisation_id))
            ).order_by(Event.starts_on)
        )
    )
    return OrganisationUsage(text(row[0], lang) or text(row[1], lang), people, events)


def delete_organisation(session: OrmSession, organisation_id: int, *, detach_people: bool = False) -> Change:
    """Delete an organisation (the rule is in the module docstring); the change holds it
    and the people it leaves without an organisation."""
    usage = organisation_usage(session, organisation_id)
    if usage.events:
        raise OrganisationInUse(usage.sentence(), usage)
    if usage.people and not detach_people:
        raise OrganisationInUse(usage.sentence(), usage)
    subject = RowRef("organisation", organisation_id, organisation_uuid(session, organisation_id))
    session.expunge_all()  # nothing loaded may be flushed over the rows changed below
    rec = Recorder(session)
    rec.update("person", Person.organisation_id == organisation_id, {"organisation_id": None})
    rec.delete("organisation", Organisation.id == organisation_id)
    return rec.change(subject)


def organisation_id_for(session: OrmSession, value: uuid_mod.UUID) -> int:
    found = id_for_uuid(session, "organisation", value)
    if found is None:
        raise OrganisationNotFound(_("That organisation no longer exists."))
    return found


def organisation_uuid(session: OrmSession, organisation_id: int) -> uuid_mod.UUID:
    found = session.scalar(select(Organisation.uuid).where(Organisation.id == organisation_id))
    if found is None:
        raise OrganisationNotFound(_no_organisation(organisation_id))
    return found


@dataclass(frozen=True)
class OrganisationChoice:
    """An entry of the organisation picker: its id, what it shows, the keys it answers to."""

    id: int
    label: str
    sector: Sector
    keys: frozenset[str]


def organisation_choices(session: OrmSession, lang: str = "en") -> list[OrganisationChoice]:
    out = []
    for oid, names, short, sector in session.execute(
        select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.sector)
    ):
        names, short = dict(names or {}), dict(short or {})
        label = text(names, lang) or text(short, lang)
        abbreviation = text(short, lang)
        if abbreviation and abbreviation != label:
            label = f"{label} ({abbreviation})"
        keys = frozenset(name_key(v) for v in (*names.values(), *short.values()) if v)
        out.append(OrganisationChoice(oid, label, sector, keys))
    out.sort(key=lambda c: (collation_key(c.label, lang), c.id))
    return out


# -- near-twins ---------------------------------------------------------------------------------
# A walk-in or an import about to add "Министерство юстиции" next to "Министерство юстиции
# Республики Казахстан" suggests the existing one: names whose words (``folding.name_key``,
# split at anything not a letter or digit) hold the other's as consecutive whole words,
# either way. Only a name that finds no organisation (``find_organisation``) is compared,
# and the shorter side must have SIMILAR_MIN_LETTERS letters: "Суд" is in every court's name.

SIMILAR_MIN_LETTERS = 4


@dataclass(frozen=True)
class SimilarOrganisation:
    """An organisation whose name (``name``, as stored, in any language, full or short)
    holds the words of the name asked about, or whose words that name holds; ``label`` is
    the organisation as lists show it."""

    id: int
    name: str
    label: str


def _words(name: str | None) -> tuple[str, ...]:
    return tuple("".join(ch if ch.isalnum() else " " for ch in name_key(name)).split())


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs in ``longer`` as consecutive whole words."""
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


class OrganisationNames:
    """Every organisation's names, read once (an import asks about many new names)."""

    def __init__(self, rows: Iterable[tuple[int, Mapping[str, str] | None, Mapping[str, str] | None]],
                 lang: str = "en") -> None:
        self._names: list[tuple[int, str, tuple[str, ...]]] = []
        self._keys: set[str] = set()
        self.labels: dict[int, str] = {}
        """Each organisation's name as lists show it (in ``lang``, else another language)."""
        for oid, names, short in rows:
            names, short = dict(names or {}), dict(short or {})
            self.labels[oid] = text(names, lang) or text(short, lang)
            for value in (*names.values(), *short.values()):
                words = _words(value)
                if words:
                    self._names.append((oid, value, words))
                    self._keys.add(name_key(value))

    @classmethod
    def read(cls, session: OrmSession, lang: str = "en") -> OrganisationNames:
        return cls(session.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name).order_by(Organisation.id)
        ), lang)

    def similar(self, name: str, limit: int = 5) -> list[SimilarOrganisation]:
        """The organisations ``name`` may mean (see above), the closest in length first;
        none when an organisation has this very name."""
        typed = _words(name)
        if not typed or name_key(name) in self._keys:
            return []
        best: dict[int, tuple[int, str]] = {}
        for oid, value, words in self._names:
            if _holds(words, typed):
                shorter = typed
            elif _holds(typed, words):
                shorter = words
            else:
                continue
            if sum(len(word) for word in shorter) < SIMILAR_MIN_LETTERS:
                continue
            distance = abs(len(words) - len(typed))
            if oid not in best or distance < best[oid][0]:
                best[oid] = (distance, value)
        ordered = sorted(best.items(), key=lambda kv: (kv[1][0], self.labels[kv[0]].casefold(), kv[0]))
        return [SimilarOrganisation(oid, value, self.labels[oid]) for oid, (_distance, value) in ordered[:limit]]


def similar_organisations(session: OrmSession, name: str, lang: str = "en", *,
                          limit: int = 5) -> list[SimilarOrganisation]:
    """The existing organisations a new organisation called ``name`` may be a twin of."""
    return OrganisationNames.read(session, lang).similar(name, limit)
