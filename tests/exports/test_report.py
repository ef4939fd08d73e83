"""The participation report: its figures against an independent count (Python over the ORM's
rows, with the check-in rule and the time zone worked out here again), its pages' text in
English, Russian and Kazakh, its fonts, and the Excel export's participation sheet holding
the same figures — on the demo and on a 10,000-registration event of three days."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    CheckIn,
    CheckInAction,
    Event,
    Gender,
    Registration,
    Role,
    Status,
)
from desktop.core import formats, vocabulary
from desktop.core.attendee_list import STAGES
from desktop.core.countries import country_name
from desktop.core.language import words as catalog
from desktop.core.participation import report_figures
from desktop.exports.attendees import export_attendees
from desktop.exports.print_common import PrintCancelled, load_event
from desktop.exports.report import STAGE_TABLES, export_report, partner_heading
from tests.exports.big_event import build_big_event
from tests.exports.conftest import LongEvent
from tests.exports.pdf_tools import fonts_of, page_count, page_texts, words

PRINTED = dt.date(2026, 3, 2)


# -- the independent count -------------------------------------------------------------------

def independent(database: Database, event_id: int) -> dict[str, Any]:
    """The report's figures counted in Python from ORM objects, nothing shared with core."""
    with database.read() as s:
        event = s.get(Event, event_id)
        assert event is not None
        zone = ZoneInfo(event.timezone)
        regs = list(s.scalars(select(Registration).where(Registration.event_id == event_id)))
        rows: dict[int, list[CheckIn]] = {}
        for row in s.scalars(select(CheckIn).join(Registration).where(Registration.event_id == event_id)):
            rows.setdefault(row.registration_id, []).append(row)
        undone = {r.undoes for rs in rows.values() for r in rs if r.action == CheckInAction.UNDO}
        stages: dict[str, Counter[Any]] = {stage: Counter() for stage in STAGES}
        orgs: dict[str, set[int]] = {"registered": set(), "attended": set()}
        countries: dict[str, Counter[Any]] = {"registered": Counter(), "attended": Counter()}
        days: dict[dt.date, set[int]] = {}
        for reg in regs:
            effective = sorted((r for r in rows.get(reg.id, []) if r.action != CheckInAction.UNDO
                                and r.uuid not in undone), key=lambda r: (r.happened_at, r.id))
            is_in = bool(effective) and effective[-1].action == CheckInAction.IN
            for r in effective:
                if r.action == CheckInAction.IN:
                    days.setdefault(r.happened_at.astimezone(zone).date(), set()).add(reg.id)
            person = reg.person
            org = person.organisation
            key = (org.sector if org else None, person.gender)
            reached = ["invited"]
            if reg.status in (Status.REGISTERED, Status.CONFIRMED) or is_in:
                reached.append("registered")
            if reg.status == Status.CONFIRMED or is_in:
                reached.append("confirmed")
            if is_in:
                reached.append("attended")
            for stage in reached:
                stages[stage][key] += 1
            country = person.country or (org.country if org else None)
            for stage in ("registered", "attended"):
                if stage in reached:
                    countries[stage][country] += 1
                    if org is not None:
                        orgs[stage].add(org.id)
        podium: dict[Any, set[int]] = {}
        genders: dict[int, Gender] = {}
        sessions = {x.id for x in s.scalars(select(AgendaSession).where(AgendaSession.event_id == event_id))}
        items = {x.id for x in s.scalars(select(AgendaItem).where(AgendaItem.event_id == event_id))}
        for role in s.scalars(select(Role)):
            if role.session_id in sessions or role.item_id in items:
                podium.setdefault(role.kind, set()).add(role.person_id)
                genders[role.person_id] = role.person.gender
        return {
            "stages": stages, "orgs": {k: len(v) for k, v in orgs.items()}, "countries": countries,
            "days": {d: len(ids) for d, ids in days.items()},
            "podium": {k: Counter(genders[p] for p in ids) for k, ids in podium.items()},
            "podium_people": Counter(genders.values()),
        }


def check_figures(database: Database, event_id: int) -> None:
    expected = independent(database, event_id)
    with database.read() as s:
        figures = report_figures(s, event_id)
    for stage in STAGES:
        got = {k: n for k, n in figures.participation.by_stage[stage].items() if n}
        assert got == dict(expected["stages"][stage]), stage
    assert figures.organisation_count("registered") == expected["orgs"]["registered"]
    assert figures.organisation_count("attended") == expected["orgs"]["attended"]
    for c in figures.countries:
        assert c.registered == expected["countries"]["registered"][c.code]
        assert c.attended == expected["countries"]["attended"][c.code]
    assert sum(c.registered for c in figures.countries) == sum(expected["countries"]["registered"].values())
    assert {d: n for d, n in figures.days if n} == expected["days"]
    assert {k: {g: n for g, n in v.items() if n} for k, v in figures.podium.items()} == {
        k: dict(v) for k, v in expected["podium"].items()}
    assert {g: n for g, n in figures.podium_people.items() if n} == dict(expected["podium_people"])


def test_figures_of_the_demo_match_an_independent_count(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    check_figures(database, event_id)
    with database.read() as s:
        figures = report_figures(s, event_id)
    # The demo: 120 registrations, 24 checked in on its one day, 7 people on the podium.
    assert figures.participation.stage_total("invited") == 120
    assert figures.days == [(dt.date(2025, 2, 28), 24)]
    assert sum(figures.podium_people.values()) >= 7


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from db.engine import open_database

    database = open_database(tmp_path_factory.mktemp("big") / "big.sqlite")
    event_id = build_big_event(database)
    yield database, event_id
    database.close()


def test_figures_of_10000_registrations_match_an_independent_count(big: tuple[Database, int]) -> None:
    database, event_id = big
    check_figures(database, event_id)
    with database.read() as s:
        figures = report_figures(s, event_id)
    assert figures.participation.registered == 10_000 and figures.multi_day
    assert [d for d, _n in figures.days] == [dt.date(2025, 3, 3), dt.date(2025, 3, 4), dt.date(2025, 3, 5)]


def test_days_follow_the_time_zone_across_a_daylight_saving_change(demo: tuple[Database, int]) -> None:
    """Berlin moves its clocks on 30 March 2025 at 01:00 UTC: arrivals a minute either side of
    local midnight are counted on the right day, before and after the change."""
    import uuid

    database, event_id = demo
    zone = ZoneInfo("Europe/Berlin")
    local_times = [dt.datetime(2025, 3, 29, 23, 59), dt.datetime(2025, 3, 30, 0, 1),
                   dt.datetime(2025, 3, 30, 23, 59), dt.datetime(2025, 3, 31, 0, 1)]
    with database.write() as s:
        event = s.get(Event, event_id)
        assert event is not None
        event.timezone, event.starts_on, event.ends_on = "Europe/Berlin", dt.date(2025, 3, 29), dt.date(2025, 3, 31)
        regs = list(s.scalars(select(Registration).where(Registration.event_id == event_id,
                                                          Registration.id.not_in(
                                                              select(CheckIn.registration_id))).limit(4)))
        for reg, local in zip(regs, local_times):
            s.add(CheckIn(uuid=uuid.uuid4(), registration=reg, desk="D", action=CheckInAction.IN,
                          happened_at=local.replace(tzinfo=zone).astimezone(dt.UTC)))
    with database.read() as s:
        days = dict(report_figures(s, event_id).days)
    assert days[dt.date(2025, 3, 29)] == 1
    assert days[dt.date(2025, 3, 30)] == 2
    assert days[dt.date(2025, 3, 31)] == 1
    check_figures(database, event_id)


# -- the pages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_pages_say_the_figures_in_their_language(demo: tuple[Database, int], tmp_path: Path, lang: str) -> None:
    database, event_id = demo
    path = tmp_path / f"report-{lang}.pdf"
    result = export_report(database, path, event_id, lang=lang, printed=PRINTED)
    texts = page_texts(path)
    assert result.pages == page_count(path) == len(texts) >= 2
    with database.read() as s:
        figures = report_figures(s, event_id)
    whole = "\n".join(texts)
    lines = whole.splitlines()
    page_word = {"en": "Page {n} of {m}", "ru": "Страница {n} из {m}", "kk": "{m} беттің {n}-беті"}[lang]
    for n, page in enumerate(texts, start=1):
        assert page_word.format(n=n, m=len(texts)) in page
        assert formats.date(PRINTED, lang) in page
    first = texts[0]
    assert {"en": "PARTICIPATION REPORT", "ru": "ОТЧЁТ ОБ УЧАСТИИ", "kk": "ҚАТЫСУ ТУРАЛЫ ЕСЕП"}[lang] in first
    # The organisers and funders in the header, under the programme's headings.
    with database.read() as s:
        event = load_event(s, event_id, lang)
    assert event.partners
    flat = " ".join(first.split())
    for partner in event.partners:
        assert partner_heading(partner.role, lang).upper() in flat and " ".join(partner.name.split()) in flat
    # Every stage's table by sector, row by row.
    for stage in STAGES:
        table = figures.participation.by_stage[stage]
        for sector in figures.participation.sectors():
            counts = [table.get((sector, g), 0) for g in (Gender.FEMALE, Gender.MALE, Gender.NOT_STATED)]
            assert has_row(lines, [vocabulary.sector(sector, lang), *map(str, counts), str(sum(counts))]), (
                stage, sector)
    # The podium, the countries, the day.
    assert vocabulary.role("speaker", lang, several=True) in whole
    assert country_name("KZ", lang) in whole
    # The day's date as written, its no-break spaces kept ("2025\u202fг." is one word to a line).
    # A cell begins with a capital: "Пятница, 28 февраля 2025 г.", not "пятница, …".
    full = formats.date(dt.date(2025, 2, 28), lang, "full")
    assert full[:1].upper() + full[1:] in whole
    if full[:1].isalpha():
        assert not any(line.startswith(full[:1].lower() + full[1:12]) for line in lines)
    assert event.dates in first  # the header's dates, "28 февраля 2025\u202fг."
    # The organisations' table's heading "Registered" whole, never broken between syllables.
    registered = catalog(lang).p_("participation stage", "Registered")
    assert any(registered in line.split() for line in lines)
    assert not any(line.endswith("-") and registered.startswith(line.split()[-1][:-1]) for line in lines)
    assert fonts_of(path) and all(fonts_of(path).values())  # every font embedded: no Helvetica
    if lang != "en":
        from tests.exports.test_printed_languages import english_in

        assert not english_in(whole)


MM = 72 / 25.4


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_header_groups_partners_by_role_each_logo_beside_its_own_name(long_event: LongEvent, tmp_path: Path,
                                                                           lang: str) -> None:
    """The long-name event: an organiser and a co-organiser with logos, two funders and a partner
    without. Each logo lies left of its own organisation's name, level with it (its centre within
    the name's lines); in a column every name starts at the same place, logo or not."""
    import pdfplumber

    path = tmp_path / "report.pdf"
    export_report(long_event.database, path, long_event.event_id, lang=lang, printed=PRINTED)
    with long_event.database.read() as s:
        event = load_event(s, long_event.event_id, lang, with_logos=True)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        images = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
        width = float(page.width)
    with_logos = [p for p in event.partners if p.logo]
    assert len(with_logos) == 2 and len(images) == len(with_logos)
    flat = " ".join(page_texts(path)[0].split())
    for role in {p.role for p in event.partners}:
        assert partner_heading(role, lang).upper() in flat
    page_words = words(path)[0]
    starts: dict[bool, set[float]] = {True: set(), False: set()}  # by column (right half?): names' left edges
    for partner in event.partners:
        wanted = partner.name.split()
        # The name's words in reading order within its half of the page.
        found = None
        for right in (False, True):
            half = [w for w in page_words if (w.x0 > width / 2) == right]
            texts = [w.text for w in half]
            for k in range(len(half) - len(wanted) + 1):
                if texts[k:k + len(wanted)] == wanted and (k == 0 or half[k - 1].bottom < half[k].top):
                    found = (right, half[k:k + len(wanted)])
            if found:
                break
        assert found is not None, partner.name
        right, name = found
        top, bottom, left = min(w.top for w in name), max(w.bottom for w in name), min(w.x0 for w in name)
        starts[right].add(round(left, 1))
        if partner.logo:
            beside = [i for i in images if i[2] < left <= i[2] + 12 * MM and top <= (i[1] + i[3]) / 2 <= bottom]
            assert len(beside) == 1, (partner.name, images, (left, top, bottom))
    assert all(len(xs) == 1 for xs in starts.values()), starts


def has_row(lines: list[str], cells: list[str]) -> bool:
    """Whether ``cells`` follow each other as lines of the page's text (one cell a line)."""
    n = len(cells)
    return any(lines[k:k + n] == cells for k in range(len(lines) - n + 1))


def test_cancelling_leaves_no_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    folder = tmp_path / "out"
    folder.mkdir()
    calls: list[int] = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < 2

    with pytest.raises(PrintCancelled):
        export_report(database, folder / "report.pdf", event_id, progress=progress)
    assert list(folder.iterdir()) == [] and calls[-1] == 2


def test_an_event_with_nobody_still_prints(database: Database, tmp_path: Path) -> None:
    with database.write() as s:
        event = Event(title={"en": "Empty"}, starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 5, 2))
        s.add(event)
        s.flush()
        event_id = event.id
    result = export_report(database, tmp_path / "empty.pdf", event_id)
    text = "\n".join(page_texts(result.path))
    assert "The agenda names nobody as a speaker or moderator yet." in text and result.items == 0


# -- the report and the workbook agree ----------------------------------------------------------

def sheet_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The participation sheet's tables by heading: their rows up to the next empty one."""
    rows = list(openpyxl.load_workbook(path).worksheets[1].iter_rows(values_only=True))
    tables: dict[str, list[tuple[Any, ...]]] = {}
    current: list[tuple[Any, ...]] | None = None
    for row in rows:
        if not any(v is not None for v in row):
            current = None
            continue
        if current is None:
            current = tables.setdefault(str(row[0]), [])
            continue
        current.append(row)
    return tables


def assert_they_agree(database: Database, event_id: int, folder: Path) -> None:
    xlsx, pdf = folder / "list.xlsx", folder / "report.pdf"
    export_attendees(database, xlsx, event_id, ("name", "organisation"))
    export_report(database, pdf, event_id, printed=PRINTED)
    tables = sheet_tables(xlsx)
    lines = "\n".join(page_texts(pdf)).splitlines()

    def printed(value: Any, share: bool = False) -> str:
        if share:  # women's share: a fraction (1.0 reads back as 1), or empty with nobody
            return "—" if value is None else formats.percent(float(value), "en")
        if isinstance(value, int):
            return formats.number(value, "en")
        if isinstance(value, dt.datetime):  # a day (openpyxl reads dates back as datetimes)
            return formats.date(value.date(), "en", "full").replace("\u202f", " ")
        return str(value)

    checked = 0
    for stage in STAGES:
        rows = tables[STAGE_TABLES[stage]]
        assert rows[0][:2] == ("Sector", "Women")
        for row in rows[1:]:
            assert has_row(lines, [printed(v, k == 5) for k, v in enumerate(row[:6])]), (stage, row)
            checked += 1
    for heading in ("On the podium: speakers, moderators and other roles, by gender",
                    "Organisations and countries represented", "Attendance by day"):
        for row in tables[heading][1:]:
            if row[0] in ("Organisations by sector", "People by country"):
                continue  # a table's header row inside the section
            gender_table = heading.startswith("On the podium")
            width = 6 if gender_table else len([v for v in row if v is not None])
            cells = [printed(v, gender_table and k == 5) for k, v in enumerate(row[:width])]
            assert has_row(lines, cells), (heading, row)
            checked += 1
    assert checked > 30


def test_the_report_and_the_workbook_agree_on_the_demo(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    assert_they_agree(database, event_id, tmp_path)


def test_the_report_and_the_workbook_agree_at_10000_registrations(big: tuple[Database, int],
                                                                  tmp_path: Path) -> None:
    database, event_id = big
    assert_they_agree(database, event_id, tmp_path)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_names_without_logos_stand_one_under_the_other_from_the_top(long_event: LongEvent, tmp_path: Path,
                                                                    lang: str) -> None:
    """The long-name event's funders and partner have no logo: no logo's room is left around
    their names (a one-line name was centred in it, lower than the name beside it, with a gap
    above it)."""
    path = tmp_path / "report.pdf"
    export_report(long_event.database, path, long_event.event_id, lang=lang, printed=PRINTED)
    with long_event.database.read() as s:
        event = load_event(s, long_event.event_id, lang, with_logos=True)
    funders = [p for p in event.partners if p.role == "funder"]
    partners = [p for p in event.partners if p.role == "partner"]
    assert len(funders) == 2 and len(partners) == 1 and not any(p.logo for p in funders + partners)
    page_words = words(path)[0]

    def first_and_last_line(name: str) -> tuple[float, float]:
        first, last = name.split()[0], name.split()[-1]
        tops = [w.top for w in page_words if w.text == first]
        bottoms = [w.bottom for w in page_words if w.text == last and any(w.top >= t for t in tops)]
        assert tops and bottoms, name
        return min(tops), max(bottoms)

    funder_top, funder_bottom = first_and_last_line(funders[0].name)
    second_top, _bottom = first_and_last_line(funders[1].name)
    partner_top, _bottom = first_and_last_line(partners[0].name)
    assert partner_top == pytest.approx(funder_top, abs=1.0)  # side by side, level at the top
    assert second_top - funder_bottom < 8.6  # the next name follows at about a line's distance
