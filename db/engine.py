"""Opening a database: a SQLite file or a server URL.

Nothing is created at import time. ``open_database(target)`` checks the target, makes the
engine with the SQLite settings of ``design.md``, brings the schema to the app's version
through the Alembic migrations, and returns a ``Database`` with session factories:

* ``db.read()``  — a session for reading (a deferred ``BEGIN`` on SQLite);
* ``db.read_raw()`` — the same read transaction on the pool's DB-API connection, without an
  ORM session: for hot read paths that run compiled SQL (a search on every keystroke);
* ``db.write()`` — a session whose transaction starts with ``BEGIN IMMEDIATE`` on SQLite,
  commits on success and rolls back on any error, so a failed write changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
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


def _install_sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, say when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            raise DatabaseError(N_("SQLite refused write-ahead logging for this file."))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("cd_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(target: Target) -> Engine:
    """An engine for ``target`` with the project's connection settings (no schema work)."""
    try:
        if target.url.startswith("sqlite"):
            engine = create_engine(target.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _install_sqlite_settings(engine)
        else:
            engine = create_engine(target.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            N_("cannot open {target}: a driver is missing ({detail}); install Conference Desk with the "
               "'postgres' extra."),
            target=target.label, detail=exc,
        ) from None
    except ArgumentError as exc:
        raise DatabaseError(CANNOT_OPEN, target=target.label, detail=exc) from None
    return engine


@dataclass(frozen=True)
class RawRead:
    """A read transaction of ``Database.read_raw()``: the DB-API ``connection`` and the
    engine's ``dialect`` (the attributes of a SQLAlchemy ``Connection`` that code running
    raw SQL uses)."""

    connection: Any
    dialect: Any


class Database:
    """An open, up-to-date database and its session factories."""

    def __init__(self, target: Target, engine: Engine) -> None:
        self.target = target
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(cd_immediate=True), expire_on_commit=False
        )

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
        return self._raw("BEGIN IMMEDIATE", commit=True)

    @contextlib.contextmanager
    def _raw(self, begin: str, *, commit: bool) -> Iterator[RawRead]:
        """A transaction on a pooled DB-API connection: ``begin`` on SQLite (PostgreSQL's
        driver begins with the first statement), committed at the end when ``commit``, rolled
        back otherwise and on error; a connection whose rollback fails is not pooled again."""
        dialect = self.engine.dialect
        driver_error = dialect.loaded_dbapi.Error
        raw = self.engine.raw_connection()
        try:
            if dialect.name == "sqlite":
                cursor = raw.cursor()
                try:
                    cursor.execute(begin)
                except driver_error as exc:
                    raise DBAPIError.instance(begin, None, exc, driver_error, dialect=dialect) from exc
                finally:
                    cursor.close()
            yield RawRead(raw, dialect)
            if commit:
                try:
                    raw.commit()
                except driver_error as exc:
                    raise DBAPIError.instance("COMMIT", None, exc, driver_error, dialect=dialect) from exc
        finally:
            try:
                raw.rollback()  # nothing left after a commit; everything after an error or a read
            except driver_error:
                raw.invalidate()  # a broken connection: not pooled again
            finally:
                raw.close()  # back to the pool

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on error."""
        with self._write() as session, session.begin():
            yield session

    def close(self) -> None:
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
    conn = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        own = bool(tables - {"sqlite_sequence", "alembic_version"})
        if "alembic_version" not in tables:
            return None, own
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return (row[0] if row else None), own
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(NOT_OURS, path=path, detail=exc) from None
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
    (re.compile(r"refused|time(d )?out|resolve host|translate host|name or service|no route|unreachable|"
                r"server closed|terminat", re.I), NO_ANSWER),
)


def _dbapi_error(target: Target, exc: DBAPIError) -> DatabaseError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if target.path is not None:
        if "not a database" in detail or "malformed" in detail or "encrypted" in detail:
            return DatabaseError(NOT_OURS, path=target.path, detail=detail)
        if "unable to open database file" in detail:
            return DatabaseError(N_("{path} cannot be opened: the file or its folder may not be writable here."),
                                 path=target.path, detail=detail)
        return DatabaseError(CANNOT_OPEN, target=target.path, detail=detail)
    for pattern, template in _SERVER_REFUSALS:
        if pattern.search(detail):
            return DatabaseError(template, target=target.label, detail=detail)
    return DatabaseError(CANNOT_CONNECT, target=target.label, detail=detail)


def _refuse_foreign(tgt: Target, revision: str | None, has_tables: bool) -> None:
    if revision is None and has_tables:
        raise DatabaseError(N_("{target} holds another program's tables, not a Conference Desk database."),
                            target=tgt.label)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            N_("{target} was written by a newer Conference Desk (schema {revision}); update the app to open it."),
            target=tgt.label, revision=revision,
        )


def open_database(target: str | os.PathLike[str] | Target, *, upgrade: bool = True) -> Database:
    """Open (creating or upgrading as needed) the database at ``target``.

    Raises ``DatabaseError`` with one sentence when the target is not a database, belongs
    to another program, is newer than this app, or cannot be reached. A refused SQLite file
    is not written to.
    """
    tgt = target if isinstance(target, Target) else resolve_target(target)
    known: tuple[str | None, bool] | None = None
    if tgt.path is not None and not check_sqlite_file(tgt.path):
        # An existing file: look before touching, so a refused file stays as it was.
        known = _sqlite_revision_readonly(tgt.path)
        _refuse_foreign(tgt, *known)
    engine = make_engine(tgt)
    try:
        revision, has_tables = known if known is not None else _current_revision(engine)
        _refuse_foreign(tgt, revision, has_tables)
        if revision != SCHEMA_HEAD:
            if not upgrade:
                raise DatabaseError(N_("{target} needs an upgrade of its schema."), target=tgt.label)
            from db.migrate import upgrade_to_head  # Alembic is loaded only when needed

            upgrade_to_head(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise _dbapi_error(tgt, exc) from None
    except OSError as exc:
        engine.dispose()
        raise DatabaseError(CANNOT_OPEN_OS, target=tgt.label, reason=exc.strerror or exc, errno=exc.errno) from None
    return Database(tgt, engine)
