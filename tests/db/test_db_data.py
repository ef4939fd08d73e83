"""Writing data: transactions, UUIDs, the custom column types and the schema's constraints."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Enum, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from db.engine import Database
from db.models import (
    ALL_MODELS,
    Base,
    CheckIn,
    Organisation,
    Person,
    Registration,
    Role,
    RoleKind,
    Room,
    Sector,
)
from db.types import LocalText, UTCDateTime

if TYPE_CHECKING:
    from conftest import Sample  # tests/db/conftest.py

KAZAKH_LETTERS = "Ә Ғ Қ Ң Ө Ұ Ү Һ І ә ғ қ ң ө ұ ү һ і"


def count(db: Database, model: type[Base]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# --- transactions ----------------------------------------------------------------------


def test_write_commits(database: Database) -> None:
    with database.write() as s:
        s.add(Organisation(name={"en": "OSCE"}, sector=Sector.INTERNATIONAL))
    assert count(database, Organisation) == 1


class Boom(Exception):
    pass


def _raise_after_flush(s) -> None:  # type: ignore[no-untyped-def]
    s.flush()
    raise Boom("the user cancelled")


def _violate_uniqueness(s) -> None:  # type: ignore[no-untyped-def]
    s.flush()
    first = s.scalars(select(Organisation)).first()
    s.add(Organisation(uuid=first.uuid, name={"en": "copy"}))
    s.flush()


def _violate_foreign_key(s) -> None:  # type: ignore[no-untyped-def]
    s.flush()
    s.execute(text("INSERT INTO room (uuid, event_id, name, position) VALUES (:u, 987654, '{}', 0)"),
              {"u": uuid.uuid4().hex})


FAILURES: list[tuple[str, Callable[..., None], type[BaseException]]] = [
    ("python error", _raise_after_flush, Boom),
    ("duplicate uuid", _violate_uniqueness, IntegrityError),
    ("missing event", _violate_foreign_key, IntegrityError),
]


@pytest.mark.parametrize(("fail", "error"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
def test_failed_write_saves_nothing(
    database: Database, fail: Callable[..., None], error: type[BaseException]
) -> None:
    with database.write() as s:
        s.add(Organisation(name={"en": "Kept"}))
    with pytest.raises(error):
        with database.write() as s:
            s.add_all([Organisation(name={"en": f"Lost {i}"}) for i in range(3)])
            s.add(Person(given_name="Lost", family_name="Person"))
            fail(s)
    assert count(database, Organisation) == 1
    assert count(database, Person) == 0
    assert count(database, Room) == 0
    with database.write() as s:  # the database is still usable
        s.add(Organisation(name={"en": "After"}))
    assert count(database, Organisation) == 2


# --- UUIDs -----------------------------------------------------------------------------


def test_every_model_has_a_uuid_column() -> None:
    for model in ALL_MODELS:
        column = model.__table__.columns.get("uuid")
        assert column is not None, f"{model.__name__} has no uuid"
        assert not column.nullable and column.unique


def test_uuids_are_set_and_unique(database: Database, sample: Sample) -> None:
    with database.write() as s:
        s.add_all([Organisation(name={"en": f"Org {i}"}) for i in range(50)])
    seen: dict[uuid.UUID, str] = {}
    with database.read() as s:
        for model in ALL_MODELS:
            rows = s.execute(select(model.id, model.uuid)).all()
            assert rows, f"the sample has no {model.__name__}"
            for row_id, row_uuid in rows:
                assert isinstance(row_uuid, uuid.UUID), (model.__name__, row_id, row_uuid)
                assert row_uuid not in seen, f"{model.__name__} {row_id} repeats {seen.get(row_uuid)}"
                seen[row_uuid] = f"{model.__name__} {row_id}"
    assert len(seen) >= 50 + len(ALL_MODELS)


def test_uuid_can_be_given_and_is_kept(database: Database) -> None:
    given = uuid.UUID("6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f")
    with database.write() as s:
        s.add(Organisation(uuid=given, name={"en": "From another desk"}))
    with database.read() as s:
        assert s.scalar(select(Organisation.uuid)) == given


# --- LocalText -------------------------------------------------------------------------


LOCAL_TEXTS = [
    ("kazakh letters", {"kk": KAZAKH_LETTERS}, {"kk": KAZAKH_LETTERS}),
    (
        "three languages",
        {"en": "Supreme Court", "ru": "Верховный суд", "kk": "Қазақстан Республикасының Жоғарғы Соты"},
        {"en": "Supreme Court", "ru": "Верховный суд", "kk": "Қазақстан Республикасының Жоғарғы Соты"},
    ),
    ("empty strings dropped", {"en": "", "ru": "Суд", "kk": "   "}, {"ru": "Суд"}),
    ("None dropped", {"en": None, "kk": "Өскемен"}, {"kk": "Өскемен"}),
    ("all empty", {"en": "", "ru": ""}, {}),
    ("no mapping", None, {}),
    ("a language added by a user", {"de": "Oberstes Gericht", "kk": "Һ"}, {"de": "Oberstes Gericht", "kk": "Һ"}),
]


@pytest.mark.parametrize(("given", "expected"), [c[1:] for c in LOCAL_TEXTS], ids=[c[0] for c in LOCAL_TEXTS])
def test_local_text_round_trip(database: Database, given: object, expected: dict[str, str]) -> None:
    with database.write() as s:
        org = Organisation(name=given)
        s.add(org)
        s.flush()
        org_id = org.id
    with database.read() as s:
        assert s.get(Organisation, org_id).name == expected
        stored = s.execute(text("SELECT name FROM organisation WHERE id = :i"), {"i": org_id}).scalar()
    if isinstance(stored, str):  # SQLite hands back the JSON text
        stored = json.loads(stored)
    assert stored == expected, "empty texts must not be stored"


def test_local_text_refuses_a_bare_string(database: Database) -> None:
    with pytest.raises(StatementError, match="mapping"):
        with database.write() as s:
            s.add(Organisation(name="Supreme Court"))  # type: ignore[arg-type]
    assert count(database, Organisation) == 0


def test_local_text_columns_use_the_type() -> None:
    assert isinstance(Organisation.__table__.c.name.type, LocalText)
    assert isinstance(Person.__table__.c.position.type, LocalText)


# --- UTCDateTime -----------------------------------------------------------------------


ALMATY = dt.timezone(dt.timedelta(hours=5), "Asia/Almaty")
INSTANTS = [
    dt.datetime(2025, 5, 20, 9, 15, 30, 123456, tzinfo=dt.UTC),
    dt.datetime(2025, 5, 20, 9, 15, tzinfo=ALMATY),
    dt.datetime(2025, 3, 30, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
    dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=14))),
]


@pytest.mark.parametrize("instant", INSTANTS, ids=[i.isoformat() for i in INSTANTS])
def test_utc_datetime_round_trip(database: Database, sample: Sample, instant: dt.datetime) -> None:
    with database.write() as s:
        check = CheckIn(registration_id=sample.one("registration"), desk="Desk 2", action="in",
                        happened_at=instant)
        s.add(check)
        s.flush()
        check_id = check.id
    with database.read() as s:
        back = s.get(CheckIn, check_id).happened_at
    assert back == instant
    assert back.utcoffset() == dt.timedelta(0) and back.tzinfo == dt.UTC


def test_utc_datetime_orders_by_instant(database: Database, sample: Sample) -> None:
    # 10:00 in Almaty (05:00 UTC) happened before 06:00 UTC though its wall clock reads later.
    later_utc = dt.datetime(2025, 5, 20, 6, 0, tzinfo=dt.UTC)
    earlier_almaty = dt.datetime(2025, 5, 20, 10, 0, tzinfo=ALMATY)
    with database.write() as s:
        for desk, when in (("late", later_utc), ("early", earlier_almaty)):
            s.add(CheckIn(registration_id=sample.one("registration"), desk=desk, action="in",
                          happened_at=when))
    with database.read() as s:
        desks = s.scalars(
            select(CheckIn.desk).where(CheckIn.desk.in_(["late", "early"])).order_by(CheckIn.happened_at)
        ).all()
    assert desks == ["early", "late"]


def test_utc_datetime_refuses_naive(database: Database, sample: Sample) -> None:
    with pytest.raises(StatementError, match="aware"):
        with database.write() as s:
            s.add(CheckIn(registration_id=sample.one("registration"), desk="d", action="in",
                          happened_at=dt.datetime(2025, 5, 20, 9, 0)))


def test_utc_datetime_type_alone() -> None:
    t = UTCDateTime()
    stored = t.process_bind_param(dt.datetime(2025, 1, 1, 5, 0, tzinfo=ALMATY), None)
    assert stored == dt.datetime(2025, 1, 1, 0, 0) and stored.tzinfo is None
    assert t.process_result_value("2025-01-01 00:00:00", None) == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


# --- constraints -----------------------------------------------------------------------


def test_role_needs_a_session_or_an_item(database: Database, sample: Sample) -> None:
    with pytest.raises(IntegrityError):
        with database.write() as s:
            s.add(Role(person_id=sample.one("person"), kind=RoleKind.SPEAKER))
    with pytest.raises(IntegrityError):
        with database.write() as s:
            s.add(Role(person_id=sample.one("person"), kind=RoleKind.SPEAKER,
                       session_id=sample.one("session"), item_id=sample.one("agenda_item")))
    assert count(database, Role) == 2  # the sample's two


def test_orm_refuses_an_unknown_enum_value(database: Database, sample: Sample) -> None:
    with pytest.raises((StatementError, LookupError)):
        with database.write() as s:
            reg = s.get(Registration, sample.one("registration"))
            reg.status = "lost"  # type: ignore[assignment]


@dataclass(frozen=True)
class Rule:
    table: str
    bad: str  # a SET clause that breaks the rule
    good: str  # a SET clause of the same shape that keeps it
    names: tuple[str, ...]  # the error names one of these (SQLite names no foreign key)
    row: str = "first"  # which sample row: "first", "last" or "role in session"

    @property
    def id(self) -> str:
        return f"{self.table}: {self.bad}"


RULES = [
    Rule("role", "session_id = NULL", "session_id = session_id",
         ("ck_role_in_session_or_item",), "role in session"),
    Rule("role", "item_id = {agenda_item}", "position = 3",
         ("ck_role_in_session_or_item",), "role in session"),
    Rule("event", "ends_on = '2025-05-01'", "ends_on = '2025-05-22'", ("ck_event_dates_in_order",)),
    Rule("session", "ends_at = '2025-05-20 08:00:00'", "ends_at = '2025-05-20 12:00:00'",
         ("ck_session_times_in_order",)),
    Rule("agenda_item", "ends_at = '2025-05-20 09:00:00'", "ends_at = '2025-05-20 10:30:00'",
         ("ck_agenda_item_times_in_order",)),
    Rule("person", "given_name = '', family_name = ''", "given_name = '', family_name = 'Қасымова'",
         ("ck_person_has_name",)),
    Rule("check_in", "undoes = NULL", "desk = 'Desk 9'", ("ck_check_in_undo_names_target",), "last"),
    Rule("check_in", "undoes = uuid", "desk = 'Desk 9'", ("ck_check_in_undo_names_target",), "first"),
    Rule("room", "event_id = 987654", "capacity = 80",
         ("fk_room_event_id_event", "FOREIGN KEY constraint failed")),
]


def _enum_rules() -> list[Rule]:
    rules = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum):
                name = f"ck_{table.name}_{column.type.name}"
                rules.append(Rule(table.name, f"{column.name} = 'no-such-{column.name}'",
                                  f"{column.name} = {column.name}", (name,)))
    return rules


ALL_RULES = RULES + _enum_rules()


def _row(db: Database, sample: Sample, rule: Rule) -> int:
    if rule.row == "role in session":
        with db.read() as s:
            return s.scalar(select(Role.id).where(Role.session_id.is_not(None)))
    ids = sample.ids[rule.table]
    return ids[-1] if rule.row == "last" else ids[0]


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_database_enforces_rules(database: Database, sample: Sample, rule: Rule) -> None:
    """Each rule is kept by the database itself, not only by the ORM (raw SQL, both backends)."""
    keys = {name: ids[0] for name, ids in sample.ids.items()}
    row_id = _row(database, sample, rule)
    update = "UPDATE {table} SET {set} WHERE id = :id"

    with pytest.raises(IntegrityError) as err:
        with database.write() as s:
            s.execute(text(update.format(table=rule.table, set=rule.bad.format(**keys))), {"id": row_id})
    message = str(err.value.orig)
    assert any(n in message for n in rule.names), f"expected {rule.names} in {message!r}"

    with database.write() as s:  # the same statement is accepted when the rule holds
        result = s.execute(text(update.format(table=rule.table, set=rule.good.format(**keys))), {"id": row_id})
        assert result.rowcount == 1


def test_enum_rules_cover_every_enum_column() -> None:
    covered = {(r.table, r.bad.split(" = ")[0]) for r in _enum_rules()}
    assert ("registration", "status") in covered and ("role", "kind") in covered
    assert len(covered) == 10
