"""The sign-in sheet: every name in surname order, sectors, the header and "Page N of M" on
every page, the fonts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from db.engine import Database
from desktop.core import vocabulary
from desktop.core.collation import key
from desktop.exports.print_common import SECTOR_ORDER, Attendee, NothingToPrint, load_attendees, string_width
from desktop.exports.sign_in import export_sign_in_sheet
from tests.databases import Templates
from tests.exports.conftest import LongEvent
from tests.exports.pdf_tools import demo_database, fonts_of, page_texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    database, event_id = demo_database(tmp_path_factory.mktemp("sign-in"), db_templates)
    try:
        yield database, event_id
    finally:
        database.close()


def _people(database: Database, event_id: int, lang: str = "en") -> list[Attendee]:
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


# ---- issue 11: long names never break the page; the list of participants ----

MM = 72 / 25.4


def _table(path: Path) -> list[dict[str, Any]]:
    """Each page's table as pdfplumber reads it: the x of its column rules, and its words
    below the header row (with their fonts)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rules = sorted({round(float(ln["x0"]), 1) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01})
            words = page.extract_words(x_tolerance=1, y_tolerance=1, extra_attrs=["fontname"])
            numbers = [w for w in words if re.fullmatch(r"\d+\.", w["text"]) and rules[0] < w["x0"] < rules[1]]
            first = min((w["top"] for w in numbers), default=page.height)
            # The table's foot: where its column rules end.
            foot = max(float(ln["bottom"]) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01)
            pages.append({"rules": rules, "numbers": numbers,
                          "words": [w for w in words if first - 1 <= w["top"] and w["bottom"] <= foot
                                    and w["x0"] >= rules[0]]})
    return pages


def _bold(word: dict[str, Any]) -> bool:
    return "Bold" in str(word["fontname"])


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_long_surnames_wrap_and_stay_bold(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    """Every letter of every surname, and nothing else of a name, is bold, in the list's
    order; a surname wider than its column is broken over lines."""
    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(long_event.database, out, long_event.event_id, lang=lang)
    people = _people(long_event.database, long_event.event_id, lang)
    bold, broken = [], []
    for page in _table(out):
        left, right = page["rules"][1], page["rules"][2]
        in_names = [w for w in page["words"] if left < w["x0"] and w["x1"] < right]
        bold += [w["text"] for w in in_names if _bold(w)]
        broken += [w["text"] for w in in_names if _bold(w) and w["text"].endswith("-")]
    flat = "".join(bold).replace("-", "")
    assert flat == "".join(p.family.replace("-", "").replace(" ", "") for p in people)
    assert broken, "no surname was wide enough to be broken: the test proves nothing"


@pytest.mark.parametrize("family", ["Дүйсенбекова-Сатпаева", "Константинопольский-Преображенский",
                                    "Мұхамеджанов-Жақсыбеков", "Hohenzollern-Sigmaringen",
                                    "Әбдіқадырқызы", "Жақсыбековааааа"])
def test_a_surname_breaks_at_its_hyphen_or_between_syllables(family: str) -> None:
    from desktop.exports.fonts import register_fonts
    from desktop.exports.hyphenation import hyphen_points, longest_word_width
    from desktop.exports.sign_in import name_lines

    fonts = register_fonts()
    narrowest = longest_word_width(family, fonts.bold, 8.5)
    points = set(hyphen_points(family))
    for width in (narrowest, narrowest * 1.3, narrowest * 2, 200.0):
        lines = name_lines(family, family, fonts.regular, fonts.bold, 8.5, width, family_first=True)
        assert all(len(line) == 1 and line[0][1] for line in lines), "every piece of the surname bold"
        pieces = [line[0][0] for line in lines]
        done = 0
        for piece in pieces[:-1]:
            assert piece.endswith("-")
            if family[done + len(piece) - 1] == "-":  # its own hyphen
                done += len(piece)
            else:
                done += len(piece) - 1
                assert done in points, f"{family} broken mid-syllable: {pieces}"
        assert family[done:] == pieces[-1]
        assert all(string_width(p, fonts.bold, 8.5) <= width + 0.01 for p in pieces)


def test_a_name_fills_its_lines_at_hyphens_only() -> None:
    """After other words, a long surname goes on with its own hyphen's head, or moves to a
    line of its own; each run is bold or not and set where the words before it end."""
    from desktop.exports.fonts import register_fonts
    from desktop.exports.sign_in import name_lines

    fonts = register_fonts()

    def lines(text: str, family: str, width_mm: float, first: bool) -> list[list[tuple[str, bool]]]:
        found = name_lines(text, family, fonts.regular, fonts.bold, 8.5, width_mm * MM, family_first=first)
        return [[(run[0], run[1]) for run in line] for line in found]

    german = "Karl Friedrich Freiherr von Hohenzollern-Sigmaringen"
    family = "Freiherr von Hohenzollern-Sigmaringen"
    assert lines(german, family, 36, False) == [[("Karl Friedrich", False), ("Freiherr", True)],
                                                [("von Hohenzollern-", True)], [("Sigmaringen", True)]]
    assert lines(german, family, 50, False) == [[("Karl Friedrich", False), ("Freiherr von", True)],
                                                [("Hohenzollern-Sigmaringen", True)]]
    kazakh = "Дүйсенбекова-Сатпаева Гүлназ Әбдіқадырқызы"
    found = name_lines(kazakh, "Дүйсенбекова-Сатпаева", fonts.regular, fonts.bold, 8.5, 30 * MM, family_first=True)
    assert [[(r[0], r[1]) for r in line] for line in found] == [
        [("Дүйсенбекова-", True)], [("Сатпаева", True), ("Гүлназ", False)], [("Әбдіқадырқызы", False)]]
    assert found[1][1][2] == pytest.approx(string_width("Сатпаева", fonts.bold, 8.5)
                                           + string_width(" ", fonts.regular, 8.5))
    # Given name first: the surname after it on a line of its own, broken at its hyphen.
    assert lines("Гүлназ Мұхамеджанов-Жақсыбеков", "Мұхамеджанов-Жақсыбеков", 30, False) == [
        [("Гүлназ", False)], [("Мұхамеджанов-", True)], [("Жақсыбеков", True)]]


def test_row_numbers_keep_clear_of_the_rules(demo, tmp_path: Path) -> None:
    """A list of 12,000: the number column is as wide as "12000." needs."""
    from desktop.exports.print_common import Ticker
    from desktop.exports.sign_in import SignInSheet

    database, event_id = demo
    people = _people(database, event_id)[:8]
    out = tmp_path / "numbers.pdf"
    sheet = SignInSheet(out, title="t", event_title="An event", dates="d", place="p", total=12000)
    rows = [sheet.measure(n, p) for n, p in zip(range(11993, 12001), people)]
    sheet.draw(sheet.plan(rows), 12000, Ticker(None, 0))
    sheet.finish()
    (page,) = _table(out)
    assert [w["text"] for w in page["numbers"]] == [f"{n}." for n in range(11993, 12001)]
    left, right = page["rules"][0], page["rules"][1]
    for word in page["numbers"]:
        assert word["x0"] - left >= 1.2 * MM and right - word["x1"] >= 1.2 * MM, word


def test_a_heading_is_never_left_at_the_foot_of_a_page(demo, tmp_path: Path) -> None:
    """Planned pages: every heading has a row under it on its page, a page that starts inside
    a sector repeats its heading "(continued)", the last page has room for the total, no page
    holds more than fits — for many lists of random row heights and sectors."""
    import random

    from desktop.exports.sign_in import GROUP_ROW, TOTAL_ROOM, SignInSheet, _Group, _Row

    sheet = SignInSheet(tmp_path / "x.pdf", title="t", event_title="An event", dates="d", place="p")
    rng = random.Random(11)
    for _trial in range(200):
        items: list[_Row | _Group] = []
        for g in range(rng.randint(1, 6)):
            items.append(_Group(f"Sector {g}"))
            items += [_Row(len(items), (), (), rng.choice((11 * MM, 11 * MM, 20 * MM, 45 * MM)))
                      for _ in range(rng.randint(1, 25))]
        pages = sheet.plan(items)
        assert [i for page in pages for i in page if not (isinstance(i, _Group) and "(continued)" in i.heading)] \
            == items
        for n, page in enumerate(pages):
            used = sum(i.height if isinstance(i, _Row) else GROUP_ROW for i in page)
            assert used <= sheet.room + 0.01
            assert isinstance(page[-1], _Row), f"page {n + 1} ends with a heading"
            if n and isinstance(page[0], _Row):
                before = [i for p in pages[:n] for i in p]
                assert not any(isinstance(i, _Group) for i in before), "a sector goes on without its heading"
        last = pages[-1]
        assert sum(i.height if isinstance(i, _Row) else GROUP_ROW for i in last) + TOTAL_ROOM <= sheet.room + 0.01


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_footer_and_header_give_the_whole_title(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    from tests.exports.long_data import EVENT_TITLE

    out = tmp_path / "sheet.pdf"
    export_sign_in_sheet(long_event.database, out, long_event.event_id, lang=lang, group_by_sector=True)
    title = " ".join(EVENT_TITLE[lang].split())
    for text in page_texts(out):
        assert " ".join(text.split()).count(title) == 2  # at the head and at the foot of every page
        assert "…" not in text


def _first_arrivals_by_hand(database: Database, event_id: int) -> dict[int, dt.datetime]:
    from sqlalchemy import select

    from db.models import CheckIn, CheckInAction, Event, Registration

    with database.read() as s:
        zone = ZoneInfo(s.scalar(select(Event.timezone).where(Event.id == event_id)) or "UTC")
        rows = s.scalars(select(CheckIn).join(Registration).where(Registration.event_id == event_id)).all()
        undone = {r.undoes for r in rows if r.undoes is not None}
        first: dict[int, dt.datetime] = {}
        for r in rows:
            if r.action == CheckInAction.IN and r.uuid not in undone:
                at = r.happened_at.astimezone(zone)
                first[r.registration_id] = min(first.get(r.registration_id, at), at)
        return first


LIST_WORDS = {
    "en": ("LIST OF PARTICIPANTS", "Arrival", "Signature", "Mar"),
    "ru": ("СПИСОК УЧАСТНИКОВ", "Время прибытия", "Подпись", "мар."),
    "kk": ("ҚАТЫСУШЫЛАР ТІЗІМІ", "Келген уақыты", "Қолы", "нау."),
}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_list_of_participants_gives_each_arrival(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    """After a two-day event: its own title, an arrival column (the day and the time of the
    first check-in, in the event's time zone) and no signature column."""
    title, column, signature, month = LIST_WORDS[lang]
    database, event_id = long_event.database, long_event.event_id
    out = tmp_path / "list.pdf"
    result = export_sign_in_sheet(database, out, event_id, lang=lang, only_checked_in=True)
    with database.read() as s:
        came = load_attendees(s, event_id, lang, only_checked_in=True)
    first = _first_arrivals_by_hand(database, event_id)
    assert result.items == len(came) > 3
    pages = [" ".join(t.split()) for t in page_texts(out)]
    for text in pages:
        assert text.count(title) == 1 and column in text and signature not in text
    text = " ".join(pages)
    for n, person in enumerate(came, start=1):
        start = text.index(f"{n}. ")
        end = text.index(f"{n + 1}. ", start) if n < len(came) else len(text)
        row = text[start:end]
        at = first[person.registration_id]
        assert f"{at.day} {month}" in row and f"{at:%H:%M}" in row, (row, at)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_list_of_a_one_day_event_gives_the_time(demo, tmp_path: Path, lang: str) -> None:
    title, column, _signature, month = LIST_WORDS[lang]
    database, event_id = demo
    out = tmp_path / "list.pdf"
    export_sign_in_sheet(database, out, event_id, lang=lang, only_checked_in=True, with_position=False)
    first = _first_arrivals_by_hand(database, event_id)
    with database.read() as s:
        came = load_attendees(s, event_id, lang, only_checked_in=True)
    text = " ".join(" ".join(page_texts(out)).split())
    assert title in text and column in text and month not in text
    times = re.findall(r"\b\d\d:\d\d\b", text)
    assert times == [f"{first[p.registration_id]:%H:%M}" for p in came]


def test_the_first_arrival_is_the_earliest_check_in_not_undone(demo) -> None:
    import uuid

    from sqlalchemy import select

    from db.models import CheckIn, CheckInAction
    from desktop.exports.sign_in import first_arrivals

    database, event_id = demo
    with database.read() as s:
        before = first_arrivals(s, event_id)
    rid, at = next(iter(before.items()))
    try:
        with database.write() as s:
            early = CheckIn(registration_id=rid, desk="Desk 9", action=CheckInAction.IN, uuid=uuid.uuid4(),
                            happened_at=at - dt.timedelta(hours=1), recorded_at=at)
            s.add(early)
            s.add(CheckIn(registration_id=rid, desk="Desk 9", action=CheckInAction.UNDO, undoes=early.uuid,
                          happened_at=at, recorded_at=at))
        with database.read() as s:
            assert first_arrivals(s, event_id) == before
        with database.write() as s:
            s.add(CheckIn(registration_id=rid, desk="Desk 9", action=CheckInAction.IN,
                          happened_at=at - dt.timedelta(minutes=30), recorded_at=at))
        with database.read() as s:
            assert first_arrivals(s, event_id)[rid] == at - dt.timedelta(minutes=30)
    finally:
        with database.write() as s:
            for row in s.scalars(select(CheckIn).where(CheckIn.desk == "Desk 9")):
                s.delete(row)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_command_line_prints_the_list_of_participants(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    """``export-sign-in-sheet --checked-in``: the list of participants, with arrivals; without
    it, the sheet to sign."""
    import io

    from desktop.cli import main

    title, column, signature, month = LIST_WORDS[lang]
    outputs = {}
    for name, extra in (("list", ["--checked-in"]), ("sheet", [])):
        target = tmp_path / f"{name}.pdf"
        out, err = io.StringIO(), io.StringIO()
        code = main(["--db", str(long_event.path), "export-sign-in-sheet", "--lang", lang, *extra, "-o", str(target)],
                    out=out, err=err)
        assert (code, err.getvalue()) == (0, ""), err.getvalue()
        outputs[name] = " ".join(" ".join(page_texts(target)).split())
    assert title in outputs["list"] and column in outputs["list"] and month in outputs["list"]
    assert signature not in outputs["list"] and re.search(r"\b08:\d\d\b", outputs["list"])
    assert title not in outputs["sheet"] and signature in outputs["sheet"] and not re.search(r"\b\d\d:\d\d\b",
                                                                                            outputs["sheet"])
