"""``conference-desk export-badges | export-name-cards | export-sign-in-sheet |
export-certificates``: the line they print, their exit statuses (0 done, 1 data error,
2 usage error) with one line on stderr, and no file when they fail."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main
from tests.databases import Templates


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> str:
    return str(db_templates.copy_sqlite("demo", tmp_path_factory.mktemp("cli-print") / "demo.sqlite"))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _codes(db: str, n: int) -> list[str]:
    from db.engine import open_database
    from db.models import Registration

    database = open_database(db)
    try:
        with database.read() as s:
            return list(s.scalars(select(Registration.badge_code).order_by(Registration.id).limit(n)))
    finally:
        database.close()


@pytest.mark.parametrize("command, extra, line", [
    ("export-badges", [], "118 badges on 15 pages written to {}"),
    ("export-badges", ["--layout", "a4-10", "--lang", "kk"], "118 badges on 12 pages written to {}"),
    ("export-name-cards", ["--lang", "ru"], "118 name cards on 118 pages written to {}"),
    ("export-sign-in-sheet", ["--by-sector"], "118 people on "),
    ("export-certificates", [], "24 certificates on 24 pages written to {}"),
    ("export-certificates", ["--all"], "118 certificates on 118 pages written to {}"),
])
def test_each_command_writes_its_pdf(demo_db: str, out: Path, command: str, extra: list[str], line: str) -> None:
    target = out / "print.pdf"
    code, stdout, err = run("--db", demo_db, command, *extra, "-o", str(target))
    assert (code, err) == (0, "")
    assert stdout.startswith(line.format(target)) and stdout.endswith(f" written to {target}\n")
    assert target.read_bytes().startswith(b"%PDF-")


def test_badges_for_given_codes(demo_db: str, out: Path) -> None:
    codes = _codes(demo_db, 3)
    target = out / "three.pdf"
    code, stdout, err = run("--db", demo_db, "export-badges", "--layout", "id1",
                            *[a for c in codes for a in ("--code", c.lower())], "-o", str(target))
    assert (code, err) == (0, "")
    assert stdout == f"3 badges on 3 pages written to {target}\n"


@pytest.mark.parametrize("argv, message", [
    (["export-badges", "--code", "NOPE42"], "no registration with the badge code NOPE42"),
    (["export-badges", "--event", "999"], "no event with id 999"),
    (["export-certificates", "--event", "999"], "no event with id 999"),
])
def test_data_errors_exit_1_with_one_line_and_no_file(demo_db: str, out: Path, argv: list[str], message: str) -> None:
    target = out / "x.pdf"
    code, stdout, err = run("--db", demo_db, *argv, "-o", str(target))
    assert code == 1 and stdout == ""
    assert message in err and err.count("\n") == 1
    assert list(out.iterdir()) == []


def test_nobody_to_print_exits_1(tmp_path: Path, out: Path) -> None:
    import datetime as dt

    from db.engine import open_database
    from db.models import Event

    db = str(tmp_path / "empty.sqlite")
    database = open_database(db)
    with database.write() as s:
        s.add(Event(title={"en": "Empty"}, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 1)))
    database.close()
    for command in ("export-badges", "export-name-cards", "export-sign-in-sheet", "export-certificates"):
        code, _, err = run("--db", db, command, "-o", str(out / "x.pdf"))
        assert code == 1 and "nobody" in err and err.count("\n") == 1, (command, err)
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_a_data_error(demo_db: str, tmp_path: Path) -> None:
    code, _, err = run("--db", demo_db, "export-name-cards", "-o", str(tmp_path / "nope" / "x.pdf"))
    assert code == 1 and "does not exist" in err


@pytest.mark.parametrize("argv", [
    ["export-badges", "--layout", "a5", "-o", "x.pdf"],
    ["export-badges"],
    ["export-sign-in-sheet", "--lang", "de", "-o", "x.pdf"],
    ["export-certificates", "-o", "x.txt"],
    ["export-name-cards", "--bogus", "-o", "x.pdf"],
])
def test_usage_errors_exit_2(demo_db: str, argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run("--db", demo_db, *argv)
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_badges_with_a_bleed(demo_db: str, out: Path) -> None:
    import pdfplumber

    widths = {}
    for extra in ([], ["--bleed"]):
        target = out / f"bleed{len(extra)}.pdf"
        code, stdout, err = run("--db", demo_db, "export-badges", "--layout", "a4-8", *extra, "-o", str(target))
        assert (code, err) == (0, "") and stdout.startswith("118 badges on 15 pages")
        with pdfplumber.open(target) as pdf:
            widths[bool(extra)] = {round(r["width"] * 25.4 / 72, 1) for r in pdf.pages[0].rects
                                   if r["width"] > 200}  # the bands: a badge wide, or more
    assert widths == {False: {95.0}, True: {101.0}}  # 3 mm past the cut on each side
