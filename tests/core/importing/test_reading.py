"""Reading the lists organisers get: encodings, delimiters, title rows, merged cells, formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.importing import open_source, read_table
from desktop.core.importing.reading import cell_text, decode_text, sniff_delimiter
from tests.import_files import write_csv, write_ods, write_xls, write_xlsx

PEOPLE = [
    ["ФИО", "Организация", "Должность", "E-mail"],
    ["Сәрсенбаева Айгүл Нұрланқызы", "Жоғарғы Сот", "Судья", "a.sarsenbayeva@example.kz"],
    ["Иванов Иван Иванович", "ТОО «Рога, копыта»", "Директор; эксперт", "ivanov@example.kz"],
    ["Wiśniewska Anna", "Uniwersytet Warszawski", "Professor", "anna@example.pl"],
]
RUSSIAN = [
    ["Фамилия", "Имя", "Организация", "E-mail"],
    ["Ёлкина", "Анна", "ТОО «Рога, копыта»", "elkina@example.kz"],
    ["Иванов", "Иван", "Суд; кассация", "ivanov@example.kz"],
    ["Щукин", "Юрий", "Минюст", ""],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_text_in_every_encoding_and_delimiter_reads_back_exactly(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = PEOPLE if encoding != "cp1251" else RUSSIAN  # Windows-1251 has no Kazakh or Polish letters
    path = write_csv(tmp_path / "list.csv", rows, encoding=encoding, delimiter=delimiter)
    table = read_table(path)
    assert table.kind == "text"
    assert table.delimiter == delimiter
    assert table.encoding == ("utf-16" if encoding == "utf-16" else encoding)
    assert table.rows == rows
    assert table.row_numbers == [1, 2, 3, 4]


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes("ФИО\tE-mail\r\nИванов Иван\tivanov@example.kz\r\n".encode("utf-16-le"))
    table = read_table(path)
    assert table.rows == [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@example.kz"]]


def test_quoted_cell_over_two_lines_keeps_later_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text('ФИО;Примечание\r\nИванов Иван;"первая строка\r\nвторая строка"\r\nПетрова Анна;\r\n',
                    encoding="utf-8")
    table = read_table(path)
    assert table.row_numbers == [1, 2, 4]
    assert table.rows[1][1] == "первая строка\r\nвторая строка"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("ФИО;Организация\nИванов, Иван;ТОО «А, Б»\nПетрова, Анна;Суд\n", ";"),
        ("Список участников\n\nФИО,Email\nА,a@x.kz\nБ,b@x.kz\n", ","),
    ],
)
def test_delimiter_is_the_most_consistent_one(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_windows_1251_is_tried_after_utf8() -> None:
    text, encoding = decode_text("Фамилия;Имя".encode("cp1251"), "x.csv")
    assert (text, encoding) == ("Фамилия;Имя", "cp1251")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  Иванов\u00a0 ", "Иванов"),
        ("\u200bтекст\ufeff", "текст"),
        ("внутри  два  пробела", "внутри  два  пробела"),
        (77011234567.0, "77011234567"),
        (1.5, "1.5"),
        (12, "12"),
        (True, "TRUE"),
        ("", ""),
    ],
)
def test_cell_text_trims_and_keeps_the_rest(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_xlsx_title_rows_and_merged_banner_above_the_header(tmp_path: Path) -> None:
    rows = [
        ["Министерство юстиции Республики Казахстан"],
        ["Список участников круглого стола"],
        [],
        *PEOPLE,
    ]
    path = write_xlsx(tmp_path / "list.xlsx", rows, merges=["A1:D1", "A2:D2"])
    table, layout = open_source(path)
    assert table.kind == "xlsx" and table.sheet == "Лист1"
    assert layout.header_row == 4 and layout.data_start == 4
    assert [c.field for c in layout.columns] == ["full_name", "organisation", "position", "email"]
    assert set(table.banners) == {0, 1}


def test_merged_section_heading_between_people_is_a_banner_and_merged_down_cells_fill(tmp_path: Path) -> None:
    rows = [
        ["ФИО", "Организация", "E-mail"],
        ["Секция 1. Судебная система"],
        ["Иванов Иван", "Верховный Суд", "i@example.kz"],
        ["Петров Пётр", None, "p@example.kz"],
        ["Сидоров Сидор", None, "s@example.kz"],
    ]
    path = write_xlsx(tmp_path / "list.xlsx", rows, merges=["A2:C2", "B3:B5"])
    table, _layout = open_source(path)
    assert table.banners == {1: "Секция 1. Судебная система"}
    assert [r[1] for r in table.rows[2:5]] == ["Верховный Суд"] * 3


def test_row_with_values_in_merged_cells_is_not_a_banner(tmp_path: Path) -> None:
    rows = [["ФИО", None, "E-mail"], ["Иванов Иван", None, "i@example.kz"]]
    path = write_xlsx(tmp_path / "list.xlsx", rows, merges=["A1:B1", "A2:B2"])
    table, layout = open_source(path)
    assert table.banners == {}
    assert layout.header_row == 1 and layout.field_columns["email"].index == 2


def test_two_level_header_reads_the_sub_headers(tmp_path: Path) -> None:
    rows = [
        ["№", "ФИО", None, None, "Организация"],
        [None, "Фамилия", "Имя", "Отчество", None],
        [1, "Иванов", "Иван", "Иванович", "Минюст"],
    ]
    path = write_xlsx(tmp_path / "list.xlsx", rows, merges=["B1:D1", "E1:E2", "A1:A2"])
    table, layout = open_source(path)
    fields = {c.letter: c.field for c in layout.columns}
    assert fields == {"A": None, "B": "family_name", "C": "given_name", "D": "patronymic", "E": "organisation"}
    assert table.number(layout.data_start) == 3


def test_ods_and_xls_read_like_xlsx(tmp_path: Path) -> None:
    rows = [["Список участников"], [], *PEOPLE, ["Ким Ли", "Суд", "", 77011234567]]
    for path in (write_ods(tmp_path / "list.ods", rows), write_xls(tmp_path / "list.xls", rows)):
        table, layout = open_source(path)
        assert layout.header_row == 3, path
        assert [cell_text(c) for c in table.rows[3]] == PEOPLE[1]
        assert cell_text(table.rows[6][3]) == "77011234567"


def test_xls_merged_cells_are_read(tmp_path: Path) -> None:
    rows = [["Список участников", None], ["ФИО", "E-mail"], ["Иванов Иван", "i@example.kz"]]
    table, layout = open_source(write_xls(tmp_path / "list.xls", rows, merges=[(0, 0, 0, 1)]))
    assert table.banners == {0: "Список участников"} and layout.header_row == 2


def test_content_decides_among_workbook_formats(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "list.xlsx", PEOPLE)
    renamed = tmp_path / "list.xls"
    renamed.write_bytes(real.read_bytes())
    table = read_table(renamed)
    assert table.kind == "xlsx" and table.rows[1][0] == PEOPLE[1][0]


def test_hidden_sheet_and_sheet_without_people_are_passed_over(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [["Справочник"], ["a"]], sheet="Справочник",
                      extra_sheets={"Участники": PEOPLE})
    table, layout = open_source(path)
    assert table.sheet == "Участники" and layout.problem is None
    hidden = write_xlsx(tmp_path / "hidden.xlsx", PEOPLE, sheet="Старый", first_sheet_hidden=True,
                        extra_sheets={"Новый": PEOPLE[:2]})
    assert open_source(hidden)[0].sheet == "Новый"


def test_a_long_sheet_streams_from_a1_with_its_merged_cells(tmp_path: Path) -> None:
    """A sheet longer than the head is read row by row on each pass: from A1 even when its
    first cell is further down and right, numbered as in the file, cells merged down filled
    and banners marked as the rows pass, the head the same as the stream's first rows."""
    from desktop.core.importing.reading import HEAD_ROWS

    rows: list[list[object]] = [[], [None, "ФИО", "Организация"]]
    rows += [[None, f"Участник{i} Имя", "Суд" if i % 50 == 0 else None] for i in range(400)]
    rows.insert(300, [None, "Секция 2"])
    path = write_xlsx(tmp_path / "long.xlsx", rows, merges=["C3:C5", "B301:C301"])
    table = read_table(path)
    got = list(table.iter_rows())
    assert len(table.rows) == HEAD_ROWS and table.rows == [cells for _i, _n, cells, _b in got[:HEAD_ROWS]]
    assert [n for _i, n, _c, _b in got] == list(range(1, len(rows) + 1))
    assert got[0][2] == ["", "", ""] and got[1][2] == ["", "ФИО", "Организация"]
    assert [c[2] for _i, _n, c, _b in got[2:6]] == ["Суд", "Суд", "Суд", ""]  # C3 merged down to C5
    assert {i: b for i, _n, _c, b in got if b} == {300: "Секция 2"}
    assert [cell_text(c) for c in got[-1][2]] == ["", "Участник399 Имя", ""]
    assert list(table.iter_rows(len(rows) - 1)) == got[-1:]
