"""The attendee list as an Excel workbook (.xlsx) or a CSV file — safe to open.

Two layers, as in Indico's spreadsheet helper:

* ``write_xlsx`` and ``write_csv`` are pure writers: headers and chunks of row tuples in,
  a file object out. They know nothing about the database.
* ``export_attendees`` reads the event through ``desktop.core.attendee_list`` and writes
  the file: to a temporary file in the target's folder, moved into place with
  ``os.replace`` only when complete, so a failure or a cancel never leaves a partial file.

Safety (OWASP "CSV injection"; measured in design.md):

* In .xlsx every text value is a text cell. openpyxl would make a string starting with
  ``=`` a formula and an error code such as ``#N/A`` an error value; such cells, and any
  other text that starts like a formula (``+``, ``-``, ``@``, tab) unless it is a plain
  signed number or phone number, are written with ``data_type = "s"`` and Excel's
  quote-prefix style (what Excel itself does when one types ``'=1+1``), so they show and
  read back exactly as stored and stay text even when someone edits them later.
* In .csv a value starting with ``=``, ``+``, ``-``, ``@`` or a tab (after the cleaning
  below, which turns carriage returns into line feeds) gets a leading ``'``, as OWASP
  advises: Excel would otherwise evaluate it when it opens the file. The ``'`` shows in
  Excel and stays in the data; use .xlsx for a list people will read in Excel.
* Control characters that XML 1.0 forbids (U+0000–U+001F but tab, line feed and carriage
  return) cannot be written to .xlsx: vertical tab and form feed become line breaks, the
  others are dropped, and lone surrogates become U+FFFD. Carriage returns become line
  feeds (Excel's line break inside a cell). CSV gets the same cleaning, so both formats
  hold the same text.

CSV files are UTF-8 with a byte-order mark (Excel then reads Cyrillic and Kazakh letters
right) and CRLF line ends. Excel splits a CSV at the *list separator* of the computer's
regional settings: a comma in English settings, a semicolon in Russian, Kazakh and most
European ones (where the comma is the decimal mark). ``delimiter=None`` therefore picks
``;`` for a list in Russian or Kazakh and ``,`` for one in English; callers may choose.

openpyxl is imported only inside ``write_xlsx``, so loading this module stays cheap.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from desktop.core import vocabulary
from desktop.core.attendee_list import (
    CHUNK_SIZE,
    COLUMNS,
    DATETIME,
    DEFAULT_COLUMNS,
    STAGES,
    AttendeeFilter,
    ParticipationFigures,
    attendee_chunks,
    count_attendees,
    parse_columns,
)
from desktop.core.collation import ensure_sort_keys
from desktop.core.files import atomic_file
from desktop.core.language import NP_, _, words

if TYPE_CHECKING:
    from desktop.core.participation import ReportFigures

Progress = Callable[[int, int], "bool | None"]
"""``progress(done, total)``: called as rows are written; return ``False`` to cancel."""

FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
# openpyxl's own format for datetimes: written as plain values they get it at no cost,
# where a format of our choosing would need a styled cell each (measured: 133,000 of them in
# a 100,000-row list with two time columns).
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
CSV_DATETIME = "%Y-%m-%d %H:%M:%S"
MAX_WIDTH = 60
MAX_CELL_TEXT = 32_767  # Excel's limit (openpyxl cuts longer texts there too)


class ExportError(Exception):
    """The file could not be written; the message is one sentence for a person."""


class ExportCancelled(Exception):
    """The progress callback asked to stop; no file was left behind."""


# -- cleaning text ----------------------------------------------------------------------------

_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_DROP = re.compile(r"[\x00-\x08\x0e-\x1f]")
_NONCHAR = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A sign and then only digits and punctuation: a phone number ("+7 701 123 45 67") or a
# number ("-5"). Already text in .xlsx; no formula can hide in it, so no style is needed.
_SIGNED_NUMBER = re.compile(r"[+\-][\d\s().\-/]*\Z")
# A text, or a line of one, that starts like a formula or an error code ("#N/A"): where
# ``write_xlsx`` looks at the values one by one.
_RISKY_LINE = re.compile(r"(?:\A|\n)[=+\-@\t#]")


def clean_text(value: str) -> str:
    """``value`` with only the characters a worksheet can hold (see the module's notes)."""
    if _SUSPECT.search(value) is None:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _NONCHAR.sub("\ufffd", _DROP.sub("", value))


def csv_safe(value: str) -> str:
    """A cleaned text for a CSV cell that no spreadsheet will take for a formula."""
    value = clean_text(value)
    return "'" + value if value.startswith(FORMULA_START) else value


# -- sheets -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetColumn:
    """A column of a written sheet: its header, kind (``text``/``datetime``), width hint."""

    title: str
    kind: str = "text"
    width: int = 14


def _check(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled()


def _widths(columns: Sequence[SheetColumn], sample: Sequence[tuple[Any, ...]]) -> list[int]:
    """First widths in characters, before the rows are written: wide enough for the header
    (and its filter button) and for nine in ten values of the first rows, within
    ``MAX_WIDTH``. ``_fitted_widths`` replaces them with the longest values written."""
    widths = []
    for i, col in enumerate(columns):
        if col.kind == DATETIME:
            widths.append(max(17, len(col.title) + 4))
            continue
        lengths = sorted(
            max(len(line) for line in v.split("\n")) for row in sample if isinstance(v := row[i], str)
        )
        typical = lengths[int(len(lengths) * 0.9)] if lengths else col.width
        widths.append(min(MAX_WIDTH, max(len(col.title) + 4, min(typical, col.width * 2) + 2, 6)))
    return widths


def _fitted_widths(columns: Sequence[SheetColumn], longest: Sequence[int]) -> list[float]:
    """Widths in characters that fit each column's longest value (its longest line), within
    ``MAX_WIDTH``: a width counts the digits of the default font, and letters, capitals and
    Cyrillic most of all, run a little wider."""
    widths: list[float] = []
    for col, n in zip(columns, longest, strict=True):
        if col.kind == DATETIME:
            widths.append(max(17, len(col.title) + 4))
        else:
            widths.append(min(MAX_WIDTH, max(len(col.title) + 4, round(n * 1.1) + 2, 6)))
    return widths


_COLS = re.compile(rb"<cols>.*?</cols>|<cols/>", re.DOTALL)


def _rewrite_cols(ws: Any, widths: Sequence[float]) -> bool:
    """Give the closed write-only sheet ``ws`` the column ``widths``: its XML waits in a
    temporary file until the workbook is saved, its ``<cols>`` (written before the first
    row, as the format wants it there) near the start; that part is replaced and the rest
    copied on, so the sheet is never held in memory. False when openpyxl keeps the file
    elsewhere than it did (the first widths stay)."""
    import shutil

    from openpyxl.utils import get_column_letter
    from openpyxl.xml.functions import tostring

    out = getattr(getattr(ws, "_writer", None), "out", None)
    if not isinstance(out, str) or not os.path.isfile(out):
        return False
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    new_cols = ws.column_dimensions.to_tree()
    head_size = 64 * 1024
    with open(out, "rb") as src:
        head = src.read(head_size)
        found = _COLS.search(head)
        if found is None:
            return False
        fixed = f"{out}.cols"
        with open(fixed, "wb") as dst:
            dst.write(head[:found.start()])
            dst.write(tostring(new_cols) if new_cols is not None else b"")
            dst.write(head[found.end():])
            shutil.copyfileobj(src, dst, 1024 * 1024)
    os.replace(fixed, out)
    return True


def write_xlsx(
    out: IO[bytes] | str | os.PathLike[str],
    columns: Sequence[SheetColumn],
    chunks: Iterable[Sequence[tuple[Any, ...]]],
    *,
    total: int = 0,
    progress: Progress | None = None,
    sheet_title: str = "Attendees",
    summary: Callable[[Any], None] | None = None,
    title: str | None = None,
) -> int:
    """Write a workbook in openpyxl's write-only mode; returns the number of data rows.

    The first sheet has a bold, frozen header with an autofilter, sized columns, dates as
    dates, every text as text. ``summary(workbook)`` may add more sheets after it.
    Raises ``ExportCancelled`` when ``progress`` returns False (nothing is saved then).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    if title:
        wb.properties.title = clean_text(title)
    wb.properties.creator = "Conference Desk"
    ws = wb.create_sheet(_sheet_name(sheet_title))
    try:
        chunk_iter: Iterator[Sequence[tuple[Any, ...]]] = iter(chunks)
        first = next(chunk_iter, None) or []
        for n, width in enumerate(_widths(columns, first), start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

        head_font = Font(bold=True)
        head_fill = PatternFill("solid", fgColor="DDE6F2")
        head_border = Border(bottom=Side(style="thin", color="8EA2BF"))
        head_align = Alignment(vertical="center")
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=clean_text(col.title))
            cell.data_type = "s"
            cell.font, cell.fill, cell.border, cell.alignment = head_font, head_fill, head_border, head_align
            header.append(cell)
        ws.append(header)

        errors = frozenset(ERROR_CODES)
        signed_number = _SIGNED_NUMBER.match

        # openpyxl writes every str as text, except that it makes "=..." a formula and
        # "#N/A" (an error code) an error value. Those, and anything else that starts like
        # a formula (+, -, @, tab) but is not a plain signed number or phone number, become
        # cells typed "s" by hand with Excel's quote prefix — what Excel itself sets when
        # one types '=1+1, so the cell stays text even when someone edits it later. They
        # are made from a prototype's style (no per-cell style lookup), their value set
        # directly: it is clean already.
        # (``_style`` and ``_value`` are slots of openpyxl's cells that its stubs leave out.)
        proto = WriteOnlyCell(ws)
        proto.quotePrefix = True
        text_style = proto._style  # type: ignore[attr-defined]

        def text_cell(value: str) -> Any:
            cell = Cell(ws, row=1, column=1, style_array=text_style)
            cell._value = value[:MAX_CELL_TEXT]  # type: ignore[attr-defined]
            cell.data_type = "s"
            return cell

        longest = [0] * len(columns)  # each column's longest text (its longest line), for its width

        def safe(values: list[Any], i: int) -> list[Any]:
            """``values`` (one row's, or one column's of a chunk, ``i`` its column or None)
            made safe cell by cell: cleaned, "" as no cell, formula-like and error-like
            texts as quote-prefixed text cells; the longest lines noted."""
            for k, v in enumerate(values):
                if v.__class__ is str:
                    col = k if i < 0 else i
                    if _SUSPECT.search(v) is not None:
                        v = values[k] = clean_text(v)
                    if len(v) > longest[col]:
                        longest[col] = max(longest[col], *map(len, v.split("\n"))) if "\n" in v else len(v)
                    if not v:
                        values[k] = None
                    elif v[0] in "=+-@\t":
                        if v[0] in "+-" and signed_number(v):
                            continue
                        values[k] = text_cell(v)
                    elif v[0] == "#" and v in errors:
                        values[k] = text_cell(v)
            return values

        plain_kinds = {str, type(None)}
        width = len(columns)

        def rows_of(chunk: Sequence[tuple[Any, ...]]) -> Iterable[Sequence[Any]]:
            """The chunk's rows ready for openpyxl. Checked a column at a time: a column
            of plain texts (the usual case) is joined and searched once for anything that
            needs care — a character to clean, a value starting like a formula or an error
            code (or a line of one doing so) — and only a column where something is found
            goes through ``safe`` cell by cell. At 100,000 rows the per-cell checks of every
            value were a tenth of the export (measured); the rows go to openpyxl as they
            came when no column changed."""
            if set(map(len, chunk)) != {width}:
                return [safe(list(row), -1) for row in chunk]  # rows of other lengths: cell by cell
            cols: list[Sequence[Any]] = list(zip(*chunk))
            changed = False
            for i, col in enumerate(cols):
                kinds = set(map(type, col))
                if str not in kinds:
                    continue  # times, numbers, nothing: written as they are
                if kinds <= plain_kinds:
                    texts = list(filter(None, col))
                    joined = "\n".join(texts)
                    if _SUSPECT.search(joined) is None and _RISKY_LINE.search(joined) is None:
                        if texts:
                            if joined.count("\n") == len(texts) - 1:
                                n = max(map(len, texts))
                            else:
                                n = max(map(len, joined.split("\n")))
                            longest[i] = max(longest[i], n)
                        if "" in col:
                            cols[i] = [v or None for v in col]
                            changed = True
                        continue
                cols[i] = safe(list(col), i)
                changed = True
            return list(zip(*cols)) if changed else chunk

        done = 0
        _check(progress, 0, total)
        chunk: Sequence[tuple[Any, ...]] | None = first
        append = ws.append
        while chunk is not None:
            for row in rows_of(chunk):
                append(row)  # datetimes as they are: openpyxl gives them DATETIME_FORMAT
            done += len(chunk)
            _check(progress, done, total)
            chunk = next(chunk_iter, None)

        last = get_column_letter(max(1, len(columns)))
        ws.auto_filter.ref = f"A1:{last}{done + 1}"
        ws.close()
        _rewrite_cols(ws, _fitted_widths(columns, longest))
        if summary is not None:
            summary(wb)
        wb.save(out)
    except BaseException:
        _discard_temp_files(wb)
        raise
    return done


def _sheet_name(name: str) -> str:
    """A valid worksheet name: no []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", clean_text(name)).strip()[:31] or "Sheet"


def _discard_temp_files(wb: Any) -> None:
    """Remove the temporary files openpyxl's write-only sheets stream into (they would
    otherwise stay until the program exits)."""
    for ws in getattr(wb, "_sheets", []):
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # Close the row stream first (it ends its XML element), then the file under it.
        for stream in (getattr(ws, "_rows", None), writer.xf):
            try:
                if stream is not None:
                    stream.close()
            except Exception:  # noqa: BLE001 - a half-written stream may complain; the file goes anyway
                pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass


def write_csv(
    out: IO[str],
    columns: Sequence[SheetColumn],
    chunks: Iterable[Sequence[tuple[Any, ...]]],
    *,
    delimiter: str = ",",
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write a header and the rows as CSV to a text stream; returns the number of rows.

    Open ``out`` with ``newline=""`` (and ``encoding="utf-8-sig"`` for Excel). Text is
    cleaned and protected against formulas; times are ``YYYY-MM-DD HH:MM:SS``.
    """
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_safe(c.title) for c in columns])
    done = 0
    _check(progress, 0, total)
    for chunk in chunks:
        rows = []
        for row in chunk:
            rows.append([
                "" if v is None else csv_safe(v) if v.__class__ is str
                else v.strftime(CSV_DATETIME) if isinstance(v, dt.datetime) else v
                for v in row
            ])
        writer.writerows(rows)
        done += len(chunk)
        _check(progress, done, total)
    return done


# -- the participation sheet --------------------------------------------------------------------

# The sheets' names (the workbook's title is "Event — Attendees").
ATTENDEES_SHEET = NP_("sheet", "Attendees")
PARTICIPATION_SHEET = NP_("sheet", "Participation")
# The columns of counts by gender: headed "Women", "Men", and the vocabulary's "Not stated".
GENDER_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("female", NP_("participation", "Women")),
    ("male", NP_("participation", "Men")),
    ("not_stated", None),
)


@dataclass(frozen=True)
class SummaryInfo:
    """What the participation sheet says about the event and the list."""

    title: str
    dates: str
    timezone: str
    list_description: str
    list_rows: int
    exported_at: dt.datetime


def participation_rows(figures: ParticipationFigures | ReportFigures, info: SummaryInfo,
                       lang: str) -> list[tuple[str, list[Any]]]:
    """The participation sheet as (style, values) rows: style is ``title``, ``heading``,
    ``header``, ``total``, ``note`` or ``""``. Pure data, so tests can read the figures.

    With the participation report's figures (``desktop.core.participation``) the sheet holds
    all of the report's figures — the same object the report prints."""
    from db.models import Gender, Status
    from desktop.core.participation import ReportFigures

    report = figures if isinstance(figures, ReportFigures) else None
    stages = figures.participation if isinstance(figures, ReportFigures) else figures
    w = words(lang)
    rows: list[tuple[str, list[Any]]] = [
        ("title", [info.title]),
        ("", [info.dates]),
        # Translators: on the participation sheet: what the attendee list on the first sheet
        # holds; {description} is its filter ("Confirmed; checked in", or "all registrations").
        ("", [w.n_("The attendee list holds: {description} ({n} row)",
                   "The attendee list holds: {description} ({n} rows)",
                   info.list_rows).format(description=info.list_description, n=info.list_rows)]),
        ("", [w.p_("participation", "Exported"), info.exported_at]),
        ("", []),
        ("heading", [w.p_("participation", "Registered and checked in")]),
        ("", [w.p_("participation", "Registrations (all statuses)"), stages.registered]),
        ("", [w.p_("participation", "Expected (registered or confirmed)"), stages.expected]),
        ("", [w.p_("participation", "Checked in"), stages.checked_in]),
        ("percent", [w.p_("participation", "Checked in, share of expected"),
                     stages.checked_in / stages.expected if stages.expected else 0.0]),
        ("", []),
        ("heading", [w.p_("participation", "Registrations by status")]),
        ("header", [w.p_("participation", "Status"), w.p_("participation", "Registrations")]),
    ]
    for status in Status:
        rows.append(("", [vocabulary.status(status, lang), stages.by_status.get(status, 0)]))
    rows.append(("total", [w.p_("participation", "Total"), stages.registered]))

    genders = [Gender(g) for g, _word in GENDER_COLUMNS]
    gender_headers = [w.p_("participation", word) if word else vocabulary.gender(g, lang)
                      for g, word in GENDER_COLUMNS]
    header = [w.p_("participation", "Sector"), *gender_headers, w.p_("participation", "Total"),
              w.p_("participation", "Women, %")]
    # The four stages by sector and gender: the participation report's tables, word for word.
    from desktop.core.participation import STAGE_TABLES

    for stage in STAGES:
        table = stages.by_stage.get(stage, {})
        rows.append(("", []))
        rows.append(("heading", [w.p_("report", STAGE_TABLES[stage])]))
        rows.append(("header", header))
        sums = [0] * len(genders)
        for sector in stages.sectors():
            counts = [table.get((sector, g), 0) for g in genders]
            sums = [a + b for a, b in zip(sums, counts)]
            rows.append(("share", [vocabulary.sector(sector, lang), *counts, sum(counts), _share(counts)]))
        rows.append(("total share", [w.p_("participation", "Total"), *sums, sum(sums), _share(sums)]))
    if report is not None:
        rows.extend(_report_rows(report, header, lang))
    rows.append(("", []))
    rows.append(("note", [w._(
        "Figures count every registration of the event, whatever the list's filters. Expected: registered or "
        "confirmed, or already checked in. Times are in the event's time zone ({tz})."
    ).format(tz=info.timezone)]))
    return rows


def _report_rows(report: ReportFigures, header: list[str], lang: str) -> list[tuple[str, list[Any]]]:
    """The participation report's other figures: the podium, organisations and countries,
    attendance by day (as ``desktop.exports.report`` prints them)."""
    from desktop.core.attendee_list import ATTENDED, REGISTERED
    from desktop.core.countries import country_name
    from desktop.core.participation import GENDERS

    w = words(lang)
    stage = {s: w.p_("participation stage", word) for s, word in
             (("registered", "Registered"), ("attended", "Attended"))}
    rows: list[tuple[str, list[Any]]] = [
        ("", []),
        ("heading", [w.p_("report", "On the podium: speakers, moderators and other roles, by gender")]),
        ("header", [w.p_("report", "Role"), *header[1:]]),
    ]
    for kind, counts_by_gender in report.podium.items():
        counts = [counts_by_gender[g] for g in GENDERS]
        rows.append(("share", [vocabulary.role(kind, lang, several=True), *counts, sum(counts), _share(counts)]))
    everyone = [report.podium_people.get(g, 0) for g in GENDERS]
    rows.append(("total share", [w.p_("report", "Everyone on the podium"), *everyone, sum(everyone),
                                 _share(everyone)]))
    rows += [
        ("", []),
        ("heading", [w.p_("report", "Organisations and countries represented")]),
        ("header", [w.p_("report", "Organisations by sector"), stage[REGISTERED], stage[ATTENDED]]),
    ]
    registered, attended = report.organisations.get(REGISTERED, {}), report.organisations.get(ATTENDED, {})
    for sector in report.organisation_sectors():
        rows.append(("", [vocabulary.sector(sector, lang), registered.get(sector, 0), attended.get(sector, 0)]))
    rows.append(("total", [w.p_("participation", "Total"), report.organisation_count(REGISTERED),
                           report.organisation_count(ATTENDED)]))
    rows.append(("header", [w.p_("report", "People by country"), stage[REGISTERED], stage[ATTENDED]]))
    for country in report.countries:
        rows.append(("", [country_name(country.code, lang), country.registered, country.attended]))
    rows.append(("total", [w.p_("participation", "Total"), sum(c.registered for c in report.countries),
                           sum(c.attended for c in report.countries)]))
    rows += [
        ("", []),
        ("heading", [w.p_("report", "Attendance by day")]),
        ("header", [w.p_("report", "Day"), w.p_("report", "People checked in")]),
    ]
    for day, n in report.days:
        rows.append(("", [day, n]))
    return rows


def _share(counts: Sequence[int]) -> float | None:
    total = sum(counts)
    return counts[0] / total if total else None


def _participation_sheet(figures: Callable[[], ParticipationFigures | ReportFigures],
                         info: Callable[[], SummaryInfo], lang: str) -> Callable[[Any], None]:
    """The second sheet; ``figures`` and ``info`` are called when it is written, after the
    rows (whatever they read is not held while the rows stream)."""

    def add(wb: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        ws = wb.create_sheet(_sheet_name(words(lang).p_("sheet", PARTICIPATION_SHEET)))
        ws.column_dimensions["A"].width = 44
        for letter in "BCDEF":
            ws.column_dimensions[letter].width = 13
        bold = Font(bold=True)
        fonts = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12, color="2F5D9B"),
                 "header": bold, "total": bold, "total share": bold, "note": Font(italic=True, color="6B7687")}
        fill = PatternFill("solid", fgColor="DDE6F2")
        top = Border(top=Side(style="thin", color="8EA2BF"))
        for style, values in participation_rows(figures(), info(), lang):
            cells = []
            for n, value in enumerate(values):
                if isinstance(value, str):
                    value = clean_text(value)
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever an event's title says
                if style in fonts:
                    cell.font = fonts[style]
                if style == "header":
                    cell.fill = fill
                if style.startswith("total"):
                    cell.border = top
                if isinstance(value, dt.datetime):
                    cell.number_format = DATETIME_FORMAT
                    cell.alignment = Alignment(horizontal="left")
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                    cell.alignment = Alignment(horizontal="left")
                if isinstance(value, float) and (style.endswith("share") or style == "percent"):
                    cell.number_format = "0.0%"
                if style == "note":
                    cell.alignment = Alignment(wrap_text=False)
                if style == "header" and n > 0:
                    cell.alignment = Alignment(horizontal="right")
                cells.append(cell)
            ws.append(cells)

    return add


# -- the export -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    format: str


def format_for(path: str | os.PathLike[str]) -> str:
    """"xlsx" or "csv" from the file's extension; ValueError naming the valid ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        if suffix:
            raise ValueError(_("cannot export to a '{suffix}' file; the file name must end in .xlsx or .csv")
                             .format(suffix=suffix))
        raise ValueError(_("'{name}' has no extension; the file name must end in .xlsx or .csv").format(
            name=Path(path).name))
    return FORMATS[suffix]


def sheet_target(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """The file an export of rows writes, and its format ("xlsx" or "csv"); ValueError for
    an extension it cannot write, ExportError for a folder or a missing one."""
    target = Path(path)
    fmt = format_for(target)
    if target.is_dir():
        raise ExportError(_("{path} is a folder; give a file name ending in .{extension}.").format(
            path=target, extension=fmt))
    if not target.parent.is_dir():
        raise ExportError(_("cannot write {path}: the folder {folder} does not exist.").format(
            path=target, folder=target.parent))
    return target, fmt


def default_delimiter(lang: str) -> str:
    """The list separator Excel most likely expects from a reader of this language."""
    return ";" if lang in ("ru", "kk") else ","


def export_attendees(
    database: Any,
    path: str | os.PathLike[str],
    event_id: int,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    flt: AttendeeFilter = AttendeeFilter(),
    lang: str = "en",
    *,
    delimiter: str | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Write the event's attendee list to ``path`` (.xlsx or .csv, by its extension).

    The file appears complete or not at all: rows go to a temporary file beside ``path``,
    which replaces ``path`` at the end. Raises ``ExportCancelled`` when ``progress``
    returns False, ``ExportError`` when the file cannot be written, ``ValueError`` for an
    unknown extension or column. ``now``: the moment of the export (aware; naive is taken
    as UTC), printed as "Exported" in the event's time zone.
    """
    from sqlalchemy import select

    from db.models import Event
    from desktop.core.events import format_dates, resolve_event
    from desktop.core.i18n import text

    target, fmt = sheet_target(path)
    columns = parse_columns(columns)
    sheet_columns = [SheetColumn(COLUMNS[k].header(lang), COLUMNS[k].kind, COLUMNS[k].width) for k in columns]

    ensure_sort_keys(database)  # the list is sorted by them (those another program left unmade)
    with database.read() as session:
        event = resolve_event(session, event_id)
        timezone = session.scalar(select(Event.timezone).where(Event.id == event.id)) or "UTC"
        total = count_attendees(session, event.id, flt)
        chunks = attendee_chunks(session, event.id, columns, flt, lang, chunk_size=chunk_size)
        exported_at = _local_time(now or dt.datetime.now(dt.UTC), timezone)
        title = text(event.title, lang)

        def figures() -> ReportFigures:
            # The participation report's figures, from its own grouped statement (it reads
            # who is checked in once for stages, organisations and countries together): the
            # sheet and the report print the same. Counting the stages while the rows
            # streamed instead held every checked-in id in a set during the whole stream
            # (3 MiB at 100,000) and saved no time (measured).
            from desktop.core.participation import report_figures

            return report_figures(session, event.id)

        def summary_info() -> SummaryInfo:
            # Made when the second sheet is written, after the rows: the dates (and the
            # sheet's country names) load Babel's CLDR data (~5 MiB), which then does not
            # add to the memory the streamed rows hold.
            dates = (format_dates(event.starts_on, event.ends_on) if lang == "en" else
                     _numeric_dates(event.starts_on, event.ends_on))
            return SummaryInfo(title=title, dates=dates, timezone=timezone, list_description=flt.describe(lang),
                               list_rows=total, exported_at=exported_at)

        try:
            with atomic_file(target, error=ExportError, open_in="Excel") as tmp, \
                    open(tmp, "wb") as handle:
                if fmt == "xlsx":
                    rows = write_xlsx(
                        handle, sheet_columns, chunks, total=total, progress=progress,
                        sheet_title=words(lang).p_("sheet", ATTENDEES_SHEET),
                        summary=_participation_sheet(figures, summary_info, lang),
                        title=f"{title} — {words(lang).p_('sheet', ATTENDEES_SHEET)}",
                    )
                else:
                    stream = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                    rows = write_csv(
                        stream, sheet_columns, chunks,
                        delimiter=delimiter or default_delimiter(lang), total=total, progress=progress,
                    )
                    stream.flush()
                    stream.detach()
        except BaseException:
            chunks.close()
            raise
    return ExportResult(target, rows, fmt)


def _local_time(moment: dt.datetime, timezone: str) -> dt.datetime:
    """``moment`` (aware; naive taken as UTC) as a wall-clock time in the event's time zone,
    to the second, as the sheet prints times (with the zone named beside them)."""
    from desktop.core.attendee_list import event_zone

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(event_zone(timezone)).replace(microsecond=0, tzinfo=None)


def _numeric_dates(start: dt.date, end: dt.date) -> str:
    return f"{start:%d.%m.%Y}" if start == end else f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


__all__ = [
    "ExportCancelled",
    "ExportError",
    "ExportResult",
    "SheetColumn",
    "clean_text",
    "csv_safe",
    "default_delimiter",
    "export_attendees",
    "format_for",
    "participation_rows",
    "write_csv",
    "write_xlsx",
]
