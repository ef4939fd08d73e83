"""Looking at a file before any parser touches it.

Spreadsheet readers trust their input; this module does not. Before python-calamine is
given a file, ``inspect_file``:

* checks the size on disk, and that the content is what the name says: a workbook name
  (.xlsx, .xls, .ods) must hold a zip or an OLE compound file, a text name (.csv, .txt)
  must hold text. A mismatch is refused with a sentence saying what the file really is.
  Among workbooks the content decides (an .xls that is really .xlsx is read as .xlsx).
* refuses password-protected workbooks: an encrypted .xlsx is an OLE file with an
  ``EncryptedPackage`` stream, an encrypted .xls has a FILEPASS record, an encrypted
  .ods has encryption data in its manifest.
* for zip containers (.xlsx, .ods): reads the central directory and refuses too many
  members, a declared total beyond ``max_unzipped_bytes`` and big members that inflate
  more than ``max_ratio`` times; then inflates the parts the reader will parse, counting
  bytes (Python's zipfile never yields more than the declared size and checks the CRC, so
  a member that lies about its size is caught as damaged), and on the way
* measures each sheet's extent (the box from A1 to the last cell with a value): calamine
  holds a sheet as a dense rows × columns grid, so a 5 KB file with one cell in A1 and one
  in XFD1048576 would ask for 17 billion cells. The extent is found from the cell
  references (.xlsx), the repeat counts (.ods) or the cell records (.xls) and checked
  against ``max_rows``, ``max_columns`` and ``max_cells`` before the sheet is loaded.

Nothing here is parsed with a general XML parser except the small workbook index and an
.ods ``content.xml`` (streamed, with DTDs refused, so no entity expansion).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree

from desktop.core.formats import number
from desktop.core.importing.errors import ImportFileError, Limits, megabytes
from desktop.core.language import NP_, _, p_

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Extent:
    """How far a sheet's values reach: (last row + 1, last column + 1)."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass(frozen=True)
class Inspection:
    """What a file turned out to be."""

    kind: str                    # "xlsx", "xls", "ods" or "text"
    size: int
    extents: dict[str, Extent] = field(default_factory=dict)  # by sheet name (workbooks)

    def extent_of(self, sheet: str) -> Extent | None:
        if sheet in self.extents:
            return self.extents[sheet]
        if not self.extents:
            return None
        # A sheet we could not match by name: assume the largest.
        return Extent(max(e.rows for e in self.extents.values()),
                      max(e.columns for e in self.extents.values()))


def check_extent(name: str, sheet: str, extent: Extent, limits: Limits) -> None:
    """Refuse a sheet too big to load (before it is loaded)."""
    if extent.rows > limits.max_rows:
        raise ImportFileError(_(
            "{file}, sheet “{sheet}” reaches row {row}; at most {limit} rows can be imported at once "
            "(split the list, or delete stray cells far below it).").format(
            file=name, sheet=sheet, row=number(extent.rows), limit=number(limits.max_rows)))
    if extent.columns > limits.max_columns:
        raise ImportFileError(_(
            "{file}, sheet “{sheet}” reaches column {column}; at most {limit} columns can be read "
            "(delete stray cells far to the right of the list).").format(
            file=name, sheet=sheet, column=number(extent.columns), limit=number(limits.max_columns)))
    if extent.cells > limits.max_cells:
        raise ImportFileError(_(
            "{file}, sheet “{sheet}” spans {rows} rows × {columns} columns, more than can be read safely "
            "(delete stray cells far from the list, or split it).").format(
            file=name, sheet=sheet, rows=number(extent.rows), columns=number(extent.columns)))


# -- what is this file? -------------------------------------------------------------------

# What a file's content looks like, as ``describe_content`` says it (in English, the key),
# and as a sentence shows it (``content_words``).
CONTENT_WORDS = {
    "a PDF document": NP_("file content", "a PDF document"),
    "a zip archive": NP_("file content", "a zip archive"),
    "an Office 97–2003 document": NP_("file content", "an Office 97–2003 document"),
    "a picture": NP_("file content", "a picture"),
    "an RTF document": NP_("file content", "an RTF document"),
    "a web page (HTML)": NP_("file content", "a web page (HTML)"),
    "an Excel 2003 XML spreadsheet": NP_("file content", "an Excel 2003 XML spreadsheet"),
    "plain text": NP_("file content", "plain text"),
    "binary data": NP_("file content", "binary data"),
}


def content_words(what: str) -> str:
    """``describe_content``'s words in the interface language."""
    return p_("file content", CONTENT_WORDS[what]) if what in CONTENT_WORDS else what


def describe_content(head: bytes) -> str:
    """A few words for what ``head`` (a file's first bytes) looks like (English: one of
    ``CONTENT_WORDS``)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(ZIP_MAGIC):
        return "a zip archive"
    if head.startswith(OLE_MAGIC):
        return "an Office 97–2003 document"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "a picture"
    if head.startswith(b"{\\rtf"):
        return "an RTF document"
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "a web page (HTML)"
    if stripped.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "an Excel 2003 XML spreadsheet"
    if looks_like_text(head):
        return "plain text"
    return "binary data"


def looks_like_text(sample: bytes) -> bool:
    """Whether ``sample`` reads as text in UTF-8, UTF-16 (with a BOM) or Windows-1251."""
    if not sample:
        return True
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is not None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls <= max(2, len(sample) // 1000)


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NUL bytes sit in every other byte (ASCII-heavy UTF-16)."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    even = sample[0:n:2].count(0)
    odd = sample[1:n:2].count(0)
    half = n // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def inspect_file(path: Path, limits: Limits) -> Inspection:
    """Check ``path`` as described in the module docstring; raise ``ImportFileError``."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | TEXT_SUFFIXES:
        if suffix:
            raise ImportFileError(_("{file}: “{suffix}” files cannot be imported; choose an .xlsx, .xls, .ods, "
                                    ".csv or .txt file.").format(file=name, suffix=suffix))
        raise ImportFileError(_("{file}: files without an extension cannot be imported; choose an .xlsx, .xls, "
                                ".ods, .csv or .txt file.").format(file=name))
    try:
        if not path.exists():
            # Translators: {path} is where the file was looked for.
            raise ImportFileError(_("{file} does not exist (looked for {path}).").format(file=name, path=path))
        if path.is_dir():
            raise ImportFileError(_("{file} is a folder, not a file.").format(file=name))
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ImportFileError(_(
                "{file} is {size}; files over {limit} are not imported "
                "(split the list, or save only the attendees' sheet).").format(
                file=name, size=megabytes(size), limit=megabytes(limits.max_file_bytes)))
        if size == 0:
            raise ImportFileError(_("{file} is empty.").format(file=name))
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
            if suffix in TEXT_SUFFIXES:
                return _inspect_text(name, suffix, head, size)
            if head.startswith(ZIP_MAGIC):
                return _inspect_zip(name, fh, size, limits)
            if head.startswith(OLE_MAGIC):
                return _inspect_ole(name, fh, size, limits)
    except OSError as exc:
        raise unreadable(name, exc) from None
    what = describe_content(head)
    if what == "a web page (HTML)":
        raise ImportFileError(_(
            "{file} is a web page (HTML) saved under a spreadsheet's name: open it in Excel, "
            "save it as .xlsx and import that file.").format(file=name))
    if what == "plain text":
        raise ImportFileError(_(
            "{file} is not a workbook: it holds plain text. If it is a CSV list, rename it to .csv; "
            "otherwise open it in Excel and save it as .xlsx.").format(file=name))
    if what == "an Excel 2003 XML spreadsheet":
        raise ImportFileError(_("{file} is an Excel 2003 XML spreadsheet: open it in Excel and save it as "
                                ".xlsx.").format(file=name))
    # Translators: {what} is what the file holds instead ("a PDF document", "a picture").
    raise ImportFileError(_("{file} is not a workbook: it is {what}, or damaged.").format(
        file=name, what=content_words(what)))


def unreadable(name: str, exc: OSError) -> ImportFileError:
    """The file ``name`` cannot be read (the system's reason, as the system says it)."""
    # Translators: {reason} is the operating system's reason ("Permission denied").
    return ImportFileError(_("{file} cannot be read: {reason}.").format(file=name, reason=exc.strerror or exc))


def _inspect_text(name: str, suffix: str, head: bytes, size: int) -> Inspection:
    what = describe_content(head)
    kind = suffix[1:].upper()
    if head.startswith(ZIP_MAGIC):
        # Translators: {kind} is CSV, TXT or TSV.
        raise ImportFileError(_("{file} is a workbook, not {kind} text: rename it to .xlsx or .ods and import it "
                                "again.").format(file=name, kind=kind))
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(_("{file} is a workbook, not {kind} text: rename it to .xls and import it "
                                "again.").format(file=name, kind=kind))
    if what not in ("plain text", "a web page (HTML)"):
        raise ImportFileError(_("{file} is not a {kind} text file: it is {what}.").format(
            file=name, kind=kind, what=content_words(what)))
    return Inspection("text", size)


# -- zip: .xlsx and .ods ------------------------------------------------------------------

# A cell or row reference that could be far away: two or more column letters, or a row
# number of six digits or more. Ordinary references (A1 … Z99999) are not matched, so the
# scan creates almost no Python objects. (It starts with the literal 'r="' so the regex
# engine can skip ahead; an attribute that merely ends in "r" can only make the extent
# look larger, never smaller.)
_FAR_REF = re.compile(rb'r="([A-Z]{2,}\d*|[A-Z]*\d{6,})"')
# A cell tag whose reference does not come first, or a tag with a namespace prefix.
_BARE_CELL = re.compile(rb'<c(?! r=")[\s/>]')
_PREFIXED_CELL = re.compile(rb':c[\s/>]')


def _damaged(name: str) -> ImportFileError:
    return ImportFileError(_(
        "{file} is damaged or incomplete (perhaps the download or copy was cut short): "
        "it cannot be read as a workbook.").format(file=name))


def _declared_members(fh: BinaryIO, size: int) -> int | None:
    """The number of members the end-of-central-directory record declares (read before
    zipfile builds an object per member), or None when there is no such record."""
    fh.seek(max(0, size - 65_557))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack_from("<H", tail, at + 10)[0]


def _inspect_zip(name: str, fh: BinaryIO, size: int, limits: Limits) -> Inspection:
    declared = _declared_members(fh, size)
    if declared is None:
        raise _damaged(name)
    if declared > limits.max_members:
        raise _too_many_parts(name, declared)
    fh.seek(0)
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise _damaged(name) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _too_many_parts(name, len(infos))
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped_bytes:
            raise ImportFileError(_(
                "{file} would unpack to {size}, more than the {limit} an attendee list can need; "
                "it is refused as unsafe.").format(
                file=name, size=megabytes(total), limit=megabytes(limits.max_unzipped_bytes)))
        for info in infos:
            if info.flag_bits & 0x1:
                raise _password(name)
            if (info.file_size > limits.big_member_bytes
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                ratio = info.file_size // max(info.compress_size, 1)
                raise ImportFileError(_(
                    "{file} holds a part ({part}) that unpacks to {ratio} times its stored size, "
                    "which no real workbook does; it is refused as unsafe.").format(
                    file=name, part=info.filename, ratio=number(ratio)))
        names = {i.filename for i in infos}
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
                raise ImportFileError(_(
                    "{file} is a binary Excel workbook (.xlsb): open it in Excel and save it as .xlsx.").format(
                    file=name))
            return Inspection("xlsx", size, _xlsx_extents(name, archive, infos, limits))
        if "content.xml" in names and _is_ods(archive, names):
            return Inspection("ods", size, _ods_extents(name, archive, limits))
        if "word/document.xml" in names:
            raise ImportFileError(_("{file} is a Word document, not a workbook.").format(file=name))
        if "ppt/presentation.xml" in names:
            raise ImportFileError(_("{file} is a PowerPoint presentation, not a workbook.").format(file=name))
        if "content.xml" in names:
            raise ImportFileError(_("{file} is an OpenDocument file but not a spreadsheet.").format(file=name))
        raise ImportFileError(_("{file} is a zip archive, not a workbook.").format(file=name))


def _too_many_parts(name: str, parts: int) -> ImportFileError:
    return ImportFileError(_("{file} holds {n} parts, far more than a workbook; it is refused as unsafe.").format(
        file=name, n=number(parts)))


def _password(name: str) -> ImportFileError:
    # Translators: the menu path is Excel's own (File → Info → Protect Workbook → Encrypt with
    # Password); write it as Excel in your language names it.
    return ImportFileError(_(
        "{file} is protected by a password: open it, remove the password (in Excel: File → Info → "
        "Protect Workbook → Encrypt with Password), save it and import it again.").format(file=name))


def _read_member(name: str, archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """A small member, read whole (at most ``limit`` bytes)."""
    try:
        with archive.open(member) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise _damaged(name) from None
    if len(data) > limit:
        raise ImportFileError(_("{file}: its part {part} is too large for a workbook index; it is refused as "
                                "unsafe.").format(file=name, part=member))
    return data


def _chunks(name: str, archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    try:
        with archive.open(member) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    return
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise _damaged(name) from None


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _tag_regions(name: str, archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """A member's bytes in pieces that end after a ``>``, so no tag is cut in two."""
    carry = b""
    for chunk in _chunks(name, archive, member):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        if cut == 0 and len(data) < 4 * CHUNK:
            carry = data
            continue
        cut = cut or len(data)
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


def _sheet_extent(name: str, archive: zipfile.ZipFile, member: str) -> Extent:
    """The extent of one .xlsx worksheet from its cell references (see ``_FAR_REF``).

    Every writer we know gives each cell its reference, first: ``<c r="B7" ...>``. A cell
    without one is placed after the previous cell of its row, so a few thousand bare cells
    can still ask for a huge grid; when the counts show such cells (or prefixed tags), the
    sheet is walked tag by tag instead (``_walk_extent``).
    """
    max_row, max_col = 99_999, 26  # what references the pattern skips can reach
    unusual = False
    for data in _tag_regions(name, archive, member):
        for ref in _FAR_REF.findall(data):
            split = len(ref) - len(ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            letters, digits = ref[:split], ref[split:]
            if len(letters) > 3 or len(digits) > 9:
                return Extent(10**9, 10**9)
            if letters:
                max_col = max(max_col, _column_number(letters))
            if len(digits) >= 6:
                max_row = max(max_row, int(digits))
        if not unusual:
            unusual = _BARE_CELL.search(data) is not None or _PREFIXED_CELL.search(data) is not None
    if unusual:
        return _walk_extent(name, archive, member)
    return Extent(max_row, max_col)


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')


def _walk_extent(name: str, archive: zipfile.ZipFile, member: str) -> Extent:
    """The extent of a worksheet, placing every row and cell as a reader does: by its
    reference, else just after the one before it (the slow path, for unusual files)."""
    row = col = 0
    max_row = max_col = 0
    for data in _tag_regions(name, archive, member):
        for match in _TAG.finditer(data):
            kind, attrs = match.group(1), match.group(2)
            ref = _R_ATTR.search(attrs)
            if kind == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                col = _column_number(ref.group(1).upper())
                if ref.group(2):
                    row = max(row, int(ref.group(2)))
            else:
                col += 1
            if col > max_col:
                max_col = col
            if row > max_row:
                max_row = row
    return Extent(max_row, max_col)


def _safe_xml(name: str, data: bytes, member: str) -> ElementTree.Element:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise ImportFileError(_(
            "{file}: its part {part} declares XML entities, which no workbook needs; it is refused as unsafe.").format(
            file=name, part=member))
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise _damaged(name) from None


_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_sheet_members(name: str, archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML, from the workbook and its relationships."""
    workbook = _safe_xml(name, _read_member(name, archive, "xl/workbook.xml", 8 << 20), "xl/workbook.xml")
    try:
        rels_data = _read_member(name, archive, "xl/_rels/workbook.xml.rels", 8 << 20)
    except ImportFileError:
        return {}
    rels = _safe_xml(name, rels_data, "xl/_rels/workbook.xml.rels")
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id", "")] = member
    out: dict[str, str] = {}
    for element in workbook.iter():
        if element.tag.endswith("}sheet") and element.get("name") is not None:
            sheet = targets.get(element.get(_R_ID, ""))
            if sheet:
                out[element.get("name", "")] = sheet
    return out


def _xlsx_extents(name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                  limits: Limits) -> dict[str, Extent]:
    by_member: dict[str, Extent] = {}
    for info in infos:
        member = info.filename
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            by_member[member] = _sheet_extent(name, archive, member)
        elif member.endswith((".xml", ".rels")):
            for _ in _chunks(name, archive, member):  # inflate, so a lying size shows now
                pass
    sheets = _xlsx_sheet_members(name, archive)
    extents = {sheet: by_member[m] for sheet, m in sheets.items() if m in by_member}
    unmatched = [e for m, e in by_member.items() if m not in sheets.values()]
    if unmatched or not extents:
        # Keep the worst case under a name no sheet has, so extent_of() falls back to it.
        for i, e in enumerate(unmatched):
            extents[f"\x00unmatched{i}"] = e
    return extents


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as fh:
                return fh.read(200).strip() == b"application/vnd.oasis.opendocument.spreadsheet"
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError):
            return False
    return True


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _start_and_end(events: list[Any]) -> Iterator[tuple[str, ElementTree.Element]]:
    """The (event, element) pairs of a pull parser asked only for "start" and "end" events."""
    for event, element in events:
        if isinstance(element, ElementTree.Element):
            yield event, element


def _ods_extents(name: str, archive: zipfile.ZipFile, limits: Limits) -> dict[str, Extent]:
    """Extents of the tables of an .ods, following repeat counts; refuses encryption and
    text runs (``text:s``) that would expand beyond a cell's limit."""
    manifest = "META-INF/manifest.xml"
    if manifest in archive.namelist():
        if b"encryption-data" in _read_member(name, archive, manifest, 8 << 20):
            raise _password(name)
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    extents: dict[str, Extent] = {}
    table = ""
    row = 0           # rows before the current one in this table
    col = 0
    row_repeat = 1
    row_has_value = False
    max_row = max_col = 0
    row_max_col = 0
    first = True
    for chunk in _chunks(name, archive, "content.xml"):
        if first:
            if b"<!DOCTYPE" in chunk[:4096] or b"<!ENTITY" in chunk:
                raise ImportFileError(_(
                    "{file} declares XML entities, which no spreadsheet needs; it is refused as unsafe.").format(
                    file=name))
            first = False
        try:
            parser.feed(chunk)
            events = list(parser.read_events())
        except ElementTree.ParseError:
            raise _damaged(name) from None
        for event, element in _start_and_end(events):
            tag = element.tag
            if event == "start":
                if tag == _ODS_TABLE + "table":
                    table = element.get(_ODS_TABLE + "name", "")
                    row = col = max_row = max_col = 0
                elif tag == _ODS_TABLE + "table-row":
                    col = 0
                    row_max_col = 0
                    row_has_value = False
                    row_repeat = _repeat(element.get(_ODS_TABLE + "number-rows-repeated"))
                elif tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"):
                    repeat = _repeat(element.get(_ODS_TABLE + "number-columns-repeated"))
                    if element.get(_ODS_OFFICE + "value-type") is not None:
                        row_has_value = True
                        row_max_col = col + repeat
                    element.set("_start", str(col))
                    element.set("_repeat", str(repeat))
                    col += repeat
                elif tag == _ODS_TEXT + "s":
                    if _repeat(element.get(_ODS_TEXT + "c")) > limits.max_cell_chars:
                        raise ImportFileError(_(
                            "{file} holds a cell that expands to more text than a cell can; it is refused as "
                            "unsafe.").format(file=name))
            else:
                if tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"):
                    if len(element):  # text without a value type still counts
                        row_has_value = True
                        cell_end = int(element.get("_start", "0")) + int(element.get("_repeat", "1"))
                        row_max_col = max(row_max_col, cell_end)
                    element.clear()
                elif tag == _ODS_TABLE + "table-row":
                    if row_has_value:
                        max_row = row + row_repeat
                        max_col = max(max_col, row_max_col)
                    row += row_repeat
                    element.clear()
                elif tag == _ODS_TABLE + "table":
                    extents[table] = Extent(max_row, max_col)
                    element.clear()
    return extents


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


# -- OLE compound files: .xls, and encrypted .xlsx ----------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_MAX_REGSECT = 0xFFFFFFFA


class _Ole:
    """Just enough of the compound file format to list streams and read one."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data
        if len(data) < 512:
            raise _damaged(name)
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        mini_shift = struct.unpack_from("<H", data, 0x20)[0]
        if shift not in (9, 12) or mini_shift != 6:
            raise _damaged(name)
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        self.mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_REGSECT]
        difat = first_difat
        seen = 0
        while difat <= _MAX_REGSECT and seen < n_difat + 1 and len(fat_sectors) < n_fat:
            block = self._sector(difat)
            per = self.sector // 4 - 1
            fat_sectors.extend(s for s in struct.unpack_from(f"<{per}I", block) if s <= _MAX_REGSECT)
            difat = struct.unpack_from("<I", block, self.sector - 4)[0]
            seen += 1
        fat = bytearray()
        for s in fat_sectors[:n_fat]:
            fat += self._sector(s)
        self.fat = struct.unpack(f"<{len(fat) // 4}I", bytes(fat))
        self.entries = self._directory(first_dir)
        self.minifat: tuple[int, ...] = ()
        if first_minifat <= _MAX_REGSECT:
            raw = self._chain(first_minifat, self.fat, self.sector, self._sector)
            self.minifat = struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4])
        root = self.entries.get("\x00root")
        self.ministream = b""
        if root is not None and root[0] <= _MAX_REGSECT:
            self.ministream = self._chain(root[0], self.fat, self.sector, self._sector)[: root[1]]

    def _sector(self, n: int) -> bytes:
        start = (n + 1) * self.sector
        if start + self.sector > len(self.data):
            raise _damaged(self.name)
        return self.data[start:start + self.sector]

    def _chain(self, first: int, fat: tuple[int, ...], size: int, read: Callable[[int], bytes]) -> bytes:
        out = bytearray()
        n = first
        steps = 0
        limit = len(self.data) // 64 + 16
        while n <= _MAX_REGSECT:
            out += read(n)
            if n >= len(fat):
                raise _damaged(self.name)
            n = fat[n]
            steps += 1
            if steps > limit:
                raise _damaged(self.name)  # a loop in the chain
        return bytes(out)

    def _mini_sector(self, n: int) -> bytes:
        start = n * self.mini_sector
        if start + self.mini_sector > len(self.ministream):
            raise _damaged(self.name)
        return self.ministream[start:start + self.mini_sector]

    def _directory(self, first: int) -> dict[str, tuple[int, int]]:
        raw = self._chain(first, self.fat, self.sector, self._sector)
        entries: dict[str, tuple[int, int]] = {}
        for off in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, off + 0x40)[0]
            kind = raw[off + 0x42]
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            entry_name = raw[off:off + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, off + 0x74)
            key = "\x00root" if kind == 5 else entry_name
            entries.setdefault(key, (start, size))
        return entries

    def stream(self, entry: str) -> bytes:
        start, size = self.entries[entry]
        if size < self.mini_cutoff:
            data = self._chain(start, self.minifat, self.mini_sector, self._mini_sector)
        else:
            data = self._chain(start, self.fat, self.sector, self._sector)
        if len(data) < size:
            raise _damaged(self.name)
        return data[:size]


def _inspect_ole(name: str, fh: BinaryIO, size: int, limits: Limits) -> Inspection:
    fh.seek(0)
    data = fh.read()
    try:
        ole = _Ole(name, data)
    except struct.error:
        raise _damaged(name) from None
    if "EncryptedPackage" in ole.entries or "EncryptionInfo" in ole.entries:
        raise _password(name)
    stream_name = "Workbook" if "Workbook" in ole.entries else "Book" if "Book" in ole.entries else None
    if stream_name is None:
        if "WordDocument" in ole.entries:
            raise ImportFileError(_("{file} is a Word 97–2003 document, not a workbook.").format(file=name))
        raise ImportFileError(_("{file} is an Office 97–2003 file but not a workbook.").format(file=name))
    try:
        stream = ole.stream(stream_name)
    except struct.error:
        raise _damaged(name) from None
    return Inspection("xls", size, _biff_extents(name, stream))


_CELL_RECORDS = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6, 0x0201})


def _biff_extents(name: str, stream: bytes) -> dict[str, Extent]:
    """Sheet name → extent, from the cell records of each worksheet substream (charts
    nest their own substreams); refuses a FILEPASS (encrypted) workbook."""
    sheet_at: dict[int, str] = {}
    extents: dict[str, Extent] = {}
    stack: list[tuple[str | None, int, int]] = []
    pos = 0
    n = len(stream)
    unpack = struct.unpack_from
    current: str | None = None
    max_row = max_col = 0
    in_globals = True
    while pos + 4 <= n:
        rtype, rlen = unpack("<HH", stream, pos)
        body = pos + 4
        if rtype == 0x0809:  # BOF
            if pos > 0:
                in_globals = False
                stack.append((current, max_row, max_col))
                current = sheet_at.get(pos, f"\x00sheet@{pos}")
                max_row = max_col = 0
        elif rtype == 0x000A:  # EOF
            if current is not None:
                old = extents.get(current, Extent(0, 0))
                extents[current] = Extent(max(old.rows, max_row), max(old.columns, max_col))
            current, max_row, max_col = stack.pop() if stack else (None, 0, 0)
        elif in_globals and rtype == 0x002F:
            raise _password(name)
        elif in_globals and rtype == 0x0085 and rlen >= 8:  # BOUNDSHEET
            offset = unpack("<I", stream, body)[0]
            cch, high = stream[body + 6], stream[body + 7]
            raw = stream[body + 8: body + 8 + (cch * 2 if high & 1 else cch)]
            sheet_at[offset] = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
        elif current is not None and rtype in _CELL_RECORDS and rlen >= 4:
            row, col = unpack("<HH", stream, body)
            if row >= max_row:
                max_row = row + 1
            if col >= max_col:
                max_col = col + 1
        elif current is not None and rtype in (0x00BD, 0x00BE) and rlen >= 6:  # MULRK, MULBLANK
            row = unpack("<H", stream, body)[0]
            last = unpack("<H", stream, body + rlen - 2)[0]
            max_row = max(max_row, row + 1)
            max_col = max(max_col, last + 1)
        pos = body + rlen
    if current is not None:
        extents[current] = Extent(max_row, max_col)
    return extents
