"""``import-attendees`` on the command line: the report, the exit statuses, nothing changed on failure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop.cli import main
from tests.import_files import write_csv, write_xlsx


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def attendee_count(db: str) -> int:
    code, out, err = run("--db", db, "events")
    assert code == 0, err
    return int(out.splitlines()[1].split("\t")[-1])


@pytest.fixture
def demo_db(demo_target: tuple[str, int]) -> str:
    """A new database holding the demo, as ``conference-desk demo`` makes it."""
    return demo_target[0]


LIST = [
    ["Список участников"],
    ["ФИО", "Организация", "E-mail", "Пол"],
    ["Иванов Иван Иванович", "Минюст", "ivanov@example.kz", "м"],
    ["", "Минюст", "nobody@example.kz", ""],
    ["Петрова Анна", "Суд", "petrova@", "ж"],
    ["Ахметова Дина", "Суд", "IVANOV@example.kz", "?"],
    ["Ким Ли", "", "", "ж"],
]


def test_import_prints_counts_and_every_row_left_out(demo_db: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", LIST)
    before = attendee_count(demo_db)
    code, out, err = run("--db", demo_db, "import-attendees", str(path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("list.xlsx (Excel workbook, sheet “Лист1”; header on row 2): 2 new people, "
                        "0 already in the roster; 1 organisation created.")
    assert lines[1] == "Imported 2, duplicates 1, skipped 2."
    assert lines[2:] == [
        "row 4: skipped: No name: “ФИО” is empty.",
        "row 5: skipped: The e-mail “petrova@” is not a valid address.",
        "row 6: duplicate: The same e-mail as row 3 (IVANOV@example.kz).",
    ]
    assert attendee_count(demo_db) == before + 2
    code, out, _ = run("--db", demo_db, "import-attendees", str(path))
    assert code == 0 and out.splitlines()[1] == "Imported 0, duplicates 3, skipped 2."
    assert attendee_count(demo_db) == before + 2


def test_dry_run_writes_nothing(demo_db: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", LIST, encoding="cp1251")
    before = attendee_count(demo_db)
    code, out, err = run("--db", demo_db, "import-attendees", str(path), "--dry-run")
    assert (code, err) == (0, "")
    assert "Would import 2, duplicates 1, skipped 2." in out.splitlines()
    assert out.splitlines()[-1] == "Dry run: nothing was written."
    assert "Windows-1251, separated by semicolons" in out.splitlines()[0]
    assert attendee_count(demo_db) == before


def test_map_names_columns_the_app_does_not_know(demo_db: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv",
                     [["Кто", "Откуда", "Куда писать"], ["Иванов Иван", "Минюст", "i@example.kz"]])
    code, _, err = run("--db", demo_db, "import-attendees", str(path))
    assert code == 1 and err.count("\n") == 1
    assert err == ("conference-desk: error: list.csv: no header row naming the columns (such as “ФИО”, “Фамилия”, "
                   "“Организация”, “E-mail”) was found in the first rows; say which column holds the names "
                   "with --map 'Header=full_name'.\n")
    code, out, err = run("--db", demo_db, "import-attendees", str(path),
                         "--map", "Кто=full_name", "--map", "Откуда=organisation", "--map", "C=email")
    assert (code, err) == (0, "") and "Imported 1, duplicates 0, skipped 0." in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--map", "ФИО"], "--map needs 'Header=field'"),
        (["--map", "ФИО=shoe_size"], "unknown field 'shoe_size'"),
        (["--map", "A=email", "--map", "B=email"], "gives 'email' to two columns"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2_and_change_nothing(tmp_path: Path, argv: list[str], needle: str) -> None:
    db = tmp_path / "x.sqlite"
    path = write_csv(tmp_path / "list.csv", LIST)
    code, out, err = run("--db", str(db), "import-attendees", str(path), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err
    assert not db.exists()


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("list.xlsx", b"name;email\nAnna;anna@example.org\n", "list.xlsx is not a workbook: it holds plain text"),
        ("list.csv", b"PK\x03\x04" + b"\x00" * 100, "list.csv is a workbook, not CSV text"),
        ("list.xlsx", b"PK\x03\x04\x14\x00" + b"\x00" * 200, "list.xlsx is damaged or incomplete"),
        ("list.docx", b"PK", "list.docx: “.docx” files cannot be imported"),
    ],
)
def test_unusable_file_exits_1_with_one_line(demo_db: str, tmp_path: Path, name: str, content: bytes,
                                             needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = attendee_count(demo_db)
    code, out, err = run("--db", demo_db, "import-attendees", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and needle in err, err
    assert attendee_count(demo_db) == before


def test_an_unusable_file_does_not_even_create_the_database(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    bad = tmp_path / "list.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    for path in (bad, tmp_path / "missing.csv"):
        code, _, err = run("--db", str(db), "import-attendees", str(path))
        assert code == 1 and err.count("\n") == 1
    assert not db.exists()


def test_missing_file_and_missing_event(demo_db: str, tmp_path: Path) -> None:
    code, _, err = run("--db", demo_db, "import-attendees", str(tmp_path / "nope.csv"))
    assert code == 1 and "nope.csv does not exist" in err
    path = write_csv(tmp_path / "list.csv", LIST)
    code, _, err = run("--db", demo_db, "import-attendees", str(path), "--event", "999")
    assert code == 1 and "there is no event with id 999" in err and err.count("\n") == 1


def test_sheet_option(demo_db: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", LIST, extra_sheets={"Гости": [["ФИО"], ["Омаров Ерлан"]]})
    code, out, _ = run("--db", demo_db, "import-attendees", str(path), "--sheet", "Гости", "--dry-run")
    assert code == 0 and "Would import 1, duplicates 0, skipped 0." in out
    code, _, err = run("--db", demo_db, "import-attendees", str(path), "--sheet", "Нет")
    assert code == 1 and "book.xlsx has no sheet “Нет” (its sheets: “Лист1”, “Гости”)." in err


def test_help_lists_every_field_map_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli.attendees import IMPORT_FIELDS
    from desktop.core.importing.fields import FIELD_SPECS

    assert IMPORT_FIELDS.split(", ") == [f.key for f in FIELD_SPECS]
    with pytest.raises(SystemExit):
        main(["import-attendees", "--help"])
    assert "full_name_given_first" in capsys.readouterr().out


def test_a_bad_row_found_while_importing_exits_1_and_changes_nothing(demo_db: str, tmp_path: Path) -> None:
    """Rows past the head of a text file are read as they are imported: a row that cannot
    be read there is one line on stderr, and the import is rolled back."""
    rows: list[list[object]] = [["ФИО", "E-mail"]] + [[f"Участник{i} Имя", f"p{i}@example.kz"] for i in range(600)]
    rows[550] = [*rows[550], *["x"] * 600]
    path = write_csv(tmp_path / "long.csv", rows)
    before = attendee_count(demo_db)
    code, out, err = run("--db", demo_db, "import-attendees", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "long.csv, row 551: 602 columns; at most 500 can be read." in err, err
    assert attendee_count(demo_db) == before
