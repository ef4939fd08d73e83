"""Name cards: one page per person, the name on both halves, fonts embedded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.models import Event
from desktop.exports.name_cards import export_name_cards
from desktop.exports.print_common import NothingToPrint, load_attendees
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, fonts_of, page_count, page_sizes_mm, page_texts


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_one_card_per_person_with_the_name_twice(tmp_path: Path, lang: str, db_templates: Templates) -> None:
    database, event_id = demo_database(tmp_path, db_templates)
    try:
        out = tmp_path / "cards.pdf"
        result = export_name_cards(database, out, event_id, lang=lang)
        with database.read() as s:
            people = load_attendees(s, event_id, lang)
    finally:
        database.close()
    assert result.items == result.pages == len(people) == page_count(out)
    assert page_sizes_mm(out) == {(297.0, 210.0)}
    texts = page_texts(out)
    for person, text in zip(people, texts):
        for part in person.name.split():
            assert text.count(part) >= 2, (person.name, text)
        if person.organisation:
            assert text.count(person.organisation.split()[0]) >= 2
    fonts = fonts_of(out)
    assert fonts and all(fonts.values())


def test_a_long_name_and_an_empty_selection(tmp_path: Path, db_templates: Templates) -> None:
    from db.models import Person, Registration

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        with database.write() as s:
            person = Person(given_name="Maria Dolores Fernanda", family_name="Hernández-Villalobos de la Concepción")
            reg = Registration(event_id=event_id, person=person, badge_code="LONG22")
            s.add(reg)
            s.flush()
            rid = reg.id
        out = tmp_path / "long.pdf"
        export_name_cards(database, out, event_id, registration_ids=[rid])
        text = page_texts(out)[0]
        # Whole on both halves (a line may end at the name's own hyphen or between syllables).
        assert re.sub(r"[\s\-]", "", text).count("HernándezVillalobosdelaConcepción") == 2
        with pytest.raises(NothingToPrint):
            export_name_cards(database, tmp_path / "none.pdf", event_id, registration_ids=[])
        assert not (tmp_path / "none.pdf").exists()
    finally:
        database.close()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_long_names_are_large_whole_and_on_the_page(long_event, tmp_path: Path, lang: str) -> None:
    import pdfplumber

    from desktop.exports.name_cards import NAME_MIN

    out = tmp_path / "long.pdf"
    export_name_cards(long_event.database, out, long_event.event_id, lang=lang)
    with long_event.database.read() as s:
        people = load_attendees(s, long_event.event_id, lang)
        form = s.get(Event, long_event.event_id).badge_name
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == len(people)
        for person, page in zip(people, pdf.pages):
            name = person.name_in(form)
            bold = [c for c in page.chars if "Bold" in c["fontname"]]
            # The name, twice, in bold at a size read across a table; nothing off the page.
            assert re.sub(r"[\s\-]", "", "".join(c["text"] for c in bold)) == re.sub(r"[\s\-]", "", name) * 2
            assert min(c["size"] for c in bold) >= NAME_MIN - 0.01
            assert all(0 <= c["x0"] and c["x1"] <= page.width and 0 <= c["top"] and c["bottom"] <= page.height
                       for c in page.chars)
            assert "…" not in "".join(c["text"] for c in bold)
