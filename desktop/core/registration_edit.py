"""The edits an organiser makes to an event's registrations, and the people the Register
dialog offers.

Removal rule: a registration with check-in records is never removed — they are the record
that the person came, other desks merge them by UUID, and deleting them would let a merge
bring them back without their registration. The organiser is told to cancel it instead
(``RegistrationHasCheckIns``); nothing is removed when one of the chosen registrations has
check-ins. Removing a registration keeps the person in the roster.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.models import (
    Category,
    CheckIn,
    Event,
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
from db.types import utcnow
from desktop.core.checkin import check_ins_of
from desktop.core.checks import email_problem
from desktop.core.codes import BadgeCodes
from desktop.core.i18n import full_name, text
from desktop.core.raw import (
    chunks,
    dialect_of,
)
from desktop.core.registrations import matching_people


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
    """People of the roster matching ``query`` (the same search as the list), by surname;
    with ``event_id``, each one's badge code there if they are registered already."""
    stmt = (
        select(Person.id, Person.given_name, Person.family_name, Person.display_name,
               Person.email, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
    )
    terms = search_terms(query)
    if terms:
        stmt = stmt.where(Person.id.in_(matching_people(dialect_of(session), terms)))
    stmt = stmt.order_by(Person.family_name, Person.given_name, Person.id).limit(limit)
    found = session.execute(stmt).all()
    codes: dict[int, str] = {}
    if event_id is not None and found:
        codes = {pid: code for pid, code in session.execute(
            select(Registration.person_id, Registration.badge_code)
            .where(Registration.event_id == event_id,
                   Registration.person_id.in_([row[0] for row in found])))}
    return [
        PersonChoice(pid, full_name(given, family, None, display, lang), text(org, lang),
                     email or "", codes.get(pid))
        for pid, given, family, display, email, org in found
    ]


class RegistrationError(Exception):
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


_REG = Registration.__table__


_PERSON = Person.__table__


_ORG = Organisation.__table__


@dataclass(frozen=True)
class FieldChange:
    """An edit of some fields of some registrations: their values before and after, by id.

    ``apply_values(db, change.before)`` undoes the edit; ``apply_values(db, change.after)``
    makes it again. Registrations whose values did not change are not in it.
    """

    before: Mapping[int, Mapping[str, Any]]
    after: Mapping[int, Mapping[str, Any]]

    @property
    def ids(self) -> list[int]:
        return list(self.after)

    def __bool__(self) -> bool:
        return bool(self.after)


def _clean(name: str, value: Any) -> Any:
    """``value`` checked and normalised for the field ``name``; a RegistrationError if wrong."""
    if name == "category":
        try:
            return Category(value)
        except ValueError:
            raise RegistrationError(f"{value!r} is not a registration category.") from None
    if name == "status":
        try:
            return Status(value)
        except ValueError:
            raise RegistrationError(f"{value!r} is not a registration status.") from None
    if name == "photo_consent":
        if value is None or isinstance(value, bool):
            return value
        raise RegistrationError("Photo consent is yes, no or not asked.")
    if name in _TEXT_LIMITS or name == "notes":
        if value is None:
            return None
        cleaned = str(value).strip()
        if name == "interpretation":
            cleaned = cleaned.lower()
        limit = _TEXT_LIMITS.get(name)
        if limit is not None and len(cleaned) > limit:
            raise RegistrationError(f"The {name} text is longer than {limit} characters.")
        return cleaned or None
    raise RegistrationError(f"{name!r} cannot be edited here: only {', '.join(EDITABLE_FIELDS)}.")


def _gone(count: int = 1) -> RegistrationGone:
    if count == 1:
        return RegistrationGone("The registration is no longer in the database "
                                "(another desk may have removed it); nothing was changed.")
    return RegistrationGone(f"{count} of the registrations are no longer in the database "
                            "(another desk may have removed them); nothing was changed.")


def _missing(wanted: Iterable[int], found: Iterable[int]) -> RegistrationGone | None:
    gone = set(wanted) - set(found)
    return _gone(len(gone)) if gone else None


def _set(database: Database, ids: Sequence[int], values: Mapping[str, Any]) -> FieldChange:
    """Give the registrations ``ids`` the field ``values``: one transaction."""
    cleaned = {name: _clean(name, v) for name, v in values.items()}
    ids = list(dict.fromkeys(ids))
    names = list(cleaned)
    with database.write() as session:
        current: dict[int, dict[str, Any]] = {}
        for chunk in chunks(ids):
            for row in session.execute(select(_REG.c.id, *(_REG.c[n] for n in names))
                                       .where(_REG.c.id.in_(chunk))):
                current[row[0]] = dict(zip(names, row[1:], strict=True))
        error = _missing(ids, current)
        if error is not None:
            raise error
        before: dict[int, dict[str, Any]] = {}
        after: dict[int, dict[str, Any]] = {}
        for rid in ids:
            changed = {n: v for n, v in cleaned.items() if current[rid][n] != v}
            if changed:
                before[rid] = {n: current[rid][n] for n in changed}
                after[rid] = changed
        _write_values(session, after)
    return FieldChange(before, after)


def _write_values(session: OrmSession, values: Mapping[int, Mapping[str, Any]]) -> None:
    """UPDATEs for ``values``: one per distinct set of values, not one per registration."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for rid, fields in values.items():
        groups.setdefault(tuple(sorted(fields.items(), key=lambda kv: kv[0])), []).append(rid)
    now = utcnow()
    for key, rids in groups.items():
        for chunk in chunks(rids):
            session.execute(update(_REG).where(_REG.c.id.in_(chunk)).values({**dict(key), "updated_at": now}))


def set_status(database: Database, ids: Sequence[int], status: Status) -> FieldChange:
    """Give the registrations ``ids`` the status ``status`` (bulk confirm, cancel, …)."""
    return _set(database, ids, {"status": status})


def set_category(database: Database, ids: Sequence[int], category: Category) -> FieldChange:
    """Give the registrations ``ids`` the category ``category``."""
    return _set(database, ids, {"category": category})


def update_details(database: Database, registration_id: int, details: Mapping[str, Any]) -> FieldChange:
    """Change some of a registration's ``EDITABLE_FIELDS`` (category, status, needs, photo
    consent, notes); texts are trimmed, and empty ones stored as none."""
    return _set(database, [registration_id], details)


def apply_values(database: Database, values: Mapping[int, Mapping[str, Any]]) -> None:
    """Write field values back (``FieldChange.before`` to undo, ``.after`` to redo): one
    transaction, and nothing at all when a registration is gone."""
    cleaned = {rid: {n: _clean(n, v) for n, v in fields.items()} for rid, fields in values.items()}
    with database.write() as session:
        found: list[int] = []
        for chunk in chunks(list(cleaned)):
            found.extend(session.scalars(select(_REG.c.id).where(_REG.c.id.in_(chunk))))
        error = _missing(cleaned, found)
        if error is not None:
            raise error
        _write_values(session, cleaned)


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


@dataclass(frozen=True)
class Registered:
    """What ``register`` wrote: the rows themselves (to take them out and put them back)."""

    registration: Mapping[str, Any]
    person: Mapping[str, Any] | None        # set when the person was new to the roster
    organisation: Mapping[str, Any] | None  # set when the organisation was new

    @property
    def registration_id(self) -> int:
        return int(self.registration["id"])

    @property
    def person_id(self) -> int:
        return int(self.registration["person_id"])

    @property
    def code(self) -> str:
        return str(self.registration["badge_code"])


def _row(session: OrmSession, tbl: Any, row_id: int) -> dict[str, Any]:
    found = session.execute(select(tbl).where(tbl.c.id == row_id)).mappings().one()
    return dict(found)


def _person_label(session: OrmSession, person_id: int) -> str:
    row = session.execute(select(Person.given_name, Person.family_name, Person.display_name)
                          .where(Person.id == person_id)).first()
    return full_name(row[0], row[1], None, row[2]) if row else "This person"


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


def register(database: Database, event_id: int, *, person_id: int | None = None,
             new_person: NewPerson | None = None, category: Category = Category.PARTICIPANT,
             status: Status = Status.REGISTERED, codes: BadgeCodes | None = None) -> Registered:
    """Register a person of the roster (``person_id``) or a new one (``new_person``) for the
    event, with a fresh badge code: one transaction."""
    if (person_id is None) == (new_person is None):
        raise ValueError("register needs either person_id or new_person")
    category, status = _clean("category", category), _clean("status", status)
    codes = codes or BadgeCodes()
    now = utcnow()
    with database.write() as session:
        if session.scalar(select(Event.id).where(Event.id == event_id)) is None:
            raise RegistrationError("The event is no longer in the database.")
        new_org_row: dict[str, Any] | None = None
        new_person_row: dict[str, Any] | None = None
        if new_person is not None:
            given, family = new_person.given_name.strip(), new_person.family_name.strip()
            if not (given or family):
                raise RegistrationError("A new person needs a given name or a family name.")
            email = (new_person.email or "").strip() or None
            if email is not None and (problem := email_problem(email)):
                raise RegistrationError(problem)
            org_id = new_person.organisation_id
            org_name = (new_person.organisation_name or "").strip()
            if org_id is not None:
                if session.scalar(select(_ORG.c.id).where(_ORG.c.id == org_id)) is None:
                    raise RegistrationError("The organisation is no longer in the database.")
            elif org_name:
                org_id = _same_name_organisation(session, org_name)
                if org_id is None:
                    org_id = session.execute(insert(_ORG).values(
                        uuid=uuid_mod.uuid4(), name={new_person.lang: org_name}, short_name={},
                        sector=new_person.organisation_sector, created_at=now, updated_at=now,
                    )).inserted_primary_key[0]
                    new_org_row = _row(session, _ORG, org_id)
            person_id = session.execute(insert(_PERSON).values(
                uuid=uuid_mod.uuid4(), given_name=given, family_name=family, display_name={},
                position={}, bio={}, organisation_id=org_id, email=email, gender=new_person.gender,
                created_at=now, updated_at=now,
            )).inserted_primary_key[0]
            new_person_row = _row(session, _PERSON, person_id)
        else:
            if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
                raise RegistrationError("That person is no longer in the roster.")
            already = session.scalar(select(_REG.c.badge_code).where(
                _REG.c.event_id == event_id, _REG.c.person_id == person_id))
            if already is not None:
                raise AlreadyRegistered(
                    f"{_person_label(session, person_id)} is already registered for this event "
                    f"(badge {already}).")
        reg_id = session.execute(insert(_REG).values(
            uuid=uuid_mod.uuid4(), event_id=event_id, person_id=person_id, category=category,
            status=status, badge_code=_fresh_code(session, event_id, codes), source=Source.MANUAL,
            created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        return Registered(_row(session, _REG, reg_id), new_person_row, new_org_row)


def unregister(database: Database, registered: Registered) -> None:
    """Undo ``register``: remove the registration, and the person and organisation it
    created unless something else uses them now. One transaction."""
    with database.write() as session:
        reg_id = session.scalar(select(_REG.c.id).where(_REG.c.uuid == registered.registration["uuid"]))
        if reg_id is None:
            raise _gone()
        _refuse_check_ins(session, [reg_id])
        session.execute(delete(_REG).where(_REG.c.id == reg_id))
        if registered.person is not None:
            pid = registered.person["id"]
            used = (session.scalar(select(func.count()).where(_REG.c.person_id == pid))
                    or session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid)))
            if not used:
                session.execute(delete(_PERSON).where(_PERSON.c.id == pid))
        if registered.organisation is not None:
            oid = registered.organisation["id"]
            used = session.scalar(select(func.count()).where(_PERSON.c.organisation_id == oid))
            if not used:
                session.execute(delete(_ORG).where(_ORG.c.id == oid))


def _put_back(session: OrmSession, tbl: Any, row: Mapping[str, Any]) -> int:
    """Insert ``row`` again (by its uuid: reuse it if it is there already); its original id
    when that is free, else a new one. Returns the id."""
    existing = session.scalar(select(tbl.c.id).where(tbl.c.uuid == row["uuid"]))
    if existing is not None:
        return int(existing)
    values = dict(row)
    if session.scalar(select(tbl.c.id).where(tbl.c.id == values["id"])) is not None:
        del values["id"]
    return int(session.execute(insert(tbl).values(values)).inserted_primary_key[0])


def _code_free(session: OrmSession, row: Mapping[str, Any]) -> None:
    holder = session.scalar(select(_REG.c.id).where(_REG.c.event_id == row["event_id"],
                                                    _REG.c.badge_code == row["badge_code"]))
    if holder is not None:
        raise RegistrationError(f"The badge code {row['badge_code']} has been given to someone else "
                                "meanwhile; nothing was changed.")


def restore_registered(database: Database, registered: Registered) -> Registered:
    """Redo ``register`` after ``unregister``: the same rows (uuids, badge code) again.
    Returns them with their ids now (the same ids when those were still free)."""
    with database.write() as session:
        org_row = person_row = None
        if registered.organisation is not None:
            oid = _put_back(session, _ORG, registered.organisation)
            org_row = _row(session, _ORG, oid)
        person_values = dict(registered.person) if registered.person is not None else None
        pid = registered.person_id
        if person_values is not None:
            if org_row is not None:
                person_values["organisation_id"] = org_row["id"]
            pid = _put_back(session, _PERSON, person_values)
            person_row = _row(session, _PERSON, pid)
        elif session.scalar(select(Person.id).where(Person.id == pid)) is None:
            raise RegistrationError("That person is no longer in the roster; nothing was changed.")
        values = dict(registered.registration, person_id=pid)
        if session.scalar(select(_REG.c.id).where(_REG.c.event_id == values["event_id"],
                                                  _REG.c.person_id == pid)) is not None:
            raise AlreadyRegistered(f"{_person_label(session, pid)} has been registered again "
                                    "meanwhile; nothing was changed.")
        _code_free(session, values)
        rid = _put_back(session, _REG, values)
        return Registered(_row(session, _REG, rid), person_row, org_row)


@dataclass(frozen=True)
class Removed:
    """The registration rows ``remove_registrations`` took out, to put them back."""

    rows: tuple[Mapping[str, Any], ...]

    @property
    def ids(self) -> list[int]:
        return [int(row["id"]) for row in self.rows]


def _refuse_check_ins(session: OrmSession, ids: Sequence[int]) -> None:
    with_check_ins: list[int] = []
    for chunk in chunks(list(ids)):
        with_check_ins.extend(session.scalars(
            select(CheckIn.registration_id).where(CheckIn.registration_id.in_(chunk)).distinct()))
    if not with_check_ins:
        return
    names = [
        full_name(given, family, None, display)
        for given, family, display in session.execute(
            select(Person.given_name, Person.family_name, Person.display_name)
            .join(_REG, _REG.c.person_id == Person.id)
            .where(_REG.c.id.in_(with_check_ins[:3]))
            .order_by(Person.family_name, Person.given_name))
    ]
    if len(with_check_ins) == 1 and len(ids) == 1:
        raise RegistrationHasCheckIns(
            f"{names[0]} has check-in records, so the registration stays as the record of "
            "attendance: set its status to Cancelled instead.")
    more = f" and {len(with_check_ins) - 3} more" if len(with_check_ins) > 3 else ""
    raise RegistrationHasCheckIns(
        f"{len(with_check_ins)} of the chosen registrations have check-in records "
        f"({', '.join(names)}{more}), so nothing was removed: they stay as the record of "
        "attendance; cancel them instead.")


def remove_registrations(database: Database, ids: Sequence[int]) -> Removed:
    """Remove the registrations ``ids`` (never the people: they stay in the roster).

    One transaction; nothing is removed when one of them has check-in records
    (``RegistrationHasCheckIns``) or is gone already (``RegistrationGone``).
    """
    ids = list(dict.fromkeys(ids))
    with database.write() as session:
        rows: list[dict[str, Any]] = []
        for chunk in chunks(ids):
            rows.extend(dict(r) for r in session.execute(select(_REG).where(_REG.c.id.in_(chunk))).mappings())
        error = _missing(ids, [r["id"] for r in rows])
        if error is not None:
            raise error
        _refuse_check_ins(session, ids)
        for chunk in chunks(ids):
            session.execute(delete(_REG).where(_REG.c.id.in_(chunk)))
    order = {rid: i for i, rid in enumerate(ids)}
    return Removed(tuple(sorted(rows, key=lambda r: order[r["id"]])))


def restore_removed(database: Database, removed: Removed) -> Removed:
    """Undo ``remove_registrations``: the same rows again (same uuids, badge codes and, when
    still free, ids). Returns them as they are now."""
    with database.write() as session:
        restored = []
        for row in removed.rows:
            if session.scalar(select(Person.id).where(Person.id == row["person_id"])) is None:
                raise RegistrationError("A person of these registrations has left the roster "
                                        "meanwhile; nothing was changed.")
            if session.scalar(select(_REG.c.id).where(_REG.c.uuid == row["uuid"])) is None:
                if session.scalar(select(_REG.c.id).where(
                        _REG.c.event_id == row["event_id"], _REG.c.person_id == row["person_id"])) is not None:
                    raise AlreadyRegistered(f"{_person_label(session, row['person_id'])} has been "
                                            "registered again meanwhile; nothing was changed.")
                _code_free(session, row)
            rid = _put_back(session, _REG, row)
            restored.append(_row(session, _REG, rid))
    return Removed(tuple(restored))
