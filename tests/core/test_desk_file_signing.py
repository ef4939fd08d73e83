"""Desk files that cannot be forged (issue 12, part 4) and whose fields are checked before a
merge (part 3): a file another database wrote, one edited with another program after its
export, and one written before desk files were signed are refused with one sentence naming
the file, and add nothing; the desk's own work (check-ins, walk-ins, even edits made with
the app) still merges exactly once. The main database is SQLite or PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import uuid as uuid_mod
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.desk_seal import install
from db.engine import Database, open_database
from db.models import CheckIn, DatabaseSecret, Registration
from desktop.core import desk_signing
from desktop.core.desk import check_in as desk_check_in
from desktop.core.desk import walk_in as desk_walk_in
from desktop.core.desk_file import (
    META_TABLE,
    TamperedDeskFile,
    export_desk_file,
    merge_desk_file,
)
from desktop.core.desk_signing import SEAL_TABLE, SIGNED_TABLES
from tests.core.test_desk_file import LOBBY, check_in, dump, unchecked_codes
from tests.databases import Templates

NOTHING_MERGED = "so it is refused and nothing was merged"


@pytest.fixture
def exported(demo: tuple[Database, int], tmp_path: Path) -> tuple[Database, int, Path]:
    database, event_id = demo
    folder = tmp_path / "desks"
    folder.mkdir()
    path = folder / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    return database, event_id, path


def check_in_count(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(CheckIn)) or 0)


def refused(database: Database, path: Path, *fragments: str) -> str:
    """Merge ``path`` (and a dry run of it): refused with one sentence naming it and holding
    every fragment; nothing in ``database`` changed."""
    before = dump(database)
    for dry_run in (True, False):
        with pytest.raises(TamperedDeskFile) as caught:
            merge_desk_file(database, path, dry_run=dry_run)
        message = str(caught.value)
        assert message.startswith(str(path)) and "\n" not in message, message
        for fragment in fragments:
            assert fragment in message, message
    assert dump(database) == before
    return message


def drop_triggers(conn: sqlite3.Connection) -> None:
    """What someone editing the file with another program does first: the triggers call a
    function only Conference Desk's connections know, so every change fails until they go."""
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                                "'desk_seal_%'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")


def desk_work(database: Database, event_id: int, path: Path) -> list[str]:
    """Two check-ins and a walk-in at the desk, made with the app's own desk calls."""
    codes = unchecked_codes(database, event_id, 2)
    desk = open_database(path)
    try:
        with desk.read() as session:
            desk_event = session.scalar(select(Registration.event_id).limit(1))
        assert desk_event is not None
        for code in codes:
            assert desk_check_in(desk, desk_event, code, LOBBY).admitted
        desk_walk_in(desk, desk_event, "Aigerim", "Walker", "Astana Law School", "participant", LOBBY,  # type: ignore[arg-type]
                     "a.walker@example.org")
    finally:
        desk.close()
    return codes


# -- what is signed, and where the key lives ------------------------------------------------------


def test_the_key_stays_in_the_database_and_the_file_is_signed(exported: tuple[Database, int, Path]) -> None:
    database, _event_id, path = exported
    with database.read() as session:
        keys = session.scalars(select(DatabaseSecret.value)).all()
    assert len(keys) == 1 and len(keys[0]) == 32
    content = path.read_bytes()
    assert keys[0] not in content and keys[0].hex().encode() not in content
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM database_secret").fetchone() == (0,)
        meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    assert meta["format"] == desk_signing.SIGNED_FORMAT and len(meta["signature"]) == 64
    assert {f"top.{t}" for t in SIGNED_TABLES} <= meta.keys()
    # A second export signs with the same key (made once).
    export_desk_file(database, path.with_name("second.deskdb"), _event_id)
    with database.read() as session:
        assert session.scalars(select(DatabaseSecret.value)).all() == keys


def test_the_desks_work_made_with_the_app_merges_exactly_once(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    codes = desk_work(database, event_id, path)
    desk = open_database(path)
    try:  # the desk also edits a registration it was given and adds a check-in with the ORM
        with desk.write() as session:
            session.execute(update(Registration).where(Registration.badge_code == codes[0])
                            .values(notes="Came with a guide dog"))
        check_in(desk, unchecked_codes(database, event_id, 3)[2], LOBBY)
    finally:
        desk.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute(f"SELECT count(*) FROM {SEAL_TABLE}").fetchone()[0] >= 6
    before = check_in_count(database)
    report = merge_desk_file(database, path)
    assert (report.new_check_ins, report.walk_ins_added, report.people_added) == (4, 1, 1)
    assert check_in_count(database) == before + 4
    again = merge_desk_file(database, path)
    assert (again.new_check_ins, again.walk_ins_added, again.already_present) == (0, 0, 4)
    assert check_in_count(database) == before + 4


# -- forged: not written by desk-export of this database ---------------------------------------------


def resign(path: Path, key: bytes) -> None:
    """What a forger who knows the format but not this database's key does: sign the file
    anew with a key of their own."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute(f"DROP TABLE {SEAL_TABLE}")
        meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
        for name in ("signature", "file_id", "desk_key"):
            meta.pop(name)
        conn.execute("BEGIN")
        signed = desk_signing.sign(conn, {k: v for k, v in meta.items() if not k.startswith("top.")}, key)
        conn.execute(f"DELETE FROM {META_TABLE}")
        conn.executemany(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?)", list(signed.items()))
        conn.execute("COMMIT")
    finally:
        conn.close()


def add_check_in_by_hand(path: Path, code: str) -> int:
    """Check the badge ``code`` in with sqlite3 (the desk's seal triggers dropped); the new row's id."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute("INSERT INTO check_in (uuid, registration_id, desk, action, happened_at, recorded_at) "
                     "SELECT ?, id, 'Lobby laptop', 'in', '2026-01-01 09:00:00.000000', "
                     "'2026-01-01 09:00:00.000000' FROM registration WHERE badge_code = ?",
                     (uuid_mod.uuid4().hex, code))
        return int(conn.execute("SELECT max(id) FROM check_in").fetchone()[0])
    finally:
        conn.close()


def test_a_file_signed_with_another_key_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    code = unchecked_codes(database, event_id, 1)[0]
    add_check_in_by_hand(path, code)
    resign(path, os.urandom(32))
    message = refused(database, path, "was not written by desk-export of this database")
    assert code not in message


def test_a_file_exported_by_another_database_of_the_same_event_is_refused(
        tmp_path: Path, db_templates: Templates) -> None:
    # Two copies of one database: the same event, the same uuids, each its own key.
    main = open_database(db_templates.copy_sqlite("demo", tmp_path / "main.sqlite"))
    other = open_database(db_templates.copy_sqlite("demo", tmp_path / "other.sqlite"))
    event_id = db_templates.demo_event_id["sqlite"]
    try:
        export_desk_file(main, tmp_path / "own.deskdb", event_id)  # main has its key
        export_desk_file(other, tmp_path / "other.deskdb", event_id)
        check_in(open_database(tmp_path / "other.deskdb"), unchecked_codes(main, event_id, 1)[0], LOBBY)
        refused(main, tmp_path / "other.deskdb", "other.deskdb was not written by desk-export of this database")
        assert merge_desk_file(other, tmp_path / "other.deskdb").new_check_ins == 1
    finally:
        main.close()
        other.close()


def test_a_database_that_never_exported_refuses_every_file(tmp_path: Path, db_templates: Templates) -> None:
    main = open_database(db_templates.copy_sqlite("demo", tmp_path / "main.sqlite"))
    other = open_database(db_templates.copy_sqlite("demo", tmp_path / "other.sqlite"))
    event_id = db_templates.demo_event_id["sqlite"]
    try:
        export_desk_file(other, tmp_path / "other.deskdb", event_id)
        refused(main, tmp_path / "other.deskdb", "was not written by desk-export of this database")
        with main.read() as session:  # a merge makes no key
            assert session.scalar(select(func.count()).select_from(DatabaseSecret)) == 0
    finally:
        main.close()
        other.close()


# -- edited after the export by another program ---------------------------------------------------


def test_sqlite3_cannot_add_a_check_in_while_the_triggers_are_there(exported: tuple[Database, int, Path]) -> None:
    _database, _event_id, path = exported
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.OperationalError, match="cd_desk_seal"):
        conn.execute("INSERT INTO check_in (uuid, registration_id, desk, action, happened_at, recorded_at) "
                     "VALUES (?, 1, 'x', 'in', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
                     (uuid_mod.uuid4().hex,))


def test_a_check_in_added_with_sqlite3_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)  # real desk work too: it does not excuse the added row
    code = unchecked_codes(database, event_id, 3)[2]
    row = add_check_in_by_hand(path, code)
    before = check_in_count(database)
    refused(database, path, "was changed after desk-export by something other than Conference Desk",
            f"table check_in, row {row}")
    assert check_in_count(database) == before


def test_a_check_in_added_with_a_made_up_seal_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    code = unchecked_codes(database, event_id, 1)[0]
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # a function of the same name that does not know the key
        conn.create_function("cd_desk_seal", 2, lambda key, message: "0" * 64)
        conn.execute("INSERT INTO check_in (uuid, registration_id, desk, action, happened_at, recorded_at) "
                     "SELECT ?, id, 'Lobby laptop', 'in', '2026-01-01 09:00:00.000000', "
                     "'2026-01-01 09:00:00.000000' FROM registration WHERE badge_code = ?",
                     (uuid_mod.uuid4().hex, code))
    finally:
        conn.close()
    refused(database, path, "table check_in, row")


@pytest.mark.parametrize("change", [
    "UPDATE registration SET badge_code = 'FORGED1' WHERE id = (SELECT min(id) FROM registration)",
    "UPDATE registration SET uuid = lower(hex(randomblob(16))) WHERE id = (SELECT min(id) FROM registration)",
    "UPDATE registration SET status = 'confirmed', notes = 'x' WHERE id = (SELECT max(id) FROM registration)",
    "DELETE FROM check_in WHERE id = (SELECT min(id) FROM check_in)",
    "UPDATE person SET email = 'someone@example.org' WHERE id = (SELECT min(id) FROM person)",
])
def test_an_exported_row_changed_with_sqlite3_is_refused(exported: tuple[Database, int, Path], change: str) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        assert conn.execute(change).rowcount == 1
    finally:
        conn.close()
    before = check_in_count(database)
    table = change.split()[2 if change.startswith("DELETE") else 1]
    message = refused(database, path, "was changed after desk-export", f"(table {table}")
    assert "someone@example.org" not in message
    assert check_in_count(database) == before


def test_a_check_in_the_desk_made_and_sqlite3_changed_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # move the desk's check-in to someone else
        drop_triggers(conn)
        row = conn.execute("SELECT max(id) FROM check_in").fetchone()[0]
        conn.execute("UPDATE check_in SET registration_id = registration_id + 1 WHERE id = ?", (row,))
    finally:
        conn.close()
    refused(database, path, f"table check_in, row {row}")


def test_a_changed_description_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    with sqlite3.connect(path) as conn:  # "the desk's check-ins are all from the export": hide them
        conn.execute(f"UPDATE {META_TABLE} SET value = '100000' WHERE key = 'top.check_in'")
    refused(database, path, "was not written by desk-export of this database")


def test_a_row_copied_from_another_desk_file_is_refused(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    second = path.with_name("second.deskdb")
    export_desk_file(database, second, event_id)
    desk_work(database, event_id, second)  # sealed with the second file's key
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute("ATTACH DATABASE ? AS other", (str(second),))
        top = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'top.check_in'").fetchone()[0]
        conn.execute("INSERT INTO check_in SELECT * FROM other.check_in WHERE id > ?", (int(top),))
        conn.execute(f"INSERT INTO {SEAL_TABLE} SELECT * FROM other.{SEAL_TABLE} WHERE tbl = 'check_in'")
    finally:
        conn.close()
    refused(database, path, "table check_in, row")


# -- old files --------------------------------------------------------------------------------------


def test_an_unsigned_desk_file_is_refused_with_advice_to_export_a_new_one(
        exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # a file as desk-export wrote it before signing
        drop_triggers(conn)
        conn.execute(f"DROP TABLE {SEAL_TABLE}")
        conn.execute(f"DELETE FROM {META_TABLE} WHERE key IN ('signature', 'file_id', 'desk_key') "
                     "OR key LIKE 'top.%'")
        conn.execute(f"UPDATE {META_TABLE} SET value = '1' WHERE key = 'format'")
    finally:
        conn.close()
    content = path.read_bytes()
    refused(database, path, "is a desk file of an older kind, which is not signed",
            "export a new desk file from this database")
    assert path.read_bytes() == content


# -- the fields of the desk's rows (issue 12, part 3) -------------------------------------------------


def app_connection(path: Path) -> sqlite3.Connection:
    """A connection that seals its changes as Conference Desk's own do (a desk that wrote a
    bad value: an older or broken desk, not a forger)."""
    conn = sqlite3.connect(path, isolation_level=None)
    install(conn)
    return conn


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("desk", "D" * 10_000, "it is longer than 80 characters"),
    ("happened_at", "yesterday", "it is not a valid date and time"),
    ("uuid", "not-a-uuid", "it is not a valid identifier (UUID)"),
    ("registration_id", 999_999, "it points to a row that is not in the file"),
])
def test_a_bad_field_of_a_desk_check_in_is_named_not_printed(
        exported: tuple[Database, int, Path], column: str, value: object, problem: str) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    conn = app_connection(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        row = conn.execute("SELECT max(id) FROM check_in").fetchone()[0]
        conn.execute(f"UPDATE check_in SET {column} = ? WHERE id = ?", (value, row))
    finally:
        conn.close()
    message = refused(database, path, f"in table check_in, row {row}, the field {column} is wrong ({problem})")
    assert "DDDDDDDDDD" not in message and len(message) < 300


def test_a_bad_field_of_a_walk_in_never_shows_the_persons_name_or_e_mail(
        exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk_work(database, event_id, path)
    conn = app_connection(path)
    try:
        row = conn.execute("SELECT id FROM person WHERE family_name = 'Walker'").fetchone()[0]
        conn.execute("UPDATE person SET email = 'walker at example', given_name = ? WHERE id = ?", ("A" * 500, row))
    finally:
        conn.close()
    message = refused(database, path, f"in table person, row {row}, the field given_name is wrong "
                                      "(it is longer than 120 characters)")
    assert "Walker" not in message and "example" not in message and "AAAA" not in message
    conn = app_connection(path)
    try:
        conn.execute("UPDATE person SET given_name = 'Aigerim' WHERE id = ?", (row,))
    finally:
        conn.close()
    message = refused(database, path, f"in table person, row {row}, the field email is wrong "
                                      "(it is not a valid e-mail address)")
    assert "walker" not in message.lower().replace(str(path).lower(), "")
