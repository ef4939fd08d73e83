"""Importing into the database (SQLite and PostgreSQL): who is added, who is reported, and
that the import is all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    Category,
    Event,
    Gender,
    Organisation,
    Person,
    Registration,
    Sector,
    Source,
    Status,
)
from desktop.core.codes import is_valid_code
from desktop.core.importing import (
    EventMissing,
    ImportCancelled,
    ImportFileError,
    Outcome,
    import_attendees,
    importer,
    open_source,
    preview_import,
)
from tests.import_files import write_csv, write_xlsx

HEADER = ["ФИО", "Организация", "Должность", "E-mail", "Телефон", "Пол", "Страна", "Категория"]


@pytest.fixture
def event(database: Database) -> int:
    with database.write() as session:
        ev = Event(title={"en": "Round table"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
        session.add(ev)
        session.flush()
        return ev.id


def counts(database: Database) -> tuple[int, int, int]:
    with database.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(Registration)) or 0,
            session.scalar(select(func.count()).select_from(Organisation)) or 0,
        )


def people(database: Database, event_id: int) -> list[tuple[object, ...]]:
    with database.read() as session:
        return [tuple(r) for r in session.execute(
            select(Person.family_name, Person.given_name, Person.patronymic, Person.email, Person.phone,
                   Person.gender, Person.country, Person.position, Organisation.name, Registration.category,
                   Registration.source, Registration.source_file, Registration.source_row)
            .join(Registration, Registration.person_id == Person.id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Registration.event_id == event_id)
            .order_by(Registration.source_row)
        )]


def test_a_realistic_list_is_imported_and_reported(database: Database, event: int, tmp_path: Path) -> None:
    rows = [
        ["Список участников круглого стола"],
        [],
        HEADER,
        ["Сәрсенбаева Айгүл Нұрланқызы", "Жоғарғы Сот", "Судья", "A.Sarsenbayeva@Example.kz", 77011234567,
         "ж", "Қазақстан", "Спикер"],
        ["  Иванов   Иван Иванович ", "ТОО «Рога и копыта»", "Директор", "ivanov@example.kz", "+7 701 000 0000",
         "м", "KZ", ""],
        ["", "Минюст", "", "nobody@example.kz", "", "", "", ""],
        ["Петрова Анна", "Минюст", "Эксперт", "petrova@", "", "ж", "", ""],
        ["   ", " ", "", "", "", "", "", ""],
        ["John Smith", "OSCE", "Adviser", "john.smith@osce.example", "", "m", "United Kingdom", "observer"],
        ["Сарсенбаева Айгуль", "Жоғарғы Сот", "", "a.sarsenbayeva@example.kz ", "", "", "", ""],
        ["Иванов Иван", "тоо «рога и копыта»", "", "", "", "", "", ""],
        ["Итого: 5 человек"],
    ]
    path = write_xlsx(tmp_path / "Участники.xlsx", rows)
    report = import_attendees(database, path, event)
    assert (report.imported, report.duplicates, report.skipped) == (3, 2, 4)
    assert report.organisations_created == 3 and report.people_created == 3
    outcomes = [(v.row, v.outcome) for v in report.plan.verdicts]
    assert outcomes == [
        (4, Outcome.NEW), (5, Outcome.NEW), (6, Outcome.SKIPPED), (7, Outcome.SKIPPED), (8, Outcome.SKIPPED),
        (9, Outcome.NEW), (10, Outcome.DUPLICATE), (11, Outcome.DUPLICATE), (12, Outcome.SKIPPED),
    ]
    messages = {v.row: v.message for v in report.plan.verdicts}
    assert messages[6] == "No name: “ФИО” is empty."
    assert messages[7] == "The e-mail “petrova@” is not a valid address."
    assert messages[8] == "The row is blank."
    assert messages[10] == "The same e-mail as row 4 (a.sarsenbayeva@example.kz)."
    assert messages[11] == "The same name and organisation as row 5."
    assert messages[12] == "The row is a total (“Итого: 5 человек”), not a person."
    assert [v.column for v in report.plan.verdicts if v.row in (6, 7)] == ["ФИО", "E-mail"]

    got = people(database, event)
    assert got[0] == ("Сәрсенбаева", "Айгүл", "Нұрланқызы", "A.Sarsenbayeva@Example.kz", "77011234567",
                      Gender.FEMALE, "KZ", {"ru": "Судья"}, {"kk": "Жоғарғы Сот"}, Category.SPEAKER,
                      Source.IMPORT, "Участники.xlsx", 4)
    assert got[1][:8] == ("Иванов", "Иван", "Иванович", "ivanov@example.kz", "+7 701 000 0000", Gender.MALE, "KZ",
                          {"ru": "Директор"})
    assert got[1][8] == {"ru": "ТОО «Рога и копыта»"}
    assert got[2][:8] == ("Smith", "John", None, "john.smith@osce.example", None, Gender.MALE, "GB", {"en": "Adviser"})
    assert got[2][9] == Category.OBSERVER
    with database.read() as session:
        codes = session.scalars(select(Registration.badge_code).where(Registration.event_id == event)).all()
        statuses = set(session.scalars(select(Registration.status)).all())
    assert len(set(codes)) == 3 and all(is_valid_code(c) for c in codes)
    assert statuses == {Status.REGISTERED}


def test_importing_twice_adds_nobody(database: Database, event: int, tmp_path: Path) -> None:
    rows = [HEADER,
            ["Иванов Иван Иванович", "Минюст", "", "ivanov@example.kz", "", "", "", ""],
            ["Ким Ли", "", "", "", "", "", "", ""],
            ["Smith John", "OSCE", "", "", "", "", "", ""]]
    path = write_csv(tmp_path / "list.csv", rows)
    first = import_attendees(database, path, event)
    assert first.imported == 3
    before = counts(database)
    second = import_attendees(database, path, event)
    assert (second.imported, second.duplicates, second.skipped) == (0, 3, 0)
    assert counts(database) == before
    assert all(v.message.startswith("Already registered for this event") for v in second.plan.verdicts)
    # the same people again, in another order, case and spelling of spaces
    again = write_csv(tmp_path / "again.csv", [
        ["Фамилия", "Имя", "Организация", "E-mail"],
        ["John", "SMITH", "osce", ""],
        ["ИВАНОВ", "иван", "", " IVANOV@example.KZ "],
    ])
    third = import_attendees(database, again, event)
    assert (third.imported, third.duplicates) == (0, 2)
    assert counts(database) == before


def test_namesakes_with_different_emails_are_two_people(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [
        ["ФИО", "Организация", "E-mail"],
        ["Ким Александр", "Минюст", "kim1@example.kz"],
        ["Ким Александр", "Минюст", "kim2@example.kz"],
        ["Ким Александр Петрович", "Минюст", ""],
    ])
    report = import_attendees(database, path, event)
    assert [v.outcome for v in report.plan.verdicts] == [Outcome.NEW, Outcome.NEW, Outcome.DUPLICATE]


def test_a_roster_person_with_the_same_email_is_registered_not_duplicated(
        database: Database, event: int, tmp_path: Path) -> None:
    with database.write() as session:
        org = Organisation(name={"en": "Supreme Court", "ru": "Верховный Суд"}, short_name={"en": "SC"},
                           sector=Sector.JUDICIARY)
        session.add(Person(given_name="Asel", family_name="Nurlanova", email="Asel@Court.example.kz", organisation=org))
    path = write_csv(tmp_path / "list.csv", [
        ["ФИО", "Организация", "E-mail"],
        ["Нұрланова Әсел", "Жоғарғы Сот", "asel@court.example.kz"],
        ["Омаров Ерлан", "верховный суд", "omarov@example.kz"],
        ["Beck Anna", "sc", ""],
    ])
    before = counts(database)
    report = import_attendees(database, path, event)
    assert [v.outcome for v in report.plan.verdicts] == [Outcome.ROSTER, Outcome.NEW, Outcome.NEW]
    assert report.plan.verdicts[0].message == (
        "Already in the roster as Nurlanova Asel (same e-mail): will be registered.")
    assert report.organisations_created == 0
    assert counts(database) == (before[0] + 2, before[1] + 3, before[2])
    with database.read() as session:
        orgs = set(session.scalars(select(Person.organisation_id)).all())
        assert len(orgs) == 1
        assert session.scalar(select(func.count()).select_from(Person).where(
            func.lower(Person.email) == "asel@court.example.kz")) == 1


def test_duplicates_against_the_event_and_not_other_events(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@example.kz"]])
    assert import_attendees(database, path, event).imported == 1
    with database.write() as session:
        other = Event(title={"en": "Seminar"}, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 1))
        session.add(other)
        session.flush()
        other_id = other.id
    report = import_attendees(database, path, other_id)
    assert [v.outcome for v in report.plan.verdicts] == [Outcome.ROSTER]
    assert counts(database)[0] == 1


def test_dry_run_writes_nothing_and_says_the_same(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [
        ["ФИО", "Организация", "E-mail"], ["Иванов Иван", "Минюст", "i@example.kz"], ["Петрова Анна", "Суд", "bad"]])
    before = counts(database)
    dry = import_attendees(database, path, event, dry_run=True)
    assert counts(database) == before
    assert (dry.dry_run, dry.imported, dry.skipped, dry.organisations_created) == (True, 1, 1, 1)
    assert dry.summary() == "Would import 1, duplicates 0, skipped 1."
    real = import_attendees(database, path, event)
    assert [v.message for v in real.plan.verdicts] == [v.message for v in dry.plan.verdicts]
    assert real.summary() == "Imported 1, duplicates 0, skipped 1."


def test_preview_matches_the_import(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Фамилия", "Имя", "E-mail"], ["Иванов", "Иван", "i@example.kz"]])
    table, layout = open_source(path)
    plan = preview_import(database, table, layout, event)
    assert [(v.row, v.outcome) for v in plan.verdicts] == [(2, Outcome.NEW)]
    assert counts(database) == (0, 0, 0)
    report = import_attendees(database, table, event, layout=layout)
    assert report.imported == 1


def many_rows(n: int) -> list[list[object]]:
    return [["ФИО", "Организация", "E-mail"]] + [
        [f"Участник{i} Имя{i}", f"Организация {i % 7}", f"p{i}@example.kz"] for i in range(n)]


@pytest.mark.parametrize("fail_at", ["people", "registrations"])
def test_a_failure_midway_leaves_nothing(database: Database, event: int, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, fail_at: str) -> None:
    path = write_csv(tmp_path / "list.csv", many_rows(500))
    monkeypatch.setattr(importer, "BATCH", 50)
    real_write = importer.RowWriter.write
    written: list[int] = []

    def failing_write(self: importer.RowWriter, rows: list[tuple[object, ...]]) -> None:
        real_write(self, rows)
        if self.table.name == ("person" if fail_at == "people" else "registration"):
            written.append(len(rows))
            if sum(written) >= 250:  # half the rows are in...
                raise RuntimeError("disk full")  # ...when something breaks

    monkeypatch.setattr(importer.RowWriter, "write", failing_write)
    with pytest.raises(RuntimeError, match="disk full"):
        import_attendees(database, path, event)
    assert written == [50] * 5  # written in batches, not all at once
    assert counts(database) == (0, 0, 0)


def test_cancelling_from_the_progress_callback_rolls_back(database: Database, event: int, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 100)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= total // 2:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        import_attendees(database, write_csv(tmp_path / "list.csv", many_rows(400)), event, progress=progress)
    assert seen[0] == (0, 400) and seen[-1][0] >= 200
    assert counts(database) == (0, 0, 0)


def test_progress_reaches_the_total(database: Database, event: int, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_attendees(database, write_csv(tmp_path / "list.csv", many_rows(30)), event,
                     progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 30) and seen[-1] == (30, 30)  # the file's rows below the header


def test_badge_codes_avoid_the_events_codes(database: Database, event: int, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from desktop.core import codes

    with database.write() as session:
        person = Person(given_name="A", family_name="B")
        session.add(Registration(event_id=event, person=person, badge_code="ZZZZZZ"))
    rng = random.Random(7)
    first = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
    draws = iter(["ZZZZZZ", first])
    monkeypatch.setattr(importer.BadgeCodes, "new", lambda self: _next_code(self, draws))
    import_attendees(database, write_csv(tmp_path / "l.csv", [["ФИО"], ["Иванов Иван"]]), event)
    with database.read() as session:
        got = sorted(session.scalars(select(Registration.badge_code)).all())
    assert got == sorted(["ZZZZZZ", first])


def _next_code(gen: object, draws: object) -> str:
    taken = gen._taken  # type: ignore[attr-defined]
    for code in draws:  # type: ignore[attr-defined]
        if code not in taken:
            taken.add(code)
            return code
    raise AssertionError("ran out of codes")


def test_values_too_long_for_their_field_go_to_the_notes(database: Database, event: int, tmp_path: Path) -> None:
    long_phone = "+7 701 111 1111, +7 702 222 2222, +7 717 333 3333"
    path = write_csv(tmp_path / "l.csv", [["ФИО", "Телефон", "Примечание"], ["Иванов Иван", long_phone, "VIP"]])
    report = import_attendees(database, path, event)
    verdict = report.plan.verdicts[0]
    assert verdict.warnings == ("the phone is longer than 40 characters; it is kept in the notes",)
    with database.read() as session:
        phone, notes = session.execute(select(Person.phone, Registration.notes).join(Registration)).one()
    assert phone is None and notes == f"VIP\nPhone: {long_phone}"


def test_unknown_coded_values_are_warned_and_defaulted(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [
        ["ФИО", "Пол", "Страна", "Категория", "Статус", "E-mail"],
        ["Иванов Иван", "?", "Атлантида", "VIP", "потом", "a@example.kz; b@example.kz"],
    ])
    verdict = import_attendees(database, path, event).plan.verdicts[0]
    assert verdict.outcome is Outcome.NEW
    assert verdict.warnings == (
        "the cell holds several e-mail addresses; the first, a@example.kz, is used (also given: b@example.kz)",
        "the country “Атлантида” is not one this app knows; left empty",
        "the gender “?” is not one this app knows; left as not stated",
        "the category “VIP” is not one this app knows; left as participant",
        "the status “потом” is not one this app knows; left as registered",
    )


NEEDS_HEADERS = {
    "ru": ["ФИО", "Синхронный перевод", "Доступная среда", "Согласие на фото"],
    "kk": ["Аты-жөні", "Ілеспе аударма", "Ерекше қажеттіліктер", "Суретке түсіруге келісім"],
    "en": ["Full name", "Interpretation language", "Accessibility needs", "Photo consent"],
}
# (cell of interpretation, accessibility, consent) → (interpretation, accessibility, consent)
NEEDS_ROWS = [
    (("русский", "Пандус", "Да"), ("ru", "Пандус", True)),
    (("Орыс тілі", "", "нет"), ("ru", None, False)),
    (("қазақша", "Кресло-коляска", "Иә"), ("kk", "Кресло-коляска", True)),
    (("EN", "", "жоқ"), ("en", None, False)),
    (("на английский", "Sign language", "yes"), ("en", "Sign language", True)),
    (("Нет", "", "No"), (None, None, False)),
    (("", "", ""), (None, None, None)),
]


@pytest.mark.parametrize("lang", list(NEEDS_HEADERS))
def test_interpretation_accessibility_and_photo_consent_are_imported(
        database: Database, event: int, tmp_path: Path, lang: str) -> None:
    """The needs columns are found by their headers in each language; yes/no is read in
    English, Russian and Kazakh; a language is stored as its code."""
    rows = [[f"Иванов{n} Иван", *cells] for n, (cells, _) in enumerate(NEEDS_ROWS)]
    path = write_xlsx(tmp_path / "needs.xlsx", [NEEDS_HEADERS[lang], *rows])
    report = import_attendees(database, path, event)
    assert all(not v.warnings for v in report.plan.verdicts)
    with database.read() as session:
        stored = session.execute(
            select(Registration.interpretation, Registration.accessibility, Registration.photo_consent)
            .where(Registration.event_id == event).order_by(Registration.source_row)).all()
    assert [tuple(r) for r in stored] == [expected for _, expected in NEEDS_ROWS]


def test_unknown_needs_values_are_warned_and_left_empty(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [
        ["ФИО", "Язык перевода", "Согласие на фото", "Доступная среда"],
        ["Иванов Иван", "французский", "может быть", "x" * 201],
    ])
    verdict = import_attendees(database, path, event).plan.verdicts[0]
    assert verdict.outcome is Outcome.NEW
    assert verdict.warnings == (
        "the interpretation language “французский” is not one this app knows; left empty",
        "the photo consent “может быть” is not one this app knows; left as not asked",
        "the accessibility needs are longer than 200 characters; they are kept in the notes",
    )
    with database.read() as session:
        row = session.execute(select(Registration.interpretation, Registration.photo_consent,
                                     Registration.accessibility, Registration.notes)).one()
    assert tuple(row) == (None, None, None, "Accessibility needs: " + "x" * 201)


def test_new_organisation_takes_its_sector_and_is_created_once(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [
        ["ФИО", "Организация", "Сектор"],
        ["Иванов Иван", "Институт права", ""],
        ["Петрова Анна", "ИНСТИТУТ ПРАВА", "Академия"],
        ["Ким Ли", "«Институт права»", "НПО"],
    ])
    report = import_attendees(database, path, event)
    assert report.organisations_created == 1
    with database.read() as session:
        orgs = session.execute(select(Organisation.name, Organisation.sector)).all()
    assert [tuple(o) for o in orgs] == [({"ru": "Институт права"}, Sector.ACADEMIA)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Место работы", "Должность"], ["Минюст", "Судья"]],
         "list.csv: no column holds names (such as “ФИО”, “Фамилия” or “Имя”); say which one does."),
        ([["a", "b"], ["c", "d"]],
         "list.csv: no header row naming the columns (such as “ФИО”, “Фамилия”, “Организация”, “E-mail”) "
         "was found in the first rows; say which column holds the names."),
    ],
)
def test_a_list_without_names_is_refused(database: Database, event: int, tmp_path: Path,
                                         rows: list[list[str]], message: str) -> None:
    with pytest.raises(ImportFileError) as exc:
        import_attendees(database, write_csv(tmp_path / "list.csv", rows), event)
    assert str(exc.value) == message


def test_missing_event(database: Database, tmp_path: Path) -> None:
    with pytest.raises(EventMissing):
        import_attendees(database, write_csv(tmp_path / "l.csv", [["ФИО"], ["Иванов Иван"]]), 999)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@mail"]]), "skipped"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@mail.ru"]]), "new"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "ivanov @ mail.ru"]]), "new"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "иванов@почта.қаз"]]), "new"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "a..b@mail.ru"]]), "skipped"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "@mail.ru"]]), "skipped"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", "ivanov@mail.123"]]), "skipped"),
        (lambda p: write_csv(p / "l.csv", [["ФИО"], ["Я" * 121 + " Иван"]]), "skipped"),
        (lambda p: write_csv(p / "l.csv", [["ФИО", "E-mail"], ["Иванов Иван", ""], ["ФИО", "E-mail"]]), "skipped"),
    ],
)
def test_row_rules(database: Database, event: int, tmp_path: Path,
                   make: Callable[[Path], Path], expected: str) -> None:
    verdict = import_attendees(database, make(tmp_path), event, dry_run=True).plan.verdicts[-1]
    assert verdict.outcome.value == expected, verdict.message


def test_two_desks_importing_the_same_list_at_once_add_everyone_once(
        database: Database, event: int, tmp_path: Path) -> None:
    """SQLite lets one writer in at a time; on PostgreSQL an advisory lock per event makes
    the second import wait, then find everyone registered."""
    import threading

    path = write_csv(tmp_path / "list.csv", many_rows(300))
    table, layout = open_source(path)
    start = threading.Barrier(2)
    reports = []
    errors: list[BaseException] = []

    def desk() -> None:
        try:
            start.wait(5)
            reports.append(import_attendees(database, table, event, layout=layout))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(r.imported for r in reports) == [0, 300]
    assert counts(database)[:2] == (300, 300)


def test_rows_stream_from_the_file_to_the_database(database: Database, event: int, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The table keeps only its head; while the import writes, at most a batch of rows'
    values (attendees) is alive, and the plan keeps each verdict compactly."""
    import gc

    from desktop.core.importing import reading, validation

    monkeypatch.setattr(importer, "BATCH", 100)
    path = write_csv(tmp_path / "list.csv", many_rows(3000))
    table, layout = open_source(path)
    assert len(table.rows) == reading.HEAD_ROWS < 3000 and table.rows_hint >= 3001
    alive: list[int] = []

    def progress(done: int, total: int) -> None:
        alive.append(sum(1 for o in gc.get_objects() if type(o) is validation.Attendee))

    report = import_attendees(database, table, event, layout=layout, progress=progress)
    assert report.imported == 3000 and counts(database)[:2] == (3000, 3000)
    assert len(alive) > 20 and max(alive) <= 2 * 100, alive  # a batch or two, never the file
    verdicts = report.plan.verdicts
    assert isinstance(verdicts, validation.VerdictLog) and len(verdicts) == 3000
    assert [v.row for v in verdicts[-2:]] == [3000, 3001] and verdicts[-1].texts[2] == "p2999@example.kz"
    assert verdicts[1234].attendee is None and verdicts[1234].outcome is Outcome.NEW


def test_a_bad_row_deep_in_the_file_rolls_the_import_back(database: Database, event: int, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A text file's rows beyond its head are checked as they are read: the import has
    written earlier batches by then, and all of it is rolled back."""
    from desktop.core.importing import Limits

    monkeypatch.setattr(importer, "BATCH", 100)
    rows = many_rows(1000)
    rows[900] = rows[900] + ["x"] * 10
    path = write_csv(tmp_path / "list.csv", rows)
    with pytest.raises(ImportFileError) as exc:
        import_attendees(database, path, event, limits=Limits(max_columns=5))
    assert str(exc.value) == "list.csv, row 901: 13 columns; at most 5 can be read."
    assert counts(database) == (0, 0, 0)


def test_a_list_changed_after_the_preview_is_refused(database: Database, event: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", many_rows(400))
    table, layout = open_source(path)
    assert preview_import(database, table, layout, event).imported == 400
    write_csv(path, many_rows(401))
    with pytest.raises(ImportFileError, match=r"^list\.csv has changed since it was read; choose it again\.$"):
        import_attendees(database, table, event, layout=layout)
    assert counts(database) == (0, 0, 0)


def test_organisations_are_written_with_their_batch_and_a_later_row_gives_the_sector(
        database: Database, event: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [["ФИО", "Организация", "Сектор"], ["Иванов Иван", "Минюст", ""], ["Петров Пётр", "Минюст", ""],
            ["Сидоров Сидор", "Минюст", "госорган"], ["Ким Ли", "OSCE", "международная организация"]]
    report = import_attendees(database, write_csv(tmp_path / "list.csv", rows), event)
    assert report.organisations_created == 2 and report.imported == 4
    with database.read() as session:
        found = {next(iter(o.name.values())): o.sector for o in session.scalars(select(Organisation))}
        assert found == {"Минюст": Sector.GOVERNMENT, "OSCE": Sector.INTERNATIONAL}
        assert session.scalar(select(func.count()).select_from(Person).where(Person.organisation_id.is_(None))) == 0
