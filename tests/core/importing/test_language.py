"""The import's and the registration edits' sentences in Russian and Kazakh: why a file cannot
be used (each naming the file), what the layout lacks, every row's verdict and warning, the
report, and the refusals of registration_edit.

Each sentence is made in English and then in the language asked for; the translation must
differ from the English, be written in Cyrillic, keep the file's name, and hold no English
word of its own (the names of formats and programs, and the words of the file, apart).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from db.engine import Database
from desktop.core.events import list_events
from desktop.core.importing import ImportFileError, LayoutProblem, import_attendees, open_source
from desktop.core.importing.layout import parse_map_option
from desktop.core.importing.reading import read_table
from desktop.core.language import speaking
from desktop.core.registration_edit import RegistrationError, set_status, update_details
from tests.import_files import write_csv, write_xlsx

LANGS = ("ru", "kk")
# Names of formats, programs and encodings every language writes alike.
KEPT = {"Excel", "OpenDocument", "CSV", "UTF", "Windows", "BOM", "HTML", "PDF", "XML", "RTF", "Word", "PowerPoint",
        "Office", "TXT", "MB", "Encrypt", "xlsx", "xlsb", "xls", "ods", "csv", "txt", "zip", "map", "Header", "field"}
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def said(make: Callable[[], str], lang: str) -> str:
    with speaking(lang):
        text = make()
    assert text, "the case gives no sentence"
    return text


def check(make: Callable[[], str], given: str = "") -> None:
    english = said(make, "en")
    allowed = KEPT | set(_LATIN_WORD.findall(given))
    for lang in LANGS:
        text = said(make, lang)
        assert text != english, f"{lang}: still English: {text}"
        assert _CYRILLIC.search(text), f"{lang}: {text}"
        foreign = set(_LATIN_WORD.findall(text)) - allowed
        assert not foreign, f"{lang}: English words {foreign} in: {text}"


def file_error(path: Path) -> Callable[[], str]:
    def make() -> str:
        with pytest.raises(ImportFileError) as caught:
            open_source(path)
        return str(caught.value)
    return make


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


FILES: dict[str, Callable[[Path], Path]] = {
    "missing.xlsx": lambda p: p,
    "folder.csv": lambda p: (p.mkdir(), p)[1],
    "notes.docx": lambda p: (p.write_text("x"), p)[1],
    "noextension": lambda p: (p.write_text("x"), p)[1],
    "empty.csv": lambda p: (p.write_bytes(b""), p)[1],
    "text.xlsx": lambda p: (p.write_text("ФИО;E-mail\n"), p)[1],
    "page.xlsx": lambda p: (p.write_text("<html><table></table></html>"), p)[1],
    "scan.xlsx": lambda p: (p.write_bytes(b"%PDF-1.4 " + bytes(range(256))), p)[1],
    "cut.xlsx": lambda p: (p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), p)[1],
    "letter.xlsx": lambda p: _zip(p, {"word/document.xml": b"<w/>"}),
    "archive.xlsx": lambda p: _zip(p, {"readme.txt": b"hello"}),
    "binary.csv": lambda p: (p.write_bytes(b"\x00\x01\x02\x03" * 100), p)[1],
    "workbook.csv": lambda p: _zip(p, {"xl/workbook.xml": b"<workbook/>"}),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_why_a_file_cannot_be_used_is_said_in_the_language(tmp_path: Path, name: str) -> None:
    path = FILES[name](tmp_path / name)
    make = file_error(path)
    check(make, given=str(path))
    for lang in LANGS:
        assert name in said(make, lang)  # the file is named, as given


def test_a_list_without_names_and_a_wrong_mapping_are_said_in_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Организация", "E-mail"], ["Минюст", "a@example.kz"]])

    def layout_problem() -> str:
        table, layout = open_source(path)
        assert layout.problem is not None
        with pytest.raises(LayoutProblem) as caught:
            import_attendees(None, table, 1, layout=layout)  # type: ignore[arg-type]
        return str(caught.value)

    def unknown_column() -> str:
        with pytest.raises(ImportFileError) as caught:
            open_source(path, {"Должность": "position"})
        return str(caught.value)

    def bad_map() -> str:
        with pytest.raises(ValueError) as caught:
            parse_map_option("ФИО=nonsense")
        return str(caught.value)

    check(layout_problem, given="list.csv E-mail")
    check(unknown_column, given="list.csv E-mail")
    check(bad_map, given="nonsense full_name full_name_given_first family_name given_name patronymic honorific "
                         "organisation position email phone country gender sector category status dietary "
                         "interpretation accessibility photo_consent notes ignore")
    check(lambda: read_table(path).describe())


ROWS = [
    ["ФИО", "Организация", "E-mail", "Пол", "Категория", "Телефон"],
    ["Сәрсенбаева Айгүл Нұрланқызы", "Жоғарғы Сот", "a.sarsenbayeva@example.kz", "ж", "", ""],
    ["", "Минюст", "nobody@example.kz", "", "", ""],
    ["Иванов Иван Иванович", "Минюст", "ivanov@", "м", "", ""],
    ["Омаров", "Новое агентство", "omarov@example.kz; o2@example.kz", "?", "гость", "8" * 50],
    ["Омаров", "Новое агентство", "OMAROV@example.kz", "м", "", ""],
    ["Итого: 5", "", "", "", "", ""],
]


def test_every_verdict_warning_and_line_of_the_report_is_said_in_it(demo: tuple[Database, int],
                                                                     tmp_path: Path) -> None:
    database, event_id = demo
    path = write_xlsx(tmp_path / "участники.xlsx", ROWS)

    def report(lang: str) -> list[str]:
        with speaking(lang):
            done = import_attendees(database, path, event_id, dry_run=True)
            return [done.summary(), done.details(), *done.problem_lines(),
                    *(v.message for v in done.plan.verdicts)]

    english = report("en")
    assert len(english) >= 12
    for lang in LANGS:
        lines = report(lang)
        assert len(lines) == len(english)
        for en, line in zip(english, lines):
            assert line != en and _CYRILLIC.search(line), f"{lang}: {line}"
            foreign = set(_LATIN_WORD.findall(line)) - KEPT - set(_LATIN_WORD.findall(" ".join(map(str, ROWS))))
            assert not foreign, f"{lang}: English words {foreign} in: {line}"


def test_the_refusals_of_registration_edits_are_said_in_it(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as session:
        assert list_events(session)

    def refused(values: dict[str, object]) -> Callable[[], str]:
        def make() -> str:
            with pytest.raises(RegistrationError) as caught, database.write() as session:
                update_details(session, 1, values)
            return str(caught.value)
        return make

    check(refused({"status": "arrived"}), given="arrived")
    check(refused({"dietary": "x" * 300}))
    check(refused({"photo_consent": "maybe"}))

    def gone() -> str:
        with pytest.raises(RegistrationError) as caught, database.write() as session:
            set_status(session, [10**9, 10**9 + 1], "confirmed")  # type: ignore[arg-type]
        return str(caught.value)

    check(gone)
