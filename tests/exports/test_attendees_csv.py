"""The CSV attendee list: UTF-8 with a BOM, the separator Excel expects, quoting that
survives delimiters, quotes and line breaks, and a ``'`` before anything Excel would run."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from desktop.core.attendee_list import CATALOGUE, AttendeeFilter
from desktop.exports.attendees import (
    ExportCancelled,
    SheetColumn,
    clean_text,
    csv_safe,
    default_delimiter,
    export_attendees,
    write_csv,
)

from .conftest import FORMULA_LIKE, KAZAKH_ORG, Hostile

ALL = tuple(c.key for c in CATALOGUE)
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701 123 45 67", "'+7 701 123 45 67"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\nx"),  # a carriage return is a line break, as in .xlsx: nothing to run
        ("\t\x01x", "'\tx"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("\x01=1+1", "'=1+1"),  # a control character in front does not hide a formula
        ("Иванов", "Иванов"),
        ("a=b", "a=b"),
        ("#N/A", "#N/A"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_csv_safe(value: str, expected: str) -> None:
    assert csv_safe(value) == expected


def read_csv(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline=""), delimiter=delimiter))


def test_round_trip_of_awkward_text(tmp_path: Path) -> None:
    awkward = ["a;b", 'say "hi"', "two\nlines", "comma, here", "Сәрсенбаева", KAZAKH_ORG, " padded ", *FORMULA_LIKE]
    rows = [(v, dt.datetime(2025, 2, 28, 9, 5), None) for v in awkward]
    columns = [SheetColumn("Value"), SheetColumn("When", kind="datetime"), SheetColumn("Empty")]
    for delimiter in (";", ",", "\t"):
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
        assert write_csv(stream, columns, [rows[:3], rows[3:]], delimiter=delimiter) == len(rows)
        stream.flush()
        data = buffer.getvalue()
        got = read_csv(data, delimiter)
        assert got[0] == ["Value", "When", "Empty"]
        assert [r[0] for r in got[1:]] == [csv_safe(v) for v in awkward]
        assert {r[1] for r in got[1:]} == {"2025-02-28 09:05:00"} and {r[2] for r in got[1:]} == {""}
        assert data.count(b"\r\n") >= len(rows) + 1


def test_formula_like_values_are_neutralised(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    cols = ("code", "given_name", "notes", "organisation")
    export_attendees(hostile.database, path, hostile.event_id, cols, lang="en")
    got = {r[0]: r for r in read_csv(path.read_bytes(), ",")[1:]}
    for code, value in zip(hostile.formula_codes, FORMULA_LIKE):
        given, notes = got[code][1], got[code][2]
        assert given == notes == csv_safe(value)
        assert not given.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert got[hostile.control_code][2] == clean_text(got[hostile.control_code][2]) == "a\t\n\n\n\nb"


def test_bom_semicolons_and_cyrillic_for_russian_and_kazakh(hostile: Hostile, tmp_path: Path) -> None:
    assert (default_delimiter("ru"), default_delimiter("kk"), default_delimiter("en")) == (";", ";", ",")
    path = tmp_path / "kk.csv"
    export_attendees(hostile.database, path, hostile.event_id, ("code", "name", "organisation"), lang="kk")
    data = path.read_bytes()
    assert data.startswith(BOM) and not data.startswith(BOM * 2)
    rows = read_csv(data, ";")
    assert rows[0] == ["Бейдж коды", "Аты-жөні", "Ұйым"]
    kaz = next(r for r in rows if r[0] == hostile.kazakh_code)
    assert kaz[1] == "Сәрсенбаева Әлия Ғалымқызы" and kaz[2] == KAZAKH_ORG  # surname first
    path = tmp_path / "tab.csv"
    export_attendees(hostile.database, path, hostile.event_id, ("code", "name"), lang="ru", delimiter="\t")
    assert read_csv(path.read_bytes(), "\t")[0] == ["Код бейджа", "ФИО"]


def test_default_columns_and_filter(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    result = export_attendees(hostile.database, path, hostile.event_id, flt=AttendeeFilter(checked_in=True))
    rows = read_csv(path.read_bytes(), ",")
    assert rows[0] == ["Name", "Organisation", "Position", "Sector", "Status"]
    assert result.rows == len(rows) - 1 == 24
    assert "@example." not in path.read_text(encoding="utf-8-sig")


def test_cancel_leaves_no_csv(hostile: Hostile, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "list.csv"
    target.write_text("yesterday", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        export_attendees(hostile.database, target, hostile.event_id, ALL, progress=lambda d, t: d == 0, chunk_size=20)
    assert sorted(p.name for p in out.iterdir()) == ["list.csv"]
    assert target.read_text(encoding="utf-8") == "yesterday"
