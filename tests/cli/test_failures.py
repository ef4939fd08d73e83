"""The command line on the day's failures: one line naming the file or server and what
happened — full disk, read-only, locked, damaged, a server that refuses, never answers or
hangs up — in the interface language, never "unexpected …", SQL, values or a traceback.
Read-only commands need no write access and leave nothing beside the database; exports
leave no hidden temporary file behind.

The conditions are real where the machine allows (tests/conditions.py says how).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import db.engine as engine_module
from desktop.cli import main
from tests.conditions import closed_port, damage_an_index, fill, locked, read_only, silent_server, small_disk
from tests.databases import Templates

PRIVATE = ("error: unexpected", "INSERT", "SELECT", "UPDATE", "[SQL", "parameters", "Traceback", "Error:")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def failed(*argv: str) -> str:
    """The one line a failed command wrote (exit status 1, nothing on stdout)."""
    code, out, err = run(*argv)
    assert code == 1 and out == "", (code, out, err)
    assert err.count("\n") == 1, err
    for word in PRIVATE:
        assert word not in err, err
    return err


@pytest.fixture
def demo_file(tmp_path: Path, db_templates: Templates) -> Path:
    (tmp_path / "data").mkdir()
    return db_templates.copy_sqlite("demo", tmp_path / "data" / "desk.sqlite")


def _a_code(db: Path) -> str:
    code, out, _err = run("--db", str(db), "attendees")
    assert code == 0
    return out.splitlines()[1].split("\t")[0]


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_read_only_commands_need_no_write_access_and_leave_nothing(demo_file: Path, tmp_path: Path) -> None:
    code_ = _a_code(demo_file)
    before = demo_file.read_bytes()
    with read_only(demo_file.parent):
        code, out, err = run("--db", str(demo_file), "events")
        assert (code, err) == (0, "") and "Improving the Effectiveness" in out
        code, out, err = run("--db", str(demo_file), "export-attendees", "-o", str(tmp_path / "list.csv"))
        assert (code, err) == (0, ""), err
        assert _listing(demo_file.parent) == ["desk.sqlite"]
        err = failed("--db", str(demo_file), "check-in", code_)
        assert str(demo_file) in err and "read-only" in err
        for lang in ("ru", "kk"):
            said = failed("--db", str(demo_file), "--ui-language", lang, "check-in", code_)
            assert str(demo_file) in said and said != err
    assert _listing(demo_file.parent) == ["desk.sqlite"]
    assert demo_file.read_bytes() == before


@pytest.mark.parametrize("command", ["events", "attendees", "export-report"])
def test_a_0_byte_file_is_not_made_a_database_by_a_read_only_command(tmp_path: Path, command: str) -> None:
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    argv = ["--db", str(path), command]
    if command == "export-report":
        argv += ["-o", str(tmp_path / "r.pdf")]
    err = failed(*argv)
    assert str(path) in err and "empty" in err
    assert path.stat().st_size == 0 and _listing(tmp_path) == ["empty.sqlite"]


def test_a_file_locked_by_another_program(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    code_ = _a_code(demo_file)
    with locked(demo_file):
        for argv in (["events"], ["check-in", code_]):
            err = failed("--db", str(demo_file), *argv)
            assert str(demo_file) in err and "locked by another program" in err
            assert "not a Conference Desk database" not in err


def test_a_damaged_file_is_not_written(demo_file: Path) -> None:
    code_ = _a_code(demo_file)
    damage_an_index(demo_file)
    before = demo_file.read_bytes()
    err = failed("--db", str(demo_file), "check-in", code_)
    assert str(demo_file) in err and "damaged" in err and "backup" in err
    assert demo_file.read_bytes() == before


def test_a_full_disk_under_the_database(tmp_path: Path, db_templates: Templates) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = db_templates.copy_sqlite("demo", disk / "desk.sqlite")
        code_ = _a_code(path)
        fill(disk)
        err = failed("--db", str(path), "check-in", code_)
        assert f"There is no space left on the disk holding {path}" in err
        (disk / "filler.bin").unlink()
        code, out, _err = run("--db", str(path), "attendees")
        row = next(line for line in out.splitlines() if line.startswith(code_ + "\t"))
        assert row.endswith("\t"), "nothing was saved: not checked in"


@pytest.mark.parametrize("output", ["list.csv", "list.xlsx"])
def test_an_export_to_a_full_disk_names_the_file_and_leaves_no_part(
        tmp_path: Path, demo_file: Path, output: str) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        fill(disk)
        target = disk / output
        err = failed("--db", str(demo_file), "export-attendees", "-o", str(target))
        assert str(target) in err and ".part" not in err
        assert _listing(disk) == ["filler.bin"], "no hidden .part file stays behind"


def test_an_export_removes_the_parts_a_killed_export_left(tmp_path: Path, demo_file: Path) -> None:
    target = tmp_path / "badges.pdf"
    left = [tmp_path / ".badges.pdf.0badc0de.part", tmp_path / ".badges.pdf.0badc0de.part.part0"]
    for p in left:
        p.write_bytes(b"half")
    someone_elses = tmp_path / ".other.pdf.0badc0de.part"
    someone_elses.write_bytes(b"not ours")
    code, out, err = run("--db", str(demo_file), "export-badges", "-o", str(target))
    assert (code, err) == (0, ""), err
    assert _listing(tmp_path) == sorted([".other.pdf.0badc0de.part", "badges.pdf", "data"])


@pytest.mark.parametrize("server", ["refuses", "never answers", "hangs up"])
def test_a_server_that_fails(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT_S", 2)
    if server == "refuses":
        port = closed_port()
        err = failed("--db", f"postgresql+psycopg://desk:secret@127.0.0.1:{port}/conference", "events")
    else:
        with silent_server(hang_up=server == "hangs up") as port:
            err = failed("--db", f"postgresql+psycopg://desk:secret@127.0.0.1:{port}/conference", "events")
    assert f"127.0.0.1:{port}" in err and "secret" not in err
    assert ("closed the connection" if server == "hangs up" else "does not answer") in err
    said = failed("--ui-language", "kk", "--db", f"postgresql+psycopg://desk@127.0.0.1:{closed_port()}/c",
                  "events")
    assert "does not answer" not in said


def test_no_drill_says_unexpected(tmp_path: Path) -> None:
    """A folder given as the database, a file in a folder that is not there, a file given
    as --db to a write command in a read-only folder: each one sentence, none 'unexpected'."""
    assert "folder" in failed("--db", str(tmp_path), "events")
    assert "does not exist" in failed("--db", str(tmp_path / "no" / "x.sqlite"), "demo")
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    with read_only(folder):
        err = failed("--db", str(folder / "new.sqlite"), "demo")
        assert "read-only" in err and str(folder / "new.sqlite") in err
    assert not os.path.exists(folder / "new.sqlite")
