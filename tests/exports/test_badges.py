"""Badges: every QR code on every layout scans back to its badge code; the selection, the
categories, the names in Kazakh and Russian, the fonts, cancelling and failing."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Category, Organisation, Person, Registration, RoleKind, Status
from desktop.core.collation import key
from desktop.exports.badges import LAYOUTS, PALETTE, export_badges
from desktop.exports.print_common import (
    BADGE_BANDS,
    MODERATOR,
    NothingToPrint,
    PrintCancelled,
    badge_word,
    fit_lines,
    load_attendees,
    registration_ids_for_codes,
    string_width,
)
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, fonts_of, page_sizes_mm, page_texts, qr_codes


@pytest.fixture(scope="module")
def badge_demo(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    database, event_id = demo_database(tmp_path_factory.mktemp("badges"), db_templates)
    with database.write() as s:
        org = s.scalar(select(Organisation).where(Organisation.sector == "judiciary").limit(1))
        person = Person(given_name="Әлия", family_name="Сәрсенбаева", patronymic="Ғалымқызы", organisation=org,
                        position={"kk": "Аға оқытушы", "ru": "Старший преподаватель"})
        s.add(Registration(event_id=event_id, person=person, badge_code="KAZ001", status=Status.CONFIRMED))
    try:
        yield database, event_id
    finally:
        database.close()


def expected_codes(database: Database, event_id: int) -> set[str]:
    with database.read() as s:
        return set(s.scalars(select(Registration.badge_code).where(
            Registration.event_id == event_id,
            Registration.status.not_in([Status.CANCELLED, Status.DECLINED]))))


def test_every_qr_code_of_an_a4_sheet_of_eight_scans_back_to_its_badge_code(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "badges.pdf"
    result = export_badges(database, out, event_id, layout="a4-8")
    wanted = expected_codes(database, event_id)
    pages = qr_codes(out, scale=3)
    decoded = [code for page in pages for code in page]
    assert sorted(decoded) == sorted(wanted)  # each code once, none missing, none extra
    assert all(len(page) <= 8 for page in pages)
    assert result.items == len(wanted) and result.pages == math.ceil(len(wanted) / 8) == len(pages)
    assert page_sizes_mm(out) == {(210.0, 297.0)}
    # The code is printed in text under each QR code too.
    text = "\n".join(page_texts(out))
    assert all(code in text for code in wanted)


@pytest.mark.parametrize("layout, size, per_page", [("a4-10", (210.0, 297.0), 10), ("a6", (105.0, 148.0), 1),
                                                    ("id1", (85.6, 54.0), 1)])
def test_other_layouts_scan_too(badge_demo, tmp_path: Path, layout: str, size: tuple[float, float],
                               per_page: int) -> None:
    database, event_id = badge_demo
    with database.read() as s:
        ids = list(s.scalars(select(Registration.id).where(Registration.event_id == event_id)
                             .order_by(Registration.id).limit(23)))
        codes = set(s.scalars(select(Registration.badge_code).where(Registration.id.in_(ids))))
    out = tmp_path / f"{layout}.pdf"
    result = export_badges(database, out, event_id, layout=layout, registration_ids=ids)
    pages = qr_codes(out, scale=3)
    assert {c for page in pages for c in page} == codes
    assert all(0 < len(page) <= per_page for page in pages)
    assert result.pages == math.ceil(len(ids) / per_page)
    assert page_sizes_mm(out) == {size}


def test_kazakh_and_russian_names_are_in_the_text(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "kk.pdf"
    with database.read() as s:
        ids = registration_ids_for_codes(s, event_id, ["KAZ001"])
    export_badges(database, out, event_id, registration_ids=ids, layout="a6", lang="kk")
    text = page_texts(out)[0]
    assert "Әлия" in text and "Сәрсенбаева" in text
    assert "Аға оқытушы" in text
    assert "ҚАТЫСУШЫ" in text  # the vocabulary's word for a participant, on the band
    # Russian: a display name in Russian wins over the Latin fields (Pamela Harris).
    out = tmp_path / "ru.pdf"
    export_badges(database, out, event_id, lang="ru")
    text = "\n".join(page_texts(out))
    assert "Памела" in text and "Харрис" in text
    assert "МОДЕРАТОР" in text and "УЧАСТНИК" in text and "Повышение эффективности" in text


def test_every_font_is_embedded(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "fonts.pdf"
    export_badges(database, out, event_id, layout="a4-10", lang="kk")
    fonts = fonts_of(out)
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts)


def test_the_selection_by_default_and_by_id(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        people = load_attendees(s, event_id, "en")
        statuses = dict(s.execute(select(Registration.id, Registration.status)
                                  .where(Registration.event_id == event_id)).all())
        cancelled = [rid for rid, st in statuses.items() if st in (Status.CANCELLED, Status.DECLINED)]
        assert cancelled
        assert {p.registration_id for p in people} == set(statuses) - set(cancelled)
        # Sorted by family name.
        keys = [(key(p.family, "en"), key(p.given, "en")) for p in people]
        assert keys == sorted(keys)
        # Asked for by id: exactly those, cancelled or not.
        chosen = load_attendees(s, event_id, "en", registration_ids=cancelled[:2])
        assert {p.registration_id for p in chosen} == set(cancelled[:2])
        # Moderators of the agenda get the moderator band.
        from db.models import Role

        moderator_people = set(s.scalars(select(Role.person_id).where(Role.kind == RoleKind.MODERATOR)))
        reg_person = dict(s.execute(select(Registration.id, Registration.person_id)
                                    .where(Registration.event_id == event_id)).all())
    moderators = {p.registration_id for p in people if p.category == MODERATOR}
    assert moderators and {reg_person[r] for r in moderators} == moderator_people & {
        reg_person[p.registration_id] for p in people}
    assert all(p.name.strip() for p in people)


def test_every_category_has_a_colour_and_a_word_in_each_language() -> None:
    assert set(BADGE_BANDS) == {*(c.value for c in Category), MODERATOR}
    for category in BADGE_BANDS:
        assert category in PALETTE
        assert all(badge_word(category, lang) for lang in ("en", "ru", "kk"))
    # The words are the vocabulary's: a category's, and the role's for a moderator.
    assert [badge_word(b, "ru") for b in ("speaker", MODERATOR, "press")] == ["Спикер", "Модератор", "Пресса"]
    assert badge_word(MODERATOR, "kk") == "Модератор" and badge_word("observer", "kk") == "Бақылаушы"


def test_unknown_codes_are_named(badge_demo) -> None:
    database, event_id = badge_demo
    with database.read() as s, pytest.raises(NothingToPrint, match="NOPE42"):
        registration_ids_for_codes(s, event_id, ["KAZ001", "NOPE42"])
    with database.read() as s:
        assert len(registration_ids_for_codes(s, event_id, ["kaz-001"])) == 1  # as typed: any case, dashes


def test_cancelling_leaves_no_file(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "cancelled.pdf"
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < 20

    with pytest.raises(PrintCancelled):
        export_badges(database, out, event_id, progress=progress)
    assert calls and max(calls) >= 20
    assert list(tmp_path.iterdir()) == []


def test_nobody_to_print_leaves_no_file(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "none.pdf"
    with pytest.raises(NothingToPrint):
        export_badges(database, out, event_id, statuses=[])
    with pytest.raises(ValueError, match="layout"):
        export_badges(database, out, event_id, layout="a5")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_keeps_the_old_file(badge_demo, tmp_path: Path) -> None:
    database, event_id = badge_demo
    out = tmp_path / "old.pdf"
    out.write_bytes(b"old")
    with pytest.raises(PrintCancelled):
        export_badges(database, out, event_id, progress=lambda done, total: False)
    assert out.read_bytes() == b"old" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("name", [
    "Ann Lee",
    "Aslambek Mergaliyev",
    "Maria Dolores Fernández de la Concepción Hernández-Villalobos Gutiérrez",
    "Сәрсенбаева Әлия Ғалымқызы",
    "Supercalifragilisticexpialidociousandevenlongerwithoutanyspaces",
])
def test_a_name_fits_its_width_on_at_most_two_lines(name: str) -> None:
    from desktop.exports.fonts import register_fonts

    bold = register_fonts().bold
    width = 160.0
    size, lines = fit_lines(name, bold, 20, 8, width, max_lines=2)
    assert 1 <= len(lines) <= 2 and 8 <= size <= 20
    assert all(string_width(line, bold, size) <= width + 0.01 for line in lines)
    if len(name) < 12:
        assert size == 20 and lines == [name]


def test_layouts_are_the_four_named() -> None:
    assert set(LAYOUTS) == {"a4-8", "a4-10", "a6", "id1"}
