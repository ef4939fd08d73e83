"""Reading a spreadsheet or a text table into rows of cells, after ``guard`` has looked.

* Workbooks (.xlsx, .xls, .ods) are read with python-calamine from the file's content (so
  an .xls that is really an .xlsx still reads). Sheets are tried in order, visible ones
  first; rows keep their numbers as in the file (row 1 is the sheet's first row).
  A cell merged down over several rows (an organisation written once for three people)
  gives its value to every row it covers; a row covered by a cell merged across several
  columns is marked as a banner (a title or a section heading, not a person).
* Text (.csv, .txt) is decoded as UTF-8 (with or without BOM), UTF-16 or UTF-32 (with a
  BOM, or UTF-16 recognised by its zero bytes), else Windows-1251 — what Russian-locale
  Excel saves. The delimiter (``;``, tab or ``,``) is the one that splits the first lines
  most consistently into more than one column. Row numbers are the line on which a record
  starts, so a quoted cell spanning lines does not shift the numbers after it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.formats import number
from desktop.core.importing.errors import DEFAULT_LIMITS, ImportFileError, Limits
from desktop.core.importing.guard import Inspection, _utf16_without_bom, check_extent, inspect_file, unreadable
from desktop.core.language import _, p_

# Characters trimmed from both ends of every value: Unicode white space, and the
# zero-width characters that copy-and-paste from web pages and Word leaves behind.
TRIM = " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
       "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\x85"

DELIMITERS = (";", "\t", ",")
ENCODING_NAMES = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16", "utf-32": "UTF-32", "cp1251": "Windows-1251",
}


def encoding_name(encoding: str | None) -> str:
    """An encoding as a person knows it ("Windows-1251", "UTF-8 with BOM")."""
    if encoding == "utf-8-sig":
        return p_("encoding", "UTF-8 with BOM")
    return ENCODING_NAMES.get(encoding or "", encoding or "")


@dataclass(frozen=True)
class SourceTable:
    """One sheet (or one text file) as rows of cells.

    ``rows[i]`` holds raw cells: ``str`` for text files; for workbooks whatever calamine
    gives (``str``, ``float``, ``int``, ``bool``, dates); use ``cell_text`` to read one.
    """

    path: Path
    kind: str                         # "xlsx", "xls", "ods" or "text"
    sheet: str | None
    rows: list[list[Any]]
    row_numbers: list[int] | None = None    # file row/line of each row; None: index + 1
    banners: dict[int, str] = field(default_factory=dict)  # row index → merged text
    encoding: str | None = None
    delimiter: str | None = None
    other_sheets: tuple[str, ...] = ()     # sheets of the workbook that were not read

    @property
    def name(self) -> str:
        return self.path.name

    def number(self, index: int) -> int:
        """The row's number as the user sees it in the file."""
        return self.row_numbers[index] if self.row_numbers is not None else index + 1

    def describe(self) -> str:
        """"Excel workbook, sheet “Участники”" / "text table, Windows-1251, separated by
        semicolons", in the interface language."""
        if self.kind == "text":
            enc = encoding_name(self.encoding)
            if self.delimiter == ";":
                return _("text table, {encoding}, separated by semicolons").format(encoding=enc)
            if self.delimiter == "\t":
                return _("text table, {encoding}, separated by tabs").format(encoding=enc)
            if self.delimiter == ",":
                return _("text table, {encoding}, separated by commas").format(encoding=enc)
            return _("text table, {encoding}").format(encoding=enc)
        if self.kind == "xlsx":
            return _("Excel workbook, sheet “{sheet}”").format(sheet=self.sheet)
        if self.kind == "xls":
            return _("Excel 97–2003 workbook, sheet “{sheet}”").format(sheet=self.sheet)
        if self.kind == "ods":
            return _("OpenDocument spreadsheet, sheet “{sheet}”").format(sheet=self.sheet)
        return f"{self.kind}, {self.sheet}"


def cell_text(value: Any) -> str:
    """A cell as trimmed text: whole numbers without ".0" (phone numbers stay whole),
    dates as ISO dates."""
    kind = type(value)
    if kind is str:
        return value.strip(TRIM)
    if kind is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if kind is int:
        return str(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip(TRIM)


def iter_tables(path: str | Path, limits: Limits = DEFAULT_LIMITS, *,
                sheet: str | None = None) -> Iterator[SourceTable]:
    """The tables of a file: each sheet of a workbook in turn (visible ones first), or
    the one table of a text file. Raises ``ImportFileError`` with one sentence."""
    path = Path(path)
    inspection = inspect_file(path, limits)
    if inspection.kind == "text":
        yield _read_text(path, limits)
        return
    yield from _read_workbook(path, inspection, limits, sheet)


def read_table(path: str | Path, limits: Limits = DEFAULT_LIMITS, *, sheet: str | None = None) -> SourceTable:
    """The first table of a file (see ``iter_tables``)."""
    for table in iter_tables(path, limits, sheet=sheet):
        return table
    raise no_data(Path(path).name)


def no_data(name: str) -> ImportFileError:
    return ImportFileError(_("{file} holds no sheet with data.").format(file=name))


# -- workbooks ----------------------------------------------------------------------------

def _calamine_error(name: str, exc: Exception) -> ImportFileError:
    import python_calamine as pc

    if isinstance(exc, pc.PasswordError):
        from desktop.core.importing.guard import _password

        return _password(name)
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if "password" in detail.lower() or "encrypt" in detail.lower():
        from desktop.core.importing.guard import _password

        return _password(name)
    # Translators: {detail} is the spreadsheet reader's own words (English).
    return ImportFileError(_("{file} is damaged or not a workbook this app can read ({detail}).").format(
        file=name, detail=detail))


def _read_workbook(path: Path, inspection: Inspection, limits: Limits,
                   wanted: str | None) -> Iterator[SourceTable]:
    import python_calamine as pc

    name = path.name
    if inspection.kind in ("ods", "xls"):
        # These readers load every sheet when the workbook is opened: check them all first.
        for sheet_name, extent in inspection.extents.items():
            check_extent(name, sheet_name.lstrip("\x00"), extent, limits)
    with path.open("rb") as fh:
        try:
            workbook = pc.CalamineWorkbook.from_filelike(fh)
        except (pc.CalamineError, ValueError, OSError) as exc:
            raise _calamine_error(name, exc) from None
    with workbook:
        try:
            metadata = list(workbook.sheets_metadata)
        except (pc.CalamineError, ValueError) as exc:
            raise _calamine_error(name, exc) from None
        sheets = [m.name for m in metadata if m.typ == pc.SheetTypeEnum.WorkSheet
                  and m.visible == pc.SheetVisibleEnum.Visible]
        sheets += [m.name for m in metadata if m.typ == pc.SheetTypeEnum.WorkSheet and m.name not in sheets]
        if wanted is not None:
            if wanted not in sheets:
                if not sheets:
                    raise ImportFileError(_("{file} has no sheet “{sheet}” (it has no sheets).").format(
                        file=name, sheet=wanted))
                shown = ", ".join(p_("quoted", "“{title}”").format(title=s) for s in sheets)
                raise ImportFileError(_("{file} has no sheet “{sheet}” (its sheets: {sheets}).").format(
                    file=name, sheet=wanted, sheets=shown))
            sheets = [wanted]
        if not sheets:
            raise ImportFileError(_("{file} holds no worksheet.").format(file=name))
        for sheet_name in sheets:
            declared = inspection.extent_of(sheet_name)
            if declared is not None:
                check_extent(name, sheet_name, declared, limits)
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                check_extent(name, sheet_name, _loaded_extent(sheet), limits)
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except (pc.CalamineError, ValueError, OverflowError, MemoryError) as exc:
                raise _calamine_error(name, exc) from None
            if not any(any(cell != "" for cell in row) for row in rows):
                continue
            banners = _apply_merges(rows, merged)
            yield SourceTable(
                path=path, kind=inspection.kind, sheet=sheet_name, rows=rows, banners=banners,
                other_sheets=tuple(s for s in sheets if s != sheet_name),
            )


def _loaded_extent(sheet: Any) -> Any:
    from desktop.core.importing.guard import Extent

    end = sheet.end
    if end is None:
        return Extent(0, 0)
    return Extent(end[0] + 1, end[1] + 1)


def _apply_merges(rows: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> dict[int, str]:
    """Fill cells merged down from their first cell. Return the banners: rows covered by a
    cell merged across columns that hold nothing else (a title or a section heading; a
    row with other values merely uses merged cells for its layout), with their text."""
    across: dict[int, str] = {}
    n_rows = len(rows)
    for (r1, c1), (r2, c2) in merged:
        if r1 >= n_rows or r1 < 0 or c1 < 0:
            continue
        r2 = min(r2, n_rows - 1)
        row = rows[r1]
        value = row[c1] if c1 < len(row) else ""
        if r2 > r1 and c2 == c1:
            for r in range(r1 + 1, r2 + 1):
                target = rows[r]
                if c1 < len(target) and target[c1] == "":
                    target[c1] = value
        if c2 > c1:
            text = cell_text(value)
            for r in range(r1, r2 + 1):
                across.setdefault(r, text)
    return {r: text for r, text in across.items()
            if sum(1 for cell in rows[r] if cell_text(cell)) <= 1}


# -- text ---------------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) — see the module docstring for the order of guesses."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ImportFileError(_(
                    "{file} starts like {encoding} text but is not (byte {byte} cannot be read); "
                    "save it again as CSV UTF-8.").format(
                    file=name, encoding=ENCODING_NAMES[encoding], byte=number(exc.start + 1))) from None
    bare16 = _utf16_without_bom(data[:4096])
    if bare16:
        try:
            return data.decode(bare16), bare16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise ImportFileError(_(
            "{file} is neither UTF-8 nor Windows-1251 text (byte {byte} cannot be read); "
            "save it again as CSV UTF-8.").format(file=name, byte=number(exc.start + 1))) from None


def _check_text(text: str, name: str) -> None:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\x0c")
    if "\x00" in sample or controls > max(2, len(sample) // 1000):
        raise ImportFileError(_("{file} is not a text table: it holds binary data.").format(file=name))


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into several columns."""
    lines = [line for line in text[:65536].splitlines()[:100] if line.strip()]
    best, best_score = ",", (0, 0, 0)
    for rank, delimiter in enumerate(reversed(DELIMITERS)):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        columns, frequency = Counter(wide).most_common(1)[0]
        score = (frequency, columns, rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(path: Path, limits: Limits) -> SourceTable:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(name, exc) from None
    text, encoding = decode_text(data, name)
    del data
    _check_text(text, name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    line = 0
    max_rows = limits.max_rows
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if len(record) > limits.max_columns:
                raise ImportFileError(_(
                    "{file}, row {row}: {columns} columns; at most {limit} can be read.").format(
                    file=name, row=number(start), columns=number(len(record)), limit=number(limits.max_columns)))
            rows.append(record)
            numbers.append(start)
            if len(rows) > max_rows:
                raise ImportFileError(_(
                    "{file} has more than {limit} rows; at most {limit} can be imported at once "
                    "(split the list).").format(file=name, limit=number(limits.max_rows)))
    except csv.Error as exc:
        # Translators: {detail} is the CSV reader's own words (English).
        raise ImportFileError(_(
            "{file}, row {row}: the text cannot be split into cells ({detail}); "
            "perhaps a quote mark is not closed.").format(file=name, row=number(line + 1), detail=exc)
        ) from None
    while rows and not any(cell.strip(TRIM) for cell in rows[-1]):
        rows.pop()
        numbers.pop()
    if not rows:
        raise ImportFileError(_("{file} holds no rows of text.").format(file=name))
    return SourceTable(path=path, kind="text", sheet=None, rows=rows, row_numbers=numbers,
                       encoding=encoding, delimiter=delimiter)
