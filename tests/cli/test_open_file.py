"""A file given instead of a command (a file manager's "Open with"), and ``--version``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import desktop
from desktop.cli import build_parser, command_names, main, split_file


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def window_opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Instead of the window: what ``conference-desk`` would have opened it on."""
    opened: list[dict[str, Any]] = []

    def run_opening(opener: Any, label: str, **kwargs: Any) -> tuple[int, str | None]:
        opened.append({"opener": opener, "label": label, **kwargs})
        return 0, None

    monkeypatch.setattr("desktop.ui.shell.app.run_opening", run_opening)
    monkeypatch.setattr("desktop.cli.gui._import_when_shown", lambda path: opened.append({"import": path}))
    monkeypatch.delenv("CONFERENCE_DESK_DB", raising=False)
    return opened


def test_a_database_file_opens_the_window_on_it(tmp_path: Path, window_opened: list[dict[str, Any]]) -> None:
    from db.engine import open_database

    path = tmp_path / "lobby.deskdb"
    open_database(path).close()
    code, out, err = run(str(path))
    assert (code, out, err) == (0, "", "")
    [opened] = window_opened
    assert opened["label"] == str(path)
    database = opened["opener"]()  # the database the window opens is that file
    try:
        assert str(path) in database.label
    finally:
        database.close()


def test_a_list_opens_the_usual_database_and_imports(tmp_path: Path, window_opened: list[dict[str, Any]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFERENCE_DESK_DB", str(tmp_path / "usual.sqlite"))
    attendees = tmp_path / "attendees.xlsx"
    attendees.write_bytes(b"not read here")
    code, out, err = run("--ui-language", "en", str(attendees))
    assert (code, out, err) == (0, "", "")
    assert window_opened[0] == {"import": attendees.resolve()}
    assert window_opened[1]["label"] == str(tmp_path / "usual.sqlite")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".csv", ".CSV"])
def test_every_list_suffix_is_imported(tmp_path: Path, window_opened: list[dict[str, Any]], suffix: str) -> None:
    path = tmp_path / f"list{suffix}"
    path.write_text("name\n")
    assert run(str(path))[0] == 0
    assert window_opened[0] == {"import": path.resolve()}


def test_a_command_name_always_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    window_opened: list[dict[str, Any]]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("events").write_text("a file named like a command")
    code, out, err = run("--db", str(tmp_path / "x.sqlite"), "demo")
    assert code == 0 and err == "" and out.strip().isdigit()
    code, out, _err = run("--db", str(tmp_path / "x.sqlite"), "events")
    assert code == 0 and out.startswith("id\t")
    assert window_opened == []


def test_split_file_skips_options_and_their_values() -> None:
    commands = command_names(build_parser())
    assert "demo" in commands and "export-program" in commands
    assert split_file(["--ui-language", "ru", "a.deskdb"], commands) == (["--ui-language", "ru"], Path("a.deskdb"))
    assert split_file(["--ui-lang=kk", "a.ods"], commands) == (["--ui-lang=kk"], Path("a.ods"))
    assert split_file(["--author", "list.csv", "demo"], commands) == (["--author", "list.csv", "demo"], None)
    assert split_file(["events", "x.deskdb"], commands) == (["events", "x.deskdb"], None)
    assert split_file(["evnts"], commands) == (["evnts"], None)
    assert split_file(["--", "b.sqlite"], commands) == ([], Path("b.sqlite"))


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["evnts"], 2, "invalid choice: 'evnts'"),
        (["missing.deskdb"], 1, "there is no such file"),
        (["missing.xlsx"], 1, "there is no such file"),
        (["{folder}"], 1, "it is a folder"),
        (["{db}", "events"], 2, "a file to open"),
        (["--db", "{db}", "{db}"], 2, "either with --db or as a file"),
    ],
)
def test_what_cannot_be_opened_is_one_line(tmp_path: Path, window_opened: list[dict[str, Any]],
                                           monkeypatch: pytest.MonkeyPatch, argv: list[str], code: int,
                                           needle: str) -> None:
    from db.engine import open_database

    monkeypatch.chdir(tmp_path)
    db = tmp_path / "here.deskdb"
    open_database(db).close()
    (tmp_path / "folder").mkdir()
    got, out, err = run(*(a.format(db=db, folder=tmp_path / "folder") for a in argv))
    assert (got, out) == (code, "")
    assert err.count("\n") == 1 and needle in err
    assert window_opened == []
    assert not (tmp_path / "missing.deskdb").exists()


def test_the_error_speaks_the_interface_language(tmp_path: Path, window_opened: list[dict[str, Any]]) -> None:
    code, _out, err = run("--ui-language", "ru", str(tmp_path / "missing.deskdb"))
    assert code == 1 and "there is no such file" not in err and str(tmp_path / "missing.deskdb") in err


# -- --version ------------------------------------------------------------------------------------


def test_version_in_a_checkout_names_git_commit() -> None:
    info = desktop.build_info()
    assert not info.built and info.version == desktop.__version__
    code, out, err = run("--version")
    assert (code, err) == (0, "")
    first, second = out.splitlines()
    assert first == f"conference-desk {desktop.__version__}"
    if info.commit is None:
        assert second == "Not a build: a developer's checkout"
    else:
        assert second.startswith(f"Not a build: a developer's checkout at commit {info.commit} of ")


def test_version_without_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop, "_git_head", lambda root: (None, None))
    code, out, _err = run("--version")
    assert code == 0 and out.splitlines()[1] == "Not a build: a developer's checkout"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Build of 7 December 2026, commit 0123abcdef"),
        ("ru", "Сборка от 7 декабря 2026\u202fг., коммит 0123abcdef"),
    ],
)
def test_version_of_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str) -> None:
    info = tmp_path / "build_info.json"
    info.write_text(json.dumps({"version": "9.8.7", "commit": "0123abcdef", "date": "2026-12-07T04:30:00Z"}))
    monkeypatch.setattr(desktop, "_BUILD_INFO", str(info))  # an absolute path: the bundle's file
    code, out, _err = run("--ui-language", lang, "--version")
    assert code == 0 and out.splitlines() == [f"conference-desk {desktop.__version__}", expected]
