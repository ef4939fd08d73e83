"""Opening a database: new files, SQLite settings, refusals that leave files untouched, URLs."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from db.engine import BUSY_TIMEOUT_MS, Database, DatabaseError, open_database, resolve_target
from db.models import Base, Organisation
from db.schema import SCHEMA_HEAD


def sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def make_conference_file(path: Path) -> bytes:
    """A closed, fully checkpointed Conference Desk file at ``path``; returns its bytes."""
    db = open_database(path)
    with db.write() as s:
        s.add(Organisation(name={"en": "Ministry of Justice"}))
    db.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path.read_bytes()


# --- a new file ----------------------------------------------------------------------


def test_new_file_is_created_at_head_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "sub dir ä" / "new.sqlite"
    path.parent.mkdir()
    assert not path.exists()
    db = open_database(str(path))
    try:
        assert path.read_bytes().startswith(b"SQLite format 3\x00")
        with db.engine.connect() as conn:
            tables = set(conn.dialect.get_table_names(conn))
        assert set(Base.metadata.tables) | {"alembic_version"} <= tables
        with db.write() as s:
            s.add(Organisation(name={"kk": "Әділет министрлігі"}))
    finally:
        db.close()
    assert sqlite_revision(path) == SCHEMA_HEAD

    again = open_database(path)
    try:
        with again.read() as s:
            names = s.scalars(select(Organisation.name)).all()
        assert names == [{"kk": "Әділет министрлігі"}]
    finally:
        again.close()


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    open_database(path).close()
    assert sqlite_revision(path) == SCHEMA_HEAD


def test_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "x.sqlite"
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert str(path) in str(err.value)
    assert not path.parent.exists()


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "fuse.sshfs"])
def test_file_on_a_network_share_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fstype: str
) -> None:
    import db.engine

    monkeypatch.setattr(db.engine, "_mount_fstype", lambda _path: fstype)
    path = tmp_path / "on-share.sqlite"
    with pytest.raises(DatabaseError, match="network share") as err:
        open_database(path)
    assert str(path) in str(err.value) and "PostgreSQL" in str(err.value)
    assert os.listdir(tmp_path) == []


# --- SQLite settings on every connection ---------------------------------------------


@pytest.fixture
def sqlite_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "desk.sqlite")
    yield db
    db.close()


PRAGMAS = [
    ("journal_mode", lambda v: str(v).lower() == "wal"),
    ("synchronous", lambda v: v == 2),  # FULL
    ("foreign_keys", lambda v: v == 1),
    ("busy_timeout", lambda v: v >= 5000),
]


@pytest.mark.parametrize("session_kind", ["read", "write"])
@pytest.mark.parametrize(("pragma", "ok"), PRAGMAS, ids=[p for p, _ in PRAGMAS])
def test_sqlite_connection_settings(
    sqlite_db: Database, session_kind: str, pragma: str, ok: Callable[[object], bool]
) -> None:
    if session_kind == "read":
        with sqlite_db.read() as s:
            value = s.execute(text(f"PRAGMA {pragma}")).scalar()
    else:
        with sqlite_db.write() as s:
            value = s.execute(text(f"PRAGMA {pragma}")).scalar()
    assert ok(value), f"PRAGMA {pragma} is {value!r}"


def test_settings_hold_on_every_pooled_connection(sqlite_db: Database) -> None:
    conns = [sqlite_db.engine.connect() for _ in range(3)]
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    finally:
        for conn in conns:
            conn.close()


def try_begin_immediate(path: Path) -> bool:
    """Whether another connection could take the write lock right now (no waiting)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    else:
        conn.execute("ROLLBACK")
        return True
    finally:
        conn.close()


def test_write_session_takes_the_write_lock_at_once(sqlite_db: Database) -> None:
    """``write()`` begins with BEGIN IMMEDIATE: even before it writes, others cannot write."""
    path = sqlite_db.target.path
    assert path is not None
    with sqlite_db.write() as s:
        s.execute(text("SELECT 1")).scalar()  # the session's transaction has begun
        assert not try_begin_immediate(path)
    assert try_begin_immediate(path)


def test_read_session_does_not_take_the_write_lock(sqlite_db: Database) -> None:
    path = sqlite_db.target.path
    assert path is not None
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0
        assert try_begin_immediate(path)


def _organisations(read) -> int:  # type: ignore[no-untyped-def]
    cursor = read.connection.cursor()
    try:
        cursor.execute("SELECT count(*) FROM organisation")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()


def test_raw_read_sees_one_snapshot_and_takes_no_lock(sqlite_db: Database) -> None:
    """``read_raw()`` is a deferred read transaction: its queries see the database as it
    was at the first of them, a write meanwhile is not blocked, and the next read sees it."""
    path = sqlite_db.target.path
    assert path is not None
    with sqlite_db.read_raw() as read:
        assert _organisations(read) == 0
        assert try_begin_immediate(path)
        with sqlite_db.write() as s:
            s.add(Organisation(name={"en": "OSCE"}))
        assert _organisations(read) == 0  # the same snapshot
    with sqlite_db.read_raw() as read:
        assert _organisations(read) == 1


def test_raw_read_gives_back_its_connection_without_a_transaction(database: Database) -> None:
    with database.read_raw() as read:
        assert _organisations(read) == 0
    with pytest.raises(RuntimeError):
        with database.read_raw() as read:
            _organisations(read)
            raise RuntimeError("the block failed")
    with database.write() as s:  # the pooled connection is free to write again
        s.add(Organisation(name={"en": "OSCE"}))
    with database.read_raw() as read:
        assert _organisations(read) == 1
        assert read.dialect.name == database.dialect


def test_raw_transactions_keep_their_connection_until_the_database_closes(tmp_path: Path) -> None:
    """On SQLite a raw transaction's connection is kept for the next one (taking it from the
    pool and back cost as much as a check-in's statements): the same connection, with no
    transaction left open after a commit, a read or a failure; a second one at the same
    time gets another; ``close`` gives them all back (the pool has none out, the -wal file
    goes)."""
    path = tmp_path / "raw.sqlite"
    database = open_database(path)
    with database.write_raw() as first:
        first.connection.cursor().execute("CREATE TABLE kept (x INTEGER)")
        first.connection.cursor().execute("INSERT INTO kept VALUES (1)")
    with pytest.raises(RuntimeError):
        with database.write_raw() as again:
            assert again.connection is first.connection
            again.connection.cursor().execute("DELETE FROM kept")
            raise RuntimeError("the block failed")
    with database.read_raw() as read, database.write_raw() as other:
        assert read.connection is first.connection and other.connection is not first.connection
        cursor = read.connection.cursor()
        assert cursor.execute("SELECT count(*) FROM kept").fetchone()[0] == 1  # the delete was rolled back
        cursor.close()
    assert database.engine.pool.checkedout() == 2  # both kept (IDLE_RAW)
    with database.write() as s:  # nothing kept holds a transaction: a writer goes at once
        s.add(Organisation(name={"en": "OSCE"}))
    database.close()
    assert database.engine.pool.checkedout() == 0
    assert not path.with_name(path.name + "-wal").exists()


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    """Two Databases on one file: the second write() waits while the first is open, then runs."""
    path = tmp_path / "shared.sqlite"
    first = open_database(path)
    second = open_database(path)
    outcome: list[BaseException | None] = []

    def second_writer() -> None:
        try:
            with second.write() as s:
                s.add(Organisation(name={"en": "Second"}))
            outcome.append(None)
        except BaseException as exc:  # reported below
            outcome.append(exc)

    try:
        with first.write() as s:
            s.add(Organisation(name={"en": "First"}))
            s.flush()
            worker = threading.Thread(target=second_writer, daemon=True)
            worker.start()
            worker.join(0.5)
            assert worker.is_alive() and not outcome, "the second writer did not wait"
            # WAL: a reader is not blocked by the open write and sees the last commit only.
            with second.read() as r:
                assert r.scalar(select(func.count()).select_from(Organisation)) == 0
        worker.join(BUSY_TIMEOUT_MS / 1000)
        assert outcome == [None]
        with first.read() as r:
            names = r.scalars(select(Organisation.name).order_by(Organisation.id)).all()
        assert names == [{"en": "First"}, {"en": "Second"}]
    finally:
        first.close()
        second.close()


# --- refusals that leave the file exactly as it was ------------------------------------


def _text_file(p: Path) -> Path:
    p.write_text("Фамилия,Имя,E-mail\nҚасымова,Әсел,asel@example.kz\n", encoding="utf-8")
    return p


def _binary_file(p: Path) -> Path:
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(8192))
    return p


def _folder(p: Path) -> Path:
    p.mkdir()
    (p / "inside.txt").write_text("keep me")
    return p


def _other_program(journal_mode: str) -> Callable[[Path], Path]:
    def make(p: Path) -> Path:
        conn = sqlite3.connect(p)
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Ғалым'), ('Іңкәр')")
        conn.commit()
        conn.close()
        return p

    return make


def _truncated(keep: Callable[[int], int]) -> Callable[[Path], Path]:
    def make(p: Path) -> Path:
        data = make_conference_file(p)
        p.write_bytes(data[: keep(len(data))])
        return p

    return make


def _corrupt(p: Path) -> Path:
    data = make_conference_file(p)
    p.write_bytes(data[:100] + os.urandom(len(data) - 100))
    return p


def _newer(p: Path) -> Path:
    make_conference_file(p)
    conn = sqlite3.connect(p)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    return p


@dataclass(frozen=True)
class Refusal:
    name: str
    make: Callable[[Path], Path]
    says: str  # a fragment the message must hold (lower case)


REFUSALS = [
    Refusal("text file", _text_file, "not a sqlite file"),
    Refusal("binary file", _binary_file, "not a sqlite file"),
    Refusal("folder", _folder, "folder"),
    Refusal("other program, rollback journal", _other_program("DELETE"), "another program"),
    Refusal("other program, WAL", _other_program("WAL"), "another program"),
    Refusal("header only", _truncated(lambda n: 100), "damaged"),
    Refusal("half the first page", _truncated(lambda n: 2048), "damaged"),
    Refusal("first page only", _truncated(lambda n: 4096), "damaged"),
    Refusal("half the file", _truncated(lambda n: n // 2 // 4096 * 4096), "damaged"),
    Refusal("last page missing", _truncated(lambda n: n - 4096), "damaged"),
    Refusal("corrupt pages", _corrupt, "damaged"),
    Refusal("newer schema", _newer, "newer"),
]


def snapshot(folder: Path, target: Path) -> dict[str, object]:
    """Everything a refusal must leave alone: the folder's listing, the target's bytes and times."""
    shot: dict[str, object] = {"listing": sorted(os.listdir(folder))}
    for p in [target, *sorted(target.rglob("*"))] if target.is_dir() else [target]:
        st = p.stat()
        shot[str(p)] = (p.read_bytes() if p.is_file() else None, st.st_mtime_ns, st.st_size)
    return shot


@pytest.mark.parametrize("case", REFUSALS, ids=[r.name for r in REFUSALS])
def test_refused_file_is_left_unchanged(tmp_path: Path, case: Refusal) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    target = case.make(folder / "attendees.sqlite")
    before = snapshot(folder, target)

    with pytest.raises(DatabaseError) as err:
        open_database(str(target))

    message = str(err.value)
    assert str(target) in message, "the message names the file"
    assert case.says in message.lower()
    assert "\n" not in message.strip()
    assert snapshot(folder, target) == before, "a refused file must be left as it was"


# --- refusals on either backend ------------------------------------------------------


def _raw_engine(db_target: str):  # type: ignore[no-untyped-def]
    return create_engine(resolve_target(db_target).url, poolclass=NullPool)


def test_newer_schema_is_refused(db_target: str) -> None:
    open_database(db_target).close()
    engine = _raw_engine(db_target)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(DatabaseError, match="newer") as err:
            open_database(db_target)
        assert "9999" in str(err.value)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    finally:
        engine.dispose()


def test_another_programs_tables_are_refused(db_target: str) -> None:
    engine = _raw_engine(db_target)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
        with pytest.raises(DatabaseError, match="another program"):
            open_database(db_target)
        with engine.connect() as conn:
            tables = set(conn.dialect.get_table_names(conn))
        assert tables == {"invoices"}, "nothing was added to the other program's database"
    finally:
        engine.dispose()


def test_unreachable_server_is_a_database_error() -> None:
    with pytest.raises(DatabaseError, match="127.0.0.1") as err:
        open_database("postgresql://someone:secret-word@127.0.0.1:1/nothing")
    assert "secret-word" not in str(err.value)


# --- what a target names -------------------------------------------------------------


URLS = [
    ("postgresql://desk:pw@db.example.kz:5432/conf", "postgresql+psycopg://desk:pw@db.example.kz:5432/conf"),
    ("postgresql+psycopg://desk@10.0.0.5/conf", "postgresql+psycopg://desk@10.0.0.5/conf"),
]


@pytest.mark.parametrize(("given", "url"), URLS)
def test_postgres_urls_use_psycopg(given: str, url: str) -> None:
    target = resolve_target(given)
    assert target.url == url
    assert target.path is None
    assert ":pw@" not in target.label, "the label shown to people hides the password"


@pytest.mark.parametrize(
    "given", ["mysql://root@localhost/conf", "mysql+pymysql://root@localhost/conf", "oracle://x@y/z", "mssql+pyodbc://x"]
)
def test_other_servers_are_refused(given: str) -> None:
    with pytest.raises(DatabaseError, match="not supported"):
        resolve_target(given)


@pytest.mark.parametrize(
    "given",
    [
        "conference.sqlite",
        "nested/dir/Конференция 2025.sqlite",
        "~/desk.sqlite",
    ],
)
def test_plain_paths_are_sqlite_files(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    target = resolve_target(given)
    expected = Path(given).expanduser()
    expected = (expected if expected.is_absolute() else tmp_path / expected).resolve()
    assert target.path == expected
    assert target.path.is_absolute()
    assert target.url == f"sqlite:///{expected}"


def test_path_objects_and_sqlite_urls(tmp_path: Path) -> None:
    p = tmp_path / "a.sqlite"
    assert resolve_target(p).path == p.resolve()
    assert resolve_target(f"sqlite:///{p}").path == p.resolve()
