"""Desk files: an event carried to a desk that has no network, and its work brought back.

``export_desk_file(database, path, event_id)`` writes a new SQLite file holding one event —
its rooms, partners, programme, registrations, the people in them (and the speakers of its
programme) with their organisations, and the check-ins and badges printed so far — every
row with the *same UUID* as in the database it came from (integer ids may differ later; UUIDs are how rows
are matched). It is a complete Conference Desk database: a desk opens it with
``conference-desk --db FILE`` (or File → Open database…) and checks people in on it.

``merge_desk_file(database, path)`` brings back, in one transaction:

* the desk's check-ins — append-only rows, matched by UUID: one already here is skipped,
  so merging the same file twice changes nothing; the badges it printed (``badge_print``,
  ``desktop.core.badge_prints``) the same way;
* the registrations the desk made (walk-ins), with their people and organisations. A new
  person whose e-mail is already in the roster is linked to that person rather than added
  twice; a walk-in whose badge code another registration got meanwhile gets a fresh code;
  both are reported. A walk-in who turns out to be registered here already keeps that
  registration, and the desk's check-ins go to it.

The one transaction is short: the file is verified and read, and what this database holds
already is read from a snapshot of it, before the transaction begins; the transaction
reads only what others wrote since (``_Prepared``) and writes. On SQLite, where one writer
at a time holds the lock, the other desks' check-ins wait for that part only — some 0.8 s
for a file of 60,000 check-ins on a busy 2-core machine, where they waited 5 s (and failed
with "database is locked" at 10 s) when the whole merge was one locked transaction. It
stays all-or-nothing: a merge killed at any moment leaves nothing, and the next brings
everything once.

People checked in both at the desk and elsewhere (an IN from the file and an IN not from
the file, neither undone) are *conflicts*: both records are kept — check-ins are never
deleted — and the report lists them. A registration's state is derived from its rows, so
such a person counts once.

What marks a desk file, without a change to the app's schema: SQLite's own header field for
this purpose, ``PRAGMA application_id`` = ``APPLICATION_ID`` ("CDKF"), and a small table
``desk_file`` (key, value) of the file only — the event's UUID, when and from which database
it was exported. Neither is in a main database; the models and migrations are untouched.

A desk file is signed with a key only the exporting database holds, and what the desk
changes is sealed as it is made (``desktop.core.desk_signing``: what is signed, how, and
what that can and cannot guarantee). A merge checks both, and then every field of the rows
the desk made (``desktop.core.desk_file_checks``), before it writes anything: a file another
database wrote, one edited with another program, one not signed (written before signing),
or one with a bad field is refused with one sentence naming the file (and the table, row
and field), never a person's name or e-mail.

Exports are written to a temporary file in the target's folder and renamed into place
when complete (journal mode DELETE, so the one file is all there is): a failure or a
cancel leaves nothing. From a SQLite database the rows never leave SQLite (``ATTACH`` and
``INSERT … SELECT``); from PostgreSQL the server hands every value over as SQLite stores it
and the rows go in as plain tuples with ``executemany`` (a test checks the bytes match what
the ORM writes). Both in chunks, with a progress callback that may cancel.

Reports and errors speak the interface language (``desktop.core.language``); a report's
sentences are made when ``summary()`` or ``lines()`` is asked, so the window and the
command line get them in the language they speak.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
import time
import uuid as uuid_mod
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    MetaData,
    Select,
    String,
    Table,
    cast,
    create_engine,
    event,
    func,
    insert,
    null,
    or_,
    select,
    type_coerce,
    union,
)
from sqlalchemy.pool import NullPool, PoolProxiedConnection

from db.engine import SQLITE_MAGIC, Database, DatabaseError, open_database
from db.models import (
    AgendaItem,
    AgendaSession,
    BadgePrint,
    CheckIn,
    CheckInAction,
    Event,
    EventOrganisation,
    Organisation,
    Person,
    Registration,
    Role,
    Room,
    Source,
)
from db.results import inserted_id
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from db.types import utcnow
from desktop.core import formats
from desktop.core.codes import BadgeCodes
from desktop.core.collation import store_sort_keys
from desktop.core.desk_signing import SIGNED_FORMAT, DeskFileRefused, database_key, sign, signed_tables, verify
from desktop.core.files import atomic_file
from desktop.core.i18n import full_name, text
from desktop.core.language import _, interface_language, n_, p_

SUFFIX = ".deskdb"
"""The extension the GUI gives desk files (any name works: the file's header says what it is)."""

APPLICATION_ID = 0x4344_4B46  # "CDKF": SQLite's header field for the application's file type
META_TABLE = "desk_file"
FORMAT = SIGNED_FORMAT  # "1": written before desk files were signed (refused by a merge)
CHUNK_SIZE = 2000

Progress = Callable[[int, int], "bool | None"]
"""``progress(done, total)``: rows written so far and in all; return ``False`` to cancel."""

_ORG: Table = Organisation.__table__
_PERSON: Table = Person.__table__
_EVENT: Table = Event.__table__
_ROOM: Table = Room.__table__
_PARTNER: Table = EventOrganisation.__table__
_SESSION: Table = AgendaSession.__table__
_ITEM: Table = AgendaItem.__table__
_ROLE: Table = Role.__table__
_REG: Table = Registration.__table__
_CHECK_IN: Table = CheckIn.__table__
_BADGE_PRINT: Table = BadgePrint.__table__


class DeskFileError(Exception):
    """The desk file cannot be written or merged; the message is one sentence naming it."""


class DeskFileExists(DeskFileError):
    """The export's target exists and overwriting was not asked for."""


class NotADeskFile(DeskFileError):
    """The file is not a Conference Desk desk file (not SQLite, another program's, a plain database)."""


class WrongEvent(DeskFileError):
    """The desk file belongs to an event this database does not hold, or not the one asked for."""


class TamperedDeskFile(DeskFileError):
    """The desk file is not signed by this database, was edited after its export by another
    program, is not signed at all, or holds a field a merge cannot take."""


class DeskFileCancelled(Exception):
    """The export stopped at the caller's request (no file was left), or the merge did
    before its write transaction began (nothing was written)."""


# == reports ====================================================================================


def _title(title: Mapping[str, str] | None) -> str:
    """An event's title in the interface language (another when it has none in it)."""
    return text(title, interface_language()) or _("Untitled event")


def _n(n: int) -> str:
    return formats.number(n)


def _registrations(n: int) -> str:
    return n_("{n} registration", "{n} registrations", n).format(n=_n(n))


def _people(n: int) -> str:
    return n_("{n} person", "{n} people", n).format(n=_n(n))


@dataclass(frozen=True)
class DeskFileReport:
    """What ``export_desk_file`` wrote."""

    path: Path
    event_title: dict[str, str]
    registrations: int
    people: int
    organisations: int
    check_ins: int
    seconds: float

    def summary(self) -> str:
        # Translators: {registrations}, {people}, {check_ins} are counts ("120 registrations").
        return _("Desk file {file} written: {registrations}, {people}, {check_ins}.").format(
            file=self.path.name, registrations=_registrations(self.registrations), people=_people(self.people),
            check_ins=n_("{n} check-in", "{n} check-ins", self.check_ins).format(n=_n(self.check_ins)))

    def lines(self) -> list[str]:
        return [
            _("Event: {title}").format(title=_title(self.event_title)),
            _("File: {path}").format(path=self.path),
            _("Registrations: {registrations}; people: {people}; organisations: {organisations}; "
              "check-ins so far: {check_ins}").format(
                registrations=_n(self.registrations), people=_n(self.people),
                organisations=_n(self.organisations), check_ins=_n(self.check_ins)),
            _("At the other desk: conference-desk --db \"{path}\" (or File → Open database…); "
              "afterwards bring it back with desk-merge (File → Merge Desk File…).").format(path=self.path),
        ]


@dataclass(frozen=True)
class DeskFileInfo:
    """What a desk file says about itself (read without changing it)."""

    path: Path
    event_uuid: uuid_mod.UUID
    event_title: dict[str, str]
    exported_at: dt.datetime | None
    source: str
    revision: str
    exported_check_in_top: int = 0
    """The highest check-in id the file held when it was written: rows up to it came from
    the main database with the file; rows above it were made at the desk."""
    exported_registration_top: int | None = None
    """The same for registrations (None in files written before it was recorded)."""
    meta: Mapping[str, str] = field(default_factory=dict, repr=False)
    """The file's description as written (signed; ``desktop.core.desk_signing``)."""


@dataclass(frozen=True)
class LinkedPerson:
    """A person added at the desk whose e-mail was already in the roster: linked, not added."""

    desk_name: str
    roster_name: str
    email: str


@dataclass(frozen=True)
class CodeChange:
    """A walk-in whose badge code another registration had taken meanwhile."""

    name: str
    desk_code: str
    new_code: str


@dataclass(frozen=True)
class JoinedRegistration:
    """A walk-in who was registered here already: the desk's check-ins went to that registration."""

    name: str
    code: str


@dataclass(frozen=True)
class Conflict:
    """A person checked in at the desk and elsewhere too (both records are kept)."""

    name: str
    code: str
    desk: str            # the desk file's check-in: desk name and time (aware UTC)
    desk_at: dt.datetime
    other_desk: str      # the earliest check-in from elsewhere
    other_at: dt.datetime


@dataclass
class MergeReport:
    """What ``merge_desk_file`` did (or, with ``dry_run``, would do)."""

    path: Path
    event_id: int
    event_title: dict[str, str]
    timezone: str = "UTC"
    dry_run: bool = False
    desks: tuple[str, ...] = ()
    new_check_ins: int = 0
    new_badge_prints: int = 0  # badges the desk printed (``desktop.core.badge_prints``)
    already_present: int = 0  # check-ins made at the desk that an earlier merge brought
    walk_ins_added: int = 0
    people_added: int = 0
    organisations_added: int = 0
    people_linked: list[LinkedPerson] = field(default_factory=list)
    joined: list[JoinedRegistration] = field(default_factory=list)
    codes_changed: list[CodeChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    deleted_here: int = 0  # registrations the file came with, deleted here since: not restored
    restored: list[str] = field(default_factory=list)  # such registrations checked in at the desk: restored
    edit: uuid_mod.UUID | None = None  # its lines in the history (None: a dry run, or nothing new)

    @property
    def changes(self) -> int:
        """How many rows the merge adds (0: the file brings nothing new)."""
        return (self.new_check_ins + self.new_badge_prints + self.walk_ins_added + self.people_added
                + self.organisations_added)

    def local_time(self, at: dt.datetime) -> str:
        try:
            zone: dt.tzinfo = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        return f"{at.astimezone(zone):%H:%M}"

    def summary(self) -> str:
        """One line: what the merge brings (or brought), counted."""
        n = self.new_check_ins
        parts = [n_("{n} new check-in", "{n} new check-ins", n).format(n=_n(n))]
        if self.already_present:  # the desk's own rows, brought by an earlier merge
            n = self.already_present
            parts.append(n_("{n} merged before", "{n} merged before", n).format(n=_n(n)))
        n = self.walk_ins_added
        parts.append(n_("{n} walk-in added", "{n} walk-ins added", n).format(n=_n(n)))
        if self.people_linked:
            n = len(self.people_linked)
            parts.append(n_("{n} person linked to the roster", "{n} people linked to the roster", n).format(n=_n(n)))
        n = len(self.conflicts)
        parts.append(n_("{n} conflict", "{n} conflicts", n).format(n=_n(n)))
        # Translators: {counts} is a list of counts joined by commas ("4 new check-ins, 1 walk-in added, …").
        lead = _("Would merge {file}: {counts}.") if self.dry_run else _("Merged {file}: {counts}.")
        return lead.format(file=self.path.name, counts=", ".join(parts))

    def lines(self, *, conflicts: bool = True) -> list[str]:
        """The details: every link, code change and (unless ``conflicts`` is false: a table
        shows them) conflict, one line each."""
        out: list[str] = []
        if self.desks:
            out.append(_("New check-ins from: {desks}").format(desks=", ".join(self.desks)))
        if self.people_added or self.organisations_added:
            n = self.organisations_added
            out.append(_("Added to the roster: {people}, {organisations}").format(
                people=_people(self.people_added),
                organisations=n_("{n} organisation", "{n} organisations", n).format(n=_n(n))))
        for link in self.people_linked:
            # Translators: {name} as the desk typed it, {email} the address, {roster_name} the roster's record.
            out.append(_("Linked: {name} <{email}> is {roster_name} of the roster (same e-mail), not added "
                         "again").format(name=link.desk_name, email=link.email, roster_name=link.roster_name))
        for joined in self.joined:
            out.append(_("Already registered: {name} (badge {code}); the desk's check-ins were added to that "
                         "registration").format(name=joined.name, code=joined.code))
        for change in self.codes_changed:
            out.append(_("New badge code: {name} had {desk_code} at the desk, which is taken here; now "
                         "{new_code} (reprint the badge)").format(
                name=change.name, desk_code=change.desk_code, new_code=change.new_code))
        for name in self.restored:
            out.append(_("Restored: {name} was deleted here after the desk file was made, but was checked in "
                         "at the desk; the registration and the check-in were brought back").format(name=name))
        if self.deleted_here:
            n = self.deleted_here
            out.append(n_("Not restored: {n} registration deleted here after the desk file was made (not "
                          "checked in at the desk)",
                          "Not restored: {n} registrations deleted here after the desk file was made (not "
                          "checked in at the desk)", n).format(n=_n(n)))
        for c in self.conflicts if conflicts else ():
            # Translators: {desk} and {other_desk} are desk names, {desk_time} and {other_time} HH:MM.
            out.append(_("Conflict: {name} (badge {code}) checked in at {desk} at {desk_time} and at "
                         "{other_desk} at {other_time}; both records kept, counted once").format(
                name=c.name, code=c.code, desk=c.desk, desk_time=self.local_time(c.desk_at),
                other_desk=c.other_desk, other_time=self.local_time(c.other_at)))
        return out


# == the marker ===================================================================================


def _journals(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def _remove_quietly(path: Path) -> None:
    for p in (path, *_journals(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _application_id(path: Path) -> int | None:
    """The ``application_id`` of a SQLite file's header (bytes 68–71), or None if not SQLite."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise DeskFileError(_("{path} cannot be read: {reason}.").format(path=path, reason=exc.strerror or exc)) \
            from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(head[68:72], "big")


def _readonly_engine(path: Path) -> Engine:
    """An engine that reads ``path`` and cannot write it; each ``begin()`` is one snapshot."""
    journal = any(p.exists() for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")))
    uri = f"{path.as_uri()}?mode=ro" + ("" if journal else "&immutable=1")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _unreadable(path: Path) -> str:
    """A SQLite file that SQLite cannot read as a desk file (damaged, or not ours); the
    driver's own words are English and technical, so they are left out."""
    return _("{path} is not a Conference Desk desk file, or it is damaged: SQLite cannot read it.").format(path=path)


def read_desk_file_info(path: str | os.PathLike[str]) -> DeskFileInfo:
    """What the desk file at ``path`` holds; raises ``NotADeskFile`` (one sentence naming the
    file) for anything else. Writes nothing."""
    p = Path(path).expanduser().resolve()
    if not p.exists():
        raise NotADeskFile(_("{path} does not exist.").format(path=p))
    if p.is_dir():
        raise NotADeskFile(_("{path} is a folder, not a desk file.").format(path=p))
    app_id = _application_id(p)
    if app_id is None:
        raise NotADeskFile(_("{path} is not a Conference Desk desk file (it is not a SQLite database).").format(path=p))
    engine = _readonly_engine(p)
    try:
        with engine.connect() as conn:
            tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
            if "alembic_version" not in tables:
                raise NotADeskFile(_("{path} is another program's SQLite file, not a Conference Desk desk "
                                     "file.").format(path=p))
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if META_TABLE not in tables or app_id != APPLICATION_ID:
                raise NotADeskFile(_(
                    "{path} is a Conference Desk database, not a desk file: make desk files with "
                    "desk-export (File → Export Desk File…).").format(path=p))
            if revision not in KNOWN_REVISIONS:
                raise NotADeskFile(_("{path} was written by a newer Conference Desk (schema {revision}); "
                                     "update this app to merge it.").format(path=p, revision=revision))
            meta: dict[str, Any] = dict(conn.exec_driver_sql(f"SELECT key, value FROM {META_TABLE}").all())
            try:
                event_uuid = uuid_mod.UUID(str(meta.get("event_uuid")))
            except ValueError:
                raise NotADeskFile(_("{path} is a damaged desk file (it does not name its event).")
                                   .format(path=p)) from None
            row = conn.execute(select(_EVENT.c.title).where(_EVENT.c.uuid == event_uuid)).first()
            if row is None:
                raise NotADeskFile(_("{path} is a damaged desk file (its event is missing).").format(path=p))
    except sqlite3.DatabaseError:  # raw driver errors through exec_driver_sql
        raise NotADeskFile(_unreadable(p)) from None
    except DeskFileError:
        raise
    except Exception as exc:  # SQLAlchemy wraps driver errors
        if isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError):
            raise NotADeskFile(_unreadable(p)) from None
        raise
    finally:
        engine.dispose()
    exported_at = None
    with contextlib.suppress(ValueError, TypeError):
        exported_at = dt.datetime.fromisoformat(str(meta.get("exported_at")))
    top = 0
    with contextlib.suppress(ValueError, TypeError):
        top = int(str(meta.get("check_in_top", 0)))
    reg_top: int | None = None
    with contextlib.suppress(ValueError, TypeError):
        reg_top = int(str(meta["registration_top"])) if "registration_top" in meta else None
    return DeskFileInfo(p, event_uuid, dict(row[0] or {}), exported_at, str(meta.get("source", "")), str(revision),
                        top, reg_top, {str(k): str(v) for k, v in meta.items()})


# == export ======================================================================================


def _tables_in(schema: str | None) -> dict[str, Table]:
    """The app's tables, or copies of them in the attached database ``schema``."""
    tables = {m.__table__.name: m.__table__ for m in (Organisation, Person, Event, EventOrganisation, Room,
                                                      AgendaSession, AgendaItem, Role, Registration, CheckIn,
                                                      BadgePrint)}
    if schema is None:
        return tables
    meta = MetaData()
    return {name: t.to_metadata(meta, schema=schema) for name, t in tables.items()}


def _sqlite(conn: PoolProxiedConnection) -> sqlite3.Connection:
    """The sqlite3 connection under a pooled one (a desk file is always SQLite)."""
    driver = conn.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError(f"expected a SQLite connection, got {type(driver).__name__}")
    return driver


def _name(column: ColumnElement[Any]) -> str:
    """The name of a column a desk file's select reads (a table's column or a label)."""
    if column.key is None:
        raise TypeError(f"a column of a desk file has no name: {column!r}")
    return column.key


def _names(stmt: Select[Any]) -> list[str]:
    """The names of the columns ``stmt`` reads, in order."""
    return [_name(c) for c in stmt.selected_columns]


def _event_selects(event_id: int, t: Mapping[str, Table], people: Select[Any] | None = None,
                   registrations: Select[Any] | None = None) -> list[tuple[Table, Table, Select[Any]]]:
    """What a desk file holds, table by table, in an order that keeps foreign keys whole:
    (table of the desk file, table read, what to read). ``people`` and ``registrations``
    may give the ids of the event's people and registrations (``_event_ids``: read once)
    in place of the subqueries that find them."""
    org, person, ev, partner, room = t["organisation"], t["person"], t["event"], t["event_organisation"], t["room"]
    sess, item, role, reg, ci = t["session"], t["agenda_item"], t["role"], t["registration"], t["check_in"]
    printed = t["badge_print"]
    sessions = select(sess.c.id).where(sess.c.event_id == event_id)
    items = select(item.c.id).where(item.c.event_id == event_id)
    role_filter = or_(role.c.session_id.in_(sessions), role.c.item_id.in_(items))
    person_ids: Any = people if people is not None else union(
        select(reg.c.person_id).where(reg.c.event_id == event_id),
        select(role.c.person_id).where(role_filter),
    )
    reg_ids = registrations if registrations is not None else select(reg.c.id).where(reg.c.event_id == event_id)
    partner_orgs = select(partner.c.organisation_id).where(partner.c.event_id == event_id)
    people_orgs = select(person.c.organisation_id).where(person.c.id.in_(person_ids))
    # Logos only of the event's partners (badges and sheets print those); the rest stay home,
    # as do the people's photos.
    orgs = select(*[c for c in org.c if c.key != "logo"], null().label("logo")).where(
        org.c.id.in_(people_orgs), org.c.id.not_in(partner_orgs))
    people = select(*[c for c in person.c if c.key != "photo"], null().label("photo")).where(
        person.c.id.in_(person_ids))
    return [
        (_ORG, org, orgs),
        (_ORG, org, select(org).where(org.c.id.in_(partner_orgs))),
        (_PERSON, person, people),
        (_EVENT, ev, select(ev).where(ev.c.id == event_id)),
        (_ROOM, room, select(room).where(room.c.event_id == event_id)),
        (_PARTNER, partner, select(partner).where(partner.c.event_id == event_id)),
        (_SESSION, sess, select(sess).where(sess.c.event_id == event_id)),
        (_ITEM, item, select(item).where(item.c.event_id == event_id)),
        (_ROLE, role, select(role).where(role_filter)),
        (_REG, reg, select(reg).where(reg.c.event_id == event_id)),
        (_CHECK_IN, ci, select(ci).where(ci.c.registration_id.in_(reg_ids))),
        (_BADGE_PRINT, printed, select(printed).where(printed.c.registration_id.in_(reg_ids))),
    ]


class _Tally:
    """Rows written per table and in all; asks ``progress`` whether to go on."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: Table, rows: int) -> None:
        self.counts[table.name] += rows
        self.done += rows
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise DeskFileCancelled()


def _count_all(conn: Connection, plan: Sequence[tuple[Table, Table, Select[Any]]]) -> int:
    return sum(int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar() or 0)
               for _dest, _src, stmt in plan)


def _plain_columns(stmt: Select[Any], dest: Table) -> tuple[list[Any], list[tuple[int, Callable[[Any], Any]]]]:
    """The columns of ``stmt`` (a read of PostgreSQL) as the values SQLite stores, made by
    the server: uuids as 32 hex digits, enums as their text, times as SQLAlchemy writes them
    on SQLite ("YYYY-MM-DD HH:MM:SS.ffffff"), dates ISO. JSON comes as its text; the second
    list says which of them Python re-serialises, with SQLite's own bind processor of the
    column (json.dumps, and LocalText's cleaning), so the bytes are those the ORM writes."""
    from sqlalchemy import JSON, Date, DateTime, Enum, Text, Uuid
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    columns: list[Any] = []
    convert: list[tuple[int, Callable[[Any], Any]]] = []
    for i, col in enumerate(stmt.selected_columns):
        kind = dest.c[_name(col)].type
        impl = kind.impl if hasattr(kind, "impl") and not isinstance(kind, Enum) else kind
        if col.type._isnull:  # noqa: SLF001 — the logo/photo left at home
            expr: Any = col
        elif isinstance(impl, Uuid):
            expr = func.replace(cast(col, Text), "-", "")
        elif isinstance(impl, JSON):
            expr = cast(col, Text)
            bind = kind._cached_bind_processor(dialect)  # noqa: SLF001 — SQLAlchemy's own, as the ORM
            convert.append((i, _json_writer(bind)))
        elif isinstance(impl, DateTime):
            expr = func.to_char(col, "YYYY-MM-DD HH24:MI:SS.US")
        elif isinstance(impl, Date):
            expr = func.to_char(col, "YYYY-MM-DD")
        elif isinstance(impl, Enum):
            expr = cast(col, Text)
        else:
            expr = col
        columns.append(type_coerce(expr, col.type if expr is col else String()).label(col.key))
    return columns, convert


def _json_writer(bind: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    import json

    loads = json.loads
    if bind is None:
        return lambda value: value
    return lambda value: bind(loads(value) if value is not None else None)


def _copy_rows(src: Connection, dst: Connection, event_id: int, tally_for: Callable[[int], _Tally],
               chunk_size: int) -> _Tally:
    """A PostgreSQL database to the desk file: the server turns every value into what
    SQLite stores (``_plain_columns``), so rows come as plain tuples (no UUID, dict or
    datetime objects) and go in with the driver's ``executemany``, chunk by chunk."""
    plan = _event_selects(event_id, _tables_in(None))
    # Every row of each read is wanted: plan the server-side cursors (yield_per) for the
    # whole result, not for the first tenth. Planned for a first tenth, the check-ins of a
    # database its server had not yet analysed were read with a subplan per row (3.4 s
    # of a 6 s export at 30,000 registrations; 0.01 s so).
    src.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1")
    tally = tally_for(_count_all(src, plan))
    cursor = _sqlite(dst.connection).cursor()
    try:
        for dest, source, stmt in plan:
            columns, convert = _plain_columns(stmt, dest)
            names = _names(stmt)
            sql = (f"INSERT INTO {dest.name} ({', '.join(names)}) "
                   f"VALUES ({', '.join('?' * len(names))})")
            result = src.execute(stmt.with_only_columns(*columns).order_by(source.c.id)
                                 .execution_options(yield_per=chunk_size))
            for chunk in result.partitions(chunk_size):
                rows: Sequence[Sequence[Any]] = chunk
                if convert:
                    converted = [list(r) for r in chunk]
                    for row in converted:
                        for i, fn in convert:
                            row[i] = fn(row[i])
                    rows = converted
                cursor.executemany(sql, rows)
                tally.add(dest, len(chunk))
    finally:
        cursor.close()
    return tally


def _copy_attached(dst: Connection, event_id: int, tally_for: Callable[[int], _Tally], chunk_size: int) -> _Tally:
    """A SQLite database attached to the desk file as ``src``: ``INSERT … SELECT`` in SQLite
    itself, window by window of ids (no row passes through Python)."""
    tables = _tables_in("src")
    people, registrations = _event_ids(dst, event_id, tables)
    plan = _event_selects(event_id, tables, select(people.c.id), select(registrations.c.id))
    tally = tally_for(_count_all(dst, plan))
    for dest, source, stmt in plan:
        top = int(dst.execute(select(func.max(source.c.id))).scalar() or 0)
        names = _names(stmt)
        # Each statement costs something of its own (at 100,000 people windows of 4,000 ids
        # took a fifth more than one statement): at most some eight windows a table.
        window = max(max(chunk_size, 1) * 2, top // 8 + 1)
        for low in range(0, top, window):
            part = stmt.where(source.c.id > low, source.c.id <= low + window)
            rows = dst.execute(insert(dest).from_select(names, part)).rowcount
            if rows:
                tally.add(dest, rows)
    people.drop(dst)
    registrations.drop(dst)
    return tally


def _event_ids(dst: Connection, event_id: int, t: Mapping[str, Table]) -> tuple[Table, Table]:
    """The ids of the event's people and registrations, read once into temporary tables of
    the desk file's connection: the windows of ``_copy_attached`` look them up there,
    where each window's statement ran the subqueries that find them again (at 100,000
    registrations a quarter of the export)."""
    from sqlalchemy import Column, Integer

    meta = MetaData()
    people = Table("desk_export_people", meta, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
    registrations = Table("desk_export_registrations", meta, Column("id", Integer, primary_key=True),
                          prefixes=["TEMPORARY"])
    meta.create_all(dst)
    reg, role, sess, item = t["registration"], t["role"], t["session"], t["agenda_item"]
    role_filter = or_(role.c.session_id.in_(select(sess.c.id).where(sess.c.event_id == event_id)),
                      role.c.item_id.in_(select(item.c.id).where(item.c.event_id == event_id)))
    dst.execute(insert(people).from_select(["id"], union(
        select(reg.c.person_id).where(reg.c.event_id == event_id),
        select(role.c.person_id).where(role_filter))))
    dst.execute(insert(registrations).from_select(["id"], select(reg.c.id).where(reg.c.event_id == event_id)))
    return people, registrations


@contextlib.contextmanager
def _snapshot(database: Database) -> Iterator[Connection]:
    """A read-only connection whose statements all see the same moment of the database."""
    with database.engine.connect() as conn:
        if database.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin() as trans:
            yield conn
            trans.rollback()


def _check_export_target(database: Database, target: Path, overwrite: bool) -> None:
    if not target.parent.is_dir():
        raise DeskFileError(_("{path}: the folder {folder} does not exist.").format(path=target, folder=target.parent))
    if target.is_dir():
        raise DeskFileError(_("{path} is a folder; give a file name for the desk file.").format(path=target))
    source = database.target.path
    if source is not None and (source == target or (target.exists() and os.path.samefile(source, target))):
        raise DeskFileError(_("{path} is the database open now; choose another file for the desk file.")
                            .format(path=target))
    if target.exists():
        if not overwrite:
            raise DeskFileExists(_("{path} already exists; choose another name, or replace it with --force.")
                                 .format(path=target))
        if any(target.with_name(target.name + s).exists() for s in ("-wal", "-journal")):
            raise DeskFileError(_("{path} is open in Conference Desk (or was not closed cleanly); close it first "
                                  "or choose another name.").format(path=target))


def export_desk_file(database: Database, path: str | os.PathLike[str], event_id: int, *,
                     overwrite: bool = False, progress: Progress | None = None,
                     chunk_size: int = CHUNK_SIZE) -> DeskFileReport:
    """Write the desk file of event ``event_id`` to ``path`` (see the module docstring).

    Raises ``DeskFileExists`` when ``path`` exists and ``overwrite`` is false,
    ``DeskFileError`` for other problems, ``DeskFileCancelled`` when ``progress`` returned
    False; in every case nothing is left at ``path`` (an existing file stays as it was).
    """
    started = time.perf_counter()
    target = Path(path).expanduser().resolve()
    _check_export_target(database, target, overwrite)
    with database.engine.connect() as conn:
        if conn.execute(select(_EVENT.c.id).where(_EVENT.c.id == event_id)).scalar() is None:
            raise DeskFileError(_("there is no event with id {id} in {database}.")
                                .format(id=event_id, database=database.label))
    key = database_key(database, create=True)  # made by the first export (an event to export there is)
    assert key is not None
    with atomic_file(target, error=DeskFileError, exists_error=DeskFileExists, replace=overwrite,
                     discard=_remove_quietly) as tmp:
        with _snapshot(database) as src:
            title = src.execute(select(_EVENT.c.title).where(_EVENT.c.id == event_id)).scalar()
            if title is None:
                raise DeskFileError(_("there is no event with id {id} in {database}.")
                                    .format(id=event_id, database=database.label))
            event_uuid = src.execute(select(_EVENT.c.uuid).where(_EVENT.c.id == event_id)).scalar()
            try:
                desk = open_database(tmp)
            except DatabaseError as exc:
                raise DeskFileError(str(exc)) from None
            try:
                with desk.engine.connect() as dst:
                    source_file = database.target.path if database.dialect == "sqlite" else None
                    if source_file is not None:  # before any transaction: SQLite attaches only then
                        _sqlite(dst.connection).execute(
                            "ATTACH DATABASE ? AS src", (str(source_file),))
                    with dst.begin():
                        def tally_for(total: int) -> _Tally:
                            return _Tally(total, progress)

                        if source_file is not None:
                            tally = _copy_attached(dst, event_id, tally_for, chunk_size)
                        else:
                            tally = _copy_rows(src, dst, event_id, tally_for, chunk_size)
                        dst.exec_driver_sql(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                        top = dst.execute(select(func.max(_CHECK_IN.c.id))).scalar() or 0
                        reg_top = dst.execute(select(func.max(_REG.c.id))).scalar() or 0
                        meta = {"format": FORMAT, "event_uuid": str(event_uuid), "check_in_top": str(top),
                                "registration_top": str(reg_top),
                                "exported_at": utcnow().isoformat(timespec="seconds"),
                                "source": database.label, "source_event_id": str(event_id)}
                        meta = sign(_sqlite(dst.connection), meta, key)  # and arm the desk's seals
                        dst.exec_driver_sql(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?)",
                                            list(meta.items()))
                    if source_file is not None:
                        _sqlite(dst.connection).execute("DETACH DATABASE src")
            finally:
                desk.close()
        _seal(tmp)
    counts = tally.counts
    return DeskFileReport(target, dict(title), counts[_REG.name], counts[_PERSON.name], counts[_ORG.name],
                          counts[_CHECK_IN.name], time.perf_counter() - started)


def _seal(path: Path) -> None:
    """Mark the file as a desk file and make it one self-contained file (no -wal beside it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        if not mode or str(mode[0]).lower() != "delete":
            raise DeskFileError(_("{path} could not be finished (SQLite kept its journal).").format(path=path))
    finally:
        conn.close()


# == merge ========================================================================================


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _verified(database: Database, info: DeskFileInfo, conn: sqlite3.Connection) -> None:
    """The desk file's signature and seals (``desk_signing.verify``), then its fields, on
    the snapshot ``conn`` of the file as it is (never an upgraded copy)."""
    from desktop.core.desk_file_checks import BadField, check_fields

    with database.engine.connect() as main:
        if main.execute(select(_EVENT.c.id).where(_EVENT.c.uuid == info.event_uuid)).first() is None:
            return  # the merge refuses it (``WrongEvent``) before it reads a row
    try:
        verify(database, info.path, conn, info.meta)
        check_fields(info.path, conn, info.meta)
    except (DeskFileRefused, BadField) as exc:
        raise TamperedDeskFile(str(exc)) from None
    except sqlite3.DatabaseError:
        raise NotADeskFile(_unreadable(info.path)) from None


@contextlib.contextmanager
def _desk_connection(info: DeskFileInfo, database: Database | None = None) -> Iterator[Connection]:
    """A snapshot of the desk file at this app's schema; a file of an older schema is read
    from an upgraded copy, so the file itself is never changed. With ``database`` the
    snapshot is first verified against it (the same snapshot the merge then reads)."""
    if info.revision == SCHEMA_HEAD:
        engine = _readonly_engine(info.path)
        try:
            with engine.begin() as conn:
                if database is not None:
                    _verified(database, info, _sqlite(conn.connection))
                yield conn
        finally:
            engine.dispose()
        return
    with tempfile.TemporaryDirectory(prefix="desk-merge-") as folder:
        copy = Path(folder) / "desk.sqlite"
        engine = _readonly_engine(info.path)
        source = engine.raw_connection()
        try:
            dest = sqlite3.connect(copy)
            try:
                _sqlite(source).backup(dest)
                if database is not None:  # the copy as the desk left it, before its upgrade
                    _verified(database, info, dest)
            finally:
                dest.close()
        finally:
            source.close()
            engine.dispose()
        upgraded = open_database(copy)
        try:
            with upgraded.engine.begin() as conn:
                yield conn
        finally:
            upgraded.close()


def _as_uuid(value: Any) -> uuid_mod.UUID:
    return value if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value))


def _raw(column: Any) -> Any:
    """A uuid column of a SQLite database as stored: 32 hex digits."""
    return type_coerce(column, String)


def _hex_of(conn: Connection) -> Callable[[Any], Any]:
    """SQL giving a uuid column as 32 lower-case hex digits on ``conn``'s database."""
    if conn.dialect.name == "postgresql":
        return lambda column: func.replace(cast(column, String), "-", "")
    return _raw


class _Here(NamedTuple):
    """A registration of the event here: its id, person and badge code."""

    id: int
    person_id: int
    badge_code: str


class _DryRun(Exception):
    """Rolls the merge's transaction back after the report is made."""


def _values(row: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "id"}
    values.update(changes)
    return values


def _name_of(person: Mapping[str, Any] | None) -> str:
    name = full_name(person.get("given_name"), person.get("family_name"), None,
                     person.get("display_name"), interface_language()) if person is not None else ""
    # Translators: in a merge report, a person whose record has no name.
    return name or p_("person", "Someone without a name")


MERGE_STEPS = 3
"""A merge's ``progress(done, MERGE_STEPS)`` calls: 0 as it begins, 1 once the file is
verified, 2 once everything is read — the last call, just before the write transaction
begins: ``False`` there still stops the merge with nothing written; none comes after."""


def merge_desk_file(database: Database, path: str | os.PathLike[str], event_id: int | None = None, *,
                    dry_run: bool = False, progress: Progress | None = None,
                    made: Collection[str] | None = None) -> MergeReport:
    """Bring the desk file's check-ins and walk-ins into ``database`` (see the module
    docstring); one transaction, short: the file is verified and read, and what is here
    already read from a snapshot, before it begins (``_Prepared``), so other desks'
    check-ins wait a fraction of a second for it on SQLite, never the whole merge.
    ``event_id``, when given, must be the file's event.
    With ``dry_run`` the report says what would happen and nothing is written.

    ``progress`` (``MERGE_STEPS``) may stop the merge until its write transaction begins
    (``DeskFileCancelled``, nothing written); from then on the merge is one transaction
    that either commits or rolls back, and is not asked again.

    ``made``: for a file that also holds rows the desk took from the database after the
    export (a desk's local copy, ``desktop.core.offline_desk``), the uuids (32 hex digits) of
    the registrations and check-ins the desk made itself: only those are walk-ins (a
    registration missing here that the desk did not make was removed here, and stays so) and
    only those count as the desk's in the conflicts.

    Raises ``NotADeskFile`` or ``WrongEvent`` (one sentence naming the file) before
    anything is written. The desk file is only read."""
    from desktop.core.person_keys import settle

    def step(done: int) -> None:
        if progress is not None and progress(done, MERGE_STEPS) is False:
            raise DeskFileCancelled()

    step(0)
    p = Path(path).expanduser().resolve()
    if database.target.path is not None and p.exists() and os.path.samefile(p, database.target.path):
        raise NotADeskFile(_("{path} is the database open now, not a desk file to merge into it.").format(path=p))
    info = read_desk_file_info(p)
    report: MergeReport | None = None
    with _desk_connection(info, database) as desk:
        step(1)
        prepared = _Prepared.read(database, desk, info)  # before the write lock: other desks go on
        step(2)  # the last moment a cancel stops it
        try:
            with database.write() as session:
                merge = _Merge(session.connection(), desk, info, prepared, made)
                report = merge.run(event_id, dry_run)
                if dry_run:
                    raise _DryRun()
                settle(session)  # the skeletons of the people the merge added, for the search
                report.edit = _settle_merge(session, merge.created, report)
        except _DryRun:
            pass
    assert report is not None
    return report


def _settle_merge(session: Any, created: list[tuple[str, uuid_mod.UUID]], report: MergeReport) -> uuid_mod.UUID | None:
    """The merge as an edit, in its transaction (``changes.settle_written``): the walk-ins,
    people and organisations it made in the history, the check-ins and badges printed it
    brought as a line each with their count (a desk's check-ins are their own history, one
    by one), all of it saying "Merged from desk file FILE"; the other workstations told.
    Nothing when it brought nothing (a desk sending its copy again)."""
    from desktop.core.changes import settle_written
    from desktop.core.history import DESK_FILE, note_write

    counts = {name: n for name, n in ((_CHECK_IN.name, report.new_check_ins),
                                      (_BADGE_PRINT.name, report.new_badge_prints)) if n}
    if not created and not counts:
        return None
    change = settle_written(session, created=created, counted=counts)
    assert change.edit is not None
    note_write(session, change.edit, DESK_FILE, event_id=report.event_id, file=report.path.name)
    return change.edit


_MERGE_CACHE_KIB = 64 * 1024  # SQLite's page cache while a merge writes its check-ins
_CACHE_PAGES = -2000  # SQLite's default (2 MiB)
_CHECK_IN_COLUMNS = ("uuid", "registration_id", "desk", "action", "undoes", "happened_at", "recorded_at")
_INSERT_CHECK_IN = (f"INSERT INTO check_in ({', '.join(_CHECK_IN_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_CHECK_IN_COLUMNS))})")


@dataclass
class _Prepared:
    """What a merge reads before it takes the write lock — the slow part of a merge of many
    check-ins — so that the write transaction (``_Merge``) holds SQLite's one write lock
    only for what must be read and written together (a 60,000-check-in file: some 0.5 s,
    against 5 s when everything was read inside it; other desks' check-ins wait that long).

    From the desk file's snapshot: its registrations and check-ins, and in full the
    check-ins that were not here at the snapshot of this database (on SQLite the values
    as the file stores them, which is how this database stores them too: no conversion).
    From a read snapshot of this database: the event's registrations and check-in uuids,
    and how far the check-in ids went (``top``). The write transaction then reads only
    what changed since: check-ins are append-only, never deleted, so those with an id
    above ``top`` are all that is new; the registrations are read again when their count
    or highest id moved (a walk-in's person and badge code are looked up as they are now,
    by index). The write stays all-or-nothing: a killed merge leaves nothing.
    """

    desk_event: int
    desk_regs: list[tuple[int, str, str]]  # the file's registrations: id, uuid (hex), badge code
    file_rows: list[tuple[int, str, int]]  # the file's check-ins: id, uuid (hex), registration id in the file
    rows: dict[int, Any] = field(default_factory=dict)  # the check-ins new at the snapshot, by id in the file
    raw: bool = False  # ``rows`` are SQLite's stored values (tuples of ``_CHECK_IN_COLUMNS``), else dicts
    here: set[str] | None = None  # the event's check-in uuids here at the snapshot (None: not read)
    top: int = 0  # the highest check-in id here at the snapshot
    regs: dict[str, _Here] | None = None  # the event's registrations here by uuid, at the snapshot
    regs_mark: tuple[int, int] = (0, 0)  # their count and highest id
    ins: Counter[int] = field(default_factory=Counter)  # IN rows here at the snapshot, by registration
    emails: dict[str, int] | None = None  # the roster's e-mails (``_add_emails``), read when the file has walk-ins
    person_top: int = 0  # the highest person id at the snapshot

    @classmethod
    def read(cls, database: Database, desk: Connection, info: DeskFileInfo) -> _Prepared:
        desk_event = desk.execute(select(_EVENT.c.id).where(_EVENT.c.uuid == info.event_uuid)).scalar_one()
        desk_regs = [tuple(r) for r in desk.execute(select(_REG.c.id, _raw(_REG.c.uuid), _REG.c.badge_code)
                                                    .where(_REG.c.event_id == desk_event))]
        file_rows = [tuple(r) for r in desk.execute(
            select(_CHECK_IN.c.id, _raw(_CHECK_IN.c.uuid), _CHECK_IN.c.registration_id)
            .join(_REG, _REG.c.id == _CHECK_IN.c.registration_id).where(_REG.c.event_id == desk_event))]
        prepared = cls(desk_event, desk_regs, file_rows)
        with database.engine.connect() as conn, conn.begin():  # one snapshot (SQLite: a deferred BEGIN)
            event_id = conn.execute(select(_EVENT.c.id).where(_EVENT.c.uuid == info.event_uuid)).scalar()
            if event_id is None:
                return prepared  # the merge refuses the file (``WrongEvent``)
            hexed = _hex_of(conn)
            prepared.regs_mark = _regs_mark(conn, event_id)
            prepared.regs = {u: _Here(i, p, c) for u, i, p, c in conn.execute(
                select(hexed(_REG.c.uuid), _REG.c.id, _REG.c.person_id, _REG.c.badge_code)
                .where(_REG.c.event_id == event_id))}
            prepared.top = conn.execute(select(func.coalesce(func.max(_CHECK_IN.c.id), 0))).scalar_one()
            here = prepared.here = set()
            for u, rid, action in conn.execute(
                    select(hexed(_CHECK_IN.c.uuid), _CHECK_IN.c.registration_id, _CHECK_IN.c.action)
                    .join(_REG, _REG.c.id == _CHECK_IN.c.registration_id)
                    .where(_REG.c.event_id == event_id, _CHECK_IN.c.id <= prepared.top)):
                here.add(u)
                if action == CheckInAction.IN:
                    prepared.ins[rid] += 1
            raw = prepared.raw = conn.dialect.name == "sqlite"
            if any(u not in prepared.regs for _i, u, _c in desk_regs):  # walk-ins, maybe: linked by e-mail
                prepared.person_top = conn.execute(select(func.coalesce(func.max(_PERSON.c.id), 0))).scalar_one()
                prepared.emails = {}
                _add_emails(prepared.emails, conn, {r.person_id for r in prepared.regs.values()}, 0)
        new_ids = sorted(i for i, u, _r in file_rows if u not in prepared.here)
        for chunk in _chunks(new_ids):
            if raw:
                sql = (f"SELECT id, {', '.join(_CHECK_IN_COLUMNS)} FROM check_in "
                       f"WHERE id IN ({', '.join('?' * len(chunk))})")
                for row in desk.exec_driver_sql(sql, tuple(chunk)):
                    prepared.rows[row[0]] = tuple(row[1:])
            else:
                for r in desk.execute(select(_CHECK_IN).where(_CHECK_IN.c.id.in_(chunk))).mappings():
                    prepared.rows[r["id"]] = dict(r)
        if not raw:
            # PostgreSQL: ids come from a sequence and do not follow the order of the commits
            # (a check-in or person with an id below the snapshot's highest may be committed
            # after it), and each statement there sees its own snapshot; so the write reads the
            # event's check-ins and the roster's e-mails whole. A merge there holds no lock the
            # other desks wait for (row locks only), so nothing is lost by it.
            prepared.here, prepared.top, prepared.ins = set(), 0, Counter()
            prepared.emails, prepared.person_top = None, 0
        return prepared


def _add_emails(emails: dict[str, int], conn: Connection, registered: set[int], after: int) -> None:
    """Add to ``emails`` (an e-mail, trimmed and case-folded: the person to link a walk-in
    with it to) the people with an id above ``after``, preferring the person registered
    for the event (``registered``), else the oldest record."""
    for pid, e in conn.execute(select(_PERSON.c.id, _PERSON.c.email)
                               .where(_PERSON.c.email.is_not(None), _PERSON.c.id > after).order_by(_PERSON.c.id)):
        key = (e or "").strip().casefold()
        if key and (key not in emails or (pid in registered and emails[key] not in registered)):
            emails[key] = pid


def _regs_mark(conn: Connection, event_id: int) -> tuple[int, int]:
    """How many registrations the event has here, and their highest id."""
    count, top = conn.execute(select(func.count(), func.coalesce(func.max(_REG.c.id), 0))
                              .where(_REG.c.event_id == event_id)).one()
    return int(count), int(top)


class _Merge:
    """One merge: reads the desk file (``desk``, a snapshot) and writes ``conn`` (the
    main database's transaction), starting from what ``_Prepared`` read before it. Only
    the rows that are new here are read in full."""

    def __init__(self, conn: Connection, desk: Connection, info: DeskFileInfo, prepared: _Prepared,
                 made: Collection[str] | None = None) -> None:
        self.conn, self.desk, self.info, self.prepared = conn, desk, info, prepared
        self.made = frozenset(made) if made is not None else None
        self.org_map: dict[int, int] = {}
        self.person_map: dict[int, int] = {}
        self.emails: dict[str, int] | None = None
        self.registered: set[int] | None = None  # people registered for the event, once needed
        self.now = utcnow()
        self.created: list[tuple[str, uuid_mod.UUID]] = []  # the rows made here (but check-ins, badges printed)

    def run(self, event_id: int | None, dry_run: bool) -> MergeReport:
        conn, desk, info = self.conn, self.desk, self.info
        found = conn.execute(select(_EVENT.c.id, _EVENT.c.title, _EVENT.c.timezone)
                             .where(_EVENT.c.uuid == info.event_uuid)).first()
        title = _title(info.event_title)
        if found is None:
            if info.source:
                # Translators: {source} is the database the desk file was exported from (a path or a server).
                raise WrongEvent(_("{path} is the desk file of another event (“{title}”, exported from {source}), "
                                   "which this database does not hold.").format(
                    path=info.path, title=title, source=info.source))
            raise WrongEvent(_("{path} is the desk file of another event (“{title}”), which this database does "
                               "not hold.").format(path=info.path, title=title))
        if event_id is not None and found.id != event_id:
            chosen = conn.execute(select(_EVENT.c.title).where(_EVENT.c.id == event_id)).scalar()
            if chosen is not None:
                raise WrongEvent(_("{path} is the desk file of “{title}” (event {id}), not of event {asked} "
                                   "(“{asked_title}”).").format(path=info.path, title=title, id=found.id,
                                                                asked=event_id, asked_title=_title(chosen)))
            raise WrongEvent(_("{path} is the desk file of “{title}” (event {id}), not of event {asked}.").format(
                path=info.path, title=title, id=found.id, asked=event_id))
        self.event = found.id
        self.report = report = MergeReport(info.path, found.id, dict(found.title or {}), found.timezone or "UTC",
                                           dry_run)
        prepared = self.prepared
        desk_event, desk_regs, file_rows = prepared.desk_event, prepared.desk_regs, prepared.file_rows

        # Uuids are compared as 32 hex digits (as SQLite stores them): no UUID objects for
        # the tens of thousands of rows that are here already. What the snapshot read is
        # used as it is when nothing it depends on changed since (``_Prepared``).
        hexed = _hex_of(conn)
        fresh = prepared.regs is None or _regs_mark(conn, self.event) != prepared.regs_mark
        self.main_regs = self._main_regs() if fresh or prepared.regs is None else prepared.regs
        missing = [i for i, u, _c in desk_regs if u not in self.main_regs]
        reg_map = {i: self.main_regs[u].id for i, u, _c in desk_regs if u in self.main_regs}

        # Check-ins: which are new here (by uuid): those here at the snapshot, and those
        # recorded since (check-ins are never deleted: a higher id is a newer row).
        since = conn.execute(select(hexed(_CHECK_IN.c.uuid), _CHECK_IN.c.registration_id, _CHECK_IN.c.action)
                             .join(_REG, _REG.c.id == _CHECK_IN.c.registration_id)
                             .where(_REG.c.event_id == self.event, _CHECK_IN.c.id > prepared.top)).all()
        here = prepared.here if prepared.here is not None else set()  # the snapshot's, no copy
        here.update(u for u, _r, _a in since)
        ins = prepared.ins  # how many IN rows each registration has here
        for _u, rid, action in since:
            if action == CheckInAction.IN:
                ins[rid] += 1
        file_uuids = {u for _i, u, _r in file_rows if self.made is None or u in self.made}
        # A local copy's rows the desk did not make (``made``) and that are not here were
        # removed here since: they stay removed.
        new_check_in_ids = [i for i, u, _r in file_rows if u not in here and (self.made is None or u in self.made)]
        regs_with_news = {r for _i, u, r in file_rows if u not in here and (self.made is None or u in self.made)}
        # A registration missing here is the desk's own (a walk-in) only if the desk made it;
        # one the file came with was deleted here since the export and stays deleted, unless
        # the desk checked that person in (then the attendance is kept and reported).
        came_with = self._came_with_file(missing, {i: u for i, u, _c in desk_regs})
        new_ids = [i for i in missing if i not in came_with or i in regs_with_news]
        report.deleted_here = sum(1 for i in missing if i in came_with and i not in regs_with_news)
        restored_ids = {i for i in missing if i in came_with and i in regs_with_news}

        if new_ids:
            taken = {r.badge_code for r in self.main_regs.values()}
            self.codes = BadgeCodes(taken=taken | {c for _i, _u, c in desk_regs})
            self.taken = taken
            rows = [dict(r) for chunk in _chunks(new_ids) for r in desk.execute(
                select(_REG).where(_REG.c.id.in_(chunk))).mappings()]
            rows.sort(key=lambda r: (r["created_at"], r["id"]))
            people = self._desk_rows(_PERSON, {r["person_id"] for r in rows})
            self.desk_orgs = self._desk_rows(_ORG, {p["organisation_id"] for p in people.values()
                                                    if p["organisation_id"] is not None})
            for reg in rows:
                reg_map[reg["id"]] = self._add_registration(reg, people[reg["person_id"]],
                                                            reg["id"] in regs_with_news)
                if reg["id"] in restored_ids:
                    report.restored.append(_name_of(people[reg["person_id"]]))

        report.new_check_ins, desks = self._add_check_ins(new_check_in_ids, reg_map)
        # Rows the desk made that an earlier merge brought (not those the file came with).
        report.already_present = sum(1 for i, u, _r in file_rows if u in here and i > info.exported_check_in_top)
        report.desks = tuple(sorted(desks))
        # A conflict needs two IN rows: only registrations with two or more are looked at
        # (counted here: the snapshot's, those since and the file's new ones).
        twice = {rid for rid, n in ins.items() if n > 1}
        report.conflicts = self._conflicts(file_uuids, sorted({reg_map[r] for _i, _u, r in file_rows if r in reg_map}
                                                              & twice))
        if _BADGE_PRINT.name in signed_tables(info.meta):  # not in a file exported before it
            report.new_badge_prints = self._badge_prints(desk_event, reg_map)
        return report

    def _main_regs(self) -> dict[str, _Here]:
        """The event's registrations here by uuid (32 hex digits), as they are now."""
        return {u: _Here(i, p, c) for u, i, p, c in self.conn.execute(
            select(_hex_of(self.conn)(_REG.c.uuid), _REG.c.id, _REG.c.person_id, _REG.c.badge_code)
            .where(_REG.c.event_id == self.event))}

    def _add_check_ins(self, ids: Sequence[int], reg_map: Mapping[int, int]) -> tuple[int, set[str]]:
        """Add the file's check-ins ``ids`` (ids in the file) here, with their registrations
        mapped by ``reg_map``; how many, and at which desks. The rows were read before the
        write transaction (``_Prepared.rows``); on SQLite they go in as the file stores them,
        as the driver's plain statement (no conversions: a third of the time of ``insert()``)."""
        prepared, conn = self.prepared, self.conn
        late = [i for i in ids if i not in prepared.rows]  # not new at the snapshot: none, as a rule
        for chunk in _chunks(late):
            for r in self.desk.execute(select(_CHECK_IN).where(_CHECK_IN.c.id.in_(chunk))).mappings():
                prepared.rows[r["id"]] = dict(r)
        desks: set[str] = set()
        raw_rows: list[tuple[Any, ...]] = []
        typed_rows: list[dict[str, Any]] = []
        for i in ids:
            row = prepared.rows[i]
            if isinstance(row, tuple):  # SQLite's stored values, registration id second
                raw_rows.append((row[0], reg_map[row[1]], *row[2:]))
                desks.add(row[2])
                if row[3] == CheckInAction.IN.value:
                    prepared.ins[reg_map[row[1]]] += 1
            else:
                typed_rows.append(_values(row, registration_id=reg_map[row["registration_id"]]))
                desks.add(row["desk"])
                if row["action"] == CheckInAction.IN:
                    prepared.ins[reg_map[row["registration_id"]]] += 1
        if raw_rows:  # with a larger page cache for this write: the indexes' pages stay in memory
            conn.exec_driver_sql(f"PRAGMA cache_size = -{_MERGE_CACHE_KIB}")
            try:
                for chunk in _chunks(raw_rows, CHUNK_SIZE):
                    conn.exec_driver_sql(_INSERT_CHECK_IN, list(chunk))
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {_CACHE_PAGES}")  # the pooled connection as it was
        for chunk in _chunks(typed_rows, CHUNK_SIZE):
            conn.execute(insert(_CHECK_IN), list(chunk))
        return len(raw_rows) + len(typed_rows), desks

    def _badge_prints(self, desk_event: int, reg_map: Mapping[int, int]) -> int:
        """The desk's records of badges printed, matched by uuid as check-ins are: those
        not here yet are added (of registrations that are here). Returns how many."""
        hexed = _hex_of(self.conn)
        file_rows = self.desk.execute(
            select(_BADGE_PRINT.c.id, _raw(_BADGE_PRINT.c.uuid), _BADGE_PRINT.c.registration_id)
            .join(_REG, _REG.c.id == _BADGE_PRINT.c.registration_id).where(_REG.c.event_id == desk_event)).all()
        if not file_rows:
            return 0
        here = set(self.conn.execute(select(hexed(_BADGE_PRINT.c.uuid))
                                     .join(_REG, _REG.c.id == _BADGE_PRINT.c.registration_id)
                                     .where(_REG.c.event_id == self.event)).scalars())
        new_ids = [i for i, u, r in file_rows if u not in here and r in reg_map]
        rows = [_values(dict(r), registration_id=reg_map[r["registration_id"]])
                for chunk in _chunks(new_ids)
                for r in self.desk.execute(select(_BADGE_PRINT).where(_BADGE_PRINT.c.id.in_(chunk))).mappings()]
        for chunk in _chunks(rows, CHUNK_SIZE):
            self.conn.execute(insert(_BADGE_PRINT), list(chunk))
        return len(rows)

    def _came_with_file(self, ids: list[int], uuids: Mapping[int, str]) -> set[int]:
        """Of the desk file's registrations ``ids``, those it was exported with (or, for a
        local copy, took from the database since: all but those the desk ``made``)."""
        info = self.info
        if not ids:
            return set()
        if self.made is not None:
            return {i for i in ids if uuids.get(i) not in self.made}
        if info.exported_registration_top is not None:
            return {i for i in ids if i <= info.exported_registration_top}
        # Older desk files: what the desk made carries its source, or is newer than the export.
        found: set[int] = set()
        for chunk in _chunks(ids):
            for rid, source, created in self.desk.execute(
                    select(_REG.c.id, _REG.c.source, _REG.c.created_at).where(_REG.c.id.in_(chunk))):
                made_here = str(getattr(source, "value", source)) == Source.DESK.value or (
                    info.exported_at is not None and created is not None and created > info.exported_at)
                if not made_here:
                    found.add(rid)
        return found

    def _desk_rows(self, table: Table, ids: set[int]) -> dict[int, dict[str, Any]]:
        return {r["id"]: dict(r) for chunk in _chunks(sorted(ids))
                for r in self.desk.execute(select(table).where(table.c.id.in_(chunk))).mappings()}

    def _add_registration(self, reg: dict[str, Any], person: dict[str, Any], has_news: bool) -> int:
        """A registration the desk made: added here, or (its person registered here already)
        joined to that registration. Returns its id here."""
        report = self.report
        pid = self._person_id(person)
        # The person's registration and the codes taken as they are now (the map of the
        # snapshot may be older: ``_Prepared``); both are unique per event, so indexed.
        already = self.conn.execute(select(_REG.c.id, _REG.c.person_id, _REG.c.badge_code)
                                    .where(_REG.c.event_id == self.event, _REG.c.person_id == pid)).first()
        if already is not None:
            if has_news:  # else a repeated merge: nothing to tell
                report.joined.append(JoinedRegistration(_name_of(person), already.badge_code))
            return int(already.id)
        code = reg["badge_code"]
        if code in self.taken or self._code_taken(code):
            fresh = self.codes.new()
            while self._code_taken(fresh):
                fresh = self.codes.new()
            report.codes_changed.append(CodeChange(_name_of(person), code, fresh))
            code = fresh
        values = _values(reg, event_id=self.event, person_id=pid, badge_code=code, updated_at=self.now)
        rid = inserted_id(self.conn.execute(insert(_REG).values(values)))
        self.created.append((_REG.name, _as_uuid(values["uuid"])))
        self.taken.add(code)
        if self.registered is not None:
            self.registered.add(pid)
        report.walk_ins_added += 1
        return rid

    def _code_taken(self, code: str) -> bool:
        return self.conn.execute(select(_REG.c.id).where(_REG.c.event_id == self.event,
                                                         _REG.c.badge_code == code)).first() is not None

    def _person_id(self, row: dict[str, Any]) -> int:
        conn, report = self.conn, self.report
        if row["id"] in self.person_map:
            return self.person_map[row["id"]]
        here = conn.execute(select(_PERSON.c.id).where(_PERSON.c.uuid == row["uuid"])).scalar()
        email = (row.get("email") or "").strip().casefold()
        if here is None and email:
            if self.emails is None:
                # The snapshot's e-mails (``_Prepared``) and those of the people added since.
                prepared = self.prepared
                if self.registered is None:
                    self.registered = {r.person_id for r in self.main_regs.values()}
                self.emails = prepared.emails if prepared.emails is not None else {}
                _add_emails(self.emails, conn, self.registered,
                            prepared.person_top if prepared.emails is not None else 0)
            here = self.emails.get(email)
            roster = None if here is None else conn.execute(
                select(_PERSON.c.given_name, _PERSON.c.family_name, _PERSON.c.display_name, _PERSON.c.email)
                .where(_PERSON.c.id == here)).first()
            if here is not None and (roster is None or (roster.email or "").strip().casefold() != email):
                self.emails = {}  # that person's e-mail changed since the snapshot: all as they are now
                _add_emails(self.emails, conn, self.registered or set(), 0)
                here = self.emails.get(email)
                roster = None if here is None else conn.execute(
                    select(_PERSON.c.given_name, _PERSON.c.family_name, _PERSON.c.display_name, _PERSON.c.email)
                    .where(_PERSON.c.id == here)).one()
            if here is not None and roster is not None:
                roster_name = full_name(roster.given_name, roster.family_name, None, roster.display_name,
                                        interface_language())
                report.people_linked.append(LinkedPerson(_name_of(row), roster_name, row["email"].strip()))
        if here is None:
            values = _values(row, organisation_id=self._organisation_id(row.get("organisation_id")))
            here = inserted_id(conn.execute(insert(_PERSON).values(values)))
            self.created.append((_PERSON.name, _as_uuid(values["uuid"])))
            store_sort_keys(conn, [int(here)])
            report.people_added += 1
        self.person_map[row["id"]] = int(here)
        return int(here)

    def _organisation_id(self, desk_org_id: int | None) -> int | None:
        if desk_org_id is None:
            return None
        if desk_org_id in self.org_map:
            return self.org_map[desk_org_id]
        conn, row = self.conn, self.desk_orgs[desk_org_id]
        here = conn.execute(select(_ORG.c.id).where(_ORG.c.uuid == row["uuid"])).scalar()
        if here is None:  # made at the desk: the organisation of the same name here, else a new one
            wanted = {v.casefold() for v in (row.get("name") or {}).values() if v}
            for oid, names in conn.execute(select(_ORG.c.id, _ORG.c.name).order_by(_ORG.c.id)) if wanted else ():
                if any(v.casefold() in wanted for v in (names or {}).values()):
                    here = oid
                    break
        if here is None:
            here = inserted_id(conn.execute(insert(_ORG).values(_values(row))))
            self.created.append((_ORG.name, _as_uuid(row["uuid"])))
            self.report.organisations_added += 1
        self.org_map[desk_org_id] = int(here)
        return int(here)

    def _conflicts(self, file_uuids: set[str], reg_ids: Sequence[int]) -> list[Conflict]:
        """Registrations with an IN from the file and an IN from elsewhere, neither undone."""
        hexed = _hex_of(self.conn)
        rows = [r for chunk in _chunks(reg_ids) for r in self.conn.execute(
            select(hexed(_CHECK_IN.c.uuid).label("uuid"), _CHECK_IN.c.registration_id, _CHECK_IN.c.desk,
                   _CHECK_IN.c.action, hexed(_CHECK_IN.c.undoes).label("undoes"), _CHECK_IN.c.happened_at)
            .where(_CHECK_IN.c.registration_id.in_(chunk)))]
        undone = {r.undoes for r in rows if r.action == CheckInAction.UNDO and r.undoes is not None}
        ins: dict[int, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
        for r in rows:
            if r.action == CheckInAction.IN and r.uuid not in undone:
                ins[r.registration_id][0 if r.uuid in file_uuids else 1].append(r)
        both = {rid: (min(f, key=lambda r: r.happened_at), min(o, key=lambda r: r.happened_at))
                for rid, (f, o) in ins.items() if f and o}
        people: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(sorted(both)):
            for rid, code, given, family, display in self.conn.execute(
                    select(_REG.c.id, _REG.c.badge_code, _PERSON.c.given_name, _PERSON.c.family_name,
                           _PERSON.c.display_name)
                    .join(_PERSON, _PERSON.c.id == _REG.c.person_id).where(_REG.c.id.in_(chunk))):
                people[rid] = (full_name(given, family, None, display, interface_language()), code)
        out = [Conflict(people[rid][0], people[rid][1], f.desk, f.happened_at, o.desk, o.happened_at)
               for rid, (f, o) in both.items()]
        out.sort(key=lambda c: (c.desk_at, c.name))
        return out


__all__: Sequence[str] = (
    "SUFFIX", "APPLICATION_ID", "DeskFileError", "DeskFileExists", "NotADeskFile", "WrongEvent", "TamperedDeskFile",
    "DeskFileCancelled", "DeskFileReport", "MERGE_STEPS", "DeskFileInfo", "MergeReport", "Conflict", "LinkedPerson",
    "CodeChange", "JoinedRegistration", "export_desk_file", "merge_desk_file", "read_desk_file_info",
)
