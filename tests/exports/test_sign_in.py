"""The sign-in sheet: every name in surname order, sectors, the header and "Page N of M" on
every page, the fonts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.engine import Database
from desktop.core import vocabulary
from desktop.core.collation import key
from desktop.exports.print_common import SECTOR_ORDER, NothingToPrint, load_attendees
from desktop.exports.sign_in import export_sign_in_sheet
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, fonts_of, page_texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    database, event_id = demo_database(tmp_path_factory.mktemp("sign-in"), db_templates)
    try:
        yield database, event_id
    finally:
        database.close()


def _people(database: Database, event_id: int, lang: str = "en"):  # type: ignore[no-untyped-def]
    with database.read() as s:
        return load_attendees(s, event_id, lang)


def _positions(text: str, needles: list[str]) -> list[int]:
    """Where each needle is found, each searched for after the one before."""
    found, at = [], 0
    for needle in needles:
        at = text.index(needle, at)
        found.append(at)
        at += len(needle)
    return found


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_name_is_listed_in_surname_order(demo, tmp_path: Path, lang: str) -> None:
    database, event_id = demo
    out = tmp_path / "sheet.pdf"
    result = export_sign_in_sheet(database, out, event_id, lang=lang)
    people = _people(database, event_id, lang)
    assert result.items == len(people) > 100
    keys = [(key(p.family, lang), key(p.given, lang)) for p in people]
    assert keys == sorted(keys)
    text = "\n".join(page_texts(out))
    # Each person's row: its number, then the family name, in the list's order.
    needles = []
    for n, p in enumerate(people, start=1):
        needles += [f"{n}.", p.family]
    _positions(text, needles)  # raises ValueError if any is missing or out of order
    assert re.search(r"Жиенбаев|Zhienbayev", text)


def test_header_and_page_numbers_on_every_page(demo, tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "sheet.pdf"
    result = export_sign_in_sheet(database, out, event_id)
    pages = page_texts(out)
    assert len(pages) == result.pages > 2
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert "ATTENDANCE LIST" in text
        assert "Improving the Effectiveness" in text
        assert "28 February 2025" in text and "Astana" in text
        for header in ("No.", "Name", "Organisation", "Position", "Signature"):
            assert header in text
    assert f"Total: {result.items}" in pages[-1]


def test_russian_and_kazakh_headers(demo, tmp_path: Path) -> None:
    database, event_id = demo
    for lang, page, words in (
        ("ru", "Страница {n} из {m}", ["Подпись", "Фамилия, имя, отчество", "28 февраля 2025\u202fг."]),
        ("kk", "{m} беттің {n}-беті", ["Қолы", "Тегі, аты, әкесінің аты", "2025 жылғы 28 ақпан"]),
    ):
        out = tmp_path / f"{lang}.pdf"
        export_sign_in_sheet(database, out, event_id, lang=lang)
        pages = page_texts(out)
        for n, text in enumerate(pages, start=1):
            assert page.format(n=n, m=len(pages)) in text
            assert all(w in text for w in words)


def test_grouped_by_sector(demo, tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "sectors.pdf"
    result = export_sign_in_sheet(database, out, event_id, group_by_sector=True, with_position=False)
    people = _people(database, event_id)
    text = "\n".join(page_texts(out))
    assert "Position" not in text
    sectors = [s for s in SECTOR_ORDER if any(p.sector == s for p in people)]
    assert len(sectors) > 3
    # Sectors in their order, each with its people by surname, numbered on through the list.
    needles = []
    n = 0
    for sector in sectors:
        members = [p for p in people if p.sector == sector]
        needles.append(f"{vocabulary.sector(sector, 'en')} — {len(members)}")
        for p in members:
            n += 1
            needles += [f"{n}.", p.family]
    _positions(text, needles)
    assert n == result.items == len(people)


def test_fonts_embedded_and_nobody(demo, tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(database, out, event_id, lang="kk", group_by_sector=True)
    fonts = fonts_of(out)
    assert fonts and all(fonts.values())
    with pytest.raises(NothingToPrint):
        export_sign_in_sheet(database, tmp_path / "none.pdf", event_id, registration_ids=[])
    assert not (tmp_path / "none.pdf").exists()


def test_a_long_list_keeps_the_rows_within_the_page(demo, tmp_path: Path) -> None:
    """Row heights follow the text; no page holds more than fits."""
    from desktop.exports.sign_in import BOTTOM, GROUP_ROW, HEAD_ROW, SignInSheet, _Row

    database, event_id = demo
    people = _people(database, event_id)
    sheet = SignInSheet(tmp_path / "x.pdf", title="t", event_title="An event " * 12, dates="d", place="p")
    rows = [sheet.measure(n, p) for n, p in enumerate(people * 3, start=1)]
    pages = sheet.plan(rows)
    room = sheet.table_top - HEAD_ROW - BOTTOM
    for page in pages:
        used = sum(item.height if isinstance(item, _Row) else GROUP_ROW for item in page)
        assert used <= room + 0.01
    assert sum(len(page) for page in pages) == len(rows)


def test_only_those_checked_in_for_the_donor(demo, tmp_path: Path) -> None:
    """After the event: the attendance — only the people checked in, still by surname."""
    database, event_id = demo
    with database.read() as s:
        everyone = load_attendees(s, event_id, "en")
    came = [p for p in everyone if p.checked_in]
    assert 0 < len(came) < len(everyone)
    out = tmp_path / "attendance.pdf"
    result = export_sign_in_sheet(database, out, event_id, only_checked_in=True)
    assert result.items == len(came)
    text = "\n".join(page_texts(out))
    needles = []
    for n, p in enumerate(came, start=1):
        needles += [f"{n}.", p.family]
    _positions(text, needles)
    assert f"\n{len(came) + 1}." not in text and f" {len(came) + 1}." not in text
