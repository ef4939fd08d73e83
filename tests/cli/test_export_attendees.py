"""``conference-desk export-attendees``: the file it writes, its filters, and its exit
statuses (0 done, 1 data error, 2 usage error) with one line on stderr and no file on error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main


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


def test_default_export_to_xlsx(demo_db: str, out: Path) -> None:
    target = out / "attendees.xlsx"
    code, stdout, err = run("--db", demo_db, "export-attendees", "-o", str(target))
    assert (code, err) == (0, "")
    assert stdout == f"120 attendees written to {target}\n"
    wb = openpyxl.load_workbook(target)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Name", "Organisation", "Position", "Sector", "Status")
    assert len(rows) == 121
    assert wb.sheetnames == ["Attendees", "Participation"]


def test_columns_filters_and_language_in_csv(demo_db: str, out: Path) -> None:
    target = out / "list.CSV"
    code, stdout, err = run(
        "export-attendees", "--db", demo_db, "--columns", "code,name,email,checked_in,desk",
        "--status", "confirmed", "--status", "registered", "--sector", "judiciary", "--sector", "none",
        "--checked-in", "yes", "--lang", "ru", "-o", str(target),
    )
    assert (code, err) == (0, "")
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["Код бейджа", "ФИО", "Эл. почта", "Время прибытия", "Стойка"]
    assert len(rows) > 1 and all(r[3].startswith("2025-02-28 ") and r[4].startswith("Desk") for r in rows[1:])
    assert stdout.startswith(f"{len(rows) - 1} attendees written to ")


def test_comma_delimiter_on_request(demo_db: str, out: Path) -> None:
    target = out / "list.csv"
    code, _, _ = run("--db", demo_db, "export-attendees", "--lang", "ru", "--delimiter", "comma",
                     "--columns", "code,status", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == "Код бейджа,Статус"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--columns", "name,salary"], "unknown column 'salary'; valid columns: name, family_name"),
        (["--columns", ""], "no columns given; valid columns: name"),
        (["--status", "maybe"], "invalid choice: 'maybe'"),
        (["--sector", "army"], "invalid choice: 'army'"),
        (["--checked-in", "sometimes"], "invalid choice: 'sometimes'"),
        (["--lang", "de"], "invalid choice: 'de'"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path, out: Path, args: list[str], needle: str) -> None:
    db = tmp_path / "never.sqlite"
    code, stdout, err = run("--db", str(db), "export-attendees", *args, "-o", str(out / "x.xlsx"))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and needle in err
    assert list(out.iterdir()) == []
    assert not db.exists(), "a usage error must not create the database"


@pytest.mark.parametrize("name", ["x.pdf", "x.xls", "x", "x.xlsx.bak"])
def test_unknown_extension_exits_2(tmp_path: Path, out: Path, name: str) -> None:
    db = tmp_path / "never.sqlite"
    code, stdout, err = run("--db", str(db), "export-attendees", "-o", str(out / name))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and ".xlsx or .csv" in err
    assert list(out.iterdir()) == [] and not db.exists()


def test_missing_output_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "x.sqlite"), "export-attendees")
    assert code == 2 and "-o/--output" in err and err.count("\n") == 1


def test_data_errors_exit_1_and_write_nothing(demo_db: str, out: Path, tmp_path: Path) -> None:
    code, stdout, err = run("--db", demo_db, "export-attendees", "--event", "999", "-o", str(out / "x.xlsx"))
    assert code == 1 and stdout == "" and err.count("\n") == 1 and "no event with id 999" in err
    code, _, err = run("--db", demo_db, "export-attendees", "-o", str(tmp_path / "nowhere" / "x.xlsx"))
    assert code == 1 and err.count("\n") == 1 and "does not exist" in err
    folder = out / "looks like a file.xlsx"
    folder.mkdir()
    code, _, err = run("--db", demo_db, "export-attendees", "-o", str(folder))
    assert code == 1 and "is a folder" in err and err.count("\n") == 1
    assert [p.name for p in out.iterdir()] == [folder.name] and list(folder.iterdir()) == []


def test_several_events_need_event(demo_db: str, out: Path) -> None:
    assert run("--db", demo_db, "demo")[0] == 0
    code, _, err = run("--db", demo_db, "export-attendees", "-o", str(out / "x.xlsx"))
    assert code == 1 and "choose one with --event" in err and err.count("\n") == 1
    assert list(out.iterdir()) == []
    code, stdout, err = run("--db", demo_db, "export-attendees", "--event", "1", "-o", str(out / "x.xlsx"))
    assert code == 0 and "120 attendees" in stdout
