"""Sorting by each language's alphabet (ICU's CLDR collation), and the sort keys by name
that the database keeps for the lists it sorts.

* ``key(text, lang)`` — bytes that compare as ``text`` sorts in ``lang``: Russian with Ё
  among the Е, Kazakh in the Kazakh alphabet (А Ә Б … Ғ … Қ … Ң … Ө … Ұ Ү … Һ … І …),
  Cyrillic before Latin in Russian and Kazakh, Latin first in English; case and accents
  decide only between names that are otherwise the same. ``sorted_texts`` sorts by it.
* ``name_key(given, family, patronymic, display, lang)`` — a person's place in a list by
  surname: the family name, then the given name, then the patronymic, each compared
  letter by letter before any difference of case or accent (ICU's field separator
  U+FFFE between them). The parts are ``desktop.core.i18n.name_parts``.
* The keys of every person, per language, live in ``person_key`` (``db/sort_keys.py``), so
  that the lists of 100,000 registrations sort in SQL as fast as by the name columns.
  Core writes them on every path that writes a name (``store_sort_keys``: people edits,
  the import, the walk-in, desk-file merges, the demo); a trigger empties them when a
  name changes behind core's back, and ``ensure_sort_keys`` makes the missing ones when a
  list is read again (after a migration, or another program's writes).

ICU is loaded on first use (start-up stays fast); a collator is made once per thread and
language (ICU's collators are not to be shared between threads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Select, func, or_, select
from sqlalchemy.exc import OperationalError

from db.models import Person
from db.sort_keys import COLLATOR_COLUMN, KEY_LANGUAGES, key_column, sort_keys
from desktop.core.i18n import name_parts
from desktop.core.raw import chunks, local_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from db.engine import Database

T = TypeVar("T")

# The ICU locale of each language (others: their own code, falling back to the root order).
_LOCALES = {"en": "en", "ru": "ru", "kk": "kk"}
_FIELDS = "\ufffe"  # ICU's merge separator: sorts below every letter, compared field by field
_KEY_FORMAT = "1"   # bump when name_key changes what it keys: every stored key is made again

_local = threading.local()


def _collator(lang: str) -> Any:
    collators: dict[str, Any] | None = getattr(_local, "collators", None)
    if collators is None:
        collators = _local.collators = {}
    found = collators.get(lang)
    if found is None:
        import icu  # type: ignore[import-untyped]  # the first sort loads ICU (some 10 ms)

        found = collators[lang] = icu.Collator.createInstance(icu.Locale(_LOCALES.get(lang, lang)))
    return found


def collator_version() -> str:
    """What the stored keys were made with: keys of another ICU do not compare with these."""
    import icu

    return f"{_KEY_FORMAT}/icu{icu.ICU_VERSION}/uc{icu.UNICODE_VERSION}"


def key(text: str | None, lang: str = "en") -> bytes:
    """``text``'s sort key in ``lang`` (see the module docstring)."""
    return bytes(_collator(lang).getSortKey(text or ""))


def sorted_texts(items: Iterable[T], text_of: Callable[[T], str], lang: str = "en",
                 *, reverse: bool = False) -> list[T]:
    """``items`` sorted by ``text_of(item)`` in ``lang``'s order (stable)."""
    sort_key = _collator(lang).getSortKey
    return sorted(items, key=lambda item: sort_key(text_of(item) or ""), reverse=reverse)


def name_key(given: str | None, family: str | None, patronymic: str | None = None,
             display: Mapping[str, str] | None = None, lang: str = "en") -> bytes:
    """A person's sort key in a list by surname, in ``lang`` (see the module docstring)."""
    return bytes(_collator(lang).getSortKey(_FIELDS.join(name_parts(given, family, patronymic, display, lang))))


def name_keys(given: str | None, family: str | None, patronymic: str | None = None,
              display: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """The stored keys of a person: column name → key, for every language kept."""
    return {key_column(lang): name_key(given, family, patronymic, display, lang) for lang in KEY_LANGUAGES}


# -- the keys kept in the database --------------------------------------------------------------

_P = Person.__table__.c
_K = sort_keys.c
CHUNK = 2000  # people whose keys are made and written at a time


def _stale(version: str) -> Any:
    # "<" or ">", not "!=": each term a search of the index, where "!=" scanned all of it
    # (8 ms at 100,000 people against 5 µs).
    made_by = _K[COLLATOR_COLUMN]
    return or_(made_by.is_(None), made_by < version, made_by > version)


def _people(stmt: Select[Any]) -> Select[Any]:
    return stmt.add_columns(_P.given_name, _P.family_name, _P.patronymic, _P.display_name)


def _connection(session: OrmSession | Connection) -> Connection:
    return session if isinstance(session, Connection) else session.connection()


def name_key_rows(people: Iterable[tuple[Any, Any, Any, Any, Any]],
                  version: str) -> list[tuple[Any, ...]]:
    """The keys of ``people`` (id, given, family, patronymic, display names as a mapping or
    its JSON text each) as ``(version, key per KEY_LANGUAGES…, id)`` rows, unwritten (the
    import on PostgreSQL writes them with the person's other keys)."""
    languages = KEY_LANGUAGES
    values = []
    collators = [_collator(lang).getSortKey for lang in languages]
    for pid, given, family, patronymic, display in people:
        shown = local_text(display)
        if shown:
            keys = [name_key(given, family, patronymic, shown, lang) for lang in languages]
        else:  # no display name: the same parts in every language, joined once
            fields = _FIELDS.join(name_parts(given, family, patronymic, None))
            keys = [bytes(sort_key(fields)) for sort_key in collators]
        values.append((version, *keys, pid))
    return values


def write_name_keys(session: OrmSession | Connection,
                    people: Iterable[tuple[Any, Any, Any, Any, Any]],
                    version: str | None = None) -> int:
    """Make and write the keys of ``people``: (id, given, family, patronymic, display names
    as a mapping or its JSON text) each, as just written in this transaction (the import
    calls this with the rows it inserted). Returns how many."""
    version = version or collator_version()
    languages = KEY_LANGUAGES
    values = name_key_rows(people, version)
    if values:
        # person_key has a row for every person (migration 0003's triggers make it). Plain
        # tuples on the driver's executemany: Core's update over dicts cost more than ICU.
        conn = _connection(session)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        columns = ", ".join(f"{c} = {mark}" for c in (COLLATOR_COLUMN, *map(key_column, languages)))
        conn.exec_driver_sql(f"UPDATE person_key SET {columns} WHERE person_id = {mark}", values)
    return len(values)


def store_sort_keys(session: OrmSession | Connection, person_ids: Iterable[int] | None = None) -> int:
    """Make the sort keys of the people ``person_ids`` (their names as now written in this
    transaction), or with None of everyone whose keys are missing or stale; returns how
    many people's keys were written. Runs in the caller's write transaction."""
    conn = _connection(session)
    version = collator_version()
    written = 0
    if person_ids is None:
        stale = select(_K.person_id).where(_stale(version)).limit(CHUNK)
        while True:  # chunks of the stale rows until none is left
            ids = list(conn.scalars(stale))
            if not ids:
                return written
            rows = conn.execute(_people(select(_P.id)).where(_P.id.in_(ids))).all()
            written += write_name_keys(conn, rows, version)
            if len(rows) < len(ids):  # keys of people gone meanwhile: never made
                return written
    for part in chunks(sorted(set(person_ids)), CHUNK):
        rows = conn.execute(_people(select(_P.id)).where(_P.id.in_(list(part)))).all()
        written += write_name_keys(conn, rows, version)
    return written


def sort_keys_missing(session: OrmSession) -> bool:
    """Whether some person's sort keys are missing or stale (one look through an index)."""
    stmt = select(_K.person_id).where(_stale(collator_version())).limit(1)
    return session.execute(stmt).first() is not None


def _keys_to_make(session: OrmSession) -> bool:
    """Whether ``ensure_sort_keys`` has keys to make: ``sort_keys_missing`` when ICU is
    loaded already. Loading it costs some 20 MiB and 10 ms, which an export or a list that
    has its keys need not pay: then keys are missing when one is unmade, of another key
    format, or made by two different ICUs (keys of one ICU sort alike among themselves; a
    person written after an upgrade brings the other, and every key is made again)."""
    import sys

    if "icu" in sys.modules:
        return sort_keys_missing(session)
    made_by = _K[COLLATOR_COLUMN]
    if session.execute(select(_K.person_id).where(made_by.is_(None)).limit(1)).first() is not None:
        return True
    low, high = session.execute(select(func.min(made_by), func.max(made_by))).one()  # the index's two ends
    return low != high or (low is not None and not str(low).startswith(f"{_KEY_FORMAT}/"))


def ensure_sort_keys(database: Database) -> int:
    """Make the sort keys that are missing (see the module docstring): a read that finds
    none costs a fraction of a millisecond; only then a write. Returns how many were made."""
    with database.read() as session:
        if not _keys_to_make(session):
            return 0
    try:
        with database.write() as session:
            return store_sort_keys(session)
    except OperationalError:
        # A database open read-only, or locked by another writer for longer than the wait:
        # the list still shows, with those people last; the next read makes their keys.
        return 0


__all__ = ["collator_version", "ensure_sort_keys", "key", "name_key", "name_key_rows", "name_keys", "sort_keys_missing",
           "sorted_texts", "store_sort_keys", "write_name_keys"]
