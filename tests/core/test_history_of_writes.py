"""Imports and desk files' merges in the history and announced (issue 15): settled like an edit
(``changes.settle_written``) — the rows they made are in the history with their author, saying
"Imported from FILE" / "Merged from desk file FILE", in the event's history (their lines of
many rows at once too), the other workstations hear them, and a merge that brings nothing
(a desk sending its copy again) adds nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database, open_database
from db.models import ChangeLog, Person, Registration
from desktop.core import changes
from desktop.core.changes import set_author
from desktop.core.desk_file import export_desk_file, merge_desk_file
from desktop.core.history import event_history, history_of
from desktop.core.importing import import_attendees
from desktop.core.watch import Watcher
from tests.core.test_desk_file import LOBBY, check_in, unchecked_codes, walk_in
from tests.import_files import write_csv

HEADER = ["ФИО", "Организация", "Должность", "E-mail", "Телефон", "Пол", "Страна", "Категория"]


@pytest.fixture
def authored(demo: tuple[Database, int]) -> Iterator[tuple[Database, int]]:
    yield demo
    set_author("")


class Heard:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[frozenset[str] | None] = []

    def __call__(self, tables: frozenset[str] | None) -> None:
        with self.lock:
            self.calls.append(tables)

    def wait(self, wanted: set[str], timeout: float = 2.0) -> None:
        start = time.monotonic()
        while True:
            with self.lock:
                heard = set().union(*(c or set() for c in self.calls))
            if wanted <= heard:
                return
            if time.monotonic() - start > timeout:
                pytest.fail(f"heard {self.calls}, not {wanted}, within {timeout} s")
            time.sleep(0.01)


def watching(database: Database) -> tuple[Watcher, Heard]:
    heard = Heard()
    w = Watcher(database, heard)
    assert w.ready.wait(10)
    time.sleep(0.05)
    with heard.lock:
        heard.calls.clear()  # PostgreSQL says None once it listens
    return w, heard


def log_count(database: Database) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeLog)) or 0)


def test_an_import_is_in_the_history_and_heard(authored: tuple[Database, int], workstation_2: Database,
                                               tmp_path: Path) -> None:
    database, event_id = authored
    path = write_csv(tmp_path / "guests.csv", [
        HEADER,
        ["Жиенбаев Ержан", "Коллегия адвокатов Тест", "", "yerzhan@example.kz", "", "", "", ""],
        ["Ким Дина", "", "", "dina@example.kz", "", "", "", ""]])
    w, heard = watching(workstation_2)
    try:
        set_author("Aigerim")
        report = import_attendees(database, path, event_id)
        assert report.imported == 2 and report.edit is not None
        heard.wait({"organisation", "person", "registration"})
    finally:
        w.stop()
    with database.read() as s:
        person_uuid = s.scalar(select(Person.uuid).where(Person.email == "yerzhan@example.kz"))
        registration_uuid = s.scalar(select(Registration.uuid).join(Person).where(Person.email == "dina@example.kz"))
        of_person = history_of(s, "person", person_uuid, lang="en")
        of_registration = history_of(s, "registration", registration_uuid, lang="en")
        page = event_history(s, event_id, lang="en")
    assert [(e.author, e.what, e.subject) for e in of_person] == [
        ("Aigerim", "Imported from guests.csv", "Ержан Жиенбаев")]
    assert [(e.author, e.what) for e in of_registration] == [("Aigerim", "Imported from guests.csv")]
    mine = [e for e in page.entries if e.edit == report.edit]
    assert {e.table for e in mine} == {"organisation", "person", "registration"}
    assert len(mine) == 5 and all(e.what == "Imported from guests.csv" and e.author == "Aigerim" for e in mine)
    assert all(e.note == {"event": event_id, "file": "guests.csv", "what": "import"} for e in mine)
    with database.read() as s:
        ru = history_of(s, "person", person_uuid, lang="ru")
    assert ru[0].what != "Imported from guests.csv" and "guests.csv" in ru[0].what


def test_a_large_import_is_one_line_a_table_in_the_events_history(authored: tuple[Database, int], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    database, event_id = authored
    monkeypatch.setattr(changes, "LOG_ROWS_LIMIT", 3)
    rows = [HEADER, *([f"Тестов{n} Тест", "", "", f"t{n}@example.kz", "", "", "", ""] for n in range(6))]
    before = log_count(database)
    report = import_attendees(database, write_csv(tmp_path / "many.csv", rows), event_id)
    assert report.imported == 6
    assert log_count(database) == before + 2  # people, registrations: a line each, with the count
    with database.read() as s:
        page = event_history(s, event_id, lang="en")
    lines = [e for e in page.entries if e.edit == report.edit]
    assert sorted((e.table, e.subject, e.what) for e in lines) == [
        ("person", "6 rows", "Imported from many.csv"), ("registration", "6 rows", "Imported from many.csv")]
    assert not page.notes  # they are the event's: nothing "could not be told apart"


def test_a_failed_import_adds_nothing_to_the_history(authored: tuple[Database, int], tmp_path: Path) -> None:
    from desktop.core.importing import ImportCancelled

    database, event_id = authored
    before = log_count(database)

    def cancel(done: int, total: int) -> None:
        if done:
            raise ImportCancelled()

    rows = [HEADER, *([f"Отменов{n} Тест", "", "", "", "", "", "", ""] for n in range(2100))]
    with pytest.raises(ImportCancelled):
        import_attendees(database, write_csv(tmp_path / "cancelled.csv", rows), event_id, progress=cancel)
    assert log_count(database) == before


def test_a_merge_is_in_the_history_and_heard_and_again_adds_nothing(
        authored: tuple[Database, int], workstation_2: Database, tmp_path: Path) -> None:
    database, event_id = authored
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    codes = unchecked_codes(database, event_id, 2)
    desk = open_database(path)
    try:
        for code in codes:
            check_in(desk, code, LOBBY)
        walk_in(desk, "Dana", "Seitkali", "WALK23", email="dana.s@example.kz", organisation="Astana Bar Association")
    finally:
        desk.close()
    w, heard = watching(workstation_2)
    try:
        set_author("Bolat")
        report = merge_desk_file(database, path)
        assert (report.new_check_ins, report.walk_ins_added, report.people_added) == (3, 1, 1)
        assert report.edit is not None
        heard.wait({"check_in", "registration", "person", "organisation"})
    finally:
        w.stop()
    with database.read() as s:
        page = event_history(s, event_id, lang="en")
        person_uuid = s.scalar(select(Person.uuid).where(Person.email == "dana.s@example.kz"))
        of_person = history_of(s, "person", person_uuid, lang="en")
    mine = [e for e in page.entries if e.edit == report.edit]
    assert all(e.author == "Bolat" and e.what == "Merged from desk file lobby.deskdb" for e in mine)
    assert sorted((e.table, e.subject) for e in mine if e.row_uuid is None) == [("check_in", "3 rows")]
    assert {e.table for e in mine if e.row_uuid is not None} == {"organisation", "person", "registration"}
    assert [(e.author, e.what) for e in of_person] == [("Bolat", "Merged from desk file lobby.deskdb")]

    count = log_count(database)
    again = merge_desk_file(database, path)
    assert again.changes == 0 and again.edit is None
    assert log_count(database) == count


def test_a_dry_run_merge_and_import_add_nothing(authored: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = authored
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    desk = open_database(path)
    try:
        walk_in(desk, "Dana", "Seitkali", "WALK23")
    finally:
        desk.close()
    before = log_count(database)
    assert merge_desk_file(database, path, dry_run=True).walk_ins_added == 1
    csv = write_csv(tmp_path / "dry.csv", [HEADER, ["Сухов Иван", "", "", "", "", "", "", ""]])
    assert import_attendees(database, csv, event_id, dry_run=True).imported == 1
    assert log_count(database) == before
