"""The desk's core (desktop/core/desk.py): each check-in state, codes as typed, undo, walk-ins,
counts, and finding people typed on the wrong layout or in transliteration — on SQLite and
PostgreSQL (the ``database`` fixture)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, insert, select, update

from db.engine import Database
from db.models import Category, CheckIn, CheckInAction, Person, Registration, Source, Status
from desktop.core import desk
from desktop.core.checkin import check_ins_of, participation
from desktop.core.desk import CheckInState, DeskError, check_in, desk_code
from desktop.core.name_match import LATIN_TO_KAZAKH, LATIN_TO_RUSSIAN


def _free(database: Database, event_id: int, *, status: Status = Status.CONFIRMED) -> tuple[int, str]:
    """A registration of ``status`` that is not checked in: (id, code)."""
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code)
                         .where(Registration.event_id == event_id, Registration.status == status)
                         .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    rid, code = next((rid, code) for rid, code in rows if rid not in arrived)
    return rid, code


def _rows(database: Database, rid: int) -> list[tuple[str, str]]:
    with database.read() as s:
        return [(a.value, d) for a, d in s.execute(
            select(CheckIn.action, CheckIn.desk).where(CheckIn.registration_id == rid).order_by(CheckIn.id))]


def test_checked_in_then_already(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    rid, code = _free(database, event_id)
    at = dt.datetime(2025, 2, 28, 4, 12, tzinfo=dt.UTC)  # 09:12 in Astana
    first = check_in(database, event_id, code, "Desk 1", now=at)
    assert first.state is CheckInState.CHECKED_IN and first.registration_id == rid
    assert first.name and first.category is not None and first.check_in_uuid is not None
    assert first.message.startswith(f"checked in: {first.name}")
    # Committed: another session sees the row.
    assert _rows(database, rid) == [("in", "Desk 1")]
    again = check_in(database, event_id, code, "Desk 2")
    assert again.state is CheckInState.ALREADY_CHECKED_IN
    assert (again.local_time, again.desk, again.at) == ("09:12", "Desk 1", at)
    assert again.message.startswith("already checked in at 09:12 (desk Desk 1)")
    assert _rows(database, rid) == [("in", "Desk 1")]  # nothing written by the repeat


def test_a_check_in_binds_its_instant_as_sqlalchemy_does() -> None:
    """The check-in writes its instant on SQLite as ``UTCDateTime`` would (the list, the
    figures and the desk-file merge read it back through the type), without its processors."""
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    dialect = SQLiteDialect_pysqlite()
    column_type = CheckIn.__table__.c.happened_at.type
    expected = column_type.dialect_impl(dialect).bind_processor(dialect)
    ours = desk._binders(dialect)[1]
    almaty = dt.timezone(dt.timedelta(hours=5))
    for instant in (dt.datetime(2025, 2, 28, 4, 12, tzinfo=dt.UTC), dt.datetime(2025, 2, 28, 9, 12, 7, 5, almaty),
                    dt.datetime(2024, 12, 31, 23, 59, 59, 999999, dt.UTC), dt.datetime(999, 1, 2, tzinfo=dt.UTC)):
        assert ours(instant) == expected(instant), instant
    with pytest.raises(ValueError):
        ours(dt.datetime(2025, 2, 28, 4, 12))  # naive: refused, as the type does


def test_by_registration_id(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    rid, _code = _free(database, event_id)
    assert check_in(database, event_id, rid, "Desk 1").state is CheckInState.CHECKED_IN
    assert check_in(database, event_id, rid, "Desk 1").state is CheckInState.ALREADY_CHECKED_IN


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.DECLINED])
def test_cancelled_and_declined_are_not_checked_in(demo: tuple[Database, int], status: Status) -> None:
    database, event_id = demo
    rid, code = _free(database, event_id, status=status)
    result = check_in(database, event_id, code, "Desk 1")
    assert result.state is CheckInState.CANCELLED and result.status is status
    assert result.message.endswith(f"is {status.value}; not checked in")
    assert _rows(database, rid) == []


@pytest.mark.parametrize("typed", ["", "   ", "ZZZZZZ", "ABC", "not a code at all", "0O1IL0"])
def test_not_registered(demo: tuple[Database, int], typed: str) -> None:
    database, event_id = demo
    with database.read() as s:
        before = s.scalar(select(func.count()).select_from(CheckIn))
    result = check_in(database, event_id, typed, "Desk 1")
    assert result.state is CheckInState.NOT_REGISTERED and result.registration_id is None
    assert "not checked in" in result.message
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == before


def test_code_of_another_event_is_not_registered(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    _rid, code = _free(database, event_id)
    assert check_in(database, event_id + 1000, code, "Desk 1").state is CheckInState.NOT_REGISTERED


def _as_typed(code: str) -> list[str]:
    russian = code.translate(LATIN_TO_RUSSIAN)
    kazakh = code.translate(LATIN_TO_KAZAKH)
    return [code.lower(), f"  {code[:3]}-{code[3:]}  ", f"{code[:2]} {code[2:4]} {code[4:]}", russian, kazakh,
            russian.lower()]


def test_codes_as_scanners_and_people_type_them(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    _rid, code = _free(database, event_id)
    for typed in _as_typed(code):
        assert desk_code(typed) == code, typed
    assert check_in(database, event_id, _as_typed(code)[3], "Desk 1").state is CheckInState.CHECKED_IN


@pytest.mark.parametrize(("typed", "code"), [
    ("abc234", "ABC234"), ("ABC-234", "ABC234"), (" a b c 2 3 4 ", "ABC234"),
    ("ФИС234", "ABC234"),          # Russian layout: the keys of A, B, C
    ("фис234", "ABC234"),
    ("ФИСәің", "ABC234"),          # Kazakh layout: 2, 3, 4 are ә, і, ң
    ("ЙЦУ567", "QWE567"),
])
def test_desk_code_table(typed: str, code: str) -> None:
    assert desk_code(typed) == code


def test_undo_appends_and_restores_state(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    rid, code = _free(database, event_id)
    with database.read() as s:
        before = participation(s, event_id).checked_in
    first = check_in(database, event_id, code, "Desk 1")
    with database.read() as s:
        assert participation(s, event_id).checked_in == before + 1
        last = desk.last_check_in_of_desk(s, event_id, "Desk 1")
    assert last is not None and last.uuid == first.check_in_uuid and last.registration_id == rid
    undone = desk.undo_check_in(database, last.uuid, "Desk 1")
    assert undone.registration_id == rid and not undone.checked_in
    assert _rows(database, rid) == [("in", "Desk 1"), ("undo", "Desk 1")]  # appended, nothing deleted
    with database.read() as s:
        assert participation(s, event_id).checked_in == before
        assert desk.last_check_in_of_desk(s, event_id, "Desk 1") != last
    with pytest.raises(DeskError, match="undone already"):
        desk.undo_check_in(database, last.uuid, "Desk 1")
    with pytest.raises(DeskError, match="not in the database"):
        desk.undo_check_in(database, uuid.uuid4(), "Desk 1")
    # Checked in again after the undo: CHECKED_IN, not ALREADY.
    assert check_in(database, event_id, code, "Desk 2").state is CheckInState.CHECKED_IN


def test_last_check_in_is_the_desks_own(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    _a, code_a = _free(database, event_id)
    check_in(database, event_id, code_a, "Desk A")
    _b, code_b = _free(database, event_id)
    check_in(database, event_id, code_b, "Desk B")
    with database.read() as s:
        last_a = desk.last_check_in_of_desk(s, event_id, "Desk A")
        assert desk.last_check_in_of_desk(s, event_id, "Nowhere") is None
    assert last_a is not None and last_a.registration_id == _a


def test_checked_out_person_is_checked_in_again(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    rid, code = _free(database, event_id)
    check_in(database, event_id, code, "Desk 1", now=dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.UTC))
    with database.write() as s:
        s.execute(insert(CheckIn).values(uuid=uuid.uuid4(), registration_id=rid, desk="Desk 1",
                                         action=CheckInAction.OUT,
                                         happened_at=dt.datetime(2025, 2, 28, 5, 0, tzinfo=dt.UTC),
                                         recorded_at=dt.datetime(2025, 2, 28, 5, 0, tzinfo=dt.UTC)))
    assert check_in(database, event_id, code, "Desk 2").state is CheckInState.CHECKED_IN


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81])
def test_desk_needs_a_name(demo: tuple[Database, int], bad: str) -> None:
    database, event_id = demo
    _rid, code = _free(database, event_id)
    with pytest.raises(DeskError):
        check_in(database, event_id, code, bad)


def test_walk_in_registers_and_checks_in(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    made = desk.walk_in(database, event_id, " Dana ", "Walker", "Astana Legal Clinic", Category.PRESS,
                        "Desk 1", email="dana.walker@example.org")
    assert made.check_in.state is CheckInState.CHECKED_IN and not made.person_reused
    assert made.check_in.name == "Dana Walker" and made.check_in.organisation == "Astana Legal Clinic"
    with database.read() as s:
        reg = s.execute(select(Registration.source, Registration.source_desk, Registration.category,
                               Registration.badge_code).where(Registration.id == made.registration_id)).one()
    assert reg == (Source.DESK, "Desk 1", Category.PRESS, made.code) and desk.desk_code(made.code) == made.code
    # The same e-mail again (another case): the roster's person, already in.
    again = desk.walk_in(database, event_id, "Dana", "Walker", None, Category.PARTICIPANT, "Desk 2",
                         email="DANA.WALKER@example.org")
    assert again.person_reused and again.already_registered and again.registration_id == made.registration_id
    assert again.check_in.state is CheckInState.ALREADY_CHECKED_IN and again.check_in.desk == "Desk 1"


def test_walk_in_of_a_roster_person_not_registered(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.write() as s:
        pid = s.execute(insert(Person).values(uuid=uuid.uuid4(), given_name="Rosa", family_name="Roster",
                                              email="rosa@example.org", display_name={}, position={},
                                              bio={})).inserted_primary_key[0]
    made = desk.walk_in(database, event_id, "R.", "Roster", None, Category.OBSERVER, "Desk 1", email="rosa@example.org")
    assert made.person_reused and not made.already_registered
    with database.read() as s:
        assert s.scalar(select(Registration.person_id).where(Registration.id == made.registration_id)) == pid
        assert s.scalar(select(func.count()).select_from(Person).where(Person.family_name == "Roster")) == 1


def test_walk_in_keeps_the_patronymic(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    made = desk.walk_in(database, event_id, " Алия ", "Сарсенбаева", None, Category.PARTICIPANT, "Desk 1",
                        patronymic="  Нурлановна ")
    with database.read() as s:
        person = s.execute(select(Person.given_name, Person.family_name, Person.patronymic)
                           .join(Registration, Registration.person_id == Person.id)
                           .where(Registration.id == made.registration_id)).one()
    assert tuple(person) == ("Алия", "Сарсенбаева", "Нурлановна")
    without = desk.walk_in(database, event_id, "Dana", "Walker", None, Category.PARTICIPANT, "Desk 1")
    with database.read() as s:
        assert s.scalar(select(Person.patronymic).join(Registration, Registration.person_id == Person.id)
                        .where(Registration.id == without.registration_id)) is None
    with pytest.raises(DeskError, match="at most 120"):
        desk.walk_in(database, event_id, "A", "B", None, Category.PARTICIPANT, "Desk 1", patronymic="x" * 121)


@pytest.mark.parametrize(("given", "family", "email", "message"), [
    ("", "  ", None, "given name or a family name"),
    ("Ann", "Lee", "not-an-email", "not an e-mail address"),
])
def test_walk_in_refuses_bad_input(demo: tuple[Database, int], given: str, family: str,
                                   email: str | None, message: str) -> None:
    database, event_id = demo
    with database.read() as s:
        before = s.scalar(select(func.count()).select_from(Registration))
    with pytest.raises(DeskError, match=message):
        desk.walk_in(database, event_id, given, family, None, Category.PARTICIPANT, "Desk 1", email=email)
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == before


def test_desk_counts(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        before = desk.desk_counts(s, event_id)
    assert before.checked_in == 24 and before.expected > before.checked_in
    assert sum(e for e, _ in before.by_sector.values()) == before.expected
    _rid, code = _free(database, event_id)
    check_in(database, event_id, code, "Desk 1")
    with database.read() as s:
        after = desk.desk_counts(s, event_id)
    assert after.checked_in == before.checked_in + 1
    assert sum(c for _, c in after.by_sector.values()) == after.checked_in


# -- finding people as typed ---------------------------------------------------------------------

NAMES = [  # (given, family, organisation)
    ("Иван", "Иванов", "Верховный суд"),
    ("Ержан", "Жиенбаев", None),
    ("Әсел", "Сәтбаева", "Қазақ университеті"),
    ("Нұрлан", "Қасымов", None),
    ("Юрий", "Хабаров", None),
    ("Pamela", "Harris", "Open Society"),
    ("Агнешка", "Wiśniewska", None),
]

MATCHES = [  # what is typed → the family name it must find
    ("Иванов", "Иванов"),
    ("иванов", "Иванов"),
    ("ИВАН ИВАН", "Иванов"),
    ("bdfyjd", "Иванов"),              # "иванов" on the Latin layout
    ("BDFYJD", "Иванов"),
    ("ivanov", "Иванов"),              # transliteration
    ("Ivanov Ivan", "Иванов"),
    ("dth[jdysq", "Иванов"),          # "верховный" on the Latin layout: the organisation
    ("zhienbayev", "Жиенбаев"),
    ("Zhienbaev", "Жиенбаев"),
    ("yerzhan", "Жиенбаев"),
    ("jienbaev", "Жиенбаев"),
    ("zhienbay", "Жиенбаев"),          # typed half-way through "ye"
    ("satbayeva", "Сәтбаева"),
    ("c2n,ftdf", "Сәтбаева"),          # "сәтбаева" on the Latin keys of the Kazakh layout
    ("сәтбаева", "Сәтбаева"),
    ("САТБАЕВА", "Сәтбаева"),
    ("qasymov", "Қасымов"),
    ("kassymov", "Қасымов"),
    ("Nurlan kas", "Қасымов"),
    ("kazak universiteti", "Сәтбаева"),
    ("yuriy khabarov", "Хабаров"),
    ("iurii habarov", "Хабаров"),
    ("Зфьудф", "Harris"),              # "Pamela" on the Russian layout
    ("памела", "Harris"),              # Cyrillic transliteration of a Latin name
    ("wisniewska", "Wiśniewska"),
    ("open soc", "Harris"),
]


@pytest.fixture
def named(demo: tuple[Database, int]) -> tuple[Database, int, dict[str, int]]:
    """An event with the people of NAMES: (database, event id, family name → registration id)."""
    database, event_id = demo
    ids: dict[str, int] = {}
    with database.write() as s:
        from desktop.core.organisations import find_or_create_organisation

        for n, (given, family, org) in enumerate(NAMES):
            org_id = find_or_create_organisation(s, org)[0] if org else None
            pid = s.execute(insert(Person).values(uuid=uuid.uuid4(), given_name=given, family_name=family,
                                                  organisation_id=org_id, display_name={}, position={},
                                                  bio={})).inserted_primary_key[0]
            ids[family] = s.execute(insert(Registration).values(
                uuid=uuid.uuid4(), event_id=event_id, person_id=pid, badge_code=f"TEST{n + 2}{n + 2}",
                status=Status.CONFIRMED)).inserted_primary_key[0]
    return database, event_id, ids


@pytest.mark.parametrize(("typed", "family"), MATCHES)
def test_matches_in_any_script_and_layout(named: tuple[Database, int, dict[str, int]], typed: str,
                                          family: str) -> None:
    database, event_id, ids = named
    with database.read() as s:
        found = [row.id for row in desk.desk_matches(s, event_id, typed, limit=8)]
    assert ids[family] in found, (typed, family)


def test_exact_badge_code_wins(named: tuple[Database, int, dict[str, int]]) -> None:
    database, event_id, ids = named
    with database.read() as s:
        assert desk.desk_matches(s, event_id, "test33")[0].id == ids["Жиенбаев"]  # TEST33
        assert desk.desk_matches(s, event_id, "ЕУЫЕ33")[0].id == ids["Жиенбаев"]  # on the Russian layout
        assert desk.desk_matches(s, event_id, "") == []
        assert desk.desk_matches(s, event_id, "qqqqqqqq") == []


def test_matches_see_a_new_name_after_a_change(named: tuple[Database, int, dict[str, int]]) -> None:
    database, event_id, ids = named
    with database.read() as s:
        assert desk.desk_matches(s, event_id, "tokayev") == []
    made = desk.walk_in(database, event_id, "Қасым", "Тоқаев", None, Category.PARTICIPANT, "Desk 1")
    with database.write() as s:  # a name edited elsewhere
        s.execute(update(Person).where(Person.family_name == "Хабаров")
                  .values(family_name="Габаров", updated_at=dt.datetime.now(dt.UTC)))
    with database.read() as s:
        assert [r.id for r in desk.desk_matches(s, event_id, "tokayev")] == [made.registration_id]
        assert ids["Хабаров"] in [r.id for r in desk.desk_matches(s, event_id, "gabarov")]
