"""Issue 11, section 5, the Excel export as seen on real output: "Exported" in the event's
time zone, columns as wide as their longest value (anywhere in the list, within a limit),
and the default name column in surname order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Person, Registration
from desktop.core import collation
from desktop.core.i18n import sheet_name
from desktop.exports.attendees import MAX_WIDTH, SheetColumn, export_attendees, write_xlsx
from tests.exports.conftest import LongEvent
from tests.exports.long_data import ORG_WITHOUT_SHORT, TIMEZONE


def _summary_value(path: Path, label: str) -> object:
    for row in openpyxl.load_workbook(path).worksheets[1].iter_rows(values_only=True):
        if row and row[0] == label:
            return row[1]
    raise AssertionError(f"no row {label!r} on the participation sheet")


def _widths(path: Path) -> dict[str, float]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {k: float(d.width) for k, d in ws.column_dimensions.items()}


def test_exported_is_the_event_s_wall_clock(long_event: LongEvent, tmp_path: Path) -> None:
    # 03:00 UTC is 08:00 in Astana (UTC+5): the sheet names the event's zone for its times.
    at = dt.datetime(2025, 3, 13, 3, 0, 41, 500, tzinfo=dt.UTC)
    path = tmp_path / "list.xlsx"
    export_attendees(long_event.database, path, long_event.event_id, now=at)
    assert _summary_value(path, "Exported") == dt.datetime(2025, 3, 13, 8, 0, 41)
    # A naive moment is UTC, as every instant the database keeps.
    export_attendees(long_event.database, path, long_event.event_id, now=at.replace(tzinfo=None))
    assert _summary_value(path, "Exported") == dt.datetime(2025, 3, 13, 8, 0, 41)


def test_exported_now_is_now_in_the_event_s_zone(long_event: LongEvent, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    export_attendees(long_event.database, path, long_event.event_id)
    printed = _summary_value(path, "Exported")
    assert isinstance(printed, dt.datetime)
    local_now = dt.datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)
    assert abs(printed - local_now) < dt.timedelta(minutes=2)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_columns_fit_the_longest_value_anywhere_in_the_list(long_event: LongEvent, tmp_path: Path,
                                                             lang: str) -> None:
    """Rows are written one at a time, so the first row cannot tell the longest: the longest
    name (in the middle of the alphabet) sets the name column's width."""
    path = tmp_path / "list.xlsx"
    export_attendees(long_event.database, path, long_event.event_id, columns=("name", "code", "organisation"),
                     lang=lang, chunk_size=1)
    ws = openpyxl.load_workbook(path).worksheets[0]
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    longest = max(names, key=len)
    assert names.index(longest) >= 1  # not the first row, written before the widths were known
    widths = _widths(path)
    assert len(longest) + 1 <= widths["A"] <= MAX_WIDTH
    assert widths["B"] < 20  # badge codes: narrow
    assert widths["C"] == MAX_WIDTH  # organisations of 180+ characters: the limit, not their length
    assert len(ORG_WITHOUT_SHORT[lang]) > MAX_WIDTH


def test_a_width_fits_the_longest_line_of_a_value(tmp_path: Path) -> None:
    rows = [("short",)] * 3 + [("a line of thirty characters..\nand a second",)]
    path = tmp_path / "out.xlsx"
    write_xlsx(path, [SheetColumn("Notes")], [rows[:2], rows[2:]])
    assert 30 <= _widths(path)["A"] <= 40


def _names_in_order(database: Database, event_id: int, lang: str) -> list[str]:
    """The event's people in surname order, by the language's collation (computed here)."""
    with database.read() as s:
        people = s.execute(select(Person.given_name, Person.family_name, Person.patronymic, Person.display_name)
                           .join(Registration).where(Registration.event_id == event_id)).all()
    people.sort(key=lambda p: collation.name_key(p[0], p[1], p[2], p[3], lang))
    return [sheet_name(p[0], p[1], p[2], p[3], lang) for p in people]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_default_name_column_is_in_surname_order(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "list.xlsx"
    export_attendees(long_event.database, path, long_event.event_id, lang=lang)
    ws = openpyxl.load_workbook(path).worksheets[0]
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    expected = _names_in_order(long_event.database, long_event.event_id, lang)
    assert names == expected
    # Surname first in every language ("Hohenzollern-Sigmaringen, Karl Friedrich" in English), so
    # sorting the column in the spreadsheet keeps it in surname order.
    assert names == sorted(names, key=lambda n: collation.key(n, lang))
