"""Badges: every QR code on every layout scans back to its badge code; the selection, the
categories, the names in Kazakh and Russian, the fonts, cancelling and failing."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Category, Organisation, Person, Registration, RoleKind, Status
from desktop.core.collation import key
from desktop.exports.badges import LAYOUTS, PALETTE, export_badges, short_organisations
from desktop.exports.print_common import (
    BADGE_BANDS,
    MODERATOR,
    NothingToPrint,
    PrintCancelled,
    badge_word,
    fit_lines,
    hex_colour,
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


# -- long names (issue 11): sizes, cells, whole words, short names, QR codes, bleed ---------------

MIN_SIZE = {"a4-10": 8.0, "id1": 8.0, "a4-8": 9.0, "a6": 9.0}


def _cells(layout: str, bleed: bool = False) -> list[tuple[float, float, float, float]]:
    """Each badge's place on a page as pdfplumber measures (x0, top, x1, bottom; top down)."""
    sheet = LAYOUTS[layout](os.devnull, title="", bleed=bleed)
    cells = []
    for n in range(sheet.per_page):
        x, y = sheet.cell(n)
        cells.append((x, sheet.height - y - sheet.bh, x + sheet.bw, sheet.height - y))
    return cells


def _badge_texts(path: Path, layout: str) -> list[tuple[list[dict], str]]:
    """Every badge of the file: its characters and its text (lines as drawn)."""
    import pdfplumber

    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            for x0, top, x1, bottom in _cells(layout):
                inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                          and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                if inside:
                    text = page.crop((x0, top, x1, bottom)).extract_text()
                    found.append((inside, text))
    return found


def _source_words(*texts: str) -> set[str]:
    return {w for t in texts for w in t.split()}


def _unknown_words(text: str, known: set[str]) -> list[str]:
    """The words of a badge's text that are not words of what it says: a word broken at a
    line's end ("Дүйсенбекова-" and "Сатпаева"; "Константинополь-" and "ский") counts when
    its pieces join to one (at its own hyphen, or between syllables without the hyphen); a
    word that ends with "…" counts when it is whole."""
    words = text.split()
    bare = {k.rstrip(",;:.") for k in known}
    unknown = []
    i = 0
    while i < len(words):
        heads, j = {words[i]}, i
        while not heads & known and j + 1 < len(words) and any(h.endswith("-") for h in heads):
            j += 1
            heads = {h + words[j] for h in heads if h.endswith("-")} | {h[:-1] + words[j] for h in heads
                                                                        if h.endswith("-")}
        if heads & known or any(h.endswith("…") and h[:-1].rstrip(",;:") in bare for h in heads):
            i = j + 1
        else:
            unknown.append(words[i])
            i += 1
    return unknown


@pytest.mark.parametrize("layout", ["a4-10", "a4-8", "a6", "id1"])
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_long_names_keep_their_sizes_cells_and_words(long_event, tmp_path: Path, layout: str, lang: str) -> None:
    from tests.exports import long_data

    out = tmp_path / f"{layout}-{lang}.pdf"
    export_badges(long_event.database, out, long_event.event_id, layout=layout, lang=lang)
    with long_event.database.read() as s:
        people = load_attendees(s, long_event.event_id, lang)
        shorts = list(short_organisations(s, long_event.event_id, lang).values())
    badges = _badge_texts(out, layout)
    assert len(badges) == len(people)
    cells = _cells(layout)
    smallest = min(c["size"] for chars, _ in badges for c in chars)
    assert smallest >= MIN_SIZE[layout] - 0.01, (layout, lang, smallest)
    # Every character lies wholly inside its badge (centre inside: _badge_texts; edges too).
    with __import__("pdfplumber").open(out) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                assert any(x0 - 0.1 <= ch["x0"] and ch["x1"] <= x1 + 0.1 and top - 0.1 <= ch["top"]
                           and ch["bottom"] <= bottom + 0.1 for x0, top, x1, bottom in cells), ch
    # Never cut within a word: each word printed is a word of what the badge says (or the
    # two halves of a word broken between syllables, which join to one), or ends with "…".
    sources = [long_data.EVENT_TITLE[lang], long_data.ORG_WITH_SHORT[lang], long_data.ORG_SHORT_NAME[lang],
               long_data.ORG_WITHOUT_SHORT[lang], long_data.LONG_POSITION[lang], long_data.LONG_POSITION_2[lang]]
    sources += [p.name_in("full") + " " + p.name + " " + p.position + " " + p.organisation + " " + p.code
                for p in people]
    sources += [badge_word(b, lang).upper() for b in BADGE_BANDS] + shorts
    known = _source_words(*sources)
    for _chars, text in badges:
        assert not _unknown_words(text, known), text
    # The names are whole, on every badge.
    texts = "\n".join(t for _, t in badges)
    squashed = re.sub(r"[\s\-]", "", texts)
    for person in people:
        assert re.sub(r"[\s\-]", "", person.name_in("full")) in squashed, person.name


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_long_organisation_is_written_by_its_short_name(long_event, tmp_path: Path, lang: str) -> None:
    from tests.exports import long_data

    out = tmp_path / "short.pdf"
    export_badges(long_event.database, out, long_event.event_id, layout="a4-10", lang=lang)
    text = "\n".join(page_texts(out))
    assert long_data.ORG_SHORT_NAME[lang] in text
    first_words = " ".join(long_data.ORG_WITH_SHORT[lang].split()[:3])
    assert first_words not in re.sub(r"\s+", " ", text)
    # The one without a short name is there by its own words (wrapped, shortened at a word).
    assert " ".join(long_data.ORG_WITHOUT_SHORT[lang].split()[:2]) in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("layout", ["a4-10", "a4-8", "a6", "id1"])
def test_the_qr_codes_of_long_badges_scan(long_event, tmp_path: Path, layout: str) -> None:
    out = tmp_path / f"{layout}.pdf"
    export_badges(long_event.database, out, long_event.event_id, layout=layout, lang="kk", bleed=True)
    with long_event.database.read() as s:
        codes = {p.code for p in load_attendees(s, long_event.event_id, "kk")}
    assert sorted(c for page in qr_codes(out, scale=3) for c in page) == sorted(codes)


def _bands(page: Any) -> list[dict]:
    colours = {tuple(round(v, 3) for v in hex_colour(c).rgb()) for c in PALETTE.values()}
    return [r for r in page.rects
            if isinstance(r["non_stroking_color"], tuple) and len(r["non_stroking_color"]) == 3
            and tuple(round(v, 3) for v in r["non_stroking_color"]) in colours]


@pytest.mark.parametrize("layout", ["a4-8", "a4-10"])
def test_a_bleed_runs_the_band_past_the_cut_and_the_crop_marks_stay_outside(badge_demo, tmp_path: Path,
                                                                             layout: str) -> None:
    import pdfplumber

    database, event_id = badge_demo
    bleed = 3 * 72 / 25.4
    for with_bleed in (False, True):
        out = tmp_path / f"{layout}-{with_bleed}.pdf"
        export_badges(database, out, event_id, layout=layout, bleed=with_bleed)
        cells = _cells(layout, with_bleed)
        extra = bleed if with_bleed else 0.0
        with pdfplumber.open(out) as pdf:
            page = pdf.pages[0]
            bands = _bands(page)
            assert len(bands) == len(cells)
            for band, (x0, top, x1, bottom) in zip(sorted(bands, key=lambda r: (round(r["top"]), r["x0"])),
                                                  sorted(cells, key=lambda c: (round(c[1]), c[0]))):
                # Past the cut on the left, right and bottom by the bleed; the top inside the badge.
                assert band["x0"] == pytest.approx(x0 - extra, abs=0.05)
                assert band["x1"] == pytest.approx(x1 + extra, abs=0.05)
                assert band["bottom"] == pytest.approx(bottom + extra, abs=0.05)
                assert top < band["top"] < bottom
            # No two badges' bleeds touch another badge or its bleed.
            grown = [(x0 - extra, top, x1 + extra, bottom + extra) for x0, top, x1, bottom in cells]
            for i, a in enumerate(grown):
                for b in grown[i + 1:]:
                    assert a[2] <= b[0] + 0.01 or b[2] <= a[0] + 0.01 or a[3] <= b[1] + 0.01 or b[3] <= a[1] + 0.01
            # Crop marks: on the cut lines, outside every badge and bleed, on the page.
            marks = page.lines
            assert len(marks) >= 4 * (len(cells) // 2)
            for m in marks:
                assert not any(m["x0"] < g[2] - 0.01 and m["x1"] > g[0] + 0.01 and m["top"] < g[3] - 0.01
                               and m["bottom"] > g[1] + 0.01 for g in grown), m
                assert m["x0"] >= 0 and m["x1"] <= page.width and m["top"] >= 0 and m["bottom"] <= page.height
                assert min(m["width"], m["height"]) == 0 and max(m["width"], m["height"]) >= 2 * 72 / 25.4 - 0.01
            xs = {round(v, 1) for c in cells for v in (c[0], c[2])}
            ys = {round(v, 1) for c in cells for v in (c[1], c[3])}
            assert {round(m["x0"], 1) for m in marks if m["width"] == 0} == xs
            assert {round(m["top"], 1) for m in marks if m["height"] == 0} == ys
    # A card is not cut: no bleed, whatever is asked.
    out = tmp_path / "a6.pdf"
    export_badges(database, out, event_id, layout="a6", bleed=True, registration_ids=None)
    assert page_sizes_mm(out) == {(105.0, 148.0)}


# -- fitting text (print_common.fit_lines) ------------------------------------------------------

def _bold() -> str:
    from desktop.exports.fonts import register_fonts

    return register_fonts().bold


@pytest.mark.parametrize("name, width, first_break", [
    ("Дүйсенбекова-Сатпаева Гүлназ Әбдіқадырқызы", 150.0, "Дүйсенбекова-"),
    ("Karl Friedrich Freiherr von Hohenzollern-Sigmaringen", 140.0, None),
    ("Константинопольский-Преображенский Александр Владимирович", 150.0, "Константинопольский-"),
])
def test_a_name_breaks_at_its_hyphen_before_a_syllable_and_is_never_cut(name: str, width: float,
                                                                        first_break: str | None) -> None:
    from desktop.exports.hyphenation import hyphen_points

    bold = _bold()
    size, lines = fit_lines(name, bold, 20, 10, width, max_lines=4, ellipsis=False)
    assert size >= 10 and all(string_width(line, bold, size) <= width + 0.01 for line in lines)
    if first_break:
        assert lines[0] == first_break
    assert not any("…" in line for line in lines)
    # The lines put together are the name; a break inside a word is at a syllable point.
    words = name.split()
    assert re.sub(r"[\s\-]", "", "".join(lines)) == re.sub(r"[\s\-]", "", name)
    for line, nxt in zip(lines, lines[1:]):
        if line.endswith("-") and line.split()[-1] not in words and not any(
                w.startswith(line.split()[-1]) and "-" in w for w in words):
            head = line.split()[-1][:-1]
            word = next(w for w in words if w.startswith(head))
            assert len(head) in hyphen_points(word), (line, nxt)
    # Too narrow for the smallest size: more lines, not fewer letters.
    size, lines = fit_lines(name, bold, 20, 14, 90.0, max_lines=2, ellipsis=False)
    assert size == 14 and len(lines) > 2
    assert re.sub(r"[\s\-]", "", "".join(lines)) == re.sub(r"[\s\-]", "", name)


def test_a_detail_wraps_before_it_shrinks_and_loses_whole_words_last() -> None:
    from desktop.exports.fonts import register_fonts

    regular = register_fonts().regular
    text = "Department for the Coordination of Judicial Training and International Cooperation"
    width = string_width(text, regular, 9) * 0.6
    size, lines = fit_lines(text, regular, 9, 8, width, max_lines=2, line_cost=1.0)
    assert size == 9 and len(lines) == 2  # wrapped at its size, not shrunk
    size, lines = fit_lines(text, regular, 9, 8, width * 0.6, max_lines=2, line_cost=1.0)
    assert size == 8 and len(lines) == 2 and lines[-1].endswith("…")
    kept = " ".join(lines).removesuffix("…").split()
    assert kept == text.split()[:len(kept)]  # whole words, from the start
    assert all(string_width(line, regular, 8) <= width * 0.6 + 0.01 for line in lines)


# Conjunctions and prepositions a shortened text must not end on (the review of issue 11 saw
# "…of the Federal Republic of…", "…сотрудничества и…", "…Әділет және…" on badges).
HANGING = {"of", "and", "the", "for", "и", "в", "по", "для", "с", "және", "мен", "und", "von", "für"}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_shortened_detail_never_ends_on_a_conjunction_or_preposition(lang: str) -> None:
    from desktop.exports.fonts import register_fonts
    from desktop.exports.print_common import ellipsize
    from tests.exports import long_data

    fonts = register_fonts()
    texts = [long_data.ORG_WITHOUT_SHORT[lang], long_data.ORG_WITH_SHORT[lang], long_data.LONG_POSITION[lang],
             long_data.LONG_POSITION_2[lang], long_data.EVENT_TITLE[lang]]
    shortened = 0
    for text in texts:
        for width in range(90, 260, 7):
            for lines in (1, 2, 3):
                size, got = fit_lines(text, fonts.regular, 9, 8, float(width), lines, line_cost=1.0)
                one = ellipsize(text, fonts.regular, 8, float(width) * lines)
                for last in (got[-1], one):
                    if last.endswith("…"):
                        shortened += 1
                        word = last.removesuffix("…").split()[-1]
                        assert word.casefold() not in HANGING, (text, width, lines, last)
                        assert string_width(last, fonts.regular, size if last is got[-1] else 8) <= (
                            width if last is got[-1] else width * lines) + 0.01
                if got[-1].endswith("…"):  # still the text's words from its start (a line may end "Con-")
                    kept = re.sub(r"[\s\-]", "", "".join(got).removesuffix("…"))
                    assert re.sub(r"[\s\-]", "", text).startswith(kept), (text, got)
    assert shortened > 100  # the widths do shorten them


@pytest.mark.parametrize("layout, name, long_position, lang", [
    *(("a6", "Karl Friedrich Freiherr von Hohenzollern-Sigmaringen", True, lang) for lang in ("en", "ru", "kk")),
    ("a4-8", "John Adams", False, "en"),  # in ru and kk its seven lines do not fit under a title of four
])
def test_the_room_a_name_leaves_goes_to_the_details(tmp_path: Path, layout: str, name: str, long_position: bool,
                                                    lang: str) -> None:
    """A long organisation (no short name), and on an A6 card a long position too, are
    printed whole where the badge has the room: more lines, not "…" (the review saw them
    cut above empty space)."""
    import pdfplumber

    from desktop.exports.badges import BadgeData, draw_badges
    from tests.exports import long_data

    out = tmp_path / "room.pdf"
    position = long_data.LONG_POSITION_2[lang] if long_position else {"en": "Judge", "ru": "Судья", "kk": "Судья"}[lang]
    organisation = long_data.ORG_WITHOUT_SHORT[lang]
    sheet = LAYOUTS[layout](out, title="t", lang=lang, event_title=long_data.EVENT_TITLE[lang])
    draw_badges(sheet, [BadgeData("QZQ25R", name, position, organisation, "moderator")])
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
        text = pdf.pages[0].extract_text()
    assert "…" not in text
    squashed = re.sub(r"[\s\-]", "", text)
    for whole in (name, position, organisation):
        assert re.sub(r"[\s\-]", "", whole) in squashed, whole
    assert min(c["size"] for c in chars) >= MIN_SIZE[layout] - 0.01
    # Inside the badge, clear of the band (the band's word is the only text on it).
    x0, top, x1, bottom = _cells(layout)[0]
    band_top = bottom - LAYOUTS[layout].style.band * 72 / 25.4
    words = {badge_word("moderator", lang).upper()}
    for c in chars:
        assert x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"]
        if c["bottom"] > band_top:
            assert any(c["text"] in w for w in words), c


@pytest.mark.parametrize("layout", ["a4-10", "a4-8", "a6", "id1"])
def test_a_name_is_set_smaller_rather_than_broken_inside_a_word(tmp_path: Path, layout: str) -> None:
    """A name breaks at spaces and at its own hyphens; between syllables only when nothing
    else fits (the review saw "Александр Кон-" / "стантинопольский-" on A4x8 and A6, where
    "Александр" / "Константинопольский-" fits a little smaller)."""
    import pdfplumber

    from desktop.exports.badges import BadgeData, draw_badges
    from tests.exports import long_data

    names = [" ".join(p for p in (person.given, person.family) if p) for person in long_data.LONG_PEOPLE]
    names += [" ".join(p for p in (person.family, person.given, person.patronymic) if p)
              for person in long_data.LONG_PEOPLE]
    out = tmp_path / "names.pdf"
    sheet = LAYOUTS[layout](out, title="t", lang="en", event_title=long_data.EVENT_TITLE["en"])
    draw_badges(sheet, [BadgeData(f"N{n:05d}", name, long_data.LONG_POSITION["en"], long_data.ORG_WITH_SHORT["en"],
                                  "participant", long_data.ORG_SHORT_NAME["en"]) for n, name in enumerate(names)])
    own = {w[:i + 1] for name in names for w in name.split() for i, ch in enumerate(w) if ch == "-"}
    broken = []
    with pdfplumber.open(out) as pdf:
        n = 0
        for page in pdf.pages:
            for x0, top, x1, bottom in _cells(layout):
                if n == len(names):
                    break
                above_band = bottom - LAYOUTS[layout].style.band * 72 / 25.4
                chars = [c for c in page.chars if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"]
                         and c["bottom"] <= above_band]
                big = max(c["size"] for c in chars)  # the name's

                def is_name(o: dict, big: float = big) -> bool:
                    return bool(o.get("size", big) >= big - 0.01)

                lines = page.crop((x0, top, x1, above_band)).filter(is_name).extract_text().split("\n")
                assert re.sub(r"[\s\-]", "", "".join(lines)) == re.sub(r"[\s\-]", "", names[n])
                broken += [line.split()[-1] for line in lines[:-1]
                           if line.endswith("-") and line.split()[-1] not in own]
                n += 1
    assert not broken
