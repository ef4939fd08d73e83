"""The roster of people, shared by all events: rows for lists, and the edits.

Reading:

* ``roster`` — everyone, by surname, as plain ``PersonRow``s (one query, no ORM objects),
  each with a folded ``search_text`` so the window filters tens of thousands in milliseconds;
* ``speakers`` — who speaks, moderates or chairs in one event, and where and when;
* ``load_person`` — one person's fields (``PersonData``) for the editor.

Editing: each edit runs inside the caller's write transaction and returns a
``desktop.core.changes.Change`` about the person (its ``subject``);
``desktop.core.changes.revert`` takes it back with the very same rows (same uuids):

* ``create_person`` adds someone to the roster;
* ``update_person`` stores the fields (the change holds only the fields that changed);
* ``deletion_impact`` tells what a deletion takes with it — roles (where, when), registrations,
  check-ins — so the window can ask first; ``delete_person`` removes the person with their
  roles, registrations and those registrations' check-ins (all of it in the change). Put
  back, what went meanwhile takes its part with it, as it would have had the person been
  there: a role in a session or item since deleted does not come back, nor a registration
  for an event since deleted (with its check-ins); an organisation since deleted leaves the
  person without one.

A person an edit added (or an undo put back) is taken out again by its undo (or redo) only
while they have no roles or registrations of their own: ``_check_revert``, this module's
guard of the person table (``desktop.core.changes.guard``), refuses it in words.

Validation is plain data (``desktop.core.checks``): ``validate_person`` gives a ``Report``;
the edits refuse invalid data with ``InvalidData``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid as uuid_mod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from sqlalchemy import ColumnElement, String, exists, func, select, type_coerce
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from db.models import (
    AgendaItem,
    AgendaSession,
    CheckIn,
    Event,
    Gender,
    Organisation,
    Person,
    Registration,
    Role,
    RoleKind,
    Room,
    Sector,
    Status,
)
from db.sort_keys import key_column, sort_keys
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.changes import CHUNK, Change, Recorder, RowRef, guard, id_for_uuid, take_images
from desktop.core.checks import (
    InvalidData,
    Problem,
    Report,
    Severity,
    collect,
    country_problem,
    email_problem,
    image_problem,
    language_label,
    normalise_country,
    phone_problem,
)
from desktop.core.collation import name_key, store_sort_keys
from desktop.core.folding import search_fold
from desktop.core.i18n import full_name, listed_name, text
from desktop.core.language import N_, NP_, _, n_, p_

# -- rows for lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    sort_key: bytes  # the place in a list by surname, in the list's language (desktop.core.collation)
    position: str
    organisation: str
    sector: Sector | None
    country: str
    email: str
    gender: Gender
    roles: str  # e.g. "moderator, speaker" in the chosen event
    organisation_id: int | None = None
    phone: str = ""
    events: int = 0          # registrations in any event
    search_text: str = ""    # names, e-mail, position, organisation: folded for search


_ROLE_INDEX: dict[RoleKind, int] = {kind: i for i, kind in enumerate(RoleKind)}
JSON_TEXT = String()
"""Per-language texts fetched as their stored JSON text (``_local`` reads them): for tens of
thousands of rows the JSON type's own processing costs more than the query."""


def _local(value: str | dict[str, str] | None) -> dict[str, str]:
    """A per-language text from a raw column value: JSON text (SQLite) or a mapping the
    driver has decoded already (PostgreSQL's JSONB)."""
    if isinstance(value, dict):
        return value
    if not value or value in ("{}", "null"):
        return {}
    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else {}


def roster(session: OrmSession, event_id: int | None = None, lang: str = "en",
           *, on_stage_only: bool = False) -> list[PersonRow]:
    """Everyone in the roster, by surname; with ``event_id``, their roles in that event.

    ``on_stage_only`` keeps only the people with a role (the speakers' view).
    """
    roles: dict[int, list[RoleKind]] = {}
    if event_id is not None:
        role_rows = session.execute(
            select(Role.person_id, Role.kind)
            .outerjoin(AgendaSession, AgendaSession.id == Role.session_id)
            .outerjoin(AgendaItem, AgendaItem.id == Role.item_id)
            .where((AgendaSession.event_id == event_id) | (AgendaItem.event_id == event_id))
        )
        for pid, kind in role_rows:
            kinds = roles.setdefault(pid, [])
            if kind not in kinds:
                kinds.append(kind)
    events = (
        select(Registration.person_id, func.count().label("n"))
        .group_by(Registration.person_id)
        .subquery()
    )
    # Organisations once (a few hundred), not once per person: their names are long texts in
    # three languages, and decoding and folding them per row would cost most of the time.
    organisations: dict[int, tuple[str, Sector, str]] = {}
    for oid, org_name, org_short, org_sector in session.execute(
        select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.sector)
    ):
        folded = search_fold(" ".join((*(org_name or {}).values(), *(org_short or {}).values())))
        organisations[oid] = (text(org_name, lang) or text(org_short, lang), org_sector, folded)
    # By surname in the language's alphabet, sorted by the database on the kept sort keys
    # (desktop.core.collation); the few keys not made yet are made here, in Python.
    keys = sort_keys.alias("sort_key")
    key_of = keys.c[key_column(lang)]
    stmt = select(
        Person.id, Person.given_name, Person.family_name, Person.patronymic,
        type_coerce(Person.display_name, JSON_TEXT), type_coerce(Person.position, JSON_TEXT),
        Person.country, Person.email, Person.gender, Person.organisation_id, Person.phone,
        func.coalesce(events.c.n, 0), key_of,
    ).outerjoin(events, events.c.person_id == Person.id).outerjoin(keys, keys.c.person_id == Person.id)
    stmt = stmt.order_by(key_of.asc().nulls_last(), Person.family_name, Person.given_name, Person.id)
    if on_stage_only:
        stmt = stmt.where(Person.id.in_(list(roles)))
    rows = []
    no_organisation: tuple[str, Sector | None, str] = ("", None, "")
    missing_key = False
    for (pid, given, family, patr, display, position, country, email, gender, org_id, phone,
         n_events, sort_key) in session.execute(stmt):
        held = roles.get(pid)
        order = sorted(held, key=_ROLE_INDEX.__getitem__) if held else []
        display_name, position_text = _local(display), _local(position)
        org, sector, org_folded = organisations.get(org_id, no_organisation) if org_id is not None \
            else no_organisation
        haystack = search_fold(" ".join((
            given or "", family or "", patr or "", *display_name.values(), email or "",
            *position_text.values(),
        )))
        if sort_key is None:
            missing_key = True
            sort_key = name_key(given, family, patr, display_name, lang)
        rows.append(PersonRow(
            pid,
            listed_name(given, family, patr, display_name, lang),
            bytes(sort_key),
            text(position_text, lang),
            org,
            sector,
            country or "",
            email or "",
            gender,
            ", ".join(k.value for k in order),
            org_id,
            phone or "",
            int(n_events),
            f"{haystack} {org_folded}",
        ))
    if missing_key:
        rows.sort(key=lambda r: (r.sort_key, r.id))
    return rows


@dataclass(frozen=True)
class SpeakerRow:
    """One part someone plays in the event: who, in which role, where and when."""

    role_id: int
    person_id: int
    name: str
    sort_key: bytes  # as PersonRow's
    organisation: str
    role: RoleKind
    where: str            # the session's or the item's title
    within: str           # the session an item belongs to ("" for a session or a top-level item)
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str
    position: int         # order within the session or item

    def times(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def place(self) -> str:
        """"Session › Item", or the one title there is."""
        return f"{self.within} › {self.where}" if self.within else self.where


def speakers(session: OrmSession, event_id: int, lang: str = "en") -> list[SpeakerRow]:
    """Every role in the event's programme — moderators of sessions, speakers and panelists
    of items — in the order of the programme (time, then sessions before their items)."""
    item_session = aliased(AgendaSession)
    session_room = aliased(Room)
    item_room = aliased(Room)
    parent_room = aliased(Room)
    stmt = (
        select(
            Role.id, Role.person_id, Role.kind, Role.position,
            Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
            Organisation.name,
            AgendaSession.title, AgendaSession.starts_at, AgendaSession.ends_at, session_room.name,
            AgendaItem.title, AgendaItem.starts_at, AgendaItem.ends_at, item_room.name,
            item_session.title, parent_room.name,
        )
        .join(Person, Person.id == Role.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(AgendaSession, AgendaSession.id == Role.session_id)
        .outerjoin(session_room, session_room.id == AgendaSession.room_id)
        .outerjoin(AgendaItem, AgendaItem.id == Role.item_id)
        .outerjoin(item_room, item_room.id == AgendaItem.room_id)
        .outerjoin(item_session, item_session.id == AgendaItem.session_id)
        .outerjoin(parent_room, parent_room.id == item_session.room_id)
        .where((AgendaSession.event_id == event_id) | (AgendaItem.event_id == event_id))
    )
    rows: list[tuple[tuple[object, ...], SpeakerRow]] = []
    for (rid, pid, kind, pos, given, family, patr, display, org,
         s_title, s_start, s_end, s_room, i_title, i_start, i_end, i_room, parent_title, parent_room_name) \
            in session.execute(stmt):
        if s_start is not None:  # a session's moderator or chair
            where, within, start, end, room = text(s_title, lang), "", s_start, s_end, text(s_room, lang)
            depth = 0
        else:
            where, start, end = text(i_title, lang), i_start, i_end
            within = text(parent_title, lang) if parent_title is not None else ""
            room = text(i_room, lang) or text(parent_room_name, lang)
            depth = 1
        row = SpeakerRow(
            rid, pid, listed_name(given, family, patr, display, lang),
            name_key(given, family, patr, display, lang), text(org, lang), kind, where, within,
            start, end, room, pos,
        )
        rows.append(((start, depth, end, where, pos, rid), row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


# -- a person's fields ----------------------------------------------------------------------


class Keep(enum.Enum):
    """Leave a stored value as it is (used for photos, which are large and rarely change)."""

    KEEP = "keep"


KEEP = Keep.KEEP

NAME_MAX = 120
HONORIFIC_MAX = 40
DISPLAY_NAME_MAX = 200
POSITION_MAX = 300
BIO_MAX = 20_000

# The fields of a person, in the order the editor and the merge dialog show them (messages
# of the catalogs: ``field_label`` says one in the interface language).
FIELD_LABELS: dict[str, str] = {
    "honorific": NP_("person field", "Honorific"),
    "given_name": NP_("person field", "Given name"),
    "family_name": NP_("person field", "Family name"),
    "patronymic": NP_("person field", "Patronymic"),
    "display_name": NP_("person field", "Name as printed"),
    "position": NP_("person field", "Position"),
    "organisation_id": NP_("person field", "Organisation"),
    "country": NP_("person field", "Country"),
    "email": NP_("person field", "E-mail"),
    "phone": NP_("person field", "Phone"),
    "gender": NP_("person field", "Gender"),
    "bio": NP_("person field", "Biography"),
    "photo": NP_("person field", "Photo"),
}
LOCAL_FIELDS: tuple[str, ...] = ("display_name", "position", "bio")


def field_label(name: str) -> str:
    """The name of a person's field ("Given name"), in the interface language."""
    return p_("person field", FIELD_LABELS[name])


# A field too long: one sentence per field (for the per-language texts, {language} names the
# language: "The position (Russian) is longer than 300 characters.").
TOO_LONG: dict[str, str] = {
    "given_name": N_("The given name is longer than {limit} characters."),
    "family_name": N_("The family name is longer than {limit} characters."),
    "patronymic": N_("The patronymic is longer than {limit} characters."),
    "honorific": N_("The honorific is longer than {limit} characters."),
    # Translators: {language} is a language's name ("Russian"); {limit} a number.
    "display_name": N_("The name as printed ({language}) is longer than {limit} characters."),
    "position": N_("The position ({language}) is longer than {limit} characters."),
    "bio": N_("The biography ({language}) is longer than {limit} characters."),
}
# A text given in some languages but not in this one (a warning), by field and language.
NOT_YET: dict[tuple[str, str], str] = {
    ("position", "en"): N_("No English position yet: another language is shown in its place."),
    ("position", "ru"): N_("No Russian position yet: another language is shown in its place."),
    ("position", "kk"): N_("No Kazakh position yet: another language is shown in its place."),
    ("bio", "en"): N_("No English biography yet: another language is shown in its place."),
    ("bio", "ru"): N_("No Russian biography yet: another language is shown in its place."),
    ("bio", "kk"): N_("No Kazakh biography yet: another language is shown in its place."),
}


def _clean_texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {lang: value.strip() for lang, value in (texts or {}).items() if value and value.strip()}


@dataclass(frozen=True)
class PersonData:
    """Everything about a person that the editor changes. Per-language texts are
    ``{language: text}``; ``photo`` is PNG or JPEG bytes, None for none, ``KEEP`` to leave
    the stored one alone."""

    given_name: str = ""
    family_name: str = ""
    patronymic: str = ""
    honorific: str = ""
    display_name: Mapping[str, str] = field(default_factory=dict)
    position: Mapping[str, str] = field(default_factory=dict)
    bio: Mapping[str, str] = field(default_factory=dict)
    organisation_id: int | None = None
    country: str = ""
    email: str = ""
    phone: str = ""
    gender: Gender = Gender.NOT_STATED
    photo: bytes | None | Keep = KEEP

    def cleaned(self) -> PersonData:
        """Spaces trimmed, empty translations dropped, the country code in capitals."""
        return replace(
            self,
            given_name=self.given_name.strip(),
            family_name=self.family_name.strip(),
            patronymic=self.patronymic.strip(),
            honorific=self.honorific.strip(),
            display_name=_clean_texts(self.display_name),
            position=_clean_texts(self.position),
            bio={lang: v.strip() for lang, v in (self.bio or {}).items() if v and v.strip()},
            country=normalise_country(self.country) or "",
            email=self.email.strip(),
            phone=" ".join(self.phone.split()),
        )

    def name(self, lang: str = "en") -> str:
        return full_name(self.given_name, self.family_name, None, self.display_name, lang) or _("(no name)")


# -- validation: rules as small classes -----------------------------------------------------


class PersonRule(Protocol):
    def check(self, data: PersonData) -> Iterable[Problem]: ...


@dataclass(frozen=True)
class NameRequired:
    def check(self, data: PersonData) -> Iterable[Problem]:
        if not data.given_name.strip() and not data.family_name.strip():
            yield Problem("family_name", _("A person needs a name: fill in the given name or the family name."))


@dataclass(frozen=True)
class MaxLength:
    attribute: str
    limit: int

    def check(self, data: PersonData) -> Iterable[Problem]:
        if len(getattr(data, self.attribute) or "") > self.limit:
            yield Problem(self.attribute, _(TOO_LONG[self.attribute]).format(limit=formats.number(self.limit)))


@dataclass(frozen=True)
class LocalMaxLength:
    attribute: str
    limit: int

    def check(self, data: PersonData) -> Iterable[Problem]:
        for lang, value in (getattr(data, self.attribute) or {}).items():
            if len(value or "") > self.limit:
                yield Problem(f"{self.attribute}.{lang}", _(TOO_LONG[self.attribute]).format(
                    language=language_label(lang), limit=formats.number(self.limit)))


@dataclass(frozen=True)
class EmailSyntax:
    def check(self, data: PersonData) -> Iterable[Problem]:
        message = email_problem(data.email)
        if message:
            yield Problem("email", message)


@dataclass(frozen=True)
class CountryCode:
    def check(self, data: PersonData) -> Iterable[Problem]:
        message = country_problem(data.country)
        if message:
            yield Problem("country", message)


@dataclass(frozen=True)
class PhoneNumber:
    def check(self, data: PersonData) -> Iterable[Problem]:
        message = phone_problem(data.phone)
        if message:
            yield Problem("phone", message)


@dataclass(frozen=True)
class PhotoImage:
    def check(self, data: PersonData) -> Iterable[Problem]:
        if isinstance(data.photo, bytes):
            message = image_problem(data.photo)
            if message:
                yield Problem("photo", message)


@dataclass(frozen=True)
class GenderKnown:
    def check(self, data: PersonData) -> Iterable[Problem]:
        if not isinstance(data.gender, Gender):
            # Translators: {value} is what was given; {genders} the words of the list ("Female, Male …").
            yield Problem("gender", _("“{value}” is not one of {genders}.").format(
                value=data.gender, genders=formats.listing(vocabulary.gender(g) for g in Gender)))


@dataclass(frozen=True)
class MissingTranslations:
    """A warning: a per-language text (position, biography: ``NOT_YET``) given in some
    languages but not in all of them."""

    attribute: str
    languages: tuple[str, ...] = LANGUAGES

    def check(self, data: PersonData) -> Iterable[Problem]:
        texts = getattr(data, self.attribute) or {}
        if not any((texts.get(lang) or "").strip() for lang in self.languages):
            return
        for lang in self.languages:
            if not (texts.get(lang) or "").strip():
                yield Problem(f"{self.attribute}.{lang}", _(NOT_YET[self.attribute, lang]), Severity.WARNING)


PERSON_RULES: tuple[PersonRule, ...] = (
    NameRequired(),
    MaxLength("given_name", NAME_MAX),
    MaxLength("family_name", NAME_MAX),
    MaxLength("patronymic", NAME_MAX),
    MaxLength("honorific", HONORIFIC_MAX),
    LocalMaxLength("display_name", DISPLAY_NAME_MAX),
    LocalMaxLength("position", POSITION_MAX),
    LocalMaxLength("bio", BIO_MAX),
    EmailSyntax(),
    CountryCode(),
    PhoneNumber(),
    PhotoImage(),
    GenderKnown(),
    MissingTranslations("position"),
    MissingTranslations("bio"),
)


def validate_person(data: PersonData, rules: Iterable[PersonRule] = PERSON_RULES) -> Report:
    """The problems of ``data`` (after ``cleaned()``), errors and warnings."""
    cleaned = data.cleaned()
    return collect(problem for rule in rules for problem in rule.check(cleaned))


def same_email(session: OrmSession, email: str, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """Other people of the roster with the address ``email`` (ignoring case and spaces)."""
    key = "".join(email.split()).casefold()
    if not key:
        return []
    stmt = select(Person.id, Person.given_name, Person.family_name, Person.email).where(
        func.lower(func.trim(Person.email)) == key.lower()
    )
    out = []
    for pid, given, family, value in session.execute(stmt):
        if pid != exclude_id and "".join((value or "").split()).casefold() == key:
            out.append((pid, full_name(given, family)))
    return out


# -- reading and writing one person ---------------------------------------------------------


class PersonNotFound(LookupError):
    """No such person (any more); the message is one sentence."""


class PersonInUse(RuntimeError):
    """A person who cannot go without what depends on them; carries the ``DeletionImpact``."""

    def __init__(self, impact: DeletionImpact, message: str | None = None) -> None:
        self.impact = impact
        super().__init__(message or impact.summary(named=False))


def _values(data: PersonData) -> dict[str, object]:
    values: dict[str, object] = {
        "given_name": data.given_name,
        "family_name": data.family_name,
        "patronymic": data.patronymic or None,
        "honorific": data.honorific or None,
        "display_name": dict(data.display_name),
        "position": dict(data.position),
        "bio": dict(data.bio),
        "organisation_id": data.organisation_id,
        "country": data.country or None,
        "email": data.email or None,
        "phone": data.phone or None,
        "gender": data.gender,
    }
    if not isinstance(data.photo, Keep):
        values["photo"] = data.photo
    return values


def _checked(session: OrmSession, data: PersonData) -> PersonData:
    cleaned = data.cleaned()
    report = validate_person(cleaned)
    if cleaned.organisation_id is not None and session.get(Organisation, cleaned.organisation_id) is None:
        report = Report((*report.problems,
                         Problem("organisation_id", _("The chosen organisation no longer exists."))))
    if not report.is_valid:
        raise InvalidData(report)
    return cleaned


def _no_person(person_id: int) -> str:
    return _("There is no person with id {id} (any more).").format(id=person_id)


def person_uuid(session: OrmSession, person_id: int) -> uuid_mod.UUID:
    found = session.scalar(select(Person.uuid).where(Person.id == person_id))
    if found is None:
        raise PersonNotFound(_no_person(person_id))
    return found


def person_id_for(session: OrmSession, person: uuid_mod.UUID) -> int:
    found = id_for_uuid(session, "person", person)
    if found is None:
        raise PersonNotFound(_("That person is no longer in the roster."))
    return found


def load_person(session: OrmSession, person_id: int, *, with_photo: bool = True) -> PersonData:
    """The stored fields of one person (``photo`` is ``KEEP`` unless ``with_photo``)."""
    row = session.execute(
        select(
            Person.given_name, Person.family_name, Person.patronymic, Person.honorific,
            Person.display_name, Person.position, Person.bio, Person.organisation_id,
            Person.country, Person.email, Person.phone, Person.gender,
        ).where(Person.id == person_id)
    ).one_or_none()
    if row is None:
        raise PersonNotFound(_no_person(person_id))
    photo: bytes | None | Keep = KEEP
    if with_photo:
        photo = session.scalar(select(Person.photo).where(Person.id == person_id))
    (given, family, patronymic, honorific, display, position, bio, org_id, country, email,
     phone, gender) = row
    return PersonData(
        given_name=given or "", family_name=family or "", patronymic=patronymic or "",
        honorific=honorific or "", display_name=dict(display or {}), position=dict(position or {}),
        bio=dict(bio or {}), organisation_id=org_id, country=country or "", email=email or "",
        phone=phone or "", gender=gender, photo=photo,
    )


def create_person(session: OrmSession, data: PersonData) -> Change:
    """Add a person to the roster; the change is about them (``subject.id`` is their id)."""
    cleaned = _checked(session, data)
    rec = Recorder(session)
    made = rec.insert("person", _values(cleaned))
    store_sort_keys(session, [made.id])
    return rec.change(made)


def update_person(session: OrmSession, person_id: int, data: PersonData, base: PersonData | None = None) -> Change:
    """Store ``data`` as the person's fields. The change holds the fields that changed,
    as they were (the photo only when it was changed, not left as ``KEEP``).

    ``base``: the person as the editor read them: what someone else changed since is kept
    where the editor did not change it, and a field both changed is an ``EditConflict``
    (``desktop.core.changes``)."""
    cleaned = _checked(session, data)
    rec = Recorder(session)
    person = set_fields(rec, "person", Person.id == person_id, _values(cleaned), PersonNotFound(_no_person(person_id)))
    rec.expect(person, _values(base.cleaned()) if base is not None else None)
    change = rec.change(person)
    store_sort_keys(session, [person_id])  # of the name as it is after the merge with others' changes
    return change


def set_fields(rec: Recorder, table: str, where: ColumnElement[bool], values: Mapping[str, object],
               gone: Exception) -> RowRef:
    """Set ``values`` on the one row ``where`` selects, recording only the columns whose
    value changes (an undo then leaves the others alone); the row's ``RowRef``. Raises
    ``gone`` when there is no such row."""
    found = take_images(rec.session, table, where)
    if not found:
        raise gone
    (image,) = found
    changed = {name: value for name, value in values.items() if image.values.get(name) != value}
    if changed:
        rec.update(table, where, changed)
    return RowRef(table, image.id, image.uuid)


# -- deleting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolePlace:
    """A role someone has: in which event, where (session or item), when."""

    role: RoleKind
    event_title: dict[str, str]
    where: dict[str, str]
    within: dict[str, str]  # the session of an item ({} otherwise)
    starts_at: dt.datetime
    ends_at: dt.datetime

    def describe(self, lang: str = "en") -> str:
        """"Moderator in “Session › Item”, 28 Feb 2025, 09:30–10:00 (Event)", in the interface
        language; ``lang`` chooses which of the titles' languages to show."""
        place = text(self.where, lang) or _("(untitled)")
        if self.within:
            place = f"{text(self.within, lang)} › {place}"
        # Translators: {role} is the role's word ("Moderator"); {place} a session's or item's
        # title; {date}, {start}, {end} when; {event} the event's title.
        return _("{role} in “{place}”, {date}, {start}–{end} ({event})").format(
            role=vocabulary.role(self.role), place=place, date=formats.date(self.starts_at.date(), style="medium"),
            start=formats.time(self.starts_at), end=formats.time(self.ends_at), event=text(self.event_title, lang))


@dataclass(frozen=True)
class RegistrationPlace:
    event_title: dict[str, str]
    badge_code: str
    status: Status
    check_ins: int

    def describe(self, lang: str = "en") -> str:
        """"Registered for “Event” (badge K7Q2XM, status: Confirmed, 1 check-in record)", in
        the interface language; ``lang`` chooses the title's language."""
        event, status = text(self.event_title, lang), vocabulary.status(self.status)
        if not self.check_ins:
            # Translators: {event} is the event's title, {code} a badge code, {status} the status's word.
            return _("Registered for “{event}” (badge {code}, status: {status})").format(
                event=event, code=self.badge_code, status=status)
        return n_("Registered for “{event}” (badge {code}, status: {status}, {n} check-in record)",
                  "Registered for “{event}” (badge {code}, status: {status}, {n} check-in records)",
                  self.check_ins).format(event=event, code=self.badge_code, status=status,
                                         n=formats.number(self.check_ins))


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting a person takes with them."""

    person_id: int
    name: str
    roles: tuple[RolePlace, ...] = ()
    registrations: tuple[RegistrationPlace, ...] = ()

    @property
    def check_ins(self) -> int:
        return sum(r.check_ins for r in self.registrations)

    @property
    def is_empty(self) -> bool:
        return not self.roles and not self.registrations

    def counts(self) -> list[str]:
        """What goes with the person, counted: "2 roles", "1 registration", "1 check-in record"."""
        parts = []
        if self.roles:
            n = len(self.roles)
            parts.append(n_("{n} role", "{n} roles", n).format(n=formats.number(n)))
        if self.registrations:
            n = len(self.registrations)
            parts.append(n_("{n} registration", "{n} registrations", n).format(n=formats.number(n)))
        if self.check_ins:
            n = self.check_ins
            parts.append(n_("{n} check-in record", "{n} check-in records", n).format(n=formats.number(n)))
        return parts

    def summary(self, *, named: bool = True) -> str:
        """One sentence: what goes with the person (``named``: called by their name, else
        "this person" — for an error, which names nobody)."""
        if self.is_empty:
            if not named:
                return _("This person has no roles or registrations; only the roster entry is deleted.")
            # Translators: {name} is the person's name.
            return _("{name} has no roles or registrations; only the roster entry is deleted.").format(name=self.name)
        # Translators: {counts} is a list of counts ("2 roles, 1 registration and 1 check-in record").
        if not named:
            return _("This person has {counts}; deleting the person deletes them too.").format(
                counts=formats.listing(self.counts()))
        return _("{name} has {counts}; deleting {name} deletes them too.").format(
            name=self.name, counts=formats.listing(self.counts()))

    def lines(self, lang: str = "en") -> list[str]:
        return [r.describe(lang) for r in self.roles] + [r.describe(lang) for r in self.registrations]


def deletion_impact(session: OrmSession, person_id: int, lang: str = "en") -> DeletionImpact:
    """What ``delete_person`` would remove with the person: their roles (where, when),
    registrations and those registrations' check-in records."""
    person = session.execute(
        select(Person.given_name, Person.family_name, Person.display_name).where(Person.id == person_id)
    ).one_or_none()
    if person is None:
        raise PersonNotFound(_no_person(person_id))
    name = full_name(person[0], person[1], None, person[2], lang)
    item_session = aliased(AgendaSession)
    role_rows = session.execute(
        select(
            Role.kind,
            func.coalesce(AgendaSession.event_id, AgendaItem.event_id),
            AgendaSession.title, AgendaSession.starts_at, AgendaSession.ends_at,
            AgendaItem.title, AgendaItem.starts_at, AgendaItem.ends_at, item_session.title,
        )
        .outerjoin(AgendaSession, AgendaSession.id == Role.session_id)
        .outerjoin(AgendaItem, AgendaItem.id == Role.item_id)
        .outerjoin(item_session, item_session.id == AgendaItem.session_id)
        .where(Role.person_id == person_id)
        .order_by(Role.id)
    ).all()
    event_ids = {r[1] for r in role_rows}
    checks = (
        select(CheckIn.registration_id, func.count().label("n")).group_by(CheckIn.registration_id).subquery()
    )
    reg_rows = session.execute(
        select(Registration.event_id, Registration.badge_code, Registration.status, func.coalesce(checks.c.n, 0))
        .outerjoin(checks, checks.c.registration_id == Registration.id)
        .where(Registration.person_id == person_id)
        .order_by(Registration.id)
    ).all()
    event_ids |= {r[0] for r in reg_rows}
    titles = dict(session.execute(select(Event.id, Event.title).where(Event.id.in_(event_ids))).all()) \
        if event_ids else {}
    roles = []
    for kind, ev, s_title, s_start, s_end, i_title, i_start, i_end, parent in role_rows:
        if s_start is not None:
            roles.append(RolePlace(kind, titles.get(ev, {}), s_title or {}, {}, s_start, s_end))
        else:
            roles.append(RolePlace(kind, titles.get(ev, {}), i_title or {}, parent or {}, i_start, i_end))
    roles.sort(key=lambda r: r.starts_at)
    registrations = tuple(
        RegistrationPlace(titles.get(ev, {}), code, status, int(n)) for ev, code, status, n in reg_rows
    )
    return DeletionImpact(person_id, name, tuple(roles), registrations)


def delete_person(session: OrmSession, person_id: int, *, with_dependents: bool = True) -> Change:
    """Delete a person with their roles, registrations and those registrations' check-ins,
    in the caller's transaction; the change holds everything removed.

    With ``with_dependents=False`` a person who has roles or registrations is not deleted:
    ``PersonInUse`` says what they have.
    """
    subject = RowRef("person", person_id, person_uuid(session, person_id))
    regs = select(Registration.id).where(Registration.person_id == person_id)
    if not with_dependents and session.scalar(select(
            exists().where(Registration.person_id == person_id) | exists().where(Role.person_id == person_id))):
        raise PersonInUse(deletion_impact(session, person_id))
    session.expunge_all()  # nothing loaded may be flushed over the rows removed below
    rec = Recorder(session)
    rec.delete("check_in", CheckIn.registration_id.in_(regs))  # each of these RESTRICTs the next
    rec.delete("registration", Registration.person_id == person_id)
    rec.delete("role", Role.person_id == person_id)
    rec.delete("person", Person.id == person_id)
    return rec.change(subject)


IN_USE_SINCE = N_("This person has been given a role or registered since being added; "
                  "delete them from the People list instead.")


@guard("person")
def _check_revert(session: OrmSession, change: Change) -> None:
    """The rule of the roster when a change about a person is undone or redone: a person it
    made (added, or put back by an undo) goes only with nothing of their own depending on
    them — the roles and registrations the change itself makes or moves away aside
    (``PersonInUse``). A change about something else that made a person (a registration
    with someone new) keeps its own rule (its module's guard)."""
    if change.subject is None or change.subject.table != "person":
        return
    made = [row_uuid for table, row_uuid in change.created if table == "person"]
    ours = {*change.created, *((image.table, image.uuid) for image in change.before if "person_id" in image.values)}
    for start in range(0, len(made), CHUNK):
        ids = list(session.scalars(select(Person.id).where(Person.uuid.in_(made[start:start + CHUNK]))))
        for model in (Role, Registration):
            for person_id, row_uuid in session.execute(
                    select(model.person_id, model.uuid).where(model.person_id.in_(ids))):
                if (model.__tablename__, row_uuid) not in ours:
                    raise PersonInUse(deletion_impact(session, person_id), _(IN_USE_SINCE))


__all__ = [
    "KEEP", "Keep", "PersonRow", "SpeakerRow", "PersonData", "DeletionImpact",
    "RolePlace", "RegistrationPlace", "PersonNotFound", "PersonInUse", "roster", "speakers",
    "validate_person", "load_person", "create_person", "update_person", "set_fields", "deletion_impact",
    "delete_person", "person_uuid", "person_id_for", "same_email",
    "PERSON_RULES", "FIELD_LABELS", "LOCAL_FIELDS",
]
