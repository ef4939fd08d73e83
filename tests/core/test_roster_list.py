"""The roster as the People table reads it (``desktop.core.roster_list``): windows by name
from the database, every sort against the whole roster sorted in Python, the search with
its other readings and the positions — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, update

from db.engine import Database
from db.models import Person
from desktop.core import collation, raw, roster_list, vocabulary
from desktop.core.collation import store_sort_keys
from desktop.core.folding import search_fold
from desktop.core.name_match import Layout
from desktop.core.people import PersonRow, roster
from desktop.core.person_search import AlsoFound
from desktop.core.roster_list import (
    RosterColumn,
    RosterSort,
    also_found,
    count_people,
    people_ids,
    people_rows,
    people_window,
    prepare,
)


def _everyone(database: Database, event_id: int, lang: str = "en") -> list[PersonRow]:
    with database.read() as session:
        return roster(session, event_id, lang)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_windows_by_name_follow_the_whole_roster(demo: tuple[Database, int], lang: str) -> None:
    database, event_id = demo
    expected = [r.id for r in _everyone(database, event_id, lang)]
    with database.read_raw() as reader:
        search = prepare(reader, "")
        assert count_people(reader, search) == len(expected) > 100
        windows = [people_window(reader, search, lang, offset=at, limit=25) for at in range(0, len(expected), 25)]
        assert [pid for window in windows for pid in window] == expected
        assert people_window(reader, search, lang, offset=0, limit=10, descending=True) == expected[::-1][:10]
        assert people_ids(reader, search, RosterSort(), lang) == expected
        rows = people_rows(reader, expected[:40], lang, event_id)
    assert rows == _everyone(database, event_id, lang)[:40]  # the very rows roster() makes


def _shown(column: RosterColumn, row: PersonRow) -> str:
    if column is RosterColumn.SECTOR:
        return vocabulary.sector(row.sector) if row.sector else ""
    if column is RosterColumn.ROLE:
        return ", ".join(vocabulary.role(v) for v in row.roles.split(", ") if v)
    return str(getattr(row, column.value))


@pytest.mark.parametrize("column", [c for c in RosterColumn if c is not RosterColumn.NAME])
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_by_its_text_in_the_alphabet_empty_last(demo: tuple[Database, int],
                                                                    column: RosterColumn, descending: bool) -> None:
    database, event_id = demo
    everyone = _everyone(database, event_id)
    filled = [r for r in everyone if _shown(column, r)]
    filled.sort(key=lambda r: collation.key(_shown(column, r), "en"))  # stable: ties by name
    if descending:
        filled.reverse()
    expected = [r.id for r in filled] + [r.id for r in everyone if not _shown(column, r)]
    with database.read_raw() as reader:
        assert people_ids(reader, prepare(reader, ""), RosterSort(column, descending), "en", event_id) == expected


@pytest.mark.parametrize(("typed", "found"), [
    ("ахметов", {"Ахметов"}),
    ("AHMETOV", set()),
    ("court", set()),
    ("fü", set()),
])
def test_a_search_keeps_whom_every_word_begins_a_word_of(demo: tuple[Database, int], typed: str,
                                                        found: set[str]) -> None:
    database, event_id = demo
    everyone = _everyone(database, event_id)
    with database.read_raw() as reader:
        search = prepare(reader, typed)
        ids = people_ids(reader, search, RosterSort(), "en")
        assert count_people(reader, search) == len(ids)
        assert people_window(reader, search, "en", offset=0, limit=500) == ids
    assert ids == [r.id for r in everyone if r.id in set(ids)]  # in the roster's order
    terms = search_fold(typed).split()
    begun = {r.id for r in everyone if all(any(w.startswith(t) for w in r.search_text.split()) for t in terms)}
    assert begun <= set(ids)  # the text as typed (other readings may find more)
    for surname in found:
        assert {r.id for r in everyone if surname in r.name} <= set(ids)


def _add(database: Database, given: str, family: str, position: dict[str, str] | None = None) -> int:
    with database.write() as session:
        made = session.execute(insert(Person).values(given_name=given, family_name=family,
                                                     position=position or {}).returning(Person.id)).scalar_one()
        store_sort_keys(session, [made])
    return int(made)


def test_the_search_reads_the_other_layout_the_other_alphabet_and_the_position(demo: tuple[Database, int]) -> None:
    database, _event = demo
    aigerim = _add(database, "Айгерім", "Жиенбаева")
    pamela = _add(database, "Pamela", "Quarrington")
    judge = _add(database, "Марат", "Төлеуов", {"ru": "Судья Верховного суда", "en": "Supreme Court judge"})

    def found(typed: str) -> set[int]:
        with database.read_raw() as reader:
            search = prepare(reader, typed)
            ids = people_ids(reader, search, RosterSort(), "en")
            assert count_people(reader, search) == len(ids) == len(set(ids))
            return set(ids)

    assert aigerim in found("Fqut")          # "Айге" typed on the English layout
    assert pamela in found("Зфьудф")         # "Pamela" typed on the Russian layout
    assert aigerim in found("zhienbayeva")   # the surname spelled in Latin letters
    assert aigerim in found("Жиенбаева")     # as typed and spelled alike: counted once
    assert judge in found("судья")           # the position
    assert judge in found("judge төлеуов")   # a word of the position and a word of the name
    assert judge not in found("judge жиенбаева")
    assert pamela not in found("судья")


def test_also_found_names_the_readings_that_found_someone_the_text_as_typed_did_not(
        demo: tuple[Database, int]) -> None:
    database, _event = demo
    _add(database, "Айгерім", "Жиенбаева")
    _add(database, "Yerzhan", "Zhienbayeva")
    _add(database, "Pamela", "Quarrington")
    zarqwin = _add(database, "Zarqwin", "Ospanov")

    def said(typed: str) -> list[AlsoFound]:
        with database.read_raw() as reader:
            return also_found(reader, typed)

    assert said("Fqut") == [AlsoFound("Айге", Layout.RUSSIAN)]
    assert said("Зфьудф") == [AlsoFound("Pamela", Layout.ENGLISH)]
    # Spelled alike in Cyrillic (Жиенбаева); Zhienbayeva is found as typed.
    assert said("zhienbayeva") == [AlsoFound("zhienbayeva", None)]
    assert said("Жиенбаева") == [AlsoFound("Жиенбаева", None)]   # Zhienbayeva, spelled alike in Latin
    assert said("quarrington") == [] and said("") == []
    assert said("Яфкйцшт") == [AlsoFound("Zarqwin", Layout.ENGLISH)]
    # A reading that finds only whom the text as typed found (here by the position) says nothing.
    with database.write() as session:
        session.execute(update(Person).where(Person.id == zarqwin).values(position={"en": "Яфкйцшт"}))
    assert said("Яфкйцшт") == []


def test_a_thread_reads_every_sort_in_pieces_as_the_window_reads_it_at_once(demo: tuple[Database, int],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    database, event_id = demo
    sorts = [RosterSort(column, descending) for column in RosterColumn for descending in (False, True)]
    with database.read_raw() as reader:
        search = prepare(reader, "")
        at_once = [people_ids(reader, search, sort, "en", event_id) for sort in sorts]
    monkeypatch.setattr(roster_list, "SORTED_AT_ONCE", 7)   # the e-mails' keys in 18 pieces
    monkeypatch.setattr(raw, "SHARED_BATCH", 10)             # rows in batches of 10
    with database.read_raw() as reader:
        search = prepare(reader, "")
        in_pieces = [people_ids(reader, search, sort, "en", event_id, shared=True) for sort in sorts]
    assert in_pieces == at_once
    assert all(len(ids) == len(set(ids)) == len(at_once[0]) > 100 for ids in in_pieces)


def test_people_without_a_sort_key_come_last_by_family_name(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as session:  # another program wrote them: no keys made
        late = [int(session.execute(insert(Person).values(given_name="Z", family_name=f, position={})
                                    .returning(Person.id)).scalar_one()) for f in ("Bbb", "Aaa")]
    keyed = [r.id for r in _everyone(database, event_id) if r.id not in late]
    with database.read_raw() as reader:
        search = prepare(reader, "")
        ids = people_ids(reader, search, RosterSort(), "en")
        assert ids == [*keyed, late[1], late[0]]
        assert people_window(reader, search, "en", offset=len(keyed) - 1, limit=5) == [keyed[-1], late[1], late[0]]
        assert people_window(reader, search, "en", offset=len(keyed) + 1, limit=5) == [late[0]]
