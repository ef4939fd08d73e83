"""The command line: exit statuses, one-line errors, and nothing changed by a failure."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_demo_then_events_on_a_fresh_file(db_target: str) -> None:
    code, out, err = run("--db", db_target, "demo")
    assert (code, err) == (0, "")
    event_id = int(out.strip())
    code, out, err = run("events", "--db", db_target)
    assert (code, err) == (0, "")
    header, *rows = out.strip("\n").split("\n")
    assert header.split("\t") == ["id", "starts_on", "ends_on", "title", "registrations"]
    assert len(rows) == 1
    fields = rows[0].split("\t")
    assert fields[0] == str(event_id)
    assert fields[1:3] == ["2025-02-28", "2025-02-28"]
    assert fields[3].startswith("Improving the Effectiveness of the Justice System")
    assert fields[4] == "120"
    code, out, _ = run("--db", db_target, "events", "--lang", "kk")
    assert code == 0 and "Қазақстандағы" in out


def test_events_on_an_empty_database_prints_only_the_header(tmp_path: Path) -> None:
    from db.engine import open_database as open_target

    open_target(tmp_path / "new.sqlite").close()
    code, out, err = run("--db", str(tmp_path / "new.sqlite"), "events")
    assert (code, out, err) == (0, "id\tstarts_on\tends_on\ttitle\tregistrations\n", "")


@pytest.mark.parametrize(
    "content",
    [b"name;email\nAnna;anna@example.org\n", b"\x00\x01binary\xff" * 100, b"SQLite format 2\x00junk"],
    ids=["text", "binary", "almost-sqlite"],
)
@pytest.mark.parametrize("command", ["events", "demo"])
def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path: Path, content: bytes, command: str) -> None:
    path = tmp_path / "attendees.csv"
    path.write_bytes(content)
    before = path.stat()
    code, out, err = run("--db", str(path), command)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and str(path) in err and "not a Conference Desk database" in err
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attendees.csv"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["evnts"], "invalid choice: 'evnts'"),
        (["events", "--lang", "de"], "invalid choice: 'de'"),
        (["events", "--bogus"], "unrecognized arguments: --bogus"),
        (["demo", "extra"], "unrecognized arguments: extra"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, argv: list[str], needle: str) -> None:
    db = tmp_path / "x.sqlite"
    code, out, err = run("--db", str(db), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err
    assert not db.exists(), "a usage error must not create the database"


def test_unsupported_url_is_a_data_error(tmp_path: Path) -> None:
    code, _, err = run("--db", "mysql://user@127.0.0.1/conf", "events")
    assert code == 1 and "not supported" in err and err.count("\n") == 1


def test_environment_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("CONFERENCE_DESK_DB", str(db))
    assert run("demo")[0] == 0
    code, out, _ = run("events")
    assert code == 0 and out.count("\n") == 2


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"], ["events", "--help"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage: conference-desk" in capsys.readouterr().out


def test_installed_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    """The real process: the error is one line, never a Python traceback."""
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(bad), "events"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(tmp_path / "d.sqlite"), "demo"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, "1")
    # The headless commands never load Qt, ReportLab or openpyxl.
    probe = (
        "import sys, io; from desktop.cli import main; "
        f"main(['--db', {str(tmp_path / 'd.sqlite')!r}, 'events'], out=io.StringIO()); "
        "print(sorted(m for m in ('PySide6', 'reportlab', 'openpyxl', 'alembic') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_first_start_on_the_default_database_creates_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.cli as cli
    from desktop.cli import common

    monkeypatch.delenv("CONFERENCE_DESK_DB", raising=False)
    monkeypatch.setattr(common, "default_database_path", lambda: tmp_path / "data" / "cd.sqlite")
    opened = []

    def fake_gui(args, out):  # type: ignore[no-untyped-def]
        database = common.open_database(args, create_demo_if_new=True)
        opened.append(database.label)
        database.close()
        return 0

    monkeypatch.setattr(cli, "cmd_gui", fake_gui)
    for _ in range(2):  # the second start finds the demo and adds nothing
        assert run()[0] == 0
    code, out, _ = run("events")
    assert code == 0 and out.count("\n") == 2
    assert opened == [str(tmp_path / "data" / "cd.sqlite")] * 2
