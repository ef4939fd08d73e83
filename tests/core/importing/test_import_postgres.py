"""The import on PostgreSQL writes its people's search rows and keys itself, in bulk, with
the insert triggers standing aside (migration 0010): the rows it writes must be exactly
those the triggers and ``person_keys.settle`` would have made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db.engine import Database
from db.models import Event, Organisation, Person, Sector
from desktop.core.collation import store_sort_keys
from desktop.core.importing import import_attendees, importer
from desktop.core.person_keys import settle
from tests.import_files import write_csv

HEADER = ["ФИО", "Организация", "Должность", "E-mail", "Телефон", "Пол", "Страна"]


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _event(database: Database) -> int:
    with database.write() as session:
        ev = Event(title={"en": "Round table"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
        session.add(ev)
        session.add(Organisation(name={"kk": "Жоғарғы Сот", "ru": "Верховный Суд", "en": "Supreme Court"},
                                 short_name={"en": "SC", "ru": "ВС"}, sector=Sector.JUDICIARY))
        session.add(Person(given_name="Ayşe", family_name="Yılmaz-Öztürk", email="ayse@example.tr"))
        session.flush()
        store_sort_keys(session)
        return int(ev.id)


def _rows(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.read() as session:
        return {
            "search": [tuple(r) for r in session.execute(text(
                "SELECT person_id, doc, heads FROM person_search ORDER BY person_id"))],
            "keys": [tuple(r) for r in session.execute(text(
                "SELECT person_id, stale, skeleton, skeleton_heads, sort_collator, sort_en, sort_ru, sort_kk"
                " FROM person_key ORDER BY person_id"))],
        }


def _made_again(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every person's search row, keys and sort keys made again by the database's own
    functions and by ``settle`` / ``store_sort_keys``, as any other writer gets them."""
    with database.write() as session:
        session.execute(text("UPDATE person_search SET doc = cd_person_search_doc(person_id)"))
        session.execute(text("UPDATE person_search SET heads = cd_search_heads(doc)"))
        session.execute(text("UPDATE person_key SET stale = true, skeleton = '', skeleton_heads = '{}',"
                             " sort_collator = NULL, sort_en = NULL, sort_ru = NULL, sort_kk = NULL"))
        settle(session)
        store_sort_keys(session)
    return _rows(database)


def test_search_rows_and_keys_are_those_the_triggers_and_settle_make(database: Database, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    event_id = _event(database)
    monkeypatch.setattr(importer, "BATCH", 3)  # several batches; an organisation first met in a later one
    source = write_csv(tmp_path / "list.csv", [
        HEADER,
        ["Сәрсенбаева Айгүл Нұрланқызы", "Верховный Суд", "Судья", "A.Sarsenbayeva@Example.kz", "+7 701 123 4567",
         "ж", "Қазақстан"],
        ["O’Neill-Walker Mary", "Trinity College Dublin", "Professor", "m.oneill@tcd.ie", "", "ж", "IE"],
        ["Wiśniewska Łucja", "Uniwersytet Łódzki", "", "", "", "", "PL"],
        ["Yılmaz-Öztürk Ayşe", "", "", "ayse@example.tr", "", "ж", "TR"],  # already a person: reused
        ["Παπαδόπουλος ΣΑΣ", "", "Σύμβουλος", "", "", "м", "GR"],
        ["Жиенбаев Ерлан", "Жоғарғы Сот", "", "erlan@sud.kz", "", "м", "KZ"],
        ["Иванов Иван Иванович", "Uniwersytet Łódzki", "", "", "", "", ""],
    ])
    report = import_attendees(database, source, event_id)
    assert (report.imported, report.people_created, report.people_reused) == (7, 6, 1)

    written = _rows(database)
    assert len(written["search"]) == len(written["keys"]) == 7  # every person: the 6 new and Ayşe
    assert not any(stale for _pid, stale, *_ in written["keys"])
    assert all(row[5] is not None for row in written["keys"])  # sort keys made
    assert _made_again(database) == written


def test_people_added_after_an_import_get_their_rows_from_the_triggers(database: Database, tmp_path: Path) -> None:
    event_id = _event(database)
    source = write_csv(tmp_path / "list.csv", [HEADER, ["Иванов Иван", "", "", "", "", "м", "KZ"]])
    import_attendees(database, source, event_id)
    with database.write() as session:
        person = Person(given_name="Пётр", family_name="Петров", email="petrov@example.kz")
        session.add(person)
        session.flush()
        pid = person.id
        assert session.execute(text("SELECT current_setting(:s, true)"), {"s": importer.BULK_PEOPLE}).scalar() != "on"
    with database.read() as session:
        assert session.execute(text("SELECT doc FROM person_search WHERE person_id = :p"),
                               {"p": pid}).scalar() == " пётр петров petrov example kz "
        assert session.execute(text("SELECT stale FROM person_key WHERE person_id = :p"), {"p": pid}).scalar()


def test_a_failed_import_leaves_no_search_row_or_key(database: Database, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    event_id = _event(database)
    before = _rows(database)
    monkeypatch.setattr(importer, "BATCH", 2)
    source = write_csv(tmp_path / "list.csv", [HEADER, *[[f"Иванов Иван{i}", "", "", "", "", "м", "KZ"]
                                                         for i in range(5)]])
    original = importer._PgKeys.write
    calls = []

    def failing(self: Any, people: Any, rows: Any) -> None:
        calls.append(len(rows))
        original(self, people, rows)
        if len(calls) == 2:
            raise RuntimeError("the server went away")

    monkeypatch.setattr(importer._PgKeys, "write", failing)
    with pytest.raises(RuntimeError):
        import_attendees(database, source, event_id)
    assert _rows(database) == before
