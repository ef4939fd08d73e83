"""The sort keys by name of migration 0004 (``db/sort_keys.py``, ``desktop.core.collation``):
whoever writes a name, a stale key is never kept — the trigger empties it — and
``ensure_sort_keys`` makes the missing ones (a writer outside core, an upgraded database,
keys of another ICU). On SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select, text, update

from db.engine import Database, open_database
from db.migrate import downgrade
from db.models import Event, NameForm, Person
from db.sort_keys import STALE_TRIGGER, key_column, sort_keys
from db.types import utcnow
from desktop.core.collation import collator_version, ensure_sort_keys, name_key, sort_keys_missing, store_sort_keys


def add_person(database: Database, given: str, family: str, **values: object) -> int:
    """A person written as another program would: plain SQL, no core."""
    now = utcnow()
    with database.write() as s:
        return int(s.execute(insert(Person.__table__).values(
            uuid=uuid.uuid4(), given_name=given, family_name=family, display_name=values.pop("display_name", {}),
            position={}, bio={}, gender="not_stated", created_at=now, updated_at=now, **values,
        )).inserted_primary_key[0])


def keys_of(database: Database, person_id: int) -> dict[str, object]:
    with database.read() as s:
        row = s.execute(select(sort_keys).where(sort_keys.c.person_id == person_id)).mappings().one()
    return dict(row)


def test_the_trigger_is_there_at_head(database: Database) -> None:
    """A later batch migration that re-creates ``person`` on SQLite drops its triggers: this
    fails until it makes this one again."""
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        else:
            names = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
    assert STALE_TRIGGER in names


def test_keys_of_a_writer_outside_core_are_made_when_a_list_is_read(database: Database) -> None:
    elkina = add_person(database, "Анна", "Ёлкина", patronymic="Петровна")
    assert keys_of(database, elkina)[key_column("ru")] is None
    with database.read() as s:
        assert sort_keys_missing(s)
    assert ensure_sort_keys(database) == 1
    made = keys_of(database, elkina)
    assert made[key_column("ru")] == name_key("Анна", "Ёлкина", "Петровна", None, "ru")
    assert made[key_column("kk")] == name_key("Анна", "Ёлкина", "Петровна", None, "kk")
    assert made["sort_collator"] == collator_version()
    assert ensure_sort_keys(database) == 0  # nothing left to make


def test_a_name_changed_behind_cores_back_empties_its_keys(database: Database) -> None:
    who = add_person(database, "Анна", "Ёлкина")
    other = add_person(database, "Асқар", "Әлиев")
    ensure_sort_keys(database)
    with database.write() as s:
        s.execute(update(Person.__table__).where(Person.id == who).values(family_name="Абдрахманова"))
        s.execute(update(Person.__table__).where(Person.id == other).values(phone="+7 700"))  # not a name
    assert keys_of(database, who)[key_column("en")] is None
    assert keys_of(database, other)[key_column("en")] is not None
    assert ensure_sort_keys(database) == 1
    assert keys_of(database, who)[key_column("ru")] == name_key("Анна", "Абдрахманова", None, None, "ru")


def test_keys_of_another_icu_are_made_again(database: Database) -> None:
    who = add_person(database, "Айгерім", "Сәрсенбаева")
    ensure_sort_keys(database)
    with database.write() as s:
        s.execute(update(sort_keys).values(sort_collator="1/icu70.1/uc14.0", sort_ru=b"\x01"))
    with database.read() as s:
        assert sort_keys_missing(s)
    assert ensure_sort_keys(database) == 1
    assert keys_of(database, who)[key_column("ru")] == name_key("Айгерім", "Сәрсенбаева", None, None, "ru")


def test_store_makes_the_keys_of_the_people_named(database: Database) -> None:
    a = add_person(database, "Ержан", "Жиенбаев", display_name={"en": "Yerzhan Zhienbayev"})
    b = add_person(database, "John", "Smith")
    with database.write() as s:
        assert store_sort_keys(s, [a]) == 1
    assert keys_of(database, a)[key_column("en")] == name_key("Ержан", "Жиенбаев", None, {"en": "Yerzhan Zhienbayev"})
    assert keys_of(database, b)[key_column("en")] is None


def test_an_upgraded_database_gets_its_keys_and_badge_name(db_target: str) -> None:
    database = open_database(db_target)
    try:
        downgrade(database.engine, "0003")
        now = utcnow()
        with database.engine.begin() as conn:  # written at 0003, before the keys existed
            conn.execute(text(
                "INSERT INTO person (uuid, given_name, family_name, display_name, position, bio, gender, "
                "created_at, updated_at) VALUES (:u, 'Ольга', 'Ёлкина', '{}', '{}', '{}', 'female', :t, :t)"),
                {"u": uuid.uuid4().hex if database.dialect == "sqlite" else uuid.uuid4(), "t": now})
            conn.execute(text(
                "INSERT INTO event (uuid, title, subtitle, starts_on, ends_on, timezone, venue, city, languages, "
                "is_demo, created_at, updated_at) VALUES (:u, '{}', '{}', :d, :d, 'UTC', '{}', '{}', '[]', "
                "false, :t, :t)"),
                {"u": uuid.uuid4().hex if database.dialect == "sqlite" else uuid.uuid4(), "d": now.date(), "t": now})
    finally:
        database.close()
    database = open_database(db_target)  # upgraded to head
    try:
        with database.read() as s:
            assert sort_keys_missing(s)
            assert s.scalar(select(Event.badge_name)) is NameForm.SHORT
        assert ensure_sort_keys(database) == 1
    finally:
        database.close()
