"""Registrations of an event as plain rows, and the figures a desk and a donor ask for;
the registration list (search, filters, sort and windows, all in the database), and the
edits an organiser makes to it.

The list (``find_registrations``, ``registration_ids`` + ``rows_for_ids``) searches and
sorts in SQL and returns plain rows, never ORM objects: at 100,000 registrations a window
of rows costs milliseconds. Search goes through the person search index of migration 0002
(``db/search.py``): every word typed must begin a word of the person's names, e-mail or
organisation names, in any script and case; a badge code (or its first four or more
characters) typed alone finds its registration too.

Every edit is one transaction (``Database.write()``) and returns what undoing it needs:

* ``set_status``, ``set_category``, ``update_details`` return a ``FieldChange`` (the values
  before and after); ``apply_values(db, change.before)`` undoes it, ``…after`` redoes it.
* ``register`` returns a ``Registered`` (the rows it made); ``unregister`` undoes it and
  ``restore_registered`` makes the rows again.
* ``remove_registrations`` returns ``Removed`` rows; ``restore_removed`` puts them back.

Removal rule: a registration with check-in records is never removed — they are the record
that the person came, other desks merge them by UUID, and deleting them would let a merge
bring them back without their registration. The organiser is told to cancel it instead
(``RegistrationHasCheckIns``); nothing is removed when one of the chosen registrations has
check-ins. Removing a registration keeps the person in the roster.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import uuid as uuid_mod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Select,
    String,
    Text,
    bindparam,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database, RawRead
from db.models import (
    Category,
    CheckIn,
    CheckInAction,
    Event,
    Gender,
    Organisation,
    Person,
    Registration,
    Role,
    Sector,
    Source,
    Status,
)
from db.search import fts5_query, heads, like_patterns, search_terms
from db.types import utcnow
from desktop.core.codes import ALPHABET, LENGTH, BadgeCodes, normalise_code
from desktop.core.i18n import FALLBACKS, full_name, text

# Statuses of people who are expected at the event (for "checked in of expected").
EXPECTED = (Status.REGISTERED, Status.CONFIRMED)


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    code: str
    name: str
    organisation: str
    sector: Sector | None
    category: Category
    status: Status
    checked_in_at: dt.datetime | None  # aware UTC
    desk: str | None


def registration_rows(session: OrmSession, event_id: int, lang: str = "en",
                      *, status: Status | None = None) -> list[RegistrationRow]:
    """The event's registrations by surname, with when and where each was checked in.

    Two queries, each one pass: the registrations, and the check-in rows of the event (their
    state worked out in Python, ``latest_arrivals``). A join to the per-registration
    check-in subquery instead made SQLite run it again for every registration (22 s at
    20,000 registrations).
    """
    conn, dialect = session.connection(), _dialect(session)
    params: dict[str, Any] = {"event_id": event_id}
    if status is not None:
        params["status"] = Status(status).value
    found = _fetch(conn, _event_rows_sql(dialect, status is not None), params)
    return _rows(conn, dialect, found, lang, _event_arrivals(conn, dialect, event_id))


@dataclass(frozen=True)
class Participation:
    """Figures for the desk and the donor."""

    registered: int                  # every registration
    expected: int                    # registered or confirmed
    checked_in: int
    by_status: dict[Status, int]
    by_sector: dict[Sector | None, tuple[int, int]]            # expected, checked in
    by_sector_gender: dict[tuple[Sector | None, Gender], int]  # of the expected


def participation(session: OrmSession, event_id: int) -> Participation:
    """The figures of the event: one pass over its registrations, one over its check-ins."""
    conn, dialect = session.connection(), _dialect(session)
    arrived = _event_arrivals(conn, dialect, event_id)
    rows = [
        (_STATUS[st], _SECTOR[sector] if sector else None, _GENDER[gender], rid in arrived)
        for rid, st, sector, gender in _fetch(conn, _event_people_sql(dialect), {"event_id": event_id})
    ]
    by_status: Counter[Status] = Counter()
    expected_by_sector: Counter[Sector | None] = Counter()
    in_by_sector: Counter[Sector | None] = Counter()
    by_sector_gender: Counter[tuple[Sector | None, Gender]] = Counter()
    checked = 0
    for st, sector, gender, is_in in rows:
        by_status[st] += 1
        if st in EXPECTED or is_in:
            expected_by_sector[sector] += 1
            by_sector_gender[(sector, gender)] += 1
        if is_in:
            checked += 1
            in_by_sector[sector] += 1
    return Participation(
        registered=len(rows),
        expected=sum(expected_by_sector.values()),
        checked_in=checked,
        by_status=dict(by_status),
        by_sector={s: (expected_by_sector[s], in_by_sector[s]) for s in expected_by_sector},
        by_sector_gender=dict(by_sector_gender),
    )


def recent_check_ins(session: OrmSession, event_id: int, limit: int = 50,
                     lang: str = "en") -> list[RegistrationRow]:
    """The people checked in most recently, newest first (the same time: by surname)."""
    conn, dialect = session.connection(), _dialect(session)
    arrived = _event_arrivals(conn, dialect, event_id)
    if not arrived or limit <= 0:
        return []
    times = sorted((at for at, _desk in arrived.values()), reverse=True)
    last = times[min(limit, len(times)) - 1]
    newest = [rid for rid, (at, _desk) in arrived.items() if at >= last]  # ties at the end too
    if len(newest) > _IN_CHUNK:  # thousands at the same instant: the whole list, by surname
        rows = [r for r in registration_rows(session, event_id, lang) if r.checked_in_at is not None]
    else:
        found = _fetch(conn, _by_ids_sql(dialect)[0], {"ids": _ids_value(dialect, newest)})
        rows = _rows(conn, dialect, found, lang, arrived)
    rows.sort(key=lambda r: r.checked_in_at or _EPOCH, reverse=True)  # stable: by surname within
    return rows[:limit]


def count_registrations(session: OrmSession, event_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Registration.event_id == event_id)) or 0)


def checked_in_count(session: OrmSession, event_id: int) -> int:
    """How many of the event's registrations are checked in now."""
    return len(_event_arrivals(session.connection(), _dialect(session), event_id))


# == the registration list: search, filters, sort, windows ====================================


class SortColumn(str, enum.Enum):
    """What the list can be sorted by (in the database)."""

    NAME = "name"                  # family name, then given name
    ORGANISATION = "organisation"  # in the chosen language (falling back like the display)
    SECTOR = "sector"
    CATEGORY = "category"          # in the order of ``Category``
    STATUS = "status"              # in the order of ``Status`` (invited … cancelled)
    CODE = "code"
    CHECKED_IN = "checked_in"      # when; people not checked in come last either way


@dataclass(frozen=True)
class RegistrationFilter:
    """Which registrations the list holds. Empty sets mean "any".

    ``search`` is what the user typed (see the module docstring); ``sectors`` may hold
    ``None`` for people without an organisation; ``checked_in`` is True (checked in now),
    False (not checked in) or None (either).
    """

    search: str = ""
    statuses: frozenset[Status] = field(default_factory=frozenset)
    sectors: frozenset[Sector | None] = field(default_factory=frozenset)
    categories: frozenset[Category] = field(default_factory=frozenset)
    checked_in: bool | None = None

    @property
    def is_everyone(self) -> bool:
        return (not search_terms(self.search) and _code_prefix(self.search) is None
                and not self.statuses and not self.sectors and not self.categories
                and self.checked_in is None)


@dataclass(frozen=True)
class RegistrationSort:
    column: SortColumn = SortColumn.NAME
    descending: bool = False


@dataclass(frozen=True)
class RegistrationPage:
    """A window of the list: ``rows`` from position ``offset`` of ``total`` matching rows."""

    rows: list[RegistrationRow]
    total: int
    offset: int


MIN_CODE_PREFIX = 4
"""A badge code typed alone matches from this many characters on (fewer would match names)."""

# The search index of migration 0002, seen from SQL (it is not one of the models).
_FTS = table("person_search", column("rowid"), column("doc"))
_PG_SEARCH = table("person_search", column("person_id"), column("doc"), column("heads"))
_IN_CHUNK = 5000  # ids per "IN (...)": SQLite allows 32,766 variables in one statement


def _dialect(session: OrmSession) -> str:
    return session.get_bind().dialect.name


Reader = OrmSession | RawRead
"""What the list's functions read through: a session (``Database.read()``, or a write's),
or the lighter ``Database.read_raw()`` that a search on every keystroke uses."""


def _connection(reader: Reader) -> tuple[Any, str]:
    """The connection of ``reader`` that ``_fetch`` runs on, and the dialect's name."""
    if isinstance(reader, RawRead):
        return reader, reader.dialect.name
    return reader.connection(), _dialect(reader)


def _code_prefix(query: str) -> str | None:
    """The badge code (or its beginning) that ``query`` is, if it can be one."""
    if any(not (ch.isalnum() or ch in " -") for ch in query.strip()):
        return None
    code = normalise_code(query)
    if MIN_CODE_PREFIX <= len(code) <= LENGTH and all(ch in ALPHABET for ch in code):
        return code
    return None


def matching_people(dialect: str, terms: Sequence[str]) -> Select[Any]:
    """A select of the ids of the people whose search document has every term as the start
    of one of its words (``terms`` from ``db.search.search_terms``, not empty)."""
    if dialect == "sqlite":
        return select(_FTS.c.rowid).where(_FTS.c.doc.op("MATCH")(fts5_query(terms)))
    return select(_PG_SEARCH.c.person_id).where(
        _PG_SEARCH.c.heads.op("@>")(bindparam("heads_", heads(terms), type_=_text_array())),
        *(_PG_SEARCH.c.doc.like(p, escape="\\") for p in like_patterns(terms)),
    )


def _text_array() -> Any:
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only: not loaded for SQLite

    return ARRAY(Text())


def _organisation_name(lang: str) -> Any:
    """The organisation's name in ``lang``, else in the next language (SQL, for sorting)."""
    order = FALLBACKS.get(lang, (lang, *FALLBACKS["en"]))
    return func.coalesce(*(type_coerce(Organisation.name, JSON)[code].as_string() for code in order))


def checked_in_since() -> Any:
    """SQL, per registration row: when it was checked in if it is checked in now, else NULL.

    The rule of ``desktop.core.checkin`` as a correlated subquery on the registration's own
    check-in rows (one index lookup per registration): the latest IN or OUT row that no
    UNDO row of the same registration names, by the time it happened; its time if it is
    an IN. A join to ``checked_in_subquery`` would do the same, but SQLite runs that
    subquery again for every registration (minutes at 100,000 rows).
    """
    undo = CheckIn.__table__.alias("undo")
    latest = CheckIn.__table__.alias("latest")
    undone = (
        select(undo.c.id)
        .where(undo.c.registration_id == latest.c.registration_id,
               undo.c.action == CheckInAction.UNDO, undo.c.undoes == latest.c.uuid)
        .exists()
    )
    return (
        select(case((latest.c.action == CheckInAction.IN, latest.c.happened_at), else_=None))
        .where(latest.c.registration_id == Registration.id,
               latest.c.action.in_((CheckInAction.IN, CheckInAction.OUT)), ~undone)
        .order_by(latest.c.happened_at.desc(), latest.c.id.desc())
        .limit(1)
        .correlate(Registration)
        .scalar_subquery()
    )


# How a view of the list runs. SQLAlchemy builds the SQL of each *shape* of view once
# (``_plan``: which filters, how many search terms, which sort) and compiles it to the
# driver's own SQL; each keystroke then runs that text on the DB-API cursor of the session's
# connection, in the session's transaction, with the values as parameters. Building,
# caching and compiling a statement through SQLAlchemy on every call cost more than the
# query itself for a short list (a badge code, a two-word name); reading raw rows spares
# the result machinery too. Errors still come as SQLAlchemy's ``DBAPIError``s.

_MARK = re.compile(r"__cdp_(\w+?)__")


def _param(name: str) -> Any:
    """A parameter of a raw statement: a marker ``_sql`` turns into the driver's placeholder
    (every other value is compiled into the text as a literal)."""
    return literal_column(f"__cdp_{name}__")


@lru_cache(maxsize=2)
def _raw_dialect(name: str) -> Any:
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

        return SQLiteDialect_pysqlite(paramstyle="named")
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg  # PostgreSQL only

    return PGDialect_psycopg()


def _sql(stmt: Any, dialect: str) -> str:
    """``stmt`` as the driver's SQL text, with named placeholders for its ``_param``s."""
    compiled = stmt.compile(dialect=_raw_dialect(dialect), compile_kwargs={"literal_binds": True})
    return _MARK.sub(r":\1" if dialect == "sqlite" else r"%(\1)s", compiled.string)


def _fetch(conn: Any, sql: str, params: Mapping[str, Any]) -> list[Any]:
    """The rows of the raw ``sql`` on the connection's DB-API cursor (in its transaction)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error,
                                  dialect=conn.dialect) from exc
    finally:
        cursor.close()


def _ids_condition(column_: Any, dialect: str) -> Any:
    """``column_`` is one of the ids of the parameter ``ids`` (see ``_ids_value``)."""
    if dialect == "sqlite":
        return column_.in_(select(literal_column("value")).select_from(func.json_each(_param("ids"))))
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only

    return column_ == func.any(cast(_param("ids"), ARRAY(BigInteger())))


def _ids_value(dialect: str, ids: Sequence[int]) -> Any:
    return json.dumps(list(ids)) if dialect == "sqlite" else list(ids)


@dataclass(frozen=True)
class _Shape:
    """What the SQL of a view of the list depends on; the values go in as parameters, so
    one statement serves every search text of a shape (compiled once, see ``_plan``)."""

    dialect: str
    terms: int               # how many search terms (PostgreSQL: one LIKE each; SQLite: one MATCH)
    code: bool               # the search text can be a badge code
    statuses: int            # how many statuses the filter keeps (0: any)
    categories: int
    known_sectors: int
    no_sector: bool
    checked_in: bool | None
    sort: RegistrationSort
    lang: str

    @property
    def searching(self) -> bool:
        return bool(self.terms or self.code)


_STATUS_ORDER = tuple(Status)
_CATEGORY_ORDER = tuple(Category)
_SECTOR_ORDER = tuple(Sector)


def _shape_and_params(dialect: str, event_id: int, flt: RegistrationFilter, sort: RegistrationSort,
                      lang: str) -> tuple[_Shape, dict[str, Any]]:
    """The shape of the view and its parameters (a fresh dict: callers add to it)."""
    shape, params = _shape_and_params_of(dialect, event_id, flt, sort, lang)
    return shape, dict(params)


@lru_cache(maxsize=64)
def _shape_and_params_of(dialect: str, event_id: int, flt: RegistrationFilter, sort: RegistrationSort,
                         lang: str) -> tuple[_Shape, Mapping[str, Any]]:
    # Cached: the table reads the same view again for every page it scrolls to, and
    # splitting the search text into terms costs more than a badge-code lookup.
    terms = search_terms(flt.search)
    code = _code_prefix(flt.search) if flt.search else None
    params: dict[str, Any] = {"event_id": event_id}
    if terms:
        if dialect == "sqlite":
            params["match"] = fts5_query(terms)
        else:
            params["heads"] = heads(terms)
            for i, pattern in enumerate(like_patterns(terms)):
                params[f"like_{i}"] = pattern
    if code is not None:
        params["code_from"], params["code_to"] = code, code[:-1] + chr(ord(code[-1]) + 1)
    statuses = [s.value for s in _STATUS_ORDER if s in flt.statuses] if flt.statuses else []
    categories = [c.value for c in _CATEGORY_ORDER if c in flt.categories] if flt.categories else []
    known = [s.value for s in _SECTOR_ORDER if s in flt.sectors] if flt.sectors else []
    for prefix, values in (("status", statuses), ("category", categories), ("sector", known)):
        for i, value in enumerate(values):
            params[f"{prefix}_{i}"] = value
    shape = _Shape(dialect, len(terms) if dialect != "sqlite" else min(len(terms), 1), code is not None,
                   len(statuses), len(categories), len(known), None in flt.sectors,
                   flt.checked_in, sort, lang)
    return shape, params


def _search_condition(shape: _Shape) -> tuple[Any | None, bool]:
    """The search's condition on ``registration`` (None without a search), and whether it
    keeps to the event by itself."""
    by_person = None
    if shape.terms:
        if shape.dialect == "sqlite":
            people = select(_FTS.c.rowid).where(_FTS.c.doc.op("MATCH")(_param("match")))
        else:
            people = select(_PG_SEARCH.c.person_id).where(
                _PG_SEARCH.c.heads.op("@>")(cast(_param("heads"), _text_array())),
                *(_PG_SEARCH.c.doc.like(_param(f"like_{i}"), escape="\\") for i in range(shape.terms)))
        by_person = Registration.person_id.in_(people)
    if not shape.code:
        return by_person, False
    by_code = select(Registration.id).where(
        Registration.event_id == _param("event_id"), Registration.badge_code >= _param("code_from"),
        Registration.badge_code < _param("code_to"))
    # Ids from small lists, with no other condition on the event beside them: so that the
    # database starts from the lists (by primary key) instead of scanning the event.
    if by_person is None:
        return Registration.id.in_(by_code), True
    by_name = select(Registration.id).where(Registration.event_id == _param("event_id"), by_person)
    return Registration.id.in_(by_name.union_all(by_code)), True


def _where(stmt: Select[Any], shape: _Shape) -> Select[Any]:
    search, keeps_event = _search_condition(shape)
    if not keeps_event:
        stmt = stmt.where(Registration.event_id == _param("event_id"))
    if search is not None:
        stmt = stmt.where(search)
    if shape.statuses:
        stmt = stmt.where(Registration.status.in_([_param(f"status_{i}") for i in range(shape.statuses)]))
    if shape.categories:
        stmt = stmt.where(Registration.category.in_([_param(f"category_{i}") for i in range(shape.categories)]))
    if shape.known_sectors or shape.no_sector:
        either = []
        if shape.known_sectors:
            either.append(Organisation.sector.in_([_param(f"sector_{i}") for i in range(shape.known_sectors)]))
        if shape.no_sector:
            either.append(Organisation.id.is_(None))
        stmt = stmt.where(or_(*either))
    if shape.checked_in is not None:
        arrived = checked_in_since()
        stmt = stmt.where(arrived.is_not(None) if shape.checked_in else arrived.is_(None))
    return stmt


def _order(shape: _Shape) -> list[Any]:
    desc = shape.sort.descending
    name_keys = [Person.family_name, Person.given_name, Registration.id]

    def directed(expr: Any) -> Any:
        return expr.desc() if desc else expr.asc()

    def rank(col: Any, members: Sequence[enum.Enum]) -> Any:
        return case({m.value: i for i, m in enumerate(members)}, value=type_coerce(col, String()))

    column_ = shape.sort.column
    if column_ is SortColumn.NAME:
        return [directed(k) for k in name_keys]
    if column_ is SortColumn.CODE:
        return [directed(Registration.badge_code), Registration.id]
    if column_ is SortColumn.STATUS:
        return [directed(rank(Registration.status, _STATUS_ORDER)), *name_keys]
    if column_ is SortColumn.CATEGORY:
        return [directed(rank(Registration.category, _CATEGORY_ORDER)), *name_keys]
    if column_ is SortColumn.SECTOR:
        return [Organisation.sector.is_(None), directed(Organisation.sector), *name_keys]
    if column_ is SortColumn.ORGANISATION:
        org = _organisation_name(shape.lang)
        return [org.is_(None), directed(org), *name_keys]
    arrived = checked_in_since()  # CHECKED_IN: people not checked in last, either way
    return [arrived.is_(None), directed(arrived), *name_keys]


# The row columns, read raw (``_rows`` converts them): the types' own processing (enums,
# JSON) costs more than the query for a window of rows.
_REG_T = Registration.__table__
_ROW_COLUMNS = (
    _REG_T.c.id, _REG_T.c.badge_code,
    Person.__table__.c.given_name, Person.__table__.c.family_name, Person.__table__.c.display_name,
    Organisation.__table__.c.name, Organisation.__table__.c.sector,
    _REG_T.c.category, _REG_T.c.status,
)


@dataclass(frozen=True)
class _Plan:
    """The SQL texts of a shape (parameters: ``_shape_and_params``, and ``limit``/``offset``
    for the windows)."""

    count: str
    ids: str           # every matching id, in order
    window_ids: str    # a window of them
    window_rows: str   # a window of whole rows (PostgreSQL: with the count of all matches)
    counted: bool      # the rows of ``window_rows`` end with the count of all matches


@lru_cache(maxsize=256)
def _plan(shape: _Shape) -> _Plan:
    """The statements of ``shape``: built and compiled once, run with parameters."""
    count = select(func.count(Registration.id)).select_from(Registration)
    if shape.known_sectors or shape.no_sector:
        count = (count.join(Person, Person.id == Registration.person_id)
                 .outerjoin(Organisation, Organisation.id == Person.organisation_id))

    def ordered(*columns: Any) -> Select[Any]:
        stmt = (
            select(*columns)
            .select_from(Registration)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        )
        return _where(stmt, shape).order_by(*_order(shape))

    def window(stmt: Select[Any]) -> Select[Any]:
        return stmt.limit(_param("limit")).offset(_param("offset"))

    # On PostgreSQL the rows of a search carry the count of all matches: one pass over the
    # search table, not two. SQLite's window functions cost more than a second FTS5 lookup.
    counted = shape.dialect != "sqlite"
    extra = (func.count().over().label("total"),) if counted else ()
    ids = ordered(Registration.id)
    d = shape.dialect
    return _Plan(_sql(_where(count, shape), d), _sql(ids, d), _sql(window(ids), d),
                 _sql(window(ordered(*_ROW_COLUMNS, *extra)), d), counted)


def count_matching(session: Reader, event_id: int,
                   flt: RegistrationFilter = RegistrationFilter()) -> int:
    """How many of the event's registrations ``flt`` keeps."""
    conn, dialect = _connection(session)
    shape, params = _shape_and_params(dialect, event_id, flt, RegistrationSort(), "en")
    return int(_fetch(conn, _plan(shape).count, params)[0][0] or 0)


def registration_ids(session: Reader, event_id: int,
                     flt: RegistrationFilter = RegistrationFilter(),
                     sort: RegistrationSort = RegistrationSort(), lang: str = "en") -> list[int]:
    """The ids of every registration ``flt`` keeps, in the order of ``sort`` (one query;
    the rows themselves come from ``rows_for_ids``, a window at a time)."""
    conn, dialect = _connection(session)
    shape, params = _shape_and_params(dialect, event_id, flt, sort, lang)
    return [row[0] for row in _fetch(conn, _plan(shape).ids, params)]


def find_registrations(session: Reader, event_id: int,
                       flt: RegistrationFilter = RegistrationFilter(),
                       sort: RegistrationSort = RegistrationSort(), *,
                       offset: int = 0, limit: int = 100, lang: str = "en",
                       total: int | None = None) -> RegistrationPage:
    """A window of the list: ``limit`` rows from position ``offset`` in the order of
    ``sort``, and how many rows match (counted unless the caller passes ``total``).

    Filtering, sorting and the window are done by the database; only the window's rows
    are read, with their check-in state.
    """
    offset, limit = max(0, offset), max(0, limit)
    conn, dialect = _connection(session)
    shape, params = _shape_and_params(dialect, event_id, flt, sort, lang)
    plan = _plan(shape)
    params["limit"], params["offset"] = limit, offset
    found: list[Any] = []
    if limit and shape.searching:
        # A search keeps a few rows (hundreds, thousands): sort them whole, one query.
        found = _fetch(conn, plan.window_rows, params)
        ids = [row[0] for row in found]
        if found and total is None and plan.counted:
            total = int(found[0][-1])
    elif limit:
        # Without a search the list may hold 100,000 rows: sort their ids (only the keys
        # travel through the sort), then read the window's rows by id — more than twice as
        # fast as sorting whole rows at that size.
        ids = [row[0] for row in _fetch(conn, plan.window_ids, params)]
    else:
        ids = []
    if total is None:
        if ids and len(ids) < limit:
            total = offset + len(ids)  # the window holds the end of the list: no need to count
        else:
            total = int(_fetch(conn, plan.count, params)[0][0] or 0)
    if found:
        return RegistrationPage(_rows(conn, dialect, found, lang), total, offset)
    return RegistrationPage(_rows_for_ids(conn, dialect, ids, lang) if ids else [], total, offset)


def iter_registrations(session: Reader, event_id: int,
                       flt: RegistrationFilter = RegistrationFilter(),
                       sort: RegistrationSort = RegistrationSort(), lang: str = "en",
                       *, chunk: int = 1000) -> Iterator[RegistrationRow]:
    """Every row the filter keeps, in order, read ``chunk`` rows at a time."""
    ids = registration_ids(session, event_id, flt, sort, lang)
    for start in range(0, len(ids), chunk):
        yield from rows_for_ids(session, ids[start:start + chunk], lang)


def _local(raw: Any) -> dict[str, str]:
    """A LocalText value as read raw: JSON text on SQLite, a dict already on PostgreSQL."""
    if not raw:
        return {}
    return raw if isinstance(raw, dict) else _decoded(raw)


@lru_cache(maxsize=4096)
def _decoded(raw: str) -> dict[str, str]:
    # Organisation names repeat from row to row and from search to search: decoded once.
    return dict(json.loads(raw))


def _text_of(raw: Any, lang: str) -> str:
    """The text of a raw LocalText value in ``lang`` (falling back), "" for none."""
    if not raw:
        return ""
    return text(raw, lang) if isinstance(raw, dict) else _picked(raw, lang)


@lru_cache(maxsize=8192)
def _picked(raw: str, lang: str) -> str:
    return text(_decoded(raw), lang)


_STATUS = {s.value: s for s in Status}
_CATEGORY = {c.value: c for c in Category}
_SECTOR = {s.value: s for s in Sector}
_GENDER = {g.value: g for g in Gender}
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _rows(conn: Any, dialect: str, found: Sequence[Any], lang: str,
          arrivals: Mapping[int, tuple[dt.datetime, str]] | None = None) -> list[RegistrationRow]:
    """``RegistrationRow``s of raw rows of ``_ROW_COLUMNS``, in their order; their check-in
    state from ``arrivals`` (read for these rows when not given)."""
    if arrivals is None:
        arrivals = _check_ins(conn, dialect, [row[0] for row in found])
    rows = []
    sectors, categories, statuses = _SECTOR, _CATEGORY, _STATUS
    new, set_dict = object.__new__, object.__setattr__
    for rid, code, given, family, display, org, sector, category, status, *_total in found:
        at, desk = arrivals.get(rid, (None, None))
        if display and display != "{}":
            name = full_name(given, family, None, _local(display), lang)
        else:  # full_name without a display name, inline: most people have none
            given = given.strip() if given else ""
            family = family.strip() if family else ""
            name = f"{given} {family}" if given and family else given or family
        row = new(RegistrationRow)  # as RegistrationRow(...) makes it, in a third of the time
        set_dict(row, "__dict__", {
            "id": rid, "code": code, "name": name, "organisation": _text_of(org, lang),
            "sector": sectors[sector] if sector else None, "category": categories[category],
            "status": statuses[status], "checked_in_at": at, "desk": desk,
        })
        rows.append(row)
    return rows


@lru_cache(maxsize=2)
def _by_ids_sql(dialect: str) -> tuple[str, str, str]:
    """(rows of ``_ROW_COLUMNS`` by surname, the same in no order, check-in rows) of the
    registrations of the parameter ``ids``."""
    rows = (
        select(*_ROW_COLUMNS)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_ids_condition(_REG_T.c.id, dialect))
    )
    check_ins = select(
        _CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes, _CI.c.happened_at, _CI.c.desk,
    ).where(_ids_condition(_CI.c.registration_id, dialect))
    return _sql(_by_name(rows), dialect), _sql(rows, dialect), _sql(check_ins, dialect)


def _by_name(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(Person.family_name, Person.given_name, Registration.id)


@lru_cache(maxsize=4)
def _event_rows_sql(dialect: str, with_status: bool) -> str:
    """Rows of ``_ROW_COLUMNS`` of the event's registrations (of one status), by surname."""
    stmt = (
        select(*_ROW_COLUMNS)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG_T.c.event_id == _param("event_id"))
    )
    if with_status:
        stmt = stmt.where(_REG_T.c.status == _param("status"))
    return _sql(_by_name(stmt), dialect)


@lru_cache(maxsize=2)
def _event_people_sql(dialect: str) -> str:
    """``id, status, sector, gender`` of each of the event's registrations."""
    return _sql(
        select(_REG_T.c.id, _REG_T.c.status, Organisation.__table__.c.sector, Person.__table__.c.gender)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG_T.c.event_id == _param("event_id")),
        dialect)


@lru_cache(maxsize=2)
def _event_check_ins_sql(dialect: str) -> str:
    """The check-in rows of the event's registrations, as ``latest_arrivals`` reads them."""
    return _sql(
        select(_CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes,
               _CI.c.happened_at, _CI.c.desk)
        .join(Registration, Registration.id == _CI.c.registration_id)
        .where(_REG_T.c.event_id == _param("event_id")),
        dialect)


def _event_arrivals(conn: Any, dialect: str, event_id: int) -> dict[int, tuple[dt.datetime, str]]:
    """Who of the event is checked in now: when and where, by registration id (one pass)."""
    return latest_arrivals(_fetch(conn, _event_check_ins_sql(dialect), {"event_id": event_id}))


def rows_for_ids(session: Reader, ids: Sequence[int], lang: str = "en") -> list[RegistrationRow]:
    """The rows of the registrations ``ids``, in that order (ids no longer there are left
    out: another desk may have removed them)."""
    return _rows_for_ids(*_connection(session), ids, lang)


def _rows_for_ids(conn: Any, dialect: str, ids: Sequence[int], lang: str) -> list[RegistrationRow]:
    sql = _by_ids_sql(dialect)[1]
    found: dict[int, Any] = {}
    for chunk in _chunks(ids):
        found.update((row[0], row) for row in _fetch(conn, sql, {"ids": _ids_value(dialect, chunk)}))
    return _rows(conn, dialect, [found[rid] for rid in ids if rid in found], lang)


_CI = CheckIn.__table__
_UNDO, _IN = CheckInAction.UNDO.value, CheckInAction.IN.value


def _utc(value: Any) -> dt.datetime:
    """A raw UTCDateTime value (text on SQLite, naive on PostgreSQL) as an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def check_ins_of(session: OrmSession, ids: Sequence[int]) -> dict[int, tuple[dt.datetime, str]]:
    """For those of ``ids`` checked in now: when (aware UTC) and at which desk.

    The rule of ``desktop.core.checkin``, for a few registrations: a row counts unless an
    UNDO row (of the same registration) names it; the latest row that counts, by the time
    it happened, says whether the person is in.
    """
    return _check_ins(session.connection(), _dialect(session), ids)


@lru_cache(maxsize=2)
def _one_check_ins_sql(dialect: str) -> str:
    """The check-in rows of the registration ``id`` (a badge code found: no id list to pass)."""
    return _sql(select(
        _CI.c.registration_id, _CI.c.id, _CI.c.uuid, _CI.c.action, _CI.c.undoes, _CI.c.happened_at, _CI.c.desk,
    ).where(_CI.c.registration_id == _param("id")), dialect)


def _check_ins(conn: Any, dialect: str, ids: Sequence[int]) -> dict[int, tuple[dt.datetime, str]]:
    if len(ids) == 1:
        return latest_arrivals(_fetch(conn, _one_check_ins_sql(dialect), {"id": ids[0]}))
    sql = _by_ids_sql(dialect)[2]
    rows = []
    for chunk in _chunks(ids):
        rows.extend(_fetch(conn, sql, {"ids": _ids_value(dialect, chunk)}))
    return latest_arrivals(rows)


def latest_arrivals(rows: Iterable[Sequence[Any]]) -> dict[int, tuple[dt.datetime, str]]:
    """The check-in state of raw check-in rows ``(registration_id, id, uuid, action,
    undoes, happened_at, desk)`` (all the rows of each registration named): for those
    checked in now, when (aware UTC) and at which desk."""
    rows = list(rows)
    undone = {row[4] for row in rows if row[3] == _UNDO and row[4] is not None}
    latest: dict[int, tuple[tuple[dt.datetime, int], str, str]] = {}
    for rid, cid, uid, action, _undoes, happened, desk in rows:
        if action == _UNDO or uid in undone:
            continue
        key = (_utc(happened), cid)
        if rid not in latest or key > latest[rid][0]:
            latest[rid] = (key, action, desk)
    return {rid: (key[0], desk) for rid, (key, action, desk) in latest.items() if action == _IN}


def _chunks(ids: Sequence[int], size: int | None = None) -> Iterator[Sequence[int]]:
    size = size or _IN_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# == choosing people and organisations (the Register dialog) ===================================


@dataclass(frozen=True)
class PersonChoice:
    """Someone in the roster, as the Register dialog lists them."""

    id: int
    name: str
    organisation: str
    email: str
    registered_code: str | None  # their badge code when already registered for the event


def find_people(session: OrmSession, query: str, event_id: int | None = None, *,
                limit: int = 50, lang: str = "en") -> list[PersonChoice]:
    """People of the roster matching ``query`` (the same search as the list), by surname;
    with ``event_id``, each one's badge code there if they are registered already."""
    stmt = (
        select(Person.id, Person.given_name, Person.family_name, Person.display_name,
               Person.email, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
    )
    terms = search_terms(query)
    if terms:
        stmt = stmt.where(Person.id.in_(matching_people(_dialect(session), terms)))
    stmt = stmt.order_by(Person.family_name, Person.given_name, Person.id).limit(limit)
    found = session.execute(stmt).all()
    codes: dict[int, str] = {}
    if event_id is not None and found:
        codes = {pid: code for pid, code in session.execute(
            select(Registration.person_id, Registration.badge_code)
            .where(Registration.event_id == event_id,
                   Registration.person_id.in_([row[0] for row in found])))}
    return [
        PersonChoice(pid, full_name(given, family, None, display, lang), text(org, lang),
                     email or "", codes.get(pid))
        for pid, given, family, display, email, org in found
    ]


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str
    sector: Sector


def organisation_choices(session: OrmSession, lang: str = "en") -> list[OrganisationChoice]:
    """Every organisation, by its name in ``lang`` (falling back), for a picker."""
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.sector)).all()
    choices = [OrganisationChoice(oid, text(name, lang) or "(unnamed)", sector) for oid, name, sector in rows]
    choices.sort(key=lambda c: (c.name.casefold(), c.id))
    return choices


# == edits ===================================================================================


class RegistrationError(Exception):
    """An edit that cannot be made; the message is one sentence for a person."""


class RegistrationGone(RegistrationError):
    """A registration the edit needs is no longer there (another desk removed it)."""


class RegistrationHasCheckIns(RegistrationError):
    """A registration with check-in records cannot be removed (see the module docstring)."""


class AlreadyRegistered(RegistrationError):
    """The person is registered for the event already."""


EDITABLE_FIELDS: tuple[str, ...] = (
    "category", "status", "interpretation", "dietary", "accessibility", "photo_consent", "notes",
)
_TEXT_LIMITS = {"interpretation": 8, "dietary": 200, "accessibility": 200}
_REG = Registration.__table__
_PERSON = Person.__table__
_ORG = Organisation.__table__


@dataclass(frozen=True)
class FieldChange:
    """An edit of some fields of some registrations: their values before and after, by id.

    ``apply_values(db, change.before)`` undoes the edit; ``apply_values(db, change.after)``
    makes it again. Registrations whose values did not change are not in it.
    """

    before: Mapping[int, Mapping[str, Any]]
    after: Mapping[int, Mapping[str, Any]]

    @property
    def ids(self) -> list[int]:
        return list(self.after)

    def __bool__(self) -> bool:
        return bool(self.after)


def _clean(name: str, value: Any) -> Any:
    """``value`` checked and normalised for the field ``name``; a RegistrationError if wrong."""
    if name == "category":
        try:
            return Category(value)
        except ValueError:
            raise RegistrationError(f"{value!r} is not a registration category.") from None
    if name == "status":
        try:
            return Status(value)
        except ValueError:
            raise RegistrationError(f"{value!r} is not a registration status.") from None
    if name == "photo_consent":
        if value is None or isinstance(value, bool):
            return value
        raise RegistrationError("Photo consent is yes, no or not asked.")
    if name in _TEXT_LIMITS or name == "notes":
        if value is None:
            return None
        cleaned = str(value).strip()
        if name == "interpretation":
            cleaned = cleaned.lower()
        limit = _TEXT_LIMITS.get(name)
        if limit is not None and len(cleaned) > limit:
            raise RegistrationError(f"The {name} text is longer than {limit} characters.")
        return cleaned or None
    raise RegistrationError(f"{name!r} cannot be edited here: only {', '.join(EDITABLE_FIELDS)}.")


def _gone(count: int = 1) -> RegistrationGone:
    if count == 1:
        return RegistrationGone("The registration is no longer in the database "
                                "(another desk may have removed it); nothing was changed.")
    return RegistrationGone(f"{count} of the registrations are no longer in the database "
                            "(another desk may have removed them); nothing was changed.")


def _missing(wanted: Iterable[int], found: Iterable[int]) -> RegistrationGone | None:
    gone = set(wanted) - set(found)
    return _gone(len(gone)) if gone else None


def _set(database: Database, ids: Sequence[int], values: Mapping[str, Any]) -> FieldChange:
    """Give the registrations ``ids`` the field ``values``: one transaction."""
    cleaned = {name: _clean(name, v) for name, v in values.items()}
    ids = list(dict.fromkeys(ids))
    names = list(cleaned)
    with database.write() as session:
        current: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            for row in session.execute(select(_REG.c.id, *(_REG.c[n] for n in names))
                                       .where(_REG.c.id.in_(chunk))):
                current[row[0]] = dict(zip(names, row[1:], strict=True))
        error = _missing(ids, current)
        if error is not None:
            raise error
        before: dict[int, dict[str, Any]] = {}
        after: dict[int, dict[str, Any]] = {}
        for rid in ids:
            changed = {n: v for n, v in cleaned.items() if current[rid][n] != v}
            if changed:
                before[rid] = {n: current[rid][n] for n in changed}
                after[rid] = changed
        _write_values(session, after)
    return FieldChange(before, after)


def _write_values(session: OrmSession, values: Mapping[int, Mapping[str, Any]]) -> None:
    """UPDATEs for ``values``: one per distinct set of values, not one per registration."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for rid, fields in values.items():
        groups.setdefault(tuple(sorted(fields.items(), key=lambda kv: kv[0])), []).append(rid)
    now = utcnow()
    for key, rids in groups.items():
        for chunk in _chunks(rids):
            session.execute(update(_REG).where(_REG.c.id.in_(chunk)).values({**dict(key), "updated_at": now}))


def set_status(database: Database, ids: Sequence[int], status: Status) -> FieldChange:
    """Give the registrations ``ids`` the status ``status`` (bulk confirm, cancel, …)."""
    return _set(database, ids, {"status": status})


def set_category(database: Database, ids: Sequence[int], category: Category) -> FieldChange:
    """Give the registrations ``ids`` the category ``category``."""
    return _set(database, ids, {"category": category})


def update_details(database: Database, registration_id: int, details: Mapping[str, Any]) -> FieldChange:
    """Change some of a registration's ``EDITABLE_FIELDS`` (category, status, needs, photo
    consent, notes); texts are trimmed, and empty ones stored as none."""
    return _set(database, [registration_id], details)


def apply_values(database: Database, values: Mapping[int, Mapping[str, Any]]) -> None:
    """Write field values back (``FieldChange.before`` to undo, ``.after`` to redo): one
    transaction, and nothing at all when a registration is gone."""
    cleaned = {rid: {n: _clean(n, v) for n, v in fields.items()} for rid, fields in values.items()}
    with database.write() as session:
        found: list[int] = []
        for chunk in _chunks(list(cleaned)):
            found.extend(session.scalars(select(_REG.c.id).where(_REG.c.id.in_(chunk))))
        error = _missing(cleaned, found)
        if error is not None:
            raise error
        _write_values(session, cleaned)


@dataclass(frozen=True)
class RegistrationDetails:
    """Everything the Details dialog shows and edits of one registration."""

    id: int
    code: str
    name: str
    organisation: str
    email: str
    category: Category
    status: Status
    interpretation: str | None
    dietary: str | None
    accessibility: str | None
    photo_consent: bool | None
    notes: str | None
    source: Source
    source_file: str | None
    source_row: int | None
    checked_in_at: dt.datetime | None
    desk: str | None

    def editable(self) -> dict[str, Any]:
        """The values of ``EDITABLE_FIELDS``."""
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}


def registration_details(session: OrmSession, registration_id: int, lang: str = "en") -> RegistrationDetails:
    row = session.execute(
        select(_REG.c.id, _REG.c.badge_code, Person.given_name, Person.family_name,
               Person.patronymic, Person.display_name, Organisation.name, Person.email,
               *(_REG.c[n] for n in EDITABLE_FIELDS), _REG.c.source, _REG.c.source_file,
               _REG.c.source_row)
        .join(Person, Person.id == _REG.c.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG.c.id == registration_id)
    ).first()
    if row is None:
        raise _gone()
    (rid, code, given, family, patronymic, display, org, email, category, status, interpretation,
     dietary, accessibility, photo_consent, notes, source, source_file, source_row) = row
    at, desk = check_ins_of(session, [rid]).get(rid, (None, None))
    return RegistrationDetails(
        rid, code, full_name(given, family, patronymic, display, lang, with_patronymic=True),
        text(org, lang), email or "", category, status, interpretation, dietary, accessibility,
        photo_consent, notes, source, source_file, source_row, at, desk,
    )


# -- registering someone ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """Someone to add to the roster while registering them.

    The organisation is an existing one (``organisation_id``), a new one named
    ``organisation_name`` (in the language ``lang``; an existing organisation with that
    name in any language, ignoring case, is used instead of a twin), or none.
    """

    given_name: str
    family_name: str
    email: str | None = None
    organisation_id: int | None = None
    organisation_name: str | None = None
    organisation_sector: Sector = Sector.OTHER
    gender: Gender = Gender.NOT_STATED
    lang: str = "en"


@dataclass(frozen=True)
class Registered:
    """What ``register`` wrote: the rows themselves (to take them out and put them back)."""

    registration: Mapping[str, Any]
    person: Mapping[str, Any] | None        # set when the person was new to the roster
    organisation: Mapping[str, Any] | None  # set when the organisation was new

    @property
    def registration_id(self) -> int:
        return int(self.registration["id"])

    @property
    def person_id(self) -> int:
        return int(self.registration["person_id"])

    @property
    def code(self) -> str:
        return str(self.registration["badge_code"])


def _looks_like_email(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(local and at and "." in domain.strip(".") and not any(ch.isspace() for ch in value)
                and "@" not in domain)


def _row(session: OrmSession, tbl: Any, row_id: int) -> dict[str, Any]:
    found = session.execute(select(tbl).where(tbl.c.id == row_id)).mappings().one()
    return dict(found)


def _person_label(session: OrmSession, person_id: int) -> str:
    row = session.execute(select(Person.given_name, Person.family_name, Person.display_name)
                          .where(Person.id == person_id)).first()
    return full_name(row[0], row[1], None, row[2]) if row else "This person"


def _same_name_organisation(session: OrmSession, name: str) -> int | None:
    wanted = name.casefold()
    for oid, names, short in session.execute(select(_ORG.c.id, _ORG.c.name, _ORG.c.short_name)):
        if any(v.casefold() == wanted for v in (*(names or {}).values(), *(short or {}).values())):
            return int(oid)
    return None


def _fresh_code(session: OrmSession, event_id: int, codes: BadgeCodes) -> str:
    while True:
        code = codes.new()
        taken = session.scalar(select(_REG.c.id).where(_REG.c.event_id == event_id, _REG.c.badge_code == code))
        if taken is None:
            return code


def register(database: Database, event_id: int, *, person_id: int | None = None,
             new_person: NewPerson | None = None, category: Category = Category.PARTICIPANT,
             status: Status = Status.REGISTERED, codes: BadgeCodes | None = None) -> Registered:
    """Register a person of the roster (``person_id``) or a new one (``new_person``) for the
    event, with a fresh badge code: one transaction."""
    if (person_id is None) == (new_person is None):
        raise ValueError("register needs either person_id or new_person")
    category, status = _clean("category", category), _clean("status", status)
    codes = codes or BadgeCodes()
    now = utcnow()
    with database.write() as session:
        if session.scalar(select(Event.id).where(Event.id == event_id)) is None:
            raise RegistrationError("The event is no longer in the database.")
        new_org_row: dict[str, Any] | None = None
        new_person_row: dict[str, Any] | None = None
        if new_person is not None:
            given, family = new_person.given_name.strip(), new_person.family_name.strip()
            if not (given or family):
                raise RegistrationError("A new person needs a given name or a family name.")
            email = (new_person.email or "").strip() or None
            if email is not None and not _looks_like_email(email):
                raise RegistrationError(f"{email!r} is not an e-mail address.")
            org_id = new_person.organisation_id
            org_name = (new_person.organisation_name or "").strip()
            if org_id is not None:
                if session.scalar(select(_ORG.c.id).where(_ORG.c.id == org_id)) is None:
                    raise RegistrationError("The organisation is no longer in the database.")
            elif org_name:
                org_id = _same_name_organisation(session, org_name)
                if org_id is None:
                    org_id = session.execute(insert(_ORG).values(
                        uuid=uuid_mod.uuid4(), name={new_person.lang: org_name}, short_name={},
                        sector=new_person.organisation_sector, created_at=now, updated_at=now,
                    )).inserted_primary_key[0]
                    new_org_row = _row(session, _ORG, org_id)
            person_id = session.execute(insert(_PERSON).values(
                uuid=uuid_mod.uuid4(), given_name=given, family_name=family, display_name={},
                position={}, bio={}, organisation_id=org_id, email=email, gender=new_person.gender,
                created_at=now, updated_at=now,
            )).inserted_primary_key[0]
            new_person_row = _row(session, _PERSON, person_id)
        else:
            if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
                raise RegistrationError("That person is no longer in the roster.")
            already = session.scalar(select(_REG.c.badge_code).where(
                _REG.c.event_id == event_id, _REG.c.person_id == person_id))
            if already is not None:
                raise AlreadyRegistered(
                    f"{_person_label(session, person_id)} is already registered for this event "
                    f"(badge {already}).")
        reg_id = session.execute(insert(_REG).values(
            uuid=uuid_mod.uuid4(), event_id=event_id, person_id=person_id, category=category,
            status=status, badge_code=_fresh_code(session, event_id, codes), source=Source.MANUAL,
            created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        return Registered(_row(session, _REG, reg_id), new_person_row, new_org_row)


def unregister(database: Database, registered: Registered) -> None:
    """Undo ``register``: remove the registration, and the person and organisation it
    created unless something else uses them now. One transaction."""
    with database.write() as session:
        reg_id = session.scalar(select(_REG.c.id).where(_REG.c.uuid == registered.registration["uuid"]))
        if reg_id is None:
            raise _gone()
        _refuse_check_ins(session, [reg_id])
        session.execute(delete(_REG).where(_REG.c.id == reg_id))
        if registered.person is not None:
            pid = registered.person["id"]
            used = (session.scalar(select(func.count()).where(_REG.c.person_id == pid))
                    or session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid)))
            if not used:
                session.execute(delete(_PERSON).where(_PERSON.c.id == pid))
        if registered.organisation is not None:
            oid = registered.organisation["id"]
            used = session.scalar(select(func.count()).where(_PERSON.c.organisation_id == oid))
            if not used:
                session.execute(delete(_ORG).where(_ORG.c.id == oid))


def _put_back(session: OrmSession, tbl: Any, row: Mapping[str, Any]) -> int:
    """Insert ``row`` again (by its uuid: reuse it if it is there already); its original id
    when that is free, else a new one. Returns the id."""
    existing = session.scalar(select(tbl.c.id).where(tbl.c.uuid == row["uuid"]))
    if existing is not None:
        return int(existing)
    values = dict(row)
    if session.scalar(select(tbl.c.id).where(tbl.c.id == values["id"])) is not None:
        del values["id"]
    return int(session.execute(insert(tbl).values(values)).inserted_primary_key[0])


def _code_free(session: OrmSession, row: Mapping[str, Any]) -> None:
    holder = session.scalar(select(_REG.c.id).where(_REG.c.event_id == row["event_id"],
                                                    _REG.c.badge_code == row["badge_code"]))
    if holder is not None:
        raise RegistrationError(f"The badge code {row['badge_code']} has been given to someone else "
                                "meanwhile; nothing was changed.")


def restore_registered(database: Database, registered: Registered) -> Registered:
    """Redo ``register`` after ``unregister``: the same rows (uuids, badge code) again.
    Returns them with their ids now (the same ids when those were still free)."""
    with database.write() as session:
        org_row = person_row = None
        if registered.organisation is not None:
            oid = _put_back(session, _ORG, registered.organisation)
            org_row = _row(session, _ORG, oid)
        person_values = dict(registered.person) if registered.person is not None else None
        pid = registered.person_id
        if person_values is not None:
            if org_row is not None:
                person_values["organisation_id"] = org_row["id"]
            pid = _put_back(session, _PERSON, person_values)
            person_row = _row(session, _PERSON, pid)
        elif session.scalar(select(Person.id).where(Person.id == pid)) is None:
            raise RegistrationError("That person is no longer in the roster; nothing was changed.")
        values = dict(registered.registration, person_id=pid)
        if session.scalar(select(_REG.c.id).where(_REG.c.event_id == values["event_id"],
                                                  _REG.c.person_id == pid)) is not None:
            raise AlreadyRegistered(f"{_person_label(session, pid)} has been registered again "
                                    "meanwhile; nothing was changed.")
        _code_free(session, values)
        rid = _put_back(session, _REG, values)
        return Registered(_row(session, _REG, rid), person_row, org_row)


# -- removing registrations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """The registration rows ``remove_registrations`` took out, to put them back."""

    rows: tuple[Mapping[str, Any], ...]

    @property
    def ids(self) -> list[int]:
        return [int(row["id"]) for row in self.rows]


def _refuse_check_ins(session: OrmSession, ids: Sequence[int]) -> None:
    with_check_ins: list[int] = []
    for chunk in _chunks(list(ids)):
        with_check_ins.extend(session.scalars(
            select(CheckIn.registration_id).where(CheckIn.registration_id.in_(chunk)).distinct()))
    if not with_check_ins:
        return
    names = [
        full_name(given, family, None, display)
        for given, family, display in session.execute(
            select(Person.given_name, Person.family_name, Person.display_name)
            .join(_REG, _REG.c.person_id == Person.id)
            .where(_REG.c.id.in_(with_check_ins[:3]))
            .order_by(Person.family_name, Person.given_name))
    ]
    if len(with_check_ins) == 1 and len(ids) == 1:
        raise RegistrationHasCheckIns(
            f"{names[0]} has check-in records, so the registration stays as the record of "
            "attendance: set its status to Cancelled instead.")
    more = f" and {len(with_check_ins) - 3} more" if len(with_check_ins) > 3 else ""
    raise RegistrationHasCheckIns(
        f"{len(with_check_ins)} of the chosen registrations have check-in records "
        f"({', '.join(names)}{more}), so nothing was removed: they stay as the record of "
        "attendance; cancel them instead.")


def remove_registrations(database: Database, ids: Sequence[int]) -> Removed:
    """Remove the registrations ``ids`` (never the people: they stay in the roster).

    One transaction; nothing is removed when one of them has check-in records
    (``RegistrationHasCheckIns``) or is gone already (``RegistrationGone``).
    """
    ids = list(dict.fromkeys(ids))
    with database.write() as session:
        rows: list[dict[str, Any]] = []
        for chunk in _chunks(ids):
            rows.extend(dict(r) for r in session.execute(select(_REG).where(_REG.c.id.in_(chunk))).mappings())
        error = _missing(ids, [r["id"] for r in rows])
        if error is not None:
            raise error
        _refuse_check_ins(session, ids)
        for chunk in _chunks(ids):
            session.execute(delete(_REG).where(_REG.c.id.in_(chunk)))
    order = {rid: i for i, rid in enumerate(ids)}
    return Removed(tuple(sorted(rows, key=lambda r: order[r["id"]])))


def restore_removed(database: Database, removed: Removed) -> Removed:
    """Undo ``remove_registrations``: the same rows again (same uuids, badge codes and, when
    still free, ids). Returns them as they are now."""
    with database.write() as session:
        restored = []
        for row in removed.rows:
            if session.scalar(select(Person.id).where(Person.id == row["person_id"])) is None:
                raise RegistrationError("A person of these registrations has left the roster "
                                        "meanwhile; nothing was changed.")
            if session.scalar(select(_REG.c.id).where(_REG.c.uuid == row["uuid"])) is None:
                if session.scalar(select(_REG.c.id).where(
                        _REG.c.event_id == row["event_id"], _REG.c.person_id == row["person_id"])) is not None:
                    raise AlreadyRegistered(f"{_person_label(session, row['person_id'])} has been "
                                            "registered again meanwhile; nothing was changed.")
                _code_free(session, row)
            rid = _put_back(session, _REG, row)
            restored.append(_row(session, _REG, rid))
    return Removed(tuple(restored))


def event_zone_of(session: OrmSession, event_id: int) -> dt.tzinfo:
    """The event's time zone (UTC when this computer does not know its name)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = session.scalar(select(Event.timezone).where(Event.id == event_id)) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC
