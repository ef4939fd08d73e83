"""The attendee list for exports: columns, filters, chunks and figures, on each backend.

Expected values come from the other core queries (``registration_rows``,
``participation``) or straight from the ORM, so these tests check the streaming query
against an independent path rather than against numbers copied from the demo.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Event, Gender, Organisation, Person, Registration, Sector, Status
from desktop.core import vocabulary
from desktop.core.attendee_list import (
    CATALOGUE,
    COLUMNS,
    CONTACT_COLUMNS,
    DEFAULT_COLUMNS,
    AttendeeFilter,
    UnknownColumn,
    attendee_chunks,
    count_attendees,
    parse_columns,
    participation_figures,
)
from desktop.core.checkin import participation
from desktop.core.collation import name_key
from desktop.core.registrations import registration_rows

ALL = tuple(c.key for c in CATALOGUE)


def rows(database: Database, event_id: int, columns=DEFAULT_COLUMNS, flt=AttendeeFilter(), lang="en",
         chunk_size: int = 2000) -> list[tuple]:
    with database.read() as s:
        return [r for chunk in attendee_chunks(s, event_id, columns, flt, lang, chunk_size=chunk_size) for r in chunk]


def codes(database: Database, event_id: int, flt: AttendeeFilter) -> list[str]:
    return [r[0] for r in rows(database, event_id, ("code",), flt)]


# -- the catalogue -------------------------------------------------------------------------------

def test_the_command_line_lists_the_columns_without_loading_the_exporter() -> None:
    """``export-attendees --help`` names the columns from the light catalogue module: building
    the parser (every start, the GUI's too) loads neither the attendee list nor openpyxl."""
    import subprocess
    import sys
    from pathlib import Path

    import desktop.core.attendee_columns as light
    import desktop.core.attendee_list as full

    assert full.COLUMNS is light.COLUMNS and full.parse_columns is light.parse_columns
    probe = ("import sys, desktop.cli\n"
             "text = desktop.cli.build_parser().format_help()\n"
             "print(sorted(m for m in sys.modules if m in ('desktop.core.attendee_list', 'openpyxl')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]", done.stdout + done.stderr

def test_catalogue_has_what_the_issue_lists() -> None:
    assert set(ALL) == {
        "name", "family_name", "given_name", "patronymic", "organisation", "position", "sector", "country",
        "category", "status", "code", "email", "phone", "gender", "registered_at", "checked_in", "desk",
        "interpretation", "dietary", "accessibility", "photo_consent", "notes",
    }
    for column in CATALOGUE:
        # Every header is translated: Russian and Kazakh from the catalogs, never the English.
        assert column.header("en") == column.title
        assert all(column.header(lang) not in ("", column.title) for lang in ("ru", "kk")), column.key


def test_defaults_leave_out_contacts() -> None:
    assert DEFAULT_COLUMNS == ("name", "organisation", "position", "sector", "status")
    assert set(CONTACT_COLUMNS) == {"email", "phone"}
    assert not set(DEFAULT_COLUMNS) & set(CONTACT_COLUMNS)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("name,email", ("name", "email")),
        (" Name , E-MAIL ,name", ("name", "email")),
        ("family-name,given_name", ("family_name", "given_name")),
        (["code", "checked_in"], ("code", "checked_in")),
        ("name,,status,", ("name", "status")),
        ("badge_code, Checked in at", ("code", "checked_in")),
    ],
)
def test_parse_columns(spec, expected) -> None:
    assert parse_columns(spec) == expected


@pytest.mark.parametrize("spec", ["name,foo", "salary", "", " , "])
def test_parse_columns_refuses_unknown_and_lists_the_valid_ones(spec: str) -> None:
    with pytest.raises(UnknownColumn) as info:
        parse_columns(spec)
    message = str(info.value)
    assert "\n" not in message
    assert all(key in message for key in COLUMNS)


# -- rows ----------------------------------------------------------------------------------------

def test_default_rows_have_five_values_and_no_contacts(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    got = rows(database, event_id)
    assert len(got) == 120
    assert all(len(r) == 5 for r in got)
    with database.read() as s:
        emails = set(s.scalars(select(Person.email).where(Person.email.is_not(None))))
    assert emails, "the demo has e-mail addresses to leave out"
    assert not {v for r in got for v in r} & emails


def test_every_column_at_once_matches_the_registrations(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    got = rows(database, event_id, ALL, lang="en")
    reference = {r.code: r for r in registration_rows_of(database, event_id)}
    assert len(got) == len(reference) == 120
    i = {k: ALL.index(k) for k in ALL}
    zone = ZoneInfo("Asia/Almaty")
    for row in got:
        ref = reference[row[i["code"]]]
        # The window's "Marta Dubois" is "Dubois, Marta" in the sheet (sorted there by surname).
        family, comma, given = row[i["name"]].partition(", ")
        assert (f"{given} {family}" if comma else family) == ref.name
        assert row[i["organisation"]] == (ref.organisation or None)
        assert row[i["status"]] == vocabulary.status(ref.status, "en")
        if ref.checked_in_at is None:
            assert row[i["checked_in"]] is None and row[i["desk"]] is None
        else:
            assert row[i["checked_in"]] == ref.checked_in_at.astimezone(zone).replace(tzinfo=None, microsecond=0)
            assert row[i["desk"]] == ref.desk
        assert isinstance(row[i["registered_at"]], dt.datetime) and row[i["registered_at"]].tzinfo is None


def registration_rows_of(database: Database, event_id: int):
    with database.read() as s:
        return registration_rows(s, event_id, "en")


def test_rows_are_by_surname_and_chunks_change_nothing(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    columns = ("family_name", "given_name", "patronymic", "code")
    whole = rows(database, event_id, columns)
    # By surname as the English list shows it (a display name's last word; Latin first, then
    # Cyrillic: desktop.core.collation).
    with database.read() as s:
        display = dict(s.execute(select(Registration.badge_code, Person.display_name)
                                 .join(Person, Person.id == Registration.person_id)).all())
    assert whole == sorted(whole, key=lambda r: name_key(r[1], r[0], r[2], display[r[3]]))
    with database.read() as s:
        chunks = list(attendee_chunks(s, event_id, columns, chunk_size=7))
    assert all(len(c) <= 7 for c in chunks) and len(chunks) == 18
    assert [r for c in chunks for r in c] == whole


def test_names_and_labels_follow_the_language(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as s:
        org = Organisation(name={"en": "Supreme Court", "ru": "Верховный суд", "kk": "Жоғарғы Сот"},
                           sector=Sector.JUDICIARY)
        person = Person(given_name="Әлия", family_name="Сәрсенбаева", patronymic="Ғалымқызы", organisation=org,
                        position={"kk": "Судья"}, display_name={"en": "Aliya Sarsenbayeva"}, gender=Gender.FEMALE)
        s.add(Registration(event_id=event_id, person=person, badge_code="KAZ001", status=Status.CONFIRMED,
                           interpretation="kk", photo_consent=False))
    cols = ("code", "name", "organisation", "position", "sector", "status", "gender", "interpretation",
            "photo_consent", "patronymic")
    found = {}
    for lang in ("en", "ru", "kk"):
        (found[lang],) = [r for r in rows(database, event_id, cols, lang=lang) if r[0] == "KAZ001"]
    assert found["en"][1:] == ("Aliya Sarsenbayeva", "Supreme Court", "Судья", "Judiciary", "Confirmed", "Female",
                               "Kazakh", "No", "Ғалымқызы")
    # Russian and Kazakh lists: surname first, with the patronymic; English: given name first.
    assert found["ru"][1:] == ("Сәрсенбаева Әлия Ғалымқызы", "Верховный суд", "Судья", "Судебная власть",
                               "Подтверждён", "Женский", "казахский", "Нет", "Ғалымқызы")
    assert found["kk"][1:5] == ("Сәрсенбаева Әлия Ғалымқызы", "Жоғарғы Сот", "Судья", "Сот билігі")


# -- filters -------------------------------------------------------------------------------------

def _reference(database: Database, event_id: int, keep) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.code for r in registration_rows_of(database, event_id) if keep(r))


FILTERS = {
    "everyone": (AttendeeFilter(), lambda r: True),
    "confirmed": (AttendeeFilter(statuses=frozenset({Status.CONFIRMED})), lambda r: r.status == Status.CONFIRMED),
    "invited or waitlisted": (
        AttendeeFilter(statuses=frozenset({Status.INVITED, Status.WAITLISTED})),
        lambda r: r.status in (Status.INVITED, Status.WAITLISTED),
    ),
    "judiciary": (AttendeeFilter(sectors=frozenset({Sector.JUDICIARY})), lambda r: r.sector == Sector.JUDICIARY),
    "no organisation": (AttendeeFilter(sectors=frozenset({None})), lambda r: r.sector is None),
    "academia or none": (
        AttendeeFilter(sectors=frozenset({Sector.ACADEMIA, None})), lambda r: r.sector in (Sector.ACADEMIA, None),
    ),
    "checked in": (AttendeeFilter(checked_in=True), lambda r: r.checked_in_at is not None),
    "not checked in": (AttendeeFilter(checked_in=False), lambda r: r.checked_in_at is None),
    "confirmed judiciary not in": (
        AttendeeFilter(statuses=frozenset({Status.CONFIRMED}), sectors=frozenset({Sector.JUDICIARY}),
                       checked_in=False),
        lambda r: r.status == Status.CONFIRMED and r.sector == Sector.JUDICIARY and r.checked_in_at is None,
    ),
    "nobody (media)": (AttendeeFilter(sectors=frozenset({Sector.MEDIA})), lambda r: r.sector == Sector.MEDIA),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters(demo: tuple[Database, int], name: str) -> None:
    database, event_id = demo
    flt, keep = FILTERS[name]
    expected = _reference(database, event_id, keep)
    got = codes(database, event_id, flt)
    assert sorted(got) == expected
    with database.read() as s:
        assert count_attendees(s, event_id, flt) == len(expected)
    if name == "everyone":
        assert len(expected) == 120
    elif name.startswith("nobody"):
        assert expected == []
    else:
        assert 0 < len(expected) < 120, "a filter case that keeps everyone or no one tests nothing"


def test_another_event_is_not_mixed_in(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    from desktop.core.demo import create_demo

    other = create_demo(database)
    with database.write() as s:
        reg = s.scalars(select(Registration).where(Registration.event_id == other)).first()
        assert reg is not None
        reg.notes = "only in the other event"
    assert len(codes(database, event_id, AttendeeFilter())) == 120
    assert len(codes(database, other, AttendeeFilter())) == 120
    assert "only in the other event" not in {r[0] for r in rows(database, event_id, ("notes",))}
    assert "only in the other event" in {r[0] for r in rows(database, other, ("notes",))}
    with database.read() as s:
        assert count_attendees(s, other) == 120


def test_filter_description() -> None:
    assert AttendeeFilter().describe("en") == "all registrations"
    flt = AttendeeFilter(statuses=frozenset({Status.CONFIRMED, Status.INVITED}), sectors=frozenset({None}),
                         checked_in=True)
    assert flt.describe("en") == "Invited, Confirmed; No organisation; checked in"
    assert flt.describe("ru") == "Приглашён, Подтверждён; Без организации; прибывшие"


def test_event_time_zone_is_used(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as s:
        s.get(Event, event_id).timezone = "America/New_York"  # type: ignore[union-attr]
    ref = {r.code: r for r in registration_rows_of(database, event_id) if r.checked_in_at is not None}
    got = rows(database, event_id, ("code", "checked_in"), AttendeeFilter(checked_in=True))
    zone = ZoneInfo("America/New_York")
    assert len(got) == len(ref) > 0
    for code, at in got:
        assert at == ref[code].checked_in_at.astimezone(zone).replace(tzinfo=None, microsecond=0)


# -- figures -------------------------------------------------------------------------------------

def test_participation_figures_match_core(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        mine = participation_figures(s, event_id)
        core = participation(s, event_id)
    assert (mine.registered, mine.expected, mine.checked_in) == (core.registered, core.expected, core.checked_in)
    assert {k: v for k, v in mine.by_status.items() if v} == core.by_status
    assert set(mine.by_status) == set(Status)
    assert mine.expected_by_sector_gender == core.by_sector_gender
    per_sector_in: dict = {}
    for (sector, _gender), n in mine.checked_in_by_sector_gender.items():
        per_sector_in[sector] = per_sector_in.get(sector, 0) + n
    assert {s: n for s, n in per_sector_in.items() if n} == {s: i for s, (_e, i) in core.by_sector.items() if i}
    assert sum(mine.checked_in_by_sector_gender.values()) == core.checked_in == 24
    assert mine.sectors()[-1] is None and mine.sectors()[0] == Sector.JUDICIARY


@pytest.mark.parametrize(
    ("zone", "stored", "local"),
    [
        ("Asia/Almaty", "2025-02-28 03:40:12.345678", dt.datetime(2025, 2, 28, 8, 40, 12)),
        ("Asia/Almaty", "2025-02-28 03:40:12", dt.datetime(2025, 2, 28, 8, 40, 12)),
        ("Asia/Almaty", dt.datetime(2025, 2, 28, 3, 40, 12, 999), dt.datetime(2025, 2, 28, 8, 40, 12)),
        ("Asia/Almaty", dt.datetime(2025, 2, 28, 4, 40, 12, tzinfo=dt.timezone(dt.timedelta(hours=1))),
         dt.datetime(2025, 2, 28, 8, 40, 12)),
        # New York springs forward at 07:00 UTC on 9 March 2025: a minute either side.
        ("America/New_York", "2025-03-09 06:59:30", dt.datetime(2025, 3, 9, 1, 59, 30)),
        ("America/New_York", "2025-03-09 07:00:30", dt.datetime(2025, 3, 9, 3, 0, 30)),
        # St John's (UTC-3:30) changes at 05:30 UTC: offsets change on minutes, not hours.
        ("America/St_Johns", "2025-03-09 05:29:59", dt.datetime(2025, 3, 9, 1, 59, 59)),
        ("America/St_Johns", "2025-03-09 05:30:00", dt.datetime(2025, 3, 9, 3, 0, 0)),
        ("Nowhere/Unknown", "2025-02-28 03:40:12", dt.datetime(2025, 2, 28, 3, 40, 12)),
    ],
)
def test_local_times(zone: str, stored, local: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.attendee_list import LocalTimes, event_zone

    convert = LocalTimes(event_zone(zone))
    assert convert(stored) == local
    assert convert(stored) == local  # again, from the cache
    assert convert(None) is None
