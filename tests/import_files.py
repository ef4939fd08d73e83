"""Builders of the files the import tests read: every one made here, in the test's folder.

* ``write_csv`` — text in a given encoding and delimiter (UTF-8, UTF-8 with BOM, UTF-16,
  Windows-1251);
* ``write_xlsx`` — openpyxl, with title rows and merged cells where asked;
* ``write_ods`` — an OpenDocument spreadsheet written by hand (zip + content.xml);
* ``write_xls`` — an Excel 97–2003 workbook written by hand: a BIFF8 ``Workbook`` stream
  (shared strings, text and number cells, merged cells) in an OLE compound file;
* ``write_ole`` — any OLE compound file (e.g. the ``EncryptionInfo`` + ``EncryptedPackage``
  streams of a password-protected .xlsx);
* ``write_zip_bomb`` — a real .xlsx whose sheet inflates hugely (lots of zeros).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

Rows = Sequence[Sequence[Any]]


def write_csv(path: Path, rows: Rows, *, encoding: str = "utf-8", delimiter: str = ";",
              newline: str = "\r\n") -> Path:
    """Rows as delimited text (quoting cells that need it), encoded as asked."""
    lines = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def write_xlsx(path: Path, rows: Rows, *, merges: Sequence[str] = (), sheet: str = "Лист1",
               extra_sheets: dict[str, Rows] | None = None, first_sheet_hidden: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # keep "=..." as text
    for rng in merges:
        ws.merge_cells(rng)
    for name, more in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in more:
            other.append(list(row))
    if first_sheet_hidden:
        ws.sheet_state = "hidden"
    wb.save(path)
    return path


def write_ods(path: Path, rows: Rows, *, sheet: str = "Лист1", extra_xml: str = "",
              encrypted: bool = False) -> Path:
    """``encrypted`` only declares encryption in the manifest, as a password-protected
    file does (the content stays readable)."""
    body = []
    for row in rows:
        cells = []
        for value in row:
            if value is None or value == "":
                cells.append("<table:table-cell/>")
            elif isinstance(value, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{value}">'
                             f"<text:p>{value}</text:p></table:table-cell>")
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
                             "</text:p></table:table-cell>")
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        f"{''.join(body)}{extra_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        + ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
           '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
           "</manifest:encryption-data>" if encrypted else "")
        + "</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


# -- OLE compound files and BIFF8 ---------------------------------------------------------

SECTOR = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = NOSTREAM, right: int = NOSTREAM) -> bytes:
    raw = (name + "\x00").encode("utf-16-le") if name else b""
    entry = bytearray(128)
    entry[0:len(raw)] = raw
    struct.pack_into("<HBB", entry, 0x40, len(raw), kind, 1)
    struct.pack_into("<III", entry, 0x44, NOSTREAM, right, child)
    struct.pack_into("<IQ", entry, 0x74, start, size)
    return bytes(entry)


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` (each padded to at least 4096 bytes so
    it lives in regular sectors; at most three streams, 60 KB in all)."""
    assert 1 <= len(streams) <= 3
    padded = {name: data + b"\x00" * max(0, 4096 - len(data)) for name, data in streams.items()}
    fat = [FATSECT, ENDOFCHAIN]
    entries = []
    names = list(padded)
    next_sector = 2
    body = b""
    for i, name in enumerate(names):
        data = padded[name]
        n = -(-len(data) // SECTOR)
        start = next_sector
        fat.extend(range(start + 1, start + n))
        fat.append(ENDOFCHAIN)
        next_sector += n
        body += data + b"\x00" * (n * SECTOR - len(data))
        entries.append(_dir_entry(name, 2, start, len(data), right=(i + 2) if i + 1 < len(names) else NOSTREAM))
    assert len(fat) <= SECTOR // 4
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    directory = _dir_entry("Root Entry", 5, ENDOFCHAIN, 0, child=1) + b"".join(entries)
    directory += _dir_entry("", 0, 0, 0) * (4 - 1 - len(entries))
    header = bytearray(SECTOR)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 0x03, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREESECT] * 108))
    return bytes(header) + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + body


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    path.write_bytes(ole_bytes(streams))
    return path


def _record(rtype: int, body: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


def _unicode(text: str, length_bytes: int = 2) -> bytes:
    raw = text.encode("utf-16-le")
    head = struct.pack("<H" if length_bytes == 2 else "<B", len(text))
    return head + b"\x01" + raw


def biff8_workbook(rows: Rows, *, sheet: str = "Лист1", merges: Sequence[tuple[int, int, int, int]] = (),
                   far_cell: tuple[int, int] | None = None, filepass: bool = False) -> bytes:
    """A BIFF8 ``Workbook`` stream with one worksheet. ``merges`` are (first row, last row,
    first column, last column), 0-based; ``far_cell`` adds a number at that (row, column)."""
    strings: list[str] = []
    index: dict[str, int] = {}
    cells = b""
    max_row = max_col = 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
            if isinstance(value, (int, float)):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
            else:
                text = str(value)
                if text not in index:
                    index[text] = len(strings)
                    strings.append(text)
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 15, index[text]))
    if far_cell is not None:
        cells += _record(0x0203, struct.pack("<HHHd", far_cell[0], far_cell[1], 15, 1.0))
        max_row, max_col = max(max_row, far_cell[0] + 1), max(max_col, far_cell[1] + 1)
    sst = _record(0x00FC, struct.pack("<II", len(strings), len(strings)) + b"".join(_unicode(s) for s in strings))
    xf = _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    xfs = xf * 16
    font = _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1))
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    codepage = _record(0x0042, struct.pack("<H", 0x04B0))
    filepass_rec = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48) if filepass else b""
    name_raw = sheet.encode("utf-16-le")

    def boundsheet(offset: int) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(sheet), 1) + name_raw)

    eof = _record(0x000A, b"")
    globals_wo_bound = bof_globals + filepass_rec + codepage + font * 5 + xfs
    globals_len = len(globals_wo_bound) + len(boundsheet(0)) + len(sst) + len(eof)
    globals_ = globals_wo_bound + boundsheet(globals_len) + sst + eof
    bof_sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
    dims = _record(0x0200, struct.pack("<IIHHH", 0, max_row, 0, max_col, 0))
    merged = b""
    if merges:
        merged = _record(0x00E5, struct.pack("<H", len(merges)) + b"".join(struct.pack("<HHHH", *m) for m in merges))
    return globals_ + bof_sheet + dims + cells + merged + eof


def write_xls(path: Path, rows: Rows, **kwargs: Any) -> Path:
    return write_ole(path, {"Workbook": biff8_workbook(rows, **kwargs)})


def write_zip_bomb(path: Path, *, inflated_mb: int = 300) -> Path:
    """A workbook-shaped zip whose one sheet declares and holds ``inflated_mb`` of zeros
    (stored compressed about 1000:1)."""
    chunk = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b"<worksheet><sheetData>")
            for _ in range(inflated_mb):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return path


def write_xlsx_with_sheet_xml(path: Path, sheet_data: str) -> Path:
    """A real workbook (made by openpyxl) whose first sheet's ``<sheetData>`` is replaced
    by ``sheet_data`` as given — for cells written the way no common writer does."""
    template = write_xlsx(path.with_name(path.stem + "-template.xlsx"), [["x"]])
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f"<sheetData>{sheet_data}</sheetData></worksheet>")
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            out.writestr(info.filename, data)
    template.unlink()
    return path
