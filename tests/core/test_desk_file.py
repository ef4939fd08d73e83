"""Desk files: export an event to a SQLite file, work on it offline, merge it back.

The main database is SQLite or PostgreSQL (the ``database`` fixture); the desk file is
always SQLite. Desk work is simulated as desk mode does it: rows inserted into the desk
file with ``db.models`` (a CheckIn with a new uuid and the desk's name; a walk-in person,
registration and check-in).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid as uuid_mod
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from db.engine import Database, open_database
from db.migrate import downgrade
from db.models import (
    ALL_MODELS,
    CheckIn,
    CheckInAction,
    Event,
    EventOrganisation,
    Organisation,
    PartnerRole,
    Person,
    Registration,
    Sector,
    Source,
)
from db.types import utcnow
from desktop.core.checkin import checked_in_count, participation
from desktop.core.demo import create_demo
from desktop.core.desk_file import (
    APPLICATION_ID,
    DeskFileCancelled,
    DeskFileError,
    DeskFileExists,
    NotADeskFile,
    WrongEvent,
    export_desk_file,
    merge_desk_file,
    read_desk_file_info,
)
from tests.databases import Templates

LOBBY = "Lobby laptop"


# -- helpers ------------------------------------------------------------------------------------


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by id: the whole content of the database."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with database.read() as session:
        for model in ALL_MODELS:
            table = model.__table__
            out[table.name] = [tuple(r) for r in session.execute(select(table).order_by(table.c.id))]
    return out


def uuids(database: Database, model: type, event_id: int | None = None) -> set[uuid_mod.UUID]:
    with database.read() as session:
        stmt = select(model.uuid)
        if model is Registration:
            stmt = stmt.where(Registration.event_id == event_id)
        elif model is CheckIn:
            stmt = stmt.join(Registration).where(Registration.event_id == event_id)
        elif model is Person:
            stmt = stmt.where(Person.id.in_(select(Registration.person_id).where(Registration.event_id == event_id)))
        return set(session.scalars(stmt))


def reg_by_code(database: Database, code: str) -> Registration:
    with database.read() as session:
        return session.scalars(select(Registration).where(Registration.badge_code == code)).one()


def unchecked_codes(database: Database, event_id: int, n: int) -> list[str]:
    """Badge codes of ``n`` registrations with no check-in rows at all."""
    with database.read() as session:
        return list(session.scalars(
            select(Registration.badge_code)
            .where(Registration.event_id == event_id, ~Registration.check_ins.any())
            .order_by(Registration.badge_code).limit(n)))


def check_in(database: Database, code: str, desk: str, at: dt.datetime | None = None,
             action: CheckInAction = CheckInAction.IN, undoes: uuid_mod.UUID | None = None) -> uuid_mod.UUID:
    """A check-in row as desk mode writes it; returns its uuid."""
    new = uuid_mod.uuid4()
    at = at or utcnow()
    with database.write() as session:
        rid = session.scalar(select(Registration.id).where(Registration.badge_code == code))
        session.execute(insert(CheckIn).values(uuid=new, registration_id=rid, desk=desk, action=action,
                                               undoes=undoes, happened_at=at, recorded_at=at))
    return new


def walk_in(desk: Database, given: str, family: str, code: str, *, email: str | None = None,
            organisation: str | None = None, checked_in: bool = True) -> None:
    """A walk-in registered (and checked in) at the desk, as desk mode does it."""
    with desk.write() as session:
        event = session.scalars(select(Event)).one()
        org = Organisation(name={"en": organisation}, sector=Sector.OTHER) if organisation else None
        person = Person(given_name=given, family_name=family, email=email, organisation=org)
        reg = Registration(event=event, person=person, badge_code=code, source=Source.DESK, source_desk=LOBBY)
        session.add(reg)
        if checked_in:
            session.add(CheckIn(registration=reg, desk=LOBBY, action=CheckInAction.IN))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own for desk files (the SQLite main database lives in ``tmp_path``)."""
    path = tmp_path / "desks"
    path.mkdir()
    return path


@pytest.fixture
def exported(demo: tuple[Database, int], folder: Path) -> tuple[Database, int, Path]:
    database, event_id = demo
    path = folder / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    return database, event_id, path


def desk_db(path: Path) -> Database:
    return open_database(path)


# -- export --------------------------------------------------------------------------------------


def test_export_holds_the_event_with_the_same_uuids(demo: tuple[Database, int], folder: Path) -> None:
    database, event_id = demo
    path = folder / "lobby.deskdb"
    report = export_desk_file(database, path, event_id)

    assert report.registrations == 120 and report.check_ins > 0
    assert sorted(p.name for p in folder.iterdir()) == ["lobby.deskdb"]  # no temp file, no -wal
    desk = open_database(path)
    try:
        with desk.read() as session:
            (desk_event,) = session.scalars(select(Event)).all()
            desk_event_id = desk_event.id
        with database.read() as session:
            assert desk_event.uuid == session.scalar(select(Event.uuid).where(Event.id == event_id))
        for model in (Registration, Person, CheckIn):
            assert uuids(desk, model, desk_event_id) == uuids(database, model, event_id), model.__name__
        assert len(uuids(desk, Registration, desk_event_id)) == report.registrations
        with desk.read() as session:
            desk_in = checked_in_count(session, desk_event_id)
            assert session.scalar(select(func.count()).select_from(Person).where(Person.photo.is_not(None))) == 0
        with database.read() as session:
            assert desk_in == checked_in_count(session, event_id)
    finally:
        desk.close()
    info = read_desk_file_info(path)
    assert info.event_uuid == desk_event.uuid and info.source == database.label
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.postgres
def test_export_from_postgresql_stores_what_the_orm_would(pg_database_url: str, folder: Path) -> None:
    """The fast copy out of PostgreSQL (values made plain by the server, executemany of
    tuples) stores every value byte for byte as SQLAlchemy's own types would: the same rows
    read through Core with their types and written with ``insert()`` into a SQLite database
    give the same ``quote()`` of every column of every row."""
    from desktop.core.desk_file import _event_selects, _tables_in

    database = open_database(pg_database_url)
    try:
        event_id = create_demo(database)
        odd = dt.datetime(2025, 2, 28, 4, 5, 6, 789012, tzinfo=dt.UTC)
        with database.write() as session:
            event = session.get(Event, event_id)
            assert event is not None
            org = Organisation(name={"kk": "Сот  ", "en": "Court \"A\"\n", "ru": ""}, short_name={},
                               sector=Sector.JUDICIARY, logo=b"\x89PNG\x00\xff")
            person = Person(given_name="Әлия", family_name="Сәрсенбаева 🙂", display_name={"kk": "Әлия С."},
                            position={"en": "Judge\tof appeal"}, bio={}, organisation=org, email=None)
            reg = Registration(event=event, person=person, badge_code="ODD123", source=Source.DESK,
                               source_desk="Lobby", photo_consent=True)
            session.add(reg)
            session.add(EventOrganisation(event=event, organisation=org, role=PartnerRole.FUNDER, position=9))
            session.flush()
            first = CheckIn(registration=reg, desk="Lobby", action=CheckInAction.IN, happened_at=odd,
                            recorded_at=odd)
            session.add(first)
            session.flush()
            session.add(CheckIn(registration=reg, desk="Lobby", action=CheckInAction.UNDO, undoes=first.uuid,
                                happened_at=odd, recorded_at=odd))
        path = folder / "fast.deskdb"
        export_desk_file(database, path, event_id)

        reference = folder / "reference.sqlite"
        open_database(reference).close()
        ref = open_database(reference)
        try:
            with database.read() as src, ref.write() as dst:
                for dest, source, stmt in _event_selects(event_id, _tables_in(None)):
                    rows = [dict(r) for r in src.execute(stmt.order_by(source.c.id)).mappings()]
                    if rows:
                        dst.execute(insert(dest), rows)
        finally:
            ref.close()
    finally:
        database.close()

    def quoted(file: Path) -> dict[str, list[tuple[Any, ...]]]:
        with sqlite3.connect(file) as conn:
            out = {}
            for model in ALL_MODELS:
                table = model.__table__
                columns = ", ".join(f"quote({c.name})" for c in table.c)
                out[table.name] = conn.execute(f"SELECT {columns} FROM {table.name} ORDER BY id").fetchall()
            return out

    fast, orm = quoted(path), quoted(reference)
    assert sum(len(v) for v in orm.values()) > 300
    for name in orm:
        assert fast[name] == orm[name], name
    # What was checked: the odd values are there, as SQLite stores them.
    assert "'2025-02-28 04:05:06.789012'" in {v for row in fast["check_in"] for v in row}
    assert any("X'89504E4700FF'" in row for row in fast["organisation"])


def test_export_refuses_an_existing_file_unless_asked(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    before = path.read_bytes()
    with pytest.raises(DeskFileExists, match=f"{path.name} already exists"):
        export_desk_file(database, path, event_id)
    assert path.read_bytes() == before
    export_desk_file(database, path, event_id, overwrite=True)
    assert read_desk_file_info(path).event_uuid
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_export_refuses_the_open_database_itself(tmp_path: Path, db_templates: Templates) -> None:
    database = open_database(db_templates.copy_sqlite("demo", tmp_path / "main.sqlite"))
    try:
        event_id = db_templates.demo_event_id["sqlite"]
        before = dump(database)
        with pytest.raises(DeskFileError, match="the database open now"):
            export_desk_file(database, tmp_path / "main.sqlite", event_id, overwrite=True)
        assert dump(database) == before
    finally:
        database.close()


def test_cancelled_export_leaves_no_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "out"
    out.mkdir()
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 100

    with pytest.raises(DeskFileCancelled):
        export_desk_file(database, out / "lobby.deskdb", event_id, progress=progress, chunk_size=50)
    assert list(out.iterdir()) == []
    assert calls and calls[-1][0] >= 100 and calls[-1][1] > 100


def test_export_of_a_missing_event_writes_nothing(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DeskFileError, match=f"no event with id {event_id + 99}"):
        export_desk_file(database, out / "x.deskdb", event_id + 99)
    assert list(out.iterdir()) == []


# -- merge --------------------------------------------------------------------------------------


def test_merge_brings_check_ins_and_walk_ins_and_twice_changes_nothing(
        exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    codes = unchecked_codes(database, event_id, 3)
    desk = desk_db(path)
    try:
        new = [check_in(desk, code, LOBBY) for code in codes]
        walk_in(desk, "Dana", "Seitkali", "WALK23", email="dana@example.kz", organisation="Astana Bar Association")
    finally:
        desk.close()
    with database.read() as session:
        before_in = checked_in_count(session, event_id)

    preview = merge_desk_file(database, path, dry_run=True)
    assert preview.dry_run and preview.new_check_ins == 4 and preview.walk_ins_added == 1
    assert preview.summary().startswith("Would merge lobby.deskdb: 4 new check-ins")

    report = merge_desk_file(database, path)
    assert (report.new_check_ins, report.walk_ins_added,
            report.people_added, report.organisations_added) == (4, 1, 1, 1)
    assert report.already_present == 0 and report.conflicts == [] and report.desks == (LOBBY,)
    assert report.summary() == ("Merged lobby.deskdb: 4 new check-ins, "
                                "1 walk-in added, 0 conflicts.")
    assert uuids(database, CheckIn, event_id) >= set(new)
    walk = reg_by_code(database, "WALK23")
    assert walk.event_id == event_id and walk.source is Source.DESK and walk.source_desk == LOBBY
    with database.read() as session:
        assert checked_in_count(session, event_id) == before_in + 4
        person = session.get(Person, walk.person_id)
        assert person is not None and person.email == "dana@example.kz"
        assert person.organisation is not None and person.organisation.name == {"en": "Astana Bar Association"}

    after = dump(database)
    again = merge_desk_file(database, path)
    assert (again.new_check_ins, again.walk_ins_added, again.people_added, again.changes) == (0, 0, 0, 0)
    assert again.already_present == 4  # the desk's own rows; not those the file came with
    assert dump(database) == after


def test_a_walk_in_made_at_the_desk_comes_back_with_its_patronymic(exported: tuple[Database, int, Path]) -> None:
    """Desk mode on the file registers a walk-in with ``desktop.core.desk.walk_in`` (family
    name, given name, patronymic); the merge brings the person back whole."""
    from db.models import Category
    from desktop.core.desk import walk_in as desk_walk_in

    database, event_id, path = exported
    desk = desk_db(path)
    try:
        with desk.read() as session:
            desk_event_id = session.scalars(select(Event.id)).one()
        made = desk_walk_in(desk, desk_event_id, "Алия", "Сарсенбаева", None, Category.PARTICIPANT, LOBBY,
                            patronymic="Нурлановна")
    finally:
        desk.close()
    report = merge_desk_file(database, path)
    assert report.walk_ins_added == 1 and report.people_added == 1
    with database.read() as session:
        person = session.execute(select(Person.given_name, Person.family_name, Person.patronymic)
                                 .join(Registration, Registration.person_id == Person.id)
                                 .where(Registration.badge_code == made.code,
                                        Registration.event_id == event_id)).one()
    assert tuple(person) == ("Алия", "Сарсенбаева", "Нурлановна")


def test_registrations_deleted_here_since_the_export_stay_deleted_unless_checked_in_at_the_desk(
        exported: tuple[Database, int, Path]) -> None:
    from desktop.core.registration_edit import remove_registrations

    database, event_id, path = exported
    gone_quietly, gone_but_came = unchecked_codes(database, event_id, 2)
    ids = [reg_by_code(database, c).id for c in (gone_quietly, gone_but_came)]
    desk = desk_db(path)
    try:
        came = check_in(desk, gone_but_came, LOBBY)
    finally:
        desk.close()
    with database.write() as session:
        remove_registrations(session, ids)

    report = merge_desk_file(database, path)
    assert report.deleted_here == 1 and report.walk_ins_added == 1 and report.new_check_ins == 1
    assert any(line.startswith("Not restored: 1 registration") for line in report.lines())
    assert len(report.restored) == 1 and any(line.startswith("Restored: ") for line in report.lines())
    with database.read() as session:
        codes = set(session.scalars(select(Registration.badge_code).where(Registration.event_id == event_id)))
    assert gone_quietly not in codes and gone_but_came in codes
    assert came in uuids(database, CheckIn, event_id)
    after = dump(database)
    assert merge_desk_file(database, path).changes == 0 and dump(database) == after


def test_dry_run_writes_nothing(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk = desk_db(path)
    try:
        check_in(desk, unchecked_codes(database, event_id, 1)[0], LOBBY)
        walk_in(desk, "Dana", "Seitkali", "WALK23")
    finally:
        desk.close()
    before = dump(database)
    report = merge_desk_file(database, path, dry_run=True)
    assert report.new_check_ins == 2 and report.walk_ins_added == 1
    assert dump(database) == before


def test_person_checked_in_at_two_desks_is_a_conflict_counted_once(
        exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    both, desk_only, undone = unchecked_codes(database, event_id, 3)
    nine = dt.datetime(2025, 2, 28, 4, 5, tzinfo=dt.UTC)  # 09:05 in Astana
    check_in(database, both, "Desk 1", at=nine)
    check_in(database, undone, "Desk 1", at=nine)
    desk = desk_db(path)
    try:
        check_in(desk, both, LOBBY, at=nine + dt.timedelta(minutes=7))
        check_in(desk, desk_only, LOBBY, at=nine + dt.timedelta(minutes=8))
        mistaken = check_in(desk, undone, LOBBY, at=nine + dt.timedelta(minutes=9))
        check_in(desk, undone, LOBBY, at=nine + dt.timedelta(minutes=10), action=CheckInAction.UNDO, undoes=mistaken)
    finally:
        desk.close()
    with database.read() as session:
        before_in = checked_in_count(session, event_id)
        before_participation = participation(session, event_id).checked_in

    report = merge_desk_file(database, path)
    name = _name(database, both)
    assert [(c.name, c.code, c.desk, c.other_desk) for c in report.conflicts] == [(name, both, LOBBY, "Desk 1")]
    conflict = report.conflicts[0]
    assert (conflict.desk_at, conflict.other_at) == (nine + dt.timedelta(minutes=7), nine)
    assert any(line == f"Conflict: {name} (badge {both}) checked in at {LOBBY} at 09:12 and at Desk 1 at 09:05; "
               "both records kept, counted once" for line in report.lines())
    with database.read() as session:
        assert checked_in_count(session, event_id) == before_in + 1  # desk_only; both counts once
        assert participation(session, event_id).checked_in == before_participation + 1
        rows = session.scalars(select(CheckIn.desk).join(Registration).where(Registration.badge_code == both)).all()
    assert sorted(rows) == ["Desk 1", LOBBY]  # both records kept
    assert len(merge_desk_file(database, path).conflicts) == 1  # still listed, nothing added


def _name(database: Database, code: str) -> str:
    from desktop.core.i18n import full_name

    with database.read() as session:
        p = session.execute(select(Person.given_name, Person.family_name, Person.display_name)
                            .join(Registration).where(Registration.badge_code == code)).one()
    return full_name(p[0], p[1], None, p[2])


def test_walk_in_with_a_roster_email_is_linked_not_duplicated(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    # Someone in the roster, not registered for the event (so not in the desk file).
    with database.write() as session:
        roster = Person(given_name="Asel", family_name="Akhmetzhanova", email="Asel@Example.KZ")
        session.add(roster)
        session.flush()
        roster_id = roster.id
    desk = desk_db(path)
    try:
        walk_in(desk, "Асель", "Ахметжанова", "WALK23", email=" asel@example.kz ")
    finally:
        desk.close()
    people_before = _count(database, Person)
    report = merge_desk_file(database, path)
    assert report.walk_ins_added == 1 and report.people_added == 0
    assert [(p.desk_name, p.roster_name) for p in report.people_linked] == [("Асель Ахметжанова", "Asel Akhmetzhanova")]
    assert any(line.startswith("Linked: Асель Ахметжанова") for line in report.lines())
    assert "1 person linked to the roster" in report.summary()
    assert _count(database, Person) == people_before
    assert reg_by_code(database, "WALK23").person_id == roster_id
    again = merge_desk_file(database, path)
    assert again.people_linked == [] and again.changes == 0


def test_walk_in_already_registered_here_joins_that_registration(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    with database.read() as session:
        code, email = session.execute(
            select(Registration.badge_code, Person.email).join(Person)
            .where(Registration.event_id == event_id, Person.email.is_not(None), ~Registration.check_ins.any())
            .order_by(Registration.id).limit(1)).one()
    desk = desk_db(path)
    try:  # the desk did not find them and registered them again
        walk_in(desk, "Someone", "Again", "WALK23", email=email.upper())
    finally:
        desk.close()
    regs_before = _count(database, Registration)
    report = merge_desk_file(database, path)
    assert report.walk_ins_added == 0 and report.new_check_ins == 1 and [j.code for j in report.joined] == [code]
    assert _count(database, Registration) == regs_before
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(CheckIn).join(Registration)
                              .where(Registration.badge_code == code)) == 1
    assert merge_desk_file(database, path).changes == 0


def test_walk_in_whose_code_was_taken_gets_a_fresh_one(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk = desk_db(path)
    try:
        walk_in(desk, "Dana", "Seitkali", "WALK23")
    finally:
        desk.close()
    # Meanwhile the main desk gave WALK23 to someone else.
    with database.write() as session:
        session.add(Registration(event_id=event_id, person=Person(given_name="Marat", family_name="Nurlanov"),
                                 badge_code="WALK23"))
    report = merge_desk_file(database, path)
    (change,) = report.codes_changed
    assert (change.name, change.desk_code) == ("Dana Seitkali", "WALK23") and change.new_code != "WALK23"
    assert reg_by_code(database, change.new_code).source is Source.DESK
    assert any("New badge code: Dana Seitkali had WALK23" in line for line in report.lines())
    assert merge_desk_file(database, path).changes == 0


def _count(database: Database, model: type) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# -- refusals: one sentence naming the file, nothing written ----------------------------------


def test_refuses_what_is_not_a_desk_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    text_file = tmp_path / "notes.deskdb"
    text_file.write_text("Desk 2 notes: 14 people\n", encoding="utf-8")
    empty = tmp_path / "empty.deskdb"
    empty.write_bytes(b"")
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    plain = tmp_path / "plain.sqlite"
    open_database(plain).close()
    cases = {
        text_file: "is not a Conference Desk desk file (it is not a SQLite database)",
        empty: "is not a Conference Desk desk file (it is not a SQLite database)",
        foreign: "is another program's SQLite file",
        plain: "is a Conference Desk database, not a desk file",
        tmp_path / "missing.deskdb": "does not exist",
        tmp_path: "is a folder",
    }
    before = dump(database)
    for path, message in cases.items():
        content = path.read_bytes() if path.is_file() else None
        with pytest.raises(NotADeskFile) as caught:
            merge_desk_file(database, path)
        assert str(caught.value).startswith(str(path)) and message in str(caught.value)
        assert "\n" not in str(caught.value)
        if content is not None:
            assert path.read_bytes() == content
    assert dump(database) == before


def test_refuses_a_desk_file_of_another_event(exported: tuple[Database, int, Path], tmp_path: Path) -> None:
    database, event_id, path = exported
    other = open_database(tmp_path / "elsewhere.sqlite")
    try:
        other_event = create_demo(other)  # the same programme, but another event (other uuids)
        foreign_desk = tmp_path / "elsewhere.deskdb"
        export_desk_file(other, foreign_desk, other_event)
    finally:
        other.close()
    before = dump(database)
    with pytest.raises(WrongEvent, match=r"elsewhere\.deskdb is the desk file of another event .*which this "
                       "database does not hold"):
        merge_desk_file(database, foreign_desk)
    with pytest.raises(WrongEvent, match=rf"lobby\.deskdb is the desk file of .* \(event {event_id}\), "
                       rf"not of event {event_id + 5}"):
        merge_desk_file(database, path, event_id + 5)
    assert dump(database) == before
    assert merge_desk_file(database, path, event_id).event_id == event_id


def test_refuses_the_open_database_itself(tmp_path: Path, db_templates: Templates) -> None:
    database = open_database(db_templates.copy_sqlite("demo", tmp_path / "main.sqlite"))
    try:
        with pytest.raises(NotADeskFile, match="is the database open now"):
            merge_desk_file(database, tmp_path / "main.sqlite")
    finally:
        database.close()


def test_desk_file_of_an_older_schema_is_refused_and_left_as_it_was(exported: tuple[Database, int, Path]) -> None:
    # Desk files of older schemas were written before desk files were signed: a merge
    # refuses them (tests/core/test_desk_file_signing.py) and reads no row, upgrading nothing.
    database, event_id, path = exported
    with sqlite3.connect(path, isolation_level=None) as conn:  # unsigned, as desk-export wrote it then
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'desk_seal_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE desk_seal")
        conn.execute("DELETE FROM desk_file WHERE key NOT IN ('event_uuid', 'check_in_top', 'registration_top', "
                     "'exported_at', 'source', 'source_event_id', 'format')")
        conn.execute("UPDATE desk_file SET value = '1' WHERE key = 'format'")
    desk = desk_db(path)
    try:
        check_in(desk, unchecked_codes(database, event_id, 1)[0], LOBBY)
        downgrade(desk.engine, "0001")
    finally:
        desk.close()
    content = path.read_bytes()
    assert read_desk_file_info(path).revision == "0001"
    before = dump(database)
    with pytest.raises(DeskFileError, match="is a desk file of an older kind, which is not signed"):
        merge_desk_file(database, path)
    assert dump(database) == before
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == ["lobby.deskdb"]


def test_merge_does_not_change_the_desk_file(exported: tuple[Database, int, Path]) -> None:
    database, event_id, path = exported
    desk = desk_db(path)
    try:
        check_in(desk, unchecked_codes(database, event_id, 1)[0], LOBBY)
    finally:
        desk.close()
    content = path.read_bytes()
    merge_desk_file(database, path)
    assert path.read_bytes() == content
