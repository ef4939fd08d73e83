"""A desk on a shared server that carries on by itself when the server stops answering,
and sends what it did meanwhile exactly once when it answers again.

``LiveDesk(server, event_id, event_uuid, desk)`` is the desk's link to a PostgreSQL server
(the desk page and the ``scan`` command use it; on a SQLite file a desk needs none):

* **A local copy.** The desk keeps the event's registrations, people and check-ins in a desk
  file of its own on this computer (``desktop.core.desk_file``: signed by the server's
  database, so the merge that brings it back trusts it), made once with ``desk-export`` and
  then refreshed every few seconds from what changed on the server (``LocalCopy.read_changes``
  and ``apply``: the rows whose transaction the server had not finished at the last refresh —
  PostgreSQL's ``xmin`` — so any change is seen, however it was made). Every few seconds the
  append-only check-ins and badges printed are read by their key's index, with the
  registrations they point to (a walk-in at another desk); the event's registrations and
  people — a scan of its rows on the server — when another workstation says it changed them
  (``desktop.core.watch``) and once a minute.
* **Online**, each check-in goes to the server as before; a CHECKED_IN is then written into
  the local copy under the same uuid before the verdict is shown (``record``), so what the
  screen says is on the server *and* on this disk.
* **The server stops answering.** A heartbeat asks the server every second on a connection
  of its own; no answer within ``ANSWER_S``, a call that has run ``CALL_LIMIT_S`` without a
  word from the server to the heartbeat since it began, or a connection that drops, and the
  desk is offline (a *slow* server still answers the heartbeat: its calls are waited for,
  the desk's worker queues the next ones). The call in flight is
  left to finish or fail on its own, and the same call is made on the local copy — a
  check-in under the *same uuid* it was sent with, so that if the server did commit it after
  all, the two are one row. Offline, every row the desk adds is written to the local copy
  in one transaction before the verdict, and listed as waiting (``offline_waiting``, by
  triggers of the copy: nothing can be added without being listed).
* **The server answers again.** The waiting rows are sent by the merge the desk files use
  (``merge_desk_file``: idempotent by uuid, all-or-nothing, people checked in at two desks
  meanwhile kept and reported as conflicts); only then are they taken off the list, and the
  desk is online once nothing waits. A merge that is killed, or whose server freezes, leaves
  them listed; the next merge finds what the first did and adds the rest.
* **A desk killed while offline** finds its copy at the next start with rows waiting; it
  stays offline (on the copy) until they are sent, then goes online.

Threads: the caller's (the desk's worker, or the ``scan`` command), a heartbeat, a sync
thread (refresh, resend, coming back), and a short-lived thread for each server call, which
is the one left behind when the server freezes. Listeners (``watch``) are called from the
background threads with a ``DeskLink``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import threading
import time
import uuid as uuid_mod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Select, Text, cast, func, or_, select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from db.engine import Database, DatabaseError, open_database
from db.models import BadgePrint, CheckIn, CheckInAction, Event, Organisation, Person, Registration
from db.schema import SCHEMA_HEAD
from desktop.core.desk import CheckInResult, CheckInState
from desktop.core.desk_file import (
    DeskFileError,
    MergeReport,
    export_desk_file,
    merge_desk_file,
    read_desk_file_info,
)
from desktop.core.desk_file import _plain_columns as plain_columns  # the server's values as SQLite stores them
from desktop.core.language import _

T = TypeVar("T")

ANSWER_S = 2.0
"""How long the server may take to answer the heartbeat before the desk goes offline."""
BEAT_S = 1.0
"""How often the heartbeat asks the server while the desk is online."""
REFRESH_S = 3.0
"""How often the local copy is refreshed from the server while online."""
PROBE_S = 2.0
"""How often an offline desk asks whether the server answers again."""
CALL_LIMIT_S = 3.0
"""A call to the server is given up when it has run this long and the heartbeat has not heard the
server since it began (a slow server answers the heartbeat meanwhile: its calls are waited for)."""
CONNECT_LIMIT_S = 5.0
"""How long the heartbeat's new connection may take (several round trips) before it counts as no answer."""
PEOPLE_REFRESH_S = 60.0
"""How often the copy looks at every registration and person changed (a scan of the event's
rows on the server), besides when another workstation says it changed some (``watch``)."""
PEOPLE_MIN_S = 10.0
"""The least time between two such looks, however often other workstations announce changes."""
PEOPLE_TABLES = frozenset({"registration", "person", "organisation", "event"})
RESEND_LIMIT_S = 120.0
"""How long sending the waiting rows may take before the desk tries again later."""

_ORG, _PERSON, _REG = Organisation.__table__, Person.__table__, Registration.__table__
_CI, _PRINTED, _EVENT = CheckIn.__table__, BadgePrint.__table__, Event.__table__
_WRAP = 1 << 32


class OldCopy(Exception):
    """A local copy written by an older Conference Desk (``path``): what waits in it is sent
    as it is (the merge reads an upgraded copy of it), then a new copy is made."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def _waiting_in(path: Path) -> tuple[int, set[str]]:
    """How far the waiting rows of the copy at ``path`` go, and the uuids of the registrations
    and check-ins among them, read without opening it as a database (an older schema)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "offline_waiting" not in tables:
            return 0, set()
        upto = int(conn.execute("SELECT coalesce(max(seq), 0) FROM offline_waiting").fetchone()[0])
        made = {str(u) for (u,) in conn.execute(
            "SELECT uuid FROM offline_waiting WHERE kind IN ('registration', 'check_in')")}
        return upto, made
    finally:
        conn.close()


class ServerAway(ConnectionError):
    """The server did not answer (in time) and the desk has no local copy yet to carry on with
    (a ``ConnectionError``: the window says it as it says a server that cannot be reached)."""


_AWAY_STATES = ("08", "57P")  # SQLSTATE classes: connection exception; operator intervention (shutdown)


def is_away(exc: BaseException) -> bool:
    """Whether ``exc`` (raised by a call to the server) says the server is not there —
    refused, closed, timed out — rather than that it refused what was asked (a deadlock, a
    lock timeout, a constraint: the call failed, the server is there). Errors of the local
    copy (SQLite) are never "away"."""
    if isinstance(exc, (PoolTimeout, ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, DatabaseError):  # db.engine's sentence for a server that cannot be reached
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        orig = exc.orig
        if orig is None or type(orig).__module__.startswith("sqlite3"):
            return False
        state = str(getattr(orig, "sqlstate", "") or "")
        if state:
            return state.startswith(_AWAY_STATES)
        return isinstance(exc, (OperationalError, InterfaceError))  # no state: the connection failed
    return False


def _copy_sentence(copy: LocalCopy | None, exc: BaseException) -> str:
    """One sentence for a failure of the desk's own work (the copy, a merge): the database
    layer's sentence when it has one, else one naming the copy (never SQLite's own words)."""
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.core.errors import error_sentence

    if isinstance(exc, (DatabaseError, SQLAlchemyError, DeskFileError, OSError)):
        return error_sentence(exc)
    if copy is not None:
        return _("The desk's local copy {path} could not take the server's latest changes; the desk goes on with "
                 "what it has and tries again.").format(path=copy.path)
    return _("The desk could not make its local copy of the event; it tries again.")


# == a call the caller can stop waiting for ==========================================================

class _Call(Generic[T]):
    """``fn`` on a thread of its own; ``wait`` returns when it ends or ``give_up`` says so.
    A call given up on is left running: it ends when the server answers or drops it."""

    def __init__(self, fn: Callable[[], T], name: str = "desk-server-call") -> None:
        self._done = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        self._fn = fn
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc
        finally:
            self._done.set()

    def wait(self, limit: float | None = None, give_up: Callable[[], bool] | None = None) -> tuple[bool, Any]:
        """(True, value) when it ended (its exception raised), (False, None) when ``limit``
        passed or ``give_up()`` said so first."""
        deadline = None if limit is None else time.monotonic() + limit
        while not self._done.wait(0.02):
            if give_up is not None and give_up():
                return False, None
            if deadline is not None and time.monotonic() >= deadline:
                return False, None
        if self._error is not None:
            raise self._error
        return True, self._value


def _close_quietly(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.close()


def within(fn: Callable[[], T], limit: float) -> tuple[bool, T | None]:
    """Run ``fn`` on a thread of its own and wait at most ``limit`` seconds: (True, value),
    or (False, None) when it did not end in time (it is left to end on its own)."""
    return _Call(fn).wait(limit)


# == where the local copies live ======================================================================

def offline_folder() -> Path:
    """The folder of this computer's local copies (``CONFERENCE_DESK_OFFLINE_DIR``, else the
    app's data folder)."""
    given = os.environ.get("CONFERENCE_DESK_OFFLINE_DIR")
    if given:
        return Path(given).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("conference-desk", appauthor=False)) / "offline"


def _key(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def copy_path(folder: Path, server_label: str, event_uuid: uuid_mod.UUID, desk: str) -> Path:
    """The local copy of ``event_uuid`` on ``server_label`` for the desk named ``desk``: two
    desks on one computer (or two desk names) keep copies of their own."""
    return folder / f"{_key(server_label, 12)}-{_key(desk, 8)}-{event_uuid.hex}.deskdb"


def other_copies(folder: Path, server_label: str, event_uuid: uuid_mod.UUID, desk: str) -> list[Path]:
    """This computer's other copies of the event on that server (another desk name: a desk
    renamed, or another desk of the same computer)."""
    own = copy_path(folder, server_label, event_uuid, desk)
    return sorted(p for p in folder.glob(f"{_key(server_label, 12)}-*-{event_uuid.hex}.deskdb") if p != own)


class _InUse:
    """An advisory lock on a copy while a desk works on it (POSIX ``flock``; where there is
    none, every copy counts as in use and only its own desk sends it)."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def take(self) -> bool:
        try:
            import fcntl
        except ImportError:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # a desk's first start: no folder yet
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def free(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    @staticmethod
    def available(path: Path) -> bool:
        """Whether no desk works on the copy at ``path`` now (False where this cannot be told)."""
        try:
            import fcntl  # noqa: F401
        except ImportError:
            return False
        probe = _InUse(path)
        if not probe.take():
            return False
        probe.free()
        return True


# == the local copy ====================================================================================

_LOCAL_TABLES = (
    "CREATE TABLE IF NOT EXISTS offline_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS offline_waiting "
    "(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, uuid TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS offline_waiting_uuid ON offline_waiting (uuid)",
    *(f"CREATE TRIGGER IF NOT EXISTS offline_waiting_{table} AFTER INSERT ON {table} BEGIN "
      f"INSERT INTO offline_waiting (kind, uuid) VALUES ('{table}', NEW.uuid); END"
      for table in ("registration", "check_in", "badge_print")),
)


def _sqlite_time(at: dt.datetime) -> str:
    """An instant as the app stores it in SQLite: naive UTC, microseconds."""
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _hexed(column: Any) -> Any:
    """A PostgreSQL uuid column as 32 hex digits (how SQLite stores it)."""
    return func.replace(cast(column, Text), "-", "")


def _xmin_at_least(table: Any, low: int) -> Any:
    """Rows whose last writing transaction is ``low`` or later (32-bit transaction ids)."""
    return text(f"({table.name}.xmin::text)::bigint >= {int(low)}")


@dataclass
class _Pulled:
    """What one refresh read from the server (rows as SQLite stores them)."""

    horizon: int  # the server's oldest transaction still running when the read began
    now: dt.datetime
    organisations: list[list[Any]] = field(default_factory=list)
    people: list[list[Any]] = field(default_factory=list)
    registrations: list[list[Any]] = field(default_factory=list)
    check_ins: list[list[Any]] = field(default_factory=list)
    badge_prints: list[list[Any]] = field(default_factory=list)
    tops: tuple[int, ...] = (0, 0)  # the highest check-in and badge-print ids on the server
    people_read: bool = True  # the registrations changed since the last look were read (not only those pointed to)

    @property
    def rows(self) -> int:
        return (len(self.organisations) + len(self.people) + len(self.registrations) + len(self.check_ins)
                + len(self.badge_prints))


def _columns(table: Any, leave_out: Iterable[str]) -> list[Any]:
    skip = set(leave_out)
    return [c for c in table.c if c.key not in skip]


def _plain(conn: Connection, stmt: Select[Any], dest: Any, extra: Sequence[Any] = ()) -> list[list[Any]]:
    """Run ``stmt`` (columns of ``dest``) plus ``extra`` columns on the server; rows as SQLite stores them."""
    columns, convert = plain_columns(stmt, dest)
    rows = [list(r) for r in conn.execute(stmt.with_only_columns(*columns, *extra))]
    for row in rows:
        for i, fn in convert:
            row[i] = fn(row[i])
    return rows


def _horizon(conn: Connection) -> tuple[int, dt.datetime]:
    xmin, now = conn.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, now()")).one()
    return int(xmin), now


ID_WINDOW = 10_000
"""Check-ins (and badges printed) are append-only: the quick refresh reads those with an id
above the highest it saw less this many (an id is taken when a row is written, and a long
transaction may commit a lower one after a higher one), whose transaction it has not seen;
the full look (once a minute) reads every one whose transaction it has not seen, so that a
transaction that took its ids long before it committed is not missed for longer than that."""


def pull(conn: Connection, event_id: int, since: int | None, *, tops: tuple[int, int] | None = None,
         people_since: int | None = None, people: bool = True) -> _Pulled:
    """The event's rows the server changed in transactions from ``since`` on (its horizon at
    the last refresh; None: every row), read in one snapshot on ``conn`` (PostgreSQL).

    ``tops``: the highest check-in and badge-print ids seen so far — the append-only rows
    are then read by their key's index (``ID_WINDOW``), not by a scan of the event's rows.
    ``people``: read the registrations, people and organisations changed since
    ``people_since`` too (a scan of the event's registrations: the desk does it when another
    workstation says it changed them, and once a minute); without it, only those the new
    check-ins point to."""
    horizon, now = _horizon(conn)
    got = _Pulled(horizon, now, people_read=people)

    def low_of(mark: int | None) -> int | None:
        low = None if mark is None else mark % _WRAP
        if low is not None and horizon % _WRAP < low:
            return None  # the 32-bit transaction ids went round: read everything once
        return low

    low, people_low = low_of(since), low_of(people_since)
    reg, person, org = _REG, _PERSON, _ORG
    for i, (table, into) in enumerate(((_CI, got.check_ins), (_PRINTED, got.badge_prints))):
        where: Any = reg.c.event_id == event_id
        if low is not None:
            where = where & _xmin_at_least(table, low)
            if tops is not None and not people:  # the full look reads them all: a long transaction's late rows too
                where = where & (table.c.id > tops[i] - ID_WINDOW)
        into.extend(_plain(conn, select(*_columns(table, ("id", "registration_id")))
                           .select_from(table.join(reg, reg.c.id == table.c.registration_id)).where(where),
                           table, (_hexed(reg.c.uuid).label("reg_uuid"),)))
    got.tops = tuple(int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
                     for t in (_CI, _PRINTED))
    people_of_event = (reg.join(person, person.c.id == reg.c.person_id)
                       .outerjoin(org, org.c.id == person.c.organisation_id))
    changed: Any = reg.c.event_id == event_id
    if not people:
        pointed = {uuid_mod.UUID(hex=r[-1]) for rows in (got.check_ins, got.badge_prints) for r in rows}
        if not pointed:
            return got
        changed = changed & reg.c.uuid.in_(sorted(pointed))
    elif people_low is not None:
        changed = changed & or_(_xmin_at_least(reg, people_low), _xmin_at_least(person, people_low),
                                _xmin_at_least(org, people_low))
    person_ids = select(reg.c.person_id).select_from(people_of_event).where(changed)
    org_ids = select(person.c.organisation_id).where(person.c.id.in_(person_ids))
    got.organisations = _plain(conn, select(*_columns(org, ("id", "logo"))).where(org.c.id.in_(org_ids)), org)
    got.people = _plain(
        conn, select(*_columns(person, ("id", "photo", "organisation_id")))
        .select_from(person.outerjoin(org, org.c.id == person.c.organisation_id))
        .where(person.c.id.in_(person_ids)), person, (_hexed(org.c.uuid).label("org_uuid"),))
    got.registrations = _plain(
        conn, select(*_columns(reg, ("id", "event_id", "person_id")))
        .select_from(people_of_event).where(changed), reg, (_hexed(person.c.uuid).label("person_uuid"),))
    return got


def _upsert(table: Any, names: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> str:
    """SQLite's insert-or-update by uuid of ``names`` (+ ``extra``: column, SQL giving its
    value), changing a row only when a value differs (an unchanged row is not sealed again)."""
    cols = [*names, *(c for c, _sql in extra)]
    values = ["?"] * len(names) + [sql for _c, sql in extra]
    changed = [c for c in cols if c != "uuid"]
    return (f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT(uuid) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in changed)} "
            f"WHERE {' OR '.join(f'{table.name}.{c} IS NOT excluded.{c}' for c in changed)}")


def _append_only(table: Any, names: Sequence[str]) -> str:
    """SQLite's insert of an append-only row (check-in, badge printed) by the uuid of its
    registration; one already here only follows its registration (a merge of two people on
    the server moves check-ins), nothing else of it changes."""
    return (f"INSERT INTO {table.name} ({', '.join(names)}, registration_id) "
            f"SELECT {', '.join('?' * len(names))}, id FROM registration WHERE uuid = ? "
            f"ON CONFLICT(uuid) DO UPDATE SET registration_id = excluded.registration_id "
            f"WHERE {table.name}.registration_id IS NOT excluded.registration_id")


class LocalCopy:
    """The desk's copy of one event on this computer (see the module docstring)."""

    def __init__(self, path: Path, database: Database, event_id: int) -> None:
        self.path, self.database, self.event_id = path, database, event_id

    # -- making and opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> LocalCopy:
        """The copy at ``path`` (a desk file this app made), ready for the desk. Never
        upgraded in place (its rows would no longer be as they were signed, and a merge would
        refuse them): a copy of an older schema raises ``OldCopy``."""
        info = read_desk_file_info(path)
        if info.revision != SCHEMA_HEAD:
            raise OldCopy(path)
        database = open_database(path, upgrade=False)
        try:
            with database.write() as session:
                conn = session.connection()
                for sql in _LOCAL_TABLES:
                    conn.exec_driver_sql(sql)
                event_id = conn.execute(select(_EVENT.c.id).where(_EVENT.c.uuid == info.event_uuid)).scalar_one()
        except BaseException:
            database.close()
            raise
        return cls(path, database, event_id)

    @classmethod
    def make(cls, server: Database, event_id: int, path: Path) -> LocalCopy:
        """Export the event from ``server`` to ``path`` (replacing a copy there, which must
        have nothing waiting) and open it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with server.engine.connect() as conn, conn.begin():
            horizon, now = _horizon(conn)
            tops = [int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()) for t in (_CI, _PRINTED)]
        export_desk_file(server, path, event_id, overwrite=True)
        copy = cls.open(path)
        copy._set_state({"horizon": str(horizon), "people_horizon": str(horizon), "refreshed_at": now.isoformat(),
                         "top.check_in": str(tops[0]), "top.badge_print": str(tops[1])})
        with copy.database.write() as session:  # what the export brought is on the server
            session.connection().exec_driver_sql("DELETE FROM offline_waiting")
        return copy

    def close(self) -> None:
        self.database.close()

    # -- state ------------------------------------------------------------------------------------------

    def _state(self) -> dict[str, str]:
        with self.database.engine.connect() as conn:
            return {str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM offline_state")}

    def _set_state(self, values: dict[str, str], conn: Connection | None = None) -> None:
        sql = "INSERT OR REPLACE INTO offline_state (key, value) VALUES (?, ?)"
        if conn is not None:
            conn.exec_driver_sql(sql, list(values.items()))
            return
        with self.database.write() as session:
            session.connection().exec_driver_sql(sql, list(values.items()))

    @property
    def refreshed_at(self) -> dt.datetime | None:
        """When the server's state was last read into the copy (aware UTC)."""
        value = self._state().get("refreshed_at")
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC) if value else None

    def waiting(self) -> tuple[int, int]:
        """(check-ins, rows in all) made here that the server does not have yet."""
        with self.database.engine.connect() as conn:
            total, check_ins = conn.exec_driver_sql(
                "SELECT count(*), coalesce(sum(kind = 'check_in'), 0) FROM offline_waiting").one()
        return int(check_ins), int(total)

    def made_here(self, upto: int) -> set[str]:
        """The uuids (32 hex digits) of the registrations and check-ins made here that wait
        to be sent, up to ``upto``: what a merge counts as this desk's own."""
        with self.database.engine.connect() as conn:
            return {str(u) for (u,) in conn.exec_driver_sql(
                "SELECT uuid FROM offline_waiting WHERE seq <= ? AND kind IN ('registration', 'check_in')", (upto,))}

    def last_waiting(self) -> int:
        with self.database.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM offline_waiting").scalar_one())

    def sent(self, upto: int) -> None:
        """The waiting rows up to ``upto`` are on the server now."""
        with self.database.write() as session:
            session.connection().exec_driver_sql("DELETE FROM offline_waiting WHERE seq <= ?", (upto,))

    # -- what the server changed -----------------------------------------------------------------------

    def read_changes(self, server: Database, server_event_id: int, *, people: bool = True) -> _Pulled:
        """The server's changes since the last refresh (one snapshot of the server); with
        ``people``, the registrations, people and organisations changed since the last such
        look too (``pull``)."""
        state = self._state()

        def number(key: str) -> int | None:
            value = state.get(key)
            return int(value) if value else None

        tops = (number("top.check_in"), number("top.badge_print"))
        with server.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin() as trans:
                got = pull(conn, server_event_id, number("horizon"),
                           tops=(tops[0], tops[1]) if tops[0] is not None and tops[1] is not None else None,
                           people_since=number("people_horizon") or number("horizon"), people=people)
                trans.rollback()
        return got

    def apply(self, got: _Pulled) -> int:
        """Write what ``read_changes`` read into the copy, in one transaction; rows changed."""
        from desktop.core.person_keys import settle

        org_names = [c.key for c in _columns(_ORG, ("id", "logo"))]
        person_names = [c.key for c in _columns(_PERSON, ("id", "photo", "organisation_id"))]
        reg_names = [c.key for c in _columns(_REG, ("id", "event_id", "person_id"))]
        changed = 0
        with self.database.write() as session:
            conn = session.connection()
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                before = conn.connection.driver_connection.total_changes  # type: ignore[union-attr]
                if got.organisations:
                    cursor.executemany(_upsert(_ORG, org_names), got.organisations)
                if got.people:
                    cursor.executemany(_upsert(_PERSON, person_names, [
                        ("organisation_id", "(SELECT id FROM organisation WHERE uuid = ?)")]), got.people)
                if got.registrations:
                    sql = _upsert(_REG, reg_names, [("event_id", str(int(self.event_id))),
                                                    ("person_id", "(SELECT id FROM person WHERE uuid = ?)")])
                    self._upsert_registrations(cursor, sql, reg_names, got.registrations)
                for table, rows in ((_CI, got.check_ins), (_PRINTED, got.badge_prints)):
                    if rows:
                        names = [c.key for c in _columns(table, ("id", "registration_id"))]
                        cursor.executemany(_append_only(table, names), rows)
                # What came from the server is not waiting to be sent (a row this desk made
                # offline that the server turns out to have: a call it answered late).
                uuids = [(r[0],) for rows in (got.registrations, got.check_ins, got.badge_prints) for r in rows]
                if uuids:
                    cursor.executemany("DELETE FROM offline_waiting WHERE uuid = ?", uuids)
                changed = conn.connection.driver_connection.total_changes - before  # type: ignore[union-attr]
            finally:
                cursor.close()
            settle(session)
            state = {"horizon": str(got.horizon), "refreshed_at": got.now.isoformat(),
                     "top.check_in": str(got.tops[0]), "top.badge_print": str(got.tops[1])}
            if got.people_read:
                state["people_horizon"] = str(got.horizon)
            self._set_state(state, conn)
        return changed

    def _upsert_registrations(self, cursor: Any, sql: str, names: Sequence[str], rows: list[list[Any]]) -> None:
        """The server's registrations into the copy. A row that clashes with one the copy still
        holds under another uuid (the server merged two people, or gave a code again: the
        copy keeps rows deleted on the server) replaces that one when nothing points to it
        (no check-in, badge or row waiting), else it waits for the next full look."""
        cursor.execute("SAVEPOINT offline_registrations")
        try:
            cursor.executemany(sql, rows)
        except sqlite3.IntegrityError:
            cursor.execute("ROLLBACK TO offline_registrations")
        else:
            cursor.execute("RELEASE offline_registrations")
            return
        cursor.execute("RELEASE offline_registrations")
        at_uuid, at_code, at_person = names.index("uuid"), names.index("badge_code"), len(names)
        for row in rows:
            cursor.execute("SAVEPOINT offline_registration")
            try:
                cursor.execute(sql, row)
            except sqlite3.IntegrityError:
                cursor.execute("ROLLBACK TO offline_registration")
                cursor.execute(
                    "DELETE FROM registration WHERE event_id = ? AND uuid <> ? "
                    "AND (badge_code = ? OR person_id = (SELECT id FROM person WHERE uuid = ?)) "
                    "AND id NOT IN (SELECT registration_id FROM check_in) "
                    "AND id NOT IN (SELECT registration_id FROM badge_print) "
                    "AND uuid NOT IN (SELECT uuid FROM offline_waiting)",
                    (self.event_id, row[at_uuid], row[at_code], row[at_person]))
                try:
                    cursor.execute(sql, row)
                except sqlite3.IntegrityError:
                    cursor.execute("ROLLBACK TO offline_registration")
            cursor.execute("RELEASE offline_registration")

    def record(self, result: CheckInResult) -> bool:
        """Write a check-in the server made (CHECKED_IN) into the copy under its uuid, as
        already sent; False when the copy does not have the registration yet (the next
        refresh brings both)."""
        if result.state is not CheckInState.CHECKED_IN or result.check_in_uuid is None or result.at is None:
            return True
        uid = result.check_in_uuid.hex
        at = _sqlite_time(result.at)
        with self.database.write() as session:
            conn = session.connection()
            made = conn.exec_driver_sql(
                "INSERT INTO check_in (uuid, desk, action, undoes, happened_at, recorded_at, registration_id) "
                "SELECT ?, ?, ?, NULL, ?, ?, id FROM registration WHERE event_id = ? AND badge_code = ? "
                "ON CONFLICT(uuid) DO NOTHING",
                (uid, result.desk, CheckInAction.IN.value, at, at, self.event_id, result.code)).rowcount
            conn.exec_driver_sql("DELETE FROM offline_waiting WHERE uuid = ?", (uid,))
        return bool(made)


# == the desk's link ==================================================================================

@dataclass(frozen=True)
class DeskLink:
    """How the desk stands with its server, for the banner and the terminal.

    ``offline``: working on the local copy; ``waiting``: check-ins made here that the server
    does not have yet; ``refreshed_at``: the last time the copy heard from the server;
    ``sent``: the report of the merge that just sent the waiting rows (conflicts: people
    checked in at two desks meanwhile); ``problem``: a sentence when something needs a person."""

    offline: bool
    waiting: int = 0
    refreshed_at: dt.datetime | None = None
    sent: MergeReport | None = None
    problem: str = ""
    ready: bool = True  # the local copy exists (False while it is first made)


@dataclass(frozen=True)
class Answer(Generic[T]):
    """A call's value, and whether it was made on the local copy (offline)."""

    value: T
    offline: bool


Job = Callable[[Database, int], T]


class LiveDesk:
    """A desk's link to its server, with the local copy to fall back on (module docstring)."""

    def __init__(self, server: Database, event_id: int, event_uuid: uuid_mod.UUID | None, desk: str, *,
                 folder: Path | None = None) -> None:
        """``event_uuid``: the event's uuid when the caller has it (else read from the server
        when the copy is first opened, off the caller's thread with ``start()``)."""
        self.server, self.event_id, self.event_uuid, self.desk = server, event_id, event_uuid, desk
        self.folder = folder if folder is not None else offline_folder()
        self.copy: LocalCopy | None = None
        self._offline = False
        self._away = threading.Event()  # set while the server does not answer
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.RLock()  # the local copy's writes and the switch back online
        self._listeners: list[Callable[[DeskLink], None]] = []
        self._threads: list[threading.Thread] = []
        self._last_refresh = 0.0
        self._beat_conn: Connection | None = None  # the heartbeat's own connection
        self._answering = False  # the heartbeat's last word
        self._last_answer = 0.0  # when the heartbeat last heard the server (monotonic)
        self._people_due = True  # the next refresh also reads the registrations and people changed
        self._people_read_at = 0.0
        self._watcher: Any = None  # another workstation's changes (desktop.core.watch)
        self._in_use: _InUse | None = None
        self._others_sent = False  # this computer's other copies of the event looked at once online
        self.problem = ""

    # -- life -----------------------------------------------------------------------------------------

    def start(self, *, wait: bool = False) -> None:
        """Open (or make) the local copy and start watching the server, in the background
        (``wait``: open or make the copy first, on this thread)."""
        if wait:
            self._prepare()
        from desktop.core.watch import Watcher

        with contextlib.suppress(Exception):  # without it, the registrations are read once a minute
            self._watcher = Watcher(self.server, self._on_server_change)
        for name, loop in (("desk-heartbeat", self._beat), ("desk-sync", self._sync)):
            thread = threading.Thread(target=loop, name=name, daemon=True)
            self._threads.append(thread)
            thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._watcher is not None:
            with contextlib.suppress(Exception):
                self._watcher.stop()
        for thread in self._threads:
            thread.join(timeout)
        with self._lock:
            if self.copy is not None:
                self.copy.close()
            if self._in_use is not None:
                self._in_use.free()

    def watch(self, listener: Callable[[DeskLink], None]) -> None:
        """Call ``listener(DeskLink)`` (from a background thread) whenever the link changes."""
        self._listeners.append(listener)

    @property
    def offline(self) -> bool:
        return self._offline

    def link(self, sent: MergeReport | None = None) -> DeskLink:
        copy = self.copy
        if copy is None:
            return DeskLink(self._offline, problem=self.problem, ready=False)
        try:
            waiting, _total = copy.waiting()
            refreshed = copy.refreshed_at
        except Exception:  # noqa: BLE001 - the copy is read again at the next change
            waiting, refreshed = 0, None
        return DeskLink(self._offline, waiting, refreshed, sent, self.problem)

    def _tell(self, sent: MergeReport | None = None) -> None:
        link = self.link(sent)
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener(link)

    # -- the desk's calls -------------------------------------------------------------------------------

    def active(self) -> tuple[Database, int]:
        """The database and event a read should use now: the server's, or the copy's offline."""
        copy = self.copy
        if self._offline and copy is not None:
            return copy.database, copy.event_id
        return self.server, self.event_id

    def call(self, job: Job[T], *, on_server: Callable[[T], None] | None = None, write: bool = True) -> Answer[T]:
        """``job(database, event_id)`` on the server; when the server stops answering while it
        runs (or before), the same job on the local copy. ``on_server(value)`` runs after a
        server answer, before this returns (``record`` a check-in there). A job that may
        write must be one that, run twice, writes once (a check-in with a fixed uuid).
        ``write=False``: a read, which on the copy does not wait for its writers (the refresh)."""
        if not self._offline:
            started = time.monotonic()

            def gone() -> bool:  # the heartbeat says so, or has not heard the server since the call began
                return self._away.is_set() or (time.monotonic() - started > CALL_LIMIT_S
                                               and self._last_answer < started)

            call = _Call(lambda: job(self.server, self.event_id))
            try:
                ended, value = call.wait(None, gone)
            except Exception as exc:
                if not is_away(exc):
                    raise
                self._go_offline()
            else:
                if ended:
                    if on_server is not None:
                        on_server(value)
                    return Answer(value, False)
                self._go_offline()
        copy = self.copy
        if copy is None:
            raise ServerAway(_("{server} does not answer, and this desk has no local copy of the event yet to "
                               "carry on with.").format(server=self.server.label))
        if write:
            with self._lock:
                value = job(copy.database, copy.event_id)
            self._tell()
        else:
            value = job(copy.database, copy.event_id)
        return Answer(value, True)

    def record(self, result: CheckInResult) -> None:
        """A check-in the server made, into the local copy before its verdict is shown."""
        copy = self.copy
        if copy is None:
            return
        try:
            with self._lock:
                if not copy.record(result):
                    self._wake.set()  # a registration the copy does not have yet: refresh now
        except Exception as exc:  # noqa: BLE001 - the server has it: the verdict stands, the banner says why
            self.problem = _copy_sentence(copy, exc)
            self._tell()

    # -- the server's state ---------------------------------------------------------------------------

    def _ping(self) -> bool:
        """Whether the server answers ``SELECT 1`` within ``ANSWER_S`` on the heartbeat's own
        connection (one round trip; a new connection, after a failure, may take
        ``CONNECT_LIMIT_S``: a slow server is not an absent one)."""
        conn = self._beat_conn
        try:
            if conn is None:
                ended, conn = within(self.server.engine.connect, CONNECT_LIMIT_S)
                if not ended or conn is None:
                    return False
                self._beat_conn = conn
            asked = conn
            ended, _value = within(lambda: asked.exec_driver_sql("SELECT 1").scalar(), ANSWER_S)
        except Exception:  # noqa: BLE001 - any failure to answer is "away" here
            ended = False
        if ended:
            self._last_answer = time.monotonic()
        else:
            self._drop_beat()
        return ended

    def _drop_beat(self) -> None:
        conn, self._beat_conn = self._beat_conn, None
        if conn is not None:  # closing may wait for a frozen server: not on this thread
            threading.Thread(target=lambda: _close_quietly(conn), name="desk-close", daemon=True).start()

    def _go_offline(self) -> None:
        with self._lock:
            if self._offline:
                return
            self._offline = True
            self._answering = False  # until the heartbeat hears it again
            self._away.set()
        with contextlib.suppress(Exception):
            self.server.engine.dispose()  # connections stuck on the old server are left to end alone
        self._wake.set()
        self._tell()

    def _beat(self) -> None:
        """The heartbeat: the one thread that asks the server whether it answers, online
        (every ``BEAT_S``) and offline (every ``PROBE_S``, waking the sync thread when it does)."""
        first = True  # the connection is made at once: a freeze is then found within ANSWER_S of a beat
        while first or not self._stop.wait(BEAT_S if not self._offline else PROBE_S):
            first = False
            answering = self._ping()
            self._answering = answering
            if not answering and not self._offline:
                self._go_offline()
            elif answering and self._offline:
                self._wake.set()
        self._drop_beat()

    def _sync(self) -> None:
        with contextlib.suppress(Exception):
            if self.copy is None:
                self._prepare()
        while not self._stop.is_set():
            try:
                self._sync_once()
            except Exception as exc:  # noqa: BLE001 - said on the banner, tried again
                if is_away(exc):
                    self._go_offline()
                else:
                    self.problem = _copy_sentence(self.copy, exc)
                    self._tell()
            self._wake.wait(PROBE_S if self._offline else REFRESH_S)
            self._wake.clear()

    @property
    def path(self) -> Path:
        """Where the local copy is (the event's uuid is read from the server the first time)."""
        if self.event_uuid is None:
            with self.server.engine.connect() as conn:
                self.event_uuid = conn.execute(select(_EVENT.c.uuid).where(_EVENT.c.id == self.event_id)).scalar_one()
        assert self.event_uuid is not None
        return copy_path(self.folder, self.server.label, self.event_uuid, self.desk)

    def _prepare(self) -> None:
        """Open the local copy (sending what waits in it first), or make it."""
        if self._in_use is None:
            self._in_use = _InUse(self.path)
            self._in_use.take()  # another desk process of the same name: both work, neither sends the other's
        if self.path.exists():
            try:
                opened = LocalCopy.open(self.path)
            except OldCopy:
                upto, own = _waiting_in(self.path)
                if upto:  # sent as it is first (the server must answer for that), then made anew
                    ended, report = within(lambda: merge_desk_file(self.server, self.path, self.event_id, made=own),
                                           RESEND_LIMIT_S)
                    if not ended:
                        raise ServerAway(_("{server} does not answer.").format(server=self.server.label)) from None
                    self._tell(report)
                self._set_aside("", quietly=True)
            except (DeskFileError, DatabaseError) as exc:
                self._set_aside(str(exc))
            else:
                self.copy = opened
                if opened.waiting()[1]:
                    self._offline = True  # what waits from the last run is sent before going online
                    self._away.set()
                self._tell()
                return
        path = self.path
        ended, made = within(lambda: LocalCopy.make(self.server, self.event_id, path), RESEND_LIMIT_S)
        if not ended or made is None:
            raise ServerAway(_("{server} does not answer.").format(server=self.server.label))
        self.copy = made
        self._last_refresh = time.monotonic()
        self._tell()

    def _set_aside(self, why: str, *, quietly: bool = False) -> None:
        aside = self.path.with_name(self.path.name + f".unusable-{int(time.time())}")
        with contextlib.suppress(OSError):
            self.path.rename(aside)
        if not quietly:
            self.problem = _("The desk's local copy could not be used and was set aside as {path}: {why}").format(
                path=aside, why=why)

    def _sync_once(self) -> None:
        if self.copy is None:
            self._prepare()
            return
        copy = self.copy
        if self._offline:
            if not self._answering:
                return
            self._resend(copy)
            with self._lock:
                if copy.waiting()[1] == 0:
                    self._offline = False
                    self._away.clear()
                    self._others_sent = False  # what other copies hold goes too, now that it answers
            if not self._offline:
                self._refresh(copy)
            self._tell()
            return
        if copy.waiting()[1]:  # made offline while the switch back was under way: send now
            self._resend(copy)
        if not self._others_sent:
            self._send_others()
        self._refresh(copy)

    def _send_others(self) -> None:
        """Send what waits in this computer's other copies of the event on this server that no
        desk works on now (a desk renamed, or quit, while check-ins waited): exactly once, as
        their own desk would."""
        assert self.event_uuid is not None
        for path in other_copies(self.folder, self.server.label, self.event_uuid, self.desk):
            if not _InUse.available(path):
                continue
            lock = _InUse(path)
            if not lock.take():
                continue
            try:
                other = LocalCopy.open(path)
                try:
                    upto = other.last_waiting()
                    if upto:
                        made = other.made_here(upto)
                        ended, report = within(
                            lambda: merge_desk_file(self.server, path, self.event_id, made=made),  # noqa: B023
                            RESEND_LIMIT_S)
                        if not ended:
                            raise TimeoutError("the merge did not end in time")
                        other.sent(upto)
                        self._tell(report)
                finally:
                    other.close()
            finally:
                lock.free()
        self._others_sent = True

    def _resend(self, copy: LocalCopy) -> None:
        upto = copy.last_waiting()
        if not upto:
            return
        made = copy.made_here(upto)
        ended, report = within(lambda: merge_desk_file(self.server, copy.path, self.event_id, made=made),
                               RESEND_LIMIT_S)
        if not ended:
            raise TimeoutError("the merge did not end in time")
        copy.sent(upto)
        self.problem = ""
        self._tell(report)

    def _on_server_change(self, tables: frozenset[str] | None) -> None:
        """Another workstation changed ``tables`` (None: something): the next refresh looks at
        the registrations and people too when they may be among them."""
        if tables is None or tables & PEOPLE_TABLES:
            self._people_due = True
            self._wake.set()

    def _refresh(self, copy: LocalCopy) -> None:
        since = time.monotonic() - self._people_read_at
        people = (self._people_due and since >= PEOPLE_MIN_S) or since >= PEOPLE_REFRESH_S
        if people:
            self._people_due = False
        ended, got = within(lambda: copy.read_changes(self.server, self.event_id, people=people), RESEND_LIMIT_S)
        if not ended or got is None:
            raise TimeoutError("the refresh did not end in time")
        with self._lock:
            if self._offline:
                # Read when the server stopped answering and answered only after it came back:
                # it may bring other desks' check-ins made meanwhile, which the merge of the
                # waiting rows would then take for this desk's own (no conflict reported).
                # The next refresh reads them again, after the waiting rows are sent.
                return
            copy.apply(got)
        self._last_refresh = time.monotonic()
        if people:
            self._people_read_at = self._last_refresh
        if self.problem:
            self.problem = ""  # the copy takes the server's changes again
            self._tell()


def check_in_job(target: str | int, desk: str, lang: str, uid: uuid_mod.UUID | None = None
                 ) -> Callable[[Database, int], CheckInResult]:
    """A check-in as a ``LiveDesk.call`` job: by badge code (a registration id only on the
    database it came from), under one uuid wherever it runs."""
    from desktop.core.desk import check_in

    fixed = uid or uuid_mod.uuid4()

    def job(database: Database, event_id: int) -> CheckInResult:
        return check_in(database, event_id, target, desk, lang=lang, uid=fixed)

    return job


__all__ = ["ANSWER_S", "Answer", "DeskLink", "LiveDesk", "LocalCopy", "ServerAway", "check_in_job", "copy_path",
           "is_away", "offline_folder", "pull", "within"]
