"""The registration desk: checking people in, undoing it, walk-ins, and finding people as
they are typed — the one core that desk mode (``desktop.ui.desk.page``) and the ``check-in``
command share.

* ``check_in`` — a badge code (as a scanner or a person typed it) or a registration id →
  a ``CheckInResult``: CHECKED_IN, ALREADY_CHECKED_IN (when and at which desk), CANCELLED
  or NOT_REGISTERED. One transaction; the check-in row is committed before the function
  returns CHECKED_IN, so what the screen says is already on disk (or on the server).
* Several desks at once: the registration's row is locked (``SELECT … FOR UPDATE`` on
  PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises writers already) and its state read
  again inside the lock, so two desks checking in the same person at the same moment get
  exactly one CHECKED_IN and one ALREADY_CHECKED_IN.
* Check-ins are append-only (``db.models.CheckIn``): ``undo_check_in`` appends an UNDO row,
  nothing is ever updated or deleted. A person's state is the rule of
  ``desktop.core.checkin``: the latest IN or OUT row (by when it happened) that no UNDO
  row names; IN means checked in.
* ``desk_matches`` — who the desk may mean by what was typed: a badge code, a name or an
  organisation in any case and script, typed on the wrong keyboard layout ("bdfyjd" is
  "иванов" typed with the Latin layout on), or in Latin letters for a Cyrillic name
  ("zhienbayev" finds "Жиенбаев").
* ``walk_in`` — someone not on the list: registered (source: this desk), given a badge
  code and checked in, in one transaction. On PostgreSQL a transaction-scoped advisory
  lock on the e-mail (``email_lock_key``) is taken before the roster is searched for it,
  so two desks registering the same person at the same instant make one person, one
  registration: the second desk is told ALREADY CHECKED IN.

The sentences a person reads (``CheckInResult.message``, every ``DeskError``) are in the
interface language (``desktop.core.language``), made when they are asked for; ``lang`` of
the calls is the language of names and organisations, a separate choice.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import socket
import uuid as uuid_mod
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, func, insert, select, type_coerce
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.models import (
    Category,
    CheckIn,
    CheckInAction,
    Event,
    Organisation,
    Person,
    Registration,
    Sector,
    Source,
    Status,
)
from db.results import inserted_id
from db.types import utcnow
from desktop.core import vocabulary
from desktop.core.checkin import EXPECTED, Participation, latest_arrivals, participation
from desktop.core.checks import email_problem
from desktop.core.codes import ALPHABET, LENGTH, BadgeCodes, normalise_code
from desktop.core.collation import store_sort_keys
from desktop.core.i18n import full_name
from desktop.core.language import _, n_, p_
from desktop.core.name_match import latin_keys, meaning
from desktop.core.people import NAME_MAX
from desktop.core.raw import compiled, fetch, local_text, param, text_of
from desktop.core.registrations import RegistrationFilter, RegistrationRow, find_registrations, rows_for_ids
from desktop.core.watch import announce

DESK_NAME_LIMIT = 80
"""The longest desk name the database keeps (``check_in.desk``)."""

NOT_ADMITTED = (Status.CANCELLED, Status.DECLINED)
"""Statuses whose people are not checked in: the desk is told instead."""


class CheckInState(str, enum.Enum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    CANCELLED = "cancelled"
    NOT_REGISTERED = "not_registered"


class DeskError(Exception):
    """Something the desk cannot do; the message is one sentence for a person."""


@dataclass(frozen=True)
class CheckInResult:
    """What one check-in attempt found and did.

    ``at`` is when the person was checked in (now for CHECKED_IN, the earlier time for
    ALREADY_CHECKED_IN; aware UTC), ``local_time`` the same as "HH:MM" in the event's time
    zone, ``desk`` the desk that checked them in; ``check_in_uuid`` names the row written
    (CHECKED_IN only), for "Undo".
    """

    state: CheckInState
    typed: str
    registration_id: int | None = None
    code: str | None = None
    name: str = ""
    organisation: str = ""
    category: Category | None = None
    status: Status | None = None
    at: dt.datetime | None = None
    local_time: str = ""
    desk: str | None = None
    check_in_uuid: uuid_mod.UUID | None = None
    sector: Sector | None = None

    @property
    def admitted(self) -> bool:
        """True when the person is in now (checked in by this call or before)."""
        return self.state in (CheckInState.CHECKED_IN, CheckInState.ALREADY_CHECKED_IN)

    @property
    def who(self) -> str:
        """"Name, Organisation (category)", in the interface language."""
        if self.category is None:  # no one was found: nothing to add to what was typed
            return self.name
        category = vocabulary.category(self.category).lower()
        if self.organisation:
            # Translators: a person checked in: name, organisation (registration category, lower case).
            return _("{name}, {organisation} ({category})").format(
                name=self.name, organisation=self.organisation, category=category)
        return _("{name} ({category})").format(name=self.name, category=category)

    @property
    def message(self) -> str:
        """One line for the command line and the status bar, in the interface language."""
        if self.state is CheckInState.CHECKED_IN:
            # Translators: {who} is "Name, Organisation (category)".
            return _("checked in: {who}").format(who=self.who)
        if self.state is CheckInState.ALREADY_CHECKED_IN:
            # Translators: {time} is HH:MM, {desk} the name of the desk that checked them in.
            return _("already checked in at {time} (desk {desk}): {who}").format(
                time=self.local_time, desk=self.desk, who=self.who)
        if self.state is CheckInState.CANCELLED:
            status = vocabulary.status(self.status if self.status is not None else Status.CANCELLED).lower()
            # Translators: {status} is the registration's status in lower case ("cancelled", "declined").
            return _("{name} (badge {code}) is {status}; not checked in").format(
                name=self.name, code=self.code, status=status)
        shown = self.typed.strip()
        if not shown:
            return _("nothing was typed; not checked in")
        return _("no registration of this event has the badge code '{code}'; not checked in").format(code=shown)


@dataclass(frozen=True)
class UndoResult:
    registration_id: int
    name: str
    undone: uuid_mod.UUID
    checked_in: bool  # whether the person is still (or again) checked in after the undo


@dataclass(frozen=True)
class LastCheckIn:
    """The latest check-in a desk made that is not undone."""

    uuid: uuid_mod.UUID
    registration_id: int
    name: str
    at: dt.datetime


@dataclass(frozen=True)
class WalkInResult:
    check_in: CheckInResult
    registration_id: int
    code: str
    person_reused: bool       # the roster already had someone with this e-mail
    already_registered: bool  # … and they were registered for the event already


@dataclass(frozen=True)
class DeskCounts:
    """Checked in against expected (registered or confirmed, or in anyway), by sector."""

    checked_in: int
    expected: int
    registered: int
    by_sector: dict[Sector | None, tuple[int, int]]  # sector → (expected, checked in)

    @classmethod
    def of(cls, figures: Participation) -> DeskCounts:
        return cls(figures.checked_in, figures.expected, figures.registered, dict(figures.by_sector))

    def with_check_in(self, result: CheckInResult, *, new_registration: bool = False) -> DeskCounts:
        """These counts with ``result`` in them, without reading them again: a CHECKED_IN
        person was not in before (``check_in`` looked inside its lock), so one more is in,
        in their sector, and one more is expected unless their status expected them
        already. ``new_registration``: the check-in of a walk-in registered just now.
        Any other result changes nothing."""
        if result.state is not CheckInState.CHECKED_IN:
            return self
        more = 0 if result.status in EXPECTED and not new_registration else 1
        expected, checked = self.by_sector.get(result.sector, (0, 0))
        by_sector = {**self.by_sector, result.sector: (expected + more, checked + 1)}
        return DeskCounts(self.checked_in + 1, self.expected + more, self.registered + int(new_registration),
                          by_sector)


# == badge codes as typed ====================================================================

def desk_code(typed: str) -> str:
    """What a scanner or a person typed, as a stored badge code: spaces and dashes
    ignored, upper case; typed with a Russian or Kazakh layout on ("ФИС" for "ABC",
    "ә" for "2"), the keys' Latin characters (``name_match.latin_keys``)."""
    if len(typed) == LENGTH and _CODE_LETTERS.issuperset(typed):
        return typed  # as scanned: already a code (each step below would leave it as it is)
    return normalise_code(latin_keys(typed.strip()))


_CODE_LETTERS = frozenset(ALPHABET)


def _is_code(code: str) -> bool:
    return len(code) == LENGTH and _CODE_LETTERS.issuperset(code)


# == checking in ==============================================================================

_REG = Registration.__table__
_PERSON = Person.__table__
_ORG = Organisation.__table__
_EVENT = Event.__table__
_CI = CheckIn.__table__

# The registration, its person, organisation (and sector) and event's time zone, locked
# (PostgreSQL: FOR UPDATE OF registration; SQLite renders no clause: BEGIN IMMEDIATE holds
# the lock) — ``_check_in_sql``.
_WHO = (
    _REG.c.id, _REG.c.badge_code, type_coerce(_REG.c.status, String()), type_coerce(_REG.c.category, String()),
    _PERSON.c.given_name, _PERSON.c.family_name, type_coerce(_PERSON.c.display_name, String()),
    type_coerce(_ORG.c.name, String()), _EVENT.c.timezone, _REG.c.event_id, type_coerce(_ORG.c.sector, String()),
)
_WHO_FROM = (
    _REG.join(_PERSON, _PERSON.c.id == _REG.c.person_id)
    .outerjoin(_ORG, _ORG.c.id == _PERSON.c.organisation_id)
    .join(_EVENT, _EVENT.c.id == _REG.c.event_id)
)
_ROWS_OF_ONE = select(
    _CI.c.registration_id, _CI.c.id, type_coerce(_CI.c.uuid, String()), type_coerce(_CI.c.action, String()),
    type_coerce(_CI.c.undoes, String()), _CI.c.happened_at, _CI.c.desk,
).where(_CI.c.registration_id == bindparam("rid"))
_INSERT_CHECK_IN = insert(_CI)


@lru_cache(maxsize=2)
def _check_in_sql(dialect: str) -> tuple[str, str, str, str]:
    """The check-in's statements as the driver's text (``desktop.core.raw``): the locked
    registration by code and by id, its check-in rows, the new row. A check-in is a few
    index lookups: compiling and running them through SQLAlchemy cost more than they do."""
    by_code = (select(*_WHO).select_from(_WHO_FROM)
               .where(_REG.c.event_id == param("event_id"), _REG.c.badge_code == param("code"))
               .with_for_update(of=_REG))
    by_id = (select(*_WHO).select_from(_WHO_FROM)
             .where(_REG.c.event_id == param("event_id"), _REG.c.id == param("rid"))
             .with_for_update(of=_REG))
    rows = select(_CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes, _CI.c.happened_at,
                  _CI.c.desk).where(_CI.c.registration_id == param("rid"))
    new = insert(_CI).values(uuid=param("uuid"), registration_id=param("rid"), desk=param("desk"),
                             action=param("action"), happened_at=param("at"), recorded_at=param("at"))
    return tuple(compiled(stmt, dialect) for stmt in (by_code, by_id, rows, new))  # type: ignore[return-value]


@lru_cache(maxsize=4)
def _binders(dialect: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How the driver of ``dialect`` is handed a uuid and an instant of ``check_in``."""
    def of(column_: Any) -> Callable[[Any], Any]:
        return column_.type.dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)

    return of(_CI.c.uuid), _sqlite_instant if dialect.name == "sqlite" else of(_CI.c.happened_at)


def _sqlite_instant(value: Any) -> str:
    """An instant as ``UTCDateTime`` binds it on SQLite (naive UTC text, "YYYY-MM-DD
    HH:MM:SS.ffffff"; naive input refused), without its chain of type processors."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValueError("UTCDateTime needs an aware datetime")
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _execute(conn: Any, sql: str, params: dict[str, Any]) -> None:
    """Run a raw statement that returns no rows (as ``raw.fetch``, without fetching)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()

_CHECK_IN_TABLES = ("check_in",)
_IN, _OUT, _UNDO = CheckInAction.IN.value, CheckInAction.OUT.value, CheckInAction.UNDO.value
_STATUS = {s.value: s for s in Status}
_CATEGORY = {c.value: c for c in Category}
_SECTOR = {s.value: s for s in Sector}


def default_desk_name() -> str:
    """The desk's name when the user gives none (the window and the command line alike):
    this computer's name without its domain, else "Desk"."""
    name = (socket.gethostname() or "").split(".")[0].strip()[:DESK_NAME_LIMIT]
    return name or p_("desk name", "Desk")


def clean_desk_name(desk: str) -> str:
    """The desk's name as stored: spaces collapsed; a DeskError when empty or too long."""
    name = " ".join((desk or "").split())
    if not name:
        raise DeskError(_("The desk needs a name (for example the laptop's name or “Desk 1”)."))
    if len(name) > DESK_NAME_LIMIT:
        raise DeskError(n_("A desk name may have at most {n} character.",
                           "A desk name may have at most {n} characters.", DESK_NAME_LIMIT).format(n=DESK_NAME_LIMIT))
    return name


def _naive_utc(value: Any) -> dt.datetime:
    """A stored instant as aware UTC (raw values may be text on SQLite)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _current(conn: Any, registration_id: int) -> tuple[dt.datetime, str] | None:
    """When and where the registration was checked in, if it is in now (the rule of
    ``desktop.core.checkin.latest_arrivals``, on its rows as they are inside the lock)."""
    return latest_arrivals(conn.execute(_ROWS_OF_ONE, {"rid": registration_id}).all()).get(registration_id)


_ZONES: dict[str, dt.tzinfo] = {}


def _zone(name: str | None) -> dt.tzinfo:
    name = name or "UTC"
    zone = _ZONES.get(name)
    if zone is None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        _ZONES[name] = zone
    return zone


def _local_text(raw: Any) -> dict[str, str]:
    if not raw:
        return {}
    return dict(raw) if isinstance(raw, dict) else dict(json.loads(raw))


def _result(state: CheckInState, typed: str, row: Any, lang: str, *, at: dt.datetime | None = None,
            desk: str | None = None, uid: uuid_mod.UUID | None = None) -> CheckInResult:
    rid, code, status, category, given, family, display, org, zone, _event, sector = row
    local_time = ""
    if at is not None:
        local = at.astimezone(_zone(zone))
        local_time = f"{local.hour:02d}:{local.minute:02d}"  # strftime("%H:%M"), at a fifth of its cost
    # The JSON texts through raw's caches: an organisation's name repeats from check-in to check-in.
    return CheckInResult(
        state, typed, rid, code, full_name(given, family, None, local_text(display) or None, lang),
        text_of(org, lang), _CATEGORY[category], _STATUS[status], at, local_time, desk, uid,
        (_SECTOR.get(sector) or Sector(sector)) if sector else None,
    )


def _check_in_locked(conn: Any, event_id: int, target: str | int, desk: str, lang: str,
                     now: dt.datetime | None, uid: uuid_mod.UUID | None = None) -> CheckInResult:
    """The check-in, inside a write transaction on ``conn`` (``Database.write_raw()``'s, or
    a session's ``connection()``; used by ``check_in`` and ``walk_in``)."""
    by_code, by_id, rows_sql, insert_sql = _check_in_sql(conn.dialect.name)
    typed = str(target)
    found: list[Any] = []
    if isinstance(target, int):
        found = fetch(conn, by_id, {"event_id": event_id, "rid": target})
    else:
        code = desk_code(target)
        if _is_code(code):
            found = fetch(conn, by_code, {"event_id": event_id, "code": code})
    if not found:
        return CheckInResult(CheckInState.NOT_REGISTERED, typed)
    row = found[0]
    # Inside the lock: the state as the last writer left it.
    arrived = latest_arrivals(fetch(conn, rows_sql, {"rid": row[0]})).get(row[0])
    if arrived is not None:
        return _result(CheckInState.ALREADY_CHECKED_IN, typed, row, lang, at=arrived[0], desk=arrived[1])
    if _STATUS[row[2]] in NOT_ADMITTED:
        return _result(CheckInState.CANCELLED, typed, row, lang)
    now = now or utcnow()
    uid = uid or uuid_mod.uuid4()
    bind_uuid, bind_instant = _binders(conn.dialect)
    _execute(conn, insert_sql, {"uuid": bind_uuid(uid), "rid": row[0], "desk": desk, "action": _IN,
                                "at": bind_instant(now)})
    return _result(CheckInState.CHECKED_IN, typed, row, lang, at=now, desk=desk, uid=uid)


def check_in(database: Database, event_id: int, code_or_registration_id: str | int, desk: str, *,
             lang: str = "en", now: dt.datetime | None = None, uid: uuid_mod.UUID | None = None) -> CheckInResult:
    """Check in the person with this badge code (as typed or scanned) or registration id.

    One transaction, committed before this returns: a CHECKED_IN result is on disk. A
    person already in gets ALREADY_CHECKED_IN (with when and where), a cancelled or
    declined registration CANCELLED, an unknown code NOT_REGISTERED; those write nothing.
    ``uid`` names the row a CHECKED_IN writes (a new uuid when None): a desk that asked the
    server and had no answer checks the person in on its local copy under the same uuid
    (``desktop.core.offline_desk``), so the two can never count twice.
    """
    desk = clean_desk_name(desk)
    with database.write_raw() as conn:
        result = _check_in_locked(conn, event_id, code_or_registration_id, desk, lang, now, uid)
        if result.state is CheckInState.CHECKED_IN and database.dialect == "postgresql":
            announce(conn, _CHECK_IN_TABLES)  # the other workstations' desk figures and lists
        return result


# == undo =====================================================================================

_TARGET = (
    select(_CI.c.id, _CI.c.registration_id, type_coerce(_CI.c.action, String()), _PERSON.c.given_name,
           _PERSON.c.family_name, type_coerce(_PERSON.c.display_name, String()))
    .select_from(_CI.join(_REG, _REG.c.id == _CI.c.registration_id).join(_PERSON, _PERSON.c.id == _REG.c.person_id))
    .where(_CI.c.uuid == bindparam("uuid"))
)
_LOCK_REGISTRATION = select(_REG.c.id).where(_REG.c.id == bindparam("rid")).with_for_update()


def undo_check_in(database: Database, check_in_uuid: uuid_mod.UUID, desk: str, *,
                  lang: str = "en", now: dt.datetime | None = None) -> UndoResult:
    """Take back a check-in (or check-out) by appending an UNDO row that names it; nothing
    is deleted. A DeskError when the row is unknown, is itself an undo, or is undone."""
    desk = clean_desk_name(desk)
    with database.write() as session:
        conn = session.connection()
        target = conn.execute(_TARGET, {"uuid": check_in_uuid}).first()
        if target is None:
            raise DeskError(_("That check-in is not in the database; nothing was undone."))
        _cid, rid, action, given, family, display = target
        name = full_name(given, family, None, _local_text(display) or None, lang)
        if action == _UNDO:
            raise DeskError(_("An undo cannot itself be undone here; check the person in again instead."))
        conn.execute(_LOCK_REGISTRATION, {"rid": rid})
        rows = conn.execute(_ROWS_OF_ONE, {"rid": rid}).all()
        wanted = check_in_uuid.hex
        if any(r[3] == _UNDO and r[4] is not None and _hex(r[4]) == wanted for r in rows):
            raise DeskError(_("This check-in has been undone already."))
        now = now or utcnow()
        uid = uuid_mod.uuid4()
        conn.execute(_INSERT_CHECK_IN, {
            "uuid": uid, "registration_id": rid, "desk": desk, "action": CheckInAction.UNDO,
            "undoes": check_in_uuid, "happened_at": now, "recorded_at": now,
        })
        still_in = _current(conn, rid) is not None
        announce(session, _CHECK_IN_TABLES)
    return UndoResult(rid, name, check_in_uuid, still_in)


def _hex(value: Any) -> str:
    """A uuid as read raw (text on SQLite, a UUID from PostgreSQL) as 32 hex digits."""
    return value.hex if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value)).hex


def last_check_in_of_desk(session: OrmSession, event_id: int, desk: str, *,
                          lang: str = "en") -> LastCheckIn | None:
    """The latest check-in (IN) this desk recorded for the event that no UNDO row names:
    what "Undo the last check-in" takes back."""
    undo = _CI.alias("undo")
    not_undone = ~select(undo.c.id).where(
        undo.c.registration_id == _CI.c.registration_id, undo.c.action == CheckInAction.UNDO,
        undo.c.undoes == _CI.c.uuid).exists()
    row = session.execute(
        select(_CI.c.uuid, _CI.c.registration_id, _CI.c.happened_at, _PERSON.c.given_name,
               _PERSON.c.family_name, _PERSON.c.display_name)
        .select_from(_CI.join(_REG, _REG.c.id == _CI.c.registration_id)
                     .join(_PERSON, _PERSON.c.id == _REG.c.person_id))
        .where(_REG.c.event_id == event_id, _CI.c.desk == " ".join(desk.split()),
               _CI.c.action == CheckInAction.IN, not_undone)
        .order_by(_CI.c.recorded_at.desc(), _CI.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    uid, rid, happened, given, family, display = row
    return LastCheckIn(uid, rid, full_name(given, family, None, display or None, lang), _naive_utc(happened))


# == walk-ins =================================================================================


def walk_in(database: Database, event_id: int, given_name: str, family_name: str,
            organisation_name: str | None, category: Category, desk: str, email: str | None = None, *,
            patronymic: str | None = None, lang: str = "en", sector: Sector = Sector.OTHER,
            now: dt.datetime | None = None, uid: uuid_mod.UUID | None = None) -> WalkInResult:
    """Register someone who came without registering, give them a badge code and check
    them in: one transaction. The roster's person with the same e-mail is used when there
    is one (and their registration, if they are registered already); an organisation of
    the same name (any language, any case) is used rather than a twin. ``patronymic`` is
    kept with a new person (Russian and Kazakh lists print it).

    ``uid`` names what the walk-in makes (the check-in ``uid``, the person and registration
    uuids derived from it): a desk that asked the server and had no answer registers the
    person on its local copy under the same names (``desktop.core.offline_desk``), so a
    server that did commit after all holds them once when the copy is merged."""
    from desktop.core.organisations import find_or_create_organisation

    desk = clean_desk_name(desk)
    given, family = " ".join((given_name or "").split()), " ".join((family_name or "").split())
    middle = " ".join((patronymic or "").split()) or None
    if not (given or family):
        raise DeskError(_("A walk-in needs a given name or a family name."))
    if len(given) > NAME_MAX or len(family) > NAME_MAX or len(middle or "") > NAME_MAX:
        raise DeskError(n_("A name may have at most {n} character.", "A name may have at most {n} characters.",
                           NAME_MAX).format(n=NAME_MAX))
    try:
        category = Category(category)
    except ValueError:
        raise DeskError(_("“{category}” is not a registration category.").format(category=category)) from None
    mail = (email or "").strip() or None
    if mail is not None and (problem := email_problem(mail)):
        raise DeskError(problem)
    org_name = " ".join((organisation_name or "").split())
    for attempt in range(3):  # a badge code another desk took at the same instant: draw again
        try:
            with database.write() as session:
                if session.scalar(select(_EVENT.c.id).where(_EVENT.c.id == event_id)) is None:
                    raise DeskError(_("The event is no longer in the database."))
                person_id = None
                if mail is not None:
                    # Two desks registering the same e-mail at the same instant: one waits
                    # for the other's commit, then finds the person it made.
                    _lock_email(session, mail)
                    person_id = session.scalar(
                        select(_PERSON.c.id).where(func.lower(_PERSON.c.email) == mail.lower())
                        .order_by(_PERSON.c.id).limit(1))
                reused = person_id is not None
                stamp = now or utcnow()
                registration_id = None
                if person_id is None:
                    org_id = None
                    if org_name:
                        org_id, _made = find_or_create_organisation(session, org_name, sector=sector)
                    person_id = inserted_id(session.execute(insert(_PERSON).values(
                        uuid=uuid_mod.uuid5(uid, "person") if uid is not None else uuid_mod.uuid4(),
                        given_name=given, family_name=family, patronymic=middle,
                        display_name={},
                        position={}, bio={}, organisation_id=org_id, email=mail,
                        created_at=stamp, updated_at=stamp,
                    )))
                    store_sort_keys(session, [person_id])
                else:
                    registration_id = session.scalar(select(_REG.c.id).where(
                        _REG.c.event_id == event_id, _REG.c.person_id == person_id))
                already = registration_id is not None
                if registration_id is None:
                    code = _fresh_code(session, event_id, uid)
                    registration_id = inserted_id(session.execute(insert(_REG).values(
                        uuid=uuid_mod.uuid5(uid, "registration") if uid is not None else uuid_mod.uuid4(),
                        event_id=event_id, person_id=person_id, category=category,
                        status=Status.REGISTERED, badge_code=code, source=Source.DESK, source_desk=desk,
                        created_at=stamp, updated_at=stamp,
                    )))
                result = _check_in_locked(session.connection(), event_id, int(registration_id), desk, lang, now, uid)
                announce(session, ("registration", "person", "check_in"))
                return WalkInResult(result, int(registration_id), result.code or "", reused, already)
        except IntegrityError:
            if attempt == 2:
                raise DeskError(_("The walk-in could not be saved: another desk changed the same "
                                  "records at the same moment; try again.")) from None
    raise AssertionError("unreachable")


def email_lock_key(email: str) -> int:
    """The PostgreSQL advisory lock key of an e-mail address (case folded as the roster
    lookup folds it): a signed 64-bit number from its BLAKE2b digest."""
    import hashlib

    digest = hashlib.blake2b(b"conference-desk/person-email\0" + email.strip().lower().encode("utf-8"),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock_email(session: OrmSession, email: str) -> None:
    """Serialise the making of a person with this e-mail until the transaction ends
    (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises every writer already)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger))),
                     {"key": email_lock_key(email)})


def _fresh_code(session: OrmSession, event_id: int, uid: uuid_mod.UUID | None = None) -> str:
    """A badge code no registration of the event has; with ``uid`` (a walk-in's), the codes
    are drawn from it, so that the same walk-in made on the server and on a desk's local copy
    gets the same code (and the badge printed at the desk is the one the server knows)."""
    import random

    codes = BadgeCodes(rng=random.Random(uid.int) if uid is not None else None)
    while True:
        code = codes.new()
        if session.scalar(select(_REG.c.id).where(_REG.c.event_id == event_id, _REG.c.badge_code == code)) is None:
            return code


# == counts ===================================================================================


def desk_counts(session: OrmSession, event_id: int) -> DeskCounts:
    """Checked in against expected, in all and by sector."""
    return DeskCounts.of(participation(session, event_id))


# == finding people as they are typed =========================================================

_CODE_ROW = select(_REG.c.id).where(_REG.c.event_id == bindparam("event_id"), _REG.c.badge_code == bindparam("code"))


def desk_matches(session: OrmSession, event_id: int, typed: str, limit: int = 8,
                 lang: str = "en") -> list[RegistrationRow]:
    """Who the desk may mean by ``typed``, best first (at most ``limit``): the registration
    list's search (``desktop.core.registrations``), ranked —

    1. the registration whose badge code it is (typed exactly, on any layout);
    2. the list's search of the text as typed (words beginning names, e-mail,
       organisation names; a code's first characters);
    3. the same search of it read on the other keyboard layouts (``name_match``);
    4. the rest of what the list finds: names and organisations spelled alike in the other
       alphabet ("zhienbayev" for "Жиенбаев"), of the text and of its other readings.
    """
    typed = " ".join(typed.split())
    if not typed or limit <= 0:
        return []
    ids: list[int] = []
    code = desk_code(typed)
    if _is_code(code):
        rid = session.connection().execute(_CODE_ROW, {"event_id": event_id, "code": code}).scalar()
        if rid is not None:
            ids.append(int(rid))
    found_rows: dict[int, RegistrationRow] = {}
    searches = [RegistrationFilter(search=typed, exact=True),
                *(RegistrationFilter(search=r.text, exact=True) for r in meaning(typed).other_layouts),
                RegistrationFilter(search=typed)]
    for flt in searches:
        if len(ids) >= limit:
            break
        # The list's first rows: of a search that finds more (the last one finds all the
        # others find), they hold at least as many new people as there are places left.
        page = find_registrations(session, event_id, flt, limit=limit, lang=lang, total=-1)
        for row in page.rows:
            if row.id not in found_rows:
                found_rows[row.id] = row
                if row.id not in ids:
                    ids.append(row.id)
    ids = ids[:limit]
    missing = [rid for rid in ids if rid not in found_rows]  # the badge code's, not searched
    if missing:
        found_rows.update((row.id, row) for row in rows_for_ids(session, missing, lang))
    return [found_rows[rid] for rid in ids if rid in found_rows]


__all__ = [
    "CheckInResult",
    "CheckInState",
    "DeskCounts",
    "DeskError",
    "LastCheckIn",
    "UndoResult",
    "WalkInResult",
    "check_in",
    "clean_desk_name",
    "desk_code",
    "desk_counts",
    "desk_matches",
    "last_check_in_of_desk",
    "undo_check_in",
    "walk_in",
]
