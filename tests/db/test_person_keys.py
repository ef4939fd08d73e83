"""The person keys of migration 0003 (``desktop.core.person_keys``): whoever writes, a
person whose names change is stale and their old skeleton is not found; ``settle`` makes
the keys again; stale people are found in Python meanwhile; an upgraded database starts
with everyone stale. On SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, insert, text, update

from db.engine import Database, make_engine, open_database, resolve_target
from db.migrate import downgrade
from db.models import Organisation, Person
from db.search import include_name
from db.types import utcnow
from desktop.core import person_keys
from desktop.core.name_match import skeleton_terms

SQLITE_TRIGGERS = {"person_key_insert", "person_key_update", "person_key_delete", "organisation_key_update"}
PG_TRIGGERS = {"person_key_insert", "person_key_update", "organisation_key_update"}


def add_person(database: Database, given: str, family: str, **values: object) -> int:
    now = utcnow()
    with database.write() as s:
        return int(s.execute(insert(Person.__table__).values(
            uuid=uuid.uuid4(), given_name=given, family_name=family, display_name=values.pop("display_name", {}),
            position={}, bio={}, gender="not_stated", created_at=now, updated_at=now, **values,
        )).inserted_primary_key[0])


def add_organisation(database: Database, name: dict[str, str]) -> int:
    now = utcnow()
    with database.write() as s:
        return int(s.execute(insert(Organisation.__table__).values(
            uuid=uuid.uuid4(), name=name, short_name={}, sector="other", created_at=now, updated_at=now,
        )).inserted_primary_key[0])


def stored(database: Database, typed: str) -> set[int]:
    """The people whose *stored* skeleton matches what ``typed`` spells (the index alone)."""
    with database.read() as s:
        return set(s.scalars(person_keys.matching_skeletons(database.dialect, skeleton_terms(typed))))


def stale(database: Database, typed: str | None = None) -> set[int]:
    """The stale people (whose skeleton, made now, matches ``typed``)."""
    with database.read() as s:
        if typed is None:
            return set(s.scalars(text("SELECT person_id FROM person_key WHERE stale")))
        return set(person_keys.stale_matches(s, skeleton_terms(typed)))


def settle(database: Database) -> int:
    with database.write() as s:
        return person_keys.settle(s)


def found(database: Database, typed: str) -> set[int]:
    """What a search finds: the index, and the stale people in Python."""
    return stored(database, typed) | stale(database, typed)


def test_the_triggers_are_there_at_head(database: Database) -> None:
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            assert SQLITE_TRIGGERS <= names
        else:
            names = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
            assert PG_TRIGGERS <= names


def test_every_change_makes_the_keys_stale_and_settle_makes_them(database: Database) -> None:
    court = add_organisation(database, {"ru": "Верховный суд", "kk": "Жоғарғы Сот"})
    yerzhan = add_person(database, "Ержан", "Жиенбаев", organisation_id=court)
    pamela = add_person(database, "Pamela", "Harris")
    # New people are stale: not in the index, found in Python.
    assert stale(database) == {yerzhan, pamela}
    assert stored(database, "zhienbayev") == set() and found(database, "zhienbayev") == {yerzhan}
    assert found(database, "verhovn") == found(database, "jogargi sot") == {yerzhan}  # the organisation's names

    assert settle(database) == 2 and stale(database) == set()
    assert stored(database, "zhienbayev") == stored(database, "Жиенбаев") == {yerzhan}
    assert stored(database, "памела") == {pamela}
    assert settle(database) == 0

    # A name changed (the ORM, as the people editor writes): the old skeleton is gone at once.
    with database.write() as s:
        person = s.get(Person, yerzhan)
        assert person is not None
        person.family_name = "Қасымов"
    assert stale(database) == {yerzhan}
    assert found(database, "zhienbayev") == set() and found(database, "kassymov") == {yerzhan}
    settle(database)
    assert stored(database, "qasymov") == {yerzhan}

    # A display name and a patronymic count; a phone does not.
    with database.write() as s:
        s.execute(update(Person.__table__).where(Person.id == pamela).values(phone="+7 700"))
    assert stale(database) == set()
    with database.write() as s:
        s.execute(update(Person.__table__).where(Person.id == pamela)
                  .values(display_name={"ru": "Памела Харрис"}, patronymic="Jane"))
    assert stale(database) == {pamela} and found(database, "jane") == {pamela}
    settle(database)

    # The organisation renamed: its people follow.
    with database.write() as s:
        s.execute(update(Organisation.__table__).where(Organisation.id == court).values(name={"en": "Court of Audit"}))
    assert stale(database) == {yerzhan}
    assert found(database, "verhovn") == set() and found(database, "audit") == {yerzhan}
    settle(database)
    assert stored(database, "audit") == {yerzhan}

    # The organisation deleted: its people lose it (ON DELETE SET NULL fires the person trigger).
    with database.write() as s:
        s.execute(delete(Organisation.__table__).where(Organisation.id == court))
    assert found(database, "audit") == set() and found(database, "kassymov") == {yerzhan}
    settle(database)

    # The person deleted: gone from the keys and the index.
    with database.write() as s:
        s.execute(delete(Person.__table__).where(Person.id == yerzhan))
    assert found(database, "kassymov") == set()
    with database.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM person_key")) == 1
        if database.dialect == "sqlite":
            assert conn.scalar(text("SELECT count(*) FROM person_key_search")) == 1


def test_a_changed_id_keeps_one_stale_row(database: Database) -> None:
    pid = add_person(database, "Ержан", "Жиенбаев")
    settle(database)
    with database.write() as s:
        s.execute(update(Person.__table__).where(Person.id == pid).values(id=pid + 100))
    assert stale(database) == {pid + 100}
    assert found(database, "zhienbayev") == {pid + 100}
    settle(database)
    assert stored(database, "zhienbayev") == {pid + 100}


def test_plain_sql_writers_are_kept_right(database: Database) -> None:
    """A program that is not this one (plain SQL, many rows at once) leaves its people
    stale: found in Python, made by ``settle_all`` in several short transactions."""
    now = utcnow()
    with database.engine.begin() as conn:
        conn.execute(insert(Person.__table__), [
            {"uuid": uuid.uuid4(), "given_name": "Ержан", "family_name": f"Жиенбаев{n}", "display_name": {},
             "position": {}, "bio": {}, "gender": "not_stated", "created_at": now, "updated_at": now}
            for n in range(25)])
    assert len(found(database, "yerzhan")) == 25
    with database.read() as s:
        assert person_keys.stale_count(s) == 25 and person_keys.stale_count(s, 10) == 10
        assert not person_keys.many_stale(s)
    chunks: list[int] = []
    assert person_keys.settle_all(database, chunk=10, progress=lambda n: chunks.append(n) is None) == 25
    assert chunks == [10, 20]  # the last, short chunk ends it
    assert stale(database) == set() and len(stored(database, "yerzhan")) == 25


def test_settle_makes_at_most_limit(database: Database) -> None:
    for n in range(5):
        add_person(database, "Pamela", f"Harris{n}")
    with database.write() as s:
        assert person_keys.settle(s, 2) == 2
    assert len(stale(database)) == 3


def test_upgrading_an_older_database_makes_everyone_stale(db_target: str) -> None:
    db = open_database(db_target)
    try:
        downgrade(db.engine, "0002")
        with db.engine.connect() as conn:
            assert "person_key" not in set(conn.dialect.get_table_names(conn))
    finally:
        db.close()
    engine = make_engine(resolve_target(db_target))
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(Person.__table__).values(
            uuid=uuid.uuid4(), given_name="Айгерім", family_name="Ахметова", display_name={}, position={},
            bio={}, gender="female", created_at=now, updated_at=now))
    engine.dispose()
    db = open_database(db_target)
    try:
        assert len(stale(db)) == 1 and stored(db, "aigerim") == set()
        assert len(found(db, "aigerim ahmetova")) == 1
        settle(db)
        assert len(stored(db, "aigerim ahmetova")) == 1
    finally:
        db.close()


@pytest.mark.parametrize("name", ["person_key", "person_key_search", "person_key_search_data", "person_key_search_idx"])
def test_the_keys_are_left_out_of_schema_comparisons(name: str) -> None:
    assert include_name(name, "table", {}) is False
