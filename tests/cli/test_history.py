"""``conference-desk history``: the event's changes, newest first, as tab-separated lines or
an .xlsx/.csv file that opens with openpyxl and holds the rows; ``--author`` names the
command's edits; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import open_database
from db.models import Registration
from desktop.cli import main
from desktop.core import changes, people
from desktop.core.changes import set_author
from desktop.core.registration_edit import registration_details, update_details


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def edited(demo_target: tuple[str, int]) -> Any:
    """The demo with two edits by two people: a phone and a registration's status."""
    target, event_id = demo_target
    database = open_database(target)
    try:
        with database.read() as s:
            rid, pid = s.execute(select(Registration.id, Registration.person_id)
                                 .where(Registration.event_id == event_id).order_by(Registration.id).limit(1)).one()
            person = people.load_person(s, pid, with_photo=False)
            base = registration_details(s, rid).editable()
        set_author("Aigerim")
        with database.write() as s:
            people.update_person(s, pid, replace(person, phone="+7 700 123 45 67"), base=person)
        set_author("Bolat")
        with database.write() as s:
            update_details(s, rid, {**base, "status": "declined"}, base=base)
    finally:
        set_author("")
        database.close()
    return target, event_id


def test_history_prints_the_changes_newest_first(edited: tuple[str, int]) -> None:
    target, event_id = edited
    code, out, err = run("--db", target, "history", "--event", str(event_id))
    assert (code, err) == (0, "")
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0] == ["when_utc", "author", "what", "which", "change", "from", "to"]
    assert lines[1][1:3] == ["Bolat", "Registration"] and lines[1][4:] == ["Status", lines[1][5], "Declined"]
    assert lines[2][1:3] == ["Aigerim", "Person"] and lines[2][4] == "Phone" and lines[2][6] == "+7 700 123 45 67"
    assert len(lines) == 3
    code, out, err = run("--db", target, "history", "--event", str(event_id), "--lang", "ru")
    assert code == 0 and "\tСтатус\t" in out and "\tТелефон\t" in out


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_history_writes_a_file_with_the_rows(edited: tuple[str, int], tmp_path: Path, suffix: str) -> None:
    target, event_id = edited
    output = tmp_path / f"history{suffix}"
    code, out, err = run("--db", target, "history", "--event", str(event_id), "-o", str(output))
    assert (code, err) == (0, "") and str(output) in out
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(output, read_only=True).worksheets[0]
        rows = [tuple(str(cell) if cell is not None else "" for cell in row)
                for row in sheet.iter_rows(values_only=True)]
    else:
        with open(output, encoding="utf-8-sig", newline="") as handle:
            rows = [tuple(row) for row in csv.reader(handle)]
    assert rows[0][1:] == ("Who", "What", "Which", "Change", "From", "To") and rows[0][0].startswith("When (")
    # (CSV keeps a cell starting with "+" from being read as a formula: a quote before it)
    assert [(r[1], r[4], r[6].removeprefix("'")) for r in rows[1:]] == [("Bolat", "Status", "Declined"),
                                                       ("Aigerim", "Phone", "+7 700 123 45 67")]


def test_history_refuses_what_it_cannot_do(edited: tuple[str, int], tmp_path: Path) -> None:
    target, _event_id = edited
    code, out, err = run("--db", target, "history", "-o", str(tmp_path / "history.txt"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    code, out, err = run("--db", target, "history", "--event", "999")
    assert code == 1 and out == "" and "999" in err
    assert not list(tmp_path.glob("history*"))


def test_author_names_the_commands_edits(edited: tuple[str, int]) -> None:
    target, _event_id = edited
    try:
        assert run("--db", target, "--author", "Desk 3  operator", "events")[0] == 0
        assert changes.author() == "Desk 3 operator"
    finally:
        set_author("")
    assert run("--db", target, "events")[0] == 0
    assert changes.author() != "Desk 3 operator"  # without it: the computer's user name
