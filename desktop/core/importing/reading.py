"""Reading a spreadsheet or a text table as rows of cells, after ``guard`` has looked.

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

Rows stream: a ``SourceTable`` keeps its first ``HEAD_ROWS`` rows (the header, titles and
the samples the layout needs) and reads the whole table again, row by row, for each pass
over it (``SourceTable.iter_rows``): a text file is decoded and split as it is read (its
encoding is settled first by one decoding pass that keeps nothing), a sheet's cells become
Python values one row at a time from calamine's own grid. A table of at most ``HEAD_ROWS``
rows is simply kept whole. A text file that changes between passes is refused.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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

HEAD_ROWS = 256
"""Rows a table keeps in ``rows``: enough for ``layout`` (the header among the first 50
rows, a second header row, 200 rows of samples)."""
CHUNK = 1 << 20

SourceRow = tuple[int, int, list[Any], str | None]
"""A row as ``SourceTable.iter_rows`` gives it: (index, number as in the file, cells, the
text of a merged banner covering it or None)."""
RowSource = Callable[[], Iterator[tuple[int, list[Any], str | None]]]
"""Reads a table's rows from the start, each as (number, cells, banner)."""


def encoding_name(encoding: str | None) -> str:
    """An encoding as a person knows it ("Windows-1251", "UTF-8 with BOM")."""
    if encoding == "utf-8-sig":
        return p_("encoding", "UTF-8 with BOM")
    return ENCODING_NAMES.get(encoding or "", encoding or "")


@dataclass(frozen=True)
class SourceTable:
    """One sheet (or one text file) as rows of cells.

    ``rows`` holds raw cells: ``str`` for text files; for workbooks whatever calamine gives
    (``str``, ``float``, ``int``, ``bool``, dates); use ``cell_text`` to read one. It is the
    whole table when ``source`` is None (a small file, or a table made in memory), else its
    first ``HEAD_ROWS`` rows; ``iter_rows`` gives every row either way.
    """

    path: Path
    kind: str                         # "xlsx", "xls", "ods" or "text"
    sheet: str | None
    rows: list[list[Any]]
    row_numbers: list[int] | None = None    # file row/line of each row of ``rows``; None: index + 1
    banners: dict[int, str] = field(default_factory=dict)  # row index (of ``rows``) → merged text
    encoding: str | None = None
    delimiter: str | None = None
    other_sheets: tuple[str, ...] = ()     # sheets of the workbook that were not read
    source: RowSource | None = field(default=None, compare=False)  # reads every row again
    size_hint: int | None = None           # rows in the table (an upper bound for text); None: len(rows)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def rows_hint(self) -> int:
        """How many rows the table has (for a text file read in passes, at most)."""
        return self.size_hint if self.size_hint is not None else len(self.rows)

    def number(self, index: int) -> int:
        """The row's number as the user sees it in the file (``index`` into ``rows``)."""
        return self.row_numbers[index] if self.row_numbers is not None else index + 1

    def iter_rows(self, start: int = 0) -> Iterator[SourceRow]:
        """Every row from index ``start`` on, read from the file for each call when the
        table is not held whole. Raises ``ImportFileError`` (one sentence) when the file
        turns out unreadable on the way."""
        if self.source is None:
            numbers, banners = self.row_numbers, self.banners
            for index in range(start, len(self.rows)):
                yield (index, numbers[index] if numbers is not None else index + 1, self.rows[index],
                       banners.get(index))
            return
        for index, (row_number, cells, banner) in enumerate(self.source()):
            if index >= start:
                yield index, row_number, cells, banner

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


def _blank(cells: list[Any]) -> bool:
    return not any(cell_text(c) for c in cells)


def _table(path: Path, kind: str, source: RowSource, size_hint: int, **details: Any) -> SourceTable | None:
    """A table of ``source``'s rows: whole when it has at most ``HEAD_ROWS`` rows, else its
    head and the source to read it again. None when no row holds anything."""
    rows: list[list[Any]] = []
    numbers: list[int] = []
    banners: dict[int, str] = {}
    stream = source()
    whole = True
    try:
        for row_number, cells, banner in stream:
            if len(rows) == HEAD_ROWS:
                whole = False
                break
            if banner is not None:
                banners[len(rows)] = banner
            rows.append(cells)
            numbers.append(row_number)
        if whole:
            while rows and _blank(rows[-1]):
                rows.pop()
                numbers.pop()
                banners.pop(len(rows), None)
            if not rows:
                return None
        elif all(_blank(r) for r in rows) and all(_blank(cells) for _n, cells, _b in stream):
            return None
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    plain = kind != "text" and numbers == list(range(1, len(numbers) + 1))
    return SourceTable(path=path, kind=kind, rows=rows, row_numbers=None if plain else numbers, banners=banners,
                       source=None if whole else source, size_hint=None if whole else size_hint, **details)


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
                extent = _loaded_extent(sheet)
                check_extent(name, sheet_name, extent, limits)
                merged = list(sheet.merged_cell_ranges or [])
                source = _sheet_source(name, sheet, merged)
                table = _table(path, inspection.kind, source, extent.rows, sheet=sheet_name,
                               other_sheets=tuple(s for s in sheets if s != sheet_name))
            except (pc.CalamineError, ValueError, OverflowError, MemoryError) as exc:
                raise _calamine_error(name, exc) from None
            if table is not None:
                yield table


def _loaded_extent(sheet: Any) -> Any:
    from desktop.core.importing.guard import Extent

    end = sheet.end
    if end is None:
        return Extent(0, 0)
    return Extent(end[0] + 1, end[1] + 1)


def _sheet_source(name: str, sheet: Any, merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> RowSource:
    """The rows of a loaded sheet from A1, as wide as the sheet (calamine's grid starts at
    its first cell), each made Python values when it is reached, merged cells applied as
    the rows pass."""
    import python_calamine as pc

    end = sheet.end
    start = sheet.start

    def rows() -> Iterator[tuple[int, list[Any], str | None]]:
        if end is None:
            return
        top, left = start if start is not None else (0, 0)
        width = end[1] + 1
        merges = _Merges(merged, end[0] + 1)
        pad = [""] * left
        try:
            cells_of = sheet.iter_rows()
            first = next(cells_of, None)
            if first is None:
                return
            # python-calamine gives the rows above the first cell as empty rows (its columns
            # start at the first cell's): the first row given is blank then, never otherwise.
            above = 0 if top and all(c == "" for c in first) else top
            for number in range(above):
                cells: list[Any] = [""] * width
                yield number + 1, cells, merges.apply(number, cells) if merges else None
            number = above
            for cells in itertools.chain((first,), cells_of):
                if left:
                    cells = pad + cells
                yield number + 1, cells, merges.apply(number, cells) if merges else None
                number += 1
        except (pc.CalamineError, ValueError, OverflowError, MemoryError) as exc:
            raise _calamine_error(name, exc) from None

    return rows


class _Merges:
    """Merged cells applied row by row: a cell merged down gives its value to the rows
    below it; a row covered by a cell merged across columns, holding nothing else, is a
    banner (a title or a section heading) with that cell's text. Merges apply in the
    order the sheet lists them."""

    def __init__(self, merged: list[tuple[tuple[int, int], tuple[int, int]]], n_rows: int) -> None:
        self.starting: dict[int, list[tuple[int, int, int, int]]] = {}
        for order, ((r1, c1), (r2, c2)) in enumerate(merged):
            if r1 >= n_rows or r1 < 0 or c1 < 0:
                continue
            self.starting.setdefault(r1, []).append((order, min(r2, n_rows - 1), c1, c2))
        self.down: list[tuple[int, int, int, Any]] = []    # (order, last row, column, value)
        self.across: list[tuple[int, int, str]] = []       # (order, last row, text)

    def __bool__(self) -> bool:
        return bool(self.starting or self.down or self.across)

    def apply(self, r: int, cells: list[Any]) -> str | None:
        """Fill ``cells`` (row ``r``) from the cells merged down into it; its banner text."""
        if self.down:
            self.down = [d for d in self.down if d[1] >= r]
            for _order, _last, c, value in sorted(self.down):
                if c < len(cells) and cells[c] == "":
                    cells[c] = value
        for order, last, c1, c2 in self.starting.pop(r, ()):
            value = cells[c1] if c1 < len(cells) else ""
            if last > r and c2 == c1:
                self.down.append((order, last, c1, value))
            if c2 > c1:
                self.across.append((order, last, cell_text(value)))
        if not self.across:
            return None
        self.across = [a for a in self.across if a[1] >= r]
        if not self.across:
            return None
        text = min(self.across)[2]
        return text if sum(1 for cell in cells if cell_text(cell)) <= 1 else None


# -- text ---------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodes(chunks: Iterable[bytes], encoding: str) -> int | None:
    """None when the bytes decode in ``encoding``, else the (1-based) number of the first
    byte that does not."""
    decoder = codecs.getincrementaldecoder(encoding)()
    fed = 0
    try:
        for chunk in chunks:
            pending = len(decoder.getstate()[0])
            base = fed - pending
            fed += len(chunk)
            decoder.decode(chunk)
        pending = len(decoder.getstate()[0])
        base = fed - pending
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return base + exc.start + 1
    return None


def settle_encoding(head: bytes, chunks: Callable[[], Iterable[bytes]], name: str) -> str:
    """The encoding of a text whose first bytes are ``head`` and whose bytes ``chunks()``
    gives (each call from the start), checked over the whole text (see the module
    docstring for the order of guesses); ``ImportFileError`` naming the byte that cannot be
    read."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            bad = _decodes(chunks(), encoding)
            if bad is not None:
                raise ImportFileError(_(
                    "{file} starts like {encoding} text but is not (byte {byte} cannot be read); "
                    "save it again as CSV UTF-8.").format(
                    file=name, encoding=ENCODING_NAMES[encoding], byte=number(bad)))
            return encoding
    bare16 = _utf16_without_bom(head[:4096])
    if bare16 and _decodes(chunks(), bare16) is None:
        return bare16
    if _decodes(chunks(), "utf-8") is None:
        return "utf-8"
    bad = _decodes(chunks(), "cp1251")
    if bad is None:
        return "cp1251"
    raise ImportFileError(_(
        "{file} is neither UTF-8 nor Windows-1251 text (byte {byte} cannot be read); "
        "save it again as CSV UTF-8.").format(file=name, byte=number(bad)))


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of text held in memory — see the module docstring for the order of
    guesses."""
    encoding = settle_encoding(data[:4096], lambda: (data,), name)
    return data.decode(encoding), encoding


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


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _read_text(path: Path, limits: Limits) -> SourceTable:
    name = path.name
    try:
        stamp = _stamp(path)
        with path.open("rb") as fh:
            head = fh.read(128 * 1024)
    except OSError as exc:
        raise unreadable(name, exc) from None
    lines = 0   # records the file can hold at most: its lines

    def chunks() -> Iterator[bytes]:
        nonlocal lines
        lines = 0
        last = b"\n"
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    lines += chunk.count(b"\n")
                    last = chunk[-1:]
                    yield chunk
            if last != b"\n":
                lines += 1  # the last line has no line break
        except OSError as exc:
            raise unreadable(name, exc) from None

    encoding = settle_encoding(head, chunks, name)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    _check_text(text, name)
    delimiter = sniff_delimiter(text)
    del text, head
    source = _text_source(path, encoding, delimiter, limits, stamp)
    if lines > limits.max_rows:
        # More lines than rows allowed: count the records (a quoted cell may span lines),
        # so that a list too long is refused now, as a workbook's is.
        for _row in source():
            pass
    table = _table(path, "text", source, lines, sheet=None, encoding=encoding, delimiter=delimiter)
    if table is None:
        raise ImportFileError(_("{file} holds no rows of text.").format(file=name))
    return table


def _text_source(path: Path, encoding: str, delimiter: str, limits: Limits, stamp: tuple[int, int]) -> RowSource:
    """The records of a text file, read and split as they are needed, each with the line
    it starts on; the file is refused if it changed since it was first read."""
    name = path.name

    def changed() -> ImportFileError:
        return ImportFileError(_("{file} has changed since it was read; choose it again.").format(file=name))

    def rows() -> Iterator[tuple[int, list[Any], str | None]]:
        try:
            if _stamp(path) != stamp:
                raise changed()
            fh = path.open(encoding=encoding, newline="")
        except OSError as exc:
            raise unreadable(name, exc) from None
        with fh:
            reader = csv.reader(fh, delimiter=delimiter)
            line = 0
            count = 0
            max_rows, max_columns = limits.max_rows, limits.max_columns
            try:
                for record in reader:
                    start = line + 1
                    line = reader.line_num
                    if len(record) > max_columns:
                        raise ImportFileError(_(
                            "{file}, row {row}: {columns} columns; at most {limit} can be read.").format(
                            file=name, row=number(start), columns=number(len(record)), limit=number(max_columns)))
                    count += 1
                    if count > max_rows:
                        raise ImportFileError(_(
                            "{file} has more than {limit} rows; at most {limit} can be imported at once "
                            "(split the list).").format(file=name, limit=number(max_rows)))
                    yield start, record, None
            except csv.Error as exc:
                # Translators: {detail} is the CSV reader's own words (English).
                raise ImportFileError(_(
                    "{file}, row {row}: the text cannot be split into cells ({detail}); "
                    "perhaps a quote mark is not closed.").format(file=name, row=number(line + 1), detail=exc)
                ) from None
            except UnicodeDecodeError:
                raise changed() from None
            except OSError as exc:
                raise unreadable(name, exc) from None

    return rows
