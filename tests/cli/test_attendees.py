"""``conference-desk attendees``: the event's registrations, tab-separated, by surname."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import update

from db.engine import open_database
from db.models import Person
from desktop.cli import main
from tests.core.registration_data import CHECKED_IN, PEOPLE, build

HEADER = ["code", "name", "organisation", "sector", "status", "checked_in"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def table(out: str) -> list[list[str]]:
    lines = out.split("\n")
    assert lines[-1] == ""  # ends with a newline
    return [line.split("\t") for line in lines[:-1]]


@pytest.fixture
def sample_db(empty_target: str) -> tuple[str, int]:
    database = open_database(empty_target)
    try:
        sample = build(database)
    finally:
        database.close()
    return empty_target, sample.event_id


def test_every_registration_by_surname_with_local_check_in_times(sample_db: tuple[str, int]) -> None:
    target, event_id = sample_db
    code, out, err = run("--db", target, "attendees", "--event", str(event_id))
    assert (code, err) == (0, "")
    header, *rows = table(out)
    assert header == HEADER
    assert all(len(row) == 6 for row in rows)
    assert len(rows) == len(PEOPLE)
    by_code = {row[0]: row for row in rows}
    # By surname in the English alphabet: Latin first (the display name's surname for
    # Zhienbayev), then Cyrillic. The people were written by the ORM, not by core: their sort
    # keys are made when the list is read.
    assert [row[0] for row in rows] == ENGLISH_ORDER
    aigerim = by_code["K7Q2MX"]
    assert aigerim == ["K7Q2MX", "Айгерім Сәрсенбаева", "Supreme Court", "judiciary", "confirmed",
                       "2025-02-28 09:10"]  # Astana time (the event's zone), not UTC
    assert CHECKED_IN["sarsenbayeva"].strftime("%H:%M") == "04:10"
    assert by_code["A2B3C4"][5] == "2025-02-28 09:40"   # in, out, in again
    assert by_code["ZZ9YX8"][5] == ""                   # in, then out
    assert by_code["E3F4G5"][5] == ""                   # in, then undone
    assert by_code["M4N5P6"][2:4] == ["", ""]           # no organisation
    assert by_code["E3F4G5"][1] == "Yerzhan Zhienbayev"  # the English display name


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--search", "сәрс"], {"K7Q2MX", "A2B3C4"}),
        (["--search", "WISNIEWSKA"], {"Q7R8S9"}),
        (["--search", "ахмет", "--status", "invited"], {"M4N5P6"}),
        (["--status", "declined", "--status", "cancelled"], {"B8C9D2", "T2V3W4"}),
        (["--search", "k7q2"], {"K7Q2MX"}),
        (["--search", "nobody at all"], set()),
    ],
)
def test_search_and_status(sample_db: tuple[str, int], args: list[str], codes: set[str]) -> None:
    target, event_id = sample_db
    code, out, err = run("--db", target, "attendees", "--event", str(event_id), *args)
    assert (code, err) == (0, "")
    header, *rows = table(out)
    assert header == HEADER and {row[0] for row in rows} == codes


def test_names_in_russian(sample_db: tuple[str, int]) -> None:
    target, event_id = sample_db
    code, out, _ = run("--db", target, "attendees", "--event", str(event_id), "--lang", "ru", "--search", "sc")
    assert code == 0
    rows = table(out)[1:]
    assert {row[2] for row in rows} == {"Верховный суд"}
    assert "Жиенбаев Ержан" in {row[1] for row in rows}  # no Russian display name: surname first


# Codes by surname: in English Latin first, in Russian and Kazakh Cyrillic first.
LATIN = ["H6J7K8", "Q7R8S9", "T2V3W4", "N9P2Q3"]  # O'Neill-Walker, Wiśniewska, Wiśniewski, Yılmaz
CYRILLIC = ["M4N5P6", "ZZ9YX8", "X5Y6Z7", "B8C9D2", "A2B3C4", "K7Q2MX"]  # Ахметов … Сәрсенбаева
ENGLISH_ORDER = [*LATIN, "E3F4G5", *CYRILLIC]  # E3F4G5: "Yerzhan Zhienbayev" in English


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_russian_and_kazakh_lists_write_the_surname_first_and_sort_cyrillic_first(
        sample_db: tuple[str, int], lang: str) -> None:
    target, event_id = sample_db
    code, out, err = run("--db", target, "attendees", "--event", str(event_id), "--lang", lang)
    assert (code, err) == (0, "")
    rows = table(out)[1:]
    # Жиенбаев (E3F4G5) between Ахметова and Иванов in both alphabets.
    assert [row[0] for row in rows] == [*CYRILLIC[:2], "E3F4G5", *CYRILLIC[2:], *LATIN]
    names = {row[0]: row[1] for row in rows}
    assert names["ZZ9YX8"] == "Ахметова Жанар Серікқызы"  # surname, given name, patronymic
    assert names["X5Y6Z7"] == "Иванов Сергей Петрович"
    assert names["Q7R8S9"] == "Wiśniewska Małgorzata"


def test_tabs_and_line_breaks_in_names_cannot_break_the_table(sample_db: tuple[str, int]) -> None:
    target, event_id = sample_db
    database = open_database(target)
    try:
        with database.write() as s:
            s.execute(update(Person).where(Person.family_name == "Иванов").values(family_name="Ива\tнов\nмл."))
    finally:
        database.close()
    code, out, _ = run("--db", target, "attendees", "--event", str(event_id), "--search", "сергей")
    assert code == 0
    assert table(out)[1][:2] == ["X5Y6Z7", "Сергей Ива нов мл."]


def test_which_event_must_be_said_when_there_are_several(sample_db: tuple[str, int]) -> None:
    target, _ = sample_db
    code, out, err = run("--db", target, "attendees")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "--event" in err


def test_the_only_event_need_not_be_named(tmp_path: Path) -> None:
    target = str(tmp_path / "demo.sqlite")
    assert run("--db", target, "demo")[0] == 0
    code, out, err = run("--db", target, "attendees", "--search", "сәрсенбаев")
    assert (code, err) == (0, "")
    rows = table(out)[1:]
    assert rows and all("Сәрсенбаев" in row[1] for row in rows)
    checked = [row[5] for row in table(run("--db", target, "attendees")[1])[1:] if row[5]]
    assert checked and all(dt.datetime.strptime(t, "%Y-%m-%d %H:%M").date() == dt.date(2025, 2, 28) for t in checked)


@pytest.mark.parametrize("args", [["--status", "arrived"], ["--event", "x"], ["--nonsense"]])
def test_usage_errors(tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "never.sqlite"
    code, out, err = run("--db", str(target), "attendees", *args)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert not target.exists()  # a usage error touches nothing


def test_an_unknown_event(sample_db: tuple[str, int]) -> None:
    target, _ = sample_db
    code, out, err = run("--db", target, "attendees", "--event", "999")
    assert code == 1 and out == "" and "999" in err
