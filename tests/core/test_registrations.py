"""The registration list: search in every script, filters, sorts and windows — all done by
the database — on SQLite and on PostgreSQL, which must find the same rows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Category, CheckIn, Registration, Sector, Status
from desktop.core.checkin import check_ins_of, checked_in_count, checked_in_subquery, participation
from desktop.core.collation import ensure_sort_keys, name_key
from desktop.core.registration_edit import find_people
from desktop.core.registrations import (
    RegistrationFilter,
    RegistrationRow,
    RegistrationSort,
    SortColumn,
    count_matching,
    find_registrations,
    iter_registrations,
    registration_ids,
    registration_rows,
    rows_for_ids,
)
from tests.core.registration_data import CHECKED_IN, ORGANISATIONS, PEOPLE, Sample, build

EVERYONE = set(PEOPLE)


@pytest.fixture
def sample(database: Database) -> Sample:
    made = build(database)  # by the ORM: no sort keys yet (a writer outside core)
    ensure_sort_keys(database)  # what the Registrations window does when it reads the list
    return made


def keys_found(database: Database, sample: Sample, flt: RegistrationFilter) -> set[str]:
    with database.read() as s:
        return set(sample.keys(registration_ids(s, sample.event_id, flt)))


# -- search ---------------------------------------------------------------------------------

SEARCHES: list[tuple[str, set[str]]] = [
    # Kazakh and Russian, any case, a word's beginning
    ("сәрс", {"sarsenbayeva", "sarsenbayev"}),
    ("СӘРС", {"sarsenbayeva", "sarsenbayev"}),
    ("Сәрсенбаева", {"sarsenbayeva"}),
    ("ахмет", {"akhmetova", "akhmetov"}),          # not Ахметжанова: not registered for this event
    ("АХМЕТОВА", {"akhmetova"}),
    ("серікқызы", {"akhmetova"}),                  # the patronymic
    ("енбаева", set()),                            # inside a word: no
    ("айгерим", set()),                            # Kazakh і is a letter of its own, not и
    ("айгерім", {"sarsenbayeva"}),
    # Latin with diacritics: with or without them
    ("wiśniewska", {"wisniewska"}),
    ("Wisniewska", {"wisniewska"}),
    ("WIŚNIEWSK", {"wisniewska", "wisniewski"}),
    ("malgorzata", set()),                         # ł is a letter of its own (as in SQLite)
    ("małgorzata", {"wisniewska"}),
    ("yılmaz", {"yilmaz"}),
    ("ayse", {"yilmaz"}),                          # ş → s
    ("sean", {"oneill"}),                          # á → a
    # Cyrillic й and ё are letters of their own too
    ("сергей", {"ivanov"}),
    ("сергеи", set()),
    ("алёна", {"petrova"}),
    # every word must match, in any field
    ("сәрс айгерім", {"sarsenbayeva"}),
    ("сәрс жоғарғы", {"sarsenbayeva", "sarsenbayev"}),   # the organisation in Kazakh
    ("верховный сәрс", {"sarsenbayeva", "sarsenbayev"}),
    ("ахметова жоғарғы", set()),
    ("обсе", {"akhmetova", "oneill"}),                    # a short name in Russian
    ("osce programme", {"akhmetova", "oneill"}),
    ("sc", {"sarsenbayeva", "sarsenbayev", "zhienbayev"}),
    # display names, e-mails, punctuation
    ("yerzhan", {"zhienbayev"}),
    ("zhienbayev ержан", {"zhienbayev"}),
    ("sarsenbayeva@court", {"sarsenbayeva"}),
    ("uj.edu", {"wisniewska"}),
    ("o'neill", {"oneill"}),
    ("walker", {"oneill"}),
    ("neill-walker", {"oneill"}),
    # badge codes, typed alone
    ("K7Q2MX", {"sarsenbayeva"}),
    ("k7q2", {"sarsenbayeva"}),
    ("K7Q-2MX", {"sarsenbayeva"}),
    ("k7q", set()),                                # too short for a code, and no such word
    # nothing to search for
    ("", EVERYONE),
    ("  -- ", EVERYONE),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q or "empty" for q, _ in SEARCHES])
def test_search(database: Database, sample: Sample, query: str, expected: set[str]) -> None:
    """The text as typed (``exact``); what else it may mean is found too without it
    (tests/core/test_registration_meant.py), never less."""
    exact = RegistrationFilter(search=query, exact=True)
    assert keys_found(database, sample, exact) == expected
    with database.read() as s:
        assert count_matching(s, sample.event_id, exact) == len(expected)
    assert keys_found(database, sample, RegistrationFilter(search=query)) >= expected


def test_search_keeps_to_the_event(database: Database, sample: Sample) -> None:
    with database.read() as s:
        other = registration_ids(s, sample.other_event_id, RegistrationFilter(search="ахмет"))
        code = registration_ids(s, sample.other_event_id, RegistrationFilter(search="K7Q2MX"))
    assert len(other) == 2 and len(code) == 1
    assert not set(other) & set(sample.ids.values())


def test_search_follows_edits_of_people_and_organisations(database: Database, sample: Sample) -> None:
    """The index is kept by triggers: plain SQL writes, like the import's, keep it right."""
    from db.models import Organisation, Person

    with database.write() as s:
        s.get(Person, sample.person_ids["ivanov"]).family_name = "Дүйсенов"
        s.get(Organisation, sample.org_ids["uni"]).name = {"en": "Kraków Academy"}
    assert keys_found(database, sample, RegistrationFilter(search="иванов")) == set()
    assert keys_found(database, sample, RegistrationFilter(search="дүйсен")) == {"ivanov"}
    assert keys_found(database, sample, RegistrationFilter(search="krakow")) == {"wisniewska", "wisniewski"}
    assert keys_found(database, sample, RegistrationFilter(search="jagiellonian")) == set()


# -- filters ---------------------------------------------------------------------------------


def _expected(**fields: object) -> set[str]:
    index = {"status": 6, "category": 7}
    return {k for k, p in PEOPLE.items() if all(p[index[f]] in v for f, v in fields.items())}  # type: ignore[operator]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (RegistrationFilter(statuses=frozenset({Status.CONFIRMED})), _expected(status={Status.CONFIRMED})),
        (RegistrationFilter(statuses=frozenset({Status.DECLINED, Status.CANCELLED})), {"petrova", "wisniewski"}),
        (RegistrationFilter(categories=frozenset({Category.SPEAKER})), _expected(category={Category.SPEAKER})),
        (RegistrationFilter(sectors=frozenset({Sector.JUDICIARY})), {"sarsenbayeva", "sarsenbayev", "zhienbayev"}),
        (RegistrationFilter(sectors=frozenset({None})), {"akhmetov", "yilmaz"}),
        (RegistrationFilter(sectors=frozenset({None, Sector.MEDIA})), {"akhmetov", "yilmaz", "ivanov", "petrova"}),
        (RegistrationFilter(checked_in=True), set(CHECKED_IN)),
        (RegistrationFilter(checked_in=False), EVERYONE - set(CHECKED_IN)),
        (RegistrationFilter(search="сәрс", checked_in=True), {"sarsenbayeva", "sarsenbayev"}),
        (RegistrationFilter(search="сәрс", statuses=frozenset({Status.REGISTERED})), {"sarsenbayev"}),
        (RegistrationFilter(search="k7q2", checked_in=False), set()),
        (RegistrationFilter(statuses=frozenset({Status.CONFIRMED}), categories=frozenset({Category.SPEAKER}),
                            sectors=frozenset({Sector.ACADEMIA}), checked_in=True), {"wisniewska"}),
    ],
    ids=["confirmed", "declined-cancelled", "speakers", "judiciary", "no-organisation", "media-or-none",
         "checked-in", "not-checked-in", "search-and-checked-in", "search-and-status", "code-not-in", "all-four"],
)
def test_filters(database: Database, sample: Sample, flt: RegistrationFilter, expected: set[str]) -> None:
    assert keys_found(database, sample, flt) == expected
    with database.read() as s:
        assert count_matching(s, sample.event_id, flt) == len(expected)
    assert flt.is_everyone is False


def test_an_empty_filter_is_everyone() -> None:
    assert RegistrationFilter().is_everyone and RegistrationFilter(search=" ; ").is_everyone
    assert not RegistrationFilter(search="k7q2").is_everyone


# -- check-in state --------------------------------------------------------------------------


def test_check_in_state_agrees_with_the_desk_rule(database: Database, sample: Sample) -> None:
    """IN, OUT and UNDO rows: the list's reading agrees with ``desktop.core.checkin``."""
    with database.read() as s:
        arrivals = check_ins_of(s, list(sample.ids.values()))
        by_rule = {rid: at for rid, at, _desk in s.execute(select(checked_in_subquery(sample.event_id)))}
        assert checked_in_count(s, sample.event_id) == len(CHECKED_IN)
        rows = {r.id: r for r in rows_for_ids(s, list(sample.ids.values()))}
        listed = {r.id: r.checked_in_at for r in registration_rows(s, sample.event_id) if r.checked_in_at}
        figures = participation(s, sample.event_id)
    assert {sample.key_of(rid): at for rid, (at, _desk) in arrivals.items()} == CHECKED_IN
    assert set(by_rule) == set(arrivals) == set(listed)
    assert listed == {rid: at for rid, (at, _desk) in arrivals.items()}
    assert figures.checked_in == len(by_rule)
    for rid, row in rows.items():
        assert row.checked_in_at == CHECKED_IN.get(sample.key_of(rid))
        assert (row.desk == "Desk 1") == (row.checked_in_at is not None)


def test_check_in_state_of_one_registration_read_alone(database: Database, sample: Sample) -> None:
    """One id (a badge code found) is read by its own statement: the same state, through
    the light read path the table uses too."""
    with database.read_raw() as read:
        alone = {rid: rows_for_ids(read, [rid])[0] for rid in sample.ids.values()}
    for rid, row in alone.items():
        assert row.checked_in_at == CHECKED_IN.get(sample.key_of(rid))
        assert (row.desk == "Desk 1") == (row.checked_in_at is not None)
    assert any(row.checked_in_at for row in alone.values())


def test_rows_agree_with_registration_rows(database: Database, sample: Sample) -> None:
    """The existing simple list and the new windows show the same rows in the same order."""
    with database.read() as s:
        simple = registration_rows(s, sample.event_id, "ru")
        page = find_registrations(s, sample.event_id, limit=100, lang="ru")
    assert page.rows == simple and page.total == len(PEOPLE)


# -- sorting ---------------------------------------------------------------------------------


def _name_key(key: str) -> bytes:
    """The person's place in the English list: by surname in the English alphabet (Latin
    first), the display name's for Zhienbayev ("Yerzhan Zhienbayev")."""
    given, family, patronymic, display = PEOPLE[key][:4]
    return name_key(given, family, patronymic, display, "en")


def _org_en(key: str) -> str | None:
    org = PEOPLE[key][5]
    return ORGANISATIONS[org][0]["en"] if org else None


def _sort_value(column: SortColumn, key: str) -> object:
    p = PEOPLE[key]
    org = p[5]
    return {
        SortColumn.NAME: None,
        SortColumn.CODE: p[8],
        SortColumn.STATUS: list(Status).index(p[6]),
        SortColumn.CATEGORY: list(Category).index(p[7]),
        SortColumn.SECTOR: ORGANISATIONS[org][2].value if org else None,
        SortColumn.ORGANISATION: _org_en(key),
        SortColumn.CHECKED_IN: CHECKED_IN.get(key),
    }[column]


def expected_order(sample: Sample, column: SortColumn, descending: bool) -> list[str]:
    """The order the database must give: the column (empty values last, either way), then
    the name (family, given) ascending; by name alone, all reversed when descending."""
    keys = sorted(PEOPLE, key=lambda k: (_name_key(k), sample.ids[k]))
    if column is SortColumn.NAME:
        return keys[::-1] if descending else keys
    filled = [k for k in keys if _sort_value(column, k) is not None]
    empty = [k for k in keys if _sort_value(column, k) is None]
    filled.sort(key=lambda k: _sort_value(column, k), reverse=descending)  # stable: names stay ascending
    return filled + empty


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", list(SortColumn), ids=[c.value for c in SortColumn])
def test_sort_in_the_database(database: Database, sample: Sample, column: SortColumn, descending: bool) -> None:
    sort = RegistrationSort(column, descending)
    with database.read() as s:
        ids = registration_ids(s, sample.event_id, sort=sort)
        page = find_registrations(s, sample.event_id, sort=sort, limit=100)
    assert sample.keys(ids) == expected_order(sample, column, descending)
    assert [r.id for r in page.rows] == ids


def test_sort_by_organisation_follows_the_language(database: Database, sample: Sample) -> None:
    with database.read() as s:
        ru = sample.keys(registration_ids(s, sample.event_id, sort=RegistrationSort(SortColumn.ORGANISATION),
                                          lang="ru"))
    # In Russian: Kazinform (no Russian name: English stands in), Верховный суд, Офис программ ОБСЕ,
    # Ягеллонский университет; then the people without an organisation.
    orgs = [PEOPLE[k][5] for k in ru]
    assert orgs == ["media"] * 2 + ["court"] * 3 + ["osce"] * 2 + ["uni"] * 2 + [None] * 2


# -- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3, 4, 11, 50])
def test_windows_add_up_to_the_list(database: Database, sample: Sample, size: int) -> None:
    sort = RegistrationSort(SortColumn.STATUS, True)
    with database.read() as s:
        whole = registration_ids(s, sample.event_id, sort=sort)
        seen = []
        for offset in range(0, len(whole) + size, size):
            page = find_registrations(s, sample.event_id, sort=sort, offset=offset, limit=size)
            assert page.total == len(whole) and page.offset == offset
            assert len(page.rows) == max(0, min(size, len(whole) - offset))
            seen.extend(r.id for r in page.rows)
    assert seen == whole


def test_a_window_beyond_the_end_is_empty_with_the_count(database: Database, sample: Sample) -> None:
    with database.read() as s:
        page = find_registrations(s, sample.event_id, RegistrationFilter(search="сәрс"), offset=5, limit=10)
        known = find_registrations(s, sample.event_id, offset=2, limit=2, total=999)
    assert page.rows == [] and page.total == 2
    assert known.total == 999 and len(known.rows) == 2  # a count the caller knows is not asked again


def test_rows_for_ids_keeps_the_order_and_skips_the_missing(database: Database, sample: Sample) -> None:
    wanted = [sample.ids["yilmaz"], 999_999, sample.ids["akhmetov"], sample.ids["sarsenbayeva"]]
    with database.read() as s:
        rows = rows_for_ids(s, wanted, "en")
    assert [r.id for r in rows] == [wanted[0], wanted[2], wanted[3]]
    assert rows[2].name == "Айгерім Сәрсенбаева" and rows[2].organisation == "Supreme Court"
    assert rows[1].organisation == "" and rows[1].sector is None


def test_iter_registrations_reads_in_chunks_in_order(database: Database, sample: Sample) -> None:
    with database.read() as s:
        chunked = [r.id for r in iter_registrations(s, sample.event_id, chunk=2)]
        whole = registration_ids(s, sample.event_id)
    assert chunked == whole


def test_display_names_in_the_chosen_language(database: Database, sample: Sample) -> None:
    with database.read() as s:
        en = {r.id: r.name for r in rows_for_ids(s, [sample.ids["zhienbayev"]], "en")}
        ru = {r.id: r.name for r in rows_for_ids(s, [sample.ids["zhienbayev"]], "ru")}
    assert en == {sample.ids["zhienbayev"]: "Yerzhan Zhienbayev"}
    # No Russian display name: the name fields, as Russian lists write them (surname first).
    assert ru == {sample.ids["zhienbayev"]: "Жиенбаев Ержан"}


# -- the roster, for the Register dialog ---------------------------------------------------


def test_find_people_searches_the_whole_roster(database: Database, sample: Sample) -> None:
    with database.read() as s:
        found = find_people(s, "ахмет", sample.event_id)
        everyone = find_people(s, "", sample.event_id, limit=100)
        two = find_people(s, "", limit=2)
    # By family name, then given name: Ахметжанова, Ахметов, Ахметова.
    assert [p.name for p in found] == ["Асель Ахметжанова", "Серік Ахметов", "Жанар Ахметова"]
    codes = {p.name: p.registered_code for p in found}
    assert codes["Асель Ахметжанова"] is None          # registered for the other event only
    assert codes["Жанар Ахметова"] == "ZZ9YX8"
    assert len(everyone) == len(PEOPLE) + 1 and len(two) == 2
    assert [p.name for p in found] == [p.name for p in everyone if p.name in codes]  # roster order


def test_results_are_plain_rows_not_orm_objects(database: Database, sample: Sample) -> None:
    with database.read() as s:
        page = find_registrations(s, sample.event_id, limit=3)
        assert not s.identity_map  # nothing was loaded as an object
    assert all(type(r).__name__ == "RegistrationRow" for r in page.rows)
    assert all(isinstance(r.checked_in_at, dt.datetime | type(None)) for r in page.rows)


def test_rows_are_whole_frozen_registration_rows(database: Database, sample: Sample) -> None:
    """The list makes its rows without calling the dataclass (faster): they must be the same."""
    names = [f.name for f in dataclasses.fields(RegistrationRow)]
    with database.read() as s:
        rows = find_registrations(s, sample.event_id, limit=100).rows
    assert rows
    for row in rows:
        assert list(vars(row)) == names
        assert row == RegistrationRow(**{n: getattr(row, n) for n in names})
        assert hash(row) == hash(RegistrationRow(**{n: getattr(row, n) for n in names}))
        with pytest.raises(dataclasses.FrozenInstanceError):
            row.name = "changed"  # type: ignore[misc]


def test_a_failing_query_raises_sqlalchemys_error(database: Database) -> None:
    """The list runs compiled SQL on the driver's cursor; a failure still comes as
    SQLAlchemy's ``DBAPIError`` (what the window catches), never the driver's own."""
    from sqlalchemy.exc import DBAPIError

    from desktop.core.raw import fetch

    with database.read() as s, pytest.raises(DBAPIError):
        fetch(s.connection(), "SELECT nothing FROM no_such_table", {})


def test_undo_rows_of_another_registration_are_not_confused(database: Database, sample: Sample) -> None:
    """An UNDO row counts for the registration it belongs to (the desk writes it so)."""
    with database.read() as s:
        rows = s.execute(select(CheckIn.registration_id, CheckIn.action).where(
            CheckIn.registration_id == sample.ids["zhienbayev"])).all()
        assert len(rows) == 2
        reg = s.get(Registration, sample.ids["zhienbayev"])
        assert reg is not None and reg.event_id == sample.event_id
