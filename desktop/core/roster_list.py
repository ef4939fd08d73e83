"""The roster as the People section lists it: search, sort, count and windows of rows in the
database, so that 100,000 people show as fast as 100.

``roster`` (``desktop.core.people``) builds every ``PersonRow`` in Python — right for a
printed list or a test, a second and a quarter of a gigabyte at 100,000 people. The
window's table instead asks this module for:

* ``count_people`` — how many people a search keeps (and the roster holds);
* ``people_window`` — the ids of ``limit`` people from ``offset`` in a sort's order
  (LIMIT/OFFSET, sorted by the database on the kept name keys of ``db/sort_keys.py``);
* ``people_ids`` — every id a search keeps, in a sort's order (for deep windows, a
  selection, and the sorts the database cannot do: see below);
* ``people_rows`` — the ``PersonRow``s of some ids, in their order, with their roles in
  the event (a window of a couple of hundred rows: a few milliseconds).

The search is the registration list's (``desktop.core.person_search``): every word typed
must begin a word of the person's names, e-mail or organisation's names (the search index
of ``db/search.py``), read also on the other keyboard layout and spelled in the other
alphabet (``desktop.core.name_match``). The roster's search also looks in the position,
which the index does not hold: the distinct positions (a few hundred in a real roster: job
titles repeat) are folded in Python once (``Positions``), and each typed word then also
keeps the people whose position has a word it begins — so "judge ахметов" finds the judge
Ахметов, as the list did when it searched a text of every field in Python.

Sorting by name runs in SQL on the ICU keys kept per person and language. The other columns
show words chosen in Python (a position in the list's language, a sector's or a role's word
in the interface language) and sort by the interface language's collation, as the table
sorted them before: their ids and values are read once, sorted in Python with a key per
distinct text (positions, organisations, sectors, countries repeat), and the model reads
its windows by id from that list. Empty cells go last either way; ties keep name order.
"""

from __future__ import annotations

import enum
import heapq
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, Text, and_, cast, func, literal_column, not_, or_, select, type_coerce

from db.models import AgendaItem, AgendaSession, Gender, Organisation, Person, Registration, Role, RoleKind, Sector
from db.search import fold, fts5_query, heads, like_patterns, search_terms
from db.sort_keys import key_column, sort_keys
from desktop.core import collation, vocabulary
from desktop.core.folding import search_fold
from desktop.core.i18n import listed_name, text
from desktop.core.language import interface_language
from desktop.core.people import PersonRow
from desktop.core.person_search import (
    FTS,
    PG_SEARCH,
    AlsoFound,
    Search,
    people_select,
    readings,
    search_params,
    text_array,
    with_stale,
)
from desktop.core.raw import (
    Reader,
    chunks,
    compiled,
    connection_of,
    fetch,
    fetch_shared,
    ids_condition,
    ids_value,
    local_text,
    param,
)


class RosterColumn(str, enum.Enum):
    """The roster's columns, in the table's order."""

    NAME = "name"
    POSITION = "position"
    ORGANISATION = "organisation"
    SECTOR = "sector"
    COUNTRY = "country"
    EMAIL = "email"
    ROLE = "role"


@dataclass(frozen=True)
class RosterSort:
    column: RosterColumn = RosterColumn.NAME
    descending: bool = False


_P = Person.__table__
_O = Organisation.__table__
_KEYS = sort_keys.alias("sort_key")


# -- the positions a search also looks in ---------------------------------------------------


@dataclass
class Positions:
    """The distinct positions of the roster, each with the words of its texts (every
    language) folded as the search index folds: read once (``read``) and kept by the
    caller until the roster changes. ``matching(term)`` gives the raw stored values whose
    words one begins with ``term``."""

    words: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def read(cls, reader: Reader) -> Positions:
        conn, dialect = connection_of(reader)
        found = []
        for (raw,) in fetch(conn, _distinct_positions_sql(dialect), {}):
            texts = local_text(raw)
            if texts:
                found.append((str(raw), tuple(fold(" ".join(texts.values())).split())))
        return cls(found)

    def matching(self, term: str) -> list[str]:
        return [raw for raw, words in self.words if any(w.startswith(term) for w in words)]


def _position_text() -> Any:
    return cast(_P.c.position, Text)


@lru_cache(maxsize=2)
def _distinct_positions_sql(dialect: str) -> str:
    raw = _position_text()
    empty = ("{}", "null")
    return compiled(select(raw).where(_P.c.position.is_not(None), raw.not_in(empty)).distinct(), dialect)


# -- the search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """What the SQL of a search depends on (the values go in as parameters)."""

    dialect: str
    search: Search | None  # by the search index (and the other readings); None: no search
    per_term: int           # typed words each matched in the index or the positions (0: none)


@dataclass(frozen=True)
class RosterSearch:
    """A search of the roster ready to run: its shape and parameters (``prepare``)."""

    shape: _Shape
    params: dict[str, Any]

    @property
    def searching(self) -> bool:
        return self.shape.search is not None or self.shape.per_term > 0


def prepare(reader: Reader, typed: str, positions: Positions | None = None, *, exact: bool = False) -> RosterSearch:
    """The search of ``typed`` (with the positions that the typed words begin a word of:
    read through ``reader`` when not given); with ``exact``, the text as typed only (not
    on the other layouts, nor spelled in the other alphabet)."""
    _conn, dialect = connection_of(reader)
    params: dict[str, Any] = {}
    searched, _others = readings(typed, exact)
    searched = replace(searched, code=None)  # a badge code finds a registration, not a person
    if not searched:
        return RosterSearch(_Shape(dialect, None, 0), params)
    search = search_params(dialect, "", searched, params)
    if searched.spelled:
        search = with_stale(search, searched.spelled, reader, params)
    per_term = 0
    terms = search_terms(typed)
    if terms:
        if positions is None:
            positions = Positions.read(reader)
        found = [positions.matching(t) for t in terms]
        if any(found):
            per_term = len(terms)
            for i, (term, raws) in enumerate(zip(terms, found, strict=True)):
                params[f"pos_{i}"] = json.dumps(raws) if dialect == "sqlite" else raws
                if dialect == "sqlite":
                    params[f"term_{i}"] = fts5_query([term])
                else:
                    params[f"theads_{i}"] = heads([term])
                    params[f"tlike_{i}"] = like_patterns([term])[0]
    return RosterSearch(_Shape(dialect, search, per_term), params)


def _one_term(dialect: str, i: int, id_column: Any) -> Any:
    """People whose search document has a word the ``i``-th typed word begins, or whose
    position is one of the parameter ``pos_i``."""
    raw = _position_text()
    if dialect == "sqlite":
        by_doc = select(FTS.c.rowid).where(FTS.c.doc.op("MATCH")(param(f"term_{i}")))
        by_position = raw.in_(select(literal_column("value")).select_from(func.json_each(param(f"pos_{i}"))))
    else:
        by_doc = select(PG_SEARCH.c.person_id).where(
            PG_SEARCH.c.heads.op("@>")(cast(param(f"theads_{i}"), text_array())),
            PG_SEARCH.c.doc.like(param(f"tlike_{i}"), escape="\\"))
        by_position = raw == func.any(cast(param(f"pos_{i}"), text_array()))
    return or_(id_column.in_(by_doc), by_position)


def _condition(shape: _Shape, id_column: Any = _P.c.id) -> Any | None:
    """Whether the search keeps a person (None: no search)."""
    either = []
    if shape.search is not None:
        people = people_select(shape.dialect, shape.search)
        if people is not None:
            either.append(id_column.in_(people))
    if shape.per_term:
        either.append(and_(*(_one_term(shape.dialect, i, id_column) for i in range(shape.per_term))))
    return or_(*either) if either else None


def _where(stmt: Select[Any], shape: _Shape, id_column: Any = _P.c.id) -> Select[Any]:
    condition = _condition(shape, id_column)
    return stmt.where(condition) if condition is not None else stmt


# -- what the other readings of a search found ------------------------------------------------


def also_found(reader: Reader, typed: str, positions: Positions | None = None) -> list[AlsoFound]:
    """The readings of ``typed`` beyond the text as typed (the other keyboard layouts, the
    spelling in the other alphabet) that found people the text as typed did not, in the
    order ``name_match.meaning`` gives them: what the window says under the search, as the
    registration list's ``also_found`` does (``positions``: as ``prepare`` takes them).

    One query a reading, answered by the database with at most one row: whether one of the
    people the reading finds is not kept by the text as typed (its names or position). The
    thousands of ids a short reading finds never travel to Python: stepping through them
    in a thread took the GIL back after each row, and starved the window of it (a stall of
    100-180 ms at 100,000 people).
    """
    if not typed.strip():
        return []
    _all, others = readings(typed, False)
    if not others:
        return []
    conn, dialect = connection_of(reader)
    exact = prepare(reader, typed, positions, exact=True)
    found = []
    for other in others:
        searched = replace(other.searched, code=None)  # a badge code finds a registration, not a person
        if not searched:
            continue
        params = dict(exact.params)
        search = search_params(dialect, "r_", searched, params)
        if searched.spelled:
            search = with_stale(search, searched.spelled, reader, params)
        if fetch(conn, _beyond_sql(exact.shape, search), params):
            found.append(AlsoFound(other.text, other.layout))
    return found


@lru_cache(maxsize=64)
def _beyond_sql(typed: _Shape, reading: Search) -> str:
    """One of the people ``reading`` finds whom the search ``typed`` does not keep."""
    people = people_select(typed.dialect, reading)
    assert people is not None
    stmt = select(_P.c.id).where(_P.c.id.in_(people))
    condition = _condition(typed)
    if condition is not None:
        stmt = stmt.where(not_(condition))
    return compiled(stmt.limit(1), typed.dialect)


# -- counting and ordering --------------------------------------------------------------------
#
# By name: the people whose key is made, in key order, straight from the key's index
# (migration 0006) — a window is a millisecond, every id some 25 ms at 100,000 — then the
# few whose key is not made yet (another program wrote them: the window makes their keys
# when it reads the list again), by family and given name.


@dataclass(frozen=True)
class _Sql:
    count: str
    unkeyed_count: str  # people without a key (no search: the index's NULLs)
    keyed: str          # ids by key, every one
    keyed_window: str   # a window of them (parameters limit, offset)
    unkeyed: str        # ids without a key, by family and given name


@lru_cache(maxsize=128)
def _sql(shape: _Shape, lang: str, descending: bool) -> _Sql:
    d = shape.dialect
    key = _KEYS.c[key_column(lang)]
    count = _where(select(func.count()).select_from(_P), shape)
    people = people_select(d, shape.search) if shape.search is not None and not shape.per_term else None
    if people is not None:
        # Counted from the indexes alone, without reading the person table: every id in
        # them is a person's (their triggers delete it with the person); a person found by
        # two readings counts once. "i" at 100,000: 26 -> 1.4 ms.
        found = people.subquery()
        count = select(func.count(func.distinct(found.c[0])))
    unkeyed_count = select(func.count()).select_from(_KEYS).where(key.is_(None))

    def directed(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    source = _KEYS.join(_P, _P.c.id == _KEYS.c.person_id) if shape.per_term else _KEYS
    keyed = _where(select(_KEYS.c.person_id).select_from(source).where(key.is_not(None)), shape,
                   _KEYS.c.person_id).order_by(directed(key), directed(_KEYS.c.person_id))
    unkeyed = _where(
        select(_P.c.id).select_from(_P.outerjoin(_KEYS, _KEYS.c.person_id == _P.c.id)).where(key.is_(None)), shape,
    ).order_by(directed(_P.c.family_name), directed(_P.c.given_name), directed(_P.c.id))
    return _Sql(compiled(count, d), compiled(unkeyed_count, d), compiled(keyed, d),
                compiled(keyed.limit(param("limit")).offset(param("offset")), d), compiled(unkeyed, d))


def count_people(reader: Reader, search: RosterSearch) -> int:
    """How many people ``search`` keeps (everyone, without a search)."""
    conn, _dialect = connection_of(reader)
    return int(fetch(conn, _sql(search.shape, "en", False).count, search.params)[0][0] or 0)


def people_window(reader: Reader, search: RosterSearch, lang: str, *, offset: int, limit: int,
                  descending: bool = False, total: int | None = None) -> list[int]:
    """The ids of ``limit`` people from position ``offset`` by name in ``lang`` (sorted by
    the database; ``descending`` from Z to A); ``total`` is ``count_people``'s (counted when
    not given)."""
    conn, _dialect = connection_of(reader)
    sql = _sql(search.shape, lang, descending)
    offset, limit = max(0, offset), max(0, limit)
    params = {**search.params, "limit": limit, "offset": offset}
    ids = [row[0] for row in fetch(conn, sql.keyed_window, params)]
    if len(ids) < limit and int(fetch(conn, sql.unkeyed_count, {})[0][0] or 0):
        # The window reaches past the keyed people: those without a key follow.
        keyed = offset + len(ids) if ids or offset == 0 else _keyed_count(conn, search, sql)
        unkeyed = [row[0] for row in fetch(conn, sql.unkeyed, search.params)]
        start = max(0, offset - keyed)
        ids += unkeyed[start:start + limit - len(ids)]
    return ids


def _keyed_count(conn: Any, search: RosterSearch, sql: _Sql) -> int:
    return len(fetch(conn, sql.keyed, search.params))


def people_ids(reader: Reader, search: RosterSearch, sort: RosterSort, lang: str,
               event_id: int | None = None, *, shared: bool = False) -> list[int]:
    """Every id ``search`` keeps, in the order of ``sort`` (``event_id``: whose roles the
    Role column shows). ``shared``: a thread beside the window's reads them, and lets the
    window's have the GIL between batches of rows (``raw.fetch_shared``)."""
    conn, dialect = connection_of(reader)
    many = fetch_shared if shared else fetch
    if sort.column is RosterColumn.NAME:
        sql = _sql(search.shape, lang, sort.descending)
        ids = [row[0] for row in many(conn, sql.keyed, search.params)]
        if int(fetch(conn, sql.unkeyed_count, {})[0][0] or 0):
            ids += [row[0] for row in many(conn, sql.unkeyed, search.params)]
        return ids
    # By name first (ties keep that order), then by the column's text in Python: the ids
    # gathered per collation key of the text shown, the keys sorted (``_in_order``).
    rows = many(conn, _values_sql(search.shape, sort.column, lang), search.params)
    shown = _shown(sort.column, lang, _event_roles(conn, dialect, event_id) if sort.column is RosterColumn.ROLE
                   else {})
    key_of = _text_keys(interface_language())
    groups: dict[bytes, list[int]] = {}
    empty = []
    for pid, *values in rows:
        shown_text = shown(pid, values)
        if not shown_text:
            empty.append(pid)
            continue
        key = key_of(shown_text)
        group = groups.get(key)
        if group is None:
            groups[key] = [pid]
        else:
            group.append(pid)
    keys = _in_order(groups)
    if sort.descending:  # Z to A, and ties the other way round too
        return [pid for key in reversed(keys) for pid in reversed(groups[key])] + empty
    return [pid for key in keys for pid in groups[key]] + empty


SORTED_AT_ONCE = 5000
"""More keys than this are sorted in pieces, merged: one sort of 100,000 keys (every e-mail
differs) keeps the GIL for some 40 ms, a stall of the window when a thread sorts them."""


def _in_order(keys: Iterable[bytes]) -> list[bytes]:
    """``keys`` sorted."""
    every = list(keys)
    if len(every) <= SORTED_AT_ONCE:
        return sorted(every)
    pieces = [sorted(every[i:i + SORTED_AT_ONCE]) for i in range(0, len(every), SORTED_AT_ONCE)]
    return list(heapq.merge(*pieces))


def _text_keys(lang: str) -> Callable[[str], bytes]:
    """A collation key per distinct text (cells repeat: one key each)."""
    made: dict[str, bytes] = {}

    def key(value: str) -> bytes:
        found = made.get(value)
        if found is None:
            found = made[value] = collation.key(value, lang)
        return found
    return key


@lru_cache(maxsize=64)
def _values_sql(shape: _Shape, column: RosterColumn, lang: str) -> str:
    """Every kept person's id and what the column shows is made of, by name."""
    values: tuple[Any, ...]
    if column is RosterColumn.POSITION:
        values = (_position_text(),)
    elif column is RosterColumn.ORGANISATION:
        values = (_O.c.id, type_coerce(_O.c.name, String()), type_coerce(_O.c.short_name, String()))
    elif column is RosterColumn.SECTOR:
        values = (_O.c.sector,)
    elif column is RosterColumn.COUNTRY:
        values = (_P.c.country,)
    elif column is RosterColumn.EMAIL:
        values = (_P.c.email,)
    else:
        values = ()
    key = _KEYS.c[key_column(lang)]
    stmt = select(_P.c.id, *values).select_from(
        _P.outerjoin(_KEYS, _KEYS.c.person_id == _P.c.id).outerjoin(_O, _O.c.id == _P.c.organisation_id))
    order = (key.is_(None), key, _P.c.family_name, _P.c.given_name, _P.c.id)
    return compiled(_where(stmt, shape).order_by(*order), shape.dialect)


def _shown(column: RosterColumn, lang: str, roles: dict[int, list[RoleKind]]) -> Callable[[int, list[Any]], str]:
    """What the column shows for a person, from the values ``_values_sql`` read."""
    cache: dict[Any, str] = {}
    if column is RosterColumn.POSITION:
        def position(_pid: int, values: list[Any]) -> str:
            raw = values[0]
            key = raw if isinstance(raw, str) else str(raw)
            found = cache.get(key)
            if found is None:
                found = cache[key] = text(local_text(raw), lang)
            return found
        return position
    if column is RosterColumn.ORGANISATION:
        def organisation(_pid: int, values: list[Any]) -> str:
            org_id, name, short = values
            if org_id is None:
                return ""
            found = cache.get(org_id)
            if found is None:
                found = cache[org_id] = text(local_text(name), lang) or text(local_text(short), lang)
            return found
        return organisation
    if column is RosterColumn.SECTOR:
        def sector(_pid: int, values: list[Any]) -> str:
            value = values[0]
            if not value:
                return ""
            found = cache.get(value)
            if found is None:
                found = cache[value] = vocabulary.sector(value)
            return found
        return sector
    if column is RosterColumn.ROLE:
        def role(pid: int, _values: list[Any]) -> str:
            held = roles.get(pid)
            return ", ".join(vocabulary.role(k) for k in held) if held else ""
        return role
    return lambda _pid, values: values[0] or ""


# -- rows -------------------------------------------------------------------------------------

_ROLE_INDEX: dict[RoleKind, int] = {kind: i for i, kind in enumerate(RoleKind)}
_SECTORS = {s.value: s for s in Sector}
_GENDERS = {g.value: g for g in Gender}


@lru_cache(maxsize=4)
def _roles_sql(dialect: str, by_person: bool) -> str:
    stmt = (
        select(Role.__table__.c.person_id, Role.__table__.c.kind)
        .select_from(Role.__table__
                     .outerjoin(AgendaSession.__table__, AgendaSession.__table__.c.id == Role.__table__.c.session_id)
                     .outerjoin(AgendaItem.__table__, AgendaItem.__table__.c.id == Role.__table__.c.item_id))
        .where(or_(AgendaSession.__table__.c.event_id == param("event_id"),
                   AgendaItem.__table__.c.event_id == param("event_id")))
    )
    if by_person:
        stmt = stmt.where(ids_condition(Role.__table__.c.person_id, dialect))
    return compiled(stmt, dialect)


def _event_roles(conn: Any, dialect: str, event_id: int | None,
                 ids: Sequence[int] | None = None) -> dict[int, list[RoleKind]]:
    """Each person's roles in the event (of ``ids`` only, when given), in the order of
    ``RoleKind``."""
    roles: dict[int, list[RoleKind]] = {}
    if event_id is None:
        return roles
    params: dict[str, Any] = {"event_id": event_id}
    if ids is not None:
        params["ids"] = ids_value(dialect, ids)
    for pid, kind in fetch(conn, _roles_sql(dialect, ids is not None), params):
        kinds = roles.setdefault(pid, [])
        role = RoleKind(kind)
        if role not in kinds:
            kinds.append(role)
    for kinds in roles.values():
        kinds.sort(key=_ROLE_INDEX.__getitem__)
    return roles


@lru_cache(maxsize=8)
def _rows_sql(dialect: str, lang: str) -> str:
    events = (select(func.count()).select_from(Registration.__table__)
              .where(Registration.__table__.c.person_id == _P.c.id).scalar_subquery())
    stmt = select(
        _P.c.id, _P.c.given_name, _P.c.family_name, _P.c.patronymic,
        type_coerce(_P.c.display_name, String()), _position_text(),
        _P.c.country, _P.c.email, _P.c.gender, _P.c.organisation_id, _P.c.phone, events,
        _KEYS.c[key_column(lang)],
        type_coerce(_O.c.name, String()), type_coerce(_O.c.short_name, String()), _O.c.sector,
    ).select_from(
        _P.outerjoin(_KEYS, _KEYS.c.person_id == _P.c.id).outerjoin(_O, _O.c.id == _P.c.organisation_id)
    ).where(ids_condition(_P.c.id, dialect))
    return compiled(stmt, dialect)


def _organisation_folded(name: Any, short: Any) -> str:
    texts = (*local_text(name).values(), *local_text(short).values())
    return search_fold(" ".join(texts))


def people_rows(reader: Reader, ids: Sequence[int], lang: str = "en",
                event_id: int | None = None) -> list[PersonRow]:
    """The ``PersonRow``s of ``ids``, in that order (those gone meanwhile left out), with
    their roles in ``event_id``."""
    conn, dialect = connection_of(reader)
    found: dict[int, Any] = {}
    for chunk in chunks(ids):
        found.update((row[0], row) for row in fetch(conn, _rows_sql(dialect, lang), {"ids": ids_value(dialect, chunk)}))
    roles = _event_roles(conn, dialect, event_id, list(found)) if found else {}
    organisations: dict[int, tuple[str, str]] = {}  # id → (name in lang, folded names)
    rows = []
    for pid in ids:
        row = found.get(pid)
        if row is None:
            continue
        (_id, given, family, patr, display_raw, position_raw, country, email, gender, org_id, phone,
         n_events, sort_key, org_name, org_short, sector) = row
        display, position = local_text(display_raw), local_text(position_raw)
        if sort_key is None:
            sort_key = collation.name_key(given, family, patr, display, lang)
        held = roles.get(pid, [])
        haystack = search_fold(" ".join((given or "", family or "", patr or "", *display.values(), email or "",
                                         *position.values())))
        org, org_folded = "", ""
        if org_id is not None:
            known = organisations.get(org_id)
            if known is None:
                shown = text(local_text(org_name), lang) or text(local_text(org_short), lang)
                known = organisations[org_id] = (shown, _organisation_folded(org_name, org_short))
            org, org_folded = known
        rows.append(PersonRow(
            pid,
            listed_name(given, family, patr, display, lang),
            bytes(sort_key),
            text(position, lang),
            org,
            _SECTORS.get(sector) if sector else None,
            country or "",
            email or "",
            gender if isinstance(gender, Gender) else _GENDERS.get(gender, Gender.NOT_STATED),
            ", ".join(k.value for k in held),
            org_id,
            phone or "",
            int(n_events or 0),
            f"{haystack} {org_folded}",
        ))
    return rows


def registrations_of(reader: Reader, ids: Iterable[int]) -> dict[int, int]:
    """How many registrations (in any event) each of ``ids`` has."""
    conn, dialect = connection_of(reader)
    wanted = list(ids)
    counts = dict.fromkeys(wanted, 0)
    for pid, n in fetch(conn, _registration_counts_sql(dialect), {"ids": ids_value(dialect, wanted)}):
        counts[pid] = int(n)
    return counts


@lru_cache(maxsize=2)
def _registration_counts_sql(dialect: str) -> str:
    reg = Registration.__table__
    return compiled(select(reg.c.person_id, func.count()).where(ids_condition(reg.c.person_id, dialect))
                    .group_by(reg.c.person_id), dialect)


__all__ = ["RosterColumn", "RosterSort", "RosterSearch", "Positions", "prepare", "also_found", "count_people",
           "people_window", "people_ids", "people_rows", "registrations_of"]
