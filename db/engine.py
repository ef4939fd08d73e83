"""Opening a database: a SQLite file or a server URL.

Nothing is created at import time. ``open_database(target)`` checks the target, makes the
engine with the SQLite settings of ``design.md``, brings the schema to the app's version
through the Alembic migrations, and returns a ``Database`` with session factories:

* ``db.read()``  — a session for reading (a deferred ``BEGIN`` on SQLite);
* ``db.read_raw()`` — the same read transaction on the pool's DB-API connection, without an
  ORM session: for hot read paths that run compiled SQL (a search on every keystroke);
* ``db.write()`` — a session whose transaction starts with ``BEGIN IMMEDIATE`` on SQLite,
  commits on success and rolls back on any error, so a failed write changes nothing.

A file that cannot be written (a read-only file, folder or disk) is opened for reading
only when asked (``read_only=True``: the commands that only read), without creating its
``-wal``/``-shm`` files; for writing it is refused with one sentence. A SQLite file is
checked with ``PRAGMA quick_check`` before its first write (``Database.check``; the window
starts it in the background once it is shown, since it reads the whole file: some 0.4 s
at 100,000 registrations), and a damaged file is never written to. Every driver error of
an open database carries the database's name (``database_error``), so that the sentence
said for it names the file or server and what happened there: full, read-only, locked,
damaged, gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db import desk_seal
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10  # a server that accepts and never answers (libpq's least is 2)
# A server whose host or network goes away without closing the connection: TCP keepalives
# find an idle connection dead in some 11 s, and a request the server's machine does not
# acknowledge fails after 10 s, where either waited for the system's default (hours).
# (A server that is there but frozen still acknowledges: the desk's heartbeat, in
# desktop.core.offline_desk, is what notices that.)
PG_CONNECT_ARGS = {"keepalives": 1, "keepalives_idle": 5,
                   "keepalives_interval": 2, "keepalives_count": 3, "tcp_user_timeout": 10_000}
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p",
     "afs", "ncpfs", "fuse.smbnetfs", "davfs", "fuse.davfs2", "glusterfs", "ceph", "lustre"}
)


def N_(message: str) -> str:
    """Marks a sentence for the translation catalogs (``resources/translations``). This layer
    speaks English; the layers above say its errors in the interface language
    (``DatabaseError.said``)."""
    return message


class DatabaseError(Exception):
    """A database that cannot be used; the message is one sentence for a person.

    ``template`` is what went wrong — one of the sentences of this module, marked with
    ``N_``, which is also the error's code (compare it with ``NETWORK_SHARE``, …) — and
    ``params`` the values it is filled with (a path, a server; ``errno`` of the system's
    error behind it, ``detail`` the driver's own words, kept for a curious reader even where
    the sentence does not show them). A layer that knows the interface language says it in
    that language: ``exc.said(_)``, or ``desktop.core.errors.error_sentence(exc)``, which
    also says a system error's reason in that language.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))

    def said(self, translate: Callable[[str], str], **values: object) -> str:
        """The sentence, its template translated by ``translate``; ``values`` replace
        params (a reason in the reader's language)."""
        return translate(self.template).format(**{**self.params, **values})


CANNOT_OPEN = N_("cannot open {target}: {detail}.")
CANNOT_OPEN_OS = N_("cannot open {target}: {reason}.")
NOT_OURS = N_("{path} is not a Conference Desk database: the file is damaged or encrypted.")
NOT_SQLITE = N_("{path} is not a Conference Desk database (it is not a SQLite file).")
NETWORK_SHARE = N_("{path} is on a network share, where SQLite cannot lock safely: keep the file on this "
                   "computer, or share a PostgreSQL server between desks.")
NO_ANSWER = N_("the database server {target} does not answer: check its address and the network, "
               "and try again.")
LOGIN_REFUSED = N_("the database server {target} refused the user name or the password.")
NO_SUCH_DATABASE = N_("the database server {target} has no database of that name.")
CANNOT_CONNECT = N_("cannot connect to {target}: {detail}.")
DISK_FULL = N_("there is no space left on the disk holding {target}: nothing was saved. Free some "
               "space and try again.")
SERVER_DISK_FULL = N_("the database server {target} has no space left on its disk: nothing was saved.")
READ_ONLY = N_("{target} cannot be written (the file, its folder or its disk is read-only here): "
               "nothing was saved.")
READ_ONLY_NEEDS_UPGRADE = N_("{target} was written by an older Conference Desk and must be upgraded, "
                             "but it is read-only here: open it once where it can be written.")
LOCKED = N_("{target} is locked by another program: close the program using it (or wait for it "
            "to finish) and try again.")
SERVER_BUSY = N_("the database server {target} is busy with another desk's work; try again in a moment.")
DAMAGED = N_("{target} is damaged, so Conference Desk will not write to it: close the app and put "
             "your latest backup copy of the file in its place.")
SERVER_GONE = N_("the database server {target} closed the connection: nothing was saved. Check the "
                 "server and the network, and try again.")
EMPTY_FILE = N_("{path} is empty: it holds no Conference Desk database.")
NO_SUCH_FILE = N_("{path} does not exist.")


@dataclass(frozen=True)
class Target:
    """What the user asked to open: a SQLite file path or a server URL."""

    url: str
    path: Path | None  # set for SQLite files

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)


def writable(path: Path) -> bool:
    """Whether SQLite can write ``path`` and make its ``-wal`` file beside it: the file and
    its folder writable for this user, on a disk mounted for writing (root ignores a
    file's mode, but not a read-only disk nor an immutable file)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def resolve_target(target: str | os.PathLike[str]) -> Target:
    """Turn a path or URL into a ``Target``; a path is a SQLite file."""
    raw = os.fspath(target)
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError:
            raise DatabaseError(N_("{url} is not a database URL I can read."), url=repr(raw)) from None
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                return Target(raw, None)
            return Target(raw, Path(url.database).expanduser().resolve())
        if url.get_backend_name() != "postgresql":
            raise DatabaseError(
                N_("{backend} databases are not supported: use a SQLite file or a postgresql+psycopg:// URL."),
                backend=repr(url.get_backend_name()),
            )
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return Target(url.render_as_string(hide_password=False), None)
    path = Path(raw).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)


def _mount_fstype(path: Path) -> str | None:
    """The file-system type of the mount holding ``path`` (Linux), else None."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best, fstype = "", None
    p = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = parts[1].replace("\\040", " ")
        if (p == mnt or p.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
            best, fstype = mnt, parts[2]
    return fstype


def _on_network_share(path: Path) -> bool:
    if sys.platform == "win32":
        s = str(path)
        if s.startswith("\\\\"):
            return True
        import ctypes

        DRIVE_REMOTE = 4
        drive = os.path.splitdrive(s)[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOTE)
    folder = path if path.is_dir() else path.parent
    return (_mount_fstype(folder) or "") in NETWORK_FILESYSTEMS


def check_sqlite_file(path: Path) -> bool:
    """Refuse what cannot safely be a SQLite database; True when the file is new/empty.

    Reads at most 16 bytes and writes nothing, so a refused file is left as it was.
    """
    if path.is_dir():
        raise DatabaseError(N_("{path} is a folder, not a database file."), path=path)
    if not path.parent.is_dir():
        raise DatabaseError(N_("{path}: the folder {folder} does not exist."), path=path, folder=path.parent)
    if _on_network_share(path):
        raise DatabaseError(NETWORK_SHARE, path=path)
    if not path.exists():
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(N_("{path} cannot be read: {reason}."), path=path, reason=exc.strerror or exc,
                            errno=exc.errno) from None
    if not head:
        return True
    if head != SQLITE_MAGIC:
        raise DatabaseError(NOT_SQLITE, path=path)
    return False


def _install_sqlite_settings(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, say when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if read_only:  # the file's journal is as its writer left it (write-ahead logging)
            cur.close()
            return
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()
        desk_seal.install(dbapi_connection)  # a desk file's triggers seal the desk's changes with it
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            raise DatabaseError(N_("SQLite refused write-ahead logging for this file."))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("cd_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _read_only_uri(path: Path) -> str:
    """A URI opening ``path`` for reading only. With no ``-wal`` file beside it (no desk has
    it open and nothing is pending) it is read as immutable, so that SQLite creates no
    ``-wal`` or ``-shm`` file (it could not in a read-only folder, and would leave them in a
    writable one); otherwise read-only through the existing journal."""
    wal = path.with_name(path.name + "-wal")
    return f"{path.as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")


def make_engine(target: Target, *, read_only: bool = False) -> Engine:
    """An engine for ``target`` with the project's connection settings (no schema work);
    ``read_only`` opens a SQLite file for reading only (see ``_read_only_uri``)."""
    try:
        if target.path is not None and read_only:
            import sqlite3

            uri = _read_only_uri(target.path)
            engine = create_engine(
                "sqlite://", poolclass=QueuePool,
                creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                                check_same_thread=False))
            _install_sqlite_settings(engine, read_only=True)
        elif target.url.startswith("sqlite"):
            engine = create_engine(target.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _install_sqlite_settings(engine)
        else:
            engine = create_engine(target.url, pool_pre_ping=True, connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S, **PG_CONNECT_ARGS})
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            N_("cannot open {target}: a driver is missing ({detail}); install Conference Desk with the "
               "'postgres' extra."),
            target=target.label, detail=exc,
        ) from None
    except ArgumentError as exc:
        raise DatabaseError(CANNOT_OPEN, target=target.label, detail=exc) from None

    @event.listens_for(engine, "handle_error")
    def _name_the_database(context: Any) -> None:
        if context.sqlalchemy_exception is not None:
            context.sqlalchemy_exception.cd_target = target

    return engine


@dataclass(frozen=True)
class RawRead:
    """A read transaction of ``Database.read_raw()``: the DB-API ``connection`` and the
    engine's ``dialect`` (the attributes of a SQLAlchemy ``Connection`` that code running
    raw SQL uses)."""

    connection: Any
    dialect: Any


IDLE_RAW = 2
"""Connections a ``Database`` on a SQLite file keeps out of the pool between raw transactions:
taking one back from SQLAlchemy's pool and returning it cost ~7 µs, as much as the
statements of a check-in (a list's pop and append are atomic: threads may share it)."""


class _RawTransaction:
    """The context manager of ``Database.read_raw()`` / ``write_raw()``: a transaction on a
    pooled DB-API connection, ``begin`` on SQLite (PostgreSQL's driver begins with the first
    statement), committed at the end when ``commit``, rolled back otherwise and on error; a
    connection whose rollback fails is not used again. (A class, not a generator: the
    check-in's whole Python part is a few tens of µs.)"""

    __slots__ = ("_database", "_begin", "_commit", "_read")

    def __init__(self, database: Database, begin: str, commit: bool) -> None:
        self._database = database
        self._begin = begin
        self._commit = commit

    def __enter__(self) -> RawRead:
        database = self._database
        read = self._read = database._take_raw()
        if database._keep_raw:
            try:
                read.connection.dbapi_connection.execute(self._begin).close()
            except BaseException as exc:
                self._end(read)
                if isinstance(exc, database.engine.dialect.loaded_dbapi.Error):
                    raise database._wrapped(self._begin, exc) from exc
                raise
        return read

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        read = self._read
        try:
            if exc is not None:
                if isinstance(exc, StatementError):  # the caller's statements, wrapped by it: name the database
                    exc.cd_target = self._database.target  # type: ignore[attr-defined]
                return
            if self._commit:
                try:
                    read.connection.commit()
                except self._database.engine.dialect.loaded_dbapi.Error as error:
                    raise self._database._wrapped("COMMIT", error) from error
        finally:
            self._end(read)

    def _end(self, read: RawRead) -> None:
        raw = read.connection
        try:
            raw.rollback()  # nothing left after a commit; everything after an error or a read
        except self._database.engine.dialect.loaded_dbapi.Error:
            raw.invalidate()  # a broken connection: not pooled again
            raw.close()
        except BaseException:
            raw.close()
            raise
        else:
            self._database._give_back_raw(read)


class Database:
    """An open, up-to-date database and its session factories.

    ``read_only``: a SQLite file opened for reading only (its writes are refused with
    ``READ_ONLY``). Before the first write a SQLite file is checked (``check``), once.
    """

    def __init__(self, target: Target, engine: Engine, *, read_only: bool = False) -> None:
        self.target = target
        self.engine = engine
        self.read_only = read_only
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(cd_immediate=True), expire_on_commit=False
        )
        self._check_lock = threading.Lock()
        self._damage: str | None = None  # SQLite's first complaint, once the file was found damaged
        self._checked = target.path is None  # a server keeps its own pages sound
        # Raw transactions' connections kept between them (SQLite only: a server's are
        # pinged by the pool at each checkout): see ``_take_raw``.
        self._idle_raw: list[RawRead] = []
        self._keep_raw = engine.dialect.name == "sqlite"
        self._closed = False
        event.listen(engine, "handle_error", self._note_damage)

    def _note_damage(self, context: Any) -> None:
        """A read that meets a damaged page marks the database damaged: no write after it."""
        if self.target.path is not None and _CORRUPT.search(str(context.original_exception)):
            self._damage = str(context.original_exception).strip().splitlines()[0]

    def check(self) -> None:
        """Raise ``DatabaseError(DAMAGED)`` when the SQLite file is damaged (``PRAGMA
        quick_check``: every page, index and record, in some 0.4 s at 100,000
        registrations). The file is read once per ``Database``; a second caller waits for a
        check under way in another thread and gets its verdict."""
        if not self._checked:
            with self._check_lock:
                if not self._checked:
                    self._quick_check()
                    self._checked = True
        if self._damage is not None:
            raise DatabaseError(DAMAGED, target=self.label, detail=self._damage)

    def _quick_check(self) -> None:
        import sqlite3

        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA quick_check(1)").fetchall()
        except DBAPIError as exc:
            if exc.orig is not None and _CORRUPT.search(str(exc.orig)):
                self._damage = str(exc.orig).strip().splitlines()[0]
                return
            raise database_error(self.target, exc) from None
        except sqlite3.DatabaseError as exc:  # pragma: no cover - the driver's own, unwrapped
            self._damage = str(exc)
            return
        if [tuple(r) for r in rows] != [("ok",)]:
            self._damage = str(rows[0][0]) if rows else "quick_check"

    def check_in_background(self) -> None:
        """Start ``check`` in a thread of its own (the window, once shown): the first write
        waits for it only if it has not finished by then."""
        if not self._checked:
            threading.Thread(target=self._check_quietly, name="quick_check", daemon=True).start()

    def _check_quietly(self) -> None:
        with contextlib.suppress(Exception):  # said at the first write, which checks again
            self.check()

    def _may_write(self) -> None:
        if self.read_only:
            raise DatabaseError(READ_ONLY, target=self.label)
        self.check()

    @property
    def label(self) -> str:
        return self.target.label

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def read(self) -> Session:
        """A session for reading; close it (use ``with``) when done."""
        return self._read()

    def read_raw(self) -> contextlib.AbstractContextManager[RawRead]:
        """A read transaction on a pooled DB-API connection, rolled back when the block ends.

        What ``read()`` gives, for code that runs raw SQL on the driver's cursor, without
        the cost of an ORM session and a SQLAlchemy ``Connection`` (together some 0.1 ms,
        more than a badge-code lookup). On SQLite it starts with a deferred ``BEGIN``, so
        the statements of the block read one snapshot; on PostgreSQL the driver begins the
        transaction with the first statement, as a session does.
        """
        return self._raw("BEGIN", commit=False)

    def write_raw(self) -> contextlib.AbstractContextManager[RawRead]:
        """One write transaction on a pooled DB-API connection, as ``write()`` (``BEGIN
        IMMEDIATE`` on SQLite; committed when the block ends, rolled back on error), for a
        hot path of a few raw statements — a check-in at the desk — where the ORM session
        and SQLAlchemy ``Connection`` cost more than the statements themselves."""
        self._may_write()
        return self._raw("BEGIN IMMEDIATE", commit=True)

    def _raw(self, begin: str, *, commit: bool) -> _RawTransaction:
        return _RawTransaction(self, begin, commit)

    def _take_raw(self) -> RawRead:
        """A pooled connection for a raw transaction: on SQLite the one a raw transaction
        gave back last, if it is free (``IDLE_RAW``); otherwise the pool's."""
        try:
            return self._idle_raw.pop()
        except IndexError:
            pass
        try:
            raw = self.engine.raw_connection()
        except self.engine.dialect.loaded_dbapi.Error as exc:  # the pool's connect is not wrapped by SQLAlchemy
            raise self._wrapped("connect", exc) from exc
        return RawRead(raw, self.engine.dialect)

    def _give_back_raw(self, read: RawRead) -> None:
        """After a raw transaction, rolled back: kept for the next one (SQLite, open, room
        left), else back to the pool."""
        if self._keep_raw and len(self._idle_raw) < IDLE_RAW and not self._closed:
            self._idle_raw.append(read)
        else:
            read.connection.close()

    def _wrapped(self, statement: str, exc: Exception) -> StatementError:
        """The driver's error as SQLAlchemy's, naming this database (as ``handle_error``
        does for the errors that pass through SQLAlchemy)."""
        dialect = self.engine.dialect
        wrapped = DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error, dialect=dialect)
        wrapped.cd_target = self.target  # type: ignore[attr-defined]
        if self.target.path is not None and _CORRUPT.search(str(exc)):
            self._damage = str(exc).strip().splitlines()[0]
        return wrapped

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on error."""
        self._may_write()
        with self._write() as session, session.begin():
            yield session

    def close(self) -> None:
        self._closed = True
        while self._idle_raw:
            self._idle_raw.pop().connection.close()
        self.engine.dispose()


def _sqlite_revision_readonly(path: Path) -> tuple[str | None, bool]:
    """Like ``_current_revision``, on a read-only connection that changes nothing.

    A read-only connection to a WAL file still creates its ``-wal`` and ``-shm`` files;
    when no journal of either kind is there (no other connection has the file open, and no
    write is pending), the file is read as immutable so that nothing at all is created.
    """
    import sqlite3

    journals = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    mode = "mode=ro" if any(j.exists() for j in journals) else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.DatabaseError as exc:
        raise _sqlite_error(Target(path.as_uri(), path), str(exc)) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        own = bool(tables - {"sqlite_sequence", "alembic_version"})
        if "alembic_version" not in tables:
            return None, own
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return (row[0] if row else None), own
    except sqlite3.DatabaseError as exc:
        raise _sqlite_error(Target(path.as_uri(), path), str(exc)) from None
    finally:
        conn.close()


def _current_revision(engine: Engine) -> tuple[str | None, bool]:
    """(revision in the database, whether it has tables besides Alembic's own).

    An empty ``alembic_version`` and nothing else is a database at the base revision (for
    instance after a full downgrade): it is upgraded, not taken for another program's.
    """
    with engine.connect() as conn:
        insp = inspect(conn)
        tables = set(insp.get_table_names())
        own = bool(tables - {"alembic_version"})
        if "alembic_version" not in tables:
            return None, own
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return (rows[0] if rows else None), own


# What a server's refusal says (the driver's words, first line), and the sentence for it;
# the first that matches is said.
_SERVER_REFUSALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"password authentication failed|no password supplied|authentication failed|"
                r'role "[^"]*" does not exist', re.I), LOGIN_REFUSED),
    (re.compile(r'database "[^"]*" does not exist', re.I), NO_SUCH_DATABASE),
    (re.compile(r"server closed the connection|terminating connection|connection (is|was) (closed|lost)|"
                r"consuming input failed|EOF detected|connection reset|broken pipe|the connection is lost",
                re.I), SERVER_GONE),
    (re.compile(r"refused|time(d )?out|resolve host|translate host|name or service|no route|unreachable|"
                r"terminat|could not connect|connection failed", re.I), NO_ANSWER),
    (re.compile(r"could not extend file|no space left|disk full", re.I), SERVER_DISK_FULL),
    (re.compile(r"could not obtain lock|lock timeout|deadlock|canceling statement due to lock", re.I),
     SERVER_BUSY),
)
# What SQLite says of a file, and the sentence for it.
_CORRUPT = re.compile(r"malformed|database corrupt|disk image", re.I)
_SQLITE_IO = re.compile(r"disk I/O error|unable to open database file|refused the change|readonly", re.I)
DISK_ALMOST_FULL = 256 * 1024  # less room than this: a page, its journal frame and the -shm's growth
_SQLITE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"database or disk is full|disk is full|no space", re.I), DISK_FULL),
    (re.compile(r"database is locked|database table is locked|busy", re.I), LOCKED),
    (re.compile(r"readonly|read-only|read only|permission denied", re.I), READ_ONLY),
    (_CORRUPT, DAMAGED),
    (re.compile(r"not a database|encrypted", re.I), NOT_OURS),
)


def _disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has no room left (SQLite says "disk I/O error" when
    it cannot grow the ``-shm`` file it maps, not "full")."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < DISK_ALMOST_FULL
    except OSError:
        return False


def _sqlite_error(target: Target, detail: str) -> DatabaseError:
    detail = detail.strip().splitlines()[0] if detail.strip() else detail
    if target.path is not None and _SQLITE_IO.search(detail) and _disk_full(target.path):
        return DatabaseError(DISK_FULL, target=target.label, detail=detail)
    for pattern, template in _SQLITE_ERRORS:
        if pattern.search(detail):
            return DatabaseError(template, target=target.label, path=target.label, detail=detail)
    if "unable to open database file" in detail:
        return DatabaseError(N_("{path} cannot be opened: the file or its folder may not be writable here."),
                             path=target.label, detail=detail)
    return DatabaseError(CANNOT_OPEN, target=target.label, detail=detail)


def database_error(target: Target, exc: BaseException) -> DatabaseError:
    """The sentence for a driver's error on ``target`` (a ``DBAPIError`` or the driver's own):
    what happened there — full, read-only, locked, damaged, unreachable — naming the file
    or server, never the statement or its values."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    detail = lines[0] if lines else type(orig).__name__
    if target.path is not None:
        return _sqlite_error(target, detail)
    for pattern, template in _SERVER_REFUSALS:
        if pattern.search(detail):
            return DatabaseError(template, target=target.label, detail=detail)
    return DatabaseError(CANNOT_CONNECT, target=target.label, detail=detail)


def named_database_error(exc: BaseException) -> DatabaseError | None:
    """``database_error`` for an error of an open database, which names it (``cd_target``,
    set when it was raised); None for one that names no database or is not the driver's
    (a rule of the data: a unique key, a foreign key)."""
    target = getattr(exc, "cd_target", None)
    if not isinstance(target, Target) or not isinstance(exc, DBAPIError):
        return None
    said = database_error(target, exc)
    return None if said.template in (CANNOT_OPEN, CANNOT_CONNECT) else said


def _refuse_foreign(tgt: Target, revision: str | None, has_tables: bool) -> None:
    if revision is None and has_tables:
        raise DatabaseError(N_("{target} holds another program's tables, not a Conference Desk database."),
                            target=tgt.label)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            N_("{target} was written by a newer Conference Desk (schema {revision}); update the app to open it."),
            target=tgt.label, revision=revision,
        )


def open_database(target: str | os.PathLike[str] | Target, *, upgrade: bool = True,
                  read_only: bool = False) -> Database:
    """Open (creating or upgrading as needed) the database at ``target``.

    Raises ``DatabaseError`` with one sentence when the target is not a database, belongs
    to another program, is newer than this app, or cannot be reached. A refused SQLite file
    is not written to.

    ``read_only`` (a command that only reads): a file that is missing or empty is refused,
    not made a database; one that cannot be written here (its file, folder or disk) is
    opened for reading only, leaving nothing beside it. Without it such a file is refused.
    """
    tgt = target if isinstance(target, Target) else resolve_target(target)
    known: tuple[str | None, bool] | None = None
    reading_only = False
    if tgt.path is not None:
        new = check_sqlite_file(tgt.path)
        if read_only and new:
            raise DatabaseError(EMPTY_FILE if tgt.path.exists() else NO_SUCH_FILE, path=tgt.path)
        if not new:
            # An existing file: look before touching, so a refused file stays as it was.
            known = _sqlite_revision_readonly(tgt.path)
            _refuse_foreign(tgt, *known)
        if tgt.path.exists() and not writable(tgt.path):
            if not read_only:
                raise DatabaseError(READ_ONLY, target=tgt.label)
            reading_only = True
        elif new and not os.access(tgt.path.parent, os.W_OK | os.X_OK):
            raise DatabaseError(READ_ONLY, target=tgt.label)
    engine = make_engine(tgt, read_only=reading_only)
    database = Database(tgt, engine, read_only=reading_only)
    try:
        revision, has_tables = known if known is not None else _current_revision(engine)
        _refuse_foreign(tgt, revision, has_tables)
        if revision != SCHEMA_HEAD:
            if reading_only:
                raise DatabaseError(READ_ONLY_NEEDS_UPGRADE, target=tgt.label)
            if not upgrade:
                raise DatabaseError(N_("{target} needs an upgrade of its schema."), target=tgt.label)
            from db.migrate import upgrade_to_head  # Alembic is loaded only when needed

            if known is not None:
                database.check()  # an old file is not rewritten when it is damaged
            upgrade_to_head(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise database_error(tgt, exc) from None
    except OSError as exc:
        engine.dispose()
        raise DatabaseError(CANNOT_OPEN_OS, target=tgt.label, reason=exc.strerror or exc, errno=exc.errno) from None
    return database
