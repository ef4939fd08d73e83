"""Registrations of an event as plain rows: the registration list (search, filters, sort
and windows, all in the database), and who arrived last.

The list (``find_registrations``, ``registration_ids`` + ``rows_for_ids``) searches and
sorts in SQL and returns plain rows, never ORM objects: at 100,000 registrations a window
of rows costs milliseconds. Search goes through the person search index of migration 0002
(``db/search.py``): every word typed must begin a word of the person's names, e-mail or
organisation names, in any script and case; a badge code (or its first four or more
characters) typed alone finds its registration too.

The search also finds what was meant (``desktop.core.name_match``), as the desk does: the
text read on the other keyboard layout ("Fquthbv" finds "Айгерим", "Зфьудф" "Pamela", a
badge code typed with the Russian layout on its registration), and names spelled alike in
the other alphabet ("zhienbayev" finds "Жиенбаев", by the skeletons kept in
``person_key``: ``desktop.core.person_keys``). The list holds the union, in the list's own
sort: one registrar types a name in Latin letters and another in Cyrillic, and the list
must show both. ``also_found`` tells which of these readings found someone the text as
typed did not, for the window to say so; a filter with ``exact`` searches the text as
typed only.

The search's readings and its SQL over the indexes, which the roster's search shares, are
in ``desktop.core.person_search``; the edits in ``desktop.core.registration_edit``; the
check-in state and the figures of an event in ``desktop.core.checkin``; the raw-SQL
machinery in ``desktop.core.raw``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Select,
    String,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session as OrmSession

from db.models import (
    Category,
    Event,
    Gender,
    Organisation,
    Person,
    Registration,
    Sector,
    Status,
)
from db.search import search_terms
from db.sort_keys import key_column, sort_keys
from desktop.core.checkin import arrivals_of, checked_in_since, event_arrivals
from desktop.core.i18n import FALLBACKS, SURNAME_FIRST, listed_name
from desktop.core.person_search import (
    AlsoFound,
    Search,
    Searched,
    code_prefix,
    id_array,
    people_select,
    people_sql,
    readings,
    search_params,
    with_stale,
)
from desktop.core.raw import (
    IN_CHUNK,
    Reader,
    chunks,
    compiled,
    connection_of,
    dialect_of,
    fetch,
    ids_condition,
    ids_value,
    local_text,
    param,
    text_of,
)


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
    conn, dialect = session.connection(), dialect_of(session)
    params: dict[str, Any] = {"event_id": event_id}
    if status is not None:
        params["status"] = Status(status).value
    found = fetch(conn, _event_rows_sql(dialect, status is not None, lang), params)
    return _rows(conn, dialect, found, lang, event_arrivals(conn, dialect, event_id))


def recent_check_ins(session: OrmSession, event_id: int, limit: int = 50,
                     lang: str = "en") -> list[RegistrationRow]:
    """The people checked in most recently, newest first (the same time: by surname)."""
    conn, dialect = session.connection(), dialect_of(session)
    arrived = event_arrivals(conn, dialect, event_id)
    if not arrived or limit <= 0:
        return []
    times = sorted((at for at, _desk in arrived.values()), reverse=True)
    last = times[min(limit, len(times)) - 1]
    newest = [rid for rid, (at, _desk) in arrived.items() if at >= last]  # ties at the end too
    if len(newest) > IN_CHUNK:  # thousands at the same instant: the whole list, by surname
        rows = [r for r in registration_rows(session, event_id, lang) if r.checked_in_at is not None]
    else:
        found = fetch(conn, _by_ids_sql(dialect, lang)[0], {"ids": ids_value(dialect, newest)})
        rows = _rows(conn, dialect, found, lang, arrived)
    rows.sort(key=lambda r: r.checked_in_at or _EPOCH, reverse=True)  # stable: by surname within
    return rows[:limit]


def count_registrations(session: OrmSession, event_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Registration.event_id == event_id)) or 0)


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

    ``search`` is what the user typed (see the module docstring), searched also as it was
    meant on another keyboard layout and in another alphabet unless ``exact``; ``sectors``
    may hold ``None`` for people without an organisation; ``checked_in`` is True (checked
    in now), False (not checked in) or None (either).
    """

    search: str = ""
    statuses: frozenset[Status] = field(default_factory=frozenset)
    sectors: frozenset[Sector | None] = field(default_factory=frozenset)
    categories: frozenset[Category] = field(default_factory=frozenset)
    checked_in: bool | None = None
    exact: bool = False

    @property
    def is_everyone(self) -> bool:
        return (not search_terms(self.search) and code_prefix(self.search) is None
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


def _organisation_name(lang: str) -> Any:
    """The organisation's name in ``lang``, else in the next language (SQL, for sorting)."""
    order = FALLBACKS.get(lang, (lang, *FALLBACKS["en"]))
    return func.coalesce(*(type_coerce(Organisation.name, JSON)[code].as_string() for code in order))


# How a view of the list runs. SQLAlchemy builds the SQL of each *shape* of view once
# (``_plan``: which filters, how many search terms, which sort) and compiles it to the
# driver's own SQL; each keystroke then runs that text on the DB-API cursor of the session's
# connection, in the session's transaction, with the values as parameters. Building,
# caching and compiling a statement through SQLAlchemy on every call cost more than the
# query itself for a short list (a badge code, a two-word name); reading raw rows spares
# the result machinery too. Errors still come as SQLAlchemy's ``DBAPIError``s.


@dataclass(frozen=True)
class _Shape:
    """What the SQL of a view of the list depends on; the values go in as parameters, so
    one statement serves every search text of a shape (compiled once, see ``_plan``)."""

    dialect: str
    search: Search | None   # None: no search
    statuses: int            # how many statuses the filter keeps (0: any)
    categories: int
    known_sectors: int
    no_sector: bool
    checked_in: bool | None
    sort: RegistrationSort
    lang: str

    @property
    def searching(self) -> bool:
        return self.search is not None


_STATUS_ORDER = tuple(Status)
_CATEGORY_ORDER = tuple(Category)
_SECTOR_ORDER = tuple(Sector)


@dataclass(frozen=True)
class _View:
    """A view of the list, ready to run but for the people whose keys are stale: its
    shape, its parameters, and the skeleton term sets to look for among those people."""

    shape: _Shape
    params: Mapping[str, Any]
    spelled: tuple[tuple[str, ...], ...]


def _view(dialect: str, event_id: int, flt: RegistrationFilter, sort: RegistrationSort,
          lang: str, reader: Reader) -> tuple[_Shape, dict[str, Any]]:
    """The shape of the view and its parameters (a fresh dict: callers add to it), with
    the people of stale keys its skeletons match (read through ``reader``)."""
    view = _view_of(dialect, event_id, flt, sort, lang)
    params = dict(view.params)
    if view.shape.search is None or not view.spelled:
        return view.shape, params
    search = with_stale(view.shape.search, view.spelled, reader, params)
    return replace(view.shape, search=search), params


@lru_cache(maxsize=64)
def _view_of(dialect: str, event_id: int, flt: RegistrationFilter, sort: RegistrationSort,
             lang: str) -> _View:
    # Cached: the table reads the same view again for every page it scrolls to, and
    # reading the search text costs more than a badge-code lookup.
    searched, _others = readings(flt.search, flt.exact)
    params: dict[str, Any] = {"event_id": event_id}
    search = search_params(dialect, "", searched, params) if searched else None
    statuses = [s.value for s in _STATUS_ORDER if s in flt.statuses] if flt.statuses else []
    categories = [c.value for c in _CATEGORY_ORDER if c in flt.categories] if flt.categories else []
    known = [s.value for s in _SECTOR_ORDER if s in flt.sectors] if flt.sectors else []
    for prefix, values in (("status", statuses), ("category", categories), ("sector", known)):
        for i, value in enumerate(values):
            params[f"{prefix}_{i}"] = value
    shape = _Shape(dialect, search, len(statuses), len(categories), len(known), None in flt.sectors,
                   flt.checked_in, sort, lang)
    return _View(shape, params, searched.spelled)


def _search_condition(dialect: str, search: Search) -> tuple[Any, bool]:
    """The search's condition on ``registration``, and whether it keeps to the event by
    itself."""
    p = search.prefix
    people = people_select(dialect, search)
    by_person = Registration.person_id.in_(people) if people is not None else None
    if not search.code:
        assert by_person is not None
        return by_person, False
    by_code = select(Registration.id).where(
        Registration.event_id == param("event_id"), Registration.badge_code >= param(p + "code_from"),
        Registration.badge_code < param(p + "code_to"))
    # Ids from small lists, with no other condition on the event beside them: so that the
    # database starts from the lists (by primary key) instead of scanning the event.
    if by_person is None:
        return Registration.id.in_(by_code), True
    by_name = select(Registration.id).where(Registration.event_id == param("event_id"), by_person)
    return Registration.id.in_(by_name.union_all(by_code)), True


def _where(stmt: Select[Any], shape: _Shape) -> Select[Any]:
    if shape.search is None:
        stmt = stmt.where(Registration.event_id == param("event_id"))
    else:
        search, keeps_event = _search_condition(shape.dialect, shape.search)
        if not keeps_event:
            stmt = stmt.where(Registration.event_id == param("event_id"))
        stmt = stmt.where(search)
    if shape.statuses:
        stmt = stmt.where(Registration.status.in_([param(f"status_{i}") for i in range(shape.statuses)]))
    if shape.categories:
        stmt = stmt.where(Registration.category.in_([param(f"category_{i}") for i in range(shape.categories)]))
    if shape.known_sectors or shape.no_sector:
        either = []
        if shape.known_sectors:
            either.append(Organisation.sector.in_([param(f"sector_{i}") for i in range(shape.known_sectors)]))
        if shape.no_sector:
            either.append(Organisation.id.is_(None))
        stmt = stmt.where(or_(*either))
    if shape.checked_in is not None:
        arrived = checked_in_since()
        stmt = stmt.where(arrived.is_not(None) if shape.checked_in else arrived.is_(None))
    return stmt


def _name_order(lang: str, directed: Callable[[Any], Any] = lambda e: e.asc()) -> list[Any]:
    """ORDER BY terms of a list by surname in ``lang``'s alphabet: the person's sort key
    (``db/sort_keys.py``; the select joins ``_SORT_KEYS``), then the registration. The few
    whose key is not made yet come last (the window makes them when it reads the list
    again: ``desktop.core.collation.ensure_sort_keys``); the name columns after the key cost
    a fifth more at 100,000 rows (``tests/bench/sort.py``)."""
    return [directed(_SORT_KEYS.c[key_column(lang)]).nulls_last(), directed(Registration.id)]


_SORT_KEYS = sort_keys.alias("sort_key")


def _order(shape: _Shape) -> list[Any]:
    desc = shape.sort.descending
    name_keys = _name_order(shape.lang)

    def directed(expr: Any) -> Any:
        return expr.desc() if desc else expr.asc()

    def rank(col: Any, members: Sequence[enum.Enum]) -> Any:
        return case({m.value: i for i, m in enumerate(members)}, value=type_coerce(col, String()))

    column_ = shape.sort.column
    if column_ is SortColumn.NAME:
        return _name_order(shape.lang, directed)
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
    Person.__table__.c.given_name, Person.__table__.c.family_name, Person.__table__.c.patronymic,
    Person.__table__.c.display_name, Organisation.__table__.c.name, Organisation.__table__.c.sector,
    _REG_T.c.category, _REG_T.c.status,
)


@dataclass(frozen=True)
class _Plan:
    """The SQL texts of a shape (parameters: ``_view``, and ``limit``/``offset``
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
            .outerjoin(_SORT_KEYS, _SORT_KEYS.c.person_id == Person.id)
        )
        return _where(stmt, shape).order_by(*_order(shape))

    def window(stmt: Select[Any]) -> Select[Any]:
        return stmt.limit(param("limit")).offset(param("offset"))

    # On PostgreSQL the rows of a search carry the count of all matches: one pass over the
    # search table, not two. SQLite's window functions cost more than a second FTS5 lookup.
    counted = shape.dialect != "sqlite"
    extra = (func.count().over().label("total"),) if counted else ()
    ids = ordered(Registration.id)
    d = shape.dialect
    return _Plan(compiled(_where(count, shape), d), compiled(ids, d), compiled(window(ids), d),
                 compiled(window(ordered(*_ROW_COLUMNS, *extra)), d), counted)


def prepare(dialect: str, lang: str = "en") -> None:
    """Build and compile ahead the statements the list reads first: every registration by
    name, the count of those checked in, rows by id. The first statement over the ORM's
    models also configures them (~0.1 s, once a process): a cost better paid in a thread
    while the window starts than when the user first opens the list. Thread-safe; the
    statements are kept as if the list had read them."""
    for flt in (RegistrationFilter(), RegistrationFilter(checked_in=True)):
        _plan(_view_of(dialect, 0, flt, RegistrationSort(), lang).shape)
    _by_ids_sql(dialect)


def count_matching(session: Reader, event_id: int,
                   flt: RegistrationFilter = RegistrationFilter()) -> int:
    """How many of the event's registrations ``flt`` keeps."""
    conn, dialect = connection_of(session)
    shape, params = _view(dialect, event_id, flt, RegistrationSort(), "en", session)
    return int(fetch(conn, _plan(shape).count, params)[0][0] or 0)


@lru_cache(maxsize=64)
def _codes_sql(dialect: str, search: Search) -> str:
    """The registrations (id, person) of the event whose badge code ``search`` begins."""
    p = search.prefix
    return compiled(select(Registration.id, Registration.person_id).where(
        Registration.event_id == param("event_id"), Registration.badge_code >= param(p + "code_from"),
        Registration.badge_code < param(p + "code_to")), dialect)


@lru_cache(maxsize=64)
def _any_sql(shape: _Shape) -> str:
    """Whether a registration ``shape``'s filters keep is of the parameter ``people`` or
    among the parameter ``ids``."""
    stmt: Select[Any] = (
        select(literal_column("1"))
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
    )
    d = shape.dialect
    stmt = _where(stmt, replace(shape, search=None)).where(
        or_(_one_of(Registration.person_id, "people", d), _one_of(Registration.id, "ids", d)))
    return compiled(stmt.limit(1), d)


def _one_of(column_: Any, name: str, dialect: str) -> Any:
    """``column_`` is one of the ids of the parameter ``name`` (``ids_value``)."""
    if dialect == "sqlite":
        return column_.in_(select(literal_column("value")).select_from(func.json_each(param(name))))
    return column_ == func.any(cast(param(name), id_array()))


def _found_by(conn: Any, dialect: str, searched: Searched, params: dict[str, Any],
              reader: Reader) -> tuple[set[int], dict[int, int]]:
    """The people ``searched`` finds by name (stale ones too), and the registrations of the
    event its badge code finds (id → person)."""
    search = search_params(dialect, "", searched, params)
    if searched.spelled:
        search = with_stale(search, searched.spelled, reader, params)
    sql = people_sql(dialect, search)
    people = {int(row[0]) for row in fetch(conn, sql, params)} if sql is not None else set()
    codes = {int(r): int(p) for r, p in fetch(conn, _codes_sql(dialect, search), params)} if search.code else {}
    return people, codes


def also_found(session: Reader, event_id: int, flt: RegistrationFilter) -> list[AlsoFound]:
    """The readings of ``flt.search`` beyond the text as typed (the other keyboard layouts,
    the spelling in the other alphabet) that found registrations ``flt`` keeps which the
    text as typed did not find, in the order ``name_match.meaning`` gives them.

    Each reading's people are read from the indexes alone (a few thousand ids at most, in
    a millisecond or two) and those the text as typed found taken away in Python; only
    when some are left does the database look for one of them among the list's rows.
    """
    if flt.exact or not flt.search.strip():
        return []
    _all, others = readings(flt.search, False)
    if not others:
        return []
    conn, dialect = connection_of(session)
    base = _view_of(dialect, event_id, flt, RegistrationSort(), "en")
    as_typed, _none = readings(flt.search, True)
    typed_people, typed_codes = _found_by(conn, dialect, as_typed, {"event_id": event_id}, session)
    found = []
    for other in others:
        people, codes = _found_by(conn, dialect, other.searched, {"event_id": event_id}, session)
        people -= typed_people
        ids = [rid for rid, pid in codes.items() if rid not in typed_codes and pid not in typed_people]
        if not (people or ids):
            continue
        params = dict(base.params)
        params["people"], params["ids"] = ids_value(dialect, sorted(people)), ids_value(dialect, ids)
        if fetch(conn, _any_sql(base.shape), params):
            found.append(AlsoFound(other.text, other.layout))
    return found


def registration_ids(session: Reader, event_id: int,
                     flt: RegistrationFilter = RegistrationFilter(),
                     sort: RegistrationSort = RegistrationSort(), lang: str = "en") -> list[int]:
    """The ids of every registration ``flt`` keeps, in the order of ``sort`` (one query;
    the rows themselves come from ``rows_for_ids``, a window at a time)."""
    conn, dialect = connection_of(session)
    shape, params = _view(dialect, event_id, flt, sort, lang, session)
    return [row[0] for row in fetch(conn, _plan(shape).ids, params)]


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
    conn, dialect = connection_of(session)
    shape, params = _view(dialect, event_id, flt, sort, lang, session)
    plan = _plan(shape)
    params["limit"], params["offset"] = limit, offset
    found: list[Any] = []
    if limit and shape.searching:
        # A search keeps a few rows (hundreds, thousands): sort them whole, one query.
        found = fetch(conn, plan.window_rows, params)
        ids = [row[0] for row in found]
        if found and total is None and plan.counted:
            total = int(found[0][-1])
    elif limit:
        # Without a search the list may hold 100,000 rows: sort their ids (only the keys
        # travel through the sort), then read the window's rows by id — more than twice as
        # fast as sorting whole rows at that size.
        ids = [row[0] for row in fetch(conn, plan.window_ids, params)]
    else:
        ids = []
    if total is None:
        if ids and len(ids) < limit:
            total = offset + len(ids)  # the window holds the end of the list: no need to count
        else:
            total = int(fetch(conn, plan.count, params)[0][0] or 0)
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
        arrivals = arrivals_of(conn, dialect, [row[0] for row in found])
    rows = []
    sectors, categories, statuses = _SECTOR, _CATEGORY, _STATUS
    new, set_dict = object.__new__, object.__setattr__
    surname_first = lang in SURNAME_FIRST
    for rid, code, given, family, patronymic, display, org, sector, category, status, *_total in found:
        at, desk = arrivals.get(rid, (None, None))
        if display and display != "{}":
            name = listed_name(given, family, patronymic, local_text(display), lang)
        elif surname_first:
            name = listed_name(given, family, patronymic, None, lang)
        else:  # listed_name without a display name in English, inline: most people have none
            given = given.strip() if given else ""
            family = family.strip() if family else ""
            name = f"{given} {family}" if given and family else given or family
        row = new(RegistrationRow)  # as RegistrationRow(...) makes it, in a third of the time
        set_dict(row, "__dict__", {
            "id": rid, "code": code, "name": name, "organisation": text_of(org, lang),
            "sector": sectors[sector] if sector else None, "category": categories[category],
            "status": statuses[status], "checked_in_at": at, "desk": desk,
        })
        rows.append(row)
    return rows


@lru_cache(maxsize=8)
def _by_ids_sql(dialect: str, lang: str = "en") -> tuple[str, str]:
    """(rows of ``_ROW_COLUMNS`` by surname in ``lang``, the same in no order) of the
    registrations of the parameter ``ids``."""
    rows = (
        select(*_ROW_COLUMNS)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(ids_condition(_REG_T.c.id, dialect))
    )
    return compiled(_by_name(rows, lang), dialect), compiled(rows, dialect)


def _by_name(stmt: Select[Any], lang: str) -> Select[Any]:
    return stmt.outerjoin(_SORT_KEYS, _SORT_KEYS.c.person_id == Person.id).order_by(*_name_order(lang))


@lru_cache(maxsize=16)
def _event_rows_sql(dialect: str, with_status: bool, lang: str = "en") -> str:
    """Rows of ``_ROW_COLUMNS`` of the event's registrations (of one status), by surname
    in ``lang``."""
    stmt = (
        select(*_ROW_COLUMNS)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_REG_T.c.event_id == param("event_id"))
    )
    if with_status:
        stmt = stmt.where(_REG_T.c.status == param("status"))
    return compiled(_by_name(stmt, lang), dialect)


def rows_for_ids(session: Reader, ids: Sequence[int], lang: str = "en") -> list[RegistrationRow]:
    """The rows of the registrations ``ids``, in that order (ids no longer there are left
    out: another desk may have removed them)."""
    return _rows_for_ids(*connection_of(session), ids, lang)


def _rows_for_ids(conn: Any, dialect: str, ids: Sequence[int], lang: str) -> list[RegistrationRow]:
    sql = _by_ids_sql(dialect)[1]
    found: dict[int, Any] = {}
    for chunk in chunks(ids):
        found.update((row[0], row) for row in fetch(conn, sql, {"ids": ids_value(dialect, chunk)}))
    return _rows(conn, dialect, [found[rid] for rid in ids if rid in found], lang)


def event_zone_of(session: OrmSession, event_id: int) -> dt.tzinfo:
    """The event's time zone (UTC when this computer does not know its name)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = session.scalar(select(Event.timezone).where(Event.id == event_id)) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC
