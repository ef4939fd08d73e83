"""The registration list finds what the desk finds: a name typed on the wrong keyboard
layout or spelled in the other alphabet (``desktop.core.name_match``), with the list's
filters, sort and windows still done by the database — on SQLite and on PostgreSQL, with
the people's skeletons made (``person_keys.settle``) and not made yet (found in Python)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert, update

from db.engine import Database
from db.models import Event, Person, Registration, Status
from db.types import utcnow
from desktop.core import person_keys
from desktop.core.desk import desk_matches
from desktop.core.name_match import Layout
from desktop.core.organisations import find_or_create_organisation
from desktop.core.registrations import (
    AlsoFound,
    RegistrationFilter,
    RegistrationSort,
    SortColumn,
    also_found,
    count_matching,
    find_registrations,
    registration_ids,
)

NAMES = [  # (given, family, organisation, status)
    ("Иван", "Иванов", "Верховный суд", Status.CONFIRMED),
    ("Ержан", "Жиенбаев", None, Status.CONFIRMED),
    ("Yerzhan", "Zhienbayev", None, Status.CANCELLED),     # the same name, registered in Latin letters
    ("Әсел", "Сәтбаева", "Қазақ университеті", Status.CONFIRMED),
    ("Әйгерім", "Сәрсенбаева", None, Status.REGISTERED),
    ("Айгерим", "Нурланова", None, Status.CONFIRMED),
    ("Нұрлан", "Қасымов", None, Status.CONFIRMED),
    ("Юрий", "Хабаров", None, Status.CONFIRMED),
    ("Pamela", "Harris", "Open Society", Status.CONFIRMED),
    ("Агнешка", "Wiśniewska", None, Status.CONFIRMED),
    ("Сергей", "Кузнецов", None, Status.CONFIRMED),
]


@pytest.fixture(params=["made", "stale"])
def named(request: pytest.FixtureRequest, database: Database) -> tuple[Database, int, dict[str, int]]:
    """An event of the people of NAMES: (database, event id, family name → registration
    id); their keys made by ``settle`` ("made") or left stale ("stale")."""
    ids: dict[str, int] = {}
    now = utcnow()
    with database.write() as s:
        event_id = s.execute(insert(Event).values(
            uuid=uuid.uuid4(), title={"en": "Forum"}, subtitle={}, starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 2), timezone="Asia/Almaty", venue={}, city={}, languages=["en"],
            is_demo=False, created_at=now, updated_at=now)).inserted_primary_key[0]
        for n, (given, family, org, status) in enumerate(NAMES):
            org_id = find_or_create_organisation(s, org)[0] if org else None
            pid = s.execute(insert(Person).values(
                uuid=uuid.uuid4(), given_name=given, family_name=family, organisation_id=org_id, display_name={},
                position={}, bio={}, created_at=now, updated_at=now)).inserted_primary_key[0]
            ids[family] = s.execute(insert(Registration).values(
                uuid=uuid.uuid4(), event_id=event_id, person_id=pid, badge_code=f"TEST{n + 2}{n + 2}",
                status=status, created_at=now, updated_at=now)).inserted_primary_key[0]
        if request.param == "made":
            person_keys.settle(s)
    with database.read() as s:
        assert (person_keys.stale_count(s) == 0) is (request.param == "made")
    return database, event_id, ids


def families(ids: dict[str, int], found: list[int]) -> set[str]:
    by_id = {rid: family for family, rid in ids.items()}
    return {by_id[rid] for rid in found}


# What is typed → who the list holds.
FOUND = [
    ("Fquthbv", {"Нурланова", "Сәрсенбаева"}),      # "Айгерим" on the Latin layout; Әйгерім spelled alike
    ("Зфьудф", {"Harris"}),                          # "Pamela" on the Russian layout
    ("bdfyjd", {"Иванов"}),                          # "иванов" on the Latin layout
    ("dth[jdysq", {"Иванов"}),                       # "верховный": the organisation
    ("c2n,ftdf", {"Сәтбаева"}),                      # "сәтбаева" on the Kazakh layout
    ("ЕУЫЕ33", {"Жиенбаев"}),                        # the badge code TEST33 on the Russian layout
    ("zhienbayev", {"Жиенбаев", "Zhienbayev"}),      # both spellings of one name
    ("Жиенбаев", {"Жиенбаев", "Zhienbayev"}),
    ("jienbaev", {"Жиенбаев", "Zhienbayev"}),
    ("zhienbay", {"Жиенбаев", "Zhienbayev"}),        # half of "ye"
    ("yerzhan", {"Жиенбаев", "Zhienbayev"}),
    ("sarsenbaeva", {"Сәрсенбаева"}),
    ("Sarsenbayeva", {"Сәрсенбаева"}),
    ("satbayeva", {"Сәтбаева"}),
    ("qasymov", {"Қасымов"}),
    ("kassymov", {"Қасымов"}),
    ("Nurlan kas", {"Қасымов"}),
    ("kazak universiteti", {"Сәтбаева"}),
    ("yuriy khabarov", {"Хабаров"}),
    ("kuznet", {"Кузнецов"}),                        # half of "ts"
    ("памела", {"Harris"}),
    ("wisniewska", {"Wiśniewska"}),
    ("open soc", {"Harris"}),
    ("Иванов", {"Иванов"}),                          # as typed; nothing else
    ("nobody-here", set()),
]


@pytest.mark.parametrize(("typed", "expected"), FOUND)
def test_the_list_finds_what_the_desk_finds(named: tuple[Database, int, dict[str, int]], typed: str,
                                            expected: set[str]) -> None:
    database, event_id, ids = named
    with database.read() as s:
        listed = registration_ids(s, event_id, RegistrationFilter(search=typed))
        desk = [row.id for row in desk_matches(s, event_id, typed, limit=8)]
        total = count_matching(s, event_id, RegistrationFilter(search=typed))
    assert families(ids, listed) == expected
    assert set(desk) <= set(listed)
    assert len(desk) == min(8, len(listed)) and total == len(listed)


@pytest.mark.parametrize(("typed", "said"), [
    ("Fquthbv", [AlsoFound("Айгерим", Layout.RUSSIAN)]),
    ("Зфьудф", [AlsoFound("Pamela", Layout.ENGLISH)]),
    ("c2n,ftdf", [AlsoFound("сәтбаева", Layout.KAZAKH)]),   # not the Russian reading "с2тбаева": it found no one
    ("ЕУЫЕ33", [AlsoFound("TEST33", Layout.ENGLISH)]),
    ("zhienbayev", [AlsoFound("zhienbayev", None)]),          # spelled in Cyrillic
    ("Жиенбаев", [AlsoFound("Жиенбаев", None)]),              # spelled in Latin letters
    ("Иванов", []),                                          # found as typed: nothing to add
    ("Ив", []),
    ("nobody-here", []),
])
def test_also_found_says_what_else_found_someone(named: tuple[Database, int, dict[str, int]], typed: str,
                                                 said: list[AlsoFound]) -> None:
    database, event_id, _ids = named
    with database.read() as s:
        assert also_found(s, event_id, RegistrationFilter(search=typed)) == said
        assert also_found(s, event_id, RegistrationFilter(search=typed, exact=True)) == []


def test_also_found_keeps_to_the_filters(named: tuple[Database, int, dict[str, int]]) -> None:
    """Zhienbayev (cancelled) is found by spelling; among the confirmed only Жиенбаев is,
    as typed — nothing else to say."""
    database, event_id, ids = named
    confirmed = frozenset({Status.CONFIRMED})
    with database.read() as s:
        assert also_found(s, event_id, RegistrationFilter(search="zhienbayev", statuses=confirmed)) == \
            [AlsoFound("zhienbayev", None)]
        assert also_found(s, event_id, RegistrationFilter(search="Zhienbayev", statuses=confirmed)) == \
            [AlsoFound("Zhienbayev", None)]
        cancelled = RegistrationFilter(search="Жиенбаев", statuses=frozenset({Status.CANCELLED}))
        assert families(ids, registration_ids(s, event_id, cancelled)) == {"Zhienbayev"}
        assert also_found(s, event_id, cancelled) == [AlsoFound("Жиенбаев", None)]
        as_typed = RegistrationFilter(search="Zhienbayev", statuses=frozenset({Status.CANCELLED}))
        assert also_found(s, event_id, as_typed) == []


def test_exact_searches_the_text_as_typed_only(named: tuple[Database, int, dict[str, int]]) -> None:
    database, event_id, ids = named
    with database.read() as s:
        assert registration_ids(s, event_id, RegistrationFilter(search="Fquthbv", exact=True)) == []
        assert families(ids, registration_ids(s, event_id, RegistrationFilter(search="zhienbayev", exact=True))) \
            == {"Zhienbayev"}


def test_filters_sort_and_windows_apply_to_what_was_meant(named: tuple[Database, int, dict[str, int]]) -> None:
    database, event_id, ids = named
    meant = RegistrationFilter(search="zhienbayev")
    with database.read() as s:
        confirmed = registration_ids(s, event_id, RegistrationFilter(search="zhienbayev",
                                                                     statuses=frozenset({Status.CONFIRMED})))
        by_code = registration_ids(s, event_id, meant, RegistrationSort(SortColumn.CODE, descending=True))
        first = find_registrations(s, event_id, meant, RegistrationSort(SortColumn.CODE, descending=True), limit=1)
        second = find_registrations(s, event_id, meant, RegistrationSort(SortColumn.CODE, descending=True),
                                    offset=1, limit=1)
    assert confirmed == [ids["Жиенбаев"]]
    assert by_code == [ids["Zhienbayev"], ids["Жиенбаев"]]  # TEST44 before TEST33
    assert first.total == second.total == 2
    assert [r.id for r in first.rows + second.rows] == by_code
    assert [r.code for r in first.rows + second.rows] == ["TEST44", "TEST33"]


def test_a_renamed_person_is_found_by_the_new_name_at_once(named: tuple[Database, int, dict[str, int]]) -> None:
    database, event_id, ids = named
    with database.write() as s:
        s.execute(update(Person).where(Person.family_name == "Хабаров").values(family_name="Габаров"))
    with database.read() as s:
        assert families(ids, registration_ids(s, event_id, RegistrationFilter(search="khabarov"))) == set()
        assert families(ids, registration_ids(s, event_id, RegistrationFilter(search="gabarov"))) == {"Хабаров"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_note_is_in_the_interface_language(lang: str) -> None:
    from desktop.core.language import speaking

    notes = [AlsoFound("Айгерим", Layout.RUSSIAN), AlsoFound("сәтбаева", Layout.KAZAKH),
             AlsoFound("Pamela", Layout.ENGLISH), AlsoFound("zhienbayev", None), AlsoFound("Жиенбаев", None)]
    english = [note.said for note in notes]
    with speaking(lang):
        said = [note.said for note in notes]
    assert len(set(said)) == len(notes)
    for note, in_english, in_lang in zip(notes, english, said, strict=True):
        assert note.text in in_lang and in_lang != in_english
        assert "Also found" not in in_lang and any("\u0400" <= ch <= "\u04ff" for ch in in_lang.replace(note.text, ""))
