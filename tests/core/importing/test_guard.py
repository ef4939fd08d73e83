"""Files that are not what they say, damaged, locked, or built to exhaust memory: each is
refused with one sentence naming the file, before a parser is trusted with it, and
nothing is written."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Event, Person, Registration
from desktop.core.importing import ImportFileError, Limits, import_attendees, read_table
from tests.import_files import (
    write_csv,
    write_ods,
    write_ole,
    write_xls,
    write_xlsx,
    write_xlsx_with_sheet_xml,
    write_zip_bomb,
)

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@example.kz"]]


def text_as_xlsx(p: Path) -> Path:
    path = p / "list.xlsx"
    path.write_text("ФИО;E-mail\nИванов Иван;ivanov@example.kz\n", encoding="utf-8")
    return path


def html_as_xls(p: Path) -> Path:
    path = p / "export.xls"
    path.write_text("<html><body><table><tr><td>ФИО</td></tr></table></body></html>", encoding="utf-8")
    return path


def binary_as_csv(p: Path) -> Path:
    path = p / "list.csv"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def xlsx_as_csv(p: Path) -> Path:
    path = p / "list.csv"
    path.write_bytes(write_xlsx(p / "real.xlsx", PEOPLE).read_bytes())
    return path


def pdf_as_xlsx(p: Path) -> Path:
    path = p / "list.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 20)
    return path


def docx_as_xlsx(p: Path) -> Path:
    path = p / "list.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return path


def truncated_xlsx(p: Path) -> Path:
    data = write_xlsx(p / "whole.xlsx", PEOPLE * 50).read_bytes()
    path = p / "list.xlsx"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def corrupt_member_xlsx(p: Path) -> Path:
    data = bytearray(write_xlsx(p / "whole.xlsx", PEOPLE * 200).read_bytes())
    with zipfile.ZipFile(p / "whole.xlsx") as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    path = p / "list.xlsx"
    path.write_bytes(bytes(data))
    return path


def encrypted_xlsx(p: Path) -> Path:
    """What Excel saves with a password: an OLE file holding the encrypted package."""
    return write_ole(p / "locked.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200,
                                         "EncryptedPackage": os.urandom(6000)})


def encrypted_xls(p: Path) -> Path:
    return write_xls(p / "locked.xls", PEOPLE, filepass=True)


def encrypted_ods(p: Path) -> Path:
    return write_ods(p / "locked.ods", PEOPLE, encrypted=True)


def word_97_as_xls(p: Path) -> Path:
    return write_ole(p / "list.xls", {"WordDocument": b"\xec\xa5" + b"\x00" * 600})


def zip_bomb_total(p: Path) -> Path:
    return write_zip_bomb(p / "bomb.xlsx", inflated_mb=300)


def zip_bomb_ratio(p: Path) -> Path:
    return write_zip_bomb(p / "bomb.xlsx", inflated_mb=50)


def zip_lying_about_its_size(p: Path) -> Path:
    """A member whose headers declare 1 KB but whose data inflates to 50 MB."""
    path = p / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * (50 << 20))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    declared = info.compress_size * 2  # a plausible ratio
    data[info.header_offset + 22: info.header_offset + 26] = declared.to_bytes(4, "little")
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        name_len = int.from_bytes(data[at + 28: at + 30], "little")
        if data[at + 46: at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            data[at + 24: at + 28] = declared.to_bytes(4, "little")
        at += 4
    path.write_bytes(bytes(data))
    return path


def sparse_xlsx(p: Path) -> Path:
    """Two cells, A1 and XFD1048576: a 5 KB file calamine would hold as 17 billion cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A2"] = "ФИО", "E-mail", "Иванов Иван"
    ws["XFD1048576"] = "boom"
    path = p / "sparse.xlsx"
    wb.save(path)
    return path


def wide_xlsx(p: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["ZZ3"] = "ФИО", "Иванов Иван", "x"
    path = p / "wide.xlsx"
    wb.save(path)
    return path


def bare_cells_xlsx(p: Path) -> Path:
    """Cells without references: each goes after the one before it, so one long row and
    many short ones ask for a grid of 3,001 × 3,000 cells from 6,000 values."""
    long_row = "<row>" + '<c t="n"><v>1</v></c>' * 3000 + "</row>"
    return write_xlsx_with_sheet_xml(p / "bare.xlsx", long_row + '<row><c t="n"><v>2</v></c></row>' * 3000)


def prefixed_cells_xlsx(p: Path) -> Path:
    """Cells with a namespace prefix and references far away, out of the usual order."""
    cells = '<x:row r="1"><x:c t="s" r="A1"><x:v>0</x:v></x:c></x:row>' \
            '<x:row r="900000"><x:c s="1" r="AAA900000"><x:v>1</x:v></x:c></x:row>'
    return write_xlsx_with_sheet_xml(p / "prefixed.xlsx", cells)


def sparse_xls(p: Path) -> Path:
    return write_xls(p / "sparse.xls", PEOPLE, far_cell=(65535, 255))


def repeated_ods(p: Path) -> Path:
    return write_ods(p / "repeat.ods", PEOPLE, extra_xml=(
        '<table:table-row table:number-rows-repeated="150000">'
        '<table:table-cell table:number-columns-repeated="400" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"))


def spaces_ods(p: Path) -> Path:
    return write_ods(p / "spaces.ods", PEOPLE, extra_xml=(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>x<text:s text:c="2000000000"/>'
        "</text:p></table:table-cell></table:table-row>"))


def oversized_csv(p: Path) -> Path:
    path = write_csv(p / "huge.csv", PEOPLE)
    with path.open("r+b") as fh:
        fh.truncate(65 * 1024 * 1024)  # sparse: takes no disk space
    return path


def many_rows_csv(p: Path) -> Path:
    path = p / "rows.csv"
    path.write_text("ФИО\n" + "Иванов Иван\n" * 1200, encoding="utf-8")
    return path


def many_columns_csv(p: Path) -> Path:
    path = p / "cols.csv"
    path.write_text("ФИО;" + ";".join(["x"] * 600) + "\nИванов Иван\n", encoding="utf-8")
    return path


def empty_file(p: Path) -> Path:
    path = p / "empty.csv"
    path.write_bytes(b"")
    return path


def unsupported(p: Path) -> Path:
    path = p / "list.pdf"
    path.write_bytes(b"%PDF-1.4")
    return path


def unclosed_quote_csv(p: Path) -> Path:
    path = p / "quote.csv"
    path.write_text('ФИО;E-mail\n"Иванов Иван;ivanov@example.kz\n' + "x" * 200_000 + "\n", encoding="utf-8")
    return path


SMALL = Limits(max_rows=1000, max_columns=500)

HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    ("text-as-xlsx", text_as_xlsx,
     "list.xlsx is not a workbook: it holds plain text. If it is a CSV list, rename it to .csv"),
    ("html-as-xls", html_as_xls, "export.xls is a web page (HTML) saved under a spreadsheet's name"),
    ("pdf-as-xlsx", pdf_as_xlsx, "list.xlsx is not a workbook: it is a PDF document"),
    ("docx-as-xlsx", docx_as_xlsx, "list.xlsx is a Word document, not a workbook."),
    ("word97-as-xls", word_97_as_xls, "list.xls is a Word 97–2003 document, not a workbook."),
    ("binary-as-csv", binary_as_csv, "list.csv is not a CSV text file: it is binary data."),
    ("xlsx-as-csv", xlsx_as_csv, "list.csv is a workbook, not CSV text: rename it to .xlsx or .ods"),
    ("truncated-xlsx", truncated_xlsx, "list.xlsx is damaged or incomplete"),
    ("corrupt-member-xlsx", corrupt_member_xlsx, "list.xlsx is damaged or incomplete"),
    ("encrypted-xlsx", encrypted_xlsx, "locked.xlsx is protected by a password"),
    ("encrypted-xls", encrypted_xls, "locked.xls is protected by a password"),
    ("encrypted-ods", encrypted_ods, "locked.ods is protected by a password"),
    ("zip-bomb-total", zip_bomb_total, "bomb.xlsx would unpack to 300 MB, more than the 200 MB"),
    ("zip-bomb-ratio", zip_bomb_ratio, "bomb.xlsx holds a part (xl/worksheets/sheet1.xml) that unpacks to"),
    ("zip-lying-size", zip_lying_about_its_size, "liar.xlsx is damaged or incomplete"),
    ("sparse-xlsx", sparse_xlsx, "sparse.xlsx, sheet “Sheet” reaches row 1,048,576"),
    ("wide-xlsx", wide_xlsx, "wide.xlsx, sheet “Sheet” reaches column 702; at most 500 columns"),
    ("bare-cells-xlsx", bare_cells_xlsx, "bare.xlsx, sheet “Лист1” reaches column 3,000; at most 500 columns"),
    ("prefixed-cells-xlsx", prefixed_cells_xlsx, "prefixed.xlsx, sheet “Лист1” reaches row 900,000"),
    ("sparse-xls", sparse_xls, "sparse.xls, sheet “Лист1” spans 65,536 rows × 256 columns"),
    ("repeated-ods", repeated_ods, "repeat.ods, sheet “Лист1” spans 150,002 rows × 400 columns"),
    ("spaces-ods", spaces_ods, "spaces.ods holds a cell that expands to more text than a cell can"),
    ("oversized", oversized_csv, "huge.csv is 65 MB; files over 64 MB are not imported"),
    ("too-many-rows", many_rows_csv, "rows.csv has more than 1,000 rows"),
    ("too-many-columns", many_columns_csv, "cols.csv, row 1: 601 columns; at most 500 can be read."),
    ("empty", empty_file, "empty.csv is empty."),
    ("unsupported", unsupported, "list.pdf: “.pdf” files cannot be imported"),
    ("unclosed-quote", unclosed_quote_csv, "quote.csv, row 2: the text cannot be split into cells"),
]


@pytest.mark.parametrize(("make", "message"), [(m, msg) for _, m, msg in HOSTILE], ids=[i for i, _, _ in HOSTILE])
def test_hostile_file_is_refused_with_one_sentence(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(ImportFileError) as exc:
        read_table(path, SMALL if "rows" in path.name else Limits())
    text = str(exc.value)
    assert text.startswith(message), text
    assert "\n" not in text and text.endswith(".")
    assert text.startswith(path.name)


def test_nothing_is_written_when_the_file_is_refused(database: Database, tmp_path: Path) -> None:
    with database.write() as session:
        event = Event(title={"en": "X"}, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 1))
        session.add(event)
        session.flush()
        event_id = event.id
    for make in (truncated_xlsx, encrypted_xlsx, sparse_xlsx, zip_bomb_ratio):
        with pytest.raises(ImportFileError):
            import_attendees(database, make(tmp_path), event_id)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
        assert session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_good_file_with_the_wrong_workbook_extension_still_reads(tmp_path: Path) -> None:
    ods = write_ods(tmp_path / "list.ods", PEOPLE)
    renamed = tmp_path / "list.xlsx"
    renamed.write_bytes(ods.read_bytes())
    assert read_table(renamed).kind == "ods"


PROBE = """
import json, sys
from pathlib import Path
from desktop.core.importing import ImportFileError, read_table
try:
    read_table(Path(sys.argv[1]))
    outcome = "read"
except ImportFileError as exc:
    outcome = str(exc)
# VmHWM: this process's peak resident memory (ru_maxrss would include the forked parent's).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "maxrss_kb": peak}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc (Linux)")
@pytest.mark.parametrize("make", [sparse_xlsx, bare_cells_xlsx, sparse_xls, repeated_ods, zip_bomb_total,
                                  zip_lying_about_its_size],
                         ids=["sparse-xlsx", "bare-cells-xlsx", "sparse-xls", "repeated-ods", "zip-bomb",
                              "zip-lying-size"])
def test_memory_stays_small_on_files_built_to_exhaust_it(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    """In a fresh interpreter, so the peak is this file's alone. Unguarded, the sparse
    .xlsx alone makes calamine ask for hundreds of GB."""
    path = make(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                         env=env, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["outcome"].startswith(path.name)
    assert result["maxrss_kb"] < 150 * 1024, result


def test_references_in_the_usual_form_are_measured_without_walking_every_tag(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.importing import guard

    walked: list[str] = []
    real = guard._walk_extent
    monkeypatch.setattr(guard, "_walk_extent", lambda *a: walked.append(a[2]) or real(*a))
    normal = write_xlsx(tmp_path / "normal.xlsx", PEOPLE * 100)
    assert read_table(normal).rows[1] == PEOPLE[1]
    assert walked == []
    path = write_xlsx_with_sheet_xml(tmp_path / "bare.xlsx", '<row><c t="inlineStr"><is><t>ФИО</t></is></c></row>')
    assert read_table(path).rows == [["ФИО"]]
    assert walked == ["xl/worksheets/sheet1.xml"]
