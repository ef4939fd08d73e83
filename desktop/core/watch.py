"""Every window up to date: noticing what other processes committed to the open database.

Two halves, no Qt:

* ``announce(session, tables)`` — called inside a write transaction once it changed rows of
  ``tables`` (the ``Recorder``, ``revert``, ``settle_written``, the desk's check-in). On
  PostgreSQL it queues ``pg_notify('conference_desk', payload)``, which the server delivers
  to every listener when (and only if) the transaction commits; a rolled-back write tells
  nobody. The payload is small text: a version mark, the sender's token and the table names
  (``"1 <token> person,role"``). On SQLite it writes the same two things as a row of
  ``watch_mark`` (migration 0012) in the write's transaction: committed with it or not at all.
* ``Watcher(database, on_change)`` — a daemon thread with a connection of its own that calls
  ``on_change(tables)`` when another process committed: on PostgreSQL it LISTENs (autocommit)
  and hears the notifications within milliseconds, passing their tables; on SQLite it reads
  ``PRAGMA data_version`` every ``SQLITE_POLL_S`` and, when it moved, the ``watch_mark`` rows
  that came since it last looked (one snapshot with the version), passing the tables of the
  other senders' rows. ``on_change`` runs on the watcher's thread: a window hands it on to
  its own thread (a queued signal). ``stop()`` ends the thread and closes its connection.

Whose change: the token names the sending ``Database`` (its connection pool), so a window
does not hear its own edits back (it reads them again already), while a second ``Database``
of the same process — another window, a test's second workstation — is another sender.
``data_version`` alone cannot tell whose a commit was (it moves for every other connection's
commit, the pool's own included, and two commits between two looks move it once), hence the
marks: SQLite has one writer at a time, so the marks' keys follow the commits one by one, and
every announced commit since the last look is there to be read, whoever made it. When the
version moved and

* a row of another sender came: ``on_change`` gets their tables (as on PostgreSQL);
* only this sender's rows came: nothing is said — the window's own edits;
* no row came (a write that announces nothing: the schema's own upkeep, a badge printed, an
  older copy without ``watch_mark``), or rows are missing at the start (more than
  ``MARKS_KEPT`` commits since the last look): ``on_change(None)``, "something changed".

A write that announces nothing, committed by another process between two looks in which
this process committed an announced write, is not told by the marks — as on PostgreSQL,
where nothing unannounced is ever told. Every edit of the window, import, desk file's merge,
walk-in and undone check-in announces; a check-in itself does not on SQLite (the desk's hot
path: a mark costs some 7 µs of its 20 µs of Python), so the watcher also looks whether the
highest check-in's key rose (append-only rows, each the next key): then ``check_in`` is told
too, the window's own desk's check-ins included (the desk reads its figures again, from
where it was).

Cost: an announced write on SQLite inserts one short row (and every ``PRUNE_EVERY``-th
deletes those older than ``MARKS_KEPT``): some microseconds, inside a transaction that
commits anyway. Idle cost: on SQLite one ``PRAGMA`` (a few microseconds, no disk read) every 0.3 s; on
PostgreSQL a thread asleep in ``select`` that wakes twice a second to see whether it was
stopped, with no traffic. A server that goes away (the desk may be offline) is tried again
quietly, ``RETRY_S`` apart at most, never in a tight loop; once it is back the watcher
reports None, since what was said meanwhile was not heard.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.engine import Database

CHANNEL = "conference_desk"
"""The PostgreSQL notification channel of Conference Desk."""
PAYLOAD_MARK = "1"
"""The payload's first word: its format, so that a newer sender is not misread."""
SQLITE_POLL_S = 0.3
"""How often the SQLite watcher reads ``PRAGMA data_version``."""
LISTEN_WAKE_S = 0.5
"""How long the PostgreSQL watcher waits for a notification before it looks whether it was stopped."""
MARKS_KEPT = 1000
"""How many ``watch_mark`` rows are kept: a watcher that looks less often than that many
announced commits (0.3 s apart: never, as a rule) says "something changed"."""
PRUNE_EVERY = 50
"""Every so many marks, the older ones are deleted."""
MARK_TABLE = "watch_mark"
RETRY_S = (0.5, 1.0, 2.0, 5.0)
"""Waits between attempts to reach the database again (the last one repeats)."""
STOP_WAIT_S = 2.0
"""How long ``stop`` waits for the thread (one still connecting to a silent server ends later, unheard)."""

log = logging.getLogger(__name__)

OnChange = Callable[[frozenset[str] | None], None]

_tokens: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
_tokens_lock = threading.Lock()
_has_marks: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
"""Whether the SQLite database of a connection pool has ``watch_mark`` (an older local copy
may not; the schema of an open database does not change under it)."""


def _token_of(pool: Any) -> str:
    """The sender's token of a connection pool (one per ``Database``): the process id and a
    random part, so that two processes (or two databases of one process) never share one."""
    with _tokens_lock:
        token = _tokens.get(pool)
        if token is None:
            token = f"{os.getpid()}.{uuid.uuid4().hex[:12]}"
            _tokens[pool] = token
        return token


def database_token(database: Database) -> str:
    """The token ``announce`` puts on the changes written through ``database``."""
    return _token_of(database.engine.pool)


def _pool_and_dialect(where: Any) -> tuple[Any, str]:
    """The connection pool and dialect name of an ORM session, a SQLAlchemy connection or a
    ``Database.write_raw`` transaction (``RawRead``)."""
    get_bind = getattr(where, "get_bind", None)
    if callable(get_bind):  # an ORM session
        bind = get_bind()
        engine = getattr(bind, "engine", bind)
        return engine.pool, engine.dialect.name
    engine = getattr(where, "engine", None)
    if engine is not None:  # a Connection
        return engine.pool, engine.dialect.name
    raw = getattr(where, "connection", None)  # RawRead: the pool's proxied DB-API connection
    return getattr(raw, "_pool", None), where.dialect.name


def payload(token: str, tables: Iterable[str]) -> str:
    """The text of a notification (PostgreSQL allows 8000 bytes; the tables are a few words)."""
    return f"{PAYLOAD_MARK} {token} {','.join(sorted(set(tables)))}"


def read_payload(text: str) -> tuple[str, frozenset[str] | None] | None:
    """(sender's token, tables) of a notification; tables None when it names none; None
    when it is not one this version understands."""
    parts = text.split(" ", 2)
    if len(parts) < 2 or parts[0] != PAYLOAD_MARK:
        return None
    tables = frozenset(t for t in (parts[2].split(",") if len(parts) > 2 else ()) if t)
    return parts[1], tables or None


def announce(where: Any, tables: Iterable[str]) -> None:
    """Tell the other processes, when the transaction of ``where`` commits, that it changed
    rows of ``tables``. ``where`` is the write's ORM session, SQLAlchemy connection or raw
    transaction (``Database.write_raw``)."""
    names = sorted(set(tables))
    if not names:
        return
    pool, dialect = _pool_and_dialect(where)
    token = _token_of(pool) if pool is not None else f"{os.getpid()}.?"
    if dialect == "sqlite":
        _mark(where, pool, token, names)
        return
    if dialect != "postgresql":
        return
    text = payload(token, names)
    if callable(getattr(where, "get_bind", None)) or getattr(where, "engine", None) is not None:
        from sqlalchemy import func, select

        where.execute(select(func.pg_notify(CHANNEL, text)))
        return
    cursor = where.connection.cursor()
    try:
        cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, text))
    finally:
        cursor.close()


def _mark(where: Any, pool: Any, token: str, names: list[str]) -> None:
    """SQLite: the announcement as a row of ``watch_mark``, in the write's transaction."""
    has = _has_marks.get(pool) if pool is not None else None
    if has is None:
        has = _table_there(where)
        if pool is not None:
            _has_marks[pool] = has
    if not has:
        return
    mark = _run(where, _INSERT_MARK, (token, ",".join(names)))
    if mark % PRUNE_EVERY == 0:
        _run(where, _PRUNE_MARKS, (mark - MARKS_KEPT,))


_INSERT_MARK = f"INSERT INTO {MARK_TABLE} (token, tables) VALUES (?, ?)"
_PRUNE_MARKS = f"DELETE FROM {MARK_TABLE} WHERE id <= ?"


def _table_there(where: Any) -> bool:
    """Whether the SQLite database of ``where`` has ``watch_mark``."""
    sql = f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{MARK_TABLE}'"
    if callable(getattr(where, "get_bind", None)) or getattr(where, "engine", None) is not None:
        connection = where.connection() if callable(getattr(where, "get_bind", None)) else where
        return connection.exec_driver_sql(sql).first() is not None
    cursor = where.connection.cursor()
    try:
        return cursor.execute(sql).fetchone() is not None
    finally:
        cursor.close()


def _run(where: Any, sql: str, params: tuple[Any, ...]) -> int:
    """Run one SQLite statement that writes in the transaction of ``where`` (a session, a
    connection or a raw transaction); the key of the row it inserted, if any."""
    if callable(getattr(where, "get_bind", None)):  # an ORM session
        return int(where.connection().exec_driver_sql(sql, params).lastrowid or 0)
    if getattr(where, "engine", None) is not None:  # a Connection
        return int(where.exec_driver_sql(sql, params).lastrowid or 0)
    cursor = where.connection.cursor()  # a raw transaction: the driver's cursor (the desk's check-in)
    try:
        cursor.execute(sql, params)
        return int(cursor.lastrowid or 0)
    finally:
        cursor.close()


def read_marks(rows: Iterable[tuple[int, str, str]], after: int, token: str) -> tuple[bool, frozenset[str] | None]:
    """What the ``watch_mark`` rows ``(id, token, tables)`` that came after ``after`` (in key
    order) say to the watcher of ``token``, when the file's version moved: (whether to tell,
    the tables to tell — None: anything may have changed)."""
    rows = list(rows)
    if not rows or rows[0][0] != after + 1:
        return True, None  # a write that announced nothing, or marks deleted before they were read
    theirs = [tables for _id, sender, tables in rows if sender != token]
    if not theirs:
        return False, None  # only our own
    names = frozenset(t for tables in theirs for t in tables.split(",") if t)
    return True, (names if names and all(theirs) else None)


class Watcher:
    """A thread that calls ``on_change`` when another process committed to ``database``.

    ``on_change(tables)`` is called on the watcher's thread: with the tables another process
    announced (PostgreSQL), or None when it is not known what changed (SQLite; after the
    server was away). It is never called once ``stop`` returned. ``ready`` is set once the
    watcher listens (PostgreSQL) or knows the file's version (SQLite).
    """

    def __init__(self, database: Database, on_change: OnChange) -> None:
        self._database = database
        self._on_change = on_change
        self._stopped = threading.Event()
        self._lock = threading.RLock()  # stop() and a call of on_change do not cross
        self.ready = threading.Event()
        self._token = database_token(database)
        self._sqlite: Any = None
        self._version: int | None = None
        self._mark: int | None = None  # the last ``watch_mark`` row read (None: the file has none)
        self._check_ins: int | None = None  # the highest check-in's key at the last look
        if database.dialect == "sqlite":
            # The file's version now, before the caller reads what it shows: a commit made
            # after this is reported, however soon the thread first looks.
            with contextlib.suppress(Exception):
                self._sqlite = self._sqlite_connect()
                self._look()
                self.ready.set()
            run = self._run_sqlite
        elif database.dialect == "postgresql":
            run = self._run_postgres
        else:  # pragma: no cover - open_database opens no other kind
            raise ValueError(f"cannot watch a {database.dialect} database")
        self.thread = threading.Thread(target=run, name=f"watch-{database.dialect}", daemon=True)
        self.thread.start()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        """End the thread (waiting ``STOP_WAIT_S`` at most) and close its connection;
        ``on_change`` is not called after this returns."""
        with self._lock:
            self._stopped.set()
        if self.thread is not threading.current_thread():
            self.thread.join(STOP_WAIT_S)

    def _tell(self, tables: frozenset[str] | None) -> None:
        with self._lock:
            if self._stopped.is_set():
                return
            try:
                self._on_change(tables)
            except Exception:  # a listener's fault must not end the watching
                log.exception("a listener of database changes failed")

    def _pause(self, attempt: int) -> None:
        self._stopped.wait(RETRY_S[min(attempt, len(RETRY_S) - 1)])

    # -- SQLite ------------------------------------------------------------------------

    def _sqlite_connect(self) -> Any:
        import sqlite3

        from db.engine import BUSY_TIMEOUT_MS

        path = self._database.target.path
        if path is None:  # an in-memory database: no other process can write it
            raise ValueError("nothing to watch")
        # Read-only: this connection only reads the version and the marks; autocommit, so
        # that no read transaction is held open between two looks (it would hold back
        # checkpoints).
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    def _data_version(self) -> int:
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def _look(self) -> tuple[bool, frozenset[str] | None]:
        """Read, in one snapshot, the file's version and the marks that came since the last
        look (the first time: the last mark); (whether to tell, what) — see the module's
        docstring."""
        conn = self._sqlite
        conn.execute("BEGIN")
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (MARK_TABLE,)).fetchone() is not None
            rows: list[Any] | None = None
            if has and self._mark is not None:
                rows = conn.execute(f"SELECT id, token, tables FROM {MARK_TABLE} WHERE id > ? ORDER BY id",
                                    (self._mark,)).fetchall()
            elif has:
                self._mark = int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {MARK_TABLE}").fetchone()[0])
            check_ins, self._check_ins = self._check_ins, self._top_check_in()
            self._version = self._data_version()
        finally:
            conn.execute("ROLLBACK")
        if rows is None:
            return True, None
        after = self._mark
        assert after is not None
        if rows:
            self._mark = int(rows[-1][0])
        tell, tables = read_marks(rows, after, self._token)
        if rows and (tables is not None or not tell) and check_ins is not None and self._check_ins != check_ins:
            # The desk's check-in announces nothing on SQLite (its hot path): the highest
            # check-in rose — ours or another desk's — so the desk reads its figures.
            return True, (tables or frozenset()) | {"check_in"}
        return tell, tables

    def _top_check_in(self) -> int | None:
        """The highest key of ``check_in`` (SQLite gives each new row the next one)."""
        try:
            return int(self._sqlite.execute("SELECT coalesce(max(id), 0) FROM check_in").fetchone()[0])
        except Exception:  # not a Conference Desk database after all: no check-ins to count
            return None

    def _run_sqlite(self) -> None:
        if self._database.target.path is None:
            return
        attempt = 0
        try:
            while not self._stopped.wait(SQLITE_POLL_S if self._sqlite is not None else 0):
                if self._sqlite is None:  # not opened at first, or lost: open it again
                    try:
                        self._sqlite = self._sqlite_connect()
                        self._mark = None
                        self._look()
                    except Exception:  # the file cannot be read now: try again, later
                        self._close_sqlite()
                        self._pause(attempt)
                        attempt += 1
                        continue
                    attempt = 0
                    self._tell(None)  # what changed while it could not be read is not known
                    self.ready.set()
                    continue
                try:
                    version = self._data_version()
                except Exception:
                    self._close_sqlite()
                    continue
                if version == self._version:
                    continue
                try:
                    tell, tables = self._look()
                except Exception:
                    self._close_sqlite()
                    continue
                if tell:
                    self._tell(tables)
        finally:
            self._close_sqlite()

    def _close_sqlite(self) -> None:
        if self._sqlite is not None:
            with contextlib.suppress(Exception):
                self._sqlite.close()
            self._sqlite = None

    # -- PostgreSQL --------------------------------------------------------------------

    def _pg_connect(self) -> Any:
        import psycopg

        from db.engine import CONNECT_TIMEOUT_S, PG_CONNECT_ARGS

        engine = self._database.engine
        _args, params = engine.dialect.create_connect_args(engine.url)
        conn = psycopg.connect(**{**params, "connect_timeout": CONNECT_TIMEOUT_S, **PG_CONNECT_ARGS},
                               autocommit=True, application_name="conference-desk-watch")
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _run_postgres(self) -> None:
        import psycopg

        attempt = 0
        while not self._stopped.is_set():
            try:
                conn = self._pg_connect()
            except psycopg.Error:
                self._pause(attempt)
                attempt += 1
                continue
            attempt = 0
            try:
                # The first time: what was committed between the caller's first read and
                # this LISTEN was not heard; after a reconnection, what was said meanwhile.
                self._tell(None)
                self.ready.set()
                while not self._stopped.is_set():
                    for note in conn.notifies(timeout=LISTEN_WAKE_S):
                        read = read_payload(note.payload)
                        if read is None or read[0] == self._token:
                            continue  # our own change (or a format this version does not know)
                        self._tell(read[1])
            except psycopg.Error:
                pass  # the server went away: connect again, after a pause
            finally:
                with contextlib.suppress(Exception):
                    conn.close()
            self._pause(0)  # a server that drops every connection at once is not hammered
