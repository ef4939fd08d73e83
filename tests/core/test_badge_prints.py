"""Badges printed at a desk (issue 12, part 5): the record every desk sees — on the shared
database, and in a desk file, from which a merge brings it back exactly once; a record
added to a desk file with another program is refused like a forged check-in. The main
database is SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid as uuid_mod
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database, open_database
from db.models import BadgePrint, Registration
from desktop.core.badge_prints import badge_print_count, last_badge_print, record_badge_print
from desktop.core.desk import DeskError
from desktop.core.desk_file import TamperedDeskFile, export_desk_file, merge_desk_file
from desktop.core.desk_file_checks import check_fields
from tests.core.test_desk_file import LOBBY, unchecked_codes
from tests.core.test_desk_file_signing import drop_triggers


def registration_of(database: Database, event_id: int, code: str) -> int:
    with database.read() as session:
        rid = session.scalar(select(Registration.id).where(Registration.event_id == event_id,
                                                           Registration.badge_code == code))
    assert rid is not None
    return int(rid)


def prints(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(BadgePrint)) or 0)


def test_a_print_is_recorded_and_the_latest_is_found(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    rid = registration_of(database, event_id, unchecked_codes(database, event_id, 1)[0])
    with database.read() as session:
        assert last_badge_print(session, rid) is None
    early = dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC)
    record_badge_print(database, rid, "  Entrance   A ", at=early)
    later = record_badge_print(database, rid, "Entrance B", at=early + dt.timedelta(minutes=40))
    with database.read() as session:
        last = last_badge_print(session, rid)
        assert badge_print_count(session, rid) == 2
    assert last is not None and last == later
    assert (last.desk, last.at) == ("Entrance B", early + dt.timedelta(minutes=40))
    with database.read() as session:
        desks = sorted(session.scalars(select(BadgePrint.desk)).all())
    assert desks == ["Entrance A", "Entrance B"]  # the desk's name as stored: spaces collapsed
    with pytest.raises(DeskError):
        record_badge_print(database, rid, "x" * 500)


def test_prints_travel_in_desk_files_and_merge_back_exactly_once(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    codes = unchecked_codes(database, event_id, 2)
    before_export = registration_of(database, event_id, codes[0])
    record_badge_print(database, before_export, "Office")  # printed before the export: goes with the file
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    desk = open_database(path)
    try:
        with desk.read() as session:
            desk_rid = session.scalar(select(Registration.id).where(Registration.badge_code == codes[1]))
            office = session.scalar(select(Registration.id).where(Registration.badge_code == codes[0]))
            assert desk_rid is not None and office is not None
            # The desk sees what was printed before it left: it would ask before a second copy.
            seen = last_badge_print(session, office)
            assert seen is not None and seen.desk == "Office"
        record_badge_print(desk, desk_rid, LOBBY)
    finally:
        desk.close()
    here = prints(database)
    dry = merge_desk_file(database, path, dry_run=True)
    assert dry.new_badge_prints == 1 and prints(database) == here
    report = merge_desk_file(database, path)
    assert report.new_badge_prints == 1 and report.changes >= 1
    assert prints(database) == here + 1
    with database.read() as session:
        last = last_badge_print(session, registration_of(database, event_id, codes[1]))
    assert last is not None and last.desk == LOBBY
    again = merge_desk_file(database, path)
    assert again.new_badge_prints == 0 and prints(database) == here + 1


def test_a_print_added_to_a_desk_file_with_sqlite3_is_refused(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    code = unchecked_codes(database, event_id, 1)[0]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="cd_desk_seal"):  # sealed like check-ins
            conn.execute("INSERT INTO badge_print (uuid, registration_id, desk, printed_at, recorded_at) "
                         "VALUES (?, 1, 'x', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
                         (uuid_mod.uuid4().hex,))
        drop_triggers(conn)
        conn.execute("INSERT INTO badge_print (uuid, registration_id, desk, printed_at, recorded_at) "
                     "SELECT ?, id, 'Lobby laptop', '2026-01-01 09:00:00.000000', '2026-01-01 09:00:00.000000' "
                     "FROM registration WHERE badge_code = ?", (uuid_mod.uuid4().hex, code))
    finally:
        conn.close()
    here = prints(database)
    with pytest.raises(TamperedDeskFile, match="table badge_print"):
        merge_desk_file(database, path)
    assert prints(database) == here


def test_a_bad_desk_name_of_a_print_is_named_not_printed(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute("INSERT INTO badge_print (uuid, registration_id, desk, printed_at, recorded_at) "
                     "SELECT ?, min(id), ?, '2026-01-01 09:00:00.000000', '2026-01-01 09:00:00.000000' "
                     "FROM registration", (uuid_mod.uuid4().hex, "D" * 10_000))
        meta = dict(conn.execute("SELECT key, value FROM desk_file").fetchall())
        with pytest.raises(Exception, match="table badge_print, row 1, the field desk") as caught:
            check_fields(path, conn, meta)
    finally:
        conn.close()
    assert "DDDD" not in str(caught.value)
