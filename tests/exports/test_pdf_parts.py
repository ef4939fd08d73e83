"""Long PDFs written in parts and joined (``PageWriter.part_pages``, ``pdf_join``): the same
pages as one file, "Page N of M" right across parts, no file and no part left by a cancel
or a failure, and memory that does not grow with the pages."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.engine import Database
from desktop.exports.badges import BadgeSheet, export_badges
from desktop.exports.print_common import PrintCancelled, PrintError
from desktop.exports.sign_in import SignInSheet, export_sign_in_sheet
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, page_texts, qr_codes


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    database, event_id = demo_database(tmp_path_factory.mktemp("parts"), db_templates)
    try:
        yield database, event_id
    finally:
        database.close()


def _info(path: Path) -> dict[str, Any]:
    """What a reader sees of the file as a whole: its pages, metadata, language, and its
    fonts: each subset's name → the font objects of that name."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    fonts: dict[str, set[int]] = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for form in (resources.get("/XObject") or {}).values():
            resources_of_form = form.get_object().get("/Resources")
            if resources_of_form is not None:
                for ref in resources_of_form.get_object()["/Font"].values():
                    fonts.setdefault(str(ref.get_object()["/BaseFont"]), set()).add(ref.idnum)
        for ref in resources["/Font"].values():
            fonts.setdefault(str(ref.get_object()["/BaseFont"]), set()).add(ref.idnum)
    meta = reader.metadata or {}
    return {"pages": len(reader.pages), "title": meta.get("/Title"), "author": meta.get("/Author"),
            "lang": reader.trailer["/Root"].get("/Lang"), "fonts": fonts}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("layout", ["a4-8", "id1"])
def test_badges_in_parts_are_the_pages_of_one_file(demo, tmp_path: Path, monkeypatch, layout: str) -> None:
    """Parts of 2 pages (a4-8: 15 pages; id1: 120) give the same pages as one file: each
    page's text, the QR codes, the title and language; every font subset's tag names one
    font object (each part's subsets renamed)."""
    database, event_id = demo
    whole, parted = tmp_path / "whole.pdf", tmp_path / "parted.pdf"
    monkeypatch.setattr(BadgeSheet, "default_part_pages", 0)
    one = export_badges(database, whole, event_id, layout=layout, lang="kk")
    monkeypatch.setattr(BadgeSheet, "default_part_pages", 2)
    parts = export_badges(database, parted, event_id, layout=layout, lang="kk")
    assert parts.pages == one.pages > 4
    assert page_texts(parted) == page_texts(whole)
    a, b = _info(whole), _info(parted)
    assert (b["pages"], b["title"], b["author"], b["lang"]) == (a["pages"], a["title"], a["author"], a["lang"])
    assert len(b["fonts"]) > len(a["fonts"])  # each part has its own subsets...
    assert all(len(objects) == 1 for objects in b["fonts"].values()), b["fonts"]  # ...each of its own name
    if layout == "a4-8":
        assert qr_codes(parted)[-1] == qr_codes(whole)[-1] != []
    assert _files(tmp_path) == ["parted.pdf", "whole.pdf"]


@pytest.mark.parametrize("kind", ["name_cards", "certificates"])
def test_cards_and_certificates_in_parts_are_the_pages_of_one_file(demo, tmp_path: Path, monkeypatch,
                                                                   kind: str) -> None:
    """Name cards and certificates (a page a person) are written in parts too: in parts of
    2 pages, the same pages as one file (their text, title, language), each subset's tag
    naming one font object, no part left beside the file."""
    from desktop.exports.certificates import CertificateSheet, export_certificates
    from desktop.exports.name_cards import NameCardSheet, export_name_cards

    database, event_id = demo
    sheet: Any = NameCardSheet if kind == "name_cards" else CertificateSheet

    def export(path: Path) -> Any:
        if kind == "name_cards":
            return export_name_cards(database, path, event_id, lang="ru")
        return export_certificates(database, path, event_id, lang="kk", only_checked_in=False)

    whole, parted = tmp_path / "whole.pdf", tmp_path / "parted.pdf"
    assert sheet.default_part_pages > 0  # a long run is in parts by default
    monkeypatch.setattr(sheet, "default_part_pages", 0)
    one = export(whole)
    monkeypatch.setattr(sheet, "default_part_pages", 2)
    parts = export(parted)
    assert parts.pages == one.pages > 4
    assert page_texts(parted) == page_texts(whole)
    a, b = _info(whole), _info(parted)
    assert (b["pages"], b["title"], b["author"], b["lang"]) == (a["pages"], a["title"], a["author"], a["lang"])
    assert len(b["fonts"]) > len(a["fonts"])
    assert all(len(objects) == 1 for objects in b["fonts"].values()), b["fonts"]
    assert _files(tmp_path) == ["parted.pdf", "whole.pdf"]


@pytest.mark.parametrize("late_forms", [500, 2])
def test_sign_in_in_parts_numbers_every_page_of_all(demo, tmp_path: Path, monkeypatch, late_forms: int) -> None:
    """"Page N of M" is drawn after the last page: in parts of 2 pages every page still
    says its number and the whole count, and the pages are those of one file (the forms
    defined in one file, or in files of 2)."""
    import desktop.exports.print_common as print_common

    database, event_id = demo
    whole, parted = tmp_path / "whole.pdf", tmp_path / "parted.pdf"
    monkeypatch.setattr(SignInSheet, "default_part_pages", 0)
    one = export_sign_in_sheet(database, whole, event_id, lang="ru", group_by_sector=True)
    monkeypatch.setattr(SignInSheet, "default_part_pages", 2)
    monkeypatch.setattr(print_common, "LATE_FORMS", late_forms)
    parts = export_sign_in_sheet(database, parted, event_id, lang="ru", group_by_sector=True)
    assert parts.pages == one.pages >= 5
    texts = page_texts(parted)
    assert texts == page_texts(whole)
    for n, text in enumerate(texts, start=1):
        assert f"Стр. {n} из {one.pages}" in text or f"{n} из {one.pages}" in text, text[-200:]
    assert _files(tmp_path) == ["parted.pdf", "whole.pdf"]


@pytest.mark.parametrize("when", ["drawing", "joining"])
def test_a_cancel_in_a_long_run_leaves_no_file_and_no_part(demo, tmp_path: Path, monkeypatch, when: str) -> None:
    """Cancelled after some parts are saved (while drawing, or as they are joined): no
    file, no temporary file, no part."""
    database, event_id = demo
    monkeypatch.setattr(BadgeSheet, "default_part_pages", 1)
    out = tmp_path / "badges.pdf"
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        if when == "drawing":
            return done < total // 2  # some 7 pages drawn: parts saved
        return calls.count((total, total)) < 3  # all drawn; the join's second check says stop

    with pytest.raises(PrintCancelled):
        export_badges(database, out, event_id, layout="a4-8", progress=progress)
    done, total = calls[-1]
    assert (done < total) == (when == "drawing")
    assert _files(tmp_path) == []


def test_a_failure_in_the_join_leaves_no_file_and_no_part(demo, tmp_path: Path, monkeypatch) -> None:
    import desktop.exports.pdf_join as pdf_join

    database, event_id = demo
    monkeypatch.setattr(SignInSheet, "default_part_pages", 1)

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf_join, "join_parts", broken)
    with pytest.raises(PrintError) as err:  # said naming the file asked for, not its hidden .part
        export_sign_in_sheet(database, tmp_path / "sheet.pdf", event_id)
    assert str(err.value).startswith(f"there is no space left on the disk holding {tmp_path / 'sheet.pdf'}")
    assert _files(tmp_path) == []


def test_parts_that_cannot_be_joined_are_one_sentence_naming_the_file(demo, tmp_path: Path, monkeypatch) -> None:
    import desktop.exports.pdf_join as pdf_join

    database, event_id = demo
    monkeypatch.setattr(SignInSheet, "default_part_pages", 1)

    def broken(*args: Any, **kwargs: Any) -> int:
        raise ValueError("object 7 has no end")

    monkeypatch.setattr(pdf_join, "join_parts", broken)
    target = tmp_path / "sheet.pdf"
    with pytest.raises(PrintError) as caught:
        export_sign_in_sheet(database, target, event_id)
    assert str(caught.value) == f"The PDF {target} could not be put together from its parts."
    assert _files(tmp_path) == []


def _peak(path: Path, pages: int, part_pages: int) -> int:
    """Peak memory (tracemalloc) of a sign-in sheet of ``pages`` full pages of rows."""
    from desktop.exports.print_common import Ticker
    from desktop.exports.sign_in import _Row

    sheet = SignInSheet(path, title="t", event_title="An event", dates="d", place="p", total=99999,
                        part_pages=part_pages)
    row = sheet.measure(1, _person())
    per_page = int(sheet.room // row.height)
    rows = (_Row(n, row.name, row.cells, row.height) for n in range(1, pages * per_page + 1))
    tracemalloc.start()
    try:
        sheet.write(rows, pages * per_page, Ticker(None, 0))
        assert sheet.finish() in (pages, pages + 1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _person() -> Any:
    from desktop.exports.print_common import Attendee

    return Attendee(registration_id=1, code="S00001", category="participant", name="Айгерим Сәрсенбаева",
                    family="Сәрсенбаева", given="Айгерим", patronymic="Болатқызы", position="Главный специалист",
                    organisation="Департамент координации подготовки судей и международного сотрудничества "
                                 "Академии правосудия при Верховном Суде Республики Казахстан",
                    sector=None, gender="female", checked_in=False, listed="Сәрсенбаева Айгерим Болатқызы")


def test_memory_does_not_grow_with_the_pages(tmp_path: Path) -> None:
    """Written in parts of 5 pages, a sheet of 64 pages peaks within a fifth of what one of
    16 adds on a single file's growth from 16 pages to 64 (ReportLab holds every page of a
    file until it saves): the peak is one part's."""
    _peak(tmp_path / "warm.pdf", 11, 5)  # what the first run in parts imports is not counted
    single = [_peak(tmp_path / f"s{n}.pdf", n, 0) for n in (16, 64)]
    parted = [_peak(tmp_path / f"p{n}.pdf", n, 5) for n in (16, 64)]
    grown_single, grown_parted = single[1] - single[0], parted[1] - parted[0]
    assert grown_single > 500_000, single  # the pages held until the save: what the parts avoid
    assert grown_parted < grown_single / 5, (single, parted)
    assert page_texts(tmp_path / "p64.pdf") == page_texts(tmp_path / "s64.pdf")


def test_text_that_reads_like_a_reference_stays_text(tmp_path: Path) -> None:
    """Objects are copied as their bytes with references renumbered, but not an object that
    holds a string: a title "Hall 5 0 R (B)" is kept as written, on every part's pages too."""
    from pypdf import PdfReader

    from desktop.exports.print_common import PageWriter

    title = "Hall 5 0 R (B) <4142>"
    writer = PageWriter(tmp_path / "x.pdf", (300, 200), title=title, part_pages=1)
    for n in range(3):
        writer.new_page()
        writer.canvas.setFont(writer.fonts.regular, 12)
        writer.canvas.drawString(20, 100, f"{title} · {n + 1}")
    assert writer.finish() == 3
    reader = PdfReader(tmp_path / "x.pdf", strict=True)
    assert reader.metadata is not None and reader.metadata.title == title
    assert [page.extract_text().strip() for page in reader.pages] == [f"{title} · {n}" for n in (1, 2, 3)]
    assert _files(tmp_path) == ["x.pdf"]
