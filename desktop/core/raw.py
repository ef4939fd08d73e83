"""Reading plain rows fast: raw SQL on the DB-API cursor, in the session's transaction.

The registration list, the check-in figures and the desk read many rows on every keystroke
or refresh. SQLAlchemy builds the SQL of each *shape* of query once and compiles it to the
driver's own text (``compiled``, with named ``param`` markers); each call then runs that
text on the cursor (``fetch``) and reads plain tuples — building, caching and compiling a
statement through SQLAlchemy on every call cost more than the query itself for a short
list, and ORM objects cost ~6x plain rows at 100,000. Errors still come as SQLAlchemy's
``DBAPIError``s. Also here: the lists of ids passed as one parameter (``ids_condition``),
and the raw values of stored types (JSON texts, UTC instants) turned into Python's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid as uuid_mod
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, String, Uuid, bindparam, cast, func, literal_column, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession

from db.engine import RawRead
from desktop.core.i18n import text

IN_CHUNK = 5000  # ids per "IN (...)": SQLite allows 32,766 variables in one statement


def dialect_of(session: OrmSession) -> str:
    return session.get_bind().dialect.name


Reader = OrmSession | RawRead
"""What the list's functions read through: a session (``Database.read()``, or a write's),
or the lighter ``Database.read_raw()`` that a search on every keystroke uses."""


def connection_of(reader: Reader) -> tuple[Any, str]:
    """The connection of ``reader`` that ``fetch`` runs on, and the dialect's name."""
    if isinstance(reader, RawRead):
        return reader, reader.dialect.name
    return reader.connection(), dialect_of(reader)


_MARK = re.compile(r"__cdp_(\w+?)__")


def param(name: str) -> Any:
    """A parameter of a raw statement: a marker ``compiled`` turns into the driver's placeholder
    (every other value is compiled into the text as a literal)."""
    return literal_column(f"__cdp_{name}__")


@lru_cache(maxsize=2)
def _raw_dialect(name: str) -> Any:
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

        return SQLiteDialect_pysqlite(paramstyle="named")
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg  # PostgreSQL only

    return PGDialect_psycopg()


def compiled(stmt: Any, dialect: str) -> str:
    """``stmt`` as the driver's SQL text, with named placeholders for its ``param``s."""
    compiled = stmt.compile(dialect=_raw_dialect(dialect), compile_kwargs={"literal_binds": True})
    return _MARK.sub(r":\1" if dialect == "sqlite" else r"%(\1)s", compiled.string)


def fetch(conn: Any, sql: str, params: Mapping[str, Any]) -> list[Any]:
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


SHARED_BATCH = 2000     # rows fetched at a time by ``fetch_shared``
SHARED_PAUSE = 0.0005   # seconds it sleeps between batches


def fetch_shared(conn: Any, sql: str, params: Mapping[str, Any]) -> list[Any]:
    """``fetch`` for a thread working beside the window's: the rows in batches, with a
    short sleep between them.

    The driver gives Python's GIL back while the database steps to each row and takes it
    again at once; a thread waiting for it (the window's, to run a timer or paint) is woken
    but finds it taken again, and Python's hand-over only forces a switch from a thread that
    keeps the GIL, not from one that keeps giving it back. Fetching 100,000 rows in a thread
    stalled the window some 100 ms. The sleep hands the GIL over.
    """
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        rows: list[Any] = []
        while batch := cursor.fetchmany(SHARED_BATCH):
            rows += batch
            time.sleep(SHARED_PAUSE)
        return rows
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error,
                                  dialect=conn.dialect) from exc
    finally:
        cursor.close()


def ids_condition(column_: Any, dialect: str) -> Any:
    """``column_`` is one of the ids of the parameter ``ids`` (see ``ids_value``)."""
    if dialect == "sqlite":
        return column_.in_(select(literal_column("value")).select_from(func.json_each(param("ids"))))
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only

    return column_ == func.any(cast(param("ids"), ARRAY(BigInteger())))


def ids_value(dialect: str, ids: Sequence[int]) -> Any:
    return json.dumps(list(ids)) if dialect == "sqlite" else list(ids)


def in_ids(column_: Any, ids: Sequence[int], dialect: str) -> Any:
    """``column_`` is one of ``ids``, bound as one parameter (as ``ids_condition``), for
    statements run through SQLAlchemy: expanding an ``IN`` of 5,000 parameters cost it more
    than the database spends on the statement (a bulk edit runs several per chunk)."""
    if dialect == "sqlite":
        values = bindparam(None, json.dumps(list(ids)), String())
        return column_.in_(select(literal_column("value")).select_from(func.json_each(values)))
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only

    return column_ == func.any(bindparam(None, list(ids), ARRAY(BigInteger())))


def in_uuids(column_: Any, uuids: Sequence[uuid_mod.UUID], dialect: str) -> Any:
    """``column_`` (a ``Uuid``) is one of ``uuids``, bound as one parameter, as ``in_ids``
    (SQLite keeps a uuid as its 32 hex digits)."""
    if dialect == "sqlite":
        values = bindparam(None, json.dumps([u.hex for u in uuids]), String())
        return column_.in_(select(literal_column("value")).select_from(func.json_each(values)))
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only

    return column_ == func.any(bindparam(None, list(uuids), ARRAY(Uuid())))


def chunks(ids: Sequence[int], size: int | None = None) -> Iterator[Sequence[int]]:
    size = size or IN_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def utc_value(value: Any) -> dt.datetime:
    """A raw UTCDateTime value (text on SQLite, naive on PostgreSQL) as an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def local_text(raw: Any) -> dict[str, str]:
    """A LocalText value as read raw: JSON text on SQLite, a dict already on PostgreSQL."""
    if not raw:
        return {}
    return raw if isinstance(raw, dict) else _decoded(raw)


@lru_cache(maxsize=4096)
def _decoded(raw: str) -> dict[str, str]:
    # Organisation names repeat from row to row and from search to search: decoded once.
    return dict(json.loads(raw))


def text_of(raw: Any, lang: str) -> str:
    """The text of a raw LocalText value in ``lang`` (falling back), "" for none."""
    if not raw:
        return ""
    return text(raw, lang) if isinstance(raw, dict) else _picked(raw, lang)


@lru_cache(maxsize=8192)
def _picked(raw: str, lang: str) -> str:
    return text(_decoded(raw), lang)
