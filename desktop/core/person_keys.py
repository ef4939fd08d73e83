"""Keys of each person that Python makes, kept in the database beside the search index.

The table ``person_key`` (migration 0003) holds, per person, keys derived from their names
that SQL cannot make: the Latin sound-spelling ``skeleton`` of ``desktop.core.name_match``
(of their names, display names and organisation's names), by which the registration list
and the desk find "zhienbayev" as "Жиенбаев". Other keys of a person (a sort key per
language) are columns of the same rows.

Triggers keep the skeleton honest whoever writes (the import, the desk-file merge, the
people editor, plain SQL): a new person's row, or a person whose names, organisation or
organisation's names changed, is marked ``stale`` and its skeleton taken out of the index.
So a stale skeleton is never found; instead:

* ``stale_matches`` finds the stale people in Python, for a search (they are few: every
  writer of many people in core makes their keys before it commits);
* ``settle`` makes the keys of stale people in the caller's write transaction — the import,
  the desk-file merge and the demo call it; ``settle_all`` does it in transactions of its
  own for a database with many stale rows (one upgraded to 0003, or written by a program
  other than this one), and ``many_stale`` tells when that is worth it.

SQLite indexes the skeletons in the FTS5 table ``person_key_search`` (``rowid`` = person);
PostgreSQL keeps ``" word word "`` and its words' first letters (``skeleton_heads``, under a
GIN index) in ``person_key`` itself, searched as ``person_search`` is (``db/search.py``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, column, select, table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.search import HEAD_LENGTH, fts5_query, like_patterns
from desktop.core.name_match import skeleton, skeleton_matches
from desktop.core.raw import Reader, connection_of, fetch

INLINE_LIMIT = 2000
"""Up to this many stale people are matched in Python on every search (a few ms); more
than that (``many_stale``) and their keys are better made first (``settle_all``)."""

SETTLE_CHUNK = 5000
"""People whose keys one transaction of ``settle_all`` makes (a short write, a few tenths
of a second: the desks' check-ins get in between)."""

KEYS = table("person_key", column("person_id"), column("stale"), column("skeleton"), column("skeleton_heads"))
SKELETONS = table("person_key_search", column("rowid"), column("doc"))
"""The tables, seen from SQL (not models: the migration makes them)."""


def _local(raw: Any) -> dict[str, str]:
    if not raw or raw == "{}":
        return {}
    if isinstance(raw, dict):
        return raw
    loaded = json.loads(raw)
    return loaded if isinstance(loaded, dict) else {}


def person_skeleton(given: str | None, family: str | None, patronymic: str | None,
                    display_name: Mapping[str, str] | None, organisation: str = "") -> str:
    """A person's skeleton: of their names and display names, then ``organisation`` (the
    skeleton of their organisation's names, ``organisation_skeleton``)."""
    words = " ".join(p for p in (given, family, patronymic, *(display_name or {}).values()) if p)
    return " ".join(filter(None, (skeleton(words), organisation)))


def organisation_skeleton(name: Mapping[str, str] | None, short_name: Mapping[str, str] | None) -> str:
    """The skeleton of an organisation's names and short names in every language."""
    return skeleton(" ".join((*(name or {}).values(), *(short_name or {}).values())))


# The stale people with what their skeleton is made of (the organisation's names raw).
_STALE_ROWS = """SELECT p.id, p.given_name, p.family_name, p.patronymic, p.display_name,
       o.id, o.name, o.short_name
FROM person_key AS k JOIN person AS p ON p.id = k.person_id
LEFT JOIN organisation AS o ON o.id = p.organisation_id
WHERE k.stale"""


def _stale_sql(dialect: str, limit: bool, lock: bool) -> str:
    sql = _STALE_ROWS + (" ORDER BY k.person_id LIMIT %(limit)s" if limit else "")
    if dialect == "sqlite":
        return sql.replace("%(limit)s", ":limit")
    # Rows another transaction is changing are left to it (they are stale again after it).
    return sql + (" FOR UPDATE OF k SKIP LOCKED" if lock else "")


class _Skeletons:
    """Skeletons of rows of ``_STALE_ROWS``, an organisation's made once."""

    def __init__(self) -> None:
        self._orgs: dict[Any, str] = {}

    def __call__(self, row: Sequence[Any]) -> str:
        pid, given, family, patronymic, display, org_id, org_name, org_short = row
        org = ""
        if org_id is not None:
            known = self._orgs.get(org_id)
            if known is None:
                known = self._orgs[org_id] = organisation_skeleton(_local(org_name), _local(org_short))
            org = known
        return person_skeleton(given, family, patronymic, _local(display), org)


def stale_count(reader: Reader, up_to: int | None = None) -> int:
    """How many people's keys are stale (counted up to ``up_to`` when given)."""
    conn, dialect = connection_of(reader)
    inner = "SELECT 1 FROM person_key WHERE stale" + (f" LIMIT {int(up_to)}" if up_to is not None else "")
    return int(fetch(conn, f"SELECT count(*) FROM ({inner}) AS s", {})[0][0])


def many_stale(reader: Reader) -> bool:
    """Whether more people are stale than a search should match in Python (see
    ``INLINE_LIMIT``): then ``settle_all`` first."""
    return stale_count(reader, INLINE_LIMIT + 1) > INLINE_LIMIT


def stale_matches(reader: Reader, spellings: Iterable[Sequence[str]]) -> list[int]:
    """The ids of the stale people whose skeleton (made now, in Python) matches one of
    ``spellings`` (sets of skeleton terms, ``name_match.Meaning.spellings``)."""
    sets = [tuple(terms) for terms in spellings if terms]
    if not sets:
        return []
    conn, dialect = connection_of(reader)
    rows = fetch(conn, _stale_sql(dialect, False, False), {})
    if not rows:
        return []
    make = _Skeletons()
    found = []
    for row in rows:
        doc = make(row)
        if any(skeleton_matches(doc, terms) for terms in sets):
            found.append(int(row[0]))
    return found


def settle(session: OrmSession | Connection, limit: int | None = None) -> int:
    """Make the keys of the stale people (at most ``limit``, all when None) in the caller's
    write transaction; how many were made."""
    conn = session.connection() if isinstance(session, OrmSession) else session
    dialect = conn.dialect.name
    sql = _stale_sql(dialect, limit is not None, True)
    params = {"limit": int(limit)} if limit is not None else {}
    rows = conn.exec_driver_sql(sql, params).all() if params else conn.exec_driver_sql(sql).all()
    if not rows:
        return 0
    make = _Skeletons()
    made = [(int(row[0]), make(row)) for row in rows]
    if dialect == "sqlite":
        ids = [(pid,) for pid, _doc in made]
        conn.exec_driver_sql("DELETE FROM person_key_search WHERE rowid = ?", ids)
        conn.exec_driver_sql("INSERT INTO person_key_search (rowid, doc) VALUES (?, ?)", made)
        conn.exec_driver_sql("UPDATE person_key SET stale = 0, skeleton = ? WHERE person_id = ?",
                             [(doc, pid) for pid, doc in made])
    else:
        conn.exec_driver_sql(
            "UPDATE person_key AS k SET stale = false, skeleton = v.doc, skeleton_heads = cd_search_heads(v.doc)"
            " FROM (SELECT unnest(%(ids)s::integer[]) AS id, ' ' || unnest(%(docs)s::text[]) || ' ' AS doc) AS v"
            " WHERE k.person_id = v.id",
            {"ids": [pid for pid, _doc in made], "docs": [doc for _pid, doc in made]})
    return len(made)


def settle_all(database: Database, *, chunk: int = SETTLE_CHUNK,
               progress: Callable[[int], bool] | None = None) -> int:
    """Make the keys of every stale person, ``chunk`` people a transaction (so that other
    writers get in between); ``progress(made so far)`` after each may say False to stop.
    How many were made."""
    done = 0
    while True:
        with database.write() as session:
            made = settle(session, chunk)
        done += made
        if made < chunk or (progress is not None and not progress(done)):
            return done


_SETTLING: dict[int, threading.Thread] = {}
_SETTLING_LOCK = threading.Lock()


def settle_in_background(database: Database) -> threading.Thread | None:
    """When more people are stale than a search should match in Python (``many_stale``:
    a database just upgraded, or written by another program), make their keys in a thread
    of its own (``settle_all``), so that the window need not wait; the thread, or None when
    there is nothing to do or a thread is at it already. Searches meanwhile stay right
    (the stale people are matched in Python), only slower. A database that cannot be
    written (read-only, or held by another writer) is left as it is."""
    with database.read() as session:
        if not many_stale(session):
            return None
    with _SETTLING_LOCK:
        running = _SETTLING.get(id(database))
        if running is not None and running.is_alive():
            return None

        def work() -> None:
            try:
                settle_all(database)
            except SQLAlchemyError:
                pass  # the keys stay stale: searches match them in Python
            finally:
                with _SETTLING_LOCK:
                    _SETTLING.pop(id(database), None)

        thread = threading.Thread(target=work, name="person-keys", daemon=True)
        _SETTLING[id(database)] = thread
        thread.start()
        return thread


# -- searching the skeletons ---------------------------------------------------------------------

def skeleton_heads(terms: Sequence[str]) -> list[str]:
    """The word beginnings a PostgreSQL skeleton must hold for ``terms`` (its GIN index)."""
    return sorted({t[:HEAD_LENGTH] for t in terms})


def skeleton_query(spellings: Sequence[Sequence[str]]) -> str:
    """The FTS5 MATCH expression over ``person_key_search`` for any of ``spellings``."""
    return " OR ".join(f"({fts5_query(terms)})" for terms in spellings)


def skeleton_like(terms: Sequence[str]) -> list[str]:
    """PostgreSQL LIKE patterns over a skeleton ``" word word "`` for ``terms``."""
    return like_patterns(terms)


def matching_skeletons(dialect: str, spellings: Sequence[Sequence[str]]) -> Any:
    """A select of the ids of the people whose stored skeleton matches one of ``spellings``
    (stale people are not among them: see ``stale_matches``)."""
    from sqlalchemy import bindparam, union_all

    if dialect == "sqlite":
        return select(SKELETONS.c.rowid).where(SKELETONS.c.doc.op("MATCH")(skeleton_query(spellings)))
    from sqlalchemy import Text
    from sqlalchemy.dialects.postgresql import ARRAY

    selects = [
        select(KEYS.c.person_id).where(
            KEYS.c.skeleton_heads.op("@>")(bindparam(None, skeleton_heads(terms), type_=ARRAY(Text()))),
            *(KEYS.c.skeleton.like(p, escape="\\") for p in skeleton_like(terms)))
        for terms in spellings
    ]
    return selects[0] if len(selects) == 1 else union_all(*selects)


__all__ = [
    "INLINE_LIMIT",
    "many_stale",
    "matching_skeletons",
    "organisation_skeleton",
    "person_skeleton",
    "settle",
    "settle_all",
    "settle_in_background",
    "skeleton_heads",
    "skeleton_query",
    "stale_count",
    "stale_matches",
]
