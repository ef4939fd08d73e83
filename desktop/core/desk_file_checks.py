"""Every field of what a desk made, checked before a merge starts.

A desk file that passed its signature check (``desktop.core.desk_signing``) holds the rows
the database exported, unchanged, and the rows the desk added or changed. Those rows were
written by a desk, perhaps by an older or a damaged one: before the merge reads any of them
through the models (where a bad value would stop it halfway with a driver's message), each
field of each of them is checked against the column it goes into — identifiers (UUIDs),
instants and dates, the values of enumerations (check-in actions, categories, statuses,
sources, sectors), the lengths of texts (a desk's name, people's names, badge codes),
texts per language, e-mail addresses, and the rows they point to in the file.

The first bad one is reported in one sentence naming the file, the table, the row and the
field, and saying what is wrong — never the value, so never a person's name or e-mail, and
never a 10,000-character desk name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Integer, LargeBinary, String, Table, Text, Uuid

from db.models import BadgePrint, CheckIn, Organisation, Person, Registration
from desktop.core.checks import email_problem
from desktop.core.desk_signing import SEAL_TABLE
from desktop.core.language import _, n_

_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHECKED: tuple[Table, ...] = (Organisation.__table__, Person.__table__, Registration.__table__, CheckIn.__table__,
                               BadgePrint.__table__)
_FOREIGN = {  # column: the table of the file it points to
    ("person", "organisation_id"): "organisation",
    ("registration", "person_id"): "person",
    ("check_in", "registration_id"): "registration",
    ("badge_print", "registration_id"): "registration",
}


class BadField(Exception):
    """A field of a desk file a merge cannot take; the message is one sentence."""


def _is_instant(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _local_text_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return _("it is not a text in languages")
    try:
        data = json.loads(value)
    except ValueError:
        return _("it is not a text in languages")
    if data is None:
        return None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return _("it is not a text in languages")
    return None


def _column_check(table: Table, name: str) -> Callable[[Any], str | None]:
    """What is wrong with a stored value of ``table.name`` (None: nothing)."""
    column = table.c[name]
    kind = column.type
    impl: Any = getattr(kind, "impl", kind) if not isinstance(kind, Enum) else kind
    impl = impl() if isinstance(impl, type) else impl
    nullable = bool(column.nullable)

    def needs(value: Any) -> str | None:
        return None if nullable else _("it is empty")

    if isinstance(kind, Enum):
        allowed = set(kind.enums)

        def enum_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if value in allowed else _("it is not one of the values it may take")
        return enum_check
    if isinstance(impl, Uuid):
        def uuid_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if isinstance(value, str) and _HEX32.match(value) else _("it is not a valid identifier (UUID)")
        return uuid_check
    if isinstance(impl, DateTime):
        def instant_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if _is_instant(value) else _("it is not a valid date and time")
        return instant_check
    if isinstance(impl, Date):
        def date_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if _is_date(value) else _("it is not a valid date")
        return date_check
    if isinstance(impl, JSON):
        def json_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return _local_text_problem(value)
        return json_check
    if isinstance(impl, Boolean):
        def bool_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if value in (0, 1) else _("it is neither yes nor no")
        return bool_check
    if isinstance(impl, Integer):
        def int_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if isinstance(value, int) else _("it is not a whole number")
        return int_check
    if isinstance(impl, LargeBinary):
        def blob_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            return None if isinstance(value, bytes) else _("it is not a picture or file")
        return blob_check
    if isinstance(impl, String | Text):
        limit = getattr(impl, "length", None)

        def text_check(value: Any) -> str | None:
            if value is None:
                return needs(value)
            if not isinstance(value, str):
                return _("it is not a text")
            if limit is not None and len(value) > limit:
                return n_("it is longer than {n} character", "it is longer than {n} characters", limit).format(
                    n=limit)
            if _CONTROL.search(value):
                return _("it holds control characters")
            if name == "email" and value.strip() and email_problem(value) is not None:
                return _("it is not a valid e-mail address")
            return None
        return text_check
    return lambda value: None


def _bad(path: Path, table: str, row: int, field: str, problem: str) -> BadField:
    # Translators: {table} and {field} are names inside the file (check_in, desk); {problem} says what is
    # wrong ("it is longer than 80 characters").
    return BadField(_("{path} cannot be merged: in table {table}, row {row}, the field {field} is wrong "
                      "({problem}).").format(path=path, table=table, row=row, field=field, problem=problem))


def check_fields(path: Path, conn: sqlite3.Connection, meta: Mapping[str, str]) -> None:
    """Check every field of the rows the desk added or changed in the desk file open on
    ``conn``; raises ``BadField`` for the first bad one (tables in the order a merge reads
    them, rows by id)."""
    tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    sealed = SEAL_TABLE in tables
    ids_in: dict[str, set[int]] = {}
    for table in _CHECKED:
        name = table.name
        if name not in tables:
            continue  # a desk file exported before the table (badge_print: schema 0008)
        try:
            top = int(str(meta.get(f"top.{name}", "0")))
        except ValueError:
            top = 0
        present = [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{name}")')]
        cols = [c for c in present if c in table.c]
        checks = [(c, _column_check(table, c)) for c in cols]
        where = "id > ?" + (f" OR id IN (SELECT row_id FROM {SEAL_TABLE} WHERE tbl = ?)" if sealed else "")
        params: Sequence[Any] = (top, name) if sealed else (top,)
        cursor = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}" '
                              f"WHERE {where} ORDER BY id", params)
        index = {c: i for i, c in enumerate(cols)}
        while batch := cursor.fetchmany(2000):
            for values in batch:
                row = values[index["id"]] if "id" in index else 0
                for column, check in checks:
                    problem = check(values[index[column]])
                    if problem is not None:
                        raise _bad(path, name, row, column, problem)
                for (owner, column), target in _FOREIGN.items():
                    if owner != name or column not in index:
                        continue
                    ref = values[index[column]]
                    if ref is None:
                        continue
                    known = ids_in.setdefault(target, set())
                    if ref not in known:
                        if conn.execute(f'SELECT 1 FROM "{target}" WHERE id = ?', (ref,)).fetchone() is None:
                            raise _bad(path, name, row, column, _("it points to a row that is not in the file"))
                        known.add(ref)
                if name == "check_in" and {"action", "undoes"} <= index.keys() and \
                        (values[index["action"]] == "undo") != (values[index["undoes"]] is not None):
                    raise _bad(path, name, row, "undoes", _("it does not match the action"))


__all__: Sequence[str] = ("BadField", "check_fields")
