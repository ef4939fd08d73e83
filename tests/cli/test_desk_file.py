"""``conference-desk desk-export`` and ``desk-merge``: what they print, their exit statuses
(0 done, 1 data error with one line on stderr, 2 usage error), and that a failed command
leaves no file behind and changes nothing."""

from __future__ import annotations

import io
import sqlite3
import uuid as uuid_mod
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.engine import open_database
from db.models import CheckIn, CheckInAction, Registration
from db.types import utcnow
from desktop.cli import main
from tests.databases import OneDatabase, Templates


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_db(demo_target: tuple[str, int]) -> str:
    """A new database holding the demo, as ``conference-desk demo`` makes it."""
    return demo_target[0]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def attendees(db: str) -> str:
    code, stdout, _ = run("--db", db, "attendees")
    assert code == 0
    return stdout


def check_in_at_desk(desk_file: Path, count: int) -> list[str]:
    """Check ``count`` people in on the desk file, as desk mode does; returns their codes."""
    desk = open_database(desk_file)
    try:
        with desk.write() as session:
            regs = session.execute(select(Registration.id, Registration.badge_code)
                                   .where(~Registration.check_ins.any()).order_by(Registration.id)
                                   .limit(count)).all()
            now = utcnow()
            session.execute(insert(CheckIn), [
                {"uuid": uuid_mod.uuid4(), "registration_id": rid, "desk": "Lobby laptop",
                 "action": CheckInAction.IN, "happened_at": now, "recorded_at": now} for rid, _ in regs])
    finally:
        desk.close()
    return [code for _, code in regs]


def test_export_then_merge_then_merge_again(demo_db: str, out: Path) -> None:
    desk_file = out / "lobby.deskdb"
    code, stdout, err = run("--db", demo_db, "desk-export", str(desk_file))
    assert (code, err) == (0, "")
    assert stdout.splitlines()[0].startswith("Desk file lobby.deskdb written: 120 registrations, 120 people, ")
    assert f'conference-desk --db "{desk_file}"' in stdout
    assert sorted(p.name for p in out.iterdir()) == ["lobby.deskdb"]

    # The desk works on the file like any database.
    code, desk_list, _ = run("--db", str(desk_file), "attendees")
    assert code == 0 and len(desk_list.splitlines()) == 121
    codes = check_in_at_desk(desk_file, 5)

    code, stdout, err = run("--db", demo_db, "desk-merge", str(desk_file), "--dry-run")
    assert (code, err) == (0, "")
    assert stdout.startswith("Would merge lobby.deskdb: 5 new check-ins, ")
    assert stdout.endswith("Dry run: nothing was written.\n")
    assert all(f"{c}\t" in attendees(demo_db) for c in codes)
    before = attendees(demo_db)
    assert all(line.endswith("\t") for line in before.splitlines() if line.split("\t")[0] in codes)

    code, stdout, err = run("--db", demo_db, "desk-merge", str(desk_file))
    assert (code, err) == (0, "")
    assert stdout.startswith("Merged lobby.deskdb: 5 new check-ins, ")
    assert "New check-ins from: Lobby laptop" in stdout
    after = attendees(demo_db)
    assert all(not line.endswith("\t") for line in after.splitlines() if line.split("\t")[0] in codes)

    code, stdout, err = run("--db", demo_db, "desk-merge", str(desk_file))
    assert (code, err) == (0, "")
    assert stdout.startswith("Merged lobby.deskdb: 0 new check-ins, ")
    assert ", 0 walk-ins added, 0 conflicts." in stdout.splitlines()[0]
    assert attendees(demo_db) == after


def test_export_refuses_an_existing_file_without_force(demo_db: str, out: Path) -> None:
    target = out / "lobby.deskdb"
    target.write_text("keep me", encoding="utf-8")
    code, stdout, err = run("--db", demo_db, "desk-export", str(target))
    assert (code, stdout) == (1, "")
    assert err == f"conference-desk: error: {target} already exists; choose another name, or replace it with --force.\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["lobby.deskdb"]

    code, _, err = run("--db", demo_db, "desk-export", str(target), "--force")
    assert (code, err) == (0, "")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM registration").fetchone()[0] == 120


def test_export_into_a_missing_folder_fails_cleanly(demo_db: str, out: Path) -> None:
    code, _, err = run("--db", demo_db, "desk-export", str(out / "nowhere" / "lobby.deskdb"))
    assert code == 1 and err.count("\n") == 1 and "the folder" in err and "does not exist" in err
    assert list(out.iterdir()) == []


def test_export_needs_an_event_when_there_are_several(demo_db: str, out: Path) -> None:
    assert run("--db", demo_db, "demo")[0] == 0
    code, _, err = run("--db", demo_db, "desk-export", str(out / "x.deskdb"))
    assert code == 1 and "choose one with --event" in err and err.count("\n") == 1
    assert list(out.iterdir()) == []
    code, _, err = run("--db", demo_db, "desk-export", str(out / "x.deskdb"), "--event", "2")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"Desk 2: 14 people, see the sheet\n", "is not a Conference Desk desk file (it is not a SQLite database)."),
        (b"", "is not a Conference Desk desk file (it is not a SQLite database)."),
    ],
)
def test_merge_refuses_a_file_that_is_not_a_desk_file(demo_db: str, out: Path, content: bytes, needle: str) -> None:
    bad = out / "notes.deskdb"
    bad.write_bytes(content)
    before = attendees(demo_db)
    code, stdout, err = run("--db", demo_db, "desk-merge", str(bad))
    assert (code, stdout) == (1, "")
    assert err == f"conference-desk: error: {bad} {needle}\n"
    assert bad.read_bytes() == content
    assert attendees(demo_db) == before


def test_merge_refuses_another_events_desk_file(demo_db: str, out: Path, tmp_path: Path) -> None:
    elsewhere = str(tmp_path / "elsewhere.sqlite")
    assert run("--db", elsewhere, "demo")[0] == 0
    foreign = out / "elsewhere.deskdb"
    assert run("--db", elsewhere, "desk-export", str(foreign))[0] == 0
    before = attendees(demo_db)
    code, _, err = run("--db", demo_db, "desk-merge", str(foreign))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"conference-desk: error: {foreign} is the desk file of another event (")
    assert attendees(demo_db) == before


def test_merge_refuses_a_plain_database(demo_db: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.sqlite"
    assert run("--db", str(plain), "demo")[0] == 0
    code, _, err = run("--db", demo_db, "desk-merge", str(plain))
    assert code == 1
    assert err == (f"conference-desk: error: {plain} is a Conference Desk database, not a desk file: make desk "
                   "files with desk-export (File → Export Desk File…).\n")


def test_merge_of_a_missing_file(demo_db: str, out: Path) -> None:
    code, _, err = run("--db", demo_db, "desk-merge", str(out / "missing.deskdb"))
    assert code == 1 and err == f"conference-desk: error: {out / 'missing.deskdb'} does not exist.\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["desk-export"],
        ["desk-merge"],
        ["desk-export", "x.deskdb", "--event", "one"],
        ["desk-merge", "x.deskdb", "--dryrun"],
    ],
)
def test_usage_errors(tmp_path: Path, argv: list[str]) -> None:
    db = tmp_path / "never.sqlite"
    code, stdout, err = run("--db", str(db), *argv)
    assert (code, stdout) == (2, "")
    assert err.startswith("conference-desk: error: ") and err.count("\n") == 1
    assert not db.exists()


def test_merge_refuses_an_edited_desk_file_in_one_line_and_adds_nothing(demo_db: str, out: Path) -> None:
    desk_file = out / "lobby.deskdb"
    assert run("--db", demo_db, "desk-export", str(desk_file))[0] == 0
    check_in_at_desk(desk_file, 2)
    conn = sqlite3.connect(desk_file, isolation_level=None)
    try:  # another program: the desk's triggers dropped, a check-in added by hand with a 10,000-character desk
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'desk_seal_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("INSERT INTO check_in (uuid, registration_id, desk, action, happened_at, recorded_at) "
                     "SELECT ?, max(id), ?, 'in', '2026-01-01 09:00:00.000000', '2026-01-01 09:00:00.000000' "
                     "FROM registration", (uuid_mod.uuid4().hex, "D" * 10_000))
    finally:
        conn.close()
    before = attendees(demo_db)
    code, stdout, stderr = run("--db", demo_db, "desk-merge", str(desk_file))
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and "lobby.deskdb was changed after desk-export" in stderr
    assert "table check_in" in stderr and "DDDD" not in stderr and "Traceback" not in stderr
    assert attendees(demo_db) == before


@pytest.fixture
def another_copy(demo_db: str, one_database: OneDatabase, db_templates: Templates,
                 tmp_path: Path) -> Iterator[str]:
    """A second database made from the same demo (the same event, before either made its key)."""
    import shutil

    if not demo_db.startswith("postgresql"):
        other = tmp_path / "copy.sqlite"
        shutil.copyfile(demo_db, other)
        yield str(other)
        return
    server = one_database._pg_server()
    name = server.create(template=db_templates.postgres(server, "demo"))
    try:
        yield server.url(name)
    finally:
        server.drop(name)


def test_merge_refuses_a_desk_file_of_another_database(demo_db: str, another_copy: str, out: Path) -> None:
    assert run("--db", demo_db, "desk-export", str(out / "own.deskdb"))[0] == 0
    assert run("--db", another_copy, "desk-export", str(out / "copy.deskdb"))[0] == 0
    check_in_at_desk(out / "copy.deskdb", 1)
    before = attendees(demo_db)
    code, _stdout, stderr = run("--db", demo_db, "desk-merge", "--dry-run", str(out / "copy.deskdb"))
    assert code == 1 and stderr.count("\n") == 1
    assert "copy.deskdb was not written by desk-export of this database" in stderr
    assert attendees(demo_db) == before
    code, stdout, _stderr = run("--db", demo_db, "desk-merge", str(out / "own.deskdb"))
    assert code == 0 and "Merged own.deskdb: 0 new check-ins" in stdout
