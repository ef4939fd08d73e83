"""The Excel attendee list: every text stays text, nothing crashes, dates are dates, the
figures sheet agrees with core, and a cancelled or failed export leaves no file.

Files are read back with openpyxl (what a careless reader would see) and the sheet XML is
inspected directly (what Excel would execute): no ``<f>`` element may appear.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.models import Status
from desktop.core.attendee_list import (
    CATALOGUE,
    DEFAULT_COLUMNS,
    AttendeeFilter,
    attendee_chunks,
    participation_figures,
)
from desktop.core.checkin import participation
from desktop.exports.attendees import (
    DATETIME_FORMAT,
    ExportCancelled,
    SheetColumn,
    clean_text,
    export_attendees,
    write_xlsx,
)

from .conftest import CONTROLS, FORMULA_LIKE, KAZAKH_NAME, KAZAKH_ORG, Hostile

ROOT = Path(__file__).resolve().parents[2]
ALL = tuple(c.key for c in CATALOGUE)


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")}


def assert_no_formula(path: Path) -> None:
    sheets = sheet_xml(path)
    assert sheets, "the workbook has no sheets"
    for name, xml in sheets.items():
        assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"{name} holds a formula"


def write(tmp_path: Path, rows: list[tuple], columns: list[SheetColumn] | None = None, **kw) -> Path:  # type: ignore[no-untyped-def]
    columns = columns or [SheetColumn(f"C{i}") for i in range(len(rows[0]))]
    path = tmp_path / "out.xlsx"
    with path.open("wb") as fh:
        write_xlsx(fh, columns, [rows], total=len(rows), **kw)
    return path


def values(path: Path, sheet: int = 0) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


# -- the pure writer -------------------------------------------------------------------------------

def test_formula_like_strings_read_back_identical_and_are_never_formulas(tmp_path: Path) -> None:
    rows = [(v, f"row {i}") for i, v in enumerate(FORMULA_LIKE)]
    path = write(tmp_path, rows)
    got = values(path)[1:]
    assert [r[0] for r in got] == FORMULA_LIKE
    assert_no_formula(path)
    wb = openpyxl.load_workbook(path)
    for row in wb.worksheets[0].iter_rows(min_row=2):
        assert row[0].data_type == "s", row[0].value


@pytest.mark.parametrize(
    ("value", "prefixed"),
    [
        ("=1+1", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("#N/A", True),
        ("+7 701 123 45 67", False),  # a phone number: text, and nothing to run in it
        ("+7 (701) 123-45-67", False),
        ("-5", False),
        ("-", False),
        ("plain", False),
    ],
)
def test_formula_like_cells_carry_excels_quote_prefix(tmp_path: Path, value: str, prefixed: bool) -> None:
    """Excel's own mark for typed text ('=1+1): the cell stays text when someone edits it."""
    path = write(tmp_path, [(value,)])
    cell = openpyxl.load_workbook(path).worksheets[0]["A2"]
    assert cell.value == value and cell.data_type == "s"
    assert bool(cell.quotePrefix) is prefixed


def test_bare_openpyxl_would_have_written_a_formula(tmp_path: Path) -> None:
    """The test above can fail: openpyxl left alone makes "=1+1" a formula."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["=1+1"])
    path = tmp_path / "bare.xlsx"
    wb.save(path)
    with pytest.raises(AssertionError):
        assert_no_formula(path)


ALL_CONTROLS = "".join(chr(c) for c in range(32))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"a{ALL_CONTROLS}b", "a\t\n\n\n\nb"),  # tab kept; LF, VT, FF, CR → line breaks; others dropped
        ("x\x00y", "xy"),
        ("line\r\nnext\rlast", "line\nnext\nlast"),
        ("\x0bstarts", "\nstarts"),
        ("bad \ud800 surrogate \uffff", "bad \ufffd surrogate \ufffd"),
        ("\x01=1+1", "=1+1"),
        ("\x00", None),
        ("  spaces kept  ", "  spaces kept  "),
    ],
)
def test_control_characters_never_crash(tmp_path: Path, value: str, expected: str | None) -> None:
    assert (clean_text(value) or None) == expected
    path = write(tmp_path, [(value, "next")])
    assert values(path)[1] == (expected, "next")
    assert_no_formula(path)


def test_bare_openpyxl_would_have_crashed(tmp_path: Path) -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    with pytest.raises(IllegalCharacterError):
        ws.append(["a\x01b"])
        wb.save(tmp_path / "bare.xlsx")


def test_header_dates_widths_filter_and_frozen_pane(tmp_path: Path) -> None:
    when = dt.datetime(2025, 2, 28, 9, 41)
    columns = [SheetColumn("Name"), SheetColumn("Checked in at", kind="datetime"),
               SheetColumn("Organisation", width=36)]
    rows = [("Әлия Сәрсенбаева", when, KAZAKH_ORG), ("Иван Петров", None, "=evil()"), ("X", when, None)]
    path = write(tmp_path, rows, columns)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["Name", "Checked in at", "Organisation"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C4"
    assert ws["B2"].is_date and ws["B2"].value == when and ws["B2"].number_format == DATETIME_FORMAT
    assert ws["B3"].value is None
    assert ws["A2"].value == "Әлия Сәрсенбаева" and ws["C2"].value == KAZAKH_ORG
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert 17 <= widths["B"] <= 30
    assert widths["C"] >= len(KAZAKH_ORG) * 0.9 or widths["C"] == 60
    assert 8 <= widths["A"] < widths["C"]


def test_text_in_a_date_column_stays_text(tmp_path: Path) -> None:
    columns = [SheetColumn("When", kind="datetime")]
    path = write(tmp_path, [("=1+1",), ("not yet",), (dt.datetime(2025, 2, 28, 9, 0),)], columns)
    assert [r[0] for r in values(path)[1:]] == ["=1+1", "not yet", dt.datetime(2025, 2, 28, 9, 0)]
    assert_no_formula(path)


def test_an_empty_list_still_has_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with path.open("wb") as fh:
        assert write_xlsx(fh, [SheetColumn("Name"), SheetColumn("Status")], []) == 0
    assert values(path) == [("Name", "Status")]


def test_columns_checked_a_chunk_at_a_time_write_what_cell_by_cell_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_xlsx looks at each column of a chunk once and at its cells only when something
    in it needs care: the sheet is the one the cell-by-cell path writes (forced here by a
    pattern that finds something in every column)."""
    import desktop.exports.attendees as attendees

    when = dt.datetime(2025, 2, 28, 9, 41)
    columns = [SheetColumn("Name"), SheetColumn("Phone"), SheetColumn("Note"), SheetColumn("At", kind="datetime"),
               SheetColumn("Mixed")]
    chunks = [
        [("Иван Петров", "+7 701 123 45 67", "", when, 7), ("Әлия", None, "two\nlines, the second longer", None, "x")],
        [("", "-", "=1+1", when, None), ("A\u000bB", "+7 (701) 1", "#N/A", None, "ok")],
        [("Долгое имя " * 3, "@home", "a line\n=not a formula?", when, ""), (None, "\tx", "\r\nx", None, 3.5)],
        [("plain", "plain", "plain", None, "plain")],
    ]

    def written(name: str) -> tuple[str, dict[str, float | None]]:
        path = tmp_path / name
        with path.open("wb") as fh:
            assert write_xlsx(fh, columns, [list(c) for c in chunks]) == 7
        widths = {k: d.width for k, d in openpyxl.load_workbook(path).worksheets[0].column_dimensions.items()}
        return sheet_xml(path)["xl/worksheets/sheet1.xml"], widths

    by_columns = written("columns.xlsx")
    monkeypatch.setattr(attendees, "_RISKY_LINE", re.compile(""))  # every column cell by cell
    assert written("cells.xlsx") == by_columns
    assert_no_formula(tmp_path / "columns.xlsx")
    rows = values(tmp_path / "columns.xlsx")
    assert rows[3][:3] == (None, "-", "=1+1") and rows[2][2] == "two\nlines, the second longer"


# -- the whole export ----------------------------------------------------------------------------

def test_hostile_attendees_read_back_exactly(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "attendees.xlsx"
    result = export_attendees(hostile.database, path, hostile.event_id, ALL, lang="en")
    assert result.rows == 120 + len(FORMULA_LIKE) + 2
    assert_no_formula(path)

    got = values(path)
    header, body = got[0], got[1:]
    assert header[ALL.index("name")] == "Name" and len(header) == len(ALL)
    by_code = {r[ALL.index("code")]: r for r in body}
    assert len(by_code) == result.rows

    for code, value in zip(hostile.formula_codes, FORMULA_LIKE):
        row = by_code[code]
        for key in ("given_name", "notes", "dietary"):  # stored as typed
            assert row[ALL.index(key)] == value, (key, value)
        assert row[ALL.index("phone")] == (value if len(value) <= 40 else None)
        for key in ("organisation", "position"):  # per-language texts are trimmed when stored
            assert row[ALL.index(key)] == (value.strip() or None), (key, value)

    # What the core query gives, cleaned, is exactly what the file holds, cell for cell.
    with hostile.database.read() as s:
        expected = [r for c in attendee_chunks(s, hostile.event_id, ALL, lang="en") for r in c]
    cleaned = [tuple((clean_text(v) or None) if isinstance(v, str) else v for v in r) for r in expected]
    assert body == cleaned

    control = by_code[hostile.control_code]
    assert control[ALL.index("notes")] == "a\t\n\n\n\nb"
    assert control[ALL.index("family_name")] == clean_text(f"Chars{CONTROLS}")
    assert control[ALL.index("position")] == clean_text(f"pos{CONTROLS}end")


def test_kazakh_and_russian_survive(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "kk.xlsx"
    export_attendees(hostile.database, path, hostile.event_id, ("code", "name", "organisation", "interpretation"),
                     lang="kk")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Қатысушылар", "Қатысу"]
    rows = {r[0]: r for r in values(path)[1:]}
    given, family, patronymic = KAZAKH_NAME
    # A Kazakh list: surname, given name, patronymic.
    assert rows[hostile.kazakh_code] == (hostile.kazakh_code, f"{family} {given} {patronymic}", KAZAKH_ORG,
                                         "қазақ тілі")
    assert values(path)[0] == ("Бейдж коды", "Аты-жөні", "Ұйым", "Ілеспе аударма")


def test_default_columns_leave_out_contacts(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "default.xlsx"
    export_attendees(hostile.database, path, hostile.event_id)
    got = values(path)
    assert got[0] == ("Name", "Organisation", "Position", "Sector", "Status")
    flat = {v for r in got for v in r}
    assert not any(isinstance(v, str) and "@example." in v for v in flat)
    path2 = tmp_path / "contacts.xlsx"
    export_attendees(hostile.database, path2, hostile.event_id, (*DEFAULT_COLUMNS, "email"))
    assert any(isinstance(r[-1], str) and "@example." in r[-1] for r in values(path2)[1:])


def test_filters_reach_the_file(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    flt = AttendeeFilter(checked_in=True)
    result = export_attendees(hostile.database, path, hostile.event_id, ("code", "checked_in", "desk"), flt)
    body = values(path)[1:]
    assert result.rows == len(body) == 24
    assert all(isinstance(r[1], dt.datetime) and r[2] for r in body)
    wb = openpyxl.load_workbook(path)
    assert wb.worksheets[0].auto_filter.ref == "A1:C25"
    path = tmp_path / "waiting.xlsx"
    flt = AttendeeFilter(statuses=frozenset({Status.WAITLISTED}))
    export_attendees(hostile.database, path, hostile.event_id, ("status",), flt)
    assert {r[0] for r in values(path)[1:]} == {"Waitlisted"}


def test_dates_are_dates_in_the_event_time_zone(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    export_attendees(hostile.database, path, hostile.event_id, ("registered_at", "checked_in"),
                     AttendeeFilter(checked_in=True))
    ws = openpyxl.load_workbook(path).worksheets[0]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.is_date and isinstance(cell.value, dt.datetime), cell.coordinate
            assert cell.number_format == DATETIME_FORMAT
    # The demo's arrivals happened from 08:40 local time on 28 February 2025.
    arrivals = sorted(r[1] for r in values(path)[1:])
    assert arrivals[0].date() == dt.date(2025, 2, 28) and dt.time(8, 40) <= arrivals[0].time() < dt.time(9, 0)


@pytest.mark.parametrize("filtered", [False, True], ids=["whole list (tallied)", "filtered list (queried)"])
def test_participation_sheet_matches_core(hostile: Hostile, tmp_path: Path, filtered: bool) -> None:
    path = tmp_path / "figures.xlsx"
    flt = AttendeeFilter(statuses=frozenset({Status.CONFIRMED})) if filtered else AttendeeFilter()
    export_attendees(hostile.database, path, hostile.event_id, lang="en", flt=flt, chunk_size=10)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Attendees", "Participation"]
    rows = values(path, 1)
    first = {r[0]: r[1:] for r in rows if r[0] is not None}
    with hostile.database.read() as s:
        core = participation(s, hostile.event_id)
        mine = participation_figures(s, hostile.event_id)
    assert first["Registrations (all statuses)"][0] == core.registered
    assert first["Expected (registered or confirmed)"][0] == core.expected
    assert first["Checked in"][0] == core.checked_in
    assert first["Checked in, share of expected"][0] == pytest.approx(core.checked_in / core.expected)
    for status in Status:
        assert first[status.value.capitalize()][0] == core.by_status.get(status, 0)

    # The stage "registered" is the expected (registered or confirmed, or checked in).
    start = next(i for i, r in enumerate(rows) if r[0] == "Registered, by sector and gender")
    header = rows[start + 1]
    assert header[:6] == ("Sector", "Women", "Men", "Not stated", "Total", "Women, %")
    table = {}
    for r in rows[start + 2:]:
        if r[0] == "Total":
            total = r
            break
        table[r[0]] = r[1:5]
    from db.models import Gender
    from desktop.core import vocabulary

    for (sector, gender), n in core.by_sector_gender.items():
        col = {Gender.FEMALE: 0, Gender.MALE: 1, Gender.NOT_STATED: 2}[gender]
        assert table[vocabulary.sector(sector, "en")][col] == n
    for f, m, ns, t in table.values():
        assert f + m + ns == t
    assert total[4] == core.expected
    assert sum(mine.checked_in_by_sector_gender.values()) == core.checked_in
    notes = " ".join(str(r[0]) for r in rows if r[0])
    assert "Asia/Almaty" in notes
    if filtered:
        assert "holds: Confirmed (" in notes and f"({mine.by_status[Status.CONFIRMED]} rows)" in notes
    else:
        assert f"holds: all registrations ({core.registered} rows)" in notes
    assert_no_formula(path)


# -- files appear whole or not at all ------------------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the exported files alone (the SQLite database sits in ``tmp_path``)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("stop_after", [0, 1, 3])
def test_cancel_leaves_no_file(hostile: Hostile, out: Path, stop_after: int) -> None:
    from openpyxl.worksheet import _writer

    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) <= stop_after

    temp_before = set(_writer.ALL_TEMP_FILES)
    with pytest.raises(ExportCancelled):
        export_attendees(hostile.database, out / "x.xlsx", hostile.event_id, progress=progress, chunk_size=10)
    assert leftovers(out) == []
    assert len(calls) == stop_after + 1
    assert all(total == 137 for _, total in calls)
    assert [d for d, _ in calls] == [0, 10, 20, 30][: stop_after + 1]
    assert not [p for p in _writer.ALL_TEMP_FILES if p not in temp_before and os.path.exists(p)]


def test_cancel_keeps_the_previous_file(hostile: Hostile, out: Path) -> None:
    target = out / "list.xlsx"
    target.write_bytes(b"the file from yesterday")
    with pytest.raises(ExportCancelled):
        export_attendees(hostile.database, target, hostile.event_id, progress=lambda d, t: d < 50, chunk_size=25)
    assert target.read_bytes() == b"the file from yesterday"
    assert leftovers(out) == ["list.xlsx"]


def test_progress_reaches_the_total_and_none_cancels_nothing(hostile: Hostile, out: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_attendees(hostile.database, out / "a.xlsx", hostile.event_id,
                     progress=lambda d, t: seen.append((d, t)), chunk_size=50)
    assert seen == [(0, 137), (50, 137), (100, 137), (137, 137)]
    assert leftovers(out) == ["a.xlsx"]


def test_a_failure_midway_leaves_no_file(hostile: Hostile, out: Path) -> None:
    def progress(done: int, total: int) -> bool:
        if done >= 20:
            raise RuntimeError("disk on fire")
        return True

    with pytest.raises(RuntimeError):
        export_attendees(hostile.database, out / "x.xlsx", hostile.event_id, progress=progress, chunk_size=10)
    assert leftovers(out) == []


def test_importing_the_exporter_does_not_load_openpyxl() -> None:
    probe = "import json, sys; import desktop.exports.attendees; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    loaded = {m.split(".")[0] for m in json.loads(run.stdout)}
    assert "openpyxl" not in loaded and "PySide6" not in loaded
