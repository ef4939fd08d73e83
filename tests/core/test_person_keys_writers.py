"""Core's writers of many people make their skeletons in the same transaction
(``desktop.core.person_keys.settle``): after the demo, an import or a desk-file merge no
one is stale, and the search finds the new people from the index alone. And a database left
with many stale people (an upgrade, another program) has them made in the background."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.engine import Database, open_database
from db.models import Person, Registration
from db.types import utcnow
from desktop.core import person_keys
from desktop.core.desk import walk_in
from desktop.core.desk_file import export_desk_file, merge_desk_file
from desktop.core.importing import import_attendees
from desktop.core.name_match import skeleton_terms
from desktop.core.registrations import RegistrationFilter, registration_ids
from tests.import_files import write_csv


def stale(database: Database) -> int:
    with database.read() as s:
        return person_keys.stale_count(s)


def in_index(database: Database, typed: str) -> set[int]:
    """The people whose stored skeleton matches ``typed`` (not counting stale ones)."""
    with database.read() as s:
        return set(s.scalars(person_keys.matching_skeletons(database.dialect, skeleton_terms(typed))))


def person_of(database: Database, registration_id: int) -> int:
    with database.read() as s:
        return int(s.scalar(select(Registration.person_id).where(Registration.id == registration_id)))


def test_the_demo_leaves_no_one_stale(demo: tuple[Database, int]) -> None:
    database, _event_id = demo
    assert stale(database) == 0
    with database.read() as s:
        assert s.scalar(select(Person.id).limit(1)) is not None


def test_an_import_makes_its_peoples_skeletons(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = write_csv(tmp_path / "list.csv", [["ФИО", "E-mail"], ["Жиенбаева Гүлнар", "gulnar@example.kz"],
                                             ["Тоқаев Қасым", "kasym@example.kz"]])
    report = import_attendees(database, path, event_id)
    assert report.plan.verdicts and stale(database) == 0
    with database.read() as s:
        found = registration_ids(s, event_id, RegistrationFilter(search="tokayev"))
    assert len(found) == 1 and in_index(database, "tokayev") == {person_of(database, found[0])}


def test_a_desk_merge_makes_the_walk_ins_skeletons(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    desk = open_database(path)
    try:
        made = walk_in(desk, event_id, "Дана", "Сейітқали", None, "participant", "Lobby")
        assert made.registration_id
    finally:
        desk.close()
    merge_desk_file(database, path)
    assert stale(database) == 0
    with database.read() as s:
        found = registration_ids(s, event_id, RegistrationFilter(search="seitkali"))
    assert len(found) == 1 and in_index(database, "seitkali dana") == {person_of(database, found[0])}


def test_many_stale_people_are_made_in_the_background(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    now = utcnow()
    with database.engine.begin() as conn:  # another program's writes: no keys made
        conn.execute(insert(Person.__table__), [
            {"uuid": uuid.uuid4(), "given_name": "Ержан", "family_name": f"Жиенбаев{n}", "display_name": {},
             "position": {}, "bio": {}, "gender": "not_stated", "created_at": now, "updated_at": now}
            for n in range(30)])
    assert person_keys.settle_in_background(database) is None  # 30: few enough to match in Python
    monkeypatch.setattr(person_keys, "INLINE_LIMIT", 10)
    thread = person_keys.settle_in_background(database)
    assert thread is not None
    thread.join(30)
    assert not thread.is_alive() and stale(database) == 0
    assert len(in_index(database, "yerzhan")) == 30
    assert person_keys.settle_in_background(database) is None  # nothing left to do
