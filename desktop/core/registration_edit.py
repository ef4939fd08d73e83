"""The edits an organiser makes to an event's registrations, and the people the Register
dialog offers.

Removal rule: a registration with check-in records is never removed — they are the record
that the person came, other desks merge them by UUID, and deleting them would let a merge
bring them back without their registration. The organiser is told to cancel it instead
(``RegistrationHasCheckIns``); nothing is removed when one of the chosen registrations has
check-ins. Removing a registration keeps the person in the roster.

Every edit works in the caller's transaction and returns one ``Change``
(``desktop.core.changes``); ``changes.revert`` undoes it and redoes it. The rules hold
there too: ``_check_revert``, this module's guard of the registration table, refuses an
undo or redo that would put a registration back where someone has taken its place, or
take out one with check-ins, in the words the edits use.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    Category,
    CheckIn,
    Event,
    EventOrganisation,
    Gender,
    Organisation,
    Person,
    Registration,
    Role,
    Sector,
    Source,
    Status,
)
from db.search import search_terms
from db.sort_keys import key_column, sort_keys
from db.types import utcnow
from desktop.core import raw
from desktop.core.changes import Change, Recorder, RowImage, RowRef, guard, ref_of
from desktop.core.checkin import check_ins_of
from desktop.core.checks import email_problem
from desktop.core.codes import BadgeCodes
from desktop.core.collation import store_sort_keys
from desktop.core.formats import number
from desktop.core.i18n import full_name, listed_name, text
from desktop.core.language import N_, _, n_
from desktop.core.person_search import matching_people
from desktop.core.raw import chunks, dialect_of, in_ids, in_uuids

T = TypeVar("T")


@dataclass(frozen=True)
class PersonChoice:
    """Someone in the roster, as the Register dialog lists them."""

    id: int
    name: str
    organisation: str
    email: str
    registered_code: str | None  # their badge code when already registered for the event


def find_people(session: OrmSession, query: str, event_id: int | None = None, *,
                limit: int = 50, lang: str = "en") -> list[PersonChoice]:
    """People of the roster matching ``query`` (the same search as the list), by surname
    in ``lang``'s alphabet, named as ``lang``'s lists write names; with ``event_id``, each
    one's badge code there if they are registered already."""
    keys = sort_keys.alias("sort_key")
    stmt = (
        select(Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
               Person.email, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(keys, keys.c.person_id == Person.id)
    )
    terms = search_terms(query)
    if terms:
        stmt = stmt.where(Person.id.in_(matching_people(dialect_of(session), terms)))
    stmt = stmt.order_by(keys.c[key_column(lang)].asc().nulls_last(), Person.family_name, Person.given_name,
                         Person.id).limit(limit)
    found = session.execute(stmt).all()
    codes: dict[int, str] = {}
    if event_id is not None and found:
        codes = {pid: code for pid, code in session.execute(
            select(Registration.person_id, Registration.badge_code)
            .where(Registration.event_id == event_id,
                   Registration.person_id.in_([row[0] for row in found])))}
    return [
        PersonChoice(pid, listed_name(given, family, patronymic, display, lang), text(org, lang),
                     email or "", codes.get(pid))
        for pid, given, family, patronymic, display, email, org in found
    ]


class RegistrationError(ValueError):
    """An edit that cannot be made; the message is one sentence for a person."""


class RegistrationGone(RegistrationError):
    """A registration the edit needs is no longer there (another desk removed it)."""


class RegistrationHasCheckIns(RegistrationError):
    """A registration with check-in records cannot be removed (see the module docstring)."""


class AlreadyRegistered(RegistrationError):
    """The person is registered for the event already."""


EDITABLE_FIELDS: tuple[str, ...] = (
    "category", "status", "interpretation", "dietary", "accessibility", "photo_consent", "notes",
)


_TEXT_LIMITS = {"interpretation": 8, "dietary": 200, "accessibility": 200}
_TOO_LONG = {
    "interpretation": N_("The interpretation language is longer than {limit} characters."),
    "dietary": N_("The dietary needs are longer than {limit} characters."),
    "accessibility": N_("The accessibility needs are longer than {limit} characters."),
}


_REG = Registration.__table__


_PERSON = Person.__table__


_ORG = Organisation.__table__


def _clean(name: str, value: Any) -> Any:
    """``value`` checked and normalised for the field ``name``; a RegistrationError if wrong."""
    if name == "category":
        try:
            return Category(value)
        except ValueError:
            raise RegistrationError(_("“{category}” is not a registration category.").format(category=value)) from None
    if name == "status":
        try:
            return Status(value)
        except ValueError:
            raise RegistrationError(_("“{status}” is not a registration status.").format(status=value)) from None
    if name == "photo_consent":
        if value is None or isinstance(value, bool):
            return value
        raise RegistrationError(_("Photo consent is yes, no or not asked."))
    if name in _TEXT_LIMITS or name == "notes":
        if value is None:
            return None
        cleaned = str(value).strip()
        if name == "interpretation":
            cleaned = cleaned.lower()
        limit = _TEXT_LIMITS.get(name)
        if limit is not None and len(cleaned) > limit:
            raise RegistrationError(_(_TOO_LONG[name]).format(limit=limit))
        return cleaned or None
    # Translators: {field} and {fields} are names of the program's fields (a programming mistake).
    raise RegistrationError(_("“{field}” cannot be edited here: only {fields}.").format(
        field=name, fields=", ".join(EDITABLE_FIELDS)))


def _gone(count: int = 1) -> RegistrationGone:
    if count == 1:
        return RegistrationGone(_("The registration is no longer in the database "
                                  "(another desk may have removed it); nothing was changed."))
    return RegistrationGone(n_(
        "{n} of the registrations is no longer in the database (another desk may have removed it); "
        "nothing was changed.",
        "{n} of the registrations are no longer in the database (another desk may have removed them); "
        "nothing was changed.", count).format(n=number(count)))


def _check_present(session: OrmSession, ids: Sequence[int]) -> None:
    """Raise ``RegistrationGone`` when some of the registrations ``ids`` are not there."""
    dialect = dialect_of(session)
    found = 0
    for chunk in chunks(ids):
        found += session.scalar(select(func.count()).select_from(_REG).where(in_ids(_REG.c.id, chunk, dialect))) or 0
    if found < len(ids):
        raise _gone(len(ids) - found)


def _set(session: OrmSession, ids: Sequence[int], values: Mapping[str, Any],
         bases: Mapping[int, Mapping[str, Any]] | None = None) -> Change:
    """Give the registrations ``ids`` the field ``values``, in the caller's transaction.

    Only the registrations whose value differs are written and recorded, and only the
    fields that differ (an undo puts back those, nothing else): per field and chunk of ids,
    one ``touch`` and one UPDATE — a select-all of 100,000 is a few dozen statements, not
    one per registration. The change is about the registration when there is one.

    ``bases``: per registration id, its fields as the window showed them: what someone else
    changed since is kept where this edit does not change it, and a field both changed is
    an ``EditConflict`` (``desktop.core.changes``)."""
    cleaned = {name: _clean(name, v) for name, v in values.items()}
    ids = list(dict.fromkeys(ids))
    _check_present(session, ids)
    rec = Recorder(session)
    now = utcnow()
    dialect = dialect_of(session)
    for name, value in cleaned.items():
        column = _REG.c[name]
        for chunk in chunks(ids):
            differs = in_ids(_REG.c.id, chunk, dialect) & column.is_distinct_from(value)
            if rec.touch("registration", differs, [name]):
                session.execute(update(_REG).where(differs).values({name: value, "updated_at": now}))
    if bases:
        uuids: dict[int, Any] = {}
        for chunk in chunks(list(bases)):  # in parts: a select-all of 100,000 passes as many bases
            uuids.update((int(i), u) for i, u in session.execute(
                select(_REG.c.id, _REG.c.uuid).where(in_ids(_REG.c.id, chunk, dialect))))
        for rid, base in bases.items():
            if rid in uuids:
                rec.expect(RowRef("registration", rid, uuids[rid]),
                           {name: _clean(name, v) for name, v in base.items() if name in cleaned})
    return rec.change(ref_of(session, "registration", ids[0]) if len(ids) == 1 else None)


def set_status(session: OrmSession, ids: Sequence[int], status: Status,
               bases: Mapping[int, Mapping[str, Any]] | None = None) -> Change:
    """Give the registrations ``ids`` the status ``status`` (bulk confirm, cancel, …).
    ``bases``: per id, the status as the window showed it (``_set``)."""
    return _set(session, ids, {"status": status}, bases)


def set_category(session: OrmSession, ids: Sequence[int], category: Category,
                 bases: Mapping[int, Mapping[str, Any]] | None = None) -> Change:
    """Give the registrations ``ids`` the category ``category``. ``bases``: per id, the
    category as the window showed it (``_set``)."""
    return _set(session, ids, {"category": category}, bases)


def update_details(session: OrmSession, registration_id: int, details: Mapping[str, Any],
                   base: Mapping[str, Any] | None = None) -> Change:
    """Change some of a registration's ``EDITABLE_FIELDS`` (category, status, needs, photo
    consent, notes); texts are trimmed, and empty ones stored as none. ``base``: the fields
    as the dialog read them (``RegistrationDetails.editable()``)."""
    return _set(session, [registration_id], details, {registration_id: base} if base is not None else None)


@dataclass(frozen=True)
class RegistrationDetails:
    """Everything the Details dialog shows and edits of one registration."""

    id: int
    code: str
    name: str
    organisation: str
    email: str
    category: Category
    status: Status
    interpretation: str | None
    dietary: str | None
    accessibility: str | None
    photo_consent: bool | None
    notes: str | None
    source: Source
    source_file: str | None
    source_row: int | None
    checked_in_at: dt.datetime | None
    desk: str | None

    def editable(self) -> dict[str, Any]:
        """The values of ``EDITABLE_FIELDS``."""
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}


def registration_details(session: OrmSession, registration_id: int, lang: str = "en") -> RegistrationDetails:
    row = session.execute(
        select(_REG.c.id, _REG.c.badge_code, Person.given_name, Person.family_name,
               Person.patronymic, Person.display_name, Organisation.name, Person.email,
               *(_REG.c[n] for n in EDITABLE_FIELDS), _REG.c.source, _REG.c.source_file,
               _REG.c.source_row)
        .join(Person, Person.id == _REG.c.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG.c.id == registration_id)
    ).first()
    if row is None:
        raise _gone()
    (rid, code, given, family, patronymic, display, org, email, category, status, interpretation,
     dietary, accessibility, photo_consent, notes, source, source_file, source_row) = row
    at, desk = check_ins_of(session, [rid]).get(rid, (None, None))
    return RegistrationDetails(
        rid, code, full_name(given, family, patronymic, display, lang, with_patronymic=True),
        text(org, lang), email or "", category, status, interpretation, dietary, accessibility,
        photo_consent, notes, source, source_file, source_row, at, desk,
    )


@dataclass(frozen=True)
class NewPerson:
    """Someone to add to the roster while registering them.

    The organisation is an existing one (``organisation_id``), a new one named
    ``organisation_name`` (in the language ``lang``; an existing organisation with that
    name in any language, ignoring case, is used instead of a twin), or none.
    """

    given_name: str
    family_name: str
    email: str | None = None
    organisation_id: int | None = None
    organisation_name: str | None = None
    organisation_sector: Sector = Sector.OTHER
    gender: Gender = Gender.NOT_STATED
    lang: str = "en"


def person_name(session: OrmSession, person_id: int, lang: str = "en") -> str:
    """The name of the person ``person_id`` as the list shows it (“This person” when gone)."""
    row = session.execute(select(Person.given_name, Person.family_name, Person.display_name)
                          .where(Person.id == person_id)).first()
    return full_name(row[0], row[1], None, row[2], lang) if row else _("This person")


def _same_name_organisation(session: OrmSession, name: str) -> int | None:
    wanted = name.casefold()
    for oid, names, short in session.execute(select(_ORG.c.id, _ORG.c.name, _ORG.c.short_name)):
        if any(v.casefold() == wanted for v in (*(names or {}).values(), *(short or {}).values())):
            return int(oid)
    return None


def _fresh_code(session: OrmSession, event_id: int, codes: BadgeCodes) -> str:
    while True:
        code = codes.new()
        taken = session.scalar(select(_REG.c.id).where(_REG.c.event_id == event_id, _REG.c.badge_code == code))
        if taken is None:
            return code


def register(session: OrmSession, event_id: int, *, person_id: int | None = None,
             new_person: NewPerson | None = None, category: Category = Category.PARTICIPANT,
             status: Status = Status.REGISTERED, codes: BadgeCodes | None = None) -> Change:
    """Register a person of the roster (``person_id``) or a new one (``new_person``, with a
    new organisation when one is typed that the roster does not have) for the event, with a
    fresh badge code. The change is about the registration; it made the person and the
    organisation when they were new (an undo takes them out again)."""
    if (person_id is None) == (new_person is None):
        raise ValueError("register needs either person_id or new_person")
    category, status = _clean("category", category), _clean("status", status)
    codes = codes or BadgeCodes()
    now = utcnow()
    rec = Recorder(session)
    if session.scalar(select(Event.id).where(Event.id == event_id)) is None:
        raise RegistrationError(_("The event is no longer in the database."))
    if new_person is not None:
        given, family = new_person.given_name.strip(), new_person.family_name.strip()
        if not (given or family):
            raise RegistrationError(_("A new person needs a given name or a family name."))
        email = (new_person.email or "").strip() or None
        if email is not None and (problem := email_problem(email)):
            raise RegistrationError(problem)
        org_id = new_person.organisation_id
        org_name = (new_person.organisation_name or "").strip()
        if org_id is not None:
            if session.scalar(select(_ORG.c.id).where(_ORG.c.id == org_id)) is None:
                raise RegistrationError(_("The organisation is no longer in the database."))
        elif org_name:
            org_id = _same_name_organisation(session, org_name)
            if org_id is None:
                org_id = rec.insert("organisation", {
                    "name": {new_person.lang: org_name}, "short_name": {},
                    "sector": new_person.organisation_sector, "created_at": now, "updated_at": now,
                }).id
        person_id = rec.insert("person", {
            "given_name": given, "family_name": family, "display_name": {}, "position": {}, "bio": {},
            "organisation_id": org_id, "email": email, "gender": new_person.gender,
            "created_at": now, "updated_at": now,
        }).id
        store_sort_keys(session, [person_id])
    elif person_id is not None:
        if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
            raise RegistrationError(_("That person is no longer in the roster."))
        already = session.scalar(select(_REG.c.badge_code).where(
            _REG.c.event_id == event_id, _REG.c.person_id == person_id))
        if already is not None:
            raise AlreadyRegistered(_("This person is already registered for this event (badge {code}).").format(
                code=already))
    made = rec.insert("registration", {
        "event_id": event_id, "person_id": person_id, "category": category, "status": status,
        "badge_code": _fresh_code(session, event_id, codes), "source": Source.MANUAL,
        "created_at": now, "updated_at": now,
    })
    return rec.change(made)


def _refuse_check_ins(session: OrmSession, ids: Sequence[int], going: Collection[uuid_mod.UUID] = ()) -> None:
    """Refuse to remove registrations ``ids`` when they have check-in records (but those
    ``going`` with them, when a change takes out the check-ins too: a whole event)."""
    found: dict[int, None] = {}
    for chunk in chunks(list(ids)):
        if going:
            found.update((rid, None) for rid, check_in in session.execute(
                select(CheckIn.registration_id, CheckIn.uuid).where(CheckIn.registration_id.in_(chunk)))
                if check_in not in going)
        else:
            found.update((rid, None) for rid in session.scalars(
                select(CheckIn.registration_id).where(CheckIn.registration_id.in_(chunk)).distinct()))
    with_check_ins = list(found)
    if not with_check_ins:
        return
    # Told by badge code, never by name (no message carries a person's name).
    codes = list(session.scalars(select(_REG.c.badge_code).where(_REG.c.id.in_(with_check_ins[:3]))
                                 .order_by(_REG.c.badge_code)))
    if len(with_check_ins) == 1 and len(ids) == 1:
        # Translators: "Cancelled" is the status (as the status list names it).
        raise RegistrationHasCheckIns(_(
            "The registration with badge {code} has check-in records, so it stays as the record of "
            "attendance: set its status to Cancelled instead.").format(code=codes[0]))
    listed = ", ".join(codes)
    if len(with_check_ins) > 3:
        # Translators: badge codes, then how many more there are ("AB12, CD34, EF56 and 4 more").
        listed = n_("{names} and {n} more", "{names} and {n} more", len(with_check_ins) - 3).format(
            names=listed, n=number(len(with_check_ins) - 3))
    raise RegistrationHasCheckIns(n_(
        "{n} of the chosen registrations has check-in records ({names}), so nothing was removed: "
        "it stays as the record of attendance; cancel it instead.",
        "{n} of the chosen registrations have check-in records ({names}), so nothing was removed: "
        "they stay as the record of attendance; cancel them instead.", len(with_check_ins)).format(
        n=number(len(with_check_ins)), names=listed))


def remove_registrations(session: OrmSession, ids: Sequence[int]) -> Change:
    """Remove the registrations ``ids`` (never the people: they stay in the roster).

    Nothing is removed when one of them has check-in records (``RegistrationHasCheckIns``)
    or is gone already (``RegistrationGone``). The change holds the rows as they were, so
    an undo puts back the very same ones (uuids, badge codes, and ids while still free).
    """
    ids = list(dict.fromkeys(ids))
    _check_present(session, ids)
    _refuse_check_ins(session, ids)
    rec = Recorder(session)
    dialect = dialect_of(session)
    for chunk in chunks(ids):
        rec.delete("registration", in_ids(_REG.c.id, chunk, dialect))
    return rec.change()


# -- undo and redo: the same rules, in the same words --------------------------------------------


def _ids_by_uuid(session: OrmSession, tbl: Any, uuids: Iterable[uuid_mod.UUID]) -> dict[uuid_mod.UUID, int]:
    found: dict[uuid_mod.UUID, int] = {}
    dialect = dialect_of(session)
    for part in _parts(list(set(uuids))):
        found.update((u, int(i)) for u, i in session.execute(
            select(tbl.c.uuid, tbl.c.id).where(in_uuids(tbl.c.uuid, part, dialect))))
    return found


def _not_there(session: OrmSession, images: Sequence[RowImage]) -> list[RowImage]:
    """Those of the registration ``images`` whose rows are not in the database now; counted
    first, as usually none (an undo of a field edit) or all (of a removal) are gone."""
    dialect = dialect_of(session)
    present = 0
    for part in _parts(images):
        present += session.scalar(select(func.count()).select_from(_REG).where(
            in_uuids(_REG.c.uuid, [image.uuid for image in part], dialect))) or 0
    if present == len(images):
        return []
    if present == 0:
        return list(images)
    here = _ids_by_uuid(session, _REG, [image.uuid for image in images])
    return [image for image in images if image.uuid not in here]


def _parts(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """``values`` a chunk at a time, as ``raw.chunks`` cuts ids."""
    size = raw.IN_CHUNK
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _made(change: Change, table: str) -> list[uuid_mod.UUID]:
    return [row_uuid for name, row_uuid in change.created if name == table]


@guard("registration")
def _check_revert(session: OrmSession, change: Change) -> None:
    """The rules of registrations when ``change`` is undone or redone (``changes.guard``):
    registrations come back only where nobody took their place (the person registered
    again, the badge code given to someone else) and whose people are still in the roster;
    registrations are taken out only when they are still there and have no check-ins
    (the removal rule); the people and organisations a registration brought into the
    roster are taken out only while nothing else uses them."""
    back = _not_there(session, [image for image in change.before if image.table == "registration"])
    if back:
        _check_coming_back(session, change, back)
    made = _made(change, "registration")
    if made:
        made_ids = list(_ids_by_uuid(session, _REG, made).values())
        if len(made_ids) < len(set(made)):  # another desk removed it since
            raise _gone(len(set(made)) - len(made_ids))
        # check-ins the same change takes out or moves to another registration first
        # (a whole event's, a merge's) do not keep a registration
        _refuse_check_ins(session, made_ids,
                          going=set(_made(change, "check_in")) | _moving(change, "check_in", "registration_id"))
        _check_made_unused(session, change)


def _check_coming_back(session: OrmSession, change: Change, back: Sequence[RowImage]) -> None:
    partial = [image for image in back if "badge_code" not in image.values]
    if partial:  # an edit of fields whose registration another desk removed since
        raise _gone(len(partial))
    coming_people = {image.uuid for image in change.before if image.table == "person"}
    people = _ids_by_uuid(session, _PERSON, [image.refs["person_id"] for image in back])
    if any(image.refs["person_id"] not in people and image.refs["person_id"] not in coming_people
           for image in back):
        raise RegistrationError(_("A person of these registrations has left the roster meanwhile; "
                                  "nothing was changed."))
    # Registrations the same change takes out or moves away first do not stand in the way
    # (a merge of two records moves one into the place of the other).
    leaving = set(_made(change, "registration")) | {
        image.uuid for image in change.before if image.table == "registration"
        and not {"event_id", "person_id", "badge_code"}.isdisjoint(image.values)} - {image.uuid for image in back}
    events = _ids_by_uuid(session, Event.__table__, [image.refs["event_id"] for image in back])
    pairs = {(events[image.refs["event_id"]], people[image.refs["person_id"]]) for image in back
             if image.refs["event_id"] in events and image.refs["person_id"] in people}
    for chunk in chunks(sorted({person_id for _event, person_id in pairs})):
        for holder, event_id, person_id in session.execute(
                select(_REG.c.uuid, _REG.c.event_id, _REG.c.person_id).where(_REG.c.person_id.in_(chunk))):
            if (event_id, person_id) in pairs and holder not in leaving:
                raise AlreadyRegistered(_("The person has been registered again meanwhile; nothing was changed."))
    codes: dict[int, list[str]] = {}
    for image in back:
        if image.refs["event_id"] in events:
            codes.setdefault(events[image.refs["event_id"]], []).append(str(image.values["badge_code"]))
    for event_id, wanted in codes.items():
        for part in _parts(wanted):
            for holder, taken in session.execute(select(_REG.c.uuid, _REG.c.badge_code).where(
                    _REG.c.event_id == event_id, _REG.c.badge_code.in_(part))):
                if holder not in leaving:
                    raise RegistrationError(_("The badge code {code} has been given to someone else meanwhile; "
                                              "nothing was changed.").format(code=taken))


def _moving(change: Change, table: str, column: str) -> set[uuid_mod.UUID]:
    """The rows of ``table`` whose ``column`` reverting ``change`` sets back (before it
    takes out the rows it made)."""
    return {image.uuid for image in change.before if image.table == table and column in image.values}


def _check_made_unused(session: OrmSession, change: Change) -> None:
    """Refuse to take out a person or an organisation ``change`` made with its registrations
    (``register``'s new person and organisation) that something else uses now — other than
    what the same change takes out or moves away."""
    people = list(_ids_by_uuid(session, _PERSON, _made(change, "person")).values())
    leaving = {*_made(change, "registration"), *_moving(change, "registration", "person_id")}
    roles = {*_made(change, "role"), *_moving(change, "role", "person_id")}
    for chunk in chunks(people):
        elsewhere = set(session.scalars(select(_REG.c.uuid).where(_REG.c.person_id.in_(chunk)))) - leaving
        parts = set(session.scalars(select(Role.uuid).where(Role.person_id.in_(chunk)))) - roles
        if elsewhere or parts:
            raise RegistrationError(_("The person added with this registration has been registered for another "
                                      "event or given a part in an agenda since, so it cannot be undone; "
                                      "remove the registration instead."))
    organisations = list(_ids_by_uuid(session, _ORG, _made(change, "organisation")).values())
    members_leaving = {*_made(change, "person"), *_moving(change, "person", "organisation_id")}
    partners = {*_made(change, "event_organisation"), *_moving(change, "event_organisation", "organisation_id")}
    for chunk in chunks(organisations):
        members = set(session.scalars(select(_PERSON.c.uuid).where(_PERSON.c.organisation_id.in_(chunk))))
        partnering = set(session.scalars(select(EventOrganisation.uuid).where(
            EventOrganisation.organisation_id.in_(chunk))))
        if members - members_leaving or partnering - partners:
            raise RegistrationError(_("The organisation added with this registration is used by other people "
                                      "or events since, so it cannot be undone; remove the registration instead."))
